/*
 * virtio-9p (device id 9): a shared host directory (--9p DIR,TAG) that
 * the guest mounts with `mount -t 9p -o trans=virtio TAG /mnt`.  This file
 * is only the virtio side: each chain carries one request in its readable
 * buffers and gets the reply in its writable ones.  The request is copied
 * out of guest memory before it is parsed, so the guest cannot change it
 * under the parser; p9_codec.c parses it and p9_server.c serves it,
 * confined to DIR.  Requests are served synchronously on the vCPU thread,
 * like block I/O.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/p9_codec.h"
#include "devices/p9_server.h"
#include "devices/virtio_mmio.h"
#include "vmm/config.h"
#include "vmm/util.h"

#define VIRTIO_ID_9P		9
#define VIRTIO_9P_MOUNT_TAG	0	/* feature: the tag in config */
#define P9_QUEUE_MAX		128

/* Config space: tag_len[2] then the tag, not NUL-terminated. */
#define P9_CONFIG_SIZE		(2 + P9_TAG_MAX)

struct p9_dev {
	char name[24];
	char what[48];		/* "--9p TAG" for errors */
	struct p9_server *srv;	/* NULL in a dry run */
	uint8_t *req;		/* P9_MSIZE_MAX bytes each */
	uint8_t *resp;
};

static uint32_t p9_request(struct virtio_dev *vd, const struct vq_chain *ch)
{
	struct p9_dev *d = vd->priv;
	uint32_t msize, size;
	size_t len, cap, n;
	uint16_t tag;
	uint8_t type;

	if (!d->srv)
		return 0;
	msize = p9_server_msize(d->srv);
	cap = (size_t)MIN(ch->in_len, (uint64_t)msize);
	/* Not even room for an error: give the chain back empty. */
	if (cap < P9_HDR_SIZE + 4)
		return 0;
	if (ch->out_len > msize) {
		/* Only the header is needed, for the tag of the error. */
		len = vq_chain_read(ch, 0, d->req, P9_HDR_SIZE);
		tag = P9_NOTAG;
		p9_peek_header(d->req, len, &size, &type, &tag);
		n = p9_encode_error(d->resp, cap, tag, EMSGSIZE);
	} else {
		len = vq_chain_read(ch, 0, d->req, (size_t)ch->out_len);
		n = p9_server_handle(d->srv, d->req, len, d->resp, cap);
	}
	return (uint32_t)vq_chain_write(ch, 0, d->resp, n);
}

static void p9_notify(struct virtio_dev *vd, unsigned int q)
{
	virtio_serve_queue(vd, q, p9_request);
}

static void p9_dev_free(struct p9_dev *d)
{
	p9_server_free(d->srv);
	free(d->req);
	free(d->resp);
	free(d);
}

static void p9_destroy(struct virtio_dev *vd)
{
	p9_dev_free(vd->priv);
}

static const struct virtio_ops p9_ops = {
	.device_id = VIRTIO_ID_9P,
	.num_queues = 1,
	.queue_max = P9_QUEUE_MAX,
	.features = 1ULL << VIRTIO_9P_MOUNT_TAG,
	.config_size = P9_CONFIG_SIZE,
	.notify = p9_notify,
	.destroy = p9_destroy,
};

int virtio_9p_setup(const struct config *cfg, const struct guest_mem *gm,
		    unsigned int i)
{
	const struct p9_config *sh = &cfg->p9[i];
	size_t tag_len = strlen(sh->tag);
	struct virtio_dev *vd;
	struct p9_dev *d;

	if (!tag_len || tag_len > P9_TAG_MAX)
		return pr_err("--9p tag '%s' must be 1 to %u bytes", sh->tag,
			      P9_TAG_MAX);
	d = calloc(1, sizeof(*d));
	if (!d)
		return pr_err("--9p %s: out of memory", sh->tag);
	snprintf(d->name, sizeof(d->name), "virtio-9p%u", i);
	snprintf(d->what, sizeof(d->what), "--9p %s", sh->tag);
	/* Like a disk: a dry run does not need the directory. */
	if (!cfg->dry_run) {
		d->req = malloc(P9_MSIZE_MAX);
		d->resp = malloc(P9_MSIZE_MAX);
		if (!d->req || !d->resp) {
			p9_dev_free(d);
			return pr_err("%s: out of memory", d->what);
		}
		d->srv = p9_server_new(sh->dir, d->what);
		if (!d->srv) {
			p9_dev_free(d);
			return -1;
		}
	}
	vd = virtio_mmio_create(d->name, &p9_ops, cfg, gm, d);
	if (!vd) {
		p9_dev_free(d);
		return -1;
	}
	put_le16(vd->config, (uint16_t)tag_len);
	memcpy(vd->config + 2, sh->tag, tag_len);
	return 0;
}
