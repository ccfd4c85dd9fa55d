/*
 * Event log replay.  The log is walked in its own order and each event
 * becomes the plan step a launch would have made, through the same
 * plan_* builders plan_build() uses; the verifier's files are mapped into
 * a scratch guest memory at the logged addresses and
 * rim_measure_plan_blobs() takes the blobs' digests and the RIM in one
 * pass, as a dry run does.  So a log can only verify against the RIM a
 * launch with those files would have produced.  Assumptions for other
 * VMMs' logs are in docs/event-log.md.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm64/layout.h"
#include "realm/event_log_replay.h"
#include "realm/hash_algos.h"
#include "vmm/file_to_guest.h"
#include "vmm/guest_mem.h"
#include "vmm/util.h"

/*
 * kvmtool-cca's log-writing branches widen every populated region to
 * 64 KiB; the cca/v2 launch populates 4 KiB granules (docs/event-log.md).
 */
#define KVMTOOL_REGION_ALIGN	SZ_64K

/* KVM_MAX_VCPUS on arm64: no launch has more RECs without a VM VERSION */
#define REPLAY_MAX_RECS		512

/*
 * Most bytes the unmeasured blobs of one log may populate.  Replay time
 * grows with every populated granule, so without a bound a tiny hostile
 * log (one unmeasured blob of 128 GiB) keeps `log verify` busy for
 * minutes.  Measured blobs need no such bound: each must be as large as
 * a file the verifier gave, which is checked before anything is hashed.
 */
#define REPLAY_DATA_MAX		(1ULL << 30)

/* A measured blob whose digest is checked once the plan is measured. */
struct replay_check {
	const struct log_event *ev;
	size_t op;		/* its PLAN_DATA op */
};

struct replay {
	const struct event_log *log;
	const struct host_profile *prof;
	const struct replay_blob *blobs;
	struct replay_result *res;
	struct plan plan;
	struct guest_mem gm;
	bool started;
	unsigned int nr_recs;
	bool used[BLOB_FIRMWARE + 1];	/* files a measured event matched */
	struct replay_check *checks;
	size_t nr_checks;
	uint64_t kvmtool_align;		/* populate step of a kvmtool log */
};

static int ev_err(const struct log_event *ev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int ev_err(const struct log_event *ev, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return pr_err("log event %zu at offset %zu: %s", ev->index, ev->offset,
		      msg);
}

/*
 * Logs no launch can produce: more RECs than the realm has vCPUs, or
 * blobs that share bytes (a granule is populated once).
 */
static int check_possible(const struct event_log *log)
{
	size_t i, j, recs = 0;
	uint64_t max = log->num_cpus ? log->num_cpus : REPLAY_MAX_RECS, end;

	for (i = 0; i < log->nr_events; i++) {
		const struct log_event *a = &log->events[i];

		if (a->pcr != 0)
			continue;
		if (a->kind == LEV_REC_CREATE && ++recs > max)
			return ev_err(a, "REC_CREATE number %zu, but %s allows at most %llu vCPUs: no launch produces this log",
				      recs, log->num_cpus ?
				      "the log's VM VERSION" : "KVM",
				      (unsigned long long)max);
		/* a wrapping blob is blob_range()'s to report */
		if (a->kind != LEV_BLOB ||
		    !add_ok(a->blob.base, a->blob.size, &end))
			continue;
		for (j = 0; j < i; j++) {
			const struct log_event *b = &log->events[j];

			if (b->pcr == 0 && b->kind == LEV_BLOB &&
			    add_ok(b->blob.base, b->blob.size, &end) &&
			    a->blob.base < end &&
			    b->blob.base < a->blob.base + a->blob.size)
				return ev_err(a, "%s blob 0x%llx+0x%llx overlaps the %s blob of event %zu: no launch produces this log",
					      a->blob.desc,
					      (unsigned long long)a->blob.base,
					      (unsigned long long)a->blob.size,
					      b->blob.desc, b->index);
		}
	}
	return 0;
}

/* A measured-event blob whose 64 KiB region does not wrap. */
static bool region_64k(const struct log_event *e)
{
	uint64_t end;

	return e->pcr == 0 && e->kind == LEV_BLOB &&
	       add_ok(e->blob.base, e->blob.size, &end) &&
	       end <= UINT64_MAX - SZ_64K;
}

/*
 * Two kvmtool blobs closer than 64 KiB cannot both have been widened to
 * 64 KiB (their regions would overlap), so such a log was populated in
 * 4 KiB steps: the cca/v2 launch.
 */
static bool kvmtool_needs_4k(const struct event_log *log)
{
	size_t i, j;

	for (i = 0; i < log->nr_events; i++) {
		const struct log_event *a = &log->events[i];

		if (!region_64k(a))
			continue;
		for (j = 0; j < i; j++) {
			const struct log_event *b = &log->events[j];

			if (region_64k(b) &&
			    ALIGN_DOWN(a->blob.base, SZ_64K) <
				ALIGN_UP(b->blob.base + b->blob.size, SZ_64K) &&
			    ALIGN_DOWN(b->blob.base, SZ_64K) <
				ALIGN_UP(a->blob.base + a->blob.size, SZ_64K))
				return true;
		}
	}
	return false;
}

uint64_t replay_kvmtool_align(const struct event_log *log,
			      enum populate_step step)
{
	if (step == POPULATE_4K)
		return GRANULE_SIZE;
	if (step == POPULATE_64K)
		return KVMTOOL_REGION_ALIGN;
	return kvmtool_needs_4k(log) ? GRANULE_SIZE : KVMTOOL_REGION_ALIGN;
}

const struct host_profile *replay_default_profile(const struct event_log *log)
{
	uint64_t abi = log->vm_flags & VM_VERSION_FLAG_HOST_MASK;

	if (log->origin == LOG_ORIGIN_REALMVM && abi >= 1 &&
	    abi <= HOST_ABI_COUNT)
		return host_profile_get(abi - 1);
	if (log->origin == LOG_ORIGIN_KVMTOOL || log->origin == LOG_ORIGIN_QEMU)
		return host_profile_get(HOST_CCA_V10);
	return host_profile_get(HOST_ABI_DEFAULT);
}

static enum blob_kind blob_kind_of(const char *desc)
{
	static const enum blob_kind kinds[] = {
		BLOB_KERNEL, BLOB_INITRD, BLOB_DTB, BLOB_LOG, BLOB_FIRMWARE,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (!strcmp(desc, blob_kind_name(kinds[i])))
			return kinds[i];
	return BLOB_NONE;
}

/* The populated range a VMM used for a logged blob. */
static int blob_range(const struct replay *r, const struct log_event *ev,
		      uint64_t *ipa, uint64_t *size)
{
	uint64_t align = GRANULE_SIZE, end;

	if (r->log->origin == LOG_ORIGIN_KVMTOOL)
		align = r->kvmtool_align;
	if (!ev->blob.size || !add_ok(ev->blob.base, ev->blob.size, &end) ||
	    end > UINT64_MAX - align)
		return ev_err(ev, "%s blob 0x%llx+0x%llx is empty or wraps",
			      ev->blob.desc,
			      (unsigned long long)ev->blob.base,
			      (unsigned long long)ev->blob.size);
	*ipa = ALIGN_DOWN(ev->blob.base, align);
	*size = ALIGN_UP(end, align) - *ipa;
	return 0;
}

/* The guest memory a replay needs: every RIPAS and populated range. */
static int memory_extent(struct replay *r, uint64_t *lo, uint64_t *hi)
{
	uint64_t data = 0;
	size_t i;

	*lo = UINT64_MAX;
	*hi = 0;
	for (i = 0; i < r->log->nr_events; i++) {
		const struct log_event *ev = &r->log->events[i];
		uint64_t base, size;

		if (ev->pcr != 0)
			continue;
		if (ev->kind == LEV_INIT_RIPAS) {
			base = ev->ripas.base;
			size = ev->ripas.size;
			if (!size || base + size < base)
				return ev_err(ev, "INIT_RIPAS range 0x%llx+0x%llx is empty or wraps",
					      (unsigned long long)base,
					      (unsigned long long)size);
		} else if (ev->kind == LEV_BLOB) {
			if (blob_range(r, ev, &base, &size))
				return -1;
			if (ev->digest_count == 0 &&
			    (!add_ok(data, size, &data) ||
			     data > REPLAY_DATA_MAX))
				return ev_err(ev, "unmeasured blobs populate 0x%llx bytes up to this %s one, more than any VMM loads (at most 0x%llx)",
					      (unsigned long long)data,
					      ev->blob.desc,
					      REPLAY_DATA_MAX);
		} else {
			continue;
		}
		*lo = MIN(*lo, base);
		*hi = MAX(*hi, base + size);
	}
	/* firmware-less or REALM_CREATE-only realms populate nothing */
	if (*lo >= *hi) {
		*lo = *hi = 0;
		return 0;
	}
	if (*hi - *lo > RAM_MAX_SIZE)
		return pr_err("event log spans 0x%llx..0x%llx, more than realmvm's largest RAM",
			      (unsigned long long)*lo,
			      (unsigned long long)*hi);
	return 0;
}

static int replay_create(struct replay *r, const struct log_event *ev)
{
	struct realm_params p;
	enum hash_algo log_algo = r->res->algo;

	if (r->started)
		return ev_err(ev, "second REALM_CREATE");
	if (ev->create.hash_algo != log_algo)
		return ev_err(ev, "REALM_CREATE hash_algo %u disagrees with the log's %s",
			      ev->create.hash_algo, hash_name(log_algo));
	memset(&p, 0, sizeof(p));
	p.flags = ev->create.flags;
	p.s2sz = ev->create.s2sz;
	p.sve_vl = ev->create.sve_vl;
	p.num_bps = ev->create.num_bps;
	p.num_wps = ev->create.num_wps;
	p.pmu_num_ctrs = ev->create.pmu_num_ctrs;
	p.hash_algo = ev->create.hash_algo;
	plan_begin(&r->plan, r->prof, &p, !r->prof->vmm_drives_ripas);
	if (!r->plan.nr_ops)
		return -1;
	r->started = true;
	return 0;
}

static void mismatch(struct replay *r, const struct log_event *ev,
		     const char *msg)
{
	struct replay_result *res = r->res;

	if (res->mismatch)
		return;
	res->mismatch = true;
	res->mismatch_index = ev->index;
	res->mismatch_offset = ev->offset;
	snprintf(res->mismatch_msg, sizeof(res->mismatch_msg), "%.500s", msg);
}

/* The verifier's file at the logged address; the rest stays zero. */
static int place_file(struct replay *r, const struct log_event *ev,
		      const struct replay_blob *file)
{
	void *dst = gm_ptr(&r->gm, ev->blob.base, ev->blob.size);

	if (!dst)
		return ev_err(ev, "%s blob lies outside the replayed memory",
			      ev->blob.desc);
	if (file->data) {
		memcpy(dst, file->data, file->len);
		return 0;
	}
	/*
	 * Mapped, not read: the page cache is hashed in place.  Safe because
	 * the plan has just accepted the range, so no other blob shares its
	 * granules, and a read-only mapping is never written again.
	 */
	return file_map_to_guest(file->fd, ev->blob.desc, file->path,
				 file->len, &r->gm, ev->blob.base);
}

static int replay_blob(struct replay *r, const struct log_event *ev)
{
	enum blob_kind kind = blob_kind_of(ev->blob.desc);
	const struct replay_blob *file;
	char msg[1024];
	uint64_t ipa, size;
	bool measure = ev->digest_count > 0;

	if (kind == BLOB_NONE)
		return ev_err(ev, "unknown blob \"%s\" (expected KERNEL, INITRD, DTB, LOG or FIRMWARE)",
			      ev->blob.desc);
	if (blob_range(r, ev, &ipa, &size))
		return -1;
	file = &r->blobs[kind];
	if (measure) {
		if (!file->data && !file->has_fd)
			return ev_err(ev, "%s is measured: give the file (--%s FILE)",
				      ev->blob.desc,
				      kind == BLOB_KERNEL ? "kernel" :
				      kind == BLOB_INITRD ? "initrd" :
				      kind == BLOB_DTB ? "dtb" :
				      kind == BLOB_FIRMWARE ? "firmware" :
				      "<none>");
		if (file->len != ev->blob.size) {
			snprintf(msg, sizeof(msg),
				 "log event %zu at offset %zu: %s is %llu bytes in the log, %.200s has %zu",
				 ev->index, ev->offset, ev->blob.desc,
				 (unsigned long long)ev->blob.size, file->path,
				 file->len);
			mismatch(r, ev, msg);
			return pr_err("%s", msg);
		}
	}
	if (plan_add_data(&r->plan, ipa, size, measure, kind,
			  ev->blob.base, ev->blob.size))
		return -1;
	if (!measure)
		return 0;
	if (place_file(r, ev, file))
		return -1;
	r->used[kind] = true;
	r->checks[r->nr_checks].ev = ev;
	r->checks[r->nr_checks].op = r->plan.nr_ops - 1;
	r->nr_checks++;
	return 0;
}

/* Each measured blob against the digest its event logged, in log order. */
static int check_digests(struct replay *r, const uint8_t *digests)
{
	char msg[1024], have[2 * RIM_MAX_SIZE + 1], want[2 * RIM_MAX_SIZE + 1];
	size_t hsz = r->res->rim_size, i;

	for (i = 0; i < r->nr_checks; i++) {
		const struct log_event *ev = r->checks[i].ev;
		const uint8_t *digest = digests + r->checks[i].op * hsz;
		enum blob_kind kind = blob_kind_of(ev->blob.desc);

		if (!memcmp(digest, ev->digest, hsz)) {
			r->res->blobs_checked++;
			continue;
		}
		hex_encode(digest, hsz, have);
		hex_encode(ev->digest, hsz, want);
		snprintf(msg, sizeof(msg),
			 "log event %zu at offset %zu: %s digest mismatch: log %s, %.200s %s",
			 ev->index, ev->offset, ev->blob.desc, want,
			 r->blobs[kind].path, have);
		mismatch(r, ev, msg);
		return pr_err("%s", msg);
	}
	return 0;
}

static int replay_rec(struct replay *r, const struct log_event *ev)
{
	struct rec_create_tag t = ev->rec;	/* aligned copy */
	uint64_t gprs[8];

	memcpy(gprs, t.gprs, sizeof(gprs));
	/* only the runnable REC is logged; vCPUs in order */
	return plan_add_rec(&r->plan, r->nr_recs, vcpu_mpidr(r->nr_recs),
			    t.flags, t.pc, gprs, r->prof->kvm_creates_recs);
}

static int replay_event(struct replay *r, const struct log_event *ev)
{
	bool v12 = !r->prof->vmm_drives_ripas;
	int ret;

	switch (ev->kind) {
	case LEV_SPEC_ID:
	case LEV_VM_VERSION:
	case LEV_NO_ACTION:
		return 0;
	case LEV_REALM_CREATE:
		ret = replay_create(r, ev);
		break;
	default:
		if (!r->started)
			return ev_err(ev, "%s before REALM_CREATE",
				      log_event_kind_name(ev->kind));
		if (ev->kind == LEV_INIT_RIPAS)
			ret = plan_add_ripas(&r->plan, ev->ripas.base,
					     ev->ripas.base + ev->ripas.size,
					     v12);
		else if (ev->kind == LEV_BLOB)
			ret = replay_blob(r, ev);
		else
			ret = replay_rec(r, ev);
		if (ev->kind == LEV_REC_CREATE)
			r->nr_recs++;
		break;
	}
	/* the builders have printed why */
	if (ret)
		return -1;
	r->res->ops_replayed++;
	return 0;
}

int event_log_replay(const struct event_log *log,
		     const struct host_profile *prof,
		     const struct replay_blob blobs[BLOB_FIRMWARE + 1],
		     struct replay_result *res)
{
	return event_log_replay_step(log, prof, POPULATE_AUTO, blobs, res);
}

int event_log_replay_step(const struct event_log *log,
			  const struct host_profile *prof,
			  enum populate_step step,
			  const struct replay_blob blobs[BLOB_FIRMWARE + 1],
			  struct replay_result *res)
{
	struct replay r = {
		.log = log,
		.prof = prof ? prof : replay_default_profile(log),
		.blobs = blobs,
		.res = res,
		.kvmtool_align = replay_kvmtool_align(log, step),
	};
	const struct hash_algo_info *h;
	uint8_t *digests = NULL;
	uint64_t lo, hi;
	size_t i;
	int ret = -1;

	memset(res, 0, sizeof(*res));
	res->profile = r.prof;
	h = hash_algo_by_tcg(log->alg_id);
	if (!h || h->rmm_id < 0)
		return pr_err("event log algorithm 0x%04x is not a realm hash",
			      log->alg_id);
	res->algo = (enum hash_algo)h->rmm_id;
	res->rim_size = h->size;
	res->populate_step = log->origin == LOG_ORIGIN_KVMTOOL ?
			     r.kvmtool_align : GRANULE_SIZE;
	if (check_possible(log) || memory_extent(&r, &lo, &hi) ||
	    (hi > lo && guest_mem_alloc(&r.gm, lo, hi - lo)))
		return -1;
	r.checks = calloc(log->nr_events, sizeof(*r.checks));
	if (!r.checks) {
		pr_err("out of memory for %zu log events", log->nr_events);
		goto out;
	}
	for (i = 0; i < log->nr_events; i++) {
		const struct log_event *ev = &log->events[i];

		/* Only PCR 0 maps to the RIM; others are REM extensions. */
		if (ev->pcr != 0)
			continue;
		if (replay_event(&r, ev))
			goto out;
	}
	if (!r.started) {
		pr_err("event log has no REALM_CREATE event");
		goto out;
	}
	/* A file the verifier expected to be measured, but was not. */
	for (i = 0; i <= BLOB_FIRMWARE; i++) {
		if ((blobs[i].data || blobs[i].has_fd) && !r.used[i]) {
			pr_err("%s was given for %s, but the log measures no %s",
			       blobs[i].path, blob_kind_name(i),
			       blob_kind_name(i));
			goto out;
		}
	}
	if (plan_add_activate(&r.plan, r.prof->kvm_creates_recs))
		goto out;
	digests = calloc(r.plan.nr_ops, RIM_MAX_SIZE);
	if (!digests) {
		pr_err("out of memory for the blob digests");
		goto out;
	}
	if (rim_measure_plan_blobs(&r.plan, &r.gm, default_hash_threads(),
				   NULL, NULL, res->rim, digests) ||
	    check_digests(&r, digests))
		goto out;
	ret = 0;
out:
	free(digests);
	free(r.checks);
	plan_free(&r.plan);
	guest_mem_free(&r.gm);
	return ret;
}

/*
 * Replay; for a kvmtool log whose populate step the log cannot tell
 * (auto chose 64 KiB) and whose RIM is not the expected one, the other
 * kvmtool launch (cca/v2, 4 KiB) is tried before giving up.
 */
int event_log_replay_expect(const struct event_log *log,
			    const struct host_profile *prof,
			    enum populate_step step,
			    const struct replay_blob blobs[BLOB_FIRMWARE + 1],
			    const uint8_t *want, size_t want_len,
			    struct replay_result *res)
{
	struct replay_result again;

	if (event_log_replay_step(log, prof, step, blobs, res))
		return -1;
	if (!want || log->origin != LOG_ORIGIN_KVMTOOL ||
	    step != POPULATE_AUTO || res->populate_step == 4096 ||
	    (want_len == res->rim_size && !memcmp(want, res->rim, want_len)))
		return 0;
	if (event_log_replay_step(log, prof, POPULATE_4K, blobs, &again) == 0 &&
	    want_len == again.rim_size && !memcmp(want, again.rim, want_len))
		*res = again;
	return 0;
}
