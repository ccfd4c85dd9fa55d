/*
 * Running a normal (non-realm) VM on KVM: vm_launch() itself is declared
 * in vmm/launch.h; this header adds its exit statuses and the start-up
 * trace.
 */
#ifndef REALMVM_RUN_H
#define REALMVM_RUN_H

/*
 * Exit statuses of a launch (documented in docs/running.md):
 * 0 the guest powered off (PSCI SYSTEM_OFF) or the user typed Ctrl-A x,
 * 1 a KVM or guest error (crash, unusable exit), and with --no-reboot
 * RUN_EXIT_RESET when the guest asked for a reset.
 */
#define RUN_EXIT_RESET	3

/* Print "realmvm: trace: <ms> <event>" when REALMVM_TRACE_STARTUP=1. */
void run_trace(const char *event);

#endif
