/*
 * Host terminal handling for the guest console.  A guest console wants
 * every key, Ctrl-C included, so the terminal goes raw while the VM runs;
 * because a terminal left raw is unusable, the saved mode is restored from
 * atexit() and from handlers of every signal that would end the process.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "vmm/term.h"

static struct termios saved_tio;
static volatile sig_atomic_t tio_saved;
static bool hooks_installed;

static const int fatal_signals[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGABRT, SIGSEGV, SIGBUS,
	SIGFPE, SIGILL,
};

void term_restore(void)
{
	if (tio_saved) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
		tio_saved = 0;
	}
}

/* Undo raw mode, then die of the same signal so the exit status says so. */
static void fatal_handler(int sig)
{
	term_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_hooks(void)
{
	struct sigaction sa;
	size_t i;

	if (hooks_installed)
		return;
	hooks_installed = true;
	atexit(term_restore);
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

void term_init(void)
{
	struct termios tio;

	install_hooks();
	if (tio_saved || !isatty(STDIN_FILENO))
		return;
	if (tcgetattr(STDIN_FILENO, &saved_tio) < 0)
		return;
	tio = saved_tio;
	/* Raw input; output processing stays so host-side messages line up. */
	tio.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
			 ICRNL | IXON);
	tio.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	tio.c_cflag &= ~(CSIZE | PARENB);
	tio.c_cflag |= CS8;
	tio.c_cc[VMIN] = 1;
	tio.c_cc[VTIME] = 0;
	tio_saved = 1;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &tio) < 0)
		tio_saved = 0;
}

size_t term_filter(struct term_escape *st, const uint8_t *in, size_t n,
		   uint8_t *out, bool *quit)
{
	size_t i, o = 0;

	*quit = false;
	for (i = 0; i < n; i++) {
		uint8_t c = in[i];

		if (!st->pending) {
			if (c == TERM_ESCAPE_CHAR)
				st->pending = true;
			else
				out[o++] = c;
			continue;
		}
		st->pending = false;
		if (c == 'x' || c == 'X') {
			*quit = true;
			break;
		}
		out[o++] = TERM_ESCAPE_CHAR;
		if (c != TERM_ESCAPE_CHAR)
			out[o++] = c;
	}
	return o;
}
