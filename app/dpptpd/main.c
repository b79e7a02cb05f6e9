/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpptpd [EAL args] -- --config FILE
 * dpptpd --check-config FILE
 *
 * Start-up order: signals blocked (before EAL makes threads), EAL, the
 * configuration, the protocol libraries, ports and the data plane, the
 * listening socket, the workers; then the control loop until SIGTERM or
 * SIGINT, and an orderly shutdown that exits 0.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "dpptpd.h"

RTE_LOG_REGISTER(dpptpd_logtype, dpptp.ctrl, INFO);

static void usage(FILE *f)
{
	fprintf(f, "usage: dpptpd [EAL options] -- --config FILE\n"
		   "       dpptpd --check-config FILE\n"
		   "  --config FILE        the JSON configuration (docs/configuration.md)\n"
		   "  --check-config FILE  validate FILE, print the effective configuration, exit\n"
		   "  --print-config       with --config: print the effective configuration at start\n");
}

/* --check-config needs no EAL: handle it before rte_eal_init(). */
static int check_config(const char *path)
{
	struct dpptpd_config cfg;
	char err[1024];

	if (dpptpd_config_load(path, &cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	dpptpd_config_dump(&cfg, stdout);
	fprintf(stderr, "%s: configuration is valid\n", path);
	dpptpd_config_free(&cfg);
	return 0;
}

static int worker_main(void *arg)
{
	struct dpptpd *d = arg;
	unsigned int lcore = rte_lcore_id();
	for (unsigned int w = 0; w < d->nb_workers; w++)
		if (d->worker_lcores[w] == lcore)
			return dp_worker_run(d->dp, w);
	return -1;
}

static int launch_workers(struct dpptpd *d)
{
	/* The control plane runs on EAL's main lcore: it must be the one the
	 * configuration names, or a worker lcore would be taken for it. */
	if (rte_get_main_lcore() != d->cfg->lcores.control) {
		DLOG(ERR, "lcores.control is %u but EAL's main lcore is %u (give EAL --main-lcore %u, "
			  "or an -l list whose lowest lcore is %u)",
		     d->cfg->lcores.control, rte_get_main_lcore(), d->cfg->lcores.control,
		     d->cfg->lcores.control);
		return -EINVAL;
	}
	for (unsigned int w = 0; w < d->nb_workers; w++) {
		unsigned int l = d->worker_lcores[w];
		if (l == rte_get_main_lcore() || !rte_lcore_is_enabled(l)) {
			DLOG(ERR, "worker lcore %u is not an EAL worker lcore (give EAL -l with it, "
				  "besides the main lcore %u)",
			     l, rte_get_main_lcore());
			return -EINVAL;
		}
		if (rte_eal_remote_launch(worker_main, d, l) != 0)
			return -EBUSY;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct dpptpd d;
	static struct dpptpd_config cfg;
	const char *config_path = NULL;
	bool print_config = false;
	char err[1024];
	sigset_t set;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check-config"))
			return i + 1 < argc ? check_config(argv[i + 1]) : (usage(stderr), 2);
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
	}

	/* Block the signals we handle before EAL creates any thread, so that
	 * they come to the control loop's signalfd and never to a worker. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	rc = rte_eal_init(argc, argv);
	if (rc < 0) {
		fprintf(stderr, "dpptpd: EAL initialisation failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argc -= rc;
	argv += rc;
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "print-config", no_argument, NULL, 'p' },
		{ 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 'c')
			config_path = optarg;
		else if (c == 'p')
			print_config = true;
		else {
			usage(stderr);
			return 2;
		}
	}
	if (!config_path) {
		usage(stderr);
		return 2;
	}
	if (dpptpd_config_load(config_path, &cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		DLOG(ERR, "%s", err);
		return 1;
	}
	if (print_config)
		dpptpd_config_dump(&cfg, stdout);
	d.cfg = &cfg;
	d.config_path = config_path;
	d.listen_fd = -1;
	d.signal_fd = -1;
	if (dpptpd_setup_libs(&d, err, sizeof(err)) != 0) {
		fprintf(stderr, "dpptpd: %s\n", err);
		DLOG(ERR, "%s", err);
		return 1;
	}
	if (dpptpd_ports_init(&d) != 0)
		return 1;
	d.nb_slots = d.dp_cfg.max_sessions + 1;
	d.by_slot = calloc(d.nb_slots, sizeof(*d.by_slot));
	d.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!d.by_slot || d.epfd < 0)
		return 1;
	if (launch_workers(&d) != 0) {
		dp_stop(d.dp);
		rte_eal_mp_wait_lcore();
		return 1;
	}
	if (dpptpd_listen(&d) != 0) {
		dp_stop(d.dp);
		rte_eal_mp_wait_lcore();
		return 1;
	}

	if (dpptpd_telemetry_init(&d) != 0)
		DLOG(WARNING, "telemetry commands not registered");
	rc = dpptpd_run(&d);

	/* The kernel may still be sending our last TCP segments through the
	 * tap: bridge them out before the workers stop. */
	uint64_t until = dpptpd_now_ms() + 300;
	while (dpptpd_now_ms() < until) {
		dp_ctrl_poll(d.dp, &dpptpd_dp_hooks, &d);
		usleep(1000);
	}
	dp_stop(d.dp);
	rte_eal_mp_wait_lcore();
	dpptpd_ports_close(&d);
	dpptpd_teardown_libs(&d);
	free(d.by_slot);
	dpptpd_config_free(&cfg);
	rte_eal_cleanup();
	return rc;
}
