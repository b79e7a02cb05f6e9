/* SPDX-License-Identifier: BSD-3-Clause */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ppp/mschapv2_crypto.h"
#include "proto/wire.h"

const uint8_t H_PEER_LCP_OPTS[] = {
	0x02, 0x06, 0x00, 0x00, 0x00, 0x00, /* ACCM 0 */
	0x05, 0x06, 0x11, 0x22, 0x33, 0x44, /* Magic-Number */
	0x07, 0x02,                         /* PFC */
	0x08, 0x02,                         /* ACFC */
};
const size_t H_PEER_LCP_OPTS_LEN = sizeof(H_PEER_LCP_OPTS);

/* ---- hooks ---- */

static void hook_send(void *owner, const uint8_t *frame, size_t len)
{
	struct harness *h = owner;

	assert_true(h->n_out < H_MAX_FRAMES);
	assert_true(len <= H_FRAME_MAX);
	memcpy(h->out[h->n_out].data, frame, len);
	h->out[h->n_out].len = len;
	h->n_out++;
}

static void hook_network_up(void *owner, const struct ppp_net_params *p)
{
	struct harness *h = owner;

	h->net_up_calls++;
	h->net = *p;
	snprintf(h->net_user, sizeof(h->net_user), "%s", p->user);
	h->net.user = h->net_user;
	h->net_keys = *p->keys;
	h->net.keys = &h->net_keys;
}

static void hook_network_down(void *owner)
{
	((struct harness *)owner)->net_down_calls++;
}

static void hook_mppe_flush(void *owner)
{
	((struct harness *)owner)->mppe_flushes++;
}

static void hook_down(void *owner, enum ppp_reason reason)
{
	struct harness *h = owner;

	h->down_calls++;
	h->down_reason = reason;
}

static void hook_log(void *owner, enum ppp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void hook_log(void *owner, enum ppp_log_level level, const char *fmt, ...)
{
	struct harness *h = owner;
	va_list ap;

	if (!h->log)
		return;
	fprintf(stderr, "[%8llu ms] <%d> ", (unsigned long long)h->now, level);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int hook_random(void *owner, void *buf, size_t len)
{
	struct harness *h = owner;
	uint8_t *p = buf;

	if (h->rand_fail)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (h->rand_script_pos < h->rand_script_len) {
			p[i] = h->rand_script[h->rand_script_pos++];
		} else {
			/* A simple stream: deterministic, never long runs of zeros. */
			h->rand_counter = h->rand_counter * 1103515245u + 12345u;
			p[i] = (uint8_t)(h->rand_counter >> 16);
		}
	}
	return 0;
}

/* ---- the fake backend ---- */

static int fake_verify(struct ppp_auth_backend *be, const struct ppp_auth_request *req,
		       ppp_auth_done_fn done, void *cookie, uint64_t now)
{
	struct fake_backend *f = (struct fake_backend *)be;

	f->verifies++;
	f->method = req->method;
	snprintf(f->user, sizeof(f->user), "%s", req->user);
	if (req->method == PPP_AUTH_PAP) {
		f->password_len = req->pap.password_len;
		memcpy(f->password, req->pap.password, req->pap.password_len);
	}
	if (f->fail_start)
		return -1;
	if (f->answer_now) {
		done(cookie, now, &f->answer);
		return 0;
	}
	f->done = done;
	f->cookie = cookie;
	f->pending = true;
	return 0;
}

static void fake_cancel(struct ppp_auth_backend *be, void *cookie)
{
	struct fake_backend *f = (struct fake_backend *)be;

	if (f->pending && f->cookie == cookie) {
		f->pending = false;
		f->cancels++;
	}
}

/* ---- set-up ---- */

void h_secrets(struct harness *h, const char *text)
{
	unsigned errors = 0;

	secrets_free(h->secrets);
	h->secrets = secrets_parse(text, strlen(text), "test", NULL, NULL, &errors);
	assert_non_null(h->secrets);
	assert_int_equal(errors, 0);
	secrets_backend_init(&h->secrets_backend, h->secrets, "pptpd");
	h->cfg.auth_backend = &h->secrets_backend.base;
}

void h_init(struct harness *h)
{
	struct ip_range r;
	uint32_t reserved;
	char err[128];

	memset(h, 0, sizeof(*h));
	h->log = getenv("PPP_TEST_LOG") != NULL;
	h->now = 1000000;
	ppp_config_default(&h->cfg);
	h->hooks.send = hook_send;
	h->hooks.network_up = hook_network_up;
	h->hooks.network_down = hook_network_down;
	h->hooks.down = hook_down;
	h->hooks.log = hook_log;
	h->hooks.random = hook_random;
	h->hooks.mppe_flush = hook_mppe_flush;
	h->rand_counter = 0x12345678;
	h_secrets(h, "lab pptpd lab-secret *\n");
	h->fake.base.verify = fake_verify;
	h->fake.base.cancel = fake_cancel;
	h->fake.base.name = "fake";

	assert_int_equal(ip_range_parse("100.64.0.0/16", &r), 0);
	reserved = h_ip(100, 64, 0, 1);
	h->pool = ip_pool_create(&r, 1, &reserved, 1, err, sizeof(err));
	assert_non_null(h->pool);
	h->cfg.pool = h->pool;
	h->cfg.local_ip = reserved;
	h->cfg.dns[0] = h_ip(8, 8, 8, 8);
	h->cfg.dns[1] = h_ip(8, 8, 4, 4);
}

void h_use_fake_backend(struct harness *h)
{
	h->cfg.auth_backend = &h->fake.base;
}

void h_new(struct harness *h)
{
	h->s = ppp_session_new(&h->cfg, &h->hooks, h);
	assert_non_null(h->s);
}

void h_free(struct harness *h)
{
	ppp_session_free(h->s);
	h->s = NULL;
	secrets_free(h->secrets);
	h->secrets = NULL;
	ip_pool_free(h->pool);
	h->pool = NULL;
}

/* ---- driving ---- */

void h_start(struct harness *h)
{
	ppp_session_start(h->s, h->now);
}

void h_input(struct harness *h, const uint8_t *frame, size_t len)
{
	ppp_session_input(h->s, h->now, frame, len);
}

void h_send(struct harness *h, uint16_t protocol, const uint8_t *pkt, size_t len)
{
	uint8_t frame[H_FRAME_MAX];

	assert_true(len + 4 <= sizeof(frame));
	frame[0] = PPP_ADDRESS;
	frame[1] = PPP_CONTROL;
	wire_put_be16(frame + 2, protocol);
	memcpy(frame + 4, pkt, len);
	h_input(h, frame, len + 4);
}

void h_send_cp(struct harness *h, uint16_t protocol, uint8_t code, uint8_t id,
	       const void *data, size_t len)
{
	uint8_t pkt[H_FRAME_MAX];
	struct ppp_cp_writer w;
	int n;

	ppp_cp_writer_init(&w, pkt, sizeof(pkt), code, id);
	ppp_cp_put_bytes(&w, data, len);
	n = ppp_cp_writer_finish(&w);
	assert_true(n > 0);
	h_send(h, protocol, pkt, (size_t)n);
}

void h_advance(struct harness *h, uint64_t ms)
{
	uint64_t target = h->now + ms;

	for (int guard = 0;; guard++) {
		uint64_t d = ppp_session_next_deadline(h->s);

		assert_true(guard < 100000);
		if (d > target)
			break;
		if (d > h->now)
			h->now = d;
		ppp_session_tick(h->s, h->now);
		/* Every due timer was handled: no deadline may stay in the past. */
		assert_true(ppp_session_next_deadline(h->s) > h->now);
	}
	h->now = target;
}

void h_rand_script(struct harness *h, const uint8_t *bytes, size_t len)
{
	assert_true(len <= sizeof(h->rand_script));
	memcpy(h->rand_script, bytes, len);
	h->rand_script_len = len;
	h->rand_script_pos = 0;
}

/* ---- looking at what was sent ---- */

size_t h_pending(const struct harness *h)
{
	return h->n_out - h->next;
}

const struct h_frame *h_pop(struct harness *h)
{
	if (h->next >= h->n_out)
		fail_msg("expected a frame from the engine, got none");
	return &h->out[h->next++];
}

static const uint8_t *payload(const struct h_frame *f, uint16_t protocol, size_t *len)
{
	struct ppp_frame hdr;

	assert_int_equal(ppp_frame_parse(f->data, f->len, &hdr), PROTO_OK);
	if (hdr.protocol != protocol)
		fail_msg("expected protocol 0x%04x, got 0x%04x", protocol, hdr.protocol);
	/* LCP always goes out uncompressed (RFC 1661 6.5, 6.6). */
	if (protocol == PPP_LCP)
		assert_true(hdr.has_acf && !hdr.pfc);
	*len = f->len - hdr.hdr_len;
	return f->data + hdr.hdr_len;
}

struct ppp_cp_pkt h_expect_cp(struct harness *h, uint16_t protocol, uint8_t code)
{
	const struct h_frame *f = h_pop(h);
	struct ppp_cp_pkt p;
	size_t len;
	const uint8_t *info = payload(f, protocol, &len);

	assert_int_equal(ppp_cp_parse(protocol, info, len, &p), PROTO_OK);
	if (p.code != code)
		fail_msg("%s: expected %s, got %s", ppp_proto_name(protocol),
			 ppp_cp_code_name(code), ppp_cp_code_name(p.code));
	assert_int_equal(p.length, len); /* no padding from us */
	return p;
}

struct chap_pkt h_expect_chap(struct harness *h, uint8_t code)
{
	const struct h_frame *f = h_pop(h);
	struct chap_pkt p;
	size_t len;
	const uint8_t *info = payload(f, PPP_CHAP, &len);

	assert_int_equal(chap_parse(info, len, &p), PROTO_OK);
	if (p.code != code)
		fail_msg("CHAP: expected code %u, got %u", code, p.code);
	return p;
}

struct pap_pkt h_expect_pap(struct harness *h, uint8_t code)
{
	const struct h_frame *f = h_pop(h);
	struct pap_pkt p;
	size_t len;
	const uint8_t *info = payload(f, PPP_PAP, &len);

	assert_int_equal(pap_parse(info, len, &p), PROTO_OK);
	if (p.code != code)
		fail_msg("PAP: expected code %u, got %u", code, p.code);
	return p;
}

void h_expect_nothing(struct harness *h)
{
	if (h->next < h->n_out) {
		struct ppp_frame hdr;
		ppp_frame_parse(h->out[h->next].data, h->out[h->next].len, &hdr);
		fail_msg("expected no frame, got %zu (first: protocol 0x%04x, byte %u)",
			 h->n_out - h->next, hdr.protocol,
			 h->out[h->next].len > hdr.hdr_len ? h->out[h->next].data[hdr.hdr_len] : 0);
	}
}

bool h_has_opt(const struct ppp_cp_pkt *p, uint8_t type)
{
	struct ppp_opt_iter it;
	struct ppp_opt o;

	ppp_opt_iter_init(&it, p->data, p->data_len);
	while (ppp_opt_next(&it, &o) > 0)
		if (o.type == type)
			return true;
	return false;
}

struct ppp_opt h_opt(const struct ppp_cp_pkt *p, uint8_t type)
{
	struct ppp_opt_iter it;
	struct ppp_opt o;

	ppp_opt_iter_init(&it, p->data, p->data_len);
	while (ppp_opt_next(&it, &o) > 0)
		if (o.type == type)
			return o;
	fail_msg("option %u missing", type);
	return o;
}

void h_assert_opts(const struct ppp_cp_pkt *p, const uint8_t *opts, size_t len)
{
	assert_int_equal(p->data_len, len);
	assert_memory_equal(p->data, opts, len);
}

struct ppp_counters h_counters(const struct harness *h)
{
	struct ppp_counters c;

	ppp_session_get_counters(h->s, &c);
	return c;
}

/* ---- canned exchanges ---- */

void h_open_lcp(struct harness *h, const uint8_t *peer_opts, size_t len)
{
	struct ppp_cp_pkt ours;
	uint8_t our_opts[256];
	uint8_t our_id;
	size_t our_len;

	h_start(h);
	ours = h_expect_cp(h, PPP_LCP, PPP_CONF_REQ);
	our_id = ours.id;
	our_len = ours.data_len;
	memcpy(our_opts, ours.data, our_len);
	h_send_cp(h, PPP_LCP, PPP_CONF_REQ, 1, peer_opts, len);
	struct ppp_cp_pkt ack = h_expect_cp(h, PPP_LCP, PPP_CONF_ACK);
	assert_int_equal(ack.id, 1);
	h_assert_opts(&ack, peer_opts, len);
	h_send_cp(h, PPP_LCP, PPP_CONF_ACK, our_id, our_opts, our_len);
}

void h_mschapv2_respond(struct harness *h, const struct chap_pkt *challenge, const char *user,
			const char *password, const uint8_t peer_challenge[16], uint8_t id)
{
	uint8_t hash[16], pkt[128];
	struct mschapv2_response r;
	uint8_t value[MSCHAPV2_RESPONSE_LEN];
	int n;

	assert_int_equal(challenge->value_size, 16);
	assert_int_equal(mschap_nt_password_hash_utf8((const uint8_t *)password, strlen(password),
						      hash),
			 0);
	memset(&r, 0, sizeof(r));
	memcpy(r.peer_challenge, peer_challenge, 16);
	mschapv2_nt_response(challenge->value, peer_challenge, user, strlen(user), hash,
			     r.nt_response);
	mschapv2_response_write(value, &r);
	n = chap_build_value(pkt, sizeof(pkt), CHAP_RESPONSE, id, value, sizeof(value), user,
			     strlen(user));
	assert_true(n > 0);
	h_send(h, PPP_CHAP, pkt, (size_t)n);
}

void h_authenticate(struct harness *h)
{
	static const uint8_t peer_challenge[16] = "0123456789abcdef";
	struct chap_pkt c, s;

	h_open_lcp(h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	c = h_expect_chap(h, CHAP_CHALLENGE);
	h_mschapv2_respond(h, &c, "lab", "lab-secret", peer_challenge, c.id);
	s = h_expect_chap(h, CHAP_SUCCESS);
	assert_int_equal(s.id, c.id);
}

uint32_t h_open_ncps(struct harness *h)
{
	static const uint8_t want_any[] = { 0x03, 0x06, 0, 0, 0, 0 };
	struct ppp_cp_pkt ccp = h_expect_cp(h, PPP_CCP, PPP_CONF_REQ);
	struct ppp_cp_pkt ipcp = h_expect_cp(h, PPP_IPCP, PPP_CONF_REQ);
	struct ppp_cp_pkt nak;
	uint8_t addr_opt[6];
	uint32_t addr;
	int ups = h->net_up_calls;

	h_send_cp(h, PPP_CCP, PPP_CONF_ACK, ccp.id, ccp.data, ccp.data_len);
	h_send_cp(h, PPP_IPCP, PPP_CONF_ACK, ipcp.id, ipcp.data, ipcp.data_len);
	h_send_cp(h, PPP_CCP, PPP_CONF_REQ, 1, NULL, 0);
	h_expect_cp(h, PPP_CCP, PPP_CONF_ACK);
	h_send_cp(h, PPP_IPCP, PPP_CONF_REQ, 1, want_any, sizeof(want_any));
	nak = h_expect_cp(h, PPP_IPCP, PPP_CONF_NAK);
	addr = wire_get_be32(h_opt(&nak, IPCP_OPT_ADDRESS).val);
	assert_int_not_equal(addr, 0);
	addr_opt[0] = IPCP_OPT_ADDRESS;
	addr_opt[1] = 6;
	wire_put_be32(addr_opt + 2, addr);
	h_send_cp(h, PPP_IPCP, PPP_CONF_REQ, 2, addr_opt, sizeof(addr_opt));
	h_expect_cp(h, PPP_IPCP, PPP_CONF_ACK);
	assert_int_equal(h->net_up_calls, ups + 1);
	assert_int_equal(h->net.peer_ip, addr);
	return addr;
}
