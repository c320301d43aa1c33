/*
 * Events (SPEC §2, §4): `events { ... }` blocks, and the streaming event
 * reader that reads bare event lines from a file or memory one event at
 * a time, in constant memory.
 *
 *   event = DATE action [ STRING ]
 *           { ( "reported" | "denied" | "verified" ) "by" ids } ;
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>

#include "syntax/parse.h"
#include "syntax/syntax.h"

/* A name of @p l that is also in @p other: the first such, or NULL. */
static const struct cm__name *clash(const struct cm__names *l, uint32_t from,
				    const struct cm__names *other)
{
	for (uint32_t i = from; i < l->n; i++)
		for (uint32_t j = 0; j < other->n; j++)
			if (strcmp(l->v[i].s, other->v[j].s) == 0)
				return &l->v[i];
	return NULL;
}

int cm__p_event(struct cm__parser *P, struct cm__arena *ar,
		const char *file, struct cm_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	const struct cm__token *t = cm__peek(P, 0);
	if (t->kind != CM__T_DATE)
		return cm__expected(P, t, "an event date");
	ev->time = t->v;
	ev->pos = t->pos;
	ev->line = t->pos.line;
	ev->file = file;
	cm__skip(P);
	int rc = cm__p_action(P, ar, &ev->act);
	if (rc != CM_OK)
		return rc;
	t = cm__peek(P, 0);
	if (t->kind == CM__T_STRING) {
		ev->note = cm__tok_dup(P, ar, t);
		if (!ev->note)
			return cm__enomem(P->err);
		cm__skip(P);
	}
	for (;;) {
		t = cm__peek(P, 0);
		struct cm__names *l;
		const char *kw, *what;
		if (CM__KW(t, "reported")) {
			l = &ev->reported;
			kw = "reported";
			what = "a party id after 'reported by'";
		} else if (CM__KW(t, "denied")) {
			l = &ev->denied;
			kw = "denied";
			what = "a party id after 'denied by'";
		} else if (CM__KW(t, "verified")) {
			l = &ev->verified;
			kw = "verified";
			what = "a party id after 'verified by'";
		} else {
			return CM_OK;
		}
		cm__skip(P);
		t = cm__peek(P, 0);
		if (!CM__KW(t, "by")) {
			char w[32];
			snprintf(w, sizeof(w), "'by' after '%s'", kw);
			return cm__expected(P, t, w);
		}
		cm__skip(P);
		uint32_t from = l->n;
		rc = cm__parse_ids(P, ar, l, what);
		if (rc != CM_OK)
			return rc;
		const struct cm__name *c = NULL;
		if (l == &ev->reported)
			c = clash(l, from, &ev->denied);
		else if (l == &ev->denied)
			c = clash(l, from, &ev->reported);
		if (c)
			return cm__perror(P, CM_ESEMANTIC, c->pos,
					  "party '%s' both reports and denies "
					  "event '%s'", c->s, ev->act.type);
	}
}

int cm__event_order(struct cm__parser *P, const struct cm_event *ev,
		    cm_time prev)
{
	if (prev == CM_TIME_NONE || ev->time >= prev)
		return CM_OK;
	char a[20], b[20];
	cm_time_format(ev->time, a, sizeof(a));
	cm_time_format(prev, b, sizeof(b));
	return cm__perror(P, CM_EORDER, ev->pos,
			  "event at %s is earlier than the event before it "
			  "(%s)", a, b);
}

int cm__p_events_block(struct cm__parser *P, struct cm__arena *ar,
		       const char *file, struct cm__events *l)
{
	cm__skip(P); /* events */
	const struct cm__token *t = cm__peek(P, 0);
	if (t->kind != CM__T_LBRACE)
		return cm__expected(P, t, "'{' after 'events'");
	cm__skip(P);
	cm_time prev = CM_TIME_NONE;
	for (;;) {
		t = cm__peek(P, 0);
		if (t->kind == CM__T_RBRACE) {
			P->block_end = t->pos;
			cm__skip(P);
			return CM_OK;
		}
		if (t->kind != CM__T_DATE)
			return cm__expected(P, t, "an event date or '}'");
		struct cm_event *v = cm__arena_grow(ar, l->v, sizeof(*v), l->n,
						    &l->cap);
		if (!v)
			return cm__enomem(P->err);
		l->v = v;
		int rc = cm__p_event(P, ar, file, &v[l->n]);
		if (rc == CM_OK)
			rc = cm__event_order(P, &v[l->n], prev);
		if (rc != CM_OK)
			return rc;
		prev = v[l->n].time;
		l->n++;
	}
}

/* ---- the streaming reader ------------------------------------------------ */

/* The window onto a file (the fuzzers build with a tiny one). */
#ifndef CM__READER_CHUNK
#define CM__READER_CHUNK (1 << 20)
#endif
enum { READER_CHUNK = CM__READER_CHUNK, READER_POOL = 1 << 16 };

struct cm__event_reader {
	struct cm__parser P;
	FILE *f;            /* NULL when reading memory */
	char *buf;          /* file mode: the window onto the file */
	size_t cap;         /* bytes allocated in buf */
	size_t len;         /* bytes of buf holding data */
	bool eof;           /* the file has been read to its end */
	const char *file;   /* name for errors and events */
	struct cm__arena scratch; /* the current event's arrays */
	char *pool;         /* the current event's strings (see spool) */
	size_t pool_cap;    /* its size: READER_POOL, or less for a small
			       source */
	struct cm_event ev;
	cm_time prev;
	bool failed;        /* an error was reported: stay failed */
	int rc_failed;
};

static int reader_destroy(void *p)
{
	struct cm__event_reader *r = p;
	if (r->f)
		fclose(r->f);
	r->f = NULL;
	return 0;
}

/* @p size: the bytes there are to read, when known (SIZE_MAX if not):
 * the string pool need not be larger (what does not fit goes to the
 * scratch arena). */
static int reader_new(void *mem_ctx, const char *file, size_t size,
		      struct cm__event_reader **out, cm_error *err)
{
	struct cm__event_reader *r =
		cm__zalloc(mem_ctx, sizeof(*r), "cm_event_reader");
	if (!r)
		return cm__enomem(err);
	r->file = file ? cm__strdup(r, file) : NULL;
	if (file && !r->file) {
		cm__free(r);
		return cm__enomem(err);
	}
	cm__arena_init(&r->scratch, r);
	/* a string pool, written before it is read: not zeroed (a live
	 * monitor makes a reader per fed line) */
	r->pool_cap = size < READER_POOL - 64 ? size + 64 : READER_POOL;
	r->pool = cm__realloc(r, NULL, 1, r->pool_cap, "cm_event_reader_pool");
	if (!r->pool) {
		cm__free(r);
		return cm__enomem(err);
	}
	r->prev = CM_TIME_NONE;
	*out = r;
	return CM_OK;
}

int cm__event_reader_memory(void *mem_ctx, const char *text, size_t len,
			    const char *file, struct cm__event_reader **out,
			    cm_error *err)
{
	if (!out || (!text && len))
		return cm__error(err, CM_EINVAL, NULL, (struct cm__pos){0, 0},
				 "invalid argument");
	struct cm__event_reader *r;
	int rc = reader_new(mem_ctx, file, len, &r, err);
	if (rc != CM_OK)
		return rc;
	cm__parser_init(&r->P, r, text ? text : "", len, r->file, NULL);
	r->eof = true;
	*out = r;
	return CM_OK;
}

int cm__event_reader_open(void *mem_ctx, const char *path,
			  struct cm__event_reader **out, cm_error *err)
{
	if (!out || !path)
		return cm__error(err, CM_EINVAL, NULL, (struct cm__pos){0, 0},
				 "invalid argument");
	FILE *f = fopen(path, "rb");
	if (!f)
		return cm__error(err, CM_EIO, path, (struct cm__pos){0, 0},
				 "cannot open: %s", strerror(errno));
	/* The window: READER_CHUNK bytes, or the whole of a smaller regular
	 * file and one byte to see its end (10,000 small files took a
	 * zeroed MiB each). Its bytes are written before they are read. */
	size_t cap = READER_CHUNK, size = SIZE_MAX;
	struct stat st;
	if (fstat(fileno(f), &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			fclose(f);
			return cm__error(err, CM_EIO, path,
					 (struct cm__pos){0, 0},
					 "cannot read: %s", strerror(EISDIR));
		}
		if (S_ISREG(st.st_mode) && st.st_size >= 0 &&
		    (uint64_t)st.st_size < READER_CHUNK) {
			size = (size_t)st.st_size;
			cap = size + 1;
		}
	}
	struct cm__event_reader *r;
	int rc = reader_new(mem_ctx, path, size, &r, err);
	if (rc != CM_OK) {
		fclose(f);
		return rc;
	}
	r->f = f;
	cm__set_destructor(r, reader_destroy);
	r->buf = cm__realloc(r, NULL, 1, cap, "cm_event_reader_buf");
	if (!r->buf) {
		cm__free(r);
		return cm__enomem(err);
	}
	r->cap = cap;
	cm__parser_init(&r->P, r, r->buf, 0, r->file, NULL);
	r->P.lx.partial = true;
	*out = r;
	return CM_OK;
}

/*
 * Keep the bytes from @p keep on (the start of the current event), move
 * them to the front of the buffer and read more after them. The lexer is
 * restarted at the kept bytes, at position @p pos.
 */
static int refill(struct cm__event_reader *r, const char *keep,
		  struct cm__pos pos, cm_error *err)
{
	size_t off = (size_t)(keep - r->buf);
	size_t kept = r->len - off;
	if (off)
		memmove(r->buf, keep, kept);
	r->len = kept;
	if (r->len == r->cap) {
		/* One event larger than the buffer: grow it. */
		if (r->cap > SIZE_MAX / 2)
			return cm__enomem(err);
		char *nb = cm__realloc(r, r->buf, 1, r->cap * 2,
				       "cm_event_reader_buf");
		if (!nb)
			return cm__enomem(err);
		r->buf = nb;
		r->cap *= 2;
	}
	while (r->len < r->cap && !r->eof) {
		size_t n = fread(r->buf + r->len, 1, r->cap - r->len, r->f);
		r->len += n;
		if (n == 0) {
			/* no position: the file, not its text, failed */
			if (ferror(r->f))
				return cm__error(err, CM_EIO, r->file,
						 (struct cm__pos){0, 0},
						 "cannot read: %s",
						 strerror(errno));
			r->eof = true;
		}
	}
	if (r->eof && r->f) {
		/* all of it is in the buffer: give the descriptor back (a run
		 * over thousands of small files holds none of them open) */
		fclose(r->f);
		r->f = NULL;
	}
	struct cm__lexer *lx = &r->P.lx;
	lx->p = r->buf;
	lx->end = r->buf + r->len;
	lx->line = pos.line;
	lx->col = pos.col;
	lx->partial = !r->eof;
	cm__parser_drop_lookahead(&r->P);
	return CM_OK;
}

int cm__event_reader_next(struct cm__event_reader *r,
			  const struct cm_event **ev, cm_error *err)
{
	if (!r || !ev)
		return cm__error(err, CM_EINVAL, NULL, (struct cm__pos){0, 0},
				 "invalid argument");
	if (r->failed)
		return cm__error(err, r->rc_failed, r->file,
				 (struct cm__pos){0, 0},
				 "the events source failed before");
	struct cm__parser *P = &r->P;
	P->err = err;
	P->lx.err = err;
	int rc;
	for (;;) {
		const struct cm__token *t = cm__peek(P, 0);
		if (t->kind == CM__T_MORE) {
			/* Restart from where the lexer stands (blanks and
			 * comments before it are consumed). */
			rc = refill(r, P->lx.p,
				    (struct cm__pos){P->lx.line, P->lx.col},
				    err);
			if (rc != CM_OK)
				goto fail;
			continue;
		}
		if (t->kind == CM__T_EOF)
			return 0;
		if (t->kind != CM__T_DATE) {
			rc = cm__expected(P, t,
					  r->prev == CM_TIME_NONE
						  ? "an event date"
						  : "an event date, 'reported', "
						    "'denied', 'verified' or end "
						    "of input");
			goto fail;
		}
		/* Where this event starts, to restart it after a refill. */
		const char *start = t->s;
		struct cm__pos spos = t->pos;
		cm__arena_reset(&r->scratch);
		P->spool = r->pool;
		P->spool_left = r->pool_cap;
		rc = cm__p_event(P, &r->scratch, r->file, &r->ev);
		const struct cm__token *after = cm__peek(P, 0);
		if (rc == CM__MORE || after->kind == CM__T_MORE) {
			if (r->eof) {
				rc = CM_EIO; /* cannot happen: no partial */
				goto fail;
			}
			rc = refill(r, start, spos, err);
			if (rc != CM_OK)
				goto fail;
			continue;
		}
		if (rc != CM_OK)
			goto fail;
		/* What follows, when it is no event date, is reported by the
		 * next call: this event is complete. */
		rc = cm__event_order(P, &r->ev, r->prev);
		if (rc != CM_OK)
			goto fail;
		r->prev = r->ev.time;
		*ev = &r->ev;
		return 1;
	}
fail:
	r->failed = true;
	r->rc_failed = rc;
	return rc;
}
