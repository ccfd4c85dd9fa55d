/*
 * vm_launch() for normal VMs: create the VM, the vGIC and one thread per
 * vCPU, then let the main thread feed console input until a vCPU decides
 * the run is over.  Every way a run can end funnels through run_loop_stop()
 * (vmm/run_loop.c, shared with realms), so the exit status, the terminal
 * and the threads are handled in one place.
 *
 * Exit statuses (docs/running.md): 0 power-off or Ctrl-A x; 1 KVM or guest
 * error; RUN_EXIT_RESET (3) for a guest reset under --no-reboot.  Without
 * --no-reboot a reset reloads the payload from the files and boots again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include "arm64/gic.h"
#include "arm64/kvm_vcpu.h"
#include "arm64/kvm_vm.h"
#include "vmm/boot.h"
#include "vmm/launch.h"
#include "vmm/mmio.h"
#include "vmm/run.h"
#include "vmm/run_loop.h"
#include "vmm/util.h"

#ifdef __aarch64__
#include <sys/ioctl.h>
#include <linux/kvm.h>
#endif

/* ---- start-up tracing (REALMVM_TRACE_STARTUP=1) ---- */

static struct timespec start_time;
static bool trace_on;

__attribute__((constructor)) static void trace_start(void)
{
	const char *env = getenv("REALMVM_TRACE_STARTUP");

	clock_gettime(CLOCK_MONOTONIC, &start_time);
	trace_on = env && !strcmp(env, "1");
}

void run_trace(const char *event)
{
	struct timespec now;
	double ms;

	if (!trace_on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - start_time.tv_sec) * 1e3 +
	     (now.tv_nsec - start_time.tv_nsec) / 1e6;
	fprintf(stderr, "realmvm: trace: %.3f ms %s\n", ms, event);
}

/* Memory realmvm itself holds: resident set minus resident guest RAM. */
static void trace_rss(const struct guest_mem *gm)
{
	unsigned long long rss_kb = 0, hwm_kb = 0, guest_kb = 0;
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *vec;
	size_t pages, i;
	char line[256];
	FILE *f;

	if (!trace_on)
		return;
	f = fopen("/proc/self/status", "r");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			sscanf(line, "VmRSS: %llu", &rss_kb);
			sscanf(line, "VmHWM: %llu", &hwm_kb);
		}
		fclose(f);
	}
	/* VmRSS lags by per-thread batches; smaps_rollup walks the tables. */
	f = fopen("/proc/self/smaps_rollup", "r");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "Rss: %llu", &rss_kb) == 1)
				break;
		fclose(f);
	}
	pages = gm->size / page;
	vec = malloc(pages ? pages : 1);
	if (vec && gm->host && mincore(gm->host, gm->size, vec) == 0) {
		for (i = 0; i < pages; i++)
			guest_kb += (vec[i] & 1) * (page / 1024);
	}
	free(vec);
	fprintf(stderr,
		"realmvm: trace: rss %llu KiB (VmHWM %llu), guest RAM resident %llu KiB, realmvm itself %lld KiB\n",
		rss_kb, hwm_kb, guest_kb,
		(long long)rss_kb - (long long)guest_kb);
}

#ifdef __aarch64__

/* ---- one run of the VM ---- */

struct run_ctx {
	struct boot *b;
	struct kvm_vm vm;
	struct gic gic;
	struct kvm_vcpu vcpus[MAX_VCPUS];
	unsigned int nr_vcpus;
	struct run_loop rl;
};

static void handle_system_event(struct run_ctx *ctx, struct kvm_vcpu *vcpu)
{
	switch (vcpu->run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		run_loop_stop(&ctx->rl, 0, false);
		break;
	case KVM_SYSTEM_EVENT_RESET:
		run_loop_stop(&ctx->rl, 0, true);
		break;
	case KVM_SYSTEM_EVENT_CRASH:
		pr_err("guest reported a crash (vCPU %u)", vcpu->id);
		run_loop_stop(&ctx->rl, EXIT_RUNTIME, false);
		break;
	default:
		pr_err("vCPU %u: unexpected system event %u", vcpu->id,
		       vcpu->run->system_event.type);
		run_loop_stop(&ctx->rl, EXIT_RUNTIME, false);
		break;
	}
}

/* Returns false when this vCPU must stop. */
static bool handle_exit(struct run_ctx *ctx, struct kvm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		mmio_dispatch(run->mmio.phys_addr, run->mmio.data,
			      run->mmio.len, run->mmio.is_write);
		return true;
	case KVM_EXIT_INTR:
		return true;
	case KVM_EXIT_SYSTEM_EVENT:
		handle_system_event(ctx, vcpu);
		return false;
	case KVM_EXIT_FAIL_ENTRY:
		pr_err("vCPU %u: KVM could not enter the guest (reason 0x%llx)",
		       vcpu->id, (unsigned long long)
		       run->fail_entry.hardware_entry_failure_reason);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		pr_err("vCPU %u: KVM internal error %u", vcpu->id,
		       run->internal.suberror);
		break;
	case KVM_EXIT_ARM_NISV:
		pr_err("vCPU %u: guest access to 0x%llx cannot be emulated (no syndrome)",
		       vcpu->id, (unsigned long long)run->arm_nisv.fault_ipa);
		break;
	default:
		pr_err("vCPU %u: unexpected KVM exit reason %u", vcpu->id,
		       run->exit_reason);
		break;
	}
	run_loop_stop(&ctx->rl, EXIT_RUNTIME, false);
	return false;
}

/* One KVM_RUN on the vCPU's thread; false when the thread must end. */
static bool run_vcpu(struct run_loop *rl, unsigned int id)
{
	struct run_ctx *ctx = rl->opaque;
	struct kvm_vcpu *vcpu = &ctx->vcpus[id];

	if (ioctl(vcpu->fd, KVM_RUN, 0) < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return true;
		if (errno == ENOSYS)
			pr_err("vCPU %u: guest made an MMIO access KVM cannot decode",
			       vcpu->id);
		else
			pr_err("vCPU %u: KVM_RUN failed: %s", vcpu->id,
			       strerror(errno));
		run_loop_stop(rl, EXIT_RUNTIME, false);
		return false;
	}
	return handle_exit(ctx, vcpu);
}

static struct kvm_run *run_page(struct run_loop *rl, unsigned int id)
{
	struct run_ctx *ctx = rl->opaque;

	return ctx->vcpus[id].run;
}

static const struct run_loop_ops vm_loop_ops = {
	.vcpu_name = "vCPU",
	.run_vcpu = run_vcpu,
	.run_page = run_page,
};

static int setup_vm(struct run_ctx *ctx)
{
	struct boot *b = ctx->b;
	unsigned int i;

	if (kvm_vm_create(&ctx->vm, b))
		return -1;
	run_trace("KVM VM created");
	if (gic_create(&ctx->vm, b->gic_version == 2 ? 2 : 3,
		       ctx->nr_vcpus, &ctx->gic))
		return -1;
	for (i = 0; i < ctx->nr_vcpus; i++) {
		if (kvm_vcpu_create(&ctx->vm, i, &ctx->vcpus[i]) ||
		    kvm_vcpu_init(&ctx->vm, &ctx->vcpus[i], i == 0,
				  b->cfg->pmu))
			return -1;
	}
	if (kvm_vcpu_set_boot_regs(&ctx->vcpus[0], b->lay.entry,
				   b->lay.dtb.ipa))
		return -1;
	if (gic_finalize(&ctx->gic))
		return -1;
	for (i = 0; b->cfg->pmu && i < ctx->nr_vcpus; i++)
		if (kvm_vcpu_pmu_init(&ctx->vcpus[i]))
			return -1;
	gic_attach_irq_lines(ctx->vm.vm_fd);
	return 0;
}

static void teardown_vm(struct run_ctx *ctx)
{
	unsigned int i;

	gic_attach_irq_lines(-1);
	for (i = 0; i < ctx->nr_vcpus; i++)
		if (ctx->vcpus[i].fd >= 0)
			kvm_vcpu_destroy(&ctx->vm, &ctx->vcpus[i]);
	gic_destroy(&ctx->gic);
	kvm_vm_destroy(&ctx->vm);
}

static int run_once(struct boot *b, const void *arg, bool *reset)
{
	static struct run_ctx ctx;	/* large: MAX_VCPUS entries */
	unsigned int i;
	int status = EXIT_RUNTIME;

	(void)arg;
	memset(&ctx, 0, sizeof(ctx));
	ctx.b = b;
	ctx.nr_vcpus = b->cfg->nr_cpus ? b->cfg->nr_cpus : 1;
	ctx.vm.sys_fd = ctx.vm.vm_fd = -1;
	ctx.gic.fd = ctx.gic.its_fd = -1;
	for (i = 0; i < MAX_VCPUS; i++)
		ctx.vcpus[i].fd = -1;
	*reset = false;
	if (ctx.nr_vcpus > MAX_VCPUS)
		return pr_err("too many vCPUs (%u, at most %d)", ctx.nr_vcpus,
			      MAX_VCPUS), EXIT_RUNTIME;
	if (run_loop_init(&ctx.rl, &vm_loop_ops, &ctx)) {
		run_loop_destroy(&ctx.rl);
		return EXIT_RUNTIME;
	}

	mmio_reset_warnings();
	if (setup_vm(&ctx) == 0)
		status = run_loop_run(&ctx.rl, ctx.nr_vcpus, reset);
	trace_rss(&b->gm);
	teardown_vm(&ctx);
	run_loop_destroy(&ctx.rl);
	return status;
}

int vm_launch(struct boot *b)
{
	run_trace("launch");
	return run_loop_launch(b, run_once, NULL);
}

#else /* !__aarch64__ */

int vm_launch(struct boot *b)
{
	(void)b;
	(void)trace_rss;
	kvm_open_dev();		/* prints why a launch cannot work here */
	return EXIT_RUNTIME;
}

#endif
