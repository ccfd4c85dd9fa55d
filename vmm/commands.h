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

#endif
