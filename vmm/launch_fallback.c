/*
 * TEMPORARY weak stand-ins for the realm launch path, so `realmvm run`
 * links and fails cleanly before the realm backend is wired up.  The
 * owner of realm_launch(), realm_host_caps() and realm_host_abi() provides
 * strong definitions and DELETES THIS FILE: a weak definition left in the
 * library can be picked by the archive linker instead of the real one
 * when nothing else pulls the real one's object in.  (vm_launch() is not
 * here: vmm/run.c defines it.)
 */
#include "realm/backend.h"
#include "vmm/launch.h"
#include "vmm/util.h"

__attribute__((weak)) int realm_launch(struct boot *b)
{
	(void)b;
	pr_err("KVM launch is not built in yet");
	return EXIT_RUNTIME;
}

__attribute__((weak)) int realm_host_caps(struct host_caps *caps)
{
	(void)caps;
	return pr_err("KVM launch is not built in yet");
}

__attribute__((weak)) int realm_host_abi(enum host_abi *abi)
{
	(void)abi;
	return pr_err("KVM launch is not built in yet");
}
