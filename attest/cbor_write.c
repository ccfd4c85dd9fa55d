/*
 * Deterministic CBOR encoding on libcbor (see cbor_write.h for the rules
 * and the ownership convention).  Builds without libcbor (the static
 * aarch64 build: Debian ships no libcbor.a) get stubs that fail with a
 * message, so only --corim and friends are missing there.
 */
#include <stdlib.h>
#include <string.h>

#include "attest/cbor_write.h"
#include "vmm/util.h"

#ifndef REALMVM_NO_LIBCBOR
#include <cbor.h>

cbw_item *cbw_uint(uint64_t v)
{
	if (v <= UINT8_MAX)
		return cbor_build_uint8((uint8_t)v);
	if (v <= UINT16_MAX)
		return cbor_build_uint16((uint16_t)v);
	if (v <= UINT32_MAX)
		return cbor_build_uint32((uint32_t)v);
	return cbor_build_uint64(v);
}

cbw_item *cbw_int(int64_t v)
{
	uint64_t n;

	if (v >= 0)
		return cbw_uint((uint64_t)v);
	n = (uint64_t)(-(v + 1));	/* major type 1 carries -1 - v */
	if (n <= UINT8_MAX)
		return cbor_build_negint8((uint8_t)n);
	if (n <= UINT16_MAX)
		return cbor_build_negint16((uint16_t)n);
	if (n <= UINT32_MAX)
		return cbor_build_negint32((uint32_t)n);
	return cbor_build_negint64(n);
}

cbw_item *cbw_bytes(const void *p, size_t len)
{
	return cbor_build_bytestring(p, len);
}

cbw_item *cbw_text(const char *s)
{
	return cbor_build_string(s);
}

void cbw_free(cbw_item *item)
{
	if (item)
		cbor_decref(&item);
}

cbw_item *cbw_tag(uint64_t tag, cbw_item *item)
{
	cbw_item *t;

	if (!item)
		return NULL;
	t = cbor_build_tag(tag, item);
	cbw_free(item);		/* the tag holds its own reference */
	return t;
}

cbw_item *cbw_array(size_t n)
{
	return cbor_new_definite_array(n);
}

cbw_item *cbw_map(size_t n)
{
	return cbor_new_definite_map(n);
}

bool cbw_push(cbw_item *array, cbw_item *item)
{
	bool ok = array && item && cbor_array_push(array, item);

	cbw_free(item);
	return ok;
}

bool cbw_put(cbw_item *map, cbw_item *key, cbw_item *value)
{
	bool ok = map && key && value &&
		  cbor_map_add(map, (struct cbor_pair){ .key = key,
							.value = value });

	cbw_free(key);
	cbw_free(value);
	return ok;
}

bool cbw_put_u(cbw_item *map, uint64_t key, cbw_item *value)
{
	return cbw_put(map, cbw_uint(key), value);
}

cbw_item *cbw_wrap(cbw_item *item)
{
	unsigned char *buf = NULL;
	size_t size = 0, len;
	cbw_item *b;

	if (!item)
		return NULL;
	len = cbor_serialize_alloc(item, &buf, &size);
	cbw_free(item);
	if (!len)
		return NULL;
	b = cbor_build_bytestring(buf, len);
	free(buf);
	return b;
}

int cbw_encode(cbw_item *item, uint8_t **out, size_t *len, const char *what)
{
	unsigned char *buf = NULL;
	size_t size = 0;

	*out = NULL;
	*len = 0;
	if (item)
		*len = cbor_serialize_alloc(item, &buf, &size);
	cbw_free(item);
	if (!*len)
		return pr_err("cannot encode the %s (out of memory)", what);
	*out = buf;
	return 0;
}

#else	/* REALMVM_NO_LIBCBOR */

/* Every builder fails, so cbw_encode() is reached with NULL and explains. */
cbw_item *cbw_uint(uint64_t v)
{
	(void)v;
	return NULL;
}

cbw_item *cbw_int(int64_t v)
{
	(void)v;
	return NULL;
}

cbw_item *cbw_bytes(const void *p, size_t len)
{
	(void)p;
	(void)len;
	return NULL;
}

cbw_item *cbw_text(const char *s)
{
	(void)s;
	return NULL;
}

cbw_item *cbw_tag(uint64_t tag, cbw_item *item)
{
	(void)tag;
	(void)item;
	return NULL;
}

cbw_item *cbw_array(size_t n)
{
	(void)n;
	return NULL;
}

cbw_item *cbw_map(size_t n)
{
	(void)n;
	return NULL;
}

bool cbw_push(cbw_item *array, cbw_item *item)
{
	(void)array;
	(void)item;
	return false;
}

bool cbw_put(cbw_item *map, cbw_item *key, cbw_item *value)
{
	(void)map;
	(void)key;
	(void)value;
	return false;
}

bool cbw_put_u(cbw_item *map, uint64_t key, cbw_item *value)
{
	(void)map;
	(void)key;
	(void)value;
	return false;
}

cbw_item *cbw_wrap(cbw_item *item)
{
	(void)item;
	return NULL;
}

void cbw_free(cbw_item *item)
{
	(void)item;
}

int cbw_encode(cbw_item *item, uint8_t **out, size_t *len, const char *what)
{
	(void)item;
	*out = NULL;
	*len = 0;
	return pr_err("cannot write the %s: this build has no libcbor (use a build linked with Debian's libcbor-dev)",
		      what);
}

#endif
