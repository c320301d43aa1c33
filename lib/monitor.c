/*
 * The monitor (SPEC §4): commitment states driven by events and time.
 *
 * Static part, built once per monitor: every commitment's conditions are
 * compiled into small trees whose event atoms (`A`, `A within N`,
 * `count (A) ...`) are numbered; every clause pattern and atom is filed in
 * the event index (match.c); each commitment knows the commitments whose
 * conditions name it (state atoms, `reciprocal`), its dependents.
 *
 * Dynamic part: per commitment its state, since, cause, excuses and
 * trigger latch; per atom a latch, a counter, the last matching time or a
 * deque of times within its window; a min-heap of time-driven changes
 * (date, from, deadline, until, an event leaving a window: at most one
 * entry per atom and three per commitment, so it is allocated once).
 *
 * A moment (an event, or a time at which something is due) bumps an
 * epoch; the commitments it may affect are queued, and settle() runs the
 * spec's passes in declaration order over the queued ones only: a
 * commitment that changes queues its dependents, in this pass when they
 * come later, in the next when they come earlier. A commitment whose
 * inputs did not change would not change in a full pass either, so this
 * is the spec's fixpoint at the cost of what actually moves.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "monitor-private.h"

static const struct cm__pos NOPOS = {0, 0};

/* Kinds of time-driven changes, in the order they apply at one moment:
 * deadlines are judged before `until` (SPEC §4), both against the states
 * as they stood; dates, `from` and windows then feed the re-evaluation. */
enum { K_DEADLINE = 0, K_UNTIL = 1, K_DATE = 2, K_FROM = 3, K_WINDOW = 4 };

enum { V_ALL, V_VERIFIED, V_PARTY };

struct tev {
	cm_time t;
	uint32_t kind;
	uint32_t idx;
};

struct mcond {
	uint8_t type, cmp, which;
	bool form_val;
	uint32_t nkids;
	struct mcond **kids;
	uint32_t atom;   /* CM_CT_ACTION, CM_CT_COUNT */
	uint32_t target; /* CM_CT_STATE */
	int64_t n;
};

struct atom_def {
	uint32_t owner;
	bool is_count;
	int64_t window; /* -1: none */
};

struct atom_st {
	bool seen, scheduled;
	uint64_t count;
	cm_time last;
	cm_time *q; /* ring of times within the window */
	uint32_t head, len, cap;
};

struct mcond_list {
	struct mcond **v;
	uint32_t n;
};

struct mcom {
	const struct cm_commitment *c;
	struct mcond_list ifs, whiles, unlesses;
	uint32_t *recip;
	uint32_t nrecip;
	uint32_t *deps;
	uint32_t ndeps, depcap;
};

struct cst {
	uint8_t state, reason;
	bool if_latched, in_effect;
	cm_time since;
	uint32_t line;
	const char *file;
	int32_t blame;
	uint32_t epoch;
	uint32_t *excused;
	uint32_t nexcused, excap;
};

/* A queue of commitment indexes (min-heap) with membership flags. */
struct qheap {
	uint32_t *v;
	bool *in;
	uint32_t n;
};

enum { SRC_FILE, SRC_TEXT };
struct src {
	int kind;
	const char *path; /* SRC_FILE: copied */
	const char *text; /* SRC_TEXT: borrowed */
	size_t len;
	const char *name; /* stable name used in causes (copied) */
};

struct held {
	struct cm_event ev;
	uint32_t source, seq;
};

struct cm_monitor {
	struct cm_agreement *a;
	const char *view;
	int vkind;
	const struct cm_party *vparty;

	struct mcom *com;
	uint32_t ncom;
	struct atom_def *adef;
	uint32_t natoms, adcap;
	struct cm__pat *pats;
	uint32_t npats, patcap;
	struct cm__mindex *index;

	const cm_document *doc;
	struct src *srcs;
	uint32_t nsrcs;

	/* dynamic state, all under st_ctx */
	void *st_ctx;
	struct cst *st;
	struct atom_st *ast;
	struct tev *heap;
	uint32_t nheap, heapcap;
	struct qheap qa, qb;
	struct qheap *cur, *next;
	uint32_t epoch;
	bool initial;
	bool failed;
	cm_time clock, last_event, closed;
	const struct cm_event *ev; /* the event being applied, or NULL */
	const char *ev_file;

	uint32_t *hits;
	uint32_t hitcap;

	/* live feeding */
	bool fed, ran;
	void *held_ctx;
	struct cm__arena held_ar;
	struct held *held;
	uint32_t nheld, heldcap, seq;
	cm_time held_time;
	cm_time *src_last;
	uint32_t nsrc_last;
};

static bool terminal(uint8_t s)
{
	return s == CM_STATE_FULFILLED || s == CM_STATE_VIOLATED ||
	       s == CM_STATE_EXPIRED;
}

/* ---- the time heap --------------------------------------------------- */

static bool tev_less(const struct tev *x, const struct tev *y)
{
	if (x->t != y->t)
		return x->t < y->t;
	if (x->kind != y->kind)
		return x->kind < y->kind;
	return x->idx < y->idx;
}

static void heap_push(struct cm_monitor *m, cm_time t, uint32_t kind,
		      uint32_t idx)
{
	/* capacity is reserved for every possible entry (see state_init) */
	uint32_t i = m->nheap++;
	struct tev e = {t, kind, idx};
	while (i > 0) {
		uint32_t p = (i - 1) / 2;
		if (!tev_less(&e, &m->heap[p]))
			break;
		m->heap[i] = m->heap[p];
		i = p;
	}
	m->heap[i] = e;
}

static struct tev heap_pop(struct cm_monitor *m)
{
	struct tev top = m->heap[0];
	struct tev e = m->heap[--m->nheap];
	uint32_t i = 0, n = m->nheap;
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, s = i;
		const struct tev *best = &e;
		if (l < n && tev_less(&m->heap[l], best)) {
			s = l;
			best = &m->heap[l];
		}
		if (r < n && tev_less(&m->heap[r], best))
			s = r;
		if (s == i)
			break;
		m->heap[i] = m->heap[s];
		i = s;
	}
	if (n)
		m->heap[i] = e;
	return top;
}

/* ---- the settle queues ---------------------------------------------- */

static void q_push(struct qheap *q, uint32_t x)
{
	if (q->in[x])
		return;
	q->in[x] = true;
	uint32_t i = q->n++;
	while (i > 0) {
		uint32_t p = (i - 1) / 2;
		if (q->v[p] <= x)
			break;
		q->v[i] = q->v[p];
		i = p;
	}
	q->v[i] = x;
}

static uint32_t q_pop(struct qheap *q)
{
	uint32_t top = q->v[0];
	uint32_t e = q->v[--q->n];
	uint32_t i = 0, n = q->n;
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, s = i;
		uint32_t best = e;
		if (l < n && q->v[l] < best) {
			s = l;
			best = q->v[l];
		}
		if (r < n && q->v[r] < best)
			s = r;
		if (s == i)
			break;
		q->v[i] = q->v[s];
		i = s;
	}
	if (n)
		q->v[i] = e;
	q->in[top] = false;
	return top;
}

/* Queue commitment @p d for re-evaluation; @p from is the commitment
 * being evaluated (-1 outside a pass): later ones join this pass. */
static void enqueue(struct cm_monitor *m, uint32_t d, int64_t from)
{
	q_push((int64_t)d > from ? m->cur : m->next, d);
}

static void enqueue_deps(struct cm_monitor *m, uint32_t i, int64_t from)
{
	const struct mcom *k = &m->com[i];
	for (uint32_t j = 0; j < k->ndeps; j++)
		enqueue(m, k->deps[j], from);
}

/* ---- conditions ------------------------------------------------------ */

static bool window_holds(cm_time last, int64_t w, cm_time now)
{
	if (last == CM_TIME_NONE)
		return false;
	cm_time lo;
	if (__builtin_sub_overflow(now, w, &lo))
		return true;
	return last > lo;
}

static uint64_t window_count(struct atom_st *s, int64_t w, cm_time now)
{
	cm_time lo;
	if (__builtin_sub_overflow(now, w, &lo))
		return s->len;
	while (s->len && s->q[s->head] <= lo) {
		s->head = (s->head + 1) % s->cap;
		s->len--;
	}
	return s->len;
}

static bool cmp_holds(uint64_t c, int cmp, int64_t n)
{
	uint64_t b = (uint64_t)n;
	switch (cmp) {
	case CM_CMP_GE: return c >= b;
	case CM_CMP_GT: return c > b;
	case CM_CMP_LE: return c <= b;
	case CM_CMP_LT: return c < b;
	case CM_CMP_EQ: return c == b;
	default: return c != b;
	}
}

static bool eval(struct cm_monitor *m, const struct mcond *n, cm_time now)
{
	switch (n->type) {
	case CM_CT_TRUE:
		return true;
	case CM_CT_FALSE:
		return false;
	case CM_CT_NOT:
		return !eval(m, n->kids[0], now);
	case CM_CT_AND:
		for (uint32_t i = 0; i < n->nkids; i++)
			if (!eval(m, n->kids[i], now))
				return false;
		return true;
	case CM_CT_OR:
		for (uint32_t i = 0; i < n->nkids; i++)
			if (eval(m, n->kids[i], now))
				return true;
		return false;
	case CM_CT_ACTION: {
		const struct atom_def *d = &m->adef[n->atom];
		struct atom_st *s = &m->ast[n->atom];
		if (d->window < 0)
			return s->seen;
		return window_holds(s->last, d->window, now);
	}
	case CM_CT_COUNT: {
		const struct atom_def *d = &m->adef[n->atom];
		struct atom_st *s = &m->ast[n->atom];
		uint64_t c = d->window < 0 ? s->count
					   : window_count(s, d->window, now);
		return cmp_holds(c, n->cmp, n->n);
	}
	case CM_CT_STATE:
		return m->st[n->target].state == n->which;
	case CM_CT_FORM:
		return n->form_val;
	}
	return false;
}

static bool all_hold(struct cm_monitor *m, const struct mcond_list *l,
		     cm_time now)
{
	for (uint32_t i = 0; i < l->n; i++)
		if (!eval(m, l->v[i], now))
			return false;
	return true;
}

static bool any_holds(struct cm_monitor *m, const struct mcond_list *l,
		      cm_time now)
{
	for (uint32_t i = 0; i < l->n; i++)
		if (eval(m, l->v[i], now))
			return true;
	return false;
}

static bool guards_hold(struct cm_monitor *m, const struct mcom *k,
			cm_time now)
{
	for (uint32_t j = 0; j < k->nrecip; j++)
		if (m->st[k->recip[j]].state == CM_STATE_VIOLATED)
			return false;
	return all_hold(m, &k->whiles, now) && !any_holds(m, &k->unlesses, now);
}

/* The first state atom in @p n whose commitment changed at this moment. */
static int32_t node_blame(const struct cm_monitor *m, const struct mcond *n)
{
	if (n->type == CM_CT_STATE)
		return m->st[n->target].epoch == m->epoch ? (int32_t)n->target
							  : -1;
	for (uint32_t i = 0; i < n->nkids; i++) {
		int32_t b = node_blame(m, n->kids[i]);
		if (b >= 0)
			return b;
	}
	return -1;
}

static int32_t list_blame(const struct cm_monitor *m,
			  const struct mcond_list *l)
{
	for (uint32_t i = 0; i < l->n; i++) {
		int32_t b = node_blame(m, l->v[i]);
		if (b >= 0)
			return b;
	}
	return -1;
}

/* A guard change: a reciprocal link first, then `while`, then `unless`. */
static int32_t guard_blame(const struct cm_monitor *m, const struct mcom *k)
{
	for (uint32_t j = 0; j < k->nrecip; j++) {
		const struct cst *r = &m->st[k->recip[j]];
		if (r->state == CM_STATE_VIOLATED && r->epoch == m->epoch)
			return (int32_t)k->recip[j];
	}
	int32_t b = list_blame(m, &k->whiles);
	return b >= 0 ? b : list_blame(m, &k->unlesses);
}

/* ---- transitions ----------------------------------------------------- */

static void transition(struct cm_monitor *m, uint32_t i, uint8_t state,
		       cm_time t, uint8_t reason, int32_t blame, int64_t from)
{
	struct cst *s = &m->st[i];
	s->state = state;
	s->epoch = m->epoch;
	if (!m->initial) {
		s->since = t;
		s->reason = reason;
		s->blame = blame;
		bool with_event = m->ev && (reason == CM_CAUSE_EVENT ||
					    reason == CM_CAUSE_CONDITION);
		s->line = with_event ? m->ev->line : 0;
		s->file = with_event ? m->ev_file : NULL;
	}
	enqueue_deps(m, i, from);
}

static bool reached(cm_time when, cm_time now)
{
	return when == CM_TIME_NONE || (now != CM_TIME_NONE && now >= when);
}

/* Re-evaluate commitment @p i at @p now; true when its state changed. */
static bool evaluate(struct cm_monitor *m, uint32_t i, cm_time now)
{
	struct cst *s = &m->st[i];
	const struct mcom *k = &m->com[i];
	const struct cm_commitment *c = k->c;
	if (terminal(s->state))
		return false;
	bool latched_now = false;
	if (!s->if_latched && all_hold(m, &k->ifs, now)) {
		s->if_latched = true;
		latched_now = true;
	}
	bool eff = s->if_latched && reached(m->a->date, now) &&
		   reached(c->from, now);
	uint8_t want = !eff ? CM_STATE_PENDING
		       : guards_hold(m, k, now) ? CM_STATE_ACTIVE
						: CM_STATE_SUSPENDED;
	bool starting = eff && !s->in_effect;
	if (starting) {
		s->in_effect = true;
		cm_time dl;
		if (!m->initial && c->modality == CM_MUST && c->is_action &&
		    c->within >= 0 &&
		    !__builtin_add_overflow(now, c->within, &dl) &&
		    dl < INT64_MAX)
			heap_push(m, dl + 1, K_DEADLINE, i);
	}
	if (want == s->state)
		return false;
	uint8_t reason = CM_CAUSE_CONDITION;
	int32_t blame;
	if (starting && !latched_now) {
		reason = CM_CAUSE_START;
		blame = -1;
	} else if (starting) {
		blame = list_blame(m, &k->ifs);
	} else {
		blame = guard_blame(m, k);
	}
	transition(m, i, want, now, reason, blame, i);
	return true;
}

static void settle(struct cm_monitor *m, cm_time now)
{
	uint64_t budget = ((uint64_t)m->ncom + 1) * 64;
	for (;;) {
		if (!m->cur->n) {
			if (!m->next->n)
				break;
			struct qheap *t = m->cur;
			m->cur = m->next;
			m->next = t;
		}
		uint32_t i = q_pop(m->cur);
		evaluate(m, i, now);
		if (--budget == 0) {
			/* cannot happen with acyclic guards and latched
			 * triggers; a guard against a bug, not a semantics */
			while (m->cur->n)
				q_pop(m->cur);
			while (m->next->n)
				q_pop(m->next);
			break;
		}
	}
}

/* ---- time-driven changes --------------------------------------------- */

static void window_expired(struct cm_monitor *m, uint32_t a, cm_time t)
{
	const struct atom_def *d = &m->adef[a];
	struct atom_st *s = &m->ast[a];
	s->scheduled = false;
	if (!d->is_count) {
		if (s->last + d->window > t) {
			heap_push(m, s->last + d->window, K_WINDOW, a);
			s->scheduled = true;
			return;
		}
	} else {
		window_count(s, d->window, t);
		if (s->len) {
			heap_push(m, s->q[s->head] + d->window, K_WINDOW, a);
			s->scheduled = true;
		}
	}
	enqueue(m, d->owner, -1);
}

static void apply_due(struct cm_monitor *m, const struct tev *e)
{
	uint32_t i = e->idx;
	switch (e->kind) {
	case K_DEADLINE: {
		struct cst *s = &m->st[i];
		if (terminal(s->state))
			return;
		transition(m, i,
			   s->state == CM_STATE_ACTIVE ? CM_STATE_VIOLATED
						       : CM_STATE_EXPIRED,
			   e->t, CM_CAUSE_DEADLINE, -1, -1);
		return;
	}
	case K_UNTIL: {
		struct cst *s = &m->st[i];
		if (terminal(s->state))
			return;
		int mod = m->com[i].c->modality;
		bool kept = s->state != CM_STATE_PENDING &&
			    (mod == CM_MUST_NOT || mod == CM_MUST_PREVENT);
		transition(m, i, kept ? CM_STATE_FULFILLED : CM_STATE_EXPIRED,
			   e->t, CM_CAUSE_UNTIL, -1, -1);
		return;
	}
	case K_DATE:
		for (uint32_t j = 0; j < m->ncom; j++)
			enqueue(m, j, -1);
		return;
	case K_FROM:
		enqueue(m, i, -1);
		return;
	case K_WINDOW:
		window_expired(m, i, e->t);
		return;
	}
}

/* Apply every time-driven change due at or before @p t, moment by
 * moment, each followed by re-evaluation. */
static void run_due(struct cm_monitor *m, cm_time t)
{
	while (m->nheap && m->heap[0].t <= t) {
		cm_time moment = m->heap[0].t;
		m->epoch++;
		m->ev = NULL;
		m->ev_file = NULL;
		while (m->nheap && m->heap[0].t == moment) {
			struct tev e = heap_pop(m);
			apply_due(m, &e);
		}
		settle(m, moment);
		if (m->clock == CM_TIME_NONE || moment > m->clock)
			m->clock = moment;
	}
}

/* ---- events ---------------------------------------------------------- */

/* Does the event count in this monitor's view? */
static bool in_view(const struct cm_monitor *m, const struct cm_event *ev)
{
	switch (m->vkind) {
	case V_VERIFIED:
		for (uint32_t i = 0; i < ev->verified.n; i++) {
			const struct cm_party *p =
				cm__find_party(m->a, ev->verified.v[i].s);
			if (p && (p->role == CM_ROLE_MEDIATOR ||
				  p->role == CM_ROLE_GUARANTOR ||
				  p->role == CM_ROLE_WITNESS))
				return true;
		}
		return false;
	case V_PARTY:
		for (uint32_t i = 0; i < ev->denied.n; i++)
			if (strcmp(ev->denied.v[i].s, m->vparty->id) == 0)
				return false;
		return true;
	default:
		return true;
	}
}

static int add_excuse(struct cm_monitor *m, struct cst *s, uint32_t may)
{
	for (uint32_t j = 0; j < s->nexcused; j++)
		if (s->excused[j] == may)
			return 0;
	if (s->nexcused == s->excap) {
		uint32_t nc = s->excap ? s->excap * 2 : 2;
		uint32_t *v = cm__realloc(m->st_ctx, s->excused, sizeof(*v),
					  nc, "excused");
		if (!v)
			return -1;
		s->excused = v;
		s->excap = nc;
	}
	s->excused[s->nexcused++] = may;
	return 0;
}

static int record_atom(struct cm_monitor *m, uint32_t a, cm_time t)
{
	const struct atom_def *d = &m->adef[a];
	struct atom_st *s = &m->ast[a];
	cm_time exp;
	if (!d->is_count) {
		if (d->window < 0) {
			s->seen = true;
		} else {
			s->last = t;
			if (!s->scheduled &&
			    !__builtin_add_overflow(t, d->window, &exp)) {
				heap_push(m, exp, K_WINDOW, a);
				s->scheduled = true;
			}
		}
	} else if (d->window < 0) {
		s->count++;
	} else {
		window_count(s, d->window, t);
		if (s->len == s->cap) {
			uint32_t nc = s->cap ? s->cap * 2 : 4;
			cm_time *v = cm__realloc(m->st_ctx, NULL, sizeof(*v),
						 nc, "window");
			if (!v)
				return -1;
			for (uint32_t j = 0; j < s->len; j++)
				v[j] = s->q[(s->head + j) % s->cap];
			cm__free(s->q);
			s->q = v;
			s->head = 0;
			s->cap = nc;
		}
		s->q[(s->head + s->len) % s->cap] = t;
		s->len++;
		if (!s->scheduled &&
		    !__builtin_add_overflow(s->q[s->head], d->window, &exp)) {
			heap_push(m, exp, K_WINDOW, a);
			s->scheduled = true;
		}
	}
	enqueue(m, d->owner, -1);
	return 0;
}

/*
 * Apply one event (time-driven changes due by its time first). @p file is
 * the stable name recorded in causes. Returns 0 or -1 (out of memory:
 * the monitor is then marked failed).
 */
static int apply_event(struct cm_monitor *m, const struct cm_event *ev,
		       const char *file)
{
	cm_time t = ev->time;
	run_due(m, t);
	m->clock = t;
	if (!in_view(m, ev))
		return 0;
	int64_t n = cm__mindex_match(m->index, ev, m, &m->hits, &m->hitcap);
	if (n < 0)
		goto oom;
	uint32_t h = 0;
	for (int64_t j = 0; j < n; j++)
		if (cm__pat_matches(&m->pats[m->hits[j]], ev))
			m->hits[h++] = m->hits[j];
	if (h == 0)
		return 0;
	m->epoch++;
	m->ev = ev;
	m->ev_file = file;
	/* judge against the states as they stood just before the event */
	for (uint32_t j = 0; j < h; j++) {
		const struct cm__pat *p = &m->pats[m->hits[j]];
		if (p->is_atom)
			continue;
		uint32_t i = p->idx;
		const struct cm_commitment *c = m->com[i].c;
		struct cst *s = &m->st[i];
		if (c->modality == CM_MUST) {
			if (s->state == CM_STATE_ACTIVE ||
			    s->state == CM_STATE_SUSPENDED)
				transition(m, i, CM_STATE_FULFILLED, t,
					   CM_CAUSE_EVENT, -1, -1);
			continue;
		}
		if (c->modality == CM_MAY || s->state != CM_STATE_ACTIVE ||
		    s->epoch == m->epoch)
			continue;
		int32_t excuse = -1;
		for (uint32_t k = 0; k < h && excuse < 0; k++) {
			const struct cm__pat *q = &m->pats[m->hits[k]];
			if (q->is_atom)
				continue;
			const struct cm_commitment *r = m->com[q->idx].c;
			if (r->modality == CM_MAY &&
			    r->standing == CM_STANDING_AGREED &&
			    m->st[q->idx].state == CM_STATE_ACTIVE &&
			    r->debtor_p == c->debtor_p)
				excuse = (int32_t)q->idx;
		}
		if (excuse >= 0) {
			if (add_excuse(m, s, (uint32_t)excuse) != 0)
				goto oom;
		} else {
			transition(m, i, CM_STATE_VIOLATED, t, CM_CAUSE_EVENT,
				   -1, -1);
		}
	}
	/* record it: condition atoms */
	for (uint32_t j = 0; j < h; j++) {
		const struct cm__pat *p = &m->pats[m->hits[j]];
		if (p->is_atom && record_atom(m, p->idx, t) != 0)
			goto oom;
	}
	settle(m, t);
	m->ev = NULL;
	m->ev_file = NULL;
	return 0;
oom:
	m->ev = NULL;
	m->failed = true;
	return -1;
}

/* ---- the dynamic state ----------------------------------------------- */

static int state_init(struct cm_monitor *m)
{
	cm__free(m->st_ctx);
	m->st_ctx = cm__ctx_new(m, "cm_monitor_state");
	if (!m->st_ctx)
		return -1;
	uint32_t nc = m->ncom ? m->ncom : 1;
	m->heapcap = m->natoms + 3 * m->ncom + 2;
	m->st = cm__realloc(m->st_ctx, NULL, sizeof(*m->st), nc, "st");
	m->ast = cm__realloc(m->st_ctx, NULL, sizeof(*m->ast),
			     m->natoms ? m->natoms : 1, "ast");
	m->heap = cm__realloc(m->st_ctx, NULL, sizeof(*m->heap), m->heapcap,
			      "heap");
	m->qa.v = cm__realloc(m->st_ctx, NULL, sizeof(uint32_t), nc, "q");
	m->qb.v = cm__realloc(m->st_ctx, NULL, sizeof(uint32_t), nc, "q");
	m->qa.in = cm__zalloc(m->st_ctx, nc, "qin");
	m->qb.in = cm__zalloc(m->st_ctx, nc, "qin");
	if (!m->st || !m->ast || !m->heap || !m->qa.v || !m->qb.v ||
	    !m->qa.in || !m->qb.in)
		return -1;
	memset(m->st, 0, sizeof(*m->st) * nc);
	memset(m->ast, 0, sizeof(*m->ast) * (m->natoms ? m->natoms : 1));
	m->qa.n = m->qb.n = 0;
	m->cur = &m->qa;
	m->next = &m->qb;
	m->nheap = 0;
	m->epoch = 1;
	m->failed = false;
	m->clock = m->last_event = m->closed = CM_TIME_NONE;
	m->ev = NULL;
	m->ev_file = NULL;
	for (uint32_t a = 0; a < m->natoms; a++)
		m->ast[a].last = CM_TIME_NONE;
	if (m->a->date != CM_TIME_NONE)
		heap_push(m, m->a->date, K_DATE, 0);
	for (uint32_t i = 0; i < m->ncom; i++) {
		const struct cm_commitment *c = m->com[i].c;
		struct cst *s = &m->st[i];
		s->state = CM_STATE_PENDING;
		s->since = CM_TIME_NONE;
		s->blame = -1;
		if (c->from != CM_TIME_NONE)
			heap_push(m, c->from, K_FROM, i);
		if (c->modality == CM_MUST && c->is_action &&
		    c->by != CM_TIME_NONE && c->by < INT64_MAX)
			heap_push(m, c->by + 1, K_DEADLINE, i);
		if (c->until != CM_TIME_NONE && c->until < INT64_MAX)
			heap_push(m, c->until + 1, K_UNTIL, i);
		q_push(m->cur, i);
	}
	/* the initial states: no cause, no since */
	m->initial = true;
	settle(m, CM_TIME_NONE);
	m->initial = false;
	return 0;
}

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
	for (uint32_t j = 0; j < k->ndeps; j++)
		if (k->deps[j] == i)
			return 0;
	if (k->ndeps == k->depcap) {
		uint32_t nc = k->depcap ? k->depcap * 2 : 2;
		uint32_t *v = cm__realloc(m, k->deps, sizeof(*v), nc, "deps");
		if (!v)
			return -1;
		k->deps = v;
		k->depcap = nc;
	}
	k->deps[k->ndeps++] = i;
	return 0;
}

static int add_pat(struct cm_monitor *m, const struct cm__action *act,
		   const char *by, bool is_atom, uint32_t idx)
{
	if (m->npats == m->patcap) {
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
	p->is_atom = is_atom;
	p->idx = idx;
	return 0;
}

static struct mcond *compile(struct cm_monitor *m, uint32_t owner,
			     const struct cm_condition *n)
{
	struct mcond *x = cm__zalloc(m, sizeof(*x), "mcond");
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
		x->kids = cm__realloc(m, NULL, sizeof(*x->kids),
				      n->nkids ? n->nkids : 1, "kids");
		if (!x->kids)
			return NULL;
		x->nkids = n->nkids;
		for (uint32_t i = 0; i < n->nkids; i++)
			if (!(x->kids[i] = compile(m, owner, n->kids[i])))
				return NULL;
		break;
	case CM_CT_ACTION:
	case CM_CT_COUNT:
		if (m->natoms == m->adcap) {
			uint32_t nc = m->adcap ? m->adcap * 2 : 16;
			struct atom_def *v = cm__realloc(m, m->adef, sizeof(*v),
							 nc, "atoms");
			if (!v)
				return NULL;
			m->adef = v;
			m->adcap = nc;
		}
		x->atom = m->natoms++;
		m->adef[x->atom].owner = owner;
		m->adef[x->atom].is_count = n->type == CM_CT_COUNT;
		m->adef[x->atom].window = n->window;
		if (add_pat(m, &n->act, NULL, true, x->atom) != 0)
			return NULL;
		break;
	case CM_CT_STATE:
		x->target = index_of(m->a, n->target);
		if (add_dep(m, x->target, owner) != 0)
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
			const struct cm__cond_items *items,
			struct mcond_list *out)
{
	out->n = items->n;
	if (!items->n)
		return 0;
	out->v = cm__realloc(m, NULL, sizeof(*out->v), items->n, "conds");
	if (!out->v)
		return -1;
	for (uint32_t i = 0; i < items->n; i++)
		if (!(out->v[i] = compile(m, owner, items->v[i].cond)))
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

static int compile_all(struct cm_monitor *m)
{
	struct cm_agreement *a = m->a;
	m->ncom = a->ncommitments;
	m->com = cm__zalloc(m, sizeof(*m->com) * (m->ncom ? m->ncom : 1),
			    "com");
	if (!m->com)
		return -1;
	for (uint32_t i = 0; i < m->ncom; i++) {
		const struct cm_commitment *c = a->commitments[i];
		struct mcom *k = &m->com[i];
		k->c = c;
		if (compile_list(m, i, &c->ifs, &k->ifs) != 0 ||
		    compile_list(m, i, &c->whiles, &k->whiles) != 0 ||
		    compile_list(m, i, &c->unlesses, &k->unlesses) != 0)
			return -1;
		if (c->reciprocal.n) {
			k->recip = cm__realloc(m, NULL, sizeof(*k->recip),
					       c->reciprocal.n, "recip");
			if (!k->recip)
				return -1;
			for (uint32_t j = 0; j < c->reciprocal.n; j++) {
				uint32_t t = index_of(a, c->recip[j]);
				k->recip[k->nrecip++] = t;
				if (add_dep(m, t, i) != 0)
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
	return cm__mindex_build(m, m->pats, m->npats, &m->index);
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
	} else if (!(vp = cm__find_party(a, view))) {
		return cm__error(err, CM_ENOTFOUND, NULL, NOPOS,
				 "unknown party '%s' in view: agreement '%s' "
				 "declares no such party", view, a->id);
	}
	struct cm_monitor *m = cm__zalloc(NULL, sizeof(*m), "cm_monitor");
	if (!m)
		return cm__enomem(err);
	m->a = a;
	m->vkind = vkind;
	m->vparty = vp;
	m->view = cm__strdup(m, view);
	if (!m->view || compile_all(m) != 0 || state_init(m) != 0) {
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

static int not_runnable(const struct cm_monitor *m, cm_error *err)
{
	if (m->ran || m->fed)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "the monitor has already %s",
				 m->ran ? "run" : "been fed events");
	return CM_OK;
}

CM_EXPORT int cm_monitor_add_document_events(cm_monitor *m,
					     const cm_document *doc,
					     cm_error *err)
{
	if (!m || !doc)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	int rc = not_runnable(m, err);
	if (rc != CM_OK)
		return rc;
	if (m->doc)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "document events already added");
	m->doc = doc;
	return CM_OK;
}

static int add_src(struct cm_monitor *m, const struct src *s, cm_error *err)
{
	int rc = not_runnable(m, err);
	if (rc != CM_OK)
		return rc;
	struct src *v = cm__realloc(m, m->srcs, sizeof(*v), m->nsrcs + 1,
				    "srcs");
	if (!v)
		return cm__enomem(err);
	m->srcs = v;
	v[m->nsrcs] = *s;
	char *name = cm__strdup(m, s->name);
	char *path = s->path ? cm__strdup(m, s->path) : NULL;
	if (!name || (s->path && !path)) {
		cm__free(name);
		return cm__enomem(err);
	}
	v[m->nsrcs].name = name;
	v[m->nsrcs].path = path;
	m->nsrcs++;
	return CM_OK;
}

CM_EXPORT int cm_monitor_add_events_file(cm_monitor *m, const char *path,
					 cm_error *err)
{
	if (!m || !path)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	struct src s = {SRC_FILE, path, NULL, 0, path};
	return add_src(m, &s, err);
}

CM_EXPORT int cm_monitor_add_events_text(cm_monitor *m, const char *text,
					 size_t len, const char *filename,
					 cm_error *err)
{
	if (!m || (!text && len))
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	struct src s = {SRC_TEXT, NULL, text ? text : "", len,
			filename ? filename : "<events>"};
	return add_src(m, &s, err);
}

/* ---- a run: sources merged by time ----------------------------------- */

struct rsrc {
	const struct cm_event **mem; /* in-memory events, sorted */
	uint32_t nmem, pos;
	struct cm__event_reader *rd;
	const struct cm_event *cur;
	const char *name;
};

struct sortable {
	const struct cm_event *ev;
	uint32_t seq;
};

static int by_time(const void *x, const void *y)
{
	const struct sortable *a = x, *b = y;
	if (a->ev->time != b->ev->time)
		return a->ev->time < b->ev->time ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* An in-memory source: the events of @p l that apply, in time order
 * (stable: equal times keep their order). */
static int mem_source(void *ctx, const struct cm__events *l,
		      const char *only_file, bool filter, struct rsrc *out)
{
	struct sortable *v = cm__realloc(ctx, NULL, sizeof(*v),
					 l->n ? l->n : 1, "sort");
	out->mem = cm__realloc(ctx, NULL, sizeof(*out->mem),
			       l->n ? l->n : 1, "mem");
	if (!v || !out->mem)
		return -1;
	uint32_t n = 0;
	for (uint32_t i = 0; i < l->n; i++) {
		const struct cm_event *e = &l->v[i];
		if (filter && only_file && e->file &&
		    strcmp(e->file, only_file) != 0)
			continue;
		v[n].ev = e;
		v[n].seq = n;
		n++;
	}
	qsort(v, n, sizeof(*v), by_time);
	for (uint32_t i = 0; i < n; i++)
		out->mem[i] = v[i].ev;
	out->nmem = n;
	return 0;
}

static int src_next(struct rsrc *s, cm_error *err)
{
	if (s->rd) {
		int rc = cm__event_reader_next(s->rd, &s->cur, err);
		if (rc < 0)
			return rc;
		if (rc == 0)
			s->cur = NULL;
		return CM_OK;
	}
	s->cur = s->pos < s->nmem ? s->mem[s->pos++] : NULL;
	return CM_OK;
}

static int run_sources(struct cm_monitor *m, void *tmp, cm_time at,
		       cm_error *err)
{
	uint32_t ns = m->nsrcs + 2;
	struct rsrc *s = cm__zalloc(tmp, sizeof(*s) * ns, "rsrc");
	if (!s)
		return cm__enomem(err);
	uint32_t k = 0;
	if (m->doc) {
		if (mem_source(tmp, &m->doc->events, m->a->file, true,
			       &s[k]) != 0)
			return cm__enomem(err);
		s[k++].name = m->a->file;
	}
	if (mem_source(tmp, &m->a->events, NULL, false, &s[k]) != 0)
		return cm__enomem(err);
	s[k++].name = m->a->file;
	for (uint32_t i = 0; i < m->nsrcs; i++, k++) {
		const struct src *r = &m->srcs[i];
		int rc = r->kind == SRC_FILE
			? cm__event_reader_open(tmp, r->path, &s[k].rd, err)
			: cm__event_reader_memory(tmp, r->text, r->len, r->name,
						  &s[k].rd, err);
		if (rc != CM_OK)
			return rc;
		s[k].name = r->name;
	}
	for (uint32_t i = 0; i < k; i++) {
		int rc = src_next(&s[i], err);
		if (rc != CM_OK)
			return rc;
	}
	for (;;) {
		struct rsrc *best = NULL;
		for (uint32_t i = 0; i < k; i++)
			if (s[i].cur && (!best || s[i].cur->time < best->cur->time))
				best = &s[i];
		if (!best)
			break;
		const struct cm_event *ev = best->cur;
		if (m->last_event == CM_TIME_NONE || ev->time > m->last_event)
			m->last_event = ev->time;
		if ((at == CM_TIME_NONE || ev->time <= at) &&
		    apply_event(m, ev, best->name) != 0)
			return cm__enomem(err);
		int rc = src_next(best, err);
		if (rc != CM_OK)
			return rc;
	}
	cm_time target = at != CM_TIME_NONE ? at : m->last_event;
	if (target != CM_TIME_NONE) {
		run_due(m, target);
		if (m->failed)
			return cm__enomem(err);
		if (m->clock == CM_TIME_NONE || target > m->clock)
			m->clock = target;
	}
	return CM_OK;
}

CM_EXPORT int cm_monitor_run(cm_monitor *m, cm_time at, cm_error *err)
{
	if (!m)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	int rc = not_runnable(m, err);
	if (rc != CM_OK)
		return rc;
	void *tmp = cm__ctx_new(NULL, "cm_monitor_run");
	if (!tmp)
		return cm__enomem(err);
	rc = run_sources(m, tmp, at, err);
	cm__free(tmp);
	if (rc != CM_OK) {
		/* nothing half-applied: back to the initial state */
		if (state_init(m) != 0)
			m->failed = true;
		return rc;
	}
	m->ran = true;
	return CM_OK;
}

/* ---- live feeding ---------------------------------------------------- */

static int failed(const struct cm_monitor *m, cm_error *err)
{
	if (m->failed)
		return cm__error(err, CM_ENOMEM, NULL, NOPOS,
				 "the monitor ran out of memory earlier");
	if (m->ran)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "the monitor has already run");
	return CM_OK;
}

static int by_source(const void *x, const void *y)
{
	const struct held *a = x, *b = y;
	if (a->source != b->source)
		return a->source < b->source ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Apply the held events (one minute's), lower sources first. */
static int flush(struct cm_monitor *m, cm_error *err)
{
	if (!m->nheld)
		return CM_OK;
	qsort(m->held, m->nheld, sizeof(*m->held), by_source);
	int rc = CM_OK;
	for (uint32_t i = 0; i < m->nheld && rc == CM_OK; i++)
		if (apply_event(m, &m->held[i].ev, m->held[i].ev.file) != 0)
			rc = cm__enomem(err);
	m->nheld = 0;
	cm__arena_release(&m->held_ar);
	cm__arena_init(&m->held_ar, m->held_ctx);
	return rc;
}

static int names_copy(struct cm__arena *ar, struct cm__names *dst,
		      const char *const *v, size_t n)
{
	memset(dst, 0, sizeof(*dst));
	if (!n)
		return 0;
	dst->v = cm__arena_alloc(ar, sizeof(*dst->v) * n);
	if (!dst->v)
		return -1;
	for (size_t i = 0; i < n; i++) {
		dst->v[i].s = cm__arena_strdup(ar, v[i]);
		if (!dst->v[i].s)
			return -1;
	}
	dst->n = dst->cap = (uint32_t)n;
	return 0;
}

/* Hold a copy of @p ev (its strings are the caller's). */
static int hold(struct cm_monitor *m, uint32_t source, const struct cm_event *ev,
		const char *const *rep, size_t nrep, const char *const *den,
		size_t nden, const char *const *ver, size_t nver,
		cm_error *err)
{
	cm_time t = ev->time;
	if ((m->closed != CM_TIME_NONE && t <= m->closed) ||
	    (m->clock != CM_TIME_NONE && t < m->clock) ||
	    (m->nheld && t < m->held_time)) {
		char a[32], b[32];
		cm_time_format(t, a, sizeof(a));
		cm_time_format(m->closed != CM_TIME_NONE ? m->closed
			       : m->nheld ? m->held_time : m->clock,
			       b, sizeof(b));
		return cm__error(err, CM_EORDER, ev->file, NOPOS,
				 "event at %s is before the monitor's clock %s",
				 a, b);
	}
	if (source < m->nsrc_last && m->src_last[source] != CM_TIME_NONE &&
	    t < m->src_last[source])
		return cm__error(err, CM_EORDER, ev->file, NOPOS,
				 "event earlier than the one before it in "
				 "source %u", source);
	if (!m->held_ctx) {
		m->held_ctx = cm__ctx_new(m, "cm_monitor_held");
		if (!m->held_ctx)
			return cm__enomem(err);
		cm__arena_init(&m->held_ar, m->held_ctx);
	}
	if (source >= m->nsrc_last) {
		cm_time *v = cm__realloc(m, m->src_last, sizeof(*v),
					 (size_t)source + 1, "src_last");
		if (!v)
			return cm__enomem(err);
		for (uint32_t i = m->nsrc_last; i <= source; i++)
			v[i] = CM_TIME_NONE;
		m->src_last = v;
		m->nsrc_last = source + 1;
	}
	if (m->nheld == m->heldcap) {
		uint32_t nc = m->heldcap ? m->heldcap * 2 : 8;
		struct held *v = cm__realloc(m->held_ctx, m->held, sizeof(*v),
					     nc, "held");
		if (!v)
			return cm__enomem(err);
		m->held = v;
		m->heldcap = nc;
	}
	if (m->nheld && t > m->held_time) {
		int rc = flush(m, err);
		if (rc != CM_OK)
			return rc;
	}
	struct held *h = &m->held[m->nheld];
	memset(h, 0, sizeof(*h));
	h->ev.time = t;
	h->ev.line = ev->line;
	h->ev.pos = ev->pos;
	struct cm__arena *ar = &m->held_ar;
	if (cm__action_copy(ar, &h->ev.act, &ev->act) != 0 ||
	    names_copy(ar, &h->ev.reported, rep, nrep) != 0 ||
	    names_copy(ar, &h->ev.denied, den, nden) != 0 ||
	    names_copy(ar, &h->ev.verified, ver, nver) != 0 ||
	    (ev->file && !(h->ev.file = cm__arena_strdup(ar, ev->file))))
		return cm__enomem(err);
	h->source = source;
	h->seq = m->seq++;
	m->nheld++;
	m->held_time = t;
	m->src_last[source] = t;
	if (m->last_event == CM_TIME_NONE || t > m->last_event)
		m->last_event = t;
	m->fed = true;
	return CM_OK;
}

static bool in_list(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static int check_ids(const char *const *v, size_t n, cm_error *err)
{
	if (n && !v)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "provenance list is NULL");
	for (size_t i = 0; i < n; i++)
		if (!v[i] || !cm__valid_id(v[i]))
			return cm__error(err, CM_EINVAL, NULL, NOPOS,
					 "invalid party id '%s'",
					 v[i] ? v[i] : "(null)");
	return CM_OK;
}

CM_EXPORT int cm_monitor_feed(cm_monitor *m, uint32_t source, cm_time time,
			      const char *type,
			      const char *const *attr_names,
			      const char *const *attr_values, size_t nattrs,
			      const char *const *reported, size_t nreported,
			      const char *const *denied, size_t ndenied,
			      const char *const *verified, size_t nverified,
			      cm_error *err)
{
	if (!m || !type || time == CM_TIME_NONE ||
	    (nattrs && (!attr_names || !attr_values)))
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	int rc = failed(m, err);
	if (rc != CM_OK)
		return rc;
	if (!cm__valid_id(type))
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid event type '%s'", type);
	if ((rc = check_ids(reported, nreported, err)) != CM_OK ||
	    (rc = check_ids(denied, ndenied, err)) != CM_OK ||
	    (rc = check_ids(verified, nverified, err)) != CM_OK)
		return rc;
	for (size_t i = 0; i < nreported; i++)
		if (in_list(denied, ndenied, reported[i]))
			return cm__error(err, CM_EINVAL, NULL, NOPOS,
					 "event both reported and denied by "
					 "'%s'", reported[i]);
	void *tmp = cm__ctx_new(NULL, "cm_monitor_feed");
	struct cm__attr *attrs = nattrs
		? cm__realloc(tmp, NULL, sizeof(*attrs), nattrs, "attrs")
		: NULL;
	if (!tmp || (nattrs && !attrs)) {
		cm__free(tmp);
		return cm__enomem(err);
	}
	for (size_t i = 0; i < nattrs; i++) {
		if (!attr_names[i] || !cm__valid_id(attr_names[i]) ||
		    !attr_values[i]) {
			cm__free(tmp);
			return cm__error(err, CM_EINVAL, NULL, NOPOS,
					 "invalid attribute '%s'",
					 attr_names[i] ? attr_names[i]
						       : "(null)");
		}
		if (in_list(attr_names, i, attr_names[i])) {
			cm__free(tmp);
			return cm__error(err, CM_EINVAL, NULL, NOPOS,
					 "duplicate attribute '%s'",
					 attr_names[i]);
		}
		attrs[i].name = attr_names[i];
		attrs[i].value = attr_values[i];
		attrs[i].vkind = CM__V_STRING;
	}
	struct cm_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.time = time;
	ev.act.type = type;
	ev.act.attrs = attrs;
	ev.act.nattrs = (uint32_t)nattrs;
	rc = hold(m, source, &ev, reported, nreported, denied, ndenied,
		  verified, nverified, err);
	cm__free(tmp);
	return rc;
}

/* A copy of a name list as an array of strings (the reader reuses its
 * event's storage). */
static const char **name_array(void *ctx, const struct cm__names *l)
{
	const char **v = cm__realloc(ctx, NULL, sizeof(*v), l->n ? l->n : 1,
				     "names");
	if (!v)
		return NULL;
	for (uint32_t i = 0; i < l->n; i++)
		if (!(v[i] = cm__strdup(ctx, l->v[i].s)))
			return NULL;
	return v;
}

CM_EXPORT int cm_monitor_feed_text(cm_monitor *m, uint32_t source,
				   const char *line, size_t len,
				   cm_error *err)
{
	if (!m || (!line && len))
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	int rc = failed(m, err);
	if (rc != CM_OK)
		return rc;
	void *tmp = cm__ctx_new(NULL, "cm_monitor_feed_text");
	if (!tmp)
		return cm__enomem(err);
	struct cm__event_reader *r;
	const struct cm_event *ev = NULL, *extra = NULL;
	rc = cm__event_reader_memory(tmp, line ? line : "", len, "<event>", &r,
				     err);
	if (rc == CM_OK) {
		rc = cm__event_reader_next(r, &ev, err);
		if (rc == 0)
			rc = cm__error(err, CM_ESYNTAX, "<event>", NOPOS,
				       "expected an event");
		else if (rc > 0)
			rc = CM_OK;
	}
	if (rc == CM_OK) {
		/* copy before reading on: the reader reuses its event */
		const char **rep = name_array(tmp, &ev->reported);
		const char **den = name_array(tmp, &ev->denied);
		const char **ver = name_array(tmp, &ev->verified);
		struct cm_event one = *ev;
		one.file = NULL; /* live events carry no file or line */
		one.line = 0;
		struct cm__arena ar;
		cm__arena_init(&ar, tmp);
		if (!rep || !den || !ver ||
		    cm__action_copy(&ar, &one.act, &ev->act) != 0) {
			rc = cm__enomem(err);
		} else {
			rc = cm__event_reader_next(r, &extra, err);
			if (rc > 0)
				rc = cm__error(err, CM_ESYNTAX, "<event>",
					       extra->pos,
					       "expected one event, found more");
			else if (rc == 0)
				rc = hold(m, source, &one, rep,
					  ev->reported.n, den, ev->denied.n,
					  ver, ev->verified.n, err);
		}
	}
	cm__free(tmp);
	return rc;
}

CM_EXPORT int cm_monitor_advance(cm_monitor *m, cm_time t, cm_error *err)
{
	if (!m || t == CM_TIME_NONE)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	int rc = failed(m, err);
	if (rc != CM_OK)
		return rc;
	if ((m->clock != CM_TIME_NONE && t < m->clock) ||
	    (m->closed != CM_TIME_NONE && t < m->closed))
		return cm__error(err, CM_EORDER, NULL, NOPOS,
				 "cannot move the clock back");
	if (m->nheld && m->held_time <= t && (rc = flush(m, err)) != CM_OK)
		return rc;
	run_due(m, t);
	m->clock = t;
	m->closed = t;
	m->fed = true;
	return CM_OK;
}

/* ---- snapshots ------------------------------------------------------- */

CM_EXPORT int cm_monitor_snapshot(void *mem_ctx, cm_monitor *m,
				  cm_snapshot **out, cm_error *err)
{
	if (!m || !out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	if (m->failed)
		return failed(m, err);
	int rc = flush(m, err);
	if (rc != CM_OK)
		return rc;
	void *tmp = cm__ctx_new(NULL, "cm_snapshot");
	struct cm_snapshot *s = tmp ? cm__zalloc(tmp, sizeof(*s), "cm_snapshot")
				    : NULL;
	if (!s)
		goto oom;
	s->n = m->ncom;
	s->at = m->clock;
	s->id = cm__strdup(s, m->a->id);
	s->view = cm__strdup(s, m->view);
	s->title = m->a->title ? cm__strdup(s, m->a->title) : NULL;
	s->items = cm__zalloc(s, sizeof(*s->items) * (m->ncom ? m->ncom : 1),
			      "items");
	if (!s->id || !s->view || (m->a->title && !s->title) || !s->items)
		goto oom;
	for (uint32_t i = 0; i < m->ncom; i++) {
		struct cm__snap_item *it = &s->items[i];
		const struct cm_commitment *c = m->com[i].c;
		if (!(it->id = cm__strdup(s, c->id)))
			goto oom;
		it->modality = c->modality;
		it->standing = c->standing;
	}
	for (uint32_t i = 0; i < m->ncom; i++) {
		struct cm__snap_item *it = &s->items[i];
		const struct cst *st = &m->st[i];
		it->state = st->state;
		it->since = st->since;
		it->reason = st->reason;
		it->line = st->line;
		it->blame = st->blame >= 0 ? s->items[st->blame].id : NULL;
		if (st->file && !(it->file = cm__strdup(s, st->file)))
			goto oom;
		if (st->nexcused) {
			it->excused = cm__realloc(s, NULL, sizeof(char *),
						  st->nexcused, "excused");
			if (!it->excused)
				goto oom;
			for (uint32_t j = 0; j < st->nexcused; j++)
				it->excused[j] = s->items[st->excused[j]].id;
			it->nexcused = st->nexcused;
		}
	}
	*out = cm__steal(mem_ctx, s);
	cm__free(tmp);
	return CM_OK;
oom:
	cm__free(tmp);
	return cm__enomem(err);
}
