/*
 * 9P2000.L wire format: decoding the T-messages a guest sends and encoding
 * our R-messages.  Pure byte work with no file system access, so that it
 * can be fuzzed and unit-tested on its own.  Every field of a request is
 * read through a bounds-checked reader; strings stay pointers into the
 * request buffer (never NUL-terminated there), with their lengths.
 */
#ifndef REALMVM_P9_CODEC_H
#define REALMVM_P9_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/virtio_limits.h"

/* Message types (T = request, R = T + 1). */
enum p9_type {
	P9_RLERROR = 7,
	P9_TSTATFS = 8,
	P9_TLOPEN = 12,
	P9_TLCREATE = 14,
	P9_TSYMLINK = 16,
	P9_TMKNOD = 18,
	P9_TRENAME = 20,
	P9_TREADLINK = 22,
	P9_TGETATTR = 24,
	P9_TSETATTR = 26,
	P9_TXATTRWALK = 30,
	P9_TXATTRCREATE = 32,
	P9_TREADDIR = 40,
	P9_TFSYNC = 50,
	P9_TLOCK = 52,
	P9_TGETLOCK = 54,
	P9_TLINK = 70,
	P9_TMKDIR = 72,
	P9_TRENAMEAT = 74,
	P9_TUNLINKAT = 76,
	P9_TVERSION = 100,
	P9_TAUTH = 102,
	P9_TATTACH = 104,
	P9_TFLUSH = 108,
	P9_TWALK = 110,
	P9_TREAD = 116,
	P9_TWRITE = 118,
	P9_TCLUNK = 120,
	P9_TREMOVE = 122,
};

#define P9_HDR_SIZE	7		/* size[4] type[1] tag[2] */
#define P9_NOTAG	0xffff
#define P9_NOFID	0xffffffffU
#define P9_MAXWELEM	16		/* walk elements per message */
#define P9_QID_SIZE	13

/*
 * Size caps.  P9_MSIZE_MAX (devices/virtio_limits.h, with the other caps
 * on guest-driven work) bounds every message in either direction.
 */
#define P9_MSIZE_MIN	4096U		/* smaller is refused */
#define P9_IOHDR_SIZE	(P9_HDR_SIZE + 4)	/* Rread: count[4] */
#define P9_NAME_MAX	255		/* one path element */
#define P9_PATH_MAX	4095		/* symlink target, fid path */

/* qid.type bits */
#define P9_QTDIR	0x80
#define P9_QTSYMLINK	0x02
#define P9_QTFILE	0x00

/* Tsetattr valid bits */
#define P9_SETATTR_MODE		0x001
#define P9_SETATTR_UID		0x002
#define P9_SETATTR_GID		0x004
#define P9_SETATTR_SIZE		0x008
#define P9_SETATTR_ATIME	0x010
#define P9_SETATTR_MTIME	0x020
#define P9_SETATTR_CTIME	0x040
#define P9_SETATTR_ATIME_SET	0x080
#define P9_SETATTR_MTIME_SET	0x100

/* Rgetattr valid: the basic fields (mode .. blocks). */
#define P9_GETATTR_BASIC	0x7ffULL

/* Tlopen/Tlcreate flags: Linux's generic open flags, as 9P2000.L fixes them. */
#define P9_DOTL_ACCMODE		00000003
#define P9_DOTL_CREATE		00000100
#define P9_DOTL_EXCL		00000200
#define P9_DOTL_TRUNC		00001000
#define P9_DOTL_APPEND		00002000
#define P9_DOTL_DSYNC		00010000
#define P9_DOTL_DIRECTORY	00200000
#define P9_DOTL_SYNC		04000000

#define P9_DOTL_AT_REMOVEDIR	0x200

struct p9_str {
	const char *s;		/* not NUL-terminated */
	uint16_t len;
};

struct p9_qid {
	uint8_t type;
	uint32_t version;
	uint64_t path;
};

/* A decoded T-message.  Only the fields of its type are set. */
struct p9_req {
	uint8_t type;
	uint16_t tag;
	uint32_t fid;		/* the first fid of most messages */
	union {
		struct { uint32_t msize; struct p9_str version; } version;
		struct {
			uint32_t afid;
			struct p9_str uname, aname;
			uint32_t n_uname;
		} attach;		/* Tattach, Tauth (fid = afid) */
		struct { uint16_t oldtag; } flush;
		struct {
			uint32_t newfid;
			uint16_t nwname;
			struct p9_str wname[P9_MAXWELEM];
		} walk;
		struct {
			uint64_t offset;
			uint32_t count;
			const uint8_t *data;	/* Twrite: count bytes */
		} io;			/* Tread, Twrite, Treaddir */
		struct { uint32_t flags; } lopen;
		struct {
			struct p9_str name;
			uint32_t flags, mode, gid;
		} lcreate;
		struct {
			struct p9_str name, target;
			uint32_t gid;
		} symlink;
		struct {
			struct p9_str name;
			uint32_t mode, major, minor, gid;
		} mknod;
		struct { uint32_t dfid; struct p9_str name; } rename;
		struct { uint64_t mask; } getattr;
		struct {
			uint32_t valid, mode, uid, gid;
			uint64_t size;
			uint64_t atime_sec, atime_nsec, mtime_sec, mtime_nsec;
		} setattr;
		struct { uint32_t newfid; struct p9_str name; } xattrwalk;
		struct {
			struct p9_str name;
			uint64_t size;
			uint32_t flags;
		} xattrcreate;
		struct { uint32_t datasync; } fsync;
		struct {
			uint8_t type;
			uint32_t flags;		/* Tlock only */
			uint64_t start, length;
			uint32_t proc_id;
			struct p9_str client_id;
		} lock;			/* Tlock, Tgetlock */
		struct { uint32_t fid; struct p9_str name; } link;
		struct {
			struct p9_str name;
			uint32_t mode, gid;
		} mkdir;
		struct {
			struct p9_str oldname;
			uint32_t newdirfid;
			struct p9_str newname;
		} renameat;
		struct { struct p9_str name; uint32_t flags; } unlinkat;
	};
};

/*
 * Read the 7-byte header of a message of len bytes.  Returns 0 with size,
 * type and tag set, or -1 if len is shorter than a header.
 */
int p9_peek_header(const uint8_t *msg, size_t len, uint32_t *size,
		   uint8_t *type, uint16_t *tag);

/*
 * Decode one T-message of exactly len bytes (its size field must say
 * len, and no field may run past it or leave bytes over).  Returns 0, or
 * a positive errno for the Rlerror: EPROTO for a malformed message,
 * EOPNOTSUPP for a type this server does not know, EINVAL for a string
 * with a NUL in it or more than P9_MAXWELEM walk elements.  req->tag is
 * set whenever the header could be read.
 */
int p9_decode(const uint8_t *msg, size_t len, struct p9_req *req);

/* Is s usable as one path element: 1..P9_NAME_MAX bytes, no '/', not "." or ".."? */
bool p9_name_ok(const struct p9_str *s);

/* A writer for R-messages into a fixed buffer; err sticks on overflow. */
struct p9_writer {
	uint8_t *buf;
	size_t cap;
	size_t off;
	bool err;
};

/* Start an R-message (type, tag); p9_finish() fills in its size. */
void p9_begin(struct p9_writer *w, uint8_t *buf, size_t cap, uint8_t type,
	      uint16_t tag);
void p9_put_u8(struct p9_writer *w, uint8_t v);
void p9_put_u16(struct p9_writer *w, uint16_t v);
void p9_put_u32(struct p9_writer *w, uint32_t v);
void p9_put_u64(struct p9_writer *w, uint64_t v);
void p9_put_bytes(struct p9_writer *w, const void *p, size_t len);
void p9_put_str(struct p9_writer *w, const char *s, size_t len);
void p9_put_qid(struct p9_writer *w, const struct p9_qid *q);
/* Reserve len bytes to fill later (e.g. a count); NULL on overflow. */
uint8_t *p9_reserve(struct p9_writer *w, size_t len);
/* Returns the message length, or 0 if it did not fit. */
size_t p9_finish(struct p9_writer *w);

/*
 * An Rlerror for tag with errno ecode into buf (cap bytes, at least 11).
 * Returns its length.
 */
size_t p9_encode_error(uint8_t *buf, size_t cap, uint16_t tag,
		       uint32_t ecode);

#endif
