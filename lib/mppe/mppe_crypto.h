/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RC4 and SHA-1 for MPPE, from OpenSSL's libcrypto (docs/mppe.md says why:
 * measured against nettle and libgcrypt). Internal to lib/mppe: include it
 * first, before any other header that could pull OpenSSL's in.
 *
 * The low-level RC4_* and SHA1_* calls are deprecated in OpenSSL 3.0 but
 * kept, need no provider (RC4 through EVP would need the legacy one), and
 * are the assembly paths; SHA1() itself goes through EVP and costs 4-5
 * times more per call. OPENSSL_API_COMPAT selects the 1.1.1 API, in which
 * they are not marked deprecated.
 */
#ifndef DPPTP_MPPE_CRYPTO_H
#define DPPTP_MPPE_CRYPTO_H

#ifndef OPENSSL_API_COMPAT
#define OPENSSL_API_COMPAT 0x10100000L
#endif

#include <stddef.h>
#include <stdint.h>

#include <openssl/rc4.h>
#include <openssl/sha.h>

#include "mppe.h"

#define MPPE_SHA1_LEN 20

typedef RC4_KEY mppe_rc4_ctx;

static inline void mppe_rc4_set_key(mppe_rc4_ctx *c, const uint8_t *key, size_t len)
{
	RC4_set_key(c, (int)len, key);
}

/* In place. */
static inline void mppe_rc4_crypt(mppe_rc4_ctx *c, uint8_t *buf, size_t len)
{
	RC4(c, len, buf, buf);
}

/* OpenSSL keeps RC4's bytes in RC4_INT words (4 bytes on x86-64): widen and
 * narrow around each stateful packet, so that a direction stays small. */
static inline void mppe_rc4_load(mppe_rc4_ctx *c, const struct mppe_rc4 *s)
{
	for (unsigned int n = 0; n < 256; n++)
		c->data[n] = s->s[n];
	c->x = s->i;
	c->y = s->j;
}

static inline void mppe_rc4_store(struct mppe_rc4 *s, const mppe_rc4_ctx *c)
{
	for (unsigned int n = 0; n < 256; n++)
		s->s[n] = (uint8_t)c->data[n];
	s->i = (uint8_t)c->x;
	s->j = (uint8_t)c->y;
}

/*
 * SHA-1(start key | 40 x 0x00 | session key | 40 x 0xF2), the heart of
 * GetNewKeyFromSHA (RFC 3078 section 7.3, RFC 3079 section 3.4); the caller
 * keeps the first `len` bytes.
 */
static inline void mppe_sha1_key(const uint8_t *start, const uint8_t *key, size_t len,
				 uint8_t out[MPPE_SHA1_LEN])
{
	static const uint8_t pad1[40] = { 0 };
	static const uint8_t pad2[40] = {
		0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2,
		0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2,
		0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2,
		0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2,
	};
	SHA_CTX ctx;

	SHA1_Init(&ctx);
	SHA1_Update(&ctx, start, len);
	SHA1_Update(&ctx, pad1, sizeof(pad1));
	SHA1_Update(&ctx, key, len);
	SHA1_Update(&ctx, pad2, sizeof(pad2));
	SHA1_Final(out, &ctx);
}

#endif /* DPPTP_MPPE_CRYPTO_H */
