/*
 * Caps on the host work one guest request or one notification can cause.
 * Device models enforce them; docs/hardening.md explains each number.
 * Everything here is guest-controlled input: without a cap a guest could
 * make realmvm (root, holding /dev/kvm) do unbounded work on its behalf.
 */
#ifndef REALMVM_VIRTIO_LIMITS_H
#define REALMVM_VIRTIO_LIMITS_H

/*
 * virtio-blk: the largest data segment the device advertises (size_max,
 * VIRTIO_BLK_F_SIZE_MAX) and the most segments (seg_max).  Linux never
 * builds a request larger than seg_max * size_max, so BLK_REQ_MAX, which
 * is refused with IOERR above it, costs an honest guest nothing.
 */
#define VIRTIO_BLK_QUEUE_MAX	256
#define VIRTIO_BLK_SEG_MAX	(VIRTIO_BLK_QUEUE_MAX - 2)
#define VIRTIO_BLK_SIZE_MAX	(64U << 10)
#define VIRTIO_BLK_REQ_MAX	(16ULL << 20)
_Static_assert((unsigned long long)VIRTIO_BLK_SEG_MAX * VIRTIO_BLK_SIZE_MAX <=
	       VIRTIO_BLK_REQ_MAX, "an honest request must fit the cap");

/*
 * One QueueNotify serves at most the queue's size in chains
 * (virtio_serve_queue()): chains the guest adds while we work wait for
 * the next notification.  With the per-request cap above, one virtio-blk
 * notification moves at most 256 * 16 MiB.
 */
#define VIRTIO_NOTIFY_CHAINS_MAX(queue_num)	(queue_num)

/*
 * virtio-9p (devices/p9_codec.h, p9_server.c, virtio_9p.c): the largest
 * msize the device accepts.  A larger Tversion msize is lowered to it, and
 * a request longer than the negotiated msize is refused (EMSGSIZE) after
 * its size[4] field is read, before the rest is.  Every 9p buffer (the
 * request copy, the reply, the readdir scratch) is this size.  128 KiB is
 * Linux's default msize since 5.19, so a Linux guest negotiates it
 * unchanged; a guest asking for more (Linux's transport allows up to
 * 512000) gets 128 KiB.
 */
#define P9_MSIZE_MAX		(128U * 1024)

#endif
