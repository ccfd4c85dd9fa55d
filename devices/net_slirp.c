/*
 * --network mode=user: a libslirp stack on a thread of its own, joined to
 * virtio_net.c by a SOCK_SEQPACKET socket pair that behaves like a tap
 * opened with IFF_VNET_HDR (one frame per record, after a 12-byte
 * virtio_net_hdr).  libslirp is not thread-safe, so every slirp call is
 * made on this thread; the vCPU and receive threads only touch their end
 * of the socket.  Built without libslirp (REALMVM_SLIRP unset), the
 * option is refused at launch with a way out.
 */
#include <errno.h>
#include <string.h>

#include "devices/net_slirp.h"
#include "vmm/sandbox.h"
#include "vmm/util.h"

#ifndef REALMVM_SLIRP

/* The static aarch64 build has libslirp only in its SLIRP=1 variant. */
#ifdef REALMVM_SLIRP_VARIANT
#define SLIRP_WAY_OUT "use the static build with libslirp: make ARCH=arm64 SLIRP=1, build/arm64-slirp/realmvm"
#else
#define SLIRP_WAY_OUT "install libslirp-dev and rebuild"
#endif

bool net_slirp_available(void)
{
	return false;
}

int net_slirp_open(const char *what, struct net_slirp **out)
{
	*out = NULL;
	return pr_err("%s: this realmvm was built without libslirp (" SLIRP_WAY_OUT ", or use --network tap=NAME)",
		      what);
}

void net_slirp_close(struct net_slirp *ns)
{
	(void)ns;
}

#else

#include <libslirp.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define VNET_HDR	12		/* virtio_net_hdr_v1 */
#define FRAME_MAX	(VNET_HDR + 65536)
#define POLL_MAX	4096		/* slirp sockets polled at once */
#define RX_BATCH	64		/* guest frames per loop turn */
#define SOCK_BUF	(1 << 20)

struct ns_timer {
	SlirpTimerId id;
	void *cb_opaque;
	int64_t expire_ms;	/* -1: not armed */
	struct ns_timer *next;
};

struct net_slirp {
	const char *what;
	Slirp *slirp;
	int fd;			/* slirp's end of the socket pair */
	int stop_fd;		/* eventfd: net_slirp_close() */
	pthread_t thread;
	bool started;
	struct pollfd pfds[POLL_MAX];
	unsigned int nfds;
	struct ns_timer *timers;
	uint8_t frame[FRAME_MAX];
};

bool net_slirp_available(void)
{
	return true;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A frame from slirp for the guest: the device reads it like a tap's. */
static ssize_t cb_send_packet(const void *buf, size_t len, void *opaque)
{
	struct net_slirp *ns = opaque;
	uint8_t hdr[VNET_HDR] = { 0 };
	struct iovec iov[2] = {
		{ .iov_base = hdr, .iov_len = sizeof(hdr) },
		{ .iov_base = (void *)buf, .iov_len = len },
	};
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };

	/* A full socket drops the frame, as a wire would. */
	if (sendmsg(ns->fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		/* dropped */
	}
	return (ssize_t)len;
}

/* Guest mistakes are the guest's: no log line a guest could flood. */
static void cb_guest_error(const char *msg, void *opaque)
{
	(void)msg;
	(void)opaque;
}

static int64_t cb_clock_get_ns(void *opaque)
{
	(void)opaque;
	return now_ns();
}

static void *cb_timer_new_opaque(SlirpTimerId id, void *cb_opaque,
				 void *opaque)
{
	struct net_slirp *ns = opaque;
	struct ns_timer *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->id = id;
	t->cb_opaque = cb_opaque;
	t->expire_ms = -1;
	t->next = ns->timers;
	ns->timers = t;
	return t;
}

static void cb_timer_free(void *timer, void *opaque)
{
	struct net_slirp *ns = opaque;
	struct ns_timer **p;

	for (p = &ns->timers; *p; p = &(*p)->next) {
		if (*p == timer) {
			*p = (*p)->next;
			free(timer);
			return;
		}
	}
}

static void cb_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	(void)opaque;
	if (timer)
		((struct ns_timer *)timer)->expire_ms = expire_ms;
}

/* Every socket is polled from slirp_pollfds_fill(): nothing to track. */
static void cb_poll_fd(int fd, void *opaque)
{
	(void)fd;
	(void)opaque;
}

static void cb_notify(void *opaque)
{
	(void)opaque;
}

static const SlirpCb callbacks = {
	.send_packet = cb_send_packet,
	.guest_error = cb_guest_error,
	.clock_get_ns = cb_clock_get_ns,
	.timer_free = cb_timer_free,
	.timer_mod = cb_timer_mod,
	.register_poll_fd = cb_poll_fd,
	.unregister_poll_fd = cb_poll_fd,
	.notify = cb_notify,
	.timer_new_opaque = cb_timer_new_opaque,
};

static int cb_add_poll(int fd, int events, void *opaque)
{
	struct net_slirp *ns = opaque;
	short ev = 0;

	if (ns->nfds >= POLL_MAX)
		return -1;	/* slirp then skips this socket this turn */
	if (events & SLIRP_POLL_IN)
		ev |= POLLIN;
	if (events & SLIRP_POLL_OUT)
		ev |= POLLOUT;
	if (events & SLIRP_POLL_PRI)
		ev |= POLLPRI;
	ns->pfds[ns->nfds] = (struct pollfd){ .fd = fd, .events = ev };
	return (int)ns->nfds++;
}

static int cb_get_revents(int idx, void *opaque)
{
	struct net_slirp *ns = opaque;
	short re;
	int ev = 0;

	if (idx < 0 || (unsigned int)idx >= ns->nfds)
		return 0;
	re = ns->pfds[idx].revents;
	if (re & POLLIN)
		ev |= SLIRP_POLL_IN;
	if (re & POLLOUT)
		ev |= SLIRP_POLL_OUT;
	if (re & POLLPRI)
		ev |= SLIRP_POLL_PRI;
	if (re & (POLLERR | POLLNVAL))
		ev |= SLIRP_POLL_ERR;
	if (re & POLLHUP)
		ev |= SLIRP_POLL_HUP;
	return ev;
}

/* Milliseconds until the next armed timer, at most cap. */
static uint32_t timers_timeout(struct net_slirp *ns, uint32_t cap)
{
	int64_t now = now_ns() / 1000000;
	struct ns_timer *t;
	uint32_t to = cap;

	for (t = ns->timers; t; t = t->next) {
		if (t->expire_ms < 0)
			continue;
		if (t->expire_ms <= now)
			return 0;
		if ((uint64_t)(t->expire_ms - now) < to)
			to = (uint32_t)(t->expire_ms - now);
	}
	return to;
}

static void timers_run(struct net_slirp *ns)
{
	int64_t now = now_ns() / 1000000;
	struct ns_timer *t;

	for (t = ns->timers; t; t = t->next) {
		if (t->expire_ms >= 0 && t->expire_ms <= now) {
			t->expire_ms = -1;
			slirp_handle_timer(ns->slirp, t->id, t->cb_opaque);
			/* The list may have changed: the rest next turn. */
			return;
		}
	}
}

/* Frames the guest sent: strip the header, hand them to slirp. */
static void guest_frames(struct net_slirp *ns)
{
	unsigned int i;

	for (i = 0; i < RX_BATCH; i++) {
		ssize_t n = recv(ns->fd, ns->frame, sizeof(ns->frame),
				 MSG_DONTWAIT);

		if (n < 0)
			return;
		/* A frame without its header, or too short for Ethernet. */
		if (n < VNET_HDR + 14)
			continue;
		slirp_input(ns->slirp, ns->frame + VNET_HDR,
			    (int)(n - VNET_HDR));
	}
}

static void *slirp_thread(void *arg)
{
	struct net_slirp *ns = arg;

	for (;;) {
		uint32_t timeout = timers_timeout(ns, 1000);
		int r;

		ns->pfds[0] = (struct pollfd){ .fd = ns->stop_fd,
					       .events = POLLIN };
		ns->pfds[1] = (struct pollfd){ .fd = ns->fd, .events = POLLIN };
		ns->nfds = 2;
		slirp_pollfds_fill(ns->slirp, &timeout, cb_add_poll, ns);
		r = poll(ns->pfds, ns->nfds, (int)MIN(timeout, 1000U));
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0 && ns->pfds[0].revents)
			break;
		if (r > 0 && ns->pfds[1].revents & POLLIN)
			guest_frames(ns);
		slirp_pollfds_poll(ns->slirp, r < 0, cb_get_revents, ns);
		timers_run(ns);
	}
	return NULL;
}

static void ns_free(struct net_slirp *ns)
{
	struct ns_timer *t;

	if (ns->slirp)
		slirp_cleanup(ns->slirp);
	while ((t = ns->timers)) {
		ns->timers = t->next;
		free(t);
	}
	if (ns->fd >= 0)
		close(ns->fd);
	if (ns->stop_fd >= 0)
		close(ns->stop_fd);
	free(ns);
}

int net_slirp_open(const char *what, struct net_slirp **out)
{
	SlirpConfig cfg = { .version = 4 };
	struct net_slirp *ns;
	int sv[2], sz = SOCK_BUF, ret;

	*out = NULL;
	ns = calloc(1, sizeof(*ns));
	if (!ns)
		return pr_err("%s: out of memory", what);
	ns->what = what;
	ns->fd = -1;
	ns->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (ns->stop_fd < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       0, sv)) {
		pr_err("%s: %s", what, strerror(errno));
		ns_free(ns);
		return -1;
	}
	ns->fd = sv[1];
	/* Room for bursts of full-size frames; failure only costs speed. */
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));

	cfg.restricted = 0;
	cfg.in_enabled = true;
	inet_pton(AF_INET, SLIRP_NET, &cfg.vnetwork);
	inet_pton(AF_INET, SLIRP_MASK, &cfg.vnetmask);
	inet_pton(AF_INET, SLIRP_HOST, &cfg.vhost);
	inet_pton(AF_INET, SLIRP_DHCP, &cfg.vdhcp_start);
	inet_pton(AF_INET, SLIRP_DNS, &cfg.vnameserver);
	cfg.in6_enabled = false;
	cfg.vhostname = "realmvm";
	cfg.disable_host_loopback = false;	/* 10.0.2.2 is the host */
	ns->slirp = slirp_new(&cfg, &callbacks, ns);
	if (!ns->slirp) {
		close(sv[0]);
		pr_err("%s: libslirp refused to start", what);
		ns_free(ns);
		return -1;
	}
	/* Sandboxed before the first frame from the guest. */
	ret = sandbox_thread_create(&ns->thread, SANDBOX_SLIRP, slirp_thread,
				    ns);
	if (ret) {
		if (ret > 0)
			pr_err("%s: cannot start the network thread: %s", what,
			       strerror(ret));
		close(sv[0]);
		ns_free(ns);
		return -1;
	}
	ns->started = true;
	*out = ns;
	return sv[0];
}

void net_slirp_close(struct net_slirp *ns)
{
	uint64_t one = 1;

	if (!ns)
		return;
	if (ns->started) {
		if (write(ns->stop_fd, &one, sizeof(one)) < 0) {
			/* the counter is saturated: a stop is pending */
		}
		pthread_join(ns->thread, NULL);
	}
	ns_free(ns);
}

#endif
