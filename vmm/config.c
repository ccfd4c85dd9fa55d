/*
 * Defaults of the configuration, kept in one place so the help text, the
 * docs and the dry run all describe the same machine.
 */
#include <string.h>
#include <unistd.h>

#include "vmm/config.h"
#include "vmm/util.h"

void config_init(struct config *cfg)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	memset(cfg, 0, sizeof(*cfg));
	cfg->ram_size = 256 * SZ_1M;
	cfg->nr_cpus = 1;
	cfg->console = CONSOLE_SERIAL;
	cfg->hash_algo = HASH_SHA256;
	cfg->host = HOST_ABI_DEFAULT;
	cfg->measurement_log = true;
	cfg->sandbox = true;
	if (cpus < 1)
		cpus = 1;
	cfg->nr_threads = cpus > MAX_HASH_THREADS ? MAX_HASH_THREADS :
			  (unsigned int)cpus;
}
