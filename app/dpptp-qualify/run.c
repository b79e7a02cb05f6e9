/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The loop: send the classes interleaved (frame k is class k % QC_COUNT,
 * index k / QC_COUNT, so a burst of trouble hurts every class alike), at most
 * `window` frames in flight, polling every RX queue between bursts. Frames
 * that do not come back within `stall_s` are written off so that a NIC that
 * eats GRE does not stop the run; after the last one, stragglers get
 * `timeout_s`, and copies a short grace once everything has arrived.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "qual_dpdk.h"

#define BURST 32
#define RX_BUF 9728   /* room for a jumbo frame somebody else sent */
#define GRACE_S 0.05  /* after the last frame arrived: time for copies */
#define REFUSE_S 1.0  /* a TX port that takes nothing this long is given up */

static void poll_port(const struct qual_run_cfg *cfg, struct qual_tally *t, uint16_t port,
		      uint16_t q, bool count)
{
	struct rte_mbuf *m[BURST];
	uint8_t buf[RX_BUF];
	uint16_t n = rte_eth_rx_burst(port, q, m, BURST);

	for (uint16_t i = 0; i < n; i++) {
		uint32_t len = rte_pktmbuf_pkt_len(m[i]);
		const uint8_t *p;

		if (len > sizeof(buf))
			len = sizeof(buf);
		p = rte_pktmbuf_read(m[i], 0, len, buf);
		if (count && p) {
			qual_capture_rx(cfg->cap, p, len);
			qual_tally_rx(t, p, len, q);
		}
	}
	if (n)
		rte_pktmbuf_free_bulk(m, n);
}

static void poll_all(const struct qual_run_cfg *cfg, struct qual_tally *t)
{
	if (cfg->pump)
		cfg->pump(cfg->pump_arg);
	for (uint16_t q = 0; q < cfg->nb_rxq; q++)
		poll_port(cfg, t, cfg->rx_port, q, true);
	if (cfg->drain_tx_port)
		poll_port(cfg, t, cfg->tx_port, 0, false);
}

static struct rte_mbuf *make_frame(const struct qual_run_cfg *cfg, const struct qual_tally *t,
				   uint64_t k)
{
	enum qual_class c = (enum qual_class)(k % QC_COUNT);
	uint8_t buf[QUAL_MAX_FRAME];
	size_t len = qual_frame_build(&t->net, c, (uint32_t)(k / QC_COUNT), buf, sizeof(buf),
				      NULL);
	struct rte_mbuf *m;
	char *d;

	if (len == 0)
		return NULL;
	m = rte_pktmbuf_alloc(cfg->pool);
	if (!m)
		return NULL;
	d = rte_pktmbuf_append(m, (uint16_t)len);
	if (!d) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memcpy(d, buf, len);
	/* Captured as built: what the TX port was handed. */
	qual_capture_tx(cfg->cap, buf, len);
	return m;
}

struct pending {
	struct rte_mbuf *m[BURST];
	uint64_t k[BURST];
	unsigned int n;
};

/* Hand the pending frames to the TX port; returns how many it took. */
static uint16_t transmit(const struct qual_run_cfg *cfg, struct qual_tally *t, struct pending *p)
{
	uint16_t n = rte_eth_tx_burst(cfg->tx_port, 0, p->m, (uint16_t)p->n);

	for (uint16_t i = 0; i < n; i++)
		qual_tally_sent(t, (enum qual_class)(p->k[i] % QC_COUNT));
	memmove(p->m, p->m + n, (p->n - n) * sizeof(p->m[0]));
	memmove(p->k, p->k + n, (p->n - n) * sizeof(p->k[0]));
	p->n -= n;
	return n;
}

int qual_run(const struct qual_run_cfg *cfg, struct qual_tally *t)
{
	const uint64_t total = (uint64_t)t->count * QC_COUNT, hz = rte_get_timer_hz();
	const uint64_t stall = (uint64_t)(cfg->stall_s * (double)hz);
	const uint64_t refuse = (uint64_t)(REFUSE_S * (double)hz);
	uint64_t next = 0, sent = 0, written_off = 0, last_ours = 0;
	uint64_t now = rte_get_timer_cycles(), last_rx = now, last_tx = now;
	struct pending p = { .n = 0 };

	while (next < total || p.n) {
		uint64_t back = t->ours + written_off;
		uint64_t flight = sent > back ? sent - back : 0;

		now = rte_get_timer_cycles();
		if (flight >= cfg->window) {
			last_tx = now; /* waiting for the receiver, not refused */
		} else {
			while (p.n < BURST && next < total) {
				struct rte_mbuf *m = make_frame(cfg, t, next);
				if (!m)
					break; /* out of mbufs: the receiver will free some */
				p.m[p.n] = m;
				p.k[p.n++] = next++;
			}
			uint16_t n = p.n ? transmit(cfg, t, &p) : 0;
			sent += n;
			if (n) {
				last_tx = now;
			} else if (now - last_tx > refuse) {
				if (!p.n) {
					fprintf(stderr, "dpptp-qualify: no mbufs to send with\n");
					return -ENOBUFS;
				}
				/* A TX queue that takes nothing for a second: give up on
				 * the rest too, the report says which classes went short. */
				fprintf(stderr, "dpptp-qualify: the TX port takes no frames: "
						"stopping after %" PRIu64 "\n", sent);
				t->tx_failed += p.n + (total - next);
				rte_pktmbuf_free_bulk(p.m, p.n);
				p.n = 0;
				next = total;
			}
		}
		poll_all(cfg, t);
		if (t->ours != last_ours) {
			last_ours = t->ours;
			last_rx = now;
		} else if (flight >= cfg->window && now - last_rx > stall) {
			written_off += flight; /* lost, or late: the tally sorts them out */
			last_rx = now;
		}
	}
	uint64_t end = rte_get_timer_cycles() + (uint64_t)(cfg->timeout_s * (double)hz);
	bool complete = false;
	while ((now = rte_get_timer_cycles()) < end) {
		poll_all(cfg, t);
		if (!complete && qual_tally_complete(t, sent)) {
			complete = true;
			uint64_t grace = now + (uint64_t)(GRACE_S * (double)hz);
			if (grace < end)
				end = grace;
		}
	}
	return 0;
}
