/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * LCP (RFC 1661 section 6, RFC 1570): the options of the link, server side.
 *
 * We ask for: MRU (ours, at most 1436 over PPTP), Authentication-Protocol
 * (the strongest allowed method), Magic-Number, PFC and ACFC. We accept
 * from the peer: MRU (Nak below 128), ACCM (meaningless over GRE, but
 * harmless), Magic-Number (Nak on collision: loopback detection), PFC and
 * ACFC. Everything else is rejected: Authentication-Protocol (we do not
 * authenticate ourselves to clients), Quality-Protocol, Callback, the
 * multilink options MRRU, Short-Sequence and Endpoint-Discriminator, and
 * anything unknown.
 */
#include <stdio.h>
#include <string.h>

#include "ppp_internal.h"
#include "proto/ppp_auth.h"
#include "proto/ppp_frame.h"
#include "proto/wire.h"

static struct ppp_session *sess(struct ppp_fsm *f)
{
	return f->ctx;
}

/* The strongest allowed method the peer has not refused. */
static unsigned auth_pick(const struct ppp_session *s)
{
	static const unsigned order[] = { PPP_AUTH_MSCHAPV2, PPP_AUTH_CHAP_MD5, PPP_AUTH_PAP };
	unsigned allowed = s->cfg.auth_methods & ~s->lcp.auth_refused;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (allowed & order[i])
			return order[i];
	return 0;
}

/* The method an Authentication-Protocol option names, 0 if none of ours. */
static unsigned auth_from_opt(const struct ppp_opt *o)
{
	uint16_t proto;

	if (o->val_len < 2)
		return 0;
	proto = wire_get_be16(o->val);
	if (proto == PPP_PAP && o->val_len == 2)
		return PPP_AUTH_PAP;
	if (proto == PPP_CHAP && o->val_len == 3) {
		if (o->val[2] == CHAP_ALG_MD5)
			return PPP_AUTH_CHAP_MD5;
		if (o->val[2] == CHAP_ALG_MSCHAPV2)
			return PPP_AUTH_MSCHAPV2;
	}
	return 0;
}

static void lcp_reset(struct ppp_fsm *f)
{
	struct ppp_session *s = sess(f);
	struct lcp_state *l = &s->lcp;

	l->want.mru = true;
	l->want.mru_val = s->cfg.mru;
	l->want.magic = s->cfg.request_magic;
	l->want.magic_val = ppp_rand_magic(s, 0, 0);
	l->want.pfc = s->cfg.request_pfc;
	l->want.acfc = s->cfg.request_acfc;
	l->auth_refused = 0;
	l->want.auth = auth_pick(s);
	l->last_nak_magic = 0;
}

static void lcp_add_opts(struct ppp_fsm *f, struct ppp_cp_writer *w)
{
	struct lcp_state *l = &sess(f)->lcp;

	if (l->want.mru)
		ppp_cp_put_opt_u16(w, LCP_OPT_MRU, l->want.mru_val);
	if (l->want.auth == PPP_AUTH_PAP) {
		ppp_cp_put_opt_u16(w, LCP_OPT_AUTH, PPP_PAP);
	} else if (l->want.auth) {
		uint8_t chap[3] = { PPP_CHAP >> 8, PPP_CHAP & 0xFF,
				    l->want.auth == PPP_AUTH_MSCHAPV2 ? CHAP_ALG_MSCHAPV2
								     : CHAP_ALG_MD5 };
		ppp_cp_put_opt(w, LCP_OPT_AUTH, chap, sizeof(chap));
	}
	if (l->want.magic)
		ppp_cp_put_opt_u32(w, LCP_OPT_MAGIC, l->want.magic_val);
	if (l->want.pfc)
		ppp_cp_put_opt(w, LCP_OPT_PFC, NULL, 0);
	if (l->want.acfc)
		ppp_cp_put_opt(w, LCP_OPT_ACFC, NULL, 0);
}

static void lcp_req_begin(struct ppp_fsm *f)
{
	struct lcp_state *l = &sess(f)->lcp;

	l->peer.mru = PPP_DEFAULT_MRU;
	l->peer.pfc = false;
	l->peer.acfc = false;
	l->peer.magic = 0;
}

static void note_loopback(struct ppp_session *s, const char *how)
{
	s->cnt.loopbacks++;
	ppp_logf(s, PPP_LOG_NOTICE, "LCP: %s: the link may be looped back (%llu of %u)", how,
		 (unsigned long long)s->cnt.loopbacks, s->cfg.max_loopback);
	if (s->cnt.loopbacks >= s->cfg.max_loopback)
		ppp_session_fail(s, PPP_REASON_LOOPBACK);
}

static enum ppp_opt_verdict lcp_req_opt(struct ppp_fsm *f, const struct ppp_opt *o,
					struct ppp_cp_writer *nak)
{
	struct ppp_session *s = sess(f);
	struct lcp_state *l = &s->lcp;
	uint32_t magic;
	uint16_t mru;

	switch (o->type) {
	case LCP_OPT_MRU:
		mru = wire_get_be16(o->val);
		if (mru < PPP_MIN_MRU) {
			ppp_cp_put_opt_u16(nak, LCP_OPT_MRU, PPP_MIN_MRU);
			return PPP_OPT_NAK;
		}
		l->peer.mru = mru;
		return PPP_OPT_ACK;
	case LCP_OPT_ACCM:
		return PPP_OPT_ACK;
	case LCP_OPT_MAGIC:
		magic = wire_get_be32(o->val);
		if (magic == 0) { /* RFC 1661 6.4: zero MUST be Nak'd */
			ppp_cp_put_opt_u32(nak, LCP_OPT_MAGIC,
					   ppp_rand_magic(s, 0, l->want.magic_val));
			return PPP_OPT_NAK;
		}
		if (l->want.magic && magic == l->want.magic_val) {
			/* Perhaps our own request came back: Nak with another value. */
			note_loopback(s, "peer's Magic-Number equals ours");
			l->last_nak_magic = ppp_rand_magic(s, magic, 0);
			ppp_cp_put_opt_u32(nak, LCP_OPT_MAGIC, l->last_nak_magic);
			return PPP_OPT_NAK;
		}
		l->peer.magic = magic;
		return PPP_OPT_ACK;
	case LCP_OPT_PFC:
		l->peer.pfc = true;
		return PPP_OPT_ACK;
	case LCP_OPT_ACFC:
		l->peer.acfc = true;
		return PPP_OPT_ACK;
	default:
		return PPP_OPT_REJ;
	}
}

static int lcp_got_nak(struct ppp_fsm *f, const uint8_t *opts, size_t len)
{
	struct ppp_session *s = sess(f);
	struct lcp_state *l = &s->lcp;
	struct ppp_opt_iter it;
	struct ppp_opt o;
	unsigned suggested;
	uint32_t v;

	ppp_opt_iter_init(&it, opts, len);
	while (ppp_opt_next(&it, &o) > 0) {
		if (ppp_opt_check_size(PPP_LCP, &o) != PROTO_OK)
			continue; /* a malformed suggestion is no suggestion */
		switch (o.type) {
		case LCP_OPT_MRU:
			v = wire_get_be16(o.val);
			/* Smaller is fine; above PPTP's limit we keep ours. */
			if (l->want.mru && v >= PPP_MIN_MRU && v <= PPP_PPTP_MAX_MRU)
				l->want.mru_val = (uint16_t)v;
			break;
		case LCP_OPT_MAGIC:
			if (!l->want.magic)
				break;
			v = wire_get_be32(o.val);
			if (v != 0 && v == l->last_nak_magic)
				note_loopback(s, "peer Nak'd us with the Magic-Number we Nak'd");
			l->want.magic_val = ppp_rand_magic(s, l->want.magic_val, v);
			break;
		case LCP_OPT_AUTH:
			if (!l->want.auth)
				break;
			suggested = auth_from_opt(&o);
			l->auth_refused |= l->want.auth;
			if (suggested && (s->cfg.auth_methods & suggested & ~l->auth_refused))
				l->want.auth = suggested;
			else
				l->want.auth = auth_pick(s);
			if (!l->want.auth) {
				ppp_logf(s, PPP_LOG_NOTICE,
					 "LCP: peer refuses every authentication method we allow");
				ppp_session_fail(s, PPP_REASON_AUTH_REFUSED);
				return 1;
			}
			ppp_logf(s, PPP_LOG_INFO, "LCP: peer prefers another method, offering %s",
				 ppp_auth_method_name(l->want.auth));
			break;
		case LCP_OPT_PFC:
			l->want.pfc = false;
			break;
		case LCP_OPT_ACFC:
			l->want.acfc = false;
			break;
		default: /* options we did not ask for: we do not want them */
			break;
		}
	}
	return 0;
}

static int lcp_got_rej(struct ppp_fsm *f, const uint8_t *opts, size_t len)
{
	struct ppp_session *s = sess(f);
	struct lcp_state *l = &s->lcp;
	struct ppp_opt_iter it;
	struct ppp_opt o;

	ppp_opt_iter_init(&it, opts, len);
	while (ppp_opt_next(&it, &o) > 0) {
		switch (o.type) {
		case LCP_OPT_MRU:
			l->want.mru = false;
			break;
		case LCP_OPT_MAGIC:
			l->want.magic = false;
			break;
		case LCP_OPT_PFC:
			l->want.pfc = false;
			break;
		case LCP_OPT_ACFC:
			l->want.acfc = false;
			break;
		case LCP_OPT_AUTH:
			ppp_logf(s, PPP_LOG_NOTICE, "LCP: peer rejects authentication");
			ppp_session_fail(s, PPP_REASON_AUTH_REFUSED);
			return 1;
		default:
			break;
		}
	}
	return 0;
}

static void lcp_up(struct ppp_fsm *f, uint64_t now)
{
	struct ppp_session *s = sess(f);
	struct lcp_state *l = &s->lcp;

	l->auth_method = l->want.auth;
	l->local_mru = l->want.mru ? l->want.mru_val : PPP_DEFAULT_MRU;
	l->magic = l->want.magic ? l->want.magic_val : 0;
	s->lcp.fsm.peer_mru = l->peer.mru;
	s->ipcp.fsm.peer_mru = l->peer.mru;
	s->ccp.fsm.peer_mru = l->peer.mru;
	ppp_logf(s, PPP_LOG_INFO, "LCP: opened, peer MRU %u, our MRU %u, auth %s%s%s", l->peer.mru,
		 l->local_mru, ppp_auth_method_name(l->auth_method), l->peer.pfc ? ", PFC" : "",
		 l->peer.acfc ? ", ACFC" : "");
	ppp_phase_lcp_up(s, now);
}

static void lcp_down(struct ppp_fsm *f, uint64_t now)
{
	ppp_phase_lcp_down(sess(f), now);
}

static void lcp_finished(struct ppp_fsm *f, uint64_t now)
{
	ppp_phase_lcp_finished(sess(f), now);
}

static void log_peer_text(struct ppp_session *s, const char *what, const uint8_t *p, size_t n)
{
	char text[128];

	ppp_logf(s, PPP_LOG_INFO, "LCP: %s \"%s\"", what, ppp_printable(p, n, text, sizeof(text)));
}

static bool lcp_extra_code(struct ppp_fsm *f, uint64_t now, const struct ppp_cp_pkt *p)
{
	struct ppp_session *s = sess(f);

	switch (p->code) {
	case PPP_PROTO_REJ:
		/* RFC 1661 5.7: only meaningful in the Opened state. */
		if (f->state != FSM_OPENED) {
			s->cnt.dropped[PPP_DROP_LCP_STATE]++;
			return true;
		}
		s->cnt.proto_rej_rcvd++;
		ppp_proto_rejected(s, now, p->rejected_proto);
		return true;
	case PPP_ECHO_REQ:
		lcp_echo_request_rcvd(s, p);
		return true;
	case PPP_ECHO_REP:
		lcp_echo_reply_rcvd(s, p);
		return true;
	case PPP_DISCARD_REQ:
		s->cnt.discard_rcvd++;
		return true;
	case PPP_IDENTIFICATION: /* Windows: "MSRASV5.20" and friends */
		s->cnt.ident_rcvd++;
		log_peer_text(s, "peer identifies as", p->rest, p->rest_len);
		return true;
	case PPP_TIME_REMAINING:
		s->cnt.ident_rcvd++;
		ppp_logf(s, PPP_LOG_INFO, "LCP: peer says %u seconds remain", p->seconds);
		return true;
	default:
		return false;
	}
}

static void lcp_code_rejected(struct ppp_fsm *f, uint8_t code)
{
	struct ppp_session *s = sess(f);

	if (code == PPP_ECHO_REQ) {
		/* It cannot answer echoes: only its traffic tells us it is alive. */
		s->lcp.echo_disabled = true;
		ppp_logf(s, PPP_LOG_NOTICE, "LCP: peer rejects Echo-Request, keepalive off");
	}
}

static void lcp_gave_up(struct ppp_fsm *f, uint64_t now)
{
	(void)now;
	ppp_session_set_reason(sess(f), PPP_REASON_NEGOTIATION_FAILED);
}

static const struct ppp_fsm_ops lcp_ops = {
	.reset = lcp_reset,
	.add_opts = lcp_add_opts,
	.req_begin = lcp_req_begin,
	.req_opt = lcp_req_opt,
	.got_nak = lcp_got_nak,
	.got_rej = lcp_got_rej,
	.up = lcp_up,
	.down = lcp_down,
	.finished = lcp_finished,
	.extra_code = lcp_extra_code,
	.code_rejected = lcp_code_rejected,
	.gave_up = lcp_gave_up,
};

void lcp_init(struct ppp_session *s)
{
	struct ppp_fsm_io io = ppp_fsm_io_for(s);
	struct ppp_fsm_timing t = ppp_fsm_timing_for(s);

	ppp_fsm_init(&s->lcp.fsm, "LCP", PPP_LCP, &lcp_ops, s, &io, &t);
}

void lcp_send_proto_reject(struct ppp_session *s, uint16_t protocol, const uint8_t *info,
			   size_t len)
{
	uint8_t data[PPP_FSM_PKT_MAX];
	size_t room = s->lcp.peer.mru - PPP_CP_HDR_LEN - 2;

	if (room > sizeof(data) - PPP_CP_HDR_LEN - 2)
		room = sizeof(data) - PPP_CP_HDR_LEN - 2;
	if (len > room)
		len = room;
	wire_put_be16(data, protocol);
	memcpy(data + 2, info, len);
	s->cnt.proto_rej_sent++;
	ppp_logf(s, PPP_LOG_INFO, "LCP: Protocol-Reject for protocol 0x%04x (%s)", protocol,
		 ppp_proto_name(protocol));
	ppp_fsm_send(&s->lcp.fsm, PPP_PROTO_REJ, ppp_fsm_new_id(&s->lcp.fsm), data, len + 2);
}
