/*
 * Action patterns and conditions (SPEC §2):
 *
 *   cond = conj { "or" conj } ;  conj = neg { "and" neg } ;
 *   neg  = "not" neg | atom ;
 *   atom = "(" cond ")" | "true" | "false" | action [ "within" DURATION ]
 *        | "count" "(" action ")" CMP NUMBER [ "within" DURATION ]
 *        | STATE "(" ID ")" | FORM "(" ID ")" ;
 *
 * and/or nodes are n-ary (a or b or c is one node with three kids, and a
 * parenthesized or inside an or is spliced in). The recursion is bounded:
 * every `(` and `not` counts one level of nesting, and more than
 * CM__MAX_COND_DEPTH levels is CM_ELIMIT at the token that goes too deep.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "syntax/parse.h"
#include "model/names.h"
#include "syntax/syntax.h"

/* ---- actions ---------------------------------------------------------- */

struct cm__slice {
	const char *s;
	size_t len;
	struct cm__pos pos;
};

/* Is the NUL-terminated @p a the @p n bytes at @p b? */
static inline bool same(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return a[n] == '\0';
}

int cm__p_action(struct cm__parser *P, struct cm__arena *ar,
		 struct cm__action *out)
{
	const struct cm__token *t = cm__peek(P, 0);
	if (t->kind != CM__T_ID)
		return cm__expected(P, t, "an action name");
	struct cm__slice name = {t->s, t->len, t->pos};
	cm__skip(P);
	char what[128];
	int nl = (int)(name.len > 40 ? 40 : name.len);
	t = cm__peek(P, 0);
	if (t->kind != CM__T_LPAREN) {
		snprintf(what, sizeof(what), "'(' after action name '%.*s'", nl,
			 name.s);
		return cm__expected(P, t, what);
	}
	cm__skip(P);
	size_t base = P->attrs.n;
	int rc = CM_OK;
	if (cm__peek(P, 0)->kind == CM__T_RPAREN) {
		cm__skip(P);
	} else {
		for (;;) {
			t = cm__peek(P, 0);
			if (t->kind != CM__T_ID) {
				rc = cm__expected(P, t, "an attribute name");
				goto out;
			}
			struct cm__slice an = {t->s, t->len, t->pos};
			cm__skip(P);
			const struct cm__attr *prev =
				(const struct cm__attr *)P->attrs.v;
			for (size_t i = base; i < P->attrs.n; i++)
				if (same(prev[i].name, an.s, an.len)) {
					rc = cm__perror(P, CM_ESEMANTIC, an.pos,
							"duplicate attribute "
							"'%s'",
							prev[i].name);
					goto out;
				}
			t = cm__peek(P, 0);
			if (t->kind != CM__T_COLON) {
				snprintf(what, sizeof(what),
					 "':' after attribute name '%.*s'",
					 (int)(an.len > 40 ? 40 : an.len),
					 an.s);
				rc = cm__expected(P, t, what);
				goto out;
			}
			cm__skip(P);
			const struct cm__token *v = cm__peek(P, 0);
			uint8_t vk;
			switch (v->kind) {
			case CM__T_ID: vk = CM__V_ID; break;
			case CM__T_STRING: vk = CM__V_STRING; break;
			case CM__T_NUMBER: vk = CM__V_NUMBER; break;
			case CM__T_DATE: vk = CM__V_DATE; break;
			default:
				snprintf(what, sizeof(what),
					 "a value (identifier, string, number "
					 "or date) for '%.*s'",
					 (int)(an.len > 40 ? 40 : an.len),
					 an.s);
				rc = cm__expected(P, v, what);
				goto out;
			}
			if (!cm__stack_reserve(P, &P->attrs,
					       sizeof(struct cm__attr), 1)) {
				rc = cm__enomem(P->err);
				goto out;
			}
			struct cm__attr *a =
				(struct cm__attr *)P->attrs.v + P->attrs.n;
			a->name = cm__dup_slice(P, ar, an.s, an.len);
			a->value = cm__tok_dup(P, ar, v);
			a->vkind = vk;
			a->pos = an.pos;
			if (!a->name || !a->value) {
				rc = cm__enomem(P->err);
				goto out;
			}
			P->attrs.n++;
			cm__skip(P);
			t = cm__peek(P, 0);
			if (t->kind == CM__T_COMMA) {
				cm__skip(P);
				continue;
			}
			if (t->kind == CM__T_RPAREN) {
				cm__skip(P);
				break;
			}
			snprintf(what, sizeof(what),
				 "',' or ')' in action '%.*s'", nl, name.s);
			rc = cm__expected(P, t, what);
			goto out;
		}
	}
	size_t n = P->attrs.n - base;
	out->attrs = NULL;
	if (n) {
		out->attrs = cm__arena_alloc(ar, n * sizeof(struct cm__attr));
		if (!out->attrs) {
			rc = cm__enomem(P->err);
			goto out;
		}
		memcpy(out->attrs, (struct cm__attr *)P->attrs.v + base,
		       n * sizeof(struct cm__attr));
	}
	out->nattrs = (uint32_t)n;
	out->type = cm__dup_slice(P, ar, name.s, name.len);
	out->pos = name.pos;
	if (!out->type)
		rc = cm__enomem(P->err);
out:
	P->attrs.n = base;
	return rc;
}

/* ---- condition nodes ----------------------------------------------------- */

static struct cm_condition *node(struct cm__parser *P, struct cm__arena *ar,
				 int type, struct cm__pos pos)
{
	struct cm_condition *n = cm__arena_alloc(ar, sizeof(*n));
	if (!n) {
		cm__enomem(P->err);
		return NULL;
	}
	n->type = (uint8_t)type;
	n->window = -1;
	n->depth = 1;
	n->pos = pos;
	return n;
}

static int too_deep(struct cm__parser *P, struct cm__pos pos)
{
	return cm__perror(P, CM_ELIMIT, pos, "condition nested deeper than %d",
			  CM__MAX_COND_DEPTH);
}

/* An optional `within DURATION` into *window. */
static int p_window(struct cm__parser *P, int64_t *window)
{
	if (!CM__KW(cm__peek(P, 0), "within"))
		return CM_OK;
	cm__skip(P);
	const struct cm__token *d = cm__peek(P, 0);
	if (d->kind != CM__T_DURATION)
		return cm__expected(P, d,
				    "a duration (such as 30d or 12h) after "
				    "'within'");
	*window = d->v;
	cm__skip(P);
	return CM_OK;
}

static int state_of(const struct cm__token *t)
{
	return t->kind == CM__T_ID ? cm__name_find(cm_state_name, t->s, t->len)
				   : -1;
}

static int p_count(struct cm__parser *P, struct cm__arena *ar,
		   struct cm_condition **out)
{
	struct cm__token kw = cm__next(P); /* count */
	cm__skip(P);                       /* ( */
	struct cm_condition *n = node(P, ar, CM_CT_COUNT, kw.pos);
	if (!n)
		return CM_ENOMEM;
	int rc = cm__p_action(P, ar, &n->act);
	if (rc != CM_OK)
		return rc;
	const struct cm__token *t = cm__peek(P, 0);
	if (t->kind != CM__T_RPAREN)
		return cm__expected(P, t, "')' after the action of 'count'");
	cm__skip(P);
	t = cm__peek(P, 0);
	switch (t->kind) {
	case CM__T_GE: n->cmp = CM_CMP_GE; break;
	case CM__T_GT: n->cmp = CM_CMP_GT; break;
	case CM__T_LE: n->cmp = CM_CMP_LE; break;
	case CM__T_LT: n->cmp = CM_CMP_LT; break;
	case CM__T_EQ: n->cmp = CM_CMP_EQ; break;
	case CM__T_NE: n->cmp = CM_CMP_NE; break;
	default:
		return cm__expected(P, t,
				    "a comparison (>=, >, <=, <, == or !=) "
				    "after 'count (...)'");
	}
	cm__skip(P);
	t = cm__peek(P, 0);
	if (t->kind != CM__T_NUMBER)
		return cm__expected(P, t, "a number (the count bound)");
	int64_t v = 0;
	bool ok = t->s[0] != '-';
	for (size_t i = 0; ok && i < t->len; i++) {
		if (t->s[i] < '0' || t->s[i] > '9' || v > INT32_MAX / 10) {
			ok = false;
			break;
		}
		v = v * 10 + (t->s[i] - '0');
	}
	if (!ok || v > INT32_MAX)
		return cm__perror(P, CM_ERANGE, t->pos,
				  "count bound '%.*s' is not an integer from 0 "
				  "to 2147483647",
				  (int)(t->len > 40 ? 40 : t->len), t->s);
	n->n = v;
	cm__skip(P);
	rc = p_window(P, &n->window);
	if (rc == CM_OK)
		*out = n;
	return rc;
}

static int p_or(struct cm__parser *P, struct cm__arena *ar, unsigned nest,
		struct cm_condition **out);

static int p_atom(struct cm__parser *P, struct cm__arena *ar, unsigned nest,
		  struct cm_condition **out)
{
	const struct cm__token *t = cm__peek(P, 0);
	if (t->kind == CM__T_LPAREN) {
		if (nest >= CM__MAX_COND_DEPTH)
			return too_deep(P, t->pos);
		cm__skip(P);
		int rc = p_or(P, ar, nest + 1, out);
		if (rc != CM_OK)
			return rc;
		t = cm__peek(P, 0);
		if (t->kind != CM__T_RPAREN)
			return cm__expected(P, t, "')' or 'and'/'or'");
		cm__skip(P);
		return CM_OK;
	}
	if (t->kind != CM__T_ID)
		return cm__expected(P, t, "a condition");
	if (CM__KW(t, "true") || CM__KW(t, "false")) {
		*out = node(P, ar, t->s[0] == 't' ? CM_CT_TRUE : CM_CT_FALSE,
			    t->pos);
		if (!*out)
			return CM_ENOMEM;
		cm__skip(P);
		return CM_OK;
	}
	if (cm__peek(P, 1)->kind != CM__T_LPAREN) {
		t = cm__peek(P, 0);
		return cm__expected(P, t, "a condition");
	}
	t = cm__peek(P, 0);
	if (CM__KW(t, "count"))
		return p_count(P, ar, out);
	int state = state_of(t);
	bool form = CM__KW(t, "written") || CM__KW(t, "signed");
	if ((state >= 0 || form) && cm__peek(P, 2)->kind == CM__T_ID &&
	    cm__peek(P, 3)->kind == CM__T_RPAREN) {
		t = cm__peek(P, 0);
		struct cm_condition *n =
			node(P, ar, form ? CM_CT_FORM : CM_CT_STATE, t->pos);
		if (!n)
			return CM_ENOMEM;
		n->which = (uint8_t)(form ? (t->s[0] == 'w'
						     ? CM_FORM_ATOM_WRITTEN
						     : CM_FORM_ATOM_SIGNED)
					  : state);
		cm__skip(P);
		cm__skip(P);
		struct cm__token id = cm__next(P);
		cm__skip(P);
		n->ref.s = cm__tok_dup(P, ar, &id);
		n->ref.pos = id.pos;
		if (!n->ref.s)
			return cm__enomem(P->err);
		*out = n;
		return CM_OK;
	}
	struct cm_condition *n = node(P, ar, CM_CT_ACTION, t->pos);
	if (!n)
		return CM_ENOMEM;
	int rc = cm__p_action(P, ar, &n->act);
	if (rc == CM_OK)
		rc = p_window(P, &n->window);
	if (rc == CM_OK)
		*out = n;
	return rc;
}

static int p_not(struct cm__parser *P, struct cm__arena *ar, unsigned nest,
		 struct cm_condition **out)
{
	const struct cm__token *t = cm__peek(P, 0);
	if (!CM__KW(t, "not"))
		return p_atom(P, ar, nest, out);
	if (nest >= CM__MAX_COND_DEPTH)
		return too_deep(P, t->pos);
	struct cm__pos pos = t->pos;
	cm__skip(P);
	struct cm_condition *x;
	int rc = p_not(P, ar, nest + 1, &x);
	if (rc != CM_OK)
		return rc;
	if (x->depth + 1 > CM__MAX_COND_DEPTH)
		return too_deep(P, pos);
	struct cm_condition *n = node(P, ar, CM_CT_NOT, pos);
	if (!n)
		return CM_ENOMEM;
	n->kids = cm__arena_alloc(ar, sizeof(*n->kids));
	if (!n->kids)
		return cm__enomem(P->err);
	n->kids[0] = x;
	n->nkids = 1;
	n->depth = x->depth + 1;
	x->used = true;
	*out = n;
	return CM_OK;
}

/* An and/or node of the kids on the stack above @p base (spliced). */
static int nary(struct cm__parser *P, struct cm__arena *ar, int type,
		size_t base, struct cm_condition **out)
{
	struct cm_condition **kv = (struct cm_condition **)P->kids.v;
	size_t nk = 0;
	uint32_t depth = 0;
	for (size_t i = base; i < P->kids.n; i++) {
		const struct cm_condition *k = kv[i];
		if (k->type == type) {
			nk += k->nkids;
			for (uint32_t j = 0; j < k->nkids; j++)
				if (k->kids[j]->depth > depth)
					depth = k->kids[j]->depth;
		} else {
			nk++;
			if (k->depth > depth)
				depth = k->depth;
		}
	}
	if (depth + 1 > CM__MAX_COND_DEPTH)
		return too_deep(P, kv[base]->pos);
	struct cm_condition *n = node(P, ar, type, kv[base]->pos);
	if (!n)
		return CM_ENOMEM;
	n->kids = cm__arena_alloc(ar, nk * sizeof(*n->kids));
	if (!n->kids)
		return cm__enomem(P->err);
	uint32_t k = 0;
	for (size_t i = base; i < P->kids.n; i++) {
		struct cm_condition *x = kv[i];
		if (x->type == type)
			for (uint32_t j = 0; j < x->nkids; j++)
				n->kids[k++] = x->kids[j];
		else
			n->kids[k++] = x;
		x->used = true;
	}
	n->nkids = k;
	n->depth = depth + 1;
	*out = n;
	return CM_OK;
}

/* conj (is_or false) or cond (is_or true). */
static int p_seq(struct cm__parser *P, struct cm__arena *ar, unsigned nest,
		 bool is_or, struct cm_condition **out)
{
	size_t base = P->kids.n;
	int rc;
	for (;;) {
		struct cm_condition *x;
		rc = is_or ? p_seq(P, ar, nest, false, &x)
			   : p_not(P, ar, nest, &x);
		if (rc != CM_OK)
			goto out;
		if (!cm__stack_reserve(P, &P->kids, sizeof(x), 1)) {
			rc = cm__enomem(P->err);
			goto out;
		}
		((struct cm_condition **)P->kids.v)[P->kids.n++] = x;
		const struct cm__token *t = cm__peek(P, 0);
		if (is_or ? !CM__KW(t, "or") : !CM__KW(t, "and"))
			break;
		cm__skip(P);
	}
	if (P->kids.n - base == 1)
		*out = ((struct cm_condition **)P->kids.v)[base];
	else
		rc = nary(P, ar, is_or ? CM_CT_OR : CM_CT_AND, base, out);
out:
	P->kids.n = base;
	return rc;
}

static int p_or(struct cm__parser *P, struct cm__arena *ar, unsigned nest,
		struct cm_condition **out)
{
	return p_seq(P, ar, nest, true, out);
}

int cm__p_condition(struct cm__parser *P, struct cm__arena *ar,
		    struct cm_condition **out)
{
	return p_or(P, ar, 0, out);
}

/* ---- builder entry points ------------------------------------------------ */

static int parse_whole(struct cm__arena *ar, const char *text, size_t len,
		       cm_error *err, bool cond, void *out, const char *what)
{
	if (!text)
		return cm__error(err, CM_EINVAL, NULL, (struct cm__pos){0, 0},
				 "text is NULL");
	void *tmp = cm__ctx_new(ar->owner, "cm_parse");
	if (!tmp)
		return cm__enomem(err);
	struct cm__parser P;
	cm__parser_init(&P, tmp, text, len, NULL, err);
	int rc = cond ? cm__p_condition(&P, ar, out)
		      : cm__p_action(&P, ar, out);
	if (rc == CM_OK && cm__peek(&P, 0)->kind != CM__T_EOF)
		rc = cm__expected(&P, cm__peek(&P, 0), what);
	cm__free(tmp);
	return rc;
}

int cm__parse_action(struct cm__arena *ar, const char *text, size_t len,
		     struct cm__action *out, cm_error *err)
{
	struct cm__action act;
	int rc = parse_whole(ar, text, len, err, false, &act,
			     "end of the action");
	if (rc == CM_OK)
		*out = act;
	return rc;
}

int cm__parse_condition(struct cm__arena *ar, const char *text, size_t len,
			struct cm_condition **out, cm_error *err)
{
	struct cm_condition *c;
	int rc = parse_whole(ar, text, len, err, true, &c,
			     "'and', 'or' or end of the condition");
	if (rc == CM_OK)
		*out = c;
	return rc;
}
