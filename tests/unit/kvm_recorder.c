/*
 * The recording fake KVM (see kvm_recorder.h).  It knows just enough of
 * each request to copy its argument and to answer like a CCA host.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "arm64/layout.h"
#include "realm/kvm_cca_uapi.h"
#include "realm/plan.h"
#include "kvm_recorder.h"

static unsigned long rme_caps[] = {
	RVM_CAP_ARM_RME_V5_V7, RVM_CAP_ARM_RME_V8, RVM_CAP_ARM_RME_V9,
	RVM_CAP_ARM_RME_V10,
};

static bool is_rme_cap(uint32_t cap)
{
	size_t i;

	for (i = 0; i < sizeof(rme_caps) / sizeof(rme_caps[0]); i++)
		if (cap == rme_caps[i])
			return true;
	return false;
}

static int fake_open(void *ctx, const char *path)
{
	struct kvm_recorder *r = ctx;

	(void)path;
	r->kvm_fd = r->next_fd++;
	return r->kvm_fd;
}

static void copy_sub(struct rec_call *c, const void *p, size_t len)
{
	if (!p || len > REC_MAX_DATA)
		return;
	memcpy(c->sub, p, len);
	c->sub_len = len;
}

static int fake_ioctl_locked(struct kvm_recorder *r, int fd,
			     unsigned long req, unsigned long arg);

static int fake_ioctl(void *ctx, int fd, unsigned long req, unsigned long arg)
{
	struct kvm_recorder *r = ctx;
	int ret, err;

	pthread_mutex_lock(&r->lock);
	ret = fake_ioctl_locked(r, fd, req, arg);
	err = errno;
	r->calls[r->nr_calls - 1].ret = ret;
	pthread_mutex_unlock(&r->lock);
	errno = err;
	return ret;
}

static int fake_ioctl_locked(struct kvm_recorder *r, int fd,
			     unsigned long req, unsigned long arg)
{
	struct rec_call *c;
	size_t size = _IOC_SIZE(req), i;

	if (r->nr_calls == r->cap_calls) {
		r->cap_calls = r->cap_calls ? 2 * r->cap_calls : 64;
		r->calls = realloc(r->calls, r->cap_calls * sizeof(*c));
		if (!r->calls)
			abort();
	}
	c = &r->calls[r->nr_calls++];
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->req = req;
	c->arg = arg;
	if (_IOC_DIR(req) != _IOC_NONE && size <= REC_MAX_DATA && arg)
		memcpy(c->data, (void *)arg, size);

	if (r->fail_req && req == r->fail_req) {
		errno = r->fail_errno;
		return -1;
	}

	if (req == KVM_CHECK_EXTENSION) {
		if (arg == KVM_CAP_ARM_VM_IPA_SIZE)
			return r->ipa_limit;
		for (i = 0; i < r->nr_caps; i++)
			if (arg == r->caps[i])
				return 1;
		return 0;
	}
	if (req == KVM_CREATE_VM) {
		r->vm_fd = r->next_fd++;
		return r->vm_fd;
	}
	if (req == KVM_CREATE_VCPU || req == RVM_CREATE_GUEST_MEMFD)
		return r->next_fd++;
	if (req == KVM_GET_VCPU_MMAP_SIZE)
		return 4096;
	if (req == KVM_RUN) {
		for (i = 0; i < r->nr_maps; i++) {
			struct kvm_run *run = r->maps[i].run;

			if (r->maps[i].fd != fd)
				continue;
			run->exit_reason = r->run_exit_reason;
			run->system_event.type = r->run_event_type;
			return 0;
		}
		errno = EBADF;
		return -1;
	}
	if (req == KVM_CREATE_DEVICE) {
		struct kvm_create_device *cd = (void *)arg;

		if (cd->type == RVM_DEV_TYPE_ARM_VGIC_ITS) {
			if (r->no_its) {
				errno = ENODEV;
				return -1;
			}
			cd->fd = (uint32_t)(r->its_fd = r->next_fd++);
			return 0;
		}
		cd->fd = (uint32_t)(r->gic_fd = r->next_fd++);
		return 0;
	}
	if (req == RVM_ARM_VCPU_INIT && r->vcpu_max_features &&
	    ((const struct rvm_vcpu_init *)arg)->features[0] >>
	    r->vcpu_max_features) {
		errno = ENOENT;
		return -1;
	}
	if (req == RVM_ARM_PREFERRED_TARGET) {
		struct rvm_vcpu_init *init = (void *)arg;

		memset(init, 0, sizeof(*init));
		init->target = 5;	/* KVM_ARM_TARGET_GENERIC_V8 */
		return 0;
	}
	if (req == KVM_SET_DEVICE_ATTR) {
		const struct kvm_device_attr *da = (void *)arg;
		/* GIC addresses are u64; counts and the PMU irq are 32-bit */
		size_t len = ((fd == r->gic_fd || fd == r->its_fd) &&
			      da->group == RVM_VGIC_GRP_ADDR)
			     ? 8 : 4;

		copy_sub(c, (void *)(uintptr_t)da->addr, len);
		return 0;
	}
	if (req == KVM_GET_ONE_REG || req == KVM_SET_ONE_REG) {
		const struct kvm_one_reg *reg = (void *)arg;
		void *val = (void *)(uintptr_t)reg->addr;
		size_t len = reg->id == RVM_REG_SVE_VLS ? 64 : 8;

		if (req == KVM_SET_ONE_REG) {
			copy_sub(c, val, len);
			return 0;
		}
		if (reg->id == RVM_REG_SVE_VLS)
			memcpy(val, r->sve_vls, 64);
		else if (reg->id == RVM_REG_ID_AA64DFR0_EL1)
			memcpy(val, &r->dfr0, 8);
		else if (reg->id == RVM_REG_PMCR_EL0)
			memcpy(val, &r->pmcr, 8);
		else
			memset(val, 0, 8);
		copy_sub(c, val, len);
		return 0;
	}
	if (req == RVM_ARM_VCPU_FINALIZE) {
		copy_sub(c, (void *)arg, sizeof(int));
		return 0;
	}
	if (req == KVM_ENABLE_CAP) {
		const struct kvm_enable_cap *cap = (void *)arg;
		const void *p = (void *)(uintptr_t)cap->args[1];

		if (!is_rme_cap(cap->cap))
			return 0;
		if (cap->args[0] == RVM_RME_CONFIG_REALM)
			copy_sub(c, p, sizeof(struct rvm_rme_config));
		else if (cap->args[0] == RVM_RME_POPULATE)
			copy_sub(c, p, sizeof(struct rvm_rme_populate));
		else if (cap->args[0] == RVM_RME_INIT_RIPAS)
			copy_sub(c, p, sizeof(struct rvm_rme_init_ripas));
		return 0;
	}
	if (req == RVM_RMI_POPULATE_V12 || req == RVM_RMI_POPULATE_V13) {
		struct rvm_rmi_populate *p = (void *)arg;
		uint64_t n = p->size < r->populate_chunk ? p->size :
			     r->populate_chunk;

		if (!r->rmi_advance)
			return (int)n;
		p->base += n;
		p->size -= n;
		p->source_uaddr += n;
		return 0;
	}
	return 0;
}

static void *fake_mmap(void *ctx, size_t len, int fd)
{
	struct kvm_recorder *r = ctx;
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	pthread_mutex_lock(&r->lock);
	if (p != MAP_FAILED && r->nr_maps < 64) {
		r->maps[r->nr_maps].fd = fd;
		r->maps[r->nr_maps++].run = p;
	}
	pthread_mutex_unlock(&r->lock);
	return p;
}

static int fake_munmap(void *ctx, void *addr, size_t len)
{
	(void)ctx;
	return munmap(addr, len);
}

static int fake_close(void *ctx, int fd)
{
	(void)ctx;
	(void)fd;
	return 0;
}

void recorder_init(struct kvm_recorder *r)
{
	memset(r, 0, sizeof(*r));
	r->ops.open_dev = fake_open;
	r->ops.ioctl = fake_ioctl;
	r->ops.mmap = fake_mmap;
	r->ops.munmap = fake_munmap;
	r->ops.close = fake_close;
	r->ops.ctx = r;
	r->next_fd = 100;
	r->kvm_fd = r->vm_fd = r->gic_fd = r->its_fd = -1;
	r->ipa_limit = 48;
	r->populate_chunk = 1ULL << 40;
	r->run_exit_reason = KVM_EXIT_SYSTEM_EVENT;
	r->run_event_type = KVM_SYSTEM_EVENT_SHUTDOWN;
	pthread_mutex_init(&r->lock, NULL);
}

void recorder_free(struct kvm_recorder *r)
{
	free(r->calls);
	pthread_mutex_destroy(&r->lock);
	r->calls = NULL;
	r->nr_calls = r->cap_calls = 0;
}

const struct rec_call *recorder_call(const struct kvm_recorder *r, size_t n)
{
	return n < r->nr_calls ? &r->calls[n] : NULL;
}

void realm_fixture_init(struct realm_fixture *f, enum host_abi abi,
		  unsigned int nr_cpus, const struct realm_params *params)
{
	struct boot *b = &f->b;

	memset(f, 0, sizeof(*f));
	recorder_init(&f->rec);
	config_init(&f->cfg);
	f->cfg.realm = true;
	f->cfg.ram_size = 64ULL << 20;
	f->cfg.nr_cpus = nr_cpus;
	f->cfg.measurement_log = true;
	b->cfg = &f->cfg;
	assert_int_equal(realm_config_from(&f->cfg, &b->realm), 0);
	b->realm.host = abi;
	b->realm.host_set = true;
	b->profile = host_profile_get(abi);
	b->gic_version = 3;
	b->params = *params;
	/* kernel 0x5123 bytes, 0x9000 with BSS; initrd 0x2345; DTB built */
	assert_int_equal(layout_compute(&f->cfg, 0, 0x5123, 0x9000, 0x2345, 0,
					&b->lay), 0);
	b->lay.dtb.size = 0x7a1;
	assert_int_equal(guest_mem_alloc(&b->gm, b->lay.ram_base,
					 b->lay.ram_size), 0);
	assert_int_equal(plan_build(&b->realm, &b->lay, b->profile, &b->params,
				    &b->plan), 0);
}

void realm_fixture_free(struct realm_fixture *f)
{
	plan_free(&f->b.plan);
	guest_mem_free(&f->b.gm);
	recorder_free(&f->rec);
}

const struct rec_call *kr_expect_call(const struct kvm_recorder *r, size_t *i,
				   int fd, unsigned long req)
{
	const struct rec_call *c = recorder_call(r, *i);

	assert_non_null(c);
	assert_int_equal(c->req, req);
	assert_int_equal(c->fd, fd);
	(*i)++;
	return c;
}

void kr_expect_set_reg(const struct kvm_recorder *r, size_t *i, int fd,
		    uint64_t id, uint64_t val)
{
	const struct rec_call *c = kr_expect_call(r, i, fd, KVM_SET_ONE_REG);
	const struct kvm_one_reg *reg = (const void *)c->data;
	uint64_t got;

	assert_int_equal(reg->id, id);
	assert_int_equal(c->sub_len, 8);
	memcpy(&got, c->sub, 8);
	assert_int_equal(got, val);
}

void kr_expect_rec_regs(const struct kvm_recorder *r, size_t *i, int fd,
			const struct plan_op *op)
{
	unsigned int g;

	/* KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE, x0 + 2g, pc */
	for (g = 0; g < 8; g++)
		kr_expect_set_reg(r, i, fd, 0x6030000000100000ULL | (g * 2),
				  op->rec.gprs[g]);
	kr_expect_set_reg(r, i, fd, 0x6030000000100040ULL, op->rec.pc);
}

void kr_expect_its(const struct kvm_recorder *r, size_t *i)
{
	const struct rec_call *c;
	const struct kvm_device_attr *da;

	c = kr_expect_call(r, i, r->vm_fd, KVM_CREATE_DEVICE);
	assert_int_equal(((const struct kvm_create_device *)c->data)->type, 8);
	if (r->no_its)
		return;
	c = kr_expect_call(r, i, r->its_fd, KVM_SET_DEVICE_ATTR);
	da = (const void *)c->data;
	assert_int_equal(da->group, 0);
	assert_int_equal(da->attr, 4);
	assert_memory_equal(c->sub, &(uint64_t){ 0x08080000 }, 8);
}

size_t check_rmi_sequence(struct realm_fixture *f, const int *vcpu_fd,
			  int gmem_fd, const struct rmi_expect *e)
{
	const struct kvm_recorder *r = &f->rec;
	const struct plan *plan = &f->b.plan;
	const struct rec_call *c;
	size_t i = 0, k, pops = 0;
	unsigned int v;

	for (k = 0; k < e->nr_probes; k++)
		kr_expect_call(r, &i, r->kvm_fd, KVM_CHECK_EXTENSION);
	c = kr_expect_call(r, &i, r->kvm_fd, KVM_CREATE_VM);
	assert_int_equal(c->arg, e->vm_type_bits | f->b.lay.ipa_bits);
	c = kr_expect_call(r, &i, r->vm_fd, KVM_CREATE_DEVICE);
	assert_int_equal(((const struct kvm_create_device *)c->data)->type, 7);
	kr_expect_call(r, &i, r->gic_fd, KVM_SET_DEVICE_ATTR);
	kr_expect_call(r, &i, r->gic_fd, KVM_SET_DEVICE_ATTR);
	kr_expect_its(r, &i);
	kr_expect_call(r, &i, r->vm_fd, RVM_CREATE_GUEST_MEMFD);
	c = kr_expect_call(r, &i, r->vm_fd, RVM_SET_USER_MEMORY_REGION2);
	assert_int_equal(((const struct rvm_memory_region2 *)c->data)->flags,
			 1U << 2);
	assert_int_equal(((const struct rvm_memory_region2 *)c->data)
			 ->guest_memfd, (uint32_t)gmem_fd);
	kr_expect_call(r, &i, r->vm_fd, RVM_ARM_PREFERRED_TARGET);
	for (v = 0; v < f->cfg.nr_cpus; v++) {
		c = kr_expect_call(r, &i, r->vm_fd, KVM_CREATE_VCPU);
		assert_int_equal(c->arg, v);
		c = kr_expect_call(r, &i, vcpu_fd[v], RVM_ARM_VCPU_INIT);
		assert_int_equal(((const struct rvm_vcpu_init *)c->data)
				 ->features[0],
				 e->vcpu_features | (v ? 1U : 0));
		/* SVE_VLS */
		kr_expect_call(r, &i, vcpu_fd[v], KVM_GET_ONE_REG);
		kr_expect_call(r, &i, vcpu_fd[v], KVM_SET_ONE_REG);
		kr_expect_call(r, &i, vcpu_fd[v], RVM_ARM_VCPU_FINALIZE);
		/* ID_AA64DFR0_EL1 */
		kr_expect_call(r, &i, vcpu_fd[v], KVM_GET_ONE_REG);
		if (e->dfr0_set)
			kr_expect_call(r, &i, vcpu_fd[v], KVM_SET_ONE_REG);
		if (e->pmu) {
			kr_expect_call(r, &i, vcpu_fd[v], KVM_GET_ONE_REG);
			kr_expect_call(r, &i, vcpu_fd[v], KVM_SET_ONE_REG);
		}
	}
	kr_expect_call(r, &i, r->gic_fd, KVM_SET_DEVICE_ATTR);
	kr_expect_call(r, &i, r->gic_fd, KVM_SET_DEVICE_ATTR);
	if (r->its_fd >= 0)
		kr_expect_call(r, &i, r->its_fd, KVM_SET_DEVICE_ATTR);
	for (v = 0; e->pmu && v < f->cfg.nr_cpus; v++) {
		kr_expect_call(r, &i, vcpu_fd[v], KVM_SET_DEVICE_ATTR);
		kr_expect_call(r, &i, vcpu_fd[v], KVM_SET_DEVICE_ATTR);
	}
	for (k = 0; k < plan->nr_ops; k++) {
		const struct plan_op *op = &plan->ops[k];
		const struct rvm_memory_attributes *ma;
		const struct rvm_rmi_populate *p;
		uint64_t done = 0, src;

		switch (op->kind) {
		case PLAN_DATA:
			assert_false(op->by_kvm);
			c = kr_expect_call(r, &i, r->vm_fd,
					RVM_SET_MEMORY_ATTRIBUTES);
			ma = (const void *)c->data;
			assert_int_equal(ma->address, op->data.ipa);
			assert_int_equal(ma->size, op->data.size);
			assert_int_equal(ma->attributes, 1ULL << 3);
			assert_int_equal(ma->flags, 0);
			src = (uint64_t)(uintptr_t)f->b.gm.host +
			      (op->data.ipa - f->b.gm.ipa_base);
			/* KVM did populate_chunk bytes per call */
			while (done < op->data.size) {
				c = kr_expect_call(r, &i, r->vm_fd,
						e->populate_req);
				p = (const void *)c->data;
				assert_int_equal(p->base, op->data.ipa + done);
				assert_int_equal(p->size, op->data.size - done);
				assert_int_equal(p->source_uaddr, src + done);
				assert_int_equal(p->flags,
						 op->data.measure ? 1 : 0);
				assert_int_equal(p->reserved, 0);
				done += r->populate_chunk;
				pops++;
			}
			break;
		case PLAN_REC:
			assert_true(op->by_kvm);
			v = op->rec.vcpu;
			kr_expect_rec_regs(r, &i, vcpu_fd[v], op);
			break;
		default:
			/* CREATE, RIPAS and ACTIVATE happen inside KVM */
			assert_true(op->by_kvm);
			break;
		}
	}
	assert_int_equal(i, r->nr_calls);
	return pops;
}
