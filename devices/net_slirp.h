/*
 * User-mode networking for virtio-net (--network mode=user) through
 * libslirp, the TCP/IP stack QEMU uses for `-nic user`: no root, no tap.
 * The backend looks like a tap to virtio_net.c: a non-blocking datagram
 * socket carrying one frame per datagram behind the same 12-byte
 * virtio_net_hdr, so the device model has one code path for both.
 */
#ifndef REALMVM_NET_SLIRP_H
#define REALMVM_NET_SLIRP_H

#include <stdbool.h>

struct net_slirp;

/* Addresses, as QEMU's defaults. */
#define SLIRP_NET	"10.0.2.0"
#define SLIRP_MASK	"255.255.255.0"
#define SLIRP_HOST	"10.0.2.2"	/* gateway; the host's loopback */
#define SLIRP_DHCP	"10.0.2.15"	/* the guest's address */
#define SLIRP_DNS	"10.0.2.3"

/* Was this realmvm built with libslirp? */
bool net_slirp_available(void);

/*
 * Start a slirp stack on its own thread.  Returns the device side of the
 * socket (non-blocking, close-on-exec), with *out set for
 * net_slirp_close(); or -1 after a one-line error naming what.
 */
int net_slirp_open(const char *what, struct net_slirp **out);
/* Stop the thread and free everything (the returned fd stays open). */
void net_slirp_close(struct net_slirp *ns);

#endif
