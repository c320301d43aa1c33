/*
 * The canonical writer, steps 2 and 3 (format.c explains the three):
 * every comment attached to one node of the tree of output lines, then
 * the tree rendered; and the entry points, which run the three steps.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "syntax/format-tree.h"

static const struct cm__pos NOPOS = {0, 0};

static void clist_add(struct fmt *f, struct clist *l,
		      const struct cm__comment *c)
{
	const struct cm__comment **v =
		cm__fmt_grow(f, l->v, sizeof(*v), l->n, &l->cap);
	if (!v)
		return;
	l->v = v;
	v[l->n++] = c;
}

/* ---- comments ------------------------------------------------------------ */

static int pos_cmp(struct cm__pos a, struct cm__pos b)
{
	if (a.line != b.line)
		return a.line < b.line ? -1 : 1;
	if (a.col != b.col)
		return a.col < b.col ? -1 : 1;
	return 0;
}

static int anchor_cmp(const void *x, const void *y)
{
	const struct anchor *a = x, *b = y;
	int c = pos_cmp(a->pos, b->pos);
	if (c)
		return c;
	return a->kid < b->kid ? -1 : a->kid > b->kid;
}

static void index_node(struct fmt *f, struct fnode *n)
{
	if (n->indexed)
		return;
	n->indexed = true;
	uint32_t total = 0;
	for (uint32_t i = 0; i < n->nkids; i++)
		total += n->kids[i]->nanch;
	if (!total)
		return;
	n->idx = cm__arena_alloc(&f->ar, total * sizeof(*n->idx));
	if (!n->idx) {
		cm__fmt_nomem(f);
		return;
	}
	for (uint32_t i = 0; i < n->nkids; i++)
		for (uint32_t j = 0; j < n->kids[i]->nanch; j++)
			n->idx[n->nidx++] = (struct anchor){n->kids[i]->anch[j], i};
	qsort(n->idx, n->nidx, sizeof(*n->idx), anchor_cmp);
}

/* Index of the last anchor before @p p, or -1. */
static int64_t last_before(const struct fnode *n, struct cm__pos p)
{
	int64_t lo = 0, hi = n->nidx; /* first anchor >= p */
	while (lo < hi) {
		int64_t mid = (lo + hi) / 2;
		if (pos_cmp(n->idx[mid].pos, p) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - 1;
}

static void attach(struct fmt *f, struct fnode *root,
		    const struct cm__comment *c)
{
	struct fnode *n = root;
	int64_t k;
	for (;;) {
		index_node(f, n);
		if (f->rc != CM_OK)
			return;
		k = last_before(n, c->pos);
		if (k < 0)
			break;
		struct fnode *kid = n->kids[n->idx[k].kid];
		if (!kid->block ||
		    (kid->end.line && pos_cmp(c->pos, kid->end) > 0))
			break;
		n = kid;
	}
	if (c->own_line) {
		if ((uint64_t)(k + 1) < n->nidx)
			clist_add(f, &n->kids[n->idx[k + 1].kid]->before, c);
		else
			clist_add(f, &n->inner, c);
	} else if (k >= 0) {
		struct fnode *kid = n->kids[n->idx[k].kid];
		clist_add(f, kid->block ? &kid->close : &kid->trailing, c);
	} else {
		clist_add(f, n == root ? &n->inner : &n->trailing, c);
	}
}

/* ---- rendering ------------------------------------------------------------- */

static void put_comment(struct cm__buf *b, const char *text)
{
	size_t len = strlen(text);
	while (len && (text[len - 1] == ' ' || text[len - 1] == '\t' ||
		       text[len - 1] == '\r'))
		len--;
	if (!len || text[0] != '#')
		cm__buf_putc(b, '#');
	cm__buf_add(b, text, len);
}

static void indent(struct cm__buf *b, int depth)
{
	for (int i = 0; i < depth; i++)
		cm__buf_puts(b, "  ");
}

/*
 * Own-line comments at @p depth. With @p gaps, a blank line between two
 * of them in the source stays (one, however many there were).
 */
static void comment_lines(struct cm__buf *b, const struct clist *l,
			  uint32_t from, int depth, bool gaps)
{
	for (uint32_t i = from; i < l->n; i++) {
		if (gaps && i > from &&
		    l->v[i]->pos.line > l->v[i - 1]->pos.line + 1)
			cm__buf_putc(b, '\n');
		indent(b, depth);
		put_comment(b, l->v[i]->text);
		cm__buf_putc(b, '\n');
	}
}

/* The first source line of a node, or 0. */
static uint32_t first_line(const struct fnode *n)
{
	uint32_t line = 0;
	for (uint32_t i = 0; i < n->nanch; i++)
		if (!line || n->anch[i].line < line)
			line = n->anch[i].line;
	return line;
}

static void render_end_of_line(struct cm__buf *b, const struct clist *l)
{
	if (l->n) {
		cm__buf_puts(b, "  ");
		put_comment(b, l->v[0]->text);
	}
	cm__buf_putc(b, '\n');
}

/*
 * One node. Only the first end-of-line comment of a line can stay on it;
 * the others go on their own lines just before it (or, after a `}`, at
 * the end of the block), where they come back to the same node when the
 * output is formatted again.
 */
static void render(struct cm__buf *b, const struct fnode *n, int depth)
{
	comment_lines(b, &n->before, 0, depth, true);
	if (n->before.n && n->trailing.n <= 1 &&
	    first_line(n) > n->before.v[n->before.n - 1]->pos.line + 1)
		cm__buf_putc(b, '\n');
	comment_lines(b, &n->trailing, 1, depth, false);
	indent(b, depth);
	cm__buf_puts(b, n->text);
	if (n->block)
		cm__buf_puts(b, " {");
	render_end_of_line(b, &n->trailing);
	if (!n->block)
		return;
	for (uint32_t i = 0; i < n->nkids; i++) {
		if (i && n->kids[i]->blank)
			cm__buf_putc(b, '\n');
		render(b, n->kids[i], depth + 1);
	}
	comment_lines(b, &n->inner, 0, depth + 1, true);
	comment_lines(b, &n->close, 1, depth + 1, false);
	indent(b, depth);
	cm__buf_putc(b, '}');
	render_end_of_line(b, &n->close);
}

static void render_root(struct cm__buf *b, const struct fnode *r)
{
	for (uint32_t i = 0; i < r->nkids; i++) {
		if (i)
			cm__buf_putc(b, '\n');
		render(b, r->kids[i], 0);
	}
	if (r->nkids && r->inner.n)
		cm__buf_putc(b, '\n');
	comment_lines(b, &r->inner, 0, 0, true);
}

/* ---- entry points ----------------------------------------------------------- */

static bool same_file(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

struct roots {
	struct fnode **v;
	uint32_t n, cap;
};

static struct fnode *root_for(struct fmt *f, struct roots *r, const char *file)
{
	for (uint32_t i = 0; i < r->n; i++)
		if (same_file(r->v[i]->file, file))
			return r->v[i];
	struct fnode **v = cm__fmt_grow(f, r->v, sizeof(*v), r->n, &r->cap);
	struct fnode *n = cm__arena_alloc(&f->ar, sizeof(*n));
	if (!v || !n) {
		cm__fmt_nomem(f);
		return NULL;
	}
	r->v = v;
	n->text = "";
	n->file = file;
	n->block = true;
	v[r->n++] = n;
	return n;
}

static void build_document(struct fmt *f, struct roots *roots,
			   const struct cm_document *d)
{
	if (d->ntops == 0) {
		/* No record of the source order: agreements, policies, then
		 * the top-level events in one block per non-decreasing run. */
		for (uint32_t i = 0; i < d->npolicies; i++)
			cm__fmt_policy(f, root_for(f, roots, d->policies[i]->file),
				     d->policies[i]);
		for (uint32_t i = 0; i < d->nagreements; i++)
			cm__fmt_agreement(f, root_for(f, roots,
						    d->agreements[i]->file),
					d->agreements[i]);
		for (uint32_t i = 0; i < d->events.n;) {
			uint32_t j = i + 1;
			while (j < d->events.n &&
			       d->events.v[j].time >= d->events.v[j - 1].time)
				j++;
			cm__fmt_events_block(f,
					     root_for(f, roots, d->events.v[i].file),
					     &d->events, i, j - i, NOPOS, NOPOS);
			i = j;
		}
		return;
	}
	for (uint32_t i = 0; i < d->ntops && f->rc == CM_OK; i++) {
		const struct cm__top *t = &d->tops[i];
		struct fnode *root = root_for(f, roots, t->file);
		if (!root)
			return;
		switch (t->kind) {
		case CM__TOP_AGREEMENT:
			if (t->index < d->nagreements)
				cm__fmt_agreement(f, root, d->agreements[t->index]);
			break;
		case CM__TOP_POLICY:
			if (t->index < d->npolicies)
				cm__fmt_policy(f, root, d->policies[t->index]);
			break;
		case CM__TOP_IMPORT:
			if (t->index < d->nmappings)
				cm__fmt_mapping(f, root, d->mappings[t->index]);
			break;
		default:
			cm__fmt_events_block(f, root, &d->events, t->index,
					   t->count, t->pos, t->end);
			break;
		}
	}
}

CM_EXPORT int cm_document_to_text(void *mem_ctx, const cm_document *doc,
				  char **out, cm_error *err)
{
	if (!doc || !out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	void *tmp = cm__ctx_new(mem_ctx, "cm_fmt");
	if (!tmp)
		return cm__enomem(err);
	struct fmt f = {.rc = CM_OK, .err = err};
	cm__arena_init(&f.ar, tmp);
	cm__buf_init(&f.lb, tmp);
	struct roots roots = {0};
	build_document(&f, &roots, doc);
	for (uint32_t i = 0; i < doc->ncomments && f.rc == CM_OK; i++) {
		const struct cm__comment *c = &doc->comments[i];
		struct fnode *root = root_for(&f, &roots, c->file);
		if (root)
			attach(&f, root, c);
	}
	if (f.lb.failed)
		cm__fmt_nomem(&f);
	struct cm__buf b;
	cm__buf_init(&b, tmp);
	for (uint32_t i = 0; i < roots.n && f.rc == CM_OK; i++) {
		if (i && b.len)
			cm__buf_putc(&b, '\n');
		render_root(&b, roots.v[i]);
	}
	int rc = f.rc;
	if (rc == CM_OK) {
		int brc = cm__buf_finish(&b, mem_ctx, out);
		if (brc != 0)
			rc = cm__buf_error(err, brc);
	}
	cm__free(tmp);
	return rc;
}

CM_EXPORT int cm_agreement_to_text(void *mem_ctx, const cm_agreement *a,
				   char **out, cm_error *err)
{
	if (!a || !out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	void *tmp = cm__ctx_new(mem_ctx, "cm_fmt");
	if (!tmp)
		return cm__enomem(err);
	struct fmt f = {.rc = CM_OK, .err = err};
	cm__arena_init(&f.ar, tmp);
	cm__buf_init(&f.lb, tmp);
	struct fnode root = {.text = "", .block = true};
	cm__fmt_agreement(&f, &root, a);
	if (f.lb.failed)
		cm__fmt_nomem(&f);
	struct cm__buf b;
	cm__buf_init(&b, tmp);
	if (f.rc == CM_OK)
		render_root(&b, &root);
	int rc = f.rc;
	if (rc == CM_OK) {
		int brc = cm__buf_finish(&b, mem_ctx, out);
		if (brc != 0)
			rc = cm__buf_error(err, brc);
	}
	cm__free(tmp);
	return rc;
}
