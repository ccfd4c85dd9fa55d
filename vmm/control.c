/*
 * The control socket server of a running VM: answers `realmvm list` and
 * ends the run on `realmvm stop`.  It runs on a thread of its own so that
 * neither vCPUs nor the console loop wait for a client, and it answers
 * only its owner (SO_PEERCRED), whatever the socket's mode says.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "vmm/cleanup.h"
#include "vmm/control.h"
#include "vmm/run_loop.h"
#include "vmm/sandbox.h"
#include "vmm/util.h"

#define REQ_MAX		64
#define CLIENT_TIMEOUT_MS	1000

static struct {
	char path[CONTROL_PATH_MAX];	/* bound socket, or "" */
	char name[VM_NAME_MAX];
	bool realm;
	int listen_fd;
	int wake[2];			/* control_close() -> thread */
	pthread_t thread;
	bool running;
	pthread_mutex_t lock;		/* rl, stop_pending */
	struct run_loop *rl;
	bool stop_pending;
} ctl = {
	.listen_fd = -1,
	.wake = { -1, -1 },
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

/* At exit and on fatal signals: async-signal-safe. */
static void remove_socket(void)
{
	if (ctl.path[0])
		unlink(ctl.path);
}

void control_attach(struct run_loop *rl)
{
	pthread_mutex_lock(&ctl.lock);
	ctl.rl = rl;
	if (rl && ctl.stop_pending)
		run_loop_stop(rl, 0, false);
	pthread_mutex_unlock(&ctl.lock);
}

static void request_stop(void)
{
	pthread_mutex_lock(&ctl.lock);
	ctl.stop_pending = true;
	if (ctl.rl)
		run_loop_stop(ctl.rl, 0, false);
	pthread_mutex_unlock(&ctl.lock);
}

/* Read one line within the timeout; false if none came. */
static bool read_request(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got < len - 1) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, CLIENT_TIMEOUT_MS) <= 0)
			return false;
		n = read(fd, buf + got, len - 1 - got);
		if (n <= 0)
			return false;
		got += (size_t)n;
		buf[got] = '\0';
		if (strchr(buf, '\n')) {
			*strchr(buf, '\n') = '\0';
			return true;
		}
	}
	return false;
}

static void serve_client(int fd)
{
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	char req[REQ_MAX], reply[REQ_MAX + VM_NAME_MAX];
	ssize_t ignored;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0 ||
	    cred.uid != geteuid())
		return;		/* not the owner: say nothing */
	if (!read_request(fd, req, sizeof(req)))
		return;
	if (!strcmp(req, "info")) {
		snprintf(reply, sizeof(reply), "ok pid=%ld name=%s type=%s\n",
			 (long)getpid(), ctl.name, ctl.realm ? "realm" : "vm");
	} else if (!strcmp(req, "stop")) {
		snprintf(reply, sizeof(reply), "ok stopping\n");
		request_stop();
	} else {
		snprintf(reply, sizeof(reply), "error unknown request\n");
	}
	/* MSG_NOSIGNAL: a client that went away must not kill the VM. */
	ignored = send(fd, reply, strlen(reply), MSG_NOSIGNAL);
	(void)ignored;
}

static void *control_thread(void *arg)
{
	(void)arg;
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = ctl.listen_fd, .events = POLLIN },
			{ .fd = ctl.wake[0], .events = POLLIN },
		};
		int fd;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents)
			break;
		fd = accept4(ctl.listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		serve_client(fd);
		close(fd);
	}
	return NULL;
}

/* Is a VM listening at path?  A refused connection is a stale socket. */
static bool socket_alive(const char *path)
{
	char reply[REQ_MAX + VM_NAME_MAX];

	return control_request(path, "info", reply, sizeof(reply)) != 1;
}

static int bind_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int fd, ret;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return pr_err("control socket: %s", strerror(errno));
	memcpy(sa.sun_path, path, strlen(path) + 1);
	old = umask(0177);	/* 0600 from the start, no window */
	ret = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (ret < 0 || listen(fd, 4) < 0) {
		pr_err("control socket %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int control_open(const char *name, bool realm)
{
	char dir[CONTROL_PATH_MAX];
	char path[CONTROL_PATH_MAX];
	struct stat st;
	int ret;

	if (control_dir(dir, sizeof(dir), true) ||
	    control_path(dir, name, path, sizeof(path)))
		return -1;
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return pr_err("%s exists and is not a socket; remove it",
				      path);
		if (socket_alive(path))
			return pr_err("a VM named '%s' is already running (see realmvm list; choose another --name)",
				      name);
		unlink(path);	/* left by a VM that was killed */
	}
	snprintf(ctl.name, sizeof(ctl.name), "%s", name);
	ctl.realm = realm;
	ctl.stop_pending = false;
	ctl.listen_fd = bind_socket(path);
	if (ctl.listen_fd < 0)
		return -1;
	memcpy(ctl.path, path, sizeof(ctl.path));
	cleanup_add(remove_socket);
	/*
	 * Sandboxed before the first client, whose request is not trusted;
	 * no VM whose control thread runs unsandboxed: fail the launch.
	 */
	ret = pipe2(ctl.wake, O_CLOEXEC) < 0 ? errno :
	      sandbox_thread_create(&ctl.thread, SANDBOX_CONTROL,
				    control_thread, NULL);
	if (ret) {
		if (ret > 0)
			pr_err("control socket %s: cannot start its thread: %s",
			       path, strerror(ret));
		control_close();
		return -1;
	}
	ctl.running = true;
	return 0;
}

void control_close(void)
{
	ssize_t ignored;

	if (ctl.running) {
		ignored = write(ctl.wake[1], "", 1);
		(void)ignored;
		pthread_join(ctl.thread, NULL);
		ctl.running = false;
	}
	remove_socket();
	ctl.path[0] = '\0';
	if (ctl.listen_fd >= 0)
		close(ctl.listen_fd);
	ctl.listen_fd = -1;
	if (ctl.wake[0] >= 0) {
		close(ctl.wake[0]);
		close(ctl.wake[1]);
	}
	ctl.wake[0] = ctl.wake[1] = -1;
	control_attach(NULL);
}
