/* SPDX-License-Identifier: BSD-3-Clause */
/* Logging through the owner's hook, and making peer-supplied text safe to log. */
#include <stdarg.h>
#include <stdio.h>

#include "ppp_internal.h"

void ppp_logf(struct ppp_session *s, enum ppp_log_level level, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (!s->hooks.log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->hooks.log(s->owner, level, "%s", msg);
}

/*
 * Names and messages come from the peer: a newline or an escape sequence
 * in them must not forge log lines or drive a terminal.
 */
const char *ppp_printable(const uint8_t *in, size_t len, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (cap == 0)
		return out;
	for (size_t i = 0; i < len; i++) {
		uint8_t c = in[i];

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			if (o + 1 >= cap)
				break;
			out[o++] = (char)c;
		} else {
			if (o + 4 >= cap)
				break;
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return out;
}
