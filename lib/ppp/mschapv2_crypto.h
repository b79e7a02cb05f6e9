/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MS-CHAPv2 (RFC 2759 section 8) and the MPPE keys derived from it
 * (RFC 3079 section 3), with the RFCs' function names. MD4, SHA-1 and DES
 * come from nettle. Lengths are fixed by the RFCs and spelt in the types.
 */
#ifndef DPPTP_PPP_MSCHAPV2_CRYPTO_H
#define DPPTP_PPP_MSCHAPV2_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth_backend.h"

#define MSCHAP_HASH_LEN 16
#define MSCHAP_MAX_PASSWORD_CHARS 256
#define MSCHAP_UTF16_MAX (2 * MSCHAP_MAX_PASSWORD_CHARS)

/*
 * The password as RFC 2759 hashes it: UTF-16LE. Input is UTF-8; a byte
 * that is not part of valid UTF-8 stands for the Latin-1 character of the
 * same value. Returns the byte length, or -1 above 256 UTF-16 units.
 */
int mschap_password_utf16(const uint8_t *password, size_t len, uint8_t out[MSCHAP_UTF16_MAX]);

/* NtPasswordHash: MD4 of the UTF-16LE password. */
void mschap_nt_password_hash(const uint8_t *utf16, size_t len, uint8_t hash[MSCHAP_HASH_LEN]);

/* Both steps from a UTF-8 password: 0, or -1 if it is too long. */
int mschap_nt_password_hash_utf8(const uint8_t *password, size_t len,
				 uint8_t hash[MSCHAP_HASH_LEN]);

/* HashNtPasswordHash: MD4 of the hash. */
void mschap_hash_nt_password_hash(const uint8_t hash[MSCHAP_HASH_LEN],
				  uint8_t hash_hash[MSCHAP_HASH_LEN]);

/* The user name ChallengeHash uses: without a "DOMAIN\" prefix (RFC 2759 8.2). */
void mschapv2_user_for_hash(const char *user, size_t len, const char **out, size_t *out_len);

/* ChallengeHash: SHA-1(PeerChallenge || AuthenticatorChallenge || UserName)[0..7]. */
void mschapv2_challenge_hash(const uint8_t peer_challenge[16], const uint8_t auth_challenge[16],
			     const char *user, size_t user_len, uint8_t out[8]);

/* ChallengeResponse: three DES encryptions of the challenge with the padded hash. */
void mschap_challenge_response(const uint8_t challenge[8], const uint8_t hash[MSCHAP_HASH_LEN],
			       uint8_t response[24]);

/* GenerateNTResponse (the user name may carry a domain; it is stripped here). */
void mschapv2_nt_response(const uint8_t auth_challenge[16], const uint8_t peer_challenge[16],
			  const char *user, size_t user_len, const uint8_t hash[MSCHAP_HASH_LEN],
			  uint8_t nt_response[24]);

/* Whether the peer's NT-Response is right, compared in constant time. */
bool mschapv2_check_nt_response(const uint8_t auth_challenge[16],
				const uint8_t peer_challenge[16], const char *user,
				size_t user_len, const uint8_t hash[MSCHAP_HASH_LEN],
				const uint8_t nt_response[24]);

/* GenerateAuthenticatorResponse: the 20 bytes behind "S=". */
void mschapv2_authenticator_response(const uint8_t hash[MSCHAP_HASH_LEN],
				     const uint8_t nt_response[24],
				     const uint8_t peer_challenge[16],
				     const uint8_t auth_challenge[16], const char *user,
				     size_t user_len, uint8_t out[20]);

/* RFC 3079 3.4 GetMasterKey. */
void mppe_get_master_key(const uint8_t hash_hash[MSCHAP_HASH_LEN], const uint8_t nt_response[24],
			 uint8_t master_key[16]);

/* RFC 3079 3.4 GetAsymmetricStartKey: len 8 (40/56-bit) or 16 (128-bit). */
void mppe_get_asymmetric_start_key(const uint8_t master_key[16], uint8_t *out, size_t len,
				   bool is_send, bool is_server);

/* The server's master key and 128-bit send/receive start keys. */
void mschapv2_server_keys(const uint8_t hash[MSCHAP_HASH_LEN], const uint8_t nt_response[24],
			  struct ppp_auth_keys *keys);

#endif /* DPPTP_PPP_MSCHAPV2_CRYPTO_H */
