/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MPPE, Microsoft Point-to-Point Encryption (RFC 3078, keys per RFC 3079):
 * the cipher state of one direction of one session, for the data plane's
 * workers. No DPDK, no allocation, no locks: one owner calls these.
 *
 * An encrypted datagram is PPP protocol 0x00FD carrying
 *
 *    0                   1
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |A|B|C|D|    Coherency Count    |  then RC4(the PPP protocol field and
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+       the information field)
 *
 * A (flushed): RC4 restarted with a new key before this packet; B: MPPC
 * only, sent clear, ignored; C: MPPC-compressed (refused); D: encrypted
 * (required). The 12-bit coherency count goes up by one per packet.
 *
 * Stateless ("historyless"): a new key (and A) on every packet; a receiver
 * that missed packets re-keys once per missing count. Stateful: RC4 runs on
 * across packets; the key changes on the "flag" packets (count & 0xFF ==
 * 0xFF) and after a CCP Reset-Request, both with A set; a receiver that
 * lost a packet cannot decrypt until the next flushed one.
 * docs/mppe.md has the design, the reordering rules and the costs.
 */
#ifndef DPPTP_MPPE_H
#define DPPTP_MPPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MPPE_HDR_LEN 2     /* A B C D bits + 12-bit coherency count */
#define MPPE_PROTO 0x00FD  /* PPP protocol of compressed/encrypted datagrams */
#define MPPE_OVERHEAD 4    /* what MPPE adds to a frame: protocol 0x00FD and the header */

#define MPPE_BIT_A 0x80    /* flushed */
#define MPPE_BIT_B 0x40    /* MPPC: packet at the front of the history */
#define MPPE_BIT_C 0x20    /* MPPC: compressed */
#define MPPE_BIT_D 0x10    /* encrypted */
#define MPPE_CCOUNT_MASK 0x0FFF
#define MPPE_MAX_JUMP 0xF00 /* larger forward distances are reordering, not loss */
#define MPPE_RING 8        /* stateless receiver: keys kept for late packets */
#define MPPE_KEY_MAX 16

enum mppe_status {
	MPPE_OK = 0,
	MPPE_ERR_FORMAT = -1, /* D bit clear, C set, stateless without A, or empty */
	MPPE_ERR_LATE = -2,   /* its key is spent: a duplicate (of the newest, or in the ring) */
	MPPE_ERR_JUMP = -3,   /* forward jump > 0xF00, i.e. behind and beyond the key ring:
			       * reordering, not loss */
	MPPE_ERR_RESYNC = -4, /* stateful: sync lost; drop until a flushed packet; the caller
			       * sends CCP Reset-Request */
};

/* What the data plane exports; only ever incremented. */
struct mppe_counters {
	uint64_t rekeys;     /* key changes (RFC 3078 section 7.3), forward jumps included */
	uint64_t reordered;  /* stateless: decrypted late with a key from the ring */
	uint64_t lost;       /* counts skipped by a forward jump (lost, or late: see reordered) */
	uint64_t format;     /* MPPE_ERR_FORMAT */
	uint64_t late;       /* MPPE_ERR_LATE */
	uint64_t jump;       /* MPPE_ERR_JUMP */
	uint64_t resync;     /* MPPE_ERR_RESYNC: dropped while out of sync */
	uint64_t sync_lost;  /* stateful receiver: times it lost sync */
	uint64_t flushes;    /* sender: packets flushed on request; receiver: resynchronisations */
};

/* A stateful RC4 state between packets, in the compact form whatever the
 * crypto library's own is. */
struct mppe_rc4 {
	uint8_t s[256];
	uint8_t i;
	uint8_t j;
};

/*
 * One direction: 376 bytes on x86-64 (8-byte aligned), no pointers: embed
 * it, copy it, zero it. The fields are readable (counters, tests); only the
 * functions below write them.
 */
struct mppe_dir {
	uint16_t ccount;     /* sender: last count sent; receiver: newest count keyed
			      * (stateless) or seen (stateful) */
	uint8_t keylen;      /* 8 (40/56-bit) or 16 */
	uint8_t bits;        /* 40, 56 or 128 */
	uint8_t stateless;
	uint8_t flush;       /* sender: the next packet re-keys and carries A */
	uint8_t discard;     /* stateful receiver: out of sync, waiting for A */
	uint8_t ring_unused; /* stateless receiver: bit n: ring[n] not used yet */
	uint8_t start_key[MPPE_KEY_MAX];
	uint8_t key[MPPE_KEY_MAX]; /* the current session key */
	struct mppe_counters ctr;  /* beside the keys: written on every stateless packet */
	union {
		/* stateless receiver: the keys of counts ccount - 7 .. ccount, at count % 8 */
		uint8_t ring[MPPE_RING][MPPE_KEY_MAX];
		struct mppe_rc4 rc4; /* stateful */
	};
};

/*
 * Start a direction with its start key (MasterSendKey or MasterReceiveKey,
 * RFC 3079 section 3; 40- and 56-bit use the first 8 bytes). `bits` is 40,
 * 56 or 128; any other value is taken as 128.
 */
void mppe_dir_init(struct mppe_dir *d, const uint8_t start_key[16], unsigned bits,
		   bool stateless);

/* Forget the keys (session end). */
void mppe_dir_wipe(struct mppe_dir *d);

/*
 * Encrypt in place the `len` bytes at `data` (the PPP protocol field, 2
 * bytes, then the information field); write the 2-byte MPPE header to `hdr`.
 */
void mppe_encrypt(struct mppe_dir *d, uint8_t hdr[MPPE_HDR_LEN], uint8_t *data, size_t len);

/*
 * Decrypt in place; MPPE_OK or a negative mppe_status. Never reads outside
 * [data, data+len). A packet refused by the header checks costs no crypto
 * and leaves `data` and the state untouched (but for a counter). The result
 * is what the peer encrypted: its protocol field may be one byte if it
 * negotiated protocol-field compression.
 */
int mppe_decrypt(struct mppe_dir *d, const uint8_t hdr[MPPE_HDR_LEN], uint8_t *data,
		 size_t len);

/*
 * Stateful sender: the peer sent CCP Reset-Request: the next packet re-keys
 * and carries the flushed bit (A). Nothing to do in stateless mode, where
 * every packet is flushed.
 */
void mppe_request_flush(struct mppe_dir *d);

/* The coherency count of a header. */
static inline unsigned int mppe_hdr_ccount(const uint8_t hdr[MPPE_HDR_LEN])
{
	return (unsigned int)(hdr[0] & 0x0F) << 8 | hdr[1];
}

#endif /* DPPTP_MPPE_H */
