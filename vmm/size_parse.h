/*
 * Strict parsing of the numbers and sizes a user types on the command
 * line.  strtoul() quietly accepts " -1", "12abc" and wraps on overflow;
 * these refuse all of that so a typo can never become a surprising VM.
 */
#ifndef REALMVM_SIZE_PARSE_H
#define REALMVM_SIZE_PARSE_H

#include <stdint.h>

/*
 * An unsigned number, decimal or 0x-prefixed hex, with no sign, space or
 * trailing characters.  Fails (returns -1, prints nothing) if it exceeds
 * max.
 */
int parse_u64(const char *s, uint64_t max, uint64_t *out);

/*
 * A memory size in bytes: a number as above followed by an optional K, M,
 * G or T suffix (either case, binary units).  A bare number means MiB, as
 * with lkvm -m.  Zero and results above 2^64-1 are refused.
 */
int parse_size(const char *s, uint64_t *out);

#endif
