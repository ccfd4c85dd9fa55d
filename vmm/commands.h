/*
 * The subcommands of the realmvm binary.  Each returns the process exit
 * status: 0, EXIT_RUNTIME or EXIT_USAGE.
 */
#ifndef REALMVM_COMMANDS_H
#define REALMVM_COMMANDS_H

int cmd_run(int argc, char **argv);	/* vmm/cmd_run.c */
int cmd_caps(int argc, char **argv);	/* realm/cmd_caps.c */
int cmd_log(int argc, char **argv);	/* realm/cmd_log.c */
int cmd_list(int argc, char **argv);	/* vmm/cmd_vms.c */
int cmd_stop(int argc, char **argv);	/* vmm/cmd_vms.c */
int cmd_token(int argc, char **argv);	/* attest/cmd_token.c */

struct prediction;
/*
 * The RIM(s) of a `run --realm --dry-run ...` command line (argv[0] is
 * "run"), computed exactly as cmd_run() would, without output files or
 * printing, with a malloc'd copy of its event log in pr->log (when it has
 * one).  0 or an exit status.
 */
int run_predict(int argc, char **argv, struct prediction *pr);

#endif
