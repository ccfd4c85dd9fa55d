/*
 * The one door through which the realm path talks to KVM.  A real launch
 * uses kvm_ops_real (plain syscalls); the backend unit tests plug in a
 * recorder, so the exact ioctl sequence can be checked on a machine with
 * no CCA hardware.
 */
#ifndef REALMVM_KVM_OPS_H
#define REALMVM_KVM_OPS_H

#include <stddef.h>
#include <sys/types.h>

struct kvm_ops {
	/* open(2) of /dev/kvm */
	int (*open_dev)(void *ctx, const char *path);
	/* ioctl(2); arg is a pointer or an integer, as the request wants */
	int (*ioctl)(void *ctx, int fd, unsigned long req, unsigned long arg);
	/* mmap(2) of a vCPU's kvm_run area; MAP_FAILED on error */
	void *(*mmap)(void *ctx, size_t len, int fd);
	int (*munmap)(void *ctx, void *addr, size_t len);
	int (*close)(void *ctx, int fd);
	void *ctx;
};

extern const struct kvm_ops kvm_ops_real;

static inline int kvm_ioctl(const struct kvm_ops *ops, int fd,
			    unsigned long req, unsigned long arg)
{
	return ops->ioctl(ops->ctx, fd, req, arg);
}

static inline int kvm_ioctl_ptr(const struct kvm_ops *ops, int fd,
				unsigned long req, const void *arg)
{
	return ops->ioctl(ops->ctx, fd, req, (unsigned long)arg);
}

#endif
