/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpptpd: the concentrator. One process: EAL, the data plane's workers on
 * their lcores, and on the main lcore one event loop that runs the PPTP
 * control connections (kernel TCP sockets on the exception-path tap), one
 * PPP engine per call, and the data plane's control side.
 *
 *   conn.c     TCP 1723 connections, each driving a pptp_conn
 *   session.c  a call: PPTP call + PPP engine + data-plane session
 *   loop.c     the event loop, timers, signals, orderly shutdown
 *   ports.c    ports, tap interfaces and their kernel addresses
 *   setup.c    configuration -> the libraries' configurations
 *   main.c     arguments, start-up, exit
 */
#ifndef DPPTP_DPPTPD_H
#define DPPTP_DPPTPD_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_log.h>

#include "config/dpptpd_config.h"
#include "dataplane/dp.h"
#include "ppp/ip_pool.h"
#include "ppp/ppp_config.h"
#include "ppp/ppp_session.h"
#include "ppp/secrets.h"
#include "ppp/secrets_backend.h"
#include "pptp/admission.h"
#include "pptp/call_id.h"
#include "pptp/ctrl_conn.h"

extern int dpptpd_logtype;

#define DLOG(level, fmt, ...)                                                              \
	rte_log(RTE_LOG_##level, dpptpd_logtype, "dpptpd: " fmt "\n", ##__VA_ARGS__)

struct dconn;
struct dsession;

#define DPPTPD_MAX_STATIC 16

/* A port as the daemon sets it up (from the configuration, setup.c). */
struct dport {
	char name[32];
	char device[256];        /* PCI address or vdev string */
	enum dp_port_role role;
	uint32_t addr;           /* network order */
	uint8_t prefix_len;
	uint32_t gateway;        /* network order, 0: none */
	bool exception;          /* a tap interface with our address */
	char tap_name[16];
	uint16_t rxd;
	uint16_t txd;
	struct {
		uint32_t addr;
		struct rte_ether_addr mac;
	} statics[DPPTPD_MAX_STATIC];
	unsigned int nb_statics;
	/* filled by ports.c */
	uint16_t port_id;
	uint16_t tap_id;
	struct rte_ether_addr mac;
};

struct dpptpd {
	struct dpptpd_config *cfg;
	const char *config_path;
	/* The libraries' configurations, from cfg (setup.c). */
	struct ppp_config ppp_cfg;
	struct pptp_conn_cfg conn_cfg;
	struct pptp_admission_cfg adm_cfg;
	struct pptp_call_id_allocator *call_ids;
	struct pptp_admission *adm;
	struct ip_pool *pool;
	struct ppp_secrets *secrets;
	struct secrets_backend backend;

	/* Data plane. */
	struct dport ports[DP_MAX_PORTS];
	unsigned int nb_ports;
	unsigned int worker_lcores[DP_MAX_WORKERS];
	unsigned int nb_workers;
	struct dp_config dp_cfg;     /* ports, workers and pool filled by ports.c */
	uint32_t nb_mbufs;
	uint32_t mbuf_cache;
	struct rte_mempool *mbufs;
	struct dp *dp;
	unsigned int access_port; /* index into the data plane's ports */

	/* Control plane. */
	int epfd;
	int listen_fd;
	int signal_fd;
	struct dconn *conns;        /* every live TCP connection */
	struct dsession **by_slot;  /* data-plane slot -> session */
	uint32_t nb_slots;
	uint32_t nb_sessions;
	uint64_t now_ms;
	uint64_t next_scan_ms;
	uint64_t next_keepalive_ms;

	/* Orderly shutdown (SIGTERM/SIGINT). */
	bool stopping;
	uint64_t stop_deadline_ms;
	int exit_code;

	/* Totals for the log and telemetry. */
	uint64_t sessions_started;
	uint64_t sessions_up;
	uint64_t connections_accepted;
	uint64_t connections_refused;
};

uint64_t dpptpd_now_ms(void);

/* setup.c */
int dpptpd_setup_libs(struct dpptpd *d, char *err, size_t errlen);
void dpptpd_teardown_libs(struct dpptpd *d);
int dpptpd_pool_apply(struct dpptpd *d, const struct dpptpd_config *c, char *err, size_t errlen);

/* ports.c */
int dpptpd_ports_init(struct dpptpd *d);
void dpptpd_ports_close(struct dpptpd *d);

/* conn.c */
int dpptpd_listen(struct dpptpd *d);
void dpptpd_accept(struct dpptpd *d);
void dpptpd_conn_event(struct dpptpd *d, struct dconn *c, uint32_t events);
void dpptpd_conn_scan(struct dpptpd *d);
void dpptpd_conn_reap(struct dpptpd *d);
void dpptpd_conn_stop_all(struct dpptpd *d);
struct pptp_conn;
extern const struct pptp_conn_hooks dpptpd_conn_hooks;

/* session.c */
void dpptpd_session_disconnect(struct dpptpd *d, struct dsession *s);
enum pptp_call_verdict dpptpd_session_create(struct dpptpd *d, struct dconn *c,
					     struct pptp_call *call, const struct pptp_ocrq *rq);
void dpptpd_session_call_cleared(struct dpptpd *d, struct dsession *s,
				 enum pptp_clear_cause cause);
void dpptpd_session_start_pending(struct dpptpd *d, struct dconn *c);
void dpptpd_session_scan(struct dpptpd *d, bool keepalive);
void dpptpd_session_close_all(struct dpptpd *d);
extern const struct dp_ctrl_hooks dpptpd_dp_hooks;

/* telemetry.c */
int dpptpd_telemetry_init(struct dpptpd *d);
void dpptpd_telemetry_publish(struct dpptpd *d);
void dpptpd_telemetry_serve(struct dpptpd *d);
/* A telemetry dict key from prefix + name: telemetry takes only letters,
 * digits, '_' and '/', and a port name may hold '-', so that becomes '_'. */
void dpptpd_tel_key(char *buf, size_t len, const char *prefix, const char *name);
void dpptpd_telemetry_stop(void);

/* capture.c */
struct rte_tel_data;
int dpptpd_capture_command(struct dpptpd *d, const char *params, struct rte_tel_data *out);
unsigned int dpptpd_capture_drain(struct dpptpd *d);
void dpptpd_capture_stop_all(struct dpptpd *d);

/* reload.c */
int dpptpd_reload(struct dpptpd *d);

/* loop.c */
int dpptpd_run(struct dpptpd *d);

/* What a connection owns; session.c walks its sessions. */
struct dconn {
	struct dconn *next;
	struct dpptpd *d;
	int fd;
	uint32_t peer_addr; /* host order */
	char peer_str[16];
	struct pptp_conn *pc;
	struct dsession *sessions; /* this connection's calls */
	uint8_t *out;               /* bytes not yet written */
	size_t out_len;
	size_t out_cap;
	bool want_out;              /* EPOLLOUT registered */
	bool closing;               /* close hook ran: flush, then close */
	bool dead;                  /* fd closed: free at the next reap */
};

/* A call (session.c; read by telemetry.c on the control lcore). */
struct dsession {
	struct dsession *next; /* in its connection's list */
	struct dpptpd *d;
	struct dconn *conn;
	uint16_t call_id;
	uint16_t peer_call_id;
	uint32_t peer_addr;     /* host order */
	dp_session_id dpid;
	struct ppp_session *ppp;
	uint32_t sub_addr;      /* host order, 0 until IPCP opened */
	uint64_t started_ms;
	uint64_t up_ms;
	bool start_pending;     /* PPP starts once our Outgoing-Call-Reply is out */
	bool net_up;
	bool was_up;
	bool call_gone;         /* the PPTP call is cleared */
	bool ppp_done;          /* the engine's down hook ran */
	bool close_pending;     /* to be closed from the next scan (not from inside a hook) */
	char user[64];
	char mppe_desc[32];     /* "128-bit stateless", or "" */
};

#endif /* DPPTP_DPPTPD_H */
