/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Equality of two configurations by value. Booleans and integers are
 * compared through the field tables (cfg_scalars_equal), so a key added to a
 * table is compared without a change here; the rest is listed below.
 */
#include <string.h>

#include "cfg_internal.h"

static bool port_equal(const struct dpptpd_port *a, const struct dpptpd_port *b)
{
	if (!cfg_scalars_equal(&cfg_port_table, a, b) || strcmp(a->name, b->name) != 0 ||
	    strcmp(a->device, b->device) != 0 || a->dev_kind != b->dev_kind ||
	    a->role != b->role || a->addr != b->addr || a->prefix_len != b->prefix_len ||
	    a->gateway != b->gateway || strcmp(a->tap_name, b->tap_name) != 0 ||
	    a->nb_neighbours != b->nb_neighbours)
		return false;
	for (unsigned int i = 0; i < a->nb_neighbours; i++)
		if (a->neighbours[i].addr != b->neighbours[i].addr ||
		    memcmp(a->neighbours[i].mac, b->neighbours[i].mac, 6) != 0)
			return false;
	return true;
}

static bool pool_equal(const struct dpptpd_pool *a, const struct dpptpd_pool *b)
{
	if (strcmp(a->name, b->name) != 0 || a->nb_ranges != b->nb_ranges ||
	    a->nb_reserved != b->nb_reserved || a->size != b->size)
		return false;
	for (unsigned int i = 0; i < a->nb_ranges; i++)
		if (a->ranges[i].first != b->ranges[i].first ||
		    a->ranges[i].last != b->ranges[i].last)
			return false;
	for (unsigned int i = 0; i < a->nb_reserved; i++)
		if (a->reserved[i] != b->reserved[i])
			return false;
	return true;
}

static bool ppp_equal(const struct dpptpd_ppp *a, const struct dpptpd_ppp *b)
{
	return a->auth_methods == b->auth_methods && strcmp(a->server_name, b->server_name) == 0 &&
	       strcmp(a->secrets_file, b->secrets_file) == 0 &&
	       a->local_address == b->local_address &&
	       memcmp(a->dns, b->dns, sizeof(a->dns)) == 0 &&
	       memcmp(a->nbns, b->nbns, sizeof(a->nbns)) == 0 && strcmp(a->pool, b->pool) == 0 &&
	       a->pool_index == b->pool_index;
}

static bool pptp_equal(const struct dpptpd_pptp *a, const struct dpptpd_pptp *b)
{
	return a->listen == b->listen && strcmp(a->host_name, b->host_name) == 0 &&
	       strcmp(a->vendor, b->vendor) == 0 && a->framing_caps == b->framing_caps &&
	       a->bearer_caps == b->bearer_caps;
}

static bool ports_equal(const struct dpptpd_config *a, const struct dpptpd_config *b)
{
	if (a->nb_ports != b->nb_ports)
		return false;
	for (unsigned int i = 0; i < a->nb_ports; i++)
		if (!port_equal(&a->ports[i], &b->ports[i]))
			return false;
	return true;
}

static bool pools_equal(const struct dpptpd_config *a, const struct dpptpd_config *b)
{
	if (a->nb_pools != b->nb_pools)
		return false;
	for (unsigned int i = 0; i < a->nb_pools; i++)
		if (!pool_equal(&a->pools[i], &b->pools[i]))
			return false;
	return true;
}

unsigned int dpptpd_config_diff(const struct dpptpd_config *a, const struct dpptpd_config *b)
{
	unsigned int d = 0;

	if (!ports_equal(a, b))
		d |= DPPTPD_CFG_PORTS;
	if (!cfg_scalars_equal(&cfg_lcores_table, &a->lcores, &b->lcores) ||
	    a->lcores.nb_workers != b->lcores.nb_workers ||
	    memcmp(a->lcores.workers, b->lcores.workers,
		   a->lcores.nb_workers * sizeof(a->lcores.workers[0])) != 0)
		d |= DPPTPD_CFG_LCORES;
	if (!cfg_scalars_equal(&cfg_dataplane_table, &a->dataplane, &b->dataplane))
		d |= DPPTPD_CFG_DATAPLANE;
	if (!cfg_scalars_equal(&cfg_pptp_table, &a->pptp, &b->pptp) || !pptp_equal(&a->pptp, &b->pptp))
		d |= DPPTPD_CFG_PPTP;
	if (!cfg_scalars_equal(&cfg_ppp_table, &a->ppp, &b->ppp) || !ppp_equal(&a->ppp, &b->ppp))
		d |= DPPTPD_CFG_PPP;
	if (!pools_equal(a, b))
		d |= DPPTPD_CFG_POOLS;
	if (!cfg_scalars_equal(&cfg_limits_table, &a->limits, &b->limits) ||
	    a->limits.per_source_refill_ms != b->limits.per_source_refill_ms)
		d |= DPPTPD_CFG_LIMITS;
	if (!cfg_scalars_equal(&cfg_mppe_table, &a->mppe, &b->mppe) ||
	    a->mppe.policy != b->mppe.policy || a->mppe.bits != b->mppe.bits)
		d |= DPPTPD_CFG_MPPE;
	if (a->log_level != b->log_level)
		d |= DPPTPD_CFG_LOG;
	/* A top-level scalar outside every section. */
	if (!cfg_scalars_equal(&cfg_top_table, a, b) && d == 0)
		d |= DPPTPD_CFG_OTHER;
	return d;
}

bool dpptpd_config_equal(const struct dpptpd_config *a, const struct dpptpd_config *b)
{
	return dpptpd_config_diff(a, b) == 0;
}
