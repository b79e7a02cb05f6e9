/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The enhanced GRE header of PPTP (RFC 2637 section 4.1).
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type        |
 *  |    Key (HW) Payload Length    |       Key (LW) Call ID        |
 *  |                Sequence Number (Optional)                     |
 *  |             Acknowledgment Number (Optional)                  |
 *
 * PPTP requires C=R=s=0, K=1, Recur=0, Flags=0, Ver=1, Protocol 0x880B.
 * The acknowledgement, when present, follows the sequence number, or the
 * call ID directly in an ack-only packet (A=1, S=0, no payload).
 *
 * The parser is inline because the data plane calls it for every packet:
 * one 32-bit compare accepts a well-formed header, and only a reject walks
 * the checks one by one to name the exact reason.
 */
#ifndef DPPTP_GRE_H
#define DPPTP_GRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto_err.h"
#include "wire.h"

#define GRE_UNLIKELY(x) __builtin_expect(!!(x), 0)

#define GRE_PROTO_PPP 0x880B
#define GRE_PPTP_VERSION 1
#define GRE_PPTP_BASE_LEN 8
#define GRE_PPTP_MAX_LEN 16

/* Bits of the first 16-bit word (flags and version). */
#define GRE_FLAG_C 0x8000u
#define GRE_FLAG_R 0x4000u
#define GRE_FLAG_K 0x2000u
#define GRE_FLAG_S 0x1000u
#define GRE_FLAG_STRICT 0x0800u
#define GRE_RECUR_MASK 0x0700u
#define GRE_FLAG_A 0x0080u
#define GRE_FLAGS_MASK 0x0078u
#define GRE_VER_MASK 0x0007u

struct gre_pptp {
	uint16_t payload_len; /* bytes of PPP after the header */
	uint16_t call_id;     /* the receiver's call ID */
	uint16_t hdr_len;     /* 8, 12 or 16 */
	bool has_seq;
	bool has_ack;
	uint32_t seq;
	uint32_t ack;
};

/* The exact reason a header failed the fast check (slow path, out of line). */
int gre_pptp_reject_reason(const uint8_t *buf, size_t len);

/*
 * Parse the GRE header at `buf` (`len` bytes available, payload included).
 * Returns PROTO_OK or a PROTO_E() error naming the first fault; bytes after
 * the payload (Ethernet padding) are allowed and ignored. On error, `g` holds
 * the fields decoded before the fault and zeros after it.
 */
static inline int gre_pptp_parse(const uint8_t *buf, size_t len, struct gre_pptp *g)
{
	/* Everything but S and A must match: K=1, version 1, protocol 0x880B. */
	const uint32_t fixed_mask = ~((uint32_t)(GRE_FLAG_S | GRE_FLAG_A) << 16);
	const uint32_t fixed_want = ((uint32_t)(GRE_FLAG_K | GRE_PPTP_VERSION) << 16) | GRE_PROTO_PPP;
	uint32_t w0;
	size_t hdr;

	if (GRE_UNLIKELY(len < GRE_PPTP_BASE_LEN)) {
		*g = (struct gre_pptp){ 0 };
		return PROTO_E(TRUNCATED);
	}
	w0 = wire_get_be32(buf);
	if (GRE_UNLIKELY((w0 & fixed_mask) != fixed_want)) {
		*g = (struct gre_pptp){ 0 };
		return gre_pptp_reject_reason(buf, len);
	}

	g->has_seq = (w0 >> 16) & GRE_FLAG_S;
	g->has_ack = (w0 >> 16) & GRE_FLAG_A;
	g->payload_len = wire_get_be16(buf + 4);
	g->call_id = wire_get_be16(buf + 6);
	hdr = GRE_PPTP_BASE_LEN + (g->has_seq ? 4 : 0) + (g->has_ack ? 4 : 0);
	g->hdr_len = (uint16_t)hdr;
	if (len < hdr)
		return PROTO_E(TRUNCATED);
	g->seq = g->has_seq ? wire_get_be32(buf + 8) : 0;
	g->ack = g->has_ack ? wire_get_be32(buf + hdr - 4) : 0;
	if (g->payload_len > len - hdr)
		return PROTO_E(GRE_PAYLOAD_OVERRUN);
	if (!g->has_seq) {
		if (g->payload_len != 0)
			return PROTO_E(GRE_PAYLOAD_WITHOUT_SEQ);
		if (!g->has_ack)
			return PROTO_E(GRE_EMPTY);
	}
	return PROTO_OK;
}

/* Header length for the given optional fields. */
static inline size_t gre_pptp_hdr_len(bool has_seq, bool has_ack)
{
	return GRE_PPTP_BASE_LEN + (has_seq ? 4 : 0) + (has_ack ? 4 : 0);
}

/*
 * Write a header into `buf` (room for gre_pptp_hdr_len() bytes is the
 * caller's duty: this is the fast path). Returns the header length.
 */
static inline size_t gre_pptp_write(uint8_t *buf, uint16_t call_id, uint16_t payload_len,
				    bool has_seq, uint32_t seq, bool has_ack, uint32_t ack)
{
	uint16_t flags = GRE_FLAG_K | GRE_PPTP_VERSION;
	size_t off = GRE_PPTP_BASE_LEN;

	if (has_seq)
		flags |= GRE_FLAG_S;
	if (has_ack)
		flags |= GRE_FLAG_A;
	wire_put_be16(buf, flags);
	wire_put_be16(buf + 2, GRE_PROTO_PPP);
	wire_put_be16(buf + 4, payload_len);
	wire_put_be16(buf + 6, call_id);
	if (has_seq) {
		wire_put_be32(buf + off, seq);
		off += 4;
	}
	if (has_ack) {
		wire_put_be32(buf + off, ack);
		off += 4;
	}
	return off;
}

/* Checked builder: header only; returns its length or PROTO_E(NOSPACE/INVAL). */
int gre_pptp_build(uint8_t *buf, size_t cap, const struct gre_pptp *g);

/* Serial-number arithmetic on 32-bit sequence numbers (RFC 1982 style). */
static inline bool gre_seq_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

static inline bool gre_seq_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

#endif /* DPPTP_GRE_H */
