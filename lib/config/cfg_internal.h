/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the configuration loader's modules only.
 *
 * Each JSON object is described by a table of fields in documentation order:
 * booleans and integers are parsed, range-checked, dumped and compared by
 * the table alone; other fields (strings, addresses, lists) have their own
 * parse and dump functions. The same table gives the list of known keys in
 * "unknown key" messages and the required keys.
 */
#ifndef DPPTP_CONFIG_CFG_INTERNAL_H
#define DPPTP_CONFIG_CFG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "config/dpptpd_config.h"

/* The parse in progress: where we are, and where the error goes. */
struct cfg_ctx {
	const char *origin;  /* file name for messages */
	const char *basedir; /* absolute directory for relative paths */
	char *err;
	size_t errlen;
	char path[256];      /* "$.ports[1].address" */
	size_t path_len;
	struct dpptpd_config *cfg;
};

enum cfg_type {
	CFG_BOOL,    /* true / false */
	CFG_UINT,    /* integer min..max into a uint16_t or uint32_t */
	CFG_SECONDS, /* integer seconds min..max into a uint32_t of ms */
	CFG_OBJECT,  /* a nested object at off, described by sub */
	CFG_CUSTOM,  /* the field's parse() and dump() */
};

struct cfg_table;

struct cfg_field {
	const char *key;
	enum cfg_type type;
	bool required;
	size_t off;   /* from the base the table describes */
	size_t size;  /* of the member */
	uint32_t min, max;
	/* CFG_CUSTOM: what the value must be (for "required key missing");
	 * others: a note after the range, or NULL. */
	const char *expect;
	/* CFG_CUSTOM only. parse: the path already ends with the key. */
	int (*parse)(struct cfg_ctx *ctx, json_t *v, void *base);
	json_t *(*dump)(const void *base);
	const struct cfg_table *sub; /* CFG_OBJECT only */
};

#define CFG_MEMBER_SIZE(ty, mem) sizeof(((ty *)0)->mem)
#define CFG_BOOL_F(k, ty, mem)                                                                  \
	{ .key = k, .type = CFG_BOOL, .off = offsetof(ty, mem), .size = CFG_MEMBER_SIZE(ty, mem) }
#define CFG_UINT_F(k, ty, mem, lo, hi, note)                                                    \
	{ .key = k, .type = CFG_UINT, .off = offsetof(ty, mem),                                 \
	  .size = CFG_MEMBER_SIZE(ty, mem), .min = lo, .max = hi, .expect = note }
#define CFG_SECONDS_F(k, ty, mem, lo, hi, note)                                                 \
	{ .key = k, .type = CFG_SECONDS, .off = offsetof(ty, mem),                              \
	  .size = CFG_MEMBER_SIZE(ty, mem), .min = lo, .max = hi, .expect = note }
#define CFG_CUSTOM_F(k, req, what, p, d)                                                        \
	{ .key = k, .type = CFG_CUSTOM, .required = req, .expect = what, .parse = p, .dump = d }
#define CFG_OBJECT_F(k, ty, mem, table)                                                         \
	{ .key = k, .type = CFG_OBJECT, .off = offsetof(ty, mem), .sub = &(table) }

struct cfg_table {
	const struct cfg_field *fields;
	size_t n;
};

#define CFG_TABLE(a) ((struct cfg_table){ .fields = (a), .n = sizeof(a) / sizeof((a)[0]) })

/* The tables, in cfg_sections.c, cfg_ports.c, cfg_ppp.c, cfg_pools.c. */
extern const struct cfg_table cfg_top_table;
extern const struct cfg_table cfg_port_table;
extern const struct cfg_table cfg_neigh_table;
extern const struct cfg_table cfg_lcores_table;
extern const struct cfg_table cfg_dataplane_table;
extern const struct cfg_table cfg_pptp_table;
extern const struct cfg_table cfg_ppp_table;
extern const struct cfg_table cfg_pool_table;
extern const struct cfg_table cfg_limits_table;
extern const struct cfg_table cfg_mppe_table;
extern const struct cfg_table cfg_log_table;

/* ---- cfg_error.c: paths and messages ---- */

size_t cfg_push_key(struct cfg_ctx *ctx, const char *key);
size_t cfg_push_index(struct cfg_ctx *ctx, size_t i);
void cfg_pop(struct cfg_ctx *ctx, size_t mark);

/* "<origin>: <path>: <message>"; always returns -1. */
int cfg_fail(struct cfg_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same at another path than the current one. */
int cfg_fail_at(struct cfg_ctx *ctx, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "found <value>, expected <expect>" */
int cfg_fail_found(struct cfg_ctx *ctx, json_t *v, const char *expect);
/* "found <type> <value>, expected <expect>": the value has the wrong type. */
int cfg_fail_type(struct cfg_ctx *ctx, json_t *v, const char *expect);
/* A JSON value as a message shows it: "\"text\"", 1500, true, "an object". */
void cfg_describe(json_t *v, bool with_type, char *buf, size_t n);

/* ---- cfg_value.c: objects and typed values ---- */

/* Walk `obj` with `t` into `base`: unknown keys, types, ranges, required keys.
 * *seen (may be NULL) gets bit i for each field i present. */
int cfg_object(struct cfg_ctx *ctx, json_t *obj, const struct cfg_table *t, void *base,
	       uint64_t *seen);
/* The table's fields of `base` as a JSON object. NULL when out of memory. */
json_t *cfg_dump_object(const struct cfg_table *t, const void *base);
/* The booleans and integers of two bases compared, nested objects included. */
bool cfg_scalars_equal(const struct cfg_table *t, const void *a, const void *b);
/* Index of the field `key` in `t`, or -1. */
int cfg_field_index(const struct cfg_table *t, const char *key);

/* A string of 1..max bytes, copied into buf (max + 1 bytes). */
int cfg_string(struct cfg_ctx *ctx, json_t *v, char *buf, size_t max, const char *expect);
int cfg_ipv4(struct cfg_ctx *ctx, json_t *v, uint32_t *addr);
/* Like cfg_ipv4, also null (0). */
int cfg_ipv4_or_null(struct cfg_ctx *ctx, json_t *v, uint32_t *addr);
/* An array of 0..max IPv4 addresses into out[max] (0 for the rest). */
int cfg_ipv4_list(struct cfg_ctx *ctx, json_t *v, uint32_t *out, size_t max);
json_t *cfg_ipv4_json(uint32_t addr); /* a string, or null for 0 */

/* ---- cfg_addr.c: text forms (addresses in network byte order) ---- */

#define CFG_EXPECT_IPV4 "an IPv4 address (e.g. \"203.0.113.2\")"
#define CFG_EXPECT_PREFIX                                                                       \
	"an IPv4 address with a prefix length 0..32 (e.g. \"203.0.113.1/24\")"
#define CFG_EXPECT_RANGE                                                                        \
	"an address range \"a.b.c.d/n\", \"a.b.c.d-e.f.g.h\" or \"a.b.c.d\" "                   \
	"(e.g. \"100.64.0.0/16\")"
#define CFG_EXPECT_MAC "a MAC address (e.g. \"02:00:5e:10:00:01\")"

int cfg_parse_ipv4(const char *s, uint32_t *addr);
int cfg_parse_prefix(const char *s, uint32_t *addr, uint8_t *len);
/* 0; -1 syntax; -2 host bits set after a '/'; -3 first above last. */
int cfg_parse_range(const char *s, struct dpptpd_range *r);
int cfg_parse_mac(const char *s, uint8_t mac[6]);
const char *cfg_ipv4_str(uint32_t addr, char buf[16]);
/* The canonical text of a range: CIDR when it is one, else "a-b" or "a". */
const char *cfg_range_str(const struct dpptpd_range *r, char buf[40]);
const char *cfg_mac_str(const uint8_t mac[6], char buf[18]);
/* The mask of a prefix length, in host order. */
uint32_t cfg_mask(uint8_t len);
/* Whether addr lies in net/len (both in network order). */
bool cfg_in_subnet(uint32_t addr, uint32_t net, uint8_t len);

/* ---- cfg_ports.c and cfg_pools.c: the arrays of objects at the top ---- */

int cfg_parse_ports(struct cfg_ctx *ctx, json_t *v, void *base);
json_t *cfg_dump_ports(const void *base);
int cfg_parse_pools(struct cfg_ctx *ctx, json_t *v, void *base);
json_t *cfg_dump_pools(const void *base);

/* ---- cfg_check.c: what involves more than one key ---- */

int cfg_resolve_and_check(struct cfg_ctx *ctx);

/* ---- cfg_overlap.c: pools against each other and our addresses ---- */

int cfg_check_pools(struct cfg_ctx *ctx);

#endif /* DPPTP_CONFIG_CFG_INTERNAL_H */
