/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pppd's chap-secrets (and pap-secrets) file, so pptpd users migrate with
 * their file unchanged:
 *
 *     # client     server    secret          addresses...
 *     lab          pptpd     "lab-secret"    *
 *     alice        *         'p a s s'       100.64.1.10
 *     "bob smith"  pptpd     s3cr3t\#x       100.64.2.0/24 100.64.3.7
 *
 * Words are separated by blanks; "..." and '...' quote (blanks and # inside
 * are literal, a word may mix quoted and unquoted parts); a backslash
 * escapes: \n \r \t \s (space) \b \f \a \v, \ooo (octal), \xHH, any other
 * character stands for itself, and backslash-newline continues the line.
 * '#' where a word would begin starts a comment. `*` in the client or
 * server column matches any name.
 *
 * The addresses column (what pppd calls the allowed addresses):
 *   (none) or *       an address from the pool
 *   a.b.c.d           this static address, always
 *   -                 no address at all (the session cannot come up)
 *   several / a.b.c.d/n   the peer may ask for one of these; otherwise
 *                     (0.0.0.0) it gets a pool address
 * Hostnames, "!" exclusions and "--" options are not supported: such a
 * line is reported and skipped, never half-understood.
 *
 * Lookup follows pppd: an entry naming the client exactly beats one with a
 * wildcard client, and then an exact server beats a wildcard server;
 * among equals, the first in the file wins.
 */
#ifndef DPPTP_PPP_SECRETS_H
#define DPPTP_PPP_SECRETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth_backend.h"

#define SECRETS_MAX_SECRET 1023

struct secrets_entry {
	char *client;
	char *server;
	uint8_t *secret; /* may hold any byte (escapes); not NUL-terminated */
	size_t secret_len;
	uint32_t static_ip; /* one literal address, else 0 */
	struct ppp_addr_rule allowed[PPP_AUTH_MAX_ALLOWED];
	uint8_t n_allowed;
	bool deny_all;
	unsigned line;
	uint32_t next_same_client; /* index of the next entry for this client, or UINT32_MAX */
};

struct ppp_secrets;

/* Called for each malformed line, which is then skipped. */
typedef void (*secrets_error_fn)(void *ctx, const char *source, unsigned line, const char *msg);

/*
 * Parse a whole file's text. Returns the table (possibly empty) and the
 * number of malformed lines in *n_errors; NULL only when out of memory.
 */
struct ppp_secrets *secrets_parse(const char *text, size_t len, const char *source,
				  secrets_error_fn on_error, void *ctx, unsigned *n_errors);

/* Read and parse a file; NULL with errno set if it cannot be read. */
struct ppp_secrets *secrets_load_file(const char *path, secrets_error_fn on_error, void *ctx,
				      unsigned *n_errors);

/* Frees, wiping the secrets first. */
void secrets_free(struct ppp_secrets *t);

size_t secrets_count(const struct ppp_secrets *t);
const struct secrets_entry *secrets_entry_at(const struct ppp_secrets *t, size_t i);

/* The best entry for (client, server), or NULL. */
const struct secrets_entry *secrets_lookup(const struct ppp_secrets *t, const char *client,
					   const char *server);

#endif /* DPPTP_PPP_SECRETS_H */
