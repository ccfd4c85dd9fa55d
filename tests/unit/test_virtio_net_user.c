/*
 * virtio-net with --network mode=user (libslirp), driven through its
 * rings like a guest at 10.0.2.15 with no IP stack of its own: frames are
 * built by hand here (RFC 826 ARP, RFC 791 IPv4, RFC 793 TCP).  The guest
 * resolves the gateway 10.0.2.2, then opens a TCP connection to
 * 10.0.2.2:PORT, which slirp maps to the host's loopback, where this test
 * listens: the host accepts it, reads what the guest sent and answers,
 * and the answer arrives in a guest receive buffer.  No root, no tap.
 * Built without libslirp, the one test checks that the launch is refused
 * with a way out.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "devices/net_slirp.h"
#include "tests/unit/stderr_capture.h"
#include "tests/unit/virtio_test_driver.h"
#include "vmm/config.h"

#define RXRING		(RAM_BASE + 0x1000)
#define TXRING		(RAM_BASE + 0x3000)
#define TXBUF		(RAM_BASE + 0x10000)
#define RXBUF		(RAM_BASE + 0x20000)	/* 16 x 2 KiB */
#define RXBUF_SIZE	2048
#define NRX		16
#define HDR_LEN		12
#define F_V1		(1ULL << VIRTIO_F_VERSION_1)
#define F_MAC		(1ULL << 5)
#define GUEST_PORT	40000

static const uint8_t guest_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x50 };
static const uint8_t guest_ip[4] = { 10, 0, 2, 15 };
static const uint8_t gw_ip[4] = { 10, 0, 2, 2 };

struct fixture {
	struct guest_mem gm;
	struct config cfg;
	struct device *dev;
	struct tring rx, tx;
	uint16_t rx_seen;	/* used entries of rx already looked at */
	uint8_t gw_mac[6];
	uint8_t frame[RXBUF_SIZE];
	size_t frame_len;
};

static void irq_ignore(struct device *dev, bool level)
{
	(void)dev;
	(void)level;
}

static void post_rx(struct fixture *f, unsigned int i)
{
	tring_desc(&f->rx, i, RXBUF + i * RXBUF_SIZE, RXBUF_SIZE,
		   VIRTQ_DESC_F_WRITE, 0);
	tring_avail(&f->rx, (uint16_t)i);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	unsigned int i;

	assert_non_null(f);
	*state = f;
	assert_int_equal(guest_mem_alloc(&f->gm, RAM_BASE, TEST_RAM_SIZE), 0);
	config_init(&f->cfg);
	f->cfg.nets[0].mode = NET_MODE_USER;
	f->cfg.nr_nets = 1;
	device_reset_registry();
	device_irq_line = irq_ignore;
	if (!net_slirp_available())
		return 0;
	assert_int_equal(virtio_devices_setup(&f->cfg, &f->gm), 0);
	f->dev = device_first();
	tring_init(&f->rx, &f->gm, RXRING, 16);
	tring_init(&f->tx, &f->gm, TXRING, 16);
	assert_true(drv_negotiate(f->dev, F_V1 | F_MAC) &
		    VIRTIO_STATUS_FEATURES_OK);
	drv_queue(f->dev, 0, 16, f->rx.desc, f->rx.avail, f->rx.used);
	drv_queue(f->dev, 1, 16, f->tx.desc, f->tx.avail, f->tx.used);
	for (i = 0; i < NRX; i++)
		post_rx(f, i);
	drv_ok(f->dev);
	wr32(f->dev, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	device_reset_registry();
	virtio_mmio_destroy_all();	/* stops both threads */
	guest_mem_free(&f->gm);
	free(f);
	return 0;
}

static void transmit(struct fixture *f, const uint8_t *frame, size_t len)
{
	static uint16_t n;
	uint16_t before = tring_used_idx(&f->tx);

	memset(host(&f->gm, TXBUF), 0, HDR_LEN);
	memcpy(host(&f->gm, TXBUF + HDR_LEN), frame, len);
	tring_desc(&f->tx, n % 16, TXBUF, (uint32_t)(HDR_LEN + len), 0, 0);
	tring_avail(&f->tx, n % 16);
	n++;
	wr32(f->dev, VIRTIO_MMIO_QUEUE_NOTIFY, 1);
	assert_int_equal(tring_used_idx(&f->tx), (uint16_t)(before + 1));
}

static uint16_t used_idx_now(struct fixture *f)
{
	struct virtq_used *u = host(&f->gm, f->rx.used);

	return le16toh(__atomic_load_n(&u->idx, __ATOMIC_ACQUIRE));
}

/*
 * Wait (at most 10 s) for a received frame that match() accepts; it is
 * left in f->frame.  Frames that do not match are skipped; every buffer
 * is given back to the device.
 */
static bool wait_frame(struct fixture *f,
		       bool (*match)(struct fixture *f, const uint8_t *fr,
				     size_t len))
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		while (f->rx_seen != used_idx_now(f)) {
			struct virtq_used_elem e = tring_used(&f->rx,
							       f->rx_seen++);
			uint32_t id = le32toh(e.id), len = le32toh(e.len);
			const uint8_t *buf;
			bool ok;

			assert_true(id < NRX);
			assert_true(len >= HDR_LEN && len <= RXBUF_SIZE);
			buf = host(&f->gm, RXBUF + id * RXBUF_SIZE);
			/* One buffer per frame: num_buffers is 1. */
			assert_int_equal(buf[10] | buf[11] << 8, 1);
			ok = match(f, buf + HDR_LEN, len - HDR_LEN);
			if (ok) {
				memcpy(f->frame, buf + HDR_LEN, len - HDR_LEN);
				f->frame_len = len - HDR_LEN;
			}
			post_rx(f, id);
			wr32(f->dev, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
			if (ok)
				return true;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 10)
			return false;
		usleep(1000);
	}
}

static uint16_t csum(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = (uint8_t)v;
}

static void be32(uint8_t *p, uint32_t v)
{
	be16(p, v >> 16);
	be16(p + 2, (uint16_t)v);
}

static uint32_t rd_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static bool is_arp_reply(struct fixture *f, const uint8_t *fr, size_t len)
{
	(void)f;
	return len >= 42 && fr[12] == 0x08 && fr[13] == 0x06 &&
	       fr[20] == 0 && fr[21] == 2 && !memcmp(fr + 28, gw_ip, 4) &&
	       !memcmp(fr + 38, guest_ip, 4);
}

/* A TCP segment from the gateway to our port. */
static bool is_tcp_to_us(struct fixture *f, const uint8_t *fr, size_t len)
{
	(void)f;
	return len >= 54 && fr[12] == 0x08 && fr[13] == 0x00 &&
	       fr[23] == 6 && !memcmp(fr + 26, gw_ip, 4) &&
	       !memcmp(fr + 30, guest_ip, 4) &&
	       (fr[36] << 8 | fr[37]) == GUEST_PORT;
}

static bool is_tcp_with_data(struct fixture *f, const uint8_t *fr, size_t len)
{
	size_t ihl, thl, total;

	if (!is_tcp_to_us(f, fr, len))
		return false;
	ihl = (fr[14] & 0xf) * 4;
	total = (size_t)(fr[16] << 8 | fr[17]);
	thl = (size_t)(fr[14 + ihl + 12] >> 4) * 4;
	return total > ihl + thl;
}

static size_t arp_request(struct fixture *f, uint8_t *fr)
{
	(void)f;
	memset(fr, 0, 60);
	memset(fr, 0xff, 6);
	memcpy(fr + 6, guest_mac, 6);
	be16(fr + 12, 0x0806);
	be16(fr + 14, 1);		/* Ethernet */
	be16(fr + 16, 0x0800);		/* IPv4 */
	fr[18] = 6;
	fr[19] = 4;
	be16(fr + 20, 1);		/* request */
	memcpy(fr + 22, guest_mac, 6);
	memcpy(fr + 28, guest_ip, 4);
	memcpy(fr + 38, gw_ip, 4);
	return 60;
}

/* Ethernet + IPv4 + TCP (no options) with payload; returns frame length. */
static size_t tcp_segment(struct fixture *f, uint8_t *fr, uint16_t dport,
			  uint32_t seq, uint32_t ack, uint8_t flags,
			  const char *data)
{
	size_t dl = data ? strlen(data) : 0;
	uint8_t *ip = fr + 14, *tcp = ip + 20, pseudo[12];
	uint32_t sum = 0;
	unsigned int i;

	memset(fr, 0, 14 + 40 + dl);
	memcpy(fr, f->gw_mac, 6);
	memcpy(fr + 6, guest_mac, 6);
	be16(fr + 12, 0x0800);
	ip[0] = 0x45;
	be16(ip + 2, (uint16_t)(40 + dl));
	be16(ip + 4, 1);
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, guest_ip, 4);
	memcpy(ip + 16, gw_ip, 4);
	be16(ip + 10, csum(ip, 20, 0));
	be16(tcp, GUEST_PORT);
	be16(tcp + 2, dport);
	be32(tcp + 4, seq);
	be32(tcp + 8, ack);
	tcp[12] = 5 << 4;
	tcp[13] = flags;
	be16(tcp + 14, 65535);
	if (dl)
		memcpy(tcp + 20, data, dl);
	memcpy(pseudo, guest_ip, 4);
	memcpy(pseudo + 4, gw_ip, 4);
	pseudo[8] = 0;
	pseudo[9] = 6;
	be16(pseudo + 10, (uint16_t)(20 + dl));
	for (i = 0; i < 12; i += 2)
		sum += (uint32_t)pseudo[i] << 8 | pseudo[i + 1];
	be16(tcp + 16, csum(tcp, 20 + dl, sum));
	return 14 + 40 + dl;
}

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_PSH 0x08
#define TCP_ACK 0x10

static void test_fetch_from_host_loopback(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	uint8_t fr[256];
	uint32_t seq = 1000, their;
	struct pollfd pfd;
	char got[64];
	int ls, cs;
	ssize_t n;
	uint16_t port;
	size_t off;

	/* A server on the host's loopback only. */
	ls = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(ls >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(ls, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(ls, 1), 0);
	assert_int_equal(getsockname(ls, (struct sockaddr *)&sa, &sl), 0);
	port = ntohs(sa.sin_port);

	/* ARP: the gateway answers with its MAC. */
	transmit(f, fr, arp_request(f, fr));
	assert_true(wait_frame(f, is_arp_reply));
	memcpy(f->gw_mac, f->frame + 22, 6);
	assert_memory_equal(f->frame, guest_mac, 6);

	/* SYN to 10.0.2.2:port: slirp connects to 127.0.0.1:port. */
	transmit(f, fr, tcp_segment(f, fr, port, seq, 0, TCP_SYN, NULL));
	pfd.fd = ls;
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 10000), 1);
	cs = accept(ls, NULL, NULL);
	assert_true(cs >= 0);
	assert_true(wait_frame(f, is_tcp_to_us));
	assert_int_equal(f->frame[14 + 20 + 13] & (TCP_SYN | TCP_ACK),
			 TCP_SYN | TCP_ACK);
	assert_int_equal(rd_be32(f->frame + 14 + 20 + 8), seq + 1);
	their = rd_be32(f->frame + 14 + 20 + 4) + 1;
	seq++;

	/* ACK, then a request: the host reads it from the accepted socket. */
	transmit(f, fr, tcp_segment(f, fr, port, seq, their, TCP_ACK, NULL));
	transmit(f, fr, tcp_segment(f, fr, port, seq, their,
				    TCP_ACK | TCP_PSH, "GET /hello\n"));
	seq += 11;
	pfd.fd = cs;
	assert_int_equal(poll(&pfd, 1, 10000), 1);
	n = recv(cs, got, sizeof(got) - 1, 0);
	assert_int_equal(n, 11);
	got[n] = '\0';
	assert_string_equal(got, "GET /hello\n");

	/* The host answers; the guest receives it from 10.0.2.2:port. */
	assert_int_equal(send(cs, "hello from the host\n", 20, 0), 20);
	assert_true(wait_frame(f, is_tcp_with_data));
	off = 14 + 20 + (size_t)(f->frame[14 + 20 + 12] >> 4) * 4;
	assert_int_equal(f->frame_len - off, 20);
	assert_memory_equal(f->frame + off, "hello from the host\n", 20);
	assert_int_equal((f->frame[34] << 8 | f->frame[35]), port);

	close(cs);
	close(ls);
}

/* Built without libslirp: the launch is refused, with the way out. */
static void test_without_libslirp(void **state)
{
	struct net_slirp *ns;

	(void)state;
	cap_begin();
	assert_int_equal(net_slirp_open("--network mode=user", &ns), -1);
	cap_end();
	assert_non_null(strstr(errbuf, "built without libslirp"));
	assert_non_null(strstr(errbuf, "--network tap=NAME"));
	/* the static aarch64 build's way to it (a CCA host has no apt) */
	assert_non_null(strstr(errbuf, "make ARCH=arm64 SLIRP=1"));
}

int main(void)
{
	const struct CMUnitTest with[] = {
		cmocka_unit_test_setup_teardown(test_fetch_from_host_loopback,
						setup, teardown),
	};
	const struct CMUnitTest without[] = {
		cmocka_unit_test(test_without_libslirp),
	};

	if (net_slirp_available())
		return cmocka_run_group_tests(with, NULL, NULL);
	return cmocka_run_group_tests(without, NULL, NULL);
}
