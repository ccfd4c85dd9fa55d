/*
 * Host terminal handling for the guest console.  A guest console wants
 * every key, Ctrl-C included, so the terminal goes raw while the VM runs;
 * because a terminal left raw is unusable, the saved mode is restored from
 * vmm/cleanup.c, at exit and on every signal that would end the process.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "vmm/cleanup.h"
#include "vmm/term.h"

static struct termios saved_tio;
static volatile sig_atomic_t tio_saved;

void term_restore(void)
{
	if (tio_saved) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
		tio_saved = 0;
	}
}

void term_init(void)
{
	struct termios tio;

	cleanup_add(term_restore);
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
