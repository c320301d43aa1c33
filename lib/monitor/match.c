/*
 * The monitor's event index.
 *
 * Every string a pattern names (event types, attribute names and values,
 * the implicit `by`) is interned to a small integer when the index is
 * built; patterns become arrays of (name, value) integers. Each pattern is
 * filed under one key: its type and its least shared `name: value` pair
 * (the one the fewest patterns carry), or its type alone when it names no
 * attribute.
 *
 * An event costs one lookup of its type (an event of a type no pattern
 * names stops there) and one of each attribute name and value; then one
 * integer lookup per attribute for the candidates, each checked by
 * integer comparisons. A pattern is filed once and an event's attribute
 * names are distinct, so each match is reported once.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "monitor/monitor-private.h"

/* ---- interned strings ------------------------------------------------ */

struct sslot {
	const char *s;
	uint32_t hash;
	uint32_t id; /* 1-based */
};

struct strtab {
	struct sslot *v;
	uint32_t mask, n;
};

static uint32_t fnv(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static uint32_t str_find(const struct strtab *t, const char *s)
{
	uint32_t h = fnv(s);
	for (uint32_t i = h & t->mask;; i = (i + 1) & t->mask) {
		const struct sslot *e = &t->v[i];
		if (!e->s)
			return 0;
		if (e->hash == h && strcmp(e->s, s) == 0)
			return e->id;
	}
}

/* Double the table when half full; -1 when out of memory. */
static int str_grow(void *ctx, struct strtab *t)
{
	if ((t->n + 1) * 2 <= t->mask + 1)
		return 0;
	uint32_t cap = (t->mask + 1) * 2;
	struct sslot *v = cm__realloc(ctx, NULL, sizeof(*v), cap, "strtab");
	if (!v)
		return -1;
	memset(v, 0, sizeof(*v) * cap);
	for (uint32_t i = 0; i <= t->mask; i++) {
		const struct sslot *e = &t->v[i];
		if (!e->s)
			continue;
		uint32_t j = e->hash & (cap - 1);
		while (v[j].s)
			j = (j + 1) & (cap - 1);
		v[j] = *e;
	}
	cm__free(t->v);
	t->v = v;
	t->mask = cap - 1;
	return 0;
}

/* Add (or find) @p s; 0 when out of memory. */
static uint32_t str_add(void *ctx, struct strtab *t, const char *s)
{
	if (str_grow(ctx, t) != 0)
		return 0;
	uint32_t h = fnv(s);
	for (uint32_t i = h & t->mask;; i = (i + 1) & t->mask) {
		struct sslot *e = &t->v[i];
		if (!e->s) {
			e->s = s;
			e->hash = h;
			e->id = ++t->n;
			return e->id;
		}
		if (e->hash == h && strcmp(e->s, s) == 0)
			return e->id;
	}
}

/* ---- integer keys ---------------------------------------------------- */

struct kslot {
	uint32_t type, name, value; /* type 0: empty; name 0: type alone */
	uint32_t share;             /* patterns naming this pair */
	uint32_t count;             /* patterns filed under it */
	uint32_t start, fill;
};

struct keytab {
	struct kslot *v;
	uint32_t mask, n;
};

static uint32_t khash(uint32_t t, uint32_t n, uint32_t v)
{
	uint64_t h = (uint64_t)t * 0x9e3779b97f4a7c15ull;
	h ^= (uint64_t)n * 0xc2b2ae3d27d4eb4full;
	h ^= (uint64_t)v * 0x165667b19e3779f9ull;
	h ^= h >> 29;
	return (uint32_t)(h ^ (h >> 32));
}

static struct kslot *key_find(const struct keytab *k, uint32_t t, uint32_t n,
			      uint32_t v)
{
	for (uint32_t i = khash(t, n, v) & k->mask;; i = (i + 1) & k->mask) {
		struct kslot *e = &k->v[i];
		if (!e->type)
			return NULL;
		if (e->type == t && e->name == n && e->value == v)
			return e;
	}
}

static int key_grow(void *ctx, struct keytab *k)
{
	if ((k->n + 1) * 2 <= k->mask + 1)
		return 0;
	uint32_t cap = (k->mask + 1) * 2;
	struct kslot *v = cm__realloc(ctx, NULL, sizeof(*v), cap, "keytab");
	if (!v)
		return -1;
	memset(v, 0, sizeof(*v) * cap);
	for (uint32_t i = 0; i <= k->mask; i++) {
		const struct kslot *e = &k->v[i];
		if (!e->type)
			continue;
		uint32_t j = khash(e->type, e->name, e->value) & (cap - 1);
		while (v[j].type)
			j = (j + 1) & (cap - 1);
		v[j] = *e;
	}
	cm__free(k->v);
	k->v = v;
	k->mask = cap - 1;
	return 0;
}

/* Add (or find) a key; NULL when out of memory. */
static struct kslot *key_add(void *ctx, struct keytab *k, uint32_t t,
			     uint32_t n, uint32_t v)
{
	if (key_grow(ctx, k) != 0)
		return NULL;
	for (uint32_t i = khash(t, n, v) & k->mask;; i = (i + 1) & k->mask) {
		struct kslot *e = &k->v[i];
		if (!e->type) {
			e->type = t;
			e->name = n;
			e->value = v;
			k->n++;
			return e;
		}
		if (e->type == t && e->name == n && e->value == v)
			return e;
	}
}

static void *table(void *ctx, size_t elsize, uint64_t keys, uint32_t *mask)
{
	uint64_t cap = 16;
	while (cap < keys * 2)
		cap *= 2;
	if (cap > UINT32_MAX)
		return NULL;
	void *v = cm__realloc(ctx, NULL, elsize, (size_t)cap, "cm_mindex");
	if (v)
		memset(v, 0, elsize * (size_t)cap);
	*mask = (uint32_t)cap - 1;
	return v;
}

/* ---- the index ------------------------------------------------------- */

struct cpat {
	uint32_t type;
	uint32_t n;
	uint32_t *kv; /* n (name, value) pairs */
};

struct cm__mindex {
	struct strtab str;
	struct keytab keys;
	/* the patterns filed under each key, laid out one after the other
	 * so that checking a key's candidates reads memory in order: per
	 * pattern its tag, its number of other pairs, then those pairs (the
	 * key's own pair is known to match), least shared first */
	uint32_t *recs;
	bool *keyname; /* by string id: names some key is filed under */
};

/* Order pairs by how many patterns share them (least shared first). */
static void sort_pairs(const struct keytab *keys, uint32_t type, uint32_t *kv,
		       uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		uint32_t a = kv[2 * i], b = kv[2 * i + 1];
		uint32_t sh = key_find(keys, type, a, b)->share;
		uint32_t j = i;
		while (j > 0 && key_find(keys, type, kv[2 * (j - 1)],
					 kv[2 * (j - 1) + 1])->share > sh) {
			kv[2 * j] = kv[2 * (j - 1)];
			kv[2 * j + 1] = kv[2 * (j - 1) + 1];
			j--;
		}
		kv[2 * j] = a;
		kv[2 * j + 1] = b;
	}
}

int cm__mindex_build(void *mem_ctx, const struct cm__pat *pats, uint32_t n,
		     struct cm__mindex **out)
{
	struct cm__mindex *x = cm__zalloc(NULL, sizeof(*x), "cm_mindex");
	if (!x)
		return -1;
	uint64_t nkv = 0;
	for (uint32_t i = 0; i < n; i++)
		nkv += pats[i].nattrs + (pats[i].by ? 1 : 0);
	/* grows as strings come: a few thousand distinct ones stay in cache */
	x->str.v = table(x, sizeof(*x->str.v), 64, &x->str.mask);
	struct cpat *pats_c = cm__realloc(x, NULL, sizeof(*pats_c), n ? n : 1,
					  "cpats");
	/* (not under a NULL pats_c: that would be a top-level block) */
	uint32_t *kv = pats_c ? cm__realloc(pats_c, NULL, sizeof(*kv),
					    nkv ? 2 * nkv : 1, "kv")
			      : NULL;
	x->recs = cm__realloc(x, NULL, sizeof(*x->recs),
			      (size_t)(2 * n + 2 * nkv + 1), "recs");
	/* pairs + type-alone keys; counted first, then filed */
	x->keys.v = table(x, sizeof(*x->keys.v), 64, &x->keys.mask);
	if (!x->str.v || !pats_c || !kv || !x->recs || !x->keys.v)
		goto fail;
	/* 1. intern, and count how many patterns share each pair */
	for (uint32_t i = 0; i < n; i++) {
		const struct cm__pat *p = &pats[i];
		struct cpat *c = &pats_c[i];
		c->type = str_add(x, &x->str, p->type);
		c->kv = kv;
		for (uint32_t k = 0; k < p->nattrs; k++) {
			*kv++ = str_add(x, &x->str, p->attrs[k].name);
			*kv++ = str_add(x, &x->str, p->attrs[k].value);
		}
		if (p->by) {
			*kv++ = str_add(x, &x->str, "by");
			*kv++ = str_add(x, &x->str, p->by);
		}
		c->n = (uint32_t)(kv - c->kv) / 2;
		if (!c->type)
			goto fail;
		for (uint32_t k = 0; k < 2 * c->n; k++)
			if (!c->kv[k])
				goto fail;
		for (uint32_t k = 0; k < c->n; k++) {
			struct kslot *e = key_add(x, &x->keys, c->type,
						  c->kv[2 * k],
						  c->kv[2 * k + 1]);
			if (!e)
				goto fail;
			e->share++;
		}
	}
	/* 2. each pattern's key: its least shared pair; then file them.
	 *    `start` counts the patterns filed under a key. */
	uint32_t *chosen = cm__realloc(NULL, NULL, sizeof(*chosen),
				       n ? n : 1, "chosen");
	if (!chosen)
		goto fail;
	for (uint32_t i = 0; i < n; i++) {
		const struct cpat *c = &pats_c[i];
		uint32_t best = UINT32_MAX, pick = UINT32_MAX;
		for (uint32_t k = 0; k < c->n; k++) {
			struct kslot *e = key_find(&x->keys, c->type,
						   c->kv[2 * k],
						   c->kv[2 * k + 1]);
			if (e->share < best) {
				best = e->share;
				pick = k;
			}
		}
		chosen[i] = pick;
		struct kslot *e = pick == UINT32_MAX
			? key_add(x, &x->keys, c->type, 0, 0)
			: key_find(&x->keys, c->type, c->kv[2 * pick],
				   c->kv[2 * pick + 1]);
		if (!e) {
			cm__free(chosen);
			goto fail;
		}
		e->fill++;
	}
	/* `start`: where the key's records begin; `fill`: words so far */
	uint32_t *words = cm__realloc(NULL, NULL, sizeof(*words),
				      x->keys.mask + 1, "words");
	if (!words) {
		cm__free(chosen);
		goto fail;
	}
	memset(words, 0, sizeof(*words) * (x->keys.mask + 1));
	x->keyname = cm__zalloc(x, x->str.n + 1, "keyname");
	if (!x->keyname) {
		cm__free(words);
		cm__free(chosen);
		goto fail;
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct cpat *c = &pats_c[i];
		uint32_t k = chosen[i];
		struct kslot *e = k == UINT32_MAX
			? key_find(&x->keys, c->type, 0, 0)
			: key_find(&x->keys, c->type, c->kv[2 * k],
				   c->kv[2 * k + 1]);
		words[e - x->keys.v] += 2 + 2 * c->n - (k == UINT32_MAX ? 0 : 2);
	}
	uint32_t at = 0;
	for (uint32_t i = 0; i <= x->keys.mask; i++) {
		struct kslot *e = &x->keys.v[i];
		if (!e->type)
			continue;
		e->start = at;
		at += words[i];
		e->count = 0;
		e->fill = 0;
	}
	cm__free(words);
	for (uint32_t i = 0; i < n; i++) {
		const struct cpat *c = &pats_c[i];
		uint32_t k = chosen[i];
		struct kslot *e = k == UINT32_MAX
			? key_find(&x->keys, c->type, 0, 0)
			: key_find(&x->keys, c->type, c->kv[2 * k],
				   c->kv[2 * k + 1]);
		uint32_t *r = &x->recs[e->start + e->fill];
		uint32_t m = 0;
		r[0] = pats[i].tag;
		for (uint32_t j = 0; j < c->n; j++) {
			if (j == k)
				continue;
			r[2 + 2 * m] = c->kv[2 * j];
			r[3 + 2 * m] = c->kv[2 * j + 1];
			m++;
		}
		r[1] = m;
		sort_pairs(&x->keys, c->type, r + 2, m);
		if (k != UINT32_MAX)
			x->keyname[c->kv[2 * k]] = true;
		e->fill += 2 + 2 * m;
		e->count++;
	}
	cm__free(chosen);
	cm__free(pats_c);
	*out = cm__steal(mem_ctx, x);
	return 0;
fail:
	cm__free(x);
	return -1;
}

static bool matches(const uint32_t *kv, uint32_t n, const uint32_t *ekv,
		    uint32_t en)
{
	for (uint32_t k = 0; k < n; k++) {
		uint32_t name = kv[2 * k], value = kv[2 * k + 1];
		uint32_t j = 0;
		while (j < en && ekv[2 * j] != name)
			j++;
		if (j == en || ekv[2 * j + 1] != value)
			return false;
	}
	return true;
}

static int push(const void *owner, uint32_t **hits, uint32_t *cap,
		uint32_t n, uint32_t id)
{
	if (n == *cap) {
		if (*cap > UINT32_MAX / 2)
			return -1;
		uint32_t nc = *cap ? *cap * 2 : 16;
		uint32_t *v = cm__realloc(owner, *hits, sizeof(*v), nc, "hits");
		if (!v)
			return -1;
		*hits = v;
		*cap = nc;
	}
	(*hits)[n] = id;
	return 0;
}

enum { MAX_FAST_ATTRS = 32 };

int64_t cm__mindex_match(const struct cm__mindex *x, const struct cm_event *ev,
			 const void *owner, uint32_t **hits, uint32_t *cap)
{
	uint32_t type = str_find(&x->str, ev->act.type);
	if (!type)
		return 0;
	/* the event's pairs as interned ids (0: a string no pattern names) */
	uint32_t local[2 * MAX_FAST_ATTRS];
	uint32_t en = ev->act.nattrs;
	uint32_t *ekv = local;
	if (en > MAX_FAST_ATTRS) {
		ekv = cm__realloc(owner, NULL, sizeof(*ekv), 2 * (size_t)en,
				  "ekv");
		if (!ekv)
			return -1;
	}
	for (uint32_t k = 0; k < en; k++) {
		const struct cm__attr *a = &ev->act.attrs[k];
		ekv[2 * k] = str_find(&x->str, a->name);
		ekv[2 * k + 1] = ekv[2 * k] ? str_find(&x->str, a->value) : 0;
	}
	int64_t n = 0;
	for (uint32_t k = 0; k <= en; k++) {
		const struct kslot *e;
		if (k == en)
			e = key_find(&x->keys, type, 0, 0);
		else if (ekv[2 * k + 1] && x->keyname[ekv[2 * k]])
			e = key_find(&x->keys, type, ekv[2 * k],
				     ekv[2 * k + 1]);
		else
			continue;
		if (!e)
			continue;
		const uint32_t *r = &x->recs[e->start];
		for (uint32_t j = 0; j < e->count; j++, r += 2 + 2 * r[1]) {
			uint32_t id = r[0];
			if (!matches(r + 2, r[1], ekv, en))
				continue;
			if (push(owner, hits, cap, (uint32_t)n++, id) != 0) {
				n = -1;
				break;
			}
		}
		if (n < 0)
			break;
	}
	if (ekv != local)
		cm__free(ekv);
	return n;
}
