/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PPTP control connection (lib/pptp/ctrl_conn.h) as a state machine:
 * two connections sharing one call-ID allocator, driven by a sequence of
 * operations read from the input on a fake clock. The owner's hooks keep a
 * model of every connection's calls and abort() when the library breaks a
 * promise of its header:
 *
 *  - everything sent is one whole control message that parses without
 *    warnings, of a type a PAC sends, naming only calls live on this
 *    connection (an Outgoing-Call-Reply "Connected" names the new call);
 *  - the close hook runs once, after every call was cleared, never from
 *    pptp_conn_free(); nothing is sent after it (nor during the free);
 *  - call_cleared runs exactly once per accepted call, with its ID already
 *    released, and with a cause that fits what the owner did;
 *  - call_request sees an allocated ID that no live call holds, on an
 *    established connection with a free slot and no live call of that
 *    peer call ID;
 *  - after every operation the call table, the allocator's count and the
 *    state agree with the model; return values are the documented ones;
 *    after a tick no timer is left due;
 *  - freeing everything gives every call ID back (used count 0).
 *
 * The hooks also call back into the connection (stop, disconnect, input,
 * tick, peer closed) where the set-up bytes say so: the header promises
 * that such calls are safe.
 *
 * Input: 4 set-up bytes, then operations until the input ends.
 *   [0] configuration (CFG_*)   [1] calls from inside hooks (RE_*)
 *   [2] the owner's verdicts: call request n gets bits 2(n%4)..+1
 *   [3] the send hook misbehaves at send number (b & 0x3f) (1-based, 0:
 *       never) by (b >> 6): failing, stopping, peer-closing, disconnecting
 * Each operation's first byte: bit 0 picks the connection, bits 1..3 the
 * operation (enum op); its arguments follow.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pptp/call_id.h"
#include "pptp/ctrl_conn.h"
#include "proto/pptp_msg.h"
#include "proto/proto_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* -DFUZZ_TRACE: what happens, on stderr (for reading a crash's input). */
#ifdef FUZZ_TRACE
#define TRACE(...) fprintf(stderr, __VA_ARGS__)
#else
#define TRACE(...) ((void)0)
#endif

#define NCONN 2
#define MAX_CALLS 4
#define PEER_ADDR 0xC6336402u /* 198.51.100.2 */
#define NOW_START 1000000u
#define NOW_MAX (UINT64_MAX - 1) /* UINT64_MAX is "no deadline" */

/* Set-up byte 0. */
#define CFG_MAX_CALLS 0x03    /* max_calls = 1 + these bits */
#define CFG_NO_ECHO 0x04      /* echo_interval_ms = 0 */
#define CFG_NO_CALL_WAIT 0x08 /* call_wait_ms = 0 */
#define CFG_FEW_IDS 0x10      /* every call ID but 3 in use beforehand */
#define CFG_LOG_DEBUG 0x20    /* every log line formatted */
#define CFG_LATE_CLOCK 0x40   /* the clock starts near UINT64_MAX */
#define CFG_ECHO_SPEED 0x80   /* connect_speed 0: echo the OCRQ's */

/* Set-up byte 1: what the hooks call back. */
#define RE_STOP_IN_REQUEST 0x01   /* call_request (odd requests): pptp_conn_stop */
#define RE_CLOSE_IN_REQUEST 0x02  /* call_request (odd requests): peer closed */
#define RE_TICK_IN_REQUEST 0x04   /* call_request: pptp_conn_tick */
#define RE_STOP_LAST_CLEARED 0x08 /* call_cleared of the last call: stop */
#define RE_DISC_IN_CLEARED 0x10   /* call_cleared: disconnect another call */
#define RE_INPUT_IN_CLEARED 0x20  /* call_cleared: an Echo-Request arrives */
#define RE_DISC_IN_SLI 0x40       /* set_link_info: disconnect that call */
#define RE_CALLS_IN_CLOSE 0x80    /* close: everything again (without effect) */

enum op {
	OP_RAW,           /* n, n bytes: pptp_conn_input */
	OP_MSG,           /* type, arg (2), split: a built message, in 1 or 2 reads */
	OP_TICK,          /* k: the clock moves k * 500 ms, then pptp_conn_tick */
	OP_TICK_DEADLINE, /* the clock moves to the next deadline, then tick */
	OP_DISCONNECT,    /* sel, result, cause: pptp_conn_call_disconnect */
	OP_STOP,          /* reason: pptp_conn_stop */
	OP_PEER_CLOSED,   /* pptp_conn_peer_closed */
	OP_REOPEN,        /* pptp_conn_free, then a new connection */
};

struct live_call {
	uint16_t id;
	uint16_t peer_id;
};

struct model {
	struct pptp_conn *c;
	unsigned int idx;
	bool closed;  /* the close hook ran */
	bool freeing; /* inside pptp_conn_free() */
	struct live_call live[MAX_CALLS];
	unsigned int nlive;
	/* Accepted by a call_request hook that stopped or closed the
	 * connection: cleared (once) before the operation ends. */
	bool orphan;
	struct live_call orphan_call;
	uint32_t echo_id; /* our last Echo-Request's identifier */
};

static struct {
	struct pptp_call_id_allocator *ids;
	struct pptp_conn_cfg cfg;
	struct model m[NCONN];
	uint64_t now;
	uint8_t setup, reent, verdicts, misbehave;
	unsigned int requests;
	uint32_t sends;
	uint32_t prealloc;
	unsigned int in_input;      /* depth of pptp_conn_input calls */
	unsigned int in_disconnect; /* depth of pptp_conn_call_disconnect calls */
} fz;

/* ---- reading the input ---- */

struct in {
	const uint8_t *p;
	size_t n;
};

static uint8_t in_u8(struct in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

static uint16_t in_u16(struct in *in)
{
	uint16_t hi = in_u8(in);

	return (uint16_t)(hi << 8 | in_u8(in));
}

/* ---- the model ---- */

static struct live_call *find_live(struct model *m, uint16_t id)
{
	for (unsigned int i = 0; i < m->nlive; i++)
		if (m->live[i].id == id)
			return &m->live[i];
	return NULL;
}

static bool peer_id_live(const struct model *m, uint16_t peer_id)
{
	for (unsigned int i = 0; i < m->nlive; i++)
		if (m->live[i].peer_id == peer_id)
			return true;
	return false;
}

static bool id_live_anywhere(uint16_t id)
{
	for (unsigned int k = 0; k < NCONN; k++)
		if (find_live(&fz.m[k], id) || (fz.m[k].orphan && fz.m[k].orphan_call.id == id))
			return true;
	return false;
}

static void live_add(struct model *m, uint16_t id, uint16_t peer_id)
{
	if (m->nlive >= MAX_CALLS)
		abort();
	m->live[m->nlive++] = (struct live_call){ .id = id, .peer_id = peer_id };
}

static void live_remove(struct model *m, struct live_call *lc)
{
	*lc = m->live[--m->nlive];
}

/* ---- calls into the library, checked against the model ---- */

static void do_input(struct model *m, const uint8_t *p, size_t n)
{
	enum pptp_conn_state st;

	fz.in_input++;
	st = pptp_conn_input(m->c, fz.now, p, n);
	fz.in_input--;
	if (st != pptp_conn_state(m->c))
		abort();
}

static void do_tick(struct model *m, bool top)
{
	enum pptp_conn_state st = pptp_conn_tick(m->c, fz.now);

	if (st != pptp_conn_state(m->c))
		abort();
	/* Every due timer ran: none may stay in the past (the daemon would spin). */
	if (top && st != PPTP_CONN_CLOSED && pptp_conn_next_deadline(m->c) <= fz.now)
		abort();
}

static void do_disconnect(struct model *m, uint16_t id, uint8_t result, uint16_t cause)
{
	bool valid = result >= PPTP_CDN_LOST_CARRIER && result <= PPTP_CDN_REQUEST;
	bool live = pptp_conn_state(m->c) == PPTP_CONN_ESTABLISHED && id && find_live(m, id);
	int want = !valid ? -EINVAL : live ? 0 : -ENOENT;
	uint32_t sends = fz.sends;
	int rc;

	fz.in_disconnect++;
	rc = pptp_conn_call_disconnect(m->c, fz.now, id, result, cause);
	fz.in_disconnect--;
	if (rc != want)
		abort();
	if (rc != 0 && fz.sends != sends)
		abort();
	/* Cleared: through call_cleared (LOCAL), or with the whole connection
	 * if the Call-Disconnect-Notify could not be sent. */
	if (rc == 0 && find_live(m, id))
		abort();
}

static void do_stop(struct model *m, uint8_t reason)
{
	bool valid = reason >= PPTP_STOP_NONE && reason <= PPTP_STOP_LOCAL_SHUTDOWN;
	enum pptp_conn_state before = pptp_conn_state(m->c), after;
	uint32_t sends = fz.sends;
	int rc = pptp_conn_stop(m->c, fz.now, reason);

	if (rc != (valid ? 0 : -EINVAL))
		abort();
	after = pptp_conn_state(m->c);
	if (!valid || before == PPTP_CONN_WAIT_STOP_REPLY || before == PPTP_CONN_CLOSED) {
		/* Nothing happens. */
		if (after != before || fz.sends != sends)
			abort();
		return;
	}
	if (before == PPTP_CONN_WAIT_SCCRQ && after != PPTP_CONN_CLOSED)
		abort();
	if (before == PPTP_CONN_ESTABLISHED && after != PPTP_CONN_WAIT_STOP_REPLY &&
	    after != PPTP_CONN_CLOSED)
		abort();
	/* Every call is gone; only a call being requested may still wait
	 * for its call_cleared, which the library sends once the request
	 * hook returns. */
	if (m->nlive != 0)
		abort();
}

static void do_peer_closed(struct model *m)
{
	enum pptp_conn_state st = pptp_conn_peer_closed(m->c, fz.now);

	if (st != PPTP_CONN_CLOSED || pptp_conn_state(m->c) != PPTP_CONN_CLOSED)
		abort();
	/* Closed now, by this call or earlier; pptp_conn_free() runs no close hook. */
	if (!m->freeing && !m->closed)
		abort();
}

/* An Echo-Request as the peer would send it. */
static void feed_echo_request(struct model *m)
{
	struct pptp_msg e = { .type = PPTP_ECHORQ, .u.echorq.id = 0x77 };
	uint8_t buf[PPTP_MAX_MSG_LEN];
	int n = pptp_ctrl_build(&e, buf, sizeof(buf));

	if (n <= 0)
		abort();
	do_input(m, buf, (size_t)n);
}

/* ---- the owner's hooks ---- */

static void check_sent(struct model *m, const struct pptp_msg *msg)
{
	const struct live_call *lc;

	switch (msg->type) {
	case PPTP_SCCRP:
	case PPTP_STOPCCRQ:
	case PPTP_STOPCCRP:
	case PPTP_ECHORP:
	case PPTP_ICRP:
		break;
	case PPTP_ECHORQ:
		m->echo_id = msg->u.echorq.id;
		break;
	case PPTP_OCRP:
		if (msg->u.ocrp.result == PPTP_OCRP_CONNECTED) {
			lc = find_live(m, msg->u.ocrp.call_id);
			if (!lc || lc->peer_id != msg->u.ocrp.peer_call_id)
				abort();
		} else if (msg->u.ocrp.call_id != 0) {
			abort(); /* a refusal names no call of ours */
		}
		break;
	case PPTP_CDN:
		if (msg->u.cdn.call_id != 0 && !find_live(m, msg->u.cdn.call_id))
			abort();
		break;
	default:
		abort(); /* a PNS's message: never ours to send */
	}
}

static int h_send(void *owner, const uint8_t *buf, size_t len)
{
	struct model *m = owner;
	struct pptp_msg msg;

	if (m->closed || m->freeing)
		abort();
	if (len == 0 || len > PPTP_MAX_MSG_LEN || pptp_ctrl_frame(buf, len) != (int)len)
		abort();
	if (pptp_ctrl_parse(buf, len, &msg) != PROTO_OK || msg.warnings != 0)
		abort();
	TRACE("%llu conn %u: tx %s (send %u)\n", (unsigned long long)fz.now, m->idx,
	      pptp_ctrl_name(msg.type), fz.sends + 1);
	check_sent(m, &msg);
	if (++fz.sends != (fz.misbehave & 0x3fu))
		return 0;
	switch (fz.misbehave >> 6) {
	case 0:
		return -1;
	case 1:
		do_stop(m, PPTP_STOP_LOCAL_SHUTDOWN);
		break;
	case 2:
		do_peer_closed(m);
		break;
	default:
		if (m->nlive)
			do_disconnect(m, m->live[0].id, PPTP_CDN_ADMIN_SHUTDOWN, 0);
		break;
	}
	return 0;
}

static void h_close(void *owner, enum pptp_close_reason why, const char *detail)
{
	struct model *m = owner;

	if (m->closed || m->freeing)
		abort();
	m->closed = true;
	TRACE("conn %u: closed: %s (%s)\n", m->idx, pptp_close_reason_name(why), detail);
	if (pptp_conn_state(m->c) != PPTP_CONN_CLOSED)
		abort();
	/* Every call was cleared before. */
	if (pptp_conn_call_count(m->c) != 0 || m->nlive != 0)
		abort();
	if (why <= PPTP_CLOSE_NONE || why >= PPTP_CLOSE_REASON_COUNT || !detail)
		abort();
	if (pptp_conn_stats(m->c)->close_reason != why)
		abort();
	if (fz.reent & RE_CALLS_IN_CLOSE) {
		/* Refused or without effect: the send hook aborts if anything goes out. */
		do_stop(m, PPTP_STOP_NONE);
		do_disconnect(m, 1, PPTP_CDN_REQUEST, 0);
		feed_echo_request(m);
		do_tick(m, false);
		do_peer_closed(m);
	}
}

static enum pptp_call_verdict h_call_request(void *owner, struct pptp_call *call,
					     const struct pptp_ocrq *rq)
{
	struct model *m = owner;
	unsigned int n = fz.requests++;
	enum pptp_call_verdict v = (enum pptp_call_verdict)((fz.verdicts >> (n % 4 * 2)) & 3);

	if (m->closed || m->freeing || m->orphan ||
	    pptp_conn_state(m->c) != PPTP_CONN_ESTABLISHED)
		abort();
	/* A fresh ID: allocated, and held by no live call of any connection. */
	if (call->call_id == 0 || !pptp_call_id_in_use(fz.ids, call->call_id) ||
	    id_live_anywhere(call->call_id))
		abort();
	if (call->peer_call_id != rq->call_id || peer_id_live(m, rq->call_id))
		abort();
	if (m->nlive >= fz.cfg.max_calls || pptp_conn_call_count(m->c) != m->nlive)
		abort();
	if (pptp_conn_call(m->c, call->call_id))
		abort();
	if ((fz.reent & RE_STOP_IN_REQUEST) && (n & 1))
		do_stop(m, PPTP_STOP_LOCAL_SHUTDOWN);
	if ((fz.reent & RE_CLOSE_IN_REQUEST) && (n & 1))
		do_peer_closed(m);
	if (fz.reent & RE_TICK_IN_REQUEST)
		do_tick(m, false);
	TRACE("conn %u: call %u (peer %u) requested: verdict %d\n", m->idx, call->call_id,
	      call->peer_call_id, v);
	if (v == PPTP_CALL_ACCEPT) {
		if (pptp_conn_state(m->c) == PPTP_CONN_ESTABLISHED) {
			live_add(m, call->call_id, call->peer_call_id);
		} else {
			m->orphan = true;
			m->orphan_call.id = call->call_id;
			m->orphan_call.peer_id = call->peer_call_id;
		}
	}
	return v;
}

static void h_call_cleared(void *owner, const struct pptp_call *call, enum pptp_clear_cause cause)
{
	struct model *m = owner;
	struct live_call *lc;

	TRACE("conn %u: call %u (peer %u) cleared: %s\n", m->idx, call->call_id,
	      call->peer_call_id, pptp_clear_cause_name(cause));
	if ((unsigned int)cause > PPTP_CLEAR_CONN_CLOSED)
		abort();
	if (m->orphan && call->call_id == m->orphan_call.id) {
		if (call->peer_call_id != m->orphan_call.peer_id)
			abort();
		if (cause != PPTP_CLEAR_CONN_CLOSED && cause != PPTP_CLEAR_LOCAL_STOP)
			abort();
		m->orphan = false;
	} else {
		/* Exactly once per accepted call. */
		lc = find_live(m, call->call_id);
		if (!lc || lc->peer_id != call->peer_call_id)
			abort();
		live_remove(m, lc);
	}
	/* The ID is already released, and the call out of the table. */
	if (pptp_call_id_in_use(fz.ids, call->call_id) || pptp_conn_call(m->c, call->call_id))
		abort();
	if (m->freeing && cause != PPTP_CLEAR_CONN_CLOSED)
		abort();
	if (cause == PPTP_CLEAR_LOCAL && fz.in_disconnect == 0)
		abort();
	if (cause == PPTP_CLEAR_PEER_REQUEST && fz.in_input == 0)
		abort();
	if ((fz.reent & RE_STOP_LAST_CLEARED) && m->nlive == 0)
		do_stop(m, PPTP_STOP_NONE);
	if ((fz.reent & RE_DISC_IN_CLEARED) && m->nlive != 0)
		do_disconnect(m, m->live[0].id, PPTP_CDN_GENERAL_ERROR, 1);
	if (fz.reent & RE_INPUT_IN_CLEARED)
		feed_echo_request(m);
}

static void h_set_link_info(void *owner, const struct pptp_call *call, const struct pptp_sli *sli)
{
	struct model *m = owner;
	const struct live_call *lc = find_live(m, call->call_id);

	if (!lc || lc->peer_id != call->peer_call_id || sli->peer_call_id != call->call_id)
		abort();
	if (m->closed || pptp_conn_state(m->c) != PPTP_CONN_ESTABLISHED)
		abort();
	if (fz.reent & RE_DISC_IN_SLI)
		do_disconnect(m, call->call_id, PPTP_CDN_REQUEST, 0);
}

static void __attribute__((format(printf, 3, 4)))
h_log(void *owner, enum pptp_log_level level, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	(void)owner;
	if (level < PPTP_LOG_ERR || level > PPTP_LOG_DEBUG || level > fz.cfg.log_level)
		abort();
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (strncmp(line, "pptp ", 5) != 0)
		abort();
}

static const struct pptp_conn_hooks hooks = {
	.send = h_send,
	.close = h_close,
	.call_request = h_call_request,
	.call_cleared = h_call_cleared,
	.set_link_info = h_set_link_info,
	.log = h_log,
};

/* ---- connections ---- */

static void conn_open(struct model *m)
{
	unsigned int idx = m->idx;

	memset(m, 0, sizeof(*m));
	m->idx = idx;
	m->c = pptp_conn_new(&fz.cfg, &hooks, m, fz.now, PEER_ADDR + idx);
	if (!m->c)
		abort();
}

static void conn_free(struct model *m)
{
	m->freeing = true;
	pptp_conn_free(m->c); /* clears what is left through call_cleared */
	m->freeing = false;
	m->c = NULL;
	if (m->nlive != 0 || m->orphan)
		abort();
}

/* After every operation: the library and the model agree. */
static void check_all(void)
{
	uint32_t live = 0;

	for (unsigned int k = 0; k < NCONN; k++) {
		struct model *m = &fz.m[k];
		enum pptp_conn_state st = pptp_conn_state(m->c);
		enum pptp_close_reason why;

		if ((st == PPTP_CONN_CLOSED) != m->closed || m->orphan)
			abort();
		why = pptp_conn_stats(m->c)->close_reason;
		if (pptp_conn_peer_addr(m->c) != PEER_ADDR + m->idx ||
		    strcmp(pptp_conn_state_name(st), "unknown") == 0 ||
		    strcmp(pptp_close_reason_name(why), "unknown") == 0)
			abort();
		if (pptp_conn_call_count(m->c) != m->nlive)
			abort();
		if (st != PPTP_CONN_ESTABLISHED && m->nlive != 0)
			abort();
		if (st == PPTP_CONN_CLOSED && pptp_conn_next_deadline(m->c) != UINT64_MAX)
			abort();
		for (unsigned int i = 0; i < m->nlive; i++) {
			const struct pptp_call *call = pptp_conn_call(m->c, m->live[i].id);

			if (!call || call->call_id != m->live[i].id ||
			    call->peer_call_id != m->live[i].peer_id ||
			    !pptp_call_id_in_use(fz.ids, m->live[i].id))
				abort();
		}
		live += m->nlive;
	}
	if (pptp_call_id_used(fz.ids) != fz.prealloc + live)
		abort();
}

/*
 * An allocator with every call ID but the last three in use. Taking 65,532
 * IDs costs about a millisecond, so it is made once and kept: each input must
 * give back what it took (checked), and the search position is put back
 * after 65535, so that every input sees the same allocator.
 */
#define FEW_IDS_FIRST_FREE (PPTP_CALL_ID_USABLE - 2)

static struct pptp_call_id_allocator *few_ids(void)
{
	static struct pptp_call_id_allocator *a;
	uint16_t got[3];
	unsigned int n = 0;

	if (!a) {
		a = pptp_call_id_allocator_new();
		if (!a)
			abort();
		while (pptp_call_id_used(a) < FEW_IDS_FIRST_FREE - 1)
			if (pptp_call_id_alloc(a) == 0)
				abort();
	}
	/* Hand out free IDs up to the last one, then give them back. */
	do {
		if (n == 3)
			abort();
		got[n] = pptp_call_id_alloc(a);
	} while (got[n++] != PPTP_CALL_ID_USABLE);
	while (n > 0)
		pptp_call_id_release(a, got[--n]);
	return a;
}

/* ---- operations ---- */

/* One of the connection's live calls (by `idx`) if `use_live` and there is one, else `raw`. */
static uint16_t pick_id(const struct model *m, bool use_live, unsigned int idx, uint16_t raw,
			bool peer)
{
	if (!use_live || m->nlive == 0)
		return raw;
	return peer ? m->live[idx % m->nlive].peer_id : m->live[idx % m->nlive].id;
}

/* A message of `type` from the peer, with the fields `arg` chooses. */
static void build_msg(const struct model *m, unsigned int type, uint16_t arg, struct pptp_msg *msg)
{
	static const uint16_t versions[] = { 0x0100, 0x0100, 0x00FF, 0x0200 };

	memset(msg, 0, sizeof(*msg));
	msg->type = (uint16_t)type;
	switch (type) {
	case PPTP_SCCRQ:
		msg->u.sccrq.version = arg & 0x8000 ? arg & 0x7FFF : versions[arg & 3];
		msg->u.sccrq.framing_caps = (arg >> 2) & 3;
		msg->u.sccrq.bearer_caps = (arg >> 4) & 3;
		msg->u.sccrq.max_channels = arg;
		msg->u.sccrq.firmware_rev = 1;
		strcpy(msg->u.sccrq.host_name, "local");
		strcpy(msg->u.sccrq.vendor, "fuzz");
		break;
	case PPTP_SCCRP:
		msg->u.sccrp.version = PPTP_PROTO_VERSION;
		msg->u.sccrp.result = PPTP_SCCRP_OK;
		break;
	case PPTP_STOPCCRQ:
		msg->u.stopccrq.reason = (uint8_t)(PPTP_STOP_NONE + arg % 3);
		break;
	case PPTP_STOPCCRP:
		msg->u.stopccrp.result = (uint8_t)(PPTP_STOPCCRP_OK + (arg & 1));
		break;
	case PPTP_ECHORQ:
		msg->u.echorq.id = arg;
		break;
	case PPTP_ECHORP:
		msg->u.echorp.id = arg & 0x8000 ? m->echo_id : arg;
		msg->u.echorp.result = arg & 0x4000 ? PPTP_ECHORP_GENERAL_ERROR : PPTP_ECHORP_OK;
		break;
	case PPTP_OCRQ:
		msg->u.ocrq.call_id = pick_id(m, arg & 0x8000, arg & 0x7FFF, arg & 0x7FFF, true);
		msg->u.ocrq.call_serial = arg;
		msg->u.ocrq.min_bps = 2400;
		msg->u.ocrq.max_bps = (uint32_t)arg * 1000;
		msg->u.ocrq.bearer_type = 3;
		msg->u.ocrq.framing_type = 3;
		msg->u.ocrq.recv_window = arg >> 8;
		msg->u.ocrq.proc_delay = arg & 0xFF;
		msg->u.ocrq.phone_len = 1;
		strcpy(msg->u.ocrq.phone, "1");
		break;
	case PPTP_OCRP:
		msg->u.ocrp.call_id = arg;
		msg->u.ocrp.result = PPTP_OCRP_CONNECTED;
		break;
	case PPTP_ICRQ:
		msg->u.icrq.call_id = arg;
		msg->u.icrq.bearer_type = 1;
		msg->u.icrq.dialed_len = 3;
		strcpy(msg->u.icrq.dialed, "123");
		break;
	case PPTP_ICRP:
		msg->u.icrp.peer_call_id = arg;
		msg->u.icrp.result = PPTP_ICRP_CONNECT;
		break;
	case PPTP_ICCN:
		msg->u.iccn.peer_call_id = arg;
		break;
	case PPTP_CCRQ:
		msg->u.ccrq.call_id = pick_id(m, arg & 0x8000, arg & 0x7FFF, arg & 0x7FFF, true);
		break;
	case PPTP_CDN:
		msg->u.cdn.call_id = pick_id(m, arg & 0x8000, arg & 0x7FFF, arg & 0x7FFF, true);
		msg->u.cdn.result = PPTP_CDN_REQUEST;
		break;
	case PPTP_WEN:
		msg->u.wen.peer_call_id = pick_id(m, arg & 0x8000, arg & 0x7FFF, arg & 0x7FFF,
						  false);
		msg->u.wen.crc_errors = arg;
		break;
	case PPTP_SLI:
		msg->u.sli.peer_call_id = pick_id(m, arg & 0x8000, arg & 0x7FFF, arg & 0x7FFF,
						  false);
		msg->u.sli.send_accm = 0xFFFFFFFFu;
		msg->u.sli.recv_accm = arg;
		break;
	}
}

static void op_msg(struct model *m, struct in *in)
{
	unsigned int type = 1 + in_u8(in) % PPTP_CTRL_TYPE_MAX;
	uint16_t arg = in_u16(in);
	uint8_t split = in_u8(in);
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg msg;
	int n;
	size_t cut;

	build_msg(m, type, arg, &msg);
	n = pptp_ctrl_build(&msg, buf, sizeof(buf));
	if (n <= 0)
		abort(); /* build_msg writes only what the codec takes */
	cut = split % (size_t)n;
	if (cut)
		do_input(m, buf, cut);
	do_input(m, buf + cut, (size_t)n - cut);
}

static void advance(uint64_t ms)
{
	fz.now = fz.now > NOW_MAX - ms ? NOW_MAX : fz.now + ms;
}

static void run_op(struct in *in)
{
	uint8_t b = in_u8(in);
	struct model *m = &fz.m[b & 1];
	uint64_t d;
	uint8_t n, result;
	uint16_t sel;

	switch ((b >> 1) & 7) {
	case OP_RAW:
		n = in_u8(in);
		if (n > in->n)
			n = (uint8_t)in->n;
		do_input(m, in->p, n);
		in->p += n;
		in->n -= n;
		break;
	case OP_MSG:
		op_msg(m, in);
		break;
	case OP_TICK:
		advance((uint64_t)in_u8(in) * 500);
		do_tick(m, true);
		break;
	case OP_TICK_DEADLINE:
		d = pptp_conn_next_deadline(m->c);
		if (d != UINT64_MAX && d > fz.now)
			advance(d - fz.now);
		do_tick(m, true);
		break;
	case OP_DISCONNECT:
		sel = in_u8(in);
		result = in_u8(in);
		do_disconnect(m, pick_id(m, sel & 0x80, sel & 0x7F, sel & 0x7F, false), result % 6,
			      in_u8(in));
		break;
	case OP_STOP:
		do_stop(m, in_u8(in) % 5);
		break;
	case OP_PEER_CLOSED:
		do_peer_closed(m);
		break;
	case OP_REOPEN:
		conn_free(m);
		conn_open(m);
		break;
	}
	check_all();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { .p = data, .n = size };

	memset(&fz, 0, sizeof(fz));
	fz.setup = in_u8(&in);
	fz.reent = in_u8(&in);
	fz.verdicts = in_u8(&in);
	fz.misbehave = in_u8(&in);
	fz.now = fz.setup & CFG_LATE_CLOCK ? NOW_MAX - 1000000 : NOW_START;

	fz.ids = fz.setup & CFG_FEW_IDS ? few_ids() : pptp_call_id_allocator_new();
	if (!fz.ids)
		abort();
	fz.prealloc = pptp_call_id_used(fz.ids);
	pptp_conn_cfg_init(&fz.cfg);
	fz.cfg.max_calls = (uint16_t)(1 + (fz.setup & CFG_MAX_CALLS));
	if (fz.setup & CFG_NO_ECHO)
		fz.cfg.echo_interval_ms = 0;
	if (fz.setup & CFG_NO_CALL_WAIT)
		fz.cfg.call_wait_ms = 0;
	fz.cfg.log_level = fz.setup & CFG_LOG_DEBUG ? PPTP_LOG_DEBUG : PPTP_LOG_NOTICE;
	if (fz.setup & CFG_ECHO_SPEED)
		fz.cfg.connect_speed = 0;
	fz.cfg.call_ids = fz.ids;

	for (unsigned int k = 0; k < NCONN; k++) {
		fz.m[k].idx = k;
		conn_open(&fz.m[k]);
	}
	while (in.n > 0)
		run_op(&in);
	for (unsigned int k = 0; k < NCONN; k++)
		conn_free(&fz.m[k]);

	/* Every call ID handed to a call came back. */
	if (pptp_call_id_used(fz.ids) != fz.prealloc)
		abort();
	if (fz.setup & CFG_FEW_IDS) {
		for (uint32_t id = FEW_IDS_FIRST_FREE; id <= PPTP_CALL_ID_USABLE; id++)
			if (pptp_call_id_in_use(fz.ids, (uint16_t)id))
				abort();
	} else {
		pptp_call_id_allocator_free(fz.ids);
	}
	return 0;
}
