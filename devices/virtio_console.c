/*
 * virtio-console (device id 3), single port: receiveq 0 carries host input
 * to the guest, transmitq 1 carries guest output to stdout.  Input that
 * arrives before the guest offers buffers waits in a small FIFO.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices/virtio_console.h"
#include "devices/virtio_mmio.h"
#include "vmm/util.h"

#define VIRTIO_CONSOLE_F_EMERG_WRITE	2
#define CONSOLE_QUEUE_MAX		64
#define CONSOLE_RXQ			0
#define CONSOLE_TXQ			1
#define INPUT_FIFO			4096

struct virtio_console_config {
	uint16_t cols;
	uint16_t rows;
	uint32_t max_nr_ports;
	uint32_t emerg_wr;
};
_Static_assert(offsetof(struct virtio_console_config, cols) == 0, "cols");
_Static_assert(offsetof(struct virtio_console_config, rows) == 2, "rows");
_Static_assert(offsetof(struct virtio_console_config, max_nr_ports) == 4,
	       "max_nr_ports");
_Static_assert(offsetof(struct virtio_console_config, emerg_wr) == 8,
	       "emerg_wr");
_Static_assert(sizeof(struct virtio_console_config) == 12, "config size");

struct console {
	uint8_t fifo[INPUT_FIFO];
	size_t head, count;
	bool tx_seen;		/* the guest wrote since the last reset */
};

static struct virtio_dev *console_vd;
static int out_fd = STDOUT_FILENO;

bool virtio_console_present(void)
{
	return console_vd != NULL;
}

void virtio_console_set_output(int fd)
{
	out_fd = fd;
}

/* Blocking write of everything, also when the fd was made non-blocking. */
static void out_write(const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t r = write(out_fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = out_fd, .events = POLLOUT };

			poll(&pfd, 1, -1);
			continue;
		}
		/* Output gone: drop it, as a serial line would. */
		if (r <= 0)
			return;
		p += r;
		n -= r;
	}
}

static void console_rx(struct virtio_dev *vd);

static uint32_t console_tx_chain(struct virtio_dev *vd,
				 const struct vq_chain *ch)
{
	unsigned int j;

	(void)vd;
	for (j = 0; j < ch->n_out; j++)
		out_write(ch->out[j].ptr, ch->out[j].len);
	return 0;
}

static void console_tx(struct virtio_dev *vd)
{
	struct console *c = vd->priv;

	virtio_serve_queue(vd, CONSOLE_TXQ, console_tx_chain);
	if (!c->tx_seen) {
		c->tx_seen = true;
		console_rx(vd);		/* input held back until now */
	}
}

/*
 * Move FIFO bytes into receive buffers while both exist (lock held).
 * Nothing is delivered before the guest's first output: Linux posts its
 * receive buffers before it marks the port connected and throws away
 * whatever arrives in between, so input typed (or piped) before boot would
 * be lost.  A guest that writes to its console is past that point.
 */
static void console_rx(struct virtio_dev *vd)
{
	struct virtqueue *vq = &vd->vqs[CONSOLE_RXQ];
	struct console *c = vd->priv;
	bool pushed = false;
	struct vq_chain ch;
	int r = 0;

	if (!virtio_is_live(vd) || !vq->enabled || !c->tx_seen)
		return;
	while (c->count) {
		uint64_t done = 0;

		r = vq_pop(vq, &ch);
		if (r <= 0)
			break;
		while (c->count && done < ch.in_len) {
			size_t run = MIN(c->count, INPUT_FIFO - c->head);
			size_t n = vq_chain_write(&ch, done, c->fifo + c->head,
						  run);

			if (!n)
				break;
			done += n;
			c->head = (c->head + n) % INPUT_FIFO;
			c->count -= n;
		}
		r = vq_push(vq, ch.head, done);
		if (r < 0)
			break;
		pushed = true;
	}
	if (r < 0)
		virtio_set_needs_reset(vd, vq->why);
	if (pushed)
		virtio_queue_done(vd, CONSOLE_RXQ);
}

void virtio_console_input(const uint8_t *buf, size_t len)
{
	struct virtio_dev *vd = console_vd;
	struct console *c;

	if (!vd)
		return;
	c = vd->priv;
	pthread_mutex_lock(&vd->lock);
	while (len && c->count < INPUT_FIFO) {
		c->fifo[(c->head + c->count) % INPUT_FIFO] = *buf++;
		c->count++;
		len--;
	}
	console_rx(vd);
	pthread_mutex_unlock(&vd->lock);
}

static void console_notify(struct virtio_dev *vd, unsigned int q)
{
	if (q == CONSOLE_TXQ)
		console_tx(vd);
	else
		console_rx(vd);
}

static void console_reset(struct virtio_dev *vd)
{
	struct console *c = vd->priv;

	c->tx_seen = false;
}

static void console_config_write(struct virtio_dev *vd, uint64_t off,
				 const uint8_t *data, unsigned int len)
{
	(void)len;
	/* emerg_wr: one character, the low byte of whatever was written. */
	if (off == offsetof(struct virtio_console_config, emerg_wr) &&
	    virtio_has_feature(vd, VIRTIO_CONSOLE_F_EMERG_WRITE))
		out_write(data, 1);
}

static void console_destroy(struct virtio_dev *vd)
{
	if (console_vd == vd)
		console_vd = NULL;
	free(vd->priv);
}

static const struct virtio_ops console_ops = {
	.device_id = VIRTIO_ID_CONSOLE,
	.num_queues = 2,
	.queue_max = CONSOLE_QUEUE_MAX,
	.features = 1ULL << VIRTIO_CONSOLE_F_EMERG_WRITE,
	.config_size = sizeof(struct virtio_console_config),
	.notify = console_notify,
	.config_write = console_config_write,
	.driver_ok = console_rx,
	.reset = console_reset,
	.destroy = console_destroy,
};

int virtio_console_setup(const struct config *cfg, const struct guest_mem *gm)
{
	struct virtio_dev *vd;
	struct console *c;

	c = calloc(1, sizeof(*c));
	if (!c)
		return pr_err("virtio-console: out of memory");
	vd = virtio_mmio_create("virtio-console", &console_ops, cfg, gm, c);
	if (!vd) {
		free(c);
		return -1;
	}
	put_le32(vd->config + offsetof(struct virtio_console_config,
				       max_nr_ports), 1);
	console_vd = vd;
	return 0;
}
