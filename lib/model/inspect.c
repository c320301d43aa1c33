/*
 * Reading the model back (include/commitments/inspect.h): borrowed views
 * of what a parsed or built agreement holds. Nothing here allocates; the
 * three *_to_text calls of inspect.h are the canonical writer's
 * (syntax/format.c).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include "model/model.h"

static const char *name_at(const struct cm__names *l, size_t i)
{
	return i < l->n ? l->v[i].s : NULL;
}

static const char *sig_party(const struct cm__sigs *l, size_t i)
{
	return i < l->n ? l->v[i].party.s : NULL;
}

static cm_time sig_date(const struct cm__sigs *l, size_t i)
{
	return i < l->n ? l->v[i].on : CM_TIME_NONE;
}

/* ---- commitments ----------------------------------------------------- */

CM_EXPORT size_t cm_commitment_to_count(const cm_commitment *c)
{
	return c ? c->to.n : 0;
}

CM_EXPORT const char *cm_commitment_to(const cm_commitment *c, size_t i)
{
	return c ? name_at(&c->to, i) : NULL;
}

CM_EXPORT size_t cm_commitment_creditor_count(const cm_commitment *c)
{
	return c && c->agreement && c->agreement->validated ? c->ncreditors
							    : 0;
}

CM_EXPORT const char *cm_commitment_creditor(const cm_commitment *c, size_t i)
{
	if (i >= cm_commitment_creditor_count(c) || !c->creditors[i])
		return NULL;
	return c->creditors[i]->id;
}

CM_EXPORT cm_time cm_commitment_deadline(const cm_commitment *c)
{
	return c ? c->by : CM_TIME_NONE;
}

CM_EXPORT int64_t cm_commitment_within(const cm_commitment *c)
{
	return c ? c->within : -1;
}

CM_EXPORT cm_time cm_commitment_from(const cm_commitment *c)
{
	return c ? c->from : CM_TIME_NONE;
}

CM_EXPORT cm_time cm_commitment_until(const cm_commitment *c)
{
	return c ? c->until : CM_TIME_NONE;
}

/* The @p i-th item in canonical order (if, while, unless), or NULL. */
static const struct cm__cond_item *cond_item(const cm_commitment *c, size_t i,
					     int *kind)
{
	if (!c)
		return NULL;
	const struct cm__cond_items *l[] = {&c->ifs, &c->whiles, &c->unlesses};
	for (int k = 0; k < 3; k++) {
		if (i < l[k]->n) {
			*kind = k;
			return &l[k]->v[i];
		}
		i -= l[k]->n;
	}
	return NULL;
}

CM_EXPORT size_t cm_commitment_condition_count(const cm_commitment *c)
{
	return c ? (size_t)c->ifs.n + c->whiles.n + c->unlesses.n : 0;
}

CM_EXPORT int cm_commitment_condition_item(const cm_commitment *c, size_t i)
{
	int kind = -1;
	return cond_item(c, i, &kind) ? kind : -1;
}

CM_EXPORT const cm_condition *cm_commitment_condition(const cm_commitment *c,
						      size_t i)
{
	int kind;
	const struct cm__cond_item *it = cond_item(c, i, &kind);
	return it ? it->cond : NULL;
}

CM_EXPORT size_t cm_commitment_reciprocal_count(const cm_commitment *c)
{
	return c ? c->reciprocal.n : 0;
}

CM_EXPORT const char *cm_commitment_reciprocal(const cm_commitment *c,
					       size_t i)
{
	return c ? name_at(&c->reciprocal, i) : NULL;
}

CM_EXPORT size_t cm_commitment_witness_count(const cm_commitment *c)
{
	return c ? c->witnesses.n : 0;
}

CM_EXPORT const char *cm_commitment_witness(const cm_commitment *c, size_t i)
{
	return c ? name_at(&c->witnesses, i) : NULL;
}

CM_EXPORT size_t cm_commitment_signature_count(const cm_commitment *c)
{
	return c ? c->sigs.n : 0;
}

CM_EXPORT const char *cm_commitment_signature_party(const cm_commitment *c,
						    size_t i)
{
	return c ? sig_party(&c->sigs, i) : NULL;
}

CM_EXPORT cm_time cm_commitment_signature_date(const cm_commitment *c,
					       size_t i)
{
	return c ? sig_date(&c->sigs, i) : CM_TIME_NONE;
}

CM_EXPORT size_t cm_commitment_standing_party_count(const cm_commitment *c)
{
	return c ? c->standing_by.n : 0;
}

CM_EXPORT const char *cm_commitment_standing_party(const cm_commitment *c,
						   size_t i)
{
	return c ? name_at(&c->standing_by, i) : NULL;
}

CM_EXPORT size_t cm_commitment_note_count(const cm_commitment *c)
{
	return c ? c->nnotes : 0;
}

CM_EXPORT const char *cm_commitment_note(const cm_commitment *c, size_t i)
{
	return c && i < c->nnotes ? c->notes[i] : NULL;
}

CM_EXPORT size_t cm_commitment_attr_count(const cm_commitment *c)
{
	return c && c->is_action ? c->action.nattrs : 0;
}

CM_EXPORT const char *cm_commitment_attr_name(const cm_commitment *c,
					      size_t i)
{
	return i < cm_commitment_attr_count(c) ? c->action.attrs[i].name
					       : NULL;
}

CM_EXPORT const char *cm_commitment_attr_value(const cm_commitment *c,
					       size_t i)
{
	return i < cm_commitment_attr_count(c) ? c->action.attrs[i].value
					       : NULL;
}

/* ---- condition nodes ------------------------------------------------- */

static bool has_pattern(const cm_condition *n)
{
	return n && (n->type == CM_CT_ACTION || n->type == CM_CT_COUNT);
}

CM_EXPORT size_t cm_condition_child_count(const cm_condition *n)
{
	if (!n || (n->type != CM_CT_NOT && n->type != CM_CT_AND &&
		   n->type != CM_CT_OR))
		return 0;
	return n->nkids;
}

CM_EXPORT const cm_condition *cm_condition_child(const cm_condition *n,
						 size_t i)
{
	return i < cm_condition_child_count(n) ? n->kids[i] : NULL;
}

CM_EXPORT const char *cm_condition_action_type(const cm_condition *n)
{
	return has_pattern(n) ? n->act.type : NULL;
}

CM_EXPORT size_t cm_condition_attr_count(const cm_condition *n)
{
	return has_pattern(n) ? n->act.nattrs : 0;
}

CM_EXPORT const char *cm_condition_attr_name(const cm_condition *n, size_t i)
{
	return i < cm_condition_attr_count(n) ? n->act.attrs[i].name : NULL;
}

CM_EXPORT const char *cm_condition_attr_value(const cm_condition *n,
					      size_t i)
{
	return i < cm_condition_attr_count(n) ? n->act.attrs[i].value : NULL;
}

static bool is_breach_atom(const cm_condition *n)
{
	return n && (n->type == CM_CT_BREACHED || n->type == CM_CT_BREACHES);
}

static bool has_bound(const cm_condition *n)
{
	return n && (n->type == CM_CT_COUNT || n->type == CM_CT_BREACHES);
}

CM_EXPORT int64_t cm_condition_window(const cm_condition *n)
{
	return (has_pattern(n) || is_breach_atom(n)) && n->window >= 0
		       ? n->window
		       : -1;
}

CM_EXPORT int cm_condition_cmp(const cm_condition *n)
{
	return has_bound(n) ? n->cmp : -1;
}

CM_EXPORT int64_t cm_condition_bound(const cm_condition *n)
{
	return has_bound(n) ? n->n : -1;
}

CM_EXPORT int cm_condition_atom(const cm_condition *n)
{
	return n && (n->type == CM_CT_STATE || n->type == CM_CT_FORM)
		       ? n->which
		       : -1;
}

CM_EXPORT const char *cm_condition_ref(const cm_condition *n)
{
	return n && (n->type == CM_CT_STATE || n->type == CM_CT_FORM ||
		     is_breach_atom(n))
		       ? n->ref.s
		       : NULL;
}

/* ---- agreements ------------------------------------------------------ */

CM_EXPORT size_t cm_agreement_requirement_count(const cm_agreement *a)
{
	return a ? a->rules.n : 0;
}

CM_EXPORT const char *cm_agreement_requirement_policy(const cm_agreement *a,
						      size_t i)
{
	return a && i < a->rules.n ? a->rules.v[i].policy : NULL;
}

CM_EXPORT int32_t cm_agreement_requirement_line(const cm_agreement *a,
						size_t i)
{
	if (!a || i >= a->rules.n)
		return 0;
	const struct cm__rule *r = &a->rules.v[i];
	return (int32_t)(r->line ? r->line : r->pos.line);
}

CM_EXPORT size_t cm_agreement_signature_count(const cm_agreement *a)
{
	return a ? a->sigs.n : 0;
}

CM_EXPORT const char *cm_agreement_signature_party(const cm_agreement *a,
						   size_t i)
{
	return a ? sig_party(&a->sigs, i) : NULL;
}

CM_EXPORT cm_time cm_agreement_signature_date(const cm_agreement *a,
					      size_t i)
{
	return a ? sig_date(&a->sigs, i) : CM_TIME_NONE;
}

CM_EXPORT size_t cm_agreement_ratification_count(const cm_agreement *a)
{
	return a ? a->ratifications.n : 0;
}

CM_EXPORT const char *cm_agreement_ratification_party(const cm_agreement *a,
						      size_t i)
{
	return a ? sig_party(&a->ratifications, i) : NULL;
}

CM_EXPORT cm_time cm_agreement_ratification_date(const cm_agreement *a,
						 size_t i)
{
	return a ? sig_date(&a->ratifications, i) : CM_TIME_NONE;
}

CM_EXPORT int cm_agreement_registered(const cm_agreement *a)
{
	return a && a->registered;
}

CM_EXPORT cm_time cm_agreement_registered_on(const cm_agreement *a)
{
	return a && a->registered ? a->registered_on : CM_TIME_NONE;
}
