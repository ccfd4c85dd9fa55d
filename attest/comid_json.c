/*
 * Veraison JSON CoMID template (veraison/corim comid/ field names,
 * digests in the current "[alg, base64url without padding]" form with
 * the IANA integer id, byte values standard base64 with padding).  All
 * strings are generated here, so nothing needs JSON escaping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "attest/comid_json.h"
#include "vmm/out_file.h"
#include "vmm/util.h"

/* Standard base64 with padding into out (4 * ((len + 2) / 3) + 1 bytes). */
static void b64(const uint8_t *in, size_t len, char *out)
{
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
}

/* base64url without padding: the digest form vcorim reads. */
static void b64url(const uint8_t *in, size_t len, char *out)
{
	char *p;

	b64(in, len, out);
	for (p = out; *p; p++) {
		if (*p == '+')
			*p = '-';
		else if (*p == '/')
			*p = '_';
		else if (*p == '=')
			*p = '\0';
	}
}

static void uuid_text(const uint8_t id[CORIM_ID_SIZE], char out[37])
{
	char hex[2 * CORIM_ID_SIZE + 1];

	hex_encode(id, CORIM_ID_SIZE, hex);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
		 hex + 16, hex + 20);
}

static void digest_measurement(FILE *f, const char *mkey,
			       const struct hash_algo_info *algo,
			       const uint8_t *value)
{
	char enc[100];

	b64url(value, algo->size, enc);
	fprintf(f, ",\n        { \"key\": { \"type\": \"string\", \"value\": \"%s\" },\n"
		   "          \"value\": { \"digests\": [ [%d, \"%s\"] ] } }",
		mkey, algo->iana_id, enc);
}

static void record(FILE *f, const struct corim_refval *rv)
{
	char enc[100], mkey[16];
	unsigned int i;

	b64(rv->rim, rv->algo->size, enc);
	fprintf(f, "    {\n      \"environment\": { \"class\": { \"id\": { \"type\": \"bytes\", \"value\": \"%s\" } } },\n"
		   "      \"measurements\": [\n", enc);
	b64url(rv->rim, rv->algo->size, enc);
	fprintf(f, "        { \"key\": { \"type\": \"string\", \"value\": \"cca.rim\" },\n"
		   "          \"value\": { \"digests\": [ [%d, \"%s\"] ] } }",
		rv->algo->iana_id, enc);
	for (i = 0; i < CORIM_NR_REMS; i++) {
		if (!(rv->rem_mask & (1U << i)))
			continue;
		snprintf(mkey, sizeof(mkey), "cca.rem%u", i);
		digest_measurement(f, mkey, rv->algo, rv->rem[i]);
	}
	if (rv->has_rpv) {
		b64(rv->rpv, 64, enc);
		fprintf(f, ",\n        { \"key\": { \"type\": \"string\", \"value\": \"cca.rpv\" },\n"
			   "          \"value\": { \"raw-value\": { \"type\": \"bytes\", \"value\": \"%s\" } } }",
			enc);
	}
	fputs("\n      ]\n    }", f);
}

int comid_json_write(const char *path, const struct corim_params *p,
		     const struct corim_refval *rv, size_t n)
{
	char *buf = NULL, id[37];
	size_t len = 0, i;
	FILE *f;
	int ret;

	f = open_memstream(&buf, &len);
	if (!f)
		return pr_err("out of memory writing --comid-json");
	uuid_text(p->tag_id, id);
	fprintf(f, "{\n  \"tag-identity\": { \"id\": \"%s\", \"version\": 0 },\n"
		   "  \"triples\": {\n  \"reference-values\": [\n", id);
	for (i = 0; i < n; i++) {
		if (i)
			fputs(",\n", f);
		record(f, &rv[i]);
	}
	fputs("\n  ]\n  }\n}\n", f);
	if (fclose(f) || !buf) {
		free(buf);
		return pr_err("out of memory writing --comid-json");
	}
	ret = write_file_atomic(path, buf, len);
	free(buf);
	return ret;
}
