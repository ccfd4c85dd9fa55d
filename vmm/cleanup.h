/*
 * Things that must be undone however the process ends: at exit() and on
 * every signal that would kill it (the terminal mode, the control socket).
 * Registered functions must be async-signal-safe.
 */
#ifndef REALMVM_CLEANUP_H
#define REALMVM_CLEANUP_H

/*
 * Run fn at exit and before dying of a fatal signal.  The first call
 * installs the hooks; signals someone set to other than SIG_DFL (e.g.
 * SIG_IGN) are left alone.  At most a handful of functions.
 */
void cleanup_add(void (*fn)(void));

#endif
