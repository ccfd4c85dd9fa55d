/*
 * `realmvm log`: read a realm measurement event log.  `show` prints it
 * (text or JSON); `verify` checks it against the verifier's own files and
 * replays it into the RIM a launch with those files would produce.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "realm/event_log_parse.h"
#include "realm/event_log_replay.h"
#include "realm/host_profile.h"
#include "realm/rim.h"
#include "vmm/commands.h"
#include "vmm/input_map.h"
#include "vmm/util.h"

/* 16 times our region: room for other VMMs' logs, bounded replay work */
#define LOG_FILE_MAX	(1ULL << 20)
#define BLOB_FILE_MAX	(2ULL << 30)

static void usage(FILE *out)
{
	fputs("usage: realmvm log show FILE [--json]\n"
	      "       realmvm log verify FILE --kernel K [--initrd I] [--dtb D]\n"
	      "                          [--firmware F] [--host PROFILE]\n"
	      "                          [--expect-rim HEX] [--json]\n"
	      "\n"
	      "show     print every event of a realm measurement event log\n"
	      "verify   check each measured blob against the given file, replay\n"
	      "         the log and print the RIM it leads to (RIM: <hex>)\n"
	      "\n"
	      "  --host PROFILE     cca-v10, cca-v12 or cca-v14 (default: the\n"
	      "                     profile recorded in the log; cca-v10 for\n"
	      "                     kvmtool and QEMU logs)\n"
	      "  --expect-rim HEX   exit 1 unless the replayed RIM is HEX\n"
	      "  --json             machine-readable output\n", out);
}

/* JSON string body for printable ASCII (the parser allows nothing else). */
static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		if ((unsigned char)*s < 0x20)
			fprintf(out, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

static void hex_out(FILE *out, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(out, "%02x", p[i]);
}

static void show_event_text(const struct event_log *log,
			    const struct log_event *ev)
{
	printf("#%-3zu @%-6zu PCR%u %-30s ", ev->index, ev->offset, ev->pcr,
	       event_type_name(ev->type));
	switch (ev->kind) {
	case LEV_SPEC_ID:
		printf("Spec ID Event03: %s, %zu-byte digests\n",
		       tcg_alg_name(log->alg_id), log->digest_size);
		return;
	case LEV_VM_VERSION:
		printf("VM VERSION: %s %s, RAM 0x%" PRIx64 ", %u vCPUs, flags 0x%"
		       PRIx64 "\n", log->vm_name, log->vm_version,
		       log->ram_size, log->num_cpus, log->vm_flags);
		return;
	case LEV_NO_ACTION:
		printf("(%u bytes)\n", ev->data_size);
		return;
	case LEV_REALM_CREATE:
		printf("REALM_CREATE flags 0x%" PRIx64 " s2sz %u sve_vl %u num_bps %u num_wps %u pmu_num_ctrs %u hash_algo %u\n",
		       (uint64_t)ev->create.flags, ev->create.s2sz,
		       ev->create.sve_vl, ev->create.num_bps,
		       ev->create.num_wps, ev->create.pmu_num_ctrs,
		       ev->create.hash_algo);
		return;
	case LEV_INIT_RIPAS:
		printf("INIT_RIPAS base 0x%" PRIx64 " size 0x%" PRIx64 "\n",
		       (uint64_t)ev->ripas.base, (uint64_t)ev->ripas.size);
		return;
	case LEV_REC_CREATE: {
		struct rec_create_tag t = ev->rec;
		int i;

		printf("REC_CREATE flags 0x%" PRIx64 " pc 0x%" PRIx64,
		       t.flags, t.pc);
		for (i = 0; i < 8; i++)
			printf(" x%d 0x%" PRIx64, i, t.gprs[i]);
		putchar('\n');
		return;
	}
	case LEV_BLOB:
		printf("%s base 0x%" PRIx64 " size 0x%" PRIx64, ev->blob.desc,
		       ev->blob.base, ev->blob.size);
		if (ev->digest_count) {
			printf(" %s ", tcg_alg_name(ev->digest_alg));
			hex_out(stdout, ev->digest, ev->digest_size);
			putchar('\n');
		} else {
			puts(" (not measured)");
		}
		return;
	}
	putchar('\n');
}

static void show_text(const char *path, const struct event_log *log)
{
	size_t i;

	printf("Log: %s\n", path);
	printf("Length: %zu\n", log->end);
	printf("Algorithm: %s\n", tcg_alg_name(log->alg_id));
	printf("Origin: %s\n", log_origin_name(log->origin));
	printf("Events: %zu\n", log->nr_events);
	for (i = 0; i < log->nr_events; i++)
		show_event_text(log, &log->events[i]);
}

static void show_event_json(const struct log_event *ev)
{
	printf("{\"index\":%zu,\"offset\":%zu,\"size\":%zu,\"pcr\":%u,"
	       "\"type\":%u,\"type_name\":\"%s\",\"kind\":\"%s\","
	       "\"digest_count\":%u", ev->index, ev->offset, ev->size,
	       ev->pcr, ev->type, event_type_name(ev->type),
	       log_event_kind_name(ev->kind), ev->digest_count);
	if (ev->digest_count) {
		printf(",\"digest_alg\":\"%s\",\"digest\":\"",
		       tcg_alg_name(ev->digest_alg));
		hex_out(stdout, ev->digest, ev->digest_size);
		putchar('"');
	}
	switch (ev->kind) {
	case LEV_REALM_CREATE:
		printf(",\"flags\":%" PRIu64 ",\"s2sz\":%u,\"sve_vl\":%u,"
		       "\"num_bps\":%u,\"num_wps\":%u,\"pmu_num_ctrs\":%u,"
		       "\"hash_algo\":%u", (uint64_t)ev->create.flags,
		       ev->create.s2sz, ev->create.sve_vl, ev->create.num_bps,
		       ev->create.num_wps, ev->create.pmu_num_ctrs,
		       ev->create.hash_algo);
		break;
	case LEV_INIT_RIPAS:
		printf(",\"base\":%" PRIu64 ",\"ripas_size\":%" PRIu64,
		       (uint64_t)ev->ripas.base, (uint64_t)ev->ripas.size);
		break;
	case LEV_REC_CREATE: {
		struct rec_create_tag t = ev->rec;
		int i;

		printf(",\"flags\":%" PRIu64 ",\"pc\":%" PRIu64 ",\"gprs\":[",
		       t.flags, t.pc);
		for (i = 0; i < 8; i++)
			printf("%s%" PRIu64, i ? "," : "", t.gprs[i]);
		putchar(']');
		break;
	}
	case LEV_BLOB:
		printf(",\"description\":");
		json_str(stdout, ev->blob.desc);
		printf(",\"base\":%" PRIu64 ",\"blob_size\":%" PRIu64,
		       ev->blob.base, ev->blob.size);
		break;
	default:
		break;
	}
	putchar('}');
}

static void show_json(const struct event_log *log)
{
	size_t i;

	printf("{\"length\":%zu,\"algorithm\":\"%s\",\"digest_size\":%zu,"
	       "\"origin\":\"%s\"", log->end, tcg_alg_name(log->alg_id),
	       log->digest_size, log_origin_name(log->origin));
	if (log->has_vm_version) {
		printf(",\"vm\":{\"name\":");
		json_str(stdout, log->vm_name);
		printf(",\"version\":");
		json_str(stdout, log->vm_version);
		printf(",\"ram_size\":%" PRIu64 ",\"num_cpus\":%u,"
		       "\"flags\":%" PRIu64 "}", log->ram_size, log->num_cpus,
		       log->vm_flags);
	}
	printf(",\"events\":[");
	for (i = 0; i < log->nr_events; i++) {
		if (i)
			putchar(',');
		show_event_json(&log->events[i]);
	}
	printf("]}\n");
}

static int load_log(const char *path, uint8_t **buf, struct event_log *log)
{
	size_t len;

	memset(log, 0, sizeof(*log));
	if (read_whole_file(path, "event log", LOG_FILE_MAX, buf, &len))
		return -1;
	if (event_log_parse(*buf, len, log)) {
		pr_err("%s: %s", path, log->error);
		return -1;
	}
	return 0;
}

struct log_opts {
	const char *file;
	const char *blob_path[BLOB_FIRMWARE + 1];
	const char *host;
	const char *expect_rim;
	bool json;
};

/* --name VALUE or --name=VALUE; returns the value or NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n))
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n])
		return NULL;
	if (*i + 1 >= argc) {
		pr_err("log: %s needs a value", name);
		return "";
	}
	return argv[++*i];
}

static int parse_opts(int argc, char **argv, bool verify,
		      struct log_opts *o)
{
	static const struct {
		const char *name;
		enum blob_kind kind;
	} files[] = {
		{ "--kernel", BLOB_KERNEL },
		{ "--initrd", BLOB_INITRD },
		{ "--dtb", BLOB_DTB },
		{ "--firmware", BLOB_FIRMWARE },
	};
	int i;
	size_t k;

	memset(o, 0, sizeof(*o));
	for (i = 2; i < argc; i++) {
		const char *a = argv[i], *v = NULL;

		if (!strcmp(a, "--json")) {
			o->json = true;
			continue;
		}
		if (a[0] != '-' || !a[1]) {
			if (o->file)
				return pr_err("log: more than one FILE ('%s')", a);
			o->file = a;
			continue;
		}
		if (verify) {
			for (k = 0; k < ARRAY_SIZE(files) && !v; k++) {
				v = opt_value(argc, argv, &i, files[k].name);
				if (v)
					o->blob_path[files[k].kind] = v;
			}
			if (!v && (v = opt_value(argc, argv, &i, "--host")))
				o->host = v;
			if (!v && (v = opt_value(argc, argv, &i,
						 "--expect-rim")))
				o->expect_rim = v;
		}
		if (!v)
			return pr_err("log %s: unknown option '%s' (try realmvm log --help)",
				      argv[1], a);
		if (!*v)
			return -1;
	}
	if (!o->file)
		return pr_err("log %s: no log FILE given", argv[1]);
	return 0;
}

static int cmd_show(int argc, char **argv)
{
	struct log_opts o;
	struct event_log log;
	uint8_t *buf = NULL;

	if (parse_opts(argc, argv, false, &o))
		return EXIT_USAGE;
	if (load_log(o.file, &buf, &log)) {
		event_log_free(&log);
		free(buf);
		return EXIT_RUNTIME;
	}
	if (o.json)
		show_json(&log);
	else
		show_text(o.file, &log);
	event_log_free(&log);
	free(buf);
	return 0;
}

static void verify_json(const struct replay_result *res, bool ok,
			const char *rim_hex, const char *expect,
			const char *error)
{
	printf("{\"ok\":%s,\"profile\":\"%s\",\"algorithm\":\"%s\"",
	       ok ? "true" : "false",
	       res->profile ? res->profile->name : "",
	       hash_name(res->algo));
	if (rim_hex)
		printf(",\"rim\":\"%s\"", rim_hex);
	if (expect)
		printf(",\"expected_rim\":\"%s\",\"rim_match\":%s", expect,
		       rim_hex && !strcmp(rim_hex, expect) ? "true" : "false");
	printf(",\"blobs_checked\":%zu,\"ops_replayed\":%zu",
	       res->blobs_checked, res->ops_replayed);
	if (res->mismatch)
		printf(",\"mismatch\":{\"event\":%zu,\"offset\":%zu}",
		       res->mismatch_index, res->mismatch_offset);
	if (error) {
		printf(",\"error\":");
		json_str(stdout, error);
	}
	printf("}\n");
}

static int cmd_verify(int argc, char **argv)
{
	struct replay_blob blobs[BLOB_FIRMWARE + 1];
	const uint8_t *files[BLOB_FIRMWARE + 1] = { 0 };
	const struct host_profile *prof = NULL;
	char rim_hex[2 * RIM_MAX_SIZE + 1], expect[2 * RIM_MAX_SIZE + 1];
	uint8_t want[RIM_MAX_SIZE], *buf = NULL;
	struct replay_result res;
	struct event_log log;
	struct log_opts o;
	size_t want_len = 0, k;
	int ret = EXIT_RUNTIME;

	memset(&log, 0, sizeof(log));
	memset(blobs, 0, sizeof(blobs));
	memset(&res, 0, sizeof(res));
	if (parse_opts(argc, argv, true, &o))
		return EXIT_USAGE;
	if (!o.blob_path[BLOB_KERNEL])
		return pr_err("log verify: --kernel FILE is required"), EXIT_USAGE;
	if (o.host && !(prof = host_profile_by_name(o.host)))
		return pr_err("log verify: unknown host profile '%s' (cca-v10, cca-v12 or cca-v14)",
			      o.host), EXIT_USAGE;
	if (o.expect_rim) {
		if (strlen(o.expect_rim) > 2 * RIM_MAX_SIZE ||
		    hex_decode(o.expect_rim, want, sizeof(want), &want_len) ||
		    !want_len)
			return pr_err("log verify: --expect-rim '%.140s' is not a hex digest",
				      o.expect_rim), EXIT_USAGE;
		hex_encode(want, want_len, expect);
	}
	for (k = 0; k <= BLOB_FIRMWARE; k++) {
		if (!o.blob_path[k])
			continue;
		/* Mapped, not copied: a 2 GiB initrd costs no heap. */
		if (input_map(o.blob_path[k], blob_kind_name(k),
			      BLOB_FILE_MAX, &files[k], &blobs[k].len))
			goto out;
		blobs[k].path = o.blob_path[k];
		blobs[k].data = files[k];
	}
	if (load_log(o.file, &buf, &log))
		goto out;
	if (event_log_replay(&log, prof, blobs, &res)) {
		if (o.json)
			verify_json(&res, false, NULL,
				    o.expect_rim ? expect : NULL,
				    res.mismatch ? res.mismatch_msg :
				    "replay failed");
		goto out;
	}
	hex_encode(res.rim, res.rim_size, rim_hex);
	if (o.json) {
		verify_json(&res, !o.expect_rim || !strcmp(rim_hex, expect),
			    rim_hex, o.expect_rim ? expect : NULL, NULL);
	} else {
		printf("RIM: %s\n", rim_hex);
		printf("Profile: %s\n", res.profile->name);
		printf("Algorithm: %s\n", hash_name(res.algo));
		printf("Blobs checked: %zu\n", res.blobs_checked);
		printf("Events replayed: %zu\n", res.ops_replayed);
	}
	if (o.expect_rim && strcmp(rim_hex, expect)) {
		pr_err("RIM mismatch: all %zu measured blobs match their files, but the replayed RIM %s (profile %s) is not the expected %s",
		       res.blobs_checked, rim_hex, res.profile->name, expect);
		goto out;
	}
	if (o.expect_rim && !o.json)
		printf("Expected RIM: match\n");
	ret = 0;
out:
	for (k = 0; k <= BLOB_FIRMWARE; k++)
		input_unmap(files[k], blobs[k].len);
	event_log_free(&log);
	free(buf);
	return ret;
}

int cmd_log(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
	}
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "show"))
		return cmd_show(argc, argv);
	if (!strcmp(argv[1], "verify"))
		return cmd_verify(argc, argv);
	pr_err("log: unknown subcommand '%s' (show or verify)", argv[1]);
	return EXIT_USAGE;
}
