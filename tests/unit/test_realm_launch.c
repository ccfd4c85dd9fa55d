/*
 * The whole realm launch - host probe, backend, kvm_run mappings, vCPU
 * threads, exit handling - run against the recording fake KVM, because no
 * CCA hardware is available: KVM_RUN answers with a chosen exit, and the
 * tests check the exit status and that no vCPU ran before every plan
 * operation had reached KVM.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "realm/backend.h"
#include "realm/kvm_cca_uapi.h"
#include "realm/plan.h"
#include "vmm/run.h"
#include "vmm/sandbox.h"
#include "vmm/util.h"
#include "kvm_recorder.h"

static void setup(struct realm_fixture *f, enum host_abi abi,
		  unsigned int cap, unsigned int nr_cpus)
{
	struct realm_params p;

	memset(&p, 0, sizeof(p));
	p.s2sz = 33;
	p.num_bps = 1;
	p.num_wps = 1;
	realm_fixture_init(f, abi, nr_cpus, &p);
	f->rec.caps[f->rec.nr_caps++] = cap;
	f->rec.dfr0 = (1ULL << 12) | (1ULL << 20);
	f->rec.rmi_advance = cap != 247;
}

static void test_launch_runs_after_plan(void **state)
{
	struct realm_fixture f;
	size_t i, k, runs = 0, pops = 0, data = 0;
	int vcpu_fd[2], nr_vcpus = 0;
	const struct rec_call *c;

	(void)state;
	setup(&f, HOST_CCA_V14, 249, 2);
	assert_int_equal(realm_launch_ops(&f.b, &f.rec.ops), 0);
	for (k = 0; k < f.b.plan.nr_ops; k++)
		data += f.b.plan.ops[k].kind == PLAN_DATA;
	for (i = 0; (c = recorder_call(&f.rec, i)); i++) {
		if (c->req == KVM_CREATE_VCPU) {
			assert_true(nr_vcpus < 2);
			vcpu_fd[nr_vcpus++] = c->ret;
		}
		if (c->req == KVM_RUN) {
			/* only on a vCPU, and only after every populate */
			assert_true(c->fd == vcpu_fd[0] ||
				    c->fd == vcpu_fd[1]);
			assert_int_equal(pops, data);
			runs++;
			continue;
		}
		/* nothing but KVM_RUN once a vCPU has run */
		assert_int_equal(runs, 0);
		pops += c->req == RVM_RMI_POPULATE_V13;
	}
	assert_int_equal(nr_vcpus, 2);
	assert_true(runs >= 1);
	/* the first call checks that this is an arm64 KVM */
	assert_int_equal(f.rec.calls[0].req, KVM_CHECK_EXTENSION);
	assert_int_equal(f.rec.calls[0].arg, KVM_CAP_ARM_VM_IPA_SIZE);
	realm_fixture_free(&f);
}

static void test_launch_v10(void **state)
{
	struct realm_fixture f;
	size_t i, activate = 0, runs = 0;
	const struct rec_call *c;

	(void)state;
	setup(&f, HOST_CCA_V10, 244, 1);
	assert_int_equal(realm_launch_ops(&f.b, &f.rec.ops), 0);
	for (i = 0; (c = recorder_call(&f.rec, i)); i++) {
		if (c->req == KVM_ENABLE_CAP &&
		    ((const struct kvm_enable_cap *)c->data)->args[0] == 4)
			activate = i;
		if (c->req == KVM_RUN) {
			assert_true(activate && i > activate);
			runs++;
		}
	}
	assert_true(runs >= 1);
	realm_fixture_free(&f);
}

/* An exit nobody handles ends the launch with status 1, not a hang. */
static void test_launch_bad_exit(void **state)
{
	struct realm_fixture f;

	(void)state;
	setup(&f, HOST_CCA_V14, 249, 2);
	f.rec.run_exit_reason = 12345;
	assert_int_equal(realm_launch_ops(&f.b, &f.rec.ops), EXIT_RUNTIME);
	realm_fixture_free(&f);
}

/* --host names a profile whose capability KVM lacks: no VM is made. */
static void test_launch_missing_cap(void **state)
{
	struct realm_fixture f;
	size_t i;

	(void)state;
	setup(&f, HOST_CCA_V14, 244, 1);
	assert_int_equal(realm_launch_ops(&f.b, &f.rec.ops), EXIT_RUNTIME);
	for (i = 0; i < f.rec.nr_calls; i++)
		assert_int_not_equal(f.rec.calls[i].req, KVM_CREATE_VM);
	realm_fixture_free(&f);
}

/* A realm reset under --no-reboot ends with the documented status 3. */
static void test_launch_reset_no_reboot(void **state)
{
	struct realm_fixture f;

	(void)state;
	setup(&f, HOST_CCA_V12, 247, 1);
	f.cfg.no_reboot = true;
	f.rec.run_event_type = KVM_SYSTEM_EVENT_RESET;
	assert_int_equal(realm_launch_ops(&f.b, &f.rec.ops), RUN_EXIT_RESET);
	realm_fixture_free(&f);
}

/*
 * ASan gives each new thread an alternate signal stack (sigaltstack),
 * which realmvm's filters do not allow; the forked child below runs the
 * sandbox, so that runtime feature is off in this binary.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "use_sigaltstack=0";
}

/*
 * The real run loop, vCPU threads and realm exit handling, entered with
 * the sandbox on, as on a CCA host: the launch must complete (the fake
 * KVM makes no system calls, the rest of realmvm does), and the sandbox
 * must then be in force: a socket() kills the process with SIGSYS.  In a
 * child, since a sandbox cannot be left.
 */
static void test_launch_sandboxed(void **state)
{
	struct sandbox_opts o = { .realm = true, .reboot = false };
	struct realm_fixture f;
	int wstatus, p[2];
	char done = 0;
	pid_t pid;

	(void)state;
	setup(&f, HOST_CCA_V14, 249, 2);
	f.cfg.no_reboot = true;
	assert_int_equal(pipe(p), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int st;

		close(p[0]);
		sandbox_configure_opts(&o);
		st = realm_launch_ops(&f.b, &f.rec.ops);
		if (st)
			_exit(10 + st);
		/* The launch ran to its end under the filters... */
		if (write(p[1], "L", 1) != 1)
			_exit(9);
		/* ...which are still in force. */
		socket(AF_INET, SOCK_STREAM, 0);
		_exit(42);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &done, 1), 1);
	close(p[0]);
	assert_int_equal(done, 'L');
	assert_int_equal(waitpid(pid, &wstatus, 0), pid);
	if (WIFEXITED(wstatus))
		fail_msg("child exited %d (10+: launch status; 42: not sandboxed)",
			 WEXITSTATUS(wstatus));
	assert_true(WIFSIGNALED(wstatus));
	assert_int_equal(WTERMSIG(wstatus), SIGSYS);
	realm_fixture_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_launch_runs_after_plan),
		cmocka_unit_test(test_launch_v10),
		cmocka_unit_test(test_launch_bad_exit),
		cmocka_unit_test(test_launch_missing_cap),
		cmocka_unit_test(test_launch_reset_no_reboot),
		cmocka_unit_test(test_launch_sandboxed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
