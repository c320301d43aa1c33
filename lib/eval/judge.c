/*
 * The evaluator's judgement of one per-commitment rule on one commitment
 * (SPEC §3), the facts about a commitment it needs, and the texts of the
 * failures and remedies (docs/evaluation.md). Driven by evaluate.c.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "eval/evaluate.h"
#include "model/names.h"

/* ---- facts about a commitment ------------------------------------------ */

const struct cm_party *cm__ev_debtor_of(const struct cm_commitment *c)
{
	if (c->debtor_p)
		return c->debtor_p;
	return c->debtor.s ? cm__find_party(c->agreement, c->debtor.s) : NULL;
}

/* Would @p c be signed by its debtor @p d once written: @p d signed the
 * agreement's text or signed @p c itself? */
static bool signed_once_written(const struct cm_commitment *c,
				const struct cm_party *d)
{
	if (d->signed_text)
		return true;
	for (uint32_t i = 0; i < c->sigs.n; i++)
		if (c->sigs.v[i].p == d)
			return true;
	return false;
}

/* Did party @p id sign the agreement's text? */
static bool signed_text(const struct cm_agreement *a, const char *id)
{
	const struct cm_party *p = cm__find_party(a, id);
	return p && p->signed_text;
}

static bool names_have(const struct cm__names *l, const char *id)
{
	for (uint32_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].s, id) == 0)
			return true;
	return false;
}

/* Does party @p p do for @p c what rule kind @p kind asks of it? */
static bool party_meets(int kind, const struct cm_commitment *c,
			const struct cm_party *p)
{
	switch (kind) {
	case CM__RULE_SIGNED:
		return cm__signed_by(c, p);
	case CM__RULE_WITNESSED:
		return names_have(&c->witnesses, p->id) || cm__signed_by(c, p);
	case CM__RULE_RATIFIED:
		return p->ratified;
	}
	return false;
}

static bool is_dated(const struct cm_commitment *c)
{
	const struct cm_agreement *a = c->agreement;
	if (a->date != CM_TIME_NONE)
		return true;
	for (uint32_t i = 0; i < c->sigs.n; i++)
		if (c->sigs.v[i].on != CM_TIME_NONE)
			return true;
	if (cm__effective_form(c) != CM_FORM_WRITTEN)
		return false;
	for (uint32_t i = 0; i < a->sigs.n; i++)
		if (a->sigs.v[i].on != CM_TIME_NONE)
			return true;
	return false;
}

int cm__ev_level_of(const struct cm_commitment *c)
{
	const struct cm_party *d = cm__ev_debtor_of(c);
	if (cm__effective_form(c) != CM_FORM_WRITTEN)
		return CM_LEVEL_VERBAL;
	if (!d || !cm__signed_by(c, d))
		return CM_LEVEL_WRITTEN;
	if (!d->ratified)
		return CM_LEVEL_SIGNED;
	return CM_LEVEL_RATIFIED;
}

/* ---- failures ----------------------------------------------------------- */

void cm__ev_add_failure(struct ev *e, struct cm__req *q, const char *commit,
			const char *missing, const char *remedy)
{
	if (!missing || !remedy) {
		e->nomem = true;
		return;
	}
	if (q->n == q->cap) {
		/* a block of its own under the report, not in its arena: a
		 * long list grows by realloc() and leaves no old copies */
		uint32_t ncap = q->cap ? q->cap * 2 : 4;
		struct cm__failure *v =
			ncap > q->cap ? cm__realloc(e->r, q->v, sizeof(*v), ncap,
						    "cm_failures")
				      : NULL;
		if (!v) {
			e->nomem = true;
			return;
		}
		q->v = v;
		q->cap = ncap;
	}
	struct cm__failure *v = q->v;
	v[q->n++] = (struct cm__failure){commit, missing, remedy};
	q->holds = false;
}

/* The remedy for a commitment that is not agreed: who has yet to accept
 * it. Computed once per commitment. */
static const char *not_agreed_remedy(struct ev *e,
				     const struct cm_commitment *c)
{
	if (e->not_agreed[c->index])
		return e->not_agreed[c->index];
	const struct cm_party *d = cm__ev_debtor_of(c);
	const char *id = e->r->commits[c->index].id;
	cm__ev_miss_reset(e);
	const char *how = "proposed";
	switch (c->standing) {
	case CM_STANDING_PROPOSED:
		if (d && !names_have(&c->standing_by, d->id))
			cm__ev_miss_add_party(e, d);
		for (uint32_t k = 0; k < c->ncreditors; k++)
			if (!names_have(&c->standing_by, c->creditors[k]->id))
				cm__ev_miss_add_party(e, c->creditors[k]);
		break;
	case CM_STANDING_CLAIMED:
		how = "claimed";
		for (uint32_t k = 0; k < c->ncreditors; k++)
			if (c->creditors[k] != d)
				cm__ev_miss_add_party(e, c->creditors[k]);
		break;
	default:
		how = "rejected";
		for (uint32_t k = 0; k < c->standing_by.n; k++)
			cm__ev_miss_add(e, c->standing_by.v[k].s);
	}
	if (e->nmiss) {
		cm__buf_puts(&e->buf, "have ");
		cm__ev_put_list(&e->buf, e->miss, e->nmiss, " and ");
		cm__buf_printf(&e->buf, " accept %s (%s by ", id, how);
	} else {
		cm__buf_printf(&e->buf, "record %s as agreed (so far only "
				   "%s by ", id, how);
	}
	if (c->standing == CM_STANDING_CLAIMED) {
		cm__buf_puts(&e->buf, d ? d->id : c->debtor.s);
	} else {
		for (uint32_t k = 0; k < c->standing_by.n; k++) {
			if (k)
				cm__buf_puts(&e->buf,
					     k + 1 == c->standing_by.n ? " and "
								       : ", ");
			cm__buf_puts(&e->buf, c->standing_by.v[k].s);
		}
	}
	cm__buf_putc(&e->buf, ')');
	e->not_agreed[c->index] = cm__ev_take(e);
	return e->not_agreed[c->index];
}

/* Failure texts of the party rules (signed, witnessed, ratified) once the
 * missing parties are in e->miss. */
static void party_failure(struct ev *e, struct cm__req *q,
			  const struct cm__rule *rule,
			  const struct cm_commitment *c)
{
	const char *id = e->r->commits[c->index].id;
	bool mediator = rule->who == CM__WHO_ANY_MEDIATOR;
	bool many = e->nmiss > 1 && !mediator;
	const char *missing = NULL;
	switch (rule->kind) {
	case CM__RULE_SIGNED:
		cm__buf_puts(&e->buf, many ? "signatures of " : "signature of ");
		break;
	case CM__RULE_WITNESSED:
		cm__buf_puts(&e->buf, many ? "witnesses " : "witness ");
		break;
	default:
		cm__buf_puts(&e->buf, many ? "ratifications by "
					   : "ratification by ");
	}
	if (mediator)
		cm__buf_puts(&e->buf, rule->kind == CM__RULE_WITNESSED
					      ? "by a mediator"
					      : "a mediator");
	else
		cm__ev_put_list(&e->buf, e->miss, e->nmiss, " and ");
	/* the same text as this requirement's last one ("witness by a
	 * mediator", ...) is shared, not copied again */
	const char **last = &e->last_missing[q - e->r->reqs];
	if (*last && !e->buf.failed && e->buf.data &&
	    strcmp(*last, e->buf.data) == 0) {
		missing = *last;
		cm__ev_buf_clear(&e->buf);
	} else {
		missing = cm__ev_take(e);
		*last = missing;
	}

	if (mediator && !e->nmiss) {
		cm__buf_puts(&e->buf, "name a mediator in the agreement, who ");
		if (rule->kind == CM__RULE_SIGNED) {
			cm__buf_puts(&e->buf, "signs ");
			cm__buf_puts(&e->buf, id);
		} else if (rule->kind == CM__RULE_WITNESSED) {
			cm__buf_puts(&e->buf, "witnesses or signs ");
			cm__buf_puts(&e->buf, id);
		} else {
			cm__buf_puts(&e->buf, "ratifies the agreement");
		}
		cm__ev_add_failure(e, q, id, missing, cm__ev_take(e));
		return;
	}
	cm__ev_put_list(&e->buf, e->miss, e->nmiss, mediator ? " or " : " and ");
	bool plural = many;
	switch (rule->kind) {
	case CM__RULE_SIGNED:
		cm__buf_puts(&e->buf, plural ? " sign " : " signs ");
		cm__buf_puts(&e->buf, id);
		if (cm__effective_form(c) == CM_FORM_VERBAL) {
			for (uint32_t i = 0; i < e->nmiss; i++)
				if (signed_text(e->a, e->miss[i])) {
					cm__buf_puts(&e->buf,
						     " (the signed text does "
						     "not cover it while it is "
						     "verbal)");
					break;
				}
		}
		break;
	case CM__RULE_WITNESSED:
		cm__buf_puts(&e->buf, plural ? " witness or sign "
					     : " witnesses or signs ");
		cm__buf_puts(&e->buf, id);
		break;
	default:
		cm__buf_puts(&e->buf, plural ? " ratify the agreement"
					     : " ratifies the agreement");
	}
	cm__ev_add_failure(e, q, id, missing, cm__ev_take(e));
}

/* Judge one per-commitment rule on one commitment it selects. */
void cm__ev_judge(struct ev *e, struct cm__req *q, const struct cm__rule *rule,
		  const struct cm_commitment *c)
{
	const char *id = e->r->commits[c->index].id;
	const struct cm_party *d = cm__ev_debtor_of(c);
	if (c->standing != CM_STANDING_AGREED) {
		cm__ev_add_failure(e, q, id, "not agreed", not_agreed_remedy(e, c));
		return;
	}
	const char *dname = d ? d->id : c->debtor.s;
	switch (rule->kind) {
	case CM__RULE_WRITTEN:
		if (cm__effective_form(c) == CM_FORM_WRITTEN)
			return;
		cm__buf_puts(&e->buf, dname);
		cm__buf_puts(&e->buf, " puts ");
		cm__buf_puts(&e->buf, id);
		cm__buf_puts(&e->buf, " in writing");
		/* in writing, would it carry its debtor's signature? If not,
		 * the remedy says so: a written text is signed by who it binds
		 * (SPEC §7: "put no_safe_haven in writing and sign it"). */
		if (d && !signed_once_written(c, d))
			cm__buf_puts(&e->buf, " and signs it");
		cm__ev_add_failure(e, q, id, "written form", cm__ev_take(e));
		break;
	case CM__RULE_DATED:
		if (is_dated(c))
			return;
		cm__buf_puts(&e->buf, "date the agreement, or date a "
				      "signature covering ");
		cm__buf_puts(&e->buf, id);
		cm__ev_add_failure(e, q, id, "date", cm__ev_take(e));
		break;
	case CM__RULE_VERIFIABLE:
		if (c->is_action)
			return;
		cm__buf_puts(&e->buf, "state ");
		cm__buf_puts(&e->buf, id);
		cm__buf_puts(&e->buf, " as an action pattern, "
				      "type(attribute: value, ...), instead of "
				      "free text");
		cm__ev_add_failure(e, q, id, "action pattern", cm__ev_take(e));
		break;
	default: { /* signed, witnessed, ratified */
		cm__ev_miss_reset(e);
		if (rule->who == CM__WHO_ANY_MEDIATOR) {
			for (uint32_t i = 0; i < e->nwho; i++)
				if (party_meets(rule->kind, c, e->who[i]))
					return;
			for (uint32_t i = 0; i < e->nwho; i++)
				cm__ev_miss_add_party(e, e->who[i]);
		} else if (rule->who == CM__WHO_DEBTOR) {
			if (d && !party_meets(rule->kind, c, d))
				cm__ev_miss_add_party(e, d);
		} else if (rule->who == CM__WHO_CREDITOR) {
			for (uint32_t k = 0; k < c->ncreditors; k++)
				if (!party_meets(rule->kind, c, c->creditors[k]))
					cm__ev_miss_add_party(e, c->creditors[k]);
		} else {
			for (uint32_t i = 0; i < e->nwho; i++)
				if (!party_meets(rule->kind, c, e->who[i]))
					cm__ev_miss_add_party(e, e->who[i]);
		}
		if (e->nmiss || rule->who == CM__WHO_ANY_MEDIATOR)
			party_failure(e, q, rule, c);
		return;
	}
	}
}
