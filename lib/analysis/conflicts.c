/*
 * Conflicts between norms (SPEC §8.8, rules 28 and 46): two agreed
 * commitments of the same debtor whose patterns can match one event,
 * one a `must not` / `must prevent` and the other a `must`
 * ("obligation-prohibition") or a `may` ("exception").
 *
 * Two patterns can match one event when they have the same type and every
 * attribute both name can take one value: equal constants, a constant (a
 * number) that satisfies the other's comparison, or two comparisons whose
 * ranges meet (some decimal satisfies both: decimals are dense). The
 * implicit `by: debtor` of `must`, `must not` and `may` counts as a named
 * attribute; `must prevent` has none. Free text never conflicts.
 *
 * Commitments are grouped by debtor and action type (sorted), so only
 * pairs within a group are compared.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis-private.h"
#include "util/decimal.h"

static const char *const kinds[] = {"obligation-prohibition", "exception"};

/* One attribute's constraint. */
struct con {
	int cmp; /* -1: equals the text @c v; else enum cm_cmp against @c v */
	const char *v;
};

static bool find_con(const struct cm_commitment *c, const char *name,
		     struct con *out)
{
	for (uint32_t k = 0; k < c->action.nattrs; k++) {
		const struct cm__attr *a = &c->action.attrs[k];
		if (strcmp(a->name, name) == 0) {
			out->cmp = a->cmp == CM__ATTR_EQ ? -1 : a->cmp - 1;
			out->v = a->value;
			return true;
		}
	}
	if (strcmp(name, "by") == 0 && c->modality != CM_MUST_PREVENT) {
		out->cmp = -1;
		out->v = c->debtor.s;
		return true;
	}
	return false;
}

/* A comparison as an interval: lower / upper bound (NULL: unbounded),
 * closed or open. NE is handled apart. */
struct ival {
	const char *lo, *hi;
	bool lo_closed, hi_closed;
};

static struct ival ival_of(int cmp, const char *b)
{
	struct ival r = {NULL, NULL, false, false};
	switch (cmp) {
	case CM_CMP_GE: r.lo = b; r.lo_closed = true; break;
	case CM_CMP_GT: r.lo = b; break;
	case CM_CMP_LE: r.hi = b; r.hi_closed = true; break;
	case CM_CMP_LT: r.hi = b; break;
	case CM_CMP_EQ:
		r.lo = r.hi = b;
		r.lo_closed = r.hi_closed = true;
		break;
	}
	return r;
}

static int dcmp(const char *a, const char *b)
{
	int c = 0;
	cm__decimal_cmp(a, b, &c);
	return c;
}

/* Do two comparisons' ranges meet? */
static bool ranges_meet(const struct con *x, const struct con *y)
{
	if (x->cmp == CM_CMP_NE && y->cmp == CM_CMP_NE)
		return true;
	if (x->cmp == CM_CMP_NE || y->cmp == CM_CMP_NE) {
		const struct con *ne = x->cmp == CM_CMP_NE ? x : y;
		const struct con *o = ne == x ? y : x;
		/* only the single point o = b misses it */
		return o->cmp != CM_CMP_EQ || dcmp(o->v, ne->v) != 0;
	}
	struct ival a = ival_of(x->cmp, x->v), b = ival_of(y->cmp, y->v);
	/* the larger lower bound, the smaller upper bound */
	const char *lo = a.lo;
	bool loc = a.lo_closed;
	if (b.lo && (!lo || dcmp(b.lo, lo) > 0 ||
		     (dcmp(b.lo, lo) == 0 && !b.lo_closed))) {
		lo = b.lo;
		loc = b.lo_closed;
	}
	const char *hi = a.hi;
	bool hic = a.hi_closed;
	if (b.hi && (!hi || dcmp(b.hi, hi) < 0 ||
		     (dcmp(b.hi, hi) == 0 && !b.hi_closed))) {
		hi = b.hi;
		hic = b.hi_closed;
	}
	if (!lo || !hi)
		return true;
	int c = dcmp(lo, hi);
	return c < 0 || (c == 0 && loc && hic);
}

static bool cons_meet(const struct con *x, const struct con *y)
{
	if (x->cmp < 0 && y->cmp < 0)
		return strcmp(x->v, y->v) == 0;
	if (x->cmp < 0)
		return cm__decimal_holds(x->v, y->cmp, y->v);
	if (y->cmp < 0)
		return cm__decimal_holds(y->v, x->cmp, x->v);
	return ranges_meet(x, y);
}

static struct con con_of(const struct cm__attr *a)
{
	struct con c = {a->cmp == CM__ATTR_EQ ? -1 : a->cmp - 1, a->value};
	return c;
}

bool cm__attrs_meet(const struct cm__attr *x, const struct cm__attr *y)
{
	struct con a = con_of(x), b = con_of(y);
	return cons_meet(&a, &b);
}

bool cm__attr_holds(const struct cm__attr *x, const char *v)
{
	struct con a = con_of(x), b = {-1, v};
	return cons_meet(&a, &b);
}

/* Can one event match both patterns (same type known)? */
static bool can_meet(const struct cm_commitment *a,
		     const struct cm_commitment *b)
{
	struct con x, y;
	for (uint32_t k = 0; k < a->action.nattrs; k++) {
		const char *name = a->action.attrs[k].name;
		if (find_con(b, name, &y) && find_con(a, name, &x) &&
		    !cons_meet(&x, &y))
			return false;
	}
	/* the implicit `by` of a, when a names none */
	if (find_con(a, "by", &x) && find_con(b, "by", &y) &&
	    !cons_meet(&x, &y))
		return false;
	return true;
}

static bool duty(const struct cm_commitment *c)
{
	return c->modality == CM_MUST_NOT || c->modality == CM_MUST_PREVENT;
}

static int by_pair(const void *p, const void *q)
{
	const struct cm__conflict *x = p, *y = q;
	if (x->a != y->a)
		return x->a < y->a ? -1 : 1;
	return x->b < y->b ? -1 : x->b > y->b;
}

/* Commitments sorted by (debtor, type, declaration). */
struct key {
	const char *debtor, *type;
	uint32_t index;
};

static int by_key(const void *p, const void *q)
{
	const struct key *x = p, *y = q;
	int c = strcmp(x->debtor, y->debtor);
	if (!c)
		c = strcmp(x->type, y->type);
	if (!c)
		c = x->index < y->index ? -1 : x->index > y->index;
	return c;
}

int cm__find_conflicts(struct cm_analysis *an, const struct cm_agreement *a,
		       void *tmp)
{
	uint32_t n = 0;
	struct key *keys = cm__realloc(tmp, NULL, sizeof(*keys),
				       a->ncommitments ? a->ncommitments : 1,
				       "conflict keys");
	if (!keys)
		return -1;
	for (uint32_t i = 0; i < a->ncommitments; i++) {
		const struct cm_commitment *c = a->commitments[i];
		if (!c->is_action || c->standing != CM_STANDING_AGREED ||
		    !c->debtor.s)
			continue;
		keys[n++] = (struct key){c->debtor.s, c->action.type, i};
	}
	qsort(keys, n, sizeof(*keys), by_key);
	struct cm__conflict *out = NULL;
	uint32_t nout = 0, cap = 0;
	for (uint32_t g = 0; g < n;) {
		uint32_t e = g + 1;
		while (e < n && strcmp(keys[e].debtor, keys[g].debtor) == 0 &&
		       strcmp(keys[e].type, keys[g].type) == 0)
			e++;
		for (uint32_t i = g; i < e; i++) {
			const struct cm_commitment *x =
				a->commitments[keys[i].index];
			if (!duty(x))
				continue;
			for (uint32_t j = g; j < e; j++) {
				const struct cm_commitment *y =
					a->commitments[keys[j].index];
				if (duty(y) || !can_meet(x, y))
					continue;
				if (nout == cap) {
					if (cap > UINT32_MAX / 4)
						return -1;
					uint32_t nc = cap ? cap * 2 : 8;
					struct cm__conflict *v = cm__realloc(
						tmp, out, sizeof(*v), nc,
						"conflicts");
					if (!v)
						return -1;
					out = v;
					cap = nc;
				}
				uint32_t p = keys[i].index, q = keys[j].index;
				out[nout].kind = y->modality == CM_MAY
							 ? CM__CONFLICT_EXCEPTION
							 : CM__CONFLICT_OBLIGATION;
				out[nout].a = p < q ? p : q;
				out[nout].b = p < q ? q : p;
				nout++;
			}
		}
		g = e;
	}
	if (nout) {
		qsort(out, nout, sizeof(*out), by_pair);
		an->conflicts = cm__realloc(an, NULL, sizeof(*out), nout,
					    "conflicts");
		if (!an->conflicts)
			return -1;
		memcpy(an->conflicts, out, nout * sizeof(*out));
		an->nconflicts = nout;
	}
	return 0;
}

CM_EXPORT size_t cm_analysis_conflict_count(const cm_analysis *an)
{
	return an ? an->nconflicts : 0;
}

CM_EXPORT const char *cm_analysis_conflict_kind(const cm_analysis *an,
						size_t k)
{
	return an && k < an->nconflicts ? kinds[an->conflicts[k].kind] : NULL;
}

CM_EXPORT const char *cm_analysis_conflict_first(const cm_analysis *an,
						 size_t k)
{
	return an && k < an->nconflicts ? an->ids[an->conflicts[k].a] : NULL;
}

CM_EXPORT const char *cm_analysis_conflict_second(const cm_analysis *an,
						  size_t k)
{
	return an && k < an->nconflicts ? an->ids[an->conflicts[k].b] : NULL;
}
