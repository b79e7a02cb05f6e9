/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packets of PPP's control protocols that share LCP's format (RFC 1661
 * section 5): LCP, IPCP (RFC 1332), CCP (RFC 1962) and IPV6CP (RFC 5072).
 *
 *   Code (1) | Identifier (1) | Length (2) | Data (Length - 4)
 *
 * Configure-Request/Ack/Nak/Reject carry options as type-length-value with
 * the length counting the type and length octets (so it is at least 2).
 * Bytes after `Length` are padding and are ignored (RFC 1661 5).
 */
#ifndef DPPTP_PPP_CP_H
#define DPPTP_PPP_CP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PPP_CP_HDR_LEN 4

enum ppp_cp_code {
	PPP_CONF_REQ = 1,
	PPP_CONF_ACK = 2,
	PPP_CONF_NAK = 3,
	PPP_CONF_REJ = 4,
	PPP_TERM_REQ = 5,
	PPP_TERM_ACK = 6,
	PPP_CODE_REJ = 7,
	PPP_PROTO_REJ = 8,       /* LCP only from here to 13 */
	PPP_ECHO_REQ = 9,
	PPP_ECHO_REP = 10,
	PPP_DISCARD_REQ = 11,
	PPP_IDENTIFICATION = 12, /* RFC 1570 */
	PPP_TIME_REMAINING = 13, /* RFC 1570 */
	PPP_RESET_REQ = 14,      /* CCP only (RFC 1962) */
	PPP_RESET_ACK = 15,
};

/* LCP option types (RFC 1661 6, RFC 1570, RFC 1990). */
enum lcp_opt {
	LCP_OPT_MRU = 1,
	LCP_OPT_ACCM = 2,
	LCP_OPT_AUTH = 3,
	LCP_OPT_QUALITY = 4,
	LCP_OPT_MAGIC = 5,
	LCP_OPT_PFC = 7,
	LCP_OPT_ACFC = 8,
	LCP_OPT_CALLBACK = 13,
	LCP_OPT_MRRU = 17,
	LCP_OPT_SSNHF = 18,
	LCP_OPT_ENDPOINT = 19,
};

/* IPCP option types (RFC 1332, RFC 1877). */
enum ipcp_opt {
	IPCP_OPT_ADDRESSES = 1,
	IPCP_OPT_COMPRESSION = 2,
	IPCP_OPT_ADDRESS = 3,
	IPCP_OPT_DNS1 = 129,
	IPCP_OPT_NBNS1 = 130,
	IPCP_OPT_DNS2 = 131,
	IPCP_OPT_NBNS2 = 132,
};

/* CCP option types we name (RFC 1962, RFC 3078). */
enum ccp_opt {
	CCP_OPT_MPPE = 18, /* MPPE/MPPC supported bits */
};

/* IPV6CP option types (RFC 5072). */
enum ipv6cp_opt {
	IPV6CP_OPT_IFACE_ID = 1,
	IPV6CP_OPT_COMPRESSION = 2,
};

struct ppp_cp_pkt {
	uint16_t protocol; /* the PPP protocol it arrived on */
	uint8_t code;
	uint8_t id;
	uint16_t length;     /* the Length field: header + data */
	const uint8_t *data; /* Length - 4 bytes after the header */
	uint16_t data_len;
	/* Decoded by code: */
	uint32_t magic;          /* Echo, Discard, Identification, Time-Remaining */
	uint16_t rejected_proto; /* Protocol-Reject */
	uint32_t seconds;        /* Time-Remaining */
	const uint8_t *rest;     /* what follows the decoded fields */
	uint16_t rest_len;
};

/*
 * Parse a control packet of `protocol` (PPP_LCP, PPP_IPCP, PPP_CCP or
 * PPP_IPV6CP) from the information field of a PPP frame. Checks the length,
 * the code for that protocol, the minimum body of the code, and, for
 * Configure-*, walks every option. On PROTO_E(CP_UNKNOWN_CODE) the header
 * fields and `data` are valid, so the caller can answer with Code-Reject.
 */
int ppp_cp_parse(uint16_t protocol, const uint8_t *buf, size_t len, struct ppp_cp_pkt *pkt);

/* Whether `code` exists for `protocol`. */
bool ppp_cp_code_valid(uint16_t protocol, uint8_t code);

/* The name of a code ("Configure-Request"); "unknown" when out of range. */
const char *ppp_cp_code_name(uint8_t code);

/* ---- options ---- */

struct ppp_opt {
	uint8_t type;
	uint8_t len;        /* the Length octet: 2 + val_len */
	const uint8_t *val; /* len - 2 bytes */
	uint8_t val_len;
	const uint8_t *raw; /* the whole option, type octet first */
};

struct ppp_opt_iter {
	const uint8_t *p;
	size_t left;
};

static inline void ppp_opt_iter_init(struct ppp_opt_iter *it, const uint8_t *data, size_t len)
{
	it->p = data;
	it->left = len;
}

/*
 * Next option: 1 with `opt` filled, 0 at the end, or PROTO_E(OPT_BAD_LENGTH)
 * (length 0 or 1), PROTO_E(OPT_OVERRUN) (past the end) or PROTO_E(TRUNCATED)
 * (a lone type octet at the end). An error is sticky.
 */
int ppp_opt_next(struct ppp_opt_iter *it, struct ppp_opt *opt);

/* Check every option of a Configure-* data field; PROTO_OK or the first error. */
int ppp_opts_validate(const uint8_t *data, size_t len);

/*
 * Whether the option's length is right for its type, for the types whose
 * size is fixed or bounded: PROTO_OK, or PROTO_E(OPT_WRONG_SIZE). Unknown
 * types are PROTO_OK (the engine rejects them; their size is not ours to judge).
 */
int ppp_opt_check_size(uint16_t protocol, const struct ppp_opt *opt);

/* ---- building ---- */

/*
 * A packet writer with a sticky error: start, append options or bytes, then
 * finish, which fills in the Length field and returns the total length or
 * the first error (PROTO_E(NOSPACE), PROTO_E(INVAL)).
 */
struct ppp_cp_writer {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int err;
};

void ppp_cp_writer_init(struct ppp_cp_writer *w, uint8_t *buf, size_t cap, uint8_t code,
			uint8_t id);
void ppp_cp_put_opt(struct ppp_cp_writer *w, uint8_t type, const void *val, size_t val_len);
void ppp_cp_put_opt_u16(struct ppp_cp_writer *w, uint8_t type, uint16_t v);
void ppp_cp_put_opt_u32(struct ppp_cp_writer *w, uint8_t type, uint32_t v);
void ppp_cp_put_bytes(struct ppp_cp_writer *w, const void *data, size_t len);
void ppp_cp_put_u16(struct ppp_cp_writer *w, uint16_t v);
void ppp_cp_put_u32(struct ppp_cp_writer *w, uint32_t v);
int ppp_cp_writer_finish(struct ppp_cp_writer *w);

#endif /* DPPTP_PPP_CP_H */
