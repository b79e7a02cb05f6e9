/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The configuration (lib/config, already validated) mapped onto the
 * libraries' own configurations: ports and workers for the data plane, the
 * PPP engine's options with the pool and the chap-secrets backend, the PPTP
 * control connection's answers and timers, and admission.
 * docs/configuration.md has the same mapping as a table.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpptpd.h"

static void secrets_error(void *ctx, const char *source, unsigned int line, const char *msg)
{
	(void)ctx;
	DLOG(WARNING, "%s:%u: %s (line ignored)", source, line, msg);
}

static void map_ports(struct dpptpd *d)
{
	const struct dpptpd_config *c = d->cfg;

	d->nb_ports = c->nb_ports;
	for (unsigned int i = 0; i < c->nb_ports; i++) {
		const struct dpptpd_port *src = &c->ports[i];
		struct dport *p = &d->ports[i];
		snprintf(p->name, sizeof(p->name), "%s", src->name);
		snprintf(p->device, sizeof(p->device), "%s", src->device);
		p->role = src->role == DPPTPD_ROLE_ACCESS ? DP_PORT_ACCESS : DP_PORT_UPLINK;
		p->addr = src->addr;
		p->prefix_len = src->prefix_len;
		p->gateway = src->gateway;
		p->exception = src->exception;
		snprintf(p->tap_name, sizeof(p->tap_name), "%s", src->tap_name);
		p->rxd = src->rx_descriptors;
		p->txd = src->tx_descriptors;
		p->nb_statics = RTE_MIN(src->nb_neighbours, (unsigned int)DPPTPD_MAX_STATIC);
		for (unsigned int k = 0; k < p->nb_statics; k++) {
			p->statics[k].addr = src->neighbours[k].addr;
			memcpy(p->statics[k].mac.addr_bytes, src->neighbours[k].mac, 6);
		}
	}
	/* PPTP arrives on the access port whose address we listen on. */
	int listen_port = dpptpd_config_port_by_addr(c, c->pptp.listen);
	d->access_port = listen_port >= 0 ? (unsigned int)listen_port : 0;

	d->nb_workers = c->lcores.nb_workers;
	memcpy(d->worker_lcores, c->lcores.workers, sizeof(unsigned int) * c->lcores.nb_workers);
	dp_config_default(&d->dp_cfg);
	d->dp_cfg.max_sessions = c->dataplane.max_sessions;
	d->dp_cfg.ring_size = c->dataplane.ring_size;
	d->dp_cfg.lone_ack_delay_us = c->dataplane.lone_ack_delay_ms * 1000;
	d->dp_cfg.neigh_refresh_s = RTE_MAX(c->dataplane.neighbour_refresh_ms / 1000, 1u);
	d->dp_cfg.route_tbl8_groups = c->dataplane.route_tbl8_groups;
	d->dp_cfg.enforce_tx_window = c->dataplane.enforce_tx_window;
	d->dp_cfg.verify_ip_checksum = c->dataplane.verify_ip_checksum;
	d->dp_cfg.idle_sleep_us = c->dataplane.idle_sleep_us;
	d->dp_cfg.mppe = c->mppe.policy != DPPTPD_MPPE_OFF; /* cipher state per slot */
	d->nb_mbufs = c->dataplane.mbufs;
	d->mbuf_cache = c->dataplane.mbuf_cache;
}

/* The configured pool, created (d->pool NULL) or reshaped in place (a reload). */
int dpptpd_pool_apply(struct dpptpd *d, const struct dpptpd_config *c, char *err, size_t errlen)
{
	const struct dpptpd_pool *src = &c->pools[c->ppp.pool_index];
	struct ip_range *r = calloc(src->nb_ranges, sizeof(*r));
	uint32_t *res = calloc(src->nb_reserved + 1, sizeof(*res));
	char perr[256];
	int rc = 0;

	if (!r || !res) {
		free(r);
		free(res);
		snprintf(err, errlen, "out of memory for the pool");
		return -1;
	}
	for (unsigned int i = 0; i < src->nb_ranges; i++) {
		r[i].first = ntohl(src->ranges[i].first);
		r[i].last = ntohl(src->ranges[i].last);
	}
	for (unsigned int i = 0; i < src->nb_reserved; i++)
		res[i] = ntohl(src->reserved[i]);
	if (!d->pool) {
		d->pool = ip_pool_create(r, src->nb_ranges, res, src->nb_reserved, perr,
					 sizeof(perr));
		rc = d->pool ? 0 : -1;
	} else {
		rc = ip_pool_reshape(d->pool, r, src->nb_ranges, res, src->nb_reserved, perr,
				     sizeof(perr));
	}
	free(r);
	free(res);
	if (rc != 0) {
		snprintf(err, errlen, "pool %s: %s", src->name, perr);
		return -1;
	}
	DLOG(INFO, "pool %s: %u addresses", src->name, src->size);
	return 0;
}

static void map_ppp(struct dpptpd *d)
{
	const struct dpptpd_ppp *p = &d->cfg->ppp;
	struct ppp_config *o = &d->ppp_cfg;

	ppp_config_default(o);
	o->mru = p->mru;
	o->mtu = p->mtu;
	o->request_pfc = p->request_pfc;
	o->request_acfc = p->request_acfc;
	o->request_magic = p->request_magic;
	o->restart_ms = p->restart_ms;
	o->max_configure = p->max_configure;
	o->max_terminate = p->max_terminate;
	o->max_failure = p->max_failure;
	o->max_loopback = p->max_loopback;
	o->echo_interval_ms = p->echo_interval_ms;
	o->echo_failures = p->echo_failures;
	o->setup_timeout_ms = p->setup_timeout_ms;
	o->auth_methods = p->auth_methods; /* the same bit values (checked by tests/config) */
	o->auth_name = p->server_name;
	o->auth_backend = p->auth_methods ? &d->backend.base : NULL;
	o->auth_restart_ms = p->auth_restart_ms;
	o->auth_max_challenges = p->auth_max_challenges;
	o->auth_timeout_ms = p->auth_timeout_ms;
	o->auth_max_attempts = p->auth_max_attempts;
	o->local_ip = ntohl(p->local_address);
	for (int i = 0; i < 2; i++) {
		o->dns[i] = ntohl(p->dns[i]);
		o->nbns[i] = ntohl(p->nbns[i]);
	}
	o->pool = d->pool;
	const struct dpptpd_mppe *m = &d->cfg->mppe;
	o->mppe.policy = m->policy == DPPTPD_MPPE_REQUIRE ? PPP_MPPE_REQUIRE
			 : m->policy == DPPTPD_MPPE_ALLOW ? PPP_MPPE_ALLOW
							  : PPP_MPPE_OFF;
	o->mppe.bits = (m->bits & DPPTPD_MPPE_40 ? PPP_MPPE_40 : 0) |
		       (m->bits & DPPTPD_MPPE_56 ? PPP_MPPE_56 : 0) |
		       (m->bits & DPPTPD_MPPE_128 ? PPP_MPPE_128 : 0);
	o->mppe.stateless = m->stateless;
}

static void map_pptp(struct dpptpd *d)
{
	const struct dpptpd_pptp *p = &d->cfg->pptp;
	struct pptp_conn_cfg *o = &d->conn_cfg;

	pptp_conn_cfg_init(o);
	o->host_name = p->host_name;
	o->vendor = p->vendor;
	o->firmware_rev = p->firmware_revision;
	o->max_channels = p->max_channels;
	o->framing_caps = p->framing_caps;
	o->bearer_caps = p->bearer_caps;
	o->recv_window = p->receive_window;
	o->connect_speed = p->connect_speed;
	o->max_calls = p->max_calls;
	o->sccrq_timeout_ms = p->sccrq_timeout_ms;
	o->call_wait_ms = p->call_wait_ms;
	o->echo_interval_ms = p->echo_interval_ms;
	o->echo_timeout_ms = p->echo_timeout_ms;
	o->stop_timeout_ms = p->stop_timeout_ms;
	o->log_level = (enum pptp_log_level)d->cfg->log_level;
	o->call_ids = d->call_ids;

	const struct dpptpd_limits *l = &d->cfg->limits;
	d->adm_cfg.max_sessions = l->max_sessions;
	d->adm_cfg.max_setup = l->max_setup;
	d->adm_cfg.rate.burst = l->per_source_burst;
	d->adm_cfg.rate.refill_ms = l->per_source_refill_ms;
	d->adm_cfg.rate.slots = l->source_table_size;
	d->adm_cfg.rate.seed = (uint32_t)dpptpd_now_ms();
}

int dpptpd_setup_libs(struct dpptpd *d, char *err, size_t errlen)
{
	const struct dpptpd_config *c = d->cfg;
	char perr[256];

	rte_log_set_level_pattern("dpptp.*", (uint32_t)c->log_level + 1);
	map_ports(d);
	if (c->ppp.auth_methods) {
		unsigned int n_errors = 0;
		d->secrets = secrets_load_file(c->ppp.secrets_file, secrets_error, NULL, &n_errors);
		if (!d->secrets) {
			snprintf(err, errlen, "ppp.secrets_file %s: cannot be read", c->ppp.secrets_file);
			return -1;
		}
		secrets_backend_init(&d->backend, d->secrets, c->ppp.server_name);
		DLOG(INFO, "secrets %s: %zu entries, %u line(s) ignored", c->ppp.secrets_file,
		     secrets_count(d->secrets), n_errors);
	}
	if (dpptpd_pool_apply(d, d->cfg, err, errlen) != 0)
		return -1;
	map_ppp(d);
	if (ppp_config_validate(&d->ppp_cfg, perr, sizeof(perr)) != 0) {
		snprintf(err, errlen, "ppp: %s", perr);
		return -1;
	}
	d->call_ids = pptp_call_id_allocator_new();
	map_pptp(d);
	d->adm = pptp_admission_new(&d->adm_cfg);
	if (!d->call_ids || !d->adm) {
		snprintf(err, errlen, "limits: invalid admission configuration or out of memory");
		return -1;
	}
	return 0;
}

void dpptpd_teardown_libs(struct dpptpd *d)
{
	pptp_admission_free(d->adm);
	pptp_call_id_allocator_free(d->call_ids);
	ip_pool_free(d->pool);
	secrets_free(d->secrets);
}
