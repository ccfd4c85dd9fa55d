/*
 * Unit tests for the control socket (vmm/control.c, control_dir.c) and
 * its client commands (vmm/cmd_vms.c), served in this process: modes of
 * the directory and socket, the info reply, `list` output, `stop` ending
 * an attached run loop, a live name refused, a stale socket replaced, the
 * socket removed on close, and the owner-only rule.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "vmm/commands.h"
#include "vmm/control.h"
#include "vmm/run_loop.h"
#include "stderr_capture.h"

static char xdg[] = "/tmp/realmvm-ctl-XXXXXX";
static char dir[256];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(xdg))
		return -1;
	setenv("XDG_RUNTIME_DIR", xdg, 1);
	snprintf(dir, sizeof(dir), "%s/realmvm", xdg);
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", xdg);
	return system(cmd) == 0 ? 0 : -1;
}

static void sock_path(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s.sock", dir, name);
}

/* A socket bound at path; listening or not. */
static int bind_at(const char *path, bool listening)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	strcpy(sa.sun_path, path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	if (listening)
		assert_int_equal(listen(fd, 1), 0);
	return fd;
}

static void test_names(void **state)
{
	char buf[VM_NAME_MAX];
	int ret;

	(void)state;
	assert_int_equal(control_name_check("--name", "guest-1"), 0);
	assert_int_equal(control_name_check("--name", "A.b_c-9"), 0);
	cap_begin();
	ret = control_name_check("--name", "a b");
	cap_end();
	assert_int_equal(ret, -1);
	assert_non_null(strstr(errbuf, "invalid --name 'a b'"));
	cap_begin();
	assert_int_equal(control_name_check("VM name", ""), -1);
	assert_int_equal(control_name_check("VM name", "-x"), -1);
	assert_int_equal(control_name_check("VM name", ".."), -1);
	assert_int_equal(control_name_check("VM name",
		"0123456789012345678901234567890123456789012345678901234567890123"),
		-1);
	cap_end();
	control_default_name(buf, sizeof(buf));
	assert_int_equal(strncmp(buf, "guest-", 6), 0);
	assert_int_equal(atol(buf + 6), (long)getpid());
}

static void test_open_info_close(void **state)
{
	char path[300], reply[160], want[160];
	struct stat st;

	(void)state;
	assert_int_equal(control_open("vm1", true), 0);
	assert_int_equal(lstat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0700);
	sock_path("vm1", path, sizeof(path));
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(control_request(path, "info", reply, sizeof(reply)),
			 0);
	snprintf(want, sizeof(want), "ok pid=%ld name=vm1 type=realm",
		 (long)getpid());
	assert_string_equal(reply, want);
	assert_int_equal(control_request(path, "bogus", reply, sizeof(reply)),
			 0);
	assert_string_equal(reply, "error unknown request");
	control_close();
	/* removed on close; nothing listens */
	assert_int_equal(lstat(path, &st), -1);
	assert_int_equal(control_request(path, "info", reply, sizeof(reply)),
			 1);
}

static void test_live_name_refused_stale_replaced(void **state)
{
	char path[300];
	int fd, ret;

	(void)state;
	assert_int_equal(control_open("first", false), 0);
	control_close();		/* makes the directory */
	sock_path("taken", path, sizeof(path));
	fd = bind_at(path, true);	/* another VM's, alive */
	cap_begin();
	ret = control_open("taken", false);
	cap_end();
	assert_int_equal(ret, -1);
	assert_non_null(strstr(errbuf, "a VM named 'taken' is already running"));
	close(fd);
	unlink(path);

	sock_path("stale", path, sizeof(path));
	close(bind_at(path, false));	/* a killed VM's leftover */
	assert_int_equal(control_open("stale", false), 0);
	control_close();
}

static void test_private_dir_required(void **state)
{
	int ret;

	(void)state;
	assert_int_equal(control_open("x", false), 0);
	control_close();
	assert_int_equal(chmod(dir, 0755), 0);
	cap_begin();
	ret = control_open("x", false);
	cap_end();
	assert_int_equal(ret, -1);
	assert_non_null(strstr(errbuf, "is not a private directory"));
	assert_int_equal(chmod(dir, 0700), 0);
}

static void test_list(void **state)
{
	char path[300], out[4096], pid[32];
	FILE *tmp;
	int saved, ret;
	size_t n;
	char *argv[] = { "list", NULL };

	(void)state;
	assert_int_equal(control_open("listed", false), 0);
	sock_path("dead", path, sizeof(path));
	close(bind_at(path, false));
	tmp = tmpfile();
	assert_non_null(tmp);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fileno(tmp), STDOUT_FILENO);
	ret = cmd_list(1, argv);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, sizeof(out) - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	control_close();
	unlink(path);
	assert_int_equal(ret, 0);
	assert_non_null(strstr(out, "PID"));
	snprintf(pid, sizeof(pid), "%ld listed", (long)getpid());
	assert_non_null(strstr(out, pid));
	assert_non_null(strstr(out, " vm "));
	assert_null(strstr(out, "dead"));
}

static bool fake_run_vcpu(struct run_loop *rl, unsigned int id)
{
	(void)rl;
	(void)id;
	return false;
}

static const struct run_loop_ops fake_ops = {
	.vcpu_name = "test vCPU",
	.run_vcpu = fake_run_vcpu,
};

/* The VM side: once stop has ended the run, exit as a VM would. */
static void *vm_side(void *arg)
{
	struct run_loop *rl = arg;

	while (!run_loop_stopping(rl))
		usleep(1000);
	control_close();
	return NULL;
}

static void test_stop(void **state)
{
	static struct run_loop rl;
	char *argv[] = { "stop", "stopme", NULL };
	pthread_t t;

	(void)state;
	assert_int_equal(control_open("stopme", false), 0);
	assert_int_equal(run_loop_init(&rl, &fake_ops, NULL), 0);
	assert_false(run_loop_stopping(&rl));
	assert_int_equal(pthread_create(&t, NULL, vm_side, &rl), 0);
	assert_int_equal(cmd_stop(2, argv), 0);
	pthread_join(t, NULL);
	assert_true(run_loop_stopping(&rl));
	assert_int_equal(rl.status, 0);		/* as a power-off */
	run_loop_destroy(&rl);
}

static void test_stop_between_runs(void **state)
{
	static struct run_loop rl;
	char path[300], reply[64];

	(void)state;
	/* A stop that comes before the run loop ends it once attached. */
	assert_int_equal(control_open("early", false), 0);
	sock_path("early", path, sizeof(path));
	assert_int_equal(control_request(path, "stop", reply, sizeof(reply)),
			 0);
	assert_string_equal(reply, "ok stopping");
	assert_int_equal(run_loop_init(&rl, &fake_ops, NULL), 0);
	assert_true(run_loop_stopping(&rl));
	run_loop_destroy(&rl);
	control_close();
}

static void test_owner_only(void **state)
{
	char path[300], reply[64];
	pid_t pid;
	int st;

	(void)state;
	if (geteuid() != 0)
		skip();		/* needs another uid to connect from */
	assert_int_equal(control_open("mine", false), 0);
	sock_path("mine", path, sizeof(path));
	/* open the way in, so only SO_PEERCRED stands in between */
	assert_int_equal(chmod(xdg, 0755), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(chmod(path, 0666), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setuid(65534) < 0)
			_exit(3);
		/*
		 * Connected (not EACCES), but closed without an answer: an
		 * end of stream, or a reset or broken pipe as the server
		 * closed without reading the request.
		 */
		_exit(control_request(path, "info", reply, sizeof(reply)) ==
		      -1 && (errno == EPROTO || errno == ECONNRESET ||
			     errno == EPIPE) ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(chmod(dir, 0700), 0);
	control_close();
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/*
 * A VM process that ends without control_close(): by exit(), or killed by
 * a signal.  Either way its socket must be gone, and a signal must still
 * be the process's exit status.
 */
static void end_child(const char *name, int how)
{
	char path[300];
	struct stat st;
	pid_t pid;
	int status;

	sock_path(name, path, sizeof(path));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (control_open(name, false))
			_exit(100);
		if (how)
			raise(how);
		exit(7);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (how) {
		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), how);
	} else {
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 7);
	}
	assert_int_equal(lstat(path, &st), -1);
	assert_int_equal(errno, ENOENT);
}

static void test_removed_on_every_exit(void **state)
{
	(void)state;
	end_child("by-exit", 0);
	end_child("by-term", SIGTERM);
	end_child("by-int", SIGINT);
	end_child("by-hup", SIGHUP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_open_info_close),
		cmocka_unit_test(test_live_name_refused_stale_replaced),
		cmocka_unit_test(test_private_dir_required),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_stop_between_runs),
		cmocka_unit_test(test_owner_only),
		cmocka_unit_test(test_removed_on_every_exit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
