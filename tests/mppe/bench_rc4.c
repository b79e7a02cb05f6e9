/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MPPE's crypto on this machine, per candidate library (bench_candidates.h),
 * all in one run: RC4 key set-ups per second, RC4 throughput over 64/512/
 * 1400-byte buffers, MPPE's SHA-1 per second, and whole stateless MPPE
 * packets (header, re-key, RC4; the same steps as lib/mppe) encrypted and
 * decrypted per second; then lib/mppe itself (mppe_bench.h, and stateful).
 * Candidates take turns, round after round; each figure is the best round
 * (a shared machine only ever slows a round down). Rates are per second of
 * the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so time spent preempted
 * by other load does not count; caches shared with it still do.
 *
 *   bench_rc4 [--seconds S] [--rounds R]   a table, then RESULT name=... value=...
 *   bench_rc4 --check                      the candidates agree with lib/mppe; quick
 *
 * For instruction counts (callgrind, repeatable whatever the load): a fixed
 * number of runs per figure, one candidate, one size, e.g.
 *   valgrind --tool=callgrind --toggle-collect=do_model_encrypt \
 *       bench_rc4 --only openssl --size 64 --iterations 10000 --rounds 1
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_candidates.h"
#include "mppe/mppe.h"
#include "mppe/mppe_bench.h"

#define BATCH 256
#define MAX_RESULTS 128

static size_t sizes[] = { 64, 512, 1400 };
static size_t nb_sizes = sizeof(sizes) / sizeof(sizes[0]);
#define NB_SIZES nb_sizes
static const uint8_t start_key[16] = { 0x8B, 0x7C, 0xDC, 0x14, 0x9B, 0x99, 0x3A, 0x1B,
				       0xA1, 0x18, 0xCB, 0x15, 0x3F, 0x56, 0xDC, 0xCB };
static double seconds = 0.25;
static uint64_t iterations; /* a fixed count instead of `seconds` */
static const char *only;     /* one candidate */
static uint8_t buf[2048];

/* ---- stateless MPPE over a candidate: lib/mppe's steps, 128-bit ---- */

struct model {
	const struct candidate *c;
	void *rc4;
	uint8_t key[16];
	uint8_t ring[MPPE_RING][16];
	unsigned int cc;
};

static void model_init(struct model *m, const struct candidate *c)
{
	uint8_t sha[20];

	m->c = c;
	m->rc4 = c->ctx_new();
	c->sha1_key(start_key, start_key, 16, sha);
	memcpy(m->key, sha, 16);
	m->cc = MPPE_CCOUNT_MASK;
}

static void model_rekey(struct model *m)
{
	uint8_t interim[20];

	m->c->sha1_key(start_key, m->key, 16, interim);
	m->c->rc4_set_key(m->rc4, interim, 16);
	memcpy(m->key, interim, 16);
	m->c->rc4_crypt(m->rc4, m->key, 16);
}

static void model_encrypt(struct model *m, uint8_t hdr[2], uint8_t *data, size_t len)
{
	m->cc = (m->cc + 1) & MPPE_CCOUNT_MASK;
	model_rekey(m);
	m->c->rc4_set_key(m->rc4, m->key, 16);
	m->c->rc4_crypt(m->rc4, data, len);
	hdr[0] = MPPE_BIT_A | MPPE_BIT_D | (uint8_t)(m->cc >> 8);
	hdr[1] = (uint8_t)m->cc;
}

static int model_decrypt(struct model *m, const uint8_t hdr[2], uint8_t *data, size_t len)
{
	unsigned int cc = mppe_hdr_ccount(hdr), dist = (cc - m->cc) & MPPE_CCOUNT_MASK;

	if ((hdr[0] & (MPPE_BIT_A | MPPE_BIT_C | MPPE_BIT_D)) != (MPPE_BIT_A | MPPE_BIT_D))
		return MPPE_ERR_FORMAT;
	if (dist - 1 >= MPPE_MAX_JUMP)
		return MPPE_ERR_JUMP; /* not measured */
	while (dist--) {
		model_rekey(m);
		m->cc = (m->cc + 1) & MPPE_CCOUNT_MASK;
		memcpy(m->ring[m->cc % MPPE_RING], m->key, 16);
	}
	m->c->rc4_set_key(m->rc4, m->ring[cc % MPPE_RING], 16);
	m->c->rc4_crypt(m->rc4, data, len);
	return MPPE_OK;
}

/* ---- timing ---- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct job {
	const struct candidate *c;
	struct model tx, rx;
	void *rc4;
	size_t len;
	uint8_t key[16];
	unsigned int cc;
};

typedef void job_fn(struct job *j);

/* Runs of `fn` per second. */
static double rate(job_fn *fn, struct job *j)
{
	double start = now_s(), t;
	uint64_t n = 0;

	do {
		for (int i = 0; i < BATCH; i++)
			fn(j);
		n += BATCH;
		t = now_s() - start;
	} while (iterations ? n < iterations : t < seconds);
	return (double)n / t;
}

static void do_setkey(struct job *j)
{
	j->c->rc4_set_key(j->rc4, j->key, 16);
	j->key[j->cc++ & 15]++;
}

static void do_rc4(struct job *j)
{
	j->c->rc4_crypt(j->rc4, buf, j->len);
}

static void do_sha1(struct job *j)
{
	uint8_t out[20];

	j->c->sha1_key(start_key, j->key, 16, out);
	memcpy(j->key, out, 16);
}

static void do_model_encrypt(struct job *j)
{
	uint8_t hdr[2];

	model_encrypt(&j->tx, hdr, buf, j->len);
}

static void do_model_decrypt(struct job *j)
{
	uint8_t hdr[2] = { MPPE_BIT_A | MPPE_BIT_D | (uint8_t)(j->cc >> 8), (uint8_t)j->cc };

	j->cc = (j->cc + 1) & MPPE_CCOUNT_MASK;
	if (model_decrypt(&j->rx, hdr, buf, j->len) != MPPE_OK)
		abort();
}

static struct mppe_dir lib_tx, lib_rx;

static void do_lib_encrypt(struct job *j)
{
	uint8_t hdr[2];

	mppe_encrypt(&lib_tx, hdr, buf, j->len);
}

/* The same call; a function of its own for callgrind's --toggle-collect. */
static void do_lib_stateful(struct job *j)
{
	uint8_t hdr[2];

	mppe_encrypt(&lib_tx, hdr, buf, j->len);
}

static void do_lib_decrypt(struct job *j)
{
	uint8_t hdr[2] = { MPPE_BIT_A | MPPE_BIT_D | (uint8_t)(j->cc >> 8), (uint8_t)j->cc };

	j->cc = (j->cc + 1) & MPPE_CCOUNT_MASK;
	if (mppe_decrypt(&lib_rx, hdr, buf, j->len) != MPPE_OK)
		abort();
}

/* ---- results: the best of the rounds ---- */

struct result {
	char name[80];
	double value;
};

static struct result results[MAX_RESULTS];
static unsigned int nb_results;

static void record(const char *cand, const char *what, size_t len, double value)
{
	char name[80];
	unsigned int i;

	if (len)
		snprintf(name, sizeof(name), "mppe.%s.%s.%zu", cand, what, len);
	else
		snprintf(name, sizeof(name), "mppe.%s.%s", cand, what);
	for (i = 0; i < nb_results && strcmp(results[i].name, name); i++)
		;
	if (i == nb_results) {
		if (nb_results == MAX_RESULTS)
			abort();
		snprintf(results[nb_results++].name, sizeof(results[0].name), "%s", name);
	}
	if (value > results[i].value)
		results[i].value = value;
}

static double result(const char *cand, const char *what, size_t len)
{
	char name[80];

	if (len)
		snprintf(name, sizeof(name), "mppe.%s.%s.%zu", cand, what, len);
	else
		snprintf(name, sizeof(name), "mppe.%s.%s", cand, what);
	for (unsigned int i = 0; i < nb_results; i++)
		if (!strcmp(results[i].name, name))
			return results[i].value;
	return 0;
}

static void round_candidate(const struct candidate *c)
{
	struct job j = { .c = c, .key = { 1, 2, 3 } };

	j.rc4 = c->ctx_new();
	record(c->name, "rc4_setkey_per_s", 0, rate(do_setkey, &j));
	c->rc4_set_key(j.rc4, start_key, 16);
	for (size_t s = 0; s < NB_SIZES; s++) {
		j.len = sizes[s];
		record(c->name, "rc4_gbps", j.len, rate(do_rc4, &j) * (double)j.len * 8 / 1e9);
	}
	record(c->name, "sha1_per_s", 0, rate(do_sha1, &j));
	for (size_t s = 0; s < NB_SIZES; s++) {
		double pps;

		j.len = sizes[s];
		model_init(&j.tx, c);
		pps = rate(do_model_encrypt, &j);
		record(c->name, "stateless_encrypt_pps", j.len, pps);
		record(c->name, "stateless_encrypt_gbps", j.len, pps * (double)j.len * 8 / 1e9);
		c->ctx_free(j.tx.rc4);
		model_init(&j.rx, c);
		j.cc = 0;
		pps = rate(do_model_decrypt, &j);
		record(c->name, "stateless_decrypt_pps", j.len, pps);
		record(c->name, "stateless_decrypt_gbps", j.len, pps * (double)j.len * 8 / 1e9);
		c->ctx_free(j.rx.rc4);
	}
	c->ctx_free(j.rc4);
}

/* lib/mppe itself: what mppe_bench.h gives the data plane's benchmark, and
 * mppe_encrypt/mppe_decrypt (stateless, and stateful encryption). */
static void round_library(void)
{
	struct job j = { 0 };

	record("lib", "rc4_setkey_per_s", 0, mppe_bench_rc4_setkey_per_s(seconds));
	record("lib", "sha1_per_s", 0, mppe_bench_sha1_per_s(seconds));
	for (size_t s = 0; s < NB_SIZES; s++) {
		const size_t len = sizes[s];
		static const char *const what[3][2] = {
			{ "stateless_encrypt_pps", "stateless_encrypt_gbps" },
			{ "stateless_decrypt_pps", "stateless_decrypt_gbps" },
			{ "stateful_encrypt_pps", "stateful_encrypt_gbps" },
		};

		record("lib", "rc4_gbps", len, mppe_bench_raw_rc4_gbps(len, seconds));
		j.len = len;
		for (int k = 0; k < 3; k++) {
			double pps;

			mppe_dir_init(&lib_tx, start_key, 128, k != 2);
			mppe_dir_init(&lib_rx, start_key, 128, true);
			j.cc = 0;
			pps = rate(k == 0 ? do_lib_encrypt : k == 1 ? do_lib_decrypt : do_lib_stateful,
				   &j);
			record("lib", what[k][0], len, pps);
			record("lib", what[k][1], len, pps * (double)len * 8 / 1e9);
		}
	}
}

/* Every candidate's stateless packets are lib/mppe's, byte for byte. */
static int check_candidates(void)
{
	for (const struct candidate *const *c = bench_candidates; *c; c++) {
		struct model tx, rx;
		struct mppe_dir lib;
		uint8_t a[300], b[300], ha[2], hb[2];

		model_init(&tx, *c);
		model_init(&rx, *c);
		mppe_dir_init(&lib, start_key, 128, true);
		for (unsigned int n = 0; n < 300; n++) {
			size_t len = 1 + n;

			for (size_t i = 0; i < len; i++)
				a[i] = b[i] = (uint8_t)(n + i);
			model_encrypt(&tx, ha, a, len);
			mppe_encrypt(&lib, hb, b, len);
			if (memcmp(ha, hb, 2) || memcmp(a, b, len)) {
				fprintf(stderr, "%s: packet %u differs from lib/mppe\n", (*c)->name, n);
				return 1;
			}
			if (n % 3 == 1) /* lose one in three */
				continue;
			if (model_decrypt(&rx, ha, a, len) != MPPE_OK || a[len - 1] != (uint8_t)(n + len - 1)) {
				fprintf(stderr, "%s: packet %u does not decrypt\n", (*c)->name, n);
				return 1;
			}
		}
		(*c)->ctx_free(tx.rc4);
		(*c)->ctx_free(rx.rc4);
		printf("check %s (%s): same packets as lib/mppe\n", (*c)->name, (*c)->library);
	}
	return 0;
}

static void print_row(const char *name)
{
	printf("%-8s", name);
	for (size_t s = 0; s < NB_SIZES; s++)
		printf(" %7.0f (%5.2f) %7.0f (%5.2f)",
		       result(name, "stateless_encrypt_pps", sizes[s]) / 1e3,
		       result(name, "stateless_encrypt_gbps", sizes[s]),
		       result(name, "stateless_decrypt_pps", sizes[s]) / 1e3,
		       result(name, "stateless_decrypt_gbps", sizes[s]));
	printf("\n");
}

static void print_results(void)
{
	printf("\n%-8s %12s %10s %10s %10s %12s\n", "", "RC4 keys/s", "RC4 64", "512",
	       "1400 Gb/s", "SHA-1/s");
	for (const struct candidate *const *c = bench_candidates; *c; c++)
		printf("%-8s %12.0f %10.2f %10.2f %10.2f %12.0f\n", (*c)->name,
		       result((*c)->name, "rc4_setkey_per_s", 0), result((*c)->name, "rc4_gbps", 64),
		       result((*c)->name, "rc4_gbps", 512), result((*c)->name, "rc4_gbps", 1400),
		       result((*c)->name, "sha1_per_s", 0));
	printf("\nstateless MPPE, 128-bit: kpps (Gbit/s)\n%-8s", "");
	for (size_t s = 0; s < NB_SIZES; s++)
		printf("   enc %4zu B      dec %4zu B  ", sizes[s], sizes[s]);
	printf("\n");
	for (const struct candidate *const *c = bench_candidates; *c; c++)
		print_row((*c)->name);
	print_row("lib");
	printf("\n");
	for (unsigned int i = 0; i < nb_results; i++)
		printf("RESULT name=%s value=%.6g\n", results[i].name, results[i].value);
}

int main(int argc, char **argv)
{
	unsigned int rounds = 3;
	bool check = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check")) {
			check = true;
		} else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			seconds = atof(argv[++i]);
		} else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			rounds = (unsigned int)atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--iterations") && i + 1 < argc) {
			iterations = strtoull(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			only = argv[++i];
		} else if (!strcmp(argv[i], "--size") && i + 1 < argc) {
			sizes[0] = strtoul(argv[++i], NULL, 10);
			nb_sizes = 1;
			if (sizes[0] == 0 || sizes[0] > sizeof(buf))
				return 2;
		} else {
			fprintf(stderr, "usage: bench_rc4 [--seconds S] [--rounds R] [--check]\n"
					"       [--iterations N] [--only CANDIDATE] [--size BYTES]\n");
			return 2;
		}
	}
	if (check_candidates())
		return 1;
	if (check) {
		seconds = 0.002;
		rounds = 1;
		if (mppe_bench_stateless_pps(64, true, seconds) <= 0 ||
		    mppe_bench_stateless_pps(64, false, seconds) <= 0)
			return 1;
	}
	for (unsigned int r = 0; r < rounds; r++) {
		for (const struct candidate *const *c = bench_candidates; *c; c++)
			if (!only || !strcmp(only, (*c)->name))
				round_candidate(*c);
		if (!only || !strcmp(only, "lib"))
			round_library();
	}
	print_results();
	return 0;
}
