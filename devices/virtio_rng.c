/*
 * virtio-rng (device id 4): every buffer the guest offers is filled from
 * the host's getrandom().
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/random.h>

#include "devices/virtio_mmio.h"
#include "vmm/util.h"

#define RNG_QUEUE_MAX	64

/* Fill n buffers; returns the bytes written (stops at the first failure). */
static uint64_t fill(const struct vq_buf *bufs, unsigned int n)
{
	uint64_t total = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint8_t *p = bufs[i].ptr;
		size_t left = bufs[i].len;

		while (left) {
			ssize_t r = getrandom(p, left, 0);

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				return total;
			p += r;
			left -= r;
			total += r;
		}
	}
	return total;
}

static uint32_t rng_request(struct virtio_dev *vd, const struct vq_chain *ch)
{
	uint64_t n = fill(ch->in, ch->n_in);

	(void)vd;
	return MIN(n, (uint64_t)UINT32_MAX);
}

static void rng_notify(struct virtio_dev *vd, unsigned int q)
{
	virtio_serve_queue(vd, q, rng_request);
}

static const struct virtio_ops rng_ops = {
	.device_id = VIRTIO_ID_RNG,
	.num_queues = 1,
	.queue_max = RNG_QUEUE_MAX,
	.config_size = 0,
	.notify = rng_notify,
};

int virtio_rng_setup(const struct config *cfg, const struct guest_mem *gm)
{
	return virtio_mmio_create("virtio-rng", &rng_ops, cfg, gm, NULL) ?
	       0 : -1;
}
