/*
 * One set of exit and fatal-signal hooks for the whole process, so that
 * restoring the terminal and removing the control socket cannot each
 * install handlers that hide the other's.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/cleanup.h"

#define MAX_CLEANUPS	4

static void (*volatile cleanups[MAX_CLEANUPS])(void);
static volatile sig_atomic_t nr_cleanups;
static int hooks_installed;

static const int fatal_signals[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGABRT, SIGSEGV, SIGBUS,
	SIGFPE, SIGILL,
};

static void run_cleanups(void)
{
	sig_atomic_t i;

	for (i = nr_cleanups; i > 0; i--)
		cleanups[i - 1]();
}

/* Clean up, then die of the same signal so the exit status says so. */
static void fatal_handler(int sig)
{
	run_cleanups();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_hooks(void)
{
	struct sigaction sa;
	size_t i;

	hooks_installed = 1;
	atexit(run_cleanups);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fatal_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++) {
		struct sigaction old;

		/* Keep dispositions someone chose on purpose (e.g. SIG_IGN). */
		if (sigaction(fatal_signals[i], NULL, &old) == 0 &&
		    old.sa_handler != SIG_DFL)
			continue;
		sigaction(fatal_signals[i], &sa, NULL);
	}
}

void cleanup_add(void (*fn)(void))
{
	sig_atomic_t i;

	for (i = 0; i < nr_cleanups; i++)
		if (cleanups[i] == fn)
			return;
	if (!hooks_installed)
		install_hooks();
	if (nr_cleanups >= MAX_CLEANUPS)
		abort();	/* a programming error, not an input */
	cleanups[nr_cleanups] = fn;
	nr_cleanups = nr_cleanups + 1;
}
