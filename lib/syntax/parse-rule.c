/*
 * Requirement rules (SPEC §2): `require RULE [for SELECTOR]` in
 * agreements and policies, and the rule texts of the builder
 * (cm__parse_rule).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "syntax/parse.h"
#include "syntax/syntax.h"

/* ---- rules ---------------------------------------------------------- */

static int p_who(struct cm__parser *P, struct cm__arena *ar,
		 struct cm__rule *r, const char *kw)
{
	const struct cm__token *t = cm__peek(P, 0);
	if (CM__KW(t, "debtor")) {
		r->who = CM__WHO_DEBTOR;
	} else if (CM__KW(t, "creditor")) {
		r->who = CM__WHO_CREDITOR;
	} else if (CM__KW(t, "all")) {
		cm__skip(P);
		t = cm__peek(P, 0);
		if (!CM__KW(t, "parties"))
			return cm__expected(P, t, "'parties' after 'all'");
		r->who = CM__WHO_ALL_PARTIES;
	} else if (CM__KW(t, "any")) {
		cm__skip(P);
		t = cm__peek(P, 0);
		if (!CM__KW(t, "mediator"))
			return cm__expected(P, t, "'mediator' after 'any'");
		r->who = CM__WHO_ANY_MEDIATOR;
	} else {
		char what[160];
		snprintf(what, sizeof(what),
			 "'debtor', 'creditor', 'all parties', 'any mediator' "
			 "or party ids after '%s by'", kw);
		if (t->kind != CM__T_ID)
			return cm__expected(P, t, what);
		r->who = CM__WHO_IDS;
		return cm__parse_ids(P, ar, &r->ids, what);
	}
	cm__skip(P);
	return CM_OK;
}

int cm__p_rule(struct cm__parser *P, struct cm__arena *ar,
	       struct cm__rule *r)
{
	const struct cm__token *t = cm__peek(P, 0);
	if (CM__KW(t, "written")) {
		r->kind = CM__RULE_WRITTEN;
	} else if (CM__KW(t, "registered")) {
		r->kind = CM__RULE_REGISTERED;
	} else if (CM__KW(t, "dated")) {
		r->kind = CM__RULE_DATED;
	} else if (CM__KW(t, "verifiable")) {
		r->kind = CM__RULE_VERIFIABLE;
	} else if (CM__KW(t, "signed") || CM__KW(t, "witnessed") ||
		   CM__KW(t, "ratified")) {
		r->kind = t->s[0] == 's'   ? CM__RULE_SIGNED
			  : t->s[0] == 'w' ? CM__RULE_WITNESSED
					   : CM__RULE_RATIFIED;
		const char *kw = r->kind == CM__RULE_SIGNED      ? "signed"
				 : r->kind == CM__RULE_WITNESSED ? "witnessed"
								 : "ratified";
		cm__skip(P);
		int rc = cm__expect_by(P, kw);
		if (rc != CM_OK)
			return rc;
		return p_who(P, ar, r, kw);
	} else if (CM__KW(t, "parties")) {
		r->kind = CM__RULE_PARTIES;
		cm__skip(P);
		uint8_t kinds[8];
		size_t n = 0;
		bool seen[6] = {false};
		for (;;) {
			t = cm__peek(P, 0);
			int k = cm__kind_of(t);
			if (!k)
				return cm__expected(
					P, t,
					n ? "a party kind ('state', 'authority', "
					    "'organization', 'armed-group' or "
					    "'person') after ','"
					  : "a party kind ('state', 'authority', "
					    "'organization', 'armed-group' or "
					    "'person') after 'parties'");
			/* A kind named twice is kept once. */
			if (!seen[k])
				kinds[n++] = (uint8_t)k;
			seen[k] = true;
			cm__skip(P);
			if (cm__peek(P, 0)->kind != CM__T_COMMA)
				break;
			cm__skip(P);
		}
		r->kinds = cm__arena_alloc(ar, n);
		if (!r->kinds)
			return cm__enomem(P->err);
		memcpy(r->kinds, kinds, n);
		r->nkinds = (uint32_t)n;
		return CM_OK;
	} else {
		return cm__expected(P, t,
				    "a rule ('written', 'signed by', "
				    "'witnessed by', 'ratified by', "
				    "'registered', 'dated', 'verifiable' or "
				    "'parties')");
	}
	cm__skip(P);
	return CM_OK;
}

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
