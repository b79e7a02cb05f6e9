/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Error codes shared by every wire codec.
 *
 * Each kind of bad input has its own code so that callers can count rejects
 * by reason and tests can assert the exact reason. Codes are negative; 0 is
 * success. The list is an X-macro so the enum, the name table and the
 * human-readable strings can never drift apart.
 */
#ifndef DPPTP_PROTO_ERR_H
#define DPPTP_PROTO_ERR_H

#define PROTO_ERR_LIST(X)                                                      \
	/* generic */                                                          \
	X(TRUNCATED, "buffer shorter than the structure it must hold")        \
	X(NOSPACE, "output buffer too small")                                  \
	X(INVAL, "invalid argument to a builder")                              \
	/* PPTP control messages (RFC 2637 section 2) */                       \
	X(PPTP_BAD_LENGTH, "PPTP length field differs from the message type's fixed size") \
	X(PPTP_BAD_MSG_TYPE, "PPTP message type is not 1 (control)")           \
	X(PPTP_BAD_MAGIC, "PPTP magic cookie is not 0x1A2B3C4D")               \
	X(PPTP_BAD_RESERVED0, "PPTP header Reserved0 is not zero")             \
	X(PPTP_UNKNOWN_CTRL_TYPE, "PPTP control message type not in 1..15")    \
	X(PPTP_BAD_RESULT_CODE, "PPTP result code out of range for the message") \
	X(PPTP_BAD_ERROR_CODE, "PPTP general error code out of range")         \
	X(PPTP_BAD_REASON, "PPTP Stop-Control-Connection reason out of range") \
	X(PPTP_BAD_NUMBER_LENGTH, "PPTP phone number length above 64")         \
	/* enhanced GRE (RFC 2637 section 4.1) */                              \
	X(GRE_BAD_VERSION, "GRE version is not 1")                             \
	X(GRE_CSUM_PRESENT, "GRE C (checksum present) bit set")                \
	X(GRE_ROUTING_PRESENT, "GRE R (routing present) bit set")              \
	X(GRE_KEY_ABSENT, "GRE K (key present) bit clear")                     \
	X(GRE_STRICT_ROUTE, "GRE s (strict source route) bit set")             \
	X(GRE_RECURSION, "GRE recursion control not zero")                     \
	X(GRE_FLAGS_SET, "GRE flags field not zero")                           \
	X(GRE_BAD_PROTOCOL, "GRE protocol type is not 0x880B (PPP)")           \
	X(GRE_PAYLOAD_OVERRUN, "GRE payload length beyond the bytes present")  \
	X(GRE_PAYLOAD_WITHOUT_SEQ, "GRE payload present without a sequence number") \
	X(GRE_EMPTY, "GRE packet with neither sequence nor acknowledgement")    \
	/* PPP frame (RFC 1661 section 2, RFC 1662) */                         \
	X(PPP_BAD_CONTROL, "PPP address 0xFF not followed by control 0x03")    \
	X(PPP_BAD_PROTOCOL, "PPP protocol field malformed (RFC 1661 section 2)") \
	/* LCP/NCP packets (RFC 1661 section 5) */                             \
	X(CP_BAD_LENGTH, "control packet length field below 4")                \
	X(CP_LENGTH_OVERRUN, "control packet length beyond the bytes present") \
	X(CP_UNKNOWN_CODE, "control packet code not valid for this protocol")  \
	X(CP_SHORT_BODY, "control packet body too short for its code")         \
	X(OPT_BAD_LENGTH, "option length below 2")                             \
	X(OPT_OVERRUN, "option extends past the end of the packet")            \
	X(OPT_WRONG_SIZE, "option length wrong for its type")                  \
	/* PAP (RFC 1334) and CHAP (RFC 1994, RFC 2759) */                     \
	X(AUTH_UNKNOWN_CODE, "PAP/CHAP code out of range")                     \
	X(AUTH_FIELD_OVERRUN, "PAP/CHAP length-prefixed field past the end")   \
	X(CHAP_BAD_VALUE_SIZE, "CHAP value size wrong for the algorithm")      \
	X(MSCHAPV2_RESERVED, "MS-CHAPv2 response reserved bytes or flags not zero") \
	X(MSCHAPV2_BAD_MESSAGE, "MS-CHAPv2 success/failure message malformed")

#define PROTO_ERR_ENUM_(name, text) PROTO_ERR_##name,
enum proto_err_index { PROTO_ERR_NONE_ = 0, PROTO_ERR_LIST(PROTO_ERR_ENUM_) PROTO_ERR_COUNT_ };
#undef PROTO_ERR_ENUM_

/* Error values: the negated index, so 0 is success and every error is < 0. */
#define PROTO_OK 0
#define PROTO_E(name) (-(int)PROTO_ERR_##name)

/* Number of distinct error codes (for per-reason counter arrays). */
#define PROTO_ERR_MAX ((int)PROTO_ERR_COUNT_)

/* Human-readable text for an error value; never NULL. */
const char *proto_strerror(int err);

/* Stable identifier for an error value, e.g. "GRE_BAD_VERSION"; never NULL. */
const char *proto_errname(int err);

#endif /* DPPTP_PROTO_ERR_H */
