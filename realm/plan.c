/*
 * Building the realm plan: the ordered RMM-visible operations of one
 * launch under one host profile.  The order per profile and its sources
 * are in docs/rim.md; the RTT split of INIT_RIPAS is in ripas_split.c.
 */
#include <stdlib.h>
#include <string.h>

#include "arm64/layout.h"
#include "realm/plan.h"
#include "realm/ripas_split.h"
#include "vmm/util.h"

uint64_t vcpu_mpidr(unsigned int vcpu)
{
	/* KVM's reset MPIDR, affinity fields only (what DT and RMM use) */
	return (uint64_t)(vcpu & 0xf) | ((uint64_t)((vcpu >> 4) & 0xff) << 8) |
	       ((uint64_t)((vcpu >> 12) & 0xff) << 16);
}

const char *blob_kind_name(enum blob_kind kind)
{
	switch (kind) {
	case BLOB_NONE:
		return "NONE";
	case BLOB_KERNEL:
		return "KERNEL";
	case BLOB_INITRD:
		return "INITRD";
	case BLOB_DTB:
		return "DTB";
	case BLOB_LOG:
		return "LOG";
	case BLOB_FIRMWARE:
		return "FIRMWARE";
	}
	return "UNKNOWN";
}

int plan_push(struct plan *plan, const struct plan_op *op)
{
	if (plan->nr_ops == plan->cap) {
		size_t cap = plan->cap ? plan->cap * 2 : 64;
		struct plan_op *ops = realloc(plan->ops, cap * sizeof(*ops));

		if (!ops)
			return pr_err("out of memory for the realm plan");
		plan->ops = ops;
		plan->cap = cap;
	}
	plan->ops[plan->nr_ops++] = *op;
	return 0;
}

void plan_free(struct plan *plan)
{
	free(plan->ops);
	plan->ops = NULL;
	plan->nr_ops = 0;
	plan->cap = 0;
}

void plan_begin(struct plan *plan, const struct host_profile *prof,
		const struct realm_params *params, bool create_by_kvm)
{
	struct plan_op op = { .kind = PLAN_CREATE, .by_kvm = create_by_kvm };

	memset(plan, 0, sizeof(*plan));
	plan->profile = prof;
	plan->params = *params;
	/* On failure the plan stays empty, which every later step rejects. */
	plan_push(plan, &op);
}

static int plan_started(const struct plan *plan)
{
	if (!plan->nr_ops || plan->ops[0].kind != PLAN_CREATE || !plan->profile)
		return pr_err("plan: no REALM_CREATE to start from");
	return 0;
}

int plan_add_data(struct plan *plan, uint64_t ipa, uint64_t size,
		  bool measure, enum blob_kind blob, uint64_t blob_ipa,
		  uint64_t blob_size)
{
	struct plan_op op = { .kind = PLAN_DATA };
	uint64_t end;
	size_t i;

	if (plan_started(plan))
		return -1;
	if (!size || !IS_ALIGNED(ipa, GRANULE_SIZE) ||
	    !IS_ALIGNED(size, GRANULE_SIZE) || !add_ok(ipa, size, &end))
		return pr_err("%s: populate range 0x%llx+0x%llx is empty or not 4K aligned",
			      blob_kind_name(blob), (unsigned long long)ipa,
			      (unsigned long long)size);
	if (blob_ipa < ipa || blob_size > size ||
	    blob_ipa - ipa > size - blob_size)
		return pr_err("%s: blob 0x%llx+0x%llx lies outside its populate range",
			      blob_kind_name(blob),
			      (unsigned long long)blob_ipa,
			      (unsigned long long)blob_size);
	for (i = 0; i < plan->nr_ops; i++) {
		const struct plan_op *o = &plan->ops[i];

		if (o->kind == PLAN_DATA &&
		    ranges_overlap(ipa, size, o->data.ipa, o->data.size))
			return pr_err("%s at 0x%llx..0x%llx overlaps %s at 0x%llx..0x%llx (4K granules)",
				      blob_kind_name(blob),
				      (unsigned long long)ipa,
				      (unsigned long long)end,
				      blob_kind_name(o->data.blob),
				      (unsigned long long)o->data.ipa,
				      (unsigned long long)(o->data.ipa +
							   o->data.size));
	}
	op.data.ipa = ipa;
	op.data.size = size;
	op.data.measure = measure;
	op.data.blob = blob;
	op.data.blob_ipa = blob_ipa;
	op.data.blob_size = blob_size;
	return plan_push(plan, &op);
}

struct ripas_collect {
	struct plan_op *ops;
	size_t n, cap;
	bool by_kvm;
};

static int ripas_collect_entry(uint64_t base, uint64_t top, void *opaque)
{
	struct ripas_collect *c = opaque;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct plan_op *ops = realloc(c->ops, cap * sizeof(*ops));

		if (!ops)
			return pr_err("out of memory for the realm plan");
		c->ops = ops;
		c->cap = cap;
	}
	memset(&c->ops[c->n], 0, sizeof(c->ops[c->n]));
	c->ops[c->n].kind = PLAN_RIPAS;
	c->ops[c->n].by_kvm = c->by_kvm;
	c->ops[c->n].ripas.base = base;
	c->ops[c->n].ripas.top = top;
	c->n++;
	return 0;
}

int plan_add_ripas(struct plan *plan, uint64_t base, uint64_t top,
		   bool by_kvm)
{
	struct plan_op call = { .kind = PLAN_RIPAS_CALL, .by_kvm = by_kvm };
	struct ripas_collect c = { .by_kvm = by_kvm };
	size_t i;
	int ret = 0;

	if (plan_started(plan))
		return -1;
	if (base >= top || !IS_ALIGNED(base, GRANULE_SIZE) ||
	    !IS_ALIGNED(top, GRANULE_SIZE))
		return pr_err("INIT_RIPAS range 0x%llx..0x%llx is empty or not 4K aligned",
			      (unsigned long long)base,
			      (unsigned long long)top);
	/* The split depends on the RTTs before this call: compute it first. */
	if (plan->profile->ripas_measured)
		ret = ripas_split(plan, base, top, ripas_collect_entry, &c);
	call.ripas.base = base;
	call.ripas.top = top;
	if (!ret)
		ret = plan_push(plan, &call);
	for (i = 0; i < c.n && !ret; i++)
		ret = plan_push(plan, &c.ops[i]);
	free(c.ops);
	return ret;
}

int plan_add_rec(struct plan *plan, unsigned int vcpu, uint64_t mpidr,
		 uint64_t flags, uint64_t pc, const uint64_t gprs[8],
		 bool by_kvm)
{
	struct plan_op op = { .kind = PLAN_REC, .by_kvm = by_kvm };

	if (plan_started(plan))
		return -1;
	op.rec.vcpu = vcpu;
	op.rec.mpidr = mpidr;
	op.rec.flags = flags;
	op.rec.pc = pc;
	memcpy(op.rec.gprs, gprs, sizeof(op.rec.gprs));
	return plan_push(plan, &op);
}

int plan_add_activate(struct plan *plan, bool by_kvm)
{
	struct plan_op op = { .kind = PLAN_ACTIVATE, .by_kvm = by_kvm };

	if (plan_started(plan))
		return -1;
	return plan_push(plan, &op);
}

/* A blob rounded out to whole 4 KiB granules. */
static int add_blob(struct plan *plan, const struct blob_place *b,
		    bool measure, enum blob_kind kind)
{
	uint64_t start, end;

	if (!add_ok(b->ipa, b->size, &end) || end > UINT64_MAX - GRANULE_SIZE)
		return pr_err("%s: 0x%llx+0x%llx wraps", blob_kind_name(kind),
			      (unsigned long long)b->ipa,
			      (unsigned long long)b->size);
	start = ALIGN_DOWN(b->ipa, GRANULE_SIZE);
	end = ALIGN_UP(end, GRANULE_SIZE);
	return plan_add_data(plan, start, end - start, measure, kind, b->ipa,
			     b->size);
}

static int add_images(struct plan *plan, const struct layout *lay)
{
	/* Firmware replaces the kernel: same DATA ops, logged as FIRMWARE. */
	if (lay->firmware.size) {
		if (!lay->dtb.size)
			return pr_err("plan: the layout has no DTB");
		if (add_blob(plan, &lay->firmware, true, BLOB_FIRMWARE))
			return -1;
		return add_blob(plan, &lay->dtb, true, BLOB_DTB);
	}
	if (!lay->kernel.size || !lay->dtb.size)
		return pr_err("plan: the layout has no kernel or no DTB");
	if (add_blob(plan, &lay->kernel, true, BLOB_KERNEL))
		return -1;
	if (lay->initrd.size &&
	    add_blob(plan, &lay->initrd, true, BLOB_INITRD))
		return -1;
	return add_blob(plan, &lay->dtb, true, BLOB_DTB);
}

static int add_log(struct plan *plan, const struct layout *lay)
{
	if (!lay->log.size)
		return 0;
	/* Populated unmeasured: only its IPAs enter the RIM. */
	return add_blob(plan, &lay->log, false, BLOB_LOG);
}

static int add_recs(struct plan *plan, const struct realm_config *cfg,
		    const struct layout *lay, bool by_kvm)
{
	unsigned int i;

	if (!cfg->nr_cpus || cfg->nr_cpus > MAX_VCPUS)
		return pr_err("plan: %u vCPUs is not 1..%d", cfg->nr_cpus,
			      MAX_VCPUS);
	/* vCPU index order; only vcpu 0 is runnable, with the boot state. */
	for (i = 0; i < cfg->nr_cpus; i++) {
		uint64_t gprs[8] = { 0 };
		uint64_t flags = 0, pc = 0;

		if (i == 0) {
			flags = REC_FLAG_RUNNABLE;
			pc = lay->entry;
			gprs[0] = lay->dtb.ipa;
		}
		if (plan_add_rec(plan, i, vcpu_mpidr(i), flags, pc, gprs,
				 by_kvm))
			return -1;
	}
	return 0;
}

int plan_build(const struct realm_config *cfg, const struct layout *lay,
	       const struct host_profile *prof,
	       const struct realm_params *params, struct plan *plan)
{
	uint64_t ram_end;
	bool kvm = !prof->vmm_drives_ripas;
	int ret;

	if (!add_ok(lay->ram_base, lay->ram_size, &ram_end) || !lay->ram_size)
		return pr_err("plan: bad RAM range");
	plan_begin(plan, prof, params, kvm);
	if (prof->vmm_drives_ripas) {
		/* v5..v11: CREATE, RIPAS, images, RECs, log, ACTIVATE */
		ret = plan_add_ripas(plan, lay->ram_base, ram_end, false) ||
		      add_images(plan, lay) ||
		      add_recs(plan, cfg, lay, prof->kvm_creates_recs) ||
		      add_log(plan, lay) ||
		      plan_add_activate(plan, false);
	} else {
		/*
		 * v12+: populates (the first creates the RD), then the first
		 * KVM_RUN does RECs, RIPAS over the one guest_memfd slot (all
		 * RAM) and ACTIVATE.
		 */
		ret = add_images(plan, lay) ||
		      add_log(plan, lay) ||
		      add_recs(plan, cfg, lay, true) ||
		      plan_add_ripas(plan, lay->ram_base, ram_end, true) ||
		      plan_add_activate(plan, true);
	}
	if (ret) {
		plan_free(plan);
		return -1;
	}
	return 0;
}
