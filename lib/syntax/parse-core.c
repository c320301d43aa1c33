/*
 * The parser's plumbing, shared by every parser of the syntax layer
 * (parse.h): lookahead, errors, scratch stacks, token copies, id lists,
 * expected tokens.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "syntax/parse.h"

/* ---- the parser's plumbing ------------------------------------------- */

void cm__parser_init(struct cm__parser *P, void *tmp, const char *text,
		     size_t len, const char *file, cm_error *err)
{
	memset(P, 0, sizeof(*P));
	cm__lexer_init(&P->lx, text, len, file, err);
	P->err = err;
	P->file = file;
	P->tmp = tmp;
}

const struct cm__token *cm__peek_fill(struct cm__parser *P, unsigned k)
{
	while (P->nla <= k) {
		struct cm__token *t =
			&P->la[(P->head + P->nla) & (CM__LOOKAHEAD - 1)];
		if (P->nla) {
			const struct cm__token *last =
				&P->la[(P->head + P->nla - 1) &
				       (CM__LOOKAHEAD - 1)];
			if (cm__sticky(last->kind)) {
				*t = *last;
				P->nla++;
				continue;
			}
		}
		cm__lex(&P->lx, t);
		if (t->kind == CM__T_ERROR)
			P->rc = P->lx.rc;
		else if (t->kind == CM__T_MORE)
			P->rc = CM__MORE;
		P->nla++;
	}
	return &P->la[(P->head + k) & (CM__LOOKAHEAD - 1)];
}

void cm__parser_drop_lookahead(struct cm__parser *P)
{
	P->head = 0;
	P->nla = 0;
}

int cm__perror(struct cm__parser *P, int code, struct cm__pos pos,
	       const char *fmt, ...)
{
	char msg[CM_ERROR_MESSAGE_SIZE];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cm__error(P->err, code, P->file, pos, "%s", msg);
}

int cm__expected(struct cm__parser *P, const struct cm__token *t,
		 const char *what)
{
	if (t->kind == CM__T_ERROR || t->kind == CM__T_MORE)
		return P->rc;
	if (t->kind == CM__T_EOF)
		return cm__perror(P, CM_ESYNTAX, t->pos,
				  "expected %s, found end of input", what);
	/* Quote at most 40 bytes, cut at a character boundary. */
	size_t n = t->len;
	const char *dots = "";
	if (n > 40) {
		n = 40;
		while (n > 0 && ((unsigned char)t->s[n] & 0xc0) == 0x80)
			n--;
		dots = "...";
	}
	if (t->kind == CM__T_STRING)
		return cm__perror(P, CM_ESYNTAX, t->pos,
				  "expected %s, found string \"%.*s%s\"", what,
				  (int)n, t->s, dots);
	return cm__perror(P, CM_ESYNTAX, t->pos, "expected %s, found '%.*s%s'",
			  what, (int)n, t->s, dots);
}

bool cm__stack_grow(struct cm__parser *P, struct cm__stack *s,
		    size_t elsize, size_t extra)
{
	if (extra > SIZE_MAX / 2 - s->n)
		return false;
	size_t ncap = s->cap ? s->cap * 2 : 16;
	if (ncap < s->n + extra)
		ncap = s->n + extra;
	void *v = cm__realloc(P->tmp, s->v, elsize, ncap, "cm_parse_stack");
	if (!v)
		return false;
	s->v = v;
	s->cap = ncap;
	return true;
}

char *cm__tok_dup(struct cm__parser *P, struct cm__arena *ar,
		  const struct cm__token *t)
{
	if (!t->escaped)
		return cm__dup_slice(P, ar, t->s, t->len);
	size_t n = cm__string_len(t);
	char *p;
	if (n < P->spool_left) {
		p = P->spool;
		P->spool += n + 1;
		P->spool_left -= n + 1;
	} else {
		p = cm__arena_alloc(ar, n + 1);
	}
	if (p)
		cm__string_copy(t, p);
	return p;
}

const char *cm__tok_cstr(struct cm__parser *P, struct cm__stack *sb,
			 const struct cm__token *t)
{
	sb->n = 0;
	if (!cm__stack_reserve(P, sb, 1, t->len + 1))
		return NULL;
	char *p = sb->v;
	if (t->kind == CM__T_STRING) {
		cm__string_copy(t, p);
	} else {
		memcpy(p, t->s, t->len);
		p[t->len] = '\0';
	}
	return p;
}

/* Collect `ID { , ID }` onto the names stack; returns the count via *n. */
int cm__collect_ids(struct cm__parser *P, struct cm__arena *ar,
		       const char *what, size_t *n)
{
	size_t base = P->names.n;
	for (;;) {
		const struct cm__token *t = cm__peek(P, 0);
		if (t->kind != CM__T_ID) {
			P->names.n = base;
			return cm__expected(P, t, what);
		}
		if (!cm__stack_reserve(P, &P->names, sizeof(struct cm__name), 1))
			goto nomem;
		struct cm__name *nm = (struct cm__name *)P->names.v + P->names.n;
		nm->s = cm__tok_dup(P, ar, t);
		nm->pos = t->pos;
		if (!nm->s)
			goto nomem;
		P->names.n++;
		cm__skip(P);
		if (cm__peek(P, 0)->kind != CM__T_COMMA)
			break;
		cm__skip(P);
		what = "a party id after ','";
	}
	*n = P->names.n - base;
	return CM_OK;
nomem:
	P->names.n = base;
	return cm__enomem(P->err);
}

int cm__parse_ids(struct cm__parser *P, struct cm__arena *ar,
		  struct cm__names *l, const char *what)
{
	size_t n;
	int rc = cm__collect_ids(P, ar, what, &n);
	if (rc != CM_OK)
		return rc;
	size_t base = P->names.n - n;
	struct cm__name *v = cm__arena_reserve(ar, l->v, sizeof(*v), l->n, n,
					   &l->cap);
	if (!v) {
		P->names.n = base;
		return cm__enomem(P->err);
	}
	memcpy(v + l->n, (struct cm__name *)P->names.v + base, n * sizeof(*v));
	l->v = v;
	l->n += (uint32_t)n;
	P->names.n = base;
	return CM_OK;
}

/* `ids [on DATE]` appended to a list of signatures. */
int cm__parse_sigs(struct cm__parser *P, struct cm__arena *ar,
		      struct cm__sigs *l, const char *what)
{
	size_t n;
	int rc = cm__collect_ids(P, ar, what, &n);
	if (rc != CM_OK)
		return rc;
	size_t base = P->names.n - n;
	cm_time on = CM_TIME_NONE;
	if (CM__KW(cm__peek(P, 0), "on")) {
		cm__skip(P);
		const struct cm__token *d = cm__peek(P, 0);
		if (d->kind != CM__T_DATE) {
			P->names.n = base;
			return cm__expected(P, d, "a date after 'on'");
		}
		on = d->v;
		cm__skip(P);
	}
	struct cm__sig *v = cm__arena_reserve(ar, l->v, sizeof(*v), l->n, n,
					  &l->cap);
	if (!v) {
		P->names.n = base;
		return cm__enomem(P->err);
	}
	const struct cm__name *nm = (const struct cm__name *)P->names.v + base;
	for (size_t i = 0; i < n; i++)
		v[l->n + i] = (struct cm__sig){nm[i], on, NULL};
	l->v = v;
	l->n += (uint32_t)n;
	P->names.n = base;
	return CM_OK;
}

/* Consume the keyword `by` after @p kw, or fail. */
int cm__expect_by(struct cm__parser *P, const char *kw)
{
	const struct cm__token *t = cm__peek(P, 0);
	if (!CM__KW(t, "by")) {
		char what[64];
		snprintf(what, sizeof(what), "'by' after '%s'", kw);
		return cm__expected(P, t, what);
	}
	cm__skip(P);
	return CM_OK;
}

int cm__expect_kind(struct cm__parser *P, uint8_t kind, const char *what,
		       struct cm__token *out)
{
	const struct cm__token *t = cm__peek(P, 0);
	if (t->kind != kind)
		return cm__expected(P, t, what);
	struct cm__token tok = cm__next(P);
	if (out)
		*out = tok;
	return CM_OK;
}
