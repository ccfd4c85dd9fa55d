/*
 * Guest RAM as one host mapping.  Every access that starts from an address
 * a guest or a file gave us goes through gm_ptr(), which refuses ranges
 * that wrap or leave RAM: that is what keeps a hostile guest inside.
 */
#ifndef REALMVM_GUEST_MEM_H
#define REALMVM_GUEST_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct guest_mem {
	uint64_t ipa_base;
	uint64_t size;
	uint8_t *host;		/* mmap'ed, size bytes, page aligned */
};

/* Anonymous, lazily-backed mapping: untouched RAM costs nothing. */
int guest_mem_alloc(struct guest_mem *gm, uint64_t ipa_base, uint64_t size);
void guest_mem_free(struct guest_mem *gm);

/* Host pointer for [ipa, ipa+len) or NULL if any byte is outside RAM. */
static inline void *gm_ptr(const struct guest_mem *gm, uint64_t ipa,
			   uint64_t len)
{
	uint64_t off = ipa - gm->ipa_base;

	if (ipa < gm->ipa_base || off > gm->size || len > gm->size - off)
		return NULL;
	return gm->host + off;
}

static inline bool gm_contains(const struct guest_mem *gm, uint64_t ipa,
			       uint64_t len)
{
	return gm_ptr(gm, ipa, len) != NULL;
}

#endif
