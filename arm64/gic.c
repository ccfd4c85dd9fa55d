/*
 * vGIC set-up through the KVM device API.  Everything sits at the fixed
 * addresses of arm64/layout.h, which the DTB generator also uses, so the
 * guest finds the distributor and redistributors where KVM emulates them.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "arm64/gic.h"
#include "arm64/kvm_vm.h"
#include "arm64/layout.h"
#include "devices/device.h"
#include "vmm/util.h"

#ifdef __aarch64__
#include <sys/ioctl.h>
#include <linux/kvm.h>

static int create_dev(int vm_fd, uint32_t type, bool test)
{
	struct kvm_create_device cd = {
		.type = type,
		.flags = test ? KVM_CREATE_DEVICE_TEST : 0,
	};

	if (ioctl(vm_fd, KVM_CREATE_DEVICE, &cd) < 0)
		return -1;
	return test ? 0 : (int)cd.fd;
}

int gic_probe_version(void)
{
	int sys_fd, vm_fd, ver = -1;

	sys_fd = kvm_open_dev();
	if (sys_fd < 0)
		return -1;
	vm_fd = ioctl(sys_fd, KVM_CREATE_VM, 0UL);
	if (vm_fd < 0) {
		pr_err("KVM_CREATE_VM failed: %s", strerror(errno));
		close(sys_fd);
		return -1;
	}
	if (create_dev(vm_fd, KVM_DEV_TYPE_ARM_VGIC_V3, true) == 0)
		ver = 3;
	else if (create_dev(vm_fd, KVM_DEV_TYPE_ARM_VGIC_V2, true) == 0)
		ver = 2;
	else
		pr_err("this host's KVM offers neither a vGICv3 nor a vGICv2");
	close(vm_fd);
	close(sys_fd);
	return ver;
}

static int set_attr(int fd, uint32_t group, uint64_t attr, void *val,
		    const char *what)
{
	struct kvm_device_attr a = {
		.group = group,
		.attr = attr,
		.addr = (uint64_t)(uintptr_t)val,
	};

	if (ioctl(fd, KVM_SET_DEVICE_ATTR, &a) < 0)
		return pr_err("cannot set the vGIC %s: %s", what,
			      strerror(errno));
	return 0;
}

static int set_addr(int fd, uint64_t type, uint64_t addr, const char *what)
{
	return set_attr(fd, KVM_DEV_ARM_VGIC_GRP_ADDR, type, &addr, what);
}

static void try_its(struct kvm_vm *vm, struct gic *gic)
{
	int fd;

	fd = create_dev(vm->vm_fd, KVM_DEV_TYPE_ARM_VGIC_ITS, false);
	if (fd < 0)
		return;		/* no ITS: wired SPIs are all realmvm needs */
	if (set_addr(fd, KVM_VGIC_ITS_ADDR_TYPE, GIC_ITS_BASE, "ITS address")) {
		close(fd);
		return;
	}
	gic->its_fd = fd;
}

int gic_create(struct kvm_vm *vm, unsigned int version, unsigned int nr_cpus,
	       struct gic *gic)
{
	uint32_t nr_irqs = GIC_NR_IRQS;

	gic->version = version;
	gic->fd = gic->its_fd = -1;
	if (version == 2 && nr_cpus > 8)
		return pr_err("a GICv2 host supports at most 8 vCPUs, %u asked",
			      nr_cpus);
	gic->fd = create_dev(vm->vm_fd, version == 3 ?
			     KVM_DEV_TYPE_ARM_VGIC_V3 :
			     KVM_DEV_TYPE_ARM_VGIC_V2, false);
	if (gic->fd < 0)
		return pr_err("cannot create the vGICv%u: %s", version,
			      strerror(errno));
	if (version == 3) {
		if (set_addr(gic->fd, KVM_VGIC_V3_ADDR_TYPE_DIST,
			     GIC_DIST_BASE, "distributor address") ||
		    set_addr(gic->fd, KVM_VGIC_V3_ADDR_TYPE_REDIST,
			     GIC_REDIST_BASE, "redistributor address"))
			goto fail;
	} else {
		if (set_addr(gic->fd, KVM_VGIC_V2_ADDR_TYPE_DIST,
			     GIC_DIST_BASE, "distributor address") ||
		    set_addr(gic->fd, KVM_VGIC_V2_ADDR_TYPE_CPU,
			     GIC_CPU_BASE, "CPU interface address"))
			goto fail;
	}
	if (set_attr(gic->fd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs,
		     "number of interrupts"))
		goto fail;
	if (version == 3)
		try_its(vm, gic);
	return 0;
fail:
	gic_destroy(gic);
	return -1;
}

int gic_finalize(struct gic *gic)
{
	if (set_attr(gic->fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
		     KVM_DEV_ARM_VGIC_CTRL_INIT, NULL, "initialisation"))
		return -1;
	if (gic->its_fd >= 0 &&
	    set_attr(gic->its_fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
		     KVM_DEV_ARM_VGIC_CTRL_INIT, NULL, "ITS initialisation"))
		return -1;
	return 0;
}

void gic_destroy(struct gic *gic)
{
	if (gic->its_fd >= 0)
		close(gic->its_fd);
	if (gic->fd >= 0)
		close(gic->fd);
	gic->fd = gic->its_fd = -1;
}

static int irq_vm_fd = -1;

static void kvm_irq_line(struct device *dev, bool level)
{
	struct kvm_irq_level irq;

	/* KVM numbers SPIs from 32; the DTB and struct device from 0. */
	if (irq_vm_fd < 0 || dev->spi + 32 >= GIC_NR_IRQS)
		return;
	memset(&irq, 0, sizeof(irq));
	irq.irq = (KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) |
		  (dev->spi + 32);
	irq.level = level;
	if (ioctl(irq_vm_fd, KVM_IRQ_LINE, &irq) < 0)
		pr_err("cannot set %s's interrupt line: %s", dev->name,
		       strerror(errno));
}

static void (*saved_irq_line)(struct device *dev, bool level);

void gic_attach_irq_lines(int vm_fd)
{
	if (vm_fd >= 0) {
		if (!saved_irq_line)
			saved_irq_line = device_irq_line;
		irq_vm_fd = vm_fd;
		device_irq_line = kvm_irq_line;
	} else {
		irq_vm_fd = -1;
		if (saved_irq_line)
			device_irq_line = saved_irq_line;
	}
}

#else /* !__aarch64__ */

int gic_probe_version(void)
{
	return kvm_open_dev();
}

int gic_create(struct kvm_vm *vm, unsigned int version, unsigned int nr_cpus,
	       struct gic *gic)
{
	(void)vm;
	(void)nr_cpus;
	gic->version = version;
	gic->fd = gic->its_fd = -1;
	return kvm_open_dev();
}

int gic_finalize(struct gic *gic)
{
	(void)gic;
	return kvm_open_dev();
}

void gic_destroy(struct gic *gic)
{
	gic->fd = gic->its_fd = -1;
}

void gic_attach_irq_lines(int vm_fd)
{
	(void)vm_fd;
}

#endif
