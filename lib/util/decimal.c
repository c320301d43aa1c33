/*
 * Exact decimal comparison of numbers in §2's syntax, -?[0-9]+(\.[0-9]+)?
 * (SPEC §8.5, rule 25): `3.670` equals `3.67`, `-0` equals `0`, any
 * number of digits. No floating point is involved.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "util/decimal.h"

struct dec {
	bool neg;
	const char *ip; /* integer digits without leading zeros */
	size_t il;
	const char *fp; /* fraction digits without trailing zeros */
	size_t fl;
};

static bool parse(const char *s, struct dec *d)
{
	if (!s)
		return false;
	d->neg = *s == '-';
	if (d->neg)
		s++;
	const char *p = s;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == s)
		return false;
	d->ip = s;
	d->il = (size_t)(p - s);
	d->fp = p;
	d->fl = 0;
	if (*p == '.') {
		const char *f = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == f)
			return false;
		d->fp = f;
		d->fl = (size_t)(p - f);
	}
	if (*p)
		return false;
	while (d->il > 0 && d->ip[0] == '0') {
		d->ip++;
		d->il--;
	}
	while (d->fl > 0 && d->fp[d->fl - 1] == '0')
		d->fl--;
	if (d->il == 0 && d->fl == 0)
		d->neg = false; /* -0 is 0 */
	return true;
}

bool cm__is_number(const char *s)
{
	struct dec d;
	return parse(s, &d);
}

/* Compare magnitudes. */
static int cmp_abs(const struct dec *a, const struct dec *b)
{
	if (a->il != b->il)
		return a->il < b->il ? -1 : 1;
	int c = memcmp(a->ip, b->ip, a->il);
	if (c)
		return c < 0 ? -1 : 1;
	size_t n = a->fl < b->fl ? a->fl : b->fl;
	c = memcmp(a->fp, b->fp, n);
	if (c)
		return c < 0 ? -1 : 1;
	if (a->fl != b->fl)
		return a->fl < b->fl ? -1 : 1;
	return 0;
}

bool cm__decimal_cmp(const char *a, const char *b, int *out)
{
	struct dec x, y;
	if (!parse(a, &x) || !parse(b, &y))
		return false;
	if (x.neg != y.neg)
		*out = x.neg ? -1 : 1;
	else
		*out = x.neg ? -cmp_abs(&x, &y) : cmp_abs(&x, &y);
	return true;
}

bool cm__decimal_holds(const char *value, int cmp, const char *bound)
{
	int c;
	if (!cm__decimal_cmp(value, bound, &c))
		return false;
	switch (cmp) {
	case CM_CMP_GE: return c >= 0;
	case CM_CMP_GT: return c > 0;
	case CM_CMP_LE: return c <= 0;
	case CM_CMP_LT: return c < 0;
	case CM_CMP_EQ: return c == 0;
	case CM_CMP_NE: return c != 0;
	default: return false;
	}
}
