/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Small vocabulary shared by the PPP engine's public headers: why a session
 * ended, its phase, log levels and authentication methods.
 */
#ifndef DPPTP_PPP_TYPES_H
#define DPPTP_PPP_TYPES_H

/*
 * Why a session ended. The first cause recorded wins: a peer that hangs up
 * after a failed authentication is reported as AUTH_FAILED, not as
 * PEER_TERMINATE.
 */
#define PPP_REASON_LIST(X)                                                      \
	X(NONE, "no reason recorded")                                          \
	X(ADMIN, "closed by the administrator or the daemon")                  \
	X(LOWER_DOWN, "lower layer down (PPTP call cleared)")                  \
	X(PEER_TERMINATE, "peer sent LCP Terminate-Request")                   \
	X(NEGOTIATION_TIMEOUT, "peer did not answer our Configure-Requests")   \
	X(NEGOTIATION_FAILED, "option negotiation did not converge or was rejected") \
	X(LOOPBACK, "link is looped back (our magic number came back)")        \
	X(AUTH_REFUSED, "peer refused every authentication method we offer")  \
	X(AUTH_FAILED, "authentication failed")                                \
	X(AUTH_TIMEOUT, "authentication did not complete in time")             \
	X(AUTH_ERROR, "credential backend could not decide")                   \
	X(KEEPALIVE_TIMEOUT, "peer stopped answering LCP echo")                \
	X(POOL_EXHAUSTED, "no address left in the pool")                       \
	X(ADDRESS_CONFLICT, "the user's static address is in use or not allowed") \
	X(ENCRYPTION_REQUIRED, "encryption (MPPE) required but the peer would not encrypt") \
	X(INTERNAL_ERROR, "internal error (random source failed, or the data plane refused the session)")

#define PPP_REASON_ENUM_(name, text) PPP_REASON_##name,
enum ppp_reason { PPP_REASON_LIST(PPP_REASON_ENUM_) PPP_REASON_COUNT_ };
#undef PPP_REASON_ENUM_

/* Stable identifier ("AUTH_FAILED") and text; never NULL. */
const char *ppp_reason_name(enum ppp_reason r);
const char *ppp_reason_text(enum ppp_reason r);

/* RFC 1661 section 3.2 phases. */
enum ppp_phase {
	PPP_PHASE_DEAD,
	PPP_PHASE_ESTABLISH,
	PPP_PHASE_AUTHENTICATE,
	PPP_PHASE_NETWORK,
	PPP_PHASE_TERMINATE,
};

const char *ppp_phase_name(enum ppp_phase p);

/* Same values as syslog's levels so an owner can pass them straight on. */
enum ppp_log_level {
	PPP_LOG_ERR = 3,
	PPP_LOG_WARNING = 4,
	PPP_LOG_NOTICE = 5,
	PPP_LOG_INFO = 6,
	PPP_LOG_DEBUG = 7,
};

/*
 * Authentication methods, as bits so a configuration can allow several;
 * we propose the strongest allowed one first (MS-CHAPv2, CHAP-MD5, PAP).
 */
enum ppp_auth_method {
	PPP_AUTH_NONE = 0,
	PPP_AUTH_PAP = 1 << 0,
	PPP_AUTH_CHAP_MD5 = 1 << 1,
	PPP_AUTH_MSCHAPV2 = 1 << 2,
};

#define PPP_AUTH_ALL (PPP_AUTH_PAP | PPP_AUTH_CHAP_MD5 | PPP_AUTH_MSCHAPV2)

/* "MS-CHAPv2", "CHAP-MD5", "PAP", "none". */
const char *ppp_auth_method_name(enum ppp_auth_method m);

#endif /* DPPTP_PPP_TYPES_H */
