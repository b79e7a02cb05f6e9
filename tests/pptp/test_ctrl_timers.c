/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Control connection timers on a fake clock: the wait for SCCRQ, the
 * keepalive (echo after silence, close without reply, postponed by traffic),
 * the wait for a first call, and the wait for our StopCCRQ's reply. Each
 * deadline is checked one millisecond early (nothing happens) and on time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

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

/* Tick one millisecond before `when` (nothing may happen), then at it. */
static enum pptp_conn_state tick_at(struct owner *o, uint64_t when)
{
	assert_int_equal(pptp_conn_next_deadline(o->conn), when);
	size_t before = o->out_len;
	int closes = o->closes;
	pptp_conn_tick(o->conn, when - 1);
	assert_int_equal(o->out_len, before);
	assert_int_equal(o->closes, closes);
	return pptp_conn_tick(o->conn, when);
}

static void test_no_sccrq_closes_after_10s(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;

	conn_open(o, f->ids, NULL, 5000);
	assert_int_equal(tick_at(o, 15000), PPTP_CONN_CLOSED);
	expect_no_out(o);
	assert_int_equal(o->closes, 1);
	assert_int_equal(o->why, PPTP_CLOSE_SCCRQ_TIMEOUT);
	assert_int_equal(pptp_conn_next_deadline(o->conn), UINT64_MAX);
	/* Ticks after close do nothing. */
	pptp_conn_tick(o->conn, 99999);
	assert_int_equal(o->closes, 1);
}

static void test_sccrq_wait_is_not_extended_by_traffic(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_msg m = msg_echorq(1), r;

	conn_open(o, f->ids, NULL, 0);
	/* A peer that only echoes cannot hold the connection open. */
	feed(o, 9000, &m);
	r = expect_out(o, PPTP_ECHORP);
	assert_int_equal(r.u.echorp.result, PPTP_ECHORP_GENERAL_ERROR);
	assert_int_equal(tick_at(o, 10000), PPTP_CONN_CLOSED);
	assert_int_equal(o->why, PPTP_CLOSE_SCCRQ_TIMEOUT);
}

static void test_sccrq_timeout_configurable(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_conn_cfg cfg;

	pptp_conn_cfg_init(&cfg);
	cfg.sccrq_timeout_ms = 5000; /* accel-ppp's value */
	conn_open(o, f->ids, &cfg, 100);
	assert_int_equal(tick_at(o, 5100), PPTP_CONN_CLOSED);
}

static void test_echo_after_silence_then_close_without_reply(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_msg r;

	conn_open(o, f->ids, NULL, 0);
	establish(o, 1000);
	place_call(o, 2000, 10);
	/* 60 s after the last control message (the OCRQ) */
	assert_int_equal(tick_at(o, 62000), PPTP_CONN_ESTABLISHED);
	r = expect_out(o, PPTP_ECHORQ);
	expect_no_out(o);
	assert_int_equal(pptp_conn_stats(o->conn)->events[PPTP_EV_ECHO_SENT], 1);
	/* No reply for 60 s: close, and the call goes with it */
	assert_int_equal(tick_at(o, 122000), PPTP_CONN_CLOSED);
	expect_no_out(o);
	assert_int_equal(o->why, PPTP_CLOSE_ECHO_TIMEOUT);
	assert_int_equal(o->ncleared, 1);
	assert_int_equal(o->cleared[0].cause, PPTP_CLEAR_CONN_CLOSED);
	assert_int_equal(pptp_call_id_used(f->ids), 0);
	(void)r;
}

static void test_reply_restarts_the_cycle_with_a_new_identifier(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_msg m, r1, r2;

	conn_open(o, f->ids, NULL, 0);
	establish(o, 0);
	place_call(o, 0, 10);
	tick_at(o, 60000);
	r1 = expect_out(o, PPTP_ECHORQ);
	m = msg_echorp(r1.u.echorq.id, PPTP_ECHORP_OK);
	feed(o, 61000, &m);
	/* next echo 60 s after that reply */
	tick_at(o, 121000);
	r2 = expect_out(o, PPTP_ECHORQ);
	assert_int_not_equal(r1.u.echorq.id, r2.u.echorq.id);
	/* A reply with result General Error is still a sign of life. */
	m = msg_echorp(r2.u.echorq.id, PPTP_ECHORP_GENERAL_ERROR);
	feed(o, 122000, &m);
	assert_int_equal(pptp_conn_next_deadline(o->conn), 182000);
	assert_int_equal(pptp_conn_stats(o->conn)->events[PPTP_EV_ECHO_ERROR], 1);
}

static void test_traffic_postpones_our_echo(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_msg m;

	conn_open(o, f->ids, NULL, 0);
	establish(o, 0);
	place_call(o, 0, 10);
	/* The peer's own echoes every 50 s: we never need to send one. */
	for (uint64_t t = 50000; t <= 500000; t += 50000) {
		pptp_conn_tick(o->conn, t - 1);
		m = msg_echorq((uint32_t)t);
		feed(o, t, &m);
		expect_out(o, PPTP_ECHORP);
		expect_no_out(o);
		assert_int_equal(pptp_conn_next_deadline(o->conn), t + 60000);
	}
	/* Any message counts, not only echoes. */
	m = msg_sli(o->last_call.call_id);
	feed(o, 530000, &m);
	assert_int_equal(pptp_conn_next_deadline(o->conn), 590000);
	assert_int_equal(pptp_conn_stats(o->conn)->events[PPTP_EV_ECHO_SENT], 0);
}

static void test_only_the_matching_reply_answers_our_echo(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_msg m, r;

	conn_open(o, f->ids, NULL, 0);
	establish(o, 0);
	place_call(o, 0, 10);
	tick_at(o, 60000);
	r = expect_out(o, PPTP_ECHORQ);
	/* Other traffic and a reply to another identifier do not answer it. */
	m = msg_echorq(77);
	feed(o, 70000, &m);
	expect_out(o, PPTP_ECHORP);
	m = msg_echorp(r.u.echorq.id + 1, PPTP_ECHORP_OK);
	feed(o, 80000, &m);
	assert_int_equal(pptp_conn_stats(o->conn)->events[PPTP_EV_ECHO_MISMATCH], 1);
	assert_int_equal(tick_at(o, 120000), PPTP_CONN_CLOSED);
	assert_int_equal(o->why, PPTP_CLOSE_ECHO_TIMEOUT);
}

static void test_echo_off(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_conn_cfg cfg;

	pptp_conn_cfg_init(&cfg);
	cfg.echo_interval_ms = 0;
	cfg.call_wait_ms = 0;
	conn_open(o, f->ids, &cfg, 0);
	establish(o, 0);
	assert_int_equal(pptp_conn_next_deadline(o->conn), UINT64_MAX);
	pptp_conn_tick(o->conn, UINT64_MAX - 1);
	expect_no_out(o);
	assert_int_equal(o->closes, 0);
}

static void test_no_call_in_time_stops_the_connection(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_msg r;

	conn_open(o, f->ids, NULL, 0);
	establish(o, 500);
	/* 10 s without a call (before the 60 s echo) */
	assert_int_equal(tick_at(o, 10500), PPTP_CONN_WAIT_STOP_REPLY);
	r = expect_out(o, PPTP_STOPCCRQ);
	assert_int_equal(r.u.stopccrq.reason, PPTP_STOP_NONE);
	expect_no_out(o);
	/* and no reply to the stop within 10 s: close */
	assert_int_equal(tick_at(o, 20500), PPTP_CONN_CLOSED);
	assert_int_equal(o->why, PPTP_CLOSE_STOP_TIMEOUT);
}

static void test_call_wait_restarts_when_the_last_call_ends(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_msg m;

	conn_open(o, f->ids, NULL, 0);
	establish(o, 0);
	place_call(o, 9000, 10);
	/* with a call, only the echo is due */
	assert_int_equal(pptp_conn_next_deadline(o->conn), 69000);
	m = msg_ccrq(10);
	feed(o, 30000, &m);
	expect_out(o, PPTP_CDN);
	assert_int_equal(tick_at(o, 40000), PPTP_CONN_WAIT_STOP_REPLY);
	expect_out(o, PPTP_STOPCCRQ);
}

static void test_stop_reply_timeout(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;
	struct pptp_conn_cfg cfg;

	pptp_conn_cfg_init(&cfg);
	cfg.stop_timeout_ms = 3000;
	conn_open(o, f->ids, &cfg, 0);
	establish(o, 0);
	place_call(o, 0, 10);
	pptp_conn_stop(o->conn, 7000, PPTP_STOP_LOCAL_SHUTDOWN);
	expect_out(o, PPTP_CDN);
	expect_out(o, PPTP_STOPCCRQ);
	/* The peer's echo is answered but does not extend the wait. */
	struct pptp_msg m = msg_echorq(3);
	feed(o, 9000, &m);
	expect_out(o, PPTP_ECHORP);
	assert_int_equal(tick_at(o, 10000), PPTP_CONN_CLOSED);
	expect_no_out(o);
	assert_int_equal(o->why, PPTP_CLOSE_STOP_TIMEOUT);
}

static void test_late_tick_runs_what_is_due(void **state)
{
	struct fixture *f = *state;
	struct owner *o = &f->o;

	conn_open(o, f->ids, NULL, 0);
	establish(o, 0);
	place_call(o, 0, 10);
	/* The loop was busy: one tick long after the echo was due sends it,
	 * and the reply timeout counts from then. */
	pptp_conn_tick(o->conn, 100000);
	expect_out(o, PPTP_ECHORQ);
	assert_int_equal(pptp_conn_next_deadline(o->conn), 160000);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_no_sccrq_closes_after_10s),
		T(test_sccrq_wait_is_not_extended_by_traffic),
		T(test_sccrq_timeout_configurable),
		T(test_echo_after_silence_then_close_without_reply),
		T(test_reply_restarts_the_cycle_with_a_new_identifier),
		T(test_traffic_postpones_our_echo),
		T(test_only_the_matching_reply_answers_our_echo),
		T(test_echo_off),
		T(test_no_call_in_time_stops_the_connection),
		T(test_call_wait_restarts_when_the_last_call_ends),
		T(test_stop_reply_timeout),
		T(test_late_tick_runs_what_is_due),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
