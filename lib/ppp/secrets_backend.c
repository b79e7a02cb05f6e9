/* SPDX-License-Identifier: BSD-3-Clause */
#include "secrets_backend.h"

#include <stdio.h>
#include <string.h>

#include <nettle/memops.h>

#include "chap_md5.h"
#include "mschapv2_crypto.h"

static const struct secrets_entry *find(const struct secrets_backend *b, const char *user)
{
	const struct secrets_entry *e;
	const char *slash;

	if (!b->table)
		return NULL;
	e = secrets_lookup(b->table, user, b->server);
	if (!e && (slash = strrchr(user, '\\')) != NULL && slash[1])
		e = secrets_lookup(b->table, slash + 1, b->server);
	return e;
}

static bool check_mschapv2(const struct secrets_entry *e, const struct ppp_auth_request *req,
			   struct ppp_auth_result *r)
{
	uint8_t hash[MSCHAP_HASH_LEN];
	bool ok = false;

	if (mschap_nt_password_hash_utf8(e->secret, e->secret_len, hash) != 0)
		return false; /* longer than MS-CHAP allows: cannot match */
	if (mschapv2_check_nt_response(req->mschapv2.auth_challenge, req->mschapv2.peer_challenge,
				       req->user, req->user_len, hash,
				       req->mschapv2.nt_response)) {
		mschapv2_authenticator_response(hash, req->mschapv2.nt_response,
						req->mschapv2.peer_challenge,
						req->mschapv2.auth_challenge, req->user,
						req->user_len, r->auth_response);
		r->has_auth_response = true;
		mschapv2_server_keys(hash, req->mschapv2.nt_response, &r->keys);
		ok = true;
	}
	memset(hash, 0, sizeof(hash));
	return ok;
}

static bool check(const struct secrets_entry *e, const struct ppp_auth_request *req,
		  struct ppp_auth_result *r)
{
	switch (req->method) {
	case PPP_AUTH_PAP:
		return req->pap.password_len == e->secret_len &&
		       memeql_sec(req->pap.password, e->secret, e->secret_len);
	case PPP_AUTH_CHAP_MD5:
		return chap_md5_check(req->chap_md5.id, e->secret, e->secret_len,
				      req->chap_md5.challenge, req->chap_md5.challenge_len,
				      req->chap_md5.response);
	case PPP_AUTH_MSCHAPV2:
		return check_mschapv2(e, req, r);
	default:
		return false;
	}
}

static int verify(struct ppp_auth_backend *be, const struct ppp_auth_request *req,
		  ppp_auth_done_fn done, void *cookie, uint64_t now_ms)
{
	struct secrets_backend *b = (struct secrets_backend *)be;
	const struct secrets_entry *e = find(b, req->user);
	struct ppp_auth_result r;

	memset(&r, 0, sizeof(r));
	r.status = PPP_AUTH_REJECT;
	if (e && check(e, req, &r)) {
		r.status = PPP_AUTH_ACCEPT;
		r.framed_ip = e->static_ip;
		r.deny_all = e->deny_all;
		r.n_allowed = e->n_allowed;
		memcpy(r.allowed, e->allowed, sizeof(r.allowed));
		b->accepted++;
	} else {
		/* No hint whether the user or the password was wrong. */
		memset(&r.keys, 0, sizeof(r.keys));
		r.has_auth_response = false;
		b->rejected++;
	}
	done(cookie, now_ms, &r);
	memset(&r, 0, sizeof(r));
	return 0;
}

static void cancel(struct ppp_auth_backend *be, void *cookie)
{
	/* Every answer is given inside verify(): nothing is ever pending. */
	(void)be, (void)cookie;
}

void secrets_backend_init(struct secrets_backend *b, const struct ppp_secrets *table,
			  const char *server)
{
	memset(b, 0, sizeof(*b));
	b->base.verify = verify;
	b->base.cancel = cancel;
	b->base.name = "chap-secrets";
	b->table = table;
	snprintf(b->server, sizeof(b->server), "%s", server);
}
