/*
 * Event log writer: one pass over the realm plan, one event per step an
 * RMM verifier needs to rebuild the RIM.  Blob digests are taken from the
 * bytes in guest memory the plan points at, so the log describes exactly
 * what was (or will be) populated; a caller that measured the plan passes
 * the digests rim_measure_plan_blobs() took in the same pass.  Choices
 * are explained in docs/event-log.md.
 */
#include <string.h>

#include "arm64/layout.h"
#include "realm/event_log.h"
#include "realm/hash_algos.h"
#include "realm/plan.h"
#include "realm/rim.h"
#include "realm/tcg_defs.h"
#include "vmm/guest_mem.h"
#include "vmm/util.h"

struct log_writer {
	uint8_t *buf;
	size_t max;
	size_t len;
	uint16_t alg_id;
	size_t digest_size;
	enum hash_algo algo;
	const uint8_t *blob_digests;	/* per plan op, or NULL: hash here */
};

static int put(struct log_writer *w, const void *data, size_t n)
{
	if (!n)
		return 0;
	if (n > w->max - w->len)
		return pr_err("event log: does not fit in %zu bytes", w->max);
	memcpy(w->buf + w->len, data, n);
	w->len += n;
	return 0;
}

enum digest_mode {
	DIGEST_NONE,	/* count 0: unmeasured blob (the LOG) */
	DIGEST_ZERO,	/* count 1, real algorithm, zero bytes */
	DIGEST_VALUE,	/* count 1, the given digest */
};

/* Append one TCG_PCR_EVENT2 for PCR 0. */
static int put_event(struct log_writer *w, uint32_t type,
		     enum digest_mode mode, const uint8_t *digest,
		     const void *data1, size_t len1,
		     const void *data2, size_t len2,
		     const void *data3, size_t len3)
{
	struct tcg_pcr_event2_head head = {
		.pcr_index = 0,
		.event_type = type,
		.digest_count = mode == DIGEST_NONE ? 0 : 1,
	};
	uint8_t zero[TCG_MAX_DIGEST_SIZE] = { 0 };
	uint32_t size = len1 + len2 + len3;
	size_t start = w->len;

	if (put(w, &head, sizeof(head)))
		goto undo;
	if (mode != DIGEST_NONE) {
		if (put(w, &w->alg_id, sizeof(w->alg_id)) ||
		    put(w, mode == DIGEST_VALUE ? digest : zero,
			w->digest_size))
			goto undo;
	}
	if (put(w, &size, sizeof(size)) || put(w, data1, len1) ||
	    put(w, data2, len2) || put(w, data3, len3))
		goto undo;
	return 0;
undo:
	w->len = start;
	return -1;
}

static int put_header(struct log_writer *w)
{
	struct tcg_pcr_event_legacy legacy = {
		.pcr_index = 0,
		.event_type = TCG_EV_NO_ACTION,
		.event_data_size = TCG_SPEC_ID_EVENT_SIZE_1ALG,
	};
	struct tcg_spec_id_event_head spec = {
		.signature = TCG_SPEC_ID_SIGNATURE,
		.platform_class = TCG_SPEC_ID_PLATFORM_CLASS,
		.spec_version_minor = TCG_SPEC_ID_VERSION_MINOR,
		.spec_version_major = TCG_SPEC_ID_VERSION_MAJOR,
		.spec_errata = TCG_SPEC_ID_ERRATA,
		.uintn_size = TCG_SPEC_ID_UINTN_SIZE,
		.number_of_algorithms = 1,
	};
	struct tcg_alg_size alg = {
		.algorithm_id = w->alg_id,
		.digest_size = w->digest_size,
	};
	uint8_t vendor_info_size = 0;

	if (put(w, &legacy, sizeof(legacy)) || put(w, &spec, sizeof(spec)) ||
	    put(w, &alg, sizeof(alg)) ||
	    put(w, &vendor_info_size, sizeof(vendor_info_size)))
		return -1;
	return 0;
}

static int put_vm_version(struct log_writer *w,
			  const struct realm_config *cfg,
			  const struct plan *plan)
{
	struct vm_version_event v;

	memset(&v, 0, sizeof(v));
	_Static_assert(sizeof(VM_VERSION_SIGNATURE) <= sizeof(v.signature), "");
	_Static_assert(sizeof(VM_VERSION_NAME) <= sizeof(v.name), "");
	_Static_assert(sizeof(REALMVM_VERSION) <= sizeof(v.version),
		       "REALMVM_VERSION too long for VM VERSION");
	memcpy(v.signature, VM_VERSION_SIGNATURE, sizeof(VM_VERSION_SIGNATURE));
	memcpy(v.name, VM_VERSION_NAME, sizeof(VM_VERSION_NAME));
	memcpy(v.version, REALMVM_VERSION, sizeof(REALMVM_VERSION));
	v.ram_size = cfg->ram_size;
	v.num_cpus = cfg->nr_cpus;
	if (plan->profile)
		v.flags = ((uint64_t)plan->profile->abi + 1) &
			  VM_VERSION_FLAG_HOST_MASK;
	return put_event(w, TCG_EV_NO_ACTION, DIGEST_ZERO, NULL,
			 &v, sizeof(v), NULL, 0, NULL, 0);
}

static int put_tag(struct log_writer *w, uint32_t id, const void *payload,
		   uint32_t size)
{
	struct tcg_tagged_event_head tag = {
		.tagged_event_id = id,
		.tagged_event_data_size = size,
	};

	return put_event(w, TCG_EV_EVENT_TAG, DIGEST_ZERO, NULL,
			 &tag, sizeof(tag), payload, size, NULL, 0);
}

/*
 * The logged blob description is the plan's kind name, the one the replay
 * (event_log_replay.c) maps back; a range with no blob kind has none.
 */
static const char *blob_desc(enum blob_kind kind)
{
	if (kind <= BLOB_NONE || kind > BLOB_FIRMWARE)
		return NULL;
	return blob_kind_name(kind);
}

static int put_blob(struct log_writer *w, const struct plan_op *op,
		    const struct guest_mem *gm, size_t index)
{
	const char *desc = blob_desc(op->data.blob);
	struct firmware_blob2_tail tail = {
		.blob_base = op->data.blob_ipa,
		.blob_length = op->data.blob_size,
	};
	uint8_t digest[TCG_MAX_DIGEST_SIZE];
	uint8_t desc_len;
	uint32_t type;
	uint64_t end;

	if (!desc)
		return pr_err("event log: plan op %zu populates a range with no blob kind",
			      index);
	/*
	 * A verifier rounds the logged blob out to granules to rebuild the
	 * populate call; refuse a plan the log could not describe.
	 */
	if (!add_ok(op->data.blob_ipa, op->data.blob_size, &end) ||
	    op->data.ipa != ALIGN_DOWN(op->data.blob_ipa, GRANULE_SIZE) ||
	    op->data.ipa + op->data.size != ALIGN_UP(end, GRANULE_SIZE))
		return pr_err("event log: %s populated range [0x%llx, +0x%llx) is not the blob rounded to granules",
			      desc, (unsigned long long)op->data.ipa,
			      (unsigned long long)op->data.size);
	if (op->data.measure && w->blob_digests) {
		memcpy(digest, w->blob_digests + index * w->digest_size,
		       w->digest_size);
	} else if (op->data.measure) {
		const void *bytes = gm_ptr(gm, op->data.blob_ipa,
					   op->data.blob_size);

		if (!bytes)
			return pr_err("event log: %s blob [0x%llx, +0x%llx) is outside guest memory",
				      desc,
				      (unsigned long long)op->data.blob_ipa,
				      (unsigned long long)op->data.blob_size);
		if (hash_buffer(w->algo, bytes, op->data.blob_size, digest))
			return -1;
	}
	type = op->data.blob == BLOB_FIRMWARE ?
	       TCG_EV_EFI_PLATFORM_FIRMWARE_BLOB2 : TCG_EV_POST_CODE2;
	desc_len = strlen(desc);
	return put_event(w, type, op->data.measure ? DIGEST_VALUE : DIGEST_NONE,
			 digest, &desc_len, 1, desc, desc_len,
			 &tail, sizeof(tail));
}

static int put_op(struct log_writer *w, const struct plan *plan,
		  const struct plan_op *op, const struct guest_mem *gm,
		  size_t index)
{
	switch (op->kind) {
	case PLAN_CREATE: {
		const struct realm_params *p = &plan->params;
		struct realm_create_tag t = {
			.flags = p->flags,
			.s2sz = p->s2sz,
			.sve_vl = p->sve_vl,
			.num_bps = p->num_bps,
			.num_wps = p->num_wps,
			.pmu_num_ctrs = p->pmu_num_ctrs,
			.hash_algo = p->hash_algo,
		};

		return put_tag(w, REALM_TAG_REALM_CREATE, &t, sizeof(t));
	}
	case PLAN_RIPAS_CALL: {
		struct init_ripas_tag t = {
			.base = op->ripas.base,
			.size = op->ripas.top - op->ripas.base,
		};

		if (op->ripas.top < op->ripas.base)
			return pr_err("event log: plan op %zu has an inverted RIPAS range",
				      index);
		return put_tag(w, REALM_TAG_INIT_RIPAS, &t, sizeof(t));
	}
	case PLAN_DATA:
		return put_blob(w, op, gm, index);
	case PLAN_REC: {
		struct rec_create_tag t = {
			.flags = op->rec.flags,
			.pc = op->rec.pc,
		};

		/* Only the runnable REC changes the RIM. */
		if (!(op->rec.flags & REC_FLAG_RUNNABLE))
			return 0;
		memcpy(t.gprs, op->rec.gprs, sizeof(t.gprs));
		return put_tag(w, REALM_TAG_REC_CREATE, &t, sizeof(t));
	}
	case PLAN_RIPAS:	/* derived by the verifier from the call */
	case PLAN_ACTIVATE:	/* not measured */
		return 0;
	}
	return pr_err("event log: plan op %zu has unknown kind %d", index,
		      (int)op->kind);
}

int event_log_build(const struct realm_config *cfg, const struct plan *plan,
		    const struct guest_mem *gm, uint8_t *buf, size_t max,
		    size_t *len)
{
	return event_log_build_blobs(cfg, plan, gm, NULL, buf, max, len);
}

int event_log_build_blobs(const struct realm_config *cfg, const struct plan *plan,
			  const struct guest_mem *gm,
			  const uint8_t *blob_digests, uint8_t *buf,
			  size_t max, size_t *len)
{
	struct log_writer w = {
		.buf = buf,
		.max = max,
		.algo = plan->params.hash_algo,
		.blob_digests = blob_digests,
	};
	size_t i;

	w.alg_id = hash_algo_by_rmm(w.algo) ?
		   hash_algo_by_rmm(w.algo)->tcg_id : 0;
	w.digest_size = hash_size(w.algo);
	if (!w.alg_id || !w.digest_size)
		return pr_err("event log: unsupported hash algorithm %u",
			      (unsigned int)plan->params.hash_algo);
	memset(buf, 0, max);
	if (put_header(&w) || put_vm_version(&w, cfg, plan))
		goto fail;
	for (i = 0; i < plan->nr_ops; i++)
		if (put_op(&w, plan, &plan->ops[i], gm, i))
			goto fail;
	*len = w.len;
	return 0;
fail:
	memset(buf, 0, max);
	*len = 0;
	return -1;
}
