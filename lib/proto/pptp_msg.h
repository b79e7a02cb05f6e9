/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PPTP control messages (RFC 2637 section 2): parse and build.
 *
 * Every message is a 12-byte header (length, PPTP message type 1, magic cookie
 * 0x1A2B3C4D, control message type, reserved 0) followed by a body of a fixed
 * size per control message type. A parse checks every header field, the exact
 * length, the result/error codes of the type and the phone-number lengths;
 * strings (64 bytes, NUL padded) are copied out and always NUL terminated,
 * never trusted to be. Reserved fields of the body are not checked (real peers
 * leave junk in them; RFC 1122's robustness rule) but reported in `warnings`.
 */
#ifndef DPPTP_PPTP_MSG_H
#define DPPTP_PPTP_MSG_H

#include <stddef.h>
#include <stdint.h>

#define PPTP_TCP_PORT 1723
#define PPTP_HDR_LEN 12
#define PPTP_MAGIC 0x1A2B3C4Du
#define PPTP_MSG_CONTROL 1
#define PPTP_PROTO_VERSION 0x0100 /* 1.0 */
#define PPTP_STR_LEN 64           /* host name, vendor, numbers, subaddress */
#define PPTP_STATS_LEN 128        /* Call-Disconnect-Notify call statistics */
#define PPTP_MAX_MSG_LEN 220      /* the largest type: Incoming-Call-Request */

enum pptp_ctrl_type {
	PPTP_SCCRQ = 1,  /* Start-Control-Connection-Request */
	PPTP_SCCRP = 2,  /* Start-Control-Connection-Reply */
	PPTP_STOPCCRQ = 3, /* Stop-Control-Connection-Request */
	PPTP_STOPCCRP = 4, /* Stop-Control-Connection-Reply */
	PPTP_ECHORQ = 5, /* Echo-Request */
	PPTP_ECHORP = 6, /* Echo-Reply */
	PPTP_OCRQ = 7,   /* Outgoing-Call-Request */
	PPTP_OCRP = 8,   /* Outgoing-Call-Reply */
	PPTP_ICRQ = 9,   /* Incoming-Call-Request */
	PPTP_ICRP = 10,  /* Incoming-Call-Reply */
	PPTP_ICCN = 11,  /* Incoming-Call-Connected */
	PPTP_CCRQ = 12,  /* Call-Clear-Request */
	PPTP_CDN = 13,   /* Call-Disconnect-Notify */
	PPTP_WEN = 14,   /* WAN-Error-Notify */
	PPTP_SLI = 15,   /* Set-Link-Info */
	PPTP_CTRL_TYPE_MAX = 15,
};

/* Framing and bearer capability bits (SCCRQ/SCCRP) and types (OCRQ/ICRQ). */
#define PPTP_FRAMING_ASYNC 1u
#define PPTP_FRAMING_SYNC 2u
#define PPTP_BEARER_ANALOG 1u
#define PPTP_BEARER_DIGITAL 2u

/* Result codes per message (RFC 2637 section 2). */
enum pptp_sccrp_result {
	PPTP_SCCRP_OK = 1,
	PPTP_SCCRP_GENERAL_ERROR = 2,
	PPTP_SCCRP_CHANNEL_EXISTS = 3,
	PPTP_SCCRP_NOT_AUTHORIZED = 4,
	PPTP_SCCRP_BAD_VERSION = 5,
};
enum pptp_stop_reason {
	PPTP_STOP_NONE = 1,
	PPTP_STOP_PROTOCOL = 2,
	PPTP_STOP_LOCAL_SHUTDOWN = 3,
};
enum pptp_stopccrp_result { PPTP_STOPCCRP_OK = 1, PPTP_STOPCCRP_GENERAL_ERROR = 2 };
enum pptp_echorp_result { PPTP_ECHORP_OK = 1, PPTP_ECHORP_GENERAL_ERROR = 2 };
enum pptp_ocrp_result {
	PPTP_OCRP_CONNECTED = 1,
	PPTP_OCRP_GENERAL_ERROR = 2,
	PPTP_OCRP_NO_CARRIER = 3,
	PPTP_OCRP_BUSY = 4,
	PPTP_OCRP_NO_DIAL_TONE = 5,
	PPTP_OCRP_TIMEOUT = 6,
	PPTP_OCRP_DO_NOT_ACCEPT = 7,
};
enum pptp_icrp_result {
	PPTP_ICRP_CONNECT = 1,
	PPTP_ICRP_GENERAL_ERROR = 2,
	PPTP_ICRP_DO_NOT_ACCEPT = 3,
};
enum pptp_cdn_result {
	PPTP_CDN_LOST_CARRIER = 1,
	PPTP_CDN_GENERAL_ERROR = 2,
	PPTP_CDN_ADMIN_SHUTDOWN = 3,
	PPTP_CDN_REQUEST = 4,
};
/* General error codes, meaningful when a result code says "general error". */
enum pptp_general_error {
	PPTP_ERROR_NONE = 0,
	PPTP_ERROR_NOT_CONNECTED = 1,
	PPTP_ERROR_BAD_FORMAT = 2,
	PPTP_ERROR_BAD_VALUE = 3,
	PPTP_ERROR_NO_RESOURCE = 4,
	PPTP_ERROR_BAD_CALL_ID = 5,
	PPTP_ERROR_PAC_ERROR = 6,
	PPTP_ERROR_MAX = 6,
};

/* Bits of pptp_msg.warnings: tolerated oddities, worth counting or logging. */
#define PPTP_WARN_RESERVED_NONZERO 0x1u /* a body reserved field is not zero */
#define PPTP_WARN_STR_UNTERMINATED 0x2u /* a 64-byte string has no NUL */

struct pptp_sccrq {
	uint16_t version;
	uint32_t framing_caps;
	uint32_t bearer_caps;
	uint16_t max_channels;
	uint16_t firmware_rev;
	char host_name[PPTP_STR_LEN + 1];
	char vendor[PPTP_STR_LEN + 1];
};

struct pptp_sccrp {
	uint16_t version;
	uint8_t result;
	uint8_t error;
	uint32_t framing_caps;
	uint32_t bearer_caps;
	uint16_t max_channels;
	uint16_t firmware_rev;
	char host_name[PPTP_STR_LEN + 1];
	char vendor[PPTP_STR_LEN + 1];
};

struct pptp_stopccrq {
	uint8_t reason;
};

struct pptp_stopccrp {
	uint8_t result;
	uint8_t error;
};

struct pptp_echorq {
	uint32_t id;
};

struct pptp_echorp {
	uint32_t id;
	uint8_t result;
	uint8_t error;
};

struct pptp_ocrq {
	uint16_t call_id;
	uint16_t call_serial;
	uint32_t min_bps;
	uint32_t max_bps;
	uint32_t bearer_type;
	uint32_t framing_type;
	uint16_t recv_window;
	uint16_t proc_delay;
	uint16_t phone_len;
	char phone[PPTP_STR_LEN + 1];
	char subaddress[PPTP_STR_LEN + 1];
};

struct pptp_ocrp {
	uint16_t call_id;
	uint16_t peer_call_id;
	uint8_t result;
	uint8_t error;
	uint16_t cause;
	uint32_t connect_speed;
	uint16_t recv_window;
	uint16_t proc_delay;
	uint32_t phys_channel_id;
};

struct pptp_icrq {
	uint16_t call_id;
	uint16_t call_serial;
	uint32_t bearer_type;
	uint32_t phys_channel_id;
	uint16_t dialed_len;
	uint16_t dialing_len;
	char dialed[PPTP_STR_LEN + 1];
	char dialing[PPTP_STR_LEN + 1];
	char subaddress[PPTP_STR_LEN + 1];
};

struct pptp_icrp {
	uint16_t call_id;
	uint16_t peer_call_id;
	uint8_t result;
	uint8_t error;
	uint16_t recv_window;
	uint16_t transmit_delay;
};

struct pptp_iccn {
	uint16_t peer_call_id;
	uint32_t connect_speed;
	uint16_t recv_window;
	uint16_t transmit_delay;
	uint32_t framing_type;
};

struct pptp_ccrq {
	uint16_t call_id;
};

struct pptp_cdn {
	uint16_t call_id;
	uint8_t result;
	uint8_t error;
	uint16_t cause;
	char call_stats[PPTP_STATS_LEN + 1];
};

struct pptp_wen {
	uint16_t peer_call_id;
	uint32_t crc_errors;
	uint32_t framing_errors;
	uint32_t hw_overruns;
	uint32_t buf_overruns;
	uint32_t timeout_errors;
	uint32_t alignment_errors;
};

struct pptp_sli {
	uint16_t peer_call_id;
	uint32_t send_accm;
	uint32_t recv_accm;
};

struct pptp_msg {
	uint16_t type;     /* enum pptp_ctrl_type */
	uint16_t length;   /* bytes on the wire, header included */
	uint32_t warnings; /* PPTP_WARN_* (parse only) */
	union {
		struct pptp_sccrq sccrq;
		struct pptp_sccrp sccrp;
		struct pptp_stopccrq stopccrq;
		struct pptp_stopccrp stopccrp;
		struct pptp_echorq echorq;
		struct pptp_echorp echorp;
		struct pptp_ocrq ocrq;
		struct pptp_ocrp ocrp;
		struct pptp_icrq icrq;
		struct pptp_icrp icrp;
		struct pptp_iccn iccn;
		struct pptp_ccrq ccrq;
		struct pptp_cdn cdn;
		struct pptp_wen wen;
		struct pptp_sli sli;
	} u;
};

/* Fixed wire size of a control message type, header included; 0 if unknown. */
size_t pptp_ctrl_size(unsigned int type);

/* Short name of a control message type ("SCCRQ"); "unknown" if out of range. */
const char *pptp_ctrl_name(unsigned int type);

/*
 * Frame one control message at the start of a TCP byte stream.
 * Returns the message length when `len` bytes hold a whole message whose
 * header is valid, 0 when more bytes are needed, or a PROTO_E() error when
 * the header is bad (the connection carries garbage: close it).
 */
int pptp_ctrl_frame(const uint8_t *buf, size_t len);

/*
 * Parse the control message at the start of `buf`. Reads at most `len` bytes
 * and exactly `msg->length` on success. Returns PROTO_OK or a PROTO_E() error;
 * on error `msg` holds whatever was decoded before the fault.
 */
int pptp_ctrl_parse(const uint8_t *buf, size_t len, struct pptp_msg *msg);

/*
 * Build `msg` (its type and body; length and warnings are ignored) into
 * `buf`. Returns the number of bytes written, or PROTO_E(NOSPACE) or
 * PROTO_E(INVAL) (unknown type, or a code or length the parser would reject).
 * Strings longer than their field are truncated.
 */
int pptp_ctrl_build(const struct pptp_msg *msg, uint8_t *buf, size_t cap);

#endif /* DPPTP_PPTP_MSG_H */
