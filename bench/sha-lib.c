/*
 * Per-granule SHA-256 through the libraries realmvm could link: libcrypto
 * EVP (what realmvm used), libcrypto's SHA256_* (what it uses now, so that
 * a static binary links only SHA-2), and nettle when built with
 * -DHAVE_NETTLE.  Each hashes the same buffer 4 KiB at a time, as the RIM
 * does; prints the best of RUNS in ms.  Built and run by bench/sha-lib.sh.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef HAVE_NETTLE
#include <nettle/sha2.h>
#endif

#define GRANULE	4096
#define RUNS	7

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void by_evp(const unsigned char *b, size_t n, unsigned char *d)
{
	EVP_MD_CTX *x = EVP_MD_CTX_new();
	EVP_MD *md = EVP_MD_fetch(NULL, "SHA256", NULL);
	size_t o;

	for (o = 0; o < n; o += GRANULE) {
		EVP_DigestInit_ex(x, md, NULL);
		EVP_DigestUpdate(x, b + o, GRANULE);
		EVP_DigestFinal_ex(x, d, NULL);
	}
	EVP_MD_free(md);
	EVP_MD_CTX_free(x);
}

static void by_sha256(const unsigned char *b, size_t n, unsigned char *d)
{
	SHA256_CTX c;
	size_t o;

	for (o = 0; o < n; o += GRANULE) {
		SHA256_Init(&c);
		SHA256_Update(&c, b + o, GRANULE);
		SHA256_Final(d, &c);
	}
}

#ifdef HAVE_NETTLE
static void by_nettle(const unsigned char *b, size_t n, unsigned char *d)
{
	struct sha256_ctx c;
	size_t o;

	for (o = 0; o < n; o += GRANULE) {
		sha256_init(&c);
		sha256_update(&c, GRANULE, b + o);
		sha256_digest(&c, SHA256_DIGEST_SIZE, d);
	}
}
#endif

int main(int argc, char **argv)
{
	size_t n = (size_t)(argc > 1 ? atoi(argv[1]) : 64) << 20;
	void (*fn[3])(const unsigned char *, size_t, unsigned char *) = {
		by_evp, by_sha256,
#ifdef HAVE_NETTLE
		by_nettle,
#endif
	};
	const char *name[3] = { "EVP", "SHA256_*", "nettle" };
	int nfn = 2, i, r;
	double best[3];
	unsigned char *b = malloc(n), d[32];

	if (!b)
		return 1;
#ifdef HAVE_NETTLE
	nfn = 3;
#endif
	for (i = 0; (size_t)i < n; i++)
		b[i] = (unsigned char)(i * 131 + (i >> 12));
	for (i = 0; i < nfn; i++)
		best[i] = 1e30;
	/* interleaved, so that every library sees the same load */
	for (r = 0; r < RUNS; r++) {
		for (i = 0; i < nfn; i++) {
			double t = now_ms();

			fn[i](b, n, d);
			t = now_ms() - t;
			if (t < best[i])
				best[i] = t;
		}
	}
	for (i = 0; i < nfn; i++)
		printf("%s %.1f\n", name[i], best[i]);
	free(b);
	return 0;
}
