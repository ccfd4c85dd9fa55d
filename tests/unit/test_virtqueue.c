/*
 * Split virtqueue walker against hostile rings: every bad address, length,
 * index or loop must be refused (queue broken) without a crash or a hang.
 */
#include <endian.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tests/unit/virtio_test_driver.h"
#include "vmm/util.h"

#define NUM	8
#define RING	(RAM_BASE + 0x1000)
#define DATA	(RAM_BASE + 0x10000)

struct fixture {
	struct guest_mem gm;
	struct tring r;
	struct virtqueue vq;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(guest_mem_alloc(&f->gm, RAM_BASE, TEST_RAM_SIZE), 0);
	tring_init(&f->r, &f->gm, RING, NUM);
	f->vq.num = NUM;
	f->vq.desc_addr = f->r.desc;
	f->vq.avail_addr = f->r.avail;
	f->vq.used_addr = f->r.used;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	vq_disable(&f->vq);
	guest_mem_free(&f->gm);
	free(f);
	return 0;
}

static void enable(struct fixture *f, bool indirect)
{
	assert_int_equal(vq_enable(&f->vq, &f->gm, 0, 256, indirect), 0);
}

/* Pop must refuse the chain and leave the queue broken for good. */
static void expect_broken(struct fixture *f)
{
	struct vq_chain ch;

	assert_int_equal(vq_pop(&f->vq, &ch), -1);
	assert_true(f->vq.broken);
	assert_non_null(f->vq.why);
	assert_int_equal(vq_pop(&f->vq, &ch), -1);
	assert_int_equal(vq_push(&f->vq, 0, 0), -1);
}

static void test_simple_chain(void **state)
{
	struct fixture *f = *state;
	struct vq_chain ch;
	struct virtq_used_elem e;

	enable(f, false);
	assert_int_equal(vq_pop(&f->vq, &ch), 0);	/* empty */
	tring_desc(&f->r, 3, DATA, 16, VIRTQ_DESC_F_NEXT, 5);
	tring_desc(&f->r, 5, DATA + 0x100, 100, VIRTQ_DESC_F_WRITE, 0);
	tring_avail(&f->r, 3);
	assert_int_equal(vq_pop(&f->vq, &ch), 1);
	assert_int_equal(ch.head, 3);
	assert_int_equal(ch.n_out, 1);
	assert_int_equal(ch.n_in, 1);
	assert_ptr_equal(ch.out[0].ptr, host(&f->gm, DATA));
	assert_int_equal(ch.out[0].len, 16);
	assert_ptr_equal(ch.in[0].ptr, host(&f->gm, DATA + 0x100));
	assert_int_equal(ch.in[0].len, 100);
	assert_int_equal(ch.out_len, 16);
	assert_int_equal(ch.in_len, 100);
	assert_int_equal(vq_pop(&f->vq, &ch), 0);
	assert_int_equal(vq_push(&f->vq, 3, 42), 0);
	assert_int_equal(tring_used_idx(&f->r), 1);
	e = tring_used(&f->r, 0);
	assert_int_equal(le32toh(e.id), 3);
	assert_int_equal(le32toh(e.len), 42);
	assert_false(f->vq.broken);
}

static void test_size_not_pow2(void **state)
{
	struct fixture *f = *state;
	uint32_t bad[] = { 0, 3, 12, 255, 512, 65536, 0xffffffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		f->vq.num = bad[i];
		f->vq.desc_addr = f->r.desc;
		f->vq.avail_addr = f->r.avail;
		f->vq.used_addr = f->r.used;
		assert_int_equal(vq_enable(&f->vq, &f->gm, 0, 256, false), -1);
		assert_false(f->vq.enabled);
	}
	/* A power of 2 above QueueNumMax is refused too. */
	f->vq.num = 16;
	assert_int_equal(vq_enable(&f->vq, &f->gm, 0, 8, false), -1);
}

static void test_misaligned_rings(void **state)
{
	struct fixture *f = *state;

	f->vq.desc_addr = f->r.desc + 8;
	assert_int_equal(vq_enable(&f->vq, &f->gm, 0, 256, false), -1);
	f->vq.desc_addr = f->r.desc;
	f->vq.avail_addr = f->r.avail + 1;
	assert_int_equal(vq_enable(&f->vq, &f->gm, 0, 256, false), -1);
	f->vq.avail_addr = f->r.avail;
	f->vq.used_addr = f->r.used + 2;
	assert_int_equal(vq_enable(&f->vq, &f->gm, 0, 256, false), -1);
	assert_false(f->vq.enabled);
}

static void test_rings_outside_ram(void **state)
{
	struct fixture *f = *state;
	uint64_t bad[] = {
		0, RAM_BASE - 16, RAM_BASE + TEST_RAM_SIZE - 16,
		RAM_BASE + TEST_RAM_SIZE, 0xfffffffffffffff0ULL,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		f->vq.desc_addr = bad[i];
		assert_int_equal(vq_enable(&f->vq, &f->gm, 0, 256, false), -1);
		f->vq.desc_addr = f->r.desc;
		f->vq.used_addr = bad[i];
		assert_int_equal(vq_enable(&f->vq, &f->gm, 0, 256, false), -1);
		f->vq.used_addr = f->r.used;
		f->vq.avail_addr = bad[i];
		assert_int_equal(vq_enable(&f->vq, &f->gm, 0, 256, false), -1);
		f->vq.avail_addr = f->r.avail;
	}
	/* The last bytes of RAM are fine. */
	f->vq.used_addr = RAM_BASE + TEST_RAM_SIZE - VIRTQ_USED_BYTES(NUM);
	f->vq.used_addr = ALIGN_DOWN(f->vq.used_addr, 4);
	assert_int_equal(vq_enable(&f->vq, &f->gm, 0, 256, false), 0);
}

static void test_desc_outside_ram(void **state)
{
	struct fixture *f = *state;

	enable(f, false);
	tring_desc(&f->r, 0, RAM_BASE + TEST_RAM_SIZE, 1, 0, 0);
	tring_avail(&f->r, 0);
	expect_broken(f);
}

static void test_desc_below_ram(void **state)
{
	struct fixture *f = *state;

	enable(f, false);
	tring_desc(&f->r, 0, RAM_BASE - 1, 2, 0, 0);
	tring_avail(&f->r, 0);
	expect_broken(f);
}

static void test_length_wraps(void **state)
{
	struct fixture *f = *state;

	enable(f, false);
	tring_desc(&f->r, 0, RAM_BASE + TEST_RAM_SIZE - 16, 0xffffffff, 0, 0);
	tring_avail(&f->r, 0);
	expect_broken(f);
}

static void test_address_wraps(void **state)
{
	struct fixture *f = *state;

	enable(f, false);
	tring_desc(&f->r, 0, 0xfffffffffffffff0ULL, 0x20, 0, 0);
	tring_avail(&f->r, 0);
	expect_broken(f);
}

static void test_loop(void **state)
{
	struct fixture *f = *state;

	enable(f, false);
	tring_desc(&f->r, 0, DATA, 8, VIRTQ_DESC_F_NEXT, 1);
	tring_desc(&f->r, 1, DATA, 8, VIRTQ_DESC_F_NEXT, 2);
	tring_desc(&f->r, 2, DATA, 8, VIRTQ_DESC_F_NEXT, 0);
	tring_avail(&f->r, 0);
	expect_broken(f);
}

static void test_self_loop(void **state)
{
	struct fixture *f = *state;

	enable(f, false);
	tring_desc(&f->r, 4, DATA, 8, VIRTQ_DESC_F_NEXT, 4);
	tring_avail(&f->r, 4);
	expect_broken(f);
}

static void test_full_length_chain_ok(void **state)
{
	struct fixture *f = *state;
	struct vq_chain ch;
	unsigned int i;

	/* A chain using every descriptor is legal; one more is not. */
	enable(f, false);
	for (i = 0; i < NUM; i++)
		tring_desc(&f->r, i, DATA + i * 8, 8,
			   i + 1 < NUM ? VIRTQ_DESC_F_NEXT : 0, i + 1);
	tring_avail(&f->r, 0);
	assert_int_equal(vq_pop(&f->vq, &ch), 1);
	assert_int_equal(ch.n_out, NUM);
	assert_int_equal(ch.out_len, NUM * 8);
}

static void test_avail_idx_jump(void **state)
{
	struct fixture *f = *state;
	struct virtq_avail *a = host(&f->gm, f->r.avail);

	enable(f, false);
	tring_desc(&f->r, 0, DATA, 8, 0, 0);
	a->idx = htole16(NUM + 1);
	expect_broken(f);
}

static void test_avail_idx_exactly_full(void **state)
{
	struct fixture *f = *state;
	struct virtq_avail *a = host(&f->gm, f->r.avail);
	struct vq_chain ch;
	unsigned int i;

	enable(f, false);
	for (i = 0; i < NUM; i++) {
		tring_desc(&f->r, i, DATA, 8, 0, 0);
		a->ring[i] = htole16(i);
	}
	a->idx = htole16(NUM);
	for (i = 0; i < NUM; i++) {
		assert_int_equal(vq_pop(&f->vq, &ch), 1);
		assert_int_equal(ch.head, i);
	}
	assert_int_equal(vq_pop(&f->vq, &ch), 0);
}

static void test_index_wraparound(void **state)
{
	struct fixture *f = *state;
	struct virtq_avail *a = host(&f->gm, f->r.avail);
	struct vq_chain ch;

	/* 16-bit ring indices wrap: 0xffff -> 0x0000 is one entry. */
	enable(f, false);
	f->vq.last_avail = 0xffff;
	f->vq.used_idx = 0xffff;
	tring_desc(&f->r, 2, DATA, 8, 0, 0);
	a->ring[0xffff % NUM] = htole16(2);
	a->idx = htole16(0);
	assert_int_equal(vq_pop(&f->vq, &ch), 1);
	assert_int_equal(ch.head, 2);
	assert_int_equal(vq_push(&f->vq, 2, 0), 0);
	assert_int_equal(tring_used_idx(&f->r), 0);
	assert_int_equal(le32toh(tring_used(&f->r, 0xffff).id), 2);
}

static void test_head_out_of_range(void **state)
{
	struct fixture *f = *state;

	enable(f, false);
	tring_avail(&f->r, NUM);
	expect_broken(f);
}

static void test_next_out_of_range(void **state)
{
	struct fixture *f = *state;

	enable(f, false);
	tring_desc(&f->r, 0, DATA, 8, VIRTQ_DESC_F_NEXT, NUM);
	tring_avail(&f->r, 0);
	expect_broken(f);
}

static void test_read_after_write(void **state)
{
	struct fixture *f = *state;

	enable(f, false);
	tring_desc(&f->r, 0, DATA, 8, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT,
		   1);
	tring_desc(&f->r, 1, DATA, 8, 0, 0);
	tring_avail(&f->r, 0);
	expect_broken(f);
}

static void test_indirect_not_negotiated(void **state)
{
	struct fixture *f = *state;

	enable(f, false);
	tring_desc(&f->r, 0, DATA, 32, VIRTQ_DESC_F_INDIRECT, 0);
	tring_avail(&f->r, 0);
	expect_broken(f);
}

/* Write an indirect table of n entries at DATA. */
static void indirect_entry(struct fixture *f, unsigned int i, uint64_t addr,
			   uint32_t len, uint16_t flags, uint16_t next)
{
	struct virtq_desc d = {
		.addr = htole64(addr), .len = htole32(len),
		.flags = htole16(flags), .next = htole16(next),
	};

	memcpy((uint8_t *)host(&f->gm, DATA) + 16 * i, &d, sizeof(d));
}

static void test_indirect_ok(void **state)
{
	struct fixture *f = *state;
	struct vq_chain ch;

	enable(f, true);
	indirect_entry(f, 0, DATA + 0x1000, 16, VIRTQ_DESC_F_NEXT, 1);
	indirect_entry(f, 1, DATA + 0x2000, 512, VIRTQ_DESC_F_NEXT, 2);
	indirect_entry(f, 2, DATA + 0x3000, 1, VIRTQ_DESC_F_WRITE, 0);
	tring_desc(&f->r, 6, DATA, 48, VIRTQ_DESC_F_INDIRECT, 0);
	tring_avail(&f->r, 6);
	assert_int_equal(vq_pop(&f->vq, &ch), 1);
	assert_int_equal(ch.head, 6);
	assert_int_equal(ch.n_out, 2);
	assert_int_equal(ch.n_in, 1);
	assert_ptr_equal(ch.out[1].ptr, host(&f->gm, DATA + 0x2000));
	assert_ptr_equal(ch.in[0].ptr, host(&f->gm, DATA + 0x3000));
	assert_int_equal(ch.out_len, 528);
}

static void test_indirect_bad_len(void **state)
{
	struct fixture *f = *state;

	enable(f, true);
	indirect_entry(f, 0, DATA + 0x1000, 16, 0, 0);
	tring_desc(&f->r, 0, DATA, 24, VIRTQ_DESC_F_INDIRECT, 0);
	tring_avail(&f->r, 0);
	expect_broken(f);
}

static void test_indirect_zero_len(void **state)
{
	struct fixture *f = *state;

	enable(f, true);
	tring_desc(&f->r, 0, DATA, 0, VIRTQ_DESC_F_INDIRECT, 0);
	tring_avail(&f->r, 0);
	expect_broken(f);
}

static void test_indirect_too_long(void **state)
{
	struct fixture *f = *state;
	unsigned int i;

	/* More entries than the queue size: refused before walking. */
	enable(f, true);
	for (i = 0; i < 2 * NUM; i++)
		indirect_entry(f, i, DATA + 0x1000, 4, VIRTQ_DESC_F_NEXT,
			       i + 1);
	tring_desc(&f->r, 0, DATA, 16 * 2 * NUM, VIRTQ_DESC_F_INDIRECT, 0);
	tring_avail(&f->r, 0);
	expect_broken(f);
}

static void test_indirect_table_outside_ram(void **state)
{
	struct fixture *f = *state;

	enable(f, true);
	tring_desc(&f->r, 0, RAM_BASE + TEST_RAM_SIZE - 16, 32,
		   VIRTQ_DESC_F_INDIRECT, 0);
	tring_avail(&f->r, 0);
	expect_broken(f);
}

static void test_indirect_nested(void **state)
{
	struct fixture *f = *state;

	enable(f, true);
	indirect_entry(f, 0, DATA, 16, VIRTQ_DESC_F_INDIRECT, 0);
	tring_desc(&f->r, 0, DATA, 16, VIRTQ_DESC_F_INDIRECT, 0);
	tring_avail(&f->r, 0);
	expect_broken(f);
}

static void test_indirect_with_next(void **state)
{
	struct fixture *f = *state;

	enable(f, true);
	indirect_entry(f, 0, DATA + 0x1000, 16, 0, 0);
	tring_desc(&f->r, 0, DATA, 16,
		   VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT, 1);
	tring_desc(&f->r, 1, DATA + 0x1000, 16, 0, 0);
	tring_avail(&f->r, 0);
	expect_broken(f);
}

static void test_indirect_loop(void **state)
{
	struct fixture *f = *state;

	enable(f, true);
	indirect_entry(f, 0, DATA + 0x1000, 4, VIRTQ_DESC_F_NEXT, 1);
	indirect_entry(f, 1, DATA + 0x1000, 4, VIRTQ_DESC_F_NEXT, 0);
	tring_desc(&f->r, 0, DATA, 32, VIRTQ_DESC_F_INDIRECT, 0);
	tring_avail(&f->r, 0);
	expect_broken(f);
}

static void test_indirect_next_out_of_table(void **state)
{
	struct fixture *f = *state;

	enable(f, true);
	indirect_entry(f, 0, DATA + 0x1000, 4, VIRTQ_DESC_F_NEXT, 2);
	tring_desc(&f->r, 0, DATA, 32, VIRTQ_DESC_F_INDIRECT, 0);
	tring_avail(&f->r, 0);
	expect_broken(f);
}

static void test_push_bad_head(void **state)
{
	struct fixture *f = *state;

	enable(f, false);
	assert_int_equal(vq_push(&f->vq, NUM, 0), -1);
	assert_true(f->vq.broken);
	assert_int_equal(tring_used_idx(&f->r), 0);
}

static void test_disabled_queue(void **state)
{
	struct fixture *f = *state;
	struct vq_chain ch;

	tring_avail(&f->r, 0);
	assert_int_equal(vq_pop(&f->vq, &ch), 0);
	assert_int_equal(vq_push(&f->vq, 0, 0), -1);
}

static void test_chain_copy(void **state)
{
	struct fixture *f = *state;
	uint8_t in[10] = "0123456789", out[10] = { 0 };
	struct vq_chain ch;

	enable(f, false);
	memcpy(host(&f->gm, DATA), "abc", 3);
	memcpy(host(&f->gm, DATA + 0x100), "defgh", 5);
	tring_desc(&f->r, 0, DATA, 3, VIRTQ_DESC_F_NEXT, 1);
	tring_desc(&f->r, 1, DATA + 0x100, 5, VIRTQ_DESC_F_NEXT, 2);
	tring_desc(&f->r, 2, DATA + 0x200, 4, VIRTQ_DESC_F_WRITE |
		   VIRTQ_DESC_F_NEXT, 3);
	tring_desc(&f->r, 3, DATA + 0x300, 4, VIRTQ_DESC_F_WRITE, 0);
	tring_avail(&f->r, 0);
	assert_int_equal(vq_pop(&f->vq, &ch), 1);
	/* Reads span buffers and stop at the end of the readable part. */
	assert_int_equal(vq_chain_read(&ch, 2, out, 10), 6);
	assert_memory_equal(out, "cdefgh", 6);
	assert_int_equal(vq_chain_read(&ch, 8, out, 1), 0);
	/* Writes likewise stop at the end of the writable part. */
	assert_int_equal(vq_chain_write(&ch, 1, in, 10), 7);
	assert_memory_equal(host(&f->gm, DATA + 0x201), "012", 3);
	assert_memory_equal(host(&f->gm, DATA + 0x300), "3456", 4);
}

static void test_want_irq(void **state)
{
	struct fixture *f = *state;
	struct virtq_avail *a = host(&f->gm, f->r.avail);

	enable(f, false);
	/* Nothing used yet: no interrupt (it would be spurious). */
	assert_false(vq_want_irq(&f->vq));
	assert_int_equal(vq_push(&f->vq, 0, 0), 0);
	assert_true(vq_want_irq(&f->vq));
	/* Already signalled. */
	assert_false(vq_want_irq(&f->vq));
	a->flags = htole16(VIRTQ_AVAIL_F_NO_INTERRUPT);
	assert_int_equal(vq_push(&f->vq, 1, 0), 0);
	assert_false(vq_want_irq(&f->vq));
}

static void test_shared_alias(void **state)
{
	struct fixture *f = *state;
	const uint64_t shared = 1ULL << 40;
	struct vq_chain ch;

	/* A realm guest uses the shared alias (top IPA bit) for DMA. */
	f->vq.desc_addr |= shared;
	f->vq.avail_addr |= shared;
	f->vq.used_addr |= shared;
	assert_int_equal(vq_enable(&f->vq, &f->gm, shared, 256, false), 0);
	tring_desc(&f->r, 0, DATA | shared, 8, 0, 0);
	tring_avail(&f->r, 0);
	assert_int_equal(vq_pop(&f->vq, &ch), 1);
	assert_ptr_equal(ch.out[0].ptr, host(&f->gm, DATA));
	assert_int_equal(vq_push(&f->vq, 0, 0), 0);
	assert_int_equal(tring_used_idx(&f->r), 1);
}

/*
 * Garbage rings (fixed seed, so the run is reproducible): every pop ends,
 * and whatever it accepts lies inside guest RAM.
 */
static void test_random_rings(void **state)
{
	struct fixture *f = *state;
	uint8_t *lo = f->gm.host, *hi = f->gm.host + f->gm.size;
	unsigned int round, i, accepted = 0, refused = 0;

	srand(12345);
	for (round = 0; round < 2000; round++) {
		uint8_t *ring = host(&f->gm, f->r.desc);
		struct vq_chain ch;
		int r;

		for (i = 0; i < f->r.used - f->r.desc; i++)
			ring[i] = rand();
		/* Addresses mostly near RAM, so some chains get through. */
		for (i = 0; i < NUM; i++) {
			struct virtq_desc *d = (void *)(ring + 16 * i);

			if (rand() % 4)
				d->addr = htole64(RAM_BASE + rand() %
						  (2 * TEST_RAM_SIZE));
			if (rand() % 2)
				d->len = htole32(rand() % 4096);
			d->next = htole16(le16toh(d->next) % (2 * NUM));
			if (rand() % 4)
				d->flags &= htole16(VIRTQ_DESC_F_NEXT);
		}
		/* Mostly a plausible avail index and heads. */
		if (rand() % 4) {
			struct virtq_avail *a = host(&f->gm, f->r.avail);

			a->idx = htole16(rand() % (NUM + 2));
			for (i = 0; i < NUM; i++)
				a->ring[i] = htole16(rand() % (NUM + 1));
		}
		vq_disable(&f->vq);
		f->vq.num = NUM;
		f->vq.desc_addr = f->r.desc;
		f->vq.avail_addr = f->r.avail;
		f->vq.used_addr = f->r.used;
		enable(f, round % 2);
		for (i = 0; i < 2 * NUM; i++) {
			unsigned int j;

			r = vq_pop(&f->vq, &ch);
			refused += r < 0;
			if (r <= 0)
				break;
			accepted++;
			for (j = 0; j < ch.n_out + ch.n_in; j++) {
				struct vq_buf *b = &ch.out[j];

				assert_true(b->ptr >= lo && b->ptr <= hi);
				assert_true(b->len <= (uint64_t)(hi - b->ptr));
			}
			vq_push(&f->vq, ch.head, 0);
		}
		assert_true(i <= NUM);
	}
	/* The rings were random enough to exercise both outcomes. */
	assert_true(accepted > 100);
	assert_true(refused > 100);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_simple_chain),
		T(test_size_not_pow2),
		T(test_misaligned_rings),
		T(test_rings_outside_ram),
		T(test_desc_outside_ram),
		T(test_desc_below_ram),
		T(test_length_wraps),
		T(test_address_wraps),
		T(test_loop),
		T(test_self_loop),
		T(test_full_length_chain_ok),
		T(test_avail_idx_jump),
		T(test_avail_idx_exactly_full),
		T(test_index_wraparound),
		T(test_head_out_of_range),
		T(test_next_out_of_range),
		T(test_read_after_write),
		T(test_indirect_not_negotiated),
		T(test_indirect_ok),
		T(test_indirect_bad_len),
		T(test_indirect_zero_len),
		T(test_indirect_too_long),
		T(test_indirect_table_outside_ram),
		T(test_indirect_nested),
		T(test_indirect_with_next),
		T(test_indirect_loop),
		T(test_indirect_next_out_of_table),
		T(test_push_bad_head),
		T(test_disabled_queue),
		T(test_chain_copy),
		T(test_want_irq),
		T(test_shared_alias),
		T(test_random_rings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
