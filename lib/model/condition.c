/*
 * Condition nodes built in code (the public cm_condition_* of
 * commitment.h that take no snippet of the language), and the copies the
 * builder keeps of a node or action parsed from a snippet.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "model/model.h"

static const struct cm__pos NOPOS = {0, 0};
#define CHECK_ARG CM__CHECK_ARG

int cm__condition_node(cm_commitment *c, int type, struct cm_condition **out,
		       cm_error *err)
{
	struct cm_condition *n =
		cm__arena_alloc(&c->agreement->arena, sizeof(*n));
	if (!n)
		return cm__enomem(err);
	n->type = (uint8_t)type;
	n->window = -1;
	n->depth = 1;
	*out = n;
	return CM_OK;
}

CM_EXPORT int cm_condition_new_const(cm_commitment *c, int value,
				     cm_condition **out, cm_error *err)
{
	CHECK_ARG(c && out, err);
	return cm__condition_node(c, value ? CM_CT_TRUE : CM_CT_FALSE, out, err);
}

static int ref_node(cm_commitment *c, int type, int which, const char *id,
		    cm_condition **out, cm_error *err)
{
	if (!cm__valid_id(id))
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid commitment id '%s'", id);
	struct cm_condition *n = NULL;
	int rc = cm__condition_node(c, type, &n, err);
	if (rc != CM_OK)
		return rc;
	n->which = (uint8_t)which;
	n->ref.s = cm__arena_strdup(&c->agreement->arena, id);
	if (!n->ref.s)
		return cm__enomem(err);
	*out = n;
	return CM_OK;
}

CM_EXPORT int cm_condition_new_state(cm_commitment *c, int state,
				     const char *commitment,
				     cm_condition **out, cm_error *err)
{
	CHECK_ARG(c && commitment && out && state >= CM_STATE_PENDING &&
			  state <= CM_STATE_EXPIRED, err);
	return ref_node(c, CM_CT_STATE, state, commitment, out, err);
}

CM_EXPORT int cm_condition_new_form(cm_commitment *c, int form,
				    const char *commitment,
				    cm_condition **out, cm_error *err)
{
	CHECK_ARG(c && commitment && out && (form == CM_FORM_ATOM_WRITTEN ||
					     form == CM_FORM_ATOM_SIGNED), err);
	return ref_node(c, CM_CT_FORM, form, commitment, out, err);
}

static int inner_node(cm_commitment *c, int type, cm_condition *x,
		      cm_condition *y, cm_condition **out, cm_error *err)
{
	uint32_t depth = x->depth;
	if (y && y->depth > depth)
		depth = y->depth;
	if (depth + 1 > CM__MAX_COND_DEPTH)
		return cm__error(err, CM_ELIMIT, NULL, NOPOS,
				 "condition nested deeper than %d",
				 CM__MAX_COND_DEPTH);
	/* and/or are kept flat: (a and b) and c has three kids. */
	uint32_t nk = 1;
	if (y) {
		nk = (x->type == type ? x->nkids : 1) +
		     (y->type == type ? y->nkids : 1);
	}
	struct cm_condition *n = NULL;
	int rc = cm__condition_node(c, type, &n, err);
	if (rc != CM_OK)
		return rc;
	n->kids = cm__arena_alloc(&c->agreement->arena, nk * sizeof(*n->kids));
	if (!n->kids)
		return cm__enomem(err);
	uint32_t k = 0;
	cm_condition *parts[2] = {x, y};
	for (int i = 0; i < (y ? 2 : 1); i++) {
		cm_condition *p = parts[i];
		if (y && p->type == type)
			for (uint32_t j = 0; j < p->nkids; j++)
				n->kids[k++] = p->kids[j];
		else
			n->kids[k++] = p;
		p->used = true;
	}
	n->nkids = k;
	n->depth = depth + 1;
	*out = n;
	return CM_OK;
}

/* A node belongs to the agreement whose arena holds it (a block that is a
 * talloc child of that agreement): one made for a commitment of another
 * agreement would be freed with that one, under this agreement's feet. */
int cm__cond_node_home(const cm_commitment *c, const cm_condition *n,
		       cm_error *err)
{
	if (cm__arena_holds(&c->agreement->arena, n, sizeof(*n)))
		return CM_OK;
	return cm__error(err, CM_EINVAL, NULL, NOPOS,
			 "condition node belongs to another agreement than "
			 "commitment '%s' (make it for a commitment of "
			 "agreement '%s')", c->id, c->agreement->id);
}

CM_EXPORT int cm_condition_new_not(cm_commitment *c, cm_condition *x,
				   cm_condition **out, cm_error *err)
{
	CHECK_ARG(c && x && out && !x->used, err);
	int rc = cm__cond_node_home(c, x, err);
	if (rc != CM_OK)
		return rc;
	return inner_node(c, CM_CT_NOT, x, NULL, out, err);
}

CM_EXPORT int cm_condition_new_binary(cm_commitment *c, int type,
				      cm_condition *x, cm_condition *y,
				      cm_condition **out, cm_error *err)
{
	CHECK_ARG(c && x && y && x != y && out && !x->used && !y->used &&
			  (type == CM_CT_AND || type == CM_CT_OR), err);
	int rc = cm__cond_node_home(c, x, err);
	if (rc == CM_OK)
		rc = cm__cond_node_home(c, y, err);
	if (rc != CM_OK)
		return rc;
	return inner_node(c, type, x, y, out, err);
}

CM_EXPORT int cm_condition_type(const cm_condition *n)
{
	return n ? n->type : -1;
}

/* ---- copies of parsed snippets ----------------------------------------- */

int cm__action_adopt(struct cm__arena *ar, struct cm__action *dst,
		     const struct cm__action *src)
{
	struct cm__action a;
	if (cm__action_copy(ar, &a, src) != 0)
		return -1;
	a.pos = NOPOS;
	for (uint32_t i = 0; i < a.nattrs; i++)
		a.attrs[i].pos = NOPOS;
	*dst = a;
	return 0;
}

int cm__condition_adopt(struct cm__arena *ar, const struct cm_condition *src,
			struct cm_condition **out)
{
	struct cm_condition *n = cm__arena_alloc(ar, sizeof(*n));
	if (!n)
		return -1;
	*n = *src;
	n->pos = NOPOS;
	n->ref.pos = NOPOS;
	n->target = NULL;
	n->kids = NULL;
	memset(&n->act, 0, sizeof(n->act));
	if (src->act.type && cm__action_adopt(ar, &n->act, &src->act) != 0)
		return -1;
	if (src->ref.s) {
		n->ref.s = cm__arena_strdup(ar, src->ref.s);
		if (!n->ref.s)
			return -1;
	}
	if (src->nkids) {
		n->kids = cm__arena_alloc(ar, src->nkids * sizeof(*n->kids));
		if (!n->kids)
			return -1;
		/* depth-bounded (CM__MAX_COND_DEPTH): recursion is safe */
		for (uint32_t i = 0; i < src->nkids; i++)
			if (cm__condition_adopt(ar, src->kids[i],
						&n->kids[i]) != 0)
				return -1;
	}
	*out = n;
	return 0;
}
