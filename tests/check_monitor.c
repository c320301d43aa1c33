/*
 * The monitor (SPEC §4): states, transitions and causes, deadlines, time,
 * views, sources, live feeding, snapshots.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>

#include "testutil.h"

/* ---- helpers ----------------------------------------------------------- */

static cm_time T(const char *s)
{
	cm_time t;
	ck_assert_int_eq(cm_time_parse(s, 0, &t), CM_OK);
	return t;
}

static cm_time T_end(const char *s)
{
	cm_time t;
	ck_assert_int_eq(cm_time_parse(s, 1, &t), CM_OK);
	return t;
}

/* Parse @p text (under tctx), monitor its first agreement in @p view over
 * the document's and the agreement's events plus @p events (a text named
 * "ev.txt", may be NULL), up to @p at (NULL: the last event). */
static cm_snapshot *run_view(const char *text, const char *events,
			     const char *view, const char *at)
{
	cm_document *doc = parse_ok(text);
	cm_monitor *m = NULL;
	cm_error err;
	memset(&err, 0, sizeof(err));
	int rc = cm_monitor_new(doc, cm_document_agreement(doc, 0), view, &m,
				&err);
	ck_assert_msg(rc == CM_OK, "monitor_new: %s", err.message);
	ck_assert_int_eq(cm_monitor_add_document_events(m, doc, &err), CM_OK);
	if (events)
		ck_assert_int_eq(cm_monitor_add_events_text(m, events,
				 strlen(events), "ev.txt", &err), CM_OK);
	rc = cm_monitor_run(m, at ? T_end(at) : CM_TIME_NONE, &err);
	ck_assert_msg(rc == CM_OK, "run: %d %s:%d: %s", rc, err.file, err.line,
		      err.message);
	cm_snapshot *s = NULL;
	ck_assert_int_eq(cm_monitor_snapshot(tctx, m, &s, &err), CM_OK);
	talloc_free(doc);
	return s;
}

static cm_snapshot *run_(const char *text, const char *events)
{
	return run_view(text, events, NULL, NULL);
}

static size_t idx(const cm_snapshot *s, const char *id)
{
	for (size_t i = 0; i < cm_snapshot_count(s); i++)
		if (strcmp(cm_snapshot_id(s, i), id) == 0)
			return i;
	ck_abort_msg("no commitment %s", id);
	return 0;
}

/* state, since (NULL = none), reason */
static void expect(const cm_snapshot *s, const char *id, int state,
		   const char *since, int reason)
{
	size_t i = idx(s, id);
	ck_assert_msg(cm_snapshot_state(s, i) == state, "%s: state %s, want %s",
		      id, cm_state_name(cm_snapshot_state(s, i)),
		      cm_state_name(state));
	cm_time want = since ? T(since) : CM_TIME_NONE;
	char a[32] = "-", b[32] = "-";
	cm_time_format(cm_snapshot_since(s, i), a, sizeof(a));
	cm_time_format(want, b, sizeof(b));
	ck_assert_msg(cm_snapshot_since(s, i) == want, "%s: since %s, want %s",
		      id, a, b);
	ck_assert_msg(cm_snapshot_cause_reason(s, i) == reason,
		      "%s: reason %d, want %d", id,
		      cm_snapshot_cause_reason(s, i), reason);
}

static void expect_cause(const cm_snapshot *s, const char *id, int line,
			 const char *file, const char *commitment)
{
	size_t i = idx(s, id);
	ck_assert_int_eq(cm_snapshot_cause_line(s, i), line);
	if (file)
		ck_assert_str_eq(cm_snapshot_cause_file(s, i), file);
	else
		ck_assert_ptr_null(cm_snapshot_cause_file(s, i));
	if (commitment)
		ck_assert_str_eq(cm_snapshot_cause_commitment(s, i), commitment);
	else
		ck_assert_ptr_null(cm_snapshot_cause_commitment(s, i));
}

#define P_ACTIVE CM_STATE_ACTIVE
#define P_PENDING CM_STATE_PENDING
#define P_SUSPENDED CM_STATE_SUSPENDED
#define P_FULFILLED CM_STATE_FULFILLED
#define P_VIOLATED CM_STATE_VIOLATED
#define P_EXPIRED CM_STATE_EXPIRED

static const char *ISTANBUL =
	"agreement istanbul_round3 \"Security understanding, Istanbul round\" {\n" /* 1 */
	"  date 2025-11-07\n"
	"  party    PK  \"Pakistan\"                      state\n"
	"  party    AF  \"Afghan Taliban administration\" authority\n"
	"  mediator TR  \"Turkiye\"                       state\n" /* 5 */
	"  mediator QA  \"Qatar\"                         state\n"
	"  actor    TTP \"Tehreek-e-Taliban Pakistan\"    armed-group\n"
	"  use written-only\n"
	"  commitment no_safe_haven {\n"
	"    AF must prevent attack(from: AF, on: PK)\n" /* 10 */
	"    verbal\n"
	"    witnessed by TR, QA\n"
	"  }\n"
	"  commitment ceasefire {\n"
	"    PK must not strike(on: AF)\n" /* 15 */
	"    unless attack(from: AF, on: PK) within 30d\n"
	"    reciprocal no_safe_haven\n"
	"    verbal\n"
	"  }\n"
	"  commitment defensive_action {\n" /* 20 */
	"    PK may strike(in: AF, against: TTP)\n"
	"    if violated(no_safe_haven)\n"
	"    claimed\n"
	"    verbal\n"
	"  }\n" /* 25 */
	"}\n";

/* ---- §7 -------------------------------------------------------------- */

START_TEST(istanbul_before_events)
{
	cm_snapshot *s = run_(ISTANBUL, NULL);
	ck_assert_int_eq(cm_snapshot_at(s), CM_TIME_NONE);
	expect(s, "no_safe_haven", P_PENDING, NULL, CM_CAUSE_NONE);
	expect(s, "ceasefire", P_PENDING, NULL, CM_CAUSE_NONE);
	expect(s, "defensive_action", P_PENDING, NULL, CM_CAUSE_NONE);
	talloc_free(s);
}
END_TEST

START_TEST(istanbul_attack)
{
	cm_snapshot *s = run_(ISTANBUL,
			      "2025-11-20 attack(by: TTP, from: AF, on: PK)\n");
	ck_assert_int_eq(cm_snapshot_at(s), T("2025-11-20"));
	expect(s, "no_safe_haven", P_VIOLATED, "2025-11-20", CM_CAUSE_EVENT);
	expect_cause(s, "no_safe_haven", 1, "ev.txt", NULL);
	expect(s, "ceasefire", P_SUSPENDED, "2025-11-20", CM_CAUSE_CONDITION);
	expect_cause(s, "ceasefire", 1, "ev.txt", "no_safe_haven");
	expect(s, "defensive_action", P_ACTIVE, "2025-11-20",
	       CM_CAUSE_CONDITION);
	expect_cause(s, "defensive_action", 1, "ev.txt", "no_safe_haven");
	ck_assert_int_eq(cm_snapshot_violated_count(s), 1);
	talloc_free(s);
}
END_TEST

START_TEST(istanbul_strike_after_attack)
{
	cm_snapshot *s = run_(ISTANBUL,
		"2025-11-20 attack(by: TTP, from: AF, on: PK)\n"
		"2025-11-22 strike(by: PK, on: AF, in: AF, against: TTP)\n");
	ck_assert_int_eq(cm_snapshot_at(s), T("2025-11-22"));
	expect(s, "ceasefire", P_SUSPENDED, "2025-11-20", CM_CAUSE_CONDITION);
	expect(s, "defensive_action", P_ACTIVE, "2025-11-20",
	       CM_CAUSE_CONDITION);
	/* the claimed right never excuses: nothing to excuse either */
	ck_assert_uint_eq(cm_snapshot_excused_count(s, idx(s, "ceasefire")), 0);
	talloc_free(s);
}
END_TEST

static const char *CONTESTED =
	"2025-11-20 attack(by: TTP, from: AF, on: PK) reported by PK denied by AF\n"
	"2025-11-22 strike(by: PK, on: AF, in: AF, against: TTP)\n";

START_TEST(istanbul_views)
{
	cm_snapshot *all = run_view(ISTANBUL, CONTESTED, "all", NULL);
	cm_snapshot *pk = run_view(ISTANBUL, CONTESTED, "PK", NULL);
	cm_snapshot *af = run_view(ISTANBUL, CONTESTED, "AF", NULL);
	cm_snapshot *ver = run_view(ISTANBUL, CONTESTED, "verified", NULL);
	ck_assert_str_eq(cm_snapshot_view(af), "AF");
	/* the default --at is the last event whatever the view */
	ck_assert_int_eq(cm_snapshot_at(af), T("2025-11-22"));
	ck_assert_int_eq(cm_snapshot_at(ver), T("2025-11-22"));
	expect(all, "ceasefire", P_SUSPENDED, "2025-11-20", CM_CAUSE_CONDITION);
	expect(pk, "ceasefire", P_SUSPENDED, "2025-11-20", CM_CAUSE_CONDITION);
	expect(pk, "no_safe_haven", P_VIOLATED, "2025-11-20", CM_CAUSE_EVENT);
	/* AF's account: no attack, so the strike violates the ceasefire */
	expect(af, "no_safe_haven", P_ACTIVE, "2025-11-07", CM_CAUSE_START);
	expect(af, "ceasefire", P_VIOLATED, "2025-11-22", CM_CAUSE_EVENT);
	expect_cause(af, "ceasefire", 2, "ev.txt", NULL);
	expect(af, "defensive_action", P_PENDING, NULL, CM_CAUSE_NONE);
	ck_assert_int_eq(cm_snapshot_violated_count(af), 1);
	/* verified: neither event is verified */
	expect(ver, "ceasefire", P_ACTIVE, "2025-11-07", CM_CAUSE_START);
	expect(ver, "no_safe_haven", P_ACTIVE, "2025-11-07", CM_CAUSE_START);
	talloc_free(all);
	talloc_free(pk);
	talloc_free(af);
	talloc_free(ver);
}
END_TEST

START_TEST(view_verified)
{
	cm_snapshot *s = run_view(ISTANBUL,
		"2025-11-20 attack(by: TTP, from: AF, on: PK) verified by QA\n"
		"2025-11-21 strike(by: PK, on: AF) verified by TTP\n"
		"2025-11-21 strike(by: PK, on: AF) verified by XX\n",
		"verified", NULL);
	expect(s, "no_safe_haven", P_VIOLATED, "2025-11-20", CM_CAUSE_EVENT);
	expect(s, "ceasefire", P_SUSPENDED, "2025-11-20", CM_CAUSE_CONDITION);
	talloc_free(s);
}
END_TEST

START_TEST(view_unknown_party)
{
	cm_document *doc = parse_ok(ISTANBUL);
	cm_monitor *m = NULL;
	cm_error err;
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(cm_monitor_new(doc, cm_document_agreement(doc, 0),
					"XX", &m, &err), CM_ENOTFOUND);
	ck_assert_ptr_null(m);
	ck_assert_ptr_nonnull(strstr(err.message, "'XX'"));
	/* a mediator's view is fine */
	ck_assert_int_eq(cm_monitor_new(doc, cm_document_agreement(doc, 0),
					"TR", &m, &err), CM_OK);
	ck_assert_str_eq(cm_monitor_view(m), "TR");
	ck_assert_int_eq(cm_monitor_new(doc, NULL, "all", &m, &err), CM_EINVAL);
	talloc_free(doc);
}
END_TEST

Suite *monitor_suite(void);
Suite *monitor_suite(void)
{
	Suite *s = suite_create("monitor");
	TCase *tc;
	tc = tcase_leakcheck(s, "istanbul_before_events");
	tcase_add_test(tc, istanbul_before_events);
	tc = tcase_leakcheck(s, "istanbul_attack");
	tcase_add_test(tc, istanbul_attack);
	tc = tcase_leakcheck(s, "istanbul_strike_after_attack");
	tcase_add_test(tc, istanbul_strike_after_attack);
	tc = tcase_leakcheck(s, "istanbul_views");
	tcase_add_test(tc, istanbul_views);
	tc = tcase_leakcheck(s, "view_verified");
	tcase_add_test(tc, view_verified);
	tc = tcase_leakcheck(s, "view_unknown_party");
	tcase_add_test(tc, view_unknown_party);
	return s;
}

int main(void)
{
	return run_suite(monitor_suite());
}
