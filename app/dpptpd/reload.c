/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SIGHUP: read the configuration file again and apply, without dropping a
 * session, what can change at run time:
 *   - the secrets file (re-read even when its name did not change: that is
 *     how users are added or removed; sessions up keep their login),
 *   - the subscriber pool's ranges and reserved addresses (addresses in use
 *     are kept, see ip_pool_reshape),
 *   - the admission limits,
 *   - the log level.
 * Anything else that differs is named in the log as needing a restart and
 * the running value stays. A file that does not validate changes nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "dpptpd.h"

static const char *const section_name[] = {
#define X(n, s) s,
	DPPTPD_CFG_SECTIONS(X)
#undef X
};

static void secrets_error(void *ctx, const char *source, unsigned int line, const char *msg)
{
	(void)ctx;
	DLOG(WARNING, "%s:%u: %s (line ignored)", source, line, msg);
}

static void reload_secrets(struct dpptpd *d, struct dpptpd_config *nc)
{
	struct dpptpd_config *c = d->cfg;
	unsigned int n_errors = 0;

	if (!nc->ppp.auth_methods || !d->secrets)
		return;
	struct ppp_secrets *t = secrets_load_file(nc->ppp.secrets_file, secrets_error, NULL,
						  &n_errors);
	if (!t) {
		DLOG(ERR, "reload: %s cannot be read: secrets unchanged", nc->ppp.secrets_file);
		return;
	}
	struct ppp_secrets *old = d->secrets;
	d->backend.table = t;
	d->secrets = t;
	secrets_free(old);
	memcpy(c->ppp.secrets_file, nc->ppp.secrets_file, sizeof(c->ppp.secrets_file));
	DLOG(NOTICE, "reload: secrets %s: %zu entries, %u line(s) ignored", nc->ppp.secrets_file,
	     secrets_count(t), n_errors);
}

/* The pool: only the one in use, and only when it keeps its name. */
static bool reload_pool(struct dpptpd *d, struct dpptpd_config *nc)
{
	struct dpptpd_config *c = d->cfg;
	char err[512];

	if (strcmp(nc->ppp.pool, c->ppp.pool) != 0) {
		DLOG(WARNING, "reload: ppp.pool changed from %s to %s: needs a restart", c->ppp.pool,
		     nc->ppp.pool);
		return false;
	}
	if (dpptpd_pool_apply(d, nc, err, sizeof(err)) != 0) {
		DLOG(ERR, "reload: %s: pool unchanged", err);
		return false;
	}
	/* The new pools become the running configuration's (the old are freed with nc). */
	for (unsigned int i = 0; i < DPPTPD_MAX_POOLS; i++) {
		struct dpptpd_pool t = c->pools[i];
		c->pools[i] = nc->pools[i];
		nc->pools[i] = t;
	}
	unsigned int n = c->nb_pools;
	c->nb_pools = nc->nb_pools;
	nc->nb_pools = n;
	c->ppp.pool_index = nc->ppp.pool_index;
	struct ip_pool_stats ps;
	ip_pool_get_stats(d->pool, &ps);
	DLOG(NOTICE, "reload: pool %s: %u addresses, %u in use (%u of them outside the ranges)",
	     c->ppp.pool, ps.size, ps.size - ps.free + ps.outside, ps.outside);
	return true;
}

static bool reload_limits(struct dpptpd *d, struct dpptpd_config *nc)
{
	struct pptp_admission_cfg ac = d->adm_cfg;

	ac.max_sessions = nc->limits.max_sessions;
	ac.max_setup = nc->limits.max_setup;
	ac.rate.burst = nc->limits.per_source_burst;
	ac.rate.refill_ms = nc->limits.per_source_refill_ms;
	ac.rate.slots = nc->limits.source_table_size;
	if (pptp_admission_reconfigure(d->adm, &ac) != 0) {
		DLOG(ERR, "reload: limits refused by admission: unchanged");
		return false;
	}
	d->adm_cfg = ac;
	d->cfg->limits = nc->limits;
	DLOG(NOTICE, "reload: limits: max_sessions %u, max_sessions_in_setup %u, per-source burst "
		     "%u every %u ms",
	     ac.max_sessions, ac.max_setup, ac.rate.burst, ac.rate.refill_ms);
	return true;
}

int dpptpd_reload(struct dpptpd *d)
{
	struct dpptpd_config *nc = calloc(1, sizeof(*nc));
	struct dpptpd_config *c = d->cfg;
	char err[1024];
	unsigned int restart = 0;

	if (!nc)
		return -1;
	if (dpptpd_config_load(d->config_path, nc, err, sizeof(err)) != 0) {
		DLOG(ERR, "reload refused, nothing changed: %s", err);
		free(nc);
		return -1;
	}
	/* In ppp, the secrets file's name may change; the pool is handled below. */
	struct dpptpd_config a = *nc;
	memcpy(a.ppp.secrets_file, c->ppp.secrets_file, sizeof(a.ppp.secrets_file));
	unsigned int diff = dpptpd_config_diff(c, &a);
	unsigned int live = DPPTPD_CFG_POOLS | DPPTPD_CFG_LIMITS | DPPTPD_CFG_LOG;

	reload_secrets(d, nc);
	if ((diff & DPPTPD_CFG_POOLS) && !reload_pool(d, nc))
		restart++;
	if ((diff & DPPTPD_CFG_LIMITS) && !reload_limits(d, nc))
		restart++;
	if (diff & DPPTPD_CFG_LOG) {
		c->log_level = nc->log_level;
		rte_log_set_level_pattern("dpptp.*", (uint32_t)c->log_level + 1);
		d->conn_cfg.log_level = (enum pptp_log_level)c->log_level; /* new connections */
		DLOG(NOTICE, "reload: log level %s", dpptpd_log_level_name(c->log_level));
	}
	for (unsigned int i = 0; i < sizeof(section_name) / sizeof(section_name[0]); i++)
		if ((diff & ~live) & (1u << i)) {
			DLOG(WARNING, "reload: %s changed: needs a restart (running values kept)",
			     section_name[i]);
			restart++;
		}
	DLOG(NOTICE, "reload done%s", restart ? "; some changes need a restart (see above)" : "");
	dpptpd_config_free(nc);
	free(nc);
	return restart ? 1 : 0;
}
