/*
 * Fuzz target: the condition parser. The first byte picks the item (if,
 * while, unless); the rest is the condition text given to
 * cm_commitment_add_condition() on a fixed commitment. When the
 * condition is accepted and the agreement validates, it is checked,
 * monitored over a few fixed events, analysed, drawn, and written back
 * as text, which must parse to the same agreement.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>
#include <talloc.h>

#include <commitments/commitments.h>

#include "model/equal.h"
#include "fuzz.h"

static const char agreement_text[] =
	"agreement a {\n"
	"  date 2025-01-01\n"
	"  party PK \"P\" state\n"
	"  party AF \"A\" authority\n"
	"  witness QA \"Q\" state\n"
	"  commitment c1 { AF must prevent attack(from: AF, on: PK) }\n"
	"  commitment c2 { PK must not strike(on: AF) }\n"
	"  commitment c3 { PK may strike(in: AF) }\n"
	"  commitment c4 { AF must hand_over(what: prisoners) by 2025-06-01 }\n"
	"}\n";

static const char events_text[] =
	"2025-01-02 attack(by: X, from: AF, on: PK) reported by PK denied by AF\n"
	"2025-01-03 strike(by: PK, on: AF, in: AF)\n"
	"2025-01-03T12:00 talk(n: 3) verified by QA\n"
	"2025-02-01 hand_over(by: AF, what: prisoners)\n"
	"2025-07-01 attack(by: AF, from: AF, on: PK)\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	void *ctx = talloc_new(NULL);
	cm_document *doc = NULL;
	cm_error err;
	int rc = cm_parse(ctx, agreement_text, sizeof(agreement_text) - 1,
			  "fixed.cmt", &doc, &err);
	FUZZ_ASSERT(rc == CM_OK, "fixed agreement: %s", err.message);
	cm_agreement *a = cm_document_agreement(doc, 0);
	cm_commitment *c = cm_agreement_find_commitment(a, "c2");

	char *text = talloc_strndup(ctx, (const char *)data + 1, size - 1);
	FUZZ_ASSERT(text != NULL, "out of memory");
	rc = cm_commitment_add_condition(c, data[0] % 3, text, &err);
	if (rc != CM_OK || cm_agreement_validate(a, &err) != CM_OK)
		goto out;

	cm_report *r = NULL;
	char *out = NULL;
	if (cm_check(ctx, a, NULL, 0, &r, &err) == CM_OK)
		(void)cm_report_to_json(ctx, r, &out, &err);

	size_t n = cm_agreement_commitment_count(a);
	int32_t *states = talloc_zero_array(ctx, int32_t, n);
	cm_monitor *m = NULL;
	cm_snapshot *s = NULL;
	if (cm_monitor_new(ctx, a, "all", &m, &err) == CM_OK &&
	    cm_monitor_add_events_text(m, events_text, sizeof(events_text) - 1,
				       "fixed.events", &err) == CM_OK &&
	    cm_monitor_run(m, CM_TIME_NONE, &err) == CM_OK &&
	    cm_monitor_snapshot(ctx, m, &s, &err) == CM_OK) {
		FUZZ_ASSERT(cm_snapshot_count(s) == n, "snapshot count");
		for (size_t i = 0; i < n; i++)
			states[i] = cm_snapshot_state(s, i);
		(void)cm_snapshot_to_text(ctx, s, &out, &err);
	}

	cm_analysis *an = NULL;
	if (cm_analyze(ctx, a, &an, &err) == CM_OK)
		(void)cm_analysis_to_json(ctx, an, &out, &err);
	(void)cm_agreement_to_dot(ctx, a, s ? states : NULL, s ? n : 0, NULL,
				  &out, &err);

	/* Written back, the agreement parses to the same model. */
	char *canon = NULL;
	rc = cm_agreement_to_text(ctx, a, &canon, &err);
	if (rc == CM_OK) {
		cm_document *d2 = NULL;
		rc = cm_parse(ctx, canon, strlen(canon), "canon.cmt", &d2, &err);
		FUZZ_ASSERT(rc == CM_OK, "reparse: %d:%d: %s\n%s", err.line,
			    err.column, err.message, canon);
		char why[512] = "";
		FUZZ_ASSERT(cm__agreement_equal(a, cm_document_agreement(d2, 0),
						why, sizeof(why)),
			    "model changed: %s\n%s", why, canon);
	} else {
		FUZZ_ASSERT(rc == CM_EINVAL, "to_text: %d %s", rc, err.message);
	}
out:
	talloc_free(ctx);
	return 0;
}
