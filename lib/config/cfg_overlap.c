/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pools against each other (no address in two ranges, whichever pools they
 * belong to) and against our own addresses (a port's address, a gateway, a
 * static neighbour, the IPCP local address, DNS and NBNS servers may lie in
 * a pool only if that pool reserves them, or a subscriber would get one).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_internal.h"

struct span {
	uint32_t first, last; /* host order */
	unsigned int pool, idx;
};

static int by_first(const void *x, const void *y)
{
	const struct span *a = x, *b = y;

	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	if (a->pool != b->pool)
		return a->pool < b->pool ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static bool later(const struct span *a, const struct span *b)
{
	return a->pool != b->pool ? a->pool > b->pool : a->idx > b->idx;
}

/* "$.pools[p].ranges[i]: found "<range>", expected <expect>" */
static int range_fail(struct cfg_ctx *ctx, unsigned int pool, unsigned int idx,
		      const char *expect)
{
	char path[64], r[40];

	snprintf(path, sizeof(path), "$.pools[%u].ranges[%u]", pool, idx);
	cfg_range_str(&ctx->cfg->pools[pool].ranges[idx], r);
	return cfg_fail_at(ctx, path, "found \"%s\", expected %s", r, expect);
}

/* Each /24 holding a subscriber route takes one rte_lpm tbl8 group: the
 * pools must not span more /24s than the data plane has groups. */
static int check_tbl8(struct cfg_ctx *ctx, const struct span *s, size_t n)
{
	uint64_t groups = 0;
	int64_t prev = -1; /* the last /24 counted */

	for (size_t i = 0; i < n; i++) {
		int64_t a = s[i].first >> 8, b = s[i].last >> 8;

		if (a <= prev)
			a = prev + 1;
		if (a <= b)
			groups += (uint64_t)(b - a + 1);
		if (b > prev)
			prev = b;
	}
	if (groups <= ctx->cfg->dataplane.route_tbl8_groups)
		return 0;
	return cfg_fail_at(ctx, "$.dataplane.route_tbl8_groups",
			   "found %u, expected at least %llu: the /24s $.pools span (each /24 "
			   "holding subscriber routes takes one group)",
			   ctx->cfg->dataplane.route_tbl8_groups, (unsigned long long)groups);
}

static int check_overlaps(struct cfg_ctx *ctx)
{
	const struct dpptpd_config *c = ctx->cfg;
	struct span *s;
	size_t n = 0;
	int rc = 0;

	for (unsigned int p = 0; p < c->nb_pools; p++)
		n += c->pools[p].nb_ranges;
	s = calloc(n, sizeof(*s));
	if (!s)
		return cfg_fail_at(ctx, "$.pools", "out of memory");
	n = 0;
	for (unsigned int p = 0; p < c->nb_pools; p++)
		for (unsigned int i = 0; i < c->pools[p].nb_ranges; i++)
			s[n++] = (struct span){ ntohl(c->pools[p].ranges[i].first),
						ntohl(c->pools[p].ranges[i].last), p, i };
	qsort(s, n, sizeof(*s), by_first);
	/* Sorted by first address, any overlap shows between neighbours. */
	for (size_t i = 1; i < n && rc == 0; i++) {
		const struct span *a = &s[i - 1], *b = &s[i];
		const struct span *blame = later(b, a) ? b : a, *other = blame == b ? a : b;
		char expect[128], r[40];

		if (b->first > a->last)
			continue;
		cfg_range_str(&c->pools[other->pool].ranges[other->idx], r);
		snprintf(expect, sizeof(expect),
			 "a range that does not overlap $.pools[%u].ranges[%u] (\"%s\")",
			 other->pool, other->idx, r);
		rc = range_fail(ctx, blame->pool, blame->idx, expect);
	}
	if (rc == 0)
		rc = check_tbl8(ctx, s, n);
	free(s);
	return rc;
}

static bool reserved(const struct dpptpd_pool *p, uint32_t addr)
{
	for (unsigned int i = 0; i < p->nb_reserved; i++)
		if (p->reserved[i] == addr)
			return true;
	return false;
}

/* `addr` (named by `what`) is in no pool's ranges unless that pool reserves it. */
static int check_ours(struct cfg_ctx *ctx, uint32_t addr, const char *what)
{
	const struct dpptpd_config *c = ctx->cfg;
	uint32_t h = ntohl(addr);
	char a[16], expect[160];

	if (!addr)
		return 0;
	for (unsigned int p = 0; p < c->nb_pools; p++) {
		const struct dpptpd_pool *pool = &c->pools[p];

		for (unsigned int i = 0; i < pool->nb_ranges; i++) {
			if (h < ntohl(pool->ranges[i].first) || h > ntohl(pool->ranges[i].last) ||
			    reserved(pool, addr))
				continue;
			snprintf(expect, sizeof(expect),
				 "a range without %s (%s) unless $.pools[%u].reserved lists it",
				 cfg_ipv4_str(addr, a), what, p);
			return range_fail(ctx, p, i, expect);
		}
	}
	return 0;
}

int cfg_check_pools(struct cfg_ctx *ctx)
{
	const struct dpptpd_config *c = ctx->cfg;
	char what[64];

	if (check_overlaps(ctx))
		return -1;
	for (unsigned int i = 0; i < c->nb_ports; i++) {
		const struct dpptpd_port *p = &c->ports[i];

		snprintf(what, sizeof(what), "$.ports[%u].address", i);
		if (check_ours(ctx, p->addr, what))
			return -1;
		snprintf(what, sizeof(what), "$.ports[%u].gateway", i);
		if (check_ours(ctx, p->gateway, what))
			return -1;
		for (unsigned int n = 0; n < p->nb_neighbours; n++) {
			snprintf(what, sizeof(what), "$.ports[%u].static_neighbours[%u]", i, n);
			if (check_ours(ctx, p->neighbours[n].addr, what))
				return -1;
		}
	}
	if (check_ours(ctx, c->ppp.local_address, "$.ppp.local_address"))
		return -1;
	for (unsigned int k = 0; k < 2; k++) {
		snprintf(what, sizeof(what), "$.ppp.dns[%u]", k);
		if (check_ours(ctx, c->ppp.dns[k], what))
			return -1;
		snprintf(what, sizeof(what), "$.ppp.nbns[%u]", k);
		if (check_ours(ctx, c->ppp.nbns[k], what))
			return -1;
	}
	return 0;
}
