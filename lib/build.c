/*
 * The builder functions that take snippets of the language (the API
 * layer): an action pattern, a condition, a requirement rule, each parsed
 * (syntax layer) into a scratch context and copied into the agreement or
 * policy only when it parsed. A failed call leaves nothing behind in the
 * agreement, and what is kept carries no position: a position inside a
 * snippet means nothing to the caller, so errors about a built agreement
 * are reported without one (line and column 0). And the checker's entry
 * point for one agreement, cm_agreement_validate, is in check/resolve.c.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "model/model.h"
#include "syntax/syntax.h"

static const struct cm__pos NOPOS = {0, 0};
#define CHECK_ARG CM__CHECK_ARG

static int twice(cm_error *err, const char *what)
{
	return cm__error(err, CM_EINVAL, NULL, NOPOS, "'%s' given twice", what);
}

/* A rule parsed from the builder's rule text: its positions are within
 * that short text, not in any file, so the model keeps none (errors about
 * it then name the rule instead). */
static void rule_unplace(struct cm__rule *r)
{
	r->pos = NOPOS;
	r->for_pos = NOPOS;
	r->sel_id.pos = NOPOS;
	r->use.pos = NOPOS;
	r->line = 0;
	for (uint32_t i = 0; i < r->ids.n; i++)
		r->ids.v[i].pos = NOPOS;
}

CM_EXPORT int cm_agreement_add_requirement(cm_agreement *a, const char *rule,
					   const char *selector, cm_error *err)
{
	CHECK_ARG(a && rule, err);
	void *tmp = cm__ctx_new(a, "cm_tmp");
	if (!tmp)
		return cm__enomem(err);
	struct cm__arena scratch;
	cm__arena_init(&scratch, tmp);
	struct cm__rule r;
	int rc = cm__parse_rule(&scratch, rule, selector, &r, err);
	if (rc == CM_OK)
		rule_unplace(&r);
	if (rc == CM_OK && cm__rules_add(&a->arena, &a->rules, &r) != 0)
		rc = cm__enomem(err);
	cm__free(tmp);
	a->validated = false;
	return rc;
}

CM_EXPORT int cm_policy_add_requirement(cm_policy *p, const char *rule,
					const char *selector, cm_error *err)
{
	CHECK_ARG(p && rule, err);
	void *tmp = cm__ctx_new(p, "cm_tmp");
	if (!tmp)
		return cm__enomem(err);
	struct cm__arena scratch;
	cm__arena_init(&scratch, tmp);
	struct cm__rule r;
	int rc = cm__parse_rule(&scratch, rule, selector, &r, err);
	if (rc == CM_OK) {
		rule_unplace(&r);
		r.policy = p->id;
		if (cm__rules_add(&p->arena, &p->rules, &r) != 0)
			rc = cm__enomem(err);
	}
	cm__free(tmp);
	return rc;
}

/* Parse action @p pattern into a scratch context and copy it, without
 * positions, into @p ar (*out written only on success). */
static int adopt_action(const void *owner, struct cm__arena *ar,
			const char *pattern, struct cm__action *out,
			cm_error *err)
{
	void *tmp = cm__ctx_new(owner, "cm_tmp");
	if (!tmp)
		return cm__enomem(err);
	struct cm__arena scratch;
	cm__arena_init(&scratch, tmp);
	struct cm__action act;
	int rc = cm__parse_action(&scratch, pattern, strlen(pattern), &act, err);
	if (rc == CM_OK && cm__action_adopt(ar, out, &act) != 0)
		rc = cm__enomem(err);
	cm__free(tmp);
	return rc;
}

CM_EXPORT int cm_commitment_set_action(cm_commitment *c, const char *pattern,
				       cm_error *err)
{
	CHECK_ARG(c && pattern, err);
	if (c->is_action || c->text)
		return twice(err, "content");
	int rc = adopt_action(c->agreement, &c->agreement->arena, pattern,
			      &c->action, err);
	if (rc != CM_OK)
		return rc;
	c->is_action = true;
	c->agreement->validated = false;
	return CM_OK;
}

static bool cond_item(int item)
{
	return item == CM_COND_IF || item == CM_COND_WHILE ||
	       item == CM_COND_UNLESS;
}

CM_EXPORT int cm_commitment_add_condition(cm_commitment *c, int item,
					  const char *text, cm_error *err)
{
	CHECK_ARG(c && text && cond_item(item), err);
	void *tmp = cm__ctx_new(c->agreement, "cm_tmp");
	if (!tmp)
		return cm__enomem(err);
	struct cm__arena scratch;
	cm__arena_init(&scratch, tmp);
	struct cm_condition *parsed, *node = NULL;
	int rc = cm__parse_condition(&scratch, text, strlen(text), &parsed,
				     err);
	if (rc == CM_OK &&
	    cm__condition_adopt(&c->agreement->arena, parsed, &node) != 0)
		rc = cm__enomem(err);
	cm__free(tmp);
	if (rc != CM_OK)
		return rc;
	return cm_commitment_add_condition_node(c, item, node, err);
}

static int pattern_node(cm_commitment *c, int type, const char *pattern,
			int64_t window, cm_condition **out, cm_error *err)
{
	struct cm__action act;
	int rc = adopt_action(c->agreement, &c->agreement->arena, pattern, &act,
			      err);
	struct cm_condition *n = NULL;
	if (rc == CM_OK)
		rc = cm__condition_node(c, type, &n, err);
	if (rc != CM_OK)
		return rc;
	n->act = act;
	n->window = window;
	*out = n;
	return CM_OK;
}
CM_EXPORT int cm_condition_new_action(cm_commitment *c, const char *pattern,
				      int64_t window, cm_condition **out,
				      cm_error *err)
{
	CHECK_ARG(c && pattern && out && window >= -1, err);
	return pattern_node(c, CM_CT_ACTION, pattern, window, out, err);
}

CM_EXPORT int cm_condition_new_count(cm_commitment *c, const char *pattern,
				     int cmp, int64_t n, int64_t window,
				     cm_condition **out, cm_error *err)
{
	CHECK_ARG(c && pattern && out && window >= -1 && cmp >= CM_CMP_GE &&
			  cmp <= CM_CMP_NE, err);
	if (n < 0 || n > INT32_MAX)
		return cm__error(err, CM_ERANGE, NULL, NOPOS,
				 "count bound must be an integer from 0 to "
				 "2147483647");
	struct cm_condition *node;
	int rc = pattern_node(c, CM_CT_COUNT, pattern, window, &node, err);
	if (rc != CM_OK)
		return rc;
	node->cmp = (uint8_t)cmp;
	node->n = n;
	*out = node;
	return CM_OK;
}
