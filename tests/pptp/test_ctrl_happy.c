/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Control connection, the paths a working client takes: establishment,
 * calls placed and cleared, echo both ways, stops from either side, and the
 * same conversation cut into TCP segments every which way.
 */
#include <errno.h>
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

struct fixture {
	struct pptp_call_id_allocator *ids;
	struct owner o;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->ids = pptp_call_id_allocator_new();
	owner_init(&f->o);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	pptp_conn_free(f->o.conn);
	pptp_call_id_allocator_free(f->ids);
	free(f);
	return 0;
}

static void test_happy_path(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_msg m, r;
	uint16_t cid;

	conn_open(o, f->ids, NULL, 1000);
	assert_int_equal(pptp_conn_state(o->conn), PPTP_CONN_WAIT_SCCRQ);

	/* SCCRQ -> SCCRP with our configuration */
	m = msg_sccrq(PPTP_PROTO_VERSION);
	assert_int_equal(feed(o, 1000, &m), PPTP_CONN_ESTABLISHED);
	r = expect_out(o, PPTP_SCCRP);
	assert_int_equal(r.u.sccrp.version, 0x0100);
	assert_int_equal(r.u.sccrp.result, PPTP_SCCRP_OK);
	assert_int_equal(r.u.sccrp.error, 0);
	assert_int_equal(r.u.sccrp.framing_caps, 3);
	assert_int_equal(r.u.sccrp.bearer_caps, 3);
	assert_int_equal(r.u.sccrp.max_channels, 65535);
	assert_int_equal(r.u.sccrp.firmware_rev, 1);
	assert_string_equal(r.u.sccrp.host_name, "dpptp");
	assert_string_equal(r.u.sccrp.vendor, "dpptp");
	assert_true(log_has(o, "pptp 198.51.100.2: control connection established: host "
			       "'local' vendor 'cananian' version 1.0"));

	/* OCRQ -> OCRP: a call ID from the shared allocator */
	m = msg_ocrq(46537);
	feed(o, 2000, &m);
	r = expect_out(o, PPTP_OCRP);
	cid = r.u.ocrp.call_id;
	assert_int_not_equal(cid, 0);
	assert_true(pptp_call_id_in_use(f->ids, cid));
	assert_int_equal(r.u.ocrp.peer_call_id, 46537);
	assert_int_equal(r.u.ocrp.result, PPTP_OCRP_CONNECTED);
	assert_int_equal(r.u.ocrp.error, 0);
	assert_int_equal(r.u.ocrp.cause, 0);
	assert_int_equal(r.u.ocrp.connect_speed, 100000000);
	assert_int_equal(r.u.ocrp.recv_window, 64);
	assert_int_equal(r.u.ocrp.proc_delay, 0);
	assert_int_equal(o->requests, 1);
	assert_int_equal(o->last_rq.call_id, 46537);
	assert_int_equal(o->last_call.call_id, cid);
	assert_int_equal(pptp_conn_call_count(o->conn), 1);
	const struct pptp_call *call = pptp_conn_call(o->conn, cid);
	assert_non_null(call);
	assert_int_equal(call->peer_call_id, 46537);
	assert_int_equal(call->peer_recv_window, 3);
	assert_int_equal(call->started_ms, 2000);
	assert_ptr_equal(call->user, o);

	/* Echo from the peer -> Echo-Reply with its identifier */
	m = msg_echorq(0xCAFEF00D);
	feed(o, 3000, &m);
	r = expect_out(o, PPTP_ECHORP);
	assert_int_equal(r.u.echorp.id, 0xCAFEF00D);
	assert_int_equal(r.u.echorp.result, PPTP_ECHORP_OK);
	assert_int_equal(r.u.echorp.error, 0);

	/* Our echo after 60 s of silence; the peer answers */
	assert_int_equal(pptp_conn_next_deadline(o->conn), 3000 + 60000);
	pptp_conn_tick(o->conn, 63000);
	r = expect_out(o, PPTP_ECHORQ);
	m = msg_echorp(r.u.echorq.id, PPTP_ECHORP_OK);
	feed(o, 63100, &m);
	assert_int_equal(pptp_conn_next_deadline(o->conn), 63100 + 60000);
	assert_int_equal(pptp_conn_stats(o->conn)->events[PPTP_EV_ECHO_MISMATCH], 0);

	/* CCRQ -> CDN result 4 with our call ID; the hook; the ID is freed */
	m = msg_ccrq(46537);
	feed(o, 64000, &m);
	r = expect_out(o, PPTP_CDN);
	assert_int_equal(r.u.cdn.call_id, cid);
	assert_int_equal(r.u.cdn.result, PPTP_CDN_REQUEST);
	assert_int_equal(r.u.cdn.error, 0);
	assert_int_equal(o->ncleared, 1);
	assert_int_equal(o->cleared[0].call.call_id, cid);
	assert_int_equal(o->cleared[0].call.peer_call_id, 46537);
	assert_ptr_equal(o->cleared[0].call.user, o);
	assert_int_equal(o->cleared[0].cause, PPTP_CLEAR_PEER_REQUEST);
	assert_false(pptp_call_id_in_use(f->ids, cid));
	assert_int_equal(pptp_conn_call_count(o->conn), 0);

	/* StopCCRQ -> StopCCRP OK, then close */
	m = msg_stopccrq(PPTP_STOP_NONE);
	assert_int_equal(feed(o, 65000, &m), PPTP_CONN_CLOSED);
	r = expect_out(o, PPTP_STOPCCRP);
	assert_int_equal(r.u.stopccrp.result, PPTP_STOPCCRP_OK);
	expect_no_out(o);
	assert_int_equal(o->closes, 1);
	assert_int_equal(o->why, PPTP_CLOSE_PEER_STOP);
	assert_int_equal(pptp_conn_next_deadline(o->conn), UINT64_MAX);

	const struct pptp_conn_stats *st = pptp_conn_stats(o->conn);
	assert_int_equal(st->rx_msgs[PPTP_SCCRQ], 1);
	assert_int_equal(st->rx_msgs[PPTP_OCRQ], 1);
	assert_int_equal(st->rx_msgs[PPTP_ECHORQ], 1);
	assert_int_equal(st->rx_msgs[PPTP_ECHORP], 1);
	assert_int_equal(st->tx_msgs[PPTP_ECHORQ], 1);
	assert_int_equal(st->tx_msgs[PPTP_CDN], 1);
	assert_int_equal(st->events[PPTP_EV_CALL_ACCEPTED], 1);
	assert_int_equal(st->close_reason, PPTP_CLOSE_PEER_STOP);
	assert_int_equal(st->tx_bytes, o->out_len);
}

/* ---- the same conversation, cut into segments every which way ---- */

struct run {
	uint8_t out[OUT_CAP];
	size_t out_len;
	int closes;
	enum pptp_close_reason why;
	int ncleared;
	uint64_t events[PPTP_EV_COUNT];
};

static size_t conversation(uint8_t *buf, size_t cap)
{
	const struct pptp_msg script[] = {
		msg_sccrq(PPTP_PROTO_VERSION),
		msg_ocrq(100),
		msg_ocrq(101),
		msg_echorq(5),
		msg_sli(1),
		msg_wen(1),
		msg_icrq(9),
		msg_ccrq(100),
		msg_ccrq(77),  /* unknown */
		msg_echorq(6),
		msg_stopccrq(PPTP_STOP_LOCAL_SHUTDOWN),
		msg_echorq(7), /* after close: ignored */
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(script) / sizeof(script[0]); i++)
		n += build(&script[i], buf + n, cap - n);
	return n;
}

/* Feed `stream` cut at the lengths `next_cut` returns. */
static void run_cut(struct run *out, const uint8_t *stream, size_t len,
		    size_t (*next_cut)(size_t done, unsigned int *seed), unsigned int seed)
{
	struct pptp_call_id_allocator *ids = pptp_call_id_allocator_new();
	struct owner *o = calloc(1, sizeof(*o));
	size_t done = 0;

	owner_init(o);
	conn_open(o, ids, NULL, 0);
	while (done < len) {
		size_t n = next_cut(done, &seed);

		if (n > len - done)
			n = len - done;
		/* Exactly the segment's bytes, in their own allocation: ASan
		 * sees any read past a segment. */
		uint8_t *seg = malloc(n);
		memcpy(seg, stream + done, n);
		pptp_conn_input(o->conn, 10, seg, n);
		free(seg);
		done += n;
	}
	memcpy(out->out, o->out, o->out_len);
	out->out_len = o->out_len;
	out->closes = o->closes;
	out->why = o->why;
	out->ncleared = o->ncleared;
	memcpy(out->events, pptp_conn_stats(o->conn)->events, sizeof(out->events));
	pptp_conn_free(o->conn);
	pptp_call_id_allocator_free(ids);
	free(o);
}

static size_t cut_whole(size_t done, unsigned int *seed)
{
	(void)done;
	(void)seed;
	return SIZE_MAX;
}

static size_t cut_bytes(size_t done, unsigned int *seed)
{
	(void)done;
	(void)seed;
	return 1;
}

static size_t cut_odd(size_t done, unsigned int *seed)
{
	(void)seed;
	return done % 2 ? 13 : 7; /* never on a message boundary for long */
}

static size_t cut_random(size_t done, unsigned int *seed)
{
	(void)done;
	*seed = *seed * 1103515245u + 12345u;
	return 1 + (*seed >> 16) % 400; /* up to two messages and a bit */
}

static void test_segmentation_does_not_matter(void **state)
{
	static uint8_t stream[4096];
	static struct run whole, other;
	size_t len = conversation(stream, sizeof(stream));
	size_t (*cuts[])(size_t, unsigned int *) = { cut_bytes, cut_odd, cut_random };

	(void)state;
	run_cut(&whole, stream, len, cut_whole, 0);
	/* What the whole stream gives: 10 replies, then closed by the stop. */
	assert_int_equal(whole.closes, 1);
	assert_int_equal(whole.why, PPTP_CLOSE_PEER_STOP);
	assert_int_equal(whole.ncleared, 2); /* 100 by CCRQ, 101 by the stop */
	assert_int_equal(whole.events[PPTP_EV_CALL_ACCEPTED], 2);
	assert_int_equal(whole.events[PPTP_EV_BAD_CALL_ID], 1);
	assert_int_equal(whole.events[PPTP_EV_ICRQ_REFUSED], 1);
	for (size_t c = 0; c < sizeof(cuts) / sizeof(cuts[0]); c++) {
		for (unsigned int seed = 1; seed <= (c == 2 ? 50u : 1u); seed++) {
			run_cut(&other, stream, len, cuts[c], seed);
			assert_int_equal(other.out_len, whole.out_len);
			assert_memory_equal(other.out, whole.out, whole.out_len);
			assert_int_equal(other.closes, whole.closes);
			assert_int_equal(other.why, whole.why);
			assert_int_equal(other.ncleared, whole.ncleared);
			assert_memory_equal(other.events, whole.events, sizeof(whole.events));
		}
	}
}

/* ---- several calls on one connection ---- */

static void test_several_calls_and_the_cap(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_conn_cfg cfg;
	struct pptp_msg m, r;
	uint16_t id[3];

	pptp_conn_cfg_init(&cfg);
	cfg.max_calls = 3;
	conn_open(o, f->ids, &cfg, 0);
	establish(o, 0);
	for (int i = 0; i < 3; i++)
		id[i] = place_call(o, 10, (uint16_t)(500 + i));
	assert_int_not_equal(id[0], id[1]);
	assert_int_not_equal(id[1], id[2]);
	assert_int_equal(pptp_call_id_used(f->ids), 3);
	/* A fourth: refused, nothing allocated, the owner not asked. */
	m = msg_ocrq(503);
	feed(o, 20, &m);
	r = expect_out(o, PPTP_OCRP);
	assert_int_equal(r.u.ocrp.result, PPTP_OCRP_GENERAL_ERROR);
	assert_int_equal(r.u.ocrp.error, PPTP_ERROR_NO_RESOURCE);
	assert_int_equal(r.u.ocrp.call_id, 0);
	assert_int_equal(r.u.ocrp.peer_call_id, 503);
	assert_int_equal(o->requests, 3);
	assert_int_equal(pptp_call_id_used(f->ids), 3);
	assert_int_equal(pptp_conn_stats(o->conn)->events[PPTP_EV_CALL_REFUSED_LIMIT], 1);
	/* Clearing the middle one leaves the others alone and makes room. */
	m = msg_ccrq(501);
	feed(o, 30, &m);
	r = expect_out(o, PPTP_CDN);
	assert_int_equal(r.u.cdn.call_id, id[1]);
	assert_non_null(pptp_conn_call(o->conn, id[0]));
	assert_null(pptp_conn_call(o->conn, id[1]));
	assert_non_null(pptp_conn_call(o->conn, id[2]));
	place_call(o, 40, 503);
	assert_int_equal(pptp_conn_call_count(o->conn), 3);
}

static void test_duplicate_peer_call_id_refused(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_msg m, r;

	conn_open(o, f->ids, NULL, 0);
	establish(o, 0);
	place_call(o, 0, 0); /* Windows uses peer call ID 0 */
	m = msg_ocrq(0);
	feed(o, 0, &m);
	r = expect_out(o, PPTP_OCRP);
	assert_int_equal(r.u.ocrp.result, PPTP_OCRP_GENERAL_ERROR);
	assert_int_equal(r.u.ocrp.error, PPTP_ERROR_BAD_CALL_ID);
	assert_int_equal(pptp_conn_call_count(o->conn), 1);
	assert_int_equal(pptp_call_id_used(f->ids), 1);
	assert_int_equal(pptp_conn_stats(o->conn)->events[PPTP_EV_CALL_REFUSED_DUP], 1);
}

static void test_owner_refusals_map_to_result_codes(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	const struct {
		enum pptp_call_verdict v;
		uint8_t result, error;
	} cases[] = {
		{ PPTP_CALL_REFUSE_NO_RESOURCE, PPTP_OCRP_GENERAL_ERROR, PPTP_ERROR_NO_RESOURCE },
		{ PPTP_CALL_REFUSE_BUSY, PPTP_OCRP_BUSY, 0 },
		{ PPTP_CALL_REFUSE_DENIED, PPTP_OCRP_DO_NOT_ACCEPT, 0 },
		{ (enum pptp_call_verdict)42, PPTP_OCRP_GENERAL_ERROR, PPTP_ERROR_PAC_ERROR },
	};

	conn_open(o, f->ids, NULL, 0);
	establish(o, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pptp_msg m = msg_ocrq(7), r;

		o->verdict = cases[i].v;
		feed(o, 0, &m);
		r = expect_out(o, PPTP_OCRP);
		assert_int_equal(r.u.ocrp.result, cases[i].result);
		assert_int_equal(r.u.ocrp.error, cases[i].error);
		assert_int_equal(r.u.ocrp.call_id, 0);
		/* The ID the owner was shown went back to the allocator. */
		assert_int_not_equal(o->last_call.call_id, 0);
		assert_false(pptp_call_id_in_use(f->ids, o->last_call.call_id));
	}
	assert_int_equal(pptp_conn_call_count(o->conn), 0);
	assert_int_equal(o->ncleared, 0); /* refused calls are never "cleared" */
	assert_int_equal(pptp_conn_stats(o->conn)->events[PPTP_EV_CALL_REFUSED_OWNER], 4);
}

static void test_call_ids_exhausted(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_msg m, r;

	while (pptp_call_id_alloc(f->ids) != 0)
		;
	conn_open(o, f->ids, NULL, 0);
	establish(o, 0);
	m = msg_ocrq(1);
	feed(o, 0, &m);
	r = expect_out(o, PPTP_OCRP);
	assert_int_equal(r.u.ocrp.result, PPTP_OCRP_GENERAL_ERROR);
	assert_int_equal(r.u.ocrp.error, PPTP_ERROR_NO_RESOURCE);
	assert_int_equal(o->requests, 0);
	assert_int_equal(pptp_conn_stats(o->conn)->events[PPTP_EV_CALL_REFUSED_NO_ID], 1);
}

static void test_configuration_in_replies(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_conn_cfg cfg;
	struct pptp_msg m, r;
	char long_name[100];

	memset(long_name, 'h', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	pptp_conn_cfg_init(&cfg);
	cfg.host_name = long_name;
	cfg.vendor = "ISP Ltd";
	cfg.firmware_rev = 0x0203;
	cfg.max_channels = 5000;
	cfg.framing_caps = PPTP_FRAMING_SYNC;
	cfg.bearer_caps = PPTP_BEARER_DIGITAL;
	cfg.recv_window = 16;
	cfg.connect_speed = 0; /* echo the peer's maximum */
	conn_open(o, f->ids, &cfg, 0);
	long_name[0] = 'X'; /* the connection has its own copy */
	m = msg_sccrq(PPTP_PROTO_VERSION);
	feed(o, 0, &m);
	r = expect_out(o, PPTP_SCCRP);
	assert_int_equal(strlen(r.u.sccrp.host_name), 63); /* NUL-terminated */
	assert_int_equal(r.u.sccrp.host_name[0], 'h');
	assert_string_equal(r.u.sccrp.vendor, "ISP Ltd");
	assert_int_equal(r.u.sccrp.firmware_rev, 0x0203);
	assert_int_equal(r.u.sccrp.max_channels, 5000);
	assert_int_equal(r.u.sccrp.framing_caps, PPTP_FRAMING_SYNC);
	assert_int_equal(r.u.sccrp.bearer_caps, PPTP_BEARER_DIGITAL);
	m = msg_ocrq(3);
	m.u.ocrq.max_bps = 64000;
	feed(o, 0, &m);
	r = expect_out(o, PPTP_OCRP);
	assert_int_equal(r.u.ocrp.connect_speed, 64000);
	assert_int_equal(r.u.ocrp.recv_window, 16);
}

static void test_later_version_answered_with_ours(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_msg m = msg_sccrq(0x0200), r;

	conn_open(o, f->ids, NULL, 0);
	assert_int_equal(feed(o, 0, &m), PPTP_CONN_ESTABLISHED);
	r = expect_out(o, PPTP_SCCRP);
	assert_int_equal(r.u.sccrp.result, PPTP_SCCRP_OK);
	assert_int_equal(r.u.sccrp.version, 0x0100);
}

static void test_earlier_version_refused_and_closed(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_msg m = msg_sccrq(0x00FF), r;

	conn_open(o, f->ids, NULL, 0);
	assert_int_equal(feed(o, 0, &m), PPTP_CONN_CLOSED);
	r = expect_out(o, PPTP_SCCRP);
	assert_int_equal(r.u.sccrp.result, PPTP_SCCRP_BAD_VERSION);
	assert_int_equal(r.u.sccrp.version, 0x0100);
	expect_no_out(o);
	assert_int_equal(o->closes, 1);
	assert_int_equal(o->why, PPTP_CLOSE_BAD_VERSION);
	assert_int_equal(pptp_conn_stats(o->conn)->events[PPTP_EV_BAD_VERSION], 1);
}

/* ---- teardown driven by the owner ---- */

static void test_call_disconnect(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_msg r;
	uint16_t a, b;

	conn_open(o, f->ids, NULL, 0);
	establish(o, 0);
	a = place_call(o, 0, 10);
	b = place_call(o, 0, 11);
	assert_int_equal(pptp_conn_call_disconnect(o->conn, 5, a, 0, 0), -EINVAL);
	assert_int_equal(pptp_conn_call_disconnect(o->conn, 5, a, 5, 0), -EINVAL);
	assert_int_equal(pptp_conn_call_disconnect(o->conn, 5, 0, PPTP_CDN_ADMIN_SHUTDOWN, 0),
			 -ENOENT);
	assert_int_equal(pptp_conn_call_disconnect(o->conn, 5, 9999, PPTP_CDN_ADMIN_SHUTDOWN, 0),
			 -ENOENT);
	expect_no_out(o);
	assert_int_equal(pptp_conn_call_disconnect(o->conn, 5, a, PPTP_CDN_LOST_CARRIER, 0x1234),
			 0);
	r = expect_out(o, PPTP_CDN);
	assert_int_equal(r.u.cdn.call_id, a);
	assert_int_equal(r.u.cdn.result, PPTP_CDN_LOST_CARRIER);
	assert_int_equal(r.u.cdn.cause, 0x1234);
	assert_int_equal(o->ncleared, 1);
	assert_int_equal(o->cleared[0].cause, PPTP_CLEAR_LOCAL);
	assert_false(pptp_call_id_in_use(f->ids, a));
	assert_true(pptp_call_id_in_use(f->ids, b));
	/* Gone now: a second disconnect finds nothing. */
	assert_int_equal(pptp_conn_call_disconnect(o->conn, 5, a, PPTP_CDN_LOST_CARRIER, 0),
			 -ENOENT);
	assert_int_equal(pptp_conn_state(o->conn), PPTP_CONN_ESTABLISHED);
}

static void test_local_stop(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_msg m, r;
	uint16_t a, b;

	conn_open(o, f->ids, NULL, 0);
	establish(o, 0);
	a = place_call(o, 0, 10);
	b = place_call(o, 0, 11);
	assert_int_equal(pptp_conn_stop(o->conn, 100, 0), -EINVAL);
	assert_int_equal(pptp_conn_stop(o->conn, 100, PPTP_STOP_LOCAL_SHUTDOWN), 0);
	assert_int_equal(pptp_conn_state(o->conn), PPTP_CONN_WAIT_STOP_REPLY);
	/* CDN "Admin Shutdown" for each call, then the request */
	r = expect_out(o, PPTP_CDN);
	assert_int_equal(r.u.cdn.call_id, a);
	assert_int_equal(r.u.cdn.result, PPTP_CDN_ADMIN_SHUTDOWN);
	r = expect_out(o, PPTP_CDN);
	assert_int_equal(r.u.cdn.call_id, b);
	r = expect_out(o, PPTP_STOPCCRQ);
	assert_int_equal(r.u.stopccrq.reason, PPTP_STOP_LOCAL_SHUTDOWN);
	assert_int_equal(o->ncleared, 2);
	assert_int_equal(o->cleared[1].cause, PPTP_CLEAR_LOCAL_STOP);
	assert_int_equal(pptp_call_id_used(f->ids), 0);
	/* A second stop does nothing. */
	assert_int_equal(pptp_conn_stop(o->conn, 200, PPTP_STOP_NONE), 0);
	expect_no_out(o);
	m = msg_stopccrp(PPTP_STOPCCRP_OK);
	assert_int_equal(feed(o, 300, &m), PPTP_CONN_CLOSED);
	expect_no_out(o);
	assert_int_equal(o->closes, 1);
	assert_int_equal(o->why, PPTP_CLOSE_LOCAL_STOP);
}

static void test_stop_before_sccrq_just_closes(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;

	conn_open(o, f->ids, NULL, 0);
	assert_int_equal(pptp_conn_stop(o->conn, 1, PPTP_STOP_LOCAL_SHUTDOWN), 0);
	expect_no_out(o);
	assert_int_equal(o->closes, 1);
	assert_int_equal(o->why, PPTP_CLOSE_LOCAL_STOP);
}

static void test_peer_stop_clears_calls_without_cdn(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_msg m;

	conn_open(o, f->ids, NULL, 0);
	establish(o, 0);
	place_call(o, 0, 10);
	place_call(o, 0, 11);
	m = msg_stopccrq(PPTP_STOP_PROTOCOL);
	assert_int_equal(feed(o, 0, &m), PPTP_CONN_CLOSED);
	expect_out(o, PPTP_STOPCCRP);
	expect_no_out(o);
	assert_int_equal(o->ncleared, 2);
	assert_int_equal(o->cleared[0].cause, PPTP_CLEAR_PEER_STOP);
	assert_int_equal(o->cleared[1].cause, PPTP_CLEAR_PEER_STOP);
	assert_int_equal(pptp_call_id_used(f->ids), 0);
	assert_int_equal(o->why, PPTP_CLOSE_PEER_STOP);
}

static void test_tcp_gone(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_msg m = msg_echorq(1);

	conn_open(o, f->ids, NULL, 0);
	establish(o, 0);
	place_call(o, 0, 10);
	pptp_conn_input(o->conn, 0, (const uint8_t *)"\x00\x10\x00\x01", 4); /* partial */
	assert_int_equal(pptp_conn_peer_closed(o->conn, 5), PPTP_CONN_CLOSED);
	expect_no_out(o);
	assert_int_equal(o->why, PPTP_CLOSE_PEER_GONE);
	assert_int_equal(o->ncleared, 1);
	assert_int_equal(o->cleared[0].cause, PPTP_CLEAR_CONN_CLOSED);
	assert_int_equal(pptp_call_id_used(f->ids), 0);
	/* Everything after close is ignored; close ran once. */
	pptp_conn_peer_closed(o->conn, 6);
	assert_int_equal(feed(o, 7, &m), PPTP_CONN_CLOSED);
	expect_no_out(o);
	assert_int_equal(o->closes, 1);
}

static void test_free_with_calls_clears_them(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;

	conn_open(o, f->ids, NULL, 0);
	establish(o, 0);
	place_call(o, 0, 10);
	pptp_conn_free(o->conn);
	o->conn = NULL;
	assert_int_equal(o->ncleared, 1);
	assert_int_equal(o->cleared[0].cause, PPTP_CLEAR_CONN_CLOSED);
	assert_int_equal(o->closes, 0);
	assert_int_equal(pptp_call_id_used(f->ids), 0);
}

static void test_send_failure_closes(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_msg m = msg_echorq(1);

	conn_open(o, f->ids, NULL, 0);
	establish(o, 0);
	place_call(o, 0, 10);
	o->fail_send_at = o->sends + 1;
	assert_int_equal(feed(o, 0, &m), PPTP_CONN_CLOSED);
	assert_int_equal(o->why, PPTP_CLOSE_SEND_FAILED);
	assert_int_equal(o->ncleared, 1);
	assert_int_equal(pptp_call_id_used(f->ids), 0);
	assert_int_equal(pptp_conn_stats(o->conn)->tx_msgs[PPTP_ECHORP], 0);
}

static void test_ocrp_send_failure_clears_the_new_call_once(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_msg m = msg_ocrq(10);

	conn_open(o, f->ids, NULL, 0);
	establish(o, 0);
	o->fail_send_at = o->sends + 1;
	assert_int_equal(feed(o, 0, &m), PPTP_CONN_CLOSED);
	assert_int_equal(o->requests, 1);
	assert_int_equal(o->ncleared, 1);
	assert_int_equal(o->cleared[0].call.call_id, o->last_call.call_id);
	assert_int_equal(pptp_call_id_used(f->ids), 0);
}

/* ---- hooks that call back into the connection ---- */

static void test_stop_from_call_cleared_hook(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_msg m = msg_ccrq(10), r;

	conn_open(o, f->ids, NULL, 0);
	establish(o, 0);
	place_call(o, 0, 10);
	o->stop_when_last_cleared = true; /* the owner's policy: no call, no connection */
	feed(o, 0, &m);
	r = expect_out(o, PPTP_CDN);
	assert_int_equal(r.u.cdn.result, PPTP_CDN_REQUEST);
	r = expect_out(o, PPTP_STOPCCRQ);
	assert_int_equal(r.u.stopccrq.reason, PPTP_STOP_NONE);
	expect_no_out(o);
	assert_int_equal(o->ncleared, 1);
	assert_int_equal(pptp_conn_state(o->conn), PPTP_CONN_WAIT_STOP_REPLY);
}

static void test_stop_from_call_request_hook(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_msg m = msg_ocrq(10);

	conn_open(o, f->ids, NULL, 0);
	establish(o, 0);
	o->stop_in_request = true;
	feed(o, 0, &m);
	/* The stop went out; the request gets no reply on a stopping
	 * connection, and the accepted call is cleared once. */
	expect_out(o, PPTP_STOPCCRQ);
	expect_no_out(o);
	assert_int_equal(o->ncleared, 1);
	assert_int_equal(o->cleared[0].cause, PPTP_CLEAR_LOCAL_STOP);
	assert_int_equal(pptp_call_id_used(f->ids), 0);
}

/* ---- construction ---- */

static void test_new_rejects_unusable_config(void **state)
{
	struct fixture *f = *state;
	struct pptp_conn_cfg cfg;
	struct pptp_conn_hooks hooks = test_hooks;

	pptp_conn_cfg_init(&cfg);
	assert_null(pptp_conn_new(&cfg, &hooks, &f->o, 0, PEER_ADDR)); /* no allocator */
	cfg.call_ids = f->ids;
	cfg.max_calls = 0;
	assert_null(pptp_conn_new(&cfg, &hooks, &f->o, 0, PEER_ADDR));
	cfg.max_calls = 1;
	cfg.echo_timeout_ms = 0;
	assert_null(pptp_conn_new(&cfg, &hooks, &f->o, 0, PEER_ADDR));
	cfg.echo_interval_ms = 0; /* no echo: no echo timeout needed */
	struct pptp_conn *c = pptp_conn_new(&cfg, &hooks, &f->o, 0, PEER_ADDR);
	assert_non_null(c);
	pptp_conn_free(c);
	hooks.call_request = NULL;
	assert_null(pptp_conn_new(&cfg, &hooks, &f->o, 0, PEER_ADDR));
	hooks = test_hooks;
	hooks.send = NULL;
	assert_null(pptp_conn_new(&cfg, &hooks, &f->o, 0, PEER_ADDR));
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(pptp_conn_state_name(PPTP_CONN_WAIT_STOP_REPLY), "wait-stop-reply");
	assert_string_equal(pptp_close_reason_name(PPTP_CLOSE_ECHO_TIMEOUT), "echo-timeout");
	assert_string_equal(pptp_close_reason_name(PPTP_CLOSE_REASON_COUNT), "unknown");
	assert_string_equal(pptp_clear_cause_name(PPTP_CLEAR_PEER_REQUEST), "peer-request");
	assert_string_equal(pptp_conn_event_name(PPTP_EV_BAD_CALL_ID), "BAD_CALL_ID");
	assert_string_equal(pptp_conn_event_name(PPTP_EV_COUNT), "unknown");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_happy_path),
		T(test_segmentation_does_not_matter),
		T(test_several_calls_and_the_cap),
		T(test_duplicate_peer_call_id_refused),
		T(test_owner_refusals_map_to_result_codes),
		T(test_call_ids_exhausted),
		T(test_configuration_in_replies),
		T(test_later_version_answered_with_ours),
		T(test_earlier_version_refused_and_closed),
		T(test_call_disconnect),
		T(test_local_stop),
		T(test_stop_before_sccrq_just_closes),
		T(test_peer_stop_clears_calls_without_cdn),
		T(test_tcp_gone),
		T(test_free_with_calls_clears_them),
		T(test_send_failure_closes),
		T(test_ocrp_send_failure_clears_the_new_call_once),
		T(test_stop_from_call_cleared_hook),
		T(test_stop_from_call_request_hook),
		T(test_new_rejects_unusable_config),
		T(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
