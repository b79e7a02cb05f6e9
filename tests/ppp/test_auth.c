/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Server-side authentication: PAP, CHAP-MD5 and MS-CHAPv2 successes and
 * failures, Challenge retransmission, bounded attempts, duplicates, and a
 * backend that answers later, errs, or never answers.
 *
 * CHAP-MD5 responses are computed here with nettle's MD5 directly; the
 * MS-CHAPv2 peer uses the engine's crypto (checked on its own against the
 * RFC vectors and against Python in test_crypto and check_mschapv2.py).
 */
#include <string.h>

#include <nettle/md5.h>

#include "harness.h"
#include "ppp/ppp_internal.h"
#include "proto/wire.h"

static void pap_request(struct harness *h, uint8_t id, const char *user, const char *password)
{
	uint8_t pkt[600];
	int n = pap_build_request(pkt, sizeof(pkt), id, user, strlen(user), password,
				  strlen(password));

	assert_true(n > 0);
	h_send(h, PPP_PAP, pkt, (size_t)n);
}

static void open_with(struct harness *h, unsigned method)
{
	h->cfg.auth_methods = method;
	h_new(h);
	h_start(h);
	struct ppp_cp_pkt ours = h_expect_cp(h, PPP_LCP, PPP_CONF_REQ);
	struct ppp_opt auth = h_opt(&ours, LCP_OPT_AUTH);
	if (method == PPP_AUTH_PAP) {
		assert_int_equal(auth.len, 4);
		assert_memory_equal(auth.val, "\xC0\x23", 2);
	} else if (method == PPP_AUTH_CHAP_MD5) {
		assert_int_equal(auth.len, 5);
		assert_memory_equal(auth.val, "\xC2\x23\x05", 3);
	}
	h_send_cp(h, PPP_LCP, PPP_CONF_REQ, 1, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	h_expect_cp(h, PPP_LCP, PPP_CONF_ACK);
	h_send_cp(h, PPP_LCP, PPP_CONF_ACK, ours.id, ours.data, ours.data_len);
	assert_int_equal(ppp_session_phase(h->s), PPP_PHASE_AUTHENTICATE);
}

static void test_pap_success(void **state)
{
	struct harness h;
	struct pap_pkt a;
	(void)state;

	h_init(&h);
	open_with(&h, PPP_AUTH_PAP);
	h_expect_nothing(&h); /* PAP: the peer speaks first */
	pap_request(&h, 7, "lab", "lab-secret");
	a = h_expect_pap(&h, PAP_AUTH_ACK);
	assert_int_equal(a.id, 7);
	assert_int_equal(ppp_session_phase(h.s), PPP_PHASE_NETWORK);
	h_open_ncps(&h);
	/* Our Ack was lost: the same request again gets the same Ack, nothing else. */
	pap_request(&h, 7, "lab", "lab-secret");
	a = h_expect_pap(&h, PAP_AUTH_ACK);
	assert_int_equal(a.id, 7);
	h_expect_nothing(&h);
	assert_string_equal(h.net.user, "lab");
	assert_int_equal(h.net.auth_method, PPP_AUTH_PAP);
	assert_false(h.net.keys->valid);
	assert_int_equal(h_counters(&h).auth_attempts, 1);
	h_free(&h);
}

static void test_pap_failure_and_retries(void **state)
{
	struct harness h;
	struct pap_pkt n;
	(void)state;

	h_init(&h);
	h.cfg.auth_max_attempts = 2;
	open_with(&h, PPP_AUTH_PAP);
	pap_request(&h, 1, "lab", "wrong");
	n = h_expect_pap(&h, PAP_AUTH_NAK);
	assert_int_equal(n.id, 1);
	assert_int_equal(n.msg_len, 15);
	assert_memory_equal(n.msg, "Login incorrect", 15);
	h_expect_nothing(&h); /* one attempt left: wait */
	pap_request(&h, 2, "lab", "still-wrong");
	h_expect_pap(&h, PAP_AUTH_NAK);
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_advance(&h, 6000);
	assert_int_equal(h.down_reason, PPP_REASON_AUTH_FAILED);
	struct ppp_counters c = h_counters(&h);
	assert_int_equal(c.auth_attempts, 2);
	assert_int_equal(c.auth_failures, 2);
	h_free(&h);
}

/* PAP with a retry that succeeds; a peer that never sends a request times out. */
static void test_pap_retry_then_timeout(void **state)
{
	struct harness h;
	(void)state;

	h_init(&h);
	open_with(&h, PPP_AUTH_PAP);
	pap_request(&h, 1, "lab", "wrong");
	h_expect_pap(&h, PAP_AUTH_NAK);
	pap_request(&h, 2, "lab", "lab-secret");
	h_expect_pap(&h, PAP_AUTH_ACK);
	assert_int_equal(ppp_session_phase(h.s), PPP_PHASE_NETWORK);
	ppp_session_free(h.s);

	h.next = h.n_out;
	open_with(&h, PPP_AUTH_PAP);
	h_advance(&h, 29999);
	h_expect_nothing(&h);
	h_advance(&h, 1);
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_advance(&h, 6000);
	assert_int_equal(h.down_reason, PPP_REASON_AUTH_TIMEOUT);
	h_free(&h);
}

static void md5_response(uint8_t id, const char *secret, const uint8_t *challenge, size_t clen,
			 uint8_t out[16])
{
	struct md5_ctx ctx;

	md5_init(&ctx);
	md5_update(&ctx, 1, &id);
	md5_update(&ctx, strlen(secret), (const uint8_t *)secret);
	md5_update(&ctx, clen, challenge);
	md5_digest(&ctx, 16, out);
}

static void chap_md5_respond(struct harness *h, const struct chap_pkt *c, const char *user,
			     const char *secret)
{
	uint8_t resp[16], pkt[300];
	int n;

	md5_response(c->id, secret, c->value, c->value_size, resp);
	n = chap_build_value(pkt, sizeof(pkt), CHAP_RESPONSE, c->id, resp, 16, user, strlen(user));
	h_send(h, PPP_CHAP, pkt, (size_t)n);
}

static void test_chap_md5_success(void **state)
{
	struct harness h;
	struct chap_pkt c, s;
	(void)state;

	h_init(&h);
	open_with(&h, PPP_AUTH_CHAP_MD5);
	c = h_expect_chap(&h, CHAP_CHALLENGE);
	assert_int_equal(c.value_size, 16);
	chap_md5_respond(&h, &c, "lab", "lab-secret");
	s = h_expect_chap(&h, CHAP_SUCCESS);
	assert_int_equal(s.id, c.id);
	h_open_ncps(&h);
	assert_int_equal(h.net.auth_method, PPP_AUTH_CHAP_MD5);
	/* A duplicate Response (our Success lost) gets the Success again. */
	chap_md5_respond(&h, &c, "lab", "lab-secret");
	s = h_expect_chap(&h, CHAP_SUCCESS);
	assert_int_equal(s.id, c.id);
	h_expect_nothing(&h);
	assert_int_equal(h_counters(&h).auth_attempts, 1);
	h_free(&h);
}

/* A wrong response: Failure, a fresh Challenge (new id, new value) while attempts remain. */
static void test_chap_md5_failure(void **state)
{
	struct harness h;
	struct chap_pkt c1, c2, c3;
	(void)state;

	h_init(&h);
	h.cfg.auth_max_attempts = 3;
	open_with(&h, PPP_AUTH_CHAP_MD5);
	c1 = h_expect_chap(&h, CHAP_CHALLENGE);
	chap_md5_respond(&h, &c1, "lab", "nope");
	assert_int_equal(h_expect_chap(&h, CHAP_FAILURE).id, c1.id);
	c2 = h_expect_chap(&h, CHAP_CHALLENGE);
	assert_int_not_equal(c2.id, c1.id);
	assert_memory_not_equal(c2.value, c1.value, 16);
	/* An answer to the old challenge is a duplicate: the old Failure again. */
	chap_md5_respond(&h, &c1, "lab", "nope");
	assert_int_equal(h_expect_chap(&h, CHAP_FAILURE).id, c1.id);
	chap_md5_respond(&h, &c2, "lab", "nope");
	h_expect_chap(&h, CHAP_FAILURE);
	c3 = h_expect_chap(&h, CHAP_CHALLENGE);
	chap_md5_respond(&h, &c3, "nobody", "lab-secret");
	h_expect_chap(&h, CHAP_FAILURE);
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_expect_nothing(&h);
	h_advance(&h, 6000);
	assert_int_equal(h.down_reason, PPP_REASON_AUTH_FAILED);
	assert_int_equal(h_counters(&h).auth_failures, 3);
	h_free(&h);
}

/* Challenge retransmission: same id and value every 3 s, 10 in all, then AUTH_TIMEOUT. */
static void test_challenge_retransmission(void **state)
{
	struct harness h;
	struct chap_pkt first, again;
	(void)state;

	h_init(&h);
	h_new(&h);
	h_open_lcp(&h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	first = h_expect_chap(&h, CHAP_CHALLENGE);
	uint8_t value[16];
	memcpy(value, first.value, 16);
	for (int i = 1; i < 10; i++) {
		h_advance(&h, 2999);
		h_expect_nothing(&h);
		h_advance(&h, 1);
		again = h_expect_chap(&h, CHAP_CHALLENGE);
		assert_int_equal(again.id, first.id);
		assert_memory_equal(again.value, value, 16);
	}
	h_advance(&h, 3000);
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_advance(&h, 6000);
	assert_int_equal(h.down_reason, PPP_REASON_AUTH_TIMEOUT);
	assert_int_equal(h_counters(&h).auth_challenges_sent, 10);
	h_free(&h);
}

/* A response to a retransmitted challenge is fine; a wrong id is dropped. */
static void test_response_id(void **state)
{
	static const uint8_t pc[16] = "PEERCHALLENGE123";
	struct harness h;
	struct chap_pkt c;
	(void)state;

	h_init(&h);
	h_new(&h);
	h_open_lcp(&h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	c = h_expect_chap(&h, CHAP_CHALLENGE);
	h_mschapv2_respond(&h, &c, "lab", "lab-secret", pc, (uint8_t)(c.id + 1));
	h_expect_nothing(&h);
	assert_int_equal(h_counters(&h).dropped[PPP_DROP_AUTH_ID], 1);
	h_advance(&h, 3000);
	c = h_expect_chap(&h, CHAP_CHALLENGE);
	h_mschapv2_respond(&h, &c, "lab", "lab-secret", pc, c.id);
	h_expect_chap(&h, CHAP_SUCCESS);
	/* No more challenges once answered. */
	h.next = h.n_out;
	h_advance(&h, 3000);
	for (size_t i = h.next; i < h.n_out; i++) {
		struct ppp_frame f;
		assert_int_equal(ppp_frame_parse(h.out[i].data, h.out[i].len, &f), PROTO_OK);
		assert_int_not_equal(f.protocol, PPP_CHAP);
	}
	h_free(&h);
}

/* MS-CHAPv2 retry (RFC 2759 section 6): R=1 with a new C=, the next Response has id+1. */
static void test_mschapv2_retry(void **state)
{
	static const uint8_t pc[16] = "PEERCHALLENGE123";
	struct harness h;
	struct chap_pkt c, f, s;
	struct mschapv2_failure fail;
	struct chap_pkt next;
	(void)state;

	h_init(&h);
	h_new(&h);
	h_open_lcp(&h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	c = h_expect_chap(&h, CHAP_CHALLENGE);
	h_mschapv2_respond(&h, &c, "lab", "bad-guess", pc, c.id);
	f = h_expect_chap(&h, CHAP_FAILURE);
	assert_int_equal(f.id, c.id);
	assert_int_equal(mschapv2_failure_parse(f.msg, f.msg_len, &fail), PROTO_OK);
	assert_int_equal(fail.error, 691);
	assert_true(fail.retry);
	assert_int_equal(fail.version, 3);
	assert_memory_not_equal(fail.challenge, c.value, 16);
	h_expect_nothing(&h);
	/* The peer retries with the challenge from C= and Identifier + 1. */
	next = c;
	next.value = fail.challenge;
	next.id = (uint8_t)(c.id + 1);
	h_mschapv2_respond(&h, &next, "lab", "lab-secret", pc, next.id);
	s = h_expect_chap(&h, CHAP_SUCCESS);
	assert_int_equal(s.id, next.id);
	assert_int_equal(ppp_session_phase(h.s), PPP_PHASE_NETWORK);
	struct ppp_counters cnt = h_counters(&h);
	assert_int_equal(cnt.auth_attempts, 2);
	assert_int_equal(cnt.auth_failures, 1);
	h_free(&h);
}

/* Three wrong passwords: R=1, R=1, R=0, then LCP Terminate. */
static void test_mschapv2_bounded_attempts(void **state)
{
	static const uint8_t pc[16] = "PEERCHALLENGE123";
	struct harness h;
	struct chap_pkt c, f;
	struct mschapv2_failure fail;
	(void)state;

	h_init(&h);
	h_new(&h);
	h_open_lcp(&h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	c = h_expect_chap(&h, CHAP_CHALLENGE);
	for (int i = 0; i < 3; i++) {
		h_mschapv2_respond(&h, &c, "lab", "wrong", pc, c.id);
		f = h_expect_chap(&h, CHAP_FAILURE);
		assert_int_equal(mschapv2_failure_parse(f.msg, f.msg_len, &fail), PROTO_OK);
		assert_int_equal(fail.retry, i < 2);
		c.value = fail.challenge;
		c.id++;
	}
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_advance(&h, 6000);
	assert_int_equal(h.down_reason, PPP_REASON_AUTH_FAILED);
	h_free(&h);
}

/* After a Failure the Windows client hangs up itself: still AUTH_FAILED. */
static void test_peer_hangs_up_after_failure(void **state)
{
	static const uint8_t pc[16] = "PEERCHALLENGE123";
	struct harness h;
	struct chap_pkt c;
	(void)state;

	h_init(&h);
	h_new(&h);
	h_open_lcp(&h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	c = h_expect_chap(&h, CHAP_CHALLENGE);
	h_mschapv2_respond(&h, &c, "lab", "wrong", pc, c.id);
	h_expect_chap(&h, CHAP_FAILURE);
	h_send_cp(&h, PPP_LCP, PPP_TERM_REQ, 9, NULL, 0);
	h_expect_cp(&h, PPP_LCP, PPP_TERM_ACK);
	h_advance(&h, 3000);
	assert_int_equal(h.down_reason, PPP_REASON_AUTH_FAILED);
	h_free(&h);
}

/* A backend that answers later (RADIUS-like); responses meanwhile are ignored. */
static void test_async_backend(void **state)
{
	static const uint8_t pc[16] = "PEERCHALLENGE123";
	struct harness h;
	struct chap_pkt c;
	(void)state;

	h_init(&h);
	h_use_fake_backend(&h);
	h_new(&h);
	h_open_lcp(&h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	c = h_expect_chap(&h, CHAP_CHALLENGE);
	h_mschapv2_respond(&h, &c, "CORP\\alice", "whatever", pc, c.id);
	assert_int_equal(h.fake.verifies, 1);
	assert_true(h.fake.pending);
	assert_int_equal(h.fake.method, PPP_AUTH_MSCHAPV2);
	assert_string_equal(h.fake.user, "CORP\\alice");
	h_expect_nothing(&h);
	/* The peer, impatient, sends its Response again: ignored while we wait. */
	h_mschapv2_respond(&h, &c, "CORP\\alice", "whatever", pc, c.id);
	h_expect_nothing(&h);
	assert_int_equal(h.fake.verifies, 1);
	assert_int_equal(h_counters(&h).dropped[PPP_DROP_AUTH_BUSY], 1);
	h_advance(&h, 2000); /* no challenge retransmission while verifying */
	h_expect_nothing(&h);

	struct ppp_auth_result r = { .status = PPP_AUTH_ACCEPT, .framed_ip = h_ip(100, 64, 7, 7),
				     .has_auth_response = true };
	memset(r.auth_response, 0xAB, 20);
	strcpy(r.message, "Welcome\nforged line");
	h.fake.pending = false;
	h.fake.done(h.fake.cookie, h.now, &r);
	struct chap_pkt s = h_expect_chap(&h, CHAP_SUCCESS);
	static const char want[] = "S=ABABABABABABABABABABABABABABABABABABABAB"
				   " M=Welcomeforged line";
	assert_int_equal(s.msg_len, strlen(want));
	assert_memory_equal(s.msg, want, strlen(want));
	uint32_t addr = h_open_ncps(&h);
	assert_int_equal(addr, h_ip(100, 64, 7, 7)); /* the backend's framed address */
	assert_string_equal(h.net.user, "CORP\\alice");
	h_free(&h);
}

/* Closing while the backend decides cancels the check; a late answer is ignored. */
static void test_async_cancel(void **state)
{
	static const uint8_t pc[16] = "PEERCHALLENGE123";
	struct harness h;
	struct chap_pkt c;
	(void)state;

	h_init(&h);
	h_use_fake_backend(&h);
	h_new(&h);
	h_open_lcp(&h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	c = h_expect_chap(&h, CHAP_CHALLENGE);
	h_mschapv2_respond(&h, &c, "alice", "x", pc, c.id);
	ppp_session_close(h.s, h.now, PPP_REASON_ADMIN);
	assert_int_equal(h.fake.cancels, 1);
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_free(&h);
}

/* The backend never answers: cancelled after auth_timeout_ms, AUTH_TIMEOUT. */
static void test_backend_timeout(void **state)
{
	struct harness h;
	(void)state;

	h_init(&h);
	h_use_fake_backend(&h);
	open_with(&h, PPP_AUTH_PAP);
	pap_request(&h, 1, "alice", "pw");
	assert_true(h.fake.pending);
	assert_int_equal(h.fake.password_len, 2);
	assert_memory_equal(h.fake.password, "pw", 2);
	h_advance(&h, 30000);
	assert_int_equal(h.fake.cancels, 1);
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_advance(&h, 6000);
	assert_int_equal(h.down_reason, PPP_REASON_AUTH_TIMEOUT);
	h_free(&h);
}

/* A backend that cannot start, or says it cannot decide: AUTH_ERROR, no retry. */
static void test_backend_errors(void **state)
{
	static const uint8_t pc[16] = "PEERCHALLENGE123";
	struct harness h;
	struct chap_pkt c, f;
	struct mschapv2_failure fail;
	(void)state;

	h_init(&h);
	h_use_fake_backend(&h);
	h.fake.fail_start = true;
	h_new(&h);
	h_open_lcp(&h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	c = h_expect_chap(&h, CHAP_CHALLENGE);
	h_mschapv2_respond(&h, &c, "alice", "x", pc, c.id);
	f = h_expect_chap(&h, CHAP_FAILURE);
	assert_int_equal(mschapv2_failure_parse(f.msg, f.msg_len, &fail), PROTO_OK);
	assert_false(fail.retry);
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_advance(&h, 6000);
	assert_int_equal(h.down_reason, PPP_REASON_AUTH_ERROR);
	ppp_session_free(h.s);

	/* An accept without the authenticator response cannot be honoured. */
	h.fake.fail_start = false;
	h.fake.answer_now = true;
	h.fake.answer.status = PPP_AUTH_ACCEPT;
	h.next = h.n_out;
	h_new(&h);
	h_open_lcp(&h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	c = h_expect_chap(&h, CHAP_CHALLENGE);
	h_mschapv2_respond(&h, &c, "alice", "x", pc, c.id);
	h_expect_chap(&h, CHAP_FAILURE);
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_free(&h);
}

/* A user name with a NUL byte is refused without asking the backend. */
static void test_bad_user_name(void **state)
{
	struct harness h;
	uint8_t pkt[64];
	(void)state;

	h_init(&h);
	h_use_fake_backend(&h);
	h.cfg.auth_max_attempts = 1;
	open_with(&h, PPP_AUTH_PAP);
	int n = pap_build_request(pkt, sizeof(pkt), 1, "la\0b", 4, "pw", 2);
	h_send(&h, PPP_PAP, pkt, (size_t)n);
	h_expect_pap(&h, PAP_AUTH_NAK);
	assert_int_equal(h.fake.verifies, 0);
	h_expect_cp(&h, PPP_LCP, PPP_TERM_REQ);
	h_free(&h);
}

/* Authentication packets of another method or from the wrong side are dropped. */
static void test_wrong_packets(void **state)
{
	struct harness h;
	uint8_t pkt[64];
	(void)state;

	h_init(&h);
	h_new(&h);
	h_open_lcp(&h, H_PEER_LCP_OPTS, H_PEER_LCP_OPTS_LEN);
	struct chap_pkt c = h_expect_chap(&h, CHAP_CHALLENGE);
	pap_request(&h, 1, "lab", "lab-secret"); /* PAP when CHAP was agreed */
	int n = chap_build_value(pkt, sizeof(pkt), CHAP_CHALLENGE, c.id, "0123456789abcdef", 16,
				 "x", 1);
	h_send(&h, PPP_CHAP, pkt, (size_t)n); /* a client challenging us */
	n = chap_build_status(pkt, sizeof(pkt), CHAP_SUCCESS, c.id, "S=", 2);
	h_send(&h, PPP_CHAP, pkt, (size_t)n);
	/* A CHAP-MD5-sized value where MS-CHAPv2 needs 49 bytes. */
	n = chap_build_value(pkt, sizeof(pkt), CHAP_RESPONSE, c.id, "0123456789abcdef", 16, "x", 1);
	h_send(&h, PPP_CHAP, pkt, (size_t)n);
	h_expect_nothing(&h);
	struct ppp_counters cnt = h_counters(&h);
	assert_int_equal(cnt.dropped[PPP_DROP_WRONG_PHASE], 1);
	assert_int_equal(cnt.dropped[PPP_DROP_AUTH_CODE], 2);
	assert_int_equal(cnt.malformed[-PROTO_E(CHAP_BAD_VALUE_SIZE)], 1);
	assert_int_equal(cnt.auth_attempts, 0);
	assert_int_equal(ppp_session_phase(h.s), PPP_PHASE_AUTHENTICATE);
	h_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pap_success),
		cmocka_unit_test(test_pap_failure_and_retries),
		cmocka_unit_test(test_pap_retry_then_timeout),
		cmocka_unit_test(test_chap_md5_success),
		cmocka_unit_test(test_chap_md5_failure),
		cmocka_unit_test(test_challenge_retransmission),
		cmocka_unit_test(test_response_id),
		cmocka_unit_test(test_mschapv2_retry),
		cmocka_unit_test(test_mschapv2_bounded_attempts),
		cmocka_unit_test(test_peer_hangs_up_after_failure),
		cmocka_unit_test(test_async_backend),
		cmocka_unit_test(test_async_cancel),
		cmocka_unit_test(test_backend_timeout),
		cmocka_unit_test(test_backend_errors),
		cmocka_unit_test(test_bad_user_name),
		cmocka_unit_test(test_wrong_packets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
