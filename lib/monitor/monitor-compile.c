/*
 * The monitor, once per agreement and view: conditions compiled into
 * small trees, identical event atoms shared, dependents known, the event
 * index built (match.c); cm_monitor_new() and its getters.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "monitor/monitor-engine.h"
#include "check/resolve.h"

static const struct cm__pos NOPOS = {0, 0};

/* ---- compiling the agreement ----------------------------------------- */

static uint32_t index_of(const struct cm_agreement *a,
			 const struct cm_commitment *c)
{
	if (c->index < a->ncommitments && a->commitments[c->index] == c)
		return c->index;
	for (uint32_t i = 0; i < a->ncommitments; i++)
		if (a->commitments[i] == c)
			return i;
	return 0;
}

static int add_dep(struct cm_monitor *m, uint32_t target, uint32_t i)
{
	struct mcom *k = &m->com[target];
	return cm__u32_add_once(&m->ar, &k->deps, &k->ndeps, &k->depcap, i);
}

static int add_pat(struct cm_monitor *m, const struct cm__action *act,
		   const char *by, bool is_atom, uint32_t idx)
{
	if (m->npats == m->patcap) {
		if (m->patcap > UINT32_MAX / 2)
			return -1;
		uint32_t nc = m->patcap ? m->patcap * 2 : 16;
		struct cm__pat *v = cm__realloc(m, m->pats, sizeof(*v), nc,
						"pats");
		if (!v)
			return -1;
		m->pats = v;
		m->patcap = nc;
	}
	struct cm__pat *p = &m->pats[m->npats++];
	p->type = act->type;
	p->attrs = act->attrs;
	p->nattrs = act->nattrs;
	p->by = by;
	p->tag = is_atom ? idx | HIT_ATOM : idx;
	return 0;
}

/* The canonical text of an atom: type, attributes sorted by name, window
 * and kind, each part length-prefixed. */
static char *atom_key(void *ctx, const struct cm_condition *n)
{
	const struct cm__action *act = &n->act;
	uint32_t order[64];
	uint32_t k = act->nattrs < 64 ? act->nattrs : 64;
	for (uint32_t i = 0; i < k; i++) {
		uint32_t j = i;
		while (j > 0 && strcmp(act->attrs[order[j - 1]].name,
				       act->attrs[i].name) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	struct cm__buf b;
	cm__buf_init(&b, ctx);
	cm__buf_printf(&b, "%c%lld:%zu:%s", n->type == CM_CT_COUNT ? 'c' : 'a',
		       (long long)n->window, strlen(act->type), act->type);
	for (uint32_t i = 0; i < k; i++) {
		const struct cm__attr *x = &act->attrs[order[i]];
		/* a comparison (SPEC §8.5) is not the value it names */
		cm__buf_printf(&b, "%zu:%s%u%zu:%s", strlen(x->name), x->name,
			       (unsigned)x->cmp, strlen(x->value), x->value);
	}
	if (act->nattrs > 64) /* never shared: unique suffix */
		cm__buf_printf(&b, "#%p", (const void *)n);
	char *out;
	return cm__buf_finish(&b, ctx, &out) == 0 ? out : NULL;
}

static int atom_owner(struct cm_monitor *m, uint32_t a, uint32_t owner,
		      bool in_if)
{
	struct atom_def *d = &m->adef[a];
	for (uint32_t j = 0; j < d->nowners; j++)
		if (d->owners[j].c == owner) {
			d->owners[j].if_only = d->owners[j].if_only && in_if;
			return 0;
		}
	struct owner *o = cm__arena_grow(&m->ar, d->owners, sizeof(*o),
					 d->nowners, &d->ocap);
	if (!o)
		return -1;
	d->owners = o;
	o[d->nowners].c = owner;
	o[d->nowners++].if_only = in_if;
	return 0;
}

/* The atom for condition node @p n (shared with identical ones). */
static int atom_of(struct cm_monitor *m, const struct cm_condition *n,
		   uint32_t owner, bool in_if, uint32_t *out)
{
	char *key = atom_key(m->keys_ctx, n);
	if (!key)
		return -1;
	uintptr_t found = (uintptr_t)cm__map_get(&m->atom_keys, key);
	if (found) {
		cm__free(key);
		*out = (uint32_t)(found - 1);
		return atom_owner(m, *out, owner, in_if);
	}
	if (m->natoms == m->adcap) {
		if (m->adcap > UINT32_MAX / 2)
			return -1;
		uint32_t nc = m->adcap ? m->adcap * 2 : 16;
		struct atom_def *v = cm__realloc(m, m->adef, sizeof(*v), nc,
						 "atoms");
		if (!v)
			return -1;
		m->adef = v;
		m->adcap = nc;
	}
	uint32_t a = m->natoms;
	memset(&m->adef[a], 0, sizeof(m->adef[a]));
	m->adef[a].is_count = n->type == CM_CT_COUNT;
	m->adef[a].window = n->window;
	if (cm__map_put(&m->atom_keys, m->keys_ctx, key,
			(void *)(uintptr_t)(a + 1)) != 0)
		return -1;
	m->natoms++;
	*out = a;
	if (add_pat(m, &n->act, NULL, true, a) != 0)
		return -1;
	return atom_owner(m, a, owner, in_if);
}

static struct mcond *compile(struct cm_monitor *m, uint32_t owner,
			     const struct cm_condition *n, bool in_if)
{
	struct mcond *x = cm__arena_alloc(&m->ar, sizeof(*x));
	if (!x)
		return NULL;
	x->type = n->type;
	x->cmp = n->cmp;
	x->which = n->which;
	x->n = n->n;
	switch (n->type) {
	case CM_CT_NOT:
	case CM_CT_AND:
	case CM_CT_OR:
		x->kids = cm__arena_alloc(&m->ar, sizeof(*x->kids) *
					  (n->nkids ? n->nkids : 1));
		if (!x->kids)
			return NULL;
		x->nkids = n->nkids;
		for (uint32_t i = 0; i < n->nkids; i++)
			if (!(x->kids[i] = compile(m, owner, n->kids[i],
						   in_if)))
				return NULL;
		break;
	case CM_CT_ACTION:
	case CM_CT_COUNT:
		if (atom_of(m, n, owner, in_if, &x->atom) != 0)
			return NULL;
		break;
	case CM_CT_STATE:
		x->target = index_of(m->a, n->target);
		if (add_dep(m, x->target, owner) != 0)
			return NULL;
		break;
	case CM_CT_BREACHED:
	case CM_CT_BREACHES:
		x->target = index_of(m->a, n->target);
		x->atom = NO_WATCH;
		if (n->window < 0 ? cm__mon_bdep(m, x->target, owner) != 0
				  : cm__mon_watch_of(m, x->target, n->window,
						     owner, &x->atom) != 0)
			return NULL;
		break;
	case CM_CT_FORM:
		x->form_val = n->which == CM_FORM_ATOM_WRITTEN
			? cm__effective_form(n->target) == CM_FORM_WRITTEN
			: n->target->debtor_p &&
				  cm__signed_by(n->target, n->target->debtor_p);
		break;
	}
	return x;
}

static int compile_list(struct cm_monitor *m, uint32_t owner,
			const struct cm__cond_items *items, bool in_if,
			struct mcond_list *out)
{
	out->n = items->n;
	if (!items->n)
		return 0;
	out->v = cm__arena_alloc(&m->ar, sizeof(*out->v) * items->n);
	if (!out->v)
		return -1;
	for (uint32_t i = 0; i < items->n; i++)
		if (!(out->v[i] = compile(m, owner, items->v[i].cond, in_if)))
			return -1;
	return 0;
}

static bool names_by(const struct cm__action *act)
{
	for (uint32_t k = 0; k < act->nattrs; k++)
		if (strcmp(act->attrs[k].name, "by") == 0)
			return true;
	return false;
}

int cm__mon_compile(struct cm_monitor *m)
{
	struct cm_agreement *a = m->a;
	cm__map_init(&m->atom_keys);
	cm__arena_init(&m->ar, m);
	m->keys_ctx = cm__ctx_new(m, "cm_monitor_atom_keys");
	if (!m->keys_ctx)
		return -1;
	m->ncom = a->ncommitments;
	m->com = cm__zalloc(m, sizeof(*m->com) * (m->ncom ? m->ncom : 1),
			    "com");
	m->cmod = cm__zalloc(m, m->ncom ? m->ncom : 1, "cmod");
	m->cdebtor = cm__realloc(m, NULL, sizeof(*m->cdebtor),
				 m->ncom ? m->ncom : 1, "cdebtor");
	if (!m->com || !m->cmod || !m->cdebtor)
		return -1;
	for (uint32_t i = 0; i < m->ncom; i++) {
		const struct cm_commitment *c = a->commitments[i];
		m->cmod[i] = (uint8_t)(c->modality |
				       (c->standing == CM_STANDING_AGREED
						? CMOD_AGREED
						: 0));
		m->cdebtor[i] = c->debtor_p ? c->debtor_p->index : UINT32_MAX;
	}
	for (uint32_t i = 0; i < m->ncom; i++) {
		const struct cm_commitment *c = a->commitments[i];
		struct mcom *k = &m->com[i];
		k->c = c;
		if (compile_list(m, i, &c->ifs, true, &k->ifs) != 0 ||
		    compile_list(m, i, &c->whiles, false, &k->whiles) != 0 ||
		    compile_list(m, i, &c->unlesses, false, &k->unlesses) != 0)
			return -1;
		if (c->reciprocal.n) {
			k->recip = cm__arena_alloc(&m->ar, sizeof(*k->recip) *
						   c->reciprocal.n);
			if (c->recip_window >= 0 && c->recip_win_n)
				k->recip_watch = cm__arena_alloc(
					&m->ar, sizeof(*k->recip_watch) *
							c->reciprocal.n);
			if (!k->recip ||
			    (c->recip_window >= 0 && c->recip_win_n &&
			     !k->recip_watch))
				return -1;
			for (uint32_t j = 0; j < c->reciprocal.n; j++) {
				uint32_t t = index_of(a, c->recip[j]);
				bool win = c->recip_window >= 0 &&
					   j >= c->recip_win_first &&
					   j - c->recip_win_first <
						   c->recip_win_n;
				if (k->recip_watch)
					k->recip_watch[j] = NO_WATCH;
				k->recip[k->nrecip++] = t;
				if (add_dep(m, t, i) != 0 ||
				    (win && cm__mon_watch_of(
						    m, t, c->recip_window, i,
						    &k->recip_watch[j]) != 0))
					return -1;
			}
		}
		if (c->is_action) {
			const char *by = NULL;
			if (c->modality != CM_MUST_PREVENT &&
			    !names_by(&c->action))
				by = c->debtor.s;
			if (add_pat(m, &c->action, by, false, i) != 0)
				return -1;
		}
	}
	if (m->ncom >= HIT_ATOM || m->natoms >= HIT_ATOM)
		return -1;
	int rc = cm__mindex_build(m, m->pats, m->npats, &m->index);
	/* the index holds what it needs */
	cm__free(m->pats);
	m->pats = NULL;
	m->npats = m->patcap = 0;
	/* the atom texts only served to share atoms */
	cm__free(m->keys_ctx);
	m->keys_ctx = NULL;
	cm__map_init(&m->atom_keys);
	return rc;
}

/* ---- the public API -------------------------------------------------- */

CM_EXPORT int cm_monitor_new(void *mem_ctx, cm_agreement *a,
			     const char *view, cm_monitor **out,
			     cm_error *err)
{
	if (!a || !out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	int rc = cm__agreement_resolve(a, err);
	if (rc != CM_OK)
		return rc;
	if (!view)
		view = "all";
	int vkind = V_PARTY;
	const struct cm_party *vp = NULL;
	if (strcmp(view, "all") == 0) {
		vkind = V_ALL;
	} else if (strcmp(view, "verified") == 0) {
		vkind = V_VERIFIED;
	} else if (!(vp = cm__find_party(a, view)) && !cm__valid_id(view)) {
		/* SPEC §8.6: a view may name a party that only some
		 * agreements of the run declare; here its reports and
		 * denials are then ignored like any undeclared id */
		return cm__error(err, CM_ENOTFOUND, NULL, NOPOS,
				 "invalid view '%s': not 'all', 'verified' or "
				 "a party id", view);
	}
	struct cm_monitor *m = cm__zalloc(NULL, sizeof(*m), "cm_monitor");
	if (!m)
		return cm__enomem(err);
	m->a = a;
	m->vkind = vkind;
	m->vparty = vp;
	m->view = cm__strdup(m, view);
	/* room for every pattern to match one event, so that applying an
	 * event (live feeding, a snapshot's flush) rarely needs memory */
	if (m->view && cm__mon_compile(m) == 0) {
		m->hitcap = m->npats ? m->npats : 1;
		m->hits = cm__realloc(m, NULL, sizeof(*m->hits), m->hitcap,
				      "hits");
	}
	if (!m->view || !m->hits || cm__mon_state_init(m) != 0) {
		cm__free(m);
		return cm__enomem(err);
	}
	*out = cm__steal(mem_ctx, m);
	return CM_OK;
}

CM_EXPORT const char *cm_monitor_view(const cm_monitor *m)
{
	return m ? m->view : NULL;
}

CM_EXPORT cm_time cm_monitor_clock(const cm_monitor *m)
{
	return m ? m->clock : CM_TIME_NONE;
}

CM_EXPORT cm_time cm_monitor_last_event_time(const cm_monitor *m)
{
	return m ? m->last_event : CM_TIME_NONE;
}
