/*
 * Fuzz target: reading the model back (inspect.h) and whole columns
 * (columns.h). The input is a `.cmt` text. Every agreement it parses to
 * is read back through every getter; each condition tree is walked (the
 * shape every node type promises) and written as canonical text, which
 * must appear in the agreement's canonical text, as must each
 * commitment's content; every requirement is written; and the columns of
 * its report and snapshot must equal the per-item accessors. A broken
 * promise aborts (here, not in the library).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>
#include <talloc.h>

#include <commitments/commitments.h>

#include "fuzz.h"

static void walk(void *ctx, const cm_condition *n, const char *whole,
		 int depth)
{
	FUZZ_ASSERT(n != NULL, "NULL node");
	FUZZ_ASSERT(depth < 1000, "too deep");
	int t = cm_condition_type(n);
	size_t k = cm_condition_child_count(n);
	switch (t) {
	case CM_CT_TRUE:
	case CM_CT_FALSE:
		FUZZ_ASSERT(k == 0, "constant with operands");
		break;
	case CM_CT_NOT:
		FUZZ_ASSERT(k == 1, "not with %zu operands", k);
		break;
	case CM_CT_AND:
	case CM_CT_OR:
		FUZZ_ASSERT(k >= 2, "and/or with %zu operands", k);
		break;
	case CM_CT_ACTION:
	case CM_CT_COUNT:
		FUZZ_ASSERT(k == 0 && cm_condition_action_type(n) != NULL,
			    "pattern node");
		for (size_t i = 0; i < cm_condition_attr_count(n); i++)
			FUZZ_ASSERT(cm_condition_attr_name(n, i) &&
				    cm_condition_attr_value(n, i), "attr");
		FUZZ_ASSERT((t == CM_CT_COUNT) == (cm_condition_cmp(n) >= 0),
			    "cmp");
		break;
	case CM_CT_STATE:
	case CM_CT_FORM:
		FUZZ_ASSERT(k == 0 && cm_condition_ref(n) != NULL &&
			    cm_condition_atom(n) >= 0, "atom node");
		break;
	case CM_CT_BREACHED:
	case CM_CT_BREACHES:
		FUZZ_ASSERT(k == 0 && cm_condition_ref(n) != NULL &&
			    cm_condition_atom(n) < 0, "breach atom node");
		FUZZ_ASSERT((t == CM_CT_BREACHES) == (cm_condition_cmp(n) >= 0),
			    "breaches cmp");
		break;
	default:
		FUZZ_ASSERT(0, "node type %d", t);
	}
	for (size_t i = 0; i < k; i++)
		walk(ctx, cm_condition_child(n, i), whole, depth + 1);
	FUZZ_ASSERT(cm_condition_child(n, k) == NULL, "child past the end");
	char *s = NULL;
	cm_error err;
	int rc = cm_condition_to_text(ctx, n, &s, &err);
	FUZZ_ASSERT(rc == CM_OK || rc == CM_EINVAL, "condition text: %d", rc);
	if (depth == 0 && rc == CM_OK && whole)
		FUZZ_ASSERT(strstr(whole, s) != NULL,
			    "condition '%s' not in\n%s", s, whole);
}

static void columns(void *ctx, cm_agreement *a)
{
	cm_error err;
	cm_report *r = NULL;
	if (cm_check(ctx, a, NULL, 0, &r, &err) != CM_OK)
		return;
	size_t n = cm_report_commitment_count(r);
	int64_t *v = talloc_array(ctx, int64_t, n + 1);
	const char **sv = talloc_array(ctx, const char *, n + 1);
	FUZZ_ASSERT(v && sv, "out of memory");
	FUZZ_ASSERT(cm_report_commitment_ints(r, CM_RCOL_LEVEL, v, n) == n,
		    "level column");
	FUZZ_ASSERT(cm_report_commitment_strings(r, CM_RCOL_ID, sv, n) == n,
		    "id column");
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT(v[i] == cm_report_commitment_level(r, i) &&
			    sv[i] == cm_report_commitment_id(r, i),
			    "report column %zu", i);
	for (size_t q = 0; q < cm_report_requirement_count(r); q++) {
		size_t k = cm_report_failure_count(r, q);
		const char **fv = talloc_array(ctx, const char *, k + 1);
		FUZZ_ASSERT(fv, "out of memory");
		FUZZ_ASSERT(cm_report_failure_strings(r, q, CM_FCOL_REMEDY, fv,
						      k) == k, "failures");
		for (size_t j = 0; j < k; j++)
			FUZZ_ASSERT(fv[j] == cm_report_failure_remedy(r, q, j),
				    "failure column");
	}
	cm_monitor *m = NULL;
	cm_snapshot *s = NULL;
	if (cm_monitor_new(ctx, a, NULL, &m, &err) != CM_OK ||
	    cm_monitor_run(m, CM_TIME_NONE, &err) != CM_OK ||
	    cm_monitor_snapshot(ctx, m, &s, &err) != CM_OK)
		return;
	n = cm_snapshot_count(s);
	FUZZ_ASSERT(cm_snapshot_ints(s, CM_SCOL_SINCE, v, n) == n &&
		    cm_snapshot_strings(s, CM_SCOL_CAUSE_COMMITMENT, sv, n) == n,
		    "snapshot columns");
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT(v[i] == cm_snapshot_since(s, i) &&
			    sv[i] == cm_snapshot_cause_commitment(s, i),
			    "snapshot column %zu", i);
}

static void agreement(void *ctx, cm_agreement *a)
{
	cm_error err;
	char *whole = NULL;
	if (cm_agreement_to_text(ctx, a, &whole, &err) != CM_OK)
		whole = NULL;
	for (size_t i = 0; i < cm_agreement_commitment_count(a); i++) {
		const cm_commitment *c = cm_agreement_commitment(a, i);
		for (size_t j = 0; j < cm_commitment_to_count(c); j++)
			FUZZ_ASSERT(cm_commitment_to(c, j), "to");
		for (size_t j = 0; j < cm_commitment_creditor_count(c); j++)
			FUZZ_ASSERT(cm_commitment_creditor(c, j), "creditor");
		for (size_t j = 0; j < cm_commitment_reciprocal_count(c); j++)
			FUZZ_ASSERT(cm_commitment_reciprocal(c, j), "reciprocal");
		for (size_t j = 0; j < cm_commitment_witness_count(c); j++)
			FUZZ_ASSERT(cm_commitment_witness(c, j), "witness");
		for (size_t j = 0; j < cm_commitment_signature_count(c); j++)
			FUZZ_ASSERT(cm_commitment_signature_party(c, j), "sig");
		for (size_t j = 0; j < cm_commitment_standing_party_count(c);
		     j++)
			FUZZ_ASSERT(cm_commitment_standing_party(c, j), "standing");
		for (size_t j = 0; j < cm_commitment_note_count(c); j++)
			FUZZ_ASSERT(cm_commitment_note(c, j), "note");
		for (size_t j = 0; j < cm_commitment_attr_count(c); j++)
			FUZZ_ASSERT(cm_commitment_attr_name(c, j) &&
				    cm_commitment_attr_value(c, j), "attr");
		(void)cm_commitment_deadline(c);
		(void)cm_commitment_within(c);
		(void)cm_commitment_from(c);
		(void)cm_commitment_until(c);
		char *s = NULL;
		int rc = cm_commitment_content_to_text(ctx, c, &s, &err);
		FUZZ_ASSERT(rc == CM_OK || rc == CM_EINVAL, "content: %d", rc);
		if (rc == CM_OK && whole)
			FUZZ_ASSERT(strstr(whole, s) != NULL,
				    "content '%s' not in\n%s", s, whole);
		size_t nc = cm_commitment_condition_count(c);
		for (size_t j = 0; j < nc; j++) {
			int item = cm_commitment_condition_item(c, j);
			FUZZ_ASSERT(item >= CM_COND_IF && item <= CM_COND_UNLESS,
				    "item %d", item);
			walk(ctx, cm_commitment_condition(c, j), whole, 0);
		}
		FUZZ_ASSERT(cm_commitment_condition(c, nc) == NULL, "past end");
	}
	for (size_t i = 0; i < cm_agreement_requirement_count(a); i++) {
		char *s = NULL;
		FUZZ_ASSERT(cm_agreement_requirement_to_text(ctx, a, i, &s,
							     &err) == CM_OK,
			    "requirement %zu: %s", i, err.message);
	}
	for (size_t i = 0; i < cm_agreement_signature_count(a); i++)
		FUZZ_ASSERT(cm_agreement_signature_party(a, i), "signature");
	for (size_t i = 0; i < cm_agreement_ratification_count(a); i++)
		FUZZ_ASSERT(cm_agreement_ratification_party(a, i), "ratified");
	(void)cm_agreement_registered_on(a);
	columns(ctx, a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *ctx = talloc_new(NULL);
	cm_document *doc = NULL;
	cm_error err;
	if (cm_parse(ctx, (const char *)data, size, "fuzz.cmt", &doc,
		     &err) == CM_OK)
		for (size_t i = 0; i < cm_document_agreement_count(doc); i++)
			agreement(ctx, cm_document_agreement(doc, i));
	talloc_free(ctx);
	return 0;
}
