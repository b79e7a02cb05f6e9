/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CCP (RFC 1962). Without a hook (encryption off) we send an empty
 * Configure-Request and reject every option the peer offers, so CCP opens
 * with nothing agreed and frames flow uncompressed. A hook (MPPE, later)
 * takes over the options; see ccp_hook.h.
 */
#include "ppp_internal.h"
#include "proto/ppp_frame.h"

static struct ppp_session *sess(struct ppp_fsm *f)
{
	return f->ctx;
}

static const struct ppp_ccp_hook *hook(struct ppp_fsm *f)
{
	return sess(f)->ccp.hook;
}

static void *hook_ctx(struct ppp_fsm *f)
{
	return sess(f)->ccp.hook_ctx;
}

static void ccp_reset(struct ppp_fsm *f)
{
	if (hook(f) && hook(f)->reset)
		hook(f)->reset(hook_ctx(f));
}

static void ccp_add_opts(struct ppp_fsm *f, struct ppp_cp_writer *w)
{
	if (hook(f) && hook(f)->add_opts)
		hook(f)->add_opts(hook_ctx(f), w);
}

static enum ppp_opt_verdict ccp_req_opt(struct ppp_fsm *f, const struct ppp_opt *o,
					struct ppp_cp_writer *nak)
{
	if (hook(f) && hook(f)->req_opt)
		return hook(f)->req_opt(hook_ctx(f), o, nak);
	return PPP_OPT_REJ;
}

static int ccp_got_nak(struct ppp_fsm *f, const uint8_t *opts, size_t len)
{
	if (hook(f) && hook(f)->got_nak)
		return hook(f)->got_nak(hook_ctx(f), opts, len) < 0 ? -1 : 0;
	/*
	 * The peer wants us to ask for something we cannot do (MPPE): ask for
	 * nothing again; Max-Failure ends the exchange.
	 */
	return 0;
}

static int ccp_got_rej(struct ppp_fsm *f, const uint8_t *opts, size_t len)
{
	if (hook(f) && hook(f)->got_rej)
		return hook(f)->got_rej(hook_ctx(f), opts, len) < 0 ? -1 : 0;
	return 0;
}

static void ccp_up(struct ppp_fsm *f, uint64_t now)
{
	struct ppp_session *s = sess(f);

	(void)now;
	s->ccp.up = true;
	ppp_logf(s, PPP_LOG_INFO, "CCP: opened%s", hook(f) ? "" : " (no compression)");
	if (hook(f) && hook(f)->up)
		hook(f)->up(hook_ctx(f), &s->auth.result.keys);
}

static void ccp_down(struct ppp_fsm *f, uint64_t now)
{
	struct ppp_session *s = sess(f);

	(void)now;
	s->ccp.up = false;
	if (hook(f) && hook(f)->down)
		hook(f)->down(hook_ctx(f));
}

static void ccp_finished(struct ppp_fsm *f, uint64_t now)
{
	ppp_phase_ncp_finished(sess(f), f, now);
}

static bool ccp_extra_code(struct ppp_fsm *f, uint64_t now, const struct ppp_cp_pkt *p)
{
	(void)now;
	if (p->code == PPP_RESET_REQ) {
		if (f->state == FSM_OPENED && hook(f) && hook(f)->reset_request)
			hook(f)->reset_request(hook_ctx(f), p->id, p->data, p->data_len);
		return true;
	}
	return p->code == PPP_RESET_ACK; /* nothing of ours to reset */
}

static void ccp_gave_up(struct ppp_fsm *f, uint64_t now)
{
	(void)now;
	if (hook(f) && hook(f)->required)
		ppp_session_set_reason(sess(f), PPP_REASON_NEGOTIATION_FAILED);
}

static const struct ppp_fsm_ops ccp_ops = {
	.reset = ccp_reset,
	.add_opts = ccp_add_opts,
	.req_opt = ccp_req_opt,
	.got_nak = ccp_got_nak,
	.got_rej = ccp_got_rej,
	.up = ccp_up,
	.down = ccp_down,
	.finished = ccp_finished,
	.extra_code = ccp_extra_code,
	.gave_up = ccp_gave_up,
};

void ccp_init(struct ppp_session *s)
{
	struct ppp_fsm_io io = ppp_fsm_io_for(s);
	struct ppp_fsm_timing t = ppp_fsm_timing_for(s);

	ppp_fsm_init(&s->ccp.fsm, "CCP", PPP_CCP, &ccp_ops, s, &io, &t);
}
