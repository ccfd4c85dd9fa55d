/*
 * Tracing of the real KVM door (REALMVM_TRACE_KVM=1): see kvm_trace.c.
 */
#ifndef REALMVM_KVM_TRACE_H
#define REALMVM_KVM_TRACE_H

#include <stdbool.h>

bool kvm_trace_on(void);
/* One stderr line for an ioctl that returned ret with errno err. */
void kvm_trace(int fd, unsigned long req, unsigned long arg, int ret,
	       int err);

#endif
