/*
 * The builder API's 0.2 additions for duties and breaches (SPEC §8.1,
 * §8.4): `breached` / `breaches` atoms and the windowed reciprocal item.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "model/model.h"

static const struct cm__pos NOPOS = {0, 0};

#define CHECK_ARG(cond, err)                                               \
	do {                                                               \
		if (!(cond))                                               \
			return cm__error((err), CM_EINVAL, NULL, NOPOS,    \
					 "invalid argument: %s", #cond);   \
	} while (0)

static int breach_node(cm_commitment *c, int type, const char *id, int cmp,
		       int64_t n, int64_t window, cm_condition **out,
		       cm_error *err)
{
	if (!cm__valid_id(id))
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid commitment id '%s'", id);
	if (type == CM_CT_BREACHES && (n < 0 || n > INT32_MAX))
		return cm__error(err, CM_ERANGE, NULL, NOPOS,
				 "breaches bound must be an integer from 0 to "
				 "2147483647");
	struct cm_condition *x =
		cm__arena_alloc(&c->agreement->arena, sizeof(*x));
	if (!x)
		return cm__enomem(err);
	x->ref.s = cm__arena_strdup(&c->agreement->arena, id);
	if (!x->ref.s)
		return cm__enomem(err);
	x->type = (uint8_t)type;
	x->cmp = (uint8_t)cmp;
	x->n = n;
	x->window = window;
	x->depth = 1;
	*out = x;
	return CM_OK;
}

CM_EXPORT int cm_condition_new_breached(cm_commitment *c,
					const char *commitment,
					int64_t window, cm_condition **out,
					cm_error *err)
{
	CHECK_ARG(c && commitment && out && window >= -1, err);
	return breach_node(c, CM_CT_BREACHED, commitment, 0, 0, window, out,
			   err);
}

CM_EXPORT int cm_condition_new_breaches(cm_commitment *c,
					const char *commitment, int cmp,
					int64_t n, int64_t window,
					cm_condition **out, cm_error *err)
{
	CHECK_ARG(c && commitment && out && window >= -1 &&
			  cmp >= CM_CMP_GE && cmp <= CM_CMP_NE, err);
	return breach_node(c, CM_CT_BREACHES, commitment, cmp, n, window, out,
			   err);
}

CM_EXPORT int cm_commitment_add_reciprocal_within(cm_commitment *c,
						  const char *commitment,
						  int64_t window,
						  cm_error *err)
{
	CHECK_ARG(c && commitment && window >= 0, err);
	uint32_t n = c->reciprocal.n;
	if (c->recip_window >= 0 &&
	    (c->recip_window != window || c->recip_win_first +
						  c->recip_win_n != n))
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "a commitment has one windowed reciprocal "
				 "item: its refs are added one after the other "
				 "with one window");
	if (cm__names_add(&c->agreement->arena, &c->reciprocal, commitment,
			  NOPOS) != 0)
		return cm__enomem(err);
	if (c->recip_window < 0) {
		c->recip_window = window;
		c->recip_win_first = n;
		c->recip_win_n = 0;
	}
	c->recip_win_n++;
	c->agreement->validated = false;
	return CM_OK;
}
