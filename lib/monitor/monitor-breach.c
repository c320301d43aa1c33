/*
 * Continuing duties and their breaches (SPEC §8.4), the history of
 * every commitment (§8.9, rule 29), and which events a view keeps (§8.6).
 *
 * Every commitment counts its breaches and keeps the last one (flat in
 * the number of events). A windowed reader of breaches — `breached(X)
 * within N`, `breaches(X) CMP K within N`, `reciprocal X within N` — reads
 * a *breach watch*: the times of X's breaches still in (t - N, t], shared
 * by every reader of the same (X, N); its oldest time leaving the window
 * is a time-driven change (K_BWINDOW) that wakes its readers at that
 * exact minute. Unwindowed readers read X's total, and are woken by X's
 * breaches as X's dependents.
 *
 * With history on, transitions mark their commitment; at each checkpoint
 * (after a minute's time-driven part, after an event's judgement, after
 * its re-evaluation) a marked commitment whose (state, since, cause)
 * differs from its last entry gets a new one. Breaches are appended as
 * they happen.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "monitor/monitor-engine.h"

bool cm__mon_continuing(const struct cm_monitor *m, uint32_t i)
{
	const struct cm_commitment *c = m->com[i].c;
	return c->is_action &&
	       (c->modality == CM_MUST_NOT || c->modality == CM_MUST_PREVENT);
}

/* ---- breach watches: compile time ------------------------------------ */

/* The 0.2 compile-time lists, made on the first breach reader: an
 * agreement without one spends nothing on them. */
static int need_com2(struct cm_monitor *m)
{
	if (!m->com2)
		m->com2 = cm__zalloc(m, sizeof(*m->com2) *
					     (m->ncom ? m->ncom : 1), "com2");
	return m->com2 ? 0 : -1;
}

int cm__mon_bdep(struct cm_monitor *m, uint32_t target, uint32_t owner)
{
	if (need_com2(m) != 0)
		return -1;
	struct mcom2 *t = &m->com2[target];
	return cm__u32_add_once(&m->ar, &t->bdeps, &t->nbdeps, &t->bdcap,
				owner);
}

int cm__mon_watch_of(struct cm_monitor *m, uint32_t target, int64_t window,
		     uint32_t owner, uint32_t *out)
{
	if (need_com2(m) != 0)
		return -1;
	struct mcom2 *t = &m->com2[target];
	uint32_t w = NO_WATCH;
	for (uint32_t j = 0; j < t->nwatches; j++)
		if (m->bw[t->watches[j]].window == window)
			w = t->watches[j];
	if (w == NO_WATCH) {
		if (m->nbw == m->bwcap) {
			if (m->bwcap > UINT32_MAX / 4)
				return -1;
			uint32_t nc = m->bwcap ? m->bwcap * 2 : 4;
			struct bwatch *v = cm__realloc(m, m->bw, sizeof(*v), nc,
						       "bwatch");
			if (!v)
				return -1;
			m->bw = v;
			m->bwcap = nc;
		}
		uint32_t *v = cm__arena_grow(&m->ar, t->watches, sizeof(*v),
					     t->nwatches, &t->wcap);
		if (!v)
			return -1;
		t->watches = v;
		w = m->nbw++;
		memset(&m->bw[w], 0, sizeof(m->bw[w]));
		m->bw[w].target = target;
		m->bw[w].window = window;
		t->watches[t->nwatches++] = w;
	}
	struct bwatch *d = &m->bw[w];
	for (uint32_t j = 0; j < d->nowners; j++)
		if (d->owners[j].c == owner) {
			*out = w;
			return 0;
		}
	struct owner *o = cm__arena_grow(&m->ar, d->owners, sizeof(*o),
					 d->nowners, &d->ocap);
	if (!o)
		return -1;
	d->owners = o;
	o[d->nowners].c = owner;
	o[d->nowners++].if_only = false;
	*out = w;
	return 0;
}

/* ---- the dynamic state ------------------------------------------------ */

int cm__mon_v02_init(struct cm_monitor *m)
{
	struct mon_v02 *x = cm__zalloc(m->st_ctx, sizeof(*x), "mon_v02");
	if (!x)
		return -1;
	m->x2 = x;
	x->bst = cm__zalloc(m->st_ctx,
			    sizeof(*x->bst) * (m->ncom ? m->ncom : 1), "bst");
	if (!x->bst)
		return -1;
	for (uint32_t i = 0; i < m->ncom; i++)
		x->bst[i].last = CM_TIME_NONE;
	if (m->nbw) {
		x->bws = cm__zalloc(m->st_ctx, sizeof(*x->bws) * m->nbw, "bws");
		if (!x->bws)
			return -1;
	}
	if (m->history) {
		uint32_t nc = m->ncom ? m->ncom : 1;
		x->hist = cm__zalloc(m->st_ctx, sizeof(*x->hist) * nc, "hist");
		x->touched = cm__realloc(m->st_ctx, NULL, sizeof(uint32_t), nc,
					 "touched");
		x->tmark = cm__zalloc(m->st_ctx, nc, "tmark");
		if (!x->hist || !x->touched || !x->tmark)
			return -1;
	}
	return 0;
}

/* ---- windows --------------------------------------------------------- */

/* Note the count of watch @p w before this moment's first change. */
static void bw_mark(struct cm_monitor *m, struct bw_st *b)
{
	if (b->pepoch != m->epoch) {
		b->pepoch = m->epoch;
		b->prev_len = b->len;
	}
}

/* Drop the times that left (now - N, now]; the count left. */
static uint32_t bw_count(struct cm_monitor *m, uint32_t w, cm_time now)
{
	struct bw_st *b = &m->x2->bws[w];
	cm_time lo;
	if (now == CM_TIME_NONE ||
	    __builtin_sub_overflow(now, m->bw[w].window, &lo))
		return b->len;
	while (b->len && b->q[b->head] <= lo) {
		bw_mark(m, b);
		b->head = (b->head + 1) % b->cap;
		b->len--;
	}
	return b->len;
}

static void bw_schedule(struct cm_monitor *m, uint32_t w)
{
	struct bw_st *b = &m->x2->bws[w];
	cm_time exp;
	if (!b->scheduled && b->len &&
	    !__builtin_add_overflow(b->q[b->head], m->bw[w].window, &exp)) {
		cm__mon_heap_push(m, exp, K_BWINDOW, w);
		b->scheduled = true;
	}
}

static void bw_wake(struct cm_monitor *m, uint32_t w)
{
	const struct bwatch *d = &m->bw[w];
	for (uint32_t j = 0; j < d->nowners; j++)
		cm__mon_enqueue(m, d->owners[j].c, -1);
}

void cm__mon_bwindow_expired(struct cm_monitor *m, uint32_t w, cm_time t)
{
	struct bw_st *b = &m->x2->bws[w];
	b->scheduled = false;
	uint32_t before = b->len;
	bw_count(m, w, t);
	bw_schedule(m, w);
	if (b->len != before)
		bw_wake(m, w);
}

static int bw_record(struct cm_monitor *m, uint32_t w, cm_time t)
{
	struct bw_st *b = &m->x2->bws[w];
	bw_count(m, w, t);
	if (b->len == b->cap) {
		if (b->cap > UINT32_MAX / 2)
			return -1;
		uint32_t nc = b->cap ? b->cap * 2 : 4;
		cm_time *v = cm__realloc(m->st_ctx, NULL, sizeof(*v), nc,
					 "bwindow");
		if (!v)
			return -1;
		for (uint32_t j = 0; j < b->len; j++)
			v[j] = b->q[(b->head + j) % b->cap];
		cm__free(b->q);
		b->q = v;
		b->head = 0;
		b->cap = nc;
	}
	bw_mark(m, b);
	b->q[(b->head + b->len) % b->cap] = t;
	b->len++;
	bw_schedule(m, w);
	bw_wake(m, w);
	return 0;
}

/* ---- breaches -------------------------------------------------------- */

static int hist_breach(struct cm_monitor *m, uint32_t i, cm_time t,
		       uint32_t line, const char *file)
{
	struct hist *h = &m->x2->hist[i];
	if (h->nb == h->bcap) {
		if (h->bcap > UINT32_MAX / 2)
			return -1;
		uint32_t nc = h->bcap ? h->bcap * 2 : 4;
		struct breach_rec *v = cm__realloc(m->st_ctx, h->b, sizeof(*v),
						   nc, "breach_list");
		if (!v)
			return -1;
		h->b = v;
		h->bcap = nc;
	}
	h->b[h->nb++] = (struct breach_rec){t, line, file};
	return 0;
}

int cm__mon_breach(struct cm_monitor *m, uint32_t i, cm_time t,
		   uint32_t line, const char *file)
{
	struct bst *b = &m->x2->bst[i];
	static const struct mcom2 none;
	const struct mcom2 *k = m->com2 ? &m->com2[i] : &none;
	if (m->history && hist_breach(m, i, t, line, file) != 0)
		return -1;
	for (uint32_t j = 0; j < k->nwatches; j++)
		if (bw_record(m, k->watches[j], t) != 0)
			return -1;
	if (b->bepoch != m->epoch) {
		b->bepoch = m->epoch;
		b->prev_nb = b->nbreach < UINT32_MAX ? (uint32_t)b->nbreach
						     : UINT32_MAX;
	}
	b->nbreach++;
	m->st[i].breached = true;
	b->last = t;
	b->line = line;
	b->file = file;
	/* only the readers of the count: a first breach comes with a
	 * transition, which wakes the state readers and reciprocal links;
	 * windowed readers are woken by their watch */
	for (uint32_t j = 0; j < k->nbdeps; j++)
		cm__mon_enqueue(m, k->bdeps[j], -1);
	return 0;
}

/* ---- reading breaches ------------------------------------------------ */

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

/* A count's truth as the atom reads it. */
static bool atom_truth(const struct mcond *n, uint64_t count)
{
	if (n->type == CM_CT_BREACHED)
		return count > 0;
	return cmp_holds(count, n->cmp, n->n);
}

/* The count the atom or link reads now, and before this moment. */
static uint64_t count_now(struct cm_monitor *m, uint32_t target,
			  uint32_t watch, cm_time now)
{
	if (watch == NO_WATCH)
		return m->x2->bst[target].nbreach;
	return bw_count(m, watch, now);
}

static uint64_t count_before(struct cm_monitor *m, uint32_t target,
			     uint32_t watch, cm_time now)
{
	if (watch == NO_WATCH) {
		const struct bst *s = &m->x2->bst[target];
		return s->bepoch == m->epoch ? (uint64_t)s->prev_nb
					     : s->nbreach;
	}
	uint32_t len = bw_count(m, watch, now);
	const struct bw_st *b = &m->x2->bws[watch];
	return b->pepoch == m->epoch ? b->prev_len : len;
}

bool cm__mon_breach_atom(struct cm_monitor *m, const struct mcond *n,
			 cm_time now)
{
	return atom_truth(n, count_now(m, n->target, n->atom, now));
}

bool cm__mon_breach_flipped(struct cm_monitor *m, const struct mcond *n,
			    cm_time now)
{
	return atom_truth(n, count_before(m, n->target, n->atom, now)) !=
	       atom_truth(n, count_now(m, n->target, n->atom, now));
}

/* Rule 7: suspended while X has had a breach (in the window). X being
 * terminated (part 2 of 0.2) would lift it. */
static uint32_t watch_of_link(const struct mcom *k, uint32_t j)
{
	return k->recip_watch ? k->recip_watch[j] : NO_WATCH;
}

bool cm__mon_recip_suspends(struct cm_monitor *m, const struct mcom *k,
			    uint32_t j, cm_time now)
{
	uint32_t w = watch_of_link(k, j);
	if (w == NO_WATCH)
		return m->st[k->recip[j]].breached;
	return count_now(m, k->recip[j], w, now) > 0;
}

bool cm__mon_recip_flipped(struct cm_monitor *m, const struct mcom *k,
			   uint32_t j, cm_time now)
{
	uint32_t w = watch_of_link(k, j);
	return (count_before(m, k->recip[j], w, now) > 0) !=
	       (count_now(m, k->recip[j], w, now) > 0);
}

bool cm__mon_blame_is_link(const struct mcom *k, int32_t blame)
{
	for (uint32_t j = 0; blame >= 0 && j < k->nrecip; j++)
		if (k->recip[j] == (uint32_t)blame)
			return true;
	return false;
}

/* ---- history ---------------------------------------------------------- */

int cm__mon_checkpoint(struct cm_monitor *m)
{
	struct mon_v02 *x = m->x2;
	int rc = 0;
	for (uint32_t k = 0; k < x->ntouched; k++) {
		uint32_t i = x->touched[k];
		x->tmark[i] = false;
		if (rc)
			continue;
		const struct cst *s = &m->st[i];
		struct hist *h = &x->hist[i];
		struct hist_entry e = {s->state, s->reason, s->since, s->line,
				       s->file, s->blame};
		if (m->initial || s->reason == CM_CAUSE_NONE) {
			e.reason = CM_CAUSE_NONE;
			e.since = CM_TIME_NONE;
			e.line = 0;
			e.file = NULL;
			e.blame = -1;
		}
		if (h->n) {
			const struct hist_entry *l = &h->v[h->n - 1];
			if (l->state == e.state && l->reason == e.reason &&
			    l->since == e.since && l->line == e.line &&
			    l->file == e.file && l->blame == e.blame)
				continue;
		}
		if (h->n == h->cap) {
			if (h->cap > UINT32_MAX / 2) {
				rc = -1;
				continue;
			}
			uint32_t nc = h->cap ? h->cap * 2 : 4;
			struct hist_entry *v = cm__realloc(
				m->st_ctx, h->v, sizeof(*v), nc, "history");
			if (!v) {
				rc = -1;
				continue;
			}
			h->v = v;
			h->cap = nc;
		}
		h->v[h->n++] = e;
	}
	x->ntouched = 0;
	return rc;
}

/* ---- views (§8.6) ------------------------------------------------------ */

/* Does the event count in this monitor's view? */
bool cm__mon_in_view(const struct cm_monitor *m, const struct cm_event *ev)
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
	case V_PARTY: {
		/* §8.6 and rule 24: ids the agreement does not declare are
		 * dropped first; then the public record, the party's own
		 * reports and verified events, minus its denials. A view
		 * party the agreement does not declare reports and denies
		 * nothing here. */
		const struct cm_party *vp = m->vparty;
		for (uint32_t i = 0; vp && i < ev->denied.n; i++)
			if (strcmp(ev->denied.v[i].s, vp->id) == 0)
				return false;
		for (uint32_t i = 0; i < ev->verified.n; i++)
			if (cm__find_party(m->a, ev->verified.v[i].s))
				return true;
		bool reported = false;
		for (uint32_t i = 0; i < ev->reported.n; i++) {
			const char *r = ev->reported.v[i].s;
			if (vp && strcmp(r, vp->id) == 0)
				return true;
			if (!reported && cm__find_party(m->a, r))
				reported = true;
		}
		return !reported; /* an allegation of others is not in it */
	}
	default:
		return true;
	}
}

/* ---- the option -------------------------------------------------------- */

CM_EXPORT int cm_monitor_set_history(cm_monitor *m, int on, cm_error *err)
{
	if (!m)
		return cm__error(err, CM_EINVAL, NULL, (struct cm__pos){0, 0},
				 "invalid argument");
	int rc = cm__mon_usable(m, err);
	if (rc != CM_OK)
		return rc;
	if (m->fed || m->clock != CM_TIME_NONE || m->nheld)
		return cm__error(err, CM_EINVAL, NULL, (struct cm__pos){0, 0},
				 "history is set before the first event");
	bool was = m->history;
	if (was == (on != 0))
		return CM_OK;
	/* rebuild the initial state with (or without) room for history;
	 * on failure the monitor keeps its current state */
	void *old_ctx = m->st_ctx;
	struct cm_monitor saved = *m;
	m->st_ctx = NULL;
	m->history = on != 0;
	if (cm__mon_state_init(m) != 0) {
		cm__free(m->st_ctx);
		*m = saved;
		m->st_ctx = old_ctx;
		return cm__enomem(err);
	}
	cm__free(old_ctx);
	return CM_OK;
}

CM_EXPORT int cm_monitor_history(const cm_monitor *m)
{
	return m && m->history;
}
