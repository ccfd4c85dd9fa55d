/*
 * Unit tests for the event log writer: every field is read back here at
 * the byte offsets the TCG PC Client spec and the realm tag layouts give,
 * and blob digests are recomputed with OpenSSL directly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>

#include "realm/event_log.h"
#include "realm/plan.h"
#include "vmm/config.h"
#include "vmm/guest_mem.h"

#define RAM	0x80000000ULL
#define RAMSZ	(4ULL << 20)

struct fixture {
	struct realm_config cfg;
	struct host_profile prof;
	struct plan plan;
	struct plan_op ops[16];
	struct guest_mem gm;
	uint8_t log[8192];
	size_t len;
};

static uint32_t rd32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static uint16_t rd16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static void sha(const char *name, const void *d, size_t n, uint8_t *out)
{
	unsigned int len;

	assert_int_equal(EVP_Digest(d, n, out, &len, EVP_get_digestbyname(name),
				    NULL), 1);
}

static void add(struct fixture *f, struct plan_op op)
{
	f->ops[f->plan.nr_ops++] = op;
}

static struct fixture *setup_plan(enum hash_algo algo)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct plan_op op;
	size_t i;

	f->cfg.ram_size = RAMSZ;
	f->cfg.nr_cpus = 2;
	f->prof.abi = HOST_CCA_V10;
	f->prof.name = "cca-v10";
	f->plan.profile = &f->prof;
	f->plan.ops = f->ops;
	f->plan.cap = 16;
	f->plan.params.flags = 2;
	f->plan.params.s2sz = 33;
	f->plan.params.sve_vl = 3;
	f->plan.params.num_bps = 5;
	f->plan.params.num_wps = 3;
	f->plan.params.pmu_num_ctrs = 7;
	f->plan.params.hash_algo = algo;
	f->gm.ipa_base = RAM;
	f->gm.size = RAMSZ;
	f->gm.host = calloc(1, RAMSZ);
	/* kernel: 5000 bytes at RAM; initrd 100 bytes at RAM+0x3004 */
	for (i = 0; i < 5000; i++)
		f->gm.host[i] = i * 7 + 1;
	for (i = 0; i < 100; i++)
		f->gm.host[0x3004 + i] = 0xa5 ^ i;

	memset(&op, 0, sizeof(op));
	op.kind = PLAN_CREATE;
	add(f, op);
	op.kind = PLAN_RIPAS_CALL;
	op.ripas.base = RAM;
	op.ripas.top = RAM + RAMSZ;
	add(f, op);
	op.kind = PLAN_RIPAS;	/* two entries: no events */
	op.ripas.top = RAM + (2 << 20);
	add(f, op);
	op.ripas.base = RAM + (2 << 20);
	op.ripas.top = RAM + RAMSZ;
	add(f, op);
	memset(&op, 0, sizeof(op));
	op.kind = PLAN_DATA;
	op.data.ipa = RAM;
	op.data.size = 0x2000;
	op.data.measure = true;
	op.data.blob = BLOB_KERNEL;
	op.data.blob_ipa = RAM;
	op.data.blob_size = 5000;
	add(f, op);
	op.data.ipa = RAM + 0x3000;
	op.data.size = 0x1000;
	op.data.blob = BLOB_INITRD;
	op.data.blob_ipa = RAM + 0x3004;
	op.data.blob_size = 100;
	add(f, op);
	memset(&op, 0, sizeof(op));
	op.kind = PLAN_REC;
	op.rec.flags = 1;
	op.rec.pc = RAM;
	op.rec.gprs[0] = RAM + 0x100000;
	op.rec.gprs[7] = 0x77;
	add(f, op);
	op.rec.vcpu = 1;
	op.rec.flags = 0;	/* not runnable: no event */
	add(f, op);
	memset(&op, 0, sizeof(op));
	op.kind = PLAN_DATA;
	op.data.ipa = RAM + 0x10000;
	op.data.size = 0x10000;
	op.data.measure = false;
	op.data.blob = BLOB_LOG;
	op.data.blob_ipa = RAM + 0x10000;
	op.data.blob_size = 0x10000;
	add(f, op);
	memset(&op, 0, sizeof(op));
	op.kind = PLAN_ACTIVATE;
	add(f, op);
	memset(f->log, 0xee, sizeof(f->log));
	return f;
}

static void free_fixture(struct fixture *f)
{
	free(f->gm.host);
	free(f);
}

/* Check one TCG_PCR_EVENT2 header; returns the offset of its event data. */
static size_t check_event(const uint8_t *p, size_t off, uint32_t type,
			  uint32_t count, uint16_t alg, size_t dsize,
			  const uint8_t *digest, uint32_t data_size)
{
	size_t i;

	assert_int_equal(rd32(p + off), 0);		/* PCR 0 */
	assert_int_equal(rd32(p + off + 4), type);
	assert_int_equal(rd32(p + off + 8), count);
	off += 12;
	if (count) {
		assert_int_equal(rd16(p + off), alg);
		off += 2;
		for (i = 0; i < dsize; i++)
			assert_int_equal(p[off + i], digest ? digest[i] : 0);
		off += dsize;
	}
	assert_int_equal(rd32(p + off), data_size);
	return off + 4;
}

static void check_log(struct fixture *f, const char *md, uint16_t alg,
		      size_t ds)
{
	const uint8_t *p = f->log;
	uint8_t dig[64];
	size_t off, i;

	/* Legacy first event + Spec ID Event03 */
	assert_int_equal(rd32(p), 0);
	assert_int_equal(rd32(p + 4), 3);
	for (i = 8; i < 28; i++)
		assert_int_equal(p[i], 0);
	assert_int_equal(rd32(p + 28), 33);
	assert_memory_equal(p + 32, "Spec ID Event03\0", 16);
	assert_int_equal(rd32(p + 48), 0);	/* platformClass */
	assert_int_equal(p[52], 0);
	assert_int_equal(p[53], 2);
	assert_int_equal(p[54], 106);
	assert_int_equal(p[55], 2);
	assert_int_equal(rd32(p + 56), 1);
	assert_int_equal(rd16(p + 60), alg);
	assert_int_equal(rd16(p + 62), ds);
	assert_int_equal(p[64], 0);
	off = 65;

	/* VM VERSION */
	off = check_event(p, off, 3, 1, alg, ds, NULL, 112);
	assert_string_equal((const char *)p + off, "VM VERSION");
	assert_string_equal((const char *)p + off + 16, "realmvm");
	assert_string_equal((const char *)p + off + 48, REALMVM_VERSION);
	assert_int_equal(rd64(p + off + 88), RAMSZ);
	assert_int_equal(rd32(p + off + 96), 2);
	assert_int_equal(rd64(p + off + 104), HOST_CCA_V10 + 1);
	off += 112;

	/* REALM_CREATE */
	off = check_event(p, off, 6, 1, alg, ds, NULL, 8 + 16);
	assert_int_equal(rd32(p + off), 1);
	assert_int_equal(rd32(p + off + 4), 16);
	assert_int_equal(rd64(p + off + 8), 2);
	assert_int_equal(p[off + 16], 33);
	assert_int_equal(p[off + 17], 3);
	assert_int_equal(p[off + 18], 5);
	assert_int_equal(p[off + 19], 3);
	assert_int_equal(p[off + 20], 7);
	assert_int_equal(p[off + 21], f->plan.params.hash_algo);
	assert_int_equal(p[off + 22] | p[off + 23], 0);
	off += 24;

	/* INIT_RIPAS: one for the call, base and size */
	off = check_event(p, off, 6, 1, alg, ds, NULL, 8 + 16);
	assert_int_equal(rd32(p + off), 2);
	assert_int_equal(rd32(p + off + 4), 16);
	assert_int_equal(rd64(p + off + 8), RAM);
	assert_int_equal(rd64(p + off + 16), RAMSZ);
	off += 24;

	/* KERNEL, digest over the exact 5000 bytes */
	sha(md, f->gm.host, 5000, dig);
	off = check_event(p, off, 0x13, 1, alg, ds, dig, 1 + 6 + 16);
	assert_int_equal(p[off], 6);
	assert_memory_equal(p + off + 1, "KERNEL", 6);
	assert_int_equal(rd64(p + off + 7), RAM);
	assert_int_equal(rd64(p + off + 15), 5000);
	off += 23;

	sha(md, f->gm.host + 0x3004, 100, dig);
	off = check_event(p, off, 0x13, 1, alg, ds, dig, 1 + 6 + 16);
	assert_memory_equal(p + off + 1, "INITRD", 6);
	assert_int_equal(rd64(p + off + 7), RAM + 0x3004);
	assert_int_equal(rd64(p + off + 15), 100);
	off += 23;

	/* REC_CREATE: only the runnable one */
	off = check_event(p, off, 6, 1, alg, ds, NULL, 8 + 80);
	assert_int_equal(rd32(p + off), 3);
	assert_int_equal(rd32(p + off + 4), 80);
	assert_int_equal(rd64(p + off + 8), 1);
	assert_int_equal(rd64(p + off + 16), RAM);
	assert_int_equal(rd64(p + off + 24), RAM + 0x100000);
	assert_int_equal(rd64(p + off + 24 + 7 * 8), 0x77);
	off += 88;

	/* LOG: unmeasured, digest count 0 */
	off = check_event(p, off, 0x13, 0, 0, 0, NULL, 1 + 3 + 16);
	assert_int_equal(p[off], 3);
	assert_memory_equal(p + off + 1, "LOG", 3);
	assert_int_equal(rd64(p + off + 4), RAM + 0x10000);
	assert_int_equal(rd64(p + off + 12), 0x10000);
	off += 20;

	assert_int_equal(f->len, off);
	for (i = off; i < sizeof(f->log); i++)
		assert_int_equal(p[i], 0);
}

static void test_sha256_log(void **state)
{
	struct fixture *f = setup_plan(HASH_SHA256);

	(void)state;
	assert_int_equal(event_log_build(&f->cfg, &f->plan, &f->gm, f->log,
					 sizeof(f->log), &f->len), 0);
	check_log(f, "SHA256", 0x000B, 32);
	free_fixture(f);
}

static void test_sha512_log(void **state)
{
	struct fixture *f = setup_plan(HASH_SHA512);

	(void)state;
	assert_int_equal(event_log_build(&f->cfg, &f->plan, &f->gm, f->log,
					 sizeof(f->log), &f->len), 0);
	check_log(f, "SHA512", 0x000D, 64);
	free_fixture(f);
}

static void test_firmware_event_type(void **state)
{
	struct fixture *f = setup_plan(HASH_SHA256);
	const uint8_t *p = f->log;
	size_t off = 65, i;

	(void)state;
	f->ops[4].data.blob = BLOB_FIRMWARE;
	assert_int_equal(event_log_build(&f->cfg, &f->plan, &f->gm, f->log,
					 sizeof(f->log), &f->len), 0);
	/* skip VM VERSION, REALM_CREATE, INIT_RIPAS */
	for (i = 0; i < 3; i++)
		off += 12 + 2 + 32 + 4 + rd32(p + off + 12 + 2 + 32);
	assert_int_equal(rd32(p + off + 4), 0x8000000A);
	assert_int_equal(p[off + 12 + 2 + 32 + 4], 8);
	assert_memory_equal(p + off + 12 + 2 + 32 + 5, "FIRMWARE", 8);
	free_fixture(f);
}

static void test_too_small(void **state)
{
	struct fixture *f = setup_plan(HASH_SHA256);
	size_t i;

	(void)state;
	assert_int_equal(event_log_build(&f->cfg, &f->plan, &f->gm, f->log,
					 300, &f->len), -1);
	assert_int_equal(f->len, 0);
	for (i = 0; i < 300; i++)
		assert_int_equal(f->log[i], 0);
	assert_int_equal(f->log[300], 0xee);	/* nothing past max */
	free_fixture(f);
}

static void test_bad_plans(void **state)
{
	struct fixture *f = setup_plan(HASH_SHA256);

	(void)state;
	/* populated range that is not the blob rounded to granules */
	f->ops[4].data.size = 0x3000;
	assert_int_equal(event_log_build(&f->cfg, &f->plan, &f->gm, f->log,
					 sizeof(f->log), &f->len), -1);
	f->ops[4].data.size = 0x2000;
	/* blob outside guest memory */
	f->ops[5].data.blob_ipa = RAM + RAMSZ - 50;
	f->ops[5].data.ipa = RAM + RAMSZ - 0x1000;
	f->ops[5].data.size = 0x2000;
	assert_int_equal(event_log_build(&f->cfg, &f->plan, &f->gm, f->log,
					 sizeof(f->log), &f->len), -1);
	free_fixture(f);
	f = setup_plan(HASH_SHA256);
	f->ops[4].data.blob = BLOB_NONE;
	assert_int_equal(event_log_build(&f->cfg, &f->plan, &f->gm, f->log,
					 sizeof(f->log), &f->len), -1);
	free_fixture(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_log),
		cmocka_unit_test(test_sha512_log),
		cmocka_unit_test(test_firmware_event_type),
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_bad_plans),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
