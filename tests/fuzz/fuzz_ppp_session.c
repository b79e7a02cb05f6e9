/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One PPP session (lib/ppp/ppp_session.h), server side, driven by a sequence
 * of operations read from the input on a fake clock, with deterministic
 * randomness. The peer is partly the input's raw bytes and partly a helper
 * that answers what the engine last sent (acks its Configure-Request, adopts
 * its Nak, computes a right or wrong CHAP-MD5 / MS-CHAPv2 / PAP answer), so
 * that short inputs reach every phase. Credentials come from a chap-secrets
 * table through the secrets backend, wrapped so that it may also answer
 * late (as RADIUS would). The hooks abort() when the engine breaks a
 * promise:
 *
 *  - every frame sent parses as a PPP frame of a protocol we speak (LCP
 *    always with FF 03 and a 2-byte protocol); LCP, IPCP and CCP frames
 *    parse as control packets with no padding, and the options of our
 *    Configure-Request/-Ack/-Nak have the right sizes; PAP and CHAP frames
 *    parse and carry only a server's codes;
 *  - our LCP Configure-Request always asks for an allowed authentication
 *    method when authentication is configured; IPCP/CCP go out only in the
 *    Network phase and a Challenge only in the Authenticate phase; Success
 *    or Authenticate-Ack only right after the backend accepted;
 *  - the backend is asked about the challenge we sent, never twice at once,
 *    with a sane request, and a pending check is cancelled when the session
 *    ends or is freed;
 *  - network_up / network_down alternate, network_up only after the backend
 *    accepted (when authentication is on) and with an address held in the
 *    pool that the user may have; CCP's hook up/down alternate likewise;
 *  - down runs at most once, last: nothing is sent and no hook runs after
 *    it; the network and CCP are down by then; the owner may free the
 *    session inside it; ppp_session_free() calls no hook;
 *  - after a tick no timer is left due; after the session is freed the pool
 *    holds no address of it.
 *
 * Input: 2 set-up bytes (CFG0_*, CFG1_*), then operations until the input
 * ends; each operation's first byte: low 4 bits the operation (enum op), its
 * arguments follow.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ppp/chap_md5.h"
#include "ppp/mschapv2_crypto.h"
#include "ppp/ppp_session.h"
#include "ppp/secrets.h"
#include "ppp/secrets_backend.h"
#include "proto/ppp_auth.h"
#include "proto/ppp_cp.h"
#include "proto/ppp_frame.h"
#include "proto/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* -DFUZZ_TRACE: what happens, on stderr (for reading a crash's input). */
#ifdef FUZZ_TRACE
#define TRACE(...) fprintf(stderr, __VA_ARGS__)
#else
#define TRACE(...) ((void)0)
#endif

#define NOW_START 1000000u
#define FRAME_MAX 1600
#define OPTS_MAX 256
#define CHAL_LEN 16

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
#define LOCAL_IP IP(100, 64, 0, 1)
#define STATIC_IP IP(100, 64, 0, 3)   /* "static": inside the pool */
#define OUTSIDE_IP IP(10, 9, 9, 9)    /* "outside": outside every range */
#define LISTED_NET IP(100, 64, 1, 0)  /* "listed" may ask for 100.64.1.0/24 */
#define LISTED_ONE IP(100, 64, 2, 7)  /* ... or this one */

/* Set-up byte 0. */
#define CFG0_AUTH 0x07          /* enum: see auth_choices[] */
#define CFG0_ASYNC 0x08         /* the backend answers later (OP_BACKEND) */
#define CFG0_CCP_HOOK 0x10      /* an MPPE-like CCP hook */
#define CFG0_CCP_REQUIRED 0x20  /* ... that is required */
#define CFG0_FREE_IN_DOWN 0x40  /* the down hook frees the session */
#define CFG0_START_LATER 0x80   /* no ppp_session_start until OP_START */
/* Set-up byte 1. */
#define CFG1_POOL_FULL 0x01     /* every pool address taken beforehand */
#define CFG1_STATICS_TAKEN 0x02 /* the static users' addresses taken beforehand */
#define CFG1_ECHO 0x0C          /* 0, 3: default; 4: off; 8: 5 s, one failure */
#define CFG1_MINIMAL 0x10       /* no Magic-Number, PFC, ACFC, local address */
#define CFG1_SMALL_COUNTS 0x20  /* every counter 1 or 2 */
#define CFG1_NO_SERVERS 0x40    /* no DNS, no NBNS */
#define CFG1_SMALL_MRU 0x80     /* MRU = MTU = 128, no set-up timeout */

static const unsigned int auth_choices[8] = {
	PPP_AUTH_MSCHAPV2, PPP_AUTH_CHAP_MD5, PPP_AUTH_PAP, 0, PPP_AUTH_ALL,
	PPP_AUTH_PAP | PPP_AUTH_CHAP_MD5, PPP_AUTH_MSCHAPV2 | PPP_AUTH_CHAP_MD5,
	PPP_AUTH_MSCHAPV2 | PPP_AUTH_PAP,
};

static const char secrets_text[] =
	"# client  server  secret           addresses\n"
	"lab       pptpd   lab-secret       *\n"
	"static    pptpd   static-secret    100.64.0.3\n"
	"listed    pptpd   listed-secret    100.64.1.0/24 100.64.2.7\n"
	"nobody    pptpd   nobody-secret    -\n"
	"outside   *       outside-secret   10.9.9.9\n";

/* Who the helper peer claims to be (OP_AUTH). */
static const struct {
	const char *user;
	const char *secret;
} users[8] = {
	{ "lab", "lab-secret" },
	{ "static", "static-secret" },
	{ "listed", "listed-secret" },
	{ "nobody", "nobody-secret" },
	{ "outside", "outside-secret" },
	{ "DOMAIN\\lab", "lab-secret" },
	{ "ghost", "ghost-secret" }, /* not in the table */
	{ "lab", "" },
};

enum op {
	OP_FRAME,         /* n, n bytes: ppp_session_input as is */
	OP_FRAME_LONG,    /* n (2), n bytes */
	OP_CP,            /* sel, code, id, n, n bytes of data: a control packet */
	OP_REPLY,         /* sel, kind [, ...]: answer what the engine last sent */
	OP_LCP_EXTRA,     /* kind, arg: echo, discard, rejects, identification */
	OP_AUTH,          /* user, flags: the peer's PAP / CHAP-MD5 / MS-CHAPv2 answer */
	OP_TICK,          /* k: the clock moves k * 250 ms, then ppp_session_tick */
	OP_TICK_DEADLINE, /* the clock moves to the next deadline, then tick */
	OP_NOTE_RX,       /* k: the data plane saw k more packets */
	OP_CLOSE,         /* reason */
	OP_LOWER_DOWN,    /* reason */
	OP_BACKEND,       /* how: the late backend answers (as is, error, reject) */
	OP_START,
	OP_RAND_FAIL,     /* the random source fails from now on, or works again */
	OP_REOPEN,        /* ppp_session_free, then a new session */
	OP_PROTO,         /* sel, n, n bytes: a frame of another protocol */
};

/* What the engine last sent on a control protocol. */
struct cp_seen {
	uint8_t req_id;
	uint8_t req_opts[OPTS_MAX];
	size_t req_len;
	uint8_t nak_opts[OPTS_MAX];
	size_t nak_len;
	uint8_t term_id;
	uint8_t peer_id; /* the helper peer's last Identifier */
};

struct fz_backend {
	struct ppp_auth_backend base;
	struct secrets_backend inner;
	bool async;
	bool fail_start;
	bool pending;
	ppp_auth_done_fn done;
	void *cookie;
	struct ppp_auth_result answer;
	/* the request being answered */
	enum ppp_auth_method method;
	char user[PPP_MAX_NAME_LEN + 1];
};

static struct {
	uint8_t cfg0, cfg1;
	struct ppp_config cfg;
	struct ppp_hooks hooks;
	struct ppp_session *s;
	struct ip_pool *pool;
	struct ppp_secrets *secrets;
	struct fz_backend be;
	struct ppp_ccp_hook ccp_hook;
	uint64_t now;
	uint64_t rx_total;
	uint32_t rand_state;
	bool rand_fail;

	/* pool addresses the harness itself holds */
	uint32_t held[8];
	unsigned int nheld;

	/* the session's life, as the hooks saw it */
	bool started;
	bool freeing;
	uint64_t sent; /* frames through the send hook */
	bool down;
	enum ppp_reason down_reason;
	bool net_up;
	bool ccp_up;
	uint32_t ccp_offer; /* what our CCP hook asks for; 0: nothing */
	/* the backend's last answer, as the engine got it */
	bool accepted;
	enum ppp_auth_method acc_method;
	char acc_user[PPP_MAX_NAME_LEN + 1];

	/* what the engine sent, for the helper peer */
	struct cp_seen lcp, ipcp, ccp;
	unsigned int lcp_auth; /* method in our last LCP Configure-Request */
	uint32_t our_magic;
	uint8_t echo_id;
	bool chal_valid;
	uint8_t chal_id;
	uint8_t chal[CHAL_LEN];
	uint8_t pap_id;
	uint32_t peer_magic; /* from the peer's last LCP Configure-Request */
} fz;

/* ---- reading the input ---- */

struct in {
	const uint8_t *p;
	size_t n;
};

static uint8_t in_u8(struct in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

/* Up to `want` bytes of the input; how many in *len. */
static const uint8_t *in_bytes(struct in *in, size_t want, size_t *len)
{
	const uint8_t *p = in->p;

	if (want > in->n)
		want = in->n;
	in->p += want;
	in->n -= want;
	*len = want;
	return p;
}

/* ---- checking what the engine sends ---- */

static struct cp_seen *seen_for(uint16_t protocol)
{
	switch (protocol) {
	case PPP_LCP:
		return &fz.lcp;
	case PPP_IPCP:
		return &fz.ipcp;
	case PPP_CCP:
		return &fz.ccp;
	default:
		abort();
	}
}

static void check_opts_size(uint16_t protocol, const struct ppp_cp_pkt *p)
{
	struct ppp_opt_iter it;
	struct ppp_opt o;
	int rc;

	ppp_opt_iter_init(&it, p->data, p->data_len);
	while ((rc = ppp_opt_next(&it, &o)) > 0)
		if (ppp_opt_check_size(protocol, &o) != PROTO_OK)
			abort();
	if (rc != 0)
		abort();
}

/* Our LCP Configure-Request: the method it asks for, and our magic. */
static void note_lcp_request(const struct ppp_cp_pkt *p)
{
	struct ppp_opt_iter it;
	struct ppp_opt o;
	unsigned int auth = 0;

	ppp_opt_iter_init(&it, p->data, p->data_len);
	while (ppp_opt_next(&it, &o) > 0) {
		if (o.type == LCP_OPT_MAGIC)
			fz.our_magic = wire_get_be32(o.val);
		if (o.type != LCP_OPT_AUTH)
			continue;
		if (wire_get_be16(o.val) == PPP_PAP)
			auth = PPP_AUTH_PAP;
		else if (o.val_len == 3 && o.val[2] == CHAP_ALG_MD5)
			auth = PPP_AUTH_CHAP_MD5;
		else if (o.val_len == 3 && o.val[2] == CHAP_ALG_MSCHAPV2)
			auth = PPP_AUTH_MSCHAPV2;
		else
			abort(); /* a method we never offer */
	}
	/* Authentication configured: never a link without it. */
	if (fz.cfg.auth_methods && !(auth & fz.cfg.auth_methods))
		abort();
	if (!fz.cfg.auth_methods && auth)
		abort();
	fz.lcp_auth = auth;
}

static void check_cp(uint16_t protocol, const uint8_t *info, size_t len)
{
	struct cp_seen *seen = seen_for(protocol);
	enum ppp_phase phase = ppp_session_phase(fz.s);
	struct ppp_cp_pkt p;
	struct ppp_opt_iter it;
	struct ppp_opt o;

	if (ppp_cp_parse(protocol, info, len, &p) != PROTO_OK || p.length != len)
		abort();
	if (protocol != PPP_LCP && phase != PPP_PHASE_NETWORK)
		abort(); /* NCPs only in the Network phase */
	switch (p.code) {
	case PPP_CONF_REQ:
		check_opts_size(protocol, &p);
		if (protocol == PPP_LCP)
			note_lcp_request(&p);
		seen->req_id = p.id;
		seen->req_len = p.data_len <= sizeof(seen->req_opts) ? p.data_len : 0;
		memcpy(seen->req_opts, p.data, seen->req_len);
		break;
	case PPP_CONF_ACK:
		check_opts_size(protocol, &p);
		if (protocol != PPP_IPCP)
			break;
		/* The address we ack is the one held for this session. */
		ppp_opt_iter_init(&it, p.data, p.data_len);
		while (ppp_opt_next(&it, &o) > 0) {
			uint32_t a = wire_get_be32(o.val);

			if (o.type == IPCP_OPT_ADDRESS &&
			    (a == 0 || a == LOCAL_IP || !ip_pool_in_use(fz.pool, a)))
				abort();
		}
		break;
	case PPP_CONF_NAK:
		check_opts_size(protocol, &p);
		seen->nak_len = p.data_len <= sizeof(seen->nak_opts) ? p.data_len : 0;
		memcpy(seen->nak_opts, p.data, seen->nak_len);
		break;
	case PPP_TERM_REQ:
		seen->term_id = p.id;
		break;
	case PPP_ECHO_REQ:
		fz.echo_id = p.id;
		break;
	default:
		break;
	}
}

static void check_auth(uint16_t protocol, const uint8_t *info, size_t len)
{
	enum ppp_phase phase = ppp_session_phase(fz.s);
	struct mschapv2_failure f;
	struct chap_pkt c;
	struct pap_pkt p;

	if (!fz.cfg.auth_methods)
		abort();
	if (protocol == PPP_PAP) {
		if (pap_parse(info, len, &p) != PROTO_OK || p.length != len)
			abort();
		if (p.code == PAP_AUTH_ACK && !fz.accepted)
			abort();
		if (p.code != PAP_AUTH_ACK && p.code != PAP_AUTH_NAK)
			abort();
		return;
	}
	if (chap_parse(info, len, &c) != PROTO_OK || c.length != len)
		abort();
	switch (c.code) {
	case CHAP_CHALLENGE:
		if (phase != PPP_PHASE_AUTHENTICATE || c.value_size != CHAL_LEN)
			abort();
		if (c.name_len != strlen(fz.cfg.auth_name) ||
		    memcmp(c.name, fz.cfg.auth_name, c.name_len) != 0)
			abort();
		fz.chal_valid = true;
		fz.chal_id = c.id;
		memcpy(fz.chal, c.value, CHAL_LEN);
		break;
	case CHAP_SUCCESS:
		if (!fz.accepted)
			abort();
		if (c.msg_len >= 2 && c.msg[0] == 'S' && c.msg[1] == '=') {
			uint8_t resp[MSCHAPV2_AUTH_RESPONSE_LEN];

			if (mschapv2_success_parse(c.msg, c.msg_len, resp) != PROTO_OK)
				abort();
		}
		break;
	case CHAP_FAILURE:
		if (c.msg_len >= 2 && c.msg[0] == 'E' && c.msg[1] == '=') {
			if (mschapv2_failure_parse(c.msg, c.msg_len, &f) != PROTO_OK ||
			    f.version != 3)
				abort();
			/* R=1: the peer answers C= with the next Identifier. */
			fz.chal_valid = true;
			fz.chal_id = (uint8_t)(c.id + 1);
			memcpy(fz.chal, f.challenge, CHAL_LEN);
		}
		break;
	default:
		abort(); /* a Response: the client's */
	}
}

static void h_send(void *owner, const uint8_t *frame, size_t len)
{
	struct ppp_frame hdr;

	if (owner != &fz || fz.down || fz.freeing || !fz.started || !fz.s)
		abort();
	if (len > 4 + 1500 || ppp_frame_parse(frame, len, &hdr) != PROTO_OK)
		abort();
	fz.sent++;
	TRACE("%8llu tx %s %u bytes, code %u\n", (unsigned long long)fz.now,
	      ppp_proto_name(hdr.protocol), (unsigned int)(len - hdr.hdr_len),
	      len > hdr.hdr_len ? frame[hdr.hdr_len] : 0);
	switch (hdr.protocol) {
	case PPP_LCP:
		/* RFC 1661 6.5, 6.6: LCP always uncompressed. */
		if (!hdr.has_acf || hdr.pfc)
			abort();
		/* fall through */
	case PPP_IPCP:
	case PPP_CCP:
		check_cp(hdr.protocol, frame + hdr.hdr_len, len - hdr.hdr_len);
		break;
	case PPP_PAP:
	case PPP_CHAP:
		check_auth(hdr.protocol, frame + hdr.hdr_len, len - hdr.hdr_len);
		break;
	default:
		abort(); /* nothing else is the engine's to send */
	}
}

/* ---- the pool and the session's addresses ---- */

static bool listed_may(uint32_t a)
{
	return (a & 0xFFFFFF00u) == LISTED_NET || a == LISTED_ONE;
}

static void check_net_params(const struct ppp_net_params *p)
{
	uint16_t mtu = p->peer_mru < fz.cfg.mtu ? p->peer_mru : fz.cfg.mtu;

	if (p->peer_ip == 0 || p->peer_ip == LOCAL_IP || p->peer_ip == UINT32_MAX ||
	    !ip_pool_in_use(fz.pool, p->peer_ip))
		abort();
	if (p->local_ip != fz.cfg.local_ip || memcmp(p->dns, fz.cfg.dns, sizeof(p->dns)) != 0 ||
	    memcmp(p->nbns, fz.cfg.nbns, sizeof(p->nbns)) != 0)
		abort();
	if (p->peer_mru < PPP_MIN_MRU || p->mtu != mtu || !p->user || !p->keys)
		abort();
	if (p->keys->valid && p->auth_method != PPP_AUTH_MSCHAPV2)
		abort();
	if (!fz.cfg.auth_methods) {
		if (p->auth_method != PPP_AUTH_NONE || p->user[0] != '\0')
			abort();
		return;
	}
	/* The network only after the backend said yes, for this user. */
	if (!fz.accepted || p->auth_method != fz.acc_method ||
	    !(p->auth_method & fz.cfg.auth_methods) || strcmp(p->user, fz.acc_user) != 0)
		abort();
	if (strcmp(p->user, "nobody") == 0)
		abort(); /* may have no address */
	if (strcmp(p->user, "static") == 0 && p->peer_ip != STATIC_IP)
		abort();
	if (strcmp(p->user, "outside") == 0 && p->peer_ip != OUTSIDE_IP)
		abort();
	if (!ip_pool_contains(fz.pool, p->peer_ip) && strcmp(p->user, "outside") != 0 &&
	    !(strcmp(p->user, "listed") == 0 && listed_may(p->peer_ip)))
		abort();
}

/* After a session is gone: the pool holds only what the harness holds. */
static void check_pool_clean(void)
{
	struct ip_pool_stats st;
	unsigned int inside = 0;

	for (unsigned int i = 0; i < fz.nheld; i++)
		inside += ip_pool_contains(fz.pool, fz.held[i]);
	ip_pool_get_stats(fz.pool, &st);
	if (st.free != st.size - inside || st.outside != fz.nheld - inside)
		abort();
}

/* ---- the other hooks ---- */

static void h_network_up(void *owner, const struct ppp_net_params *p)
{
	if (owner != &fz || fz.down || fz.freeing || fz.net_up)
		abort();
	if (ppp_session_phase(fz.s) != PPP_PHASE_NETWORK)
		abort();
	check_net_params(p);
	fz.net_up = true;
	TRACE("network up: %08x user '%s'\n", p->peer_ip, p->user);
}

static void h_network_down(void *owner)
{
	if (owner != &fz || fz.down || fz.freeing || !fz.net_up)
		abort();
	fz.net_up = false;
	TRACE("network down\n");
}

static void h_down(void *owner, enum ppp_reason reason)
{
	if (owner != &fz || fz.down || fz.freeing || !fz.s)
		abort();
	fz.down = true;
	fz.down_reason = reason;
	TRACE("down: %s\n", ppp_reason_name(reason));
	if (reason <= PPP_REASON_NONE || reason >= PPP_REASON_COUNT_)
		abort();
	/* Everything is taken down before. */
	if (fz.net_up || fz.ccp_up || fz.be.pending)
		abort();
	if (ppp_session_phase(fz.s) != PPP_PHASE_DEAD || ppp_session_reason(fz.s) != reason ||
	    !ppp_session_finished(fz.s))
		abort();
	if (fz.cfg0 & CFG0_FREE_IN_DOWN) {
		/* Allowed: down is the last thing the engine does. */
		fz.freeing = true;
		ppp_session_free(fz.s);
		fz.freeing = false;
		fz.s = NULL;
		if (fz.be.pending)
			abort();
		check_pool_clean();
	}
}

static void __attribute__((format(printf, 3, 4)))
h_log(void *owner, enum ppp_log_level level, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (owner != &fz || level < PPP_LOG_ERR || level > PPP_LOG_DEBUG)
		abort();
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
}

/* A fixed stream (no long runs of zeros), or a failing source. */
static int h_random(void *owner, void *buf, size_t len)
{
	uint8_t *p = buf;

	if (owner != &fz || fz.down || fz.freeing)
		abort();
	if (fz.rand_fail)
		return -1;
	for (size_t i = 0; i < len; i++) {
		fz.rand_state = fz.rand_state * 1103515245u + 12345u;
		p[i] = (uint8_t)(fz.rand_state >> 16);
	}
	return 0;
}

/* ---- the credential backend: the secrets table, answering now or later ---- */

static void capture_done(void *cookie, uint64_t now, const struct ppp_auth_result *r)
{
	(void)now;
	*(struct ppp_auth_result *)cookie = *r;
}

static void backend_answer(void)
{
	struct fz_backend *b = &fz.be;

	fz.accepted = b->answer.status == PPP_AUTH_ACCEPT;
	TRACE("backend: '%s' %s\n", b->user, fz.accepted ? "accepted" : "refused");
	if (fz.accepted) {
		fz.acc_method = b->method;
		memcpy(fz.acc_user, b->user, sizeof(fz.acc_user));
	}
	b->done(b->cookie, fz.now, &b->answer);
}

static int be_verify(struct ppp_auth_backend *be, const struct ppp_auth_request *req,
		     ppp_auth_done_fn done, void *cookie, uint64_t now_ms)
{
	struct fz_backend *b = (struct fz_backend *)be;

	/* One check at a time, for a method we allow, well formed. */
	if (b != &fz.be || b->pending || !done || !cookie || req->owner != &fz || fz.down ||
	    fz.freeing)
		abort();
	if (!req->user || req->user_len > PPP_MAX_NAME_LEN || strlen(req->user) != req->user_len)
		abort();
	if (!(req->method & fz.cfg.auth_methods) || (req->method & (req->method - 1)))
		abort();
	if (ppp_session_phase(fz.s) != PPP_PHASE_AUTHENTICATE)
		abort();
	switch (req->method) {
	case PPP_AUTH_PAP:
		if (!req->pap.password && req->pap.password_len)
			abort();
		break;
	case PPP_AUTH_CHAP_MD5:
		/* About the challenge we sent, with its Identifier. */
		if (!fz.chal_valid || req->chap_md5.id != fz.chal_id ||
		    req->chap_md5.challenge_len != CHAL_LEN ||
		    memcmp(req->chap_md5.challenge, fz.chal, CHAL_LEN) != 0 ||
		    !req->chap_md5.response)
			abort();
		break;
	case PPP_AUTH_MSCHAPV2:
		if (!fz.chal_valid || !req->mschapv2.peer_challenge || !req->mschapv2.nt_response ||
		    memcmp(req->mschapv2.auth_challenge, fz.chal, CHAL_LEN) != 0)
			abort();
		break;
	default:
		abort();
	}
	fz.accepted = false; /* until this check says otherwise */
	if (b->fail_start)
		return -1;
	memset(&b->answer, 0xA5, sizeof(b->answer));
	if (b->inner.base.verify(&b->inner.base, req, capture_done, &b->answer, now_ms) != 0)
		abort();
	b->done = done;
	b->cookie = cookie;
	b->method = req->method;
	memcpy(b->user, req->user, req->user_len + 1);
	if (b->async)
		b->pending = true;
	else
		backend_answer();
	return 0;
}

static void be_cancel(struct ppp_auth_backend *be, void *cookie)
{
	struct fz_backend *b = (struct fz_backend *)be;

	/* Cancelling a check that already ended is harmless; another one is not. */
	if (b->pending && cookie != b->cookie)
		abort();
	b->pending = false;
}

static void op_backend(uint8_t how)
{
	struct fz_backend *b = &fz.be;

	if (how & 0x80) {
		b->fail_start = !b->fail_start;
		return;
	}
	if (!b->pending)
		return;
	b->pending = false;
	if (how % 3 == 1) {
		memset(&b->answer, 0, sizeof(b->answer));
		b->answer.status = PPP_AUTH_ERROR;
	} else if (how % 3 == 2) {
		memset(&b->answer, 0, sizeof(b->answer));
		b->answer.status = PPP_AUTH_REJECT;
		b->answer.mschap_error = how >> 2;
		snprintf(b->answer.message, sizeof(b->answer.message), "no\x01 way");
	}
	backend_answer();
}

/* ---- the CCP hook: MPPE-like option 18 ---- */

#define MPPE_WANT 0x01000040u /* stateless, 128-bit */

static void ccp_reset(void *ctx)
{
	(void)ctx;
	fz.ccp_offer = MPPE_WANT;
}

static void ccp_add_opts(void *ctx, struct ppp_cp_writer *w)
{
	(void)ctx;
	if (fz.ccp_offer)
		ppp_cp_put_opt_u32(w, CCP_OPT_MPPE, fz.ccp_offer);
}

static enum ppp_opt_verdict ccp_req_opt(void *ctx, const struct ppp_opt *o,
					struct ppp_cp_writer *nak)
{
	(void)ctx;
	if (o->type != CCP_OPT_MPPE || o->val_len != 4)
		return PPP_OPT_REJ;
	if (wire_get_be32(o->val) == MPPE_WANT)
		return PPP_OPT_ACK;
	ppp_cp_put_opt_u32(nak, CCP_OPT_MPPE, MPPE_WANT);
	return PPP_OPT_NAK;
}

static int ccp_got_nak(void *ctx, const uint8_t *opts, size_t len)
{
	struct ppp_opt_iter it;
	struct ppp_opt o;
	int rc;

	(void)ctx;
	ppp_opt_iter_init(&it, opts, len);
	while ((rc = ppp_opt_next(&it, &o)) > 0)
		if (o.type == CCP_OPT_MPPE && o.val_len == 4 && wire_get_be32(o.val))
			fz.ccp_offer = wire_get_be32(o.val) & 0x010000E0u;
	return rc < 0 ? -1 : 0;
}

static int ccp_got_rej(void *ctx, const uint8_t *opts, size_t len)
{
	(void)ctx, (void)opts, (void)len;
	fz.ccp_offer = 0;
	return 0;
}

static void ccp_up(void *ctx, const struct ppp_auth_keys *keys)
{
	(void)ctx;
	if (fz.ccp_up || !keys || fz.down || fz.freeing ||
	    ppp_session_phase(fz.s) != PPP_PHASE_NETWORK)
		abort();
	fz.ccp_up = true;
}

static void ccp_down(void *ctx)
{
	(void)ctx;
	if (!fz.ccp_up || fz.down || fz.freeing)
		abort();
	fz.ccp_up = false;
}

static void ccp_reset_request(void *ctx, uint8_t id, const uint8_t *data, size_t len)
{
	(void)ctx, (void)id;
	if (!fz.ccp_up || (len && !data))
		abort();
}

/* ---- the helper peer ---- */

/* The peer's LCP Configure-Request: remember its Magic-Number. */
static void note_peer_frame(const uint8_t *frame, size_t len)
{
	struct ppp_frame hdr;
	struct ppp_cp_pkt p;
	struct ppp_opt_iter it;
	struct ppp_opt o;

	if (ppp_frame_parse(frame, len, &hdr) != PROTO_OK || hdr.protocol != PPP_LCP ||
	    ppp_cp_parse(PPP_LCP, frame + hdr.hdr_len, len - hdr.hdr_len, &p) != PROTO_OK ||
	    p.code != PPP_CONF_REQ)
		return;
	ppp_opt_iter_init(&it, p.data, p.data_len);
	while (ppp_opt_next(&it, &o) > 0)
		if (o.type == LCP_OPT_MAGIC && o.val_len == 4)
			fz.peer_magic = wire_get_be32(o.val);
}

static void deliver(const uint8_t *frame, size_t len)
{
	if (!fz.s)
		return;
	TRACE("%8llu rx %zu bytes: %02x %02x %02x %02x %02x\n", (unsigned long long)fz.now, len,
	      len > 0 ? frame[0] : 0, len > 1 ? frame[1] : 0, len > 2 ? frame[2] : 0,
	      len > 3 ? frame[3] : 0, len > 4 ? frame[4] : 0);
	note_peer_frame(frame, len);
	ppp_session_input(fz.s, fz.now, frame, len);
}

/* A frame of `protocol`: form 0 FF 03 + 2 bytes, 1 without FF 03, 2 with a
 * 1-byte protocol where it fits, 3 with padding after the packet. */
static void send_proto(uint16_t protocol, const uint8_t *pkt, size_t len, unsigned int form)
{
	uint8_t frame[FRAME_MAX + 8];
	size_t hdr;

	if (len > FRAME_MAX)
		len = FRAME_MAX;
	hdr = ppp_frame_write(frame, protocol, form == 1, form == 2);
	if (protocol == PPP_LCP && form == 1) { /* the write helper never compresses LCP */
		wire_put_be16(frame, protocol);
		hdr = 2;
	}
	memcpy(frame + hdr, pkt, len);
	if (form == 3) {
		memset(frame + hdr + len, 0x5A, 3);
		len += 3;
	}
	deliver(frame, hdr + len);
}

static void send_cp(uint16_t protocol, uint8_t code, uint8_t id, const void *data, size_t len,
		    unsigned int form)
{
	uint8_t pkt[FRAME_MAX];
	struct ppp_cp_writer w;
	int n;

	ppp_cp_writer_init(&w, pkt, sizeof(pkt), code, id);
	ppp_cp_put_bytes(&w, data, len);
	n = ppp_cp_writer_finish(&w);
	if (n > 0)
		send_proto(protocol, pkt, (size_t)n, form);
}

static const uint16_t cp_protos[4] = { PPP_LCP, PPP_IPCP, PPP_CCP, PPP_IPV6CP };

static void op_cp(struct in *in)
{
	uint8_t sel = in_u8(in), code = in_u8(in), id = in_u8(in);
	size_t len;
	const uint8_t *data = in_bytes(in, in_u8(in), &len);

	send_cp(cp_protos[sel & 3], code, id, data, len, (sel >> 2) & 3);
}

/* The options of `opts` but the `skip`-th. */
static size_t opts_without(const uint8_t *opts, size_t len, unsigned int skip, uint8_t *out)
{
	struct ppp_opt_iter it;
	struct ppp_opt o;
	size_t n = 0;
	unsigned int i = 0;

	ppp_opt_iter_init(&it, opts, len);
	while (ppp_opt_next(&it, &o) > 0)
		if (i++ != skip) {
			memcpy(out + n, o.raw, o.len);
			n += o.len;
		}
	return n;
}

/* The `k`-th option of `opts` alone. */
static size_t opt_only(const uint8_t *opts, size_t len, unsigned int k, uint8_t *out)
{
	struct ppp_opt_iter it;
	struct ppp_opt o;
	unsigned int i = 0, count = 0;

	ppp_opt_iter_init(&it, opts, len);
	while (ppp_opt_next(&it, &o) > 0)
		count++;
	if (count == 0)
		return 0;
	ppp_opt_iter_init(&it, opts, len);
	while (ppp_opt_next(&it, &o) > 0)
		if (i++ == k % count) {
			memcpy(out, o.raw, o.len);
			return o.len;
		}
	return 0;
}

static void op_reply(struct in *in)
{
	static const uint16_t protos[3] = { PPP_LCP, PPP_IPCP, PPP_CCP };
	uint8_t sel = in_u8(in), kind = in_u8(in);
	uint16_t protocol = protos[sel % 3];
	struct cp_seen *seen = seen_for(protocol);
	unsigned int form = (sel >> 2) & 3;
	uint8_t buf[OPTS_MAX];
	const uint8_t *data;
	size_t len;

	switch (kind & 7) {
	case 0: /* Configure-Ack of our request */
		send_cp(protocol, PPP_CONF_ACK, seen->req_id, seen->req_opts, seen->req_len, form);
		break;
	case 1: /* Configure-Nak with the input's options */
		data = in_bytes(in, in_u8(in), &len);
		send_cp(protocol, PPP_CONF_NAK, seen->req_id, data, len, form);
		break;
	case 2: /* Configure-Reject of everything we asked */
		send_cp(protocol, PPP_CONF_REJ, seen->req_id, seen->req_opts, seen->req_len, form);
		break;
	case 3: /* Configure-Reject of one option */
		len = opt_only(seen->req_opts, seen->req_len, in_u8(in), buf);
		send_cp(protocol, PPP_CONF_REJ, seen->req_id, buf, len, form);
		break;
	case 4: /* Terminate-Ack of our request */
		send_cp(protocol, PPP_TERM_ACK, seen->term_id, NULL, 0, form);
		break;
	case 5: /* a Configure-Request taking our Nak's suggestions */
		send_cp(protocol, PPP_CONF_REQ, ++seen->peer_id, seen->nak_opts, seen->nak_len,
			form);
		break;
	case 6: /* Terminate-Request */
		send_cp(protocol, PPP_TERM_REQ, ++seen->peer_id, "bye", 3, form);
		break;
	default: /* Configure-Ack of our request but one option: not a valid Ack */
		len = opts_without(seen->req_opts, seen->req_len, in_u8(in), buf);
		send_cp(protocol, PPP_CONF_ACK, seen->req_id, buf, len, form);
		break;
	}
}

static void op_lcp_extra(struct in *in)
{
	static const uint16_t rejected[8] = { PPP_LCP, PPP_PAP, PPP_CHAP, PPP_IPCP,
					      PPP_CCP, PPP_IP,  PPP_IPV6CP, 0x8281 };
	uint8_t kind = in_u8(in), arg = in_u8(in);
	uint8_t data[64];

	wire_put_be32(data, fz.peer_magic);
	switch (kind & 7) {
	case 0: /* Echo-Reply to our Echo-Request */
		send_cp(PPP_LCP, PPP_ECHO_REP, fz.echo_id, data, 4, 0);
		break;
	case 1:
		memset(data + 4, arg, 8);
		send_cp(PPP_LCP, PPP_ECHO_REQ, arg, data, 4 + (arg & 7), 0);
		break;
	case 2:
		send_cp(PPP_LCP, PPP_DISCARD_REQ, arg, data, 4, 0);
		break;
	case 3: /* Protocol-Reject of one of ours */
		wire_put_be16(data, rejected[arg & 7]);
		memset(data + 2, 0, 6);
		send_cp(PPP_LCP, PPP_PROTO_REJ, arg, data, 2 + (arg >> 4), 0);
		break;
	case 4: /* Code-Reject of a code of ours: a header of that code */
		data[0] = arg % 16;
		data[1] = 1;
		wire_put_be16(data + 2, 8);
		memcpy(data + 4, "\0\0\0\0", 4);
		send_cp(arg & 0x80 ? PPP_IPCP : PPP_LCP, PPP_CODE_REJ, arg, data, 8,
			(arg >> 4) & 1);
		break;
	case 5:
		memcpy(data + 4, "MSRASV5.20", 10);
		send_cp(PPP_LCP, PPP_IDENTIFICATION, arg, data, 14, 0);
		break;
	case 6:
		wire_put_be32(data + 4, arg * 60u);
		send_cp(PPP_LCP, PPP_TIME_REMAINING, arg, data, 8, 0);
		break;
	default: /* our own magic number coming back */
		wire_put_be32(data, fz.our_magic);
		send_cp(PPP_LCP, arg & 1 ? PPP_ECHO_REQ : PPP_ECHO_REP,
			arg & 1 ? arg : fz.echo_id, data, 4, 0);
		break;
	}
}

/* The peer authenticates: flags bits 0-1 the method (0: the one our LCP
 * asked for), bit 2 a wrong secret, bit 3 a wrong Identifier, bit 4
 * another peer challenge. */
static void op_auth(struct in *in)
{
	static const unsigned int methods[4] = { 0, PPP_AUTH_PAP, PPP_AUTH_CHAP_MD5,
						 PPP_AUTH_MSCHAPV2 };
	uint8_t sel = in_u8(in) & 7, flags = in_u8(in);
	const char *user = users[sel].user, *secret = users[sel].secret;
	unsigned int method = methods[flags & 3] ? methods[flags & 3] : fz.lcp_auth;
	uint8_t id = (uint8_t)(fz.chal_id + ((flags >> 3) & 1));
	uint8_t pkt[600], value[MSCHAPV2_RESPONSE_LEN], hash[MSCHAP_HASH_LEN];
	size_t slen = strlen(secret);
	char wrong[64];
	int n;

	if (flags & 4) {
		snprintf(wrong, sizeof(wrong), "%s!", secret);
		secret = wrong;
		slen = strlen(wrong);
	}
	switch (method) {
	case PPP_AUTH_CHAP_MD5:
		chap_md5_response(id, (const uint8_t *)secret, slen, fz.chal, CHAL_LEN, value);
		n = chap_build_value(pkt, sizeof(pkt), CHAP_RESPONSE, id, value, CHAP_MD5_LEN, user,
				     strlen(user));
		if (n > 0)
			send_proto(PPP_CHAP, pkt, (size_t)n, 0);
		break;
	case PPP_AUTH_MSCHAPV2: {
		struct mschapv2_response r;

		memset(&r, 0, sizeof(r));
		memset(r.peer_challenge, flags & 0x10 ? 0x11 : 0x22, sizeof(r.peer_challenge));
		if (mschap_nt_password_hash_utf8((const uint8_t *)secret, slen, hash) != 0)
			abort();
		mschapv2_nt_response(fz.chal, r.peer_challenge, user, strlen(user), hash,
				     r.nt_response);
		mschapv2_response_write(value, &r);
		n = chap_build_value(pkt, sizeof(pkt), CHAP_RESPONSE, id, value, sizeof(value),
				     user, strlen(user));
		if (n > 0)
			send_proto(PPP_CHAP, pkt, (size_t)n, 0);
		break;
	}
	default: /* PAP, also when our LCP asked for none */
		if (!(flags & 8))
			fz.pap_id++;
		n = pap_build_request(pkt, sizeof(pkt), fz.pap_id, user, strlen(user), secret,
				      slen);
		if (n > 0)
			send_proto(PPP_PAP, pkt, (size_t)n, 0);
		break;
	}
}

static void op_proto(struct in *in)
{
	static const uint16_t protos[8] = { PPP_IP,  PPP_COMP, PPP_IPV6, PPP_IPV6CP,
					    PPP_LQR, PPP_EAP,  0x8281,   0x0023 };
	uint8_t sel = in_u8(in);
	size_t len;
	const uint8_t *data = in_bytes(in, in_u8(in), &len);

	send_proto(protos[sel & 7], data, len, (sel >> 3) & 3);
}

/* ---- the session ---- */

static void session_new(void)
{
	memset(&fz.lcp, 0, sizeof(fz.lcp));
	memset(&fz.ipcp, 0, sizeof(fz.ipcp));
	memset(&fz.ccp, 0, sizeof(fz.ccp));
	fz.started = fz.down = fz.net_up = fz.ccp_up = false;
	fz.sent = 0;
	fz.accepted = false;
	fz.lcp_auth = 0;
	fz.our_magic = 0;
	fz.chal_valid = false;
	fz.ccp_offer = 0;
	fz.s = ppp_session_new(&fz.cfg, &fz.hooks, &fz);
	if (!fz.s)
		abort();
	if (fz.cfg0 & CFG0_CCP_HOOK)
		ppp_session_set_ccp_hook(fz.s, &fz.ccp_hook, &fz);
}

static void session_start(void)
{
	if (!fz.s)
		return;
	fz.started = true;
	ppp_session_start(fz.s, fz.now);
}

static void session_free(void)
{
	if (!fz.s)
		return;
	fz.freeing = true;
	ppp_session_free(fz.s); /* no hook */
	fz.freeing = false;
	fz.s = NULL;
	/* A check still pending was cancelled; the address went back. */
	if (fz.be.pending)
		abort();
	check_pool_clean();
}

static void tick(void)
{
	if (!fz.s)
		return;
	ppp_session_tick(fz.s, fz.now);
	/* Every due timer ran: none may stay in the past. */
	if (fz.s && ppp_session_next_deadline(fz.s) <= fz.now)
		abort();
}

static enum ppp_reason reason_of(uint8_t b)
{
	return (enum ppp_reason)(1 + b % (PPP_REASON_COUNT_ - 1));
}

/* After every operation: the session and the model agree. */
static void check_session(void)
{
	struct ppp_counters cnt;
	enum ppp_phase phase;

	if (!fz.s)
		return;
	phase = ppp_session_phase(fz.s);
	ppp_session_get_counters(fz.s, &cnt);
	if (cnt.tx_frames != fz.sent)
		abort();
	if (fz.net_up && fz.cfg.auth_methods && strcmp(ppp_session_user(fz.s), fz.acc_user) != 0)
		abort();
	if (ppp_session_finished(fz.s) != fz.down)
		abort();
	if (fz.down && (phase != PPP_PHASE_DEAD || ppp_session_reason(fz.s) != fz.down_reason ||
			ppp_session_next_deadline(fz.s) != UINT64_MAX))
		abort();
	if ((fz.net_up || fz.ccp_up) && phase != PPP_PHASE_NETWORK)
		abort();
	if (fz.be.pending && phase != PPP_PHASE_AUTHENTICATE)
		abort();
}

static void run_op(struct in *in)
{
	uint8_t b = in_u8(in);
	uint64_t d;
	size_t len;
	const uint8_t *data;

	switch (b & 15) {
	case OP_FRAME:
		data = in_bytes(in, in_u8(in), &len);
		deliver(data, len);
		break;
	case OP_FRAME_LONG:
		len = (size_t)in_u8(in) << 8;
		len |= in_u8(in);
		data = in_bytes(in, len, &len);
		deliver(data, len);
		break;
	case OP_CP:
		op_cp(in);
		break;
	case OP_REPLY:
		op_reply(in);
		break;
	case OP_LCP_EXTRA:
		op_lcp_extra(in);
		break;
	case OP_AUTH:
		op_auth(in);
		break;
	case OP_TICK:
		fz.now += (uint64_t)in_u8(in) * 250;
		tick();
		break;
	case OP_TICK_DEADLINE:
		d = fz.s ? ppp_session_next_deadline(fz.s) : UINT64_MAX;
		if (d != UINT64_MAX && d > fz.now)
			fz.now = d;
		tick();
		break;
	case OP_NOTE_RX:
		fz.rx_total += in_u8(in);
		if (fz.s)
			ppp_session_note_rx(fz.s, fz.rx_total);
		break;
	case OP_CLOSE:
		b = in_u8(in);
		if (fz.s)
			ppp_session_close(fz.s, fz.now, reason_of(b));
		break;
	case OP_LOWER_DOWN:
		b = in_u8(in);
		if (fz.s)
			ppp_session_lower_down(fz.s, fz.now, reason_of(b));
		break;
	case OP_BACKEND:
		op_backend(in_u8(in));
		break;
	case OP_START:
		session_start();
		break;
	case OP_RAND_FAIL:
		fz.rand_fail = !fz.rand_fail;
		break;
	case OP_REOPEN:
		session_free();
		session_new();
		if (!(fz.cfg0 & CFG0_START_LATER))
			session_start();
		break;
	case OP_PROTO:
		op_proto(in);
		break;
	}
	check_session();
}

/* ---- set-up ---- */

static void setup(void)
{
	static const uint32_t taken_statics[2] = { STATIC_IP, OUTSIDE_IP };
	struct ip_range range;
	uint32_t reserved = LOCAL_IP, a;
	unsigned int errors = 0;
	char err[128];

	ppp_config_default(&fz.cfg);
	fz.cfg.auth_methods = auth_choices[fz.cfg0 & CFG0_AUTH];
	fz.cfg.auth_backend = &fz.be.base;
	fz.cfg.local_ip = fz.cfg1 & CFG1_MINIMAL ? 0 : LOCAL_IP;
	if (!(fz.cfg1 & CFG1_NO_SERVERS)) {
		fz.cfg.dns[0] = IP(8, 8, 8, 8);
		fz.cfg.dns[1] = IP(8, 8, 4, 4);
		fz.cfg.nbns[0] = IP(100, 64, 0, 1);
	}
	if (fz.cfg1 & CFG1_MINIMAL)
		fz.cfg.request_magic = fz.cfg.request_pfc = fz.cfg.request_acfc = false;
	switch (fz.cfg1 & CFG1_ECHO) {
	case 4:
		fz.cfg.echo_interval_ms = 0;
		break;
	case 8:
		fz.cfg.echo_interval_ms = 5000;
		fz.cfg.echo_failures = 1;
		break;
	}
	if (fz.cfg1 & CFG1_SMALL_COUNTS) {
		fz.cfg.max_configure = 2;
		fz.cfg.max_terminate = 1;
		fz.cfg.max_failure = 1;
		fz.cfg.max_loopback = 1;
		fz.cfg.auth_max_challenges = 1;
		fz.cfg.auth_max_attempts = 1;
	}
	if (fz.cfg1 & CFG1_SMALL_MRU) {
		fz.cfg.mru = fz.cfg.mtu = PPP_MIN_MRU;
		fz.cfg.setup_timeout_ms = 0;
	}

	fz.secrets = secrets_parse(secrets_text, strlen(secrets_text), "fuzz", NULL, NULL, &errors);
	if (!fz.secrets || errors)
		abort();
	secrets_backend_init(&fz.be.inner, fz.secrets, "pptpd");
	fz.be.base.verify = be_verify;
	fz.be.base.cancel = be_cancel;
	fz.be.base.name = "fuzz";
	fz.be.async = fz.cfg0 & CFG0_ASYNC;

	/* 100.64.0.2 .. 100.64.0.6: five addresses besides ours. */
	if (ip_range_parse("100.64.0.0/29", &range) != 0)
		abort();
	fz.pool = ip_pool_create(&range, 1, &reserved, 1, err, sizeof(err));
	if (!fz.pool)
		abort();
	fz.cfg.pool = fz.pool;
	if (fz.cfg1 & CFG1_STATICS_TAKEN)
		for (unsigned int i = 0; i < 2; i++) {
			if (ip_pool_claim(fz.pool, taken_statics[i]) != 0)
				abort();
			fz.held[fz.nheld++] = taken_statics[i];
		}
	if (fz.cfg1 & CFG1_POOL_FULL)
		while (ip_pool_alloc(fz.pool, &a) == 0)
			fz.held[fz.nheld++] = a;

	fz.ccp_hook = (struct ppp_ccp_hook){
		.reset = ccp_reset,
		.add_opts = ccp_add_opts,
		.req_opt = ccp_req_opt,
		.got_nak = ccp_got_nak,
		.got_rej = ccp_got_rej,
		.up = ccp_up,
		.down = ccp_down,
		.reset_request = ccp_reset_request,
		.required = fz.cfg0 & CFG0_CCP_REQUIRED,
	};
	fz.hooks = (struct ppp_hooks){
		.send = h_send,
		.network_up = h_network_up,
		.network_down = h_network_down,
		.down = h_down,
		.log = h_log,
		.random = h_random,
	};
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { .p = data, .n = size };

	memset(&fz, 0, sizeof(fz));
	fz.cfg0 = in_u8(&in);
	fz.cfg1 = in_u8(&in);
	fz.now = NOW_START;
	fz.rand_state = 0x12345678;
	setup();
	session_new();
	if (!(fz.cfg0 & CFG0_START_LATER))
		session_start();
	while (in.n > 0)
		run_op(&in);
	session_free();

	for (unsigned int i = 0; i < fz.nheld; i++)
		if (ip_pool_release(fz.pool, fz.held[i]) != 0)
			abort();
	fz.nheld = 0;
	check_pool_clean(); /* now with nothing held: every address free */
	ip_pool_free(fz.pool);
	secrets_free(fz.secrets);
	return 0;
}
