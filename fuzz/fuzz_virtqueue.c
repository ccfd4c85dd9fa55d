/*
 * Fuzz the split virtqueue walker as a hostile guest would drive it: the
 * fuzzer chooses the ring addresses and size, the whole of guest RAM
 * (descriptors, avail ring, indirect tables) and a script of pops, pushes
 * and guest writes to RAM between them.  Guest RAM is an exact-size heap
 * block, so ASan flags any access by the device side outside it.
 *
 * Input: a 24-byte header (num u16, flags u8, ram_kib u8, desc/avail/used
 * addresses as RAM offsets u32 each, then 4 spare bytes), RAM contents
 * (ram_kib KiB, zero padded), then script bytes, one op each with its
 * arguments (see run_script).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arm64/layout.h"
#include "devices/virtqueue.h"
#include "fuzz/fuzz_input.h"
#include "vmm/util.h"
#include "vmm/guest_mem.h"

#define SHARED_BIT	(1ULL << 40)
#define MAX_OPS		256

static uint8_t scratch[65536];

/* Everything a popped chain hands out must lie inside guest RAM. */
static void check_chain(const struct guest_mem *gm, const struct vq_chain *ch)
{
	unsigned int i;

	for (i = 0; i < ch->n_out + ch->n_in; i++) {
		const struct vq_buf *b = &ch->out[i];

		if (b->ptr < gm->host || b->len > gm->size ||
		    b->ptr - gm->host > (ptrdiff_t)(gm->size - b->len))
			abort();
	}
}

static void run_script(struct virtqueue *vq, struct guest_mem *gm,
		       struct fz *f, uint32_t max, bool shared, bool indirect)
{
	struct vq_chain ch;
	unsigned int ops = 0;
	int popped = 0;

	while (f->n && ops++ < MAX_OPS) {
		uint8_t op = fz_u8(f);

		switch (op % 6) {
		case 0:		/* device: pop one chain, use it, push it */
		case 1:
			popped = vq_pop(vq, &ch);
			if (popped == 1) {
				size_t n;

				check_chain(gm, &ch);
				n = vq_chain_read(&ch, fz_u16(f), scratch,
						  MIN(ch.out_len,
						      sizeof(scratch)));
				n = vq_chain_write(&ch, fz_u16(f), scratch,
						   MIN(ch.in_len,
						       sizeof(scratch)));
				vq_push(vq, ch.head, n);
				vq_want_irq(vq);
			}
			break;
		case 2: {	/* guest: store 16 bits anywhere in RAM */
			uint32_t off = fz_u32(f) % gm->size;
			uint16_t v = fz_u16(f);

			gm->host[off] = v;
			if (off + 1 < gm->size)
				gm->host[off + 1] = v >> 8;
			break;
		}
		case 3:		/* device: push a head it never popped */
			vq_push(vq, fz_u16(f), fz_u32(f));
			break;
		case 4:		/* device: give the last chain back */
			if (popped == 1) {
				vq_unpop(vq);
				popped = 0;
			}
			break;
		case 5:		/* driver: reset and set the queue up again */
			vq_disable(vq);
			vq->num = fz_u16(f);
			vq->desc_addr = RAM_BASE + fz_u32(f);
			vq->avail_addr = RAM_BASE + fz_u32(f);
			vq->used_addr = RAM_BASE + fz_u32(f);
			vq_enable(vq, gm, shared ? SHARED_BIT : 0, max,
				  indirect);
			popped = 0;
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct virtqueue vq;
	struct guest_mem gm;
	uint8_t flags, kib;
	size_t copy;
	uint32_t max;
	bool shared, indirect;

	memset(&vq, 0, sizeof(vq));
	vq.num = fz_u16(&f);
	flags = fz_u8(&f);
	kib = fz_u8(&f);
	vq.desc_addr = RAM_BASE + fz_u32(&f);
	vq.avail_addr = RAM_BASE + fz_u32(&f);
	vq.used_addr = RAM_BASE + fz_u32(&f);
	fz_u32(&f);
	indirect = flags & 1;
	shared = flags & 2;
	if (shared) {
		vq.desc_addr |= SHARED_BIT;
		vq.avail_addr |= SHARED_BIT;
		vq.used_addr |= SHARED_BIT;
	}
	max = (flags & 4) ? VIRTQ_MAX_SIZE : 256;

	gm.ipa_base = RAM_BASE;
	gm.size = (kib % 64 + 1) * 1024ULL;
	gm.host = calloc(1, gm.size);
	if (!gm.host)
		return 0;
	copy = MIN(f.n, gm.size);
	memcpy(gm.host, f.p, copy);
	f.p += copy;
	f.n -= copy;

	vq_enable(&vq, &gm, shared ? SHARED_BIT : 0, max, indirect);
	if (!f.n) {
		/* No script: drain the ring as a device would. */
		struct vq_chain ch;
		unsigned int i;

		for (i = 0; i < 2 * VIRTQ_MAX_SIZE; i++) {
			if (vq_pop(&vq, &ch) != 1)
				break;
			check_chain(&gm, &ch);
			vq_chain_write(&ch, 0, scratch,
				       MIN(ch.in_len, sizeof(scratch)));
			vq_push(&vq, ch.head, 0);
		}
	} else {
		run_script(&vq, &gm, &f, max, shared, indirect);
	}
	vq_disable(&vq);
	free(gm.host);
	return 0;
}
