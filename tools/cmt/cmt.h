/*
 * cmt — the libcommitments command-line tool. A user of the public API
 * only. One file per subcommand (cmd-*.c); main.c parses options, loads
 * files and dispatches.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CMT_H
#define CMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <commitments/commitments.h>

/* Exit codes (SPEC §6). */
enum { CMT_OK = 0, CMT_FAILS = 1, CMT_USAGE = 2 };

/* --format (--json is --format json). */
enum cmt_format { CMT_FORMAT_TEXT, CMT_FORMAT_JSON, CMT_FORMAT_JSONL };

/* Options common to every subcommand; each uses what applies to it. */
struct cmt_opts {
	const char *command;
	const char **files;    /* FILE... ("-" = stdin) */
	size_t nfiles;
	const char **policies; /* --policy NAME|FILE (repeatable) */
	size_t npolicies;
	const char **events;   /* --events FILE (repeatable) */
	size_t nevents;
	const char *at;        /* --at DATE, or NULL */
	cm_time at_time;       /* --at as parsed (a bare date: its last
	                        * minute), CM_TIME_NONE without --at */
	const char **views;    /* --view V (repeatable); none = "all" */
	size_t nviews;
	const char *party;     /* graph --party P, or NULL */
	bool json;             /* --json, --format json or jsonl */
	bool jsonl;            /* --format jsonl: one object per line */
	enum cmt_format format;
	bool format_given;     /* --format given */
	bool check;            /* fmt --check */
	const char **maps;     /* --map MAPPING (repeatable) */
	size_t nmaps;
	const char **imports;  /* --import DATASET:CSV (repeatable) */
	size_t nimports;
	const char *output;    /* import -o FILE */
	bool strict;           /* import --strict */
	bool diff;             /* fmt --diff */
	bool write;            /* fmt -w/--write */
	bool quiet;            /* -q/--quiet: nothing on stdout */
	bool history;          /* status --history */
};

/*
 * Parse every input file into one document (one run: policies are visible
 * to every agreement), resolve it, and on error print the message to
 * stderr. Returns CMT_OK or CMT_USAGE. The document is owned by @p ctx.
 * "-" reads standard input (once).
 */
int cmt_load(void *ctx, const struct cmt_opts *o, cm_document **out);

/* Print `FILE:LINE:COL: error: message` to stderr. */
void cmt_print_error(const cm_error *err);

/* Print `cmt: error: message` (usage errors) to stderr. */
void cmt_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/*
 * Output is buffered: a command appends its whole output to a string and
 * prints it with cmt_emit() only once everything has succeeded, so that a
 * failing run leaves stdout empty.
 *
 * cmt_append: append printf-style text to *buf (a talloc string under
 * @p ctx; *buf may be NULL at first). Returns false when out of memory.
 * cmt_emit: write @p text to stdout. Returns CMT_OK, or CMT_USAGE (after
 * printing the reason) when standard output cannot be written.
 */
bool cmt_append(void *ctx, char **buf, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int cmt_emit(const char *text);

/*
 * JSON framing of the commands that print one object per agreement:
 * --format json is {"schema": 1, "agreements": [OBJ,\nOBJ]} (each OBJ on
 * a line of its own), --format jsonl is OBJ\nOBJ\n (nothing else).
 * head before the first, sep between two, tail after the last of @p n.
 */
const char *cmt_json_head(const struct cmt_opts *o);
const char *cmt_json_sep(const struct cmt_opts *o);
const char *cmt_json_tail(const struct cmt_opts *o, size_t n);

/*
 * fmt --diff: append to *out (talloc, under @p ctx) the unified diff from
 * @p old to @p new_ (both texts of file @p name), nothing when they are
 * equal. CMT_OK, or CMT_USAGE when out of memory (reported).
 */
int cmt_diff(void *ctx, const char *name, const char *old, size_t oldlen,
	     const char *new_, size_t newlen, char **out);

/*
 * fmt --write: replace the contents of file @p name by @p text,
 * atomically (write-file.c). CMT_OK, or CMT_USAGE after printing why the
 * file could not be written (then it is unchanged).
 */
int cmt_replace_file(void *ctx, const char *name, const char *text,
		     size_t len);

/* Print `cmt: error: out of memory` and return CMT_USAGE. */
int cmt_enomem(void);

/*
 * Read all of @p f into a new talloc buffer under @p ctx, up to
 * CMT_MAX_INPUT bytes (the library's limit for an agreement file read
 * whole, docs/limits.md). Returns CM_OK, CM_ENOMEM, CM_EIO (errno says
 * why) or CM_ELIMIT (more than that: a regular file is refused by its
 * size, before a byte is read); on error nothing is left allocated.
 */
#define CMT_MAX_INPUT ((size_t)256 * 1024 * 1024 - 4096)
int cmt_read_all(void *ctx, FILE *f, char **data, size_t *len);

/* Print the size-limit error for @p label (a file, or "<stdin>"; @p events:
 * events text, which --events FILE would stream) and return CMT_USAGE. */
int cmt_too_big(const char *label, bool events);

/* Subcommands: each returns the process exit code. */
int cmt_check(void *ctx, const struct cmt_opts *o);
int cmt_status(void *ctx, const struct cmt_opts *o);
int cmt_analyze(void *ctx, const struct cmt_opts *o);
int cmt_graph(void *ctx, const struct cmt_opts *o);
int cmt_fmt(void *ctx, const struct cmt_opts *o);
int cmt_import(void *ctx, const struct cmt_opts *o);

/*
 * status --import: parse the --map mappings (once per run of cmt) and
 * register one import per --import DATASET:CSV with @p m, through the
 * --map written for its dataset, else the `import` block of that dataset
 * in the input files (@p doc). The imports
 * are returned in *imps (o->nimports of them, under @p ctx) for
 * cmt_import_warnings(). Prints errors; returns CMT_OK or CMT_USAGE.
 */
int cmt_add_imports(void *ctx, cm_monitor *m, const cm_document *doc,
		    const struct cmt_opts *o, cm_import ***imps);
/* After a run: one warning per import that skipped rows (stderr). */
void cmt_import_warnings(cm_import *const *imps, size_t n);

#endif
