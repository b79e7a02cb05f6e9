/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The verdict: pass only if every required class (GRE version 1 and the
 * controls) arrived complete, intact and once; and, in words, what the
 * pattern of losses says about the NIC or the path.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "qualify.h"

#define BIT(c) (1u << (c))

static uint32_t kind_mask(enum qual_kind k)
{
	uint32_t m = 0;

	for (int c = 0; c < QC_COUNT; c++)
		if (qual_classes[c].kind == k)
			m |= BIT(c);
	return m;
}

void qual_class_list(uint32_t mask, bool required_only, char *buf, size_t cap)
{
	size_t k = 0;

	if (cap)
		buf[0] = '\0';
	for (int c = 0; c < QC_COUNT; c++) {
		if (!(mask & BIT(c)) || (required_only && !qual_classes[c].required))
			continue;
		int n = snprintf(buf + k, cap - k, "%s%s", k ? "," : "", qual_classes[c].name);
		if (n < 0 || (size_t)n >= cap - k)
			return;
		k += (size_t)n;
	}
}

static void append(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t cap, const char *fmt, ...)
{
	size_t k = strlen(buf);
	va_list ap;

	if (k >= cap - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + k, cap - k, fmt, ap);
	va_end(ap);
}

/* Classes of `mask` of which nothing at all arrived. */
static uint32_t all_lost(const struct qual_tally *t, uint32_t mask)
{
	uint32_t m = 0;

	for (int c = 0; c < QC_COUNT; c++)
		if ((mask & BIT(c)) && t->cls[c].sent && !t->cls[c].received)
			m |= BIT(c);
	return m;
}

static void diagnose(const struct qual_tally *t, struct qual_verdict *v)
{
	const uint32_t g1 = kind_mask(QK_GRE1), ctl = kind_mask(QK_CONTROL);
	const uint32_t lost = v->problems[QP_LOST];
	uint32_t bad_ctl = 0, gone;
	char list[256];
	char *d = v->diagnosis;
	size_t cap = sizeof(v->diagnosis);
	uint64_t sent = 0;

	for (int c = 0; c < QC_COUNT; c++) {
		sent += t->cls[c].sent;
		if ((ctl & BIT(c)) && !v->class_ok[c])
			bad_ctl |= BIT(c);
	}
	if (sent == 0) {
		append(d, cap, "the TX port took no frames at all. ");
		return;
	}
	if (bad_ctl) {
		qual_class_list(bad_ctl, false, list, sizeof(list));
		append(d, cap,
		       "the controls failed too (%s): the path itself loses or changes frames "
		       "(link, cabling, MAC filtering, rate); the GRE results mean little on their "
		       "own. ",
		       list);
	} else if ((lost & g1) && all_lost(t, g1) == g1) {
		if (all_lost(t, BIT(QC_GRE0)))
			append(d, cap,
			       "every GRE frame (IP protocol 47) was lost, version 0 and 1 alike, "
			       "while TCP and UDP passed: something drops IP protocol 47 (a "
			       "firewall rule, an ACL, a NIC filter). ");
		else
			append(d, cap,
			       "every GRE version 1 (PPTP) frame was lost while plain GRE (version "
			       "0), TCP and UDP passed: the NIC or the path discards GRE version 1. "
			       "This is the failure of source document 000 (Intel E810): the "
			       "control connection works, no PPTP data arrives. ");
	} else if (lost & g1) {
		gone = all_lost(t, g1);
		if (gone) {
			qual_class_list(gone, false, list, sizeof(list));
			append(d, cap,
			       "these PPTP frame classes were lost entirely: %s; others passed: a "
			       "parser that rejects some forms (ack-only without a sequence "
			       "number, compressed PPP, small or odd-sized frames). ",
			       list);
		}
		if (lost & g1 & ~gone) {
			qual_class_list(lost & g1 & ~gone, false, list, sizeof(list));
			append(d, cap,
			       "part of %s was lost: drops under load or by hash (see the RX "
			       "queues and the port counters). ",
			       list);
		}
	}
	if (v->problems[QP_MANGLED]) {
		append(d, cap, "frames changed in transit:");
		for (int c = 0; c < QC_COUNT; c++) {
			const struct qual_class_tally *ct = &t->cls[c];
			if (!ct->has_mangled_example)
				continue;
			if (ct->mangled_offset >= 0)
				append(d, cap, " %s (first at byte %d: %s)", qual_classes[c].name,
				       ct->mangled_offset, ct->mangled_layer);
			else
				append(d, cap, " %s (%u bytes instead of %u: %s)",
				       qual_classes[c].name, ct->mangled_recv_len,
				       ct->mangled_sent_len, ct->mangled_layer);
		}
		append(d, cap, "; compare the two captures. ");
	}
	if (v->problems[QP_DUPLICATED]) {
		qual_class_list(v->problems[QP_DUPLICATED], false, list, sizeof(list));
		append(d, cap, "frames arrived more than once: %s. ", list);
	}
	if (v->problems[QP_NOT_SENT]) {
		qual_class_list(v->problems[QP_NOT_SENT], false, list, sizeof(list));
		append(d, cap, "the TX port refused part of %s. ", list);
	}
	if (v->pass) {
		append(d, cap,
		       "every GRE version 1 class and the controls arrived complete and intact. ");
		if (!v->class_ok[QC_GRE0])
			append(d, cap, "(Plain GRE, version 0, did not: PPTP does not need it.) ");
	}
	/* No trailing blank. */
	size_t n = strlen(d);
	if (n && d[n - 1] == ' ')
		d[n - 1] = '\0';
}

/* The queues a class landed on: how many, and the first. */
static unsigned int queues_used(const struct qual_tally *t, enum qual_class c, int *first)
{
	unsigned int n = 0;

	*first = -1;
	for (unsigned int q = 0; q < t->nb_rxq && q < QUAL_MAX_RXQ; q++)
		if (t->cls[c].queue[q]) {
			if (*first < 0)
				*first = (int)q;
			n++;
		}
	return n;
}

static void rss_note(const struct qual_tally *t, struct qual_verdict *v)
{
	char *d = v->rss_note;
	size_t cap = sizeof(v->rss_note);
	uint64_t per_q[QUAL_MAX_RXQ] = { 0 };
	unsigned int used = 0;
	int first = -1, qc, qs, qu, qg;

	if (t->nb_rxq < 2)
		return;
	for (int c = 0; c < QC_COUNT; c++)
		for (unsigned int q = 0; q < t->nb_rxq; q++)
			per_q[q] += t->cls[c].queue[q];
	for (unsigned int q = 0; q < t->nb_rxq; q++)
		if (per_q[q]) {
			used++;
			if (first < 0)
				first = (int)q;
		}
	if (used == 0)
		return;
	if (used == 1) {
		append(d, cap,
		       "everything landed on queue %d: no spread (the PMD offers no IPv4 RSS, or "
		       "it hashes none of these frames)",
		       first);
		return;
	}
	unsigned int nc = queues_used(t, QC_GRE1_CALL_IDS, &qc);
	unsigned int ns = queues_used(t, QC_GRE1_SOURCES, &qs);
	unsigned int nu = queues_used(t, QC_UDP, &qu);
	unsigned int ng = queues_used(t, QC_GRE1_SEQ, &qg);
	if (ng == 1 && nu > 1)
		append(d, cap,
		       "GRE is not spread while UDP is (%u queues): the NIC does not hash GRE "
		       "(i40e: ask RSS for NONFRAG_IPV4_OTHER); ",
		       nu);
	else if (nc == 1 && ns > 1)
		append(d, cap,
		       "gre1-sources spread over %u queues but gre1-call-ids (one source, many "
		       "call IDs) stayed on queue %d: RSS hashes the outer addresses only, so "
		       "sessions behind one NAT address share a queue; ",
		       ns, qc);
	append(d, cap, "frames spread over %u of %u queues", used, t->nb_rxq);
}

void qual_verdict_compute(const struct qual_tally *t, struct qual_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->pass = true;
	for (int c = 0; c < QC_COUNT; c++) {
		const struct qual_class_tally *ct = &t->cls[c];
		bool ok = true;

		if (ct->sent < t->count) {
			v->problems[QP_NOT_SENT] |= BIT(c);
			ok = false;
		}
		if (ct->received < ct->sent) {
			v->problems[QP_LOST] |= BIT(c);
			ok = false;
		}
		if (ct->mangled) {
			v->problems[QP_MANGLED] |= BIT(c);
			ok = false;
		}
		if (ct->duplicated) {
			v->problems[QP_DUPLICATED] |= BIT(c);
			ok = false;
		}
		v->class_ok[c] = ok;
		if (!ok && qual_classes[c].required)
			v->pass = false;
	}
	diagnose(t, v);
	rss_note(t, v);
}
