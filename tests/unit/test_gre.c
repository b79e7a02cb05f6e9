/* SPDX-License-Identifier: BSD-3-Clause */
/* Enhanced GRE header (RFC 2637 4.1): every flag combination PPTP allows, the
 * ack-only packet, every truncation and each malformation's specific error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/gre.h"

/* Bytes pptp-linux sent (tests/data/pptp-linux-client-stop.pcap, frames 13
 * and 15): LCP Configure-Ack with seq 2 ack 1, then an ack-only packet. */
static const uint8_t data_seq_ack[] = {
	0x30, 0x81, 0x88, 0x0b, 0x00, 0x12, 0x43, 0x21, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x01, 0xff, 0x03, 0xc0, 0x21, 0x02, 0x01, 0x00, 0x0e,
	0x01, 0x04, 0x05, 0x78, 0x05, 0x06, 0x01, 0x02, 0x03, 0x04,
};
static const uint8_t ack_only[] = {
	0x20, 0x81, 0x88, 0x0b, 0x00, 0x00, 0x43, 0x21, 0x00, 0x00, 0x00, 0x02,
};

static void test_seq_and_ack(void **state)
{
	struct gre_pptp g = { 0 };
	(void)state;
	assert_int_equal(gre_pptp_parse(data_seq_ack, sizeof(data_seq_ack), &g), PROTO_OK);
	assert_true(g.has_seq);
	assert_true(g.has_ack);
	assert_int_equal(g.hdr_len, 16);
	assert_int_equal(g.payload_len, 18);
	assert_int_equal(g.call_id, 0x4321);
	assert_int_equal(g.seq, 2);
	assert_int_equal(g.ack, 1);
}

static void test_ack_only_offset(void **state)
{
	struct gre_pptp g = { 0 };
	(void)state;
	/* In an ack-only packet the ack sits right after the call ID. */
	assert_int_equal(gre_pptp_parse(ack_only, sizeof(ack_only), &g), PROTO_OK);
	assert_false(g.has_seq);
	assert_true(g.has_ack);
	assert_int_equal(g.hdr_len, 12);
	assert_int_equal(g.payload_len, 0);
	assert_int_equal(g.ack, 2);
}

static void test_seq_only(void **state)
{
	uint8_t pkt[8 + 4 + 3];
	struct gre_pptp g = { 0 };
	(void)state;
	size_t n = gre_pptp_write(pkt, 7, 3, true, 0xFFFFFFFF, false, 0);
	assert_int_equal(n, 12);
	memcpy(pkt + n, "\xff\x03\x21", 3);
	assert_int_equal(gre_pptp_parse(pkt, sizeof(pkt), &g), PROTO_OK);
	assert_int_equal(g.seq, 0xFFFFFFFF);
	assert_false(g.has_ack);
	assert_int_equal(g.payload_len, 3);
}

static void test_build_round_trip(void **state)
{
	(void)state;
	for (int s = 0; s <= 1; s++) {
		for (int a = 0; a <= 1; a++) {
			uint8_t pkt[GRE_PPTP_MAX_LEN + 5] = { 0 };
			struct gre_pptp in = { .call_id = 0xBEEF, .payload_len = s ? 5 : 0,
					       .has_seq = s, .seq = 0x01020304, .has_ack = a,
					       .ack = 0xA0B0C0D0 };
			struct gre_pptp out = { 0 };
			int n = gre_pptp_build(pkt, sizeof(pkt), &in);
			if (!s && !a) {
				assert_int_equal(n, PROTO_E(INVAL));
				continue;
			}
			assert_int_equal(n, (int)gre_pptp_hdr_len(s, a));
			assert_int_equal(gre_pptp_parse(pkt, (size_t)n + in.payload_len, &out),
					 PROTO_OK);
			assert_int_equal(out.call_id, in.call_id);
			assert_int_equal(out.has_seq, s);
			assert_int_equal(out.has_ack, a);
			assert_int_equal(out.seq, s ? in.seq : 0);
			assert_int_equal(out.ack, a ? in.ack : 0);
			assert_int_equal(gre_pptp_build(pkt, (size_t)n - 1, &in), PROTO_E(NOSPACE));
		}
	}
}

static void test_builder_refuses_payload_without_seq(void **state)
{
	uint8_t pkt[16];
	struct gre_pptp in = { .call_id = 1, .payload_len = 4, .has_ack = true };
	(void)state;
	assert_int_equal(gre_pptp_build(pkt, sizeof(pkt), &in), PROTO_E(INVAL));
}

static void test_padding_after_payload_allowed(void **state)
{
	uint8_t pkt[sizeof(ack_only) + 20];
	struct gre_pptp g = { 0 };
	(void)state;
	memcpy(pkt, ack_only, sizeof(ack_only));
	memset(pkt + sizeof(ack_only), 0, 20); /* Ethernet minimum-size padding */
	assert_int_equal(gre_pptp_parse(pkt, sizeof(pkt), &g), PROTO_OK);
	assert_int_equal(g.payload_len, 0);
}

static void test_every_truncation(void **state)
{
	struct gre_pptp g = { 0 };
	(void)state;
	for (size_t cut = 0; cut < sizeof(data_seq_ack); cut++) {
		int rc = gre_pptp_parse(data_seq_ack, cut, &g);
		/* Header cut: TRUNCATED; payload cut: the length field overruns. */
		assert_int_equal(rc, cut < 16 ? PROTO_E(TRUNCATED) : PROTO_E(GRE_PAYLOAD_OVERRUN));
	}
	for (size_t cut = 0; cut < sizeof(ack_only); cut++)
		assert_int_equal(gre_pptp_parse(ack_only, cut, &g), PROTO_E(TRUNCATED));
}

/* Each malformation flips one thing of a good packet. */
static int parse_mutated(size_t off, uint8_t and_mask, uint8_t or_mask)
{
	uint8_t pkt[sizeof(data_seq_ack)];
	struct gre_pptp g = { 0 };
	memcpy(pkt, data_seq_ack, sizeof(pkt));
	pkt[off] = (uint8_t)((pkt[off] & and_mask) | or_mask);
	return gre_pptp_parse(pkt, sizeof(pkt), &g);
}

static void test_malformed(void **state)
{
	(void)state;
	assert_int_equal(parse_mutated(1, 0xF8, 0x00), PROTO_E(GRE_BAD_VERSION)); /* version 0 */
	assert_int_equal(parse_mutated(1, 0xF8, 0x02), PROTO_E(GRE_BAD_VERSION));
	assert_int_equal(parse_mutated(0, 0xFF, 0x80), PROTO_E(GRE_CSUM_PRESENT));
	assert_int_equal(parse_mutated(0, 0xFF, 0x40), PROTO_E(GRE_ROUTING_PRESENT));
	assert_int_equal(parse_mutated(0, 0xDF, 0x00), PROTO_E(GRE_KEY_ABSENT));
	assert_int_equal(parse_mutated(0, 0xFF, 0x08), PROTO_E(GRE_STRICT_ROUTE));
	assert_int_equal(parse_mutated(0, 0xFF, 0x01), PROTO_E(GRE_RECURSION));
	assert_int_equal(parse_mutated(0, 0xFF, 0x04), PROTO_E(GRE_RECURSION));
	assert_int_equal(parse_mutated(1, 0xFF, 0x40), PROTO_E(GRE_FLAGS_SET));
	assert_int_equal(parse_mutated(1, 0xFF, 0x08), PROTO_E(GRE_FLAGS_SET));
	assert_int_equal(parse_mutated(2, 0x00, 0x08), PROTO_E(GRE_BAD_PROTOCOL)); /* 0x080B */
	assert_int_equal(parse_mutated(3, 0x00, 0x00), PROTO_E(GRE_BAD_PROTOCOL));
	/* Payload length one beyond the bytes present. */
	assert_int_equal(parse_mutated(5, 0x00, 0x13), PROTO_E(GRE_PAYLOAD_OVERRUN));
	assert_int_equal(parse_mutated(4, 0x00, 0xFF), PROTO_E(GRE_PAYLOAD_OVERRUN));
	/* A payload without a sequence number (S cleared; the ack moves up). */
	assert_int_equal(parse_mutated(0, 0xEF, 0x00), PROTO_E(GRE_PAYLOAD_WITHOUT_SEQ));
}

static void test_neither_seq_nor_ack(void **state)
{
	uint8_t pkt[8];
	struct gre_pptp g = { 0 };
	(void)state;
	memcpy(pkt, ack_only, 8);
	pkt[1] = 0x01; /* clear A */
	assert_int_equal(gre_pptp_parse(pkt, sizeof(pkt), &g), PROTO_E(GRE_EMPTY));
}

static void test_reject_reason_agrees(void **state)
{
	(void)state;
	/* The slow path never contradicts the fast path on a good header. */
	assert_int_equal(gre_pptp_reject_reason(data_seq_ack, sizeof(data_seq_ack)),
			 PROTO_E(INVAL));
	assert_int_equal(gre_pptp_reject_reason(data_seq_ack, 4), PROTO_E(TRUNCATED));
}

static void test_serial_arithmetic(void **state)
{
	(void)state;
	assert_true(gre_seq_after(2, 1));
	assert_false(gre_seq_after(1, 1));
	assert_false(gre_seq_after(1, 2));
	assert_true(gre_seq_after(0, 0xFFFFFFFF));  /* wrap */
	assert_true(gre_seq_after(5, 0xFFFFFFF0));
	assert_true(gre_seq_before(0xFFFFFFFF, 0));
	assert_true(gre_seq_after(0x7FFFFFFF, 0));
	assert_false(gre_seq_after(0x80000000, 0)); /* half the space away: before */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seq_and_ack),
		cmocka_unit_test(test_ack_only_offset),
		cmocka_unit_test(test_seq_only),
		cmocka_unit_test(test_build_round_trip),
		cmocka_unit_test(test_builder_refuses_payload_without_seq),
		cmocka_unit_test(test_padding_after_payload_allowed),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_neither_seq_nor_ack),
		cmocka_unit_test(test_reject_reason_agrees),
		cmocka_unit_test(test_serial_arithmetic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
