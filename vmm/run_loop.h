/*
 * The running phase vm_launch() (vmm/run.c) and realm_launch()
 * (realm/launch.c) share: one thread per vCPU, console input on the main
 * thread, and one place, run_loop_stop(), that every way a run can end
 * goes through, so the exit status and the threads are handled once.
 */
#ifndef REALMVM_RUN_LOOP_H
#define REALMVM_RUN_LOOP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "vmm/config.h"

struct kvm_run;
struct run_loop;

/* What differs between a normal VM and a realm. */
struct run_loop_ops {
	const char *vcpu_name;	/* "vCPU" or "realm vCPU", in messages */
	/*
	 * One KVM_RUN of vCPU id and the handling of its exit.  Returns false
	 * when this vCPU's thread must end; whoever decides the run is over
	 * calls run_loop_stop() first.
	 */
	bool (*run_vcpu)(struct run_loop *rl, unsigned int id);
	/* The vCPU's kvm_run page, to set immediate_exit in. */
	struct kvm_run *(*run_page)(struct run_loop *rl, unsigned int id);
};

struct run_loop_arg {
	struct run_loop *rl;
	unsigned int id;
};

struct run_loop {
	const struct run_loop_ops *ops;
	void *opaque;			/* the caller's, for its ops */
	pthread_t threads[MAX_VCPUS];
	struct run_loop_arg args[MAX_VCPUS];
	unsigned int started;
	int stop_pipe[2];
	atomic_bool stopping;
	int status;
	bool reset;
	pthread_mutex_t lock;
};

/*
 * Ready rl (which may be uninitialised) and install the signal that kicks
 * a vCPU out of KVM_RUN.  Returns 0, or -1 with the error printed; either
 * way run_loop_destroy() undoes it.
 */
int run_loop_init(struct run_loop *rl, const struct run_loop_ops *ops,
		  void *opaque);

/*
 * End the run with status, and with reset when the guest asked for one.
 * The first caller decides the status; later ones only add messages.
 */
void run_loop_stop(struct run_loop *rl, int status, bool reset);

static inline bool run_loop_stopping(struct run_loop *rl)
{
	return atomic_load(&rl->stopping);
}

/*
 * Start nr_vcpus threads, feed console input to the guest until the run
 * stops, then stop and join the threads.  Returns the run's exit status
 * and sets *reset when the guest asked for a reset.
 */
int run_loop_run(struct run_loop *rl, unsigned int nr_vcpus, bool *reset);

void run_loop_destroy(struct run_loop *rl);

struct boot;

/*
 * Run a guest until it stops: run_once() builds it, runs it through a
 * run_loop and tears it down, returning the exit status.  A reset the
 * guest asks for reloads the payload from the same files, what a power
 * cycle would load, and runs again; under --no-reboot it ends the launch
 * with RUN_EXIT_RESET instead.
 */
int run_loop_launch(struct boot *b,
		    int (*run_once)(struct boot *b, const void *arg,
				    bool *reset),
		    const void *arg);

#endif
