/*
 * The monitor's event index: every clause pattern and condition atom is
 * filed under one key, its event type and its most selective attribute
 * (the `name: value` pair that the fewest patterns share), or its type
 * alone when it names no attribute. An event looks up its type alone and
 * its type with each of its own attributes: a handful of hash probes,
 * whatever the number of patterns, and each candidate is then checked in
 * full. A pattern is filed once and an event's attributes have distinct
 * names, so every match is reported once.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "monitor-private.h"

struct slot {
	const char *type, *name, *value; /* name NULL: the type alone */
	uint32_t hash;
	uint32_t count; /* patterns filed here (or sharing the pair) */
	uint32_t start; /* first of this key's entries in ids[] */
	uint32_t fill;
};

struct table {
	struct slot *v;
	uint32_t mask;
	uint32_t n;
};

struct cm__mindex {
	struct table t;
	uint32_t *ids; /* pattern positions grouped by key */
};

static uint32_t fnv(uint32_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static uint32_t key_hash(const char *type, const char *name,
			 const char *value)
{
	uint32_t h = fnv(2166136261u, type);
	if (!name)
		return h ^ 0x9e3779b9u;
	h = (h ^ 0x1f) * 16777619u;
	h = fnv(h, name);
	h = (h ^ 0x1f) * 16777619u;
	return fnv(h, value);
}

static bool key_eq(const struct slot *s, uint32_t h, const char *type,
		   const char *name, const char *value)
{
	if (s->hash != h || strcmp(s->type, type) != 0)
		return false;
	if (!name || !s->name)
		return !name && !s->name;
	return strcmp(s->name, name) == 0 && strcmp(s->value, value) == 0;
}

static struct slot *lookup(const struct table *t, uint32_t h, const char *type,
			   const char *name, const char *value)
{
	if (!t->v)
		return NULL;
	for (uint32_t i = h & t->mask;; i = (i + 1) & t->mask) {
		struct slot *s = &t->v[i];
		if (!s->type)
			return NULL;
		if (key_eq(s, h, type, name, value))
			return s;
	}
}

/* Find or add; the table is sized beforehand (never full). */
static struct slot *intern(struct table *t, const char *type, const char *name,
			   const char *value)
{
	uint32_t h = key_hash(type, name, value);
	uint32_t i = h & t->mask;
	for (;; i = (i + 1) & t->mask) {
		struct slot *s = &t->v[i];
		if (!s->type) {
			s->type = type;
			s->name = name;
			s->value = value;
			s->hash = h;
			t->n++;
			return s;
		}
		if (key_eq(s, h, type, name, value))
			return s;
	}
}

static int table_init(void *ctx, struct table *t, uint64_t keys)
{
	uint64_t cap = 8;
	while (cap < keys * 2)
		cap *= 2;
	if (cap > UINT32_MAX)
		return -1;
	t->v = cm__realloc(ctx, NULL, sizeof(*t->v), (size_t)cap, "cm_mindex");
	if (!t->v)
		return -1;
	memset(t->v, 0, sizeof(*t->v) * (size_t)cap);
	t->mask = (uint32_t)cap - 1;
	t->n = 0;
	return 0;
}

/* The key a pattern is filed under: its least shared attribute. */
static void choose(const struct table *freq, const struct cm__pat *p,
		   const char **name, const char **value)
{
	uint32_t best = UINT32_MAX;
	*name = NULL;
	*value = NULL;
	for (uint32_t k = 0; k <= p->nattrs; k++) {
		const char *n, *v;
		if (k == p->nattrs) {
			if (!p->by)
				break;
			n = "by";
			v = p->by;
		} else {
			n = p->attrs[k].name;
			v = p->attrs[k].value;
		}
		struct slot *s = lookup(freq, key_hash(p->type, n, v),
					p->type, n, v);
		if (s && s->count < best) {
			best = s->count;
			*name = n;
			*value = v;
		}
	}
}

int cm__mindex_build(void *mem_ctx, const struct cm__pat *pats, uint32_t n,
		     struct cm__mindex **out)
{
	void *tmp = cm__ctx_new(NULL, "cm_mindex_tmp");
	struct cm__mindex *x = cm__zalloc(mem_ctx, sizeof(*x), "cm_mindex");
	if (!tmp || !x)
		goto fail;
	uint64_t nkeys = 1;
	for (uint32_t i = 0; i < n; i++)
		nkeys += pats[i].nattrs + 2;
	/* 1. how many patterns share each attribute pair */
	struct table freq;
	if (table_init(tmp, &freq, nkeys) != 0)
		goto fail;
	for (uint32_t i = 0; i < n; i++) {
		const struct cm__pat *p = &pats[i];
		for (uint32_t k = 0; k < p->nattrs; k++)
			intern(&freq, p->type, p->attrs[k].name,
			       p->attrs[k].value)->count++;
		if (p->by)
			intern(&freq, p->type, "by", p->by)->count++;
	}
	/* 2. file every pattern under its chosen key */
	if (table_init(x, &x->t, (uint64_t)n + 1) != 0)
		goto fail;
	const char **cn = cm__realloc(tmp, NULL, sizeof(*cn), n ? n : 1, "k");
	const char **cv = cm__realloc(tmp, NULL, sizeof(*cv), n ? n : 1, "k");
	x->ids = cm__realloc(x, NULL, sizeof(*x->ids), n ? n : 1, "ids");
	if (!cn || !cv || !x->ids)
		goto fail;
	for (uint32_t i = 0; i < n; i++) {
		choose(&freq, &pats[i], &cn[i], &cv[i]);
		intern(&x->t, pats[i].type, cn[i], cv[i])->count++;
	}
	uint32_t at = 0;
	for (uint32_t i = 0; i <= x->t.mask; i++) {
		struct slot *s = &x->t.v[i];
		if (!s->type)
			continue;
		s->start = at;
		at += s->count;
	}
	for (uint32_t i = 0; i < n; i++) {
		struct slot *s = lookup(&x->t, key_hash(pats[i].type, cn[i], cv[i]),
					pats[i].type, cn[i], cv[i]);
		x->ids[s->start + s->fill++] = i;
	}
	cm__free(tmp);
	*out = x;
	return 0;
fail:
	cm__free(tmp);
	cm__free(x);
	return -1;
}

static const char *event_attr(const struct cm_event *ev, const char *name)
{
	for (uint32_t k = 0; k < ev->act.nattrs; k++)
		if (strcmp(ev->act.attrs[k].name, name) == 0)
			return ev->act.attrs[k].value;
	return NULL;
}

bool cm__pat_matches(const struct cm__pat *p, const struct cm_event *ev)
{
	if (strcmp(p->type, ev->act.type) != 0)
		return false;
	for (uint32_t k = 0; k < p->nattrs; k++) {
		const char *v = event_attr(ev, p->attrs[k].name);
		if (!v || strcmp(v, p->attrs[k].value) != 0)
			return false;
	}
	if (p->by) {
		const char *v = event_attr(ev, "by");
		if (!v || strcmp(v, p->by) != 0)
			return false;
	}
	return true;
}

static int push(const void *owner, uint32_t **hits, uint32_t *cap,
		uint32_t n, uint32_t id)
{
	if (n == *cap) {
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

int64_t cm__mindex_match(const struct cm__mindex *x, const struct cm_event *ev,
			 const void *owner, uint32_t **hits, uint32_t *cap)
{
	uint32_t n = 0;
	const char *type = ev->act.type;
	uint32_t th = fnv(2166136261u, type);
	for (uint32_t k = 0; k <= ev->act.nattrs; k++) {
		struct slot *s;
		if (k == ev->act.nattrs) {
			s = lookup(&x->t, th ^ 0x9e3779b9u, type, NULL, NULL);
		} else {
			const struct cm__attr *a = &ev->act.attrs[k];
			uint32_t h = (th ^ 0x1f) * 16777619u;
			h = fnv(h, a->name);
			h = (h ^ 0x1f) * 16777619u;
			h = fnv(h, a->value);
			s = lookup(&x->t, h, type, a->name, a->value);
		}
		if (!s)
			continue;
		for (uint32_t j = 0; j < s->count; j++)
			if (push(owner, hits, cap, n++, x->ids[s->start + j]) != 0)
				return -1;
	}
	return n;
}
