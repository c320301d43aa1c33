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
	/* no events: the state at the end of the agreement's date */
	cm_snapshot *s = run_(ISTANBUL, NULL);
	ck_assert_int_eq(cm_snapshot_at(s), T("2025-11-07") + 1439);
	expect(s, "no_safe_haven", P_ACTIVE, "2025-11-07", CM_CAUSE_START);
	expect(s, "ceasefire", P_ACTIVE, "2025-11-07", CM_CAUSE_START);
	expect(s, "defensive_action", P_PENDING, NULL, CM_CAUSE_NONE);
	talloc_free(s);
	/* an undated agreement with no events stays at its initial states */
	s = run_("agreement u {\n party A \"A\"\n party B \"B\"\n"
		 " commitment c { A must not x() }\n}\n", NULL);
	ck_assert_int_eq(cm_snapshot_at(s), CM_TIME_NONE);
	expect(s, "c", P_ACTIVE, NULL, CM_CAUSE_NONE);
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
		"2025-11-21 strike(by: PK, on: AF) verified by XX\n",
		"verified", NULL);
	expect(s, "no_safe_haven", P_VIOLATED, "2025-11-20", CM_CAUSE_EVENT);
	expect(s, "ceasefire", P_SUSPENDED, "2025-11-20", CM_CAUSE_CONDITION);
	talloc_free(s);
}
END_TEST

/* A shared event verified by a declared party that cannot verify (here
 * an actor) is an error at that id, in every view, even after --at, in
 * files and live feeds alike; an undeclared id is ignored (above). */
START_TEST(verifier_with_wrong_role)
{
	const char *bad = "2025-11-20 attack(by: TTP) verified by QA\n"
			  "2025-11-21 strike(by: PK, on: AF) verified by TTP\n";
	const char *views[] = {"all", "verified", "AF"};
	for (int v = 0; v < 3; v++) {
		cm_document *doc = parse_ok(ISTANBUL);
		cm_monitor *m;
		cm_error err;
		memset(&err, 0, sizeof(err));
		ck_assert_int_eq(cm_monitor_new(doc,
				 cm_document_agreement(doc, 0), views[v], &m,
				 &err), CM_OK);
		ck_assert_int_eq(cm_monitor_add_events_text(m, bad, strlen(bad),
				 "ev.txt", &err), CM_OK);
		ck_assert_int_eq(cm_monitor_run(m, T_end("2025-11-20"), &err),
				 CM_ESEMANTIC);
		ck_assert_str_eq(err.file, "ev.txt");
		ck_assert_int_eq(err.line, 2);
		ck_assert_int_eq(err.column, 47);
		ck_assert_msg(strstr(err.message, "'TTP' verifies event "
				     "'strike' but is an actor") != NULL,
			      "%s", err.message);
		/* nothing applied */
		cm_snapshot *s = NULL;
		ck_assert_int_eq(cm_monitor_snapshot(tctx, m, &s, &err), CM_OK);
		expect(s, "no_safe_haven", P_PENDING, NULL, CM_CAUSE_NONE);
		talloc_free(s);
		talloc_free(doc);
	}
	cm_document *doc = parse_ok(ISTANBUL);
	cm_monitor *m;
	cm_error err;
	ck_assert_int_eq(cm_monitor_new(doc, cm_document_agreement(doc, 0),
					NULL, &m, &err), CM_OK);
	const char *pk[] = {"PK"}, *qa[] = {"QA"};
	ck_assert_int_eq(cm_monitor_feed(m, 0, T("2025-11-20"), "x", NULL,
					 NULL, 0, NULL, 0, NULL, 0, pk, 1,
					 &err), CM_ESEMANTIC);
	ck_assert_int_eq(cm_monitor_feed_text(m, 0,
			 "2025-11-20 x() verified by QA, TTP", 35, &err),
			 CM_ESEMANTIC);
	ck_assert_int_eq(err.column, 32);
	ck_assert_int_eq(cm_monitor_feed(m, 0, T("2025-11-20"), "x", NULL,
					 NULL, 0, NULL, 0, NULL, 0, qa, 1,
					 &err), CM_OK);
	talloc_free(doc);
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

/* ---- deadlines --------------------------------------------------------- */

static const char *DELIVERY =
	"agreement d {\n"
	"  date 2025-03-01\n"
	"  party A \"A\"\n"
	"  party B \"B\"\n"
	"  commitment deliver { A must deliver(what: aid) by 2025-03-10 }\n"
	"  commitment watch { B may observe() if violated(deliver) }\n"
	"}\n";

START_TEST(deadline_met_at_last_minute)
{
	cm_snapshot *s = run_(DELIVERY,
			      "2025-03-10T23:59 deliver(by: A, what: aid)\n");
	expect(s, "deliver", P_FULFILLED, "2025-03-10T23:59", CM_CAUSE_EVENT);
	expect_cause(s, "deliver", 1, "ev.txt", NULL);
	expect(s, "watch", P_PENDING, NULL, CM_CAUSE_NONE);
	talloc_free(s);
}
END_TEST

START_TEST(deadline_missed_by_a_minute)
{
	cm_snapshot *s = run_(DELIVERY, "2025-03-11 deliver(by: A, what: aid)\n");
	expect(s, "deliver", P_VIOLATED, "2025-03-11", CM_CAUSE_DEADLINE);
	expect_cause(s, "deliver", 0, NULL, NULL);
	/* what depends on the violation changes at that moment too */
	expect(s, "watch", P_ACTIVE, "2025-03-11", CM_CAUSE_CONDITION);
	expect_cause(s, "watch", 0, NULL, "deliver");
	ck_assert_int_eq(cm_snapshot_violated_count(s), 1);
	talloc_free(s);
}
END_TEST

START_TEST(deadline_passes_without_events)
{
	/* --at after the deadline: the clock alone violates it */
	cm_snapshot *s = run_view(DELIVERY, NULL, NULL, "2025-03-11");
	ck_assert_int_eq(cm_snapshot_at(s), T("2025-03-11T23:59"));
	expect(s, "deliver", P_VIOLATED, "2025-03-11", CM_CAUSE_DEADLINE);
	talloc_free(s);
	s = run_view(DELIVERY, NULL, NULL, "2025-03-10");
	expect(s, "deliver", P_ACTIVE, "2025-03-01", CM_CAUSE_START);
	talloc_free(s);
}
END_TEST

START_TEST(implicit_by_debtor)
{
	/* B delivering does not fulfil A's obligation */
	cm_snapshot *s = run_(DELIVERY,
			      "2025-03-05 deliver(by: B, what: aid)\n"
			      "2025-03-06 deliver(what: aid)\n");
	expect(s, "deliver", P_ACTIVE, "2025-03-01", CM_CAUSE_START);
	talloc_free(s);
}
END_TEST

START_TEST(within_counted_from_trigger)
{
	const char *text =
		"agreement w {\n"
		"  party A \"A\"\n"
		"  party B \"B\"\n"
		"  commitment pay { A must pay() within 10d if deal() }\n"
		"}\n";
	cm_snapshot *s = run_(text, "2025-01-05 deal()\n"
				    "2025-01-15 pay(by: A)\n");
	expect(s, "pay", P_FULFILLED, "2025-01-15", CM_CAUSE_EVENT);
	talloc_free(s);
	s = run_(text, "2025-01-05T06:00 deal()\n"
		       "2025-01-15T06:01 pay(by: A)\n");
	expect(s, "pay", P_VIOLATED, "2025-01-15T06:01", CM_CAUSE_DEADLINE);
	talloc_free(s);
	/* before the trigger nothing runs */
	s = run_(text, "2025-01-01 pay(by: A)\n");
	expect(s, "pay", P_PENDING, NULL, CM_CAUSE_NONE);
	talloc_free(s);
}
END_TEST

START_TEST(deadline_while_suspended_or_pending)
{
	const char *text =
		"agreement x {\n"
		"  party A \"A\"\n"
		"  party B \"B\"\n"
		"  commitment s { A must build() by 2025-02-01 while calm() within 5d }\n"
		"  commitment p { A must open() by 2025-02-01 if go() }\n"
		"}\n";
	cm_snapshot *s = run_(text, "2025-01-30 calm()\n"
				    "2025-02-05 calm()\n");
	/* calm from 01-30 for 5 days: active at the deadline */
	expect(s, "s", P_VIOLATED, "2025-02-02", CM_CAUSE_DEADLINE);
	expect(s, "p", P_EXPIRED, "2025-02-02", CM_CAUSE_DEADLINE);
	talloc_free(s);
	s = run_(text, "2025-01-20 calm()\n"
		       "2025-02-05 calm()\n");
	/* the window closed on 01-25: suspended, then the deadline */
	expect(s, "s", P_EXPIRED, "2025-02-02", CM_CAUSE_DEADLINE);
	talloc_free(s);
}
END_TEST

START_TEST(deadline_before_until)
{
	const char *text =
		"agreement x {\n"
		"  party A \"A\"\n"
		"  party B \"B\"\n"
		"  commitment m { A must build() by 2025-02-01 until 2025-02-01 }\n"
		"}\n";
	cm_snapshot *s = run_view(text, NULL, NULL, "2025-03-01");
	expect(s, "m", P_VIOLATED, "2025-02-02", CM_CAUSE_DEADLINE);
	talloc_free(s);
}
END_TEST

/* ---- until, from, date ------------------------------------------------- */

static const char *UNTIL =
	"agreement u {\n"
	"  date 2025-01-01\n"
	"  party A \"A\"\n"
	"  party B \"B\"\n"
	"  commitment quiet { A must not fire() until 2025-01-31 }\n"
	"  commitment build { A must build() until 2025-01-31 }\n"
	"  commitment pass { B may pass() until 2025-01-31 }\n"
	"  commitment later { A must not fire() from 2025-02-10 until 2025-02-20 }\n"
	"}\n";

START_TEST(until_reached_unbroken)
{
	cm_snapshot *s = run_view(UNTIL, "2025-01-05 pass(by: B)\n", NULL,
				  "2025-02-01");
	expect(s, "quiet", P_FULFILLED, "2025-02-01", CM_CAUSE_UNTIL);
	expect(s, "build", P_EXPIRED, "2025-02-01", CM_CAUSE_UNTIL);
	expect(s, "pass", P_EXPIRED, "2025-02-01", CM_CAUSE_UNTIL);
	expect(s, "later", P_PENDING, NULL, CM_CAUSE_NONE);
	talloc_free(s);
	s = run_view(UNTIL, NULL, NULL, "2025-02-21");
	expect(s, "later", P_FULFILLED, "2025-02-21", CM_CAUSE_UNTIL);
	talloc_free(s);
}
END_TEST

START_TEST(from_and_date)
{
	cm_snapshot *s = run_view(UNTIL,
		"2024-12-31T23:59 fire(by: A)\n"
		"2025-02-09T23:59 fire(by: A)\n", NULL, NULL);
	/* before the date: pending, nothing violated */
	expect(s, "quiet", P_FULFILLED, "2025-02-01", CM_CAUSE_UNTIL);
	expect(s, "later", P_PENDING, NULL, CM_CAUSE_NONE);
	talloc_free(s);
	s = run_view(UNTIL, "2025-01-01 fire(by: A)\n"
			    "2025-02-10 fire(by: A)\n", NULL, NULL);
	/* the date and from take effect before events of that moment */
	expect(s, "quiet", P_VIOLATED, "2025-01-01", CM_CAUSE_EVENT);
	expect(s, "later", P_VIOLATED, "2025-02-10", CM_CAUSE_EVENT);
	expect_cause(s, "later", 2, "ev.txt", NULL);
	talloc_free(s);
}
END_TEST

START_TEST(until_while_pending)
{
	const char *text =
		"agreement u {\n"
		"  party A \"A\"\n"
		"  party B \"B\"\n"
		"  commitment c { A must not fire() if go() until 2025-01-31 }\n"
		"}\n";
	cm_snapshot *s = run_(text, "2025-03-01 go()\n");
	expect(s, "c", P_EXPIRED, "2025-02-01", CM_CAUSE_UNTIL);
	talloc_free(s);
}
END_TEST

/* ---- guards ------------------------------------------------------------ */

static const char *GUARDED =
	"agreement g {\n"
	"  party PK \"PK\"\n"
	"  party AF \"AF\"\n"
	"  commitment nsh { AF must prevent attack(on: PK) }\n"
	"  commitment cf {\n"
	"    PK must not strike(on: AF)\n"
	"    unless attack(on: PK) within 30d\n"
	"  }\n"
	"  commitment cf2 {\n"
	"    PK must not strike(on: AF)\n"
	"    unless attack(on: PK) within 1d\n"
	"    reciprocal nsh\n"
	"  }\n"
	"}\n";

START_TEST(suspension_and_resumption)
{
	const char *ev = "2025-01-01T10:00 attack(by: X, on: PK)\n";
	cm_snapshot *s = run_view(GUARDED, ev, NULL, "2025-01-31T09:59");
	expect(s, "cf", P_SUSPENDED, "2025-01-01T10:00", CM_CAUSE_CONDITION);
	expect_cause(s, "cf", 1, "ev.txt", NULL);
	talloc_free(s);
	/* exactly 30 days after the attack the guard holds again */
	s = run_view(GUARDED, ev, NULL, "2025-01-31T10:00");
	expect(s, "cf", P_ACTIVE, "2025-01-31T10:00", CM_CAUSE_CONDITION);
	expect_cause(s, "cf", 0, NULL, NULL);
	talloc_free(s);
	/* a strike while suspended is no violation */
	s = run_(GUARDED, "2025-01-01T10:00 attack(by: X, on: PK)\n"
			  "2025-01-02 strike(by: PK, on: AF)\n");
	expect(s, "cf", P_SUSPENDED, "2025-01-01T10:00", CM_CAUSE_CONDITION);
	talloc_free(s);
}
END_TEST

START_TEST(reciprocity_outlasts_guard)
{
	cm_snapshot *s = run_view(GUARDED,
				  "2025-01-01 attack(by: X, on: PK)\n", NULL,
				  "2025-03-01");
	expect(s, "nsh", P_VIOLATED, "2025-01-01", CM_CAUSE_EVENT);
	/* the 1-day guard lapsed on 01-02; nsh stays violated */
	expect(s, "cf2", P_SUSPENDED, "2025-01-01", CM_CAUSE_CONDITION);
	expect_cause(s, "cf2", 1, "ev.txt", "nsh");
	expect(s, "cf", P_ACTIVE, "2025-01-31", CM_CAUSE_CONDITION);
	talloc_free(s);
}
END_TEST

START_TEST(prevention_matches_anyone)
{
	cm_snapshot *s = run_(GUARDED, "2025-01-01 attack(on: PK)\n");
	expect(s, "nsh", P_VIOLATED, "2025-01-01", CM_CAUSE_EVENT);
	talloc_free(s);
}
END_TEST

START_TEST(excuse_by_permission)
{
	const char *text =
		"agreement e {\n"
		"  party PK \"PK\"\n"
		"  party AF \"AF\"\n"
		"  commitment cf { PK must not strike(on: AF) }\n"
		"  commitment hot { PK may strike(on: AF, against: TTP) }\n"
		"  commitment claim { PK may strike(on: AF, in: border) claimed }\n"
		"  commitment other { AF may strike(on: AF) }\n"
		"}\n";
	cm_snapshot *s = run_(text,
		"2025-01-01 strike(by: PK, on: AF, against: TTP)\n"
		"2025-01-02 strike(by: PK, on: AF, against: TTP)\n");
	expect(s, "cf", P_ACTIVE, NULL, CM_CAUSE_NONE);
	ck_assert_uint_eq(cm_snapshot_excused_count(s, idx(s, "cf")), 1);
	ck_assert_str_eq(cm_snapshot_excused_by(s, idx(s, "cf"), 0), "hot");
	ck_assert_ptr_null(cm_snapshot_excused_by(s, idx(s, "cf"), 1));
	talloc_free(s);
	/* a claimed right never excuses */
	s = run_(text, "2025-01-01 strike(by: PK, on: AF, in: border)\n");
	expect(s, "cf", P_VIOLATED, "2025-01-01", CM_CAUSE_EVENT);
	ck_assert_uint_eq(cm_snapshot_excused_count(s, idx(s, "cf")), 0);
	talloc_free(s);
}
END_TEST

START_TEST(chain_of_violations)
{
	const char *text =
		"agreement c {\n"
		"  party A \"A\"\n"
		"  party B \"B\"\n"
		"  commitment one { A must not x() }\n"
		"  commitment two { B must not y() if violated(one) }\n"
		"  commitment three { A may z() if violated(two) }\n"
		"  commitment four { B must not w() if violated(three) }\n"
		"}\n";
	cm_snapshot *s = run_(text, "2025-01-01 y(by: B)\n"
				    "2025-01-02 x(by: A)\n"
				    "2025-01-03 y(by: B)\n");
	expect(s, "one", P_VIOLATED, "2025-01-02", CM_CAUSE_EVENT);
	expect(s, "two", P_VIOLATED, "2025-01-03", CM_CAUSE_EVENT);
	expect_cause(s, "two", 3, "ev.txt", NULL);
	expect(s, "three", P_ACTIVE, "2025-01-03", CM_CAUSE_CONDITION);
	expect_cause(s, "three", 3, "ev.txt", "two");
	expect(s, "four", P_PENDING, NULL, CM_CAUSE_NONE);
	talloc_free(s);
}
END_TEST

/* cause.commitment names a state atom only when its truth changed: cx
 * going pending -> active at the same moment leaves `violated(cx)`
 * false, so the attack (an event atom) is responsible, not cx. */
START_TEST(cause_atom_that_flipped)
{
	const char *text =
		"agreement c {\n"
		"  party A \"A\"\n"
		"  party B \"B\"\n"
		"  commitment cx { B must not y() if attack() }\n"
		"  commitment g { A must not x() while not violated(cx) unless attack() }\n"
		"  commitment t { A must not z() if attack() and not violated(cx) }\n"
		"  commitment u { A must not v() unless active(cx) }\n"
		"}\n";
	cm_snapshot *s = run_(text, "2025-01-01 attack(by: B)\n");
	expect(s, "cx", P_ACTIVE, "2025-01-01", CM_CAUSE_CONDITION);
	expect_cause(s, "cx", 1, "ev.txt", NULL);
	expect(s, "g", P_SUSPENDED, "2025-01-01", CM_CAUSE_CONDITION);
	expect_cause(s, "g", 1, "ev.txt", NULL);
	expect(s, "t", P_ACTIVE, "2025-01-01", CM_CAUSE_CONDITION);
	expect_cause(s, "t", 1, "ev.txt", NULL);
	expect(s, "u", P_SUSPENDED, "2025-01-01", CM_CAUSE_CONDITION);
	expect_cause(s, "u", 1, "ev.txt", "cx");
	talloc_free(s);
}
END_TEST

START_TEST(counts_and_early_events)
{
	const char *text =
		"agreement k {\n"
		"  date 2025-06-01\n"
		"  party A \"A\"\n"
		"  party B \"B\"\n"
		"  commitment c { A must not x() if count(incident()) >= 2 }\n"
		"  commitment w { A must not y() while count(patrol(n: 3)) < 2 within 2d }\n"
		"}\n";
	/* events before the date count in conditions */
	cm_snapshot *s = run_(text, "2025-01-01 incident()\n"
				    "2025-01-02 incident()\n"
				    "2025-06-01 patrol(n: \"3\")\n"
				    "2025-06-02 patrol(n: 3)\n"
				    "2025-06-02 patrol(n: 03)\n");
	expect(s, "c", P_ACTIVE, "2025-06-01", CM_CAUSE_START);
	expect(s, "w", P_SUSPENDED, "2025-06-02", CM_CAUSE_CONDITION);
	talloc_free(s);
	s = run_view(text, "2025-06-01 patrol(n: 3)\n"
			   "2025-06-02 patrol(n: 3)\n", NULL, "2025-06-03");
	/* the first patrol leaves the window at 06-03 00:00 */
	expect(s, "w", P_ACTIVE, "2025-06-03", CM_CAUSE_CONDITION);
	talloc_free(s);
}
END_TEST

START_TEST(form_atoms)
{
	const char *text =
		"agreement f {\n"
		"  party A \"A\"\n"
		"  party B \"B\"\n"
		"  commitment v { A must not x() verbal }\n"
		"  commitment w { A must not x() written signed by A }\n"
		"  commitment on_v { B must not y() if written(v) }\n"
		"  commitment on_w { B must not y() if signed(w) }\n"
		"}\n";
	cm_snapshot *s = run_(text, NULL);
	expect(s, "on_v", P_PENDING, NULL, CM_CAUSE_NONE);
	expect(s, "on_w", P_ACTIVE, NULL, CM_CAUSE_NONE);
	talloc_free(s);
}
END_TEST

/* ---- free text and standing ------------------------------------------- */

START_TEST(free_text)
{
	const char *text =
		"agreement t {\n"
		"  date 2025-01-01\n"
		"  party A \"A\"\n"
		"  party B \"B\"\n"
		"  commitment talk { A must \"negotiate in good faith\" by 2025-01-10 }\n"
		"  commitment calm { A must not \"escalate\" until 2025-02-01 }\n"
		"  commitment help { A must \"help\" until 2025-02-01 }\n"
		"}\n";
	cm_snapshot *s = run_view(text, "2025-01-05 negotiate(by: A)\n", NULL,
				  "2025-01-20");
	/* no event fulfils it and its deadline is not monitored */
	expect(s, "talk", P_ACTIVE, "2025-01-01", CM_CAUSE_START);
	talloc_free(s);
	s = run_view(text, NULL, NULL, "2025-03-01");
	expect(s, "calm", P_FULFILLED, "2025-02-02", CM_CAUSE_UNTIL);
	expect(s, "help", P_EXPIRED, "2025-02-02", CM_CAUSE_UNTIL);
	talloc_free(s);
}
END_TEST

START_TEST(standing_not_agreed)
{
	const char *text =
		"agreement s {\n"
		"  party A \"A\"\n"
		"  party B \"B\"\n"
		"  commitment p { A must not x() proposed by B }\n"
		"  commitment r { A must not x() rejected by A }\n"
		"  commitment c { A may x() claimed }\n"
		"}\n";
	cm_snapshot *s = run_(text, "2025-01-01 x(by: A)\n");
	expect(s, "p", P_VIOLATED, "2025-01-01", CM_CAUSE_EVENT);
	expect(s, "r", P_VIOLATED, "2025-01-01", CM_CAUSE_EVENT);
	ck_assert_int_eq(cm_snapshot_standing(s, idx(s, "p")),
			 CM_STANDING_PROPOSED);
	/* violations of commitments not agreed do not make the run fail */
	ck_assert_uint_eq(cm_snapshot_violated_count(s), 0);
	char *txt = NULL;
	ck_assert_int_eq(cm_snapshot_to_text(tctx, s, &txt, NULL), CM_OK);
	ck_assert_ptr_nonnull(strstr(txt, "not agreed (monitored, reported apart):\n"));
	ck_assert_ptr_nonnull(strstr(txt, "proposed violated"));
	ck_assert_ptr_nonnull(strstr(txt, "claimed active"));
	talloc_free(txt);
	talloc_free(s);
}
END_TEST

/* ---- sources ----------------------------------------------------------- */

static const char *SOURCES =
	"events { 2025-01-01 alarm() }\n"
	"agreement src {\n"
	"  party A \"A\"\n"
	"  party B \"B\"\n"
	"  commitment c { A must not fire() unless alarm() within 1d }\n"
	"  events { 2025-01-01 fire(by: A) }\n"
	"}\n";

START_TEST(sources_tie_order)
{
	/* the top-level alarm comes before the agreement's fire */
	cm_snapshot *s = run_(SOURCES, "2025-01-01 fire(by: A)\n");
	expect(s, "c", P_SUSPENDED, "2025-01-01", CM_CAUSE_CONDITION);
	expect_cause(s, "c", 1, "test.cmt", NULL);
	talloc_free(s);
	/* the agreement block's fire comes before a file's alarm */
	const char *text =
		"agreement src {\n"
		"  party A \"A\"\n"
		"  party B \"B\"\n"
		"  commitment c { A must not fire() unless alarm() within 1d }\n"
		"  events { 2025-01-01 fire(by: A) }\n"
		"}\n";
	s = run_(text, "2025-01-01 alarm()\n");
	expect(s, "c", P_VIOLATED, "2025-01-01", CM_CAUSE_EVENT);
	expect_cause(s, "c", 5, "test.cmt", NULL);
	talloc_free(s);
	/* an earlier file event comes first whatever the source */
	s = run_(text, "2024-12-31T23:59 alarm()\n");
	expect(s, "c", P_SUSPENDED, "2024-12-31T23:59", CM_CAUSE_CONDITION);
	talloc_free(s);
}
END_TEST

START_TEST(several_files_in_order)
{
	const char *text =
		"agreement src {\n"
		"  party A \"A\"\n"
		"  party B \"B\"\n"
		"  commitment c { A must not fire() unless alarm() within 1d }\n"
		"}\n";
	cm_document *doc = parse_ok(text);
	cm_monitor *m;
	cm_error err;
	ck_assert_int_eq(cm_monitor_new(doc, cm_document_agreement(doc, 0),
					NULL, &m, &err), CM_OK);
	const char *f1 = "2025-01-01 alarm()\n", *f2 = "2025-01-01 fire(by: A)\n";
	ck_assert_int_eq(cm_monitor_add_events_text(m, f2, strlen(f2), "2",
						    &err), CM_OK);
	ck_assert_int_eq(cm_monitor_add_events_text(m, f1, strlen(f1), "1",
						    &err), CM_OK);
	ck_assert_int_eq(cm_monitor_run(m, CM_TIME_NONE, &err), CM_OK);
	cm_snapshot *s;
	ck_assert_int_eq(cm_monitor_snapshot(doc, m, &s, &err), CM_OK);
	expect(s, "c", P_VIOLATED, "2025-01-01", CM_CAUSE_EVENT);
	expect_cause(s, "c", 1, "2", NULL);
	/* a monitor runs once */
	ck_assert_int_eq(cm_monitor_run(m, CM_TIME_NONE, &err), CM_EINVAL);
	talloc_free(doc);
}
END_TEST

START_TEST(malformed_line_nothing_applied)
{
	cm_document *doc = parse_ok(ISTANBUL);
	cm_monitor *m;
	cm_error err;
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(cm_monitor_new(doc, cm_document_agreement(doc, 0),
					NULL, &m, &err), CM_OK);
	const char *ev = "2025-11-20 attack(by: TTP, from: AF, on: PK)\n"
			 "2025-11-21 strike(by: PK on: AF)\n"
			 "2025-11-22 strike(by: PK, on: AF)\n";
	ck_assert_int_eq(cm_monitor_add_events_text(m, ev, strlen(ev), "ev.txt",
						    &err), CM_OK);
	ck_assert_int_eq(cm_monitor_run(m, CM_TIME_NONE, &err), CM_ESYNTAX);
	ck_assert_str_eq(err.file, "ev.txt");
	ck_assert_int_eq(err.line, 2);
	cm_snapshot *s;
	ck_assert_int_eq(cm_monitor_snapshot(doc, m, &s, &err), CM_OK);
	ck_assert_int_eq(cm_snapshot_at(s), CM_TIME_NONE);
	expect(s, "no_safe_haven", P_PENDING, NULL, CM_CAUSE_NONE);
	expect(s, "ceasefire", P_PENDING, NULL, CM_CAUSE_NONE);
	ck_assert_int_eq(cm_monitor_last_event_time(m), CM_TIME_NONE);
	talloc_free(doc);
}
END_TEST

START_TEST(out_of_order_line)
{
	cm_document *doc = parse_ok(ISTANBUL);
	cm_monitor *m;
	cm_error err;
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(cm_monitor_new(doc, cm_document_agreement(doc, 0),
					NULL, &m, &err), CM_OK);
	const char *ev = "2025-11-20 attack(by: TTP, from: AF, on: PK)\n"
			 "2025-11-19 strike(by: PK, on: AF)\n";
	ck_assert_int_eq(cm_monitor_add_events_text(m, ev, strlen(ev), "ev.txt",
						    &err), CM_OK);
	ck_assert_int_eq(cm_monitor_run(m, CM_TIME_NONE, &err), CM_EORDER);
	ck_assert_int_eq(err.line, 2);
	cm_snapshot *s;
	ck_assert_int_eq(cm_monitor_snapshot(doc, m, &s, &err), CM_OK);
	expect(s, "no_safe_haven", P_PENDING, NULL, CM_CAUSE_NONE);
	/* unreadable file */
	cm_monitor *m2;
	ck_assert_int_eq(cm_monitor_new(doc, cm_document_agreement(doc, 0),
					NULL, &m2, &err), CM_OK);
	ck_assert_int_eq(cm_monitor_add_events_file(m2, "/nonexistent/ev",
						    &err), CM_OK);
	ck_assert_int_eq(cm_monitor_run(m2, CM_TIME_NONE, &err), CM_EIO);
	talloc_free(doc);
}
END_TEST

START_TEST(snapshot_at)
{
	const char *ev = "2025-11-20 attack(by: TTP, from: AF, on: PK)\n";
	cm_snapshot *s = run_view(ISTANBUL, ev, NULL, "2025-11-19");
	ck_assert_int_eq(cm_snapshot_at(s), T("2025-11-19T23:59"));
	expect(s, "no_safe_haven", P_ACTIVE, "2025-11-07", CM_CAUSE_START);
	expect(s, "ceasefire", P_ACTIVE, "2025-11-07", CM_CAUSE_START);
	talloc_free(s);
	/* 30 days after: the guard holds, reciprocity still suspends */
	s = run_view(ISTANBUL, ev, NULL, "2026-01-01");
	expect(s, "ceasefire", P_SUSPENDED, "2025-11-20", CM_CAUSE_CONDITION);
	talloc_free(s);
}
END_TEST

/* ---- live feeding ------------------------------------------------------ */

START_TEST(live_feed)
{
	cm_document *doc = parse_ok(ISTANBUL);
	cm_monitor *m;
	cm_error err;
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(cm_monitor_new(doc, cm_document_agreement(doc, 0),
					"AF", &m, &err), CM_OK);
	const char *names[] = {"by", "on", "in", "against"};
	const char *values[] = {"PK", "AF", "AF", "TTP"};
	const char *pk[] = {"PK"}, *af[] = {"AF"};
	/* same minute: source 0 (the attack) goes before source 1 */
	ck_assert_int_eq(cm_monitor_feed(m, 1, T("2025-11-20"), "strike",
					 names, values, 4, NULL, 0, NULL, 0,
					 NULL, 0, &err), CM_OK);
	const char *line = "2025-11-20 attack(by: TTP, from: AF, on: PK)";
	ck_assert_int_eq(cm_monitor_feed_text(m, 0, line, strlen(line), &err),
			 CM_OK);
	cm_snapshot *s;
	ck_assert_int_eq(cm_monitor_snapshot(doc, m, &s, &err), CM_OK);
	expect(s, "ceasefire", P_SUSPENDED, "2025-11-20", CM_CAUSE_CONDITION);
	expect_cause(s, "ceasefire", 0, NULL, "no_safe_haven");
	ck_assert_int_eq(cm_monitor_last_event_time(m), T("2025-11-20"));
	/* errors change nothing */
	ck_assert_int_eq(cm_monitor_feed_text(m, 0, "2025-11-19 x()", 14, &err),
			 CM_EORDER);
	ck_assert_int_eq(cm_monitor_feed_text(m, 0, "2025-11-21 x(", 13, &err),
			 CM_ESYNTAX);
	ck_assert_int_eq(cm_monitor_feed_text(m, 0, "2025-11-21 x() 2025-11-21 y()",
					      29, &err), CM_ESYNTAX);
	ck_assert_int_eq(cm_monitor_feed(m, 0, T("2025-11-21"), "bad type",
					 NULL, NULL, 0, NULL, 0, NULL, 0, NULL,
					 0, &err), CM_EINVAL);
	const char *dup[] = {"by", "by"};
	ck_assert_int_eq(cm_monitor_feed(m, 0, T("2025-11-21"), "x", dup,
					 values, 2, NULL, 0, NULL, 0, NULL, 0,
					 &err), CM_EINVAL);
	ck_assert_int_eq(cm_monitor_feed(m, 0, T("2025-11-21"), "x", NULL,
					 NULL, 0, pk, 1, pk, 1, NULL, 0, &err),
			 CM_EINVAL);
	/* a denied event does not count in AF's view */
	ck_assert_int_eq(cm_monitor_feed(m, 0, T("2025-11-22"), "strike", names,
					 values, 2, NULL, 0, af, 1, NULL, 0,
					 &err), CM_OK);
	ck_assert_int_eq(cm_monitor_advance(m, T("2025-12-20"), &err), CM_OK);
	ck_assert_int_eq(cm_monitor_clock(m), T("2025-12-20"));
	ck_assert_int_eq(cm_monitor_advance(m, T("2025-12-19"), &err), CM_EORDER);
	ck_assert_int_eq(cm_monitor_feed_text(m, 0, "2025-12-20 x()", 14, &err),
			 CM_EORDER);
	cm_snapshot *s2;
	ck_assert_int_eq(cm_monitor_snapshot(doc, m, &s2, &err), CM_OK);
	ck_assert_int_eq(cm_snapshot_at(s2), T("2025-12-20"));
	expect(s2, "ceasefire", P_SUSPENDED, "2025-11-20", CM_CAUSE_CONDITION);
	/* a fed monitor cannot run */
	ck_assert_int_eq(cm_monitor_run(m, CM_TIME_NONE, &err), CM_EINVAL);
	talloc_free(doc);
}
END_TEST

START_TEST(snapshot_json)
{
	cm_snapshot *s = run_view(ISTANBUL, CONTESTED, "AF", NULL);
	char *j = NULL;
	ck_assert_int_eq(cm_snapshot_to_json(tctx, s, &j, NULL), CM_OK);
	ck_assert_str_eq(j,
		"{\"schema\": 1, \"id\": \"istanbul_round3\", \"title\": \"Security understanding, Istanbul round\", "
		"\"at\": \"2025-11-22T00:00Z\", \"view\": \"AF\", \"commitments\": ["
		"{\"id\": \"no_safe_haven\", \"state\": \"active\", \"standing\": \"agreed\", "
		"\"modality\": \"must-prevent\", \"since\": \"2025-11-07T00:00Z\", "
		"\"cause\": {\"reason\": \"start\", \"event_line\": null, \"event_file\": null, "
		"\"commitment\": null}, \"excused_by\": []}, "
		"{\"id\": \"ceasefire\", \"state\": \"violated\", \"standing\": \"agreed\", "
		"\"modality\": \"must-not\", \"since\": \"2025-11-22T00:00Z\", "
		"\"cause\": {\"reason\": \"event\", \"event_line\": 2, \"event_file\": \"ev.txt\", "
		"\"commitment\": null}, \"excused_by\": []}, "
		"{\"id\": \"defensive_action\", \"state\": \"pending\", \"standing\": \"claimed\", "
		"\"modality\": \"may\", \"since\": null, \"cause\": null, \"excused_by\": []}]}");
	talloc_free(j);
	ck_assert_int_eq(cm_snapshot_to_json(tctx, NULL, &j, NULL), CM_EINVAL);
	ck_assert_ptr_null(cm_snapshot_id(s, 3));
	ck_assert_int_eq(cm_snapshot_state(s, 3), -1);
	ck_assert_ptr_null(cm_cause_reason_name(CM_CAUSE_NONE));
	ck_assert_str_eq(cm_cause_reason_name(CM_CAUSE_START), "start");
	talloc_free(s);
}
END_TEST

START_TEST(takes_effect_suspended)
{
	const char *text =
		"agreement d {\n"
		"  date 2025-01-10\n"
		"  party A \"A\"\n"
		"  party B \"B\"\n"
		"  commitment c { A must not x() unless alarm() within 30d }\n"
		"  commitment u { A must not x() unless alarm() within 30d until 2025-01-20 }\n"
		"}\n";
	const char *ev = "2025-01-01 alarm()\n";
	cm_snapshot *s = run_view(text, ev, NULL, "2025-01-10");
	expect(s, "c", P_SUSPENDED, "2025-01-10", CM_CAUSE_START);
	talloc_free(s);
	s = run_view(text, ev, NULL, "2025-02-01");
	expect(s, "c", P_ACTIVE, "2025-01-31", CM_CAUSE_CONDITION);
	/* a suspended prohibition reaching until unbroken is fulfilled */
	expect(s, "u", P_FULFILLED, "2025-01-21", CM_CAUSE_UNTIL);
	talloc_free(s);
}
END_TEST

START_TEST(snapshot_text)
{
	cm_snapshot *s = run_(ISTANBUL,
			      "2025-11-20 attack(by: TTP, from: AF, on: PK)\n");
	char *t = NULL;
	ck_assert_int_eq(cm_snapshot_to_text(tctx, s, &t, NULL), CM_OK);
	ck_assert_str_eq(t,
		"istanbul_round3 \"Security understanding, Istanbul round\": "
		"status at 2025-11-20T00:00Z (view all)\n"
		"  no_safe_haven     violated           since 2025-11-20T00:00Z  "
		"event at ev.txt:1\n"
		"  ceasefire         suspended          since 2025-11-20T00:00Z  "
		"condition on no_safe_haven, after the event at ev.txt:1\n"
		" not agreed (monitored, reported apart):\n"
		"  defensive_action  claimed active     since 2025-11-20T00:00Z  "
		"condition on no_safe_haven, after the event at ev.txt:1\n");
	talloc_free(t);
	talloc_free(s);
	/* no events: the default moment is the end of the agreement's date */
	s = run_(ISTANBUL, NULL);
	ck_assert_int_eq(cm_snapshot_to_text(tctx, s, &t, NULL), CM_OK);
	ck_assert_ptr_nonnull(
		strstr(t, ": status at 2025-11-07T23:59Z (view all)\n"));
	ck_assert_ptr_nonnull(strstr(t, "  ceasefire         active             "
					"since 2025-11-07T00:00Z"));
	ck_assert_ptr_nonnull(strstr(t, "claimed pending    since the start  "
					"not yet in effect\n"));
	talloc_free(t);
	talloc_free(s);
}
END_TEST

START_TEST(feed_arguments)
{
	cm_document *doc = parse_ok(ISTANBUL);
	cm_monitor *m;
	cm_error err;
	ck_assert_int_eq(cm_monitor_new(doc, cm_document_agreement(doc, 0),
					NULL, &m, &err), CM_OK);
	ck_assert_int_eq(cm_monitor_feed(m, 65536, T("2025-11-20"), "x", NULL,
					 NULL, 0, NULL, 0, NULL, 0, NULL, 0,
					 &err), CM_EINVAL);
	ck_assert_int_eq(cm_monitor_feed(m, 0, CM_TIME_NONE, "x", NULL, NULL,
					 0, NULL, 0, NULL, 0, NULL, 0, &err),
			 CM_EINVAL);
	ck_assert_int_eq(cm_monitor_feed(NULL, 0, T("2025-11-20"), "x", NULL,
					 NULL, 0, NULL, 0, NULL, 0, NULL, 0,
					 &err), CM_EINVAL);
	ck_assert_int_eq(cm_monitor_feed_text(m, 0, "", 0, &err), CM_ESYNTAX);
	ck_assert_int_eq(cm_monitor_advance(m, CM_TIME_NONE, &err), CM_EINVAL);
	ck_assert_int_eq(cm_monitor_snapshot(doc, NULL, NULL, &err), CM_EINVAL);
	ck_assert_int_eq(cm_monitor_add_document_events(m, NULL, &err),
			 CM_EINVAL);
	ck_assert_int_eq(cm_monitor_add_document_events(m, doc, &err), CM_OK);
	ck_assert_int_eq(cm_monitor_add_document_events(m, doc, &err),
			 CM_EINVAL);
	ck_assert_int_eq(cm_monitor_feed(m, 65535, T("2025-11-20"), "x", NULL,
					 NULL, 0, NULL, 0, NULL, 0, NULL, 0,
					 &err), CM_OK);
	ck_assert_int_eq(cm_monitor_add_events_file(m, "f", &err), CM_EINVAL);
	ck_assert_int_eq(cm_monitor_clock(NULL), CM_TIME_NONE);
	ck_assert_ptr_null(cm_monitor_view(NULL));
	talloc_free(doc);
}
END_TEST

START_TEST(top_level_events_of_the_same_file)
{
	const char *a =
		"events { 2025-01-01 fire(by: A) }\n"
		"agreement one {\n"
		"  party A \"A\"\n"
		"  party B \"B\"\n"
		"  commitment c { A must not fire() }\n"
		"}\n"
		"agreement two {\n"
		"  party A \"A\"\n"
		"  party B \"B\"\n"
		"  commitment c { A must not fire() }\n"
		"}\n";
	const char *b = "events { 2025-01-02 fire(by: A) }\n";
	cm_document *doc;
	cm_error err;
	ck_assert_int_eq(cm_document_new(tctx, &doc, &err), CM_OK);
	ck_assert_int_eq(cm_document_add_text(doc, a, strlen(a), "a.cmt", &err),
			 CM_OK);
	ck_assert_int_eq(cm_document_add_text(doc, b, strlen(b), "b.cmt", &err),
			 CM_OK);
	ck_assert_int_eq(cm_document_resolve(doc, &err), CM_OK);
	for (size_t i = 0; i < 2; i++) {
		cm_monitor *m;
		cm_snapshot *s;
		ck_assert_int_eq(cm_monitor_new(doc, cm_document_agreement(doc, i),
						NULL, &m, &err), CM_OK);
		ck_assert_int_eq(cm_monitor_add_document_events(m, doc, &err),
				 CM_OK);
		ck_assert_int_eq(cm_monitor_run(m, CM_TIME_NONE, &err), CM_OK);
		/* b.cmt's events are not a.cmt's agreements' */
		ck_assert_int_eq(cm_monitor_last_event_time(m), T("2025-01-01"));
		ck_assert_int_eq(cm_monitor_snapshot(doc, m, &s, &err), CM_OK);
		expect(s, "c", P_VIOLATED, "2025-01-01", CM_CAUSE_EVENT);
		expect_cause(s, "c", 1, "a.cmt", NULL);
	}
	talloc_free(doc);
}
END_TEST

START_TEST(excuse_first_right)
{
	const char *text =
		"agreement e {\n"
		"  party PK \"PK\"\n"
		"  party AF \"AF\"\n"
		"  commitment cf { PK must not strike(on: AF) }\n"
		"  commitment narrow { PK may strike(on: AF, against: TTP, in: x) }\n"
		"  commitment broad { PK may strike() }\n"
		"}\n";
	cm_snapshot *s = run_(text,
		"2025-01-01 strike(by: PK, on: AF, against: TTP, in: x)\n");
	expect(s, "cf", P_ACTIVE, NULL, CM_CAUSE_NONE);
	ck_assert_uint_eq(cm_snapshot_excused_count(s, idx(s, "cf")), 1);
	/* found second by the index (its key comes later in the event),
	 * first in declaration order */
	ck_assert_str_eq(cm_snapshot_excused_by(s, idx(s, "cf"), 0), "narrow");
	talloc_free(s);
}
END_TEST

START_TEST(same_date_file_order)
{
	const char *text =
		"agreement o {\n"
		"  party A \"A\"\n"
		"  party B \"B\"\n"
		"  commitment c { A must not fire() unless alarm() within 1d }\n"
		"}\n";
	cm_snapshot *s = run_(text, "2025-01-01 alarm()\n"
				    "2025-01-01 fire(by: A)\n");
	expect(s, "c", P_SUSPENDED, "2025-01-01", CM_CAUSE_CONDITION);
	talloc_free(s);
	s = run_(text, "2025-01-01 fire(by: A)\n"
		       "2025-01-01 alarm()\n");
	expect(s, "c", P_VIOLATED, "2025-01-01", CM_CAUSE_EVENT);
	expect_cause(s, "c", 1, "ev.txt", NULL);
	talloc_free(s);
}
END_TEST

#ifdef CM_FAULT_INJECTION
#include "util/alloc.h"

/* Every allocation of the monitor's entry points may fail: each failure
 * is CM_ENOMEM with nothing leaked and nothing handed out; a run that
 * fails leaves the monitor as it was, ready to run. */
START_TEST(alloc_failures)
{
	cm_document *doc = parse_ok(ISTANBUL);
	cm_agreement *a = cm_document_agreement(doc, 0);
	size_t before = talloc_total_blocks(tctx);
	cm_monitor *m = NULL;
	for (long n = 1;; n++) {
		cm_error err;
		cm__fault_inject(n, false);
		int rc = cm_monitor_new(tctx, a, "AF", &m, &err);
		long failed = cm__fault_failures();
		cm__fault_inject(0, false);
		if (!failed) {
			ck_assert_int_eq(rc, CM_OK);
			break;
		}
		ck_assert_int_eq(rc, CM_ENOMEM);
		ck_assert_uint_eq(talloc_total_blocks(tctx), before);
	}
	ck_assert_int_eq(cm_monitor_add_events_text(m, CONTESTED,
				 strlen(CONTESTED), "ev.txt", NULL), CM_OK);
	for (long n = 1;; n++) {
		cm_error err;
		cm__fault_inject(n, false);
		int rc = cm_monitor_run(m, CM_TIME_NONE, &err);
		long failed = cm__fault_failures();
		cm__fault_inject(0, false);
		if (!failed) {
			ck_assert_int_eq(rc, CM_OK);
			break;
		}
		ck_assert_int_eq(rc, CM_ENOMEM);
	}
	cm_snapshot *s = NULL;
	for (long n = 1;; n++) {
		cm__fault_inject(n, false);
		int rc = cm_monitor_snapshot(tctx, m, &s, NULL);
		long failed = cm__fault_failures();
		cm__fault_inject(0, false);
		if (!failed) {
			ck_assert_int_eq(rc, CM_OK);
			break;
		}
		ck_assert_int_eq(rc, CM_ENOMEM);
		ck_assert_ptr_null(s);
	}
	expect(s, "ceasefire", P_VIOLATED, "2025-11-22", CM_CAUSE_EVENT);
	for (int w = 0; w < 2; w++)
		for (long n = 1;; n++) {
			char *out = NULL;
			cm__fault_inject(n, false);
			int rc = w ? cm_snapshot_to_text(tctx, s, &out, NULL)
				   : cm_snapshot_to_json(tctx, s, &out, NULL);
			long failed = cm__fault_failures();
			cm__fault_inject(0, false);
			if (!failed) {
				ck_assert_int_eq(rc, CM_OK);
				talloc_free(out);
				break;
			}
			ck_assert_int_eq(rc, CM_ENOMEM);
			ck_assert_ptr_null(out);
		}
	talloc_free(s);
	talloc_free(m);
	/* live feeding: a failed feed changes nothing */
	ck_assert_int_eq(cm_monitor_new(tctx, a, NULL, &m, NULL), CM_OK);
	const char *line = "2025-11-20 attack(by: TTP, from: AF, on: PK)";
	for (long n = 1;; n++) {
		cm__fault_inject(n, false);
		int rc = cm_monitor_feed_text(m, 0, line, strlen(line), NULL);
		long failed = cm__fault_failures();
		cm__fault_inject(0, false);
		if (!failed) {
			ck_assert_int_eq(rc, CM_OK);
			break;
		}
		ck_assert_int_eq(rc, CM_ENOMEM);
	}
	ck_assert_int_eq(cm_monitor_snapshot(tctx, m, &s, NULL), CM_OK);
	expect(s, "no_safe_haven", P_VIOLATED, "2025-11-20", CM_CAUSE_EVENT);
	talloc_free(s);
	talloc_free(m);
	talloc_free(doc);
}
END_TEST
#endif

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
	tc = tcase_leakcheck(s, "verifier_with_wrong_role");
	tcase_add_test(tc, verifier_with_wrong_role);
	tc = tcase_leakcheck(s, "view_unknown_party");
	tcase_add_test(tc, view_unknown_party);
	tc = tcase_leakcheck(s, "deadline_met_at_last_minute");
	tcase_add_test(tc, deadline_met_at_last_minute);
	tc = tcase_leakcheck(s, "deadline_missed_by_a_minute");
	tcase_add_test(tc, deadline_missed_by_a_minute);
	tc = tcase_leakcheck(s, "deadline_passes_without_events");
	tcase_add_test(tc, deadline_passes_without_events);
	tc = tcase_leakcheck(s, "implicit_by_debtor");
	tcase_add_test(tc, implicit_by_debtor);
	tc = tcase_leakcheck(s, "within_counted_from_trigger");
	tcase_add_test(tc, within_counted_from_trigger);
	tc = tcase_leakcheck(s, "deadline_while_suspended_or_pending");
	tcase_add_test(tc, deadline_while_suspended_or_pending);
	tc = tcase_leakcheck(s, "deadline_before_until");
	tcase_add_test(tc, deadline_before_until);
	tc = tcase_leakcheck(s, "until_reached_unbroken");
	tcase_add_test(tc, until_reached_unbroken);
	tc = tcase_leakcheck(s, "from_and_date");
	tcase_add_test(tc, from_and_date);
	tc = tcase_leakcheck(s, "until_while_pending");
	tcase_add_test(tc, until_while_pending);
	tc = tcase_leakcheck(s, "suspension_and_resumption");
	tcase_add_test(tc, suspension_and_resumption);
	tc = tcase_leakcheck(s, "reciprocity_outlasts_guard");
	tcase_add_test(tc, reciprocity_outlasts_guard);
	tc = tcase_leakcheck(s, "prevention_matches_anyone");
	tcase_add_test(tc, prevention_matches_anyone);
	tc = tcase_leakcheck(s, "excuse_by_permission");
	tcase_add_test(tc, excuse_by_permission);
	tc = tcase_leakcheck(s, "chain_of_violations");
	tcase_add_test(tc, chain_of_violations);
	tc = tcase_leakcheck(s, "cause_atom_that_flipped");
	tcase_add_test(tc, cause_atom_that_flipped);
	tc = tcase_leakcheck(s, "counts_and_early_events");
	tcase_add_test(tc, counts_and_early_events);
	tc = tcase_leakcheck(s, "form_atoms");
	tcase_add_test(tc, form_atoms);
	tc = tcase_leakcheck(s, "free_text");
	tcase_add_test(tc, free_text);
	tc = tcase_leakcheck(s, "standing_not_agreed");
	tcase_add_test(tc, standing_not_agreed);
	tc = tcase_leakcheck(s, "sources_tie_order");
	tcase_add_test(tc, sources_tie_order);
	tc = tcase_leakcheck(s, "several_files_in_order");
	tcase_add_test(tc, several_files_in_order);
	tc = tcase_leakcheck(s, "malformed_line_nothing_applied");
	tcase_add_test(tc, malformed_line_nothing_applied);
	tc = tcase_leakcheck(s, "out_of_order_line");
	tcase_add_test(tc, out_of_order_line);
	tc = tcase_leakcheck(s, "snapshot_at");
	tcase_add_test(tc, snapshot_at);
	tc = tcase_leakcheck(s, "live_feed");
	tcase_add_test(tc, live_feed);
	tc = tcase_leakcheck(s, "snapshot_json");
	tcase_add_test(tc, snapshot_json);
	tc = tcase_leakcheck(s, "takes_effect_suspended");
	tcase_add_test(tc, takes_effect_suspended);
	tc = tcase_leakcheck(s, "snapshot_text");
	tcase_add_test(tc, snapshot_text);
	tc = tcase_leakcheck(s, "feed_arguments");
	tcase_add_test(tc, feed_arguments);
	tc = tcase_leakcheck(s, "top_level_events_of_the_same_file");
	tcase_add_test(tc, top_level_events_of_the_same_file);
	tc = tcase_leakcheck(s, "excuse_first_right");
	tcase_add_test(tc, excuse_first_right);
	tc = tcase_leakcheck(s, "same_date_file_order");
	tcase_add_test(tc, same_date_file_order);
#ifdef CM_FAULT_INJECTION
	tc = tcase_leakcheck(s, "alloc_failures");
	tcase_add_test(tc, alloc_failures);
#endif
	return s;
}

int main(void)
{
	return run_suite(monitor_suite());
}
