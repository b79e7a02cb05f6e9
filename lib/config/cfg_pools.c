/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * $.pools[]: subscriber address pools with lib/ppp's ip_pool semantics. A
 * CIDR range leaves out its network and broadcast addresses (n <= 30), a
 * "first-last" range does not. Checks that need other sections (overlaps
 * between pools, our own addresses inside a pool) are in cfg_check.c.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_internal.h"

#define EXPECT_NAME "a name of 1..32 letters, digits, '_' or '-'"
#define EXPECT_RANGES "an array of 1..256 address ranges"
#define EXPECT_RESERVED "an array of 0..4096 IPv4 addresses"

static int parse_name(struct cfg_ctx *ctx, json_t *v, void *base)
{
	struct dpptpd_pool *p = base;

	if (cfg_string(ctx, v, p->name, DPPTPD_NAME_MAX, EXPECT_NAME))
		return -1;
	for (const char *s = p->name; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return cfg_fail_found(ctx, v, EXPECT_NAME);
	return 0;
}

/* 0.0.0.0/8, 127.0.0.0/8 and 224.0.0.0/3 hold no subscriber. */
static bool unicast_range(const struct dpptpd_range *r)
{
	uint32_t a = ntohl(r->first), b = ntohl(r->last);

	if ((a >> 24) == 0 || (b >> 29) == 7)
		return false;
	return !((a >> 24) <= 127 && (b >> 24) >= 127);
}

static int parse_range(struct cfg_ctx *ctx, json_t *v, struct dpptpd_range *r)
{
	if (!json_is_string(v))
		return cfg_fail_type(ctx, v, CFG_EXPECT_RANGE);
	switch (cfg_parse_range(json_string_value(v), r)) {
	case 0:
		break;
	case -2:
		return cfg_fail_found(ctx, v, "a network address with its host bits zero "
					      "before the '/' (e.g. \"100.64.0.0/16\")");
	case -3:
		return cfg_fail_found(ctx, v, "a range whose first address is not above its last");
	default:
		return cfg_fail_found(ctx, v, CFG_EXPECT_RANGE);
	}
	if (!unicast_range(r))
		return cfg_fail_found(ctx, v, "unicast addresses only (none in 0.0.0.0/8, "
					      "127.0.0.0/8 or 224.0.0.0/3)");
	return 0;
}

static int parse_ranges(struct cfg_ctx *ctx, json_t *v, void *base)
{
	struct dpptpd_pool *p = base;
	uint64_t total = 0;
	size_t i;
	json_t *e;

	if (!json_is_array(v))
		return cfg_fail_type(ctx, v, EXPECT_RANGES);
	if (json_array_size(v) < 1 || json_array_size(v) > DPPTPD_MAX_POOL_RANGES)
		return cfg_fail(ctx, "found %zu entries, expected %s", json_array_size(v),
				EXPECT_RANGES);
	p->ranges = calloc(json_array_size(v), sizeof(*p->ranges));
	if (!p->ranges)
		return cfg_fail(ctx, "out of memory");
	json_array_foreach(v, i, e) {
		size_t mark = cfg_push_index(ctx, i);
		int rc = parse_range(ctx, e, &p->ranges[i]);

		cfg_pop(ctx, mark);
		if (rc)
			return -1;
		p->nb_ranges = (unsigned int)i + 1;
		total += (uint64_t)ntohl(p->ranges[i].last) - ntohl(p->ranges[i].first) + 1;
	}
	if (total > DPPTPD_MAX_POOL_ADDRS)
		return cfg_fail(ctx, "found %llu addresses, expected at most %u in one pool "
				     "(8 bytes of state each)",
				(unsigned long long)total, DPPTPD_MAX_POOL_ADDRS);
	return 0;
}

static int parse_reserved(struct cfg_ctx *ctx, json_t *v, void *base)
{
	struct dpptpd_pool *p = base;
	size_t i;
	json_t *e;

	if (!json_is_array(v))
		return cfg_fail_type(ctx, v, EXPECT_RESERVED);
	if (json_array_size(v) > DPPTPD_MAX_RESERVED)
		return cfg_fail(ctx, "found %zu entries, expected %s", json_array_size(v),
				EXPECT_RESERVED);
	p->reserved = calloc(json_array_size(v) + 1, sizeof(*p->reserved));
	if (!p->reserved)
		return cfg_fail(ctx, "out of memory");
	json_array_foreach(v, i, e) {
		size_t mark = cfg_push_index(ctx, i);
		int rc = cfg_ipv4(ctx, e, &p->reserved[i]);

		for (size_t j = 0; rc == 0 && j < i; j++)
			if (p->reserved[j] == p->reserved[i])
				rc = cfg_fail_found(ctx, e, "an address not listed before");
		cfg_pop(ctx, mark);
		if (rc)
			return -1;
		p->nb_reserved = (unsigned int)i + 1;
	}
	return 0;
}

static bool in_ranges(const struct dpptpd_pool *p, uint32_t addr)
{
	uint32_t h = ntohl(addr);

	for (unsigned int i = 0; i < p->nb_ranges; i++)
		if (h >= ntohl(p->ranges[i].first) && h <= ntohl(p->ranges[i].last))
			return true;
	return false;
}

static json_t *dump_name(const void *base)
{
	return json_string(((const struct dpptpd_pool *)base)->name);
}

static json_t *dump_ranges(const void *base)
{
	const struct dpptpd_pool *p = base;
	json_t *a = json_array();
	char buf[40];

	for (unsigned int i = 0; a && i < p->nb_ranges; i++) {
		if (json_array_append_new(a, json_string(cfg_range_str(&p->ranges[i], buf)))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *dump_reserved(const void *base)
{
	const struct dpptpd_pool *p = base;
	json_t *a = json_array();

	for (unsigned int i = 0; a && i < p->nb_reserved; i++) {
		if (json_array_append_new(a, cfg_ipv4_json(p->reserved[i])) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static const struct cfg_field pool_fields[] = {
	CFG_CUSTOM_F("name", true, EXPECT_NAME, parse_name, dump_name),
	CFG_CUSTOM_F("ranges", true, EXPECT_RANGES, parse_ranges, dump_ranges),
	CFG_CUSTOM_F("reserved", false, NULL, parse_reserved, dump_reserved),
};
const struct cfg_table cfg_pool_table = CFG_TABLE(pool_fields);

/* One pool: its reserved addresses against its ranges, and its size. */
static int parse_pool(struct cfg_ctx *ctx, json_t *v, struct dpptpd_pool *p)
{
	uint64_t total = 0;

	if (cfg_object(ctx, v, &cfg_pool_table, p, NULL))
		return -1;
	for (unsigned int i = 0; i < p->nb_reserved; i++) {
		char a[16];

		if (!in_ranges(p, p->reserved[i])) {
			size_t mark = cfg_push_key(ctx, "reserved");

			cfg_push_index(ctx, i);
			cfg_fail(ctx, "found \"%s\", expected an address inside one of this pool's "
				      "ranges",
				 cfg_ipv4_str(p->reserved[i], a));
			cfg_pop(ctx, mark);
			return -1;
		}
	}
	for (unsigned int i = 0; i < p->nb_ranges; i++)
		total += (uint64_t)ntohl(p->ranges[i].last) - ntohl(p->ranges[i].first) + 1;
	/* Reserved addresses are distinct and inside; overlaps are refused later, so
	 * a pool with overlapping ranges never reaches the daemon with this size. */
	if (total <= p->nb_reserved)
		return cfg_fail(ctx, "found no address to hand out (all %llu are reserved), "
				     "expected at least one",
				(unsigned long long)total);
	p->size = (uint32_t)(total - p->nb_reserved);
	return 0;
}

int cfg_parse_pools(struct cfg_ctx *ctx, json_t *v, void *base)
{
	struct dpptpd_config *c = base;
	char expect[64];
	size_t i;
	json_t *e;

	snprintf(expect, sizeof(expect), "an array of 1..%d pool objects", DPPTPD_MAX_POOLS);
	if (!json_is_array(v))
		return cfg_fail_type(ctx, v, expect);
	if (json_array_size(v) < 1 || json_array_size(v) > DPPTPD_MAX_POOLS)
		return cfg_fail(ctx, "found %zu pools, expected %s", json_array_size(v), expect);
	json_array_foreach(v, i, e) {
		struct dpptpd_pool *p = &c->pools[i];
		size_t mark = cfg_push_index(ctx, i);
		int rc;

		memset(p, 0, sizeof(*p));
		c->nb_pools = (unsigned int)i + 1; /* so that a failure frees what it took */
		rc = parse_pool(ctx, e, p);
		for (size_t j = 0; rc == 0 && j < i; j++) {
			if (strcmp(c->pools[j].name, p->name) == 0) {
				cfg_push_key(ctx, "name");
				rc = cfg_fail(ctx,
					      "found \"%s\", expected a name no other pool "
					      "has ($.pools[%zu].name)",
					      p->name, j);
			}
		}
		cfg_pop(ctx, mark);
		if (rc)
			return -1;
	}
	return 0;
}

json_t *cfg_dump_pools(const void *base)
{
	const struct dpptpd_config *c = base;
	json_t *a = json_array();

	for (unsigned int i = 0; a && i < c->nb_pools; i++) {
		if (json_array_append_new(a, cfg_dump_object(&cfg_pool_table, &c->pools[i])) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}
