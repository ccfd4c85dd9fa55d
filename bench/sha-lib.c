/*
 * Per-granule SHA-256 and SHA-512 through the libraries realmvm could
 * link: libcrypto EVP (what realmvm used), libcrypto's SHA256_* and
 * SHA512_* (what it uses, so that a static binary links only SHA-2), and
 * nettle when built with -DHAVE_NETTLE.  Each hashes the same buffer 4 KiB
 * at a time, as the RIM does; prints "NAME BITS ms", the best of RUNS.
 * Built and run by bench/sha-lib.sh.
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

static void by_evp(const char *alg, const unsigned char *b, size_t n,
		   unsigned char *d)
{
	EVP_MD_CTX *x = EVP_MD_CTX_new();
	EVP_MD *md = EVP_MD_fetch(NULL, alg, NULL);
	size_t o;

	for (o = 0; o < n; o += GRANULE) {
		EVP_DigestInit_ex(x, md, NULL);
		EVP_DigestUpdate(x, b + o, GRANULE);
		EVP_DigestFinal_ex(x, d, NULL);
	}
	EVP_MD_free(md);
	EVP_MD_CTX_free(x);
}

static void evp256(const unsigned char *b, size_t n, unsigned char *d)
{
	by_evp("SHA256", b, n, d);
}

static void evp512(const unsigned char *b, size_t n, unsigned char *d)
{
	by_evp("SHA512", b, n, d);
}

/* NAME hashes n bytes a granule at a time, with one library's calls on c */
#define PER_GRANULE(NAME, CTX, INIT, UPDATE, FINAL)			\
static void NAME(const unsigned char *b, size_t n, unsigned char *d)	\
{									\
	CTX c;								\
	size_t o;							\
									\
	for (o = 0; o < n; o += GRANULE) {				\
		INIT;							\
		UPDATE;							\
		FINAL;							\
	}								\
}

PER_GRANULE(by_sha256, SHA256_CTX, SHA256_Init(&c),
	    SHA256_Update(&c, b + o, GRANULE), SHA256_Final(d, &c))
PER_GRANULE(by_sha512, SHA512_CTX, SHA512_Init(&c),
	    SHA512_Update(&c, b + o, GRANULE), SHA512_Final(d, &c))
#ifdef HAVE_NETTLE
PER_GRANULE(nettle256, struct sha256_ctx, sha256_init(&c),
	    sha256_update(&c, GRANULE, b + o),
	    sha256_digest(&c, SHA256_DIGEST_SIZE, d))
PER_GRANULE(nettle512, struct sha512_ctx, sha512_init(&c),
	    sha512_update(&c, GRANULE, b + o),
	    sha512_digest(&c, SHA512_DIGEST_SIZE, d))
#endif

static const struct {
	const char *name;
	int bits;
	void (*fn)(const unsigned char *, size_t, unsigned char *);
} libs[] = {
	{ "EVP", 256, evp256 },
	{ "SHA256_*", 256, by_sha256 },
#ifdef HAVE_NETTLE
	{ "nettle", 256, nettle256 },
#endif
	{ "EVP", 512, evp512 },
	{ "SHA512_*", 512, by_sha512 },
#ifdef HAVE_NETTLE
	{ "nettle", 512, nettle512 },
#endif
};
#define NLIBS	(sizeof(libs) / sizeof(libs[0]))

int main(int argc, char **argv)
{
	size_t n = (size_t)(argc > 1 ? atoi(argv[1]) : 64) << 20;
	unsigned char *b = malloc(n), d[64];
	double best[NLIBS];
	size_t i;
	int r;

	if (!b)
		return 1;
	for (i = 0; i < n; i++)
		b[i] = (unsigned char)(i * 131 + (i >> 12));
	for (i = 0; i < NLIBS; i++)
		best[i] = 1e30;
	/* interleaved, so that every library sees the same load */
	for (r = 0; r < RUNS; r++) {
		for (i = 0; i < NLIBS; i++) {
			double t = now_ms();

			libs[i].fn(b, n, d);
			t = now_ms() - t;
			if (t < best[i])
				best[i] = t;
		}
	}
	for (i = 0; i < NLIBS; i++)
		printf("%s %d %.1f\n", libs[i].name, libs[i].bits, best[i]);
	free(b);
	return 0;
}
