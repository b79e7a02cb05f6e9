/* SPDX-License-Identifier: BSD-3-Clause */
/* CHAP with MD5 (RFC 1994 section 4.1): Response = MD5(Identifier || secret || Challenge). */
#ifndef DPPTP_PPP_CHAP_MD5_H
#define DPPTP_PPP_CHAP_MD5_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CHAP_MD5_LEN 16

void chap_md5_response(uint8_t id, const uint8_t *secret, size_t secret_len,
		       const uint8_t *challenge, size_t challenge_len, uint8_t out[CHAP_MD5_LEN]);

/* Whether `response` is right, compared in constant time. */
bool chap_md5_check(uint8_t id, const uint8_t *secret, size_t secret_len,
		    const uint8_t *challenge, size_t challenge_len,
		    const uint8_t response[CHAP_MD5_LEN]);

#endif /* DPPTP_PPP_CHAP_MD5_H */
