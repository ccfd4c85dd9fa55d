/*
 * realm_launch(): find the host's CCA series, let the matching backend
 * build the realm from the prepared boot (the same plan the dry run
 * measured), then run one thread per vCPU while the main thread feeds
 * console input, as vm_launch() does for normal VMs.  The realm part of
 * each exit is realm_handle_exit(); devices are the same models.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "arm64/gic.h"
#include "devices/device.h"
#include "devices/uart_8250.h"
#include "devices/virtio_console.h"
#include "realm/backend.h"
#include "realm/kvm_cca_uapi.h"
#include "realm/realm_exit.h"
#include "vmm/boot.h"
#include "vmm/launch.h"
#include "vmm/mmio.h"
#include "vmm/run.h"
#include "vmm/term.h"
#include "vmm/util.h"

struct realm_run {
	struct realm_vm rv;
	pthread_t threads[MAX_VCPUS];
	unsigned int started;
	int stop_pipe[2];
	atomic_bool stopping;
	int status;
	bool reset;
	pthread_mutex_t lock;
};

struct vcpu_arg {
	struct realm_run *rr;
	unsigned int id;
};

/* The first caller decides the status (as in vmm/run.c). */
static void stop_run(struct realm_run *rr, int status, bool reset)
{
	bool first = false;

	pthread_mutex_lock(&rr->lock);
	if (!atomic_load(&rr->stopping)) {
		atomic_store(&rr->stopping, true);
		rr->status = status;
		rr->reset = reset;
		first = true;
	}
	pthread_mutex_unlock(&rr->lock);
	if (first && write(rr->stop_pipe[1], "", 1) < 0)
		pr_err("cannot wake the main thread: %s", strerror(errno));
}

static void *vcpu_thread(void *p)
{
	struct vcpu_arg *arg = p;
	struct realm_run *rr = arg->rr;
	struct realm_vm *rv = &rr->rv;
	unsigned int id = arg->id;
	bool traced = false;

	while (!atomic_load(&rr->stopping)) {
		if (id == 0 && !traced) {
			run_trace("first KVM_RUN");
			traced = true;
		}
		int ret = kvm_ioctl(rv->ops, rv->vcpu_fd[id], KVM_RUN, 0);

		switch (realm_after_run(rv, id, ret, ret < 0 ? errno : 0,
					rv->run[id])) {
		case REALM_EXIT_CONTINUE:
			continue;
		case REALM_EXIT_POWEROFF:
			stop_run(rr, 0, false);
			break;
		case REALM_EXIT_RESET:
			stop_run(rr, 0, true);
			break;
		case REALM_EXIT_ERROR:
			stop_run(rr, EXIT_RUNTIME, false);
			break;
		}
		break;
	}
	return NULL;
}

static void kick_handler(int sig)
{
	(void)sig;
}

/* Console bytes to the guest's console device; how many it took. */
static size_t feed_console(const uint8_t *buf, size_t len)
{
	struct device *uart;
	size_t n = len;

	if (!len)
		return 0;
	if (virtio_console_present()) {
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
	mmio_unlock();
	return n;
}

static void main_loop(struct realm_run *rr)
{
	struct term_escape esc = { 0 };
	bool stdin_open = true;
	uint8_t in[256], out[512];
	size_t pend = 0, done = 0;

	while (!atomic_load(&rr->stopping)) {
		struct pollfd pfd[2] = {
			{ .fd = rr->stop_pipe[0], .events = POLLIN },
			{ .fd = stdin_open && !pend ? STDIN_FILENO : -1,
			  .events = POLLIN },
		};
		ssize_t n;
		bool quit = false;

		if (poll(pfd, 2, pend ? 10 : -1) < 0) {
			if (errno == EINTR)
				continue;
			pr_err("poll failed: %s", strerror(errno));
			stop_run(rr, EXIT_RUNTIME, false);
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
			stdin_open = false;
			continue;
		}
		pend = term_filter(&esc, in, (size_t)n, out, &quit);
		done = feed_console(out, pend);
		if (done == pend)
			pend = done = 0;
		if (quit)
			stop_run(rr, 0, false);
	}
}

/*
 * Which series this KVM implements.  --host narrows the probe to that
 * profile's numbers; otherwise the newest number KVM answers wins and
 * must match the profile the plan was built for.
 */
static int open_host(struct realm_vm *rv, const struct boot *b)
{
	const struct config *cfg = b->cfg;
	int limit;

	rv->kvm_fd = rv->ops->open_dev(rv->ops->ctx, "/dev/kvm");
	if (rv->kvm_fd < 0)
		return pr_err("cannot open /dev/kvm: %s (no KVM on this host, so no realms)",
			      strerror(errno));
	limit = kvm_ioctl(rv->ops, rv->kvm_fd, KVM_CHECK_EXTENSION,
			  KVM_CAP_ARM_VM_IPA_SIZE);
	if (limit <= 0)
		return pr_err("this KVM is not an arm64 KVM with KVM_CAP_ARM_VM_IPA_SIZE, so it cannot run realms");
	if ((unsigned int)limit < b->lay.ipa_bits)
		return pr_err("the realm needs %u IPA bits but KVM allows %d",
			      b->lay.ipa_bits, limit);
	if (cca_probe(rv->ops, rv->kvm_fd, cfg->host_set, cfg->host,
		      &rv->host))
		return -1;
	pr_info("realm host: %s (%s)", cca_series_name(rv->host.series),
		rv->host.name);
	return 0;
}

static int run_once(struct boot *b, const struct kvm_ops *ops, bool *reset)
{
	static struct realm_run rr;	/* large: MAX_VCPUS entries */
	struct vcpu_arg args[MAX_VCPUS];
	struct sigaction sa;
	unsigned int i;
	int status = EXIT_RUNTIME;

	memset(&rr, 0, sizeof(rr));
	rr.rv.ops = ops;
	rr.rv.kvm_fd = rr.rv.vm_fd = rr.rv.gmem_fd = -1;
	rr.rv.gic_fd = rr.rv.its_fd = -1;
	for (i = 0; i < MAX_VCPUS; i++)
		rr.rv.vcpu_fd[i] = -1;
	pthread_mutex_init(&rr.lock, NULL);
	*reset = false;
	if (pipe2(rr.stop_pipe, O_CLOEXEC) < 0) {
		pthread_mutex_destroy(&rr.lock);
		return pr_err("pipe: %s", strerror(errno)), EXIT_RUNTIME;
	}
	memset(&sa, 0, sizeof(sa));
	/* no SA_RESTART: the signal makes KVM_RUN return EINTR */
	sa.sa_handler = kick_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	mmio_reset_warnings();

	if (open_host(&rr.rv, b))
		goto out;
	run_trace("realm host probed");
	if (realm_vm_prepare(&rr.rv, b))
		goto out;
	run_trace("realm populated");
	if (realm_vm_map_runs(&rr.rv))
		goto out;
	gic_attach_irq_lines(rr.rv.vm_fd);

	term_init();
	for (i = 0; i < rr.rv.nr_vcpus; i++) {
		args[i].rr = &rr;
		args[i].id = i;
		if (pthread_create(&rr.threads[i], NULL, vcpu_thread,
				   &args[i])) {
			pr_err("cannot start the thread of realm vCPU %u", i);
			stop_run(&rr, EXIT_RUNTIME, false);
			break;
		}
		rr.started++;
	}
	main_loop(&rr);
	for (i = 0; i < rr.started; i++) {
		rr.rv.run[i]->immediate_exit = 1;
		pthread_kill(rr.threads[i], SIGUSR2);
	}
	for (i = 0; i < rr.started; i++)
		pthread_join(rr.threads[i], NULL);
	status = rr.status;
	*reset = rr.reset;
out:
	term_restore();
	gic_attach_irq_lines(-1);
	realm_vm_destroy(&rr.rv);
	if (rr.rv.kvm_fd >= 0)
		rr.rv.ops->close(rr.rv.ops->ctx, rr.rv.kvm_fd);
	close(rr.stop_pipe[0]);
	close(rr.stop_pipe[1]);
	pthread_mutex_destroy(&rr.lock);
	return status;
}

/*
 * A realm cannot be reset in place: a reboot is a new realm from the same
 * files, with a new plan - and so the same RIM.
 */
static int reboot_prepare(struct boot *b)
{
	const struct config *cfg = b->cfg;
	struct host_caps caps = b->caps;
	unsigned int gic_version = b->gic_version;

	boot_release(b);
	device_reset_registry();
	return boot_prepare(cfg, &caps, gic_version, b);
}

int realm_launch(struct boot *b)
{
	return realm_launch_ops(b, &kvm_ops_real);
}

int realm_launch_ops(struct boot *b, const struct kvm_ops *ops)
{
	bool reset;
	int status;

	run_trace("realm launch");
	for (;;) {
		status = run_once(b, ops, &reset);
		if (!reset)
			return status;
		if (b->cfg->no_reboot)
			return RUN_EXIT_RESET;
		if (reboot_prepare(b))
			return EXIT_RUNTIME;
	}
}
