/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Entry points: defaults, loading a file or a string, freeing, and the small
 * helpers of the public API.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg_internal.h"

#define MAX_FILE (16u << 20)

void dpptpd_config_default(struct dpptpd_config *c)
{
	memset(c, 0, sizeof(*c));
	c->lcores = (struct dpptpd_lcores){ .control = 0, .nb_workers = 1, .workers = { 1 } };
	c->dataplane = (struct dpptpd_dataplane){
		.max_sessions = 65536,
		.ring_size = 4096,
		.mbufs = 0, /* computed at load */
		.mbuf_cache = 256,
		.lone_ack_delay_ms = 20,
		.enforce_tx_window = false,
		.verify_ip_checksum = true,
		.idle_sleep_us = 0,
		.neighbour_refresh_ms = 60000,
		.route_tbl8_groups = 1024,
	};
	/* pptp_conn_cfg_init() */
	c->pptp = (struct dpptpd_pptp){
		.port = DPPTPD_PPTP_TCP_PORT,
		.host_name = "dpptp",
		.vendor = "dpptp",
		.firmware_revision = 1,
		.max_channels = 65535,
		.framing_caps = DPPTPD_FRAMING_ASYNC | DPPTPD_FRAMING_SYNC,
		.bearer_caps = DPPTPD_BEARER_ANALOG | DPPTPD_BEARER_DIGITAL,
		.receive_window = 64,
		.connect_speed = 100000000,
		.max_calls = 4,
		.sccrq_timeout_ms = 10000,
		.call_wait_ms = 10000,
		.echo_interval_ms = 60000,
		.echo_timeout_ms = 60000,
		.stop_timeout_ms = 10000,
	};
	/* ppp_config_default() */
	c->ppp = (struct dpptpd_ppp){
		.mru = 1400,
		.mtu = 1400,
		.request_pfc = true,
		.request_acfc = true,
		.request_magic = true,
		.restart_ms = 3000,
		.max_configure = 10,
		.max_terminate = 2,
		.max_failure = 5,
		.max_loopback = 10,
		.echo_interval_ms = 30000,
		.echo_failures = 4,
		.setup_timeout_ms = 60000,
		.auth_methods = DPPTPD_AUTH_MSCHAPV2,
		.server_name = "pptpd",
		.auth_restart_ms = 3000,
		.auth_max_challenges = 10,
		.auth_timeout_ms = 30000,
		.auth_max_attempts = 3,
	};
	c->limits = (struct dpptpd_limits){
		.max_sessions = 0, /* dataplane.max_sessions at load */
		.max_setup = 1024,
		.per_source_burst = 20,
		.per_source_refill_ms = 100, /* 10 per second */
		.source_table_size = 4096,
	};
	c->mppe = (struct dpptpd_mppe){
		.policy = DPPTPD_MPPE_OFF,
		.bits = DPPTPD_MPPE_128,
		.stateless = true,
	};
	c->log_level = DPPTPD_LOG_INFO;
}

void dpptpd_config_free(struct dpptpd_config *c)
{
	for (unsigned int i = 0; i < c->nb_pools && i < DPPTPD_MAX_POOLS; i++) {
		free(c->pools[i].ranges);
		free(c->pools[i].reserved);
	}
	dpptpd_config_default(c);
}

/* The absolute directory of `origin` (the current one for NULL or a bare name). */
static int base_dir(const char *origin, char *out, size_t n)
{
	const char *p = origin ? origin : "";
	const char *slash;
	char cwd[PATH_MAX];
	int len;

	while (strncmp(p, "./", 2) == 0)
		p += 2;
	slash = strrchr(p, '/');
	if (p[0] == '/')
		len = snprintf(out, n, "%.*s", slash == p ? 1 : (int)(slash - p), p);
	else if (!getcwd(cwd, sizeof(cwd)))
		return -1;
	else if (!slash)
		len = snprintf(out, n, "%s", cwd);
	else
		len = snprintf(out, n, "%s/%.*s", cwd, (int)(slash - p), p);
	return len > 0 && (size_t)len < n ? 0 : -1;
}

static int load_buffer(const char *buf, size_t len, const char *origin,
		       struct dpptpd_config *out, char *err, size_t errlen)
{
	char base[DPPTPD_PATH_MAX + 1];
	struct cfg_ctx ctx = {
		.origin = origin ? origin : "<string>",
		.basedir = base,
		.err = err,
		.errlen = err ? errlen : 0,
		.path = "$",
		.path_len = 1,
		.cfg = out,
	};
	json_error_t je;
	json_t *root;
	int rc;

	dpptpd_config_default(out);
	if (ctx.errlen)
		err[0] = '\0';
	if (base_dir(origin, base, sizeof(base)) != 0) {
		if (ctx.errlen)
			snprintf(err, errlen, "%s: cannot make its directory absolute", ctx.origin);
		return -1;
	}
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		if (ctx.errlen)
			snprintf(err, errlen, "%s:%d:%d: invalid JSON: %s", ctx.origin, je.line,
				 je.column, je.text);
		return -1;
	}
	rc = cfg_object(&ctx, root, &cfg_top_table, out, NULL);
	if (rc == 0)
		rc = cfg_resolve_and_check(&ctx);
	json_decref(root);
	if (rc)
		dpptpd_config_free(out);
	return rc ? -1 : 0;
}

int dpptpd_config_load_string(const char *text, const char *origin, struct dpptpd_config *out,
			      char *err, size_t errlen)
{
	return load_buffer(text, strlen(text), origin, out, err, errlen);
}

/* The whole file into a new buffer; 0, or -1 with errno set (EFBIG: too large). */
static int read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 0;
	int rc = 0;

	*buf = NULL;
	*len = 0;
	if (!f)
		return -1;
	while (rc == 0) {
		if (*len == cap) {
			char *b = cap >= MAX_FILE ? NULL : realloc(*buf, cap ? cap * 2 : 65536);

			if (!b) {
				errno = cap >= MAX_FILE ? EFBIG : ENOMEM;
				rc = -1;
				break;
			}
			*buf = b;
			cap = cap ? cap * 2 : 65536;
		}
		*len += fread(*buf + *len, 1, cap - *len, f);
		if (ferror(f))
			rc = -1;
		else if (feof(f))
			break;
	}
	fclose(f);
	return rc;
}

int dpptpd_config_load(const char *path, struct dpptpd_config *out, char *err, size_t errlen)
{
	char *buf;
	size_t len;
	int rc;

	dpptpd_config_default(out);
	if (read_file(path, &buf, &len) != 0) {
		if (err && errlen)
			snprintf(err, errlen, "%s: cannot read: %s", path,
				 errno == EFBIG ? "larger than 16 MiB" : strerror(errno));
		free(buf);
		return -1;
	}
	rc = load_buffer(buf, len, path, out, err, errlen);
	free(buf);
	return rc;
}

uint32_t dpptpd_config_default_mbufs(const struct dpptpd_config *c)
{
	uint64_t w = c->lcores.nb_workers, n = 4096, m = 8191;

	for (unsigned int i = 0; i < c->nb_ports; i++) {
		n += ((uint64_t)c->ports[i].rx_descriptors + c->ports[i].tx_descriptors) * w;
		n += c->ports[i].exception ? 512 : 0;
	}
	n += (uint64_t)c->dataplane.ring_size * 3 * w;
	n += (uint64_t)c->dataplane.mbuf_cache * (w + 1);
	while (m < n && m < (1u << 26) - 1)
		m = m * 2 + 1; /* rte_mempool's best size is 2^k - 1 */
	return (uint32_t)m;
}

int dpptpd_config_port_by_addr(const struct dpptpd_config *c, uint32_t addr)
{
	for (unsigned int i = 0; i < c->nb_ports; i++)
		if (c->ports[i].addr == addr)
			return (int)i;
	return -1;
}

const char *dpptpd_port_role_name(enum dpptpd_port_role role)
{
	return role == DPPTPD_ROLE_ACCESS ? "access" : role == DPPTPD_ROLE_UPLINK ? "uplink" : "?";
}

const char *dpptpd_mppe_policy_name(enum dpptpd_mppe_policy p)
{
	switch (p) {
	case DPPTPD_MPPE_OFF:
		return "off";
	case DPPTPD_MPPE_ALLOW:
		return "allow";
	case DPPTPD_MPPE_REQUIRE:
		return "require";
	}
	return "?";
}

const char *dpptpd_log_level_name(enum dpptpd_log_level level)
{
	static const char *const names[] = { "error", "warning", "notice", "info", "debug" };

	if (level < DPPTPD_LOG_ERR || level > DPPTPD_LOG_DEBUG)
		return "?";
	return names[level - DPPTPD_LOG_ERR];
}
