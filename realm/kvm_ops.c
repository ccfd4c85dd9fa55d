/*
 * The real KVM door: each operation is the bare system call, so that a
 * launch behaves exactly as the recorded sequence the unit tests check.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "realm/kvm_ops.h"
#include "realm/kvm_trace.h"

static int real_open(void *ctx, const char *path)
{
	(void)ctx;
	return open(path, O_RDWR | O_CLOEXEC);
}

static int real_ioctl(void *ctx, int fd, unsigned long req, unsigned long arg)
{
	int ret, err;

	/* No EINTR retry: KVM_RUN's EINTR is how a vCPU thread is stopped. */
	(void)ctx;
	ret = ioctl(fd, req, arg);
	if (kvm_trace_on()) {
		err = errno;
		kvm_trace(fd, req, arg, ret, err);
		errno = err;
	}
	return ret;
}

static void *real_mmap(void *ctx, size_t len, int fd)
{
	(void)ctx;
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
}

static int real_munmap(void *ctx, void *addr, size_t len)
{
	(void)ctx;
	return munmap(addr, len);
}

static int real_close(void *ctx, int fd)
{
	(void)ctx;
	return close(fd);
}

const struct kvm_ops kvm_ops_real = {
	.open_dev = real_open,
	.ioctl = real_ioctl,
	.mmap = real_mmap,
	.munmap = real_munmap,
	.close = real_close,
};
