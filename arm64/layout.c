/*
 * Placement of the kernel, initrd, DTB and event log in guest RAM.  The
 * rules follow kvmtool's arm layout so that a realm launched by either VMM
 * sees the same addresses (and so the same RIM): see docs/memory-map.md.
 */
#include <string.h>

#include "arm64/layout.h"
#include "vmm/config.h"
#include "vmm/util.h"

unsigned int layout_ipa_bits(uint64_t ram_base, uint64_t ram_size, bool realm)
{
	uint64_t last = ram_base + ram_size - 1;
	unsigned int bits = last ? 64 - __builtin_clzll(last) : 1;

	if (bits < 32)
		bits = 32;
	return bits + (realm ? 1 : 0);
}

static int check_ram(uint64_t size)
{
	if (size < RAM_MIN_SIZE)
		return pr_err("RAM size %llu MiB is too small (at least %llu MiB)",
			      (unsigned long long)(size >> 20),
			      (unsigned long long)(RAM_MIN_SIZE >> 20));
	if (size > RAM_MAX_SIZE)
		return pr_err("RAM size %llu bytes is too large (at most %llu GiB)",
			      (unsigned long long)size,
			      (unsigned long long)(RAM_MAX_SIZE >> 30));
	if (!IS_ALIGNED(size, RAM_ALIGN))
		return pr_err("RAM size %llu bytes is not a multiple of 2 MiB",
			      (unsigned long long)size);
	return 0;
}

/* What a kernel and a firmware boot share: RAM, checked, and no blobs. */
static int layout_start(const struct config *cfg, struct layout *lay)
{
	memset(lay, 0, sizeof(*lay));
	if (check_ram(cfg->ram_size))
		return -1;
	lay->ram_base = RAM_BASE;
	lay->ram_size = cfg->ram_size;
	lay->ipa_bits = layout_ipa_bits(RAM_BASE, cfg->ram_size, cfg->realm);
	return 0;
}

static int check_dtb_size(uint64_t dtb_size)
{
	if (dtb_size > DTB_MAX_SIZE)
		return pr_err("DTB is too large (%llu bytes, at most %llu)",
			      (unsigned long long)dtb_size,
			      (unsigned long long)DTB_MAX_SIZE);
	return 0;
}

/*
 * The event log, the DTB and the initrd, downwards from window_end.
 * Returns 0, or -1 (with the error printed only if report is set) when
 * they do not fit above the kernel.
 */
static int place_blobs(const struct config *cfg, struct layout *lay,
		       uint64_t window_end, uint64_t kernel_end,
		       uint64_t initrd_size, uint64_t dtb_size, bool report)
{
	uint64_t below = window_end, slot, room;

	memset(&lay->initrd, 0, sizeof(lay->initrd));
	memset(&lay->log, 0, sizeof(lay->log));
	if (cfg->realm && cfg->measurement_log) {
		lay->log.ipa = window_end - EVENT_LOG_SIZE;
		lay->log.size = EVENT_LOG_SIZE;
		below = lay->log.ipa;
	}

	slot = dtb_size ? ALIGN_UP(dtb_size, SZ_4K) : FDT_GEN_SIZE;
	lay->dtb_slot = slot;
	lay->dtb.ipa = ALIGN_DOWN(below - slot, SZ_2M);
	lay->dtb.size = dtb_size;
	if (lay->dtb.ipa < kernel_end) {
		if (!report)
			return -1;
		return pr_err("kernel image_size %llu leaves no room for the DTB at 0x%llx (RAM %llu MiB)",
			      (unsigned long long)lay->kernel_image_size,
			      (unsigned long long)lay->dtb.ipa,
			      (unsigned long long)(cfg->ram_size >> 20));
	}

	if (initrd_size) {
		room = lay->dtb.ipa - kernel_end;
		if (initrd_size > room ||
		    ALIGN_DOWN(lay->dtb.ipa - initrd_size, SZ_4K) < kernel_end) {
			if (!report)
				return -1;
			return pr_err("initrd (%llu bytes) does not fit between the kernel (ends at 0x%llx) and the DTB (0x%llx)",
				      (unsigned long long)initrd_size,
				      (unsigned long long)kernel_end,
				      (unsigned long long)lay->dtb.ipa);
		}
		lay->initrd.ipa = ALIGN_DOWN(lay->dtb.ipa - initrd_size,
					     SZ_4K);
		lay->initrd.size = initrd_size;
	}
	return 0;
}

int layout_compute(const struct config *cfg, uint64_t kernel_text_offset,
		   uint64_t kernel_file_size, uint64_t kernel_image_size,
		   uint64_t initrd_size, uint64_t dtb_size,
		   struct layout *lay)
{
	uint64_t ram_end, window_end, large_end, kernel_end;

	if (layout_start(cfg, lay))
		return -1;
	ram_end = RAM_BASE + cfg->ram_size;

	/* image_size covers BSS; a file can never be larger than it. */
	kernel_image_size = MAX(kernel_image_size, kernel_file_size);
	if (!kernel_file_size)
		return pr_err("kernel image is empty");
	if (kernel_text_offset >= cfg->ram_size ||
	    kernel_image_size > cfg->ram_size - kernel_text_offset)
		return pr_err("kernel image_size %llu at offset 0x%llx exceeds RAM (%llu MiB)",
			      (unsigned long long)kernel_image_size,
			      (unsigned long long)kernel_text_offset,
			      (unsigned long long)(cfg->ram_size >> 20));
	lay->kernel.ipa = RAM_BASE + kernel_text_offset;
	lay->kernel.size = kernel_file_size;
	lay->kernel_image_size = kernel_image_size;
	lay->entry = lay->kernel.ipa;
	kernel_end = lay->kernel.ipa + kernel_image_size;

	if (check_dtb_size(dtb_size))
		return -1;

	/*
	 * kvmtool's window first, so that every layout it accepts keeps its
	 * addresses (and a realm its RIM); only what does not fit there
	 * moves up to the initrd window's end.
	 */
	window_end = MIN(ram_end, RAM_BASE + BLOB_WINDOW);
	if (place_blobs(cfg, lay, window_end, kernel_end, initrd_size,
			dtb_size, false) == 0)
		return 0;
	/* Also the one that reports the error, when nothing fits. */
	large_end = MIN(ram_end, RAM_BASE + INITRD_WINDOW);
	return place_blobs(cfg, lay, large_end, kernel_end, initrd_size,
			   dtb_size, true);
}

int layout_compute_firmware(const struct config *cfg, uint64_t fw_size,
			    uint64_t dtb_size, struct layout *lay)
{
	uint64_t ram_end, window_end, limit, slot;

	if (layout_start(cfg, lay))
		return -1;
	ram_end = RAM_BASE + cfg->ram_size;

	if (!fw_size)
		return pr_err("firmware image is empty");
	if (fw_size > FIRMWARE_MAX_SIZE || fw_size > cfg->ram_size)
		return pr_err("firmware image (%llu bytes) is too large (at most %llu MiB, and less than RAM)",
			      (unsigned long long)fw_size,
			      (unsigned long long)(FIRMWARE_MAX_SIZE >> 20));
	lay->firmware.ipa = RAM_BASE;
	lay->firmware.size = fw_size;
	lay->entry = RAM_BASE;

	/* The log stays where a kernel boot has it, so tools find it alike. */
	window_end = MIN(ram_end, RAM_BASE + BLOB_WINDOW);
	limit = ram_end;
	if (cfg->realm && cfg->measurement_log) {
		lay->log.ipa = window_end - EVENT_LOG_SIZE;
		lay->log.size = EVENT_LOG_SIZE;
		if (RAM_BASE + fw_size > lay->log.ipa)
			return pr_err("firmware (%llu bytes) overlaps the event log at 0x%llx (give more -m, or --no-measurement-log)",
				      (unsigned long long)fw_size,
				      (unsigned long long)lay->log.ipa);
	}

	if (check_dtb_size(dtb_size))
		return -1;
	slot = dtb_size ? ALIGN_UP(dtb_size, SZ_4K) : FDT_GEN_SIZE;
	lay->dtb_slot = slot;
	lay->dtb.ipa = ALIGN_UP(RAM_BASE + fw_size, SZ_2M);
	lay->dtb.size = dtb_size;
	if (lay->log.size && lay->dtb.ipa < lay->log.ipa + lay->log.size)
		limit = lay->log.ipa;
	if (lay->dtb.ipa > limit || slot > limit - lay->dtb.ipa)
		return pr_err("firmware (%llu bytes) leaves no room for the DTB at 0x%llx (RAM %llu MiB; give more -m)",
			      (unsigned long long)fw_size,
			      (unsigned long long)lay->dtb.ipa,
			      (unsigned long long)(cfg->ram_size >> 20));
	return 0;
}
