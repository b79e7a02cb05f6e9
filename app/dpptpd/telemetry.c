/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Telemetry through DPDK's own library, so that DPDK's dpdk-telemetry.py
 * client works: /dpptp/info. Callbacks run on EAL's telemetry thread, not
 * the control lcore, so they read a snapshot the control loop publishes
 * with atomic stores at every timer scan (20 ms old at most).
 */
#include <string.h>

#include <rte_telemetry.h>

#include "dpptpd.h"

#define SNAP_FIELDS(X)                                                                     \
	X(sessions, "calls now, any phase")                                                \
	X(sessions_up, "calls whose network phase is up")                                 \
	X(connections, "control connections now")                                         \
	X(pool_size, "addresses the pool can hand out")                                   \
	X(pool_in_use, "addresses handed out now")                                        \
	X(sessions_started, "calls accepted since start")                                 \
	X(sessions_reached_up, "calls that reached the network phase since start")        \
	X(connections_accepted, "control connections accepted since start")               \
	X(connections_refused, "control connections refused by admission since start")    \
	X(dp_sessions, "sessions installed in the data plane")                            \
	X(uptime_ms, "milliseconds since start")

#define SNAP_FIELD_(name, help) uint64_t name;
static struct {
	SNAP_FIELDS(SNAP_FIELD_)
} snap;
#undef SNAP_FIELD_

static uint64_t started_ms;

void dpptpd_telemetry_publish(struct dpptpd *d)
{
	struct ip_pool_stats ps;
	uint64_t conns = 0, up = 0;

	for (struct dconn *c = d->conns; c; c = c->next)
		conns += !c->dead;
	const struct pptp_admission_stats *as = pptp_admission_stats(d->adm);
	up = as->up;
	ip_pool_get_stats(d->pool, &ps);
#define PUT(f, v) __atomic_store_n(&snap.f, (uint64_t)(v), __ATOMIC_RELAXED)
	PUT(sessions, d->nb_sessions);
	PUT(sessions_up, up);
	PUT(connections, conns);
	PUT(pool_size, ps.size);
	PUT(pool_in_use, ps.size - ps.free);
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
#define ADD_(name, help)                                                                   \
	rte_tel_data_add_dict_u64(out, #name, __atomic_load_n(&snap.name, __ATOMIC_RELAXED));
	SNAP_FIELDS(ADD_)
#undef ADD_
	return 0;
}

int dpptpd_telemetry_init(struct dpptpd *d)
{
	started_ms = d->now_ms ? d->now_ms : dpptpd_now_ms();
	return rte_telemetry_register_cmd("/dpptp/info", cmd_info,
					  "dpptpd: sessions, connections, pool. No parameters");
}
