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
 * 9p (virtio-9p, being written): the largest msize the device accepts in
 * Tversion; a larger request is answered with this msize, and a message
 * whose size[4] field exceeds the negotiated msize is refused without
 * being read.  512000 is what Linux's 9p virtio transport itself uses at
 * most (PAGE_SIZE * (VIRTQUEUE_NUM - 3) with 4 KiB pages).
 */
#define P9_MSIZE_MAX		512000U

#endif
