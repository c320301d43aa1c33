/*
 * A mapping in canonical form (docs/import.md, docs/format.md), as lines
 * for the canonical writer (format.c): the `import` header, then `type`,
 * the `party` items in order, the drops, the rules in order (`when ...
 * emit ...` on one line, with its provenance), and `default`. Strings are
 * written with the language's two escapes.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "model/mapping.h"
#include "syntax/format-tree.h"
#include "syntax/syntax.h"

static void put_str(struct cm__buf *b, const char *s)
{
	cm__buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			cm__buf_putc(b, '\\');
		cm__buf_putc(b, *s);
	}
	cm__buf_putc(b, '"');
}

static const char *col_name(const struct cm_mapping *m, uint16_t c)
{
	return c == CM__IMP_TYPE_COL ? "type" : m->cols[c];
}

static void put_strs(struct cm__buf *b, const char *const *v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			cm__buf_puts(b, ", ");
		put_str(b, v[i]);
	}
}

static const char *const cmp_text[] = {">=", ">", "<=", "<", "==", "!="};

static void put_tests(struct cm__buf *b, const struct cm_mapping *m,
		      const struct cm__imp_tests *l)
{
	for (uint32_t i = 0; i < l->n; i++) {
		const struct cm__imp_test *t = &l->v[i];
		if (i)
			cm__buf_puts(b, " and ");
		if (t->neg)
			cm__buf_puts(b, "not ");
		cm__buf_puts(b, col_name(m, t->col));
		switch (t->kind) {
		case CM__IT_IS:
			cm__buf_puts(b, " is ");
			put_strs(b, t->strs, t->nstrs);
			break;
		case CM__IT_LIKE:
			cm__buf_puts(b, " like ");
			put_strs(b, t->strs, t->nstrs);
			break;
		case CM__IT_PARTY:
			cm__buf_puts(b, " is ");
			cm__buf_puts(b, t->party);
			break;
		case CM__IT_ANYPARTY:
			cm__buf_puts(b, " is any party");
			break;
		default:
			cm__buf_printf(b, " %s %s", cmp_text[t->cmp],
				       t->num_text);
			break;
		}
	}
}

static void put_ids(struct cm__buf *b, const struct cm__names *l)
{
	for (uint32_t i = 0; i < l->n; i++) {
		if (i)
			cm__buf_puts(b, ", ");
		cm__buf_puts(b, l->v[i].s);
	}
}

static void put_prov(struct cm__buf *b, const struct cm_mapping *m,
		     const struct cm__imp_prov *p)
{
	if (p->reported_by_col) {
		cm__buf_puts(b, " reported by ");
		cm__buf_puts(b, col_name(m, p->reported_col));
	} else if (p->reported.n) {
		cm__buf_puts(b, " reported by ");
		put_ids(b, &p->reported);
	}
	if (p->verified.n) {
		cm__buf_puts(b, " verified by ");
		put_ids(b, &p->verified);
	}
}

static void put_rule(struct cm__buf *b, const struct cm_mapping *m,
		     const struct cm__imp_rule *r)
{
	cm__buf_puts(b, "when ");
	put_tests(b, m, &r->tests);
	cm__buf_puts(b, " emit ");
	cm__buf_puts(b, r->type);
	cm__buf_putc(b, '(');
	for (uint32_t i = 0; i < r->nattrs; i++) {
		const struct cm__imp_attr *a = &r->attrs[i];
		if (i)
			cm__buf_puts(b, ", ");
		cm__buf_puts(b, a->name);
		cm__buf_puts(b, ": ");
		switch (a->kind) {
		case CM__IV_PARTY:
			cm__buf_puts(b, col_name(m, a->col));
			break;
		case CM__IV_TEXT:
			cm__buf_printf(b, "text(%s)", col_name(m, a->col));
			break;
		case CM__IV_NUMBER:
			cm__buf_printf(b, "number(%s)", col_name(m, a->col));
			break;
		default:
			if (a->lit_kind == CM__V_STRING)
				put_str(b, a->lit);
			else
				cm__buf_puts(b, a->lit);
			break;
		}
	}
	cm__buf_putc(b, ')');
	if (r->prov.set)
		put_prov(b, m, &r->prov);
}

struct lines {
	struct cm__arena *ar;
	struct cm__buf b;
	struct cm__fmt_line *v;
	uint32_t n, cap;
	bool failed;
};

static void line(struct lines *L, struct cm__pos pos)
{
	if (L->b.failed)
		L->failed = true;
	struct cm__fmt_line *v = L->failed ? NULL
		: cm__arena_grow(L->ar, L->v, sizeof(*v), L->n, &L->cap);
	const char *t = v ? cm__arena_strndup(L->ar, L->b.data ? L->b.data
								 : "",
					      L->b.len) : NULL;
	L->b.len = 0;
	if (!t) {
		L->failed = true;
		return;
	}
	L->v = v;
	v[L->n++] = (struct cm__fmt_line){t, pos};
}

int cm__mapping_lines(struct cm__arena *ar, const struct cm_mapping *m,
		      struct cm__fmt_line **out, uint32_t *n)
{
	struct lines L = {.ar = ar};
	cm__buf_init(&L.b, ar->owner);
	struct cm__buf *b = &L.b;
	cm__buf_printf(b, "import %s %s", m->fmt->name, m->id);
	if (m->title) {
		cm__buf_putc(b, ' ');
		put_str(b, m->title);
	}
	line(&L, m->pos);
	if (m->ntype) {
		cm__buf_puts(b, "type ");
		for (uint32_t i = 0; i < m->ntype; i++)
			cm__buf_printf(b, "%s%s", i ? ", " : "",
				       col_name(m, m->type_cols[i]));
		line(&L, m->type_pos);
	}
	for (uint32_t i = 0; i < m->nnames;) {
		const struct cm__imp_name *nm = &m->names[i];
		cm__buf_printf(b, "party %s ", nm->party);
		struct cm__pos pos = nm->pos;
		uint32_t item = nm->item;
		for (uint32_t k = 0; i < m->nnames && m->names[i].item == item;
		     i++, k++) {
			if (k)
				cm__buf_puts(b, ", ");
			if (m->names[i].pattern)
				cm__buf_puts(b, "like ");
			put_str(b, m->names[i].text);
		}
		line(&L, pos);
	}
	for (uint32_t i = 0; i < m->ndrops; i++) {
		cm__buf_puts(b, m->drops[i].unless ? "drop unless "
						   : "drop if ");
		put_tests(b, m, &m->drops[i].tests);
		line(&L, m->drops[i].pos);
	}
	for (uint32_t i = 0; i < m->nrules; i++) {
		put_rule(b, m, &m->rules[i]);
		line(&L, m->rules[i].pos);
	}
	if (m->prov.set) {
		cm__buf_puts(b, "default");
		put_prov(b, m, &m->prov);
		line(&L, m->prov.pos);
	}
	cm__buf_reset(b);
	if (L.failed)
		return -1;
	*out = L.v;
	*n = L.n;
	return 0;
}

struct cm__pos cm__mapping_end(const struct cm_mapping *m)
{
	return m->end;
}

/* A mapping (`import` block): its lines come from import-format.c. */
void cm__fmt_mapping(struct fmt *f, struct fnode *parent,
		     const struct cm_mapping *m)
{
	struct cm__fmt_line *v;
	uint32_t n;
	if (cm__mapping_lines(&f->ar, m, &v, &n) != 0) {
		cm__fmt_nomem(f);
		return;
	}
	struct fnode *blk = NULL;
	for (uint32_t i = 0; i < n; i++) {
		cm__fmt_put(f, v[i].text);
		struct fnode *x = cm__fmt_emit(f, i ? blk : parent, i == 0);
		if (!x)
			return;
		cm__fmt_anchor(f, x, v[i].pos);
		if (i == 0) {
			blk = x;
			blk->blank = true;
			blk->end = cm__mapping_end(m);
		}
	}
}
