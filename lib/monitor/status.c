/*
 * Snapshots of a monitor: accessors, the JSON object of SPEC §6 `status`
 * and the human-readable text.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "monitor/monitor-engine.h"

static const struct cm__pos NOPOS = {0, 0};

static const char *const reasons[] = {
	NULL, "event", "deadline", "until", "condition", "start",
};

CM_EXPORT const char *cm_cause_reason_name(int reason)
{
	if (reason <= 0 || reason >= (int)(sizeof(reasons) / sizeof(*reasons)))
		return NULL;
	return reasons[reason];
}

/* ---- taking a snapshot ------------------------------------------------ */

CM_EXPORT int cm_monitor_snapshot(void *mem_ctx, cm_monitor *m,
				  cm_snapshot **out, cm_error *err)
{
	if (!m || !out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	if (m->failed)
		return cm__mon_usable(m, err);
	/* Everything that does not depend on the states is copied before
	 * the held events are applied (which cannot be undone): a failure
	 * then leaves the monitor as it was. */
	void *tmp = cm__ctx_new(NULL, "cm_snapshot");
	struct cm_snapshot *s = tmp ? cm__zalloc(tmp, sizeof(*s), "cm_snapshot")
				    : NULL;
	if (!s)
		goto oom;
	s->n = m->ncom;
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
	/* the names a cause can carry: the agreement's file and the
	 * registered sources' names (live events carry none) */
	const char **names = cm__realloc(tmp, NULL, sizeof(*names),
					 (size_t)m->nsrcs + 1, "names");
	const char **copies = cm__realloc(tmp, NULL, sizeof(*copies),
					  (size_t)m->nsrcs + 1, "copies");
	if (!names || !copies)
		goto oom;
	uint32_t nnames = 0;
	if (m->a->file) {
		names[nnames] = m->a->file;
		if (!(copies[nnames++] = cm__strdup(s, m->a->file)))
			goto oom;
	}
	for (uint32_t i = 0; i < m->nsrcs; i++) {
		names[nnames] = m->srcs[i].name;
		if (!(copies[nnames++] = cm__strdup(s, m->srcs[i].name)))
			goto oom;
	}
	int rc = cm__mon_flush(m, err);
	if (rc != CM_OK) {
		cm__free(tmp);
		return rc;
	}
	s->at = m->clock;
	for (uint32_t i = 0; i < m->ncom; i++) {
		struct cm__snap_item *it = &s->items[i];
		const struct cst *st = &m->st[i];
		it->state = st->state;
		it->since = st->since;
		it->reason = st->reason;
		it->line = st->line;
		it->blame = st->blame >= 0 ? s->items[st->blame].id : NULL;
		for (uint32_t k = 0; st->file && !it->file && k < nnames; k++)
			if (names[k] == st->file)
				it->file = copies[k];
		if (st->file && !it->file &&
		    !(it->file = cm__strdup(s, st->file)))
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

/* ---- accessors -------------------------------------------------------- */

CM_EXPORT const char *cm_snapshot_agreement_id(const cm_snapshot *s)
{
	return s ? s->id : NULL;
}

CM_EXPORT const char *cm_snapshot_agreement_title(const cm_snapshot *s)
{
	return s ? s->title : NULL;
}

CM_EXPORT cm_time cm_snapshot_at(const cm_snapshot *s)
{
	return s ? s->at : CM_TIME_NONE;
}

CM_EXPORT const char *cm_snapshot_view(const cm_snapshot *s)
{
	return s ? s->view : NULL;
}

CM_EXPORT size_t cm_snapshot_count(const cm_snapshot *s)
{
	return s ? s->n : 0;
}

CM_EXPORT size_t cm_snapshot_violated_count(const cm_snapshot *s)
{
	size_t n = 0;
	for (uint32_t i = 0; s && i < s->n; i++)
		if (s->items[i].standing == CM_STANDING_AGREED &&
		    s->items[i].state == CM_STATE_VIOLATED)
			n++;
	return n;
}

static const struct cm__snap_item *item(const cm_snapshot *s, size_t i)
{
	return s && i < s->n ? &s->items[i] : NULL;
}

CM_EXPORT const char *cm_snapshot_id(const cm_snapshot *s, size_t i)
{
	const struct cm__snap_item *it = item(s, i);
	return it ? it->id : NULL;
}

CM_EXPORT int cm_snapshot_state(const cm_snapshot *s, size_t i)
{
	const struct cm__snap_item *it = item(s, i);
	return it ? it->state : -1;
}

CM_EXPORT int cm_snapshot_standing(const cm_snapshot *s, size_t i)
{
	const struct cm__snap_item *it = item(s, i);
	return it ? it->standing : -1;
}

CM_EXPORT int cm_snapshot_modality(const cm_snapshot *s, size_t i)
{
	const struct cm__snap_item *it = item(s, i);
	return it ? it->modality : -1;
}

CM_EXPORT cm_time cm_snapshot_since(const cm_snapshot *s, size_t i)
{
	const struct cm__snap_item *it = item(s, i);
	return it ? it->since : CM_TIME_NONE;
}

CM_EXPORT int cm_snapshot_cause_reason(const cm_snapshot *s, size_t i)
{
	const struct cm__snap_item *it = item(s, i);
	return it ? it->reason : -1;
}

CM_EXPORT int32_t cm_snapshot_cause_line(const cm_snapshot *s, size_t i)
{
	const struct cm__snap_item *it = item(s, i);
	return it ? (int32_t)it->line : 0;
}

CM_EXPORT const char *cm_snapshot_cause_file(const cm_snapshot *s, size_t i)
{
	const struct cm__snap_item *it = item(s, i);
	return it ? it->file : NULL;
}

CM_EXPORT const char *cm_snapshot_cause_commitment(const cm_snapshot *s,
						   size_t i)
{
	const struct cm__snap_item *it = item(s, i);
	return it ? it->blame : NULL;
}

CM_EXPORT size_t cm_snapshot_excused_count(const cm_snapshot *s, size_t i)
{
	const struct cm__snap_item *it = item(s, i);
	return it ? it->nexcused : 0;
}

CM_EXPORT const char *cm_snapshot_excused_by(const cm_snapshot *s, size_t i,
					     size_t j)
{
	const struct cm__snap_item *it = item(s, i);
	return it && j < it->nexcused ? it->excused[j] : NULL;
}

/* ---- JSON ------------------------------------------------------------ */

static void json_time(struct cm__buf *b, cm_time t)
{
	char buf[32];
	if (t == CM_TIME_NONE || cm_time_format(t, buf, sizeof(buf)) != CM_OK)
		cm__buf_puts(b, "null");
	else
		cm__buf_json_string(b, buf);
}

static int finish(struct cm__buf *b, void *mem_ctx, char **out, cm_error *err)
{
	int brc = cm__buf_finish(b, mem_ctx, out);
	if (brc != 0)
		return cm__buf_error(err, brc);
	return CM_OK;
}

CM_EXPORT int cm_snapshot_to_json(void *mem_ctx, const cm_snapshot *s,
				  char **out, cm_error *err)
{
	if (!s || !out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	struct cm__buf b;
	cm__buf_init(&b, mem_ctx);
	/* "schema": the JSON contract's version (docs/cli.md). */
	cm__buf_puts(&b, "{\"schema\": 1, \"id\": ");
	cm__buf_json_string(&b, s->id);
	cm__buf_puts(&b, ", \"title\": ");
	cm__buf_json_string(&b, s->title);
	cm__buf_puts(&b, ", \"at\": ");
	json_time(&b, s->at);
	cm__buf_puts(&b, ", \"view\": ");
	cm__buf_json_string(&b, s->view);
	cm__buf_puts(&b, ", \"commitments\": [");
	for (uint32_t i = 0; i < s->n; i++) {
		const struct cm__snap_item *it = &s->items[i];
		cm__buf_puts(&b, i ? ", {\"id\": " : "{\"id\": ");
		cm__buf_json_string(&b, it->id);
		cm__buf_puts(&b, ", \"state\": ");
		cm__buf_json_string(&b, cm_state_name(it->state));
		cm__buf_puts(&b, ", \"standing\": ");
		cm__buf_json_string(&b, cm_standing_name(it->standing));
		cm__buf_puts(&b, ", \"modality\": ");
		cm__buf_json_string(&b, cm_modality_name(it->modality));
		cm__buf_puts(&b, ", \"since\": ");
		json_time(&b, it->since);
		cm__buf_puts(&b, ", \"cause\": ");
		if (it->reason == CM_CAUSE_NONE) {
			cm__buf_puts(&b, "null");
		} else {
			cm__buf_puts(&b, "{\"reason\": ");
			cm__buf_json_string(&b, cm_cause_reason_name(it->reason));
			if (it->line)
				cm__buf_printf(&b, ", \"event_line\": %u",
					       it->line);
			else
				cm__buf_puts(&b, ", \"event_line\": null");
			cm__buf_puts(&b, ", \"event_file\": ");
			cm__buf_json_string(&b, it->line ? it->file : NULL);
			cm__buf_puts(&b, ", \"commitment\": ");
			cm__buf_json_string(&b, it->blame);
			cm__buf_puts(&b, "}");
		}
		cm__buf_puts(&b, ", \"excused_by\": [");
		for (uint32_t j = 0; j < it->nexcused; j++) {
			if (j)
				cm__buf_puts(&b, ", ");
			cm__buf_json_string(&b, it->excused[j]);
		}
		cm__buf_puts(&b, "]}");
	}
	cm__buf_puts(&b, "]}");
	return finish(&b, mem_ctx, out, err);
}

/* ---- text ------------------------------------------------------------ */

static void text_time(struct cm__buf *b, cm_time t, const char *none)
{
	char buf[32];
	if (t != CM_TIME_NONE && cm_time_format(t, buf, sizeof(buf)) == CM_OK)
		cm__buf_puts(b, buf);
	else
		cm__buf_puts(b, none);
}

static void text_event(struct cm__buf *b, const struct cm__snap_item *it)
{
	if (it->file)
		cm__buf_printf(b, "%s:%u", it->file, it->line);
	else
		cm__buf_printf(b, "line %u", it->line);
}

static void why(struct cm__buf *b, const struct cm__snap_item *it)
{
	switch (it->reason) {
	case CM_CAUSE_NONE:
		cm__buf_puts(b, it->state == CM_STATE_PENDING
			     ? "not yet in effect"
			     : it->state == CM_STATE_SUSPENDED
			     ? "in effect from the start, a guard fails"
			     : "in effect from the start");
		break;
	case CM_CAUSE_EVENT:
		cm__buf_puts(b, "event");
		if (it->line) {
			cm__buf_puts(b, " at ");
			text_event(b, it);
		}
		break;
	case CM_CAUSE_DEADLINE:
		cm__buf_puts(b, "deadline passed");
		break;
	case CM_CAUSE_UNTIL:
		cm__buf_puts(b, "until passed");
		break;
	case CM_CAUSE_CONDITION:
		cm__buf_puts(b, "condition");
		if (it->blame)
			cm__buf_printf(b, " on %s", it->blame);
		if (it->line) {
			cm__buf_puts(b, ", after the event at ");
			text_event(b, it);
		}
		break;
	case CM_CAUSE_START:
		cm__buf_puts(b, "took effect (date or from reached)");
		break;
	}
	for (uint32_t j = 0; j < it->nexcused; j++)
		cm__buf_printf(b, "%s%s", j ? ", " : "; excused by ",
			       it->excused[j]);
}

static void text_item(struct cm__buf *b, const struct cm__snap_item *it,
		      int width)
{
	char label[64];
	if (it->standing == CM_STANDING_AGREED)
		snprintf(label, sizeof(label), "%s", cm_state_name(it->state));
	else
		snprintf(label, sizeof(label), "%s %s",
			 cm_standing_name(it->standing),
			 cm_state_name(it->state));
	cm__buf_printf(b, "  %-*s  %-18s since ", width, it->id, label);
	text_time(b, it->since, "the start");
	cm__buf_puts(b, "  ");
	why(b, it);
	cm__buf_putc(b, '\n');
}

CM_EXPORT int cm_snapshot_to_text(void *mem_ctx, const cm_snapshot *s,
				  char **out, cm_error *err)
{
	if (!s || !out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	struct cm__buf b;
	cm__buf_init(&b, mem_ctx);
	cm__buf_puts(&b, s->id);
	if (s->title)
		cm__buf_printf(&b, " \"%s\"", s->title);
	cm__buf_puts(&b, s->at == CM_TIME_NONE ? ": status before any event"
					       : ": status at ");
	text_time(&b, s->at, "");
	cm__buf_printf(&b, " (view %s)\n", s->view);
	int width = 1;
	uint32_t apart = 0;
	for (uint32_t i = 0; i < s->n; i++) {
		int w = (int)strlen(s->items[i].id);
		if (w > width)
			width = w;
		if (s->items[i].standing != CM_STANDING_AGREED)
			apart++;
	}
	for (uint32_t i = 0; i < s->n; i++)
		if (s->items[i].standing == CM_STANDING_AGREED)
			text_item(&b, &s->items[i], width);
	if (apart) {
		cm__buf_puts(&b, " not agreed (monitored, reported apart):\n");
		for (uint32_t i = 0; i < s->n; i++)
			if (s->items[i].standing != CM_STANDING_AGREED)
				text_item(&b, &s->items[i], width);
	}
	return finish(&b, mem_ctx, out, err);
}
