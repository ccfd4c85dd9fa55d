/*
 * `realmvm caps`: print this host's realm capabilities in the
 * --host-config format, so a dry run elsewhere can predict this host's
 * RIM.  On a host without KVM or without CCA it says which and exits 1.
 */
#include <stdio.h>
#include <string.h>

#include "realm/backend.h"
#include "vmm/commands.h"
#include "vmm/util.h"

static void usage(FILE *out)
{
	fputs("usage: realmvm caps\n"
	      "\n"
	      "Print this CCA host's realm capabilities (IPA limit, SVE, debug,\n"
	      "PMU) as a --host-config file.  Needs /dev/kvm with a CCA KVM.\n",
	      out);
}

int cmd_caps(int argc, char **argv)
{
	struct host_caps caps;
	struct cca_host host;

	if (argc == 2 && (!strcmp(argv[1], "--help") ||
			  !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	if (argc > 1) {
		pr_err("caps: unexpected argument '%s'", argv[1]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (realm_host_caps_ops(&kvm_ops_real, &caps, &host))
		return EXIT_RUNTIME;
	printf("# %s, %s, host profile %s\n", cca_series_name(host.series),
	       host.name, host_profile_get(host.abi)->name);
	host_caps_print(&caps, stdout);
	if (fflush(stdout) || ferror(stdout))
		return pr_err("caps: cannot write the output"), EXIT_RUNTIME;
	return 0;
}
