/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MS-CHAPv2 and MPPE key derivation against the published vectors:
 * RFC 2759 section 9.2 and RFC 3079 section 3.5.3. CHAP-MD5 against
 * RFC 1321's MD5("abc"). The receive start key, which RFC 3079 does not
 * list, was computed with pycryptodome (the same formula as check_mschapv2.py).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <nettle/des.h>

#include "ppp/chap_md5.h"
#include "ppp/mschapv2_crypto.h"
#include "proto/ppp_auth.h"

/* RFC 2759 section 9.2 */
static const char USER[] = "User";
static const uint8_t PASSWORD_UTF16[] = { 0x63, 0x00, 0x6C, 0x00, 0x69, 0x00, 0x65, 0x00,
					  0x6E, 0x00, 0x74, 0x00, 0x50, 0x00, 0x61, 0x00,
					  0x73, 0x00, 0x73, 0x00 };
static const uint8_t AUTH_CHALLENGE[16] = { 0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E,
					    0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28 };
static const uint8_t PEER_CHALLENGE[16] = { 0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A,
					    0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C, 0x7E };
static const uint8_t CHALLENGE[8] = { 0xD0, 0x2E, 0x43, 0x86, 0xBC, 0xE9, 0x12, 0x26 };
static const uint8_t NT_RESPONSE[24] = { 0x82, 0x30, 0x9E, 0xCD, 0x8D, 0x70, 0x8B, 0x5E,
					 0xA0, 0x8F, 0xAA, 0x39, 0x81, 0xCD, 0x83, 0x54,
					 0x42, 0x33, 0x11, 0x4A, 0x3D, 0x85, 0xD6, 0xDF };
static const uint8_t PASSWORD_HASH[16] = { 0x44, 0xEB, 0xBA, 0x8D, 0x53, 0x12, 0xB8, 0xD6,
					   0x11, 0x47, 0x44, 0x11, 0xF5, 0x69, 0x89, 0xAE };
static const uint8_t PASSWORD_HASH_HASH[16] = { 0x41, 0xC0, 0x0C, 0x58, 0x4B, 0xD2,
						0xD9, 0x1C, 0x40, 0x17, 0xA2, 0xA1,
						0x2F, 0xA5, 0x9F, 0x3F };
static const char AUTH_RESPONSE[] = "S=407A5589115FD0D6209F510FE9C04566932CDA56";
/* RFC 3079 section 3.5.3 */
static const uint8_t MASTER_KEY[16] = { 0xFD, 0xEC, 0xE3, 0x71, 0x7A, 0x8C, 0x83, 0x8C,
					0xB3, 0x88, 0xE5, 0x27, 0xAE, 0x3C, 0xDD, 0x31 };
static const uint8_t SEND_START_KEY_128[16] = { 0x8B, 0x7C, 0xDC, 0x14, 0x9B, 0x99,
						0x3A, 0x1B, 0xA1, 0x18, 0xCB, 0x15,
						0x3F, 0x56, 0xDC, 0xCB };
/* pycryptodome: SHA1(MasterKey | 40 x 00 | Magic2 | 40 x F2)[0..15] */
static const uint8_t RECV_START_KEY_128[16] = { 0xD5, 0xF0, 0xE9, 0x52, 0x1E, 0x3E,
						0xA9, 0x58, 0x96, 0x45, 0xE8, 0x60,
						0x51, 0xC8, 0x22, 0x26 };

static void test_password_hash(void **state)
{
	uint8_t utf16[MSCHAP_UTF16_MAX], hash[16], hash_hash[16];
	(void)state;

	assert_int_equal(mschap_password_utf16((const uint8_t *)"clientPass", 10, utf16),
			 sizeof(PASSWORD_UTF16));
	assert_memory_equal(utf16, PASSWORD_UTF16, sizeof(PASSWORD_UTF16));
	mschap_nt_password_hash(utf16, sizeof(PASSWORD_UTF16), hash);
	assert_memory_equal(hash, PASSWORD_HASH, 16);
	assert_int_equal(mschap_nt_password_hash_utf8((const uint8_t *)"clientPass", 10, hash), 0);
	assert_memory_equal(hash, PASSWORD_HASH, 16);
	mschap_hash_nt_password_hash(hash, hash_hash);
	assert_memory_equal(hash_hash, PASSWORD_HASH_HASH, 16);
}

static void test_challenge_and_response(void **state)
{
	uint8_t challenge[8], nt[24];
	(void)state;

	mschapv2_challenge_hash(PEER_CHALLENGE, AUTH_CHALLENGE, USER, 4, challenge);
	assert_memory_equal(challenge, CHALLENGE, 8);
	mschap_challenge_response(CHALLENGE, PASSWORD_HASH, nt);
	assert_memory_equal(nt, NT_RESPONSE, 24);
	mschapv2_nt_response(AUTH_CHALLENGE, PEER_CHALLENGE, USER, 4, PASSWORD_HASH, nt);
	assert_memory_equal(nt, NT_RESPONSE, 24);
	assert_true(mschapv2_check_nt_response(AUTH_CHALLENGE, PEER_CHALLENGE, USER, 4,
					       PASSWORD_HASH, NT_RESPONSE));
	nt[23] ^= 1;
	assert_false(mschapv2_check_nt_response(AUTH_CHALLENGE, PEER_CHALLENGE, USER, 4,
						PASSWORD_HASH, nt));
	/* A domain in front of the name is not hashed (RFC 2759 8.2). */
	mschapv2_nt_response(AUTH_CHALLENGE, PEER_CHALLENGE, "ACME\\User", 9, PASSWORD_HASH, nt);
	assert_memory_equal(nt, NT_RESPONSE, 24);
}

static void test_authenticator_response(void **state)
{
	uint8_t ar[20];
	char msg[64];
	(void)state;

	mschapv2_authenticator_response(PASSWORD_HASH, NT_RESPONSE, PEER_CHALLENGE,
					AUTH_CHALLENGE, USER, 4, ar);
	assert_int_equal(mschapv2_success_build(msg, sizeof(msg), ar, NULL),
			 (int)strlen(AUTH_RESPONSE));
	assert_string_equal(msg, AUTH_RESPONSE);
}

static void test_mppe_keys(void **state)
{
	uint8_t master[16], key[16];
	struct ppp_auth_keys keys;
	(void)state;

	mppe_get_master_key(PASSWORD_HASH_HASH, NT_RESPONSE, master);
	assert_memory_equal(master, MASTER_KEY, 16);
	/* The RFC's SendStartKey128 is the server's send key. */
	mppe_get_asymmetric_start_key(MASTER_KEY, key, 16, true, true);
	assert_memory_equal(key, SEND_START_KEY_128, 16);
	/* ... which is the client's receive key. */
	mppe_get_asymmetric_start_key(MASTER_KEY, key, 16, false, false);
	assert_memory_equal(key, SEND_START_KEY_128, 16);
	mppe_get_asymmetric_start_key(MASTER_KEY, key, 16, false, true);
	assert_memory_equal(key, RECV_START_KEY_128, 16);
	/* 40/56-bit keys start from the first 8 bytes of the same digest. */
	memset(key, 0, sizeof(key));
	mppe_get_asymmetric_start_key(MASTER_KEY, key, 8, true, true);
	assert_memory_equal(key, SEND_START_KEY_128, 8);
	assert_int_equal(key[8], 0);

	memset(&keys, 0, sizeof(keys));
	mschapv2_server_keys(PASSWORD_HASH, NT_RESPONSE, &keys);
	assert_true(keys.valid);
	assert_memory_equal(keys.master_key, MASTER_KEY, 16);
	assert_memory_equal(keys.send_key, SEND_START_KEY_128, 16);
	assert_memory_equal(keys.recv_key, RECV_START_KEY_128, 16);
}

/* A hash ending in zeros makes the third DES key weak; it must still be used. */
static void test_weak_des_key(void **state)
{
	static const uint8_t zero7[16] = { 0 };
	static const uint8_t zero_block[8] = { 0 };
	/* DES with key 01 01 01 01 01 01 01 01 (all-zero key bits) of zeros. */
	static const uint8_t weak[8] = { 0x8C, 0xA6, 0x4D, 0xE9, 0xC1, 0xB1, 0x23, 0xA7 };
	uint8_t resp[24];
	(void)state;

	mschap_challenge_response(zero_block, zero7, resp);
	assert_memory_equal(resp, weak, 8);
	assert_memory_equal(resp + 8, weak, 8);
	assert_memory_equal(resp + 16, weak, 8);
}

static void test_utf16(void **state)
{
	uint8_t out[MSCHAP_UTF16_MAX], big[300];
	(void)state;

	/* "é" (U+00E9), "€" (U+20AC), U+1F600 (a surrogate pair). */
	static const uint8_t text[] = { 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80 };
	static const uint8_t want[] = { 0xE9, 0x00, 0xAC, 0x20, 0x3D, 0xD8, 0x00, 0xDE };
	assert_int_equal(mschap_password_utf16(text, sizeof(text), out), sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	/* Not UTF-8 (Latin-1 "é", an overlong "/", a lone continuation): byte by byte. */
	static const uint8_t latin1[] = { 0xE9, 0xC0, 0xAF, 0x80 };
	static const uint8_t want1[] = { 0xE9, 0, 0xC0, 0, 0xAF, 0, 0x80, 0 };
	assert_int_equal(mschap_password_utf16(latin1, sizeof(latin1), out), sizeof(want1));
	assert_memory_equal(out, want1, sizeof(want1));
	/* 256 characters fit, 257 do not (RFC 2759: at most 256 Unicode characters). */
	memset(big, 'a', sizeof(big));
	assert_int_equal(mschap_password_utf16(big, 256, out), 512);
	assert_int_equal(mschap_password_utf16(big, 257, out), -1);
	assert_int_equal(mschap_password_utf16(big, 0, out), 0);
}

static void test_user_for_hash(void **state)
{
	const char *u;
	size_t n;
	(void)state;

	mschapv2_user_for_hash("DOM\\sub\\bob", 11, &u, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(u, "bob", 3);
	mschapv2_user_for_hash("alice", 5, &u, &n);
	assert_int_equal(n, 5);
	mschapv2_user_for_hash("", 0, &u, &n);
	assert_int_equal(n, 0);
}

static void test_chap_md5(void **state)
{
	/* MD5("abc") (RFC 1321 A.5) as id 'a', secret "b", challenge "c". */
	static const uint8_t md5_abc[16] = { 0x90, 0x01, 0x50, 0x98, 0x3C, 0xD2, 0x4F, 0xB0,
					     0xD6, 0x96, 0x3F, 0x7D, 0x28, 0xE1, 0x7F, 0x72 };
	uint8_t out[16];
	(void)state;

	chap_md5_response('a', (const uint8_t *)"b", 1, (const uint8_t *)"c", 1, out);
	assert_memory_equal(out, md5_abc, 16);
	assert_true(chap_md5_check('a', (const uint8_t *)"b", 1, (const uint8_t *)"c", 1, md5_abc));
	assert_false(
		chap_md5_check('b', (const uint8_t *)"b", 1, (const uint8_t *)"c", 1, md5_abc));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_hash),
		cmocka_unit_test(test_challenge_and_response),
		cmocka_unit_test(test_authenticator_response),
		cmocka_unit_test(test_mppe_keys),
		cmocka_unit_test(test_weak_des_key),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_user_for_hash),
		cmocka_unit_test(test_chap_md5),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
