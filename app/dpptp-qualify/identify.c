/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which frame is this? Find the tag where its class put it. The tag only
 * names the frame; the tally then compares every byte with the frame rebuilt
 * from it, so a frame whose tag survived but whose bytes did not is "mangled",
 * and one whose tag did not survive is "damaged" (and its class shows a loss).
 */
#include "proto/gre.h"
#include "proto/wire.h"
#include "qualify.h"

/* The tag after "DPQL" in the UDP payload of the IPv4 packet at `ip`. */
static bool udp_tag(const uint8_t *ip, size_t len, uint32_t *tag)
{
	size_t ihl;

	if (len < 20 || (ip[0] >> 4) != 4 || ip[9] != 17)
		return false;
	ihl = (size_t)(ip[0] & 15) * 4;
	if (ihl < 20 || len < ihl + 8 + 8)
		return false;
	ip += ihl + 8;
	if (wire_get_be32(ip) != QUAL_MARKER)
		return false;
	*tag = wire_get_be32(ip + 4);
	return true;
}

static bool gre_tag(const uint8_t *g, size_t len, uint32_t *tag)
{
	uint16_t fv;

	if (len < 4)
		return false;
	fv = wire_get_be16(g);
	if ((fv & GRE_VER_MASK) == GRE_PPTP_VERSION) {
		struct gre_pptp h;

		if (gre_pptp_parse(g, len, &h) == PROTO_OK) {
			*tag = h.has_seq ? h.seq : h.ack;
			return true;
		}
		/* A header the parser rejects: the tag may still sit where it was. */
		if (!(fv & (GRE_FLAG_S | GRE_FLAG_A)) || len < 12)
			return false;
		*tag = wire_get_be32(g + 8);
		return true;
	}
	if ((fv & GRE_VER_MASK) == 0) {
		/* RFC 2784/2890: checksum, key and sequence words are optional. */
		size_t hdr = 4 + ((fv & GRE_FLAG_C) ? 4 : 0) + ((fv & GRE_FLAG_K) ? 4 : 0) +
			     ((fv & GRE_FLAG_S) ? 4 : 0);
		return len > hdr && udp_tag(g + hdr, len - hdr, tag);
	}
	return false;
}

static unsigned int class_proto(enum qual_class c)
{
	switch (qual_classes[c].kind) {
	case QK_GRE1:
	case QK_GRE0:
		return 47;
	default:
		return c == QC_TCP_1723 ? 6 : 17;
	}
}

enum qual_id qual_identify(const uint8_t *buf, size_t len, uint32_t count, enum qual_class *c,
			   uint32_t *index)
{
	const uint8_t *ip = buf + 14, *l4;
	size_t ihl, rem, total;
	uint32_t tag = 0;
	bool found = false;

	if (len < 14 + 20 || wire_get_be16(buf + 12) != 0x0800 || (ip[0] >> 4) != 4)
		return QUAL_ID_OTHER;
	if (wire_get_be32(ip + 16) != QUAL_DST_ADDR)
		return QUAL_ID_OTHER;
	/* Addressed to our made-up concentrator: ours, damaged or not. */
	ihl = (size_t)(ip[0] & 15) * 4;
	if (ihl < 20 || len < 14 + ihl)
		return QUAL_ID_DAMAGED;
	l4 = ip + ihl;
	rem = len - 14 - ihl;
	total = wire_get_be16(ip + 2);
	if (total >= ihl && total - ihl < rem)
		rem = total - ihl; /* Ethernet padding is not the packet's */
	switch (ip[9]) {
	case 47:
		found = gre_tag(l4, rem, &tag);
		break;
	case 6:
		if (rem >= 8) {
			tag = wire_get_be32(l4 + 4);
			found = true;
		}
		break;
	case 17:
		found = udp_tag(ip, rem + ihl, &tag);
		break;
	default:
		break;
	}
	if (!found || (tag >> 24) >= QC_COUNT || (tag & 0xFFFFFFu) >= count)
		return QUAL_ID_DAMAGED;
	*c = (enum qual_class)(tag >> 24);
	*index = tag & 0xFFFFFFu;
	if (class_proto(*c) != ip[9])
		return QUAL_ID_DAMAGED;
	return QUAL_ID_OURS;
}
