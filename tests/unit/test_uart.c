/*
 * Unit tests for the 16550A model: register semantics as the 16550 data
 * sheet gives them (LSR bits, IIR priorities, DLAB banking, loopback) and
 * accesses a hostile guest might make.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "arm64/layout.h"
#include "devices/device.h"
#include "devices/uart_8250.h"

static int pipefd[2];
static int irq_level = -1, irq_changes;
static struct device *dev;

static void record_irq(struct device *d, bool level)
{
	assert_ptr_equal(d, dev);
	irq_level = level;
	irq_changes++;
}

static int setup(void **state)
{
	(void)state;
	if (pipe2(pipefd, O_NONBLOCK))
		return -1;
	device_reset_registry();
	device_irq_line = record_irq;
	irq_level = 0;
	irq_changes = 0;
	dev = uart_8250_setup(pipefd[1]);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	close(pipefd[0]);
	close(pipefd[1]);
	device_reset_registry();
	return 0;
}

static uint8_t rd(unsigned int reg)
{
	uint8_t d[8];

	memset(d, 0xaa, sizeof(d));
	dev->mmio(dev, reg, d, 1, false);
	return d[0];
}

static void wr(unsigned int reg, uint8_t v)
{
	uint8_t d[8] = { v };

	dev->mmio(dev, reg, d, 1, true);
}

static void test_registration(void **state)
{
	(void)state;
	assert_ptr_equal(device_first(), dev);
	assert_ptr_equal(uart_8250_get(), dev);
	assert_int_equal(dev->base, 0x09000000ULL);
	assert_int_equal(dev->size, 0x1000);
	assert_int_equal(dev->spi, 1);
	assert_ptr_equal(device_find(0x09000005ULL, 1), dev);
	device_reset_registry();
	assert_null(uart_8250_get());
}

static void test_tx(void **state)
{
	char buf[8];

	(void)state;
	/* Idle: transmitter empty, no data, no interrupt. */
	assert_int_equal(rd(UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
	assert_int_equal(rd(UART_IIR), UART_IIR_NO_INT);
	wr(UART_THR, 'o');
	wr(UART_THR, 'k');
	assert_int_equal(read(pipefd[0], buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "ok", 2);
	assert_int_equal(rd(UART_LSR) & UART_LSR_THRE, UART_LSR_THRE);
	/* No interrupt while IER is 0. */
	assert_int_equal(irq_changes, 0);
}

static void test_thre_interrupt(void **state)
{
	(void)state;
	/* Enabling THRI with THR empty interrupts at once. */
	wr(UART_IER, UART_IER_THRI);
	assert_int_equal(irq_level, 1);
	assert_int_equal(rd(UART_IIR), UART_IIR_THRI);
	/* Reading IIR acknowledged it. */
	assert_int_equal(irq_level, 0);
	assert_int_equal(rd(UART_IIR), UART_IIR_NO_INT);
	/* Each transmitted byte empties THR again. */
	wr(UART_THR, 'x');
	assert_int_equal(irq_level, 1);
	wr(UART_IER, 0);
	assert_int_equal(irq_level, 0);
	assert_int_equal(rd(UART_IER), 0);
}

static void test_rx(void **state)
{
	(void)state;
	uart_8250_input(dev, (const uint8_t *)"hi", 2);
	/* Data ready shows in LSR, but no interrupt without IER.RDI. */
	assert_int_equal(rd(UART_LSR) & UART_LSR_DR, UART_LSR_DR);
	assert_int_equal(irq_level, 0);
	wr(UART_IER, UART_IER_RDI);
	assert_int_equal(irq_level, 1);
	assert_int_equal(rd(UART_IIR), UART_IIR_RDI);
	assert_int_equal(rd(UART_RBR), 'h');
	assert_int_equal(irq_level, 1);
	assert_int_equal(rd(UART_RBR), 'i');
	assert_int_equal(irq_level, 0);
	assert_int_equal(rd(UART_LSR) & UART_LSR_DR, 0);
	assert_int_equal(rd(UART_IIR), UART_IIR_NO_INT);
	/* Reading an empty RBR is harmless. */
	assert_int_equal(rd(UART_RBR), 0);
	assert_int_equal(uart_8250_rx_room(dev), UART_RX_BUF);
}

static void test_priority_and_overrun(void **state)
{
	uint8_t big[UART_RX_BUF + 5];
	unsigned int i;

	(void)state;
	memset(big, 'z', sizeof(big));
	wr(UART_IER, UART_IER_RDI | UART_IER_THRI | UART_IER_RLSI);
	uart_8250_input(dev, big, sizeof(big));
	assert_int_equal(uart_8250_rx_room(dev), 0);
	/* Line status outranks received data, which outranks THRE. */
	assert_int_equal(rd(UART_IIR), UART_IIR_RLSI);
	/* Reading LSR reports and clears the overrun. */
	assert_int_equal(rd(UART_LSR) & (UART_LSR_OE | UART_LSR_DR),
			 UART_LSR_OE | UART_LSR_DR);
	assert_int_equal(rd(UART_LSR) & UART_LSR_OE, 0);
	assert_int_equal(rd(UART_IIR), UART_IIR_RDI);
	for (i = 0; i < UART_RX_BUF; i++)
		assert_int_equal(rd(UART_RBR), 'z');
	assert_int_equal(rd(UART_IIR), UART_IIR_THRI);
	assert_int_equal(rd(UART_IIR), UART_IIR_NO_INT);
	assert_int_equal(irq_level, 0);
}

static void test_dlab_fcr_scr(void **state)
{
	char buf[4];

	(void)state;
	wr(UART_IER, UART_IER_RDI);
	wr(UART_LCR, UART_LCR_DLAB | 0x03);
	wr(UART_DLL, 0x01);
	wr(UART_DLM, 0x02);
	assert_int_equal(rd(UART_DLL), 0x01);
	assert_int_equal(rd(UART_DLM), 0x02);
	assert_int_equal(rd(UART_LCR), UART_LCR_DLAB | 0x03);
	/* Divisor writes are not output. */
	assert_int_equal(read(pipefd[0], buf, sizeof(buf)), -1);
	wr(UART_LCR, 0x03);
	assert_int_equal(rd(UART_IER), UART_IER_RDI);

	wr(UART_FCR, UART_FCR_ENABLE);
	assert_int_equal(rd(UART_IIR) & 0xc0, UART_IIR_FIFO);
	uart_8250_input(dev, (const uint8_t *)"abc", 3);
	wr(UART_FCR, UART_FCR_ENABLE | UART_FCR_CLR_RX);
	assert_int_equal(rd(UART_LSR) & UART_LSR_DR, 0);
	assert_int_equal(irq_level, 0);
	wr(UART_FCR, 0);
	assert_int_equal(rd(UART_IIR), UART_IIR_NO_INT);

	wr(UART_SCR, 0x5a);
	assert_int_equal(rd(UART_SCR), 0x5a);
	/* LSR and MSR ignore writes. */
	wr(UART_LSR, 0);
	assert_int_equal(rd(UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
	wr(UART_MSR, 0);
	assert_int_equal(rd(UART_MSR),
			 UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS);
}

static void test_loopback(void **state)
{
	char buf[4];

	(void)state;
	/* Linux's 8250 probe: MCR = LOOP | OUT2 | RTS gives MSR 0x90. */
	wr(UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2 | UART_MCR_RTS);
	assert_int_equal(rd(UART_MSR) & 0xf0, 0x90);
	wr(UART_MCR, UART_MCR_LOOP | UART_MCR_DTR | UART_MCR_OUT1);
	assert_int_equal(rd(UART_MSR) & 0xf0, UART_MSR_DSR | UART_MSR_RI);
	wr(UART_THR, 'L');
	assert_int_equal(read(pipefd[0], buf, sizeof(buf)), -1);
	assert_int_equal(rd(UART_RBR), 'L');
	wr(UART_MCR, 0);
	wr(UART_THR, 'M');
	assert_int_equal(read(pipefd[0], buf, sizeof(buf)), 1);
	assert_int_equal(buf[0], 'M');
}

static void test_hostile_accesses(void **state)
{
	uint8_t d[16];
	uint64_t off;
	unsigned int len, i;

	(void)state;
	uart_8250_input(dev, (const uint8_t *)"q", 1);
	/* Wide reads: the register in the low byte, zeros above. */
	memset(d, 0xaa, sizeof(d));
	dev->mmio(dev, UART_LSR, d, 8, false);
	assert_int_equal(d[0], UART_LSR_THRE | UART_LSR_TEMT | UART_LSR_DR);
	for (i = 1; i < 8; i++)
		assert_int_equal(d[i], 0);
	assert_int_equal(d[8], 0xaa);
	memset(d, 0xaa, sizeof(d));
	dev->mmio(dev, UART_RBR, d, 4, false);
	assert_int_equal(d[0], 'q');
	assert_int_equal(d[1] | d[2] | d[3], 0);
	assert_int_equal(d[4], 0xaa);
	uart_8250_input(dev, (const uint8_t *)"r", 1);

	/* Every other offset of the window reads as zero, writes nothing. */
	for (off = 8; off < UART_SIZE; off += 1) {
		for (len = 1; len <= 8; len <<= 1) {
			if (off + len > UART_SIZE)
				continue;
			memset(d, 0xff, sizeof(d));
			dev->mmio(dev, off, d, len, true);
			memset(d, 0xaa, sizeof(d));
			dev->mmio(dev, off, d, len, false);
			for (i = 0; i < len; i++)
				assert_int_equal(d[i], 0);
			assert_int_equal(d[len], 0xaa);
		}
	}
	/* Lengths the dispatcher should never pass are still harmless. */
	memset(d, 0xaa, sizeof(d));
	dev->mmio(dev, UART_SCR, d, 0, false);
	assert_int_equal(d[0], 0xaa);
	dev->mmio(dev, UART_SCR, d, 16, false);
	assert_int_equal(d[8], 0xaa);
	dev->mmio(dev, ~0ULL, d, 1, false);
	/* State unharmed: LSR still sane, the byte still there. */
	assert_int_equal(rd(UART_LSR) & 0x7f,
			 UART_LSR_THRE | UART_LSR_TEMT | UART_LSR_DR);
	assert_int_equal(rd(UART_RBR), 'r');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_registration, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thre_interrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priority_and_overrun, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dlab_fcr_scr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loopback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_accesses, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
