/*
 * realm-check: run inside a realm guest (or offline on saved files) to
 * compare what the measurement event log says about the launch with what
 * the RMM signed in the attestation token, and optionally with the RIM a
 * host predicted (`realmvm run --realm --dry-run`).  Exit 0 when
 * everything agrees, 1 when something disagrees or cannot be read, 2 for
 * a bad command line.  Details and limits: docs/realm-check.md.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "attest/cca_token.h"
#include "attest/appraise.h"
#include "attest/cose_verify.h"
#include "realm/event_log_parse.h"
#include "vmm/out_file.h"
#include "vmm/util.h"

#define TSM_REPORT_DIR	"/sys/kernel/config/tsm/report"
#define TSM_PROVIDER	"arm_cca_guest"
#define CCEL_PATH	"/sys/kernel/tsm/ccel"
#define DT_ROOT		"/proc/device-tree"
#define DEV_MEM		"/dev/mem"
#define LOG_COMPATIBLE	"cc-event-log"

/* Nothing we read is anywhere near this; it only bounds hostile inputs. */
#define MAX_TOKEN_SIZE	(1u << 20)
#define MAX_LOG_SIZE	(16u << 20)

struct options {
	const char *token_path;
	const char *log_path;
	const char *save_token;
	const char *save_log;
	const char *dt_root;
	const char *mem_path;
	const char *iak_path;
	bool no_log;
	bool require_log;
	uint8_t challenge[CCA_CHALLENGE_SIZE];
	bool challenge_set;
	uint8_t expect_rim[CCA_MEASUREMENT_MAX];
	size_t expect_rim_len;
	bool expect_rim_set;
	uint8_t expect_rpv[CCA_RPV_SIZE];
	bool expect_rpv_set;
};

/*
 * While looking for a log that may legitimately be absent, errors are
 * kept in last_error instead of printed, so they can be reported as the
 * reason the log checks were skipped.
 */
static bool errors_quiet;
static char last_error[512];

static int rc_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int rc_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	if (!errors_quiet)
		fprintf(stderr, "realm-check: %s\n", last_error);
	return -1;
}

/*
 * Read a file to EOF.  sysfs and configfs attributes do not report a
 * useful st_size, so this reads in chunks up to max bytes.
 */
static int read_fd_all(int fd, const char *what, size_t max, uint8_t **out,
		       size_t *len)
{
	size_t cap = 4096, n = 0;
	uint8_t *buf = malloc(cap), *nb;

	if (!buf)
		return rc_err("%s: out of memory", what);
	for (;;) {
		ssize_t r;

		if (n == cap) {
			if (cap >= max) {
				free(buf);
				return rc_err("%s: larger than %zu bytes",
					      what, max);
			}
			cap = MIN(cap * 2, (size_t)max);
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return rc_err("%s: out of memory", what);
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(buf);
			return rc_err("%s: read failed: %s", what, strerror(e));
		}
		if (!r)
			break;
		n += r;
	}
	*out = buf;
	*len = n;
	return 0;
}

static int read_path(const char *path, const char *what, size_t max,
		     uint8_t **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return rc_err("%s %s: %s", what, path, strerror(errno));
	ret = read_fd_all(fd, what, max, out, len);
	close(fd);
	return ret;
}

static int write_path(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t w;

	if (fd < 0)
		return rc_err("%s: %s", path, strerror(errno));
	do {
		w = write(fd, data, len);
	} while (w < 0 && errno == EINTR);
	if (w < 0 || (size_t)w != len) {
		int e = w < 0 ? errno : EIO;

		close(fd);
		return rc_err("%s: write failed: %s", path, strerror(e));
	}
	if (close(fd) < 0)
		return rc_err("%s: write failed: %s", path, strerror(errno));
	return 0;
}

/* Read a small text attribute such as "generation" into a string. */
static int read_attr(const char *dir, const char *name, char *out,
		     size_t size)
{
	char path[512];
	uint8_t *buf;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (read_path(path, "configfs-tsm attribute", 4096, &buf, &len) < 0)
		return -1;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\0'))
		len--;
	if (len >= size) {
		free(buf);
		return rc_err("%s: unexpectedly long value", path);
	}
	memcpy(out, buf, len);
	out[len] = '\0';
	free(buf);
	return 0;
}

static int read_generation(const char *dir, unsigned long *gen)
{
	char val[32], *end;

	if (read_attr(dir, "generation", val, sizeof(val)) < 0)
		return -1;
	errno = 0;
	*gen = strtoul(val, &end, 10);
	if (errno || end == val || *end)
		return rc_err("%s/generation: not a number: \"%s\"", dir, val);
	return 0;
}

/*
 * Ask the RMM for a token through configfs-tsm: create a report entry,
 * write the challenge, read the token, and make sure nobody else wrote to
 * the entry in between (the generation counter moves on every write).
 */
static int tsm_get_token(const uint8_t *challenge, uint8_t **tok,
			 size_t *tok_len)
{
	char dir[256], provider[64], path[300];
	unsigned long gen0, gen1;
	struct stat st;
	int ret = -1;

	if (stat(TSM_REPORT_DIR, &st) < 0 || !S_ISDIR(st.st_mode))
		return rc_err("%s not found: need configfs mounted on /sys/kernel/config, CONFIG_TSM_REPORTS and the arm-cca-guest driver (or use --token FILE)",
			      TSM_REPORT_DIR);
	snprintf(dir, sizeof(dir), "%s/realm-check.%ld", TSM_REPORT_DIR,
		 (long)getpid());
	if (mkdir(dir, 0700) < 0)
		return rc_err("cannot create %s: %s", dir, strerror(errno));

	if (read_attr(dir, "provider", provider, sizeof(provider)) < 0)
		goto out;
	if (strcmp(provider, TSM_PROVIDER)) {
		rc_err("configfs-tsm provider is \"%s\", not %s: not an Arm CCA realm",
		       provider, TSM_PROVIDER);
		goto out;
	}
	if (read_generation(dir, &gen0) < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/inblob", dir);
	if (write_path(path, challenge, CCA_CHALLENGE_SIZE) < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/outblob", dir);
	if (read_path(path, "attestation token", MAX_TOKEN_SIZE, tok,
		      tok_len) < 0)
		goto out;
	if (read_generation(dir, &gen1) < 0)
		goto out_free;
	if (gen1 != gen0 + 1) {
		rc_err("configfs-tsm generation went from %lu to %lu: another writer used %s",
		       gen0, gen1, dir);
		goto out_free;
	}
	ret = 0;
	goto out;
out_free:
	free(*tok);
	*tok = NULL;
out:
	if (rmdir(dir) < 0 && ret == 0)
		rc_err("warning: cannot remove %s: %s", dir, strerror(errno));
	return ret;
}

static uint64_t be_cells(const uint8_t *p, unsigned int cells)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < cells * 4; i++)
		v = (v << 8) | p[i];
	return v;
}

static int dt_u32(const char *path, uint32_t *val)
{
	uint8_t *buf;
	size_t len;

	if (read_path(path, "device tree property", 64, &buf, &len) < 0)
		return -1;
	if (len != 4) {
		free(buf);
		return rc_err("%s: expected one 32-bit cell", path);
	}
	*val = (uint32_t)be_cells(buf, 1);
	free(buf);
	return 0;
}

/* Does a (NUL-separated string list) compatible property name ours? */
static bool compatible_has(const uint8_t *buf, size_t len, const char *want)
{
	size_t off = 0, wl = strlen(want);

	while (off < len) {
		const uint8_t *nul = memchr(buf + off, '\0', len - off);
		size_t sl = nul ? (size_t)(nul - (buf + off)) : len - off;

		if (sl == wl && !memcmp(buf + off, want, wl))
			return true;
		off += sl + 1;
	}
	return false;
}

/*
 * Copy size bytes of physical memory at base out of mem_path (/dev/mem)
 * through a mapping, never read(): realmvm marks the log region no-map,
 * which keeps it out of "System RAM" so that a kernel with
 * CONFIG_STRICT_DEVMEM lets root map it, but such a region has no linear
 * map for read() to copy from (EFAULT).  The kernel maps it as Device
 * memory, where an unaligned access faults, so the copy uses naturally
 * aligned loads only.
 */
static int read_phys(const char *mem_path, uint64_t base, uint64_t size,
		     uint8_t **out, size_t *len)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t off = base & (page - 1), map_len, i;
	const volatile uint8_t *p;
	struct stat st;
	uint8_t *buf;
	void *map;
	int fd;

	map_len = (off + size + page - 1) & ~(page - 1);
	fd = open(mem_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return rc_err("cannot open %s to read the event log at 0x%llx: %s (needs root and CONFIG_DEVMEM)",
			      mem_path, (unsigned long long)base,
			      strerror(errno));
	/* A mapping past the end of a regular file would SIGBUS. */
	if (fstat(fd, &st) || (S_ISREG(st.st_mode) &&
			       (uint64_t)st.st_size < base - off + map_len)) {
		close(fd);
		return rc_err("cannot read the event log at 0x%llx from %s: short file",
			      (unsigned long long)base, mem_path);
	}
	map = mmap(NULL, map_len, PROT_READ, MAP_SHARED, fd,
		   (off_t)(base - off));
	close(fd);
	if (map == MAP_FAILED)
		return rc_err("cannot read the event log at 0x%llx from %s: %s%s",
			      (unsigned long long)base, mem_path,
			      strerror(errno), errno == EPERM ?
			      " (the kernel refuses RAM; the region must be no-map, as realmvm makes it)" :
			      "");
	buf = malloc(size);
	if (!buf) {
		munmap(map, map_len);
		return rc_err("event log: out of memory");
	}
	p = (const volatile uint8_t *)map + off;
	if (!((uintptr_t)p % 8) && !(size % 8)) {
		for (i = 0; i < size; i += 8) {
			uint64_t v = *(const volatile uint64_t *)(p + i);

			memcpy(buf + i, &v, 8);
		}
	} else {
		for (i = 0; i < size; i++)
			buf[i] = p[i];
	}
	munmap(map, map_len);
	*out = buf;
	*len = size;
	return 0;
}

/*
 * Find the event log region the VMM described in the device tree
 * (/reserved-memory/event-log@ADDR, compatible "cc-event-log") and read
 * it through /dev/mem.
 */
static int dt_read_log(const char *dt_root, const char *mem_path,
		       uint8_t **out, size_t *len)
{
	char rm[512], node[800], path[900];
	uint32_t ac, sc;
	uint64_t base = 0, size = 0;
	bool found = false;
	struct dirent *de;
	DIR *dir;
	uint8_t *buf;
	size_t blen;

	snprintf(rm, sizeof(rm), "%s/reserved-memory", dt_root);
	dir = opendir(rm);
	if (!dir)
		return rc_err("no event log: no %s and no %s (%s)", CCEL_PATH,
			      rm, strerror(errno));
	snprintf(path, sizeof(path), "%s/#address-cells", rm);
	if (dt_u32(path, &ac) < 0)
		goto fail_dir;
	snprintf(path, sizeof(path), "%s/#size-cells", rm);
	if (dt_u32(path, &sc) < 0)
		goto fail_dir;
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
		rc_err("%s: unsupported #address-cells %u / #size-cells %u",
		       rm, ac, sc);
		goto fail_dir;
	}
	/*
	 * QEMU and kvmtool name the node event-log@ADDR, but the compatible
	 * string is what identifies it, so every child is looked at.
	 */
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(node, sizeof(node), "%s/%s", rm, de->d_name);
		snprintf(path, sizeof(path), "%s/compatible", node);
		if (access(path, R_OK))
			continue;
		if (read_path(path, "device tree property", 4096, &buf,
			      &blen) < 0)
			continue;
		if (!compatible_has(buf, blen, LOG_COMPATIBLE)) {
			free(buf);
			continue;
		}
		free(buf);
		snprintf(path, sizeof(path), "%s/reg", node);
		if (read_path(path, "device tree property", 64, &buf,
			      &blen) < 0)
			goto fail_dir;
		if (blen != 4 * (ac + sc)) {
			free(buf);
			rc_err("%s: %zu bytes, expected one (address, size) pair",
			       path, blen);
			goto fail_dir;
		}
		base = be_cells(buf, ac);
		size = be_cells(buf + 4 * ac, sc);
		free(buf);
		found = true;
		break;
	}
	closedir(dir);
	if (!found)
		return rc_err("no event log: no node with compatible \"%s\" under %s",
			      LOG_COMPATIBLE, rm);
	if (!size || size > MAX_LOG_SIZE)
		return rc_err("event log region at 0x%llx: unreasonable size 0x%llx",
			      (unsigned long long)base,
			      (unsigned long long)size);
	if (base > (uint64_t)INT64_MAX - size)
		return rc_err("event log region at 0x%llx: address out of range",
			      (unsigned long long)base);
	return read_phys(mem_path, base, size, out, len);
fail_dir:
	closedir(dir);
	return -1;
}

static int get_log(const struct options *o, uint8_t **buf, size_t *len,
		   const char **source)
{
	if (o->log_path) {
		*source = o->log_path;
		return read_path(o->log_path, "event log", MAX_LOG_SIZE, buf,
				 len);
	}
	if (!o->dt_root && !access(CCEL_PATH, F_OK)) {
		*source = CCEL_PATH;
		return read_path(CCEL_PATH, "event log", MAX_LOG_SIZE, buf,
				 len);
	}
	*source = "device tree + /dev/mem";
	return dt_read_log(o->dt_root ? o->dt_root : DT_ROOT,
			   o->mem_path ? o->mem_path : DEV_MEM, buf, len);
}

static void print_log(const struct event_log *log, const char *source)
{
	size_t i;

	printf("log: well-formed, %zu events, %s, from %s\n", log->nr_events,
	       tcg_alg_name(log->alg_id), source);
	if (log->has_vm_version)
		printf("log VMM: %s %s, %llu bytes RAM, %u CPUs\n",
		       log->vm_name, log->vm_version,
		       (unsigned long long)log->ram_size, log->num_cpus);
	for (i = 0; i < log->nr_events; i++) {
		const struct log_event *e = &log->events[i];

		switch (e->kind) {
		case LEV_REALM_CREATE:
			printf("log REALM_CREATE: flags 0x%llx s2sz %u sve_vl %u num_bps %u num_wps %u pmu_num_ctrs %u hash_algo %u\n",
			       (unsigned long long)e->create.flags,
			       e->create.s2sz, e->create.sve_vl,
			       e->create.num_bps, e->create.num_wps,
			       e->create.pmu_num_ctrs, e->create.hash_algo);
			break;
		case LEV_INIT_RIPAS:
			printf("log INIT_RIPAS: base 0x%llx size 0x%llx\n",
			       (unsigned long long)e->ripas.base,
			       (unsigned long long)e->ripas.size);
			break;
		case LEV_REC_CREATE:
			printf("log REC_CREATE: flags 0x%llx pc 0x%llx x0 0x%llx\n",
			       (unsigned long long)e->rec.flags,
			       (unsigned long long)e->rec.pc,
			       (unsigned long long)e->rec.gprs[0]);
			break;
		case LEV_BLOB:
			printf("log blob %s: base 0x%llx size 0x%llx",
			       e->blob.desc,
			       (unsigned long long)e->blob.base,
			       (unsigned long long)e->blob.size);
			if (e->digest_count && e->digest_size) {
				char hex[2 * TCG_MAX_DIGEST_SIZE + 1];

				hex_encode(e->digest, e->digest_size, hex);
				printf(" digest %s\n", hex);
			} else {
				printf(" (not measured)\n");
			}
			break;
		default:
			break;
		}
	}
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: realm-check [options]\n"
"Inside an Arm CCA realm: read the measurement event log, ask the RMM for\n"
"an attestation token, and report whether they (and an expected RIM) agree.\n"
"\n"
"  --expect-rim HEX     RIM the host predicted (realmvm run --realm --dry-run)\n"
"  --expect-rpv HEX     realm personalization value (<= 64 bytes, zero-padded)\n"
"  --challenge HEX      challenge to use (<= 64 bytes, zero-padded); default\n"
"                       64 random bytes; with --token, the one it was made for\n"
"  --token FILE         offline: read the token from FILE, not configfs-tsm\n"
"  --log FILE           offline: read the event log from FILE\n"
"  --no-log             do not read or check an event log\n"
"  --require-log        fail if the event log cannot be found or read\n"
"                       (by default that only skips the log checks)\n"
"  --save-token FILE    write the token obtained to FILE\n"
"  --save-log FILE      write the event log read to FILE\n"
"  --iak FILE          PEM public key of the platform (IAK) to verify the\n"
"                       platform token and its binding to the realm key\n"
"  --dt DIR             device tree root (default " DT_ROOT ")\n"
"  --mem FILE           physical memory (default " DEV_MEM ")\n"
"  -h, --help           this text\n"
"\n"
"Exit status: 0 all checks agree, 1 a check disagrees or an input cannot\n"
"be read or decoded, 2 usage error.\n");
}

static int parse_hex_opt(const char *opt, const char *arg, uint8_t *out,
			 size_t max, size_t *len)
{
	if (hex_decode(arg, out, max, len) < 0 || !*len)
		return rc_err("%s: \"%s\" is not hex of 1..%zu bytes", opt, arg,
			      max);
	return 0;
}

enum {
	OPT_EXPECT_RIM = 256,
	OPT_EXPECT_RPV,
	OPT_CHALLENGE,
	OPT_TOKEN,
	OPT_LOG,
	OPT_NO_LOG,
	OPT_SAVE_TOKEN,
	OPT_SAVE_LOG,
	OPT_DT,
	OPT_MEM,
	OPT_IAK,
	OPT_REQUIRE_LOG,
};

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "expect-rim", required_argument, NULL, OPT_EXPECT_RIM },
		{ "expect-rpv", required_argument, NULL, OPT_EXPECT_RPV },
		{ "challenge", required_argument, NULL, OPT_CHALLENGE },
		{ "token", required_argument, NULL, OPT_TOKEN },
		{ "log", required_argument, NULL, OPT_LOG },
		{ "no-log", no_argument, NULL, OPT_NO_LOG },
		{ "save-token", required_argument, NULL, OPT_SAVE_TOKEN },
		{ "save-log", required_argument, NULL, OPT_SAVE_LOG },
		{ "dt", required_argument, NULL, OPT_DT },
		{ "mem", required_argument, NULL, OPT_MEM },
		{ "iak", required_argument, NULL, OPT_IAK },
		{ "require-log", no_argument, NULL, OPT_REQUIRE_LOG },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	size_t len;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_EXPECT_RIM:
			if (parse_hex_opt("--expect-rim", optarg,
					  o->expect_rim, sizeof(o->expect_rim),
					  &o->expect_rim_len) < 0)
				return -1;
			o->expect_rim_set = true;
			break;
		case OPT_EXPECT_RPV:
			memset(o->expect_rpv, 0, sizeof(o->expect_rpv));
			if (parse_hex_opt("--expect-rpv", optarg,
					  o->expect_rpv, sizeof(o->expect_rpv),
					  &len) < 0)
				return -1;
			o->expect_rpv_set = true;
			break;
		case OPT_CHALLENGE:
			memset(o->challenge, 0, sizeof(o->challenge));
			if (parse_hex_opt("--challenge", optarg, o->challenge,
					  sizeof(o->challenge), &len) < 0)
				return -1;
			o->challenge_set = true;
			break;
		case OPT_TOKEN:
			o->token_path = optarg;
			break;
		case OPT_LOG:
			o->log_path = optarg;
			break;
		case OPT_NO_LOG:
			o->no_log = true;
			break;
		case OPT_SAVE_TOKEN:
			o->save_token = optarg;
			break;
		case OPT_SAVE_LOG:
			o->save_log = optarg;
			break;
		case OPT_DT:
			o->dt_root = optarg;
			break;
		case OPT_MEM:
			o->mem_path = optarg;
			break;
		case OPT_IAK:
			o->iak_path = optarg;
			break;
		case OPT_REQUIRE_LOG:
			o->require_log = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			if (optopt >= OPT_EXPECT_RIM)
				return rc_err("option %s needs an argument",
					      argv[optind - 1]);
			return rc_err("unknown option %s (see --help)",
				      argv[optind - 1]);
		}
	}
	if (optind < argc)
		return rc_err("unexpected argument \"%s\" (see --help)",
			      argv[optind]);
	if (o->no_log && (o->log_path || o->save_log || o->dt_root ||
			  o->mem_path || o->require_log))
		return rc_err("--no-log conflicts with the event log options");
	if (o->log_path && (o->dt_root || o->mem_path || o->save_log))
		return rc_err("--log conflicts with --dt, --mem and --save-log");
	if (o->token_path && o->save_token)
		return rc_err("--save-token saves a token obtained from configfs-tsm, not one read with --token");
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct cca_token tok;
	struct event_log log;
	struct appraisal v = { 0 };
	uint8_t *tbuf = NULL, *lbuf = NULL;
	size_t tlen = 0, llen = 0;
	const char *source = NULL;
	bool have_log = false, parsed = false, chal_given;
	int ret = EXIT_RUNTIME;

	if (parse_args(argc, argv, &o) < 0)
		return EXIT_USAGE;
	chal_given = o.challenge_set;

	memset(&log, 0, sizeof(log));
	if (!o.no_log) {
		int r;

		/*
		 * Guest kernels often lack the ccel file and forbid /dev/mem
		 * reads of RAM, and a realm may have no log at all; unless a
		 * log was asked for, that only skips the log checks.
		 */
		errors_quiet = !o.log_path && !o.require_log;
		r = get_log(&o, &lbuf, &llen, &source);
		errors_quiet = false;
		if (r < 0 && (o.log_path || o.require_log))
			goto out;
		if (r < 0) {
			printf("log: not available, log checks skipped (%s)\n",
			       last_error);
			o.no_log = true;
		}
	}
	if (!o.no_log) {
		if (o.save_log && write_file_atomic(o.save_log, lbuf, llen) < 0)
			goto out;
		parsed = true;
		if (event_log_parse(lbuf, llen, &log) < 0) {
			rc_err("event log (%s) is malformed: %s", source,
			       log.error);
			goto out;
		}
		have_log = true;
		print_log(&log, source);
	}

	if (o.token_path) {
		if (read_path(o.token_path, "token", MAX_TOKEN_SIZE, &tbuf,
			      &tlen) < 0)
			goto out;
	} else {
		if (!o.challenge_set &&
		    getrandom(o.challenge, sizeof(o.challenge), 0) !=
		    (ssize_t)sizeof(o.challenge)) {
			rc_err("cannot get random bytes for the challenge: %s",
			       strerror(errno));
			goto out;
		}
		o.challenge_set = true;
		if (tsm_get_token(o.challenge, &tbuf, &tlen) < 0)
			goto out;
		if (o.save_token &&
		    write_file_atomic(o.save_token, tbuf, tlen) < 0)
			goto out;
	}
	if (cca_token_decode(tbuf, tlen, &tok) < 0) {
		rc_err("attestation token is malformed: %s", tok.error);
		goto out;
	}
	appraise_print_token(&tok);

	if (o.challenge_set)
		appraise_agree(&v, "challenge",
		      !memcmp(tok.challenge.ptr, o.challenge,
			      CCA_CHALLENGE_SIZE),
		      "token echoes %s challenge",
		      chal_given ? "the given" : "our fresh random");
	else
		printf("check challenge: skipped (offline token, no --challenge: freshness unknown)\n");
	appraise_realm_signature(&v, &tok);
	if (o.iak_path) {
		const char *why = NULL;
		EVP_PKEY *iak = appraise_load_pubkey(o.iak_path, &why);

		if (!iak) {
			rc_err("--iak %s: %s", o.iak_path, why);
			goto out;
		}
		appraise_platform_signature(&v, &tok, iak);
		EVP_PKEY_free(iak);
	} else {
		printf("check platform-signature: skipped (no --iak: the platform token is NOT verified)\n");
	}
	appraise_binding(&v, &tok, o.iak_path != NULL);
	if (have_log)
		appraise_log(&v, &log, &tok);
	if (o.expect_rim_set) {
		bool same = o.expect_rim_len == tok.rim.len &&
			    !memcmp(o.expect_rim, tok.rim.ptr, tok.rim.len);

		appraise_agree(&v, "rim", same, "token RIM vs --expect-rim%s",
		      o.expect_rim_len != tok.rim.len ? ", lengths differ" :
		      "");
	} else {
		printf("check rim: skipped (no --expect-rim)\n");
	}
	if (o.expect_rpv_set)
		appraise_agree(&v, "rpv", !memcmp(o.expect_rpv, tok.rpv.ptr,
					 CCA_RPV_SIZE),
		      "token RPV vs --expect-rpv");

	if (v.bad) {
		printf("result: DISAGREE: %s\n", v.names);
		rc_err("%u of %u checks disagree: %s", v.bad, v.checks,
		       v.names);
		ret = EXIT_RUNTIME;
	} else {
		printf("result: all %u checks agree\n", v.checks);
		ret = 0;
	}
out:
	if (parsed)
		event_log_free(&log);
	free(lbuf);
	free(tbuf);
	return ret;
}
