/*
 * gzip decompression of whole images with a hard output cap, so that a
 * small hostile file can never make realmvm allocate without bound.
 */
#ifndef REALMVM_GUNZIP_H
#define REALMVM_GUNZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True if buf starts with the gzip magic 1f 8b. */
bool is_gzip(const uint8_t *buf, size_t len);

/*
 * Inflate the gzip stream in[0..in_len) (one or more members) into a
 * malloc'ed buffer.  More than max output bytes, a corrupt or truncated
 * stream, or trailing bytes that are not a gzip member are errors naming
 * what and path.
 */
int gunzip_buffer(const uint8_t *in, size_t in_len, size_t max,
		  const char *what, const char *path,
		  uint8_t **out, size_t *out_len);

#endif
