/*
 * One CSV row through a mapping (docs/import.md): drops, the first `when`
 * rule that matches, the template filled from the row's columns, the
 * provenance, and the event's line in the .cmt language.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import-row.h"

/* ---- dates ------------------------------------------------------------ */

static bool digits(const char *s, size_t n, int64_t *out)
{
	int64_t v = 0;
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static const char *const months[] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"};

static int month_of(const char *s, size_t n)
{
	for (int m = 0; m < 12; m++) {
		size_t ml = strlen(months[m]);
		if (n != ml && n != 3)
			continue;
		size_t i = 0;
		while (i < n && (s[i] | 0x20) == months[m][i])
			i++;
		if (i == n)
			return m + 1;
	}
	return 0;
}

/* `YYYY-MM-DD`, optionally followed by ` HH:MM[:SS[.fff]]` or
 * `THH:MM...`; or `D[D] Month YYYY` (ACLED's older exports). */
bool cm__imp_date(const char *s, size_t n, cm_time *out)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	int64_t y, m, d, hh = 0, mm = 0;
	if (n >= 10 && s[4] == '-' && s[7] == '-') {
		if (!digits(s, 4, &y) || !digits(s + 5, 2, &m) ||
		    !digits(s + 8, 2, &d))
			return false;
		if (n > 10) {
			const char *t = s + 11;
			size_t tn = n - 11;
			if ((s[10] != ' ' && s[10] != 'T') || tn < 5 ||
			    t[2] != ':' || !digits(t, 2, &hh) ||
			    !digits(t + 3, 2, &mm) || hh > 23 || mm > 59)
				return false;
			/* seconds and fractions: accepted, not kept */
			for (size_t i = 5; i < tn; i++)
				if (!((t[i] >= '0' && t[i] <= '9') ||
				      t[i] == ':' || t[i] == '.'))
					return false;
		}
	} else {
		const char *sp1 = memchr(s, ' ', n);
		if (!sp1)
			return false;
		const char *rest = sp1 + 1;
		const char *sp2 = memchr(rest, ' ', (size_t)(s + n - rest));
		if (!sp2 || sp1 - s > 2 || !digits(s, (size_t)(sp1 - s), &d) ||
		    !(m = month_of(rest, (size_t)(sp2 - rest))) ||
		    (s + n) - (sp2 + 1) != 4 || !digits(sp2 + 1, 4, &y))
			return false;
	}
	if (y < 1 || !cm__date_valid(y, m, d))
		return false;
	*out = cm__time_from_civil(y, m, d, hh, mm);
	return true;
}

/* A number in the language's syntax, -?[0-9]+(\.[0-9]+)?, after trimming
 * blanks (the slice is narrowed in place). */
static bool number_text(const char **s, uint32_t *n)
{
	const char *p = *s;
	uint32_t k = *n;
	while (k && (*p == ' ' || *p == '\t')) {
		p++;
		k--;
	}
	while (k && (p[k - 1] == ' ' || p[k - 1] == '\t'))
		k--;
	uint32_t i = 0;
	if (i < k && p[i] == '-')
		i++;
	uint32_t d0 = i;
	while (i < k && p[i] >= '0' && p[i] <= '9')
		i++;
	if (i == d0)
		return false;
	if (i < k && p[i] == '.') {
		uint32_t f0 = ++i;
		while (i < k && p[i] >= '0' && p[i] <= '9')
			i++;
		if (i == f0)
			return false;
	}
	if (i != k)
		return false;
	*s = p;
	*n = k;
	return true;
}

/* ---- tests ----------------------------------------------------------- */

static void col_value(const struct cm__imp_row *row, uint16_t col,
		      const char **s, uint32_t *n)
{
	if (col == CM__IMP_TYPE_COL) {
		*s = row->type;
		*n = row->type_len;
	} else {
		*s = row->val[col];
		*n = row->len[col];
	}
}

static bool test_holds(const struct cm_mapping *m, const struct cm__imp_row *row,
		       const struct cm__imp_test *t)
{
	const char *s;
	uint32_t n;
	col_value(row, t->col, &s, &n);
	bool r = false;
	switch (t->kind) {
	case CM__IT_IS:
		for (uint32_t i = 0; i < t->nstrs && !r; i++)
			r = strlen(t->strs[i]) == n &&
			    memcmp(t->strs[i], s, n) == 0;
		break;
	case CM__IT_LIKE:
		for (uint32_t i = 0; i < t->nstrs && !r; i++)
			r = cm__imp_like(t->strs[i], s, n);
		break;
	case CM__IT_PARTY: {
		const char *p = cm__imp_party_of(m, s, n);
		r = p && strcmp(p, t->party) == 0;
		break;
	}
	case CM__IT_ANYPARTY:
		r = cm__imp_party_of(m, s, n) != NULL;
		break;
	default: {
		if (!number_text(&s, &n) || n > 60)
			break;
		char buf[64];
		memcpy(buf, s, n);
		buf[n] = '\0';
		double v = strtod(buf, NULL);
		switch (t->cmp) {
		case CM_CMP_GE: r = v >= t->num; break;
		case CM_CMP_GT: r = v > t->num; break;
		case CM_CMP_LE: r = v <= t->num; break;
		case CM_CMP_LT: r = v < t->num; break;
		case CM_CMP_EQ: r = v == t->num; break;
		default: r = v != t->num; break;
		}
		break;
	}
	}
	return r != t->neg;
}

static bool all_hold(const struct cm_mapping *m, const struct cm__imp_row *row,
		     const struct cm__imp_tests *l)
{
	for (uint32_t i = 0; i < l->n; i++)
		if (!test_holds(m, row, &l->v[i]))
			return false;
	return true;
}

/* ---- one row ---------------------------------------------------------- */

static int skip(struct cm__imp_out *o, const char *pre, const char *a,
		uint32_t alen, const char *post)
{
	snprintf(o->why, sizeof(o->why), "%s%.*s%s", pre,
		 (int)(alen > 200 ? 200 : alen), a, post);
	return CM__ROW_SKIP;
}

static bool add_name(const char **v, uint32_t *n, const char *s)
{
	for (uint32_t i = 0; i < *n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	if (*n == CM__IMP_MAX_PROV)
		return false;
	v[(*n)++] = s;
	return true;
}

/* `reported by COLUMN`: the column's `;`-separated sources that name a
 * party. */
static void reporters(const struct cm_mapping *m, char *s, uint32_t n,
		      struct cm__imp_out *o)
{
	char *end = s + n;
	while (s < end) {
		char *semi = memchr(s, ';', (size_t)(end - s));
		char *e = semi ? semi : end;
		char *a = s, *b = e;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		char keep = *b;
		*b = '\0';
		const char *p = cm__imp_party_of(m, a, (uint32_t)(b - a));
		*b = keep;
		if (p)
			(void)add_name(o->reported, &o->nreported, p);
		s = e + 1;
	}
}

int cm__imp_map_row(const struct cm_mapping *m, struct cm__imp_row *row,
		    struct cm__imp_out *o)
{
	for (uint32_t i = 0; i < m->ndrops; i++)
		if (all_hold(m, row, &m->drops[i].tests) != m->drops[i].unless)
			return CM__ROW_DROP;
	const struct cm__imp_rule *r = NULL;
	for (uint32_t i = 0; i < m->nrules && !r; i++)
		if (all_hold(m, row, &m->rules[i].tests))
			r = &m->rules[i];
	if (!r)
		return CM__ROW_UNMATCHED;
	const char *ds = row->val[m->date_col];
	uint32_t dn = row->len[m->date_col];
	if (!cm__imp_date(ds, dn, &o->time))
		return skip(o, "\"", ds, dn, "\" is not a date");
	o->type = r->type;
	o->nattrs = r->nattrs;
	for (uint32_t i = 0; i < r->nattrs; i++) {
		const struct cm__imp_attr *a = &r->attrs[i];
		struct cm__attr *x = &o->attrs[i];
		x->name = a->name;
		x->pos = (struct cm__pos){row->line, 1};
		const char *s;
		uint32_t n;
		if (a->kind == CM__IV_LITERAL) {
			x->value = a->lit;
			x->vkind = a->lit_kind;
			continue;
		}
		col_value(row, a->col, &s, &n);
		if (a->kind == CM__IV_PARTY) {
			const char *p = cm__imp_party_of(m, s, n);
			if (!p)
				return skip(o, "\"", s, n,
					    "\" names no party of the mapping");
			x->value = p;
			x->vkind = CM__V_ID;
		} else if (a->kind == CM__IV_NUMBER) {
			if (!number_text(&s, &n))
				return skip(o, "\"", s, n,
					    "\" is not a number");
			/* the slice is in the row's buffer: end it there */
			((char *)s)[n] = '\0';
			x->value = s;
			x->vkind = CM__V_NUMBER;
		} else {
			/* free text: one line, no control characters */
			char *w = (char *)s;
			for (uint32_t k = 0; k < n; k++)
				if ((unsigned char)w[k] < 0x20 || w[k] == 0x7f)
					w[k] = ' ';
			x->value = s;
			x->vkind = CM__V_STRING;
		}
	}
	const struct cm__imp_prov *pv = r->prov.set ? &r->prov : &m->prov;
	o->nreported = o->nverified = 0;
	for (uint32_t i = 0; i < pv->reported.n; i++)
		(void)add_name(o->reported, &o->nreported, pv->reported.v[i].s);
	for (uint32_t i = 0; i < pv->verified.n; i++)
		(void)add_name(o->verified, &o->nverified, pv->verified.v[i].s);
	if (pv->reported_by_col) {
		const char *s;
		uint32_t n;
		col_value(row, pv->reported_col, &s, &n);
		reporters(m, (char *)s, n, o);
		/* a verifier does not also report */
		for (uint32_t i = 0; i < o->nreported; i++)
			for (uint32_t j = 0; j < o->nverified; j++)
				if (!strcmp(o->reported[i], o->verified[j])) {
					o->reported[i--] =
						o->reported[--o->nreported];
					break;
				}
	}
	return CM__ROW_EVENT;
}

/* ---- the event's text --------------------------------------------------- */

static void put_string(struct cm__buf *b, const char *s)
{
	cm__buf_putc(b, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			cm__buf_putc(b, '\\');
		cm__buf_putc(b, *p);
	}
	cm__buf_putc(b, '"');
}

static void put_names(struct cm__buf *b, const char *kw,
		      const char *const *v,
		      uint32_t n)
{
	if (!n)
		return;
	cm__buf_puts(b, kw);
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			cm__buf_puts(b, ", ");
		cm__buf_puts(b, v[i]);
	}
}

void cm__imp_event_text(struct cm__buf *b, const struct cm__imp_out *o)
{
	char t[32];
	cm_time_format(o->time, t, sizeof(t));
	/* YYYY-MM-DDTHH:MMZ: the date alone at midnight */
	t[16] = '\0';
	if (o->time % CM__MINUTES_PER_DAY == 0)
		t[10] = '\0';
	cm__buf_puts(b, t);
	cm__buf_putc(b, ' ');
	cm__buf_puts(b, o->type);
	cm__buf_putc(b, '(');
	for (uint32_t i = 0; i < o->nattrs; i++) {
		if (i)
			cm__buf_puts(b, ", ");
		cm__buf_puts(b, o->attrs[i].name);
		cm__buf_puts(b, ": ");
		if (o->attrs[i].vkind == CM__V_STRING)
			put_string(b, o->attrs[i].value);
		else
			cm__buf_puts(b, o->attrs[i].value);
	}
	cm__buf_putc(b, ')');
	put_names(b, " reported by ", o->reported, o->nreported);
	put_names(b, " verified by ", o->verified, o->nverified);
}
