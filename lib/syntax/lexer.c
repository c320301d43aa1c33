/*
 * The lexer: free-form tokens, `#` comments, strings, identifiers,
 * numbers, dates, durations (SPEC §2). See lexer.h and docs/language.md.
 *
 * Columns count code points: every byte that is not a UTF-8 continuation
 * byte advances the column by one. Only strings and comments may hold
 * non-ASCII text; both are validated as UTF-8.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "syntax/lexer.h"

/* Out of line (noinline): cm__lex() stays small, and its common tokens
 * (identifiers, punctuation, blanks) do not pay for saving the registers
 * the longer paths (numbers, strings, comments, errors) need. */
#define COLD __attribute__((noinline))

void cm__lexer_init(struct cm__lexer *lx, const char *text, size_t len,
		    const char *file, cm_error *err)
{
	memset(lx, 0, sizeof(*lx));
	lx->p = text;
	lx->end = text + len;
	lx->line = 1;
	lx->col = 1;
	lx->last_end = (struct cm__pos){1, 1};
	lx->file = file;
	lx->err = err;
}

/* Character classes. */
enum { C_IDSTART = 1, C_DIGIT = 2, C_IDCHAR = 4 };
#define R4(x) x, x, x, x
#define R8(x) R4(x), R4(x)
#define R16(x) R8(x), R8(x)
static const uint8_t cls[256] = {
	R16(0), R16(0),                              /* 0x00-0x1f */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, C_IDCHAR, 0, 0, /* 0x20: - */
	R8(C_DIGIT | C_IDCHAR), C_DIGIT | C_IDCHAR, C_DIGIT | C_IDCHAR,
	0, 0, 0, 0, 0, 0,                            /* 0x30: 0-9 */
	0, R8(C_IDSTART | C_IDCHAR), R4(C_IDSTART | C_IDCHAR),
	C_IDSTART | C_IDCHAR, C_IDSTART | C_IDCHAR,
	C_IDSTART | C_IDCHAR,                        /* 0x40: A-O */
	R8(C_IDSTART | C_IDCHAR), C_IDSTART | C_IDCHAR,
	C_IDSTART | C_IDCHAR, C_IDSTART | C_IDCHAR,  /* 0x50: P-Z */
	0, 0, 0, 0, C_IDSTART | C_IDCHAR,            /* [ \ ] ^ _ */
	0, R8(C_IDSTART | C_IDCHAR), R4(C_IDSTART | C_IDCHAR),
	C_IDSTART | C_IDCHAR, C_IDSTART | C_IDCHAR,
	C_IDSTART | C_IDCHAR,                        /* 0x60: a-o */
	R8(C_IDSTART | C_IDCHAR), C_IDSTART | C_IDCHAR,
	C_IDSTART | C_IDCHAR, C_IDSTART | C_IDCHAR,  /* 0x70: p-z */
	0, 0, 0, 0, 0,
	R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0),
};
#undef R4
#undef R8
#undef R16

static inline bool is_digit(unsigned char c)
{
	return cls[c] & C_DIGIT;
}

static inline bool id_start(unsigned char c)
{
	return cls[c] & C_IDSTART;
}

static inline bool id_char(unsigned char c)
{
	return cls[c] & C_IDCHAR;
}

bool cm__id_char(unsigned char c)
{
	return id_char(c);
}

/* May this character not directly follow a number, date or duration? */
static inline bool glued(unsigned char c)
{
	return id_char(c) || c == '.';
}

/*
 * Length of the valid UTF-8 sequence at @p p (*p >= 0x80): 2..4, 0 when
 * invalid (overlong, surrogate, beyond U+10FFFF, bad continuation), -1
 * when it is cut short by @p end.
 */
static int utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0];
	int n;
	unsigned lo = 0x80, hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	for (int i = 1; i < n; i++) {
		if (p + i >= end)
			return -1;
		unsigned b = p[i];
		if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xbf))
			return 0;
	}
	return n;
}

__attribute__((format(printf, 6, 7), noinline, cold))
static void fail(struct cm__lexer *lx, struct cm__token *t, int code,
		 uint32_t line, uint32_t col, const char *fmt, ...)
{
	char msg[CM_ERROR_MESSAGE_SIZE];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	struct cm__pos pos = {line, col};
	lx->rc = cm__error(lx->err, code, lx->file, pos, "%s", msg);
	t->kind = CM__T_ERROR;
	t->pos = pos;
	t->s = NULL;
	t->len = 0;
}

static inline void more(struct cm__token *t)
{
	t->kind = CM__T_MORE;
	t->s = NULL;
	t->len = 0;
}

/* An error about the character at @p p (valid or invalid UTF-8). */
static COLD void bad_char(struct cm__lexer *lx, struct cm__token *t,
		     const char *p, uint32_t line, uint32_t col)
{
	const unsigned char *u = (const unsigned char *)p;
	if (*u >= 0x80) {
		int n = utf8_len(u, (const unsigned char *)lx->end);
		if (n < 0 && lx->partial) {
			more(t);
			return;
		}
		if (n <= 0) {
			fail(lx, t, CM_ESYNTAX, line, col,
			     "invalid UTF-8 byte 0x%02x", *u);
			return;
		}
		fail(lx, t, CM_ESYNTAX, line, col,
		     "unexpected character '%.*s'", n, p);
		return;
	}
	if (*u < 0x20 || *u == 0x7f)
		fail(lx, t, CM_ESYNTAX, line, col,
		     "unexpected control character 0x%02x", *u);
	else
		fail(lx, t, CM_ESYNTAX, line, col, "unexpected character '%c'",
		     *u);
}

/* The text of a malformed number for a message: the glued run. */
static size_t glued_run(const char *p, const char *end)
{
	const char *q = p;
	if (q < end && *q == '-')
		q++;
	while (q < end && q - p < 40 &&
	       (glued((unsigned char)*q) || *q == ':'))
		q++;
	return (size_t)(q - p);
}

/* "malformed number/date 'TEXT'" — or, when the text may go on past the
 * end of a partial buffer, ask for more so the message does not depend
 * on where the buffer ends. */
static void malformed(struct cm__lexer *lx, struct cm__token *t,
		      const char *p, const char *what)
{
	size_t n = glued_run(p, lx->end);
	if (lx->partial && n < 40 && p + n == lx->end) {
		more(t);
		return;
	}
	fail(lx, t, CM_ESYNTAX, t->pos.line, t->pos.col, "malformed %s '%.*s'",
	     what, (int)n, p);
}

static inline int two(const char *p)
{
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/* Numbers, dates, durations. @p p points at a digit or at '-' + digit. */
static COLD const char *lex_number(struct cm__lexer *lx, struct cm__token *t,
			      const char *p)
{
	const char *end = lx->end;
	const char *q = p;
	bool neg = *q == '-';
	if (neg)
		q++;
	/* A date-time is 16 bytes; one more to see what follows. */
	if (lx->partial && end - q < 18) {
		more(t);
		return NULL;
	}
	size_t avail = (size_t)(end - q);
	if (!neg && avail >= 10 && is_digit(q[0]) && is_digit(q[1]) &&
	    is_digit(q[2]) && is_digit(q[3]) && q[4] == '-' &&
	    is_digit(q[5]) && is_digit(q[6]) && q[7] == '-' &&
	    is_digit(q[8]) && is_digit(q[9])) {
		const char *r = q + 10;
		int hh = 0, mm = 0;
		bool has_time = false;
		if (end - r >= 6 && r[0] == 'T' && is_digit(r[1]) &&
		    is_digit(r[2]) && r[3] == ':' && is_digit(r[4]) &&
		    is_digit(r[5])) {
			hh = two(r + 1);
			mm = two(r + 4);
			has_time = true;
			r += 6;
		}
		if (r < end && (glued((unsigned char)*r) || *r == ':')) {
			malformed(lx, t, p, "date");
			return NULL;
		}
		int y = two(q) * 100 + two(q + 2), m = two(q + 5),
		    d = two(q + 8);
		uint32_t key = (uint32_t)(y * 10000 + m * 100 + d);
		if (key != lx->dkey) {
			if (!cm__date_valid(y, m, d)) {
				fail(lx, t, CM_ERANGE, t->pos.line, t->pos.col,
				     "date %.*s does not exist", (int)(r - p),
				     p);
				return NULL;
			}
			lx->dkey = key;
			lx->dday = cm__time_from_civil(y, m, d, 0, 0);
		}
		if (hh > 23 || mm > 59) {
			fail(lx, t, CM_ERANGE, t->pos.line, t->pos.col,
			     "date %.*s does not exist", (int)(r - p), p);
			return NULL;
		}
		t->kind = CM__T_DATE;
		t->has_time = has_time;
		t->v = lx->dday + hh * 60 + mm;
		return r;
	}
	const char *r = q;
	while (r < end && is_digit(*r))
		r++;
	bool frac = false;
	if (lx->partial && r + 1 == end && *r == '.') {
		more(t); /* what follows decides: 1.5 or 1.x */
		return NULL;
	}
	if (r + 1 < end && *r == '.' && is_digit(r[1])) {
		frac = true;
		r++;
		while (r < end && is_digit(*r))
			r++;
	}
	if (!neg && !frac && r < end && (*r == 'd' || *r == 'h') &&
	    !(r + 1 < end && glued((unsigned char)r[1]))) {
		int64_t per = *r == 'd' ? CM__MINUTES_PER_DAY : 60;
		int64_t n = 0;
		bool big = false;
		for (const char *s = q; s < r; s++) {
			int dgt = *s - '0';
			if (n > (INT64_MAX - dgt) / 10) {
				big = true;
				break;
			}
			n = n * 10 + dgt;
		}
		if (lx->partial && r + 1 == end) {
			more(t); /* what follows decides: 30d or 30dx */
			return NULL;
		}
		if (big || n > INT64_MAX / per) {
			fail(lx, t, CM_ERANGE, t->pos.line, t->pos.col,
			     "duration %.*s out of range",
			     (int)(r + 1 - p > 60 ? 60 : r + 1 - p), p);
			return NULL;
		}
		t->kind = CM__T_DURATION;
		t->v = n * per;
		return r + 1;
	}
	if (r < end && glued((unsigned char)*r)) {
		malformed(lx, t, p, "number");
		return NULL;
	}
	t->kind = CM__T_NUMBER;
	return r;
}

/* A string; @p p points at the opening quote. Sets *ncols. */
static COLD const char *lex_string(struct cm__lexer *lx, struct cm__token *t,
			      const char *p, uint32_t *ncols)
{
	const unsigned char *q = (const unsigned char *)p + 1;
	const unsigned char *end = (const unsigned char *)lx->end;
	uint32_t line = t->pos.line, col = t->pos.col + 1;
	bool esc = false;
	for (;;) {
		if (q == end)
			goto unterminated;
		unsigned c = *q;
		if (c == '"')
			break;
		if (c >= 0x20 && c < 0x80 && c != '\\') {
			q++;
			col++;
			continue;
		}
		if (c == '\\') {
			if (q + 1 == end) {
				if (lx->partial) {
					more(t);
					return NULL;
				}
				goto unterminated;
			}
			if (q[1] == '"' || q[1] == '\\') {
				q += 2;
				col += 2;
				esc = true;
				continue;
			}
			if (q[1] >= 0x20 && q[1] < 0x7f)
				fail(lx, t, CM_ESYNTAX, line, col,
				     "invalid escape '\\%c' in string (only "
				     "\\\" and \\\\ are allowed)", q[1]);
			else
				fail(lx, t, CM_ESYNTAX, line, col,
				     "invalid escape in string (only \\\" and "
				     "\\\\ are allowed)");
			return NULL;
		}
		if (c == '\t') {
			q++;
			col++;
			continue;
		}
		if (c == '\n' || c == '\r') /* a line end */
			goto unterminated;
		if (c < 0x20) {
			fail(lx, t, CM_ESYNTAX, line, col,
			     "control character 0x%02x in string", c);
			return NULL;
		}
		int n = utf8_len(q, end);
		if (n < 0 && lx->partial) {
			more(t);
			return NULL;
		}
		if (n <= 0) {
			fail(lx, t, CM_ESYNTAX, line, col,
			     "invalid UTF-8 byte 0x%02x", c);
			return NULL;
		}
		q += n;
		col++;
	}
	t->kind = CM__T_STRING;
	t->escaped = esc;
	t->s = p + 1;
	t->len = (size_t)((const char *)q - (p + 1));
	*ncols = col + 1 - t->pos.col;
	return (const char *)q + 1;
unterminated:
	if (q == end && lx->partial) {
		more(t);
		return NULL;
	}
	fail(lx, t, CM_ESYNTAX, t->pos.line, t->pos.col,
	     "unterminated string (a string ends on the line it starts)");
	return NULL;
}

/* A comment from @p p ('#') to the end of the line. Returns the end, or
 * NULL with @p t set (error or more). */
static COLD const char *lex_comment(struct cm__lexer *lx,
				    struct cm__token *t, const char *p,
				    uint32_t line, uint32_t *colp)
{
	uint32_t col = *colp;
	const unsigned char *q = (const unsigned char *)p + 1;
	const unsigned char *end = (const unsigned char *)lx->end;
	uint32_t c0 = col;
	col++;
	/* to the line end: LF, CR-LF or a lone CR */
	while (q < end && *q != '\n' && *q != '\r') {
		unsigned c = *q;
		if (c >= 0x20 && c < 0x80) {
			q++;
			col++;
			continue;
		}
		if (c == '\t') {
			q++;
			col++;
			continue;
		}
		if (c < 0x20) {
			fail(lx, t, CM_ESYNTAX, line, col,
			     "control character 0x%02x in comment", c);
			return NULL;
		}
		int n = utf8_len(q, end);
		if (n < 0 && lx->partial) {
			more(t);
			return NULL;
		}
		if (n <= 0) {
			fail(lx, t, CM_ESYNTAX, line, col,
			     "invalid UTF-8 byte 0x%02x", c);
			return NULL;
		}
		q += n;
		col++;
	}
	if (q == end && lx->partial) {
		more(t);
		return NULL;
	}
	if (lx->comment) {
		size_t len = (size_t)((const char *)q - p);
		while (len > 1 && p[len - 1] == '\r')
			len--;
		int rc = lx->comment(lx->comment_ctx, p, len,
				     (struct cm__pos){line, c0},
				     !lx->line_has_token);
		if (rc != CM_OK) {
			lx->rc = rc;
			t->kind = CM__T_ERROR;
			t->pos = (struct cm__pos){line, c0};
			return NULL;
		}
	}
	*colp = col;
	return (const char *)q;
}

void cm__lex(struct cm__lexer *lx, struct cm__token *t)
{
	if (__builtin_expect(!lx->started, 0)) {
		/* A UTF-8 byte-order mark opening the text is skipped (and
		 * takes no column). */
		size_t avail = (size_t)(lx->end - lx->p);
		if (avail < 3 && lx->partial &&
		    memcmp(lx->p, "\xef\xbb\xbf", avail) == 0) {
			more(t);
			return;
		}
		if (lx->end - lx->p >= 3 && memcmp(lx->p, "\xef\xbb\xbf", 3) == 0)
			lx->p += 3;
		lx->started = true;
	}
	const char *p = lx->p, *end = lx->end;
	uint32_t line = lx->line, col = lx->col;
	t->escaped = false;
	t->has_time = false;
	for (;;) {
		if (p == end) {
			if (lx->partial) {
				more(t);
				return;
			}
			lx->p = p;
			lx->line = line;
			lx->col = col;
			t->kind = CM__T_EOF;
			t->s = p;
			t->len = 0;
			t->pos = lx->last_end;
			return;
		}
		unsigned char c = (unsigned char)*p;
		if (c == ' ' || c == '\t') {
			p++;
			col++;
		} else if (c == '\n' || c == '\r') {
			/* a line ends at LF, CR-LF or a lone CR */
			if (c == '\r') {
				if (p + 1 == end && lx->partial) {
					more(t); /* an LF may follow */
					return;
				}
				if (p + 1 < end && p[1] == '\n')
					p++;
			}
			p++;
			line++;
			col = 1;
			lx->line_has_token = false;
		} else if (c == '#') {
			const char *q = lex_comment(lx, t, p, line, &col);
			if (!q)
				return;
			p = q;
		} else {
			break;
		}
	}
	/* Blanks and comments are consumed for good. */
	lx->p = p;
	lx->line = line;
	lx->col = col;
	if (line > CM__MAX_LINE || col > CM__MAX_COL) {
		fail(lx, t, CM_ELIMIT, 0, 0, "%s %u is beyond the limit of %d",
		     line > CM__MAX_LINE ? "line" : "column",
		     line > CM__MAX_LINE ? line : col, INT32_MAX);
		return;
	}
	t->pos = (struct cm__pos){line, col};
	t->s = p;
	unsigned char c = (unsigned char)*p;
	const char *q;
	uint32_t ncols = 0;
	if (id_start(c)) {
		q = p + 1;
		while (q < end && id_char((unsigned char)*q))
			q++;
		if (q == end && lx->partial) {
			more(t);
			return;
		}
		t->kind = CM__T_ID;
	} else if (is_digit(c) || (c == '-' && p + 1 < end && is_digit(p[1]))) {
		q = lex_number(lx, t, p);
		if (!q)
			return;
		if (q == end && lx->partial) {
			more(t);
			return;
		}
	} else if (c == '"') {
		q = lex_string(lx, t, p, &ncols);
		if (!q)
			return;
		goto done;
	} else {
		q = p + 1;
		bool next_eq = q < end && *q == '=';
		if ((c == '>' || c == '<' || c == '=' || c == '!' || c == '-') &&
		    q == end && lx->partial) {
			more(t);
			return;
		}
		switch (c) {
		case '(': t->kind = CM__T_LPAREN; break;
		case ')': t->kind = CM__T_RPAREN; break;
		case '{': t->kind = CM__T_LBRACE; break;
		case '}': t->kind = CM__T_RBRACE; break;
		case ',': t->kind = CM__T_COMMA; break;
		case ':': t->kind = CM__T_COLON; break;
		case '>':
			t->kind = next_eq ? CM__T_GE : CM__T_GT;
			q += next_eq;
			break;
		case '<':
			t->kind = next_eq ? CM__T_LE : CM__T_LT;
			q += next_eq;
			break;
		case '=':
		case '!':
			if (!next_eq) {
				fail(lx, t, CM_ESYNTAX, line, col,
				     "unexpected character '%c' (did you mean "
				     "'%c='?)", c, c);
				return;
			}
			t->kind = c == '=' ? CM__T_EQ : CM__T_NE;
			q++;
			break;
		default:
			bad_char(lx, t, p, line, col);
			return;
		}
	}
	t->len = (size_t)(q - p);
	ncols = (uint32_t)t->len;
done:
	if (t->kind != CM__T_STRING)
		t->len = (size_t)(q - p);
	lx->p = q;
	lx->col = col + ncols;
	lx->last_end = (struct cm__pos){line, lx->col};
	lx->line_has_token = true;
}

size_t cm__string_len(const struct cm__token *t)
{
	if (!t->escaped)
		return t->len;
	size_t n = 0;
	for (size_t i = 0; i < t->len; i++, n++)
		if (t->s[i] == '\\')
			i++;
	return n;
}

void cm__string_copy(const struct cm__token *t, char *dst)
{
	if (!t->escaped) {
		memcpy(dst, t->s, t->len);
		dst[t->len] = '\0';
		return;
	}
	size_t n = 0;
	for (size_t i = 0; i < t->len; i++) {
		if (t->s[i] == '\\')
			i++;
		dst[n++] = t->s[i];
	}
	dst[n] = '\0';
}
