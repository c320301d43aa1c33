/*
 * libcommitments — structural analysis (SPEC §5): deadlocks of mutual
 * `if` conditions, reciprocity balance, and the Graphviz DOT picture.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef COMMITMENTS_ANALYSIS_H
#define COMMITMENTS_ANALYSIS_H

#include <commitments/common.h>
#include <commitments/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The result of cm_analyze(): deadlocks and reciprocity balance. */
typedef struct cm_analysis cm_analysis;

/**
 * @brief Analyse an agreement's structure.
 *
 * Runs the agreement symbolically (every date reached, no deadline or
 * `until` passes, every `must` with an action fulfilled by its debtor as
 * soon as it is active, no other event), then reports the cycles of `if`
 * state references that keep commitments from ever taking effect, and
 * each `party`-role party's reciprocity balance. See docs/analysis.md.
 * The agreement is validated first (cm_agreement_validate()).
 * Linear in the size of the agreement (plus the size of the result).
 * @param mem_ctx talloc parent of the analysis (may be NULL).
 * @param out receives the analysis, owned by @p mem_ctx (free with
 *        cm_free()); it copies what it needs, so it may outlive the
 *        agreement. Untouched on error.
 * @return CM_OK, CM_EINVAL (NULL argument), CM_ESEMANTIC (the agreement
 *         does not validate), CM_ENOMEM.
 */
CM_EXPORT int cm_analyze(void *mem_ctx, cm_agreement *a, cm_analysis **out,
			 cm_error *err);

/* Accessors. Strings are borrowed and live as long as the analysis.
 * Out-of-range indexes return NULL / 0 / -1. */

CM_EXPORT const char *cm_analysis_agreement_id(const cm_analysis *an);
/** NULL when the agreement has no title. */
CM_EXPORT const char *cm_analysis_agreement_title(const cm_analysis *an);

/** Commitments of the agreement, in declaration order. */
CM_EXPORT size_t cm_analysis_commitment_count(const cm_analysis *an);
CM_EXPORT const char *cm_analysis_commitment_id(const cm_analysis *an,
						size_t i);
/** The state the i-th commitment ends in after the symbolic run (enum
 *  cm_state: pending, active, suspended or fulfilled), -1 out of range. */
CM_EXPORT int cm_analysis_commitment_state(const cm_analysis *an, size_t i);

/** Number of deadlocks (cycles of `if` state references among
 *  commitments that never take effect), ordered by their first member. */
CM_EXPORT size_t cm_analysis_deadlock_count(const cm_analysis *an);
/** Members of the i-th cycle, in declaration order. */
CM_EXPORT size_t cm_analysis_cycle_count(const cm_analysis *an, size_t i);
CM_EXPORT const char *cm_analysis_cycle_member(const cm_analysis *an,
					       size_t i, size_t j);
/** The commitments the i-th cycle keeps from taking effect: its members
 *  and every commitment blocked behind it, in declaration order. */
CM_EXPORT size_t cm_analysis_blocked_count(const cm_analysis *an, size_t i);
CM_EXPORT const char *cm_analysis_blocked(const cm_analysis *an, size_t i,
					  size_t j);

/** Every `party`-role party, in declaration order. */
CM_EXPORT size_t cm_analysis_party_count(const cm_analysis *an);
CM_EXPORT const char *cm_analysis_party(const cm_analysis *an, size_t k);
/** Agreed obligations (`must`, `must not`, `must prevent`) party k owes. */
CM_EXPORT size_t cm_analysis_owes_count(const cm_analysis *an, size_t k);
CM_EXPORT const char *cm_analysis_owes(const cm_analysis *an, size_t k,
				       size_t j);
/** Agreed rights (`may`) party k holds. */
CM_EXPORT size_t cm_analysis_holds_count(const cm_analysis *an, size_t k);
CM_EXPORT const char *cm_analysis_holds(const cm_analysis *an, size_t k,
					size_t j);
/** The obligations of party k with no reciprocal counterpart. */
CM_EXPORT size_t cm_analysis_unreciprocated_count(const cm_analysis *an,
						  size_t k);
CM_EXPORT const char *cm_analysis_unreciprocated(const cm_analysis *an,
						 size_t k, size_t j);

/**
 * @brief The analysis as one JSON object (the per-agreement object of
 * SPEC §6 `analyze`: "id", "title", "deadlocks", "balance"), UTF-8.
 * @param out receives a new string owned by @p mem_ctx (free with cm_free).
 * @return CM_OK, CM_EINVAL, CM_ENOMEM.
 */
CM_EXPORT int cm_analysis_to_json(void *mem_ctx, const cm_analysis *an,
				  char **out, cm_error *err);

/**
 * @brief The analysis as readable text (deadlocks first, then the balance
 * per party), UTF-8, ending in a newline.
 * @param out receives a new string owned by @p mem_ctx (free with cm_free).
 * @return CM_OK, CM_EINVAL, CM_ENOMEM.
 */
CM_EXPORT int cm_analysis_to_text(void *mem_ctx, const cm_analysis *an,
				  char **out, cm_error *err);

/**
 * @brief The agreement as a Graphviz DOT digraph.
 *
 * Parties and commitments are nodes; edges go debtor → commitment
 * (brown, no arrowhead) → creditors (blue, arrowhead), witness and
 * signer → commitment; `if`/`while`/`unless` state and form atoms and
 * `reciprocal` links are labelled edges from the commitment that holds
 * them to the commitment they name, and their event atoms edges to a
 * node of the event pattern. Every party has an edge: signatories and
 * ratifiers of the text, and parties with no other relation, are linked
 * to a node for the agreement's text (labelled signed / ratified / the
 * role). More than CM_DOT_CLUSTER_THRESHOLD parties: clusters (see
 * cm_agreement_to_dot_ex()). Verbal
 * commitments are dashed, written solid, signed by their debtor bold;
 * rights are ellipses, obligations boxes.
 * Commitments that a deadlock keeps from taking effect (cm_analyze())
 * have a red border, and the `if` edges of each deadlock cycle are red.
 * With @p states, commitment nodes are filled by state, and the legend
 * shows the colours. The agreement is validated first.
 * @param mem_ctx talloc parent of the result (may be NULL).
 * @param states NULL, or an array of @p nstates enum cm_state values, one
 *        per commitment in declaration order (e.g. from the monitor);
 *        borrowed for the call.
 * @param nstates must equal cm_agreement_commitment_count() when
 *        @p states is given.
 * @param caption NULL, or a line added under the title (e.g. "at
 *        2025-11-20, view: all"); borrowed for the call.
 * @param out receives a new NUL-terminated string owned by @p mem_ctx
 *        (free with cm_free()). Untouched on error.
 * @return CM_OK, CM_EINVAL (NULL argument, wrong @p nstates or a state out
 *         of range), CM_ESEMANTIC (the agreement does not validate),
 *         CM_ENOMEM.
 */
CM_EXPORT int cm_agreement_to_dot(void *mem_ctx, cm_agreement *a,
				  const int32_t *states, size_t nstates,
				  const char *caption, char **out,
				  cm_error *err);

/** cm_agreement_to_dot_ex(): clusters per party when more parties are
 *  drawn than this (the default threshold). */
#define CM_DOT_CLUSTER_THRESHOLD 20
/** cm_agreement_to_dot_ex(): use CM_DOT_CLUSTER_THRESHOLD. */
#define CM_DOT_CLUSTERS_DEFAULT (-1)

/**
 * @brief The agreement as DOT, with a party filter and a cluster threshold
 * (since 0.2).
 *
 * As cm_agreement_to_dot() (which is this call with @p party NULL and
 * @p cluster_above CM_DOT_CLUSTERS_DEFAULT), plus:
 * @param party NULL (draw everything), or a party's id: draw only its
 *        neighbourhood: the commitments it owes, holds as creditor,
 *        witnesses or signs; the commitments their conditions and
 *        `reciprocal` links name; the parties of those (debtors;
 *        creditors, witnesses and signers of its own). Borrowed.
 * @param cluster_above when more parties are drawn than this, each party
 *        and the commitments it owes form a cluster, the clusters are
 *        laid out in a grid, and (without @p party) the default creditors
 *        of a commitment are a line "to all other parties" of its label
 *        and the signatures and ratifications of the text lines of the
 *        parties' labels. Negative: CM_DOT_CLUSTER_THRESHOLD (20);
 *        INT32_MAX: never; 0: always.
 * @return as cm_agreement_to_dot(), and CM_ENOTFOUND when @p party names
 *         no party of the agreement.
 */
CM_EXPORT int cm_agreement_to_dot_ex(void *mem_ctx, cm_agreement *a,
				     const int32_t *states, size_t nstates,
				     const char *caption, const char *party,
				     int32_t cluster_above, char **out,
				     cm_error *err);

#ifdef __cplusplus
}
#endif
#endif
