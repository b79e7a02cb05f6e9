/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpptpctl: the operator's tool, over dpptpd's DPDK telemetry socket.
 *
 *   dpptpctl [--prefix P | --socket PATH] [--json] COMMAND
 *     show info | sessions | session ID | stats | pool | worker N
 *     disconnect ID | user NAME | address A.B.C.D
 *     capture start PORT FILE [peer A.B.C.D] [call ID] [packets N] [bytes N]
 *     capture stop [PORT] | capture status
 *
 * The socket is /var/run/dpdk/<prefix>/dpdk_telemetry.v2; the prefix is
 * dpptpd's EAL --file-prefix ("rte" by default; the lab's is "dpptp-lab";
 * DPPTP_PREFIX in the environment also sets it).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <jansson.h>

#define REPLY_MAX (64 * 1024)

static bool json_out;

static int tel_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char greeting[1024];
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);

	if (fd < 0)
		return -1;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		close(fd);
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    read(fd, greeting, sizeof(greeting)) <= 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Send one command; its answer (the value under the command's name). */
static json_t *tel_call(int fd, const char *cmd, const char *params)
{
	char req[1024];
	static char buf[REPLY_MAX];
	json_error_t err;

	if (params)
		snprintf(req, sizeof(req), "%s,%s", cmd, params);
	else
		snprintf(req, sizeof(req), "%s", cmd);
	if (write(fd, req, strlen(req)) < 0)
		return NULL;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	json_t *root = json_loads(buf, 0, &err);
	if (!root)
		return NULL;
	json_t *v = json_object_get(root, cmd);
	json_incref(v);
	json_decref(root);
	return v;
}

static int fail(const char *what, const char *arg)
{
	fprintf(stderr, "dpptpctl: %s%s\n", what, arg);
	return 1;
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static long long num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static void print_json(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	printf("\n");
}

/* An {"error": ...} answer: report it and return non-zero. */
static int check_error(json_t *v)
{
	if (!v)
		return fail("no answer from dpptpd (is it a dpptpd telemetry socket?)", "");
	if (json_object_get(v, "error")) {
		if (json_out)
			print_json(v);
		return fail("", str(v, "error"));
	}
	return 0;
}

static void print_dict(json_t *v, int indent)
{
	const char *k;
	json_t *x;
	json_object_foreach(v, k, x) {
		if (json_is_object(x)) {
			printf("%*s%s:\n", indent, "", k);
			print_dict(x, indent + 2);
		} else if (json_is_string(x)) {
			printf("%*s%-28s %s\n", indent, "", k, json_string_value(x));
		} else if (json_is_integer(x)) {
			printf("%*s%-28s %lld\n", indent, "", k, json_integer_value(x));
		} else {
			char *s = json_dumps(x, JSON_COMPACT);
			printf("%*s%-28s %s\n", indent, "", k, s ? s : "");
			free(s);
		}
	}
}

static int show_sessions(int fd)
{
	json_t *all = json_array();
	long long next = 0;

	while (next >= 0) {
		char from[32];
		snprintf(from, sizeof(from), "%lld", next);
		json_t *page = tel_call(fd, "/dpptp/sessions", from);
		if (check_error(page)) {
			json_decref(page);
			json_decref(all);
			return 1;
		}
		const char *key;
		json_t *one;
		json_object_foreach(page, key, one)
			if (json_is_object(one))
				json_array_append(all, one);
		next = num(page, "next");
		json_decref(page);
	}
	if (json_out) {
		print_json(all);
		json_decref(all);
		return 0;
	}
	printf("%-14s %-11s %-15s %-16s %-15s %-12s %s\n", "ID", "CALL", "PEER", "USER", "ADDRESS",
	       "STATE", "UPTIME");
	size_t i;
	json_t *s;
	json_array_foreach(all, i, s) {
		char call[16];
		snprintf(call, sizeof(call), "%lld/%lld", num(s, "call_id"), num(s, "peer_call_id"));
		printf("%-14lld %-11s %-15s %-16s %-15s %-12s %llds\n", num(s, "id"), call,
		       str(s, "peer"), str(s, "user"), str(s, "address"), str(s, "state"),
		       num(s, "uptime_s"));
	}
	printf("%zu session(s)\n", json_array_size(all));
	json_decref(all);
	return 0;
}

static int simple(int fd, const char *cmd, const char *params)
{
	json_t *v = tel_call(fd, cmd, params);
	if (check_error(v)) {
		json_decref(v);
		return 1;
	}
	if (json_out)
		print_json(v);
	else
		print_dict(v, 0);
	json_decref(v);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: dpptpctl [--prefix P | --socket PATH] [--json] COMMAND\n"
		   "  show info | sessions | session ID | stats | pool | worker N\n"
		   "  disconnect ID | user NAME | address A.B.C.D\n"
		   "  capture start PORT FILE [peer A.B.C.D] [call ID] [packets N] [bytes N]\n"
		   "  capture stop [PORT] | capture status\n");
}

int main(int argc, char **argv)
{
	const char *prefix = getenv("DPPTP_PREFIX") ? getenv("DPPTP_PREFIX") : "rte";
	const char *sock = NULL;
	char path[256], params[512];
	int i = 1, fd, rc;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--json"))
			json_out = true;
		else if (!strcmp(argv[i], "--prefix") && i + 1 < argc)
			prefix = argv[++i];
		else if (!strcmp(argv[i], "--socket") && i + 1 < argc)
			sock = argv[++i];
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	if (!sock) {
		snprintf(path, sizeof(path), "/var/run/dpdk/%s/dpdk_telemetry.v2", prefix);
		sock = path;
	}
	fd = tel_connect(sock);
	if (fd < 0)
		return fail("dpptpd is not running: no telemetry socket at ", sock);

	const char *verb = argv[i], *what = i + 1 < argc ? argv[i + 1] : "";
	if (!strcmp(verb, "show") && !strcmp(what, "sessions"))
		rc = show_sessions(fd);
	else if (!strcmp(verb, "show") && !strcmp(what, "session") && i + 2 < argc)
		rc = simple(fd, "/dpptp/session", argv[i + 2]);
	else if (!strcmp(verb, "show") && !strcmp(what, "worker") && i + 2 < argc)
		rc = simple(fd, "/dpptp/worker", argv[i + 2]);
	else if (!strcmp(verb, "show") && (!strcmp(what, "info") || !strcmp(what, "stats") ||
					   !strcmp(what, "pool"))) {
		snprintf(params, sizeof(params), "/dpptp/%s", what);
		rc = simple(fd, params, NULL);
	} else if (!strcmp(verb, "disconnect") && i + 1 < argc) {
		if (!strcmp(what, "user") && i + 2 < argc)
			snprintf(params, sizeof(params), "user=%s", argv[i + 2]);
		else if (!strcmp(what, "address") && i + 2 < argc)
			snprintf(params, sizeof(params), "address=%s", argv[i + 2]);
		else
			snprintf(params, sizeof(params), "%s", what);
		rc = simple(fd, "/dpptp/disconnect", params);
	} else if (!strcmp(verb, "capture") && !strcmp(what, "start") && i + 3 < argc) {
		size_t k = (size_t)snprintf(params, sizeof(params), "start,%s,%s", argv[i + 2],
					    argv[i + 3]);
		for (int j = i + 4; j + 1 < argc && k < sizeof(params); j += 2)
			k += (size_t)snprintf(params + k, sizeof(params) - k, ",%s=%s", argv[j],
					      argv[j + 1]);
		rc = simple(fd, "/dpptp/capture", params);
	} else if (!strcmp(verb, "capture") && !strcmp(what, "stop")) {
		snprintf(params, sizeof(params), i + 2 < argc ? "stop,%s" : "stop",
			 i + 2 < argc ? argv[i + 2] : "");
		rc = simple(fd, "/dpptp/capture", params);
	} else if (!strcmp(verb, "capture") && !strcmp(what, "status")) {
		rc = simple(fd, "/dpptp/capture", "status");
	} else {
		usage(stderr);
		rc = 2;
	}
	close(fd);
	return rc;
}
