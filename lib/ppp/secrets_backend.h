/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The first credential backend: a chap-secrets table (secrets.h), answering
 * at once. It verifies PAP passwords, CHAP-MD5 responses and MS-CHAPv2
 * NT-Responses itself, and for MS-CHAPv2 returns the authenticator
 * response and the MPPE keys; the address column becomes the result's
 * framed address or allowed list.
 *
 * A name "DOMAIN\user" with no entry of its own is looked up as "user", as
 * Windows clients add the domain when the user typed one.
 */
#ifndef DPPTP_PPP_SECRETS_BACKEND_H
#define DPPTP_PPP_SECRETS_BACKEND_H

#include "auth_backend.h"
#include "secrets.h"

struct secrets_backend {
	struct ppp_auth_backend base; /* first: the engine sees only this */
	const struct ppp_secrets *table; /* swap on reload; the backend does not own it */
	char server[PPP_MAX_NAME_LEN + 1];
	uint64_t accepted;
	uint64_t rejected;
};

/* `server`: our name as the file's second column spells it (pptpd's "name"). */
void secrets_backend_init(struct secrets_backend *b, const struct ppp_secrets *table,
			  const char *server);

#endif /* DPPTP_PPP_SECRETS_BACKEND_H */
