/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One PPP engine session behind a line protocol on stdin/stdout, so that
 * check_mppe_client.py can put the test-side client (tests/tools/ppp_client)
 * in front of the real engine.
 *
 *   ppp_pipe_tool [--mppe off|allow|require] [--bits MASK] [--stateful] [--pap]
 *
 * Commands, one per line:
 *   F <hex>     a PPP frame from the peer
 *   T <ms>      the clock moves to <ms> (absolute), running due timers
 *   R           the data plane lost MPPE sync: ppp_session_mppe_resync()
 *   Q           quit
 * After each command the tool prints what happened, then ". <next deadline>"
 * (-1 for none):
 *   S <hex>     a frame the engine sent
 *   UP mppe=<0|1> bits=<n> stateless=<0|1> mtu=<n> peer=<a.b.c.d> send=<hex> recv=<hex>
 *   NETDOWN | FLUSH | DOWN <REASON> | RESYNC <0|1>
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ppp/ip_pool.h"
#include "ppp/ppp_session.h"
#include "ppp/secrets.h"
#include "ppp/secrets_backend.h"

static void put_hex(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		printf("%02x", p[i]);
}

static void on_send(void *owner, const uint8_t *frame, size_t len)
{
	(void)owner;
	printf("S ");
	put_hex(frame, len);
	printf("\n");
}

static void on_net_up(void *owner, const struct ppp_net_params *p)
{
	char a[16];

	(void)owner;
	printf("UP mppe=%d bits=%u stateless=%d mtu=%u peer=%s send=", p->mppe, p->mppe_bits,
	       p->mppe_stateless, p->mtu, ip_addr_str(p->peer_ip, a));
	put_hex(p->mppe_send_key, sizeof(p->mppe_send_key));
	printf(" recv=");
	put_hex(p->mppe_recv_key, sizeof(p->mppe_recv_key));
	printf("\n");
}

static void on_net_down(void *owner)
{
	(void)owner;
	printf("NETDOWN\n");
}

static void on_down(void *owner, enum ppp_reason r)
{
	(void)owner;
	printf("DOWN %s\n", ppp_reason_name(r));
}

static void on_flush(void *owner)
{
	(void)owner;
	printf("FLUSH\n");
}

static void on_log(void *owner, enum ppp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void on_log(void *owner, enum ppp_log_level level, const char *fmt, ...)
{
	va_list ap;

	(void)owner;
	if (!getenv("PPP_PIPE_LOG"))
		return;
	fprintf(stderr, "engine <%d> ", level);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void end_of_answer(const struct ppp_session *s)
{
	uint64_t d = ppp_session_next_deadline(s);

	printf(". %lld\n", d == UINT64_MAX ? -1LL : (long long)d);
	fflush(stdout);
}

static int unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (s[0] && s[0] != '\n' && s[1]) {
		unsigned v;

		if (n == cap || sscanf(s, "%2x", &v) != 1)
			return -1;
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return (int)n;
}

int main(int argc, char **argv)
{
	static const char secrets_text[] = "lab pptpd lab-secret *\n";
	struct ppp_hooks hooks = { .send = on_send, .network_up = on_net_up,
				   .network_down = on_net_down, .down = on_down, .log = on_log,
				   .mppe_flush = on_flush };
	struct secrets_backend be;
	struct ppp_secrets *secrets;
	struct ppp_session *s;
	struct ppp_config cfg;
	struct ip_range r;
	struct ip_pool *pool;
	char line[8192], err[128];
	uint8_t frame[4096];
	uint32_t reserved;
	unsigned errors = 0;
	uint64_t now = 0;

	ppp_config_default(&cfg);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--mppe") == 0 && i + 1 < argc) {
			i++;
			cfg.mppe.policy = strcmp(argv[i], "require") == 0 ? PPP_MPPE_REQUIRE
					  : strcmp(argv[i], "allow") == 0 ? PPP_MPPE_ALLOW
									  : PPP_MPPE_OFF;
		} else if (strcmp(argv[i], "--bits") == 0 && i + 1 < argc) {
			cfg.mppe.bits = (unsigned)strtoul(argv[++i], NULL, 0);
		} else if (strcmp(argv[i], "--stateful") == 0) {
			cfg.mppe.stateless = false;
		} else if (strcmp(argv[i], "--pap") == 0) {
			cfg.auth_methods = PPP_AUTH_PAP;
		} else {
			fprintf(stderr, "usage: %s [--mppe off|allow|require] [--bits MASK] "
					"[--stateful] [--pap]\n",
				argv[0]);
			return 2;
		}
	}
	secrets = secrets_parse(secrets_text, strlen(secrets_text), "pipe", NULL, NULL, &errors);
	if (!secrets || errors)
		return 1;
	secrets_backend_init(&be, secrets, "pptpd");
	cfg.auth_backend = &be.base;
	if (ip_range_parse("100.64.0.0/24", &r) != 0)
		return 1;
	reserved = 0x64400001;
	pool = ip_pool_create(&r, 1, &reserved, 1, err, sizeof(err));
	if (!pool)
		return 1;
	cfg.pool = pool;
	cfg.local_ip = reserved;
	s = ppp_session_new(&cfg, &hooks, NULL);
	if (!s)
		return 1;
	ppp_session_start(s, now);
	end_of_answer(s);
	while (fgets(line, sizeof(line), stdin)) {
		int n;

		switch (line[0]) {
		case 'F':
			n = unhex(line + 2, frame, sizeof(frame));
			if (n > 0)
				ppp_session_input(s, now, frame, (size_t)n);
			break;
		case 'T':
			now = strtoull(line + 2, NULL, 10);
			while (ppp_session_next_deadline(s) <= now)
				ppp_session_tick(s, now);
			break;
		case 'R':
			printf("RESYNC %d\n", ppp_session_mppe_resync(s, now));
			break;
		case 'Q':
			goto out;
		default:
			break;
		}
		end_of_answer(s);
	}
out:
	ppp_session_free(s);
	ip_pool_free(pool);
	secrets_free(secrets);
	return 0;
}
