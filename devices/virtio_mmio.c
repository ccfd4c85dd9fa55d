/*
 * virtio-mmio transport, version 2 register layout.  Everything the guest
 * writes here is untrusted: register accesses of the wrong width or
 * alignment read as zero and are otherwise dropped, config space accesses
 * are bounds-checked, queue set-up is validated by the virtqueue code, and
 * a guest that breaks a queue only gets DEVICE_NEEDS_RESET.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm64/layout.h"
#include "devices/virtio_mmio.h"
#include "vmm/config.h"
#include "vmm/guest_mem.h"
#include "vmm/util.h"

#define DRIVER_STATUS_BITS	(VIRTIO_STATUS_ACKNOWLEDGE | \
				 VIRTIO_STATUS_DRIVER | \
				 VIRTIO_STATUS_FEATURES_OK | \
				 VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_FAILED)

/* DTB interrupt specifier cells (dt-bindings/interrupt-controller/arm-gic.h) */
#define DT_GIC_SPI		0
#define DT_IRQ_EDGE_RISING	1

static struct virtio_dev *virtio_list;

static struct virtio_dev *to_vd(struct device *dev)
{
	return (struct virtio_dev *)dev;	/* dev is the first member */
}

bool virtio_has_feature(const struct virtio_dev *vd, unsigned int bit)
{
	return bit < 64 && (vd->drv_features >> bit) & 1;
}

bool virtio_is_live(const struct virtio_dev *vd)
{
	return (vd->status & VIRTIO_STATUS_DRIVER_OK) &&
	       !(vd->status & (VIRTIO_STATUS_NEEDS_RESET |
			       VIRTIO_STATUS_FAILED));
}

/*
 * The DTB says the line is edge triggered, so each event is a pulse; the
 * driver learns the cause from InterruptStatus.
 */
static void raise_irq(struct virtio_dev *vd, uint32_t why)
{
	vd->irq_status |= why;
	device_irq_line(&vd->dev, true);
	device_irq_line(&vd->dev, false);
}

void virtio_queue_done(struct virtio_dev *vd, unsigned int q)
{
	if (q < VIRTIO_MAX_QUEUES && vq_want_irq(&vd->vqs[q]))
		raise_irq(vd, VIRTIO_MMIO_INT_VRING);
}

void virtio_set_needs_reset(struct virtio_dev *vd, const char *why)
{
	if (vd->status & VIRTIO_STATUS_NEEDS_RESET)
		return;
	vd->status |= VIRTIO_STATUS_NEEDS_RESET;
	/* Once per device: a guest looping on resets must not flood stderr. */
	if (!vd->warned)
		pr_info("%s: guest broke the device (%s); it needs a reset",
			vd->dev.name, why ? why : "protocol error");
	vd->warned = true;
	if (vd->status & VIRTIO_STATUS_DRIVER_OK)
		raise_irq(vd, VIRTIO_MMIO_INT_CONFIG);
}

void virtio_serve_queue(struct virtio_dev *vd, unsigned int q,
			uint32_t (*serve)(struct virtio_dev *vd,
					  const struct vq_chain *ch))
{
	struct virtqueue *vq = &vd->vqs[q];
	struct vq_chain ch;
	unsigned int i;
	int r = 0;

	for (i = 0; i < vq->num; i++) {
		r = vq_pop(vq, &ch);
		if (r <= 0)
			break;
		r = vq_push(vq, ch.head, serve(vd, &ch));
		if (r < 0)
			break;
	}
	if (r < 0)
		virtio_set_needs_reset(vd, vq->why);
	virtio_queue_done(vd, q);
}

static void device_reset(struct virtio_dev *vd)
{
	unsigned int i;

	for (i = 0; i < VIRTIO_MAX_QUEUES; i++)
		vq_disable(&vd->vqs[i]);
	vd->status = 0;
	vd->dev_features_sel = 0;
	vd->drv_features_sel = 0;
	vd->drv_features = 0;
	vd->queue_sel = 0;
	vd->irq_status = 0;
	if (vd->ops->reset)
		vd->ops->reset(vd);
}

/* The driver's feature choice, checked when it sets FEATURES_OK. */
static bool features_acceptable(const struct virtio_dev *vd)
{
	uint64_t f = vd->drv_features;

	if (f & ~vd->offered)
		return false;
	if (!(f & (1ULL << VIRTIO_F_VERSION_1)))
		return false;
	/* A realm guest that would DMA from private memory cannot work. */
	if ((vd->offered & (1ULL << VIRTIO_F_ACCESS_PLATFORM)) &&
	    !(f & (1ULL << VIRTIO_F_ACCESS_PLATFORM)))
		return false;
	return true;
}

static void write_status(struct virtio_dev *vd, uint32_t val)
{
	uint32_t old = vd->status & DRIVER_STATUS_BITS;
	uint32_t new = val & DRIVER_STATUS_BITS;

	if (val == 0) {
		device_reset(vd);
		return;
	}
	/* Only a reset may clear bits the driver set. */
	if (old & ~new)
		return;
	if ((new & VIRTIO_STATUS_FEATURES_OK) &&
	    !(old & VIRTIO_STATUS_FEATURES_OK) &&
	    (!(new & VIRTIO_STATUS_DRIVER) || !features_acceptable(vd)))
		new &= ~VIRTIO_STATUS_FEATURES_OK;
	if ((new & VIRTIO_STATUS_DRIVER_OK) &&
	    !(new & VIRTIO_STATUS_FEATURES_OK))
		new &= ~VIRTIO_STATUS_DRIVER_OK;
	vd->status = (vd->status & VIRTIO_STATUS_NEEDS_RESET) | new;
	if ((new & VIRTIO_STATUS_DRIVER_OK) &&
	    !(old & VIRTIO_STATUS_DRIVER_OK) && vd->ops->driver_ok &&
	    virtio_is_live(vd))
		vd->ops->driver_ok(vd);
}

static struct virtqueue *sel_vq(struct virtio_dev *vd)
{
	if (vd->queue_sel >= vd->ops->num_queues)
		return NULL;
	return &vd->vqs[vd->queue_sel];
}

static uint32_t reg_read(struct virtio_dev *vd, uint64_t off)
{
	struct virtqueue *vq = sel_vq(vd);

	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE:
		return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION:
		return VIRTIO_MMIO_VERSION_2;
	case VIRTIO_MMIO_DEVICE_ID:
		return vd->ops->device_id;
	case VIRTIO_MMIO_VENDOR_ID:
		return VIRTIO_VENDOR_ID;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		if (vd->dev_features_sel > 1)
			return 0;
		return vd->offered >> (32 * vd->dev_features_sel);
	case VIRTIO_MMIO_QUEUE_NUM_MAX:
		return vq ? vd->ops->queue_max : 0;
	case VIRTIO_MMIO_QUEUE_READY:
		return vq ? vq->enabled : 0;
	case VIRTIO_MMIO_INTERRUPT_STATUS:
		return vd->irq_status;
	case VIRTIO_MMIO_STATUS:
		return vd->status;
	case VIRTIO_MMIO_SHM_LEN_LOW:
	case VIRTIO_MMIO_SHM_LEN_HIGH:
	case VIRTIO_MMIO_SHM_BASE_LOW:
	case VIRTIO_MMIO_SHM_BASE_HIGH:
		return 0xffffffff;	/* no shared memory regions */
	case VIRTIO_MMIO_CONFIG_GENERATION:
		return vd->config_gen;
	default:
		return 0;		/* write-only or reserved */
	}
}

static void set_half(uint64_t *v, bool high, uint32_t val)
{
	if (high)
		*v = (*v & 0xffffffffULL) | (uint64_t)val << 32;
	else
		*v = (*v & ~0xffffffffULL) | val;
}

static void queue_write(struct virtio_dev *vd, uint64_t off, uint32_t val)
{
	struct virtqueue *vq = sel_vq(vd);

	/* A live queue's parameters are fixed until it is disabled. */
	if (!vq || (vq->enabled && off != VIRTIO_MMIO_QUEUE_READY))
		return;
	switch (off) {
	case VIRTIO_MMIO_QUEUE_NUM:
		vq->num = val;
		break;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
		set_half(&vq->desc_addr, off & 4, val);
		break;
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
		set_half(&vq->avail_addr, off & 4, val);
		break;
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
		set_half(&vq->used_addr, off & 4, val);
		break;
	case VIRTIO_MMIO_QUEUE_READY:
		if (!val) {
			vq_disable(vq);
		} else if (!vq->enabled &&
			   vq_enable(vq, vd->gm, vd->shared_bit,
				     vd->ops->queue_max,
				     virtio_has_feature(vd,
						VIRTIO_F_INDIRECT_DESC)) < 0) {
			virtio_set_needs_reset(vd, vq->why);
		}
		break;
	}
}

static void reg_write(struct virtio_dev *vd, uint64_t off, uint32_t val)
{
	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
		vd->dev_features_sel = val;
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		/* Features are fixed once FEATURES_OK was accepted. */
		if (vd->drv_features_sel > 1 ||
		    (vd->status & VIRTIO_STATUS_FEATURES_OK))
			break;
		set_half(&vd->drv_features, vd->drv_features_sel, val);
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
		vd->drv_features_sel = val;
		break;
	case VIRTIO_MMIO_QUEUE_SEL:
		vd->queue_sel = val;
		break;
	case VIRTIO_MMIO_QUEUE_NUM:
	case VIRTIO_MMIO_QUEUE_READY:
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
		queue_write(vd, off, val);
		break;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		if (val < vd->ops->num_queues && virtio_is_live(vd) &&
		    vd->vqs[val].enabled)
			vd->ops->notify(vd, val);
		break;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		vd->irq_status &= ~val;
		break;
	case VIRTIO_MMIO_STATUS:
		write_status(vd, val);
		break;
	default:
		break;			/* read-only or reserved */
	}
}

static void config_access(struct virtio_dev *vd, uint64_t off, uint8_t *data,
			  unsigned int len, bool is_write)
{
	size_t size = vd->ops->config_size;

	if (off >= size || len > size - off) {
		if (!is_write)
			memset(data, 0, len);
		return;
	}
	if (!is_write)
		memcpy(data, vd->config + off, len);
	else if (vd->ops->config_write)
		vd->ops->config_write(vd, off, data, len);
}

static void virtio_mmio_access(struct device *dev, uint64_t off, uint8_t *data,
			       unsigned int len, bool is_write)
{
	struct virtio_dev *vd = to_vd(dev);

	if (len != 1 && len != 2 && len != 4 && len != 8)
		return;
	pthread_mutex_lock(&vd->lock);
	if (off >= VIRTIO_MMIO_CONFIG) {
		config_access(vd, off - VIRTIO_MMIO_CONFIG, data, len,
			      is_write);
	} else if (len != 4 || off % 4) {
		/* The spec requires aligned 32-bit register accesses. */
		if (!is_write)
			memset(data, 0, len);
	} else if (is_write) {
		reg_write(vd, off, get_le32(data));
	} else {
		put_le32(data, reg_read(vd, off));
	}
	pthread_mutex_unlock(&vd->lock);
}

#define FDT_TRY(what, call)						\
	do {								\
		int _r = (call);					\
		if (_r < 0)						\
			return pr_err("%s: DTB %s: %s", dev->name, what, \
				      fdt_strerror(_r));		\
	} while (0)

/* The DTB builder edits a finished tree: add our node under the root. */
static int virtio_mmio_fdt(struct device *dev, void *fdt)
{
	fdt64_t reg[2] = { cpu_to_fdt64(dev->base), cpu_to_fdt64(dev->size) };
	fdt32_t irq[3] = { cpu_to_fdt32(DT_GIC_SPI), cpu_to_fdt32(dev->spi),
			   cpu_to_fdt32(DT_IRQ_EDGE_RISING) };
	char name[40];
	int node;

	snprintf(name, sizeof(name), "virtio_mmio@%llx",
		 (unsigned long long)dev->base);
	node = fdt_add_subnode(fdt, 0, name);
	FDT_TRY("add node", node);
	/* libfdt puts each new property first: add them in reverse. */
	FDT_TRY("dma-coherent",
		fdt_setprop(fdt, node, "dma-coherent", NULL, 0));
	FDT_TRY("interrupts",
		fdt_setprop(fdt, node, "interrupts", irq, sizeof(irq)));
	FDT_TRY("reg", fdt_setprop(fdt, node, "reg", reg, sizeof(reg)));
	FDT_TRY("compatible",
		fdt_setprop_string(fdt, node, "compatible", "virtio,mmio"));
	return 0;
}

/* Slots are numbered by the virtio devices already registered. */
static unsigned int next_slot(void)
{
	const uint64_t end = VIRTIO_MMIO_BASE +
			     VIRTIO_MMIO_MAX * VIRTIO_MMIO_SIZE;
	struct device *dev;
	unsigned int n = 0;

	for (dev = device_first(); dev; dev = dev->next)
		if (dev->base >= VIRTIO_MMIO_BASE && dev->base < end)
			n++;
	return n;
}

struct virtio_dev *virtio_mmio_create(const char *name,
				      const struct virtio_ops *ops,
				      const struct config *cfg,
				      const struct guest_mem *gm, void *priv)
{
	unsigned int n = next_slot();
	struct virtio_dev *vd;

	if (n >= VIRTIO_MMIO_MAX) {
		pr_err("%s: too many virtio devices (at most %u)", name,
		       VIRTIO_MMIO_MAX);
		return NULL;
	}
	if (ops->num_queues > VIRTIO_MAX_QUEUES || !ops->num_queues ||
	    !ops->queue_max || (ops->queue_max & (ops->queue_max - 1)) ||
	    ops->queue_max > VIRTQ_MAX_SIZE ||
	    ops->config_size > VIRTIO_MMIO_SIZE - VIRTIO_MMIO_CONFIG) {
		pr_err("%s: bad virtio device description", name);
		return NULL;
	}
	vd = calloc(1, sizeof(*vd));
	if (vd)
		vd->config = calloc(1, ops->config_size ? ops->config_size : 1);
	if (!vd || !vd->config) {
		if (vd)
			free(vd);
		pr_err("%s: out of memory", name);
		return NULL;
	}
	vd->dev.name = name;
	vd->dev.base = VIRTIO_MMIO_BASE + n * VIRTIO_MMIO_SIZE;
	vd->dev.size = VIRTIO_MMIO_SIZE;
	vd->dev.spi = VIRTIO_MMIO_SPI_BASE + n;
	vd->dev.fdt_node = virtio_mmio_fdt;
	vd->dev.mmio = virtio_mmio_access;
	vd->dev.priv = vd;
	vd->ops = ops;
	vd->gm = gm;
	vd->priv = priv;
	vd->index = n;
	vd->offered = ops->features | 1ULL << VIRTIO_F_VERSION_1 |
		      1ULL << VIRTIO_F_INDIRECT_DESC;
	if (cfg->realm) {
		unsigned int bits = layout_ipa_bits(RAM_BASE, cfg->ram_size,
						    true);

		vd->offered |= 1ULL << VIRTIO_F_ACCESS_PLATFORM;
		vd->shared_bit = 1ULL << (bits - 1);
	}
	pthread_mutex_init(&vd->lock, NULL);
	vd->next_virtio = virtio_list;
	virtio_list = vd;
	device_register(&vd->dev);
	return vd;
}

void virtio_mmio_destroy_all(void)
{
	while (virtio_list) {
		struct virtio_dev *vd = virtio_list;
		unsigned int i;

		virtio_list = vd->next_virtio;
		if (vd->ops->destroy)
			vd->ops->destroy(vd);
		for (i = 0; i < VIRTIO_MAX_QUEUES; i++)
			vq_disable(&vd->vqs[i]);
		pthread_mutex_destroy(&vd->lock);
		free(vd->config);
		free(vd);
	}
}
