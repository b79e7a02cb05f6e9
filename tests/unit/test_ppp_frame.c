/* SPDX-License-Identifier: BSD-3-Clause */
/* PPP frame header: FF03 present or compressed, protocol of 1 or 2 bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/ppp_frame.h"

static void expect_frame(const uint8_t *buf, size_t len, uint16_t proto, uint8_t hdr_len,
			 bool acf, bool pfc)
{
	struct ppp_frame f = { 0 };
	assert_int_equal(ppp_frame_parse(buf, len, &f), PROTO_OK);
	assert_int_equal(f.protocol, proto);
	assert_int_equal(f.hdr_len, hdr_len);
	assert_int_equal(f.has_acf, acf);
	assert_int_equal(f.pfc, pfc);
}

static void test_four_forms(void **state)
{
	(void)state;
	expect_frame((const uint8_t *)"\xff\x03\x00\x21\x45", 5, PPP_IP, 4, true, false);
	expect_frame((const uint8_t *)"\xff\x03\x21\x45", 4, PPP_IP, 3, true, true);
	expect_frame((const uint8_t *)"\x00\x21\x45", 3, PPP_IP, 2, false, false);
	expect_frame((const uint8_t *)"\x21\x45", 2, PPP_IP, 1, false, true);
	expect_frame((const uint8_t *)"\xc0\x21\x01", 3, PPP_LCP, 2, false, false);
	expect_frame((const uint8_t *)"\xff\x03\x80\xfd", 4, PPP_CCP, 4, true, false);
	/* The header alone, with an empty information field, is a valid frame. */
	expect_frame((const uint8_t *)"\xff\x03\xc0\x21", 4, PPP_LCP, 4, true, false);
}

static void test_bad_control(void **state)
{
	struct ppp_frame f = { 0 };
	(void)state;
	assert_int_equal(ppp_frame_parse((const uint8_t *)"\xff\x13\x00\x21", 4, &f),
			 PROTO_E(PPP_BAD_CONTROL));
	assert_int_equal(ppp_frame_parse((const uint8_t *)"\xff\xff", 2, &f),
			 PROTO_E(PPP_BAD_CONTROL));
}

static void test_bad_protocol(void **state)
{
	struct ppp_frame f = { 0 };
	(void)state;
	/* Low octet even: not a protocol number. */
	assert_int_equal(ppp_frame_parse((const uint8_t *)"\x00\x20", 2, &f),
			 PROTO_E(PPP_BAD_PROTOCOL));
	assert_int_equal(ppp_frame_parse((const uint8_t *)"\xff\x03\xc0\x22", 4, &f),
			 PROTO_E(PPP_BAD_PROTOCOL));
}

static void test_truncations(void **state)
{
	struct ppp_frame f = { 0 };
	(void)state;
	const uint8_t full[] = { 0xff, 0x03, 0xc0, 0x21 };
	for (size_t cut = 0; cut < sizeof(full); cut++)
		assert_int_equal(ppp_frame_parse(full, cut, &f), PROTO_E(TRUNCATED));
	assert_int_equal(ppp_frame_parse((const uint8_t *)"\x80", 1, &f), PROTO_E(TRUNCATED));
}

static void test_build(void **state)
{
	uint8_t buf[4];
	struct ppp_frame f = { 0 };
	(void)state;
	for (int acfc = 0; acfc <= 1; acfc++) {
		for (int pfc = 0; pfc <= 1; pfc++) {
			const uint16_t protos[] = { PPP_IP, PPP_IPCP, PPP_LCP, PPP_CHAP, PPP_COMP };
			for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
				int n = ppp_frame_build(buf, sizeof(buf), protos[i], acfc, pfc);
				assert_int_equal(n, (int)ppp_frame_hdr_len(protos[i], acfc, pfc));
				assert_int_equal(ppp_frame_parse(buf, (size_t)n, &f), PROTO_OK);
				assert_int_equal(f.protocol, protos[i]);
				if (protos[i] == PPP_LCP) {
					/* LCP always goes out with FF03 and 2 bytes. */
					assert_int_equal(n, 4);
				} else {
					assert_int_equal(f.has_acf, !acfc);
					assert_int_equal(f.pfc, pfc && protos[i] < 0x100);
				}
				assert_int_equal(ppp_frame_build(buf, (size_t)n - 1, protos[i], acfc,
								 pfc),
						 PROTO_E(NOSPACE));
			}
		}
	}
	assert_int_equal(ppp_frame_build(buf, sizeof(buf), 0x0020, false, false), PROTO_E(INVAL));
	assert_int_equal(ppp_frame_build(buf, sizeof(buf), 0x0121, false, false), PROTO_E(INVAL));
	assert_string_equal(ppp_proto_name(PPP_LCP), "LCP");
	assert_string_equal(ppp_proto_name(0x1234), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_four_forms),
		cmocka_unit_test(test_bad_control),
		cmocka_unit_test(test_bad_protocol),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_build),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
