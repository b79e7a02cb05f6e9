/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The MPPE receiver's rules (docs/mppe.md): what a stateless receiver does
 * with reordered, lost and duplicated packets and with jumps, and how a
 * stateful one loses and regains sync. A refused packet must be left as it
 * was, and a header refused at once must cost no key change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mppe/mppe.h"

#define MAX_PKTS 9000

struct pkt {
	uint8_t hdr[MPPE_HDR_LEN];
	size_t len;
	uint8_t clear[64];
	uint8_t wire[64];
};

static struct pkt pkts[MAX_PKTS];
static const uint8_t KEY[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

/* Encrypt packets [from, to) of the script (pkts[n] has count n % 4096). */
static void send_range(struct mppe_dir *tx, unsigned int from, unsigned int to)
{
	for (unsigned int n = from; n < to; n++) {
		struct pkt *p = &pkts[n];

		p->len = 3 + n % 60;
		for (size_t i = 0; i < p->len; i++)
			p->clear[i] = (uint8_t)(n * 7 + i);
		memcpy(p->wire, p->clear, p->len);
		mppe_encrypt(tx, p->hdr, p->wire, p->len);
		assert_int_equal(mppe_hdr_ccount(p->hdr), n % 4096);
	}
}

/* Deliver packet n in a buffer of exactly its size (ASan watches the edges). */
static int deliver(struct mppe_dir *rx, unsigned int n)
{
	struct pkt *p = &pkts[n];
	uint8_t *buf = malloc(p->len);
	int rc;

	assert_non_null(buf);
	memcpy(buf, p->wire, p->len);
	rc = mppe_decrypt(rx, p->hdr, buf, p->len);
	if (rc == MPPE_OK)
		assert_memory_equal(buf, p->clear, p->len);
	else
		assert_memory_equal(buf, p->wire, p->len); /* untouched */
	free(buf);
	return rc;
}

static void setup_pair(struct mppe_dir *tx, struct mppe_dir *rx, bool stateless,
		       unsigned int packets)
{
	mppe_dir_init(tx, KEY, 128, stateless);
	mppe_dir_init(rx, KEY, 128, stateless);
	send_range(tx, 0, packets);
}

static void test_stateless_reordered_in_ring(void **state)
{
	static const unsigned int order[] = { 0, 1, 3, 2, 5, 4, 9, 6, 7, 8, 17, 10, 16, 11 };
	struct mppe_dir tx, rx;

	(void)state;
	setup_pair(&tx, &rx, true, 20);
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		assert_int_equal(deliver(&rx, order[i]), MPPE_OK);
	assert_int_equal(rx.ctr.reordered, 8);
	assert_int_equal(rx.ctr.lost, 1 + 1 + 3 + 7);
	assert_int_equal(rx.ccount, 17);
	/* One re-key per count, never more: the ring served the late ones. */
	assert_int_equal(rx.ctr.rekeys, 18);
}

static void test_stateless_reordered_beyond_ring(void **state)
{
	struct mppe_dir tx, rx;
	uint64_t rekeys;

	(void)state;
	setup_pair(&tx, &rx, true, 20);
	assert_int_equal(deliver(&rx, 0), MPPE_OK);
	assert_int_equal(deliver(&rx, 9), MPPE_OK);
	rekeys = rx.ctr.rekeys;
	/* 8 behind the newest: out of the ring; 7 behind: still in it. */
	assert_int_equal(deliver(&rx, 1), MPPE_ERR_JUMP);
	assert_int_equal(deliver(&rx, 2), MPPE_OK);
	assert_int_equal(rx.ctr.rekeys, rekeys);
	assert_int_equal(rx.ctr.jump, 1);
	/* The window moves with the newest count. */
	assert_int_equal(deliver(&rx, 10), MPPE_OK);
	assert_int_equal(deliver(&rx, 2), MPPE_ERR_JUMP);
	assert_int_equal(deliver(&rx, 3), MPPE_OK);
}

static void test_stateless_duplicates(void **state)
{
	struct mppe_dir tx, rx;

	(void)state;
	setup_pair(&tx, &rx, true, 10);
	assert_int_equal(deliver(&rx, 0), MPPE_OK);
	assert_int_equal(deliver(&rx, 0), MPPE_ERR_LATE);
	assert_int_equal(deliver(&rx, 1), MPPE_OK);
	assert_int_equal(deliver(&rx, 3), MPPE_OK);
	assert_int_equal(deliver(&rx, 1), MPPE_ERR_LATE);
	assert_int_equal(deliver(&rx, 2), MPPE_OK);
	assert_int_equal(deliver(&rx, 2), MPPE_ERR_LATE);
	assert_int_equal(deliver(&rx, 3), MPPE_ERR_LATE);
	assert_int_equal(rx.ctr.late, 4);
	assert_int_equal(rx.ctr.rekeys, 4);
	/* Count 0 after 1: late but in the ring, once. */
	mppe_dir_init(&rx, KEY, 128, true);
	assert_int_equal(deliver(&rx, 1), MPPE_OK);
	assert_int_equal(deliver(&rx, 0), MPPE_OK);
	assert_int_equal(deliver(&rx, 0), MPPE_ERR_LATE);
}

/* A gap is re-keyed over, one key per count, at most MPPE_MAX_JUMP. */
static void test_stateless_loss_and_jump(void **state)
{
	struct mppe_dir tx, rx;
	uint64_t rekeys;

	(void)state;
	setup_pair(&tx, &rx, true, 2 * MPPE_MAX_JUMP + 10);
	assert_int_equal(deliver(&rx, 0), MPPE_OK);
	assert_int_equal(deliver(&rx, MPPE_MAX_JUMP), MPPE_OK);
	assert_int_equal(rx.ctr.rekeys, 1 + MPPE_MAX_JUMP);
	assert_int_equal(rx.ctr.lost, MPPE_MAX_JUMP - 1);
	/* One more than the bound: reordering, refused at once. */
	rekeys = rx.ctr.rekeys;
	assert_int_equal(deliver(&rx, 2 * MPPE_MAX_JUMP + 1), MPPE_ERR_JUMP);
	assert_int_equal(rx.ctr.rekeys, rekeys);
	assert_int_equal(deliver(&rx, 2 * MPPE_MAX_JUMP), MPPE_OK);
	assert_int_equal(deliver(&rx, 2 * MPPE_MAX_JUMP + 1), MPPE_OK);
}

/* The count wraps at 4096; so does everything that compares counts. */
static void test_stateless_wrap(void **state)
{
	struct mppe_dir tx, rx;

	(void)state;
	setup_pair(&tx, &rx, true, 8300);
	for (unsigned int n = 0; n < 8300; n++) {
		if (n % 97 == 5 || (n >= 4094 && n <= 4095))
			continue; /* lost */
		if (n == 4098 || n == 8193) {
			assert_int_equal(deliver(&rx, n + 1), MPPE_OK);
			assert_int_equal(deliver(&rx, n), MPPE_OK); /* late, across the wrap */
			n++;
			continue;
		}
		assert_int_equal(deliver(&rx, n), MPPE_OK);
	}
	assert_int_equal(rx.ccount, 8299 % 4096);
	assert_int_equal(rx.ctr.rekeys, 8300);
	assert_int_equal(rx.ctr.reordered, 2);
	/* 100 behind, from before the wrap: refused without re-keying. */
	assert_int_equal(deliver(&rx, 8299 - 100), MPPE_ERR_JUMP);
	assert_int_equal(rx.ctr.rekeys, 8300);
}

/* Header checks refuse before any crypto. */
static void test_format(void **state)
{
	struct mppe_dir tx, rx;
	uint8_t buf[8] = { 0 }, hdr[MPPE_HDR_LEN];

	(void)state;
	setup_pair(&tx, &rx, true, 2);
	hdr[0] = MPPE_BIT_A;              /* D clear */
	hdr[1] = 0;
	assert_int_equal(mppe_decrypt(&rx, hdr, buf, sizeof(buf)), MPPE_ERR_FORMAT);
	hdr[0] = MPPE_BIT_A | MPPE_BIT_C | MPPE_BIT_D; /* compressed */
	assert_int_equal(mppe_decrypt(&rx, hdr, buf, sizeof(buf)), MPPE_ERR_FORMAT);
	hdr[0] = MPPE_BIT_D;              /* stateless without A */
	assert_int_equal(mppe_decrypt(&rx, hdr, buf, sizeof(buf)), MPPE_ERR_FORMAT);
	hdr[0] = MPPE_BIT_A | MPPE_BIT_D; /* empty */
	assert_int_equal(mppe_decrypt(&rx, hdr, buf, 0), MPPE_ERR_FORMAT);
	assert_int_equal(rx.ctr.format, 4);
	assert_int_equal(rx.ctr.rekeys, 0);
	assert_int_equal(rx.ccount, MPPE_CCOUNT_MASK);
	/* B is MPPC's business; ignored. */
	pkts[0].hdr[0] |= MPPE_BIT_B;
	assert_int_equal(deliver(&rx, 0), MPPE_OK);
}

/* Stateful: a loss stops decryption until a flushed packet. */
static void test_stateful_loss_resync(void **state)
{
	struct mppe_dir tx, rx;

	(void)state;
	setup_pair(&tx, &rx, false, 5);
	assert_int_equal(deliver(&rx, 0), MPPE_OK);
	assert_int_equal(deliver(&rx, 1), MPPE_OK);
	assert_int_equal(deliver(&rx, 3), MPPE_ERR_RESYNC); /* 2 lost */
	assert_int_equal(rx.discard, 1);
	assert_int_equal(deliver(&rx, 4), MPPE_ERR_RESYNC);
	assert_int_equal(rx.ctr.sync_lost, 1);
	assert_int_equal(rx.ctr.resync, 2);
	/* The caller sent a Reset-Request; the peer flushes. */
	mppe_request_flush(&tx);
	send_range(&tx, 5, 8);
	assert_int_equal(pkts[5].hdr[0] & MPPE_BIT_A, MPPE_BIT_A);
	assert_int_equal(pkts[6].hdr[0] & MPPE_BIT_A, 0);
	assert_int_equal(deliver(&rx, 5), MPPE_OK);
	assert_int_equal(rx.discard, 0);
	assert_int_equal(deliver(&rx, 6), MPPE_OK);
	assert_int_equal(deliver(&rx, 7), MPPE_OK);
	assert_int_equal(rx.ctr.flushes, 1);
	assert_int_equal(tx.ctr.flushes, 1);
}

/* Flag packets lost while out of sync still changed the key; a long
 * outage (more than MPPE_MAX_JUMP packets) is followed count by count. */
static void test_stateful_loss_across_flags(void **state)
{
	struct mppe_dir tx, rx;

	(void)state;
	setup_pair(&tx, &rx, false, 6000);
	for (unsigned int n = 0; n < 250; n++)
		assert_int_equal(deliver(&rx, n), MPPE_OK);
	assert_int_equal(deliver(&rx, 270), MPPE_ERR_RESYNC);
	for (unsigned int n = 300; n < 5000; n += 100)
		assert_int_equal(deliver(&rx, n), MPPE_ERR_RESYNC);
	mppe_request_flush(&tx);
	send_range(&tx, 6000, 6003);
	assert_int_equal(deliver(&rx, 6000), MPPE_OK);
	assert_int_equal(deliver(&rx, 6001), MPPE_OK);
	assert_int_equal(rx.ctr.sync_lost, 1);
	/* A gap ending on a flushed packet (here a flag packet) resyncs by itself. */
	mppe_dir_init(&rx, KEY, 128, false);
	for (unsigned int n = 0; n < 250; n++)
		assert_int_equal(deliver(&rx, n), MPPE_OK);
	assert_int_equal(deliver(&rx, 255), MPPE_OK);
	assert_int_equal(deliver(&rx, 256), MPPE_OK);
	assert_int_equal(deliver(&rx, 767), MPPE_OK); /* 511 passed unseen; 767 is a flag */
	assert_int_equal(deliver(&rx, 768), MPPE_OK);
	assert_int_equal(rx.ctr.lost, 5 + 510);
	assert_int_equal(rx.ctr.sync_lost, 0);
}

/* Stateful: behind or repeated is dropped without losing sync; a flag
 * packet without A is malformed. */
static void test_stateful_late_and_format(void **state)
{
	struct mppe_dir tx, rx;

	(void)state;
	setup_pair(&tx, &rx, false, 300);
	assert_int_equal(deliver(&rx, 0), MPPE_OK);
	assert_int_equal(deliver(&rx, 1), MPPE_OK);
	assert_int_equal(deliver(&rx, 2), MPPE_OK);
	assert_int_equal(deliver(&rx, 2), MPPE_ERR_LATE);
	assert_int_equal(deliver(&rx, 1), MPPE_ERR_JUMP);
	assert_int_equal(deliver(&rx, 3), MPPE_OK);
	for (unsigned int n = 4; n < 255; n++)
		assert_int_equal(deliver(&rx, n), MPPE_OK);
	pkts[255].hdr[0] &= (uint8_t)~MPPE_BIT_A;
	assert_int_equal(deliver(&rx, 255), MPPE_ERR_FORMAT);
	assert_int_equal(rx.discard, 0);
	assert_int_equal(rx.ctr.rekeys, 0);
	assert_int_equal(rx.ctr.late + rx.ctr.jump + rx.ctr.format, 3);
}

/* Re-key every 256 packets, on the flag packets, both ends alike. */
static void test_stateful_rekey_every_256(void **state)
{
	struct mppe_dir tx, rx;

	(void)state;
	setup_pair(&tx, &rx, false, 4096 + 600);
	for (unsigned int n = 0; n < 4096 + 600; n++) {
		assert_int_equal(deliver(&rx, n), MPPE_OK);
		assert_int_equal(rx.ctr.rekeys, (n + 1) / 256);
	}
	assert_int_equal(tx.ctr.rekeys, (4096 + 600) / 256);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stateless_reordered_in_ring),
		cmocka_unit_test(test_stateless_reordered_beyond_ring),
		cmocka_unit_test(test_stateless_duplicates),
		cmocka_unit_test(test_stateless_loss_and_jump),
		cmocka_unit_test(test_stateless_wrap),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_stateful_loss_resync),
		cmocka_unit_test(test_stateful_loss_across_flags),
		cmocka_unit_test(test_stateful_late_and_format),
		cmocka_unit_test(test_stateful_rekey_every_256),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
