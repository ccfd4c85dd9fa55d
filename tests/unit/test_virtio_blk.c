/*
 * virtio-blk on a temporary raw image, driven through its registers and a
 * split ring like a guest driver would: reads, writes, flush, GET_ID,
 * read-only disks, out-of-range and overflowing sectors, malformed
 * requests, and the dry-run/launch split for opening the file.
 */
#include <endian.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include <string.h>
#include <sys/stat.h>

#include "devices/virtio_limits.h"
#include "tests/unit/virtio_test_driver.h"
#include "vmm/config.h"
#include "vmm/util.h"
#include "stderr_capture.h"

#define SECTORS		8
#define RING0		(RAM_BASE + 0x1000)
#define HDR		(RAM_BASE + 0x10000)
#define DATA		(RAM_BASE + 0x20000)
#define STATUS		(RAM_BASE + 0x30000)
#define F_V1		(1ULL << VIRTIO_F_VERSION_1)
#define F_RO		(1ULL << 5)
#define F_FLUSH		(1ULL << 9)

#define T_IN		0
#define T_OUT		1
#define T_FLUSH		4
#define T_GET_ID	8

struct fixture {
	struct guest_mem gm;
	struct config cfg;
	char path[64];
	struct device *dev;
	struct tring r;
};

/* Sector s, byte i of the image holds (s * 31 + i) & 0xff. */
static uint8_t pattern(unsigned int s, unsigned int i)
{
	return (s * 31 + i) & 0xff;
}

static int make(void **state, bool ro)
{
	struct fixture *f = calloc(1, sizeof(*f));
	uint8_t img[SECTORS * 512];
	unsigned int i;
	int fd;

	assert_non_null(f);
	for (i = 0; i < sizeof(img); i++)
		img[i] = pattern(i / 512, i % 512);
	strcpy(f->path, "/tmp/realmvm-blk-XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, img, sizeof(img)), sizeof(img));
	close(fd);

	assert_int_equal(guest_mem_alloc(&f->gm, RAM_BASE, TEST_RAM_SIZE), 0);
	config_init(&f->cfg);
	f->cfg.disks[0].path = f->path;
	f->cfg.disks[0].readonly = ro;
	f->cfg.nr_disks = 1;
	device_reset_registry();
	assert_int_equal(virtio_devices_setup(&f->cfg, &f->gm), 0);
	f->dev = device_first();
	assert_non_null(f->dev);
	*state = f;
	return 0;
}

static void irq_ignore(struct device *dev, bool level)
{
	(void)dev;
	(void)level;
}

static int setup(void **state)
{
	make(state, false);
	device_irq_line = irq_ignore;
	return 0;
}

static int setup_ro(void **state)
{
	make(state, true);
	device_irq_line = irq_ignore;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	device_reset_registry();
	virtio_mmio_destroy_all();
	guest_mem_free(&f->gm);
	unlink(f->path);
	free(f);
	return 0;
}

static void start(struct fixture *f, uint64_t features)
{
	tring_init(&f->r, &f->gm, RING0, 16);
	assert_true(drv_negotiate(f->dev, F_V1 | features) &
		    VIRTIO_STATUS_FEATURES_OK);
	drv_queue(f->dev, 0, 16, f->r.desc, f->r.avail, f->r.used);
	drv_ok(f->dev);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_STATUS) & 0x4f, 0x0f);
}

/*
 * Submit a request: header, then data (device-writable for IN/GET_ID),
 * then the status byte.  Returns the status byte; *used_len gets the
 * device's count of written bytes.
 */
static uint8_t request(struct fixture *f, uint32_t type, uint64_t sector,
		       uint32_t data_len, uint32_t *used_len)
{
	uint8_t hdr[16];
	uint16_t wflag = (type == T_OUT) ? 0 : VIRTQ_DESC_F_WRITE;
	uint16_t before = tring_used_idx(&f->r);
	struct virtq_used_elem e;
	unsigned int n = 0;

	put_le32(hdr, type);
	put_le32(hdr + 4, 0);
	put_le64(hdr + 8, sector);
	memcpy(host(&f->gm, HDR), hdr, sizeof(hdr));
	*(uint8_t *)host(&f->gm, STATUS) = 0xee;
	tring_desc(&f->r, n, HDR, 16, VIRTQ_DESC_F_NEXT, n + 1);
	n++;
	if (data_len) {
		tring_desc(&f->r, n, DATA, data_len,
			   wflag | VIRTQ_DESC_F_NEXT, n + 1);
		n++;
	}
	tring_desc(&f->r, n, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
	tring_avail(&f->r, 0);
	wr32(f->dev, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	assert_int_equal(tring_used_idx(&f->r), (uint16_t)(before + 1));
	e = tring_used(&f->r, before);
	assert_int_equal(le32toh(e.id), 0);
	if (used_len)
		*used_len = le32toh(e.len);
	return *(uint8_t *)host(&f->gm, STATUS);
}

static void file_read(struct fixture *f, uint64_t off, void *buf, size_t n)
{
	FILE *fp = fopen(f->path, "rb");

	assert_non_null(fp);
	assert_int_equal(fseek(fp, off, SEEK_SET), 0);
	assert_int_equal(fread(buf, 1, n, fp), n);
	fclose(fp);
}

static void test_config(void **state)
{
	struct fixture *f = *state;
	uint8_t d[8];
	uint64_t feat;

	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_BLOCK);
	f->dev->mmio(f->dev, VIRTIO_MMIO_CONFIG, d, 8, false);
	assert_int_equal(get_le64(d), SECTORS);
	wr32(f->dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	feat = rd32(f->dev, VIRTIO_MMIO_DEVICE_FEATURES);
	assert_true(feat & F_FLUSH);
	assert_false(feat & F_RO);
}

static void test_read(void **state)
{
	struct fixture *f = *state;
	uint8_t *data = host(&f->gm, DATA);
	uint32_t used;
	unsigned int i;

	start(f, F_FLUSH);
	assert_int_equal(request(f, T_IN, 2, 1024, &used), 0);
	assert_int_equal(used, 1025);
	for (i = 0; i < 1024; i++)
		assert_int_equal(data[i], pattern(2 + i / 512, i % 512));
	/* The last sector is readable, one more is not. */
	assert_int_equal(request(f, T_IN, SECTORS - 1, 512, NULL), 0);
	assert_int_equal(data[0], pattern(SECTORS - 1, 0));
}

static void test_write(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[512], back[512];
	uint32_t used;

	start(f, F_FLUSH);
	memset(buf, 0x5a, sizeof(buf));
	memcpy(host(&f->gm, DATA), buf, sizeof(buf));
	assert_int_equal(request(f, T_OUT, 3, 512, &used), 0);
	assert_int_equal(used, 1);
	file_read(f, 3 * 512, back, sizeof(back));
	assert_memory_equal(back, buf, sizeof(back));
	/* Neighbours untouched. */
	file_read(f, 4 * 512, back, 1);
	assert_int_equal(back[0], pattern(4, 0));
	/* And it reads back through the device. */
	memset(host(&f->gm, DATA), 0, 512);
	assert_int_equal(request(f, T_IN, 3, 512, NULL), 0);
	assert_memory_equal(host(&f->gm, DATA), buf, 512);
}

static void test_flush(void **state)
{
	struct fixture *f = *state;

	start(f, F_FLUSH);
	assert_int_equal(request(f, T_FLUSH, 0, 0, NULL), 0);
}

static void test_flush_not_negotiated(void **state)
{
	struct fixture *f = *state;

	start(f, 0);
	/* UNSUPP */
	assert_int_equal(request(f, T_FLUSH, 0, 0, NULL), 2);
}

static void test_get_id(void **state)
{
	struct fixture *f = *state;
	uint32_t used;

	start(f, 0);
	memset(host(&f->gm, DATA), 0xff, 20);
	assert_int_equal(request(f, T_GET_ID, 0, 20, &used), 0);
	assert_int_equal(used, 21);
	assert_string_equal(host(&f->gm, DATA), "realmvm-disk0");
}

static void test_out_of_range(void **state)
{
	struct fixture *f = *state;
	uint8_t before[SECTORS * 512], after[SECTORS * 512];

	start(f, 0);
	file_read(f, 0, before, sizeof(before));
	assert_int_equal(request(f, T_IN, SECTORS, 512, NULL), 1);
	assert_int_equal(request(f, T_IN, SECTORS - 1, 1024, NULL), 1);
	assert_int_equal(request(f, T_OUT, SECTORS, 512, NULL), 1);
	assert_int_equal(request(f, T_OUT, SECTORS - 1, 1024, NULL), 1);
	/* sector * 512 overflows 64 bits: must not wrap to a small offset */
	assert_int_equal(request(f, T_IN, (UINT64_MAX >> 9) + 1, 512, NULL), 1);
	assert_int_equal(request(f, T_OUT, (UINT64_MAX >> 9) + 2, 512, NULL),
			 1);
	assert_int_equal(request(f, T_IN, UINT64_MAX, 512, NULL), 1);
	/* Not a whole number of sectors. */
	assert_int_equal(request(f, T_IN, 0, 100, NULL), 1);
	assert_int_equal(request(f, T_OUT, 0, 513, NULL), 1);
	file_read(f, 0, after, sizeof(after));
	assert_memory_equal(before, after, sizeof(after));
	/* The device is still healthy after refusing all that. */
	assert_int_equal(request(f, T_IN, 0, 512, NULL), 0);
	assert_false(rd32(f->dev, VIRTIO_MMIO_STATUS) &
		     VIRTIO_STATUS_NEEDS_RESET);
}

static void test_unsupported(void **state)
{
	struct fixture *f = *state;

	start(f, 0);
	assert_int_equal(request(f, 11, 0, 0, NULL), 2);	/* DISCARD */
	assert_int_equal(request(f, 0xffffffff, 0, 0, NULL), 2);
}

static void test_short_header(void **state)
{
	struct fixture *f = *state;
	struct virtq_used_elem e;

	start(f, 0);
	tring_desc(&f->r, 0, HDR, 8, VIRTQ_DESC_F_NEXT, 1);
	tring_desc(&f->r, 1, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
	tring_avail(&f->r, 0);
	wr32(f->dev, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	assert_int_equal(tring_used_idx(&f->r), 1);
	/* IOERR */
	assert_int_equal(*(uint8_t *)host(&f->gm, STATUS), 1);
	/* No writable byte at all: answered with nothing written. */
	tring_desc(&f->r, 0, HDR, 16, 0, 0);
	tring_avail(&f->r, 0);
	wr32(f->dev, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	assert_int_equal(tring_used_idx(&f->r), 2);
	e = tring_used(&f->r, 1);
	assert_int_equal(le32toh(e.len), 0);
}

static void test_hostile_descriptor(void **state)
{
	struct fixture *f = *state;

	start(f, 0);
	tring_desc(&f->r, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
	tring_desc(&f->r, 1, RAM_BASE + TEST_RAM_SIZE - 256, 512,
		   VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 2);
	tring_desc(&f->r, 2, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
	tring_avail(&f->r, 0);
	wr32(f->dev, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	assert_int_equal(tring_used_idx(&f->r), 0);
	assert_true(rd32(f->dev, VIRTIO_MMIO_STATUS) &
		    VIRTIO_STATUS_NEEDS_RESET);
	/* A reset brings it back. */
	start(f, 0);
	assert_int_equal(request(f, T_IN, 1, 512, NULL), 0);
}

static void test_readonly(void **state)
{
	struct fixture *f = *state;
	uint8_t back[512];
	uint64_t feat;

	wr32(f->dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	feat = rd32(f->dev, VIRTIO_MMIO_DEVICE_FEATURES);
	assert_true(feat & F_RO);
	start(f, F_RO);
	memset(host(&f->gm, DATA), 0x77, 512);
	assert_int_equal(request(f, T_OUT, 0, 512, NULL), 1);
	file_read(f, 0, back, sizeof(back));
	assert_int_equal(back[0], pattern(0, 0));
	assert_int_equal(back[511], pattern(0, 511));
	assert_int_equal(request(f, T_IN, 0, 512, NULL), 0);
}

static void test_missing_file(void **state)
{
	struct fixture *f = *state;
	struct config cfg;

	(void)f;
	config_init(&cfg);
	cfg.disks[0].path = "/nonexistent/realmvm-disk.img";
	cfg.nr_disks = 1;
	/* A launch fails cleanly, */
	assert_int_equal(virtio_devices_setup(&cfg, &f->gm), -1);
	/* A directory is refused, even read-only (it would open). */
	cfg.disks[0].path = "/tmp";
	cfg.disks[0].readonly = true;
	assert_int_equal(virtio_devices_setup(&cfg, &f->gm), -1);
	cfg.disks[0].path = "/nonexistent/realmvm-disk.img";
	/* ...a dry run does not even look at the file. */
	cfg.dry_run = true;
	assert_int_equal(virtio_devices_setup(&cfg, &f->gm), 0);
}

/* Device set-up for cfg fails, and its one error line holds msg. */
static void assert_setup_refused(const struct config *cfg,
				 struct guest_mem *gm, const char *msg)
{
	int ret;

	cap_begin();
	ret = virtio_devices_setup(cfg, gm);
	cap_end();
	assert_int_equal(ret, -1);
	assert_non_null(strstr(errbuf, msg));
}

/* A second VM cannot open a disk this one writes (OFD lock, as QEMU). */
static void test_lock_exclusive(void **state)
{
	struct fixture *f = *state;
	struct config cfg;

	config_init(&cfg);
	cfg.disks[0].path = f->path;
	cfg.nr_disks = 1;
	assert_setup_refused(&cfg, &f->gm, "in use by another VM");
	cfg.disks[0].readonly = true;
	assert_setup_refused(&cfg, &f->gm, "in use by another VM");
}

/* ,ro takes a shared lock: readers share, a writer is refused. */
static void test_lock_shared(void **state)
{
	struct fixture *f = *state;
	struct config cfg;

	config_init(&cfg);
	cfg.disks[0].path = f->path;
	cfg.disks[0].readonly = true;
	cfg.nr_disks = 1;
	assert_int_equal(virtio_devices_setup(&cfg, &f->gm), 0);
	cfg.disks[0].readonly = false;
	assert_setup_refused(&cfg, &f->gm, "in use by another VM");
}

/* A named pipe is refused at once, not waited on. */
static void test_fifo_refused(void **state)
{
	struct fixture *f = *state;
	char fifo[] = "/tmp/realmvm-blk-fifo-XXXXXX";
	struct config cfg;
	int ret, fd;

	fd = mkstemp(fifo);
	assert_true(fd >= 0);
	close(fd);
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	config_init(&cfg);
	cfg.disks[0].path = fifo;
	cfg.disks[0].readonly = true;
	cfg.nr_disks = 1;
	cap_begin();
	ret = virtio_devices_setup(&cfg, &f->gm);
	cap_end();
	unlink(fifo);
	assert_int_equal(ret, -1);
	assert_non_null(strstr(errbuf, "not a regular file or block device"));
}

/*
 * A request above VIRTIO_BLK_REQ_MAX is refused with IOERR before any
 * I/O, on a disk large enough that it is in range; one at the cap works.
 */
static void test_request_cap(void **state)
{
	struct fixture *f = *state;
	struct config cfg;
	struct device *dev;
	struct tring r;
	char path[] = "/tmp/realmvm-blk-big-XXXXXX";
	unsigned int n, i, segs;
	uint8_t hdr[16], cfgspace[16];
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 2 * VIRTIO_BLK_REQ_MAX), 0);
	close(fd);
	device_reset_registry();
	virtio_mmio_destroy_all();
	config_init(&cfg);
	cfg.disks[0].path = path;
	cfg.nr_disks = 1;
	assert_int_equal(virtio_devices_setup(&cfg, &f->gm), 0);
	dev = device_first();
	/* size_max and seg_max are advertised, and bound a request */
	dev->mmio(dev, VIRTIO_MMIO_CONFIG + 8, cfgspace, 8, false);
	assert_int_equal(get_le32(cfgspace), VIRTIO_BLK_SIZE_MAX);
	assert_int_equal(get_le32(cfgspace + 4), VIRTIO_BLK_SEG_MAX);
	tring_init(&r, &f->gm, RING0, 32);
	assert_true(drv_negotiate(dev, F_V1) & VIRTIO_STATUS_FEATURES_OK);
	drv_queue(dev, 0, 32, r.desc, r.avail, r.used);
	drv_ok(dev);
	for (segs = 16; segs <= 17; segs++) {
		uint16_t before = tring_used_idx(&r);

		put_le32(hdr, T_IN);
		put_le32(hdr + 4, 0);
		put_le64(hdr + 8, 0);
		memcpy(host(&f->gm, HDR), hdr, sizeof(hdr));
		*(uint8_t *)host(&f->gm, STATUS) = 0xee;
		n = 0;
		tring_desc(&r, n, HDR, 16, VIRTQ_DESC_F_NEXT, n + 1);
		n++;
		/* the same 1 MiB of RAM, segs times: 16 MiB is the cap */
		for (i = 0; i < segs; i++, n++)
			tring_desc(&r, n, DATA, 1 << 20,
				   VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT,
				   n + 1);
		tring_desc(&r, n, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
		tring_avail(&r, 0);
		wr32(dev, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
		assert_int_equal(tring_used_idx(&r), (uint16_t)(before + 1));
		assert_int_equal(*(uint8_t *)host(&f->gm, STATUS),
				 segs == 16 ? 0 : 1);
	}
	unlink(path);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_config),
		T(test_read),
		T(test_write),
		T(test_flush),
		T(test_flush_not_negotiated),
		T(test_get_id),
		T(test_out_of_range),
		T(test_unsupported),
		T(test_short_header),
		T(test_hostile_descriptor),
		cmocka_unit_test_setup_teardown(test_readonly, setup_ro,
						teardown),
		T(test_missing_file),
		T(test_lock_exclusive),
		cmocka_unit_test_setup_teardown(test_lock_shared, setup_ro,
						teardown),
		T(test_fifo_refused),
		T(test_request_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
