/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where MPPE (RFC 3078) will plug into CCP (RFC 1962).
 *
 * Without a hook, CCP offers nothing and rejects every option the peer asks
 * for, so the link runs uncompressed and unencrypted. MPPE (a separate
 * issue) will provide a hook per session that offers and judges option 18
 * (MPPE/MPPC supported bits: 40/56/128-bit, stateless) according to its
 * policy (require/allow/off), and keys itself from the MS-CHAPv2 result.
 */
#ifndef DPPTP_PPP_CCP_HOOK_H
#define DPPTP_PPP_CCP_HOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth_backend.h"
#include "proto/ppp_cp.h"

/* A verdict on one option of the peer's Configure-Request. */
enum ppp_opt_verdict {
	PPP_OPT_ACK,
	PPP_OPT_NAK, /* the suggested option has been written to the Nak writer */
	PPP_OPT_REJ,
};

struct ppp_ccp_hook {
	/* Write the options of our Configure-Request (fresh negotiation: reset first). */
	void (*reset)(void *ctx);
	void (*add_opts)(void *ctx, struct ppp_cp_writer *w);
	/* Judge one option of the peer's request; for NAK write the suggestion to `nak`. */
	enum ppp_opt_verdict (*req_opt)(void *ctx, const struct ppp_opt *opt,
					struct ppp_cp_writer *nak);
	/* The peer's Nak/Reject of our request: 0 to retry, -1 if invalid (dropped). */
	int (*got_nak)(void *ctx, const uint8_t *opts, size_t len);
	int (*got_rej)(void *ctx, const uint8_t *opts, size_t len);
	/* CCP opened (keys are the authentication's, valid or not) / left Opened. */
	void (*up)(void *ctx, const struct ppp_auth_keys *keys);
	void (*down)(void *ctx);
	/* Reset-Request (code 14) from the peer; the hook may answer via its owner. */
	void (*reset_request)(void *ctx, uint8_t id, const uint8_t *data, size_t len);
	/* If CCP cannot open (rejected, timed out), end the session (MPPE "require"). */
	bool required;
};

#endif /* DPPTP_PPP_CCP_HOOK_H */
