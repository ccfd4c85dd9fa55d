/*
 * realm_launch(): find the host's CCA series, let the matching backend
 * build the realm from the prepared boot (the same plan the dry run
 * measured), then run one thread per vCPU while the main thread feeds
 * console input, through the same vmm/run_loop.c as vm_launch().  The
 * realm part of each exit is realm_handle_exit(); devices are the same
 * models.
 */
#include <errno.h>
#include <string.h>

#include "arm64/gic.h"
#include "realm/backend.h"
#include "realm/kvm_cca_uapi.h"
#include "realm/realm_exit.h"
#include "vmm/boot.h"
#include "vmm/launch.h"
#include "vmm/mmio.h"
#include "vmm/run.h"
#include "vmm/run_loop.h"
#include "vmm/util.h"

/* One KVM_RUN on the vCPU's thread; false when the thread must end. */
static bool run_vcpu(struct run_loop *rl, unsigned int id)
{
	struct realm_vm *rv = rl->opaque;
	int ret = kvm_ioctl(rv->ops, rv->vcpu_fd[id], KVM_RUN, 0);

	switch (realm_after_run(rv, id, ret, ret < 0 ? errno : 0,
				rv->run[id])) {
	case REALM_EXIT_CONTINUE:
		return true;
	case REALM_EXIT_POWEROFF:
		run_loop_stop(rl, 0, false);
		break;
	case REALM_EXIT_RESET:
		run_loop_stop(rl, 0, true);
		break;
	case REALM_EXIT_ERROR:
		run_loop_stop(rl, EXIT_RUNTIME, false);
		break;
	}
	return false;
}

static struct kvm_run *run_page(struct run_loop *rl, unsigned int id)
{
	struct realm_vm *rv = rl->opaque;

	return rv->run[id];
}

static const struct run_loop_ops realm_loop_ops = {
	.vcpu_name = "realm vCPU",
	.run_vcpu = run_vcpu,
	.run_page = run_page,
};

/*
 * Which series this KVM implements.  --host narrows the probe to that
 * profile's numbers; otherwise the newest number KVM answers wins and
 * must match the profile the plan was built for.
 */
static int open_host(struct realm_vm *rv, const struct boot *b)
{
	const struct realm_config *rc = &b->realm;
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
	if (cca_probe(rv->ops, rv->kvm_fd, rc->host_set, rc->host,
		      &rv->host))
		return -1;
	pr_info("realm host: %s (%s)", cca_series_name(rv->host.series),
		rv->host.name);
	return 0;
}

static int run_once(struct boot *b, const void *arg, bool *reset)
{
	const struct kvm_ops *ops = arg;
	/* large: MAX_VCPUS entries each */
	static struct realm_vm rv;
	static struct run_loop rl;
	unsigned int i;
	int status = EXIT_RUNTIME;

	memset(&rv, 0, sizeof(rv));
	rv.ops = ops;
	rv.kvm_fd = rv.vm_fd = rv.gmem_fd = -1;
	rv.gic_fd = rv.its_fd = -1;
	for (i = 0; i < MAX_VCPUS; i++)
		rv.vcpu_fd[i] = -1;
	*reset = false;
	if (run_loop_init(&rl, &realm_loop_ops, &rv)) {
		run_loop_destroy(&rl);
		return EXIT_RUNTIME;
	}
	mmio_reset_warnings();

	if (open_host(&rv, b))
		goto out;
	run_trace("realm host probed");
	if (realm_vm_prepare(&rv, b))
		goto out;
	run_trace("realm populated");
	if (realm_vm_map_runs(&rv))
		goto out;
	gic_attach_irq_lines(rv.vm_fd);
	status = run_loop_run(&rl, rv.nr_vcpus, reset);
out:
	gic_attach_irq_lines(-1);
	realm_vm_destroy(&rv);
	if (rv.kvm_fd >= 0)
		rv.ops->close(rv.ops->ctx, rv.kvm_fd);
	run_loop_destroy(&rl);
	return status;
}

int realm_launch(struct boot *b)
{
	return realm_launch_ops(b, &kvm_ops_real);
}

/*
 * A realm cannot be reset in place: a reboot is a new realm from the same
 * files, with a new plan - and so the same RIM.
 */
int realm_launch_ops(struct boot *b, const struct kvm_ops *ops)
{
	run_trace("realm launch");
	return run_loop_launch(b, run_once, ops);
}
