/*
 * One CSV row through a mapping (import-row.c), for the reader
 * (import-read.c).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_IMPORT_ROW_H
#define CM_IMPORT_ROW_H

#include "import/importer.h"

enum { CM__IMP_MAX_PROV = 16 };

/** The values of the mapping's columns in one row (NUL-terminated in
 *  the reader's buffer, which the mapper may change in place). */
struct cm__imp_row {
	const char *val[CM__IMP_MAX_COLS];
	uint32_t len[CM__IMP_MAX_COLS];
	const char *type; /* the `type` columns joined with "/" */
	uint32_t type_len;
	uint32_t line;
};

/** What a row became. */
struct cm__imp_out {
	cm_time time;
	const char *type;
	struct cm__attr attrs[CM__IMP_MAX_ATTRS];
	uint32_t nattrs;
	const char *reported[CM__IMP_MAX_PROV];
	uint32_t nreported;
	const char *verified[CM__IMP_MAX_PROV];
	uint32_t nverified;
	char why[320]; /* CM__ROW_SKIP: the reason */
};

enum { CM__ROW_EVENT, CM__ROW_DROP, CM__ROW_UNMATCHED, CM__ROW_SKIP };

int cm__imp_map_row(const struct cm_mapping *m, struct cm__imp_row *row,
		    struct cm__imp_out *o);
/** The event as a bare event line (no newline) appended to @p b. */
void cm__imp_event_text(struct cm__buf *b, const struct cm__imp_out *o);
/** A date of the datasets (docs/import.md) at the start of its day, or
 *  with its time of day when it has one. */
bool cm__imp_date(const char *s, size_t n, cm_time *out);

#endif
