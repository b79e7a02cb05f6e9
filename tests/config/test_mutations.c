/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shipped files, damaged at random under a fixed seed: bytes flipped,
 * cut, repeated; values replaced by other types and edge numbers; keys
 * removed. Whatever the loader is given, it either refuses with one line
 * naming the file and a JSON path (or a line and column), leaving the
 * defaults, or accepts, and then the dump loads back equal. Under ASan and
 * UBSan this is the loader's robustness test (CONFIG_MUTATIONS=n for more).
 *
 * argv[1]: the configs/ directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "config/dpptpd_config.h"

static const char *configs_dir = "configs";
static uint64_t rng = 0x9e3779b97f4a7c15ull;
static unsigned int accepted, refused;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static char *read_text(const char *name)
{
	char path[4096];
	FILE *f;
	char *buf = calloc(1, 1 << 16);
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", configs_dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(buf);
	n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void check(const char *text)
{
	struct dpptpd_config c, back;
	char err[1024], *dump = NULL;
	size_t len;
	FILE *f;

	if (dpptpd_config_load_string(text, "m.json", &c, err, sizeof(err)) != 0) {
		refused++;
		assert_true(strncmp(err, "m.json: $", 9) == 0 || strncmp(err, "m.json:", 7) == 0);
		if (strncmp(err, "m.json: $", 9) != 0 && !strstr(err, ": invalid JSON: "))
			fail_msg("neither a path nor a JSON position: %s", err);
		assert_null(strchr(err, '\n'));
		assert_int_equal(c.nb_pools, 0);
		dpptpd_config_free(&c);
		return;
	}
	accepted++;
	f = open_memstream(&dump, &len);
	assert_non_null(f);
	assert_int_equal(dpptpd_config_dump(&c, f), 0);
	fclose(f);
	if (dpptpd_config_load_string(dump, "m.json", &back, err, sizeof(err)) != 0)
		fail_msg("dump refused: %s\n%s", err, dump);
	assert_true(dpptpd_config_equal(&c, &back));
	dpptpd_config_free(&back);
	dpptpd_config_free(&c);
	free(dump);
}

static void mutate_bytes(const char *orig)
{
	static const char alphabet[] = "{}[]\",:0123456789.-/ abcdefxyz\\u\x01\xff";
	size_t n = strlen(orig);
	char *t = malloc(n * 2 + 64);
	size_t len = n;

	assert_non_null(t);
	memcpy(t, orig, n + 1);
	for (uint32_t k = 1 + rnd(4); k > 0 && len > 1; k--) {
		size_t at = rnd((uint32_t)len), span = 1 + rnd(16);

		if (span > len - at)
			span = len - at;
		switch (rnd(3)) {
		case 0: /* overwrite one byte */
			t[at] = alphabet[rnd(sizeof(alphabet) - 1)];
			break;
		case 1: /* cut a span */
			memmove(t + at, t + at + span, len - at - span + 1);
			len -= span;
			break;
		default: /* repeat a span, when there is room */
			if (len + span < n * 2 + 32) {
				memmove(t + at + span, t + at, len - at + 1);
				len += span;
			}
			break;
		}
	}
	t[len] = '\0';
	check(t);
	free(t);
}

/* Every node of the tree, containers included, for picking one. */
static size_t collect(json_t *v, json_t **out, size_t n, size_t max)
{
	const char *key;
	json_t *e;
	size_t i;

	if (n < max)
		out[n++] = v;
	if (json_is_object(v)) {
		json_object_foreach(v, key, e)
			n = collect(e, out, n, max);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			n = collect(e, out, n, max);
	}
	return n;
}

static json_t *random_value(void)
{
	static const long long ints[] = { -1, 0, 1, 7, 40, 63, 64, 128, 255, 256, 1023, 1436,
					  1437, 1723, 4096, 5000, 65535, 65536, 1 << 24,
					  4294967295ll, 4294967296ll, 9223372036854775807ll };
	static const char *const strs[] = { "", "x", "1.2.3.4", "198.51.100.1/24",
					    "100.64.0.0/16", "100.64.0.1-100.64.0.9",
					    "0000:3b:00.0", "net_ring0", "mschapv2", "none",
					    "access", "uplink", "02:00:00:00:00:01", "lab",
					    ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
					     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") };

	switch (rnd(7)) {
	case 0:
		return json_integer(ints[rnd(sizeof(ints) / sizeof(ints[0]))]);
	case 1:
		return json_string(strs[rnd(sizeof(strs) / sizeof(strs[0]))]);
	case 2:
		return json_real(rnd(3) ? 0.5 : 1e300);
	case 3:
		return json_boolean(rnd(2));
	case 4:
		return json_null();
	case 5:
		return json_array();
	default:
		return json_object();
	}
}

static void mutate_tree(const char *orig)
{
	json_t *root = json_loads(orig, 0, NULL), *nodes[512];
	size_t n;
	char *text;

	assert_non_null(root);
	for (uint32_t k = 1 + rnd(3); k > 0; k--) {
		json_t *target;
		const char *key;
		json_t *e;
		size_t i;

		n = collect(root, nodes, 0, 512);
		target = nodes[rnd((uint32_t)n)];
		if (json_is_object(target) && json_object_size(target) && rnd(2)) {
			uint32_t pick = rnd((uint32_t)json_object_size(target));

			json_object_foreach(target, key, e) {
				if (pick-- == 0) {
					if (rnd(2))
						json_object_del(target, key);
					else
						json_object_set_new(target, key, random_value());
					break;
				}
			}
		} else if (json_is_array(target) && json_array_size(target)) {
			i = rnd((uint32_t)json_array_size(target));
			if (rnd(2))
				json_array_remove(target, i);
			else
				json_array_set_new(target, i, random_value());
		} else if (json_is_object(target)) {
			json_object_set_new(target, rnd(2) ? "extra" : "name", random_value());
		} else if (json_is_array(target)) {
			json_array_append_new(target, random_value());
		}
	}
	text = json_dumps(root, JSON_PRESERVE_ORDER);
	check(text);
	free(text);
	json_decref(root);
}

static void test_mutations(void **state)
{
	const char *env = getenv("CONFIG_MUTATIONS");
	unsigned long rounds = env ? strtoul(env, NULL, 10) : 1500;
	char *files[2] = { read_text("lab.json"), read_text("e810-example.json") };

	(void)state;
	check(files[0]);
	check(files[1]);
	for (unsigned long r = 0; r < rounds; r++) {
		mutate_bytes(files[r & 1]);
		mutate_tree(files[r & 1]);
	}
	print_message("%u accepted, %u refused\n", accepted, refused);
	assert_true(accepted > 0 && refused > 0);
	free(files[0]);
	free(files[1]);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mutations),
	};

	if (argc > 1)
		configs_dir = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
