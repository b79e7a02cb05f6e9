/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What each well-formed control message does in each state, for the
 * connection-level messages; the call messages are in ctrl_calls.c. The table
 * in docs/pptp-control.md is this file in prose: change both together.
 */
#include <stdio.h>
#include <string.h>

#include "ctrl_internal.h"

/* The peer's 64-byte strings go into our log lines: keep them printable. */
static void printable(char *dst, size_t cap, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < cap && src[i]; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7F ? src[i] : '?';
	dst[i] = '\0';
}

static void reply_sccrp(struct pptp_conn *c, uint8_t result)
{
	struct pptp_msg m = { .type = PPTP_SCCRP };
	struct pptp_sccrp *p = &m.u.sccrp;

	/* Always our own version: RFC 2637 section 3.1.3 has the receiver
	 * answer with its version, which the originator then falls back to. */
	p->version = PPTP_PROTO_VERSION;
	p->result = result;
	p->error = PPTP_ERROR_NONE;
	p->framing_caps = c->cfg.framing_caps;
	p->bearer_caps = c->cfg.bearer_caps;
	p->max_channels = c->cfg.max_channels;
	p->firmware_rev = c->cfg.firmware_rev;
	memcpy(p->host_name, c->host_name, sizeof(p->host_name));
	memcpy(p->vendor, c->vendor, sizeof(p->vendor));
	conn_send(c, &m);
}

static void on_sccrq(struct pptp_conn *c, uint64_t now, const struct pptp_sccrq *rq)
{
	char host[PPTP_STR_LEN + 1], vendor[PPTP_STR_LEN + 1];

	if (c->state != PPTP_CONN_WAIT_SCCRQ) {
		/* A second SCCRQ on this TCP connection. Answer the one result
		 * code the RFC has for it and keep the connection and its calls:
		 * tearing down working calls would punish a confused peer more
		 * than it helps (accel-ppp does the same). */
		conn_event(c, PPTP_EV_SCCRQ_AGAIN, PPTP_LOG_NOTICE,
			   "SCCRQ on an established control connection: answered 'channel exists'");
		reply_sccrp(c, PPTP_SCCRP_CHANNEL_EXISTS);
		return;
	}
	printable(host, sizeof(host), rq->host_name);
	printable(vendor, sizeof(vendor), rq->vendor);
	/* RFC 2637 section 3.1.3: a request of our version or a later one is
	 * answered with our version (the peer falls back to it); only an
	 * earlier version is refused, and the connection closed. */
	if (rq->version < PPTP_PROTO_VERSION) {
		conn_event(c, PPTP_EV_BAD_VERSION, PPTP_LOG_NOTICE,
			   "SCCRQ version %u.%u from '%s' (%s) not supported", rq->version >> 8,
			   rq->version & 0xFF, host, vendor);
		reply_sccrp(c, PPTP_SCCRP_BAD_VERSION);
		conn_close(c, PPTP_CLOSE_BAD_VERSION, PPTP_CLEAR_CONN_CLOSED, NULL);
		return;
	}
	reply_sccrp(c, PPTP_SCCRP_OK);
	if (c->state == PPTP_CONN_CLOSED)
		return;
	c->state = PPTP_CONN_ESTABLISHED;
	c->no_call_since_ms = now;
	conn_log(c, PPTP_LOG_INFO,
		 "control connection established: host '%s' vendor '%s' version %u.%u "
		 "firmware %u framing %u bearer %u max channels %u",
		 host, vendor, rq->version >> 8, rq->version & 0xFF, rq->firmware_rev,
		 rq->framing_caps, rq->bearer_caps, rq->max_channels);
}

static void on_stopccrq(struct pptp_conn *c, const struct pptp_stopccrq *rq)
{
	struct pptp_msg m = { .type = PPTP_STOPCCRP };

	/* In every state, even while our own request is outstanding (both
	 * sides want the same thing): reply OK, then close. The RFC clears
	 * every call implicitly; no Call-Disconnect-Notify is sent. */
	conn_log(c, PPTP_LOG_INFO, "peer stops the control connection (reason %u)", rq->reason);
	m.u.stopccrp.result = PPTP_STOPCCRP_OK;
	if (!conn_send(c, &m))
		return;
	conn_close(c, PPTP_CLOSE_PEER_STOP, PPTP_CLEAR_PEER_STOP, NULL);
}

static void unexpected(struct pptp_conn *c, unsigned int type)
{
	conn_event(c, PPTP_EV_UNEXPECTED, PPTP_LOG_NOTICE, "unexpected %s in state %s: ignored",
		   pptp_ctrl_name(type), pptp_conn_state_name(c->state));
}

static void on_stopccrp(struct pptp_conn *c, const struct pptp_stopccrp *rp)
{
	if (c->state != PPTP_CONN_WAIT_STOP_REPLY) {
		unexpected(c, PPTP_STOPCCRP);
		return;
	}
	/* Result 2 means "not closed", but we asked to stop: we close anyway. */
	conn_close(c, PPTP_CLOSE_LOCAL_STOP, PPTP_CLEAR_LOCAL_STOP,
		   rp->result == PPTP_STOPCCRP_OK ? NULL : "peer replied General Error");
}

static void on_echorq(struct pptp_conn *c, const struct pptp_echorq *rq)
{
	struct pptp_msg m = { .type = PPTP_ECHORP };

	m.u.echorp.id = rq->id;
	m.u.echorp.result = PPTP_ECHORP_OK;
	if (c->state == PPTP_CONN_WAIT_SCCRQ) {
		conn_event(c, PPTP_EV_NOT_CONNECTED, PPTP_LOG_NOTICE,
			   "Echo-Request before SCCRQ: answered Not-Connected");
		m.u.echorp.result = PPTP_ECHORP_GENERAL_ERROR;
		m.u.echorp.error = PPTP_ERROR_NOT_CONNECTED;
	}
	conn_send(c, &m);
}

static void on_echorp(struct pptp_conn *c, const struct pptp_echorp *rp)
{
	if (!c->echo_outstanding || rp->id != c->echo_id) {
		conn_event(c, PPTP_EV_ECHO_MISMATCH, PPTP_LOG_NOTICE,
			   "Echo-Reply %u matches no Echo-Request of ours: ignored", rp->id);
		return;
	}
	c->echo_outstanding = false;
	/* An answer is proof of life, whatever its result says. */
	if (rp->result != PPTP_ECHORP_OK)
		conn_event(c, PPTP_EV_ECHO_ERROR, PPTP_LOG_NOTICE,
			   "Echo-Reply result %u error %u", rp->result, rp->error);
}

static void on_icrq(struct pptp_conn *c, const struct pptp_icrq *rq)
{
	struct pptp_msg m = { .type = PPTP_ICRP };

	/* We place calls for the clients; we never take a call from them.
	 * The reply names no call of ours: call ID 0. */
	m.u.icrp.peer_call_id = rq->call_id;
	m.u.icrp.recv_window = c->cfg.recv_window;
	if (c->state != PPTP_CONN_ESTABLISHED) {
		conn_event(c, PPTP_EV_NOT_CONNECTED, PPTP_LOG_NOTICE,
			   "Incoming-Call-Request in state %s: answered Not-Connected",
			   pptp_conn_state_name(c->state));
		m.u.icrp.result = PPTP_ICRP_GENERAL_ERROR;
		m.u.icrp.error = PPTP_ERROR_NOT_CONNECTED;
	} else {
		conn_event(c, PPTP_EV_ICRQ_REFUSED, PPTP_LOG_NOTICE,
			   "Incoming-Call-Request (peer call %u) refused: Do Not Accept",
			   rq->call_id);
		m.u.icrp.result = PPTP_ICRP_DO_NOT_ACCEPT;
	}
	conn_send(c, &m);
}

static void on_wen(struct pptp_conn *c, const struct pptp_wen *w)
{
	conn_log(c, PPTP_LOG_NOTICE,
		 "WAN-Error-Notify call %u: CRC %u framing %u hardware overruns %u "
		 "buffer overruns %u time-outs %u alignment %u",
		 w->peer_call_id, w->crc_errors, w->framing_errors, w->hw_overruns,
		 w->buf_overruns, w->timeout_errors, w->alignment_errors);
}

void conn_dispatch(struct pptp_conn *c, uint64_t now, const struct pptp_msg *m)
{
	switch (m->type) {
	case PPTP_SCCRQ:
		on_sccrq(c, now, &m->u.sccrq);
		break;
	case PPTP_STOPCCRQ:
		on_stopccrq(c, &m->u.stopccrq);
		break;
	case PPTP_STOPCCRP:
		on_stopccrp(c, &m->u.stopccrp);
		break;
	case PPTP_ECHORQ:
		on_echorq(c, &m->u.echorq);
		break;
	case PPTP_ECHORP:
		on_echorp(c, &m->u.echorp);
		break;
	case PPTP_OCRQ:
		calls_on_ocrq(c, now, &m->u.ocrq);
		break;
	case PPTP_ICRQ:
		on_icrq(c, &m->u.icrq);
		break;
	case PPTP_CCRQ:
		calls_on_ccrq(c, now, &m->u.ccrq);
		break;
	case PPTP_SLI:
		calls_on_sli(c, &m->u.sli);
		break;
	case PPTP_WEN:
		on_wen(c, &m->u.wen);
		break;
	default:
		/* SCCRP, OCRP, ICRP: replies to requests we never send. ICCN:
		 * follows an ICRP that accepted a call, which we never send. CDN:
		 * the PAC's message, and we are the PAC; like accel-ppp, pptpd
		 * and npppd we do not let it clear a call (the peer clears with
		 * Call-Clear-Request). */
		unexpected(c, m->type);
		break;
	}
}
