/*
 * seccomp-bpf filters, capabilities and NO_NEW_PRIVS for a running VM
 * (see sandbox.h).  The allow-lists are tables, so that the filters, the
 * unit tests and docs/hardening.md all read the same list.
 *
 * Each entry names the least trusted kind of thread that needs the call:
 * ALL (device threads and up), VCPU (vCPU threads and the main thread) or
 * MAIN.  Because filters stack (a thread keeps its creator's filter), a
 * call must be allowed by every filter above the thread too; deriving
 * each list from one level per call makes that hold by construction.
 *
 * Capabilities use the plain capset and prctl system calls: realmvm only
 * ever drops capabilities, which needs a dozen lines, so neither libcap
 * nor libcap-ng earns a place in the static aarch64 build.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/if_tun.h>
#include <linux/kvm.h>

#include "realm/kvm_cca_uapi.h"
#include "vmm/config.h"
#include "vmm/sandbox.h"
#include "vmm/util.h"

enum level {
	LVL_ALL,	/* device, vCPU and main threads */
	LVL_VCPU,	/* vCPU and main threads */
	LVL_MAIN,	/* the main thread only */
	/*
	 * Side levels: threads started before the main filter, which are
	 * not under it (see sandbox.h).  LVL_SLIRP is also in the main
	 * filter when a reboot starts the libslirp thread again.
	 */
	LVL_SLIRP,	/* the libslirp thread */
	LVL_CONTROL,	/* the control socket thread */
};

/* Entries that only a run with this feature needs. */
enum feat {
	F_ANY,
	F_P9,		/* --9p: vmm's 9p server runs on vCPU threads */
	F_SLIRP,	/* --network mode=user */
	F_CONTROL,	/* the control socket */
};

enum cond {
	C_NONE,
	C_NO_EXEC,	/* arg 2 (prot) without PROT_EXEC: no new code */
	C_THREAD,	/* clone with CLONE_THREAD: threads, not processes */
	C_NNP,		/* prctl(PR_SET_NO_NEW_PRIVS) only */
	C_ENOSYS,	/* fails ENOSYS (clone3: glibc falls back to clone) */
	C_SELF,		/* arg 0 is this process: signals to itself */
	C_RDONLY,	/* openat: arg 2 (flags) opens read-only, creates nothing */
	C_INET,		/* socket: arg 0 (domain) is AF_INET */
	C_PEERCRED,	/* getsockopt: arg 2 (optname) is SO_PEERCRED */
};

struct sb_call {
	const char *name;
	enum level level;
	enum cond cond;
	enum feat feat;
};

/* The "why" of each entry is in docs/hardening.md, table by table. */
static const struct sb_call calls[] = {
	/* I/O on descriptors opened during set-up */
	{ "read", LVL_ALL, C_NONE, F_ANY },
	{ "readv", LVL_ALL, C_NONE, F_ANY },
	{ "write", LVL_ALL, C_NONE, F_ANY },
	{ "writev", LVL_ALL, C_NONE, F_ANY },
	{ "ppoll", LVL_ALL, C_NONE, F_ANY },
	{ "poll", LVL_ALL, C_NONE, F_ANY },
	{ "ioctl", LVL_ALL, C_NONE, F_ANY },	/* by request number, see ioctls[] */
	/* threads, locks, signals, memory and time, as glibc needs them */
	{ "futex", LVL_ALL, C_NONE, F_ANY },
	{ "sched_yield", LVL_ALL, C_NONE, F_ANY },
	{ "rt_sigreturn", LVL_ALL, C_NONE, F_ANY },
	{ "rt_sigprocmask", LVL_ALL, C_NONE, F_ANY },
	{ "restart_syscall", LVL_ALL, C_NONE, F_ANY },
	{ "exit", LVL_ALL, C_NONE, F_ANY },
	{ "exit_group", LVL_ALL, C_NONE, F_ANY },
	{ "brk", LVL_ALL, C_NONE, F_ANY },
	{ "mmap", LVL_ALL, C_NO_EXEC, F_ANY },
	{ "mprotect", LVL_ALL, C_NO_EXEC, F_ANY },
	{ "munmap", LVL_ALL, C_NONE, F_ANY },
	{ "madvise", LVL_ALL, C_NONE, F_ANY },
	{ "clock_gettime", LVL_ALL, C_NONE, F_ANY },
	{ "clock_nanosleep", LVL_ALL, C_NONE, F_ANY },
	{ "nanosleep", LVL_ALL, C_NONE, F_ANY },
	{ "gettimeofday", LVL_ALL, C_NONE, F_ANY },
	{ "getpid", LVL_ALL, C_NONE, F_ANY },
	{ "gettid", LVL_ALL, C_NONE, F_ANY },
	/*
	 * A fault signal (SIGPIPE on a closed console, SIGSEGV...) runs
	 * vmm/term.c's handler on the thread that caused it: it restores
	 * the terminal (TCSETS, in ioctls[]), resets the disposition and
	 * raises the signal again, so the exit status still names it.
	 */
	{ "rt_sigaction", LVL_ALL, C_NONE, F_ANY },
	{ "tgkill", LVL_ALL, C_SELF, F_ANY },
	/* device models run on the vCPU threads */
	{ "pread64", LVL_VCPU, C_NONE, F_ANY },
	{ "pwrite64", LVL_VCPU, C_NONE, F_ANY },
	{ "fdatasync", LVL_VCPU, C_NONE, F_ANY },
	{ "fsync", LVL_VCPU, C_NONE, F_ANY },
	{ "getrandom", LVL_VCPU, C_NONE, F_ANY },
	{ "fstat", LVL_VCPU, C_NONE, F_ANY },
	{ "newfstatat", LVL_VCPU, C_NONE, F_ANY },
	/*
	 * a vCPU thread starts the virtio-net receive thread; a realm's
	 * reboot (main thread) starts the RIM's hashing threads
	 */
	{ "clone", LVL_VCPU, C_THREAD, F_ANY },
	{ "clone3", LVL_VCPU, C_ENOSYS, F_ANY },
	{ "set_robust_list", LVL_VCPU, C_NONE, F_ANY },
	{ "rseq", LVL_VCPU, C_NONE, F_ANY },
	{ "sched_getaffinity", LVL_VCPU, C_NONE, F_ANY },
	/* ...which sandboxes itself: these can only take rights away */
	{ "capset", LVL_VCPU, C_NONE, F_ANY },
	{ "prctl", LVL_VCPU, C_NNP, F_ANY },
	{ "seccomp", LVL_VCPU, C_NONE, F_ANY },
	/* the main thread: console, teardown and set-up again on a reboot */
	{ "openat", LVL_MAIN, C_NONE, F_ANY },
	{ "open", LVL_MAIN, C_NONE, F_ANY },
	{ "close", LVL_MAIN, C_NONE, F_ANY },
	{ "statx", LVL_MAIN, C_NONE, F_ANY },
	{ "lseek", LVL_MAIN, C_NONE, F_ANY },
	{ "fcntl", LVL_MAIN, C_NONE, F_ANY },
	{ "pipe2", LVL_MAIN, C_NONE, F_ANY },
	{ "eventfd2", LVL_MAIN, C_NONE, F_ANY },
	{ "mremap", LVL_MAIN, C_NONE, F_ANY },
	{ "mincore", LVL_MAIN, C_NONE, F_ANY },
	/*
	 * --9p: devices/p9_server.c serves the guest's requests on the vCPU
	 * thread that was notified, confined to the share by openat2's
	 * RESOLVE_BENEATH; these are exactly the calls it makes (fchmodat
	 * with AT_SYMLINK_NOFOLLOW is glibc's openat(O_PATH), fstatat and
	 * chmod of /proc/self/fd/N, which is fchmodat on arm64, where chmod
	 * does not exist; renameat is renameat2 on arm64).
	 */
	{ "openat2", LVL_VCPU, C_NONE, F_P9 },
	{ "openat", LVL_VCPU, C_NONE, F_P9 },
	{ "close", LVL_VCPU, C_NONE, F_P9 },
	{ "lseek", LVL_VCPU, C_NONE, F_P9 },
	{ "statx", LVL_VCPU, C_NONE, F_P9 },
	{ "fstatfs", LVL_VCPU, C_NONE, F_P9 },
	{ "getdents64", LVL_VCPU, C_NONE, F_P9 },
	{ "ftruncate", LVL_VCPU, C_NONE, F_P9 },
	{ "mkdirat", LVL_VCPU, C_NONE, F_P9 },
	{ "symlinkat", LVL_VCPU, C_NONE, F_P9 },
	{ "linkat", LVL_VCPU, C_NONE, F_P9 },
	{ "readlinkat", LVL_VCPU, C_NONE, F_P9 },
	{ "renameat", LVL_VCPU, C_NONE, F_P9 },
	{ "renameat2", LVL_VCPU, C_NONE, F_P9 },
	{ "unlinkat", LVL_VCPU, C_NONE, F_P9 },
	{ "fchmodat", LVL_VCPU, C_NONE, F_P9 },
	{ "chmod", LVL_VCPU, C_NONE, F_P9 },
	{ "fchownat", LVL_VCPU, C_NONE, F_P9 },
	{ "utimensat", LVL_VCPU, C_NONE, F_P9 },
	/*
	 * The control socket is removed at exit, and by the fatal-signal
	 * handler (vmm/cleanup.c) on whichever thread took the fault (a
	 * console SIGPIPE happens on a vCPU thread).
	 */
	{ "unlink", LVL_VCPU, C_NONE, F_CONTROL },
	{ "unlinkat", LVL_VCPU, C_NONE, F_CONTROL },
	/* a reboot's --network mode=user: the pair to the new stack */
	{ "socketpair", LVL_MAIN, C_NONE, F_SLIRP },
	/* the libslirp thread: the guest's outbound TCP, UDP and ICMP */
	{ "socket", LVL_SLIRP, C_INET, F_SLIRP },
	{ "connect", LVL_SLIRP, C_NONE, F_SLIRP },
	{ "sendto", LVL_SLIRP, C_NONE, F_SLIRP },
	{ "recvfrom", LVL_SLIRP, C_NONE, F_SLIRP },
	{ "setsockopt", LVL_SLIRP, C_NONE, F_SLIRP },
	{ "getsockopt", LVL_SLIRP, C_NONE, F_SLIRP },
	{ "getsockname", LVL_SLIRP, C_NONE, F_SLIRP },
	{ "getpeername", LVL_SLIRP, C_NONE, F_SLIRP },
	{ "shutdown", LVL_SLIRP, C_NONE, F_SLIRP },
	{ "fcntl", LVL_SLIRP, C_NONE, F_SLIRP },
	{ "close", LVL_SLIRP, C_NONE, F_SLIRP },
	/* ...and the host's DNS server, read from /etc/resolv.conf */
	{ "openat", LVL_SLIRP, C_RDONLY, F_SLIRP },
	{ "open", LVL_SLIRP, C_RDONLY, F_SLIRP },
	{ "fstat", LVL_SLIRP, C_NONE, F_SLIRP },
	{ "newfstatat", LVL_SLIRP, C_NONE, F_SLIRP },
	{ "statx", LVL_SLIRP, C_NONE, F_SLIRP },
	/* the control socket: one client at a time, its owner only */
	{ "accept4", LVL_CONTROL, C_NONE, F_CONTROL },
	{ "accept", LVL_CONTROL, C_NONE, F_CONTROL },
	{ "getsockopt", LVL_CONTROL, C_PEERCRED, F_CONTROL },
	{ "geteuid", LVL_CONTROL, C_NONE, F_CONTROL },
	{ "sendto", LVL_CONTROL, C_NONE, F_CONTROL },
	{ "close", LVL_CONTROL, C_NONE, F_CONTROL },
};

struct sb_ioctl {
	const char *name;
	unsigned long req;
	enum level level;
	bool realm_only;
};

#define IOC(r, lvl, realm)	{ #r, (unsigned long)(r), lvl, realm }

#ifdef __aarch64__
/* The RVM_ copies are what arm64/ calls by their mainline names. */
_Static_assert(RVM_ARM_VCPU_INIT == KVM_ARM_VCPU_INIT, "VCPU_INIT");
_Static_assert(RVM_ARM_PREFERRED_TARGET == KVM_ARM_PREFERRED_TARGET,
	       "PREFERRED_TARGET");
_Static_assert(RVM_ARM_VCPU_FINALIZE == KVM_ARM_VCPU_FINALIZE, "FINALIZE");
#endif

static const struct sb_ioctl ioctls[] = {
	/* device interrupts, raised from every thread that serves a device */
	IOC(KVM_IRQ_LINE, LVL_ALL, false),
	/* libslirp: the size of the UDP datagram waiting (sorecvfrom) */
	IOC(FIONREAD, LVL_SLIRP, false),
	/* the vCPU loop */
	IOC(KVM_RUN, LVL_VCPU, false),
	/* realm exits (realm/realm_exit.c) */
	IOC(RVM_SET_MEMORY_ATTRIBUTES, LVL_VCPU, true),
	IOC(RVM_SET_VCPU_EVENTS, LVL_VCPU, true),
	IOC(KVM_GET_ONE_REG, LVL_VCPU, true),
	IOC(RVM_PSCI_COMPLETE_V5_V7, LVL_VCPU, true),
	IOC(RVM_PSCI_COMPLETE_V8, LVL_VCPU, true),
	/* the terminal: restored by a fault signal's handler, on any thread */
	IOC(TCSETS, LVL_ALL, false),
	/* ...and at the end of the run */
	IOC(TCGETS, LVL_MAIN, false),
	IOC(TCSETSW, LVL_MAIN, false),
	IOC(TCSETSF, LVL_MAIN, false),
	IOC(TIOCGWINSZ, LVL_MAIN, false),
	/* a reboot sets the VM up again (arm64/, realm/backend*.c) */
	IOC(KVM_GET_API_VERSION, LVL_MAIN, false),
	IOC(KVM_CHECK_EXTENSION, LVL_MAIN, false),
	IOC(KVM_CREATE_VM, LVL_MAIN, false),
	IOC(KVM_GET_VCPU_MMAP_SIZE, LVL_MAIN, false),
	IOC(KVM_SET_USER_MEMORY_REGION, LVL_MAIN, false),
	IOC(KVM_CREATE_VCPU, LVL_MAIN, false),
	IOC(RVM_ARM_PREFERRED_TARGET, LVL_MAIN, false),
	IOC(RVM_ARM_VCPU_INIT, LVL_MAIN, false),
	IOC(KVM_SET_ONE_REG, LVL_MAIN, false),
	IOC(KVM_GET_ONE_REG, LVL_MAIN, false),
	IOC(KVM_CREATE_DEVICE, LVL_MAIN, false),
	IOC(KVM_SET_DEVICE_ATTR, LVL_MAIN, false),
	IOC(TUNSETIFF, LVL_MAIN, false),
	IOC(TUNSETVNETHDRSZ, LVL_MAIN, false),
	IOC(TUNSETOFFLOAD, LVL_MAIN, false),
	IOC(KVM_ENABLE_CAP, LVL_MAIN, true),
	IOC(RVM_ARM_VCPU_FINALIZE, LVL_MAIN, true),
	IOC(RVM_CREATE_GUEST_MEMFD, LVL_MAIN, true),
	IOC(RVM_SET_USER_MEMORY_REGION2, LVL_MAIN, true),
	IOC(RVM_RMI_POPULATE_V12, LVL_MAIN, true),
	IOC(RVM_RMI_POPULATE_V13, LVL_MAIN, true),
};

/* Does a thread of role run with entries of level lvl? */
static bool level_in(enum level lvl, enum sandbox_role role,
		     const struct sandbox_opts *opts)
{
	if (lvl == LVL_SLIRP)
		return opts->slirp && (role == SANDBOX_SLIRP ||
				       (role == SANDBOX_MAIN && opts->reboot));
	if (lvl == LVL_CONTROL)
		return opts->control && role == SANDBOX_CONTROL;
	switch (role) {
	case SANDBOX_MAIN:
		return true;
	case SANDBOX_VCPU:
		return lvl != LVL_MAIN;
	default:
		return lvl == LVL_ALL;
	}
}

static bool feat_in(enum feat f, const struct sandbox_opts *opts)
{
	switch (f) {
	case F_P9:
		return opts->p9;
	case F_SLIRP:
		return opts->slirp;
	case F_CONTROL:
		return opts->control;
	default:
		return true;
	}
}

static bool call_in(size_t i, enum sandbox_role role,
		    const struct sandbox_opts *opts)
{
	size_t j;

	if (!level_in(calls[i].level, role, opts) ||
	    !feat_in(calls[i].feat, opts))
		return false;
	/*
	 * A call several features need is added once, by its first entry
	 * (the table lists unconditional entries before conditional ones).
	 */
	for (j = 0; j < i; j++)
		if (!strcmp(calls[j].name, calls[i].name) &&
		    level_in(calls[j].level, role, opts) &&
		    feat_in(calls[j].feat, opts))
			return false;
	return true;
}

static bool ioctl_in(size_t i, enum sandbox_role role,
		     const struct sandbox_opts *opts)
{
	const struct sb_ioctl *io = &ioctls[i];
	size_t j;

	if (!level_in(io->level, role, opts) || (io->realm_only && !opts->realm))
		return false;
	/* KVM_GET_ONE_REG is listed for vCPUs and for main: one rule. */
	for (j = 0; j < i; j++)
		if (ioctls[j].req == io->req &&
		    level_in(ioctls[j].level, role, opts) &&
		    (!ioctls[j].realm_only || opts->realm))
			return false;
	return true;
}

void sandbox_list(enum sandbox_role role, const struct sandbox_opts *opts,
		  void (*fn)(const char *kind, const char *name, void *arg),
		  void *arg)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(calls); i++)
		if (call_in(i, role, opts))
			fn("syscall", calls[i].name, arg);
	for (i = 0; i < ARRAY_SIZE(ioctls); i++)
		if (ioctl_in(i, role, opts))
			fn("ioctl", ioctls[i].name, arg);
}

/* One argument comparison; for MASKED_EQ a is the mask, b the value. */
static struct scmp_arg_cmp cmp(unsigned int arg, enum scmp_compare op,
			       uint64_t a, uint64_t b)
{
	struct scmp_arg_cmp c = {
		.arg = arg, .op = op, .datum_a = a, .datum_b = b,
	};

	return c;
}

static int add_call(scmp_filter_ctx ctx, const struct sb_call *c,
		    const struct sandbox_opts *opts, enum sandbox_role role)
{
	int nr = seccomp_syscall_resolve_name(c->name);
	struct scmp_arg_cmp arg;
	uint32_t action = SCMP_ACT_ALLOW;
	unsigned int n = 1;
	size_t i;
	int ret = 0;

	if (nr == __NR_SCMP_ERROR)
		return pr_err("sandbox: unknown system call %s", c->name);
	/* Not a system call of this architecture (open, poll on arm64). */
	if (nr < 0)
		return 0;
	memset(&arg, 0, sizeof(arg));
	switch (c->cond) {
	case C_NONE:
		n = 0;
		break;
	case C_NO_EXEC:
		arg = cmp(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0);
		break;
	case C_THREAD:
		arg = cmp(0, SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD);
		break;
	case C_NNP:
		arg = cmp(0, SCMP_CMP_EQ, PR_SET_NO_NEW_PRIVS, 0);
		break;
	case C_ENOSYS:
		action = SCMP_ACT_ERRNO(ENOSYS);
		n = 0;
		break;
	case C_SELF:
		arg = cmp(0, SCMP_CMP_EQ, (uint64_t)getpid(), 0);
		break;
	case C_RDONLY:
		arg = cmp(strcmp(c->name, "open") ? 2 : 1, SCMP_CMP_MASKED_EQ,
			  O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND, O_RDONLY);
		break;
	case C_INET:
		arg = cmp(0, SCMP_CMP_EQ, AF_INET, 0);
		break;
	case C_PEERCRED:
		arg = cmp(2, SCMP_CMP_EQ, SO_PEERCRED, 0);
		break;
	}
	if (strcmp(c->name, "ioctl")) {
		ret = seccomp_rule_add_array(ctx, action, nr, n, &arg);
		goto out;
	}
	/* ioctl: one rule per request number (rules on a call are ORed). */
	for (i = 0; i < ARRAY_SIZE(ioctls) && !ret; i++) {
		if (!ioctl_in(i, role, opts))
			continue;
		/* Compare 32 bits: request numbers are ints to the kernel. */
		arg = cmp(1, SCMP_CMP_MASKED_EQ, 0xffffffffULL,
			  ioctls[i].req & 0xffffffffULL);
		ret = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1, &arg);
	}
out:
	if (ret < 0)
		return pr_err("sandbox: cannot add %s to the filter: %s",
			      c->name, strerror(-ret));
	return 0;
}

int sandbox_check_kernel(void)
{
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL)
		return pr_err("sandbox: this kernel has no seccomp (CONFIG_SECCOMP_FILTER); run with --sandbox=off to go without the sandbox");
	return 0;
}

void *sandbox_build_filter(enum sandbox_role role,
			   const struct sandbox_opts *opts, uint32_t arch)
{
	scmp_filter_ctx ctx;
	size_t i;
	int ret = 0;

	/* The whole process dies: a half-killed VMM could corrupt the guest. */
	ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!ctx) {
		/*
		 * libseccomp refuses when the kernel has no seccomp filters
		 * (the emulated CCA stack's host: no CONFIG_SECCOMP); say so,
		 * and how to run anyway, rather than run unconfined.
		 */
		if (!sandbox_check_kernel())
			pr_err("sandbox: cannot create a seccomp filter (--sandbox=off goes without it)");
		return NULL;
	}
	if (arch && arch != seccomp_arch_native()) {
		ret = seccomp_arch_add(ctx, arch);
		if (!ret)
			ret = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
		if (ret)
			pr_err("sandbox: no filter for architecture 0x%x: %s",
			       arch, strerror(-ret));
	}
	for (i = 0; i < ARRAY_SIZE(calls) && !ret; i++) {
		if (!call_in(i, role, opts))
			continue;
		ret = add_call(ctx, &calls[i], opts, role);
	}
	if (ret) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

/* ---- process and thread state ---- */

static bool configured;
static bool entered;
static struct sandbox_opts run_opts;

void sandbox_configure_opts(const struct sandbox_opts *opts)
{
	run_opts = *opts;
	configured = true;
}

void sandbox_configure(const struct config *cfg)
{
	struct sandbox_opts o = {
		.realm = cfg->realm,
		.reboot = !cfg->no_reboot,
		.p9 = cfg->nr_p9 > 0,
		/* launches always open one (vmm/cmd_run.c) */
		.control = true,
	};
	unsigned int i;

	for (i = 0; i < cfg->nr_nets; i++)
		if (cfg->nets[i].mode == NET_MODE_USER)
			o.slirp = true;
		else
			o.taps = true;	/* mode=none entries are dropped */

	if (cfg->sandbox)
		sandbox_configure_opts(&o);
}

bool sandbox_enabled(void)
{
	return configured;
}

static int capset_thread(uint64_t keep)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,	/* this thread only */
	};
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	data[0].effective = data[0].permitted = (uint32_t)keep;
	data[1].effective = data[1].permitted = (uint32_t)(keep >> 32);
	if (syscall(SYS_capset, &hdr, data) < 0)
		return pr_err("sandbox: cannot drop capabilities: %s",
			      strerror(errno));
	return 0;
}

static uint64_t permitted_caps(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) < 0)
		return 0;
	return data[0].permitted | (uint64_t)data[1].permitted << 32;
}

/*
 * What the main thread keeps: nothing, unless a guest reset sets the VM
 * up again, which opens the user's files (which root may only reach
 * through DAC_OVERRIDE) and re-creates tap devices (NET_ADMIN).
 */
static uint64_t main_caps(void)
{
	uint64_t keep = 0;

	if (run_opts.reboot) {
		keep |= 1ULL << CAP_DAC_OVERRIDE | 1ULL << CAP_DAC_READ_SEARCH;
		if (run_opts.taps)
			keep |= 1ULL << CAP_NET_ADMIN;
	}
	return keep & permitted_caps();
}

static int drop_process_caps(uint64_t keep)
{
	uint64_t have = permitted_caps();
	int cap;

	/* Without CAP_SETPCAP there is nothing in the bounding set to use. */
	if (have & 1ULL << CAP_SETPCAP) {
		for (cap = 0; cap < 64; cap++) {
			if (keep & 1ULL << cap)
				continue;
			if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
				/* EINVAL: past CAP_LAST_CAP */
				if (errno == EINVAL)
					break;
				return pr_err("sandbox: cannot drop capability %d: %s",
					      cap, strerror(errno));
			}
		}
	}
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	return capset_thread(keep);
}

static int load(enum sandbox_role role)
{
	scmp_filter_ctx ctx = sandbox_build_filter(role, &run_opts, 0);
	int ret;

	if (!ctx)
		return -1;
	ret = seccomp_load(ctx);
	seccomp_release(ctx);
	if (ret)
		return pr_err("sandbox: cannot install the seccomp filter: %s (--sandbox=off runs without one)",
			      strerror(-ret));
	return 0;
}

int sandbox_enter_process(void)
{
	if (!configured || entered)
		return 0;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return pr_err("sandbox: cannot set NO_NEW_PRIVS: %s",
			      strerror(errno));
	if (drop_process_caps(main_caps()) || load(SANDBOX_MAIN))
		return -1;
	entered = true;
	return 0;
}

/*
 * Termination signals sent to the process go to the main thread, whose
 * filter covers what their handler does; a vCPU or device thread blocks
 * them.  (Fault signals cannot be redirected: see calls[].)
 */
static void block_async_signals(void)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaddset(&set, sigs[i]);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int sandbox_enter_thread(enum sandbox_role role)
{
	if (!configured)
		return 0;
	block_async_signals();
	if (capset_thread(0))
		return -1;
	return load(role);
}

/* What sandbox_thread_create() hands its thread, on the creator's stack. */
struct sandboxed_start {
	enum sandbox_role role;
	void *(*fn)(void *);
	void *arg;
	sem_t ready;
	int ret;
};

static void *sandboxed_thread(void *p)
{
	struct sandboxed_start *s = p;
	void *(*fn)(void *) = s->fn;
	void *arg = s->arg;
	int ret = sandbox_enter_thread(s->role);

	/* After the post, s is gone: the creator returns. */
	s->ret = ret;
	sem_post(&s->ready);
	return ret ? NULL : fn(arg);
}

int sandbox_thread_create(pthread_t *thread, enum sandbox_role role,
			  void *(*fn)(void *), void *arg)
{
	struct sandboxed_start s = {
		.role = role, .fn = fn, .arg = arg, .ret = -1,
	};
	int err;

	sem_init(&s.ready, 0, 0);
	err = pthread_create(thread, NULL, sandboxed_thread, &s);
	if (err) {
		sem_destroy(&s.ready);
		return err;
	}
	while (sem_wait(&s.ready) < 0 && errno == EINTR)
		;
	sem_destroy(&s.ready);
	if (s.ret) {
		pthread_join(*thread, NULL);
		return -1;
	}
	return 0;
}
