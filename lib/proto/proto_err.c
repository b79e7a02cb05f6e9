/* SPDX-License-Identifier: BSD-3-Clause */
#include "proto_err.h"

#define PROTO_ERR_TEXT_(name, text) [PROTO_ERR_##name] = text,
static const char *const err_text[PROTO_ERR_COUNT_] = {
	[PROTO_ERR_NONE_] = "success",
	PROTO_ERR_LIST(PROTO_ERR_TEXT_)
};
#undef PROTO_ERR_TEXT_

#define PROTO_ERR_NAME_(name, text) [PROTO_ERR_##name] = #name,
static const char *const err_name[PROTO_ERR_COUNT_] = {
	[PROTO_ERR_NONE_] = "OK",
	PROTO_ERR_LIST(PROTO_ERR_NAME_)
};
#undef PROTO_ERR_NAME_

static int err_index(int err)
{
	if (err > 0 || -err >= PROTO_ERR_MAX)
		return -1;
	return -err;
}

const char *proto_strerror(int err)
{
	int i = err_index(err);
	return i < 0 ? "unknown error" : err_text[i];
}

const char *proto_errname(int err)
{
	int i = err_index(err);
	return i < 0 ? "UNKNOWN" : err_name[i];
}
