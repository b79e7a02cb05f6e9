/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test harness for the control connection: a fake owner that records what
 * the connection sends and which hooks it runs, and a scripted peer whose
 * messages are written by the codec's builder. Our replies are read back with
 * the codec's parser. Time is whatever the test says it is.
 */
#ifndef DPPTP_TESTS_PPTP_HARNESS_H
#define DPPTP_TESTS_PPTP_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pptp/call_id.h"
#include "pptp/ctrl_conn.h"
#include "proto/pptp_msg.h"

#define PEER_ADDR 0xC6336402u /* 198.51.100.2 */
#define OUT_CAP (1u << 16)
#define MAX_CLEARED 64
#define LOG_CAP (1u << 16)

struct cleared {
	struct pptp_call call;
	enum pptp_clear_cause cause;
};

struct owner {
	struct pptp_conn *conn;
	/* everything the connection sent, and how far the test has read it */
	uint8_t out[OUT_CAP];
	size_t out_len, out_pos;
	int sends;
	int fail_send_at; /* the n-th send (from 1) fails; 0: never */
	/* close hook */
	int closes;
	enum pptp_close_reason why;
	char detail[128];
	/* call_request hook */
	int requests;
	enum pptp_call_verdict verdict;
	struct pptp_ocrq last_rq;
	struct pptp_call last_call;
	/* call_cleared hook */
	struct cleared cleared[MAX_CLEARED];
	int ncleared;
	/* set_link_info hook */
	int slis;
	struct pptp_sli last_sli;
	/* log hook: all lines, newline separated */
	char log[LOG_CAP];
	size_t log_len;
	/* re-entrancy scenarios: the hook calls pptp_conn_stop() */
	bool stop_in_request;
	bool stop_when_last_cleared;
};

extern const struct pptp_conn_hooks test_hooks;

void owner_init(struct owner *o);
/* A connection at `now` with the default configuration (cfg NULL) or `cfg`;
 * its call IDs come from `ids`. Logs everything (DEBUG). */
struct pptp_conn *conn_open(struct owner *o, struct pptp_call_id_allocator *ids,
			    const struct pptp_conn_cfg *cfg, uint64_t now);

/* Peer messages with realistic fields. */
struct pptp_msg msg_sccrq(uint16_t version);
struct pptp_msg msg_ocrq(uint16_t peer_call_id);
struct pptp_msg msg_ccrq(uint16_t peer_call_id);
struct pptp_msg msg_echorq(uint32_t id);
struct pptp_msg msg_echorp(uint32_t id, uint8_t result);
struct pptp_msg msg_stopccrq(uint8_t reason);
struct pptp_msg msg_stopccrp(uint8_t result);
struct pptp_msg msg_icrq(uint16_t peer_call_id);
struct pptp_msg msg_sli(uint16_t our_call_id);
struct pptp_msg msg_wen(uint16_t call_id);
/* Any type, every field valid (replies carry result 1). */
struct pptp_msg msg_any(unsigned int type);

/* Build with the codec; asserts success. Returns the length. */
size_t build(const struct pptp_msg *m, uint8_t *buf, size_t cap);
/* Build and feed in one piece. */
enum pptp_conn_state feed(struct owner *o, uint64_t now, const struct pptp_msg *m);

/* Parse the next message we sent (asserts it parses); false if none left. */
bool next_out(struct owner *o, struct pptp_msg *m);
/* The next message we sent must be of `type`. */
struct pptp_msg expect_out(struct owner *o, unsigned int type);
void expect_no_out(struct owner *o);
bool log_has(const struct owner *o, const char *needle);

/* SCCRQ 1.0 -> SCCRP OK. */
void establish(struct owner *o, uint64_t now);
/* OCRQ -> OCRP Connected; returns our call ID. */
uint16_t place_call(struct owner *o, uint64_t now, uint16_t peer_call_id);

#endif /* DPPTP_TESTS_PPTP_HARNESS_H */
