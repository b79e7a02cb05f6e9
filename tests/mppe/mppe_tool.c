/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/mppe driven line by line from stdin, for check_mppe.py (which holds
 * an independent implementation, tests/tools/mppe.py). One answer line per
 * command, flushed at once:
 *
 *   init <id> <bits> <stateless 0|1> <start key hex>  -> ok
 *   enc <id> <payload hex>                            -> <header + ciphertext hex>
 *   dec <id> <header + ciphertext hex>                -> ok <payload hex> | err <why>
 *   flush <id>                                        -> ok
 *   ctr <id>                                          -> rekeys=N reordered=N ...
 *
 * <why> is format, late, jump or resync. Anything malformed ends the tool
 * with status 2.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mppe/mppe.h"

#define MAX_DIRS 16
#define MAX_PKT 4096

static struct mppe_dir dirs[MAX_DIRS];

static void die(const char *what)
{
	fprintf(stderr, "mppe_tool: %s\n", what);
	exit(2);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	die("bad hex");
	return 0;
}

static size_t unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = strlen(s);

	if (n % 2 || n / 2 > max)
		die("bad hex length");
	for (size_t i = 0; i < n / 2; i++)
		out[i] = (uint8_t)(hexval(s[2 * i]) << 4 | hexval(s[2 * i + 1]));
	return n / 2;
}

static void put_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static struct mppe_dir *dir_arg(const char *s)
{
	char *end;
	long id = s ? strtol(s, &end, 10) : -1;

	if (!s || *end || id < 0 || id >= MAX_DIRS)
		die("bad direction id");
	return &dirs[id];
}

static const char *why(int rc)
{
	switch (rc) {
	case MPPE_ERR_FORMAT:
		return "format";
	case MPPE_ERR_LATE:
		return "late";
	case MPPE_ERR_JUMP:
		return "jump";
	case MPPE_ERR_RESYNC:
		return "resync";
	default:
		return "unknown";
	}
}

static void command(char *line)
{
	static uint8_t buf[MAX_PKT + MPPE_HDR_LEN];
	char *cmd = strtok(line, " \n"), *a1 = strtok(NULL, " \n"), *a2 = strtok(NULL, " \n");
	struct mppe_dir *d;
	size_t len;

	if (!cmd)
		die("empty line");
	d = dir_arg(a1);
	if (!strcmp(cmd, "init")) {
		char *a3 = strtok(NULL, " \n"), *a4 = strtok(NULL, " \n");
		uint8_t key[16] = { 0 };

		if (!a2 || !a3 || !a4)
			die("init <id> <bits> <stateless> <key>");
		unhex(a4, key, sizeof(key));
		mppe_dir_init(d, key, (unsigned int)atoi(a2), atoi(a3) != 0);
		printf("ok\n");
	} else if (!strcmp(cmd, "enc")) {
		if (!a2)
			die("enc <id> <hex>");
		len = unhex(a2, buf + MPPE_HDR_LEN, MAX_PKT);
		mppe_encrypt(d, buf, buf + MPPE_HDR_LEN, len);
		put_hex(buf, len + MPPE_HDR_LEN);
		printf("\n");
	} else if (!strcmp(cmd, "dec")) {
		int rc;

		if (!a2)
			die("dec <id> <hex>");
		len = unhex(a2, buf, sizeof(buf));
		if (len < MPPE_HDR_LEN)
			die("dec: no header");
		rc = mppe_decrypt(d, buf, buf + MPPE_HDR_LEN, len - MPPE_HDR_LEN);
		if (rc == MPPE_OK) {
			printf("ok ");
			put_hex(buf + MPPE_HDR_LEN, len - MPPE_HDR_LEN);
			printf("\n");
		} else {
			printf("err %s\n", why(rc));
		}
	} else if (!strcmp(cmd, "flush")) {
		mppe_request_flush(d);
		printf("ok\n");
	} else if (!strcmp(cmd, "ctr")) {
		const struct mppe_counters *c = &d->ctr;

		printf("rekeys=%llu reordered=%llu lost=%llu format=%llu late=%llu jump=%llu "
		       "resync=%llu sync_lost=%llu flushes=%llu\n",
		       (unsigned long long)c->rekeys, (unsigned long long)c->reordered,
		       (unsigned long long)c->lost, (unsigned long long)c->format,
		       (unsigned long long)c->late, (unsigned long long)c->jump,
		       (unsigned long long)c->resync, (unsigned long long)c->sync_lost,
		       (unsigned long long)c->flushes);
	} else {
		die("unknown command");
	}
	fflush(stdout);
}

int main(void)
{
	char *line = NULL;
	size_t cap = 0;

	while (getline(&line, &cap, stdin) > 0)
		command(line);
	free(line);
	return 0;
}
