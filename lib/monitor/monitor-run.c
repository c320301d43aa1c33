/*
 * A monitor run: the registered sources (the document's top-level events,
 * the agreement's own, events files and texts) streamed and merged by
 * time, equal times in source order; nothing half-applied on error.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "import/importer.h"
#include "monitor/monitor-engine.h"
#include "model/names.h"
#include "syntax/syntax.h"

static const struct cm__pos NOPOS = {0, 0};

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
	/* the copies first: a failure then leaves nothing behind (not even
	 * a grown array) */
	char *name = cm__strdup(m, s->name);
	char *path = name && s->path ? cm__strdup(m, s->path) : NULL;
	struct src *v = NULL;
	if (name && (!s->path || path))
		v = cm__realloc(m, m->srcs, sizeof(*v), m->nsrcs + 1, "srcs");
	if (!v) {
		cm__free(path);
		cm__free(name);
		return cm__enomem(err);
	}
	m->srcs = v;
	v[m->nsrcs] = *s;
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

CM_EXPORT int cm_monitor_add_import(cm_monitor *m, cm_import *imp,
				    cm_error *err)
{
	if (!m || !imp || cm__import_started(imp))
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 imp ? "the import has started"
				     : "invalid argument");
	/* the CSV names, copied: causes keep them after the run */
	uint32_t n = cm__import_ninputs(imp);
	const char **names = cm__realloc(m, NULL, sizeof(char *), n ? n : 1,
					 "inames");
	for (uint32_t i = 0; names && i < n; i++)
		if (!(names[i] = cm__strdup(names, cm__import_input_name(imp,
									 i)))) {
			cm__free(names);
			names = NULL;
		}
	if (!names)
		return cm__enomem(err);
	struct src s = {SRC_IMPORT, NULL, NULL, 0, "<import>", imp, names};
	int rc = add_src(m, &s, err);
	if (rc == CM_OK)
		cm__import_claim(imp);
	else
		cm__free(names);
	return rc;
}

/* ---- checks on shared events ------------------------------------------ */

int cm__mon_check_verifiers(const struct cm_monitor *m,
			    const struct cm_event *ev, const char *file,
			    cm_error *err)
{
	for (uint32_t i = 0; i < ev->verified.n; i++) {
		const struct cm__name *v = &ev->verified.v[i];
		const struct cm_party *p = cm__find_party(m->a, v->s);
		if (p && p->role != CM_ROLE_MEDIATOR &&
		    p->role != CM_ROLE_GUARANTOR &&
		    p->role != CM_ROLE_WITNESS)
			return cm__error(err, CM_ESEMANTIC, file, v->pos,
					 "'%s' verifies event '%s' but is %s in "
					 "agreement '%s': only a mediator, "
					 "guarantor or witness can verify",
					 p->id, ev->act.type, cm__a_role(p->role),
					 m->a->id);
	}
	return CM_OK;
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

/* Source @p a's current event comes before source @p b's. */
static inline bool src_before(const struct rsrc *s, uint32_t a, uint32_t b)
{
	cm_time ta = s[a].cur->time, tb = s[b].cur->time;
	return ta < tb || (ta == tb && a < b);
}

static void src_sift_down(const struct rsrc *s, uint32_t *heap, uint32_t n,
			  uint32_t i)
{
	for (;;) {
		uint32_t l = 2 * i + 1, min = i;
		if (l < n && src_before(s, heap[l], heap[min]))
			min = l;
		if (l + 1 < n && src_before(s, heap[l + 1], heap[min]))
			min = l + 1;
		if (min == i)
			return;
		uint32_t t = heap[i];
		heap[i] = heap[min];
		heap[min] = t;
		i = min;
	}
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
	const struct rsrc *own = &s[k];
	s[k++].name = m->a->file;
	/* Each source is opened and its first event read before the next is
	 * opened: a file read whole is closed at once (lib/events.c). */
	for (uint32_t i = 0; i < k; i++) {
		int rc = src_next(&s[i], err);
		if (rc != CM_OK)
			return rc;
	}
	for (uint32_t i = 0; i < m->nsrcs; i++, k++) {
		const struct src *r = &m->srcs[i];
		if (r->kind == SRC_IMPORT) {
			/* the rows are read here and sorted by time */
			struct cm__arena *ar = cm__zalloc(tmp, sizeof(*ar),
							  "import");
			struct cm__events *l = cm__zalloc(tmp, sizeof(*l),
							  "import");
			if (!ar || !l)
				return cm__enomem(err);
			cm__arena_init(ar, tmp);
			int rc = cm__import_collect(r->imp, ar, l, r->inames,
						    err);
			if (rc != CM_OK)
				return rc;
			if (mem_source(tmp, l, NULL, false, &s[k]) != 0)
				return cm__enomem(err);
			s[k].name = NULL; /* each event names its CSV */
			rc = src_next(&s[k], err);
			if (rc != CM_OK)
				return rc;
			continue;
		}
		int rc = r->kind == SRC_FILE
			? cm__event_reader_open(tmp, r->path, &s[k].rd, err)
			: cm__event_reader_memory(tmp, r->text, r->len, r->name,
						  &s[k].rd, err);
		if (rc == CM_OK)
			rc = src_next(&s[k], err);
		if (rc != CM_OK)
			return rc;
		s[k].name = r->name;
	}
	/* Merge: a binary heap of the sources that have an event, by
	 * (time, source index), so equal times keep the sources' order
	 * (a scan of every source for every event was O(events x sources)). */
	uint32_t *heap = cm__realloc(tmp, NULL, sizeof(*heap), k ? k : 1,
				     "rsrc_heap");
	if (!heap)
		return cm__enomem(err);
	uint32_t nh = 0;
	for (uint32_t i = 0; i < k; i++)
		if (s[i].cur)
			heap[nh++] = i;
	for (uint32_t i = nh / 2; i-- > 0;)
		src_sift_down(s, heap, nh, i);
	while (nh) {
		struct rsrc *best = &s[heap[0]];
		const struct cm_event *ev = best->cur;
		/* the agreement's own block was checked when it was resolved */
		if (best != own) {
			int rc = cm__mon_check_verifiers(
				m, ev, best->name ? best->name : ev->file, err);
			if (rc != CM_OK)
				return rc;
		}
		if (m->last_event == CM_TIME_NONE || ev->time > m->last_event)
			m->last_event = ev->time;
		if ((at == CM_TIME_NONE || ev->time <= at) &&
		    cm__mon_apply_event(m, ev,
					best->name ? best->name : ev->file) != 0)
			return cm__enomem(err);
		int rc = src_next(best, err);
		if (rc != CM_OK)
			return rc;
		if (!best->cur)
			heap[0] = heap[--nh];
		src_sift_down(s, heap, nh, 0);
	}
	/* The default moment is after the last event; with no event at all,
	 * the end of the agreement's date (its state "at" that day), so that a
	 * dated agreement is seen in force rather than not yet begun. */
	cm_time target = at != CM_TIME_NONE ? at : m->last_event;
	if (target == CM_TIME_NONE && m->a->date != CM_TIME_NONE)
		target = m->a->date + CM__MINUTES_PER_DAY - 1;
	if (target != CM_TIME_NONE) {
		cm__mon_run_due(m, target);
		if (m->failed)
			return cm__enomem(err);
		if (m->clock == CM_TIME_NONE || target > m->clock)
			m->clock = target;
	}
	return CM_OK;
}

/* The dynamic state of a monitor (all of it under st_ctx), set aside so
 * that a failed run can come back to it without allocating. */
struct saved_state {
	void *st_ctx;
	struct cst *st;
	struct atom_st *ast;
	struct mon_v02 *x2;
	struct tev *heap;
	uint32_t nheap, heapcap;
	struct qheap qa, qb;
	bool cur_is_a;
	uint32_t epoch;
	bool initial, failed;
	cm_time clock, last_event, closed;
};

static void save_state(const struct cm_monitor *m, struct saved_state *sv)
{
	sv->st_ctx = m->st_ctx;
	sv->st = m->st;
	sv->ast = m->ast;
	sv->x2 = m->x2;
	sv->heap = m->heap;
	sv->nheap = m->nheap;
	sv->heapcap = m->heapcap;
	sv->qa = m->qa;
	sv->qb = m->qb;
	sv->cur_is_a = m->cur == &m->qa;
	sv->epoch = m->epoch;
	sv->initial = m->initial;
	sv->failed = m->failed;
	sv->clock = m->clock;
	sv->last_event = m->last_event;
	sv->closed = m->closed;
}

static void restore_state(struct cm_monitor *m, const struct saved_state *sv)
{
	m->st_ctx = sv->st_ctx;
	m->st = sv->st;
	m->ast = sv->ast;
	m->x2 = sv->x2;
	m->heap = sv->heap;
	m->nheap = sv->nheap;
	m->heapcap = sv->heapcap;
	m->qa = sv->qa;
	m->qb = sv->qb;
	m->cur = sv->cur_is_a ? &m->qa : &m->qb;
	m->next = sv->cur_is_a ? &m->qb : &m->qa;
	m->epoch = sv->epoch;
	m->initial = sv->initial;
	m->failed = sv->failed;
	m->clock = sv->clock;
	m->last_event = sv->last_event;
	m->closed = sv->closed;
	m->ev = NULL;
	m->ev_file = NULL;
}

CM_EXPORT int cm_monitor_run(cm_monitor *m, cm_time at, cm_error *err)
{
	if (!m)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	int rc = not_runnable(m, err);
	if (rc != CM_OK)
		return rc;
	/* The run works on a fresh initial state; the current one (the
	 * initial state: the monitor has neither run nor been fed) is set
	 * aside, so that on any error the monitor goes back to it without
	 * needing memory. */
	struct saved_state sv;
	save_state(m, &sv);
	m->st_ctx = NULL;
	bool had_hits = m->hits != NULL;
	void *tmp = NULL;
	if (cm__mon_state_init(m) != 0)
		rc = cm__enomem(err);
	else if (!(tmp = cm__ctx_new(NULL, "cm_monitor_run")))
		rc = cm__enomem(err);
	else
		rc = run_sources(m, tmp, at, err);
	cm__free(tmp);
	if (rc != CM_OK) {
		/* nothing half-applied: back to the initial state */
		cm__free(m->st_ctx);
		restore_state(m, &sv);
		if (!had_hits) {
			cm__free(m->hits);
			m->hits = NULL;
			m->hitcap = 0;
		}
		return rc;
	}
	cm__free(sv.st_ctx);
	m->ran = true;
	return CM_OK;
}
