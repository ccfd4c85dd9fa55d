/*
 * Dispatch of guest MMIO accesses to the device registry.  Kept apart
 * from the KVM run loop so that the validation a hostile guest meets can
 * be unit tested on any host.
 */
#ifndef REALMVM_MMIO_H
#define REALMVM_MMIO_H

#include <stdbool.h>
#include <stdint.h>

enum mmio_result {
	MMIO_HANDLED = 0,	/* a device took the access */
	MMIO_UNMAPPED,		/* no device: reads zero, writes dropped */
	MMIO_BAD_LEN,		/* len not 1, 2, 4 or 8: read as zero */
};

/*
 * Hand one access to the device whose window holds all of
 * [addr, addr+len).  data holds at least 8 bytes; on a read the first
 * len bytes are always written (zero unless a device supplied them).
 * The first unmapped or malformed access is logged once per
 * mmio_reset_warnings(); the guest keeps running either way.
 */
enum mmio_result mmio_dispatch(uint64_t addr, uint8_t *data,
			       unsigned int len, bool is_write);

/* Forget which warnings were printed (a new VM, or a test). */
void mmio_reset_warnings(void);

/*
 * Device models are not reentrant: vCPU threads and the console input
 * path take this lock around every call into a device.
 */
void mmio_lock(void);
void mmio_unlock(void);

#endif
