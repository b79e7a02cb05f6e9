/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bad files are refused with one line that names the file, the JSON path,
 * what was found and what was expected. Each case patches one value of a
 * good base file (or gives the whole text) and asserts the exact path and
 * words of the message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "config/dpptpd_config.h"

static const char *const base =
	"{\"ports\": [{\"name\": \"access\", \"device\": \"net_af_packet0,iface=veth-conc-acc\","
	" \"role\": \"access\", \"address\": \"198.51.100.1/24\"},"
	" {\"name\": \"uplink\", \"device\": \"net_af_packet1,iface=veth-conc-up\","
	" \"role\": \"uplink\", \"address\": \"203.0.113.1/24\", \"gateway\": \"203.0.113.2\","
	" \"static_neighbours\": [{\"address\": \"203.0.113.2\", \"mac\": "
	  "\"02:00:00:00:00:02\"}]}],"
	" \"lcores\": {\"workers\": [1]},"
	" \"ppp\": {\"auth\": \"mschapv2\", \"secrets_file\": \"lab-chap-secrets\"},"
	" \"pools\": [{\"name\": \"lab\", \"ranges\": [\"100.64.0.0/16\"]}]}";

struct bad {
	const char *path;   /* where to patch: "ppp.mru",
	  "ports[1].address"; NULL: value is the file */
	const char *value;  /* JSON text to put there; NULL deletes the key */
	const char *expect; /* the message after "test.json: " starts with this */
};

static const struct bad cases[] = {
	/* unknown keys */
	{ "telemetry", "{}",
	  "$.telemetry: unknown key (expected one of: ports, lcores, dataplane, pptp, ppp, pools, "
	  "limits, mppe, log)" },
	{ "ppp.mruu", "1400", "$.ppp.mruu: unknown key (expected one of: mru, mtu, request_pfc," },
	{ "ports[0].adress", "\"x\"", "$.ports[0].adress: unknown key (expected one of: name," },
	{ "ports[1].static_neighbours[0].ip", "\"x\"",
	  "$.ports[1].static_neighbours[0].ip: unknown key (expected one of: address, mac)" },
	{ "pp p", "1", "$[\"pp p\"]: unknown key" },
	{ "_comment", "\"x\"", "$._comment: unknown key" },
	/* types */
	{ "ppp.mru", "\"1400\"", "$.ppp.mru: found a string \"1400\", expected an integer "
	  "128..1436" },
	{ "ppp.mtu", "1400.0", "$.ppp.mtu: found a real number 1400, expected an integer "
	  "128..1436" },
	{ "dataplane.enforce_tx_window", "1",
	  "$.dataplane.enforce_tx_window: found an integer 1, expected true or false" },
	{ "ppp", "[]", "$.ppp: found an array, expected an object" },
	{ "ports", "{}", "$.ports: found an object, expected an array of 2..8 port objects" },
	{ "ports[0].gateway", "false",
	  "$.ports[0].gateway: found a boolean false, expected an IPv4 address" },
	{ "lcores.workers[0]", "null", "$.lcores.workers[0]: found null, expected an lcore id" },
	/* addresses */
	{ "ports[1].gateway", "\"203.0.113.256\"",
	  "$.ports[1].gateway: found \"203.0.113.256\", expected an IPv4 address" },
	{ "ports[1].address", "\"203.0.113.1/33\"",
	  "$.ports[1].address: found \"203.0.113.1/33\", expected an IPv4 address with a prefix "
	  "length 0..32 (e.g. \"203.0.113.1/24\")" },
	{ "ports[1].address", "\"203.0.113.1\"",
	  "$.ports[1].address: found \"203.0.113.1\", expected an IPv4 address with a prefix" },
	{ "ports[0].address", "\"198.51.100.0/24\"",
	  "$.ports[0].address: found \"198.51.100.0/24\", expected a host address" },
	{ "ports[0].address", "\"198.051.100.1/24\"", "$.ports[0].address: found "
	  "\"198.051.100.1/24\"" },
	{ "ports[1].address", "\"198.51.100.2/16\"",
	  "$.ports[1].address: found \"198.51.100.2/16\", expected a subnet that does not overlap "
	  "$.ports[0].address" },
	{ "ports[1].gateway", "\"192.0.2.1\"",
	  "$.ports[1].gateway: found \"192.0.2.1\", expected null or a host address in the port's "
	  "subnet" },
	{ "ports[1].static_neighbours[0].address", "\"192.0.2.1\"",
	  "$.ports[1].static_neighbours[0].address: found \"192.0.2.1\", expected an address "
	  "in the port's subnet" },
	{ "ports[1].static_neighbours[0].mac", "\"01:00:5e:00:00:01\"",
	  "$.ports[1].static_neighbours[0].mac: found \"01:00:5e:00:00:01\", expected a unicast "
	  "MAC" },
	{ "ports[1].static_neighbours[0].mac", "\"02:00:00:00:00\"",
	  "$.ports[1].static_neighbours[0].mac: found \"02:00:00:00:00\", expected a MAC address" },
	{ "ports[1].static_neighbours[0].mac", NULL,
	  "$.ports[1].static_neighbours[0].mac: required key missing; expected a MAC address" },
	/* ports */
	{ "ports", NULL, "$.ports: required key missing; expected an array of 2..8 port objects" },
	{ "ports[0].address", NULL,
	  "$.ports[0].address: required key missing; expected an IPv4 address with a prefix" },
	{ "ports[0].role", "\"uplink\"",
	  "$.ports: found no access port, expected at least one access and one uplink port" },
	{ "ports[0].role", "\"core\"", "$.ports[0].role: found \"core\", expected \"access\" or" },
	{ "ports[1].name", "\"access\"",
	  "$.ports[1].name: found \"access\", expected a name no other port has "
	  "($.ports[0].name)" },
	{ "ports[1].name", "\"up link\"", "$.ports[1].name: found \"up link\", expected a name "
	  "of" },
	{ "ports[1].device", "\"net_af_packet0,iface=other\"",
	  "$.ports[1].device: found \"net_af_packet0,iface=other\", expected a device no "
	  "other port has ($.ports[0].device)" },
	{ "ports[0].device", "\"eth0\"", "$.ports[0].device: found \"eth0\", expected a PCI "
	  "address" },
	{ "ports[0].device", "\"0000:3b:20.0\"", "$.ports[0].device: found \"0000:3b:20.0\"" },
	{ "ports[0].device", "\"net_tap0,iface=a b\"", "$.ports[0].device: found "
	  "\"net_tap0,iface=a b\"" },
	{ "ports[1].tap_name", "\"up0\"",
	  "$.ports[1].tap_name: found \"up0\", expected null or no tap_name, as exception is "
	  "false" },
	{ "ports[0].name", "\"averylongname\"",
	  "$.ports[0].tap_name: required key missing: the default \"dpptp-averylongname\" is "
	  "longer than 15 bytes" },
	{ "ports[0].exception", "false",
	  "$.ports: found no access port with exception true, expected one" },
	{ "ports[0].rx_descriptors", "16", "$.ports[0].rx_descriptors: found 16, expected an "
	  "integer 64..32768" },
	/* lcores */
	{ "lcores.workers", "[1, 2, 1]",
	  "$.lcores.workers[2]: found 1, expected an lcore id not listed before "
	  "($.lcores.workers[0])" },
	{ "lcores.workers", "[0]",
	  "$.lcores.workers[0]: found 0, expected a worker lcore other than the control lcore" },
	{ "lcores.workers", "[]", "$.lcores.workers: found 0 entries, expected an array of 1..32" },
	{ "lcores.workers", "[128]", "$.lcores.workers[0]: found 128, expected an lcore id "
	  "0..127" },
	/* dataplane */
	{ "dataplane.ring_size", "5000",
	  "$.dataplane.ring_size: found 5000, expected a power of two 64..1048576" },
	{ "dataplane.lone_ack_delay_ms", "0",
	  "$.dataplane.lone_ack_delay_ms: found 0, expected an integer 1..1000" },
	{ "dataplane.max_sessions", "-1", "$.dataplane.max_sessions: found -1, expected an "
	  "integer" },
	{ "dataplane.route_tbl8_groups", "255",
	  "$.dataplane.route_tbl8_groups: found 255, expected at least 256: the /24s $.pools "
	  "span" },
	/* pptp */
	{ "pptp.sccrq_timeout_s", "0",
	  "$.pptp.sccrq_timeout_s: found 0, expected an integer 1..3600 (seconds)" },
	{ "pptp.port", "1724", "$.pptp.port: found 1724, expected 1723 (the data plane" },
	{ "pptp.listen", "\"203.0.113.1\"",
	  "$.pptp.listen: found \"203.0.113.1\", expected the address of an access port" },
	{ "pptp.host_name", "\"\"", "$.pptp.host_name: found \"\", expected a name of 1..63" },
	{ "pptp.framing", "[\"async\", \"async\"]", "$.pptp.framing[1]: found \"async\", expected "
	  "\"async\" or \"sync\", each at most once" },
	/* ppp */
	{ "ppp.mru", "1500", "$.ppp.mru: found 1500, expected an integer 128..1436" },
	{ "ppp.auth", "\"chap\"", "$.ppp.auth: found \"chap\", expected \"mschapv2\", "
	  "\"chap-md5\"," },
	{ "ppp.auth", "[\"pap\", \"none\"]", "$.ppp.auth[1]: found \"none\", expected "
	  "\"mschapv2\"" },
	{ "ppp.auth", "[\"pap\", \"pap\"]", "$.ppp.auth[1]: found \"pap\", expected a method not" },
	{ "ppp.secrets_file", NULL,
	  "$.ppp.secrets_file: required key missing; expected the path of a chap-secrets file" },
	{ "ppp.secrets_file", "null", "$.ppp.secrets_file: required key missing" },
	{ "ppp.dns", "[\"1.1.1.1\", \"8.8.8.8\", \"9.9.9.9\"]",
	  "$.ppp.dns: found 3 entries, expected an array of 0..2 IPv4 addresses" },
	{ "ppp.dns", "[\"0.0.0.0\"]", "$.ppp.dns[0]: found \"0.0.0.0\", expected an IPv4 address "
	  "other" },
	{ "ppp.pool", "\"nope\"", "$.ppp.pool: found \"nope\", expected the name of one of "
	  "$.pools" },
	{ "ppp.echo_failures", "0", "$.ppp.echo_failures: found 0, expected an integer 1..255" },
	/* pools */
	{ "pools", NULL, "$.pools: required key missing; expected an array of 1..16 pool objects" },
	{ "pools[1]", "{\"name\": \"more\", \"ranges\": [\"100.64.1.0/24\"]}",
	  "$.pools[1].ranges[0]: found \"100.64.1.0/24\", expected a range that does not overlap "
	  "$.pools[0].ranges[0] (\"100.64.0.0/16\")" },
	{ "pools[0].ranges[1]", "\"100.64.255.0-100.65.0.0\"",
	  "$.pools[0].ranges[1]: found \"100.64.255.0-100.65.0.0\", expected a range that does not "
	  "overlap $.pools[0].ranges[0]" },
	{ "pools[1]", "{\"name\": \"lab\", \"ranges\": [\"100.65.0.0/24\"]}",
	  "$.pools[1].name: found \"lab\", expected a name no other pool has ($.pools[0].name)" },
	{ "pools[0].ranges[1]", "\"198.51.100.0/24\"",
	  "$.pools[0].ranges[1]: found \"198.51.100.0/24\", expected a range without 198.51.100.1 "
	  "($.ports[0].address) unless $.pools[0].reserved lists it" },
	{ "pools[0].ranges[1]", "\"203.0.113.2\"",
	  "$.pools[0].ranges[1]: found \"203.0.113.2\", expected a range without 203.0.113.2 "
	  "($.ports[1].gateway)" },
	{ "pools[0].ranges[0]", "\"100.64.0.1/16\"",
	  "$.pools[0].ranges[0]: found \"100.64.0.1/16\", expected a network address" },
	{ "pools[0].ranges[0]", "\"100.64.0.9-100.64.0.1\"",
	  "$.pools[0].ranges[0]: found \"100.64.0.9-100.64.0.1\", expected a range whose first" },
	{ "pools[0].ranges[0]", "\"100.64.0.0/8\"", "$.pools[0].ranges[0]: found "
	  "\"100.64.0.0/8\"" },
	{ "pools[0].ranges[0]", "\"224.0.0.0/24\"", "$.pools[0].ranges[0]: found \"224.0.0.0/24\", "
						     "expected unicast addresses only" },
	{ "pools[0].ranges[0]", "\"10.0.0.0/9\"",
	  "$.pools[0].ranges: found 8388606 addresses, expected at most 4194304 in one pool" },
	{ "pools[0].ranges", "[]", "$.pools[0].ranges: found 0 entries, expected an array of "
	  "1..256" },
	{ "pools[0].reserved", "[\"10.0.0.1\"]",
	  "$.pools[0].reserved[0]: found \"10.0.0.1\", expected an address inside one of this "
	  "pool's ranges" },
	{ "pools[0]", "{\"name\": \"one\", \"ranges\": [\"100.64.0.5\"], \"reserved\": "
	  "[\"100.64.0.5\"]}",
	  "$.pools[0]: found no address to hand out (all 1 are reserved), expected at least one" },
	/* limits, mppe, log */
	{ "limits.max_sessions", "70000",
	  "$.limits.max_sessions: found 70000, expected at most $.dataplane.max_sessions (65536)" },
	{ "limits.per_source_rate", "0", "$.limits.per_source_rate: found 0, expected a number" },
	{ "limits.per_source_rate", "\"10\"", "$.limits.per_source_rate: found a string \"10\"" },
	{ "mppe.policy", "\"always\"", "$.mppe.policy: found \"always\", expected \"off\"" },
	{ "mppe.bits", "[64]", "$.mppe.bits[0]: found 64, expected 40, 56 or 128, each at most "
	  "once" },
	{ "mppe.bits", "[]", "$.mppe.bits: found an empty array" },
	{ "log.level", "\"verbose\"", "$.log.level: found \"verbose\", expected \"error\", " },
};

/* Whole texts: JSON syntax and the top level. */
static const struct bad texts[] = {
	{ NULL, "{\n  \"ports\": [],\n  \"ppp\": {\"mru\": 1400 \"mtu\": 1400}\n}\n",
	  "test.json:3:27: invalid JSON: '}' expected near '\"mtu\"'" },
	{ NULL, "{\"log\": {}, \"log\": {}}", "test.json:1:17: invalid JSON: duplicate object key "
	  "near '\"log\"'" },
	{ NULL, "", "test.json:1:0: invalid JSON: " },
	{ NULL, "[]", "test.json: $: found an array, expected an object" },
	{ NULL, "{\"ppp\": {\"server_name\": \"a\\u0000b\"}}", "test.json:1:34: invalid JSON: " },
};

/* Apply `value` at `path` in `root` (NULL value: delete). Index == size appends. */
static void patch(json_t *root, const char *path, const char *value)
{
	json_t *node = root, *parent = NULL, *v = NULL;
	char seg[64];
	const char *p = path;

	if (value) {
		json_error_t je;

		v = json_loads(value, JSON_DECODE_ANY, &je);
		if (!v)
			fail_msg("bad test value %s: %s", value, je.text);
	}
	for (;;) {
		bool index = *p == '[';
		size_t n = index ? strcspn(p + 1, "]") : strcspn(p, ".[");
		const char *next;

		memcpy(seg, index ? p + 1 : p, n);
		seg[n] = '\0';
		next = p + n + (index ? 2 : 0);
		if (*next == '.')
			next++;
		if (*next == '\0') {
			if (index) {
				size_t i = strtoul(seg, NULL, 10);

				if (!v)
					json_array_remove(node, i);
				else if (i == json_array_size(node))
					json_array_append_new(node, v);
				else
					json_array_set_new(node, i, v);
			} else if (!v) {
				json_object_del(node, seg);
			} else {
				json_object_set_new(node, seg, v);
			}
			return;
		}
		parent = node;
		node = index ? json_array_get(parent, strtoul(seg, NULL, 10))
			     : json_object_get(parent, seg);
		if (!node) {
			/* a section the base leaves out: add it */
			assert_false(index);
			node = json_object();
			json_object_set_new(parent, seg, node);
		}
		p = next;
	}
}

static void expect_refused(const char *text, const char *expect)
{
	struct dpptpd_config c;
	char err[1024];

	if (dpptpd_config_load_string(text, "test.json", &c, err, sizeof(err)) == 0)
		fail_msg("accepted, expected \"%s\":\n%s", expect, text);
	if (strncmp(err, "test.json", 9) != 0 || !strstr(err, expect))
		fail_msg("message \"%s\"\n  expected \"%s\"", err, expect);
	if (strncmp(expect, "test.json", 9) != 0 && strncmp(err + 11, expect, strlen(expect)) != 0)
		fail_msg("message \"%s\"\n  expected to start \"test.json: %s\"", err, expect);
	assert_null(strchr(err, '\n'));
	if (getenv("CONFIG_SHOW_ERRORS")) /* to read them all: CONFIG_SHOW_ERRORS=1 */
		print_message("%s\n", err);
	/* A refused load leaves the defaults, and freeing is still fine. */
	assert_int_equal(c.nb_ports, 0);
	assert_int_equal(c.nb_pools, 0);
	dpptpd_config_free(&c);
}

static void test_base_is_good(void **state)
{
	struct dpptpd_config c;
	char err[1024];

	(void)state;
	if (dpptpd_config_load_string(base, "test.json", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	dpptpd_config_free(&c);
}

static void test_patched(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *root = json_loads(base, 0, NULL);
		char *text;

		assert_non_null(root);
		patch(root, cases[i].path, cases[i].value);
		text = json_dumps(root, JSON_PRESERVE_ORDER);
		expect_refused(text, cases[i].expect);
		free(text);
		json_decref(root);
	}
}

static void test_texts(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		expect_refused(texts[i].value, texts[i].expect);
}

/* What a reserved address allows, and a truncated message buffer. */
static void test_reserved_and_truncation(void **state)
{
	json_t *root = json_loads(base, 0, NULL);
	struct dpptpd_config c;
	char *text, err[24];

	(void)state;
	patch(root, "pools[0].ranges[1]", "\"198.51.100.0/24\"");
	patch(root, "pools[0].reserved", "[\"198.51.100.1\"]");
	text = json_dumps(root, 0);
	assert_int_equal(dpptpd_config_load_string(text, "test.json", &c, NULL, 0), 0);
	assert_int_equal(c.pools[0].size, 65534 + 254 - 1);
	dpptpd_config_free(&c);
	free(text);
	patch(root, "ppp.mru", "9999");
	text = json_dumps(root, 0);
	assert_int_equal(dpptpd_config_load_string(text, "test.json", &c, err, sizeof(err)), -1);
	assert_string_equal(err, "test.json: $.ppp.mru: f");
	dpptpd_config_free(&c);
	free(text);
	json_decref(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_is_good),
		cmocka_unit_test(test_patched),
		cmocka_unit_test(test_texts),
		cmocka_unit_test(test_reserved_and_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
