/*
 * virtio-net on a real tap device: a frame the guest transmits comes out
 * of the interface, a frame sent into the interface lands in a guest
 * receive buffer behind a version 1 header, and malformed guest buffers
 * are answered without breaking the device.  The transmit and receive
 * tests need /dev/net/tun and CAP_NET_ADMIN; where those are missing only
 * the tests that need no tap run (on a dry-run device), and a note says so.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/unit/virtio_test_driver.h"
#include "vmm/config.h"
#include "vmm/util.h"

#define F_V1		(1ULL << VIRTIO_F_VERSION_1)
#define F_MAC		(1ULL << 5)
#define ETHERTYPE_TEST	0x88b5	/* IEEE local experimental */
#define RXRING		(RAM_BASE + 0x1000)
#define TXRING		(RAM_BASE + 0x3000)
#define RXBUF		(RAM_BASE + 0x10000)	/* 8 x 2 KiB */
#define TXBUF		(RAM_BASE + 0x20000)
#define HDR_LEN		12
#define NRX		8

struct fixture {
	struct guest_mem gm;
	struct config cfg;
	char name[IFNAMSIZ];
	struct device *dev;
	struct tring rx, tx;
	int pkt;		/* AF_PACKET socket on the tap, or -1 */
};

static const uint8_t guest_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x50 };

static int if_up(const char *name)
{
	struct ifreq ifr;
	char path[96];
	int s, fd, r;

	/* No IPv6 autoconfiguration chatter on the test interface. */
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
		 name);
	fd = open(path, O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "1", 1) < 0) {
			/* best effort */
		}
		close(fd);
	}
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	r = ioctl(s, SIOCGIFFLAGS, &ifr);
	if (!r) {
		ifr.ifr_flags |= IFF_UP;
		r = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
	return r;
}

static void tap_name(char *name)
{
	snprintf(name, IFNAMSIZ, "rvt%u", (unsigned)getpid() % 100000);
}

static int make(void **state, bool with_tap)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct sockaddr_ll sll;

	assert_non_null(f);
	f->pkt = -1;
	*state = f;
	assert_int_equal(guest_mem_alloc(&f->gm, RAM_BASE, TEST_RAM_SIZE), 0);
	config_init(&f->cfg);
	tap_name(f->name);
	f->cfg.nets[0].mode = NET_MODE_TAP;
	f->cfg.nets[0].tapif = f->name;
	f->cfg.nr_nets = 1;
	f->cfg.dry_run = !with_tap;	/* a dry run opens no tap */
	device_reset_registry();
	assert_int_equal(virtio_devices_setup(&f->cfg, &f->gm), 0);
	f->dev = device_first();
	if (with_tap) {
		assert_int_equal(if_up(f->name), 0);
		f->pkt = socket(AF_PACKET, SOCK_RAW, htons(ETHERTYPE_TEST));
		assert_true(f->pkt >= 0);
		memset(&sll, 0, sizeof(sll));
		sll.sll_family = AF_PACKET;
		sll.sll_protocol = htons(ETHERTYPE_TEST);
		sll.sll_ifindex = if_nametoindex(f->name);
		assert_int_equal(bind(f->pkt, (struct sockaddr *)&sll,
				      sizeof(sll)), 0);
	}

	tring_init(&f->rx, &f->gm, RXRING, 16);
	tring_init(&f->tx, &f->gm, TXRING, 16);
	assert_true(drv_negotiate(f->dev, F_V1 | F_MAC) &
		    VIRTIO_STATUS_FEATURES_OK);
	drv_queue(f->dev, 0, 16, f->rx.desc, f->rx.avail, f->rx.used);
	drv_queue(f->dev, 1, 16, f->tx.desc, f->tx.avail, f->tx.used);
	drv_ok(f->dev);
	return 0;
}

static int setup(void **state)
{
	return make(state, true);
}

static int setup_no_tap(void **state)
{
	return make(state, false);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	device_reset_registry();
	virtio_mmio_destroy_all();	/* stops the receive thread */
	if (f->pkt >= 0)
		close(f->pkt);
	guest_mem_free(&f->gm);
	free(f);
	return 0;
}

/* A minimal Ethernet frame with our ethertype and a text payload. */
static size_t make_frame(uint8_t *buf, const uint8_t *dst, const uint8_t *src,
			 const char *text)
{
	memset(buf, 0, 60);
	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	buf[12] = ETHERTYPE_TEST >> 8;
	buf[13] = ETHERTYPE_TEST & 0xff;
	memcpy(buf + 14, text, strlen(text));
	return 60;
}

static void test_config_mac(void **state)
{
	struct fixture *f = *state;
	uint8_t d[8];

	assert_int_equal(rd32(f->dev, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_NET);
	f->dev->mmio(f->dev, VIRTIO_MMIO_CONFIG, d, 4, false);
	f->dev->mmio(f->dev, VIRTIO_MMIO_CONFIG + 4, d + 4, 4, false);
	assert_memory_equal(d, guest_mac, 6);
	assert_int_equal(d[6] | d[7] << 8, 1);		/* link up */
}

/* -n ...,guest_mac=MAC replaces the per-slot default in config space. */
static void test_config_given_mac(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0xab, 0xcd, 0xef, 0x01, 0x23 };
	struct config cfg;
	struct device *dev;
	uint8_t d[8];

	(void)state;
	config_init(&cfg);
	cfg.dry_run = true;
	cfg.nr_nets = 2;
	cfg.nets[0].mode = cfg.nets[1].mode = NET_MODE_TAP;
	cfg.nets[0].tapif = "rvt-a";
	cfg.nets[1].tapif = "rvt-b";
	memcpy(cfg.nets[1].mac, mac, 6);
	cfg.nets[1].mac_set = true;
	device_reset_registry();
	virtio_mmio_destroy_all();
	assert_int_equal(virtio_devices_setup(&cfg, &((struct fixture *)*state)->gm), 0);
	dev = device_first();
	assert_non_null(dev);
	assert_non_null(dev->next);
	dev->mmio(dev, VIRTIO_MMIO_CONFIG, d, 4, false);
	dev->mmio(dev, VIRTIO_MMIO_CONFIG + 4, d + 4, 4, false);
	assert_memory_equal(d, guest_mac, 6);		/* slot 0: default */
	dev = dev->next;
	dev->mmio(dev, VIRTIO_MMIO_CONFIG, d, 4, false);
	dev->mmio(dev, VIRTIO_MMIO_CONFIG + 4, d + 4, 4, false);
	assert_memory_equal(d, mac, 6);
}

static void test_transmit(void **state)
{
	struct fixture *f = *state;
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t frame[64], got[2048];
	struct pollfd pfd;
	size_t len;
	ssize_t n;

	len = make_frame(frame, bcast, guest_mac, "realmvm-tx-test");
	memset(host(&f->gm, TXBUF), 0, HDR_LEN);
	memcpy(host(&f->gm, TXBUF + 0x100), frame, len);
	tring_desc(&f->tx, 0, TXBUF, HDR_LEN, VIRTQ_DESC_F_NEXT, 1);
	tring_desc(&f->tx, 1, TXBUF + 0x100, len, 0, 0);
	tring_avail(&f->tx, 0);
	wr32(f->dev, VIRTIO_MMIO_QUEUE_NOTIFY, 1);
	assert_int_equal(tring_used_idx(&f->tx), 1);

	/* The frame leaves the interface without the virtio header. */
	pfd.fd = f->pkt;
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 10000), 1);
	n = recv(f->pkt, got, sizeof(got), 0);
	assert_int_equal(n, len);
	assert_memory_equal(got, frame, len);
}

static void test_receive(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_ll sll;
	uint8_t frame[64];
	unsigned int i, tries;
	bool found = false;
	size_t len;

	for (i = 0; i < NRX; i++) {
		tring_desc(&f->rx, i, RXBUF + i * 2048, 2048,
			   VIRTQ_DESC_F_WRITE, 0);
		tring_avail(&f->rx, i);
	}
	wr32(f->dev, VIRTIO_MMIO_QUEUE_NOTIFY, 0);

	len = make_frame(frame, guest_mac, (const uint8_t *)"\x02\0\0\0\0\1",
			 "realmvm-rx-test");
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = if_nametoindex(f->name);
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, guest_mac, 6);
	assert_int_equal(sendto(f->pkt, frame, len, 0, (struct sockaddr *)&sll,
				sizeof(sll)), len);

	/*
	 * The receive thread delivers it; wait for the used entry (bounded:
	 * this is a wait for an event, the result does not depend on time).
	 */
	for (tries = 0; tries < 1000 && !found; tries++) {
		struct virtq_used *u = host(&f->gm, f->rx.used);
		uint16_t idx = le16toh(__atomic_load_n(&u->idx,
						       __ATOMIC_ACQUIRE));

		for (i = 0; i < idx && !found; i++) {
			struct virtq_used_elem e = tring_used(&f->rx, i);
			uint8_t *b = host(&f->gm, RXBUF +
					  le32toh(e.id) * 2048);

			if (le32toh(e.len) == HDR_LEN + len &&
			    !memcmp(b + HDR_LEN, frame, len)) {
				found = true;
				/* num_buffers = 1 without MRG_RXBUF */
				assert_int_equal(b[10] | b[11] << 8, 1);
			}
		}
		if (!found)
			usleep(10000);
	}
	assert_true(found);
}

static void test_malformed_buffers(void **state)
{
	struct fixture *f = *state;

	/* A transmit chain shorter than the header is dropped, not sent. */
	tring_desc(&f->tx, 0, TXBUF, 4, 0, 0);
	tring_avail(&f->tx, 0);
	wr32(f->dev, VIRTIO_MMIO_QUEUE_NOTIFY, 1);
	assert_int_equal(tring_used_idx(&f->tx), 1);
	assert_int_equal(le32toh(tring_used(&f->tx, 0).len), 0);
	assert_false(rd32(f->dev, VIRTIO_MMIO_STATUS) &
		     VIRTIO_STATUS_NEEDS_RESET);
	/* A descriptor loop breaks the device, without a hang. */
	tring_desc(&f->tx, 1, TXBUF, 4, VIRTQ_DESC_F_NEXT, 1);
	tring_avail(&f->tx, 1);
	wr32(f->dev, VIRTIO_MMIO_QUEUE_NOTIFY, 1);
	assert_true(rd32(f->dev, VIRTIO_MMIO_STATUS) &
		    VIRTIO_STATUS_NEEDS_RESET);
}

/* Can this process create a tap device? */
static bool tap_possible(void)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	tap_name(ifr.ifr_name);
	ok = ioctl(fd, TUNSETIFF, &ifr) == 0;
	close(fd);			/* the tap goes away with the fd */
	return ok;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define N(fn) cmocka_unit_test_setup_teardown(fn, setup_no_tap, teardown)

int main(void)
{
	const struct CMUnitTest with_tap[] = {
		T(test_config_mac),
		N(test_config_given_mac),
		T(test_transmit),
		T(test_receive),
		T(test_malformed_buffers),
	};
	const struct CMUnitTest without_tap[] = {
		N(test_config_mac),
		N(test_config_given_mac),
		N(test_malformed_buffers),
	};

	if (tap_possible())
		return cmocka_run_group_tests(with_tap, NULL, NULL);
	fprintf(stderr, "# no tap device possible here (needs /dev/net/tun "
		"and CAP_NET_ADMIN): transmit/receive tests not run\n");
	return cmocka_run_group_tests_name("virtio_net_no_tap", without_tap,
					   NULL, NULL);
}
