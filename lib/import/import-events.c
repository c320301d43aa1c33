/*
 * The import's current event and counters (the public getters), and the
 * monitor's import source: every row read and kept as events for a run
 * (docs/import.md).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "import/import-reader.h"

static const struct cm__pos NOPOS = {0, 0};

#define CUR(imp) ((imp) && (imp)->has_event)

CM_EXPORT cm_time cm_import_event_time(const cm_import *imp)
{
	return CUR(imp) ? imp->out.time : CM_TIME_NONE;
}

CM_EXPORT const char *cm_import_event_type(const cm_import *imp)
{
	return CUR(imp) ? imp->out.type : NULL;
}

CM_EXPORT size_t cm_import_event_attr_count(const cm_import *imp)
{
	return CUR(imp) ? imp->out.nattrs : 0;
}

CM_EXPORT const char *cm_import_event_attr_name(const cm_import *imp,
						size_t i)
{
	return CUR(imp) && i < imp->out.nattrs ? imp->out.attrs[i].name : NULL;
}

CM_EXPORT const char *cm_import_event_attr_value(const cm_import *imp,
						 size_t i)
{
	return CUR(imp) && i < imp->out.nattrs ? imp->out.attrs[i].value
					       : NULL;
}

CM_EXPORT size_t cm_import_event_reported_count(const cm_import *imp)
{
	return CUR(imp) ? imp->out.nreported : 0;
}

CM_EXPORT const char *cm_import_event_reported(const cm_import *imp,
					       size_t i)
{
	return CUR(imp) && i < imp->out.nreported ? imp->out.reported[i]
						  : NULL;
}

CM_EXPORT size_t cm_import_event_verified_count(const cm_import *imp)
{
	return CUR(imp) ? imp->out.nverified : 0;
}

CM_EXPORT const char *cm_import_event_verified(const cm_import *imp,
					       size_t i)
{
	return CUR(imp) && i < imp->out.nverified ? imp->out.verified[i]
						  : NULL;
}

CM_EXPORT const char *cm_import_event_file(const cm_import *imp)
{
	return CUR(imp) ? imp->cur_name : NULL;
}

CM_EXPORT int64_t cm_import_event_line(const cm_import *imp)
{
	return CUR(imp) ? imp->row.line : 0;
}

CM_EXPORT const char *cm_import_event_text(const cm_import *imp)
{
	if (!CUR(imp))
		return NULL;
	struct cm_import *w = (struct cm_import *)imp;
	if (!w->text_s) {
		w->text.len = 0;
		cm__imp_event_text(&w->text, &w->out);
		if (w->text.failed) {
			cm__buf_reset(&w->text);
			cm__buf_init(&w->text, w);
			return NULL;
		}
		w->text_s = w->text.data;
	}
	return w->text_s;
}

CM_EXPORT uint64_t cm_import_count(const cm_import *imp, int counter)
{
	if (!imp || counter < 0 || counter > CM_IMPORT_DUPLICATES)
		return 0;
	return imp->counts[counter];
}

CM_EXPORT int cm_import_first_skip(const cm_import *imp, cm_error *out)
{
	if (!imp || !imp->has_skip)
		return 0;
	cm__import_copy_err(out, &imp->skip_err);
	return 1;
}

/* ---- the monitor's import source --------------------------------------- */

bool cm__import_started(const cm_import *imp)
{
	return imp->started || imp->claimed;
}

void cm__import_claim(cm_import *imp)
{
	imp->claimed = true;
}

uint32_t cm__import_ninputs(const cm_import *imp)
{
	return imp->nin;
}

const char *cm__import_input_name(const cm_import *imp, uint32_t i)
{
	return imp->in[i].name;
}

int cm__import_collect(cm_import *imp, struct cm__arena *ar,
		       struct cm__events *out, const char *const *names,
		       cm_error *err)
{
	if (imp->started)
		/* a run that failed read it already: its rows are gone */
		return cm__error(err, CM_EINVAL, imp->nin ? imp->in[0].name
							   : NULL, NOPOS,
				 "an import is read once: a new run needs a "
				 "new import");
	imp->claimed = false; /* the monitor reads it now */
	for (;;) {
		int rc = cm__import_step(imp, err);
		if (rc < 0)
			return rc;
		if (rc == CM_IMPORT_END)
			return CM_OK;
		if (rc == CM_IMPORT_SKIP)
			continue;
		const char *file = names[imp->cur];
		const struct cm__imp_out *o = &imp->out;
		struct cm_event e;
		memset(&e, 0, sizeof(e));
		e.time = o->time;
		e.file = file;
		e.line = imp->row.line;
		e.pos = (struct cm__pos){imp->row.line, 1};
		e.act.pos = e.pos;
		e.act.type = o->type;
		e.act.nattrs = o->nattrs;
		bool fail = false;
		if (o->nattrs) {
			e.act.attrs = cm__arena_alloc_raw(
				ar, sizeof(struct cm__attr) * o->nattrs);
			fail = fail || !e.act.attrs;
			for (uint32_t i = 0; !fail && i < o->nattrs; i++) {
				/* names and party ids live in the mapping;
				   values from the row are copied */
				e.act.attrs[i] = o->attrs[i];
				if (o->attrs[i].vkind != CM__V_ID) {
					e.act.attrs[i].value = cm__arena_strdup(
						ar, o->attrs[i].value);
					fail = !e.act.attrs[i].value;
				}
			}
		}
		struct {
			struct cm__names *l;
			const char *const *v;
			uint32_t n;
		} lists[2] = {{&e.reported, o->reported, o->nreported},
			      {&e.verified, o->verified, o->nverified}};
		for (int k = 0; k < 2 && !fail; k++) {
			if (!lists[k].n)
				continue;
			struct cm__name *v = cm__arena_alloc_raw(
				ar, sizeof(*v) * lists[k].n);
			fail = !v;
			for (uint32_t i = 0; !fail && i < lists[k].n; i++) {
				v[i].s = lists[k].v[i]; /* the mapping's */
				v[i].pos = e.pos;
			}
			lists[k].l->v = v;
			lists[k].l->n = lists[k].l->cap = lists[k].n;
		}
		struct cm_event *nv = fail ? NULL
			: cm__arena_grow(ar, out->v, sizeof(*nv), out->n,
					 &out->cap);
		if (!nv)
			return cm__import_finish(imp, cm__enomem(&imp->final_err), err);
		out->v = nv;
		nv[out->n++] = e;
	}
}
