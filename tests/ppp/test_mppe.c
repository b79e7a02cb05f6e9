/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MPPE negotiation through CCP option 18 (RFC 3078 2, RFC 1962) against
 * scripted peers: a Windows 10 client (stateless 128-bit, 0x01000040), older
 * Windows offering several key lengths and MPPC, pppd with mppe-stateful
 * (0x00000040), peers that only do 40/56-bit or only MPPC, peers that refuse
 * CCP; the network held until CCP opens, the MTU, the start keys (RFC 3079
 * 3.5.3's vectors through a whole MS-CHAPv2 exchange on RFC 2759 9.2's),
 * Reset-Request/Reset-Ack and the resync API. Expected bytes are written from
 * the RFCs, never captured from the engine.
 */
#include <string.h>

#include "harness.h"
#include "ppp/mschapv2_crypto.h"
#include "ppp/ppp_internal.h"
#include "proto/wire.h"

/* RFC 2759 9.2. */
static const uint8_t AUTH_CHALLENGE[16] = { 0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E,
					    0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28 };
static const uint8_t PEER_CHALLENGE[16] = { 0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A,
					    0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C, 0x7E };
static const uint8_t NT_RESPONSE[24] = { 0x82, 0x30, 0x9E, 0xCD, 0x8D, 0x70, 0x8B, 0x5E,
					 0xA0, 0x8F, 0xAA, 0x39, 0x81, 0xCD, 0x83, 0x54,
					 0x42, 0x33, 0x11, 0x4A, 0x3D, 0x85, 0xD6, 0xDF };
/* RFC 3079 3.5.3: MasterKey and the 128-bit SendStartKey (the server's send key). */
static const uint8_t MASTER_KEY[16] = { 0xFD, 0xEC, 0xE3, 0x71, 0x7A, 0x8C, 0x83, 0x8C,
					0xB3, 0x88, 0xE5, 0x27, 0xAE, 0x3C, 0xDD, 0x31 };
static const uint8_t SEND_KEY[16] = { 0x8B, 0x7C, 0xDC, 0x14, 0x9B, 0x99, 0x3A, 0x1B,
				      0xA1, 0x18, 0xCB, 0x15, 0x3F, 0x56, 0xDC, 0xCB };
/* SHA1(MasterKey | 40 x 00 | Magic2 | 40 x F2)[0..15], computed with pycryptodome. */
static const uint8_t RECV_KEY[16] = { 0xD5, 0xF0, 0xE9, 0x52, 0x1E, 0x3E, 0xA9, 0x58,
				      0x96, 0x45, 0xE8, 0x60, 0x51, 0xC8, 0x22, 0x26 };

#define H_BIT 0x01000000u
#define S_BIT 0x00000040u
#define L_BIT 0x00000020u
#define M_BIT 0x00000080u
#define C_BIT 0x00000001u
#define D_BIT 0x00000010u

/* Option 18 with `val`. */
static size_t opt18(uint8_t *buf, uint32_t val)
{
	buf[0] = CCP_OPT_MPPE;
	buf[1] = 6;
	wire_put_be32(buf + 2, val);
	return 6;
}

static void send_ccp18(struct harness *h, uint8_t code, uint8_t id, uint32_t val)
{
	uint8_t o[6];

	h_send_cp(h, PPP_CCP, code, id, o, opt18(o, val));
}

/* The packet is exactly option 18 with `val`. */
static void assert_opt18(const struct ppp_cp_pkt *p, uint32_t val)
{
	uint8_t o[6];

	h_assert_opts(p, o, opt18(o, val));
}

static void setup(struct harness *h, enum ppp_mppe_policy policy, unsigned bits, bool stateless)
{
	h_init(h);
	h_secrets(h, "User pptpd clientPass *\n");
	h->cfg.mppe.policy = policy;
	h->cfg.mppe.bits = bits;
	h->cfg.mppe.stateless = stateless;
	h_new(h);
}

static void send_rfc_response(struct harness *h, uint8_t id)
{
	struct mschapv2_response r;
	uint8_t value[MSCHAPV2_RESPONSE_LEN], pkt[128];
	int n;

	memset(&r, 0, sizeof(r));
	memcpy(r.peer_challenge, PEER_CHALLENGE, 16);
	memcpy(r.nt_response, NT_RESPONSE, 24);
	mschapv2_response_write(value, &r);
	n = chap_build_value(pkt, sizeof(pkt), CHAP_RESPONSE, id, value, sizeof(value), "User", 4);
	assert_true(n > 0);
	h_send(h, PPP_CHAP, pkt, (size_t)n);
}

/*
 * LCP up and MS-CHAPv2 on RFC 2759's example (User / clientPass): returns
 * our first CCP and IPCP Configure-Requests, sent as the Network phase begins.
 */
static void auth_rfc(struct harness *h, struct ppp_cp_pkt *ccp, struct ppp_cp_pkt *ipcp)
{
	uint8_t script[4 + 1 + 16] = { 0x0A, 0x0B, 0x0C, 0x0D, 0x30 }; /* magic, CHAP id */
	struct chap_pkt c, s;

	memcpy(script + 5, AUTH_CHALLENGE, 16);
	h_rand_script(h, script, sizeof(script));
	h_open_lcp(h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	c = h_expect_chap(h, CHAP_CHALLENGE);
	assert_int_equal(c.value_size, 16);
	assert_memory_equal(c.value, AUTH_CHALLENGE, 16);
	send_rfc_response(h, c.id);
	s = h_expect_chap(h, CHAP_SUCCESS);
	assert_memory_equal(s.msg, "S=407A5589115FD0D6209F510FE9C04566932CDA56", 42);
	*ccp = h_expect_cp(h, PPP_CCP, PPP_CONF_REQ);
	*ipcp = h_expect_cp(h, PPP_IPCP, PPP_CONF_REQ);
}

/* The peer's side of IPCP: ack ours, ask 0.0.0.0, take the Nak'd address. */
static uint32_t open_ipcp(struct harness *h, const struct ppp_cp_pkt *ours)
{
	static const uint8_t want_any[] = { 0x03, 0x06, 0, 0, 0, 0 };
	struct ppp_cp_pkt nak;
	uint8_t addr_opt[6];
	uint32_t addr;

	h_send_cp(h, PPP_IPCP, PPP_CONF_ACK, ours->id, ours->data, ours->data_len);
	h_send_cp(h, PPP_IPCP, PPP_CONF_REQ, 0x21, want_any, sizeof(want_any));
	nak = h_expect_cp(h, PPP_IPCP, PPP_CONF_NAK);
	addr = wire_get_be32(h_opt(&nak, IPCP_OPT_ADDRESS).val);
	addr_opt[0] = IPCP_OPT_ADDRESS;
	addr_opt[1] = 6;
	wire_put_be32(addr_opt + 2, addr);
	h_send_cp(h, PPP_IPCP, PPP_CONF_REQ, 0x22, addr_opt, sizeof(addr_opt));
	h_expect_cp(h, PPP_IPCP, PPP_CONF_ACK);
	assert_int_equal(ppp_session_phase(h->s), PPP_PHASE_NETWORK);
	return addr;
}

/* The session ends with `reason`: LCP Terminate-Request now, down after Max-Terminate. */
static void expect_terminated(struct harness *h, enum ppp_reason reason)
{
	struct ppp_cp_pkt t = h_expect_cp(h, PPP_LCP, PPP_TERM_REQ);

	assert_int_equal(t.data_len, strlen(ppp_reason_text(reason)));
	assert_memory_equal(t.data, ppp_reason_text(reason), t.data_len);
	h_advance(h, 6000);
	assert_int_equal(h->down_calls, 1);
	assert_int_equal(h->down_reason, reason);
	assert_int_equal(h->net_up_calls, 0); /* never a clear network */
}

/* Both sides settle on `val` (the peer asks it, we ask it): MPPE on. */
static void agree(struct harness *h, const struct ppp_cp_pkt *ours, uint32_t val)
{
	struct ppp_cp_pkt p;

	send_ccp18(h, PPP_CONF_REQ, 0x51, val);
	p = h_expect_cp(h, PPP_CCP, PPP_CONF_ACK);
	assert_int_equal(p.id, 0x51);
	assert_opt18(ours, val);
	h_send_cp(h, PPP_CCP, PPP_CONF_ACK, ours->id, ours->data, ours->data_len);
	assert_true(h->s->ccp.up);
}

/* ---- Windows 10: 128-bit stateless both ways ---- */

static void test_windows10_require(void **state)
{
	struct harness h;
	struct ppp_cp_pkt ccp, ipcp, p;
	uint32_t addr;
	(void)state;

	setup(&h, PPP_MPPE_REQUIRE, PPP_MPPE_128, true);
	auth_rfc(&h, &ccp, &ipcp);
	/* Ours: the strongest allowed key length, one bit, and H (RFC 3078 2.1). */
	assert_opt18(&ccp, H_BIT | S_BIT);
	/* Windows answers CCP and IPCP in parallel; its request is 128-bit stateless. */
	send_ccp18(&h, PPP_CONF_REQ, 0x07, H_BIT | S_BIT);
	p = h_expect_cp(&h, PPP_CCP, PPP_CONF_ACK);
	assert_int_equal(p.id, 0x07);
	assert_opt18(&p, H_BIT | S_BIT);
	addr = open_ipcp(&h, &ipcp);
	/* IPCP is open, CCP is not: no network yet, whatever the peer sends. */
	assert_int_equal(h.net_up_calls, 0);
	assert_false(h.s->network_up);
	h_advance(&h, 1000);
	assert_int_equal(h.net_up_calls, 0);
	/* CCP opens: now the network, encrypted. */
	h_send_cp(&h, PPP_CCP, PPP_CONF_ACK, ccp.id, ccp.data, ccp.data_len);
	assert_int_equal(h.net_up_calls, 1);
	assert_int_equal(h.net.peer_ip, addr);
	assert_true(h.net.mppe);
	assert_int_equal(h.net.mppe_bits, 128);
	assert_true(h.net.mppe_stateless);
	assert_int_equal(h.net.mtu, 1396); /* 1400 - MPPE's 4 */
	/* RFC 3079 3.3: the server sends with MasterSendKey, receives with MasterReceiveKey. */
	assert_memory_equal(h.net.mppe_send_key, SEND_KEY, 16);
	assert_memory_equal(h.net.mppe_recv_key, RECV_KEY, 16);
	assert_memory_equal(h.net.keys->master_key, MASTER_KEY, 16);
	h_expect_nothing(&h);
	h_free(&h);
}

/* The peer's first request, and what we answer, with only 128-bit allowed. */
static void test_peer_requests_naked(void **state)
{
	static const struct {
		uint32_t val;
		const char *who;
	} asks[] = {
		{ H_BIT | M_BIT | S_BIT | L_BIT, "every key length" },
		{ H_BIT | S_BIT | L_BIT, "128 and 40" },
		{ H_BIT | S_BIT | L_BIT | C_BIT, "MPPE and MPPC (old Windows)" },
		{ S_BIT, "stateful 128 (pppd mppe-stateful)" },
		{ S_BIT | C_BIT, "stateful 128 with MPPC" },
		{ C_BIT, "MPPC only" },
		{ 0, "nothing" },
		{ H_BIT | L_BIT, "40 only" },
		{ H_BIT | M_BIT, "56 only" },
		{ H_BIT | S_BIT | D_BIT, "the obsolete D bit" },
		{ 0x40000000u | H_BIT | S_BIT, "an unknown bit" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
		struct harness h;
		struct ppp_cp_pkt ccp, ipcp, p;

		print_message("peer asks 0x%08x (%s)\n", asks[i].val, asks[i].who);
		setup(&h, PPP_MPPE_ALLOW, PPP_MPPE_128, true);
		auth_rfc(&h, &ccp, &ipcp);
		send_ccp18(&h, PPP_CONF_REQ, 1, asks[i].val);
		p = h_expect_cp(&h, PPP_CCP, PPP_CONF_NAK);
		assert_int_equal(p.id, 1);
		assert_opt18(&p, H_BIT | S_BIT); /* one key length, H, never C */
		/* The peer takes the suggestion; both directions agree. */
		agree(&h, &ccp, H_BIT | S_BIT);
		open_ipcp(&h, &ipcp);
		assert_int_equal(h.net_up_calls, 1);
		assert_true(h.net.mppe);
		assert_int_equal(h.net.mppe_bits, 128);
		h_free(&h);
	}
}

/* A request without option 18: we suggest ours (RFC 1661 5.3). */
static void test_request_without_option_naked(void **state)
{
	struct harness h;
	struct ppp_cp_pkt ccp, ipcp, p;
	(void)state;

	setup(&h, PPP_MPPE_REQUIRE, PPP_MPPE_128, true);
	auth_rfc(&h, &ccp, &ipcp);
	h_send_cp(&h, PPP_CCP, PPP_CONF_REQ, 1, NULL, 0);
	p = h_expect_cp(&h, PPP_CCP, PPP_CONF_NAK);
	assert_opt18(&p, H_BIT | S_BIT);
	/* Other compression (Deflate 26, MPPC-only 18 aside) is rejected, MPPE Nak'd later. */
	static const uint8_t deflate[] = { 26, 4, 0x78, 0x00 };
	h_send_cp(&h, PPP_CCP, PPP_CONF_REQ, 2, deflate, sizeof(deflate));
	p = h_expect_cp(&h, PPP_CCP, PPP_CONF_REJ);
	h_assert_opts(&p, deflate, sizeof(deflate));
	agree(&h, &ccp, H_BIT | S_BIT);
	open_ipcp(&h, &ipcp);
	assert_int_equal(h.net_up_calls, 1);
	assert_true(h.net.mppe);
	h_free(&h);
}

/* ---- pppd and stateful mode ---- */

/* pppd with mppe-stateful asks 0x00000040; our Nak with H makes it stateless. */
static void test_pppd_stateful_request_follows_nak(void **state)
{
	struct harness h;
	struct ppp_cp_pkt ccp, ipcp, p;
	(void)state;

	setup(&h, PPP_MPPE_REQUIRE, PPP_MPPE_128, true);
	auth_rfc(&h, &ccp, &ipcp);
	open_ipcp(&h, &ipcp); /* pppd opens IPCP first: held */
	assert_int_equal(h.net_up_calls, 0);
	send_ccp18(&h, PPP_CONF_REQ, 1, S_BIT);
	p = h_expect_cp(&h, PPP_CCP, PPP_CONF_NAK);
	assert_opt18(&p, H_BIT | S_BIT);
	agree(&h, &ccp, H_BIT | S_BIT);
	assert_int_equal(h.net_up_calls, 1);
	assert_true(h.net.mppe_stateless);
	h_free(&h);
}

/* A peer that Naks our H away: stateless only (the default) ends the session. */
static void test_peer_insists_on_stateful_refused(void **state)
{
	struct harness h;
	struct ppp_cp_pkt ccp, ipcp;
	(void)state;

	setup(&h, PPP_MPPE_REQUIRE, PPP_MPPE_128, true);
	auth_rfc(&h, &ccp, &ipcp);
	open_ipcp(&h, &ipcp);
	send_ccp18(&h, PPP_CONF_NAK, ccp.id, S_BIT);
	expect_terminated(&h, PPP_REASON_ENCRYPTION_REQUIRED);
	h_free(&h);
}

/* stateless = false: we follow a peer that Naks us toward stateful. */
static void test_stateful_allowed(void **state)
{
	struct harness h;
	struct ppp_cp_pkt ccp, ipcp, p;
	(void)state;

	setup(&h, PPP_MPPE_REQUIRE, PPP_MPPE_128, false);
	auth_rfc(&h, &ccp, &ipcp);
	assert_opt18(&ccp, H_BIT | S_BIT); /* still stateless first */
	send_ccp18(&h, PPP_CONF_NAK, ccp.id, S_BIT);
	p = h_expect_cp(&h, PPP_CCP, PPP_CONF_REQ);
	assert_opt18(&p, S_BIT);
	assert_int_not_equal(p.id, ccp.id);
	agree(&h, &p, S_BIT);
	open_ipcp(&h, &ipcp);
	assert_int_equal(h.net_up_calls, 1);
	assert_true(h.net.mppe);
	assert_false(h.net.mppe_stateless);
	assert_int_equal(h.net.mtu, 1396);
	h_free(&h);
}

/* ---- key lengths ---- */

/* Only 128 allowed, the peer can only do 40: require ends it, allow runs in the clear. */
static void test_peer_only_40(void **state)
{
	struct harness h;
	struct ppp_cp_pkt ccp, ipcp, p;
	(void)state;

	setup(&h, PPP_MPPE_REQUIRE, PPP_MPPE_128, true);
	auth_rfc(&h, &ccp, &ipcp);
	send_ccp18(&h, PPP_CONF_REQ, 1, H_BIT | L_BIT);
	p = h_expect_cp(&h, PPP_CCP, PPP_CONF_NAK);
	assert_opt18(&p, H_BIT | S_BIT);
	open_ipcp(&h, &ipcp);
	send_ccp18(&h, PPP_CONF_NAK, ccp.id, H_BIT | L_BIT);
	expect_terminated(&h, PPP_REASON_ENCRYPTION_REQUIRED);
	h_free(&h);

	setup(&h, PPP_MPPE_ALLOW, PPP_MPPE_128, true);
	auth_rfc(&h, &ccp, &ipcp);
	send_ccp18(&h, PPP_CONF_REQ, 1, H_BIT | L_BIT);
	h_expect_cp(&h, PPP_CCP, PPP_CONF_NAK);
	open_ipcp(&h, &ipcp);
	assert_int_equal(h.net_up_calls, 0); /* MPPE still being negotiated */
	send_ccp18(&h, PPP_CONF_NAK, ccp.id, H_BIT | L_BIT);
	/* MPPE out of play: the network goes up in the clear at once, CCP asks nothing. */
	assert_int_equal(h.net_up_calls, 1);
	assert_false(h.net.mppe);
	assert_int_equal(h.net.mppe_bits, 0);
	assert_int_equal(h.net.mtu, 1400);
	p = h_expect_cp(&h, PPP_CCP, PPP_CONF_REQ);
	assert_int_equal(p.data_len, 0);
	send_ccp18(&h, PPP_CONF_REQ, 2, H_BIT | L_BIT);
	p = h_expect_cp(&h, PPP_CCP, PPP_CONF_REJ);
	assert_opt18(&p, H_BIT | L_BIT);
	h_send_cp(&h, PPP_CCP, PPP_CONF_REQ, 3, NULL, 0);
	h_expect_cp(&h, PPP_CCP, PPP_CONF_ACK);
	h_send_cp(&h, PPP_CCP, PPP_CONF_ACK, p.id, NULL, 0); /* stale id: ignored */
	h_expect_nothing(&h);
	assert_int_equal(h.down_calls, 0);
	h_free(&h);
}

/* 40/56 allowed when configured: we follow the peer's Nak; 8-byte start keys. */
static void test_weaker_keys_when_configured(void **state)
{
	static const struct {
		uint32_t bit;
		unsigned bits;
	} lens[] = { { M_BIT, 56 }, { L_BIT, 40 } };
	uint8_t key8[8];
	(void)state;

	for (size_t i = 0; i < 2; i++) {
		struct harness h;
		struct ppp_cp_pkt ccp, ipcp, p;

		setup(&h, PPP_MPPE_REQUIRE, PPP_MPPE_40 | PPP_MPPE_56 | PPP_MPPE_128, true);
		auth_rfc(&h, &ccp, &ipcp);
		assert_opt18(&ccp, H_BIT | S_BIT);
		/* The peer offers its lengths; we take the strongest we allow. */
		send_ccp18(&h, PPP_CONF_NAK, ccp.id, H_BIT | lens[i].bit | (i ? 0 : L_BIT));
		p = h_expect_cp(&h, PPP_CCP, PPP_CONF_REQ);
		assert_opt18(&p, H_BIT | lens[i].bit);
		agree(&h, &p, H_BIT | lens[i].bit);
		open_ipcp(&h, &ipcp);
		assert_int_equal(h.net_up_calls, 1);
		assert_true(h.net.mppe);
		assert_int_equal(h.net.mppe_bits, lens[i].bits);
		/* RFC 3079 3.4: GetAsymmetricStartKey with length 8, then nothing. */
		mppe_get_asymmetric_start_key(MASTER_KEY, key8, 8, true, true);
		assert_memory_equal(h.net.mppe_send_key, key8, 8);
		assert_memory_equal(h.net.mppe_send_key, SEND_KEY, 8);
		mppe_get_asymmetric_start_key(MASTER_KEY, key8, 8, false, true);
		assert_memory_equal(h.net.mppe_recv_key, key8, 8);
		for (int k = 8; k < 16; k++)
			assert_int_equal(h.net.mppe_send_key[k] | h.net.mppe_recv_key[k], 0);
		h_free(&h);
	}
}

/* Only 40 allowed: our request says so, a 128-bit asker is Nak'd down. */
static void test_only_40_configured(void **state)
{
	struct harness h;
	struct ppp_cp_pkt ccp, ipcp, p;
	(void)state;

	setup(&h, PPP_MPPE_ALLOW, PPP_MPPE_40, true);
	auth_rfc(&h, &ccp, &ipcp);
	assert_opt18(&ccp, H_BIT | L_BIT);
	send_ccp18(&h, PPP_CONF_REQ, 1, H_BIT | S_BIT);
	p = h_expect_cp(&h, PPP_CCP, PPP_CONF_NAK);
	assert_opt18(&p, H_BIT | L_BIT);
	agree(&h, &ccp, H_BIT | L_BIT);
	open_ipcp(&h, &ipcp);
	assert_int_equal(h.net.mppe_bits, 40);
	h_free(&h);
}

/* ---- MPPC ---- */

static void test_mppc_only_peer(void **state)
{
	struct harness h;
	struct ppp_cp_pkt ccp, ipcp, p;
	(void)state;

	/* allow: its Nak offering MPPC only is a refusal; it runs in the clear. */
	setup(&h, PPP_MPPE_ALLOW, PPP_MPPE_128, true);
	auth_rfc(&h, &ccp, &ipcp);
	send_ccp18(&h, PPP_CONF_REQ, 1, C_BIT);
	p = h_expect_cp(&h, PPP_CCP, PPP_CONF_NAK);
	assert_opt18(&p, H_BIT | S_BIT);
	send_ccp18(&h, PPP_CONF_NAK, ccp.id, C_BIT);
	p = h_expect_cp(&h, PPP_CCP, PPP_CONF_REQ);
	assert_int_equal(p.data_len, 0);
	send_ccp18(&h, PPP_CONF_REQ, 2, C_BIT);
	h_expect_cp(&h, PPP_CCP, PPP_CONF_REJ); /* no MPPC from us, ever */
	h_send_cp(&h, PPP_CCP, PPP_CONF_REQ, 3, NULL, 0);
	h_expect_cp(&h, PPP_CCP, PPP_CONF_ACK);
	h_send_cp(&h, PPP_CCP, PPP_CONF_ACK, p.id, NULL, 0);
	assert_true(h.s->ccp.up);
	open_ipcp(&h, &ipcp);
	assert_int_equal(h.net_up_calls, 1);
	assert_false(h.net.mppe);
	assert_int_equal(h.net.mtu, 1400);
	h_free(&h);

	/* require: the same peer is disconnected. */
	setup(&h, PPP_MPPE_REQUIRE, PPP_MPPE_128, true);
	auth_rfc(&h, &ccp, &ipcp);
	send_ccp18(&h, PPP_CONF_NAK, ccp.id, C_BIT);
	expect_terminated(&h, PPP_REASON_ENCRYPTION_REQUIRED);
	h_free(&h);
}

/* ---- peers that will not encrypt ---- */

static void test_peer_rejects_option_18(void **state)
{
	struct harness h;
	struct ppp_cp_pkt ccp, ipcp, p;
	(void)state;

	/* require: a Configure-Reject of option 18 ends the session at once. */
	setup(&h, PPP_MPPE_REQUIRE, PPP_MPPE_128, true);
	auth_rfc(&h, &ccp, &ipcp);
	open_ipcp(&h, &ipcp);
	h_send_cp(&h, PPP_CCP, PPP_CONF_REJ, ccp.id, ccp.data, ccp.data_len);
	expect_terminated(&h, PPP_REASON_ENCRYPTION_REQUIRED);
	h_free(&h);

	/* allow: the held network goes up in the clear. */
	setup(&h, PPP_MPPE_ALLOW, PPP_MPPE_128, true);
	auth_rfc(&h, &ccp, &ipcp);
	open_ipcp(&h, &ipcp);
	assert_int_equal(h.net_up_calls, 0);
	h_send_cp(&h, PPP_CCP, PPP_CONF_REJ, ccp.id, ccp.data, ccp.data_len);
	assert_int_equal(h.net_up_calls, 1);
	assert_false(h.net.mppe);
	assert_int_equal(h.net.mtu, 1400);
	p = h_expect_cp(&h, PPP_CCP, PPP_CONF_REQ);
	assert_int_equal(p.data_len, 0);
	h_free(&h);
}

static void test_peer_protocol_rejects_ccp(void **state)
{
	struct harness h;
	struct ppp_cp_pkt ccp, ipcp;
	uint8_t data[2 + 10];
	(void)state;

	for (int require = 1; require >= 0; require--) {
		setup(&h, require ? PPP_MPPE_REQUIRE : PPP_MPPE_ALLOW, PPP_MPPE_128, true);
		auth_rfc(&h, &ccp, &ipcp);
		open_ipcp(&h, &ipcp);
		assert_int_equal(h.net_up_calls, 0);
		/* LCP Protocol-Reject of CCP, with the rejected request inside. */
		wire_put_be16(data, PPP_CCP);
		data[2] = PPP_CONF_REQ;
		data[3] = ccp.id;
		wire_put_be16(data + 4, 10);
		opt18(data + 6, H_BIT | S_BIT);
		h_send_cp(&h, PPP_LCP, PPP_PROTO_REJ, 0x44, data, sizeof(data));
		if (require) {
			expect_terminated(&h, PPP_REASON_ENCRYPTION_REQUIRED);
		} else {
			assert_int_equal(h.net_up_calls, 1);
			assert_false(h.net.mppe);
			h_expect_nothing(&h);
		}
		h_free(&h);
	}
}

/* allow: CCP Protocol-Rejected, then the peer starts it after all (Stopped: irc,scr,sca). */
static void test_ccp_restarted_from_stopped(void **state)
{
	struct harness h;
	struct ppp_cp_pkt ccp, ipcp, p;
	uint8_t data[2 + 10];
	(void)state;

	setup(&h, PPP_MPPE_ALLOW, PPP_MPPE_128, true);
	auth_rfc(&h, &ccp, &ipcp);
	wire_put_be16(data, PPP_CCP);
	memcpy(data + 2, "\x01\x01\x00\x0a", 4);
	opt18(data + 6, H_BIT | S_BIT);
	h_send_cp(&h, PPP_LCP, PPP_PROTO_REJ, 0x44, data, sizeof(data));
	assert_int_equal(h.s->ccp.fsm.state, FSM_STOPPED);
	send_ccp18(&h, PPP_CONF_REQ, 0x52, H_BIT | S_BIT);
	p = h_expect_cp(&h, PPP_CCP, PPP_CONF_REQ); /* ours again, then the Ack */
	assert_opt18(&p, H_BIT | S_BIT);
	h_expect_cp(&h, PPP_CCP, PPP_CONF_ACK);
	h_send_cp(&h, PPP_CCP, PPP_CONF_ACK, p.id, p.data, p.data_len);
	assert_true(h.s->mppe.on);
	open_ipcp(&h, &ipcp);
	assert_int_equal(h.net_up_calls, 1);
	assert_true(h.net.mppe);
	h_free(&h);
}

/* A peer that never answers CCP: require gives up with CCP, allow goes on after it. */
static void test_silent_ccp(void **state)
{
	struct harness h;
	struct ppp_cp_pkt ccp, ipcp;
	(void)state;

	setup(&h, PPP_MPPE_ALLOW, PPP_MPPE_128, true);
	auth_rfc(&h, &ccp, &ipcp);
	open_ipcp(&h, &ipcp);
	h_advance(&h, 29000); /* 10 Configure-Requests, 3 s apart */
	assert_int_equal(h.net_up_calls, 0);
	h_advance(&h, 2000);
	assert_int_equal(h.net_up_calls, 1);
	assert_false(h.net.mppe);
	assert_int_equal(h.down_calls, 0);
	h_free(&h);

	setup(&h, PPP_MPPE_REQUIRE, PPP_MPPE_128, true);
	auth_rfc(&h, &ccp, &ipcp);
	open_ipcp(&h, &ipcp);
	h_advance(&h, 31000);
	h.next = h.n_out - 1;
	expect_terminated(&h, PPP_REASON_ENCRYPTION_REQUIRED);
	h_free(&h);
}

/* A request that keeps asking for something else: require ends it at Max-Failure. */
static void test_insisting_peer_require(void **state)
{
	struct harness h;
	struct ppp_cp_pkt ccp, ipcp, p;
	(void)state;

	setup(&h, PPP_MPPE_REQUIRE, PPP_MPPE_128, true);
	auth_rfc(&h, &ccp, &ipcp);
	for (int i = 0; i < 5; i++) {
		send_ccp18(&h, PPP_CONF_REQ, (uint8_t)(10 + i), H_BIT | L_BIT);
		p = h_expect_cp(&h, PPP_CCP, PPP_CONF_NAK);
		assert_opt18(&p, H_BIT | S_BIT);
	}
	send_ccp18(&h, PPP_CONF_REQ, 20, H_BIT | L_BIT);
	h_expect_cp(&h, PPP_CCP, PPP_CONF_REJ); /* Max-Failure: the Nak turns into a Reject */
	expect_terminated(&h, PPP_REASON_ENCRYPTION_REQUIRED);
	h_free(&h);
}

/* The peer acks our option 18 but will not ask for it itself: one way only. */
static void test_one_way_only(void **state)
{
	struct harness h;
	struct ppp_cp_pkt ccp, ipcp, p;
	(void)state;

	for (int require = 1; require >= 0; require--) {
		setup(&h, require ? PPP_MPPE_REQUIRE : PPP_MPPE_ALLOW, PPP_MPPE_128, true);
		auth_rfc(&h, &ccp, &ipcp);
		open_ipcp(&h, &ipcp);
		h_send_cp(&h, PPP_CCP, PPP_CONF_ACK, ccp.id, ccp.data, ccp.data_len);
		for (int i = 0; i < 5; i++) {
			h_send_cp(&h, PPP_CCP, PPP_CONF_REQ, (uint8_t)(10 + i), NULL, 0);
			p = h_expect_cp(&h, PPP_CCP, PPP_CONF_NAK);
			assert_opt18(&p, H_BIT | S_BIT);
		}
		assert_int_equal(h.net_up_calls, 0);
		/* Past Max-Failure the empty request is acked: CCP opens lopsided. */
		h_send_cp(&h, PPP_CCP, PPP_CONF_REQ, 20, NULL, 0);
		h_expect_cp(&h, PPP_CCP, PPP_CONF_ACK);
		if (require) {
			expect_terminated(&h, PPP_REASON_ENCRYPTION_REQUIRED);
		} else {
			/* CCP is closed, the network goes up in the clear. */
			p = h_expect_cp(&h, PPP_CCP, PPP_TERM_REQ);
			assert_int_equal(h.net_up_calls, 1);
			assert_false(h.net.mppe);
			h_send_cp(&h, PPP_CCP, PPP_TERM_ACK, p.id, NULL, 0);
			h_advance(&h, 10000);
			assert_int_equal(h.down_calls, 0);
			assert_int_equal(h.net_down_calls, 0);
		}
		h_free(&h);
	}
}

/* ---- after the network is up ---- */

static void up_encrypted(struct harness *h, enum ppp_mppe_policy policy, bool stateful)
{
	struct ppp_cp_pkt ccp, ipcp, p;

	setup(h, policy, PPP_MPPE_128, !stateful);
	auth_rfc(h, &ccp, &ipcp);
	if (stateful) {
		send_ccp18(h, PPP_CONF_NAK, ccp.id, S_BIT);
		p = h_expect_cp(h, PPP_CCP, PPP_CONF_REQ);
		agree(h, &p, S_BIT);
	} else {
		agree(h, &ccp, H_BIT | S_BIT);
	}
	/* CCP first, then IPCP: the network goes up as IPCP opens. */
	open_ipcp(h, &ipcp);
	assert_int_equal(h->net_up_calls, 1);
	assert_true(h->net.mppe);
	assert_int_equal(h->net.mppe_stateless, !stateful);
	h_expect_nothing(h);
}

static void test_ccp_terminated_while_up(void **state)
{
	struct harness h;
	(void)state;

	for (int require = 1; require >= 0; require--) {
		up_encrypted(&h, require ? PPP_MPPE_REQUIRE : PPP_MPPE_ALLOW, false);
		h_send_cp(&h, PPP_CCP, PPP_TERM_REQ, 0x61, NULL, 0);
		h_expect_cp(&h, PPP_CCP, PPP_TERM_ACK);
		struct ppp_cp_pkt t = h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
		(void)t;
		h_advance(&h, 6000);
		assert_int_equal(h.down_reason, PPP_REASON_ENCRYPTION_REQUIRED);
		assert_int_equal(h.net_down_calls, 1);
		h_free(&h);
	}
}

/* A new CCP Configure-Request while up (renegotiation) takes CCP down: the end. */
static void test_ccp_renegotiation_while_up(void **state)
{
	struct harness h;
	(void)state;

	up_encrypted(&h, PPP_MPPE_REQUIRE, false);
	send_ccp18(&h, PPP_CONF_REQ, 0x70, H_BIT | S_BIT);
	h.next = h.n_out;
	h_advance(&h, 6000);
	assert_int_equal(h.down_reason, PPP_REASON_ENCRYPTION_REQUIRED);
	h_free(&h);
}

/* IPCP renegotiated while up: network down, then up again with the same cipher. */
static void test_ipcp_renegotiation_keeps_mppe(void **state)
{
	struct harness h;
	struct ppp_cp_pkt p;
	uint8_t addr_opt[6];
	(void)state;

	up_encrypted(&h, PPP_MPPE_REQUIRE, false);
	addr_opt[0] = IPCP_OPT_ADDRESS;
	addr_opt[1] = 6;
	wire_put_be32(addr_opt + 2, h.net.peer_ip);
	h_send_cp(&h, PPP_IPCP, PPP_CONF_REQ, 0x71, addr_opt, sizeof(addr_opt));
	p = h_expect_cp(&h, PPP_IPCP, PPP_CONF_REQ);
	h_expect_cp(&h, PPP_IPCP, PPP_CONF_ACK);
	assert_int_equal(h.net_down_calls, 1);
	h_send_cp(&h, PPP_IPCP, PPP_CONF_ACK, p.id, p.data, p.data_len);
	assert_int_equal(h.net_up_calls, 2);
	assert_true(h.net.mppe);
	assert_int_equal(h.net.mtu, 1396);
	h_free(&h);
}

static void test_reset_request_answered(void **state)
{
	struct harness h;
	struct ppp_cp_pkt p;
	(void)state;

	up_encrypted(&h, PPP_MPPE_REQUIRE, true);
	h_send_cp(&h, PPP_CCP, PPP_RESET_REQ, 0x33, NULL, 0);
	p = h_expect_cp(&h, PPP_CCP, PPP_RESET_ACK);
	assert_int_equal(p.id, 0x33);
	assert_int_equal(p.data_len, 0);
	assert_int_equal(h.mppe_flushes, 1);
	/* Data in the request (RFC 1962 allows it) is fine too. */
	h_send_cp(&h, PPP_CCP, PPP_RESET_REQ, 0x34, "xy", 2);
	p = h_expect_cp(&h, PPP_CCP, PPP_RESET_ACK);
	assert_int_equal(p.id, 0x34);
	assert_int_equal(h.mppe_flushes, 2);
	assert_int_equal(h_counters(&h).ccp_reset_req_rcvd, 2);
	h_expect_nothing(&h);
	assert_int_equal(h.down_calls, 0);
	h_free(&h);
}

/* Before CCP opens, and without MPPE, a Reset-Request is ignored. */
static void test_reset_request_ignored(void **state)
{
	struct harness h;
	struct ppp_cp_pkt ccp, ipcp;
	(void)state;

	setup(&h, PPP_MPPE_REQUIRE, PPP_MPPE_128, true);
	auth_rfc(&h, &ccp, &ipcp);
	h_send_cp(&h, PPP_CCP, PPP_RESET_REQ, 0x33, NULL, 0);
	h_expect_nothing(&h);
	assert_int_equal(h.mppe_flushes, 0);
	h_free(&h);

	h_init(&h);
	h_new(&h); /* MPPE off */
	h_authenticate(&h);
	h_open_ncps(&h);
	h_send_cp(&h, PPP_CCP, PPP_RESET_REQ, 0x33, NULL, 0);
	h_expect_nothing(&h);
	assert_int_equal(h.mppe_flushes, 0);
	assert_false(h.net.mppe);
	h_free(&h);
}

static void test_resync_sends_reset_request(void **state)
{
	struct harness h;
	struct ppp_cp_pkt p, q;
	(void)state;

	up_encrypted(&h, PPP_MPPE_REQUIRE, true);
	assert_true(ppp_session_mppe_resync(h.s, h.now));
	p = h_expect_cp(&h, PPP_CCP, PPP_RESET_REQ);
	assert_int_equal(p.data_len, 0);
	/* One outstanding: the data plane asking again soon sends nothing. */
	h_advance(&h, 500);
	assert_false(ppp_session_mppe_resync(h.s, h.now));
	h_expect_nothing(&h);
	/* The peer's Reset-Ack clears it. */
	h_send_cp(&h, PPP_CCP, PPP_RESET_ACK, p.id, NULL, 0);
	assert_true(ppp_session_mppe_resync(h.s, h.now));
	q = h_expect_cp(&h, PPP_CCP, PPP_RESET_REQ);
	assert_int_not_equal(q.id, p.id);
	/* No Reset-Ack: again after the restart interval (3 s), not before. */
	h_advance(&h, 2999);
	assert_false(ppp_session_mppe_resync(h.s, h.now));
	h_advance(&h, 1);
	assert_true(ppp_session_mppe_resync(h.s, h.now));
	h_expect_cp(&h, PPP_CCP, PPP_RESET_REQ);
	/* A Reset-Ack that answers nothing of ours changes nothing. */
	h_send_cp(&h, PPP_CCP, PPP_RESET_ACK, 0xEE, NULL, 0);
	assert_false(ppp_session_mppe_resync(h.s, h.now));
	struct ppp_counters c = h_counters(&h);
	assert_int_equal(c.ccp_reset_req_sent, 3);
	assert_int_equal(c.ccp_reset_ack_rcvd, 2);
	assert_int_equal(c.mppe_resync_skipped, 3);
	h_expect_nothing(&h);
	h_free(&h);
}

/* Stateless mode re-keys every packet: no Reset-Request; nor without MPPE. */
static void test_resync_ignored_stateless(void **state)
{
	struct harness h;
	(void)state;

	up_encrypted(&h, PPP_MPPE_REQUIRE, false);
	assert_false(ppp_session_mppe_resync(h.s, h.now));
	h_expect_nothing(&h);
	h_free(&h);

	h_init(&h);
	h_new(&h);
	assert_false(ppp_session_mppe_resync(h.s, h.now)); /* not even started */
	h_authenticate(&h);
	h_open_ncps(&h);
	assert_false(ppp_session_mppe_resync(h.s, h.now));
	h_expect_nothing(&h);
	assert_int_equal(h_counters(&h).mppe_resync_skipped, 2);
	h_free(&h);
}

/* ---- keys and configuration ---- */

/* allow with PAP: no MS-CHAPv2 keys, so no MPPE offered, its option 18 rejected. */
static void test_allow_without_mschapv2(void **state)
{
	struct harness h;
	struct ppp_cp_pkt ccp, ipcp, p;
	(void)state;

	h_init(&h);
	h.cfg.auth_methods = PPP_AUTH_PAP;
	h.cfg.mppe.policy = PPP_MPPE_ALLOW;
	h_new(&h);
	h_open_lcp(&h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	static const uint8_t pap[] = { 3, 'l', 'a', 'b', 10, 'l', 'a', 'b', '-', 's', 'e', 'c',
				       'r', 'e', 't' };
	uint8_t pkt[64];
	pkt[0] = 1;
	pkt[1] = 9;
	wire_put_be16(pkt + 2, (uint16_t)(4 + sizeof(pap)));
	memcpy(pkt + 4, pap, sizeof(pap));
	h_send(&h, PPP_PAP, pkt, 4 + sizeof(pap));
	h_expect_pap(&h, 2);
	ccp = h_expect_cp(&h, PPP_CCP, PPP_CONF_REQ);
	ipcp = h_expect_cp(&h, PPP_IPCP, PPP_CONF_REQ);
	assert_int_equal(ccp.data_len, 0);
	send_ccp18(&h, PPP_CONF_REQ, 1, H_BIT | S_BIT);
	p = h_expect_cp(&h, PPP_CCP, PPP_CONF_REJ);
	assert_opt18(&p, H_BIT | S_BIT);
	open_ipcp(&h, &ipcp); /* MPPE out of play: not held */
	assert_int_equal(h.net_up_calls, 1);
	assert_false(h.net.mppe);
	h_free(&h);
}

/* require, MS-CHAPv2 and PAP allowed, the peer Naks LCP to PAP: no keys, no session. */
static void test_require_peer_picks_pap(void **state)
{
	struct harness h;
	(void)state;

	h_init(&h);
	h.cfg.auth_methods = PPP_AUTH_PAP | PPP_AUTH_MSCHAPV2;
	h.cfg.mppe.policy = PPP_MPPE_REQUIRE;
	h_new(&h);
	h_start(&h);
	struct ppp_cp_pkt ours = h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ);
	static const uint8_t pap[] = { 3, 4, 0xC0, 0x23 };
	h_send_cp(&h, PPP_LCP, PPP_CONF_NAK, ours.id, pap, sizeof(pap));
	ours = h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ);
	h_send_cp(&h, PPP_LCP, PPP_CONF_REQ, 1, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	h_expect_cp(&h, PPP_LCP, PPP_CONF_ACK);
	h_send_cp(&h, PPP_LCP, PPP_CONF_ACK, ours.id, ours.data, ours.data_len);
	static const uint8_t req[] = { 1, 9, 0, 19, 3, 'l', 'a', 'b', 10, 'l', 'a', 'b', '-',
				       's', 'e', 'c', 'r', 'e', 't' };
	h_send(&h, PPP_PAP, req, sizeof(req));
	h_expect_pap(&h, 2);
	h_expect_cp(&h, PPP_CCP, PPP_CONF_REQ);
	h_expect_cp(&h, PPP_IPCP, PPP_CONF_REQ);
	expect_terminated(&h, PPP_REASON_ENCRYPTION_REQUIRED);
	h_free(&h);
}

static void test_config(void **state)
{
	struct ppp_config c;
	char err[128];
	(void)state;

	ppp_config_default(&c);
	assert_int_equal(c.mppe.policy, PPP_MPPE_OFF);
	assert_int_equal(c.mppe.bits, PPP_MPPE_128);
	assert_true(c.mppe.stateless);
	c.auth_methods = 0; /* no backend needed */
	assert_int_equal(ppp_config_validate(&c, err, sizeof(err)), 0);
	c.mppe.policy = PPP_MPPE_ALLOW; /* allow without MS-CHAPv2: simply off */
	assert_int_equal(ppp_config_validate(&c, err, sizeof(err)), 0);
	c.mppe.policy = PPP_MPPE_REQUIRE;
	assert_int_equal(ppp_config_validate(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "mppe"));
	c.mppe.policy = PPP_MPPE_ALLOW;
	c.mppe.bits = 0;
	assert_int_equal(ppp_config_validate(&c, err, sizeof(err)), -1);
	c.mppe.bits = 8;
	assert_int_equal(ppp_config_validate(&c, err, sizeof(err)), -1);
	c.mppe.bits = PPP_MPPE_40 | PPP_MPPE_56;
	assert_int_equal(ppp_config_validate(&c, err, sizeof(err)), 0);
	c.mppe.policy = (enum ppp_mppe_policy)7;
	assert_int_equal(ppp_config_validate(&c, err, sizeof(err)), -1);
	c.mppe.policy = PPP_MPPE_OFF;
	c.mppe.bits = 0; /* unused when off */
	assert_int_equal(ppp_config_validate(&c, err, sizeof(err)), 0);
}

/* Off: the behaviour before MPPE, every CCP option rejected. */
static void test_off_rejects_everything(void **state)
{
	struct harness h;
	struct ppp_cp_pkt ccp, p;
	(void)state;

	h_init(&h);
	h_new(&h);
	h_authenticate(&h);
	ccp = h_expect_cp(&h, PPP_CCP, PPP_CONF_REQ);
	assert_int_equal(ccp.data_len, 0);
	h_expect_cp(&h, PPP_IPCP, PPP_CONF_REQ);
	send_ccp18(&h, PPP_CONF_REQ, 1, H_BIT | S_BIT);
	p = h_expect_cp(&h, PPP_CCP, PPP_CONF_REJ);
	assert_opt18(&p, H_BIT | S_BIT);
	h_free(&h);
}

/* LCP renegotiation: a fresh authentication, fresh keys, MPPE again. */
static void test_lcp_renegotiation_new_keys(void **state)
{
	struct harness h;
	struct ppp_cp_pkt ccp, ipcp;
	(void)state;

	up_encrypted(&h, PPP_MPPE_REQUIRE, false);
	/* The peer starts LCP over: the network goes down, everything is negotiated again. */
	h_send_cp(&h, PPP_LCP, PPP_CONF_REQ, 0x50, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	assert_int_equal(h.net_down_calls, 1);
	struct ppp_cp_pkt ours = h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ);
	h_expect_cp(&h, PPP_LCP, PPP_CONF_ACK);
	uint8_t script[17] = { 0x40 };
	memcpy(script + 1, AUTH_CHALLENGE, 16);
	h_rand_script(&h, script, sizeof(script));
	h_send_cp(&h, PPP_LCP, PPP_CONF_ACK, ours.id, ours.data, ours.data_len);
	struct chap_pkt c = h_expect_chap(&h, CHAP_CHALLENGE);
	send_rfc_response(&h, c.id);
	h_expect_chap(&h, CHAP_SUCCESS);
	ccp = h_expect_cp(&h, PPP_CCP, PPP_CONF_REQ);
	ipcp = h_expect_cp(&h, PPP_IPCP, PPP_CONF_REQ);
	assert_opt18(&ccp, H_BIT | S_BIT);
	agree(&h, &ccp, H_BIT | S_BIT);
	open_ipcp(&h, &ipcp);
	assert_int_equal(h.net_up_calls, 2);
	assert_true(h.net.mppe);
	assert_memory_equal(h.net.mppe_send_key, SEND_KEY, 16);
	h_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_windows10_require),
		cmocka_unit_test(test_peer_requests_naked),
		cmocka_unit_test(test_request_without_option_naked),
		cmocka_unit_test(test_pppd_stateful_request_follows_nak),
		cmocka_unit_test(test_peer_insists_on_stateful_refused),
		cmocka_unit_test(test_stateful_allowed),
		cmocka_unit_test(test_peer_only_40),
		cmocka_unit_test(test_weaker_keys_when_configured),
		cmocka_unit_test(test_only_40_configured),
		cmocka_unit_test(test_mppc_only_peer),
		cmocka_unit_test(test_peer_rejects_option_18),
		cmocka_unit_test(test_peer_protocol_rejects_ccp),
		cmocka_unit_test(test_ccp_restarted_from_stopped),
		cmocka_unit_test(test_silent_ccp),
		cmocka_unit_test(test_insisting_peer_require),
		cmocka_unit_test(test_one_way_only),
		cmocka_unit_test(test_ccp_terminated_while_up),
		cmocka_unit_test(test_ccp_renegotiation_while_up),
		cmocka_unit_test(test_ipcp_renegotiation_keeps_mppe),
		cmocka_unit_test(test_reset_request_answered),
		cmocka_unit_test(test_reset_request_ignored),
		cmocka_unit_test(test_resync_sends_reset_request),
		cmocka_unit_test(test_resync_ignored_stateless),
		cmocka_unit_test(test_allow_without_mschapv2),
		cmocka_unit_test(test_require_peer_picks_pap),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_off_rejects_everything),
		cmocka_unit_test(test_lcp_renegotiation_new_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
