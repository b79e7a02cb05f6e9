/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 1661 section 4.1's state transition table, one function per event.
 * Each case names the table's cell in a comment ("tld,scr,sca/8") so the
 * code can be read against the RFC line by line.
 */
#include "fsm.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "proto/proto_err.h"

static const char *const state_names[FSM_STATE_COUNT_] = {
	"Initial", "Starting", "Closed",   "Stopped",  "Closing",
	"Stopping", "Req-Sent", "Ack-Rcvd", "Ack-Sent", "Opened",
};

const char *ppp_fsm_state_name(enum ppp_fsm_state st)
{
	return (unsigned)st < FSM_STATE_COUNT_ ? state_names[st] : "?";
}

__attribute__((format(printf, 3, 4))) static void fsm_log(struct ppp_fsm *f, int level,
							  const char *fmt, ...)
{
	char msg[160];
	int n;
	va_list ap;

	if (!f->io.log)
		return;
	n = snprintf(msg, sizeof(msg), "%s: ", f->name);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	f->io.log(f->io.ctx, level, msg);
}

void ppp_fsm_init(struct ppp_fsm *f, const char *name, uint16_t protocol,
		  const struct ppp_fsm_ops *ops, void *ctx, const struct ppp_fsm_io *io,
		  const struct ppp_fsm_timing *t)
{
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->protocol = protocol;
	f->ops = ops;
	f->ctx = ctx;
	f->io = *io;
	f->t = *t;
	f->state = FSM_INITIAL;
	f->next_id = 1;
	f->deadline = UINT64_MAX;
	f->peer_mru = 1500;
}

/* ---- helpers: state, timer, counters ---- */

static bool timer_state(enum ppp_fsm_state st)
{
	return st >= FSM_CLOSING && st <= FSM_ACK_SENT;
}

static bool negotiating(enum ppp_fsm_state st)
{
	return st == FSM_REQ_SENT || st == FSM_ACK_RCVD || st == FSM_ACK_SENT;
}

static void set_state(struct ppp_fsm *f, enum ppp_fsm_state st)
{
	if (f->state != st)
		fsm_log(f, 7, "%s -> %s", state_names[f->state], state_names[st]);
	f->state = st;
	/* The Restart timer runs only in Closing .. Ack-Sent (RFC 1661 4.1). */
	if (!timer_state(st))
		f->deadline = UINT64_MAX;
}

static void start_timer(struct ppp_fsm *f, uint64_t now)
{
	f->deadline = now + f->t.restart_ms;
}

static void irc_conf(struct ppp_fsm *f)
{
	f->restart_count = f->t.max_configure;
}

static void irc_term(struct ppp_fsm *f)
{
	f->restart_count = f->t.max_terminate;
}

static void zrc(struct ppp_fsm *f, uint64_t now)
{
	f->restart_count = 0;
	start_timer(f, now);
}

/* ---- this-layer actions ---- */

static void tlu(struct ppp_fsm *f, uint64_t now)
{
	if (f->ops->up)
		f->ops->up(f, now);
}

static void tld(struct ppp_fsm *f, uint64_t now)
{
	if (f->ops->down)
		f->ops->down(f, now);
}

static void tls(struct ppp_fsm *f, uint64_t now)
{
	if (f->ops->started)
		f->ops->started(f, now);
}

static void tlf(struct ppp_fsm *f, uint64_t now)
{
	if (f->ops->finished)
		f->ops->finished(f, now);
}

/* ---- sending ---- */

uint8_t ppp_fsm_new_id(struct ppp_fsm *f)
{
	return f->next_id++;
}

void ppp_fsm_send(struct ppp_fsm *f, uint8_t code, uint8_t id, const void *data, size_t len)
{
	uint8_t buf[PPP_FSM_PKT_MAX];
	struct ppp_cp_writer w;
	int n;

	if (len > sizeof(buf) - PPP_CP_HDR_LEN)
		len = sizeof(buf) - PPP_CP_HDR_LEN;
	ppp_cp_writer_init(&w, buf, sizeof(buf), code, id);
	ppp_cp_put_bytes(&w, data, len);
	n = ppp_cp_writer_finish(&w);
	if (n > 0)
		f->io.send(f->io.ctx, f->protocol, buf, (size_t)n);
}

/* scr: a new request gets a new Identifier; a retransmission keeps it. */
static void scr(struct ppp_fsm *f, uint64_t now, bool retransmit)
{
	uint8_t buf[PPP_CP_HDR_LEN + PPP_FSM_REQ_MAX];
	struct ppp_cp_writer w;
	int n;

	if (!negotiating(f->state)) {
		/* Starting over: back to the options we want, counters cleared. */
		if (f->ops->reset)
			f->ops->reset(f);
		f->naks_sent = 0;
		f->naks_rcvd = 0;
	}
	if (!retransmit || f->req_answered)
		f->req_id = f->next_id++;
	f->req_answered = false;
	ppp_cp_writer_init(&w, buf, sizeof(buf), PPP_CONF_REQ, f->req_id);
	if (f->ops->add_opts)
		f->ops->add_opts(f, &w);
	n = ppp_cp_writer_finish(&w);
	if (n < 0) {
		fsm_log(f, 3, "our Configure-Request does not fit: %s", proto_strerror(n));
		return;
	}
	f->req_opts_len = (uint16_t)(n - PPP_CP_HDR_LEN);
	memcpy(f->req_opts, buf + PPP_CP_HDR_LEN, f->req_opts_len);
	if (f->restart_count > 0)
		f->restart_count--;
	start_timer(f, now);
	f->io.send(f->io.ctx, f->protocol, buf, (size_t)n);
}

static void str(struct ppp_fsm *f, uint64_t now)
{
	const char *msg = f->term_msg ? f->term_msg : "";

	f->term_id = f->next_id++;
	if (f->restart_count > 0)
		f->restart_count--;
	start_timer(f, now);
	ppp_fsm_send(f, PPP_TERM_REQ, f->term_id, msg, strlen(msg));
}

static void sta(struct ppp_fsm *f, uint8_t id)
{
	ppp_fsm_send(f, PPP_TERM_ACK, id, NULL, 0);
}

/* scj: a copy of the rejected packet, truncated to fit the peer's MRU. */
static void scj(struct ppp_fsm *f, const uint8_t *pkt, size_t len)
{
	size_t room = f->peer_mru > PPP_CP_HDR_LEN ? f->peer_mru - PPP_CP_HDR_LEN : 0;

	if (len > room)
		len = room;
	f->stats.code_rej_sent++;
	ppp_fsm_send(f, PPP_CODE_REJ, ppp_fsm_new_id(f), pkt, len);
}

/* ---- administrative events ---- */

void ppp_fsm_up(struct ppp_fsm *f, uint64_t now)
{
	f->event = FSM_EV_UP;
	switch (f->state) {
	case FSM_INITIAL: /* 2 */
		set_state(f, FSM_CLOSED);
		break;
	case FSM_STARTING: /* irc,scr/6 */
		irc_conf(f);
		scr(f, now, false);
		set_state(f, FSM_REQ_SENT);
		break;
	default:
		fsm_log(f, 4, "Up event in state %s ignored", state_names[f->state]);
	}
}

void ppp_fsm_down(struct ppp_fsm *f, uint64_t now)
{
	f->event = FSM_EV_DOWN;
	switch (f->state) {
	case FSM_CLOSED: /* 0 */
	case FSM_CLOSING:
		set_state(f, FSM_INITIAL);
		break;
	case FSM_STOPPED: /* tls/1 */
		set_state(f, FSM_STARTING);
		tls(f, now);
		break;
	case FSM_STOPPING: /* 1 */
	case FSM_REQ_SENT:
	case FSM_ACK_RCVD:
	case FSM_ACK_SENT:
		set_state(f, FSM_STARTING);
		break;
	case FSM_OPENED: /* tld/1 */
		tld(f, now);
		set_state(f, FSM_STARTING);
		break;
	default:
		break;
	}
}

void ppp_fsm_open(struct ppp_fsm *f, uint64_t now)
{
	f->event = FSM_EV_OPEN;
	switch (f->state) {
	case FSM_INITIAL: /* tls/1 */
		set_state(f, FSM_STARTING);
		tls(f, now);
		break;
	case FSM_CLOSED: /* irc,scr/6 */
		irc_conf(f);
		scr(f, now, false);
		set_state(f, FSM_REQ_SENT);
		break;
	case FSM_CLOSING: /* 5 (no restart option) */
		set_state(f, FSM_STOPPING);
		break;
	default: /* 1, 3, 5, 6, 7, 8, 9: no change */
		break;
	}
}

static void do_close(struct ppp_fsm *f, uint64_t now)
{
	switch (f->state) {
	case FSM_STARTING: /* tlf/0 */
		set_state(f, FSM_INITIAL);
		tlf(f, now);
		break;
	case FSM_STOPPED: /* 2 */
		set_state(f, FSM_CLOSED);
		break;
	case FSM_STOPPING: /* 4 */
		set_state(f, FSM_CLOSING);
		break;
	case FSM_REQ_SENT: /* irc,str/4 */
	case FSM_ACK_RCVD:
	case FSM_ACK_SENT:
		irc_term(f);
		str(f, now);
		set_state(f, FSM_CLOSING);
		break;
	case FSM_OPENED: /* tld,irc,str/4 */
		tld(f, now);
		irc_term(f);
		str(f, now);
		set_state(f, FSM_CLOSING);
		break;
	default: /* 0, 2, 4: no change */
		break;
	}
}

void ppp_fsm_close(struct ppp_fsm *f, uint64_t now, const char *why)
{
	f->event = FSM_EV_CLOSE;
	f->term_msg = why;
	do_close(f, now);
}

void ppp_fsm_timeout(struct ppp_fsm *f, uint64_t now)
{
	if (!timer_state(f->state)) {
		f->deadline = UINT64_MAX;
		return;
	}
	f->deadline = UINT64_MAX;
	if (f->restart_count > 0) {
		f->event = FSM_EV_TO_PLUS;
		switch (f->state) {
		case FSM_CLOSING: /* str/4 */
		case FSM_STOPPING: /* str/5 */
			str(f, now);
			break;
		case FSM_REQ_SENT: /* scr/6 */
		case FSM_ACK_RCVD:
			scr(f, now, true);
			set_state(f, FSM_REQ_SENT);
			break;
		case FSM_ACK_SENT: /* scr/8 */
			scr(f, now, true);
			break;
		default:
			break;
		}
		return;
	}
	f->event = FSM_EV_TO_MINUS;
	fsm_log(f, 6, "Restart counter expired in %s, giving up", state_names[f->state]);
	switch (f->state) {
	case FSM_CLOSING: /* tlf/2 */
		set_state(f, FSM_CLOSED);
		break;
	default: /* Stopping: tlf/3; Req-Sent, Ack-Rcvd, Ack-Sent: tlf/3p */
		set_state(f, FSM_STOPPED);
		break;
	}
	tlf(f, now);
}

void ppp_fsm_rxj(struct ppp_fsm *f, uint64_t now, bool fatal)
{
	if (!fatal) {
		f->event = FSM_EV_RXJ_PLUS;
		if (f->state == FSM_ACK_RCVD) /* 6 */
			set_state(f, FSM_REQ_SENT);
		return;
	}
	f->event = FSM_EV_RXJ_MINUS;
	switch (f->state) {
	case FSM_CLOSED: /* tlf/2 */
	case FSM_CLOSING:
		set_state(f, FSM_CLOSED);
		tlf(f, now);
		break;
	case FSM_STOPPED: /* tlf/3 */
	case FSM_STOPPING:
	case FSM_REQ_SENT:
	case FSM_ACK_RCVD:
	case FSM_ACK_SENT:
		set_state(f, FSM_STOPPED);
		tlf(f, now);
		break;
	case FSM_OPENED: /* tld,irc,str/5 */
		tld(f, now);
		irc_term(f);
		str(f, now);
		set_state(f, FSM_STOPPING);
		break;
	default:
		break;
	}
}

/* ---- receiving ---- */

/*
 * Judge the peer's Configure-Request: build the Ack, Nak or Reject in
 * `reply`. Returns 1 for Ack (RCR+), 0 for Nak/Reject (RCR-), -1 if no
 * reply could be built.
 */
static int judge_request(struct ppp_fsm *f, const struct ppp_cp_pkt *p, uint8_t *reply,
			 size_t *reply_len)
{
	uint8_t nak_buf[PPP_FSM_PKT_MAX];
	struct ppp_cp_writer nak, rej;
	struct ppp_opt_iter it;
	struct ppp_opt o;
	bool convert = f->naks_sent >= f->t.max_failure;
	int n;

	ppp_cp_writer_init(&nak, nak_buf, sizeof(nak_buf), PPP_CONF_NAK, p->id);
	ppp_cp_writer_init(&rej, reply, PPP_FSM_PKT_MAX, PPP_CONF_REJ, p->id);
	if (f->ops->req_begin)
		f->ops->req_begin(f);
	ppp_opt_iter_init(&it, p->data, p->data_len);
	while (ppp_opt_next(&it, &o) > 0) {
		enum ppp_opt_verdict v = PPP_OPT_REJ;
		size_t mark = nak.len;

		if (ppp_opt_check_size(f->protocol, &o) == PROTO_OK && f->ops->req_opt)
			v = f->ops->req_opt(f, &o, &nak);
		if (v == PPP_OPT_NAK && convert) {
			/* RFC 1661 4.6: past Max-Failure, a Nak becomes a Reject. */
			v = PPP_OPT_REJ;
			f->stats.naks_converted++;
		}
		if (v != PPP_OPT_NAK)
			nak.len = mark;
		if (v == PPP_OPT_REJ)
			ppp_cp_put_bytes(&rej, o.raw, o.len);
	}
	if (rej.len == PPP_CP_HDR_LEN && !convert && f->ops->req_end)
		f->ops->req_end(f, &nak);

	if (rej.len > PPP_CP_HDR_LEN) {
		n = ppp_cp_writer_finish(&rej);
	} else if (nak.len > PPP_CP_HDR_LEN) {
		n = ppp_cp_writer_finish(&nak);
		if (n > 0)
			memcpy(reply, nak_buf, (size_t)n);
		f->naks_sent++;
	} else {
		struct ppp_cp_writer ack;
		ppp_cp_writer_init(&ack, reply, PPP_FSM_PKT_MAX, PPP_CONF_ACK, p->id);
		ppp_cp_put_bytes(&ack, p->data, p->data_len);
		n = ppp_cp_writer_finish(&ack);
		f->naks_sent = 0;
		if (n > 0) {
			*reply_len = (size_t)n;
			return 1;
		}
	}
	if (n < 0) {
		fsm_log(f, 4, "cannot build the reply to Configure-Request %u: %s", p->id,
			proto_strerror(n));
		return -1;
	}
	*reply_len = (size_t)n;
	return 0;
}

static void send_reply(struct ppp_fsm *f, const uint8_t *reply, size_t len)
{
	f->io.send(f->io.ctx, f->protocol, reply, len);
}

static void rcv_conf_req(struct ppp_fsm *f, uint64_t now, const struct ppp_cp_pkt *p)
{
	uint8_t reply[PPP_FSM_PKT_MAX];
	size_t reply_len = 0;
	int verdict;

	switch (f->state) {
	case FSM_CLOSED: /* sta/2 */
		sta(f, p->id);
		return;
	case FSM_CLOSING: /* 4 */
	case FSM_STOPPING: /* 5 */
		f->stats.wrong_state++;
		return;
	default:
		break;
	}
	/* Leave room for Naks longer than the request (options appended). */
	if (p->length > PPP_FSM_PKT_MAX - 64) {
		f->stats.too_long++;
		return;
	}
	if (f->state == FSM_OPENED) { /* tld,scr,sca/8 or tld,scr,scn/6 */
		f->event = FSM_EV_RCR_PLUS;
		tld(f, now);
	}
	verdict = judge_request(f, p, reply, &reply_len);
	if (verdict < 0)
		return;
	f->event = verdict ? FSM_EV_RCR_PLUS : FSM_EV_RCR_MINUS;
	switch (f->state) {
	case FSM_STOPPED: /* irc,scr,sca/8 or irc,scr,scn/6 */
		irc_conf(f);
		scr(f, now, false);
		send_reply(f, reply, reply_len);
		set_state(f, verdict ? FSM_ACK_SENT : FSM_REQ_SENT);
		break;
	case FSM_REQ_SENT: /* sca/8 or scn/6 */
	case FSM_ACK_SENT: /* sca/8 or scn/6 */
		send_reply(f, reply, reply_len);
		set_state(f, verdict ? FSM_ACK_SENT : FSM_REQ_SENT);
		break;
	case FSM_ACK_RCVD: /* sca,tlu/9 or scn/7 */
		send_reply(f, reply, reply_len);
		if (verdict) {
			set_state(f, FSM_OPENED);
			tlu(f, now);
		}
		break;
	case FSM_OPENED:
		scr(f, now, false);
		send_reply(f, reply, reply_len);
		set_state(f, verdict ? FSM_ACK_SENT : FSM_REQ_SENT);
		break;
	default:
		break;
	}
}

/* Whether a reply's Identifier answers our outstanding request. */
static bool answers_request(struct ppp_fsm *f, uint8_t id)
{
	if (id != f->req_id || f->req_answered) {
		f->stats.bad_id++;
		fsm_log(f, 7, "reply id %u does not answer request %u%s", id, f->req_id,
			f->req_answered ? " (already answered)" : "");
		return false;
	}
	return true;
}

static void rcv_conf_ack(struct ppp_fsm *f, uint64_t now, const struct ppp_cp_pkt *p)
{
	f->event = FSM_EV_RCA;
	switch (f->state) {
	case FSM_CLOSED: /* sta/2, sta/3 */
	case FSM_STOPPED:
		sta(f, p->id);
		return;
	case FSM_CLOSING:
	case FSM_STOPPING:
		f->stats.wrong_state++;
		return;
	default:
		break;
	}
	if (!answers_request(f, p->id))
		return;
	/* RFC 1661 5.2: the Ack must list exactly the options we asked for. */
	if (p->data_len != f->req_opts_len || memcmp(p->data, f->req_opts, p->data_len) != 0) {
		f->stats.bad_ack++;
		fsm_log(f, 5, "Configure-Ack %u does not match our request, dropped", p->id);
		return;
	}
	f->req_answered = true;
	switch (f->state) {
	case FSM_REQ_SENT: /* irc/7 */
		irc_conf(f);
		set_state(f, FSM_ACK_RCVD);
		break;
	case FSM_ACK_RCVD: /* scr/6x */
		scr(f, now, false);
		set_state(f, FSM_REQ_SENT);
		break;
	case FSM_ACK_SENT: /* irc,tlu/9 */
		irc_conf(f);
		set_state(f, FSM_OPENED);
		tlu(f, now);
		break;
	case FSM_OPENED: /* tld,scr/6x */
		tld(f, now);
		scr(f, now, false);
		set_state(f, FSM_REQ_SENT);
		break;
	default:
		break;
	}
}

/* Every option of a Configure-Reject must be one we sent, unchanged (RFC 1661 5.4). */
static bool reject_matches_request(const struct ppp_fsm *f, const uint8_t *data, size_t len)
{
	struct ppp_opt_iter it;
	struct ppp_opt o;
	int rc;

	ppp_opt_iter_init(&it, data, len);
	while ((rc = ppp_opt_next(&it, &o)) > 0) {
		struct ppp_opt_iter mine;
		struct ppp_opt m;
		bool found = false;

		ppp_opt_iter_init(&mine, f->req_opts, f->req_opts_len);
		while (!found && ppp_opt_next(&mine, &m) > 0)
			found = m.len == o.len && memcmp(m.raw, o.raw, o.len) == 0;
		if (!found)
			return false;
	}
	return rc == 0;
}

static void rcv_conf_nak_rej(struct ppp_fsm *f, uint64_t now, const struct ppp_cp_pkt *p)
{
	bool is_rej = p->code == PPP_CONF_REJ;
	int rc;

	f->event = FSM_EV_RCN;
	switch (f->state) {
	case FSM_CLOSED: /* sta/2, sta/3 */
	case FSM_STOPPED:
		sta(f, p->id);
		return;
	case FSM_CLOSING:
	case FSM_STOPPING:
		f->stats.wrong_state++;
		return;
	default:
		break;
	}
	if (!answers_request(f, p->id))
		return;
	if (is_rej && !reject_matches_request(f, p->data, p->data_len)) {
		f->stats.bad_nak_rej++;
		fsm_log(f, 5, "Configure-Reject %u names options we did not send, dropped", p->id);
		return;
	}
	if (!is_rej && negotiating(f->state) && ++f->naks_rcvd > f->t.max_failure) {
		f->req_answered = true;
		fsm_log(f, 5, "peer sent %u Configure-Naks without converging, giving up",
			f->naks_rcvd - 1);
		if (f->ops->gave_up)
			f->ops->gave_up(f, now);
		f->event = FSM_EV_CLOSE;
		do_close(f, now);
		return;
	}
	rc = is_rej ? (f->ops->got_rej ? f->ops->got_rej(f, p->data, p->data_len) : 0)
		    : (f->ops->got_nak ? f->ops->got_nak(f, p->data, p->data_len) : 0);
	if (rc < 0) {
		f->stats.bad_nak_rej++;
		return;
	}
	f->req_answered = true;
	if (rc > 0)
		return; /* the protocol asked its session to end: send nothing more */
	switch (f->state) {
	case FSM_REQ_SENT: /* irc,scr/6 */
		irc_conf(f);
		scr(f, now, false);
		break;
	case FSM_ACK_RCVD: /* scr/6x */
		scr(f, now, false);
		set_state(f, FSM_REQ_SENT);
		break;
	case FSM_ACK_SENT: /* irc,scr/8 */
		irc_conf(f);
		scr(f, now, false);
		break;
	case FSM_OPENED: /* tld,scr/6x */
		tld(f, now);
		scr(f, now, false);
		set_state(f, FSM_REQ_SENT);
		break;
	default:
		break;
	}
}

static void rcv_term_req(struct ppp_fsm *f, uint64_t now, const struct ppp_cp_pkt *p)
{
	f->event = FSM_EV_RTR;
	switch (f->state) {
	case FSM_CLOSED: /* sta/2 .. sta/5 */
	case FSM_STOPPED:
	case FSM_CLOSING:
	case FSM_STOPPING:
		sta(f, p->id);
		break;
	case FSM_REQ_SENT: /* sta/6 */
	case FSM_ACK_RCVD:
	case FSM_ACK_SENT:
		sta(f, p->id);
		set_state(f, FSM_REQ_SENT);
		break;
	case FSM_OPENED: /* tld,zrc,sta/5 */
		tld(f, now);
		sta(f, p->id);
		set_state(f, FSM_STOPPING);
		zrc(f, now);
		break;
	default:
		break;
	}
}

static void rcv_term_ack(struct ppp_fsm *f, uint64_t now)
{
	f->event = FSM_EV_RTA;
	switch (f->state) {
	case FSM_CLOSING: /* tlf/2 */
		set_state(f, FSM_CLOSED);
		tlf(f, now);
		break;
	case FSM_STOPPING: /* tlf/3 */
		set_state(f, FSM_STOPPED);
		tlf(f, now);
		break;
	case FSM_ACK_RCVD: /* 6 */
		set_state(f, FSM_REQ_SENT);
		break;
	case FSM_OPENED: /* tld,scr/6 */
		tld(f, now);
		scr(f, now, false);
		set_state(f, FSM_REQ_SENT);
		break;
	default: /* 2, 3, 6, 8: no change */
		break;
	}
}

static void rcv_code_rej(struct ppp_fsm *f, uint64_t now, const struct ppp_cp_pkt *p)
{
	uint8_t code = p->data[0]; /* the parser guarantees the rejected header */
	/* Without codes 1..7 the automaton cannot work: RXJ-. */
	bool fatal = code >= PPP_CONF_REQ && code <= PPP_CODE_REJ;

	f->stats.code_rej_rcvd++;
	fsm_log(f, fatal ? 4 : 6, "peer rejected code %u (%s)", code, ppp_cp_code_name(code));
	if (!fatal && f->ops->code_rejected)
		f->ops->code_rejected(f, code);
	ppp_fsm_rxj(f, now, fatal);
}

int ppp_fsm_input(struct ppp_fsm *f, uint64_t now, const uint8_t *pkt, size_t len)
{
	struct ppp_cp_pkt p;
	int rc = ppp_cp_parse(f->protocol, pkt, len, &p);
	bool unknown = rc == PROTO_E(CP_UNKNOWN_CODE);

	if (rc != PROTO_OK && !unknown)
		return rc;
	/* The lower layer is not up: nothing can have arrived legitimately. */
	if (f->state == FSM_INITIAL || f->state == FSM_STARTING) {
		f->stats.wrong_state++;
		return PROTO_OK;
	}
	if (!unknown) {
		switch (p.code) {
		case PPP_CONF_REQ:
			rcv_conf_req(f, now, &p);
			return PROTO_OK;
		case PPP_CONF_ACK:
			rcv_conf_ack(f, now, &p);
			return PROTO_OK;
		case PPP_CONF_NAK:
		case PPP_CONF_REJ:
			rcv_conf_nak_rej(f, now, &p);
			return PROTO_OK;
		case PPP_TERM_REQ:
			rcv_term_req(f, now, &p);
			return PROTO_OK;
		case PPP_TERM_ACK:
			rcv_term_ack(f, now);
			return PROTO_OK;
		case PPP_CODE_REJ:
			rcv_code_rej(f, now, &p);
			return PROTO_OK;
		default:
			f->event = FSM_EV_RXR;
			if (f->ops->extra_code && f->ops->extra_code(f, now, &p))
				return PROTO_OK;
			break;
		}
	}
	/* RUC: scj in every state from Closed on. */
	f->event = FSM_EV_RUC;
	fsm_log(f, 6, "unknown code %u, sending Code-Reject", p.code);
	scj(f, pkt, p.length);
	return PROTO_OK;
}
