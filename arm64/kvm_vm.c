/*
 * VM creation on an arm64 KVM host.  Other hosts (the x86 development
 * machine) build a stub that explains why a launch cannot work there, so
 * the dry run and the tests still build everywhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "arm64/kvm_vm.h"
#include "vmm/boot.h"
#include "vmm/util.h"

#ifdef __aarch64__
#include <sys/ioctl.h>
#include <linux/kvm.h>

int kvm_open_dev(void)
{
	int fd, ver;

	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return pr_err("cannot open /dev/kvm: %s (is KVM enabled on this host?)",
			      strerror(errno));
	ver = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (ver < 0) {
		pr_err("/dev/kvm does not answer KVM_GET_API_VERSION: %s",
		       strerror(errno));
		close(fd);
		return -1;
	}
	if (ver != KVM_API_VERSION) {
		close(fd);
		return pr_err("/dev/kvm has API version %d, expected %d", ver,
			      KVM_API_VERSION);
	}
	return fd;
}

int kvm_vm_create(struct kvm_vm *vm, const struct boot *b)
{
	struct kvm_userspace_memory_region region;
	unsigned long type = 0;
	int max_ipa, sz;

	vm->vm_fd = -1;
	vm->sys_fd = kvm_open_dev();
	if (vm->sys_fd < 0)
		return -1;

	/*
	 * Without the capability KVM only offers the default 40-bit space
	 * and wants type 0; with it, asking for exactly what the layout
	 * needs keeps stage 2 as shallow as possible.
	 */
	max_ipa = ioctl(vm->sys_fd, KVM_CHECK_EXTENSION,
			KVM_CAP_ARM_VM_IPA_SIZE);
	if (max_ipa > 0) {
		if (b->lay.ipa_bits > (unsigned int)max_ipa) {
			pr_err("guest needs %u IPA bits, this host's KVM supports %d (use less memory)",
			       b->lay.ipa_bits, max_ipa);
			goto fail;
		}
		type = KVM_VM_TYPE_ARM_IPA_SIZE(b->lay.ipa_bits);
	} else if (b->lay.ipa_bits > 40) {
		pr_err("guest needs %u IPA bits, this host's KVM supports 40 (use less memory)",
		       b->lay.ipa_bits);
		goto fail;
	}

	vm->vm_fd = ioctl(vm->sys_fd, KVM_CREATE_VM, type);
	if (vm->vm_fd < 0) {
		pr_err("KVM_CREATE_VM failed: %s", strerror(errno));
		goto fail;
	}

	sz = ioctl(vm->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz <= 0) {
		pr_err("KVM_GET_VCPU_MMAP_SIZE failed: %s", strerror(errno));
		goto fail;
	}
	vm->run_size = (size_t)sz;

	memset(&region, 0, sizeof(region));
	region.slot = 0;
	region.guest_phys_addr = b->gm.ipa_base;
	region.memory_size = b->gm.size;
	region.userspace_addr = (uint64_t)(uintptr_t)b->gm.host;
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		pr_err("cannot register %llu MiB of guest RAM with KVM: %s",
		       (unsigned long long)(b->gm.size >> 20), strerror(errno));
		goto fail;
	}
	return 0;
fail:
	kvm_vm_destroy(vm);
	return -1;
}

void kvm_vm_destroy(struct kvm_vm *vm)
{
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->sys_fd >= 0)
		close(vm->sys_fd);
	vm->vm_fd = vm->sys_fd = -1;
}

#else /* !__aarch64__ */

int kvm_open_dev(void)
{
	return pr_err("running a VM needs an arm64 host with KVM (use --dry-run here)");
}

int kvm_vm_create(struct kvm_vm *vm, const struct boot *b)
{
	(void)b;
	vm->sys_fd = vm->vm_fd = -1;
	return kvm_open_dev();
}

void kvm_vm_destroy(struct kvm_vm *vm)
{
	vm->sys_fd = vm->vm_fd = -1;
}

#endif
