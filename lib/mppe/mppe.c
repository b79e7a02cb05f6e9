/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MPPE per-direction state: key schedule (RFC 3078 section 7, RFC 3079
 * section 3), encryption, and the receiver's rules for loss, reordering and
 * duplicates (docs/mppe.md). Everything a worker calls per packet is here.
 */
#include "mppe_crypto.h"

#include <string.h>

#include "mppe.h"

#define UNLIKELY(x) __builtin_expect(!!(x), 0)

_Static_assert(MPPE_RING <= 8 && (MPPE_RING & (MPPE_RING - 1)) == 0,
	       "ring_unused has a bit per ring slot");
_Static_assert(MPPE_CCOUNT_MASK + 1 - MPPE_MAX_JUMP > MPPE_RING,
	       "the ring lies within the counts behind the newest");
_Static_assert(sizeof(((struct mppe_dir *)0)->ring) <= sizeof(struct mppe_rc4),
	       "the ring costs no space beside the stateful RC4 state");
_Static_assert(sizeof(struct mppe_dir) <= 6 * 64, "a direction fits in six cache lines");

/* RFC 3079 sections 3.1 and 3.2: the salt of the reduced keys. */
static void reduce(uint8_t *key, unsigned int bits)
{
	if (bits == 40) {
		key[0] = 0xD1;
		key[1] = 0x26;
		key[2] = 0x9E;
	} else if (bits == 56) {
		key[0] = 0xD1;
	}
}

/*
 * RFC 3078 section 7.3: InterimKey = GetNewKeyFromSHA(StartKey, SessionKey);
 * SessionKey = RC4(InterimKey, InterimKey), reduced. One SHA-1 and one RC4
 * key set-up.
 */
static void rekey(struct mppe_dir *d)
{
	uint8_t interim[MPPE_SHA1_LEN];
	mppe_rc4_ctx rc4;

	mppe_sha1_key(d->start_key, d->key, d->keylen, interim);
	mppe_rc4_set_key(&rc4, interim, d->keylen);
	memcpy(d->key, interim, d->keylen);
	mppe_rc4_crypt(&rc4, d->key, d->keylen);
	reduce(d->key, d->bits);
	d->ctr.rekeys++;
}

/* Stateless: RC4 from a fresh key over one packet. */
static void crypt_once(const uint8_t *key, size_t keylen, uint8_t *data, size_t len)
{
	mppe_rc4_ctx rc4;

	mppe_rc4_set_key(&rc4, key, keylen);
	mppe_rc4_crypt(&rc4, data, len);
}

/* Stateful: RC4 runs on from the last packet, or restarts with the key. */
static void crypt_stream(struct mppe_dir *d, bool restart, uint8_t *data, size_t len)
{
	mppe_rc4_ctx rc4;

	if (restart)
		mppe_rc4_set_key(&rc4, d->key, d->keylen);
	else
		mppe_rc4_load(&rc4, &d->rc4);
	mppe_rc4_crypt(&rc4, data, len);
	mppe_rc4_store(&d->rc4, &rc4);
}

void mppe_dir_init(struct mppe_dir *d, const uint8_t start_key[16], unsigned bits,
		   bool stateless)
{
	uint8_t sha[MPPE_SHA1_LEN];

	memset(d, 0, sizeof(*d));
	d->bits = (uint8_t)(bits == 40 || bits == 56 ? bits : 128);
	d->keylen = d->bits == 128 ? 16 : 8;
	d->stateless = stateless;
	d->ccount = MPPE_CCOUNT_MASK; /* so that the first packet is count 0 */
	memcpy(d->start_key, start_key, d->keylen);
	/* RFC 3079 section 3: the initial session key is GetNewKeyFromSHA(StartKey,
	 * StartKey), reduced, without the RC4 step of later changes. */
	mppe_sha1_key(d->start_key, d->start_key, d->keylen, sha);
	memcpy(d->key, sha, d->keylen);
	reduce(d->key, d->bits);
	if (!stateless) {
		mppe_rc4_ctx rc4;

		mppe_rc4_set_key(&rc4, d->key, d->keylen);
		mppe_rc4_store(&d->rc4, &rc4);
	}
}

void mppe_dir_wipe(struct mppe_dir *d)
{
	explicit_bzero(d, sizeof(*d));
}

void mppe_request_flush(struct mppe_dir *d)
{
	if (!d->stateless)
		d->flush = 1;
}

void mppe_encrypt(struct mppe_dir *d, uint8_t hdr[MPPE_HDR_LEN], uint8_t *data, size_t len)
{
	unsigned int cc = (d->ccount + 1u) & MPPE_CCOUNT_MASK;
	uint8_t bits = MPPE_BIT_D;

	d->ccount = (uint16_t)cc;
	if (d->stateless) {
		rekey(d);
		crypt_once(d->key, d->keylen, data, len);
		bits |= MPPE_BIT_A;
	} else {
		/* The "flag" packet, or the first after a Reset-Request. */
		bool flushed = (cc & 0xFF) == 0xFF || d->flush;

		if (flushed) {
			rekey(d);
			bits |= MPPE_BIT_A;
			if (d->flush) {
				d->flush = 0;
				d->ctr.flushes++;
			}
		}
		crypt_stream(d, flushed, data, len);
	}
	hdr[0] = bits | (uint8_t)(cc >> 8);
	hdr[1] = (uint8_t)cc;
}

/*
 * Stateless receiver. ccount is the newest count keyed; ring[] holds the
 * keys of the MPPE_RING newest counts, ring_unused those not used yet.
 * Forward by 1..MPPE_MAX_JUMP: re-key once per count (the missing ones go
 * into the ring, for when they arrive late). Otherwise the packet is behind
 * (or the same): a key still unused in the ring decrypts it; a spent one
 * means a duplicate (LATE); beyond the ring it is JUMP. Never re-keys for a
 * packet behind.
 */
static int decrypt_stateless(struct mppe_dir *d, unsigned int cc, bool flushed, uint8_t *data,
			     size_t len)
{
	unsigned int dist = (cc - d->ccount) & MPPE_CCOUNT_MASK;
	unsigned int slot = cc % MPPE_RING;

	if (UNLIKELY(!flushed)) {
		d->ctr.format++;
		return MPPE_ERR_FORMAT;
	}
	if (dist - 1 < MPPE_MAX_JUMP) {
		d->ctr.lost += dist - 1;
		while (dist--) {
			rekey(d);
			d->ccount = (d->ccount + 1) & MPPE_CCOUNT_MASK;
			if (dist < MPPE_RING) { /* the last MPPE_RING keys only */
				unsigned int s = d->ccount % MPPE_RING;

				memcpy(d->ring[s], d->key, d->keylen);
				d->ring_unused |= (uint8_t)(1u << s);
			}
		}
	} else {
		unsigned int back = (d->ccount - cc) & MPPE_CCOUNT_MASK;

		if (back >= MPPE_RING) {
			d->ctr.jump++;
			return MPPE_ERR_JUMP;
		}
		if (!(d->ring_unused & (1u << slot))) {
			d->ctr.late++;
			return MPPE_ERR_LATE;
		}
		if (back)
			d->ctr.reordered++;
	}
	d->ring_unused &= (uint8_t)~(1u << slot);
	crypt_once(d->ring[slot], d->keylen, data, len);
	return MPPE_OK;
}

/* The flag packets (count & 0xFF == 0xFF) strictly between `from` and
 * `from + dist`: the multiples of 256 in (from + 1, from + dist]. */
static unsigned int flags_between(unsigned int from, unsigned int dist)
{
	return ((from + dist) >> 8) - ((from + 1) >> 8);
}

/*
 * Stateful receiver (RFC 3078 section 8.2). ccount is the newest count
 * seen, decrypted or not. Each flag packet passed changes the key, even
 * when lost: the key follows the count while out of sync, and the first
 * flushed packet (the sender's answer to our Reset-Request, or the next
 * flag packet) resynchronises. A gap seen on a flushed packet needs no
 * Reset-Request at all. Behind or the same: dropped, sync kept.
 */
static int decrypt_stateful(struct mppe_dir *d, unsigned int cc, bool flushed, uint8_t *data,
			    size_t len)
{
	unsigned int dist = (cc - d->ccount) & MPPE_CCOUNT_MASK;
	unsigned int flags;

	if (UNLIKELY(!flushed && (cc & 0xFF) == 0xFF)) {
		d->ctr.format++; /* a flag packet always changes the key */
		return MPPE_ERR_FORMAT;
	}
	if (UNLIKELY(dist == 0)) {
		d->ctr.late++;
		return MPPE_ERR_LATE;
	}
	if (UNLIKELY(dist > MPPE_MAX_JUMP)) {
		d->ctr.jump++;
		return MPPE_ERR_JUMP;
	}
	if (UNLIKELY(dist > 1)) {
		d->ctr.lost += dist - 1;
		if (!flushed && !d->discard) {
			d->discard = 1;
			d->ctr.sync_lost++;
		}
		for (flags = flags_between(d->ccount, dist); flags; flags--)
			rekey(d);
	}
	d->ccount = (uint16_t)cc;
	if (d->discard) {
		if (!flushed) {
			d->ctr.resync++;
			return MPPE_ERR_RESYNC;
		}
		d->discard = 0;
		d->ctr.flushes++;
	}
	if (flushed)
		rekey(d);
	crypt_stream(d, flushed, data, len);
	return MPPE_OK;
}

int mppe_decrypt(struct mppe_dir *d, const uint8_t hdr[MPPE_HDR_LEN], uint8_t *data,
		 size_t len)
{
	unsigned int cc = mppe_hdr_ccount(hdr);
	bool flushed = hdr[0] & MPPE_BIT_A;

	if (UNLIKELY((hdr[0] & (MPPE_BIT_C | MPPE_BIT_D)) != MPPE_BIT_D || len == 0)) {
		d->ctr.format++;
		return MPPE_ERR_FORMAT;
	}
	if (d->stateless)
		return decrypt_stateless(d, cc, flushed, data, len);
	return decrypt_stateful(d, cc, flushed, data, len);
}
