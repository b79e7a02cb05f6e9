/* SPDX-License-Identifier: BSD-3-Clause */
#include "ppp_cp.h"

#include <string.h>

#include "ppp_frame.h"
#include "proto_err.h"
#include "wire.h"

bool ppp_cp_code_valid(uint16_t protocol, uint8_t code)
{
	if (code >= PPP_CONF_REQ && code <= PPP_CODE_REJ)
		return protocol == PPP_LCP || protocol == PPP_IPCP || protocol == PPP_CCP ||
		       protocol == PPP_IPV6CP;
	if (code >= PPP_PROTO_REJ && code <= PPP_TIME_REMAINING)
		return protocol == PPP_LCP;
	if (code == PPP_RESET_REQ || code == PPP_RESET_ACK)
		return protocol == PPP_CCP;
	return false;
}

const char *ppp_cp_code_name(uint8_t code)
{
	static const char *const names[] = {
		[PPP_CONF_REQ] = "Configure-Request", [PPP_CONF_ACK] = "Configure-Ack",
		[PPP_CONF_NAK] = "Configure-Nak",     [PPP_CONF_REJ] = "Configure-Reject",
		[PPP_TERM_REQ] = "Terminate-Request", [PPP_TERM_ACK] = "Terminate-Ack",
		[PPP_CODE_REJ] = "Code-Reject",       [PPP_PROTO_REJ] = "Protocol-Reject",
		[PPP_ECHO_REQ] = "Echo-Request",      [PPP_ECHO_REP] = "Echo-Reply",
		[PPP_DISCARD_REQ] = "Discard-Request", [PPP_IDENTIFICATION] = "Identification",
		[PPP_TIME_REMAINING] = "Time-Remaining", [PPP_RESET_REQ] = "Reset-Request",
		[PPP_RESET_ACK] = "Reset-Ack",
	};
	if (code == 0 || code >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[code];
}

/* ---- options ---- */

int ppp_opt_next(struct ppp_opt_iter *it, struct ppp_opt *opt)
{
	uint8_t olen;

	if (it->left == 0)
		return 0;
	if (it->p == NULL)
		return PROTO_E(INVAL); /* an earlier error: stay failed */
	if (it->left < 2) {
		it->p = NULL;
		return PROTO_E(TRUNCATED);
	}
	olen = it->p[1];
	if (olen < 2) {
		it->p = NULL;
		return PROTO_E(OPT_BAD_LENGTH);
	}
	if (olen > it->left) {
		it->p = NULL;
		return PROTO_E(OPT_OVERRUN);
	}
	opt->type = it->p[0];
	opt->len = olen;
	opt->raw = it->p;
	opt->val = it->p + 2;
	opt->val_len = (uint8_t)(olen - 2);
	it->p += olen;
	it->left -= olen;
	return 1;
}

int ppp_opts_validate(const uint8_t *data, size_t len)
{
	struct ppp_opt_iter it;
	struct ppp_opt opt;
	int rc;

	ppp_opt_iter_init(&it, data, len);
	while ((rc = ppp_opt_next(&it, &opt)) > 0)
		;
	return rc;
}

/* Exact size (min == max) or lower bound (max 0) per known option type. */
struct opt_size {
	uint8_t min;
	uint8_t max;
};

static struct opt_size opt_size_for(uint16_t protocol, uint8_t type)
{
	switch (protocol) {
	case PPP_LCP:
		switch (type) {
		case LCP_OPT_MRU: return (struct opt_size){ 4, 4 };
		case LCP_OPT_ACCM: return (struct opt_size){ 6, 6 };
		case LCP_OPT_AUTH: return (struct opt_size){ 4, 0 };
		case LCP_OPT_QUALITY: return (struct opt_size){ 4, 0 };
		case LCP_OPT_MAGIC: return (struct opt_size){ 6, 6 };
		case LCP_OPT_PFC: return (struct opt_size){ 2, 2 };
		case LCP_OPT_ACFC: return (struct opt_size){ 2, 2 };
		case LCP_OPT_CALLBACK: return (struct opt_size){ 3, 0 };
		case LCP_OPT_MRRU: return (struct opt_size){ 4, 4 };
		case LCP_OPT_SSNHF: return (struct opt_size){ 2, 2 };
		case LCP_OPT_ENDPOINT: return (struct opt_size){ 3, 0 };
		}
		break;
	case PPP_IPCP:
		switch (type) {
		case IPCP_OPT_ADDRESSES: return (struct opt_size){ 10, 10 };
		case IPCP_OPT_COMPRESSION: return (struct opt_size){ 4, 0 };
		case IPCP_OPT_ADDRESS:
		case IPCP_OPT_DNS1:
		case IPCP_OPT_NBNS1:
		case IPCP_OPT_DNS2:
		case IPCP_OPT_NBNS2: return (struct opt_size){ 6, 6 };
		}
		break;
	case PPP_CCP:
		if (type == CCP_OPT_MPPE)
			return (struct opt_size){ 6, 6 };
		break;
	case PPP_IPV6CP:
		switch (type) {
		case IPV6CP_OPT_IFACE_ID: return (struct opt_size){ 10, 10 };
		case IPV6CP_OPT_COMPRESSION: return (struct opt_size){ 4, 0 };
		}
		break;
	}
	return (struct opt_size){ 0, 0 };
}

int ppp_opt_check_size(uint16_t protocol, const struct ppp_opt *opt)
{
	struct opt_size s = opt_size_for(protocol, opt->type);

	if (opt->len < s.min || (s.max && opt->len > s.max))
		return PROTO_E(OPT_WRONG_SIZE);
	/* CHAP names its algorithm in one more octet than PAP (RFC 1994 3). */
	if (protocol == PPP_LCP && opt->type == LCP_OPT_AUTH) {
		uint16_t auth = wire_get_be16(opt->val);
		if ((auth == PPP_PAP && opt->len != 4) || (auth == PPP_CHAP && opt->len != 5))
			return PROTO_E(OPT_WRONG_SIZE);
	}
	return PROTO_OK;
}

/* ---- packets ---- */

int ppp_cp_parse(uint16_t protocol, const uint8_t *buf, size_t len, struct ppp_cp_pkt *pkt)
{
	size_t need = 0;

	memset(pkt, 0, sizeof(*pkt));
	pkt->protocol = protocol;
	if (protocol != PPP_LCP && protocol != PPP_IPCP && protocol != PPP_CCP &&
	    protocol != PPP_IPV6CP)
		return PROTO_E(INVAL);
	if (len < PPP_CP_HDR_LEN)
		return PROTO_E(TRUNCATED);
	pkt->code = buf[0];
	pkt->id = buf[1];
	pkt->length = wire_get_be16(buf + 2);
	if (pkt->length < PPP_CP_HDR_LEN)
		return PROTO_E(CP_BAD_LENGTH);
	if (pkt->length > len)
		return PROTO_E(CP_LENGTH_OVERRUN);
	pkt->data = buf + PPP_CP_HDR_LEN;
	pkt->data_len = (uint16_t)(pkt->length - PPP_CP_HDR_LEN);
	pkt->rest = pkt->data;
	pkt->rest_len = pkt->data_len;
	if (!ppp_cp_code_valid(protocol, pkt->code))
		return PROTO_E(CP_UNKNOWN_CODE);

	switch (pkt->code) {
	case PPP_CONF_REQ:
	case PPP_CONF_ACK:
	case PPP_CONF_NAK:
	case PPP_CONF_REJ:
		return ppp_opts_validate(pkt->data, pkt->data_len);
	case PPP_CODE_REJ:
		need = PPP_CP_HDR_LEN; /* at least the rejected packet's header */
		break;
	case PPP_PROTO_REJ:
		need = 2;
		break;
	case PPP_ECHO_REQ:
	case PPP_ECHO_REP:
	case PPP_DISCARD_REQ:
	case PPP_IDENTIFICATION:
		need = 4;
		break;
	case PPP_TIME_REMAINING:
		need = 8;
		break;
	default: /* Terminate-*, Reset-*: free-form data */
		return PROTO_OK;
	}
	if (pkt->data_len < need)
		return PROTO_E(CP_SHORT_BODY);
	if (pkt->code == PPP_PROTO_REJ) {
		pkt->rejected_proto = wire_get_be16(pkt->data);
	} else if (pkt->code != PPP_CODE_REJ) {
		pkt->magic = wire_get_be32(pkt->data);
		if (pkt->code == PPP_TIME_REMAINING)
			pkt->seconds = wire_get_be32(pkt->data + 4);
	}
	if (pkt->code != PPP_CODE_REJ) {
		pkt->rest = pkt->data + need;
		pkt->rest_len = (uint16_t)(pkt->data_len - need);
	}
	return PROTO_OK;
}

/* ---- writer ---- */

static uint8_t *wr_reserve(struct ppp_cp_writer *w, size_t n)
{
	uint8_t *p;

	if (w->err)
		return NULL;
	if (n > w->cap - w->len || w->len + n > 0xFFFF) {
		w->err = PROTO_E(NOSPACE);
		return NULL;
	}
	p = w->buf + w->len;
	w->len += n;
	return p;
}

void ppp_cp_writer_init(struct ppp_cp_writer *w, uint8_t *buf, size_t cap, uint8_t code,
			uint8_t id)
{
	uint8_t *p;

	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->err = 0;
	p = wr_reserve(w, PPP_CP_HDR_LEN);
	if (p) {
		p[0] = code;
		p[1] = id;
		p[2] = p[3] = 0;
	}
}

void ppp_cp_put_bytes(struct ppp_cp_writer *w, const void *data, size_t len)
{
	uint8_t *p = wr_reserve(w, len);
	if (p && len)
		memcpy(p, data, len);
}

void ppp_cp_put_u16(struct ppp_cp_writer *w, uint16_t v)
{
	uint8_t *p = wr_reserve(w, 2);
	if (p)
		wire_put_be16(p, v);
}

void ppp_cp_put_u32(struct ppp_cp_writer *w, uint32_t v)
{
	uint8_t *p = wr_reserve(w, 4);
	if (p)
		wire_put_be32(p, v);
}

void ppp_cp_put_opt(struct ppp_cp_writer *w, uint8_t type, const void *val, size_t val_len)
{
	uint8_t *p;

	if (!w->err && val_len > 253) {
		w->err = PROTO_E(INVAL);
		return;
	}
	p = wr_reserve(w, 2 + val_len);
	if (!p)
		return;
	p[0] = type;
	p[1] = (uint8_t)(2 + val_len);
	if (val_len)
		memcpy(p + 2, val, val_len);
}

void ppp_cp_put_opt_u16(struct ppp_cp_writer *w, uint8_t type, uint16_t v)
{
	uint8_t b[2];
	wire_put_be16(b, v);
	ppp_cp_put_opt(w, type, b, sizeof(b));
}

void ppp_cp_put_opt_u32(struct ppp_cp_writer *w, uint8_t type, uint32_t v)
{
	uint8_t b[4];
	wire_put_be32(b, v);
	ppp_cp_put_opt(w, type, b, sizeof(b));
}

int ppp_cp_writer_finish(struct ppp_cp_writer *w)
{
	if (w->err)
		return w->err;
	wire_put_be16(w->buf + 2, (uint16_t)w->len);
	return (int)w->len;
}
