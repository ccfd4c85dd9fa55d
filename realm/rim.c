/*
 * The Realm Initial Measurement, computed the way TF-RMM computes it
 * (RMM 1.0 A7.1.1): RIM0 = H(params page with only the measured fields),
 * then every measured step replaces the RIM with the hash of a zero-filled
 * 256-byte descriptor that carries the old RIM.  Granule contents are
 * hashed straight from guest memory, optionally on several threads; the
 * descriptor chain is inherently sequential.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "realm/hash.h"
#include "realm/rim.h"
#include "realm/rmm_defs.h"
#include "vmm/guest_mem.h"
#include "vmm/util.h"

#define RIM_MAX_THREADS	64

struct rim_hasher {
	enum hash_algo algo;
	const EVP_MD *md;
	EVP_MD_CTX *ctx;
	size_t hsz;
};

static int hasher_init(struct rim_hasher *h, enum hash_algo algo)
{
	h->algo = algo;
	h->hsz = hash_size(algo);
	h->md = hash_md(algo);
	if (!h->md || !h->hsz)
		return -1;
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx)
		return pr_err("out of memory for a digest context");
	return 0;
}

static void hasher_free(struct rim_hasher *h)
{
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

static int hasher_digest(struct rim_hasher *h, const void *data, size_t len,
			 uint8_t *out)
{
	return hash_with_ctx(h->ctx, h->md, data, len, out);
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
	hasher_free(&h);
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
	hasher_free(&h);
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
	hasher_free(&h);
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
	hasher_free(&h);
	return ret;
}

/* Content digests of every measured granule, in plan order. */
struct granule_job {
	const uint8_t **src;	/* host pointer of each granule */
	uint8_t *digests;	/* hsz bytes per granule */
	size_t count;
	enum hash_algo algo;
	size_t hsz;
	unsigned int nr_workers;
};

struct granule_worker {
	const struct granule_job *job;
	size_t first, last;
	int ret;
	pthread_t tid;
};

static void *granule_worker_run(void *arg)
{
	struct granule_worker *w = arg;
	const struct granule_job *job = w->job;
	struct rim_hasher h;
	size_t i;

	w->ret = hasher_init(&h, job->algo);
	if (w->ret)
		return NULL;
	for (i = w->first; i < w->last && !w->ret; i++)
		w->ret = hasher_digest(&h, job->src[i], GRANULE_SIZE,
				       job->digests + i * job->hsz);
	hasher_free(&h);
	return NULL;
}

static int granule_job_run(const struct granule_job *job)
{
	struct granule_worker workers[RIM_MAX_THREADS];
	unsigned int n = job->nr_workers, i, started;
	int ret = 0;

	if (n > RIM_MAX_THREADS)
		n = RIM_MAX_THREADS;
	/* Threads only pay off with enough work per thread. */
	if (n > job->count / 64)
		n = job->count / 64;
	if (n < 1)
		n = 1;
	for (i = 0; i < n; i++) {
		workers[i].job = job;
		workers[i].first = job->count * i / n;
		workers[i].last = job->count * (i + 1) / n;
		workers[i].ret = 0;
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

/* Find the measured granules and check they are in RAM (no hashing yet). */
static int collect_granules(const struct plan *plan,
			    const struct guest_mem *gm, unsigned int nr_threads,
			    struct granule_job *job)
{
	size_t i, k = 0, count = 0;
	uint64_t off;

	memset(job, 0, sizeof(*job));
	job->algo = plan->params.hash_algo;
	job->hsz = hash_size(job->algo);
	job->nr_workers = nr_threads ? nr_threads : 1;
	for (i = 0; i < plan->nr_ops; i++) {
		const struct plan_op *op = &plan->ops[i];

		if (op->kind != PLAN_DATA)
			continue;
		if (!IS_ALIGNED(op->data.ipa, GRANULE_SIZE) ||
		    !IS_ALIGNED(op->data.size, GRANULE_SIZE))
			return pr_err("plan: DATA range 0x%llx+0x%llx is not granule aligned",
				      (unsigned long long)op->data.ipa,
				      (unsigned long long)op->data.size);
		if (op->data.measure)
			count += op->data.size / GRANULE_SIZE;
	}
	if (!count)
		return 0;
	if (!gm)
		return pr_err("plan: measured DATA but no guest memory");
	job->src = calloc(count, sizeof(*job->src));
	job->digests = calloc(count, job->hsz);
	if (!job->src || !job->digests)
		return pr_err("out of memory for %zu granule digests", count);
	job->count = count;
	for (i = 0; i < plan->nr_ops; i++) {
		const struct plan_op *op = &plan->ops[i];

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
	}
	return 0;
}

static void granule_job_free(struct granule_job *job)
{
	free(job->src);
	free(job->digests);
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
	int ret = -1;

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
		if (i && plan->ops[i].kind == PLAN_CREATE) {
			pr_err("plan: REALM_CREATE appears twice");
			goto out;
		}
		if (walk_op(&w, &plan->ops[i], job, &next_digest))
			goto out;
	}
	ret = 0;
out:
	hasher_free(&w.h);
	return ret;
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
		      rim_step_fn step, void *opaque, uint8_t (*rims)[RIM_MAX_SIZE])
{
	struct granule_job *jobs;
	size_t i, j;
	int ret = -1;

	jobs = calloc(n, sizeof(*jobs));
	if (!jobs)
		return pr_err("out of memory for %zu plans", n);
	for (i = 0; i < n; i++) {
		if (collect_granules(plans[i], gm, nr_threads, &jobs[i]))
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

int rim_measure_plan(const struct plan *plan, const struct guest_mem *gm,
		     unsigned int nr_threads, rim_step_fn step, void *opaque,
		     uint8_t *rim)
{
	uint8_t rims[1][RIM_MAX_SIZE];

	if (rim_measure_plans(&plan, 1, gm, nr_threads, step, opaque, rims))
		return -1;
	memcpy(rim, rims[0], hash_size(plan->params.hash_algo));
	return 0;
}
