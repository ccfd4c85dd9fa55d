/*
 * CBOR encoding for realmvm's outputs (CoRIM, COSE_Sign1), on libcbor.
 * The helpers enforce the core deterministic rules (RFC 8949 section
 * 4.2.1) that libcbor leaves to the caller: integers in their shortest
 * form, definite lengths only.  Map keys are added by the caller in
 * ascending order, which for the small integer keys used here is the
 * bytewise order of their encodings.  Reading stays in attest/cbor.c.
 *
 * Ownership: every helper consumes the items passed to it, so a tree is
 * built with nested calls and freed once; a NULL argument (a failed
 * allocation further down) makes the helper return NULL/false after
 * freeing the rest.
 */
#ifndef REALMVM_ATTEST_CBOR_WRITE_H
#define REALMVM_ATTEST_CBOR_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cbor_item_t cbw_item;

cbw_item *cbw_uint(uint64_t v);
cbw_item *cbw_int(int64_t v);
cbw_item *cbw_bytes(const void *p, size_t len);
cbw_item *cbw_text(const char *s);
cbw_item *cbw_tag(uint64_t tag, cbw_item *item);
cbw_item *cbw_array(size_t n);
cbw_item *cbw_map(size_t n);
/* Append to an array / add a pair to a map; false frees everything given. */
bool cbw_push(cbw_item *array, cbw_item *item);
bool cbw_put(cbw_item *map, cbw_item *key, cbw_item *value);
/* A map entry with an unsigned key, the common case. */
bool cbw_put_u(cbw_item *map, uint64_t key, cbw_item *value);
/* Encoded bytes of item wrapped in a byte string (bstr .cbor). */
cbw_item *cbw_wrap(cbw_item *item);
void cbw_free(cbw_item *item);
/*
 * Encode item (consumed) into a malloc'd buffer.  Returns 0, or -1 after
 * printing an error naming what.
 */
int cbw_encode(cbw_item *item, uint8_t **out, size_t *len, const char *what);

#endif
