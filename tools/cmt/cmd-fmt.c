/*
 * cmt fmt FILE... [--check]
 *
 * Prints each file in the canonical layout (docs/format.md), comments
 * kept. With --check, prints nothing and exits 1 when some file is not
 * canonical, naming each such file on stderr. The files are validated
 * together as one run first (so a `use` may name a policy defined in
 * another of them): any error exits 2 with the message on stderr and
 * nothing on stdout.
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

/* Read a whole stream into a talloc buffer under @p ctx. */
static int read_all(void *ctx, FILE *f, char **data, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = talloc_size(ctx, cap);
	if (!buf)
		return CM_ENOMEM;
	for (;;) {
		if (n == cap) {
			char *nb = talloc_realloc_size(ctx, buf, cap * 2);
			if (!nb) {
				talloc_free(buf);
				return CM_ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		talloc_free(buf);
		return CM_EIO;
	}
	*data = buf;
	*len = n;
	return CM_OK;
}

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
	int rc = read_all(ctx, f, &in->text, &in->len);
	int saved = errno;
	if (!is_stdin)
		fclose(f);
	if (rc == CM_ENOMEM)
		return cmt_enomem();
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
	struct input *in = talloc_zero_array(ctx, struct input, o->nfiles);
	if (!in)
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
		char *text;
		rc = format_one(ctx, &in[i], &text);
		if (rc != CMT_OK)
			return rc;
		if (o->check) {
			if (strlen(text) != in[i].len ||
			    memcmp(text, in[i].text, in[i].len) != 0) {
				fprintf(stderr, "%s: not in canonical form\n",
					in[i].label);
				canonical = false;
			}
		} else if (!cmt_append(ctx, &all, "%s", text)) {
			return cmt_enomem();
		}
	}
	if (o->check)
		return canonical ? CMT_OK : CMT_FAILS;
	return cmt_emit(all ? all : "");
}
