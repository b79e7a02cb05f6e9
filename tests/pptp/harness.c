/* SPDX-License-Identifier: BSD-3-Clause */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "proto/proto_err.h"

/* ---- the fake owner's hooks ---- */

static int h_send(void *owner, const uint8_t *buf, size_t len)
{
	struct owner *o = owner;

	o->sends++;
	if (o->fail_send_at && o->sends == o->fail_send_at)
		return -1;
	assert_true(o->out_len + len <= sizeof(o->out));
	memcpy(o->out + o->out_len, buf, len);
	o->out_len += len;
	return 0;
}

static void h_close(void *owner, enum pptp_close_reason why, const char *detail)
{
	struct owner *o = owner;

	o->closes++;
	o->why = why;
	snprintf(o->detail, sizeof(o->detail), "%s", detail);
	/* The library promises every call is cleared before close runs. */
	assert_int_equal(pptp_conn_call_count(o->conn), 0);
}

static enum pptp_call_verdict h_call_request(void *owner, struct pptp_call *call,
					     const struct pptp_ocrq *rq)
{
	struct owner *o = owner;

	o->requests++;
	o->last_rq = *rq;
	call->user = o;
	o->last_call = *call;
	if (o->stop_in_request)
		pptp_conn_stop(o->conn, 0, PPTP_STOP_LOCAL_SHUTDOWN);
	return o->verdict;
}

static void h_call_cleared(void *owner, const struct pptp_call *call, enum pptp_clear_cause cause)
{
	struct owner *o = owner;

	assert_true(o->ncleared < MAX_CLEARED);
	o->cleared[o->ncleared].call = *call;
	o->cleared[o->ncleared].cause = cause;
	o->ncleared++;
	if (o->stop_when_last_cleared && pptp_conn_call_count(o->conn) == 0)
		pptp_conn_stop(o->conn, 0, PPTP_STOP_NONE);
}

static void h_set_link_info(void *owner, const struct pptp_call *call, const struct pptp_sli *sli)
{
	struct owner *o = owner;

	(void)call;
	o->slis++;
	o->last_sli = *sli;
}

static void __attribute__((format(printf, 3, 4)))
h_log(void *owner, enum pptp_log_level level, const char *fmt, ...)
{
	struct owner *o = owner;
	va_list ap;
	int n;

	(void)level;
	if (o->log_len + 2 >= sizeof(o->log))
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->log + o->log_len, sizeof(o->log) - o->log_len - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	o->log_len += (size_t)n < sizeof(o->log) - o->log_len - 1
			      ? (size_t)n
			      : sizeof(o->log) - o->log_len - 2;
	o->log[o->log_len++] = '\n';
	o->log[o->log_len] = '\0';
}

const struct pptp_conn_hooks test_hooks = {
	.send = h_send,
	.close = h_close,
	.call_request = h_call_request,
	.call_cleared = h_call_cleared,
	.set_link_info = h_set_link_info,
	.log = h_log,
};

void owner_init(struct owner *o)
{
	memset(o, 0, sizeof(*o));
	o->verdict = PPTP_CALL_ACCEPT;
}

struct pptp_conn *conn_open(struct owner *o, struct pptp_call_id_allocator *ids,
			    const struct pptp_conn_cfg *cfg, uint64_t now)
{
	struct pptp_conn_cfg def;

	if (!cfg) {
		pptp_conn_cfg_init(&def);
		def.log_level = PPTP_LOG_DEBUG;
		cfg = &def;
	}
	def = *cfg;
	def.call_ids = ids;
	o->conn = pptp_conn_new(&def, &test_hooks, o, now, PEER_ADDR);
	assert_non_null(o->conn);
	return o->conn;
}

/* ---- the scripted peer ---- */

struct pptp_msg msg_sccrq(uint16_t version)
{
	struct pptp_msg m = { .type = PPTP_SCCRQ };

	m.u.sccrq.version = version;
	m.u.sccrq.framing_caps = PPTP_FRAMING_ASYNC | PPTP_FRAMING_SYNC;
	m.u.sccrq.bearer_caps = PPTP_BEARER_ANALOG | PPTP_BEARER_DIGITAL;
	m.u.sccrq.max_channels = 65535;
	m.u.sccrq.firmware_rev = 1;
	strcpy(m.u.sccrq.host_name, "local");
	strcpy(m.u.sccrq.vendor, "cananian");
	return m;
}

struct pptp_msg msg_ocrq(uint16_t peer_call_id)
{
	struct pptp_msg m = { .type = PPTP_OCRQ };

	m.u.ocrq.call_id = peer_call_id;
	m.u.ocrq.call_serial = 7;
	m.u.ocrq.min_bps = 2400;
	m.u.ocrq.max_bps = 10000000;
	m.u.ocrq.bearer_type = 3;
	m.u.ocrq.framing_type = 3;
	m.u.ocrq.recv_window = 3;
	m.u.ocrq.proc_delay = 0;
	return m;
}

struct pptp_msg msg_ccrq(uint16_t peer_call_id)
{
	return (struct pptp_msg){ .type = PPTP_CCRQ, .u.ccrq.call_id = peer_call_id };
}

struct pptp_msg msg_echorq(uint32_t id)
{
	return (struct pptp_msg){ .type = PPTP_ECHORQ, .u.echorq.id = id };
}

struct pptp_msg msg_echorp(uint32_t id, uint8_t result)
{
	return (struct pptp_msg){ .type = PPTP_ECHORP,
				  .u.echorp = { .id = id, .result = result } };
}

struct pptp_msg msg_stopccrq(uint8_t reason)
{
	return (struct pptp_msg){ .type = PPTP_STOPCCRQ, .u.stopccrq.reason = reason };
}

struct pptp_msg msg_stopccrp(uint8_t result)
{
	return (struct pptp_msg){ .type = PPTP_STOPCCRP, .u.stopccrp.result = result };
}

struct pptp_msg msg_icrq(uint16_t peer_call_id)
{
	struct pptp_msg m = { .type = PPTP_ICRQ };

	m.u.icrq.call_id = peer_call_id;
	m.u.icrq.bearer_type = 1;
	m.u.icrq.dialed_len = 3;
	strcpy(m.u.icrq.dialed, "123");
	return m;
}

struct pptp_msg msg_sli(uint16_t our_call_id)
{
	return (struct pptp_msg){ .type = PPTP_SLI,
				  .u.sli = { .peer_call_id = our_call_id,
					     .send_accm = 0xFFFFFFFFu,
					     .recv_accm = 0xFFFFFFFFu } };
}

struct pptp_msg msg_wen(uint16_t call_id)
{
	return (struct pptp_msg){ .type = PPTP_WEN,
				  .u.wen = { .peer_call_id = call_id,
					     .crc_errors = 1,
					     .framing_errors = 2,
					     .hw_overruns = 3,
					     .buf_overruns = 4,
					     .timeout_errors = 5,
					     .alignment_errors = 6 } };
}

struct pptp_msg msg_any(unsigned int type)
{
	struct pptp_msg m = { .type = (uint16_t)type };

	switch (type) {
	case PPTP_SCCRQ:
		return msg_sccrq(PPTP_PROTO_VERSION);
	case PPTP_SCCRP:
		m.u.sccrp.version = PPTP_PROTO_VERSION;
		m.u.sccrp.result = PPTP_SCCRP_OK;
		break;
	case PPTP_STOPCCRQ:
		return msg_stopccrq(PPTP_STOP_NONE);
	case PPTP_STOPCCRP:
		return msg_stopccrp(PPTP_STOPCCRP_OK);
	case PPTP_ECHORQ:
		return msg_echorq(0x55);
	case PPTP_ECHORP:
		return msg_echorp(0x55, PPTP_ECHORP_OK);
	case PPTP_OCRQ:
		return msg_ocrq(0x4242);
	case PPTP_OCRP:
		m.u.ocrp.call_id = 9;
		m.u.ocrp.result = PPTP_OCRP_CONNECTED;
		break;
	case PPTP_ICRQ:
		return msg_icrq(0x4343);
	case PPTP_ICRP:
		m.u.icrp.result = PPTP_ICRP_CONNECT;
		break;
	case PPTP_ICCN:
		m.u.iccn.peer_call_id = 9;
		break;
	case PPTP_CCRQ:
		return msg_ccrq(0x4242);
	case PPTP_CDN:
		m.u.cdn.call_id = 0x4242;
		m.u.cdn.result = PPTP_CDN_REQUEST;
		break;
	case PPTP_WEN:
		return msg_wen(9);
	case PPTP_SLI:
		return msg_sli(9);
	}
	return m;
}

size_t build(const struct pptp_msg *m, uint8_t *buf, size_t cap)
{
	int n = pptp_ctrl_build(m, buf, cap);

	assert_true(n > 0);
	return (size_t)n;
}

enum pptp_conn_state feed(struct owner *o, uint64_t now, const struct pptp_msg *m)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	size_t n = build(m, buf, sizeof(buf));

	return pptp_conn_input(o->conn, now, buf, n);
}

/* ---- reading our replies ---- */

bool next_out(struct owner *o, struct pptp_msg *m)
{
	int n;

	if (o->out_pos == o->out_len)
		return false;
	n = pptp_ctrl_frame(o->out + o->out_pos, o->out_len - o->out_pos);
	assert_true(n > 0);
	assert_int_equal(pptp_ctrl_parse(o->out + o->out_pos, (size_t)n, m), PROTO_OK);
	assert_int_equal(m->warnings, 0);
	o->out_pos += (size_t)n;
	return true;
}

struct pptp_msg expect_out(struct owner *o, unsigned int type)
{
	struct pptp_msg m;

	if (!next_out(o, &m))
		fail_msg("expected %s, nothing sent", pptp_ctrl_name(type));
	if (m.type != type)
		fail_msg("expected %s, got %s", pptp_ctrl_name(type), pptp_ctrl_name(m.type));
	return m;
}

void expect_no_out(struct owner *o)
{
	struct pptp_msg m;

	if (next_out(o, &m))
		fail_msg("expected nothing, got %s", pptp_ctrl_name(m.type));
}

bool log_has(const struct owner *o, const char *needle)
{
	return strstr(o->log, needle) != NULL;
}

void establish(struct owner *o, uint64_t now)
{
	struct pptp_msg m = msg_sccrq(PPTP_PROTO_VERSION), r;

	assert_int_equal(feed(o, now, &m), PPTP_CONN_ESTABLISHED);
	r = expect_out(o, PPTP_SCCRP);
	assert_int_equal(r.u.sccrp.result, PPTP_SCCRP_OK);
}

uint16_t place_call(struct owner *o, uint64_t now, uint16_t peer_call_id)
{
	struct pptp_msg m = msg_ocrq(peer_call_id), r;

	feed(o, now, &m);
	r = expect_out(o, PPTP_OCRP);
	assert_int_equal(r.u.ocrp.result, PPTP_OCRP_CONNECTED);
	assert_int_equal(r.u.ocrp.peer_call_id, peer_call_id);
	assert_int_not_equal(r.u.ocrp.call_id, 0);
	return r.u.ocrp.call_id;
}
