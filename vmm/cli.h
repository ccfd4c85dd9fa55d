/*
 * The `realmvm run` command line, lkvm style, turned into a struct config.
 * Only syntax and self-consistency are checked here; whether a host can
 * honour the values is decided later, against its capabilities.
 */
#ifndef REALMVM_CLI_H
#define REALMVM_CLI_H

#include <stdio.h>

struct config;

/* cli_parse_run() results besides 0. */
#define CLI_ERROR	(-1)	/* a one-line error has been printed */
#define CLI_HELP	1	/* --help was given and printed */

/*
 * Parse `run` options (argv[0] is "run") into cfg, which must have been
 * set up by config_init().  Prints the help on stdout for -h/--help.
 */
int cli_parse_run(int argc, char **argv, struct config *cfg);
void cli_run_usage(FILE *out);

#endif
