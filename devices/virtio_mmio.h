/*
 * The virtio-mmio transport (virtio 1.x, "Virtio Over MMIO", version 2
 * register layout) shared by every virtio device model.  A device model
 * supplies a struct virtio_ops; the transport owns the register file,
 * feature negotiation, the status state machine, resets, queue set-up,
 * config space bounds and the interrupt status.
 */
#ifndef REALMVM_VIRTIO_MMIO_H
#define REALMVM_VIRTIO_MMIO_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/device.h"
#include "devices/virtqueue.h"

struct config;
struct guest_mem;

/* Register offsets */
#define VIRTIO_MMIO_MAGIC_VALUE		0x000
#define VIRTIO_MMIO_VERSION		0x004
#define VIRTIO_MMIO_DEVICE_ID		0x008
#define VIRTIO_MMIO_VENDOR_ID		0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES	0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL	0x014
#define VIRTIO_MMIO_DRIVER_FEATURES	0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL	0x024
#define VIRTIO_MMIO_QUEUE_SEL		0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX	0x034
#define VIRTIO_MMIO_QUEUE_NUM		0x038
#define VIRTIO_MMIO_QUEUE_READY		0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY	0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS	0x060
#define VIRTIO_MMIO_INTERRUPT_ACK	0x064
#define VIRTIO_MMIO_STATUS		0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW	0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH	0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW	0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH	0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW	0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH	0x0a4
#define VIRTIO_MMIO_SHM_SEL		0x0ac
#define VIRTIO_MMIO_SHM_LEN_LOW		0x0b0
#define VIRTIO_MMIO_SHM_LEN_HIGH	0x0b4
#define VIRTIO_MMIO_SHM_BASE_LOW	0x0b8
#define VIRTIO_MMIO_SHM_BASE_HIGH	0x0bc
#define VIRTIO_MMIO_CONFIG_GENERATION	0x0fc
#define VIRTIO_MMIO_CONFIG		0x100

#define VIRTIO_MMIO_MAGIC		0x74726976	/* "virt" */
#define VIRTIO_MMIO_VERSION_2		2
#define VIRTIO_VENDOR_ID		0x4d564d52	/* "RMVM" */

/* Device status bits */
#define VIRTIO_STATUS_ACKNOWLEDGE	0x01
#define VIRTIO_STATUS_DRIVER		0x02
#define VIRTIO_STATUS_DRIVER_OK		0x04
#define VIRTIO_STATUS_FEATURES_OK	0x08
#define VIRTIO_STATUS_NEEDS_RESET	0x40
#define VIRTIO_STATUS_FAILED		0x80

/* InterruptStatus bits */
#define VIRTIO_MMIO_INT_VRING		0x1
#define VIRTIO_MMIO_INT_CONFIG		0x2

/* Transport feature bits */
#define VIRTIO_F_INDIRECT_DESC		28
#define VIRTIO_F_EVENT_IDX		29
#define VIRTIO_F_VERSION_1		32
#define VIRTIO_F_ACCESS_PLATFORM	33

/* Device IDs */
#define VIRTIO_ID_NET			1
#define VIRTIO_ID_BLOCK			2
#define VIRTIO_ID_CONSOLE		3
#define VIRTIO_ID_RNG			4

#define VIRTIO_MAX_QUEUES		4

struct virtio_dev;

struct virtio_ops {
	uint32_t device_id;
	unsigned int num_queues;
	uint32_t queue_max;		/* QueueNumMax, a power of 2 */
	uint64_t features;		/* device-specific bits offered */
	size_t config_size;		/* bytes of config space */
	/* Process what the driver made available on queue q (lock held). */
	void (*notify)(struct virtio_dev *vd, unsigned int q);
	/* Optional: a config space write (lock held, bounds checked). */
	void (*config_write)(struct virtio_dev *vd, uint64_t off,
			     const uint8_t *data, unsigned int len);
	/* Optional: the driver set DRIVER_OK (lock held). */
	void (*driver_ok)(struct virtio_dev *vd);
	/* Optional: the device is being reset (lock held). */
	void (*reset)(struct virtio_dev *vd);
	/* Optional: free device-model state (teardown). */
	void (*destroy)(struct virtio_dev *vd);
};

struct virtio_dev {
	struct device dev;		/* registered in the device list */
	const struct virtio_ops *ops;
	const struct guest_mem *gm;
	uint64_t shared_bit;		/* realm: shared IPA alias bit */
	uint64_t offered;		/* all feature bits offered */
	pthread_mutex_t lock;		/* guards everything below */

	uint32_t status;
	uint32_t dev_features_sel;
	uint32_t drv_features_sel;
	uint64_t drv_features;
	uint32_t queue_sel;
	uint32_t irq_status;
	uint32_t config_gen;
	uint8_t *config;		/* config_size bytes, little-endian */
	struct virtqueue vqs[VIRTIO_MAX_QUEUES];
	unsigned int index;		/* n: base and SPI follow from it */
	bool warned;			/* NEEDS_RESET was logged once */
	void *priv;			/* the device model's state */
	struct virtio_dev *next_virtio;
};

/*
 * Create and register a virtio-mmio device at the next free slot (base
 * VIRTIO_MMIO_BASE + n * VIRTIO_MMIO_SIZE, SPI VIRTIO_MMIO_SPI_BASE + n).
 * The config decides whether ACCESS_PLATFORM is offered (realms).
 * Returns NULL with an error printed.
 */
struct virtio_dev *virtio_mmio_create(const char *name,
				      const struct virtio_ops *ops,
				      const struct config *cfg,
				      const struct guest_mem *gm, void *priv);
/* Free every device virtio_mmio_create() made (tests, teardown). */
void virtio_mmio_destroy_all(void);

/* Was feature bit negotiated? */
bool virtio_has_feature(const struct virtio_dev *vd, unsigned int bit);
/* Is the driver running the device and the device healthy? */
bool virtio_is_live(const struct virtio_dev *vd);
/* Signal used buffers on a queue, if the driver wants it (lock held). */
void virtio_queue_done(struct virtio_dev *vd, unsigned int q);
/*
 * The guest broke a queue or a request: set DEVICE_NEEDS_RESET and tell
 * the driver by a config change interrupt (lock held).  The device then
 * processes nothing until the driver resets it.
 */
void virtio_set_needs_reset(struct virtio_dev *vd, const char *why);
/*
 * Serve the chains waiting on queue q (lock held): serve() handles one and
 * returns how many bytes it wrote into it.  At most one ring's worth per
 * kick, so the guest cannot pin us here; a broken ring sets
 * DEVICE_NEEDS_RESET.  Used buffers are then signalled.
 */
void virtio_serve_queue(struct virtio_dev *vd, unsigned int q,
			uint32_t (*serve)(struct virtio_dev *vd,
					  const struct vq_chain *ch));

/*
 * Create every virtio device the config asks for, in this order: console
 * (if --console virtio), each --disk, each --network, the RNG (--rng),
 * each --9p.
 * Dry runs register the same devices but open no files or tap devices.
 */
int virtio_devices_setup(const struct config *cfg, struct guest_mem *gm);

/* The device models, each registering one device (i: its option's index). */
int virtio_console_setup(const struct config *cfg, const struct guest_mem *gm);
int virtio_blk_setup(const struct config *cfg, const struct guest_mem *gm,
		     unsigned int i);
int virtio_net_setup(const struct config *cfg, const struct guest_mem *gm,
		     unsigned int i);
int virtio_rng_setup(const struct config *cfg, const struct guest_mem *gm);
int virtio_9p_setup(const struct config *cfg, const struct guest_mem *gm,
		    unsigned int i);

/* Little-endian helpers for config space and MMIO data. */
static inline void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, v);
	put_le16(p + 2, v >> 16);
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, v);
	put_le32(p + 4, v >> 32);
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t get_le64(const uint8_t *p)
{
	return get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

#endif
