/*
 * Structural analysis (SPEC §5): the symbolic run, deadlocks of mutual
 * `if` conditions, and the reciprocity balance; the result's accessors.
 * The JSON and text writers live in analysis-report.c.
 *
 * The symbolic run: every date counts as reached, no deadline or `until`
 * passes, and no event occurs except that each `must` with an action is
 * fulfilled, the moment it becomes active, by a synthetic event (its
 * pattern plus `by: debtor`). Conditions are evaluated as the monitor does
 * (SPEC §4) over those events, all at one instant (so windows hold).
 * Re-evaluation follows the monitor's rule — passes in declaration order,
 * updating as it goes, until a pass changes nothing — but only the
 * commitments whose inputs changed are looked at again (a pass is a heap
 * of dirty indexes), so a chain of 100,000 is linear, not quadratic.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis-private.h"
#include "util/scc.h"
#include "check/resolve.h"

static const struct cm__pos NOPOS = {0, 0};

/* ---- condition atoms ------------------------------------------------- */

/* Does pattern @p p match the synthetic event of must @p m? */
static bool pattern_matches(const struct cm__action *p,
			    const struct cm_commitment *m)
{
	const struct cm__action *e = &m->action;
	if (strcmp(p->type, e->type) != 0)
		return false;
	for (uint32_t i = 0; i < p->nattrs; i++) {
		const char *want = p->attrs[i].value;
		const char *have = NULL;
		for (uint32_t j = 0; j < e->nattrs; j++)
			if (strcmp(e->attrs[j].name, p->attrs[i].name) == 0) {
				have = e->attrs[j].value;
				break;
			}
		if (!have && strcmp(p->attrs[i].name, "by") == 0)
			have = m->debtor.s; /* the event carries `by: debtor` */
		if (!have || strcmp(have, want) != 0)
			return false;
	}
	return true;
}

bool cm__analysis_is_wait_atom(const struct cm_condition *c, bool negated)
{
	if (c->type != CM_CT_STATE)
		return false;
	if (negated)
		return c->which == CM_STATE_PENDING;
	return c->which == CM_STATE_ACTIVE || c->which == CM_STATE_SUSPENDED ||
	       c->which == CM_STATE_FULFILLED;
}

/* ---- the run ---------------------------------------------------------- */

struct run {
	const struct cm_agreement *a;
	uint32_t n;
	int8_t *state;  /* enum cm_state per commitment */
	/* reverse state dependencies (CSR): who reads commitment j's state */
	uint32_t *rdep_off, *rdep;
	/* synthetic events: the fulfilled musts, grouped by action type */
	struct cm__map types;   /* type -> (group index + 1) */
	uint32_t ngroups;
	struct group *groups;
	/* the pass scheduler */
	uint32_t *cur, ncur, *next, nnext;
	uint8_t *mark; /* 0 none, 1 in cur, 2 in next */
	int64_t pos;   /* index being evaluated in this pass, -1 between */
};

/* Commitments fulfilled with one action type, and those whose
 * conditions mention that type (they are looked at again when one more
 * event of the type happens). */
struct group {
	uint32_t *events, nevents, events_cap;
	uint32_t *listeners, nlisteners, listeners_cap;
};

static bool eval(const struct run *r, const struct cm_condition *c);

static uint32_t count_matches(const struct run *r, const struct cm__action *p)
{
	uintptr_t g = (uintptr_t)cm__map_get(&r->types, p->type);
	if (!g)
		return 0;
	const struct group *gr = &r->groups[g - 1];
	uint32_t k = 0;
	for (uint32_t i = 0; i < gr->nevents; i++)
		if (pattern_matches(p, r->a->commitments[gr->events[i]]))
			k++;
	return k;
}

static bool compare(int64_t x, int cmp, int64_t n)
{
	switch (cmp) {
	case CM_CMP_GE: return x >= n;
	case CM_CMP_GT: return x > n;
	case CM_CMP_LE: return x <= n;
	case CM_CMP_LT: return x < n;
	case CM_CMP_EQ: return x == n;
	default: return x != n;
	}
}

static bool eval(const struct run *r, const struct cm_condition *c)
{
	switch (c->type) {
	case CM_CT_TRUE:
		return true;
	case CM_CT_FALSE:
		return false;
	case CM_CT_NOT:
		return !eval(r, c->kids[0]);
	case CM_CT_AND:
		for (uint32_t i = 0; i < c->nkids; i++)
			if (!eval(r, c->kids[i]))
				return false;
		return true;
	case CM_CT_OR:
		for (uint32_t i = 0; i < c->nkids; i++)
			if (eval(r, c->kids[i]))
				return true;
		return false;
	case CM_CT_ACTION:
		return count_matches(r, &c->act) > 0;
	case CM_CT_COUNT:
		return compare(count_matches(r, &c->act), c->cmp, c->n);
	case CM_CT_STATE:
		return c->target && r->state[c->target->index] == c->which;
	case CM_CT_FORM:
		if (!c->target)
			return false;
		if (c->which == CM_FORM_ATOM_WRITTEN)
			return cm__effective_form(c->target) == CM_FORM_WRITTEN;
		return c->target->debtor_p &&
		       cm__signed_by(c->target, c->target->debtor_p);
	}
	return false;
}

/* The state commitment @p c should have now, from its current one. */
static int step(const struct run *r, const struct cm_commitment *c)
{
	int s = r->state[c->index];
	if (s == CM_STATE_FULFILLED)
		return s;
	if (s == CM_STATE_PENDING)
		for (uint32_t i = 0; i < c->ifs.n; i++)
			if (!eval(r, c->ifs.v[i].cond))
				return s;
	/* triggered: the guards decide (no reciprocal target is ever
	 * violated in this run, so reciprocity never suspends) */
	bool ok = true;
	for (uint32_t i = 0; ok && i < c->whiles.n; i++)
		ok = eval(r, c->whiles.v[i].cond);
	for (uint32_t i = 0; ok && i < c->unlesses.n; i++)
		ok = !eval(r, c->unlesses.v[i].cond);
	if (!ok)
		return CM_STATE_SUSPENDED;
	if (c->modality == CM_MUST && c->is_action)
		return CM_STATE_FULFILLED;
	return CM_STATE_ACTIVE;
}

/* Visit every atom of a condition (bounded depth: the parser limits
 * nesting). */
int cm__analysis_walk(const struct cm_condition *c, bool negated,
		      cm__atom_fn fn, void *ctx)
{
	switch (c->type) {
	case CM_CT_NOT:
		return cm__analysis_walk(c->kids[0], !negated, fn, ctx);
	case CM_CT_AND:
	case CM_CT_OR:
		for (uint32_t i = 0; i < c->nkids; i++) {
			int rc = cm__analysis_walk(c->kids[i], negated, fn,
						   ctx);
			if (rc)
				return rc;
		}
		return 0;
	default:
		return fn(ctx, c, negated);
	}
}

/* Walk every condition item of a commitment. */
static int walk_items(const struct cm_commitment *c, bool ifs_only,
		      cm__atom_fn fn, void *ctx)
{
	const struct cm__cond_items *lists[3] = {&c->ifs, &c->whiles,
						 &c->unlesses};
	for (int k = 0; k < (ifs_only ? 1 : 3); k++)
		for (uint32_t i = 0; i < lists[k]->n; i++) {
			int rc = cm__analysis_walk(lists[k]->v[i].cond, false,
						   fn, ctx);
			if (rc)
				return rc;
		}
	return 0;
}

struct deps_ctx {
	struct run *r;
	uint32_t self;
	bool fill;
	uint32_t *fillpos;
};

static struct group *group_for(struct run *r, void *owner, const char *type)
{
	uintptr_t g = (uintptr_t)cm__map_get(&r->types, type);
	if (g)
		return &r->groups[g - 1];
	if (r->ngroups == UINT32_MAX)
		return NULL;
	struct group *v = cm__realloc(owner, r->groups, sizeof(*v),
				      (size_t)r->ngroups + 1, "groups");
	if (!v)
		return NULL;
	r->groups = v;
	memset(&v[r->ngroups], 0, sizeof(v[0]));
	if (cm__map_put(&r->types, owner, type,
			(void *)(uintptr_t)(r->ngroups + 1)) != 0)
		return NULL;
	return &v[r->ngroups++];
}

static int push_u32(void *owner, uint32_t **v, uint32_t *n, uint32_t *cap,
		    uint32_t x)
{
	if (*n == *cap) {
		if (*cap > UINT32_MAX / 2)
			return -1;
		uint32_t nc = *cap ? *cap * 2 : 4;
		uint32_t *nv = cm__realloc(owner, *v, sizeof(**v), nc, "u32");
		if (!nv)
			return -1;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = x;
	return 0;
}

struct listen_ctx {
	struct run *r;
	void *owner;
	uint32_t self;
};

static int add_listener(void *vctx, const struct cm_condition *atom,
			bool negated)
{
	struct listen_ctx *x = vctx;
	if (atom->type != CM_CT_ACTION && atom->type != CM_CT_COUNT)
		return 0;
	struct group *g = group_for(x->r, x->owner, atom->act.type);
	if (!g)
		return -1;
	if (g->nlisteners && g->listeners[g->nlisteners - 1] == x->self)
		return 0;
	return push_u32(x->owner, &g->listeners, &g->nlisteners,
			&g->listeners_cap, x->self);
}

static int count_dep(void *vctx, const struct cm_condition *atom, bool negated)
{
	struct deps_ctx *x = vctx;
	if (atom->type != CM_CT_STATE || !atom->target)
		return 0;
	uint32_t t = atom->target->index;
	if (x->fill)
		x->r->rdep[x->fillpos[t]++] = x->self;
	else
		x->r->rdep_off[t + 1]++;
	return 0;
}

static int run_init(struct run *r, void *tmp, const struct cm_agreement *a)
{
	memset(r, 0, sizeof(*r));
	r->a = a;
	r->n = a->ncommitments;
	size_t n = r->n;
	cm__map_init(&r->types);
	r->state = cm__zalloc(tmp, n + 1, "state");
	r->rdep_off = cm__zalloc(tmp, (n + 2) * sizeof(uint32_t), "rdep_off");
	uint32_t *fillpos = cm__zalloc(tmp, (n + 1) * sizeof(uint32_t), "pos");
	r->cur = cm__zalloc(tmp, (n + 1) * sizeof(uint32_t), "cur");
	r->next = cm__zalloc(tmp, (n + 1) * sizeof(uint32_t), "next");
	r->mark = cm__zalloc(tmp, n + 1, "mark");
	if (!r->state || !r->rdep_off || !fillpos || !r->cur || !r->next ||
	    !r->mark)
		return -1;
	/* reverse state dependencies, counted then filled */
	struct deps_ctx d = {r, 0, false, fillpos};
	for (uint32_t i = 0; i < r->n; i++) {
		d.self = i;
		walk_items(a->commitments[i], false, count_dep, &d);
	}
	for (size_t i = 0; i < n; i++)
		r->rdep_off[i + 1] += r->rdep_off[i];
	r->rdep = cm__zalloc(tmp, ((size_t)r->rdep_off[n] + 1) *
			     sizeof(uint32_t), "rdep");
	if (!r->rdep)
		return -1;
	memcpy(fillpos, r->rdep_off, n * sizeof(uint32_t));
	d.fill = true;
	for (uint32_t i = 0; i < r->n; i++) {
		d.self = i;
		walk_items(a->commitments[i], false, count_dep, &d);
	}
	/* who listens to which action type */
	struct listen_ctx l = {r, tmp, 0};
	for (uint32_t i = 0; i < r->n; i++) {
		l.self = i;
		if (walk_items(a->commitments[i], false, add_listener, &l))
			return -1;
	}
	for (uint32_t i = 0; i < r->n; i++) {
		r->state[i] = CM_STATE_PENDING;
		r->cur[i] = i; /* sorted: a valid min-heap */
		r->mark[i] = 1;
	}
	r->ncur = r->n;
	r->pos = -1;
	return 0;
}

static void heap_push(uint32_t *h, uint32_t *n, uint32_t x)
{
	uint32_t i = (*n)++;
	while (i > 0) {
		uint32_t p = (i - 1) / 2;
		if (h[p] <= x)
			break;
		h[i] = h[p];
		i = p;
	}
	h[i] = x;
}

static uint32_t heap_pop(uint32_t *h, uint32_t *n)
{
	uint32_t top = h[0];
	uint32_t x = h[--(*n)];
	uint32_t i = 0;
	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && h[c + 1] < h[c])
			c++;
		if (h[c] >= x)
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n)
		h[i] = x;
	return top;
}

/* Commitment @p d must be looked at again: later in this pass when it
 * comes after the one being evaluated, else in the next pass. */
static void schedule(struct run *r, uint32_t d)
{
	if ((int64_t)d > r->pos) {
		if (r->mark[d] != 1) {
			r->mark[d] = 1;
			heap_push(r->cur, &r->ncur, d);
		}
	} else if (r->mark[d] == 0) {
		r->mark[d] = 2;
		heap_push(r->next, &r->nnext, d);
	}
}

static int run_fixpoint(struct run *r, void *tmp)
{
	for (;;) {
		if (r->ncur == 0) {
			if (r->nnext == 0)
				return 0;
			uint32_t *t = r->cur;
			r->cur = r->next;
			r->ncur = r->nnext;
			r->next = t;
			r->nnext = 0;
			for (uint32_t i = 0; i < r->ncur; i++)
				r->mark[r->cur[i]] = 1;
			r->pos = -1;
		}
		uint32_t i = heap_pop(r->cur, &r->ncur);
		r->mark[i] = 0;
		r->pos = i;
		const struct cm_commitment *c = r->a->commitments[i];
		int s = step(r, c);
		if (s == r->state[i])
			continue;
		r->state[i] = (int8_t)s;
		for (uint32_t k = r->rdep_off[i]; k < r->rdep_off[i + 1]; k++)
			schedule(r, r->rdep[k]);
		if (s == CM_STATE_FULFILLED) {
			struct group *g = group_for(r, tmp, c->action.type);
			if (!g || push_u32(tmp, &g->events, &g->nevents,
					   &g->events_cap, i) != 0)
				return -1;
			for (uint32_t k = 0; k < g->nlisteners; k++)
				schedule(r, g->listeners[k]);
		}
	}
}

/* ---- deadlocks ------------------------------------------------------- */

struct graph {
	uint32_t n;
	uint32_t *off, *adj;   /* X -> Y: X's trigger waits on Y */
	uint32_t *roff, *radj; /* reversed */
};

struct edge_ctx {
	const struct run *r;
	struct graph *g;
	uint32_t self;
	uint32_t *fillpos; /* NULL: count */
};

static int edge_atom(void *vctx, const struct cm_condition *atom, bool negated)
{
	struct edge_ctx *x = vctx;
	if (!atom->target || !cm__analysis_is_wait_atom(atom, negated))
		return 0;
	uint32_t t = atom->target->index;
	if (x->r->state[t] != CM_STATE_PENDING)
		return 0;
	if (x->fillpos) {
		x->g->adj[x->fillpos[x->self]++] = t;
		x->g->radj[x->fillpos[x->g->n + 1 + t]++] = x->self;
	} else {
		x->g->off[x->self + 1]++;
		x->g->roff[t + 1]++;
	}
	return 0;
}

static int graph_build(struct graph *g, const struct run *r, void *tmp)
{
	size_t n = r->n;
	g->n = r->n;
	g->off = cm__zalloc(tmp, (n + 1) * sizeof(uint32_t), "off");
	g->roff = cm__zalloc(tmp, (n + 1) * sizeof(uint32_t), "roff");
	uint32_t *fillpos = cm__zalloc(tmp, (2 * n + 2) * sizeof(uint32_t),
				       "fill");
	if (!g->off || !g->roff || !fillpos)
		return -1;
	struct edge_ctx x = {r, g, 0, NULL};
	for (uint32_t i = 0; i < r->n; i++) {
		if (r->state[i] != CM_STATE_PENDING)
			continue;
		x.self = i;
		walk_items(r->a->commitments[i], true, edge_atom, &x);
	}
	for (size_t i = 0; i < n; i++) {
		g->off[i + 1] += g->off[i];
		g->roff[i + 1] += g->roff[i];
	}
	g->adj = cm__zalloc(tmp, ((size_t)g->off[n] + 1) * sizeof(uint32_t),
			    "adj");
	g->radj = cm__zalloc(tmp, ((size_t)g->off[n] + 1) * sizeof(uint32_t),
			     "radj");
	if (!g->adj || !g->radj)
		return -1;
	memcpy(fillpos, g->off, n * sizeof(uint32_t));
	memcpy(fillpos + n + 1, g->roff, n * sizeof(uint32_t));
	x.fillpos = fillpos;
	for (uint32_t i = 0; i < r->n; i++) {
		if (r->state[i] != CM_STATE_PENDING)
			continue;
		x.self = i;
		walk_items(r->a->commitments[i], true, edge_atom, &x);
	}
	return 0;
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

static int find_deadlocks(struct cm_analysis *an, const struct run *r,
			  void *tmp)
{
	struct graph g;
	memset(&g, 0, sizeof(g));
	if (graph_build(&g, r, tmp) != 0)
		return -1;
	size_t n = r->n;
	uint32_t *comp = cm__zalloc(tmp, (n + 1) * sizeof(uint32_t), "comp");
	int64_t nc = comp ? cm__scc(tmp, g.n, g.off, g.adj, comp) : -1;
	uint32_t ncomp = nc > 0 ? (uint32_t)nc : 0;
	if (nc < 0)
		return -1;
	/* size of each component, whether it holds a cycle, and its first
	 * member (in declaration order) */
	uint32_t *size = cm__zalloc(tmp, ((size_t)ncomp + 1) * 4, "size");
	uint32_t *first = cm__zalloc(tmp, ((size_t)ncomp + 1) * 4, "first");
	uint8_t *cyclic = cm__zalloc(tmp, (size_t)ncomp + 1, "cyclic");
	uint32_t *stamp = cm__zalloc(tmp, (n + 1) * sizeof(uint32_t), "stamp");
	uint32_t *queue = cm__zalloc(tmp, (n + 1) * sizeof(uint32_t), "queue");
	if (!size || !first || !cyclic || !stamp || !queue)
		return -1;
	for (uint32_t v = 0; v < r->n; v++) {
		if (r->state[v] != CM_STATE_PENDING)
			continue;
		uint32_t c = comp[v];
		if (size[c]++ == 0)
			first[c] = v;
		for (uint32_t k = g.off[v]; k < g.off[v + 1]; k++)
			if (g.adj[k] == v)
				cyclic[c] = 1;
	}
	for (uint32_t c = 0; c < ncomp; c++)
		if (size[c] > 1)
			cyclic[c] = 1;
	/* deadlocks in the order of their first member */
	uint32_t nd = 0;
	for (uint32_t v = 0; v < r->n; v++)
		if (r->state[v] == CM_STATE_PENDING && cyclic[comp[v]] &&
		    first[comp[v]] == v)
			nd++;
	an->deadlocks = cm__zalloc(an, ((size_t)nd + 1) *
				   sizeof(*an->deadlocks), "deadlocks");
	if (!an->deadlocks)
		return -1;
	for (uint32_t v = 0; v < r->n; v++) {
		if (r->state[v] != CM_STATE_PENDING || !cyclic[comp[v]] ||
		    first[comp[v]] != v)
			continue;
		uint32_t c = comp[v];
		struct cm__deadlock *d = &an->deadlocks[an->ndeadlocks++];
		d->cycle = cm__zalloc(an, (size_t)size[c] * 4, "cycle");
		if (!d->cycle)
			return -1;
		/* members: every node of the component, found from v by the
		 * reverse edges (all of them reach v) */
		uint32_t mark = an->ndeadlocks;
		uint32_t qh = 0, qt = 0;
		queue[qt++] = v;
		stamp[v] = mark;
		while (qh < qt) {
			uint32_t x = queue[qh++];
			if (comp[x] == c)
				d->cycle[d->ncycle++] = x;
			for (uint32_t k = g.roff[x]; k < g.roff[x + 1]; k++) {
				uint32_t y = g.radj[k];
				if (stamp[y] != mark) {
					stamp[y] = mark;
					queue[qt++] = y;
				}
			}
		}
		qsort(d->cycle, d->ncycle, sizeof(uint32_t), cmp_u32);
		d->blocked = cm__zalloc(an, (size_t)qt * 4, "blocked");
		if (!d->blocked)
			return -1;
		memcpy(d->blocked, queue, (size_t)qt * 4);
		d->nblocked = qt;
		qsort(d->blocked, d->nblocked, sizeof(uint32_t), cmp_u32);
	}
	return 0;
}

/* ---- balance --------------------------------------------------------- */

struct named_ctx {
	const struct cm_commitment *self;
	uint8_t *named;
};

static int name_atom(void *vctx, const struct cm_condition *atom,
		     bool negated)
{
	struct named_ctx *x = vctx;
	if ((atom->type == CM_CT_STATE || atom->type == CM_CT_FORM) &&
	    atom->target && atom->target->debtor_p != x->self->debtor_p)
		x->named[atom->target->index] = 1;
	return 0;
}

static bool is_obligation(const struct cm_commitment *c)
{
	return c->modality != CM_MAY;
}

static int find_balance(struct cm_analysis *an, const struct cm_agreement *a,
			void *tmp)
{
	size_t n = a->ncommitments;
	uint8_t *named = cm__zalloc(tmp, n + 1, "named");
	if (!named)
		return -1;
	/* named by another party's commitment, whatever its standing
	 * (SPEC §5 asks no more): in a reciprocal link or in a condition */
	for (uint32_t i = 0; i < a->ncommitments; i++) {
		const struct cm_commitment *c = a->commitments[i];
		for (uint32_t k = 0; k < c->reciprocal.n; k++) {
			const struct cm_commitment *t = c->recip ? c->recip[k]
								 : NULL;
			if (t && t->debtor_p != c->debtor_p)
				named[t->index] = 1;
		}
		struct named_ctx x = {c, named};
		walk_items(c, false, name_atom, &x);
	}
	uint32_t np = 0;
	for (uint32_t k = 0; k < a->nparties; k++)
		if (a->parties[k]->role == CM_ROLE_PARTY)
			np++;
	an->parties = cm__zalloc(an, ((size_t)np + 1) * sizeof(*an->parties),
				 "balance");
	if (!an->parties)
		return -1;
	for (uint32_t k = 0; k < a->nparties; k++) {
		const struct cm_party *p = a->parties[k];
		if (p->role != CM_ROLE_PARTY)
			continue;
		struct cm__balance *b = &an->parties[an->nparties++];
		b->party = cm__strdup(an, p->id);
		if (!b->party)
			return -1;
		uint32_t no = 0, nh = 0;
		for (uint32_t i = 0; i < a->ncommitments; i++) {
			const struct cm_commitment *c = a->commitments[i];
			if (c->debtor_p != p ||
			    c->standing != CM_STANDING_AGREED)
				continue;
			if (is_obligation(c))
				no++;
			else
				nh++;
		}
		b->owes = cm__zalloc(an, (size_t)no * 4 + 4, "owes");
		b->holds = cm__zalloc(an, (size_t)nh * 4 + 4, "holds");
		b->unrecip = cm__zalloc(an, (size_t)no * 4 + 4, "unrecip");
		if (!b->owes || !b->holds || !b->unrecip)
			return -1;
		for (uint32_t i = 0; i < a->ncommitments; i++) {
			const struct cm_commitment *c = a->commitments[i];
			if (c->debtor_p != p ||
			    c->standing != CM_STANDING_AGREED)
				continue;
			if (!is_obligation(c)) {
				b->holds[b->nholds++] = i;
				continue;
			}
			b->owes[b->nowes++] = i;
			if (c->reciprocal.n == 0 && !named[i])
				b->unrecip[b->nunrecip++] = i;
		}
	}
	return 0;
}

/* ---- entry point ------------------------------------------------------ */

CM_EXPORT int cm_analyze(void *mem_ctx, cm_agreement *a, cm_analysis **out,
			 cm_error *err)
{
	if (!a || !out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	int rc = cm__agreement_resolve(a, err);
	if (rc != CM_OK)
		return rc;
	void *tmp = cm__ctx_new(NULL, "cm_analyze");
	if (!tmp)
		return cm__enomem(err);
	struct cm_analysis *an = cm__zalloc(tmp, sizeof(*an), "cm_analysis");
	if (!an)
		goto nomem;
	an->id = cm__strdup(an, a->id);
	an->title = a->title ? cm__strdup(an, a->title) : NULL;
	an->n = a->ncommitments;
	an->ids = cm__zalloc(an, ((size_t)an->n + 1) * sizeof(char *), "ids");
	an->state = cm__zalloc(an, (size_t)an->n + 1, "states");
	if (!an->id || (a->title && !an->title) || !an->ids || !an->state)
		goto nomem;
	for (uint32_t i = 0; i < an->n; i++) {
		/* ids live in the agreement's arena: copy them */
		an->ids[i] = cm__strdup(an->ids, a->commitments[i]->id);
		if (!an->ids[i])
			goto nomem;
	}
	struct run r;
	if (run_init(&r, tmp, a) != 0 || run_fixpoint(&r, tmp) != 0)
		goto nomem;
	memcpy(an->state, r.state, an->n);
	if (find_deadlocks(an, &r, tmp) != 0 || find_balance(an, a, tmp) != 0)
		goto nomem;
	*out = cm__steal(mem_ctx, an);
	cm__free(tmp);
	return CM_OK;
nomem:
	cm__free(tmp);
	return cm__enomem(err);
}
