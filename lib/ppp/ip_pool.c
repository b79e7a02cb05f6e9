/* SPDX-License-Identifier: BSD-3-Clause */
#include "ip_pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX

enum slot_state { SLOT_FREE, SLOT_USED, SLOT_RESERVED };

struct pool_range {
	uint32_t first;
	uint32_t last;
	uint32_t base; /* index of `first` in the per-address arrays */
};

/* Open-addressing set of static addresses claimed outside every range. */
struct outside_set {
	uint32_t *keys;
	uint8_t *state; /* 0 empty, 1 present, 2 deleted */
	uint32_t cap;   /* a power of two, or 0 */
	uint32_t count;
	uint32_t used; /* present + deleted, what probing has to walk past */
};

struct ip_pool {
	struct pool_range *ranges;
	size_t n_ranges;
	uint32_t n_addrs;
	uint8_t *state;
	uint32_t *next;
	uint32_t *prev;
	uint32_t head;
	uint32_t tail;
	uint32_t n_free;
	uint32_t n_reserved;
	uint64_t exhausted;
	struct outside_set outside;
};

int ip_addr_parse(const char *text, uint32_t *out)
{
	uint32_t addr = 0;
	const char *p = text;

	for (int i = 0; i < 4; i++) {
		unsigned v = 0;
		int digits = 0;

		while (*p >= '0' && *p <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*p++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255)
			return -1;
		addr = addr << 8 | v;
		if (i < 3 && *p++ != '.')
			return -1;
	}
	if (*p != '\0')
		return -1;
	*out = addr;
	return 0;
}

const char *ip_addr_str(uint32_t addr, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 255, (addr >> 8) & 255,
		 addr & 255);
	return buf;
}

int ip_range_parse(const char *text, struct ip_range *out)
{
	char a[32], b[32];
	const char *sep;
	size_t n;

	if ((sep = strchr(text, '/')) != NULL) {
		char *end;
		unsigned long len;
		uint32_t net, mask;

		n = (size_t)(sep - text);
		if (n >= sizeof(a) || sep[1] < '0' || sep[1] > '9')
			return -1;
		memcpy(a, text, n);
		a[n] = '\0';
		len = strtoul(sep + 1, &end, 10);
		if (*end != '\0' || len > 32 || ip_addr_parse(a, &net) != 0)
			return -1;
		mask = len == 0 ? 0 : ~0u << (32 - len);
		if (net & ~mask)
			return -1; /* host bits set: almost certainly a typo */
		out->first = net;
		out->last = net | ~mask;
		if (len <= 30) { /* network and broadcast addresses are no hosts */
			out->first++;
			out->last--;
		}
		return 0;
	}
	if ((sep = strchr(text, '-')) != NULL) {
		n = (size_t)(sep - text);
		if (n >= sizeof(a) || strlen(sep + 1) >= sizeof(b))
			return -1;
		memcpy(a, text, n);
		a[n] = '\0';
		strcpy(b, sep + 1);
		if (ip_addr_parse(a, &out->first) != 0 || ip_addr_parse(b, &out->last) != 0 ||
		    out->first > out->last)
			return -1;
		return 0;
	}
	if (ip_addr_parse(text, &out->first) != 0)
		return -1;
	out->last = out->first;
	return 0;
}

/* ---- the set of claimed addresses outside the ranges ---- */

static uint32_t hash32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

/* Slot of `key`, or NIL; with `insert`, the slot where it would go. */
static uint32_t outside_find(const struct outside_set *s, uint32_t key, bool insert)
{
	uint32_t mask = s->cap - 1, i = hash32(key) & mask, first_deleted = NIL;

	for (uint32_t probes = 0; probes < s->cap; probes++, i = (i + 1) & mask) {
		if (s->state[i] == 0)
			return insert ? (first_deleted != NIL ? first_deleted : i) : NIL;
		if (s->state[i] == 1 && s->keys[i] == key)
			return i;
		if (s->state[i] == 2 && first_deleted == NIL)
			first_deleted = i;
	}
	return insert ? first_deleted : NIL;
}

static int outside_grow(struct outside_set *s)
{
	struct outside_set bigger = { 0 };

	/* Mostly tombstones: rebuild at the same size instead of doubling. */
	if (s->cap == 0)
		bigger.cap = 16;
	else if ((s->count + 1) * 4 <= s->cap)
		bigger.cap = s->cap;
	else
		bigger.cap = s->cap * 2;
	bigger.keys = calloc(bigger.cap, sizeof(*bigger.keys));
	bigger.state = calloc(bigger.cap, 1);
	if (!bigger.keys || !bigger.state) {
		free(bigger.keys);
		free(bigger.state);
		return -1;
	}
	for (uint32_t i = 0; i < s->cap; i++) {
		if (s->state[i] == 1) {
			uint32_t j = outside_find(&bigger, s->keys[i], true);
			bigger.keys[j] = s->keys[i];
			bigger.state[j] = 1;
			bigger.count++;
			bigger.used++;
		}
	}
	free(s->keys);
	free(s->state);
	*s = bigger;
	return 0;
}

static int outside_add(struct outside_set *s, uint32_t key)
{
	uint32_t i;

	if (s->cap && outside_find(s, key, false) != NIL)
		return -1;
	if ((s->used + 1) * 2 > s->cap && outside_grow(s) != 0)
		return -1;
	i = outside_find(s, key, true);
	if (s->state[i] == 0)
		s->used++;
	s->keys[i] = key;
	s->state[i] = 1;
	s->count++;
	return 0;
}

static int outside_remove(struct outside_set *s, uint32_t key)
{
	uint32_t i = s->cap ? outside_find(s, key, false) : NIL;

	if (i == NIL)
		return -1;
	s->state[i] = 2;
	s->count--;
	return 0;
}

/* ---- the ranges ---- */

/* Position of addr in the per-address arrays, or NIL if in no range. */
static uint32_t index_of(const struct ip_pool *p, uint32_t addr)
{
	size_t lo = 0, hi = p->n_ranges;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct pool_range *r = &p->ranges[mid];

		if (addr < r->first)
			hi = mid;
		else if (addr > r->last)
			lo = mid + 1;
		else
			return r->base + (addr - r->first);
	}
	return NIL;
}

static uint32_t addr_of(const struct ip_pool *p, uint32_t idx)
{
	size_t lo = 0, hi = p->n_ranges;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->ranges[mid].base <= idx)
			lo = mid;
		else
			hi = mid;
	}
	return p->ranges[lo].first + (idx - p->ranges[lo].base);
}

static void list_unlink(struct ip_pool *p, uint32_t i)
{
	if (p->prev[i] != NIL)
		p->next[p->prev[i]] = p->next[i];
	else
		p->head = p->next[i];
	if (p->next[i] != NIL)
		p->prev[p->next[i]] = p->prev[i];
	else
		p->tail = p->prev[i];
	p->next[i] = p->prev[i] = NIL;
	p->n_free--;
}

static void list_append(struct ip_pool *p, uint32_t i)
{
	p->prev[i] = p->tail;
	p->next[i] = NIL;
	if (p->tail != NIL)
		p->next[p->tail] = i;
	else
		p->head = i;
	p->tail = i;
	p->n_free++;
}

static int cmp_range(const void *a, const void *b)
{
	const struct ip_range *x = a, *y = b;
	return x->first < y->first ? -1 : x->first > y->first;
}

struct ip_pool *ip_pool_create(const struct ip_range *ranges, size_t n_ranges,
			       const uint32_t *reserved, size_t n_reserved, char *err,
			       size_t err_len)
{
	struct ip_range sorted[IP_POOL_MAX_RANGES];
	struct ip_pool *p;
	uint64_t total = 0;

	if (n_ranges == 0 || n_ranges > IP_POOL_MAX_RANGES) {
		snprintf(err, err_len, "a pool needs 1 to %d ranges", IP_POOL_MAX_RANGES);
		return NULL;
	}
	memcpy(sorted, ranges, n_ranges * sizeof(*ranges));
	qsort(sorted, n_ranges, sizeof(*sorted), cmp_range);
	for (size_t i = 0; i < n_ranges; i++) {
		char a[16], b[16];
		if (sorted[i].first > sorted[i].last) {
			snprintf(err, err_len, "range %s-%s is empty",
				 ip_addr_str(sorted[i].first, a), ip_addr_str(sorted[i].last, b));
			return NULL;
		}
		if (i > 0 && sorted[i].first <= sorted[i - 1].last) {
			snprintf(err, err_len, "ranges overlap at %s",
				 ip_addr_str(sorted[i].first, a));
			return NULL;
		}
		total += (uint64_t)sorted[i].last - sorted[i].first + 1;
	}
	if (total > IP_POOL_MAX_ADDRS) {
		snprintf(err, err_len, "%llu addresses is more than the %u a pool may hold",
			 (unsigned long long)total, IP_POOL_MAX_ADDRS);
		return NULL;
	}

	p = calloc(1, sizeof(*p));
	if (!p)
		goto nomem;
	p->n_addrs = (uint32_t)total;
	p->n_ranges = n_ranges;
	p->ranges = calloc(n_ranges, sizeof(*p->ranges));
	p->state = calloc(total, 1);
	p->next = malloc(total * sizeof(uint32_t));
	p->prev = malloc(total * sizeof(uint32_t));
	if (!p->ranges || !p->state || !p->next || !p->prev)
		goto nomem;
	for (size_t i = 0, base = 0; i < n_ranges; i++) {
		p->ranges[i].first = sorted[i].first;
		p->ranges[i].last = sorted[i].last;
		p->ranges[i].base = (uint32_t)base;
		base += sorted[i].last - sorted[i].first + 1;
	}
	for (size_t i = 0; i < n_reserved; i++) {
		uint32_t idx = index_of(p, reserved[i]);
		if (idx != NIL && p->state[idx] != SLOT_RESERVED) {
			p->state[idx] = SLOT_RESERVED;
			p->n_reserved++;
		}
	}
	p->head = p->tail = NIL;
	for (uint32_t i = 0; i < p->n_addrs; i++) {
		p->next[i] = p->prev[i] = NIL;
		if (p->state[i] == SLOT_FREE)
			list_append(p, i);
	}
	return p;
nomem:
	snprintf(err, err_len, "out of memory");
	ip_pool_free(p);
	return NULL;
}

void ip_pool_free(struct ip_pool *p)
{
	if (!p)
		return;
	free(p->ranges);
	free(p->state);
	free(p->next);
	free(p->prev);
	free(p->outside.keys);
	free(p->outside.state);
	free(p);
}

/* Claim in `to` an address in use in `from`; -1 (err filled) if reserved there. */
static int carry_over(struct ip_pool *to, uint32_t addr, char *err, size_t err_len)
{
	char a[16];

	if (ip_pool_claim(to, addr) == 0)
		return 0;
	snprintf(err, err_len, "%s is in use and would be reserved", ip_addr_str(addr, a));
	return -1;
}

int ip_pool_reshape(struct ip_pool *p, const struct ip_range *ranges, size_t n_ranges,
		    const uint32_t *reserved, size_t n_reserved, char *err, size_t err_len)
{
	struct ip_pool *n = ip_pool_create(ranges, n_ranges, reserved, n_reserved, err, err_len);
	struct ip_pool old;

	if (!n)
		return -1;
	for (uint32_t i = 0; i < p->n_addrs; i++)
		if (p->state[i] == SLOT_USED && carry_over(n, addr_of(p, i), err, err_len) != 0)
			goto refuse;
	for (uint32_t i = 0; i < p->outside.cap; i++)
		if (p->outside.state[i] == 1 && carry_over(n, p->outside.keys[i], err, err_len) != 0)
			goto refuse;
	n->exhausted = p->exhausted;
	old = *p;
	*p = *n;
	*n = old;
	ip_pool_free(n);
	return 0;
refuse:
	ip_pool_free(n);
	return -1;
}

int ip_pool_alloc(struct ip_pool *p, uint32_t *addr)
{
	uint32_t i = p->head;

	if (i == NIL) {
		p->exhausted++;
		return -1;
	}
	list_unlink(p, i);
	p->state[i] = SLOT_USED;
	*addr = addr_of(p, i);
	return 0;
}

int ip_pool_claim(struct ip_pool *p, uint32_t addr)
{
	uint32_t i;

	if (addr == 0 || addr == UINT32_MAX)
		return -1;
	i = index_of(p, addr);
	if (i == NIL)
		return outside_add(&p->outside, addr);
	if (p->state[i] != SLOT_FREE)
		return -1;
	list_unlink(p, i);
	p->state[i] = SLOT_USED;
	return 0;
}

int ip_pool_release(struct ip_pool *p, uint32_t addr)
{
	uint32_t i = index_of(p, addr);

	if (i == NIL)
		return outside_remove(&p->outside, addr);
	if (p->state[i] != SLOT_USED)
		return -1;
	p->state[i] = SLOT_FREE;
	list_append(p, i);
	return 0;
}

bool ip_pool_contains(const struct ip_pool *p, uint32_t addr)
{
	return index_of(p, addr) != NIL;
}

bool ip_pool_in_use(const struct ip_pool *p, uint32_t addr)
{
	uint32_t i = index_of(p, addr);

	if (i == NIL)
		return p->outside.cap && outside_find(&p->outside, addr, false) != NIL;
	return p->state[i] == SLOT_USED;
}

void ip_pool_get_stats(const struct ip_pool *p, struct ip_pool_stats *st)
{
	st->size = p->n_addrs - p->n_reserved;
	st->free = p->n_free;
	st->reserved = p->n_reserved;
	st->outside = p->outside.count;
	st->exhausted = p->exhausted;
}
