/* SPDX-License-Identifier: BSD-3-Clause */
#include "ppp_config.h"

#include <stdio.h>
#include <string.h>

void ppp_config_default(struct ppp_config *c)
{
	memset(c, 0, sizeof(*c));
	c->mru = 1400;
	c->mtu = 1400;
	c->request_pfc = true;
	c->request_acfc = true;
	c->request_magic = true;

	c->restart_ms = 3000;
	c->max_configure = 10;
	c->max_terminate = 2;
	c->max_failure = 5;
	c->max_loopback = 10;

	/* pptpd's shipped options: lcp-echo-interval 30, lcp-echo-failure 4. */
	c->echo_interval_ms = 30000;
	c->echo_failures = 4;

	c->setup_timeout_ms = 60000;

	c->auth_methods = PPP_AUTH_MSCHAPV2;
	/* pptpd's "name pptpd": existing chap-secrets files keep matching. */
	c->auth_name = "pptpd";
	c->auth_restart_ms = 3000;
	c->auth_max_challenges = 10;
	c->auth_timeout_ms = 30000;
	c->auth_max_attempts = 3;

	/* Off until configured; then 128-bit stateless, as Windows Vista+ insists. */
	c->mppe.policy = PPP_MPPE_OFF;
	c->mppe.bits = PPP_MPPE_128;
	c->mppe.stateless = true;
}

#define FAIL(...)                                                                               \
	do {                                                                                    \
		snprintf(err, err_len, __VA_ARGS__);                                            \
		return -1;                                                                      \
	} while (0)

int ppp_config_validate(const struct ppp_config *c, char *err, size_t err_len)
{
	if (c->mru < PPP_MIN_MRU || c->mru > PPP_PPTP_MAX_MRU)
		FAIL("mru %u outside %u..%u", c->mru, PPP_MIN_MRU, PPP_PPTP_MAX_MRU);
	if (c->mtu < PPP_MIN_MRU || c->mtu > PPP_PPTP_MAX_MRU)
		FAIL("mtu %u outside %u..%u", c->mtu, PPP_MIN_MRU, PPP_PPTP_MAX_MRU);
	if (c->restart_ms == 0)
		FAIL("restart_ms must be above 0");
	if (c->max_configure == 0 || c->max_configure > 255)
		FAIL("max_configure %u outside 1..255", c->max_configure);
	if (c->max_terminate == 0 || c->max_terminate > 255)
		FAIL("max_terminate %u outside 1..255", c->max_terminate);
	if (c->max_failure == 0 || c->max_failure > 255)
		FAIL("max_failure %u outside 1..255", c->max_failure);
	if (c->max_loopback == 0)
		FAIL("max_loopback must be above 0");
	if (c->echo_interval_ms && c->echo_failures == 0)
		FAIL("echo_failures must be above 0 when echo_interval_ms is set");
	if (c->auth_methods & ~(unsigned)PPP_AUTH_ALL)
		FAIL("auth_methods 0x%x has unknown bits", c->auth_methods);
	if (c->auth_methods) {
		if (!c->auth_backend || !c->auth_backend->verify || !c->auth_backend->cancel)
			FAIL("authentication needs a backend with verify and cancel");
		if (!c->auth_name || strlen(c->auth_name) > PPP_MAX_NAME_LEN)
			FAIL("auth_name missing or longer than %d", PPP_MAX_NAME_LEN);
		if (c->auth_restart_ms == 0 || c->auth_timeout_ms == 0)
			FAIL("auth_restart_ms and auth_timeout_ms must be above 0");
		if (c->auth_max_challenges == 0 || c->auth_max_attempts == 0)
			FAIL("auth_max_challenges and auth_max_attempts must be above 0");
	}
	if ((unsigned)c->mppe.policy > PPP_MPPE_REQUIRE)
		FAIL("mppe.policy %u unknown", (unsigned)c->mppe.policy);
	if (c->mppe.policy != PPP_MPPE_OFF) {
		if (c->mppe.bits == 0 || (c->mppe.bits & ~PPP_MPPE_ALL_BITS))
			FAIL("mppe.bits 0x%x: need one or more of 40, 56, 128", c->mppe.bits);
	}
	/* MPPE's keys come from MS-CHAPv2 only: requiring it without MS-CHAPv2 is a dead end. */
	if (c->mppe.policy == PPP_MPPE_REQUIRE && !(c->auth_methods & PPP_AUTH_MSCHAPV2))
		FAIL("mppe.policy require needs MS-CHAPv2 in auth_methods (MPPE keys come from it)");
	return 0;
}
