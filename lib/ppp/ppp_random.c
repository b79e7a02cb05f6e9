/* SPDX-License-Identifier: BSD-3-Clause */
#include "ppp_random.h"

#include <errno.h>
#include <stdint.h>
#include <sys/random.h>

int ppp_random_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len > 0) {
		/* Never GRND_NONBLOCK: at boot, waiting beats a guessable challenge. */
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
