/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a PPP session is configured with. One configuration is usually
 * shared by every session of the daemon; each session keeps a copy, and
 * the objects it points to (backend, pool) must outlive the sessions.
 */
#ifndef DPPTP_PPP_CONFIG_H
#define DPPTP_PPP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth_backend.h"
#include "ip_pool.h"
#include "ppp_types.h"

/* PPTP's GRE over a 1500-byte path leaves room for 1436 bytes of PPP. */
#define PPP_PPTP_MAX_MRU 1436
#define PPP_MIN_MRU 128
#define PPP_DEFAULT_MRU 1500 /* RFC 1661 6.1: what a peer assumes without the option */

/* MPPE (RFC 3078) through CCP: see ccp_mppe.h and docs/ppp.md. */
enum ppp_mppe_policy {
	PPP_MPPE_OFF,     /* reject CCP option 18: no encryption */
	PPP_MPPE_ALLOW,   /* offer MPPE; a peer that will not encrypt runs in the clear */
	PPP_MPPE_REQUIRE, /* a peer that will not encrypt is disconnected */
};

/* Key lengths, as bits of ppp_mppe_config.bits (the daemon's DPPTPD_MPPE_* values). */
#define PPP_MPPE_40 (1u << 0)
#define PPP_MPPE_56 (1u << 1)
#define PPP_MPPE_128 (1u << 2)
#define PPP_MPPE_ALL_BITS (PPP_MPPE_40 | PPP_MPPE_56 | PPP_MPPE_128)

struct ppp_mppe_config {
	enum ppp_mppe_policy policy; /* OFF */
	unsigned bits;               /* key lengths allowed: PPP_MPPE_128 */
	/*
	 * true: stateless (historyless) mode only, what Windows uses. false:
	 * we still ask for stateless, but follow a peer that Naks our request
	 * toward stateful (RFC 3078 2.1's H bit clear).
	 */
	bool stateless;
};

struct ppp_config {
	/* ---- LCP ---- */
	uint16_t mru;       /* what we ask the peer to send us at most: 1400 */
	uint16_t mtu;       /* the most we send, whatever the peer's MRU: 1400 */
	bool request_pfc;   /* ask the peer to compress the protocol field: true */
	bool request_acfc;  /* ask the peer to drop FF 03: true */
	bool request_magic; /* Magic-Number (loopback detection, echo): true */

	/* ---- the automaton (RFC 1661 4.6), for LCP, IPCP and CCP ---- */
	uint32_t restart_ms;    /* 3000 */
	uint32_t max_configure; /* 10 */
	uint32_t max_terminate; /* 2 */
	uint32_t max_failure;   /* 5 */
	uint32_t max_loopback;  /* magic-number collisions before LOOPBACK: 10 */

	/* ---- keepalive: LCP echo, skipped while the peer's traffic flows ---- */
	uint32_t echo_interval_ms; /* 30000; 0 disables */
	uint32_t echo_failures;    /* unanswered echoes before KEEPALIVE_TIMEOUT: 4 */

	/* ---- session set-up ---- */
	uint32_t setup_timeout_ms; /* from start to IPCP Opened: 60000; 0 disables */

	/* ---- authentication (server side) ---- */
	unsigned auth_methods;          /* PPP_AUTH_* bits; 0 = none. MS-CHAPv2 */
	const char *auth_name;          /* our name in CHAP Challenges: "pptpd" */
	struct ppp_auth_backend *auth_backend;
	uint32_t auth_restart_ms;       /* Challenge retransmission: 3000 */
	uint32_t auth_max_challenges;   /* Challenges sent for one attempt: 10 */
	uint32_t auth_timeout_ms;       /* PAP request or backend answer: 30000 */
	uint32_t auth_max_attempts;     /* credentials tried before giving up: 3 */

	/* ---- IPCP (addresses in host byte order; 0 = not configured) ---- */
	uint32_t local_ip; /* our address, sent in our Configure-Request */
	uint32_t dns[2];   /* options 129, 131 */
	uint32_t nbns[2];  /* options 130, 132 */
	struct ip_pool *pool;

	/* ---- CCP: MPPE (needs MS-CHAPv2's keys) ---- */
	struct ppp_mppe_config mppe;
};

/* The defaults above. */
void ppp_config_default(struct ppp_config *c);

/* 0, or -1 with a message naming the bad field. */
int ppp_config_validate(const struct ppp_config *c, char *err, size_t err_len);

#endif /* DPPTP_PPP_CONFIG_H */
