/* SPDX-License-Identifier: BSD-3-Clause */
/* Admission limits and the per-source token buckets, on a fake clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pptp/admission.h"
#include "pptp/src_limit.h"

#define A 0xC6336402u /* 198.51.100.2 */
#define B 0xC6336403u

/* ---- per-source token buckets ---- */

static struct pptp_src_limit *limiter(uint32_t burst, uint32_t refill_ms, uint32_t slots)
{
	struct pptp_src_limit_cfg cfg = {
		.burst = burst, .refill_ms = refill_ms, .slots = slots, .seed = 0x1234567
	};
	struct pptp_src_limit *l = pptp_src_limit_new(&cfg);

	assert_non_null(l);
	return l;
}

static void test_burst_then_limited(void **state)
{
	struct pptp_src_limit *l = limiter(3, 1000, 64);

	(void)state;
	assert_int_equal(pptp_src_limit_tokens(l, 0, A), 3);
	assert_true(pptp_src_limit_take(l, 0, A));
	assert_true(pptp_src_limit_take(l, 0, A));
	assert_true(pptp_src_limit_take(l, 0, A));
	assert_false(pptp_src_limit_take(l, 0, A));
	assert_false(pptp_src_limit_take(l, 999, A));
	/* Another source has its own bucket. */
	assert_true(pptp_src_limit_take(l, 999, B));
	assert_int_equal(pptp_src_limit_stats(l)->allowed, 4);
	assert_int_equal(pptp_src_limit_stats(l)->limited, 2);
	pptp_src_limit_free(l);
}

static void test_refill_keeps_the_remainder(void **state)
{
	struct pptp_src_limit *l = limiter(2, 1000, 64);

	(void)state;
	assert_true(pptp_src_limit_take(l, 0, A));
	assert_true(pptp_src_limit_take(l, 0, A));
	assert_false(pptp_src_limit_take(l, 0, A));
	/* 1.5 periods: one token, and the half period is not lost. */
	assert_int_equal(pptp_src_limit_tokens(l, 1500, A), 1);
	assert_true(pptp_src_limit_take(l, 1500, A));
	assert_false(pptp_src_limit_take(l, 1999, A));
	assert_true(pptp_src_limit_take(l, 2000, A));
	/* A long silence refills to the burst, not beyond. */
	assert_int_equal(pptp_src_limit_tokens(l, 1000000, A), 2);
	pptp_src_limit_free(l);
}

static void test_clock_going_back_adds_nothing(void **state)
{
	struct pptp_src_limit *l = limiter(1, 1000, 64);

	(void)state;
	assert_true(pptp_src_limit_take(l, 5000, A));
	assert_false(pptp_src_limit_take(l, 0, A));
	assert_int_equal(pptp_src_limit_tokens(l, 100, A), 0);
	assert_true(pptp_src_limit_take(l, 6000, A));
	pptp_src_limit_free(l);
}

static void test_full_set_prefers_refilled_slot(void **state)
{
	/* 8 slots: one set, so every source competes for it. */
	struct pptp_src_limit *l = limiter(1, 1000, 8);
	uint32_t src[9];

	(void)state;
	for (uint32_t i = 0; i < 9; i++)
		src[i] = 0x0A000001u + i;
	assert_true(pptp_src_limit_take(l, 0, src[0]));
	for (uint32_t i = 1; i < 8; i++)
		assert_true(pptp_src_limit_take(l, 900, src[i]));
	/* At 1000 ms src[0] has refilled: forgetting it costs nothing. */
	assert_true(pptp_src_limit_take(l, 1000, src[8]));
	assert_int_equal(pptp_src_limit_stats(l)->evictions, 0);
	for (uint32_t i = 1; i < 8; i++)
		assert_int_equal(pptp_src_limit_tokens(l, 1000, src[i]), 0);
	pptp_src_limit_free(l);
}

static void test_full_set_evicts_least_recently_seen(void **state)
{
	struct pptp_src_limit *l = limiter(1, 1000000, 8);
	uint32_t src[9];

	(void)state;
	for (uint32_t i = 0; i < 9; i++)
		src[i] = 0x0A000001u + i;
	for (uint32_t i = 0; i < 8; i++)
		assert_true(pptp_src_limit_take(l, 10 + i, src[i]));
	/* src[0] knocks again (refused) and is now the most recent. */
	assert_false(pptp_src_limit_take(l, 100, src[0]));
	/* A ninth source: src[1] is the least recently seen and goes. */
	assert_true(pptp_src_limit_take(l, 200, src[8]));
	assert_int_equal(pptp_src_limit_stats(l)->evictions, 1);
	assert_int_equal(pptp_src_limit_tokens(l, 200, src[0]), 0);
	assert_int_equal(pptp_src_limit_tokens(l, 200, src[1]), 1); /* forgiven */
	assert_int_equal(pptp_src_limit_tokens(l, 200, src[2]), 0);
	pptp_src_limit_free(l);
}

static void test_table_stays_bounded_under_a_flood(void **state)
{
	struct pptp_src_limit *l = limiter(2, 60000, 64);

	(void)state;
	/* 100,000 distinct sources in one second: no growth, no failure, and
	 * every new source is let in (the limit fails open for the forgotten). */
	for (uint32_t i = 0; i < 100000; i++)
		assert_true(pptp_src_limit_take(l, i / 100, 0x64000000u + i));
	assert_int_equal(pptp_src_limit_stats(l)->allowed, 100000);
	assert_true(pptp_src_limit_stats(l)->evictions >= 100000 - 64);
	pptp_src_limit_free(l);
}

static void test_invalid_config(void **state)
{
	struct pptp_src_limit_cfg cfg = { .burst = 1, .refill_ms = 1, .slots = 1 };

	(void)state;
	cfg.burst = 0;
	assert_null(pptp_src_limit_new(&cfg));
	cfg.burst = 1;
	cfg.refill_ms = 0;
	assert_null(pptp_src_limit_new(&cfg));
	cfg.refill_ms = 1;
	cfg.slots = 0;
	assert_null(pptp_src_limit_new(&cfg));
	cfg.slots = 1; /* rounded up to one set */
	struct pptp_src_limit *l = pptp_src_limit_new(&cfg);
	assert_non_null(l);
	pptp_src_limit_free(l);
}

/* ---- admission ---- */

static struct pptp_admission *admission(uint32_t max_sessions, uint32_t max_setup, uint32_t burst)
{
	struct pptp_admission_cfg cfg = {
		.max_sessions = max_sessions,
		.max_setup = max_setup,
		.rate = { .burst = burst, .refill_ms = 1000, .slots = 1024, .seed = 99 },
	};
	struct pptp_admission *adm = pptp_admission_new(&cfg);

	assert_non_null(adm);
	return adm;
}

static void test_max_sessions(void **state)
{
	struct pptp_admission *adm = admission(2, 0, 0);
	const struct pptp_admission_stats *st = pptp_admission_stats(adm);

	(void)state;
	assert_int_equal(pptp_admit_session_begin(adm), PPTP_ADMIT_OK);
	pptp_admit_session_up(adm);
	assert_int_equal(pptp_admit_connection(adm, 0, A), PPTP_ADMIT_OK);
	assert_int_equal(pptp_admit_session_begin(adm), PPTP_ADMIT_OK);
	assert_int_equal(st->setup, 1);
	assert_int_equal(st->up, 1);
	/* Full: new connections and new sessions are refused. */
	assert_int_equal(pptp_admit_connection(adm, 0, A), PPTP_ADMIT_MAX_SESSIONS);
	assert_int_equal(pptp_admit_session_begin(adm), PPTP_ADMIT_MAX_SESSIONS);
	pptp_admit_session_end(adm, true);
	assert_int_equal(pptp_admit_session_begin(adm), PPTP_ADMIT_OK);
	assert_int_equal(st->sessions[PPTP_ADMIT_OK], 3);
	assert_int_equal(st->sessions[PPTP_ADMIT_MAX_SESSIONS], 1);
	assert_int_equal(st->connections[PPTP_ADMIT_MAX_SESSIONS], 1);
	pptp_admission_free(adm);
}

static void test_max_setup(void **state)
{
	struct pptp_admission *adm = admission(0, 2, 0);
	const struct pptp_admission_stats *st = pptp_admission_stats(adm);

	(void)state;
	assert_int_equal(pptp_admit_session_begin(adm), PPTP_ADMIT_OK);
	assert_int_equal(pptp_admit_session_begin(adm), PPTP_ADMIT_OK);
	assert_int_equal(pptp_admit_session_begin(adm), PPTP_ADMIT_MAX_SETUP);
	assert_int_equal(pptp_admit_connection(adm, 0, A), PPTP_ADMIT_MAX_SETUP);
	/* One reaches the network phase: a set-up slot frees, sessions are
	 * otherwise unlimited. */
	pptp_admit_session_up(adm);
	assert_int_equal(pptp_admit_session_begin(adm), PPTP_ADMIT_OK);
	assert_int_equal(st->setup, 2);
	assert_int_equal(st->up, 1);
	/* One fails during set-up. */
	pptp_admit_session_end(adm, false);
	assert_int_equal(st->setup, 1);
	assert_int_equal(pptp_admit_connection(adm, 0, A), PPTP_ADMIT_OK);
	pptp_admission_free(adm);
}

static void test_unbalanced_calls_are_counted_not_wrapped(void **state)
{
	struct pptp_admission *adm = admission(0, 0, 0);
	const struct pptp_admission_stats *st = pptp_admission_stats(adm);

	(void)state;
	pptp_admit_session_up(adm);
	pptp_admit_session_end(adm, true);
	pptp_admit_session_end(adm, false);
	assert_int_equal(st->unbalanced, 3);
	assert_int_equal(st->setup, 0);
	assert_int_equal(st->up, 0);
	pptp_admission_free(adm);
}

static void test_rate_limit_per_source(void **state)
{
	struct pptp_admission *adm = admission(0, 0, 2);
	const struct pptp_admission_stats *st = pptp_admission_stats(adm);

	(void)state;
	assert_int_equal(pptp_admit_connection(adm, 0, A), PPTP_ADMIT_OK);
	assert_int_equal(pptp_admit_connection(adm, 10, A), PPTP_ADMIT_OK);
	assert_int_equal(pptp_admit_connection(adm, 20, A), PPTP_ADMIT_RATE_LIMITED);
	assert_int_equal(pptp_admit_connection(adm, 30, B), PPTP_ADMIT_OK);
	assert_int_equal(pptp_admit_connection(adm, 1000, A), PPTP_ADMIT_OK);
	assert_int_equal(pptp_admit_connection(adm, 1001, A), PPTP_ADMIT_RATE_LIMITED);
	assert_int_equal(st->connections[PPTP_ADMIT_OK], 4);
	assert_int_equal(st->connections[PPTP_ADMIT_RATE_LIMITED], 2);
	pptp_admission_free(adm);
}

static void test_capacity_refusal_spends_no_token(void **state)
{
	struct pptp_admission *adm = admission(1, 0, 1);

	(void)state;
	assert_int_equal(pptp_admit_session_begin(adm), PPTP_ADMIT_OK);
	for (int i = 0; i < 5; i++)
		assert_int_equal(pptp_admit_connection(adm, 0, A), PPTP_ADMIT_MAX_SESSIONS);
	pptp_admit_session_end(adm, false);
	/* The source's one token is still there. */
	assert_int_equal(pptp_admit_connection(adm, 0, A), PPTP_ADMIT_OK);
	assert_int_equal(pptp_admit_connection(adm, 0, A), PPTP_ADMIT_RATE_LIMITED);
	pptp_admission_free(adm);
}

static void test_no_limits(void **state)
{
	struct pptp_admission *adm = admission(0, 0, 0);

	(void)state;
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(pptp_admit_connection(adm, 0, A), PPTP_ADMIT_OK);
		assert_int_equal(pptp_admit_session_begin(adm), PPTP_ADMIT_OK);
	}
	assert_string_equal(pptp_admit_name(PPTP_ADMIT_RATE_LIMITED), "rate-limited");
	assert_string_equal(pptp_admit_name(PPTP_ADMIT_MAX_SETUP), "max-setup");
	pptp_admission_free(adm);
}

static void test_invalid_rate_config(void **state)
{
	struct pptp_admission_cfg cfg = { .rate = { .burst = 1, .refill_ms = 0, .slots = 8 } };

	(void)state;
	assert_null(pptp_admission_new(&cfg));
}

static void test_reconfigure_keeps_counts(void **state)
{
	struct pptp_admission *adm = admission(2, 0, 0);
	struct pptp_admission_cfg cfg = { .max_sessions = 3 };

	(void)state;
	assert_int_equal(pptp_admit_session_begin(adm), PPTP_ADMIT_OK);
	pptp_admit_session_up(adm);
	assert_int_equal(pptp_admit_session_begin(adm), PPTP_ADMIT_OK);
	assert_int_equal(pptp_admit_session_begin(adm), PPTP_ADMIT_MAX_SESSIONS);
	/* Raised at run time: one more fits, the two held still count. */
	assert_int_equal(pptp_admission_reconfigure(adm, &cfg), 0);
	assert_int_equal(pptp_admission_stats(adm)->setup, 1);
	assert_int_equal(pptp_admission_stats(adm)->up, 1);
	assert_int_equal(pptp_admit_session_begin(adm), PPTP_ADMIT_OK);
	assert_int_equal(pptp_admit_session_begin(adm), PPTP_ADMIT_MAX_SESSIONS);
	/* A per-source limit switched on, and an invalid one refused. */
	cfg.rate = (struct pptp_src_limit_cfg){ .burst = 1, .refill_ms = 1000, .slots = 8 };
	cfg.max_sessions = 0;
	assert_int_equal(pptp_admission_reconfigure(adm, &cfg), 0);
	assert_int_equal(pptp_admit_connection(adm, 0, A), PPTP_ADMIT_OK);
	assert_int_equal(pptp_admit_connection(adm, 0, A), PPTP_ADMIT_RATE_LIMITED);
	struct pptp_admission_cfg bad = { .rate = { .burst = 1, .refill_ms = 0, .slots = 8 } };
	assert_int_equal(pptp_admission_reconfigure(adm, &bad), -1);
	assert_int_equal(pptp_admit_connection(adm, 0, A), PPTP_ADMIT_RATE_LIMITED);
	pptp_admission_free(adm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_limited),
		cmocka_unit_test(test_refill_keeps_the_remainder),
		cmocka_unit_test(test_clock_going_back_adds_nothing),
		cmocka_unit_test(test_full_set_prefers_refilled_slot),
		cmocka_unit_test(test_full_set_evicts_least_recently_seen),
		cmocka_unit_test(test_table_stays_bounded_under_a_flood),
		cmocka_unit_test(test_invalid_config),
		cmocka_unit_test(test_max_sessions),
		cmocka_unit_test(test_max_setup),
		cmocka_unit_test(test_unbalanced_calls_are_counted_not_wrapped),
		cmocka_unit_test(test_rate_limit_per_source),
		cmocka_unit_test(test_capacity_refusal_spends_no_token),
		cmocka_unit_test(test_no_limits),
		cmocka_unit_test(test_invalid_rate_config),
		cmocka_unit_test(test_reconfigure_keeps_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
