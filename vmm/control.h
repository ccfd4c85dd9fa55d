/*
 * The per-VM control socket behind `realmvm list` and `realmvm stop NAME`,
 * as lkvm has them.  A launched VM listens on DIR/NAME.sock, where DIR is
 * $XDG_RUNTIME_DIR/realmvm when that is set and ours, else /run/realmvm
 * as root and /tmp/realmvm-UID for other users (and for root without a
 * /run).  DIR is 0700, the socket 0600, and the
 * server also checks SO_PEERCRED, so only the VM's owner reaches it.
 *
 * Protocol: one request line, one reply line, then the server closes.
 *   "info\n" -> "ok pid=PID name=NAME type=vm|realm\n"
 *   "stop\n" -> "ok stopping\n", and the VM ends as on a power-off
 */
#ifndef REALMVM_CONTROL_H
#define REALMVM_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "vmm/config.h"

#define CONTROL_SUFFIX		".sock"
#define CONTROL_PATH_MAX	108	/* sizeof(sun_path) */

struct run_loop;

/* vmm/control_dir.c: names and places. */

/*
 * A VM name: 1..VM_NAME_MAX-1 of [A-Za-z0-9._-], not starting with '.'
 * or '-'.  Prints the error, calling the name what ("--name").
 */
int control_name_check(const char *what, const char *name);
/* lkvm's default, "guest-PID", into buf. */
void control_default_name(char *buf, size_t len);
/*
 * The control directory into buf.  With create, make it if missing;
 * either way check that it is a directory (not a symlink) owned by us
 * with mode 0700.  Returns 0, 1 if it does not exist (and !create), or
 * -1 with the error printed.
 */
int control_dir(char *buf, size_t len, bool create);
/* DIR/NAME.sock into buf; -1 (printed) if it does not fit. */
int control_path(const char *dir, const char *name, char *buf, size_t len);

/* vmm/control.c: the server inside a running VM. */

/*
 * Create the socket for name and serve it on a thread of its own until
 * control_close().  A live VM of the same name is an error; a socket
 * left by a killed one is replaced.  The socket is removed at exit and on
 * fatal signals too.
 */
int control_open(const char *name, bool realm);
void control_close(void);
/*
 * The run loop a stop request ends (NULL between runs).  A stop that
 * arrives between runs ends the next one as soon as it is attached.
 */
void control_attach(struct run_loop *rl);

/* vmm/cmd_vms.c: the client side. */

/*
 * Send one request to the VM at path and read the reply line into reply
 * (without the newline).  Returns 0, 1 if nothing listens there (no
 * socket, or one a killed VM left), or -1 with errno set.  Prints nothing:
 * `list` skips what does not answer.
 */
int control_request(const char *path, const char *req, char *reply,
		    size_t len);

#endif
