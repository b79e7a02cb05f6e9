/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * LCP Echo (RFC 1661 5.8): answering the peer's, and the adaptive keepalive.
 *
 * Every echo_interval_ms we look at whether anything arrived from the peer
 * since the last look: frames the engine saw, or the data plane's packet
 * count reported with ppp_session_note_rx(). If something did, the peer is
 * alive and no echo is needed; if nothing did, we send an Echo-Request.
 * After echo_failures unanswered echoes in a row (and no traffic), the
 * session ends with KEEPALIVE_TIMEOUT. A busy session never sends an echo,
 * so it is never cut by a lost one (pppd's lcp-echo-adaptive, accel-ppp).
 */
#include <string.h>

#include "ppp_internal.h"
#include "proto/wire.h"

static uint64_t traffic_mark(const struct ppp_session *s)
{
	return s->peer_rx_total + s->cnt.rx_frames;
}

void lcp_echo_start(struct ppp_session *s, uint64_t now)
{
	struct lcp_state *l = &s->lcp;

	l->echo_pending = 0;
	l->echo_mark = traffic_mark(s);
	l->echo_deadline = s->cfg.echo_interval_ms ? now + s->cfg.echo_interval_ms : UINT64_MAX;
}

void lcp_echo_stop(struct ppp_session *s)
{
	s->lcp.echo_deadline = UINT64_MAX;
}

void lcp_echo_timer(struct ppp_session *s, uint64_t now)
{
	struct lcp_state *l = &s->lcp;
	uint64_t mark = traffic_mark(s);
	uint8_t magic[4];

	if (now < l->echo_deadline)
		return;
	l->echo_deadline = now + s->cfg.echo_interval_ms;
	if (mark != l->echo_mark) {
		l->echo_mark = mark;
		l->echo_pending = 0;
		s->cnt.echo_skipped++;
		return;
	}
	if (l->echo_pending >= s->cfg.echo_failures) {
		ppp_logf(s, PPP_LOG_NOTICE, "LCP: no answer to %u echoes and no traffic",
			 l->echo_pending);
		l->echo_deadline = UINT64_MAX;
		ppp_session_fail(s, PPP_REASON_KEEPALIVE_TIMEOUT);
		return;
	}
	if (l->echo_disabled) {
		/* The peer cannot answer echoes; silence alone proves nothing. */
		l->echo_deadline = UINT64_MAX;
		return;
	}
	wire_put_be32(magic, l->magic);
	l->echo_pending++;
	s->cnt.echo_req_sent++;
	ppp_fsm_send(&s->lcp.fsm, PPP_ECHO_REQ, ppp_fsm_new_id(&s->lcp.fsm), magic, sizeof(magic));
}

/* Our own magic number coming back means we are talking to ourselves. */
static bool looped(struct ppp_session *s, uint32_t magic)
{
	if (s->lcp.magic == 0 || magic != s->lcp.magic)
		return false;
	s->cnt.loopbacks++;
	ppp_logf(s, PPP_LOG_NOTICE, "LCP: echo carries our own magic number: looped back?");
	if (s->cnt.loopbacks >= s->cfg.max_loopback)
		ppp_session_fail(s, PPP_REASON_LOOPBACK);
	return true;
}

void lcp_echo_request_rcvd(struct ppp_session *s, const struct ppp_cp_pkt *p)
{
	uint8_t data[PPP_FSM_PKT_MAX];
	size_t room = s->lcp.peer.mru - PPP_CP_HDR_LEN - 4, n = p->rest_len;

	/* RFC 1661 5.8: Echo-Requests outside Opened are silently discarded. */
	if (s->lcp.fsm.state != FSM_OPENED) {
		s->cnt.dropped[PPP_DROP_LCP_STATE]++;
		return;
	}
	s->cnt.echo_req_rcvd++;
	if (looped(s, p->magic))
		return;
	if (room > sizeof(data) - PPP_CP_HDR_LEN - 4)
		room = sizeof(data) - PPP_CP_HDR_LEN - 4;
	if (n > room)
		n = room;
	wire_put_be32(data, s->lcp.magic);
	memcpy(data + 4, p->rest, n);
	ppp_fsm_send(&s->lcp.fsm, PPP_ECHO_REP, p->id, data, n + 4);
}

void lcp_echo_reply_rcvd(struct ppp_session *s, const struct ppp_cp_pkt *p)
{
	if (s->lcp.fsm.state != FSM_OPENED) {
		s->cnt.dropped[PPP_DROP_LCP_STATE]++;
		return;
	}
	if (looped(s, p->magic))
		return;
	s->cnt.echo_rep_rcvd++;
	s->lcp.echo_pending = 0;
}
