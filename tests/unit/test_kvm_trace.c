/*
 * REALMVM_TRACE_KVM lines: each names the ioctl, what its argument
 * carried and what KVM answered, errors by errno name, so that a trace
 * read off a real host can be set beside docs/host-abi-sequences.md.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "realm/kvm_cca_uapi.h"
#include "realm/kvm_trace.h"
#include "stderr_capture.h"

static void test_lines(void **state)
{
	struct kvm_enable_cap cap = { .cap = 300, .args = { 3 } };
	struct rvm_vcpu_init init = { .features = { 0x114 } };
	int feat = 8;

	(void)state;
	cap_begin();
	kvm_trace(3, KVM_CHECK_EXTENSION, 300, 1, 0);
	kvm_trace(5, KVM_ENABLE_CAP, (unsigned long)&cap, 0, 0);
	kvm_trace(7, RVM_ARM_VCPU_INIT, (unsigned long)&init, -1, ENOENT);
	kvm_trace(7, RVM_ARM_VCPU_FINALIZE, (unsigned long)&feat, 0, 0);
	kvm_trace(7, KVM_RUN, 0, 0, 0);		/* too many to trace */
	cap_end();
	assert_string_equal(errbuf,
		"kvm: fd 3 CHECK_EXTENSION(0xae03) 0x12c -> 1\n"
		"kvm: fd 5 ENABLE_CAP(0x4068aea3) cap 300 action 3 -> 0\n"
		"kvm: fd 7 ARM_VCPU_INIT(0x4020aeae) features 0x114 -> -1 ENOENT\n"
		"kvm: fd 7 ARM_VCPU_FINALIZE(0x4004aec2) feature 8 -> 0\n");
}

static void test_env(void **state)
{
	(void)state;
	/* read once, at the first call: unset here */
	unsetenv("REALMVM_TRACE_KVM");
	assert_false(kvm_trace_on());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
