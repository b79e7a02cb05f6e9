/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPCP (RFC 1332, RFC 1877) and the address the subscriber gets: DNS and
 * NBNS, rejected options, static addresses, address lists, pool exhaustion
 * harming no other session; and the CCP hook MPPE will use.
 */
#include <string.h>

#include "harness.h"
#include "ppp/ppp_internal.h"
#include "proto/wire.h"

static void put_addr(uint8_t *opt, uint8_t type, uint32_t addr)
{
	opt[0] = type;
	opt[1] = 6;
	wire_put_be32(opt + 2, addr);
}

/* Up to the Network phase, our CCP and IPCP requests answered. */
static void to_network(struct harness *h)
{
	h_authenticate(h);
	struct ppp_cp_pkt ccp = h_expect_cp(h, PPP_CCP, PPP_CONF_REQ);
	struct ppp_cp_pkt ipcp = h_expect_cp(h, PPP_IPCP, PPP_CONF_REQ);
	h_send_cp(h, PPP_CCP, PPP_CONF_ACK, ccp.id, ccp.data, ccp.data_len);
	h_send_cp(h, PPP_IPCP, PPP_CONF_ACK, ipcp.id, ipcp.data, ipcp.data_len);
	h_send_cp(h, PPP_CCP, PPP_CONF_REQ, 1, NULL, 0);
	h_expect_cp(h, PPP_CCP, PPP_CONF_ACK);
}

static void test_dns_nbns_and_rejects(void **state)
{
	uint8_t req[64], want[64];
	struct harness h;
	struct ppp_cp_pkt p;
	(void)state;

	h_init(&h);
	h_new(&h);
	to_network(&h);
	/* VJ, the old IP-Addresses, address 0, DNS 0/0, NBNS 0 (not configured). */
	static const uint8_t vj[] = { 0x02, 0x06, 0x00, 0x2D, 0x0F, 0x01 };
	static const uint8_t addrs[] = { 0x01, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0 };
	size_t n = 0;
	memcpy(req + n, vj, sizeof(vj)), n += sizeof(vj);
	memcpy(req + n, addrs, sizeof(addrs)), n += sizeof(addrs);
	put_addr(req + n, IPCP_OPT_ADDRESS, 0), n += 6;
	put_addr(req + n, IPCP_OPT_DNS1, 0), n += 6;
	put_addr(req + n, IPCP_OPT_NBNS1, 0), n += 6;
	put_addr(req + n, IPCP_OPT_DNS2, 0), n += 6;
	h_send_cp(&h, PPP_IPCP, PPP_CONF_REQ, 1, req, n);
	p = h_expect_cp(&h, PPP_IPCP, PPP_CONF_REJ);
	n = 0;
	memcpy(want + n, vj, sizeof(vj)), n += sizeof(vj);
	memcpy(want + n, addrs, sizeof(addrs)), n += sizeof(addrs);
	put_addr(want + n, IPCP_OPT_NBNS1, 0), n += 6;
	h_assert_opts(&p, want, n);

	/* Without the rejected ones: Nak with the address and both DNS servers. */
	n = 0;
	put_addr(req + n, IPCP_OPT_ADDRESS, 0), n += 6;
	put_addr(req + n, IPCP_OPT_DNS1, 0), n += 6;
	put_addr(req + n, IPCP_OPT_DNS2, h_ip(1, 1, 1, 1)), n += 6; /* a wrong one */
	h_send_cp(&h, PPP_IPCP, PPP_CONF_REQ, 2, req, n);
	p = h_expect_cp(&h, PPP_IPCP, PPP_CONF_NAK);
	uint32_t addr = wire_get_be32(h_opt(&p, IPCP_OPT_ADDRESS).val);
	assert_int_equal(addr, h_ip(100, 64, 0, 2));
	n = 0;
	put_addr(want + n, IPCP_OPT_ADDRESS, addr), n += 6;
	put_addr(want + n, IPCP_OPT_DNS1, h_ip(8, 8, 8, 8)), n += 6;
	put_addr(want + n, IPCP_OPT_DNS2, h_ip(8, 8, 4, 4)), n += 6;
	h_assert_opts(&p, want, n);

	h_send_cp(&h, PPP_IPCP, PPP_CONF_REQ, 3, want, n);
	p = h_expect_cp(&h, PPP_IPCP, PPP_CONF_ACK);
	h_assert_opts(&p, want, n);
	assert_int_equal(h.net_up_calls, 1);
	h_free(&h);
}

/* A peer silent about its address gets it suggested in a Nak (RFC 1332 3.3). */
static void test_missing_address_suggested(void **state)
{
	uint8_t req[8];
	struct harness h;
	(void)state;

	h_init(&h);
	h.cfg.nbns[0] = h_ip(10, 0, 0, 53);
	h_new(&h);
	to_network(&h);
	put_addr(req, IPCP_OPT_NBNS1, h_ip(10, 0, 0, 53));
	h_send_cp(&h, PPP_IPCP, PPP_CONF_REQ, 1, req, 6);
	struct ppp_cp_pkt p = h_expect_cp(&h, PPP_IPCP, PPP_CONF_NAK);
	assert_int_equal(p.data_len, 6);
	assert_int_equal(wire_get_be32(h_opt(&p, IPCP_OPT_ADDRESS).val), h_ip(100, 64, 0, 2));
	h_free(&h);
}

/* A peer asking for an address that is not its own gets its own (no list in secrets). */
static void test_wrong_address_naked(void **state)
{
	uint8_t req[8];
	struct harness h;
	(void)state;

	h_init(&h);
	h_new(&h);
	to_network(&h);
	put_addr(req, IPCP_OPT_ADDRESS, h_ip(100, 64, 0, 99));
	h_send_cp(&h, PPP_IPCP, PPP_CONF_REQ, 1, req, 6);
	struct ppp_cp_pkt p = h_expect_cp(&h, PPP_IPCP, PPP_CONF_NAK);
	assert_int_equal(wire_get_be32(h_opt(&p, IPCP_OPT_ADDRESS).val), h_ip(100, 64, 0, 2));
	assert_false(ip_pool_in_use(h.pool, h_ip(100, 64, 0, 99)));
	h_free(&h);
}

/* A peer that insists on an address it may not have is not let in (no Reject). */
static void test_insisting_on_address(void **state)
{
	uint8_t req[8];
	struct harness h;
	(void)state;

	h_init(&h);
	h_new(&h);
	to_network(&h);
	put_addr(req, IPCP_OPT_ADDRESS, h_ip(100, 64, 0, 99));
	for (int i = 0; i < 5; i++) {
		h_send_cp(&h, PPP_IPCP, PPP_CONF_REQ, (uint8_t)i, req, 6);
		h_expect_cp(&h, PPP_IPCP, PPP_CONF_NAK);
	}
	h_send_cp(&h, PPP_IPCP, PPP_CONF_REQ, 9, req, 6);
	h_expect_cp(&h, PPP_IPCP, PPP_CONF_REJ); /* what Max-Failure makes of it, then: */
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_advance(&h, 6000);
	assert_int_equal(h.down_reason, PPP_REASON_ADDRESS_CONFLICT);
	assert_int_equal(h.net_up_calls, 0);
	h_free(&h);
}

/* A second harness on the first one's pool and credentials. */
static void share(struct harness *h2, struct harness *h)
{
	h_init(h2);
	h2->cfg.pool = h->pool;
	h2->cfg.auth_backend = h->cfg.auth_backend;
}

/* A static address from the secrets file; the same user twice cannot both have it. */
static void test_static_address(void **state)
{
	struct harness h, h2;
	(void)state;

	h_init(&h);
	h_secrets(&h, "lab pptpd lab-secret 100.64.50.50\n");
	h_new(&h);
	h_authenticate(&h);
	assert_int_equal(h_open_ncps(&h), h_ip(100, 64, 50, 50));
	assert_true(ip_pool_in_use(h.pool, h_ip(100, 64, 50, 50)));

	share(&h2, &h);
	h_new(&h2);
	h_authenticate(&h2);
	h_expect_cp(&h2, PPP_LCP, PPP_TERM_REQ);
	h_advance(&h2, 6000);
	assert_int_equal(h2.down_reason, PPP_REASON_ADDRESS_CONFLICT);
	/* The first session did not notice. */
	h_expect_nothing(&h);
	assert_int_equal(h.down_calls, 0);
	assert_true(ip_pool_in_use(h.pool, h_ip(100, 64, 50, 50)));
	h_free(&h2);
	h_free(&h);
}

/* Outside the pool's ranges a static address is still given to one session only. */
static void test_static_outside_pool(void **state)
{
	struct harness h, h2;
	(void)state;

	h_init(&h);
	h_secrets(&h, "lab pptpd lab-secret 198.18.0.7\n");
	h_new(&h);
	h_authenticate(&h);
	assert_int_equal(h_open_ncps(&h), h_ip(198, 18, 0, 7));
	share(&h2, &h);
	h_new(&h2);
	h_authenticate(&h2);
	h_expect_cp(&h2, PPP_LCP, PPP_TERM_REQ);
	ppp_session_close(h.s, h.now, PPP_REASON_ADMIN);
	assert_false(ip_pool_in_use(h.pool, h_ip(198, 18, 0, 7)));
	h_free(&h2);
	h_free(&h);
}

/* An address list lets the peer keep an address it asks for, inside the list only. */
static void test_address_list(void **state)
{
	uint8_t req[8];
	struct harness h;
	struct ppp_cp_pkt p;
	(void)state;

	h_init(&h);
	h_secrets(&h, "lab pptpd lab-secret 100.64.100.0/24 198.18.1.1\n");
	h_new(&h);
	to_network(&h);
	put_addr(req, IPCP_OPT_ADDRESS, h_ip(100, 64, 200, 1)); /* outside the list */
	h_send_cp(&h, PPP_IPCP, PPP_CONF_REQ, 1, req, 6);
	p = h_expect_cp(&h, PPP_IPCP, PPP_CONF_NAK);
	assert_int_equal(wire_get_be32(h_opt(&p, IPCP_OPT_ADDRESS).val), h_ip(100, 64, 0, 2));
	put_addr(req, IPCP_OPT_ADDRESS, h_ip(100, 64, 100, 9)); /* inside */
	h_send_cp(&h, PPP_IPCP, PPP_CONF_REQ, 2, req, 6);
	h_expect_cp(&h, PPP_IPCP, PPP_CONF_ACK);
	assert_int_equal(h.net.peer_ip, h_ip(100, 64, 100, 9));
	assert_true(ip_pool_in_use(h.pool, h_ip(100, 64, 100, 9)));
	assert_false(ip_pool_in_use(h.pool, h_ip(100, 64, 0, 2))); /* the pool's one went back */
	h_free(&h);
}

/* Two address options in one request (found by fuzz_ppp_session): the second
 * is rejected; the first is held, not acked away from under the session. */
static void test_address_twice(void **state)
{
	uint8_t req[12];
	struct harness h;
	(void)state;

	h_init(&h);
	h_secrets(&h, "lab pptpd lab-secret 100.64.100.0/24\n");
	h_new(&h);
	to_network(&h);
	put_addr(req, IPCP_OPT_ADDRESS, h_ip(100, 64, 100, 12));
	put_addr(req + 6, IPCP_OPT_ADDRESS, h_ip(100, 64, 100, 9));
	h_send_cp(&h, PPP_IPCP, PPP_CONF_REQ, 1, req, 12);
	struct ppp_cp_pkt p = h_expect_cp(&h, PPP_IPCP, PPP_CONF_REJ);
	assert_int_equal(p.data_len, 6);
	assert_int_equal(wire_get_be32(h_opt(&p, IPCP_OPT_ADDRESS).val), h_ip(100, 64, 100, 9));
	assert_true(ip_pool_in_use(h.pool, h_ip(100, 64, 100, 12)));
	assert_false(ip_pool_in_use(h.pool, h_ip(100, 64, 100, 9)));
	h_send_cp(&h, PPP_IPCP, PPP_CONF_REQ, 2, req, 6);
	h_expect_cp(&h, PPP_IPCP, PPP_CONF_ACK);
	assert_int_equal(h.net.peer_ip, h_ip(100, 64, 100, 12));
	h_free(&h);
}

/* "-" in the address column: the user may not have an address. */
static void test_address_denied(void **state)
{
	struct harness h;
	(void)state;

	h_init(&h);
	h_secrets(&h, "lab pptpd lab-secret -\n");
	h_new(&h);
	h_authenticate(&h);
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_advance(&h, 6000);
	assert_int_equal(h.down_reason, PPP_REASON_ADDRESS_CONFLICT);
	h_free(&h);
}

/* An exhausted pool fails that session alone, with an LCP Terminate. */
static void test_pool_exhausted(void **state)
{
	struct harness h, h2, h3;
	struct ip_range one = { h_ip(100, 64, 9, 1), h_ip(100, 64, 9, 1) };
	char err[128];
	(void)state;

	h_init(&h);
	ip_pool_free(h.pool);
	h.pool = ip_pool_create(&one, 1, NULL, 0, err, sizeof(err));
	h.cfg.pool = h.pool;
	h_new(&h);
	h_authenticate(&h);
	assert_int_equal(h_open_ncps(&h), h_ip(100, 64, 9, 1));

	share(&h2, &h);
	h_new(&h2);
	h_authenticate(&h2);
	h_expect_cp(&h2, PPP_LCP, PPP_TERM_REQ);
	h_expect_nothing(&h2); /* no IPCP at all */
	h_advance(&h2, 6000);
	assert_int_equal(h2.down_calls, 1);
	assert_int_equal(h2.down_reason, PPP_REASON_POOL_EXHAUSTED);
	h_expect_nothing(&h);
	assert_int_equal(h.down_calls, 0);
	assert_int_equal(h.net_down_calls, 0);

	/* The first leaves; the next one gets the address. */
	ppp_session_close(h.s, h.now, PPP_REASON_ADMIN);
	share(&h3, &h);
	h_new(&h3);
	h_authenticate(&h3);
	assert_int_equal(h_open_ncps(&h3), h_ip(100, 64, 9, 1));
	h_free(&h3);
	h_free(&h2);
	h_free(&h);
}

/* No pool and no static address: the session cannot get an address. */
static void test_no_pool(void **state)
{
	struct harness h;
	(void)state;

	h_init(&h);
	h.cfg.pool = NULL;
	h_new(&h);
	h_authenticate(&h);
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_advance(&h, 6000);
	assert_int_equal(h.down_reason, PPP_REASON_POOL_EXHAUSTED);
	h_free(&h);
}

/* The peer Naks our address (we keep it) or rejects it (we stop sending it). */
static void test_our_address(void **state)
{
	uint8_t opt[8];
	struct harness h;
	struct ppp_cp_pkt p;
	(void)state;

	h_init(&h);
	h_new(&h);
	h_authenticate(&h);
	h_expect_cp(&h, PPP_CCP, PPP_CONF_REQ);
	p = h_expect_cp(&h, PPP_IPCP, PPP_CONF_REQ);
	put_addr(opt, IPCP_OPT_ADDRESS, h_ip(10, 1, 1, 1));
	h_send_cp(&h, PPP_IPCP, PPP_CONF_NAK, p.id, opt, 6);
	p = h_expect_cp(&h, PPP_IPCP, PPP_CONF_REQ);
	assert_int_equal(wire_get_be32(h_opt(&p, IPCP_OPT_ADDRESS).val), h_ip(100, 64, 0, 1));
	h_send_cp(&h, PPP_IPCP, PPP_CONF_REJ, p.id, p.data, p.data_len);
	p = h_expect_cp(&h, PPP_IPCP, PPP_CONF_REQ);
	assert_int_equal(p.data_len, 0);
	h_free(&h);
}

/* The peer terminates IPCP: no network protocol left, the session ends. */
static void test_ipcp_terminated(void **state)
{
	struct harness h;
	(void)state;

	h_init(&h);
	h_new(&h);
	h_authenticate(&h);
	h_open_ncps(&h);
	h_send_cp(&h, PPP_IPCP, PPP_TERM_REQ, 5, NULL, 0);
	h_expect_cp(&h, PPP_IPCP, PPP_TERM_ACK);
	assert_int_equal(h.net_down_calls, 1);
	h_advance(&h, 3000);
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_advance(&h, 6000);
	assert_int_equal(h.down_reason, PPP_REASON_PEER_TERMINATE);
	h_free(&h);
}

/* ---- the CCP hook (what MPPE will plug in) ---- */

struct fake_mppe {
	int resets, ups, downs, reset_reqs;
	bool keys_valid;
	uint8_t send_key[16];
};

static void mppe_reset(void *ctx)
{
	((struct fake_mppe *)ctx)->resets++;
}

static void mppe_add(void *ctx, struct ppp_cp_writer *w)
{
	(void)ctx;
	ppp_cp_put_opt_u32(w, CCP_OPT_MPPE, 0x01000040); /* stateless, 128-bit */
}

static enum ppp_opt_verdict mppe_req_opt(void *ctx, const struct ppp_opt *o,
					 struct ppp_cp_writer *nak)
{
	(void)ctx;
	if (o->type != CCP_OPT_MPPE)
		return PPP_OPT_REJ;
	if (wire_get_be32(o->val) == 0x01000040)
		return PPP_OPT_ACK;
	ppp_cp_put_opt_u32(nak, CCP_OPT_MPPE, 0x01000040);
	return PPP_OPT_NAK;
}

static int mppe_nak(void *ctx, const uint8_t *o, size_t l)
{
	(void)ctx, (void)o, (void)l;
	return 0;
}

static void mppe_up(void *ctx, const struct ppp_auth_keys *k)
{
	struct fake_mppe *m = ctx;

	m->ups++;
	m->keys_valid = k->valid;
	memcpy(m->send_key, k->send_key, 16);
}

static void mppe_down(void *ctx)
{
	((struct fake_mppe *)ctx)->downs++;
}

static void mppe_reset_req(void *ctx, uint8_t id, const uint8_t *d, size_t l)
{
	(void)id, (void)d, (void)l;
	((struct fake_mppe *)ctx)->reset_reqs++;
}

static const struct ppp_ccp_hook mppe_hook = {
	.reset = mppe_reset,
	.add_opts = mppe_add,
	.req_opt = mppe_req_opt,
	.got_nak = mppe_nak,
	.got_rej = mppe_nak,
	.up = mppe_up,
	.down = mppe_down,
	.reset_request = mppe_reset_req,
	.required = true,
};

static void test_ccp_hook(void **state)
{
	static const uint8_t mppe128[] = { 0x12, 0x06, 0x01, 0x00, 0x00, 0x40 };
	static const uint8_t mppe40[] = { 0x12, 0x06, 0x00, 0x00, 0x00, 0x20 };
	struct fake_mppe m = { 0 };
	struct harness h;
	struct ppp_cp_pkt p;
	(void)state;

	h_init(&h);
	h_new(&h);
	ppp_session_set_ccp_hook(h.s, &mppe_hook, &m);
	h_authenticate(&h);
	p = h_expect_cp(&h, PPP_CCP, PPP_CONF_REQ);
	h_assert_opts(&p, mppe128, sizeof(mppe128));
	h_expect_cp(&h, PPP_IPCP, PPP_CONF_REQ);
	assert_int_equal(m.resets, 1);
	h_send_cp(&h, PPP_CCP, PPP_CONF_ACK, p.id, p.data, p.data_len);
	h_send_cp(&h, PPP_CCP, PPP_CONF_REQ, 1, mppe40, sizeof(mppe40));
	struct ppp_cp_pkt nak = h_expect_cp(&h, PPP_CCP, PPP_CONF_NAK);
	h_assert_opts(&nak, mppe128, sizeof(mppe128));
	h_send_cp(&h, PPP_CCP, PPP_CONF_REQ, 2, mppe128, sizeof(mppe128));
	h_expect_cp(&h, PPP_CCP, PPP_CONF_ACK);
	assert_int_equal(m.ups, 1);
	assert_true(m.keys_valid); /* MS-CHAPv2's keys reach MPPE */
	assert_memory_equal(m.send_key, h.s->auth.result.keys.send_key, 16);
	h_send_cp(&h, PPP_CCP, PPP_RESET_REQ, 3, NULL, 0);
	assert_int_equal(m.reset_reqs, 1);
	ppp_session_lower_down(h.s, h.now, PPP_REASON_LOWER_DOWN);
	assert_int_equal(m.downs, 1);
	h_free(&h);
}

/* A required hook whose CCP cannot open ends the session. */
static void test_ccp_hook_required(void **state)
{
	struct fake_mppe m = { 0 };
	struct harness h;
	uint8_t data[8];
	(void)state;

	h_init(&h);
	h_new(&h);
	ppp_session_set_ccp_hook(h.s, &mppe_hook, &m);
	h_authenticate(&h);
	h.next = h.n_out;
	wire_put_be16(data, PPP_CCP);
	memset(data + 2, 0, 6);
	h_send_cp(&h, PPP_LCP, PPP_PROTO_REJ, 9, data, sizeof(data));
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_advance(&h, 6000);
	assert_int_equal(h.down_reason, PPP_REASON_NEGOTIATION_FAILED);
	h_free(&h);
}

/* Without a hook, a peer's Nak asking us for MPPE leads nowhere: CCP gives up, IP flows. */
static void test_ccp_nak_without_hook(void **state)
{
	static const uint8_t mppe128[] = { 0x12, 0x06, 0x01, 0x00, 0x00, 0x40 };
	struct harness h;
	struct ppp_cp_pkt p;
	(void)state;

	h_init(&h);
	h_new(&h);
	h_authenticate(&h);
	p = h_expect_cp(&h, PPP_CCP, PPP_CONF_REQ);
	h.next = h.n_out;
	for (int i = 0; i < 6; i++) {
		h_send_cp(&h, PPP_CCP, PPP_CONF_NAK, p.id, mppe128, sizeof(mppe128));
		if (i < 5)
			p = h_expect_cp(&h, PPP_CCP, PPP_CONF_REQ);
	}
	h_expect_cp(&h, PPP_CCP, PPP_TERM_REQ);
	h_advance(&h, 6000);
	assert_int_equal(h.down_calls, 0);
	assert_int_equal(ppp_session_phase(h.s), PPP_PHASE_NETWORK);
	h_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dns_nbns_and_rejects),
		cmocka_unit_test(test_missing_address_suggested),
		cmocka_unit_test(test_wrong_address_naked),
		cmocka_unit_test(test_insisting_on_address),
		cmocka_unit_test(test_static_address),
		cmocka_unit_test(test_static_outside_pool),
		cmocka_unit_test(test_address_list),
		cmocka_unit_test(test_address_twice),
		cmocka_unit_test(test_address_denied),
		cmocka_unit_test(test_pool_exhausted),
		cmocka_unit_test(test_no_pool),
		cmocka_unit_test(test_our_address),
		cmocka_unit_test(test_ipcp_terminated),
		cmocka_unit_test(test_ccp_hook),
		cmocka_unit_test(test_ccp_hook_required),
		cmocka_unit_test(test_ccp_nak_without_hook),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
