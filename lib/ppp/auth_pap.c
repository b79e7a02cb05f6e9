/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PAP (RFC 1334), server side: wait for Authenticate-Request, ask the
 * backend, answer Ack or Nak. A retransmitted request (same Identifier)
 * gets the same answer again. After a Nak the peer may try again with a
 * new request while attempts remain.
 */
#include <string.h>

#include "ppp_internal.h"
#include "proto/ppp_auth.h"
#include "proto/ppp_frame.h"

int pap_input(struct ppp_session *s, uint64_t now, const uint8_t *pkt, size_t len)
{
	struct auth_state *a = &s->auth;
	struct ppp_auth_request req;
	struct pap_pkt p;
	int rc = pap_parse(pkt, len, &p);

	if (rc != PROTO_OK)
		return rc;
	if (p.code != PAP_AUTH_REQ) {
		s->cnt.dropped[PPP_DROP_AUTH_CODE]++;
		return PROTO_OK;
	}
	if (auth_resend_status(s, PPP_PAP, p.id))
		return PROTO_OK;
	if (a->step != AUTH_WAIT_PEER) {
		s->cnt.dropped[a->step == AUTH_VERIFYING ? PPP_DROP_AUTH_BUSY : PPP_DROP_AUTH_ID]++;
		return PROTO_OK;
	}
	a->id = p.id;
	if (!auth_take_user(s, p.peer_id, p.peer_id_len)) {
		auth_reject_locally(s, now);
		return PROTO_OK;
	}
	memset(&req, 0, sizeof(req));
	req.method = PPP_AUTH_PAP;
	req.user = a->user;
	req.user_len = p.peer_id_len;
	req.owner = s->owner;
	req.pap.password = p.passwd;
	req.pap.password_len = p.passwd_len;
	auth_verify(s, now, &req);
	return PROTO_OK;
}

void pap_finish(struct ppp_session *s, uint64_t now, const struct ppp_auth_result *r)
{
	struct auth_state *a = &s->auth;
	bool ok = r->status == PPP_AUTH_ACCEPT;
	char text[PPP_AUTH_MSG_LEN];
	const char *msg = auth_message(r, ok ? "Login ok" : "Login incorrect", text);
	uint8_t buf[PPP_CP_HDR_LEN + 1 + PPP_AUTH_MSG_LEN];
	int n = pap_build_reply(buf, sizeof(buf), ok ? PAP_AUTH_ACK : PAP_AUTH_NAK, a->id, msg,
				strlen(msg));

	if (n > 0)
		auth_send_status(s, PPP_PAP, a->id, buf, (size_t)n);
	if (ok) {
		auth_succeeded(s, now, r);
		return;
	}
	auth_rejected(s, now, r);
	if (r->status == PPP_AUTH_ERROR) {
		auth_failed(s, now, PPP_REASON_AUTH_ERROR);
	} else if (auth_may_retry(s)) {
		a->step = AUTH_WAIT_PEER;
		a->timeout_deadline = now + s->cfg.auth_timeout_ms;
	} else {
		auth_failed(s, now, PPP_REASON_AUTH_FAILED);
	}
}
