/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The option negotiation automaton of RFC 1661 section 4, shared by LCP,
 * IPCP and CCP: ten states, the events Up, Down, Open, Close, TO+, TO-,
 * RCR+, RCR-, RCA, RCN, RTR, RTA, RUC, RXJ+, RXJ- and RXR, and the actions
 * tlu, tld, tls, tlf, irc, zrc, scr, sca, scn, str, sta, scj and ser.
 *
 * The automaton knows the packet exchange; what an option means belongs to
 * the protocol, reached through struct ppp_fsm_ops. Packets leave through
 * struct ppp_fsm_io as control packets without the PPP header.
 *
 * Choices the RFC leaves open:
 * - no "restart" option (Open in Stopped/Opened does not bounce the link)
 *   and no "passive" option: the owner decides whether to start again;
 * - a retransmitted Configure-Request keeps its Identifier, a new one gets
 *   a new Identifier; only the first reply to it counts (a duplicated
 *   Configure-Ack must not tear an Opened link down);
 * - Max-Failure counts the Configure-Naks we send without an Ack (RFC 1661
 *   4.6: further Naks become Rejects) and also bounds the Configure-Naks we
 *   receive for our request: past it the automaton gives up and closes.
 */
#ifndef DPPTP_PPP_FSM_H
#define DPPTP_PPP_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ccp_hook.h" /* enum ppp_opt_verdict */
#include "proto/ppp_cp.h"

/* The largest control packet we build or answer (header included). */
#define PPP_FSM_PKT_MAX 1500
/* The largest option field of our own Configure-Request. */
#define PPP_FSM_REQ_MAX 128

enum ppp_fsm_state {
	FSM_INITIAL,
	FSM_STARTING,
	FSM_CLOSED,
	FSM_STOPPED,
	FSM_CLOSING,
	FSM_STOPPING,
	FSM_REQ_SENT,
	FSM_ACK_RCVD,
	FSM_ACK_SENT,
	FSM_OPENED,
	FSM_STATE_COUNT_
};

/* The event being processed, so callbacks can tell why they were called. */
enum ppp_fsm_event {
	FSM_EV_NONE,
	FSM_EV_UP,
	FSM_EV_DOWN,
	FSM_EV_OPEN,
	FSM_EV_CLOSE,
	FSM_EV_TO_PLUS,
	FSM_EV_TO_MINUS,
	FSM_EV_RCR_PLUS,
	FSM_EV_RCR_MINUS,
	FSM_EV_RCA,
	FSM_EV_RCN,
	FSM_EV_RTR,
	FSM_EV_RTA,
	FSM_EV_RUC,
	FSM_EV_RXJ_PLUS,
	FSM_EV_RXJ_MINUS,
	FSM_EV_RXR,
};

struct ppp_fsm;

struct ppp_fsm_ops {
	/* Fresh negotiation: go back to the options we want to ask for. */
	void (*reset)(struct ppp_fsm *f);
	/* Write our Configure-Request options. */
	void (*add_opts)(struct ppp_fsm *f, struct ppp_cp_writer *w);
	/* Before judging a peer's Configure-Request: forget its previous options. */
	void (*req_begin)(struct ppp_fsm *f);
	/* Judge one option (its size is already checked); for NAK write the suggestion. */
	enum ppp_opt_verdict (*req_opt)(struct ppp_fsm *f, const struct ppp_opt *opt,
					struct ppp_cp_writer *nak);
	/* After the options, when nothing was rejected: Nak options the peer should send. */
	void (*req_end)(struct ppp_fsm *f, struct ppp_cp_writer *nak);
	/*
	 * The peer's Configure-Nak/-Reject of our request (a Reject is already
	 * checked to name only options we sent, unchanged). Return 0 to send a
	 * new request, -1 if the packet is not a valid answer (dropped), 1 to
	 * stop without answering (the protocol has asked its session to end).
	 */
	int (*got_nak)(struct ppp_fsm *f, const uint8_t *opts, size_t len);
	int (*got_rej)(struct ppp_fsm *f, const uint8_t *opts, size_t len);
	/* This-Layer-Up/-Down/-Started/-Finished. */
	void (*up)(struct ppp_fsm *f, uint64_t now);
	void (*down)(struct ppp_fsm *f, uint64_t now);
	void (*started)(struct ppp_fsm *f, uint64_t now);
	void (*finished)(struct ppp_fsm *f, uint64_t now);
	/* Codes above 7 (LCP 8..13, CCP 14/15): return false to Code-Reject. */
	bool (*extra_code)(struct ppp_fsm *f, uint64_t now, const struct ppp_cp_pkt *pkt);
	/* The peer Code-Rejected one of our non-essential codes (RXJ+). */
	void (*code_rejected)(struct ppp_fsm *f, uint8_t code);
	/* Negotiation did not converge; the automaton is closing. Record why. */
	void (*gave_up)(struct ppp_fsm *f, uint64_t now);
};

struct ppp_fsm_io {
	void (*send)(void *ctx, uint16_t protocol, const uint8_t *pkt, size_t len);
	void (*log)(void *ctx, int level, const char *msg);
	void *ctx;
};

struct ppp_fsm_timing {
	uint32_t restart_ms;    /* Restart timer, RFC 1661 4.6: 3000 */
	uint32_t max_configure; /* 10 */
	uint32_t max_terminate; /* 2 */
	uint32_t max_failure;   /* 5 */
};

/* What the automaton did with packets it did not act on. */
struct ppp_fsm_stats {
	uint64_t bad_id;         /* reply to a request we did not send (or answered twice) */
	uint64_t bad_ack;        /* Configure-Ack whose options differ from our request */
	uint64_t bad_nak_rej;    /* Nak/Reject the protocol or the Reject check refused */
	uint64_t wrong_state;    /* discarded in a state that takes no such packet */
	uint64_t too_long;       /* Configure-Request too big to answer */
	uint64_t code_rej_sent;
	uint64_t code_rej_rcvd;
	uint64_t naks_converted; /* Naks turned into Rejects after Max-Failure */
};

struct ppp_fsm {
	const char *name;
	uint16_t protocol;
	const struct ppp_fsm_ops *ops;
	void *ctx; /* the protocol's owner (the session) */
	struct ppp_fsm_io io;
	struct ppp_fsm_timing t;

	enum ppp_fsm_state state;
	enum ppp_fsm_event event; /* the event in progress */
	uint8_t next_id;
	uint8_t req_id;  /* Identifier of our last Configure-Request */
	bool req_answered;
	uint8_t term_id; /* Identifier of our last Terminate-Request */
	uint32_t restart_count;
	uint32_t naks_sent; /* Configure-Naks sent since our last Configure-Ack */
	uint32_t naks_rcvd; /* Configure-Naks received in this negotiation */
	uint64_t deadline;  /* the Restart timer; UINT64_MAX when not running */
	uint16_t peer_mru;  /* what Code-Reject copies are truncated to fit */
	const char *term_msg; /* optional text in our Terminate-Request */

	uint8_t req_opts[PPP_FSM_REQ_MAX];
	uint16_t req_opts_len;

	struct ppp_fsm_stats stats;
};

void ppp_fsm_init(struct ppp_fsm *f, const char *name, uint16_t protocol,
		  const struct ppp_fsm_ops *ops, void *ctx, const struct ppp_fsm_io *io,
		  const struct ppp_fsm_timing *t);

/* Administrative and lower-layer events. */
void ppp_fsm_up(struct ppp_fsm *f, uint64_t now);
void ppp_fsm_down(struct ppp_fsm *f, uint64_t now);
void ppp_fsm_open(struct ppp_fsm *f, uint64_t now);
void ppp_fsm_close(struct ppp_fsm *f, uint64_t now, const char *why);

/*
 * A control packet of this protocol (the information field of the frame).
 * Returns PROTO_OK, or the parse error when the packet was dropped as
 * malformed without any change of state.
 */
int ppp_fsm_input(struct ppp_fsm *f, uint64_t now, const uint8_t *pkt, size_t len);

/* The Restart timer expired (call when now >= ppp_fsm_deadline()). */
void ppp_fsm_timeout(struct ppp_fsm *f, uint64_t now);

/* A reject of the whole protocol or a code: RXJ+ (fatal false) or RXJ-. */
void ppp_fsm_rxj(struct ppp_fsm *f, uint64_t now, bool fatal);

static inline uint64_t ppp_fsm_deadline(const struct ppp_fsm *f)
{
	return f->deadline;
}

/* Send a packet of this protocol with a fresh Identifier (Echo, Protocol-Reject...). */
uint8_t ppp_fsm_new_id(struct ppp_fsm *f);
void ppp_fsm_send(struct ppp_fsm *f, uint8_t code, uint8_t id, const void *data, size_t len);

const char *ppp_fsm_state_name(enum ppp_fsm_state st);

#endif /* DPPTP_PPP_FSM_H */
