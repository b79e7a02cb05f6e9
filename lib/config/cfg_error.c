/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * JSON paths and the one-line error messages that name them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cfg_internal.h"

/* Longest piece of a string value quoted in a message. */
#define QUOTE_MAX 64

static size_t append(struct cfg_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static size_t append(struct cfg_ctx *ctx, const char *fmt, ...)
{
	size_t mark = ctx->path_len;
	size_t room = sizeof(ctx->path) - ctx->path_len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(ctx->path + ctx->path_len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		ctx->path_len = sizeof(ctx->path) - 1; /* cut; messages stay one line */
	else
		ctx->path_len += (size_t)n;
	return mark;
}

/* Keys are ours (a table's) or an unknown one being reported: quote the
 * latter when it is not a plain identifier. */
static bool plain_key(const char *key)
{
	if (!*key)
		return false;
	for (const char *p = key; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

static void quote(const char *s, size_t len, char *buf, size_t n)
{
	size_t o = 0;

	if (n < 8)
		return;
	buf[o++] = '"';
	for (size_t i = 0; i < len && o + 8 < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (i == QUOTE_MAX) {
			o += (size_t)snprintf(buf + o, n - o, "...");
			break;
		}
		if (ch == '"' || ch == '\\')
			o += (size_t)snprintf(buf + o, n - o, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			o += (size_t)snprintf(buf + o, n - o, "\\u%04x", ch);
		else
			buf[o++] = (char)ch;
	}
	buf[o++] = '"';
	buf[o] = '\0';
}

size_t cfg_push_key(struct cfg_ctx *ctx, const char *key)
{
	char q[QUOTE_MAX + 16];

	if (plain_key(key))
		return append(ctx, ".%s", key);
	quote(key, strlen(key), q, sizeof(q));
	return append(ctx, "[%s]", q);
}

size_t cfg_push_index(struct cfg_ctx *ctx, size_t i)
{
	return append(ctx, "[%zu]", i);
}

void cfg_pop(struct cfg_ctx *ctx, size_t mark)
{
	ctx->path_len = mark;
	ctx->path[mark] = '\0';
}

static int vfail_at(struct cfg_ctx *ctx, const char *path, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static int vfail_at(struct cfg_ctx *ctx, const char *path, const char *fmt, va_list ap)
{
	int n;

	if (!ctx->err || ctx->errlen == 0)
		return -1;
	n = snprintf(ctx->err, ctx->errlen, "%s: %s: ", ctx->origin, path);
	if (n >= 0 && (size_t)n < ctx->errlen)
		vsnprintf(ctx->err + n, ctx->errlen - (size_t)n, fmt, ap);
	/* One line, whatever a value held. */
	for (char *p = ctx->err; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return -1;
}

int cfg_fail(struct cfg_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_at(ctx, ctx->path, fmt, ap);
	va_end(ap);
	return -1;
}

int cfg_fail_at(struct cfg_ctx *ctx, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_at(ctx, path, fmt, ap);
	va_end(ap);
	return -1;
}

void cfg_describe(json_t *v, bool with_type, char *buf, size_t n)
{
	char q[QUOTE_MAX * 6 + 16];

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		snprintf(buf, n, "an object");
		break;
	case JSON_ARRAY:
		snprintf(buf, n, "an array");
		break;
	case JSON_STRING:
		quote(json_string_value(v), json_string_length(v), q, sizeof(q));
		snprintf(buf, n, "%s%s", with_type ? "a string " : "", q);
		break;
	case JSON_INTEGER:
		snprintf(buf, n, "%s%" JSON_INTEGER_FORMAT, with_type ? "an integer " : "",
			 json_integer_value(v));
		break;
	case JSON_REAL:
		snprintf(buf, n, "%s%.17g", with_type ? "a real number " : "", json_real_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		snprintf(buf, n, "%s%s", with_type ? "a boolean " : "",
			 json_is_true(v) ? "true" : "false");
		break;
	case JSON_NULL:
	default:
		snprintf(buf, n, "null");
		break;
	}
}

int cfg_fail_found(struct cfg_ctx *ctx, json_t *v, const char *expect)
{
	char what[QUOTE_MAX * 6 + 32];

	cfg_describe(v, false, what, sizeof(what));
	return cfg_fail(ctx, "found %s, expected %s", what, expect);
}

int cfg_fail_type(struct cfg_ctx *ctx, json_t *v, const char *expect)
{
	char what[QUOTE_MAX * 6 + 32];

	cfg_describe(v, true, what, sizeof(what));
	return cfg_fail(ctx, "found %s, expected %s", what, expect);
}
