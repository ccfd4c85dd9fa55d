/*
 * gzip decompression with a hard output cap, streamed: from a file or a
 * buffer, either only counted or inflated straight into its destination
 * (guest RAM), so that a small hostile file can never make realmvm
 * allocate memory of its own for the output.
 */
#ifndef REALMVM_GUNZIP_H
#define REALMVM_GUNZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True if buf starts with the gzip magic 1f 8b. */
bool is_gzip(const uint8_t *buf, size_t len);

/*
 * The input: a file (fd >= 0, size bytes from offset 0) or a buffer
 * (fd < 0).  One or more gzip members; anything else after a member, a
 * corrupt or truncated stream are errors naming what and path.
 */
struct gz_source {
	int fd;
	uint64_t size;
	const uint8_t *buf;
	const char *what;
	const char *path;
};

/*
 * Inflate only as far as it takes to fill head[0..head_len) (fewer bytes
 * when the stream is shorter); *got says how many.  For reading a
 * compressed Image's header before anything else.
 */
int gunzip_head(const struct gz_source *src, uint8_t *head, size_t head_len,
		size_t *got);

/*
 * Count the bytes the stream inflates to, refusing it as soon as it goes
 * past max.  Memory: two 64 KiB buffers, whatever the stream claims.
 */
int gunzip_count(const struct gz_source *src, uint64_t max, uint64_t *len);

/*
 * Inflate into dst, which holds exactly len bytes (what gunzip_count()
 * found); a stream that now inflates to more or less is an error.
 */
int gunzip_to(const struct gz_source *src, uint8_t *dst, uint64_t len);

/*
 * Inflate the buffer in[0..in_len) into a malloc'ed buffer of exactly
 * the output size, allocated only once the output is known to be at most
 * max bytes.
 */
int gunzip_buffer(const uint8_t *in, size_t in_len, size_t max,
		  const char *what, const char *path,
		  uint8_t **out, size_t *out_len);

#endif
