/*
 * Requirement rules (SPEC §2), the parts besides the rule itself (which
 * parser.c reads, cm__p_rule): selectors, `require RULE [for SELECTOR]`
 * in agreements and policies, and the rule texts of the builder
 * (cm__parse_rule).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "syntax/parse.h"
#include "syntax/syntax.h"

/* ---- selectors and `require` ------------------------------------------ */

int cm__p_selector(struct cm__parser *P, struct cm__arena *ar,
		   struct cm__rule *r)
{
	const struct cm__token *t = cm__peek(P, 0);
	if (t->kind != CM__T_ID)
		return cm__expected(P, t,
				    "a selector ('all', 'obligations', "
				    "'prohibitions', 'permissions', a party "
				    "or a commitment id)");
	if (CM__KW(t, "all")) {
		r->selector = CM__SEL_ALL;
	} else if (CM__KW(t, "obligations")) {
		r->selector = CM__SEL_OBLIGATIONS;
	} else if (CM__KW(t, "prohibitions")) {
		r->selector = CM__SEL_PROHIBITIONS;
	} else if (CM__KW(t, "permissions")) {
		r->selector = CM__SEL_PERMISSIONS;
	} else {
		r->selector = CM__SEL_ID;
		r->sel_id.s = cm__tok_dup(P, ar, t);
		r->sel_id.pos = t->pos;
		if (!r->sel_id.s)
			return cm__enomem(P->err);
	}
	cm__skip(P);
	return CM_OK;
}

/* `require rule [for selector]`, from the `require` keyword. */
int cm__p_require(struct cm__parser *P, struct cm__arena *ar,
		     struct cm__rule *r)
{
	memset(r, 0, sizeof(*r));
	struct cm__token kw = cm__next(P);
	r->pos = kw.pos;
	r->line = kw.pos.line;
	int rc = cm__p_rule(P, ar, r);
	if (rc != CM_OK)
		return rc;
	const struct cm__token *t = cm__peek(P, 0);
	if (CM__KW(t, "for")) {
		r->has_for = true;
		r->for_pos = t->pos;
		cm__skip(P);
		rc = cm__p_selector(P, ar, r);
	}
	return rc;
}

/* ---- builder entry points: one rule -------------------------------------- */

int cm__parse_rule(struct cm__arena *ar, const char *rule, const char *sel,
		   struct cm__rule *out, cm_error *err)
{
	if (!rule)
		return cm__error(err, CM_EINVAL, NULL, (struct cm__pos){0, 0},
				 "rule is NULL");
	void *tmp = cm__ctx_new(ar->owner, "cm_parse");
	if (!tmp)
		return cm__enomem(err);
	struct cm__parser P;
	cm__parser_init(&P, tmp, rule, strlen(rule), NULL, err);
	struct cm__rule r;
	memset(&r, 0, sizeof(r));
	r.pos = cm__peek(&P, 0)->pos;
	int rc = cm__p_rule(&P, ar, &r);
	if (rc == CM_OK && cm__peek(&P, 0)->kind != CM__T_EOF)
		rc = cm__expected(&P, cm__peek(&P, 0), "end of the rule");
	if (rc == CM_OK && sel) {
		cm__parser_init(&P, tmp, sel, strlen(sel), NULL, err);
		r.has_for = true;
		r.for_pos = cm__peek(&P, 0)->pos;
		rc = cm__p_selector(&P, ar, &r);
		if (rc == CM_OK && cm__peek(&P, 0)->kind != CM__T_EOF)
			rc = cm__expected(&P, cm__peek(&P, 0),
					  "end of the selector");
	}
	cm__free(tmp);
	if (rc == CM_OK)
		*out = r;
	return rc;
}
