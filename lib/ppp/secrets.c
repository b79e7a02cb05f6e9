/* SPDX-License-Identifier: BSD-3-Clause */
/* chap-secrets: a lexer for pppd's word syntax, a line parser, and an index by client name. */
#include "secrets.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ip_pool.h"

#define NIL UINT32_MAX
#define WORD_MAX 1024
#define SECRETS_FILE_MAX (64u << 20)

struct ppp_secrets {
	struct secrets_entry *e;
	size_t n;
	size_t cap;
	uint32_t *slots; /* open addressing: first entry of each exact client name */
	uint32_t n_slots;
	uint32_t *wild; /* entries whose client is "*", in file order */
	size_t n_wild;
};

/* ---- lexer ---- */

struct lexer {
	const char *p;
	const char *end;
	unsigned line;
};

enum tok { TOK_WORD, TOK_EOL, TOK_EOF, TOK_ERROR };

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* After a backslash (lx->p at the escaped character): the byte it stands for. */
static unsigned char escape(struct lexer *lx)
{
	char c = *lx->p++;
	unsigned v;

	switch (c) {
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	case 's': return ' ';
	case 'b': return '\b';
	case 'f': return '\f';
	case 'a': return '\a';
	case 'v': return '\v';
	case 'x':
		v = 0;
		for (int i = 0; i < 2 && lx->p < lx->end && hexval(*lx->p) >= 0; i++)
			v = v * 16 + (unsigned)hexval(*lx->p++);
		return (unsigned char)v;
	default:
		if (c >= '0' && c <= '7') {
			v = (unsigned)(c - '0');
			for (int i = 0; i < 2 && lx->p < lx->end && *lx->p >= '0' && *lx->p <= '7';
			     i++)
				v = v * 8 + (unsigned)(*lx->p++ - '0');
			return (unsigned char)v;
		}
		return (unsigned char)c;
	}
}

/* The next word into buf (NUL-terminated too), or the end of a line or of the text. */
static enum tok next_word(struct lexer *lx, char *buf, size_t *len, const char **err)
{
	char quote = 0;
	size_t n = 0;

	for (;;) {
		if (lx->p == lx->end)
			return TOK_EOF;
		if (*lx->p == '\n') {
			lx->p++;
			lx->line++;
			return TOK_EOL;
		}
		if (is_blank(*lx->p)) {
			lx->p++;
		} else if (*lx->p == '\\' && lx->end - lx->p > 1 && lx->p[1] == '\n') {
			lx->p += 2;
			lx->line++;
		} else if (*lx->p == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else {
			break;
		}
	}
	while (lx->p < lx->end) {
		char c = *lx->p;
		unsigned char byte;

		if (!quote && (c == '\n' || is_blank(c)))
			break;
		if (!quote && (c == '"' || c == '\'')) {
			quote = c;
			lx->p++;
			continue;
		}
		if (quote && c == quote) {
			quote = 0;
			lx->p++;
			continue;
		}
		if (c == '\n') {
			*err = "newline inside quotes";
			return TOK_ERROR;
		}
		lx->p++;
		if (c == '\\') {
			if (lx->p == lx->end) {
				*err = "backslash at the end of the file";
				return TOK_ERROR;
			}
			if (*lx->p == '\n') { /* continuation */
				lx->p++;
				lx->line++;
				continue;
			}
			byte = escape(lx);
		} else {
			byte = (unsigned char)c;
		}
		if (n >= WORD_MAX - 1) {
			*err = "word longer than 1023 bytes";
			return TOK_ERROR;
		}
		buf[n++] = (char)byte;
	}
	if (quote) {
		*err = "unterminated quote";
		return TOK_ERROR;
	}
	buf[n] = '\0';
	*len = n;
	return TOK_WORD;
}

static void skip_line(struct lexer *lx)
{
	while (lx->p < lx->end && *lx->p != '\n')
		lx->p++;
	if (lx->p < lx->end) {
		lx->p++;
		lx->line++;
	}
}

/* ---- entries ---- */

static void entry_wipe(struct secrets_entry *e)
{
	if (e->secret)
		memset(e->secret, 0, e->secret_len);
	free(e->secret);
	free(e->client);
	free(e->server);
	memset(e, 0, sizeof(*e));
}

/* One word of the address column into the entry: NULL or what is wrong. */
static const char *add_address(struct secrets_entry *e, const char *w, bool *any)
{
	struct ppp_addr_rule r;
	const char *slash = strchr(w, '/');

	if (strcmp(w, "*") == 0) {
		*any = true;
		return NULL;
	}
	if (strcmp(w, "-") == 0) {
		e->deny_all = true;
		return NULL;
	}
	if (slash) {
		struct ip_range range;
		char *end;
		unsigned long len = strtoul(slash + 1, &end, 10);

		if (slash[1] < '0' || slash[1] > '9' || *end || len > 32 ||
		    ip_range_parse(w, &range) != 0)
			return "bad address/prefix in the address column";
		r.prefix_len = (uint8_t)len;
		r.addr = len >= 31 ? range.first : range.first - 1;
	} else {
		if (ip_addr_parse(w, &r.addr) != 0)
			return "unsupported word in the address column (hostname, '!' or '--'?)";
		r.prefix_len = 32;
	}
	if (e->n_allowed >= PPP_AUTH_MAX_ALLOWED)
		return "more than 8 addresses";
	e->allowed[e->n_allowed++] = r;
	return NULL;
}

static const char *finish_addresses(struct secrets_entry *e, bool any)
{
	if (e->deny_all && (e->n_allowed || any))
		return "'-' mixed with addresses";
	/* One plain address: the user's static address. */
	if (e->n_allowed == 1 && e->allowed[0].prefix_len == 32 && !any) {
		e->static_ip = e->allowed[0].addr;
		e->n_allowed = 0;
	}
	return NULL;
}

static int append(struct ppp_secrets *t, struct secrets_entry *e)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct secrets_entry *bigger = realloc(t->e, cap * sizeof(*bigger));
		if (!bigger)
			return -1;
		t->e = bigger;
		t->cap = cap;
	}
	t->e[t->n++] = *e;
	return 0;
}

/* Parse the rest of one line, whose first word is in `word`; 0, -1 (memory), or 1 (bad line). */
static int parse_entry(struct ppp_secrets *t, struct lexer *lx, char *word, size_t len,
		       const char **err)
{
	struct secrets_entry e = { 0 };
	bool any = false;
	enum tok tk = TOK_WORD;
	unsigned idx = 0;

	e.line = lx->line;
	e.next_same_client = NIL;
	for (; tk == TOK_WORD; idx++, tk = next_word(lx, word, &len, err)) {
		if (*err)
			continue; /* keep reading to the end of the line */
		if (idx < 2 && (len == 0 || len > PPP_MAX_NAME_LEN || memchr(word, '\0', len))) {
			*err = idx == 0 ? "bad client name (empty, too long or NUL)"
					: "bad server name (empty, too long or NUL)";
		} else if (idx == 0) {
			e.client = strdup(word);
		} else if (idx == 1) {
			e.server = strdup(word);
		} else if (idx == 2) {
			if (len > SECRETS_MAX_SECRET) {
				*err = "secret too long";
				continue;
			}
			e.secret = malloc(len ? len : 1);
			if (e.secret)
				memcpy(e.secret, word, len);
			e.secret_len = len;
		} else {
			*err = add_address(&e, word, &any);
		}
		if (!*err &&
		    ((idx == 0 && !e.client) || (idx == 1 && !e.server) || (idx == 2 && !e.secret)))
			goto nomem;
	}
	if (tk == TOK_ERROR) {
		skip_line(lx);
	} else if (!*err && idx < 3) {
		*err = "a line needs a client, a server and a secret";
	}
	if (!*err)
		*err = finish_addresses(&e, any);
	if (*err) {
		entry_wipe(&e);
		return 1;
	}
	if (append(t, &e) != 0)
		goto nomem;
	return 0;
nomem:
	entry_wipe(&e);
	return -1;
}

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static int build_index(struct ppp_secrets *t)
{
	uint32_t n = 16;

	while (n < 2 * t->n)
		n *= 2;
	t->slots = malloc(n * sizeof(uint32_t));
	t->wild = malloc((t->n ? t->n : 1) * sizeof(uint32_t));
	if (!t->slots || !t->wild)
		return -1;
	t->n_slots = n;
	for (uint32_t i = 0; i < n; i++)
		t->slots[i] = NIL;
	for (uint32_t i = 0; i < t->n; i++) {
		struct secrets_entry *e = &t->e[i];
		uint32_t s;

		if (strcmp(e->client, "*") == 0) {
			t->wild[t->n_wild++] = i;
			continue;
		}
		for (s = name_hash(e->client) & (n - 1); t->slots[s] != NIL; s = (s + 1) & (n - 1))
			if (strcmp(t->e[t->slots[s]].client, e->client) == 0)
				break;
		if (t->slots[s] == NIL) {
			t->slots[s] = i;
		} else { /* same client again: chain it after the others, file order */
			uint32_t j = t->slots[s];
			while (t->e[j].next_same_client != NIL)
				j = t->e[j].next_same_client;
			t->e[j].next_same_client = i;
		}
	}
	return 0;
}

struct ppp_secrets *secrets_parse(const char *text, size_t len, const char *source,
				  secrets_error_fn on_error, void *ctx, unsigned *n_errors)
{
	struct ppp_secrets *t = calloc(1, sizeof(*t));
	struct lexer lx = { text, text + len, 1 };
	char *word = malloc(WORD_MAX);
	unsigned errors = 0;

	if (!t || !word)
		goto nomem;
	for (;;) {
		const char *err = NULL;
		size_t wlen = 0;
		unsigned line = lx.line;
		enum tok tk = next_word(&lx, word, &wlen, &err);
		int rc;

		if (tk == TOK_EOF)
			break;
		if (tk == TOK_EOL)
			continue;
		if (tk == TOK_ERROR) {
			skip_line(&lx);
		} else {
			line = lx.line;
			rc = parse_entry(t, &lx, word, wlen, &err);
			if (rc < 0)
				goto nomem;
		}
		if (err) {
			errors++;
			if (on_error)
				on_error(ctx, source, line, err);
		}
	}
	if (build_index(t) != 0)
		goto nomem;
	memset(word, 0, WORD_MAX);
	free(word);
	if (n_errors)
		*n_errors = errors;
	return t;
nomem:
	if (word)
		memset(word, 0, WORD_MAX);
	free(word);
	secrets_free(t);
	errno = ENOMEM;
	return NULL;
}

struct ppp_secrets *secrets_load_file(const char *path, secrets_error_fn on_error, void *ctx,
				      unsigned *n_errors)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	struct ppp_secrets *t = NULL;
	int saved;

	if (!f)
		return NULL;
	for (;;) {
		size_t got;
		if (len == cap) {
			char *bigger;
			if (cap >= SECRETS_FILE_MAX) {
				errno = EFBIG;
				goto out;
			}
			cap = cap ? cap * 2 : 4096;
			bigger = realloc(buf, cap);
			if (!bigger)
				goto out;
			buf = bigger;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			if (ferror(f))
				goto out;
			break;
		}
	}
	t = secrets_parse(buf, len, path, on_error, ctx, n_errors);
out:
	saved = errno;
	if (buf) {
		memset(buf, 0, cap);
		free(buf);
	}
	fclose(f);
	errno = saved;
	return t;
}

void secrets_free(struct ppp_secrets *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		entry_wipe(&t->e[i]);
	free(t->e);
	free(t->slots);
	free(t->wild);
	free(t);
}

size_t secrets_count(const struct ppp_secrets *t)
{
	return t->n;
}

const struct secrets_entry *secrets_entry_at(const struct ppp_secrets *t, size_t i)
{
	return i < t->n ? &t->e[i] : NULL;
}

static bool server_matches(const struct secrets_entry *e, const char *server, bool *exact)
{
	*exact = strcmp(e->server, server) == 0;
	return *exact || strcmp(e->server, "*") == 0;
}

const struct secrets_entry *secrets_lookup(const struct ppp_secrets *t, const char *client,
					   const char *server)
{
	const struct secrets_entry *best = NULL;
	bool exact;
	uint32_t s, mask = t->n_slots - 1;

	/* Entries naming the client: an exact server wins, else the first wildcard one. */
	for (s = name_hash(client) & mask; t->slots[s] != NIL; s = (s + 1) & mask) {
		if (strcmp(t->e[t->slots[s]].client, client) != 0)
			continue;
		for (uint32_t i = t->slots[s]; i != NIL; i = t->e[i].next_same_client) {
			if (!server_matches(&t->e[i], server, &exact))
				continue;
			if (exact)
				return &t->e[i];
			if (!best)
				best = &t->e[i];
		}
		return best;
	}
	for (size_t k = 0; k < t->n_wild; k++) {
		const struct secrets_entry *e = &t->e[t->wild[k]];
		if (!server_matches(e, server, &exact))
			continue;
		if (exact)
			return e;
		if (!best)
			best = e;
	}
	return best;
}
