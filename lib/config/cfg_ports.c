/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * $.ports[] (with their static neighbours) and $.lcores.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "cfg_internal.h"

#define EXPECT_NAME "a name of 1..32 letters, digits, '_' or '-'"
#define EXPECT_DEVICE                                                                           \
	"a PCI address \"DDDD:BB:DD.F\" or a virtual device \"net_<driver><n>\", either "      \
	"with optional \",key=value\" arguments (e.g. \"0000:3b:00.0\", "                       \
	"\"net_af_packet0,iface=veth0\")"
#define EXPECT_TAP "an interface name of 1..15 letters, digits, '_', '-' or '.', or null"

static bool name_char(char c, bool dot)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || (dot && c == '.');
}

static int parse_name(struct cfg_ctx *ctx, json_t *v, void *base)
{
	struct dpptpd_port *p = base;

	if (cfg_string(ctx, v, p->name, DPPTPD_NAME_MAX, EXPECT_NAME))
		return -1;
	for (const char *s = p->name; *s; s++)
		if (!name_char(*s, false))
			return cfg_fail_found(ctx, v, EXPECT_NAME);
	return 0;
}

static bool hex_run(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

/* "DDDD:BB:DD.F" (device 00..1f, function 0..7): the length of the address. */
static size_t pci_address(const char *s)
{
	if (strlen(s) < 12 || !hex_run(s, 4) || s[4] != ':' || !hex_run(s + 5, 2) ||
	    s[7] != ':' || !hex_run(s + 8, 2) || s[10] != '.' || s[11] < '0' || s[11] > '7')
		return 0;
	if (s[8] > '1') /* the device number has 5 bits */
		return 0;
	return 12;
}

/* "net_" and a driver name with its instance number: the length. */
static size_t vdev_name(const char *s)
{
	size_t n = 4;

	if (strncmp(s, "net_", 4) != 0)
		return 0;
	while (name_char(s[n], false) && s[n] != '-')
		n++;
	return n > 4 ? n : 0;
}

static int parse_device(struct cfg_ctx *ctx, json_t *v, void *base)
{
	struct dpptpd_port *p = base;
	size_t n;

	if (cfg_string(ctx, v, p->device, DPPTPD_DEVICE_MAX, EXPECT_DEVICE))
		return -1;
	if ((n = pci_address(p->device)) != 0)
		p->dev_kind = DPPTPD_DEV_PCI;
	else if ((n = vdev_name(p->device)) != 0)
		p->dev_kind = DPPTPD_DEV_VDEV;
	else
		return cfg_fail_found(ctx, v, EXPECT_DEVICE);
	/* Arguments: ",key=value" pieces, nothing EAL would split or choke on. */
	if (p->device[n] != '\0' && (p->device[n] != ',' || p->device[n + 1] == '\0'))
		return cfg_fail_found(ctx, v, EXPECT_DEVICE);
	for (const char *s = p->device + n; *s; s++)
		if (*s <= ' ' || *s > '~')
			return cfg_fail_found(ctx, v, EXPECT_DEVICE);
	return 0;
}

static int parse_role(struct cfg_ctx *ctx, json_t *v, void *base)
{
	struct dpptpd_port *p = base;
	const char *s = json_string_value(v);

	if (!json_is_string(v))
		return cfg_fail_type(ctx, v, "\"access\" or \"uplink\"");
	if (strcmp(s, "access") == 0)
		p->role = DPPTPD_ROLE_ACCESS;
	else if (strcmp(s, "uplink") == 0)
		p->role = DPPTPD_ROLE_UPLINK;
	else
		return cfg_fail_found(ctx, v, "\"access\" or \"uplink\"");
	return 0;
}

static int parse_address(struct cfg_ctx *ctx, json_t *v, void *base)
{
	struct dpptpd_port *p = base;
	uint32_t h, m;

	if (!json_is_string(v))
		return cfg_fail_type(ctx, v, CFG_EXPECT_PREFIX);
	if (cfg_parse_prefix(json_string_value(v), &p->addr, &p->prefix_len) != 0)
		return cfg_fail_found(ctx, v, CFG_EXPECT_PREFIX);
	h = ntohl(p->addr);
	m = cfg_mask(p->prefix_len);
	if (h == 0 || h == UINT32_MAX || (h >> 24) == 127 || (h >> 28) >= 14)
		return cfg_fail_found(ctx, v, "a unicast host address with its prefix length");
	if (p->prefix_len <= 30 && ((h & ~m) == 0 || (h & ~m) == ~m))
		return cfg_fail_found(ctx, v, "a host address, not the network or broadcast "
					      "address of its subnet");
	return 0;
}

static int parse_gateway(struct cfg_ctx *ctx, json_t *v, void *base)
{
	return cfg_ipv4_or_null(ctx, v, &((struct dpptpd_port *)base)->gateway);
}

static int parse_tap_name(struct cfg_ctx *ctx, json_t *v, void *base)
{
	struct dpptpd_port *p = base;

	if (json_is_null(v)) {
		p->tap_name[0] = '\0';
		return 0;
	}
	if (cfg_string(ctx, v, p->tap_name, DPPTPD_TAP_NAME_MAX, EXPECT_TAP))
		return -1;
	for (const char *s = p->tap_name; *s; s++)
		if (!name_char(*s, true))
			return cfg_fail_found(ctx, v, EXPECT_TAP);
	if (strcmp(p->tap_name, ".") == 0 || strcmp(p->tap_name, "..") == 0)
		return cfg_fail_found(ctx, v, EXPECT_TAP);
	return 0;
}

/* ---- static neighbours ---- */

static int parse_neigh_addr(struct cfg_ctx *ctx, json_t *v, void *base)
{
	return cfg_ipv4(ctx, v, &((struct dpptpd_neighbour *)base)->addr);
}

static int parse_neigh_mac(struct cfg_ctx *ctx, json_t *v, void *base)
{
	struct dpptpd_neighbour *n = base;
	static const uint8_t zero[6];

	if (!json_is_string(v))
		return cfg_fail_type(ctx, v, CFG_EXPECT_MAC);
	if (cfg_parse_mac(json_string_value(v), n->mac) != 0)
		return cfg_fail_found(ctx, v, CFG_EXPECT_MAC);
	if ((n->mac[0] & 1) || memcmp(n->mac, zero, 6) == 0)
		return cfg_fail_found(ctx, v, "a unicast MAC address, not zero");
	return 0;
}

static json_t *dump_neigh_addr(const void *base)
{
	return cfg_ipv4_json(((const struct dpptpd_neighbour *)base)->addr);
}

static json_t *dump_neigh_mac(const void *base)
{
	char buf[18];

	return json_string(cfg_mac_str(((const struct dpptpd_neighbour *)base)->mac, buf));
}

static const struct cfg_field neigh_fields[] = {
	CFG_CUSTOM_F("address", true, CFG_EXPECT_IPV4, parse_neigh_addr, dump_neigh_addr),
	CFG_CUSTOM_F("mac", true, CFG_EXPECT_MAC, parse_neigh_mac, dump_neigh_mac),
};
const struct cfg_table cfg_neigh_table = CFG_TABLE(neigh_fields);

static int parse_neighbours(struct cfg_ctx *ctx, json_t *v, void *base)
{
	struct dpptpd_port *p = base;
	char expect[64];
	size_t i;
	json_t *e;

	snprintf(expect, sizeof(expect), "an array of 0..%d {\"address\", \"mac\"} objects",
		 DPPTPD_MAX_NEIGHBOURS);
	if (!json_is_array(v))
		return cfg_fail_type(ctx, v, expect);
	if (json_array_size(v) > DPPTPD_MAX_NEIGHBOURS)
		return cfg_fail(ctx, "found %zu entries, expected %s", json_array_size(v), expect);
	json_array_foreach(v, i, e) {
		size_t mark = cfg_push_index(ctx, i);
		int rc = cfg_object(ctx, e, &cfg_neigh_table, &p->neighbours[i], NULL);

		cfg_pop(ctx, mark);
		if (rc)
			return -1;
	}
	p->nb_neighbours = (unsigned int)json_array_size(v);
	return 0;
}

/* ---- dumps ---- */

static json_t *dump_name(const void *base)
{
	return json_string(((const struct dpptpd_port *)base)->name);
}

static json_t *dump_device(const void *base)
{
	return json_string(((const struct dpptpd_port *)base)->device);
}

static json_t *dump_role(const void *base)
{
	return json_string(dpptpd_port_role_name(((const struct dpptpd_port *)base)->role));
}

static json_t *dump_address(const void *base)
{
	const struct dpptpd_port *p = base;
	char a[16], buf[24];

	snprintf(buf, sizeof(buf), "%s/%u", cfg_ipv4_str(p->addr, a), p->prefix_len);
	return json_string(buf);
}

static json_t *dump_gateway(const void *base)
{
	return cfg_ipv4_json(((const struct dpptpd_port *)base)->gateway);
}

static json_t *dump_tap_name(const void *base)
{
	const struct dpptpd_port *p = base;

	return p->tap_name[0] ? json_string(p->tap_name) : json_null();
}

static json_t *dump_neighbours(const void *base)
{
	const struct dpptpd_port *p = base;
	json_t *a = json_array();

	for (unsigned int i = 0; a && i < p->nb_neighbours; i++) {
		if (json_array_append_new(a, cfg_dump_object(&cfg_neigh_table,
							      &p->neighbours[i])) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

#define PORT_DESC(n) CFG_UINT_F(#n, struct dpptpd_port, n, 64, 32768, "(per queue)")

static const struct cfg_field port_fields[] = {
	CFG_CUSTOM_F("name", true, EXPECT_NAME, parse_name, dump_name),
	CFG_CUSTOM_F("device", true, EXPECT_DEVICE, parse_device, dump_device),
	CFG_CUSTOM_F("role", true, "\"access\" or \"uplink\"", parse_role, dump_role),
	CFG_CUSTOM_F("address", true, CFG_EXPECT_PREFIX, parse_address, dump_address),
	CFG_CUSTOM_F("gateway", false, NULL, parse_gateway, dump_gateway),
	CFG_BOOL_F("exception", struct dpptpd_port, exception),
	CFG_CUSTOM_F("tap_name", false, NULL, parse_tap_name, dump_tap_name),
	PORT_DESC(rx_descriptors),
	PORT_DESC(tx_descriptors),
	CFG_CUSTOM_F("static_neighbours", false, NULL, parse_neighbours, dump_neighbours),
};
const struct cfg_table cfg_port_table = CFG_TABLE(port_fields);

#define PORT_FIELD(key) (1ull << cfg_field_index(&cfg_port_table, key))

/* One port: defaults that depend on the role, and the tap name. */
static int parse_port(struct cfg_ctx *ctx, json_t *v, struct dpptpd_port *p)
{
	uint64_t seen;

	memset(p, 0, sizeof(*p));
	p->rx_descriptors = 1024;
	p->tx_descriptors = 1024;
	if (cfg_object(ctx, v, &cfg_port_table, p, &seen))
		return -1;
	if (!(seen & PORT_FIELD("exception")))
		p->exception = p->role == DPPTPD_ROLE_ACCESS;
	if (!p->exception && p->tap_name[0]) {
		size_t mark = cfg_push_key(ctx, "tap_name");

		cfg_fail(ctx, "found \"%s\", expected null or no tap_name, as exception is false",
			 p->tap_name);
		cfg_pop(ctx, mark);
		return -1;
	}
	if (p->exception && !p->tap_name[0]) {
		char def[DPPTPD_NAME_MAX + 8];

		snprintf(def, sizeof(def), "dpptp-%s", p->name);
		if (strlen(def) > DPPTPD_TAP_NAME_MAX) {
			size_t mark = cfg_push_key(ctx, "tap_name");

			cfg_fail(ctx, "required key missing: the default \"%s\" is longer than "
				      "%d bytes (IFNAMSIZ); expected a tap_name or a shorter name",
				 def, DPPTPD_TAP_NAME_MAX);
			cfg_pop(ctx, mark);
			return -1;
		}
		memcpy(p->tap_name, def, strlen(def) + 1);
	}
	return 0;
}

int cfg_parse_ports(struct cfg_ctx *ctx, json_t *v, void *base)
{
	struct dpptpd_config *c = base;
	char expect[64];
	size_t i;
	json_t *e;

	snprintf(expect, sizeof(expect), "an array of 2..%d port objects", DPPTPD_MAX_PORTS);
	if (!json_is_array(v))
		return cfg_fail_type(ctx, v, expect);
	if (json_array_size(v) < 2 || json_array_size(v) > DPPTPD_MAX_PORTS)
		return cfg_fail(ctx, "found %zu ports, expected %s (at least one access and one "
				     "uplink port)",
				json_array_size(v), expect);
	json_array_foreach(v, i, e) {
		size_t mark = cfg_push_index(ctx, i);
		int rc = parse_port(ctx, e, &c->ports[i]);

		cfg_pop(ctx, mark);
		if (rc)
			return -1;
		c->nb_ports = (unsigned int)i + 1;
	}
	return 0;
}

json_t *cfg_dump_ports(const void *base)
{
	const struct dpptpd_config *c = base;
	json_t *a = json_array();

	for (unsigned int i = 0; a && i < c->nb_ports; i++) {
		if (json_array_append_new(a, cfg_dump_object(&cfg_port_table, &c->ports[i])) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* ---- $.lcores ---- */

#define EXPECT_WORKERS "an array of 1..32 distinct lcore ids 0..127"

static int parse_workers(struct cfg_ctx *ctx, json_t *v, void *base)
{
	struct dpptpd_lcores *l = base;
	size_t i;
	json_t *e;

	if (!json_is_array(v))
		return cfg_fail_type(ctx, v, EXPECT_WORKERS);
	if (json_array_size(v) < 1 || json_array_size(v) > DPPTPD_MAX_WORKERS)
		return cfg_fail(ctx, "found %zu entries, expected %s", json_array_size(v),
				EXPECT_WORKERS);
	json_array_foreach(v, i, e) {
		size_t mark = cfg_push_index(ctx, i);
		int rc = 0;

		if (!json_is_integer(e))
			rc = cfg_fail_type(ctx, e, "an lcore id 0..127");
		else if (json_integer_value(e) < 0 || json_integer_value(e) >= DPPTPD_MAX_LCORE)
			rc = cfg_fail_found(ctx, e, "an lcore id 0..127");
		for (size_t j = 0; rc == 0 && j < i; j++)
			if (l->workers[j] == (unsigned int)json_integer_value(e))
				rc = cfg_fail(ctx, "found %u, expected an lcore id not listed "
						   "before ($.lcores.workers[%zu])",
					      l->workers[j], j);
		if (rc == 0)
			l->workers[i] = (unsigned int)json_integer_value(e);
		cfg_pop(ctx, mark);
		if (rc)
			return -1;
	}
	l->nb_workers = (unsigned int)json_array_size(v);
	return 0;
}

static json_t *dump_workers(const void *base)
{
	const struct dpptpd_lcores *l = base;
	json_t *a = json_array();

	for (unsigned int i = 0; a && i < l->nb_workers; i++) {
		if (json_array_append_new(a, json_integer(l->workers[i])) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static const struct cfg_field lcores_fields[] = {
	{ .key = "control", .type = CFG_UINT, .off = offsetof(struct dpptpd_lcores, control),
	  .size = sizeof(unsigned int), .min = 0, .max = DPPTPD_MAX_LCORE - 1,
	  .expect = "(EAL's main lcore)" },
	CFG_CUSTOM_F("workers", false, NULL, parse_workers, dump_workers),
};
const struct cfg_table cfg_lcores_table = CFG_TABLE(lcores_fields);
