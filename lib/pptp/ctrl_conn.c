/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Control connection: life cycle, TCP stream framing, timers, sending and
 * logging. What each message does is in ctrl_dispatch.c and ctrl_calls.c.
 */
#include "pptp/ctrl_conn.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctrl_internal.h"
#include "proto/proto_err.h"
#include "proto/wire.h"

#define LOG_LINE_MAX 256

/* ---- configuration and life cycle ---- */

void pptp_conn_cfg_init(struct pptp_conn_cfg *cfg)
{
	*cfg = (struct pptp_conn_cfg){
		.host_name = "dpptp",
		.vendor = "dpptp",
		.firmware_rev = 1,
		.max_channels = 65535,
		.framing_caps = PPTP_FRAMING_ASYNC | PPTP_FRAMING_SYNC,
		.bearer_caps = PPTP_BEARER_ANALOG | PPTP_BEARER_DIGITAL,
		.recv_window = 64,
		.connect_speed = 100000000,
		.max_calls = 4,
		.sccrq_timeout_ms = 10000,
		.call_wait_ms = 10000,
		.echo_interval_ms = 60000,
		.echo_timeout_ms = 60000,
		.stop_timeout_ms = 10000,
		.log_level = PPTP_LOG_INFO,
		.call_ids = NULL,
	};
}

static bool usable(const struct pptp_conn_cfg *cfg, const struct pptp_conn_hooks *hooks)
{
	if (!hooks->send || !hooks->close || !hooks->call_request || !cfg->call_ids)
		return false;
	if (cfg->max_calls == 0 || cfg->sccrq_timeout_ms == 0 || cfg->stop_timeout_ms == 0)
		return false;
	return cfg->echo_interval_ms == 0 || cfg->echo_timeout_ms != 0;
}

struct pptp_conn *pptp_conn_new(const struct pptp_conn_cfg *cfg,
				const struct pptp_conn_hooks *hooks, void *owner, uint64_t now_ms,
				uint32_t peer_addr)
{
	struct pptp_conn *c;

	if (!usable(cfg, hooks))
		return NULL;
	c = calloc(1, sizeof(*c) + cfg->max_calls * sizeof(c->calls[0]));
	if (!c)
		return NULL;
	c->cfg = *cfg;
	/* At most 63 bytes: the 64-byte field then always ends in NUL, which
	 * the RFC does not require but C clients copying it may assume. */
	snprintf(c->host_name, PPTP_STR_LEN, "%s", cfg->host_name ? cfg->host_name : "");
	snprintf(c->vendor, PPTP_STR_LEN, "%s", cfg->vendor ? cfg->vendor : "");
	c->cfg.host_name = c->host_name;
	c->cfg.vendor = c->vendor;
	c->hooks = *hooks;
	c->owner = owner;
	c->peer_addr = peer_addr;
	snprintf(c->peer_str, sizeof(c->peer_str), "%u.%u.%u.%u", peer_addr >> 24,
		 (peer_addr >> 16) & 0xFF, (peer_addr >> 8) & 0xFF, peer_addr & 0xFF);
	c->state = PPTP_CONN_WAIT_SCCRQ;
	c->created_ms = now_ms;
	c->last_rx_ms = now_ms;
	conn_log(c, PPTP_LOG_DEBUG, "new control connection");
	return c;
}

void pptp_conn_free(struct pptp_conn *c)
{
	if (!c)
		return;
	if (c->state != PPTP_CONN_CLOSED) {
		c->state = PPTP_CONN_CLOSED; /* hooks calling back find it closed */
		calls_clear_all(c, PPTP_CLEAR_CONN_CLOSED);
	}
	free(c);
}

/* ---- logging and counting ---- */

static void __attribute__((format(printf, 3, 0)))
vlog(const struct pptp_conn *c, enum pptp_log_level level, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	int n;

	if (!c->hooks.log || level > c->cfg.log_level)
		return;
	n = snprintf(line, sizeof(line), "pptp %s: ", c->peer_str);
	if (n > 0 && (size_t)n < sizeof(line))
		vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	c->hooks.log(c->owner, level, "%s", line);
}

void conn_log(const struct pptp_conn *c, enum pptp_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(c, level, fmt, ap);
	va_end(ap);
}

void conn_event(struct pptp_conn *c, enum pptp_conn_event ev, enum pptp_log_level level,
		const char *fmt, ...)
{
	va_list ap;

	if (++c->stats.events[ev] > 1)
		level = PPTP_LOG_DEBUG;
	va_start(ap, fmt);
	vlog(c, level, fmt, ap);
	va_end(ap);
}

/* ---- sending and closing ---- */

bool conn_send(struct pptp_conn *c, const struct pptp_msg *m)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	int n;

	if (c->state == PPTP_CONN_CLOSED)
		return false;
	n = pptp_ctrl_build(m, buf, sizeof(buf));
	if (n < 0) { /* a field we filled in is out of range: our bug */
		conn_log(c, PPTP_LOG_ERR, "cannot build %s: %s", pptp_ctrl_name(m->type),
			 proto_errname(n));
		conn_close(c, PPTP_CLOSE_SEND_FAILED, PPTP_CLEAR_CONN_CLOSED, "build failed");
		return false;
	}
	if (c->hooks.send(c->owner, buf, (size_t)n) < 0) {
		conn_close(c, PPTP_CLOSE_SEND_FAILED, PPTP_CLEAR_CONN_CLOSED, NULL);
		return false;
	}
	c->stats.tx_msgs[m->type]++;
	c->stats.tx_bytes += (uint64_t)n;
	conn_log(c, PPTP_LOG_DEBUG, "tx %s", pptp_ctrl_name(m->type));
	return true;
}

#define PPTP_CLOSE_ID_(name, id, text) [PPTP_CLOSE_##name] = id,
static const char *const close_ids[] = { PPTP_CLOSE_REASON_LIST(PPTP_CLOSE_ID_) };
#undef PPTP_CLOSE_ID_
#define PPTP_CLOSE_TEXT_(name, id, text) [PPTP_CLOSE_##name] = text,
static const char *const close_texts[] = { PPTP_CLOSE_REASON_LIST(PPTP_CLOSE_TEXT_) };
#undef PPTP_CLOSE_TEXT_

static enum pptp_log_level close_level(enum pptp_close_reason why)
{
	switch (why) {
	case PPTP_CLOSE_PEER_STOP:
	case PPTP_CLOSE_LOCAL_STOP:
	case PPTP_CLOSE_PEER_GONE:
		return PPTP_LOG_INFO;
	default:
		return PPTP_LOG_NOTICE;
	}
}

void conn_close(struct pptp_conn *c, enum pptp_close_reason why, enum pptp_clear_cause cause,
		const char *detail)
{
	if (c->state == PPTP_CONN_CLOSED)
		return;
	/* Closed first: a hook that calls back finds nothing left to do. */
	c->state = PPTP_CONN_CLOSED;
	c->stats.close_reason = why;
	if (!detail)
		detail = close_texts[why];
	conn_log(c, close_level(why), "closing: %s: %s", close_ids[why], detail);
	calls_clear_all(c, cause);
	c->hooks.close(c->owner, why, detail);
}

void conn_begin_stop(struct pptp_conn *c, uint64_t now, uint8_t reason)
{
	struct pptp_msg m = { .type = PPTP_STOPCCRQ, .u.stopccrq.reason = reason };

	/* The state changes first so that call_cleared hooks calling back see
	 * a connection that is stopping. */
	c->state = PPTP_CONN_WAIT_STOP_REPLY;
	c->stop_sent_ms = now;
	c->echo_outstanding = false;
	calls_disconnect_all(c, now, PPTP_CDN_ADMIN_SHUTDOWN, PPTP_CLEAR_LOCAL_STOP);
	if (c->state != PPTP_CONN_WAIT_STOP_REPLY)
		return;
	conn_log(c, PPTP_LOG_INFO, "stopping the control connection (reason %u)", reason);
	conn_send(c, &m);
}

/* ---- input: framing a TCP byte stream ---- */

static void garbage(struct pptp_conn *c, int err)
{
	c->stats.events[PPTP_EV_GARBAGE]++;
	c->stats.close_proto_err = err;
	conn_log(c, PPTP_LOG_WARNING, "malformed control message: %s", proto_strerror(err));
	conn_close(c, PPTP_CLOSE_GARBAGE, PPTP_CLEAR_CONN_CLOSED, proto_errname(err));
}

/* One whole, framed message of exactly `len` bytes. */
static void handle(struct pptp_conn *c, uint64_t now, const uint8_t *buf, size_t len)
{
	struct pptp_msg m;
	int rc = pptp_ctrl_parse(buf, len, &m);

	if (rc != PROTO_OK) {
		garbage(c, rc);
		return;
	}
	if (m.warnings & PPTP_WARN_RESERVED_NONZERO)
		conn_event(c, PPTP_EV_WARN_RESERVED, PPTP_LOG_INFO,
			   "%s with a reserved field not zero (tolerated)", pptp_ctrl_name(m.type));
	if (m.warnings & PPTP_WARN_STR_UNTERMINATED)
		conn_event(c, PPTP_EV_WARN_UNTERMINATED, PPTP_LOG_INFO,
			   "%s with an unterminated string (tolerated)", pptp_ctrl_name(m.type));
	c->stats.rx_msgs[m.type]++;
	c->last_rx_ms = now;
	conn_log(c, PPTP_LOG_DEBUG, "rx %s", pptp_ctrl_name(m.type));
	conn_dispatch(c, now, &m);
}

/* Bytes the reassembly buffer must hold before it can make progress: the
 * header, then the whole message. Only called once rx holds a header that
 * pptp_ctrl_frame() accepted, so the length is the type's fixed size and
 * fits the buffer. */
static size_t rx_wanted(const struct pptp_conn *c)
{
	return c->rx_len < PPTP_HDR_LEN ? PPTP_HDR_LEN : wire_get_be16(c->rx);
}

enum pptp_conn_state pptp_conn_input(struct pptp_conn *c, uint64_t now_ms, const uint8_t *bytes,
				     size_t len)
{
	if (c->state == PPTP_CONN_CLOSED)
		return c->state;
	c->stats.rx_bytes += len;
	while (len > 0 && c->state != PPTP_CONN_CLOSED) {
		size_t want, take;
		int n;

		if (c->rx_len == 0) {
			/* Fast path: whole messages straight from the caller's
			 * buffer. */
			n = pptp_ctrl_frame(bytes, len);
			if (n < 0) {
				garbage(c, n);
				break;
			}
			if (n > 0) {
				handle(c, now_ms, bytes, (size_t)n);
				bytes += n;
				len -= (size_t)n;
				continue;
			}
		}
		/* A message split across reads: gather it in rx. */
		want = rx_wanted(c);
		take = want - c->rx_len < len ? want - c->rx_len : len;
		memcpy(c->rx + c->rx_len, bytes, take);
		c->rx_len += take;
		bytes += take;
		len -= take;
		if (c->rx_len < want)
			break; /* all input consumed */
		n = pptp_ctrl_frame(c->rx, c->rx_len);
		if (n < 0) {
			garbage(c, n);
			break;
		}
		if (n > 0) {
			c->rx_len = 0;
			handle(c, now_ms, c->rx, (size_t)n);
		}
		/* n == 0: the header is whole and valid, the body comes next */
	}
	return c->state;
}

enum pptp_conn_state pptp_conn_peer_closed(struct pptp_conn *c, uint64_t now_ms)
{
	(void)now_ms;
	if (c->state == PPTP_CONN_CLOSED)
		return c->state;
	if (c->rx_len)
		conn_log(c, PPTP_LOG_DEBUG, "%zu bytes of a partial message dropped", c->rx_len);
	conn_close(c, PPTP_CLOSE_PEER_GONE, PPTP_CLEAR_CONN_CLOSED, NULL);
	return c->state;
}

/* ---- timers ---- */

static uint64_t after(uint64_t t, uint32_t ms)
{
	return t > UINT64_MAX - ms ? UINT64_MAX : t + ms;
}

static uint64_t echo_deadline(const struct pptp_conn *c)
{
	if (c->echo_outstanding)
		return after(c->echo_sent_ms, c->cfg.echo_timeout_ms);
	if (c->cfg.echo_interval_ms)
		return after(c->last_rx_ms, c->cfg.echo_interval_ms);
	return UINT64_MAX;
}

static uint64_t call_wait_deadline(const struct pptp_conn *c)
{
	if (c->ncalls != 0 || c->cfg.call_wait_ms == 0)
		return UINT64_MAX;
	return after(c->no_call_since_ms, c->cfg.call_wait_ms);
}

uint64_t pptp_conn_next_deadline(const struct pptp_conn *c)
{
	uint64_t echo, wait;

	switch (c->state) {
	case PPTP_CONN_WAIT_SCCRQ:
		return after(c->created_ms, c->cfg.sccrq_timeout_ms);
	case PPTP_CONN_ESTABLISHED:
		echo = echo_deadline(c);
		wait = call_wait_deadline(c);
		return echo < wait ? echo : wait;
	case PPTP_CONN_WAIT_STOP_REPLY:
		return after(c->stop_sent_ms, c->cfg.stop_timeout_ms);
	case PPTP_CONN_CLOSED:
		break;
	}
	return UINT64_MAX;
}

static void send_echo(struct pptp_conn *c, uint64_t now)
{
	struct pptp_msg m = { .type = PPTP_ECHORQ };

	m.u.echorq.id = ++c->echo_id;
	if (!conn_send(c, &m))
		return;
	c->echo_outstanding = true;
	c->echo_sent_ms = now;
	conn_event(c, PPTP_EV_ECHO_SENT, PPTP_LOG_DEBUG, "no control message for %u ms: echo %u",
		   c->cfg.echo_interval_ms, m.u.echorq.id);
}

static void tick_established(struct pptp_conn *c, uint64_t now)
{
	if (c->echo_outstanding && now >= echo_deadline(c)) {
		conn_close(c, PPTP_CLOSE_ECHO_TIMEOUT, PPTP_CLEAR_CONN_CLOSED, NULL);
		return;
	}
	if (now >= call_wait_deadline(c)) {
		conn_log(c, PPTP_LOG_NOTICE, "no call for %u ms", c->cfg.call_wait_ms);
		conn_begin_stop(c, now, PPTP_STOP_NONE);
		return;
	}
	if (!c->echo_outstanding && now >= echo_deadline(c))
		send_echo(c, now);
}

enum pptp_conn_state pptp_conn_tick(struct pptp_conn *c, uint64_t now_ms)
{
	if (now_ms < pptp_conn_next_deadline(c))
		return c->state;
	switch (c->state) {
	case PPTP_CONN_WAIT_SCCRQ:
		conn_close(c, PPTP_CLOSE_SCCRQ_TIMEOUT, PPTP_CLEAR_CONN_CLOSED, NULL);
		break;
	case PPTP_CONN_ESTABLISHED:
		tick_established(c, now_ms);
		break;
	case PPTP_CONN_WAIT_STOP_REPLY:
		conn_close(c, PPTP_CLOSE_STOP_TIMEOUT, PPTP_CLEAR_CONN_CLOSED, NULL);
		break;
	case PPTP_CONN_CLOSED:
		break;
	}
	return c->state;
}

/* ---- commands from the owner ---- */

int pptp_conn_stop(struct pptp_conn *c, uint64_t now_ms, uint8_t reason)
{
	if (reason < PPTP_STOP_NONE || reason > PPTP_STOP_LOCAL_SHUTDOWN)
		return -EINVAL;
	switch (c->state) {
	case PPTP_CONN_WAIT_SCCRQ:
		conn_close(c, PPTP_CLOSE_LOCAL_STOP, PPTP_CLEAR_LOCAL_STOP,
			   "stopped before the control connection was established");
		break;
	case PPTP_CONN_ESTABLISHED:
		conn_begin_stop(c, now_ms, reason);
		break;
	case PPTP_CONN_WAIT_STOP_REPLY:
	case PPTP_CONN_CLOSED:
		break;
	}
	return 0;
}

/* ---- getters and names ---- */

enum pptp_conn_state pptp_conn_state(const struct pptp_conn *c)
{
	return c->state;
}

const struct pptp_conn_stats *pptp_conn_stats(const struct pptp_conn *c)
{
	return &c->stats;
}

uint32_t pptp_conn_peer_addr(const struct pptp_conn *c)
{
	return c->peer_addr;
}

unsigned int pptp_conn_call_count(const struct pptp_conn *c)
{
	return c->ncalls;
}

const struct pptp_call *pptp_conn_call(const struct pptp_conn *c, uint16_t call_id)
{
	return calls_find((struct pptp_conn *)c, call_id);
}

const char *pptp_conn_state_name(enum pptp_conn_state state)
{
	switch (state) {
	case PPTP_CONN_WAIT_SCCRQ:
		return "wait-sccrq";
	case PPTP_CONN_ESTABLISHED:
		return "established";
	case PPTP_CONN_WAIT_STOP_REPLY:
		return "wait-stop-reply";
	case PPTP_CONN_CLOSED:
		return "closed";
	}
	return "unknown";
}

const char *pptp_close_reason_name(enum pptp_close_reason why)
{
	return (unsigned int)why < PPTP_CLOSE_REASON_COUNT ? close_ids[why] : "unknown";
}

const char *pptp_clear_cause_name(enum pptp_clear_cause cause)
{
	switch (cause) {
	case PPTP_CLEAR_PEER_REQUEST:
		return "peer-request";
	case PPTP_CLEAR_LOCAL:
		return "local";
	case PPTP_CLEAR_PEER_STOP:
		return "peer-stop";
	case PPTP_CLEAR_LOCAL_STOP:
		return "local-stop";
	case PPTP_CLEAR_CONN_CLOSED:
		return "connection-closed";
	}
	return "unknown";
}

#define PPTP_EV_NAME_(name, text) [PPTP_EV_##name] = #name,
static const char *const event_names[] = { PPTP_CONN_EVENT_LIST(PPTP_EV_NAME_) };
#undef PPTP_EV_NAME_

const char *pptp_conn_event_name(enum pptp_conn_event ev)
{
	return (unsigned int)ev < PPTP_EV_COUNT ? event_names[ev] : "unknown";
}
