/*
 * The import reader's state, shared by import-read.c (CSV through
 * libcsv, rows, the reading loop) and import-events.c (the getters, the
 * monitor's source).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_IMPORT_READER_H
#define CM_IMPORT_READER_H

#include <csv.h>
#include <stdio.h>

#include "import/import-row.h"

enum { CM__IMP_CHUNK = 1 << 16 };

struct input {
	const char *name; /* copied */
	const char *path; /* NULL: memory */
	const char *data;
	size_t len;
};

/* A set of 128-bit row fingerprints (open addressing). */
struct fpset {
	uint64_t *v; /* pairs; (0,0) is empty */
	size_t cap, n;
};

struct cm_import {
	const struct cm_mapping *map;
	struct input *in;
	uint32_t nin, cur;
	bool started, claimed, strict, done;
	int final_rc; /* the status once done (< 0: an error) */
	cm_error final_err;

	/* the input being read */
	FILE *f;
	char *buf;         /* CM__IMP_CHUNK bytes (files) */
	const char *p, *end; /* unread bytes of the buffer or text */
	bool eof;          /* nothing more to load */
	struct csv_parser csv;
	bool csv_live;
	uint32_t line;     /* line of the next byte fed */
	uint32_t row_line; /* first line of the row being read */
	bool in_row;
	bool header;       /* the row being read is the header */

	/* the row being read */
	bool row_done;
	uint32_t nfield;
	bool too_wide, bad_field;
	int16_t *slot_of;  /* field index -> used column, -1 (header map) */
	uint32_t nslots;   /* header width */
	char *rbuf;        /* copies of the used fields, NUL after each */
	size_t rlen, rcap;
	size_t off[CM__IMP_MAX_COLS];
	uint32_t flen[CM__IMP_MAX_COLS];
	bool have[CM__IMP_MAX_COLS];
	uint64_t h1, h2;   /* the row's fingerprint */
	int hdr_rc;        /* an error found in the header */
	struct fpset seen;

	/* the current event */
	struct cm__imp_row row;
	struct cm__imp_out out;
	bool has_event;
	struct cm__buf text;
	const char *text_s;
	uint64_t counts[6];
	bool has_skip;
	cm_error skip_err; /* the first row skipped */
	const char *cur_name;
};

/** Read rows until an event, a skip or the end (cm_import_next()). */
int cm__import_step(struct cm_import *imp, cm_error *err);
/** End the import with status @p rc (copied to @p err when < 0). */
int cm__import_finish(struct cm_import *imp, int rc, cm_error *err);
void cm__import_copy_err(cm_error *dst, const cm_error *src);

#endif
