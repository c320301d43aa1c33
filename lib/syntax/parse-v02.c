/*
 * The 0.2 additions to the language that concern duties and breaches
 * (SPEC §8.1, part 1):
 *
 *   citem += "reciprocal" refs [ "within" DURATION ]
 *   atom  += "breached" "(" ref ")" [ "within" DURATION ]
 *          | "breaches" "(" ref ")" CMP NUMBER [ "within" DURATION ]
 *   pattern value: NAME ":" ( value | CMP NUMBER )   (never in events)
 *
 * and `proposed by` together with `rejected by`.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "syntax/parse.h"

static int cmp_of(uint8_t kind)
{
	switch (kind) {
	case CM__T_GE: return CM_CMP_GE;
	case CM__T_GT: return CM_CMP_GT;
	case CM__T_LE: return CM_CMP_LE;
	case CM__T_LT: return CM_CMP_LT;
	case CM__T_EQ: return CM_CMP_EQ;
	case CM__T_NE: return CM_CMP_NE;
	default: return -1;
	}
}

int cm__p_reciprocal(struct cm__parser *P, struct cm_commitment *c)
{
	struct cm__arena *ar = &c->agreement->arena;
	cm__skip(P); /* reciprocal */
	uint32_t first = c->reciprocal.n;
	int rc = cm__parse_ids(P, ar, &c->reciprocal,
			       "a commitment id after 'reciprocal'");
	if (rc != CM_OK)
		return rc;
	const struct cm__token *t = cm__peek(P, 0);
	if (!CM__KW(t, "within"))
		return CM_OK;
	struct cm__pos kw = t->pos;
	if (c->recip_window >= 0)
		return cm__perror(P, CM_ESEMANTIC, kw,
				  "'reciprocal ... within' given twice: a "
				  "commitment has one windowed reciprocal item");
	cm__skip(P);
	const struct cm__token *d = cm__peek(P, 0);
	if (d->kind != CM__T_DURATION)
		return cm__expected(P, d,
				    "a duration (such as 30d or 12h) after "
				    "'within'");
	c->recip_window = d->v;
	c->recip_win_first = first;
	c->recip_win_n = c->reciprocal.n - first;
	c->recip_win_pos = kw;
	cm__skip(P);
	return CM_OK;
}

bool cm__p_standing_pair(struct cm__parser *P, const struct cm_commitment *c,
			 const struct cm__token *t)
{
	(void)P;
	if (c->proposed_also.n)
		return false;
	return (c->standing == CM_STANDING_PROPOSED && CM__KW(t, "rejected")) ||
	       (c->standing == CM_STANDING_REJECTED && CM__KW(t, "proposed"));
}

int cm__p_proposed_rejected(struct cm__parser *P, struct cm_commitment *c)
{
	struct cm__arena *ar = &c->agreement->arena;
	struct cm__token kw = cm__next(P);
	bool rejected = kw.s[0] == 'r';
	const struct cm__token *t = cm__peek(P, 0);
	if (!CM__KW(t, "by"))
		return cm__expected(P, t, rejected ? "'by' after 'rejected'"
						   : "'by' after 'proposed'");
	cm__skip(P);
	if (!rejected) {
		c->proposed_pos = kw.pos;
		return cm__parse_ids(P, ar, &c->proposed_also,
				     "a party id after 'proposed by'");
	}
	/* proposed first, then rejected: the proposers move over */
	struct cm__names rej = {0};
	int rc = cm__parse_ids(P, ar, &rej, "a party id after 'rejected by'");
	if (rc != CM_OK)
		return rc;
	c->proposed_also = c->standing_by;
	c->proposed_pos = c->standing_pos;
	c->standing_by = rej;
	c->standing = CM_STANDING_REJECTED;
	c->standing_pos = kw.pos;
	return CM_OK;
}

int cm__p_count_bound(struct cm__parser *P, uint8_t *cmp, int64_t *n,
		      const char *what)
{
	const struct cm__token *t = cm__peek(P, 0);
	int k = cmp_of(t->kind);
	if (k < 0) {
		char w[128];
		snprintf(w, sizeof(w),
			 "a comparison (>=, >, <=, <, == or !=) after '%s'",
			 what);
		return cm__expected(P, t, w);
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
	*cmp = (uint8_t)k;
	*n = v;
	cm__skip(P);
	return CM_OK;
}

int cm__p_attr_compare(struct cm__parser *P, struct cm__arena *ar,
		       struct cm__attr *a)
{
	const struct cm__token *t = cm__peek(P, 0);
	a->cmp = (uint8_t)(cmp_of(t->kind) + 1);
	cm__skip(P);
	t = cm__peek(P, 0);
	if (t->kind != CM__T_NUMBER) {
		if (cm__sticky(t->kind))
			return cm__expected(P, t, "a number");
		char w[128];
		snprintf(w, sizeof(w),
			 "a number after the comparison of '%s' (a numeric "
			 "comparison's bound is a number)",
			 strlen(a->name) > 40 ? "..." : a->name);
		return cm__perror(P, CM_ESEMANTIC, t->pos, "expected %s", w);
	}
	a->value = cm__tok_dup(P, ar, t);
	a->vkind = CM__V_NUMBER;
	if (!a->value)
		return cm__enomem(P->err);
	cm__skip(P);
	return CM_OK;
}

int cm__p_breach_atom(struct cm__parser *P, struct cm__arena *ar,
		      struct cm_condition **out)
{
	struct cm__token kw = cm__next(P);
	bool count = kw.len == 8 && memcmp(kw.s, "breaches", 8) == 0;
	struct cm_condition *n = cm__arena_alloc(ar, sizeof(*n));
	if (!n)
		return cm__enomem(P->err);
	n->type = count ? CM_CT_BREACHES : CM_CT_BREACHED;
	n->window = -1;
	n->depth = 1;
	n->pos = kw.pos;
	cm__skip(P); /* ( */
	struct cm__token id = cm__next(P);
	cm__skip(P); /* ) */
	n->ref.s = cm__tok_dup(P, ar, &id);
	n->ref.pos = id.pos;
	if (!n->ref.s)
		return cm__enomem(P->err);
	if (count) {
		int rc = cm__p_count_bound(P, &n->cmp, &n->n, "breaches(...)");
		if (rc != CM_OK)
			return rc;
	}
	if (CM__KW(cm__peek(P, 0), "within")) {
		cm__skip(P);
		const struct cm__token *d = cm__peek(P, 0);
		if (d->kind != CM__T_DURATION)
			return cm__expected(P, d,
					    "a duration (such as 30d or 12h) "
					    "after 'within'");
		n->window = d->v;
		cm__skip(P);
	}
	*out = n;
	return CM_OK;
}
