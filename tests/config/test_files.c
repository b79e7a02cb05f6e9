/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shipped configuration files load with the values the lab contract
 * (BRIEF section 6) and the E810 example promise; every configuration dumps
 * to JSON that loads back to an equal one; relative paths are resolved
 * against the file's directory.
 *
 * argv[1]: the configs/ directory.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/dpptpd_config.h"
#include "ppp/secrets.h"

static const char *configs_dir = "configs";

static uint32_t ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static void load_file(const char *name, struct dpptpd_config *c)
{
	char path[4096], err[1024];

	snprintf(path, sizeof(path), "%s/%s", configs_dir, name);
	if (dpptpd_config_load(path, c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
}

/* Dump, load the text back, compare; the second dump must be the same text. */
static void check_round_trip(const struct dpptpd_config *c)
{
	struct dpptpd_config back;
	char *text1 = NULL, *text2 = NULL, err[1024];
	size_t len1, len2;
	FILE *f = open_memstream(&text1, &len1);

	assert_non_null(f);
	assert_int_equal(dpptpd_config_dump(c, f), 0);
	fclose(f);
	if (dpptpd_config_load_string(text1, "dump.json", &back, err, sizeof(err)) != 0)
		fail_msg("%s\n%s", err, text1);
	assert_true(dpptpd_config_equal(c, &back));
	f = open_memstream(&text2, &len2);
	assert_int_equal(dpptpd_config_dump(&back, f), 0);
	fclose(f);
	assert_string_equal(text1, text2);
	dpptpd_config_free(&back);
	free(text1);
	free(text2);
}

static void test_lab(void **state)
{
	struct dpptpd_config c;
	const struct dpptpd_port *acc, *up;
	const char *tail = "/configs/lab-chap-secrets";

	(void)state;
	load_file("lab.json", &c);
	assert_int_equal(c.nb_ports, 2);
	acc = &c.ports[0];
	up = &c.ports[1];
	assert_string_equal(acc->device, "net_af_packet0,iface=veth-conc-acc");
	assert_int_equal(acc->dev_kind, DPPTPD_DEV_VDEV);
	assert_int_equal(acc->role, DPPTPD_ROLE_ACCESS);
	assert_int_equal(acc->addr, ip("198.51.100.1"));
	assert_int_equal(acc->prefix_len, 24);
	assert_int_equal(acc->gateway, 0);
	assert_true(acc->exception);
	assert_string_equal(acc->tap_name, "dpptp-access");
	assert_string_equal(up->device, "net_af_packet1,iface=veth-conc-up");
	assert_int_equal(up->role, DPPTPD_ROLE_UPLINK);
	assert_int_equal(up->addr, ip("203.0.113.1"));
	assert_int_equal(up->gateway, ip("203.0.113.2"));
	assert_false(up->exception);
	assert_string_equal(up->tap_name, "");
	assert_int_equal(c.lcores.nb_workers, 1);
	assert_int_equal(c.lcores.workers[0], 1);
	assert_int_equal(c.lcores.control, 0);
	assert_int_equal(c.dataplane.idle_sleep_us, 50);
	assert_int_equal(c.dataplane.mbufs, dpptpd_config_default_mbufs(&c));
	assert_int_equal(c.pptp.listen, ip("198.51.100.1"));
	assert_int_equal(c.ppp.local_address, ip("198.51.100.1"));
	assert_int_equal(c.ppp.auth_methods, DPPTPD_AUTH_MSCHAPV2);
	assert_int_equal(c.ppp.dns[0], ip("203.0.113.2"));
	assert_int_equal(c.ppp.dns[1], 0);
	/* Relative to configs/, made absolute. */
	assert_int_equal(c.ppp.secrets_file[0], '/');
	assert_true(strlen(c.ppp.secrets_file) > strlen(tail));
	assert_string_equal(c.ppp.secrets_file + strlen(c.ppp.secrets_file) - strlen(tail), tail);
	assert_int_equal(access(c.ppp.secrets_file, R_OK), 0);
	/* 100.64.0.0/16 as CIDR: network and broadcast left out. */
	assert_int_equal(c.nb_pools, 1);
	assert_int_equal(c.pools[0].nb_ranges, 1);
	assert_int_equal(c.pools[0].ranges[0].first, ip("100.64.0.1"));
	assert_int_equal(c.pools[0].ranges[0].last, ip("100.64.255.254"));
	assert_int_equal(c.pools[0].size, 65534);
	assert_string_equal(c.ppp.pool, c.pools[0].name);
	assert_int_equal(c.limits.max_sessions, c.dataplane.max_sessions);
	check_round_trip(&c);
	dpptpd_config_free(&c);
}

/* The lab's secrets file parses with lib/ppp's reader and holds the lab user. */
static void test_lab_secrets(void **state)
{
	struct dpptpd_config c;
	struct ppp_secrets *s;
	const struct secrets_entry *e;
	unsigned int n_errors = 0;

	(void)state;
	load_file("lab.json", &c);
	s = secrets_load_file(c.ppp.secrets_file, NULL, NULL, &n_errors);
	assert_non_null(s);
	assert_int_equal(n_errors, 0);
	e = secrets_lookup(s, "lab", c.ppp.server_name);
	assert_non_null(e);
	assert_int_equal(e->secret_len, strlen("lab-secret"));
	assert_memory_equal(e->secret, "lab-secret", e->secret_len);
	assert_int_equal(e->static_ip, 0); /* a pool address */
	secrets_free(s);
	dpptpd_config_free(&c);
}

static void test_e810(void **state)
{
	struct dpptpd_config c;

	(void)state;
	load_file("e810-example.json", &c);
	assert_int_equal(c.ports[0].dev_kind, DPPTPD_DEV_PCI);
	assert_string_equal(c.ports[0].device, "0000:3b:00.0");
	assert_int_equal(c.ports[1].nb_neighbours, 1);
	assert_memory_equal(c.ports[1].neighbours[0].mac, "\x02\x00\x5e\x10\x00\x09", 6);
	assert_int_equal(c.lcores.control, 1);
	assert_int_equal(c.lcores.nb_workers, 6);
	assert_int_equal(c.ppp.local_address, ip("100.67.255.254"));
	/* A /14 less network, broadcast and the reserved local address. */
	assert_int_equal(c.pools[0].size, 262144 - 2 - 1);
	assert_int_equal(c.limits.per_source_refill_ms, 200);
	assert_int_equal(c.log_level, DPPTPD_LOG_NOTICE);
	assert_string_equal(c.ppp.secrets_file, "/etc/dpptp/chap-secrets");
	check_round_trip(&c);
	dpptpd_config_free(&c);
}

/* Every key away from its default, and the forms a dump writes differently. */
static const char *const everything =
	"{\"ports\": [{\"name\": \"a\", \"device\": \"0000:af:1f.7,safe-mode-support=1\","
	" \"role\": \"access\", \"address\": \"192.0.2.10/24\", \"gateway\": \"192.0.2.1\","
	" \"exception\": true, \"tap_name\": \"acc0\", \"rx_descriptors\": 512,"
	" \"tx_descriptors\": 4096, \"static_neighbours\": [{\"address\": \"192.0.2.1\","
	" \"mac\": \"02:AA:bb:cc:dd:ee\"}]},"
	" {\"name\": \"b\", \"device\": \"net_ring0\", \"role\": \"uplink\","
	" \"address\": \"10.1.0.2/31\", \"exception\": true},"
	" {\"name\": \"c\", \"device\": \"net_tap1,iface=x\", \"role\": \"access\","
	" \"address\": \"192.0.3.1/32\", \"exception\": false, \"tap_name\": null}],"
	" \"lcores\": {\"control\": 3, \"workers\": [0, 7, 1]},"
	" \"dataplane\": {\"max_sessions\": 1000, \"ring_size\": 1024, \"mbufs\": 5000,"
	" \"mbuf_cache\": 0, \"lone_ack_delay_ms\": 1000, \"enforce_tx_window\": true,"
	" \"verify_ip_checksum\": false, \"idle_sleep_us\": 7, \"neighbour_refresh_s\": 5,"
	" \"route_tbl8_groups\": 300},"
	" \"pptp\": {\"listen\": \"192.0.2.10\", \"port\": 1723, \"host_name\": \"h\","
	" \"vendor\": \"v w\", \"firmware_revision\": 0, \"max_channels\": 9,"
	" \"framing\": [\"sync\"],"
	" \"bearer\": [], \"receive_window\": 1, \"connect_speed\": 0,"
	" \"max_calls_per_connection\": 65535, \"sccrq_timeout_s\": 5, \"echo_interval_s\": 0,"
	" \"echo_timeout_s\": 7, \"stop_timeout_s\": 3600, \"call_wait_s\": 0},"
	" \"ppp\": {\"mru\": 1436, \"mtu\": 128, \"request_pfc\": false, \"request_acfc\": false,"
	" \"request_magic\": false, \"restart_timer_s\": 1, \"max_configure\": 255,"
	" \"max_terminate\": 1, \"max_failure\": 1, \"max_loopback\": 2, \"echo_interval_s\": 0,"
	" \"echo_failures\": 9, \"setup_timeout_s\": 0, \"auth\": [\"pap\", \"mschapv2\"],"
	" \"server_name\": \"*\", \"secrets_file\": \"/s\", \"auth_restart_timer_s\": 2,"
	" \"auth_max_challenges\": 1, \"auth_timeout_s\": 3600, \"auth_max_attempts\": 255,"
	" \"local_address\": \"100.64.0.1\", \"dns\": [\"9.9.9.9\", \"1.1.1.1\"],"
	" \"nbns\": [\"8.8.8.8\"], \"pool\": \"two\"},"
	" \"pools\": [{\"name\": \"one\", \"ranges\": [\"100.64.0.0/24\", \"100.65.0.5\","
	" \"100.66.0.1-100.66.1.7\", \"100.67.0.0/31\"], \"reserved\": [\"100.64.0.1\"]},"
	" {\"name\": \"two\", \"ranges\": [\"100.70.0.0/16\"], \"reserved\": []}],"
	" \"limits\": {\"max_sessions\": 999, \"max_sessions_in_setup\": 0,"
	" \"per_source_rate\": 0.3, \"per_source_burst\": 0, \"source_table_size\": 8},"
	" \"mppe\": {\"policy\": \"require\", \"bits\": [128, 40], \"stateless\": false},"
	" \"log\": {\"level\": \"debug\"}}";

static void test_everything_round_trips(void **state)
{
	struct dpptpd_config c, d;
	char err[1024];

	(void)state;
	if (dpptpd_config_load_string(everything, NULL, &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(c.ports[0].dev_kind, DPPTPD_DEV_PCI);
	assert_int_equal(c.ports[1].dev_kind, DPPTPD_DEV_VDEV);
	assert_string_equal(c.ports[1].tap_name, "dpptp-b");
	assert_string_equal(c.ports[2].tap_name, "");
	assert_int_equal(c.dataplane.mbufs, 5000);
	assert_int_equal(c.pptp.framing_caps, DPPTPD_FRAMING_SYNC);
	assert_int_equal(c.pptp.bearer_caps, 0);
	assert_int_equal(c.ppp.auth_methods, DPPTPD_AUTH_PAP | DPPTPD_AUTH_MSCHAPV2);
	assert_int_equal(c.ppp.nbns[1], 0);
	assert_int_equal(c.ppp.pool_index, 1);
	assert_int_equal(c.pools[0].size, 254 + 1 + 263 + 2 - 1);
	assert_int_equal(c.limits.per_source_refill_ms, 3333);
	assert_int_equal(c.mppe.bits, DPPTPD_MPPE_40 | DPPTPD_MPPE_128);
	check_round_trip(&c);

	/* Equality sees a change anywhere. */
	assert_int_equal(dpptpd_config_load_string(everything, NULL, &d, err, sizeof(err)), 0);
	assert_true(dpptpd_config_equal(&c, &d));
	assert_int_equal(dpptpd_config_diff(&c, &d), 0);
	d.ports[0].neighbours[0].mac[5] ^= 1;
	assert_false(dpptpd_config_equal(&c, &d));
	assert_int_equal(dpptpd_config_diff(&c, &d), DPPTPD_CFG_PORTS);
	d.ports[0].neighbours[0].mac[5] ^= 1;
	d.dataplane.idle_sleep_us++;
	assert_false(dpptpd_config_equal(&c, &d));
	assert_int_equal(dpptpd_config_diff(&c, &d), DPPTPD_CFG_DATAPLANE);
	d.dataplane.idle_sleep_us--;
	d.pools[0].reserved[0] = 0;
	assert_false(dpptpd_config_equal(&c, &d));
	assert_int_equal(dpptpd_config_diff(&c, &d), DPPTPD_CFG_POOLS);
	d.pools[0].reserved[0] = c.pools[0].reserved[0];
	/* The sections a reload looks at, one by one and together. */
	d.limits.per_source_refill_ms++;
	d.log_level = c.log_level == DPPTPD_LOG_DEBUG ? DPPTPD_LOG_INFO : DPPTPD_LOG_DEBUG;
	assert_int_equal(dpptpd_config_diff(&c, &d), DPPTPD_CFG_LIMITS | DPPTPD_CFG_LOG);
	d.limits.per_source_refill_ms--;
	d.log_level = c.log_level;
	strcpy(d.ppp.secrets_file, "/elsewhere");
	d.mppe.bits ^= DPPTPD_MPPE_56;
	d.lcores.workers[0]++;
	assert_int_equal(dpptpd_config_diff(&c, &d),
			 DPPTPD_CFG_PPP | DPPTPD_CFG_MPPE | DPPTPD_CFG_LCORES);
	dpptpd_config_free(&d);
	dpptpd_config_free(&c);
}

static const char *const minimal =
	"{\"ports\": [{\"name\": \"access\", \"device\": \"net_null0\", \"role\": \"access\","
	" \"address\": \"198.51.100.1/24\"}, {\"name\": \"uplink\", \"device\": \"net_null1\","
	" \"role\": \"uplink\", \"address\": \"203.0.113.1/24\"}],"
	" \"ppp\": {\"secrets_file\": \"%s\"},"
	" \"pools\": [{\"name\": \"p\", \"ranges\": [\"100.64.0.0/16\"]}]}";

static void load_minimal(const char *secrets, const char *origin, struct dpptpd_config *c)
{
	char text[1024], err[1024];

	snprintf(text, sizeof(text), minimal, secrets);
	if (dpptpd_config_load_string(text, origin, c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
}

static void test_relative_paths(void **state)
{
	struct dpptpd_config c;
	char cwd[4096], want[8192];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	load_minimal("s", "/etc/dpptp/dpptpd.json", &c);
	assert_string_equal(c.ppp.secrets_file, "/etc/dpptp/s");
	dpptpd_config_free(&c);
	load_minimal("../s", "/x.json", &c);
	assert_string_equal(c.ppp.secrets_file, "/../s");
	dpptpd_config_free(&c);
	load_minimal("/abs/s", "rel/x.json", &c);
	assert_string_equal(c.ppp.secrets_file, "/abs/s");
	dpptpd_config_free(&c);
	load_minimal("sub/s", "rel/x.json", &c);
	snprintf(want, sizeof(want), "%s/rel/sub/s", cwd);
	assert_string_equal(c.ppp.secrets_file, want);
	dpptpd_config_free(&c);
	load_minimal("s", "./x.json", &c);
	snprintf(want, sizeof(want), "%s/s", cwd);
	assert_string_equal(c.ppp.secrets_file, want);
	dpptpd_config_free(&c);
	load_minimal("s", NULL, &c);
	assert_string_equal(c.ppp.secrets_file, want);
	dpptpd_config_free(&c);
}

static void test_auth_none_and_listen(void **state)
{
	const char *text =
		"{\"ports\": [{\"name\": \"u\", \"device\": \"net_null1\", \"role\": \"uplink\","
		" \"address\": \"203.0.113.1/24\"}, {\"name\": \"a0\", \"device\": \"net_null0\","
		" \"role\": \"access\", \"address\": \"198.51.100.1/24\", \"exception\": false},"
		" {\"name\": \"a1\", \"device\": \"net_null2\", \"role\": \"access\","
		" \"address\": \"192.0.2.1/24\"}], \"ppp\": {\"auth\": \"none\"},"
		" \"pools\": [{\"name\": \"p\", \"ranges\": [\"100.64.0.0-100.64.255.255\"]}]}";
	struct dpptpd_config c;
	char err[1024];

	(void)state;
	if (dpptpd_config_load_string(text, NULL, &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(c.ppp.auth_methods, 0);
	assert_string_equal(c.ppp.secrets_file, "");
	/* The first access port with an exception path. */
	assert_int_equal(c.pptp.listen, ip("192.0.2.1"));
	assert_int_equal(dpptpd_config_port_by_addr(&c, c.pptp.listen), 2);
	/* A range keeps its first and last address: 65,536. */
	assert_int_equal(c.pools[0].size, 65536);
	check_round_trip(&c);
	dpptpd_config_free(&c);
}

static void test_unreadable_file(void **state)
{
	struct dpptpd_config c;
	char err[256];

	(void)state;
	assert_int_equal(dpptpd_config_load("/nonexistent/x.json", &c, err, sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/x.json: cannot read: No such file or directory");
	assert_int_equal(c.nb_ports, 0);
	dpptpd_config_free(&c);
	/* No room for a message is fine too. */
	assert_int_equal(dpptpd_config_load("/nonexistent/x.json", &c, NULL, 0), -1);
	dpptpd_config_free(&c);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lab),
		cmocka_unit_test(test_lab_secrets),
		cmocka_unit_test(test_e810),
		cmocka_unit_test(test_everything_round_trips),
		cmocka_unit_test(test_relative_paths),
		cmocka_unit_test(test_auth_none_and_listen),
		cmocka_unit_test(test_unreadable_file),
	};

	if (argc > 1)
		configs_dir = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
