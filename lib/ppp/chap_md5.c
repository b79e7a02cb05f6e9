/* SPDX-License-Identifier: BSD-3-Clause */
#include "chap_md5.h"

#include <nettle/md5.h>
#include <nettle/memops.h>

void chap_md5_response(uint8_t id, const uint8_t *secret, size_t secret_len,
		       const uint8_t *challenge, size_t challenge_len, uint8_t out[CHAP_MD5_LEN])
{
	struct md5_ctx ctx;

	md5_init(&ctx);
	md5_update(&ctx, 1, &id);
	md5_update(&ctx, secret_len, secret);
	md5_update(&ctx, challenge_len, challenge);
	md5_digest(&ctx, CHAP_MD5_LEN, out);
}

bool chap_md5_check(uint8_t id, const uint8_t *secret, size_t secret_len,
		    const uint8_t *challenge, size_t challenge_len,
		    const uint8_t response[CHAP_MD5_LEN])
{
	uint8_t expect[CHAP_MD5_LEN];

	chap_md5_response(id, secret, secret_len, challenge, challenge_len, expect);
	return memeql_sec(expect, response, CHAP_MD5_LEN);
}
