/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Timing helpers (mppe_bench.h). Each loop reads the thread's CPU clock (a
 * system call) every BATCH iterations, which costs at most a few per cent
 * for the shortest (RC4 over 64 bytes).
 */
#include "mppe_crypto.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mppe.h"
#include "mppe_bench.h"

#define BATCH 256
#define MAX_LEN 65536

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const uint8_t bench_key[16] = { 0x8B, 0x7C, 0xDC, 0x14, 0x9B, 0x99, 0x3A, 0x1B,
				       0xA1, 0x18, 0xCB, 0x15, 0x3F, 0x56, 0xDC, 0xCB };

double mppe_bench_raw_rc4_gbps(size_t len, double seconds)
{
	static uint8_t buf[MAX_LEN];
	mppe_rc4_ctx rc4;
	double start, t;
	uint64_t n = 0;

	if (len == 0 || len > MAX_LEN)
		return 0;
	mppe_rc4_set_key(&rc4, bench_key, sizeof(bench_key));
	start = now_s();
	do {
		for (int i = 0; i < BATCH; i++)
			mppe_rc4_crypt(&rc4, buf, len);
		n += BATCH;
		t = now_s() - start;
	} while (t < seconds);
	return (double)n * (double)len * 8 / t / 1e9;
}

double mppe_bench_rc4_setkey_per_s(double seconds)
{
	uint8_t key[16];
	mppe_rc4_ctx rc4;
	double start, t;
	uint64_t n = 0;

	memcpy(key, bench_key, sizeof(key));
	start = now_s();
	do {
		for (int i = 0; i < BATCH; i++) {
			mppe_rc4_set_key(&rc4, key, sizeof(key));
			key[i & 15] ^= (uint8_t)rc4.data[7]; /* depend on the result */
		}
		n += BATCH;
		t = now_s() - start;
	} while (t < seconds);
	return (double)n / t;
}

double mppe_bench_sha1_per_s(double seconds)
{
	uint8_t key[16], out[MPPE_SHA1_LEN];
	double start, t;
	uint64_t n = 0;

	memcpy(key, bench_key, sizeof(key));
	start = now_s();
	do {
		for (int i = 0; i < BATCH; i++) {
			mppe_sha1_key(bench_key, key, sizeof(key), out);
			memcpy(key, out, sizeof(key));
		}
		n += BATCH;
		t = now_s() - start;
	} while (t < seconds);
	return (double)n / t;
}

double mppe_bench_stateless_pps(size_t len, bool decrypt, double seconds)
{
	static uint8_t buf[MAX_LEN];
	struct mppe_dir tx, rx;
	uint8_t hdr[MPPE_HDR_LEN];
	unsigned int cc = 0;
	double start, t;
	uint64_t n = 0;

	if (len == 0 || len > MAX_LEN)
		return 0;
	mppe_dir_init(&tx, bench_key, 128, true);
	mppe_dir_init(&rx, bench_key, 128, true);
	start = now_s();
	do {
		for (int i = 0; i < BATCH; i++) {
			if (decrypt) {
				/* Every count in turn, as from a sender; what
				 * arrives need not decrypt to anything. */
				hdr[0] = MPPE_BIT_A | MPPE_BIT_D | (uint8_t)(cc >> 8);
				hdr[1] = (uint8_t)cc;
				cc = (cc + 1) & MPPE_CCOUNT_MASK;
				if (mppe_decrypt(&rx, hdr, buf, len) != MPPE_OK)
					abort();
			} else {
				mppe_encrypt(&tx, hdr, buf, len);
			}
		}
		n += BATCH;
		t = now_s() - start;
	} while (t < seconds);
	mppe_dir_wipe(&tx);
	mppe_dir_wipe(&rx);
	return (double)n / t;
}
