/*
 * Snapshots, the 0.2 part (SPEC §8.4, §8.9): breach counts, the last
 * breach, and with history every transition and every breach; their
 * accessors, JSON members and text lines.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "monitor/monitor-engine.h"

/* The snapshot's copy of a monitor's file name (strdup when not one of
 * the known names: a live event's). NULL in, NULL out; *fail on OOM. */
static const char *file_of(struct cm_snapshot *s, const char *file,
			   const char **names, const char **copies,
			   uint32_t nnames, bool *fail)
{
	if (!file)
		return NULL;
	for (uint32_t k = 0; k < nnames; k++)
		if (names[k] == file)
			return copies[k];
	const char *c = cm__strdup(s, file);
	if (!c)
		*fail = true;
	return c;
}

int cm__snap_v02(struct cm_snapshot *s, const struct cm_monitor *m,
		 const char **names, const char **copies, uint32_t nnames)
{
	bool fail = false;
	s->history = m->history;
	if (m->history &&
	    !(s->hx = cm__zalloc(s, sizeof(*s->hx) * (m->ncom ? m->ncom : 1),
				 "history items")))
		return -1;
	for (uint32_t i = 0; i < m->ncom; i++) {
		struct cm__snap_item *it = &s->items[i];
		const struct bst *st = &m->x2->bst[i];
		it->nbreach = st->nbreach;
		it->last.at = st->nbreach ? st->last : CM_TIME_NONE;
		it->last.line = st->line;
		it->last.file = file_of(s, st->file, names, copies, nnames,
					&fail);
		if (!m->history)
			continue;
		struct cm__snap_hitem *ht = &s->hx[i];
		const struct hist *h = &m->x2->hist[i];
		if (h->n) {
			ht->hist = cm__realloc(s, NULL, sizeof(*ht->hist), h->n,
					       "history");
			if (!ht->hist)
				return -1;
			for (uint32_t j = 0; j < h->n; j++) {
				const struct hist_entry *e = &h->v[j];
				struct cm__snap_hist *d = &ht->hist[j];
				d->state = e->state;
				d->reason = e->reason;
				d->since = e->since;
				d->line = e->line;
				d->file = file_of(s, e->file, names, copies,
						  nnames, &fail);
				d->blame = e->blame >= 0 ? s->items[e->blame].id
							 : NULL;
			}
			ht->nhist = h->n;
		}
		if (h->nb) {
			ht->breaches = cm__realloc(s, NULL,
						   sizeof(*ht->breaches), h->nb,
						   "breach_list");
			if (!ht->breaches)
				return -1;
			for (uint32_t j = 0; j < h->nb; j++) {
				ht->breaches[j].at = h->b[j].at;
				ht->breaches[j].line = h->b[j].line;
				ht->breaches[j].file =
					file_of(s, h->b[j].file, names, copies,
						nnames, &fail);
			}
			ht->nbreaches = h->nb;
		}
	}
	return fail ? -1 : 0;
}

/* ---- accessors -------------------------------------------------------- */

static const struct cm__snap_item *item(const cm_snapshot *s, size_t i)
{
	return s && i < s->n ? &s->items[i] : NULL;
}

CM_EXPORT uint64_t cm_snapshot_breach_count(const cm_snapshot *s, size_t i)
{
	const struct cm__snap_item *it = item(s, i);
	return it ? it->nbreach : 0;
}

CM_EXPORT cm_time cm_snapshot_last_breach_at(const cm_snapshot *s, size_t i)
{
	const struct cm__snap_item *it = item(s, i);
	return it ? it->last.at : CM_TIME_NONE;
}

CM_EXPORT int32_t cm_snapshot_last_breach_line(const cm_snapshot *s,
					       size_t i)
{
	const struct cm__snap_item *it = item(s, i);
	return it && it->last.at != CM_TIME_NONE ? (int32_t)it->last.line : 0;
}

CM_EXPORT const char *cm_snapshot_last_breach_file(const cm_snapshot *s,
						   size_t i)
{
	const struct cm__snap_item *it = item(s, i);
	return it && it->last.at != CM_TIME_NONE && it->last.line
		       ? it->last.file
		       : NULL;
}

CM_EXPORT int cm_snapshot_has_history(const cm_snapshot *s)
{
	return s && s->history;
}

static const struct cm__snap_hitem *hitem(const cm_snapshot *s, size_t i)
{
	return s && s->hx && i < s->n ? &s->hx[i] : NULL;
}

CM_EXPORT size_t cm_snapshot_history_count(const cm_snapshot *s, size_t i)
{
	const struct cm__snap_hitem *it = hitem(s, i);
	return it ? it->nhist : 0;
}

static const struct cm__snap_hist *hent(const cm_snapshot *s, size_t i,
					size_t j)
{
	const struct cm__snap_hitem *it = hitem(s, i);
	return it && j < it->nhist ? &it->hist[j] : NULL;
}

CM_EXPORT int cm_snapshot_history_state(const cm_snapshot *s, size_t i,
					size_t j)
{
	const struct cm__snap_hist *h = hent(s, i, j);
	return h ? h->state : -1;
}

CM_EXPORT cm_time cm_snapshot_history_since(const cm_snapshot *s, size_t i,
					    size_t j)
{
	const struct cm__snap_hist *h = hent(s, i, j);
	return h ? h->since : CM_TIME_NONE;
}

CM_EXPORT int cm_snapshot_history_reason(const cm_snapshot *s, size_t i,
					 size_t j)
{
	const struct cm__snap_hist *h = hent(s, i, j);
	return h ? h->reason : -1;
}

CM_EXPORT int32_t cm_snapshot_history_line(const cm_snapshot *s, size_t i,
					   size_t j)
{
	const struct cm__snap_hist *h = hent(s, i, j);
	return h ? (int32_t)h->line : 0;
}

CM_EXPORT const char *cm_snapshot_history_file(const cm_snapshot *s,
					       size_t i, size_t j)
{
	const struct cm__snap_hist *h = hent(s, i, j);
	return h && h->line ? h->file : NULL;
}

CM_EXPORT const char *cm_snapshot_history_commitment(const cm_snapshot *s,
						     size_t i, size_t j)
{
	const struct cm__snap_hist *h = hent(s, i, j);
	return h ? h->blame : NULL;
}

CM_EXPORT size_t cm_snapshot_breach_list_count(const cm_snapshot *s,
					       size_t i)
{
	const struct cm__snap_hitem *it = hitem(s, i);
	return it ? it->nbreaches : 0;
}

static const struct cm__snap_breach *bent(const cm_snapshot *s, size_t i,
					  size_t j)
{
	const struct cm__snap_hitem *it = hitem(s, i);
	return it && j < it->nbreaches ? &it->breaches[j] : NULL;
}

CM_EXPORT cm_time cm_snapshot_breach_at(const cm_snapshot *s, size_t i,
					size_t j)
{
	const struct cm__snap_breach *b = bent(s, i, j);
	return b ? b->at : CM_TIME_NONE;
}

CM_EXPORT int32_t cm_snapshot_breach_line(const cm_snapshot *s, size_t i,
					  size_t j)
{
	const struct cm__snap_breach *b = bent(s, i, j);
	return b ? (int32_t)b->line : 0;
}

CM_EXPORT const char *cm_snapshot_breach_file(const cm_snapshot *s,
					      size_t i, size_t j)
{
	const struct cm__snap_breach *b = bent(s, i, j);
	return b && b->line ? b->file : NULL;
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

static void json_line(struct cm__buf *b, uint32_t line, const char *file)
{
	if (line)
		cm__buf_printf(b, ", \"event_line\": %u, \"event_file\": ",
			       line);
	else
		cm__buf_puts(b, ", \"event_line\": null, \"event_file\": ");
	cm__buf_json_string(b, line ? file : NULL);
}

static void json_breach(struct cm__buf *b, const struct cm__snap_breach *x)
{
	cm__buf_puts(b, "{\"at\": ");
	json_time(b, x->at);
	json_line(b, x->line, x->file);
	cm__buf_puts(b, "}");
}

void cm__snap_json_v02(struct cm__buf *b, const struct cm_snapshot *s,
		       uint32_t i)
{
	const struct cm__snap_item *it = &s->items[i];
	cm__buf_printf(b, ", \"breaches\": %llu, \"last_breach\": ",
		       (unsigned long long)it->nbreach);
	if (it->last.at == CM_TIME_NONE)
		cm__buf_puts(b, "null");
	else
		json_breach(b, &it->last);
	if (!s->history)
		return;
	const struct cm__snap_hitem *hx = &s->hx[i];
	cm__buf_puts(b, ", \"history\": [");
	for (uint32_t j = 0; j < hx->nhist; j++) {
		const struct cm__snap_hist *h = &hx->hist[j];
		cm__buf_puts(b, j ? ", {\"state\": " : "{\"state\": ");
		cm__buf_json_string(b, cm_state_name(h->state));
		cm__buf_puts(b, ", \"since\": ");
		json_time(b, h->since);
		cm__buf_puts(b, ", \"cause\": ");
		if (h->reason == CM_CAUSE_NONE) {
			cm__buf_puts(b, "null}");
			continue;
		}
		cm__buf_puts(b, "{\"reason\": ");
		cm__buf_json_string(b, cm_cause_reason_name(h->reason));
		json_line(b, h->line, h->file);
		cm__buf_puts(b, ", \"commitment\": ");
		cm__buf_json_string(b, h->blame);
		cm__buf_puts(b, "}}");
	}
	cm__buf_puts(b, "], \"breach_list\": [");
	for (uint32_t j = 0; j < hx->nbreaches; j++) {
		if (j)
			cm__buf_puts(b, ", ");
		json_breach(b, &hx->breaches[j]);
	}
	cm__buf_puts(b, "]");
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

static void text_where(struct cm__buf *b, uint32_t line, const char *file)
{
	if (!line)
		cm__buf_puts(b, " (deadline missed)");
	else if (file)
		cm__buf_printf(b, " (event at %s:%u)", file, line);
	else
		cm__buf_printf(b, " (event at line %u)", line);
}

void cm__snap_text_v02(struct cm__buf *b, const struct cm_snapshot *s,
		       uint32_t i)
{
	const struct cm__snap_item *it = &s->items[i];
	if (it->nbreach) {
		cm__buf_printf(b, "      %llu breach%s, the last at ",
			       (unsigned long long)it->nbreach,
			       it->nbreach == 1 ? "" : "es");
		text_time(b, it->last.at, "?");
		text_where(b, it->last.line, it->last.file);
		cm__buf_putc(b, '\n');
	}
	if (!s->history)
		return;
	const struct cm__snap_hitem *hx = &s->hx[i];
	for (uint32_t j = 0; j < hx->nhist; j++) {
		const struct cm__snap_hist *h = &hx->hist[j];
		cm__buf_puts(b, "      history: ");
		cm__buf_puts(b, cm_state_name(h->state));
		cm__buf_puts(b, " since ");
		text_time(b, h->since, "the start");
		if (h->reason != CM_CAUSE_NONE) {
			cm__buf_puts(b, " (");
			cm__buf_puts(b, cm_cause_reason_name(h->reason));
			if (h->blame)
				cm__buf_printf(b, " on %s", h->blame);
			if (h->line && h->file)
				cm__buf_printf(b, ", %s:%u", h->file, h->line);
			else if (h->line)
				cm__buf_printf(b, ", line %u", h->line);
			cm__buf_puts(b, ")");
		}
		cm__buf_putc(b, '\n');
	}
	for (uint32_t j = 0; j < hx->nbreaches; j++) {
		cm__buf_puts(b, "      breach: ");
		text_time(b, hx->breaches[j].at, "?");
		text_where(b, hx->breaches[j].line, hx->breaches[j].file);
		cm__buf_putc(b, '\n');
	}
}
