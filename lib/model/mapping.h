/*
 * The model of a mapping (docs/import.md): what syntax/import-parse.c
 * parses, syntax/import-format.c writes, and the import layer (lib/import/)
 * reads rows through; the datasets' column tables; the party names.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_MODEL_MAPPING_H
#define CM_MODEL_MAPPING_H

#include <commitments/import.h>

#include "model/model.h"

/* Limits (docs/limits.md). */
enum {
	CM__IMP_MAX_FIELD = 1024 * 1024, /* bytes in one CSV field */
	CM__IMP_MAX_FIELDS = 4096,       /* fields in one CSV row */
	CM__IMP_MAX_COLS = 64,           /* columns one mapping may use */
	CM__IMP_MAX_ATTRS = 64           /* attributes of one template */
};

/** A dataset's known columns. */
struct cm__imp_format {
	int id;
	const char *name;
	const char *title;      /* "ACLED", "UCDP GED" */
	const char *const *cols;
	uint32_t ncols;
	const char *date_col;   /* the column the event's date comes from */
	const char *source_col; /* the column `reported by source` reads */
};
const struct cm__imp_format *cm__imp_format_by_name(const char *s,
						    size_t n);
const struct cm__imp_format *cm__imp_format_by_id(int id);

/* A column reference: an index into the mapping's used columns. The
 * pseudo-column `type` (the `type` item's columns joined with "/") is
 * CM__IMP_TYPE_COL. */
enum { CM__IMP_TYPE_COL = 0xffff };

enum cm__imp_test_kind {
	CM__IT_IS,       /* the value is one of strs */
	CM__IT_LIKE,     /* the value matches one of the patterns strs */
	CM__IT_PARTY,    /* the value names party `party` */
	CM__IT_ANYPARTY, /* the value names some party */
	CM__IT_CMP       /* the value is a number and compares with num */
};

struct cm__imp_test {
	uint8_t kind;
	bool neg;
	uint8_t cmp; /* enum cm_cmp order of the lexer: >= > <= < == != */
	uint16_t col;
	const char **strs;
	uint32_t nstrs;
	const char *party;
	double num;
	const char *num_text; /* the number as written (format.c) */
	struct cm__pos pos;
};

struct cm__imp_tests {
	struct cm__imp_test *v;
	uint32_t n;
};

enum cm__imp_val_kind {
	CM__IV_LITERAL, /* text as written (an id, a string, a number) */
	CM__IV_PARTY,   /* a column's value through the party names */
	CM__IV_TEXT,    /* a column's text */
	CM__IV_NUMBER   /* a column's text, which must be a number */
};

struct cm__imp_attr {
	const char *name;
	uint8_t kind;
	uint16_t col;
	uint8_t lit_kind; /* CM__IV_LITERAL: enum cm__vkind */
	const char *lit;
	struct cm__pos pos;
};

/* Provenance of the events a rule (or the whole mapping) makes. */
struct cm__imp_prov {
	bool set;               /* written (a rule's replaces the default) */
	struct cm__names reported;
	struct cm__names verified;
	bool reported_by_col;   /* `reported by COLUMN` */
	uint16_t reported_col;
	struct cm__pos pos;
};

struct cm__imp_rule {
	struct cm__imp_tests tests;
	const char *type;
	struct cm__pos type_pos;
	struct cm__imp_attr *attrs;
	uint32_t nattrs;
	struct cm__imp_prov prov;
	struct cm__pos pos;
};

struct cm__imp_drop {
	bool unless;
	struct cm__imp_tests tests;
	struct cm__pos pos;
};

struct cm__imp_name {
	const char *party;
	const char *text; /* a name, or a pattern (`like`) */
	bool pattern;
	struct cm__pos pos;
	uint32_t item;    /* which `party` item (format.c) */
};

struct cm_mapping {
	struct cm__arena arena;
	const char *id;
	const char *title;
	const char *file;
	struct cm__pos pos;
	struct cm__pos end; /* the closing `}` (format.c) */
	const struct cm__imp_format *fmt;

	/* the columns the mapping reads, in order of first use */
	const char *cols[CM__IMP_MAX_COLS];
	uint32_t ncols;
	/* `type`: the columns it joins (indexes into cols) */
	uint16_t type_cols[8];
	uint32_t ntype;
	struct cm__pos type_pos;

	struct cm__imp_name *names; /* `party` items, in order */
	uint32_t nnames;
	struct cm__map exact;       /* exact name -> struct cm__imp_name */
	const char **parties;       /* the party ids declared, distinct */
	uint32_t nparties;

	struct cm__imp_drop *drops;
	uint32_t ndrops;
	struct cm__imp_rule *rules;
	uint32_t nrules;
	struct cm__imp_prov prov; /* the default provenance */
	bool uses_date_col;       /* index of the date column in cols */
	uint16_t date_col, source_col;
	bool has_source_col;
};

/** The party id that @p value names, or NULL (exact names first, then the
 *  patterns in order). */
const char *cm__imp_party_of(const struct cm_mapping *map, const char *value,
			     size_t len);
/** Glob match: `*` any run of bytes, `?` one UTF-8 character. */
bool cm__imp_like(const char *pat, const char *s, size_t len);

#endif
