/*
 * sandbox-probe: test-only.  Sets up like a launch (a disk image open,
 * "guest RAM" as a shared mapping of a file, so the test can look at it
 * after a kill), enters realmvm's sandbox as the run loop does (process,
 * then a vCPU thread, which starts a device thread, as virtio-net does),
 * then makes the call MODE names.  What the guest's data holds afterwards
 * shows whether anything ran past the forbidden call.
 *
 *   sandbox-probe MODE DISK RAM     run a scenario (exit 0, or SIGSYS)
 *   sandbox-probe list ROLE         the calls ROLE allows (realm run)
 *   sandbox-probe export ARCH       build every filter for ARCH (aarch64,
 *                                   x86_64) and print them as PFC text
 *
 * MODE: allowed, off (no sandbox, forbidden calls succeed), device-openat,
 * device-pwrite (a vCPU thread may pwrite, a device thread may not),
 * vcpu-socket, main-execve, vcpu-sigpipe (console output to a closed
 * pipe: realmvm's fatal-signal handler must still run, exit 128+13),
 * realm-trace (a realm's vCPU exit ioctls through kvm_ops_real with
 * REALMVM_TRACE_KVM=1: each prints its trace line on stderr) and
 * realm-reboot (what a realm's reboot does on the main thread: open an
 * input again and hash on threads of its own, as boot_measure() does),
 * p9 (the 9p server's calls on a vCPU thread, in DISK's directory),
 * control and control-getsockopt (the control socket thread: its calls,
 * then a getsockopt other than SO_PEERCRED), slirp, slirp-unix and
 * slirp-open-rw (the libslirp thread: an AF_INET socket and a read-only
 * open; then an AF_UNIX socket, a file opened for writing).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/kvm.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <libgen.h>

#include "realm/kvm_cca_uapi.h"
#include "realm/kvm_ops.h"
#include "realm/rim.h"
#include "vmm/sandbox.h"
#include "vmm/term.h"

#define RAM_SIZE	4096

static const char *mode;
static const char *disk_path;
static int disk_fd, pipe_w = -1, ctl_fd = -1;
static uint8_t *ram;

static bool is(const char *m)
{
	return !strcmp(mode, m);
}

static void say(const char *s)
{
	if (write(STDOUT_FILENO, s, strlen(s)) < 0)
		_exit(3);
}

static void *device_thread(void *arg)
{
	char c;

	(void)arg;
	if (sandbox_enter_thread(SANDBOX_DEVICE))
		_exit(4);
	say("device: sandboxed\n");
	/* Allowed: an interrupt line (a bad fd is fine, the filter passed). */
	if (ioctl(-1, KVM_IRQ_LINE, NULL) == 0 || errno != EBADF)
		_exit(5);
	if (is("device-openat") || is("off")) {
		int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (fd >= 0)
			close(fd);
	}
	if (is("device-pwrite") && pwrite(disk_fd, "D", 1, 1024) < 0)
		_exit(6);
	/* Only reached if the call above was allowed. */
	memcpy(ram + 64, "DEVICE-AFTER", 12);
	c = 'x';
	(void)c;
	say("device: done\n");
	return NULL;
}

/* The calls realm/realm_exit.c makes on a vCPU thread, traced. */
static void realm_exit_calls(void)
{
	static const unsigned long reqs[] = {
		RVM_SET_MEMORY_ATTRIBUTES, RVM_SET_VCPU_EVENTS,
		KVM_GET_ONE_REG, RVM_PSCI_COMPLETE_V5_V7, RVM_PSCI_COMPLETE_V8,
	};
	uint64_t arg[8] = { 0 };
	size_t i;

	/* Not a KVM fd: each fails ENOTTY once the filter has let it by. */
	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++)
		if (kvm_ops_real.ioctl(NULL, disk_fd, reqs[i],
				       (unsigned long)arg) == 0)
			_exit(9);
}

/* A RIM hashing thread, as rim_measure_plan() starts them. */
static void *hash_thread(void *arg)
{
	uint8_t out[64];

	if (hash_buffer(HASH_SHA512, ram, RAM_SIZE, out))
		_exit(11);
	memcpy(arg, out, 8);
	return NULL;
}

/* What devices/p9_server.c does on a vCPU thread for a guest's requests. */
static void p9_calls(void)
{
	struct open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH,
	};
	char path[256], buf[1024];
	struct stat st;
	int dfd, fd;

	snprintf(path, sizeof(path), "%s", disk_path);
	dfd = open(dirname(path), O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		_exit(20);
	fd = (int)syscall(SYS_openat2, dfd, ".", &how, sizeof(how));
	if (fd < 0 || mkdirat(fd, "p9d", 0700) ||
	    symlinkat("p9d", fd, "p9l") || unlinkat(fd, "p9l", 0) ||
	    renameat(fd, "p9d", fd, "p9e") ||
	    fstatat(fd, "p9e", &st, AT_SYMLINK_NOFOLLOW) ||
	    fchmodat(fd, "p9e", 0755, AT_SYMLINK_NOFOLLOW) ||
	    unlinkat(fd, "p9e", AT_REMOVEDIR))
		_exit(21);
	close(fd);
	fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_getdents64, fd, buf, sizeof(buf)) <= 0 ||
	    lseek(fd, 0, SEEK_SET) < 0)
		_exit(22);
	close(fd);
	close(dfd);
}

/* The control socket thread: started in set-up, under its own filter. */
static void *control_thread(void *arg)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int v;

	(void)arg;
	if (sandbox_enter_thread(SANDBOX_CONTROL))
		_exit(4);
	say("control: sandboxed\n");
	if (getsockopt(ctl_fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) ||
	    cred.uid != geteuid() ||
	    send(ctl_fd, "ok\n", 3, MSG_NOSIGNAL) != 3)
		_exit(5);
	if (is("control-getsockopt")) {
		len = sizeof(v);
		getsockopt(ctl_fd, SOL_SOCKET, SO_RCVBUF, &v, &len);
	}
	close(ctl_fd);
	memcpy(ram, "SIDE-AFTER", 10);
	say("control: done\n");
	return NULL;
}

/* The libslirp thread: outbound sockets, /etc/resolv.conf. */
static void *slirp_thread(void *arg)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(9) };
	int s, fd, n = 0, one = 1;

	(void)arg;
	if (sandbox_enter_thread(SANDBOX_SLIRP))
		_exit(4);
	say("slirp: sandboxed\n");
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0 || fcntl(s, F_SETFL, O_NONBLOCK) ||
	    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    connect(s, (struct sockaddr *)&sa, sizeof(sa)) ||
	    send(s, "x", 1, 0) != 1 || ioctl(s, FIONREAD, &n) ||
	    shutdown(s, SHUT_RDWR))
		_exit(5);
	close(s);
	fd = open(disk_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		_exit(6);
	close(fd);
	if (is("slirp-unix"))
		socket(AF_UNIX, SOCK_STREAM, 0);
	if (is("slirp-open-rw"))
		open(disk_path, O_RDWR | O_CLOEXEC);
	memcpy(ram, "SIDE-AFTER", 10);
	say("slirp: done\n");
	return NULL;
}

static void *vcpu_thread(void *arg)
{
	pthread_t dev;
	uint8_t rnd[8];

	(void)arg;
	if (sandbox_enter_thread(SANDBOX_VCPU))
		_exit(4);
	say("vcpu: sandboxed\n");
	/* What a vCPU thread does: disk I/O, rng, KVM_RUN (ENOTTY here). */
	if (pwrite(disk_fd, "VCPU-WROTE", 10, 0) != 10 ||
	    getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd) ||
	    ioctl(disk_fd, KVM_RUN, 0) == 0)
		_exit(5);
	if (is("vcpu-sigpipe") && write(pipe_w, "x", 1) < 0)
		_exit(8);
	if (is("realm-trace"))
		realm_exit_calls();
	if (is("p9"))
		p9_calls();
	if (is("vcpu-socket") || is("off")) {
		int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (s >= 0)
			close(s);
	}
	memcpy(ram, "VCPU-AFTER", 10);
	if (pthread_create(&dev, NULL, device_thread, NULL))
		_exit(6);
	pthread_join(dev, NULL);
	if (pwrite(disk_fd, "VCPU-LAST", 9, 512) != 9)
		_exit(7);
	return NULL;
}

static void print_call(const char *kind, const char *name, void *arg)
{
	(void)arg;
	printf("%s %s\n", kind, name);
}

/* full: also what --9p, --network mode=user and the control socket add */
static int list(const char *role, bool full)
{
	struct sandbox_opts o = {
		.realm = true, .reboot = true, .taps = true,
		.p9 = full, .slirp = full, .control = full,
	};
	enum sandbox_role r = !strcmp(role, "main") ? SANDBOX_MAIN :
			      !strcmp(role, "vcpu") ? SANDBOX_VCPU :
			      !strcmp(role, "device") ? SANDBOX_DEVICE :
			      !strcmp(role, "slirp") ? SANDBOX_SLIRP :
			      !strcmp(role, "control") ? SANDBOX_CONTROL :
			      SANDBOX_NR_ROLES;

	if (r == SANDBOX_NR_ROLES)
		return 2;
	sandbox_list(r, &o, print_call, NULL);
	return 0;
}

static int export(const char *arch)
{
	struct sandbox_opts o = {
		.realm = true, .reboot = true, .taps = true,
		.p9 = true, .slirp = true, .control = true,
	};
	uint32_t a = seccomp_arch_resolve_name(arch);
	int r;

	if (!a)
		return 2;
	for (r = 0; r < SANDBOX_NR_ROLES; r++) {
		scmp_filter_ctx ctx = sandbox_build_filter(r, &o, a);

		if (!ctx)
			return 1;
		printf("# role %d\n", r);
		fflush(stdout);
		if (seccomp_export_pfc(ctx, STDOUT_FILENO))
			return 1;
		seccomp_release(ctx);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sandbox_opts o = { .realm = false, .reboot = false };
	pthread_t vcpu;
	int fd;

	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "list"))
		return list(argv[2], argc == 4 && !strcmp(argv[3], "full"));
	if (argc == 3 && !strcmp(argv[1], "export"))
		return export(argv[2]);
	if (argc != 4) {
		fprintf(stderr, "usage: sandbox-probe MODE DISK RAM\n");
		return 2;
	}
	mode = argv[1];
	disk_path = argv[2];
	/* Set-up, before the sandbox: what a launch opens. */
	disk_fd = open(argv[2], O_RDWR | O_CLOEXEC);
	fd = open(argv[3], O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (disk_fd < 0 || fd < 0 || ftruncate(fd, RAM_SIZE) < 0)
		return 1;
	ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (ram == MAP_FAILED)
		return 1;
	if (is("vcpu-sigpipe")) {
		int p[2];

		if (pipe(p))
			return 1;
		close(p[0]);
		pipe_w = p[1];
	}
	/* As run_loop_run(): the terminal's signal handlers first. */
	term_init();
	if (is("realm-trace") || is("realm-reboot")) {
		o.realm = true;
		o.reboot = true;
	}
	if (is("realm-trace"))
		setenv("REALMVM_TRACE_KVM", "1", 1);
	o.p9 = is("p9");
	o.control = !strncmp(mode, "control", 7);
	o.slirp = !strncmp(mode, "slirp", 5);
	if (!is("off"))
		sandbox_configure_opts(&o);
	/* Threads a launch starts before the main filter, alone. */
	if (o.control || o.slirp) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
			return 1;
		ctl_fd = sv[0];
		if (pthread_create(&vcpu, NULL,
				   o.control ? control_thread : slirp_thread,
				   NULL))
			return 1;
		pthread_join(vcpu, NULL);
		return 0;
	}
	if (sandbox_enter_process())
		return 1;
	say("main: sandboxed\n");
	if (is("main-execve")) {
		char *args[] = { "/bin/true", NULL };

		execve(args[0], args, environ);
		memcpy(ram, "MAIN-AFTER", 10);
	}
	if (pthread_create(&vcpu, NULL, vcpu_thread, NULL))
		return 1;
	pthread_join(vcpu, NULL);
	if (is("realm-reboot")) {
		uint8_t digest[2][8];
		pthread_t h[2];
		int i;

		/* The VM is set up again from the user's files... */
		fd = open(argv[2], O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			return 12;
		close(fd);
		/* ...and measured again, on hashing threads. */
		for (i = 0; i < 2; i++)
			if (pthread_create(&h[i], NULL, hash_thread, digest[i]))
				return 13;
		for (i = 0; i < 2; i++)
			pthread_join(h[i], NULL);
		if (memcmp(digest[0], digest[1], 8))
			return 14;
		say("main: rebooted\n");
	}
	say("main: done\n");
	return 0;
}
