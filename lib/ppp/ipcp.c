/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPCP (RFC 1332, RFC 1877), server side, and the subscriber's address.
 *
 * The address is chosen when the Network phase begins: the static one the
 * credentials give (claimed in the pool so no other session can have it),
 * or the pool's least recently used one. A peer asking for 0.0.0.0, or for
 * an address it may not have, gets a Configure-Nak with the right one (doc
 * 003); a peer that says nothing about its address gets the option
 * appended to a Nak (RFC 1332 3.3). The only exception: credentials with an
 * address list (chap-secrets' fourth column) let the peer pick one of them.
 *
 * Our own address goes in our request; DNS and NBNS (129..132) are given
 * when configured (Nak'd to the right value when asked with 0.0.0.0 or
 * another) and rejected when not; IP-Compression-Protocol (Van Jacobson)
 * and the old IP-Addresses option are rejected.
 */
#include "ppp_internal.h"
#include "proto/ppp_frame.h"
#include "proto/wire.h"

static struct ppp_session *sess(struct ppp_fsm *f)
{
	return f->ctx;
}

static void log_addr(struct ppp_session *s, enum ppp_log_level lvl, const char *what,
		     uint32_t addr)
{
	char a[16];

	ppp_logf(s, lvl, "IPCP: %s %s", what, ip_addr_str(addr, a));
}

enum ppp_reason ipcp_acquire_address(struct ppp_session *s)
{
	const struct ppp_auth_result *r = &s->auth.result;
	struct ip_pool *pool = s->cfg.pool;

	if (s->addr_held || s->peer_ip)
		return PPP_REASON_NONE;
	if (r->deny_all) {
		ppp_logf(s, PPP_LOG_NOTICE, "IPCP: the user may have no address");
		return PPP_REASON_ADDRESS_CONFLICT;
	}
	if (r->framed_ip) {
		if (pool && ip_pool_claim(pool, r->framed_ip) != 0) {
			log_addr(s, PPP_LOG_NOTICE, "static address in use or reserved:",
				 r->framed_ip);
			return PPP_REASON_ADDRESS_CONFLICT;
		}
		s->peer_ip = r->framed_ip;
		s->addr_held = pool != NULL;
		return PPP_REASON_NONE;
	}
	if (!pool) {
		ppp_logf(s, PPP_LOG_ERR, "IPCP: no address pool configured");
		return PPP_REASON_POOL_EXHAUSTED;
	}
	if (ip_pool_alloc(pool, &s->peer_ip) != 0) {
		ppp_logf(s, PPP_LOG_WARNING, "IPCP: address pool exhausted, refusing the session");
		return PPP_REASON_POOL_EXHAUSTED;
	}
	s->addr_held = true;
	return PPP_REASON_NONE;
}

void ipcp_release_address(struct ppp_session *s)
{
	if (s->addr_held && s->cfg.pool && ip_pool_release(s->cfg.pool, s->peer_ip) != 0)
		log_addr(s, PPP_LOG_ERR, "pool did not hold", s->peer_ip);
	s->addr_held = false;
	s->peer_ip = 0;
}

/* The peer asks for `addr` itself: allowed only by the credentials' list. */
static bool try_peer_choice(struct ppp_session *s, uint32_t addr)
{
	const struct ppp_auth_result *r = &s->auth.result;
	struct ip_pool *pool = s->cfg.pool;

	if (r->n_allowed == 0 || addr == s->cfg.local_ip || addr == UINT32_MAX ||
	    !ppp_auth_result_allows(r, addr))
		return false;
	if (pool && ip_pool_claim(pool, addr) != 0)
		return false;
	if (s->addr_held)
		ip_pool_release(pool, s->peer_ip);
	s->peer_ip = addr;
	s->addr_held = pool != NULL;
	log_addr(s, PPP_LOG_INFO, "peer keeps the address it asked for,", addr);
	return true;
}

static void ipcp_reset(struct ppp_fsm *f)
{
	struct ppp_session *s = sess(f);

	s->ipcp.want_addr = s->cfg.local_ip != 0;
}

static void ipcp_add_opts(struct ppp_fsm *f, struct ppp_cp_writer *w)
{
	struct ppp_session *s = sess(f);

	if (s->ipcp.want_addr)
		ppp_cp_put_opt_u32(w, IPCP_OPT_ADDRESS, s->cfg.local_ip);
}

static void ipcp_req_begin(struct ppp_fsm *f)
{
	sess(f)->ipcp.peer_sent_addr = false;
}

/* DNS/NBNS: give what is configured, refuse what is not. */
static enum ppp_opt_verdict server_opt(uint32_t configured, const struct ppp_opt *o,
				       struct ppp_cp_writer *nak)
{
	if (configured == 0)
		return PPP_OPT_REJ;
	if (wire_get_be32(o->val) == configured)
		return PPP_OPT_ACK;
	ppp_cp_put_opt_u32(nak, o->type, configured);
	return PPP_OPT_NAK;
}

static enum ppp_opt_verdict ipcp_req_opt(struct ppp_fsm *f, const struct ppp_opt *o,
					 struct ppp_cp_writer *nak)
{
	struct ppp_session *s = sess(f);
	uint32_t addr;

	switch (o->type) {
	case IPCP_OPT_ADDRESS:
		/* One address per request: a second one would move the address
		 * we hold, while our Ack would echo both (the first no longer
		 * ours). Rejected: the peer asks again with one. */
		if (s->ipcp.peer_sent_addr)
			return PPP_OPT_REJ;
		addr = wire_get_be32(o->val);
		s->ipcp.peer_sent_addr = true;
		if (addr == s->peer_ip || (addr != 0 && try_peer_choice(s, addr)))
			return PPP_OPT_ACK;
		if (f->naks_sent >= f->t.max_failure) {
			/*
			 * Max-Failure would turn this Nak into a Reject and let the
			 * peer pick its own address: a subscriber that insists on an
			 * address it may not have is not let in.
			 */
			log_addr(s, PPP_LOG_NOTICE, "peer insists on an address it may not have:",
				 addr);
			ppp_session_fail(s, PPP_REASON_ADDRESS_CONFLICT);
		}
		ppp_cp_put_opt_u32(nak, IPCP_OPT_ADDRESS, s->peer_ip);
		return PPP_OPT_NAK;
	case IPCP_OPT_DNS1:
		return server_opt(s->cfg.dns[0], o, nak);
	case IPCP_OPT_DNS2:
		return server_opt(s->cfg.dns[1], o, nak);
	case IPCP_OPT_NBNS1:
		return server_opt(s->cfg.nbns[0], o, nak);
	case IPCP_OPT_NBNS2:
		return server_opt(s->cfg.nbns[1], o, nak);
	default: /* IP-Compression-Protocol (VJ), IP-Addresses, unknown */
		return PPP_OPT_REJ;
	}
}

static void ipcp_req_end(struct ppp_fsm *f, struct ppp_cp_writer *nak)
{
	struct ppp_session *s = sess(f);

	if (!s->ipcp.peer_sent_addr)
		ppp_cp_put_opt_u32(nak, IPCP_OPT_ADDRESS, s->peer_ip);
}

static int ipcp_got_nak(struct ppp_fsm *f, const uint8_t *opts, size_t len)
{
	(void)f, (void)opts, (void)len;
	return 0; /* our address is ours: we ask again; Max-Failure bounds it */
}

static int ipcp_got_rej(struct ppp_fsm *f, const uint8_t *opts, size_t len)
{
	struct ppp_session *s = sess(f);
	struct ppp_opt_iter it;
	struct ppp_opt o;

	ppp_opt_iter_init(&it, opts, len);
	while (ppp_opt_next(&it, &o) > 0)
		if (o.type == IPCP_OPT_ADDRESS)
			s->ipcp.want_addr = false;
	return 0;
}

static void ipcp_up(struct ppp_fsm *f, uint64_t now)
{
	ppp_phase_ipcp_up(sess(f), now);
}

static void ipcp_down(struct ppp_fsm *f, uint64_t now)
{
	ppp_phase_ipcp_down(sess(f), now);
}

static void ipcp_finished(struct ppp_fsm *f, uint64_t now)
{
	ppp_phase_ncp_finished(sess(f), f, now);
}

static void ipcp_gave_up(struct ppp_fsm *f, uint64_t now)
{
	(void)now;
	ppp_session_set_reason(sess(f), PPP_REASON_NEGOTIATION_FAILED);
}

static const struct ppp_fsm_ops ipcp_ops = {
	.reset = ipcp_reset,
	.add_opts = ipcp_add_opts,
	.req_begin = ipcp_req_begin,
	.req_opt = ipcp_req_opt,
	.req_end = ipcp_req_end,
	.got_nak = ipcp_got_nak,
	.got_rej = ipcp_got_rej,
	.up = ipcp_up,
	.down = ipcp_down,
	.finished = ipcp_finished,
	.gave_up = ipcp_gave_up,
};

void ipcp_init(struct ppp_session *s)
{
	struct ppp_fsm_io io = ppp_fsm_io_for(s);
	struct ppp_fsm_timing t = ppp_fsm_timing_for(s);

	ppp_fsm_init(&s->ipcp.fsm, "IPCP", PPP_IPCP, &ipcp_ops, s, &io, &t);
}
