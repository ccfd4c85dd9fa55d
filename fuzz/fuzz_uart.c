/*
 * Fuzz the 16550A model through the MMIO dispatcher, as a guest reaches
 * it: a script of reads and writes of any width at offsets around the
 * UART window, interleaved with console input from the host side.
 * Guest output goes to /dev/null.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arm64/layout.h"
#include "devices/device.h"
#include "devices/uart_8250.h"
#include "fuzz/fuzz_input.h"
#include "vmm/util.h"
#include "vmm/mmio.h"

#define MAX_OPS		4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int null_fd = -1;
	struct fz f = { data, size };
	struct device *dev;
	unsigned int ops = 0;

	if (null_fd < 0 && (null_fd = open("/dev/null", O_WRONLY)) < 0)
		abort();
	device_reset_registry();
	mmio_reset_warnings();
	dev = uart_8250_setup(null_fd);

	while (f.n && ops++ < MAX_OPS) {
		uint8_t op = fz_u8(&f), buf[8];
		/* 16 bytes either side of the 8 registers */
		uint64_t addr = UART_BASE - 16 + fz_u8(&f) % 40;
		unsigned int len = (op >> 2) % 10;	/* bad widths too */

		switch (op & 3) {
		case 0: {
			uint64_t v = fz_u64(&f);

			memcpy(buf, &v, sizeof(buf));
			mmio_dispatch(addr, buf, len, true);
			break;
		}
		case 1:
		case 2:
			memset(buf, 0xa5, sizeof(buf));
			mmio_dispatch(addr, buf, len, false);
			break;
		case 3: {	/* host console input, maybe overrunning */
			size_t n = fz_u16(&f) % 512;
			bool polite = fz_u8(&f) & 1;

			n = MIN(n, f.n);
			if (polite)
				n = MIN(n, uart_8250_rx_room(dev));
			uart_8250_input(dev, f.p, n);
			f.p += n;
			f.n -= n;
			break;
		}
		}
	}
	device_reset_registry();
	return 0;
}
