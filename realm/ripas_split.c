/*
 * A model of the stage-2 RTT state and of the host's INIT_RIPAS loop,
 * precise enough to know which RTT entries RMM 1.0 measures.  RMM 1.0
 * writes one RIPAS descriptor per entry it walks, so the RIM depends on
 * the table levels the host created, which depend on the populated pages
 * and on how the host reacts to ERROR_RTT.  Facts and the worked example:
 * kvm-v12-v14-first-run.md section 2 (KVM ripas_change, find_map_level,
 * TF-RMM smc_rtt_init_ripas).
 *
 * The model keeps only what decides a walk: which blocks have a next-level
 * table, and which 4K pages are assigned (populated).  RIPAS EMPTY and RAM
 * entries are measured alike, so the RIPAS value itself is not tracked.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "realm/plan.h"
#include "realm/ripas_split.h"
#include "vmm/util.h"

#define RTT_LEVELS		4
#define RTT_PAGE_LEVEL		3
/* 4K-granule stage 2 has no level-0 blocks */
#define RTT_MIN_BLOCK_LEVEL	1
#define RTT_ENTRIES		512

/* A sorted set of addresses (table keys) or of ranges (populated pages). */
struct addr_set {
	uint64_t *v;
	size_t n, cap;
};

struct rtt_model {
	int sl;
	bool skip_hack;
	/* tables[l]: bases of level-l tables (each spans a level l-1 entry) */
	struct addr_set tables[RTT_LEVELS];
	/* populated pages: sorted disjoint [v[2i], v[2i+1]) ranges */
	struct addr_set pop;
};

static uint64_t level_size(int level)
{
	return GRANULE_SIZE << (9 * (RTT_PAGE_LEVEL - level));
}

int rtt_start_level(unsigned int s2sz)
{
	/* KVM: 4 - (ia_bits - 8) / 9 levels of 4K tables, with concatenation */
	int sl = 4 - ((int)s2sz - 8) / 9;

	return sl < 0 ? 0 : sl;
}

/* Index of the first element >= x. */
static size_t set_lower(const struct addr_set *s, uint64_t x, size_t stride)
{
	size_t lo = 0, hi = s->n / stride;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->v[mid * stride] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool set_has(const struct addr_set *s, uint64_t x)
{
	size_t i = set_lower(s, x, 1);

	return i < s->n && s->v[i] == x;
}

static int set_insert_at(struct addr_set *s, size_t i, const uint64_t *x,
			 size_t count)
{
	if (s->n + count > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		uint64_t *v;

		while (cap < s->n + count)
			cap *= 2;
		v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return pr_err("out of memory modelling the RTTs");
		s->v = v;
		s->cap = cap;
	}
	memmove(s->v + i + count, s->v + i, (s->n - i) * sizeof(*s->v));
	memcpy(s->v + i, x, count * sizeof(*x));
	s->n += count;
	return 0;
}

static int set_add(struct addr_set *s, uint64_t x)
{
	size_t i = set_lower(s, x, 1);

	if (i < s->n && s->v[i] == x)
		return 0;
	return set_insert_at(s, i, &x, 1);
}

static bool table_exists(const struct rtt_model *m, int level, uint64_t ipa)
{
	if (level <= m->sl)
		return true;	/* the root (concatenated) tables */
	return set_has(&m->tables[level],
		       ALIGN_DOWN(ipa, level_size(level - 1)));
}

static int create_tables(struct rtt_model *m, int from, int to, uint64_t ipa)
{
	int l;

	for (l = MAX(from, m->sl + 1); l <= to; l++)
		if (set_add(&m->tables[l], ALIGN_DOWN(ipa, level_size(l - 1))))
			return -1;
	return 0;
}

static bool page_assigned(const struct rtt_model *m, uint64_t ipa)
{
	size_t i = set_lower(&m->pop, ipa + 1, 2);

	/* the range starting at or before ipa is the one before index i */
	if (!i)
		return false;
	i--;
	return ipa >= m->pop.v[2 * i] && ipa < m->pop.v[2 * i + 1];
}

/* What DATA_CREATE leaves: the page assigned, tables down to level 3. */
static int populate(struct rtt_model *m, uint64_t base, uint64_t size)
{
	uint64_t r[2] = { base, base + size };
	uint64_t a;
	int l;

	if (!size)
		return 0;
	for (l = m->sl + 1; l <= RTT_PAGE_LEVEL; l++) {
		uint64_t span = level_size(l - 1);

		for (a = ALIGN_DOWN(base, span); a < base + size; a += span)
			if (set_add(&m->tables[l], a))
				return -1;
	}
	return set_insert_at(&m->pop, 2 * set_lower(&m->pop, base, 2), r, 2);
}

/* KVM's find_map_level: the largest aligned block that fits [ipa, end). */
static int find_map_level(const struct rtt_model *m, uint64_t ipa,
			  uint64_t end)
{
	int level = RTT_PAGE_LEVEL;
	int min = MAX(m->sl, RTT_MIN_BLOCK_LEVEL);

	while (level > min) {
		uint64_t sz = level_size(level - 1);

		if (!IS_ALIGNED(ipa, sz) || ipa + sz > end)
			break;
		level--;
	}
	return level;
}

/*
 * RMM 1.0 RMI_RTT_INIT_RIPAS(base, top): walk one table from base.
 * Returns true (SUCCESS, *next set) if it made progress, false for
 * ERROR_RTT with *err_level set.
 */
static int rmm_init_ripas(const struct rtt_model *m, uint64_t base,
			  uint64_t top, ripas_entry_fn entry, void *opaque,
			  uint64_t *next, int *err_level, bool *success)
{
	uint64_t esz, table_end, a;
	int level = m->sl;

	while (level < RTT_PAGE_LEVEL && table_exists(m, level + 1, base))
		level++;
	esz = level_size(level);
	*success = false;
	*err_level = level;
	if (!IS_ALIGNED(base, esz))
		return 0;
	table_end = ALIGN_DOWN(base, esz * RTT_ENTRIES) + esz * RTT_ENTRIES;
	for (a = base; a < table_end; a += esz) {
		if (a + esz > top)
			break;
		if (level < RTT_PAGE_LEVEL && table_exists(m, level + 1, a))
			break;		/* a TABLE entry */
		if (level == RTT_PAGE_LEVEL && page_assigned(m, a))
			break;		/* ASSIGNED */
		if (entry && entry(a, a + esz, opaque))
			return -1;
		*success = true;
	}
	*next = a;
	return 0;
}

/* The host's loop (KVM ripas_change / realm_init_ipa_range). */
static int host_init_ripas(struct rtt_model *m, uint64_t base, uint64_t top,
			   ripas_entry_fn entry, void *opaque)
{
	uint64_t ipa = base, next = 0;

	while (ipa < top) {
		int err_level, want;
		bool ok;

		if (rmm_init_ripas(m, ipa, top, entry, opaque, &next,
				   &err_level, &ok))
			return -1;
		if (ok) {
			ipa = next;
			continue;
		}
		want = find_map_level(m, ipa, top);
		if (err_level < want) {
			if (create_tables(m, err_level + 1, want, ipa))
				return -1;
			continue;
		}
		/* v12/v13: "FIXME: Ugly hack to skip regions already RAM" */
		if (m->skip_hack) {
			ipa += GRANULE_SIZE;
			continue;
		}
		/* v7..v11 KVM: WARN_ON and -ENXIO */
		return pr_err("the host would fail INIT_RIPAS at 0x%llx (RTT level %d)",
			      (unsigned long long)ipa, err_level);
	}
	return 0;
}

static void model_free(struct rtt_model *m)
{
	int l;

	for (l = 0; l < RTT_LEVELS; l++)
		free(m->tables[l].v);
	free(m->pop.v);
}

int ripas_split(const struct plan *plan, uint64_t base, uint64_t top,
		ripas_entry_fn entry, void *opaque)
{
	struct rtt_model m;
	size_t i;
	int ret = 0;

	if (!IS_ALIGNED(base, GRANULE_SIZE) || !IS_ALIGNED(top, GRANULE_SIZE) ||
	    base >= top)
		return pr_err("INIT_RIPAS range 0x%llx..0x%llx is empty or not 4K aligned",
			      (unsigned long long)base,
			      (unsigned long long)top);
	if (plan->params.s2sz < 32 || plan->params.s2sz > 52 ||
	    top > (1ULL << (plan->params.s2sz - 1)))
		return pr_err("INIT_RIPAS range 0x%llx..0x%llx is outside the %u-bit protected IPA space",
			      (unsigned long long)base,
			      (unsigned long long)top, plan->params.s2sz);
	memset(&m, 0, sizeof(m));
	m.sl = rtt_start_level(plan->params.s2sz);
	m.skip_hack = plan->profile->ripas_skip_hack;
	/* Replay what the host did before: populates and RIPAS calls. */
	for (i = 0; i < plan->nr_ops && !ret; i++) {
		const struct plan_op *op = &plan->ops[i];

		if (op->kind == PLAN_DATA)
			ret = populate(&m, op->data.ipa, op->data.size);
		else if (op->kind == PLAN_RIPAS_CALL)
			ret = host_init_ripas(&m, op->ripas.base,
					      op->ripas.top, NULL, NULL);
	}
	if (!ret)
		ret = host_init_ripas(&m, base, top, entry, opaque);
	model_free(&m);
	return ret;
}
