/*
 * Defaults of the configuration, kept in one place so the help text, the
 * docs and the dry run all describe the same machine.
 */
#include <string.h>
#include <unistd.h>

#include "vmm/config.h"
#include "vmm/util.h"

unsigned int default_hash_threads(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (cpus < 1)
		cpus = 1;
	return cpus > MAX_HASH_THREADS ? MAX_HASH_THREADS : (unsigned int)cpus;
}

void config_init(struct config *cfg)
{

	memset(cfg, 0, sizeof(*cfg));
	cfg->ram_size = 256 * SZ_1M;
	cfg->nr_cpus = 1;
	cfg->console = CONSOLE_SERIAL;
	cfg->measurement_log = true;
	cfg->sandbox = true;
	cfg->nr_threads = default_hash_threads();
}
