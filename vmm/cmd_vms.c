/*
 * `realmvm list` and `realmvm stop NAME`: the client side of the control
 * sockets in vmm/control.c.  Both only look in the caller's own control
 * directory, so a user sees and stops only their own VMs.
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "vmm/commands.h"
#include "vmm/control.h"
#include "vmm/util.h"

#define REPLY_MAX	160
#define REPLY_TIMEOUT_MS	2000
#define STOP_WAIT_MS	10000

static int reply_line(int fd, char *reply, size_t len)
{
	size_t got = 0;

	while (got < len - 1) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, REPLY_TIMEOUT_MS) <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		n = read(fd, reply + got, len - 1 - got);
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
		reply[got] = '\0';
		if (strchr(reply, '\n')) {
			*strchr(reply, '\n') = '\0';
			return 0;
		}
	}
	errno = EPROTO;		/* no full line: not our server */
	return -1;
}

int control_request(const char *path, const char *req, char *reply,
		    size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char line[16];
	int fd, ret;

	if (strlen(path) >= sizeof(sa.sun_path) ||
	    (size_t)snprintf(line, sizeof(line), "%s\n", req) >= sizeof(line)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = errno == ECONNREFUSED || errno == ENOENT ? 1 : -1;
		close(fd);
		return ret;
	}
	ret = send(fd, line, strlen(line), MSG_NOSIGNAL) < 0 ? -1 :
	      reply_line(fd, reply, len);
	close(fd);
	return ret;
}

/* "ok pid=1 name=x type=vm" -> its fields; -1 if it is not that. */
static int parse_info(char *reply, const char **pid, const char **name,
		      const char **type)
{
	char *save, *tok;

	*pid = *name = *type = NULL;
	tok = strtok_r(reply, " ", &save);
	if (!tok || strcmp(tok, "ok"))
		return -1;
	while ((tok = strtok_r(NULL, " ", &save))) {
		if (!strncmp(tok, "pid=", 4))
			*pid = tok + 4;
		else if (!strncmp(tok, "name=", 5))
			*name = tok + 5;
		else if (!strncmp(tok, "type=", 5))
			*type = tok + 5;
	}
	return *pid && *name && *type ? 0 : -1;
}

static void usage_list(FILE *out)
{
	fputs("usage: realmvm list\n"
	      "\n"
	      "List this user's running VMs (PID, name, vm or realm), from the\n"
	      "control sockets in $XDG_RUNTIME_DIR/realmvm (without it:\n"
	      "/run/realmvm as root, /tmp/realmvm-UID otherwise).\n",
	      out);
}

static void usage_stop(FILE *out)
{
	fputs("usage: realmvm stop NAME\n"
	      "\n"
	      "Stop this user's running VM NAME (see realmvm list) as if it had\n"
	      "powered off, and wait until it has exited.\n",
	      out);
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

/* A directory entry that names a control socket: NAME.sock. */
static bool socket_entry(const char *d_name, char *name, size_t len)
{
	size_t n = strlen(d_name), s = strlen(CONTROL_SUFFIX);

	if (n <= s || strcmp(d_name + n - s, CONTROL_SUFFIX) ||
	    n - s >= len)
		return false;
	memcpy(name, d_name, n - s);
	name[n - s] = '\0';
	return true;
}

int cmd_list(int argc, char **argv)
{
	char dir[CONTROL_PATH_MAX], path[CONTROL_PATH_MAX];
	char name[VM_NAME_MAX], reply[REPLY_MAX];
	const char *pid, *vname, *type;
	struct dirent *de;
	DIR *d;
	int ret;

	if (argc == 2 && is_help(argv[1])) {
		usage_list(stdout);
		return 0;
	}
	if (argc > 1) {
		pr_err("list: unexpected argument '%s' (see realmvm list --help)",
		       argv[1]);
		return EXIT_USAGE;
	}
	ret = control_dir(dir, sizeof(dir), false);
	if (ret < 0)
		return EXIT_RUNTIME;
	printf("%7s %-24s %-6s %s\n", "PID", "NAME", "TYPE", "STATE");
	if (ret == 1)
		return 0;	/* no directory: nothing ever ran */
	d = opendir(dir);
	if (!d) {
		pr_err("cannot read %s: %s", dir, strerror(errno));
		return EXIT_RUNTIME;
	}
	while ((de = readdir(d))) {
		if (!socket_entry(de->d_name, name, sizeof(name)) ||
		    control_path(dir, name, path, sizeof(path)))
			continue;
		/* Stale sockets and non-answers are not running VMs. */
		if (control_request(path, "info", reply, sizeof(reply)) ||
		    parse_info(reply, &pid, &vname, &type))
			continue;
		printf("%7s %-24s %-6s %s\n", pid, vname, type, "running");
	}
	closedir(d);
	return fflush(stdout) ? EXIT_RUNTIME : 0;
}

/* Wait until the VM has removed its socket (it does so as it exits). */
static int wait_gone(const char *path, const char *name)
{
	struct timespec ts = { .tv_nsec = 20 * 1000 * 1000 };
	char reply[REPLY_MAX];
	unsigned int waited;

	for (waited = 0; waited < STOP_WAIT_MS; waited += 20) {
		if (access(path, F_OK) < 0 ||
		    control_request(path, "info", reply, sizeof(reply)) == 1)
			return 0;
		nanosleep(&ts, NULL);
	}
	return pr_err("VM '%s' did not stop within %u s", name,
		      STOP_WAIT_MS / 1000);
}

int cmd_stop(int argc, char **argv)
{
	char dir[CONTROL_PATH_MAX], path[CONTROL_PATH_MAX];
	char reply[REPLY_MAX];
	const char *name;
	int ret;

	if (argc == 2 && is_help(argv[1])) {
		usage_stop(stdout);
		return 0;
	}
	if (argc != 2) {
		pr_err("stop: give exactly one VM NAME (see realmvm list)");
		return EXIT_USAGE;
	}
	name = argv[1];
	if (control_name_check("VM name", name))
		return EXIT_USAGE;
	ret = control_dir(dir, sizeof(dir), false);
	if (ret < 0 || control_path(dir, name, path, sizeof(path)))
		return EXIT_RUNTIME;
	if (ret == 0)
		ret = control_request(path, "stop", reply, sizeof(reply));
	if (ret == 1)
		pr_err("no VM named '%s' is running (see realmvm list)", name);
	else if (ret < 0)
		pr_err("VM '%s': %s", name, strerror(errno));
	else if (strcmp(reply, "ok stopping"))
		pr_err("VM '%s' refused to stop: %s", name, reply);
	else if (!wait_gone(path, name))
		return 0;
	return EXIT_RUNTIME;
}
