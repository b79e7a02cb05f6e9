/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MPPE keys and the sender: RFC 3079 section 3.5's sample derivations (the
 * initial session keys and the sample encrypted message, from the RFC's
 * SendStartKey), the key change sequence (RFC 3078 section 7.3; no RFC
 * lists it: computed with tests/tools/mppe.py, pycryptodome), the header
 * bits of RFC 3078 section 3, and round trips in both modes at every
 * strength.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mppe/mppe.h"

/* RFC 3079 section 3.5: SendStartKey128 (the 40/56-bit ones are its first 8 bytes). */
static const uint8_t START_KEY[16] = { 0x8B, 0x7C, 0xDC, 0x14, 0x9B, 0x99, 0x3A, 0x1B,
				       0xA1, 0x18, 0xCB, 0x15, 0x3F, 0x56, 0xDC, 0xCB };
static const uint8_t SESSION_KEY_40[8] = { 0xD1, 0x26, 0x9E, 0xC4, 0x9F, 0xA6, 0x2E, 0x3E };
static const uint8_t SESSION_KEY_56[8] = { 0xD1, 0x5C, 0x00, 0xC4, 0x9F, 0xA6, 0x2E, 0x3E };
static const uint8_t SESSION_KEY_128[16] = { 0x40, 0x5C, 0xB2, 0x24, 0x7A, 0x79, 0x56, 0xE6,
					     0xE2, 0x11, 0x00, 0x7A, 0xE2, 0x7B, 0x22, 0xD4 };
/* rc4(SendSessionKey, "test message"). The 56-bit one as computed by both of
 * our implementations; the RFC's printed sample is said to differ in its
 * last byte (docs/mppe.md). */
static const uint8_t TEST_MESSAGE_40[12] = { 0x92, 0x91, 0x37, 0x91, 0x7E, 0x58,
					     0x03, 0xD6, 0x68, 0xD7, 0x58, 0x98 };
static const uint8_t TEST_MESSAGE_56[12] = { 0x3F, 0x10, 0x68, 0x33, 0xFA, 0x44,
					     0x8D, 0xA8, 0x42, 0xBC, 0x57, 0xB8 };
static const uint8_t TEST_MESSAGE_128[12] = { 0x81, 0x84, 0x83, 0x17, 0xDF, 0x68,
					      0x84, 0x62, 0x72, 0xFB, 0x5A, 0xBE };
/* The next three session keys (tests/tools/mppe.py). */
static const uint8_t NEXT_40[3][8] = {
	{ 0xD1, 0x26, 0x9E, 0xCE, 0x4D, 0x98, 0xD1, 0x81 },
	{ 0xD1, 0x26, 0x9E, 0xDE, 0xEF, 0xBD, 0x8A, 0xFF },
	{ 0xD1, 0x26, 0x9E, 0xB1, 0xA7, 0xFC, 0xB2, 0x15 },
};
static const uint8_t NEXT_56[3][8] = {
	{ 0xD1, 0x61, 0x82, 0xA2, 0xAB, 0x48, 0x14, 0x07 },
	{ 0xD1, 0x78, 0xCC, 0x27, 0x4F, 0x63, 0xFA, 0xF1 },
	{ 0xD1, 0x89, 0x48, 0x70, 0xDA, 0xAB, 0x68, 0x4A },
};
static const uint8_t NEXT_128[3][16] = {
	{ 0x72, 0x6F, 0x10, 0x50, 0x0E, 0x2B, 0x54, 0x13,
	  0x5B, 0x1B, 0x74, 0xD7, 0x68, 0x2F, 0x04, 0x71 },
	{ 0x28, 0x05, 0xBC, 0x78, 0x69, 0xBE, 0xC8, 0x25,
	  0x57, 0x3A, 0x78, 0x03, 0xE9, 0x5A, 0x3A, 0xCD },
	{ 0x58, 0x12, 0x8C, 0x36, 0xCA, 0xBD, 0x54, 0x96,
	  0x81, 0x39, 0xFD, 0x94, 0xB5, 0x88, 0x3D, 0x4A },
};

struct strength {
	unsigned int bits;
	const uint8_t *session_key;
	const uint8_t *test_message;
	const uint8_t *next; /* 3 keys */
	size_t keylen;
};

static const struct strength STRENGTHS[] = {
	{ 40, SESSION_KEY_40, TEST_MESSAGE_40, &NEXT_40[0][0], 8 },
	{ 56, SESSION_KEY_56, TEST_MESSAGE_56, &NEXT_56[0][0], 8 },
	{ 128, SESSION_KEY_128, TEST_MESSAGE_128, &NEXT_128[0][0], 16 },
};

static void test_rfc3079_session_keys(void **state)
{
	(void)state;
	for (size_t i = 0; i < 3; i++) {
		const struct strength *s = &STRENGTHS[i];
		struct mppe_dir d;

		mppe_dir_init(&d, START_KEY, s->bits, false);
		assert_int_equal(d.keylen, s->keylen);
		assert_memory_equal(d.key, s->session_key, s->keylen);
	}
}

/* The first stateful packet is RC4 from the initial session key: the RFC's
 * "sample encrypted message", behind a header with count 0 and no A. */
static void test_rfc3079_sample_message(void **state)
{
	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct mppe_dir tx, rx;
		uint8_t msg[12], hdr[MPPE_HDR_LEN];

		memcpy(msg, "test message", 12);
		mppe_dir_init(&tx, START_KEY, STRENGTHS[i].bits, false);
		mppe_encrypt(&tx, hdr, msg, sizeof(msg));
		assert_int_equal(hdr[0], MPPE_BIT_D);
		assert_int_equal(hdr[1], 0);
		assert_memory_equal(msg, STRENGTHS[i].test_message, 12);
		mppe_dir_init(&rx, START_KEY, STRENGTHS[i].bits, false);
		assert_int_equal(mppe_decrypt(&rx, hdr, msg, sizeof(msg)), MPPE_OK);
		assert_memory_equal(msg, "test message", 12);
	}
}

/* A stateless sender changes its key before every packet. */
static void test_key_change_sequence(void **state)
{
	(void)state;
	for (size_t i = 0; i < 3; i++) {
		const struct strength *s = &STRENGTHS[i];
		struct mppe_dir d;
		uint8_t hdr[MPPE_HDR_LEN], byte = 0;

		mppe_dir_init(&d, START_KEY, s->bits, true);
		for (size_t k = 0; k < 3; k++) {
			mppe_encrypt(&d, hdr, &byte, 1);
			assert_memory_equal(d.key, s->next + k * s->keylen, s->keylen);
		}
		assert_int_equal(d.ctr.rekeys, 3);
	}
}

/* Only the key's first 8 bytes matter below 128 bits; unknown strengths are 128. */
static void test_start_key_length(void **state)
{
	uint8_t other[16];
	struct mppe_dir a, b;

	(void)state;
	memcpy(other, START_KEY, 16);
	memset(other + 8, 0x55, 8);
	mppe_dir_init(&a, START_KEY, 40, true);
	mppe_dir_init(&b, other, 40, true);
	assert_memory_equal(a.key, b.key, 8);
	mppe_dir_init(&a, START_KEY, 0, true);
	assert_int_equal(a.bits, 128);
	assert_memory_equal(a.key, SESSION_KEY_128, 16);
}

/* RFC 3078 section 3: A B C D, then the count; D always; A on every
 * stateless packet, and on stateful flag packets and after a flush. */
static void test_header_bits(void **state)
{
	struct mppe_dir sl, sf;
	uint8_t hdr[MPPE_HDR_LEN], buf[4] = { 0x00, 0x21, 0x45, 0x00 };

	(void)state;
	mppe_dir_init(&sl, START_KEY, 128, true);
	mppe_dir_init(&sf, START_KEY, 128, false);
	for (unsigned int n = 0; n < 2 * 4096 + 10; n++) {
		unsigned int cc = n % 4096;

		mppe_encrypt(&sl, hdr, buf, sizeof(buf));
		assert_int_equal(hdr[0], MPPE_BIT_A | MPPE_BIT_D | cc >> 8);
		assert_int_equal(hdr[1], cc & 0xFF);
		assert_int_equal(mppe_hdr_ccount(hdr), cc);
		if (n == 1000 || n == 1001)
			mppe_request_flush(&sf);
		mppe_encrypt(&sf, hdr, buf, sizeof(buf));
		assert_int_equal(mppe_hdr_ccount(hdr), cc);
		if ((cc & 0xFF) == 0xFF || n == 1000 || n == 1001)
			assert_int_equal(hdr[0], MPPE_BIT_A | MPPE_BIT_D | cc >> 8);
		else
			assert_int_equal(hdr[0], MPPE_BIT_D | cc >> 8);
	}
	/* 32 flag packets and two flushes changed the stateful key. */
	assert_int_equal(sf.ctr.rekeys, 32 + 2);
	assert_int_equal(sf.ctr.flushes, 2);
	assert_int_equal(sl.ctr.rekeys, 2 * 4096 + 10);
	mppe_request_flush(&sl);
	assert_int_equal(sl.flush, 0);
}

static uint32_t rng_state = 12345;

static uint32_t rnd(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

/* Many packets of every size through a sender and a receiver. */
static void round_trip(unsigned int bits, bool stateless, unsigned int packets)
{
	struct mppe_dir tx, rx;
	uint8_t start[16], hdr[MPPE_HDR_LEN];

	for (int i = 0; i < 16; i++)
		start[i] = (uint8_t)rnd();
	mppe_dir_init(&tx, start, bits, stateless);
	mppe_dir_init(&rx, start, bits, stateless);
	for (unsigned int n = 0; n < packets; n++) {
		size_t len = 1 + rnd() % 1500;
		uint8_t *clear = malloc(len), *buf = malloc(len);

		assert_non_null(clear);
		assert_non_null(buf);
		for (size_t i = 0; i < len; i++)
			clear[i] = (uint8_t)rnd();
		memcpy(buf, clear, len);
		if (!stateless && n % 700 == 0)
			mppe_request_flush(&tx);
		mppe_encrypt(&tx, hdr, buf, len);
		if (len > 8)
			assert_memory_not_equal(buf, clear, len);
		assert_int_equal(mppe_decrypt(&rx, hdr, buf, len), MPPE_OK);
		assert_memory_equal(buf, clear, len);
		free(clear);
		free(buf);
	}
	assert_int_equal(rx.ctr.rekeys, tx.ctr.rekeys);
	assert_memory_equal(rx.key, tx.key, tx.keylen);
	assert_int_equal(rx.ctr.lost + rx.ctr.late + rx.ctr.jump + rx.ctr.resync, 0);
	mppe_dir_wipe(&tx);
	assert_int_equal(tx.keylen, 0);
}

static void test_round_trips(void **state)
{
	(void)state;
	for (int stateless = 0; stateless < 2; stateless++) {
		round_trip(40, stateless, 5000);
		round_trip(56, stateless, 5000);
		round_trip(128, stateless, 5000);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3079_session_keys),
		cmocka_unit_test(test_rfc3079_sample_message),
		cmocka_unit_test(test_key_change_sequence),
		cmocka_unit_test(test_start_key_length),
		cmocka_unit_test(test_header_bits),
		cmocka_unit_test(test_round_trips),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
