/*
 * A 9P2000.L file server confined to one host directory, independent of
 * virtio so that unit tests can drive it with raw messages.  Every path is
 * resolved with openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) from the
 * share's root, and every name the guest gives is one checked element, so
 * nothing the guest sends (.., symlinks, renames racing a lookup) reaches
 * outside the directory.  docs/virtio-9p.md has the rules and the caps.
 */
#ifndef REALMVM_P9_SERVER_H
#define REALMVM_P9_SERVER_H

#include <stddef.h>
#include <stdint.h>

/* Caps on what one guest can make us hold. */
#define P9_MAX_FIDS	4096	/* fids at once */
#define P9_MAX_OPEN	256	/* of them open (host fds) */

struct p9_server;

/*
 * Serve dir.  what names the share in errors (e.g. "--9p /srv,tag").
 * Returns NULL after a one-line error: dir missing or not a directory,
 * or a host kernel without openat2 (Linux 5.6).
 */
struct p9_server *p9_server_new(const char *dir, const char *what);
void p9_server_free(struct p9_server *s);

/*
 * Handle one request of len bytes and write the reply into resp (cap
 * bytes).  Returns the reply's length; 0 only if cap cannot hold even an
 * Rlerror (11 bytes).  A reply never exceeds cap or the negotiated msize.
 */
size_t p9_server_handle(struct p9_server *s, const uint8_t *req, size_t len,
			uint8_t *resp, size_t cap);

/* The negotiated msize (P9_MSIZE_MAX before any Tversion). */
uint32_t p9_server_msize(const struct p9_server *s);

#endif
