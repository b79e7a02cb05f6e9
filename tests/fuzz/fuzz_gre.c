/* SPDX-License-Identifier: BSD-3-Clause */
/* Enhanced GRE then the PPP frame inside: a header that parses is rebuilt
 * byte for byte from its fields. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/gre.h"
#include "proto/ppp_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gre_pptp g;
	struct ppp_frame f;
	uint8_t hdr[GRE_PPTP_MAX_LEN];

	int rc = gre_pptp_parse(data, size, &g);
	if (rc != PROTO_OK) {
		if (rc == PROTO_E(INVAL))
			abort(); /* fast and slow checks disagree */
		return 0;
	}
	if (g.hdr_len + (size_t)g.payload_len > size)
		abort();
	int n = gre_pptp_build(hdr, sizeof(hdr), &g);
	if (n != g.hdr_len || memcmp(hdr, data, (size_t)n) != 0)
		abort();
	if (g.payload_len == 0)
		return 0;
	if (ppp_frame_parse(data + g.hdr_len, g.payload_len, &f) == PROTO_OK) {
		uint8_t ph[4];
		if (f.hdr_len > g.payload_len)
			abort();
		/* LCP is always written uncompressed: skip the byte comparison. */
		if (f.protocol != PPP_LCP && (f.protocol & 0x100) == 0) {
			int k = ppp_frame_build(ph, sizeof(ph), f.protocol, !f.has_acf, f.pfc);
			if (k != f.hdr_len || memcmp(ph, data + g.hdr_len, (size_t)k) != 0)
				abort();
		}
	}
	return 0;
}
