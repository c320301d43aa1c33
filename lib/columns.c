/*
 * Whole columns of a report or a snapshot (include/commitments/columns.h),
 * made of the per-item accessors so they can never disagree with them.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <commitments/columns.h>

static size_t fill_count(size_t count, const void *out, size_t n)
{
	if (!out)
		return 0;
	return count < n ? count : n;
}

CM_EXPORT size_t cm_report_commitment_ints(const cm_report *r, int column,
					   int64_t *out, size_t n)
{
	if (!r || column < CM_RCOL_FORM || column > CM_RCOL_CREDITOR_COUNT)
		return 0;
	size_t m = fill_count(cm_report_commitment_count(r), out, n);
	for (size_t i = 0; i < m; i++) {
		switch (column) {
		case CM_RCOL_FORM:
			out[i] = cm_report_commitment_form(r, i);
			break;
		case CM_RCOL_LEVEL:
			out[i] = cm_report_commitment_level(r, i);
			break;
		case CM_RCOL_MODALITY:
			out[i] = cm_report_commitment_modality(r, i);
			break;
		case CM_RCOL_STANDING:
			out[i] = cm_report_commitment_standing(r, i);
			break;
		case CM_RCOL_LINE:
			out[i] = cm_report_commitment_line(r, i);
			break;
		default:
			out[i] = (int64_t)cm_report_commitment_creditor_count(r,
									      i);
			break;
		}
	}
	return m;
}

CM_EXPORT size_t cm_report_commitment_strings(const cm_report *r,
					      int column, const char **out,
					      size_t n)
{
	if (!r || (column != CM_RCOL_ID && column != CM_RCOL_DEBTOR))
		return 0;
	size_t m = fill_count(cm_report_commitment_count(r), out, n);
	for (size_t i = 0; i < m; i++)
		out[i] = column == CM_RCOL_ID ? cm_report_commitment_id(r, i)
					      : cm_report_commitment_debtor(r, i);
	return m;
}

CM_EXPORT size_t cm_report_failure_strings(const cm_report *r, size_t i,
					   int column, const char **out,
					   size_t n)
{
	if (!r || column < CM_FCOL_COMMITMENT || column > CM_FCOL_REMEDY)
		return 0;
	size_t m = fill_count(cm_report_failure_count(r, i), out, n);
	for (size_t j = 0; j < m; j++) {
		if (column == CM_FCOL_COMMITMENT)
			out[j] = cm_report_failure_commitment(r, i, j);
		else if (column == CM_FCOL_MISSING)
			out[j] = cm_report_failure_missing(r, i, j);
		else
			out[j] = cm_report_failure_remedy(r, i, j);
	}
	return m;
}

CM_EXPORT size_t cm_snapshot_ints(const cm_snapshot *s, int column,
				  int64_t *out, size_t n)
{
	if (!s || column < CM_SCOL_STATE || column > CM_SCOL_EXCUSED_COUNT)
		return 0;
	size_t m = fill_count(cm_snapshot_count(s), out, n);
	for (size_t i = 0; i < m; i++) {
		switch (column) {
		case CM_SCOL_STATE:
			out[i] = cm_snapshot_state(s, i);
			break;
		case CM_SCOL_STANDING:
			out[i] = cm_snapshot_standing(s, i);
			break;
		case CM_SCOL_MODALITY:
			out[i] = cm_snapshot_modality(s, i);
			break;
		case CM_SCOL_SINCE:
			out[i] = cm_snapshot_since(s, i);
			break;
		case CM_SCOL_CAUSE_REASON:
			out[i] = cm_snapshot_cause_reason(s, i);
			break;
		case CM_SCOL_CAUSE_LINE:
			out[i] = cm_snapshot_cause_line(s, i);
			break;
		default:
			out[i] = (int64_t)cm_snapshot_excused_count(s, i);
			break;
		}
	}
	return m;
}

CM_EXPORT size_t cm_snapshot_strings(const cm_snapshot *s, int column,
				     const char **out, size_t n)
{
	if (!s || column < CM_SCOL_ID || column > CM_SCOL_CAUSE_COMMITMENT)
		return 0;
	size_t m = fill_count(cm_snapshot_count(s), out, n);
	for (size_t i = 0; i < m; i++) {
		if (column == CM_SCOL_ID)
			out[i] = cm_snapshot_id(s, i);
		else if (column == CM_SCOL_CAUSE_FILE)
			out[i] = cm_snapshot_cause_file(s, i);
		else
			out[i] = cm_snapshot_cause_commitment(s, i);
	}
	return m;
}
