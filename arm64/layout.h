/*
 * The guest physical (IPA) memory map and where each blob is placed.
 * The fixed addresses are documented in docs/memory-map.md; keep the two
 * in step.  A layout is pure arithmetic on sizes, so a dry run on any host
 * places everything exactly where a launch would.
 */
#ifndef REALMVM_LAYOUT_H
#define REALMVM_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

struct config;

/* MMIO below 2 GiB, in the spirit of QEMU's virt machine. */
#define GIC_DIST_BASE		0x08000000ULL
#define GIC_DIST_SIZE		0x00010000ULL
#define GIC_CPU_BASE		0x08010000ULL	/* GICv2 only */
#define GIC_CPU_SIZE		0x00010000ULL
#define GIC_ITS_BASE		0x08080000ULL
#define GIC_ITS_SIZE		0x00020000ULL
#define GIC_REDIST_BASE		0x080a0000ULL
#define GIC_REDIST_SIZE_PER_CPU	0x00020000ULL	/* RD + SGI frames */
#define UART_BASE		0x09000000ULL
#define UART_SIZE		0x00001000ULL
#define VIRTIO_MMIO_BASE	0x0a000000ULL
#define VIRTIO_MMIO_SIZE	0x00000200ULL
#define VIRTIO_MMIO_MAX		32

/* SPI numbers (the DTB says GIC_SPI n, KVM wants n + 32). */
#define UART_SPI		1
#define VIRTIO_MMIO_SPI_BASE	16

/* PPIs of the arch timer, as in the DTB "interrupts" property. */
#define TIMER_PPI_SEC		13
#define TIMER_PPI_NONSEC	14
#define TIMER_PPI_VIRT		11
#define TIMER_PPI_HYP		10
/* PMU overflow interrupt: PPI 7 (INTID 23), as kvmtool and QEMU virt. */
#define PMU_PPI			7
/* KVM's PMU_V3_IRQ takes the INTID: PPIs are INTIDs 16..31. */
#define PMU_PPI_INTID		(16 + PMU_PPI)

#define RAM_BASE		0x80000000ULL
#define RAM_MIN_SIZE		(32ULL << 20)
#define RAM_ALIGN		(2ULL << 20)
#define RAM_MAX_SIZE		(1ULL << 40)

/* The DTB and the log sit below this window's end (like kvmtool)... */
#define BLOB_WINDOW		(256ULL << 20)
/*
 * ...unless the initrd (or the DTB) does not fit there: then below this
 * one's, the 32 GiB from RAM_BASE that booting.rst lets the kernel and the
 * initrd share.
 */
#define INITRD_WINDOW		(32ULL << 30)
#define DTB_MAX_SIZE		(2ULL << 20)	/* booting.rst limit */
#define FDT_GEN_SIZE		(64ULL << 10)	/* slot for a generated DTB */
#define EVENT_LOG_SIZE		(64ULL << 10)
/* Largest firmware image (edk2's QEMU_EFI.fd is 2 MiB, 64 MiB padded). */
#define FIRMWARE_MAX_SIZE	(128ULL << 20)

struct blob_place {
	uint64_t ipa;		/* first byte */
	uint64_t size;		/* bytes of content (file size, or totalsize) */
};

struct layout {
	uint64_t ram_base;
	uint64_t ram_size;
	unsigned int ipa_bits;	/* for realms, includes the unprotected bit */

	struct blob_place kernel;	/* size = bytes loaded */
	uint64_t kernel_image_size;	/* header image_size: includes BSS */
	uint64_t entry;			/* PC of the boot CPU */

	struct blob_place initrd;	/* size 0: none */
	struct blob_place dtb;		/* size = fdt totalsize once built */
	uint64_t dtb_slot;		/* bytes reserved for the DTB */
	struct blob_place log;		/* size 0: no event log */
	struct blob_place firmware;	/* size 0: a kernel boot */
};

/*
 * Decide every address from the sizes of what will be loaded.  kernel_text_
 * offset and kernel_image_size come from the Image header; initrd_size and
 * dtb_size are the (decompressed) sizes; dtb_size 0 means "generated".
 * Fails with a one-line error if something does not fit or would overlap.
 */
int layout_compute(const struct config *cfg, uint64_t kernel_text_offset,
		   uint64_t kernel_file_size, uint64_t kernel_image_size,
		   uint64_t initrd_size, uint64_t dtb_size,
		   struct layout *lay);

/*
 * The same for -f/--firmware, which replaces the kernel: as kvmtool does,
 * the firmware sits at the RAM base and is entered there, and the DTB
 * follows it at the next 2 MiB boundary (there is no initrd).  The event
 * log keeps its place at the end of the blob window.
 */
int layout_compute_firmware(const struct config *cfg, uint64_t fw_size,
			    uint64_t dtb_size, struct layout *lay);

/* Number of IPA bits: max(32, bits of the last RAM byte) (+1 for realms). */
unsigned int layout_ipa_bits(uint64_t ram_base, uint64_t ram_size, bool realm);

#endif
