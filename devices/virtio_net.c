/*
 * virtio-net (device id 1) on a host tap device.  The tap is opened with
 * IFF_VNET_HDR and a 12-byte header size, so the version 1 virtio_net_hdr
 * passes between the guest's buffers and the tap unchanged; no offloads
 * are offered, so the header carries no checksum or GSO work.  Transmit
 * runs on the vCPU thread at QueueNotify, receive on a thread that polls
 * the tap; both hold the device lock while touching the rings.  With
 * --network mode=user the "tap" is a socket to a libslirp stack
 * (net_slirp.c) that carries frames the same way.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "devices/net_slirp.h"
#include "devices/virtio_mmio.h"
#include "vmm/config.h"
#include "vmm/sandbox.h"
#include "vmm/util.h"

#define VIRTIO_NET_F_MAC	5
#define VIRTIO_NET_F_STATUS	16
#define VIRTIO_NET_S_LINK_UP	1

#define NET_QUEUE_MAX		256
#define NET_RXQ			0
#define NET_TXQ			1

struct virtio_net_config {
	uint8_t mac[6];
	uint16_t status;
	uint16_t max_virtqueue_pairs;
};
_Static_assert(offsetof(struct virtio_net_config, mac) == 0, "mac");
_Static_assert(offsetof(struct virtio_net_config, status) == 6, "status");
_Static_assert(offsetof(struct virtio_net_config, max_virtqueue_pairs) == 8,
	       "max_virtqueue_pairs");
_Static_assert(sizeof(struct virtio_net_config) == 10, "net config size");

/* The header with VIRTIO_F_VERSION_1 (num_buffers always present). */
struct virtio_net_hdr_v1 {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;
};
_Static_assert(offsetof(struct virtio_net_hdr_v1, flags) == 0, "flags");
_Static_assert(offsetof(struct virtio_net_hdr_v1, gso_type) == 1, "gso_type");
_Static_assert(offsetof(struct virtio_net_hdr_v1, hdr_len) == 2, "hdr_len");
_Static_assert(offsetof(struct virtio_net_hdr_v1, gso_size) == 4, "gso_size");
_Static_assert(offsetof(struct virtio_net_hdr_v1, csum_start) == 6,
	       "csum_start");
_Static_assert(offsetof(struct virtio_net_hdr_v1, csum_offset) == 8,
	       "csum_offset");
_Static_assert(offsetof(struct virtio_net_hdr_v1, num_buffers) == 10,
	       "num_buffers");
_Static_assert(sizeof(struct virtio_net_hdr_v1) == 12, "net hdr size");

struct net {
	char name[16];
	char label[32];		/* "tap=NAME" or "mode=user", for errors */
	const char *tap_name;	/* NULL for mode=user */
	struct net_slirp *slirp;	/* mode=user: the stack behind tap_fd */
	int tap_fd;		/* -1 in a dry run; mode=user: a socket */
	int wake_fd;		/* eventfd: rx buffers, driver_ok, stop */
	bool thread_started;
	bool stop;
	bool tap_dead;		/* a tap read failed: receive stopped */
	pthread_t thread;
	struct iovec iov[NET_QUEUE_MAX];
};

static void net_wake(struct net *n)
{
	uint64_t one = 1;

	if (n->wake_fd >= 0 && write(n->wake_fd, &one, sizeof(one)) < 0) {
		/* The counter is saturated: a wakeup is pending anyway. */
	}
}

static unsigned int to_iov(struct net *n, const struct vq_buf *b,
			   unsigned int cnt)
{
	unsigned int i;

	for (i = 0; i < cnt && i < NET_QUEUE_MAX; i++) {
		n->iov[i].iov_base = b[i].ptr;
		n->iov[i].iov_len = b[i].len;
	}
	return i;
}

static uint32_t net_tx_frame(struct virtio_dev *vd,
			     const struct vq_chain *ch)
{
	struct net *n = vd->priv;

	/*
	 * A frame without its header is dropped, and so is one the tap
	 * refuses (interface down, queue full), as on a wire.
	 */
	if (n->tap_fd >= 0 && ch->out_len >= sizeof(struct virtio_net_hdr_v1)) {
		unsigned int cnt = to_iov(n, ch->out, ch->n_out);

		if (writev(n->tap_fd, n->iov, cnt) < 0) {
			/* dropped */
		}
	}
	return 0;
}

/*
 * Deliver waiting frames into receive buffers (lock held).  Returns true
 * when the guest has no buffer left, so the thread stops polling the tap.
 */
static bool net_rx(struct virtio_dev *vd)
{
	struct virtqueue *vq = &vd->vqs[NET_RXQ];
	struct net *n = vd->priv;
	const uint16_t one = htole16(1);
	bool pushed = false, starved = false;
	struct vq_chain ch;
	unsigned int i;
	int r = 0;

	if (!virtio_is_live(vd) || !vq->enabled)
		return true;
	for (i = 0; i < vq->num; i++) {
		ssize_t len;

		r = vq_pop(vq, &ch);
		if (r < 0)
			break;
		if (r == 0) {
			starved = true;
			break;
		}
		if (ch.in_len < sizeof(struct virtio_net_hdr_v1)) {
			/* Unusable buffer: hand it back empty. */
			r = vq_push(vq, ch.head, 0);
			if (r < 0)
				break;
			pushed = true;
			continue;
		}
		len = readv(n->tap_fd, n->iov, to_iov(n, ch.in, ch.n_in));
		if (len < 0 && errno != EAGAIN && errno != EINTR) {
			pr_err("network %s: read failed: %s; "
			       "receive stopped", n->label, strerror(errno));
			n->tap_dead = true;
		}
		if (len < (ssize_t)sizeof(struct virtio_net_hdr_v1)) {
			vq_unpop(vq);	/* nothing to read (EAGAIN) */
			break;
		}
		/* The tap leaves num_buffers alone; one buffer per frame. */
		vq_chain_write(&ch, offsetof(struct virtio_net_hdr_v1,
					     num_buffers), &one, sizeof(one));
		r = vq_push(vq, ch.head, len);
		if (r < 0)
			break;
		pushed = true;
	}
	if (r < 0) {
		virtio_set_needs_reset(vd, vq->why);
		starved = true;
	}
	if (pushed)
		virtio_queue_done(vd, NET_RXQ);
	return starved;
}

static void *net_rx_thread(void *arg)
{
	struct virtio_dev *vd = arg;
	struct net *n = vd->priv;
	bool starved = true;

	/* Started by a vCPU thread; narrows its filter to what rx needs. */
	if (sandbox_enter_thread(SANDBOX_DEVICE)) {
		pr_err("%s: receive thread not started", n->name);
		return NULL;
	}
	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = n->wake_fd, .events = POLLIN },
			{ .fd = n->tap_fd, .events = POLLIN },
		};
		uint64_t v;

		/* Without receive buffers only a wakeup can help. */
		if (poll(pfd, starved || n->tap_dead ? 1 : 2, -1) < 0 &&
		    errno != EINTR)
			break;
		if (pfd[1].revents & (POLLERR | POLLHUP | POLLNVAL))
			n->tap_dead = true;
		if (pfd[0].revents & POLLIN &&
		    read(n->wake_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
			break;
		pthread_mutex_lock(&vd->lock);
		if (n->stop) {
			pthread_mutex_unlock(&vd->lock);
			break;
		}
		starved = net_rx(vd);
		pthread_mutex_unlock(&vd->lock);
	}
	return NULL;
}

static void net_driver_ok(struct virtio_dev *vd)
{
	struct net *n = vd->priv;

	if (n->tap_fd < 0)
		return;
	if (!n->thread_started) {
		if (pthread_create(&n->thread, NULL, net_rx_thread, vd)) {
			virtio_set_needs_reset(vd, "no receive thread");
			return;
		}
		n->thread_started = true;
	}
	net_wake(n);
}

static void net_notify(struct virtio_dev *vd, unsigned int q)
{
	if (q == NET_TXQ)
		virtio_serve_queue(vd, NET_TXQ, net_tx_frame);
	else
		net_wake(vd->priv);	/* new receive buffers */
}

static void net_destroy(struct virtio_dev *vd)
{
	struct net *n = vd->priv;

	if (n->thread_started) {
		pthread_mutex_lock(&vd->lock);
		n->stop = true;
		pthread_mutex_unlock(&vd->lock);
		net_wake(n);
		pthread_join(n->thread, NULL);
	}
	net_slirp_close(n->slirp);
	if (n->tap_fd >= 0)
		close(n->tap_fd);
	if (n->wake_fd >= 0)
		close(n->wake_fd);
	free(n);
}

static const struct virtio_ops net_ops = {
	.device_id = VIRTIO_ID_NET,
	.num_queues = 2,
	.queue_max = NET_QUEUE_MAX,
	.features = 1ULL << VIRTIO_NET_F_MAC | 1ULL << VIRTIO_NET_F_STATUS,
	.config_size = sizeof(struct virtio_net_config),
	.notify = net_notify,
	.driver_ok = net_driver_ok,
	.destroy = net_destroy,
};

static int tap_open(struct net *n)
{
	struct ifreq ifr;
	int hdr_sz = sizeof(struct virtio_net_hdr_v1);

	if (strlen(n->tap_name) >= IFNAMSIZ)
		return pr_err("network tap=%s: name too long", n->tap_name);
	n->tap_fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (n->tap_fd < 0)
		return pr_err("network tap=%s: /dev/net/tun: %s", n->tap_name,
			      strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	memcpy(ifr.ifr_name, n->tap_name, strlen(n->tap_name));
	if (ioctl(n->tap_fd, TUNSETIFF, &ifr) < 0)
		return pr_err("network tap=%s: cannot attach: %s", n->tap_name,
			      strerror(errno));
	if (ioctl(n->tap_fd, TUNSETVNETHDRSZ, &hdr_sz) < 0)
		return pr_err("network tap=%s: cannot set the header size: %s",
			      n->tap_name, strerror(errno));
	/* No offloads: the host sends us complete, checksummed frames. */
	if (ioctl(n->tap_fd, TUNSETOFFLOAD, 0UL) < 0)
		return pr_err("network tap=%s: cannot clear offloads: %s",
			      n->tap_name, strerror(errno));
	return 0;
}

/*
 * mode=user: the slirp socket reads and writes like the tap above (one
 * frame per record, behind the 12-byte header), so the rest of the
 * device is the same.
 */
static int backend_open(struct net *n)
{
	if (n->tap_name ? tap_open(n) < 0 :
	    (n->tap_fd = net_slirp_open("--network mode=user", &n->slirp)) < 0)
		return -1;
	n->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (n->wake_fd < 0)
		return pr_err("network %s: eventfd: %s", n->label,
			      strerror(errno));
	return 0;
}

int virtio_net_setup(const struct config *cfg, const struct guest_mem *gm,
		     unsigned int i)
{
	/* Fixed per slot unless given: the same MAC on every run. */
	uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x50 + i };
	const struct net_config *nc = &cfg->nets[i];
	struct virtio_dev *vd;
	struct net *n;

	/* The parser drops mode=none; what is left is a tap or user mode. */
	if (nc->mac_set)
		memcpy(mac, nc->mac, sizeof(mac));
	n = calloc(1, sizeof(*n));
	if (!n)
		return pr_err("network: out of memory");
	n->tap_name = nc->mode == NET_MODE_TAP ? nc->tapif : NULL;
	n->tap_fd = -1;
	n->wake_fd = -1;
	snprintf(n->name, sizeof(n->name), "virtio-net%u", i);
	if (n->tap_name)
		snprintf(n->label, sizeof(n->label), "tap=%s", n->tap_name);
	else
		snprintf(n->label, sizeof(n->label), "mode=user");
	if (!cfg->dry_run && backend_open(n) < 0)
		goto fail;
	vd = virtio_mmio_create(n->name, &net_ops, cfg, gm, n);
	if (!vd)
		goto fail;
	memcpy(vd->config + offsetof(struct virtio_net_config, mac), mac,
	       sizeof(mac));
	put_le16(vd->config + offsetof(struct virtio_net_config, status),
		 VIRTIO_NET_S_LINK_UP);
	return 0;
fail:
	net_slirp_close(n->slirp);
	if (n->tap_fd >= 0)
		close(n->tap_fd);
	if (n->wake_fd >= 0)
		close(n->wake_fd);
	free(n);
	return -1;
}
