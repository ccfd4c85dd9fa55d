/*
 * virtio-blk (device id 2) on a raw image file.  Requests come from the
 * guest, so the header is copied out before use, the sector arithmetic is
 * overflow-checked against the capacity, and anything malformed is
 * answered with IOERR or UNSUPP instead of being acted on.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devices/virtio_limits.h"
#include "devices/virtio_mmio.h"
#include "vmm/config.h"
#include "vmm/util.h"

#define VIRTIO_BLK_F_SIZE_MAX	1
#define VIRTIO_BLK_F_SEG_MAX	2
#define VIRTIO_BLK_F_RO		5
#define VIRTIO_BLK_F_BLK_SIZE	6
#define VIRTIO_BLK_F_FLUSH	9

#define VIRTIO_BLK_T_IN		0
#define VIRTIO_BLK_T_OUT	1
#define VIRTIO_BLK_T_FLUSH	4
#define VIRTIO_BLK_T_GET_ID	8

#define VIRTIO_BLK_S_OK		0
#define VIRTIO_BLK_S_IOERR	1
#define VIRTIO_BLK_S_UNSUPP	2

#define VIRTIO_BLK_ID_BYTES	20
#define SECTOR_SIZE		512ULL
#define BLK_QUEUE_MAX		VIRTIO_BLK_QUEUE_MAX

struct virtio_blk_config {
	uint64_t capacity;		/* in 512-byte sectors */
	uint32_t size_max;
	uint32_t seg_max;
	uint16_t cylinders;
	uint8_t heads;
	uint8_t sectors;
	uint32_t blk_size;
};
_Static_assert(offsetof(struct virtio_blk_config, capacity) == 0, "capacity");
_Static_assert(offsetof(struct virtio_blk_config, size_max) == 8, "size_max");
_Static_assert(offsetof(struct virtio_blk_config, seg_max) == 12, "seg_max");
_Static_assert(offsetof(struct virtio_blk_config, cylinders) == 16, "geometry");
_Static_assert(offsetof(struct virtio_blk_config, blk_size) == 20, "blk_size");
_Static_assert(sizeof(struct virtio_blk_config) == 24, "blk config size");

struct virtio_blk_req_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};
_Static_assert(offsetof(struct virtio_blk_req_hdr, type) == 0, "type");
_Static_assert(offsetof(struct virtio_blk_req_hdr, reserved) == 4, "reserved");
_Static_assert(offsetof(struct virtio_blk_req_hdr, sector) == 8, "sector");
_Static_assert(sizeof(struct virtio_blk_req_hdr) == 16, "req hdr size");

struct blk {
	char name[24];
	char id[VIRTIO_BLK_ID_BYTES];
	const char *path;
	bool ro;
	int fd;
	uint64_t capacity;	/* sectors */
};

/*
 * pread/pwrite len bytes of the buffers, skipping the first skip bytes,
 * at file offset off.  A short transfer is an error: the capacity was
 * taken from the file's size, so the file changed under us.
 */
static int blk_io(struct blk *b, const struct vq_buf *bufs, unsigned int n,
		  uint64_t skip, uint64_t len, uint64_t off, bool write)
{
	unsigned int i;

	for (i = 0; i < n && len; i++) {
		uint8_t *p = bufs[i].ptr;
		uint64_t chunk = bufs[i].len;

		if (skip >= chunk) {
			skip -= chunk;
			continue;
		}
		p += skip;
		chunk = MIN(chunk - skip, len);
		skip = 0;
		len -= chunk;
		while (chunk) {
			ssize_t r = write ? pwrite(b->fd, p, chunk, off) :
					    pread(b->fd, p, chunk, off);

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				return -1;
			p += r;
			off += r;
			chunk -= r;
		}
	}
	return len ? -1 : 0;
}

/* Byte offset of a request of len bytes at sector, or -1 if out of range. */
static int blk_range(const struct blk *b, uint64_t sector, uint64_t len,
		     uint64_t *off)
{
	uint64_t end, cap;

	if (len % SECTOR_SIZE || !mul_ok(sector, SECTOR_SIZE, off) ||
	    !add_ok(*off, len, &end) || !mul_ok(b->capacity, SECTOR_SIZE, &cap))
		return -1;
	return end <= cap ? 0 : -1;
}

/* Serve one request; returns the bytes written into the chain. */
static uint32_t blk_request(struct virtio_dev *vd, const struct vq_chain *ch)
{
	struct blk *b = vd->priv;
	struct virtio_blk_req_hdr hdr;
	uint64_t data_len, off, written = 0;
	uint8_t status = VIRTIO_BLK_S_OK;
	uint32_t type;

	/* Without a status byte there is no way to answer at all. */
	if (!ch->in_len)
		return 0;
	if (vq_chain_read(ch, 0, &hdr, sizeof(hdr)) != sizeof(hdr)) {
		status = VIRTIO_BLK_S_IOERR;
		goto out;
	}
	type = le32toh(hdr.type);
	data_len = ch->in_len - 1;	/* writable bytes before the status */
	switch (type) {
	case VIRTIO_BLK_T_IN:
		if (b->fd < 0 || data_len > VIRTIO_BLK_REQ_MAX ||
		    blk_range(b, le64toh(hdr.sector), data_len, &off) < 0 ||
		    blk_io(b, ch->in, ch->n_in, 0, data_len, off, false) < 0) {
			status = VIRTIO_BLK_S_IOERR;
			break;
		}
		written = data_len;
		break;
	case VIRTIO_BLK_T_OUT:
		data_len = ch->out_len - sizeof(hdr);
		if (b->ro || b->fd < 0 || data_len > VIRTIO_BLK_REQ_MAX ||
		    blk_range(b, le64toh(hdr.sector), data_len, &off) < 0 ||
		    blk_io(b, ch->out, ch->n_out, sizeof(hdr), data_len, off,
			   true) < 0)
			status = VIRTIO_BLK_S_IOERR;
		break;
	case VIRTIO_BLK_T_FLUSH:
		if (!virtio_has_feature(vd, VIRTIO_BLK_F_FLUSH))
			status = VIRTIO_BLK_S_UNSUPP;
		else if (b->fd < 0 || fdatasync(b->fd) < 0)
			status = VIRTIO_BLK_S_IOERR;
		break;
	case VIRTIO_BLK_T_GET_ID:
		written = vq_chain_write(ch, 0, b->id,
					 MIN(data_len, sizeof(b->id)));
		break;
	default:
		status = VIRTIO_BLK_S_UNSUPP;
		break;
	}
out:
	vq_chain_write(ch, ch->in_len - 1, &status, 1);
	return written + 1;
}

static void blk_notify(struct virtio_dev *vd, unsigned int q)
{
	virtio_serve_queue(vd, q, blk_request);
}

static void blk_destroy(struct virtio_dev *vd)
{
	struct blk *b = vd->priv;

	if (b->fd >= 0)
		close(b->fd);
	free(b);
}

static const struct virtio_ops blk_ops = {
	.device_id = VIRTIO_ID_BLOCK,
	.num_queues = 1,
	.queue_max = BLK_QUEUE_MAX,
	.features = 1ULL << VIRTIO_BLK_F_SIZE_MAX |
		    1ULL << VIRTIO_BLK_F_SEG_MAX |
		    1ULL << VIRTIO_BLK_F_BLK_SIZE |
		    1ULL << VIRTIO_BLK_F_FLUSH,
	.config_size = sizeof(struct virtio_blk_config),
	.notify = blk_notify,
	.destroy = blk_destroy,
};

static const struct virtio_ops blk_ro_ops = {
	.device_id = VIRTIO_ID_BLOCK,
	.num_queues = 1,
	.queue_max = BLK_QUEUE_MAX,
	.features = 1ULL << VIRTIO_BLK_F_SIZE_MAX |
		    1ULL << VIRTIO_BLK_F_SEG_MAX |
		    1ULL << VIRTIO_BLK_F_BLK_SIZE |
		    1ULL << VIRTIO_BLK_F_FLUSH | 1ULL << VIRTIO_BLK_F_RO,
	.config_size = sizeof(struct virtio_blk_config),
	.notify = blk_notify,
	.destroy = blk_destroy,
};

/*
 * Lock the image as QEMU does, with an open file description lock that
 * every realmvm (and QEMU) honours: a writable disk takes it exclusive,
 * a read-only one shared, so two VMs can share a ,ro image but never
 * write one another's.  OFD locks belong to this open, not the process,
 * and go away with the fd, even if realmvm is killed.
 */
static int blk_lock(struct blk *b)
{
	struct flock fl = {
		.l_type = b->ro ? F_RDLCK : F_WRLCK,
		.l_whence = SEEK_SET,
		.l_start = 0,
		.l_len = 0,
	};

	if (fcntl(b->fd, F_OFD_SETLK, &fl) == 0)
		return 0;
	if (errno == EAGAIN || errno == EACCES)
		return pr_err("disk %s: in use by another VM (it holds a %s lock on the image)",
			      b->path, b->ro ? "write" : "read or write");
	return pr_err("disk %s: cannot lock it: %s", b->path, strerror(errno));
}

static int blk_open(struct blk *b)
{
	struct stat st;
	off_t size;
	int fl;

	/* O_NONBLOCK: a named pipe must be refused, not waited on. */
	b->fd = open(b->path, (b->ro ? O_RDONLY : O_RDWR) | O_NONBLOCK |
		     O_NOCTTY | O_CLOEXEC);
	if (b->fd < 0)
		return pr_err("disk %s: %s", b->path, strerror(errno));
	if (fstat(b->fd, &st) < 0 ||
	    (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)))
		return pr_err("disk %s: not a regular file or block device",
			      b->path);
	/* Guest I/O is ordinary blocking I/O on what is now known a disk. */
	fl = fcntl(b->fd, F_GETFL);
	if (fl < 0 || fcntl(b->fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
		return pr_err("disk %s: %s", b->path, strerror(errno));
	if (blk_lock(b))
		return -1;
	size = lseek(b->fd, 0, SEEK_END);
	if (size < 0)
		return pr_err("disk %s: cannot find its size: %s", b->path,
			      strerror(errno));
	b->capacity = (uint64_t)size / SECTOR_SIZE;
	return 0;
}

int virtio_blk_setup(const struct config *cfg, const struct guest_mem *gm,
		     unsigned int i)
{
	const struct disk_config *d = &cfg->disks[i];
	struct virtio_dev *vd;
	struct blk *b;

	b = calloc(1, sizeof(*b));
	if (!b)
		return pr_err("disk %s: out of memory", d->path);
	b->path = d->path;
	b->ro = d->readonly;
	b->fd = -1;
	snprintf(b->name, sizeof(b->name), "virtio-blk%u", i);
	/* Deterministic: the serial names the slot, not the file. */
	snprintf(b->id, sizeof(b->id), "realmvm-disk%u", i);
	/* A dry run must not need the file; a launch must have it. */
	if (!cfg->dry_run && blk_open(b) < 0) {
		if (b->fd >= 0)
			close(b->fd);
		free(b);
		return -1;
	}
	vd = virtio_mmio_create(b->name, b->ro ? &blk_ro_ops : &blk_ops, cfg,
				gm, b);
	if (!vd) {
		if (b->fd >= 0)
			close(b->fd);
		free(b);
		return -1;
	}
	put_le64(vd->config + offsetof(struct virtio_blk_config, capacity),
		 b->capacity);
	put_le32(vd->config + offsetof(struct virtio_blk_config, size_max),
		 VIRTIO_BLK_SIZE_MAX);
	put_le32(vd->config + offsetof(struct virtio_blk_config, seg_max),
		 VIRTIO_BLK_SEG_MAX);
	put_le32(vd->config + offsetof(struct virtio_blk_config, blk_size),
		 SECTOR_SIZE);
	return 0;
}
