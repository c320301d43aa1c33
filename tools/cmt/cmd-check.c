/*
 * cmt check FILE... [--policy NAME|FILE]... [--json]
 *
 * Checks each agreement of the run against its documentation requirements
 * (SPEC §3), or against the policies given with --policy, which replace
 * the agreement's own. Exit 0 when every agreement meets them, 1 when any
 * fails, 2 on bad input.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <talloc.h>

#include "cmt.h"

/* A --policy value names a file when it contains '/' or ends in ".cmt". */
static bool names_file(const char *v)
{
	size_t n = strlen(v);
	return strchr(v, '/') || (n >= 4 && strcmp(v + n - 4, ".cmt") == 0);
}

/* Explain an unknown policy name and list the ones that exist. */
static void unknown_policy(const cm_document *doc, const char *name)
{
	cmt_usage_error("unknown policy '%s'", name);
	fputs("cmt: known policies:", stderr);
	const char *sep = " ";
	size_t n = cm_document_policy_count(doc);
	for (size_t i = 0; i < n; i++, sep = ", ")
		fprintf(stderr, "%s%s", sep,
			cm_policy_id(cm_document_policy(doc, i)));
	for (size_t i = 0; i < cm_policy_builtin_count(); i++, sep = ", ")
		fprintf(stderr, "%s%s", sep, cm_policy_builtin_name(i));
	fputs("; a value with '/' or ending in '.cmt' names a file\n",
	      stderr);
}

/* The policies of the run, in the order --policy gave them. */
struct policies {
	void *ctx;
	cm_policy **v;
	size_t n;
};

static bool policies_add(struct policies *ps, cm_policy *p)
{
	cm_policy **v = talloc_realloc(ps->ctx, ps->v, cm_policy *, ps->n + 1);
	if (!v)
		return false;
	v[ps->n++] = p;
	ps->v = v;
	return true;
}

/* Append every policy defined in the file @p path, in file order. */
static int policies_from_file(struct policies *ps, const char *path)
{
	cm_error err = {0};
	cm_document *pd;
	int rc = cm_document_new(ps->ctx, &pd, &err);
	if (rc == CM_OK)
		rc = cm_document_add_file(pd, path, &err);
	if (rc == CM_OK)
		rc = cm_document_resolve(pd, &err);
	if (rc != CM_OK) {
		cmt_print_error(&err);
		return CMT_USAGE;
	}
	size_t count = cm_document_policy_count(pd);
	if (count == 0) {
		fprintf(stderr, "%s: error: defines no policy\n", path);
		return CMT_USAGE;
	}
	for (size_t i = 0; i < count; i++)
		if (!policies_add(ps, cm_document_policy(pd, i)))
			return cmt_enomem();
	return CMT_OK;
}

/*
 * Resolve the --policy values, in the order given. A name is looked up
 * among the run's policies, then the shipped ones; a file is parsed into
 * a document of its own (under ps->ctx, alive until the command ends).
 */
static int collect_policies(cm_document *doc, const struct cmt_opts *o,
			    struct policies *ps)
{
	for (size_t i = 0; i < o->npolicies; i++) {
		const char *val = o->policies[i];
		if (names_file(val)) {
			int rc = policies_from_file(ps, val);
			if (rc != CMT_OK)
				return rc;
			continue;
		}
		cm_policy *p = NULL;
		/* CM_ENOTFOUND is the only failure here: the document is
		 * resolved, the arguments are not NULL */
		if (cm_document_lookup_policy(doc, val, &p, NULL) != CM_OK) {
			unknown_policy(doc, val);
			return CMT_USAGE;
		}
		if (!policies_add(ps, p))
			return cmt_enomem();
	}
	return CMT_OK;
}

/* Check one agreement: its report as JSON or text in *out (under ctx). */
static int check_one(void *ctx, cm_agreement *a, const struct policies *ps,
		     bool json, char **out, bool *fails)
{
	cm_error err = {0};
	cm_report *r;
	if (cm_check(ctx, a, ps->v, ps->n, &r, &err) != CM_OK) {
		cmt_print_error(&err);
		return CMT_USAGE;
	}
	if (cm_report_verdict(r) != CM_VERDICT_MEETS)
		*fails = true;
	int rc = json ? cm_report_to_json(ctx, r, out, &err)
		      : cm_report_to_text(ctx, r, out, &err);
	cm_free(r);
	if (rc != CM_OK) {
		cmt_print_error(&err);
		return CMT_USAGE;
	}
	/* Both forms are printed one per line (block): drop a final '\n'. */
	size_t len = strlen(*out);
	if (len && (*out)[len - 1] == '\n')
		(*out)[len - 1] = '\0';
	return CMT_OK;
}

int cmt_check(void *ctx, const struct cmt_opts *o)
{
	cm_document *doc;
	int rc = cmt_load(ctx, o, &doc);
	if (rc != CMT_OK)
		return rc;
	struct policies ps = {ctx, NULL, 0};
	rc = collect_policies(doc, o, &ps);
	if (rc != CMT_OK)
		return rc;

	/* JSON: cmt_json_head/sep/tail (cmt.h); text: reports, a blank
	 * line between two. */
	const char *head = o->json ? cmt_json_head(o) : "";
	const char *sep = o->json ? cmt_json_sep(o) : "\n\n";
	size_t n = cm_document_agreement_count(doc);
	char *buf = NULL;
	bool fails = false;
	if (!cmt_append(ctx, &buf, "%s", head))
		return cmt_enomem();
	for (size_t i = 0; i < n; i++) {
		char *s;
		rc = check_one(ctx, cm_document_agreement(doc, i), &ps,
			       o->json, &s, &fails);
		if (rc != CMT_OK)
			return rc;
		bool ok = cmt_append(ctx, &buf, "%s%s", i ? sep : "", s);
		cm_free(s);
		if (!ok)
			return cmt_enomem();
	}
	const char *tail = o->json ? cmt_json_tail(o, n)
				    : (n ? "\n" : "no agreement to check\n");
	if (!cmt_append(ctx, &buf, "%s", tail))
		return cmt_enomem();
	rc = cmt_emit(buf);
	if (rc != CMT_OK)
		return rc;
	return fails ? CMT_FAILS : CMT_OK;
}
