/*
 * Fuzz the event log reader on the `realmvm log show` and `log verify`
 * paths: event_log_parse() on the raw bytes, then, for a log it accepts,
 * the replay under every host profile and the show/verify commands
 * themselves (their output goes to stdout, which run.sh discards).
 *
 * The verifier's kernel (like make_image in tests/bats/fixtures.bash,
 * 64 KiB), initrd (4 KiB of 'I') and DTB (a small libfdt tree) are built
 * here.  With FUZZ_EVENT_LOG_BLOBS=DIR set, the harness writes them to
 * DIR and exits: fuzz/make-seeds.sh boots exactly those files in the dry
 * runs that make the seed logs, so the seeds replay with matching digests
 * and mutations reach the deep end of the replay.
 */
#include <libfdt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz/fuzz_input.h"
#include "realm/event_log_parse.h"
#include "realm/event_log_replay.h"
#include "vmm/commands.h"

#define KERNEL_SIZE	65536
#define INITRD_SIZE	4096

#define DTB_SIZE	512

static uint8_t kernel[KERNEL_SIZE], initrd[INITRD_SIZE];
static uint8_t dtb[DTB_SIZE] __attribute__((aligned(8)));
static char kernel_path[64], initrd_path[64], dtb_path[64];

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = v >> (8 * i);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

static int dump_one(const char *dir, const char *name, const void *p,
		    size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len) {
		perror(path);
		return 1;
	}
	return fclose(f) ? 1 : 0;
}

static int dump_blobs(const char *dir)
{
	return dump_one(dir, "kernel", kernel, sizeof(kernel)) |
	       dump_one(dir, "initrd", initrd, sizeof(initrd)) |
	       dump_one(dir, "dtb", dtb, fdt_totalsize(dtb));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	memset(kernel, 'K', sizeof(kernel));
	memset(kernel, 0, 64);
	put32(kernel + 0x00, 0x14000010);	/* b +0x40 */
	put64(kernel + 0x10, 0x20000);		/* image_size */
	put64(kernel + 0x18, 0xa);		/* flags */
	put32(kernel + 0x38, 0x644d5241);	/* "ARM\x64" */
	memset(initrd, 'I', sizeof(initrd));
	if (fdt_create_empty_tree(dtb, sizeof(dtb)) ||
	    fdt_setprop_string(dtb, 0, "model", "fuzz") ||
	    fdt_add_subnode(dtb, 0, "chosen") < 0 || fdt_pack(dtb))
		abort();
	if (fz_memfd(kernel, sizeof(kernel), kernel_path) < 0 ||
	    fz_memfd(initrd, sizeof(initrd), initrd_path) < 0 ||
	    fz_memfd(dtb, fdt_totalsize(dtb), dtb_path) < 0)
		abort();
	if (getenv("FUZZ_EVENT_LOG_BLOBS"))
		exit(dump_blobs(getenv("FUZZ_EVENT_LOG_BLOBS")));
	return 0;
}

static void run_cmd(char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	cmd_log(argc, argv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct replay_blob blobs[BLOB_FIRMWARE + 1];
	struct replay_result *res;
	struct event_log log;
	char path[64];
	int abi, fd;

	memset(&log, 0, sizeof(log));
	if (event_log_parse(data, size, &log)) {
		if (!log.error[0] || memchr(log.error, '\n', sizeof(log.error)))
			abort();	/* errors are one non-empty line */
		event_log_free(&log);
		return 0;
	}
	if (log.end > size || log.nr_events > log.events_cap)
		abort();

	memset(blobs, 0, sizeof(blobs));
	blobs[BLOB_KERNEL] = (struct replay_blob){
		.path = "kernel", .data = kernel, .len = sizeof(kernel) };
	blobs[BLOB_INITRD] = (struct replay_blob){
		.path = "initrd", .data = initrd, .len = sizeof(initrd) };
	blobs[BLOB_DTB] = (struct replay_blob){
		.path = "dtb", .data = dtb, .len = fdt_totalsize(dtb) };
	res = malloc(sizeof(*res));
	if (!res)
		abort();
	for (abi = -1; abi < HOST_ABI_COUNT; abi++) {
		memset(res, 0, sizeof(*res));
		event_log_replay(&log, abi < 0 ? NULL : host_profile_get(abi),
				 blobs, res);
	}
	free(res);
	event_log_free(&log);

	/* The commands, reading the log as a file. */
	fd = fz_memfd(data, size, path);
	if (fd < 0)
		return 0;
	run_cmd((char *[]){ "log", "show", path, NULL });
	run_cmd((char *[]){ "log", "show", "--json", path, NULL });
	run_cmd((char *[]){ "log", "verify", "--json", "--kernel", kernel_path,
			    "--initrd", initrd_path, "--dtb", dtb_path, path,
			    NULL });
	close(fd);
	return 0;
}
