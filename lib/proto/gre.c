/* SPDX-License-Identifier: BSD-3-Clause */
#include "gre.h"

int gre_pptp_reject_reason(const uint8_t *buf, size_t len)
{
	uint16_t fv;

	if (len < GRE_PPTP_BASE_LEN)
		return PROTO_E(TRUNCATED);
	fv = wire_get_be16(buf);
	/* Version first: GRE version 0 is ordinary GRE, a different protocol. */
	if ((fv & GRE_VER_MASK) != GRE_PPTP_VERSION)
		return PROTO_E(GRE_BAD_VERSION);
	if (fv & GRE_FLAG_C)
		return PROTO_E(GRE_CSUM_PRESENT);
	if (fv & GRE_FLAG_R)
		return PROTO_E(GRE_ROUTING_PRESENT);
	if (!(fv & GRE_FLAG_K))
		return PROTO_E(GRE_KEY_ABSENT);
	if (fv & GRE_FLAG_STRICT)
		return PROTO_E(GRE_STRICT_ROUTE);
	if (fv & GRE_RECUR_MASK)
		return PROTO_E(GRE_RECURSION);
	if (fv & GRE_FLAGS_MASK)
		return PROTO_E(GRE_FLAGS_SET);
	if (wire_get_be16(buf + 2) != GRE_PROTO_PPP)
		return PROTO_E(GRE_BAD_PROTOCOL);
	/* Only reachable if the caller's fast check disagrees with this one. */
	return PROTO_E(INVAL);
}

int gre_pptp_build(uint8_t *buf, size_t cap, const struct gre_pptp *g)
{
	size_t need = gre_pptp_hdr_len(g->has_seq, g->has_ack);

	if (!g->has_seq && (g->payload_len != 0 || !g->has_ack))
		return PROTO_E(INVAL);
	if (cap < need)
		return PROTO_E(NOSPACE);
	return (int)gre_pptp_write(buf, g->call_id, g->payload_len, g->has_seq, g->seq,
				   g->has_ack, g->ack);
}
