/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Nothing a peer sends may crash the engine or make it misbehave. Sessions
 * in each phase are fed random frames and mutated valid ones (flipped
 * bytes, cut short, lengths changed, codes changed) while time passes; a
 * fixed-seed generator keeps every run the same. Under ASan/UBSan any read
 * outside a buffer fails the test; here we check what the engine says:
 * every frame it sends parses, no timer stays in the past, and the session
 * is reported down at most once and is silent afterwards. With MPPE
 * required, the network never goes up unencrypted.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "proto/wire.h"

static uint64_t rng_state;

static uint32_t rnd(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rng_state >> 33);
}

static uint32_t rnd_below(uint32_t n)
{
	return rnd() % n;
}

struct template {
	uint16_t protocol;
	uint8_t pkt[80];
	size_t len;
};

static const struct template templates[] = {
	{ PPP_LCP, { 1, 1, 0, 20, 2, 6, 0, 0, 0, 0, 5, 6, 1, 2, 3, 4, 7, 2, 8, 2 }, 20 },
	{ PPP_LCP, { 2, 1, 0, 8, 1, 4, 5, 0x78 }, 8 },
	{ PPP_LCP, { 3, 1, 0, 9, 3, 5, 0xC2, 0x23, 5 }, 9 },
	{ PPP_LCP, { 4, 1, 0, 10, 5, 6, 0, 0, 0, 1 }, 10 },
	{ PPP_LCP, { 5, 2, 0, 4 }, 4 },
	{ PPP_LCP, { 6, 2, 0, 4 }, 4 },
	{ PPP_LCP, { 7, 3, 0, 8, 1, 1, 0, 4 }, 8 },
	{ PPP_LCP, { 8, 3, 0, 10, 0x80, 0x21, 1, 1, 0, 4 }, 10 },
	{ PPP_LCP, { 9, 4, 0, 12, 0, 0, 0, 1, 'p', 'i', 'n', 'g' }, 12 },
	{ PPP_LCP, { 10, 4, 0, 8, 0, 0, 0, 1 }, 8 },
	{ PPP_LCP, { 12, 5, 0, 18, 0, 0, 0, 0, 'M', 'S', 'R', 'A', 'S', 'V', '5', '.', '2', '0' }, 18 },
	{ PPP_LCP, { 13, 5, 0, 12, 0, 0, 0, 0, 0, 0, 1, 0 }, 12 },
	{ PPP_PAP, { 1, 1, 0, 18, 3, 'l', 'a', 'b', 10, 'l', 'a', 'b', '-', 's', 'e', 'c', 'r', 'e' }, 18 },
	{ PPP_CHAP, { 2, 0, 0, 57, 49 }, 57 }, /* MS-CHAPv2 Response, value zeros, name "lab" */
	{ PPP_CHAP, { 2, 0, 0, 24, 16 }, 24 }, /* CHAP-MD5-sized Response */
	{ PPP_IPCP, { 1, 1, 0, 22, 3, 6, 0, 0, 0, 0, 129, 6, 0, 0, 0, 0, 2, 6, 0, 0x2D, 15, 1 }, 22 },
	{ PPP_IPCP, { 2, 1, 0, 10, 3, 6, 100, 64, 0, 1 }, 10 },
	{ PPP_IPCP, { 5, 1, 0, 4 }, 4 },
	{ PPP_CCP, { 1, 1, 0, 10, 0x12, 6, 1, 0, 0, 0x40 }, 10 },
	{ PPP_CCP, { 14, 1, 0, 4 }, 4 },
	{ PPP_CCP, { 1, 2, 0, 10, 0x12, 6, 0, 0, 0, 0x40 }, 10 },
	{ PPP_CCP, { 2, 1, 0, 10, 0x12, 6, 1, 0, 0, 0x40 }, 10 },
	{ PPP_CCP, { 3, 1, 0, 10, 0x12, 6, 1, 0, 0, 0x20 }, 10 },
	{ PPP_CCP, { 4, 1, 0, 10, 0x12, 6, 1, 0, 0, 0x40 }, 10 },
	{ PPP_CCP, { 5, 3, 0, 4 }, 4 },
	{ PPP_CCP, { 15, 1, 0, 4 }, 4 },
	{ PPP_COMP, { 0x90, 0x00, 1, 2, 3, 4 }, 6 },
	{ PPP_IPV6CP, { 1, 1, 0, 14, 1, 10, 1, 2, 3, 4, 5, 6, 7, 8 }, 14 },
	{ PPP_IP, { 0x45, 0, 0, 20 }, 4 },
	{ 0x0281, { 1, 2, 3 }, 3 },
};

#define N_TEMPLATES (sizeof(templates) / sizeof(templates[0]))

/* A frame: a template, mutated, or noise. */
static size_t make_frame(uint8_t *f, size_t cap)
{
	const struct template *t = &templates[rnd_below(N_TEMPLATES)];
	size_t n = 0, len;
	uint32_t how = rnd_below(10);

	if (how == 0) { /* noise */
		len = rnd_below(200);
		for (size_t i = 0; i < len; i++)
			f[i] = (uint8_t)rnd();
		return len;
	}
	/* header: full, without FF 03, or 1-byte protocol where allowed */
	if (rnd_below(4) != 0) {
		f[n++] = 0xFF;
		f[n++] = 0x03;
	}
	if (t->protocol < 0x100 && rnd_below(2)) {
		f[n++] = (uint8_t)t->protocol;
	} else {
		wire_put_be16(f + n, t->protocol);
		n += 2;
	}
	memcpy(f + n, t->pkt, t->len);
	if (t->protocol == PPP_CHAP && t->len == 57)
		memcpy(f + n + 54, "lab", 3);
	if (t->protocol == PPP_CHAP) /* often the right Identifier: the session's challenge */
		f[n + 1] = (uint8_t)rnd_below(4);
	len = n + t->len;
	if (how >= 5) { /* mutate */
		switch (rnd_below(5)) {
		case 0:
			for (int k = 0, m = 1 + (int)rnd_below(3); k < m; k++)
				f[rnd_below((uint32_t)len)] ^= (uint8_t)(1u << rnd_below(8));
			break;
		case 1:
			len = rnd_below((uint32_t)len + 1);
			break;
		case 2: /* the Length field */
			if (t->len >= 4)
				wire_put_be16(f + n + 2, (uint16_t)rnd_below(120));
			break;
		case 3: /* garbage after */
			for (uint32_t k = rnd_below(60); k > 0 && len < cap; k--)
				f[len++] = (uint8_t)rnd();
			break;
		default: /* another code */
			f[n] = (uint8_t)rnd_below(20);
			break;
		}
	}
	return len;
}

/* Everything we sent must parse; the queue is then emptied. */
static void check_output(struct harness *h)
{
	for (size_t i = 0; i < h->n_out; i++) {
		const uint8_t *d = h->out[i].data;
		size_t len = h->out[i].len;
		struct ppp_frame fr;
		struct ppp_cp_pkt cp;
		struct chap_pkt chap;
		struct pap_pkt pap;

		assert_int_equal(ppp_frame_parse(d, len, &fr), PROTO_OK);
		assert_true(len - fr.hdr_len <= 1500);
		switch (fr.protocol) {
		case PPP_LCP:
		case PPP_IPCP:
		case PPP_CCP:
			assert_int_equal(ppp_cp_parse(fr.protocol, d + fr.hdr_len, len - fr.hdr_len, &cp),
					 PROTO_OK);
			assert_int_equal(cp.length, len - fr.hdr_len);
			break;
		case PPP_CHAP:
			assert_int_equal(chap_parse(d + fr.hdr_len, len - fr.hdr_len, &chap), PROTO_OK);
			break;
		case PPP_PAP:
			assert_int_equal(pap_parse(d + fr.hdr_len, len - fr.hdr_len, &pap), PROTO_OK);
			break;
		default:
			fail_msg("we sent protocol 0x%04x", fr.protocol);
		}
	}
	h->n_out = h->next = 0;
}

/* Network phase with MPPE: CCP agreed on what we ask, then IPCP. */
static void open_ncps_mppe(struct harness *h)
{
	static const uint8_t want_any[] = { 0x03, 0x06, 0, 0, 0, 0 };
	struct ppp_cp_pkt ccp = h_expect_cp(h, PPP_CCP, PPP_CONF_REQ);
	struct ppp_cp_pkt ipcp = h_expect_cp(h, PPP_IPCP, PPP_CONF_REQ);
	struct ppp_cp_pkt nak;
	uint8_t addr_opt[6];

	h_send_cp(h, PPP_CCP, PPP_CONF_ACK, ccp.id, ccp.data, ccp.data_len);
	h_send_cp(h, PPP_CCP, PPP_CONF_REQ, 1, ccp.data, ccp.data_len);
	h_expect_cp(h, PPP_CCP, PPP_CONF_ACK);
	h_send_cp(h, PPP_IPCP, PPP_CONF_ACK, ipcp.id, ipcp.data, ipcp.data_len);
	h_send_cp(h, PPP_IPCP, PPP_CONF_REQ, 1, want_any, sizeof(want_any));
	nak = h_expect_cp(h, PPP_IPCP, PPP_CONF_NAK);
	memcpy(addr_opt, nak.data, sizeof(addr_opt));
	h_send_cp(h, PPP_IPCP, PPP_CONF_REQ, 2, addr_opt, sizeof(addr_opt));
	h_expect_cp(h, PPP_IPCP, PPP_CONF_ACK);
	assert_true(h->net.mppe);
}

/* A new session brought to `phase`: 0 Establish, 1 LCP open, 2 Network. */
static void setup(struct harness *h, unsigned method, int phase)
{
	static const uint8_t pc[16] = "0123456789abcdef";

	h_new(h);
	if (phase == 0) {
		h_start(h);
		return;
	}
	h_open_lcp(h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	if (phase == 2 && method == PPP_AUTH_MSCHAPV2) {
		struct chap_pkt c = h_expect_chap(h, CHAP_CHALLENGE);
		h_mschapv2_respond(h, &c, "lab", "lab-secret", pc, c.id);
		h_expect_chap(h, CHAP_SUCCESS);
	}
	if (phase == 2 && h->cfg.mppe.policy != PPP_MPPE_OFF)
		open_ncps_mppe(h);
	else if (phase == 2)
		h_open_ncps(h);
}

static void run_mppe(unsigned method, int phase, uint64_t seed, const struct ppp_mppe_config *m)
{
	struct harness h;
	uint8_t frame[400];
	int quiet_steps = 0;

	rng_state = seed;
	h_init(&h);
	h.cfg.auth_methods = method;
	if (method == PPP_AUTH_NONE)
		h.cfg.auth_backend = NULL;
	h.cfg.echo_interval_ms = 5000;
	if (m)
		h.cfg.mppe = *m;
	setup(&h, method, phase);
	for (int step = 0; step < 600; step++) {
		bool was_finished = ppp_session_finished(h.s);

		check_output(&h);
		if (was_finished && ++quiet_steps > 3) {
			/* Seen silent for a while: start another session. */
			ppp_session_free(h.s);
			h.down_calls = 0;
			h.net_up_calls = h.net_down_calls = 0;
			quiet_steps = 0;
			setup(&h, method, phase);
			check_output(&h);
			was_finished = false;
		}
		if (rnd_below(8) == 0) {
			h_advance(&h, rnd_below(4000));
		} else if (m && rnd_below(16) == 0) {
			ppp_session_mppe_resync(h.s, h.now); /* the data plane lost sync */
		} else {
			size_t len = make_frame(frame, sizeof(frame));
			h_input(&h, frame, len);
		}
		assert_true(h.down_calls <= 1);
		assert_true(h.net_down_calls <= h.net_up_calls);
		if (h.net_up_calls && h.cfg.mppe.policy == PPP_MPPE_REQUIRE)
			assert_true(h.net.mppe && h.net.mtu <= 1396); /* never in the clear */
		if (was_finished)
			assert_int_equal(h.n_out, 0); /* a finished session is silent */
		/* h_advance ran every due timer; nothing we did set one in the past. */
		assert_true(ppp_session_next_deadline(h.s) > h.now);
	}
	check_output(&h);
	/* Whatever happened, the session can always be ended. */
	ppp_session_close(h.s, h.now, PPP_REASON_ADMIN);
	h_advance(&h, 10000);
	check_output(&h);
	assert_int_equal(h.down_calls, 1);
	assert_true(ppp_session_finished(h.s));
	h_free(&h);
}

static void run(unsigned method, int phase, uint64_t seed)
{
	run_mppe(method, phase, seed, NULL);
}

static void test_random_frames(void **state)
{
	static const unsigned methods[] = { PPP_AUTH_NONE, PPP_AUTH_PAP, PPP_AUTH_CHAP_MD5,
					    PPP_AUTH_MSCHAPV2 };
	/* PPP_ROBUSTNESS_SEEDS=n for a longer soak by hand. */
	const char *env = getenv("PPP_ROBUSTNESS_SEEDS");
	uint64_t seeds = env ? strtoull(env, NULL, 10) : 40;
	(void)state;

	for (uint64_t seed = 1; seed <= seeds; seed++)
		for (size_t m = 0; m < 4; m++)
			for (int phase = 0; phase < 3; phase++) {
				if (phase == 2 && (methods[m] == PPP_AUTH_PAP ||
						   methods[m] == PPP_AUTH_CHAP_MD5))
					continue; /* the MS-CHAPv2 and no-auth cases reach it */
				run(methods[m], phase, seed * 1000 + m * 10 + (uint64_t)phase);
			}
}

/* MS-CHAPv2 with MPPE allowed, required, stateful, weaker keys; PAP with MPPE allowed. */
static void test_random_frames_mppe(void **state)
{
	static const struct ppp_mppe_config cfgs[] = {
		{ PPP_MPPE_ALLOW, PPP_MPPE_128, true },
		{ PPP_MPPE_REQUIRE, PPP_MPPE_128, true },
		{ PPP_MPPE_REQUIRE, PPP_MPPE_40 | PPP_MPPE_56 | PPP_MPPE_128, false },
	};
	const char *env = getenv("PPP_ROBUSTNESS_SEEDS");
	uint64_t seeds = env ? strtoull(env, NULL, 10) : 40;
	(void)state;

	for (uint64_t seed = 1; seed <= seeds; seed++) {
		for (size_t c = 0; c < sizeof(cfgs) / sizeof(cfgs[0]); c++)
			for (int phase = 0; phase < 3; phase++)
				run_mppe(PPP_AUTH_MSCHAPV2, phase, seed * 1000 + c * 10 + (uint64_t)phase,
					 &cfgs[c]);
		run_mppe(PPP_AUTH_PAP, 1, seed * 1000 + 99, &cfgs[0]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_frames),
		cmocka_unit_test(test_random_frames_mppe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
