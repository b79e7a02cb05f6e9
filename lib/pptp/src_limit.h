/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-source connection rate limit: one token bucket per peer IPv4 address,
 * in a table of bounded size.
 *
 * A source may open `burst` connections back to back, then one more every
 * `refill_ms`. Integer arithmetic only; time is the caller's monotonic
 * milliseconds.
 *
 * The table is set-associative (PPTP_SRC_LIMIT_WAYS slots per set; the set
 * is chosen by a seeded hash of the address) and never grows. When a new
 * source finds its set full, it takes, in this order:
 *   1. a slot whose bucket has refilled to `burst`: such a source is as free
 *      as one never seen, so forgetting it changes nothing;
 *   2. otherwise the slot seen least recently in the set (counted in
 *      `evictions`): that source is forgiven and starts again with a full
 *      bucket. Under a flood from more distinct addresses than the table
 *      holds, the limit therefore weakens for the oldest sources rather than
 *      refusing new ones: it fails open, never closed.
 * The seed (random per daemon run) keeps a peer from choosing addresses that
 * fall into one set; the hash is a mixer, not a cryptographic function.
 */
#ifndef DPPTP_PPTP_SRC_LIMIT_H
#define DPPTP_PPTP_SRC_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define PPTP_SRC_LIMIT_WAYS 8u

struct pptp_src_limit_cfg {
	uint32_t burst;     /* bucket size: connections back to back, >= 1 */
	uint32_t refill_ms; /* one token back every this many ms, >= 1 */
	uint32_t slots;     /* sources tracked; rounded up to a multiple of WAYS */
	uint32_t seed;      /* hash seed */
};

struct pptp_src_limit_stats {
	uint64_t allowed;   /* takes that found a token */
	uint64_t limited;   /* takes refused: the source's bucket was empty */
	uint64_t evictions; /* sources forgotten before their bucket refilled */
};

struct pptp_src_limit;

/* NULL if the configuration is invalid (burst, refill_ms or slots 0) or out
 * of memory. */
struct pptp_src_limit *pptp_src_limit_new(const struct pptp_src_limit_cfg *cfg);
void pptp_src_limit_free(struct pptp_src_limit *l);

/* Take one token for `addr` (IPv4, host byte order) at `now_ms`: true if the
 * source may connect. */
bool pptp_src_limit_take(struct pptp_src_limit *l, uint64_t now_ms, uint32_t addr);

/* Tokens `addr` would have at `now_ms` (`burst` for a source not tracked);
 * changes nothing. */
uint32_t pptp_src_limit_tokens(const struct pptp_src_limit *l, uint64_t now_ms, uint32_t addr);

const struct pptp_src_limit_stats *pptp_src_limit_stats(const struct pptp_src_limit *l);

#endif /* DPPTP_PPTP_SRC_LIMIT_H */
