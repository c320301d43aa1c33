/*
 * The import reader: CSV files (or texts) read through a mapping one row
 * at a time, in memory flat in the number of rows (docs/import.md).
 *
 * CSV is parsed by Debian's libcsv (strict mode, no trimming). The reader
 * feeds it one physical line at a time, so that it always knows the line
 * it is on and can stop after each completed row: the row's first line
 * names it in events and errors. Only the columns the mapping reads are
 * copied; every field of a kept row goes into its fingerprint, which
 * drops rows identical to one kept before (across all the inputs).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "import/import-reader.h"

static const struct cm__pos NOPOS = {0, 0};

/* ---- allocation for libcsv (through the project's seam) ---------------- */

static void *csv_realloc(void *p, size_t n)
{
	if (n > CM__IMP_MAX_FIELD + 1)
		return NULL;
	return cm__realloc(NULL, p, 1, n, "csv");
}

static void csv_free_fn(void *p)
{
	cm__free(p);
}

/* ---- fingerprints ------------------------------------------------------ */

static inline uint64_t mix(uint64_t h, uint64_t w)
{
	h ^= w;
	h *= 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

static void hash_bytes(struct cm_import *imp, const char *s, size_t n)
{
	uint64_t a = imp->h1, b = imp->h2;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		a = mix(a, w);
		b = mix(b ^ 0x5bd1e995u, w + 0x7f4a7c15u);
		s += 8;
		n -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, s, n);
	w ^= (uint64_t)n << 56;
	a = mix(a, w);
	b = mix(b ^ 0x5bd1e995u, w + 0x7f4a7c15u);
	imp->h1 = a;
	imp->h2 = b;
}

/* Add the row's fingerprint; false when it was there. -1: no memory. */
static int fp_add(struct cm_import *imp, uint64_t a, uint64_t b)
{
	struct fpset *s = &imp->seen;
	if (!a && !b)
		a = 1;
	if ((s->n + 1) * 2 > s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 1024;
		uint64_t *nv = cm__zalloc(imp, ncap * 2 * sizeof(uint64_t),
					  "fpset");
		if (!nv)
			return -1;
		for (size_t i = 0; i < s->cap; i++) {
			uint64_t x = s->v[2 * i], y = s->v[2 * i + 1];
			if (!x && !y)
				continue;
			size_t j = (size_t)x & (ncap - 1);
			while (nv[2 * j] || nv[2 * j + 1])
				j = (j + 1) & (ncap - 1);
			nv[2 * j] = x;
			nv[2 * j + 1] = y;
		}
		cm__free(s->v);
		s->v = nv;
		s->cap = ncap;
	}
	size_t j = (size_t)a & (s->cap - 1);
	while (s->v[2 * j] || s->v[2 * j + 1]) {
		if (s->v[2 * j] == a && s->v[2 * j + 1] == b)
			return 0;
		j = (j + 1) & (s->cap - 1);
	}
	s->v[2 * j] = a;
	s->v[2 * j + 1] = b;
	s->n++;
	return 1;
}

/* ---- libcsv callbacks --------------------------------------------------- */

static void on_field(void *s, size_t n, void *data)
{
	struct cm_import *imp = data;
	uint32_t i = imp->nfield++;
	if (!s)
		s = (void *)"";
	if (imp->header) {
		if (i >= CM__IMP_MAX_FIELDS) {
			imp->too_wide = true;
			return;
		}
		const char *f = s;
		/* a byte-order mark before the first name */
		if (i == 0 && n >= 3 && !memcmp(f, "\xEF\xBB\xBF", 3)) {
			f += 3;
			n -= 3;
		}
		imp->slot_of[i] = -1;
		for (uint32_t c = 0; c < imp->map->ncols; c++)
			if (strlen(imp->map->cols[c]) == n &&
			    !memcmp(imp->map->cols[c], f, n)) {
				if (imp->have[c] && imp->hdr_rc == CM_OK)
					imp->hdr_rc = cm__error(
						&imp->final_err, CM_ESEMANTIC,
						imp->cur_name,
						(struct cm__pos){imp->row_line, 1},
						"column '%s' appears twice in "
						"the header",
						imp->map->cols[c]);
				imp->slot_of[i] = (int16_t)c;
				imp->have[c] = true;
			}
		return;
	}
	if (i >= imp->nslots) {
		imp->too_wide = true;
		return;
	}
	hash_bytes(imp, s, n);
	int c = imp->slot_of[i];
	if (c < 0)
		return;
	if (imp->rlen + n + 1 > imp->rcap) {
		size_t ncap = imp->rcap * 2;
		while (ncap < imp->rlen + n + 1)
			ncap *= 2;
		char *nb = cm__realloc(imp, imp->rbuf, 1, ncap, "row");
		if (!nb) {
			imp->bad_field = true; /* reported as out of memory */
			imp->hdr_rc = CM_ENOMEM;
			return;
		}
		imp->rbuf = nb;
		imp->rcap = ncap;
	}
	memcpy(imp->rbuf + imp->rlen, s, n);
	imp->off[c] = imp->rlen;
	imp->flen[c] = (uint32_t)n;
	imp->rlen += n;
	imp->rbuf[imp->rlen++] = '\0';
}

static void on_row(int c, void *data)
{
	(void)c;
	struct cm_import *imp = data;
	imp->row_done = true;
}

/* ---- inputs --------------------------------------------------------------- */

static int io_error(struct cm_import *imp, const char *what)
{
	return cm__error(&imp->final_err, CM_EIO, imp->cur_name, NOPOS,
			 "cannot %s: %s", what, strerror(errno));
}

static void close_input(struct cm_import *imp)
{
	if (imp->f)
		fclose(imp->f);
	imp->f = NULL;
	if (imp->csv_live)
		csv_free(&imp->csv);
	imp->csv_live = false;
}

static int import_destroy(void *p)
{
	close_input(p);
	return 0;
}

static int open_input(struct cm_import *imp)
{
	const struct input *in = &imp->in[imp->cur];
	imp->cur_name = in->name;
	imp->line = 1;
	imp->in_row = false;
	imp->header = true;
	imp->nfield = 0;
	imp->eof = false;
	memset(imp->have, 0, sizeof(imp->have));
	if (csv_init(&imp->csv, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return cm__enomem(&imp->final_err);
	imp->csv_live = true;
	csv_set_realloc_func(&imp->csv, csv_realloc);
	csv_set_free_func(&imp->csv, csv_free_fn);
	csv_set_blk_size(&imp->csv, 4096);
	csv_set_space_func(&imp->csv, NULL);
	if (in->path) {
		imp->f = fopen(in->path, "rb");
		if (!imp->f)
			return io_error(imp, "open");
		imp->p = imp->end = imp->buf;
	} else {
		imp->p = in->data;
		imp->end = in->data + in->len;
		imp->eof = true;
	}
	return CM_OK;
}

/* Make at least one whole line (or the rest of the input) available. */
static int load(struct cm_import *imp)
{
	if (imp->eof || memchr(imp->p, '\n', (size_t)(imp->end - imp->p)))
		return CM_OK;
	size_t keep = (size_t)(imp->end - imp->p);
	if (keep == CM__IMP_CHUNK) {
		/* a line longer than the buffer: hand libcsv what we have */
		return CM_OK;
	}
	memmove(imp->buf, imp->p, keep);
	imp->p = imp->buf;
	imp->end = imp->buf + keep;
	size_t n = fread(imp->buf + keep, 1, CM__IMP_CHUNK - keep, imp->f);
	imp->end += n;
	if (n < CM__IMP_CHUNK - keep) {
		if (ferror(imp->f))
			return io_error(imp, "read");
		imp->eof = true;
	}
	return CM_OK;
}

static uint32_t code_points(const char *s, size_t n)
{
	uint32_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xc0) != 0x80;
	return k;
}

static int csv_failed(struct cm_import *imp, const char *at, const char *lstart)
{
	int e = csv_error(&imp->csv);
	struct cm__pos pos = {imp->line,
			      code_points(lstart, (size_t)(at - lstart)) + 1};
	/* libcsv grows a field's buffer, halving its step on failure: a
	 * buffer short of the limit means memory ran out */
	if (e == CSV_ENOMEM &&
	    csv_get_buffer_size(&imp->csv) < CM__IMP_MAX_FIELD)
		return cm__enomem(&imp->final_err);
	if (e == CSV_ENOMEM || e == CSV_ETOOBIG)
		return cm__error(&imp->final_err, CM_ELIMIT, imp->cur_name,
				 (struct cm__pos){imp->row_line, 1},
				 "a field of the row starting here is longer "
				 "than %d bytes",
				 CM__IMP_MAX_FIELD);
	return cm__error(&imp->final_err, CM_ESYNTAX, imp->cur_name, pos,
			 "malformed CSV: a quote inside an unquoted field, or "
			 "text after a closing quote");
}

/* Feed libcsv until a row is complete (imp->row_done) or the input
 * ends. Returns CM_OK (check row_done), or an error. */
static int read_row(struct cm_import *imp)
{
	imp->row_done = false;
	while (!imp->row_done) {
		int rc = imp->f ? load(imp) : CM_OK;
		if (rc != CM_OK)
			return rc;
		if (imp->p == imp->end) {
			if (!imp->eof)
				continue;
			if (csv_fini(&imp->csv, on_field, on_row, imp) != 0) {
				struct cm__pos pos = {imp->row_line, 1};
				return cm__error(&imp->final_err, CM_ESYNTAX,
						 imp->cur_name, pos,
						 "unbalanced quote: a quoted "
						 "field of the row starting "
						 "here is not closed at the end "
						 "of the file");
			}
			return CM_OK;
		}
		const char *nl = memchr(imp->p, '\n', (size_t)(imp->end - imp->p));
		const char *stop = nl ? nl + 1 : imp->end;
		size_t n = (size_t)(stop - imp->p);
		if (!imp->in_row) {
			bool blank = nl && (n == 1 || (n == 2 && *imp->p == '\r'));
			if (!blank) {
				imp->in_row = true;
				imp->row_line = imp->line;
			}
		}
		size_t done = csv_parse(&imp->csv, imp->p, n, on_field, on_row,
					imp);
		if (done != n)
			return csv_failed(imp, imp->p + done, imp->p);
		if (imp->hdr_rc == CM_ENOMEM)
			return cm__enomem(&imp->final_err);
		imp->p = stop;
		if (nl) {
			if (imp->line == UINT32_MAX - 1)
				return cm__error(&imp->final_err, CM_ELIMIT,
						 imp->cur_name, NOPOS,
						 "more than %u lines",
						 UINT32_MAX - 2);
			imp->line++;
		}
	}
	imp->in_row = false;
	return CM_OK;
}

static void reset_row(struct cm_import *imp)
{
	imp->nfield = 0;
	imp->rlen = 0;
	imp->too_wide = imp->bad_field = false;
	imp->h1 = 0x243f6a8885a308d3ULL;
	imp->h2 = 0x13198a2e03707344ULL;
	if (!imp->header)
		memset(imp->off, 0, sizeof(imp->off[0]) * imp->map->ncols);
}

static bool valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (c < 0x80) {
			if (!c)
				return false;
			i++;
			continue;
		}
		size_t k;
		if (c >= 0xc2 && c <= 0xdf)
			k = 1;
		else if (c >= 0xe0 && c <= 0xef)
			k = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			k = 3;
		else
			return false;
		if (n - i <= k)
			return false;
		for (size_t j = 1; j <= k; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
		if ((c == 0xe0 && s[i + 1] < 0xa0) ||
		    (c == 0xed && s[i + 1] > 0x9f) ||
		    (c == 0xf0 && s[i + 1] < 0x90) ||
		    (c == 0xf4 && s[i + 1] > 0x8f))
			return false;
		i += k + 1;
	}
	return true;
}

static int row_skip(struct cm_import *imp, cm_error *err, const char *pre,
		    const char *detail)
{
	imp->counts[CM_IMPORT_SKIPPED]++;
	if (!imp->has_skip) {
		imp->has_skip = true;
		cm__error(&imp->skip_err, CM_ESEMANTIC, imp->cur_name,
			  (struct cm__pos){imp->row_line, 1}, "%s%s", pre,
			  detail);
	}
	int code = imp->strict ? CM_ESEMANTIC : CM_IMPORT_SKIP;
	cm__error(err, CM_ESEMANTIC, imp->cur_name,
		  (struct cm__pos){imp->row_line, 1}, "%s%s", pre,
			  detail);
	if (imp->strict) {
		cm__error(&imp->final_err, CM_ESEMANTIC, imp->cur_name,
			  (struct cm__pos){imp->row_line, 1}, "%s%s", pre,
			  detail);
		imp->done = true;
		imp->final_rc = CM_ESEMANTIC;
	}
	return code;
}

/* The header row: every column the mapping reads must be there. */
static int take_header(struct cm_import *imp)
{
	imp->header = false;
	if (imp->hdr_rc != CM_OK)
		return imp->hdr_rc;
	if (imp->too_wide)
		return cm__error(&imp->final_err, CM_ELIMIT, imp->cur_name,
				 (struct cm__pos){imp->row_line, 1},
				 "the header has more than %d columns",
				 CM__IMP_MAX_FIELDS);
	imp->nslots = imp->nfield;
	for (uint32_t c = 0; c < imp->map->ncols; c++)
		if (!imp->have[c])
			return cm__error(&imp->final_err, CM_ESEMANTIC,
					 imp->cur_name,
					 (struct cm__pos){imp->row_line, 1},
					 "the header has no column '%s' (is "
					 "this a %s export?)",
					 imp->map->cols[c],
					 imp->map->fmt->title);
	return CM_OK;
}

/* Map the row just read. */
static int take_row(struct cm_import *imp, cm_error *err)
{
	const struct cm_mapping *m = imp->map;
	imp->counts[CM_IMPORT_ROWS]++;
	if (imp->too_wide || imp->nfield != imp->nslots) {
		char d[48];
		snprintf(d, sizeof(d), "%u fields, the header %u",
			 imp->nfield, imp->nslots);
		return row_skip(imp, err, "ragged row: ", d);
	}
	struct cm__imp_row *row = &imp->row;
	row->line = imp->row_line;
	for (uint32_t c = 0; c < m->ncols; c++) {
		row->val[c] = imp->rbuf + imp->off[c];
		row->len[c] = imp->flen[c];
		if (!valid_utf8((const unsigned char *)row->val[c], row->len[c]))
		{
			char d[96];
			snprintf(d, sizeof(d), "'%s' holds invalid UTF-8 or a "
				 "NUL byte", m->cols[c]);
			return row_skip(imp, err, "column ", d);
		}
	}
	row->type = NULL;
	row->type_len = 0;
	if (m->ntype) {
		/* joined after the fields, in the same buffer */
		size_t need = 0;
		for (uint32_t i = 0; i < m->ntype; i++)
			need += row->len[m->type_cols[i]] + 1;
		if (imp->rlen + need + 1 > imp->rcap) {
			size_t ncap = imp->rcap;
			while (ncap < imp->rlen + need + 1)
				ncap *= 2;
			char *nb = cm__realloc(imp, imp->rbuf, 1, ncap, "row");
			if (!nb)
				return cm__enomem(&imp->final_err);
			imp->rbuf = nb;
			imp->rcap = ncap;
			for (uint32_t c = 0; c < m->ncols; c++)
				row->val[c] = imp->rbuf + imp->off[c];
		}
		char *w = imp->rbuf + imp->rlen;
		row->type = w;
		for (uint32_t i = 0; i < m->ntype; i++) {
			uint16_t c = m->type_cols[i];
			if (i)
				*w++ = '/';
			memcpy(w, row->val[c], row->len[c]);
			w += row->len[c];
		}
		*w = '\0';
		row->type_len = (uint32_t)(w - row->type);
	}
	int r = cm__imp_map_row(m, row, &imp->out);
	if (r == CM__ROW_DROP) {
		imp->counts[CM_IMPORT_DROPPED]++;
		return CM_IMPORT_END; /* nothing: go on */
	}
	if (r == CM__ROW_UNMATCHED) {
		imp->counts[CM_IMPORT_UNMATCHED]++;
		return CM_IMPORT_END;
	}
	if (r == CM__ROW_SKIP)
		return row_skip(imp, err, "", imp->out.why);
	int fresh = fp_add(imp, imp->h1, imp->h2);
	if (fresh < 0)
		return cm__enomem(&imp->final_err);
	if (!fresh) {
		imp->counts[CM_IMPORT_DUPLICATES]++;
		return CM_IMPORT_END;
	}
	imp->counts[CM_IMPORT_EVENTS]++;
	imp->has_event = true;
	return CM_IMPORT_EVENT;
}

/* ---- the public calls ------------------------------------------------------ */

CM_EXPORT int cm_import_new(void *mem_ctx, const cm_mapping *map,
			    cm_import **out, cm_error *err)
{
	if (!map || !out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	struct cm_import *imp = cm__zalloc(mem_ctx, sizeof(*imp), "cm_import");
	if (!imp)
		return cm__enomem(err);
	imp->map = map;
	cm__buf_init(&imp->text, imp);
	cm__set_destructor(imp, import_destroy);
	*out = imp;
	return CM_OK;
}

static int add_input(struct cm_import *imp, const struct input *in,
		     cm_error *err)
{
	if (imp->started || imp->claimed)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "the import has started");
	char *name = cm__strdup(imp, in->name);
	char *path = name && in->path ? cm__strdup(imp, in->path) : NULL;
	struct input *v = NULL;
	if (name && (!in->path || path))
		v = cm__realloc(imp, imp->in, sizeof(*v), imp->nin + 1, "in");
	if (!v) {
		cm__free(path);
		cm__free(name);
		return cm__enomem(err);
	}
	imp->in = v;
	v[imp->nin] = *in;
	v[imp->nin].name = name;
	v[imp->nin].path = path;
	imp->nin++;
	return CM_OK;
}

CM_EXPORT int cm_import_add_file(cm_import *imp, const char *path,
				 cm_error *err)
{
	if (!imp || !path)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	struct input in = {path, path, NULL, 0};
	return add_input(imp, &in, err);
}

CM_EXPORT int cm_import_add_memory(cm_import *imp, const char *data,
				   size_t len, const char *name,
				   cm_error *err)
{
	if (!imp || (!data && len))
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	struct input in = {name ? name : "<csv>", NULL, data ? data : "", len};
	return add_input(imp, &in, err);
}

CM_EXPORT int cm_import_set_strict(cm_import *imp, int strict)
{
	if (!imp || imp->started || imp->claimed)
		return CM_EINVAL;
	imp->strict = strict != 0;
	return CM_OK;
}

void cm__import_copy_err(cm_error *dst, const cm_error *src)
{
	if (dst)
		*dst = *src;
}

int cm__import_finish(struct cm_import *imp, int rc, cm_error *err)
{
	close_input(imp);
	imp->done = true;
	imp->final_rc = rc;
	if (rc < 0)
		cm__import_copy_err(err, &imp->final_err);
	return rc;
}

int cm__import_step(struct cm_import *imp, cm_error *err)
{
	imp->has_event = false;
	imp->text_s = NULL;
	if (imp->done) {
		if (imp->final_rc < 0)
			cm__import_copy_err(err, &imp->final_err);
		return imp->final_rc;
	}
	if (!imp->started) {
		imp->started = true;
		imp->rcap = 4096;
		imp->rbuf = cm__realloc(imp, NULL, 1, imp->rcap, "row");
		imp->slot_of = cm__realloc(imp, NULL, sizeof(int16_t),
					   CM__IMP_MAX_FIELDS, "slots");
		imp->buf = cm__realloc(imp, NULL, 1, CM__IMP_CHUNK, "chunk");
		if (!imp->rbuf || !imp->slot_of || !imp->buf)
			return cm__import_finish(imp, cm__enomem(&imp->final_err), err);
		imp->cur = UINT32_MAX;
	}
	for (;;) {
		if (!imp->csv_live) {
			imp->cur = imp->cur == UINT32_MAX ? 0 : imp->cur + 1;
			if (imp->cur >= imp->nin)
				return cm__import_finish(imp, CM_IMPORT_END, err);
			int rc = open_input(imp);
			if (rc != CM_OK)
				return cm__import_finish(imp, rc, err);
		}
		reset_row(imp);
		int rc = read_row(imp);
		if (rc != CM_OK)
			return cm__import_finish(imp, rc, err);
		if (!imp->row_done) {
			/* end of this input */
			if (imp->header) {
				close_input(imp);
				return cm__import_finish(imp, cm__error(
					&imp->final_err, CM_ESEMANTIC,
					imp->cur_name, (struct cm__pos){1, 1},
					"empty CSV: no header row"), err);
			}
			close_input(imp);
			continue;
		}
		if (imp->header) {
			rc = take_header(imp);
			if (rc != CM_OK)
				return cm__import_finish(imp, rc, err);
			continue;
		}
		rc = take_row(imp, err);
		if (rc == CM_IMPORT_END)
			continue;
		if (rc < 0 && imp->done)
			return cm__import_finish(imp, rc, err);
		if (rc < 0)
			return cm__import_finish(imp, rc, err);
		return rc;
	}
}

CM_EXPORT int cm_import_next(cm_import *imp, cm_error *err)
{
	if (!imp)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	if (imp->claimed && !imp->started)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "the import belongs to a monitor");
	return cm__import_step(imp, err);
}

