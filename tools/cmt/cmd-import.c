/*
 * cmt import: conflict-event dataset exports (ACLED, UCDP GED) through a
 * mapping into an events file; and the --import source of cmt status.
 * docs/import.md.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <talloc.h>

#include "cmt.h"

static int dataset_of(const char *s, size_t n)
{
	for (int f = CM_IMPORT_ACLED; f <= CM_IMPORT_UCDP; f++) {
		const char *name = cm_import_format_name(f);
		if (strlen(name) == n && strncmp(name, s, n) == 0)
			return f;
	}
	return 0;
}

/* Parse every --map; CMT_OK or CMT_USAGE. */
static int load_maps(void *ctx, const struct cmt_opts *o, cm_mapping ***out)
{
	cm_mapping **maps = talloc_zero_array(ctx, cm_mapping *,
					      o->nmaps ? o->nmaps : 1);
	if (!maps)
		return cmt_enomem();
	for (size_t i = 0; i < o->nmaps; i++) {
		cm_error err;
		memset(&err, 0, sizeof(err));
		if (cm_mapping_parse_file(maps, o->maps[i], &maps[i], &err) !=
		    CM_OK) {
			cmt_print_error(&err);
			return CMT_USAGE;
		}
	}
	*out = maps;
	return CMT_OK;
}

/* The one --map for @p format (else the one in @p doc). */
static const cm_mapping *map_for(cm_mapping **maps, size_t n, int format,
				 const char *what, const cm_document *doc)
{
	const cm_mapping *found = NULL;
	for (size_t i = 0; i < n; i++) {
		if (cm_mapping_format(maps[i]) != format)
			continue;
		if (found) {
			cmt_usage_error("two --map mappings for %s",
					cm_import_format_name(format));
			return NULL;
		}
		found = maps[i];
	}
	for (size_t i = 0; !found && doc && i < cm_document_mapping_count(doc);
	     i++) {
		const cm_mapping *dm = cm_document_mapping(doc, i);
		if (cm_mapping_format(dm) == format)
			found = dm;
	}
	if (!found)
		cmt_usage_error("%s needs a --map MAPPING written for %s "
				"('import %s ID { ... }')", what,
				cm_import_format_name(format),
				cm_import_format_name(format));
	return found;
}

static void warn(const cm_error *e)
{
	fprintf(stderr, "%s:%d:%d: warning: %s (row skipped)\n", e->file,
		(int)e->line, (int)e->column, e->message);
}

/* ---- cmt status --import ------------------------------------------------- */

int cmt_add_imports(void *ctx, cm_monitor *m, const cm_document *doc,
		    const struct cmt_opts *o, cm_import ***imps)
{
	static cm_mapping **maps; /* parsed once per process */
	if (!maps && load_maps(ctx, o, &maps) != CMT_OK)
		return CMT_USAGE;
	cm_import **v = talloc_zero_array(ctx, cm_import *, o->nimports);
	if (!v)
		return cmt_enomem();
	for (size_t i = 0; i < o->nimports; i++) {
		const char *s = o->imports[i];
		const char *colon = strchr(s, ':');
		int format = colon ? dataset_of(s, (size_t)(colon - s)) : 0;
		if (!format || !colon[1]) {
			cmt_usage_error("--import wants DATASET:CSV with "
					"DATASET acled or ucdp, not '%s'", s);
			return CMT_USAGE;
		}
		const cm_mapping *map = map_for(maps, o->nmaps, format,
						"--import", doc);
		if (!map)
			return CMT_USAGE;
		cm_error err;
		memset(&err, 0, sizeof(err));
		int rc = cm_import_new(v, map, &v[i], &err);
		if (rc == CM_OK)
			rc = cm_import_add_file(v[i], colon + 1, &err);
		if (rc == CM_OK)
			rc = cm_import_set_strict(v[i], o->strict);
		if (rc == CM_OK)
			rc = cm_monitor_add_import(m, v[i], &err);
		if (rc != CM_OK) {
			cmt_print_error(&err);
			return CMT_USAGE;
		}
	}
	*imps = v;
	return CMT_OK;
}

void cmt_import_warnings(cm_import *const *imps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		cm_error e;
		uint64_t k = cm_import_count(imps[i], CM_IMPORT_SKIPPED);
		if (!cm_import_first_skip(imps[i], &e))
			continue;
		fprintf(stderr, "%s:%d:%d: warning: %s (row skipped; %llu "
			"row%s skipped in all, see 'cmt import')\n", e.file,
			(int)e.line, (int)e.column, e.message,
			(unsigned long long)k, k == 1 ? "" : "s");
	}
}

/* ---- cmt import --------------------------------------------------------- */

struct ev {
	cm_time time;
	size_t seq;
	char *text;
};

static int by_time(const void *x, const void *y)
{
	const struct ev *a = x, *b = y;
	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Write @p n events to @p path through a temporary file in the same
 * folder, synced, then renamed over it. */
static int write_atomic(void *ctx, const char *path, const struct ev *v,
			size_t n)
{
	const char *slash = strrchr(path, '/');
	char *tmp = slash ? talloc_asprintf(ctx, "%.*s/.%s.XXXXXX",
					    (int)(slash - path), path,
					    slash + 1)
			  : talloc_asprintf(ctx, ".%s.XXXXXX", path);
	if (!tmp)
		return cmt_enomem();
	int fd = mkstemp(tmp);
	if (fd < 0) {
		cmt_usage_error("cannot create a temporary file beside '%s': "
				"%s", path, strerror(errno));
		return CMT_USAGE;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return cmt_enomem();
	}
	bool ok = true;
	for (size_t i = 0; i < n && ok; i++)
		ok = fputs(v[i].text, f) != EOF && fputc('\n', f) != EOF;
	ok = ok && fflush(f) == 0 && fsync(fd) == 0;
	int saved = errno;
	ok = fclose(f) == 0 && ok;
	if (ok && rename(tmp, path) != 0) {
		saved = errno;
		ok = false;
	}
	if (!ok) {
		unlink(tmp);
		cmt_usage_error("cannot write '%s': %s", path, strerror(saved));
		return CMT_USAGE;
	}
	/* the rename itself durable: sync the folder (best effort) */
	char *dir = slash ? talloc_strndup(ctx, path, (size_t)(slash - path))
			  : talloc_strdup(ctx, ".");
	int dfd = dir ? open(dir[0] ? dir : "/", O_RDONLY) : -1;
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	return CMT_OK;
}

int cmt_import(void *ctx, const struct cmt_opts *o)
{
	int format = dataset_of(o->files[0], strlen(o->files[0]));
	if (!format) {
		cmt_usage_error("'cmt import' wants a dataset first: acled or "
				"ucdp, not '%s'", o->files[0]);
		return CMT_USAGE;
	}
	if (o->nfiles < 2) {
		cmt_usage_error("'cmt import %s' needs at least one CSV file",
				o->files[0]);
		return CMT_USAGE;
	}
	cm_mapping **maps;
	if (load_maps(ctx, o, &maps) != CMT_OK)
		return CMT_USAGE;
	const cm_mapping *map = map_for(maps, o->nmaps, format,
					"'cmt import'", NULL);
	if (!map)
		return CMT_USAGE;
	cm_error err;
	memset(&err, 0, sizeof(err));
	cm_import *imp;
	int rc = cm_import_new(ctx, map, &imp, &err);
	for (size_t i = 1; rc == CM_OK && i < o->nfiles; i++)
		rc = cm_import_add_file(imp, o->files[i], &err);
	if (rc == CM_OK)
		rc = cm_import_set_strict(imp, o->strict);
	struct ev *v = NULL;
	size_t n = 0, cap = 0;
	while (rc == CM_OK) {
		int r = cm_import_next(imp, &err);
		if (r < 0) {
			rc = r;
			break;
		}
		if (r == CM_IMPORT_END)
			break;
		if (r == CM_IMPORT_SKIP) {
			warn(&err);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			struct ev *nv = talloc_realloc(ctx, v, struct ev, cap);
			if (!nv)
				return cmt_enomem();
			v = nv;
		}
		const char *t = cm_import_event_text(imp);
		v[n].text = t ? talloc_strdup(v, t) : NULL;
		if (!v[n].text)
			return cmt_enomem();
		v[n].time = cm_import_event_time(imp);
		v[n].seq = n;
		n++;
	}
	if (rc != CM_OK) {
		cmt_print_error(&err);
		return CMT_USAGE;
	}
	if (n)
		qsort(v, n, sizeof(*v), by_time);
	fprintf(stderr, "cmt: %llu events from %llu rows (%llu dropped, %llu "
		"matched no rule, %llu skipped, %llu duplicates)\n",
		(unsigned long long)cm_import_count(imp, CM_IMPORT_EVENTS),
		(unsigned long long)cm_import_count(imp, CM_IMPORT_ROWS),
		(unsigned long long)cm_import_count(imp, CM_IMPORT_DROPPED),
		(unsigned long long)cm_import_count(imp, CM_IMPORT_UNMATCHED),
		(unsigned long long)cm_import_count(imp, CM_IMPORT_SKIPPED),
		(unsigned long long)cm_import_count(imp, CM_IMPORT_DUPLICATES));
	if (o->output)
		return write_atomic(ctx, o->output, v, n);
	for (size_t i = 0; i < n; i++)
		if (fputs(v[i].text, stdout) == EOF || putchar('\n') == EOF)
			return cmt_emit(NULL) == CMT_OK ? CMT_USAGE : CMT_USAGE;
	return cmt_emit(NULL);
}
