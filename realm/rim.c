/*
 * The Realm Initial Measurement, computed the way TF-RMM computes it
 * (RMM 1.0 A7.1.1): RIM0 = H(params page with only the measured fields),
 * then every measured step replaces the RIM with the hash of a zero-filled
 * 256-byte descriptor that carries the old RIM.  Granule contents are
 * hashed straight from guest memory, optionally on several threads; the
 * descriptor chain is inherently sequential.  The event log's whole-blob
 * digests, when wanted, come from the same pass over the same bytes.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "realm/hash.h"
#include "realm/rim.h"
#include "realm/rmm_defs.h"
#include "vmm/guest_mem.h"
#include "vmm/util.h"

#define RIM_MAX_THREADS	64

struct rim_hasher {
	enum hash_algo algo;
	struct hash_ctx ctx;
	size_t hsz;
};

static int hasher_init(struct rim_hasher *h, enum hash_algo algo)
{
	h->algo = algo;
	h->hsz = hash_size(algo);
	if (!h->hsz)
		return pr_err("unknown hash algorithm id %d", (int)algo);
	return 0;
}

static int hasher_digest(struct rim_hasher *h, const void *data, size_t len,
			 uint8_t *out)
{
	if (hash_init(&h->ctx, h->algo))
		return -1;
	hash_update(&h->ctx, data, len);
	hash_final(&h->ctx, out);
	return 0;
}

static int do_init(struct rim_hasher *h, const struct realm_params *p,
		   uint8_t *rim)
{
	struct rmi_realm_params page;

	/* rpv, vmid and the RTT fields are zeroed: they are not measured. */
	memset(&page, 0, sizeof(page));
	page.flags = p->flags;
	page.s2sz = p->s2sz;
	page.sve_vl = p->sve_vl;
	page.num_bps = p->num_bps;
	page.num_wps = p->num_wps;
	page.pmu_num_ctrs = p->pmu_num_ctrs;
	page.hash_algo = p->hash_algo;
	return hasher_digest(h, &page, sizeof(page), rim);
}

static int do_extend_data(struct rim_hasher *h, uint8_t *rim, uint64_t ipa,
			  uint64_t flags, const uint8_t *content)
{
	struct measure_desc_data d;

	memset(&d, 0, sizeof(d));
	d.desc_type = MEASURE_DESC_TYPE_DATA;
	d.len = sizeof(d);
	memcpy(d.rim, rim, h->hsz);
	d.ipa = ipa;
	d.flags = flags;
	if (flags & RMI_MEASURE_CONTENT)
		memcpy(d.content, content, h->hsz);
	return hasher_digest(h, &d, sizeof(d), rim);
}

static void rec_page(struct rmi_rec_params *page, uint64_t flags,
		     uint64_t pc, const uint64_t gprs[8])
{
	/* mpidr and the aux granules are not measured. */
	memset(page, 0, sizeof(*page));
	page->flags = flags;
	page->pc = pc;
	memcpy(page->gprs, gprs, sizeof(page->gprs));
}

static int do_extend_rec(struct rim_hasher *h, uint8_t *rim,
			 const uint8_t *content)
{
	struct measure_desc_rec d;

	memset(&d, 0, sizeof(d));
	d.desc_type = MEASURE_DESC_TYPE_REC;
	d.len = sizeof(d);
	memcpy(d.rim, rim, h->hsz);
	memcpy(d.content, content, h->hsz);
	return hasher_digest(h, &d, sizeof(d), rim);
}

static int do_extend_ripas(struct rim_hasher *h, uint8_t *rim, uint64_t base,
			   uint64_t top)
{
	struct measure_desc_ripas d;

	memset(&d, 0, sizeof(d));
	d.desc_type = MEASURE_DESC_TYPE_RIPAS;
	d.len = sizeof(d);
	memcpy(d.rim, rim, h->hsz);
	d.base = base;
	d.top = top;
	return hasher_digest(h, &d, sizeof(d), rim);
}

int rim_init(const struct realm_params *params, uint8_t *rim)
{
	struct rim_hasher h;
	int ret;

	if (hasher_init(&h, params->hash_algo))
		return -1;
	memset(rim, 0, hash_size(params->hash_algo));
	ret = do_init(&h, params, rim);
	return ret;
}

int rim_extend_data(enum hash_algo algo, uint8_t *rim, uint64_t ipa,
		    uint64_t flags, const uint8_t *content)
{
	struct rim_hasher h;
	int ret;

	if (hasher_init(&h, algo))
		return -1;
	ret = do_extend_data(&h, rim, ipa, flags, content);
	return ret;
}

int rim_extend_rec(enum hash_algo algo, uint8_t *rim, uint64_t flags,
		   uint64_t pc, const uint64_t gprs[8])
{
	struct rmi_rec_params page;
	uint8_t content[RIM_MAX_SIZE];
	struct rim_hasher h;
	int ret;

	if (hasher_init(&h, algo))
		return -1;
	rec_page(&page, flags, pc, gprs);
	ret = hasher_digest(&h, &page, sizeof(page), content);
	/* Like TF-RMM: only a runnable REC enters the RIM. */
	if (!ret && (flags & RMI_REC_RUNNABLE))
		ret = do_extend_rec(&h, rim, content);
	return ret;
}

int rim_extend_ripas(enum hash_algo algo, uint8_t *rim, uint64_t base,
		     uint64_t top)
{
	struct rim_hasher h;
	int ret;

	if (hasher_init(&h, algo))
		return -1;
	ret = do_extend_ripas(&h, rim, base, top);
	return ret;
}

/*
 * One measured populate range: its granules in job order and, for the
 * event log, the exact blob bytes whose whole digest is wanted.
 */
struct granule_seg {
	size_t op;		/* plan op index */
	size_t first, count;	/* granules, in job order */
	const uint8_t *blob;	/* the blob's bytes (inside the range) */
	uint64_t blob_off;	/* blob start from the range start */
	uint64_t blob_len;
};

/* Content digests of every measured granule, in plan order. */
struct granule_job {
	const uint8_t **src;	/* host pointer of each granule */
	uint8_t *digests;	/* hsz bytes per granule */
	size_t count;
	struct granule_seg *segs;
	size_t nr_segs;
	uint8_t *blob_digests;	/* hsz bytes per plan op, or NULL */
	enum hash_algo algo;
	size_t hsz;
	unsigned int nr_workers;
};

enum worker_role {
	WORK_GRANULES,	/* granule digests [first, last) */
	WORK_BLOBS,	/* only the blobs' whole digests */
	WORK_BOTH,	/* every granule, and each blob fed from it while hot */
};

struct granule_worker {
	const struct granule_job *job;
	enum worker_role role;
	size_t first, last;
	int ret;
	pthread_t tid;
};

static int hash_granules(const struct granule_job *job, struct rim_hasher *h,
			 size_t first, size_t last)
{
	size_t i;

	for (i = first; i < last; i++)
		if (hasher_digest(h, job->src[i], GRANULE_SIZE,
				  job->digests + i * job->hsz))
			return -1;
	return 0;
}

static int hash_blobs(const struct granule_job *job)
{
	struct hash_ctx ctx;
	size_t s;

	for (s = 0; s < job->nr_segs; s++) {
		const struct granule_seg *seg = &job->segs[s];

		if (hash_init(&ctx, job->algo))
			return -1;
		hash_update(&ctx, seg->blob, seg->blob_len);
		hash_final(&ctx, job->blob_digests + seg->op * job->hsz);
	}
	return 0;
}

/*
 * Single core with the log: feed each blob's digest from the granule that
 * was just hashed, while it is still in L1, instead of a second pass over
 * cold memory.
 */
static int hash_both(const struct granule_job *job, struct rim_hasher *h)
{
	struct hash_ctx ctx;
	size_t s, k;

	for (s = 0; s < job->nr_segs; s++) {
		const struct granule_seg *seg = &job->segs[s];
		uint64_t fed = 0, upto;

		if (hash_init(&ctx, job->algo))
			return -1;
		for (k = 0; k < seg->count; k++) {
			if (hash_granules(job, h, seg->first + k,
					  seg->first + k + 1))
				return -1;
			upto = (k + 1) * GRANULE_SIZE;
			upto = upto > seg->blob_off ? upto - seg->blob_off : 0;
			upto = MIN(upto, seg->blob_len);
			if (upto > fed) {
				hash_update(&ctx, seg->blob + fed, upto - fed);
				fed = upto;
			}
		}
		hash_final(&ctx, job->blob_digests + seg->op * job->hsz);
	}
	return 0;
}

static void *granule_worker_run(void *arg)
{
	struct granule_worker *w = arg;
	const struct granule_job *job = w->job;
	struct rim_hasher h;

	w->ret = hasher_init(&h, job->algo);
	if (w->ret)
		return NULL;
	switch (w->role) {
	case WORK_GRANULES:
		w->ret = hash_granules(job, &h, w->first, w->last);
		break;
	case WORK_BLOBS:
		w->ret = hash_blobs(job);
		break;
	case WORK_BOTH:
		w->ret = hash_both(job, &h);
		break;
	}
	return NULL;
}

/*
 * Split the work: without blob digests the granules are shared out; with
 * them, one thread streams the blobs while the others hash the granules of
 * the same bytes, so both digests read memory the other has just pulled
 * into the shared cache; on one thread a single pass does both.
 */
static int granule_job_run(const struct granule_job *job)
{
	struct granule_worker workers[RIM_MAX_THREADS];
	unsigned int n = job->nr_workers, i, started, g0 = 0;
	int ret = 0;

	if (n > RIM_MAX_THREADS)
		n = RIM_MAX_THREADS;
	/* Threads only pay off with enough work per thread. */
	if (n > job->count / 64)
		n = job->count / 64;
	if (n < 1)
		n = 1;
	memset(workers, 0, sizeof(workers));
	for (i = 0; i < n; i++)
		workers[i].job = job;
	if (job->blob_digests) {
		workers[0].role = n == 1 ? WORK_BOTH : WORK_BLOBS;
		g0 = 1;
	}
	for (i = g0; i < n; i++) {
		workers[i].role = WORK_GRANULES;
		workers[i].first = job->count * (i - g0) / (n - g0);
		workers[i].last = job->count * (i - g0 + 1) / (n - g0);
	}
	/* Worker 0 runs here; a thread that cannot start is run here too. */
	for (started = 1; started < n; started++)
		if (pthread_create(&workers[started].tid, NULL,
				   granule_worker_run, &workers[started]))
			break;
	granule_worker_run(&workers[0]);
	for (i = started; i < n; i++)
		granule_worker_run(&workers[i]);
	for (i = 1; i < started; i++)
		pthread_join(workers[i].tid, NULL);
	for (i = 0; i < n; i++)
		if (workers[i].ret)
			ret = -1;
	return ret;
}

static int add_seg(struct granule_job *job, const struct plan_op *op,
		   size_t index, size_t first, const struct guest_mem *gm)
{
	struct granule_seg *seg = &job->segs[job->nr_segs++];

	seg->op = index;
	seg->first = first;
	seg->count = op->data.size / GRANULE_SIZE;
	if (!job->blob_digests)
		return 0;
	if (op->data.blob_ipa < op->data.ipa ||
	    op->data.blob_size > op->data.size ||
	    op->data.blob_ipa - op->data.ipa > op->data.size - op->data.blob_size)
		return pr_err("plan: %s blob lies outside its populate range",
			      blob_kind_name(op->data.blob));
	seg->blob_off = op->data.blob_ipa - op->data.ipa;
	seg->blob_len = op->data.blob_size;
	/* Inside the range, whose granules are all checked to be in RAM */
	seg->blob = gm_ptr(gm, op->data.ipa, op->data.size) + seg->blob_off;
	return 0;
}

/*
 * Find the measured granules (and, with blob_digests, the blobs in them)
 * and check they are in RAM; no hashing yet.
 */
static int collect_granules(const struct plan *plan,
			    const struct guest_mem *gm, unsigned int nr_threads,
			    uint8_t *blob_digests, struct granule_job *job)
{
	size_t i, k = 0, count = 0, nr_segs = 0;
	uint64_t off;

	memset(job, 0, sizeof(*job));
	job->algo = plan->params.hash_algo;
	job->hsz = hash_size(job->algo);
	job->nr_workers = nr_threads ? nr_threads : 1;
	job->blob_digests = blob_digests;
	for (i = 0; i < plan->nr_ops; i++) {
		const struct plan_op *op = &plan->ops[i];

		if (op->kind != PLAN_DATA)
			continue;
		if (!IS_ALIGNED(op->data.ipa, GRANULE_SIZE) ||
		    !IS_ALIGNED(op->data.size, GRANULE_SIZE))
			return pr_err("plan: DATA range 0x%llx+0x%llx is not granule aligned",
				      (unsigned long long)op->data.ipa,
				      (unsigned long long)op->data.size);
		if (op->data.measure) {
			count += op->data.size / GRANULE_SIZE;
			nr_segs++;
		}
	}
	if (!count)
		return 0;
	if (!gm)
		return pr_err("plan: measured DATA but no guest memory");
	job->src = calloc(count, sizeof(*job->src));
	job->digests = calloc(count, job->hsz);
	job->segs = calloc(nr_segs, sizeof(*job->segs));
	if (!job->src || !job->digests || !job->segs)
		return pr_err("out of memory for %zu granule digests", count);
	job->count = count;
	for (i = 0; i < plan->nr_ops; i++) {
		const struct plan_op *op = &plan->ops[i];
		size_t first = k;

		if (op->kind != PLAN_DATA || !op->data.measure)
			continue;
		for (off = 0; off < op->data.size; off += GRANULE_SIZE) {
			uint64_t ipa = op->data.ipa + off;

			job->src[k] = gm_ptr(gm, ipa, GRANULE_SIZE);
			if (!job->src[k])
				return pr_err("plan: DATA granule 0x%llx is outside guest RAM",
					      (unsigned long long)ipa);
			k++;
		}
		if (add_seg(job, op, i, first, gm))
			return -1;
	}
	return 0;
}

static void granule_job_free(struct granule_job *job)
{
	free(job->src);
	free(job->digests);
	free(job->segs);
	memset(job, 0, sizeof(*job));
}

struct walk {
	struct rim_hasher h;
	const struct plan *plan;
	rim_step_fn step;
	void *opaque;
	uint8_t *rim;
};

static int report(struct walk *w, struct rim_step *s)
{
	s->params = &w->plan->params;
	s->rim = w->rim;
	if (!w->step)
		return 0;
	return w->step(s, w->opaque) ? -1 : 0;
}

static int walk_data(struct walk *w, const struct plan_op *op,
		     const struct granule_job *job, size_t *next_digest)
{
	static const uint8_t zero[RIM_MAX_SIZE];
	uint64_t flags = op->data.measure ? RMI_MEASURE_CONTENT :
					    RMI_NO_MEASURE_CONTENT;
	uint64_t off;

	for (off = 0; off < op->data.size; off += GRANULE_SIZE) {
		const uint8_t *content = zero;
		struct rim_step s;

		if (op->data.measure)
			content = job->digests + (*next_digest)++ * job->hsz;
		if (do_extend_data(&w->h, w->rim, op->data.ipa + off, flags,
				   content))
			return -1;
		memset(&s, 0, sizeof(s));
		s.op = op;
		s.ipa = op->data.ipa + off;
		s.measured_content = op->data.measure;
		memcpy(s.content, content, w->h.hsz);
		s.extends = true;
		if (report(w, &s))
			return -1;
	}
	return 0;
}

static int walk_rec(struct walk *w, const struct plan_op *op)
{
	struct rmi_rec_params page;
	struct rim_step s;

	memset(&s, 0, sizeof(s));
	s.op = op;
	rec_page(&page, op->rec.flags, op->rec.pc, op->rec.gprs);
	if (hasher_digest(&w->h, &page, sizeof(page), s.content))
		return -1;
	s.extends = op->rec.flags & RMI_REC_RUNNABLE;
	if (s.extends && do_extend_rec(&w->h, w->rim, s.content))
		return -1;
	return report(w, &s);
}

static int walk_op(struct walk *w, const struct plan_op *op,
		   const struct granule_job *job, size_t *next_digest)
{
	struct rim_step s;

	memset(&s, 0, sizeof(s));
	s.op = op;
	s.extends = true;
	switch (op->kind) {
	case PLAN_CREATE:
		if (do_init(&w->h, &w->plan->params, w->rim))
			return -1;
		return report(w, &s);
	case PLAN_RIPAS:
		if (do_extend_ripas(&w->h, w->rim, op->ripas.base,
				    op->ripas.top))
			return -1;
		return report(w, &s);
	case PLAN_DATA:
		return walk_data(w, op, job, next_digest);
	case PLAN_REC:
		return walk_rec(w, op);
	case PLAN_RIPAS_CALL:
	case PLAN_ACTIVATE:
		/* Host requests the RMM does not measure: no step. */
		return 0;
	}
	return pr_err("plan: unknown operation %d", (int)op->kind);
}

/* Walk one plan whose granule digests are ready. */
static int walk_plan(const struct plan *plan, const struct granule_job *job,
		     rim_step_fn step, void *opaque, uint8_t *rim)
{
	struct walk w;
	size_t i, next_digest = 0;

	if (!plan->nr_ops || plan->ops[0].kind != PLAN_CREATE)
		return pr_err("plan: does not start with REALM_CREATE");
	memset(&w, 0, sizeof(w));
	if (hasher_init(&w.h, plan->params.hash_algo))
		return -1;
	w.plan = plan;
	w.step = step;
	w.opaque = opaque;
	w.rim = rim;
	memset(rim, 0, w.h.hsz);
	for (i = 0; i < plan->nr_ops; i++) {
		if (i && plan->ops[i].kind == PLAN_CREATE)
			return pr_err("plan: REALM_CREATE appears twice");
		if (walk_op(&w, &plan->ops[i], job, &next_digest))
			return -1;
	}
	return 0;
}

/* Same algorithm and the same granules in the same order. */
static bool same_granules(const struct granule_job *a,
			  const struct granule_job *b)
{
	return a->algo == b->algo && a->count == b->count &&
	       (!a->count ||
		!memcmp(a->src, b->src, a->count * sizeof(*a->src)));
}

int rim_measure_plans(const struct plan *const *plans, size_t n,
		      const struct guest_mem *gm, unsigned int nr_threads,
		      rim_step_fn step, void *opaque,
		      uint8_t (*rims)[RIM_MAX_SIZE], uint8_t *blob_digests)
{
	struct granule_job *jobs;
	size_t i, j;
	int ret = -1;

	jobs = calloc(n, sizeof(*jobs));
	if (!jobs)
		return pr_err("out of memory for %zu plans", n);
	for (i = 0; i < n; i++) {
		/* The log is plans[0]'s: only its blobs are digested whole. */
		if (collect_granules(plans[i], gm, nr_threads,
				     i ? NULL : blob_digests, &jobs[i]))
			goto out;
		/*
		 * The images are hashed once: a plan that measures the same
		 * granules with the same algorithm as an earlier one (other
		 * host profiles order RIPAS and RECs differently, not DATA)
		 * reuses its digests.
		 */
		for (j = 0; j < i; j++) {
			if (same_granules(&jobs[i], &jobs[j])) {
				memcpy(jobs[i].digests, jobs[j].digests,
				       jobs[i].count * jobs[i].hsz);
				break;
			}
		}
		if (j == i && jobs[i].count && granule_job_run(&jobs[i]))
			goto out;
	}
	for (i = 0; i < n; i++)
		if (walk_plan(plans[i], &jobs[i], step, opaque, rims[i]))
			goto out;
	ret = 0;
out:
	for (i = 0; i < n; i++)
		granule_job_free(&jobs[i]);
	free(jobs);
	return ret;
}

int rim_measure_plan_blobs(const struct plan *plan,
			   const struct guest_mem *gm, unsigned int nr_threads,
			   rim_step_fn step, void *opaque, uint8_t *rim,
			   uint8_t *blob_digests)
{
	uint8_t rims[1][RIM_MAX_SIZE];

	if (rim_measure_plans(&plan, 1, gm, nr_threads, step, opaque, rims,
			      blob_digests))
		return -1;
	memcpy(rim, rims[0], hash_size(plan->params.hash_algo));
	return 0;
}

int rim_measure_plan(const struct plan *plan, const struct guest_mem *gm,
		     unsigned int nr_threads, rim_step_fn step, void *opaque,
		     uint8_t *rim)
{
	return rim_measure_plan_blobs(plan, gm, nr_threads, step, opaque, rim,
				      NULL);
}
