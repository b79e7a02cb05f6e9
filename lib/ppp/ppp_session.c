/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The session: entry points, frame dispatch and output, timers, and the
 * phases of RFC 1661 section 3.2 (Dead, Establish, Authenticate, Network,
 * Terminate) with the reason every session ends for.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ppp_internal.h"
#include "ppp_random.h"
#include "proto/ppp_frame.h"
#include "proto/wire.h"

/* ---- plumbing for the automata ---- */

static void fsm_send(void *ctx, uint16_t protocol, const uint8_t *pkt, size_t len)
{
	ppp_send(ctx, protocol, pkt, len);
}

static void fsm_log(void *ctx, int level, const char *msg)
{
	ppp_logf(ctx, (enum ppp_log_level)level, "%s", msg);
}

struct ppp_fsm_io ppp_fsm_io_for(struct ppp_session *s)
{
	return (struct ppp_fsm_io){ .send = fsm_send, .log = fsm_log, .ctx = s };
}

struct ppp_fsm_timing ppp_fsm_timing_for(const struct ppp_session *s)
{
	return (struct ppp_fsm_timing){
		.restart_ms = s->cfg.restart_ms,
		.max_configure = s->cfg.max_configure,
		.max_terminate = s->cfg.max_terminate,
		.max_failure = s->cfg.max_failure,
	};
}

static enum ppp_proto_index proto_index(uint16_t protocol)
{
	switch (protocol) {
	case PPP_LCP: return PPP_PIDX_LCP;
	case PPP_PAP: return PPP_PIDX_PAP;
	case PPP_CHAP: return PPP_PIDX_CHAP;
	case PPP_IPCP: return PPP_PIDX_IPCP;
	case PPP_CCP: return PPP_PIDX_CCP;
	case PPP_IPV6CP: return PPP_PIDX_IPV6CP;
	case PPP_IP: return PPP_PIDX_IP;
	default: return PPP_PIDX_OTHER;
	}
}

void ppp_send(struct ppp_session *s, uint16_t protocol, const uint8_t *pkt, size_t len)
{
	uint8_t frame[4 + PPP_FSM_PKT_MAX];
	/* Compress only what the peer asked for in the request we acked. */
	bool opened = s->lcp.fsm.state == FSM_OPENED;
	size_t hdr;

	if (len > PPP_FSM_PKT_MAX)
		return;
	hdr = ppp_frame_write(frame, protocol, opened && s->lcp.peer.acfc,
			      opened && s->lcp.peer.pfc);
	memcpy(frame + hdr, pkt, len);
	s->cnt.tx_frames++;
	s->cnt.tx_by_proto[proto_index(protocol)]++;
	s->hooks.send(s->owner, frame, hdr + len);
}

/* ---- reasons, randomness ---- */

void ppp_session_set_reason(struct ppp_session *s, enum ppp_reason reason)
{
	if (s->reason == PPP_REASON_NONE)
		s->reason = reason;
}

void ppp_session_fail(struct ppp_session *s, enum ppp_reason reason)
{
	ppp_session_set_reason(s, reason);
	s->close_pending = true;
}

bool ppp_rand(struct ppp_session *s, void *buf, size_t len)
{
	int rc = s->hooks.random ? s->hooks.random(s->owner, buf, len)
				 : ppp_random_bytes(buf, len);

	if (rc == 0)
		return true;
	memset(buf, 0, len);
	ppp_logf(s, PPP_LOG_ERR, "no random bytes: ending the session");
	ppp_session_fail(s, PPP_REASON_INTERNAL_ERROR);
	return false;
}

uint32_t ppp_rand_magic(struct ppp_session *s, uint32_t avoid1, uint32_t avoid2)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		uint8_t b[4];

		if (!ppp_rand(s, b, sizeof(b)))
			break;
		v = wire_get_be32(b);
		if (v != 0 && v != avoid1 && v != avoid2)
			return v;
	}
	/* Only a broken source gets here; any valid distinct value will do. */
	for (v = (avoid1 | avoid2) + 1; v == 0 || v == avoid1 || v == avoid2; v++)
		;
	return v;
}

/* ---- phases ---- */

static void set_phase(struct ppp_session *s, enum ppp_phase p)
{
	if (s->phase != p)
		ppp_logf(s, PPP_LOG_DEBUG, "phase %s -> %s", ppp_phase_name(s->phase),
			 ppp_phase_name(p));
	s->phase = p;
}

static void network_enter(struct ppp_session *s, uint64_t now)
{
	enum ppp_reason why = ipcp_acquire_address(s);

	if (why != PPP_REASON_NONE) {
		ppp_session_fail(s, why);
		return;
	}
	set_phase(s, PPP_PHASE_NETWORK);
	ppp_fsm_open(&s->ccp.fsm, now);
	ppp_fsm_up(&s->ccp.fsm, now);
	ppp_fsm_open(&s->ipcp.fsm, now);
	ppp_fsm_up(&s->ipcp.fsm, now);
}

/* Take the NCPs back to Initial and give the address back. */
static void network_leave(struct ppp_session *s, uint64_t now)
{
	ppp_fsm_down(&s->ipcp.fsm, now);
	ppp_fsm_close(&s->ipcp.fsm, now, NULL);
	ppp_fsm_down(&s->ccp.fsm, now);
	ppp_fsm_close(&s->ccp.fsm, now, NULL);
	ipcp_release_address(s);
}

void ppp_phase_lcp_up(struct ppp_session *s, uint64_t now)
{
	lcp_echo_start(s, now);
	if (s->lcp.auth_method) {
		set_phase(s, PPP_PHASE_AUTHENTICATE);
		auth_start(s, now);
	} else {
		memset(&s->auth.result, 0, sizeof(s->auth.result));
		network_enter(s, now);
	}
}

void ppp_phase_lcp_down(struct ppp_session *s, uint64_t now)
{
	enum ppp_fsm_event ev = s->lcp.fsm.event;
	bool ending = ev == FSM_EV_RTR || ev == FSM_EV_CLOSE || ev == FSM_EV_RXJ_MINUS ||
		      ev == FSM_EV_DOWN || s->close_pending;

	if (ev == FSM_EV_RTR) {
		/* A peer hanging up after a rejected password failed to authenticate. */
		bool auth_failed = s->phase == PPP_PHASE_AUTHENTICATE && s->cnt.auth_failures > 0;
		ppp_session_set_reason(s, auth_failed ? PPP_REASON_AUTH_FAILED
						      : PPP_REASON_PEER_TERMINATE);
		ppp_logf(s, PPP_LOG_INFO, "LCP: peer terminates the link");
	}
	lcp_echo_stop(s);
	/* Leaving Network/Authenticate first, so NCP callbacks see we are not there. */
	set_phase(s, ending ? PPP_PHASE_TERMINATE : PPP_PHASE_ESTABLISH);
	auth_stop(s);
	network_leave(s, now);
	if (!ending) {
		/* The peer renegotiates LCP: authentication and IPCP start over. */
		ppp_logf(s, PPP_LOG_NOTICE, "LCP: peer renegotiates the link");
		memset(&s->auth.result, 0, sizeof(s->auth.result));
		s->auth.authed_user[0] = '\0';
		if (s->cfg.setup_timeout_ms)
			s->setup_deadline = now + s->cfg.setup_timeout_ms;
	}
}

void ppp_phase_lcp_finished(struct ppp_session *s, uint64_t now)
{
	enum ppp_fsm_event ev = s->lcp.fsm.event;

	if (ev == FSM_EV_TO_MINUS && s->lcp.fsm.state == FSM_STOPPED)
		ppp_session_set_reason(s, PPP_REASON_NEGOTIATION_TIMEOUT);
	ppp_session_set_reason(s, PPP_REASON_NEGOTIATION_FAILED);
	lcp_echo_stop(s);
	auth_stop(s);
	set_phase(s, PPP_PHASE_DEAD);
	network_leave(s, now);
	s->lcp_done = true;
}

void ppp_phase_auth_done(struct ppp_session *s, uint64_t now)
{
	network_enter(s, now);
}

void ppp_phase_ipcp_up(struct ppp_session *s, uint64_t now)
{
	(void)now;
	s->ipcp_open = true;
	s->net_hold_logged = false;
	/* network_up goes out when the entry point settles: see network_check(). */
}

/*
 * Whether the network must wait for CCP although IPCP is open: MPPE is
 * required and not on yet, or (allow) still being negotiated. Windows
 * opens IPCP and CCP in parallel; clear IPv4 must never flow for a session
 * that is to be encrypted.
 */
static bool network_held(const struct ppp_session *s)
{
	enum ppp_fsm_state st = s->ccp.fsm.state;
	bool negotiating = st == FSM_REQ_SENT || st == FSM_ACK_RCVD || st == FSM_ACK_SENT;

	if (!s->ccp.hook)
		return false;
	if (ccp_is_mppe(s)) {
		if (s->ccp.hook->required)
			return !(s->mppe.on && s->auth.result.keys.valid);
		return negotiating && ccp_mppe_in_play(&s->mppe);
	}
	return s->ccp.hook->required && !s->ccp.up;
}

static void fill_net_params(struct ppp_session *s)
{
	struct ppp_net_params *n = &s->net;
	const struct ppp_auth_keys *k = &s->auth.result.keys;

	memset(n, 0, sizeof(*n));
	n->peer_ip = s->peer_ip;
	n->local_ip = s->cfg.local_ip;
	memcpy(n->dns, s->cfg.dns, sizeof(n->dns));
	memcpy(n->nbns, s->cfg.nbns, sizeof(n->nbns));
	n->peer_mru = s->lcp.peer.mru;
	n->local_mru = s->lcp.local_mru;
	n->mtu = n->peer_mru < s->cfg.mtu ? n->peer_mru : s->cfg.mtu;
	n->peer_accepts_pfc = s->lcp.peer.pfc;
	n->peer_accepts_acfc = s->lcp.peer.acfc;
	n->auth_method = (enum ppp_auth_method)s->lcp.auth_method;
	n->user = s->auth.authed_user;
	n->keys = k;
	if (ccp_is_mppe(s) && s->mppe.on && k->valid) {
		/* RFC 3079 3.3: 40/56-bit start keys are the first 8 bytes of the same digest. */
		size_t klen = s->mppe.bits == 128 ? PPP_MPPE_KEY_LEN : 8;

		n->mppe = true;
		n->mppe_bits = s->mppe.bits;
		n->mppe_stateless = s->mppe.stateless;
		memcpy(n->mppe_send_key, k->send_key, klen);
		memcpy(n->mppe_recv_key, k->recv_key, klen);
		n->mtu -= MPPE_OVERHEAD; /* MPPE frames grow by 4 (RFC 3078 3) */
	}
}

/* IPCP open and CCP settled: tell the owner, once. */
static void network_check(struct ppp_session *s)
{
	const struct ppp_net_params *n = &s->net;
	char peer[16], local[16];

	if (!s->ipcp_open || s->network_up || s->close_pending || s->lcp_done ||
	    s->phase != PPP_PHASE_NETWORK)
		return;
	if (network_held(s)) {
		if (!s->net_hold_logged)
			ppp_logf(s, PPP_LOG_INFO, "IPCP: opened; the network waits for CCP (MPPE)");
		s->net_hold_logged = true;
		return;
	}
	fill_net_params(s);
	s->network_up = true;
	s->setup_deadline = UINT64_MAX;
	if (n->mppe)
		ppp_logf(s, PPP_LOG_INFO, "IPCP: opened, peer %s, local %s, MTU %u, MPPE %u-bit %s",
			 ip_addr_str(n->peer_ip, peer), ip_addr_str(n->local_ip, local), n->mtu,
			 n->mppe_bits, n->mppe_stateless ? "stateless" : "stateful");
	else
		ppp_logf(s, PPP_LOG_INFO, "IPCP: opened, peer %s, local %s, MTU %u, unencrypted",
			 ip_addr_str(n->peer_ip, peer), ip_addr_str(n->local_ip, local), n->mtu);
	if (s->hooks.network_up)
		s->hooks.network_up(s->owner, n);
}

void ppp_phase_ipcp_down(struct ppp_session *s, uint64_t now)
{
	(void)now;
	if (s->ipcp.fsm.event == FSM_EV_RTR && s->phase == PPP_PHASE_NETWORK)
		ppp_session_set_reason(s, PPP_REASON_PEER_TERMINATE);
	s->ipcp_open = false;
	if (!s->network_up)
		return;
	s->network_up = false;
	ppp_logf(s, PPP_LOG_INFO, "IPCP: down");
	if (s->hooks.network_down)
		s->hooks.network_down(s->owner);
}

void ppp_phase_ncp_finished(struct ppp_session *s, struct ppp_fsm *f, uint64_t now)
{
	(void)now;
	if (s->phase != PPP_PHASE_NETWORK)
		return; /* taken down with LCP: nothing more to say */
	if (f == &s->ccp.fsm) {
		if (s->ccp.hook && s->ccp.hook->required) {
			ppp_logf(s, PPP_LOG_NOTICE, "CCP: could not open and it is required%s: "
						    "ending the session",
				 ccp_is_mppe(s) ? " (MPPE)" : "");
			ppp_session_fail(s, ccp_fail_reason(s));
		} else {
			ppp_logf(s, PPP_LOG_INFO, "CCP: finished, running without compression");
		}
		return;
	}
	/* IPCP is the only network protocol: without it the link is useless. */
	ppp_logf(s, PPP_LOG_NOTICE, "IPCP: finished, no network protocol left");
	if (f->event == FSM_EV_TO_MINUS && f->state == FSM_STOPPED)
		ppp_session_fail(s, PPP_REASON_NEGOTIATION_TIMEOUT);
	else
		ppp_session_fail(s, PPP_REASON_NEGOTIATION_FAILED);
}

void ppp_proto_rejected(struct ppp_session *s, uint64_t now, uint16_t protocol)
{
	ppp_logf(s, PPP_LOG_NOTICE, "LCP: peer rejects protocol 0x%04x (%s)", protocol,
		 ppp_proto_name(protocol));
	switch (protocol) {
	case PPP_LCP:
		ppp_session_set_reason(s, PPP_REASON_NEGOTIATION_FAILED);
		ppp_fsm_rxj(&s->lcp.fsm, now, true);
		break;
	case PPP_IPCP:
		ppp_session_set_reason(s, PPP_REASON_NEGOTIATION_FAILED);
		if (s->phase == PPP_PHASE_NETWORK)
			ppp_fsm_rxj(&s->ipcp.fsm, now, true);
		else
			ppp_session_fail(s, PPP_REASON_NEGOTIATION_FAILED);
		break;
	case PPP_CCP:
		if (s->phase == PPP_PHASE_NETWORK)
			ppp_fsm_rxj(&s->ccp.fsm, now, true);
		break;
	case PPP_PAP:
	case PPP_CHAP:
		if (s->phase == PPP_PHASE_AUTHENTICATE &&
		    (protocol == PPP_PAP) == (s->auth.method == PPP_AUTH_PAP))
			ppp_session_fail(s, PPP_REASON_AUTH_REFUSED);
		break;
	default: /* nothing we send */
		break;
	}
}

/* ---- entry and exit ---- */

void ppp_enter(struct ppp_session *s)
{
	s->depth++;
}

static void settle(struct ppp_session *s, uint64_t now)
{
	while (s->close_pending && !s->lcp_done) {
		s->close_pending = false;
		ppp_logf(s, PPP_LOG_INFO, "closing: %s", ppp_reason_text(s->reason));
		auth_stop(s);
		lcp_echo_stop(s);
		s->setup_deadline = UINT64_MAX;
		set_phase(s, PPP_PHASE_TERMINATE);
		ppp_fsm_close(&s->lcp.fsm, now, ppp_reason_text(s->reason));
	}
	s->close_pending = false;
	if (s->lcp_done && !s->down_reported) {
		auth_stop(s);
		network_leave(s, now);
		lcp_echo_stop(s);
		s->setup_deadline = UINT64_MAX;
		set_phase(s, PPP_PHASE_DEAD);
		s->down_reported = true;
		ppp_logf(s, PPP_LOG_INFO, "session down: %s (%s)", ppp_reason_name(s->reason),
			 ppp_reason_text(s->reason));
		if (s->hooks.down)
			s->hooks.down(s->owner, s->reason); /* last: the owner may free s */
	}
}

/* Work left for the outermost entry point, still counted as inside it. */
static void deferred(struct ppp_session *s, uint64_t now)
{
	if (s->ccp.close_pending) {
		s->ccp.close_pending = false;
		if (!s->lcp_done && !s->close_pending && s->phase == PPP_PHASE_NETWORK)
			ppp_fsm_close(&s->ccp.fsm, now, "MPPE not agreed both ways");
	}
	network_check(s);
}

void ppp_leave(struct ppp_session *s, uint64_t now)
{
	if (s->depth == 1)
		deferred(s, now);
	if (--s->depth == 0)
		settle(s, now);
}

/* ---- public API ---- */

struct ppp_session *ppp_session_new(const struct ppp_config *cfg, const struct ppp_hooks *hooks,
				    void *owner)
{
	struct ppp_session *s;
	char err[128];

	if (!hooks || !hooks->send) {
		errno = EINVAL;
		return NULL;
	}
	if (ppp_config_validate(cfg, err, sizeof(err)) != 0) {
		if (hooks->log)
			hooks->log(owner, PPP_LOG_ERR, "PPP configuration: %s", err);
		errno = EINVAL;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->cfg = *cfg;
	if (cfg->auth_name)
		snprintf(s->auth_name, sizeof(s->auth_name), "%s", cfg->auth_name);
	s->cfg.auth_name = s->auth_name;
	s->hooks = *hooks;
	s->owner = owner;
	s->phase = PPP_PHASE_DEAD;
	s->setup_deadline = UINT64_MAX;
	s->lcp.echo_deadline = UINT64_MAX;
	s->auth.resend_deadline = UINT64_MAX;
	s->auth.timeout_deadline = UINT64_MAX;
	lcp_init(s);
	ipcp_init(s);
	ccp_init(s);
	return s;
}

void ppp_session_free(struct ppp_session *s)
{
	if (!s)
		return;
	if (s->auth.step == AUTH_VERIFYING)
		s->cfg.auth_backend->cancel(s->cfg.auth_backend, s);
	ipcp_release_address(s);
	explicit_bzero(&s->auth, sizeof(s->auth)); /* keys, challenges (memset would be elided) */
	explicit_bzero(&s->net, sizeof(s->net));   /* MPPE start keys */
	free(s);
}

void ppp_session_set_ccp_hook(struct ppp_session *s, const struct ppp_ccp_hook *hook, void *ctx)
{
	s->ccp.hook = hook;
	s->ccp.hook_ctx = ctx;
}

void ppp_session_start(struct ppp_session *s, uint64_t now)
{
	ppp_enter(s);
	if (!s->started && !s->lcp_done) {
		s->started = true;
		set_phase(s, PPP_PHASE_ESTABLISH);
		if (s->cfg.setup_timeout_ms)
			s->setup_deadline = now + s->cfg.setup_timeout_ms;
		ppp_fsm_open(&s->lcp.fsm, now);
		ppp_fsm_up(&s->lcp.fsm, now);
	}
	ppp_leave(s, now);
}

static void count_malformed(struct ppp_session *s, uint16_t protocol, int err)
{
	if (-err > 0 && -err < PROTO_ERR_MAX)
		s->cnt.malformed[-err]++;
	s->cnt.malformed_total++;
	ppp_logf(s, PPP_LOG_DEBUG, "dropped malformed %s frame: %s", ppp_proto_name(protocol),
		 proto_strerror(err));
}

/* An NCP packet: only in the Network phase (RFC 1661 3.5). */
static int ncp_input(struct ppp_session *s, uint64_t now, struct ppp_fsm *f, const uint8_t *pkt,
		     size_t len)
{
	if (s->phase != PPP_PHASE_NETWORK) {
		s->cnt.dropped[PPP_DROP_WRONG_PHASE]++;
		return PROTO_OK;
	}
	return ppp_fsm_input(f, now, pkt, len);
}

static void dispatch(struct ppp_session *s, uint64_t now, const uint8_t *frame, size_t len)
{
	struct ppp_frame hdr;
	const uint8_t *info;
	size_t info_len;
	int rc = ppp_frame_parse(frame, len, &hdr);

	s->cnt.rx_frames++;
	if (rc != PROTO_OK) {
		count_malformed(s, 0, rc);
		return;
	}
	info = frame + hdr.hdr_len;
	info_len = len - hdr.hdr_len;
	s->cnt.rx_by_proto[proto_index(hdr.protocol)]++;
	switch (hdr.protocol) {
	case PPP_LCP:
		rc = ppp_fsm_input(&s->lcp.fsm, now, info, info_len);
		break;
	case PPP_PAP:
	case PPP_CHAP:
		rc = auth_input(s, now, hdr.protocol, info, info_len);
		break;
	case PPP_IPCP:
		rc = ncp_input(s, now, &s->ipcp.fsm, info, info_len);
		break;
	case PPP_CCP:
		rc = ncp_input(s, now, &s->ccp.fsm, info, info_len);
		break;
	case PPP_IP:
	case PPP_COMP:
		/* The data plane's business; it should not have reached us. */
		s->cnt.dropped[PPP_DROP_DATA]++;
		break;
	default:
		/* RFC 1661 5.7: unknown protocols are rejected, in Opened only. */
		if (s->lcp.fsm.state == FSM_OPENED)
			lcp_send_proto_reject(s, hdr.protocol, info, info_len);
		else
			s->cnt.dropped[PPP_DROP_LCP_STATE]++;
		break;
	}
	if (rc != PROTO_OK)
		count_malformed(s, hdr.protocol, rc);
}

void ppp_session_input(struct ppp_session *s, uint64_t now, const uint8_t *frame, size_t len)
{
	ppp_enter(s);
	if (!s->started || s->lcp_done)
		s->cnt.dropped[PPP_DROP_NOT_RUNNING]++;
	else
		dispatch(s, now, frame, len);
	ppp_leave(s, now);
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t ppp_session_next_deadline(const struct ppp_session *s)
{
	uint64_t d;

	if (!s->started || s->lcp_done)
		return UINT64_MAX;
	d = min64(ppp_fsm_deadline(&s->lcp.fsm), ppp_fsm_deadline(&s->ipcp.fsm));
	d = min64(d, ppp_fsm_deadline(&s->ccp.fsm));
	d = min64(d, auth_deadline(s));
	d = min64(d, s->lcp.echo_deadline);
	return min64(d, s->setup_deadline);
}

void ppp_session_tick(struct ppp_session *s, uint64_t now)
{
	ppp_enter(s);
	if (!s->started || s->lcp_done)
		goto out;
	if (now >= ppp_fsm_deadline(&s->lcp.fsm))
		ppp_fsm_timeout(&s->lcp.fsm, now);
	if (!s->lcp_done && now >= auth_deadline(s))
		auth_timer(s, now);
	if (!s->lcp_done && now >= ppp_fsm_deadline(&s->ipcp.fsm))
		ppp_fsm_timeout(&s->ipcp.fsm, now);
	if (!s->lcp_done && now >= ppp_fsm_deadline(&s->ccp.fsm))
		ppp_fsm_timeout(&s->ccp.fsm, now);
	/* A session about to close needs no echo, nor a second reason. */
	if (!s->lcp_done && !s->close_pending && now >= s->lcp.echo_deadline)
		lcp_echo_timer(s, now);
	if (!s->lcp_done && !s->close_pending && now >= s->setup_deadline) {
		s->setup_deadline = UINT64_MAX;
		ppp_logf(s, PPP_LOG_NOTICE, "session not up after %u ms", s->cfg.setup_timeout_ms);
		ppp_session_fail(s, PPP_REASON_NEGOTIATION_TIMEOUT);
	}
out:
	ppp_leave(s, now);
}

void ppp_session_note_rx(struct ppp_session *s, uint64_t peer_packets_total)
{
	s->peer_rx_total = peer_packets_total;
}

void ppp_session_close(struct ppp_session *s, uint64_t now, enum ppp_reason reason)
{
	ppp_enter(s);
	if (!s->started) {
		ppp_session_set_reason(s, reason);
		s->lcp_done = true;
	} else if (!s->lcp_done) {
		ppp_session_fail(s, reason);
	}
	ppp_leave(s, now);
}

void ppp_session_lower_down(struct ppp_session *s, uint64_t now, enum ppp_reason reason)
{
	ppp_enter(s);
	ppp_session_set_reason(s, reason);
	if (s->started && !s->lcp_done) {
		set_phase(s, PPP_PHASE_TERMINATE);
		ppp_fsm_down(&s->lcp.fsm, now);
		ppp_fsm_close(&s->lcp.fsm, now, NULL);
	}
	s->lcp_done = true;
	s->close_pending = false;
	ppp_leave(s, now);
}

bool ppp_session_mppe_resync(struct ppp_session *s, uint64_t now)
{
	bool sent = false;

	ppp_enter(s);
	if (s->started && !s->lcp_done && ccp_is_mppe(s))
		sent = ccp_mppe_resync(&s->mppe, now);
	else
		s->cnt.mppe_resync_skipped++;
	ppp_leave(s, now);
	return sent;
}

enum ppp_phase ppp_session_phase(const struct ppp_session *s)
{
	return s->phase;
}

bool ppp_session_finished(const struct ppp_session *s)
{
	return s->down_reported;
}

enum ppp_reason ppp_session_reason(const struct ppp_session *s)
{
	return s->reason;
}

const char *ppp_session_user(const struct ppp_session *s)
{
	return s->auth.authed_user;
}

void ppp_session_get_counters(const struct ppp_session *s, struct ppp_counters *out)
{
	const struct ppp_fsm *fsms[] = { &s->lcp.fsm, &s->ipcp.fsm, &s->ccp.fsm };

	*out = s->cnt;
	for (size_t i = 0; i < sizeof(fsms) / sizeof(fsms[0]); i++) {
		const struct ppp_fsm_stats *st = &fsms[i]->stats;
		out->code_rej_sent += st->code_rej_sent;
		out->code_rej_rcvd += st->code_rej_rcvd;
		out->cp_bad_reply += st->bad_id + st->bad_ack + st->bad_nak_rej;
	}
}
