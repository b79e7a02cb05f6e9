/* SPDX-License-Identifier: BSD-3-Clause */
#include "pptp/src_limit.h"

#include <stdlib.h>

struct slot {
	uint32_t addr;
	uint32_t tokens;    /* as of `stamp` */
	uint64_t stamp;     /* when `tokens` was last brought up to date */
	uint64_t last_seen; /* last take, for least-recently-seen eviction */
	bool valid;
};

struct pptp_src_limit {
	struct pptp_src_limit_cfg cfg;
	uint32_t sets;
	struct pptp_src_limit_stats stats;
	struct slot slots[]; /* sets * WAYS */
};

/* MurmurHash3's finaliser: every input bit affects every output bit. */
static uint32_t mix32(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85EBCA6Bu;
	h ^= h >> 13;
	h *= 0xC2B2AE35u;
	h ^= h >> 16;
	return h;
}

static struct slot *set_of(const struct pptp_src_limit *l, uint32_t addr)
{
	uint32_t set = mix32(addr ^ l->cfg.seed) % l->sets;

	return (struct slot *)&l->slots[set * PPTP_SRC_LIMIT_WAYS];
}

/* Tokens the slot holds at `now`, and the stamp they are valid from. Whole
 * refill periods only: the remainder stays in the stamp so no time is lost. */
static uint32_t refilled(const struct pptp_src_limit *l, const struct slot *s, uint64_t now,
			 uint64_t *stamp)
{
	uint32_t missing = l->cfg.burst - s->tokens;
	uint64_t gained;

	*stamp = s->stamp;
	if (now <= s->stamp) /* a clock that stood still (or stepped back) */
		return s->tokens;
	gained = (now - s->stamp) / l->cfg.refill_ms;
	if (gained >= missing) {
		*stamp = now;
		return l->cfg.burst;
	}
	*stamp = s->stamp + gained * l->cfg.refill_ms;
	return s->tokens + (uint32_t)gained;
}

static bool is_full(const struct pptp_src_limit *l, const struct slot *s, uint64_t now)
{
	uint64_t stamp;

	return refilled(l, s, now, &stamp) == l->cfg.burst;
}

/* The slot to give a source not in the table (see the header for the order). */
static struct slot *victim(struct pptp_src_limit *l, struct slot *set, uint64_t now)
{
	struct slot *oldest = &set[0];

	for (uint32_t i = 0; i < PPTP_SRC_LIMIT_WAYS; i++)
		if (!set[i].valid)
			return &set[i];
	for (uint32_t i = 0; i < PPTP_SRC_LIMIT_WAYS; i++)
		if (is_full(l, &set[i], now))
			return &set[i];
	for (uint32_t i = 1; i < PPTP_SRC_LIMIT_WAYS; i++)
		if (set[i].last_seen < oldest->last_seen)
			oldest = &set[i];
	l->stats.evictions++;
	return oldest;
}

static struct slot *find(const struct pptp_src_limit *l, uint32_t addr)
{
	struct slot *set = set_of(l, addr);

	for (uint32_t i = 0; i < PPTP_SRC_LIMIT_WAYS; i++)
		if (set[i].valid && set[i].addr == addr)
			return &set[i];
	return NULL;
}

struct pptp_src_limit *pptp_src_limit_new(const struct pptp_src_limit_cfg *cfg)
{
	struct pptp_src_limit *l;
	uint32_t sets;

	if (cfg->burst == 0 || cfg->refill_ms == 0 || cfg->slots == 0)
		return NULL;
	sets = cfg->slots / PPTP_SRC_LIMIT_WAYS + (cfg->slots % PPTP_SRC_LIMIT_WAYS != 0);
	l = calloc(1, sizeof(*l) + (size_t)sets * PPTP_SRC_LIMIT_WAYS * sizeof(struct slot));
	if (!l)
		return NULL;
	l->cfg = *cfg;
	l->sets = sets;
	return l;
}

void pptp_src_limit_free(struct pptp_src_limit *l)
{
	free(l);
}

bool pptp_src_limit_take(struct pptp_src_limit *l, uint64_t now_ms, uint32_t addr)
{
	struct slot *s = find(l, addr);
	uint64_t stamp;

	if (!s) {
		s = victim(l, set_of(l, addr), now_ms);
		*s = (struct slot){ .addr = addr, .tokens = l->cfg.burst, .stamp = now_ms,
				    .valid = true };
	}
	s->tokens = refilled(l, s, now_ms, &stamp);
	s->stamp = stamp;
	s->last_seen = now_ms;
	if (s->tokens == 0) {
		l->stats.limited++;
		return false;
	}
	s->tokens--;
	l->stats.allowed++;
	return true;
}

uint32_t pptp_src_limit_tokens(const struct pptp_src_limit *l, uint64_t now_ms, uint32_t addr)
{
	const struct slot *s = find(l, addr);
	uint64_t stamp;

	return s ? refilled(l, s, now_ms, &stamp) : l->cfg.burst;
}

const struct pptp_src_limit_stats *pptp_src_limit_stats(const struct pptp_src_limit *l)
{
	return &l->stats;
}
