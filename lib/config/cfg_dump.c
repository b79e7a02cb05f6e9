/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The effective configuration as JSON: every key of every section in the
 * documented order, with defaults and resolved values written out, so that
 * the text loads back to an equal configuration (dpptpd --check-config
 * prints it; tests load it again).
 */
#include <stdio.h>

#include "cfg_internal.h"

int dpptpd_config_dump(const struct dpptpd_config *c, FILE *f)
{
	json_t *root = cfg_dump_object(&cfg_top_table, c);
	int rc;

	if (!root)
		return -1;
	rc = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	json_decref(root);
	if (rc != 0 || fputc('\n', f) == EOF || fflush(f) != 0)
		return -1;
	return 0;
}
