/*
 * The lexer of the .cmt language (SPEC §2): tokens are slices of the
 * input, nothing is allocated. Comments are handed to an optional
 * callback. In "partial" mode (the streaming event reader) the input may
 * continue past its end: a token, blank run or comment that touches the
 * end is not decided, and the lexer answers CM__T_MORE instead.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_LEXER_H
#define CM_LEXER_H

#include "model/model.h"

enum cm__tok {
	CM__T_EOF,
	CM__T_ID,
	CM__T_STRING,   /* s/len: the text between the quotes, raw */
	CM__T_NUMBER,   /* s/len: the text */
	CM__T_DATE,     /* v: minutes of the date (00:00) or date-time */
	CM__T_DURATION, /* v: minutes */
	CM__T_LPAREN,
	CM__T_RPAREN,
	CM__T_LBRACE,
	CM__T_RBRACE,
	CM__T_COMMA,
	CM__T_COLON,
	CM__T_GE,
	CM__T_GT,
	CM__T_LE,
	CM__T_LT,
	CM__T_EQ,
	CM__T_NE,
	CM__T_ERROR, /* the lexer failed: the error is filled in */
	CM__T_MORE   /* partial mode: more input is needed */
};

struct cm__token {
	uint8_t kind;     /* enum cm__tok */
	bool escaped;     /* CM__T_STRING holding a backslash escape */
	bool has_time;    /* CM__T_DATE written with THH:MM */
	const char *s;    /* the token's text (strings: inside the quotes) */
	size_t len;
	struct cm__pos pos;
	int64_t v;        /* dates and durations, in minutes */
};

/** Called for each comment (text from `#` to the end of the line, without
 *  the newline or a trailing CR). Returns CM_OK or an error status. */
typedef int (*cm__comment_fn)(void *ctx, const char *text, size_t len,
			      struct cm__pos pos, bool own_line);

/** Positions fit cm_error's int32 line and column: a token on a later
 *  line or column is CM_ELIMIT (docs/limits.md). A whole text given at
 *  once is at most CM__MAX_TEXT bytes. */
enum { CM__MAX_LINE = INT32_MAX, CM__MAX_COL = INT32_MAX,
       CM__MAX_TEXT = INT32_MAX };

struct cm__lexer {
	const char *p, *end;
	uint32_t line, col;
	struct cm__pos last_end; /* just past the last token (end of input
				    errors point here) */
	bool partial;            /* the input may continue after end */
	bool line_has_token;     /* a token stood before on this line */
	bool started;            /* past a leading byte-order mark */
	const char *file;        /* for errors */
	cm_error *err;
	cm__comment_fn comment;  /* may be NULL: comments are skipped */
	void *comment_ctx;
	int rc;                  /* the status behind a CM__T_ERROR */
	uint32_t dkey;           /* last date seen (yyyymmdd) and its day */
	int64_t dday;
};

/** Start lexing @p len bytes at @p text, at line 1, column 1. */
void cm__lexer_init(struct cm__lexer *lx, const char *text, size_t len,
		    const char *file, cm_error *err);
/** The next token into @p t. On CM__T_ERROR lx->rc holds the status and
 *  the error is filled in; the lexer then stays at the offending place. */
void cm__lex(struct cm__lexer *lx, struct cm__token *t);

/** Unescaped length of a string token's text (<= t->len). */
size_t cm__string_len(const struct cm__token *t);
/** Copy the unescaped text of a string token into @p dst (room for
 *  cm__string_len() bytes plus the NUL). */
void cm__string_copy(const struct cm__token *t, char *dst);

/** Is @p c a character that may continue an identifier? */
bool cm__id_char(unsigned char c);

#endif
