/* SPDX-License-Identifier: BSD-3-Clause */
/* PPTP control stream: frame and parse every message in the input; whatever
 * parses must survive build -> parse unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/pptp_msg.h"
#include "proto/proto_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	while (size > 0) {
		struct pptp_msg m, again;
		uint8_t out[PPTP_MAX_MSG_LEN];
		int n = pptp_ctrl_frame(data, size);
		int rc = pptp_ctrl_parse(data, size, &m);

		if (n <= 0) {
			/* The framer and the parser agree on bad headers. */
			if (n < 0 && rc != n)
				abort();
			return 0;
		}
		if (rc == PROTO_OK) {
			int b = pptp_ctrl_build(&m, out, sizeof(out));
			if (b != n)
				abort();
			if (pptp_ctrl_parse(out, (size_t)b, &again) != PROTO_OK)
				abort();
			m.warnings = 0;
			again.warnings &= ~PPTP_WARN_STR_UNTERMINATED;
			if (again.warnings != 0 || memcmp(&m, &again, sizeof(m)) != 0)
				abort();
		}
		data += n;
		size -= (size_t)n;
	}
	return 0;
}
