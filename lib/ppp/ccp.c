/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CCP (RFC 1962). Without a hook (encryption off) we send an empty
 * Configure-Request and reject every option the peer offers, so CCP opens
 * with nothing agreed and frames flow uncompressed. A hook (MPPE,
 * ccp_mppe.c) takes over the options; see ccp_hook.h. Reset-Request and
 * Reset-Ack (codes 14, 15) go to the hook.
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

bool ccp_is_mppe(const struct ppp_session *s)
{
	return s->ccp.hook && s->ccp.hook_ctx == &s->mppe &&
	       (s->ccp.hook == &ccp_mppe_hook_allow || s->ccp.hook == &ccp_mppe_hook_require);
}

enum ppp_reason ccp_fail_reason(const struct ppp_session *s)
{
	return ccp_is_mppe(s) ? PPP_REASON_ENCRYPTION_REQUIRED : PPP_REASON_NEGOTIATION_FAILED;
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

static void ccp_req_begin(struct ppp_fsm *f)
{
	if (hook(f) && hook(f)->req_begin)
		hook(f)->req_begin(hook_ctx(f));
}

static enum ppp_opt_verdict ccp_req_opt(struct ppp_fsm *f, const struct ppp_opt *o,
					struct ppp_cp_writer *nak)
{
	if (hook(f) && hook(f)->req_opt)
		return hook(f)->req_opt(hook_ctx(f), o, nak);
	return PPP_OPT_REJ;
}

static void ccp_req_end(struct ppp_fsm *f, struct ppp_cp_writer *nak)
{
	if (hook(f) && hook(f)->req_end)
		hook(f)->req_end(hook_ctx(f), nak);
}

static int clamp_rc(int rc)
{
	return rc < 0 ? -1 : rc > 0 ? 1 : 0;
}

static int ccp_got_nak(struct ppp_fsm *f, const uint8_t *opts, size_t len)
{
	if (hook(f) && hook(f)->got_nak)
		return clamp_rc(hook(f)->got_nak(hook_ctx(f), opts, len));
	/*
	 * The peer wants us to ask for something we cannot do (MPPE): ask for
	 * nothing again; Max-Failure ends the exchange.
	 */
	return 0;
}

static int ccp_got_rej(struct ppp_fsm *f, const uint8_t *opts, size_t len)
{
	if (hook(f) && hook(f)->got_rej)
		return clamp_rc(hook(f)->got_rej(hook_ctx(f), opts, len));
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
	if (hook(f) && hook(f)->required && s->network_up && s->phase == PPP_PHASE_NETWORK) {
		/* What kept the data plane encrypted is gone: not a second in the clear. */
		ppp_logf(s, PPP_LOG_NOTICE, "CCP: left Opened and it is required: ending the session");
		ppp_session_fail(s, ccp_fail_reason(s));
	}
}

static void ccp_finished(struct ppp_fsm *f, uint64_t now)
{
	ppp_phase_ncp_finished(sess(f), f, now);
}

static bool ccp_extra_code(struct ppp_fsm *f, uint64_t now, const struct ppp_cp_pkt *p)
{
	struct ppp_session *s = sess(f);

	(void)now;
	if (p->code == PPP_RESET_REQ) {
		s->cnt.ccp_reset_req_rcvd++;
		if (f->state == FSM_OPENED && hook(f) && hook(f)->reset_request)
			hook(f)->reset_request(hook_ctx(f), p->id, p->data, p->data_len);
		return true;
	}
	if (p->code == PPP_RESET_ACK) {
		s->cnt.ccp_reset_ack_rcvd++;
		if (f->state == FSM_OPENED && hook(f) && hook(f)->reset_ack)
			hook(f)->reset_ack(hook_ctx(f), p->id, p->data, p->data_len);
		return true;
	}
	return false;
}

static void ccp_gave_up(struct ppp_fsm *f, uint64_t now)
{
	(void)now;
	if (hook(f) && hook(f)->required)
		ppp_session_set_reason(sess(f), ccp_fail_reason(sess(f)));
}

static const struct ppp_fsm_ops ccp_ops = {
	.reset = ccp_reset,
	.add_opts = ccp_add_opts,
	.req_begin = ccp_req_begin,
	.req_opt = ccp_req_opt,
	.req_end = ccp_req_end,
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
	ccp_mppe_init(&s->mppe, s);
	if (s->cfg.mppe.policy != PPP_MPPE_OFF)
		ppp_session_set_ccp_hook(s, s->cfg.mppe.policy == PPP_MPPE_REQUIRE
						    ? &ccp_mppe_hook_require
						    : &ccp_mppe_hook_allow,
					 &s->mppe);
}
