/* SPDX-License-Identifier: BSD-3-Clause */
/* Address pools: parsing, no double allocation, reserved addresses, exhaustion, scale. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ppp/ip_pool.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static void test_parse(void **state)
{
	struct ip_range r;
	uint32_t a;
	char buf[16];
	(void)state;

	assert_int_equal(ip_range_parse("100.64.0.0/16", &r), 0);
	assert_int_equal(r.first, IP(100, 64, 0, 1));    /* network excluded */
	assert_int_equal(r.last, IP(100, 64, 255, 254)); /* broadcast excluded */
	assert_int_equal(ip_range_parse("10.0.0.4/31", &r), 0);
	assert_int_equal(r.first, IP(10, 0, 0, 4));
	assert_int_equal(r.last, IP(10, 0, 0, 5));
	assert_int_equal(ip_range_parse("10.0.0.9/32", &r), 0);
	assert_int_equal(r.first, r.last);
	assert_int_equal(ip_range_parse("10.1.0.10-10.1.0.20", &r), 0);
	assert_int_equal(r.first, IP(10, 1, 0, 10));
	assert_int_equal(r.last, IP(10, 1, 0, 20));
	assert_int_equal(ip_range_parse("10.1.2.3", &r), 0);
	assert_int_equal(r.first, IP(10, 1, 2, 3));
	assert_int_equal(r.last, r.first);

	assert_int_equal(ip_range_parse("100.64.0.1/16", &r), -1); /* host bits set */
	assert_int_equal(ip_range_parse("10.0.0.0/33", &r), -1);
	assert_int_equal(ip_range_parse("10.0.0.0/", &r), -1);
	assert_int_equal(ip_range_parse("10.0.0.20-10.0.0.10", &r), -1);
	assert_int_equal(ip_range_parse("10.0.0", &r), -1);
	assert_int_equal(ip_range_parse("10.0.0.256", &r), -1);
	assert_int_equal(ip_range_parse("10.0.0.1x", &r), -1);
	assert_int_equal(ip_range_parse("", &r), -1);
	assert_int_equal(ip_addr_parse("1.2.3.4", &a), 0);
	assert_string_equal(ip_addr_str(a, buf), "1.2.3.4");
	assert_int_equal(ip_addr_parse("01.2.3.0004", &a), -1);
}

static void test_reserved_and_unique(void **state)
{
	struct ip_range r;
	uint32_t reserved[] = { IP(10, 0, 0, 1), IP(10, 0, 0, 7), IP(192, 168, 9, 9) };
	struct ip_pool_stats st;
	uint8_t seen[256] = { 0 };
	char err[128];
	uint32_t a;
	(void)state;

	assert_int_equal(ip_range_parse("10.0.0.0/24", &r), 0);
	struct ip_pool *p = ip_pool_create(&r, 1, reserved, 3, err, sizeof(err));
	assert_non_null(p);
	ip_pool_get_stats(p, &st);
	assert_int_equal(st.size, 254 - 2); /* .1 and .7 reserved; 192.168.9.9 is outside */
	assert_int_equal(st.free, 252);
	for (int i = 0; i < 252; i++) {
		assert_int_equal(ip_pool_alloc(p, &a), 0);
		assert_int_equal(a >> 8, IP(10, 0, 0, 0) >> 8);
		assert_true((a & 255) != 0 && (a & 255) != 255 && (a & 255) != 1 && (a & 255) != 7);
		assert_int_equal(seen[a & 255], 0);
		seen[a & 255] = 1;
		assert_true(ip_pool_in_use(p, a));
	}
	assert_int_equal(ip_pool_alloc(p, &a), -1);
	ip_pool_get_stats(p, &st);
	assert_int_equal(st.free, 0);
	assert_int_equal(st.exhausted, 1);
	/* Reserved addresses can never be claimed; double release fails. */
	assert_int_equal(ip_pool_claim(p, IP(10, 0, 0, 1)), -1);
	assert_int_equal(ip_pool_claim(p, IP(10, 0, 0, 7)), -1);
	assert_int_equal(ip_pool_release(p, IP(10, 0, 0, 7)), -1);
	assert_int_equal(ip_pool_release(p, IP(10, 0, 0, 50)), 0);
	assert_int_equal(ip_pool_release(p, IP(10, 0, 0, 50)), -1);
	assert_false(ip_pool_in_use(p, IP(10, 0, 0, 50)));
	assert_int_equal(ip_pool_alloc(p, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 50));
	ip_pool_free(p);
}

/* Released addresses go to the back of the queue; claims take one address out. */
static void test_lru_and_claim(void **state)
{
	struct ip_range r = { IP(10, 0, 0, 10), IP(10, 0, 0, 14) };
	char err[128];
	uint32_t a, b, c;
	(void)state;

	struct ip_pool *p = ip_pool_create(&r, 1, NULL, 0, err, sizeof(err));
	assert_non_null(p);
	assert_int_equal(ip_pool_alloc(p, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 10));
	assert_int_equal(ip_pool_release(p, a), 0);
	/* .10 was just freed: the other four come first. */
	for (uint32_t want = IP(10, 0, 0, 11); want <= IP(10, 0, 0, 14); want++) {
		assert_int_equal(ip_pool_alloc(p, &b), 0);
		assert_int_equal(b, want);
	}
	assert_int_equal(ip_pool_alloc(p, &c), 0);
	assert_int_equal(c, IP(10, 0, 0, 10));
	for (uint32_t x = IP(10, 0, 0, 10); x <= IP(10, 0, 0, 14); x++)
		assert_int_equal(ip_pool_release(p, x), 0);
	/* A static address inside the range is claimed from the middle of the queue. */
	assert_int_equal(ip_pool_claim(p, IP(10, 0, 0, 12)), 0);
	assert_int_equal(ip_pool_claim(p, IP(10, 0, 0, 12)), -1);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(ip_pool_alloc(p, &a), 0);
		assert_int_not_equal(a, IP(10, 0, 0, 12));
	}
	assert_int_equal(ip_pool_alloc(p, &a), -1);
	/* Outside the range: remembered, so a second claim fails. */
	assert_false(ip_pool_contains(p, IP(172, 16, 0, 1)));
	assert_int_equal(ip_pool_claim(p, IP(172, 16, 0, 1)), 0);
	assert_int_equal(ip_pool_claim(p, IP(172, 16, 0, 1)), -1);
	assert_true(ip_pool_in_use(p, IP(172, 16, 0, 1)));
	assert_int_equal(ip_pool_release(p, IP(172, 16, 0, 1)), 0);
	assert_int_equal(ip_pool_release(p, IP(172, 16, 0, 1)), -1);
	assert_int_equal(ip_pool_claim(p, IP(172, 16, 0, 1)), 0);
	assert_int_equal(ip_pool_claim(p, 0), -1);
	assert_int_equal(ip_pool_claim(p, UINT32_MAX), -1);
	ip_pool_free(p);
}

/* Many static addresses outside the ranges, claimed and released in churn. */
static void test_outside_churn(void **state)
{
	struct ip_range r = { IP(10, 0, 0, 1), IP(10, 0, 0, 1) };
	struct ip_pool_stats st;
	char err[128];
	(void)state;

	struct ip_pool *p = ip_pool_create(&r, 1, NULL, 0, err, sizeof(err));
	for (int round = 0; round < 50; round++) {
		for (uint32_t i = 0; i < 1000; i++)
			assert_int_equal(ip_pool_claim(p, IP(172, 16, 0, 0) + round * 1000 + i), 0);
		for (uint32_t i = 0; i < 1000; i++)
			assert_int_equal(ip_pool_release(p, IP(172, 16, 0, 0) + round * 1000 + i),
					 0);
	}
	ip_pool_get_stats(p, &st);
	assert_int_equal(st.outside, 0);
	ip_pool_free(p);
}

static void test_multiple_ranges(void **state)
{
	struct ip_range r[3];
	struct ip_pool_stats st;
	char err[128];
	uint32_t a;
	(void)state;

	assert_int_equal(ip_range_parse("10.0.2.0-10.0.2.1", &r[0]), 0);
	assert_int_equal(ip_range_parse("10.0.0.0-10.0.0.1", &r[1]), 0);
	assert_int_equal(ip_range_parse("10.0.1.5", &r[2]), 0);
	struct ip_pool *p = ip_pool_create(r, 3, NULL, 0, err, sizeof(err));
	assert_non_null(p);
	ip_pool_get_stats(p, &st);
	assert_int_equal(st.size, 5);
	uint32_t want[] = { IP(10, 0, 0, 0), IP(10, 0, 0, 1), IP(10, 0, 1, 5), IP(10, 0, 2, 0),
			    IP(10, 0, 2, 1) };
	for (int i = 0; i < 5; i++) {
		assert_int_equal(ip_pool_alloc(p, &a), 0);
		assert_int_equal(a, want[i]);
	}
	assert_false(ip_pool_contains(p, IP(10, 0, 1, 4)));
	assert_true(ip_pool_contains(p, IP(10, 0, 1, 5)));
	ip_pool_free(p);

	/* Overlaps and empty ranges are configuration errors. */
	assert_int_equal(ip_range_parse("10.0.0.1-10.0.2.0", &r[2]), 0);
	assert_null(ip_pool_create(r, 3, NULL, 0, err, sizeof(err)));
	assert_non_null(strstr(err, "overlap"));
	assert_null(ip_pool_create(r, 0, NULL, 0, err, sizeof(err)));
	struct ip_range huge = { IP(10, 0, 0, 0), IP(10, 255, 255, 255) };
	assert_null(ip_pool_create(&huge, 1, NULL, 0, err, sizeof(err)));
}

/* The lab pool: 65,536 sessions, all different addresses. */
static void test_65536(void **state)
{
	struct ip_range r;
	struct ip_pool_stats st;
	uint8_t *seen = calloc(65536, 1);
	char err[128];
	uint32_t a;
	(void)state;

	/* As a range the /16 holds 65,536 addresses... */
	assert_int_equal(ip_range_parse("100.64.0.0-100.64.255.255", &r), 0);
	struct ip_pool *p = ip_pool_create(&r, 1, NULL, 0, err, sizeof(err));
	assert_non_null(p);
	for (int i = 0; i < 65536; i++) {
		assert_int_equal(ip_pool_alloc(p, &a), 0);
		assert_int_equal(a >> 16, 100 << 8 | 64);
		assert_int_equal(seen[a & 0xFFFF], 0);
		seen[a & 0xFFFF] = 1;
	}
	assert_int_equal(ip_pool_alloc(p, &a), -1);
	for (uint32_t i = 0; i < 65536; i += 2)
		assert_int_equal(ip_pool_release(p, IP(100, 64, 0, 0) + i), 0);
	ip_pool_get_stats(p, &st);
	assert_int_equal(st.free, 32768);
	ip_pool_free(p);

	/* ...as CIDR it excludes network and broadcast, and our own address. */
	uint32_t ours = IP(100, 64, 0, 1);
	assert_int_equal(ip_range_parse("100.64.0.0/16", &r), 0);
	p = ip_pool_create(&r, 1, &ours, 1, err, sizeof(err));
	ip_pool_get_stats(p, &st);
	assert_int_equal(st.size, 65533);
	memset(seen, 0, 65536);
	while (ip_pool_alloc(p, &a) == 0)
		seen[a & 0xFFFF] = 1;
	assert_int_equal(seen[0], 0);
	assert_int_equal(seen[1], 0);
	assert_int_equal(seen[0xFFFF], 0);
	assert_int_equal(seen[2], 1);
	ip_pool_free(p);
	free(seen);
}

/* A reload's new ranges: addresses in use survive, whether the new ranges
 * still hold them or not; a reservation over one in use is refused. */
static void test_reshape(void **state)
{
	struct ip_range r1 = { IP(10, 0, 0, 1), IP(10, 0, 0, 4) };
	struct ip_range r2[2] = { { IP(10, 0, 0, 3), IP(10, 0, 0, 6) },
				  { IP(10, 9, 0, 1), IP(10, 9, 0, 2) } };
	struct ip_pool_stats st;
	char err[128];
	uint32_t a, used[4];
	(void)state;

	struct ip_pool *p = ip_pool_create(&r1, 1, NULL, 0, err, sizeof(err));
	assert_non_null(p);
	for (int i = 0; i < 4; i++)
		assert_int_equal(ip_pool_alloc(p, &used[i]), 0);
	assert_int_equal(ip_pool_alloc(p, &a), -1);
	assert_int_equal(ip_pool_release(p, IP(10, 0, 0, 2)), 0);
	assert_int_equal(ip_pool_claim(p, IP(172, 16, 0, 1)), 0); /* a static one */

	/* Invalid new ranges, or a reservation over an address in use: unchanged. */
	struct ip_range bad[2] = { { IP(10, 0, 0, 1), IP(10, 0, 0, 5) },
				   { IP(10, 0, 0, 5), IP(10, 0, 0, 9) } };
	assert_int_equal(ip_pool_reshape(p, bad, 2, NULL, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "overlap"));
	uint32_t res = IP(10, 0, 0, 3);
	assert_int_equal(ip_pool_reshape(p, r2, 2, &res, 1, err, sizeof(err)), -1);
	assert_string_equal(err, "10.0.0.3 is in use and would be reserved");
	ip_pool_get_stats(p, &st);
	assert_int_equal(st.size, 4);
	assert_int_equal(st.free, 1);
	assert_true(ip_pool_contains(p, IP(10, 0, 0, 1)));

	/* 10.0.0.1 (in use) leaves the ranges, 10.0.0.2 (free) goes away,
	 * 10.0.0.3-4 stay in use, 5, 6 and 10.9.0.1-2 are new. */
	assert_int_equal(ip_pool_reshape(p, r2, 2, NULL, 0, err, sizeof(err)), 0);
	ip_pool_get_stats(p, &st);
	assert_int_equal(st.size, 6);
	assert_int_equal(st.free, 4);
	assert_int_equal(st.outside, 2); /* 10.0.0.1 and the static 172.16.0.1 */
	assert_int_equal(st.exhausted, 1);
	assert_true(ip_pool_in_use(p, IP(10, 0, 0, 1)));
	assert_true(ip_pool_in_use(p, IP(10, 0, 0, 3)));
	assert_true(ip_pool_in_use(p, IP(172, 16, 0, 1)));
	for (int i = 0; i < 4; i++) {
		assert_int_equal(ip_pool_alloc(p, &a), 0);
		assert_true(a == IP(10, 0, 0, 5) || a == IP(10, 0, 0, 6) || a == IP(10, 9, 0, 1) ||
			    a == IP(10, 9, 0, 2));
	}
	assert_int_equal(ip_pool_alloc(p, &a), -1);
	/* The sessions end: each address goes back where it now belongs. */
	assert_int_equal(ip_pool_release(p, IP(10, 0, 0, 1)), 0);
	assert_int_equal(ip_pool_release(p, IP(10, 0, 0, 3)), 0);
	assert_int_equal(ip_pool_release(p, IP(172, 16, 0, 1)), 0);
	assert_int_equal(ip_pool_release(p, IP(10, 0, 0, 2)), -1);
	ip_pool_get_stats(p, &st);
	assert_int_equal(st.outside, 0);
	assert_int_equal(st.free, 1);
	assert_int_equal(ip_pool_alloc(p, &a), 0);
	assert_int_equal(a, IP(10, 0, 0, 3));
	ip_pool_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_reserved_and_unique),
		cmocka_unit_test(test_lru_and_claim),
		cmocka_unit_test(test_outside_churn),
		cmocka_unit_test(test_multiple_ranges),
		cmocka_unit_test(test_65536),
		cmocka_unit_test(test_reshape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
