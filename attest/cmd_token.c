/*
 * `realmvm token show|verify`: appraise a CCA attestation token on any
 * host.  The token is decoded and its signatures checked by the same
 * code realm-check runs inside a realm (attest/); the reference values
 * come from --expect-rim, a CoRIM, or a fresh dry run of the launch
 * command line given after "--", which measures through the same plan
 * code as `realmvm run`.  docs/token.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/appraise.h"
#include "attest/cca_token.h"
#include "attest/corim.h"
#include "realm/event_log_diff.h"
#include "realm/event_log_parse.h"
#include "realm/event_log_replay.h"
#include "realm/hash_algos.h"
#include "vmm/commands.h"
#include "vmm/predict.h"
#include "vmm/util.h"

#define TOKEN_FILE_MAX	(1U << 20)
#define CORIM_FILE_MAX	(1U << 20)
#define LOG_FILE_MAX	(1U << 20)
#define BLOB_FILE_MAX	(2ULL << 30)

struct token_opts {
	const char *token;
	const char *iak;
	const char *corim;
	const char *log;
	const char *host;
	enum populate_step populate;
	bool populate_set;
	const char *blob_path[BLOB_FIRMWARE + 1];
	uint8_t challenge[CCA_CHALLENGE_SIZE];
	bool challenge_set;
	uint8_t expect_rim[CCA_MEASUREMENT_MAX];
	size_t expect_rim_len;
	uint8_t expect_rpv[CCA_RPV_SIZE];
	bool expect_rpv_set;
	int run_argc;		/* the dry-run command line after "--" */
	char **run_argv;
};

static void usage(FILE *out)
{
	fputs(
"usage: realmvm token show TOKEN.cbor\n"
"       realmvm token verify TOKEN.cbor [options] [-- run --realm --dry-run ...]\n"
"\n"
"Decode an Arm CCA attestation token (the tag-399 collection a realm gets\n"
"from the RMM) and, with verify, appraise it: the realm signature with the\n"
"RAK it carries, and what the options below ask for.  Runs on any host.\n"
"\n"
"  --iak PUBKEY.pem      verify the platform token with this IAK public key\n"
"                        (and its binding to the realm key)\n"
"  --challenge HEX       the challenge the token must echo (zero padded)\n"
"  --expect-rim HEX      the RIM the token must carry\n"
"  --expect-rpv HEX      the personalization value (zero padded)\n"
"  --corim FILE          a CCA realm CoRIM (realmvm run --dry-run --corim):\n"
"                        one of its reference values must match RIM, hash\n"
"                        algorithm, and RPV and REMs where it has them\n"
"  --log FILE            the realm's event log: its algorithm and\n"
"                        REALM_CREATE must agree with the token; replayed\n"
"                        with --kernel/--initrd/--dtb/--firmware FILE (and\n"
"                        --host NAME, --populate 4k|64k|auto as for log\n"
"                        verify) it must reach the token's RIM; with a\n"
"                        dry run, its first event that differs is named\n"
"  -- run ...            a realmvm run --realm --dry-run command line: the\n"
"                        token must carry one of the RIMs it predicts\n"
"\n"
"Exit status: 0 every check agrees, 1 a check disagrees or an input\n"
"cannot be read, 2 bad command line.\n", out);
}

static int hex_opt(const char *opt, const char *arg, uint8_t *out,
		   size_t max, size_t *len)
{
	size_t n = 0;

	if (!strncmp(arg, "0x", 2) || !strncmp(arg, "0X", 2))
		arg += 2;
	if (!*arg || strlen(arg) > 2 * max || hex_decode(arg, out, max, &n))
		return pr_err("token: %s '%.140s' is not hex of at most %zu bytes",
			      opt, arg, max);
	if (len)
		*len = n;
	return 0;
}

static int parse(int argc, char **argv, struct token_opts *o)
{
	static const char *const files[] = {
		[BLOB_KERNEL] = "--kernel", [BLOB_INITRD] = "--initrd",
		[BLOB_DTB] = "--dtb", [BLOB_FIRMWARE] = "--firmware",
	};
	int i;
	size_t k;

	memset(o, 0, sizeof(*o));
	for (i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = true;

		if (!strcmp(a, "--")) {
			o->run_argc = argc - i - 1;
			o->run_argv = argv + i + 1;
			if (!o->run_argc || strcmp(o->run_argv[0], "run"))
				return pr_err("token: after -- give a command line starting with run (realmvm run --realm --dry-run ...)");
			break;
		}
		if (a[0] != '-') {
			if (o->token)
				return pr_err("token: more than one TOKEN ('%s')", a);
			o->token = a;
			continue;
		}
		if (!strcmp(argv[1], "show"))
			return pr_err("token show: unknown option '%s' (try realmvm token --help)",
				      a);
		if (!v)
			return pr_err("token: %s needs a value", a);
		if (!strcmp(a, "--iak")) {
			o->iak = v;
		} else if (!strcmp(a, "--corim")) {
			o->corim = v;
		} else if (!strcmp(a, "--log")) {
			o->log = v;
		} else if (!strcmp(a, "--host")) {
			o->host = v;
		} else if (!strcmp(a, "--populate")) {
			o->populate_set = true;
			if (!strcmp(v, "4k"))
				o->populate = POPULATE_4K;
			else if (!strcmp(v, "64k"))
				o->populate = POPULATE_64K;
			else if (strcmp(v, "auto"))
				return pr_err("token verify: --populate '%.40s' is not 4k, 64k or auto",
					      v);
		} else if (!strcmp(a, "--challenge")) {
			memset(o->challenge, 0, sizeof(o->challenge));
			if (hex_opt(a, v, o->challenge, CCA_CHALLENGE_SIZE,
				    NULL))
				return -1;
			o->challenge_set = true;
		} else if (!strcmp(a, "--expect-rim")) {
			if (hex_opt(a, v, o->expect_rim, CCA_MEASUREMENT_MAX,
				    &o->expect_rim_len))
				return -1;
		} else if (!strcmp(a, "--expect-rpv")) {
			if (hex_opt(a, v, o->expect_rpv, CCA_RPV_SIZE, NULL))
				return -1;
			o->expect_rpv_set = true;
		} else {
			takes = false;
			for (k = 0; k < ARRAY_SIZE(files); k++) {
				if (files[k] && !strcmp(a, files[k])) {
					o->blob_path[k] = v;
					takes = true;
				}
			}
			if (!takes)
				return pr_err("token %s: unknown option '%s' (try realmvm token --help)",
					      argv[1], a);
		}
		i++;
	}
	if (!o->token)
		return pr_err("token %s: no TOKEN file given", argv[1]);
	for (k = 0; k <= BLOB_FIRMWARE; k++)
		if (o->blob_path[k] && !o->log)
			return pr_err("token verify: %s replays an event log: give --log FILE",
				      files[k]);
	if ((o->host || o->populate_set) && !o->log)
		return pr_err("token verify: --host and --populate are how --log is replayed: give --log FILE");
	if (o->host && !host_profile_by_name(o->host))
		return pr_err("token verify: unknown --host '%s' (cca-v10, cca-v12 or cca-v14)",
			      o->host);
	return 0;
}

static bool same(const struct cca_bytes *b, const uint8_t *p, size_t len)
{
	return b->len == len && !memcmp(b->ptr, p, len);
}

/* One of the CoRIM's reference values must describe the token. */
static int check_corim(struct appraisal *v, const struct cca_token *t,
		       const char *path)
{
	struct corim_refval rv[CORIM_MAX_RECORDS];
	char why[200], name[16];
	uint8_t *buf;
	size_t len, n, i;
	unsigned int r;

	if (read_whole_file(path, "CoRIM", CORIM_FILE_MAX, &buf, &len))
		return -1;
	if (corim_decode(buf, len, rv, CORIM_MAX_RECORDS, &n, why,
			 sizeof(why))) {
		free(buf);
		return pr_err("--corim %s: %s", path, why);
	}
	free(buf);
	for (i = 0; i < n; i++)
		if (!strcmp(rv[i].algo->iana_name, t->hash_algo) &&
		    same(&t->rim, rv[i].rim, rv[i].algo->size))
			break;
	if (i == n) {
		appraise_agree(v, "corim-rim", false,
			       "the token's %s RIM is none of the %zu reference values in %s",
			       t->hash_algo, n, path);
		return 0;
	}
	appraise_agree(v, "corim-rim", true, "reference value %zu of %zu in %s",
		       i + 1, n, path);
	if (rv[i].has_rpv)
		appraise_agree(v, "corim-rpv", same(&t->rpv, rv[i].rpv, 64),
			       "token RPV vs cca.rpv");
	for (r = 0; r < CORIM_NR_REMS; r++) {
		if (!(rv[i].rem_mask & (1U << r)))
			continue;
		snprintf(name, sizeof(name), "corim-rem%u", r);
		appraise_agree(v, name,
			       same(&t->rem[r], rv[i].rem[r], rv[i].algo->size),
			       "token REM%u vs cca.rem%u", r, r);
	}
	return 0;
}

/* The token must carry one of the RIMs the dry run predicts. */
static void check_dry_run(struct appraisal *v, const struct cca_token *t,
			  const struct prediction *pr)
{
	const struct hash_algo_info *h;
	size_t i;

	for (i = 0; i < pr->n; i++) {
		h = hash_algo_by_rmm(pr->params[i].hash_algo);
		if (h && !strcmp(h->iana_name, t->hash_algo) &&
		    same(&t->rim, pr->rim[i], h->size))
			break;
	}
	if (i == pr->n) {
		appraise_agree(v, "dry-run-rim", false,
			       "the token's RIM is none of the %zu the dry run predicts",
			       pr->n);
		return;
	}
	appraise_agree(v, "dry-run-rim", true, "host %s, %s",
		       pr->prof[i]->name, t->hash_algo);
	appraise_agree(v, "dry-run-rpv",
		       same(&t->rpv, pr->params[i].rpv, RPV_SIZE),
		       "token RPV vs the command line's");
}

static int check_log(struct appraisal *v, const struct cca_token *t,
		     const struct token_opts *o, const struct prediction *pr)
{
	struct replay_blob blobs[BLOB_FIRMWARE + 1];
	uint8_t *files[BLOB_FIRMWARE + 1] = { 0 }, *buf = NULL;
	struct event_log log, want;
	struct replay_result res;
	bool any_file = false;
	char msg[600];
	size_t len, k;
	int ret = -1;

	memset(&log, 0, sizeof(log));
	memset(&want, 0, sizeof(want));
	memset(blobs, 0, sizeof(blobs));
	if (read_whole_file(o->log, "event log", LOG_FILE_MAX, &buf, &len))
		goto out;
	if (event_log_parse(buf, len, &log)) {
		pr_err("--log %s: %s", o->log, log.error);
		goto out;
	}
	appraise_log(v, &log, t);
	if (pr && pr->n > 1) {
		printf("info log-vs-dry-run: skipped (with --host all the dry run's log names only %s)\n",
		       pr->prof[0]->name);
	} else if (pr && pr->log) {
		if (event_log_parse(pr->log, pr->log_len, &want)) {
			pr_err("the dry run's own log: %s", want.error);
			goto out;
		}
		snprintf(msg, sizeof(msg), "every measured event matches the dry run's log");
		appraise_agree(v, "log-vs-dry-run",
			       !event_log_diff(&log, &want, msg, sizeof(msg)),
			       "%s", msg);
	}
	for (k = 0; k <= BLOB_FIRMWARE; k++) {
		if (!o->blob_path[k])
			continue;
		any_file = true;
		if (read_whole_file(o->blob_path[k], blob_kind_name(k),
				    BLOB_FILE_MAX, &files[k], &blobs[k].len))
			goto out;
		blobs[k].path = o->blob_path[k];
		blobs[k].data = files[k];
	}
	/* With a dry run and no files the comparison above is the check. */
	if (any_file || !pr) {
		if (event_log_replay_expect(&log, o->host ?
					    host_profile_by_name(o->host) :
					    NULL, o->populate, blobs,
					    t->rim.ptr, t->rim.len, &res))
			appraise_agree(v, "log-replay", false, "%s",
				       res.mismatch ? res.mismatch_msg :
				       "the log does not replay (see the error above)");
		else
			appraise_agree(v, "log-replay",
				       same(&t->rim, res.rim, res.rim_size),
				       "the log replays under %s to %s the token's RIM",
				       res.profile->name,
				       same(&t->rim, res.rim, res.rim_size) ?
				       "" : "not");
	}
	ret = 0;
out:
	for (k = 0; k <= BLOB_FIRMWARE; k++)
		free(files[k]);
	event_log_free(&log);
	event_log_free(&want);
	free(buf);
	return ret;
}

static int verify(const struct token_opts *o, const struct cca_token *t)
{
	struct appraisal v = { 0 };
	struct prediction pr;
	bool have_pr = false;
	int ret;

	appraise_print_token(t);
	if (o->challenge_set)
		appraise_agree(&v, "challenge",
			       same(&t->challenge, o->challenge,
				    CCA_CHALLENGE_SIZE),
			       "token echoes the given challenge");
	else
		printf("check challenge: skipped (no --challenge: freshness unknown)\n");
	appraise_realm_signature(&v, t);
	if (o->iak) {
		const char *why = NULL;
		EVP_PKEY *iak = appraise_load_pubkey(o->iak, &why);

		if (!iak)
			return pr_err("--iak %s: %s", o->iak, why), EXIT_RUNTIME;
		appraise_platform_signature(&v, t, iak);
		EVP_PKEY_free(iak);
	} else {
		printf("check platform-signature: skipped (no --iak: the platform token is NOT verified)\n");
	}
	appraise_binding(&v, t, o->iak != NULL);
	if (o->expect_rim_len)
		appraise_agree(&v, "rim", same(&t->rim, o->expect_rim,
					       o->expect_rim_len),
			       "token RIM vs --expect-rim");
	if (o->expect_rpv_set)
		appraise_agree(&v, "rpv", same(&t->rpv, o->expect_rpv,
					       CCA_RPV_SIZE),
			       "token RPV vs --expect-rpv");
	if (o->corim && check_corim(&v, t, o->corim))
		return EXIT_RUNTIME;
	if (o->run_argc) {
		memset(&pr, 0, sizeof(pr));
		ret = run_predict(o->run_argc, o->run_argv, &pr);
		if (ret)
			return ret;
		have_pr = true;
		check_dry_run(&v, t, &pr);
	}
	ret = 0;
	if (o->log && check_log(&v, t, o, have_pr ? &pr : NULL))
		ret = EXIT_RUNTIME;
	if (have_pr)
		free(pr.log);
	if (ret)
		return ret;
	if (!o->expect_rim_len && !o->corim && !o->run_argc && !o->log)
		printf("check rim: skipped (no --expect-rim, --corim, --log or dry run: the RIM is NOT appraised)\n");
	if (v.bad) {
		printf("result: DISAGREE: %s\n", v.names);
		pr_err("%u of %u checks disagree: %s", v.bad, v.checks,
		       v.names);
		return EXIT_RUNTIME;
	}
	printf("result: all %u checks agree\n", v.checks);
	return 0;
}

int cmd_token(int argc, char **argv)
{
	struct token_opts o;
	struct cca_token t;
	uint8_t *buf;
	size_t len;
	int i, ret;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
	}
	if (argc < 2 || (strcmp(argv[1], "show") && strcmp(argv[1], "verify"))) {
		pr_err("token: give show or verify (try realmvm token --help)");
		return EXIT_USAGE;
	}
	if (parse(argc, argv, &o))
		return EXIT_USAGE;
	if (read_whole_file(o.token, "token", TOKEN_FILE_MAX, &buf, &len))
		return EXIT_RUNTIME;
	if (cca_token_decode(buf, len, &t)) {
		pr_err("%s: not a valid CCA attestation token: %s", o.token,
		       t.error);
		free(buf);
		return EXIT_RUNTIME;
	}
	if (!strcmp(argv[1], "show")) {
		appraise_print_token(&t);
		ret = 0;
	} else {
		ret = verify(&o, &t);
	}
	free(buf);
	return ret;
}
