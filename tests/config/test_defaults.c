/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The configuration's defaults are the libraries' own: a file that leaves a
 * key out gets what ppp_config_default(), pptp_conn_cfg_init() and
 * dp_config_default() would have given, and the shared constants agree.
 * (The library itself includes none of their headers; this test does.)
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config/dpptpd_config.h"
#include "dataplane/dp.h"
#include "ppp/ppp_config.h"
#include "pptp/ctrl_conn.h"

static const char *const minimal =
	"{\"ports\": [{\"name\": \"access\", \"device\": \"net_null0\", \"role\": \"access\","
	" \"address\": \"198.51.100.1/24\"}, {\"name\": \"uplink\", \"device\": \"net_null1\","
	" \"role\": \"uplink\", \"address\": \"203.0.113.1/24\"}],"
	" \"ppp\": {\"secrets_file\": \"/etc/dpptp/chap-secrets\"},"
	" \"pools\": [{\"name\": \"p\", \"ranges\": [\"100.64.0.0/16\"]}]}";

static void load_minimal(struct dpptpd_config *c)
{
	char err[1024];

	if (dpptpd_config_load_string(minimal, "minimal.json", c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
}

static void test_ppp_defaults(void **state)
{
	struct dpptpd_config c;
	struct ppp_config p;

	(void)state;
	load_minimal(&c);
	ppp_config_default(&p);
	assert_int_equal(c.ppp.mru, p.mru);
	assert_int_equal(c.ppp.mtu, p.mtu);
	assert_int_equal(c.ppp.request_pfc, p.request_pfc);
	assert_int_equal(c.ppp.request_acfc, p.request_acfc);
	assert_int_equal(c.ppp.request_magic, p.request_magic);
	assert_int_equal(c.ppp.restart_ms, p.restart_ms);
	assert_int_equal(c.ppp.max_configure, p.max_configure);
	assert_int_equal(c.ppp.max_terminate, p.max_terminate);
	assert_int_equal(c.ppp.max_failure, p.max_failure);
	assert_int_equal(c.ppp.max_loopback, p.max_loopback);
	assert_int_equal(c.ppp.echo_interval_ms, p.echo_interval_ms);
	assert_int_equal(c.ppp.echo_failures, p.echo_failures);
	assert_int_equal(c.ppp.setup_timeout_ms, p.setup_timeout_ms);
	assert_int_equal(c.ppp.auth_methods, p.auth_methods);
	assert_string_equal(c.ppp.server_name, p.auth_name);
	assert_int_equal(c.ppp.auth_restart_ms, p.auth_restart_ms);
	assert_int_equal(c.ppp.auth_max_challenges, p.auth_max_challenges);
	assert_int_equal(c.ppp.auth_timeout_ms, p.auth_timeout_ms);
	assert_int_equal(c.ppp.auth_max_attempts, p.auth_max_attempts);
	assert_int_equal(c.ppp.dns[0], 0);
	assert_int_equal(c.ppp.nbns[0], 0);
	/* Resolved from other keys. */
	assert_int_equal(c.ppp.local_address, c.ports[0].addr);
	assert_string_equal(c.ppp.pool, "p");
	dpptpd_config_free(&c);

	assert_int_equal(DPPTPD_AUTH_PAP, PPP_AUTH_PAP);
	assert_int_equal(DPPTPD_AUTH_CHAP_MD5, PPP_AUTH_CHAP_MD5);
	assert_int_equal(DPPTPD_AUTH_MSCHAPV2, PPP_AUTH_MSCHAPV2);
	assert_int_equal(DPPTPD_PPTP_MAX_MRU, PPP_PPTP_MAX_MRU);
	assert_int_equal(DPPTPD_PPP_MIN_MRU, PPP_MIN_MRU);
	assert_int_equal(DPPTPD_PPP_NAME_MAX, PPP_MAX_NAME_LEN);
	assert_int_equal(DPPTPD_MAX_POOL_RANGES, IP_POOL_MAX_RANGES);
	assert_int_equal(DPPTPD_MAX_POOL_ADDRS, IP_POOL_MAX_ADDRS);
	assert_int_equal(DPPTPD_LOG_DEBUG, PPP_LOG_DEBUG);
	assert_int_equal(DPPTPD_LOG_ERR, PPP_LOG_ERR);
}

static void test_pptp_defaults(void **state)
{
	struct dpptpd_config c;
	struct pptp_conn_cfg p;

	(void)state;
	load_minimal(&c);
	pptp_conn_cfg_init(&p);
	assert_string_equal(c.pptp.host_name, p.host_name);
	assert_string_equal(c.pptp.vendor, p.vendor);
	assert_int_equal(c.pptp.firmware_revision, p.firmware_rev);
	assert_int_equal(c.pptp.max_channels, p.max_channels);
	assert_int_equal(c.pptp.framing_caps, p.framing_caps);
	assert_int_equal(c.pptp.bearer_caps, p.bearer_caps);
	assert_int_equal(c.pptp.receive_window, p.recv_window);
	assert_int_equal(c.pptp.connect_speed, p.connect_speed);
	assert_int_equal(c.pptp.max_calls, p.max_calls);
	assert_int_equal(c.pptp.sccrq_timeout_ms, p.sccrq_timeout_ms);
	assert_int_equal(c.pptp.call_wait_ms, p.call_wait_ms);
	assert_int_equal(c.pptp.echo_interval_ms, p.echo_interval_ms);
	assert_int_equal(c.pptp.echo_timeout_ms, p.echo_timeout_ms);
	assert_int_equal(c.pptp.stop_timeout_ms, p.stop_timeout_ms);
	assert_int_equal(c.log_level, (int)p.log_level);
	assert_int_equal(c.pptp.port, 1723);
	assert_int_equal(c.pptp.listen, c.ports[0].addr);
	/* lib/pptp's admission has no defaults of its own: the issue's. */
	assert_int_equal(c.limits.max_sessions, c.dataplane.max_sessions);
	assert_int_equal(c.limits.max_setup, 1024);
	assert_int_equal(c.limits.per_source_refill_ms, 100);
	assert_int_equal(c.limits.per_source_burst, 20);
	assert_int_equal(c.limits.source_table_size, 4096);
	assert_int_equal(c.mppe.policy, DPPTPD_MPPE_OFF);
	dpptpd_config_free(&c);

	assert_int_equal(DPPTPD_FRAMING_ASYNC, PPTP_FRAMING_ASYNC);
	assert_int_equal(DPPTPD_FRAMING_SYNC, PPTP_FRAMING_SYNC);
	assert_int_equal(DPPTPD_BEARER_ANALOG, PPTP_BEARER_ANALOG);
	assert_int_equal(DPPTPD_BEARER_DIGITAL, PPTP_BEARER_DIGITAL);
	assert_int_equal(DPPTPD_LOG_NOTICE, PPTP_LOG_NOTICE);
}

static void test_dataplane_defaults(void **state)
{
	struct dpptpd_config c;
	struct dp_config d;

	(void)state;
	load_minimal(&c);
	dp_config_default(&d);
	assert_int_equal(c.dataplane.max_sessions, d.max_sessions);
	assert_int_equal(c.dataplane.ring_size, d.ring_size);
	assert_int_equal(c.dataplane.lone_ack_delay_ms * 1000, d.lone_ack_delay_us);
	assert_int_equal(c.dataplane.neighbour_refresh_ms / 1000, d.neigh_refresh_s);
	assert_int_equal(c.dataplane.route_tbl8_groups, d.route_tbl8_groups);
	assert_int_equal(c.dataplane.enforce_tx_window, d.enforce_tx_window);
	assert_int_equal(c.dataplane.verify_ip_checksum, d.verify_ip_checksum);
	assert_int_equal(c.dataplane.idle_sleep_us, d.idle_sleep_us);
	assert_int_equal(c.dataplane.mbuf_cache, 256);
	assert_int_equal(c.ports[0].rx_descriptors, 1024);
	assert_int_equal(c.ports[1].tx_descriptors, 1024);
	assert_true(c.ports[0].exception);
	assert_false(c.ports[1].exception);
	assert_string_equal(c.ports[0].tap_name, "dpptp-access");
	assert_int_equal(c.lcores.nb_workers, 1);
	assert_int_equal(c.lcores.workers[0], 1);
	assert_int_equal(c.lcores.control, 0);
	/* 1 worker, 2 ports of 1024 + 1024, one tap, 3 rings of 4096, 2 caches
	 * of 256, 4096 spare: 21504, rounded up to 2^15 - 1. */
	assert_int_equal(c.dataplane.mbufs, 32767);
	dpptpd_config_free(&c);

	assert_int_equal(DPPTPD_MAX_PORTS, DP_MAX_PORTS);
	assert_int_equal(DPPTPD_MAX_WORKERS, DP_MAX_WORKERS);
	assert_true(DPPTPD_MAX_LCORE <= RTE_MAX_LCORE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ppp_defaults),
		cmocka_unit_test(test_pptp_defaults),
		cmocka_unit_test(test_dataplane_defaults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
