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
#include <string.h>

#include "monitor/monitor-engine.h"

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

/* Did state atom @p n change its truth value at this moment? (Its
 * commitment changing state is not enough: pending -> active leaves
 * `violated(X)` false.) */
static bool atom_flipped(const struct cm_monitor *m, const struct mcond *n)
{
	const struct cst *t = &m->st[n->target];
	return t->epoch == m->epoch &&
	       (t->prev == n->which) != (t->state == n->which);
}

/* The first state atom in @p n whose truth changed at this moment. */
static int32_t node_blame(const struct cm_monitor *m, const struct mcond *n)
{
	if (n->type == CM_CT_STATE)
		return atom_flipped(m, n) ? (int32_t)n->target : -1;
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
	if (s->epoch != m->epoch)
		s->prev = s->state;
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

/*
 * Queue the owners that can still use atom @p a: not in a final state,
 * and not using it only in an `if` that has already held. When none can,
 * the atom is dead for good and stops being tracked (returns false).
 */
static bool wake_owners(struct cm_monitor *m, uint32_t a)
{
	const struct atom_def *d = &m->adef[a];
	bool needed = false;
	for (uint32_t j = 0; j < d->nowners; j++) {
		const struct cst *o = &m->st[d->owners[j].c];
		if (terminal(o->state) || (d->owners[j].if_only && o->if_latched))
			continue;
		needed = true;
		enqueue(m, d->owners[j].c, -1);
	}
	if (!needed) {
		struct atom_st *s = &m->ast[a];
		s->dead = true;
		s->len = 0;
	}
	return needed;
}

static void window_expired(struct cm_monitor *m, uint32_t a, cm_time t)
{
	const struct atom_def *d = &m->adef[a];
	struct atom_st *s = &m->ast[a];
	s->scheduled = false;
	if (s->dead)
		return;
	cm_time exp;
	if (!d->is_count) {
		/* a later match moved the end of the window: wait for it */
		if (!__builtin_add_overflow(s->last, d->window, &exp) &&
		    exp > t) {
			heap_push(m, exp, K_WINDOW, a);
			s->scheduled = true;
			return;
		}
	} else {
		window_count(s, d->window, t);
		if (s->len && !__builtin_add_overflow(s->q[s->head], d->window,
						      &exp)) {
			heap_push(m, exp, K_WINDOW, a);
			s->scheduled = true;
		}
	}
	wake_owners(m, a);
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
void cm__mon_run_due(struct cm_monitor *m, cm_time t)
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
		if (s->excap > UINT32_MAX / 2)
			return -1;
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
	if (s->dead || !wake_owners(m, a))
		return 0;
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
			/* 2^31 times in one window (16 GiB): refused, as
			 * out of memory, rather than wrapped */
			if (s->cap > UINT32_MAX / 2)
				return -1;
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
	return 0;
}

/*
 * Apply one event (time-driven changes due by its time first). @p file is
 * the stable name recorded in causes. Returns 0 or -1 (out of memory:
 * the monitor is then marked failed).
 */
int cm__mon_apply_event(struct cm_monitor *m, const struct cm_event *ev,
			const char *file)
{
	cm_time t = ev->time;
	cm__mon_run_due(m, t);
	m->clock = t;
	if (!in_view(m, ev))
		return 0;
	int64_t n = cm__mindex_match(m->index, ev, m, &m->hits, &m->hitcap);
	if (n < 0)
		goto oom;
	uint32_t h = (uint32_t)n;
	if (h == 0)
		return 0;
	m->epoch++;
	m->ev = ev;
	m->ev_file = file;
	/* judge against the states as they stood just before the event */
	for (uint32_t j = 0; j < h; j++) {
		uint32_t hit = m->hits[j];
		if (hit & HIT_ATOM)
			continue;
		uint32_t i = hit;
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
		/* the first such right in declaration order */
		for (uint32_t k = 0; k < h; k++) {
			uint32_t q = m->hits[k];
			if (q & HIT_ATOM)
				continue;
			const struct cm_commitment *r = m->com[q].c;
			if (r->modality == CM_MAY &&
			    r->standing == CM_STANDING_AGREED &&
			    m->st[q].state == CM_STATE_ACTIVE &&
			    r->debtor_p == c->debtor_p &&
			    (excuse < 0 || q < (uint32_t)excuse))
				excuse = (int32_t)q;
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
		uint32_t hit = m->hits[j];
		if ((hit & HIT_ATOM) &&
		    record_atom(m, hit & ~HIT_ATOM, t) != 0)
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

int cm__mon_state_init(struct cm_monitor *m)
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
