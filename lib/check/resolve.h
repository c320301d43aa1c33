/*
 * The check layer's interface (resolve.c): name resolution and the static
 * checks of SPEC §2, used by the layers above (eval, monitor, analysis
 * validate an agreement before they read it; the API layer on documents).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_RESOLVE_H
#define CM_RESOLVE_H

#include "model/model.h"

/** Resolve names and run the static checks of SPEC §2 on one agreement
 *  (idempotent: a validated agreement returns CM_OK at once). */
int cm__agreement_resolve(struct cm_agreement *a, cm_error *err);

/**
 * Check one requirement rule against agreement @p a: the parties its
 * `who` names are declared parties, a `for` id names a party or a
 * commitment, and an agreement-level rule (`registered`, `parties`) has
 * no `for`. Used by cm__agreement_resolve() on the agreement's own rules,
 * and usable on a caller's policies (cm_check with policies).
 *
 * An error in a rule from a policy (r->policy set), whose positions point
 * into the policy's text, is reported at @p at (the `use` that applied it,
 * or {0, 0} for a caller's policy) with the policy named in the message;
 * an error in the agreement's own rule at the offending token. Returns
 * CM_OK or CM_ESEMANTIC (an unexpanded `use` is CM_ESEMANTIC too).
 */
int cm__rule_resolve(const struct cm_agreement *a, const struct cm__rule *r,
		     struct cm__pos at, cm_error *err);

/**
 * The same checks on a rule of a caller's policy @p pid (cm_check with
 * policies) against agreement @p a. A policy read from a text (@p pfile
 * not NULL, the rule with a position) reports at the offending token of
 * that text, in @p pfile; one built in code, without a position, in the
 * agreement's file. The message names the policy and the agreement.
 */
int cm__caller_rule_resolve(const struct cm_agreement *a,
			    const struct cm__rule *r, const char *pfile,
			    const char *pid, cm_error *err);

/**
 * The checks of a policy that need no agreement: no `for` on an
 * agreement-level rule (at the `for`, in the policy's file). Run by
 * cm_document_resolve() on every policy of the document; the checks that
 * need names run on each agreement that uses the policy.
 */
int cm__policy_resolve(const struct cm_policy *p, cm_error *err);

#endif
