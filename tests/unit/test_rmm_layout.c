/*
 * RMM structure layouts: offsets and sizes of RmiRealmParams,
 * RmiRecParams and the three measurement descriptors as the RMM 1.0 spec
 * gives them, and the RIM primitives checked against descriptors and
 * params pages assembled here byte by byte and hashed with OpenSSL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/sha.h>

#include "realm/rim.h"
#include "realm/rmm_defs.h"

static void put64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

static void test_realm_params_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct rmi_realm_params), 4096);
	assert_int_equal(offsetof(struct rmi_realm_params, flags), 0x0);
	assert_int_equal(offsetof(struct rmi_realm_params, s2sz), 0x8);
	assert_int_equal(offsetof(struct rmi_realm_params, sve_vl), 0x10);
	assert_int_equal(offsetof(struct rmi_realm_params, num_bps), 0x18);
	assert_int_equal(offsetof(struct rmi_realm_params, num_wps), 0x20);
	assert_int_equal(offsetof(struct rmi_realm_params, pmu_num_ctrs),
			 0x28);
	assert_int_equal(offsetof(struct rmi_realm_params, hash_algo), 0x30);
	assert_int_equal(offsetof(struct rmi_realm_params, rpv), 0x400);
	assert_int_equal(sizeof(((struct rmi_realm_params *)0)->rpv), 64);
	assert_int_equal(offsetof(struct rmi_realm_params, vmid), 0x800);
	assert_int_equal(offsetof(struct rmi_realm_params, rtt_base), 0x808);
	assert_int_equal(offsetof(struct rmi_realm_params, rtt_level_start),
			 0x810);
	assert_int_equal(offsetof(struct rmi_realm_params, rtt_num_start),
			 0x818);
}

static void test_rec_params_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct rmi_rec_params), 4096);
	assert_int_equal(offsetof(struct rmi_rec_params, flags), 0x0);
	assert_int_equal(offsetof(struct rmi_rec_params, mpidr), 0x100);
	assert_int_equal(offsetof(struct rmi_rec_params, pc), 0x200);
	assert_int_equal(offsetof(struct rmi_rec_params, gprs), 0x300);
	assert_int_equal(sizeof(((struct rmi_rec_params *)0)->gprs), 64);
	assert_int_equal(offsetof(struct rmi_rec_params, num_aux), 0x800);
	assert_int_equal(offsetof(struct rmi_rec_params, aux), 0x808);
}

static void test_descriptor_layouts(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct measure_desc_data), 0x100);
	assert_int_equal(sizeof(struct measure_desc_rec), 0x100);
	assert_int_equal(sizeof(struct measure_desc_ripas), 0x100);
	assert_int_equal(offsetof(struct measure_desc_data, len), 0x8);
	assert_int_equal(offsetof(struct measure_desc_data, rim), 0x10);
	assert_int_equal(offsetof(struct measure_desc_data, ipa), 0x50);
	assert_int_equal(offsetof(struct measure_desc_data, flags), 0x58);
	assert_int_equal(offsetof(struct measure_desc_data, content), 0x60);
	assert_int_equal(offsetof(struct measure_desc_rec, rim), 0x10);
	assert_int_equal(offsetof(struct measure_desc_rec, content), 0x50);
	assert_int_equal(offsetof(struct measure_desc_ripas, rim), 0x10);
	assert_int_equal(offsetof(struct measure_desc_ripas, base), 0x50);
	assert_int_equal(offsetof(struct measure_desc_ripas, top), 0x58);
	assert_int_equal(MEASURE_DESC_TYPE_DATA, 0);
	assert_int_equal(MEASURE_DESC_TYPE_REC, 1);
	assert_int_equal(MEASURE_DESC_TYPE_RIPAS, 2);
	assert_int_equal(RMI_MEASURE_CONTENT, 1);
	assert_int_equal(RMI_HASH_SHA_256, HASH_SHA256);
	assert_int_equal(RMI_HASH_SHA_512, HASH_SHA512);
}

/* Every measured field set, each to a distinct value; rpv must not count. */
static void test_params_page_bytes(void **state)
{
	struct realm_params p;
	uint8_t page[4096] = { 0 }, want[32], rim[RIM_MAX_SIZE];

	(void)state;
	memset(&p, 0, sizeof(p));
	p.flags = 0x7;
	p.s2sz = 41;
	p.sve_vl = 3;
	p.num_bps = 5;
	p.num_wps = 4;
	p.pmu_num_ctrs = 6;
	p.hash_algo = HASH_SHA256;
	memset(p.rpv, 0xff, sizeof(p.rpv));
	put64(page + 0x0, 7);
	page[0x8] = 41;
	page[0x10] = 3;
	page[0x18] = 5;
	page[0x20] = 4;
	page[0x28] = 6;
	page[0x30] = 0;
	SHA256(page, sizeof(page), want);
	assert_int_equal(rim_init(&p, rim), 0);
	assert_memory_equal(rim, want, 32);
}

static void fill_header(uint8_t *d, uint8_t type, const uint8_t *rim)
{
	memset(d, 0, 256);
	d[0] = type;
	put64(d + 8, 0x100);
	memcpy(d + 0x10, rim, 32);
}

static void test_descriptor_bytes(void **state)
{
	uint8_t rim[RIM_MAX_SIZE], start[32], d[256], want[32], page[4096];
	uint64_t gprs[8];
	int i;

	(void)state;
	for (i = 0; i < 32; i++)
		start[i] = 0x40 + i;

	/* DATA, measured */
	fill_header(d, 0, start);
	put64(d + 0x50, 0x12345000);
	put64(d + 0x58, 1);
	for (i = 0; i < 32; i++)
		d[0x60 + i] = 0xc0 + i;
	SHA256(d, 256, want);
	memcpy(rim, start, 32);
	assert_int_equal(rim_extend_data(HASH_SHA256, rim, 0x12345000, 1,
					 d + 0x60), 0);
	assert_memory_equal(rim, want, 32);

	/* DATA, unmeasured: content stays zero whatever is passed */
	fill_header(d, 0, start);
	put64(d + 0x50, 0x12345000);
	SHA256(d, 256, want);
	memcpy(rim, start, 32);
	assert_int_equal(rim_extend_data(HASH_SHA256, rim, 0x12345000, 0,
					 start), 0);
	assert_memory_equal(rim, want, 32);

	/* RIPAS */
	fill_header(d, 2, start);
	put64(d + 0x50, 0x40000000);
	put64(d + 0x58, 0x80000000);
	SHA256(d, 256, want);
	memcpy(rim, start, 32);
	assert_int_equal(rim_extend_ripas(HASH_SHA256, rim, 0x40000000,
					  0x80000000), 0);
	assert_memory_equal(rim, want, 32);

	/* REC: content is the hash of the params page */
	memset(page, 0, sizeof(page));
	put64(page, 1);
	put64(page + 0x200, 0xdead0000);
	for (i = 0; i < 8; i++) {
		gprs[i] = 0x1111ULL * (i + 1);
		put64(page + 0x300 + 8 * i, gprs[i]);
	}
	fill_header(d, 1, start);
	SHA256(page, sizeof(page), d + 0x50);
	SHA256(d, 256, want);
	memcpy(rim, start, 32);
	assert_int_equal(rim_extend_rec(HASH_SHA256, rim, 1, 0xdead0000,
					gprs), 0);
	assert_memory_equal(rim, want, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_realm_params_layout),
		cmocka_unit_test(test_rec_params_layout),
		cmocka_unit_test(test_descriptor_layouts),
		cmocka_unit_test(test_params_page_bytes),
		cmocka_unit_test(test_descriptor_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
