/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports: probe each configured device (PCI address or vdev string), set it up
 * for the data plane, and give each port that wants one an exception-path
 * tap interface (net_tap) with the port's MAC and our address on it, so that
 * the kernel answers TCP 1723 and ICMP for us.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "dpptpd.h"

/* "0000:3b:00.0" and the like are PCI devices; anything else is a vdev. */
static bool is_pci(const char *dev)
{
	unsigned int a, b, c, f;
	char tail;
	return sscanf(dev, "%x:%x:%x.%x%c", &a, &b, &c, &f, &tail) == 4 ||
	       sscanf(dev, "%x:%x.%x%c", &b, &c, &f, &tail) == 3;
}

/* Probe a device; its port id, or a negative errno. */
static int probe(const char *device, uint16_t *port_id)
{
	char name[RTE_DEV_NAME_MAX_LEN];
	const char *comma = strchr(device, ',');
	size_t n = comma ? (size_t)(comma - device) : strlen(device);
	int rc;

	if (n >= sizeof(name))
		return -ENAMETOOLONG;
	memcpy(name, device, n);
	name[n] = '\0';
	/* Already there (given to EAL with -a or --vdev)? */
	if (rte_eth_dev_get_port_by_name(name, port_id) == 0)
		return 0;
	rc = is_pci(name) ? rte_dev_probe(device) : rte_vdev_init(name, comma ? comma + 1 : "");
	if (rc != 0)
		return rc;
	return rte_eth_dev_get_port_by_name(name, port_id) == 0 ? 0 : -ENODEV;
}

static int ifreq_ipv4(int fd, unsigned long req, const char *ifname, uint32_t addr)
{
	struct ifreq ifr;
	struct sockaddr_in *sa = (struct sockaddr_in *)&ifr.ifr_addr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = addr;
	return ioctl(fd, req, &ifr);
}

static void write_proc(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, value, strlen(value)) < 0) {
			/* best effort */
		}
		close(fd);
	}
}

/* Our address on the tap's kernel side, the interface up, and a default
 * route through the port's gateway, if it has one. */
static int kernel_address(const struct dport *p)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	uint32_t mask = p->prefix_len ? htonl(~0u << (32 - p->prefix_len)) : 0;
	struct ifreq ifr;
	char path[128];
	int rc = 0;

	if (fd < 0)
		return -errno;
	/* The tap carries IPv4 for us only: no IPv6 chatter on the wire. */
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", p->tap_name);
	write_proc(path, "1");
	if (ifreq_ipv4(fd, SIOCSIFADDR, p->tap_name, p->addr) != 0 ||
	    ifreq_ipv4(fd, SIOCSIFNETMASK, p->tap_name, mask) != 0)
		rc = -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", p->tap_name);
	if (rc == 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) != 0)
			rc = -errno;
	}
	if (rc == 0 && p->gateway) {
		struct rtentry rt;
		memset(&rt, 0, sizeof(rt));
		((struct sockaddr_in *)&rt.rt_dst)->sin_family = AF_INET;
		((struct sockaddr_in *)&rt.rt_genmask)->sin_family = AF_INET;
		((struct sockaddr_in *)&rt.rt_gateway)->sin_family = AF_INET;
		((struct sockaddr_in *)&rt.rt_gateway)->sin_addr.s_addr = p->gateway;
		rt.rt_flags = RTF_UP | RTF_GATEWAY;
		rt.rt_dev = (char *)p->tap_name;
		if (ioctl(fd, SIOCADDRT, &rt) != 0 && errno != EEXIST)
			DLOG(WARNING, "%s: default route via the gateway: %s", p->tap_name,
			     strerror(errno));
	}
	close(fd);
	return rc;
}

static int setup_tap(struct dpptpd *d, struct dport *p)
{
	char name[64], args[128];
	int rc;

	snprintf(name, sizeof(name), "net_tap_%s", p->name);
	snprintf(args, sizeof(args), "iface=%s,mac=" RTE_ETHER_ADDR_PRT_FMT, p->tap_name,
		 RTE_ETHER_ADDR_BYTES(&p->mac));
	rc = rte_vdev_init(name, args);
	if (rc != 0 || rte_eth_dev_get_port_by_name(name, &p->tap_id) != 0) {
		DLOG(ERR, "port %s: cannot create the tap %s (%s): %s", p->name, p->tap_name, args,
		     strerror(rc ? -rc : ENODEV));
		return rc ? rc : -ENODEV;
	}
	/* The tap is polled by the control lcore only: one queue pair. */
	rc = dp_port_setup(p->tap_id, 1, d->mbufs, 512, 512);
	if (rc != 0) {
		DLOG(ERR, "port %s: tap set-up failed: %s", p->name, strerror(-rc));
		return rc;
	}
	rc = kernel_address(p);
	if (rc != 0) {
		DLOG(ERR, "port %s: cannot put the address on %s: %s", p->name, p->tap_name,
		     strerror(-rc));
		return rc;
	}
	return 0;
}

int dpptpd_ports_init(struct dpptpd *d)
{
	d->mbufs = rte_pktmbuf_pool_create("dpptpd_mbufs", d->nb_mbufs, d->mbuf_cache, 0,
					   RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	if (!d->mbufs) {
		DLOG(ERR, "mbuf pool of %u: %s (give EAL more memory with -m)", d->nb_mbufs,
		     rte_strerror(rte_errno));
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < d->nb_ports; i++) {
		struct dport *p = &d->ports[i];
		int rc = probe(p->device, &p->port_id);
		if (rc != 0) {
			DLOG(ERR, "port %s: cannot probe %s: %s", p->name, p->device, strerror(-rc));
			return rc;
		}
		rc = dp_port_setup(p->port_id, d->nb_workers, d->mbufs, p->rxd, p->txd);
		if (rc != 0) {
			DLOG(ERR, "port %s (%s): set-up failed: %s", p->name, p->device,
			     strerror(-rc));
			return rc;
		}
		rte_eth_macaddr_get(p->port_id, &p->mac);
		p->tap_id = DP_NO_PORT;
		if (p->exception && (rc = setup_tap(d, p)) != 0)
			return rc;
		struct dp_port_conf *pc = &d->dp_cfg.ports[i];
		pc->port_id = p->port_id;
		pc->role = p->role;
		pc->addr = p->addr;
		pc->prefix_len = p->prefix_len;
		pc->gateway = p->gateway;
		pc->tap_port_id = p->tap_id;
		DLOG(INFO, "port %s: %s, %s, MAC " RTE_ETHER_ADDR_PRT_FMT "%s%s", p->name,
		     p->device, p->role == DP_PORT_ACCESS ? "access" : "uplink",
		     RTE_ETHER_ADDR_BYTES(&p->mac), p->exception ? ", kernel interface " : "",
		     p->exception ? p->tap_name : "");
	}
	d->dp_cfg.nb_ports = d->nb_ports;
	d->dp_cfg.nb_workers = d->nb_workers;
	d->dp_cfg.pool = d->mbufs;
	d->dp = dp_create(&d->dp_cfg);
	if (!d->dp)
		return -rte_errno;
	for (unsigned int i = 0; i < d->nb_ports; i++)
		for (unsigned int k = 0; k < d->ports[i].nb_statics; k++)
			dp_neigh_set_static(d->dp, i, d->ports[i].statics[k].addr,
					    &d->ports[i].statics[k].mac);
	return 0;
}

void dpptpd_ports_close(struct dpptpd *d)
{
	dp_free(d->dp);
	d->dp = NULL;
	for (unsigned int i = 0; i < d->nb_ports; i++) {
		struct dport *p = &d->ports[i];
		rte_eth_dev_stop(p->port_id);
		rte_eth_dev_close(p->port_id);
		if (p->tap_id != DP_NO_PORT) {
			rte_eth_dev_stop(p->tap_id);
			rte_eth_dev_close(p->tap_id);
		}
	}
}
