/*
 * Exact decimal comparison (decimal.c), for quantities in patterns
 * (SPEC §8.5).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_DECIMAL_H
#define CM_DECIMAL_H

#include <stdbool.h>

#include <commitments/commitment.h>

/** Is @p s a number in §2's syntax, -?[0-9]+(\.[0-9]+)? */
bool cm__is_number(const char *s);
/** Compare two numbers exactly: *out < 0, 0, > 0. False when either is
 *  not a number. */
bool cm__decimal_cmp(const char *a, const char *b, int *out);
/** Does number @p value satisfy `CMP bound` (enum cm_cmp)? False when
 *  @p value is not a number. */
bool cm__decimal_holds(const char *value, int cmp, const char *bound);

#endif
