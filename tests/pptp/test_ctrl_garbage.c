/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Garbage closes that connection only, naming the codec's error: each kind
 * of malformation, garbage behind good messages, garbage split across reads,
 * two connections side by side, and a deterministic random stream (run under
 * ASan/UBSan: no read outside a buffer, whatever arrives).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "pptp/call_id.h"
#include "pptp/ctrl_conn.h"
#include "proto/proto_err.h"
#include "proto/wire.h"

struct fixture {
	struct pptp_call_id_allocator *ids;
	struct owner a, b;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->ids = pptp_call_id_allocator_new();
	owner_init(&f->a);
	owner_init(&f->b);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	pptp_conn_free(f->a.conn);
	pptp_conn_free(f->b.conn);
	pptp_call_id_allocator_free(f->ids);
	free(f);
	return 0;
}

/* A valid message of `type`, then `mutate` applied to its bytes. */
struct bad {
	const char *what;
	unsigned int type;
	size_t off;  /* byte to overwrite... */
	size_t width; /* ...1, 2 or 4 bytes, big-endian */
	uint32_t value;
	int err;     /* the codec's verdict */
};

static const struct bad bads[] = {
	{ "bad magic", PPTP_ECHORQ, 4, 4, 0x1A2B3C4E, PROTO_E(PPTP_BAD_MAGIC) },
	{ "management message type", PPTP_ECHORQ, 2, 2, 2, PROTO_E(PPTP_BAD_MSG_TYPE) },
	{ "length one too long", PPTP_ECHORQ, 0, 2, 17, PROTO_E(PPTP_BAD_LENGTH) },
	{ "length one too short", PPTP_SCCRQ, 0, 2, 155, PROTO_E(PPTP_BAD_LENGTH) },
	{ "absurd length 65535", PPTP_OCRQ, 0, 2, 0xFFFF, PROTO_E(PPTP_BAD_LENGTH) },
	{ "length 0", PPTP_ECHORQ, 0, 2, 0, PROTO_E(PPTP_BAD_LENGTH) },
	{ "length below the header", PPTP_ECHORQ, 0, 2, 5, PROTO_E(PPTP_BAD_LENGTH) },
	{ "control type 0", PPTP_ECHORQ, 8, 2, 0, PROTO_E(PPTP_UNKNOWN_CTRL_TYPE) },
	{ "control type 16", PPTP_ECHORQ, 8, 2, 16, PROTO_E(PPTP_UNKNOWN_CTRL_TYPE) },
	{ "header reserved0", PPTP_ECHORQ, 10, 2, 1, PROTO_E(PPTP_BAD_RESERVED0) },
	{ "echo reply result 0", PPTP_ECHORP, 16, 1, 0, PROTO_E(PPTP_BAD_RESULT_CODE) },
	{ "echo reply result 3", PPTP_ECHORP, 16, 1, 3, PROTO_E(PPTP_BAD_RESULT_CODE) },
	{ "SCCRP result 6", PPTP_SCCRP, 14, 1, 6, PROTO_E(PPTP_BAD_RESULT_CODE) },
	{ "CDN error 7", PPTP_CDN, 15, 1, 7, PROTO_E(PPTP_BAD_ERROR_CODE) },
	{ "stop reason 4", PPTP_STOPCCRQ, 12, 1, 4, PROTO_E(PPTP_BAD_REASON) },
	{ "phone number length 65", PPTP_OCRQ, 36, 2, 65, PROTO_E(PPTP_BAD_NUMBER_LENGTH) },
};

static size_t bad_bytes(const struct bad *b, uint8_t *buf)
{
	struct pptp_msg m = msg_any(b->type);
	size_t n = build(&m, buf, PPTP_MAX_MSG_LEN);

	if (b->width == 1)
		buf[b->off] = (uint8_t)b->value;
	else if (b->width == 2)
		wire_put_be16(buf + b->off, (uint16_t)b->value);
	else
		wire_put_be32(buf + b->off, b->value);
	return n;
}

static void test_each_malformation_closes_with_its_name(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad *b = &bads[i];
		uint8_t buf[PPTP_MAX_MSG_LEN];
		size_t n = bad_bytes(b, buf);
		struct owner *o = &f->a;

		print_message("%s\n", b->what);
		owner_init(o);
		conn_open(o, f->ids, NULL, 0);
		establish(o, 0);
		place_call(o, 0, 10);
		assert_int_equal(pptp_conn_input(o->conn, 1, buf, n), PPTP_CONN_CLOSED);
		expect_no_out(o); /* nothing sent back at garbage */
		assert_int_equal(o->closes, 1);
		assert_int_equal(o->why, PPTP_CLOSE_GARBAGE);
		assert_string_equal(o->detail, proto_errname(b->err));
		assert_int_equal(pptp_conn_stats(o->conn)->close_proto_err, b->err);
		assert_int_equal(pptp_conn_stats(o->conn)->events[PPTP_EV_GARBAGE], 1);
		assert_int_equal(o->ncleared, 1);
		assert_int_equal(pptp_call_id_used(f->ids), 0);
		assert_true(log_has(o, "closing: garbage: "));
		pptp_conn_free(o->conn);
		o->conn = NULL;
	}
}

static void test_good_messages_before_garbage_are_answered(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->a;
	uint8_t buf[3 * PPTP_MAX_MSG_LEN];
	struct pptp_msg m = msg_sccrq(PPTP_PROTO_VERSION);
	size_t n = build(&m, buf, sizeof(buf));

	m = msg_echorq(4);
	n += build(&m, buf + n, sizeof(buf) - n);
	n += bad_bytes(&bads[0], buf + n);
	m = msg_echorq(5); /* after the garbage: never looked at */
	n += build(&m, buf + n, sizeof(buf) - n);
	conn_open(o, f->ids, NULL, 0);
	assert_int_equal(pptp_conn_input(o->conn, 0, buf, n), PPTP_CONN_CLOSED);
	expect_out(o, PPTP_SCCRP);
	assert_int_equal(expect_out(o, PPTP_ECHORP).u.echorp.id, 4);
	expect_no_out(o);
	assert_int_equal(pptp_conn_stats(o->conn)->rx_msgs[PPTP_ECHORQ], 1);
}

static void test_garbage_split_across_reads(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->a;
	uint8_t buf[PPTP_MAX_MSG_LEN];
	size_t n = bad_bytes(&bads[0], buf); /* bad magic at bytes 4..7 */

	conn_open(o, f->ids, NULL, 0);
	establish(o, 0);
	/* Less than a header: nothing can be said yet. */
	for (size_t i = 0; i < PPTP_HDR_LEN - 1; i++)
		assert_int_equal(pptp_conn_input(o->conn, 1, buf + i, 1), PPTP_CONN_ESTABLISHED);
	/* The header's last byte: now it is judged. */
	assert_int_equal(pptp_conn_input(o->conn, 1, buf + PPTP_HDR_LEN - 1, n - PPTP_HDR_LEN + 1),
			 PPTP_CONN_CLOSED);
	assert_string_equal(o->detail, "PPTP_BAD_MAGIC");
}

static void test_absurd_length_is_refused_without_waiting(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->a;
	/* A header announcing 65,535 bytes: judged on its 12 bytes, no buffer
	 * waits for the rest. */
	const uint8_t hdr[PPTP_HDR_LEN] = { 0xFF, 0xFF, 0, 1, 0x1A, 0x2B, 0x3C, 0x4D, 0, 5, 0, 0 };

	conn_open(o, f->ids, NULL, 0);
	assert_int_equal(pptp_conn_input(o->conn, 0, hdr, sizeof(hdr)), PPTP_CONN_CLOSED);
	assert_string_equal(o->detail, "PPTP_BAD_LENGTH");
}

static void test_input_after_close_is_ignored(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->a;
	uint8_t buf[PPTP_MAX_MSG_LEN];
	size_t n = bad_bytes(&bads[0], buf);
	struct pptp_msg m = msg_echorq(1);
	uint64_t rx;

	conn_open(o, f->ids, NULL, 0);
	pptp_conn_input(o->conn, 0, buf, n);
	rx = pptp_conn_stats(o->conn)->rx_bytes;
	assert_int_equal(feed(o, 1, &m), PPTP_CONN_CLOSED);
	assert_int_equal(pptp_conn_input(o->conn, 1, buf, n), PPTP_CONN_CLOSED);
	expect_no_out(o);
	assert_int_equal(o->closes, 1);
	assert_int_equal(pptp_conn_stats(o->conn)->rx_bytes, rx);
}

static void test_garbage_on_one_connection_leaves_the_other(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[PPTP_MAX_MSG_LEN];
	size_t n = bad_bytes(&bads[2], buf); /* bad length */
	struct pptp_msg m, r;
	uint16_t ca, cb;

	conn_open(&f->a, f->ids, NULL, 0);
	conn_open(&f->b, f->ids, NULL, 0);
	establish(&f->a, 0);
	establish(&f->b, 0);
	ca = place_call(&f->a, 0, 7);
	cb = place_call(&f->b, 0, 7); /* the same peer call ID on another connection */
	assert_int_not_equal(ca, cb);
	/* Half a message on B, then garbage on A, then the rest of B's. */
	m = msg_echorq(42);
	uint8_t echo[PPTP_MAX_MSG_LEN];
	size_t en = build(&m, echo, sizeof(echo));
	pptp_conn_input(f->b.conn, 1, echo, 5);
	assert_int_equal(pptp_conn_input(f->a.conn, 1, buf, n), PPTP_CONN_CLOSED);
	assert_int_equal(pptp_conn_input(f->b.conn, 1, echo + 5, en - 5), PPTP_CONN_ESTABLISHED);
	r = expect_out(&f->b, PPTP_ECHORP);
	assert_int_equal(r.u.echorp.id, 42);
	/* A's call is gone and its ID free; B's call is intact. */
	assert_false(pptp_call_id_in_use(f->ids, ca));
	assert_true(pptp_call_id_in_use(f->ids, cb));
	assert_int_equal(f->b.closes, 0);
	assert_int_equal(f->b.ncleared, 0);
	assert_int_equal(pptp_conn_stats(f->b.conn)->events[PPTP_EV_GARBAGE], 0);
	m = msg_ccrq(7);
	feed(&f->b, 2, &m);
	r = expect_out(&f->b, PPTP_CDN);
	assert_int_equal(r.u.cdn.call_id, cb);
	assert_int_equal(r.u.cdn.result, PPTP_CDN_REQUEST);
	/* A new connection can reuse the allocator at once. */
	pptp_conn_free(f->a.conn);
	owner_init(&f->a);
	conn_open(&f->a, f->ids, NULL, 3);
	establish(&f->a, 3);
	assert_int_not_equal(place_call(&f->a, 3, 7), 0);
}

/* xorshift32: deterministic, so a failure reproduces. */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void test_random_streams_never_misbehave(void **state)
{
	struct fixture *f = *state;
	uint32_t seed = 0x12345678;

	for (int round = 0; round < 3000; round++) {
		struct owner *o = &f->a;
		uint8_t stream[2048];
		size_t len = 0;

		/* Valid messages of random types, some bytes flipped, cut at
		 * random: the state machine sees every path, the framer every
		 * kind of damage. */
		while (len < sizeof(stream) - PPTP_MAX_MSG_LEN) {
			struct pptp_msg m = msg_any(1 + rnd(&seed) % PPTP_CTRL_TYPE_MAX);
			if (m.type == PPTP_SCCRQ && rnd(&seed) % 4)
				continue;
			len += build(&m, stream + len, sizeof(stream) - len);
			if (rnd(&seed) % 16 == 0)
				stream[rnd(&seed) % len] ^= (uint8_t)(1u << (rnd(&seed) % 8));
		}
		owner_init(o);
		conn_open(o, f->ids, NULL, 0);
		for (size_t done = 0; done < len;) {
			size_t n = 1 + rnd(&seed) % 300;
			if (n > len - done)
				n = len - done;
			uint8_t *seg = malloc(n);
			memcpy(seg, stream + done, n);
			pptp_conn_input(o->conn, done, seg, n);
			free(seg);
			done += n;
			if (rnd(&seed) % 8 == 0)
				pptp_conn_tick(o->conn, done * 1000);
		}
		/* Every reply we sent parses; a close names a known reason. */
		struct pptp_msg r;
		while (next_out(o, &r))
			;
		assert_true(o->closes <= 1);
		if (o->closes)
			assert_int_equal(pptp_conn_state(o->conn), PPTP_CONN_CLOSED);
		pptp_conn_free(o->conn);
		o->conn = NULL;
		/* Every call ID handed out came back. */
		assert_int_equal(pptp_call_id_used(f->ids), 0);
	}
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_each_malformation_closes_with_its_name),
		T(test_good_messages_before_garbage_are_answered),
		T(test_garbage_split_across_reads),
		T(test_absurd_length_is_refused_without_waiting),
		T(test_input_after_close_is_ignored),
		T(test_garbage_on_one_connection_leaves_the_other),
		T(test_random_streams_never_misbehave),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
