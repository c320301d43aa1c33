/*
 * The limits of docs/limits.md, one test each: at the limit the input
 * works; beyond it, the documented error at the documented place.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>

#include "testutil.h"

#include "syntax/lexer.h"
#include "model/model.h"
#include "monitor/monitor-engine.h"

static cm_error err;

/* Texts built by the helpers below: not under tctx (whose leak check
 * runs first), freed after each test. */
static void *scratch;

static void scratch_setup(void)
{
	scratch = talloc_new(NULL);
}

static void scratch_teardown(void)
{
	talloc_free(scratch);
	scratch = NULL;
}

static TCase *tcase(Suite *s, const char *name)
{
	TCase *tc = tcase_leakcheck(s, name);
	tcase_add_checked_fixture(tc, scratch_setup, scratch_teardown);
	return tc;
}

/* A condition text: @p nots `not` then @p parens `(` around `true`. */
static char *nested(int nots, int parens)
{
	char *s = talloc_strdup(scratch, "");
	for (int i = 0; i < nots; i++)
		s = talloc_strdup_append(s, "not ");
	for (int i = 0; i < parens; i++)
		s = talloc_strdup_append(s, "(");
	s = talloc_strdup_append(s, "true");
	for (int i = 0; i < parens; i++)
		s = talloc_strdup_append(s, ")");
	return s;
}

static char *agreement_with_if(const char *cond)
{
	return talloc_asprintf(scratch,
		"agreement a {\n"
		"  party P \"P\"\n"
		"  party Q \"Q\"\n"
		"  commitment c {\n"
		"    P must go()\n"
		"    if %s\n"
		"  }\n"
		"}\n", cond);
}

/* Nesting: 256 levels of parentheses or `not` (CM__MAX_COND_DEPTH). */
START_TEST(condition_nesting_parsed)
{
	ck_assert_int_eq(CM__MAX_COND_DEPTH, 256);
	/* 256 parentheses */
	cm_document *d = parse_ok(agreement_with_if(nested(0, 256)));
	cm_free(d);
	/* a node 256 deep: 255 `not` over a leaf */
	d = parse_ok(agreement_with_if(nested(255, 0)));
	cm_free(d);
	d = parse_ok(agreement_with_if(nested(128, 127)));
	cm_free(d);
	/* the 257th parenthesis, at its token (the condition starts at
	 * line 6, column 8) */
	parse_fails(agreement_with_if(nested(0, 257)), CM_ELIMIT, 6, 8 + 256,
		    "condition nested deeper than 256");
	/* a node 257 deep: at the operator that makes it so */
	parse_fails(agreement_with_if(nested(256, 0)), CM_ELIMIT, 6, 8,
		    "condition nested deeper than 256");
	/* nesting counts `not` and parentheses alike */
	parse_fails(agreement_with_if(nested(257, 0)), CM_ELIMIT, 6,
		    8 + 256 * 4, "condition nested deeper than 256");
	parse_fails(agreement_with_if(nested(200, 57)), CM_ELIMIT, 6,
		    8 + 200 * 4 + 56, "condition nested deeper than 256");
}
END_TEST

/* Built in code: a node 256 deep works, the 257th level is CM_ELIMIT. */
START_TEST(condition_nesting_built)
{
	cm_agreement *a = NULL;
	cm_commitment *c = NULL;
	ck_assert_int_eq(cm_agreement_new(tctx, "a", NULL, &a, &err), CM_OK);
	ck_assert_int_eq(cm_agreement_add_party(a, "P", "P", CM_ROLE_PARTY,
						CM_KIND_NONE, &err), CM_OK);
	ck_assert_int_eq(cm_agreement_add_commitment(a, "c", "P", CM_MUST, &c,
						     &err), CM_OK);
	ck_assert_int_eq(cm_commitment_set_action(c, "go()", &err), CM_OK);
	cm_condition *n = NULL;
	ck_assert_int_eq(cm_condition_new_const(c, 1, &n, &err), CM_OK);
	for (int depth = 2; depth <= 256; depth++)
		ck_assert_int_eq(cm_condition_new_not(c, n, &n, &err), CM_OK);
	cm_condition *over = NULL;
	ck_assert_int_eq(cm_condition_new_not(c, n, &over, &err), CM_ELIMIT);
	ck_assert_ptr_null(over);
	ck_assert_int_eq(err.code, CM_ELIMIT);
	/* the 256-deep node is usable */
	ck_assert_int_eq(cm_commitment_add_condition_node(c, CM_COND_IF, n,
							  &err), CM_OK);
	ck_assert_int_eq(cm_agreement_validate(a, &err), CM_OK);
	cm_free(a);
}
END_TEST

/* A count bound is an integer from 0 to 2^31 - 1. */
START_TEST(count_bound)
{
	cm_document *d = parse_ok(agreement_with_if(
		"count(attack()) >= 2147483647"));
	cm_free(d);
	parse_fails(agreement_with_if("count(attack()) >= 2147483648"),
		    CM_ERANGE, 6, 27, "2147483647");
	parse_fails(agreement_with_if("count(attack()) >= 99999999999999999999"),
		    CM_ERANGE, 6, 27, "2147483647");
	d = parse_ok(agreement_with_if("true"));
	cm_agreement *a = cm_document_agreement(d, 0);
	cm_commitment *c = cm_agreement_commitment(a, 0);
	cm_condition *n = NULL;
	ck_assert_int_eq(cm_condition_new_count(c, "x()", CM_CMP_GE,
		INT32_MAX, -1, &n, &err), CM_OK);
	ck_assert_int_eq(cm_condition_new_count(c, "x()", CM_CMP_GE,
		(int64_t)INT32_MAX + 1, -1, &n, &err), CM_ERANGE);
	ck_assert_int_eq(cm_condition_new_count(c, "x()", CM_CMP_GE, -1, -1,
						&n, &err), CM_ERANGE);
	cm_free(d);
}
END_TEST

/* Durations: whole days or hours that fit in 64-bit minutes. */
START_TEST(durations)
{
	/* INT64_MAX / 1440 = 6405119470038038 days */
	cm_document *d = parse_ok(agreement_with_if(
		"attack() within 6405119470038038d"));
	cm_free(d);
	d = parse_ok(agreement_with_if("attack() within 153722867280912930h"));
	cm_free(d);
	parse_fails(agreement_with_if("attack() within 6405119470038039d"),
		    CM_ERANGE, 6, 24, "duration 6405119470038039d out of range");
	parse_fails(agreement_with_if("attack() within 153722867280912931h"),
		    CM_ERANGE, 6, 24, "out of range");
	parse_fails(agreement_with_if(
		"attack() within 99999999999999999999999999d"), CM_ERANGE, 6,
		24, "out of range");
}
END_TEST

/* Dates: years 0001 to 9999. */
START_TEST(dates)
{
	cm_document *d = parse_ok("agreement a { date 9999-12-31T23:59 }");
	cm_agreement *a = cm_document_agreement(d, 0);
	cm_time t;
	ck_assert_int_eq(cm_time_parse("9999-12-31T23:59", 0, &t), CM_OK);
	ck_assert_int_eq(cm_agreement_date(a), t);
	cm_free(d);
	d = parse_ok("agreement a { date 0001-01-01 }");
	cm_free(d);
	parse_fails("agreement a { date 0000-12-31 }", CM_ERANGE, 1, 20,
		    "does not exist");
	/* five digits are no date */
	parse_fails("agreement a { date 10000-01-01 }", CM_ESYNTAX, 1, 20,
		    "");
	ck_assert_int_eq(cm_time_parse("10000-01-01", 0, &t), CM_EINVAL);
}
END_TEST

/* A whole text is at most 2^31 - 1 bytes (checked before reading). */
START_TEST(text_size)
{
	cm_document *d = NULL;
	static const char small[] = "agreement a { }";
	ck_assert_int_eq(CM__MAX_TEXT, INT32_MAX);
	/* the length is checked first: these bytes are never read */
	ck_assert_int_eq(cm_parse(tctx, small, (size_t)INT32_MAX + 1, "big",
				  &d, &err), CM_ELIMIT);
	ck_assert_ptr_null(d);
	ck_assert_str_eq(err.file, "big");
	ck_assert_ptr_nonnull(strstr(err.message, "beyond the limit of "
					 "2147483647 bytes"));
	ck_assert_int_eq(cm_document_new(tctx, &d, &err), CM_OK);
	ck_assert_int_eq(cm_document_add_text(d, small, SIZE_MAX, NULL, &err),
			 CM_ELIMIT);
	ck_assert_uint_eq(cm_document_agreement_count(d), 0);
	ck_assert_int_eq(cm_document_add_text(d, small, strlen(small), NULL,
					      &err), CM_OK);
	ck_assert_uint_eq(cm_document_agreement_count(d), 1);
	cm_free(d);
}
END_TEST

/* Lines and columns fit cm_error's int32: a token beyond is CM_ELIMIT.
 * (2^31 lines cannot be fed to a unit test: the lexer starts late.) */
START_TEST(lines_and_columns)
{
	struct cm__lexer lx;
	struct cm__token t;
	const char *text = "a\nb";
	cm__lexer_init(&lx, text, strlen(text), "f", &err);
	lx.line = CM__MAX_LINE;
	cm__lex(&lx, &t);
	ck_assert_int_eq(t.kind, CM__T_ID);
	ck_assert_uint_eq(t.pos.line, (uint32_t)INT32_MAX);
	cm__lex(&lx, &t);
	ck_assert_int_eq(t.kind, CM__T_ERROR);
	ck_assert_int_eq(lx.rc, CM_ELIMIT);
	ck_assert_str_eq(err.message,
			 "line 2147483648 is beyond the limit of 2147483647");
	ck_assert_int_eq(err.line, 0);

	text = "a b";
	cm__lexer_init(&lx, text, strlen(text), "f", &err);
	lx.col = CM__MAX_COL - 2;
	cm__lex(&lx, &t);
	ck_assert_int_eq(t.kind, CM__T_ID);
	cm__lex(&lx, &t);
	ck_assert_int_eq(t.kind, CM__T_ID); /* at column 2^31 - 1 */
	ck_assert_uint_eq(t.pos.col, (uint32_t)INT32_MAX);
	text = "a  b";
	cm__lexer_init(&lx, text, strlen(text), "f", &err);
	lx.col = CM__MAX_COL - 2;
	cm__lex(&lx, &t);
	cm__lex(&lx, &t);
	ck_assert_int_eq(t.kind, CM__T_ERROR);
	ck_assert_int_eq(lx.rc, CM_ELIMIT);
	ck_assert_str_eq(err.message,
			 "column 2147483648 is beyond the limit of 2147483647");
}
END_TEST

/* Identifiers and strings have no length limit of their own (the text
 * size bounds them): 1 MiB of each works and round-trips. */
START_TEST(long_identifier_and_string)
{
	enum { N = 1 << 20 };
	char *id = talloc_size(tctx, N + 1);
	memset(id, 'x', N);
	id[N] = '\0';
	char *str = talloc_size(tctx, N + 1);
	memset(str, 's', N);
	str[N] = '\0';
	char *text = talloc_asprintf(tctx,
		"agreement %s \"%s\" {\n  party P \"P\"\n"
		"  commitment c { P must go(%s: %s) note \"%s\" }\n}\n",
		id, str, id, id, str);
	cm_document *d = parse_ok(text);
	cm_agreement *a = cm_document_agreement(d, 0);
	ck_assert(strcmp(cm_agreement_id(a), id) == 0);
	ck_assert(strcmp(cm_agreement_title(a), str) == 0);
	char *out = NULL;
	ck_assert_int_eq(cm_document_to_text(tctx, d, &out, &err), CM_OK);
	/* the canonical text parses back to the same strings */
	cm_document *d2 = parse_ok(out);
	a = cm_document_agreement(d2, 0);
	ck_assert(strcmp(cm_agreement_id(a), id) == 0);
	ck_assert(strcmp(cm_agreement_title(a), str) == 0);
	char *out2 = NULL;
	ck_assert_int_eq(cm_document_to_text(tctx, d2, &out2, &err), CM_OK);
	ck_assert_msg(strcmp(out, out2) == 0, "not the same text");
	ck_assert_ptr_nonnull(strstr(out, str));
	talloc_free(out2);
	talloc_free(out);
	cm_free(d2);
	cm_free(d);
	talloc_free(text);
	talloc_free(id);
	talloc_free(str);
}
END_TEST

/* Counts (parties, commitments, events, attributes) are bounded by
 * memory and the text size only: many of each work. */
START_TEST(many_items)
{
	enum { NP = 300, NC = 3000, NA = 100, NE = 2000 };
	char *text = talloc_strdup(tctx, "agreement a {\n  date 2020-01-01\n");
	for (int i = 0; i < NP; i++)
		text = talloc_asprintf_append(text,
			"  party P%d \"P%d\" state\n", i, i);
	for (int i = 0; i < NC; i++)
		text = talloc_asprintf_append(text,
			"  commitment c%d { P%d must not hit(n: %d) to P%d }\n",
			i, i % NP, i, (i + 1) % NP);
	/* one event with NA attributes (past the matcher's fast path) */
	text = talloc_strdup_append(text, "  events {\n    2020-01-02 hit(");
	for (int k = 1; k < NA; k++)
		text = talloc_asprintf_append(text, "a%d: %d, ", k, k);
	text = talloc_strdup_append(text, "by: P7, n: 7)\n");
	for (int i = 0; i < NE; i++)
		text = talloc_asprintf_append(text,
			"    2020-01-03 talk(by: P%d)\n", i % NP);
	text = talloc_strdup_append(text, "  }\n}\n");
	cm_document *d = parse_ok(text);
	cm_agreement *a = cm_document_agreement(d, 0);
	ck_assert_uint_eq(cm_agreement_party_count(a), NP);
	ck_assert_uint_eq(cm_agreement_commitment_count(a), NC);
	ck_assert_uint_eq(cm_agreement_event_count(a), NE + 1);
	cm_monitor *m = NULL;
	ck_assert_int_eq(cm_monitor_new(d, a, NULL, &m, &err), CM_OK);
	ck_assert_int_eq(cm_monitor_run(m, CM_TIME_NONE, &err), CM_OK);
	cm_snapshot *s = NULL;
	ck_assert_int_eq(cm_monitor_snapshot(d, m, &s, &err), CM_OK);
	ck_assert_uint_eq(cm_snapshot_count(s), NC);
	/* the 100-attribute event violated c7 alone */
	ck_assert_uint_eq(cm_snapshot_violated_count(s), 1);
	ck_assert_int_eq(cm_snapshot_state(s, 7), CM_STATE_VIOLATED);
	cm_free(d);
	talloc_free(text);
}
END_TEST

/* Default creditor lists: 2^22 entries in all (each commitment without
 * `to` is owed to every other party-role party). */
START_TEST(default_creditors)
{
	/* P parties, each owing one commitment without `to`: P (P - 1)
	 * entries. 2049 * 2048 = 4196352 > 2^22 = 4194304 >= 2048 * 2047 */
	for (int round = 0; round < 2; round++) {
		int np = round ? 2049 : 2048;
		cm_agreement *a = NULL;
		ck_assert_int_eq(cm_agreement_new(tctx, "a", NULL, &a, &err),
				 CM_OK);
		char id[16];
		for (int i = 0; i < np; i++) {
			snprintf(id, sizeof(id), "P%d", i);
			ck_assert_int_eq(cm_agreement_add_party(a, id, id,
				CM_ROLE_PARTY, CM_KIND_NONE, &err), CM_OK);
		}
		for (int i = 0; i < np; i++) {
			cm_commitment *c = NULL;
			char cid[16];
			snprintf(id, sizeof(id), "P%d", i);
			snprintf(cid, sizeof(cid), "c%d", i);
			ck_assert_int_eq(cm_agreement_add_commitment(a, cid, id,
				CM_MUST, &c, &err), CM_OK);
			ck_assert_int_eq(cm_commitment_set_text(c, "x", &err),
					 CM_OK);
		}
		int rc = cm_agreement_validate(a, &err);
		if (!round) {
			ck_assert_int_eq(rc, CM_OK);
			ck_assert_uint_eq(cm_agreement_commitment_count(a),
					  2048);
		} else {
			ck_assert_int_eq(rc, CM_ELIMIT);
			ck_assert_ptr_nonnull(strstr(err.message, "4194304"));
		}
		cm_free(a);
	}
}
END_TEST

/* Live feeding: source indexes 0 to 65535. */
START_TEST(feed_sources)
{
	cm_document *d = parse_ok(agreement_with_if("true"));
	cm_monitor *m = NULL;
	ck_assert_int_eq(cm_monitor_new(d, cm_document_agreement(d, 0), NULL,
					&m, &err), CM_OK);
	const char *line = "2020-01-01 go(by: P)";
	ck_assert_int_eq(cm_monitor_feed_text(m, 65535, line, strlen(line),
					      &err), CM_OK);
	ck_assert_int_eq(cm_monitor_feed_text(m, 65536, line, strlen(line),
					      &err), CM_EINVAL);
	ck_assert_str_eq(err.message, "source index 65536 is above 65535");
	cm_free(d);
}
END_TEST

/* Live feeding holds the events of one minute: at most 2^31 of them
 * (the monitor's held count is set just below, as 2^31 events cannot be
 * fed to a unit test). */
START_TEST(held_events)
{
	cm_document *d = parse_ok(agreement_with_if("true"));
	cm_monitor *m = NULL;
	ck_assert_int_eq(cm_monitor_new(d, cm_document_agreement(d, 0), NULL,
					&m, &err), CM_OK);
	const char *line = "2020-01-01 go(by: P)";
	ck_assert_int_eq(cm_monitor_feed_text(m, 0, line, strlen(line), &err),
			 CM_OK);
	ck_assert_uint_eq(m->nheld, 1);
	uint32_t n = m->nheld, cap = m->heldcap;
	m->nheld = m->heldcap = 0x80000000u; /* full at 2^31 */
	ck_assert_int_eq(cm_monitor_feed_text(m, 0, line, strlen(line), &err),
			 CM_ELIMIT);
	ck_assert_str_eq(err.message,
			 "more than 2147483648 events held in one minute");
	m->nheld = n;
	m->heldcap = cap;
	/* nothing changed: the held event applies as before */
	cm_snapshot *s = NULL;
	ck_assert_int_eq(cm_monitor_snapshot(d, m, &s, &err), CM_OK);
	ck_assert_int_eq(cm_snapshot_state(s, 0), CM_STATE_FULFILLED);
	cm_free(d);
}
END_TEST

/* One output string (JSON, text, DOT, canonical text) or one agreement
 * file read whole holds at most CM__BUF_MAX bytes: past it CM_ELIMIT, not
 * "out of memory". Tested on the buffer itself: the length check comes
 * before any allocation or copy, so nothing this large is allocated. */
START_TEST(output_size)
{
	struct cm__buf b;
	cm__buf_init(&b, tctx);
	cm__buf_puts(&b, "{");
	ck_assert(!b.failed);
	static const char byte = 'x';
	cm__buf_add(&b, &byte, CM__BUF_MAX); /* 1 + MAX > MAX: refused */
	ck_assert(b.failed && b.too_big);
	cm__buf_puts(&b, "}"); /* a failed buffer stays failed */
	char *out = NULL;
	int brc = cm__buf_finish(&b, tctx, &out);
	ck_assert_int_eq(brc, -2);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(cm__buf_error(&err, brc), CM_ELIMIT);
	ck_assert_int_eq(err.code, CM_ELIMIT);
	ck_assert_ptr_nonnull(strstr(err.message, "256 MiB"));
	ck_assert_int_eq(cm__buf_error(&err, -1), CM_ENOMEM);
}
END_TEST

Suite *limits_suite(void);
Suite *limits_suite(void)
{
	Suite *s = suite_create("limits");
	TCase *tc = tcase(s, "nesting");
	tcase_add_test(tc, condition_nesting_parsed);
	tcase_add_test(tc, condition_nesting_built);
	tc = tcase(s, "numbers");
	tcase_add_test(tc, count_bound);
	tcase_add_test(tc, durations);
	tcase_add_test(tc, dates);
	tc = tcase(s, "sizes");
	tcase_add_test(tc, text_size);
	tcase_add_test(tc, lines_and_columns);
	tcase_add_test(tc, long_identifier_and_string);
	tcase_add_test(tc, output_size);
	tc = tcase(s, "counts");
	tcase_add_test(tc, many_items);
	tcase_add_test(tc, default_creditors);
	tcase_add_test(tc, feed_sources);
	tcase_add_test(tc, held_events);
	tcase_set_timeout(tc, 300);
	return s;
}

int main(void)
{
	return run_suite(limits_suite());
}
