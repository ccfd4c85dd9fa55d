/*
 * One KVM virtual machine on an arm64 host: the /dev/kvm and VM file
 * descriptors and guest RAM registered as a single memslot.
 */
#ifndef REALMVM_KVM_VM_H
#define REALMVM_KVM_VM_H

#include <stddef.h>

struct boot;

struct kvm_vm {
	int sys_fd;		/* /dev/kvm */
	int vm_fd;
	size_t run_size;	/* bytes of each vCPU's kvm_run mapping */
};

/*
 * Open /dev/kvm, create a VM whose IPA space holds b->lay.ipa_bits (checked
 * against KVM_CAP_ARM_VM_IPA_SIZE) and map b->gm as guest RAM.
 */
int kvm_vm_create(struct kvm_vm *vm, const struct boot *b);
void kvm_vm_destroy(struct kvm_vm *vm);

/* Open /dev/kvm and check the API version; the fd, or -1 after pr_err. */
int kvm_open_dev(void);

#endif
