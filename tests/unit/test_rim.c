/*
 * RIM engine tests against public vectors: Veraison's REALM_CREATE vectors
 * (SHA-256, SHA-512, and the event_log.rs base64 one), the C0..C4 chain
 * checked against TF-RMM's own code and its RMM 2.0 variant
 * (rim-and-eventlog.md section 2).  Also: the plan walk reaches the same
 * RIMs, single- and multi-threaded hashing agree with a chain built from
 * the primitives, the step callback and the --trace lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "realm/plan.h"
#include "realm/rim.h"
#include "realm/trace.h"
#include "vmm/guest_mem.h"
#include "vmm/util.h"

#define C0 "39ad630fb9d2019f2be445c17430b6372c999e1d205f7ddaa5d00b5d13b83c76"
#define C1 "2958d5fe119e11b56232cc29a16415a46c98a3f575116487573be88548958cb3"
#define C2 "cd572295c8300db7f1ac2d6dfc992e66bd1cd0efbedf0f57b2875475edf40731"
#define C3 "a049c3539f0bc545d35e6cbe08b78425682d8de97620b326bd50a4457fd76087"
#define C4 "c22dbce2097e6f98a20a814b76f6a4cd606d09f8792f4079fe3d1e282858884f"
#define C4_RMM2 "a96d03bb6cc6279c3677aa733e6e5f9d7d5a8c428d5eb073b5b4594fdb16c74d"

static void assert_hex(const uint8_t *got, size_t len, const char *want)
{
	char hex[2 * RIM_MAX_SIZE + 1];

	hex_encode(got, len, hex);
	assert_string_equal(hex, want);
}

static struct realm_params c0_params(void)
{
	struct realm_params p;

	memset(&p, 0, sizeof(p));
	p.s2sz = 33;
	p.num_bps = 1;
	p.num_wps = 1;
	p.hash_algo = HASH_SHA256;
	return p;
}

/* The C2 page: bytes 0..255 repeated 16 times. */
static void c2_page(uint8_t *page)
{
	int i;

	for (i = 0; i < 4096; i++)
		page[i] = i & 0xff;
}

static void test_hash_basics(void **state)
{
	uint8_t out[64];

	(void)state;
	assert_int_equal(hash_size(HASH_SHA256), 32);
	assert_int_equal(hash_size(HASH_SHA512), 64);
	assert_int_equal(hash_size((enum hash_algo)7), 0);
	assert_string_equal(hash_name(HASH_SHA256), "sha256");
	assert_string_equal(hash_name(HASH_SHA512), "sha512");
	/* FIPS 180-2 "abc" */
	assert_int_equal(hash_buffer(HASH_SHA256, "abc", 3, out), 0);
	assert_hex(out, 32, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(hash_buffer(HASH_SHA512, "abc", 3, out), 0);
	assert_hex(out, 64, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	/* RmiHashAlgorithm 2 (RMM 2.0) is in the algorithm table too */
	assert_int_equal(hash_size((enum hash_algo)2), 48);
	assert_int_equal(hash_buffer((enum hash_algo)2, "abc", 3, out), 0);
	assert_hex(out, 48, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
	assert_int_equal(hash_buffer((enum hash_algo)7, "abc", 3, out), -1);
}

static void test_veraison_create_sha256(void **state)
{
	struct realm_params p;
	uint8_t rim[RIM_MAX_SIZE];

	(void)state;
	memset(&p, 0, sizeof(p));
	p.s2sz = 48;
	p.num_bps = 1;
	p.num_wps = 1;
	p.hash_algo = HASH_SHA256;
	assert_int_equal(rim_init(&p, rim), 0);
	assert_hex(rim, 32, "6739dfb22b75ee1268d08dfa8369f501bc0b066243553f069f560d1fa1172973");
}

static void test_veraison_create_sha512(void **state)
{
	struct realm_params p;
	uint8_t rim[RIM_MAX_SIZE];

	(void)state;
	memset(&p, 0, sizeof(p));
	p.s2sz = 48;
	p.num_bps = 1;
	p.num_wps = 1;
	p.hash_algo = HASH_SHA512;
	assert_int_equal(rim_init(&p, rim), 0);
	assert_hex(rim, 64, "799e434048fb57eb9d4f0e2a2b98158720377252deab2bdfcd69b5a8f82237f434bd6bb1c75bf160a2d49382f733b3439a3ff769e4ea5dd9a6f72239d44bbbab");
}

static void test_veraison_event_log_vector(void **state)
{
	const char *b64 = "iWDVaCY3CqpvybOgQdQkBolYK6QeKti7j5rfbSoM1ec=";
	uint8_t want[48], rim[RIM_MAX_SIZE];
	struct realm_params p;
	int n;

	(void)state;
	n = EVP_DecodeBlock(want, (const unsigned char *)b64, strlen(b64));
	assert_int_equal(n, 33);	/* 32 bytes + one '=' pad */
	memset(&p, 0, sizeof(p));
	p.s2sz = 48;
	p.num_bps = 5;
	p.num_wps = 3;
	p.hash_algo = HASH_SHA256;
	assert_int_equal(rim_init(&p, rim), 0);
	assert_memory_equal(rim, want, 32);
}

static void test_rpv_not_measured(void **state)
{
	struct realm_params p = c0_params();
	uint8_t rim[RIM_MAX_SIZE];

	(void)state;
	memset(p.rpv, 0xa5, sizeof(p.rpv));
	assert_int_equal(rim_init(&p, rim), 0);
	assert_hex(rim, 32, C0);
}

static void test_chain_primitives(void **state)
{
	struct realm_params p = c0_params();
	uint64_t gprs[8] = { 0x80100000 };
	uint8_t rim[RIM_MAX_SIZE], page[4096], content[32];

	(void)state;
	c2_page(page);
	SHA256(page, sizeof(page), content);
	assert_int_equal(rim_init(&p, rim), 0);
	assert_hex(rim, 32, C0);
	assert_int_equal(rim_extend_ripas(HASH_SHA256, rim, 0x80000000,
					  0x80200000), 0);
	assert_hex(rim, 32, C1);
	assert_int_equal(rim_extend_data(HASH_SHA256, rim, 0x80000000, 1,
					 content), 0);
	assert_hex(rim, 32, C2);
	assert_int_equal(rim_extend_data(HASH_SHA256, rim, 0x80001000, 0,
					 content), 0);
	assert_hex(rim, 32, C3);
	/* A non-runnable REC does not change the RIM. */
	assert_int_equal(rim_extend_rec(HASH_SHA256, rim, 0, 0x80000000,
					gprs), 0);
	assert_hex(rim, 32, C3);
	assert_int_equal(rim_extend_rec(HASH_SHA256, rim, 1, 0x80000000,
					gprs), 0);
	assert_hex(rim, 32, C4);
}

static void test_chain_rmm2(void **state)
{
	struct realm_params p = c0_params();
	uint64_t gprs[8] = { 0x80100000 };
	uint8_t rim[RIM_MAX_SIZE], page[4096], content[32];

	(void)state;
	c2_page(page);
	SHA256(page, sizeof(page), content);
	assert_int_equal(rim_init(&p, rim), 0);
	assert_int_equal(rim_extend_data(HASH_SHA256, rim, 0x80000000, 1,
					 content), 0);
	assert_int_equal(rim_extend_data(HASH_SHA256, rim, 0x80001000, 0,
					 content), 0);
	assert_int_equal(rim_extend_rec(HASH_SHA256, rim, 1, 0x80000000,
					gprs), 0);
	assert_hex(rim, 32, C4_RMM2);
}

/* The C0..C4 chain as a plan: CREATE, RIPAS, DATA x2, REC0, REC1, ACTIVATE. */
static void c_plan(struct plan *plan, struct guest_mem *gm, bool ripas)
{
	const struct host_profile *prof =
		host_profile_get(ripas ? HOST_CCA_V10 : HOST_CCA_V14);
	struct realm_params p = c0_params();
	struct plan_op op;
	uint64_t gprs[8] = { 0x80100000 };
	uint64_t none[8] = { 0 };

	assert_int_equal(guest_mem_alloc(gm, 0x80000000, 4 << 20), 0);
	c2_page(gm_ptr(gm, 0x80000000, 4096));
	plan_begin(plan, prof, &p, false);
	if (ripas) {
		memset(&op, 0, sizeof(op));
		op.kind = PLAN_RIPAS_CALL;
		op.ripas.base = 0x80000000;
		op.ripas.top = 0x80200000;
		assert_int_equal(plan_push(plan, &op), 0);
		op.kind = PLAN_RIPAS;
		assert_int_equal(plan_push(plan, &op), 0);
	}
	assert_int_equal(plan_add_data(plan, 0x80000000, 0x1000, true,
				       BLOB_KERNEL, 0x80000000, 0x1000), 0);
	assert_int_equal(plan_add_data(plan, 0x80001000, 0x1000, false,
				       BLOB_LOG, 0x80001000, 0x1000), 0);
	assert_int_equal(plan_add_rec(plan, 0, 0, 1, 0x80000000, gprs, false),
			 0);
	assert_int_equal(plan_add_rec(plan, 1, 1, 0, 0, none, false), 0);
	assert_int_equal(plan_add_activate(plan, false), 0);
}

struct step_log {
	int n;
	int kinds[16];
	bool extends[16];
	char rims[16][65];
};

static int log_step(const struct rim_step *s, void *opaque)
{
	struct step_log *l = opaque;

	assert_true(l->n < 16);
	l->kinds[l->n] = s->op->kind;
	l->extends[l->n] = s->extends;
	hex_encode(s->rim, 32, l->rims[l->n]);
	l->n++;
	return 0;
}

static void test_plan_chain_rmm1(void **state)
{
	struct step_log l = { 0 };
	struct guest_mem gm;
	struct plan plan;
	uint8_t rim[RIM_MAX_SIZE];

	(void)state;
	c_plan(&plan, &gm, true);
	assert_int_equal(rim_measure_plan(&plan, &gm, 1, log_step, &l, rim), 0);
	assert_hex(rim, 32, C4);
	/* RIPAS_CALL and ACTIVATE give no step; the idle REC does. */
	assert_int_equal(l.n, 6);
	assert_int_equal(l.kinds[0], PLAN_CREATE);
	assert_string_equal(l.rims[0], C0);
	assert_int_equal(l.kinds[1], PLAN_RIPAS);
	assert_string_equal(l.rims[1], C1);
	assert_int_equal(l.kinds[2], PLAN_DATA);
	assert_string_equal(l.rims[2], C2);
	assert_int_equal(l.kinds[3], PLAN_DATA);
	assert_string_equal(l.rims[3], C3);
	assert_int_equal(l.kinds[4], PLAN_REC);
	assert_true(l.extends[4]);
	assert_string_equal(l.rims[4], C4);
	assert_int_equal(l.kinds[5], PLAN_REC);
	assert_false(l.extends[5]);
	assert_string_equal(l.rims[5], C4);
	plan_free(&plan);
	guest_mem_free(&gm);
}

static void test_plan_chain_rmm2(void **state)
{
	struct guest_mem gm;
	struct plan plan;
	uint8_t rim[RIM_MAX_SIZE];

	(void)state;
	c_plan(&plan, &gm, false);
	assert_int_equal(rim_measure_plan(&plan, &gm, 4, NULL, NULL, rim), 0);
	assert_hex(rim, 32, C4_RMM2);
	plan_free(&plan);
	guest_mem_free(&gm);
}

static void test_trace_lines(void **state)
{
	struct guest_mem gm;
	struct plan plan;
	uint8_t rim[RIM_MAX_SIZE], page[4096], content[32];
	char chex[65], want[4096], *buf = NULL;
	size_t len = 0;
	FILE *out;

	(void)state;
	c2_page(page);
	SHA256(page, sizeof(page), content);
	hex_encode(content, 32, chex);
	c_plan(&plan, &gm, true);
	out = open_memstream(&buf, &len);
	assert_non_null(out);
	assert_int_equal(rim_measure_plan(&plan, &gm, 1, rim_trace_step, out,
					  rim), 0);
	fclose(out);
	snprintf(want, sizeof(want),
		 "CREATE flags=0x0 s2sz=33 sve_vl=0 num_bps=1 num_wps=1 pmu_num_ctrs=0 hash=sha256 rim=" C0 "\n"
		 "RIPAS base=0x80000000 top=0x80200000 rim=" C1 "\n"
		 "DATA ipa=0x80000000 measure=1 content=%s rim=" C2 "\n"
		 "DATA ipa=0x80001000 measure=0 rim=" C3 "\n"
		 "REC flags=0x1 pc=0x80000000 gpr0=0x80100000 gpr1=0x0 gpr2=0x0 gpr3=0x0 gpr4=0x0 gpr5=0x0 gpr6=0x0 gpr7=0x0 rim=" C4 "\n"
		 "REC flags=0x0 pc=0x0 gpr0=0x0 gpr1=0x0 gpr2=0x0 gpr3=0x0 gpr4=0x0 gpr5=0x0 gpr6=0x0 gpr7=0x0 rim=" C4 "\n",
		 chex);
	assert_string_equal(buf, want);
	free(buf);
	plan_free(&plan);
	guest_mem_free(&gm);
}

static int stop_at_data(const struct rim_step *s, void *opaque)
{
	(void)opaque;
	return s->op->kind == PLAN_DATA ? 1 : 0;
}

static void test_step_error_stops(void **state)
{
	struct guest_mem gm;
	struct plan plan;
	uint8_t rim[RIM_MAX_SIZE];

	(void)state;
	c_plan(&plan, &gm, true);
	assert_int_equal(rim_measure_plan(&plan, &gm, 1, stop_at_data, NULL,
					  rim), -1);
	plan_free(&plan);
	guest_mem_free(&gm);
}

static void test_data_outside_ram(void **state)
{
	struct realm_params p = c0_params();
	struct guest_mem gm;
	struct plan plan;
	uint8_t rim[RIM_MAX_SIZE];

	(void)state;
	assert_int_equal(guest_mem_alloc(&gm, 0x80000000, 1 << 20), 0);
	plan_begin(&plan, host_profile_get(HOST_CCA_V14), &p, true);
	/* the last granule is past the end of RAM */
	assert_int_equal(plan_add_data(&plan, 0x800ff000, 0x2000, true,
				       BLOB_INITRD, 0x800ff000, 0x2000), 0);
	assert_int_equal(rim_measure_plan(&plan, &gm, 2, NULL, NULL, rim), -1);
	/* unmeasured DATA never reads memory, so it needs none */
	plan_free(&plan);
	plan_begin(&plan, host_profile_get(HOST_CCA_V14), &p, true);
	assert_int_equal(plan_add_data(&plan, 0x90000000, 0x2000, false,
				       BLOB_LOG, 0x90000000, 0x2000), 0);
	assert_int_equal(rim_measure_plan(&plan, NULL, 1, NULL, NULL, rim), 0);
	plan_free(&plan);
	guest_mem_free(&gm);
}

static void test_plan_without_create(void **state)
{
	struct plan plan;
	uint8_t rim[RIM_MAX_SIZE];

	(void)state;
	memset(&plan, 0, sizeof(plan));
	assert_int_equal(rim_measure_plan(&plan, NULL, 1, NULL, NULL, rim), -1);
}

/*
 * A multi-MiB plan: threads must not change the result, and both must
 * equal a chain built granule by granule from the primitives with
 * OpenSSL's one-shot digests.
 */
static void check_big_plan(enum hash_algo algo)
{
	const uint64_t base = 0x80000000, size = 12 << 20;
	size_t hsz = hash_size(algo);
	struct realm_params p = c0_params();
	uint8_t r1[RIM_MAX_SIZE], r8[RIM_MAX_SIZE], ref[RIM_MAX_SIZE];
	uint8_t content[RIM_MAX_SIZE];
	uint64_t gprs[8] = { base + 0x1000 };
	struct guest_mem gm;
	struct plan plan;
	uint64_t off;
	uint8_t *ram;
	size_t i;

	p.hash_algo = algo;
	assert_int_equal(guest_mem_alloc(&gm, base, size + (4 << 20)), 0);
	ram = gm.host;
	srand(1);
	for (i = 0; i < size; i++)
		ram[i] = rand() >> 7;
	plan_begin(&plan, host_profile_get(HOST_CCA_V14), &p, true);
	assert_int_equal(plan_add_data(&plan, base, size - 0x3000, true,
				       BLOB_KERNEL, base, size - 0x3000), 0);
	assert_int_equal(plan_add_data(&plan, base + size - 0x3000, 0x3000,
				       false, BLOB_LOG, base + size - 0x3000,
				       0x3000), 0);
	assert_int_equal(plan_add_rec(&plan, 0, 0, 1, base, gprs, true), 0);
	assert_int_equal(rim_measure_plan(&plan, &gm, 1, NULL, NULL, r1), 0);
	assert_int_equal(rim_measure_plan(&plan, &gm, 8, NULL, NULL, r8), 0);
	assert_memory_equal(r1, r8, hsz);

	assert_int_equal(rim_init(&p, ref), 0);
	for (off = 0; off < size; off += 4096) {
		bool m = off < size - 0x3000;

		memset(content, 0, sizeof(content));
		if (m)
			assert_non_null(EVP_Digest(ram + off, 4096, content,
						   NULL, algo == HASH_SHA256 ?
						   EVP_sha256() : EVP_sha512(),
						   NULL));
		assert_int_equal(rim_extend_data(algo, ref, base + off, m,
						 content), 0);
	}
	assert_int_equal(rim_extend_rec(algo, ref, 1, base, gprs), 0);
	assert_memory_equal(r1, ref, hsz);
	plan_free(&plan);
	guest_mem_free(&gm);
}

/*
 * The event log's blob digests taken in the RIM's pass: whatever the
 * thread count, each equals a one-shot digest of exactly the blob's bytes
 * (which need not start or end on a granule), unmeasured and non-DATA ops
 * get none, and the RIM is the one rim_measure_plan() gives.
 */
static void check_blob_digests(enum hash_algo algo)
{
	const uint64_t base = 0x80000000, size = 3 << 20;
	static const unsigned int threads[] = { 1, 2, 3, 8 };
	size_t hsz = hash_size(algo);
	struct realm_params p = c0_params();
	uint8_t want[3][RIM_MAX_SIZE], rim[RIM_MAX_SIZE], ref[RIM_MAX_SIZE];
	uint8_t ref2[RIM_MAX_SIZE], rims[2][RIM_MAX_SIZE];
	uint8_t *digests;
	uint64_t gprs[8] = { 0 };
	struct guest_mem gm;
	struct plan plan, other;
	const struct plan *plans[2] = { &plan, &other };
	uint8_t *ram;
	size_t i, t;

	p.hash_algo = algo;
	assert_int_equal(guest_mem_alloc(&gm, base, size + (4 << 20)), 0);
	ram = gm.host;
	srand(2);
	for (i = 0; i < size; i++)
		ram[i] = rand() >> 7;
	plan_begin(&plan, host_profile_get(HOST_CCA_V14), &p, true);
	/* op 1: a kernel at 0x80, op 2: an unaligned initrd, op 3: a log */
	assert_int_equal(plan_add_data(&plan, base, 0x101000, true,
				       BLOB_KERNEL, base + 0x80, 0x100f00), 0);
	assert_int_equal(plan_add_data(&plan, base + 0x101000, 0x1ff000, true,
				       BLOB_INITRD, base + 0x101000,
				       0x1fe001), 0);
	assert_int_equal(plan_add_data(&plan, base + 0x300000, 0x10000,
				       false, BLOB_LOG, base + 0x300000,
				       0x10000), 0);
	assert_int_equal(plan_add_rec(&plan, 0, 0, 1, base, gprs, true), 0);
	assert_int_equal(hash_buffer(algo, ram + 0x80, 0x100f00, want[1]), 0);
	assert_int_equal(hash_buffer(algo, ram + 0x101000, 0x1fe001, want[2]),
			 0);
	assert_int_equal(rim_measure_plan(&plan, &gm, 1, NULL, NULL, ref), 0);
	digests = calloc(plan.nr_ops, hsz);
	assert_non_null(digests);
	for (t = 0; t < ARRAY_SIZE(threads); t++) {
		memset(digests, 0xee, plan.nr_ops * hsz);
		assert_int_equal(rim_measure_plan_blobs(&plan, &gm, threads[t],
							NULL, NULL, rim,
							digests), 0);
		assert_memory_equal(rim, ref, hsz);
		assert_memory_equal(digests + 1 * hsz, want[1], hsz);
		assert_memory_equal(digests + 2 * hsz, want[2], hsz);
		/* CREATE and the unmeasured log are left alone */
		for (i = 0; i < hsz; i++) {
			assert_int_equal(digests[i], 0xee);
			assert_int_equal(digests[3 * hsz + i], 0xee);
		}
	}
	/*
	 * --host all with a log: a second plan over the same granules (here
	 * another entry point) reuses the granule digests of the first pass,
	 * which also took the first plan's blob digests.
	 */
	plan_begin(&other, host_profile_get(HOST_CCA_V14), &p, true);
	for (i = 1; i <= 3; i++)
		assert_int_equal(plan_add_data(&other, plan.ops[i].data.ipa,
					       plan.ops[i].data.size,
					       plan.ops[i].data.measure,
					       plan.ops[i].data.blob,
					       plan.ops[i].data.blob_ipa,
					       plan.ops[i].data.blob_size), 0);
	assert_int_equal(plan_add_rec(&other, 0, 0, 1, base + 0x1000, gprs,
				      true), 0);
	assert_int_equal(rim_measure_plan(&other, &gm, 1, NULL, NULL, ref2), 0);
	assert_memory_not_equal(ref, ref2, hsz);
	for (t = 0; t < ARRAY_SIZE(threads); t++) {
		memset(digests, 0xee, plan.nr_ops * hsz);
		assert_int_equal(rim_measure_plans(plans, 2, &gm, threads[t],
						   NULL, NULL, rims, digests), 0);
		assert_memory_equal(rims[0], ref, hsz);
		assert_memory_equal(rims[1], ref2, hsz);
		assert_memory_equal(digests + 1 * hsz, want[1], hsz);
		assert_memory_equal(digests + 2 * hsz, want[2], hsz);
	}
	free(digests);
	plan_free(&other);
	plan_free(&plan);
	guest_mem_free(&gm);
}

static void test_blob_digests_sha256(void **state)
{
	(void)state;
	check_blob_digests(HASH_SHA256);
}

static void test_blob_digests_sha512(void **state)
{
	(void)state;
	check_blob_digests(HASH_SHA512);
}

static void test_parallel_agrees_sha256(void **state)
{
	(void)state;
	check_big_plan(HASH_SHA256);
}

static void test_parallel_agrees_sha512(void **state)
{
	(void)state;
	check_big_plan(HASH_SHA512);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_basics),
		cmocka_unit_test(test_veraison_create_sha256),
		cmocka_unit_test(test_veraison_create_sha512),
		cmocka_unit_test(test_veraison_event_log_vector),
		cmocka_unit_test(test_rpv_not_measured),
		cmocka_unit_test(test_chain_primitives),
		cmocka_unit_test(test_chain_rmm2),
		cmocka_unit_test(test_plan_chain_rmm1),
		cmocka_unit_test(test_plan_chain_rmm2),
		cmocka_unit_test(test_trace_lines),
		cmocka_unit_test(test_step_error_stops),
		cmocka_unit_test(test_data_outside_ram),
		cmocka_unit_test(test_plan_without_create),
		cmocka_unit_test(test_parallel_agrees_sha256),
		cmocka_unit_test(test_blob_digests_sha256),
		cmocka_unit_test(test_blob_digests_sha512),
		cmocka_unit_test(test_parallel_agrees_sha512),
	};

	util_quiet = true;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
