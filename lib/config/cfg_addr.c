/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Text forms of addresses: strict dotted quads (no leading zeros, which
 * inet_aton would read as octal), prefixes, pool ranges with lib/ppp's
 * ip_range_parse() semantics, and MAC addresses. Addresses in and out are in
 * network byte order.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "cfg_internal.h"

/* A decimal number 0..max without sign or leading zero; *end past it. */
static int decimal(const char *s, unsigned int max, unsigned int *out, const char **end)
{
	unsigned int v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	if (*p == '0' && p[1] >= '0' && p[1] <= '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned int)(*p - '0');
		if (v > max)
			return -1;
	}
	*out = v;
	*end = p;
	return 0;
}

/* A dotted quad at s; *end past it. Host order into *h. */
static int quad(const char *s, uint32_t *h, const char **end)
{
	uint32_t v = 0;
	const char *p = s;

	for (int i = 0; i < 4; i++) {
		unsigned int octet;

		if (i > 0 && *p++ != '.')
			return -1;
		if (decimal(p, 255, &octet, &p) != 0)
			return -1;
		v = v << 8 | octet;
	}
	*h = v;
	*end = p;
	return 0;
}

int cfg_parse_ipv4(const char *s, uint32_t *addr)
{
	const char *end;
	uint32_t h;

	if (quad(s, &h, &end) != 0 || *end != '\0')
		return -1;
	*addr = htonl(h);
	return 0;
}

int cfg_parse_prefix(const char *s, uint32_t *addr, uint8_t *len)
{
	const char *end;
	unsigned int n;
	uint32_t h;

	if (quad(s, &h, &end) != 0 || *end != '/')
		return -1;
	if (decimal(end + 1, 32, &n, &end) != 0 || *end != '\0')
		return -1;
	*addr = htonl(h);
	*len = (uint8_t)n;
	return 0;
}

uint32_t cfg_mask(uint8_t len)
{
	return len == 0 ? 0 : ~0u << (32 - len);
}

bool cfg_in_subnet(uint32_t addr, uint32_t net, uint8_t len)
{
	return ((ntohl(addr) ^ ntohl(net)) & cfg_mask(len)) == 0;
}

int cfg_parse_range(const char *s, struct dpptpd_range *r)
{
	const char *end;
	uint32_t a, b;
	unsigned int n;

	if (quad(s, &a, &end) != 0)
		return -1;
	if (*end == '\0') {
		b = a;
	} else if (*end == '/') {
		if (decimal(end + 1, 32, &n, &end) != 0 || *end != '\0')
			return -1;
		if (a & ~cfg_mask((uint8_t)n))
			return -2;
		b = a | ~cfg_mask((uint8_t)n);
		if (n <= 30) { /* network and broadcast addresses are no hosts */
			a++;
			b--;
		}
	} else if (*end == '-') {
		if (quad(end + 1, &b, &end) != 0 || *end != '\0')
			return -1;
		if (a > b)
			return -3;
	} else {
		return -1;
	}
	r->first = htonl(a);
	r->last = htonl(b);
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Six pairs of hex digits separated by ':'. */
int cfg_parse_mac(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		int hi = hex_digit(s[0]);
		int lo = hi < 0 ? -1 : hex_digit(s[1]);

		if (lo < 0)
			return -1;
		mac[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (i < 5 && *s++ != ':')
			return -1;
	}
	return *s == '\0' ? 0 : -1;
}

const char *cfg_ipv4_str(uint32_t addr, char buf[16])
{
	uint32_t h = ntohl(addr);

	snprintf(buf, 16, "%u.%u.%u.%u", h >> 24, (h >> 16) & 0xff, (h >> 8) & 0xff, h & 0xff);
	return buf;
}

const char *cfg_range_str(const struct dpptpd_range *r, char buf[40])
{
	uint32_t a = ntohl(r->first), b = ntohl(r->last);
	char x[16], y[16];

	if (a == b) {
		snprintf(buf, 40, "%s", cfg_ipv4_str(r->first, x));
		return buf;
	}
	/* [net + 1, broadcast - 1] of a /n with n <= 30 reads back as that CIDR. */
	for (unsigned int n = 0; n <= 30; n++) {
		uint32_t m = cfg_mask((uint8_t)n), net = (a - 1) & m;

		if (a - 1 == net && b + 1 == (net | ~m) && a != 0 && b != UINT32_MAX) {
			snprintf(buf, 40, "%s/%u", cfg_ipv4_str(htonl(net), x), n);
			return buf;
		}
	}
	snprintf(buf, 40, "%s-%s", cfg_ipv4_str(r->first, x), cfg_ipv4_str(r->last, y));
	return buf;
}

const char *cfg_mac_str(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
	return buf;
}
