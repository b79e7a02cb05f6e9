/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What involves more than one key: defaults taken from other keys, and the
 * checks across ports, lcores, pools and sections. Runs once the whole file
 * has been read, so the order of keys in the file never matters.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cfg_internal.h"

static int fail_port(struct cfg_ctx *ctx, unsigned int i, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail_port(struct cfg_ctx *ctx, unsigned int i, const char *key, const char *fmt, ...)
{
	char path[64], msg[512];
	va_list ap;

	snprintf(path, sizeof(path), "$.ports[%u].%s", i, key);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cfg_fail_at(ctx, path, "%s", msg);
}

/* Port j against an earlier port i. */
static int check_port_pair(struct cfg_ctx *ctx, unsigned int i, unsigned int j)
{
	const struct dpptpd_port *a = &ctx->cfg->ports[i], *b = &ctx->cfg->ports[j];
	uint8_t len = a->prefix_len < b->prefix_len ? a->prefix_len : b->prefix_len;
	size_t dev_len = strcspn(a->device, ",");
	char s[16];

	if (strcmp(a->name, b->name) == 0)
		return fail_port(ctx, j, "name", "found \"%s\", expected a name no other port has "
						 "($.ports[%u].name)", b->name, i);
	if (strcspn(b->device, ",") == dev_len && strncasecmp(a->device, b->device, dev_len) == 0)
		return fail_port(ctx, j, "device", "found \"%s\", expected a device no other port "
						   "has ($.ports[%u].device)", b->device, i);
	if (a->tap_name[0] && strcmp(a->tap_name, b->tap_name) == 0)
		return fail_port(ctx, j, "tap_name", "found \"%s\", expected a tap name no other "
						     "port has ($.ports[%u].tap_name)",
				 b->tap_name, i);
	if (cfg_in_subnet(a->addr, b->addr, len))
		return fail_port(ctx, j, "address", "found \"%s/%u\", expected a subnet that does "
						    "not overlap $.ports[%u].address",
				 cfg_ipv4_str(b->addr, s), b->prefix_len, i);
	return 0;
}

static int check_neighbours(struct cfg_ctx *ctx, unsigned int i)
{
	const struct dpptpd_port *p = &ctx->cfg->ports[i];
	char path[96], a[16];

	for (unsigned int n = 0; n < p->nb_neighbours; n++) {
		uint32_t addr = p->neighbours[n].addr;
		const char *why = NULL;

		if (!cfg_in_subnet(addr, p->addr, p->prefix_len))
			why = "an address in the port's subnet";
		else if (addr == p->addr)
			why = "an address other than the port's own";
		for (unsigned int m = 0; !why && m < n; m++)
			if (p->neighbours[m].addr == addr)
				why = "an address not listed before";
		if (why) {
			snprintf(path, sizeof(path), "$.ports[%u].static_neighbours[%u].address", i,
				 n);
			return cfg_fail_at(ctx, path, "found \"%s\", expected %s",
					   cfg_ipv4_str(addr, a), why);
		}
	}
	return 0;
}

static int check_ports(struct cfg_ctx *ctx)
{
	const struct dpptpd_config *c = ctx->cfg;
	bool access = false, uplink = false;
	char a[16];

	for (unsigned int i = 0; i < c->nb_ports; i++) {
		const struct dpptpd_port *p = &c->ports[i];
		uint32_t g = ntohl(p->gateway), m = cfg_mask(p->prefix_len);

		access |= p->role == DPPTPD_ROLE_ACCESS;
		uplink |= p->role == DPPTPD_ROLE_UPLINK;
		for (unsigned int j = 0; j < i; j++)
			if (check_port_pair(ctx, j, i))
				return -1;
		if (p->gateway && (!cfg_in_subnet(p->gateway, p->addr, p->prefix_len) ||
				   p->gateway == p->addr ||
				   (p->prefix_len <= 30 && ((g & ~m) == 0 || (g & ~m) == ~m))))
			return fail_port(ctx, i, "gateway",
					 "found \"%s\", expected null or a host address in the "
					 "port's subnet other than its own",
					 cfg_ipv4_str(p->gateway, a));
		if (check_neighbours(ctx, i))
			return -1;
	}
	if (!access || !uplink)
		return cfg_fail_at(ctx, "$.ports", "found no %s port, expected at least one access "
						   "and one uplink port",
				   access ? "uplink" : "access");
	return 0;
}

static int check_lcores(struct cfg_ctx *ctx)
{
	const struct dpptpd_lcores *l = &ctx->cfg->lcores;
	char path[64];

	for (unsigned int i = 0; i < l->nb_workers; i++) {
		if (l->workers[i] == l->control) {
			snprintf(path, sizeof(path), "$.lcores.workers[%u]", i);
			return cfg_fail_at(ctx, path,
					   "found %u, expected a worker lcore other than the "
					   "control lcore ($.lcores.control)",
					   l->workers[i]);
		}
	}
	return 0;
}

static int check_dataplane(struct cfg_ctx *ctx)
{
	struct dpptpd_dataplane *d = &ctx->cfg->dataplane;

	if (d->ring_size & (d->ring_size - 1))
		return cfg_fail_at(ctx, "$.dataplane.ring_size",
				   "found %u, expected a power of two 64..1048576", d->ring_size);
	/* Given, it is at least 1024: rte_mempool's 1.5 x mbuf_cache (512 at most)
	 * always fits. */
	if (d->mbufs == 0)
		d->mbufs = dpptpd_config_default_mbufs(ctx->cfg);
	return 0;
}

/* pptp.listen, then ppp.local_address which defaults to it. */
static int check_listen(struct cfg_ctx *ctx)
{
	struct dpptpd_config *c = ctx->cfg;
	char a[16];
	int port;

	for (unsigned int i = 0; i < c->nb_ports && !c->pptp.listen; i++)
		if (c->ports[i].role == DPPTPD_ROLE_ACCESS && c->ports[i].exception)
			c->pptp.listen = c->ports[i].addr;
	if (!c->pptp.listen)
		return cfg_fail_at(ctx, "$.ports", "found no access port with exception true, "
						   "expected one: TCP 1723 reaches the kernel "
						   "through its tap");
	port = dpptpd_config_port_by_addr(c, c->pptp.listen);
	if (port < 0 || c->ports[port].role != DPPTPD_ROLE_ACCESS || !c->ports[port].exception)
		return cfg_fail_at(ctx, "$.pptp.listen", "found \"%s\", expected the address of an "
							 "access port with exception true",
				   cfg_ipv4_str(c->pptp.listen, a));
	if (!c->ppp.local_address)
		c->ppp.local_address = c->pptp.listen;
	return 0;
}

static int check_ppp(struct cfg_ctx *ctx)
{
	struct dpptpd_config *c = ctx->cfg;

	if (c->ppp.auth_methods && !c->ppp.secrets_file[0])
		return cfg_fail_at(ctx, "$.ppp.secrets_file",
				   "required key missing; expected the path of a chap-secrets "
				   "file (it may be null only when $.ppp.auth is \"none\")");
	if (!c->ppp.pool[0])
		memcpy(c->ppp.pool, c->pools[0].name, sizeof(c->ppp.pool));
	for (unsigned int i = 0; i < c->nb_pools; i++) {
		if (strcmp(c->pools[i].name, c->ppp.pool) == 0) {
			c->ppp.pool_index = i;
			return 0;
		}
	}
	return cfg_fail_at(ctx, "$.ppp.pool", "found \"%s\", expected the name of one of $.pools",
			   c->ppp.pool);
}

static int check_limits_mppe(struct cfg_ctx *ctx)
{
	struct dpptpd_config *c = ctx->cfg;

	if (!c->limits.max_sessions)
		c->limits.max_sessions = c->dataplane.max_sessions;
	if (c->limits.max_sessions > c->dataplane.max_sessions)
		return cfg_fail_at(ctx, "$.limits.max_sessions",
				   "found %u, expected at most $.dataplane.max_sessions (%u)",
				   c->limits.max_sessions, c->dataplane.max_sessions);
	if (c->mppe.policy != DPPTPD_MPPE_OFF && !(c->ppp.auth_methods & DPPTPD_AUTH_MSCHAPV2))
		return cfg_fail_at(ctx, "$.mppe.policy",
				   "found \"%s\", expected \"off\" unless $.ppp.auth includes "
				   "\"mschapv2\" (MPPE's keys come from MS-CHAPv2)",
				   dpptpd_mppe_policy_name(c->mppe.policy));
	return 0;
}

int cfg_resolve_and_check(struct cfg_ctx *ctx)
{
	if (check_ports(ctx) || check_lcores(ctx) || check_dataplane(ctx) || check_listen(ctx) ||
	    check_ppp(ctx) || cfg_check_pools(ctx) || check_limits_mppe(ctx))
		return -1;
	return 0;
}
