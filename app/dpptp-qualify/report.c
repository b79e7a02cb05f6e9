/* SPDX-License-Identifier: BSD-3-Clause */
/* The report: a text table for people, JSON (--json) for machines. */
#include <inttypes.h>
#include <string.h>

#include <jansson.h>

#include "qualify.h"

static const char *const problem_name[QP_COUNT] = {
	[QP_LOST] = "lost",
	[QP_MANGLED] = "mangled",
	[QP_DUPLICATED] = "duplicated",
	[QP_NOT_SENT] = "not_sent",
};

static json_t *u64(uint64_t v)
{
	return json_integer((json_int_t)v);
}

static uint64_t lost(uint64_t sent, uint64_t received)
{
	return sent > received ? sent - received : 0;
}

/* "q0=64 q1=70" for the queues that got something; "-" for none. */
static void queue_hist(const struct qual_tally *t, const uint64_t *q, char *buf, size_t cap)
{
	size_t k = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < t->nb_rxq && i < QUAL_MAX_RXQ; i++) {
		if (!q[i])
			continue;
		int n = snprintf(buf + k, cap - k, "%sq%u=%" PRIu64, k ? " " : "", i, q[i]);
		if (n < 0 || (size_t)n >= cap - k)
			break;
		k += (size_t)n;
	}
	if (k == 0)
		snprintf(buf, cap, "-");
}

static const char *class_result(const struct qual_tally *t, const struct qual_verdict *v, int c)
{
	const struct qual_class_tally *ct = &t->cls[c];

	if (v->class_ok[c])
		return "ok";
	if (ct->sent && !ct->received)
		return qual_classes[c].required ? "LOST" : "lost (not required)";
	if (!qual_classes[c].required)
		return "FAILED (not required)";
	if (ct->received < ct->sent)
		return "PARTLY LOST";
	if (ct->mangled)
		return "MANGLED";
	if (ct->duplicated)
		return "DUPLICATED";
	return "NOT ALL SENT";
}

static void text_totals(FILE *f, const struct qual_tally *t)
{
	struct qual_class_tally sum = { 0 };
	char hist[512];

	for (int c = 0; c < QC_COUNT; c++) {
		sum.sent += t->cls[c].sent;
		sum.received += t->cls[c].received;
		sum.mangled += t->cls[c].mangled;
		sum.duplicated += t->cls[c].duplicated;
		for (unsigned int q = 0; q < QUAL_MAX_RXQ; q++)
			sum.queue[q] += t->cls[c].queue[q];
	}
	queue_hist(t, sum.queue, hist, sizeof(hist));
	fprintf(f, "%-14s %6" PRIu64 " %6" PRIu64 " %6" PRIu64 " %7" PRIu64 " %5" PRIu64 "  %s\n",
		"total", sum.sent, sum.received, lost(sum.sent, sum.received), sum.mangled,
		sum.duplicated, hist);
}

void qual_report_text(FILE *f, const struct qual_env *e, const struct qual_tally *t,
		      const struct qual_verdict *v)
{
	char hist[512], list[256];

	fprintf(f, "dpptp-qualify: GRE version 1 (PPTP) qualification, %u frames per class, %.2f s\n",
		t->count, e->seconds);
	if (e->loopback)
		fprintf(f, "  port   %s (loopback)\n", e->rx_desc);
	else
		fprintf(f, "  tx     %s\n  rx     %s\n", e->tx_desc, e->rx_desc);
	fprintf(f, "  rx queues %u, RSS %s\n", e->nb_rxq, e->rss_desc);
	if (!e->links_up)
		fprintf(f, "  warning: a link was still down when the run began\n");
	fprintf(f, "\n");
	fprintf(f, "%-14s %6s %6s %6s %7s %5s  %-28s %s\n", "class", "sent", "recv", "lost",
		"mangled", "dup", "rx queues", "result");
	for (int c = 0; c < QC_COUNT; c++) {
		const struct qual_class_tally *ct = &t->cls[c];
		queue_hist(t, ct->queue, hist, sizeof(hist));
		fprintf(f,
			"%-14s %6" PRIu64 " %6" PRIu64 " %6" PRIu64 " %7" PRIu64 " %5" PRIu64
			"  %-28s %s\n",
			qual_classes[c].name, ct->sent, ct->received, lost(ct->sent, ct->received),
			ct->mangled, ct->duplicated, hist, class_result(t, v, c));
	}
	text_totals(f, t);
	fprintf(f, "\n");
	for (int c = 0; c < QC_COUNT; c++) {
		const struct qual_class_tally *ct = &t->cls[c];
		if (!ct->has_mangled_example)
			continue;
		fprintf(f, "mangled %s #%u: %u bytes sent, %u received, ", qual_classes[c].name,
			ct->mangled_index, ct->mangled_sent_len, ct->mangled_recv_len);
		if (ct->mangled_offset >= 0)
			fprintf(f, "first difference at byte %d (%s)\n", ct->mangled_offset,
				ct->mangled_layer);
		else
			fprintf(f, "same bytes up to the shorter length (%s)\n", ct->mangled_layer);
	}
	fprintf(f, "other frames received %" PRIu64 " (not ours, ignored), unidentifiable %" PRIu64
		   ", refused by TX %" PRIu64 "\n",
		t->other, t->damaged, t->tx_failed);
	if (e->have_stats)
		fprintf(f,
			"port counters: tx opackets %" PRIu64 " oerrors %" PRIu64
			" | rx ipackets %" PRIu64 " imissed %" PRIu64 " ierrors %" PRIu64
			" rx_nombuf %" PRIu64 "\n",
			e->tx_stats.opackets, e->tx_stats.oerrors, e->rx_stats.ipackets,
			e->rx_stats.imissed, e->rx_stats.ierrors, e->rx_stats.rx_nombuf);
	if (e->pcap_tx[0])
		fprintf(f, "captures: %s %s\n", e->pcap_tx, e->pcap_rx);
	if (v->rss_note[0])
		fprintf(f, "rss: %s\n", v->rss_note);
	fprintf(f, "diagnosis: %s\n", v->diagnosis);
	if (v->pass) {
		fprintf(f, "RESULT PASS\n");
		return;
	}
	fprintf(f, "RESULT FAIL");
	for (int p = 0; p < QP_COUNT; p++) {
		qual_class_list(v->problems[p], true, list, sizeof(list));
		if (list[0])
			fprintf(f, " %s=%s", problem_name[p], list);
	}
	fprintf(f, "\n");
}


static json_t *class_json(const struct qual_tally *t, const struct qual_verdict *v, int c)
{
	const struct qual_class_tally *ct = &t->cls[c];
	json_t *o = json_object(), *q = json_array();

	json_object_set_new(o, "name", json_string(qual_classes[c].name));
	json_object_set_new(o, "description", json_string(qual_classes[c].what));
	json_object_set_new(o, "required", json_boolean(qual_classes[c].required));
	json_object_set_new(o, "sent", u64(ct->sent));
	json_object_set_new(o, "received", u64(ct->received));
	json_object_set_new(o, "lost", u64(lost(ct->sent, ct->received)));
	json_object_set_new(o, "intact", u64(ct->intact));
	json_object_set_new(o, "mangled", u64(ct->mangled));
	json_object_set_new(o, "duplicated", u64(ct->duplicated));
	for (unsigned int i = 0; i < t->nb_rxq && i < QUAL_MAX_RXQ; i++)
		json_array_append_new(q, u64(ct->queue[i]));
	json_object_set_new(o, "rx_queues", q);
	json_object_set_new(o, "pass", json_boolean(v->class_ok[c]));
	if (ct->has_mangled_example) {
		json_t *m = json_object();
		json_object_set_new(m, "index", u64(ct->mangled_index));
		json_object_set_new(m, "sent_len", u64(ct->mangled_sent_len));
		json_object_set_new(m, "received_len", u64(ct->mangled_recv_len));
		json_object_set_new(m, "offset", json_integer(ct->mangled_offset));
		json_object_set_new(m, "layer", json_string(ct->mangled_layer));
		json_object_set_new(o, "first_mangled", m);
	}
	return o;
}

static json_t *stats_json(const struct qual_port_stats *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "ipackets", u64(s->ipackets));
	json_object_set_new(o, "opackets", u64(s->opackets));
	json_object_set_new(o, "imissed", u64(s->imissed));
	json_object_set_new(o, "ierrors", u64(s->ierrors));
	json_object_set_new(o, "oerrors", u64(s->oerrors));
	json_object_set_new(o, "rx_nombuf", u64(s->rx_nombuf));
	return o;
}

int qual_report_json(FILE *f, const struct qual_env *e, const struct qual_tally *t,
		     const struct qual_verdict *v)
{
	json_t *j = json_object(), *cls = json_array(), *tot = json_object(), *pr = json_object();
	uint64_t sent = 0, recv = 0, mang = 0, dup = 0;
	int rc;

	json_object_set_new(j, "tool", json_string("dpptp-qualify"));
	json_object_set_new(j, "tx_port", json_string(e->tx_desc));
	json_object_set_new(j, "rx_port", json_string(e->rx_desc));
	json_object_set_new(j, "loopback", json_boolean(e->loopback));
	json_object_set_new(j, "links_up", json_boolean(e->links_up));
	json_object_set_new(j, "rx_queues", json_integer(e->nb_rxq));
	json_object_set_new(j, "rss", json_boolean(e->rss));
	json_object_set_new(j, "rss_hf", u64(e->rss_hf));
	json_object_set_new(j, "rss_desc", json_string(e->rss_desc));
	json_object_set_new(j, "count", u64(t->count));
	json_object_set_new(j, "seconds", json_real(e->seconds));
	for (int c = 0; c < QC_COUNT; c++) {
		json_array_append_new(cls, class_json(t, v, c));
		sent += t->cls[c].sent;
		recv += t->cls[c].received;
		mang += t->cls[c].mangled;
		dup += t->cls[c].duplicated;
	}
	json_object_set_new(j, "classes", cls);
	json_object_set_new(tot, "sent", u64(sent));
	json_object_set_new(tot, "received", u64(recv));
	json_object_set_new(tot, "lost", u64(lost(sent, recv)));
	json_object_set_new(tot, "mangled", u64(mang));
	json_object_set_new(tot, "duplicated", u64(dup));
	json_object_set_new(tot, "other", u64(t->other));
	json_object_set_new(tot, "unidentifiable", u64(t->damaged));
	json_object_set_new(tot, "tx_refused", u64(t->tx_failed));
	json_object_set_new(j, "totals", tot);
	if (e->have_stats) {
		json_t *ps = json_object();
		json_object_set_new(ps, "tx", stats_json(&e->tx_stats));
		json_object_set_new(ps, "rx", stats_json(&e->rx_stats));
		json_object_set_new(j, "port_counters", ps);
	}
	if (e->pcap_tx[0]) {
		json_t *cap = json_object();
		json_object_set_new(cap, "tx", json_string(e->pcap_tx));
		json_object_set_new(cap, "rx", json_string(e->pcap_rx));
		json_object_set_new(j, "captures", cap);
	}
	for (int p = 0; p < QP_COUNT; p++) {
		json_t *a = json_array();
		for (int c = 0; c < QC_COUNT; c++)
			if (v->problems[p] & (1u << c))
				json_array_append_new(a, json_string(qual_classes[c].name));
		json_object_set_new(pr, problem_name[p], a);
	}
	json_object_set_new(j, "problems", pr);
	uint32_t failed = 0;
	for (int c = 0; c < QC_COUNT; c++)
		if (!v->class_ok[c] && qual_classes[c].required)
			failed |= 1u << c;
	json_t *fl = json_array();
	for (int c = 0; c < QC_COUNT; c++)
		if (failed & (1u << c))
			json_array_append_new(fl, json_string(qual_classes[c].name));
	json_object_set_new(j, "failed_classes", fl);
	json_object_set_new(j, "rss_note", json_string(v->rss_note));
	json_object_set_new(j, "diagnosis", json_string(v->diagnosis));
	json_object_set_new(j, "pass", json_boolean(v->pass));
	rc = json_dumpf(j, f, JSON_INDENT(2));
	fprintf(f, "\n");
	json_decref(j);
	return rc;
}
