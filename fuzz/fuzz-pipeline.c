/*
 * Fuzz target: the whole pipeline. The input is a `.cmt` text, optionally
 * followed by a NUL byte and an events text (bare event lines). It is
 * parsed; each agreement is checked, monitored under the views all,
 * verified and its first party (with the document's events and the
 * events text), analysed and drawn; then the document is written back
 * as canonical text, which must parse to the same model (cm__document_
 * equal) and format to the same text again. A broken round trip aborts
 * (here, not in the library).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>
#include <talloc.h>

#include <commitments/commitments.h>

#include "model/equal.h"
#include "fuzz.h"

static void monitor(void *ctx, const cm_document *doc, cm_agreement *a,
		    const char *view, const char *events, size_t elen,
		    int32_t *states)
{
	cm_monitor *m = NULL;
	cm_snapshot *s = NULL;
	cm_error err;
	char *out = NULL;
	if (cm_monitor_new(ctx, a, view, &m, &err) != CM_OK)
		return;
	if (cm_monitor_add_document_events(m, doc, &err) != CM_OK)
		return;
	if (events &&
	    cm_monitor_add_events_text(m, events, elen, "fuzz.events",
				       &err) != CM_OK)
		return;
	if (cm_monitor_run(m, CM_TIME_NONE, &err) != CM_OK ||
	    cm_monitor_snapshot(ctx, m, &s, &err) != CM_OK)
		return;
	size_t n = cm_snapshot_count(s);
	FUZZ_ASSERT(n == cm_agreement_commitment_count(a), "snapshot count");
	if (states)
		for (size_t i = 0; i < n; i++)
			states[i] = cm_snapshot_state(s, i);
	(void)cm_snapshot_to_json(ctx, s, &out, &err);
	(void)cm_snapshot_to_text(ctx, s, &out, &err);
}

static void agreement(void *ctx, const cm_document *doc, cm_agreement *a,
		      const char *events, size_t elen)
{
	cm_error err;
	char *out = NULL;
	cm_report *r = NULL;
	if (cm_check(ctx, a, NULL, 0, &r, &err) == CM_OK) {
		(void)cm_report_to_json(ctx, r, &out, &err);
		(void)cm_report_to_text(ctx, r, &out, &err);
	}
	size_t n = cm_agreement_commitment_count(a);
	int32_t *states = talloc_zero_array(ctx, int32_t, n ? n : 1);
	FUZZ_ASSERT(states != NULL, "out of memory");
	monitor(ctx, doc, a, "all", events, elen, states);
	monitor(ctx, doc, a, "verified", events, elen, NULL);
	if (cm_agreement_party_count(a) > 0)
		monitor(ctx, doc, a, cm_party_id(cm_agreement_party(a, 0)),
			events, elen, NULL);

	cm_analysis *an = NULL;
	if (cm_analyze(ctx, a, &an, &err) == CM_OK) {
		(void)cm_analysis_to_json(ctx, an, &out, &err);
		(void)cm_analysis_to_text(ctx, an, &out, &err);
	}
	(void)cm_agreement_to_dot(ctx, a, NULL, 0, NULL, &out, &err);
	(void)cm_agreement_to_dot(ctx, a, states, n, "at the end", &out, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul = memchr(text, '\0', size);
	size_t tlen = nul ? (size_t)(nul - text) : size;
	const char *events = nul ? nul + 1 : NULL;
	size_t elen = nul ? size - tlen - 1 : 0;

	void *ctx = talloc_new(NULL);
	cm_document *doc = NULL;
	cm_error err;
	if (cm_parse(ctx, text, tlen, "fuzz.cmt", &doc, &err) != CM_OK)
		goto out;
	for (size_t i = 0; i < cm_document_agreement_count(doc); i++)
		agreement(ctx, doc, cm_document_agreement(doc, i), events, elen);

	char *t1 = NULL, *t2 = NULL;
	int rc = cm_document_to_text(ctx, doc, &t1, &err);
	if (rc != CM_OK) {
		/* Only a value the language cannot spell may refuse. */
		FUZZ_ASSERT(rc == CM_EINVAL, "format: %d %s", rc, err.message);
		goto out;
	}
	cm_document *d2 = NULL;
	rc = cm_parse(ctx, t1, strlen(t1), "canon.cmt", &d2, &err);
	FUZZ_ASSERT(rc == CM_OK, "reparse: %d:%d: %s\n--- canonical:\n%s",
		    err.line, err.column, err.message, t1);
	char why[512] = "";
	FUZZ_ASSERT(cm__document_equal(doc, d2, why, sizeof(why)),
		    "model changed: %s\n--- canonical:\n%s", why, t1);
	rc = cm_document_to_text(ctx, d2, &t2, &err);
	FUZZ_ASSERT(rc == CM_OK, "format again: %s", err.message);
	FUZZ_ASSERT(strcmp(t1, t2) == 0,
		    "not idempotent\n--- first:\n%s\n--- second:\n%s", t1, t2);
out:
	talloc_free(ctx);
	return 0;
}
