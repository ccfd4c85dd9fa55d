/*
 * Unit tests for the hash algorithm table (realm/hash_algos.c): every
 * entry's size is what OpenSSL's digest of that name produces, and the
 * lookups by each identifier find the same entry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "realm/hash_algos.h"
#include "realm/rim.h"
#include "realm/tcg_defs.h"

static const uint16_t tcg_ids[] = {
	TCG_ALG_SHA1, TCG_ALG_SHA256, TCG_ALG_SHA384, TCG_ALG_SHA512,
};

static void test_sizes_match_openssl(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tcg_ids) / sizeof(tcg_ids[0]); i++) {
		const struct hash_algo_info *h = hash_algo_by_tcg(tcg_ids[i]);
		EVP_MD *md;

		assert_non_null(h);
		md = EVP_MD_fetch(NULL, h->evp_name, NULL);
		assert_non_null(md);
		assert_int_equal(EVP_MD_get_size(md), h->size);
		EVP_MD_free(md);
	}
}

static void test_lookups_agree(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tcg_ids) / sizeof(tcg_ids[0]); i++) {
		const struct hash_algo_info *h = hash_algo_by_tcg(tcg_ids[i]);

		assert_ptr_equal(hash_algo_by_name(h->name), h);
		assert_ptr_equal(hash_algo_by_name(h->iana_name), h);
		if (h->iana_id > 0)
			assert_ptr_equal(hash_algo_by_iana(h->iana_id), h);
		if (h->rmm_id >= 0) {
			assert_ptr_equal(hash_algo_by_rmm(h->rmm_id), h);
			assert_int_equal(hash_size(h->rmm_id), h->size);
			assert_string_equal(hash_name(h->rmm_id), h->name);
		}
	}
	assert_null(hash_algo_by_name("md5"));
	assert_null(hash_algo_by_rmm(-1));
	assert_null(hash_algo_by_rmm(7));
	assert_null(hash_algo_by_iana(0));
	assert_null(hash_algo_by_tcg(0));
}

/* The RMM's RmiHashAlgorithm values (RMM spec) and IANA's ids. */
static void test_published_ids(void **state)
{
	(void)state;
	assert_int_equal(hash_algo_by_rmm(0)->tcg_id, TCG_ALG_SHA256);
	assert_int_equal(hash_algo_by_rmm(1)->tcg_id, TCG_ALG_SHA512);
	assert_int_equal(hash_algo_by_iana(1)->tcg_id, TCG_ALG_SHA256);
	assert_int_equal(hash_algo_by_iana(7)->tcg_id, TCG_ALG_SHA384);
	assert_int_equal(hash_algo_by_iana(8)->tcg_id, TCG_ALG_SHA512);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes_match_openssl),
		cmocka_unit_test(test_lookups_agree),
		cmocka_unit_test(test_published_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
