/*
 * Fuzz the option parsers: the input is split at NUL bytes into the
 * arguments of `realmvm run` and handed to cli_parse_run(); the first
 * argument is also given to the strict number and size parsers on their
 * own.  Help text goes to stdout, which run.sh discards.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/cli.h"
#include "vmm/config.h"
#include "vmm/size_parse.h"

#define MAX_ARGS	64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 2], *text, *p, *end;
	struct config cfg;
	uint64_t v;
	int argc = 0;

	/* A private NUL-terminated copy: getopt may permute and keep argv. */
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	argv[argc++] = "run";
	for (p = text, end = text + size; p <= end && argc <= MAX_ARGS;
	     p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;

	parse_u64(argv[1], UINT64_MAX, &v);
	parse_u64(argv[1], 4096, &v);
	if (parse_size(argv[1], &v) == 0 && v == 0)
		abort();	/* documented: zero is refused */

	config_init(&cfg);
	cli_parse_run(argc, argv, &cfg);
	free(text);
	return 0;
}
