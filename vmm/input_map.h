/*
 * A whole input file mapped read-only, for code that must look at every
 * byte (log verify hashing a kernel or initrd) without copying the file
 * into memory of its own: the page cache is hashed directly.
 */
#ifndef REALMVM_INPUT_MAP_H
#define REALMVM_INPUT_MAP_H

#include <stddef.h>
#include <stdint.h>

/*
 * Open path as open_input_file() does (regular file, at most max bytes,
 * never blocking) and map it.  An empty file gives a non-NULL pointer and
 * *len 0.  A file truncated while mapped ends the process with a
 * one-line error and EXIT_RUNTIME, not a SIGBUS.
 */
int input_map(const char *path, const char *what, uint64_t max,
	      const uint8_t **data, size_t *len);
void input_unmap(const uint8_t *data, size_t len);

#endif
