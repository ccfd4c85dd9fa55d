/*
 * Realm exit handling at the KVM ioctl boundary (no CCA hardware here):
 * hand-made kvm_run exits go through realm_handle_exit() with a recording
 * fake KVM behind it, and the tests check what reaches KVM - memory
 * attribute changes only inside RAM, MMIO through the unprotected alias
 * reaching the device, an external abort for unhandled MMIO, and PSCI
 * completion only on the series that have it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arm64/layout.h"
#include "devices/device.h"
#include "realm/backend.h"
#include "realm/kvm_cca_uapi.h"
#include "realm/plan.h"
#include "realm/realm_exit.h"
#include "kvm_recorder.h"

struct ctx {
	struct realm_fixture f;
	struct realm_vm rv;
	struct kvm_run run;
	size_t mark;		/* calls made by the launch itself */
};

static struct ctx C;

static void start(unsigned int cap, enum host_abi abi)
{
	struct realm_params p;

	memset(&p, 0, sizeof(p));
	p.s2sz = 33;
	p.num_bps = 1;
	p.num_wps = 1;
	realm_fixture_init(&C.f, abi, 2, &p);
	C.f.rec.caps[C.f.rec.nr_caps++] = cap;
	C.f.rec.dfr0 = (1ULL << 12) | (1ULL << 20);
	C.f.rec.rmi_advance = cap != 247;
	memset(&C.rv, 0, sizeof(C.rv));
	C.rv.ops = &C.f.rec.ops;
	C.rv.kvm_fd = C.rv.ops->open_dev(C.rv.ops->ctx, "/dev/kvm");
	assert_int_equal(cca_probe(C.rv.ops, C.rv.kvm_fd, false, 0,
				   &C.rv.host), 0);
	assert_int_equal(realm_vm_prepare(&C.rv, &C.f.b), 0);
	C.mark = C.f.rec.nr_calls;
	memset(&C.run, 0, sizeof(C.run));
}

static void finish(void)
{
	realm_vm_destroy(&C.rv);
	realm_fixture_free(&C.f);
	device_reset_registry();
}

static enum realm_exit memory_fault(uint64_t flags, uint64_t gpa,
				    uint64_t size)
{
	struct rvm_memory_fault mf = { flags, gpa, size };

	C.run.exit_reason = RVM_EXIT_MEMORY_FAULT;
	memcpy(&C.run.mmio, &mf, sizeof(mf));
	return realm_handle_exit(&C.rv, 0, &C.run);
}

static void test_fault_converts(void **state)
{
	const struct rec_call *c;
	const struct rvm_memory_attributes *a;

	(void)state;
	start(249, HOST_CCA_V14);
	assert_int_equal(memory_fault(1ULL << 3, RAM_BASE + 0x200000, 0x1000),
			 REALM_EXIT_CONTINUE);
	/* the shared alias (bit 32 of a 33-bit IPA) names the same page */
	assert_int_equal(memory_fault(0, (RAM_BASE + 0x300000) | (1ULL << 32),
				      0x2000), REALM_EXIT_CONTINUE);
	assert_int_equal(C.f.rec.nr_calls, C.mark + 2);
	c = recorder_call(&C.f.rec, C.mark);
	assert_int_equal(c->req, RVM_SET_MEMORY_ATTRIBUTES);
	assert_int_equal(c->fd, C.rv.vm_fd);
	a = (const void *)c->data;
	assert_int_equal(a->address, RAM_BASE + 0x200000);
	assert_int_equal(a->size, 0x1000);
	assert_int_equal(a->attributes, 1ULL << 3);
	a = (const void *)recorder_call(&C.f.rec, C.mark + 1)->data;
	assert_int_equal(a->address, RAM_BASE + 0x300000);
	assert_int_equal(a->size, 0x2000);
	assert_int_equal(a->attributes, 0);
	finish();
}

/* A hostile guest cannot get attributes changed outside its RAM. */
static void test_fault_outside_ram(void **state)
{
	(void)state;
	start(249, HOST_CCA_V14);
	assert_int_equal(memory_fault(1ULL << 3, RAM_BASE - 0x1000, 0x1000),
			 REALM_EXIT_ERROR);
	assert_int_equal(memory_fault(0, RAM_BASE + (64ULL << 20) - 0x1000,
				      0x2000), REALM_EXIT_ERROR);
	assert_int_equal(memory_fault(0, 0xfffffffffffff000ULL, 0x2000),
			 REALM_EXIT_ERROR);
	assert_int_equal(memory_fault(0, RAM_BASE + 0x10, 0x1000),
			 REALM_EXIT_ERROR);
	assert_int_equal(memory_fault(0, RAM_BASE, 0), REALM_EXIT_ERROR);
	assert_int_equal(C.f.rec.nr_calls, C.mark);
	finish();
}

/* KVM reports a memory fault with KVM_RUN returning -1/EFAULT. */
static void test_fault_from_failed_run(void **state)
{
	struct rvm_memory_fault mf = { 1ULL << 3, RAM_BASE + 0x400000, 0x1000 };

	(void)state;
	start(249, HOST_CCA_V14);
	C.run.exit_reason = RVM_EXIT_MEMORY_FAULT;
	memcpy(&C.run.mmio, &mf, sizeof(mf));
	assert_int_equal(realm_after_run(&C.rv, 0, -1, 14 /* EFAULT */,
					 &C.run), REALM_EXIT_CONTINUE);
	assert_int_equal(C.f.rec.nr_calls, C.mark + 1);
	assert_int_equal(recorder_call(&C.f.rec, C.mark)->req,
			 RVM_SET_MEMORY_ATTRIBUTES);
	/* EINTR: run again, nothing reaches KVM */
	assert_int_equal(realm_after_run(&C.rv, 0, -1, 4 /* EINTR */, &C.run),
			 REALM_EXIT_CONTINUE);
	/* EFAULT without a memory-fault exit is a real failure */
	C.run.exit_reason = KVM_EXIT_MMIO;
	assert_int_equal(realm_after_run(&C.rv, 0, -1, 14, &C.run),
			 REALM_EXIT_ERROR);
	assert_int_equal(C.f.rec.nr_calls, C.mark + 1);
	finish();
}

static uint64_t seen_offset;
static unsigned int seen_len;

static void fake_mmio(struct device *dev, uint64_t offset, uint8_t *data,
		      unsigned int len, bool is_write)
{
	(void)dev;
	(void)is_write;
	seen_offset = offset;
	seen_len = len;
	data[0] = 0x5a;
}

/* The shared alias (top IPA bit set) reaches the same device model. */
static void test_mmio_alias(void **state)
{
	static struct device dev = {
		.name = "fake", .base = UART_BASE, .size = UART_SIZE,
		.mmio = fake_mmio,
	};

	(void)state;
	start(249, HOST_CCA_V14);
	device_reset_registry();
	device_register(&dev);
	C.run.exit_reason = KVM_EXIT_MMIO;
	C.run.mmio.phys_addr = (UART_BASE + 5) | (1ULL << 32); /* 33 bits */
	C.run.mmio.len = 1;
	C.run.mmio.is_write = 0;
	assert_int_equal(realm_handle_exit(&C.rv, 1, &C.run),
			 REALM_EXIT_CONTINUE);
	assert_int_equal(seen_offset, 5);
	assert_int_equal(seen_len, 1);
	assert_int_equal(C.run.mmio.data[0], 0x5a);
	assert_int_equal(C.f.rec.nr_calls, C.mark);
	finish();
}

/* Nothing there: the vCPU gets a synchronous external abort. */
static void test_mmio_unhandled_sea(void **state)
{
	const struct rec_call *c;
	const struct rvm_vcpu_events *ev;

	(void)state;
	start(249, HOST_CCA_V14);
	device_reset_registry();
	C.run.exit_reason = KVM_EXIT_MMIO;
	C.run.mmio.phys_addr = 0x0c000000;
	C.run.mmio.len = 4;
	assert_int_equal(realm_handle_exit(&C.rv, 1, &C.run),
			 REALM_EXIT_CONTINUE);
	assert_int_equal(C.f.rec.nr_calls, C.mark + 1);
	c = recorder_call(&C.f.rec, C.mark);
	assert_int_equal(c->req, RVM_SET_VCPU_EVENTS);
	assert_int_equal(c->fd, C.rv.vcpu_fd[1]);
	ev = (const void *)c->data;
	assert_int_equal(ev->exception.ext_dabt_pending, 1);
	assert_int_equal(ev->exception.serror_pending, 0);
	finish();
}

/* v12 completes CPU_ON for userspace with ioctl 0xd6. */
static void test_psci_complete_v12(void **state)
{
	const struct rec_call *c;
	const struct rvm_psci_complete *pc;

	(void)state;
	start(247, HOST_CCA_V12);
	C.run.exit_reason = KVM_EXIT_HYPERCALL;
	C.run.hypercall.nr = 0xc4000003;	/* PSCI CPU_ON (SMC64) */
	assert_int_equal(realm_handle_exit(&C.rv, 0, &C.run),
			 REALM_EXIT_CONTINUE);
	assert_int_equal(C.f.rec.nr_calls, C.mark + 2);
	c = recorder_call(&C.f.rec, C.mark);
	assert_int_equal(c->req, KVM_GET_ONE_REG);	/* x1: target */
	c = recorder_call(&C.f.rec, C.mark + 1);
	/* _IOW(0xae, 0xd6, 24 bytes) */
	assert_int_equal(c->req, 0x4018aed6UL);
	assert_int_equal(c->fd, C.rv.vcpu_fd[0]);
	pc = (const void *)c->data;
	assert_int_equal(pc->target_mpidr, 0);	/* the fake x1 */
	assert_int_equal(pc->psci_status, 0);	/* vCPU 0 exists */
	finish();
}

/* v14 has no completion ioctl: such an exit is an error, not a hang. */
static void test_psci_v14_error(void **state)
{
	(void)state;
	start(249, HOST_CCA_V14);
	C.run.exit_reason = KVM_EXIT_HYPERCALL;
	C.run.hypercall.nr = 0xc4000003;
	assert_int_equal(realm_handle_exit(&C.rv, 0, &C.run),
			 REALM_EXIT_ERROR);
	assert_int_equal(C.f.rec.nr_calls, C.mark);
	finish();
}

static void test_system_events(void **state)
{
	(void)state;
	start(249, HOST_CCA_V14);
	C.run.exit_reason = KVM_EXIT_SYSTEM_EVENT;
	C.run.system_event.type = KVM_SYSTEM_EVENT_SHUTDOWN;
	assert_int_equal(realm_handle_exit(&C.rv, 0, &C.run),
			 REALM_EXIT_POWEROFF);
	C.run.system_event.type = KVM_SYSTEM_EVENT_RESET;
	assert_int_equal(realm_handle_exit(&C.rv, 0, &C.run),
			 REALM_EXIT_RESET);
	C.run.exit_reason = 12345;
	assert_int_equal(realm_handle_exit(&C.rv, 0, &C.run),
			 REALM_EXIT_ERROR);
	finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fault_converts),
		cmocka_unit_test(test_fault_outside_ram),
		cmocka_unit_test(test_fault_from_failed_run),
		cmocka_unit_test(test_mmio_alias),
		cmocka_unit_test(test_mmio_unhandled_sea),
		cmocka_unit_test(test_psci_complete_v12),
		cmocka_unit_test(test_psci_v14_error),
		cmocka_unit_test(test_system_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
