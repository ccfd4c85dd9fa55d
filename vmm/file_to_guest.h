/*
 * Putting a file's bytes at an IPA in guest memory: read straight into
 * place for a launch, or mapped from the page cache for a dry run.  Both
 * the kernel and the initrd loaders use these, so large payloads are never
 * staged in a buffer and copied.
 */
#ifndef REALMVM_FILE_TO_GUEST_H
#define REALMVM_FILE_TO_GUEST_H

#include <stdint.h>

struct guest_mem;

/*
 * pread() len bytes from offset 0 of fd into guest memory at ipa.  what
 * and path name the file in errors ("kernel", "initrd").
 */
int file_read_to_guest(int fd, const char *what, const char *path,
		       uint64_t len, struct guest_mem *gm, uint64_t ipa);

/*
 * Map the file read-only over [ipa, ipa+len) instead, so that hashing it
 * reads the page cache with no copy and no zeroing.  Only for dry runs: a
 * guest must not see later changes to the file, and the range becomes
 * read-only.  Falls back to file_read_to_guest() where it cannot map
 * (unaligned IPA, e.g. with 64 KiB host pages).  A file truncated while
 * mapped ends the process with a one-line error, not a signal.
 */
int file_map_to_guest(int fd, const char *what, const char *path,
		      uint64_t len, struct guest_mem *gm, uint64_t ipa);

#endif
