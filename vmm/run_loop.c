/*
 * The running phase shared by normal VMs and realms: one thread per vCPU
 * runs KVM_RUN through the caller's ops, the main thread feeds console
 * input until something calls run_loop_stop(), then the vCPU threads are
 * kicked out of KVM_RUN and joined.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "devices/device.h"
#include "vmm/boot.h"
#include "devices/uart_8250.h"
#include "devices/virtio_console.h"
#include "vmm/mmio.h"
#include "vmm/control.h"
#include "vmm/run.h"
#include "vmm/run_loop.h"
#include "vmm/sandbox.h"
#include "vmm/term.h"
#include "vmm/util.h"

/* The kick signal only has to interrupt KVM_RUN; nothing to do here. */
static void kick_handler(int sig)
{
	(void)sig;
}

int run_loop_init(struct run_loop *rl, const struct run_loop_ops *ops,
		  void *opaque)
{
	struct sigaction sa;

	memset(rl, 0, sizeof(*rl));
	rl->ops = ops;
	rl->opaque = opaque;
	rl->stop_pipe[0] = rl->stop_pipe[1] = -1;
	pthread_mutex_init(&rl->lock, NULL);
	if (pipe2(rl->stop_pipe, O_CLOEXEC) < 0)
		return pr_err("pipe: %s", strerror(errno));
	/* From here `realmvm stop` can end this run. */
	control_attach(rl);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kick_handler;	/* no SA_RESTART: KVM_RUN -> EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	return 0;
}

void run_loop_stop(struct run_loop *rl, int status, bool reset)
{
	bool first = false;

	pthread_mutex_lock(&rl->lock);
	if (!atomic_load(&rl->stopping)) {
		atomic_store(&rl->stopping, true);
		rl->status = status;
		rl->reset = reset;
		first = true;
	}
	pthread_mutex_unlock(&rl->lock);
	if (first && write(rl->stop_pipe[1], "", 1) < 0)
		pr_err("cannot wake the main thread: %s", strerror(errno));
}

static void *vcpu_thread(void *p)
{
	struct run_loop_arg *arg = p;
	struct run_loop *rl = arg->rl;
	bool traced = false;

	/* Before the first KVM_RUN: the guest has had no say yet. */
	if (sandbox_enter_thread(SANDBOX_VCPU)) {
		run_loop_stop(rl, EXIT_RUNTIME, false);
		return NULL;
	}
	while (!run_loop_stopping(rl)) {
		if (arg->id == 0 && !traced) {
			run_trace("first KVM_RUN");
			traced = true;
		}
		if (!rl->ops->run_vcpu(rl, arg->id))
			break;
	}
	return NULL;
}

/*
 * Hand console bytes to the guest's console device; returns how many it
 * took.  A full receive buffer takes nothing, and the caller keeps the
 * rest for later rather than dropping typed or pasted input.
 */
static size_t feed_console(const uint8_t *buf, size_t len)
{
	struct device *uart;
	size_t n = len;

	if (!len)
		return 0;
	if (virtio_console_present()) {
		/* It queues 4 KiB itself, under its own lock. */
		virtio_console_input(buf, len);
		return len;
	}
	mmio_lock();
	uart = uart_8250_get();
	if (uart) {
		n = MIN(len, uart_8250_rx_room(uart));
		if (n)
			uart_8250_input(uart, buf, n);
	}
	/* No console device that takes input: drop it. */
	mmio_unlock();
	return n;
}

/* Main thread: console input until a vCPU (or Ctrl-A x) ends the run. */
static void console_loop(struct run_loop *rl)
{
	struct term_escape esc = { 0 };
	bool stdin_open = true;
	uint8_t in[256], out[512];
	size_t pend = 0, done = 0;

	while (!run_loop_stopping(rl)) {
		struct pollfd pfd[2] = {
			{ .fd = rl->stop_pipe[0], .events = POLLIN },
			{ .fd = stdin_open && !pend ? STDIN_FILENO : -1,
			  .events = POLLIN },
		};
		ssize_t n;
		bool quit = false;

		/* Input held back: retry every 10 ms as the guest reads. */
		if (poll(pfd, 2, pend ? 10 : -1) < 0) {
			if (errno == EINTR)
				continue;
			pr_err("poll failed: %s", strerror(errno));
			run_loop_stop(rl, EXIT_RUNTIME, false);
			break;
		}
		if (pfd[0].revents)
			break;
		if (pend) {
			done += feed_console(out + done, pend - done);
			if (done == pend)
				pend = done = 0;
			continue;
		}
		if (!pfd[1].revents)
			continue;
		n = read(STDIN_FILENO, in, sizeof(in));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			/* End of input: the guest keeps running without it. */
			stdin_open = false;
			continue;
		}
		pend = term_filter(&esc, in, (size_t)n, out, &quit);
		done = feed_console(out, pend);
		if (done == pend)
			pend = done = 0;
		if (quit)
			run_loop_stop(rl, 0, false);
	}
}

int run_loop_run(struct run_loop *rl, unsigned int nr_vcpus, bool *reset)
{
	unsigned int i;

	term_init();
	/*
	 * Set-up is over (KVM, taps, files open): the process drops its
	 * rights before the first vCPU thread, which inherits the filter.
	 */
	if (sandbox_enter_process()) {
		term_restore();
		*reset = false;
		return EXIT_RUNTIME;
	}
	for (i = 0; i < nr_vcpus; i++) {
		rl->args[i].rl = rl;
		rl->args[i].id = i;
		if (pthread_create(&rl->threads[i], NULL, vcpu_thread,
				   &rl->args[i])) {
			pr_err("cannot start the thread of %s %u",
			       rl->ops->vcpu_name, i);
			run_loop_stop(rl, EXIT_RUNTIME, false);
			break;
		}
		rl->started++;
	}
	console_loop(rl);

	/*
	 * immediate_exit covers a vCPU between its check of stopping and
	 * KVM_RUN; the signal covers one already inside (or powered off).
	 */
	for (i = 0; i < rl->started; i++) {
		rl->ops->run_page(rl, i)->immediate_exit = 1;
		pthread_kill(rl->threads[i], SIGUSR2);
	}
	for (i = 0; i < rl->started; i++)
		pthread_join(rl->threads[i], NULL);
	term_restore();
	*reset = rl->reset;
	return rl->status;
}

void run_loop_destroy(struct run_loop *rl)
{
	control_attach(NULL);
	if (rl->stop_pipe[0] >= 0)
		close(rl->stop_pipe[0]);
	if (rl->stop_pipe[1] >= 0)
		close(rl->stop_pipe[1]);
	pthread_mutex_destroy(&rl->lock);
}

static int reboot_prepare(struct boot *b)
{
	const struct config *cfg = b->cfg;
	struct realm_config rc = b->realm;
	struct host_caps caps = b->caps;
	unsigned int gic_version = b->gic_version;
	uint8_t rim[RIM_MAX_SIZE];

	boot_release(b);	/* devices closed, registry emptied */
	if (boot_prepare(cfg, &rc, &caps, gic_version, b))
		return -1;
	/* A realm's event log is built with its measurement. */
	return cfg->realm ? boot_measure(b, NULL, NULL, rim) : 0;
}

int run_loop_launch(struct boot *b,
		    int (*run_once)(struct boot *b, const void *arg,
				    bool *reset),
		    const void *arg)
{
	bool reset;
	int status;

	for (;;) {
		status = run_once(b, arg, &reset);
		if (!reset)
			return status;
		if (b->cfg->no_reboot)
			return RUN_EXIT_RESET;
		if (reboot_prepare(b))
			return EXIT_RUNTIME;
	}
}
