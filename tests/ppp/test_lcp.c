/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * LCP through a whole session: a Windows client's option set, loopback,
 * Nak loops, Protocol-Reject and Code-Reject, malformed packets, Echo and
 * the adaptive keepalive, peer Terminate, renegotiation, compression of
 * what we send.
 */
#include <string.h>

#include "harness.h"
#include "ppp/ppp_internal.h"
#include "proto/wire.h"

/* RFC 2759 section 9.2. */
static const uint8_t AUTH_CHALLENGE[16] = { 0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E,
					    0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28 };
static const uint8_t PEER_CHALLENGE[16] = { 0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A,
					    0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C, 0x7E };
static const uint8_t NT_RESPONSE[24] = { 0x82, 0x30, 0x9E, 0xCD, 0x8D, 0x70, 0x8B, 0x5E,
					 0xA0, 0x8F, 0xAA, 0x39, 0x81, 0xCD, 0x83, 0x54,
					 0x42, 0x33, 0x11, 0x4A, 0x3D, 0x85, 0xD6, 0xDF };
static const uint8_t MASTER_KEY[16] = { 0xFD, 0xEC, 0xE3, 0x71, 0x7A, 0x8C, 0x83, 0x8C,
					0xB3, 0x88, 0xE5, 0x27, 0xAE, 0x3C, 0xDD, 0x31 };
static const uint8_t SEND_KEY[16] = { 0x8B, 0x7C, 0xDC, 0x14, 0x9B, 0x99, 0x3A, 0x1B,
				      0xA1, 0x18, 0xCB, 0x15, 0x3F, 0x56, 0xDC, 0xCB };

/* What Windows' PPTP client asks for (plus ACCM). */
static const uint8_t WIN_CALLBACK[] = { 0x0D, 0x03, 0x06 };
static const uint8_t WIN_MRRU[] = { 0x11, 0x04, 0x06, 0x4E };
static const uint8_t WIN_ENDPOINT[] = { 0x13, 0x17, 0x01, 0x5D, 0x47, 0x2E, 0x0B, 0x8A, 0xE4,
					0x4B, 0x2C, 0x91, 0x8B, 0x5B, 0x54, 0x1A, 0xC9,
					0x3F, 0x3E, 0x00, 0x00, 0x00, 0x00 };
static const uint8_t WIN_KEPT[] = {
	0x01, 0x04, 0x05, 0x78,             /* MRU 1400 */
	0x02, 0x06, 0x00, 0x00, 0x00, 0x00, /* ACCM */
	0x05, 0x06, 0x5A, 0x2B, 0x3C, 0x4D, /* Magic-Number */
	0x07, 0x02,                         /* PFC */
	0x08, 0x02,                         /* ACFC */
};

static void send_identification(struct harness *h, uint8_t id, const char *text)
{
	uint8_t data[64];

	memset(data, 0, 4); /* magic 0: Magic-Number not negotiated yet */
	memcpy(data + 4, text, strlen(text));
	h_send_cp(h, PPP_LCP, PPP_IDENTIFICATION, id, data, 4 + strlen(text));
}

/* LCP up with a Windows client; our Challenge is the RFC 2759 example's. */
static struct chap_pkt windows_lcp(struct harness *h)
{
	uint8_t win[64], saved[64], script[17];
	size_t n = 0;
	struct ppp_cp_pkt ours, p;
	struct chap_pkt c;

	h_start(h);
	ours = h_expect_cp(h, PPP_LCP, PPP_CONF_REQ);
	/* Authentication-Protocol: CHAP with algorithm 0x81 (MS-CHAPv2). */
	struct ppp_opt auth = h_opt(&ours, LCP_OPT_AUTH);
	assert_int_equal(auth.len, 5);
	assert_memory_equal(auth.val, "\xC2\x23\x81", 3);
	assert_int_equal(wire_get_be16(h_opt(&ours, LCP_OPT_MRU).val), 1400);
	memcpy(saved, ours.data, ours.data_len);

	send_identification(h, 1, "MSRASV5.20");
	h_expect_nothing(h);

	memcpy(win + n, WIN_KEPT, sizeof(WIN_KEPT)), n += sizeof(WIN_KEPT);
	memcpy(win + n, WIN_CALLBACK, sizeof(WIN_CALLBACK)), n += sizeof(WIN_CALLBACK);
	memcpy(win + n, WIN_MRRU, sizeof(WIN_MRRU)), n += sizeof(WIN_MRRU);
	memcpy(win + n, WIN_ENDPOINT, sizeof(WIN_ENDPOINT)), n += sizeof(WIN_ENDPOINT);
	h_send_cp(h, PPP_LCP, PPP_CONF_REQ, 2, win, n);
	p = h_expect_cp(h, PPP_LCP, PPP_CONF_REJ);
	assert_int_equal(p.id, 2);
	assert_int_equal(p.data_len,
			 sizeof(WIN_CALLBACK) + sizeof(WIN_MRRU) + sizeof(WIN_ENDPOINT));
	assert_memory_equal(p.data, WIN_CALLBACK, sizeof(WIN_CALLBACK));
	assert_memory_equal(p.data + 3, WIN_MRRU, sizeof(WIN_MRRU));
	assert_memory_equal(p.data + 7, WIN_ENDPOINT, sizeof(WIN_ENDPOINT));

	send_identification(h, 3, "MSRAS-0-CLIENT");
	h_send_cp(h, PPP_LCP, PPP_CONF_REQ, 4, WIN_KEPT, sizeof(WIN_KEPT));
	p = h_expect_cp(h, PPP_LCP, PPP_CONF_ACK);
	h_assert_opts(&p, WIN_KEPT, sizeof(WIN_KEPT));

	script[0] = 0x30; /* the CHAP Identifier */
	memcpy(script + 1, AUTH_CHALLENGE, 16);
	h_rand_script(h, script, sizeof(script));
	h_send_cp(h, PPP_LCP, PPP_CONF_ACK, ours.id, saved, ours.data_len);
	assert_int_equal(ppp_session_phase(h->s), PPP_PHASE_AUTHENTICATE);
	c = h_expect_chap(h, CHAP_CHALLENGE);
	assert_int_equal(c.id, 0x30);
	assert_int_equal(c.value_size, 16);
	assert_memory_equal(c.value, AUTH_CHALLENGE, 16);
	assert_int_equal(c.name_len, 5);
	assert_memory_equal(c.name, "pptpd", 5);
	assert_int_equal(h_counters(h).ident_rcvd, 2);
	return c;
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
	h_send(h, PPP_CHAP, pkt, (size_t)n);
}

static void test_windows_mschapv2_success(void **state)
{
	struct harness h;
	struct chap_pkt c, s;
	(void)state;

	h_init(&h);
	h_secrets(&h, "User pptpd clientPass *\n");
	h_new(&h);
	c = windows_lcp(&h);
	send_rfc_response(&h, c.id);
	s = h_expect_chap(&h, CHAP_SUCCESS);
	assert_int_equal(s.id, c.id);
	assert_true(s.msg_len >= 42);
	assert_memory_equal(s.msg, "S=407A5589115FD0D6209F510FE9C04566932CDA56", 42);
	assert_int_equal(ppp_session_phase(h.s), PPP_PHASE_NETWORK);
	h_open_ncps(&h);
	assert_string_equal(h.net.user, "User");
	assert_int_equal(h.net.auth_method, PPP_AUTH_MSCHAPV2);
	assert_int_equal(h.net.peer_mru, 1400);
	assert_int_equal(h.net.mtu, 1400);
	assert_true(h.net.keys->valid);
	assert_memory_equal(h.net.keys->master_key, MASTER_KEY, 16);
	assert_memory_equal(h.net.keys->send_key, SEND_KEY, 16);
	assert_string_equal(ppp_session_user(h.s), "User");
	h_free(&h);
}

static void test_windows_wrong_password(void **state)
{
	struct harness h;
	struct chap_pkt c, f;
	struct mschapv2_failure fail;
	(void)state;

	h_init(&h);
	h_secrets(&h, "User pptpd notThePassword *\n");
	h.cfg.auth_max_attempts = 1;
	h_new(&h);
	c = windows_lcp(&h);
	send_rfc_response(&h, c.id);
	f = h_expect_chap(&h, CHAP_FAILURE);
	assert_int_equal(f.id, c.id);
	assert_int_equal(mschapv2_failure_parse(f.msg, f.msg_len, &fail), PROTO_OK);
	assert_int_equal(fail.error, 691);
	assert_false(fail.retry);
	assert_int_equal(fail.version, 3);
	struct ppp_cp_pkt tr = h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_expect_nothing(&h);
	h_send_cp(&h, PPP_LCP, PPP_TERM_ACK, tr.id, NULL, 0);
	assert_int_equal(h.down_calls, 1);
	assert_int_equal(h.down_reason, PPP_REASON_AUTH_FAILED);
	assert_int_equal(h.net_up_calls, 0);
	struct ppp_counters cnt = h_counters(&h);
	assert_int_equal(cnt.auth_attempts, 1);
	assert_int_equal(cnt.auth_failures, 1);
	h_free(&h);
}

/* A looped-back line: everything we send comes back to us. */
static void test_loopback(void **state)
{
	struct harness h;
	uint32_t first_magic, nak_magic;
	(void)state;

	h_init(&h);
	h.cfg.auth_methods = PPP_AUTH_NONE;
	h_new(&h);
	h_start(&h);
	first_magic = wire_get_be32(h.out[0].data + 4 + 4 + 4 + 2);
	for (int guard = 0; guard < 200 && h.next < h.n_out; guard++) {
		const struct h_frame *f = h_pop(&h);
		if (guard == 0) {
			h_input(&h, f->data, f->len);
			struct ppp_cp_pkt nak = h_expect_cp(&h, PPP_LCP, PPP_CONF_NAK);
			nak_magic = wire_get_be32(h_opt(&nak, LCP_OPT_MAGIC).val);
			assert_int_not_equal(nak_magic, first_magic);
			assert_int_not_equal(nak_magic, 0);
			h_input(&h, h.out[h.next - 1].data, h.out[h.next - 1].len);
			continue;
		}
		h_input(&h, f->data, f->len);
	}
	assert_int_equal(h.down_calls, 1);
	assert_int_equal(h.down_reason, PPP_REASON_LOOPBACK);
	assert_true(h_counters(&h).loopbacks >= 10);
	h_free(&h);
}

/* The peer Naks our MRU with one we cannot take: bounded by Max-Failure, then we give up. */
static void test_nak_loop_received(void **state)
{
	static const uint8_t nak_mru[] = { 0x01, 0x04, 0x07, 0xD0 }; /* 2000 */
	struct harness h;
	struct ppp_cp_pkt p;
	int naks = 0;
	(void)state;

	h_init(&h);
	h_new(&h);
	h_start(&h);
	p = h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ);
	for (;;) {
		assert_int_equal(wire_get_be16(h_opt(&p, LCP_OPT_MRU).val), 1400);
		h_send_cp(&h, PPP_LCP, PPP_CONF_NAK, p.id, nak_mru, sizeof(nak_mru));
		naks++;
		assert_true(naks <= 6);
		const struct h_frame *f = &h.out[h.next];
		assert_true(h_pending(&h) == 1);
		if (f->data[4] == PPP_TERM_REQ)
			break;
		p = h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ);
	}
	assert_int_equal(naks, 6); /* Max-Failure (5) Naks taken, the sixth ends it */
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_advance(&h, 6000);
	assert_int_equal(h.down_reason, PPP_REASON_NEGOTIATION_FAILED);
	h_free(&h);
}

/* The peer insists on an MRU we Nak: after Max-Failure Naks, the option is rejected. */
static void test_nak_loop_sent(void **state)
{
	static const uint8_t tiny_mru[] = { 0x01, 0x04, 0x00, 0x40 }; /* 64 */
	static const uint8_t nak_128[] = { 0x01, 0x04, 0x00, 0x80 };
	struct harness h;
	struct ppp_cp_pkt p;
	(void)state;

	h_init(&h);
	h_new(&h);
	h_start(&h);
	h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ);
	for (int i = 0; i < 5; i++) {
		h_send_cp(&h, PPP_LCP, PPP_CONF_REQ, (uint8_t)(10 + i), tiny_mru, sizeof(tiny_mru));
		p = h_expect_cp(&h, PPP_LCP, PPP_CONF_NAK);
		h_assert_opts(&p, nak_128, sizeof(nak_128));
	}
	h_send_cp(&h, PPP_LCP, PPP_CONF_REQ, 20, tiny_mru, sizeof(tiny_mru));
	p = h_expect_cp(&h, PPP_LCP, PPP_CONF_REJ);
	h_assert_opts(&p, tiny_mru, sizeof(tiny_mru));
	h_send_cp(&h, PPP_LCP, PPP_CONF_REQ, 21, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	h_expect_cp(&h, PPP_LCP, PPP_CONF_ACK);
	h_free(&h);
}

/* A smaller MRU from the peer's Nak is taken; a wrong-sized option is rejected. */
static void test_mru(void **state)
{
	static const uint8_t nak_1300[] = { 0x01, 0x04, 0x05, 0x14 };
	static const uint8_t bad_size[] = { 0x01, 0x03, 0x05 };
	static const uint8_t peer_576[] = { 0x01, 0x04, 0x02, 0x40 };
	struct harness h;
	struct ppp_cp_pkt p;
	uint8_t saved[64];
	(void)state;

	h_init(&h);
	h.cfg.auth_methods = PPP_AUTH_NONE;
	h_new(&h);
	h_start(&h);
	p = h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ);
	h_send_cp(&h, PPP_LCP, PPP_CONF_NAK, p.id, nak_1300, sizeof(nak_1300));
	p = h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ);
	assert_int_equal(wire_get_be16(h_opt(&p, LCP_OPT_MRU).val), 1300);
	memcpy(saved, p.data, p.data_len);
	h_send_cp(&h, PPP_LCP, PPP_CONF_REQ, 1, bad_size, sizeof(bad_size));
	struct ppp_cp_pkt rej = h_expect_cp(&h, PPP_LCP, PPP_CONF_REJ);
	h_assert_opts(&rej, bad_size, sizeof(bad_size));
	h_send_cp(&h, PPP_LCP, PPP_CONF_REQ, 2, peer_576, sizeof(peer_576));
	h_expect_cp(&h, PPP_LCP, PPP_CONF_ACK);
	h_send_cp(&h, PPP_LCP, PPP_CONF_ACK, p.id, saved, p.data_len);
	h_open_ncps(&h);
	assert_int_equal(h.net.local_mru, 1300);
	assert_int_equal(h.net.peer_mru, 576);
	assert_int_equal(h.net.mtu, 576);
	/* Without PFC/ACFC from the peer we compress nothing. */
	assert_false(h.net.peer_accepts_acfc);
	h_free(&h);
}

static void open_no_auth(struct harness *h)
{
	h->cfg.auth_methods = PPP_AUTH_NONE;
	h_new(h);
	h_open_lcp(h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
}

static void test_protocol_reject(void **state)
{
	static const uint8_t ipv6cp_req[] = { 0x01, 0x01, 0x00, 0x0E, 0x01, 0x0A,
					      0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
	struct harness h;
	struct ppp_cp_pkt p;
	uint8_t frame[40];
	(void)state;

	/* Before LCP is open, an unknown protocol is only dropped. */
	h_init(&h);
	h.cfg.auth_methods = PPP_AUTH_NONE;
	h_new(&h);
	h_start(&h);
	h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ);
	h_send(&h, PPP_IPV6CP, ipv6cp_req, sizeof(ipv6cp_req));
	h_expect_nothing(&h);
	ppp_session_free(h.s);

	open_no_auth(&h);
	h.next = h.n_out;
	h_send(&h, PPP_IPV6CP, ipv6cp_req, sizeof(ipv6cp_req));
	p = h_expect_cp(&h, PPP_LCP, PPP_PROTO_REJ);
	assert_int_equal(p.rejected_proto, PPP_IPV6CP);
	assert_int_equal(p.rest_len, sizeof(ipv6cp_req));
	assert_memory_equal(p.rest, ipv6cp_req, sizeof(ipv6cp_req));
	/* A 1-byte protocol field (PFC), no FF 03: IPv6, rejected all the same. */
	frame[0] = 0x57;
	memcpy(frame + 1, "\x60\x00\x00\x00", 4);
	h_input(&h, frame, 5);
	p = h_expect_cp(&h, PPP_LCP, PPP_PROTO_REJ);
	assert_int_equal(p.rejected_proto, PPP_IPV6);
	/* Some protocol nobody knows. */
	frame[0] = 0xFF, frame[1] = 0x03, frame[2] = 0x02, frame[3] = 0x81, frame[4] = 0xAA;
	h_input(&h, frame, 5);
	p = h_expect_cp(&h, PPP_LCP, PPP_PROTO_REJ);
	assert_int_equal(p.rejected_proto, 0x0281);
	assert_int_equal(h_counters(&h).proto_rej_sent, 3);
	h_free(&h);
}

/* Protocol-Reject copies are cut to the peer's MRU. */
static void test_protocol_reject_truncated(void **state)
{
	static const uint8_t small_mru[] = { 0x01, 0x04, 0x00, 0x80 }; /* 128 */
	uint8_t big[1000];
	struct harness h;
	(void)state;

	h_init(&h);
	h.cfg.auth_methods = PPP_AUTH_NONE;
	h_new(&h);
	h_open_lcp(&h, small_mru, sizeof(small_mru));
	h.next = h.n_out;
	memset(big, 0xEE, sizeof(big));
	h_send(&h, 0x0283, big, sizeof(big));
	struct ppp_cp_pkt p = h_expect_cp(&h, PPP_LCP, PPP_PROTO_REJ);
	assert_int_equal(p.length, 128);
	h_free(&h);
}

/* The peer rejects CCP: fine without encryption. It rejects IPCP: the session ends. */
static void test_peer_protocol_rejects(void **state)
{
	struct harness h;
	uint8_t data[8];
	(void)state;

	h_init(&h);
	open_no_auth(&h);
	h.next = h.n_out;
	wire_put_be16(data, PPP_CCP);
	memset(data + 2, 0, 6);
	h_send_cp(&h, PPP_LCP, PPP_PROTO_REJ, 9, data, sizeof(data));
	h_expect_nothing(&h);
	assert_int_equal(h.s->ccp.fsm.state, FSM_STOPPED);
	assert_int_equal(ppp_session_phase(h.s), PPP_PHASE_NETWORK);
	h_advance(&h, 3000); /* CCP no longer retransmits; IPCP does */
	h_expect_cp(&h, PPP_IPCP, PPP_CONF_REQ);
	h_expect_nothing(&h);

	wire_put_be16(data, PPP_IPCP);
	h_send_cp(&h, PPP_LCP, PPP_PROTO_REJ, 10, data, sizeof(data));
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_advance(&h, 6000);
	assert_int_equal(h.down_reason, PPP_REASON_NEGOTIATION_FAILED);
	assert_int_equal(h_counters(&h).proto_rej_rcvd, 2);
	h_free(&h);
}

/* Malformed frames and packets: dropped, counted by reason, nothing changes. */
static void test_malformed(void **state)
{
	struct harness h;
	struct ppp_counters c;
	(void)state;

	h_init(&h);
	h_new(&h);
	h_start(&h);
	struct ppp_cp_pkt ours = h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ);

	/* Length field beyond the frame. */
	static const uint8_t overrun[] = { 0xFF, 0x03, 0xC0, 0x21, 0x01, 0x01, 0x00, 0x40,
					   0x01, 0x04, 0x05, 0x78 };
	h_input(&h, overrun, sizeof(overrun));
	/* An option running past the end of the packet. */
	static const uint8_t opt_past[] = { 0xFF, 0x03, 0xC0, 0x21, 0x01, 0x01, 0x00, 0x0A,
					    0x01, 0x04, 0x05, 0x78, 0x05, 0x06 };
	h_input(&h, opt_past, sizeof(opt_past));
	/* Option length 0 and 1. */
	static const uint8_t opt_zero[] = { 0xFF, 0x03, 0xC0, 0x21, 0x01, 0x01, 0x00, 0x06,
					    0x07, 0x00 };
	h_input(&h, opt_zero, sizeof(opt_zero));
	/* Length below the header. */
	static const uint8_t short_len[] = { 0xFF, 0x03, 0xC0, 0x21, 0x01, 0x01, 0x00, 0x03 };
	h_input(&h, short_len, sizeof(short_len));
	/* Address without control; even protocol; lone bytes. */
	static const uint8_t bad_ctrl[] = { 0xFF, 0x05, 0xC0, 0x21 };
	h_input(&h, bad_ctrl, sizeof(bad_ctrl));
	static const uint8_t even_proto[] = { 0xFF, 0x03, 0xC0, 0x20, 0x01 };
	h_input(&h, even_proto, sizeof(even_proto));
	h_input(&h, bad_ctrl, 1);
	h_input(&h, bad_ctrl, 0);
	/* A reply with a wrong Identifier is not malformed, just not ours. */
	h_send_cp(&h, PPP_LCP, PPP_CONF_ACK, (uint8_t)(ours.id + 1), ours.data, ours.data_len);

	h_expect_nothing(&h);
	c = h_counters(&h);
	assert_int_equal(c.malformed[-PROTO_E(CP_LENGTH_OVERRUN)], 1);
	assert_int_equal(c.malformed[-PROTO_E(OPT_OVERRUN)], 1);
	assert_int_equal(c.malformed[-PROTO_E(OPT_BAD_LENGTH)], 1);
	assert_int_equal(c.malformed[-PROTO_E(CP_BAD_LENGTH)], 1);
	assert_int_equal(c.malformed[-PROTO_E(PPP_BAD_CONTROL)], 1);
	assert_int_equal(c.malformed[-PROTO_E(PPP_BAD_PROTOCOL)], 1);
	assert_int_equal(c.malformed[-PROTO_E(TRUNCATED)], 2);
	assert_int_equal(c.malformed_total, 8);
	assert_int_equal(c.cp_bad_reply, 1);
	assert_int_equal(h.s->lcp.fsm.state, FSM_REQ_SENT);
	assert_int_equal(h.s->lcp.fsm.restart_count, 9);

	/* The link still negotiates normally afterwards. */
	h_send_cp(&h, PPP_LCP, PPP_CONF_REQ, 1, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	h_expect_cp(&h, PPP_LCP, PPP_CONF_ACK);
	h_free(&h);
}

/* Malformed NCP and authentication packets in later phases: also dropped and counted. */
static void test_malformed_later(void **state)
{
	static const uint8_t ipcp_overrun[] = { 0x01, 0x01, 0x00, 0x0A, 0x03, 0x09,
						0x00, 0x00, 0x00, 0x00 };
	static const uint8_t chap_short[] = { CHAP_RESPONSE, 0x00, 0x00, 0x08, 0x31, 0x00 };
	struct harness h;
	struct chap_pkt c;
	(void)state;

	h_init(&h);
	h_new(&h);
	h_open_lcp(&h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	c = h_expect_chap(&h, CHAP_CHALLENGE);
	uint8_t bad[sizeof(chap_short)];
	memcpy(bad, chap_short, sizeof(bad));
	bad[1] = c.id;
	h_send(&h, PPP_CHAP, bad, sizeof(bad));
	/* IPCP before the Network phase is discarded (RFC 1661 3.5), not judged. */
	h_send(&h, PPP_IPCP, ipcp_overrun, sizeof(ipcp_overrun));
	h_expect_nothing(&h);
	struct ppp_counters cnt = h_counters(&h);
	assert_int_equal(cnt.malformed[-PROTO_E(CP_LENGTH_OVERRUN)], 1);
	assert_int_equal(cnt.dropped[PPP_DROP_WRONG_PHASE], 1);
	assert_int_equal(cnt.auth_attempts, 0);
	h_free(&h);
}

static void test_echo(void **state)
{
	struct harness h;
	uint8_t data[12];
	(void)state;

	h_init(&h);
	h.cfg.auth_methods = PPP_AUTH_NONE;
	h_new(&h);
	h_start(&h);
	h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ);
	/* Outside Opened: discarded. */
	wire_put_be32(data, 0x11223344);
	memcpy(data + 4, "ping", 4);
	h_send_cp(&h, PPP_LCP, PPP_ECHO_REQ, 5, data, 8);
	h_expect_nothing(&h);
	ppp_session_free(h.s);

	open_no_auth(&h);
	h.next = h.n_out;
	uint32_t our_magic = h.s->lcp.magic;
	h_send_cp(&h, PPP_LCP, PPP_ECHO_REQ, 6, data, 8);
	struct ppp_cp_pkt p = h_expect_cp(&h, PPP_LCP, PPP_ECHO_REP);
	assert_int_equal(p.id, 6);
	assert_int_equal(p.magic, our_magic);
	assert_int_not_equal(our_magic, 0);
	assert_int_equal(p.rest_len, 4);
	assert_memory_equal(p.rest, "ping", 4);
	/* Our own magic in a request: a looped line, not answered. */
	wire_put_be32(data, our_magic);
	h_send_cp(&h, PPP_LCP, PPP_ECHO_REQ, 7, data, 8);
	h_expect_nothing(&h);
	/* Discard-Request and Time-Remaining: taken in silence. */
	h_send_cp(&h, PPP_LCP, PPP_DISCARD_REQ, 8, "\0\0\0\0junk", 8);
	wire_put_be32(data, 0x11223344);
	wire_put_be32(data + 4, 3600);
	h_send_cp(&h, PPP_LCP, PPP_TIME_REMAINING, 9, data, 8);
	h_expect_nothing(&h);
	struct ppp_counters c = h_counters(&h);
	assert_int_equal(c.echo_req_rcvd, 2);
	assert_int_equal(c.discard_rcvd, 1);
	assert_int_equal(c.ident_rcvd, 1);
	assert_int_equal(c.loopbacks, 1);
	h_free(&h);
}

/* Unknown LCP code: Code-Reject with the packet. */
static void test_code_reject(void **state)
{
	static const uint8_t odd[] = { 0x50, 0x04, 0x00, 0x06, 0xAB, 0xCD };
	struct harness h;
	(void)state;

	h_init(&h);
	open_no_auth(&h);
	h.next = h.n_out;
	h_send(&h, PPP_LCP, odd, sizeof(odd));
	struct ppp_cp_pkt p = h_expect_cp(&h, PPP_LCP, PPP_CODE_REJ);
	assert_int_equal(p.data_len, sizeof(odd));
	assert_memory_equal(p.data, odd, sizeof(odd));
	assert_int_equal(h_counters(&h).code_rej_sent, 1);
	h_free(&h);
}

/* Keepalive: echoes only when the peer is silent; four unanswered ones end it. */
static void test_keepalive_timeout(void **state)
{
	struct harness h;
	struct ppp_cp_pkt e;
	(void)state;

	h_init(&h);
	h.cfg.auth_methods = PPP_AUTH_NONE;
	h_new(&h);
	h_open_lcp(&h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	h_open_ncps(&h); /* traffic after LCP came up */
	h_advance(&h, 30000);
	h_expect_nothing(&h); /* the NCP exchange proved the peer alive */
	h_advance(&h, 30000);
	e = h_expect_cp(&h, PPP_LCP, PPP_ECHO_REQ);
	assert_int_equal(e.magic, h.s->lcp.magic);
	h_send_cp(&h, PPP_LCP, PPP_ECHO_REP, e.id, "\x11\x22\x33\x44", 4);
	h_advance(&h, 30000);
	h_expect_nothing(&h); /* the reply was traffic */
	for (int i = 0; i < 4; i++) {
		h_advance(&h, 30000);
		h_expect_cp(&h, PPP_LCP, PPP_ECHO_REQ);
		assert_int_equal(h.down_calls, 0);
	}
	h_advance(&h, 30000);
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	assert_int_equal(h.net_down_calls, 1);
	h_advance(&h, 6000);
	assert_int_equal(h.down_calls, 1);
	assert_int_equal(h.down_reason, PPP_REASON_KEEPALIVE_TIMEOUT);
	struct ppp_counters c = h_counters(&h);
	assert_int_equal(c.echo_req_sent, 5);
	assert_int_equal(c.echo_rep_rcvd, 1);
	h_free(&h);
}

/* A busy session is never probed, whatever happens to echoes. */
static void test_keepalive_adaptive(void **state)
{
	struct harness h;
	uint64_t peer_packets = 0;
	(void)state;

	h_init(&h);
	h.cfg.auth_methods = PPP_AUTH_NONE;
	h_new(&h);
	h_open_lcp(&h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	h_open_ncps(&h);
	for (int i = 0; i < 100; i++) {
		peer_packets += 1000;
		ppp_session_note_rx(h.s, peer_packets);
		h_advance(&h, 30000);
	}
	h_expect_nothing(&h);
	assert_int_equal(h.down_calls, 0);
	assert_int_equal(h_counters(&h).echo_skipped, 100);
	/* Traffic stops: echoes resume. */
	h_advance(&h, 30000);
	h_expect_cp(&h, PPP_LCP, PPP_ECHO_REQ);
	h_free(&h);
}

/* A peer that Code-Rejects Echo-Request is not probed, and not cut for silence. */
static void test_echo_code_rejected(void **state)
{
	struct harness h;
	(void)state;

	h_init(&h);
	h.cfg.auth_methods = PPP_AUTH_NONE;
	h_new(&h);
	h_open_lcp(&h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	h_open_ncps(&h);
	h_advance(&h, 60000);
	const struct h_frame *f = h_pop(&h);
	/* Code-Reject carrying our Echo-Request. */
	h_send_cp(&h, PPP_LCP, PPP_CODE_REJ, 77, f->data + 4, f->len - 4);
	h_expect_nothing(&h);
	assert_int_equal(h.s->lcp.fsm.state, FSM_OPENED);
	h_advance(&h, 600000);
	h_expect_nothing(&h);
	assert_int_equal(h.down_calls, 0);
	h_free(&h);
}

/* The peer hangs up: Terminate-Ack, network down, then down after one restart period. */
static void test_peer_terminate(void **state)
{
	struct harness h;
	(void)state;

	h_init(&h);
	h_new(&h);
	h_authenticate(&h);
	h_open_ncps(&h);
	h_send_cp(&h, PPP_LCP, PPP_TERM_REQ, 42, "bye", 3);
	struct ppp_cp_pkt ta = h_expect_cp(&h, PPP_LCP, PPP_TERM_ACK);
	assert_int_equal(ta.id, 42);
	assert_int_equal(h.net_down_calls, 1);
	assert_int_equal(ppp_session_phase(h.s), PPP_PHASE_TERMINATE);
	h_advance(&h, 2999);
	assert_int_equal(h.down_calls, 0);
	h_advance(&h, 1);
	assert_int_equal(h.down_calls, 1);
	assert_int_equal(h.down_reason, PPP_REASON_PEER_TERMINATE);
	h_expect_nothing(&h);
	h_free(&h);
}

/* The peer renegotiates LCP: network down, authentication again, network up again. */
static void test_renegotiation(void **state)
{
	static const uint8_t peer_challenge[16] = "fedcba9876543210";
	struct harness h;
	(void)state;

	h_init(&h);
	h_new(&h);
	h_authenticate(&h);
	h_open_ncps(&h);
	h_send_cp(&h, PPP_LCP, PPP_CONF_REQ, 50, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	assert_int_equal(h.net_down_calls, 1);
	assert_int_equal(ppp_session_phase(h.s), PPP_PHASE_ESTABLISH);
	struct ppp_cp_pkt ours = h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ);
	h_expect_cp(&h, PPP_LCP, PPP_CONF_ACK);
	h_send_cp(&h, PPP_LCP, PPP_CONF_ACK, ours.id, ours.data, ours.data_len);
	struct chap_pkt c = h_expect_chap(&h, CHAP_CHALLENGE);
	h_mschapv2_respond(&h, &c, "lab", "lab-secret", peer_challenge, c.id);
	h_expect_chap(&h, CHAP_SUCCESS);
	h_open_ncps(&h);
	assert_int_equal(h.net_up_calls, 2);
	h_free(&h);
}

/* The peer asks for CHAP-MD5 instead; then for PAP, which we do not allow. */
static void test_auth_protocol_nak(void **state)
{
	static const uint8_t want_md5[] = { 0x03, 0x05, 0xC2, 0x23, 0x05 };
	static const uint8_t want_pap[] = { 0x03, 0x04, 0xC0, 0x23 };
	struct harness h;
	struct ppp_cp_pkt p;
	(void)state;

	h_init(&h);
	h.cfg.auth_methods = PPP_AUTH_MSCHAPV2 | PPP_AUTH_CHAP_MD5;
	h_new(&h);
	h_start(&h);
	p = h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ);
	assert_memory_equal(h_opt(&p, LCP_OPT_AUTH).val, "\xC2\x23\x81", 3);
	h_send_cp(&h, PPP_LCP, PPP_CONF_NAK, p.id, want_md5, sizeof(want_md5));
	p = h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ);
	assert_memory_equal(h_opt(&p, LCP_OPT_AUTH).raw, want_md5, sizeof(want_md5));
	h_send_cp(&h, PPP_LCP, PPP_CONF_NAK, p.id, want_pap, sizeof(want_pap));
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_advance(&h, 6000);
	assert_int_equal(h.down_reason, PPP_REASON_AUTH_REFUSED);
	h_free(&h);
}

/* The peer rejects authentication altogether. */
static void test_auth_protocol_rejected(void **state)
{
	struct harness h;
	struct ppp_cp_pkt p;
	(void)state;

	h_init(&h);
	h_new(&h);
	h_start(&h);
	p = h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ);
	struct ppp_opt auth = h_opt(&p, LCP_OPT_AUTH);
	h_send_cp(&h, PPP_LCP, PPP_CONF_REJ, p.id, auth.raw, auth.len);
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_advance(&h, 6000);
	assert_int_equal(h.down_reason, PPP_REASON_AUTH_REFUSED);
	h_free(&h);
}

/* The peer rejects PFC and ACFC and Magic: we stop asking; its frames may be compressed. */
static void test_reject_our_options(void **state)
{
	static const uint8_t rej[] = { 0x07, 0x02, 0x08, 0x02 };
	struct harness h;
	struct ppp_cp_pkt p;
	(void)state;

	h_init(&h);
	h.cfg.auth_methods = PPP_AUTH_NONE;
	h_new(&h);
	h_start(&h);
	p = h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ);
	h_send_cp(&h, PPP_LCP, PPP_CONF_REJ, p.id, rej, sizeof(rej));
	p = h_expect_cp(&h, PPP_LCP, PPP_CONF_REQ);
	assert_false(h_has_opt(&p, LCP_OPT_PFC));
	assert_false(h_has_opt(&p, LCP_OPT_ACFC));
	assert_true(h_has_opt(&p, LCP_OPT_MAGIC));
	/* The peer's own frames without FF 03 are accepted all the same. */
	uint8_t frame[64] = { 0xC0, 0x21, PPP_CONF_REQ, 3, 0, 4 };
	h_input(&h, frame, 6);
	h_expect_cp(&h, PPP_LCP, PPP_CONF_ACK);
	h_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_windows_mschapv2_success),
		cmocka_unit_test(test_windows_wrong_password),
		cmocka_unit_test(test_loopback),
		cmocka_unit_test(test_nak_loop_received),
		cmocka_unit_test(test_nak_loop_sent),
		cmocka_unit_test(test_mru),
		cmocka_unit_test(test_protocol_reject),
		cmocka_unit_test(test_protocol_reject_truncated),
		cmocka_unit_test(test_peer_protocol_rejects),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_malformed_later),
		cmocka_unit_test(test_echo),
		cmocka_unit_test(test_code_reject),
		cmocka_unit_test(test_keepalive_timeout),
		cmocka_unit_test(test_keepalive_adaptive),
		cmocka_unit_test(test_echo_code_rejected),
		cmocka_unit_test(test_peer_terminate),
		cmocka_unit_test(test_renegotiation),
		cmocka_unit_test(test_auth_protocol_nak),
		cmocka_unit_test(test_auth_protocol_rejected),
		cmocka_unit_test(test_reject_our_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
