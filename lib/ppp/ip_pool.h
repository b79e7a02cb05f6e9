/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Subscriber address pool: ranges from the configuration, O(1) allocation
 * and release, never the same address to two sessions.
 *
 * Free addresses sit in a doubly linked list threaded through arrays indexed
 * by the address's position in the pool, so allocating (the head), releasing
 * (to the tail) and claiming one particular address (unlinking it) are all
 * constant time; finding an address's position is a binary search over the
 * ranges (a handful). Releasing to the tail means an address freed a moment
 * ago is the last to be handed out again, which keeps stale routes and ARP
 * entries of a departed subscriber away from the next one.
 *
 * Static addresses (from the secrets file or RADIUS) are claimed: inside a
 * range they leave the free list; outside every range they are remembered in
 * a small hash set, so one static address still cannot serve two sessions.
 *
 * Addresses are in host byte order. One pool serves every session of the
 * control lcore; it is not thread-safe and needs no lock there.
 */
#ifndef DPPTP_PPP_IP_POOL_H
#define DPPTP_PPP_IP_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The most addresses one pool may hold (8 bytes of state each: 32 MiB). */
#define IP_POOL_MAX_ADDRS (1u << 22)
#define IP_POOL_MAX_RANGES 256

/* An inclusive range. From CIDR, first/last exclude network and broadcast. */
struct ip_range {
	uint32_t first;
	uint32_t last;
};

/*
 * Parse "a.b.c.d/n" (network and broadcast excluded for n <= 30),
 * "a.b.c.d-e.f.g.h" (inclusive) or "a.b.c.d". Returns 0 or -1.
 */
int ip_range_parse(const char *text, struct ip_range *out);

/* Parse a dotted quad strictly (four decimal octets); 0 or -1. */
int ip_addr_parse(const char *text, uint32_t *out);

/* "a.b.c.d" into buf (at least 16 bytes); returns buf. */
const char *ip_addr_str(uint32_t addr, char buf[16]);

struct ip_pool;

/*
 * Build a pool from ranges (no overlaps) minus the reserved addresses (our
 * own address, gateways, anything else). Returns NULL and fills err on
 * overlapping or empty ranges, or more than IP_POOL_MAX_ADDRS addresses.
 */
struct ip_pool *ip_pool_create(const struct ip_range *ranges, size_t n_ranges,
			       const uint32_t *reserved, size_t n_reserved, char *err,
			       size_t err_len);
void ip_pool_free(struct ip_pool *p);

/*
 * Give the pool new ranges and reserved addresses in place (a configuration
 * reload), keeping every address in use: one that falls outside the new
 * ranges stays claimed until released, like a static address. Refused (-1,
 * err filled, the pool unchanged) when the new ranges are invalid or an
 * address in use would be reserved. Sessions keep their pointer.
 */
int ip_pool_reshape(struct ip_pool *p, const struct ip_range *ranges, size_t n_ranges,
		    const uint32_t *reserved, size_t n_reserved, char *err, size_t err_len);

/* Take the least recently used free address: 0 and *addr, or -1 when exhausted. */
int ip_pool_alloc(struct ip_pool *p, uint32_t *addr);

/*
 * Take one particular address (a static one): 0, or -1 if it is in use,
 * reserved, or 0.0.0.0 / 255.255.255.255.
 */
int ip_pool_claim(struct ip_pool *p, uint32_t addr);

/* Give back an allocated or claimed address: 0, or -1 if it was not in use. */
int ip_pool_release(struct ip_pool *p, uint32_t addr);

/* Whether the address lies in one of the pool's ranges. */
bool ip_pool_contains(const struct ip_pool *p, uint32_t addr);

/* Whether the address is allocated or claimed. */
bool ip_pool_in_use(const struct ip_pool *p, uint32_t addr);

struct ip_pool_stats {
	uint32_t size;       /* addresses in the ranges that can be handed out */
	uint32_t free;       /* of those, free now */
	uint32_t reserved;   /* excluded addresses inside the ranges */
	uint32_t outside;    /* static addresses claimed outside the ranges */
	uint64_t exhausted;  /* allocations refused */
};

void ip_pool_get_stats(const struct ip_pool *p, struct ip_pool_stats *st);

#endif /* DPPTP_PPP_IP_POOL_H */
