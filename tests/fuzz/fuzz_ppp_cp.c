/* SPDX-License-Identifier: BSD-3-Clause */
/* LCP/IPCP/CCP/IPV6CP packets (the first input byte picks the protocol):
 * a packet that parses is rewritten option by option to the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/ppp_cp.h"
#include "proto/ppp_frame.h"
#include "proto/proto_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t protos[] = { PPP_LCP, PPP_IPCP, PPP_CCP, PPP_IPV6CP };
	struct ppp_cp_pkt p;
	struct ppp_cp_writer w;
	struct ppp_opt_iter it;
	struct ppp_opt o;
	uint8_t out[65536 + 4];
	int rc;

	if (size < 1)
		return 0;
	uint16_t proto = protos[data[0] & 3];
	data++;
	size--;
	rc = ppp_cp_parse(proto, data, size, &p);
	if (rc != PROTO_OK && rc != PROTO_E(CP_UNKNOWN_CODE))
		return 0;
	if (p.length > size || p.data + p.data_len != data + p.length)
		abort();
	if (rc != PROTO_OK || p.code > PPP_CONF_REJ) {
		if (p.rest < p.data || p.rest + p.rest_len > p.data + p.data_len)
			abort();
		return 0;
	}
	ppp_cp_writer_init(&w, out, sizeof(out), p.code, p.id);
	ppp_opt_iter_init(&it, p.data, p.data_len);
	while ((rc = ppp_opt_next(&it, &o)) > 0) {
		(void)ppp_opt_check_size(proto, &o);
		ppp_cp_put_opt(&w, o.type, o.val, o.val_len);
	}
	if (rc != 0)
		abort(); /* the parser validated every option already */
	int n = ppp_cp_writer_finish(&w);
	if (n != p.length || memcmp(out, data, (size_t)n) != 0)
		abort();
	return 0;
}
