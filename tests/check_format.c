/*
 * The canonical writer (lib/format.c): layout, spelling of values, round
 * trips (format, parse back, same model; format again, same text),
 * comment placement, agreements built in code, errors.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <dirent.h>
#include <stdio.h>

#include "testutil.h"

#include "model/equal.h"
#include "model/model.h"

/* ---- helpers ------------------------------------------------------------ */

/* A document from @p text, resolved or not; fails the test on error. */
static cm_document *load(const char *text, bool resolve)
{
	cm_document *d = NULL;
	cm_error err;
	memset(&err, 0, sizeof(err));
	int rc = cm_document_new(tctx, &d, &err);
	if (rc == CM_OK)
		rc = cm_document_add_text(d, text, strlen(text), "test.cmt",
					  &err);
	if (rc == CM_OK && resolve)
		rc = cm_document_resolve(d, &err);
	ck_assert_msg(rc == CM_OK, "parse failed: %s:%d:%d: %s\n%s", err.file,
		      err.line, err.column, err.message, text);
	return d;
}

static char *to_text(const cm_document *d)
{
	char *out = NULL;
	cm_error err;
	memset(&err, 0, sizeof(err));
	int rc = cm_document_to_text(tctx, d, &out, &err);
	ck_assert_msg(rc == CM_OK, "to_text failed: %d %s", rc, err.message);
	ck_assert_ptr_nonnull(out);
	return out;
}

/*
 * Format @p text, parse the result, compare the models (positions aside);
 * format again and compare the texts. Returns the canonical text, owned by
 * tctx.
 */
static char *round_trip(const char *text, bool resolve)
{
	cm_document *d1 = load(text, resolve);
	char *t1 = to_text(d1);
	cm_document *d2 = load(t1, resolve);
	char why[512] = "";
	ck_assert_msg(cm__document_equal(d1, d2, why, sizeof(why)),
		      "model changed by formatting: %s\n--- input:\n%s\n"
		      "--- output:\n%s", why, text, t1);
	char *t2 = to_text(d2);
	ck_assert_msg(strcmp(t1, t2) == 0,
		      "not idempotent\n--- first:\n%s\n--- second:\n%s", t1, t2);
	talloc_free(t2);
	talloc_free(d2);
	talloc_free(d1);
	return t1;
}

/* Round trip both ways (resolved and not) and check both give @p want. */
static void expect_fmt(const char *text, const char *want)
{
	char *a = round_trip(text, false);
	ck_assert_msg(strcmp(a, want) == 0, "--- got:\n%s--- want:\n%s", a,
		      want);
	char *b = round_trip(text, true);
	ck_assert_msg(strcmp(b, want) == 0, "resolved --- got:\n%s--- want:\n%s",
		      b, want);
	talloc_free(a);
	talloc_free(b);
}

/* ---- layout ----------------------------------------------------------- */

START_TEST(layout_order)
{
	/* Items come out in the canonical order, whatever order they were
	 * written in; free-form tokens become one item per line. */
	expect_fmt(
		"agreement a \"Title\" { commitment c1 { P may act() note \"n\"\n"
		"  claimed written from 2025-01-02 until 2025-02-01 reciprocal c2\n"
		"  witnessed by M signed by P on 2025-01-03 unless false\n"
		"  while true if true to Q }\n"
		"require written for obligations  registered on 2025-01-05\n"
		"ratified by P, Q signed by P,Q on 2025-01-04 use vclt\n"
		"party P \"P\" state mediator M \"M\" party Q \"Q\"\n"
		"date 2025-01-01 commitment c2 { Q must not x() } }\n",
		"agreement a \"Title\" {\n"
		"  date 2025-01-01\n"
		"  party P \"P\" state\n"
		"  mediator M \"M\"\n"
		"  party Q \"Q\"\n"
		"  signed by P, Q on 2025-01-04\n"
		"  ratified by P, Q\n"
		"  registered on 2025-01-05\n"
		"\n"
		"  require written for obligations\n"
		"  use vclt\n"
		"\n"
		"  commitment c1 {\n"
		"    P may act()\n"
		"    to Q\n"
		"    if true\n"
		"    while true\n"
		"    unless false\n"
		"    reciprocal c2\n"
		"    from 2025-01-02\n"
		"    until 2025-02-01\n"
		"    written\n"
		"    signed by P on 2025-01-03\n"
		"    witnessed by M\n"
		"    claimed\n"
		"    note \"n\"\n"
		"  }\n"
		"\n"
		"  commitment c2 {\n"
		"    Q must not x()\n"
		"  }\n"
		"}\n");
}
END_TEST

START_TEST(layout_top_level)
{
	/* Agreements, policies and events blocks in source order, a blank
	 * line between them; an empty agreement and an empty block. */
	expect_fmt(
		"events { 2025-01-02 a(x: 1) }\n"
		"policy p \"P\" { require signed by debtor require dated\n"
		"  require parties state, organization }\n"
		"agreement e { }\n"
		"policy q { }\n"
		"events { }\n",
		"events {\n"
		"  2025-01-02 a(x: 1)\n"
		"}\n"
		"\n"
		"policy p \"P\" {\n"
		"  require signed by debtor\n"
		"  require dated\n"
		"  require parties state, organization\n"
		"}\n"
		"\n"
		"agreement e {\n"
		"}\n"
		"\n"
		"policy q {\n"
		"}\n"
		"\n"
		"events {\n"
		"}\n");
}
END_TEST

START_TEST(layout_empty)
{
	cm_document *d = load("", true);
	char *t = to_text(d);
	ck_assert_str_eq(t, "");
	talloc_free(t);
	talloc_free(d);
	d = load("# only a comment\n\n   # and another", false);
	t = to_text(d);
	ck_assert_str_eq(t, "# only a comment\n\n# and another\n");
	talloc_free(t);
	talloc_free(d);
}
END_TEST

START_TEST(layout_rules)
{
	/* Every rule and every selector. */
	expect_fmt(
		"agreement a { party P \"P\" party Q \"Q\" mediator M \"M\"\n"
		"commitment c { P must x() }\n"
		"require written require signed by debtor\n"
		"require signed by creditor for all require witnessed by any mediator\n"
		"require ratified by all parties for prohibitions\n"
		"require signed by P, Q for permissions require registered\n"
		"require dated for P require verifiable for c\n"
		"require parties state, authority, organization, armed-group, person\n"
		"require witnessed by M }",
		"agreement a {\n"
		"  party P \"P\"\n"
		"  party Q \"Q\"\n"
		"  mediator M \"M\"\n"
		"\n"
		"  require written\n"
		"  require signed by debtor\n"
		"  require signed by creditor for all\n"
		"  require witnessed by any mediator\n"
		"  require ratified by all parties for prohibitions\n"
		"  require signed by P, Q for permissions\n"
		"  require registered\n"
		"  require dated for P\n"
		"  require verifiable for c\n"
		"  require parties state, authority, organization, armed-group, "
		"person\n"
		"  require witnessed by M\n"
		"\n"
		"  commitment c {\n"
		"    P must x()\n"
		"  }\n"
		"}\n");
}
END_TEST

START_TEST(layout_roles_and_modalities)
{
	expect_fmt(
		"agreement a { party P \"P\" person guarantor G \"G\" organization\n"
		"witness W \"W\" authority actor X \"X\" armed-group party Q \"Q\"\n"
		"commitment m { P must a() } commitment n { P must not a() }\n"
		"commitment v { P must prevent a() } commitment y { P may a() }\n"
		"commitment t { P must \"free text\" } }",
		"agreement a {\n"
		"  party P \"P\" person\n"
		"  guarantor G \"G\" organization\n"
		"  witness W \"W\" authority\n"
		"  actor X \"X\" armed-group\n"
		"  party Q \"Q\"\n"
		"\n"
		"  commitment m {\n"
		"    P must a()\n"
		"  }\n"
		"\n"
		"  commitment n {\n"
		"    P must not a()\n"
		"  }\n"
		"\n"
		"  commitment v {\n"
		"    P must prevent a()\n"
		"  }\n"
		"\n"
		"  commitment y {\n"
		"    P may a()\n"
		"  }\n"
		"\n"
		"  commitment t {\n"
		"    P must \"free text\"\n"
		"  }\n"
		"}\n");
}
END_TEST

START_TEST(layout_standing)
{
	expect_fmt(
		"agreement a { party P \"P\" party Q \"Q\"\n"
		"commitment x { P must a() proposed by P, Q }\n"
		"commitment y { P must a() rejected by Q } }",
		"agreement a {\n"
		"  party P \"P\"\n"
		"  party Q \"Q\"\n"
		"\n"
		"  commitment x {\n"
		"    P must a()\n"
		"    proposed by P, Q\n"
		"  }\n"
		"\n"
		"  commitment y {\n"
		"    P must a()\n"
		"    rejected by Q\n"
		"  }\n"
		"}\n");
}
END_TEST

START_TEST(layout_items_that_add_up)
{
	/* Several `to`, `reciprocal`, `witnessed by` items become one line;
	 * several `if` stay several (each is one condition of the
	 * conjunction); signatures on the same date share a line. */
	expect_fmt(
		"agreement a { party P \"P\" party Q \"Q\" party R \"R\"\n"
		"signed by P on 2025-01-01 signed by Q on 2025-01-01\n"
		"signed by R\n"
		"commitment c { P must a() to Q to R reciprocal d reciprocal e\n"
		"  witnessed by Q witnessed by R if x() if y()\n"
		"  note \"one\" note \"two\" }\n"
		"commitment d { Q must a() } commitment e { R must a() } }",
		"agreement a {\n"
		"  party P \"P\"\n"
		"  party Q \"Q\"\n"
		"  party R \"R\"\n"
		"  signed by P, Q on 2025-01-01\n"
		"  signed by R\n"
		"\n"
		"  commitment c {\n"
		"    P must a()\n"
		"    to Q, R\n"
		"    if x()\n"
		"    if y()\n"
		"    reciprocal d, e\n"
		"    witnessed by Q, R\n"
		"    note \"one\"\n"
		"    note \"two\"\n"
		"  }\n"
		"\n"
		"  commitment d {\n"
		"    Q must a()\n"
		"  }\n"
		"\n"
		"  commitment e {\n"
		"    R must a()\n"
		"  }\n"
		"}\n");
}
END_TEST

/* ---- values --------------------------------------------------------------- */

START_TEST(values_dates)
{
	/* `by` and `until` hold the inclusive last minute: a bare date and
	 * THH:MM 23:59 are the same model and print as the bare date; any
	 * other minute keeps its time. Start-of-day items likewise at 00:00. */
	expect_fmt(
		"agreement a { date 2025-01-01T00:00 party P \"P\"\n"
		"signed by P on 2025-01-02T10:30\n"
		"commitment c { P must a() by 2025-03-10T23:59\n"
		"  from 2025-01-05T00:00 until 2025-12-31 }\n"
		"commitment d { P must a() by 2025-03-10\n"
		"  from 2025-01-05T06:15 until 2025-12-31T00:00 }\n"
		"commitment e { P must a() by 2025-03-10T00:00 }\n"
		"events { 2025-01-01 a(when: 2025-01-01) 2025-01-01T12:00 a() } }",
		"agreement a {\n"
		"  date 2025-01-01\n"
		"  party P \"P\"\n"
		"  signed by P on 2025-01-02T10:30\n"
		"\n"
		"  commitment c {\n"
		"    P must a() by 2025-03-10\n"
		"    from 2025-01-05\n"
		"    until 2025-12-31\n"
		"  }\n"
		"\n"
		"  commitment d {\n"
		"    P must a() by 2025-03-10\n"
		"    from 2025-01-05T06:15\n"
		"    until 2025-12-31T00:00\n"
		"  }\n"
		"\n"
		"  commitment e {\n"
		"    P must a() by 2025-03-10T00:00\n"
		"  }\n"
		"\n"
		"  events {\n"
		"    2025-01-01 a(when: 2025-01-01)\n"
		"    2025-01-01T12:00 a()\n"
		"  }\n"
		"}\n");
}
END_TEST

START_TEST(values_durations)
{
	/* Days when divisible by 24 hours, else hours. */
	expect_fmt(
		"agreement a { date 2025-01-01 party P \"P\"\n"
		"commitment c { P must a() within 48h\n"
		"  unless b() within 36h unless b() within 0h\n"
		"  unless count(b()) >= 2 within 7d } }",
		"agreement a {\n"
		"  date 2025-01-01\n"
		"  party P \"P\"\n"
		"\n"
		"  commitment c {\n"
		"    P must a() within 2d\n"
		"    unless b() within 36h\n"
		"    unless b() within 0d\n"
		"    unless count(b()) >= 2 within 7d\n"
		"  }\n"
		"}\n");
}
END_TEST

START_TEST(values_spelling)
{
	/* Values keep the kind of token they were written as; strings are
	 * quoted with only `"` and `\` escaped; UTF-8 passes through. */
	expect_fmt(
		"agreement a \"T\\\\\\\"x\\\"\" { }",
		"agreement a \"T\\\\\\\"x\\\"\" {\n}\n");
}
END_TEST

START_TEST(values_attrs)
{
	const char *in =
		"events { 2025-01-01 a(id: x-1, s: \"x-1\", n: -3.50, m: \"3\",\n"
		"  d: 2025-02-03, t: 2025-02-03T04:05, q: \"say \\\"hi\\\" \\\\ bye\",\n"
		"  u: \"Türkiye — ☮\", e: \"\", kw: not) \"a \\\"note\\\"\" }";
	const char *want =
		"events {\n"
		"  2025-01-01 a(id: x-1, s: \"x-1\", n: -3.50, m: \"3\", "
		"d: 2025-02-03, t: 2025-02-03T04:05, "
		"q: \"say \\\"hi\\\" \\\\ bye\", u: \"Türkiye — ☮\", e: \"\", "
		"kw: not) \"a \\\"note\\\"\"\n"
		"}\n";
	expect_fmt(in, want);
	/* The model keeps the unescaped text and how it was written. */
	cm_document *d = load(in, false);
	const cm_event *e = cm_document_event(d, 0);
	ck_assert_uint_eq(e->act.nattrs, 10);
	ck_assert_str_eq(e->act.attrs[6].value, "say \"hi\" \\ bye");
	ck_assert_int_eq(e->act.attrs[1].vkind, CM__V_STRING);
	ck_assert_int_eq(e->act.attrs[0].vkind, CM__V_ID);
	ck_assert_int_eq(e->act.attrs[2].vkind, CM__V_NUMBER);
	ck_assert_int_eq(e->act.attrs[4].vkind, CM__V_DATE);
	talloc_free(d);
}
END_TEST

/* ---- conditions -------------------------------------------------------- */

static void expect_cond(const char *cond, const char *want)
{
	char in[1024], out[1024];
	snprintf(in, sizeof(in),
		 "agreement a { party P \"P\" commitment o { P must z() }\n"
		 "commitment c { P must a() if %s } }", cond);
	snprintf(out, sizeof(out),
		 "agreement a {\n  party P \"P\"\n\n  commitment o {\n"
		 "    P must z()\n  }\n\n  commitment c {\n    P must a()\n"
		 "    if %s\n  }\n}\n", want);
	expect_fmt(in, out);
}

START_TEST(conditions_parentheses)
{
	expect_cond("a() or b() and c()", "a() or b() and c()");
	expect_cond("(a() or b()) and c()", "(a() or b()) and c()");
	expect_cond("((a()))", "a()");
	expect_cond("(a() and b()) or (c() and d())", "a() and b() or c() and d()");
	expect_cond("not (a() or b())", "not (a() or b())");
	expect_cond("not (a() and b())", "not (a() and b())");
	expect_cond("not (not a())", "not not a()");
	expect_cond("(not a()) and (b())", "not a() and b()");
	expect_cond("a() and (b() or c() or d()) and e()",
		    "a() and (b() or c() or d()) and e()");
	expect_cond("not a() within 30d or true", "not a() within 30d or true");
	expect_cond("(a() within 24h) and false", "a() within 1d and false");
}
END_TEST

START_TEST(conditions_atoms)
{
	expect_cond("pending(o) or active(o) or suspended(o)",
		    "pending(o) or active(o) or suspended(o)");
	expect_cond("fulfilled(o) and not violated(o) and not expired(o)",
		    "fulfilled(o) and not violated(o) and not expired(o)");
	expect_cond("written(o) and signed(o)", "written(o) and signed(o)");
	expect_cond("violated(by: X)", "violated(by: X)");
	expect_cond("count (a(x: 1)) > 3", "count(a(x: 1)) > 3");
	expect_cond("count(a()) < 3 and count(a()) <= 3 or count(a()) == 0 or "
		    "count(a()) != 1 within 2d",
		    "count(a()) < 3 and count(a()) <= 3 or count(a()) == 0 or "
		    "count(a()) != 1 within 2d");
	expect_cond("count(a()) >= 2147483647", "count(a()) >= 2147483647");
}
END_TEST

/* ---- events ------------------------------------------------------------ */

START_TEST(events_provenance)
{
	/* reported, denied, verified in that order, each list merged. */
	expect_fmt(
		"agreement a { party P \"P\" party Q \"Q\" mediator M \"M\"\n"
		"events { 2025-01-01 a(by: P) verified by M reported by P\n"
		"  denied by Q reported by M\n"
		"  2025-01-02 b() \"note\" } }\n",
		"agreement a {\n"
		"  party P \"P\"\n"
		"  party Q \"Q\"\n"
		"  mediator M \"M\"\n"
		"\n"
		"  events {\n"
		"    2025-01-01 a(by: P) reported by P, M denied by Q verified by M\n"
		"    2025-01-02 b() \"note\"\n"
		"  }\n"
		"}\n");
}
END_TEST

START_TEST(events_blocks_kept)
{
	/* Each events block stays a block (times may go back between
	 * blocks, never within one); they move to the end of the agreement. */
	expect_fmt(
		"agreement a { events { 2025-02-01 a() } party P \"P\"\n"
		"events { 2025-01-01 b() 2025-01-01 c() } }",
		"agreement a {\n"
		"  party P \"P\"\n"
		"\n"
		"  events {\n"
		"    2025-02-01 a()\n"
		"  }\n"
		"\n"
		"  events {\n"
		"    2025-01-01 b()\n"
		"    2025-01-01 c()\n"
		"  }\n"
		"}\n");
}
END_TEST

/* ---- comments ------------------------------------------------------------ */

START_TEST(comments_own_line_and_trailing)
{
	expect_fmt(
		"# file header\n"
		"\n"
		"# before a\n"
		"agreement a { # on the header\n"
		"  # before the party\n"
		"  party P \"P\"   # trails the party   \n"
		"  # end of a\n"
		"} # after a's brace\n"
		"# before p\n"
		"policy p { require dated # trails the rule\n"
		"}\n"
		"# end of file\n",
		"# file header\n"
		"\n"
		"# before a\n"
		"agreement a {  # on the header\n"
		"  # before the party\n"
		"  party P \"P\"  # trails the party\n"
		"  # end of a\n"
		"}  # after a's brace\n"
		"\n"
		"# before p\n"
		"policy p {\n"
		"  require dated  # trails the rule\n"
		"}\n"
		"\n"
		"# end of file\n");
}
END_TEST

START_TEST(comments_follow_reordered_items)
{
	/* A comment travels with its item when the item moves. */
	expect_fmt(
		"agreement a {\n"
		"  commitment c {\n"
		"    P must a() # the clause\n"
		"    # about the form\n"
		"    verbal # said, not written\n"
		"    # about the creditor\n"
		"    to Q # only Q\n"
		"    # end of c\n"
		"  }\n"
		"  # about the date\n"
		"  date 2025-01-01 # the date\n"
		"  party P \"P\"\n"
		"  party Q \"Q\"\n"
		"}\n",
		"agreement a {\n"
		"  # about the date\n"
		"  date 2025-01-01  # the date\n"
		"  party P \"P\"\n"
		"  party Q \"Q\"\n"
		"\n"
		"  commitment c {\n"
		"    P must a()  # the clause\n"
		"    # about the creditor\n"
		"    to Q  # only Q\n"
		"    # about the form\n"
		"    verbal  # said, not written\n"
		"    # end of c\n"
		"  }\n"
		"}\n");
}
END_TEST

START_TEST(comments_merged_items)
{
	/* Two trailing comments on items that merge into one line: the
	 * first stays on the line, the other goes on its own line before it. */
	expect_fmt(
		"agreement a { party P \"P\" party Q \"Q\"\n"
		"  commitment c {\n"
		"    P must a()\n"
		"    to P # first\n"
		"    to Q # second\n"
		"  }\n"
		"}\n",
		"agreement a {\n"
		"  party P \"P\"\n"
		"  party Q \"Q\"\n"
		"\n"
		"  commitment c {\n"
		"    P must a()\n"
		"    # second\n"
		"    to P, Q  # first\n"
		"  }\n"
		"}\n");
}
END_TEST

START_TEST(comments_between_agreements_and_in_events)
{
	expect_fmt(
		"agreement a { }\n"
		"# between\n"
		"agreement b { } # after b\n"
		"events {\n"
		"  # before the first event\n"
		"  2025-01-01 a() # trails the event\n"
		"  2025-01-02 b(x: 1,  # inside the event\n"
		"     y: 2)\n"
		"  # end of events\n"
		"}\n"
		"agreement c { party P \"P\" events { # header\n"
		"  2025-01-01 a() # in c's events\n"
		"  # end of c's events\n"
		"} }\n",
		"agreement a {\n"
		"}\n"
		"\n"
		"# between\n"
		"agreement b {\n"
		"}  # after b\n"
		"\n"
		"events {\n"
		"  # before the first event\n"
		"  2025-01-01 a()  # trails the event\n"
		"  2025-01-02 b(x: 1, y: 2)  # inside the event\n"
		"  # end of events\n"
		"}\n"
		"\n"
		"agreement c {\n"
		"  party P \"P\"\n"
		"\n"
		"  events {  # header\n"
		"    2025-01-01 a()  # in c's events\n"
		"    # end of c's events\n"
		"  }\n"
		"}\n");
}
END_TEST

START_TEST(comments_multiline_items)
{
	/* A comment inside an item spread over several lines trails it. */
	expect_fmt(
		"agreement a { party P \"P\"\n"
		"  commitment c {\n"
		"    P must a() # one\n"
		"    if x() and # two\n"
		"       y()     # three\n"
		"  }\n"
		"}\n",
		"agreement a {\n"
		"  party P \"P\"\n"
		"\n"
		"  commitment c {\n"
		"    P must a()  # one\n"
		"    # three\n"
		"    if x() and y()  # two\n"
		"  }\n"
		"}\n");
}
END_TEST

START_TEST(comments_all_kept_in_examples_style)
{
	/* The motivating case of SPEC §7, comments and all. */
	const char *in =
		"# Security talks, round 3, as reported by one side after the collapse.\n"
		"agreement istanbul_round3 \"Security understanding, Istanbul round\" {\n"
		"  date 2025-11-07\n"
		"  party    PK  \"Pakistan\"                      state\n"
		"  party    AF  \"Afghan Taliban administration\" authority\n"
		"  mediator TR  \"Türkiye\"                       state\n"
		"  mediator QA  \"Qatar\"                         state\n"
		"  actor    TTP \"Tehreek-e-Taliban Pakistan\"    armed-group\n"
		"\n"
		"  use written-only                  # \"no place for verbal guarantees\"\n"
		"\n"
		"  commitment no_safe_haven {\n"
		"    AF must prevent attack(from: AF, on: PK)\n"
		"    verbal                          # agreed verbally, refused in writing\n"
		"    witnessed by TR, QA\n"
		"  }\n"
		"  commitment ceasefire {\n"
		"    PK must not strike(on: AF)\n"
		"    unless attack(from: AF, on: PK) within 30d\n"
		"    reciprocal no_safe_haven\n"
		"    verbal\n"
		"  }\n"
		"  commitment defensive_action {\n"
		"    PK may strike(in: AF, against: TTP)\n"
		"    if violated(no_safe_haven)\n"
		"    claimed                         # asserted by PK; AF never accepted it\n"
		"    verbal\n"
		"  }\n"
		"}\n";
	expect_fmt(in,
		"# Security talks, round 3, as reported by one side after the collapse.\n"
		"agreement istanbul_round3 \"Security understanding, Istanbul round\" {\n"
		"  date 2025-11-07\n"
		"  party PK \"Pakistan\" state\n"
		"  party AF \"Afghan Taliban administration\" authority\n"
		"  mediator TR \"Türkiye\" state\n"
		"  mediator QA \"Qatar\" state\n"
		"  actor TTP \"Tehreek-e-Taliban Pakistan\" armed-group\n"
		"\n"
		"  use written-only  # \"no place for verbal guarantees\"\n"
		"\n"
		"  commitment no_safe_haven {\n"
		"    AF must prevent attack(from: AF, on: PK)\n"
		"    verbal  # agreed verbally, refused in writing\n"
		"    witnessed by TR, QA\n"
		"  }\n"
		"\n"
		"  commitment ceasefire {\n"
		"    PK must not strike(on: AF)\n"
		"    unless attack(from: AF, on: PK) within 30d\n"
		"    reciprocal no_safe_haven\n"
		"    verbal\n"
		"  }\n"
		"\n"
		"  commitment defensive_action {\n"
		"    PK may strike(in: AF, against: TTP)\n"
		"    if violated(no_safe_haven)\n"
		"    verbal\n"
		"    claimed  # asserted by PK; AF never accepted it\n"
		"  }\n"
		"}\n");
}
END_TEST

/*
 * Every comment of @p text is in the output; the round trip checks that
 * the formatted text has exactly the same comments (as a multiset).
 */
static void all_comments_kept(const char *text)
{
	cm_document *d = load(text, false);
	char *t = to_text(d);
	for (uint32_t i = 0; i < d->ncomments; i++) {
		const char *c = d->comments[i].text;
		size_t len = strlen(c);
		while (len && (c[len - 1] == ' ' || c[len - 1] == '\t'))
			len--;
		char *needle = talloc_asprintf(tctx, "%.*s\n", (int)len, c);
		ck_assert_msg(strstr(t, needle) != NULL, "comment '%s' lost:\n%s",
			      c, t);
		talloc_free(needle);
	}
	talloc_free(t);
	talloc_free(d);
	talloc_free(round_trip(text, false));
}

START_TEST(comments_never_lost)
{
	/* Comments in odd places: between the tokens of one item, before
	 * a block's `{`, between a commitment's id and its brace. */
	all_comments_kept(
		"agreement # c1\n"
		" a # c2\n"
		" \"t\" # c3\n"
		"{ party # c4\n"
		"P # c5\n"
		"\"P\" # c6\n"
		"commitment # c7\n"
		"c # c8\n"
		"{ # c9\n"
		"P # c10\n"
		"must # c11\n"
		"not # c12\n"
		"a( # c13\n"
		"x: # c14\n"
		"1) # c15\n"
		"note # c16\n"
		"\"n\" # c17\n"
		"} # c18\n"
		"events # c19\n"
		"{ # c20\n"
		"2025-01-01 # c21\n"
		"a() # c22\n"
		"} # c23\n"
		"} # c24\n"
		"policy # c25\n"
		"p { # c26\n"
		"} # c27\n");
}
END_TEST

START_TEST(comments_several_files)
{
	/* Each file's items and comments stay together, files in order. */
	cm_document *d = NULL;
	cm_error err;
	const char *a = "# a's header\npolicy p { require dated }\n# end of a\n";
	const char *b = "agreement x { use p # uses a's policy\n}\n";
	const char *c = "# only a comment\n";
	ck_assert_int_eq(cm_document_new(tctx, &d, &err), CM_OK);
	ck_assert_int_eq(cm_document_add_text(d, a, strlen(a), "a.cmt", &err),
			 CM_OK);
	ck_assert_int_eq(cm_document_add_text(d, b, strlen(b), "b.cmt", &err),
			 CM_OK);
	ck_assert_int_eq(cm_document_add_text(d, c, strlen(c), "c.cmt", &err),
			 CM_OK);
	ck_assert_int_eq(cm_document_resolve(d, &err), CM_OK);
	char *t = to_text(d);
	ck_assert_str_eq(t,
		"# a's header\n"
		"policy p {\n"
		"  require dated\n"
		"}\n"
		"\n"
		"# end of a\n"
		"\n"
		"agreement x {\n"
		"  use p  # uses a's policy\n"
		"}\n"
		"\n"
		"# only a comment\n");
	talloc_free(t);
	talloc_free(d);
}
END_TEST

/* ---- use ----------------------------------------------------------------- */

START_TEST(use_resolved_and_not)
{
	/* After resolution the requirements a `use` brought in are written
	 * back as that `use`; two uses of the same policy stay two. A policy
	 * with no requirements is kept when formatting an unresolved
	 * document (the CLI's case). */
	const char *in =
		"policy empty { }\n"
		"policy two { require written require dated }\n"
		"agreement a { party P \"P\" use two require verifiable\n"
		"  use two\n"
		"  use vclt use empty }\n";
	char *t = round_trip(in, false);
	ck_assert_str_eq(t,
		"policy empty {\n"
		"}\n"
		"\n"
		"policy two {\n"
		"  require written\n"
		"  require dated\n"
		"}\n"
		"\n"
		"agreement a {\n"
		"  party P \"P\"\n"
		"\n"
		"  use two\n"
		"  require verifiable\n"
		"  use two\n"
		"  use vclt\n"
		"  use empty\n"
		"}\n");
	talloc_free(t);
	cm_document *d = load(in, true);
	ck_assert_uint_eq(d->agreements[0]->rules.n, 2 + 1 + 2 + 3);
	t = to_text(d);
	ck_assert_ptr_nonnull(strstr(t,
		"  use two\n"
		"  require verifiable\n"
		"  use two\n"
		"  use vclt\n"
		"}\n"));
	talloc_free(t);
	talloc_free(d);
}
END_TEST

START_TEST(use_twice_on_one_line)
{
	/* Found by fuzz-pipeline: two `use` of one policy on one line came
	 * back, once resolved, as a single `use` (half the requirements). */
	const char *in =
		"agreement a { party P \"P\" use written-only use written-only }\n";
	cm_document *d = load(in, true);
	ck_assert_uint_eq(d->agreements[0]->rules.n, 4);
	char *t = round_trip(in, true);
	ck_assert_str_eq(t,
		"agreement a {\n"
		"  party P \"P\"\n"
		"\n"
		"  use written-only\n"
		"  use written-only\n"
		"}\n");
	talloc_free(t);
	talloc_free(d);
}
END_TEST

START_TEST(use_twice_in_code)
{
	/* cm_agreement_use_policy() twice with one policy: two `use`. */
	cm_error err;
	cm_agreement *a;
	cm_policy *p;
	ck_assert_int_eq(cm_agreement_new(tctx, "a", NULL, &a, &err), CM_OK);
	ck_assert_int_eq(cm_policy_builtin(tctx, "vclt", &p, &err), CM_OK);
	ck_assert_int_eq(cm_agreement_use_policy(a, p, &err), CM_OK);
	ck_assert_int_eq(cm_agreement_use_policy(a, p, &err), CM_OK);
	char *t = NULL;
	ck_assert_int_eq(cm_agreement_to_text(tctx, a, &t, &err), CM_OK);
	ck_assert_str_eq(t,
		"agreement a {\n"
		"  use vclt\n"
		"  use vclt\n"
		"}\n");
	talloc_free(t);
	talloc_free(a);
	talloc_free(p);
}
END_TEST

/* ---- agreements built in code ------------------------------------------- */

static cm_agreement *build(void)
{
	cm_error err;
	cm_agreement *a;
	cm_commitment *c, *d;
	cm_time t0, t1;
	ck_assert_int_eq(cm_time_parse("2025-01-01", 0, &t0), CM_OK);
	ck_assert_int_eq(cm_time_parse("2025-03-10", 1, &t1), CM_OK);
	ck_assert_int_eq(cm_agreement_new(tctx, "built", "Built \"in\" code",
					  &a, &err), CM_OK);
	ck_assert_int_eq(cm_agreement_set_date(a, t0, &err), CM_OK);
	ck_assert_int_eq(cm_agreement_add_party(a, "PK", "Pakistan",
						CM_ROLE_PARTY, CM_KIND_STATE,
						&err), CM_OK);
	ck_assert_int_eq(cm_agreement_add_party(a, "AF", "Afghanistan",
						CM_ROLE_PARTY, CM_KIND_NONE,
						&err), CM_OK);
	ck_assert_int_eq(cm_agreement_add_party(a, "QA", "Qatar",
						CM_ROLE_MEDIATOR,
						CM_KIND_STATE, &err), CM_OK);
	ck_assert_int_eq(cm_agreement_add_signature(a, "PK", t0, &err), CM_OK);
	ck_assert_int_eq(cm_agreement_add_requirement(a, "signed by debtor",
						      "obligations", &err),
			 CM_OK);
	ck_assert_int_eq(cm_agreement_add_commitment(a, "c", "AF", CM_MUST_NOT,
						     &c, &err), CM_OK);
	ck_assert_int_eq(cm_commitment_set_action(c, "attack(on: PK)", &err),
			 CM_OK);
	ck_assert_int_eq(cm_commitment_set_form(c, CM_FORM_VERBAL, &err),
			 CM_OK);
	ck_assert_int_eq(cm_commitment_add_witness(c, "QA", &err), CM_OK);
	ck_assert_int_eq(cm_agreement_add_commitment(a, "d", "PK", CM_MUST,
						     &d, &err), CM_OK);
	ck_assert_int_eq(cm_commitment_set_text(d, "release \"all\"", &err),
			 CM_OK);
	ck_assert_int_eq(cm_commitment_set_deadline(d, t1, &err), CM_OK);
	cm_condition *x, *y, *n, *both;
	ck_assert_int_eq(cm_condition_new_state(d, CM_STATE_ACTIVE, "c", &x,
						&err), CM_OK);
	ck_assert_int_eq(cm_condition_new_action(d, "attack(on: PK)", 2880,
						 &y, &err), CM_OK);
	ck_assert_int_eq(cm_condition_new_not(d, y, &n, &err), CM_OK);
	ck_assert_int_eq(cm_condition_new_binary(d, CM_CT_AND, x, n, &both,
						 &err), CM_OK);
	ck_assert_int_eq(cm_commitment_add_condition_node(d, CM_COND_WHILE,
							  both, &err), CM_OK);
	ck_assert_int_eq(cm_commitment_add_condition(d, CM_COND_IF,
						     "true or false", &err),
			 CM_OK);
	ck_assert_int_eq(cm_commitment_add_reciprocal(d, "c", &err), CM_OK);
	ck_assert_int_eq(cm_commitment_set_standing(d, CM_STANDING_PROPOSED,
						    "PK", &err), CM_OK);
	ck_assert_int_eq(cm_commitment_add_note(d, "ü", &err), CM_OK);
	return a;
}

START_TEST(code_built_round_trip)
{
	cm_agreement *a = build();
	char *t = NULL;
	cm_error err;
	ck_assert_int_eq(cm_agreement_to_text(tctx, a, &t, &err), CM_OK);
	ck_assert_str_eq(t,
		"agreement built \"Built \\\"in\\\" code\" {\n"
		"  date 2025-01-01\n"
		"  party PK \"Pakistan\" state\n"
		"  party AF \"Afghanistan\"\n"
		"  mediator QA \"Qatar\" state\n"
		"  signed by PK on 2025-01-01\n"
		"\n"
		"  require signed by debtor for obligations\n"
		"\n"
		"  commitment c {\n"
		"    AF must not attack(on: PK)\n"
		"    verbal\n"
		"    witnessed by QA\n"
		"  }\n"
		"\n"
		"  commitment d {\n"
		"    PK must \"release \\\"all\\\"\" by 2025-03-10\n"
		"    if true or false\n"
		"    while active(c) and not attack(on: PK) within 2d\n"
		"    reciprocal c\n"
		"    proposed by PK\n"
		"    note \"ü\"\n"
		"  }\n"
		"}\n");
	ck_assert_int_eq(cm_agreement_validate(a, &err), CM_OK);
	cm_document *d = load(t, true);
	ck_assert_uint_eq(d->nagreements, 1);
	char why[512] = "";
	ck_assert_msg(cm__agreement_equal(a, d->agreements[0], why,
					  sizeof(why)), "%s", why);
	/* The parsed agreement writes back the same text. */
	char *t2 = NULL;
	ck_assert_int_eq(cm_agreement_to_text(tctx, d->agreements[0], &t2,
					      &err), CM_OK);
	ck_assert_str_eq(t, t2);
	talloc_free(t2);
	talloc_free(t);
	talloc_free(d);
	talloc_free(a);
}
END_TEST

START_TEST(code_built_events_split)
{
	/* A parsed agreement's document and cm_agreement_to_text agree. */
	const char *in = "agreement a { party P \"P\" # gone\n"
			 "events { 2025-01-02 a() } }";
	cm_document *d = load(in, true);
	char *t = NULL;
	cm_error err;
	ck_assert_int_eq(cm_agreement_to_text(tctx, d->agreements[0], &t, &err),
			 CM_OK);
	ck_assert_str_eq(t, "agreement a {\n  party P \"P\"\n\n  events {\n"
			    "    2025-01-02 a()\n  }\n}\n");
	talloc_free(t);
	talloc_free(d);
}
END_TEST

/* ---- errors --------------------------------------------------------------- */

START_TEST(errors_arguments)
{
	char *t = (char *)"untouched";
	cm_error err;
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(cm_document_to_text(tctx, NULL, &t, &err), CM_EINVAL);
	ck_assert_str_eq(t, "untouched");
	ck_assert_int_eq(err.code, CM_EINVAL);
	ck_assert_int_eq(cm_agreement_to_text(tctx, NULL, &t, &err), CM_EINVAL);
	cm_document *d = load("agreement a { }", true);
	ck_assert_int_eq(cm_document_to_text(tctx, d, NULL, &err), CM_EINVAL);
	ck_assert_int_eq(cm_agreement_to_text(tctx, d->agreements[0], NULL,
					      &err), CM_EINVAL);
	/* err may be NULL */
	ck_assert_int_eq(cm_agreement_to_text(tctx, NULL, &t, NULL), CM_EINVAL);
	talloc_free(d);
}
END_TEST

/* An agreement with one party P and one commitment, for the error cases. */
static cm_agreement *one(cm_commitment **c)
{
	cm_agreement *a;
	cm_error err;
	ck_assert_int_eq(cm_agreement_new(tctx, "a", NULL, &a, &err), CM_OK);
	ck_assert_int_eq(cm_agreement_add_party(a, "P", "P", CM_ROLE_PARTY,
						CM_KIND_NONE, &err), CM_OK);
	ck_assert_int_eq(cm_agreement_add_commitment(a, "c", "P", CM_MUST, c,
						     &err), CM_OK);
	return a;
}

static void expect_unwritable(cm_agreement *a, const char *needle)
{
	char *t = (char *)"untouched";
	cm_error err;
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(cm_agreement_to_text(tctx, a, &t, &err), CM_EINVAL);
	ck_assert_str_eq(t, "untouched");
	ck_assert_msg(strstr(err.message, needle) != NULL, "message '%s'",
		      err.message);
	talloc_free(a);
}

START_TEST(errors_unwritable)
{
	cm_commitment *c;
	cm_error err;
	/* no content */
	expect_unwritable(one(&c), "commitment without content 'c'");
	/* a deadline of 90 minutes */
	cm_agreement *a = one(&c);
	ck_assert_int_eq(cm_commitment_set_text(c, "x", &err), CM_OK);
	ck_assert_int_eq(cm_commitment_set_within(c, 90, &err), CM_OK);
	expect_unwritable(a, "duration '90 minutes'");
	/* a window of 30 minutes */
	a = one(&c);
	ck_assert_int_eq(cm_commitment_set_text(c, "x", &err), CM_OK);
	ck_assert_int_eq(cm_commitment_add_condition(c, CM_COND_IF,
						     "a() within 1h", &err),
			 CM_OK);
	c->ifs.v[0].cond->window = 30;
	expect_unwritable(a, "duration '30 minutes'");
	/* invalid UTF-8 */
	a = one(&c);
	ck_assert_int_eq(cm_commitment_set_text(c, "x", &err), CM_OK);
	c->text = "\xff"; /* the builder refuses it (tests/check_hostile.c) */
	expect_unwritable(a, "invalid UTF-8");
	/* a line end, were it there */
	a = one(&c);
	ck_assert_int_eq(cm_commitment_set_text(c, "x", &err), CM_OK);
	c->text = "two\nlines";
	expect_unwritable(a, "line end");
	/* a debtor that is not an identifier */
	ck_assert_int_eq(cm_agreement_new(tctx, "a", NULL, &a, &err), CM_OK);
	ck_assert_int_eq(cm_agreement_add_commitment(a, "c", "no way", CM_MUST,
						     &c, &err), CM_OK);
	ck_assert_int_eq(cm_commitment_set_text(c, "x", &err), CM_OK);
	expect_unwritable(a, "identifier 'no way'");
	/* a time out of range */
	a = one(&c);
	ck_assert_int_eq(cm_commitment_set_text(c, "x", &err), CM_OK);
	ck_assert_int_eq(cm_commitment_set_from(c, INT64_MAX / 2, &err), CM_OK);
	expect_unwritable(a, "time");
}
END_TEST

/* ---- the examples ---------------------------------------------------------- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	char *buf = talloc_array(tctx, char, 1);
	size_t len = 0;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf = talloc_realloc(tctx, buf, char, len + n + 1);
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* @p text with an own-line comment after every line (@p own) or an
 * end-of-line comment on every line that has no `#` (else). */
static char *sprinkle(const char *text, bool own)
{
	char *out = talloc_strdup(tctx, "");
	int k = 0;
	const char *line = text;
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		bool has_hash = memchr(line, '#', len) != NULL;
		out = talloc_asprintf_append(out, "%.*s", (int)len, line);
		if (own)
			out = talloc_asprintf_append(out, "\n# own %d", ++k);
		else if (!has_hash)
			out = talloc_asprintf_append(out, " # eol %d", ++k);
		out = talloc_asprintf_append(out, "\n");
		line += len + (nl ? 1 : 0);
	}
	return out;
}

START_TEST(examples_round_trip)
{
	const char *src = getenv("SRCDIR");
	ck_assert_msg(src != NULL, "SRCDIR is not set");
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/examples", src);
	DIR *dp = opendir(dir);
	ck_assert_msg(dp != NULL, "cannot open %s", dir);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(dp)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".cmt") != 0)
			continue;
		char path[8192];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		char *text = slurp(path);
		all_comments_kept(text);
		talloc_free(round_trip(text, false));
		/* comments everywhere */
		char *more = sprinkle(text, true);
		all_comments_kept(more);
		talloc_free(more);
		more = sprinkle(text, false);
		all_comments_kept(more);
		talloc_free(more);
		/* resolved too, when the file stands alone */
		cm_document *d = NULL;
		if (cm_parse(tctx, text, strlen(text), "test.cmt", &d, NULL) ==
		    CM_OK) {
			talloc_free(d);
			talloc_free(round_trip(text, true));
		}
		talloc_free(text);
		n++;
	}
	closedir(dp);
	fprintf(stderr, "formatted %d examples\n", n);
}
END_TEST

#ifdef CM_FAULT_INJECTION
/* Every allocation of the writers may fail: each failure is CM_ENOMEM
 * with *out untouched and nothing leaked. */
START_TEST(alloc_failures)
{
	cm_document *d = load(
		"# c0\npolicy p { require dated } # c1\n"
		"agreement a { party P \"P\" # c2\n"
		"  commitment c { P must a() within 2d # c3\n"
		"    if x(n: 1) and not y() # c4\n"
		"    # c5\n  note \"n\" }\n"
		"  date 2025-01-01 use p\n"
		"  events { 2025-01-01 a() reported by P }\n} # c6\n", false);
	size_t before = talloc_total_blocks(tctx);
	for (int w = 0; w < 2; w++) {
		long n;
		for (n = 1;; n++) {
			char *s = NULL;
			cm_error err;
			cm__fault_inject(n, false);
			int rc = w ? cm_agreement_to_text(tctx, d->agreements[0],
							  &s, &err)
				   : cm_document_to_text(tctx, d, &s, &err);
			long failed = cm__fault_failures();
			cm__fault_inject(0, false);
			if (!failed) {
				ck_assert_int_eq(rc, CM_OK);
				talloc_free(s);
				break;
			}
			ck_assert_int_eq(rc, CM_ENOMEM);
			ck_assert_ptr_null(s);
			ck_assert_uint_eq(talloc_total_blocks(tctx), before);
		}
		ck_assert_int_gt(n, 2);
	}
	talloc_free(d);
}
END_TEST
#endif

START_TEST(docs_example)
{
	/* The example of docs/format.md: its first code block formats to
	 * its second. */
	const char *src = getenv("SRCDIR");
	ck_assert_msg(src != NULL, "SRCDIR is not set");
	char path[4096];
	snprintf(path, sizeof(path), "%s/docs/format.md", src);
	char *doc = slurp(path);
	char *blocks[2];
	char *p = doc;
	for (int i = 0; i < 2; i++) {
		/* the opening fence may carry an info string
		 * ("```cmt run", docs/testing.md) */
		char *open = strstr(p, "```");
		ck_assert_ptr_nonnull(open);
		open = strchr(open, '\n');
		ck_assert_ptr_nonnull(open);
		open++;
		char *close = strstr(open, "```\n");
		ck_assert_ptr_nonnull(close);
		blocks[i] = talloc_strndup(doc, open, (size_t)(close - open));
		p = close + 4;
	}
	expect_fmt(blocks[0], blocks[1]);
	talloc_free(doc);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("format");
	TCase *tc;
	tc = tcase_leakcheck(s, "layout");
	tcase_add_test(tc, layout_order);
	tcase_add_test(tc, layout_top_level);
	tcase_add_test(tc, layout_empty);
	tcase_add_test(tc, layout_rules);
	tcase_add_test(tc, layout_roles_and_modalities);
	tcase_add_test(tc, layout_standing);
	tcase_add_test(tc, layout_items_that_add_up);
	tc = tcase_leakcheck(s, "values");
	tcase_add_test(tc, values_dates);
	tcase_add_test(tc, values_durations);
	tcase_add_test(tc, values_spelling);
	tcase_add_test(tc, values_attrs);
	tc = tcase_leakcheck(s, "conditions");
	tcase_add_test(tc, conditions_parentheses);
	tcase_add_test(tc, conditions_atoms);
	tc = tcase_leakcheck(s, "events");
	tcase_add_test(tc, events_provenance);
	tcase_add_test(tc, events_blocks_kept);
	tc = tcase_leakcheck(s, "comments");
	tcase_add_test(tc, comments_own_line_and_trailing);
	tcase_add_test(tc, comments_follow_reordered_items);
	tcase_add_test(tc, comments_merged_items);
	tcase_add_test(tc, comments_between_agreements_and_in_events);
	tcase_add_test(tc, comments_multiline_items);
	tcase_add_test(tc, comments_all_kept_in_examples_style);
	tcase_add_test(tc, comments_never_lost);
	tcase_add_test(tc, comments_several_files);
	tc = tcase_leakcheck(s, "use");
	tcase_add_test(tc, use_resolved_and_not);
	tcase_add_test(tc, use_twice_on_one_line);
	tcase_add_test(tc, use_twice_in_code);
	tc = tcase_leakcheck(s, "code");
	tcase_add_test(tc, code_built_round_trip);
	tcase_add_test(tc, code_built_events_split);
	tc = tcase_leakcheck(s, "errors");
	tcase_add_test(tc, errors_arguments);
	tcase_add_test(tc, errors_unwritable);
#ifdef CM_FAULT_INJECTION
	tcase_add_test(tc, alloc_failures);
#endif
	tc = tcase_leakcheck(s, "examples");
	tcase_add_test(tc, examples_round_trip);
	tcase_add_test(tc, docs_example);
	return run_suite(s);
}
