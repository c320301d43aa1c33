/*
 * Live feeding: events one at a time, built in code or as text lines,
 * the events of one minute held and applied in source order; moving the
 * clock.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "monitor/monitor-engine.h"
#include "syntax/syntax.h"

static const struct cm__pos NOPOS = {0, 0};

/* Source indexes of live feeds: small numbers, one per event stream. */
#define CM__MAX_SOURCE 65535u

/* ---- live feeding ---------------------------------------------------- */

int cm__mon_usable(const struct cm_monitor *m, cm_error *err)
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
int cm__mon_flush(struct cm_monitor *m, cm_error *err)
{
	if (!m->nheld)
		return CM_OK;
	qsort(m->held, m->nheld, sizeof(*m->held), by_source);
	int rc = CM_OK;
	for (uint32_t i = 0; i < m->nheld && rc == CM_OK; i++)
		if (cm__mon_apply_event(m, &m->held[i].ev,
					m->held[i].ev.file) != 0)
			rc = cm__enomem(err);
	m->nheld = 0;
	m->seq = 0; /* arrival order counts within one minute: never wraps */
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
	for (size_t i = 0; i < nver; i++) {
		/* the same rule as for events read from sources */
		struct cm__name one = {ver[i], NOPOS};
		struct cm_event probe = *ev;
		probe.verified.v = &one;
		probe.verified.n = 1;
		int rc = cm__mon_check_verifiers(m, &probe, ev->file, err);
		if (rc != CM_OK)
			return rc;
	}
	if (source > CM__MAX_SOURCE)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "source index %u is above %u", source,
				 CM__MAX_SOURCE);
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
		if (m->heldcap > UINT32_MAX / 2)
			return cm__error(err, CM_ELIMIT, NULL, NOPOS,
					 "more than %u events held in one "
					 "minute", m->heldcap);
		uint32_t nc = m->heldcap ? m->heldcap * 2 : 8;
		struct held *v = cm__realloc(m->held_ctx, m->held, sizeof(*v),
					     nc, "held");
		if (!v)
			return cm__enomem(err);
		m->held = v;
		m->heldcap = nc;
	}
	/* The copy comes first: a later minute applies the held events
	 * (that cannot be undone), so nothing may fail after that. When it
	 * does, the copy goes to a fresh arena that replaces the held one. */
	bool flush = m->nheld && t > m->held_time;
	struct cm__arena nar;
	struct cm__arena *ar = &m->held_ar;
	if (flush) {
		cm__arena_init(&nar, m->held_ctx);
		ar = &nar;
	}
	struct held nh;
	memset(&nh, 0, sizeof(nh));
	nh.ev.time = t;
	nh.ev.line = ev->line;
	nh.ev.pos = ev->pos;
	if (cm__action_copy(ar, &nh.ev.act, &ev->act) != 0 ||
	    names_copy(ar, &nh.ev.reported, rep, nrep) != 0 ||
	    names_copy(ar, &nh.ev.denied, den, nden) != 0 ||
	    names_copy(ar, &nh.ev.verified, ver, nver) != 0 ||
	    (ev->file && !(nh.ev.file = cm__arena_strdup(ar, ev->file)))) {
		if (flush)
			cm__arena_release(&nar);
		return cm__enomem(err);
	}
	if (flush) {
		int rc = cm__mon_flush(m, err);
		if (rc != CM_OK) {
			cm__arena_release(&nar);
			return rc;
		}
		cm__arena_release(&m->held_ar);
		m->held_ar = nar;
	}
	struct held *h = &m->held[m->nheld];
	*h = nh;
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
	int rc = cm__mon_usable(m, err);
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
	struct cm__attr *attrs = tmp && nattrs
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
	int rc = cm__mon_usable(m, err);
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
		} else if ((rc = cm__mon_check_verifiers(m, ev, "<event>",
							  err)) != CM_OK) {
			/* reported at the offending id */
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
	int rc = cm__mon_usable(m, err);
	if (rc != CM_OK)
		return rc;
	if ((m->clock != CM_TIME_NONE && t < m->clock) ||
	    (m->closed != CM_TIME_NONE && t < m->closed))
		return cm__error(err, CM_EORDER, NULL, NOPOS,
				 "cannot move the clock back");
	if (m->nheld && m->held_time <= t && (rc = cm__mon_flush(m, err)) != CM_OK)
		return rc;
	cm__mon_run_due(m, t);
	m->clock = t;
	m->closed = t;
	m->fed = true;
	return CM_OK;
}
