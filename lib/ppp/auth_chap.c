/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CHAP (RFC 1994), server side: the exchange MS-CHAPv2 shares (Challenge,
 * retransmitted with the same Identifier and value every auth_restart_ms up
 * to auth_max_challenges times; the Response must carry the Challenge's
 * Identifier; a duplicate Response after our verdict gets the same Success
 * or Failure again) and the MD5 algorithm's own steps.
 */
#include <string.h>

#include "chap_md5.h"
#include "ppp_internal.h"
#include "proto/ppp_auth.h"
#include "proto/ppp_frame.h"

void chap_send_challenge(struct ppp_session *s, uint64_t now, bool fresh)
{
	struct auth_state *a = &s->auth;
	uint8_t buf[PPP_CP_HDR_LEN + 1 + CHAP_CHALLENGE_LEN + PPP_MAX_NAME_LEN];
	int n;

	if (fresh) {
		if (a->challenges_sent > 0 || a->attempts > 0)
			a->id++; /* a new Challenge never reuses the last Identifier */
		if (!ppp_rand(s, a->challenge, sizeof(a->challenge)))
			return;
		a->challenges_sent = 0;
	}
	n = chap_build_value(buf, sizeof(buf), CHAP_CHALLENGE, a->id, a->challenge,
			     sizeof(a->challenge), s->auth_name, strlen(s->auth_name));
	if (n < 0)
		return;
	ppp_send(s, PPP_CHAP, buf, (size_t)n);
	a->challenges_sent++;
	s->cnt.auth_challenges_sent++;
	a->step = AUTH_WAIT_PEER;
	a->resend_deadline = now + s->cfg.auth_restart_ms;
	a->timeout_deadline = UINT64_MAX;
}

int chap_input(struct ppp_session *s, uint64_t now, const uint8_t *pkt, size_t len)
{
	struct auth_state *a = &s->auth;
	struct ppp_auth_request req;
	struct chap_pkt p;
	int rc = chap_parse(pkt, len, &p);

	if (rc != PROTO_OK)
		return rc;
	if (p.code != CHAP_RESPONSE) {
		s->cnt.dropped[PPP_DROP_AUTH_CODE]++;
		return PROTO_OK;
	}
	if (auth_resend_status(s, PPP_CHAP, p.id))
		return PROTO_OK;
	if (a->step == AUTH_VERIFYING) {
		s->cnt.dropped[PPP_DROP_AUTH_BUSY]++;
		return PROTO_OK;
	}
	if (a->step != AUTH_WAIT_PEER || p.id != a->id) {
		s->cnt.dropped[PPP_DROP_AUTH_ID]++;
		return PROTO_OK;
	}
	if (a->method == PPP_AUTH_MSCHAPV2)
		return mschapv2_response(s, now, &p);
	if (p.value_size != CHAP_MD5_LEN)
		return PROTO_E(CHAP_BAD_VALUE_SIZE);
	if (!auth_take_user(s, p.name, p.name_len)) {
		auth_reject_locally(s, now);
		return PROTO_OK;
	}
	memset(&req, 0, sizeof(req));
	req.method = PPP_AUTH_CHAP_MD5;
	req.user = a->user;
	req.user_len = p.name_len;
	req.owner = s->owner;
	req.chap_md5.id = p.id;
	req.chap_md5.challenge = a->challenge;
	req.chap_md5.challenge_len = sizeof(a->challenge);
	req.chap_md5.response = p.value;
	auth_verify(s, now, &req);
	return PROTO_OK;
}

void chap_finish(struct ppp_session *s, uint64_t now, const struct ppp_auth_result *r)
{
	struct auth_state *a = &s->auth;
	bool ok = r->status == PPP_AUTH_ACCEPT;
	char text[PPP_AUTH_MSG_LEN];
	const char *msg = auth_message(r, ok ? "Access granted" : "Access denied", text);
	uint8_t buf[PPP_CP_HDR_LEN + PPP_AUTH_MSG_LEN];
	int n = chap_build_status(buf, sizeof(buf), ok ? CHAP_SUCCESS : CHAP_FAILURE, a->id, msg,
				  strlen(msg));

	if (n > 0)
		auth_send_status(s, PPP_CHAP, a->id, buf, (size_t)n);
	if (ok) {
		auth_succeeded(s, now, r);
		return;
	}
	auth_rejected(s, now, r);
	if (r->status == PPP_AUTH_ERROR)
		auth_failed(s, now, PPP_REASON_AUTH_ERROR);
	else if (auth_may_retry(s))
		chap_send_challenge(s, now, true); /* RFC 1994 allows a new Challenge any time */
	else
		auth_failed(s, now, PPP_REASON_AUTH_FAILED);
}
