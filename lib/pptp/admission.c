/* SPDX-License-Identifier: BSD-3-Clause */
#include "pptp/admission.h"

#include <stdlib.h>

struct pptp_admission {
	struct pptp_admission_cfg cfg;
	struct pptp_src_limit *rate; /* NULL: no per-source limit */
	struct pptp_admission_stats stats;
};

struct pptp_admission *pptp_admission_new(const struct pptp_admission_cfg *cfg)
{
	struct pptp_admission *adm = calloc(1, sizeof(*adm));

	if (!adm)
		return NULL;
	adm->cfg = *cfg;
	if (cfg->rate.burst != 0) {
		adm->rate = pptp_src_limit_new(&cfg->rate);
		if (!adm->rate) {
			free(adm);
			return NULL;
		}
	}
	return adm;
}

int pptp_admission_reconfigure(struct pptp_admission *adm, const struct pptp_admission_cfg *cfg)
{
	struct pptp_src_limit *rate = adm->rate;
	bool same_rate = cfg->rate.burst == adm->cfg.rate.burst &&
			 cfg->rate.refill_ms == adm->cfg.rate.refill_ms &&
			 cfg->rate.slots == adm->cfg.rate.slots;

	if (!same_rate) {
		rate = NULL;
		if (cfg->rate.burst != 0) {
			rate = pptp_src_limit_new(&cfg->rate);
			if (!rate)
				return -1;
		}
		pptp_src_limit_free(adm->rate);
		adm->rate = rate;
	}
	/* Counts of sessions in set-up and up carry over: only limits change. */
	adm->cfg = *cfg;
	return 0;
}

void pptp_admission_free(struct pptp_admission *adm)
{
	if (!adm)
		return;
	pptp_src_limit_free(adm->rate);
	free(adm);
}

static enum pptp_admit capacity(const struct pptp_admission *adm)
{
	uint32_t total = adm->stats.setup + adm->stats.up;

	if (adm->cfg.max_sessions && total >= adm->cfg.max_sessions)
		return PPTP_ADMIT_MAX_SESSIONS;
	if (adm->cfg.max_setup && adm->stats.setup >= adm->cfg.max_setup)
		return PPTP_ADMIT_MAX_SETUP;
	return PPTP_ADMIT_OK;
}

enum pptp_admit pptp_admit_connection(struct pptp_admission *adm, uint64_t now_ms,
				      uint32_t peer_addr)
{
	enum pptp_admit v = capacity(adm);

	if (v == PPTP_ADMIT_OK && adm->rate && !pptp_src_limit_take(adm->rate, now_ms, peer_addr))
		v = PPTP_ADMIT_RATE_LIMITED;
	adm->stats.connections[v]++;
	return v;
}

enum pptp_admit pptp_admit_session_begin(struct pptp_admission *adm)
{
	enum pptp_admit v = capacity(adm);

	if (v == PPTP_ADMIT_OK)
		adm->stats.setup++;
	adm->stats.sessions[v]++;
	return v;
}

void pptp_admit_session_up(struct pptp_admission *adm)
{
	if (adm->stats.setup == 0) {
		adm->stats.unbalanced++;
		return;
	}
	adm->stats.setup--;
	adm->stats.up++;
}

void pptp_admit_session_end(struct pptp_admission *adm, bool was_up)
{
	uint32_t *count = was_up ? &adm->stats.up : &adm->stats.setup;

	if (*count == 0) {
		adm->stats.unbalanced++;
		return;
	}
	(*count)--;
}

const struct pptp_admission_stats *pptp_admission_stats(const struct pptp_admission *adm)
{
	return &adm->stats;
}

const char *pptp_admit_name(enum pptp_admit verdict)
{
	switch (verdict) {
	case PPTP_ADMIT_OK:
		return "ok";
	case PPTP_ADMIT_MAX_SESSIONS:
		return "max-sessions";
	case PPTP_ADMIT_MAX_SETUP:
		return "max-setup";
	case PPTP_ADMIT_RATE_LIMITED:
		return "rate-limited";
	case PPTP_ADMIT_COUNT_:
		break;
	}
	return "unknown";
}
