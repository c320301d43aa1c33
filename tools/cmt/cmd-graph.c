/*
 * cmt graph FILE... [--events FILE]... [--at DATE] [--view V]
 *
 * Prints each agreement as a Graphviz DOT digraph (one after the other;
 * `dot -Tsvg` renders each). When events count — --events, --at or --view
 * is given, or the input holds events — commitments are filled by their
 * state at --at (default: after the last event) in the first view.
 * Exit 0 on good input, 2 on bad input or usage.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <talloc.h>

#include "cmt.h"

/* The states of @p a's commitments after the events (an array under
 * ctx) and a caption "at TIME, view: V". */
static int monitor_states(void *ctx, cm_document *doc, cm_agreement *a,
			  const struct cmt_opts *o, cm_time at,
			  int32_t **states, char **caption)
{
	cm_error err = {0};
	cm_monitor *m;
	const char *view = o->nviews ? o->views[0] : "all";
	int rc = cm_monitor_new(ctx, a, view, &m, &err);
	if (rc == CM_OK)
		rc = cm_monitor_add_document_events(m, doc, &err);
	for (size_t i = 0; rc == CM_OK && i < o->nevents; i++)
		rc = cm_monitor_add_events_file(m, o->events[i], &err);
	if (rc == CM_OK)
		rc = cm_monitor_run(m, at, &err);
	cm_snapshot *s = NULL;
	if (rc == CM_OK)
		rc = cm_monitor_snapshot(ctx, m, &s, &err);
	if (rc != CM_OK) {
		if (rc == CM_ENOTFOUND)
			cmt_usage_error("view '%s' names no party of %s", view,
					cm_agreement_id(a));
		else
			cmt_print_error(&err);
		return rc == CM_ENOMEM ? cmt_enomem() : CMT_USAGE;
	}
	size_t n = cm_snapshot_count(s);
	*states = talloc_array(ctx, int32_t, n ? n : 1);
	if (!*states)
		return cmt_enomem();
	for (size_t i = 0; i < n; i++)
		(*states)[i] = cm_snapshot_state(s, i);
	char when[32] = "the start";
	cm_time t = cm_snapshot_at(s);
	if (t != CM_TIME_NONE)
		cm_time_format(t, when, sizeof(when));
	*caption = talloc_asprintf(ctx, "at %s, view: %s", when,
				   cm_snapshot_view(s));
	cm_free(s);
	cm_free(m);
	return *caption ? CMT_OK : cmt_enomem();
}

int cmt_graph(void *ctx, const struct cmt_opts *o)
{
	cm_time at = CM_TIME_NONE;
	if (o->at && cm_time_parse(o->at, 1, &at) != CM_OK) {
		cmt_usage_error("--at: '%s' is not a date (YYYY-MM-DD or "
				"YYYY-MM-DDTHH:MM)", o->at);
		return CMT_USAGE;
	}
	cm_document *doc;
	int rc = cmt_load(ctx, o, &doc);
	if (rc != CMT_OK)
		return rc;
	size_t n = cm_document_agreement_count(doc);
	char *buf = NULL;
	if (!cmt_append(ctx, &buf, "%s", ""))
		return cmt_enomem();
	for (size_t i = 0; i < n; i++) {
		cm_agreement *a = cm_document_agreement(doc, i);
		int32_t *states = NULL;
		char *caption = NULL;
		bool colour = o->nevents || o->at || o->nviews ||
			      cm_document_event_count(doc) ||
			      cm_agreement_event_count(a);
		if (colour) {
			rc = monitor_states(ctx, doc, a, o, at, &states,
					    &caption);
			if (rc != CMT_OK)
				return rc;
		}
		cm_error err = {0};
		char *s;
		if (cm_agreement_to_dot(ctx, a, states,
					cm_agreement_commitment_count(a),
					caption, &s, &err) != CM_OK) {
			cmt_print_error(&err);
			return CMT_USAGE;
		}
		bool ok = cmt_append(ctx, &buf, "%s", s);
		cm_free(s);
		talloc_free(states);
		talloc_free(caption);
		if (!ok)
			return cmt_enomem();
	}
	return cmt_emit(buf);
}
