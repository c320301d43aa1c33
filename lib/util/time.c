/*
 * Civil dates and times <-> minutes since the epoch (proleptic Gregorian,
 * UTC). The names of the public enums are in model/names.c.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "util/time.h"

static bool leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool cm__date_valid(int64_t y, int64_t m, int64_t d)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31};
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	int64_t max = mdays[m - 1] + (m == 2 && leap(y));
	return d <= max;
}

/* Days since 1970-01-01 (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yy + (*m <= 2);
}

cm_time cm__time_from_civil(int64_t y, int64_t m, int64_t d, int64_t hh,
			    int64_t mm)
{
	return days_from_civil(y, m, d) * CM__MINUTES_PER_DAY + hh * 60 + mm;
}

static int digits(const char *s, int n, int64_t *out)
{
	int64_t v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

CM_EXPORT int cm_time_parse(const char *text, int end_of_day, cm_time *out)
{
	if (!text || !out)
		return CM_EINVAL;
	size_t n = strlen(text);
	int64_t y, m, d, hh = 0, mm = 0;
	if ((n != 10 && n != 16) || text[4] != '-' || text[7] != '-' ||
	    digits(text, 4, &y) || digits(text + 5, 2, &m) ||
	    digits(text + 8, 2, &d) || !cm__date_valid(y, m, d))
		return CM_EINVAL;
	if (n == 16) {
		if (text[10] != 'T' || text[13] != ':' ||
		    digits(text + 11, 2, &hh) || digits(text + 14, 2, &mm) ||
		    hh > 23 || mm > 59)
			return CM_EINVAL;
	} else if (end_of_day) {
		hh = 23;
		mm = 59;
	}
	*out = cm__time_from_civil(y, m, d, hh, mm);
	return CM_OK;
}

CM_EXPORT int cm_time_format(cm_time t, char *buf, size_t size)
{
	/* 0001-01-01T00:00 .. 9999-12-31T23:59 */
	static const cm_time lo = -62135596800LL / 60;
	static const cm_time hi = 253402300740LL / 60; /* 9999-12-31T23:59 */
	if (!buf || size < 18 || t < lo || t > hi)
		return CM_EINVAL;
	int64_t days = t >= 0 ? t / CM__MINUTES_PER_DAY
			      : -((-t + CM__MINUTES_PER_DAY - 1) /
				  CM__MINUTES_PER_DAY);
	int64_t mins = t - days * CM__MINUTES_PER_DAY;
	int64_t y, m, d;
	civil_from_days(days, &y, &m, &d);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02dZ", (int)y, (int)m,
		 (int)d, (int)(mins / 60), (int)(mins % 60));
	return CM_OK;
}
