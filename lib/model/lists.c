/*
 * The model's arena-backed lists (names, signatures, condition items,
 * rules, events) and the deep copies of rules, actions and events.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "model/model.h"

/* ---- list helpers --------------------------------------------------- */

int cm__names_add(struct cm__arena *ar, struct cm__names *l, const char *s,
		  struct cm__pos pos)
{
	struct cm__name *v = cm__arena_grow(ar, l->v, sizeof(*v), l->n, &l->cap);
	if (!v)
		return -1;
	l->v = v;
	const char *copy = cm__arena_strdup(ar, s);
	if (!copy)
		return -1;
	v[l->n].s = copy;
	v[l->n].pos = pos;
	l->n++;
	return 0;
}

int cm__sigs_add(struct cm__arena *ar, struct cm__sigs *l, const char *party,
		 struct cm__pos pos, cm_time on)
{
	struct cm__sig *v = cm__arena_grow(ar, l->v, sizeof(*v), l->n, &l->cap);
	if (!v)
		return -1;
	l->v = v;
	const char *copy = cm__arena_strdup(ar, party);
	if (!copy)
		return -1;
	v[l->n] = (struct cm__sig){{copy, pos}, on, NULL};
	l->n++;
	return 0;
}

int cm__cond_items_add(struct cm__arena *ar, struct cm__cond_items *l,
		       struct cm_condition *c, struct cm__pos pos)
{
	struct cm__cond_item *v =
		cm__arena_grow(ar, l->v, sizeof(*v), l->n, &l->cap);
	if (!v)
		return -1;
	l->v = v;
	v[l->n].cond = c;
	v[l->n].pos = pos;
	l->n++;
	return 0;
}

int cm__rules_add(struct cm__arena *ar, struct cm__rules *l,
		  const struct cm__rule *r)
{
	struct cm__rule *v = cm__arena_grow(ar, l->v, sizeof(*v), l->n, &l->cap);
	if (!v)
		return -1;
	l->v = v;
	if (cm__rule_copy(ar, &v[l->n], r) != 0)
		return -1;
	l->n++;
	return 0;
}

static const char *dup_or_null(struct cm__arena *ar, const char *s, bool *fail)
{
	if (!s)
		return NULL;
	const char *c = cm__arena_strdup(ar, s);
	if (!c)
		*fail = true;
	return c;
}

static int names_copy(struct cm__arena *ar, struct cm__names *dst,
		      const struct cm__names *src)
{
	memset(dst, 0, sizeof(*dst));
	for (uint32_t i = 0; i < src->n; i++)
		if (cm__names_add(ar, dst, src->v[i].s, src->v[i].pos) != 0)
			return -1;
	return 0;
}

int cm__rule_copy(struct cm__arena *ar, struct cm__rule *dst,
		  const struct cm__rule *src)
{
	bool fail = false;
	struct cm__rule r = *src;
	if (names_copy(ar, &r.ids, &src->ids) != 0)
		return -1;
	if (src->nkinds) {
		r.kinds = cm__arena_alloc(ar, src->nkinds);
		if (!r.kinds)
			return -1;
		memcpy(r.kinds, src->kinds, src->nkinds);
	}
	r.sel_id.s = dup_or_null(ar, src->sel_id.s, &fail);
	r.use.s = dup_or_null(ar, src->use.s, &fail);
	r.policy = dup_or_null(ar, src->policy, &fail);
	if (fail)
		return -1;
	*dst = r;
	return 0;
}

int cm__action_copy(struct cm__arena *ar, struct cm__action *dst,
		    const struct cm__action *src)
{
	struct cm__action a = *src;
	bool fail = false;
	a.type = dup_or_null(ar, src->type, &fail);
	a.attrs = NULL;
	if (src->nattrs) {
		a.attrs = cm__arena_alloc(ar, src->nattrs * sizeof(*a.attrs));
		if (!a.attrs)
			return -1;
		for (uint32_t i = 0; i < src->nattrs; i++) {
			a.attrs[i] = src->attrs[i];
			a.attrs[i].name = dup_or_null(ar, src->attrs[i].name, &fail);
			a.attrs[i].value =
				dup_or_null(ar, src->attrs[i].value, &fail);
		}
	}
	if (fail)
		return -1;
	*dst = a;
	return 0;
}

int cm__events_add(struct cm__arena *ar, struct cm__events *l,
		   const struct cm_event *e)
{
	struct cm_event *v = cm__arena_grow(ar, l->v, sizeof(*v), l->n, &l->cap);
	if (!v)
		return -1;
	l->v = v;
	struct cm_event c = *e;
	bool fail = false;
	if (cm__action_copy(ar, &c.act, &e->act) != 0 ||
	    names_copy(ar, &c.reported, &e->reported) != 0 ||
	    names_copy(ar, &c.denied, &e->denied) != 0 ||
	    names_copy(ar, &c.verified, &e->verified) != 0)
		return -1;
	c.note = dup_or_null(ar, e->note, &fail);
	c.file = dup_or_null(ar, e->file, &fail);
	if (fail)
		return -1;
	v[l->n++] = c;
	return 0;
}
