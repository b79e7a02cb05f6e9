/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Authenticate phase, method-independent part: starting and stopping,
 * timers, the bounded number of attempts, handing requests to the backend
 * and routing its answer (now or later) to the method that asked.
 *
 * A backend may answer inside verify() (the secrets file) or later (RADIUS).
 * An answer inside verify() is kept and acted on once verify() returns, so
 * the method code never runs twice on one stack.
 */
#include <string.h>

#include "ppp_internal.h"
#include "proto/ppp_frame.h"

bool ppp_auth_result_allows(const struct ppp_auth_result *r, uint32_t addr)
{
	for (unsigned i = 0; i < r->n_allowed && i < PPP_AUTH_MAX_ALLOWED; i++) {
		uint8_t len = r->allowed[i].prefix_len;
		uint32_t mask = len == 0 ? 0 : len >= 32 ? UINT32_MAX : ~0u << (32 - len);

		if ((addr & mask) == (r->allowed[i].addr & mask))
			return true;
	}
	return false;
}

static void finish(struct ppp_session *s, uint64_t now, const struct ppp_auth_result *r)
{
	switch (s->auth.method) {
	case PPP_AUTH_PAP:
		pap_finish(s, now, r);
		break;
	case PPP_AUTH_CHAP_MD5:
		chap_finish(s, now, r);
		break;
	case PPP_AUTH_MSCHAPV2:
		mschapv2_finish(s, now, r);
		break;
	default:
		break;
	}
}

void auth_start(struct ppp_session *s, uint64_t now)
{
	struct auth_state *a = &s->auth;
	uint8_t first_id;

	auth_stop(s);
	/* A fresh Identifier space per session, so ids are not guessable. */
	if (!ppp_rand(s, &first_id, 1))
		return;
	memset(a, 0, sizeof(*a));
	a->method = s->lcp.auth_method;
	a->id = first_id;
	a->resend_deadline = UINT64_MAX;
	a->timeout_deadline = UINT64_MAX;
	ppp_logf(s, PPP_LOG_INFO, "auth: %s", ppp_auth_method_name(a->method));
	if (a->method == PPP_AUTH_PAP) {
		a->step = AUTH_WAIT_PEER;
		a->timeout_deadline = now + s->cfg.auth_timeout_ms;
	} else {
		chap_send_challenge(s, now, true);
	}
}

void auth_stop(struct ppp_session *s)
{
	struct auth_state *a = &s->auth;

	if (a->step == AUTH_VERIFYING && !a->in_verify)
		s->cfg.auth_backend->cancel(s->cfg.auth_backend, s);
	if (a->step == AUTH_WAIT_PEER || a->step == AUTH_VERIFYING)
		a->step = AUTH_IDLE;
	a->resend_deadline = UINT64_MAX;
	a->timeout_deadline = UINT64_MAX;
}

int auth_input(struct ppp_session *s, uint64_t now, uint16_t protocol, const uint8_t *pkt,
	       size_t len)
{
	struct auth_state *a = &s->auth;
	bool ours = protocol == PPP_PAP ? a->method == PPP_AUTH_PAP
					: a->method & (PPP_AUTH_CHAP_MD5 | PPP_AUTH_MSCHAPV2);

	if (!ours || a->step == AUTH_IDLE) {
		s->cnt.dropped[PPP_DROP_WRONG_PHASE]++;
		return PROTO_OK;
	}
	return protocol == PPP_PAP ? pap_input(s, now, pkt, len) : chap_input(s, now, pkt, len);
}

uint64_t auth_deadline(const struct ppp_session *s)
{
	const struct auth_state *a = &s->auth;

	if (a->step != AUTH_WAIT_PEER && a->step != AUTH_VERIFYING)
		return UINT64_MAX;
	return a->resend_deadline < a->timeout_deadline ? a->resend_deadline : a->timeout_deadline;
}

void auth_timer(struct ppp_session *s, uint64_t now)
{
	struct auth_state *a = &s->auth;

	if (a->step == AUTH_WAIT_PEER && now >= a->resend_deadline) {
		if (a->challenges_sent < s->cfg.auth_max_challenges) {
			chap_send_challenge(s, now, false);
		} else {
			ppp_logf(s, PPP_LOG_NOTICE, "auth: no Response to %u Challenges",
				 a->challenges_sent);
			auth_failed(s, now, PPP_REASON_AUTH_TIMEOUT);
		}
		return;
	}
	if (now < a->timeout_deadline)
		return;
	if (a->step == AUTH_VERIFYING) {
		ppp_logf(s, PPP_LOG_WARNING, "auth: backend %s gave no answer in %u ms",
			 s->cfg.auth_backend->name ? s->cfg.auth_backend->name : "",
			 s->cfg.auth_timeout_ms);
		s->cfg.auth_backend->cancel(s->cfg.auth_backend, s);
	} else {
		ppp_logf(s, PPP_LOG_NOTICE, "auth: peer sent no credentials in %u ms",
			 s->cfg.auth_timeout_ms);
	}
	auth_failed(s, now, PPP_REASON_AUTH_TIMEOUT);
}

/* The backend's answer. Given inside verify() it is kept for later. */
static void backend_done(void *cookie, uint64_t now, const struct ppp_auth_result *r)
{
	struct ppp_session *s = cookie;
	struct auth_state *a = &s->auth;

	if (a->step != AUTH_VERIFYING || s->lcp_done)
		return; /* a backend answering after cancel: ignore it */
	if (a->in_verify) {
		a->early = *r;
		a->early_valid = true;
		return;
	}
	ppp_enter(s);
	finish(s, now, r);
	ppp_leave(s, now);
}

void auth_verify(struct ppp_session *s, uint64_t now, const struct ppp_auth_request *req)
{
	struct auth_state *a = &s->auth;
	struct ppp_auth_backend *be = s->cfg.auth_backend;
	int rc;

	a->attempts++;
	s->cnt.auth_attempts++;
	a->step = AUTH_VERIFYING;
	a->resend_deadline = UINT64_MAX;
	a->timeout_deadline = now + s->cfg.auth_timeout_ms;
	a->in_verify = true;
	a->early_valid = false;
	rc = be->verify(be, req, backend_done, s, now);
	a->in_verify = false;
	if (rc != 0) {
		struct ppp_auth_result err = { .status = PPP_AUTH_ERROR };
		ppp_logf(s, PPP_LOG_WARNING, "auth: backend %s could not start a check",
			 be->name ? be->name : "");
		finish(s, now, &err);
	} else if (a->early_valid) {
		a->early_valid = false;
		finish(s, now, &a->early);
		memset(&a->early, 0, sizeof(a->early));
	}
}

void auth_reject_locally(struct ppp_session *s, uint64_t now)
{
	struct ppp_auth_result r = { .status = PPP_AUTH_REJECT };

	s->auth.attempts++;
	s->cnt.auth_attempts++;
	s->auth.step = AUTH_VERIFYING;
	finish(s, now, &r);
}

bool auth_take_user(struct ppp_session *s, const uint8_t *name, size_t len)
{
	char shown[64];

	if (len > PPP_MAX_NAME_LEN || memchr(name, '\0', len)) {
		ppp_logf(s, PPP_LOG_NOTICE, "auth: unusable user name \"%s\" (%zu bytes)",
			 ppp_printable(name, len, shown, sizeof(shown)), len);
		return false;
	}
	memcpy(s->auth.user, name, len);
	s->auth.user[len] = '\0';
	return true;
}

void auth_send_status(struct ppp_session *s, uint16_t protocol, uint8_t id, const uint8_t *pkt,
		      size_t len)
{
	struct auth_state *a = &s->auth;

	a->status_valid = len <= sizeof(a->status);
	if (a->status_valid) {
		memcpy(a->status, pkt, len);
		a->status_len = (uint16_t)len;
		a->status_id = id;
	}
	ppp_send(s, protocol, pkt, len);
}

bool auth_resend_status(struct ppp_session *s, uint16_t protocol, uint8_t id)
{
	struct auth_state *a = &s->auth;

	if (!a->status_valid || id != a->status_id || a->step == AUTH_VERIFYING)
		return false;
	ppp_send(s, protocol, a->status, a->status_len);
	return true;
}

bool auth_may_retry(const struct ppp_session *s)
{
	return s->auth.attempts < s->cfg.auth_max_attempts;
}

const char *auth_message(const struct ppp_auth_result *r, const char *dflt,
			 char out[PPP_AUTH_MSG_LEN])
{
	size_t o = 0;

	/* The backend's text goes to the peer: printable ASCII only. */
	for (size_t i = 0; i < PPP_AUTH_MSG_LEN - 1 && r->message[i]; i++)
		if (r->message[i] >= 0x20 && r->message[i] < 0x7f)
			out[o++] = r->message[i];
	out[o] = '\0';
	return o ? out : dflt;
}

void auth_succeeded(struct ppp_session *s, uint64_t now, const struct ppp_auth_result *r)
{
	struct auth_state *a = &s->auth;
	char shown[PPP_MAX_NAME_LEN * 4 + 1];

	a->step = AUTH_SUCCEEDED;
	a->resend_deadline = UINT64_MAX;
	a->timeout_deadline = UINT64_MAX;
	a->result = *r;
	memcpy(a->authed_user, a->user, sizeof(a->user));
	ppp_logf(s, PPP_LOG_INFO, "auth: user \"%s\" authenticated with %s",
		 ppp_printable((const uint8_t *)a->user, strlen(a->user), shown, sizeof(shown)),
		 ppp_auth_method_name(a->method));
	ppp_phase_auth_done(s, now);
}

void auth_rejected(struct ppp_session *s, uint64_t now, const struct ppp_auth_result *r)
{
	char shown[PPP_MAX_NAME_LEN * 4 + 1];

	(void)now;
	s->cnt.auth_failures++;
	ppp_logf(s, PPP_LOG_NOTICE, "auth: %s for user \"%s\" (attempt %u of %u)",
		 r->status == PPP_AUTH_ERROR ? "backend error" : "rejected",
		 ppp_printable((const uint8_t *)s->auth.user, strlen(s->auth.user), shown,
			       sizeof(shown)),
		 s->auth.attempts, s->cfg.auth_max_attempts);
}

void auth_failed(struct ppp_session *s, uint64_t now, enum ppp_reason reason)
{
	struct auth_state *a = &s->auth;

	(void)now;
	a->step = AUTH_FAILED;
	a->resend_deadline = UINT64_MAX;
	a->timeout_deadline = UINT64_MAX;
	ppp_session_fail(s, reason);
}
