/* SPDX-License-Identifier: BSD-3-Clause */
/* PAP, CHAP and the MS-CHAPv2 layouts inside CHAP. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/ppp_auth.h"
#include "proto/proto_err.h"

static void test_pap_request(void **state)
{
	uint8_t buf[64];
	struct pap_pkt p;
	(void)state;
	int n = pap_build_request(buf, sizeof(buf), 7, "lab", 3, "lab-secret", 10);
	assert_int_equal(n, 4 + 1 + 3 + 1 + 10);
	assert_int_equal(pap_parse(buf, (size_t)n, &p), PROTO_OK);
	assert_int_equal(p.code, PAP_AUTH_REQ);
	assert_int_equal(p.id, 7);
	assert_int_equal(p.peer_id_len, 3);
	assert_memory_equal(p.peer_id, "lab", 3);
	assert_int_equal(p.passwd_len, 10);
	assert_memory_equal(p.passwd, "lab-secret", 10);
	/* Every truncation fails, never reading past the cut. */
	for (int cut = 0; cut < n; cut++)
		assert_true(pap_parse(buf, (size_t)cut, &p) < 0);
	/* Length field shortened: the password runs past the packet. */
	buf[3] = (uint8_t)(n - 1);
	assert_int_equal(pap_parse(buf, (size_t)n, &p), PROTO_E(AUTH_FIELD_OVERRUN));
	buf[3] = 5; /* peer-id length octet present, peer-id itself not */
	assert_int_equal(pap_parse(buf, (size_t)n, &p), PROTO_E(AUTH_FIELD_OVERRUN));
	buf[3] = 4;
	assert_int_equal(pap_parse(buf, (size_t)n, &p), PROTO_E(AUTH_FIELD_OVERRUN));
}

static void test_pap_reply(void **state)
{
	uint8_t buf[64];
	struct pap_pkt p;
	(void)state;
	int n = pap_build_reply(buf, sizeof(buf), PAP_AUTH_NAK, 3, "denied", 6);
	assert_int_equal(pap_parse(buf, (size_t)n, &p), PROTO_OK);
	assert_int_equal(p.code, PAP_AUTH_NAK);
	assert_int_equal(p.msg_len, 6);
	assert_memory_equal(p.msg, "denied", 6);
	/* A bare Ack without the Msg-Length octet is tolerated. */
	const uint8_t bare[] = { 2, 1, 0, 4 };
	assert_int_equal(pap_parse(bare, sizeof(bare), &p), PROTO_OK);
	assert_int_equal(p.msg_len, 0);
	assert_int_equal(pap_build_reply(buf, sizeof(buf), PAP_AUTH_REQ, 1, "", 0), PROTO_E(INVAL));
	assert_int_equal(pap_build_reply(buf, 8, PAP_AUTH_ACK, 1, "toolong", 7), PROTO_E(NOSPACE));
	const uint8_t code4[] = { 4, 1, 0, 4 };
	assert_int_equal(pap_parse(code4, sizeof(code4), &p), PROTO_E(AUTH_UNKNOWN_CODE));
	const uint8_t badlen[] = { 1, 1, 0, 2 };
	assert_int_equal(pap_parse(badlen, sizeof(badlen), &p), PROTO_E(CP_BAD_LENGTH));
	const uint8_t overrun[] = { 1, 1, 0, 9, 0 };
	assert_int_equal(pap_parse(overrun, sizeof(overrun), &p), PROTO_E(CP_LENGTH_OVERRUN));
}

static void test_chap(void **state)
{
	uint8_t buf[128];
	uint8_t challenge[16];
	struct chap_pkt p;
	(void)state;
	for (int i = 0; i < 16; i++)
		challenge[i] = (uint8_t)(i * 17);
	int n = chap_build_value(buf, sizeof(buf), CHAP_CHALLENGE, 1, challenge, 16, "dpptp", 5);
	assert_int_equal(n, 4 + 1 + 16 + 5);
	assert_int_equal(chap_parse(buf, (size_t)n, &p), PROTO_OK);
	assert_int_equal(p.code, CHAP_CHALLENGE);
	assert_int_equal(p.value_size, 16);
	assert_memory_equal(p.value, challenge, 16);
	assert_int_equal(p.name_len, 5);
	assert_memory_equal(p.name, "dpptp", 5);
	for (int cut = 0; cut < n; cut++)
		assert_true(chap_parse(buf, (size_t)cut, &p) < 0);

	buf[4] = 0; /* value size 0 */
	assert_int_equal(chap_parse(buf, (size_t)n, &p), PROTO_E(CHAP_BAD_VALUE_SIZE));
	buf[4] = 30; /* value past the end of the packet */
	assert_int_equal(chap_parse(buf, (size_t)n, &p), PROTO_E(AUTH_FIELD_OVERRUN));
	const uint8_t no_value[] = { 2, 1, 0, 4 };
	assert_int_equal(chap_parse(no_value, sizeof(no_value), &p), PROTO_E(AUTH_FIELD_OVERRUN));

	n = chap_build_status(buf, sizeof(buf), CHAP_FAILURE, 9, "E=691", 5);
	assert_int_equal(chap_parse(buf, (size_t)n, &p), PROTO_OK);
	assert_int_equal(p.code, CHAP_FAILURE);
	assert_int_equal(p.msg_len, 5);
	assert_memory_equal(p.msg, "E=691", 5);
	const uint8_t code5[] = { 5, 1, 0, 4 };
	assert_int_equal(chap_parse(code5, sizeof(code5), &p), PROTO_E(AUTH_UNKNOWN_CODE));
	assert_int_equal(chap_build_status(buf, sizeof(buf), CHAP_CHALLENGE, 1, "", 0),
			 PROTO_E(INVAL));
	assert_int_equal(chap_build_value(buf, sizeof(buf), CHAP_SUCCESS, 1, "x", 1, "", 0),
			 PROTO_E(INVAL));
	assert_int_equal(chap_build_value(buf, sizeof(buf), CHAP_RESPONSE, 1, "x", 0, "", 0),
			 PROTO_E(INVAL));
}

static void test_mschapv2_response(void **state)
{
	uint8_t value[MSCHAPV2_RESPONSE_LEN];
	struct mschapv2_response in, out;
	(void)state;
	for (int i = 0; i < 16; i++)
		in.peer_challenge[i] = (uint8_t)(0xA0 + i);
	for (int i = 0; i < 24; i++)
		in.nt_response[i] = (uint8_t)i;
	in.flags = 0;
	mschapv2_response_write(value, &in);
	/* The layout of RFC 2759 section 4: challenge, 8 zeros, NT-Response, flags. */
	assert_int_equal(value[0], 0xA0);
	assert_int_equal(value[16], 0);
	assert_int_equal(value[23], 0);
	assert_int_equal(value[24], 0);
	assert_int_equal(value[47], 23);
	assert_int_equal(mschapv2_response_parse(value, sizeof(value), &out), PROTO_OK);
	assert_memory_equal(&out, &in, sizeof(in));
	assert_int_equal(mschapv2_response_parse(value, 48, &out), PROTO_E(CHAP_BAD_VALUE_SIZE));
	value[20] = 1;
	assert_int_equal(mschapv2_response_parse(value, sizeof(value), &out),
			 PROTO_E(MSCHAPV2_RESERVED));
	value[20] = 0;
	value[48] = 1;
	assert_int_equal(mschapv2_response_parse(value, sizeof(value), &out),
			 PROTO_E(MSCHAPV2_RESERVED));
}

static void test_mschapv2_success(void **state)
{
	char msg[128];
	uint8_t auth[20], back[20];
	(void)state;
	for (int i = 0; i < 20; i++)
		auth[i] = (uint8_t)(i * 13 + 1);
	int n = mschapv2_success_build(msg, sizeof(msg), auth, "Access granted");
	assert_int_equal(n, 2 + 40 + 3 + 14);
	assert_memory_equal(msg, "S=010E1B", 8);
	assert_string_equal(msg + 42, " M=Access granted");
	assert_int_equal(mschapv2_success_parse((uint8_t *)msg, (size_t)n, back), PROTO_OK);
	assert_memory_equal(back, auth, 20);
	/* Without M= (some peers) and with lower-case hex. */
	assert_int_equal(mschapv2_success_parse((const uint8_t *)"S=0102030405060708090a0b0c0d0e0f1011121314",
						42, back),
			 PROTO_OK);
	assert_int_equal(back[19], 0x14);
	assert_int_equal(mschapv2_success_parse((uint8_t *)msg, 41, back),
			 PROTO_E(MSCHAPV2_BAD_MESSAGE));
	msg[5] = 'G';
	assert_int_equal(mschapv2_success_parse((uint8_t *)msg, (size_t)n, back),
			 PROTO_E(MSCHAPV2_BAD_MESSAGE));
	assert_int_equal(mschapv2_success_build(msg, 40, auth, NULL), PROTO_E(NOSPACE));
}

static void test_mschapv2_failure(void **state)
{
	char msg[200];
	struct mschapv2_failure f = { .error = MSCHAP_ERROR_AUTHENTICATION_FAILURE,
				      .retry = false, .version = 3 };
	struct mschapv2_failure g;
	(void)state;
	for (int i = 0; i < 16; i++)
		f.challenge[i] = (uint8_t)(0xF0 | i);
	strcpy(f.message, "Authentication failed");
	int n = mschapv2_failure_build(msg, sizeof(msg), &f);
	assert_string_equal(msg, "E=691 R=0 C=F0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF V=3 "
				 "M=Authentication failed");
	assert_int_equal(mschapv2_failure_parse((uint8_t *)msg, (size_t)n, &g), PROTO_OK);
	assert_int_equal(g.error, 691);
	assert_false(g.retry);
	assert_int_equal(g.version, 3);
	assert_memory_equal(g.challenge, f.challenge, 16);
	assert_string_equal(g.message, "Authentication failed");

	/* What pppd sends: no M=, V=0, retry allowed. */
	const char *pppd = "E=691 R=1 C=00112233445566778899AABBCCDDEEFF V=0";
	assert_int_equal(mschapv2_failure_parse((const uint8_t *)pppd, strlen(pppd), &g), PROTO_OK);
	assert_true(g.retry);
	assert_int_equal(g.challenge[15], 0xFF);

	const char *bad[] = { "R=1", "E=", "E=12x", "E=691 R=1 C=0011", "X=1", "E=691  R=1",
			      "E=99999999999", "E=691 C=ZZ112233445566778899AABBCCDDEEFF" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(mschapv2_failure_parse((const uint8_t *)bad[i], strlen(bad[i]), &g),
				 PROTO_E(MSCHAPV2_BAD_MESSAGE));
	assert_int_equal(mschapv2_failure_build(msg, 20, &f), PROTO_E(NOSPACE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pap_request),
		cmocka_unit_test(test_pap_reply),
		cmocka_unit_test(test_chap),
		cmocka_unit_test(test_mschapv2_response),
		cmocka_unit_test(test_mschapv2_success),
		cmocka_unit_test(test_mschapv2_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
