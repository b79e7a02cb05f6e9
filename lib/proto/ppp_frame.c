/* SPDX-License-Identifier: BSD-3-Clause */
#include "ppp_frame.h"

int ppp_frame_build(uint8_t *buf, size_t cap, uint16_t protocol, bool acfc, bool pfc)
{
	/* A protocol number must be odd in its low octet, even in its high one. */
	if (!(protocol & 1) || (protocol & 0x100))
		return PROTO_E(INVAL);
	if (cap < ppp_frame_hdr_len(protocol, acfc, pfc))
		return PROTO_E(NOSPACE);
	return (int)ppp_frame_write(buf, protocol, acfc, pfc);
}

const char *ppp_proto_name(uint16_t protocol)
{
	switch (protocol) {
	case PPP_IP: return "IPv4";
	case PPP_IPV6: return "IPv6";
	case PPP_COMP: return "CompressedDatagram";
	case PPP_IPCP: return "IPCP";
	case PPP_IPV6CP: return "IPV6CP";
	case PPP_CCP: return "CCP";
	case PPP_LCP: return "LCP";
	case PPP_PAP: return "PAP";
	case PPP_LQR: return "LQR";
	case PPP_CHAP: return "CHAP";
	case PPP_EAP: return "EAP";
	}
	return "unknown";
}
