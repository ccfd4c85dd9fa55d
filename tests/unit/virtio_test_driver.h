/*
 * A tiny virtio driver for the unit tests: register accesses through the
 * device's mmio hook and split rings laid out in a test guest RAM.  Kept
 * as a header (static functions) so it is only linked where included.
 */
#ifndef VIRTIO_TEST_DRIVER_H
#define VIRTIO_TEST_DRIVER_H

#include <endian.h>
#include <string.h>

#include "arm64/layout.h"
#include "devices/device.h"
#include "devices/virtio_mmio.h"
#include "devices/virtqueue.h"
#include "vmm/guest_mem.h"
#include "vmm/util.h"

#define TEST_RAM_SIZE	(2ULL << 20)

static inline uint32_t rd32(struct device *dev, uint64_t off)
{
	uint8_t d[8] = { 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa };

	dev->mmio(dev, off, d, 4, false);
	return get_le32(d);
}

static inline void wr32(struct device *dev, uint64_t off, uint32_t v)
{
	uint8_t d[8] = { 0 };

	put_le32(d, v);
	dev->mmio(dev, off, d, 4, true);
}

static inline void *host(struct guest_mem *gm, uint64_t ipa)
{
	return gm->host + (ipa - gm->ipa_base);
}

/* ACKNOWLEDGE, DRIVER, accept features, FEATURES_OK; returns the status. */
static inline uint32_t drv_negotiate(struct device *dev, uint64_t features)
{
	wr32(dev, VIRTIO_MMIO_STATUS, 0);
	wr32(dev, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	wr32(dev, VIRTIO_MMIO_STATUS,
	     VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr32(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr32(dev, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
	wr32(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr32(dev, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
	wr32(dev, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE |
	     VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	return rd32(dev, VIRTIO_MMIO_STATUS);
}

static inline void drv_queue(struct device *dev, unsigned int q, uint32_t num,
			     uint64_t desc, uint64_t avail, uint64_t used)
{
	wr32(dev, VIRTIO_MMIO_QUEUE_SEL, q);
	wr32(dev, VIRTIO_MMIO_QUEUE_NUM, num);
	wr32(dev, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)desc);
	wr32(dev, VIRTIO_MMIO_QUEUE_DESC_HIGH, desc >> 32);
	wr32(dev, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)avail);
	wr32(dev, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, avail >> 32);
	wr32(dev, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)used);
	wr32(dev, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, used >> 32);
	wr32(dev, VIRTIO_MMIO_QUEUE_READY, 1);
}

static inline void drv_ok(struct device *dev)
{
	wr32(dev, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE |
	     VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
	     VIRTIO_STATUS_DRIVER_OK);
}

/* A split ring at a fixed place in test RAM. */
struct tring {
	struct guest_mem *gm;
	uint64_t desc, avail, used;
	uint32_t num;
	uint16_t avail_idx;
};

static inline void tring_init(struct tring *r, struct guest_mem *gm,
			      uint64_t base, uint32_t num)
{
	r->gm = gm;
	r->num = num;
	r->desc = base;
	r->avail = base + VIRTQ_DESC_BYTES(num);
	r->used = ALIGN_UP(r->avail + VIRTQ_AVAIL_BYTES(num), 4);
	r->avail_idx = 0;
	memset(host(gm, base), 0,
	       r->used + VIRTQ_USED_BYTES(num) - base);
}

static inline void tring_desc(struct tring *r, unsigned int i, uint64_t addr,
			      uint32_t len, uint16_t flags, uint16_t next)
{
	struct virtq_desc d = {
		.addr = htole64(addr), .len = htole32(len),
		.flags = htole16(flags), .next = htole16(next),
	};

	memcpy((uint8_t *)host(r->gm, r->desc) + 16 * i, &d, sizeof(d));
}

/* Make head available and publish the new index. */
static inline void tring_avail(struct tring *r, uint16_t head)
{
	struct virtq_avail *a = host(r->gm, r->avail);

	a->ring[r->avail_idx % r->num] = htole16(head);
	r->avail_idx++;
	a->idx = htole16(r->avail_idx);
}

static inline uint16_t tring_used_idx(struct tring *r)
{
	struct virtq_used *u = host(r->gm, r->used);

	return le16toh(u->idx);
}

static inline struct virtq_used_elem tring_used(struct tring *r, uint16_t i)
{
	struct virtq_used *u = host(r->gm, r->used);

	return u->ring[i % r->num];
}

#endif
