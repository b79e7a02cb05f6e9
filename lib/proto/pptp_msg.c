/* SPDX-License-Identifier: BSD-3-Clause */
#include "pptp_msg.h"

#include <string.h>

#include "proto_err.h"
#include "wire.h"

static const uint16_t ctrl_size[PPTP_CTRL_TYPE_MAX + 1] = {
	[PPTP_SCCRQ] = 156, [PPTP_SCCRP] = 156,   [PPTP_STOPCCRQ] = 16,
	[PPTP_STOPCCRP] = 16, [PPTP_ECHORQ] = 16, [PPTP_ECHORP] = 20,
	[PPTP_OCRQ] = 168,  [PPTP_OCRP] = 32,     [PPTP_ICRQ] = 220,
	[PPTP_ICRP] = 24,   [PPTP_ICCN] = 28,     [PPTP_CCRQ] = 16,
	[PPTP_CDN] = 148,   [PPTP_WEN] = 40,      [PPTP_SLI] = 24,
};

static const char *const ctrl_name[PPTP_CTRL_TYPE_MAX + 1] = {
	[PPTP_SCCRQ] = "SCCRQ", [PPTP_SCCRP] = "SCCRP", [PPTP_STOPCCRQ] = "StopCCRQ",
	[PPTP_STOPCCRP] = "StopCCRP", [PPTP_ECHORQ] = "EchoRQ", [PPTP_ECHORP] = "EchoRP",
	[PPTP_OCRQ] = "OCRQ", [PPTP_OCRP] = "OCRP", [PPTP_ICRQ] = "ICRQ",
	[PPTP_ICRP] = "ICRP", [PPTP_ICCN] = "ICCN", [PPTP_CCRQ] = "CCRQ",
	[PPTP_CDN] = "CDN", [PPTP_WEN] = "WEN", [PPTP_SLI] = "SLI",
};

/* Highest valid result code per type (the lowest is always 1); 0: none. */
static const uint8_t result_max[PPTP_CTRL_TYPE_MAX + 1] = {
	[PPTP_SCCRP] = PPTP_SCCRP_BAD_VERSION, [PPTP_STOPCCRP] = PPTP_STOPCCRP_GENERAL_ERROR,
	[PPTP_ECHORP] = PPTP_ECHORP_GENERAL_ERROR, [PPTP_OCRP] = PPTP_OCRP_DO_NOT_ACCEPT,
	[PPTP_ICRP] = PPTP_ICRP_DO_NOT_ACCEPT, [PPTP_CDN] = PPTP_CDN_REQUEST,
};

size_t pptp_ctrl_size(unsigned int type)
{
	return type <= PPTP_CTRL_TYPE_MAX ? ctrl_size[type] : 0;
}

const char *pptp_ctrl_name(unsigned int type)
{
	return type >= 1 && type <= PPTP_CTRL_TYPE_MAX ? ctrl_name[type] : "unknown";
}

/* ---- header ---- */

static int check_header(const uint8_t *buf, size_t len, uint16_t *length, uint16_t *type)
{
	if (len < PPTP_HDR_LEN)
		return PROTO_E(TRUNCATED);
	*length = wire_get_be16(buf);
	*type = wire_get_be16(buf + 8);
	if (wire_get_be16(buf + 2) != PPTP_MSG_CONTROL)
		return PROTO_E(PPTP_BAD_MSG_TYPE);
	if (wire_get_be32(buf + 4) != PPTP_MAGIC)
		return PROTO_E(PPTP_BAD_MAGIC);
	if (*type < 1 || *type > PPTP_CTRL_TYPE_MAX)
		return PROTO_E(PPTP_UNKNOWN_CTRL_TYPE);
	if (wire_get_be16(buf + 10) != 0)
		return PROTO_E(PPTP_BAD_RESERVED0);
	if (*length != ctrl_size[*type])
		return PROTO_E(PPTP_BAD_LENGTH);
	return PROTO_OK;
}

int pptp_ctrl_frame(const uint8_t *buf, size_t len)
{
	uint16_t length, type;
	int rc;

	if (len < PPTP_HDR_LEN)
		return 0;
	rc = check_header(buf, len, &length, &type);
	if (rc != PROTO_OK)
		return rc;
	return len < length ? 0 : length;
}

/* ---- body reader: every read is bounds-checked against the message ---- */

struct rd {
	const uint8_t *p;
	size_t off;
	size_t end;
	uint32_t *warn;
};

static uint8_t rd_u8(struct rd *r)
{
	if (r->off + 1 > r->end)
		return 0;
	return r->p[r->off++];
}

static uint16_t rd_u16(struct rd *r)
{
	uint16_t v;
	if (r->off + 2 > r->end)
		return 0;
	v = wire_get_be16(r->p + r->off);
	r->off += 2;
	return v;
}

static uint32_t rd_u32(struct rd *r)
{
	uint32_t v;
	if (r->off + 4 > r->end)
		return 0;
	v = wire_get_be32(r->p + r->off);
	r->off += 4;
	return v;
}

static void rd_reserved(struct rd *r, size_t n)
{
	for (size_t i = 0; i < n && r->off < r->end; i++)
		if (r->p[r->off++] != 0)
			*r->warn |= PPTP_WARN_RESERVED_NONZERO;
}

/* Copy a fixed-size, NUL-padded field; `dst` has room for n + 1 bytes. */
static void rd_str(struct rd *r, char *dst, size_t n)
{
	size_t avail = r->off < r->end ? r->end - r->off : 0;
	size_t field = n < avail ? n : avail;
	const uint8_t *src = r->p + r->off;
	const uint8_t *nul = memchr(src, 0, field);
	size_t slen = nul ? (size_t)(nul - src) : field;

	if (!nul)
		*r->warn |= PPTP_WARN_STR_UNTERMINATED;
	memcpy(dst, src, slen);
	dst[slen] = '\0';
	r->off += field;
}

static int check_result(unsigned int type, uint8_t result, uint8_t error)
{
	if (result < 1 || result > result_max[type])
		return PROTO_E(PPTP_BAD_RESULT_CODE);
	if (error > PPTP_ERROR_MAX)
		return PROTO_E(PPTP_BAD_ERROR_CODE);
	return PROTO_OK;
}

static int parse_body(struct rd *r, struct pptp_msg *m)
{
	switch (m->type) {
	case PPTP_SCCRQ: {
		struct pptp_sccrq *b = &m->u.sccrq;
		b->version = rd_u16(r);
		rd_reserved(r, 2);
		b->framing_caps = rd_u32(r);
		b->bearer_caps = rd_u32(r);
		b->max_channels = rd_u16(r);
		b->firmware_rev = rd_u16(r);
		rd_str(r, b->host_name, PPTP_STR_LEN);
		rd_str(r, b->vendor, PPTP_STR_LEN);
		return PROTO_OK;
	}
	case PPTP_SCCRP: {
		struct pptp_sccrp *b = &m->u.sccrp;
		b->version = rd_u16(r);
		b->result = rd_u8(r);
		b->error = rd_u8(r);
		b->framing_caps = rd_u32(r);
		b->bearer_caps = rd_u32(r);
		b->max_channels = rd_u16(r);
		b->firmware_rev = rd_u16(r);
		rd_str(r, b->host_name, PPTP_STR_LEN);
		rd_str(r, b->vendor, PPTP_STR_LEN);
		return check_result(m->type, b->result, b->error);
	}
	case PPTP_STOPCCRQ:
		m->u.stopccrq.reason = rd_u8(r);
		rd_reserved(r, 3);
		if (m->u.stopccrq.reason < PPTP_STOP_NONE ||
		    m->u.stopccrq.reason > PPTP_STOP_LOCAL_SHUTDOWN)
			return PROTO_E(PPTP_BAD_REASON);
		return PROTO_OK;
	case PPTP_STOPCCRP:
		m->u.stopccrp.result = rd_u8(r);
		m->u.stopccrp.error = rd_u8(r);
		rd_reserved(r, 2);
		return check_result(m->type, m->u.stopccrp.result, m->u.stopccrp.error);
	case PPTP_ECHORQ:
		m->u.echorq.id = rd_u32(r);
		return PROTO_OK;
	case PPTP_ECHORP:
		m->u.echorp.id = rd_u32(r);
		m->u.echorp.result = rd_u8(r);
		m->u.echorp.error = rd_u8(r);
		rd_reserved(r, 2);
		return check_result(m->type, m->u.echorp.result, m->u.echorp.error);
	case PPTP_OCRQ: {
		struct pptp_ocrq *b = &m->u.ocrq;
		b->call_id = rd_u16(r);
		b->call_serial = rd_u16(r);
		b->min_bps = rd_u32(r);
		b->max_bps = rd_u32(r);
		b->bearer_type = rd_u32(r);
		b->framing_type = rd_u32(r);
		b->recv_window = rd_u16(r);
		b->proc_delay = rd_u16(r);
		b->phone_len = rd_u16(r);
		rd_reserved(r, 2);
		rd_str(r, b->phone, PPTP_STR_LEN);
		rd_str(r, b->subaddress, PPTP_STR_LEN);
		return b->phone_len > PPTP_STR_LEN ? PROTO_E(PPTP_BAD_NUMBER_LENGTH) : PROTO_OK;
	}
	case PPTP_OCRP: {
		struct pptp_ocrp *b = &m->u.ocrp;
		b->call_id = rd_u16(r);
		b->peer_call_id = rd_u16(r);
		b->result = rd_u8(r);
		b->error = rd_u8(r);
		b->cause = rd_u16(r);
		b->connect_speed = rd_u32(r);
		b->recv_window = rd_u16(r);
		b->proc_delay = rd_u16(r);
		b->phys_channel_id = rd_u32(r);
		return check_result(m->type, b->result, b->error);
	}
	case PPTP_ICRQ: {
		struct pptp_icrq *b = &m->u.icrq;
		b->call_id = rd_u16(r);
		b->call_serial = rd_u16(r);
		b->bearer_type = rd_u32(r);
		b->phys_channel_id = rd_u32(r);
		b->dialed_len = rd_u16(r);
		b->dialing_len = rd_u16(r);
		rd_str(r, b->dialed, PPTP_STR_LEN);
		rd_str(r, b->dialing, PPTP_STR_LEN);
		rd_str(r, b->subaddress, PPTP_STR_LEN);
		if (b->dialed_len > PPTP_STR_LEN || b->dialing_len > PPTP_STR_LEN)
			return PROTO_E(PPTP_BAD_NUMBER_LENGTH);
		return PROTO_OK;
	}
	case PPTP_ICRP: {
		struct pptp_icrp *b = &m->u.icrp;
		b->call_id = rd_u16(r);
		b->peer_call_id = rd_u16(r);
		b->result = rd_u8(r);
		b->error = rd_u8(r);
		b->recv_window = rd_u16(r);
		b->transmit_delay = rd_u16(r);
		rd_reserved(r, 2);
		return check_result(m->type, b->result, b->error);
	}
	case PPTP_ICCN: {
		struct pptp_iccn *b = &m->u.iccn;
		b->peer_call_id = rd_u16(r);
		rd_reserved(r, 2);
		b->connect_speed = rd_u32(r);
		b->recv_window = rd_u16(r);
		b->transmit_delay = rd_u16(r);
		b->framing_type = rd_u32(r);
		return PROTO_OK;
	}
	case PPTP_CCRQ:
		m->u.ccrq.call_id = rd_u16(r);
		rd_reserved(r, 2);
		return PROTO_OK;
	case PPTP_CDN: {
		struct pptp_cdn *b = &m->u.cdn;
		b->call_id = rd_u16(r);
		b->result = rd_u8(r);
		b->error = rd_u8(r);
		b->cause = rd_u16(r);
		rd_reserved(r, 2);
		rd_str(r, b->call_stats, PPTP_STATS_LEN);
		/* Call statistics are free text that is often absent: no warning. */
		*r->warn &= ~PPTP_WARN_STR_UNTERMINATED;
		return check_result(m->type, b->result, b->error);
	}
	case PPTP_WEN: {
		struct pptp_wen *b = &m->u.wen;
		b->peer_call_id = rd_u16(r);
		rd_reserved(r, 2);
		b->crc_errors = rd_u32(r);
		b->framing_errors = rd_u32(r);
		b->hw_overruns = rd_u32(r);
		b->buf_overruns = rd_u32(r);
		b->timeout_errors = rd_u32(r);
		b->alignment_errors = rd_u32(r);
		return PROTO_OK;
	}
	case PPTP_SLI:
		m->u.sli.peer_call_id = rd_u16(r);
		rd_reserved(r, 2);
		m->u.sli.send_accm = rd_u32(r);
		m->u.sli.recv_accm = rd_u32(r);
		return PROTO_OK;
	}
	return PROTO_E(PPTP_UNKNOWN_CTRL_TYPE);
}

int pptp_ctrl_parse(const uint8_t *buf, size_t len, struct pptp_msg *msg)
{
	uint16_t length = 0, type = 0;
	int rc;

	memset(msg, 0, sizeof(*msg));
	rc = check_header(buf, len, &length, &type);
	msg->type = type;
	msg->length = length;
	if (rc != PROTO_OK)
		return rc;
	if (len < length)
		return PROTO_E(TRUNCATED);

	struct rd r = { .p = buf, .off = PPTP_HDR_LEN, .end = length, .warn = &msg->warnings };
	return parse_body(&r, msg);
}

/* ---- builder: the size is checked once up front, so writes cannot overrun ---- */

struct wr {
	uint8_t *p;
	size_t off;
};

static void wr_u8(struct wr *w, uint8_t v)
{
	w->p[w->off++] = v;
}

static void wr_u16(struct wr *w, uint16_t v)
{
	wire_put_be16(w->p + w->off, v);
	w->off += 2;
}

static void wr_u32(struct wr *w, uint32_t v)
{
	wire_put_be32(w->p + w->off, v);
	w->off += 4;
}

static void wr_zero(struct wr *w, size_t n)
{
	memset(w->p + w->off, 0, n);
	w->off += n;
}

static void wr_str(struct wr *w, const char *s, size_t n)
{
	size_t slen = strnlen(s, n);
	memcpy(w->p + w->off, s, slen);
	memset(w->p + w->off + slen, 0, n - slen);
	w->off += n;
}

static int build_body(const struct pptp_msg *m, struct wr *w)
{
	switch (m->type) {
	case PPTP_SCCRQ: {
		const struct pptp_sccrq *b = &m->u.sccrq;
		wr_u16(w, b->version);
		wr_zero(w, 2);
		wr_u32(w, b->framing_caps);
		wr_u32(w, b->bearer_caps);
		wr_u16(w, b->max_channels);
		wr_u16(w, b->firmware_rev);
		wr_str(w, b->host_name, PPTP_STR_LEN);
		wr_str(w, b->vendor, PPTP_STR_LEN);
		return PROTO_OK;
	}
	case PPTP_SCCRP: {
		const struct pptp_sccrp *b = &m->u.sccrp;
		if (check_result(m->type, b->result, b->error) != PROTO_OK)
			return PROTO_E(INVAL);
		wr_u16(w, b->version);
		wr_u8(w, b->result);
		wr_u8(w, b->error);
		wr_u32(w, b->framing_caps);
		wr_u32(w, b->bearer_caps);
		wr_u16(w, b->max_channels);
		wr_u16(w, b->firmware_rev);
		wr_str(w, b->host_name, PPTP_STR_LEN);
		wr_str(w, b->vendor, PPTP_STR_LEN);
		return PROTO_OK;
	}
	case PPTP_STOPCCRQ:
		if (m->u.stopccrq.reason < PPTP_STOP_NONE ||
		    m->u.stopccrq.reason > PPTP_STOP_LOCAL_SHUTDOWN)
			return PROTO_E(INVAL);
		wr_u8(w, m->u.stopccrq.reason);
		wr_zero(w, 3);
		return PROTO_OK;
	case PPTP_STOPCCRP:
		if (check_result(m->type, m->u.stopccrp.result, m->u.stopccrp.error) != PROTO_OK)
			return PROTO_E(INVAL);
		wr_u8(w, m->u.stopccrp.result);
		wr_u8(w, m->u.stopccrp.error);
		wr_zero(w, 2);
		return PROTO_OK;
	case PPTP_ECHORQ:
		wr_u32(w, m->u.echorq.id);
		return PROTO_OK;
	case PPTP_ECHORP:
		if (check_result(m->type, m->u.echorp.result, m->u.echorp.error) != PROTO_OK)
			return PROTO_E(INVAL);
		wr_u32(w, m->u.echorp.id);
		wr_u8(w, m->u.echorp.result);
		wr_u8(w, m->u.echorp.error);
		wr_zero(w, 2);
		return PROTO_OK;
	case PPTP_OCRQ: {
		const struct pptp_ocrq *b = &m->u.ocrq;
		if (b->phone_len > PPTP_STR_LEN)
			return PROTO_E(INVAL);
		wr_u16(w, b->call_id);
		wr_u16(w, b->call_serial);
		wr_u32(w, b->min_bps);
		wr_u32(w, b->max_bps);
		wr_u32(w, b->bearer_type);
		wr_u32(w, b->framing_type);
		wr_u16(w, b->recv_window);
		wr_u16(w, b->proc_delay);
		wr_u16(w, b->phone_len);
		wr_zero(w, 2);
		wr_str(w, b->phone, PPTP_STR_LEN);
		wr_str(w, b->subaddress, PPTP_STR_LEN);
		return PROTO_OK;
	}
	case PPTP_OCRP: {
		const struct pptp_ocrp *b = &m->u.ocrp;
		if (check_result(m->type, b->result, b->error) != PROTO_OK)
			return PROTO_E(INVAL);
		wr_u16(w, b->call_id);
		wr_u16(w, b->peer_call_id);
		wr_u8(w, b->result);
		wr_u8(w, b->error);
		wr_u16(w, b->cause);
		wr_u32(w, b->connect_speed);
		wr_u16(w, b->recv_window);
		wr_u16(w, b->proc_delay);
		wr_u32(w, b->phys_channel_id);
		return PROTO_OK;
	}
	case PPTP_ICRQ: {
		const struct pptp_icrq *b = &m->u.icrq;
		if (b->dialed_len > PPTP_STR_LEN || b->dialing_len > PPTP_STR_LEN)
			return PROTO_E(INVAL);
		wr_u16(w, b->call_id);
		wr_u16(w, b->call_serial);
		wr_u32(w, b->bearer_type);
		wr_u32(w, b->phys_channel_id);
		wr_u16(w, b->dialed_len);
		wr_u16(w, b->dialing_len);
		wr_str(w, b->dialed, PPTP_STR_LEN);
		wr_str(w, b->dialing, PPTP_STR_LEN);
		wr_str(w, b->subaddress, PPTP_STR_LEN);
		return PROTO_OK;
	}
	case PPTP_ICRP: {
		const struct pptp_icrp *b = &m->u.icrp;
		if (check_result(m->type, b->result, b->error) != PROTO_OK)
			return PROTO_E(INVAL);
		wr_u16(w, b->call_id);
		wr_u16(w, b->peer_call_id);
		wr_u8(w, b->result);
		wr_u8(w, b->error);
		wr_u16(w, b->recv_window);
		wr_u16(w, b->transmit_delay);
		wr_zero(w, 2);
		return PROTO_OK;
	}
	case PPTP_ICCN: {
		const struct pptp_iccn *b = &m->u.iccn;
		wr_u16(w, b->peer_call_id);
		wr_zero(w, 2);
		wr_u32(w, b->connect_speed);
		wr_u16(w, b->recv_window);
		wr_u16(w, b->transmit_delay);
		wr_u32(w, b->framing_type);
		return PROTO_OK;
	}
	case PPTP_CCRQ:
		wr_u16(w, m->u.ccrq.call_id);
		wr_zero(w, 2);
		return PROTO_OK;
	case PPTP_CDN: {
		const struct pptp_cdn *b = &m->u.cdn;
		if (check_result(m->type, b->result, b->error) != PROTO_OK)
			return PROTO_E(INVAL);
		wr_u16(w, b->call_id);
		wr_u8(w, b->result);
		wr_u8(w, b->error);
		wr_u16(w, b->cause);
		wr_zero(w, 2);
		wr_str(w, b->call_stats, PPTP_STATS_LEN);
		return PROTO_OK;
	}
	case PPTP_WEN: {
		const struct pptp_wen *b = &m->u.wen;
		wr_u16(w, b->peer_call_id);
		wr_zero(w, 2);
		wr_u32(w, b->crc_errors);
		wr_u32(w, b->framing_errors);
		wr_u32(w, b->hw_overruns);
		wr_u32(w, b->buf_overruns);
		wr_u32(w, b->timeout_errors);
		wr_u32(w, b->alignment_errors);
		return PROTO_OK;
	}
	case PPTP_SLI:
		wr_u16(w, m->u.sli.peer_call_id);
		wr_zero(w, 2);
		wr_u32(w, m->u.sli.send_accm);
		wr_u32(w, m->u.sli.recv_accm);
		return PROTO_OK;
	}
	return PROTO_E(INVAL);
}

int pptp_ctrl_build(const struct pptp_msg *msg, uint8_t *buf, size_t cap)
{
	size_t size = pptp_ctrl_size(msg->type);
	int rc;

	if (size == 0)
		return PROTO_E(INVAL);
	if (cap < size)
		return PROTO_E(NOSPACE);

	struct wr w = { .p = buf, .off = 0 };
	wr_u16(&w, (uint16_t)size);
	wr_u16(&w, PPTP_MSG_CONTROL);
	wr_u32(&w, PPTP_MAGIC);
	wr_u16(&w, msg->type);
	wr_zero(&w, 2);
	rc = build_body(msg, &w);
	if (rc != PROTO_OK)
		return rc;
	return (int)w.off;
}
