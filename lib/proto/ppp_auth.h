/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Authentication packets: PAP (RFC 1334), CHAP (RFC 1994) and the layouts
 * MS-CHAPv2 (RFC 2759) puts inside CHAP. Only the wire format lives here;
 * the cryptography and the server logic belong to the PPP engine.
 */
#ifndef DPPTP_PPP_AUTH_H
#define DPPTP_PPP_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pap_code { PAP_AUTH_REQ = 1, PAP_AUTH_ACK = 2, PAP_AUTH_NAK = 3 };
enum chap_code { CHAP_CHALLENGE = 1, CHAP_RESPONSE = 2, CHAP_SUCCESS = 3, CHAP_FAILURE = 4 };

/* CHAP algorithm octet of LCP's Authentication-Protocol option. */
#define CHAP_ALG_MD5 0x05
#define CHAP_ALG_MSCHAPV1 0x80
#define CHAP_ALG_MSCHAPV2 0x81

struct pap_pkt {
	uint8_t code;
	uint8_t id;
	uint16_t length;
	/* Authenticate-Request */
	const uint8_t *peer_id;
	uint8_t peer_id_len;
	const uint8_t *passwd;
	uint8_t passwd_len;
	/* Authenticate-Ack/Nak */
	const uint8_t *msg;
	uint8_t msg_len;
};

/* Parse a PAP packet (the information field of a PPP_PAP frame). */
int pap_parse(const uint8_t *buf, size_t len, struct pap_pkt *p);

/* Build Authenticate-Request; returns the length or a PROTO_E() error. */
int pap_build_request(uint8_t *buf, size_t cap, uint8_t id, const void *peer_id,
		      size_t peer_id_len, const void *passwd, size_t passwd_len);

/* Build Authenticate-Ack or -Nak with a message. */
int pap_build_reply(uint8_t *buf, size_t cap, uint8_t code, uint8_t id, const void *msg,
		    size_t msg_len);

struct chap_pkt {
	uint8_t code;
	uint8_t id;
	uint16_t length;
	/* Challenge/Response */
	const uint8_t *value;
	uint8_t value_size;
	const uint8_t *name; /* the rest of the packet, not NUL terminated */
	uint16_t name_len;
	/* Success/Failure: the rest of the packet */
	const uint8_t *msg;
	uint16_t msg_len;
};

/* Parse a CHAP packet (the information field of a PPP_CHAP frame). */
int chap_parse(const uint8_t *buf, size_t len, struct chap_pkt *p);

/* Build Challenge (code 1) or Response (code 2). */
int chap_build_value(uint8_t *buf, size_t cap, uint8_t code, uint8_t id, const void *value,
		     size_t value_size, const void *name, size_t name_len);

/* Build Success (code 3) or Failure (code 4) with a message. */
int chap_build_status(uint8_t *buf, size_t cap, uint8_t code, uint8_t id, const void *msg,
		      size_t msg_len);

/* ---- MS-CHAPv2 (RFC 2759) ---- */

#define MSCHAPV2_CHALLENGE_LEN 16
#define MSCHAPV2_RESPONSE_LEN 49
#define MSCHAPV2_NT_RESPONSE_LEN 24
#define MSCHAPV2_AUTH_RESPONSE_LEN 20

/* The Response packet's value: Peer-Challenge, 8 reserved zero octets,
 * NT-Response, Flags (zero). */
struct mschapv2_response {
	uint8_t peer_challenge[MSCHAPV2_CHALLENGE_LEN];
	uint8_t nt_response[MSCHAPV2_NT_RESPONSE_LEN];
	uint8_t flags;
};

/* Decode a Response value; checks its size (49) and the zero fields. */
int mschapv2_response_parse(const uint8_t *value, size_t value_size,
			    struct mschapv2_response *r);

/* Encode a Response value into 49 bytes. */
void mschapv2_response_write(uint8_t out[MSCHAPV2_RESPONSE_LEN],
			     const struct mschapv2_response *r);

/*
 * The Success message: "S=<40 upper-case hex digits of the authenticator
 * response> M=<message>". Writes no NUL; returns the length or an error.
 */
int mschapv2_success_build(char *buf, size_t cap,
			   const uint8_t auth_response[MSCHAPV2_AUTH_RESPONSE_LEN], const char *msg);

/* Find and decode "S=" in a Success message (the client side, for tests). */
int mschapv2_success_parse(const uint8_t *msg, size_t len,
			   uint8_t auth_response[MSCHAPV2_AUTH_RESPONSE_LEN]);

/* Error values of the Failure message (RFC 2759 section 6). */
#define MSCHAP_ERROR_RESTRICTED_LOGON_HOURS 646
#define MSCHAP_ERROR_ACCT_DISABLED 647
#define MSCHAP_ERROR_PASSWD_EXPIRED 648
#define MSCHAP_ERROR_NO_DIALIN_PERMISSION 649
#define MSCHAP_ERROR_AUTHENTICATION_FAILURE 691
#define MSCHAP_ERROR_CHANGING_PASSWORD 709

/* "E=eeeeeeeeee R=r C=cccccccccccccccccccccccccccccccc V=vvvvvvvvvv M=<msg>" */
struct mschapv2_failure {
	uint32_t error;
	bool retry;
	uint8_t challenge[MSCHAPV2_CHALLENGE_LEN]; /* for the retry */
	uint32_t version;                          /* 3 for MS-CHAPv2 */
	char message[128];
};

int mschapv2_failure_build(char *buf, size_t cap, const struct mschapv2_failure *f);
int mschapv2_failure_parse(const uint8_t *msg, size_t len, struct mschapv2_failure *f);

#endif /* DPPTP_PPP_AUTH_H */
