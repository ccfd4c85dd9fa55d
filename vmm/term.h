/*
 * The host terminal as the guest's console: raw mode while a VM runs
 * (always undone, whatever way realmvm exits) and the Ctrl-A escape that
 * lets the user leave a guest that ignores everything else.
 */
#ifndef REALMVM_TERM_H
#define REALMVM_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TERM_ESCAPE_CHAR	0x01	/* Ctrl-A */

/*
 * Put stdin in raw mode if it is a terminal, and make sure the saved
 * mode comes back at exit() and on fatal signals.  Safe to call again.
 */
void term_init(void);
/* Restore the terminal now (idempotent, async-signal-safe). */
void term_restore(void);

struct term_escape {
	bool pending;		/* the previous byte was Ctrl-A */
};

/*
 * Run n input bytes through the escape handling: Ctrl-A x asks to quit,
 * Ctrl-A Ctrl-A is one literal Ctrl-A, Ctrl-A followed by anything else
 * passes both bytes through.  Writes at most n + 1 bytes for the guest into
 * out and returns how many; *quit is set (and the rest of in dropped) at
 * Ctrl-A x.
 */
size_t term_filter(struct term_escape *st, const uint8_t *in, size_t n,
		   uint8_t *out, bool *quit);

#endif
