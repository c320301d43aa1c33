/*
 * Model equality, positions aside (see equal.h).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/equal.h"

struct eq {
	char *why;
	size_t n;
	bool differ;
};

static bool differ(struct eq *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool differ(struct eq *e, const char *fmt, ...)
{
	if (!e->differ && e->why && e->n) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->why, e->n, fmt, ap);
		va_end(ap);
	}
	e->differ = true;
	return false;
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

#define S(x) ((x) ? (x) : "(null)")

static bool eq_str(struct eq *e, const char *what, const char *a,
		   const char *b)
{
	if (str_eq(a, b))
		return true;
	return differ(e, "%s: '%s' vs '%s'", what, S(a), S(b));
}

static bool eq_int(struct eq *e, const char *what, long long a, long long b)
{
	if (a == b)
		return true;
	return differ(e, "%s: %lld vs %lld", what, a, b);
}

static bool eq_names(struct eq *e, const char *what,
		     const struct cm__names *a, const struct cm__names *b)
{
	if (!eq_int(e, what, a->n, b->n))
		return false;
	for (uint32_t i = 0; i < a->n; i++)
		if (!eq_str(e, what, a->v[i].s, b->v[i].s))
			return false;
	return true;
}

static bool eq_action(struct eq *e, const char *what,
		      const struct cm__action *a, const struct cm__action *b)
{
	if (!eq_str(e, what, a->type, b->type) ||
	    !eq_int(e, what, a->nattrs, b->nattrs))
		return false;
	for (uint32_t i = 0; i < a->nattrs; i++) {
		const struct cm__attr *x = &a->attrs[i], *y = &b->attrs[i];
		if (!eq_str(e, what, x->name, y->name) ||
		    !eq_str(e, what, x->value, y->value) ||
		    !eq_int(e, "value kind", x->vkind, y->vkind))
			return false;
	}
	return true;
}

static bool eq_cond(struct eq *e, const struct cm_condition *a,
		    const struct cm_condition *b)
{
	if (!eq_int(e, "condition type", a->type, b->type) ||
	    !eq_int(e, "condition kids", a->nkids, b->nkids))
		return false;
	switch (a->type) {
	case CM_CT_NOT:
	case CM_CT_AND:
	case CM_CT_OR:
		for (uint32_t i = 0; i < a->nkids; i++)
			if (!eq_cond(e, a->kids[i], b->kids[i]))
				return false;
		return true;
	case CM_CT_COUNT:
		if (!eq_int(e, "count cmp", a->cmp, b->cmp) ||
		    !eq_int(e, "count bound", a->n, b->n))
			return false;
		/* fall through */
	case CM_CT_ACTION:
		return eq_action(e, "condition action", &a->act, &b->act) &&
		       eq_int(e, "window", a->window, b->window);
	case CM_CT_STATE:
	case CM_CT_FORM:
		return eq_int(e, "atom", a->which, b->which) &&
		       eq_str(e, "atom ref", a->ref.s, b->ref.s) &&
		       eq_str(e, "atom target",
			      a->target ? a->target->id : NULL,
			      b->target ? b->target->id : NULL);
	}
	return true;
}

static bool eq_conds(struct eq *e, const char *what,
		     const struct cm__cond_items *a,
		     const struct cm__cond_items *b)
{
	if (!eq_int(e, what, a->n, b->n))
		return false;
	for (uint32_t i = 0; i < a->n; i++)
		if (!eq_cond(e, a->v[i].cond, b->v[i].cond))
			return false;
	return true;
}

static bool eq_sigs(struct eq *e, const char *what, const struct cm__sigs *a,
		    const struct cm__sigs *b)
{
	if (!eq_int(e, what, a->n, b->n))
		return false;
	for (uint32_t i = 0; i < a->n; i++)
		if (!eq_str(e, what, a->v[i].party.s, b->v[i].party.s) ||
		    !eq_int(e, what, a->v[i].on, b->v[i].on))
			return false;
	return true;
}

static bool eq_rules(struct eq *e, const struct cm__rules *a,
		     const struct cm__rules *b)
{
	if (!eq_int(e, "requirements", a->n, b->n))
		return false;
	for (uint32_t i = 0; i < a->n; i++) {
		const struct cm__rule *x = &a->v[i], *y = &b->v[i];
		if (!eq_int(e, "rule kind", x->kind, y->kind) ||
		    !eq_int(e, "rule who", x->who, y->who) ||
		    !eq_int(e, "rule selector", x->selector, y->selector) ||
		    !eq_int(e, "rule has_for", x->has_for, y->has_for) ||
		    !eq_names(e, "rule ids", &x->ids, &y->ids) ||
		    !eq_int(e, "rule kinds", x->nkinds, y->nkinds) ||
		    (x->nkinds && memcmp(x->kinds, y->kinds, x->nkinds) != 0 &&
		     !differ(e, "rule kinds differ")) ||
		    !eq_str(e, "rule selector id", x->sel_id.s, y->sel_id.s) ||
		    !eq_str(e, "use", x->use.s, y->use.s) ||
		    !eq_str(e, "rule policy", x->policy, y->policy))
			return false;
	}
	return true;
}

static bool eq_events(struct eq *e, const struct cm__events *a,
		      const struct cm__events *b)
{
	if (!eq_int(e, "events", a->n, b->n))
		return false;
	for (uint32_t i = 0; i < a->n; i++) {
		const struct cm_event *x = &a->v[i], *y = &b->v[i];
		if (!eq_int(e, "event time", x->time, y->time) ||
		    !eq_action(e, "event action", &x->act, &y->act) ||
		    !eq_str(e, "event note", x->note, y->note) ||
		    !eq_names(e, "reported by", &x->reported, &y->reported) ||
		    !eq_names(e, "denied by", &x->denied, &y->denied) ||
		    !eq_names(e, "verified by", &x->verified, &y->verified))
			return false;
	}
	return true;
}

static bool eq_commitment(struct eq *e, const struct cm_commitment *a,
			  const struct cm_commitment *b)
{
	if (!eq_str(e, "commitment id", a->id, b->id) ||
	    !eq_int(e, "commitment index", a->index, b->index) ||
	    !eq_str(e, "debtor", a->debtor.s, b->debtor.s) ||
	    !eq_int(e, "modality", a->modality, b->modality) ||
	    !eq_int(e, "is_action", a->is_action, b->is_action) ||
	    (a->is_action && !eq_action(e, "clause", &a->action, &b->action)) ||
	    !eq_str(e, "free text", a->text, b->text) ||
	    !eq_int(e, "by", a->by, b->by) ||
	    !eq_int(e, "within", a->within, b->within) ||
	    !eq_names(e, "to", &a->to, &b->to) ||
	    !eq_conds(e, "if", &a->ifs, &b->ifs) ||
	    !eq_conds(e, "while", &a->whiles, &b->whiles) ||
	    !eq_conds(e, "unless", &a->unlesses, &b->unlesses) ||
	    !eq_names(e, "reciprocal", &a->reciprocal, &b->reciprocal) ||
	    !eq_int(e, "from", a->from, b->from) ||
	    !eq_int(e, "until", a->until, b->until) ||
	    !eq_int(e, "form", a->form, b->form) ||
	    !eq_sigs(e, "commitment signed by", &a->sigs, &b->sigs) ||
	    !eq_names(e, "witnessed by", &a->witnesses, &b->witnesses) ||
	    !eq_int(e, "standing", a->standing, b->standing) ||
	    !eq_names(e, "standing by", &a->standing_by, &b->standing_by) ||
	    !eq_int(e, "notes", a->nnotes, b->nnotes))
		return false;
	for (uint32_t i = 0; i < a->nnotes; i++)
		if (!eq_str(e, "note", a->notes[i], b->notes[i]))
			return false;
	if (!eq_int(e, "creditors", a->ncreditors, b->ncreditors))
		return false;
	for (uint32_t i = 0; i < a->ncreditors; i++)
		if (!eq_str(e, "creditor", a->creditors[i]->id,
			    b->creditors[i]->id))
			return false;
	return true;
}

static bool agreement_equal(struct eq *e, const struct cm_agreement *a,
			    const struct cm_agreement *b)
{
	if (!eq_str(e, "agreement id", a->id, b->id) ||
	    !eq_str(e, "title", a->title, b->title) ||
	    !eq_int(e, "date", a->date, b->date) ||
	    !eq_int(e, "parties", a->nparties, b->nparties))
		return false;
	for (uint32_t i = 0; i < a->nparties; i++) {
		const struct cm_party *x = a->parties[i], *y = b->parties[i];
		if (!eq_str(e, "party id", x->id, y->id) ||
		    !eq_str(e, "party name", x->name, y->name) ||
		    !eq_int(e, "party role", x->role, y->role) ||
		    !eq_int(e, "party kind", x->kind, y->kind) ||
		    !eq_int(e, "party index", x->index, y->index))
			return false;
	}
	if (!eq_int(e, "commitments", a->ncommitments, b->ncommitments))
		return false;
	for (uint32_t i = 0; i < a->ncommitments; i++)
		if (!eq_commitment(e, a->commitments[i], b->commitments[i]))
			return differ(e, "in commitment %s", a->commitments[i]->id);
	if (!eq_sigs(e, "signed by", &a->sigs, &b->sigs) ||
	    !eq_sigs(e, "ratified by", &a->ratifications, &b->ratifications) ||
	    !eq_int(e, "registered", a->registered, b->registered) ||
	    !eq_int(e, "registered on", a->registered_on, b->registered_on) ||
	    !eq_rules(e, &a->rules, &b->rules) ||
	    !eq_events(e, &a->events, &b->events) ||
	    !eq_int(e, "events blocks", a->nblocks, b->nblocks))
		return false;
	for (uint32_t i = 0; i < a->nblocks; i++)
		if (!eq_int(e, "events block start", a->blocks[i].index,
			    b->blocks[i].index) ||
		    !eq_int(e, "events block size", a->blocks[i].count,
			    b->blocks[i].count))
			return false;
	return true;
}

bool cm__agreement_equal(const struct cm_agreement *a,
			 const struct cm_agreement *b, char *why, size_t n)
{
	struct eq e = {why, n, false};
	return agreement_equal(&e, a, b);
}

static bool policy_equal(struct eq *e, const struct cm_policy *a,
			 const struct cm_policy *b)
{
	return eq_str(e, "policy id", a->id, b->id) &&
	       eq_str(e, "policy title", a->title, b->title) &&
	       eq_int(e, "builtin", a->builtin, b->builtin) &&
	       eq_rules(e, &a->rules, &b->rules);
}

bool cm__policy_equal(const struct cm_policy *a, const struct cm_policy *b,
		      char *why, size_t n)
{
	struct eq e = {why, n, false};
	return policy_equal(&e, a, b);
}

static size_t trimmed_len(const char *s)
{
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
		       s[len - 1] == '\r'))
		len--;
	return len;
}

static int text_cmp(const void *x, const void *y)
{
	const char *a = *(const char *const *)x, *b = *(const char *const *)y;
	size_t la = trimmed_len(a), lb = trimmed_len(b);
	int c = memcmp(a, b, la < lb ? la : lb);
	if (c)
		return c;
	return la < lb ? -1 : la > lb;
}

bool cm__document_equal(const struct cm_document *a,
			const struct cm_document *b, char *why, size_t n)
{
	struct eq e = {why, n, false};
	if (!eq_int(&e, "agreements", a->nagreements, b->nagreements) ||
	    !eq_int(&e, "policies", a->npolicies, b->npolicies) ||
	    !eq_events(&e, &a->events, &b->events) ||
	    !eq_int(&e, "top-level items", a->ntops, b->ntops) ||
	    !eq_int(&e, "comments", a->ncomments, b->ncomments))
		return false;
	for (uint32_t i = 0; i < a->nagreements; i++)
		if (!agreement_equal(&e, a->agreements[i], b->agreements[i]))
			return false;
	for (uint32_t i = 0; i < a->npolicies; i++)
		if (!policy_equal(&e, a->policies[i], b->policies[i]))
			return false;
	for (uint32_t i = 0; i < a->ntops; i++)
		if (!eq_int(&e, "top kind", a->tops[i].kind, b->tops[i].kind) ||
		    !eq_int(&e, "top index", a->tops[i].index,
			    b->tops[i].index) ||
		    !eq_int(&e, "top count", a->tops[i].count,
			    b->tops[i].count))
			return false;
	if (!a->ncomments)
		return true;
	const char **x = cm__realloc(NULL, NULL, sizeof(*x), 2 * (size_t)a->ncomments,
				      "cm_eq");
	if (!x)
		return differ(&e, "out of memory comparing comments");
	const char **y = x + a->ncomments;
	for (uint32_t i = 0; i < a->ncomments; i++) {
		x[i] = a->comments[i].text;
		y[i] = b->comments[i].text;
	}
	qsort(x, a->ncomments, sizeof(*x), text_cmp);
	qsort(y, a->ncomments, sizeof(*y), text_cmp);
	bool ok = true;
	for (uint32_t i = 0; i < a->ncomments && ok; i++)
		if (text_cmp(&x[i], &y[i]) != 0)
			ok = differ(&e, "comment '%s' vs '%s'", x[i], y[i]);
	cm__free(x);
	return ok;
}
