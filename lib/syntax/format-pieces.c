/*
 * Pieces of the canonical text (inspect.h): one condition, one
 * requirement, one commitment's content, written as cm_agreement_to_text()
 * writes them (by cm__fmt_piece() in format.c).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <commitments/inspect.h>

#include "syntax/format-tree.h"
#include "util/error.h"

static const struct cm__pos NOPOS = {0, 0};

CM_EXPORT int cm_commitment_content_to_text(void *mem_ctx,
					    const cm_commitment *c,
					    char **out, cm_error *err)
{
	if (!c || !out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	return cm__fmt_piece(mem_ctx, CM__PIECE_CONTENT, c, out, err);
}

CM_EXPORT int cm_condition_to_text(void *mem_ctx, const cm_condition *n,
				   char **out, cm_error *err)
{
	if (!n || !out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	return cm__fmt_piece(mem_ctx, CM__PIECE_CONDITION, n, out, err);
}

CM_EXPORT int cm_agreement_requirement_to_text(void *mem_ctx,
					       const cm_agreement *a,
					       size_t i, char **out,
					       cm_error *err)
{
	if (!a || !out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	if (i >= a->rules.n)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "requirement %zu out of range (%u)", i,
				 a->rules.n);
	return cm__fmt_piece(mem_ctx, CM__PIECE_RULE, &a->rules.v[i], out,
				 err);
}
