/* SPDX-License-Identifier: BSD-3-Clause */
/* chap-secrets: syntax, malformed lines with their numbers, lookup order, the backend. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <nettle/md5.h>

#include "ppp/mschapv2_crypto.h"
#include "ppp/secrets.h"
#include "ppp/secrets_backend.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

struct errors {
	unsigned lines[16];
	char msgs[16][96];
	unsigned n;
};

static void on_error(void *ctx, const char *source, unsigned line, const char *msg)
{
	struct errors *e = ctx;

	assert_string_equal(source, "t");
	if (e->n < 16) {
		e->lines[e->n] = line;
		snprintf(e->msgs[e->n], sizeof(e->msgs[0]), "%s", msg);
	}
	e->n++;
}

static struct ppp_secrets *parse(const char *text, struct errors *e)
{
	unsigned n = 0;
	struct ppp_secrets *t;

	memset(e, 0, sizeof(*e));
	t = secrets_parse(text, strlen(text), "t", on_error, e, &n);
	assert_non_null(t);
	assert_int_equal(n, e->n);
	return t;
}

static void assert_secret(const struct secrets_entry *e, const char *secret)
{
	assert_non_null(e);
	assert_int_equal(e->secret_len, strlen(secret));
	assert_memory_equal(e->secret, secret, e->secret_len);
}

static void test_syntax(void **state)
{
	static const char text[] =
		"# Secrets for authentication using CHAP\n"
		"# client\tserver\tsecret\t\t\tIP addresses\n"
		"lab\tpptpd\tlab-secret\t*\n"
		"\n"
		"   alice  *  \"with space\"  100.64.1.10   # trailing comment\n"
		"'bob smith' pptpd 'it''s'   100.64.2.0/24 100.64.3.7\n"
		"carol pptpd pa\"ss w\"ord\n"
		"dave pptpd ab\\#cd\\x41\\101\\n\\s\\q\n"
		"erin pptpd \"\" -\n"
		"frank pptpd long\\\n"
		"line 10.9.8.7\n"
		"gina pptpd pass#notcomment\n";
	struct errors e;
	struct ppp_secrets *t = parse(text, &e);
	const struct secrets_entry *x;
	(void)state;

	assert_int_equal(e.n, 0);
	assert_int_equal(secrets_count(t), 8);

	x = secrets_lookup(t, "lab", "pptpd");
	assert_secret(x, "lab-secret");
	assert_int_equal(x->line, 3);
	assert_int_equal(x->static_ip, 0);
	assert_int_equal(x->n_allowed, 0);

	x = secrets_lookup(t, "alice", "anything");
	assert_secret(x, "with space");
	assert_int_equal(x->static_ip, IP(100, 64, 1, 10));

	x = secrets_lookup(t, "bob smith", "pptpd");
	assert_secret(x, "its");
	assert_int_equal(x->static_ip, 0);
	assert_int_equal(x->n_allowed, 2);
	assert_int_equal(x->allowed[0].addr, IP(100, 64, 2, 0));
	assert_int_equal(x->allowed[0].prefix_len, 24);
	assert_int_equal(x->allowed[1].addr, IP(100, 64, 3, 7));
	assert_int_equal(x->allowed[1].prefix_len, 32);

	assert_secret(secrets_lookup(t, "carol", "pptpd"), "pass word");
	assert_secret(secrets_lookup(t, "dave", "pptpd"), "ab#cdAA\n q");

	x = secrets_lookup(t, "erin", "pptpd");
	assert_secret(x, "");
	assert_true(x->deny_all);

	x = secrets_lookup(t, "frank", "pptpd");
	assert_secret(x, "longline");
	assert_int_equal(x->static_ip, IP(10, 9, 8, 7));
	assert_int_equal(x->line, 10);

	assert_secret(secrets_lookup(t, "gina", "pptpd"), "pass#notcomment");
	assert_null(secrets_lookup(t, "lab", "other-server"));
	assert_null(secrets_lookup(t, "nobody", "pptpd"));
	secrets_free(t);
}

static void test_malformed_lines(void **state)
{
	static const char text[] = "good pptpd secret\n"              /* 1 */
				   "onlyclient\n"                     /* 2 */
				   "two words\n"                      /* 3 */
				   "q pptpd \"unterminated\n"         /* 4 */
				   "h pptpd s host.example.com\n"     /* 5 */
				   "x pptpd s 10.0.0.1/33\n"          /* 6 */
				   "y pptpd s !10.0.0.1\n"            /* 7 */
				   "z pptpd s - 10.0.0.1\n"           /* 8 */
				   "w pptpd s 1.1.1.1 2.2.2.2 3.3.3.3 4.4.4.4 5.5.5.5 "
				   "6.6.6.6 7.7.7.7 8.8.8.8 9.9.9.9\n" /* 9 */
				   "n\\000ul pptpd s\n"               /* 10 */
				   "after pptpd fine\n";              /* 11 */
	struct errors e;
	struct ppp_secrets *t = parse(text, &e);
	static const unsigned want[] = { 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	(void)state;

	assert_int_equal(e.n, sizeof(want) / sizeof(want[0]));
	for (unsigned i = 0; i < e.n; i++)
		assert_int_equal(e.lines[i], want[i]);
	assert_non_null(strstr(e.msgs[2], "quote"));
	/* The bad lines are skipped, the good ones around them kept. */
	assert_int_equal(secrets_count(t), 2);
	assert_non_null(secrets_lookup(t, "good", "pptpd"));
	assert_int_equal(secrets_lookup(t, "after", "pptpd")->line, 11);
	assert_null(secrets_lookup(t, "h", "pptpd"));
	secrets_free(t);
}

/* pppd's preference: exact client beats wildcard client, then exact server, then file order. */
static void test_lookup_order(void **state)
{
	static const char text[] = "*     *     any-any\n"
				   "*     pptpd any-exact\n"
				   "bob   *     bob-any\n"
				   "bob   *     bob-any-second\n"
				   "bob   pptpd bob-exact\n"
				   "bob   pptpd bob-exact-second\n"
				   "carl  *     carl-any\n";
	struct errors e;
	struct ppp_secrets *t = parse(text, &e);
	(void)state;

	assert_secret(secrets_lookup(t, "bob", "pptpd"), "bob-exact");
	assert_secret(secrets_lookup(t, "bob", "elsewhere"), "bob-any");
	assert_secret(secrets_lookup(t, "carl", "pptpd"), "carl-any");
	assert_secret(secrets_lookup(t, "zed", "pptpd"), "any-exact");
	assert_secret(secrets_lookup(t, "zed", "elsewhere"), "any-any");
	secrets_free(t);
}

/* Many users: the index finds each one. */
static void test_many_users(void **state)
{
	size_t cap = 70000 * 40, len = 0;
	char *text = malloc(cap), name[32], secret[32];
	struct errors e;
	(void)state;

	for (int i = 0; i < 70000; i++)
		len += (size_t)snprintf(text + len, cap - len, "user%d pptpd pw%d\n", i, i);
	struct ppp_secrets *t = parse(text, &e);
	assert_int_equal(secrets_count(t), 70000);
	for (int i = 0; i < 70000; i += 997) {
		snprintf(name, sizeof(name), "user%d", i);
		snprintf(secret, sizeof(secret), "pw%d", i);
		assert_secret(secrets_lookup(t, name, "pptpd"), secret);
	}
	assert_null(secrets_lookup(t, "user70000", "pptpd"));
	secrets_free(t);
	free(text);
}

static void test_load_file(void **state)
{
	char path[] = "/tmp/dpptp-secrets-XXXXXX";
	int fd = mkstemp(path);
	static const char text[] = "lab pptpd lab-secret *\nbroken\n";
	struct errors e = { 0 };
	unsigned n = 0;
	(void)state;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
	/* on_error asserts the source name "t": use a different callback here. */
	struct ppp_secrets *t = secrets_load_file(path, NULL, &e, &n);
	unlink(path);
	assert_non_null(t);
	assert_int_equal(n, 1);
	assert_int_equal(secrets_count(t), 1);
	secrets_free(t);
	assert_null(secrets_load_file("/nonexistent/chap-secrets", NULL, NULL, &n));
}

/* ---- the backend ---- */

struct answer {
	int calls;
	struct ppp_auth_result r;
};

static void done(void *cookie, uint64_t now, const struct ppp_auth_result *r)
{
	struct answer *a = cookie;

	assert_int_equal(now, 42);
	a->calls++;
	a->r = *r;
}

static struct answer verify(struct secrets_backend *b, const struct ppp_auth_request *req)
{
	struct answer a = { 0 };

	assert_int_equal(b->base.verify(&b->base, req, done, &a, 42), 0);
	assert_int_equal(a.calls, 1); /* answered inside verify() */
	return a;
}

static void test_backend_pap_chap(void **state)
{
	static const char text[] = "lab pptpd lab-secret 100.64.9.9\n"
				   "net pptpd pw 10.1.0.0/16 10.2.0.1\n";
	struct errors e;
	struct ppp_secrets *t = parse(text, &e);
	struct secrets_backend b;
	struct ppp_auth_request req = { 0 };
	struct answer a;
	(void)state;

	secrets_backend_init(&b, t, "pptpd");
	req.method = PPP_AUTH_PAP;
	req.user = "lab";
	req.user_len = 3;
	req.pap.password = (const uint8_t *)"lab-secret";
	req.pap.password_len = 10;
	a = verify(&b, &req);
	assert_int_equal(a.r.status, PPP_AUTH_ACCEPT);
	assert_int_equal(a.r.framed_ip, IP(100, 64, 9, 9));
	req.pap.password_len = 9; /* a prefix of the password is not the password */
	assert_int_equal(verify(&b, &req).r.status, PPP_AUTH_REJECT);
	req.user = "nobody";
	req.user_len = 6;
	req.pap.password_len = 10;
	assert_int_equal(verify(&b, &req).r.status, PPP_AUTH_REJECT);

	/* CHAP-MD5: the peer's response computed here with nettle directly. */
	uint8_t challenge[16], resp[16], id = 7;
	struct md5_ctx md5;
	memset(challenge, 0x5A, sizeof(challenge));
	md5_init(&md5);
	md5_update(&md5, 1, &id);
	md5_update(&md5, 2, (const uint8_t *)"pw");
	md5_update(&md5, 16, challenge);
	md5_digest(&md5, 16, resp);
	memset(&req, 0, sizeof(req));
	req.method = PPP_AUTH_CHAP_MD5;
	req.user = "net";
	req.user_len = 3;
	req.chap_md5.id = id;
	req.chap_md5.challenge = challenge;
	req.chap_md5.challenge_len = 16;
	req.chap_md5.response = resp;
	a = verify(&b, &req);
	assert_int_equal(a.r.status, PPP_AUTH_ACCEPT);
	assert_int_equal(a.r.framed_ip, 0);
	assert_int_equal(a.r.n_allowed, 2);
	assert_true(ppp_auth_result_allows(&a.r, IP(10, 1, 200, 3)));
	assert_true(ppp_auth_result_allows(&a.r, IP(10, 2, 0, 1)));
	assert_false(ppp_auth_result_allows(&a.r, IP(10, 2, 0, 2)));
	req.chap_md5.id = 8;
	assert_int_equal(verify(&b, &req).r.status, PPP_AUTH_REJECT);
	assert_int_equal(b.accepted, 2);
	assert_int_equal(b.rejected, 3);
	secrets_free(t);
}

/* MS-CHAPv2 with RFC 2759's example user, and a domain the file does not name. */
static void test_backend_mschapv2(void **state)
{
	static const uint8_t auth_challenge[16] = { 0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F,
						    0x2F, 0x3E, 0x3C, 0x2C, 0x60, 0x21,
						    0x32, 0x26, 0x26, 0x28 };
	static const uint8_t peer_challenge[16] = { 0x21, 0x40, 0x23, 0x24, 0x25, 0x5E,
						    0x26, 0x2A, 0x28, 0x29, 0x5F, 0x2B,
						    0x3A, 0x33, 0x7C, 0x7E };
	static const uint8_t nt_response[24] = { 0x82, 0x30, 0x9E, 0xCD, 0x8D, 0x70, 0x8B, 0x5E,
						 0xA0, 0x8F, 0xAA, 0x39, 0x81, 0xCD, 0x83, 0x54,
						 0x42, 0x33, 0x11, 0x4A, 0x3D, 0x85, 0xD6, 0xDF };
	static const uint8_t auth_response[20] = { 0x40, 0x7A, 0x55, 0x89, 0x11, 0x5F, 0xD0,
						   0xD6, 0x20, 0x9F, 0x51, 0x0F, 0xE9, 0xC0,
						   0x45, 0x66, 0x93, 0x2C, 0xDA, 0x56 };
	static const uint8_t master_key[16] = { 0xFD, 0xEC, 0xE3, 0x71, 0x7A, 0x8C, 0x83, 0x8C,
						0xB3, 0x88, 0xE5, 0x27, 0xAE, 0x3C, 0xDD, 0x31 };
	struct errors e;
	struct ppp_secrets *t = parse("User * clientPass\n", &e);
	struct secrets_backend b;
	struct ppp_auth_request req = { 0 };
	struct answer a;
	(void)state;

	secrets_backend_init(&b, t, "pptpd");
	req.method = PPP_AUTH_MSCHAPV2;
	req.user = "User";
	req.user_len = 4;
	req.mschapv2.auth_challenge = auth_challenge;
	req.mschapv2.peer_challenge = peer_challenge;
	req.mschapv2.nt_response = nt_response;
	a = verify(&b, &req);
	assert_int_equal(a.r.status, PPP_AUTH_ACCEPT);
	assert_true(a.r.has_auth_response);
	assert_memory_equal(a.r.auth_response, auth_response, 20);
	assert_true(a.r.keys.valid);
	assert_memory_equal(a.r.keys.master_key, master_key, 16);

	req.user = "CORP\\User"; /* found as "User"; the hash ignores the domain too */
	req.user_len = 9;
	a = verify(&b, &req);
	assert_int_equal(a.r.status, PPP_AUTH_ACCEPT);
	assert_memory_equal(a.r.auth_response, auth_response, 20);

	req.user = "User";
	req.user_len = 4;
	req.mschapv2.auth_challenge = peer_challenge; /* wrong challenge */
	a = verify(&b, &req);
	assert_int_equal(a.r.status, PPP_AUTH_REJECT);
	assert_false(a.r.has_auth_response);
	assert_false(a.r.keys.valid);
	secrets_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_lookup_order),
		cmocka_unit_test(test_many_users),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_backend_pap_chap),
		cmocka_unit_test(test_backend_mschapv2),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
