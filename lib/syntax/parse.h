/*
 * The parser's internal state, private to the syntax layer: the plumbing
 * (parse-core.c) shared by parser.c (files, agreements, policies, rules),
 * parse-rule.c (selectors, `require`, builder rules), parse-cond.c (actions and conditions)
 * and events.c (events blocks and the streaming event reader). The
 * layers above use syntax.h.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_PARSE_H
#define CM_PARSE_H

#include <string.h>

#include "model/names.h"
#include "syntax/lexer.h"

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
	bool events_only; /* parsing an event: attributes carry values, never
			     comparisons (SPEC §8.1) */
	struct cm__pos block_end; /* the `}` of the last events block parsed
				     (for the canonical writer) */

	/* scratch stacks, reused: collected, then copied at exact size */
	struct cm__stack kids;  /* struct cm_condition * */
	struct cm__stack attrs; /* struct cm__attr */
	struct cm__stack names; /* struct cm__name */
	struct cm__stack sbuf;  /* char: NUL-terminated copies */
	struct cm__stack sbuf2;
	/* the event reader's string pool: strings go here while it has room
	   (valid until the reader's next event), else into the arena */
	char *spool;
	size_t spool_left;
};

void cm__parser_init(struct cm__parser *P, void *tmp, const char *text,
		     size_t len, const char *file, cm_error *err);

/** Lex until @p k + 1 tokens are ahead; the k-th token. */
const struct cm__token *cm__peek_fill(struct cm__parser *P, unsigned k);

static inline bool cm__sticky(uint8_t kind)
{
	return kind == CM__T_EOF || kind == CM__T_ERROR || kind == CM__T_MORE;
}

/** The k-th token ahead (0 = the next one). The pointer is valid until
 *  the next cm__next(). */
static inline const struct cm__token *cm__peek(struct cm__parser *P,
					       unsigned k)
{
	if (k < P->nla)
		return &P->la[(P->head + k) & (CM__LOOKAHEAD - 1)];
	return cm__peek_fill(P, k);
}

/** Consume the next token (end of input and errors stay). The token
 *  after it is lexed at once, so that cm__peek(P, 0) is a load. */
static inline void cm__skip(struct cm__parser *P)
{
	const struct cm__token *t = cm__peek(P, 0);
	if (cm__sticky(t->kind))
		return;
	P->head = (P->head + 1) & (CM__LOOKAHEAD - 1);
	if (--P->nla == 0) {
		struct cm__token *n = &P->la[P->head];
		cm__lex(&P->lx, n);
		if (n->kind >= CM__T_ERROR)
			P->rc = n->kind == CM__T_ERROR ? P->lx.rc : CM__MORE;
		P->nla = 1;
	}
}

/** Consume the next token and return a copy of it. */
static inline struct cm__token cm__next(struct cm__parser *P)
{
	struct cm__token t = *cm__peek(P, 0);
	cm__skip(P);
	return t;
}
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

/** A NUL-terminated copy of @p n bytes at @p s: in the string pool when
 *  one is set and has room, else in @p ar. */
static inline char *cm__dup_slice(struct cm__parser *P, struct cm__arena *ar,
				  const char *s, size_t n)
{
	if (n < P->spool_left) {
		char *d = P->spool;
		memcpy(d, s, n);
		d[n] = '\0';
		P->spool += n + 1;
		P->spool_left -= n + 1;
		return d;
	}
	return cm__arena_strndup(ar, s, n);
}

/** Copy a token's text (strings unescaped) into @p ar (or the pool). */
char *cm__tok_dup(struct cm__parser *P, struct cm__arena *ar,
		  const struct cm__token *t);
/** A NUL-terminated copy of a token's text (unescaped) in scratch buffer
 *  @p sb, valid until the next use of that buffer; NULL when out of
 *  memory. */
const char *cm__tok_cstr(struct cm__parser *P, struct cm__stack *sb,
			 const struct cm__token *t);
/** The slow path of cm__stack_reserve(): grow the stack. */
bool cm__stack_grow(struct cm__parser *P, struct cm__stack *s,
		    size_t elsize, size_t extra);

/** Make room for @p extra more elements of @p elsize on a stack. */
static inline bool cm__stack_reserve(struct cm__parser *P,
				     struct cm__stack *s, size_t elsize,
				     size_t extra)
{
	return extra <= s->cap - s->n || cm__stack_grow(P, s, elsize, extra);
}

/** Collect `ID { , ID }` onto the names stack; the count in *n. */
int cm__collect_ids(struct cm__parser *P, struct cm__arena *ar,
		    const char *what, size_t *n);
/** `ids = ID { "," ID }` appended to @p l (exact size when new). @p what
 *  names the list in "expected" messages. */
int cm__parse_ids(struct cm__parser *P, struct cm__arena *ar,
		  struct cm__names *l, const char *what);

/** `ids [on DATE]` appended to a list of signatures. */
int cm__parse_sigs(struct cm__parser *P, struct cm__arena *ar,
		   struct cm__sigs *l, const char *what);
/** Consume the keyword `by` after @p kw, or fail. */
int cm__expect_by(struct cm__parser *P, const char *kw);
/** Consume a token of @p kind (copied to @p out when not NULL), or fail
 *  with "expected @p what". */
int cm__expect_kind(struct cm__parser *P, uint8_t kind, const char *what,
		    struct cm__token *out);

/** The party kind a token names (enum cm_kind), or CM_KIND_NONE. */
static inline int cm__kind_of(const struct cm__token *t)
{
	int k = t->kind == CM__T_ID ? cm__name_find(cm_kind_name, t->s, t->len)
				    : -1;
	return k > 0 ? k : CM_KIND_NONE;
}

/* parse-cond.c */
int cm__p_action(struct cm__parser *P, struct cm__arena *ar,
		 struct cm__action *out);
int cm__p_condition(struct cm__parser *P, struct cm__arena *ar,
		    struct cm_condition **out);

/* parse-v02.c: the 0.2 commitment items (SPEC §8.1, part 1) */
/** `reciprocal refs [within DURATION]` (from the keyword). */
int cm__p_reciprocal(struct cm__parser *P, struct cm_commitment *c);
/** Is @p t the other half of `proposed by` + `rejected by`, with @p c's
 *  standing already the first half? */
bool cm__p_standing_pair(struct cm__parser *P, const struct cm_commitment *c,
			 const struct cm__token *t);
/** That other half (from its keyword): the standing becomes rejected and
 *  both lists are kept. */
int cm__p_proposed_rejected(struct cm__parser *P, struct cm_commitment *c);
/** The value part of `NAME: CMP NUMBER` in a pattern (at the comparison
 *  token): sets @p a's cmp, value and vkind. */
int cm__p_attr_compare(struct cm__parser *P, struct cm__arena *ar,
		       struct cm__attr *a);
/** `breached ( ref ) [within N]` / `breaches ( ref ) CMP K [within N]`
 *  (at the keyword, known to be followed by `( ID )`). */
int cm__p_breach_atom(struct cm__parser *P, struct cm__arena *ar,
		      struct cm_condition **out);
/** `CMP NUMBER` into @p cmp / @p n as a bound 0..2^31-1 (count's rule);
 *  @p what names it in messages. */
int cm__p_count_bound(struct cm__parser *P, uint8_t *cmp, int64_t *n,
		      const char *what);

/* rules (parser.c: the rule; parse-rule.c: the rest) */
int cm__p_rule(struct cm__parser *P, struct cm__arena *ar,
	       struct cm__rule *r);
int cm__p_selector(struct cm__parser *P, struct cm__arena *ar,
		   struct cm__rule *r);
/** `require rule [for selector]`, from the `require` keyword, into @p r
 *  (cleared first). */
int cm__p_require(struct cm__parser *P, struct cm__arena *ar,
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

/* import-parse.c */
/** One `import` block from the `import` keyword to its `}`, into a new
 *  mapping under @p owner (errors through the parser; file = @p file). */
int cm__p_mapping(struct cm__parser *P, void *owner, const char *file,
		  struct cm_mapping **out);


#endif
