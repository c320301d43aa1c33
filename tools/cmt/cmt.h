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

#include <commitments/commitments.h>

/* Exit codes (SPEC §6). */
enum { CMT_OK = 0, CMT_FAILS = 1, CMT_USAGE = 2 };

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
	bool json;             /* --json */
	bool check;            /* fmt --check */
	const char **maps;     /* --map MAPPING (repeatable) */
	size_t nmaps;
	const char **imports;  /* --import DATASET:CSV (repeatable) */
	size_t nimports;
	const char *output;    /* import -o FILE */
	bool strict;           /* import --strict */
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

/* Print `cmt: error: out of memory` and return CMT_USAGE. */
int cmt_enomem(void);

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
