/*
 * Unit tests for the Image, gzip and initrd loaders.  Images are built
 * here byte by byte from the booting.rst header layout, and compressed
 * with zlib's deflate, independently of the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <zlib.h>

#include "vmm/gunzip.h"
#include "vmm/guest_mem.h"
#include "vmm/image_loader.h"
#include "vmm/initrd_loader.h"
#include "vmm/util.h"
#include "arm64/layout.h"
#include "image_fixture.h"
#include "stderr_capture.h"

/* A synthetic Image of len bytes (len >= 64) with a pattern body. */
static uint8_t *make_image(size_t len, uint64_t text_offset,
			   uint64_t image_size, uint64_t flags)
{
	uint8_t *p = malloc(len);
	size_t i;

	assert_non_null(p);
	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + 3);
	image_header(p, text_offset, image_size, flags);
	p[0] = 0x4d; p[1] = 0x5a;	/* "MZ", as EFI stub kernels start */
	return p;
}

/* Compress with zlib's gzip wrapper. */
static uint8_t *gz(const uint8_t *in, size_t len, size_t *out_len)
{
	z_stream zs;
	size_t cap = len + len / 100 + 1024;
	uint8_t *out = malloc(cap);

	assert_non_null(out);
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)in;
	zs.avail_in = len;
	zs.next_out = out;
	zs.avail_out = cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*out_len = zs.total_out;
	deflateEnd(&zs);
	return out;
}

static char *write_tmp(const uint8_t *data, size_t len)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/realmvm-test-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

static void test_valid_header(void **state)
{
	struct kernel_image img;
	uint8_t *p = make_image(4096, 0, 65536, 2 << 1 | 1 << 3);

	(void)state;
	memset(&img, 0, sizeof(img));
	assert_int_equal(image_parse(p, 4096, "k", &img), 0);
	assert_int_equal(img.text_offset, 0);
	assert_int_equal(img.image_size, 65536);
	assert_int_equal(img.page_size, 16384);
	assert_int_equal(img.flags, 2 << 1 | 1 << 3);
	assert_false(img.old_header);
	free(p);
	p = make_image(64, 0x80000, 64, 1 << 1);
	assert_int_equal(image_parse(p, 64, "k", &img), 0);
	assert_int_equal(img.text_offset, 0x80000);
	assert_int_equal(img.page_size, 4096);
	free(p);
}

static void test_load_plain_and_gzip(void **state)
{
	struct kernel_image img;
	size_t zlen;
	uint8_t *p = make_image(300000, 0, 400000, 0), *z;
	char *path;

	(void)state;
	path = write_tmp(p, 300000);
	assert_int_equal(image_load_file(path, &img), 0);
	assert_false(img.gzipped);
	assert_int_equal(img.size, 300000);
	/* A plain Image is not staged in memory: it is read, or mapped in a
	 * dry run, straight into guest RAM, and both give the file's bytes
	 * followed by zeros. */
	assert_null(img.data);
	{
		struct guest_mem gm;
		uint8_t *g;
		size_t i;
		int map;

		for (map = 0; map < 2; map++) {
			assert_int_equal(guest_mem_alloc(&gm, RAM_BASE, 4 << 20), 0);
			assert_int_equal((map ? image_map_to_guest :
					  image_copy_to_guest)(&img, &gm, RAM_BASE), 0);
			g = gm_ptr(&gm, RAM_BASE, 4 << 20);
			assert_memory_equal(g, p, 300000);
			for (i = 300000; i < ALIGN_UP(300000, 4096); i++)
				assert_int_equal(g[i], 0);
			/* too little RAM for the kernel: an error, not an overrun */
			assert_int_not_equal(image_copy_to_guest(&img, &gm,
					     RAM_BASE + (4 << 20) - 4096), 0);
			guest_mem_free(&gm);
		}
	}
	image_free(&img);
	unlink(path);

	z = gz(p, 300000, &zlen);
	path = write_tmp(z, zlen);
	assert_int_equal(image_load_file(path, &img), 0);
	assert_true(img.gzipped);
	assert_int_equal(img.size, 300000);
	assert_int_equal(img.image_size, 400000);
	/* Not staged either: inflated from the file straight into RAM. */
	assert_null(img.data);
	{
		struct guest_mem gm;
		int map;

		for (map = 0; map < 2; map++) {
			assert_int_equal(guest_mem_alloc(&gm, RAM_BASE, 4 << 20), 0);
			assert_int_equal((map ? image_map_to_guest :
					  image_copy_to_guest)(&img, &gm,
							       RAM_BASE + 4096), 0);
			assert_memory_equal(gm.host + 4096, p, 300000);
			guest_mem_free(&gm);
		}
	}
	image_free(&img);
	unlink(path);
	free(z);
	free(p);
}

/* image_parse() refuses p[0..len), and its one error line holds msg. */
static void assert_parse_refused(const uint8_t *p, size_t len,
				 const char *name, const char *msg)
{
	struct kernel_image img;
	int ret;

	cap_begin();
	ret = image_parse(p, len, name, &img);
	cap_end();
	assert_int_equal(ret, -1);
	assert_non_null(strstr(errbuf, msg));
}

static void test_bad_magic(void **state)
{
	uint8_t *p = make_image(4096, 0, 8192, 0);

	(void)state;
	p[0x3b] = 0x65;
	assert_parse_refused(p, 4096, "vmlinux", "vmlinux: not an arm64 Image");
	free(p);
}

static void test_truncated(void **state)
{
	struct kernel_image img;
	uint8_t *p = make_image(4096, 0, 8192, 0);
	int ret;

	(void)state;
	assert_parse_refused(p, 63, "k", "truncated");
	cap_begin();
	ret = image_parse(p, 0, "k", &img);
	cap_end();
	assert_int_equal(ret, -1);
	/* image_size smaller than the file: a header that lies. */
	cap_begin();
	ret = image_parse(p, 4096, "k", &img) ;
	cap_end();
	assert_int_equal(ret, 0);
	put64(p + 16, 4095);
	assert_parse_refused(p, 4096, "k", "smaller than the file");
	free(p);
}

static void test_big_endian(void **state)
{
	uint8_t *p = make_image(4096, 0, 8192, 1);

	(void)state;
	assert_parse_refused(p, 4096, "k", "big-endian");
	free(p);
}

static void test_old_kernel(void **state)
{
	struct kernel_image img;
	/* Pre-3.17: image_size 0, text_offset big-endian garbage, flags 0. */
	uint8_t *p = make_image(8192, 0x0000080000000000ULL, 0, 0);

	(void)state;
	assert_int_equal(image_parse(p, 8192, "k", &img), 0);
	assert_true(img.old_header);
	assert_int_equal(img.text_offset, 0x80000);
	assert_int_equal(img.image_size, 8192);
	free(p);
}

static void test_corrupt_gzip(void **state)
{
	struct kernel_image img;
	uint8_t *p = make_image(200000, 0, 200000, 0), *z, *buf;
	size_t zlen;
	int ret;

	(void)state;
	z = gz(p, 200000, &zlen);

	/* A flipped byte in the deflate data (or its CRC) is caught. */
	buf = malloc(zlen);
	memcpy(buf, z, zlen);
	buf[zlen / 2] ^= 0xff;
	cap_begin();
	ret = image_from_buffer(buf, zlen, "Image.gz", &img);
	cap_end();
	assert_int_equal(ret, -1);
	assert_non_null(strstr(errbuf, "kernel Image.gz: corrupt gzip stream"));

	/* Cut short. */
	buf = malloc(zlen);
	memcpy(buf, z, zlen);
	cap_begin();
	ret = image_from_buffer(buf, zlen - 9, "Image.gz", &img);
	cap_end();
	assert_int_equal(ret, -1);
	assert_non_null(strstr(errbuf, "truncated gzip stream"));

	/* Trailing garbage. */
	buf = malloc(zlen + 3);
	memcpy(buf, z, zlen);
	memcpy(buf + zlen, "xyz", 3);
	cap_begin();
	ret = image_from_buffer(buf, zlen + 3, "Image.gz", &img);
	cap_end();
	assert_int_equal(ret, -1);
	assert_non_null(strstr(errbuf, "trailing garbage"));

	/* A corrupt gzip header (bad compression method). */
	buf = malloc(zlen);
	memcpy(buf, z, zlen);
	buf[2] = 7;
	cap_begin();
	ret = image_from_buffer(buf, zlen, "Image.gz", &img);
	cap_end();
	assert_int_equal(ret, -1);
	assert_non_null(strstr(errbuf, "corrupt gzip"));

	/* Only the magic. */
	buf = malloc(2);
	memcpy(buf, z, 2);
	cap_begin();
	ret = image_from_buffer(buf, 2, "Image.gz", &img);
	cap_end();
	assert_int_equal(ret, -1);
	assert_non_null(strstr(errbuf, "truncated"));
	free(z);
	free(p);
}

static void test_gunzip_cap_and_members(void **state)
{
	uint8_t *zeros = calloc(1, 1 << 20), *z, *two, *out;
	size_t zlen, out_len;
	int ret;

	(void)state;
	z = gz(zeros, 1 << 20, &zlen);
	cap_begin();
	ret = gunzip_buffer(z, zlen, 1000, "initrd", "bomb.gz", &out,
			    &out_len);
	cap_end();
	assert_int_equal(ret, -1);
	assert_non_null(strstr(errbuf, "initrd bomb.gz: decompresses to more than 1000 bytes"));
	/* Exactly at the cap is fine; one byte less is not. */
	assert_int_equal(gunzip_buffer(z, zlen, 1 << 20, "x", "y", &out,
				       &out_len), 0);
	assert_int_equal(out_len, 1 << 20);
	free(out);
	cap_begin();
	ret = gunzip_buffer(z, zlen, (1 << 20) - 1, "x", "y", &out, &out_len);
	cap_end();
	assert_int_equal(ret, -1);

	/* Two members, as `cat a.gz b.gz` makes, inflate to both. */
	two = malloc(2 * zlen);
	memcpy(two, z, zlen);
	memcpy(two + zlen, z, zlen);
	assert_int_equal(gunzip_buffer(two, 2 * zlen, 4 << 20, "x", "y", &out,
				       &out_len), 0);
	assert_int_equal(out_len, 2 << 20);
	assert_memory_equal(out, zeros, 1 << 20);
	free(out);
	free(two);
	free(z);
	free(zeros);
	assert_true(is_gzip((const uint8_t *)"\x1f\x8b", 2));
	assert_false(is_gzip((const uint8_t *)"\x1f", 1));
}

/*
 * A gzip kernel is refused as soon as it inflates past its header's
 * image_size, the room the layout gives it, without inflating the rest.
 */
static void test_gzip_kernel_bounded_by_image_size(void **state)
{
	size_t len = 4 << 20, zlen;
	uint8_t *p = calloc(1, len), *z;
	struct kernel_image img;
	char *path;
	int ret;

	(void)state;
	assert_non_null(p);
	image_header(p, 0, 1 << 20, 0);		/* claims 1 MiB, holds 4 */
	z = gz(p, len, &zlen);
	path = write_tmp(z, zlen);
	cap_begin();
	ret = image_load_file(path, &img);
	cap_end();
	assert_int_equal(ret, -1);
	assert_non_null(strstr(errbuf, "decompresses to more than 1048576 bytes"));
	unlink(path);
	free(z);
	free(p);
}

/* booting.rst / head.S: text_offset 4 KiB aligned and below 2 MiB. */
static void test_text_offset_rules(void **state)
{
	struct kernel_image img;
	uint8_t *p = make_image(4096, 0x80001, 65536, 0);

	(void)state;
	assert_parse_refused(p, 4096, "k",
			     "text_offset 0x80001 is not 4 KiB aligned");
	free(p);
	p = make_image(4096, 0x200000, 65536, 0);
	assert_parse_refused(p, 4096, "k",
			     "text_offset 0x200000 is not below 2 MiB");
	free(p);
	p = make_image(4096, 0x1ff000, 65536, 0);
	assert_int_equal(image_parse(p, 4096, "k", &img), 0);
	free(p);
}

static void test_copy_to_guest(void **state)
{
	struct guest_mem gm;
	struct kernel_image img;
	uint8_t *p = make_image(8192, 0, 8192, 0);
	int ret;

	(void)state;
	assert_int_equal(guest_mem_alloc(&gm, 0x80000000ULL, 1 << 20), 0);
	assert_int_equal(image_from_buffer(p, 8192, "k", &img), 0);
	assert_int_equal(image_copy_to_guest(&img, &gm, 0x80001000ULL), 0);
	assert_memory_equal(gm.host + 0x1000, img.data, 8192);
	cap_begin();
	ret = image_copy_to_guest(&img, &gm, 0x80000000ULL + (1 << 20) - 4096);
	cap_end();
	assert_int_equal(ret, -1);
	cap_begin();
	ret = image_copy_to_guest(&img, &gm, 0x1000);
	cap_end();
	assert_int_equal(ret, -1);
	image_free(&img);
	guest_mem_free(&gm);
}

static void test_initrd(void **state)
{
	struct guest_mem gm;
	struct initrd rd;
	uint8_t data[10000], *z;
	size_t zlen, i;
	char *path;
	int ret;

	(void)state;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13);
	assert_int_equal(guest_mem_alloc(&gm, 0x80000000ULL, 1 << 20), 0);

	path = write_tmp(data, sizeof(data));
	assert_int_equal(initrd_open(path, &rd), 0);
	assert_int_equal(rd.size, sizeof(data));
	assert_int_equal(initrd_load(&rd, &gm, 0x80010000ULL), 0);
	assert_memory_equal(gm.host + 0x10000, data, sizeof(data));
	initrd_close(&rd);
	unlink(path);

	/*
	 * gzip, followed by zero padding as Linux accepts it: loaded as
	 * given, never inflated (lkvm and QEMU do the same).
	 */
	z = gz(data, sizeof(data), &zlen);
	z = realloc(z, zlen + 512);
	assert_non_null(z);
	memset(z + zlen, 0, 512);
	path = write_tmp(z, zlen + 512);
	assert_int_equal(initrd_open(path, &rd), 0);
	assert_int_equal(rd.size, zlen + 512);
	memset(gm.host, 0, 1 << 20);
	assert_int_equal(initrd_load(&rd, &gm, 0x80020000ULL), 0);
	assert_memory_equal(gm.host + 0x20000, z, zlen + 512);
	/* Outside RAM. */
	cap_begin();
	ret = initrd_load(&rd, &gm, 0x800ffff0ULL);	/* 16 bytes left */
	cap_end();
	assert_int_equal(ret, -1);
	initrd_close(&rd);
	unlink(path);

	/* Empty, missing, corrupt. */
	path = write_tmp(data, 0);
	cap_begin();
	ret = initrd_open(path, &rd);
	cap_end();
	assert_int_equal(ret, -1);
	assert_non_null(strstr(errbuf, "empty"));
	unlink(path);
	cap_begin();
	ret = initrd_open("/nonexistent/initrd", &rd);
	cap_end();
	assert_int_equal(ret, -1);
	assert_non_null(strstr(errbuf, "initrd /nonexistent/initrd"));
	/* A corrupt gzip stream is the kernel's to judge: loaded as is. */
	z[zlen - 3] ^= 1;	/* the length field of the trailer */
	path = write_tmp(z, zlen);
	assert_int_equal(initrd_open(path, &rd), 0);
	assert_int_equal(rd.size, zlen);
	assert_int_equal(initrd_load(&rd, &gm, 0x80030000ULL), 0);
	assert_memory_equal(gm.host + 0x30000, z, zlen);
	initrd_close(&rd);
	unlink(path);
	free(z);
	guest_mem_free(&gm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_header),
		cmocka_unit_test(test_load_plain_and_gzip),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_big_endian),
		cmocka_unit_test(test_old_kernel),
		cmocka_unit_test(test_corrupt_gzip),
		cmocka_unit_test(test_gunzip_cap_and_members),
		cmocka_unit_test(test_gzip_kernel_bounded_by_image_size),
		cmocka_unit_test(test_text_offset_rules),
		cmocka_unit_test(test_copy_to_guest),
		cmocka_unit_test(test_initrd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
