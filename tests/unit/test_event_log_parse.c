/*
 * Unit tests for the event log parser, on logs assembled byte by byte
 * here (not by the writer): realmvm-, kvmtool- and QEMU-style logs, and
 * the hostile cases - truncation, sizes past the end, lying digest counts,
 * unknown algorithms, tags and types.  Each truncated or corrupted input
 * is copied into an exactly-sized heap buffer so ASan catches any read
 * past its end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "realm/event_log_parse.h"

struct lb {
	uint8_t b[4096];
	size_t n;
};

static void u8(struct lb *l, uint8_t v)
{
	l->b[l->n++] = v;
}

static void u16(struct lb *l, uint16_t v)
{
	u8(l, v);
	u8(l, v >> 8);
}

static void u32(struct lb *l, uint32_t v)
{
	u16(l, v);
	u16(l, v >> 16);
}

static void u64(struct lb *l, uint64_t v)
{
	u32(l, v);
	u32(l, v >> 32);
}

static void bytes(struct lb *l, const void *p, size_t n)
{
	memcpy(l->b + l->n, p, n);
	l->n += n;
}

static void zeros(struct lb *l, size_t n)
{
	memset(l->b + l->n, 0, n);
	l->n += n;
}

static void header(struct lb *l, uint16_t alg, uint16_t size)
{
	u32(l, 0);
	u32(l, 3);
	zeros(l, 20);
	u32(l, 33);
	bytes(l, "Spec ID Event03", 16);
	u32(l, 0);
	u8(l, 0);
	u8(l, 2);
	u8(l, 106);
	u8(l, 2);
	u32(l, 1);
	u16(l, alg);
	u16(l, size);
	u8(l, 0);
}

/* Event head with 0 or 1 digest of dsize bytes filled with fill. */
static void ev_head(struct lb *l, uint32_t type, uint32_t count, uint16_t alg,
		    size_t dsize, uint8_t fill)
{
	u32(l, 0);
	u32(l, type);
	u32(l, count);
	if (count) {
		u16(l, alg);
		memset(l->b + l->n, fill, dsize);
		l->n += dsize;
	}
}

static void vm_version(struct lb *l, const char *name, uint16_t alg,
		       size_t ds, bool packed)
{
	char s[40] = { 0 };

	ev_head(l, 3, 1, alg, ds, 0);
	u32(l, packed ? 108 : 112);
	memset(s, 0, sizeof(s));
	strcpy(s, "VM VERSION");
	bytes(l, s, 16);
	memset(s, 0, sizeof(s));
	strcpy(s, name);
	bytes(l, s, 32);
	memset(s, 0, sizeof(s));
	strcpy(s, "1.2.3");
	bytes(l, s, 40);
	u64(l, 256ULL << 20);
	u32(l, 4);
	if (!packed)
		u32(l, 0);
	u64(l, 2);
}

static void tag(struct lb *l, uint32_t count, uint16_t alg, size_t ds,
		uint32_t id, uint32_t size)
{
	ev_head(l, 6, count, alg, ds, 0);
	u32(l, 8 + size);
	u32(l, id);
	u32(l, size);
}

static void blob(struct lb *l, uint32_t type, uint32_t count, uint16_t alg,
		 size_t ds, uint8_t fill, const char *desc, uint64_t base,
		 uint64_t size)
{
	ev_head(l, type, count, alg, ds, fill);
	u32(l, 1 + strlen(desc) + 16);
	u8(l, strlen(desc));
	bytes(l, desc, strlen(desc));
	u64(l, base);
	u64(l, size);
}

/* A realmvm-style sha256 log; offsets of interesting fields returned. */
static size_t off_kernel_count, off_kernel_size, off_tag_id, off_spec_alg,
	      off_kernel_alg;

static void realmvm_log(struct lb *l)
{
	memset(l, 0, sizeof(*l));
	header(l, 0x000B, 32);
	off_spec_alg = 60;
	vm_version(l, "realmvm", 0x000B, 32, false);
	off_tag_id = l->n + 12 + 2 + 32 + 4;
	tag(l, 1, 0x000B, 32, 1, 16);
	u64(l, 6);
	u8(l, 33); u8(l, 1); u8(l, 5); u8(l, 3); u8(l, 8); u8(l, 0);
	u16(l, 0);
	tag(l, 1, 0x000B, 32, 2, 16);
	u64(l, 0x80000000);
	u64(l, 256ULL << 20);
	off_kernel_count = l->n + 8;
	off_kernel_alg = l->n + 12;
	off_kernel_size = l->n + 12 + 2 + 32;
	blob(l, 0x13, 1, 0x000B, 32, 0xab, "KERNEL", 0x80000000, 5000);
	blob(l, 0x8000000A, 1, 0x000B, 32, 0xcd, "FIRMWARE", 0x80400000, 77);
	tag(l, 1, 0x000B, 32, 3, 80);
	u64(l, 1);
	u64(l, 0x80000000);
	u64(l, 0x8fe00000);
	zeros(l, 7 * 8);
	blob(l, 0x13, 0, 0, 0, 0, "LOG", 0x8fff0000, 0x10000);
}

static int parse_exact(const uint8_t *b, size_t n, struct event_log *log)
{
	uint8_t *copy = malloc(n ? n : 1);
	int r;

	memcpy(copy, b, n);
	r = event_log_parse(copy, n, log);
	/* events point into the buffer: the tests only read them before */
	if (r == 0)
		assert_true(log->end <= n);
	free(copy);
	return r;
}

static void test_realmvm_log(void **state)
{
	struct lb *l = calloc(1, sizeof(*l));
	struct event_log log;
	struct log_event *e;

	(void)state;
	realmvm_log(l);
	zeros(l, 300);	/* unused region */
	assert_int_equal(event_log_parse(l->b, l->n, &log), 0);
	assert_int_equal(log.alg_id, 0x000B);
	assert_int_equal(log.digest_size, 32);
	assert_true(log.has_vm_version);
	assert_int_equal(log.origin, LOG_ORIGIN_REALMVM);
	assert_string_equal(log.vm_version, "1.2.3");
	assert_int_equal(log.ram_size, 256ULL << 20);
	assert_int_equal(log.num_cpus, 4);
	assert_int_equal(log.vm_flags, 2);
	assert_int_equal(log.nr_events, 8);
	assert_int_equal(log.end, l->n - 300);
	e = log.events;
	assert_int_equal(e[0].kind, LEV_SPEC_ID);
	assert_int_equal(e[1].kind, LEV_VM_VERSION);
	assert_int_equal(e[1].offset, 65);
	assert_int_equal(e[2].kind, LEV_REALM_CREATE);
	assert_int_equal(e[2].create.flags, 6);
	assert_int_equal(e[2].create.s2sz, 33);
	assert_int_equal(e[2].create.pmu_num_ctrs, 8);
	assert_int_equal(e[3].kind, LEV_INIT_RIPAS);
	assert_int_equal(e[3].ripas.base, 0x80000000);
	assert_int_equal(e[3].ripas.size, 256ULL << 20);
	assert_int_equal(e[4].kind, LEV_BLOB);
	assert_int_equal(e[4].type, 0x13);
	assert_string_equal(e[4].blob.desc, "KERNEL");
	assert_int_equal(e[4].blob.base, 0x80000000);
	assert_int_equal(e[4].blob.size, 5000);
	assert_int_equal(e[4].digest_count, 1);
	assert_int_equal(e[4].digest[0], 0xab);
	assert_int_equal(e[4].digest[31], 0xab);
	assert_int_equal(e[5].type, 0x8000000A);
	assert_string_equal(e[5].blob.desc, "FIRMWARE");
	assert_int_equal(e[6].kind, LEV_REC_CREATE);
	assert_int_equal(e[6].rec.pc, 0x80000000);
	assert_int_equal(e[6].rec.gprs[0], 0x8fe00000);
	assert_int_equal(e[7].digest_count, 0);
	assert_string_equal(e[7].blob.desc, "LOG");
	assert_int_equal(e[7].index, 7);
	event_log_free(&log);
	free(l);
}

/* kvmtool: alg-0 NO_ACTION digests, count-0 tags, packed records. */
static void test_kvmtool_style(void **state)
{
	struct lb *l = calloc(1, sizeof(*l));
	struct event_log log;

	(void)state;
	header(l, 0x000D, 64);
	vm_version(l, "kvmtool", 0, 64, true);
	tag(l, 0, 0, 0, 1, 14);
	u64(l, 0);
	u8(l, 33); u8(l, 0); u8(l, 5); u8(l, 3); u8(l, 0); u8(l, 1);
	tag(l, 0, 0, 0, 2, 16);
	u64(l, 0x80000000);
	u64(l, 64ULL << 20);
	blob(l, 0x13, 1, 0x000D, 64, 0x11, "KERNEL", 0x80080000, 4096);
	assert_int_equal(parse_exact(l->b, l->n, &log), 0);
	assert_int_equal(log.origin, LOG_ORIGIN_KVMTOOL);
	assert_int_equal(log.digest_size, 64);
	assert_int_equal(log.vm_flags, 2);	/* packed: flags at 100 */
	assert_int_equal(log.nr_events, 5);
	assert_int_equal(log.events[1].digest_alg, 0);
	assert_int_equal(log.events[2].kind, LEV_REALM_CREATE);
	assert_int_equal(log.events[2].create.hash_algo, 1);
	assert_int_equal(log.events[2].digest_count, 0);
	assert_int_equal(log.events[4].digest[63], 0x11);
	event_log_free(&log);
	free(l);
}

static void expect_error(const uint8_t *b, size_t n, const char *what)
{
	struct event_log log;

	assert_int_equal(parse_exact(b, n, &log), -1);
	if (!strstr(log.error, what))
		fail_msg("error \"%s\" does not mention \"%s\"", log.error, what);
	assert_non_null(strstr(log.error, "offset "));
	assert_null(strchr(log.error, '\n'));
	event_log_free(&log);
}

static void test_truncated(void **state)
{
	struct lb *l = calloc(1, sizeof(*l));
	struct event_log log;
	size_t cut, ok = 0;

	(void)state;
	realmvm_log(l);
	expect_error(l->b, 0, "empty log");
	expect_error(l->b, 31, "truncated");
	expect_error(l->b, 64, "runs past the end");
	/* every prefix: fine at an event boundary, else a clean error */
	for (cut = 1; cut < l->n; cut++) {
		int r = parse_exact(l->b, cut, &log);
		size_t i;

		if (r == 0) {
			/* only zero bytes (padding) may follow the end */
			for (i = log.end; i < cut; i++)
				assert_int_equal(l->b[i], 0);
			if (log.end == cut)
				ok++;
		} else
			assert_non_null(strstr(log.error, "offset "));
		event_log_free(&log);
	}
	assert_int_equal(ok, 7);	/* after events 0..6 */
	free(l);
}

static void test_size_past_end(void **state)
{
	struct lb *l = calloc(1, sizeof(*l));

	(void)state;
	realmvm_log(l);
	l->b[off_kernel_size] = 0xff;
	l->b[off_kernel_size + 3] = 0x7f;
	expect_error(l->b, l->n, "runs past the end");
	free(l);
}

static void test_lying_count(void **state)
{
	struct lb *l = calloc(1, sizeof(*l));
	char want[64];

	(void)state;
	realmvm_log(l);
	l->b[off_kernel_count] = 2;
	snprintf(want, sizeof(want), "offset %zu", off_kernel_count);
	expect_error(l->b, l->n, want);
	expect_error(l->b, l->n, "digest count 2");
	l->b[off_kernel_count + 3] = 0xff;
	expect_error(l->b, l->n, "digest count 4278190082");
	free(l);
}

static void test_unknown_algorithm(void **state)
{
	struct lb *l = calloc(1, sizeof(*l));

	(void)state;
	realmvm_log(l);
	l->b[off_kernel_alg] = 0x0C;	/* sha384 in a sha256 log */
	expect_error(l->b, l->n, "unknown digest algorithm 0x000c");
	realmvm_log(l);
	l->b[off_spec_alg] = 0x12;	/* SM3 */
	expect_error(l->b, l->n, "unknown algorithm 0x0012");
	realmvm_log(l);
	l->b[off_spec_alg + 2] = 20;	/* wrong size for sha256 */
	expect_error(l->b, l->n, "digest size 20");
	realmvm_log(l);
	l->b[56] = 200;			/* numberOfAlgorithms */
	expect_error(l->b, l->n, "200 algorithms");
	free(l);
}

static void test_unknown_tag_and_type(void **state)
{
	struct lb *l = calloc(1, sizeof(*l));
	struct lb *m = calloc(1, sizeof(*m));

	(void)state;
	realmvm_log(l);
	l->b[off_tag_id] = 9;
	expect_error(l->b, l->n, "unknown tag id 9");
	realmvm_log(l);
	l->b[off_tag_id + 4] = 15;	/* tag size disagrees */
	expect_error(l->b, l->n, "does not match");
	header(m, 0x000B, 32);
	blob(m, 0x80000001, 1, 0x000B, 32, 0, "X", 0, 0);
	expect_error(m->b, m->n, "unknown event type 0x80000001");
	m->n = 0;
	header(m, 0x000B, 32);
	tag(m, 0, 0, 0, 3, 79);
	zeros(m, 79);
	expect_error(m->b, m->n, "expected 80");
	free(l);
	free(m);
}

static void test_not_a_log(void **state)
{
	struct lb *l = calloc(1, sizeof(*l));

	(void)state;
	realmvm_log(l);
	l->b[4] = 1;
	expect_error(l->b, l->n, "Spec ID");
	realmvm_log(l);
	l->b[33] = 'x';
	expect_error(l->b, l->n, "signature");
	realmvm_log(l);
	l->b[10] = 1;
	expect_error(l->b, l->n, "digest is not zero");
	memset(l->b, 0, 200);
	expect_error(l->b, 200, "offset 0");
	free(l);
}

static void test_bad_blob(void **state)
{
	struct lb *m = calloc(1, sizeof(*m));

	(void)state;
	header(m, 0x000B, 32);
	blob(m, 0x13, 0, 0, 0, 0, "KER\x01L", 0, 0);
	expect_error(m->b, m->n, "non-printable");
	m->n = 0;
	header(m, 0x000B, 32);
	blob(m, 0x13, 0, 0, 0, 0, "KERNEL", 0, 0);
	m->b[m->n - 23] = 7;		/* description size lies */
	expect_error(m->b, m->n, "7-byte description");
	free(m);
}

/* Every byte set to a few values: parse or fail cleanly, never crash. */
static void test_corruption_sweep(void **state)
{
	static const uint8_t vals[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	struct lb *l = calloc(1, sizeof(*l));
	struct lb *orig = calloc(1, sizeof(*orig));
	struct event_log log;
	size_t i, v, failures = 0;

	(void)state;
	realmvm_log(orig);
	for (i = 0; i < orig->n; i++) {
		for (v = 0; v < sizeof(vals); v++) {
			*l = *orig;
			l->b[i] = vals[v];
			if (parse_exact(l->b, l->n, &log)) {
				failures++;
				assert_true(log.error[0] != 0);
			} else {
				assert_true(log.nr_events >= 1);
			}
			event_log_free(&log);
		}
	}
	assert_true(failures > 0);
	free(l);
	free(orig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_realmvm_log),
		cmocka_unit_test(test_kvmtool_style),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_size_past_end),
		cmocka_unit_test(test_lying_count),
		cmocka_unit_test(test_unknown_algorithm),
		cmocka_unit_test(test_unknown_tag_and_type),
		cmocka_unit_test(test_not_a_log),
		cmocka_unit_test(test_bad_blob),
		cmocka_unit_test(test_corruption_sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
