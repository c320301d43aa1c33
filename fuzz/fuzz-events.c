/*
 * Fuzz target: the events reader. The input is an events text (bare
 * event lines) run through cm_monitor_add_events_text() +
 * cm_monitor_run() on a fixed agreement, under the views all, verified
 * and PK; then the same lines are fed one by one with
 * cm_monitor_feed_text(). Every monitor ends with a snapshot written as
 * JSON and text.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>
#include <talloc.h>

#include <commitments/commitments.h>

#include "fuzz.h"

static const char agreement_text[] =
	"agreement a \"fixed\" {\n"
	"  date 2025-01-01\n"
	"  party PK \"P\" state\n"
	"  party AF \"A\" authority\n"
	"  mediator QA \"Q\" state\n"
	"  actor TTP \"T\" armed-group\n"
	"  commitment c1 { AF must prevent attack(from: AF, on: PK) }\n"
	"  commitment c2 {\n"
	"    PK must not strike(on: AF)\n"
	"    unless attack(from: AF, on: PK) within 30d\n"
	"    reciprocal c1\n"
	"  }\n"
	"  commitment c3 { PK may strike(in: AF) if violated(c1) }\n"
	"  commitment c4 { AF must hand_over(what: prisoners) within 10d until 2026-01-01 }\n"
	"  commitment c5 {\n"
	"    PK must withdraw(from: x) by 2025-03-01\n"
	"    while count(attack(on: PK)) < 3 within 7d\n"
	"  }\n"
	"  commitment c6 { AF must talk(n: 3) if active(c4) and not fulfilled(c4) from 2025-02-01 }\n"
	"}\n";

static void report(void *ctx, cm_monitor *m)
{
	cm_snapshot *s = NULL;
	cm_error err;
	char *json = NULL, *text = NULL;
	if (cm_monitor_snapshot(ctx, m, &s, &err) != CM_OK)
		return;
	FUZZ_ASSERT(cm_snapshot_count(s) == 6, "%zu commitments",
		    cm_snapshot_count(s));
	(void)cm_snapshot_to_json(ctx, s, &json, &err);
	(void)cm_snapshot_to_text(ctx, s, &text, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const views[] = { "all", "verified", "PK" };
	void *ctx = talloc_new(NULL);
	cm_document *doc = NULL;
	cm_error err;
	int rc = cm_parse(ctx, agreement_text, sizeof(agreement_text) - 1,
			  "fixed.cmt", &doc, &err);
	FUZZ_ASSERT(rc == CM_OK, "fixed agreement: %s", err.message);
	cm_agreement *a = cm_document_agreement(doc, 0);

	for (size_t v = 0; v < sizeof(views) / sizeof(*views); v++) {
		cm_monitor *m = NULL;
		rc = cm_monitor_new(ctx, a, views[v], &m, &err);
		FUZZ_ASSERT(rc == CM_OK, "monitor: %s", err.message);
		rc = cm_monitor_add_events_text(m, (const char *)data, size,
						"fuzz.events", &err);
		FUZZ_ASSERT(rc == CM_OK, "add events: %s", err.message);
		rc = cm_monitor_run(m, CM_TIME_NONE, &err);
		if (rc != CM_OK)
			FUZZ_ASSERT(err.code == rc, "err.code %d, rc %d",
				    err.code, rc);
		report(ctx, m);
	}

	/* Live: one line at a time, sources 0..2 in turn. */
	cm_monitor *m = NULL;
	rc = cm_monitor_new(ctx, a, "AF", &m, &err);
	FUZZ_ASSERT(rc == CM_OK, "monitor: %s", err.message);
	const char *p = (const char *)data, *end = p + size;
	for (uint32_t line = 0; p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		(void)cm_monitor_feed_text(m, line % 3, p, (size_t)(eol - p),
					   &err);
		p = nl ? nl + 1 : end;
	}
	report(ctx, m);

	talloc_free(ctx);
	return 0;
}
