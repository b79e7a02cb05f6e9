/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The real client's bytes: the TCP 1723 stream that pptp-linux sent in the
 * golden captures (tests/data, scripts/capture-golden.sh), segment by segment
 * with the capture's timing, fed to a connection object. Our replies must
 * parse and answer each of the client's messages with the right call IDs,
 * identifiers and result codes. Where the captured server asked the client to
 * stop, we do the same at the same point.
 *
 * Usage: test_pptp_ctrl_golden DATA_DIR
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "harness.h"
#include "pptp/call_id.h"
#include "pptp/ctrl_conn.h"
#include "proto/proto_err.h"
#include "proto/wire.h"

static const char *data_dir;

#define CLIENT_ADDR 0xC6336402u /* 198.51.100.2 */
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04

/* One TCP segment from the client to port 1723. */
struct segment {
	const uint8_t *payload;
	size_t len;
	uint32_t seq;
	uint8_t flags;
	uint64_t ms; /* since the capture's first packet */
};

/* Ethernet / IPv4 / TCP, every length checked against the captured bytes.
 * True if the frame is a client segment to port 1723. */
static bool client_segment(const struct pcap_pkthdr *h, const uint8_t *p, struct segment *s)
{
	size_t len = h->caplen, ihl, thl, ip_len;

	if (len < 14 + 20 || wire_get_be16(p + 12) != 0x0800)
		return false;
	p += 14;
	len -= 14;
	ihl = (size_t)(p[0] & 0x0F) * 4;
	ip_len = wire_get_be16(p + 2);
	if ((p[0] >> 4) != 4 || ihl < 20 || ip_len < ihl || ip_len > len || p[9] != 6)
		return false;
	if (wire_get_be32(p + 12) != CLIENT_ADDR)
		return false;
	len = ip_len - ihl;
	p += ihl;
	if (len < 20)
		return false;
	thl = (size_t)(p[12] >> 4) * 4;
	if (thl < 20 || thl > len || wire_get_be16(p + 2) != PPTP_TCP_PORT)
		return false;
	s->seq = wire_get_be32(p + 4);
	s->flags = p[13];
	s->payload = p + thl;
	s->len = len - thl;
	return true;
}

struct replay {
	struct pptp_call_id_allocator *ids;
	struct owner *o;
	/* the client's stream, re-framed on our side to know what it said */
	uint8_t stream[4096];
	size_t stream_len, stream_done;
	uint32_t next_seq;
	bool synced;
	/* the peer's call ID -> ours */
	uint16_t peer_call, our_call;
	unsigned int client_types; /* bit per type the client sent */
	int stops_asked;
};

/* What we must have answered to one message of the client. */
static void check_answer(struct replay *r, const struct pptp_msg *m, enum pptp_conn_state before)
{
	struct owner *o = r->o;
	struct pptp_msg a;

	r->client_types |= 1u << m->type;
	if (before == PPTP_CONN_CLOSED) {
		expect_no_out(o);
		return;
	}
	switch (m->type) {
	case PPTP_SCCRQ:
		a = expect_out(o, PPTP_SCCRP);
		assert_int_equal(a.u.sccrp.result, PPTP_SCCRP_OK);
		assert_int_equal(a.u.sccrp.version, PPTP_PROTO_VERSION);
		break;
	case PPTP_OCRQ:
		a = expect_out(o, PPTP_OCRP);
		assert_int_equal(a.u.ocrp.result, PPTP_OCRP_CONNECTED);
		assert_int_equal(a.u.ocrp.peer_call_id, m->u.ocrq.call_id);
		assert_int_not_equal(a.u.ocrp.call_id, 0);
		assert_true(pptp_call_id_in_use(r->ids, a.u.ocrp.call_id));
		r->peer_call = m->u.ocrq.call_id;
		r->our_call = a.u.ocrp.call_id;
		break;
	case PPTP_ECHORQ:
		a = expect_out(o, PPTP_ECHORP);
		assert_int_equal(a.u.echorp.id, m->u.echorq.id);
		assert_int_equal(a.u.echorp.result, PPTP_ECHORP_OK);
		break;
	case PPTP_CCRQ:
		assert_int_equal(m->u.ccrq.call_id, r->peer_call);
		a = expect_out(o, PPTP_CDN);
		assert_int_equal(a.u.cdn.call_id, r->our_call);
		assert_int_equal(a.u.cdn.result, PPTP_CDN_REQUEST);
		assert_false(pptp_call_id_in_use(r->ids, r->our_call));
		break;
	case PPTP_ECHORP: /* to the captured server's echo, not ours: ignored */
	case PPTP_STOPCCRP: /* answers our stop: closes */
		break;
	default:
		fail_msg("the client sent %s: not in this test's script", pptp_ctrl_name(m->type));
	}
}

/* The captured server asked the client to stop right before the client's
 * StopCCRP: ask it ourselves at that point. */
static void stop_if_client_replies_to_stop(struct replay *r, const struct segment *s, uint64_t now)
{
	struct pptp_msg a;

	if (s->len < PPTP_HDR_LEN || wire_get_be16(s->payload + 8) != PPTP_STOPCCRP ||
	    pptp_conn_state(r->o->conn) != PPTP_CONN_ESTABLISHED)
		return;
	r->stops_asked++;
	assert_int_equal(pptp_conn_stop(r->o->conn, now, PPTP_STOP_NONE), 0);
	if (r->our_call) {
		a = expect_out(r->o, PPTP_CDN);
		assert_int_equal(a.u.cdn.call_id, r->our_call);
		assert_int_equal(a.u.cdn.result, PPTP_CDN_ADMIN_SHUTDOWN);
	}
	a = expect_out(r->o, PPTP_STOPCCRQ);
	assert_int_equal(a.u.stopccrq.reason, PPTP_STOP_NONE);
}

static void feed_segment(struct replay *r, const struct segment *s, size_t piece)
{
	enum pptp_conn_state before = pptp_conn_state(r->o->conn);
	const uint8_t *p = s->payload;
	size_t len = s->len;
	int n;

	if (s->flags & TCP_SYN) {
		r->next_seq = s->seq + 1;
		r->synced = true;
		return;
	}
	assert_true(r->synced);
	if (s->flags & TCP_RST) {
		pptp_conn_peer_closed(r->o->conn, s->ms);
		return;
	}
	/* A retransmission repeats bytes already fed: skip them. A gap would
	 * mean a lost capture: fail. */
	uint32_t behind = r->next_seq - s->seq;
	assert_true((int32_t)behind >= 0);
	if (behind >= len)
		len = 0;
	else {
		p += behind;
		len -= behind;
	}
	if (len) {
		stop_if_client_replies_to_stop(r, s, s->ms);
		for (size_t off = 0; off < len; off += piece) {
			size_t k = len - off < piece ? len - off : piece;
			uint8_t *copy = malloc(k); /* exact size: ASan sees overreads */
			memcpy(copy, p + off, k);
			pptp_conn_input(r->o->conn, s->ms, copy, k);
			free(copy);
		}
		assert_true(r->stream_len + len <= sizeof(r->stream));
		memcpy(r->stream + r->stream_len, p, len);
		r->stream_len += len;
		r->next_seq += (uint32_t)len;
		/* Check an answer for every whole message the client sent. */
		while ((n = pptp_ctrl_frame(r->stream + r->stream_done,
					    r->stream_len - r->stream_done)) > 0) {
			struct pptp_msg m;
			assert_int_equal(pptp_ctrl_parse(r->stream + r->stream_done, (size_t)n, &m),
					 PROTO_OK);
			check_answer(r, &m, before);
			r->stream_done += (size_t)n;
			before = pptp_conn_state(r->o->conn);
		}
		assert_true(n == 0); /* the client never sends garbage */
	}
	if (s->flags & TCP_FIN) {
		r->next_seq++; /* FIN takes a sequence number */
		pptp_conn_peer_closed(r->o->conn, s->ms);
	}
}

static void replay_capture(const char *name, size_t piece, struct replay *r)
{
	char path[1024], errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t t0 = 0;
	bool first = true;
	pcap_t *p;

	snprintf(path, sizeof(path), "%s/%s", data_dir, name);
	p = pcap_open_offline(path, errbuf);
	if (!p)
		fail_msg("%s: %s", path, errbuf);
	assert_int_equal(pcap_datalink(p), DLT_EN10MB);
	memset(r, 0, sizeof(*r));
	r->ids = pptp_call_id_allocator_new();
	r->o = malloc(sizeof(*r->o));
	owner_init(r->o);
	while (pcap_next_ex(p, &h, &data) == 1) {
		uint64_t t = (uint64_t)h->ts.tv_sec * 1000 + (uint64_t)h->ts.tv_usec / 1000;
		struct segment s;

		if (first) {
			t0 = t;
			first = false;
			conn_open(r->o, r->ids, NULL, 1000);
		}
		if (!client_segment(h, data, &s))
			continue;
		s.ms = 1000 + (t - t0);
		feed_segment(r, &s, piece);
		/* No timer is due within a capture this short. */
		pptp_conn_tick(r->o->conn, s.ms);
	}
	pcap_close(p);
	expect_no_out(r->o);
}

static void replay_free(struct replay *r)
{
	pptp_conn_free(r->o->conn);
	free(r->o);
	pptp_call_id_allocator_free(r->ids);
}

static void test_client_stops(void **state)
{
	static const size_t pieces[] = { SIZE_MAX, 1, 5 };

	(void)state;
	for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
		struct replay r;

		replay_capture("pptp-linux-client-stop.pcap", pieces[i], &r);
		/* What pptp-linux sent, all of it answered. */
		assert_true(r.client_types & (1u << PPTP_SCCRQ));
		assert_true(r.client_types & (1u << PPTP_OCRQ));
		assert_true(r.client_types & (1u << PPTP_ECHORQ));
		assert_true(r.client_types & (1u << PPTP_CCRQ));
		assert_int_equal(r.peer_call, 46537); /* as tshark decodes it */
		const struct pptp_conn_stats *st = pptp_conn_stats(r.o->conn);
		assert_int_equal(st->rx_msgs[PPTP_ECHORQ], 4);
		assert_int_equal(st->events[PPTP_EV_ECHO_MISMATCH], 1);
		assert_int_equal(st->events[PPTP_EV_GARBAGE], 0);
		/* The client half-closed after its CCRQ: we closed too, the call
		 * was cleared by its request, not by the close. */
		assert_int_equal(r.o->closes, 1);
		assert_int_equal(r.o->why, PPTP_CLOSE_PEER_GONE);
		assert_int_equal(r.o->ncleared, 1);
		assert_int_equal(r.o->cleared[0].cause, PPTP_CLEAR_PEER_REQUEST);
		assert_int_equal(pptp_call_id_used(r.ids), 0);
		replay_free(&r);
	}
}

static void test_server_stops(void **state)
{
	struct replay r;

	(void)state;
	replay_capture("pptp-linux-server-stop.pcap", SIZE_MAX, &r);
	assert_int_equal(r.stops_asked, 1);
	assert_true(r.client_types & (1u << PPTP_STOPCCRP));
	/* pptp-linux sends a CCRQ after its StopCCRP: we had closed by then. */
	assert_true(r.client_types & (1u << PPTP_CCRQ));
	assert_int_equal(r.o->closes, 1);
	assert_int_equal(r.o->why, PPTP_CLOSE_LOCAL_STOP);
	assert_int_equal(r.o->ncleared, 1);
	assert_int_equal(r.o->cleared[0].cause, PPTP_CLEAR_LOCAL_STOP);
	assert_int_equal(pptp_call_id_used(r.ids), 0);
	replay_free(&r);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_stops),
		cmocka_unit_test(test_server_stops),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s DATA_DIR\n", argv[0]);
		return 2;
	}
	data_dir = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
