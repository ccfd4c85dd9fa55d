/*
 * Guest RAM as one anonymous host mapping.  MAP_NORESERVE keeps a large
 * guest from failing on hosts with strict overcommit: pages that the
 * guest never touches are never backed.  The mapping is 2 MiB aligned and
 * asks for transparent huge pages, because loading a large initrd into
 * 4 KiB pages costs more in page faults than hashing it does, and KVM
 * maps huge pages with block mappings too.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "vmm/guest_mem.h"
#include "vmm/util.h"

int guest_mem_alloc(struct guest_mem *gm, uint64_t ipa_base, uint64_t size)
{
	uint8_t *p, *aligned;
	size_t head, tail;

	memset(gm, 0, sizeof(*gm));
	if (!size || size > SIZE_MAX - SZ_2M)
		return pr_err("guest RAM size %llu is not usable",
			      (unsigned long long)size);
	p = mmap(NULL, size + SZ_2M, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return pr_err("cannot map %llu bytes of guest RAM: %s",
			      (unsigned long long)size, strerror(errno));
	aligned = (uint8_t *)ALIGN_UP((uintptr_t)p, SZ_2M);
	head = aligned - p;
	tail = SZ_2M - head;
	if (head)
		munmap(p, head);
	if (tail)
		munmap(aligned + size, tail);
	p = aligned;
	/* Only a hint: without THP the mapping works the same, just slower. */
	madvise(p, size, MADV_HUGEPAGE);
	gm->ipa_base = ipa_base;
	gm->size = size;
	gm->host = p;
	return 0;
}

void guest_mem_free(struct guest_mem *gm)
{
	if (gm->host)
		munmap(gm->host, gm->size);
	memset(gm, 0, sizeof(*gm));
}
