/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The calls of one control connection: a fixed table of cfg.max_calls slots,
 * the call messages (Outgoing-Call-Request, Call-Clear-Request, Set-Link-Info)
 * and the disconnect command.
 *
 * Every accepted call leaves the table through call_remove(), which releases
 * its call ID and runs call_cleared exactly once.
 */
#include <errno.h>
#include <string.h>

#include "ctrl_internal.h"
#include "pptp/call_id.h"

struct pptp_call *calls_find(struct pptp_conn *c, uint16_t call_id)
{
	if (call_id == 0)
		return NULL;
	for (unsigned int i = 0; i < c->cfg.max_calls; i++)
		if (c->calls[i].call_id == call_id)
			return &c->calls[i];
	return NULL;
}

static struct pptp_call *find_by_peer(struct pptp_conn *c, uint16_t peer_call_id)
{
	for (unsigned int i = 0; i < c->cfg.max_calls; i++)
		if (c->calls[i].call_id != 0 && c->calls[i].peer_call_id == peer_call_id)
			return &c->calls[i];
	return NULL;
}

static struct pptp_call *free_slot(struct pptp_conn *c)
{
	for (unsigned int i = 0; i < c->cfg.max_calls; i++)
		if (c->calls[i].call_id == 0)
			return &c->calls[i];
	return NULL;
}

static void call_remove(struct pptp_conn *c, struct pptp_call *call, uint64_t now,
			enum pptp_clear_cause cause)
{
	struct pptp_call gone = *call;

	/* The table is consistent before the hook runs: it may call back. */
	memset(call, 0, sizeof(*call));
	c->ncalls--;
	if (c->ncalls == 0)
		c->no_call_since_ms = now;
	pptp_call_id_release(c->cfg.call_ids, gone.call_id);
	conn_log(c, PPTP_LOG_INFO, "call %u (peer call %u) cleared: %s", gone.call_id,
		 gone.peer_call_id, pptp_clear_cause_name(cause));
	if (c->hooks.call_cleared)
		c->hooks.call_cleared(c->owner, &gone, cause);
}

void calls_clear_all(struct pptp_conn *c, enum pptp_clear_cause cause)
{
	for (unsigned int i = 0; i < c->cfg.max_calls; i++)
		if (c->calls[i].call_id != 0)
			call_remove(c, &c->calls[i], 0, cause);
}

static bool send_cdn(struct pptp_conn *c, uint16_t call_id, uint8_t result, uint8_t error,
		     uint16_t cause)
{
	struct pptp_msg m = { .type = PPTP_CDN };

	m.u.cdn.call_id = call_id;
	m.u.cdn.result = result;
	m.u.cdn.error = error;
	m.u.cdn.cause = cause;
	return conn_send(c, &m);
}

/*
 * Send Call-Disconnect-Notify for a call, then take it out of the table. The
 * send hook may have ended the call itself (stopping the connection, or the
 * peer gone, or a disconnect from inside the hook): then the slot is already
 * empty, or holds another call, and must be left alone.
 */
static void disconnect_call(struct pptp_conn *c, struct pptp_call *call, uint64_t now,
			    uint8_t result, uint8_t error, uint16_t cause,
			    enum pptp_clear_cause why)
{
	uint16_t id = call->call_id;

	if (send_cdn(c, id, result, error, cause) && call->call_id == id)
		call_remove(c, call, now, why);
}

void calls_disconnect_all(struct pptp_conn *c, uint64_t now, uint8_t result,
			  enum pptp_clear_cause cause)
{
	for (unsigned int i = 0; i < c->cfg.max_calls && c->state != PPTP_CONN_CLOSED; i++) {
		struct pptp_call *call = &c->calls[i];

		/* A failed send closes the connection, which clears the call. */
		if (call->call_id != 0)
			disconnect_call(c, call, now, result, 0, 0, cause);
	}
}

/* ---- Outgoing-Call-Request ---- */

static void reply_ocrp(struct pptp_conn *c, const struct pptp_ocrq *rq, const struct pptp_call *call,
		       uint8_t result, uint8_t error)
{
	struct pptp_msg m = { .type = PPTP_OCRP };

	m.u.ocrp.call_id = call ? call->call_id : 0; /* a refusal names no call of ours */
	m.u.ocrp.peer_call_id = rq->call_id;
	m.u.ocrp.result = result;
	m.u.ocrp.error = error;
	m.u.ocrp.connect_speed = call ? call->connect_speed : 0;
	m.u.ocrp.recv_window = c->cfg.recv_window;
	m.u.ocrp.proc_delay = 0; /* we forward at once */
	conn_send(c, &m);
}

static void refuse(struct pptp_conn *c, const struct pptp_ocrq *rq, enum pptp_conn_event ev,
		   uint8_t result, uint8_t error, const char *why)
{
	conn_event(c, ev, PPTP_LOG_NOTICE, "Outgoing-Call-Request (peer call %u) refused: %s",
		   rq->call_id, why);
	reply_ocrp(c, rq, NULL, result, error);
}

/* The owner's refusal as result and error codes. */
static void verdict_codes(enum pptp_call_verdict v, uint8_t *result, uint8_t *error)
{
	*error = PPTP_ERROR_NONE;
	switch (v) {
	case PPTP_CALL_REFUSE_NO_RESOURCE:
		*result = PPTP_OCRP_GENERAL_ERROR;
		*error = PPTP_ERROR_NO_RESOURCE;
		break;
	case PPTP_CALL_REFUSE_BUSY:
		*result = PPTP_OCRP_BUSY;
		break;
	case PPTP_CALL_REFUSE_DENIED:
		*result = PPTP_OCRP_DO_NOT_ACCEPT;
		break;
	default: /* not a verdict: the owner's bug, the PAC's error */
		*result = PPTP_OCRP_GENERAL_ERROR;
		*error = PPTP_ERROR_PAC_ERROR;
		break;
	}
}

void calls_on_ocrq(struct pptp_conn *c, uint64_t now, const struct pptp_ocrq *rq)
{
	struct pptp_call call = { 0 }, *slot;
	enum pptp_call_verdict v;
	uint8_t result, error;

	if (c->state != PPTP_CONN_ESTABLISHED) {
		refuse(c, rq, PPTP_EV_NOT_CONNECTED, PPTP_OCRP_GENERAL_ERROR,
		       PPTP_ERROR_NOT_CONNECTED, "control connection not established");
		return;
	}
	/* Call-Clear-Request names a call by the peer's ID: two live calls
	 * with one peer ID could not be told apart. */
	if (find_by_peer(c, rq->call_id)) {
		refuse(c, rq, PPTP_EV_CALL_REFUSED_DUP, PPTP_OCRP_GENERAL_ERROR,
		       PPTP_ERROR_BAD_CALL_ID, "peer call ID already in use");
		return;
	}
	slot = free_slot(c);
	if (!slot) {
		refuse(c, rq, PPTP_EV_CALL_REFUSED_LIMIT, PPTP_OCRP_GENERAL_ERROR,
		       PPTP_ERROR_NO_RESOURCE, "max calls on this connection");
		return;
	}
	call.call_id = pptp_call_id_alloc(c->cfg.call_ids);
	if (call.call_id == 0) {
		refuse(c, rq, PPTP_EV_CALL_REFUSED_NO_ID, PPTP_OCRP_GENERAL_ERROR,
		       PPTP_ERROR_NO_RESOURCE, "every call ID in use");
		return;
	}
	call.peer_call_id = rq->call_id;
	call.peer_recv_window = rq->recv_window;
	call.peer_proc_delay = rq->proc_delay;
	call.connect_speed = c->cfg.connect_speed ? c->cfg.connect_speed : rq->max_bps;
	call.started_ms = now;

	/* The owner sees a copy; the call enters the table only if accepted. */
	v = c->hooks.call_request(c->owner, &call, rq);
	if (c->state != PPTP_CONN_ESTABLISHED) {
		/* The hook stopped or closed the connection: no reply, but an
		 * accepted call still gets its one call_cleared. */
		pptp_call_id_release(c->cfg.call_ids, call.call_id);
		if (v == PPTP_CALL_ACCEPT && c->hooks.call_cleared)
			c->hooks.call_cleared(c->owner, &call,
					      c->state == PPTP_CONN_CLOSED ? PPTP_CLEAR_CONN_CLOSED
									   : PPTP_CLEAR_LOCAL_STOP);
		return;
	}
	if (v != PPTP_CALL_ACCEPT) {
		pptp_call_id_release(c->cfg.call_ids, call.call_id);
		verdict_codes(v, &result, &error);
		refuse(c, rq, PPTP_EV_CALL_REFUSED_OWNER, result, error, "by the owner");
		return;
	}
	*slot = call;
	c->ncalls++;
	c->stats.events[PPTP_EV_CALL_ACCEPTED]++;
	conn_log(c, PPTP_LOG_INFO,
		 "call %u accepted: peer call %u, peer window %u, peer delay %u, speed %u",
		 call.call_id, call.peer_call_id, call.peer_recv_window, call.peer_proc_delay,
		 call.connect_speed);
	/* A failed send closes the connection, and that clears the call. */
	reply_ocrp(c, rq, slot, PPTP_OCRP_CONNECTED, PPTP_ERROR_NONE);
}

/* ---- Call-Clear-Request, Set-Link-Info, disconnect ---- */

void calls_on_ccrq(struct pptp_conn *c, uint64_t now, const struct pptp_ccrq *rq)
{
	struct pptp_call *call;

	if (c->state != PPTP_CONN_ESTABLISHED) {
		conn_event(c, PPTP_EV_NOT_CONNECTED, PPTP_LOG_NOTICE,
			   "Call-Clear-Request in state %s: answered Not-Connected",
			   pptp_conn_state_name(c->state));
		send_cdn(c, 0, PPTP_CDN_GENERAL_ERROR, PPTP_ERROR_NOT_CONNECTED, 0);
		return;
	}
	call = find_by_peer(c, rq->call_id);
	if (!call) {
		/* No call of ours to name: Call ID 0, which we never allocate. */
		conn_event(c, PPTP_EV_BAD_CALL_ID, PPTP_LOG_NOTICE,
			   "Call-Clear-Request for unknown peer call %u: answered Bad-Call-ID",
			   rq->call_id);
		send_cdn(c, 0, PPTP_CDN_GENERAL_ERROR, PPTP_ERROR_BAD_CALL_ID, 0);
		return;
	}
	disconnect_call(c, call, now, PPTP_CDN_REQUEST, PPTP_ERROR_NONE, 0,
			PPTP_CLEAR_PEER_REQUEST);
}

void calls_on_sli(struct pptp_conn *c, const struct pptp_sli *sli)
{
	const struct pptp_call *call;

	/* No reply exists for Set-Link-Info: wrong ones are counted only. */
	if (c->state != PPTP_CONN_ESTABLISHED) {
		conn_event(c, PPTP_EV_NOT_CONNECTED, PPTP_LOG_NOTICE,
			   "Set-Link-Info in state %s: ignored", pptp_conn_state_name(c->state));
		return;
	}
	/* Its "Peer's Call ID" is the PAC's: ours. */
	call = calls_find(c, sli->peer_call_id);
	if (!call) {
		conn_event(c, PPTP_EV_BAD_CALL_ID, PPTP_LOG_NOTICE,
			   "Set-Link-Info for unknown call %u: ignored", sli->peer_call_id);
		return;
	}
	conn_log(c, PPTP_LOG_DEBUG, "Set-Link-Info call %u: send ACCM %#x receive ACCM %#x",
		 call->call_id, sli->send_accm, sli->recv_accm);
	if (c->hooks.set_link_info)
		c->hooks.set_link_info(c->owner, call, sli);
}

int pptp_conn_call_disconnect(struct pptp_conn *c, uint64_t now_ms, uint16_t call_id,
			      uint8_t result, uint16_t cause)
{
	struct pptp_call *call;

	if (result < PPTP_CDN_LOST_CARRIER || result > PPTP_CDN_REQUEST)
		return -EINVAL;
	if (c->state != PPTP_CONN_ESTABLISHED)
		return -ENOENT;
	call = calls_find(c, call_id);
	if (!call)
		return -ENOENT;
	disconnect_call(c, call, now_ms, result, PPTP_ERROR_NONE, cause, PPTP_CLEAR_LOCAL);
	return 0;
}
