/* SPDX-License-Identifier: BSD-3-Clause */
/* PAP, CHAP and MS-CHAPv2 message layouts (first byte picks the parser);
 * whatever parses is rebuilt and must parse to the same fields. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/ppp_auth.h"
#include "proto/proto_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_pap(const uint8_t *d, size_t n)
{
	struct pap_pkt p, q;
	uint8_t out[600];
	int k;
	if (pap_parse(d, n, &p) != PROTO_OK)
		return;
	if (p.code == PAP_AUTH_REQ)
		k = pap_build_request(out, sizeof(out), p.id, p.peer_id, p.peer_id_len, p.passwd,
				      p.passwd_len);
	else
		k = pap_build_reply(out, sizeof(out), p.code, p.id, p.msg, p.msg_len);
	if (k < 0 || pap_parse(out, (size_t)k, &q) != PROTO_OK)
		abort();
	if (q.peer_id_len != p.peer_id_len || q.passwd_len != p.passwd_len ||
	    q.msg_len != p.msg_len ||
	    (p.passwd_len && memcmp(q.passwd, p.passwd, p.passwd_len) != 0))
		abort();
}

static void check_chap(const uint8_t *d, size_t n)
{
	struct chap_pkt c, e;
	uint8_t out[65536 + 8];
	int k;
	if (chap_parse(d, n, &c) != PROTO_OK)
		return;
	if (c.code == CHAP_CHALLENGE || c.code == CHAP_RESPONSE)
		k = chap_build_value(out, sizeof(out), c.code, c.id, c.value, c.value_size, c.name,
				     c.name_len);
	else
		k = chap_build_status(out, sizeof(out), c.code, c.id, c.msg, c.msg_len);
	if (k != c.length || memcmp(out, d, (size_t)k) != 0)
		abort();
	if (chap_parse(out, (size_t)k, &e) != PROTO_OK)
		abort();
	if (c.code == CHAP_RESPONSE) {
		struct mschapv2_response r;
		uint8_t v[MSCHAPV2_RESPONSE_LEN];
		if (mschapv2_response_parse(c.value, c.value_size, &r) == PROTO_OK) {
			mschapv2_response_write(v, &r);
			if (memcmp(v, c.value, sizeof(v)) != 0)
				abort();
		}
	}
}

static void check_mschapv2_messages(const uint8_t *d, size_t n)
{
	struct mschapv2_failure f, g;
	uint8_t auth[MSCHAPV2_AUTH_RESPONSE_LEN], again[MSCHAPV2_AUTH_RESPONSE_LEN];
	char out[512];

	if (mschapv2_success_parse(d, n, auth) == PROTO_OK) {
		int k = mschapv2_success_build(out, sizeof(out), auth, NULL);
		if (k < 0 || mschapv2_success_parse((uint8_t *)out, (size_t)k, again) != PROTO_OK ||
		    memcmp(auth, again, sizeof(auth)) != 0)
			abort();
	}
	if (mschapv2_failure_parse(d, n, &f) == PROTO_OK) {
		/* A message with spaces or '=' may not survive; it is the last field. */
		int k = mschapv2_failure_build(out, sizeof(out), &f);
		if (k < 0 || mschapv2_failure_parse((uint8_t *)out, (size_t)k, &g) != PROTO_OK)
			abort();
		if (g.error != f.error || g.retry != f.retry || g.version != f.version ||
		    memcmp(g.challenge, f.challenge, sizeof(f.challenge)) != 0 ||
		    strcmp(g.message, f.message) != 0)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		check_pap(data + 1, size - 1);
		break;
	case 1:
		check_chap(data + 1, size - 1);
		break;
	default:
		check_mschapv2_messages(data + 1, size - 1);
		break;
	}
	return 0;
}
