/* SPDX-License-Identifier: BSD-3-Clause */
#include "ppp_types.h"

#define PPP_REASON_NAME_(name, text) #name,
#define PPP_REASON_TEXT_(name, text) text,
static const char *const reason_names[] = { PPP_REASON_LIST(PPP_REASON_NAME_) };
static const char *const reason_texts[] = { PPP_REASON_LIST(PPP_REASON_TEXT_) };

const char *ppp_reason_name(enum ppp_reason r)
{
	return (unsigned)r < PPP_REASON_COUNT_ ? reason_names[r] : "UNKNOWN";
}

const char *ppp_reason_text(enum ppp_reason r)
{
	return (unsigned)r < PPP_REASON_COUNT_ ? reason_texts[r] : "unknown reason";
}

const char *ppp_phase_name(enum ppp_phase p)
{
	switch (p) {
	case PPP_PHASE_DEAD: return "Dead";
	case PPP_PHASE_ESTABLISH: return "Establish";
	case PPP_PHASE_AUTHENTICATE: return "Authenticate";
	case PPP_PHASE_NETWORK: return "Network";
	case PPP_PHASE_TERMINATE: return "Terminate";
	}
	return "?";
}

const char *ppp_auth_method_name(enum ppp_auth_method m)
{
	switch (m) {
	case PPP_AUTH_NONE: return "none";
	case PPP_AUTH_PAP: return "PAP";
	case PPP_AUTH_CHAP_MD5: return "CHAP-MD5";
	case PPP_AUTH_MSCHAPV2: return "MS-CHAPv2";
	}
	return "?";
}
