/*
 * A tiny test firmware for --firmware: a raw binary (no Image header) that
 * realmvm loads at the RAM base and enters there, with the DTB address in
 * x0 as a firmware such as UEFI expects it.  It checks that x0 points at a
 * flattened device tree, says so on the 16550 UART and powers off through
 * PSCI.  In a realm the UART is reached through the unprotected IPA alias,
 * whose bit it learns from RSI_REALM_CONFIG, as guest/demo does, and it
 * also prints the RIM that RSI_MEASUREMENT_READ(0) returns (32 or 64
 * bytes, by the realm's hash algorithm), so a test can compare the RMM's
 * RIM with the one --dry-run predicted.  It prints where it runs and x0 in
 * hex, so a test can compare both with the dry run's entry and dtb.
 */
	.text
	.globl	_start
_start:
	mov	x22, x0			/* DTB address, kept for the check */
	/* RSI_REALM_CONFIG(x1 = 4K buffer): success only inside a realm */
	ldr	x0, =0xc4000196
	adr	x1, rsi_config
	smc	#0
	mov	x20, #0			/* MMIO alias bit, 0 outside realms */
	mov	x25, #64		/* RIM bytes: sha512 unless told */
	cbnz	x0, 1f
	/*
	 * x1 is gone: the RMM returns x1..x4 as results of every RSI call
	 * (zero when unused), so the buffer's address is taken again.
	 */
	adr	x1, rsi_config
	ldr	x2, [x1]		/* ipa_width */
	sub	x2, x2, #1
	mov	x20, #1
	lsl	x20, x20, x2
	ldrb	w2, [x1, #8]		/* hash_algo: 0 sha256, 1 sha512 */
	cbnz	w2, 1f
	mov	x25, #32
1:
	ldr	x19, =0x09000000	/* UART_BASE */
	orr	x19, x19, x20
	mov	x23, #0			/* set when LSR never showed THRE */
	adr	x21, msg_hello
	bl	puts
	adr	x21, msg_entry
	bl	puts
	adr	x0, _start
	bl	puthex
	adr	x21, msg_x0
	bl	puts
	mov	x0, x22
	bl	puthex
	/* FDT magic 0xd00dfeed is big-endian: as a LE word, 0xedfe0dd0 */
	adr	x21, msg_nodtb
	tst	x22, #7			/* never dereference a misaligned x0 */
	b.ne	2f
	ldr	w0, [x22]
	ldr	w1, =0xedfe0dd0
	cmp	w0, w1
	b.ne	2f
	adr	x21, msg_dtb
2:	bl	puts
	cbz	x20, 5f			/* not a realm: no RIM to show */
	/* RSI_MEASUREMENT_READ(0): the RIM in x1..x8, first bytes in x1 */
	ldr	x0, =0xc4000192
	mov	x1, #0
	smc	#0
	cbnz	x0, 5f
	adr	x9, rim_buf
	stp	x1, x2, [x9]
	stp	x3, x4, [x9, #16]
	stp	x5, x6, [x9, #32]
	stp	x7, x8, [x9, #48]
	adr	x21, msg_rim
	bl	puts
	adr	x10, hexdigits
	mov	x11, x25		/* as many bytes as the hash has */
4:	ldrb	w12, [x9], #1
	lsr	w0, w12, #4
	ldrb	w0, [x10, x0]
	bl	putc
	and	w0, w12, #0xf
	ldrb	w0, [x10, x0]
	bl	putc
	subs	x11, x11, #1
	b.ne	4b
	mov	w0, #'\n'
	bl	putc
5:
	cbz	x23, 6f
	adr	x21, msg_lsr
	bl	puts
6:
	/* PSCI SYSTEM_OFF: smc for realms, then hvc for normal VMs */
	ldr	x0, =0x84000008
	smc	#0
	ldr	x0, =0x84000008
	hvc	#0
3:	wfi
	b	3b

/* Print the NUL-terminated string at x21 on the UART at x19. */
puts:
	mov	x24, x30
1:	ldrb	w0, [x21], #1
	cbz	w0, 2f
	bl	putc
	b	1b
2:	mov	x30, x24
	ret

/*
 * Print x0 as 0x and 16 hex digits, then a newline (clobbers x0-x2,
 * x9-x12).  The return address goes in x26: x24 is puts's and x25 holds
 * the RIM's length.
 */
puthex:
	mov	x26, x30
	mov	x9, x0
	mov	w0, #'0'
	bl	putc
	mov	w0, #'x'
	bl	putc
	adr	x10, hexdigits
	mov	x11, #60
1:	lsr	x12, x9, x11
	and	x12, x12, #0xf
	ldrb	w0, [x10, x12]
	bl	putc
	subs	x11, x11, #4
	b.pl	1b
	mov	w0, #'\n'
	bl	putc
	mov	x30, x26
	ret

/*
 * Print the character in w0 (clobbers w1, x2).  The wait for THRE is
 * bounded, as in Linux's 8250 console, so that a UART whose LSR reads
 * wrong still gets the text; x23 records that it happened.
 */
putc:
	mov	x2, #256
1:	ldrb	w1, [x19, #5]		/* LSR */
	tbnz	w1, #5, 2f		/* THRE: room for a byte */
	subs	x2, x2, #1
	b.ne	1b
	mov	x23, #1
2:	strb	w0, [x19]		/* THR */
	ret

	.ltorg

	.section .rodata
msg_hello:
	.asciz	"realmvm test firmware: hello\n"
msg_entry:
	.asciz	"realmvm test firmware: entry "
msg_x0:
	.asciz	"realmvm test firmware: x0 "
msg_dtb:
	.asciz	"realmvm test firmware: DTB found in x0\n"
msg_nodtb:
	.asciz	"realmvm test firmware: no DTB in x0\n"
msg_rim:
	.asciz	"realmvm test firmware: RIM "
msg_lsr:
	.asciz	"realmvm test firmware: LSR never showed THRE\n"
hexdigits:
	.ascii	"0123456789abcdef"

	/*
	 * In the image rather than in a BSS, so that in a realm this page
	 * is populated (measured) RAM like the rest of the firmware.
	 */
	.data
	.balign	4096
rsi_config:
	.skip	4096
rim_buf:
	.skip	64
