/* SPDX-License-Identifier: BSD-3-Clause */
#include "mschapv2_crypto.h"

#include <string.h>

#include <nettle/des.h>
#include <nettle/md4.h>
#include <nettle/memops.h>
#include <nettle/sha1.h>

/* One UTF-8 sequence at p: bytes used (code point in *cp), or 0 if invalid. */
static size_t utf8_decode(const uint8_t *p, size_t len, uint32_t *cp)
{
	size_t need;
	uint32_t v, min;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		need = 1, v = p[0] & 0x1F, min = 0x80;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		need = 2, v = p[0] & 0x0F, min = 0x800;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		need = 3, v = p[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len < need + 1)
		return 0;
	for (size_t i = 1; i <= need; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return need + 1;
}

int mschap_password_utf16(const uint8_t *password, size_t len, uint8_t out[MSCHAP_UTF16_MAX])
{
	size_t o = 0;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t used = utf8_decode(password + i, len - i, &cp);

		if (used == 0) { /* not UTF-8: take the byte as Latin-1 */
			cp = password[i];
			used = 1;
		}
		i += used;
		if (cp >= 0x10000) { /* a surrogate pair */
			if (o + 4 > MSCHAP_UTF16_MAX)
				return -1;
			cp -= 0x10000;
			uint16_t hi = (uint16_t)(0xD800 | (cp >> 10));
			uint16_t lo = (uint16_t)(0xDC00 | (cp & 0x3FF));
			out[o++] = (uint8_t)hi;
			out[o++] = (uint8_t)(hi >> 8);
			out[o++] = (uint8_t)lo;
			out[o++] = (uint8_t)(lo >> 8);
		} else {
			if (o + 2 > MSCHAP_UTF16_MAX)
				return -1;
			out[o++] = (uint8_t)cp;
			out[o++] = (uint8_t)(cp >> 8);
		}
	}
	return (int)o;
}

void mschap_nt_password_hash(const uint8_t *utf16, size_t len, uint8_t hash[MSCHAP_HASH_LEN])
{
	struct md4_ctx ctx;

	md4_init(&ctx);
	md4_update(&ctx, len, utf16);
	md4_digest(&ctx, MSCHAP_HASH_LEN, hash);
}

int mschap_nt_password_hash_utf8(const uint8_t *password, size_t len,
				 uint8_t hash[MSCHAP_HASH_LEN])
{
	uint8_t utf16[MSCHAP_UTF16_MAX];
	int n = mschap_password_utf16(password, len, utf16);

	if (n < 0)
		return -1;
	mschap_nt_password_hash(utf16, (size_t)n, hash);
	memset(utf16, 0, sizeof(utf16));
	return 0;
}

void mschap_hash_nt_password_hash(const uint8_t hash[MSCHAP_HASH_LEN],
				  uint8_t hash_hash[MSCHAP_HASH_LEN])
{
	mschap_nt_password_hash(hash, MSCHAP_HASH_LEN, hash_hash);
}

void mschapv2_user_for_hash(const char *user, size_t len, const char **out, size_t *out_len)
{
	const char *slash = len ? memchr(user, '\\', len) : NULL;

	/* The last backslash: "DOMAIN\user". */
	while (slash) {
		const char *next = memchr(slash + 1, '\\', len - (size_t)(slash + 1 - user));
		if (!next)
			break;
		slash = next;
	}
	if (slash) {
		*out = slash + 1;
		*out_len = len - (size_t)(slash + 1 - user);
	} else {
		*out = user;
		*out_len = len;
	}
}

void mschapv2_challenge_hash(const uint8_t peer_challenge[16], const uint8_t auth_challenge[16],
			     const char *user, size_t user_len, uint8_t out[8])
{
	struct sha1_ctx ctx;
	const char *name;
	size_t name_len;

	mschapv2_user_for_hash(user, user_len, &name, &name_len);
	sha1_init(&ctx);
	sha1_update(&ctx, 16, peer_challenge);
	sha1_update(&ctx, 16, auth_challenge);
	sha1_update(&ctx, name_len, (const uint8_t *)name);
	sha1_digest(&ctx, 8, out);
}

/* RFC 2759 8.6: 56 key bits into a DES key's 8 bytes, parity in the low bit. */
static void des_key_from_7(const uint8_t in[7], uint8_t key[8])
{
	key[0] = in[0];
	key[1] = (uint8_t)(in[0] << 7 | in[1] >> 1);
	key[2] = (uint8_t)(in[1] << 6 | in[2] >> 2);
	key[3] = (uint8_t)(in[2] << 5 | in[3] >> 3);
	key[4] = (uint8_t)(in[3] << 4 | in[4] >> 4);
	key[5] = (uint8_t)(in[4] << 3 | in[5] >> 5);
	key[6] = (uint8_t)(in[5] << 2 | in[6] >> 6);
	key[7] = (uint8_t)(in[6] << 1);
	des_fix_parity(8, key, key);
}

static void des_encrypt_7(const uint8_t clear[8], const uint8_t key7[7], uint8_t cypher[8])
{
	struct des_ctx ctx;
	uint8_t key[8];

	des_key_from_7(key7, key);
	/* A weak key (a hash ending in zeros) is still the protocol's key. */
	(void)des_set_key(&ctx, key);
	des_encrypt(&ctx, 8, cypher, clear);
	memset(&ctx, 0, sizeof(ctx));
	memset(key, 0, sizeof(key));
}

void mschap_challenge_response(const uint8_t challenge[8], const uint8_t hash[MSCHAP_HASH_LEN],
			       uint8_t response[24])
{
	uint8_t z[21] = { 0 };

	memcpy(z, hash, MSCHAP_HASH_LEN);
	des_encrypt_7(challenge, z, response);
	des_encrypt_7(challenge, z + 7, response + 8);
	des_encrypt_7(challenge, z + 14, response + 16);
	memset(z, 0, sizeof(z));
}

void mschapv2_nt_response(const uint8_t auth_challenge[16], const uint8_t peer_challenge[16],
			  const char *user, size_t user_len, const uint8_t hash[MSCHAP_HASH_LEN],
			  uint8_t nt_response[24])
{
	uint8_t challenge[8];

	mschapv2_challenge_hash(peer_challenge, auth_challenge, user, user_len, challenge);
	mschap_challenge_response(challenge, hash, nt_response);
}

bool mschapv2_check_nt_response(const uint8_t auth_challenge[16],
				const uint8_t peer_challenge[16], const char *user,
				size_t user_len, const uint8_t hash[MSCHAP_HASH_LEN],
				const uint8_t nt_response[24])
{
	uint8_t expect[24];
	bool ok;

	mschapv2_nt_response(auth_challenge, peer_challenge, user, user_len, hash, expect);
	ok = memeql_sec(expect, nt_response, sizeof(expect));
	memset(expect, 0, sizeof(expect));
	return ok;
}

void mschapv2_authenticator_response(const uint8_t hash[MSCHAP_HASH_LEN],
				     const uint8_t nt_response[24],
				     const uint8_t peer_challenge[16],
				     const uint8_t auth_challenge[16], const char *user,
				     size_t user_len, uint8_t out[20])
{
	static const uint8_t magic1[39] = "Magic server to client signing constant";
	static const uint8_t magic2[41] = "Pad to make it do more than one iteration";
	uint8_t hash_hash[MSCHAP_HASH_LEN], digest[SHA1_DIGEST_SIZE], challenge[8];
	struct sha1_ctx ctx;

	mschap_hash_nt_password_hash(hash, hash_hash);
	sha1_init(&ctx);
	sha1_update(&ctx, sizeof(hash_hash), hash_hash);
	sha1_update(&ctx, 24, nt_response);
	sha1_update(&ctx, sizeof(magic1), magic1);
	sha1_digest(&ctx, sizeof(digest), digest);

	mschapv2_challenge_hash(peer_challenge, auth_challenge, user, user_len, challenge);
	sha1_init(&ctx);
	sha1_update(&ctx, sizeof(digest), digest);
	sha1_update(&ctx, sizeof(challenge), challenge);
	sha1_update(&ctx, sizeof(magic2), magic2);
	sha1_digest(&ctx, 20, out);
	memset(hash_hash, 0, sizeof(hash_hash));
}

void mppe_get_master_key(const uint8_t hash_hash[MSCHAP_HASH_LEN], const uint8_t nt_response[24],
			 uint8_t master_key[16])
{
	static const uint8_t magic1[27] = "This is the MPPE Master Key";
	struct sha1_ctx ctx;

	sha1_init(&ctx);
	sha1_update(&ctx, MSCHAP_HASH_LEN, hash_hash);
	sha1_update(&ctx, 24, nt_response);
	sha1_update(&ctx, sizeof(magic1), magic1);
	sha1_digest(&ctx, 16, master_key);
}

void mppe_get_asymmetric_start_key(const uint8_t master_key[16], uint8_t *out, size_t len,
				   bool is_send, bool is_server)
{
	static const uint8_t magic2[84] = "On the client side, this is the send key; "
					  "on the server side, it is the receive key.";
	static const uint8_t magic3[84] = "On the client side, this is the receive key; "
					  "on the server side, it is the send key.";
	uint8_t pad1[40], pad2[40];
	struct sha1_ctx ctx;
	/* The server's send key is the client's receive key: Magic3. */
	const uint8_t *magic = is_send == is_server ? magic3 : magic2;

	memset(pad1, 0x00, sizeof(pad1));
	memset(pad2, 0xF2, sizeof(pad2));
	if (len > SHA1_DIGEST_SIZE)
		len = SHA1_DIGEST_SIZE;
	sha1_init(&ctx);
	sha1_update(&ctx, 16, master_key);
	sha1_update(&ctx, sizeof(pad1), pad1);
	sha1_update(&ctx, 84, magic);
	sha1_update(&ctx, sizeof(pad2), pad2);
	sha1_digest(&ctx, len, out);
}

void mschapv2_server_keys(const uint8_t hash[MSCHAP_HASH_LEN], const uint8_t nt_response[24],
			  struct ppp_auth_keys *keys)
{
	uint8_t hash_hash[MSCHAP_HASH_LEN];

	mschap_hash_nt_password_hash(hash, hash_hash);
	mppe_get_master_key(hash_hash, nt_response, keys->master_key);
	mppe_get_asymmetric_start_key(keys->master_key, keys->send_key, sizeof(keys->send_key),
				      true, true);
	mppe_get_asymmetric_start_key(keys->master_key, keys->recv_key, sizeof(keys->recv_key),
				      false, true);
	keys->valid = true;
	memset(hash_hash, 0, sizeof(hash_hash));
}
