/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * $.ppp: lib/ppp's struct ppp_config, key for key, with its defaults
 * (ppp_config_default) and its ranges (ppp_config_validate).
 */
#include <stdio.h>
#include <string.h>

#include "cfg_internal.h"

#define EXPECT_AUTH                                                                             \
	"\"mschapv2\", \"chap-md5\", \"pap\" or \"none\", or an array of distinct methods "   \
	"other than \"none\""
#define EXPECT_SECRETS "the path of a chap-secrets file, or null"
#define EXPECT_SERVER "a name of 1..255 printable characters"

static const struct {
	const char *name;
	unsigned int bit;
} auth_names[] = {
	/* strongest first, as the engine proposes them */
	{ "mschapv2", DPPTPD_AUTH_MSCHAPV2 },
	{ "chap-md5", DPPTPD_AUTH_CHAP_MD5 },
	{ "pap", DPPTPD_AUTH_PAP },
};

#define N_AUTH (sizeof(auth_names) / sizeof(auth_names[0]))

static int auth_bit(json_t *v, unsigned int *bit)
{
	if (!json_is_string(v))
		return -1;
	for (size_t i = 0; i < N_AUTH; i++)
		if (strcmp(json_string_value(v), auth_names[i].name) == 0) {
			*bit = auth_names[i].bit;
			return 0;
		}
	return -1;
}

static int parse_auth(struct cfg_ctx *ctx, json_t *v, void *base)
{
	struct dpptpd_ppp *p = base;
	unsigned int bit = 0;
	size_t i;
	json_t *e;

	if (json_is_string(v)) {
		if (strcmp(json_string_value(v), "none") == 0)
			p->auth_methods = 0;
		else if (auth_bit(v, &p->auth_methods) != 0)
			return cfg_fail_found(ctx, v, EXPECT_AUTH);
		return 0;
	}
	if (!json_is_array(v))
		return cfg_fail_type(ctx, v, EXPECT_AUTH);
	if (json_array_size(v) == 0)
		return cfg_fail(ctx, "found an empty array, expected %s", EXPECT_AUTH);
	p->auth_methods = 0;
	json_array_foreach(v, i, e) {
		size_t mark = cfg_push_index(ctx, i);
		int rc = 0;

		if (!json_is_string(e))
			rc = cfg_fail_type(ctx, e, "\"mschapv2\", \"chap-md5\" or \"pap\"");
		else if (auth_bit(e, &bit) != 0)
			rc = cfg_fail_found(ctx, e, "\"mschapv2\", \"chap-md5\" or \"pap\"");
		else if (p->auth_methods & bit)
			rc = cfg_fail_found(ctx, e, "a method not listed before");
		else
			p->auth_methods |= bit;
		cfg_pop(ctx, mark);
		if (rc)
			return -1;
	}
	return 0;
}

static json_t *dump_auth(const void *base)
{
	const struct dpptpd_ppp *p = base;
	json_t *a;

	if (p->auth_methods == 0)
		return json_string("none");
	for (size_t i = 0; i < N_AUTH; i++)
		if (p->auth_methods == auth_names[i].bit)
			return json_string(auth_names[i].name);
	a = json_array();
	for (size_t i = 0; a && i < N_AUTH; i++) {
		if ((p->auth_methods & auth_names[i].bit) &&
		    json_array_append_new(a, json_string(auth_names[i].name)) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static int printable(struct cfg_ctx *ctx, json_t *v, const char *s, const char *expect)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return cfg_fail_found(ctx, v, expect);
	return 0;
}

static int parse_server_name(struct cfg_ctx *ctx, json_t *v, void *base)
{
	struct dpptpd_ppp *p = base;

	if (cfg_string(ctx, v, p->server_name, DPPTPD_PPP_NAME_MAX, EXPECT_SERVER))
		return -1;
	return printable(ctx, v, p->server_name, EXPECT_SERVER);
}

static int parse_secrets_file(struct cfg_ctx *ctx, json_t *v, void *base)
{
	struct dpptpd_ppp *p = base;
	const char *s;
	int n;

	if (json_is_null(v)) {
		p->secrets_file[0] = '\0';
		return 0;
	}
	if (!json_is_string(v))
		return cfg_fail_type(ctx, v, EXPECT_SECRETS);
	s = json_string_value(v);
	if (!*s)
		return cfg_fail_found(ctx, v, EXPECT_SECRETS);
	if (printable(ctx, v, s, EXPECT_SECRETS))
		return -1;
	/* Relative to the configuration file's directory (absolute already). */
	if (s[0] == '/')
		n = snprintf(p->secrets_file, sizeof(p->secrets_file), "%s", s);
	else
		n = snprintf(p->secrets_file, sizeof(p->secrets_file), "%s%s%s", ctx->basedir,
			     strcmp(ctx->basedir, "/") == 0 ? "" : "/", s);
	if (n < 0 || (size_t)n >= sizeof(p->secrets_file))
		return cfg_fail_found(ctx, v, "a path of at most 4095 bytes once made absolute");
	return 0;
}

static int parse_local_address(struct cfg_ctx *ctx, json_t *v, void *base)
{
	return cfg_ipv4(ctx, v, &((struct dpptpd_ppp *)base)->local_address);
}

static int parse_dns(struct cfg_ctx *ctx, json_t *v, void *base)
{
	return cfg_ipv4_list(ctx, v, ((struct dpptpd_ppp *)base)->dns, 2);
}

static int parse_nbns(struct cfg_ctx *ctx, json_t *v, void *base)
{
	return cfg_ipv4_list(ctx, v, ((struct dpptpd_ppp *)base)->nbns, 2);
}

static int parse_pool(struct cfg_ctx *ctx, json_t *v, void *base)
{
	return cfg_string(ctx, v, ((struct dpptpd_ppp *)base)->pool, DPPTPD_NAME_MAX,
			  "the name of one of $.pools");
}

static json_t *dump_server_name(const void *base)
{
	return json_string(((const struct dpptpd_ppp *)base)->server_name);
}

static json_t *dump_secrets_file(const void *base)
{
	const struct dpptpd_ppp *p = base;

	return p->secrets_file[0] ? json_string(p->secrets_file) : json_null();
}

static json_t *dump_local_address(const void *base)
{
	return cfg_ipv4_json(((const struct dpptpd_ppp *)base)->local_address);
}

static json_t *addr_list(const uint32_t *a, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < n && a[i]; i++) {
		if (json_array_append_new(arr, cfg_ipv4_json(a[i])) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *dump_dns(const void *base)
{
	return addr_list(((const struct dpptpd_ppp *)base)->dns, 2);
}

static json_t *dump_nbns(const void *base)
{
	return addr_list(((const struct dpptpd_ppp *)base)->nbns, 2);
}

static json_t *dump_pool(const void *base)
{
	return json_string(((const struct dpptpd_ppp *)base)->pool);
}

#define P struct dpptpd_ppp
#define COUNT(k, m) CFG_UINT_F(k, P, m, 1, 255, NULL)

static const struct cfg_field ppp_fields[] = {
	CFG_UINT_F("mru", P, mru, DPPTPD_PPP_MIN_MRU, DPPTPD_PPTP_MAX_MRU,
		   "(PPTP's room in a 1500-byte path)"),
	CFG_UINT_F("mtu", P, mtu, DPPTPD_PPP_MIN_MRU, DPPTPD_PPTP_MAX_MRU,
		   "(PPTP's room in a 1500-byte path)"),
	CFG_BOOL_F("request_pfc", P, request_pfc),
	CFG_BOOL_F("request_acfc", P, request_acfc),
	CFG_BOOL_F("request_magic", P, request_magic),
	CFG_SECONDS_F("restart_timer_s", P, restart_ms, 1, 3600, NULL),
	COUNT("max_configure", max_configure),
	COUNT("max_terminate", max_terminate),
	COUNT("max_failure", max_failure),
	COUNT("max_loopback", max_loopback),
	CFG_SECONDS_F("echo_interval_s", P, echo_interval_ms, 0, 86400, "(0 disables)"),
	COUNT("echo_failures", echo_failures),
	CFG_SECONDS_F("setup_timeout_s", P, setup_timeout_ms, 0, 86400, "(0 disables)"),
	CFG_CUSTOM_F("auth", false, NULL, parse_auth, dump_auth),
	CFG_CUSTOM_F("server_name", false, NULL, parse_server_name, dump_server_name),
	CFG_CUSTOM_F("secrets_file", false, NULL, parse_secrets_file, dump_secrets_file),
	CFG_SECONDS_F("auth_restart_timer_s", P, auth_restart_ms, 1, 3600, NULL),
	COUNT("auth_max_challenges", auth_max_challenges),
	CFG_SECONDS_F("auth_timeout_s", P, auth_timeout_ms, 1, 3600, NULL),
	COUNT("auth_max_attempts", auth_max_attempts),
	CFG_CUSTOM_F("local_address", false, NULL, parse_local_address, dump_local_address),
	CFG_CUSTOM_F("dns", false, NULL, parse_dns, dump_dns),
	CFG_CUSTOM_F("nbns", false, NULL, parse_nbns, dump_nbns),
	CFG_CUSTOM_F("pool", false, NULL, parse_pool, dump_pool),
};
const struct cfg_table cfg_ppp_table = CFG_TABLE(ppp_fields);
