/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Timing helpers for benchmarks (the data plane's and tests/mppe/bench_rc4):
 * what MPPE's crypto costs on this machine, in the same run as whatever the
 * caller measures. Each runs for about `seconds` of the calling thread's CPU
 * time (CLOCK_THREAD_CPUTIME_ID: time the thread spends preempted by other
 * load does not count) and returns a rate per CPU-second, that is per core
 * kept busy; not for the fast path.
 */
#ifndef DPPTP_MPPE_BENCH_H
#define DPPTP_MPPE_BENCH_H

#include <stdbool.h>
#include <stddef.h>

/* Raw RC4 (the library MPPE uses, one key, no re-keying) over `len`-byte
 * buffers: Gbit/s of data encrypted. */
double mppe_bench_raw_rc4_gbps(size_t len, double seconds);

/* RC4 key set-ups (16-byte keys) per second. */
double mppe_bench_rc4_setkey_per_s(double seconds);

/* GetNewKeyFromSHA's SHA-1 (112 bytes in, 128-bit keys) per second. */
double mppe_bench_sha1_per_s(double seconds);

/* Whole stateless 128-bit MPPE packets of `len` bytes (protocol field
 * included) through mppe_encrypt, or through mppe_decrypt when `decrypt`:
 * packets per second. Multiply by 8 * len for the bit rate. */
double mppe_bench_stateless_pps(size_t len, bool decrypt, double seconds);

#endif /* DPPTP_MPPE_BENCH_H */
