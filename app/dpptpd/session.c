/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A session is a PPTP call bound to a PPP engine and a data-plane session:
 *
 *   Outgoing-Call-Request -> admission, dp_session_install (control phase:
 *   the peer's GRE is tracked and its PPP control frames come up), PPP
 *   engine created and started once the Outgoing-Call-Reply is out;
 *   IPCP opened  -> dp_session_set_network: IPv4 flows;
 *   teardown (LCP Terminate either way, Call-Clear/Disconnect, TCP gone,
 *   keepalive, admin) -> PPP down once -> Call-Disconnect-Notify if the call
 *   is still there -> dp_session_remove -> the address back to the pool.
 *
 * Every event is one log line with a stable prefix:
 *   session <our call ID>/<peer call ID> peer=<a.b.c.d> user=<name> addr=<a.b.c.d>: ...
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpptpd.h"


static void session_line(const struct dsession *s, uint32_t level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void session_line(const struct dsession *s, uint32_t level, const char *fmt, ...)
{
	char msg[384], peer[16], addr[16];
	uint32_t p = htonl(s->peer_addr), a = htonl(s->sub_addr);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	inet_ntop(AF_INET, &p, peer, sizeof(peer));
	if (s->sub_addr)
		inet_ntop(AF_INET, &a, addr, sizeof(addr));
	else
		strcpy(addr, "-");
	const char *user = s->user;
	if (!user[0] && s->ppp && !s->ppp_done && ppp_session_user(s->ppp))
		user = ppp_session_user(s->ppp); /* authenticated, network not up yet */
	rte_log(level, dpptpd_logtype, "dpptpd: session %u/%u peer=%s user=%s addr=%s: %s\n",
		s->call_id, s->peer_call_id, peer, user[0] ? user : "-", addr, msg);
}

static struct dsession *by_id(struct dpptpd *d, dp_session_id id)
{
	uint32_t slot = (uint32_t)id;
	if (slot == 0 || slot >= d->nb_slots || !d->by_slot[slot] || d->by_slot[slot]->dpid != id)
		return NULL;
	return d->by_slot[slot];
}

/* ---- the PPP engine's hooks ---- */

static void ppp_send(void *owner, const uint8_t *frame, size_t len)
{
	struct dsession *s = owner;
	if (s->dpid)
		dp_session_send(s->d->dp, s->dpid, frame, len);
}

static void ppp_network_up(void *owner, const struct ppp_net_params *p)
{
	struct dsession *s = owner;
	struct dpptpd *d = s->d;
	struct dp_session_net n = { .sub_addr = htonl(p->peer_ip), .mtu = p->mtu,
				    .acfc = p->peer_accepts_acfc, .pfc = p->peer_accepts_pfc,
				    .mppe = p->mppe, .mppe_bits = (uint16_t)p->mppe_bits,
				    .mppe_stateless = p->mppe_stateless };

	memcpy(n.mppe_send_key, p->mppe_send_key, sizeof(n.mppe_send_key));
	memcpy(n.mppe_recv_key, p->mppe_recv_key, sizeof(n.mppe_recv_key));
	s->sub_addr = p->peer_ip;
	snprintf(s->user, sizeof(s->user), "%s", p->user ? p->user : "");
	if (p->mppe)
		snprintf(s->mppe_desc, sizeof(s->mppe_desc), "%u-bit %s", p->mppe_bits,
			 p->mppe_stateless ? "stateless" : "stateful");
	else
		s->mppe_desc[0] = '\0';
	int rc = dp_session_set_network(d->dp, s->dpid, &n);
	explicit_bzero(&n, sizeof(n)); /* this copy of the keys; the engine keeps its own until freed */
	if (rc != 0) {
		session_line(s, RTE_LOG_ERR, "data plane refused the network (%s): closing",
			     strerror(-rc));
		s->close_pending = true; /* not from inside the engine's hook: the next scan */
		return;
	}
	s->net_up = true;
	if (!s->was_up) {
		s->was_up = true;
		s->up_ms = d->now_ms;
		pptp_admit_session_up(d->adm);
		d->sessions_up++;
	}
	session_line(s, RTE_LOG_INFO, "up: auth %s, mppe %s, mtu %u, header compression %s%s%s, in %" PRIu64
				      " ms",
		     ppp_auth_method_name(p->auth_method), p->mppe ? s->mppe_desc : "off", p->mtu,
		     p->peer_accepts_acfc ? "acfc" : "", p->peer_accepts_acfc && p->peer_accepts_pfc ? "+" : "",
		     p->peer_accepts_pfc ? "pfc" : (p->peer_accepts_acfc ? "" : "none"),
		     d->now_ms - s->started_ms);
}

/* The peer's CCP Reset-Request (stateful MPPE): our next packet is flushed. */
static void ppp_mppe_flush(void *owner)
{
	struct dsession *s = owner;
	if (s->net_up)
		dp_session_mppe_flush(s->d->dp, s->dpid);
}

static void ppp_network_down(void *owner)
{
	struct dsession *s = owner;
	if (s->net_up)
		dp_session_clear_network(s->d->dp, s->dpid);
	s->net_up = false;
	session_line(s, RTE_LOG_INFO, "network down");
}

static void session_unlink(struct dsession *s)
{
	if (s->conn) {
		struct dsession **pp = &s->conn->sessions;
		while (*pp && *pp != s)
			pp = &(*pp)->next;
		if (*pp)
			*pp = s->next;
	}
	if (s->dpid && s->d->by_slot[(uint32_t)s->dpid] == s)
		s->d->by_slot[(uint32_t)s->dpid] = NULL;
}

/* The CDN result for why the session ended (RFC 2637 2.13). */
static uint8_t cdn_result(enum ppp_reason r)
{
	switch (r) {
	case PPP_REASON_ADMIN:
		return PPTP_CDN_ADMIN_SHUTDOWN;
	case PPP_REASON_PEER_TERMINATE:
		return PPTP_CDN_REQUEST;
	case PPP_REASON_KEEPALIVE_TIMEOUT:
	case PPP_REASON_NEGOTIATION_TIMEOUT:
		return PPTP_CDN_LOST_CARRIER;
	default:
		return PPTP_CDN_GENERAL_ERROR;
	}
}

static void ppp_down(void *owner, enum ppp_reason reason)
{
	struct dsession *s = owner;
	struct dpptpd *d = s->d;
	struct dp_session_counters c = { 0 };

	s->ppp_done = true;
	if (s->dpid)
		dp_session_read_counters(d->dp, s->dpid, &c);
	session_line(s, reason == PPP_REASON_ADMIN || reason == PPP_REASON_PEER_TERMINATE ||
				reason == PPP_REASON_LOWER_DOWN
			? RTE_LOG_INFO
			: RTE_LOG_NOTICE,
		     "down: %s (%s); %" PRIu64 " s up, rx %" PRIu64 " pkts %" PRIu64
		     " bytes (ipv4 %" PRIu64 "), tx %" PRIu64 " pkts %" PRIu64 " bytes (ipv4 %" PRIu64
		     ")",
		     ppp_reason_name(reason), ppp_reason_text(reason),
		     s->was_up ? (d->now_ms - s->up_ms) / 1000 : 0, c.rx_pkts, c.rx_bytes,
		     c.decap_pkts, c.tx_pkts, c.tx_bytes, c.encap_pkts);
	if (!s->call_gone && s->conn && s->conn->pc) {
		s->call_gone = true; /* our call_cleared handler sees ppp_done and returns */
		pptp_conn_call_disconnect(s->conn->pc, d->now_ms, s->call_id, cdn_result(reason),
					  0);
	}
	if (s->dpid)
		dp_session_remove(d->dp, s->dpid);
	pptp_admit_session_end(d->adm, s->was_up);
	session_unlink(s);
	d->nb_sessions--;
	/* down is the engine's last act: it may be freed here. */
	ppp_session_free(s->ppp);
	free(s);
}

static void ppp_log(void *owner, enum ppp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void ppp_log(void *owner, enum ppp_log_level level, const char *fmt, ...)
{
	struct dsession *s = owner;
	char msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	session_line(s, (uint32_t)(level + 1), "%s", msg);
}

static const struct ppp_hooks session_ppp_hooks = {
	.send = ppp_send,
	.network_up = ppp_network_up,
	.network_down = ppp_network_down,
	.mppe_flush = ppp_mppe_flush,
	.down = ppp_down,
	.log = ppp_log,
};

/* ---- from the PPTP connection ---- */

enum pptp_call_verdict dpptpd_session_create(struct dpptpd *d, struct dconn *c,
					     struct pptp_call *call, const struct pptp_ocrq *rq)
{
	enum pptp_admit v = d->stopping ? PPTP_ADMIT_MAX_SESSIONS : pptp_admit_session_begin(d->adm);
	struct dsession *s;

	(void)rq;
	if (v != PPTP_ADMIT_OK) {
		DLOG(NOTICE, "connection %s: call %u refused: %s", c->peer_str, call->peer_call_id,
		     d->stopping ? "shutting down" : pptp_admit_name(v));
		return PPTP_CALL_REFUSE_NO_RESOURCE;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		pptp_admit_session_end(d->adm, false);
		return PPTP_CALL_REFUSE_NO_RESOURCE;
	}
	s->d = d;
	s->conn = c;
	s->call_id = call->call_id;
	s->peer_call_id = call->peer_call_id;
	s->peer_addr = c->peer_addr;
	s->started_ms = d->now_ms;

	struct dp_session_params p = { .peer_addr = htonl(c->peer_addr),
				       .our_call_id = call->call_id,
				       .peer_call_id = call->peer_call_id,
				       .peer_window = call->peer_recv_window,
				       .access_port = d->access_port,
				       .owner = -1 };
	int rc = dp_session_install(d->dp, &p, &s->dpid);
	if (rc == 0)
		s->ppp = ppp_session_new(&d->ppp_cfg, &session_ppp_hooks, s);
	if (rc != 0 || !s->ppp) {
		DLOG(WARNING, "connection %s: call %u refused: %s", c->peer_str, call->peer_call_id,
		     rc ? strerror(-rc) : "no memory for the PPP engine");
		if (rc == 0)
			dp_session_remove(d->dp, s->dpid);
		pptp_admit_session_end(d->adm, false);
		free(s);
		return PPTP_CALL_REFUSE_NO_RESOURCE;
	}
	d->by_slot[(uint32_t)s->dpid] = s;
	s->start_pending = true;
	s->next = c->sessions;
	c->sessions = s;
	call->user = s;
	d->nb_sessions++;
	d->sessions_started++;
	session_line(s, RTE_LOG_INFO, "call accepted (peer window %u)", call->peer_recv_window);
	return PPTP_CALL_ACCEPT;
}

void dpptpd_session_start_pending(struct dpptpd *d, struct dconn *c)
{
	for (struct dsession *s = c->sessions; s; s = s->next)
		if (s->start_pending) {
			s->start_pending = false;
			ppp_session_start(s->ppp, d->now_ms);
		}
}

void dpptpd_session_call_cleared(struct dpptpd *d, struct dsession *s,
				 enum pptp_clear_cause cause)
{
	s->call_gone = true;
	if (s->ppp_done)
		return; /* we are tearing it down ourselves */
	session_line(s, RTE_LOG_INFO, "call cleared: %s", pptp_clear_cause_name(cause));
	ppp_session_lower_down(s->ppp, d->now_ms, PPP_REASON_LOWER_DOWN); /* frees s */
}

/* ---- from the data plane ---- */

static void dp_ppp_frame(void *arg, dp_session_id id, const uint8_t *frame, size_t len)
{
	struct dpptpd *d = arg;
	struct dsession *s = by_id(d, id);
	if (s && !s->ppp_done && !s->start_pending)
		ppp_session_input(s->ppp, d->now_ms, frame, len);
}

static void dp_reclaimed(void *arg, dp_session_id id, uint16_t call_id, rte_be32_t peer,
			 const struct dp_session_counters *final)
{
	(void)arg, (void)id, (void)call_id, (void)peer, (void)final;
}

/* Stateful MPPE lost sync on a worker: CCP Reset-Request (the engine limits the rate). */
static void dp_mppe_resync(void *arg, dp_session_id id)
{
	struct dpptpd *d = arg;
	struct dsession *s = by_id(d, id);
	if (s && !s->ppp_done && !s->start_pending)
		ppp_session_mppe_resync(s->ppp, d->now_ms);
}

const struct dp_ctrl_hooks dpptpd_dp_hooks = {
	.ppp_frame = dp_ppp_frame,
	.mppe_resync = dp_mppe_resync,
	.session_reclaimed = dp_reclaimed,
};

/* ---- timers and keepalive ---- */

void dpptpd_session_scan(struct dpptpd *d, bool keepalive)
{
	for (struct dconn *c = d->conns; c; c = c->next) {
		struct dsession *s = c->sessions, *next;
		for (; s; s = next) {
			next = s->next; /* s may be freed below */
			if (s->start_pending || s->ppp_done)
				continue;
			if (s->close_pending) {
				s->close_pending = false;
				ppp_session_close(s->ppp, d->now_ms, PPP_REASON_INTERNAL_ERROR);
				continue;
			}
			if (keepalive) {
				struct dp_session_counters ctr;
				if (dp_session_read_counters(d->dp, s->dpid, &ctr) == 0)
					ppp_session_note_rx(s->ppp, ctr.rx_pkts);
			}
			if (ppp_session_next_deadline(s->ppp) <= d->now_ms)
				ppp_session_tick(s->ppp, d->now_ms);
		}
	}
}

void dpptpd_session_close_all(struct dpptpd *d)
{
	for (struct dconn *c = d->conns; c; c = c->next) {
		struct dsession *s = c->sessions, *next;
		for (; s; s = next) {
			next = s->next;
			if (s->ppp_done)
				continue;
			if (s->start_pending) {
				s->start_pending = false;
				ppp_session_start(s->ppp, d->now_ms);
			}
			/* LCP Terminate-Request; down (and CDN) follow. */
			ppp_session_close(s->ppp, d->now_ms, PPP_REASON_ADMIN);
		}
	}
}

/* An operator's disconnect: LCP Terminate-Request, then Call-Disconnect-Notify. */
void dpptpd_session_disconnect(struct dpptpd *d, struct dsession *s)
{
	if (s->ppp_done)
		return;
	session_line(s, RTE_LOG_NOTICE, "disconnected by the operator");
	if (s->start_pending) {
		s->start_pending = false;
		ppp_session_start(s->ppp, d->now_ms);
	}
	ppp_session_close(s->ppp, d->now_ms, PPP_REASON_ADMIN);
}
