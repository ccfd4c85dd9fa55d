/*
 * The in-kernel interrupt controller: a vGICv3 (with an ITS when KVM has
 * one) or, on GICv2-only hosts, a vGICv2, at the addresses of
 * arm64/layout.h, and the SPI lines devices raise through it.
 */
#ifndef REALMVM_GIC_H
#define REALMVM_GIC_H

#include <stdbool.h>

struct kvm_vm;

/* Interrupt IDs the vGIC implements: 32 private + 96 SPIs. */
#define GIC_NR_IRQS	128

struct gic {
	unsigned int version;	/* 3 or 2 */
	int fd;			/* the vGIC device */
	int its_fd;		/* -1: no ITS */
};

/*
 * Which vGIC this host's KVM can create: 3, else 2, probed on a scratch VM
 * with KVM_CREATE_DEVICE_TEST.  Call it before boot_prepare() so the DTB
 * describes the GIC the launch will create.  -1 after pr_err (no KVM, or
 * no usable vGIC).
 */
int gic_probe_version(void);

/*
 * Create the vGIC and set its addresses; call before the vCPUs exist
 * (KVM fixes the redistributor count at CTRL_INIT, not here).
 */
int gic_create(struct kvm_vm *vm, unsigned int version, unsigned int nr_cpus,
	       struct gic *gic);

/* KVM_DEV_ARM_VGIC_CTRL_INIT once every vCPU has been created. */
int gic_finalize(struct gic *gic);

void gic_destroy(struct gic *gic);

/*
 * Route device_irq_line() to this VM (KVM_IRQ_LINE on the device's SPI).
 * vm_fd -1 restores the no-op.
 */
void gic_attach_irq_lines(int vm_fd);

#endif
