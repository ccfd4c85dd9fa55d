/*
 * The bundled demo guest: a few hundred bytes with a valid arm64 Linux
 * Image header, so realmvm loads it exactly like a kernel.  It prints one
 * line on the 16550 UART and powers off through PSCI.  In a realm the UART
 * must be reached through the unprotected IPA alias, whose bit it learns
 * from RSI_REALM_CONFIG; in a normal VM that SMC fails and no alias is used.
 */
	.section .text.head, "ax"
	.globl	_head
_head:
	b	start			/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	image_end - _head	/* image_size, including the bss page */
	.quad	0x2			/* flags: little-endian, 4K pages */
	.quad	0			/* res2 */
	.quad	0			/* res3 */
	.quad	0			/* res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

	.text
start:
	/* RSI_REALM_CONFIG(x1 = 4K buffer): success only inside a realm */
	ldr	x0, =0xc4000196
	adr	x1, rsi_config
	smc	#0
	mov	x20, #0			/* MMIO alias bit, 0 outside realms */
	cbnz	x0, 1f
	/* the RMM returns x1..x4 as results (zero here): take it again */
	adr	x1, rsi_config
	ldr	x2, [x1]		/* ipa_width */
	sub	x2, x2, #1
	mov	x20, #1
	lsl	x20, x20, x2
1:
	ldr	x19, =0x09000000	/* UART_BASE */
	orr	x19, x19, x20
	adr	x21, message
2:	ldrb	w0, [x21], #1
	cbz	w0, 4f
3:	ldrb	w1, [x19, #5]		/* LSR */
	tbz	w1, #5, 3b		/* wait for THRE */
	strb	w0, [x19]		/* THR */
	b	2b
4:
	/* PSCI SYSTEM_OFF: smc for realms, then hvc for normal VMs */
	ldr	x0, =0x84000008
	smc	#0
	ldr	x0, =0x84000008
	hvc	#0
5:	wfi
	b	5b

	.section .rodata
message:
	.asciz	"realmvm demo guest: hello\n"

	.section .bss
	.balign	4096
rsi_config:
	.skip	4096
image_end:
