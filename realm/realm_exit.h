/*
 * What a realm vCPU's exits need beyond a normal VM's: private/shared
 * conversions the guest asks for (KVM_EXIT_MEMORY_FAULT), MMIO through the
 * unprotected IPA alias, an external abort for accesses nothing handles,
 * and PSCI completion on the series where userspace must give it.
 */
#ifndef REALMVM_REALM_EXIT_H
#define REALMVM_REALM_EXIT_H

#include <linux/kvm.h>

struct realm_vm;

enum realm_exit {
	REALM_EXIT_CONTINUE,	/* run the vCPU again */
	REALM_EXIT_POWEROFF,	/* PSCI SYSTEM_OFF */
	REALM_EXIT_RESET,	/* PSCI SYSTEM_RESET */
	REALM_EXIT_ERROR,	/* printed; the launch fails */
};

/*
 * What to do after KVM_RUN returned ret with errno err.  A memory fault is
 * the one exit KVM reports with -1 (EFAULT or EHWPOISON) instead of 0, so
 * it is recognised here; EINTR/EAGAIN mean "run again".
 */
enum realm_exit realm_after_run(struct realm_vm *rv, unsigned int vcpu,
				int ret, int err, struct kvm_run *run);

/* Handle the exit now in vcpu's kvm_run; never trusts the guest's values. */
enum realm_exit realm_handle_exit(struct realm_vm *rv, unsigned int vcpu,
				  struct kvm_run *run);

#endif
