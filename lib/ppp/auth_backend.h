/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The credential backend interface: how the PPP engine asks "is this peer
 * who it claims to be?" without knowing where the answer comes from.
 *
 * A backend may answer at once (the chap-secrets file) or later (RADIUS over
 * the event loop): verify() starts a check and the backend calls done()
 * exactly once, either before verify() returns or afterwards, unless the
 * engine cancels the check first. The engine never has more than one check
 * outstanding per session, so the cookie identifies it.
 *
 * The backend does the method's cryptography itself (it is the one holding
 * the secret, or it forwards the exchange to a server that does); the
 * helpers in chap_md5.h and mschapv2_crypto.h are there for it.
 */
#ifndef DPPTP_PPP_AUTH_BACKEND_H
#define DPPTP_PPP_AUTH_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppp_types.h"

#define PPP_MAX_NAME_LEN 255
#define PPP_AUTH_MAX_ALLOWED 8
#define PPP_AUTH_MSG_LEN 64
#define PPP_MPPE_KEY_LEN 16

/* What the engine asks; pointers are valid only during verify(). */
struct ppp_auth_request {
	enum ppp_auth_method method;
	const char *user; /* NUL-terminated, no embedded NUL */
	size_t user_len;
	void *owner; /* the session's owner, for backends that need call details */
	union {
		struct {
			const uint8_t *password;
			size_t password_len;
		} pap;
		struct {
			uint8_t id;
			const uint8_t *challenge;
			size_t challenge_len;
			const uint8_t *response; /* 16 bytes */
		} chap_md5;
		struct {
			const uint8_t *auth_challenge; /* 16 bytes, ours */
			const uint8_t *peer_challenge; /* 16 bytes */
			const uint8_t *nt_response;    /* 24 bytes */
		} mschapv2;
	};
};

enum ppp_auth_status {
	PPP_AUTH_ACCEPT,
	PPP_AUTH_REJECT,
	PPP_AUTH_ERROR, /* the backend could not decide (server down, ...) */
};

/* An address rule: `addr`/`prefix_len` (host byte order). */
struct ppp_addr_rule {
	uint32_t addr;
	uint8_t prefix_len;
};

/* MS-CHAPv2 keys for MPPE (RFC 3079 section 3), server's point of view. */
struct ppp_auth_keys {
	bool valid;
	uint8_t master_key[PPP_MPPE_KEY_LEN];
	uint8_t send_key[PPP_MPPE_KEY_LEN]; /* MasterSendKey, 128-bit start key */
	uint8_t recv_key[PPP_MPPE_KEY_LEN]; /* MasterReceiveKey */
};

/* The backend's answer; the engine copies what it keeps. */
struct ppp_auth_result {
	enum ppp_auth_status status;
	/* Accept: the address to give the peer (host order), 0 for the pool. */
	uint32_t framed_ip;
	/*
	 * Accept: addresses the peer may ask for itself in IPCP (the address
	 * column of chap-secrets). With none, the peer gets framed_ip or a pool
	 * address whatever it asks. deny_all: the user may have no address.
	 */
	struct ppp_addr_rule allowed[PPP_AUTH_MAX_ALLOWED];
	uint8_t n_allowed;
	bool deny_all;
	/* MS-CHAPv2 accept: the 20-byte authenticator response ("S="). */
	bool has_auth_response;
	uint8_t auth_response[20];
	/* MS-CHAPv2 accept: keys for MPPE. */
	struct ppp_auth_keys keys;
	/* Optional text for the peer (PAP message, MS-CHAPv2 "M="), printable ASCII. */
	char message[PPP_AUTH_MSG_LEN];
	/* MS-CHAPv2 reject: the "E=" error (0 means 691, authentication failure). */
	uint32_t mschap_error;
};

typedef void (*ppp_auth_done_fn)(void *cookie, uint64_t now_ms, const struct ppp_auth_result *r);

struct ppp_auth_backend {
	/*
	 * Start checking `req`. Return 0 and call done(cookie, now, result)
	 * once, now or later; or return -1 without calling done if the check
	 * cannot even start (the engine treats it as PPP_AUTH_ERROR).
	 */
	int (*verify)(struct ppp_auth_backend *be, const struct ppp_auth_request *req,
		      ppp_auth_done_fn done, void *cookie, uint64_t now_ms);
	/* Forget the check started with `cookie`: done must not be called for it. */
	void (*cancel)(struct ppp_auth_backend *be, void *cookie);
	const char *name; /* for logs: "chap-secrets", "radius" */
};

/* Whether `addr` matches one of the result's rules. */
bool ppp_auth_result_allows(const struct ppp_auth_result *r, uint32_t addr);

#endif /* DPPTP_PPP_AUTH_BACKEND_H */
