/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpptpd's configuration: one JSON file (docs/configuration.md has every key)
 * read into a plain C structure with every default filled in and every
 * reference resolved, ready for the daemon to map onto the data plane's, the
 * PPP engine's and the PPTP library's own configurations.
 *
 * Conventions of the structure:
 *  - IPv4 addresses are uint32_t in network byte order (as on the wire and
 *    in lib/dataplane); lib/ppp and lib/pptp take host order: ntohl() them.
 *    0 means "none" wherever an address is optional.
 *  - Times are in milliseconds (`_ms`), except idle_sleep_us.
 *  - Strings live in arrays inside the structure; the lists of pool ranges
 *    and reserved addresses are allocated: dpptpd_config_free() releases
 *    them. A structure may be copied only with that in mind.
 *
 * The library is a leaf: it includes no DPDK, PPP or PPTP header. Where its
 * values equal those libraries' constants (PPP_AUTH_*, PPTP_FRAMING_*,
 * syslog levels, DP_MAX_*), the numbers are the same, so the daemon can
 * assign them and check with static assertions.
 *
 * Errors are one line: "<file>: <JSON path>: found <what>, expected <what>",
 * "<file>: $.ppp.mruu: unknown key (expected one of: ...)", or
 * "<file>:<line>:<column>: invalid JSON: <jansson's text>".
 */
#ifndef DPPTP_CONFIG_DPPTPD_CONFIG_H
#define DPPTP_CONFIG_DPPTPD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define DPPTPD_MAX_PORTS 8                /* lib/dataplane's DP_MAX_PORTS */
#define DPPTPD_MAX_WORKERS 32             /* DP_MAX_WORKERS */
#define DPPTPD_MAX_LCORE 128              /* Debian's DPDK 22.11: RTE_MAX_LCORE */
#define DPPTPD_MAX_NEIGHBOURS 64          /* static neighbours per port */
#define DPPTPD_MAX_POOLS 16
#define DPPTPD_MAX_POOL_RANGES 256        /* lib/ppp's IP_POOL_MAX_RANGES */
#define DPPTPD_MAX_POOL_ADDRS (1u << 22)  /* IP_POOL_MAX_ADDRS */
#define DPPTPD_MAX_RESERVED 4096          /* reserved addresses per pool */
#define DPPTPD_NAME_MAX 32                /* port and pool names, bytes */
#define DPPTPD_DEVICE_MAX 255             /* EAL device string */
#define DPPTPD_TAP_NAME_MAX 15            /* IFNAMSIZ - 1 */
#define DPPTPD_PPTP_NAME_MAX 63           /* SCCRP host name and vendor */
#define DPPTPD_PPP_NAME_MAX 255           /* PPP_MAX_NAME_LEN */
#define DPPTPD_PATH_MAX 4095
#define DPPTPD_PPP_MIN_MRU 128            /* PPP_MIN_MRU */
#define DPPTPD_PPTP_MAX_MRU 1436          /* PPP_PPTP_MAX_MRU */
#define DPPTPD_PPTP_TCP_PORT 1723         /* the only port the data plane punts */

enum dpptpd_port_role {
	DPPTPD_ROLE_ACCESS, /* subscribers' PPTP: GRE and TCP 1723 */
	DPPTPD_ROLE_UPLINK, /* plain IPv4 towards the Internet */
};

/* How EAL is given the device: `-a <device>` or `--vdev <device>`. */
enum dpptpd_dev_kind {
	DPPTPD_DEV_PCI,  /* "0000:3b:00.0" with optional ",key=value..." */
	DPPTPD_DEV_VDEV, /* "net_af_packet0,iface=veth0" */
};

struct dpptpd_neighbour {
	uint32_t addr; /* network byte order */
	uint8_t mac[6];
};

struct dpptpd_port {
	char name[DPPTPD_NAME_MAX + 1];
	char device[DPPTPD_DEVICE_MAX + 1];
	enum dpptpd_dev_kind dev_kind;
	enum dpptpd_port_role role;
	uint32_t addr;        /* our address on this port */
	uint8_t prefix_len;   /* its on-link subnet */
	uint32_t gateway;     /* next hop for off-link destinations; 0: none */
	bool exception;       /* a kernel tap interface carries the address */
	char tap_name[DPPTPD_TAP_NAME_MAX + 1]; /* "" when !exception */
	uint16_t rx_descriptors; /* per RX queue (one queue per worker) */
	uint16_t tx_descriptors;
	unsigned int nb_neighbours;
	struct dpptpd_neighbour neighbours[DPPTPD_MAX_NEIGHBOURS];
};

struct dpptpd_lcores {
	unsigned int control; /* EAL's main lcore: the control plane */
	unsigned int nb_workers;
	unsigned int workers[DPPTPD_MAX_WORKERS]; /* distinct, none == control */
};

struct dpptpd_dataplane {
	uint32_t max_sessions;
	uint32_t ring_size;         /* a power of two */
	uint32_t mbufs;             /* resolved: given, or dpptpd_config_default_mbufs() */
	uint32_t mbuf_cache;        /* per-lcore mempool cache */
	uint32_t lone_ack_delay_ms; /* dp_config.lone_ack_delay_us / 1000 */
	bool enforce_tx_window;
	bool verify_ip_checksum;
	uint32_t idle_sleep_us;
	uint32_t neighbour_refresh_ms; /* dp_config.neigh_refresh_s * 1000 */
	uint32_t route_tbl8_groups;
};

/* PPTP_FRAMING_* and PPTP_BEARER_* of lib/proto/pptp_msg.h. */
#define DPPTPD_FRAMING_ASYNC 1u
#define DPPTPD_FRAMING_SYNC 2u
#define DPPTPD_BEARER_ANALOG 1u
#define DPPTPD_BEARER_DIGITAL 2u

struct dpptpd_pptp {
	uint32_t listen; /* resolved: an access port's address with exception */
	uint16_t port;   /* 1723 */
	char host_name[DPPTPD_PPTP_NAME_MAX + 1];
	char vendor[DPPTPD_PPTP_NAME_MAX + 1];
	uint16_t firmware_revision;
	uint16_t max_channels;
	uint32_t framing_caps; /* DPPTPD_FRAMING_* */
	uint32_t bearer_caps;  /* DPPTPD_BEARER_* */
	uint16_t receive_window;
	uint32_t connect_speed; /* bps; 0: echo the client's Maximum BPS */
	uint16_t max_calls;     /* per control connection */
	uint32_t sccrq_timeout_ms;
	uint32_t call_wait_ms;     /* 0: never */
	uint32_t echo_interval_ms; /* 0: never */
	uint32_t echo_timeout_ms;
	uint32_t stop_timeout_ms;
};

/* lib/ppp's PPP_AUTH_* bits. */
#define DPPTPD_AUTH_PAP 1u
#define DPPTPD_AUTH_CHAP_MD5 2u
#define DPPTPD_AUTH_MSCHAPV2 4u

struct dpptpd_ppp {
	uint16_t mru;
	uint16_t mtu;
	bool request_pfc;
	bool request_acfc;
	bool request_magic;
	uint32_t restart_ms;
	uint32_t max_configure;
	uint32_t max_terminate;
	uint32_t max_failure;
	uint32_t max_loopback;
	uint32_t echo_interval_ms; /* 0: no LCP echo */
	uint32_t echo_failures;
	uint32_t setup_timeout_ms; /* 0: none */
	unsigned int auth_methods; /* DPPTPD_AUTH_* bits; 0: no authentication */
	char server_name[DPPTPD_PPP_NAME_MAX + 1];
	char secrets_file[DPPTPD_PATH_MAX + 1]; /* absolute; "" when auth is none */
	uint32_t auth_restart_ms;
	uint32_t auth_max_challenges;
	uint32_t auth_timeout_ms;
	uint32_t auth_max_attempts;
	uint32_t local_address; /* resolved: given, or pptp.listen */
	uint32_t dns[2];        /* 0: not configured */
	uint32_t nbns[2];
	char pool[DPPTPD_NAME_MAX + 1]; /* resolved: given, or the first pool's name */
	unsigned int pool_index;        /* that pool in dpptpd_config.pools */
};

struct dpptpd_range {
	uint32_t first; /* inclusive, network byte order */
	uint32_t last;
};

struct dpptpd_pool {
	char name[DPPTPD_NAME_MAX + 1];
	unsigned int nb_ranges;
	struct dpptpd_range *ranges; /* file order; CIDR without network/broadcast (n <= 30) */
	unsigned int nb_reserved;
	uint32_t *reserved;          /* file order; each inside one of the ranges */
	uint32_t size;               /* addresses that can be handed out */
};

struct dpptpd_limits {
	uint32_t max_sessions;      /* resolved: given, or dataplane.max_sessions */
	uint32_t max_setup;         /* 0: no separate cap */
	uint32_t per_source_burst;  /* 0: no per-source limit */
	uint32_t per_source_refill_ms; /* 1000 / per_source_rate, rounded */
	uint32_t source_table_size;
};

enum dpptpd_mppe_policy {
	DPPTPD_MPPE_OFF,
	DPPTPD_MPPE_ALLOW,
	DPPTPD_MPPE_REQUIRE,
};

#define DPPTPD_MPPE_40 1u
#define DPPTPD_MPPE_56 2u
#define DPPTPD_MPPE_128 4u

struct dpptpd_mppe {
	enum dpptpd_mppe_policy policy;
	unsigned int bits; /* DPPTPD_MPPE_* */
	bool stateless;
};

/* syslog's numbers, as PPP_LOG_* and PPTP_LOG_*. */
enum dpptpd_log_level {
	DPPTPD_LOG_ERR = 3,
	DPPTPD_LOG_WARNING = 4,
	DPPTPD_LOG_NOTICE = 5,
	DPPTPD_LOG_INFO = 6,
	DPPTPD_LOG_DEBUG = 7,
};

struct dpptpd_config {
	unsigned int nb_ports;
	struct dpptpd_port ports[DPPTPD_MAX_PORTS]; /* file order */
	struct dpptpd_lcores lcores;
	struct dpptpd_dataplane dataplane;
	struct dpptpd_pptp pptp;
	struct dpptpd_ppp ppp;
	unsigned int nb_pools;
	struct dpptpd_pool pools[DPPTPD_MAX_POOLS];
	struct dpptpd_limits limits;
	struct dpptpd_mppe mppe;
	enum dpptpd_log_level log_level;
};

/*
 * Every default, no ports and no pools. The values resolved from other keys
 * (mbufs, pptp.listen, ppp.local_address, ppp.pool, limits.max_sessions) are
 * 0 or empty until a load. Needs no dpptpd_config_free(), allows one.
 */
void dpptpd_config_default(struct dpptpd_config *c);

/*
 * Read and check the file at `path`. Relative paths inside it (ppp.secrets_file)
 * are made absolute against the file's directory. Returns 0, or -1 with one
 * line in `err` (when errlen > 0) that starts with `path`. `out` is
 * overwritten, never freed (free a configuration it held first); after a
 * failure it holds the defaults. Either way dpptpd_config_free() releases it.
 */
int dpptpd_config_load(const char *path, struct dpptpd_config *out, char *err, size_t errlen);

/*
 * The same from text. `origin` names it in messages and its directory is the
 * base of relative paths; NULL: "<string>" and the current directory.
 */
int dpptpd_config_load_string(const char *text, const char *origin, struct dpptpd_config *out,
			      char *err, size_t errlen);

/* Release what a load allocated and leave the defaults. */
void dpptpd_config_free(struct dpptpd_config *c);

/* The effective configuration as JSON that loads back to an equal one.
 * Returns 0 or -1 (out of memory, write error). */
int dpptpd_config_dump(const struct dpptpd_config *c, FILE *f);

/* Whether two configurations have equal values (not pointers). */
bool dpptpd_config_equal(const struct dpptpd_config *a, const struct dpptpd_config *b);

/* Which top-level sections of two configurations differ (by value): an OR
 * of DPPTPD_CFG_*, 0 when equal. SIGHUP uses it to say what a reload can
 * apply and what needs a restart. */
#define DPPTPD_CFG_SECTIONS(X)                                                             \
	X(PORTS, "ports")                                                                  \
	X(LCORES, "lcores")                                                                \
	X(DATAPLANE, "dataplane")                                                          \
	X(PPTP, "pptp")                                                                    \
	X(PPP, "ppp")                                                                      \
	X(POOLS, "pools")                                                                  \
	X(LIMITS, "limits")                                                                \
	X(MPPE, "mppe")                                                                    \
	X(LOG, "log")                                                                      \
	X(OTHER, "(top level)")
enum {
#define X(n, s) DPPTPD_CFG_BIT_##n,
	DPPTPD_CFG_SECTIONS(X)
#undef X
};
enum {
#define X(n, s) DPPTPD_CFG_##n = 1u << DPPTPD_CFG_BIT_##n,
	DPPTPD_CFG_SECTIONS(X)
#undef X
};
unsigned int dpptpd_config_diff(const struct dpptpd_config *a, const struct dpptpd_config *b);

/* The mbufs a configuration without dataplane.mbufs gets (docs/configuration.md). */
uint32_t dpptpd_config_default_mbufs(const struct dpptpd_config *c);

/* The port ppp/pptp traffic of `addr` arrives on: the index of the port with
 * that address, or -1. */
int dpptpd_config_port_by_addr(const struct dpptpd_config *c, uint32_t addr);

const char *dpptpd_port_role_name(enum dpptpd_port_role role);    /* "access" */
const char *dpptpd_mppe_policy_name(enum dpptpd_mppe_policy p);   /* "require" */
const char *dpptpd_log_level_name(enum dpptpd_log_level level);   /* "info" */

#endif /* DPPTP_CONFIG_DPPTPD_CONFIG_H */
