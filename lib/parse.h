/*
 * The parser's internal state, shared by parser.c (files, agreements,
 * policies, rules), parse-cond.c (actions and conditions) and events.c
 * (events blocks and the streaming event reader).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_PARSE_H
#define CM_PARSE_H

#include <string.h>

#include "lexer.h"

/* Status of a parse stopped by CM__T_MORE (positive: not an error). */
enum { CM__MORE = 1 };

/* Lookahead: the grammar needs at most four tokens (STATE ( ID )). */
enum { CM__LOOKAHEAD = 4 };

/* A growable scratch array under the parser's temporary context. */
struct cm__stack {
	void *v;
	size_t n, cap;
};

struct cm__parser {
	struct cm__lexer lx;
	struct cm__token la[CM__LOOKAHEAD]; /* ring of lookahead tokens */
	unsigned head, nla;
	cm_error *err;
	const char *file; /* for errors (NULL for builder texts) */
	void *tmp;        /* temporary talloc context (scratch stacks) */
	int rc;           /* status behind a CM__T_ERROR / CM__T_MORE token */

	/* scratch stacks, reused: collected, then copied at exact size */
	struct cm__stack kids;  /* struct cm_condition * */
	struct cm__stack attrs; /* struct cm__attr */
	struct cm__stack names; /* struct cm__name */
	struct cm__stack sbuf;  /* char: NUL-terminated copies */
	struct cm__stack sbuf2;
};

void cm__parser_init(struct cm__parser *P, void *tmp, const char *text,
		     size_t len, const char *file, cm_error *err);

/** The k-th token ahead (0 = the next one). */
const struct cm__token *cm__peek(struct cm__parser *P, unsigned k);
/** Consume the next token (returns a copy of it). */
struct cm__token cm__next(struct cm__parser *P);
/** Drop the lookahead (the reader re-lexes after moving its buffer). */
void cm__parser_drop_lookahead(struct cm__parser *P);

/** Is @p t the identifier @p kw? */
static inline bool cm__is_kw(const struct cm__token *t, const char *kw,
			     size_t kwlen)
{
	return t->kind == CM__T_ID && t->len == kwlen &&
	       memcmp(t->s, kw, kwlen) == 0;
}
#define CM__KW(t, lit) cm__is_kw((t), lit, sizeof(lit) - 1)

/**
 * "expected WHAT, found TOKEN" at @p t. When @p t is an error or
 * more-input token, its status is returned unchanged.
 */
int cm__expected(struct cm__parser *P, const struct cm__token *t,
		 const char *what);
/** An error of @p code at @p pos (file = the parser's). */
int cm__perror(struct cm__parser *P, int code, struct cm__pos pos,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/** Copy a token's text (strings unescaped) into @p ar. */
char *cm__tok_dup(struct cm__arena *ar, const struct cm__token *t);
/** A NUL-terminated copy of a token's text (unescaped) in scratch buffer
 *  @p sb, valid until the next use of that buffer; NULL when out of
 *  memory. */
const char *cm__tok_cstr(struct cm__parser *P, struct cm__stack *sb,
			 const struct cm__token *t);
/** Make room for @p extra more elements of @p elsize on a stack. */
bool cm__stack_reserve(struct cm__parser *P, struct cm__stack *s,
		       size_t elsize, size_t extra);

/** `ids = ID { "," ID }` appended to @p l (exact size when new). @p what
 *  names the list in "expected" messages. */
int cm__parse_ids(struct cm__parser *P, struct cm__arena *ar,
		  struct cm__names *l, const char *what);

/* parse-cond.c */
int cm__p_action(struct cm__parser *P, struct cm__arena *ar,
		 struct cm__action *out);
int cm__p_condition(struct cm__parser *P, struct cm__arena *ar,
		    struct cm_condition **out);

/* rules (parser.c) */
int cm__p_rule(struct cm__parser *P, struct cm__arena *ar,
	       struct cm__rule *r);
int cm__p_selector(struct cm__parser *P, struct cm__arena *ar,
		   struct cm__rule *r);

/* events.c */
/** `events { event* }` (from the `events` keyword) appended to @p l,
 *  with the order check of one source. */
int cm__p_events_block(struct cm__parser *P, struct cm__arena *ar,
		       const char *file, struct cm__events *l);
/**
 * One event (`DATE action [STRING] {(reported|denied|verified) by ids}`)
 * into @p ev, strings in @p ar, file = @p file (borrowed). Does not check
 * the order.
 */
int cm__p_event(struct cm__parser *P, struct cm__arena *ar,
		const char *file, struct cm_event *ev);
/** The order check of one events source: CM_EORDER at @p ev's date when
 *  it is earlier than @p prev. */
int cm__event_order(struct cm__parser *P, const struct cm_event *ev,
		    cm_time prev);

#endif
