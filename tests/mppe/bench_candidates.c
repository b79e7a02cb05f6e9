/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The candidates of bench_candidates.h. OpenSSL through lib/mppe's own
 * wrappers; nettle (arcfour_*, sha1_*) and libgcrypt (one cipher handle per
 * context, opened once: re-keying it is gcry_cipher_setkey) directly.
 */
#include "mppe/mppe_crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/opensslv.h>

#ifdef BENCH_NETTLE
#include <nettle/arcfour.h>
#include <nettle/sha1.h>
#include <nettle/version.h>
#endif
#ifdef BENCH_GCRYPT
#include <gcrypt.h>
#endif

#include "bench_candidates.h"

static const uint8_t pad1[40];
static const uint8_t pad2[40] = {
	0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2,
	0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2,
	0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2,
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p)
		abort();
	return p;
}

/* ---- OpenSSL (libcrypto), as lib/mppe uses it ---- */

static void *ossl_new(void)
{
	return xmalloc(sizeof(mppe_rc4_ctx));
}

static void ossl_set_key(void *ctx, const uint8_t *key, size_t len)
{
	mppe_rc4_set_key(ctx, key, len);
}

static void ossl_crypt(void *ctx, uint8_t *buf, size_t len)
{
	mppe_rc4_crypt(ctx, buf, len);
}

static const struct candidate openssl = {
	.name = "openssl",
	.library = OPENSSL_VERSION_TEXT,
	.ctx_new = ossl_new,
	.ctx_free = free,
	.rc4_set_key = ossl_set_key,
	.rc4_crypt = ossl_crypt,
	.sha1_key = mppe_sha1_key,
};

/* ---- nettle ---- */

#ifdef BENCH_NETTLE
static void *nettle_new(void)
{
	return xmalloc(sizeof(struct arcfour_ctx));
}

static void nettle_set_key(void *ctx, const uint8_t *key, size_t len)
{
	arcfour_set_key(ctx, len, key);
}

static void nettle_crypt(void *ctx, uint8_t *buf, size_t len)
{
	arcfour_crypt(ctx, len, buf, buf);
}

static void nettle_sha1_key(const uint8_t *start, const uint8_t *key, size_t len,
			    uint8_t out[20])
{
	struct sha1_ctx c;

	sha1_init(&c);
	sha1_update(&c, len, start);
	sha1_update(&c, sizeof(pad1), pad1);
	sha1_update(&c, len, key);
	sha1_update(&c, sizeof(pad2), pad2);
	sha1_digest(&c, SHA1_DIGEST_SIZE, out);
}

#define STR_(x) #x
#define STR(x) STR_(x)
static const struct candidate nettle = {
	.name = "nettle",
	.library = "nettle " STR(NETTLE_VERSION_MAJOR) "." STR(NETTLE_VERSION_MINOR),
	.ctx_new = nettle_new,
	.ctx_free = free,
	.rc4_set_key = nettle_set_key,
	.rc4_crypt = nettle_crypt,
	.sha1_key = nettle_sha1_key,
};
#endif

/* ---- libgcrypt ---- */

#ifdef BENCH_GCRYPT
static void *gcry_new(void)
{
	gcry_cipher_hd_t *h = xmalloc(sizeof(*h));

	if (!gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P)) {
		gcry_check_version(NULL);
		gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	}
	if (gcry_cipher_open(h, GCRY_CIPHER_ARCFOUR, GCRY_CIPHER_MODE_STREAM, 0))
		abort();
	return h;
}

static void gcry_free_ctx(void *ctx)
{
	gcry_cipher_close(*(gcry_cipher_hd_t *)ctx);
	free(ctx);
}

static void gcry_set_key(void *ctx, const uint8_t *key, size_t len)
{
	if (gcry_cipher_setkey(*(gcry_cipher_hd_t *)ctx, key, len))
		abort();
}

static void gcry_crypt(void *ctx, uint8_t *buf, size_t len)
{
	if (gcry_cipher_encrypt(*(gcry_cipher_hd_t *)ctx, buf, len, NULL, 0))
		abort();
}

static void gcry_sha1_key(const uint8_t *start, const uint8_t *key, size_t len, uint8_t out[20])
{
	gcry_buffer_t iov[4] = {
		{ .data = (void *)start, .len = len },
		{ .data = (void *)pad1, .len = sizeof(pad1) },
		{ .data = (void *)key, .len = len },
		{ .data = (void *)pad2, .len = sizeof(pad2) },
	};

	if (gcry_md_hash_buffers(GCRY_MD_SHA1, 0, out, iov, 4))
		abort();
}

static const struct candidate gcrypt = {
	.name = "gcrypt",
	.library = "libgcrypt " GCRYPT_VERSION,
	.ctx_new = gcry_new,
	.ctx_free = gcry_free_ctx,
	.rc4_set_key = gcry_set_key,
	.rc4_crypt = gcry_crypt,
	.sha1_key = gcry_sha1_key,
};
#endif

const struct candidate *const bench_candidates[] = {
	&openssl,
#ifdef BENCH_NETTLE
	&nettle,
#endif
#ifdef BENCH_GCRYPT
	&gcrypt,
#endif
	NULL,
};
