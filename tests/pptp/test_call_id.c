/* SPDX-License-Identifier: BSD-3-Clause */
/* Call-ID allocator: round-robin order, wrap-around, exhaustion, never 0,
 * never one ID twice, release rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pptp/call_id.h"

static struct pptp_call_id_allocator *fill_all(void)
{
	struct pptp_call_id_allocator *a = pptp_call_id_allocator_new();

	assert_non_null(a);
	for (uint32_t i = 1; i <= PPTP_CALL_ID_USABLE; i++)
		assert_int_equal(pptp_call_id_alloc(a), i);
	return a;
}

static void test_first_ids_in_order(void **state)
{
	struct pptp_call_id_allocator *a = pptp_call_id_allocator_new();

	(void)state;
	assert_int_equal(pptp_call_id_used(a), 0);
	assert_false(pptp_call_id_in_use(a, 0));
	assert_int_equal(pptp_call_id_alloc(a), 1);
	assert_int_equal(pptp_call_id_alloc(a), 2);
	assert_int_equal(pptp_call_id_alloc(a), 3);
	assert_true(pptp_call_id_in_use(a, 2));
	assert_false(pptp_call_id_in_use(a, 4));
	assert_int_equal(pptp_call_id_used(a), 3);
	pptp_call_id_allocator_free(a);
}

static void test_never_zero_never_twice_then_exhausted(void **state)
{
	struct pptp_call_id_allocator *a = pptp_call_id_allocator_new();
	uint8_t *seen = calloc(65536, 1);

	(void)state;
	/* Allocation order is an implementation detail here: check the set. */
	for (uint32_t i = 0; i < PPTP_CALL_ID_USABLE; i++) {
		uint16_t id = pptp_call_id_alloc(a);
		assert_int_not_equal(id, 0);
		assert_int_equal(seen[id], 0);
		seen[id] = 1;
	}
	assert_int_equal(pptp_call_id_used(a), PPTP_CALL_ID_USABLE);
	assert_int_equal(pptp_call_id_alloc(a), 0);
	assert_int_equal(pptp_call_id_alloc(a), 0);
	assert_int_equal(pptp_call_id_used(a), PPTP_CALL_ID_USABLE);
	assert_false(pptp_call_id_in_use(a, 0));
	free(seen);
	pptp_call_id_allocator_free(a);
}

static void test_round_robin_not_lowest_free(void **state)
{
	struct pptp_call_id_allocator *a = pptp_call_id_allocator_new();

	(void)state;
	assert_int_equal(pptp_call_id_alloc(a), 1);
	assert_int_equal(pptp_call_id_alloc(a), 2);
	assert_int_equal(pptp_call_id_alloc(a), 3);
	assert_true(pptp_call_id_release(a, 1));
	/* 1 is free, but the search goes on after the last one handed out. */
	assert_int_equal(pptp_call_id_alloc(a), 4);
	assert_true(pptp_call_id_release(a, 4));
	assert_int_equal(pptp_call_id_alloc(a), 5);
	pptp_call_id_allocator_free(a);
}

static void test_wrap_after_65535(void **state)
{
	struct pptp_call_id_allocator *a = fill_all();

	(void)state;
	/* Free everything: the next search starts after 65535 and wraps to 1,
	 * skipping 0. */
	for (uint32_t i = 1; i <= PPTP_CALL_ID_USABLE; i++)
		assert_true(pptp_call_id_release(a, (uint16_t)i));
	assert_int_equal(pptp_call_id_used(a), 0);
	assert_int_equal(pptp_call_id_alloc(a), 1);
	pptp_call_id_allocator_free(a);
}

static void test_wrap_finds_bits_below_start_in_first_word(void **state)
{
	struct pptp_call_id_allocator *a = fill_all();

	(void)state;
	assert_true(pptp_call_id_release(a, 70)); /* word 1, bit 6 */
	assert_true(pptp_call_id_release(a, 5));  /* word 0 */
	/* Last handed out: 65535. Wrap: 5 comes before 70. */
	assert_int_equal(pptp_call_id_alloc(a), 5);
	assert_int_equal(pptp_call_id_alloc(a), 70);
	/* Now the search starts at 71, in word 1: a free ID below it in the
	 * same word (65) is found only after a full turn. */
	assert_true(pptp_call_id_release(a, 65));
	assert_int_equal(pptp_call_id_alloc(a), 65);
	assert_int_equal(pptp_call_id_alloc(a), 0);
	/* A free ID just before the last one handed out: the longest scan. */
	assert_true(pptp_call_id_release(a, 64));
	assert_int_equal(pptp_call_id_alloc(a), 64);
	assert_true(pptp_call_id_release(a, 65535));
	assert_true(pptp_call_id_release(a, 63));
	assert_int_equal(pptp_call_id_alloc(a), 65535);
	assert_int_equal(pptp_call_id_alloc(a), 63);
	pptp_call_id_allocator_free(a);
}

static void test_release_rules(void **state)
{
	struct pptp_call_id_allocator *a = pptp_call_id_allocator_new();

	(void)state;
	assert_false(pptp_call_id_release(a, 0));
	assert_false(pptp_call_id_release(a, 1)); /* never allocated */
	assert_int_equal(pptp_call_id_alloc(a), 1);
	assert_true(pptp_call_id_release(a, 1));
	assert_false(pptp_call_id_release(a, 1)); /* twice */
	assert_int_equal(pptp_call_id_used(a), 0);
	assert_false(pptp_call_id_release(a, 0));
	assert_int_equal(pptp_call_id_alloc(a), 2); /* 0 stayed reserved */
	pptp_call_id_allocator_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_ids_in_order),
		cmocka_unit_test(test_never_zero_never_twice_then_exhausted),
		cmocka_unit_test(test_round_robin_not_lowest_free),
		cmocka_unit_test(test_wrap_after_65535),
		cmocka_unit_test(test_wrap_finds_bits_below_start_in_first_word),
		cmocka_unit_test(test_release_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
