/*
 * libcommitments — commitments and their conditions: build and inspect.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef COMMITMENTS_COMMITMENT_H
#define COMMITMENTS_COMMITMENT_H

#include <commitments/common.h>
#include <commitments/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Kinds of condition items on a commitment. */
enum cm_cond_item {
	CM_COND_IF = 0,
	CM_COND_WHILE = 1,
	CM_COND_UNLESS = 2
};

/** Comparison operators of `count (...) CMP N`. */
enum cm_cmp {
	CM_CMP_GE = 0, /* >= */
	CM_CMP_GT = 1, /* >  */
	CM_CMP_LE = 2, /* <= */
	CM_CMP_LT = 3, /* <  */
	CM_CMP_EQ = 4, /* == */
	CM_CMP_NE = 5  /* != */
};

/** Condition node types. */
enum cm_cond_type {
	CM_CT_TRUE = 0,
	CM_CT_FALSE = 1,
	CM_CT_NOT = 2,
	CM_CT_AND = 3,
	CM_CT_OR = 4,
	CM_CT_ACTION = 5,
	CM_CT_COUNT = 6,
	CM_CT_STATE = 7,
	CM_CT_FORM = 8
};

/** Form atoms: `written(X)`, `signed(X)`. */
enum cm_form_atom {
	CM_FORM_ATOM_WRITTEN = 0,
	CM_FORM_ATOM_SIGNED = 1
};

/**
 * @brief Add a commitment `commitment ID { DEBTOR MODALITY ... }`.
 *
 * Its content must then be set with cm_commitment_set_action() or
 * cm_commitment_set_text() before the agreement validates.
 * @param modality enum cm_modality.
 * @param out receives the commitment (borrowed: it lives as long as the
 *        agreement); may be NULL.
 * @return CM_OK, CM_EINVAL (bad or duplicate id, bad modality), CM_ENOMEM.
 */
CM_EXPORT int cm_agreement_add_commitment(cm_agreement *a, const char *id,
					  const char *debtor, int modality,
					  cm_commitment **out, cm_error *err);

/** Content as an action pattern, parsed from text such as
 *  "strike(on: AF)". CM_ESYNTAX when it is not exactly one pattern. */
CM_EXPORT int cm_commitment_set_action(cm_commitment *c, const char *pattern,
				       cm_error *err);
/** Content as free text (recorded, never monitored): one line of UTF-8,
 *  else CM_EINVAL (see cm_agreement_add_party()). */
CM_EXPORT int cm_commitment_set_text(cm_commitment *c, const char *text,
				     cm_error *err);
/** `by DATE` deadline (a `must` only; once). */
CM_EXPORT int cm_commitment_set_deadline(cm_commitment *c, cm_time by,
					 cm_error *err);
/** `within DURATION` deadline in minutes (a `must` only; once). */
CM_EXPORT int cm_commitment_set_within(cm_commitment *c, int64_t minutes,
				       cm_error *err);
/** `to PARTY` (adds up). */
CM_EXPORT int cm_commitment_add_creditor(cm_commitment *c, const char *party,
					 cm_error *err);
/**
 * @brief `if` / `while` / `unless` with a condition given as text, parsed
 * by the language's parser: "not attack(from: AF, on: PK) within 30d".
 * @param item enum cm_cond_item.
 */
CM_EXPORT int cm_commitment_add_condition(cm_commitment *c, int item,
					  const char *text, cm_error *err);
/** The same with a condition built from nodes (see cm_condition_new_*);
 *  the node becomes part of the commitment. A node made for a commitment
 *  of another agreement is CM_EINVAL (it would be freed with that one). */
CM_EXPORT int cm_commitment_add_condition_node(cm_commitment *c, int item,
					       cm_condition *node,
					       cm_error *err);
/** `reciprocal ID` (adds up). */
CM_EXPORT int cm_commitment_add_reciprocal(cm_commitment *c,
					   const char *commitment,
					   cm_error *err);
/** `from DATE` (once). */
CM_EXPORT int cm_commitment_set_from(cm_commitment *c, cm_time from,
				     cm_error *err);
/** `until DATE` (once; the time given is the inclusive last minute). */
CM_EXPORT int cm_commitment_set_until(cm_commitment *c, cm_time until,
				      cm_error *err);
/** `verbal` / `written` (enum cm_form; once). */
CM_EXPORT int cm_commitment_set_form(cm_commitment *c, int form,
				     cm_error *err);
/** `signed by PARTY [on DATE]` on the commitment itself (adds up). */
CM_EXPORT int cm_commitment_add_signature(cm_commitment *c, const char *party,
					  cm_time on, cm_error *err);
/** `witnessed by PARTY` (adds up). */
CM_EXPORT int cm_commitment_add_witness(cm_commitment *c, const char *party,
					cm_error *err);
/**
 * @brief Standing (enum cm_standing; once). For proposed / rejected, name
 * one party per call: each call with the same standing adds a party.
 * @param party a party id for proposed/rejected, NULL for agreed/claimed.
 */
CM_EXPORT int cm_commitment_set_standing(cm_commitment *c, int standing,
					 const char *party, cm_error *err);
/** `note STRING` (adds up): one line of UTF-8, else CM_EINVAL (see
 *  cm_agreement_add_party()). */
CM_EXPORT int cm_commitment_add_note(cm_commitment *c, const char *text,
				     cm_error *err);

/* Getters; strings are borrowed and live as long as the agreement. */
CM_EXPORT const char *cm_commitment_id(const cm_commitment *c);
CM_EXPORT const char *cm_commitment_debtor(const cm_commitment *c);
/** enum cm_modality */
CM_EXPORT int cm_commitment_modality(const cm_commitment *c);
/** The form as written (enum cm_form, CM_FORM_DEFAULT if none). */
CM_EXPORT int cm_commitment_declared_form(const cm_commitment *c);
/** enum cm_standing */
CM_EXPORT int cm_commitment_standing(const cm_commitment *c);
/** Non-zero when the content is an action pattern. */
CM_EXPORT int cm_commitment_is_action(const cm_commitment *c);
/** The action's type (e.g. "strike") or NULL for free text. */
CM_EXPORT const char *cm_commitment_action_type(const cm_commitment *c);
/** The free text, or NULL for an action. */
CM_EXPORT const char *cm_commitment_text(const cm_commitment *c);
/** 1-based source line; 0 if built in code. */
CM_EXPORT int32_t cm_commitment_line(const cm_commitment *c);

/* ------------------------------------------------------------------ */
/* Condition nodes                                                     */
/* ------------------------------------------------------------------ */
/*
 * Nodes are allocated in the commitment @p c that will hold them and live
 * as long as its agreement; they are not freed separately. A node may be
 * used in one place only, and only in that agreement: a node made for a
 * commitment of another agreement, given to cm_condition_new_not(),
 * cm_condition_new_binary() or cm_commitment_add_condition_node(), is
 * CM_EINVAL with a message.
 */

/** `true` / `false`. */
CM_EXPORT int cm_condition_new_const(cm_commitment *c, int value,
				     cm_condition **out, cm_error *err);
/** `PATTERN [within N]`: @p window in minutes, or -1 for none. */
CM_EXPORT int cm_condition_new_action(cm_commitment *c, const char *pattern,
				      int64_t window, cm_condition **out,
				      cm_error *err);
/** `count (PATTERN) CMP N [within W]` (@p cmp enum cm_cmp, @p window -1
 *  for none; 0 <= n <= 2^31-1). */
CM_EXPORT int cm_condition_new_count(cm_commitment *c, const char *pattern,
				     int cmp, int64_t n, int64_t window,
				     cm_condition **out, cm_error *err);
/** `STATE(ID)` (@p state enum cm_state). */
CM_EXPORT int cm_condition_new_state(cm_commitment *c, int state,
				     const char *commitment,
				     cm_condition **out, cm_error *err);
/** `written(ID)` / `signed(ID)` (@p form enum cm_form_atom). */
CM_EXPORT int cm_condition_new_form(cm_commitment *c, int form,
				    const char *commitment,
				    cm_condition **out, cm_error *err);
/** `not X`. */
CM_EXPORT int cm_condition_new_not(cm_commitment *c, cm_condition *x,
				   cm_condition **out, cm_error *err);
/** `X and Y` / `X or Y` (@p type CM_CT_AND or CM_CT_OR). */
CM_EXPORT int cm_condition_new_binary(cm_commitment *c, int type,
				      cm_condition *x, cm_condition *y,
				      cm_condition **out, cm_error *err);

/** enum cm_cond_type of a node. */
CM_EXPORT int cm_condition_type(const cm_condition *n);

#ifdef __cplusplus
}
#endif
#endif
