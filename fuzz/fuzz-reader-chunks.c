/*
 * libFuzzer target, differential: the same bytes read by the file reader
 * (built with a 16-byte window, so that events straddle refills all the
 * time) and by the memory reader must give the same events, the same
 * error and the same positions. The library is built with
 * -DCM__READER_CHUNK=16 for this target (fuzz/meson.build); it replays
 * the corpus of fuzz-reader.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/model.h"
#include "syntax/syntax.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_names(const struct cm__names *a, const struct cm__names *b)
{
	if (a->n != b->n)
		abort();
	for (uint32_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].s, b->v[i].s) ||
		    a->v[i].pos.line != b->v[i].pos.line ||
		    a->v[i].pos.col != b->v[i].pos.col)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	if (!path[0]) {
		snprintf(path, sizeof(path), "/tmp/fuzz-reader-%d.ev",
			 (int)getpid());
	}
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	void *ctx = cm_context_new();
	struct cm__event_reader *rf, *rm;
	cm_error ef, em;
	if (cm__event_reader_open(ctx, path, &rf, &ef) != CM_OK ||
	    cm__event_reader_memory(ctx, (const char *)data, size, path, &rm,
				    &em) != CM_OK)
		abort();
	for (;;) {
		const struct cm_event *a, *b;
		int x = cm__event_reader_next(rf, &a, &ef);
		int y = cm__event_reader_next(rm, &b, &em);
		if (x != y)
			abort();
		if (x < 0) {
			if (ef.line != em.line || ef.column != em.column ||
			    strcmp(ef.message, em.message))
				abort();
			break;
		}
		if (x == 0)
			break;
		if (a->time != b->time || a->line != b->line ||
		    a->pos.col != b->pos.col || strcmp(a->act.type, b->act.type) ||
		    a->act.nattrs != b->act.nattrs || !a->note != !b->note ||
		    (a->note && strcmp(a->note, b->note)))
			abort();
		for (uint32_t i = 0; i < a->act.nattrs; i++)
			if (strcmp(a->act.attrs[i].name, b->act.attrs[i].name) ||
			    strcmp(a->act.attrs[i].value, b->act.attrs[i].value) ||
			    a->act.attrs[i].pos.line != b->act.attrs[i].pos.line ||
			    a->act.attrs[i].pos.col != b->act.attrs[i].pos.col)
				abort();
		same_names(&a->reported, &b->reported);
		same_names(&a->denied, &b->denied);
		same_names(&a->verified, &b->verified);
	}
	cm_free(ctx);
	unlink(path);
	return 0;
}
