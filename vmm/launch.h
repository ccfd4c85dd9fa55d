/*
 * The entry points `realmvm run` hands a prepared boot to: vm_launch()
 * (vmm/run.c) for a normal VM, realm_launch() (realm/launch.c) for a
 * realm.
 */
#ifndef REALMVM_LAUNCH_H
#define REALMVM_LAUNCH_H

struct boot;

/*
 * Run the guest until it stops.  Returns the process exit status
 * (0, EXIT_RUNTIME, ...); errors have been printed.
 */
int vm_launch(struct boot *b);
int realm_launch(struct boot *b);

#endif
