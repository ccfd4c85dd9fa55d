/*
 * Fuzz the --host-config parser (key=value lines): any text must give
 * either an error naming the line, leaving the capabilities untouched,
 * or capabilities within the documented ranges.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "realm/host_profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct host_caps caps, before;

	host_caps_default(&caps);
	before = caps;
	if (host_caps_parse((const char *)data, size, "fuzz", &caps)) {
		if (memcmp(&caps, &before, sizeof(caps)))
			abort();	/* a failed parse changed the caps */
		return 0;
	}
	if (caps.ipa_bits < 32 || caps.ipa_bits > 52 ||
	    caps.num_bps < 2 || caps.num_bps > 16 ||
	    caps.num_wps < 2 || caps.num_wps > 16 ||
	    caps.sve_max_vl > 2048 || caps.sve_max_vl % 128 ||
	    caps.pmu_num_ctrs > 31)
		abort();
	return 0;
}
