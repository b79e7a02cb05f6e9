/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unaligned big-endian loads and stores over byte buffers.
 *
 * Packets arrive at any alignment (a GRE header sits 34 bytes into an
 * Ethernet frame), so every access goes through memcpy, which compilers turn
 * into a single load plus bswap/movbe.
 */
#ifndef DPPTP_WIRE_H
#define DPPTP_WIRE_H

#include <stdint.h>
#include <string.h>

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WIRE_BSWAP16(v) __builtin_bswap16(v)
#define WIRE_BSWAP32(v) __builtin_bswap32(v)
#else
#define WIRE_BSWAP16(v) (v)
#define WIRE_BSWAP32(v) (v)
#endif

static inline uint16_t wire_get_be16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
	return WIRE_BSWAP16(v);
}

static inline uint32_t wire_get_be32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return WIRE_BSWAP32(v);
}

static inline void wire_put_be16(uint8_t *p, uint16_t v)
{
	v = WIRE_BSWAP16(v);
	memcpy(p, &v, sizeof(v));
}

static inline void wire_put_be32(uint8_t *p, uint32_t v)
{
	v = WIRE_BSWAP32(v);
	memcpy(p, &v, sizeof(v));
}

#endif /* DPPTP_WIRE_H */
