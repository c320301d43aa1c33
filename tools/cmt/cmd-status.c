/*
 * cmt status: the state of every commitment after the events (SPEC §4),
 * in one or more views side by side.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <talloc.h>

#include "cmt.h"

/* Standard input as an events source, read once and shared by every run. */
struct stdin_text {
	char *data;
	size_t len;
	bool read;
	bool first_view; /* import warnings are given once */
};

static int read_stdin(void *ctx, struct stdin_text *s)
{
	if (s->read)
		return CMT_OK;
	char *buf;
	size_t n;
	int rc = cmt_read_all(ctx, stdin, &buf, &n);
	if (rc == CM_ENOMEM)
		return cmt_enomem();
	if (rc == CM_ELIMIT)
		return cmt_too_big("<stdin>", true);
	if (rc != CM_OK) {
		cmt_usage_error("cannot read standard input");
		return CMT_USAGE;
	}
	s->data = buf;
	s->len = n;
	s->read = true;
	return CMT_OK;
}

/* Monitor agreement @p a in @p view over every source; the snapshot is
 * owned by @p ctx. */
static int one_view(void *ctx, cm_document *doc, cm_agreement *a,
		    const char *view, const struct cmt_opts *o,
		    struct stdin_text *in, cm_snapshot **out)
{
	cm_error err;
	memset(&err, 0, sizeof(err));
	cm_monitor *m = NULL;
	int rc = cm_monitor_new(ctx, a, view, &m, &err);
	if (rc == CM_ENOTFOUND) {
		cmt_usage_error("%s", err.message);
		return CMT_USAGE;
	}
	if (rc == CM_OK && o->history)
		rc = cm_monitor_set_history(m, 1, &err);
	if (rc == CM_OK)
		rc = cm_monitor_add_document_events(m, doc, &err);
	for (size_t i = 0; rc == CM_OK && i < o->nevents; i++) {
		if (strcmp(o->events[i], "-") == 0) {
			int r = read_stdin(ctx, in);
			if (r != CMT_OK) {
				cm_free(m);
				return r;
			}
			rc = cm_monitor_add_events_text(m, in->data, in->len,
							"<stdin>", &err);
		} else {
			rc = cm_monitor_add_events_file(m, o->events[i], &err);
		}
	}
	cm_import **imps = NULL;
	if (rc == CM_OK && o->nimports &&
	    cmt_add_imports(ctx, m, doc, o, &imps) != CMT_OK) {
		cm_free(m);
		return CMT_USAGE;
	}
	if (rc == CM_OK)
		rc = cm_monitor_run(m, o->at_time, &err);
	if (rc == CM_OK && imps && in->first_view)
		cmt_import_warnings(imps, o->nimports);
	in->first_view = false;
	if (rc == CM_OK)
		rc = cm_monitor_snapshot(ctx, m, out, &err);
	cm_free(m);
	if (rc != CM_OK) {
		cmt_print_error(&err);
		return CMT_USAGE;
	}
	return CMT_OK;
}

/* For several views: where the accounts diverge. */
static bool compare(void *ctx, char **buf, cm_snapshot *const *s, size_t nv)
{
	bool any = false;
	size_t n = cm_snapshot_count(s[0]);
	for (size_t i = 0; i < n; i++) {
		bool differ = false;
		for (size_t v = 1; v < nv; v++)
			differ |= cm_snapshot_state(s[v], i) !=
					  cm_snapshot_state(s[0], i) ||
				  cm_snapshot_since(s[v], i) !=
					  cm_snapshot_since(s[0], i);
		if (!differ)
			continue;
		if (!any && !cmt_append(ctx, buf, "views differ:\n"))
			return false;
		any = true;
		if (!cmt_append(ctx, buf, "  %s:", cm_snapshot_id(s[0], i)))
			return false;
		for (size_t v = 0; v < nv; v++) {
			char t[32] = "the start";
			cm_time since = cm_snapshot_since(s[v], i);
			if (since != CM_TIME_NONE)
				cm_time_format(since, t, sizeof(t));
			/* "claimed active", never simply "active" (§4) */
			int st = cm_snapshot_standing(s[v], i);
			if (!cmt_append(ctx, buf, "%s by %s %s%s%s since %s",
					v ? ";" : "", cm_snapshot_view(s[v]),
					st == CM_STANDING_AGREED
						? "" : cm_standing_name(st),
					st == CM_STANDING_AGREED ? "" : " ",
					cm_state_name(cm_snapshot_state(s[v], i)),
					t))
				return false;
		}
		if (!cmt_append(ctx, buf, "\n"))
			return false;
	}
	if (!any && !cmt_append(ctx, buf, "views agree on every commitment\n"))
		return false;
	return true;
}

int cmt_status(void *ctx, const struct cmt_opts *o)
{
	cm_document *doc;
	int rc = cmt_load(ctx, o, &doc);
	if (rc != CMT_OK)
		return rc;
	static const char *const all[] = {"all"};
	const char *const *views = o->nviews ? o->views : all;
	size_t nv = o->nviews ? o->nviews : 1;
	struct stdin_text in = {NULL, 0, false, true};
	cm_snapshot **snaps = talloc_zero_array(ctx, cm_snapshot *, nv);
	char *buf = NULL;
	if (!snaps || !cmt_append(ctx, &buf, "%s",
				  o->json ? cmt_json_head(o) : ""))
		return cmt_enomem();
	bool violated = false, first = true;
	size_t na = cm_document_agreement_count(doc);
	/* SPEC §8.6: a party view is a usage error only when no agreement
	 * of the run declares the party */
	for (size_t v = 0; v < nv; v++) {
		if (strcmp(views[v], "all") == 0 ||
		    strcmp(views[v], "verified") == 0)
			continue;
		bool declared = false;
		for (size_t i = 0; i < na && !declared; i++)
			declared = cm_agreement_find_party(
					   cm_document_agreement(doc, i),
					   views[v]) != NULL;
		if (!declared && na) {
			cmt_usage_error("unknown party '%s' in view: no "
					"agreement declares it", views[v]);
			return CMT_USAGE;
		}
	}
	for (size_t i = 0; i < na; i++) {
		cm_agreement *a = cm_document_agreement(doc, i);
		for (size_t v = 0; v < nv; v++) {
			rc = one_view(ctx, doc, a, views[v], o, &in, &snaps[v]);
			if (rc != CMT_OK)
				return rc;
			if (v == 0 && cm_snapshot_violated_count(snaps[0]))
				violated = true;
			char *s;
			cm_error err;
			int r = o->json ? cm_snapshot_to_json(ctx, snaps[v], &s,
							      &err)
					: cm_snapshot_to_text(ctx, snaps[v], &s,
							      &err);
			if (r != CM_OK)
				return cmt_enomem();
			bool ok = cmt_append(ctx, &buf, "%s%s",
					     first ? ""
						   : (o->json ? cmt_json_sep(o)
							      : "\n"),
					     s);
			first = false;
			cm_free(s);
			if (!ok)
				return cmt_enomem();
		}
		if (!o->json && nv > 1 && !compare(ctx, &buf, snaps, nv))
			return cmt_enomem();
		for (size_t v = 0; v < nv; v++) {
			cm_free(snaps[v]);
			snaps[v] = NULL;
		}
	}
	if (!cmt_append(ctx, &buf, "%s",
			o->json ? cmt_json_tail(o, na)
				: (na ? "" : "no agreement to monitor\n")))
		return cmt_enomem();
	rc = cmt_emit(buf);
	if (rc != CMT_OK)
		return rc;
	return violated ? CMT_FAILS : CMT_OK;
}
