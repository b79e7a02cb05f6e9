/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Admission: the limits the daemon checks before it spends anything on a
 * newcomer.
 *
 *  - on accept() of a TCP connection, before any per-connection state exists:
 *    pptp_admit_connection() refuses when the concentrator is full (max
 *    sessions), busy negotiating (max sessions in set-up) or when the source
 *    address opens connections faster than its token bucket allows;
 *  - on each Outgoing-Call-Request (from the connection's call_request hook):
 *    pptp_admit_session_begin() reserves a session in set-up;
 *    pptp_admit_session_up() when its PPP network phase is up (IPCP opened),
 *    pptp_admit_session_end() when it ends, whichever state it reached.
 *
 * A session is a call: from its accepted Outgoing-Call-Request until it is
 * cleared. "In set-up" means not yet network-up: these sessions cost the most
 * (authentication, RADIUS round trips), so their number has its own cap.
 * Capacity is checked before the rate limit, so a refused connection never
 * spends its source's token. Not thread-safe: the control lcore owns it.
 */
#ifndef DPPTP_PPTP_ADMISSION_H
#define DPPTP_PPTP_ADMISSION_H

#include <stdbool.h>
#include <stdint.h>

#include "pptp/src_limit.h"

struct pptp_admission_cfg {
	uint32_t max_sessions; /* sessions at once, set-up and up; 0: no limit */
	uint32_t max_setup;    /* sessions not yet network-up; 0: no limit */
	/* Per-source connection rate; rate.burst == 0 turns the limit off. */
	struct pptp_src_limit_cfg rate;
};

enum pptp_admit {
	PPTP_ADMIT_OK = 0,
	PPTP_ADMIT_MAX_SESSIONS, /* max_sessions reached */
	PPTP_ADMIT_MAX_SETUP,    /* max_setup reached */
	PPTP_ADMIT_RATE_LIMITED, /* this source's bucket is empty (connections only) */
	PPTP_ADMIT_COUNT_
};

struct pptp_admission_stats {
	uint32_t setup;                        /* sessions in set-up now */
	uint32_t up;                           /* sessions network-up now */
	uint64_t connections[PPTP_ADMIT_COUNT_]; /* accept() verdicts by kind */
	uint64_t sessions[PPTP_ADMIT_COUNT_];    /* session_begin() verdicts by kind */
	uint64_t unbalanced; /* session_up/end without a matching session: a caller bug */
};

struct pptp_admission;

/* NULL if the rate configuration is invalid (see pptp_src_limit_new) or out
 * of memory. */
struct pptp_admission *pptp_admission_new(const struct pptp_admission_cfg *cfg);
void pptp_admission_free(struct pptp_admission *adm);

/* New limits at run time (SIGHUP): sessions in set-up and up are kept; a
 * changed per-source rate starts every source with a full bucket. 0, or -1
 * (invalid rate or out of memory: nothing changed). */
int pptp_admission_reconfigure(struct pptp_admission *adm, const struct pptp_admission_cfg *cfg);

/* A TCP connection from `peer_addr` (IPv4, host byte order) was accepted:
 * keep it (PPTP_ADMIT_OK) or close it at once. Takes a token from the
 * source's bucket only when the answer is OK. */
enum pptp_admit pptp_admit_connection(struct pptp_admission *adm, uint64_t now_ms,
				      uint32_t peer_addr);

/* An Outgoing-Call-Request: reserve a session in set-up, or say why not. */
enum pptp_admit pptp_admit_session_begin(struct pptp_admission *adm);

/* A session reserved by session_begin reached the network phase. */
void pptp_admit_session_up(struct pptp_admission *adm);

/* A session reserved by session_begin ended; `was_up` if session_up was
 * called for it. */
void pptp_admit_session_end(struct pptp_admission *adm, bool was_up);

const struct pptp_admission_stats *pptp_admission_stats(const struct pptp_admission *adm);

/* "ok", "max-sessions", "max-setup", "rate-limited". */
const char *pptp_admit_name(enum pptp_admit verdict);

#endif /* DPPTP_PPTP_ADMISSION_H */
