/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Whole sessions against the source documents: doc 000's veth trace from
 * the server's side, doc 003's IPCP address assignment, doc 000's
 * unanswered Configure-Requests over the E810 ports; and the owner's API
 * (close, lower layer down, set-up timeout, finishing once).
 */
#include <string.h>

#include "harness.h"
#include "ppp/ppp_internal.h"
#include "ppp/ppp_random.h"
#include "proto/wire.h"

/*
 * Doc 000, frames 11-28, authentication off. Our Configure-Request goes
 * first (the engine speaks as soon as the call is up); the rest follows the
 * trace's order: LCP both ways; IPCP Reject (of VJ compression), CCP Reject
 * (of the client's MPPE offer), IPCP Ack, IPCP Nak (the address), CCP Ack
 * both ways, IPCP Ack.
 */
static void test_doc000_veth_trace(void **state)
{
	static const uint8_t our_lcp_head[] = { 0x01, 0x04, 0x05, 0x78 }; /* MRU 1400 */
	static const uint8_t client_ipcp1[] = {
		0x02, 0x06, 0x00, 0x2D, 0x0F, 0x01, /* VJ, max slot 15, comp slot 1 */
		0x03, 0x06, 0x00, 0x00, 0x00, 0x00, /* IP-Address 0.0.0.0 */
	};
	static const uint8_t client_ccp1[] = { 0x12, 0x06, 0x01, 0x00, 0x00, 0x40 };
	static const uint8_t client_ipcp2[] = { 0x03, 0x06, 0x00, 0x00, 0x00, 0x00 };
	static const uint8_t client_ipcp3[] = { 0x03, 0x06, 100, 64, 0, 2 };
	static const uint8_t our_ipcp[] = { 0x03, 0x06, 100, 64, 0, 1 };
	struct harness h;
	struct ppp_cp_pkt p, our_lcp, our_ccp, our_ipcp_req;
	uint8_t saved[64];
	(void)state;

	h_init(&h);
	h.cfg.auth_methods = PPP_AUTH_NONE;
	h_new(&h);
	h_start(&h);
	assert_int_equal(ppp_session_phase(h.s), PPP_PHASE_ESTABLISH);

	/* 12: our LCP Configure-Request: MRU 1400, Magic, PFC, ACFC; no auth. */
	our_lcp = h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ);
	assert_int_equal(our_lcp.data_len, 4 + 6 + 2 + 2);
	assert_memory_equal(our_lcp.data, our_lcp_head, 4);
	assert_int_equal(our_lcp.data[4], LCP_OPT_MAGIC);
	assert_int_not_equal(wire_get_be32(our_lcp.data + 6), 0);
	assert_memory_equal(our_lcp.data + 10, "\x07\x02\x08\x02", 4);
	memcpy(saved, our_lcp.data, our_lcp.data_len);

	/* 11 -> 13: the client's request (ACCM, Magic, PFC, ACFC) is acked as is. */
	h_send_cp(&h, PPP_LCP, PPP_CONF_REQ, 1, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	p = h_expect_cp(&h, PPP_LCP, PPP_CONF_ACK);
	assert_int_equal(p.id, 1);
	h_assert_opts(&p, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	h_expect_nothing(&h);

	/* 14: the client acks ours: LCP is open, no authentication: Network phase. */
	h_send_cp(&h, PPP_LCP, PPP_CONF_ACK, our_lcp.id, saved, our_lcp.data_len);
	assert_int_equal(ppp_session_phase(h.s), PPP_PHASE_NETWORK);

	/* 16, 17: our CCP (empty: encryption off) and IPCP requests, FF 03 dropped (ACFC). */
	assert_int_equal(h.out[h.next].data[0], 0x80);
	our_ccp = h_expect_cp(&h, PPP_CCP, PPP_CONF_REQ);
	assert_int_equal(our_ccp.data_len, 0);
	assert_int_equal(h.out[h.next].data[0], 0x80);
	our_ipcp_req = h_expect_cp(&h, PPP_IPCP, PPP_CONF_REQ);
	h_assert_opts(&our_ipcp_req, our_ipcp, sizeof(our_ipcp));

	/* 15 -> 18: the client's IPCP request with VJ: Reject of VJ alone. */
	h_send_cp(&h, PPP_IPCP, PPP_CONF_REQ, 1, client_ipcp1, sizeof(client_ipcp1));
	p = h_expect_cp(&h, PPP_IPCP, PPP_CONF_REJ);
	assert_int_equal(p.id, 1);
	h_assert_opts(&p, client_ipcp1, 6);

	/* 19 -> 20: the client offers MPPE in CCP: rejected (no encryption). */
	h_send_cp(&h, PPP_CCP, PPP_CONF_REQ, 1, client_ccp1, sizeof(client_ccp1));
	p = h_expect_cp(&h, PPP_CCP, PPP_CONF_REJ);
	h_assert_opts(&p, client_ccp1, sizeof(client_ccp1));

	/* 21: the client acks our IPCP request. */
	h_send_cp(&h, PPP_IPCP, PPP_CONF_ACK, our_ipcp_req.id, our_ipcp, sizeof(our_ipcp));
	h_expect_nothing(&h);

	/* 22 -> 25: revised request with 0.0.0.0: Nak with the pool's first address. */
	h_send_cp(&h, PPP_IPCP, PPP_CONF_REQ, 2, client_ipcp2, sizeof(client_ipcp2));
	p = h_expect_cp(&h, PPP_IPCP, PPP_CONF_NAK);
	assert_int_equal(p.id, 2);
	h_assert_opts(&p, client_ipcp3, sizeof(client_ipcp3));

	/* 23, 26: CCP with nothing in it, both ways. */
	h_send_cp(&h, PPP_CCP, PPP_CONF_REQ, 2, NULL, 0);
	p = h_expect_cp(&h, PPP_CCP, PPP_CONF_ACK);
	assert_int_equal(p.data_len, 0);
	h_send_cp(&h, PPP_CCP, PPP_CONF_ACK, our_ccp.id, NULL, 0);
	assert_int_equal(h.net_up_calls, 0);

	/* 27 -> 28: the assigned address is acked; the network is up. */
	h_send_cp(&h, PPP_IPCP, PPP_CONF_REQ, 3, client_ipcp3, sizeof(client_ipcp3));
	p = h_expect_cp(&h, PPP_IPCP, PPP_CONF_ACK);
	h_assert_opts(&p, client_ipcp3, sizeof(client_ipcp3));
	h_expect_nothing(&h);

	assert_int_equal(h.net_up_calls, 1);
	assert_int_equal(h.net.peer_ip, h_ip(100, 64, 0, 2));
	assert_int_equal(h.net.local_ip, h_ip(100, 64, 0, 1));
	assert_int_equal(h.net.peer_mru, 1500); /* the client sent no MRU */
	assert_int_equal(h.net.local_mru, 1400);
	assert_int_equal(h.net.mtu, 1400);
	assert_true(h.net.peer_accepts_pfc);
	assert_true(h.net.peer_accepts_acfc);
	assert_int_equal(h.net.auth_method, PPP_AUTH_NONE);
	assert_string_equal(h.net.user, "");
	assert_false(h.net.keys->valid);
	assert_int_equal(h.net.dns[0], h_ip(8, 8, 8, 8));

	/* 29: data; it belongs to the data plane, the engine only counts it. */
	static const uint8_t data[] = { 0x21, 0x45, 0x00, 0x00, 0x14 };
	h_input(&h, data, sizeof(data));
	h_expect_nothing(&h);
	struct ppp_counters c = h_counters(&h);
	assert_int_equal(c.dropped[PPP_DROP_DATA], 1);
	assert_int_equal(c.rx_by_proto[PPP_PIDX_LCP], 2);
	assert_int_equal(c.rx_by_proto[PPP_PIDX_IPCP], 4);
	assert_int_equal(c.rx_by_proto[PPP_PIDX_CCP], 3);
	assert_int_equal(c.tx_by_proto[PPP_PIDX_LCP], 2);
	assert_int_equal(c.tx_by_proto[PPP_PIDX_IPCP], 4);
	assert_int_equal(c.tx_by_proto[PPP_PIDX_CCP], 3);
	assert_int_equal(c.malformed_total, 0);
	assert_int_equal(h.down_calls, 0);
	h_free(&h);
}

/* Doc 003: RA (us, 10.0.0.1) gives RB (asking 0.0.0.0) 10.0.0.5: Nak, then Ack. */
static void test_doc003_ipcp_assignment(void **state)
{
	static const uint8_t rb_zero[] = { 0x03, 0x06, 0x00, 0x00, 0x00, 0x00 };
	static const uint8_t nak_10_0_0_5[] = { 0x03, 0x06, 0x0A, 0x00, 0x00, 0x05 };
	static const uint8_t ra_10_0_0_1[] = { 0x03, 0x06, 0x0A, 0x00, 0x00, 0x01 };
	struct harness h;
	struct ip_range r;
	char err[128];
	(void)state;

	h_init(&h);
	ip_pool_free(h.pool);
	assert_int_equal(ip_range_parse("10.0.0.5-10.0.0.254", &r), 0);
	h.pool = ip_pool_create(&r, 1, NULL, 0, err, sizeof(err));
	h.cfg.pool = h.pool;
	h.cfg.local_ip = h_ip(10, 0, 0, 1);
	h.cfg.dns[0] = h.cfg.dns[1] = 0;
	h.cfg.auth_methods = PPP_AUTH_NONE;
	h_new(&h);
	h_open_lcp(&h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	h_expect_cp(&h, PPP_CCP, PPP_CONF_REQ);
	/* O CONFREQ id 1 len 10: Address 10.0.0.1 (0x03060A000001) */
	struct ppp_cp_pkt ours = h_expect_cp(&h, PPP_IPCP, PPP_CONF_REQ);
	assert_int_equal(ours.length, 10);
	h_assert_opts(&ours, ra_10_0_0_1, sizeof(ra_10_0_0_1));
	/* I CONFREQ id 1: Address 0.0.0.0 -> O CONFNAK id 1 len 10: Address 10.0.0.5 */
	h_send_cp(&h, PPP_IPCP, PPP_CONF_REQ, 1, rb_zero, sizeof(rb_zero));
	struct ppp_cp_pkt nak = h_expect_cp(&h, PPP_IPCP, PPP_CONF_NAK);
	assert_int_equal(nak.id, 1);
	assert_int_equal(nak.length, 10);
	h_assert_opts(&nak, nak_10_0_0_5, sizeof(nak_10_0_0_5));
	/* I CONFACK id 1: Address 10.0.0.1 */
	h_send_cp(&h, PPP_IPCP, PPP_CONF_ACK, ours.id, ra_10_0_0_1, sizeof(ra_10_0_0_1));
	/* I CONFREQ id 2: Address 10.0.0.5 -> O CONFACK id 2 */
	h_send_cp(&h, PPP_IPCP, PPP_CONF_REQ, 2, nak_10_0_0_5, sizeof(nak_10_0_0_5));
	struct ppp_cp_pkt ack = h_expect_cp(&h, PPP_IPCP, PPP_CONF_ACK);
	assert_int_equal(ack.id, 2);
	h_assert_opts(&ack, nak_10_0_0_5, sizeof(nak_10_0_0_5));
	assert_int_equal(h.net_up_calls, 1);
	assert_int_equal(h.net.peer_ip, h_ip(10, 0, 0, 5));
	h_free(&h);
}

/* Doc 000 over the E810: Configure-Request every 3 s, exactly 10, then down. */
static void test_unanswered_peer(void **state)
{
	struct harness h;
	uint64_t t0;
	uint8_t first_id;
	(void)state;

	h_init(&h);
	h_new(&h);
	t0 = h.now;
	h_start(&h);
	first_id = h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ).id;
	for (int i = 1; i < 10; i++) {
		h_advance(&h, 2999);
		h_expect_nothing(&h);
		h_advance(&h, 1);
		assert_int_equal(h.now, t0 + 3000u * i);
		struct ppp_cp_pkt p = h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ);
		assert_int_equal(p.id, first_id); /* a retransmission */
	}
	h_advance(&h, 2999);
	assert_int_equal(h.down_calls, 0);
	h_advance(&h, 1);
	h_expect_nothing(&h);
	assert_int_equal(h.now, t0 + 30000);
	assert_int_equal(h.down_calls, 1);
	assert_int_equal(h.down_reason, PPP_REASON_NEGOTIATION_TIMEOUT);
	assert_true(ppp_session_finished(h.s));
	assert_int_equal(ppp_session_phase(h.s), PPP_PHASE_DEAD);
	assert_int_equal(ppp_session_next_deadline(h.s), UINT64_MAX);
	h_advance(&h, 100000);
	h_expect_nothing(&h);
	assert_int_equal(h.down_calls, 1);
	/* A late frame changes nothing. */
	h_send_cp(&h, PPP_LCP, PPP_CONF_REQ, 1, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	h_expect_nothing(&h);
	assert_int_equal(h_counters(&h).dropped[PPP_DROP_NOT_RUNNING], 1);
	h_free(&h);
}

/* The timers are configurable: 1 s restart, 3 requests. */
static void test_configurable_timers(void **state)
{
	struct harness h;
	(void)state;

	h_init(&h);
	h.cfg.restart_ms = 1000;
	h.cfg.max_configure = 3;
	h_new(&h);
	h_start(&h);
	h_advance(&h, 10000);
	assert_int_equal(h_pending(&h), 3);
	assert_int_equal(h.down_calls, 1);
	h_free(&h);
}

/* ppp_session_close: Terminate-Request, network down, address back, down(ADMIN) once. */
static void test_close(void **state)
{
	struct harness h;
	struct ip_pool_stats before, after;
	(void)state;

	h_init(&h);
	h_new(&h);
	ip_pool_get_stats(h.pool, &before);
	h_authenticate(&h);
	uint32_t addr = h_open_ncps(&h);
	assert_true(ip_pool_in_use(h.pool, addr));
	ppp_session_close(h.s, h.now, PPP_REASON_ADMIN);
	struct ppp_cp_pkt tr = h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	assert_int_equal(h.net_down_calls, 1);
	assert_int_equal(ppp_session_phase(h.s), PPP_PHASE_TERMINATE);
	assert_int_equal(h.down_calls, 0);
	assert_false(ip_pool_in_use(h.pool, addr));
	h_send_cp(&h, PPP_LCP, PPP_TERM_ACK, tr.id, NULL, 0);
	assert_int_equal(h.down_calls, 1);
	assert_int_equal(h.down_reason, PPP_REASON_ADMIN);
	ip_pool_get_stats(h.pool, &after);
	assert_int_equal(after.free, before.free);
	/* Closing again, ticking, input: nothing more. */
	ppp_session_close(h.s, h.now, PPP_REASON_ADMIN);
	h_advance(&h, 60000);
	h_expect_nothing(&h);
	assert_int_equal(h.down_calls, 1);
	h_free(&h);
}

/* Close with an unresponsive peer: Max-Terminate (2) requests, then down. */
static void test_close_unanswered(void **state)
{
	struct harness h;
	(void)state;

	h_init(&h);
	h_new(&h);
	h_authenticate(&h);
	h_open_ncps(&h);
	ppp_session_close(h.s, h.now, PPP_REASON_ADMIN);
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_advance(&h, 3000);
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	assert_int_equal(h.down_calls, 0);
	h_advance(&h, 3000);
	h_expect_nothing(&h);
	assert_int_equal(h.down_calls, 1);
	assert_int_equal(h.down_reason, PPP_REASON_ADMIN);
	h_free(&h);
}

/* The PPTP call is cleared: no frames, down at once. */
static void test_lower_down(void **state)
{
	struct harness h;
	(void)state;

	h_init(&h);
	h_new(&h);
	h_authenticate(&h);
	uint32_t addr = h_open_ncps(&h);
	ppp_session_lower_down(h.s, h.now, PPP_REASON_LOWER_DOWN);
	h_expect_nothing(&h);
	assert_int_equal(h.net_down_calls, 1);
	assert_int_equal(h.down_calls, 1);
	assert_int_equal(h.down_reason, PPP_REASON_LOWER_DOWN);
	assert_false(ip_pool_in_use(h.pool, addr));
	assert_int_equal(ppp_session_next_deadline(h.s), UINT64_MAX);
	h_free(&h);
}

/* Closing a session never started, or freeing one mid-way, is clean. */
static void test_close_before_start_and_free(void **state)
{
	struct harness h;
	(void)state;

	h_init(&h);
	h_new(&h);
	ppp_session_close(h.s, h.now, PPP_REASON_ADMIN);
	assert_int_equal(h.down_calls, 1);
	assert_int_equal(h.down_reason, PPP_REASON_ADMIN);
	h_start(&h); /* too late */
	h_expect_nothing(&h);
	ppp_session_free(h.s);

	h_new(&h);
	h_authenticate(&h);
	uint32_t addr = h_open_ncps(&h);
	ppp_session_free(h.s); /* without close: the address still goes back */
	h.s = NULL;
	assert_false(ip_pool_in_use(h.pool, addr));
	h_free(&h);
}

/* The whole set-up is bounded: IPCP that never completes ends the session. */
static void test_setup_timeout(void **state)
{
	struct harness h;
	(void)state;

	h_init(&h);
	h.cfg.setup_timeout_ms = 10000;
	h_new(&h);
	h_authenticate(&h);
	h_advance(&h, 9999);
	assert_int_equal(h.down_calls, 0);
	h.next = h.n_out; /* ignore the NCP retransmissions */
	h_advance(&h, 1);
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_advance(&h, 6000);
	assert_int_equal(h.down_calls, 1);
	assert_int_equal(h.down_reason, PPP_REASON_NEGOTIATION_TIMEOUT);
	h_free(&h);
}

/* Configuration errors are refused with a reason. */
static void test_config_validation(void **state)
{
	struct ppp_config c;
	char err[128];
	(void)state;

	ppp_config_default(&c);
	assert_int_equal(c.mru, 1400);
	assert_int_equal(c.restart_ms, 3000);
	assert_int_equal(c.max_configure, 10);
	assert_int_equal(c.max_terminate, 2);
	assert_int_equal(c.max_failure, 5);
	assert_int_equal(c.auth_methods, PPP_AUTH_MSCHAPV2);
	assert_int_equal(ppp_config_validate(&c, err, sizeof(err)), -1); /* no backend */
	c.auth_methods = 0;
	assert_int_equal(ppp_config_validate(&c, err, sizeof(err)), 0);
	c.mru = 1437;
	assert_int_equal(ppp_config_validate(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "mru"));
	c.mru = 1436;
	c.mtu = 1500;
	assert_int_equal(ppp_config_validate(&c, err, sizeof(err)), -1);
	c.mtu = 1400;
	c.max_configure = 0;
	assert_int_equal(ppp_config_validate(&c, err, sizeof(err)), -1);

	struct ppp_hooks hooks = { 0 };
	c.max_configure = 10;
	assert_null(ppp_session_new(&c, &hooks, NULL)); /* no send hook */
}

/* A random source that fails ends the session instead of using guessable values. */
static void test_random_failure(void **state)
{
	struct harness h;
	(void)state;

	h_init(&h);
	h_new(&h);
	h.rand_fail = true;
	h_start(&h);
	h_advance(&h, 10000);
	assert_int_equal(h.down_calls, 1);
	assert_int_equal(h.down_reason, PPP_REASON_INTERNAL_ERROR);
	h_free(&h);
}

/* Without a random hook, getrandom() provides magic numbers and challenges. */
static void test_default_random(void **state)
{
	struct harness h;
	uint8_t a[32] = { 0 }, b[32] = { 0 };
	(void)state;

	assert_int_equal(ppp_random_bytes(a, sizeof(a)), 0);
	assert_int_equal(ppp_random_bytes(b, sizeof(b)), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	h_init(&h);
	h.hooks.random = NULL;
	h_new(&h);
	h_open_lcp(&h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	assert_int_not_equal(h.s->lcp.magic, 0);
	struct chap_pkt c = h_expect_chap(&h, CHAP_CHALLENGE);
	assert_int_equal(c.value_size, 16);
	h_free(&h);
}

/* The owner may free the session from inside hooks->down. */
static void down_and_free(void *owner, enum ppp_reason reason)
{
	struct harness *h = owner;

	h->down_calls++;
	h->down_reason = reason;
	ppp_session_free(h->s);
	h->s = NULL;
}

static void test_free_inside_down(void **state)
{
	struct harness h;
	(void)state;

	h_init(&h);
	h.hooks.down = down_and_free;
	h_new(&h);
	h_start(&h);
	h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ);
	ppp_session_lower_down(h.s, h.now, PPP_REASON_LOWER_DOWN);
	assert_null(h.s);
	assert_int_equal(h.down_calls, 1);
	h_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc000_veth_trace),
		cmocka_unit_test(test_doc003_ipcp_assignment),
		cmocka_unit_test(test_unanswered_peer),
		cmocka_unit_test(test_configurable_timers),
		cmocka_unit_test(test_close),
		cmocka_unit_test(test_close_unanswered),
		cmocka_unit_test(test_lower_down),
		cmocka_unit_test(test_close_before_start_and_free),
		cmocka_unit_test(test_setup_timeout),
		cmocka_unit_test(test_config_validation),
		cmocka_unit_test(test_random_failure),
		cmocka_unit_test(test_default_random),
		cmocka_unit_test(test_free_inside_down),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
