/*
 * Built instead of cmd_token.c, appraise.c, cose_verify.c and cose_sign.c
 * when the build leaves out public-key crypto (PKEY=0, the default of the
 * static aarch64 build, `make ARCH=arm64`): any ECDSA or PEM call links
 * libcrypto's EVP providers, 3 MB of the 4.3 MB binary.  The RIM, the
 * event log and --comid-json need none of it (SHA-2 comes from libcrypto's
 * SHA256_* code either way).  docs/building.md.
 */
#include <stdio.h>
#include <string.h>

#include "attest/cose_sign.h"
#include "vmm/commands.h"
#include "vmm/util.h"

#define NO_PKEY_WHY "this small static build has no COSE signature code; use the host build (make) or make ARCH=arm64 PKEY=1 (docs/building.md)"

int cmd_token(int argc, char **argv)
{
	/* `realmvm --help` asks every command for its help, on stdout */
	if (argc == 2 && (!strcmp(argv[1], "--help") ||
			  !strcmp(argv[1], "-h"))) {
		printf("realmvm token: %s\n", NO_PKEY_WHY);
		return 0;
	}
	pr_err("token: %s", NO_PKEY_WHY);
	return EXIT_USAGE;
}

int cose_sign_corim(const uint8_t *payload, size_t len,
		    const struct corim_signing *s, uint8_t **out,
		    size_t *out_len)
{
	(void)payload;
	(void)len;
	(void)s;
	*out = NULL;
	*out_len = 0;
	return pr_err("--corim-key: %s", NO_PKEY_WHY);
}
