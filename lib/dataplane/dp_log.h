/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DPPTP_DP_LOG_H
#define DPPTP_DP_LOG_H

#include <rte_log.h>

extern int dp_logtype;

/* One line per event through rte_log, under the "dpptp.dp" log type. */
#define DP_LOG(level, fmt, ...)                                                            \
	rte_log(RTE_LOG_##level, dp_logtype, "dpptp.dp: " fmt "\n", ##__VA_ARGS__)

#endif /* DPPTP_DP_LOG_H */
