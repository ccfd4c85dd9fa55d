/*
 * A deliberately misbehaving guest for the nested tests: an Image-format
 * payload that reads and writes addresses no device owns, checks that
 * every read saw zero, reports on the 16550 and powers off.  Built with
 * -DHOSTILE_NISV it then issues a load pair to MMIO, which carries no
 * syndrome KVM can decode: realmvm must stop with an error, not hang.
 */
	.section .text.head, "ax"
	.globl	_head
_head:
	b	start			/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	image_end - _head	/* image_size */
	.quad	0x2			/* flags: little-endian, 4K pages */
	.quad	0			/* res2 */
	.quad	0			/* res3 */
	.quad	0			/* res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

	.text
start:
	ldr	x19, =0x09000000	/* UART_BASE */
	mov	x5, #0
	ldr	x1, =0x00100000		/* below RAM, no device */
	ldr	w2, [x1]
	orr	x5, x5, x2
	ldr	x1, =0x0c000000		/* past the virtio-mmio windows */
	ldr	x2, [x1]
	orr	x5, x5, x2
	str	x1, [x1]		/* a write that must go nowhere */
	ldrb	w2, [x1, #3]
	orr	x5, x5, x2
	ldrh	w2, [x1, #6]
	orr	x5, x5, x2
	ldr	x1, =0x08ff0000		/* between the GIC and the UART */
	ldr	w2, [x1]
	orr	x5, x5, x2
	adr	x21, msg_ok
	cbz	x5, 1f
	adr	x21, msg_bad
1:	bl	puts
#ifdef HOSTILE_NISV
	adr	x21, msg_ldp
	bl	puts
	ldr	x1, =0x0c000000
	ldp	x2, x3, [x1]		/* no valid syndrome: not emulatable */
	adr	x21, msg_after
	bl	puts
#endif
	ldr	x0, =0x84000008		/* PSCI SYSTEM_OFF */
	hvc	#0
2:	wfi
	b	2b

/* Print the NUL-terminated string at x21 on the UART. */
puts:
	ldrb	w0, [x21], #1
	cbz	w0, 4f
3:	ldrb	w1, [x19, #5]		/* LSR */
	tbz	w1, #5, 3b		/* wait for THRE */
	strb	w0, [x19]		/* THR */
	b	puts
4:	ret

	.section .rodata
msg_ok:
	.asciz	"hostile: unmapped reads are zero\n"
msg_bad:
	.asciz	"hostile: an unmapped read was not zero\n"
msg_ldp:
	.asciz	"hostile: load pair to MMIO\n"
msg_after:
	.asciz	"hostile: still running after the load pair\n"

	.section .bss
	.balign	4096
	.skip	4096
image_end:
