/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One PPP session, server side, as the daemon's control lcore drives it for
 * one PPTP call: LCP, authentication, IPCP and CCP.
 *
 * The engine never reads a clock, never sleeps and never does I/O: every
 * entry point takes the current time in milliseconds, frames leave through
 * hooks->send, and the owner asks when to call again:
 *
 *     s = ppp_session_new(&cfg, &hooks, call);
 *     ppp_session_start(s, now);                 PPTP call connected
 *     ppp_session_input(s, now, frame, len);     each PPP frame from GRE
 *     if (now >= ppp_session_next_deadline(s))
 *             ppp_session_tick(s, now);
 *     ppp_session_note_rx(s, peer_packets);      data plane's counter (keepalive)
 *     ppp_session_close(s, now, PPP_REASON_ADMIN);
 *     ...hooks->down(owner, reason)...           then ppp_session_free(s)
 *
 * Hooks are called synchronously from inside these functions; a hook must
 * not call back into the same session, except that hooks->down is always
 * the last thing the engine does in that call, so the owner may free the
 * session from inside it.
 */
#ifndef DPPTP_PPP_SESSION_H
#define DPPTP_PPP_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth_backend.h"
#include "ccp_hook.h"
#include "ppp_config.h"
#include "ppp_types.h"
#include "proto/proto_err.h"

/*
 * What the data plane needs once the network is up: IPCP open, and CCP open
 * too when MPPE is required or being negotiated (see hooks->network_up).
 */
struct ppp_net_params {
	uint32_t peer_ip;   /* the subscriber's address (host byte order) */
	uint32_t local_ip;  /* ours, 0 if we sent none */
	uint32_t dns[2];
	uint32_t nbns[2];
	uint16_t peer_mru;  /* the peer receives at most this */
	uint16_t local_mru; /* we receive at most this (what the peer acked) */
	uint16_t mtu;       /* what to send at most: min(peer_mru, configured mtu), minus 4 with MPPE */
	bool peer_accepts_pfc;  /* we may send 1-byte protocol fields */
	bool peer_accepts_acfc; /* we may omit FF 03 */
	enum ppp_auth_method auth_method;
	const char *user; /* the authenticated name, "" without authentication */
	const struct ppp_auth_keys *keys; /* MS-CHAPv2 keys for MPPE (valid flag) */
	/*
	 * MPPE (RFC 3078) as CCP agreed it, the same both ways. When on, IPv4
	 * goes out encrypted as protocol 0x00FD and clear IPv4 from the peer
	 * must be dropped. The start keys are the server's (RFC 3079 3.3):
	 * send = what we encrypt with (MasterSendKey), recv = what the peer
	 * encrypts with. 128-bit: 16 bytes; 40/56-bit: the first 8 bytes
	 * (GetAsymmetricStartKey with length 8), the rest zero.
	 */
	bool mppe;
	unsigned mppe_bits; /* 40, 56 or 128; 0 without MPPE */
	bool mppe_stateless;
	uint8_t mppe_send_key[PPP_MPPE_KEY_LEN];
	uint8_t mppe_recv_key[PPP_MPPE_KEY_LEN];
};

struct ppp_hooks {
	/* A whole PPP frame to send inside the call's GRE. Required. */
	void (*send)(void *owner, const uint8_t *frame, size_t len);
	/*
	 * The network is up: IPCP opened, and, when MPPE is required or still
	 * being negotiated, CCP too (Windows opens them in parallel; no clear
	 * IPv4 may flow for a session that is to be encrypted). network_down:
	 * IPCP left Opened after network_up.
	 */
	void (*network_up)(void *owner, const struct ppp_net_params *p);
	void (*network_down)(void *owner);
	/* The session is finished, once; see above. */
	void (*down)(void *owner, enum ppp_reason reason);
	void (*log)(void *owner, enum ppp_log_level level, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));
	/* Random bytes (challenges, magic numbers): 0 or -1. NULL: getrandom(). */
	int (*random)(void *owner, void *buf, size_t len);
	/*
	 * Optional. MPPE is on and the peer sent CCP Reset-Request (its
	 * decrypter lost sync, stateful mode): we have answered Reset-Ack; the
	 * data plane sets the flushed bit and re-keys on its next packet.
	 */
	void (*mppe_flush)(void *owner);
};

/* Counters of the frames we handle, by protocol. */
enum ppp_proto_index {
	PPP_PIDX_LCP,
	PPP_PIDX_PAP,
	PPP_PIDX_CHAP,
	PPP_PIDX_IPCP,
	PPP_PIDX_CCP,
	PPP_PIDX_IPV6CP,
	PPP_PIDX_IP,
	PPP_PIDX_OTHER,
	PPP_PIDX_COUNT_
};

/* Frames dropped without a malformation: why. */
enum ppp_drop_reason {
	PPP_DROP_NOT_RUNNING,  /* session not started or already finished */
	PPP_DROP_WRONG_PHASE,  /* NCP before the Network phase, auth outside its phase */
	PPP_DROP_DATA,         /* IPv4/compressed data the data plane should have kept */
	PPP_DROP_AUTH_ID,      /* authentication packet with an unexpected Identifier */
	PPP_DROP_AUTH_BUSY,    /* a response while the backend is still deciding */
	PPP_DROP_AUTH_CODE,    /* PAP/CHAP code a server does not take */
	PPP_DROP_LCP_STATE,    /* Echo etc. outside Opened */
	PPP_DROP_COUNT_
};

struct ppp_counters {
	uint64_t rx_frames;
	uint64_t tx_frames;
	uint64_t rx_by_proto[PPP_PIDX_COUNT_];
	uint64_t tx_by_proto[PPP_PIDX_COUNT_];
	uint64_t malformed[PROTO_ERR_MAX]; /* by proto error, index -err */
	uint64_t malformed_total;
	uint64_t dropped[PPP_DROP_COUNT_];
	uint64_t proto_rej_sent;
	uint64_t proto_rej_rcvd;
	uint64_t code_rej_sent; /* LCP, IPCP and CCP together */
	uint64_t code_rej_rcvd;
	uint64_t cp_bad_reply;  /* Ack/Nak/Reject not answering our request, or bad */
	uint64_t echo_req_sent;
	uint64_t echo_rep_rcvd;
	uint64_t echo_req_rcvd;
	uint64_t echo_skipped; /* echoes not needed: the peer's traffic was seen */
	uint64_t discard_rcvd;
	uint64_t ident_rcvd;   /* Identification and Time-Remaining */
	uint64_t loopbacks;    /* magic-number collisions */
	uint64_t auth_attempts;
	uint64_t auth_failures;
	uint64_t auth_challenges_sent;
	uint64_t ccp_reset_req_rcvd;  /* CCP Reset-Request from the peer (answered if MPPE is on) */
	uint64_t ccp_reset_req_sent;  /* ours, from ppp_session_mppe_resync() */
	uint64_t ccp_reset_ack_rcvd;
	uint64_t mppe_resync_skipped; /* resync asked while one was outstanding, or MPPE off */
};

struct ppp_session;

/*
 * A session in the Dead phase. The configuration is validated (NULL with
 * errno EINVAL, the reason logged through hooks->log) and copied.
 */
struct ppp_session *ppp_session_new(const struct ppp_config *cfg, const struct ppp_hooks *hooks,
				    void *owner);

/* Cancels a pending credential check and gives the address back; no hook is called. */
void ppp_session_free(struct ppp_session *s);

/* MPPE's hook for this session's CCP (before start); NULL: reject every option. */
void ppp_session_set_ccp_hook(struct ppp_session *s, const struct ppp_ccp_hook *hook, void *ctx);

/* The lower layer is up: LCP starts and sends the first Configure-Request. */
void ppp_session_start(struct ppp_session *s, uint64_t now_ms);

/*
 * One PPP frame as carried in GRE: with or without FF 03, 1- or 2-byte
 * protocol. Malformed frames are dropped and counted, never acted on.
 */
void ppp_session_input(struct ppp_session *s, uint64_t now_ms, const uint8_t *frame, size_t len);

/* When to call ppp_session_tick() next (absolute ms); UINT64_MAX if never. */
uint64_t ppp_session_next_deadline(const struct ppp_session *s);

/* Run the timers that are due. */
void ppp_session_tick(struct ppp_session *s, uint64_t now_ms);

/*
 * The total of packets the data plane has received from this peer (any
 * monotonic count). While it moves, keepalive echoes are not needed.
 */
void ppp_session_note_rx(struct ppp_session *s, uint64_t peer_packets_total);

/*
 * End the session gracefully: LCP Terminate-Request, then hooks->down once
 * the peer acknowledges or Max-Terminate runs out.
 */
void ppp_session_close(struct ppp_session *s, uint64_t now_ms, enum ppp_reason reason);

/*
 * The data plane's MPPE decrypter lost sync (stateful mode): send CCP
 * Reset-Request, at most one outstanding per restart interval (cleared by
 * the peer's Reset-Ack). Returns whether one went out; nothing is sent
 * unless MPPE is on in stateful mode.
 */
bool ppp_session_mppe_resync(struct ppp_session *s, uint64_t now_ms);

/* The lower layer is gone (call cleared): no more frames; hooks->down at once. */
void ppp_session_lower_down(struct ppp_session *s, uint64_t now_ms, enum ppp_reason reason);

enum ppp_phase ppp_session_phase(const struct ppp_session *s);
bool ppp_session_finished(const struct ppp_session *s);
enum ppp_reason ppp_session_reason(const struct ppp_session *s);
/* A snapshot of the session's counters. */
void ppp_session_get_counters(const struct ppp_session *s, struct ppp_counters *out);
/* The authenticated user name ("" before authentication). */
const char *ppp_session_user(const struct ppp_session *s);

#endif /* DPPTP_PPP_SESSION_H */
