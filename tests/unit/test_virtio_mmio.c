/*
 * virtio-mmio transport: register values, feature negotiation (including
 * ACCESS_PLATFORM for realms), the status state machine, reset, queue
 * set-up, config space bounds, interrupts, bad access widths and offsets,
 * and the DTB node.
 */
#include <endian.h>
#include <libfdt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "devices/virtio_console.h"
#include "tests/unit/virtio_test_driver.h"
#include "vmm/config.h"
#include "vmm/util.h"

#define F_DEV0		(1ULL << 0)
#define F_DEV5		(1ULL << 5)
#define F_V1		(1ULL << VIRTIO_F_VERSION_1)
#define F_AP		(1ULL << VIRTIO_F_ACCESS_PLATFORM)
#define F_INDIRECT	(1ULL << VIRTIO_F_INDIRECT_DESC)
#define RING0		(RAM_BASE + 0x1000)

static unsigned int notified[VIRTIO_MAX_QUEUES];
static unsigned int resets, driver_oks, irq_rises, irq_falls;

static void t_notify(struct virtio_dev *vd, unsigned int q)
{
	(void)vd;
	notified[q]++;
}

static void t_reset(struct virtio_dev *vd)
{
	(void)vd;
	resets++;
}

static void t_driver_ok(struct virtio_dev *vd)
{
	(void)vd;
	driver_oks++;
}

static void t_irq(struct device *dev, bool level)
{
	(void)dev;
	if (level)
		irq_rises++;
	else
		irq_falls++;
}

static const struct virtio_ops t_ops = {
	.device_id = 42,
	.num_queues = 2,
	.queue_max = 16,
	.features = F_DEV0 | F_DEV5,
	.config_size = 8,
	.notify = t_notify,
	.reset = t_reset,
	.driver_ok = t_driver_ok,
};

struct fixture {
	struct guest_mem gm;
	struct config cfg;
	struct virtio_dev *vd;
	struct device *dev;
};

static int make(void **state, bool realm)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(guest_mem_alloc(&f->gm, RAM_BASE, TEST_RAM_SIZE), 0);
	config_init(&f->cfg);
	f->cfg.realm = realm;
	device_reset_registry();
	f->vd = virtio_mmio_create("test", &t_ops, &f->cfg, &f->gm, NULL);
	assert_non_null(f->vd);
	memcpy(f->vd->config, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	f->dev = &f->vd->dev;
	memset(notified, 0, sizeof(notified));
	resets = driver_oks = irq_rises = irq_falls = 0;
	device_irq_line = t_irq;
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

	device_reset_registry();
	virtio_mmio_destroy_all();
	guest_mem_free(&f->gm);
	free(f);
	return 0;
}

static uint64_t dev_features(struct device *dev)
{
	uint64_t f;

	wr32(dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	f = rd32(dev, VIRTIO_MMIO_DEVICE_FEATURES);
	wr32(dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	return f | (uint64_t)rd32(dev, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
}

static void test_identity(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_MAGIC_VALUE), 0x74726976);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_VERSION), 2);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_DEVICE_ID), 42);
	assert_int_not_equal(rd32(f->dev, VIRTIO_MMIO_VENDOR_ID), 0);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_STATUS), 0);
	assert_int_equal(f->dev->base, VIRTIO_MMIO_BASE);
	assert_int_equal(f->dev->size, VIRTIO_MMIO_SIZE);
	assert_int_equal(f->dev->spi, VIRTIO_MMIO_SPI_BASE);
	/* No shared memory regions: their length reads as -1. */
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_SHM_LEN_LOW), 0xffffffff);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_SHM_LEN_HIGH), 0xffffffff);
}

static void test_features_offered(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(dev_features(f->dev),
			 F_DEV0 | F_DEV5 | F_V1 | F_INDIRECT);
	wr32(f->dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 2);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_DEVICE_FEATURES), 0);
	wr32(f->dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0xffffffff);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_DEVICE_FEATURES), 0);
}

static void test_realm_offers_access_platform(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(dev_features(f->dev),
			 F_DEV0 | F_DEV5 | F_V1 | F_INDIRECT | F_AP);
	/* A realm driver that refuses ACCESS_PLATFORM cannot proceed. */
	assert_false(drv_negotiate(f->dev, F_V1) & VIRTIO_STATUS_FEATURES_OK);
	assert_true(drv_negotiate(f->dev, F_V1 | F_AP) &
		    VIRTIO_STATUS_FEATURES_OK);
}

static void test_realm_shared_bit(void **state)
{
	struct fixture *f = *state;
	unsigned int bits = layout_ipa_bits(RAM_BASE, f->cfg.ram_size, true);

	assert_int_equal(f->vd->shared_bit, 1ULL << (bits - 1));
	/* Rings given at their shared alias are accepted. */
	drv_negotiate(f->dev, F_V1 | F_AP);
	drv_queue(f->dev, 0, 8, RING0 | f->vd->shared_bit,
		  (RING0 + 0x100) | f->vd->shared_bit,
		  (RING0 + 0x200) | f->vd->shared_bit);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_QUEUE_READY), 1);
}

static void test_negotiation(void **state)
{
	struct fixture *f = *state;
	uint32_t st;

	st = drv_negotiate(f->dev, F_V1 | F_DEV5);
	assert_int_equal(st, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
			 VIRTIO_STATUS_FEATURES_OK);
	assert_true(virtio_has_feature(f->vd, 5));
	assert_false(virtio_has_feature(f->vd, 0));
	assert_true(virtio_has_feature(f->vd, VIRTIO_F_VERSION_1));
	/* Features are frozen once FEATURES_OK was accepted. */
	wr32(f->dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr32(f->dev, VIRTIO_MMIO_DRIVER_FEATURES, 1);
	assert_false(virtio_has_feature(f->vd, 0));
}

static void test_negotiation_refused(void **state)
{
	struct fixture *f = *state;

	/* Legacy drivers (no VERSION_1) are not supported. */
	assert_false(drv_negotiate(f->dev, F_DEV5) & VIRTIO_STATUS_FEATURES_OK);
	/* Neither is accepting a feature that was not offered. */
	assert_false(drv_negotiate(f->dev, F_V1 | 1ULL << 7) &
		     VIRTIO_STATUS_FEATURES_OK);
	assert_false(drv_negotiate(f->dev, F_V1 | 1ULL << 63) &
		     VIRTIO_STATUS_FEATURES_OK);
	/* ACCESS_PLATFORM is only offered to realms. */
	assert_false(drv_negotiate(f->dev, F_V1 | F_AP) &
		     VIRTIO_STATUS_FEATURES_OK);
	/* A select beyond 1 is ignored rather than shifting bits away. */
	wr32(f->dev, VIRTIO_MMIO_STATUS, 0);
	wr32(f->dev, VIRTIO_MMIO_STATUS, 3);
	wr32(f->dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 2);
	wr32(f->dev, VIRTIO_MMIO_DRIVER_FEATURES, 0xffffffff);
	assert_int_equal(f->vd->drv_features, 0);
}

static void test_status_machine(void **state)
{
	struct fixture *f = *state;

	/* FEATURES_OK needs DRIVER; DRIVER_OK needs FEATURES_OK. */
	wr32(f->dev, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE |
	     VIRTIO_STATUS_FEATURES_OK);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_STATUS),
			 VIRTIO_STATUS_ACKNOWLEDGE);
	wr32(f->dev, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE |
	     VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_DRIVER_OK);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_STATUS),
			 VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	assert_int_equal(driver_oks, 0);
	drv_negotiate(f->dev, F_V1);
	drv_ok(f->dev);
	assert_int_equal(driver_oks, 1);
	assert_true(virtio_is_live(f->vd));
	/* Clearing bits without a reset is ignored. */
	wr32(f->dev, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	assert_true(virtio_is_live(f->vd));
	/* The driver cannot set NEEDS_RESET itself. */
	wr32(f->dev, VIRTIO_MMIO_STATUS, 0x4f);
	assert_false(rd32(f->dev, VIRTIO_MMIO_STATUS) &
		     VIRTIO_STATUS_NEEDS_RESET);
	/* FAILED stops the device. */
	wr32(f->dev, VIRTIO_MMIO_STATUS, 0x8f);
	assert_false(virtio_is_live(f->vd));
}

static void test_reset(void **state)
{
	struct fixture *f = *state;
	unsigned int before;

	drv_negotiate(f->dev, F_V1 | F_DEV0);
	drv_queue(f->dev, 1, 8, RING0, RING0 + 0x100, RING0 + 0x200);
	drv_ok(f->dev);
	assert_int_equal(vq_push(&f->vd->vqs[1], 0, 0), 0);
	virtio_queue_done(f->vd, 1);
	assert_int_not_equal(rd32(f->dev, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	before = resets;
	wr32(f->dev, VIRTIO_MMIO_STATUS, 0);
	assert_int_equal(resets, before + 1);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_STATUS), 0);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	assert_int_equal(f->vd->drv_features, 0);
	wr32(f->dev, VIRTIO_MMIO_QUEUE_SEL, 1);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_QUEUE_READY), 0);
	assert_false(f->vd->vqs[1].enabled);
	assert_int_equal(f->vd->vqs[1].desc_addr, 0);
}

static void test_queue_setup(void **state)
{
	struct fixture *f = *state;
	struct virtqueue *vq = &f->vd->vqs[0];

	drv_negotiate(f->dev, F_V1);
	wr32(f->dev, VIRTIO_MMIO_QUEUE_SEL, 0);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_QUEUE_NUM_MAX), 16);
	wr32(f->dev, VIRTIO_MMIO_QUEUE_SEL, 2);	/* no such queue */
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_QUEUE_NUM_MAX), 0);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_QUEUE_READY), 0);
	wr32(f->dev, VIRTIO_MMIO_QUEUE_READY, 1);	/* ignored */
	drv_queue(f->dev, 0, 16, RING0 + 0x100000000ULL, RING0 + 0x400,
		  RING0 + 0x800);
	assert_int_equal(vq->desc_addr, RING0 + 0x100000000ULL);
	/* desc outside RAM: not ready, and the device needs a reset */
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_QUEUE_READY), 0);
	assert_true(rd32(f->dev, VIRTIO_MMIO_STATUS) &
		    VIRTIO_STATUS_NEEDS_RESET);

	drv_negotiate(f->dev, F_V1);			/* resets first */
	assert_false(rd32(f->dev, VIRTIO_MMIO_STATUS) &
		     VIRTIO_STATUS_NEEDS_RESET);
	drv_queue(f->dev, 0, 16, RING0, RING0 + 0x400, RING0 + 0x800);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_QUEUE_READY), 1);
	assert_int_equal(vq->num, 16);
	/* A live queue's parameters cannot be changed. */
	wr32(f->dev, VIRTIO_MMIO_QUEUE_NUM, 4);
	wr32(f->dev, VIRTIO_MMIO_QUEUE_DESC_LOW, 0);
	assert_int_equal(vq->num, 16);
	assert_int_equal(vq->desc_addr, RING0);
	/* Disabling it reads back 0. */
	wr32(f->dev, VIRTIO_MMIO_QUEUE_READY, 0);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_QUEUE_READY), 0);
}

static void test_queue_bad_size(void **state)
{
	struct fixture *f = *state;
	uint32_t sizes[] = { 0, 3, 32, 0x80000000 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		drv_negotiate(f->dev, F_V1);
		drv_queue(f->dev, 0, sizes[i], RING0, RING0 + 0x400,
			  RING0 + 0x800);
		assert_int_equal(rd32(f->dev, VIRTIO_MMIO_QUEUE_READY), 0);
		assert_true(rd32(f->dev, VIRTIO_MMIO_STATUS) &
			    VIRTIO_STATUS_NEEDS_RESET);
	}
}

static void test_notify(void **state)
{
	struct fixture *f = *state;

	drv_negotiate(f->dev, F_V1);
	drv_queue(f->dev, 1, 8, RING0, RING0 + 0x100, RING0 + 0x200);
	/* not DRIVER_OK yet */
	wr32(f->dev, VIRTIO_MMIO_QUEUE_NOTIFY, 1);
	assert_int_equal(notified[1], 0);
	drv_ok(f->dev);
	wr32(f->dev, VIRTIO_MMIO_QUEUE_NOTIFY, 1);
	assert_int_equal(notified[1], 1);
	wr32(f->dev, VIRTIO_MMIO_QUEUE_NOTIFY, 0);	/* queue not ready */
	wr32(f->dev, VIRTIO_MMIO_QUEUE_NOTIFY, 2);	/* no such queue */
	wr32(f->dev, VIRTIO_MMIO_QUEUE_NOTIFY, 0xffffffff);
	assert_int_equal(notified[0], 0);
	assert_int_equal(notified[1], 1);
	/* A broken device processes nothing until reset. */
	virtio_set_needs_reset(f->vd, "test");
	wr32(f->dev, VIRTIO_MMIO_QUEUE_NOTIFY, 1);
	assert_int_equal(notified[1], 1);
}

static void test_interrupts(void **state)
{
	struct fixture *f = *state;
	struct virtq_avail *a = host(&f->gm, RING0 + 0x100);

	drv_negotiate(f->dev, F_V1);
	drv_queue(f->dev, 0, 8, RING0, RING0 + 0x100, RING0 + 0x200);
	drv_ok(f->dev);
	/* Nothing used: no (spurious) interrupt. */
	virtio_queue_done(f->vd, 0);
	assert_int_equal(irq_rises, 0);
	assert_int_equal(vq_push(&f->vd->vqs[0], 0, 0), 0);
	virtio_queue_done(f->vd, 0);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_INTERRUPT_STATUS),
			 VIRTIO_MMIO_INT_VRING);
	/* Edge-triggered line: one pulse. */
	assert_int_equal(irq_rises, 1);
	assert_int_equal(irq_falls, 1);
	wr32(f->dev, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INT_VRING);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	/* The driver may suppress used-buffer interrupts. */
	a->flags = htole16(VIRTQ_AVAIL_F_NO_INTERRUPT);
	assert_int_equal(vq_push(&f->vd->vqs[0], 1, 0), 0);
	virtio_queue_done(f->vd, 0);
	assert_int_equal(irq_rises, 1);
	/* NEEDS_RESET is announced as a config change. */
	virtio_set_needs_reset(f->vd, "test");
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_INTERRUPT_STATUS),
			 VIRTIO_MMIO_INT_CONFIG);
	assert_int_equal(irq_rises, 2);
	/* The status register is read-only. */
	wr32(f->dev, VIRTIO_MMIO_INTERRUPT_STATUS, 0);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_INTERRUPT_STATUS),
			 VIRTIO_MMIO_INT_CONFIG);
}

static void test_config_space(void **state)
{
	struct fixture *f = *state;
	uint8_t d[8];

	memset(d, 0xee, sizeof(d));
	f->dev->mmio(f->dev, VIRTIO_MMIO_CONFIG + 2, d, 2, false);
	assert_int_equal(d[0], 3);
	assert_int_equal(d[1], 4);
	f->dev->mmio(f->dev, VIRTIO_MMIO_CONFIG, d, 8, false);
	assert_memory_equal(d, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	f->dev->mmio(f->dev, VIRTIO_MMIO_CONFIG + 4, d, 4, false);
	assert_memory_equal(d, "\x05\x06\x07\x08", 4);
	/* Partly or wholly beyond the config: zero, no overread. */
	memset(d, 0xee, sizeof(d));
	f->dev->mmio(f->dev, VIRTIO_MMIO_CONFIG + 6, d, 4, false);
	assert_memory_equal(d, "\0\0\0\0", 4);
	memset(d, 0xee, sizeof(d));
	f->dev->mmio(f->dev, VIRTIO_MMIO_SIZE - 8, d, 8, false);
	assert_memory_equal(d, "\0\0\0\0\0\0\0\0", 8);
	/* Writes without a config_write hook change nothing. */
	memset(d, 0x55, sizeof(d));
	f->dev->mmio(f->dev, VIRTIO_MMIO_CONFIG, d, 4, true);
	assert_memory_equal(f->vd->config, "\x01\x02\x03\x04", 4);
}

static void test_bad_widths_offsets(void **state)
{
	struct fixture *f = *state;
	uint8_t d[8];

	/* Registers want aligned 32-bit accesses; others read as zero. */
	memset(d, 0xee, sizeof(d));
	f->dev->mmio(f->dev, VIRTIO_MMIO_MAGIC_VALUE, d, 2, false);
	assert_memory_equal(d, "\0\0", 2);
	memset(d, 0xee, sizeof(d));
	f->dev->mmio(f->dev, VIRTIO_MMIO_MAGIC_VALUE, d, 8, false);
	assert_memory_equal(d, "\0\0\0\0\0\0\0\0", 8);
	memset(d, 0xee, sizeof(d));
	f->dev->mmio(f->dev, VIRTIO_MMIO_MAGIC_VALUE + 2, d, 4, false);
	assert_memory_equal(d, "\0\0\0\0", 4);
	memset(d, 0xee, sizeof(d));
	f->dev->mmio(f->dev, VIRTIO_MMIO_VERSION, d, 1, false);
	assert_int_equal(d[0], 0);
	/* Reserved and write-only registers read as zero. */
	assert_int_equal(rd32(f->dev, 0x018), 0);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_QUEUE_NOTIFY), 0);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_DRIVER_FEATURES), 0);
	assert_int_equal(rd32(f->dev, 0x0f8), 0);
	/* Narrow or unaligned writes to the status register do nothing. */
	d[0] = VIRTIO_STATUS_ACKNOWLEDGE;
	f->dev->mmio(f->dev, VIRTIO_MMIO_STATUS, d, 1, true);
	f->dev->mmio(f->dev, VIRTIO_MMIO_STATUS, d, 2, true);
	f->dev->mmio(f->dev, VIRTIO_MMIO_STATUS + 1, d, 4, true);
	f->dev->mmio(f->dev, VIRTIO_MMIO_STATUS, d, 3, true);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_STATUS), 0);
	/* Writes to read-only registers do nothing. */
	wr32(f->dev, VIRTIO_MMIO_MAGIC_VALUE, 0);
	wr32(f->dev, VIRTIO_MMIO_DEVICE_FEATURES, 0);
	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_MAGIC_VALUE), 0x74726976);
	assert_int_equal(dev_features(f->dev),
			 F_DEV0 | F_DEV5 | F_V1 | F_INDIRECT);
}

static void test_slots_and_dtb(void **state)
{
	struct fixture *f = *state;
	struct virtio_dev *vd2;
	const fdt32_t *irq;
	const void *reg;
	fdt64_t r[2];
	uint8_t fdt[4096];
	int node, len;

	vd2 = virtio_mmio_create("test2", &t_ops, &f->cfg, &f->gm, NULL);
	assert_non_null(vd2);
	assert_int_equal(vd2->dev.base, VIRTIO_MMIO_BASE + VIRTIO_MMIO_SIZE);
	assert_int_equal(vd2->dev.spi, VIRTIO_MMIO_SPI_BASE + 1);
	assert_ptr_equal(device_find(VIRTIO_MMIO_BASE + VIRTIO_MMIO_SIZE, 4),
			 &vd2->dev);

	assert_int_equal(fdt_create_empty_tree(fdt, sizeof(fdt)), 0);
	assert_int_equal(vd2->dev.fdt_node(&vd2->dev, fdt), 0);
	node = fdt_path_offset(fdt, "/virtio_mmio@a000200");
	assert_true(node >= 0);
	assert_int_equal(fdt_node_check_compatible(fdt, node, "virtio,mmio"),
			 0);
	reg = fdt_getprop(fdt, node, "reg", &len);
	assert_non_null(reg);
	assert_int_equal(len, 16);
	/* Properties are only 4-byte aligned. */
	memcpy(r, reg, sizeof(r));
	assert_int_equal(fdt64_to_cpu(r[0]), 0x0a000200);
	assert_int_equal(fdt64_to_cpu(r[1]), 0x200);
	irq = fdt_getprop(fdt, node, "interrupts", &len);
	assert_non_null(irq);
	assert_int_equal(len, 12);
	assert_int_equal(fdt32_to_cpu(irq[0]), 0);	/* GIC_SPI */
	assert_int_equal(fdt32_to_cpu(irq[1]), 17);
	/* IRQ_TYPE_EDGE_RISING */
	assert_int_equal(fdt32_to_cpu(irq[2]), 1);
	assert_non_null(fdt_getprop(fdt, node, "dma-coherent", &len));
	assert_int_equal(len, 0);
	/* A full tree is a clean error, not an overflow. */
	assert_int_equal(fdt_create_empty_tree(fdt, 80), 0);
	assert_int_equal(vd2->dev.fdt_node(&vd2->dev, fdt), -1);
}

static void test_too_many_devices(void **state)
{
	struct fixture *f = *state;
	unsigned int i;

	for (i = 1; i < VIRTIO_MMIO_MAX; i++)
		assert_non_null(virtio_mmio_create("t", &t_ops, &f->cfg,
						   &f->gm, NULL));
	assert_null(virtio_mmio_create("t", &t_ops, &f->cfg, &f->gm, NULL));
}

/* The console device: output to a pipe, input through the FIFO. */
static void test_console(void **state)
{
	struct fixture *f = *state;
	struct tring rx, tx;
	struct device *dev;
	char buf[16] = { 0 };
	int p[2];

	device_reset_registry();
	virtio_mmio_destroy_all();
	f->cfg.console = CONSOLE_VIRTIO;
	assert_int_equal(virtio_devices_setup(&f->cfg, &f->gm), 0);
	assert_true(virtio_console_present());
	dev = device_first();
	assert_int_equal(rd32(dev, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_CONSOLE);
	assert_int_equal(pipe(p), 0);
	virtio_console_set_output(p[1]);

	/* Input before the driver is up waits in the FIFO. */
	virtio_console_input((const uint8_t *)"hi", 2);
	tring_init(&rx, &f->gm, RING0, 8);
	tring_init(&tx, &f->gm, RING0 + 0x1000, 8);
	assert_true(drv_negotiate(dev, F_V1) & VIRTIO_STATUS_FEATURES_OK);
	drv_queue(dev, 0, 8, rx.desc, rx.avail, rx.used);
	drv_queue(dev, 1, 8, tx.desc, tx.avail, tx.used);
	drv_ok(dev);
	tring_desc(&rx, 0, RAM_BASE + 0x10000, 64, VIRTQ_DESC_F_WRITE, 0);
	tring_avail(&rx, 0);
	wr32(dev, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	/* Held until the guest's first output (Linux drops earlier input). */
	assert_int_equal(tring_used_idx(&rx), 0);

	memcpy(host(&f->gm, RAM_BASE + 0x20000), "hello", 5);
	tring_desc(&tx, 0, RAM_BASE + 0x20000, 5, 0, 0);
	tring_avail(&tx, 0);
	wr32(dev, VIRTIO_MMIO_QUEUE_NOTIFY, 1);
	assert_int_equal(tring_used_idx(&tx), 1);
	assert_int_equal(read(p[0], buf, sizeof(buf)), 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(tring_used_idx(&rx), 1);
	assert_int_equal(le32toh(tring_used(&rx, 0).len), 2);
	assert_memory_equal(host(&f->gm, RAM_BASE + 0x10000), "hi", 2);
	/* Later input goes straight to a posted buffer. */
	tring_desc(&rx, 1, RAM_BASE + 0x11000, 64, VIRTQ_DESC_F_WRITE, 0);
	tring_avail(&rx, 1);
	wr32(dev, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	virtio_console_input((const uint8_t *)"xyz", 3);
	assert_int_equal(tring_used_idx(&rx), 2);
	assert_memory_equal(host(&f->gm, RAM_BASE + 0x11000), "xyz", 3);
	virtio_console_set_output(STDOUT_FILENO);
	close(p[0]);
	close(p[1]);
	device_reset_registry();
	virtio_mmio_destroy_all();
	assert_false(virtio_console_present());
}

/* The RNG device fills what it is given and reports the length. */
static void test_rng(void **state)
{
	struct fixture *f = *state;
	static const uint8_t zero[256];
	struct tring r;
	struct device *dev;

	device_reset_registry();
	virtio_mmio_destroy_all();
	f->cfg.rng = true;
	assert_int_equal(virtio_devices_setup(&f->cfg, &f->gm), 0);
	dev = device_first();
	assert_int_equal(rd32(dev, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_RNG);
	tring_init(&r, &f->gm, RING0, 8);
	drv_negotiate(dev, F_V1);
	drv_queue(dev, 0, 8, r.desc, r.avail, r.used);
	drv_ok(dev);
	memset(host(&f->gm, RAM_BASE + 0x10000), 0, 256);
	tring_desc(&r, 0, RAM_BASE + 0x10000, 256, VIRTQ_DESC_F_WRITE, 0);
	tring_avail(&r, 0);
	wr32(dev, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	assert_int_equal(tring_used_idx(&r), 1);
	assert_int_equal(le32toh(tring_used(&r, 0).len), 256);
	/* 256 random bytes are all zero with probability 2^-2048. */
	assert_memory_not_equal(host(&f->gm, RAM_BASE + 0x10000), zero, 256);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define TR(fn) cmocka_unit_test_setup_teardown(fn, setup_realm, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_identity),
		T(test_features_offered),
		TR(test_realm_offers_access_platform),
		TR(test_realm_shared_bit),
		T(test_negotiation),
		T(test_negotiation_refused),
		T(test_status_machine),
		T(test_reset),
		T(test_queue_setup),
		T(test_queue_bad_size),
		T(test_notify),
		T(test_interrupts),
		T(test_config_space),
		T(test_bad_widths_offsets),
		T(test_slots_and_dtb),
		T(test_too_many_devices),
		T(test_console),
		T(test_rng),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
