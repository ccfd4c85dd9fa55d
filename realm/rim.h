/*
 * Realm Initial Measurement, computed the way the RMM computes it: a hash
 * of the REALM_CREATE parameters page, then each measured operation hashes
 * a 256-byte descriptor that carries the previous RIM.  rim_measure_plan()
 * is the one and only place a RIM is computed from a plan.
 */
#ifndef REALMVM_RIM_H
#define REALMVM_RIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "realm/plan.h"

#define RIM_MAX_SIZE 64

struct guest_mem;

/* Bytes of the digest for an RmiHashAlgorithm value; 0 if unknown. */
size_t hash_size(enum hash_algo algo);
const char *hash_name(enum hash_algo algo);	/* "sha256", "sha512" */
/* One-shot digest (libcrypto SHA-2); out gets hash_size(algo) bytes. */
int hash_buffer(enum hash_algo algo, const void *data, size_t len,
		uint8_t *out);

/* One RMM-visible step, as reported to a trace callback. */
struct rim_step {
	const struct plan_op *op;	/* the op this step belongs to */
	const struct realm_params *params;	/* the plan's params (every step) */
	uint64_t ipa;			/* DATA: this granule */
	bool measured_content;		/* DATA: content hashed */
	uint8_t content[RIM_MAX_SIZE];	/* DATA: granule digest; REC: params digest */
	bool extends;			/* false: RIM unchanged (e.g. non-runnable REC) */
	const uint8_t *rim;		/* running RIM after this step */
};

typedef int (*rim_step_fn)(const struct rim_step *step, void *opaque);

/*
 * Walk the plan and compute the RIM into rim (hash_size bytes).  step (may
 * be NULL) is called for every RMM-visible step in order: CREATE, each
 * RIPAS entry, each DATA granule, each REC.  Granule contents are read
 * from gm.  nr_threads > 1 hashes granules in parallel; the chain itself
 * stays sequential.
 */
int rim_measure_plan(const struct plan *plan, const struct guest_mem *gm,
		     unsigned int nr_threads, rim_step_fn step, void *opaque,
		     uint8_t *rim);

/*
 * The same for several plans over one guest memory (--host all): each
 * measured granule is hashed once per algorithm, then every plan is
 * walked; rims[i] is plans[i]'s RIM.  With blob_digests (NULL: none),
 * the event log's digest of each blob plans[0] measures (op.data.blob_ipa,
 * blob_size) is written to blob_digests + i * hash_size for its op i
 * (room for plans[0]->nr_ops digests; other entries are left alone).
 * Both digests are taken in one pass: on one thread each granule feeds
 * its blob's digest right after it is hashed; with more, one thread
 * streams the blobs beside the granule workers.
 */
int rim_measure_plans(const struct plan *const *plans, size_t n,
		      const struct guest_mem *gm, unsigned int nr_threads,
		      rim_step_fn step, void *opaque,
		      uint8_t (*rims)[RIM_MAX_SIZE], uint8_t *blob_digests);

/* rim_measure_plans() for one plan, with its blob digests. */
int rim_measure_plan_blobs(const struct plan *plan,
			   const struct guest_mem *gm, unsigned int nr_threads,
			   rim_step_fn step, void *opaque, uint8_t *rim,
			   uint8_t *blob_digests);

/* Primitive extensions, exposed for unit tests against public vectors. */
int rim_init(const struct realm_params *params, uint8_t *rim);
int rim_extend_data(enum hash_algo algo, uint8_t *rim, uint64_t ipa,
		    uint64_t flags, const uint8_t *content);
int rim_extend_rec(enum hash_algo algo, uint8_t *rim, uint64_t flags,
		   uint64_t pc, const uint64_t gprs[8]);
int rim_extend_ripas(enum hash_algo algo, uint8_t *rim, uint64_t base,
		     uint64_t top);

#endif
