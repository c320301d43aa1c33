/*
 * Civil dates and times <-> minutes since the epoch (time.c).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_UTIL_TIME_H
#define CM_UTIL_TIME_H

#include <stdbool.h>
#include <stdint.h>

#include <commitments/commitments.h>

/** Days from the civil date; false when the date does not exist. */
bool cm__date_valid(int64_t y, int64_t m, int64_t d);
/** Minutes since the epoch of a valid civil date-time. */
cm_time cm__time_from_civil(int64_t y, int64_t m, int64_t d, int64_t hh,
			    int64_t mm);
#define CM__MINUTES_PER_DAY 1440

#endif
