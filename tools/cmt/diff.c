/*
 * cmt — a unified diff of two texts, line by line (`cmt fmt --diff`).
 *
 * The output is what `diff -u` prints (three lines of context, hunks
 * `@@ -l,n +l,n @@`, "\ No newline at end of file"), so that `patch -p0`
 * applies it. The edit script is Myers' greedy shortest one, over the
 * lines between the common prefix and suffix; past MAX_D differences it
 * stops looking for the shortest and replaces the rest as one block (a
 * correct diff, only not a minimal one), which bounds time and memory.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdint.h>
#include <string.h>

#include <talloc.h>

#include "cmt.h"

enum { CONTEXT = 3, MAX_D = 1000 };

struct lines {
	const char **p; /* start of each line */
	size_t *len;    /* its length, '\n' included when there is one */
	size_t n;
};

static bool split(void *ctx, const char *t, size_t len, struct lines *l)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += t[i] == '\n';
	n += len && t[len - 1] != '\n';
	l->p = talloc_array(ctx, const char *, n ? n : 1);
	l->len = talloc_array(ctx, size_t, n ? n : 1);
	if (!l->p || !l->len)
		return false;
	l->n = 0;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(t + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - t) + 1 : len;
		l->p[l->n] = t + i;
		l->len[l->n++] = e - i;
		i = e;
	}
	return true;
}

static bool same(const struct lines *a, size_t i, const struct lines *b,
		 size_t j)
{
	return a->len[i] == b->len[j] &&
	       memcmp(a->p[i], b->p[j], a->len[i]) == 0;
}

/* One op per line of the edit script: '=' both, '-' a only, '+' b only. */
struct script {
	char *op;
	size_t n;
};

static void push(struct script *s, char op, size_t count)
{
	while (count--)
		s->op[s->n++] = op;
}

/*
 * Myers: the ops turning a[a0, a1) into b[b0, b1), appended to @p s in
 * order. Returns false when out of memory.
 */
static bool myers(void *ctx, const struct lines *a, size_t a0, size_t a1,
		  const struct lines *b, size_t b0, size_t b1,
		  struct script *s)
{
	long n = (long)(a1 - a0), m = (long)(b1 - b0);
	long max = n + m < MAX_D ? n + m : MAX_D;
	long off = max + 1;
	/* trace[d] is V after step d: 2 * max + 3 entries each. */
	size_t width = (size_t)(2 * max + 3);
	int32_t **trace = talloc_zero_array(ctx, int32_t *, (size_t)max + 1);
	int32_t *v = talloc_zero_array(ctx, int32_t, width);
	if (!trace || !v)
		return false;
	long found = -1;
	for (long d = 0; d <= max && found < 0; d++) {
		for (long k = -d; k <= d; k += 2) {
			long x;
			if (k == -d || (k != d && v[off + k - 1] < v[off + k + 1]))
				x = v[off + k + 1];
			else
				x = v[off + k - 1] + 1;
			long y = x - k;
			while (x < n && y < m &&
			       same(a, a0 + (size_t)x, b, b0 + (size_t)y)) {
				x++;
				y++;
			}
			v[off + k] = (int32_t)x;
			if (x >= n && y >= m) {
				found = d;
				break;
			}
		}
		trace[d] = talloc_memdup(trace, v, width * sizeof(*v));
		if (!trace[d])
			return false;
	}
	if (found < 0) {
		/* Too different: one block out, one block in. */
		push(s, '-', (size_t)n);
		push(s, '+', (size_t)m);
		talloc_free(trace);
		talloc_free(v);
		return true;
	}
	/* Walk back from (n, m), collecting the ops in reverse. */
	char *rev = talloc_array(ctx, char, (size_t)(n + m) + 1);
	if (!rev)
		return false;
	size_t nr = 0;
	long x = n, y = m;
	for (long d = found; d > 0; d--) {
		const int32_t *pv = trace[d - 1];
		long k = x - y, pk;
		if (k == -d || (k != d && pv[off + k - 1] < pv[off + k + 1]))
			pk = k + 1;
		else
			pk = k - 1;
		long px = pv[off + pk], py = px - pk;
		while (x > px && y > py) {
			rev[nr++] = '=';
			x--;
			y--;
		}
		rev[nr++] = x == px ? '+' : '-';
		x = px;
		y = py;
	}
	while (x > 0 && y > 0) {
		rev[nr++] = '=';
		x--;
		y--;
	}
	while (nr)
		s->op[s->n++] = rev[--nr];
	talloc_free(rev);
	talloc_free(trace);
	talloc_free(v);
	return true;
}

static bool put_line(void *ctx, char **out, char sign, const struct lines *l,
		     size_t i)
{
	bool nl = l->len[i] && l->p[i][l->len[i] - 1] == '\n';
	return cmt_append(ctx, out, "%c%.*s%s", sign,
			  (int)(l->len[i] - nl), l->p[i],
			  nl ? "\n" : "\n\\ No newline at end of file\n");
}

/* `@@ -start,count +start,count @@`, as diff writes the ranges. */
static bool put_range(void *ctx, char **out, char sign, size_t first,
		      size_t count)
{
	if (count == 1)
		return cmt_append(ctx, out, "%c%zu", sign, first + 1);
	return cmt_append(ctx, out, "%c%zu,%zu", sign,
			  count ? first + 1 : first, count);
}

int cmt_diff(void *ctx, const char *name, const char *old, size_t oldlen,
	     const char *new_, size_t newlen, char **out)
{
	void *tmp = talloc_new(ctx);
	struct lines a, b;
	if (!tmp || !split(tmp, old, oldlen, &a) ||
	    !split(tmp, new_, newlen, &b))
		goto oom;
	size_t pre = 0;
	while (pre < a.n && pre < b.n && same(&a, pre, &b, pre))
		pre++;
	size_t suf = 0;
	while (suf < a.n - pre && suf < b.n - pre &&
	       same(&a, a.n - 1 - suf, &b, b.n - 1 - suf))
		suf++;
	if (pre == a.n && pre == b.n) {
		talloc_free(tmp);
		return CMT_OK; /* the same: no output */
	}
	struct script s = {talloc_array(tmp, char, a.n + b.n + 1), 0};
	if (!s.op)
		goto oom;
	push(&s, '=', pre);
	if (!myers(tmp, &a, pre, a.n - suf, &b, pre, b.n - suf, &s))
		goto oom;
	push(&s, '=', suf);

	if (!cmt_append(ctx, out, "--- %s\n+++ %s\n", name, name))
		goto oom;
	/* Hunks: changes closer than 2 * CONTEXT equal lines share one. */
	size_t i = 0, ai = 0, bi = 0;
	while (i < s.n) {
		if (s.op[i] == '=') {
			i++;
			ai++;
			bi++;
			continue;
		}
		size_t back = ai < CONTEXT ? ai : CONTEXT;
		size_t start = i - back, end = i;
		/* Extend to the last change followed by > 2*CONTEXT '='. */
		size_t j = i;
		for (;;) {
			while (j < s.n && s.op[j] != '=')
				j++;
			end = j;
			size_t eq = 0;
			while (j < s.n && s.op[j] == '=') {
				j++;
				eq++;
			}
			if (j >= s.n || eq > 2 * CONTEXT) {
				end += eq < CONTEXT ? eq : CONTEXT;
				break;
			}
		}
		size_t as = ai - back, bs = bi - back, ac = 0, bc = 0;
		for (size_t k = start; k < end; k++) {
			ac += s.op[k] != '+';
			bc += s.op[k] != '-';
		}
		if (!cmt_append(ctx, out, "@@ ") ||
		    !put_range(ctx, out, '-', as, ac) ||
		    !cmt_append(ctx, out, " ") ||
		    !put_range(ctx, out, '+', bs, bc) ||
		    !cmt_append(ctx, out, " @@\n"))
			goto oom;
		size_t x = as, y = bs;
		for (size_t k = start; k < end; k++) {
			bool ok;
			if (s.op[k] == '=') {
				ok = put_line(ctx, out, ' ', &a, x++);
				y++;
			} else if (s.op[k] == '-') {
				ok = put_line(ctx, out, '-', &a, x++);
			} else {
				ok = put_line(ctx, out, '+', &b, y++);
			}
			if (!ok)
				goto oom;
		}
		i = end;
		ai = x;
		bi = y;
	}
	talloc_free(tmp);
	return CMT_OK;
oom:
	talloc_free(tmp);
	return cmt_enomem();
}
