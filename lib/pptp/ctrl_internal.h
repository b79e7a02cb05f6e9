/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inside the control connection: the object and the helpers its three files
 * share (ctrl_conn.c: life cycle, framing, timers, sending, logging;
 * ctrl_dispatch.c: what each received message does in each state;
 * ctrl_calls.c: the call table and the call messages). Not for users.
 */
#ifndef DPPTP_PPTP_CTRL_INTERNAL_H
#define DPPTP_PPTP_CTRL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "pptp/ctrl_conn.h"
#include "proto/pptp_msg.h"

struct pptp_conn {
	struct pptp_conn_cfg cfg; /* cfg.host_name/vendor point into the arrays below */
	char host_name[PPTP_STR_LEN + 1];
	char vendor[PPTP_STR_LEN + 1];
	struct pptp_conn_hooks hooks;
	void *owner;
	uint32_t peer_addr;
	char peer_str[16]; /* dotted quad, for log lines */

	enum pptp_conn_state state;
	uint64_t created_ms;
	uint64_t last_rx_ms;    /* last well-formed message: postpones our echo */
	uint64_t no_call_since_ms; /* established with no call since (call_wait_ms) */
	uint64_t stop_sent_ms;

	bool echo_outstanding;
	uint32_t echo_id; /* identifier of the last Echo-Request we sent */
	uint64_t echo_sent_ms;

	/* Reassembly of one message split across reads: never more than the
	 * largest message, because the header (checked as soon as it is whole)
	 * must carry its type's fixed length. */
	uint8_t rx[PPTP_MAX_MSG_LEN];
	size_t rx_len;

	struct pptp_conn_stats stats;
	unsigned int ncalls;
	struct pptp_call calls[]; /* cfg.max_calls slots; call_id 0: free */
};

/* ctrl_conn.c */
bool conn_send(struct pptp_conn *c, const struct pptp_msg *m);
void conn_close(struct pptp_conn *c, enum pptp_close_reason why, enum pptp_clear_cause cause,
		const char *detail);
void conn_begin_stop(struct pptp_conn *c, uint64_t now, uint8_t reason);
void conn_log(const struct pptp_conn *c, enum pptp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Count `ev` and log the line: at `level` the first time on this
 * connection, at DEBUG after that (a peer must not flood the log). */
void conn_event(struct pptp_conn *c, enum pptp_conn_event ev, enum pptp_log_level level,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* ctrl_dispatch.c */
void conn_dispatch(struct pptp_conn *c, uint64_t now, const struct pptp_msg *m);

/* ctrl_calls.c */
void calls_on_ocrq(struct pptp_conn *c, uint64_t now, const struct pptp_ocrq *rq);
void calls_on_ccrq(struct pptp_conn *c, uint64_t now, const struct pptp_ccrq *rq);
void calls_on_sli(struct pptp_conn *c, const struct pptp_sli *sli);
/* Clear every call through the hook (no message sent). */
void calls_clear_all(struct pptp_conn *c, enum pptp_clear_cause cause);
/* Send CDN `result` for every call, then clear it; stops if the connection
 * closes on the way. */
void calls_disconnect_all(struct pptp_conn *c, uint64_t now, uint8_t result,
			  enum pptp_clear_cause cause);
struct pptp_call *calls_find(struct pptp_conn *c, uint16_t call_id);

#endif /* DPPTP_PPTP_CTRL_INTERNAL_H */
