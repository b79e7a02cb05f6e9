/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A control connection between two pipes, for tests written in another
 * language: reads the peer's byte stream from stdin (all of it, fed in one
 * piece at t = 0), accepts every call, writes every byte the connection sent
 * to stdout, and the close reason (or "open") to stderr.
 *
 * Usage: pptp_conn_replay [stop]   ("stop": pptp_conn_stop() after the input)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pptp/call_id.h"
#include "pptp/ctrl_conn.h"

static int out_send(void *owner, const uint8_t *buf, size_t len)
{
	(void)owner;
	return fwrite(buf, 1, len, stdout) == len ? 0 : -1;
}

static void out_close(void *owner, enum pptp_close_reason why, const char *detail)
{
	(void)owner;
	fprintf(stderr, "closed %s %s\n", pptp_close_reason_name(why), detail);
}

static enum pptp_call_verdict accept_all(void *owner, struct pptp_call *call,
					 const struct pptp_ocrq *rq)
{
	(void)owner;
	(void)call;
	(void)rq;
	return PPTP_CALL_ACCEPT;
}

int main(int argc, char **argv)
{
	static uint8_t in[1 << 20];
	size_t len = fread(in, 1, sizeof(in), stdin);
	struct pptp_call_id_allocator *ids = pptp_call_id_allocator_new();
	struct pptp_conn_hooks hooks = {
		.send = out_send, .close = out_close, .call_request = accept_all
	};
	struct pptp_conn_cfg cfg;
	struct pptp_conn *c;

	pptp_conn_cfg_init(&cfg);
	cfg.call_ids = ids;
	c = pptp_conn_new(&cfg, &hooks, NULL, 0, 0xC6336402u);
	if (!c || !feof(stdin))
		return 2;
	pptp_conn_input(c, 0, in, len);
	if (argc > 1 && strcmp(argv[1], "stop") == 0)
		pptp_conn_stop(c, 0, PPTP_STOP_LOCAL_SHUTDOWN);
	if (pptp_conn_state(c) != PPTP_CONN_CLOSED)
		fprintf(stderr, "open %s\n", pptp_conn_state_name(pptp_conn_state(c)));
	pptp_conn_free(c);
	pptp_call_id_allocator_free(ids);
	return fflush(stdout) == 0 ? 0 : 1;
}
