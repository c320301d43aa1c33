/*
 * The lexer: every token kind, the edges of numbers, dates and
 * durations, strings and escapes, comments, UTF-8 and columns, and the
 * partial mode of the streaming reader.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include "testutil.h"

#include "syntax/lexer.h"

/* Lex all of @p text into @p out (at most @p max tokens, the last being
 * EOF or ERROR); returns the number of tokens. */
static int lex_all(const char *text, struct cm__token *out, int max,
		   cm_error *err)
{
	struct cm__lexer lx;
	memset(err, 0, sizeof(*err));
	cm__lexer_init(&lx, text, strlen(text), "t.cmt", err);
	int n = 0;
	while (n < max) {
		cm__lex(&lx, &out[n]);
		uint8_t k = out[n++].kind;
		if (k == CM__T_EOF || k == CM__T_ERROR)
			break;
	}
	return n;
}

/* The one token of @p text (followed by EOF). */
static struct cm__token one(const char *text)
{
	struct cm__token t[3];
	cm_error err;
	int n = lex_all(text, t, 3, &err);
	ck_assert_msg(t[0].kind != CM__T_ERROR, "'%s': %s", text, err.message);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(t[1].kind, CM__T_EOF);
	return t[0];
}

/* @p text fails with @p code at 1:@p col, message containing @p needle. */
static void lex_fails(const char *text, int code, int line, int col,
		      const char *needle)
{
	struct cm__token t[64];
	cm_error err;
	int n = lex_all(text, t, 64, &err);
	ck_assert_msg(t[n - 1].kind == CM__T_ERROR, "'%s' lexed fine", text);
	ck_assert_int_eq(err.code, code);
	ck_assert_msg(err.line == line && err.column == col,
		      "'%s': error at %d:%d, want %d:%d (%s)", text, err.line,
		      err.column, line, col, err.message);
	ck_assert_str_eq(err.file, "t.cmt");
	ck_assert_msg(strstr(err.message, needle), "'%s': message '%s' lacks '%s'",
		      text, err.message, needle);
}

static uint8_t partial_kind(const char *text);

static bool text_is(const struct cm__token *t, const char *s)
{
	return t->len == strlen(s) && memcmp(t->s, s, t->len) == 0;
}

START_TEST(test_kinds)
{
	struct cm__token t[32];
	cm_error err;
	int n = lex_all("agreement x-1 \"s\" 12 -3.5 2025-10-09 30d ( ) { } , :"
			" >= > <= < == !=",
			t, 32, &err);
	static const uint8_t want[] = {
		CM__T_ID, CM__T_ID, CM__T_STRING, CM__T_NUMBER, CM__T_NUMBER,
		CM__T_DATE, CM__T_DURATION, CM__T_LPAREN, CM__T_RPAREN,
		CM__T_LBRACE, CM__T_RBRACE, CM__T_COMMA, CM__T_COLON,
		CM__T_GE, CM__T_GT, CM__T_LE, CM__T_LT, CM__T_EQ, CM__T_NE,
		CM__T_EOF,
	};
	ck_assert_int_eq(n, (int)sizeof(want));
	for (int i = 0; i < n; i++)
		ck_assert_msg(t[i].kind == want[i], "token %d: kind %d, want %d",
			      i, t[i].kind, want[i]);
	ck_assert(text_is(&t[0], "agreement"));
	ck_assert(text_is(&t[1], "x-1"));
	ck_assert(text_is(&t[2], "s"));
	ck_assert(text_is(&t[3], "12"));
	ck_assert(text_is(&t[4], "-3.5"));
	ck_assert(text_is(&t[13], ">="));
	ck_assert(text_is(&t[18], "!="));
	/* columns */
	ck_assert_int_eq(t[0].pos.col, 1);
	ck_assert_int_eq(t[1].pos.col, 11);
	ck_assert_int_eq(t[2].pos.col, 15);
	ck_assert_int_eq(t[3].pos.col, 19);
	ck_assert_int_eq(t[4].pos.col, 22);
	/* end of input points just past the last token */
	ck_assert_int_eq(t[n - 1].pos.line, 1);
	ck_assert_int_eq(t[n - 1].pos.col, 69);
}
END_TEST

START_TEST(test_identifiers)
{
	struct cm__token t = one("_a-b_9-");
	ck_assert_int_eq(t.kind, CM__T_ID);
	ck_assert(text_is(&t, "_a-b_9-"));
	t = one("Z");
	ck_assert(text_is(&t, "Z"));
	/* case-sensitive: just text */
	struct cm__token v[4];
	cm_error err;
	lex_all("ab AB", v, 4, &err);
	ck_assert(text_is(&v[0], "ab"));
	ck_assert(text_is(&v[1], "AB"));
	/* x - 1 with blanks is three tokens: x, then '-' alone fails */
	lex_fails("x - 1", CM_ESYNTAX, 1, 3, "unexpected character '-'");
	/* x -1 is an id and a negative number */
	ck_assert_int_eq(lex_all("x -1", v, 4, &err), 3);
	ck_assert_int_eq(v[1].kind, CM__T_NUMBER);
	ck_assert(text_is(&v[1], "-1"));
}
END_TEST

START_TEST(test_numbers)
{
	ck_assert_int_eq(one("0").kind, CM__T_NUMBER);
	ck_assert_int_eq(one("007").kind, CM__T_NUMBER);
	ck_assert_int_eq(one("-0").kind, CM__T_NUMBER);
	ck_assert_int_eq(one("1.25").kind, CM__T_NUMBER);
	ck_assert_int_eq(one("-1.25").kind, CM__T_NUMBER);
	/* any length: numbers are text */
	struct cm__token t = one("123456789012345678901234567890");
	ck_assert_int_eq(t.kind, CM__T_NUMBER);
	ck_assert_uint_eq(t.len, 30);
	lex_fails("1.", CM_ESYNTAX, 1, 1, "malformed number '1.'");
	lex_fails("x 1.2.3", CM_ESYNTAX, 1, 3, "malformed number '1.2.3'");
	lex_fails("12abc", CM_ESYNTAX, 1, 1, "malformed number '12abc'");
	lex_fails("2025-1-01", CM_ESYNTAX, 1, 1, "malformed number '2025-1-01'");
	lex_fails(".5", CM_ESYNTAX, 1, 1, "unexpected character '.'");
	lex_fails("-", CM_ESYNTAX, 1, 1, "unexpected character '-'");
	lex_fails("--1", CM_ESYNTAX, 1, 1, "unexpected character '-'");
}
END_TEST

START_TEST(test_dates)
{
	struct cm__token t = one("2025-10-09");
	ck_assert_int_eq(t.kind, CM__T_DATE);
	ck_assert(!t.has_time);
	cm_time want;
	ck_assert_int_eq(cm_time_parse("2025-10-09", 0, &want), CM_OK);
	ck_assert_int_eq(t.v, want);
	t = one("2025-10-09T13:45");
	ck_assert_int_eq(t.kind, CM__T_DATE);
	ck_assert(t.has_time);
	ck_assert_int_eq(t.v, want + 13 * 60 + 45);
	ck_assert(text_is(&t, "2025-10-09T13:45"));
	/* edges of the calendar */
	ck_assert_int_eq(one("2024-02-29").kind, CM__T_DATE);
	ck_assert_int_eq(one("2000-02-29").kind, CM__T_DATE);
	ck_assert_int_eq(one("0001-01-01").kind, CM__T_DATE);
	ck_assert_int_eq(one("9999-12-31T23:59").kind, CM__T_DATE);
	ck_assert_int_eq(one("0001-01-01").v,
			 cm__time_from_civil(1, 1, 1, 0, 0));
	lex_fails("2025-02-29", CM_ERANGE, 1, 1, "date 2025-02-29 does not exist");
	lex_fails("1900-02-29", CM_ERANGE, 1, 1, "date 1900-02-29 does not exist");
	lex_fails("x 2025-02-30", CM_ERANGE, 1, 3, "date 2025-02-30 does not exist");
	lex_fails("2025-04-31", CM_ERANGE, 1, 1, "does not exist");
	lex_fails("2025-13-01", CM_ERANGE, 1, 1, "does not exist");
	lex_fails("2025-00-10", CM_ERANGE, 1, 1, "does not exist");
	lex_fails("2025-01-00", CM_ERANGE, 1, 1, "does not exist");
	lex_fails("0000-01-01", CM_ERANGE, 1, 1, "date 0000-01-01 does not exist");
	lex_fails("2025-01-01T24:00", CM_ERANGE, 1, 1,
		  "date 2025-01-01T24:00 does not exist");
	lex_fails("2025-01-01T23:60", CM_ERANGE, 1, 1, "does not exist");
	lex_fails("2025-01-01T1:00", CM_ESYNTAX, 1, 1, "malformed date");
	lex_fails("2025-01-01T", CM_ESYNTAX, 1, 1, "malformed date");
	lex_fails("2025-01-01x", CM_ESYNTAX, 1, 1, "malformed date '2025-01-01x'");
	lex_fails("2025-01-011", CM_ESYNTAX, 1, 1, "malformed date");
	lex_fails("2025-01-01T10:00:00", CM_ESYNTAX, 1, 1, "malformed date");
	/* a date token wins over a number */
	struct cm__token v[4];
	cm_error err;
	ck_assert_int_eq(lex_all("2025-10-09", v, 4, &err), 2);
	ck_assert_int_eq(v[0].kind, CM__T_DATE);
	/* -YYYY-MM-DD is no date */
	lex_fails("-2025-10-09", CM_ESYNTAX, 1, 1, "malformed number");
	/* the day cache does not leak between dates */
	ck_assert_int_eq(lex_all("2025-10-09 2025-10-10 2025-10-09", v, 4,
				 &err), 4);
	ck_assert_int_eq(v[1].v - v[0].v, CM__MINUTES_PER_DAY);
	ck_assert_int_eq(v[2].v, v[0].v);
}
END_TEST

START_TEST(test_durations)
{
	struct cm__token t = one("30d");
	ck_assert_int_eq(t.kind, CM__T_DURATION);
	ck_assert_int_eq(t.v, 30 * 1440);
	t = one("12h");
	ck_assert_int_eq(t.kind, CM__T_DURATION);
	ck_assert_int_eq(t.v, 720);
	ck_assert_int_eq(one("0d").v, 0);
	ck_assert_int_eq(one("0h").v, 0);
	/* the largest that fit in 64-bit minutes */
	ck_assert_int_eq(one("6405119470038038d").v, 6405119470038038LL * 1440);
	ck_assert_int_eq(one("153722867280912930h").v,
			 153722867280912930LL * 60);
	lex_fails("6405119470038039d", CM_ERANGE, 1, 1,
		  "duration 6405119470038039d out of range");
	lex_fails("153722867280912931h", CM_ERANGE, 1, 1, "out of range");
	lex_fails("x 99999999999999999999999d", CM_ERANGE, 1, 3, "out of range");
	lex_fails("30days", CM_ESYNTAX, 1, 1, "malformed number '30days'");
	lex_fails("1.5d", CM_ESYNTAX, 1, 1, "malformed number '1.5d'");
	lex_fails("-3d", CM_ESYNTAX, 1, 1, "malformed number '-3d'");
	lex_fails("3m", CM_ESYNTAX, 1, 1, "malformed number '3m'");
}
END_TEST

START_TEST(test_strings)
{
	struct cm__token t = one("\"plain text\"");
	ck_assert_int_eq(t.kind, CM__T_STRING);
	ck_assert(!t.escaped);
	ck_assert(text_is(&t, "plain text"));
	t = one("\"a \\\"b\\\" \\\\ c\"");
	ck_assert(t.escaped);
	ck_assert_uint_eq(cm__string_len(&t), 9);
	char buf[32];
	cm__string_copy(&t, buf);
	ck_assert_str_eq(buf, "a \"b\" \\ c");
	t = one("\"\"");
	ck_assert_uint_eq(t.len, 0);
	t = one("\"tab\there\"");
	ck_assert_uint_eq(t.len, 8);
	t = one("\"Türkiye ✓ 😀\"");
	ck_assert(text_is(&t, "Türkiye ✓ 😀"));

	lex_fails("\"abc", CM_ESYNTAX, 1, 1, "unterminated string");
	lex_fails("x \"ab\ncd\"", CM_ESYNTAX, 1, 3, "unterminated string");
	lex_fails("\"a\\n\"", CM_ESYNTAX, 1, 3, "invalid escape '\\n'");
	lex_fails("\"ü\\t\"", CM_ESYNTAX, 1, 3, "invalid escape '\\t'");
	lex_fails("\"a\\", CM_ESYNTAX, 1, 1, "unterminated string");
	lex_fails("\"a\x01\"", CM_ESYNTAX, 1, 3, "control character 0x01");
	/* a CR ends the line, so the string (issue 16) */
	lex_fails("\"a\r\"", CM_ESYNTAX, 1, 1, "unterminated string");
}
END_TEST

START_TEST(test_utf8)
{
	/* columns count code points: ü is 2 bytes, ✓ 3, 😀 4 */
	struct cm__token t[4];
	cm_error err;
	lex_all("\"ü✓😀\" x", t, 4, &err);
	ck_assert_int_eq(t[1].kind, CM__T_ID);
	ck_assert_int_eq(t[1].pos.col, 7);
	lex_all("# ü✓😀\n  \"é\" y", t, 4, &err);
	ck_assert_int_eq(t[0].pos.line, 2);
	ck_assert_int_eq(t[1].pos.col, 7);
	lex_fails("\"é\xff\"", CM_ESYNTAX, 1, 3, "invalid UTF-8 byte 0xff");
	lex_fails("x \xff", CM_ESYNTAX, 1, 3, "invalid UTF-8 byte 0xff");
	lex_fails("# é \xfe", CM_ESYNTAX, 1, 5, "invalid UTF-8 byte 0xfe");
	/* overlong, surrogate, beyond U+10FFFF, lone continuation, cut */
	lex_fails("\"\xc0\xaf\"", CM_ESYNTAX, 1, 2, "invalid UTF-8 byte 0xc0");
	lex_fails("\"\xe0\x80\xaf\"", CM_ESYNTAX, 1, 2, "invalid UTF-8 byte 0xe0");
	lex_fails("\"\xed\xa0\x80\"", CM_ESYNTAX, 1, 2, "invalid UTF-8 byte 0xed");
	lex_fails("\"\xf4\x90\x80\x80\"", CM_ESYNTAX, 1, 2,
		  "invalid UTF-8 byte 0xf4");
	lex_fails("\"\x80\"", CM_ESYNTAX, 1, 2, "invalid UTF-8 byte 0x80");
	lex_fails("\"ab\xe2\x9c", CM_ESYNTAX, 1, 4, "invalid UTF-8 byte 0xe2");
	lex_fails("\"\xe2\x28\xa1\"", CM_ESYNTAX, 1, 2, "invalid UTF-8 byte 0xe2");
	/* valid non-ASCII outside strings and comments */
	lex_fails("ab é", CM_ESYNTAX, 1, 4, "unexpected character 'é'");
	lex_fails("\"ü\" ✓", CM_ESYNTAX, 1, 5, "unexpected character '✓'");
}
END_TEST

static int ncomments;
static char comment_text[8][64];
static struct cm__pos comment_pos[8];
static bool comment_own[8];

static int on_comment(void *ctx, const char *text, size_t len,
		      struct cm__pos pos, bool own_line)
{
	(void)ctx;
	snprintf(comment_text[ncomments], 64, "%.*s", (int)len, text);
	comment_pos[ncomments] = pos;
	comment_own[ncomments] = own_line;
	ncomments++;
	return CM_OK;
}

START_TEST(test_comments)
{
	const char *text = "# first\n"
			   "x # after x\r\n"
			   "   # indented ü\n"
			   "y#tight\n"
			   "#";
	struct cm__lexer lx;
	cm_error err;
	cm__lexer_init(&lx, text, strlen(text), "t.cmt", &err);
	lx.comment = on_comment;
	ncomments = 0;
	struct cm__token t;
	cm__lex(&lx, &t);
	ck_assert(text_is(&t, "x"));
	ck_assert_int_eq(t.pos.line, 2);
	cm__lex(&lx, &t);
	ck_assert(text_is(&t, "y"));
	ck_assert_int_eq(t.pos.line, 4);
	cm__lex(&lx, &t);
	ck_assert_int_eq(t.kind, CM__T_EOF);
	ck_assert_int_eq(t.pos.line, 4);
	ck_assert_int_eq(t.pos.col, 2);
	ck_assert_int_eq(ncomments, 5);
	ck_assert_str_eq(comment_text[0], "# first");
	ck_assert_str_eq(comment_text[1], "# after x");
	ck_assert_str_eq(comment_text[2], "# indented ü");
	ck_assert_str_eq(comment_text[3], "#tight");
	ck_assert_str_eq(comment_text[4], "#");
	ck_assert(comment_own[0] && !comment_own[1] && comment_own[2] &&
		  !comment_own[3] && comment_own[4]);
	ck_assert_int_eq(comment_pos[1].line, 2);
	ck_assert_int_eq(comment_pos[1].col, 3);
	ck_assert_int_eq(comment_pos[2].col, 4);
	ck_assert_int_eq(comment_pos[4].line, 5);
	/* a comment hides everything to the end of the line */
	struct cm__token v[4];
	ck_assert_int_eq(lex_all("a # \" { unterminated\nb", v, 4, &err), 3);
	ck_assert(text_is(&v[1], "b"));
	lex_fails("# bell \x07", CM_ESYNTAX, 1, 8, "control character 0x07");
}
END_TEST

START_TEST(test_bad_characters)
{
	lex_fails("a = b", CM_ESYNTAX, 1, 3, "unexpected character '='");
	lex_fails("a ! b", CM_ESYNTAX, 1, 3, "unexpected character '!'");
	lex_fails("@", CM_ESYNTAX, 1, 1, "unexpected character '@'");
	lex_fails("a;", CM_ESYNTAX, 1, 2, "unexpected character ';'");
	lex_fails("\n\n  [", CM_ESYNTAX, 3, 3, "unexpected character '['");
	/* NUL and other control bytes */
	struct cm__token t[4];
	cm_error err;
	struct cm__lexer lx;
	cm__lexer_init(&lx, "a\0b", 3, "t.cmt", &err);
	cm__lex(&lx, &t[0]);
	cm__lex(&lx, &t[1]);
	ck_assert_int_eq(t[1].kind, CM__T_ERROR);
	ck_assert_int_eq(err.column, 2);
	ck_assert_ptr_nonnull(strstr(err.message, "control character 0x00"));
	lex_fails("\x01", CM_ESYNTAX, 1, 1, "control character 0x01");
	/* blanks: space, tab, CR, LF */
	ck_assert_int_eq(lex_all(" \t\r\n a \r\n", t, 4, &err), 2);
	ck_assert_int_eq(t[0].pos.line, 2);
	ck_assert_int_eq(t[0].pos.col, 2);
}
END_TEST

START_TEST(test_bom)
{
	struct cm__token t[3];
	cm_error err;
	ck_assert_int_eq(lex_all("\xef\xbb\xbf" "ab", t, 3, &err), 2);
	ck_assert(text_is(&t[0], "ab"));
	ck_assert_int_eq(t[0].pos.col, 1);
	/* only at the very start */
	lex_fails("a \xef\xbb\xbf", CM_ESYNTAX, 1, 3, "unexpected character");
	lex_fails("\xef\xbb\xbf\xef\xbb\xbf", CM_ESYNTAX, 1, 1,
		  "unexpected character");
	ck_assert_int_eq(lex_all("\xef\xbb\xbf", t, 3, &err), 1);
	ck_assert_int_eq(t[0].kind, CM__T_EOF);
	ck_assert_int_eq(partial_kind("\xef\xbb"), CM__T_MORE);
}
END_TEST

START_TEST(test_empty)
{
	struct cm__token t[2];
	cm_error err;
	ck_assert_int_eq(lex_all("", t, 2, &err), 1);
	ck_assert_int_eq(t[0].kind, CM__T_EOF);
	ck_assert_int_eq(t[0].pos.line, 1);
	ck_assert_int_eq(t[0].pos.col, 1);
	ck_assert_int_eq(lex_all("  # c\n\n", t, 2, &err), 1);
	ck_assert_int_eq(t[0].kind, CM__T_EOF);
	ck_assert_int_eq(t[0].pos.col, 1);
}
END_TEST

/* Partial mode: a token touching the end is not decided. */
static uint8_t partial_kind(const char *text)
{
	struct cm__lexer lx;
	cm_error err;
	cm__lexer_init(&lx, text, strlen(text), "t.cmt", &err);
	lx.partial = true;
	struct cm__token t;
	cm__lex(&lx, &t);
	return t.kind;
}

START_TEST(test_partial)
{
	ck_assert_int_eq(partial_kind("abc"), CM__T_MORE);
	ck_assert_int_eq(partial_kind("abc "), CM__T_ID);
	ck_assert_int_eq(partial_kind("  "), CM__T_MORE);
	ck_assert_int_eq(partial_kind("# comment"), CM__T_MORE);
	ck_assert_int_eq(partial_kind("\"abc"), CM__T_MORE);
	ck_assert_int_eq(partial_kind("\"ab\xc3"), CM__T_MORE);
	ck_assert_int_eq(partial_kind("\"abc\""), CM__T_STRING);
	ck_assert_int_eq(partial_kind("\"ab\\"), CM__T_MORE);
	ck_assert_int_eq(partial_kind("99999999999999999999d"), CM__T_MORE);
	ck_assert_int_eq(partial_kind("25-1::::::::::::::::::::"), CM__T_MORE);
	ck_assert_int_eq(partial_kind("\xc3"), CM__T_MORE);
	ck_assert_int_eq(partial_kind("# ab\xe2\x9c"), CM__T_MORE);
	ck_assert_int_eq(partial_kind("2025-10-09"), CM__T_MORE);
	ck_assert_int_eq(partial_kind("2025-10-09 x(a: 1) more text"),
			 CM__T_DATE);
	ck_assert_int_eq(partial_kind(">"), CM__T_MORE);
	ck_assert_int_eq(partial_kind("-"), CM__T_MORE);
	ck_assert_int_eq(partial_kind("("), CM__T_LPAREN);
	/* found by fuzz-reader-chunks: a number longer than the lookahead
	 * whose digits or '.' reach the end may go on (a fraction) */
	ck_assert_int_eq(partial_kind("1234567890123456789012"), CM__T_MORE);
	ck_assert_int_eq(partial_kind("1234567890123456789012."), CM__T_MORE);
	ck_assert_int_eq(partial_kind("-12345678901234567890123456789012345"
				      "67890123456789."), CM__T_MORE);
	ck_assert_int_eq(partial_kind("1234567890123456789012.5"), CM__T_MORE);
	ck_assert_int_eq(partial_kind("1234567890123456789012.5 "),
			 CM__T_NUMBER);
	ck_assert_int_eq(partial_kind("1234567890123456789012.x "),
			 CM__T_ERROR);
	/* an error before the end is still an error */
	ck_assert_int_eq(partial_kind("@ and more"), CM__T_ERROR);
}
END_TEST

static Suite *lexer_suite(void)
{
	Suite *s = suite_create("lexer");
	tcase_add_test(tcase_leakcheck(s, "kinds"), test_kinds);
	tcase_add_test(tcase_leakcheck(s, "identifiers"), test_identifiers);
	tcase_add_test(tcase_leakcheck(s, "numbers"), test_numbers);
	tcase_add_test(tcase_leakcheck(s, "dates"), test_dates);
	tcase_add_test(tcase_leakcheck(s, "durations"), test_durations);
	tcase_add_test(tcase_leakcheck(s, "strings"), test_strings);
	tcase_add_test(tcase_leakcheck(s, "utf8"), test_utf8);
	tcase_add_test(tcase_leakcheck(s, "comments"), test_comments);
	tcase_add_test(tcase_leakcheck(s, "bad characters"),
		       test_bad_characters);
	tcase_add_test(tcase_leakcheck(s, "empty"), test_empty);
	tcase_add_test(tcase_leakcheck(s, "byte-order mark"), test_bom);
	tcase_add_test(tcase_leakcheck(s, "partial"), test_partial);
	return s;
}

int main(void)
{
	return run_suite(lexer_suite());
}
