/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MPPE negotiation (RFC 3078 section 2, keys from RFC 3079): the engine's
 * own CCP hook, installed by ppp_session_new() when cfg.mppe.policy is
 * allow or require. Engine-internal: the session reaches it through
 * ppp_internal.h, the daemon through ppp_config.h and ppp_session.h.
 *
 * Option 18 carries the "Supported Bits". We ask for one key length (the
 * strongest allowed) and H (stateless); the peer's request must end equal
 * to ours, so both directions run the same cipher. Anything else the peer
 * asks for (several lengths, MPPC's C bit, D, unknown bits, a length we do
 * not allow, stateful) is Nak'd with our value. A Nak of our request moves
 * us to the strongest allowed length it offers (and to stateful only when
 * cfg.mppe.stateless is false); a Nak offering nothing we allow, or a
 * Reject, is the peer refusing to encrypt: the session ends under require,
 * and runs in the clear under allow. MPPC is never offered nor accepted.
 */
#ifndef DPPTP_PPP_CCP_MPPE_H
#define DPPTP_PPP_CCP_MPPE_H

#include <stdbool.h>
#include <stdint.h>

#include "ccp_hook.h"

/* RFC 3078 2.1: option 18's Supported Bits (a 32-bit value, network order). */
#define MPPE_OPT_H 0x01000000u /* stateless (historyless) mode */
#define MPPE_OPT_M 0x00000080u /* 56-bit keys */
#define MPPE_OPT_S 0x00000040u /* 128-bit keys */
#define MPPE_OPT_L 0x00000020u /* 40-bit keys */
#define MPPE_OPT_D 0x00000010u /* obsolete */
#define MPPE_OPT_C 0x00000001u /* MPPC compression (RFC 2118): never ours */
#define MPPE_OPT_KEYS (MPPE_OPT_M | MPPE_OPT_S | MPPE_OPT_L)

/* What MPPE adds to every packet: the 2-byte header, and 2 of protocol once encrypted. */
#define MPPE_OVERHEAD 4

struct ppp_session;

struct ccp_mppe {
	struct ppp_session *s;
	/* Our request: one key length, H when stateless. */
	uint32_t want;
	bool sent;          /* option 18 was in our last request */
	uint32_t sent_val;
	/* MPPE out of play: no MS-CHAPv2 keys, or the network already up in the clear. */
	bool unavailable;
	bool refused;       /* the peer will not encrypt (allow: we go on in the clear) */
	/* The peer's request last judged: option 18 present / acked with this value. */
	bool peer_seen;
	bool peer_acked;
	uint32_t peer_val;
	/* Agreed when CCP opened. */
	bool on;
	unsigned bits;      /* 40, 56, 128 */
	bool stateless;
	/* Our Reset-Request (ppp_session_mppe_resync). */
	bool reset_pending;
	uint8_t reset_id;
	uint64_t reset_sent_ms;
};

extern const struct ppp_ccp_hook ccp_mppe_hook_allow;
extern const struct ppp_ccp_hook ccp_mppe_hook_require;

void ccp_mppe_init(struct ccp_mppe *m, struct ppp_session *s);

/* Whether MPPE may still be agreed (we ask for it and the peer has not refused). */
bool ccp_mppe_in_play(const struct ccp_mppe *m);

/* Send Reset-Request if MPPE is on, stateful, and none is outstanding. */
bool ccp_mppe_resync(struct ccp_mppe *m, uint64_t now);

/* The key length (40, 56, 128) of option 18's strongest key bit; 0 if none. */
unsigned ccp_mppe_bits(uint32_t val);

/* "128-bit stateless" and the like, for logs. */
const char *ccp_mppe_describe(uint32_t val, char *buf, size_t len);

#endif /* DPPTP_PPP_CCP_MPPE_H */
