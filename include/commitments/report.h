/*
 * libcommitments — documentation evaluation (SPEC §3) and its report.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef COMMITMENTS_REPORT_H
#define COMMITMENTS_REPORT_H

#include <commitments/common.h>
#include <commitments/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Verdicts. */
enum cm_verdict {
	CM_VERDICT_FAILS = 0,
	CM_VERDICT_MEETS = 1
};

/**
 * @brief Evaluate an agreement's documentation requirements.
 *
 * With @p npolicies == 0 the agreement's own requirements apply (its
 * `require` items and `use`d policies, in source order). Otherwise the
 * given policies alone apply, in the order given, replacing the
 * agreement's own.
 * The agreement is validated first (cm_agreement_validate()).
 * @param mem_ctx talloc parent of the report (may be NULL).
 * @param policies array of @p npolicies policies (borrowed for the call).
 * @param out receives the report. The report copies what it needs, so it
 *        may outlive the agreement and the policies.
 * @return CM_OK, CM_ESEMANTIC, CM_EINVAL, CM_ENOMEM.
 */
CM_EXPORT int cm_check(void *mem_ctx, cm_agreement *a,
		       cm_policy *const *policies, size_t npolicies,
		       cm_report **out, cm_error *err);

/* Accessors. Strings are borrowed and live as long as the report.
 * Out-of-range indexes return NULL / 0 / -1. */
CM_EXPORT const char *cm_report_agreement_id(const cm_report *r);
/** NULL when the agreement has no title. */
CM_EXPORT const char *cm_report_agreement_title(const cm_report *r);
/** enum cm_verdict */
CM_EXPORT int cm_report_verdict(const cm_report *r);

CM_EXPORT size_t cm_report_requirement_count(const cm_report *r);
/** The rule's canonical text, e.g. "signed by debtor". */
CM_EXPORT const char *cm_report_requirement_rule(const cm_report *r, size_t i);
/** The selector's text ("all" by default). */
CM_EXPORT const char *cm_report_requirement_selector(const cm_report *r,
						     size_t i);
/** The policy it came from, NULL for the agreement's own `require`. */
CM_EXPORT const char *cm_report_requirement_policy(const cm_report *r,
						   size_t i);
/** Line of the `require` or `use`; 0 for a caller's policy. */
CM_EXPORT int32_t cm_report_requirement_line(const cm_report *r, size_t i);
/** 1 when the rule holds, 0 when it does not, -1 out of range. */
CM_EXPORT int cm_report_requirement_holds(const cm_report *r, size_t i);
CM_EXPORT size_t cm_report_failure_count(const cm_report *r, size_t i);
/** The failing commitment's id, or NULL for an agreement-level rule. */
CM_EXPORT const char *cm_report_failure_commitment(const cm_report *r,
						   size_t i, size_t j);
/** What is missing, e.g. "signature of AF". */
CM_EXPORT const char *cm_report_failure_missing(const cm_report *r,
						size_t i, size_t j);
/** What would mend it, e.g. "AF signs no_safe_haven". */
CM_EXPORT const char *cm_report_failure_remedy(const cm_report *r,
					       size_t i, size_t j);

/** Commitments, in declaration order. */
CM_EXPORT size_t cm_report_commitment_count(const cm_report *r);
CM_EXPORT const char *cm_report_commitment_id(const cm_report *r, size_t i);
/** Effective form (CM_FORM_VERBAL or CM_FORM_WRITTEN), -1 out of range. */
CM_EXPORT int cm_report_commitment_form(const cm_report *r, size_t i);
/** enum cm_level, -1 out of range. */
CM_EXPORT int cm_report_commitment_level(const cm_report *r, size_t i);

/** The debtor's id. */
CM_EXPORT const char *cm_report_commitment_debtor(const cm_report *r,
						  size_t i);
/** enum cm_modality, -1 out of range. */
CM_EXPORT int cm_report_commitment_modality(const cm_report *r, size_t i);
/** enum cm_standing, -1 out of range. */
CM_EXPORT int cm_report_commitment_standing(const cm_report *r, size_t i);
/** Source line of the commitment's id; 0 when built in code. */
CM_EXPORT int32_t cm_report_commitment_line(const cm_report *r, size_t i);
/** Its creditors (the `to` parties, or every other party-role party). */
CM_EXPORT size_t cm_report_commitment_creditor_count(const cm_report *r,
						     size_t i);
CM_EXPORT const char *cm_report_commitment_creditor(const cm_report *r,
						    size_t i, size_t k);

/** Debtors with agreed commitments that fail some per-commitment rule,
 *  in order of first declaration. */
CM_EXPORT size_t cm_report_below_count(const cm_report *r);
CM_EXPORT const char *cm_report_below_party(const cm_report *r, size_t k);
/** How many of its agreed commitments fall short ... */
CM_EXPORT size_t cm_report_below_short(const cm_report *r, size_t k);
/** ... of how many agreed commitments it owes. */
CM_EXPORT size_t cm_report_below_of(const cm_report *r, size_t k);
/** The j-th commitment that falls short (j < cm_report_below_short()). */
CM_EXPORT const char *cm_report_below_commitment(const cm_report *r,
						 size_t k, size_t j);

/**
 * @brief The report as one JSON object (the per-agreement object of
 * SPEC §6 `check`), UTF-8, NUL-terminated.
 * @param out receives a new string owned by @p mem_ctx (free with cm_free).
 */
CM_EXPORT int cm_report_to_json(void *mem_ctx, const cm_report *r,
				char **out, cm_error *err);
/** The report as readable text (verdict first, then who must do what);
 *  *out is a new string owned by @p mem_ctx (free with cm_free).
 *  @return CM_OK, CM_EINVAL, CM_ENOMEM, CM_ELIMIT (over 256 MiB). */
CM_EXPORT int cm_report_to_text(void *mem_ctx, const cm_report *r,
				char **out, cm_error *err);

#ifdef __cplusplus
}
#endif
#endif
