/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sessions as the control lcore manages them: install, network up/down,
 * removal with safe reclamation, frames down, counters. The control lcore is
 * the only writer of the lookup tables and of a slot's configuration; each
 * change that concerns a worker travels as a message on its down ring.
 */
#include <errno.h>
#include <string.h>

#include <rte_hash.h>
#include <rte_lpm.h>
#include <rte_rcu_qsbr.h>

#include "dp_internal.h"
#include "dp_log.h"

#define ID_SLOT(id) ((uint32_t)((id) & 0xFFFFFFFFu))
#define ID_GEN(id) ((uint32_t)((id) >> 32))

/* The slot of a live session id, or 0. */
static uint32_t live_slot(const struct dp *dp, dp_session_id id)
{
	uint32_t slot = ID_SLOT(id);
	if (slot == 0 || slot > dp->cfg.max_sessions || dp->slots[slot].state != DP_SLOT_LIVE ||
	    dp->sessions[slot].cfg.gen != ID_GEN(id))
		return 0;
	return slot;
}

static struct rte_mbuf *make_msg(struct dp *dp, enum dp_meta_type type, uint32_t slot,
				 const void *data, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp->cfg.pool);
	if (!m)
		return NULL;
	if (len) {
		void *p = rte_pktmbuf_append(m, (uint16_t)len);
		if (!p) {
			rte_pktmbuf_free(m);
			return NULL;
		}
		memcpy(p, data, len);
	}
	struct dp_meta *meta = dp_meta(m);
	memset(meta, 0, sizeof(*meta));
	meta->type = (uint8_t)type;
	meta->slot = slot;
	meta->gen = slot ? dp->sessions[slot].cfg.gen : 0;
	return m;
}

/* Send a message to the slot's owner; 0 or -ENOBUFS/-ENOMEM. */
static int send_msg(struct dp *dp, uint32_t slot, enum dp_meta_type type, const void *data,
		    size_t len)
{
	struct rte_mbuf *m = make_msg(dp, type, slot, data, len);
	if (!m)
		return -ENOMEM;
	if (rte_ring_enqueue(dp->workers[dp->sessions[slot].cfg.owner].down, m) != 0) {
		dp->down_full++;
		dp_msg_free(m);
		return -ENOBUFS;
	}
	return 0;
}

int dp_ctrl_send_raw(struct dp *dp, unsigned int port, struct rte_mbuf *m)
{
	struct dp_meta *meta = dp_meta(m);
	memset(meta, 0, sizeof(*meta));
	meta->type = DP_DOWN_RAW;
	meta->port = (uint8_t)port;
	/* Any worker can send it; the first one does. */
	if (rte_ring_enqueue(dp->workers[0].down, m) != 0) {
		dp->down_full++;
		rte_pktmbuf_free(m);
		return -ENOBUFS;
	}
	return 0;
}

static unsigned int least_loaded_worker(const struct dp *dp)
{
	unsigned int best = 0;
	for (unsigned int w = 1; w < dp->cfg.nb_workers; w++)
		if (dp->workers[w].nb_sessions < dp->workers[best].nb_sessions)
			best = w;
	return best;
}

int dp_session_install(struct dp *dp, const struct dp_session_params *p, dp_session_id *id)
{
	struct dp_decap_key key = { .peer_addr = p->peer_addr, .call_id = p->our_call_id };
	uint32_t slot, gen;
	unsigned int owner;
	int rc;

	if (p->access_port >= dp->cfg.nb_ports ||
	    dp->ports[p->access_port].conf.role != DP_PORT_ACCESS || p->peer_addr == 0)
		return -EINVAL;
	uint32_t held = dp->by_call_id[p->our_call_id];
	if ((held && dp->sessions[held].cfg.peer_addr == p->peer_addr) ||
	    (dp->decap_overflow && rte_hash_lookup(dp->decap_hash, &key) >= 0))
		return -EEXIST;
	if (dp->nb_free == 0)
		return -ENOSPC;
	owner = p->owner >= 0 ? (unsigned int)p->owner % dp->cfg.nb_workers
			      : least_loaded_worker(dp);
	slot = dp->free_slots[--dp->nb_free];
	do
		gen = ++dp->session_gen;
	while (gen == 0);

	/* The slot is unpublished and past its grace period: nobody reads it. */
	struct dp_session *s = &dp->sessions[slot];
	s->cfg.peer_addr = p->peer_addr;
	s->cfg.our_call_id = p->our_call_id;
	s->cfg.peer_call_id = p->peer_call_id;
	s->cfg.peer_window = p->peer_window ? p->peer_window : 64;
	s->cfg.owner = (uint8_t)owner;
	s->cfg.port = (uint8_t)p->access_port;
	memset(&s->init_mac, 0, sizeof(s->init_mac));
	rte_be32_t nh = dp_next_hop(dp, p->access_port, p->peer_addr);
	if (!dp_neigh_lookup_ctrl(dp, p->access_port, nh, &s->init_mac))
		dp_neigh_want(dp, p->access_port, nh);
	__atomic_store_n(&s->cfg.gen, gen, __ATOMIC_RELEASE);

	dp->slots[slot].state = DP_SLOT_LIVE;
	dp->slots[slot].sub_addr = 0;
	/* Tell the owner first; it adopts the slot lazily anyway if the
	 * message loses the race with the first packet. */
	(void)send_msg(dp, slot, DP_DOWN_INSTALL, NULL, 0);
	if (!held) {
		/* Publish: cfg above is visible before the slot number is. */
		dp->slots[slot].in_call_table = true;
		__atomic_store_n(&dp->by_call_id[p->our_call_id], slot, __ATOMIC_RELEASE);
		rc = 0;
	} else {
		dp->slots[slot].in_call_table = false;
		rc = rte_hash_add_key_data(dp->decap_hash, &key, (void *)(uintptr_t)slot);
		if (rc == 0)
			__atomic_store_n(&dp->decap_overflow, dp->decap_overflow + 1,
					 __ATOMIC_RELEASE);
	}
	if (rc != 0) {
		dp->slots[slot].state = DP_SLOT_FREE;
		dp->free_slots[dp->nb_free++] = slot;
		return rc;
	}
	dp->nb_live++;
	dp->workers[owner].nb_sessions++;
	*id = (uint64_t)gen << 32 | slot;
	return 0;
}

int dp_session_set_network(struct dp *dp, dp_session_id id, const struct dp_session_net *n)
{
	uint32_t slot = live_slot(dp, id);
	int rc;

	if (!slot)
		return -ENOENT;
	if (n->sub_addr == 0 || n->mtu < 68)
		return -EINVAL;
	/* Never let a session that must encrypt run clear. */
	if (n->mppe && (!dp->mppe || (n->mppe_bits != 40 && n->mppe_bits != 56 &&
				       n->mppe_bits != 128)))
		return -ENOTSUP;
	uint32_t host = rte_be_to_cpu_32(n->sub_addr);
	if (dp->slots[slot].sub_addr != n->sub_addr) {
		uint32_t other;
		if (rte_lpm_is_rule_present(dp->encap_lpm, host, 32, &other) == 1)
			return -EEXIST; /* another session holds that address */
	}
	rc = send_msg(dp, slot, DP_DOWN_SET_NET, n, sizeof(*n));
	if (rc != 0)
		return rc;
	if (dp->slots[slot].sub_addr && dp->slots[slot].sub_addr != n->sub_addr)
		rte_lpm_delete(dp->encap_lpm, rte_be_to_cpu_32(dp->slots[slot].sub_addr), 32);
	rc = rte_lpm_add(dp->encap_lpm, host, 32, slot);
	if (rc != 0) {
		DP_LOG(ERR, "route for session slot %u: %s", slot, strerror(-rc));
		return rc;
	}
	dp->slots[slot].sub_addr = n->sub_addr;
	dp->slots[slot].mtu = n->mtu;
	return 0;
}

int dp_session_clear_network(struct dp *dp, dp_session_id id)
{
	uint32_t slot = live_slot(dp, id);
	if (!slot)
		return -ENOENT;
	if (dp->slots[slot].sub_addr) {
		rte_lpm_delete(dp->encap_lpm, rte_be_to_cpu_32(dp->slots[slot].sub_addr), 32);
		dp->slots[slot].sub_addr = 0;
	}
	return send_msg(dp, slot, DP_DOWN_CLEAR_NET, NULL, 0);
}

int dp_session_remove(struct dp *dp, dp_session_id id)
{
	uint32_t slot = live_slot(dp, id);
	const struct dp_session *s;

	if (!slot)
		return -ENOENT;
	s = &dp->sessions[slot];
	struct dp_decap_key key = { .peer_addr = s->cfg.peer_addr, .call_id = s->cfg.our_call_id };
	/* No lookup finds it from now on; workers that found it before hold
	 * it at most until their next quiescent state. */
	if (dp->slots[slot].in_call_table) {
		__atomic_store_n(&dp->by_call_id[s->cfg.our_call_id], 0, __ATOMIC_RELEASE);
	} else {
		rte_hash_del_key(dp->decap_hash, &key);
		__atomic_store_n(&dp->decap_overflow, dp->decap_overflow - 1, __ATOMIC_RELEASE);
	}
	if (dp->slots[slot].sub_addr) {
		rte_lpm_delete(dp->encap_lpm, rte_be_to_cpu_32(dp->slots[slot].sub_addr), 32);
		dp->slots[slot].sub_addr = 0;
	}
	dp->slots[slot].state = DP_SLOT_REMOVING;
	dp->nb_live--;
	if (send_msg(dp, slot, DP_DOWN_REMOVE, NULL, 0) != 0)
		dp->remove_retry[dp->nb_remove_retry++] = slot;
	return 0;
}

int dp_session_mppe_flush(struct dp *dp, dp_session_id id)
{
	uint32_t slot = live_slot(dp, id);
	if (!slot)
		return -ENOENT;
	return send_msg(dp, slot, DP_DOWN_MPPE_FLUSH, NULL, 0);
}

int dp_session_send(struct dp *dp, dp_session_id id, const uint8_t *frame, size_t len)
{
	uint32_t slot = live_slot(dp, id);
	if (!slot)
		return -ENOENT;
	if (len == 0 || len > 1500)
		return -EINVAL;
	return send_msg(dp, slot, DP_DOWN_PPP, frame, len);
}

int dp_session_send_ipv4(struct dp *dp, dp_session_id id, const uint8_t *ip, size_t len)
{
	uint32_t slot = live_slot(dp, id);
	if (!slot)
		return -ENOENT;
	if (len < sizeof(struct rte_ipv4_hdr) || len > 1500)
		return -EINVAL;
	return send_msg(dp, slot, DP_DOWN_IP, ip, len);
}

static int read_slot(const struct dp *dp, dp_session_id id)
{
	uint32_t slot = ID_SLOT(id);
	if (slot == 0 || slot > dp->cfg.max_sessions || dp->slots[slot].state == DP_SLOT_FREE ||
	    dp->sessions[slot].cfg.gen != ID_GEN(id))
		return -ENOENT;
	return (int)slot;
}

/* Counters written by their owner as whole 64-bit words: a relaxed read of
 * each sees it whole. */
static void read_counters(void *dst, const void *src, size_t size)
{
	const uint64_t *a = src;
	uint64_t *b = dst;
	for (size_t i = 0; i < size / sizeof(uint64_t); i++)
		b[i] = __atomic_load_n(&a[i], __ATOMIC_RELAXED);
}

int dp_session_read_counters(const struct dp *dp, dp_session_id id,
			     struct dp_session_counters *out)
{
	int slot = read_slot(dp, id);
	if (slot < 0)
		return slot;
	const struct dp_session *s = &dp->sessions[slot];
	if (dp->slots[slot].state == DP_SLOT_GRACE) {
		*out = dp->slots[slot].final;
		return 0;
	}
	/* The owner has not adopted this generation yet: all zero. */
	if (__atomic_load_n(&s->st.gen, __ATOMIC_ACQUIRE) != s->cfg.gen) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	read_counters(out, &s->ctr, sizeof(*out));
	return 0;
}

int dp_session_read_mppe(const struct dp *dp, dp_session_id id, struct mppe_counters *tx,
			 struct mppe_counters *rx)
{
	int slot = read_slot(dp, id);
	if (slot < 0)
		return slot;
	if (!dp->mppe)
		return -ENOTSUP;
	read_counters(tx, &dp->mppe[slot].tx.ctr, sizeof(*tx));
	read_counters(rx, &dp->mppe[slot].rx.ctr, sizeof(*rx));
	return 0;
}

int dp_session_read_info(const struct dp *dp, dp_session_id id, struct dp_session_info *out)
{
	int slot = read_slot(dp, id);
	if (slot < 0)
		return slot;
	const struct dp_session *s = &dp->sessions[slot];
	bool adopted = __atomic_load_n(&s->st.gen, __ATOMIC_ACQUIRE) == s->cfg.gen;
	memset(out, 0, sizeof(*out));
	out->peer_addr = s->cfg.peer_addr;
	out->our_call_id = s->cfg.our_call_id;
	out->peer_call_id = s->cfg.peer_call_id;
	out->owner = s->cfg.owner;
	out->sub_addr = dp->slots[slot].sub_addr;
	if (adopted) {
		out->network_up = __atomic_load_n(&s->st.net_up, __ATOMIC_RELAXED);
		out->tx_seq = __atomic_load_n(&s->st.tx_seq, __ATOMIC_RELAXED);
		out->rx_seq = __atomic_load_n(&s->st.rx_seq, __ATOMIC_RELAXED);
		out->peer_ack = __atomic_load_n(&s->st.peer_ack, __ATOMIC_RELAXED);
	}
	return 0;
}

/* ---- reclamation (called from dp_ctrl_poll) ---- */

/* The owner acknowledged the removal: start the grace period. */
void dp_session_removed(struct dp *dp, uint32_t slot, uint32_t gen,
			const struct dp_session_counters *final)
{
	if (slot == 0 || slot > dp->cfg.max_sessions || dp->slots[slot].state != DP_SLOT_REMOVING ||
	    dp->sessions[slot].cfg.gen != gen)
		return;
	if (final)
		dp->slots[slot].final = *final;
	dp->slots[slot].state = DP_SLOT_GRACE;
	dp->slots[slot].rcu_token = rte_rcu_qsbr_start(dp->qsbr);
	dp->grace[dp->grace_tail++ % (dp->cfg.max_sessions + 1)] = slot;
}

unsigned int dp_session_reclaim(struct dp *dp, const struct dp_ctrl_hooks *hooks, void *arg)
{
	const uint32_t ring = dp->cfg.max_sessions + 1;
	unsigned int n = 0;

	/* Removals whose message did not fit in the owner's ring. */
	for (uint32_t i = 0; i < dp->nb_remove_retry;) {
		uint32_t slot = dp->remove_retry[i];
		if (send_msg(dp, slot, DP_DOWN_REMOVE, NULL, 0) == 0)
			dp->remove_retry[i] = dp->remove_retry[--dp->nb_remove_retry];
		else
			i++;
	}
	/* Tokens grow with time: the oldest removal completes first. */
	while (dp->grace_head != dp->grace_tail) {
		uint32_t slot = dp->grace[dp->grace_head % ring];
		struct dp_slot_ctrl *sc = &dp->slots[slot];
		if (rte_rcu_qsbr_check(dp->qsbr, sc->rcu_token, false) != 1)
			break;
		dp->grace_head++;
		const struct dp_session *s = &dp->sessions[slot];
		dp_session_id id = (uint64_t)s->cfg.gen << 32 | slot;
		sc->state = DP_SLOT_FREE;
		dp->workers[s->cfg.owner].nb_sessions--;
		dp->free_slots[dp->nb_free++] = slot;
		if (hooks && hooks->session_reclaimed)
			hooks->session_reclaimed(arg, id, s->cfg.our_call_id, s->cfg.peer_addr,
						 &sc->final);
		n++;
	}
	return n;
}
