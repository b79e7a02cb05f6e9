/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Random bytes for challenges and magic numbers, from the kernel's CSPRNG.
 * The engine reaches it through hooks->random when that is NULL; tests put
 * a deterministic function there instead.
 */
#ifndef DPPTP_PPP_RANDOM_H
#define DPPTP_PPP_RANDOM_H

#include <stddef.h>

/* Fill buf with len bytes from getrandom(): 0, or -1 if the kernel refuses. */
int ppp_random_bytes(void *buf, size_t len);

#endif /* DPPTP_PPP_RANDOM_H */
