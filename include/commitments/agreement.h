/*
 * libcommitments — documents, agreements, parties, policies: parse and build.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef COMMITMENTS_AGREEMENT_H
#define COMMITMENTS_AGREEMENT_H

#include <commitments/common.h>
#include <commitments/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Documents: the result of parsing one or more .cmt texts            */
/* ------------------------------------------------------------------ */

/**
 * @brief Parse one `.cmt` text into a new document.
 *
 * Equivalent to cm_document_new() + cm_document_add_text() +
 * cm_document_resolve(). Policies named by `use` must be defined in the
 * same text or be shipped ones.
 * @param mem_ctx talloc parent of the new document (may be NULL).
 * @param text UTF-8 text, not necessarily NUL-terminated.
 * @param len its length in bytes.
 * @param filename the name used in error messages (NULL: "<string>").
 * @param out receives the document, owned by @p mem_ctx; untouched on error.
 * @return CM_OK, CM_ESYNTAX, CM_ESEMANTIC, CM_ERANGE, CM_ELIMIT, CM_ENOMEM.
 */
CM_EXPORT int cm_parse(void *mem_ctx, const char *text, size_t len,
		       const char *filename, cm_document **out, cm_error *err);

/**
 * @brief Read and parse a file ("-" is not special here).
 * @param out receives the new document, owned by @p mem_ctx; untouched
 *        on error.
 * @return as cm_parse(), or CM_EIO when the file cannot be read, or
 *         CM_ELIMIT when it is larger than 256 MiB (docs/limits.md).
 */
CM_EXPORT int cm_parse_file(void *mem_ctx, const char *path,
			    cm_document **out, cm_error *err);

/**
 * @brief An empty document, to which several texts can be added so that
 * policies defined in one are visible to agreements in all (one "run").
 * @return CM_OK or CM_ENOMEM; *out is owned by @p mem_ctx.
 */
CM_EXPORT int cm_document_new(void *mem_ctx, cm_document **out, cm_error *err);

/**
 * @brief Parse a text and add its agreements, policies and events.
 *
 * `use` items stay unresolved until cm_document_resolve(). On error the
 * document is unchanged.
 */
CM_EXPORT int cm_document_add_text(cm_document *doc, const char *text,
				   size_t len, const char *filename,
				   cm_error *err);

/** @brief cm_document_add_text() on a file's contents (CM_EIO if unreadable). */
CM_EXPORT int cm_document_add_file(cm_document *doc, const char *path,
				   cm_error *err);

/**
 * @brief Resolve every `use` against the document's policies and the
 * shipped ones, and run the static checks of SPEC §2 on every agreement.
 * @return CM_OK, CM_ESEMANTIC (unknown policy, ...), CM_ENOMEM.
 */
CM_EXPORT int cm_document_resolve(cm_document *doc, cm_error *err);

/** Number of agreements, in source order. */
CM_EXPORT size_t cm_document_agreement_count(const cm_document *doc);
/** The i-th agreement (borrowed, lives as long as the document), or NULL. */
CM_EXPORT cm_agreement *cm_document_agreement(const cm_document *doc, size_t i);
/** Number of policies defined in the document's texts. */
CM_EXPORT size_t cm_document_policy_count(const cm_document *doc);
/** The i-th policy (borrowed), or NULL. */
CM_EXPORT cm_policy *cm_document_policy(const cm_document *doc, size_t i);
/**
 * @brief A policy by name: the document's own first, then the shipped
 * ones, which the document loads when it is resolved (cm_parse and
 * cm_parse_file resolve; a document built with cm_document_add_text
 * finds them after cm_document_resolve).
 *
 * Only reads the document: threads may look policies up in one resolved
 * document at once.
 * @param out receives the policy (borrowed: it lives as long as the
 *        document).
 * @return CM_OK, CM_ENOTFOUND (no such policy; for a shipped name in a
 *         document not yet resolved the message says so), CM_EINVAL
 *         (NULL argument). Since 0.2.
 */
CM_EXPORT int cm_document_lookup_policy(const cm_document *doc,
					const char *name, cm_policy **out,
					cm_error *err);
/** cm_document_lookup_policy() without a status: the policy, or NULL
 *  (no such policy, or a NULL argument). Never changes the document. */
CM_EXPORT cm_policy *cm_document_find_policy(cm_document *doc, const char *name);
/** Number of events in the document's top-level `events` blocks. */
CM_EXPORT size_t cm_document_event_count(const cm_document *doc);
/** The i-th top-level event (borrowed), or NULL. */
CM_EXPORT const cm_event *cm_document_event(const cm_document *doc, size_t i);

/* ------------------------------------------------------------------ */
/* Agreements                                                          */
/* ------------------------------------------------------------------ */

/**
 * @brief A new, empty agreement built in code.
 * @param mem_ctx talloc parent (may be NULL); freeing it frees the agreement
 *        and everything the agreement owns.
 * @param id an identifier (`[A-Za-z_][A-Za-z0-9_-]*`).
 * @param title display title, or NULL: one line of UTF-8 text (see
 *        cm_agreement_add_party()).
 * @return CM_OK, CM_EINVAL (bad id; a title that is not one line of
 *         UTF-8), CM_ENOMEM.
 */
CM_EXPORT int cm_agreement_new(void *mem_ctx, const char *id,
			       const char *title, cm_agreement **out,
			       cm_error *err);

/** Set the agreement's `date` (once). CM_EINVAL if already set. */
CM_EXPORT int cm_agreement_set_date(cm_agreement *a, cm_time date,
				    cm_error *err);

/**
 * @brief Declare a party with a role (enum cm_role) and kind (enum cm_kind).
 * @param name display name, not NULL: one line of UTF-8 text. The strings
 *        of the builder (titles, names, free text, notes) are written back
 *        as string literals, which hold no line end (LF, CR) and no other
 *        control character but tab: such a string, or invalid UTF-8, is
 *        CM_EINVAL with a message naming the field.
 * @return CM_OK, CM_EINVAL (bad id, reserved name, duplicate id, a name
 *         that is not one line of UTF-8).
 */
CM_EXPORT int cm_agreement_add_party(cm_agreement *a, const char *id,
				     const char *name, int role, int kind,
				     cm_error *err);

/** `signed by PARTY [on DATE]` on the agreement's text (date may be
 *  CM_TIME_NONE). The party must be declared by the time of validation. */
CM_EXPORT int cm_agreement_add_signature(cm_agreement *a, const char *party,
					 cm_time on, cm_error *err);
/** `ratified by PARTY [on DATE]`. */
CM_EXPORT int cm_agreement_add_ratification(cm_agreement *a,
					    const char *party, cm_time on,
					    cm_error *err);
/** `registered [on DATE]` (once). */
CM_EXPORT int cm_agreement_set_registered(cm_agreement *a, cm_time on,
					  cm_error *err);

/**
 * @brief `require RULE [for SELECTOR]`.
 * @param rule rule text as in the language: "written", "signed by debtor",
 *        "witnessed by any mediator", "parties state, organization", ...
 * @param selector "all", "obligations", "prohibitions", "permissions", a
 *        party or commitment id, or NULL for the default.
 * @return CM_OK, CM_ESYNTAX (bad rule text), CM_ESEMANTIC, CM_ENOMEM.
 */
CM_EXPORT int cm_agreement_add_requirement(cm_agreement *a, const char *rule,
					   const char *selector, cm_error *err);

/**
 * @brief `use POLICY`: copies the policy's requirements into the agreement
 * at this point of its requirement list. The policy may be freed after.
 */
CM_EXPORT int cm_agreement_use_policy(cm_agreement *a, const cm_policy *p,
				      cm_error *err);

/**
 * @brief Run the static checks of SPEC §2 (names resolve, debtors are
 * parties, no guard cycles, ...). The parser runs them already; check and
 * monitor run them on agreements built in code. Idempotent: an agreement
 * validated and not changed since returns CM_OK at once. When several
 * errors exist, the earliest in source order is reported (docs/errors.md).
 * @return CM_OK; CM_ESEMANTIC with the position of the offending item;
 *         CM_EINVAL (NULL, or a commitment without content); CM_ELIMIT;
 *         CM_ENOMEM. On error the agreement stays usable (mend it and
 *         validate again).
 */
CM_EXPORT int cm_agreement_validate(cm_agreement *a, cm_error *err);

/* Getters. Strings are borrowed and live as long as the agreement. */
CM_EXPORT const char *cm_agreement_id(const cm_agreement *a);
/** NULL when the agreement has no title. */
CM_EXPORT const char *cm_agreement_title(const cm_agreement *a);
/** CM_TIME_NONE when undated. */
CM_EXPORT cm_time cm_agreement_date(const cm_agreement *a);
/** The file it was parsed from, or NULL for one built in code. */
CM_EXPORT const char *cm_agreement_file(const cm_agreement *a);
/** 1-based line of the `agreement` keyword; 0 if built in code. */
CM_EXPORT int32_t cm_agreement_line(const cm_agreement *a);
CM_EXPORT size_t cm_agreement_party_count(const cm_agreement *a);
/** Borrowed; NULL when out of range. */
CM_EXPORT const cm_party *cm_agreement_party(const cm_agreement *a, size_t i);
/** Borrowed; NULL when no party has that id. */
CM_EXPORT const cm_party *cm_agreement_find_party(const cm_agreement *a,
						  const char *id);
CM_EXPORT size_t cm_agreement_commitment_count(const cm_agreement *a);
/** Borrowed; NULL when out of range. */
CM_EXPORT cm_commitment *cm_agreement_commitment(const cm_agreement *a,
						 size_t i);
/** Borrowed; NULL when no commitment has that id. */
CM_EXPORT cm_commitment *cm_agreement_find_commitment(const cm_agreement *a,
						      const char *id);
/** Number of events in the agreement's own `events` blocks. */
CM_EXPORT size_t cm_agreement_event_count(const cm_agreement *a);
/** Borrowed; NULL when out of range. */
CM_EXPORT const cm_event *cm_agreement_event(const cm_agreement *a, size_t i);

CM_EXPORT const char *cm_party_id(const cm_party *p);
CM_EXPORT const char *cm_party_name(const cm_party *p);
/** enum cm_role */
CM_EXPORT int cm_party_role(const cm_party *p);
/** enum cm_kind */
CM_EXPORT int cm_party_kind(const cm_party *p);

/* ------------------------------------------------------------------ */
/* Policies                                                            */
/* ------------------------------------------------------------------ */

/** A new, empty policy built in code, owned by @p mem_ctx. A @p title
 *  (or NULL) that is not one line of UTF-8 is CM_EINVAL (see
 *  cm_agreement_add_party()). */
CM_EXPORT int cm_policy_new(void *mem_ctx, const char *id, const char *title,
			    cm_policy **out, cm_error *err);
/** `require RULE [for SELECTOR]` in a policy (see
 *  cm_agreement_add_requirement()). */
CM_EXPORT int cm_policy_add_requirement(cm_policy *p, const char *rule,
					const char *selector, cm_error *err);
/**
 * @brief A copy of a shipped policy (`vclt`, `un-registration`,
 * `written-only`), owned by @p mem_ctx.
 * @return CM_OK, CM_ENOTFOUND, CM_ENOMEM.
 */
CM_EXPORT int cm_policy_builtin(void *mem_ctx, const char *name,
				cm_policy **out, cm_error *err);
/** Number of shipped policies, and the i-th name (static), or NULL. */
CM_EXPORT size_t cm_policy_builtin_count(void);
CM_EXPORT const char *cm_policy_builtin_name(size_t i);
CM_EXPORT const char *cm_policy_id(const cm_policy *p);
/** NULL when the policy has no title. */
CM_EXPORT const char *cm_policy_title(const cm_policy *p);
CM_EXPORT size_t cm_policy_requirement_count(const cm_policy *p);

#ifdef __cplusplus
}
#endif
#endif
