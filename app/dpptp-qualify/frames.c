/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The frames: every class, built from (class, index) alone, so the receiver
 * can rebuild what was sent and compare byte for byte. GRE, PPP, LCP and the
 * PPTP message come from lib/proto's builders.
 */
#include <string.h>

#include "proto/gre.h"
#include "proto/ppp_cp.h"
#include "proto/ppp_frame.h"
#include "proto/pptp_msg.h"
#include "proto/wire.h"
#include "qualify.h"

#define ETH_LEN 14
#define IP4_LEN 20
#define UDP_LEN 8
#define TCP_LEN 20
#define GRE0_LEN 4
#define INNER_LEN 64     /* the inner IPv4 packet of the ordinary data classes */
#define UDP_PAYLOAD 56   /* the UDP control's payload */
#define ODD_MAX_FRAME 1500

const struct qual_class_info qual_classes[QC_COUNT] = {
	[QC_GRE1_SEQ] = { "gre1-seq", "GRE v1 data, S only, PPP FF03 0021 + IPv4", QK_GRE1, true },
	[QC_GRE1_SEQ_ACK] = { "gre1-seq-ack", "GRE v1 data, S and A", QK_GRE1, true },
	[QC_GRE1_ACK_ONLY] = { "gre1-ack-only", "GRE v1 ack only (A, no S, no payload), 60 bytes",
			       QK_GRE1, true },
	[QC_GRE1_LCP] = { "gre1-lcp", "GRE v1 LCP Configure-Request, FF03 C021", QK_GRE1, true },
	[QC_GRE1_ACFC_PFC] = { "gre1-acfc-pfc", "GRE v1 PPP IPv4, ACFC+PFC (protocol 21)",
			       QK_GRE1, true },
	[QC_GRE1_ODD_LEN] = { "gre1-odd-len", "GRE v1 data, frames 78..1500 bytes, 0..7 padding",
			      QK_GRE1, true },
	[QC_GRE1_CALL_IDS] = { "gre1-call-ids", "GRE v1 data, one source, call IDs spread",
			       QK_GRE1, true },
	[QC_GRE1_SOURCES] = { "gre1-sources", "GRE v1 data, 256 sources, one call ID", QK_GRE1,
			      true },
	[QC_GRE0] = { "gre0", "plain GRE (version 0) with IPv4 (comparison)", QK_GRE0, false },
	[QC_UDP] = { "ipv4-udp", "control: IPv4/UDP", QK_CONTROL, true },
	[QC_TCP_1723] = { "tcp-1723", "control: TCP to port 1723, PPTP Echo-Request", QK_CONTROL,
			  true },
};

uint32_t qual_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += wire_get_be16(p + i);
	if (i < len)
		sum += (uint32_t)p[i] << 8;
	return sum;
}

uint16_t qual_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (uint16_t)sum;
}

static uint32_t src_addr(enum qual_class c, uint32_t i)
{
	switch (c) {
	case QC_GRE1_CALL_IDS:
		return QUAL_SRC_BASE + 0x0101; /* 198.18.1.1 */
	case QC_GRE1_SOURCES:
		return QUAL_SRC_BASE + 0x0200 + i % QUAL_NB_SOURCES; /* 198.18.2.0-255 */
	default:
		return QUAL_SRC_BASE + 1 + i % 16; /* 16 "sessions": 198.18.0.1-16 */
	}
}

static uint16_t call_id(enum qual_class c, uint32_t i)
{
	switch (c) {
	case QC_GRE1_CALL_IDS:
		return (uint16_t)(1 + (i * 40499u) % 65535u); /* coprime stride: all 65535 */
	case QC_GRE1_SOURCES:
		return 0x4000;
	default:
		return (uint16_t)(0x4000 + i % 16);
	}
}

/* Odd lengths: UDP payload `p` and trailer `t` so frames span 78..1500. */
static void odd_len(uint32_t i, uint16_t *p, uint16_t *t)
{
	const uint16_t fixed = ETH_LEN + IP4_LEN + 12 + 4 + IP4_LEN + UDP_LEN;
	const uint16_t room = ODD_MAX_FRAME - fixed; /* p + t */

	*t = (uint16_t)((i * 3) % 8);
	if (i < 8)
		*p = (uint16_t)i;
	else if (i == 8)
		*p = room; /* t is 0: the 1500-byte frame */
	else
		*p = (uint16_t)((i * 613u) % (uint32_t)(room + 1 - *t));
}

static void fill_pattern(uint8_t *p, size_t len, uint32_t tag)
{
	for (size_t k = 0; k < len; k++)
		p[k] = (uint8_t)(tag * 31u + k * 7u + (tag >> 24));
}

static void put_ipv4(uint8_t *ip, uint16_t total, uint8_t proto, uint32_t src, uint32_t dst,
		     uint16_t id)
{
	ip[0] = 0x45;
	ip[1] = 0;
	wire_put_be16(ip + 2, total);
	wire_put_be16(ip + 4, id);
	wire_put_be16(ip + 6, 0x4000); /* DF */
	ip[8] = 64;
	ip[9] = proto;
	wire_put_be16(ip + 10, 0);
	wire_put_be32(ip + 12, src);
	wire_put_be32(ip + 16, dst);
	wire_put_be16(ip + 10, (uint16_t)~qual_csum_fold(qual_csum_add(0, ip, IP4_LEN)));
}

/* TCP/UDP checksum over the pseudo-header and `len` bytes at `l4`. */
static uint16_t l4_csum(const uint8_t *ip, const uint8_t *l4, uint16_t len)
{
	uint32_t sum = qual_csum_add(0, ip + 12, 8);
	uint16_t c;

	sum += ip[9];
	sum += len;
	c = (uint16_t)~qual_csum_fold(qual_csum_add(sum, l4, len));
	return c ? c : 0xFFFF;
}

/*
 * UDP header and payload (`plen` bytes, "DPQL" + tag first when there is room).
 * Port 9 (discard) both ways: no Wireshark dissector claims the payload.
 */
static void put_udp(uint8_t *ip, uint16_t sport, uint16_t dport, uint16_t plen, uint32_t tag)
{
	uint8_t *u = ip + IP4_LEN;

	wire_put_be16(u, sport);
	wire_put_be16(u + 2, dport);
	wire_put_be16(u + 4, (uint16_t)(UDP_LEN + plen));
	wire_put_be16(u + 6, 0);
	fill_pattern(u + UDP_LEN, plen, tag);
	if (plen >= 8) {
		wire_put_be32(u + UDP_LEN, QUAL_MARKER);
		wire_put_be32(u + UDP_LEN + 4, tag);
	}
	wire_put_be16(u + 6, l4_csum(ip, u, (uint16_t)(UDP_LEN + plen)));
}

/* An inner IPv4/UDP packet of `len` bytes (at least 28) for the tunnels. */
static void put_inner(uint8_t *p, uint16_t len, uint32_t i, uint32_t tag)
{
	put_ipv4(p, len, 17, QUAL_INNER_SRC + 1 + i % 16, QUAL_INNER_DST, (uint16_t)i);
	put_udp(p, 9, 9, (uint16_t)(len - IP4_LEN - UDP_LEN), tag);
}

static size_t put_eth(const struct qual_net *net, uint8_t *buf)
{
	memcpy(buf, net->dst_mac, 6);
	memcpy(buf + 6, net->src_mac, 6);
	wire_put_be16(buf + 12, 0x0800);
	return ETH_LEN;
}

/* GRE v1 classes: header, then PPP + payload. Returns the IPv4 payload length. */
static size_t build_gre1(enum qual_class c, uint32_t i, uint8_t *l4, size_t cap,
			 struct qual_layout *lay, uint16_t *trailer)
{
	uint32_t tag = qual_tag(c, i);
	bool seq = c != QC_GRE1_ACK_ONLY, ack = c == QC_GRE1_SEQ_ACK || c == QC_GRE1_ACK_ONLY;
	size_t hdr = gre_pptp_hdr_len(seq, ack), ppp_len, info;
	uint8_t *ppp = l4 + hdr;
	uint16_t odd_p = 0, odd_t = 0;

	if (!seq) {
		lay->ppp = 0;
		lay->payload = (uint16_t)(lay->l4 + hdr);
		if (cap < hdr)
			return 0;
		gre_pptp_write(l4, call_id(c, i), 0, false, 0, true, tag);
		return hdr;
	}
	if (c == QC_GRE1_LCP) {
		struct ppp_cp_writer w;
		int n;

		ppp_len = ppp_frame_write(ppp, PPP_LCP, false, false);
		ppp_cp_writer_init(&w, ppp + ppp_len, cap - hdr - ppp_len, PPP_CONF_REQ,
				   (uint8_t)i);
		ppp_cp_put_opt_u16(&w, LCP_OPT_MRU, 1400);
		ppp_cp_put_opt_u32(&w, LCP_OPT_MAGIC, tag);
		n = ppp_cp_writer_finish(&w);
		if (n < 0)
			return 0;
		info = (size_t)n;
	} else {
		bool comp = c == QC_GRE1_ACFC_PFC;

		ppp_len = ppp_frame_write(ppp, PPP_IP, comp, comp);
		info = INNER_LEN;
		if (c == QC_GRE1_ODD_LEN) {
			odd_len(i, &odd_p, &odd_t);
			info = IP4_LEN + UDP_LEN + odd_p;
		}
		if (hdr + ppp_len + info > cap)
			return 0;
		put_inner(ppp + ppp_len, (uint16_t)info, i, tag);
	}
	gre_pptp_write(l4, call_id(c, i), (uint16_t)(ppp_len + info), true, tag, ack, ~tag);
	lay->ppp = (uint16_t)(lay->l4 + hdr);
	lay->payload = (uint16_t)(lay->ppp + ppp_len);
	*trailer = odd_t;
	return hdr + ppp_len + info;
}

static size_t build_tcp(uint32_t i, uint8_t *ip, size_t cap, struct qual_layout *lay)
{
	struct pptp_msg m = { .type = PPTP_ECHORQ, .u.echorq.id = qual_tag(QC_TCP_1723, i) };
	uint8_t *t = ip + IP4_LEN;
	int n;

	if (cap < TCP_LEN)
		return 0;
	n = pptp_ctrl_build(&m, t + TCP_LEN, cap - TCP_LEN);
	if (n < 0)
		return 0;
	wire_put_be16(t, (uint16_t)(40000 + i % 256));
	wire_put_be16(t + 2, PPTP_TCP_PORT);
	wire_put_be32(t + 4, qual_tag(QC_TCP_1723, i));
	wire_put_be32(t + 8, 1);
	t[12] = (TCP_LEN / 4) << 4;
	t[13] = 0x18; /* PSH, ACK */
	wire_put_be16(t + 14, 64240);
	wire_put_be16(t + 16, 0);
	wire_put_be16(t + 18, 0);
	lay->payload = (uint16_t)(lay->l4 + TCP_LEN);
	return TCP_LEN + (size_t)n;
}

size_t qual_frame_build(const struct qual_net *net, enum qual_class c, uint32_t i, uint8_t *buf,
			size_t cap, struct qual_layout *lay)
{
	struct qual_layout dummy;
	uint8_t *ip = buf + ETH_LEN, *l4 = ip + IP4_LEN;
	size_t body, total, len;
	uint16_t extra = 0; /* trailer bytes beyond the minimum padding */
	uint8_t proto;

	if (!lay)
		lay = &dummy;
	memset(lay, 0, sizeof(*lay));
	if ((unsigned int)c >= QC_COUNT || i > 0xFFFFFFu || cap < QUAL_MAX_FRAME)
		return 0;
	memset(buf, 0, QUAL_MAX_FRAME);
	put_eth(net, buf);
	lay->l3 = ETH_LEN;
	lay->l4 = ETH_LEN + IP4_LEN;
	cap = QUAL_MAX_FRAME - ETH_LEN - IP4_LEN;
	switch (qual_classes[c].kind) {
	case QK_GRE1:
		proto = 47;
		body = build_gre1(c, i, l4, cap, lay, &extra);
		break;
	case QK_GRE0:
		proto = 47;
		wire_put_be16(l4, 0);
		wire_put_be16(l4 + 2, 0x0800);
		put_inner(l4 + GRE0_LEN, INNER_LEN, i, qual_tag(c, i));
		lay->payload = (uint16_t)(lay->l4 + GRE0_LEN);
		body = GRE0_LEN + INNER_LEN;
		break;
	default:
		if (c == QC_TCP_1723) {
			proto = 6;
			body = build_tcp(i, ip, cap, lay);
		} else {
			proto = 17;
			body = UDP_LEN + UDP_PAYLOAD;
			lay->payload = (uint16_t)(lay->l4 + UDP_LEN);
		}
		break;
	}
	if (body == 0)
		return 0;
	total = IP4_LEN + body;
	put_ipv4(ip, (uint16_t)total, proto, src_addr(c, i), QUAL_DST_ADDR,
		 (uint16_t)(i + ((uint32_t)c << 12)));
	if (c == QC_UDP)
		put_udp(ip, 9, 9, UDP_PAYLOAD, qual_tag(c, i));
	if (c == QC_TCP_1723)
		wire_put_be16(l4 + 16, l4_csum(ip, l4, (uint16_t)body));
	/* Ethernet padding: to 60 bytes, plus the odd-length class's own trailer. */
	len = ETH_LEN + total + extra;
	if (len < QUAL_MIN_FRAME)
		len = QUAL_MIN_FRAME;
	lay->trailer = (uint16_t)(ETH_LEN + total);
	lay->len = (uint16_t)len;
	return len;
}

const char *qual_layer_name(const struct qual_layout *lay, enum qual_class c, size_t off)
{
	enum qual_kind k = (unsigned int)c < QC_COUNT ? qual_classes[c].kind : QK_CONTROL;

	if (off >= lay->len)
		return "beyond the frame sent";
	if (off < lay->l3)
		return "Ethernet header";
	if (off < lay->l4)
		return "IPv4 header";
	if (off >= lay->trailer)
		return "Ethernet padding";
	if (k == QK_GRE1 || k == QK_GRE0) {
		uint16_t end = lay->ppp ? lay->ppp : lay->payload;
		if (off < end)
			return k == QK_GRE1 ? "GRE v1 header" : "GRE header";
		if (off < lay->payload)
			return "PPP header";
		return c == QC_GRE1_LCP ? "LCP packet" : "inner IPv4 packet";
	}
	if (off < lay->payload)
		return c == QC_TCP_1723 ? "TCP header" : "UDP header";
	return c == QC_TCP_1723 ? "PPTP message" : "UDP payload";
}
