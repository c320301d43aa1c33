/*
 * The spellings of the model: the names of the public enumerations (one
 * table each, read by the parser too) and the canonical text of a
 * requirement rule (names.h).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "model/names.h"

#define NAME_TABLE(fn, ...)                                                 \
	CM_EXPORT const char *fn(int v)                                     \
	{                                                                   \
		static const char *const names[] = {__VA_ARGS__};           \
		if (v < 0 || (size_t)v >= sizeof(names) / sizeof(names[0])) \
			return NULL;                                        \
		return names[v];                                            \
	}

NAME_TABLE(cm_role_name, "party", "mediator", "guarantor", "witness", "actor")
NAME_TABLE(cm_kind_name, NULL, "state", "authority", "organization",
	   "armed-group", "person")
NAME_TABLE(cm_modality_name, "must", "must-not", "must-prevent", "may")
NAME_TABLE(cm_form_name, NULL, "verbal", "written")
NAME_TABLE(cm_standing_name, "agreed", "proposed", "claimed", "rejected")
NAME_TABLE(cm_state_name, "pending", "active", "suspended", "fulfilled",
	   "violated", "expired")
NAME_TABLE(cm_level_name, "verbal", "written", "signed", "ratified")

int cm__name_find(const char *(*name)(int), const char *s, size_t len)
{
	for (int v = 0;; v++) {
		const char *n = name(v);
		if (!n) {
			if (v)
				return -1;
			continue;
		}
		if (strlen(n) == len && memcmp(n, s, len) == 0)
			return v;
	}
}

const char *cm__rule_verb(int kind)
{
	switch (kind) {
	case CM__RULE_WRITTEN: return "written";
	case CM__RULE_SIGNED: return "signed by";
	case CM__RULE_WITNESSED: return "witnessed by";
	case CM__RULE_RATIFIED: return "ratified by";
	case CM__RULE_REGISTERED: return "registered";
	case CM__RULE_DATED: return "dated";
	case CM__RULE_VERIFIABLE: return "verifiable";
	case CM__RULE_PARTIES: return "parties";
	}
	return NULL;
}

const char *cm__who_name(int who)
{
	switch (who) {
	case CM__WHO_DEBTOR: return "debtor";
	case CM__WHO_CREDITOR: return "creditor";
	case CM__WHO_ALL_PARTIES: return "all parties";
	case CM__WHO_ANY_MEDIATOR: return "any mediator";
	}
	return NULL;
}

const char *cm__selector_name(int selector)
{
	switch (selector) {
	case CM__SEL_ALL: return "all";
	case CM__SEL_OBLIGATIONS: return "obligations";
	case CM__SEL_PROHIBITIONS: return "prohibitions";
	case CM__SEL_PERMISSIONS: return "permissions";
	}
	return NULL;
}

const char *cm__modality_text(int modality)
{
	switch (modality) {
	case CM_MUST: return "must";
	case CM_MUST_NOT: return "must not";
	case CM_MUST_PREVENT: return "must prevent";
	case CM_MAY: return "may";
	}
	return NULL;
}

const char *cm__a_role(int role)
{
	switch (role) {
	case CM_ROLE_PARTY: return "a party";
	case CM_ROLE_MEDIATOR: return "a mediator";
	case CM_ROLE_GUARANTOR: return "a guarantor";
	case CM_ROLE_WITNESS: return "a witness";
	case CM_ROLE_ACTOR: return "an actor";
	}
	return "of no known role";
}

void cm__rule_spell(struct cm__buf *b, const struct cm__rule *r)
{
	const char *verb = cm__rule_verb(r->kind);
	cm__buf_puts(b, verb ? verb : "?");
	switch (r->kind) {
	case CM__RULE_SIGNED:
	case CM__RULE_WITNESSED:
	case CM__RULE_RATIFIED: {
		cm__buf_putc(b, ' ');
		const char *w = cm__who_name(r->who);
		if (w) {
			cm__buf_puts(b, w);
			break;
		}
		for (uint32_t i = 0; i < r->ids.n; i++) {
			if (i)
				cm__buf_puts(b, ", ");
			cm__buf_puts(b, r->ids.v[i].s);
		}
		break;
	}
	case CM__RULE_PARTIES:
		cm__buf_putc(b, ' ');
		for (uint32_t i = 0; i < r->nkinds; i++) {
			if (i)
				cm__buf_puts(b, ", ");
			const char *k = cm_kind_name(r->kinds[i]);
			cm__buf_puts(b, k ? k : "?");
		}
		break;
	}
}

/* The length of the valid UTF-8 sequence at @p p (*p >= 0x80), or 0. */
static int utf8_seq(const unsigned char *p)
{
	unsigned c = p[0], lo = 0x80, hi = 0xbf;
	int n;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	for (int i = 1; i < n; i++) {
		unsigned b = p[i]; /* a NUL ends the check: not a continuation */
		if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xbf))
			return 0;
	}
	return n;
}

int cm__string_unwritable(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (*p >= 0x80) {
			int n = utf8_seq(p);
			if (!n)
				return -1;
			p += n;
			continue;
		}
		if (*p < 0x20 && *p != '\t')
			return *p;
		p++;
	}
	return 0;
}
