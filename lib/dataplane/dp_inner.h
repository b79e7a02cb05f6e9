/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a router does to the IPv4 packets it forwards, in both directions:
 * header sanity, TTL, and TCP MSS clamping on SYNs (so that TCP never sends
 * segments that do not fit the tunnel). Inline: called once per packet.
 */
#ifndef DPPTP_DP_INNER_H
#define DPPTP_DP_INNER_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <string.h>

/* One's-complement update of a checksum when a 16-bit word changes
 * (RFC 1624 eqn. 3). Byte-order neutral: pass words as they are in memory. */
static inline uint16_t dp_csum_replace16(uint16_t csum, uint16_t old_word, uint16_t new_word)
{
	uint32_t s = (uint16_t)~csum + (uint32_t)(uint16_t)~old_word + new_word;
	s = (s & 0xFFFF) + (s >> 16);
	s = (s & 0xFFFF) + (s >> 16);
	return (uint16_t)~s;
}

/*
 * Validate an IPv4 header of which `avail` bytes are present; returns its
 * total length, or 0 if malformed (version, IHL, total length).
 */
static inline uint16_t dp_ipv4_check(const struct rte_ipv4_hdr *ip, uint32_t avail)
{
	uint16_t total, ihl;

	if (avail < sizeof(*ip))
		return 0;
	if ((ip->version_ihl >> 4) != 4)
		return 0;
	ihl = (uint16_t)((ip->version_ihl & 0x0F) * 4);
	total = rte_be_to_cpu_16(ip->total_length);
	if (ihl < sizeof(*ip) || total < ihl || total > avail)
		return 0;
	return total;
}

/*
 * Whether a 20-byte IPv4 header's checksum adds up. The one's-complement sum
 * of 16-bit words is the plain sum modulo 0xFFFF (2^16 = 1 there), so five
 * 32-bit words summed in 64 bits will do, and byte order does not matter (a
 * byte-swapped word is 256 times the word modulo 0xFFFF, and 256 is
 * invertible). The header adds up when that sum is a non-zero multiple of
 * 0xFFFF; the compiler tests divisibility by a constant with one multiply.
 */
static inline bool dp_ipv4_cksum20_ok(const void *ip)
{
	uint32_t w[5];
	memcpy(w, ip, sizeof(w));
	uint64_t s = (uint64_t)w[0] + w[1] + w[2] + w[3] + w[4];
	return s % 0xFFFF == 0 && s != 0;
}

/* The same for any header length (rte_raw_cksum's generic loop costs ~4x). */
static inline bool dp_ipv4_cksum_ok(const struct rte_ipv4_hdr *ip)
{
	if (likely(ip->version_ihl == RTE_IPV4_VHL_DEF))
		return dp_ipv4_cksum20_ok(ip);
	return rte_raw_cksum(ip, rte_ipv4_hdr_len(ip)) == 0xFFFF;
}

/* TTL minus one with the checksum adjusted (RFC 1624: the TTL is the high
 * octet of its 16-bit word, so the word drops by 0x0100 and the checksum
 * rises by it, end-around carry included). Works on the field as stored. */
static inline void dp_ipv4_dec_ttl(struct rte_ipv4_hdr *ip)
{
	uint32_t c = (uint32_t)ip->hdr_checksum + RTE_BE16(0x0100);
	ip->time_to_live--;
	ip->hdr_checksum = (uint16_t)(c + (c >= 0xFFFF));
}

/*
 * If `ip` (total length `total`, already checked) is a TCP SYN or SYN-ACK
 * whose MSS option exceeds `mss`, lower it and fix the TCP checksum.
 * Returns true when the packet was changed. Options are walked within the
 * TCP header only; anything malformed is left alone.
 */
static inline bool dp_tcp_clamp_mss(struct rte_ipv4_hdr *ip, uint16_t total, uint16_t mss)
{
	uint16_t ihl = (uint16_t)((ip->version_ihl & 0x0F) * 4);
	uint8_t *tcp, *opt, *end;
	uint16_t doff;

	if (ip->next_proto_id != IPPROTO_TCP || mss == 0)
		return false;
	if (ip->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_OFFSET_MASK))
		return false; /* not the first fragment: no TCP header here */
	if (total < ihl + sizeof(struct rte_tcp_hdr))
		return false;
	tcp = (uint8_t *)ip + ihl;
	if (!(tcp[13] & RTE_TCP_SYN_FLAG))
		return false;
	doff = (uint16_t)((tcp[12] >> 4) * 4);
	if (doff < sizeof(struct rte_tcp_hdr) || ihl + doff > total)
		return false;
	opt = tcp + sizeof(struct rte_tcp_hdr);
	end = tcp + doff;
	while (opt < end) {
		uint8_t kind = opt[0], len;
		if (kind == 0) /* end of options */
			break;
		if (kind == 1) { /* no-operation */
			opt++;
			continue;
		}
		if (end - opt < 2)
			break;
		len = opt[1];
		if (len < 2 || len > end - opt)
			break;
		if (kind == 2 && len == 4) {
			uint16_t old_be, new_be = rte_cpu_to_be_16(mss);
			memcpy(&old_be, opt + 2, 2);
			if (rte_be_to_cpu_16(old_be) <= mss)
				return false;
			memcpy(opt + 2, &new_be, 2);
			uint16_t csum;
			memcpy(&csum, tcp + 16, 2);
			csum = dp_csum_replace16(csum, old_be, new_be);
			memcpy(tcp + 16, &csum, 2);
			return true;
		}
		opt += len;
	}
	return false;
}

#endif /* DPPTP_DP_INNER_H */
