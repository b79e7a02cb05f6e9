/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PPP frame header as carried in PPTP's GRE (RFC 1661 section 2, RFC 1662
 * section 3): optional address/control FF 03 (absent when Address-and-Control-
 * Field-Compression was negotiated), then a protocol field of 2 bytes, or 1
 * byte when Protocol-Field-Compression was negotiated.
 *
 * A receiver must accept both forms whatever was negotiated (RFC 1661 6.5,
 * 6.6), so the parser never asks what was negotiated. Protocol values are
 * odd in the low octet and even in the high one; anything else is malformed.
 */
#ifndef DPPTP_PPP_FRAME_H
#define DPPTP_PPP_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto_err.h"
#include "wire.h"

/* PPP protocol numbers we handle or name (IANA PPP DLL protocol numbers). */
#define PPP_IP 0x0021
#define PPP_IPV6 0x0057
#define PPP_COMP 0x00FD   /* compressed datagram: MPPE/MPPC */
#define PPP_IPCP 0x8021
#define PPP_IPV6CP 0x8057
#define PPP_CCP 0x80FD
#define PPP_LCP 0xC021
#define PPP_PAP 0xC023
#define PPP_LQR 0xC025
#define PPP_CHAP 0xC223
#define PPP_EAP 0xC227

#define PPP_ADDRESS 0xFF
#define PPP_CONTROL 0x03

struct ppp_frame {
	uint16_t protocol;
	uint8_t hdr_len;  /* bytes before the information field: 1 to 4 */
	bool has_acf;     /* FF 03 present */
	bool pfc;         /* protocol field was 1 byte */
};

/* Parse the PPP header at the start of `buf`; the information field follows. */
static inline int ppp_frame_parse(const uint8_t *buf, size_t len, struct ppp_frame *f)
{
	size_t off = 0;

	*f = (struct ppp_frame){ 0 };
	if (len < 1)
		return PROTO_E(TRUNCATED);
	if (buf[0] == PPP_ADDRESS) {
		if (len < 2)
			return PROTO_E(TRUNCATED);
		if (buf[1] != PPP_CONTROL)
			return PROTO_E(PPP_BAD_CONTROL);
		f->has_acf = true;
		off = 2;
	}
	if (len < off + 1)
		return PROTO_E(TRUNCATED);
	if (buf[off] & 1) {
		f->protocol = buf[off];
		f->pfc = true;
		f->hdr_len = (uint8_t)(off + 1);
		return PROTO_OK;
	}
	if (len < off + 2)
		return PROTO_E(TRUNCATED);
	f->protocol = wire_get_be16(buf + off);
	f->pfc = false;
	f->hdr_len = (uint8_t)(off + 2);
	if (!(f->protocol & 1))
		return PROTO_E(PPP_BAD_PROTOCOL);
	return PROTO_OK;
}

/*
 * Header length for `protocol` with the given compressions. Protocol-Field-
 * Compression applies only to protocols below 0x100, and never to LCP
 * (RFC 1661 6.5, 6.6: LCP packets always go out uncompressed).
 */
static inline size_t ppp_frame_hdr_len(uint16_t protocol, bool acfc, bool pfc)
{
	if (protocol == PPP_LCP)
		return 4;
	return (acfc ? 0 : 2) + (pfc && protocol < 0x100 ? 1 : 2);
}

/* Write the header (room for ppp_frame_hdr_len() bytes is the caller's duty). */
static inline size_t ppp_frame_write(uint8_t *buf, uint16_t protocol, bool acfc, bool pfc)
{
	size_t off = 0;

	if (protocol == PPP_LCP)
		acfc = pfc = false;
	if (!acfc) {
		buf[0] = PPP_ADDRESS;
		buf[1] = PPP_CONTROL;
		off = 2;
	}
	if (pfc && protocol < 0x100) {
		buf[off] = (uint8_t)protocol;
		return off + 1;
	}
	wire_put_be16(buf + off, protocol);
	return off + 2;
}

/* Checked builder: returns the header length or PROTO_E(NOSPACE/INVAL). */
int ppp_frame_build(uint8_t *buf, size_t cap, uint16_t protocol, bool acfc, bool pfc);

/* A protocol number's name ("LCP", "IPv4", ...); "unknown" when we have none. */
const char *ppp_proto_name(uint16_t protocol);

#endif /* DPPTP_PPP_FRAME_H */
