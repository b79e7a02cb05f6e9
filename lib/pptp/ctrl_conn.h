/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One PPTP control connection (RFC 2637 section 3), concentrator side.
 *
 * Our clients (Windows, pptp-linux, MikroTik, ...) open TCP 1723, send
 * Start-Control-Connection-Request and then Outgoing-Call-Request: in RFC
 * terms they are the PNS and we answer as the PAC that places their calls.
 * docs/pptp-control.md has the state machine and what we answer to every
 * message in every state.
 *
 * The library owns no socket and reads no clock. The daemon
 *  - creates one object per accepted TCP connection (after admission),
 *  - feeds it every byte read, split anywhere (pptp_conn_input),
 *  - calls pptp_conn_tick() when pptp_conn_next_deadline() has passed,
 *  - writes what the send hook hands it, in order,
 *  - closes the socket when the close hook runs (after writing what was sent
 *    before it), then calls pptp_conn_free().
 * Timers fire only in pptp_conn_tick(). The library still uses the object
 * after a hook returns, so hooks must never call pptp_conn_free(); calls
 * into the same connection from inside a hook are safe but, once it is
 * stopping or closed, refused or without effect.
 */
#ifndef DPPTP_PPTP_CTRL_CONN_H
#define DPPTP_PPTP_CTRL_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/pptp_msg.h"

struct pptp_call_id_allocator;
struct pptp_conn;

enum pptp_conn_state {
	PPTP_CONN_WAIT_SCCRQ,      /* TCP accepted, no Start-Control-Connection-Request yet */
	PPTP_CONN_ESTABLISHED,     /* SCCRQ accepted: calls may be placed */
	PPTP_CONN_WAIT_STOP_REPLY, /* we sent Stop-Control-Connection-Request */
	PPTP_CONN_CLOSED,          /* the close hook ran: only pptp_conn_free() is left */
};

/* Why a connection closed (the close hook's argument, and its stats). */
#define PPTP_CLOSE_REASON_LIST(X)                                                                  \
	X(NONE, "none", "not closed")                                                              \
	X(GARBAGE, "garbage", "malformed control message (see the codec's error)")                \
	X(SCCRQ_TIMEOUT, "sccrq-timeout", "no Start-Control-Connection-Request in time")          \
	X(ECHO_TIMEOUT, "echo-timeout", "no Echo-Reply to our Echo-Request in time")              \
	X(STOP_TIMEOUT, "stop-timeout", "no Stop-Control-Connection-Reply to our request in time") \
	X(BAD_VERSION, "bad-version", "peer's protocol version is below 1.0")                      \
	X(PEER_STOP, "peer-stop", "peer's Stop-Control-Connection-Request answered")               \
	X(LOCAL_STOP, "local-stop", "our Stop-Control-Connection-Request answered or not needed")  \
	X(PEER_GONE, "peer-gone", "the TCP connection ended (pptp_conn_peer_closed)")              \
	X(SEND_FAILED, "send-failed", "the send hook failed")

#define PPTP_CLOSE_ENUM_(name, id, text) PPTP_CLOSE_##name,
enum pptp_close_reason { PPTP_CLOSE_REASON_LIST(PPTP_CLOSE_ENUM_) PPTP_CLOSE_REASON_COUNT };
#undef PPTP_CLOSE_ENUM_

/* Why a call ended (the call_cleared hook's argument). */
enum pptp_clear_cause {
	PPTP_CLEAR_PEER_REQUEST, /* peer's Call-Clear-Request; we sent CDN "Request" (4) */
	PPTP_CLEAR_LOCAL,        /* pptp_conn_call_disconnect(); we sent CDN */
	PPTP_CLEAR_PEER_STOP,    /* peer's Stop-Control-Connection-Request clears every call */
	PPTP_CLEAR_LOCAL_STOP,   /* pptp_conn_stop(); we sent CDN "Admin Shutdown" (3) */
	PPTP_CLEAR_CONN_CLOSED,  /* the connection closed under it (error, timeout, TCP, free) */
};

/* The owner's answer to an Outgoing-Call-Request. */
enum pptp_call_verdict {
	PPTP_CALL_ACCEPT,             /* Outgoing-Call-Reply result 1 Connected */
	PPTP_CALL_REFUSE_NO_RESOURCE, /* result 2 General Error, error 4 No-Resource */
	PPTP_CALL_REFUSE_BUSY,        /* result 4 Busy */
	PPTP_CALL_REFUSE_DENIED,      /* result 7 Do Not Accept (administratively prohibited) */
};

/* syslog's numbers, so a hook can pass them straight on. */
enum pptp_log_level {
	PPTP_LOG_ERR = 3,
	PPTP_LOG_WARNING = 4,
	PPTP_LOG_NOTICE = 5,
	PPTP_LOG_INFO = 6,
	PPTP_LOG_DEBUG = 7,
};

/* A call: one PPP session inside GRE, keyed in the data path by our call ID
 * and the peer's address. */
struct pptp_call {
	uint16_t call_id;          /* ours: the GRE key on packets the peer sends us */
	uint16_t peer_call_id;     /* the peer's: the GRE key on packets we send */
	uint16_t peer_recv_window; /* from the OCRQ: packets the peer can buffer */
	uint16_t peer_proc_delay;  /* from the OCRQ, in 1/10 s */
	uint32_t connect_speed;    /* what our Outgoing-Call-Reply announced, bps */
	uint64_t started_ms;       /* when the OCRQ was accepted */
	void *user;                /* the owner's: set it in call_request */
};

struct pptp_conn_hooks {
	/* Required. Queue `len` bytes for the TCP connection, in order; 0 on
	 * success, negative if they cannot be queued (the connection is then
	 * closed with PPTP_CLOSE_SEND_FAILED). */
	int (*send)(void *owner, const uint8_t *buf, size_t len);
	/* Required. The connection is over: flush what was sent, close the
	 * socket. Runs once; every call was cleared before it. `detail` names
	 * the codec error (proto_errname) for PPTP_CLOSE_GARBAGE, else the
	 * reason's text. */
	void (*close)(void *owner, enum pptp_close_reason why, const char *detail);
	/* Required. An Outgoing-Call-Request in the established state, after
	 * the library's own checks; `call->call_id` is already allocated. The
	 * owner runs its admission (pptp_admit_session_begin) and may set
	 * `call->user`; `call` itself is valid during the hook only (keep the
	 * call ID). Anything but ACCEPT refuses the call. */
	enum pptp_call_verdict (*call_request)(void *owner, struct pptp_call *call,
					       const struct pptp_ocrq *rq);
	/* Optional. Runs exactly once for every accepted call, whatever ended
	 * it (pptp_conn_call_disconnect included): the one place to tear the
	 * session down. `call` is a copy; its ID is already released. */
	void (*call_cleared)(void *owner, const struct pptp_call *call,
			     enum pptp_clear_cause cause);
	/* Optional. A Set-Link-Info for one of our calls (ACCM means nothing
	 * over GRE; the message is otherwise ignored). */
	void (*set_link_info)(void *owner, const struct pptp_call *call,
			      const struct pptp_sli *sli);
	/* Optional. One finished line, prefixed "pptp <peer address>: ". */
	void (*log)(void *owner, enum pptp_log_level level, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));
};

struct pptp_conn_cfg {
	/* Start-Control-Connection-Reply */
	const char *host_name;  /* copied; truncated to 63 bytes */
	const char *vendor;     /* copied; truncated to 63 bytes */
	uint16_t firmware_rev;
	uint16_t max_channels;  /* informational: clients ignore it */
	uint32_t framing_caps;  /* PPTP_FRAMING_* bits */
	uint32_t bearer_caps;   /* PPTP_BEARER_* bits */
	/* Outgoing-Call-Reply */
	uint16_t recv_window;   /* packets we can buffer per call */
	uint32_t connect_speed; /* bps; 0: echo the OCRQ's Maximum BPS */
	uint16_t max_calls;     /* calls per connection, >= 1 */
	/* Timers, in ms */
	uint32_t sccrq_timeout_ms; /* accept -> SCCRQ, else close */
	uint32_t call_wait_ms;     /* established without a call -> stop; 0: never */
	uint32_t echo_interval_ms; /* silence -> our Echo-Request; 0: never */
	uint32_t echo_timeout_ms;  /* our Echo-Request -> Echo-Reply, else close */
	uint32_t stop_timeout_ms;  /* our StopCCRQ -> StopCCRP, else close */
	enum pptp_log_level log_level; /* lines above it are not formatted */
	/* Required: the daemon's one allocator, shared by all connections. */
	struct pptp_call_id_allocator *call_ids;
};

/* Per-connection counters of events worth a number (besides messages). */
#define PPTP_CONN_EVENT_LIST(X)                                                                    \
	X(GARBAGE, "malformed control message: connection closed")                                \
	X(UNEXPECTED, "message this side never expects (a reply to nothing, or PAC-to-PNS)")      \
	X(NOT_CONNECTED, "request before the control connection is established, or after stop") \
	X(BAD_CALL_ID, "message naming a call ID that is not ours or not this connection's")     \
	X(SCCRQ_AGAIN, "SCCRQ on a connection that already has one")                              \
	X(BAD_VERSION, "SCCRQ with a protocol version below 1.0")                                 \
	X(CALL_ACCEPTED, "Outgoing-Call-Request accepted")                                        \
	X(CALL_REFUSED_OWNER, "Outgoing-Call-Request refused by the owner (admission, policy)")   \
	X(CALL_REFUSED_LIMIT, "Outgoing-Call-Request refused: max calls on this connection")      \
	X(CALL_REFUSED_NO_ID, "Outgoing-Call-Request refused: every call ID in use")              \
	X(CALL_REFUSED_DUP, "Outgoing-Call-Request reusing a live peer call ID")                  \
	X(ICRQ_REFUSED, "Incoming-Call-Request refused (we never take incoming calls)")           \
	X(ECHO_SENT, "Echo-Request sent after silence")                                           \
	X(ECHO_MISMATCH, "Echo-Reply with no request outstanding or another identifier")         \
	X(ECHO_ERROR, "Echo-Reply with a result other than OK")                                   \
	X(WARN_RESERVED, "reserved field not zero (tolerated)")                                    \
	X(WARN_UNTERMINATED, "64-byte string without NUL (tolerated)")

#define PPTP_CONN_EVENT_ENUM_(name, text) PPTP_EV_##name,
enum pptp_conn_event { PPTP_CONN_EVENT_LIST(PPTP_CONN_EVENT_ENUM_) PPTP_EV_COUNT };
#undef PPTP_CONN_EVENT_ENUM_

struct pptp_conn_stats {
	uint64_t rx_msgs[PPTP_CTRL_TYPE_MAX + 1]; /* well-formed messages received, by type */
	uint64_t tx_msgs[PPTP_CTRL_TYPE_MAX + 1]; /* messages sent, by type */
	uint64_t rx_bytes;
	uint64_t tx_bytes;
	uint64_t events[PPTP_EV_COUNT];
	enum pptp_close_reason close_reason;
	int close_proto_err; /* the codec's PROTO_E() when close_reason is GARBAGE */
};

/* Defaults: 10 s for SCCRQ, 60 s echo interval and timeout, 10 s to wait
 * for a call and for a StopCCRP, window 64, 4 calls, framing and bearer
 * "either", speed 100 Mbit/s, log level INFO. host_name "dpptp", vendor
 * "dpptp"; call_ids NULL (must be set). */
void pptp_conn_cfg_init(struct pptp_conn_cfg *cfg);

/* A connection from `peer_addr` (IPv4, host byte order) accepted at
 * `now_ms`. NULL if out of memory or the configuration or hooks are
 * unusable (a required hook or call_ids missing, max_calls or a required
 * timer 0). */
struct pptp_conn *pptp_conn_new(const struct pptp_conn_cfg *cfg,
				const struct pptp_conn_hooks *hooks, void *owner, uint64_t now_ms,
				uint32_t peer_addr);

/* Free the object. Calls still open are cleared through call_cleared
 * (PPTP_CLEAR_CONN_CLOSED); the close hook does not run. NULL is a no-op. */
void pptp_conn_free(struct pptp_conn *c);

/* Bytes read from the TCP connection, split anywhere. Returns the state
 * afterwards; PPTP_CONN_CLOSED means the close hook ran. Input after close
 * is ignored. */
enum pptp_conn_state pptp_conn_input(struct pptp_conn *c, uint64_t now_ms, const uint8_t *bytes,
				     size_t len);

/* The peer closed (or reset) the TCP connection. Closes the object
 * (PPTP_CLOSE_PEER_GONE) unless already closed. */
enum pptp_conn_state pptp_conn_peer_closed(struct pptp_conn *c, uint64_t now_ms);

/* Absolute time (ms) at which pptp_conn_tick() has work; UINT64_MAX if none. */
uint64_t pptp_conn_next_deadline(const struct pptp_conn *c);

/* Run the timers that are due at `now_ms`. */
enum pptp_conn_state pptp_conn_tick(struct pptp_conn *c, uint64_t now_ms);

/* Disconnect one of our calls: send Call-Disconnect-Notify with `result`
 * (enum pptp_cdn_result, 1..4; error code 0) and `cause`, then clear it
 * (call_cleared with PPTP_CLEAR_LOCAL). 0, -ENOENT (no such call on this
 * established connection) or -EINVAL (bad result). */
int pptp_conn_call_disconnect(struct pptp_conn *c, uint64_t now_ms, uint16_t call_id,
			      uint8_t result, uint16_t cause);

/* Stop the control connection: CDN "Admin Shutdown" for every call, then
 * Stop-Control-Connection-Request with `reason` (enum pptp_stop_reason) and
 * wait for the reply (stop_timeout_ms). Before SCCRQ there is nothing to
 * stop: the object closes at once (PPTP_CLOSE_LOCAL_STOP). Already stopping
 * or closed: nothing happens. 0 or -EINVAL (bad reason). */
int pptp_conn_stop(struct pptp_conn *c, uint64_t now_ms, uint8_t reason);

enum pptp_conn_state pptp_conn_state(const struct pptp_conn *c);
const struct pptp_conn_stats *pptp_conn_stats(const struct pptp_conn *c);
uint32_t pptp_conn_peer_addr(const struct pptp_conn *c);
unsigned int pptp_conn_call_count(const struct pptp_conn *c);
/* One of this connection's calls by our call ID; NULL if none. */
const struct pptp_call *pptp_conn_call(const struct pptp_conn *c, uint16_t call_id);

const char *pptp_conn_state_name(enum pptp_conn_state state);
const char *pptp_close_reason_name(enum pptp_close_reason why); /* "echo-timeout" */
const char *pptp_clear_cause_name(enum pptp_clear_cause cause);
const char *pptp_conn_event_name(enum pptp_conn_event ev); /* "CALL_ACCEPTED" */

#endif /* DPPTP_PPTP_CTRL_CONN_H */
