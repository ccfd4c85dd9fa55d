/*
 * Fuzz the user DTB check (-d FILE).  A DTB it accepts is then walked
 * with libfdt the way a consumer would, which must stay in bounds: the
 * check's promise is that anything it passes is safe to read.
 */
#include <libfdt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arm64/fdt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *buf;
	int node, depth = 0, prop, len;

	/* libfdt wants 8-byte alignment: give it a private aligned copy. */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (dtb_user_check(buf, size, "fuzz") == 0) {
		for (node = 0; node >= 0;
		     node = fdt_next_node(buf, node, &depth)) {
			fdt_get_name(buf, node, &len);
			fdt_for_each_property_offset(prop, buf, node) {
				const char *name;

				fdt_getprop_by_offset(buf, prop, &name, &len);
			}
		}
		fdt_path_offset(buf, "/chosen");
		fdt_getprop(buf, 0, "model", &len);
	}
	free(buf);
	return 0;
}
