/*
 * cmt fmt FILE... [--check | --diff] [-w]
 *
 * Prints each file in the canonical layout (docs/format.md), comments
 * kept. With --check, prints nothing and exits 1 when some file is not
 * canonical, naming each such file on stderr. With --diff, prints a
 * unified diff from each file to its canonical form instead (exit 1 when
 * there is one). With -w/--write, replaces each file that is not
 * canonical by its canonical form, atomically (write-file.c), and prints
 * nothing (with --diff: the diff of what it changed). The files are
 * validated together as one run first (so a `use` may name a policy
 * defined in another of them): any error exits 2 with the message on
 * stderr, nothing on stdout, and no file written.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <talloc.h>

#include "cmt.h"

struct input {
	const char *name; /* as given ("-" for stdin) */
	const char *label; /* in messages and the model ("<stdin>" for "-") */
	char *text;
	size_t len;
};

static int read_input(void *ctx, struct input *in)
{
	bool is_stdin = strcmp(in->name, "-") == 0;
	in->label = is_stdin ? "<stdin>" : in->name;
	FILE *f = is_stdin ? stdin : fopen(in->name, "rb");
	if (!f) {
		fprintf(stderr, "%s: error: cannot open: %s\n", in->name,
			strerror(errno));
		return CMT_USAGE;
	}
	int rc = cmt_read_all(ctx, f, &in->text, &in->len);
	int saved = errno;
	if (!is_stdin)
		fclose(f);
	if (rc == CM_ENOMEM)
		return cmt_enomem();
	if (rc == CM_ELIMIT)
		return cmt_too_big(in->label, false);
	if (rc != CM_OK) {
		fprintf(stderr, "%s: error: cannot read: %s\n", in->label,
			strerror(saved));
		return CMT_USAGE;
	}
	return CMT_OK;
}

/* Validate every input together, as one run. */
static int validate(void *ctx, const struct input *in, size_t n)
{
	cm_error err = {0};
	cm_document *doc = NULL;
	int rc = cm_document_new(ctx, &doc, &err);
	for (size_t i = 0; i < n && rc == CM_OK; i++)
		rc = cm_document_add_text(doc, in[i].text, in[i].len,
					  in[i].label, &err);
	if (rc == CM_OK)
		rc = cm_document_resolve(doc, &err);
	if (rc != CM_OK)
		cmt_print_error(&err);
	cm_free(doc);
	if (rc == CM_ENOMEM)
		return cmt_enomem();
	return rc == CM_OK ? CMT_OK : CMT_USAGE;
}

/* The canonical text of one input (its own, unresolved document, so that
 * each `use` is written as it stands). */
static int format_one(void *ctx, const struct input *in, char **out)
{
	cm_error err = {0};
	cm_document *doc = NULL;
	int rc = cm_document_new(ctx, &doc, &err);
	if (rc == CM_OK)
		rc = cm_document_add_text(doc, in->text, in->len, in->label,
					  &err);
	if (rc == CM_OK)
		rc = cm_document_to_text(ctx, doc, out, &err);
	if (rc != CM_OK)
		cmt_print_error(&err);
	cm_free(doc);
	return rc == CM_OK ? CMT_OK : CMT_USAGE;
}

int cmt_fmt(void *ctx, const struct cmt_opts *o)
{
	if (o->check && (o->diff || o->write)) {
		cmt_usage_error("'--check' cannot be combined with '%s'",
				o->diff ? "--diff" : "--write");
		return CMT_USAGE;
	}
	for (size_t i = 0; o->write && i < o->nfiles; i++)
		if (strcmp(o->files[i], "-") == 0) {
			cmt_usage_error("'--write' needs files: standard "
					"input ('-') cannot be written back");
			return CMT_USAGE;
		}
	struct input *in = talloc_zero_array(ctx, struct input, o->nfiles);
	char **canon = talloc_zero_array(ctx, char *, o->nfiles);
	if (!in || !canon)
		return cmt_enomem();
	for (size_t i = 0; i < o->nfiles; i++) {
		in[i].name = o->files[i];
		int rc = read_input(ctx, &in[i]);
		if (rc != CMT_OK)
			return rc;
	}
	int rc = validate(ctx, in, o->nfiles);
	if (rc != CMT_OK)
		return rc;
	char *all = NULL;
	bool canonical = true;
	for (size_t i = 0; i < o->nfiles; i++) {
		rc = format_one(ctx, &in[i], &canon[i]);
		if (rc != CMT_OK)
			return rc;
		size_t len = strlen(canon[i]);
		bool same = len == in[i].len &&
			    memcmp(canon[i], in[i].text, len) == 0;
		if (!same)
			canonical = false;
		if (o->check) {
			if (!same && !o->quiet)
				fprintf(stderr, "%s: not in canonical form\n",
					in[i].label);
		} else if (o->diff) {
			if (!same) {
				rc = cmt_diff(ctx, in[i].label, in[i].text,
					      in[i].len, canon[i], len, &all);
				if (rc != CMT_OK)
					return rc;
			}
		} else if (!o->write && !cmt_append(ctx, &all, "%s",
						    canon[i])) {
			return cmt_enomem();
		}
	}
	/* Write first: a failed write is exit 2 with nothing on stdout. */
	for (size_t i = 0; o->write && i < o->nfiles; i++) {
		if (strlen(canon[i]) == in[i].len &&
		    memcmp(canon[i], in[i].text, in[i].len) == 0)
			continue; /* canonical already: left untouched */
		rc = cmt_replace_file(ctx, in[i].name, canon[i],
				      strlen(canon[i]));
		if (rc != CMT_OK)
			return rc;
	}
	if (o->check)
		return canonical ? CMT_OK : CMT_FAILS;
	rc = cmt_emit(all ? all : "");
	if (rc != CMT_OK || o->write)
		return rc;
	return o->diff && !canonical ? CMT_FAILS : CMT_OK;
}
