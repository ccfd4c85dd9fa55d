/*
 * The serial console: a 16550A UART at UART_BASE, interrupt UART_SPI.
 * Linux drives it with the 8250 driver (compatible "ns16550a") and can
 * print from the first instruction with earlycon=uart8250,mmio,0x09000000.
 */
#ifndef REALMVM_UART_8250_H
#define REALMVM_UART_8250_H

#include <stddef.h>
#include <stdint.h>

struct device;

/* Register offsets (reg-shift 0: one byte apart). */
#define UART_RBR	0	/* read, DLAB 0 */
#define UART_THR	0	/* write, DLAB 0 */
#define UART_DLL	0	/* DLAB 1 */
#define UART_IER	1	/* DLAB 0 */
#define UART_DLM	1	/* DLAB 1 */
#define UART_IIR	2	/* read */
#define UART_FCR	2	/* write */
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_MSR	6
#define UART_SCR	7

#define UART_IER_RDI	0x01
#define UART_IER_THRI	0x02
#define UART_IER_RLSI	0x04
#define UART_IER_MSI	0x08

#define UART_IIR_NO_INT	0x01
#define UART_IIR_MSI	0x00
#define UART_IIR_THRI	0x02
#define UART_IIR_RDI	0x04
#define UART_IIR_RLSI	0x06
#define UART_IIR_CTI	0x0c
#define UART_IIR_FIFO	0xc0

#define UART_FCR_ENABLE	0x01
#define UART_FCR_CLR_RX	0x02
#define UART_FCR_CLR_TX	0x04

#define UART_LCR_DLAB	0x80

#define UART_MCR_DTR	0x01
#define UART_MCR_RTS	0x02
#define UART_MCR_OUT1	0x04
#define UART_MCR_OUT2	0x08
#define UART_MCR_LOOP	0x10

#define UART_LSR_DR	0x01
#define UART_LSR_OE	0x02
#define UART_LSR_THRE	0x20
#define UART_LSR_TEMT	0x40

#define UART_MSR_CTS	0x10
#define UART_MSR_DSR	0x20
#define UART_MSR_RI	0x40
#define UART_MSR_DCD	0x80

#define UART_CLOCK_HZ	1843200
/* Host-side input buffer; the guest sees a 16-byte FIFO's behaviour. */
#define UART_RX_BUF	256

/*
 * Create the one UART and register it; output goes to out_fd.  Returns
 * the device (static storage: calling again resets it).
 */
struct device *uart_8250_setup(int out_fd);
/* The registered UART, or NULL when the console is not serial. */
struct device *uart_8250_get(void);
void uart_8250_set_output(struct device *dev, int fd);

/*
 * Console input.  Bytes that do not fit are dropped and flag an overrun,
 * as on real hardware; call uart_8250_rx_room() first to avoid that.
 * Callers outside a vCPU MMIO exit must hold mmio_lock().
 */
void uart_8250_input(struct device *dev, const uint8_t *buf, size_t len);
size_t uart_8250_rx_room(struct device *dev);

#endif
