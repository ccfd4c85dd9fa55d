/*
 * Unit tests for event log replay: the RIM of a replayed log is checked
 * against a chain built here step by step from the RIM primitives (which
 * are tested against public vectors elsewhere), so the replay's own
 * choices - kvmtool's 64 KiB widening, 4 KiB rounding, which events count
 * - are what is under test.  Also: the default profile, and file checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "realm/event_log_replay.h"
#include "realm/rmm_defs.h"

#define RAM 0x80000000ULL

static uint8_t kernel[100];

/* A parsed log, assembled directly as the parser would fill it. */
static void make_log(struct event_log *log, enum log_origin origin,
		     struct log_event *ev)
{
	size_t n = 0;

	memset(log, 0, sizeof(*log));
	memset(ev, 0, 6 * sizeof(*ev));
	log->alg_id = TCG_ALG_SHA256;
	log->digest_size = 32;
	log->origin = origin;
	log->has_vm_version = true;
	ev[n++].kind = LEV_SPEC_ID;
	ev[n++].kind = LEV_VM_VERSION;
	ev[n].kind = LEV_REALM_CREATE;
	ev[n].create.s2sz = 33;
	ev[n].create.num_bps = 1;
	ev[n++].create.num_wps = 1;
	ev[n].kind = LEV_INIT_RIPAS;
	ev[n].ripas.base = RAM;
	ev[n++].ripas.size = 2ULL << 20;
	ev[n].kind = LEV_BLOB;
	strcpy(ev[n].blob.desc, "KERNEL");
	ev[n].blob.base = RAM + 0x10000 + 0x2000;
	ev[n].blob.size = sizeof(kernel);
	ev[n].digest_count = 1;
	ev[n].digest_alg = TCG_ALG_SHA256;
	ev[n].digest_size = 32;
	assert_int_equal(hash_buffer(HASH_SHA256, kernel, sizeof(kernel),
				     ev[n].digest), 0);
	n++;
	ev[n].kind = LEV_REC_CREATE;
	ev[n].rec.flags = 1;
	ev[n].rec.pc = RAM + 0x12000;
	ev[n++].rec.gprs[0] = RAM + 0x100000;
	for (size_t i = 0; i < n; i++)
		ev[i].index = i;
	log->events = ev;
	log->nr_events = n;
}

/* The expected chain: granules [first, first + count) of the kernel area. */
static void expected_rim(bool ripas, uint64_t first, unsigned int count,
			 uint8_t *rim)
{
	struct realm_params p = { .s2sz = 33, .num_bps = 1, .num_wps = 1 };
	uint64_t gprs[8] = { RAM + 0x100000 };
	uint8_t page[4096], content[64];
	unsigned int i;

	assert_int_equal(rim_init(&p, rim), 0);
	if (ripas)
		assert_int_equal(rim_extend_ripas(HASH_SHA256, rim, RAM,
						  RAM + (2ULL << 20)), 0);
	for (i = 0; i < count; i++) {
		uint64_t ipa = first + i * 4096ULL;

		memset(page, 0, sizeof(page));
		if (ipa == RAM + 0x12000)
			memcpy(page, kernel, sizeof(kernel));
		memset(content, 0, sizeof(content));
		assert_int_equal(hash_buffer(HASH_SHA256, page, 4096,
					     content), 0);
		assert_int_equal(rim_extend_data(HASH_SHA256, rim, ipa, 1,
						 content), 0);
	}
	assert_int_equal(rim_extend_rec(HASH_SHA256, rim, 1, RAM + 0x12000,
					gprs), 0);
}

static void setup_blobs(struct replay_blob *blobs)
{
	size_t i;

	for (i = 0; i < sizeof(kernel); i++)
		kernel[i] = i * 3 + 1;
	memset(blobs, 0, (BLOB_FIRMWARE + 1) * sizeof(*blobs));
	blobs[BLOB_KERNEL].path = "kernel";
	blobs[BLOB_KERNEL].data = kernel;
	blobs[BLOB_KERNEL].len = sizeof(kernel);
}

static void test_qemu_rounds_to_4k(void **state)
{
	struct replay_blob blobs[BLOB_FIRMWARE + 1];
	struct event_log log;
	struct log_event ev[6];
	struct replay_result res;
	uint8_t want[64];

	(void)state;
	setup_blobs(blobs);
	make_log(&log, LOG_ORIGIN_QEMU, ev);
	assert_int_equal(event_log_replay(&log, NULL, blobs, &res), 0);
	assert_int_equal(res.profile->abi, HOST_CCA_V10);
	assert_int_equal(res.blobs_checked, 1);
	expected_rim(true, RAM + 0x12000, 1, want);
	assert_memory_equal(res.rim, want, 32);
}

static void test_kvmtool_widens_to_64k(void **state)
{
	struct replay_blob blobs[BLOB_FIRMWARE + 1];
	struct event_log log;
	struct log_event ev[6];
	struct replay_result res;
	uint8_t want[64];

	(void)state;
	setup_blobs(blobs);
	make_log(&log, LOG_ORIGIN_KVMTOOL, ev);
	assert_int_equal(event_log_replay(&log, NULL, blobs, &res), 0);
	expected_rim(true, RAM + 0x10000, 16, want);
	assert_memory_equal(res.rim, want, 32);
}

static void test_profile_choice(void **state)
{
	struct replay_blob blobs[BLOB_FIRMWARE + 1];
	struct event_log log;
	struct log_event ev[6];
	struct replay_result res;
	uint8_t want[64];

	(void)state;
	setup_blobs(blobs);
	make_log(&log, LOG_ORIGIN_REALMVM, ev);
	log.vm_flags = HOST_CCA_V14 + 1;
	assert_int_equal(replay_default_profile(&log)->abi, HOST_CCA_V14);
	log.vm_flags = HOST_CCA_V10 + 1;
	assert_int_equal(replay_default_profile(&log)->abi, HOST_CCA_V10);
	log.vm_flags = 0;
	assert_int_equal(replay_default_profile(&log)->abi, HOST_ABI_DEFAULT);
	log.vm_flags = 200;	/* nonsense: the default */
	assert_int_equal(replay_default_profile(&log)->abi, HOST_ABI_DEFAULT);
	/* RMM 2.0: INIT_RIPAS is not measured */
	assert_int_equal(event_log_replay(&log,
					  host_profile_get(HOST_CCA_V14),
					  blobs, &res), 0);
	expected_rim(false, RAM + 0x12000, 1, want);
	assert_memory_equal(res.rim, want, 32);
}

static void test_file_mismatch(void **state)
{
	struct replay_blob blobs[BLOB_FIRMWARE + 1];
	struct event_log log;
	struct log_event ev[6];
	struct replay_result res;

	(void)state;
	setup_blobs(blobs);
	make_log(&log, LOG_ORIGIN_REALMVM, ev);
	kernel[50] ^= 1;
	assert_int_equal(event_log_replay(&log, NULL, blobs, &res), -1);
	assert_true(res.mismatch);
	assert_int_equal(res.mismatch_index, 4);
	assert_non_null(strstr(res.mismatch_msg, "KERNEL digest mismatch"));
	setup_blobs(blobs);
	blobs[BLOB_KERNEL].len = 99;
	assert_int_equal(event_log_replay(&log, NULL, blobs, &res), -1);
	assert_true(res.mismatch);
	blobs[BLOB_KERNEL].data = NULL;	/* no file at all */
	assert_int_equal(event_log_replay(&log, NULL, blobs, &res), -1);
	assert_false(res.mismatch);
}

static void test_bad_logs(void **state)
{
	struct replay_blob blobs[BLOB_FIRMWARE + 1];
	struct event_log log;
	struct log_event ev[6];
	struct replay_result res;

	(void)state;
	setup_blobs(blobs);
	make_log(&log, LOG_ORIGIN_REALMVM, ev);
	ev[2].create.hash_algo = 1;	/* sha512 in a sha256 log */
	assert_int_equal(event_log_replay(&log, NULL, blobs, &res), -1);
	make_log(&log, LOG_ORIGIN_REALMVM, ev);
	ev[2].kind = LEV_NO_ACTION;	/* no REALM_CREATE before RIPAS */
	assert_int_equal(event_log_replay(&log, NULL, blobs, &res), -1);
	make_log(&log, LOG_ORIGIN_REALMVM, ev);
	strcpy(ev[4].blob.desc, "BIOS");
	assert_int_equal(event_log_replay(&log, NULL, blobs, &res), -1);
	make_log(&log, LOG_ORIGIN_REALMVM, ev);
	ev[3].ripas.size = UINT64_MAX;	/* wraps */
	assert_int_equal(event_log_replay(&log, NULL, blobs, &res), -1);
	make_log(&log, LOG_ORIGIN_REALMVM, ev);
	ev[4].blob.base = UINT64_MAX - 10;	/* wraps */
	assert_int_equal(event_log_replay(&log, NULL, blobs, &res), -1);
	make_log(&log, LOG_ORIGIN_REALMVM, ev);
	ev[3].ripas.base = 0;		/* spans more than any RAM */
	ev[3].ripas.size = 1ULL << 50;
	assert_int_equal(event_log_replay(&log, NULL, blobs, &res), -1);
}

static void test_kvmtool_4k_forced(void **state)
{
	struct replay_blob blobs[BLOB_FIRMWARE + 1];
	struct event_log log;
	struct log_event ev[6];
	struct replay_result res;
	uint8_t want[64];

	(void)state;
	setup_blobs(blobs);
	make_log(&log, LOG_ORIGIN_KVMTOOL, ev);
	/* the cca/v2 launch: 4 KiB steps, as any other VMM */
	assert_int_equal(event_log_replay_step(&log, NULL, POPULATE_4K, blobs,
					       &res), 0);
	assert_int_equal(res.populate_step, 4096);
	expected_rim(true, RAM + 0x12000, 1, want);
	assert_memory_equal(res.rim, want, 32);
	assert_int_equal(event_log_replay_step(&log, NULL, POPULATE_64K, blobs,
					       &res), 0);
	assert_int_equal(res.populate_step, 65536);
	expected_rim(true, RAM + 0x10000, 16, want);
	assert_memory_equal(res.rim, want, 32);
}

/* A second, unmeasured blob 8 KiB after the kernel, before the REC. */
static void add_near_blob(struct event_log *log, struct log_event *ev)
{
	ev[6] = ev[5];
	memset(&ev[5], 0, sizeof(ev[5]));
	ev[5].kind = LEV_BLOB;
	strcpy(ev[5].blob.desc, "DTB");
	ev[5].blob.base = RAM + 0x14000;
	ev[5].blob.size = 0x100;
	ev[5].index = 5;
	ev[6].index = 6;
	log->nr_events = 7;
}

static void test_kvmtool_auto_detects_4k(void **state)
{
	struct replay_blob blobs[BLOB_FIRMWARE + 1];
	struct realm_params p = { .s2sz = 33, .num_bps = 1, .num_wps = 1 };
	uint64_t gprs[8] = { RAM + 0x100000 };
	uint8_t page[4096], content[64], zero[64] = { 0 }, want[64];
	struct event_log log;
	struct log_event ev[8];
	struct replay_result res;

	(void)state;
	setup_blobs(blobs);
	make_log(&log, LOG_ORIGIN_KVMTOOL, ev);
	add_near_blob(&log, ev);
	/* 64 KiB regions of the two blobs would overlap: only 4 KiB fits */
	assert_int_equal(event_log_replay(&log, NULL, blobs, &res), 0);
	assert_int_equal(res.populate_step, 4096);
	assert_int_equal(rim_init(&p, want), 0);
	assert_int_equal(rim_extend_ripas(HASH_SHA256, want, RAM,
					  RAM + (2ULL << 20)), 0);
	memset(page, 0, sizeof(page));
	memcpy(page, kernel, sizeof(kernel));
	assert_int_equal(hash_buffer(HASH_SHA256, page, 4096, content), 0);
	assert_int_equal(rim_extend_data(HASH_SHA256, want, RAM + 0x12000,
					 RMI_MEASURE_CONTENT, content), 0);
	assert_int_equal(rim_extend_data(HASH_SHA256, want, RAM + 0x14000,
					 RMI_NO_MEASURE_CONTENT, zero), 0);
	assert_int_equal(rim_extend_rec(HASH_SHA256, want, 1, RAM + 0x12000,
					gprs), 0);
	assert_memory_equal(res.rim, want, 32);
	/* told 64k, the same log is impossible */
	assert_int_equal(event_log_replay_step(&log, NULL, POPULATE_64K, blobs,
					       &res), -1);
}

static void test_no_kernel_replays(void **state)
{
	struct replay_blob blobs[BLOB_FIRMWARE + 1];
	struct realm_params p = { .s2sz = 33, .num_bps = 1, .num_wps = 1 };
	struct event_log log;
	struct log_event ev[6];
	struct replay_result res;
	uint8_t want[64];

	(void)state;
	memset(blobs, 0, sizeof(blobs));
	make_log(&log, LOG_ORIGIN_REALMVM, ev);
	log.nr_events = 3;	/* Spec ID, VM VERSION, REALM_CREATE only */
	assert_int_equal(event_log_replay(&log, host_profile_get(HOST_CCA_V14),
					  blobs, &res), 0);
	assert_int_equal(rim_init(&p, want), 0);
	assert_memory_equal(res.rim, want, 32);
	/* REALM_CREATE and INIT_RIPAS, as a realm whose firmware is not
	 * in the log yet */
	log.nr_events = 4;
	assert_int_equal(event_log_replay(&log, host_profile_get(HOST_CCA_V10),
					  blobs, &res), 0);
	assert_int_equal(rim_extend_ripas(HASH_SHA256, want, RAM,
					  RAM + (2ULL << 20)), 0);
	assert_memory_equal(res.rim, want, 32);
}

static void test_impossible_logs(void **state)
{
	struct replay_blob blobs[BLOB_FIRMWARE + 1];
	struct event_log log;
	struct log_event ev[8];
	struct replay_result res;

	(void)state;
	setup_blobs(blobs);
	/* two RECs for a one-vCPU VM */
	make_log(&log, LOG_ORIGIN_REALMVM, ev);
	log.num_cpus = 1;
	ev[6] = ev[5];
	ev[6].index = 6;
	log.nr_events = 7;
	assert_int_equal(event_log_replay(&log, NULL, blobs, &res), -1);
	log.num_cpus = 2;
	assert_int_equal(event_log_replay(&log, NULL, blobs, &res), 0);
	/* a DTB blob that shares bytes with the kernel */
	make_log(&log, LOG_ORIGIN_QEMU, ev);
	add_near_blob(&log, ev);
	ev[5].blob.base = RAM + 0x12000 + sizeof(kernel) - 1;
	assert_int_equal(event_log_replay(&log, NULL, blobs, &res), -1);
	ev[5].blob.base = RAM + 0x12000 + sizeof(kernel);	/* adjacent */
	assert_int_equal(event_log_replay(&log, NULL, blobs, &res), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kvmtool_4k_forced),
		cmocka_unit_test(test_kvmtool_auto_detects_4k),
		cmocka_unit_test(test_no_kernel_replays),
		cmocka_unit_test(test_impossible_logs),
		cmocka_unit_test(test_qemu_rounds_to_4k),
		cmocka_unit_test(test_kvmtool_widens_to_64k),
		cmocka_unit_test(test_profile_choice),
		cmocka_unit_test(test_file_mismatch),
		cmocka_unit_test(test_bad_logs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
