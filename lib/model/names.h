/*
 * The spellings of the model (names.c): the one table of each public
 * enumeration's names (cm_role_name, ...; the parser reads with the same
 * tables) and the one canonical spelling of a requirement rule, shared
 * by the checker's messages, the evaluator's report and the canonical
 * writer.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_MODEL_NAMES_H
#define CM_MODEL_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "model/model.h"

/**
 * The value whose name under @p name (cm_role_name, cm_kind_name, ...) is
 * the @p len bytes at @p s, or -1. Values are tried from 0 up to the
 * first one without a name after 0 (a table may leave 0 unnamed: "none").
 */
int cm__name_find(const char *(*name)(int), const char *s, size_t len);

/**
 * Whether @p s, written as a string literal of the language (`"` and `\\`
 * escaped, nothing else), reads back as itself: 0 if so; else the first
 * control character (0x01..0x1f but tab: a line end or another) that a
 * string cannot hold, or -1 for invalid UTF-8 (overlong forms, surrogates,
 * beyond U+10FFFF, bad or missing continuation bytes: what the lexer
 * refuses). The builder refuses such strings, the writer too.
 */
int cm__string_unwritable(const char *s);

/** "written", "signed by", "witnessed by", "ratified by", "registered",
 *  "dated", "verifiable", "parties"; NULL for `use` or an unknown kind. */
const char *cm__rule_verb(int kind);
/** "debtor", "creditor", "all parties", "any mediator"; NULL for a list
 *  of ids or an unknown value. */
const char *cm__who_name(int who);
/** "all", "obligations", "prohibitions", "permissions"; NULL for an id
 *  or an unknown value. */
const char *cm__selector_name(int selector);

/** A modality as the language writes it: "must", "must not", "must
 *  prevent", "may" (NULL for an unknown value). */
const char *cm__modality_text(int modality);
/** A role with its article, for messages: "a party", "an actor", ...;
 *  "of no known role" for an unknown value. */
const char *cm__a_role(int role);

/**
 * Append the canonical text of rule @p r, without `require` and without
 * its selector, to @p b: "signed by debtor", "signed by pk, af",
 * "parties state, person", "written". An unknown kind or party kind is
 * written "?" (the canonical writer refuses those before calling).
 */
void cm__rule_spell(struct cm__buf *b, const struct cm__rule *r);

#endif
