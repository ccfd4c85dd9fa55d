/*
 * Split virtqueue walker.  Guest memory is only reached through gm_ptr(),
 * every index is range-checked, chains are bounded by the queue size so a
 * descriptor loop ends, and a guest that breaks a rule gets a broken queue
 * (the transport then reports DEVICE_NEEDS_RESET), never a crash or a hang.
 */
#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "devices/virtqueue.h"
#include "vmm/guest_mem.h"
#include "vmm/util.h"

static int vq_break(struct virtqueue *vq, const char *why)
{
	if (!vq->broken) {
		vq->broken = true;
		vq->why = why;
	}
	return -1;
}

static bool is_pow2(uint32_t x)
{
	return x && !(x & (x - 1));
}

/* Guest address to host pointer, after removing the realm's shared bit. */
static void *vq_ptr(const struct virtqueue *vq, uint64_t addr, uint64_t len)
{
	return gm_ptr(vq->gm, addr & ~vq->shared_bit, len);
}

int vq_enable(struct virtqueue *vq, const struct guest_mem *gm,
	      uint64_t shared_bit, uint32_t max, bool indirect)
{
	uint32_t num = vq->num;

	vq->enabled = false;
	vq->broken = false;
	vq->why = NULL;
	vq->gm = gm;
	vq->shared_bit = shared_bit;
	vq->indirect = indirect;
	if (!is_pow2(num) || num > max || num > VIRTQ_MAX_SIZE) {
		vq->why = "queue size is not a power of 2 within QueueNumMax";
		return -1;
	}
	if (!IS_ALIGNED(vq->desc_addr, 16) || !IS_ALIGNED(vq->avail_addr, 2) ||
	    !IS_ALIGNED(vq->used_addr, 4)) {
		vq->why = "misaligned ring";
		return -1;
	}
	if (!vq_ptr(vq, vq->desc_addr, VIRTQ_DESC_BYTES(num)) ||
	    !vq_ptr(vq, vq->avail_addr, VIRTQ_AVAIL_BYTES(num)) ||
	    !vq_ptr(vq, vq->used_addr, VIRTQ_USED_BYTES(num))) {
		vq->why = "ring outside guest RAM";
		return -1;
	}
	free(vq->bufs);
	vq->bufs = calloc(num, sizeof(*vq->bufs));
	if (!vq->bufs) {
		vq->why = "out of memory";
		return -1;
	}
	vq->last_avail = 0;
	vq->used_idx = 0;
	vq->irq_idx = 0;
	vq->enabled = true;
	return 0;
}

void vq_disable(struct virtqueue *vq)
{
	free(vq->bufs);
	memset(vq, 0, sizeof(*vq));
}

static int add_buf(struct virtqueue *vq, struct vq_chain *ch,
		   const struct virtq_desc *d)
{
	uint64_t addr = le64toh(d->addr);
	uint32_t len = le32toh(d->len);
	bool write = le16toh(d->flags) & VIRTQ_DESC_F_WRITE;
	uint8_t *p;

	if (vq->bufs_used >= vq->num)
		return vq_break(vq, "chain has more buffers than the queue");
	p = vq_ptr(vq, addr, len);
	if (!p)
		return vq_break(vq, "descriptor buffer outside guest RAM");
	if (write) {
		ch->n_in++;
		ch->in_len += len;
	} else {
		/* Readable buffers must all come before writable ones. */
		if (ch->n_in)
			return vq_break(vq, "readable after writable buffer");
		ch->n_out++;
		ch->out_len += len;
	}
	vq->bufs[vq->bufs_used].ptr = p;
	vq->bufs[vq->bufs_used].len = len;
	vq->bufs_used++;
	return 0;
}

static int walk(struct virtqueue *vq, struct vq_chain *ch,
		const struct virtq_desc *table, uint32_t tsize, uint16_t head,
		bool nested);

/* Follow an indirect descriptor d into its table (one level only). */
static int walk_indirect(struct virtqueue *vq, struct vq_chain *ch,
			 const struct virtq_desc *d, bool nested)
{
	uint16_t flags = le16toh(d->flags);
	uint32_t len = le32toh(d->len);
	const struct virtq_desc *sub;

	if (!vq->indirect)
		return vq_break(vq, "indirect descriptor not negotiated");
	if (nested)
		return vq_break(vq, "nested indirect descriptor");
	if (flags & VIRTQ_DESC_F_NEXT)
		return vq_break(vq, "indirect descriptor with NEXT");
	if (!len || len % sizeof(*d) || len / sizeof(*d) > vq->num)
		return vq_break(vq, "bad indirect table length");
	sub = vq_ptr(vq, le64toh(d->addr), len);
	if (!sub)
		return vq_break(vq, "indirect table outside guest RAM");
	return walk(vq, ch, sub, len / sizeof(*d), 0, true);
}

/*
 * Walk the chain starting at head in a table of tsize descriptors.  Each
 * table is visited at most tsize times, which is what ends a loop.
 */
static int walk(struct virtqueue *vq, struct vq_chain *ch,
		const struct virtq_desc *table, uint32_t tsize, uint16_t head,
		bool nested)
{
	uint32_t visited = 0;
	uint16_t i = head;

	for (;;) {
		struct virtq_desc d;
		uint16_t flags;
		int r;

		if (i >= tsize)
			return vq_break(vq, "descriptor index out of range");
		if (++visited > tsize)
			return vq_break(vq, "descriptor chain loops");
		memcpy(&d, &table[i], sizeof(d));	/* read once */
		flags = le16toh(d.flags);
		if (flags & VIRTQ_DESC_F_INDIRECT)
			r = walk_indirect(vq, ch, &d, nested);
		else
			r = add_buf(vq, ch, &d);
		if (r < 0)
			return -1;
		if (!(flags & VIRTQ_DESC_F_NEXT))
			return 0;
		i = le16toh(d.next);
	}
}

int vq_pop(struct virtqueue *vq, struct vq_chain *ch)
{
	struct virtq_avail *avail;
	const struct virtq_desc *table;
	uint16_t idx, head;

	memset(ch, 0, sizeof(*ch));
	if (vq->broken)
		return -1;
	if (!vq->enabled)
		return 0;
	avail = vq_ptr(vq, vq->avail_addr, VIRTQ_AVAIL_BYTES(vq->num));
	table = vq_ptr(vq, vq->desc_addr, VIRTQ_DESC_BYTES(vq->num));
	if (!avail || !table)
		return vq_break(vq, "ring outside guest RAM");
	idx = le16toh(__atomic_load_n(&avail->idx, __ATOMIC_ACQUIRE));
	if (idx == vq->last_avail)
		return 0;
	if ((uint16_t)(idx - vq->last_avail) > vq->num)
		return vq_break(vq, "avail index jumped beyond the queue size");
	head = le16toh(__atomic_load_n(&avail->ring[vq->last_avail % vq->num],
				       __ATOMIC_RELAXED));
	vq->bufs_used = 0;
	if (walk(vq, ch, table, vq->num, head, false) < 0) {
		memset(ch, 0, sizeof(*ch));
		return -1;
	}
	ch->head = head;
	ch->out = vq->bufs;
	ch->in = vq->bufs + ch->n_out;
	vq->last_avail++;
	return 1;
}

void vq_unpop(struct virtqueue *vq)
{
	vq->last_avail--;
}

int vq_push(struct virtqueue *vq, uint16_t head, uint32_t len)
{
	struct virtq_used *used;
	struct virtq_used_elem *e;

	if (vq->broken)
		return -1;
	if (!vq->enabled || head >= vq->num)
		return vq_break(vq, "used entry for a descriptor not popped");
	used = vq_ptr(vq, vq->used_addr, VIRTQ_USED_BYTES(vq->num));
	if (!used)
		return vq_break(vq, "ring outside guest RAM");
	e = &used->ring[vq->used_idx % vq->num];
	__atomic_store_n(&e->id, htole32(head), __ATOMIC_RELAXED);
	__atomic_store_n(&e->len, htole32(len), __ATOMIC_RELAXED);
	vq->used_idx++;
	/* The entry must be visible before the index that publishes it. */
	__atomic_store_n(&used->idx, htole16(vq->used_idx), __ATOMIC_RELEASE);
	return 0;
}

bool vq_want_irq(struct virtqueue *vq)
{
	struct virtq_avail *avail;

	if (!vq->enabled || vq->broken || vq->irq_idx == vq->used_idx)
		return false;
	vq->irq_idx = vq->used_idx;
	avail = vq_ptr(vq, vq->avail_addr, VIRTQ_AVAIL_BYTES(vq->num));
	if (!avail)
		return false;
	/* Order our used->idx store before reading the driver's flags. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return !(le16toh(__atomic_load_n(&avail->flags, __ATOMIC_RELAXED)) &
		 VIRTQ_AVAIL_F_NO_INTERRUPT);
}

/* Copy across a list of buffers starting at byte off; to_bufs picks the way. */
static size_t copy_bufs(const struct vq_buf *b, unsigned int n, uint64_t off,
			uint8_t *host, size_t len, bool to_bufs)
{
	size_t done = 0;
	unsigned int i;

	for (i = 0; i < n && done < len; i++) {
		size_t chunk;

		if (off >= b[i].len) {
			off -= b[i].len;
			continue;
		}
		chunk = MIN((uint64_t)b[i].len - off, (uint64_t)(len - done));
		if (to_bufs)
			memcpy(b[i].ptr + off, host + done, chunk);
		else
			memcpy(host + done, b[i].ptr + off, chunk);
		done += chunk;
		off = 0;
	}
	return done;
}

size_t vq_chain_read(const struct vq_chain *ch, uint64_t off, void *dst,
		     size_t len)
{
	return copy_bufs(ch->out, ch->n_out, off, dst, len, false);
}

size_t vq_chain_write(const struct vq_chain *ch, uint64_t off,
		      const void *src, size_t len)
{
	return copy_bufs(ch->in, ch->n_in, off, (uint8_t *)src, len, true);
}
