/*
 * Where control sockets live and what a VM may be called.  The directory
 * is private to its owner; a directory someone else could write to would
 * let them put a socket in a VM's place, so it is refused, not fixed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmm/control.h"
#include "vmm/util.h"

int control_name_check(const char *what, const char *name)
{
	size_t i, len = strlen(name);

	if (!len || len >= VM_NAME_MAX)
		return pr_err("invalid %s '%s' (1 to %u characters)", what,
			      name, VM_NAME_MAX - 1);
	if (name[0] == '.' || name[0] == '-')
		return pr_err("invalid %s '%s' (it cannot start with '.' or '-')",
			      what, name);
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return pr_err("invalid %s '%s' (letters, digits, '.', '_' and '-' only)",
				      what, name);
	}
	return 0;
}

void control_default_name(char *buf, size_t len)
{
	snprintf(buf, len, "guest-%ld", (long)getpid());
}

/* XDG_RUNTIME_DIR, if it is set and ours (sudo may pass on a user's). */
static const char *runtime_dir(void)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	struct stat st;

	if (!xdg || *xdg != '/' || stat(xdg, &st) < 0 ||
	    !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
		return NULL;
	return xdg;
}

static bool have_run(void)
{
	struct stat st;

	return stat("/run", &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * A minimal root (an initramfs, a container) may have no /run; /tmp then
 * serves root as it serves other users, rather than every launch failing.
 */
static int dir_base(char *buf, size_t len)
{
	const char *xdg = runtime_dir();
	int n;

	if (xdg)
		n = snprintf(buf, len, "%s/realmvm", xdg);
	else if (geteuid() == 0 && have_run())
		n = snprintf(buf, len, "/run/realmvm");
	else
		n = snprintf(buf, len, "/tmp/realmvm-%ld", (long)geteuid());
	if (n < 0 || (size_t)n >= len)
		return pr_err("control directory name too long (XDG_RUNTIME_DIR=%s)",
			      xdg);
	return 0;
}

int control_dir(char *buf, size_t len, bool create)
{
	struct stat st;

	if (dir_base(buf, len))
		return -1;
	if (create && mkdir(buf, 0700) < 0 && errno != EEXIST)
		return pr_err("cannot create the control directory %s: %s",
			      buf, strerror(errno));
	if (lstat(buf, &st) < 0) {
		if (errno == ENOENT && !create)
			return 1;
		return pr_err("control directory %s: %s", buf,
			      strerror(errno));
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 07777) != 0700)
		return pr_err("control directory %s is not a private directory of ours (mode 0700, owner uid %ld); remove it",
			      buf, (long)geteuid());
	return 0;
}

int control_path(const char *dir, const char *name, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s%s", dir, name, CONTROL_SUFFIX);

	if (n < 0 || (size_t)n >= len)
		return pr_err("control socket path %s/%s%s is too long (at most %zu bytes)",
			      dir, name, CONTROL_SUFFIX, len - 1);
	return 0;
}
