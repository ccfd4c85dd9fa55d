/*
 * virtio-9p driven through its registers and a split ring as Linux's
 * 9p virtio transport drives it: the mount tag in config space, Tversion
 * and Tattach in one readable buffer with the reply in a writable one, a
 * zero-copy style Tread whose reply spans a small header buffer and a data
 * buffer, a realm whose driver gives every address in the shared alias
 * (its bounce buffers), a request longer than msize, a chain with no room
 * for a reply, and the dry run that needs no directory.
 */
#include <endian.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "devices/p9_codec.h"
#include "tests/unit/stderr_capture.h"
#include "tests/unit/virtio_test_driver.h"
#include "vmm/config.h"
#include "vmm/util.h"

#define RING0		(RAM_BASE + 0x1000)
#define REQ		(RAM_BASE + 0x10000)
#define RESP		(RAM_BASE + 0x40000)
#define DATA		(RAM_BASE + 0x80000)
#define F_V1		(1ULL << VIRTIO_F_VERSION_1)
#define F_AP		(1ULL << VIRTIO_F_ACCESS_PLATFORM)
#define F_TAG		(1ULL << 0)

struct fixture {
	struct guest_mem gm;
	struct config cfg;
	char dir[64];
	struct device *dev;
	struct virtio_dev *vd;
	struct tring r;
	uint64_t alias;		/* realm: the shared bit on every address */
};

static void irq_ignore(struct device *dev, bool level)
{
	(void)dev;
	(void)level;
}

static int make(void **state, bool realm)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char p[128];
	FILE *fp;

	assert_non_null(f);
	strcpy(f->dir, "/tmp/realmvm-v9p-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(p, sizeof(p), "%s/hello", f->dir);
	fp = fopen(p, "w");
	assert_non_null(fp);
	fputs("hello from the host", fp);
	fclose(fp);

	assert_int_equal(guest_mem_alloc(&f->gm, RAM_BASE, TEST_RAM_SIZE), 0);
	config_init(&f->cfg);
	f->cfg.realm = realm;
	f->cfg.p9[0].dir = f->dir;
	f->cfg.p9[0].tag = "hostshare";
	f->cfg.nr_p9 = 1;
	device_reset_registry();
	assert_int_equal(virtio_devices_setup(&f->cfg, &f->gm), 0);
	f->dev = device_first();
	assert_non_null(f->dev);
	/* dev is the first member of struct virtio_dev */
	f->vd = (struct virtio_dev *)((char *)f->dev -
				      offsetof(struct virtio_dev, dev));
	f->alias = realm ? f->vd->shared_bit : 0;
	device_irq_line = irq_ignore;
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return make(state, false);
}

static int setup_realm(void **state)
{
	return make(state, true);
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	device_reset_registry();
	virtio_mmio_destroy_all();
	guest_mem_free(&f->gm);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void start(struct fixture *f)
{
	uint64_t a = f->alias;

	tring_init(&f->r, &f->gm, RING0, 16);
	assert_true(drv_negotiate(f->dev, F_V1 | F_TAG |
				  (f->cfg.realm ? F_AP : 0)) &
		    VIRTIO_STATUS_FEATURES_OK);
	drv_queue(f->dev, 0, 16, f->r.desc | a, f->r.avail | a,
		  f->r.used | a);
	drv_ok(f->dev);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_STATUS) & 0x4f, 0x0f);
}

/*
 * Put msg (len bytes) at REQ and post it with writable buffers of
 * resp_lens[] (0-terminated, at RESP then DATA).  Returns the used length.
 */
static uint32_t post(struct fixture *f, const uint8_t *msg, size_t len,
		     const uint32_t *resp_lens)
{
	uint64_t a = f->alias, at[2] = { RESP, DATA };
	uint16_t before = tring_used_idx(&f->r);
	struct virtq_used_elem e;
	unsigned int n = 0, i;

	memcpy(host(&f->gm, REQ), msg, len);
	for (i = 0; resp_lens[i]; i++)
		;
	tring_desc(&f->r, n, REQ | a, (uint32_t)len,
		   i ? VIRTQ_DESC_F_NEXT : 0, 1);
	n++;
	for (i = 0; resp_lens[i]; i++, n++)
		tring_desc(&f->r, n, at[i] | a, resp_lens[i],
			   VIRTQ_DESC_F_WRITE |
			   (resp_lens[i + 1] ? VIRTQ_DESC_F_NEXT : 0), n + 1);
	tring_avail(&f->r, 0);
	wr32(f->dev, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	assert_int_equal(tring_used_idx(&f->r), (uint16_t)(before + 1));
	e = tring_used(&f->r, before);
	assert_int_equal(le32toh(e.id), 0);
	return le32toh(e.len);
}

static size_t msg_version(uint8_t *b, uint32_t msize)
{
	struct p9_writer w;

	p9_begin(&w, b, 64, P9_TVERSION, P9_NOTAG);
	p9_put_u32(&w, msize);
	p9_put_str(&w, "9P2000.L", 8);
	return p9_finish(&w);
}

static void check_config(struct fixture *f)
{
	uint8_t d[8];
	char tag[P9_TAG_MAX + 1] = "";
	unsigned int i;

	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_DEVICE_ID), 9);
	wr32(f->dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	assert_true(rd32(f->dev, VIRTIO_MMIO_DEVICE_FEATURES) & F_TAG);
	f->dev->mmio(f->dev, VIRTIO_MMIO_CONFIG, d, 2, false);
	assert_int_equal(d[0] | d[1] << 8, 9);
	for (i = 0; i < 9; i++) {
		f->dev->mmio(f->dev, VIRTIO_MMIO_CONFIG + 2 + i, d, 1, false);
		tag[i] = (char)d[0];
	}
	assert_string_equal(tag, "hostshare");
}

/* Version, attach, walk, open and a read split like Linux's zero-copy. */
static void session(struct fixture *f)
{
	const uint32_t one[] = { 4096, 0 }, split[] = { 11, 4096, 0 };
	uint8_t b[256], *resp = host(&f->gm, RESP);
	struct p9_writer w;
	uint32_t used;

	start(f);
	used = post(f, b, msg_version(b, 1U << 20), one);
	assert_int_equal(used, 4 + 1 + 2 + 4 + 2 + 8);
	assert_int_equal(resp[4], P9_TVERSION + 1);
	assert_int_equal(get_le32(resp + 7), P9_MSIZE_MAX);

	p9_begin(&w, b, sizeof(b), P9_TATTACH, 1);
	p9_put_u32(&w, 0);
	p9_put_u32(&w, P9_NOFID);
	p9_put_str(&w, "root", 4);
	p9_put_str(&w, "", 0);
	p9_put_u32(&w, 0);
	assert_int_equal(post(f, b, p9_finish(&w), one), 7 + P9_QID_SIZE);
	assert_int_equal(resp[4], P9_TATTACH + 1);

	p9_begin(&w, b, sizeof(b), P9_TWALK, 2);
	p9_put_u32(&w, 0);
	p9_put_u32(&w, 1);
	p9_put_u16(&w, 1);
	p9_put_str(&w, "hello", 5);
	post(f, b, p9_finish(&w), one);
	assert_int_equal(resp[4], P9_TWALK + 1);

	p9_begin(&w, b, sizeof(b), P9_TLOPEN, 3);
	p9_put_u32(&w, 1);
	p9_put_u32(&w, 0);
	post(f, b, p9_finish(&w), one);
	assert_int_equal(resp[4], P9_TLOPEN + 1);

	p9_begin(&w, b, sizeof(b), P9_TREAD, 4);
	p9_put_u32(&w, 1);
	p9_put_u64(&w, 0);
	p9_put_u32(&w, 4096);
	used = post(f, b, p9_finish(&w), split);
	assert_int_equal(used, 11 + 19);
	assert_int_equal(resp[4], P9_TREAD + 1);
	assert_int_equal(get_le32(resp + 7), 19);
	assert_memory_equal(host(&f->gm, DATA), "hello from the host", 19);
}

static void test_session(void **state)
{
	struct fixture *f = *state;

	check_config(f);
	session(f);
}

/* A realm: ACCESS_PLATFORM and every address in the shared alias. */
static void test_realm_bounce(void **state)
{
	struct fixture *f = *state;

	assert_int_not_equal(f->alias, 0);
	wr32(f->dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	assert_true(rd32(f->dev, VIRTIO_MMIO_DEVICE_FEATURES) & (F_AP >> 32));
	session(f);
}

static void test_hostile_chains(void **state)
{
	struct fixture *f = *state;
	const uint32_t one[] = { 4096, 0 }, tiny[] = { 10, 0 }, none[] = { 0 };
	uint8_t *resp = host(&f->gm, RESP), b[64];
	uint8_t *big = calloc(1, P9_MSIZE_MAX + 16);

	assert_non_null(big);
	start(f);
	/* Longer than msize: EMSGSIZE for its tag. */
	memcpy(big, "\0\0\0\0\x76\x2a\0", 7);
	assert_int_equal(post(f, big, P9_MSIZE_MAX + 16, one), 11);
	assert_int_equal(resp[4], P9_RLERROR);
	assert_int_equal(resp[5], 0x2a);
	assert_int_equal(get_le32(resp + 7), EMSGSIZE);
	/* No room for any reply: handed back empty, device still fine. */
	assert_int_equal(post(f, b, msg_version(b, 8192), tiny), 0);
	assert_int_equal(post(f, b, msg_version(b, 8192), none), 0);
	/* Garbage: an Rlerror, not a broken device. */
	memset(big, 0xff, 64);
	assert_int_equal(post(f, big, 64, one), 11);
	assert_int_equal(resp[4], P9_RLERROR);
	assert_int_equal(get_le32(resp + 7), EPROTO);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_STATUS) &
			 VIRTIO_STATUS_NEEDS_RESET, 0);
	free(big);
}

/* A dry run registers the device without the directory; a launch needs it. */
static void test_dry_run_and_missing_dir(void **state)
{
	struct guest_mem gm;
	struct config cfg;

	(void)state;
	assert_int_equal(guest_mem_alloc(&gm, RAM_BASE, TEST_RAM_SIZE), 0);
	config_init(&cfg);
	cfg.p9[0].dir = "/nonexistent/realmvm-share";
	cfg.p9[0].tag = "t";
	cfg.nr_p9 = 1;
	cfg.dry_run = true;
	device_reset_registry();
	assert_int_equal(virtio_devices_setup(&cfg, &gm), 0);
	assert_non_null(device_first());
	device_reset_registry();
	virtio_mmio_destroy_all();
	cfg.dry_run = false;
	cap_begin();
	assert_int_equal(virtio_devices_setup(&cfg, &gm), -1);
	cap_end();
	assert_string_equal(errbuf, "realmvm: --9p t: /nonexistent/realmvm-share: No such file or directory\n");
	device_reset_registry();
	virtio_mmio_destroy_all();
	guest_mem_free(&gm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_realm_bounce, setup_realm,
						teardown),
		cmocka_unit_test_setup_teardown(test_hostile_chains, setup,
						teardown),
		cmocka_unit_test(test_dry_run_and_missing_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
