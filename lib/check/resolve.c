/*
 * Validation: name resolution and every static check of SPEC §2 that
 * needs names (see docs/errors.md for the list and the messages).
 *
 * One pass over the agreement fills the resolved pointers (debtors,
 * creditors, signatures, reciprocal links, state and form atoms) and
 * notes every error it meets; the earliest in source order is reported
 * (errors without a position come after every positioned one, in the
 * order the checks meet them). Then an iterative Tarjan over the guard
 * graph finds `while`/`unless` state-reference cycles. Everything is
 * linear in the size of the agreement; nothing recurses on the data.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/model.h"
#include "model/names.h"
#include "util/scc.h"
#include "check/resolve.h"

static const struct cm__pos NOPOS = {0, 0};

/* ---- the earliest error ----------------------------------------------- */

struct rs {
	struct cm_agreement *a;
	void *tmp;        /* scratch, freed at the end */
	bool have;        /* an error is noted in @c best */
	cm_error best;
	struct cm__pos best_pos;
	uint32_t *stamp;  /* per party: "seen in this `to` list" marks */
	uint32_t stamp_now;
	const struct cm_party ***dflt; /* per party: default creditors */
	const struct cm_party **members; /* the party-role parties, in order */
	uint32_t nmembers;
	uint32_t *ndflt;
	uint64_t ndflt_total; /* entries in all the default lists */
};

/* Default creditor lists are shared per debtor, but each debtor's list
 * has every other party-role party: P debtors among P parties cost P^2.
 * Past this many entries in all, validation stops with CM_ELIMIT (the
 * input should name its creditors with `to`). */
enum { MAX_DEFAULT_CREDITORS = 1 << 22 };

/* Sort key: positioned errors by (line, column), unpositioned last. */
static bool earlier(struct cm__pos p, struct cm__pos q)
{
	if (!p.line)
		return false;
	if (!q.line)
		return true;
	return p.line < q.line || (p.line == q.line && p.col < q.col);
}

static void note(struct rs *s, int code, struct cm__pos pos, const char *fmt,
		 ...) __attribute__((format(printf, 4, 5)));

static void note(struct rs *s, int code, struct cm__pos pos, const char *fmt,
		 ...)
{
	if (s->have && !earlier(pos, s->best_pos))
		return;
	char msg[CM_ERROR_MESSAGE_SIZE];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cm__error(&s->best, code, s->a->file, pos, "%s", msg);
	s->best_pos = pos;
	s->have = true;
}

static void *scratch(struct rs *s, size_t n, size_t el)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / el)
		return NULL;
	return cm__zalloc(s->tmp, n * el, "cm_resolve");
}

/* ---- parties ---------------------------------------------------------- */

/* "a mediator", "an actor" */

/*
 * Resolve @p n as a party named in @p what; @p ctx prefixes the message
 * ("commitment 'x': "). NULL when it is not a declared party (the error
 * is noted).
 */
static const struct cm_party *party(struct rs *s, const struct cm__name *n,
				    const char *ctx, const char *what,
				    const char *suffix)
{
	const char *id = n->s ? n->s : "";
	const struct cm_party *p = cm__find_party(s->a, id);
	if (p)
		return p;
	const struct cm__id_entry *e = cm__map_get(&s->a->ids, id);
	note(s, CM_ESEMANTIC, n->pos, "%sunknown party '%s' in '%s'%s%s", ctx,
	     id, what, e ? " (it is a commitment)" : "", suffix);
	return NULL;
}

static void sigs(struct rs *s, struct cm__sigs *l, const char *ctx,
		 const char *what)
{
	for (uint32_t i = 0; i < l->n; i++)
		l->v[i].p = party(s, &l->v[i].party, ctx, what, "");
}

static void names(struct rs *s, const struct cm__names *l, const char *ctx,
		  const char *what, const char *suffix)
{
	for (uint32_t i = 0; i < l->n; i++)
		party(s, &l->v[i], ctx, what, suffix);
}

/* ---- requirements ------------------------------------------------------ */

static const char *rule_name(const struct cm__rule *r)
{
	const char *v = cm__rule_verb(r->kind);
	return v ? v : "?";
}

/*
 * The checks of one rule against @p a. Errors go to @p file, at the
 * offending token when @p at_token, else at @p at; @p suffix ends the
 * message (naming the policy).
 */
static int rule_check(const struct cm_agreement *a, const struct cm__rule *r,
		      const char *file, bool at_token, struct cm__pos at,
		      const char *suffix, cm_error *err)
{
	if (r->kind == CM__RULE_USE)
		return cm__error(err, CM_ESEMANTIC, a->file, r->use.pos,
				 "policy '%s' is not resolved (resolve the "
				 "document first)", r->use.s);
	if (r->who == CM__WHO_IDS &&
	    (r->kind == CM__RULE_SIGNED || r->kind == CM__RULE_WITNESSED ||
	     r->kind == CM__RULE_RATIFIED)) {
		for (uint32_t i = 0; i < r->ids.n; i++) {
			const char *id = r->ids.v[i].s;
			const struct cm__id_entry *e = cm__map_get(&a->ids, id);
			if (e && e->is_party)
				continue;
			return cm__error(err, CM_ESEMANTIC, file,
					 at_token ? r->ids.v[i].pos : at,
					 "unknown party '%s' in 'require %s'%s%s", id,
					 rule_name(r),
					 e ? " (it is a commitment)" : "",
					 suffix);
		}
	}
	if (r->has_for && (r->kind == CM__RULE_REGISTERED ||
			   r->kind == CM__RULE_PARTIES))
		return cm__error(err, CM_ESEMANTIC, file,
				 at_token ? r->for_pos : at,
				 "'for' on the agreement-level rule '%s': it "
				 "selects no commitments%s", rule_name(r),
				 suffix);
	if (r->selector == CM__SEL_ID && r->sel_id.s &&
	    !cm__map_get(&a->ids, r->sel_id.s))
		return cm__error(err, CM_ESEMANTIC, file,
				 at_token ? r->sel_id.pos : at,
				 "unknown party or commitment '%s' in 'for'%s",
				 r->sel_id.s, suffix);
	return CM_OK;
}

int cm__rule_resolve(const struct cm_agreement *a, const struct cm__rule *r,
		     struct cm__pos at, cm_error *err)
{
	/* A rule from a policy: its names point into the policy's text, so
	 * its errors are reported at @p at, naming the policy. */
	bool from_policy = r->policy != NULL;
	char suffix[160] = "";
	if (from_policy)
		snprintf(suffix, sizeof(suffix), " (policy '%s')", r->policy);
	return rule_check(a, r, a->file, !from_policy, at, suffix, err);
}

int cm__caller_rule_resolve(const struct cm_agreement *a,
			    const struct cm__rule *r, const char *pfile,
			    const char *pid, cm_error *err)
{
	char suffix[320];
	snprintf(suffix, sizeof(suffix),
		 " (policy '%s', checking agreement '%s')",
		 pid ? pid : "?", a->id ? a->id : "?");
	/* a policy read from a text: at the offending token of that text */
	if (pfile && r->pos.line)
		return rule_check(a, r, pfile, true, NOPOS, suffix, err);
	return rule_check(a, r, a->file, false, NOPOS, suffix, err);
}

int cm__policy_resolve(const struct cm_policy *p, cm_error *err)
{
	for (uint32_t i = 0; i < p->rules.n; i++) {
		const struct cm__rule *r = &p->rules.v[i];
		if (r->has_for && (r->kind == CM__RULE_REGISTERED ||
				   r->kind == CM__RULE_PARTIES))
			return cm__error(err, CM_ESEMANTIC, p->file, r->for_pos,
					 "'for' on the agreement-level rule "
					 "'%s': it selects no commitments "
					 "(policy '%s')", rule_name(r), p->id);
	}
	return CM_OK;
}

static void rules(struct rs *s)
{
	const struct cm__rules *l = &s->a->rules;
	for (uint32_t i = 0; i < l->n; i++) {
		/* a policy's rule expanded by cm_document_resolve carries the
		 * `use`'s line and position; one applied in code has none */
		const struct cm__rule *r = &l->v[i];
		struct cm__pos at = r->policy && r->line ? r->pos : NOPOS;
		cm_error e;
		int rc = cm__rule_resolve(s->a, r, at, &e);
		if (rc != CM_OK)
			note(s, rc, (struct cm__pos){(uint32_t)e.line,
						     (uint32_t)e.column},
			     "%s", e.message);
	}
}

/* ---- condition trees --------------------------------------------------- */

/* Pre-order, left to right, iterative: visit every STATE / FORM atom of
 * @p root in source order. @p fn returns false to stop. The explicit
 * stack lives in s->tmp; false when out of memory. */
struct walk {
	struct cm_condition **v;
	size_t n, cap;
};

static bool walk_push(struct rs *s, struct walk *w, struct cm_condition *c)
{
	if (w->n == w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 64;
		struct cm_condition **nv =
			cm__realloc(s->tmp, w->v, sizeof(*nv), ncap, "cm_walk");
		if (!nv)
			return false;
		w->v = nv;
		w->cap = ncap;
	}
	w->v[w->n++] = c;
	return true;
}

typedef bool (*atom_fn)(struct rs *s, struct cm_commitment *c,
			struct cm_condition *atom, void *arg);

/* Returns -1 out of memory, 0 stopped by @p fn, 1 done. */
static int walk(struct rs *s, struct walk *w, struct cm_condition *root,
		struct cm_commitment *c, atom_fn fn, void *arg)
{
	w->n = 0;
	if (!root)
		return 1;
	if (!walk_push(s, w, root))
		return -1;
	while (w->n) {
		struct cm_condition *n = w->v[--w->n];
		if (n->type == CM_CT_STATE || n->type == CM_CT_FORM) {
			if (!fn(s, c, n, arg))
				return 0;
			continue;
		}
		for (uint32_t k = n->nkids; k-- > 0;)
			if (n->kids[k] && !walk_push(s, w, n->kids[k]))
				return -1;
	}
	return 1;
}

static const char *atom_name(const struct cm_condition *n)
{
	if (n->type == CM_CT_FORM)
		return n->which == CM_FORM_ATOM_SIGNED ? "signed" : "written";
	const char *st = cm_state_name(n->which);
	return st ? st : "?";
}

static bool resolve_atom(struct rs *s, struct cm_commitment *c,
			 struct cm_condition *n, void *arg)
{
	(void)arg;
	const char *id = n->ref.s ? n->ref.s : "";
	const struct cm__id_entry *e = cm__map_get(&s->a->ids, id);
	n->target = e && !e->is_party ? e->u.commitment : NULL;
	if (!n->target)
		note(s, CM_ESEMANTIC, n->ref.pos,
		     "commitment '%s': unknown commitment '%s' in '%s(%s)'%s",
		     c->id, id, atom_name(n), id,
		     e ? " (it is a party)" : "");
	return true;
}

/* ---- commitments ------------------------------------------------------- */

static bool is_guard_order(const struct cm__cond_item *x,
			   const struct cm__cond_item *y)
{
	/* true when x comes before y in the source (ties: x first) */
	return !earlier(y->pos, x->pos);
}

/*
 * The guard items (`while` and `unless`) of @p c merged in source order:
 * calls @p fn on each item's atoms. Returns as walk().
 */
static int guards(struct rs *s, struct walk *w, struct cm_commitment *c,
		  atom_fn fn, void *arg)
{
	uint32_t i = 0, j = 0;
	const struct cm__cond_items *wh = &c->whiles, *un = &c->unlesses;
	while (i < wh->n || j < un->n) {
		const struct cm__cond_item *it;
		if (j >= un->n || (i < wh->n && is_guard_order(&wh->v[i],
							      &un->v[j])))
			it = &wh->v[i++];
		else
			it = &un->v[j++];
		int rc = walk(s, w, it->cond, c, fn, arg);
		if (rc <= 0)
			return rc;
	}
	return 1;
}

static int default_creditors(struct rs *s, const struct cm_party *debtor,
			     const struct cm_party ***out, uint32_t *nout)
{
	struct cm_agreement *a = s->a;
	uint32_t d = debtor->index;
	if (s->dflt[d]) {
		*out = s->dflt[d];
		*nout = s->ndflt[d];
		return 0;
	}
	if (!s->members) {
		/* once: the party-role parties in declaration order */
		s->members = scratch(s, a->nparties, sizeof(*s->members));
		if (!s->members)
			return -1;
		for (uint32_t i = 0; i < a->nparties; i++)
			if (a->parties[i]->role == CM_ROLE_PARTY)
				s->members[s->nmembers++] = a->parties[i];
	}
	/* every member but the debtor: the members before it and after it */
	uint32_t k = 0;
	if (debtor->role == CM_ROLE_PARTY)
		while (s->members[k] != debtor)
			k++;
	else
		k = s->nmembers;
	uint32_t after = k < s->nmembers ? s->nmembers - k - 1 : 0;
	uint32_t n = k + after;
	s->ndflt_total += n;
	if (s->ndflt_total > MAX_DEFAULT_CREDITORS)
		return -2;
	const struct cm_party **v =
		cm__arena_alloc_raw(&a->arena, (n ? n : 1) * sizeof(*v));
	if (!v)
		return -1;
	if (k)
		memcpy(v, s->members, k * sizeof(*v));
	if (after)
		memcpy(v + k, s->members + k + 1, after * sizeof(*v));
	s->dflt[d] = v;
	s->ndflt[d] = n;
	*out = v;
	*nout = n;
	return 0;
}

/* 0, or -1 out of memory, or -2 past MAX_DEFAULT_CREDITORS. */
static int creditors(struct rs *s, struct cm_commitment *c, const char *ctx)
{
	struct cm_agreement *a = s->a;
	c->creditors = NULL;
	c->ncreditors = 0;
	if (c->to.n == 0) {
		if (!c->debtor_p)
			return 0;
		return default_creditors(s, c->debtor_p, &c->creditors,
					 &c->ncreditors);
	}
	const struct cm_party **v =
		cm__arena_alloc(&a->arena, c->to.n * sizeof(*v));
	if (!v)
		return -1;
	uint32_t n = 0;
	s->stamp_now++;
	for (uint32_t i = 0; i < c->to.n; i++) {
		const struct cm_party *p = party(s, &c->to.v[i], ctx, "to", "");
		if (!p || s->stamp[p->index] == s->stamp_now)
			continue; /* unknown (noted) or named twice */
		s->stamp[p->index] = s->stamp_now;
		v[n++] = p;
	}
	c->creditors = v;
	c->ncreditors = n;
	return 0;
}

static const char *modality_text(int m)
{
	const char *t = cm__modality_text(m);
	return t ? t : "must";
}

/* "commitment 'ID': " into @p buf, cut like snprintf() would cut it: the
 * prefix of every message about a commitment, made once per commitment
 * (so without printf: it is on the hot path of validation). */
static void commitment_ctx(char *buf, size_t size, const char *id)
{
	static const char head[] = "commitment '", tail[] = "': ";
	size_t n = 0;
	const char *parts[3] = {head, id, tail};
	for (int k = 0; k < 3 && n + 1 < size; k++) {
		size_t len = strlen(parts[k]);
		if (len > size - 1 - n)
			len = size - 1 - n;
		memcpy(buf + n, parts[k], len);
		n += len;
	}
	buf[n] = '\0';
}

/* 0, or -1 out of memory, or -2 past MAX_DEFAULT_CREDITORS. */
static int commitment(struct rs *s, struct walk *w, struct cm_commitment *c)
{
	struct cm_agreement *a = s->a;
	char ctx[160];
	commitment_ctx(ctx, sizeof(ctx), c->id);

	/* the clause: debtor, content, deadline */
	c->debtor_p = party(s, &c->debtor, ctx, "debtor", "");
	if (c->debtor_p && c->debtor_p->role != CM_ROLE_PARTY)
		note(s, CM_ESEMANTIC, c->debtor.pos,
		     "%sdebtor '%s' is %s, not a party: only a party can be "
		     "bound", ctx, c->debtor_p->id, cm__a_role(c->debtor_p->role));
	if (!c->is_action && !c->text)
		note(s, CM_EINVAL, c->pos,
		     "commitment '%s' has no content (an action or a text)",
		     c->id);
	bool has_deadline = c->by != CM_TIME_NONE || c->within >= 0;
	const char *dl = c->by != CM_TIME_NONE ? "by" : "within";
	if (has_deadline && c->modality != CM_MUST)
		note(s, CM_ESEMANTIC, c->deadline_pos,
		     "%s'%s' on '%s': only 'must' takes a deadline", ctx, dl,
		     modality_text(c->modality));
	else if (c->within >= 0 && a->date == CM_TIME_NONE &&
		 c->from == CM_TIME_NONE && c->ifs.n == 0)
		note(s, CM_ESEMANTIC, c->deadline_pos,
		     "%s'within' needs a moment of taking effect: an agreement "
		     "'date', a 'from' or an 'if'", ctx);

	/* the items */
	int rc = creditors(s, c, ctx);
	if (rc != 0)
		return rc;
	const struct cm__cond_items *lists[3] = {&c->ifs, &c->whiles,
						 &c->unlesses};
	for (int k = 0; k < 3; k++)
		for (uint32_t i = 0; i < lists[k]->n; i++)
			if (walk(s, w, lists[k]->v[i].cond, c, resolve_atom,
				 NULL) < 0)
				return -1;
	if (c->reciprocal.n) {
		c->recip = cm__arena_alloc(&a->arena,
					   c->reciprocal.n * sizeof(*c->recip));
		if (!c->recip)
			return -1;
	}
	for (uint32_t i = 0; i < c->reciprocal.n; i++) {
		const struct cm__name *n = &c->reciprocal.v[i];
		const struct cm__id_entry *e = cm__map_get(&a->ids, n->s);
		c->recip[i] = e && !e->is_party ? e->u.commitment : NULL;
		if (!c->recip[i])
			note(s, CM_ESEMANTIC, n->pos,
			     "%sunknown commitment '%s' in 'reciprocal'%s", ctx,
			     n->s, e ? " (it is a party)" : "");
	}
	sigs(s, &c->sigs, ctx, "signed by");
	if (c->sigs.n && c->form == CM_FORM_VERBAL) {
		struct cm__pos sp = c->sigs.v[0].party.pos;
		struct cm__pos at = earlier(sp, c->form_pos) ? c->form_pos : sp;
		note(s, CM_ESEMANTIC, at,
		     "%s'signed by' and 'verbal' together: a verbal commitment "
		     "carries no signatures", ctx);
	}
	names(s, &c->witnesses, ctx, "witnessed by", "");
	names(s, &c->standing_by, ctx,
	      c->standing == CM_STANDING_REJECTED ? "rejected by"
						  : "proposed by", "");
	return 0;
}

/* ---- the agreement's own events ----------------------------------------- */

static void events(struct rs *s)
{
	/* (An event both reported and denied by one party is a syntax-phase
	 * error: the parser reports it for every events source.) */
	const struct cm__events *l = &s->a->events;
	for (uint32_t i = 0; i < l->n; i++) {
		const struct cm_event *ev = &l->v[i];
		const char *type = ev->act.type ? ev->act.type : "?";
		char suffix[160];
		snprintf(suffix, sizeof(suffix), " of event '%s'", type);
		names(s, &ev->reported, "", "reported by", suffix);
		names(s, &ev->denied, "", "denied by", suffix);
		for (uint32_t j = 0; j < ev->verified.n; j++) {
			const struct cm_party *p = party(s, &ev->verified.v[j],
							 "", "verified by",
							 suffix);
			if (p && p->role != CM_ROLE_MEDIATOR &&
			    p->role != CM_ROLE_GUARANTOR &&
			    p->role != CM_ROLE_WITNESS)
				note(s, CM_ESEMANTIC, ev->verified.v[j].pos,
				     "'%s' verifies event '%s' but is %s: "
				     "only a mediator, guarantor or witness "
				     "can verify", p->id, type, cm__a_role(p->role));
		}
	}
}

/* ---- guard cycles: strongly connected components ------------------------------------ */

struct graph {
	uint32_t n;
	uint32_t *off; /* n + 1 */
	uint32_t *dst;
	uint32_t fill, cap;
	bool nomem;
};

/* Append an edge; the edges of each commitment in turn (built in one
 * pass over the guards: they are not walked twice, to count first). */
static bool add_edge(struct rs *s, struct cm_commitment *c,
		     struct cm_condition *n, void *arg)
{
	(void)c;
	struct graph *g = arg;
	if (n->type != CM_CT_STATE || !n->target)
		return true;
	if (g->fill == g->cap) {
		uint64_t ncap = g->cap ? (uint64_t)g->cap * 2 : 256;
		uint32_t *v = ncap <= UINT32_MAX
				      ? cm__realloc(s->tmp, g->dst, sizeof(*v),
						    (size_t)ncap, "cm_resolve")
				      : NULL;
		if (!v) {
			g->nomem = true;
			return false;
		}
		g->dst = v;
		g->cap = (uint32_t)ncap;
	}
	g->dst[g->fill++] = n->target->index;
	return true;
}

struct cyc {
	const struct graph *g;
	const uint32_t *comp;
	struct cm_condition *hit;
};

static bool find_cycle_atom(struct rs *s, struct cm_commitment *c,
			    struct cm_condition *n, void *arg)
{
	struct cyc *y = arg;
	if (n->type != CM_CT_STATE || !n->target)
		return true;
	if (y->comp[c->index] != y->comp[n->target->index])
		return true;
	y->hit = n;
	return false;
}

/* "x -> y -> ... -> x": the shortest cycle through the edge x -> y
 * (x and y lie in one component). Long cycles are cut in the middle:
 * at most CYCLE_NAMES names, then "... -> x". */
enum { CYCLE_NAMES = 10 };
static int cycle_text(struct rs *s, const struct graph *g,
		      const uint32_t *comp, uint32_t x, uint32_t y, char *buf,
		      size_t size)
{
	struct cm_commitment **cs = s->a->commitments;
	uint32_t n = g->n;
	const uint32_t NONE = UINT32_MAX;
	uint32_t *par = scratch(s, n, sizeof(*par));
	uint32_t *q = scratch(s, n, sizeof(*q));
	if (!par || !q)
		return -1;
	for (uint32_t v = 0; v < n; v++)
		par[v] = NONE;
	/* breadth-first from y until x, inside the component */
	uint32_t qh = 0, qt = 0;
	q[qt++] = y;
	par[y] = y;
	while (qh < qt && par[x] == NONE) {
		uint32_t v = q[qh++];
		for (uint32_t e = g->off[v]; e < g->off[v + 1]; e++) {
			uint32_t w = g->dst[e];
			if (par[w] != NONE || comp[w] != comp[x])
				continue;
			par[w] = v;
			q[qt++] = w;
		}
	}
	/* the chain x, par[x], ..., y, reused in q: printed backwards */
	uint32_t len = 0;
	for (uint32_t v = x;; v = par[v]) {
		q[len++] = v;
		if (v == y)
			break;
	}
	const char *xid = cs[x]->id;
	size_t used = (size_t)snprintf(buf, size, "%s", xid);
	size_t tail = strlen(" -> ... -> ") + strlen(xid);
	for (uint32_t i = len; i-- > 0;) {
		const char *id = cs[q[i]]->id;
		if (i > 0 && (len - i > CYCLE_NAMES ||
			      used + 4 + strlen(id) + tail >= size)) {
			snprintf(buf + used, size - used, " -> ... -> %s", xid);
			break;
		}
		used += (size_t)snprintf(buf + used, size - used, " -> %s", id);
		if (used >= size)
			break;
	}
	return 0;
}

static int cycles(struct rs *s, struct walk *w)
{
	struct cm_agreement *a = s->a;
	struct graph g = {a->ncommitments, NULL, NULL, 0, 0, false};
	g.off = scratch(s, (size_t)g.n + 1, sizeof(*g.off));
	if (!g.off)
		return -1;
	for (uint32_t i = 0; i < g.n; i++) {
		g.off[i] = g.fill;
		if (guards(s, w, a->commitments[i], add_edge, &g) < 0 ||
		    g.nomem)
			return -1;
	}
	g.off[g.n] = g.fill;
	if (g.off[g.n] == 0)
		return 0;
	uint32_t *comp = scratch(s, g.n, sizeof(*comp));
	if (!comp || cm__scc(s->tmp, g.n, g.off, g.dst, comp) < 0)
		return -1;
	struct cyc y = {&g, comp, NULL};
	for (uint32_t i = 0; i < g.n && !y.hit; i++) {
		struct cm_commitment *c = a->commitments[i];
		if (guards(s, w, c, find_cycle_atom, &y) < 0)
			return -1;
		if (!y.hit)
			continue;
		char text[CM_ERROR_MESSAGE_SIZE - 64];
		if (cycle_text(s, &g, comp, c->index, y.hit->target->index,
			       text, sizeof(text)) != 0)
			return -1;
		note(s, CM_ESEMANTIC, y.hit->ref.pos,
		     "cycle of guard references: %s", text);
	}
	return 0;
}

/* ---- entry point ------------------------------------------------------- */

int cm__agreement_resolve(struct cm_agreement *a, cm_error *err)
{
	if (!a)
		return cm__error(err, CM_EINVAL, NULL, NOPOS, "agreement is NULL");
	if (a->validated)
		return CM_OK;
	struct rs s;
	memset(&s, 0, sizeof(s));
	s.a = a;
	s.tmp = cm__ctx_new(a, "cm_resolve");
	if (!s.tmp)
		return cm__enomem(err);
	int rc = CM_OK;
	s.stamp = scratch(&s, a->nparties, sizeof(*s.stamp));
	s.dflt = scratch(&s, a->nparties, sizeof(*s.dflt));
	s.ndflt = scratch(&s, a->nparties, sizeof(*s.ndflt));
	if (!s.stamp || !s.dflt || !s.ndflt) {
		rc = cm__enomem(err);
		goto out;
	}
	struct walk w = {NULL, 0, 0};

	sigs(&s, &a->sigs, "", "signed by");
	sigs(&s, &a->ratifications, "", "ratified by");
	/* who signed or ratified the agreement, for O(1) look-ups */
	for (uint32_t i = 0; i < a->nparties; i++)
		a->parties[i]->signed_text = a->parties[i]->ratified = false;
	for (uint32_t i = 0; i < a->sigs.n; i++)
		if (a->sigs.v[i].p)
			a->parties[a->sigs.v[i].p->index]->signed_text = true;
	for (uint32_t i = 0; i < a->ratifications.n; i++)
		if (a->ratifications.v[i].p)
			a->parties[a->ratifications.v[i].p->index]->ratified =
				true;
	rules(&s);
	for (uint32_t i = 0; i < a->ncommitments; i++) {
		struct cm_commitment *c = a->commitments[i];
		int crc = commitment(&s, &w, c);
		if (crc == -2) {
			rc = cm__error(err, CM_ELIMIT, a->file, c->debtor.pos,
				       "commitment '%s': the default creditors "
				       "of all debtors exceed %d entries; name "
				       "the creditors with 'to'", c->id,
				       MAX_DEFAULT_CREDITORS);
			goto out;
		}
		if (crc != 0) {
			rc = cm__enomem(err);
			goto out;
		}
	}
	events(&s);
	if (cycles(&s, &w) != 0) {
		rc = cm__enomem(err);
		goto out;
	}
	if (s.have) {
		rc = s.best.code;
		if (err)
			*err = s.best;
		goto out;
	}
	a->validated = true;
out:
	cm__free(s.tmp);
	return rc;
}

CM_EXPORT int cm_agreement_validate(cm_agreement *a, cm_error *err)
{
	CM__CHECK_ARG(a, err);
	return cm__agreement_resolve(a, err);
}
