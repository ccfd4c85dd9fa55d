/*
 * 16550A UART model.  Transmission completes instantly, so THR is always
 * empty; interrupts follow the 16550 priority order so that Linux's 8250
 * driver (and its THRE-on-enable expectation) behaves as on hardware.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "arm64/fdt.h"
#include "arm64/layout.h"
#include "devices/device.h"
#include "devices/uart_8250.h"

struct uart {
	struct device dev;
	int out_fd;
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	uint8_t lsr_err;		/* OE, cleared by reading LSR */
	bool thre_pending;		/* THRE interrupt not acknowledged */
	bool irq_level;
	uint8_t rx[UART_RX_BUF];
	size_t rx_head, rx_count;
};

static struct uart the_uart;

static struct uart *to_uart(struct device *dev)
{
	return dev->priv;
}

/* The highest-priority pending source, as IIR reports it. */
static uint8_t uart_iir_id(const struct uart *u)
{
	if ((u->ier & UART_IER_RLSI) && u->lsr_err)
		return UART_IIR_RLSI;
	if ((u->ier & UART_IER_RDI) && u->rx_count)
		return UART_IIR_RDI;
	if ((u->ier & UART_IER_THRI) && u->thre_pending)
		return UART_IIR_THRI;
	return UART_IIR_NO_INT;
}

static void uart_update_irq(struct uart *u)
{
	bool level = uart_iir_id(u) != UART_IIR_NO_INT;

	if (level != u->irq_level) {
		u->irq_level = level;
		device_irq_line(&u->dev, level);
	}
}

static void uart_rx_push(struct uart *u, uint8_t c)
{
	if (u->rx_count == UART_RX_BUF) {
		u->lsr_err |= UART_LSR_OE;
		return;
	}
	u->rx[(u->rx_head + u->rx_count) % UART_RX_BUF] = c;
	u->rx_count++;
}

static uint8_t uart_rx_pop(struct uart *u)
{
	uint8_t c;

	if (!u->rx_count)
		return 0;
	c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % UART_RX_BUF;
	u->rx_count--;
	return c;
}

static void uart_tx(struct uart *u, uint8_t c)
{
	if (u->mcr & UART_MCR_LOOP) {
		uart_rx_push(u, c);
	} else if (u->out_fd >= 0) {
		ssize_t w;

		do {
			w = write(u->out_fd, &c, 1);
		} while (w < 0 && errno == EINTR);
		/* A closed or full console must not stop the guest. */
	}
	u->thre_pending = true;
}

static uint8_t uart_msr(const struct uart *u)
{
	uint8_t m = u->mcr;

	if (!(m & UART_MCR_LOOP))
		return UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
	return (m & UART_MCR_RTS ? UART_MSR_CTS : 0) |
	       (m & UART_MCR_DTR ? UART_MSR_DSR : 0) |
	       (m & UART_MCR_OUT1 ? UART_MSR_RI : 0) |
	       (m & UART_MCR_OUT2 ? UART_MSR_DCD : 0);
}

static uint8_t uart_read(struct uart *u, unsigned int reg)
{
	bool dlab = u->lcr & UART_LCR_DLAB;
	uint8_t v;

	switch (reg) {
	case UART_RBR:
		return dlab ? u->dll : uart_rx_pop(u);
	case UART_IER:
		return dlab ? u->dlm : u->ier;
	case UART_IIR:
		v = uart_iir_id(u);
		/* Reading IIR acknowledges a THRE interrupt it reports. */
		if (v == UART_IIR_THRI)
			u->thre_pending = false;
		return v | (u->fcr & UART_FCR_ENABLE ? UART_IIR_FIFO : 0);
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		v = UART_LSR_THRE | UART_LSR_TEMT | u->lsr_err |
		    (u->rx_count ? UART_LSR_DR : 0);
		u->lsr_err = 0;
		return v;
	case UART_MSR:
		return uart_msr(u);
	case UART_SCR:
		return u->scr;
	}
	return 0;
}

static void uart_write(struct uart *u, unsigned int reg, uint8_t v)
{
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_THR:
		if (dlab)
			u->dll = v;
		else
			uart_tx(u, v);
		break;
	case UART_IER:
		if (dlab) {
			u->dlm = v;
		} else {
			/* Enabling THRI with THR empty raises THRE at once. */
			if ((v & UART_IER_THRI) && !(u->ier & UART_IER_THRI))
				u->thre_pending = true;
			u->ier = v & 0x0f;
		}
		break;
	case UART_FCR:
		if (v & UART_FCR_CLR_RX) {
			u->rx_head = 0;
			u->rx_count = 0;
		}
		u->fcr = v & (UART_FCR_ENABLE | 0xc0);
		break;
	case UART_LCR:
		u->lcr = v;
		break;
	case UART_MCR:
		u->mcr = v & 0x1f;
		break;
	case UART_SCR:
		u->scr = v;
		break;
	}
	/* LSR and MSR are read-only. */
}

static void uart_mmio(struct device *dev, uint64_t offset, uint8_t *data,
		      unsigned int len, bool is_write)
{
	struct uart *u = to_uart(dev);
	unsigned int i;

	/*
	 * Registers are bytes; a wider access (earlycon's mmio32, or a
	 * hostile guest) reaches the register at offset through its low
	 * byte and reads the rest as zero.
	 */
	if (!is_write) {
		for (i = 0; i < len && i < 8; i++)
			data[i] = 0;
	}
	if (offset >= 8 || !len || len > 8)
		return;
	if (is_write)
		uart_write(u, (unsigned int)offset, data[0]);
	else
		data[0] = uart_read(u, (unsigned int)offset);
	uart_update_irq(u);
}

static int uart_fdt_node(struct device *dev, void *fdt)
{
	return dtb_add_mmio_node(fdt, "serial", dev->base, dev->size,
				 "ns16550a", dev->spi, UART_CLOCK_HZ);
}

struct device *uart_8250_setup(int out_fd)
{
	struct uart *u = &the_uart;

	memset(u, 0, sizeof(*u));
	u->out_fd = out_fd;
	u->dev.name = "serial";
	u->dev.base = UART_BASE;
	u->dev.size = UART_SIZE;
	u->dev.spi = UART_SPI;
	u->dev.fdt_node = uart_fdt_node;
	u->dev.mmio = uart_mmio;
	u->dev.priv = u;
	device_register(&u->dev);
	return &u->dev;
}

struct device *uart_8250_get(void)
{
	struct device *dev;

	/* The static instance counts only while it is registered. */
	for (dev = device_first(); dev; dev = dev->next)
		if (dev == &the_uart.dev)
			return dev;
	return NULL;
}

void uart_8250_set_output(struct device *dev, int fd)
{
	to_uart(dev)->out_fd = fd;
}

void uart_8250_input(struct device *dev, const uint8_t *buf, size_t len)
{
	struct uart *u = to_uart(dev);
	size_t i;

	for (i = 0; i < len; i++)
		uart_rx_push(u, buf[i]);
	uart_update_irq(u);
}

size_t uart_8250_rx_room(struct device *dev)
{
	return UART_RX_BUF - to_uart(dev)->rx_count;
}
