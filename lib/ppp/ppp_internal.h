/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The session object and what the engine's modules (lcp, lcp_echo, auth,
 * auth_pap, auth_chap, auth_mschapv2, ipcp, ccp, ppp_session) say to each
 * other. Not for the engine's users: they see ppp_session.h.
 *
 * Re-entrancy rule: a module that decides the session must end calls
 * ppp_session_fail(), which only records the reason; the Terminate-Request
 * goes out, and hooks->down is called, when the outermost entry point
 * settles. So no automaton is ever re-entered from its own callbacks.
 */
#ifndef DPPTP_PPP_INTERNAL_H
#define DPPTP_PPP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "ccp_mppe.h"
#include "fsm.h"
#include "proto/ppp_auth.h"
#include "ppp_session.h"

#define CHAP_CHALLENGE_LEN 16
#define AUTH_STATUS_MAX 256

/* ---- LCP ---- */

struct lcp_state {
	struct ppp_fsm fsm;
	/* What we ask for; reset for each fresh negotiation. */
	struct {
		bool mru, magic, pfc, acfc;
		uint16_t mru_val;
		uint32_t magic_val;
		unsigned auth; /* one PPP_AUTH_* bit, 0 for none */
	} want;
	unsigned auth_refused; /* methods the peer Nak'd away from */
	uint32_t last_nak_magic;
	/* The peer's options in the request we judged last (acked ones count). */
	struct {
		uint16_t mru;
		bool pfc, acfc;
		uint32_t magic;
	} peer;
	/* Settled when LCP opens. */
	unsigned auth_method;
	uint16_t local_mru;
	uint32_t magic; /* ours, 0 if the peer rejected Magic-Number */
	/* Keepalive (lcp_echo.c). */
	uint64_t echo_deadline;
	uint32_t echo_pending;
	uint64_t echo_mark;
	bool echo_disabled; /* the peer Code-Rejected Echo-Request */
};

/* ---- authentication ---- */

enum auth_step {
	AUTH_IDLE,
	AUTH_WAIT_PEER, /* Challenge sent (CHAP) or waiting for a request (PAP) */
	AUTH_VERIFYING, /* the backend is deciding */
	AUTH_SUCCEEDED,
	AUTH_FAILED,
};

struct auth_state {
	unsigned method;
	enum auth_step step;
	uint8_t id; /* of our Challenge, so of the Response we expect */
	uint8_t challenge[CHAP_CHALLENGE_LEN];
	uint32_t challenges_sent;
	uint32_t attempts;
	uint64_t resend_deadline;  /* next Challenge retransmission */
	uint64_t timeout_deadline; /* PAP request or backend answer */
	/* The last status packet (Ack/Nak/Success/Failure) and the Identifier it answers. */
	uint8_t status[AUTH_STATUS_MAX];
	uint16_t status_len;
	uint8_t status_id;
	bool status_valid;
	/* The check in progress. */
	bool in_verify;
	bool early_valid;
	struct ppp_auth_result early; /* an answer given inside verify() */
	uint8_t peer_challenge[16];
	uint8_t nt_response[24];
	char user[PPP_MAX_NAME_LEN + 1];
	/* Accepted credentials' attributes. */
	struct ppp_auth_result result;
	char authed_user[PPP_MAX_NAME_LEN + 1];
};

/* ---- NCPs ---- */

struct ipcp_state {
	struct ppp_fsm fsm;
	bool want_addr;
	bool peer_sent_addr; /* in the request being judged */
};

struct ccp_state {
	struct ppp_fsm fsm;
	const struct ppp_ccp_hook *hook;
	void *hook_ctx;
	bool up;
	bool close_pending; /* close CCP when the entry point settles (MPPE one way only) */
};

/* ---- the session ---- */

struct ppp_session {
	struct ppp_config cfg;
	char auth_name[PPP_MAX_NAME_LEN + 1];
	struct ppp_hooks hooks;
	void *owner;

	enum ppp_phase phase;
	bool started;
	bool lcp_done;      /* LCP finished: the session is over */
	bool down_reported; /* hooks->down called */
	bool close_pending; /* ppp_session_fail() asked for LCP Close */
	enum ppp_reason reason;
	int depth; /* nesting of entry points */
	uint64_t setup_deadline;
	uint64_t peer_rx_total;

	struct lcp_state lcp;
	struct auth_state auth;
	struct ipcp_state ipcp;
	struct ccp_state ccp;

	struct ccp_mppe mppe; /* the built-in CCP hook's state (cfg.mppe) */

	uint32_t peer_ip; /* held from the pool (or claimed) while addr_held */
	bool addr_held;
	bool ipcp_open;       /* IPCP in Opened */
	bool network_up;      /* hooks->network_up called (IPCP open, CCP settled) */
	bool net_hold_logged; /* "waiting for CCP" said once */
	struct ppp_net_params net;

	struct ppp_counters cnt;
};

/* ppp_session.c */
/* Every entry point (and a backend's late answer) is bracketed by these. */
void ppp_enter(struct ppp_session *s);
void ppp_leave(struct ppp_session *s, uint64_t now);
void ppp_send(struct ppp_session *s, uint16_t protocol, const uint8_t *pkt, size_t len);
void ppp_session_fail(struct ppp_session *s, enum ppp_reason reason);
void ppp_session_set_reason(struct ppp_session *s, enum ppp_reason reason);
bool ppp_rand(struct ppp_session *s, void *buf, size_t len);
uint32_t ppp_rand_magic(struct ppp_session *s, uint32_t avoid1, uint32_t avoid2);
void ppp_phase_lcp_up(struct ppp_session *s, uint64_t now);
void ppp_phase_lcp_down(struct ppp_session *s, uint64_t now);
void ppp_phase_lcp_finished(struct ppp_session *s, uint64_t now);
void ppp_phase_auth_done(struct ppp_session *s, uint64_t now);
void ppp_phase_ipcp_up(struct ppp_session *s, uint64_t now);
void ppp_phase_ipcp_down(struct ppp_session *s, uint64_t now);
void ppp_phase_ncp_finished(struct ppp_session *s, struct ppp_fsm *f, uint64_t now);
void ppp_proto_rejected(struct ppp_session *s, uint64_t now, uint16_t protocol);
struct ppp_fsm_io ppp_fsm_io_for(struct ppp_session *s);
struct ppp_fsm_timing ppp_fsm_timing_for(const struct ppp_session *s);

/* ppp_log.c */
void ppp_logf(struct ppp_session *s, enum ppp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Printable copy of peer bytes (\xHH for the rest), always NUL-terminated. */
const char *ppp_printable(const uint8_t *in, size_t len, char *out, size_t cap);

/* lcp.c */
void lcp_init(struct ppp_session *s);
void lcp_send_proto_reject(struct ppp_session *s, uint16_t protocol, const uint8_t *info,
			   size_t len);

/* lcp_echo.c */
void lcp_echo_start(struct ppp_session *s, uint64_t now);
void lcp_echo_stop(struct ppp_session *s);
void lcp_echo_timer(struct ppp_session *s, uint64_t now);
void lcp_echo_request_rcvd(struct ppp_session *s, const struct ppp_cp_pkt *p);
void lcp_echo_reply_rcvd(struct ppp_session *s, const struct ppp_cp_pkt *p);

/* ipcp.c, ccp.c */
void ipcp_init(struct ppp_session *s);
/* Choose the peer's address for the Network phase: NONE or why not. */
enum ppp_reason ipcp_acquire_address(struct ppp_session *s);
void ipcp_release_address(struct ppp_session *s);
void ccp_init(struct ppp_session *s);
/* Whether CCP's hook is the engine's MPPE (not one set by ppp_session_set_ccp_hook). */
bool ccp_is_mppe(const struct ppp_session *s);
/* Why the session ends when a required CCP fails. */
enum ppp_reason ccp_fail_reason(const struct ppp_session *s);

/* auth.c: the method-independent part */
void auth_start(struct ppp_session *s, uint64_t now);
void auth_stop(struct ppp_session *s);
int auth_input(struct ppp_session *s, uint64_t now, uint16_t protocol, const uint8_t *pkt,
	       size_t len);
void auth_timer(struct ppp_session *s, uint64_t now);
uint64_t auth_deadline(const struct ppp_session *s);
/* Hand a request to the backend; the answer arrives through auth_finish_*. */
void auth_verify(struct ppp_session *s, uint64_t now, const struct ppp_auth_request *req);
/* Copy a peer's name; false (and a log line) if it is empty of sense (NUL inside, too long). */
bool auth_take_user(struct ppp_session *s, const uint8_t *name, size_t len);
/* Reject without asking the backend (unusable name); counts as an attempt. */
void auth_reject_locally(struct ppp_session *s, uint64_t now);
/* Remember a status packet for duplicates, then send it. */
void auth_send_status(struct ppp_session *s, uint16_t protocol, uint8_t id, const uint8_t *pkt,
		      size_t len);
/* A duplicate of the request we last answered: send the same answer again. */
bool auth_resend_status(struct ppp_session *s, uint16_t protocol, uint8_t id);
/* After a rejection: whether another attempt is allowed. */
bool auth_may_retry(const struct ppp_session *s);
/* The backend's message made safe for the peer, or `dflt`. */
const char *auth_message(const struct ppp_auth_result *r, const char *dflt,
			 char out[PPP_AUTH_MSG_LEN]);
void auth_succeeded(struct ppp_session *s, uint64_t now, const struct ppp_auth_result *r);
/* Count and log one rejected attempt. */
void auth_rejected(struct ppp_session *s, uint64_t now, const struct ppp_auth_result *r);
/* No more attempts: the session ends with `reason`. */
void auth_failed(struct ppp_session *s, uint64_t now, enum ppp_reason reason);

/* auth_pap.c */
int pap_input(struct ppp_session *s, uint64_t now, const uint8_t *pkt, size_t len);
void pap_finish(struct ppp_session *s, uint64_t now, const struct ppp_auth_result *r);

/* auth_chap.c (CHAP-MD5 and the exchange MS-CHAPv2 shares) */
void chap_send_challenge(struct ppp_session *s, uint64_t now, bool fresh);
int chap_input(struct ppp_session *s, uint64_t now, const uint8_t *pkt, size_t len);
void chap_finish(struct ppp_session *s, uint64_t now, const struct ppp_auth_result *r);

/* auth_mschapv2.c */
int mschapv2_response(struct ppp_session *s, uint64_t now, const struct chap_pkt *p);
void mschapv2_finish(struct ppp_session *s, uint64_t now, const struct ppp_auth_result *r);

#endif /* DPPTP_PPP_INTERNAL_H */
