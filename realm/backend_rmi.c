/*
 * Backend for the implicit host series (v12, v13, v14): the VMM only
 * populates.  KVM creates the realm descriptor at the first populate and
 * makes the RECs, sets RIPAS and activates inside the first KVM_RUN, so
 * the plan's CREATE, RIPAS, REC and ACTIVATE ops are marked by_kvm and
 * issue nothing - except that each REC's PC and x0..x7 are what KVM will
 * read from the vCPU, so they are set here from the plan.
 */
#include <errno.h>
#include <string.h>

#include "realm/backend.h"
#include "realm/kvm_cca_uapi.h"
#include "realm/plan.h"
#include "vmm/boot.h"
#include "vmm/util.h"

/* kvm_gmem_populate() wants the range private before it copies. */
static int make_private(struct realm_vm *rv, uint64_t ipa, uint64_t size)
{
	struct rvm_memory_attributes attr;

	memset(&attr, 0, sizeof(attr));
	attr.address = ipa;
	attr.size = size;
	attr.attributes = RVM_MEMORY_ATTRIBUTE_PRIVATE;
	if (kvm_ioctl_ptr(rv->ops, rv->vm_fd, RVM_SET_MEMORY_ATTRIBUTES,
			  &attr) < 0)
		return pr_err("cannot make %#llx+%#llx private: %s",
			      (unsigned long long)ipa,
			      (unsigned long long)size, strerror(errno));
	return 0;
}

/*
 * One plan DATA op: KVM may do part of the range per call.  v12 returns
 * the bytes it did; v13/v14 advance base/size/source_uaddr in place.
 * Either way the call is repeated until the whole range is done, and a
 * call that makes no progress is an error rather than a spin.
 */
static int populate(struct realm_vm *rv, const struct plan_op *op)
{
	bool v12 = rv->host.series == CCA_V12;
	unsigned long req = v12 ? RVM_RMI_POPULATE_V12 : RVM_RMI_POPULATE_V13;
	struct rvm_rmi_populate args;
	uint8_t *src;
	uint64_t before;
	int ret;

	src = gm_ptr(&rv->b->gm, op->data.ipa, op->data.size);
	if (!src || !op->data.size || !IS_ALIGNED(op->data.ipa, GRANULE_SIZE) ||
	    !IS_ALIGNED(op->data.size, GRANULE_SIZE))
		return pr_err("the realm plan's populate range %#llx+%#llx is not granule-aligned RAM",
			      (unsigned long long)op->data.ipa,
			      (unsigned long long)op->data.size);
	if (make_private(rv, op->data.ipa, op->data.size))
		return -1;
	memset(&args, 0, sizeof(args));
	args.base = op->data.ipa;
	args.size = op->data.size;
	args.source_uaddr = (uint64_t)(uintptr_t)src;
	args.flags = op->data.measure ? RVM_RMI_POPULATE_MEASURE : 0;
	while (args.size) {
		before = args.size;
		ret = kvm_ioctl_ptr(rv->ops, rv->vm_fd, req, &args);
		if (ret < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (ret < 0)
			return pr_err("populating %s at %#llx (%llu bytes) failed: %s",
				      blob_kind_name(op->data.blob),
				      (unsigned long long)args.base,
				      (unsigned long long)args.size,
				      strerror(errno));
		if (v12) {
			if (ret == 0 || (uint64_t)ret > args.size ||
			    !IS_ALIGNED((uint64_t)ret, GRANULE_SIZE))
				return pr_err("KVM_ARM_RMI_POPULATE returned %d for %llu bytes",
					      ret,
					      (unsigned long long)args.size);
			args.base += (uint64_t)ret;
			args.size -= (uint64_t)ret;
			args.source_uaddr += (uint64_t)ret;
		} else if (args.size >= before ||
			   args.base - op->data.ipa !=
			   op->data.size - args.size ||
			   args.source_uaddr - (uint64_t)(uintptr_t)src !=
			   op->data.size - args.size) {
			return pr_err("KVM_ARM_RMI_POPULATE made no consistent progress at %#llx",
				      (unsigned long long)args.base);
		}
	}
	return 0;
}

static int run_op(struct realm_vm *rv, const struct plan_op *op)
{
	if (op->kind == PLAN_DATA) {
		if (op->by_kvm)
			return pr_err("the realm plan leaves a populate to KVM");
		return populate(rv, op);
	}
	if (!op->by_kvm)
		return pr_err("the realm plan asks the VMM for a step that %s does inside KVM_RUN",
			      cca_series_name(rv->host.series));
	if (op->kind == PLAN_REC)
		return rv_set_rec_regs(rv, op->rec.vcpu, op->rec.pc,
				       op->rec.gprs);
	return 0;
}

int realm_backend_rmi(struct realm_vm *rv)
{
	const struct plan *plan = &rv->b->plan;
	size_t i;

	if (!plan->nr_ops)
		return pr_err("the realm plan is empty");
	if (rv_check_plan_recs(rv) ||
	    rv_create_vm(rv, cca_vm_type(rv->host.series, rv->ipa_bits)) ||
	    rv_create_gic(rv) || rv_gmem_memslot(rv) ||
	    rv_create_vcpus(rv) || rv_init_gic(rv))
		return -1;
	for (i = 0; i < plan->nr_ops; i++)
		if (run_op(rv, &plan->ops[i]))
			return -1;
	return 0;
}
