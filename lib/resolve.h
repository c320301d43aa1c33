/*
 * Validation helpers shared with other modules (resolve.c).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_RESOLVE_H
#define CM_RESOLVE_H

#include "model.h"

/**
 * Check one requirement rule against agreement @p a: the parties its
 * `who` names are declared parties, a `for` id names a party or a
 * commitment, and an agreement-level rule (`registered`, `parties`) has
 * no `for`. Used by cm__agreement_resolve() on the agreement's own rules,
 * and usable on a caller's policies (cm_check with policies). A rule
 * from a policy (r->policy set) is reported at r->pos when r->line is set
 * (a `use` expanded by cm_document_resolve: the `use` keyword), else
 * without a position, with the policy named in the message. Returns CM_OK
 * or CM_ESEMANTIC (an unresolved `use` is CM_ESEMANTIC too).
 */
int cm__rule_resolve(const struct cm_agreement *a, const struct cm__rule *r,
		     cm_error *err);

#endif
