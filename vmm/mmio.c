/*
 * Guest MMIO dispatch: check every access a vCPU exit reports before any
 * device model sees it.  The guest is untrusted, so a bad length or an
 * address no device owns is logged once and otherwise ignored (reads see
 * zero, as on a bus with nothing behind it); it never stops the VM.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "devices/device.h"
#include "vmm/mmio.h"
#include "vmm/util.h"

static pthread_mutex_t mmio_mutex = PTHREAD_MUTEX_INITIALIZER;
static atomic_bool warned_unmapped;
static atomic_bool warned_len;

void mmio_lock(void)
{
	pthread_mutex_lock(&mmio_mutex);
}

void mmio_unlock(void)
{
	pthread_mutex_unlock(&mmio_mutex);
}

void mmio_reset_warnings(void)
{
	atomic_store(&warned_unmapped, false);
	atomic_store(&warned_len, false);
}

static bool valid_len(unsigned int len)
{
	return len == 1 || len == 2 || len == 4 || len == 8;
}

enum mmio_result mmio_dispatch(uint64_t addr, uint8_t *data,
			       unsigned int len, bool is_write)
{
	struct device *dev;
	uint8_t buf[8];

	if (!valid_len(len)) {
		if (!is_write)
			memset(data, 0, 8);
		if (!atomic_exchange(&warned_len, true))
			pr_err("guest MMIO access of %u bytes at 0x%llx ignored (further ones are not reported)",
			       len, (unsigned long long)addr);
		return MMIO_BAD_LEN;
	}
	/* device_find() checks the whole [addr, addr+len) against a window. */
	dev = device_find(addr, len);
	if (!dev || !dev->mmio) {
		if (!is_write)
			memset(data, 0, len);
		if (!atomic_exchange(&warned_unmapped, true))
			pr_err("guest %s of %u bytes at unmapped address 0x%llx ignored (further ones are not reported)",
			       is_write ? "write" : "read", len,
			       (unsigned long long)addr);
		return MMIO_UNMAPPED;
	}
	/* A private copy: the device only ever sees len valid bytes. */
	memset(buf, 0, sizeof(buf));
	if (is_write)
		memcpy(buf, data, len);
	mmio_lock();
	dev->mmio(dev, addr - dev->base, buf, len, is_write);
	mmio_unlock();
	if (!is_write)
		memcpy(data, buf, len);
	return MMIO_HANDLED;
}
