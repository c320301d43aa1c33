/*
 * cmt analyze FILE... [--json]
 *
 * The structural analysis of each agreement (SPEC §5): deadlocks of
 * mutual `if` conditions and each party's reciprocity balance. Exit 0 on
 * good input, 2 on bad input.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "cmt.h"

/* Analyse one agreement: its result as JSON or text in *out (under ctx). */
static int analyze_one(void *ctx, cm_agreement *a, bool json, char **out)
{
	cm_error err = {0};
	cm_analysis *an;
	if (cm_analyze(ctx, a, &an, &err) != CM_OK) {
		cmt_print_error(&err);
		return CMT_USAGE;
	}
	int rc = json ? cm_analysis_to_json(ctx, an, out, &err)
		      : cm_analysis_to_text(ctx, an, out, &err);
	cm_free(an);
	if (rc != CM_OK) {
		cmt_print_error(&err);
		return CMT_USAGE;
	}
	size_t len = strlen(*out);
	if (len && (*out)[len - 1] == '\n')
		(*out)[len - 1] = '\0';
	return CMT_OK;
}

int cmt_analyze(void *ctx, const struct cmt_opts *o)
{
	cm_document *doc;
	int rc = cmt_load(ctx, o, &doc);
	if (rc != CMT_OK)
		return rc;
	const char *head = o->json ? cmt_json_head(o) : "";
	const char *sep = o->json ? cmt_json_sep(o) : "\n\n";
	size_t n = cm_document_agreement_count(doc);
	char *buf = NULL;
	if (!cmt_append(ctx, &buf, "%s", head))
		return cmt_enomem();
	for (size_t i = 0; i < n; i++) {
		char *s;
		rc = analyze_one(ctx, cm_document_agreement(doc, i), o->json,
				 &s);
		if (rc != CMT_OK)
			return rc;
		bool ok = cmt_append(ctx, &buf, "%s%s", i ? sep : "", s);
		cm_free(s);
		if (!ok)
			return cmt_enomem();
	}
	const char *tail = o->json ? cmt_json_tail(o, n)
				    : (n ? "\n" : "no agreement to analyze\n");
	if (!cmt_append(ctx, &buf, "%s", tail))
		return cmt_enomem();
	return cmt_emit(buf);
}
