/* SPDX-License-Identifier: BSD-3-Clause */
#include "fields.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "proto/gre.h"
#include "proto/ppp_auth.h"
#include "proto/ppp_cp.h"
#include "proto/ppp_frame.h"
#include "proto/pptp_msg.h"
#include "proto/wire.h"

#define FIELD_NAME_(name) name,
const char *const field_names[FIELD_COUNT] = { TSHARK_FIELDS(FIELD_NAME_) };
#undef FIELD_NAME_

static int field_index(const char *name)
{
	for (int i = 0; i < FIELD_COUNT; i++)
		if (strcmp(field_names[i], name) == 0)
			return i;
	fprintf(stderr, "fields: no field %s\n", name);
	return -1;
}

__attribute__((format(printf, 3, 4))) static void add(struct field_set *fs, const char *name,
						      const char *fmt, ...)
{
	int i = field_index(name);
	char val[512];
	va_list ap;

	if (i < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	size_t used = strlen(fs->v[i]);
	snprintf(fs->v[i] + used, sizeof(fs->v[i]) - used, "%s%s", used ? "," : "", val);
}

static void add_bytes_str(struct field_set *fs, const char *name, const uint8_t *p, size_t n)
{
	char s[300];
	if (n >= sizeof(s))
		n = sizeof(s) - 1;
	memcpy(s, p, n);
	s[n] = '\0';
	add(fs, name, "%s", s);
}

static void add_hex(struct field_set *fs, const char *name, const uint8_t *p, size_t n)
{
	char s[520];
	size_t k = 0;
	for (size_t i = 0; i < n && k + 3 < sizeof(s); i++)
		k += (size_t)snprintf(s + k, sizeof(s) - k, "%02x", p[i]);
	s[k] = '\0';
	add(fs, name, "%s", s);
}

static void add_ip(struct field_set *fs, const char *name, const uint8_t *p)
{
	add(fs, name, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
}

/* ---- PPTP ---- */

static void decode_pptp(const struct pptp_msg *m, struct field_set *fs)
{
	add(fs, "pptp.length", "%u", m->length);
	add(fs, "pptp.type", "%u", PPTP_MSG_CONTROL);
	add(fs, "pptp.magic_cookie", "0x%08x", PPTP_MAGIC);
	add(fs, "pptp.control_message_type", "%u", m->type);
	switch (m->type) {
	case PPTP_SCCRQ:
	case PPTP_SCCRP: {
		const struct pptp_sccrq *q = &m->u.sccrq;
		const struct pptp_sccrp *r = &m->u.sccrp;
		bool rq = m->type == PPTP_SCCRQ;
		add(fs, "pptp.protocol_version", "%u", rq ? q->version : r->version);
		if (!rq) {
			add(fs, "pptp.control_result", "%u", r->result);
			add(fs, "pptp.error", "%u", r->error);
		}
		add(fs, "pptp.framing_capabilities", "%u", rq ? q->framing_caps : r->framing_caps);
		add(fs, "pptp.bearer_capabilities", "%u", rq ? q->bearer_caps : r->bearer_caps);
		add(fs, "pptp.maximum_channels", "%u", rq ? q->max_channels : r->max_channels);
		add(fs, "pptp.firmware_revision", "%u", rq ? q->firmware_rev : r->firmware_rev);
		add(fs, "pptp.host_name", "%s", rq ? q->host_name : r->host_name);
		add(fs, "pptp.vendor_name", "%s", rq ? q->vendor : r->vendor);
		break;
	}
	case PPTP_STOPCCRQ:
		add(fs, "pptp.reason", "%u", m->u.stopccrq.reason);
		break;
	case PPTP_STOPCCRP:
		add(fs, "pptp.stop_result", "%u", m->u.stopccrp.result);
		add(fs, "pptp.error", "%u", m->u.stopccrp.error);
		break;
	case PPTP_ECHORQ:
		add(fs, "pptp.identifier", "%u", m->u.echorq.id);
		break;
	case PPTP_ECHORP:
		add(fs, "pptp.identifier", "%u", m->u.echorp.id);
		add(fs, "pptp.echo_result", "%u", m->u.echorp.result);
		add(fs, "pptp.error", "%u", m->u.echorp.error);
		break;
	case PPTP_OCRQ: {
		const struct pptp_ocrq *b = &m->u.ocrq;
		add(fs, "pptp.call_id", "%u", b->call_id);
		add(fs, "pptp.call_serial_number", "%u", b->call_serial);
		add(fs, "pptp.minimum_bps", "%u", b->min_bps);
		add(fs, "pptp.maximum_bps", "%u", b->max_bps);
		add(fs, "pptp.bearer_type", "%u", b->bearer_type);
		add(fs, "pptp.framing_type", "%u", b->framing_type);
		add(fs, "pptp.packet_receive_window_size", "%u", b->recv_window);
		add(fs, "pptp.packet_processing_delay", "%u", b->proc_delay);
		add(fs, "pptp.phone_number_length", "%u", b->phone_len);
		add(fs, "pptp.phone_number", "%s", b->phone);
		add(fs, "pptp.subaddress", "%s", b->subaddress);
		break;
	}
	case PPTP_OCRP: {
		const struct pptp_ocrp *b = &m->u.ocrp;
		add(fs, "pptp.call_id", "%u", b->call_id);
		add(fs, "pptp.peer_call_id", "%u", b->peer_call_id);
		add(fs, "pptp.out_result", "%u", b->result);
		add(fs, "pptp.error", "%u", b->error);
		add(fs, "pptp.cause", "%u", b->cause);
		add(fs, "pptp.connect_speed", "%u", b->connect_speed);
		add(fs, "pptp.packet_receive_window_size", "%u", b->recv_window);
		add(fs, "pptp.packet_processing_delay", "%u", b->proc_delay);
		add(fs, "pptp.physical_channel_id", "%u", b->phys_channel_id);
		break;
	}
	case PPTP_ICRQ: {
		const struct pptp_icrq *b = &m->u.icrq;
		add(fs, "pptp.call_id", "%u", b->call_id);
		add(fs, "pptp.call_serial_number", "%u", b->call_serial);
		add(fs, "pptp.bearer_type", "%u", b->bearer_type);
		add(fs, "pptp.physical_channel_id", "%u", b->phys_channel_id);
		add(fs, "pptp.dialed_number_length", "%u", b->dialed_len);
		add(fs, "pptp.dialing_number_length", "%u", b->dialing_len);
		add(fs, "pptp.dialed_number", "%s", b->dialed);
		add(fs, "pptp.dialing_number", "%s", b->dialing);
		add(fs, "pptp.subaddress", "%s", b->subaddress);
		break;
	}
	case PPTP_ICRP: {
		const struct pptp_icrp *b = &m->u.icrp;
		add(fs, "pptp.call_id", "%u", b->call_id);
		add(fs, "pptp.peer_call_id", "%u", b->peer_call_id);
		add(fs, "pptp.in_result", "%u", b->result);
		add(fs, "pptp.error", "%u", b->error);
		add(fs, "pptp.packet_receive_window_size", "%u", b->recv_window);
		add(fs, "pptp.packet_processing_delay", "%u", b->transmit_delay);
		break;
	}
	case PPTP_ICCN: {
		const struct pptp_iccn *b = &m->u.iccn;
		add(fs, "pptp.peer_call_id", "%u", b->peer_call_id);
		add(fs, "pptp.connect_speed", "%u", b->connect_speed);
		add(fs, "pptp.packet_receive_window_size", "%u", b->recv_window);
		add(fs, "pptp.packet_processing_delay", "%u", b->transmit_delay);
		add(fs, "pptp.framing_type", "%u", b->framing_type);
		break;
	}
	case PPTP_CCRQ:
		add(fs, "pptp.call_id", "%u", m->u.ccrq.call_id);
		break;
	case PPTP_CDN:
		add(fs, "pptp.call_id", "%u", m->u.cdn.call_id);
		add(fs, "pptp.disc_result", "%u", m->u.cdn.result);
		add(fs, "pptp.error", "%u", m->u.cdn.error);
		add(fs, "pptp.cause", "%u", m->u.cdn.cause);
		add(fs, "pptp.call_Statistics", "%s", m->u.cdn.call_stats);
		break;
	case PPTP_WEN: {
		const struct pptp_wen *b = &m->u.wen;
		add(fs, "pptp.peer_call_id", "%u", b->peer_call_id);
		add(fs, "pptp.crc_errors", "%u", b->crc_errors);
		add(fs, "pptp.framing_errors", "%u", b->framing_errors);
		add(fs, "pptp.hardware_overruns", "%u", b->hw_overruns);
		add(fs, "pptp.buffer_overruns", "%u", b->buf_overruns);
		add(fs, "pptp.timeout_errors", "%u", b->timeout_errors);
		add(fs, "pptp.alignment_errors", "%u", b->alignment_errors);
		break;
	}
	case PPTP_SLI:
		add(fs, "pptp.peer_call_id", "%u", m->u.sli.peer_call_id);
		add(fs, "pptp.send_accm", "0x%08x", m->u.sli.send_accm);
		add(fs, "pptp.receive_accm", "0x%08x", m->u.sli.recv_accm);
		break;
	}
}

static void decode_tcp_payload(const uint8_t *p, size_t len, struct field_set *fs)
{
	while (len > 0) {
		struct pptp_msg m;
		int n = pptp_ctrl_frame(p, len);
		if (n <= 0) {
			fs->errors++;
			return;
		}
		if (pptp_ctrl_parse(p, (size_t)n, &m) != PROTO_OK) {
			fs->errors++;
			return;
		}
		fs->pptp_types_seen |= 1u << m.type;
		decode_pptp(&m, fs);
		p += n;
		len -= (size_t)n;
	}
}

/* ---- PPP ---- */

static void decode_options(uint16_t proto, const uint8_t *data, size_t len, struct field_set *fs)
{
	struct ppp_opt_iter it;
	struct ppp_opt o;
	const char *pfx = proto == PPP_LCP ? "lcp" : proto == PPP_IPCP ? "ipcp" : "ccp";
	char tname[32], lname[32];
	int rc;

	if (proto != PPP_LCP && proto != PPP_IPCP && proto != PPP_CCP)
		return;
	snprintf(tname, sizeof(tname), "%s.opt.type", pfx);
	snprintf(lname, sizeof(lname), "%s.opt.length", pfx);
	ppp_opt_iter_init(&it, data, len);
	while ((rc = ppp_opt_next(&it, &o)) > 0) {
		add(fs, tname, "%u", o.type);
		add(fs, lname, "%u", o.len);
		if (ppp_opt_check_size(proto, &o) != PROTO_OK)
			continue;
		if (proto == PPP_LCP) {
			switch (o.type) {
			case LCP_OPT_MRU:
				add(fs, "lcp.opt.mru", "%u", wire_get_be16(o.val));
				break;
			case LCP_OPT_ACCM:
				add(fs, "lcp.opt.asyncmap", "0x%08x", wire_get_be32(o.val));
				break;
			case LCP_OPT_AUTH:
				add(fs, "lcp.opt.auth_protocol", "0x%04x", wire_get_be16(o.val));
				if (o.val_len == 3)
					add(fs, "lcp.opt.algorithm", "%u", o.val[2]);
				break;
			case LCP_OPT_MAGIC:
				add(fs, "lcp.opt.magic_number", "0x%08x", wire_get_be32(o.val));
				break;
			}
		} else if (proto == PPP_IPCP) {
			switch (o.type) {
			case IPCP_OPT_ADDRESS:
				add_ip(fs, "ipcp.opt.ip_address", o.val);
				break;
			case IPCP_OPT_DNS1:
				add_ip(fs, "ipcp.opt.pri_dns_address", o.val);
				break;
			case IPCP_OPT_DNS2:
				add_ip(fs, "ipcp.opt.sec_dns_address", o.val);
				break;
			case IPCP_OPT_NBNS1:
				add_ip(fs, "ipcp.opt.pri_nbns_address", o.val);
				break;
			case IPCP_OPT_NBNS2:
				add_ip(fs, "ipcp.opt.sec_nbns_address", o.val);
				break;
			case IPCP_OPT_COMPRESSION:
				add(fs, "ipcp.opt.compress_proto", "0x%04x", wire_get_be16(o.val));
				break;
			}
		} else if (o.type == CCP_OPT_MPPE) {
			add(fs, "ccp.opt.supported_bits", "0x%08x", wire_get_be32(o.val));
		}
	}
	if (rc < 0)
		fs->errors++;
}

static void decode_cp(uint16_t proto, const uint8_t *p, size_t len, struct field_set *fs)
{
	struct ppp_cp_pkt c;
	int rc = ppp_cp_parse(proto, p, len, &c);

	if (rc != PROTO_OK && rc != PROTO_E(CP_UNKNOWN_CODE)) {
		fs->errors++;
		return;
	}
	add(fs, "ppp.code", "%u", c.code);
	add(fs, "ppp.identifier", "%u", c.id);
	add(fs, "ppp.length", "%u", c.length);
	switch (c.code) {
	case PPP_CONF_REQ:
	case PPP_CONF_ACK:
	case PPP_CONF_NAK:
	case PPP_CONF_REJ:
		decode_options(proto, c.data, c.data_len, fs);
		break;
	case PPP_PROTO_REJ:
		add(fs, "lcp.rej_proto", "0x%04x", c.rejected_proto);
		/* tshark dissects the rejected packet when it is a control packet. */
		if (c.rejected_proto == PPP_LCP || c.rejected_proto == PPP_IPCP ||
		    c.rejected_proto == PPP_CCP || c.rejected_proto == PPP_IPV6CP)
			decode_cp(c.rejected_proto, c.rest, c.rest_len, fs);
		break;
	case PPP_ECHO_REQ:
	case PPP_ECHO_REP:
	case PPP_DISCARD_REQ:
	case PPP_IDENTIFICATION:
	case PPP_TIME_REMAINING:
		add(fs, "lcp.magic_number", "0x%08x", c.magic);
		if (c.code == PPP_IDENTIFICATION)
			add_bytes_str(fs, "lcp.message", c.rest, c.rest_len);
		if (c.code == PPP_TIME_REMAINING)
			add(fs, "lcp.secs_remaining", "%u", c.seconds);
		break;
	}
}

static void decode_pap(const uint8_t *p, size_t len, struct field_set *fs)
{
	struct pap_pkt a;
	if (pap_parse(p, len, &a) != PROTO_OK) {
		fs->errors++;
		return;
	}
	add(fs, "pap.code", "%u", a.code);
	add(fs, "pap.identifier", "%u", a.id);
	add(fs, "pap.length", "%u", a.length);
	if (a.code == PAP_AUTH_REQ) {
		add(fs, "pap.peer_id.length", "%u", a.peer_id_len);
		add_bytes_str(fs, "pap.peer_id", a.peer_id, a.peer_id_len);
		add(fs, "pap.password.length", "%u", a.passwd_len);
		add_bytes_str(fs, "pap.password", a.passwd, a.passwd_len);
	} else if (a.length > 4) {
		add(fs, "pap.message.length", "%u", a.msg_len);
		add_bytes_str(fs, "pap.message", a.msg, a.msg_len);
	}
}

static void decode_chap(const uint8_t *p, size_t len, struct field_set *fs)
{
	struct chap_pkt c;
	if (chap_parse(p, len, &c) != PROTO_OK) {
		fs->errors++;
		return;
	}
	add(fs, "chap.code", "%u", c.code);
	add(fs, "chap.identifier", "%u", c.id);
	add(fs, "chap.length", "%u", c.length);
	if (c.code == CHAP_CHALLENGE || c.code == CHAP_RESPONSE) {
		add(fs, "chap.value_size", "%u", c.value_size);
		add_hex(fs, "chap.value", c.value, c.value_size);
		add_bytes_str(fs, "chap.name", c.name, c.name_len);
	} else if (c.msg_len) {
		add_bytes_str(fs, "chap.message", c.msg, c.msg_len);
	}
}

static void decode_gre(const uint8_t *p, size_t len, struct field_set *fs)
{
	struct gre_pptp g;
	struct ppp_frame f;
	uint16_t fv;

	if (gre_pptp_parse(p, len, &g) != PROTO_OK) {
		fs->errors++;
		return;
	}
	fs->gre_packets++;
	fv = wire_get_be16(p);
	add(fs, "gre.flags_and_version", "0x%04x", fv);
	add(fs, "gre.flags.checksum", "%u", !!(fv & GRE_FLAG_C));
	add(fs, "gre.flags.routing", "%u", !!(fv & GRE_FLAG_R));
	add(fs, "gre.flags.key", "%u", !!(fv & GRE_FLAG_K));
	add(fs, "gre.flags.sequence_number", "%u", g.has_seq);
	add(fs, "gre.flags.strict_source_route", "%u", !!(fv & GRE_FLAG_STRICT));
	add(fs, "gre.flags.recursion_control", "%u", (fv & GRE_RECUR_MASK) >> 8);
	add(fs, "gre.flags.ack", "%u", g.has_ack);
	add(fs, "gre.flags.reserved", "%u", (fv & GRE_FLAGS_MASK) >> 3);
	add(fs, "gre.flags.version", "%u", fv & GRE_VER_MASK);
	add(fs, "gre.proto", "0x%04x", GRE_PROTO_PPP);
	add(fs, "gre.key.payload_length", "%u", g.payload_len);
	add(fs, "gre.key.call_id", "%u", g.call_id);
	if (g.has_seq)
		add(fs, "gre.sequence_number", "%u", g.seq);
	if (g.has_ack)
		add(fs, "gre.ack_number", "%u", g.ack);
	if (g.payload_len == 0)
		return;

	p += g.hdr_len;
	len = g.payload_len;
	if (ppp_frame_parse(p, len, &f) != PROTO_OK) {
		fs->errors++;
		return;
	}
	if (f.has_acf) {
		add(fs, "ppp.address", "0x%02x", PPP_ADDRESS);
		add(fs, "ppp.control", "0x%02x", PPP_CONTROL);
	}
	add(fs, "ppp.protocol", "0x%04x", f.protocol);
	p += f.hdr_len;
	len -= f.hdr_len;
	switch (f.protocol) {
	case PPP_LCP:
	case PPP_IPCP:
	case PPP_CCP:
	case PPP_IPV6CP:
		decode_cp(f.protocol, p, len, fs);
		break;
	case PPP_PAP:
		decode_pap(p, len, fs);
		break;
	case PPP_CHAP:
		decode_chap(p, len, fs);
		break;
	}
}

void fields_decode_frame(const uint8_t *frame, size_t len, struct field_set *fs)
{
	size_t ihl, ip_len;
	const uint8_t *ip;

	memset(fs, 0, sizeof(*fs));
	if (len < 14 + 20 || wire_get_be16(frame + 12) != 0x0800)
		return;
	ip = frame + 14;
	ihl = (size_t)(ip[0] & 0x0F) * 4;
	ip_len = wire_get_be16(ip + 2);
	if (ihl < 20 || ip_len < ihl || ip_len > len - 14)
		return;
	fs->ip_src = wire_get_be32(ip + 12);
	if (ip[9] == 47) {
		decode_gre(ip + ihl, ip_len - ihl, fs);
	} else if (ip[9] == 6 && ip_len >= ihl + 20) {
		const uint8_t *tcp = ip + ihl;
		size_t doff = (size_t)(tcp[12] >> 4) * 4;
		uint16_t sport = wire_get_be16(tcp), dport = wire_get_be16(tcp + 2);
		fs->tcp_sport = sport;
		if (doff >= 20 && ihl + doff <= ip_len &&
		    (sport == PPTP_TCP_PORT || dport == PPTP_TCP_PORT))
			decode_tcp_payload(tcp + doff, ip_len - ihl - doff, fs);
	}
}

void fields_format(const struct field_set *fs, char *out, size_t cap)
{
	size_t k = 0;
	out[0] = '\0';
	for (int i = 0; i < FIELD_COUNT && k < cap; i++)
		k += (size_t)snprintf(out + k, cap - k, "%s%s", i ? "|" : "", fs->v[i]);
}
