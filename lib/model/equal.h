/*
 * Model equality (equal.c): do two models say the same thing, positions
 * aside? Used by the canonical writer's tests (format and parse back must
 * give the same model) and usable by any round-trip test.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_EQUAL_H
#define CM_EQUAL_H

#include <stdbool.h>
#include <stddef.h>

#include "model/model.h"

/*
 * Compare every field of the two models except source positions (pos,
 * line, file of items) and bookkeeping (condition depth and `used`,
 * `standing_set`, `validated`, the id map). Resolved references compare
 * by id. Returns true when equal; otherwise false, with a description of
 * the first difference in @p why (when not NULL).
 */
bool cm__agreement_equal(const struct cm_agreement *a,
			 const struct cm_agreement *b, char *why, size_t n);
bool cm__policy_equal(const struct cm_policy *a, const struct cm_policy *b,
		      char *why, size_t n);
/* Documents: agreements, policies, top-level events, the order of the
 * top-level items, and the comments' texts (as a multiset: the canonical
 * writer may move a comment, never lose or change one — trailing blanks
 * aside). */
bool cm__document_equal(const struct cm_document *a,
			const struct cm_document *b, char *why, size_t n);

#endif
