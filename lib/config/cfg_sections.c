/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The top level and the small sections: $.dataplane (lib/dataplane's
 * dp_config), $.pptp (lib/pptp's pptp_conn_cfg), $.limits (pptp_admission_cfg),
 * $.mppe and $.log. Defaults are in cfg_load.c (dpptpd_config_default).
 */
#include <stdio.h>
#include <string.h>

#include "cfg_internal.h"

/* ---- $.dataplane ---- */

#define D struct dpptpd_dataplane

static const struct cfg_field dataplane_fields[] = {
	CFG_UINT_F("max_sessions", D, max_sessions, 1, 1u << 24, NULL),
	CFG_UINT_F("ring_size", D, ring_size, 64, 1u << 20, "(a power of two)"),
	CFG_UINT_F("mbufs", D, mbufs, 1024, 1u << 26, NULL),
	CFG_UINT_F("mbuf_cache", D, mbuf_cache, 0, 512, NULL),
	CFG_UINT_F("lone_ack_delay_ms", D, lone_ack_delay_ms, 1, 1000, NULL),
	CFG_BOOL_F("enforce_tx_window", D, enforce_tx_window),
	CFG_BOOL_F("verify_ip_checksum", D, verify_ip_checksum),
	CFG_UINT_F("idle_sleep_us", D, idle_sleep_us, 0, 100000, "(0 spins)"),
	CFG_SECONDS_F("neighbour_refresh_s", D, neighbour_refresh_ms, 1, 86400, NULL),
	CFG_UINT_F("route_tbl8_groups", D, route_tbl8_groups, 1, 65536, NULL),
};
const struct cfg_table cfg_dataplane_table = CFG_TABLE(dataplane_fields);

/* ---- $.pptp ---- */

#define T struct dpptpd_pptp
#define EXPECT_SCCRP_NAME "a name of 1..63 printable ASCII characters"

static int parse_listen(struct cfg_ctx *ctx, json_t *v, void *base)
{
	return cfg_ipv4(ctx, v, &((T *)base)->listen);
}

static json_t *dump_listen(const void *base)
{
	return cfg_ipv4_json(((const T *)base)->listen);
}

static int sccrp_name(struct cfg_ctx *ctx, json_t *v, char *buf)
{
	if (cfg_string(ctx, v, buf, DPPTPD_PPTP_NAME_MAX, EXPECT_SCCRP_NAME))
		return -1;
	for (const char *s = buf; *s; s++)
		if (*s < ' ' || *s > '~')
			return cfg_fail_found(ctx, v, EXPECT_SCCRP_NAME);
	return 0;
}

static int parse_host_name(struct cfg_ctx *ctx, json_t *v, void *base)
{
	return sccrp_name(ctx, v, ((T *)base)->host_name);
}

static int parse_vendor(struct cfg_ctx *ctx, json_t *v, void *base)
{
	return sccrp_name(ctx, v, ((T *)base)->vendor);
}

static json_t *dump_host_name(const void *base)
{
	return json_string(((const T *)base)->host_name);
}

static json_t *dump_vendor(const void *base)
{
	return json_string(((const T *)base)->vendor);
}

/* An array of distinct names from {a, b} into bits 1 and 2. */
static int two_flags(struct cfg_ctx *ctx, json_t *v, const char *a, const char *b,
		     uint32_t *out)
{
	char expect[96], one[64];
	size_t i;
	json_t *e;

	snprintf(expect, sizeof(expect), "an array of distinct \"%s\" and \"%s\"", a, b);
	snprintf(one, sizeof(one), "\"%s\" or \"%s\", each at most once", a, b);
	if (!json_is_array(v))
		return cfg_fail_type(ctx, v, expect);
	*out = 0;
	json_array_foreach(v, i, e) {
		uint32_t bit = 0;
		size_t mark = cfg_push_index(ctx, i);
		int rc = 0;

		if (json_is_string(e) && strcmp(json_string_value(e), a) == 0)
			bit = 1;
		else if (json_is_string(e) && strcmp(json_string_value(e), b) == 0)
			bit = 2;
		if (bit == 0 || (*out & bit))
			rc = json_is_string(e) ? cfg_fail_found(ctx, e, one)
					       : cfg_fail_type(ctx, e, one);
		cfg_pop(ctx, mark);
		if (rc)
			return -1;
		*out |= bit;
	}
	return 0;
}

static json_t *dump_two_flags(uint32_t bits, const char *a, const char *b)
{
	json_t *arr = json_array();

	if (arr && (bits & 1) && json_array_append_new(arr, json_string(a)) != 0)
		goto fail;
	if (arr && (bits & 2) && json_array_append_new(arr, json_string(b)) != 0)
		goto fail;
	return arr;
fail:
	json_decref(arr);
	return NULL;
}

static int parse_framing(struct cfg_ctx *ctx, json_t *v, void *base)
{
	return two_flags(ctx, v, "async", "sync", &((T *)base)->framing_caps);
}

static int parse_bearer(struct cfg_ctx *ctx, json_t *v, void *base)
{
	return two_flags(ctx, v, "analog", "digital", &((T *)base)->bearer_caps);
}

static json_t *dump_framing(const void *base)
{
	return dump_two_flags(((const T *)base)->framing_caps, "async", "sync");
}

static json_t *dump_bearer(const void *base)
{
	return dump_two_flags(((const T *)base)->bearer_caps, "analog", "digital");
}

static const struct cfg_field pptp_fields[] = {
	CFG_CUSTOM_F("listen", false, NULL, parse_listen, dump_listen),
	CFG_UINT_F("port", T, port, DPPTPD_PPTP_TCP_PORT, DPPTPD_PPTP_TCP_PORT,
		   "(the data plane hands TCP to port 1723 only to the kernel)"),
	CFG_CUSTOM_F("host_name", false, NULL, parse_host_name, dump_host_name),
	CFG_CUSTOM_F("vendor", false, NULL, parse_vendor, dump_vendor),
	CFG_UINT_F("firmware_revision", T, firmware_revision, 0, 65535, NULL),
	CFG_UINT_F("max_channels", T, max_channels, 0, 65535, NULL),
	CFG_CUSTOM_F("framing", false, NULL, parse_framing, dump_framing),
	CFG_CUSTOM_F("bearer", false, NULL, parse_bearer, dump_bearer),
	CFG_UINT_F("receive_window", T, receive_window, 1, 65535, NULL),
	CFG_UINT_F("connect_speed", T, connect_speed, 0, UINT32_MAX,
		   "(bits/s; 0 echoes the client's)"),
	CFG_UINT_F("max_calls_per_connection", T, max_calls, 1, 65535, NULL),
	CFG_SECONDS_F("sccrq_timeout_s", T, sccrq_timeout_ms, 1, 3600, NULL),
	CFG_SECONDS_F("echo_interval_s", T, echo_interval_ms, 0, 86400, "(0 disables)"),
	CFG_SECONDS_F("echo_timeout_s", T, echo_timeout_ms, 1, 86400, NULL),
	CFG_SECONDS_F("stop_timeout_s", T, stop_timeout_ms, 1, 3600, NULL),
	CFG_SECONDS_F("call_wait_s", T, call_wait_ms, 0, 86400, "(0 disables)"),
};
const struct cfg_table cfg_pptp_table = CFG_TABLE(pptp_fields);

/* ---- $.limits ---- */

#define L struct dpptpd_limits
#define EXPECT_RATE "a number of connections per second 0.001..1000"

static int parse_rate(struct cfg_ctx *ctx, json_t *v, void *base)
{
	double r;

	if (!json_is_number(v))
		return cfg_fail_type(ctx, v, EXPECT_RATE);
	r = json_number_value(v);
	if (!(r >= 0.001 && r <= 1000.0))
		return cfg_fail_found(ctx, v, EXPECT_RATE);
	((L *)base)->per_source_refill_ms = (uint32_t)(1000.0 / r + 0.5);
	return 0;
}

static json_t *dump_rate(const void *base)
{
	uint32_t ms = ((const L *)base)->per_source_refill_ms;

	if (1000 % ms == 0)
		return json_integer(1000 / ms);
	return json_real(1000.0 / ms);
}

static const struct cfg_field limits_fields[] = {
	CFG_UINT_F("max_sessions", L, max_sessions, 1, 1u << 24, NULL),
	CFG_UINT_F("max_sessions_in_setup", L, max_setup, 0, 1u << 24, "(0: no separate cap)"),
	CFG_CUSTOM_F("per_source_rate", false, NULL, parse_rate, dump_rate),
	CFG_UINT_F("per_source_burst", L, per_source_burst, 0, 1000000, "(0 disables the limit)"),
	CFG_UINT_F("source_table_size", L, source_table_size, 8, 1u << 24, NULL),
};
const struct cfg_table cfg_limits_table = CFG_TABLE(limits_fields);

/* ---- $.mppe ---- */

#define M struct dpptpd_mppe
#define EXPECT_POLICY "\"off\", \"allow\" or \"require\""
#define EXPECT_BITS "an array of distinct key lengths 40, 56 and 128, not empty"

static int parse_policy(struct cfg_ctx *ctx, json_t *v, void *base)
{
	static const enum dpptpd_mppe_policy all[] = { DPPTPD_MPPE_OFF, DPPTPD_MPPE_ALLOW,
						       DPPTPD_MPPE_REQUIRE };

	if (!json_is_string(v))
		return cfg_fail_type(ctx, v, EXPECT_POLICY);
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (strcmp(json_string_value(v), dpptpd_mppe_policy_name(all[i])) == 0) {
			((M *)base)->policy = all[i];
			return 0;
		}
	}
	return cfg_fail_found(ctx, v, EXPECT_POLICY);
}

static json_t *dump_policy(const void *base)
{
	return json_string(dpptpd_mppe_policy_name(((const M *)base)->policy));
}

static const unsigned int key_bits[] = { 40, 56, 128 }; /* DPPTPD_MPPE_40 << i */

static int parse_bits(struct cfg_ctx *ctx, json_t *v, void *base)
{
	unsigned int *bits = &((M *)base)->bits;
	size_t i;
	json_t *e;

	if (!json_is_array(v))
		return cfg_fail_type(ctx, v, EXPECT_BITS);
	if (json_array_size(v) == 0)
		return cfg_fail(ctx, "found an empty array, expected %s", EXPECT_BITS);
	*bits = 0;
	json_array_foreach(v, i, e) {
		unsigned int bit = 0;
		size_t mark = cfg_push_index(ctx, i);
		int rc = 0;

		for (size_t k = 0; k < 3; k++)
			if (json_is_integer(e) && json_integer_value(e) == key_bits[k])
				bit = DPPTPD_MPPE_40 << k;
		if (!json_is_integer(e))
			rc = cfg_fail_type(ctx, e, "40, 56 or 128, each at most once");
		else if (bit == 0 || (*bits & bit))
			rc = cfg_fail_found(ctx, e, "40, 56 or 128, each at most once");
		cfg_pop(ctx, mark);
		if (rc)
			return -1;
		*bits |= bit;
	}
	return 0;
}

static json_t *dump_bits(const void *base)
{
	unsigned int bits = ((const M *)base)->bits;
	json_t *a = json_array();

	for (size_t k = 0; a && k < 3; k++) {
		if ((bits & (DPPTPD_MPPE_40 << k)) &&
		    json_array_append_new(a, json_integer(key_bits[k])) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static const struct cfg_field mppe_fields[] = {
	CFG_CUSTOM_F("policy", false, NULL, parse_policy, dump_policy),
	CFG_CUSTOM_F("bits", false, NULL, parse_bits, dump_bits),
	CFG_BOOL_F("stateless", M, stateless),
};
const struct cfg_table cfg_mppe_table = CFG_TABLE(mppe_fields);

/* ---- $.log ---- */

#define EXPECT_LEVEL "\"error\", \"warning\", \"notice\", \"info\" or \"debug\""

static int parse_level(struct cfg_ctx *ctx, json_t *v, void *base)
{
	if (!json_is_string(v))
		return cfg_fail_type(ctx, v, EXPECT_LEVEL);
	for (int l = DPPTPD_LOG_ERR; l <= DPPTPD_LOG_DEBUG; l++) {
		if (strcmp(json_string_value(v), dpptpd_log_level_name(l)) == 0) {
			*(enum dpptpd_log_level *)base = l;
			return 0;
		}
	}
	return cfg_fail_found(ctx, v, EXPECT_LEVEL);
}

static json_t *dump_level(const void *base)
{
	return json_string(dpptpd_log_level_name(*(const enum dpptpd_log_level *)base));
}

static const struct cfg_field log_fields[] = {
	CFG_CUSTOM_F("level", false, NULL, parse_level, dump_level),
};
const struct cfg_table cfg_log_table = CFG_TABLE(log_fields);

/* ---- the top level ---- */

#define C struct dpptpd_config

static const struct cfg_field top_fields[] = {
	CFG_CUSTOM_F("ports", true, "an array of 2..8 port objects", cfg_parse_ports,
		     cfg_dump_ports),
	CFG_OBJECT_F("lcores", C, lcores, cfg_lcores_table),
	CFG_OBJECT_F("dataplane", C, dataplane, cfg_dataplane_table),
	CFG_OBJECT_F("pptp", C, pptp, cfg_pptp_table),
	CFG_OBJECT_F("ppp", C, ppp, cfg_ppp_table),
	CFG_CUSTOM_F("pools", true, "an array of 1..16 pool objects", cfg_parse_pools,
		     cfg_dump_pools),
	CFG_OBJECT_F("limits", C, limits, cfg_limits_table),
	CFG_OBJECT_F("mppe", C, mppe, cfg_mppe_table),
	CFG_OBJECT_F("log", C, log_level, cfg_log_table),
};
const struct cfg_table cfg_top_table = CFG_TABLE(top_fields);
