/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Objects walked with their field tables, and the typed values every section
 * shares: booleans, integers, seconds, strings, IPv4 addresses.
 */
#include <stdio.h>
#include <string.h>

#include "cfg_internal.h"

int cfg_field_index(const struct cfg_table *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->fields[i].key, key) == 0)
			return (int)i;
	return -1;
}

static int unknown_key(struct cfg_ctx *ctx, const struct cfg_table *t)
{
	char list[1024];
	size_t o = 0;

	list[0] = '\0';
	for (size_t i = 0; i < t->n && o < sizeof(list); i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "",
				      t->fields[i].key);
	return cfg_fail(ctx, "unknown key (expected one of: %s)", list);
}

static void store_uint(void *p, size_t size, uint32_t v)
{
	if (size == sizeof(uint16_t))
		*(uint16_t *)p = (uint16_t)v;
	else
		*(uint32_t *)p = v;
}

static uint32_t load_uint(const void *p, size_t size)
{
	return size == sizeof(uint16_t) ? *(const uint16_t *)p : *(const uint32_t *)p;
}

static int scalar(struct cfg_ctx *ctx, const struct cfg_field *f, json_t *v, void *base)
{
	char expect[256];
	void *p = (char *)base + f->off;
	json_int_t n;

	if (f->type == CFG_BOOL) {
		if (!json_is_boolean(v))
			return cfg_fail_type(ctx, v, "true or false");
		*(bool *)p = json_is_true(v);
		return 0;
	}
	if (f->min == f->max)
		snprintf(expect, sizeof(expect), "%u%s%s", f->min, f->expect ? " " : "",
			 f->expect ? f->expect : "");
	else
		snprintf(expect, sizeof(expect), "an integer %u..%u%s%s%s", f->min, f->max,
			 f->type == CFG_SECONDS ? " (seconds)" : "", f->expect ? " " : "",
			 f->expect ? f->expect : "");
	if (!json_is_integer(v))
		return cfg_fail_type(ctx, v, expect);
	n = json_integer_value(v);
	if (n < (json_int_t)f->min || n > (json_int_t)f->max)
		return cfg_fail_found(ctx, v, expect);
	store_uint(p, f->size, f->type == CFG_SECONDS ? (uint32_t)n * 1000u : (uint32_t)n);
	return 0;
}

static int missing(struct cfg_ctx *ctx, const struct cfg_field *f)
{
	size_t mark = cfg_push_key(ctx, f->key);

	cfg_fail(ctx, "required key missing; expected %s", f->expect ? f->expect : "a value");
	cfg_pop(ctx, mark);
	return -1;
}

int cfg_object(struct cfg_ctx *ctx, json_t *obj, const struct cfg_table *t, void *base,
	       uint64_t *seen)
{
	uint64_t have = 0;
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return cfg_fail_type(ctx, obj, "an object");
	json_object_foreach(obj, key, v) {
		size_t mark = cfg_push_key(ctx, key);
		int i = cfg_field_index(t, key);
		int rc;

		if (i < 0) {
			rc = unknown_key(ctx, t);
		} else {
			const struct cfg_field *f = &t->fields[i];

			have |= 1ull << i;
			if (f->type == CFG_CUSTOM)
				rc = f->parse(ctx, v, base);
			else if (f->type == CFG_OBJECT)
				rc = cfg_object(ctx, v, f->sub, (char *)base + f->off, NULL);
			else
				rc = scalar(ctx, f, v, base);
		}
		cfg_pop(ctx, mark);
		if (rc)
			return -1;
	}
	for (size_t i = 0; i < t->n; i++)
		if (t->fields[i].required && !(have & (1ull << i)))
			return missing(ctx, &t->fields[i]);
	if (seen)
		*seen = have;
	return 0;
}

json_t *cfg_dump_object(const struct cfg_table *t, const void *base)
{
	json_t *obj = json_object();

	if (!obj)
		return NULL;
	for (size_t i = 0; i < t->n; i++) {
		const struct cfg_field *f = &t->fields[i];
		const void *p = (const char *)base + f->off;
		json_t *v;

		switch (f->type) {
		case CFG_BOOL:
			v = json_boolean(*(const bool *)p);
			break;
		case CFG_UINT:
			v = json_integer(load_uint(p, f->size));
			break;
		case CFG_SECONDS:
			v = json_integer(load_uint(p, f->size) / 1000u);
			break;
		case CFG_OBJECT:
			v = cfg_dump_object(f->sub, p);
			break;
		case CFG_CUSTOM:
		default:
			v = f->dump(base);
			break;
		}
		if (!v || json_object_set_new(obj, f->key, v) != 0) {
			json_decref(obj);
			return NULL;
		}
	}
	return obj;
}

bool cfg_scalars_equal(const struct cfg_table *t, const void *a, const void *b)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct cfg_field *f = &t->fields[i];
		const void *pa = (const char *)a + f->off;
		const void *pb = (const char *)b + f->off;

		if (f->type == CFG_BOOL && *(const bool *)pa != *(const bool *)pb)
			return false;
		if ((f->type == CFG_UINT || f->type == CFG_SECONDS) &&
		    load_uint(pa, f->size) != load_uint(pb, f->size))
			return false;
		if (f->type == CFG_OBJECT && !cfg_scalars_equal(f->sub, pa, pb))
			return false;
	}
	return true;
}

int cfg_string(struct cfg_ctx *ctx, json_t *v, char *buf, size_t max, const char *expect)
{
	size_t len;

	if (!json_is_string(v))
		return cfg_fail_type(ctx, v, expect);
	len = json_string_length(v);
	if (len == 0 || len > max)
		return cfg_fail_found(ctx, v, expect);
	memcpy(buf, json_string_value(v), len + 1);
	return 0;
}

int cfg_ipv4(struct cfg_ctx *ctx, json_t *v, uint32_t *addr)
{
	if (!json_is_string(v))
		return cfg_fail_type(ctx, v, CFG_EXPECT_IPV4);
	if (cfg_parse_ipv4(json_string_value(v), addr) != 0)
		return cfg_fail_found(ctx, v, CFG_EXPECT_IPV4);
	if (*addr == 0)
		return cfg_fail_found(ctx, v, "an IPv4 address other than 0.0.0.0");
	return 0;
}

int cfg_ipv4_or_null(struct cfg_ctx *ctx, json_t *v, uint32_t *addr)
{
	if (json_is_null(v)) {
		*addr = 0;
		return 0;
	}
	if (!json_is_string(v))
		return cfg_fail_type(ctx, v, CFG_EXPECT_IPV4 " or null");
	return cfg_ipv4(ctx, v, addr);
}

int cfg_ipv4_list(struct cfg_ctx *ctx, json_t *v, uint32_t *out, size_t max)
{
	char expect[128];
	size_t i;
	json_t *e;

	snprintf(expect, sizeof(expect), "an array of 0..%zu IPv4 addresses", max);
	if (!json_is_array(v))
		return cfg_fail_type(ctx, v, expect);
	if (json_array_size(v) > max)
		return cfg_fail(ctx, "found %zu entries, expected %s", json_array_size(v), expect);
	memset(out, 0, max * sizeof(*out));
	json_array_foreach(v, i, e) {
		size_t mark = cfg_push_index(ctx, i);
		int rc = cfg_ipv4(ctx, e, &out[i]);

		cfg_pop(ctx, mark);
		if (rc)
			return -1;
	}
	return 0;
}

json_t *cfg_ipv4_json(uint32_t addr)
{
	char buf[16];

	return addr ? json_string(cfg_ipv4_str(addr, buf)) : json_null();
}
