/* SPDX-License-Identifier: BSD-3-Clause */
#include "ppp_auth.h"

#include <stdio.h>
#include <string.h>

#include "ppp_cp.h"
#include "proto_err.h"
#include "wire.h"

/* Shared header checks of PAP and CHAP (both use LCP's 4-byte header). */
static int auth_header(const uint8_t *buf, size_t len, uint8_t max_code, uint8_t *code,
		       uint8_t *id, uint16_t *length)
{
	if (len < PPP_CP_HDR_LEN)
		return PROTO_E(TRUNCATED);
	*code = buf[0];
	*id = buf[1];
	*length = wire_get_be16(buf + 2);
	if (*length < PPP_CP_HDR_LEN)
		return PROTO_E(CP_BAD_LENGTH);
	if (*length > len)
		return PROTO_E(CP_LENGTH_OVERRUN);
	if (*code < 1 || *code > max_code)
		return PROTO_E(AUTH_UNKNOWN_CODE);
	return PROTO_OK;
}

/* Read a one-octet length and that many bytes from [*off, end). */
static int take_counted(const uint8_t *buf, size_t *off, size_t end, const uint8_t **field,
			uint8_t *field_len)
{
	if (*off + 1 > end)
		return PROTO_E(AUTH_FIELD_OVERRUN);
	*field_len = buf[*off];
	*off += 1;
	if (*field_len > end - *off)
		return PROTO_E(AUTH_FIELD_OVERRUN);
	*field = buf + *off;
	*off += *field_len;
	return PROTO_OK;
}

int pap_parse(const uint8_t *buf, size_t len, struct pap_pkt *p)
{
	size_t off = PPP_CP_HDR_LEN;
	int rc;

	memset(p, 0, sizeof(*p));
	rc = auth_header(buf, len, PAP_AUTH_NAK, &p->code, &p->id, &p->length);
	if (rc != PROTO_OK)
		return rc;
	if (p->code == PAP_AUTH_REQ) {
		rc = take_counted(buf, &off, p->length, &p->peer_id, &p->peer_id_len);
		if (rc == PROTO_OK)
			rc = take_counted(buf, &off, p->length, &p->passwd, &p->passwd_len);
		return rc;
	}
	/* Some peers send Ack/Nak without even the Msg-Length octet. */
	if (p->length == PPP_CP_HDR_LEN)
		return PROTO_OK;
	return take_counted(buf, &off, p->length, &p->msg, &p->msg_len);
}

int pap_build_request(uint8_t *buf, size_t cap, uint8_t id, const void *peer_id,
		      size_t peer_id_len, const void *passwd, size_t passwd_len)
{
	struct ppp_cp_writer w;
	uint8_t l;

	if (peer_id_len > 255 || passwd_len > 255)
		return PROTO_E(INVAL);
	ppp_cp_writer_init(&w, buf, cap, PAP_AUTH_REQ, id);
	l = (uint8_t)peer_id_len;
	ppp_cp_put_bytes(&w, &l, 1);
	ppp_cp_put_bytes(&w, peer_id, peer_id_len);
	l = (uint8_t)passwd_len;
	ppp_cp_put_bytes(&w, &l, 1);
	ppp_cp_put_bytes(&w, passwd, passwd_len);
	return ppp_cp_writer_finish(&w);
}

int pap_build_reply(uint8_t *buf, size_t cap, uint8_t code, uint8_t id, const void *msg,
		    size_t msg_len)
{
	struct ppp_cp_writer w;
	uint8_t l = (uint8_t)msg_len;

	if ((code != PAP_AUTH_ACK && code != PAP_AUTH_NAK) || msg_len > 255)
		return PROTO_E(INVAL);
	ppp_cp_writer_init(&w, buf, cap, code, id);
	ppp_cp_put_bytes(&w, &l, 1);
	ppp_cp_put_bytes(&w, msg, msg_len);
	return ppp_cp_writer_finish(&w);
}

int chap_parse(const uint8_t *buf, size_t len, struct chap_pkt *p)
{
	size_t off = PPP_CP_HDR_LEN;
	int rc;

	memset(p, 0, sizeof(*p));
	rc = auth_header(buf, len, CHAP_FAILURE, &p->code, &p->id, &p->length);
	if (rc != PROTO_OK)
		return rc;
	if (p->code == CHAP_SUCCESS || p->code == CHAP_FAILURE) {
		p->msg = buf + off;
		p->msg_len = (uint16_t)(p->length - off);
		return PROTO_OK;
	}
	rc = take_counted(buf, &off, p->length, &p->value, &p->value_size);
	if (rc != PROTO_OK)
		return rc;
	if (p->value_size == 0)
		return PROTO_E(CHAP_BAD_VALUE_SIZE);
	p->name = buf + off;
	p->name_len = (uint16_t)(p->length - off);
	return PROTO_OK;
}

int chap_build_value(uint8_t *buf, size_t cap, uint8_t code, uint8_t id, const void *value,
		     size_t value_size, const void *name, size_t name_len)
{
	struct ppp_cp_writer w;
	uint8_t l = (uint8_t)value_size;

	if ((code != CHAP_CHALLENGE && code != CHAP_RESPONSE) || value_size == 0 ||
	    value_size > 255)
		return PROTO_E(INVAL);
	ppp_cp_writer_init(&w, buf, cap, code, id);
	ppp_cp_put_bytes(&w, &l, 1);
	ppp_cp_put_bytes(&w, value, value_size);
	ppp_cp_put_bytes(&w, name, name_len);
	return ppp_cp_writer_finish(&w);
}

int chap_build_status(uint8_t *buf, size_t cap, uint8_t code, uint8_t id, const void *msg,
		      size_t msg_len)
{
	struct ppp_cp_writer w;

	if (code != CHAP_SUCCESS && code != CHAP_FAILURE)
		return PROTO_E(INVAL);
	ppp_cp_writer_init(&w, buf, cap, code, id);
	ppp_cp_put_bytes(&w, msg, msg_len);
	return ppp_cp_writer_finish(&w);
}

/* ---- MS-CHAPv2 ---- */

int mschapv2_response_parse(const uint8_t *value, size_t value_size, struct mschapv2_response *r)
{
	if (value_size != MSCHAPV2_RESPONSE_LEN)
		return PROTO_E(CHAP_BAD_VALUE_SIZE);
	memcpy(r->peer_challenge, value, MSCHAPV2_CHALLENGE_LEN);
	memcpy(r->nt_response, value + 24, MSCHAPV2_NT_RESPONSE_LEN);
	r->flags = value[48];
	for (size_t i = 16; i < 24; i++)
		if (value[i] != 0)
			return PROTO_E(MSCHAPV2_RESERVED);
	if (r->flags != 0)
		return PROTO_E(MSCHAPV2_RESERVED);
	return PROTO_OK;
}

void mschapv2_response_write(uint8_t out[MSCHAPV2_RESPONSE_LEN], const struct mschapv2_response *r)
{
	memcpy(out, r->peer_challenge, MSCHAPV2_CHALLENGE_LEN);
	memset(out + 16, 0, 8);
	memcpy(out + 24, r->nt_response, MSCHAPV2_NT_RESPONSE_LEN);
	out[48] = r->flags;
}

static void hex_upper(char *out, const uint8_t *in, size_t n)
{
	static const char digits[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
}

static int hex_value(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int hex_decode(uint8_t *out, const uint8_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi = hex_value(in[2 * i]), lo = hex_value(in[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int mschapv2_success_build(char *buf, size_t cap,
			   const uint8_t auth_response[MSCHAPV2_AUTH_RESPONSE_LEN], const char *msg)
{
	char hex[2 * MSCHAPV2_AUTH_RESPONSE_LEN + 1];
	int n;

	hex_upper(hex, auth_response, MSCHAPV2_AUTH_RESPONSE_LEN);
	hex[sizeof(hex) - 1] = '\0';
	n = msg ? snprintf(buf, cap, "S=%s M=%s", hex, msg) : snprintf(buf, cap, "S=%s", hex);
	if (n < 0)
		return PROTO_E(INVAL);
	if ((size_t)n >= cap)
		return PROTO_E(NOSPACE);
	return n;
}

int mschapv2_success_parse(const uint8_t *msg, size_t len,
			   uint8_t auth_response[MSCHAPV2_AUTH_RESPONSE_LEN])
{
	const size_t need = 2 + 2 * MSCHAPV2_AUTH_RESPONSE_LEN;

	if (len < need || msg[0] != 'S' || msg[1] != '=')
		return PROTO_E(MSCHAPV2_BAD_MESSAGE);
	if (hex_decode(auth_response, msg + 2, MSCHAPV2_AUTH_RESPONSE_LEN) != 0)
		return PROTO_E(MSCHAPV2_BAD_MESSAGE);
	if (len > need && msg[need] != ' ')
		return PROTO_E(MSCHAPV2_BAD_MESSAGE);
	return PROTO_OK;
}

int mschapv2_failure_build(char *buf, size_t cap, const struct mschapv2_failure *f)
{
	char hex[2 * MSCHAPV2_CHALLENGE_LEN + 1];
	int n;

	hex_upper(hex, f->challenge, MSCHAPV2_CHALLENGE_LEN);
	hex[sizeof(hex) - 1] = '\0';
	n = snprintf(buf, cap, "E=%u R=%d C=%s V=%u M=%s", (unsigned)f->error, f->retry ? 1 : 0,
		     hex, (unsigned)f->version, f->message);
	if (n < 0)
		return PROTO_E(INVAL);
	if ((size_t)n >= cap)
		return PROTO_E(NOSPACE);
	return n;
}

/* Decimal value of [p, end) up to a space; -1 if empty, not digits or too big. */
static long long parse_decimal(const uint8_t *p, const uint8_t *end)
{
	long long v = 0;
	const uint8_t *start = p;

	while (p < end && *p != ' ') {
		if (*p < '0' || *p > '9' || v > 0xFFFFFFFFLL / 10)
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	return p == start || v > 0xFFFFFFFFLL ? -1 : v;
}

int mschapv2_failure_parse(const uint8_t *msg, size_t len, struct mschapv2_failure *f)
{
	const uint8_t *p = msg, *end = msg + len;
	bool have_error = false;

	memset(f, 0, sizeof(*f));
	while (p < end) {
		const uint8_t *tok = p;
		long long v;

		if (end - p < 2 || p[1] != '=')
			return PROTO_E(MSCHAPV2_BAD_MESSAGE);
		p += 2;
		switch (tok[0]) {
		case 'M': { /* the message runs to the end */
			size_t n = (size_t)(end - p);
			if (n >= sizeof(f->message))
				n = sizeof(f->message) - 1;
			memcpy(f->message, p, n);
			f->message[n] = '\0';
			p = end;
			continue;
		}
		case 'C':
			if (end - p < 2 * MSCHAPV2_CHALLENGE_LEN ||
			    hex_decode(f->challenge, p, MSCHAPV2_CHALLENGE_LEN) != 0)
				return PROTO_E(MSCHAPV2_BAD_MESSAGE);
			p += 2 * MSCHAPV2_CHALLENGE_LEN;
			break;
		case 'E':
		case 'R':
		case 'V':
			v = parse_decimal(p, end);
			if (v < 0)
				return PROTO_E(MSCHAPV2_BAD_MESSAGE);
			if (tok[0] == 'E') {
				f->error = (uint32_t)v;
				have_error = true;
			} else if (tok[0] == 'R') {
				f->retry = v != 0;
			} else {
				f->version = (uint32_t)v;
			}
			while (p < end && *p != ' ')
				p++;
			break;
		default:
			return PROTO_E(MSCHAPV2_BAD_MESSAGE);
		}
		if (p < end) {
			if (*p != ' ')
				return PROTO_E(MSCHAPV2_BAD_MESSAGE);
			p++;
		}
	}
	return have_error ? PROTO_OK : PROTO_E(MSCHAPV2_BAD_MESSAGE);
}
