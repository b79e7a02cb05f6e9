/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MPPE through CCP option 18 (RFC 3078 2, RFC 1962), server side; see
 * ccp_mppe.h for the rules. The cipher itself is the data plane's: this
 * module agrees on the key length and mode, hands over the MS-CHAPv2 start
 * keys (RFC 3079 3.3), and carries CCP Reset-Request/Reset-Ack.
 */
#include <stdio.h>
#include <string.h>

#include "ppp_internal.h"
#include "proto/wire.h"

/* ---- option values ---- */

/* cfg.mppe.bits (PPP_MPPE_*) as option 18's key bits. */
static uint32_t allowed_keys(const struct ppp_session *s)
{
	unsigned b = s->cfg.mppe.bits;

	return (b & PPP_MPPE_40 ? MPPE_OPT_L : 0) | (b & PPP_MPPE_56 ? MPPE_OPT_M : 0) |
	       (b & PPP_MPPE_128 ? MPPE_OPT_S : 0);
}

/* The strongest key bit set in `keys`: S, then M, then L; 0 if none. */
static uint32_t strongest(uint32_t keys)
{
	if (keys & MPPE_OPT_S)
		return MPPE_OPT_S;
	if (keys & MPPE_OPT_M)
		return MPPE_OPT_M;
	return keys & MPPE_OPT_L;
}

unsigned ccp_mppe_bits(uint32_t val)
{
	switch (strongest(val)) {
	case MPPE_OPT_S: return 128;
	case MPPE_OPT_M: return 56;
	case MPPE_OPT_L: return 40;
	default: return 0;
	}
}

const char *ccp_mppe_describe(uint32_t val, char *buf, size_t len)
{
	uint32_t known = MPPE_OPT_H | MPPE_OPT_KEYS | MPPE_OPT_D | MPPE_OPT_C;

	snprintf(buf, len, "0x%08x (%s%s%s%s%s%s%s)", val, val & MPPE_OPT_S ? "128 " : "",
		 val & MPPE_OPT_M ? "56 " : "", val & MPPE_OPT_L ? "40 " : "",
		 val & MPPE_OPT_KEYS ? "" : "no key length ",
		 val & MPPE_OPT_H ? "stateless" : "stateful", val & MPPE_OPT_C ? " +MPPC" : "",
		 val & ~known ? " +unknown bits" : "");
	return buf;
}

static bool required(const struct ccp_mppe *m)
{
	return m->s->cfg.mppe.policy == PPP_MPPE_REQUIRE;
}

bool ccp_mppe_in_play(const struct ccp_mppe *m)
{
	return !m->unavailable && !m->refused;
}

/*
 * The peer will not encrypt. Require: the session ends (1: send nothing
 * more). Allow: we stop asking and reject its option 18 from now on (0).
 */
static int refused(struct ccp_mppe *m, const char *why)
{
	struct ppp_session *s = m->s;

	if (required(m)) {
		ppp_logf(s, PPP_LOG_NOTICE, "MPPE: required but %s: ending the session", why);
		ppp_session_fail(s, PPP_REASON_ENCRYPTION_REQUIRED);
		return 1;
	}
	ppp_logf(s, PPP_LOG_INFO, "MPPE: %s: going on without encryption", why);
	m->refused = true;
	return 0;
}

/* ---- the hook ---- */

static void mppe_reset(void *ctx)
{
	struct ccp_mppe *m = ctx;
	struct ppp_session *s = m->s;
	const struct ppp_auth_keys *k = &s->auth.result.keys;

	m->want = strongest(allowed_keys(s)) | MPPE_OPT_H;
	m->sent = false;
	m->refused = false;
	m->unavailable = false;
	/*
	 * peer_seen/peer_acked stay: they belong to the peer's last request,
	 * which may be judged just before this reset (RCR in Stopped: irc,scr,sca).
	 */
	if (!k->valid) {
		m->unavailable = true;
		if (required(m)) {
			ppp_logf(s, PPP_LOG_NOTICE,
				 "MPPE: required but authentication (%s) gave no MS-CHAPv2 keys: "
				 "ending the session",
				 ppp_auth_method_name((enum ppp_auth_method)s->lcp.auth_method));
			ppp_session_fail(s, PPP_REASON_ENCRYPTION_REQUIRED);
		} else {
			ppp_logf(s, PPP_LOG_INFO, "MPPE: not offered, authentication (%s) gave no "
						  "MS-CHAPv2 keys",
				 ppp_auth_method_name((enum ppp_auth_method)s->lcp.auth_method));
		}
	} else if (s->network_up && !s->net.mppe) {
		/* The data plane already forwards in the clear: no switching midway. */
		m->unavailable = true;
	}
}

static void mppe_add_opts(void *ctx, struct ppp_cp_writer *w)
{
	struct ccp_mppe *m = ctx;

	m->sent = ccp_mppe_in_play(m);
	if (!m->sent)
		return;
	m->sent_val = m->want;
	ppp_cp_put_opt_u32(w, CCP_OPT_MPPE, m->want);
}

static void mppe_req_begin(void *ctx)
{
	struct ccp_mppe *m = ctx;

	m->peer_seen = false;
	m->peer_acked = false;
}

static enum ppp_opt_verdict mppe_req_opt(void *ctx, const struct ppp_opt *o,
					 struct ppp_cp_writer *nak)
{
	struct ccp_mppe *m = ctx;
	struct ppp_session *s = m->s;
	char got[64], ours[64];
	uint32_t val;

	if (o->type != CCP_OPT_MPPE || !ccp_mppe_in_play(m))
		return PPP_OPT_REJ; /* other compression; or MPPE off for this session */
	val = wire_get_be32(o->val); /* the size (6) is checked by the codec */
	m->peer_seen = true;
	if (val == m->want) {
		m->peer_acked = true;
		m->peer_val = val;
		return PPP_OPT_ACK;
	}
	ccp_mppe_describe(val, got, sizeof(got));
	ccp_mppe_describe(m->want, ours, sizeof(ours));
	if (required(m) && s->ccp.fsm.naks_sent >= s->ccp.fsm.t.max_failure) {
		/* Max-Failure would turn the Nak into a Reject: the peer would not encrypt. */
		ppp_logf(s, PPP_LOG_NOTICE,
			 "MPPE: required but the peer insists on %s, we need %s: ending the session",
			 got, ours);
		ppp_session_fail(s, PPP_REASON_ENCRYPTION_REQUIRED);
	} else {
		ppp_logf(s, PPP_LOG_DEBUG, "MPPE: peer asks %s, Nak with %s", got, ours);
	}
	ppp_cp_put_opt_u32(nak, CCP_OPT_MPPE, m->want);
	return PPP_OPT_NAK;
}

/* A request without option 18 while we want MPPE: suggest ours (RFC 1661 5.3). */
static void mppe_req_end(void *ctx, struct ppp_cp_writer *nak)
{
	struct ccp_mppe *m = ctx;

	if (ccp_mppe_in_play(m) && !m->peer_seen)
		ppp_cp_put_opt_u32(nak, CCP_OPT_MPPE, m->want);
}

static int mppe_got_nak(void *ctx, const uint8_t *opts, size_t len)
{
	struct ccp_mppe *m = ctx;
	struct ppp_session *s = m->s;
	struct ppp_opt_iter it;
	struct ppp_opt o;
	char got[64], why[128];

	ppp_opt_iter_init(&it, opts, len);
	while (ppp_opt_next(&it, &o) > 0) {
		uint32_t val, keys;

		if (o.type != CCP_OPT_MPPE || o.val_len != 4 || !m->sent)
			continue; /* a suggestion we did not ask about: ignored */
		val = wire_get_be32(o.val);
		keys = val & allowed_keys(s);
		ccp_mppe_describe(val, got, sizeof(got));
		if (!(keys & MPPE_OPT_KEYS)) {
			snprintf(why, sizeof(why), "the peer offers %s, none of our key lengths",
				 got);
			return refused(m, why);
		}
		if (!(val & MPPE_OPT_H) && s->cfg.mppe.stateless) {
			snprintf(why, sizeof(why),
				 "the peer insists on stateful mode (%s), we run stateless only", got);
			return refused(m, why);
		}
		m->want = strongest(keys) | (val & MPPE_OPT_H);
		ppp_logf(s, PPP_LOG_DEBUG, "MPPE: peer Naks our request with %s, asking 0x%08x",
			 got, m->want);
	}
	return 0;
}

static int mppe_got_rej(void *ctx, const uint8_t *opts, size_t len)
{
	struct ccp_mppe *m = ctx;
	struct ppp_opt_iter it;
	struct ppp_opt o;

	ppp_opt_iter_init(&it, opts, len);
	while (ppp_opt_next(&it, &o) > 0)
		if (o.type == CCP_OPT_MPPE)
			return refused(m, "the peer rejects MPPE (CCP option 18)");
	return 0;
}

static void mppe_up(void *ctx, const struct ppp_auth_keys *keys)
{
	struct ccp_mppe *m = ctx;
	struct ppp_session *s = m->s;
	char a[64], b[64];

	(void)keys; /* the session's auth result: read when the network goes up */
	m->on = false;
	m->reset_pending = false;
	if (m->sent && m->peer_acked && m->sent_val == m->peer_val && ccp_mppe_in_play(m)) {
		m->on = true;
		m->bits = ccp_mppe_bits(m->sent_val);
		m->stateless = (m->sent_val & MPPE_OPT_H) != 0;
		ppp_logf(s, PPP_LOG_INFO, "MPPE: on, %u-bit %s", m->bits,
			 m->stateless ? "stateless" : "stateful");
		return;
	}
	if (!m->sent && !m->peer_acked) {
		if (required(m)) {
			ppp_logf(s, PPP_LOG_NOTICE,
				 "MPPE: required but CCP opened without it: ending the session");
			ppp_session_fail(s, PPP_REASON_ENCRYPTION_REQUIRED);
		}
		return; /* allow: in the clear, as the peer wanted */
	}
	/* One direction only, or two different ciphers: the data plane runs one. */
	if (m->sent)
		ccp_mppe_describe(m->sent_val, a, sizeof(a));
	else
		snprintf(a, sizeof(a), "none");
	if (m->peer_acked)
		ccp_mppe_describe(m->peer_val, b, sizeof(b));
	else
		snprintf(b, sizeof(b), "none");
	if (required(m)) {
		ppp_logf(s, PPP_LOG_NOTICE,
			 "MPPE: required but CCP opened with ours %s, the peer's %s: ending the "
			 "session",
			 a, b);
		ppp_session_fail(s, PPP_REASON_ENCRYPTION_REQUIRED);
		return;
	}
	ppp_logf(s, PPP_LOG_NOTICE, "MPPE: CCP opened with ours %s, the peer's %s: closing CCP, "
				    "going on without encryption",
		 a, b);
	m->refused = true;
	s->ccp.close_pending = true;
}

static void mppe_down(void *ctx)
{
	struct ccp_mppe *m = ctx;
	struct ppp_session *s = m->s;
	bool was_on = m->on;

	m->on = false;
	m->reset_pending = false;
	if (was_on && s->phase == PPP_PHASE_NETWORK) {
		/* The data plane encrypts with keys CCP no longer vouches for;
		 * and a CCP opened again would restart the peer's cipher from
		 * the same start keys (count 0) while the data plane's, kept
		 * across an IPCP renegotiation, runs on: out of step for good.
		 * Windows never renegotiates CCP; end the session either way,
		 * even while IPCP is down. */
		ppp_logf(s, PPP_LOG_NOTICE, "MPPE: CCP left Opened while encrypting: ending the "
					    "session");
		ppp_session_fail(s, PPP_REASON_ENCRYPTION_REQUIRED);
	}
}

static void mppe_reset_request(void *ctx, uint8_t id, const uint8_t *data, size_t len)
{
	struct ccp_mppe *m = ctx;
	struct ppp_session *s = m->s;

	(void)data, (void)len;
	if (!m->on)
		return;
	/* pppd's answer: Reset-Ack with the same Identifier, then the next packet is flushed. */
	ppp_fsm_send(&s->ccp.fsm, PPP_RESET_ACK, id, NULL, 0);
	ppp_logf(s, PPP_LOG_DEBUG, "MPPE: peer's Reset-Request %u: Reset-Ack, flushing", id);
	if (s->hooks.mppe_flush)
		s->hooks.mppe_flush(s->owner);
}

static void mppe_reset_ack(void *ctx, uint8_t id, const uint8_t *data, size_t len)
{
	struct ccp_mppe *m = ctx;

	(void)data, (void)len;
	if (m->reset_pending && id == m->reset_id)
		m->reset_pending = false;
}

bool ccp_mppe_resync(struct ccp_mppe *m, uint64_t now)
{
	struct ppp_session *s = m->s;
	struct ppp_fsm *f = &s->ccp.fsm;

	if (!m->on || m->stateless || f->state != FSM_OPENED ||
	    (m->reset_pending && now < m->reset_sent_ms + s->cfg.restart_ms)) {
		s->cnt.mppe_resync_skipped++;
		return false;
	}
	m->reset_id = ppp_fsm_new_id(f);
	m->reset_pending = true;
	m->reset_sent_ms = now;
	s->cnt.ccp_reset_req_sent++;
	ppp_logf(s, PPP_LOG_DEBUG, "MPPE: decrypter lost sync, Reset-Request %u", m->reset_id);
	ppp_fsm_send(f, PPP_RESET_REQ, m->reset_id, NULL, 0);
	return true;
}

#define MPPE_HOOK(req)                                                                          \
	{                                                                                       \
		.reset = mppe_reset, .add_opts = mppe_add_opts, .req_begin = mppe_req_begin,    \
		.req_end = mppe_req_end, .req_opt = mppe_req_opt, .got_nak = mppe_got_nak,      \
		.got_rej = mppe_got_rej, .up = mppe_up, .down = mppe_down,                      \
		.reset_request = mppe_reset_request, .reset_ack = mppe_reset_ack,               \
		.required = (req),                                                              \
	}

const struct ppp_ccp_hook ccp_mppe_hook_allow = MPPE_HOOK(false);
const struct ppp_ccp_hook ccp_mppe_hook_require = MPPE_HOOK(true);

void ccp_mppe_init(struct ccp_mppe *m, struct ppp_session *s)
{
	memset(m, 0, sizeof(*m));
	m->s = s;
}
