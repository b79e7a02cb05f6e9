/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Call-ID allocator: which of our PPTP call IDs are in use.
 *
 * Our call ID is the GRE key the peer puts on every packet it sends us, and
 * the data path finds a session by (our call ID, the peer's address), so one
 * ID may never be handed to two live calls. One allocator is shared by every
 * control connection of the daemon.
 *
 * A bitmap of 65,536 bits, allocated round-robin: the search starts after the
 * ID handed out last, so a released ID is reused as late as possible and a
 * late GRE packet of a finished call does not land in a new one. ID 0 is never
 * handed out (it marks "no call" in replies that refuse one). Allocation is
 * O(words) worst case (1,024 64-bit words), release O(1). Not thread-safe: the
 * control lcore is its only user.
 */
#ifndef DPPTP_PPTP_CALL_ID_H
#define DPPTP_PPTP_CALL_ID_H

#include <stdbool.h>
#include <stdint.h>

#define PPTP_CALL_ID_USABLE 65535u /* 1..65535 */

struct pptp_call_id_allocator;

/* A new allocator with every ID free; NULL if out of memory. */
struct pptp_call_id_allocator *pptp_call_id_allocator_new(void);
void pptp_call_id_allocator_free(struct pptp_call_id_allocator *a);

/* The next free ID after the last one handed out; 0 when all are in use. */
uint16_t pptp_call_id_alloc(struct pptp_call_id_allocator *a);

/* Give `id` back. False (and nothing changes) if it was not in use or is 0. */
bool pptp_call_id_release(struct pptp_call_id_allocator *a, uint16_t id);

bool pptp_call_id_in_use(const struct pptp_call_id_allocator *a, uint16_t id);

/* How many IDs are in use. */
uint32_t pptp_call_id_used(const struct pptp_call_id_allocator *a);

#endif /* DPPTP_PPTP_CALL_ID_H */
