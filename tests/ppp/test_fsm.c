/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RFC 1661 automaton on its own, with a toy protocol: every test walks
 * cells of the state transition table (RFC 1661 4.1) and checks the state
 * reached, the packets sent and the this-layer actions called.
 *
 * The toy protocol runs on IPCP's number (the codec needs a known one) with
 * option types 200 and 201, which no real IPCP option uses. We ask for
 * option 201 (two bytes); in the peer's requests, option 200 with value 0 is
 * Nak'd (suggesting 1) and any other value is acked; option 202 is rejected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ppp/fsm.h"
#include "proto/ppp_frame.h"
#include "proto/proto_err.h"

#define T_PROTO PPP_IPCP
#define MAX_SENT 64

struct toy {
	struct ppp_fsm f;
	struct {
		uint8_t code, id;
		uint8_t data[256];
		size_t len;
	} sent[MAX_SENT];
	size_t n_sent, next;
	int ups, downs, starts, finishes, resets, gave_ups, code_rejs;
	bool want_opt;
	int nak_rc; /* what got_nak returns */
};

static void toy_send(void *ctx, uint16_t proto, const uint8_t *pkt, size_t len)
{
	struct toy *t = ctx;

	assert_int_equal(proto, T_PROTO);
	assert_true(t->n_sent < MAX_SENT && len >= 4 && len - 4 <= 256);
	t->sent[t->n_sent].code = pkt[0];
	t->sent[t->n_sent].id = pkt[1];
	assert_int_equal((pkt[2] << 8) | pkt[3], len);
	memcpy(t->sent[t->n_sent].data, pkt + 4, len - 4);
	t->sent[t->n_sent].len = len - 4;
	t->n_sent++;
}

static struct toy *toy_of(struct ppp_fsm *f)
{
	return f->ctx;
}

static void toy_reset(struct ppp_fsm *f)
{
	toy_of(f)->resets++;
	toy_of(f)->want_opt = true;
}

static void toy_add(struct ppp_fsm *f, struct ppp_cp_writer *w)
{
	static const uint8_t v[2] = { 0xAB, 0xCD };

	if (toy_of(f)->want_opt)
		ppp_cp_put_opt(w, 201, v, sizeof(v));
}

static enum ppp_opt_verdict toy_req_opt(struct ppp_fsm *f, const struct ppp_opt *o,
					struct ppp_cp_writer *nak)
{
	static const uint8_t one = 1;

	(void)f;
	if (o->type == 202)
		return PPP_OPT_REJ;
	if (o->type == 200 && o->val_len == 1 && o->val[0] == 0) {
		ppp_cp_put_opt(nak, 200, &one, 1);
		return PPP_OPT_NAK;
	}
	return PPP_OPT_ACK;
}

static int toy_nak(struct ppp_fsm *f, const uint8_t *o, size_t l)
{
	(void)o, (void)l;
	return toy_of(f)->nak_rc;
}

static int toy_rej(struct ppp_fsm *f, const uint8_t *o, size_t l)
{
	(void)o, (void)l;
	toy_of(f)->want_opt = false;
	return 0;
}

static void toy_up(struct ppp_fsm *f, uint64_t now)
{
	(void)now;
	toy_of(f)->ups++;
}

static void toy_down(struct ppp_fsm *f, uint64_t now)
{
	(void)now;
	toy_of(f)->downs++;
}

static void toy_started(struct ppp_fsm *f, uint64_t now)
{
	(void)now;
	toy_of(f)->starts++;
}

static void toy_finished(struct ppp_fsm *f, uint64_t now)
{
	(void)now;
	toy_of(f)->finishes++;
}

static void toy_code_rej(struct ppp_fsm *f, uint8_t code)
{
	(void)code;
	toy_of(f)->code_rejs++;
}

static void toy_gave_up(struct ppp_fsm *f, uint64_t now)
{
	(void)now;
	toy_of(f)->gave_ups++;
}

static const struct ppp_fsm_ops toy_ops = {
	.reset = toy_reset,
	.add_opts = toy_add,
	.req_opt = toy_req_opt,
	.got_nak = toy_nak,
	.got_rej = toy_rej,
	.up = toy_up,
	.down = toy_down,
	.started = toy_started,
	.finished = toy_finished,
	.code_rejected = toy_code_rej,
	.gave_up = toy_gave_up,
};

static const uint8_t OUR_OPT[] = { 201, 4, 0xAB, 0xCD };

static void toy_init(struct toy *t)
{
	struct ppp_fsm_io io = { .send = toy_send, .ctx = t };
	struct ppp_fsm_timing tm = { .restart_ms = 3000, .max_configure = 10,
				     .max_terminate = 2, .max_failure = 5 };

	memset(t, 0, sizeof(*t));
	ppp_fsm_init(&t->f, "TOY", T_PROTO, &toy_ops, t, &io, &tm);
}

/* Feed a packet from the peer. */
static int rx(struct toy *t, uint64_t now, uint8_t code, uint8_t id, const void *data,
	      size_t len)
{
	uint8_t pkt[300];

	pkt[0] = code;
	pkt[1] = id;
	pkt[2] = (uint8_t)((len + 4) >> 8);
	pkt[3] = (uint8_t)(len + 4);
	if (len)
		memcpy(pkt + 4, data, len);
	return ppp_fsm_input(&t->f, now, pkt, len + 4);
}

/* The next packet we sent must have this code; returns its index. */
static size_t tx(struct toy *t, uint8_t code)
{
	assert_true(t->next < t->n_sent);
	if (t->sent[t->next].code != code)
		fail_msg("expected code %u, sent %u", code, t->sent[t->next].code);
	return t->next++;
}

static void no_tx(struct toy *t)
{
	assert_int_equal(t->next, t->n_sent);
}

/* Initial -> Req-Sent: Open (tls/1), Up (irc,scr/6). */
static void start(struct toy *t, uint64_t now)
{
	toy_init(t);
	ppp_fsm_open(&t->f, now);
	assert_int_equal(t->f.state, FSM_STARTING);
	assert_int_equal(t->starts, 1);
	no_tx(t);
	ppp_fsm_up(&t->f, now);
	assert_int_equal(t->f.state, FSM_REQ_SENT);
	size_t i = tx(t, PPP_CONF_REQ);
	assert_int_equal(t->sent[i].len, sizeof(OUR_OPT));
	assert_memory_equal(t->sent[i].data, OUR_OPT, sizeof(OUR_OPT));
	assert_int_equal(ppp_fsm_deadline(&t->f), now + 3000);
}

/* Req-Sent -> Opened by RCA then RCR+. */
static void open_link(struct toy *t, uint64_t now)
{
	static const uint8_t peer[] = { 200, 3, 7 };
	uint8_t id;

	start(t, now);
	id = t->sent[t->n_sent - 1].id;
	rx(t, now, PPP_CONF_ACK, id, OUR_OPT, sizeof(OUR_OPT));
	assert_int_equal(t->f.state, FSM_ACK_RCVD);
	rx(t, now, PPP_CONF_REQ, 9, peer, sizeof(peer));
	size_t i = tx(t, PPP_CONF_ACK);
	assert_int_equal(t->sent[i].id, 9);
	assert_memory_equal(t->sent[i].data, peer, sizeof(peer));
	assert_int_equal(t->f.state, FSM_OPENED);
	assert_int_equal(t->ups, 1);
	assert_int_equal(ppp_fsm_deadline(&t->f), UINT64_MAX);
}

static void test_open_ack_first(void **state)
{
	struct toy t;
	(void)state;
	open_link(&t, 0);
}

static void test_open_req_first(void **state)
{
	static const uint8_t peer[] = { 200, 3, 7 };
	struct toy t;
	(void)state;

	start(&t, 0);
	uint8_t id = t.sent[0].id;
	rx(&t, 10, PPP_CONF_REQ, 1, peer, sizeof(peer)); /* sca/8 */
	tx(&t, PPP_CONF_ACK);
	assert_int_equal(t.f.state, FSM_ACK_SENT);
	rx(&t, 20, PPP_CONF_ACK, id, OUR_OPT, sizeof(OUR_OPT)); /* irc,tlu/9 */
	assert_int_equal(t.f.state, FSM_OPENED);
	assert_int_equal(t.ups, 1);
	no_tx(&t);
}

/* TO+ retransmits with the same Identifier; TO- after Max-Configure: tlf/3. */
static void test_restart_counter(void **state)
{
	struct toy t;
	(void)state;

	start(&t, 0);
	uint8_t id = t.sent[0].id;
	for (int i = 1; i < 10; i++) {
		ppp_fsm_timeout(&t.f, (uint64_t)i * 3000);
		size_t k = tx(&t, PPP_CONF_REQ);
		assert_int_equal(t.sent[k].id, id);
		assert_int_equal(t.f.state, FSM_REQ_SENT);
	}
	assert_int_equal(t.n_sent, 10);
	ppp_fsm_timeout(&t.f, 30000);
	no_tx(&t);
	assert_int_equal(t.f.state, FSM_STOPPED);
	assert_int_equal(t.finishes, 1);
	assert_int_equal(ppp_fsm_deadline(&t.f), UINT64_MAX);
}

/* RCN in Req-Sent: irc,scr/6 with a new Identifier; RCJ drops the option. */
static void test_nak_and_reject(void **state)
{
	struct toy t;
	(void)state;

	start(&t, 0);
	uint8_t id = t.sent[0].id;
	rx(&t, 1, PPP_CONF_NAK, id, OUR_OPT, sizeof(OUR_OPT));
	size_t k = tx(&t, PPP_CONF_REQ);
	assert_int_not_equal(t.sent[k].id, id);
	assert_int_equal(t.f.state, FSM_REQ_SENT);
	/* A second reply to the same request is not an answer any more. */
	rx(&t, 2, PPP_CONF_NAK, id, OUR_OPT, sizeof(OUR_OPT));
	no_tx(&t);
	assert_int_equal(t.f.stats.bad_id, 1);
	/* A Reject naming an option we did not send is invalid. */
	static const uint8_t other[] = { 201, 4, 0, 0 };
	rx(&t, 3, PPP_CONF_REJ, t.sent[k].id, other, sizeof(other));
	no_tx(&t);
	assert_int_equal(t.f.stats.bad_nak_rej, 1);
	rx(&t, 4, PPP_CONF_REJ, t.sent[k].id, OUR_OPT, sizeof(OUR_OPT));
	k = tx(&t, PPP_CONF_REQ);
	assert_int_equal(t.sent[k].len, 0);
}

/* An Ack whose options differ from the request is not an Ack (RFC 1661 5.2). */
static void test_bad_ack(void **state)
{
	static const uint8_t changed[] = { 201, 4, 0xAB, 0xCE };
	struct toy t;
	(void)state;

	start(&t, 0);
	rx(&t, 1, PPP_CONF_ACK, t.sent[0].id, changed, sizeof(changed));
	assert_int_equal(t.f.state, FSM_REQ_SENT);
	assert_int_equal(t.f.stats.bad_ack, 1);
	rx(&t, 1, PPP_CONF_ACK, (uint8_t)(t.sent[0].id + 1), OUR_OPT, sizeof(OUR_OPT));
	assert_int_equal(t.f.state, FSM_REQ_SENT);
	assert_int_equal(t.f.stats.bad_id, 1);
}

/* A duplicated Configure-Ack must not bring an Opened link down (tld,scr/6x). */
static void test_duplicate_ack_in_opened(void **state)
{
	struct toy t;
	(void)state;

	open_link(&t, 0);
	rx(&t, 5, PPP_CONF_ACK, t.sent[0].id, OUR_OPT, sizeof(OUR_OPT));
	assert_int_equal(t.f.state, FSM_OPENED);
	assert_int_equal(t.downs, 0);
	no_tx(&t);
}

/* RCR in Opened: tld,scr,sca/8 (renegotiation starts afresh: reset). */
static void test_renegotiation(void **state)
{
	static const uint8_t peer[] = { 200, 3, 5 };
	struct toy t;
	(void)state;

	open_link(&t, 0);
	int resets = t.resets;
	rx(&t, 5, PPP_CONF_REQ, 10, peer, sizeof(peer));
	assert_int_equal(t.downs, 1);
	tx(&t, PPP_CONF_REQ);
	tx(&t, PPP_CONF_ACK);
	assert_int_equal(t.f.state, FSM_ACK_SENT);
	assert_int_equal(t.resets, resets + 1);
}

/* RCR- answers: Nak with the suggestion, Reject with the exact options, in order. */
static void test_judging(void **state)
{
	static const uint8_t mixed[] = { 200, 3, 0, 202, 3, 9, 203, 2 };
	static const uint8_t naked[] = { 200, 3, 0 };
	static const uint8_t sized[] = { 200, 3, 1 };
	struct toy t;
	(void)state;

	start(&t, 0);
	rx(&t, 1, PPP_CONF_REQ, 2, mixed, sizeof(mixed));
	size_t k = tx(&t, PPP_CONF_REJ); /* Rejects win over Naks */
	assert_int_equal(t.sent[k].id, 2);
	assert_int_equal(t.sent[k].len, 3);
	assert_memory_equal(t.sent[k].data, mixed + 3, 3);
	rx(&t, 2, PPP_CONF_REQ, 3, naked, sizeof(naked));
	k = tx(&t, PPP_CONF_NAK);
	assert_memory_equal(t.sent[k].data, sized, sizeof(sized));
	assert_int_equal(t.f.state, FSM_REQ_SENT);
	rx(&t, 3, PPP_CONF_REQ, 4, sized, sizeof(sized));
	tx(&t, PPP_CONF_ACK);
	assert_int_equal(t.f.state, FSM_ACK_SENT);
}

/* Max-Failure: after five Naks without an Ack, the Nak becomes a Reject (RFC 1661 4.6). */
static void test_max_failure_converts_nak(void **state)
{
	static const uint8_t naked[] = { 200, 3, 0 };
	struct toy t;
	(void)state;

	start(&t, 0);
	for (int i = 0; i < 5; i++) {
		rx(&t, 1, PPP_CONF_REQ, (uint8_t)(10 + i), naked, sizeof(naked));
		tx(&t, PPP_CONF_NAK);
	}
	rx(&t, 1, PPP_CONF_REQ, 20, naked, sizeof(naked));
	size_t k = tx(&t, PPP_CONF_REJ);
	assert_memory_equal(t.sent[k].data, naked, sizeof(naked));
	assert_int_equal(t.f.stats.naks_converted, 1);
}

/* Naks received without converging: we give up and close. */
static void test_nak_loop_received(void **state)
{
	struct toy t;
	(void)state;

	start(&t, 0);
	for (int i = 0; i < 5; i++) {
		rx(&t, 1, PPP_CONF_NAK, t.sent[t.n_sent - 1].id, OUR_OPT, sizeof(OUR_OPT));
		tx(&t, PPP_CONF_REQ);
	}
	rx(&t, 1, PPP_CONF_NAK, t.sent[t.n_sent - 1].id, OUR_OPT, sizeof(OUR_OPT));
	tx(&t, PPP_TERM_REQ);
	assert_int_equal(t.f.state, FSM_CLOSING);
	assert_int_equal(t.gave_ups, 1);
}

/* got_nak returning -1: dropped; 1: answered but nothing sent. */
static void test_nak_verdicts(void **state)
{
	struct toy t;
	(void)state;

	start(&t, 0);
	t.nak_rc = -1;
	rx(&t, 1, PPP_CONF_NAK, t.sent[0].id, OUR_OPT, sizeof(OUR_OPT));
	no_tx(&t);
	assert_int_equal(t.f.stats.bad_nak_rej, 1);
	t.nak_rc = 1;
	rx(&t, 1, PPP_CONF_NAK, t.sent[0].id, OUR_OPT, sizeof(OUR_OPT));
	no_tx(&t);
	assert_int_equal(t.f.state, FSM_REQ_SENT);
}

/* RTR in Opened: tld,zrc,sta/5; TO- then tlf/3. */
static void test_peer_terminate(void **state)
{
	struct toy t;
	(void)state;

	open_link(&t, 0);
	rx(&t, 100, PPP_TERM_REQ, 33, "bye", 3);
	size_t k = tx(&t, PPP_TERM_ACK);
	assert_int_equal(t.sent[k].id, 33);
	assert_int_equal(t.f.state, FSM_STOPPING);
	assert_int_equal(t.downs, 1);
	assert_int_equal(ppp_fsm_deadline(&t.f), 3100);
	ppp_fsm_timeout(&t.f, 3100); /* zrc: no Terminate-Request retransmission */
	no_tx(&t);
	assert_int_equal(t.f.state, FSM_STOPPED);
	assert_int_equal(t.finishes, 1);
	/* RCR in Stopped: irc,scr,sca/8. */
	static const uint8_t peer[] = { 200, 3, 7 };
	rx(&t, 4000, PPP_CONF_REQ, 34, peer, sizeof(peer));
	tx(&t, PPP_CONF_REQ);
	tx(&t, PPP_CONF_ACK);
	assert_int_equal(t.f.state, FSM_ACK_SENT);
}

/* Close in Opened: tld,irc,str/4; retransmit Max-Terminate times; tlf/2. */
static void test_close(void **state)
{
	struct toy t;
	(void)state;

	open_link(&t, 0);
	ppp_fsm_close(&t.f, 10, "admin");
	size_t k = tx(&t, PPP_TERM_REQ);
	assert_int_equal(t.sent[k].len, 5);
	assert_memory_equal(t.sent[k].data, "admin", 5);
	assert_int_equal(t.f.state, FSM_CLOSING);
	assert_int_equal(t.downs, 1);
	ppp_fsm_timeout(&t.f, 3010);
	tx(&t, PPP_TERM_REQ);
	ppp_fsm_timeout(&t.f, 6010);
	no_tx(&t);
	assert_int_equal(t.f.state, FSM_CLOSED);
	assert_int_equal(t.finishes, 1);
	/* RCR in Closed: sta/2. */
	rx(&t, 7000, PPP_CONF_REQ, 40, NULL, 0);
	k = tx(&t, PPP_TERM_ACK);
	assert_int_equal(t.sent[k].id, 40);
	assert_int_equal(t.f.state, FSM_CLOSED);
}

/* RTA in Closing: tlf/2; RTR in Closing: sta/4; Open in Closing: 5. */
static void test_closing_cells(void **state)
{
	struct toy t;
	(void)state;

	open_link(&t, 0);
	ppp_fsm_close(&t.f, 10, NULL);
	tx(&t, PPP_TERM_REQ);
	rx(&t, 20, PPP_TERM_REQ, 50, NULL, 0);
	tx(&t, PPP_TERM_ACK);
	assert_int_equal(t.f.state, FSM_CLOSING);
	ppp_fsm_open(&t.f, 30);
	assert_int_equal(t.f.state, FSM_STOPPING);
	rx(&t, 40, PPP_TERM_ACK, 1, NULL, 0);
	assert_int_equal(t.f.state, FSM_STOPPED);
	assert_int_equal(t.finishes, 1);
	/* Down in Stopped: tls/1; Up: irc,scr/6. */
	ppp_fsm_down(&t.f, 50);
	assert_int_equal(t.f.state, FSM_STARTING);
	assert_int_equal(t.starts, 2);
	ppp_fsm_up(&t.f, 60);
	tx(&t, PPP_CONF_REQ);
	assert_int_equal(t.f.state, FSM_REQ_SENT);
}

/* Down in Opened: tld/1; Close in Starting: tlf/0. */
static void test_down(void **state)
{
	struct toy t;
	(void)state;

	open_link(&t, 0);
	ppp_fsm_down(&t.f, 5);
	assert_int_equal(t.f.state, FSM_STARTING);
	assert_int_equal(t.downs, 1);
	no_tx(&t);
	ppp_fsm_close(&t.f, 6, NULL);
	assert_int_equal(t.f.state, FSM_INITIAL);
	assert_int_equal(t.finishes, 1);
	no_tx(&t);
	/* Nothing arrives in Initial. */
	rx(&t, 7, PPP_CONF_REQ, 1, NULL, 0);
	no_tx(&t);
	assert_int_equal(t.f.stats.wrong_state, 1);
}

/* RUC: Code-Reject carrying the packet; RXJ+ and RXJ- from Code-Rejects received. */
static void test_code_reject(void **state)
{
	static const uint8_t unknown[] = { 0x63, 0x07, 0x00, 0x06, 0xAA, 0xBB };
	struct toy t;
	(void)state;

	open_link(&t, 0);
	assert_int_equal(ppp_fsm_input(&t.f, 1, unknown, sizeof(unknown)), PROTO_OK);
	size_t k = tx(&t, PPP_CODE_REJ);
	assert_int_equal(t.sent[k].len, sizeof(unknown));
	assert_memory_equal(t.sent[k].data, unknown, sizeof(unknown));
	assert_int_equal(t.f.stats.code_rej_sent, 1);

	/* The peer rejects a code we may live without: RXJ+, still Opened. */
	static const uint8_t rej_reset[] = { 14, 1, 0, 4 };
	rx(&t, 2, PPP_CODE_REJ, 3, rej_reset, sizeof(rej_reset));
	assert_int_equal(t.f.state, FSM_OPENED);
	assert_int_equal(t.code_rejs, 1);
	/* ... and one we cannot: RXJ- in Opened is tld,irc,str/5. */
	static const uint8_t rej_req[] = { 1, 1, 0, 4 };
	rx(&t, 3, PPP_CODE_REJ, 4, rej_req, sizeof(rej_req));
	tx(&t, PPP_TERM_REQ);
	assert_int_equal(t.f.state, FSM_STOPPING);
	assert_int_equal(t.downs, 1);
}

/* RXJ+ in Ack-Rcvd goes back to Req-Sent; RXJ- in Req-Sent is tlf/3. */
static void test_rxj(void **state)
{
	struct toy t;
	(void)state;

	start(&t, 0);
	rx(&t, 1, PPP_CONF_ACK, t.sent[0].id, OUR_OPT, sizeof(OUR_OPT));
	assert_int_equal(t.f.state, FSM_ACK_RCVD);
	ppp_fsm_rxj(&t.f, 2, false);
	assert_int_equal(t.f.state, FSM_REQ_SENT);
	ppp_fsm_rxj(&t.f, 3, true);
	assert_int_equal(t.f.state, FSM_STOPPED);
	assert_int_equal(t.finishes, 1);
}

/* Malformed packets change nothing and say why. */
static void test_malformed(void **state)
{
	static const uint8_t overrun[] = { 1, 5, 0, 20, 200, 3, 0 };
	static const uint8_t opt_past_end[] = { 1, 5, 0, 7, 200, 9, 0 };
	static const uint8_t short_len[] = { 1, 5, 0, 2 };
	struct toy t;
	(void)state;

	start(&t, 0);
	assert_int_equal(ppp_fsm_input(&t.f, 1, overrun, sizeof(overrun)),
			 PROTO_E(CP_LENGTH_OVERRUN));
	assert_int_equal(ppp_fsm_input(&t.f, 1, opt_past_end, sizeof(opt_past_end)),
			 PROTO_E(OPT_OVERRUN));
	assert_int_equal(ppp_fsm_input(&t.f, 1, short_len, sizeof(short_len)),
			 PROTO_E(CP_BAD_LENGTH));
	assert_int_equal(ppp_fsm_input(&t.f, 1, short_len, 3), PROTO_E(TRUNCATED));
	no_tx(&t);
	assert_int_equal(t.f.state, FSM_REQ_SENT);
}

/* Crossed Acks: RCA in Ack-Rcvd is scr/6x; RTA in Ack-Rcvd goes to Req-Sent. */
static void test_ack_rcvd_cells(void **state)
{
	struct toy t;
	(void)state;

	start(&t, 0);
	uint8_t id = t.sent[0].id;
	rx(&t, 1, PPP_CONF_ACK, id, OUR_OPT, sizeof(OUR_OPT));
	assert_int_equal(t.f.state, FSM_ACK_RCVD);
	rx(&t, 2, PPP_TERM_ACK, 1, NULL, 0);
	assert_int_equal(t.f.state, FSM_REQ_SENT);
	/* Timeout in Ack-Rcvd retransmits with a fresh Identifier (the old one was answered). */
	ppp_fsm_timeout(&t.f, 3000);
	size_t k = tx(&t, PPP_CONF_REQ);
	rx(&t, 3001, PPP_CONF_ACK, t.sent[k].id, OUR_OPT, sizeof(OUR_OPT));
	assert_int_equal(t.f.state, FSM_ACK_RCVD);
	ppp_fsm_timeout(&t.f, 6000);
	size_t k2 = tx(&t, PPP_CONF_REQ);
	assert_int_not_equal(t.sent[k2].id, t.sent[k].id);
	assert_int_equal(t.f.state, FSM_REQ_SENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_ack_first),
		cmocka_unit_test(test_open_req_first),
		cmocka_unit_test(test_restart_counter),
		cmocka_unit_test(test_nak_and_reject),
		cmocka_unit_test(test_bad_ack),
		cmocka_unit_test(test_duplicate_ack_in_opened),
		cmocka_unit_test(test_renegotiation),
		cmocka_unit_test(test_judging),
		cmocka_unit_test(test_max_failure_converts_nak),
		cmocka_unit_test(test_nak_loop_received),
		cmocka_unit_test(test_nak_verdicts),
		cmocka_unit_test(test_peer_terminate),
		cmocka_unit_test(test_close),
		cmocka_unit_test(test_closing_cells),
		cmocka_unit_test(test_down),
		cmocka_unit_test(test_code_reject),
		cmocka_unit_test(test_rxj),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_ack_rcvd_cells),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
