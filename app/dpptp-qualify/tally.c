/* SPDX-License-Identifier: BSD-3-Clause */
/* Counting what arrived: per class, per index, per RX queue. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qualify.h"

enum { SEEN_NONE, SEEN_INTACT, SEEN_MANGLED };

int qual_tally_init(struct qual_tally *t, const struct qual_net *net, uint32_t count,
		    uint16_t nb_rxq)
{
	memset(t, 0, sizeof(*t));
	if (count == 0 || count > QUAL_MAX_COUNT || nb_rxq == 0 || nb_rxq > QUAL_MAX_RXQ)
		return -EINVAL;
	t->count = count;
	t->nb_rxq = nb_rxq;
	t->net = *net;
	for (int c = 0; c < QC_COUNT; c++) {
		t->seen[c] = calloc(count, 1);
		if (!t->seen[c]) {
			qual_tally_free(t);
			return -ENOMEM;
		}
	}
	return 0;
}

void qual_tally_free(struct qual_tally *t)
{
	for (int c = 0; c < QC_COUNT; c++) {
		free(t->seen[c]);
		t->seen[c] = NULL;
	}
}

void qual_tally_sent(struct qual_tally *t, enum qual_class c)
{
	t->cls[c].sent++;
}

/* The first byte that differs, or -1 when only the lengths differ, or -2: same. */
static int32_t first_diff(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;

	for (size_t k = 0; k < n; k++)
		if (a[k] != b[k])
			return (int32_t)k;
	return alen == blen ? -2 : -1;
}

void qual_tally_rx(struct qual_tally *t, const uint8_t *buf, size_t len, uint16_t queue)
{
	uint8_t want[QUAL_MAX_FRAME];
	struct qual_layout lay;
	struct qual_class_tally *ct;
	enum qual_class c;
	uint32_t i;
	size_t wlen;
	int32_t d;

	switch (qual_identify(buf, len, t->count, &c, &i)) {
	case QUAL_ID_OTHER:
		t->other++;
		return;
	case QUAL_ID_DAMAGED:
		t->damaged++;
		return;
	case QUAL_ID_OURS:
		break;
	}
	ct = &t->cls[c];
	t->ours++;
	if (queue < QUAL_MAX_RXQ)
		ct->queue[queue]++;
	if (t->seen[c][i] != SEEN_NONE) {
		ct->duplicated++;
		return;
	}
	t->unique++;
	ct->received++;
	wlen = qual_frame_build(&t->net, c, i, want, sizeof(want), &lay);
	d = first_diff(want, wlen, buf, len);
	if (d == -2) {
		t->seen[c][i] = SEEN_INTACT;
		ct->intact++;
		return;
	}
	t->seen[c][i] = SEEN_MANGLED;
	ct->mangled++;
	if (ct->has_mangled_example)
		return;
	ct->has_mangled_example = true;
	ct->mangled_index = i;
	ct->mangled_sent_len = (uint16_t)wlen;
	ct->mangled_recv_len = (uint16_t)(len > 0xFFFF ? 0xFFFF : len);
	ct->mangled_offset = d;
	/* Only the length differs: where it was cut, or "beyond the frame sent". */
	ct->mangled_layer = qual_layer_name(&lay, c, d >= 0 ? (size_t)d : len < wlen ? len : wlen);
}
