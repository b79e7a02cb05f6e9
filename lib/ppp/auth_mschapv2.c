/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MS-CHAPv2 (RFC 2759) inside CHAP: the 49-byte Response value, the
 * "S=<authenticator response> M=<message>" Success, and the Failure
 * "E=691 R=<retry> C=<new challenge> V=3 M=<message>". While attempts
 * remain, R=1 and the peer answers C= with a new Response whose Identifier
 * is one more than the Failure's (RFC 2759 section 6); the last Failure has
 * R=0 and the session ends.
 */
#include <string.h>

#include "ppp_internal.h"
#include "proto/ppp_auth.h"
#include "proto/ppp_frame.h"

int mschapv2_response(struct ppp_session *s, uint64_t now, const struct chap_pkt *p)
{
	struct auth_state *a = &s->auth;
	struct mschapv2_response resp;
	struct ppp_auth_request req;
	int rc = mschapv2_response_parse(p->value, p->value_size, &resp);

	if (rc != PROTO_OK)
		return rc;
	if (!auth_take_user(s, p->name, p->name_len)) {
		auth_reject_locally(s, now);
		return PROTO_OK;
	}
	memcpy(a->peer_challenge, resp.peer_challenge, sizeof(a->peer_challenge));
	memcpy(a->nt_response, resp.nt_response, sizeof(a->nt_response));
	memset(&req, 0, sizeof(req));
	req.method = PPP_AUTH_MSCHAPV2;
	req.user = a->user;
	req.user_len = p->name_len;
	req.owner = s->owner;
	req.mschapv2.auth_challenge = a->challenge;
	req.mschapv2.peer_challenge = a->peer_challenge;
	req.mschapv2.nt_response = a->nt_response;
	auth_verify(s, now, &req);
	return PROTO_OK;
}

static void send_status(struct ppp_session *s, uint8_t code, const char *msg, int len)
{
	uint8_t buf[AUTH_STATUS_MAX];
	int n;

	if (len < 0)
		return;
	n = chap_build_status(buf, sizeof(buf), code, s->auth.id, msg, (size_t)len);
	if (n > 0)
		auth_send_status(s, PPP_CHAP, s->auth.id, buf, (size_t)n);
}

void mschapv2_finish(struct ppp_session *s, uint64_t now, const struct ppp_auth_result *r)
{
	struct auth_state *a = &s->auth;
	struct ppp_auth_result res = *r;
	struct mschapv2_failure f;
	char text[PPP_AUTH_MSG_LEN], msg[AUTH_STATUS_MAX - PPP_CP_HDR_LEN];

	if (res.status == PPP_AUTH_ACCEPT && !res.has_auth_response) {
		/* Without it the peer cannot trust us and will hang up. */
		ppp_logf(s, PPP_LOG_ERR,
			 "auth: backend accepted without an authenticator response");
		res.status = PPP_AUTH_ERROR;
	}
	if (res.status == PPP_AUTH_ACCEPT) {
		send_status(s, CHAP_SUCCESS, msg,
			    mschapv2_success_build(msg, sizeof(msg), res.auth_response,
						   auth_message(&res, "Access granted", text)));
		auth_succeeded(s, now, &res);
		memset(&res, 0, sizeof(res));
		return;
	}
	auth_rejected(s, now, &res);
	memset(&f, 0, sizeof(f));
	f.error = res.mschap_error ? res.mschap_error : MSCHAP_ERROR_AUTHENTICATION_FAILURE;
	f.retry = res.status == PPP_AUTH_REJECT && auth_may_retry(s);
	f.version = 3;
	strcpy(f.message, auth_message(&res, "Authentication failed", text));
	/* The challenge for the retry; sent with R=0 too, as the format wants one. */
	if (!ppp_rand(s, a->challenge, sizeof(a->challenge)))
		return;
	memcpy(f.challenge, a->challenge, sizeof(f.challenge));
	send_status(s, CHAP_FAILURE, msg, mschapv2_failure_build(msg, sizeof(msg), &f));
	if (f.retry) {
		a->id++;
		a->step = AUTH_WAIT_PEER;
		a->resend_deadline = UINT64_MAX;
		a->timeout_deadline = now + s->cfg.auth_timeout_ms;
	} else {
		auth_failed(s, now,
			    res.status == PPP_AUTH_ERROR ? PPP_REASON_AUTH_ERROR
							 : PPP_REASON_AUTH_FAILED);
	}
}
