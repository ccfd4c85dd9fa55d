/*
 * File bytes into guest memory without an intermediate buffer.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vmm/file_to_guest.h"
#include "vmm/guest_mem.h"
#include "vmm/util.h"

int file_read_to_guest(int fd, const char *what, const char *path,
		       uint64_t len, struct guest_mem *gm, uint64_t ipa)
{
	uint8_t *dst = gm_ptr(gm, ipa, len);

	if (!dst)
		return pr_err("%s (%llu bytes) does not fit in RAM at 0x%llx",
			      what, (unsigned long long)len,
			      (unsigned long long)ipa);
	return pread_full(fd, dst, len, 0, what, path);
}

static const char sigbus_msg[] =
	"realmvm: a kernel or initrd file was truncated while it was being read\n";

static void file_sigbus(int sig)
{
	(void)sig;
	/* Nothing has been written yet: outputs come after the measurement. */
	if (write(STDERR_FILENO, sigbus_msg, sizeof(sigbus_msg) - 1) < 0)
		_exit(EXIT_RUNTIME);
	_exit(EXIT_RUNTIME);
}

int file_map_to_guest(int fd, const char *what, const char *path,
		      uint64_t len, struct guest_mem *gm, uint64_t ipa)
{
	long page = sysconf(_SC_PAGESIZE);
	uint8_t *dst = gm_ptr(gm, ipa, len);
	struct sigaction sa;
	uint64_t maplen;

	if (!dst || !len || page <= 0 || !IS_ALIGNED((uintptr_t)dst, page))
		return file_read_to_guest(fd, what, path, len, gm, ipa);
	maplen = ALIGN_UP(len, (uint64_t)page);
	if (!gm_ptr(gm, ipa, maplen))
		return file_read_to_guest(fd, what, path, len, gm, ipa);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = file_sigbus;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, NULL) < 0)
		return file_read_to_guest(fd, what, path, len, gm, ipa);
	/*
	 * Bytes past the end of the file in its last page read as zero, as
	 * they would after a read.  Read-only: a writable private mapping
	 * would be populated by copying every page.
	 */
	if (mmap(dst, maplen, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE,
		 fd, 0) != MAP_FAILED)
		return 0;
	/*
	 * A file that cannot be mapped (sysfs, e.g. /sys/firmware/fdt in a
	 * realm) may fail only after MAP_FIXED has unmapped the guest RAM
	 * below it: put anonymous RAM back before reading into it.
	 */
	if (mmap(dst, maplen, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
		 -1, 0) == MAP_FAILED)
		return pr_err("%s %s: cannot map guest RAM back: %s", what,
			      path, strerror(errno));
	return file_read_to_guest(fd, what, path, len, gm, ipa);
}
