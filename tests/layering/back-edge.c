/*
 * A deliberate back edge for the test of the layering test
 * (tests/layering/selftest.py): this object is planted as if it were
 * lib/model/back-edge.c, and it calls up into the evaluator, which the
 * model may not use. Never linked into anything.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <commitments/commitments.h>

int cm__layering_back_edge(const cm_report *r);

int cm__layering_back_edge(const cm_report *r)
{
	return cm_report_verdict(r);
}
