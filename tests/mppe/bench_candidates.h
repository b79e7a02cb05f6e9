/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The crypto libraries bench_rc4 compares, behind one small interface: RC4
 * key set-up and encryption in place, and MPPE's SHA-1 (start key | 40 x 00
 * | session key | 40 x F2). Each candidate calls its library the way
 * lib/mppe would (OpenSSL's is what lib/mppe does, through mppe_crypto.h).
 */
#ifndef DPPTP_BENCH_CANDIDATES_H
#define DPPTP_BENCH_CANDIDATES_H

#include <stddef.h>
#include <stdint.h>

struct candidate {
	const char *name;
	const char *library; /* name and version */
	void *(*ctx_new)(void);
	void (*ctx_free)(void *ctx);
	void (*rc4_set_key)(void *ctx, const uint8_t *key, size_t len);
	void (*rc4_crypt)(void *ctx, uint8_t *buf, size_t len);
	void (*sha1_key)(const uint8_t *start, const uint8_t *key, size_t len, uint8_t out[20]);
};

/* NULL-terminated; OpenSSL first, then nettle and libgcrypt if built in. */
extern const struct candidate *const bench_candidates[];

#endif /* DPPTP_BENCH_CANDIDATES_H */
