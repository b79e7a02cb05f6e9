/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test harness for the PPP engine: a fake clock, the frames the engine
 * sends kept in a queue, the hooks recorded, deterministic randomness, and
 * a scripted peer that builds its packets with lib/proto's codecs.
 *
 * Expectations in the tests are written by hand from the RFCs and the
 * source documents, never captured from the engine.
 */
#ifndef DPPTP_TESTS_PPP_HARNESS_H
#define DPPTP_TESTS_PPP_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ppp/ppp_session.h"
#include "ppp/secrets.h"
#include "ppp/secrets_backend.h"
#include "proto/ppp_auth.h"
#include "proto/ppp_cp.h"
#include "proto/ppp_frame.h"

#define H_MAX_FRAMES 512
#define H_FRAME_MAX 1600

struct h_frame {
	uint8_t data[H_FRAME_MAX];
	size_t len;
};

/* A backend that answers when the test says so (RADIUS-like). */
struct fake_backend {
	struct ppp_auth_backend base;
	bool fail_start;       /* verify() returns -1 */
	bool answer_now;       /* answer inside verify() with `answer` */
	struct ppp_auth_result answer;
	int verifies;
	int cancels;
	ppp_auth_done_fn done;
	void *cookie;
	bool pending;
	/* copies of the last request */
	enum ppp_auth_method method;
	char user[256];
	uint8_t password[256];
	size_t password_len;
};

struct harness {
	struct ppp_config cfg;
	struct ppp_hooks hooks;
	struct ppp_session *s;
	uint64_t now;

	struct h_frame out[H_MAX_FRAMES];
	size_t n_out;
	size_t next; /* first frame not yet consumed by the test */

	int down_calls;
	enum ppp_reason down_reason;
	int net_up_calls;
	int net_down_calls;
	int mppe_flushes;
	struct ppp_net_params net;
	char net_user[PPP_MAX_NAME_LEN + 1];
	struct ppp_auth_keys net_keys;

	/* randomness: scripted bytes first, then a counter stream */
	uint8_t rand_script[256];
	size_t rand_script_len;
	size_t rand_script_pos;
	uint32_t rand_counter;
	bool rand_fail;

	struct ppp_secrets *secrets;
	struct secrets_backend secrets_backend;
	struct fake_backend fake;
	struct ip_pool *pool;
	bool log;
};

/* Defaults: auth MS-CHAPv2 against a secrets file with user "lab" / "lab-secret", pool
 * 100.64.0.0/16 with our address 100.64.0.1, DNS 8.8.8.8 / 8.8.4.4. */
void h_init(struct harness *h);
/* Replace the secrets text. */
void h_secrets(struct harness *h, const char *text);
/* Use the fake backend instead of the secrets file. */
void h_use_fake_backend(struct harness *h);
/* Create the session (after adjusting h->cfg). */
void h_new(struct harness *h);
void h_free(struct harness *h);

void h_start(struct harness *h);
/* Feed a frame from the peer as is. */
void h_input(struct harness *h, const uint8_t *frame, size_t len);
/* Feed a packet of `protocol` with FF 03 and a 2-byte protocol field. */
void h_send(struct harness *h, uint16_t protocol, const uint8_t *pkt, size_t len);
/* Feed a control packet: code, id and raw data (options). */
void h_send_cp(struct harness *h, uint16_t protocol, uint8_t code, uint8_t id,
	       const void *data, size_t len);
/* Advance the clock, running every timer that falls due on the way. */
void h_advance(struct harness *h, uint64_t ms);
/* Script the next random bytes. */
void h_rand_script(struct harness *h, const uint8_t *bytes, size_t len);

/* Frames the engine sent that the test has not looked at. */
size_t h_pending(const struct harness *h);
/* The next frame the engine sent; fails the test if none. */
const struct h_frame *h_pop(struct harness *h);
/* The next frame must be a control packet of this protocol and code. */
struct ppp_cp_pkt h_expect_cp(struct harness *h, uint16_t protocol, uint8_t code);
/* The next frame must be PAP/CHAP of this code; returns the CHAP view. */
struct chap_pkt h_expect_chap(struct harness *h, uint8_t code);
struct pap_pkt h_expect_pap(struct harness *h, uint8_t code);
/* Nothing more was sent. */
void h_expect_nothing(struct harness *h);

/* The option of this type in a Configure-* packet; fails if absent. */
struct ppp_opt h_opt(const struct ppp_cp_pkt *p, uint8_t type);
bool h_has_opt(const struct ppp_cp_pkt *p, uint8_t type);
/* The packet's options are exactly these bytes. */
void h_assert_opts(const struct ppp_cp_pkt *p, const uint8_t *opts, size_t len);

/* LCP up from the peer's side: we start, the peer requests `opts`, both ack. */
void h_open_lcp(struct harness *h, const uint8_t *peer_opts, size_t len);
/* A plain LCP request of a pptp-linux/pppd client. */
extern const uint8_t H_PEER_LCP_OPTS[];
extern const size_t H_PEER_LCP_OPTS_LEN;

/* MS-CHAPv2 as the client: answer the pending Challenge for user/password. */
void h_mschapv2_respond(struct harness *h, const struct chap_pkt *challenge, const char *user,
			const char *password, const uint8_t peer_challenge[16], uint8_t id);
/* Open LCP, authenticate with MS-CHAPv2 as lab/lab-secret, expect Success. */
void h_authenticate(struct harness *h);
/* From the Network phase: answer CCP (empty) and IPCP (asking 0.0.0.0, then the Nak'd
 * address) until IPCP opens. Returns the assigned address. */
uint32_t h_open_ncps(struct harness *h);

/* Counters snapshot. */
struct ppp_counters h_counters(const struct harness *h);

static inline uint32_t h_ip(unsigned a, unsigned b, unsigned c, unsigned d)
{
	return (uint32_t)a << 24 | b << 16 | c << 8 | d;
}

#endif /* DPPTP_TESTS_PPP_HARNESS_H */
