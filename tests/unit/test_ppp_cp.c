/* SPDX-License-Identifier: BSD-3-Clause */
/* LCP/IPCP/CCP/IPV6CP packets: codes per protocol, minimum bodies, option
 * iteration and its malformations, and the writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/ppp_cp.h"
#include "proto/ppp_frame.h"
#include "proto/proto_err.h"

/* A Windows-like LCP Configure-Request: MRU, ACCM, Magic, PFC, ACFC. */
static const uint8_t windows_lcp[] = {
	0x01, 0x00, 0x00, 0x18,                   /* Configure-Request id 0 len 24 */
	0x01, 0x04, 0x05, 0x78,                   /* MRU 1400 */
	0x02, 0x06, 0x00, 0x00, 0x00, 0x00,       /* ACCM 0 */
	0x05, 0x06, 0x5a, 0x4b, 0x3c, 0x2d,       /* Magic */
	0x07, 0x02,                               /* PFC */
	0x08, 0x02,                               /* ACFC */
};

static void test_parse_options(void **state)
{
	struct ppp_cp_pkt p;
	struct ppp_opt_iter it;
	struct ppp_opt o;
	const uint8_t want_types[] = { 1, 2, 5, 7, 8 };
	size_t n = 0;
	(void)state;

	assert_int_equal(ppp_cp_parse(PPP_LCP, windows_lcp, sizeof(windows_lcp), &p), PROTO_OK);
	assert_int_equal(p.code, PPP_CONF_REQ);
	assert_int_equal(p.id, 0);
	assert_int_equal(p.length, 24);
	assert_int_equal(p.data_len, 20);
	ppp_opt_iter_init(&it, p.data, p.data_len);
	while (ppp_opt_next(&it, &o) == 1) {
		assert_true(n < sizeof(want_types));
		assert_int_equal(o.type, want_types[n]);
		assert_int_equal(ppp_opt_check_size(PPP_LCP, &o), PROTO_OK);
		if (o.type == LCP_OPT_MRU) {
			assert_int_equal(o.val_len, 2);
			assert_int_equal(o.val[0] << 8 | o.val[1], 1400);
		}
		n++;
	}
	assert_int_equal(n, 5);
	assert_int_equal(ppp_opt_next(&it, &o), 0);
}

static void test_option_length_zero_one_and_overrun(void **state)
{
	uint8_t pkt[sizeof(windows_lcp)];
	struct ppp_cp_pkt p;
	(void)state;

	memcpy(pkt, windows_lcp, sizeof(pkt));
	pkt[5] = 0; /* MRU option length 0 */
	assert_int_equal(ppp_cp_parse(PPP_LCP, pkt, sizeof(pkt), &p), PROTO_E(OPT_BAD_LENGTH));
	pkt[5] = 1;
	assert_int_equal(ppp_cp_parse(PPP_LCP, pkt, sizeof(pkt), &p), PROTO_E(OPT_BAD_LENGTH));
	memcpy(pkt, windows_lcp, sizeof(pkt));
	pkt[23] = 3; /* last option (ACFC) runs one byte past the end */
	assert_int_equal(ppp_cp_parse(PPP_LCP, pkt, sizeof(pkt), &p), PROTO_E(OPT_OVERRUN));
	memcpy(pkt, windows_lcp, sizeof(pkt));
	pkt[5] = 200;
	assert_int_equal(ppp_cp_parse(PPP_LCP, pkt, sizeof(pkt), &p), PROTO_E(OPT_OVERRUN));

	/* A lone type octet at the end of the options. */
	const uint8_t lone[] = { 0x01, 0x01, 0x00, 0x09, 0x01, 0x04, 0x05, 0xdc, 0x07 };
	assert_int_equal(ppp_cp_parse(PPP_LCP, lone, sizeof(lone), &p), PROTO_E(TRUNCATED));
}

static void test_iterator_error_is_sticky(void **state)
{
	const uint8_t bad[] = { 0x01, 0x00, 0x05, 0x06 };
	struct ppp_opt_iter it;
	struct ppp_opt o;
	(void)state;
	ppp_opt_iter_init(&it, bad, sizeof(bad));
	assert_int_equal(ppp_opt_next(&it, &o), PROTO_E(OPT_BAD_LENGTH));
	assert_true(ppp_opt_next(&it, &o) < 0);
}

static void test_header_errors(void **state)
{
	uint8_t pkt[sizeof(windows_lcp)];
	struct ppp_cp_pkt p;
	(void)state;

	for (size_t cut = 0; cut < 4; cut++)
		assert_int_equal(ppp_cp_parse(PPP_LCP, windows_lcp, cut, &p), PROTO_E(TRUNCATED));
	/* Cut inside the packet: the Length field overruns what is present. */
	for (size_t cut = 4; cut < sizeof(windows_lcp); cut++)
		assert_int_equal(ppp_cp_parse(PPP_LCP, windows_lcp, cut, &p),
				 PROTO_E(CP_LENGTH_OVERRUN));
	memcpy(pkt, windows_lcp, sizeof(pkt));
	pkt[3] = 3;
	assert_int_equal(ppp_cp_parse(PPP_LCP, pkt, sizeof(pkt), &p), PROTO_E(CP_BAD_LENGTH));
	pkt[2] = 0x01;
	pkt[3] = 0x00;
	assert_int_equal(ppp_cp_parse(PPP_LCP, pkt, sizeof(pkt), &p), PROTO_E(CP_LENGTH_OVERRUN));
	assert_int_equal(ppp_cp_parse(0x0021, pkt, sizeof(pkt), &p), PROTO_E(INVAL));
}

static void test_padding_ignored(void **state)
{
	uint8_t pkt[sizeof(windows_lcp) + 6];
	struct ppp_cp_pkt p;
	(void)state;
	memcpy(pkt, windows_lcp, sizeof(windows_lcp));
	memset(pkt + sizeof(windows_lcp), 0xEE, 6);
	assert_int_equal(ppp_cp_parse(PPP_LCP, pkt, sizeof(pkt), &p), PROTO_OK);
	assert_int_equal(p.data_len, 20);
}

static void test_codes_per_protocol(void **state)
{
	uint8_t pkt[16] = { 0, 1, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct ppp_cp_pkt p;
	(void)state;

	for (unsigned int code = 0; code <= 255; code++) {
		pkt[0] = (uint8_t)code;
		int lcp = ppp_cp_parse(PPP_LCP, pkt, 12, &p);
		int ipcp = ppp_cp_parse(PPP_IPCP, pkt, 12, &p);
		int ccp = ppp_cp_parse(PPP_CCP, pkt, 12, &p);
		int v6 = ppp_cp_parse(PPP_IPV6CP, pkt, 12, &p);
		bool conf = code >= 1 && code <= 4;
		/* Configure-* with 8 zero bytes: option type 0 length 0 -> bad length. */
		int ok = conf ? PROTO_E(OPT_BAD_LENGTH) : PROTO_OK;
		int unknown = PROTO_E(CP_UNKNOWN_CODE);
		assert_int_equal(lcp, code >= 1 && code <= 13 ? ok : unknown);
		assert_int_equal(ipcp, code >= 1 && code <= 7 ? ok : unknown);
		assert_int_equal(v6, code >= 1 && code <= 7 ? ok : unknown);
		assert_int_equal(ccp, (code >= 1 && code <= 7) || code == 14 || code == 15 ? ok
											  : unknown);
	}
	/* An unknown code still reports the header so Code-Reject can be sent. */
	pkt[0] = 42;
	pkt[1] = 0x77;
	assert_int_equal(ppp_cp_parse(PPP_LCP, pkt, 12, &p), PROTO_E(CP_UNKNOWN_CODE));
	assert_int_equal(p.code, 42);
	assert_int_equal(p.id, 0x77);
	assert_int_equal(p.length, 12);
	assert_int_equal(p.data_len, 8);
	assert_string_equal(ppp_cp_code_name(PPP_TIME_REMAINING), "Time-Remaining");
	assert_string_equal(ppp_cp_code_name(0), "unknown");
	assert_string_equal(ppp_cp_code_name(16), "unknown");
}

static void test_short_bodies(void **state)
{
	struct ppp_cp_pkt p;
	(void)state;
	/* Echo-Request with 3 bytes of magic. */
	const uint8_t echo3[] = { 9, 1, 0, 7, 1, 2, 3 };
	assert_int_equal(ppp_cp_parse(PPP_LCP, echo3, sizeof(echo3), &p), PROTO_E(CP_SHORT_BODY));
	/* Protocol-Reject without the whole rejected protocol. */
	const uint8_t prej1[] = { 8, 1, 0, 5, 0x80 };
	assert_int_equal(ppp_cp_parse(PPP_LCP, prej1, sizeof(prej1), &p), PROTO_E(CP_SHORT_BODY));
	/* Code-Reject carrying less than a header. */
	const uint8_t crej[] = { 7, 1, 0, 7, 42, 1, 0 };
	assert_int_equal(ppp_cp_parse(PPP_LCP, crej, sizeof(crej), &p), PROTO_E(CP_SHORT_BODY));
	/* Time-Remaining needs magic and seconds. */
	const uint8_t tr[] = { 13, 1, 0, 11, 0, 0, 0, 0, 0, 0, 1 };
	assert_int_equal(ppp_cp_parse(PPP_LCP, tr, sizeof(tr), &p), PROTO_E(CP_SHORT_BODY));
}

static void test_lcp_special_codes(void **state)
{
	struct ppp_cp_pkt p;
	(void)state;
	const uint8_t echo[] = { 9, 3, 0, 10, 0xde, 0xad, 0xbe, 0xef, 'h', 'i' };
	assert_int_equal(ppp_cp_parse(PPP_LCP, echo, sizeof(echo), &p), PROTO_OK);
	assert_int_equal(p.magic, 0xdeadbeef);
	assert_int_equal(p.rest_len, 2);
	assert_memory_equal(p.rest, "hi", 2);

	/* Windows sends Identification "MSRASV5.20". */
	const uint8_t ident[] = { 12, 2, 0, 18, 0, 0, 0, 0, 'M', 'S', 'R', 'A', 'S', 'V', '5', '.',
				  '2', '0' };
	assert_int_equal(ppp_cp_parse(PPP_LCP, ident, sizeof(ident), &p), PROTO_OK);
	assert_int_equal(p.rest_len, 10);
	assert_memory_equal(p.rest, "MSRASV5.20", 10);

	const uint8_t tr[] = { 13, 4, 0, 12, 1, 2, 3, 4, 0, 0, 0x0e, 0x10 };
	assert_int_equal(ppp_cp_parse(PPP_LCP, tr, sizeof(tr), &p), PROTO_OK);
	assert_int_equal(p.magic, 0x01020304);
	assert_int_equal(p.seconds, 3600);

	const uint8_t prej[] = { 8, 5, 0, 8, 0x80, 0x57, 1, 1 };
	assert_int_equal(ppp_cp_parse(PPP_LCP, prej, sizeof(prej), &p), PROTO_OK);
	assert_int_equal(p.rejected_proto, PPP_IPV6CP);
	assert_int_equal(p.rest_len, 2);

	const uint8_t crej[] = { 7, 6, 0, 8, 42, 1, 0, 4 };
	assert_int_equal(ppp_cp_parse(PPP_LCP, crej, sizeof(crej), &p), PROTO_OK);
	assert_int_equal(p.rest_len, 4);
	assert_int_equal(p.rest[0], 42);

	const uint8_t term[] = { 5, 7, 0, 4 };
	assert_int_equal(ppp_cp_parse(PPP_IPCP, term, sizeof(term), &p), PROTO_OK);
	assert_int_equal(p.data_len, 0);
}

static void test_option_sizes(void **state)
{
	struct ppp_opt o;
	(void)state;
	const uint8_t mru3[] = { LCP_OPT_MRU, 3, 5 };
	o = (struct ppp_opt){ .type = mru3[0], .len = 3, .val = mru3 + 2, .val_len = 1 };
	assert_int_equal(ppp_opt_check_size(PPP_LCP, &o), PROTO_E(OPT_WRONG_SIZE));

	const uint8_t chap4[] = { LCP_OPT_AUTH, 4, 0xc2, 0x23 };
	o = (struct ppp_opt){ .type = LCP_OPT_AUTH, .len = 4, .val = chap4 + 2, .val_len = 2 };
	assert_int_equal(ppp_opt_check_size(PPP_LCP, &o), PROTO_E(OPT_WRONG_SIZE));
	const uint8_t chap5[] = { LCP_OPT_AUTH, 5, 0xc2, 0x23, 0x81 };
	o = (struct ppp_opt){ .type = LCP_OPT_AUTH, .len = 5, .val = chap5 + 2, .val_len = 3 };
	assert_int_equal(ppp_opt_check_size(PPP_LCP, &o), PROTO_OK);
	const uint8_t pap[] = { LCP_OPT_AUTH, 4, 0xc0, 0x23 };
	o = (struct ppp_opt){ .type = LCP_OPT_AUTH, .len = 4, .val = pap + 2, .val_len = 2 };
	assert_int_equal(ppp_opt_check_size(PPP_LCP, &o), PROTO_OK);

	const uint8_t addr5[] = { IPCP_OPT_ADDRESS, 5, 10, 0, 0 };
	o = (struct ppp_opt){ .type = IPCP_OPT_ADDRESS, .len = 5, .val = addr5 + 2, .val_len = 3 };
	assert_int_equal(ppp_opt_check_size(PPP_IPCP, &o), PROTO_E(OPT_WRONG_SIZE));
	o.type = 99; /* unknown: not ours to judge */
	assert_int_equal(ppp_opt_check_size(PPP_IPCP, &o), PROTO_OK);
	const uint8_t mppe[] = { CCP_OPT_MPPE, 6, 0, 0, 0, 0x40 };
	o = (struct ppp_opt){ .type = CCP_OPT_MPPE, .len = 6, .val = mppe + 2, .val_len = 4 };
	assert_int_equal(ppp_opt_check_size(PPP_CCP, &o), PROTO_OK);
	o.len = 4;
	assert_int_equal(ppp_opt_check_size(PPP_CCP, &o), PROTO_E(OPT_WRONG_SIZE));
}

static void test_writer(void **state)
{
	uint8_t buf[64];
	struct ppp_cp_writer w;
	struct ppp_cp_pkt p;
	struct ppp_opt_iter it;
	struct ppp_opt o;
	const uint8_t addr[4] = { 100, 64, 0, 1 };
	(void)state;

	ppp_cp_writer_init(&w, buf, sizeof(buf), PPP_CONF_NAK, 9);
	ppp_cp_put_opt(&w, IPCP_OPT_ADDRESS, addr, sizeof(addr));
	ppp_cp_put_opt_u32(&w, IPCP_OPT_DNS1, 0x08080808);
	int n = ppp_cp_writer_finish(&w);
	assert_int_equal(n, 4 + 6 + 6);
	assert_int_equal(ppp_cp_parse(PPP_IPCP, buf, (size_t)n, &p), PROTO_OK);
	assert_int_equal(p.code, PPP_CONF_NAK);
	assert_int_equal(p.id, 9);
	ppp_opt_iter_init(&it, p.data, p.data_len);
	assert_int_equal(ppp_opt_next(&it, &o), 1);
	assert_int_equal(o.type, IPCP_OPT_ADDRESS);
	assert_memory_equal(o.val, addr, 4);
	assert_int_equal(ppp_opt_next(&it, &o), 1);
	assert_int_equal(o.type, IPCP_OPT_DNS1);
	assert_int_equal(ppp_opt_next(&it, &o), 0);

	/* Out of space: the error sticks and nothing is written past the end. */
	uint8_t small[10];
	memset(small, 0xAA, sizeof(small));
	ppp_cp_writer_init(&w, small, 8, PPP_CONF_REQ, 1);
	ppp_cp_put_opt_u16(&w, LCP_OPT_MRU, 1400);
	ppp_cp_put_opt_u32(&w, LCP_OPT_MAGIC, 1);
	ppp_cp_put_u16(&w, 0);
	assert_int_equal(ppp_cp_writer_finish(&w), PROTO_E(NOSPACE));
	assert_int_equal(small[8], 0xAA);
	assert_int_equal(small[9], 0xAA);

	ppp_cp_writer_init(&w, buf, 3, PPP_TERM_REQ, 1);
	assert_int_equal(ppp_cp_writer_finish(&w), PROTO_E(NOSPACE));

	uint8_t big[300] = { 0 };
	uint8_t out[400];
	ppp_cp_writer_init(&w, out, sizeof(out), PPP_CONF_REQ, 1);
	ppp_cp_put_opt(&w, 1, big, 254);
	assert_int_equal(ppp_cp_writer_finish(&w), PROTO_E(INVAL));

	ppp_cp_writer_init(&w, buf, sizeof(buf), PPP_ECHO_REP, 2);
	ppp_cp_put_u32(&w, 0x11223344);
	ppp_cp_put_bytes(&w, "xy", 2);
	n = ppp_cp_writer_finish(&w);
	assert_int_equal(ppp_cp_parse(PPP_LCP, buf, (size_t)n, &p), PROTO_OK);
	assert_int_equal(p.magic, 0x11223344);
	assert_int_equal(p.rest_len, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_options),
		cmocka_unit_test(test_option_length_zero_one_and_overrun),
		cmocka_unit_test(test_iterator_error_is_sticky),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_padding_ignored),
		cmocka_unit_test(test_codes_per_protocol),
		cmocka_unit_test(test_short_bodies),
		cmocka_unit_test(test_lcp_special_codes),
		cmocka_unit_test(test_option_sizes),
		cmocka_unit_test(test_writer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
