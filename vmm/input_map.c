/*
 * Read-only mappings of input files (see input_map.h).
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vmm/input_map.h"
#include "vmm/util.h"

static const uint8_t empty_file[1];

static const char sigbus_msg[] =
	"realmvm: an input file was truncated while it was being read\n";

static void input_sigbus(int sig)
{
	(void)sig;
	/* Only verifiers map inputs: nothing has been written yet. */
	if (write(STDERR_FILENO, sigbus_msg, sizeof(sigbus_msg) - 1) < 0)
		_exit(EXIT_RUNTIME);
	_exit(EXIT_RUNTIME);
}

int input_map(const char *path, const char *what, uint64_t max,
	      const uint8_t **data, size_t *len)
{
	struct sigaction sa;
	uint64_t size;
	void *p;
	int fd;

	fd = open_input_file(path, what, max, &size);
	if (fd < 0)
		return -1;
	if (!size) {
		close(fd);
		*data = empty_file;
		*len = 0;
		return 0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = input_sigbus;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return pr_err("%s %s: cannot map it: %s", what, path,
			      strerror(errno));
	*data = p;
	*len = size;
	return 0;
}

void input_unmap(const uint8_t *data, size_t len)
{
	if (data && data != empty_file && len)
		munmap((void *)data, len);
}
