/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * How compression/encryption plugs into CCP (RFC 1962).
 *
 * Without a hook, CCP offers nothing and rejects every option the peer asks
 * for, so the link runs uncompressed and unencrypted. MPPE (ccp_mppe.c) is
 * the engine's own hook, installed by ppp_session_new() when
 * cfg.mppe.policy is not off; ppp_session_set_ccp_hook() can replace it
 * with another (tests do). The hook offers and judges options (MPPE: option
 * 18, the MPPE/MPPC supported bits) and keys itself from the MS-CHAPv2
 * result.
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
	/* Optional: before the peer's request is judged / after, when nothing was
	 * rejected (append options the peer should have asked for to `nak`). */
	void (*req_begin)(void *ctx);
	void (*req_end)(void *ctx, struct ppp_cp_writer *nak);
	/* Judge one option of the peer's request; for NAK write the suggestion to `nak`. */
	enum ppp_opt_verdict (*req_opt)(void *ctx, const struct ppp_opt *opt,
					struct ppp_cp_writer *nak);
	/*
	 * The peer's Nak/Reject of our request: 0 to send a new request, -1 if
	 * invalid (dropped), 1 to send nothing more (the session is ending).
	 */
	int (*got_nak)(void *ctx, const uint8_t *opts, size_t len);
	int (*got_rej)(void *ctx, const uint8_t *opts, size_t len);
	/* CCP opened (keys are the authentication's, valid or not) / left Opened. */
	void (*up)(void *ctx, const struct ppp_auth_keys *keys);
	void (*down)(void *ctx);
	/* Reset-Request (code 14) from the peer in Opened; the hook may answer via its owner. */
	void (*reset_request)(void *ctx, uint8_t id, const uint8_t *data, size_t len);
	/* Optional: Reset-Ack (code 15) from the peer. */
	void (*reset_ack)(void *ctx, uint8_t id, const uint8_t *data, size_t len);
	/*
	 * If CCP cannot open (rejected, timed out), end the session; and hold
	 * network_up until CCP opens (MPPE "require").
	 */
	bool required;
};

#endif /* DPPTP_PPP_CCP_HOOK_H */
