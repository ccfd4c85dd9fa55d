/*
 * realmvm entry point: dispatch to a subcommand, lkvm style.
 */
#include <stdio.h>
#include <string.h>

#include "vmm/cli.h"
#include "vmm/commands.h"
#include "vmm/util.h"

static void usage(FILE *out)
{
	fputs("usage: realmvm <command> [options]\n"
	      "\n"
	      "commands:\n"
	      "  run      boot a VM or a realm, or predict a realm's RIM (--dry-run)\n"
	      "  caps     print this host's CCA capabilities as a --host-config file\n"
	      "  log      show or verify a realm measurement event log\n"
	      "  token    show or verify a CCA attestation token\n"
	      "  list     list this user's running VMs\n"
	      "  stop     stop a running VM by its name\n"
	      "  version  print the version (also -V, --version)\n"
	      "\n"
	      "`realmvm <command> --help` lists a command's options.\n", out);
}

/* The full reference: every command with every option. */
static void full_help(void)
{
	char *log_help[] = { "log", "--help", NULL };
	char *caps_help[] = { "caps", "--help", NULL };
	char *token_help[] = { "token", "--help", NULL };
	char *list_help[] = { "list", "--help", NULL };
	char *stop_help[] = { "stop", "--help", NULL };

	usage(stdout);
	fputs("\n", stdout);
	cli_run_usage(stdout);
	fputs("\n", stdout);
	cmd_log(2, log_help);
	fputs("\n", stdout);
	cmd_caps(2, caps_help);
	fputs("\n", stdout);
	cmd_token(2, token_help);
	fputs("\n", stdout);
	cmd_list(2, list_help);
	fputs("\n", stdout);
	cmd_stop(2, stop_help);
}

int main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") ||
	    !strcmp(cmd, "help")) {
		full_help();
		return 0;
	}
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version") ||
	    !strcmp(cmd, "-V")) {
		printf("realmvm %s\n", REALMVM_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "caps"))
		return cmd_caps(argc - 1, argv + 1);
	if (!strcmp(cmd, "log"))
		return cmd_log(argc - 1, argv + 1);
	if (!strcmp(cmd, "token"))
		return cmd_token(argc - 1, argv + 1);
	if (!strcmp(cmd, "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(cmd, "stop"))
		return cmd_stop(argc - 1, argv + 1);
	pr_err("unknown command '%s' (try realmvm --help)", cmd);
	return EXIT_USAGE;
}
