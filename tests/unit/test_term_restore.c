/*
 * Raw mode is undone however realmvm ends: a child process puts a pseudo
 * terminal (its stdin) in raw mode with term_init(), then leaves by
 * exit(), by a fatal signal or by term_restore(); the parent then reads
 * the terminal's mode back.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "vmm/term.h"

enum how { BY_EXIT, BY_SIGTERM, BY_SIGINT, BY_RESTORE };

static bool is_cooked(const struct termios *t)
{
	return (t->c_lflag & ICANON) && (t->c_lflag & ECHO) &&
	       (t->c_lflag & ISIG);
}

/* Returns the child's wait status; *after is the mode it left behind. */
static int run_child(enum how how, struct termios *after)
{
	int master, slave, status;
	struct termios before;
	pid_t pid;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	assert_true(slave >= 0);
	assert_int_equal(tcgetattr(slave, &before), 0);
	assert_true(is_cooked(&before));

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct termios raw;

		dup2(slave, STDIN_FILENO);
		term_init();
		if (tcgetattr(STDIN_FILENO, &raw) || (raw.c_lflag & ICANON) ||
		    (raw.c_lflag & ECHO) || (raw.c_lflag & ISIG))
			_exit(10);	/* never went raw */
		switch (how) {
		case BY_EXIT:
			exit(0);
		case BY_SIGTERM:
			raise(SIGTERM);
			break;
		case BY_SIGINT:
			raise(SIGINT);
			break;
		case BY_RESTORE:
			term_restore();
			if (tcgetattr(STDIN_FILENO, &raw) ||
			    !(raw.c_lflag & ICANON))
				_exit(11);
			_exit(0);	/* skips atexit on purpose */
		}
		_exit(12);		/* the signal did not end us */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(tcgetattr(slave, after), 0);
	close(slave);
	close(master);
	return status;
}

static void restored_at_exit(void **state)
{
	struct termios t;
	int st;

	(void)state;
	st = run_child(BY_EXIT, &t);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_true(is_cooked(&t));
}

static void restored_on_sigterm(void **state)
{
	struct termios t;
	int st;

	(void)state;
	st = run_child(BY_SIGTERM, &t);
	/* Still killed by the signal, so the shell sees 128+15. */
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGTERM);
	assert_true(is_cooked(&t));
}

static void restored_on_sigint(void **state)
{
	struct termios t;
	int st;

	(void)state;
	st = run_child(BY_SIGINT, &t);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGINT);
	assert_true(is_cooked(&t));
}

static void restored_explicitly(void **state)
{
	struct termios t;
	int st;

	(void)state;
	st = run_child(BY_RESTORE, &t);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_true(is_cooked(&t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(restored_at_exit),
		cmocka_unit_test(restored_on_sigterm),
		cmocka_unit_test(restored_on_sigint),
		cmocka_unit_test(restored_explicitly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
