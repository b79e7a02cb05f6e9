/* SPDX-License-Identifier: BSD-3-Clause */
/* PPTP control messages: round trips for all 15 types, every truncation, and
 * one test per malformation, each asserting its specific error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/pptp_msg.h"
#include "proto/proto_err.h"
#include "proto/wire.h"

/* A message of each type with every field set to something non-default. */
static struct pptp_msg sample(unsigned int type)
{
	struct pptp_msg m;

	memset(&m, 0, sizeof(m));
	m.type = (uint16_t)type;
	switch (type) {
	case PPTP_SCCRQ:
		m.u.sccrq.version = PPTP_PROTO_VERSION;
		m.u.sccrq.framing_caps = 3;
		m.u.sccrq.bearer_caps = 2;
		m.u.sccrq.max_channels = 65535;
		m.u.sccrq.firmware_rev = 0x0102;
		strcpy(m.u.sccrq.host_name, "client.example");
		strcpy(m.u.sccrq.vendor, "Vendor Inc.");
		break;
	case PPTP_SCCRP:
		m.u.sccrp.version = PPTP_PROTO_VERSION;
		m.u.sccrp.result = 2;
		m.u.sccrp.error = 6;
		m.u.sccrp.framing_caps = 1;
		m.u.sccrp.bearer_caps = 3;
		m.u.sccrp.max_channels = 1;
		m.u.sccrp.firmware_rev = 7;
		strcpy(m.u.sccrp.host_name, "dpptp");
		strcpy(m.u.sccrp.vendor, "dpptp project");
		break;
	case PPTP_STOPCCRQ:
		m.u.stopccrq.reason = PPTP_STOP_LOCAL_SHUTDOWN;
		break;
	case PPTP_STOPCCRP:
		m.u.stopccrp.result = 2;
		m.u.stopccrp.error = 4;
		break;
	case PPTP_ECHORQ:
		m.u.echorq.id = 0xDEADBEEF;
		break;
	case PPTP_ECHORP:
		m.u.echorp.id = 0x01020304;
		m.u.echorp.result = 1;
		m.u.echorp.error = 0;
		break;
	case PPTP_OCRQ:
		m.u.ocrq.call_id = 0xABCD;
		m.u.ocrq.call_serial = 0x1234;
		m.u.ocrq.min_bps = 2400;
		m.u.ocrq.max_bps = 10000000;
		m.u.ocrq.bearer_type = 3;
		m.u.ocrq.framing_type = 3;
		m.u.ocrq.recv_window = 64;
		m.u.ocrq.proc_delay = 5;
		m.u.ocrq.phone_len = 7;
		strcpy(m.u.ocrq.phone, "5551234");
		strcpy(m.u.ocrq.subaddress, "sub");
		break;
	case PPTP_OCRP:
		m.u.ocrp.call_id = 17;
		m.u.ocrp.peer_call_id = 0xABCD;
		m.u.ocrp.result = 7;
		m.u.ocrp.error = 3;
		m.u.ocrp.cause = 0x1122;
		m.u.ocrp.connect_speed = 100000000;
		m.u.ocrp.recv_window = 64;
		m.u.ocrp.proc_delay = 0;
		m.u.ocrp.phys_channel_id = 0x55667788;
		break;
	case PPTP_ICRQ:
		m.u.icrq.call_id = 9;
		m.u.icrq.call_serial = 10;
		m.u.icrq.bearer_type = 1;
		m.u.icrq.phys_channel_id = 11;
		m.u.icrq.dialed_len = 3;
		m.u.icrq.dialing_len = 4;
		strcpy(m.u.icrq.dialed, "123");
		strcpy(m.u.icrq.dialing, "4567");
		strcpy(m.u.icrq.subaddress, "x");
		break;
	case PPTP_ICRP:
		m.u.icrp.call_id = 1;
		m.u.icrp.peer_call_id = 9;
		m.u.icrp.result = 3;
		m.u.icrp.error = 0;
		m.u.icrp.recv_window = 16;
		m.u.icrp.transmit_delay = 2;
		break;
	case PPTP_ICCN:
		m.u.iccn.peer_call_id = 9;
		m.u.iccn.connect_speed = 64000;
		m.u.iccn.recv_window = 8;
		m.u.iccn.transmit_delay = 1;
		m.u.iccn.framing_type = 1;
		break;
	case PPTP_CCRQ:
		m.u.ccrq.call_id = 0x7777;
		break;
	case PPTP_CDN:
		m.u.cdn.call_id = 0x4321;
		m.u.cdn.result = 3;
		m.u.cdn.error = 0;
		m.u.cdn.cause = 0x0102;
		strcpy(m.u.cdn.call_stats, "rx 10 tx 12");
		break;
	case PPTP_WEN:
		m.u.wen.peer_call_id = 2;
		m.u.wen.crc_errors = 1;
		m.u.wen.framing_errors = 2;
		m.u.wen.hw_overruns = 3;
		m.u.wen.buf_overruns = 4;
		m.u.wen.timeout_errors = 5;
		m.u.wen.alignment_errors = 0xFFFFFFFF;
		break;
	case PPTP_SLI:
		m.u.sli.peer_call_id = 3;
		m.u.sli.send_accm = 0xFFFFFFFF;
		m.u.sli.recv_accm = 0x000A0000;
		break;
	}
	return m;
}

static int build(unsigned int type, uint8_t *buf, size_t cap)
{
	struct pptp_msg m = sample(type);
	return pptp_ctrl_build(&m, buf, cap);
}

static void test_round_trip_all_types(void **state)
{
	(void)state;
	for (unsigned int t = 1; t <= PPTP_CTRL_TYPE_MAX; t++) {
		uint8_t buf[PPTP_MAX_MSG_LEN + 8];
		struct pptp_msg want = sample(t), got;
		int n = pptp_ctrl_build(&want, buf, sizeof(buf));

		assert_int_equal(n, (int)pptp_ctrl_size(t));
		assert_int_equal(wire_get_be16(buf), n);
		assert_int_equal(wire_get_be32(buf + 4), PPTP_MAGIC);
		assert_int_equal(pptp_ctrl_parse(buf, (size_t)n, &got), PROTO_OK);
		assert_int_equal(got.type, t);
		assert_int_equal(got.length, n);
		assert_int_equal(got.warnings, 0);
		/* Bodies hold no padding-sensitive members after memset, so
		 * comparing the union byte for byte compares every field. */
		assert_memory_equal(&got.u, &want.u, sizeof(got.u));
		/* The frame helper agrees on the length. */
		assert_int_equal(pptp_ctrl_frame(buf, (size_t)n), n);
	}
}

static void test_every_truncation(void **state)
{
	(void)state;
	for (unsigned int t = 1; t <= PPTP_CTRL_TYPE_MAX; t++) {
		uint8_t buf[PPTP_MAX_MSG_LEN];
		int n = build(t, buf, sizeof(buf));
		assert_true(n > 0);
		for (int cut = 0; cut < n; cut++) {
			struct pptp_msg m;
			assert_int_equal(pptp_ctrl_parse(buf, (size_t)cut, &m), PROTO_E(TRUNCATED));
			assert_int_equal(pptp_ctrl_frame(buf, (size_t)cut), 0);
		}
	}
}

static void test_build_no_space(void **state)
{
	(void)state;
	for (unsigned int t = 1; t <= PPTP_CTRL_TYPE_MAX; t++) {
		uint8_t buf[PPTP_MAX_MSG_LEN];
		assert_int_equal(build(t, buf, pptp_ctrl_size(t) - 1), PROTO_E(NOSPACE));
	}
}

static void test_bad_magic(void **state)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	(void)state;
	build(PPTP_SCCRQ, buf, sizeof(buf));
	wire_put_be32(buf + 4, 0x1A2B3C4E);
	assert_int_equal(pptp_ctrl_parse(buf, 156, &m), PROTO_E(PPTP_BAD_MAGIC));
	assert_int_equal(pptp_ctrl_frame(buf, 156), PROTO_E(PPTP_BAD_MAGIC));
}

static void test_bad_message_type(void **state)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	(void)state;
	build(PPTP_ECHORQ, buf, sizeof(buf));
	wire_put_be16(buf + 2, 2); /* management messages: not in RFC 2637 */
	assert_int_equal(pptp_ctrl_parse(buf, 16, &m), PROTO_E(PPTP_BAD_MSG_TYPE));
}

static void test_unknown_control_type(void **state)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	(void)state;
	build(PPTP_ECHORQ, buf, sizeof(buf));
	wire_put_be16(buf + 8, 0);
	assert_int_equal(pptp_ctrl_parse(buf, 16, &m), PROTO_E(PPTP_UNKNOWN_CTRL_TYPE));
	wire_put_be16(buf + 8, 16);
	assert_int_equal(pptp_ctrl_parse(buf, 16, &m), PROTO_E(PPTP_UNKNOWN_CTRL_TYPE));
	wire_put_be16(buf + 8, 0xFFFF);
	assert_int_equal(pptp_ctrl_frame(buf, 16), PROTO_E(PPTP_UNKNOWN_CTRL_TYPE));
}

static void test_reserved0(void **state)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	(void)state;
	build(PPTP_CCRQ, buf, sizeof(buf));
	buf[11] = 1;
	assert_int_equal(pptp_ctrl_parse(buf, 16, &m), PROTO_E(PPTP_BAD_RESERVED0));
}

static void test_wrong_length(void **state)
{
	uint8_t buf[PPTP_MAX_MSG_LEN + 4];
	struct pptp_msg m;
	(void)state;
	for (unsigned int t = 1; t <= PPTP_CTRL_TYPE_MAX; t++) {
		int n = build(t, buf, sizeof(buf));
		/* one byte short, one byte long, absurdly small, absurdly large */
		const uint16_t bad[] = { (uint16_t)(n - 1), (uint16_t)(n + 1), 0, 11, 12, 0xFFFF };
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			wire_put_be16(buf, bad[i]);
			assert_int_equal(pptp_ctrl_parse(buf, sizeof(buf), &m),
					 PROTO_E(PPTP_BAD_LENGTH));
			assert_int_equal(pptp_ctrl_frame(buf, sizeof(buf)), PROTO_E(PPTP_BAD_LENGTH));
		}
	}
}

/* Offsets of the result and error octets, per type that has them. */
static const struct {
	unsigned int type;
	size_t result_off;
	uint8_t max_result;
} result_fields[] = {
	{ PPTP_SCCRP, 14, 5 }, { PPTP_STOPCCRP, 12, 2 }, { PPTP_ECHORP, 16, 2 },
	{ PPTP_OCRP, 16, 7 },  { PPTP_ICRP, 16, 3 },     { PPTP_CDN, 14, 4 },
};

static void test_result_and_error_codes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(result_fields) / sizeof(result_fields[0]); i++) {
		uint8_t buf[PPTP_MAX_MSG_LEN];
		struct pptp_msg m;
		unsigned int t = result_fields[i].type;
		size_t off = result_fields[i].result_off;
		int n = build(t, buf, sizeof(buf));

		for (unsigned int r = 1; r <= result_fields[i].max_result; r++) {
			buf[off] = (uint8_t)r;
			assert_int_equal(pptp_ctrl_parse(buf, (size_t)n, &m), PROTO_OK);
		}
		buf[off] = 0;
		assert_int_equal(pptp_ctrl_parse(buf, (size_t)n, &m), PROTO_E(PPTP_BAD_RESULT_CODE));
		buf[off] = (uint8_t)(result_fields[i].max_result + 1);
		assert_int_equal(pptp_ctrl_parse(buf, (size_t)n, &m), PROTO_E(PPTP_BAD_RESULT_CODE));
		buf[off] = 1;
		buf[off + 1] = PPTP_ERROR_MAX + 1;
		assert_int_equal(pptp_ctrl_parse(buf, (size_t)n, &m), PROTO_E(PPTP_BAD_ERROR_CODE));

		/* The builder refuses what the parser would refuse. */
		m = sample(t);
		if (t == PPTP_SCCRP)
			m.u.sccrp.result = 0;
		else if (t == PPTP_STOPCCRP)
			m.u.stopccrp.error = 9;
		else if (t == PPTP_ECHORP)
			m.u.echorp.result = 3;
		else if (t == PPTP_OCRP)
			m.u.ocrp.result = 8;
		else if (t == PPTP_ICRP)
			m.u.icrp.result = 0;
		else
			m.u.cdn.result = 5;
		assert_int_equal(pptp_ctrl_build(&m, buf, sizeof(buf)), PROTO_E(INVAL));
	}
}

static void test_stop_reason(void **state)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	(void)state;
	build(PPTP_STOPCCRQ, buf, sizeof(buf));
	buf[12] = 0;
	assert_int_equal(pptp_ctrl_parse(buf, 16, &m), PROTO_E(PPTP_BAD_REASON));
	buf[12] = 4;
	assert_int_equal(pptp_ctrl_parse(buf, 16, &m), PROTO_E(PPTP_BAD_REASON));
	buf[12] = 2;
	assert_int_equal(pptp_ctrl_parse(buf, 16, &m), PROTO_OK);
	assert_int_equal(m.u.stopccrq.reason, PPTP_STOP_PROTOCOL);
}

static void test_number_lengths(void **state)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	(void)state;
	build(PPTP_OCRQ, buf, sizeof(buf));
	wire_put_be16(buf + 36, 64);
	assert_int_equal(pptp_ctrl_parse(buf, 168, &m), PROTO_OK);
	wire_put_be16(buf + 36, 65);
	assert_int_equal(pptp_ctrl_parse(buf, 168, &m), PROTO_E(PPTP_BAD_NUMBER_LENGTH));

	build(PPTP_ICRQ, buf, sizeof(buf));
	wire_put_be16(buf + 24, 200); /* dialed number length */
	assert_int_equal(pptp_ctrl_parse(buf, 220, &m), PROTO_E(PPTP_BAD_NUMBER_LENGTH));
	build(PPTP_ICRQ, buf, sizeof(buf));
	wire_put_be16(buf + 26, 65); /* dialing number length */
	assert_int_equal(pptp_ctrl_parse(buf, 220, &m), PROTO_E(PPTP_BAD_NUMBER_LENGTH));
}

static void test_unterminated_strings(void **state)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	(void)state;
	build(PPTP_SCCRQ, buf, sizeof(buf));
	memset(buf + 28, 'h', PPTP_STR_LEN);  /* host name: 64 bytes, no NUL */
	memset(buf + 92, 0xFF, PPTP_STR_LEN); /* vendor: binary junk, no NUL */
	assert_int_equal(pptp_ctrl_parse(buf, 156, &m), PROTO_OK);
	assert_int_equal(strlen(m.u.sccrq.host_name), PPTP_STR_LEN);
	assert_int_equal(m.u.sccrq.host_name[63], 'h');
	assert_int_equal(strlen(m.u.sccrq.vendor), PPTP_STR_LEN);
	assert_true(m.warnings & PPTP_WARN_STR_UNTERMINATED);

	/* A NUL in the middle ends the string; what follows is padding. */
	build(PPTP_SCCRQ, buf, sizeof(buf));
	memcpy(buf + 28, "ab\0cd", 5);
	assert_int_equal(pptp_ctrl_parse(buf, 156, &m), PROTO_OK);
	assert_string_equal(m.u.sccrq.host_name, "ab");
	assert_int_equal(m.warnings, 0);
}

static void test_reserved_body_fields_warn(void **state)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	(void)state;
	build(PPTP_SLI, buf, sizeof(buf));
	buf[15] = 0x80; /* Reserved1 */
	assert_int_equal(pptp_ctrl_parse(buf, 24, &m), PROTO_OK);
	assert_true(m.warnings & PPTP_WARN_RESERVED_NONZERO);
	assert_int_equal(m.u.sli.send_accm, 0xFFFFFFFF);
}

static void test_long_strings_truncated_by_builder(void **state)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg m = sample(PPTP_SCCRP), got;
	(void)state;
	memset(m.u.sccrp.host_name, 'x', PPTP_STR_LEN); /* exactly 64: no room for NUL */
	m.u.sccrp.host_name[PPTP_STR_LEN] = '\0';
	assert_int_equal(pptp_ctrl_build(&m, buf, sizeof(buf)), 156);
	assert_int_equal(pptp_ctrl_parse(buf, 156, &got), PROTO_OK);
	assert_string_equal(got.u.sccrp.host_name, m.u.sccrp.host_name);
	assert_string_equal(got.u.sccrp.vendor, "dpptp project");
}

static void test_stream_framing(void **state)
{
	uint8_t stream[64];
	int a, b;
	(void)state;
	a = build(PPTP_ECHORQ, stream, sizeof(stream));
	b = build(PPTP_ECHORP, stream + a, sizeof(stream) - (size_t)a);
	assert_int_equal(a, 16);
	assert_int_equal(b, 20);
	/* The first message is whole as soon as its 16 bytes are there. */
	assert_int_equal(pptp_ctrl_frame(stream, 15), 0);
	assert_int_equal(pptp_ctrl_frame(stream, 16), 16);
	assert_int_equal(pptp_ctrl_frame(stream, 36), 16);
	assert_int_equal(pptp_ctrl_frame(stream + 16, 19), 0);
	assert_int_equal(pptp_ctrl_frame(stream + 16, 20), 20);
	/* Parsing from a longer buffer reads only the first message. */
	struct pptp_msg m;
	assert_int_equal(pptp_ctrl_parse(stream, 36, &m), PROTO_OK);
	assert_int_equal(m.type, PPTP_ECHORQ);
	assert_int_equal(m.u.echorq.id, 0xDEADBEEF);
}

static void test_builder_rejects_unknown_type(void **state)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	(void)state;
	memset(&m, 0, sizeof(m));
	m.type = 0;
	assert_int_equal(pptp_ctrl_build(&m, buf, sizeof(buf)), PROTO_E(INVAL));
	m.type = 16;
	assert_int_equal(pptp_ctrl_build(&m, buf, sizeof(buf)), PROTO_E(INVAL));
	m = sample(PPTP_OCRQ);
	m.u.ocrq.phone_len = 65;
	assert_int_equal(pptp_ctrl_build(&m, buf, sizeof(buf)), PROTO_E(INVAL));
	m = sample(PPTP_STOPCCRQ);
	m.u.stopccrq.reason = 0;
	assert_int_equal(pptp_ctrl_build(&m, buf, sizeof(buf)), PROTO_E(INVAL));
}

static void test_names_and_errors(void **state)
{
	(void)state;
	assert_string_equal(pptp_ctrl_name(PPTP_SCCRQ), "SCCRQ");
	assert_string_equal(pptp_ctrl_name(PPTP_SLI), "SLI");
	assert_string_equal(pptp_ctrl_name(0), "unknown");
	assert_string_equal(pptp_ctrl_name(16), "unknown");
	assert_string_equal(proto_errname(PROTO_E(PPTP_BAD_MAGIC)), "PPTP_BAD_MAGIC");
	assert_string_equal(proto_errname(PROTO_OK), "OK");
	assert_string_equal(proto_errname(1), "UNKNOWN");
	assert_string_equal(proto_errname(-PROTO_ERR_MAX), "UNKNOWN");
	/* Every error has a distinct name and some text. */
	for (int i = 1; i < PROTO_ERR_MAX; i++) {
		assert_true(strlen(proto_strerror(-i)) > 8);
		for (int j = 1; j < i; j++)
			assert_string_not_equal(proto_errname(-i), proto_errname(-j));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_all_types),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_build_no_space),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_bad_message_type),
		cmocka_unit_test(test_unknown_control_type),
		cmocka_unit_test(test_reserved0),
		cmocka_unit_test(test_wrong_length),
		cmocka_unit_test(test_result_and_error_codes),
		cmocka_unit_test(test_stop_reason),
		cmocka_unit_test(test_number_lengths),
		cmocka_unit_test(test_unterminated_strings),
		cmocka_unit_test(test_reserved_body_fields_warn),
		cmocka_unit_test(test_long_strings_truncated_by_builder),
		cmocka_unit_test(test_stream_framing),
		cmocka_unit_test(test_builder_rejects_unknown_type),
		cmocka_unit_test(test_names_and_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
