/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Driven by check_mschapv2.py: for each input line
 *
 *     <user hex> <password hex, - if empty> <auth challenge hex>
 *     <peer challenge hex> <nt-response hex>
 *
 * it prints what our code makes of it:
 *
 *     nt=<our NT-Response for these inputs> status=success|failure msg=<hex of the
 *     CHAP Success/Failure message> master=<hex> send=<hex> recv=<hex>
 *
 * The NT-Response comes from mschapv2_crypto directly; the rest from a whole
 * engine session: a chap-secrets backend holding the user, LCP opened, our
 * Challenge carrying the given authenticator challenge (through the random
 * hook), and the peer's Response carrying the Python side's NT-Response.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ppp/mschapv2_crypto.h"
#include "ppp/ppp_internal.h"
#include "ppp/secrets_backend.h"
#include "proto/ppp_auth.h"
#include "proto/ppp_cp.h"
#include "proto/ppp_frame.h"
#include "proto/wire.h"

#define MAX_OUT 32

struct tool {
	uint8_t out[MAX_OUT][1600];
	size_t out_len[MAX_OUT];
	int n_out;
	uint8_t script[17];
	size_t script_pos;
	uint32_t counter;
};

static void die(const char *what)
{
	fprintf(stderr, "mschapv2_tool: %s\n", what);
	exit(2);
}

static void on_send(void *owner, const uint8_t *frame, size_t len)
{
	struct tool *t = owner;

	if (t->n_out >= MAX_OUT || len > sizeof(t->out[0]))
		die("too many frames");
	memcpy(t->out[t->n_out], frame, len);
	t->out_len[t->n_out++] = len;
}

static int on_random(void *owner, void *buf, size_t len)
{
	struct tool *t = owner;
	uint8_t *p = buf;

	for (size_t i = 0; i < len; i++) {
		if (t->script_pos < sizeof(t->script)) {
			p[i] = t->script[t->script_pos++];
		} else {
			t->counter = t->counter * 1103515245u + 12345u;
			p[i] = (uint8_t)(t->counter >> 16);
		}
	}
	return 0;
}

/* Hex digits, or "-" for nothing. */
static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n;

	if (strcmp(s, "-") == 0)
		return 0;
	n = strlen(s) / 2;

	if (strlen(s) % 2 || n > cap)
		die("bad hex field");
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			die("bad hex digit");
		out[i] = (uint8_t)v;
	}
	return n;
}

static void print_hex(const char *name, const uint8_t *p, size_t n)
{
	printf(" %s=", name);
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

/* Every byte as \xHH inside quotes: any name or password survives the file syntax. */
static size_t escape(char *out, const uint8_t *in, size_t n)
{
	size_t o = 0;

	out[o++] = '"';
	for (size_t i = 0; i < n; i++)
		o += (size_t)sprintf(out + o, "\\x%02x", in[i]);
	out[o++] = '"';
	return o;
}

/* The next frame of `protocol`, its information field in *info. */
static size_t next_frame(struct tool *t, int *cursor, uint16_t protocol, const uint8_t **info)
{
	while (*cursor < t->n_out) {
		struct ppp_frame f;
		int i = (*cursor)++;

		if (ppp_frame_parse(t->out[i], t->out_len[i], &f) == PROTO_OK &&
		    f.protocol == protocol) {
			*info = t->out[i] + f.hdr_len;
			return t->out_len[i] - f.hdr_len;
		}
	}
	die("expected frame not sent");
	return 0;
}

static void run_case(const uint8_t *user, size_t user_len, const uint8_t *pw, size_t pw_len,
		     const uint8_t auth_ch[16], const uint8_t peer_ch[16], const uint8_t nt[24])
{
	static struct tool t;
	char text[4096];
	size_t n = 0;
	struct ppp_secrets *table;
	struct secrets_backend be;
	struct ppp_config cfg;
	struct ppp_hooks hooks = { .send = on_send, .random = on_random };
	struct ppp_session *s;
	struct ppp_cp_pkt ours;
	struct chap_pkt chap;
	const uint8_t *info;
	size_t len;
	int cursor = 0;
	unsigned errors = 0;
	char name[PPP_MAX_NAME_LEN + 1];
	uint8_t hash[16], mine[24], value[MSCHAPV2_RESPONSE_LEN], pkt[600];
	struct mschapv2_response r;

	/* Our own NT-Response for the same inputs. */
	memcpy(name, user, user_len);
	name[user_len] = '\0';
	if (mschap_nt_password_hash_utf8(pw, pw_len, hash) != 0)
		die("password too long");
	mschapv2_nt_response(auth_ch, peer_ch, name, user_len, hash, mine);
	print_hex("nt", mine, sizeof(mine));

	/* The engine, end to end. */
	memset(&t, 0, sizeof(t));
	t.counter = 99;
	t.script_pos = sizeof(t.script); /* nothing scripted yet */
	n += escape(text + n, user, user_len);
	n += (size_t)sprintf(text + n, " pptpd ");
	n += escape(text + n, pw, pw_len);
	n += (size_t)sprintf(text + n, " *\n");
	table = secrets_parse(text, n, "tool", NULL, NULL, &errors);
	if (!table || errors || secrets_count(table) != 1)
		die("secrets entry not parsed");
	secrets_backend_init(&be, table, "pptpd");
	ppp_config_default(&cfg);
	cfg.auth_backend = &be.base;
	cfg.local_ip = 0x0A000001;
	cfg.echo_interval_ms = 0;
	s = ppp_session_new(&cfg, &hooks, &t);
	if (!s)
		die("no session");
	ppp_session_start(s, 0);
	len = next_frame(&t, &cursor, PPP_LCP, &info);
	if (ppp_cp_parse(PPP_LCP, info, len, &ours) != PROTO_OK)
		die("bad LCP request");
	uint8_t empty_req[] = { 0xFF, 0x03, 0xC0, 0x21, PPP_CONF_REQ, 1, 0, 4 };
	ppp_session_input(s, 0, empty_req, sizeof(empty_req));
	t.script[0] = 0x10; /* the CHAP Identifier, then the challenge */
	memcpy(t.script + 1, auth_ch, 16);
	t.script_pos = 0;
	uint8_t ack[200] = { 0xFF, 0x03, 0xC0, 0x21 };
	memcpy(ack + 4, info, len);
	ack[4] = PPP_CONF_ACK;
	ppp_session_input(s, 0, ack, len + 4);
	len = next_frame(&t, &cursor, PPP_CHAP, &info);
	if (chap_parse(info, len, &chap) != PROTO_OK || chap.code != CHAP_CHALLENGE ||
	    chap.value_size != 16 || memcmp(chap.value, auth_ch, 16) != 0)
		die("challenge not as scripted");

	memset(&r, 0, sizeof(r));
	memcpy(r.peer_challenge, peer_ch, 16);
	memcpy(r.nt_response, nt, 24);
	mschapv2_response_write(value, &r);
	pkt[0] = 0xFF, pkt[1] = 0x03, pkt[2] = 0xC2, pkt[3] = 0x23;
	int m = chap_build_value(pkt + 4, sizeof(pkt) - 4, CHAP_RESPONSE, chap.id, value,
				 sizeof(value), user, user_len);
	if (m < 0)
		die("cannot build the response");
	ppp_session_input(s, 0, pkt, (size_t)m + 4);
	len = next_frame(&t, &cursor, PPP_CHAP, &info);
	if (chap_parse(info, len, &chap) != PROTO_OK)
		die("bad CHAP status");
	printf(" status=%s", chap.code == CHAP_SUCCESS ? "success" : "failure");
	print_hex("msg", chap.msg, chap.msg_len);
	if (chap.code == CHAP_SUCCESS) {
		const struct ppp_auth_keys *k = &s->auth.result.keys;
		print_hex("master", k->master_key, 16);
		print_hex("send", k->send_key, 16);
		print_hex("recv", k->recv_key, 16);
	}
	printf("\n");
	ppp_session_free(s);
	secrets_free(table);
}

int main(void)
{
	char line[4096];

	while (fgets(line, sizeof(line), stdin)) {
		char f[5][1100];
		uint8_t user[256], pw[1024], ac[16], pc[16], nt[24];
		size_t ul, pl;

		if (sscanf(line, "%1099s %1099s %1099s %1099s %1099s", f[0], f[1], f[2], f[3],
			   f[4]) != 5)
			die("need five fields");
		ul = unhex(f[0], user, sizeof(user) - 1);
		pl = unhex(f[1], pw, sizeof(pw));
		if (unhex(f[2], ac, 16) != 16 || unhex(f[3], pc, 16) != 16 ||
		    unhex(f[4], nt, 24) != 24)
			die("challenges are 16 bytes, the NT-Response 24");
		run_case(user, ul, pw, pl, ac, pc, nt);
		fflush(stdout);
	}
	return 0;
}
