/*
 * REALMVM_TRACE_KVM=1: one stderr line per KVM ioctl of the realm path
 * (but KVM_RUN), with what the call carried and what KVM answered.  It
 * is how the call sequences in docs/host-abi-sequences.md section 6 were
 * read off a real RMM, and how a user shows what a new host series does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kvm.h>

#include "realm/kvm_cca_uapi.h"
#include "realm/kvm_trace.h"

static const struct {
	unsigned long req;
	const char *name;
} names[] = {
	{ KVM_CHECK_EXTENSION, "CHECK_EXTENSION" },
	{ KVM_CREATE_VM, "CREATE_VM" },
	{ KVM_CREATE_VCPU, "CREATE_VCPU" },
	{ KVM_ENABLE_CAP, "ENABLE_CAP" },
	{ KVM_CREATE_DEVICE, "CREATE_DEVICE" },
	{ KVM_SET_DEVICE_ATTR, "SET_DEVICE_ATTR" },
	{ KVM_GET_ONE_REG, "GET_ONE_REG" },
	{ KVM_SET_ONE_REG, "SET_ONE_REG" },
	{ KVM_GET_VCPU_MMAP_SIZE, "GET_VCPU_MMAP_SIZE" },
	{ RVM_ARM_VCPU_INIT, "ARM_VCPU_INIT" },
	{ RVM_ARM_PREFERRED_TARGET, "ARM_PREFERRED_TARGET" },
	{ RVM_ARM_VCPU_FINALIZE, "ARM_VCPU_FINALIZE" },
	{ RVM_CREATE_GUEST_MEMFD, "CREATE_GUEST_MEMFD" },
	{ RVM_SET_USER_MEMORY_REGION2, "SET_USER_MEMORY_REGION2" },
	{ RVM_SET_MEMORY_ATTRIBUTES, "SET_MEMORY_ATTRIBUTES" },
	{ RVM_RMI_POPULATE_V12, "ARM_RMI_POPULATE(v12)" },
	{ RVM_RMI_POPULATE_V13, "ARM_RMI_POPULATE" },
	{ RVM_PSCI_COMPLETE_V5_V7, "ARM_RMM_PSCI_COMPLETE(0xd2)" },
	{ RVM_PSCI_COMPLETE_V8, "ARM_RMM_PSCI_COMPLETE(0xd6)" },
	{ RVM_SET_VCPU_EVENTS, "SET_VCPU_EVENTS" },
};

bool kvm_trace_on(void)
{
	static int on = -1;

	if (on < 0) {
		const char *e = getenv("REALMVM_TRACE_KVM");

		on = e && *e && strcmp(e, "0");
	}
	return on;
}

/* What the argument says, for the calls whose argument tells the story. */
static void describe(unsigned long req, unsigned long arg, char *buf,
		     size_t len)
{
	const struct kvm_enable_cap *cap = (const void *)arg;
	const struct kvm_one_reg *reg = (const void *)arg;
	const struct rvm_vcpu_init *init = (const void *)arg;
	const struct kvm_device_attr *da = (const void *)arg;
	const struct rvm_memory_attributes *ma = (const void *)arg;

	if (req == KVM_CHECK_EXTENSION || req == KVM_CREATE_VM ||
	    req == KVM_CREATE_VCPU)
		snprintf(buf, len, "%#lx", arg);
	else if (req == KVM_ENABLE_CAP)
		snprintf(buf, len, "cap %u action %llu", cap->cap,
			 (unsigned long long)cap->args[0]);
	else if (req == KVM_GET_ONE_REG || req == KVM_SET_ONE_REG)
		snprintf(buf, len, "id %#llx", (unsigned long long)reg->id);
	else if (req == RVM_ARM_VCPU_INIT)
		snprintf(buf, len, "features %#x", init->features[0]);
	else if (req == RVM_ARM_VCPU_FINALIZE)
		snprintf(buf, len, "feature %d", *(const int *)arg);
	else if (req == RVM_SET_MEMORY_ATTRIBUTES)
		snprintf(buf, len, "%#llx+%#llx attr %#llx",
			 (unsigned long long)ma->address,
			 (unsigned long long)ma->size,
			 (unsigned long long)ma->attributes);
	else if (req == KVM_SET_DEVICE_ATTR)
		snprintf(buf, len, "group %u attr %llu", da->group,
			 (unsigned long long)da->attr);
	else
		buf[0] = '\0';
}

void kvm_trace(int fd, unsigned long req, unsigned long arg, int ret,
	       int err)
{
	const char *name = NULL;
	char what[64];
	size_t i;

	if (req == KVM_RUN)
		return;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].req == req)
			name = names[i].name;
	describe(req, arg, what, sizeof(what));
	if (ret < 0)
		fprintf(stderr, "kvm: fd %d %s(%#lx) %s -> -1 %s\n", fd,
			name ? name : "?", req, what, strerrorname_np(err));
	else
		fprintf(stderr, "kvm: fd %d %s(%#lx) %s -> %d\n", fd,
			name ? name : "?", req, what, ret);
}
