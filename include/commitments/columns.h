/*
 * libcommitments — whole columns of a report or a snapshot in one call
 * (0.2): every commitment's form, level, ... into a caller's array, for
 * bindings where each call costs (Python's ctypes). The same values as
 * the per-item accessors of report.h and monitor.h, which they call.
 *
 * Each function fills out[0 .. min(n, count)) and returns how many it
 * wrote; 0 for a NULL object or array, or a column of the other kind.
 * Strings are borrowed: they live as long as the report or snapshot.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef COMMITMENTS_COLUMNS_H
#define COMMITMENTS_COLUMNS_H

#include <commitments/common.h>
#include <commitments/monitor.h>
#include <commitments/report.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Columns of a report's commitments (cm_report_commitment_*). */
enum cm_report_column {
	CM_RCOL_FORM = 0,            /* int: enum cm_form (effective) */
	CM_RCOL_LEVEL = 1,           /* int: enum cm_level */
	CM_RCOL_MODALITY = 2,        /* int: enum cm_modality */
	CM_RCOL_STANDING = 3,        /* int: enum cm_standing */
	CM_RCOL_LINE = 4,            /* int: source line, 0 = none */
	CM_RCOL_CREDITOR_COUNT = 5,  /* int */
	CM_RCOL_ID = 6,              /* string */
	CM_RCOL_DEBTOR = 7           /* string */
};

/** Columns of the failures of one requirement (cm_report_failure_*). */
enum cm_failure_column {
	CM_FCOL_COMMITMENT = 0,      /* string; NULL: an agreement-level rule */
	CM_FCOL_MISSING = 1,         /* string */
	CM_FCOL_REMEDY = 2           /* string */
};

/** Columns of a snapshot's commitments (cm_snapshot_*). */
enum cm_snapshot_column {
	CM_SCOL_STATE = 0,           /* int: enum cm_state */
	CM_SCOL_STANDING = 1,        /* int: enum cm_standing */
	CM_SCOL_MODALITY = 2,        /* int: enum cm_modality */
	CM_SCOL_SINCE = 3,           /* int: cm_time, CM_TIME_NONE */
	CM_SCOL_CAUSE_REASON = 4,    /* int: enum cm_cause_reason, 0 = none */
	CM_SCOL_CAUSE_LINE = 5,      /* int: 0 = none */
	CM_SCOL_EXCUSED_COUNT = 6,   /* int */
	CM_SCOL_ID = 7,              /* string */
	CM_SCOL_CAUSE_FILE = 8,      /* string or NULL */
	CM_SCOL_CAUSE_COMMITMENT = 9 /* string or NULL */
};

/** An integer column (enum cm_report_column) of every commitment of
 *  @p r, in report order. Returns how many values were written. */
CM_EXPORT size_t cm_report_commitment_ints(const cm_report *r, int column,
					   int64_t *out, size_t n);
/** A string column (CM_RCOL_ID, CM_RCOL_DEBTOR) of every commitment.
 *  The strings are borrowed: they live as long as the report. */
CM_EXPORT size_t cm_report_commitment_strings(const cm_report *r,
					      int column, const char **out,
					      size_t n);
/** A column (enum cm_failure_column) of every failure of requirement
 *  @p i. The strings are borrowed: they live as long as the report. */
CM_EXPORT size_t cm_report_failure_strings(const cm_report *r, size_t i,
					   int column, const char **out,
					   size_t n);
/** An integer column (enum cm_snapshot_column) of every commitment of
 *  @p s, in snapshot order. */
CM_EXPORT size_t cm_snapshot_ints(const cm_snapshot *s, int column,
				  int64_t *out, size_t n);
/** A string column (CM_SCOL_ID, CM_SCOL_CAUSE_FILE,
 *  CM_SCOL_CAUSE_COMMITMENT). The strings are borrowed: they live as
 *  long as the snapshot. */
CM_EXPORT size_t cm_snapshot_strings(const cm_snapshot *s, int column,
				     const char **out, size_t n);

#ifdef __cplusplus
}
#endif
#endif
