/* SPDX-License-Identifier: BSD-3-Clause */
#include "pptp/call_id.h"

#include <stdlib.h>

#define ID_SPACE 65536u
#define WORD_BITS 64u
#define WORDS (ID_SPACE / WORD_BITS)

struct pptp_call_id_allocator {
	/* Bit (id % 64) of word (id / 64) is set while `id` is in use. The bit
	 * of ID 0 is set for good, so the search skips it like a busy ID. */
	uint64_t used[WORDS];
	uint16_t last;  /* the ID handed out last: the next search starts after it */
	uint32_t count; /* IDs in use, 0 not counted */
};

struct pptp_call_id_allocator *pptp_call_id_allocator_new(void)
{
	struct pptp_call_id_allocator *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->used[0] = 1; /* ID 0 */
	return a;
}

void pptp_call_id_allocator_free(struct pptp_call_id_allocator *a)
{
	free(a);
}

uint16_t pptp_call_id_alloc(struct pptp_call_id_allocator *a)
{
	uint32_t start = ((uint32_t)a->last + 1) % ID_SPACE;
	uint32_t w = start / WORD_BITS;
	/* First word: only the bits at or after `start`; the bits below it are
	 * looked at last, when the scan has wrapped around to this word. */
	uint64_t free_bits = ~a->used[w] & (~0ull << (start % WORD_BITS));

	if (a->count >= PPTP_CALL_ID_USABLE)
		return 0;
	for (uint32_t scanned = 0; scanned <= WORDS; scanned++) {
		if (free_bits) {
			uint32_t bit = (uint32_t)__builtin_ctzll(free_bits);
			uint16_t id = (uint16_t)(w * WORD_BITS + bit);

			a->used[w] |= 1ull << bit;
			a->last = id;
			a->count++;
			return id;
		}
		w = (w + 1) % WORDS;
		free_bits = ~a->used[w];
	}
	return 0; /* unreachable while count says an ID is free */
}

bool pptp_call_id_release(struct pptp_call_id_allocator *a, uint16_t id)
{
	uint64_t bit = 1ull << (id % WORD_BITS);

	if (id == 0 || !(a->used[id / WORD_BITS] & bit))
		return false;
	a->used[id / WORD_BITS] &= ~bit;
	a->count--;
	return true;
}

bool pptp_call_id_in_use(const struct pptp_call_id_allocator *a, uint16_t id)
{
	return id != 0 && (a->used[id / WORD_BITS] >> (id % WORD_BITS)) & 1u;
}

uint32_t pptp_call_id_used(const struct pptp_call_id_allocator *a)
{
	return a->count;
}
