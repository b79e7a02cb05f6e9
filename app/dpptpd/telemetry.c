/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Telemetry through DPDK's own library, so that DPDK's dpdk-telemetry.py and
 * dpptpctl both work:
 *
 *   /dpptp/info                   version, sessions, connections, pool, uptime
 *   /dpptp/stats                  ports, workers (every counter), rings, control
 *   /dpptp/worker,<n>             one worker's counters
 *   /dpptp/sessions[,<from>]      sessions in slot order, 64 per page, "next"
 *   /dpptp/session,<id>           one session: call IDs, peer, user, address,
 *                                 phase, uptime, data-plane and PPP counters
 *   /dpptp/pool                   the address pool
 *   /dpptp/disconnect,<spec>      <id> | user=<name> | address=<a.b.c.d>
 *
 * Callbacks run on EAL's telemetry thread. /dpptp/info reads a snapshot the
 * control loop publishes; every other command is handed to the control loop
 * through a one-slot mailbox and answered from there (it owns the data), the
 * caller waiting at most a second.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_ethdev.h>
#include <rte_telemetry.h>

#include "dpptpd.h"
#include "mppe/mppe.h"

#define PAGE 64

#define SNAP_FIELDS(X)                                                                     \
	X(sessions) X(sessions_up) X(connections) X(pool_size) X(pool_in_use)                \
	X(sessions_started) X(sessions_reached_up) X(connections_accepted)                 \
	X(connections_refused) X(dp_sessions) X(uptime_ms)

#define SNAP_FIELD_(name) uint64_t name;
static struct {
	SNAP_FIELDS(SNAP_FIELD_)
} snap;
#undef SNAP_FIELD_

static uint64_t started_ms;

/* ---- the mailbox ---- */

struct tel_req {
	const char *cmd;
	const char *params;
	struct rte_tel_data *out;
	int rc;
	bool done;
};

static pthread_mutex_t mbox_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t mbox_cond = PTHREAD_COND_INITIALIZER;
static struct tel_req *mbox;    /* the request waiting for the control loop */
static volatile int loop_alive; /* the control loop serves the mailbox */

static int via_control_loop(const char *cmd, const char *params, struct rte_tel_data *out)
{
	struct tel_req req = { .cmd = cmd, .params = params, .out = out, .rc = -EAGAIN };
	struct timespec until;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 1;
	pthread_mutex_lock(&mbox_lock);
	while (mbox && rc == 0 && loop_alive)
		rc = pthread_cond_timedwait(&mbox_cond, &mbox_lock, &until);
	if (!loop_alive || mbox) {
		pthread_mutex_unlock(&mbox_lock);
		return -EBUSY;
	}
	mbox = &req;
	/* Once posted, the loop owns `req` until done: wait without a deadline
	 * (it serves the mailbox at every iteration, within a millisecond). */
	while (!req.done && loop_alive)
		pthread_cond_wait(&mbox_cond, &mbox_lock);
	if (!req.done)
		mbox = NULL;
	pthread_cond_broadcast(&mbox_cond);
	pthread_mutex_unlock(&mbox_lock);
	return req.done ? req.rc : -ESHUTDOWN;
}

/* ---- answers (control lcore) ---- */

static void add_ip(struct rte_tel_data *t, const char *name, uint32_t host_order)
{
	char s[16];
	uint32_t be = htonl(host_order);
	inet_ntop(AF_INET, &be, s, sizeof(s));
	rte_tel_data_add_dict_string(t, name, s);
}

static void session_summary(struct dpptpd *d, const struct dsession *s, struct rte_tel_data *t)
{
	rte_tel_data_start_dict(t);
	rte_tel_data_add_dict_u64(t, "id", s->dpid);
	rte_tel_data_add_dict_int(t, "call_id", s->call_id);
	rte_tel_data_add_dict_int(t, "peer_call_id", s->peer_call_id);
	add_ip(t, "peer", s->peer_addr);
	rte_tel_data_add_dict_string(t, "user", s->user[0] ? s->user
					: (s->ppp && ppp_session_user(s->ppp) ? ppp_session_user(s->ppp) : ""));
	if (s->sub_addr)
		add_ip(t, "address", s->sub_addr);
	else
		rte_tel_data_add_dict_string(t, "address", "");
	rte_tel_data_add_dict_string(t, "phase", s->ppp ? ppp_phase_name(ppp_session_phase(s->ppp))
							 : "starting");
	rte_tel_data_add_dict_string(t, "state", s->net_up ? "up" : "negotiating");
	rte_tel_data_add_dict_u64(t, "uptime_s", (d->now_ms - s->started_ms) / 1000);
}

/* DPDK 22.11's telemetry nests containers one level deep only: the page is
 * a dict holding "total", "count", "next" and one dict per session, keyed
 * by its id. */
static int answer_sessions(struct dpptpd *d, const char *params, struct rte_tel_data *out)
{
	uint32_t from = params && *params ? (uint32_t)strtoul(params, NULL, 0) : 0;
	unsigned int n = 0;
	uint32_t slot = from;

	rte_tel_data_start_dict(out);
	rte_tel_data_add_dict_u64(out, "total", d->nb_sessions);
	for (; slot < d->nb_slots && n < PAGE; slot++) {
		struct dsession *s = d->by_slot[slot];
		if (!s || s->ppp_done)
			continue;
		struct rte_tel_data *one = rte_tel_data_alloc();
		if (!one)
			break;
		char key[24];
		snprintf(key, sizeof(key), "%" PRIu64, s->dpid);
		session_summary(d, s, one);
		rte_tel_data_add_dict_container(out, key, one, 0);
		n++;
	}
	uint32_t next = slot;
	while (next < d->nb_slots && !d->by_slot[next])
		next++;
	rte_tel_data_add_dict_int(out, "count", (int)n);
	rte_tel_data_add_dict_int(out, "next", next < d->nb_slots ? (int)next : -1);
	return 0;
}

static struct dsession *find_session(struct dpptpd *d, const char *params)
{
	if (!params || !*params)
		return NULL;
	uint64_t id = strtoull(params, NULL, 0);
	uint32_t slot = (uint32_t)id;
	if (slot < d->nb_slots && d->by_slot[slot] && d->by_slot[slot]->dpid == id)
		return d->by_slot[slot];
	return NULL;
}

static int answer_session(struct dpptpd *d, const char *params, struct rte_tel_data *out)
{
	struct dsession *s = find_session(d, params);
	struct dp_session_counters c;
	struct dp_session_info di;
	struct ppp_counters pc;

	if (!s)
		return -ENOENT;
	session_summary(d, s, out);
	if (s->conn)
		rte_tel_data_add_dict_string(out, "connection", s->conn->peer_str);
	if (dp_session_read_info(d->dp, s->dpid, &di) == 0) {
		rte_tel_data_add_dict_int(out, "worker", (int)di.owner);
		rte_tel_data_add_dict_u64(out, "gre_tx_seq", di.tx_seq);
		rte_tel_data_add_dict_u64(out, "gre_rx_seq", di.rx_seq);
		rte_tel_data_add_dict_u64(out, "gre_peer_ack", di.peer_ack);
	}
	struct rte_tel_data *t;
	if (dp_session_read_counters(d->dp, s->dpid, &c) == 0 && (t = rte_tel_data_alloc())) {
		const uint64_t *v = (const uint64_t *)&c;
		rte_tel_data_start_dict(t);
		for (unsigned int i = 0; i < dp_session_counter_count; i++)
			rte_tel_data_add_dict_u64(t, dp_session_counter_names[i], v[i]);
		rte_tel_data_add_dict_container(out, "dataplane", t, 0);
	}
	if (s->ppp && (t = rte_tel_data_alloc())) {
		ppp_session_get_counters(s->ppp, &pc);
		rte_tel_data_start_dict(t);
		rte_tel_data_add_dict_u64(t, "rx_frames", pc.rx_frames);
		rte_tel_data_add_dict_u64(t, "tx_frames", pc.tx_frames);
		rte_tel_data_add_dict_u64(t, "malformed", pc.malformed_total);
		rte_tel_data_add_dict_u64(t, "echo_req_sent", pc.echo_req_sent);
		rte_tel_data_add_dict_u64(t, "echo_rep_rcvd", pc.echo_rep_rcvd);
		rte_tel_data_add_dict_u64(t, "echo_skipped", pc.echo_skipped);
		rte_tel_data_add_dict_u64(t, "auth_attempts", pc.auth_attempts);
		rte_tel_data_add_dict_u64(t, "auth_failures", pc.auth_failures);
		rte_tel_data_add_dict_container(out, "ppp", t, 0);
	}
	struct mppe_counters tx, rx;
	if (!(t = rte_tel_data_alloc()))
		return 0;
	rte_tel_data_start_dict(t);
	rte_tel_data_add_dict_string(t, "mode", s->mppe_desc[0] ? s->mppe_desc : "off");
	if (s->mppe_desc[0] && dp_session_read_mppe(d->dp, s->dpid, &tx, &rx) == 0) {
		/* One level of nesting only (the telemetry library): prefixed names. */
		rte_tel_data_add_dict_u64(t, "tx_rekeys", tx.rekeys);
		rte_tel_data_add_dict_u64(t, "tx_flushes", tx.flushes);
		rte_tel_data_add_dict_u64(t, "rx_rekeys", rx.rekeys);
		rte_tel_data_add_dict_u64(t, "rx_reordered", rx.reordered);
		rte_tel_data_add_dict_u64(t, "rx_lost", rx.lost);
		rte_tel_data_add_dict_u64(t, "rx_format", rx.format);
		rte_tel_data_add_dict_u64(t, "rx_late", rx.late);
		rte_tel_data_add_dict_u64(t, "rx_jump", rx.jump);
		rte_tel_data_add_dict_u64(t, "rx_resync", rx.resync);
		rte_tel_data_add_dict_u64(t, "rx_sync_lost", rx.sync_lost);
		rte_tel_data_add_dict_u64(t, "rx_flushes", rx.flushes);
	}
	rte_tel_data_add_dict_container(out, "mppe", t, 0);
	return 0;
}

static void add_worker_counters(struct rte_tel_data *t, const struct dp_worker_counters *c)
{
	const uint64_t *v = (const uint64_t *)c;
	rte_tel_data_start_dict(t);
	for (unsigned int i = 0; i < dp_worker_counter_count; i++)
		rte_tel_data_add_dict_u64(t, dp_worker_counter_names[i], v[i]);
	for (int r = 1; r < PROTO_ERR_MAX; r++)
		if (c->gre_reject[r]) {
			char name[64];
			snprintf(name, sizeof(name), "gre_reject_%s", proto_errname(-r));
			rte_tel_data_add_dict_u64(t, name, c->gre_reject[r]);
		}
}

void dpptpd_tel_key(char *buf, size_t len, const char *prefix, const char *name)
{
	snprintf(buf, len, "%s%s", prefix, name);
	for (char *c = buf; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '_' && *c != '/')
			*c = '_';
}

static int answer_stats(struct dpptpd *d, struct rte_tel_data *out)
{
	struct dp_worker_counters wc;
	struct dp_ring_stats rs;
	struct rte_tel_data *work = rte_tel_data_alloc(), *rings = rte_tel_data_alloc(),
			    *ctl = rte_tel_data_alloc();

	if (!work || !rings || !ctl) {
		rte_tel_data_free(work);
		rte_tel_data_free(rings);
		rte_tel_data_free(ctl);
		return -ENOMEM;
	}
	/* One level of nesting: "port_<name>", "workers", "rings", "control". */
	rte_tel_data_start_dict(out);
	for (unsigned int i = 0; i < d->nb_ports; i++) {
		struct rte_eth_stats es;
		struct rte_tel_data *p = rte_tel_data_alloc();
		if (!p || rte_eth_stats_get(d->ports[i].port_id, &es) != 0) {
			rte_tel_data_free(p);
			continue;
		}
		rte_tel_data_start_dict(p);
		rte_tel_data_add_dict_u64(p, "ipackets", es.ipackets);
		rte_tel_data_add_dict_u64(p, "opackets", es.opackets);
		rte_tel_data_add_dict_u64(p, "ibytes", es.ibytes);
		rte_tel_data_add_dict_u64(p, "obytes", es.obytes);
		rte_tel_data_add_dict_u64(p, "imissed", es.imissed);
		rte_tel_data_add_dict_u64(p, "ierrors", es.ierrors);
		rte_tel_data_add_dict_u64(p, "oerrors", es.oerrors);
		rte_tel_data_add_dict_u64(p, "rx_nombuf", es.rx_nombuf);
		char key[48];
		dpptpd_tel_key(key, sizeof(key), "port_", d->ports[i].name);
		rte_tel_data_add_dict_container(out, key, p, 0);
	}
	dp_read_worker_counters(d->dp, -1, &wc);
	add_worker_counters(work, &wc);
	rte_tel_data_add_dict_container(out, "workers", work, 0);
	dp_read_ring_stats(d->dp, &rs);
	rte_tel_data_start_dict(rings);
	rte_tel_data_add_dict_u64(rings, "up_full", rs.up_full);
	rte_tel_data_add_dict_u64(rings, "down_full", rs.down_full);
	rte_tel_data_add_dict_u64(rings, "up_used", rs.up_used);
	rte_tel_data_add_dict_u64(rings, "down_used", rs.down_used);
	rte_tel_data_add_dict_container(out, "rings", rings, 0);
	const struct pptp_admission_stats *as = pptp_admission_stats(d->adm);
	rte_tel_data_start_dict(ctl);
	rte_tel_data_add_dict_u64(ctl, "sessions", d->nb_sessions);
	rte_tel_data_add_dict_u64(ctl, "sessions_setup", as->setup);
	rte_tel_data_add_dict_u64(ctl, "sessions_up", as->up);
	for (int v = 0; v < PPTP_ADMIT_COUNT_; v++) {
		char name[64];
		snprintf(name, sizeof(name), "connections_%s", pptp_admit_name(v));
		rte_tel_data_add_dict_u64(ctl, name, as->connections[v]);
	}
	rte_tel_data_add_dict_container(out, "control", ctl, 0);
	rte_tel_data_add_dict_int(out, "nb_workers", (int)dp_nb_workers(d->dp));
	return 0;
}

static int answer_worker(struct dpptpd *d, const char *params, struct rte_tel_data *out)
{
	struct dp_worker_counters wc;
	if (!params || !*params)
		return -EINVAL;
	int w = atoi(params);
	if (w < 0 || (unsigned int)w >= dp_nb_workers(d->dp))
		return -ENOENT;
	dp_read_worker_counters(d->dp, w, &wc);
	add_worker_counters(out, &wc);
	return 0;
}

static int answer_pool(struct dpptpd *d, struct rte_tel_data *out)
{
	struct ip_pool_stats ps;
	ip_pool_get_stats(d->pool, &ps);
	rte_tel_data_start_dict(out);
	rte_tel_data_add_dict_string(out, "name", d->cfg->pools[d->cfg->ppp.pool_index].name);
	rte_tel_data_add_dict_u64(out, "size", ps.size);
	rte_tel_data_add_dict_u64(out, "in_use", ps.size - ps.free + ps.outside);
	rte_tel_data_add_dict_u64(out, "free", ps.free);
	rte_tel_data_add_dict_u64(out, "reserved", ps.reserved);
	rte_tel_data_add_dict_u64(out, "outside", ps.outside);
	rte_tel_data_add_dict_u64(out, "exhausted", ps.exhausted);
	return 0;
}

/* <id> | user=<name> | address=<a.b.c.d>: every matching session goes. */
static int answer_disconnect(struct dpptpd *d, const char *params, struct rte_tel_data *out)
{
	unsigned int n = 0;
	struct in_addr a = { 0 };
	const char *user = NULL;

	if (!params || !*params)
		return -EINVAL;
	if (!strncmp(params, "user=", 5))
		user = params + 5;
	else if (!strncmp(params, "address=", 8) && inet_pton(AF_INET, params + 8, &a) != 1)
		return -EINVAL;
	for (uint32_t slot = 1; slot < d->nb_slots; slot++) {
		struct dsession *s = d->by_slot[slot];
		if (!s || s->ppp_done)
			continue;
		bool match;
		if (user) {
			const char *u = s->user[0] ? s->user : ppp_session_user(s->ppp);
			match = u && !strcmp(u, user);
		} else if (a.s_addr) {
			match = s->sub_addr == ntohl(a.s_addr);
		} else {
			match = s->dpid == strtoull(params, NULL, 0);
		}
		if (match) {
			dpptpd_session_disconnect(d, s); /* may free s */
			n++;
		}
	}
	if (n == 0)
		return -ENOENT;
	rte_tel_data_start_dict(out);
	rte_tel_data_add_dict_int(out, "disconnected", (int)n);
	return 0;
}

static int answer(struct dpptpd *d, struct tel_req *r)
{
	if (!strcmp(r->cmd, "/dpptp/sessions"))
		return answer_sessions(d, r->params, r->out);
	if (!strcmp(r->cmd, "/dpptp/session"))
		return answer_session(d, r->params, r->out);
	if (!strcmp(r->cmd, "/dpptp/stats"))
		return answer_stats(d, r->out);
	if (!strcmp(r->cmd, "/dpptp/worker"))
		return answer_worker(d, r->params, r->out);
	if (!strcmp(r->cmd, "/dpptp/pool"))
		return answer_pool(d, r->out);
	if (!strcmp(r->cmd, "/dpptp/disconnect"))
		return answer_disconnect(d, r->params, r->out);
	if (!strcmp(r->cmd, "/dpptp/capture"))
		return dpptpd_capture_command(d, r->params, r->out);
	return -EINVAL;
}

/* Called by the control loop at every iteration. */
void dpptpd_telemetry_serve(struct dpptpd *d)
{
	if (!__atomic_load_n(&mbox, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&mbox_lock);
	struct tel_req *r = mbox;
	if (r && !r->done) {
		int rc = answer(d, r);
		if (rc != 0) {
			/* An error is an answer too: {"error": "..."} */
			rte_tel_data_start_dict(r->out);
			rte_tel_data_add_dict_string(r->out, "error",
						     rc == -ENOENT ? "no such session" : strerror(-rc));
		}
		r->rc = 0;
		r->done = true;
		mbox = NULL;
		pthread_cond_broadcast(&mbox_cond);
	}
	pthread_mutex_unlock(&mbox_lock);
}

void dpptpd_telemetry_stop(void)
{
	pthread_mutex_lock(&mbox_lock);
	loop_alive = 0;
	pthread_cond_broadcast(&mbox_cond);
	pthread_mutex_unlock(&mbox_lock);
}

/* ---- /dpptp/info from the snapshot ---- */

void dpptpd_telemetry_publish(struct dpptpd *d)
{
	struct ip_pool_stats ps;
	uint64_t conns = 0;

	for (struct dconn *c = d->conns; c; c = c->next)
		conns += !c->dead;
	ip_pool_get_stats(d->pool, &ps);
#define PUT(f, v) __atomic_store_n(&snap.f, (uint64_t)(v), __ATOMIC_RELAXED)
	PUT(sessions, d->nb_sessions);
	PUT(sessions_up, pptp_admission_stats(d->adm)->up);
	PUT(connections, conns);
	PUT(pool_size, ps.size);
	PUT(pool_in_use, ps.size - ps.free + ps.outside);
	PUT(sessions_started, d->sessions_started);
	PUT(sessions_reached_up, d->sessions_up);
	PUT(connections_accepted, d->connections_accepted);
	PUT(connections_refused, d->connections_refused);
	PUT(dp_sessions, dp_nb_sessions(d->dp));
	PUT(uptime_ms, d->now_ms - started_ms);
#undef PUT
}

static int cmd_info(const char *cmd, const char *params, struct rte_tel_data *out)
{
	(void)cmd, (void)params;
	rte_tel_data_start_dict(out);
	rte_tel_data_add_dict_string(out, "version", "dpptp 0.1");
#define ADD_(name)                                                                         \
	rte_tel_data_add_dict_u64(out, #name, __atomic_load_n(&snap.name, __ATOMIC_RELAXED));
	SNAP_FIELDS(ADD_)
#undef ADD_
	return 0;
}

static int cmd_generic(const char *cmd, const char *params, struct rte_tel_data *out)
{
	int rc = via_control_loop(cmd, params, out);
	if (rc != 0) {
		rte_tel_data_start_dict(out);
		rte_tel_data_add_dict_string(out, "error", rc == -EBUSY ? "daemon busy or stopping"
									: strerror(-rc));
	}
	return 0;
}

int dpptpd_telemetry_init(struct dpptpd *d)
{
	static const struct {
		const char *cmd, *help;
	} cmds[] = {
		{ "/dpptp/stats", "dpptpd: ports, workers, rings, control. No parameters" },
		{ "/dpptp/worker", "dpptpd: one worker's counters. Parameter: worker index" },
		{ "/dpptp/sessions", "dpptpd: sessions, 64 per page. Parameter: first slot (\"next\")" },
		{ "/dpptp/session", "dpptpd: one session. Parameter: session id" },
		{ "/dpptp/pool", "dpptpd: the address pool. No parameters" },
		{ "/dpptp/disconnect", "dpptpd: close sessions. Parameter: id, user=NAME or address=A" },
		{ "/dpptp/capture", "dpptpd: start|stop|status a capture (see dpptpctl capture)" },
	};
	int rc;

	started_ms = d->now_ms ? d->now_ms : dpptpd_now_ms();
	loop_alive = 1;
	rc = rte_telemetry_register_cmd("/dpptp/info", cmd_info,
					"dpptpd: sessions, connections, pool. No parameters");
	for (size_t i = 0; rc == 0 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		rc = rte_telemetry_register_cmd(cmds[i].cmd, cmd_generic, cmds[i].help);
	return rc;
}
