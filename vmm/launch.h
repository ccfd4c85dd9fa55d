/*
 * The entry points `realmvm run` hands a prepared boot to: vm_launch()
 * (vmm/run.c) for a normal VM, realm_launch() (realm/) for a realm.
 * Until the realm side lands, vmm/launch_fallback.c supplies weak
 * stand-ins that fail cleanly.
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
