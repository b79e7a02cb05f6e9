/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control lcore's event loop: TCP sockets and signals through epoll,
 * the data plane's rings through dp_ctrl_poll(), timers by a periodic scan
 * (every object knows its next deadline; at 20 ms granularity a scan of
 * 65,536 sessions costs about one percent of the core), and an orderly
 * shutdown on SIGTERM/SIGINT: LCP Terminate-Request and Call-Disconnect-
 * Notify for every session, Stop-Control-Connection-Request for every
 * connection, then exit 0.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "dpptpd.h"

#define SCAN_MS 20
#define KEEPALIVE_MS 1000
#define STOP_GRACE_MS 15000 /* longest orderly shutdown before we just leave */

uint64_t dpptpd_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int signals_init(struct dpptpd *d)
{
	sigset_t set;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &d->signal_fd };

	/* main() blocked these before EAL made its threads, so that no worker
	 * can take them; here they become readable events. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	d->signal_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->signal_fd < 0)
		return -errno;
	return epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->signal_fd, &ev) == 0 ? 0 : -errno;
}

static void begin_stop(struct dpptpd *d, const char *why)
{
	if (d->stopping)
		return;
	DLOG(NOTICE, "%s: closing %u session(s) and every control connection", why,
	     d->nb_sessions);
	d->stopping = true;
	d->stop_deadline_ms = d->now_ms + STOP_GRACE_MS;
	if (d->listen_fd >= 0) {
		epoll_ctl(d->epfd, EPOLL_CTL_DEL, d->listen_fd, NULL);
		close(d->listen_fd);
		d->listen_fd = -1;
	}
	dpptpd_session_close_all(d);
}

static void read_signals(struct dpptpd *d)
{
	struct signalfd_siginfo si;
	while (read(d->signal_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			DLOG(NOTICE, "SIGHUP: reloading %s", d->config_path);
			dpptpd_reload(d);
		}
		else
			begin_stop(d, si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
	}
}

int dpptpd_run(struct dpptpd *d)
{
	struct epoll_event evs[64];
	unsigned int idle = 0;

	if (signals_init(d) != 0) {
		DLOG(ERR, "cannot set up signal handling");
		return 1;
	}
	d->now_ms = dpptpd_now_ms();
	d->next_scan_ms = d->now_ms;
	d->next_keepalive_ms = d->now_ms + KEEPALIVE_MS;
	DLOG(NOTICE, "running: %u worker(s), PPTP on port %u", dp_nb_workers(d->dp),
	     d->cfg->pptp.port);
	for (;;) {
		/* Sleep at most 1 ms when idle: PPP control frames wait in the
		 * workers' rings, and their latency is what a client sees. */
		int n = epoll_wait(d->epfd, evs, 64, idle > 100 ? 1 : 0);
		d->now_ms = dpptpd_now_ms();
		for (int i = 0; i < n; i++) {
			void *p = evs[i].data.ptr;
			if (p == NULL)
				dpptpd_accept(d);
			else if (p == &d->signal_fd)
				read_signals(d);
			else
				dpptpd_conn_event(d, p, evs[i].events);
		}
		unsigned int work = dp_ctrl_poll(d->dp, &dpptpd_dp_hooks, d) + (unsigned int)n;
		work += dpptpd_capture_drain(d);
		dpptpd_telemetry_serve(d);
		if (d->now_ms >= d->next_scan_ms) {
			bool ka = d->now_ms >= d->next_keepalive_ms;
			if (ka)
				d->next_keepalive_ms = d->now_ms + KEEPALIVE_MS;
			dpptpd_session_scan(d, ka);
			dpptpd_conn_scan(d);
			dpptpd_telemetry_publish(d);
			d->next_scan_ms = d->now_ms + SCAN_MS;
		}
		dpptpd_conn_reap(d);
		idle = work ? 0 : idle + 1;

		if (d->stopping) {
			if (d->conns == NULL && d->nb_sessions == 0)
				break;
			if (d->now_ms >= d->stop_deadline_ms) {
				DLOG(WARNING, "shutdown: %u session(s) did not close in %u s; leaving",
				     d->nb_sessions, STOP_GRACE_MS / 1000);
				break;
			}
		}
	}
	dpptpd_telemetry_stop();
	dpptpd_capture_stop_all(d);
	/* Whatever is left (only after the grace period) goes without goodbye. */
	dpptpd_conn_stop_all(d);
	for (int i = 0; i < 50; i++)
		dp_ctrl_poll(d->dp, &dpptpd_dp_hooks, d);
	struct ip_pool_stats ps;
	ip_pool_get_stats(d->pool, &ps);
	DLOG(NOTICE, "stopped: %" PRIu64 " session(s) served, %" PRIu64 " reached the network phase; "
		     "%u session(s) and %u pool address(es) still held",
	     d->sessions_started, d->sessions_up, d->nb_sessions, ps.size - ps.free);
	return d->exit_code;
}
