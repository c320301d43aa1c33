/*
 * Fuzz target: the dataset importers (lib/import-*.c). The input is a
 * mapping and a CSV text separated by a line "%%" (without one, the whole
 * input is CSV read through a fixed ACLED mapping). The mapping is parsed;
 * the CSV is read through it row by row (strict and lenient), and then by
 * a monitor over a fixed agreement. Invariants: no crash; every event the
 * import yields is a bare event line the language accepts; its line is
 * within the CSV; skipped rows name a line too.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>
#include <talloc.h>

#include <commitments/commitments.h>

#include "fuzz.h"

static const char fixed_map[] =
	"import acled f {\n"
	"  type event_type, sub_event_type\n"
	"  party PK \"Military Forces of Pakistan (2024-)\", \"Pakistan\"\n"
	"  party AF \"Afghanistan\", like \"Military Forces of Afghanistan*\"\n"
	"  party TTP like \"TTP*\"\n"
	"  party QA \"QNA\"\n"
	"  drop if country is \"India\"\n"
	"  when type is \"Battles/Armed clash\" and actor1 is TTP\n"
	"       and admin1 is \"Khyber Pakhtunkhwa\", \"Balochistan\"\n"
	"    emit attack(by: TTP, from: AF, on: PK, in: country,\n"
	"                fatalities: number(fatalities), at: text(notes))\n"
	"  when sub_event_type like \"*strike*\" and actor1 is any party\n"
	"       and fatalities >= 1\n"
	"    emit strike(by: actor1, on: actor2) verified by QA\n"
	"  when actor1 is any party emit act(by: actor1, n: text(admin1))\n"
	"  default reported by source\n"
	"}\n";

static const char agreement_text[] =
	"agreement a {\n  date 2025-01-01\n  party PK \"P\"\n  party AF \"A\"\n"
	"  mediator QA \"Q\"\n"
	"  commitment c1 { AF must prevent attack(from: AF, on: PK) }\n"
	"  commitment c2 { PK must not strike(on: AF) reciprocal c1 }\n}\n";

static size_t count_lines(const char *s, size_t n)
{
	size_t k = 1;
	for (size_t i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

static void read_all(void *ctx, cm_mapping *map, cm_agreement *a,
		     const char *csv, size_t n, int strict)
{
	cm_import *imp = NULL;
	cm_error err;
	if (cm_import_new(ctx, map, &imp, &err) != CM_OK)
		return;
	cm_import_add_memory(imp, csv, n, "f.csv", &err);
	cm_import_set_strict(imp, strict);
	cm_monitor *live = NULL;
	cm_monitor_new(ctx, a, NULL, &live, &err);
	size_t lines = count_lines(csv, n);
	int rc;
	while ((rc = cm_import_next(imp, &err)) > 0) {
		if (rc == CM_IMPORT_SKIP) {
			FUZZ_ASSERT(err.line >= 2 && (size_t)err.line <= lines,
				    "skip at line %d", (int)err.line);
			continue;
		}
		int64_t line = cm_import_event_line(imp);
		FUZZ_ASSERT(line >= 2 && (size_t)line <= lines, "line %lld",
			    (long long)line);
		const char *t = cm_import_event_text(imp);
		if (!t || !live)
			continue;
		int r = cm_monitor_feed_text(live, 0, t, strlen(t), &err);
		FUZZ_ASSERT(r != CM_ESYNTAX && r != CM_EINVAL,
			    "event line rejected: %s: %s", t, err.message);
	}
	cm_free(live);
	cm_free(imp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *ctx = talloc_new(NULL);
	const char *in = (const char *)data;
	const char *sep = NULL;
	for (size_t i = 0; i + 4 <= size; i++)
		if (!memcmp(in + i, "\n%%\n", 4)) {
			sep = in + i;
			break;
		}
	cm_mapping *map = NULL;
	cm_error err;
	const char *csv = in;
	size_t csvlen = size;
	if (sep) {
		(void)cm_mapping_parse(ctx, in, (size_t)(sep - in), "f.map",
				       &map, &err);
		csv = sep + 4;
		csvlen = size - (size_t)(csv - in);
	} else {
		cm_mapping_parse(ctx, fixed_map, sizeof(fixed_map) - 1,
				 "fixed.map", &map, &err);
	}
	cm_document *doc = NULL;
	cm_parse(ctx, agreement_text, sizeof(agreement_text) - 1, "a.cmt",
		 &doc, &err);
	cm_agreement *a = doc ? cm_document_agreement(doc, 0) : NULL;
	if (map && a) {
		read_all(ctx, map, a, csv, csvlen, 0);
		read_all(ctx, map, a, csv, csvlen, 1);
		cm_monitor *m = NULL;
		cm_import *imp = NULL;
		if (cm_monitor_new(ctx, a, "verified", &m, &err) == CM_OK &&
		    cm_import_new(ctx, map, &imp, &err) == CM_OK &&
		    cm_import_add_memory(imp, csv, csvlen, "m.csv", &err) ==
			    CM_OK &&
		    cm_monitor_add_import(m, imp, &err) == CM_OK &&
		    cm_monitor_run(m, CM_TIME_NONE, &err) == CM_OK) {
			cm_snapshot *s = NULL;
			char *json = NULL;
			if (cm_monitor_snapshot(ctx, m, &s, &err) == CM_OK)
				(void)cm_snapshot_to_json(ctx, s, &json, &err);
		}
	}
	talloc_free(ctx);
	return 0;
}
