/*
 * The strongest check available without CCA hardware: replay the ioctls
 * a launch issued (recorded at the KVM boundary by the fake KVM) through a
 * small model of what KVM and the RMM measure for them, and compare the
 * RIM that gives with the dry run's RIM of the same plan.  The model is
 * written from the series facts (docs/host-abi-sequences.md, kvm-rme-uapi
 * and kvm-v12-v14-first-run), not from the plan: it rebuilds the realm
 * parameters from the VM type, CONFIG, VCPU_INIT and ONE_REG calls, hashes
 * granules itself with OpenSSL, and only uses rim.h's descriptor
 * primitives (checked against public vectors in test_rim.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>

#include "realm/backend.h"
#include "realm/kvm_cca_uapi.h"
#include "realm/plan.h"
#include "realm/rim.h"
#include "vmm/util.h"
#include "kvm_recorder.h"

#define RMI_MEASURE	1ULL	/* RmiDataFlags.measure */
#define REC_RUNNABLE	1ULL

struct model {
	const struct kvm_recorder *r;
	const struct guest_mem *gm;
	struct realm_params p;
	uint8_t rim[64];
	bool created;
	int vcpu_fd[MAX_VCPUS];
	bool powered_off[MAX_VCPUS];
	uint64_t pc[MAX_VCPUS], x[MAX_VCPUS][8];
	unsigned int nr_vcpus;
};

static int vcpu_index(struct model *m, int fd)
{
	unsigned int i;

	for (i = 0; i < m->nr_vcpus; i++)
		if (m->vcpu_fd[i] == fd)
			return (int)i;
	return -1;
}

static void granule_digest(struct model *m, uint64_t ipa, uint8_t *out)
{
	const uint8_t *src = gm_ptr(m->gm, ipa, 4096);
	unsigned int len;

	assert_non_null(src);
	assert_int_equal(EVP_Digest(src, 4096, out, &len,
				    m->p.hash_algo == HASH_SHA512 ?
				    EVP_sha512() : EVP_sha256(), NULL), 1);
}

static void measure_data(struct model *m, uint64_t base, uint64_t size,
			 bool measure)
{
	uint8_t d[64];
	uint64_t off;

	for (off = 0; off < size; off += 4096) {
		memset(d, 0, sizeof(d));
		if (measure)
			granule_digest(m, base + off, d);
		assert_int_equal(rim_extend_data(m->p.hash_algo, m->rim,
						 base + off,
						 measure ? RMI_MEASURE : 0, d),
				 0);
	}
}

/* What KVM passes to REALM_CREATE, from the calls that shaped the VM. */
static void track_params(struct model *m, const struct rec_call *c)
{
	const struct kvm_one_reg *reg = (const void *)c->data;
	uint64_t v = 0;
	int vq;

	if (c->req == KVM_CREATE_VM)
		m->p.s2sz = (uint8_t)(c->arg & 0xff);
	if (c->req == KVM_CREATE_VCPU) {
		m->vcpu_fd[m->nr_vcpus++] = c->ret;
		assert_int_equal(c->arg, m->nr_vcpus - 1);
	}
	if (c->req == RVM_ARM_VCPU_INIT) {
		uint32_t f = ((const struct rvm_vcpu_init *)c->data)
			     ->features[0];

		if (f & (1U << 4))
			m->p.flags |= REALM_FLAG_SVE;
		if (f & (1U << 3))
			m->p.flags |= REALM_FLAG_PMU;
		m->powered_off[vcpu_index(m, c->fd)] = f & 1U;
	}
	if ((c->req == KVM_GET_ONE_REG || c->req == KVM_SET_ONE_REG) &&
	    c->sub_len) {
		memcpy(&v, c->sub, 8);
		if (reg->id == RVM_REG_SVE_VLS) {
			uint64_t vls[8];

			memcpy(vls, c->sub, sizeof(vls));
			for (vq = 512; vq > 0; vq--)
				if (vls[(vq - 1) / 64] &
				    (1ULL << ((vq - 1) % 64)))
					break;
			m->p.sve_vl = (uint8_t)(vq - 1);
		} else if (reg->id == RVM_REG_ID_AA64DFR0_EL1) {
			m->p.num_bps = (v >> 12) & 0xf;
			m->p.num_wps = (v >> 20) & 0xf;
		} else if (reg->id == RVM_REG_PMCR_EL0) {
			m->p.pmu_num_ctrs = (v >> 11) & 0x1f;
		}
	}
	if (c->req == KVM_SET_ONE_REG) {
		int i = vcpu_index(m, c->fd);
		uint64_t core = reg->id & ~0x6030000000100000ULL;

		assert_true(i >= 0);
		if (core == 0x40)
			m->pc[i] = v;
		else if (core < 16 && !(core & 1))
			m->x[i][core / 2] = v;
	}
}

static void start_realm(struct model *m)
{
	if (!(m->p.flags & REALM_FLAG_SVE))
		m->p.sve_vl = 0;
	if (!(m->p.flags & REALM_FLAG_PMU))
		m->p.pmu_num_ctrs = 0;
	assert_int_equal(rim_init(&m->p, m->rim), 0);
	m->created = true;
}

/* v5..v11 on RMM 1.0: every step is the VMM's ENABLE_CAP(RME). */
static void replay_v10(struct model *m)
{
	const struct rec_call *c;
	size_t i;

	for (i = 0; (c = recorder_call(m->r, i)); i++) {
		const struct kvm_enable_cap *cap = (const void *)c->data;

		track_params(m, c);
		if (c->req == RVM_ARM_VCPU_FINALIZE &&
		    *(const int *)c->data == 9) {
			int v = vcpu_index(m, c->fd);

			assert_true(m->created);
			assert_int_equal(rim_extend_rec(m->p.hash_algo, m->rim,
					 m->powered_off[v] ? 0 : REC_RUNNABLE,
					 m->pc[v], m->x[v]), 0);
		}
		if (c->req != KVM_ENABLE_CAP)
			continue;
		if (cap->args[0] == 0) {
			const struct rvm_rme_config *cfg = (const void *)c->sub;

			if (cfg->cfg == 1)
				m->p.hash_algo = (uint8_t)cfg->hash_algo;
		} else if (cap->args[0] == 1) {
			start_realm(m);
		} else if (cap->args[0] == 2) {
			const struct rvm_rme_init_ripas *ir =
				(const void *)c->sub;
			uint64_t b;

			/*
			 * Nothing populated yet and s2sz 33 (start level 2):
			 * one descriptor per 2 MiB level-2 entry.
			 */
			assert_int_equal(m->p.s2sz, 33);
			assert_int_equal(ir->base % (2 << 20), 0);
			assert_int_equal(ir->size % (2 << 20), 0);
			for (b = ir->base; b < ir->base + ir->size;
			     b += 2 << 20)
				assert_int_equal(rim_extend_ripas(
					m->p.hash_algo, m->rim, b,
					b + (2 << 20)), 0);
		} else if (cap->args[0] == 3) {
			const struct rvm_rme_populate *pop =
				(const void *)c->sub;

			measure_data(m, pop->base, pop->size, pop->flags & 1);
		}
	}
}

/*
 * v13/v14 on RMM 2.0: the RD appears at the first populate; the first
 * KVM_RUN makes one REC per vCPU in index order (vcpu_id 0 runnable) from
 * its registers; INIT_RIPAS is not measured.
 */
static void replay_v14(struct model *m)
{
	const struct rec_call *c;
	size_t i;
	unsigned int v;

	m->p.hash_algo = HASH_SHA256;	/* the zeroed params page */
	for (i = 0; (c = recorder_call(m->r, i)); i++) {
		track_params(m, c);
		if (c->req == RVM_RMI_POPULATE_V13) {
			const struct rvm_rmi_populate *p =
				(const void *)c->data;

			if (!m->created)
				start_realm(m);
			/* the fake KVM does a whole range per call here */
			measure_data(m, p->base, p->size, p->flags & 1);
		}
		if (c->req == KVM_RUN)
			break;
	}
	assert_non_null(c);
	if (!m->created)
		start_realm(m);
	for (v = 0; v < m->nr_vcpus; v++)
		assert_int_equal(rim_extend_rec(m->p.hash_algo, m->rim,
						v == 0 ? REC_RUNNABLE : 0,
						m->pc[v], m->x[v]), 0);
}

/* ---- v12 (RMM 1.0): KVM's INIT_RIPAS loop after the RECs ---- */

#define SZ4K	0x1000ULL
#define SZ2M	0x200000ULL

struct rtt_model {
	uint64_t base, end;		/* the guest_memfd slot */
	uint8_t *populated;		/* per 4K page of the slot */
	uint8_t *table;			/* per 2M block: L3 table made */
};

static bool page_assigned(const struct rtt_model *t, uint64_t ipa)
{
	return t->populated[(ipa - t->base) / SZ4K];
}

static bool block_table(const struct rtt_model *t, uint64_t ipa)
{
	return t->table[(ipa - t->base) / SZ2M];
}

/* find_map_level() for start level 2 (s2sz 33) */
static unsigned int map_level(uint64_t ipa, uint64_t end)
{
	return (ipa % SZ2M == 0 && ipa + SZ2M <= end) ? 2 : 3;
}

/*
 * TF-RMM 1.0 RTT_INIT_RIPAS(ipa, top): walk one table from ipa, measuring
 * each UNASSIGNED entry, stopping at an assigned page, a table entry, the
 * table's end or top.  Returns the next IPA, or 0 with *err_level set.
 */
static uint64_t rmm_init_ripas(struct model *m, struct rtt_model *t,
			       uint64_t ipa, uint64_t top,
			       unsigned int *err_level)
{
	unsigned int level = block_table(t, ipa) ? 3 : 2;
	uint64_t size = level == 3 ? SZ4K : SZ2M;
	uint64_t table_end = level == 3 ? ALIGN_UP(ipa + 1, SZ2M) :
			     ALIGN_UP(ipa + 1, 1ULL << 30);
	uint64_t e = ipa;

	*err_level = level;
	if (ipa % size)
		return 0;
	for (; e < table_end && e + size <= top; e += size) {
		if (level == 3 ? page_assigned(t, e) : block_table(t, e))
			break;
		assert_int_equal(rim_extend_ripas(m->p.hash_algo, m->rim, e,
						  e + size), 0);
	}
	return e == ipa ? 0 : e;
}

static void kvm_v12_ripas(struct model *m, struct rtt_model *t)
{
	uint64_t ipa = t->base, next;
	unsigned int err;

	while (ipa < t->end) {
		next = rmm_init_ripas(m, t, ipa, t->end, &err);
		if (next) {
			ipa = next;
			continue;
		}
		if (err >= map_level(ipa, t->end))
			ipa += SZ4K;	/* v12's skip of populated pages */
		else
			t->table[(ipa - t->base) / SZ2M] = 1; /* RTT_CREATE */
	}
}

static void replay_v12(struct model *m, uint64_t ram_base, uint64_t ram_size)
{
	struct rtt_model t = { ram_base, ram_base + ram_size, NULL, NULL };
	const struct rec_call *c;
	uint64_t off;
	size_t i;
	unsigned int v;

	t.populated = calloc(ram_size / SZ4K, 1);
	t.table = calloc(ram_size / SZ2M, 1);
	assert_non_null(t.populated);
	assert_non_null(t.table);
	m->p.hash_algo = HASH_SHA256;
	for (i = 0; (c = recorder_call(m->r, i)); i++) {
		track_params(m, c);
		if (c->req == RVM_RMI_POPULATE_V12) {
			const struct rvm_rmi_populate *p =
				(const void *)c->data;

			if (!m->created)
				start_realm(m);
			/* c->ret bytes done from base, one DATA each 4K */
			measure_data(m, p->base, (uint64_t)c->ret,
				     p->flags & 1);
			for (off = 0; off < (uint64_t)c->ret; off += SZ4K) {
				uint64_t o = p->base + off - t.base;

				t.populated[o / SZ4K] = 1;
				/* DATA_CREATE needs an L3 table there */
				t.table[o / SZ2M] = 1;
			}
		}
		if (c->req == KVM_RUN)
			break;
	}
	assert_non_null(c);
	if (!m->created)
		start_realm(m);
	for (v = 0; v < m->nr_vcpus; v++)
		assert_int_equal(rim_extend_rec(m->p.hash_algo, m->rim,
						v == 0 ? REC_RUNNABLE : 0,
						m->pc[v], m->x[v]), 0);
	kvm_v12_ripas(m, &t);
	free(t.populated);
	free(t.table);
}

static void fill_images(struct realm_fixture *f)
{
	const struct layout *lay = &f->b.lay;
	uint8_t *p;
	uint64_t i;

	p = gm_ptr(&f->b.gm, lay->kernel.ipa, lay->kernel.size);
	for (i = 0; i < lay->kernel.size; i++)
		p[i] = (uint8_t)(i * 7 + 1);
	p = gm_ptr(&f->b.gm, lay->initrd.ipa, lay->initrd.size);
	for (i = 0; i < lay->initrd.size; i++)
		p[i] = (uint8_t)(i ^ 0x5a);
	p = gm_ptr(&f->b.gm, lay->dtb.ipa, lay->dtb.size);
	memset(p, 0xd0, lay->dtb.size);
}

static void check(enum host_abi abi, unsigned int cap, unsigned int cpus,
		  const struct realm_params *params)
{
	struct realm_fixture f;
	struct model m;
	uint8_t dry[64];
	size_t hsz;

	realm_fixture_init(&f, abi, cpus, params);
	f.rec.caps[f.rec.nr_caps++] = cap;
	f.rec.dfr0 = (5ULL << 12) | (3ULL << 20);
	f.rec.sve_vls[0] = 0xf;
	f.rec.pmcr = 6ULL << 11;
	f.rec.rmi_advance = cap != 247;
	f.rec.populate_chunk = cap == 247 ? 3 * 4096 : 1ULL << 40;
	fill_images(&f);
	assert_int_equal(rim_measure_plan(&f.b.plan, &f.b.gm, 1, NULL, NULL,
					  dry), 0);
	assert_int_equal(realm_launch_ops(&f.b, &f.rec.ops), 0);

	memset(&m, 0, sizeof(m));
	m.r = &f.rec;
	m.gm = &f.b.gm;
	if (abi == HOST_CCA_V10)
		replay_v10(&m);
	else if (abi == HOST_CCA_V12)
		replay_v12(&m, f.b.lay.ram_base, f.b.lay.ram_size);
	else
		replay_v14(&m);
	hsz = params->hash_algo == HASH_SHA512 ? 64 : 32;
	assert_memory_equal(m.rim, dry, hsz);
	realm_fixture_free(&f);
}

static void test_rim_v10_sha512_sve_pmu(void **state)
{
	struct realm_params p;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.flags = REALM_FLAG_SVE | REALM_FLAG_PMU;
	p.s2sz = 33;
	p.sve_vl = 1;
	p.num_bps = 1;
	p.num_wps = 2;
	p.pmu_num_ctrs = 3;
	p.hash_algo = HASH_SHA512;
	check(HOST_CCA_V10, 244, 2, &p);
}

static void test_rim_v10_sha256(void **state)
{
	struct realm_params p;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.s2sz = 33;
	p.num_bps = 5;
	p.num_wps = 3;
	check(HOST_CCA_V10, 244, 1, &p);
}

static void test_rim_v14(void **state)
{
	struct realm_params p;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.flags = REALM_FLAG_SVE;
	p.s2sz = 33;
	p.sve_vl = 3;
	p.num_bps = 2;
	p.num_wps = 1;
	check(HOST_CCA_V14, 249, 2, &p);
}

static void test_rim_v12_pmu(void **state)
{
	struct realm_params p;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.flags = REALM_FLAG_PMU;
	p.s2sz = 33;
	p.num_bps = 5;
	p.num_wps = 3;
	p.pmu_num_ctrs = 6;
	check(HOST_CCA_V12, 247, 2, &p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rim_v10_sha512_sve_pmu),
		cmocka_unit_test(test_rim_v10_sha256),
		cmocka_unit_test(test_rim_v12_pmu),
		cmocka_unit_test(test_rim_v14),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
