/*
 * The run-time sandbox, as Firecracker and crosvm do it: once the VM is
 * set up (KVM, taps and files open), realmvm sets NO_NEW_PRIVS, drops the
 * capabilities it no longer needs and installs seccomp-bpf filters
 * (libseccomp), one per kind of thread.  A call outside a thread's filter
 * kills the whole process with SIGSYS.  docs/hardening.md lists every
 * allowed call and why.
 */
#ifndef REALMVM_SANDBOX_H
#define REALMVM_SANDBOX_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct config;

/*
 * The kinds of thread.  Filters stack: a vCPU thread is started by the
 * main thread and so runs under both filters, a device thread (virtio-net
 * receive) is started from a vCPU thread and runs under all three.  Each
 * list is therefore a subset of the one before it.
 */
enum sandbox_role {
	SANDBOX_MAIN,	/* console input, a reboot's set-up, teardown */
	SANDBOX_VCPU,	/* KVM_RUN, MMIO and the device models it drives */
	SANDBOX_DEVICE,	/* a device's own thread: virtio-net receive */
	/*
	 * Threads started during set-up, before the main filter, so each
	 * runs under its own filter only (on a reboot the main thread starts
	 * the libslirp thread again: its calls are then in the main filter).
	 */
	SANDBOX_SLIRP,	/* --network mode=user: the libslirp stack */
	SANDBOX_CONTROL,	/* the control socket: list and stop */
	SANDBOX_NR_ROLES,
};

/* What the filters must allow for this run. */
struct sandbox_opts {
	bool realm;	/* realm exits: memory attributes, PSCI, SEA */
	bool reboot;	/* a guest reset sets the VM up again */
	bool taps;	/* ...and re-creates tap devices */
	bool p9;	/* --9p: file system calls on vCPU threads */
	bool slirp;	/* --network mode=user: a libslirp thread */
	bool control;	/* a control socket (every launch) */
};

/*
 * Called by `realmvm run` before a launch (before the control socket's
 * thread starts, which sandboxes itself at once): remember whether (and for
 * what) to sandbox.  Without it (unit tests, --sandbox=off) the calls
 * below do nothing.
 */
void sandbox_configure(const struct config *cfg);
/*
 * Whether this kernel can filter system calls at all; if not, one line
 * naming --sandbox=off and -1, so a launch stops before the VM exists.
 */
int sandbox_check_kernel(void);
/* Configure directly (tests and the probe): on, with these options. */
void sandbox_configure_opts(const struct sandbox_opts *opts);
bool sandbox_enabled(void);

/*
 * On the main thread, after set-up and before any vCPU thread starts:
 * NO_NEW_PRIVS, drop capabilities, install the main filter.  Once per
 * process; a reboot's second call does nothing.  0 or -1 after an error.
 */
int sandbox_enter_process(void);

/*
 * At the start of a vCPU or device thread, before it touches the guest:
 * drop every capability of this thread and stack the role's filter.
 */
int sandbox_enter_thread(enum sandbox_role role);

/*
 * pthread_create() for a thread that must never serve anything outside
 * its sandbox (the control socket, libslirp): the new thread enters
 * role's sandbox, then runs fn(arg).  Returns once it has entered: 0;
 * pthread_create()'s error number, with nothing printed, when there is no
 * thread; or -1, after sandbox_enter_thread()'s error line, when it could
 * not be sandboxed (the thread joined, fn never run).
 */
int sandbox_thread_create(pthread_t *thread, enum sandbox_role role,
			  void *(*fn)(void *), void *arg);

/*
 * The filter of role as a libseccomp context (scmp_filter_ctx) for arch
 * (an SCMP_ARCH_* value; 0: native), for tests and the probe; NULL after
 * an error.  Free it with seccomp_release().
 */
void *sandbox_build_filter(enum sandbox_role role,
			   const struct sandbox_opts *opts, uint32_t arch);

/* Name the syscalls (then ioctls) role allows, for docs and tests. */
void sandbox_list(enum sandbox_role role, const struct sandbox_opts *opts,
		  void (*fn)(const char *kind, const char *name, void *arg),
		  void *arg);

#endif
