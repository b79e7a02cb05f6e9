/* SPDX-License-Identifier: BSD-3-Clause */
#include "dataplane/dp_counters.h"

#define NAME_(name, help) #name,
#define HELP_(name, help) help,
#define ONE_(name, help) +1

const char *const dp_worker_counter_names[] = { DP_WORKER_COUNTERS(NAME_) };
const char *const dp_worker_counter_help[] = { DP_WORKER_COUNTERS(HELP_) };
const unsigned int dp_worker_counter_count = 0 DP_WORKER_COUNTERS(ONE_);
const char *const dp_session_counter_names[] = { DP_SESSION_COUNTERS(NAME_) };
const unsigned int dp_session_counter_count = 0 DP_SESSION_COUNTERS(ONE_);
