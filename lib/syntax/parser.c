/*
 * The parser of .cmt texts (SPEC §2): files, agreements, commitments,
 * policies and requirement rules into the model (model.h). Selectors,
 * `require` and the builder's rule texts are in parse-rule.c, actions and
 * conditions in parse-cond.c, events in events.c, the plumbing in
 * parse-core.c.
 *
 * cm__parse_text returns what one text holds (syntax.h), all of it under
 * one talloc object, or nothing. It does not look at any document: the
 * document layer (document.c) checks the policy names across the run and
 * commits the result.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "syntax/parse.h"
#include "syntax/syntax.h"

static int twice(struct cm__parser *P, struct cm__pos pos, const char *what)
{
	return cm__perror(P, CM_ESEMANTIC, pos, "'%s' given twice", what);
}

/* A DATE as the inclusive last minute (by, until): 23:59 without a time. */
static cm_time last_minute(const struct cm__token *d)
{
	return d->has_time ? d->v : d->v + CM__MINUTES_PER_DAY - 1;
}

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

static int rules_push(struct cm__arena *ar, struct cm__rules *l,
		      const struct cm__rule *r, cm_error *err)
{
	struct cm__rule *v = cm__arena_grow(ar, l->v, sizeof(*v), l->n, &l->cap);
	if (!v)
		return cm__enomem(err);
	l->v = v;
	v[l->n++] = *r;
	return CM_OK;
}

/* ---- documents: what one text adds ---------------------------------- */

/* The talloc object of a result: the result first (cm__free on it frees
 * the whole), then the parser and the stacks the result points into. */
struct doc_parse {
	struct cm__parsed out;
	struct cm__parser P;
	struct cm__stack agreements; /* struct cm_agreement * */
	struct cm__stack policies;   /* struct cm_policy * */
	struct cm__arena evar;       /* top-level events */
	struct cm__events events;
	struct cm__stack comments;   /* struct cm__parsed_comment */
	struct cm__stack tops;       /* struct cm__top, local indexes */
	struct cm__stack mappings;   /* struct cm_mapping * (import blocks) */
};

static int on_comment(void *ctx, const char *text, size_t len,
		      struct cm__pos pos, bool own_line)
{
	struct doc_parse *D = ctx;
	if (!cm__stack_reserve(&D->P, &D->comments,
			       sizeof(struct cm__parsed_comment), 1))
		return cm__enomem(D->P.err);
	((struct cm__parsed_comment *)D->comments.v)[D->comments.n++] =
		(struct cm__parsed_comment){text, len, pos, own_line};
	return CM_OK;
}

static int add_top(struct doc_parse *D, uint8_t kind, uint32_t index,
		   uint32_t count, struct cm__pos pos, struct cm__pos end)
{
	if (!cm__stack_reserve(&D->P, &D->tops, sizeof(struct cm__top), 1))
		return cm__enomem(D->P.err);
	((struct cm__top *)D->tops.v)[D->tops.n++] =
		(struct cm__top){kind, index, count, NULL, pos, end};
	return CM_OK;
}

/* ---- commitments ------------------------------------------------------ */

static int p_clause(struct cm__parser *P, struct cm_agreement *a,
		    struct cm_commitment *c)
{
	struct cm__arena *ar = &a->arena;
	const struct cm__token *t = cm__peek(P, 0);
	char what[160];
	/* Keywords are not reserved: `must must x()` has the debtor `must`;
	 * but `must x()` is a missing debtor, reported as such. */
	const struct cm__token *t1 = cm__peek(P, 1);
	if (t->kind != CM__T_ID ||
	    ((CM__KW(t, "must") || CM__KW(t, "may")) && !CM__KW(t1, "must") &&
	     !CM__KW(t1, "may"))) {
		snprintf(what, sizeof(what),
			 "the debtor (a party id) at the start of commitment "
			 "'%s'", c->id);
		return cm__expected(P, t, what);
	}
	c->debtor.s = cm__tok_dup(P, ar, t);
	c->debtor.pos = t->pos;
	if (!c->debtor.s)
		return cm__enomem(P->err);
	cm__skip(P);
	t = cm__peek(P, 0);
	if (CM__KW(t, "must")) {
		c->modality = CM_MUST;
		c->modality_pos = t->pos;
		cm__skip(P);
		t = cm__peek(P, 0);
		if (CM__KW(t, "not")) {
			c->modality = CM_MUST_NOT;
			cm__skip(P);
		} else if (CM__KW(t, "prevent")) {
			c->modality = CM_MUST_PREVENT;
			cm__skip(P);
		}
	} else if (CM__KW(t, "may")) {
		c->modality = CM_MAY;
		c->modality_pos = t->pos;
		cm__skip(P);
	} else {
		snprintf(what, sizeof(what), "'must' or 'may' after '%s'",
			 c->debtor.s);
		return cm__expected(P, t, what);
	}
	t = cm__peek(P, 0);
	c->content_pos = t->pos;
	if (t->kind == CM__T_STRING) {
		c->text = cm__tok_dup(P, ar, t);
		if (!c->text)
			return cm__enomem(P->err);
		cm__skip(P);
	} else if (t->kind == CM__T_ID && cm__peek(P, 1)->kind == CM__T_LPAREN) {
		int rc = cm__p_action(P, ar, &c->action);
		if (rc != CM_OK)
			return rc;
		c->is_action = true;
	} else {
		return cm__expected(P, t,
				    "an action pattern such as name(...) or a "
				    "string");
	}
	/* The deadline: `by DATE` or `within DURATION`, once. */
	bool have = false;
	for (;;) {
		t = cm__peek(P, 0);
		bool by = CM__KW(t, "by");
		if (!by && !CM__KW(t, "within"))
			return CM_OK;
		if (have)
			return cm__perror(P, CM_ESEMANTIC, t->pos,
					  "deadline given twice ('%s')",
					  by ? "by" : "within");
		have = true;
		c->deadline_pos = t->pos;
		cm__skip(P);
		const struct cm__token *v = cm__peek(P, 0);
		if (by) {
			if (v->kind != CM__T_DATE)
				return cm__expected(P, v, "a date after 'by'");
			c->by = last_minute(v);
		} else {
			if (v->kind != CM__T_DURATION)
				return cm__expected(P, v,
						    "a duration (such as 30d "
						    "or 12h) after 'within'");
			c->within = v->v;
		}
		cm__skip(P);
	}
}

static int p_cond_item(struct cm__parser *P, struct cm__arena *ar,
		       struct cm__cond_items *l)
{
	struct cm__token kw = cm__next(P);
	struct cm_condition *cond;
	int rc = cm__p_condition(P, ar, &cond);
	if (rc != CM_OK)
		return rc;
	cond->used = true;
	/* exact size for the usual single item */
	struct cm__cond_item *v =
		cm__arena_reserve(ar, l->v, sizeof(*v), l->n, 1, &l->cap);
	if (!v)
		return cm__enomem(P->err);
	v[l->n++] = (struct cm__cond_item){cond, kw.pos};
	l->v = v;
	return CM_OK;
}

static int p_date_once(struct cm__parser *P, cm_time *slot,
		       struct cm__pos *pos, const char *kw, bool end_of_day)
{
	struct cm__token t = cm__next(P);
	if (*slot != CM_TIME_NONE)
		return twice(P, t.pos, kw);
	const struct cm__token *d = cm__peek(P, 0);
	if (d->kind != CM__T_DATE) {
		char what[64];
		snprintf(what, sizeof(what), "a date after '%s'", kw);
		return cm__expected(P, d, what);
	}
	*slot = end_of_day ? last_minute(d) : d->v;
	*pos = t.pos;
	cm__skip(P);
	return CM_OK;
}

static int p_citem(struct cm__parser *P, struct cm_commitment *c)
{
	struct cm__arena *ar = &c->agreement->arena;
	const struct cm__token *t = cm__peek(P, 0);
	if (CM__KW(t, "to")) {
		cm__skip(P);
		return cm__parse_ids(P, ar, &c->to, "a party id after 'to'");
	}
	if (CM__KW(t, "if"))
		return p_cond_item(P, ar, &c->ifs);
	if (CM__KW(t, "while"))
		return p_cond_item(P, ar, &c->whiles);
	if (CM__KW(t, "unless"))
		return p_cond_item(P, ar, &c->unlesses);
	if (CM__KW(t, "reciprocal"))
		return cm__p_reciprocal(P, c);
	if (CM__KW(t, "from"))
		return p_date_once(P, &c->from, &c->from_pos, "from", false);
	if (CM__KW(t, "until"))
		return p_date_once(P, &c->until, &c->until_pos, "until", true);
	if (CM__KW(t, "verbal") || CM__KW(t, "written")) {
		if (c->form != CM_FORM_DEFAULT)
			return cm__perror(P, CM_ESEMANTIC, t->pos,
					  "form given twice ('%.*s')",
					  (int)t->len, t->s);
		c->form = t->s[0] == 'v' ? CM_FORM_VERBAL : CM_FORM_WRITTEN;
		c->form_pos = t->pos;
		cm__skip(P);
		return CM_OK;
	}
	if (CM__KW(t, "signed")) {
		cm__skip(P);
		int rc = cm__expect_by(P, "signed");
		if (rc != CM_OK)
			return rc;
		return cm__parse_sigs(P, ar, &c->sigs,
				  "a party id after 'signed by'");
	}
	if (CM__KW(t, "witnessed")) {
		cm__skip(P);
		int rc = cm__expect_by(P, "witnessed");
		if (rc != CM_OK)
			return rc;
		return cm__parse_ids(P, ar, &c->witnesses,
				     "a party id after 'witnessed by'");
	}
	if (CM__KW(t, "proposed") || CM__KW(t, "claimed") ||
	    CM__KW(t, "rejected")) {
		if (c->standing_set && cm__p_standing_pair(P, c, t))
			return cm__p_proposed_rejected(P, c);
		if (c->standing_set)
			return cm__perror(P, CM_ESEMANTIC, t->pos,
					  "standing given twice ('%.*s')",
					  (int)t->len, t->s);
		c->standing = t->s[0] == 'p'   ? CM_STANDING_PROPOSED
			      : t->s[0] == 'c' ? CM_STANDING_CLAIMED
					       : CM_STANDING_REJECTED;
		c->standing_set = true;
		c->standing_pos = t->pos;
		cm__skip(P);
		if (c->standing == CM_STANDING_CLAIMED)
			return CM_OK;
		const char *kw = c->standing == CM_STANDING_PROPOSED
					 ? "proposed"
					 : "rejected";
		int rc = cm__expect_by(P, kw);
		if (rc != CM_OK)
			return rc;
		return cm__parse_ids(P, ar, &c->standing_by,
				     c->standing == CM_STANDING_PROPOSED
					     ? "a party id after 'proposed by'"
					     : "a party id after 'rejected by'");
	}
	if (CM__KW(t, "note")) {
		struct cm__pos *pv = cm__arena_grow(ar, c->note_pos, sizeof(*pv),
						    c->nnotes,
						    &c->note_pos_cap);
		if (!pv)
			return cm__enomem(P->err);
		c->note_pos = pv;
		pv[c->nnotes] = t->pos;
		cm__skip(P);
		const struct cm__token *s = cm__peek(P, 0);
		if (s->kind != CM__T_STRING)
			return cm__expected(P, s, "a string after 'note'");
		const char **v = cm__arena_reserve(ar, c->notes, sizeof(*v),
					       c->nnotes, 1, &c->notes_cap);
		if (!v)
			return cm__enomem(P->err);
		c->notes = v;
		v[c->nnotes] = cm__tok_dup(P, ar, s);
		if (!v[c->nnotes])
			return cm__enomem(P->err);
		c->nnotes++;
		cm__skip(P);
		return CM_OK;
	}
	return cm__expected(P, t, "a commitment item or '}'");
}

static int p_commitment(struct cm__parser *P, struct cm_agreement *a)
{
	cm__skip(P); /* commitment */
	struct cm__token id;
	int rc = cm__expect_kind(P, CM__T_ID, "a commitment id after 'commitment'",
			     &id);
	if (rc != CM_OK)
		return rc;
	const char *s = cm__tok_cstr(P, &P->sbuf, &id);
	if (!s)
		return cm__enomem(P->err);
	struct cm_commitment *c;
	rc = cm__agreement_commitment(a, s, id.pos, &c, P->err);
	if (rc != CM_OK)
		return rc;
	const struct cm__token *t = cm__peek(P, 0);
	if (t->kind != CM__T_LBRACE) {
		char what[160];
		snprintf(what, sizeof(what), "'{' after commitment id '%s'",
			 c->id);
		return cm__expected(P, t, what);
	}
	cm__skip(P);
	rc = p_clause(P, a, c);
	while (rc == CM_OK) {
		if (cm__peek(P, 0)->kind == CM__T_RBRACE) {
			c->end = cm__peek(P, 0)->pos;
			cm__skip(P);
			break;
		}
		rc = p_citem(P, c);
	}
	return rc;
}

/* ---- agreements -------------------------------------------------------- */

static int role_of(const struct cm__token *t)
{
	return t->kind == CM__T_ID ? cm__name_find(cm_role_name, t->s, t->len)
				   : -1;
}

static int p_party(struct cm__parser *P, struct cm_agreement *a, int role)
{
	struct cm__token kw = cm__next(P);
	char what[96];
	struct cm__token id, name;
	const struct cm__token *t = cm__peek(P, 0);
	if (t->kind != CM__T_ID) {
		snprintf(what, sizeof(what), "a party id after '%.*s'",
			 (int)kw.len, kw.s);
		return cm__expected(P, t, what);
	}
	id = cm__next(P);
	t = cm__peek(P, 0);
	if (t->kind != CM__T_STRING) {
		snprintf(what, sizeof(what), "the name of '%.*s' (a string)",
			 (int)(id.len > 40 ? 40 : id.len), id.s);
		return cm__expected(P, t, what);
	}
	name = cm__next(P);
	int kind = cm__kind_of(cm__peek(P, 0));
	if (kind != CM_KIND_NONE)
		cm__skip(P);
	const char *ids = cm__tok_cstr(P, &P->sbuf, &id);
	const char *names = ids ? cm__tok_cstr(P, &P->sbuf2, &name) : NULL;
	if (!names)
		return cm__enomem(P->err);
	return cm__agreement_party(a, ids, names, role, kind, id.pos, NULL,
				   P->err);
}

static int p_agreement_item(struct cm__parser *P, struct cm_agreement *a)
{
	struct cm__arena *ar = &a->arena;
	const struct cm__token *t = cm__peek(P, 0);
	int role = role_of(t);
	if (role >= 0)
		return p_party(P, a, role);
	if (CM__KW(t, "date"))
		return p_date_once(P, &a->date, &a->date_pos, "date", false);
	if (CM__KW(t, "commitment"))
		return p_commitment(P, a);
	if (CM__KW(t, "require")) {
		struct cm__rule r;
		int rc = cm__p_require(P, ar, &r);
		if (rc == CM_OK)
			rc = rules_push(ar, &a->rules, &r, P->err);
		return rc;
	}
	if (CM__KW(t, "use")) {
		struct cm__rule r;
		memset(&r, 0, sizeof(r));
		struct cm__token kw = cm__next(P);
		r.kind = CM__RULE_USE;
		r.pos = kw.pos;
		r.line = kw.pos.line;
		const struct cm__token *id = cm__peek(P, 0);
		if (id->kind != CM__T_ID)
			return cm__expected(P, id, "a policy name after 'use'");
		r.use.s = cm__tok_dup(P, ar, id);
		r.use.pos = id->pos;
		if (!r.use.s)
			return cm__enomem(P->err);
		cm__skip(P);
		return rules_push(ar, &a->rules, &r, P->err);
	}
	if (CM__KW(t, "signed") || CM__KW(t, "ratified")) {
		bool sig = t->s[0] == 's';
		cm__skip(P);
		int rc = cm__expect_by(P, sig ? "signed" : "ratified");
		if (rc != CM_OK)
			return rc;
		return cm__parse_sigs(P, ar, sig ? &a->sigs : &a->ratifications,
				  sig ? "a party id after 'signed by'"
				      : "a party id after 'ratified by'");
	}
	if (CM__KW(t, "registered")) {
		if (a->registered)
			return twice(P, t->pos, "registered");
		a->registered = true;
		a->registered_pos = t->pos;
		cm__skip(P);
		if (CM__KW(cm__peek(P, 0), "on")) {
			cm__skip(P);
			const struct cm__token *d = cm__peek(P, 0);
			if (d->kind != CM__T_DATE)
				return cm__expected(P, d, "a date after 'on'");
			a->registered_on = d->v;
			cm__skip(P);
		}
		return CM_OK;
	}
	if (CM__KW(t, "events")) {
		/* Where the block stood, for the canonical writer. */
		struct cm__top b = {CM__TOP_EVENTS, a->events.n, 0, NULL,
				    t->pos, {0, 0}};
		int rc = cm__p_events_block(P, ar, a->file, &a->events);
		if (rc != CM_OK)
			return rc;
		struct cm__top *v = cm__arena_grow(ar, a->blocks, sizeof(*v),
						   a->nblocks, &a->blocks_cap);
		if (!v)
			return cm__enomem(P->err);
		b.count = a->events.n - b.index;
		b.end = P->block_end;
		v[a->nblocks++] = b;
		a->blocks = v;
		return CM_OK;
	}
	return cm__expected(P, t, "an agreement item or '}'");
}

static int p_agreement(struct doc_parse *D)
{
	struct cm__parser *P = &D->P;
	struct cm__token kw = cm__next(P);
	struct cm__token id;
	int rc = cm__expect_kind(P, CM__T_ID, "an agreement id after 'agreement'",
			     &id);
	if (rc != CM_OK)
		return rc;
	const char *s = cm__tok_cstr(P, &P->sbuf, &id);
	if (!s)
		return cm__enomem(P->err);
	if (!cm__stack_reserve(P, &D->agreements, sizeof(void *), 1))
		return cm__enomem(P->err);
	struct cm_agreement *a;
	rc = cm__agreement_create(P->tmp, s, P->file, kw.pos, &a, P->err);
	if (rc != CM_OK)
		return rc;
	uint32_t index = (uint32_t)D->agreements.n;
	((struct cm_agreement **)D->agreements.v)[D->agreements.n++] = a;
	const struct cm__token *t = cm__peek(P, 0);
	if (t->kind == CM__T_STRING) {
		a->title = cm__tok_dup(P, &a->arena, t);
		if (!a->title)
			return cm__enomem(P->err);
		cm__skip(P);
		rc = cm__expect_kind(P, CM__T_LBRACE,
				 "'{' after the agreement's title", NULL);
	} else {
		rc = cm__expect_kind(P, CM__T_LBRACE,
				 "a title (a string) or '{' after agreement id",
				 NULL);
	}
	if (rc != CM_OK)
		return rc;
	while (cm__peek(P, 0)->kind != CM__T_RBRACE) {
		rc = p_agreement_item(P, a);
		if (rc != CM_OK)
			return rc;
	}
	a->end = cm__peek(P, 0)->pos;
	cm__skip(P);
	return add_top(D, CM__TOP_AGREEMENT, index, 0, kw.pos, a->end);
}

/* ---- policies -------------------------------------------------------- */

static int p_policy(struct doc_parse *D)
{
	struct cm__parser *P = &D->P;
	struct cm__token kw = cm__next(P);
	struct cm__token id;
	int rc = cm__expect_kind(P, CM__T_ID, "a policy id after 'policy'", &id);
	if (rc != CM_OK)
		return rc;
	const char *s = cm__tok_cstr(P, &P->sbuf, &id);
	if (!s)
		return cm__enomem(P->err);
	const char *title = NULL;
	const struct cm__token *t = cm__peek(P, 0);
	if (t->kind == CM__T_STRING) {
		title = cm__tok_cstr(P, &P->sbuf2, t);
		if (!title)
			return cm__enomem(P->err);
		cm__skip(P);
	}
	if (!cm__stack_reserve(P, &D->policies, sizeof(void *), 1))
		return cm__enomem(P->err);
	struct cm_policy *p;
	rc = cm__policy_create(P->tmp, s, title, P->file, kw.pos, &p, P->err);
	if (rc != CM_OK)
		return rc;
	p->id_pos = id.pos;
	uint32_t index = (uint32_t)D->policies.n;
	((struct cm_policy **)D->policies.v)[D->policies.n++] = p;
	rc = cm__expect_kind(P, CM__T_LBRACE,
			 title ? "'{' after the policy's title"
			       : "a title (a string) or '{' after policy id",
			 NULL);
	while (rc == CM_OK) {
		t = cm__peek(P, 0);
		if (t->kind == CM__T_RBRACE) {
			p->end = t->pos;
			cm__skip(P);
			break;
		}
		if (!CM__KW(t, "require"))
			return cm__expected(P, t, "'require' or '}' in a policy");
		struct cm__rule r;
		rc = cm__p_require(P, &p->arena, &r);
		if (rc != CM_OK)
			return rc;
		r.policy = p->id;
		rc = rules_push(&p->arena, &p->rules, &r, P->err);
	}
	if (rc != CM_OK)
		return rc;
	return add_top(D, CM__TOP_POLICY, index, 0, kw.pos, p->end);
}

/* ---- files ------------------------------------------------------------ */

static int p_file(struct doc_parse *D)
{
	struct cm__parser *P = &D->P;
	for (;;) {
		const struct cm__token *t = cm__peek(P, 0);
		int rc;
		if (t->kind == CM__T_EOF)
			return CM_OK;
		if (CM__KW(t, "agreement")) {
			rc = p_agreement(D);
		} else if (CM__KW(t, "policy")) {
			rc = p_policy(D);
		} else if (CM__KW(t, "events")) {
			struct cm__pos pos = t->pos;
			uint32_t first = D->events.n;
			rc = cm__p_events_block(P, &D->evar, P->file,
						&D->events);
			if (rc == CM_OK)
				rc = add_top(D, CM__TOP_EVENTS, first,
					     D->events.n - first, pos,
					     P->block_end);
		} else if (CM__KW(t, "import")) {
			/* a mapping of dataset rows (docs/import.md) */
			struct cm__pos pos = t->pos;
			struct cm_mapping *m = NULL;
			rc = cm__p_mapping(P, D, P->file, &m);
			if (rc == CM_OK &&
			    !cm__stack_reserve(P, &D->mappings, sizeof(m), 1))
				rc = cm__enomem(P->err);
			if (rc == CM_OK) {
				((struct cm_mapping **)D->mappings.v)
					[D->mappings.n] = m;
				rc = add_top(D, CM__TOP_IMPORT,
					     (uint32_t)D->mappings.n++, 0, pos,
					     cm__mapping_end(m));
			}
		} else {
			rc = cm__expected(P, t, "'agreement', 'policy', "
					  "'events' or 'import'");
		}
		if (rc != CM_OK)
			return rc;
	}
}

int cm__parse_text(void *mem_ctx, const char *text, size_t len,
		   const char *file, struct cm__parsed **out, cm_error *err)
{
	if (len > CM__MAX_TEXT)
		return cm__error(err, CM_ELIMIT, file, (struct cm__pos){0, 0},
				 "text of %zu bytes is beyond the limit of %d "
				 "bytes", len, CM__MAX_TEXT);
	struct doc_parse *D = cm__zalloc(mem_ctx, sizeof(*D), "cm_parsed");
	if (!D)
		return cm__enomem(err);
	cm__parser_init(&D->P, D, text, len, file, err);
	D->P.lx.comment = on_comment;
	D->P.lx.comment_ctx = D;
	cm__arena_init(&D->evar, D);
	int rc = p_file(D);
	if (rc != CM_OK) {
		cm__free(D);
		return rc;
	}
	D->out = (struct cm__parsed){
		.agreements = D->agreements.v,
		.nagreements = (uint32_t)D->agreements.n,
		.policies = D->policies.v,
		.npolicies = (uint32_t)D->policies.n,
		.events = D->events,
		.comments = D->comments.v,
		.ncomments = (uint32_t)D->comments.n,
		.tops = D->tops.v,
		.ntops = (uint32_t)D->tops.n,
		.mappings = D->mappings.v,
		.nmappings = (uint32_t)D->mappings.n,
	};
	*out = &D->out;
	return CM_OK;
}
