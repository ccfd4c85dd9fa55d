/*
 * Split virtqueues (virtio 1.x, section 2.7) as seen from the device side.
 * The rings live in guest memory that the guest keeps changing under our
 * feet, so every field is read once into a local, checked, and only then
 * used; any inconsistency marks the queue broken instead of being trusted.
 */
#ifndef REALMVM_VIRTQUEUE_H
#define REALMVM_VIRTQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct guest_mem;

/* Descriptor flags */
#define VIRTQ_DESC_F_NEXT	1
#define VIRTQ_DESC_F_WRITE	2
#define VIRTQ_DESC_F_INDIRECT	4

/* avail->flags: the driver does not want interrupts */
#define VIRTQ_AVAIL_F_NO_INTERRUPT	1

/* Largest queue this implementation accepts (spec maximum). */
#define VIRTQ_MAX_SIZE		32768

/* Ring layouts, little-endian in guest memory. */
struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
_Static_assert(offsetof(struct virtq_desc, addr) == 0, "desc.addr");
_Static_assert(offsetof(struct virtq_desc, len) == 8, "desc.len");
_Static_assert(offsetof(struct virtq_desc, flags) == 12, "desc.flags");
_Static_assert(offsetof(struct virtq_desc, next) == 14, "desc.next");
_Static_assert(sizeof(struct virtq_desc) == 16, "desc size");

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];	/* queue size entries, then used_event */
};
_Static_assert(offsetof(struct virtq_avail, flags) == 0, "avail.flags");
_Static_assert(offsetof(struct virtq_avail, idx) == 2, "avail.idx");
_Static_assert(offsetof(struct virtq_avail, ring) == 4, "avail.ring");
_Static_assert(sizeof(struct virtq_avail) == 4, "avail size");

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};
_Static_assert(offsetof(struct virtq_used_elem, id) == 0, "used_elem.id");
_Static_assert(offsetof(struct virtq_used_elem, len) == 4, "used_elem.len");
_Static_assert(sizeof(struct virtq_used_elem) == 8, "used_elem size");

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];	/* size entries, avail_event */
};
_Static_assert(offsetof(struct virtq_used, flags) == 0, "used.flags");
_Static_assert(offsetof(struct virtq_used, idx) == 2, "used.idx");
_Static_assert(offsetof(struct virtq_used, ring) == 4, "used.ring");
_Static_assert(sizeof(struct virtq_used) == 4, "used size");

/* Ring sizes in bytes for a queue of num entries (including the event word). */
#define VIRTQ_DESC_BYTES(num)	(16ULL * (num))
#define VIRTQ_AVAIL_BYTES(num)	(6ULL + 2ULL * (num))
#define VIRTQ_USED_BYTES(num)	(6ULL + 8ULL * (num))

/* One guest buffer of a chain, already translated and bounds-checked. */
struct vq_buf {
	uint8_t *ptr;
	uint32_t len;
};

/*
 * A descriptor chain popped from the avail ring: first the buffers the
 * device may only read (out), then those it may only write (in).
 */
struct vq_chain {
	uint16_t head;
	unsigned int n_out, n_in;
	struct vq_buf *out, *in;	/* point into the queue's storage */
	uint64_t out_len, in_len;	/* byte totals */
};

struct virtqueue {
	/* Programmed by the driver through the transport. */
	uint32_t num;
	uint64_t desc_addr, avail_addr, used_addr;

	/* Set by vq_enable(). */
	bool enabled;
	bool broken;		/* stays set until vq_disable() */
	bool indirect;		/* VIRTIO_F_INDIRECT_DESC negotiated */
	const struct guest_mem *gm;
	uint64_t shared_bit;	/* realm alias bit, stripped */
	uint16_t last_avail;	/* next avail entry to consume */
	uint16_t used_idx;	/* next used entry to produce */
	uint16_t irq_idx;	/* used_idx when we last considered an irq */
	struct vq_buf *bufs;	/* num entries: one chain's buffers */
	unsigned int bufs_used;
	/* Why the queue broke, for tests and traces; static string. */
	const char *why;
};

/*
 * Check the programmed size and ring addresses and start the queue.
 * max is the device's QueueNumMax.  Returns 0, or -1 with vq->why set;
 * the queue is then not enabled.
 */
int vq_enable(struct virtqueue *vq, const struct guest_mem *gm,
	      uint64_t shared_bit, uint32_t max, bool indirect);
/* Stop the queue and forget everything the driver programmed. */
void vq_disable(struct virtqueue *vq);

/*
 * Take the next available chain.  Returns 1 with *ch filled, 0 if the ring
 * is empty, -1 if the guest broke the ring (vq->broken is set and the queue
 * will not be used again until it is disabled).  The chain's buffers stay
 * valid until the next vq_pop() on this queue.
 */
int vq_pop(struct virtqueue *vq, struct vq_chain *ch);
/* Give back the chain vq_pop() just returned, unconsumed. */
void vq_unpop(struct virtqueue *vq);
/* Return a chain to the driver with len bytes written. -1 if broken. */
int vq_push(struct virtqueue *vq, uint16_t head, uint32_t len);
/*
 * Whether to interrupt the driver: something was pushed since the last
 * call and the driver has not suppressed interrupts.  Never true without
 * new used entries, so the guest sees no spurious interrupts.
 */
bool vq_want_irq(struct virtqueue *vq);

/* Copy between a chain and host memory; return bytes actually copied. */
size_t vq_chain_read(const struct vq_chain *ch, uint64_t off, void *dst,
		     size_t len);
size_t vq_chain_write(const struct vq_chain *ch, uint64_t off,
		      const void *src, size_t len);

#endif
