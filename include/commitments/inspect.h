/*
 * libcommitments — reading the model back (0.2): a commitment's creditors,
 * conditions (as canonical text and as a walkable node tree), reciprocal
 * links, witnesses, signatures, deadline and window; an agreement's
 * requirements, signatures, ratifications and registration.
 *
 * Every getter is NULL-safe: a NULL object or an index out of range gives
 * 0, NULL, -1 or CM_TIME_NONE as the function says. Nothing here changes
 * the model, so the getters may be called from several threads at once
 * on one agreement that no thread is building or validating.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef COMMITMENTS_INSPECT_H
#define COMMITMENTS_INSPECT_H

#include <commitments/common.h>
#include <commitments/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Commitments                                                         */
/* ------------------------------------------------------------------ */

/** How many parties the commitment names with `to` (as written). */
CM_EXPORT size_t cm_commitment_to_count(const cm_commitment *c);
/** The @p i-th party named by `to`, in written order. Borrowed: it lives
 *  as long as the agreement. NULL when @p i is out of range. */
CM_EXPORT const char *cm_commitment_to(const cm_commitment *c, size_t i);

/**
 * @brief How many creditors the commitment has (SPEC §2): the parties
 * named by `to`, or else every other party-role party.
 *
 * Known once the agreement validated (cm_agreement_validate(),
 * cm_check(), cm_monitor_new(), a resolved document); 0 before that.
 */
CM_EXPORT size_t cm_commitment_creditor_count(const cm_commitment *c);
/** The @p i-th creditor's id. Borrowed: it lives as long as the
 *  agreement. NULL when @p i is out of range or before validation. */
CM_EXPORT const char *cm_commitment_creditor(const cm_commitment *c,
					     size_t i);

/** The `by DATE` deadline as its inclusive last minute, or CM_TIME_NONE. */
CM_EXPORT cm_time cm_commitment_deadline(const cm_commitment *c);
/** The `within DURATION` deadline in minutes, or -1 when none. */
CM_EXPORT int64_t cm_commitment_within(const cm_commitment *c);
/** The window's start (`from`), or CM_TIME_NONE. */
CM_EXPORT cm_time cm_commitment_from(const cm_commitment *c);
/** The window's inclusive last minute (`until`), or CM_TIME_NONE. */
CM_EXPORT cm_time cm_commitment_until(const cm_commitment *c);

/**
 * @brief How many `if` / `while` / `unless` items the commitment has.
 *
 * Items are numbered in canonical order: every `if`, then every `while`,
 * then every `unless`, each kind in written order (the order
 * cm_agreement_to_text() writes them in).
 */
CM_EXPORT size_t cm_commitment_condition_count(const cm_commitment *c);
/** The kind (enum cm_cond_item) of the @p i-th item, or -1. */
CM_EXPORT int cm_commitment_condition_item(const cm_commitment *c,
					   size_t i);
/** The root node of the @p i-th item's condition. Borrowed: it lives as
 *  long as the agreement. NULL when @p i is out of range. */
CM_EXPORT const cm_condition *cm_commitment_condition(const cm_commitment *c,
						      size_t i);

/** How many `reciprocal` links the commitment has. */
CM_EXPORT size_t cm_commitment_reciprocal_count(const cm_commitment *c);
/** The id of the @p i-th reciprocal commitment, in written order.
 *  Borrowed: it lives as long as the agreement. NULL when out of range. */
CM_EXPORT const char *cm_commitment_reciprocal(const cm_commitment *c,
					       size_t i);

/** How many parties the commitment is `witnessed by`. */
CM_EXPORT size_t cm_commitment_witness_count(const cm_commitment *c);
/** The @p i-th witness's id. Borrowed: it lives as long as the agreement.
 *  NULL when out of range. */
CM_EXPORT const char *cm_commitment_witness(const cm_commitment *c,
					    size_t i);

/** How many `signed by` entries the commitment itself has. */
CM_EXPORT size_t cm_commitment_signature_count(const cm_commitment *c);
/** The @p i-th signatory's id. Borrowed: it lives as long as the
 *  agreement. NULL when out of range. */
CM_EXPORT const char *cm_commitment_signature_party(const cm_commitment *c,
						    size_t i);
/** The @p i-th signature's date (`on DATE`), or CM_TIME_NONE when none
 *  was given or @p i is out of range. */
CM_EXPORT cm_time cm_commitment_signature_date(const cm_commitment *c,
					       size_t i);

/** How many parties a `proposed by` / `rejected by` standing names. */
CM_EXPORT size_t cm_commitment_standing_party_count(const cm_commitment *c);
/** The @p i-th of them. Borrowed: it lives as long as the agreement.
 *  NULL when out of range. */
CM_EXPORT const char *cm_commitment_standing_party(const cm_commitment *c,
						   size_t i);

/** How many `note` items the commitment has. */
CM_EXPORT size_t cm_commitment_note_count(const cm_commitment *c);
/** The @p i-th note's text (unescaped). Borrowed: it lives as long as the
 *  agreement. NULL when out of range. */
CM_EXPORT const char *cm_commitment_note(const cm_commitment *c, size_t i);

/** How many attributes the content's action pattern has (0 for free
 *  text). */
CM_EXPORT size_t cm_commitment_attr_count(const cm_commitment *c);
/** The @p i-th attribute's name. Borrowed: it lives as long as the
 *  agreement. NULL when out of range. */
CM_EXPORT const char *cm_commitment_attr_name(const cm_commitment *c,
					      size_t i);
/** The @p i-th attribute's value as text (unescaped). Borrowed: it lives
 *  as long as the agreement. NULL when out of range. */
CM_EXPORT const char *cm_commitment_attr_value(const cm_commitment *c,
					       size_t i);

/**
 * @brief The commitment's content as canonical text: the action pattern
 * (`strike(on: AF)`) or the free text as a quoted string literal.
 *
 * @param out receives a new NUL-terminated string owned by @p mem_ctx
 *        (free it with cm_free()); untouched on error.
 * @return CM_OK, CM_EINVAL (NULL argument, no content set, or content
 *         the language cannot write), CM_ENOMEM.
 */
CM_EXPORT int cm_commitment_content_to_text(void *mem_ctx,
					    const cm_commitment *c,
					    char **out, cm_error *err);

/* ------------------------------------------------------------------ */
/* Condition nodes                                                     */
/* ------------------------------------------------------------------ */

/** How many operands the node has: 1 for CM_CT_NOT, 2 or more for
 *  CM_CT_AND / CM_CT_OR (flattened), 0 otherwise. */
CM_EXPORT size_t cm_condition_child_count(const cm_condition *n);
/** The @p i-th operand. Borrowed: it lives as long as the node. NULL when
 *  out of range. */
CM_EXPORT const cm_condition *cm_condition_child(const cm_condition *n,
						 size_t i);
/** The pattern's action type of a CM_CT_ACTION or CM_CT_COUNT node
 *  ("attack"). Borrowed: it lives as long as the node. NULL for another
 *  node type. */
CM_EXPORT const char *cm_condition_action_type(const cm_condition *n);
/** How many attributes that pattern has (0 for another node type). */
CM_EXPORT size_t cm_condition_attr_count(const cm_condition *n);
/** The @p i-th attribute's name. Borrowed: it lives as long as the node.
 *  NULL when out of range. */
CM_EXPORT const char *cm_condition_attr_name(const cm_condition *n,
					     size_t i);
/** The @p i-th attribute's value as text (unescaped). Borrowed: it lives
 *  as long as the node. NULL when out of range. */
CM_EXPORT const char *cm_condition_attr_value(const cm_condition *n,
					      size_t i);
/** The `within` window in minutes of a CM_CT_ACTION, CM_CT_COUNT,
 *  CM_CT_BREACHED or CM_CT_BREACHES node, or -1 (none, or another node
 *  type). */
CM_EXPORT int64_t cm_condition_window(const cm_condition *n);
/** The comparison (enum cm_cmp) of a CM_CT_COUNT or CM_CT_BREACHES node,
 *  or -1. */
CM_EXPORT int cm_condition_cmp(const cm_condition *n);
/** The bound N of a CM_CT_COUNT or CM_CT_BREACHES node, or -1. */
CM_EXPORT int64_t cm_condition_bound(const cm_condition *n);
/** The atom of a CM_CT_STATE node (enum cm_state) or of a CM_CT_FORM node
 *  (enum cm_form_atom); -1 for another node type. */
CM_EXPORT int cm_condition_atom(const cm_condition *n);
/** The commitment id a CM_CT_STATE, CM_CT_FORM, CM_CT_BREACHED or
 *  CM_CT_BREACHES node names. Borrowed: it lives as long as the node.
 *  NULL for another node type. */
CM_EXPORT const char *cm_condition_ref(const cm_condition *n);

/**
 * @brief The condition as canonical text, as cm_agreement_to_text()
 * writes it after `if` / `while` / `unless`.
 *
 * @param out receives a new NUL-terminated string owned by @p mem_ctx
 *        (free it with cm_free()); untouched on error.
 * @return CM_OK, CM_EINVAL (NULL argument, a node the language cannot
 *         write), CM_ENOMEM.
 */
CM_EXPORT int cm_condition_to_text(void *mem_ctx, const cm_condition *n,
				   char **out, cm_error *err);

/* ------------------------------------------------------------------ */
/* Agreements                                                          */
/* ------------------------------------------------------------------ */

/** How many requirements the agreement holds: its own `require` items
 *  and, once resolved, those each `use` brought in (before resolution an
 *  unresolved `use` counts as one). In source order. */
CM_EXPORT size_t cm_agreement_requirement_count(const cm_agreement *a);
/** The policy the @p i-th requirement came from, or NULL for the
 *  agreement's own `require` (and when out of range). Borrowed: it lives
 *  as long as the agreement. */
CM_EXPORT const char *cm_agreement_requirement_policy(const cm_agreement *a,
						      size_t i);
/** The source line of the @p i-th requirement's `require` (or of the
 *  `use` that brought it), 0 when none or out of range. */
CM_EXPORT int32_t cm_agreement_requirement_line(const cm_agreement *a,
						size_t i);
/**
 * @brief The @p i-th requirement as canonical text, without the
 * `require` keyword: "signed by debtor for obligations"; an unresolved
 * `use` is "use NAME".
 *
 * @param out receives a new NUL-terminated string owned by @p mem_ctx
 *        (free it with cm_free()); untouched on error.
 * @return CM_OK, CM_EINVAL (NULL argument, @p i out of range), CM_ENOMEM.
 */
CM_EXPORT int cm_agreement_requirement_to_text(void *mem_ctx,
					       const cm_agreement *a,
					       size_t i, char **out,
					       cm_error *err);

/** How many parties signed the agreement's text (`signed by`). */
CM_EXPORT size_t cm_agreement_signature_count(const cm_agreement *a);
/** The @p i-th signatory's id. Borrowed: it lives as long as the
 *  agreement. NULL when out of range. */
CM_EXPORT const char *cm_agreement_signature_party(const cm_agreement *a,
						   size_t i);
/** The @p i-th signature's date, or CM_TIME_NONE. */
CM_EXPORT cm_time cm_agreement_signature_date(const cm_agreement *a,
					      size_t i);
/** How many parties ratified it (`ratified by`). */
CM_EXPORT size_t cm_agreement_ratification_count(const cm_agreement *a);
/** The @p i-th ratifying party's id. Borrowed: it lives as long as the
 *  agreement. NULL when out of range. */
CM_EXPORT const char *cm_agreement_ratification_party(const cm_agreement *a,
						      size_t i);
/** The @p i-th ratification's date, or CM_TIME_NONE. */
CM_EXPORT cm_time cm_agreement_ratification_date(const cm_agreement *a,
						 size_t i);
/** Non-zero when the agreement is `registered`. */
CM_EXPORT int cm_agreement_registered(const cm_agreement *a);
/** The registration's date (`registered on DATE`), or CM_TIME_NONE. */
CM_EXPORT cm_time cm_agreement_registered_on(const cm_agreement *a);

#ifdef __cplusplus
}
#endif
#endif
