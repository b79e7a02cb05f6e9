/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PPTP control connections: kernel TCP sockets on the exception path's tap
 * interface, each feeding a pptp_conn (lib/pptp). Admission runs on
 * accept(), before any state is allocated.
 */
#define _GNU_SOURCE /* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dpptpd.h"

#define CONN_OUT_MAX (256 * 1024) /* a peer that does not read is closed */

int dpptpd_listen(struct dpptpd *d)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct epoll_event ev = { .events = EPOLLIN };
	int one = 1;

	d->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (d->listen_fd < 0)
		return -errno;
	setsockopt(d->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_addr.s_addr = d->cfg->pptp.listen;
	sa.sin_port = htons(d->cfg->pptp.port);
	if (bind(d->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(d->listen_fd, 1024) != 0) {
		int e = -errno;
		char a[16];
		inet_ntop(AF_INET, &sa.sin_addr, a, sizeof(a));
		DLOG(ERR, "cannot listen on %s:%u: %s", a, d->cfg->pptp.port, strerror(-e));
		close(d->listen_fd);
		d->listen_fd = -1;
		return e;
	}
	ev.data.ptr = NULL; /* NULL: the listening socket */
	return epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->listen_fd, &ev) == 0 ? 0 : -errno;
}

static void conn_close_fd(struct dpptpd *d, struct dconn *c)
{
	if (c->fd >= 0) {
		epoll_ctl(d->epfd, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
		c->fd = -1;
	}
	c->dead = true;
}

static void conn_update_events(struct dpptpd *d, struct dconn *c, bool want_out)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP | (want_out ? EPOLLOUT : 0),
				  .data.ptr = c };
	if (c->fd < 0 || c->want_out == want_out)
		return;
	c->want_out = want_out;
	epoll_ctl(d->epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Write what is buffered; false if the socket failed. */
static bool conn_flush(struct dpptpd *d, struct dconn *c)
{
	while (c->out_len > 0 && c->fd >= 0) {
		ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			return false;
		}
		memmove(c->out, c->out + n, c->out_len - (size_t)n);
		c->out_len -= (size_t)n;
	}
	conn_update_events(d, c, c->out_len > 0);
	if (c->closing && c->out_len == 0)
		conn_close_fd(d, c);
	return true;
}

/* ---- pptp_conn hooks ---- */

static int hook_send(void *owner, const uint8_t *buf, size_t len)
{
	struct dconn *c = owner;
	if (c->fd < 0 || c->out_len + len > CONN_OUT_MAX)
		return -1;
	if (c->out_len + len > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap * 2 : 1024;
		while (cap < c->out_len + len)
			cap *= 2;
		uint8_t *p = realloc(c->out, cap);
		if (!p)
			return -1;
		c->out = p;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, buf, len);
	c->out_len += len;
	return conn_flush(c->d, c) ? 0 : -1;
}

static void hook_close(void *owner, enum pptp_close_reason why, const char *detail)
{
	struct dconn *c = owner;
	DLOG(INFO, "connection %s:1723: closed: %s (%s)", c->peer_str, pptp_close_reason_name(why),
	     detail);
	c->closing = true;
	if (c->out_len == 0)
		conn_close_fd(c->d, c);
}

static enum pptp_call_verdict hook_call_request(void *owner, struct pptp_call *call,
						const struct pptp_ocrq *rq)
{
	struct dconn *c = owner;
	return dpptpd_session_create(c->d, c, call, rq);
}

static void hook_call_cleared(void *owner, const struct pptp_call *call,
			      enum pptp_clear_cause cause)
{
	struct dconn *c = owner;
	if (call->user)
		dpptpd_session_call_cleared(c->d, call->user, cause);
}

static void hook_log(void *owner, enum pptp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void hook_log(void *owner, enum pptp_log_level level, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	(void)owner;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	rte_log((uint32_t)(level + 1), dpptpd_logtype, "dpptpd: %s\n", line);
}

const struct pptp_conn_hooks dpptpd_conn_hooks = {
	.send = hook_send,
	.close = hook_close,
	.call_request = hook_call_request,
	.call_cleared = hook_call_cleared,
	.log = hook_log,
};

/* ---- accept, read, timers ---- */

void dpptpd_accept(struct dpptpd *d)
{
	for (;;) {
		struct sockaddr_in sa;
		socklen_t sl = sizeof(sa);
		int fd = accept4(d->listen_fd, (struct sockaddr *)&sa, &sl,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return; /* EAGAIN, or a transient error: epoll will say */
		uint32_t peer = ntohl(sa.sin_addr.s_addr);
		char ps[16];
		inet_ntop(AF_INET, &sa.sin_addr, ps, sizeof(ps));
		enum pptp_admit v = d->stopping ? PPTP_ADMIT_MAX_SESSIONS
						: pptp_admit_connection(d->adm, d->now_ms, peer);
		if (v != PPTP_ADMIT_OK) {
			d->connections_refused++;
			DLOG(NOTICE, "connection %s: refused: %s", ps,
			     d->stopping ? "shutting down" : pptp_admit_name(v));
			close(fd);
			continue;
		}
		struct dconn *c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c->d = d;
		c->fd = fd;
		c->peer_addr = peer;
		memcpy(c->peer_str, ps, sizeof(ps));
		c->pc = pptp_conn_new(&d->conn_cfg, &dpptpd_conn_hooks, c, d->now_ms, peer);
		struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data.ptr = c };
		if (!c->pc || epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
			pptp_conn_free(c->pc);
			close(fd);
			free(c);
			continue;
		}
		c->next = d->conns;
		d->conns = c;
		d->connections_accepted++;
		DLOG(DEBUG, "connection %s: accepted", ps);
	}
}

void dpptpd_conn_event(struct dpptpd *d, struct dconn *c, uint32_t events)
{
	if (c->dead)
		return;
	if (events & EPOLLOUT) {
		if (!conn_flush(d, c)) {
			pptp_conn_peer_closed(c->pc, d->now_ms);
			conn_close_fd(d, c);
			return;
		}
	}
	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
		uint8_t buf[4096];
		for (;;) {
			ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (n > 0) {
				pptp_conn_input(c->pc, d->now_ms, buf, (size_t)n);
				dpptpd_session_start_pending(d, c);
				if (c->fd < 0 || c->closing)
					return;
				continue;
			}
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				break;
			if (n < 0 && errno == EINTR)
				continue;
			/* EOF or error: the peer is gone. */
			pptp_conn_peer_closed(c->pc, d->now_ms);
			conn_close_fd(d, c);
			return;
		}
	}
}

void dpptpd_conn_scan(struct dpptpd *d)
{
	for (struct dconn *c = d->conns; c; c = c->next) {
		if (c->dead || !c->pc)
			continue;
		if (pptp_conn_next_deadline(c->pc) <= d->now_ms) {
			pptp_conn_tick(c->pc, d->now_ms);
			dpptpd_session_start_pending(d, c);
		}
		/* Shutting down: a connection whose calls are gone says goodbye. */
		if (d->stopping && !c->closing && pptp_conn_call_count(c->pc) == 0 &&
		    pptp_conn_state(c->pc) == PPTP_CONN_ESTABLISHED)
			pptp_conn_stop(c->pc, d->now_ms, PPTP_STOP_LOCAL_SHUTDOWN);
		else if (d->stopping && !c->closing &&
			 pptp_conn_state(c->pc) == PPTP_CONN_WAIT_SCCRQ)
			pptp_conn_stop(c->pc, d->now_ms, PPTP_STOP_LOCAL_SHUTDOWN);
	}
}

/* Free connections whose socket is closed. Never from inside a hook. */
void dpptpd_conn_reap(struct dpptpd *d)
{
	struct dconn **pp = &d->conns;
	while (*pp) {
		struct dconn *c = *pp;
		if (!c->dead) {
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		pptp_conn_free(c->pc); /* clears calls still open (none, normally) */
		free(c->out);
		free(c);
	}
}

void dpptpd_conn_stop_all(struct dpptpd *d)
{
	for (struct dconn *c = d->conns; c; c = c->next)
		if (!c->dead) {
			pptp_conn_free(c->pc);
			c->pc = NULL;
			conn_close_fd(d, c);
		}
	dpptpd_conn_reap(d);
}
