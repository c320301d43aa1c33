/*
 * SPEC 0.2, part 1: continuing duties and their breaches (§8.4),
 * quantities (§8.5), views without silence-as-assent (§8.6), debtors of
 * any role and proposed+rejected standing (§8.1), conflicts (§8.8), and
 * the breaches and history of the reports (§8.9) — with exact states,
 * causes, since and breach counts; the new static errors at their line
 * and column; fmt round trips of every new construct.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>

#include <stdbool.h>

#include "testutil.h"

#include "model/model.h"

/* ---- helpers ----------------------------------------------------------- */

static cm_time T(const char *s)
{
	cm_time t;
	ck_assert_int_eq(cm_time_parse(s, 0, &t), CM_OK);
	return t;
}

/* Monitor the first agreement of @p text in @p view over its own events
 * and @p events (a text "ev", may be NULL) up to @p at (a minute,
 * "YYYY-MM-DDTHH:MM", or NULL: the last event), with history. */
static cm_snapshot *run(const char *text, const char *events,
			const char *view, const char *at)
{
	cm_document *doc = parse_ok(text);
	cm_monitor *m = NULL;
	cm_error err;
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(cm_monitor_new(doc, cm_document_agreement(doc, 0),
					view, &m, &err), CM_OK);
	ck_assert_int_eq(cm_monitor_set_history(m, 1, &err), CM_OK);
	ck_assert(cm_monitor_history(m));
	ck_assert_int_eq(cm_monitor_add_document_events(m, doc, &err), CM_OK);
	if (events)
		ck_assert_int_eq(cm_monitor_add_events_text(m, events,
				 strlen(events), "ev", &err), CM_OK);
	int rc = cm_monitor_run(m, at ? T(at) : CM_TIME_NONE, &err);
	ck_assert_msg(rc == CM_OK, "run: %s", err.message);
	cm_snapshot *s = NULL;
	ck_assert_int_eq(cm_monitor_snapshot(tctx, m, &s, &err), CM_OK);
	talloc_free(doc);
	return s;
}

static size_t idx(const cm_snapshot *s, const char *id)
{
	for (size_t i = 0; i < cm_snapshot_count(s); i++)
		if (strcmp(cm_snapshot_id(s, i), id) == 0)
			return i;
	ck_abort_msg("no commitment %s", id);
	return 0;
}

static const char *tfmt(cm_time t, char *buf)
{
	if (t == CM_TIME_NONE)
		return "none";
	cm_time_format(t, buf, 32);
	return buf;
}

/* state, since ("YYYY-MM-DDTHH:MM" or NULL), reason, cause line,
 * cause commitment (or NULL), breaches */
static void expect(const cm_snapshot *s, const char *id, int state,
		   const char *since, int reason, int line,
		   const char *commitment, uint64_t breaches)
{
	size_t i = idx(s, id);
	char a[32], b[32];
	ck_assert_msg(cm_snapshot_state(s, i) == state, "%s: state %s, want %s",
		      id, cm_state_name(cm_snapshot_state(s, i)),
		      cm_state_name(state));
	cm_time want = since ? T(since) : CM_TIME_NONE;
	ck_assert_msg(cm_snapshot_since(s, i) == want, "%s: since %s, want %s",
		      id, tfmt(cm_snapshot_since(s, i), a), tfmt(want, b));
	ck_assert_msg(cm_snapshot_cause_reason(s, i) == reason,
		      "%s: reason %d, want %d", id,
		      cm_snapshot_cause_reason(s, i), reason);
	ck_assert_msg(cm_snapshot_cause_line(s, i) == line,
		      "%s: cause line %d, want %d", id,
		      cm_snapshot_cause_line(s, i), line);
	const char *c = cm_snapshot_cause_commitment(s, i);
	ck_assert_msg((c == NULL) == (commitment == NULL) &&
			      (!c || strcmp(c, commitment) == 0),
		      "%s: cause commitment %s, want %s", id, c ? c : "null",
		      commitment ? commitment : "null");
	ck_assert_msg(cm_snapshot_breach_count(s, i) == breaches,
		      "%s: %llu breaches, want %llu", id,
		      (unsigned long long)cm_snapshot_breach_count(s, i),
		      (unsigned long long)breaches);
	ck_assert_uint_eq(cm_snapshot_breach_list_count(s, i), breaches);
}

static void expect_last(const cm_snapshot *s, const char *id,
			const char *at, int line)
{
	size_t i = idx(s, id);
	char a[32];
	ck_assert_msg(cm_snapshot_last_breach_at(s, i) == T(at),
		      "%s: last breach %s, want %s", id,
		      tfmt(cm_snapshot_last_breach_at(s, i), a), at);
	ck_assert_int_eq(cm_snapshot_last_breach_line(s, i), line);
}

#define ACT CM_STATE_ACTIVE
#define PEN CM_STATE_PENDING
#define SUS CM_STATE_SUSPENDED
#define FUL CM_STATE_FULFILLED
#define VIO CM_STATE_VIOLATED
#define EXP CM_STATE_EXPIRED
#define NONE CM_CAUSE_NONE
#define EVENT CM_CAUSE_EVENT
#define COND CM_CAUSE_CONDITION
#define START CM_CAUSE_START
#define DEADLINE CM_CAUSE_DEADLINE
#define UNTIL CM_CAUSE_UNTIL

#define HEAD                                                                 \
	"agreement t {\n"                                                    \
	"  date 2025-01-01\n"                                                \
	"  party A \"A\" state\n"                                            \
	"  party B \"B\" state\n"                                            \
	"  mediator M \"M\" state\n"
/* HEAD is 5 lines: the next line is line 6 */

/* ---- §8.4: a ceasefire breached again and again ------------------------ */

START_TEST(repeated_breaches)
{
	cm_snapshot *s = run(HEAD "  commitment cf { A must not strike(on: B) }\n}\n",
			     "2025-01-05 strike(by: A, on: B)\n"
			     "2025-01-06 strike(by: A, on: B)\n"
			     "2025-01-06T10:00 patrol(by: A)\n"
			     "2025-02-01 strike(by: A, on: B)\n",
			     NULL, NULL);
	/* since and cause stay at the first breach; the count goes on */
	expect(s, "cf", VIO, "2025-01-05T00:00", EVENT, 1, NULL, 3);
	expect_last(s, "cf", "2025-02-01T00:00", 4);
	size_t i = idx(s, "cf");
	ck_assert_int_eq(cm_snapshot_breach_at(s, i, 1), T("2025-01-06T00:00"));
	ck_assert_int_eq(cm_snapshot_breach_line(s, i, 1), 2);
	ck_assert_str_eq(cm_snapshot_breach_file(s, i, 1), "ev");
	/* history: pending, active (start), violated (the first breach) */
	ck_assert_uint_eq(cm_snapshot_history_count(s, i), 3);
	ck_assert_int_eq(cm_snapshot_history_state(s, i, 0), PEN);
	ck_assert_int_eq(cm_snapshot_history_since(s, i, 0), CM_TIME_NONE);
	ck_assert_int_eq(cm_snapshot_history_reason(s, i, 0), NONE);
	ck_assert_int_eq(cm_snapshot_history_state(s, i, 1), ACT);
	ck_assert_int_eq(cm_snapshot_history_reason(s, i, 1), START);
	ck_assert_int_eq(cm_snapshot_history_since(s, i, 1), T("2025-01-01T00:00"));
	ck_assert_int_eq(cm_snapshot_history_state(s, i, 2), VIO);
	ck_assert_int_eq(cm_snapshot_history_line(s, i, 2), 1);
	ck_assert_str_eq(cm_snapshot_history_file(s, i, 2), "ev");
	ck_assert_ptr_null(cm_snapshot_history_commitment(s, i, 2));
	/* out of range */
	ck_assert_int_eq(cm_snapshot_history_state(s, i, 3), -1);
	ck_assert_int_eq(cm_snapshot_breach_at(s, i, 3), CM_TIME_NONE);
	ck_assert_int_eq(cm_snapshot_breach_count(s, 99), 0);
	/* rule 9: a breach counts for the exit code */
	ck_assert_uint_eq(cm_snapshot_violated_count(s), 1);
	talloc_free(s);
}
END_TEST

START_TEST(guard_suspends_a_violated_duty)
{
	const char *text = HEAD
		"  commitment cf { A must not strike(on: B) unless alarm() within 1d }\n"
		"}\n";
	const char *ev = "2025-01-05 strike(by: A, on: B)\n"
			 "2025-01-06 alarm()\n"
			 "2025-01-06T12:00 strike(by: A, on: B)\n";
	/* suspended: the strike while suspended is no breach */
	cm_snapshot *s = run(text, ev, NULL, "2025-01-06T23:59");
	expect(s, "cf", SUS, "2025-01-06T00:00", COND, 2, NULL, 1);
	talloc_free(s);
	/* the window ends at 2025-01-07 00:00: back to violated (it has a
	 * breach), that moment as since, the condition as cause */
	s = run(text, ev, NULL, "2025-01-07T00:00");
	expect(s, "cf", VIO, "2025-01-07T00:00", COND, 0, NULL, 1);
	size_t i = idx(s, "cf");
	ck_assert_uint_eq(cm_snapshot_history_count(s, i), 5);
	ck_assert_int_eq(cm_snapshot_history_state(s, i, 3), SUS);
	ck_assert_int_eq(cm_snapshot_history_state(s, i, 4), VIO);
	talloc_free(s);
	/* a breach-free duty returns to active */
	s = run(text, "2025-01-06 alarm()\n", NULL, "2025-01-07T00:00");
	expect(s, "cf", ACT, "2025-01-07T00:00", COND, 0, NULL, 0);
	talloc_free(s);
}
END_TEST

START_TEST(until_rule_5)
{
	const char *text = HEAD
		"  commitment kept { A must not x() until 2025-01-10 }\n"
		"  commitment broken { A must not x(on: B) until 2025-01-10 }\n"
		"  commitment susp { A must not y() unless alarm() until 2025-01-10 }\n"
		"  commitment later { A must not z() from 2025-02-01 until 2025-01-20 }\n"
		"}\n";
	cm_snapshot *s = run(text,
			     "2025-01-03 x(by: A, on: B)\n"
			     "2025-01-04 y(by: A)\n"
			     "2025-01-05 alarm()\n"
			     "2025-01-11 x(by: A, on: B)\n",
			     NULL, "2025-01-31T00:00");
	/* kept: no breach -> fulfilled at until + 1 minute; the event of
	 * line 1 names x(on: B), which matches `kept` too: a breach */
	expect(s, "kept", VIO, "2025-01-03T00:00", EVENT, 1, NULL, 1);
	/* violated at until: terminal, since unchanged, later events no
	 * longer count */
	expect(s, "broken", VIO, "2025-01-03T00:00", EVENT, 1, NULL, 1);
	/* suspended with a breach at until: violated, cause until */
	expect(s, "susp", VIO, "2025-01-11T00:00", UNTIL, 0, NULL, 1);
	/* pending at until: expired */
	expect(s, "later", EXP, "2025-01-21T00:00", UNTIL, 0, NULL, 0);
	talloc_free(s);
	s = run(text, "2025-01-05 alarm()\n", NULL, "2025-01-31T00:00");
	expect(s, "kept", FUL, "2025-01-11T00:00", UNTIL, 0, NULL, 0);
	expect(s, "susp", FUL, "2025-01-11T00:00", UNTIL, 0, NULL, 0);
	talloc_free(s);
}
END_TEST

START_TEST(reciprocal_unwindowed_rule_7)
{
	const char *text = HEAD
		"  commitment a { A must not x() unless peace() }\n"
		"  commitment b { B must not y() reciprocal a }\n"
		"}\n";
	/* a is breached, then suspended by its own guard: b stays
	 * suspended (it has had a breach; a's state does not matter) */
	cm_snapshot *s = run(text, "2025-01-02 x(by: A)\n2025-01-03 peace()\n"
			     "2025-01-04 y(by: B)\n", NULL, NULL);
	expect(s, "a", SUS, "2025-01-03T00:00", COND, 2, NULL, 1);
	expect(s, "b", SUS, "2025-01-02T00:00", COND, 1, "a", 0);
	talloc_free(s);
}
END_TEST

START_TEST(reciprocal_window_exact_minute)
{
	const char *text = HEAD
		"  commitment pk { A must not strike(on: B) reciprocal af within 30d }\n"
		"  commitment af { B must not strike(on: A) }\n"
		"}\n";
	const char *ev = "2025-01-10T08:00 strike(by: B, on: A)\n"
			 "2025-01-20T08:00 strike(by: B, on: A)\n";
	/* in the window of the later breach until 2025-02-19 08:00 */
	cm_snapshot *s = run(text, ev, NULL, "2025-02-19T07:59");
	expect(s, "pk", SUS, "2025-01-10T08:00", COND, 1, "af", 0);
	expect(s, "af", VIO, "2025-01-10T08:00", EVENT, 1, NULL, 2);
	talloc_free(s);
	s = run(text, ev, NULL, "2025-02-19T08:00");
	expect(s, "pk", ACT, "2025-02-19T08:00", COND, 0, "af", 0);
	talloc_free(s);
	/* a strike by A inside the window is no breach of pk (suspended) */
	s = run(text, "2025-01-10T08:00 strike(by: B, on: A)\n"
		      "2025-01-11 strike(by: A, on: B)\n"
		      "2025-03-01 strike(by: A, on: B)\n", NULL, NULL);
	expect(s, "pk", VIO, "2025-03-01T00:00", EVENT, 3, NULL, 1);
	/* and now af is suspended? no: af has no reciprocal link */
	expect(s, "af", VIO, "2025-01-10T08:00", EVENT, 1, NULL, 1);
	talloc_free(s);
}
END_TEST

START_TEST(missed_deadline_is_a_breach)
{
	const char *text = HEAD
		"  commitment verify { M must report() by 2025-01-10 }\n"
		"  commitment hold { A must not x() reciprocal verify within 5d }\n"
		"  commitment late { B must send() by 2025-01-10 while peace() }\n"
		"}\n";
	cm_snapshot *s = run(text, NULL, NULL, "2025-01-15T23:59");
	/* rule 39: at the deadline + 1 minute, no event */
	expect(s, "verify", VIO, "2025-01-11T00:00", DEADLINE, 0, NULL, 1);
	expect_last(s, "verify", "2025-01-11T00:00", 0);
	ck_assert_ptr_null(cm_snapshot_last_breach_file(s, idx(s, "verify")));
	/* a missed deadline suspends the other side for N */
	expect(s, "hold", SUS, "2025-01-11T00:00", COND, 0, "verify", 0);
	/* a deadline passing while suspended expires: no breach */
	expect(s, "late", EXP, "2025-01-11T00:00", DEADLINE, 0, NULL, 0);
	talloc_free(s);
	s = run(text, NULL, NULL, "2025-01-16T00:00");
	expect(s, "hold", ACT, "2025-01-16T00:00", COND, 0, "verify", 0);
	talloc_free(s);
}
END_TEST

START_TEST(breach_atoms)
{
	const char *text = HEAD
		"  commitment cf { B must not strike(on: A) }\n"
		"  commitment material { A may respond() if breaches(cf) >= 3 within 30d }\n"
		"  commitment recent { A must not strike(on: B) unless breached(cf) within 2d }\n"
		"  commitment ever { A must talk() if breached(cf) }\n"
		"  commitment few { A must not y() while breaches(cf) < 2 }\n"
		"}\n";
	const char *ev = "2025-01-01 strike(by: B, on: A)\n"
			 "2025-01-20 strike(by: B, on: A)\n"
			 "2025-02-05 strike(by: B, on: A)\n"
			 "2025-02-06 strike(by: B, on: A)\n";
	cm_snapshot *s = run(text, ev, NULL, "2025-02-06T23:59");
	expect(s, "cf", VIO, "2025-01-01T00:00", EVENT, 1, NULL, 4);
	/* three within 30 days first at 02-05 (01-20, 02-05 ... no: 01-01
	 * left at 01-31): 01-20, 02-05, 02-06 -> at 02-06 */
	expect(s, "material", ACT, "2025-02-06T00:00", COND, 4, "cf", 0);
	expect(s, "recent", SUS, "2025-02-05T00:00", COND, 3, "cf", 0);
	expect(s, "ever", ACT, "2025-01-01T00:00", COND, 1, "cf", 0);
	expect(s, "few", SUS, "2025-01-20T00:00", COND, 2, "cf", 0);
	talloc_free(s);
	/* the 2-day window of `recent` leaves at 02-08 00:00 exactly */
	s = run(text, ev, NULL, "2025-02-08T00:00");
	expect(s, "recent", ACT, "2025-02-08T00:00", COND, 0, "cf", 0);
	talloc_free(s);
	s = run(text, ev, NULL, "2025-02-07T23:59");
	expect(s, "recent", SUS, "2025-02-05T00:00", COND, 3, "cf", 0);
	talloc_free(s);
}
END_TEST

START_TEST(excuses_and_standing)
{
	const char *text = HEAD
		"  commitment cf { A must not strike(on: B) }\n"
		"  commitment r1 { A may strike(on: B, at: x) }\n"
		"  commitment r2 { A may strike(at: x) }\n"
		"  commitment prop { A must not strike(on: B) proposed by A }\n"
		"  commitment right { A may strike(on: B, at: y) claimed }\n"
		"  commitment txt { A must not \"strike\" }\n"
		"}\n";
	cm_snapshot *s = run(text, "2025-01-02 strike(by: A, on: B, at: x)\n"
			     "2025-01-03 strike(by: A, on: B, at: y)\n",
			     NULL, NULL);
	/* rule 40: the first right excuses; an excused event is no breach;
	 * a claimed right excuses nothing */
	expect(s, "cf", VIO, "2025-01-03T00:00", EVENT, 2, NULL, 1);
	size_t i = idx(s, "cf");
	ck_assert_uint_eq(cm_snapshot_excused_count(s, i), 1);
	ck_assert_str_eq(cm_snapshot_excused_by(s, i, 0), "r1");
	/* rule 23: breaches of a commitment that is not agreed count;
	 * rights and free text have none */
	expect(s, "prop", VIO, "2025-01-03T00:00", EVENT, 2, NULL, 1);
	ck_assert_uint_eq(cm_snapshot_breach_count(s, idx(s, "r1")), 0);
	ck_assert_uint_eq(cm_snapshot_breach_count(s, idx(s, "txt")), 0);
	ck_assert_int_eq(cm_snapshot_last_breach_at(s, idx(s, "r1")),
			 CM_TIME_NONE);
	/* only agreed ones count for the exit code */
	ck_assert_uint_eq(cm_snapshot_violated_count(s), 1);
	talloc_free(s);
}
END_TEST

/* ---- §8.5: quantities -------------------------------------------------- */

START_TEST(quantities)
{
	const char *text = HEAD
		"  commitment gt { A must not enrich(level: > 3.67) }\n"
		"  commitment eq { A must not weigh(kg: == 300) }\n"
		"  commitment lit { A must not weigh(kg: 300) }\n"
		"  commitment neg { A must not drop(t: <= -0) }\n"
		"  commitment cnt { B may react() if count(attack(fatalities: >= 5)) >= 1 }\n"
		"}\n";
	cm_snapshot *s = run(text,
			     "2025-01-02 enrich(by: A, level: 3.670)\n"
			     "2025-01-03 enrich(by: A, level: high)\n"
			     "2025-01-04 weigh(by: A, kg: 300.0)\n"
			     "2025-01-05 drop(by: A, t: 0.0)\n"
			     "2025-01-06 attack(fatalities: \"4\")\n"
			     "2025-01-07 enrich(by: A, level: \"3.6700001\")\n"
			     "2025-01-08 attack(fatalities: \"05\")\n",
			     NULL, NULL);
	/* 3.670 equals 3.67 (not above); "high" is no number; the quoted
	 * 3.6700001 is one (rule 25) */
	expect(s, "gt", VIO, "2025-01-07T00:00", EVENT, 6, NULL, 1);
	/* == 300 matches 300.0 (a comparison); the value 300 only the text */
	expect(s, "eq", VIO, "2025-01-04T00:00", EVENT, 3, NULL, 1);
	expect(s, "lit", ACT, "2025-01-01T00:00", START, 0, NULL, 0);
	/* -0 is 0 */
	expect(s, "neg", VIO, "2025-01-05T00:00", EVENT, 4, NULL, 1);
	expect(s, "cnt", ACT, "2025-01-08T00:00", COND, 7, NULL, 0);
	talloc_free(s);
	/* a comparison and the value it names are different atoms */
	s = run(HEAD "  commitment eq { A must x() if y(n: 3) }\n"
		"  commitment gt { A must x() if y(n: > 3) }\n}\n",
		"2025-01-02 y(n: 4)\n", NULL, NULL);
	expect(s, "eq", PEN, NULL, NONE, 0, NULL, 0);
	expect(s, "gt", ACT, "2025-01-02T00:00", COND, 1, NULL, 0);
	talloc_free(s);
}
END_TEST

/* ---- §8.6: views -------------------------------------------------------- */

START_TEST(views_without_silence_as_assent)
{
	const char *text = HEAD
		"  commitment cf { B must not strike(on: A) }\n"
		"}\n";
	const char *alleged = "2025-01-02 strike(by: B, on: A) reported by A\n";
	/* A's own report is in A's view; in B's it is A's allegation */
	cm_snapshot *s = run(text, alleged, "A", NULL);
	expect(s, "cf", VIO, "2025-01-02T00:00", EVENT, 1, NULL, 1);
	talloc_free(s);
	s = run(text, alleged, "B", NULL);
	expect(s, "cf", ACT, "2025-01-01T00:00", START, 0, NULL, 0);
	talloc_free(s);
	/* the mediator's view: not a reporter, silence is not assent */
	s = run(text, alleged, "M", NULL);
	expect(s, "cf", ACT, "2025-01-01T00:00", START, 0, NULL, 0);
	talloc_free(s);
	/* a verified allegation is in every party's view, but not the
	 * denier's */
	const char *verified = "2025-01-02 strike(by: B, on: A) reported by A "
			       "verified by M\n";
	s = run(text, verified, "B", NULL);
	expect(s, "cf", VIO, "2025-01-02T00:00", EVENT, 1, NULL, 1);
	talloc_free(s);
	s = run(text, "2025-01-02 strike(by: B, on: A) reported by A "
		      "denied by B verified by M\n", "B", NULL);
	expect(s, "cf", ACT, "2025-01-01T00:00", START, 0, NULL, 0);
	talloc_free(s);
	/* the public record; a reporter the agreement does not declare is
	 * dropped first (rule 24): public record again */
	s = run(text, "2025-01-02 strike(by: B, on: A)\n"
		      "2025-01-03 strike(by: B, on: A) reported by ZZ\n", "B",
		NULL);
	expect(s, "cf", VIO, "2025-01-02T00:00", EVENT, 1, NULL, 2);
	talloc_free(s);
	/* a party this agreement does not declare: public and verified */
	s = run(text, "2025-01-02 strike(by: B, on: A) reported by A\n"
		      "2025-01-03 strike(by: B, on: A)\n", "ZZ", NULL);
	expect(s, "cf", VIO, "2025-01-03T00:00", EVENT, 2, NULL, 1);
	talloc_free(s);
}
END_TEST

/* ---- §8.1: debtors and standing --------------------------------------- */

START_TEST(mediator_duty_missed)
{
	cm_snapshot *s = run(HEAD
			     "  commitment verify { M must report(on: cf) within 30d }\n"
			     "  commitment cf { A must not strike(on: B) }\n"
			     "}\n",
			     "2025-01-20 report(by: A, on: cf)\n", NULL,
			     "2025-03-01T00:00");
	/* only the debtor's report fulfils (implicit by: M) */
	expect(s, "verify", VIO, "2025-01-31T00:01", DEADLINE, 0, NULL, 1);
	talloc_free(s);
}
END_TEST

START_TEST(proposed_and_rejected)
{
	cm_document *doc = parse_ok(HEAD
		"  commitment c { A must x() proposed by A, M rejected by B }\n"
		"  commitment d { A must x() rejected by B proposed by A }\n"
		"}\n");
	cm_agreement *a = cm_document_agreement(doc, 0);
	const cm_commitment *c = cm_agreement_find_commitment(a, "c");
	ck_assert_int_eq(cm_commitment_standing(c), CM_STANDING_REJECTED);
	ck_assert_uint_eq(c->standing_by.n, 1);
	ck_assert_str_eq(c->standing_by.v[0].s, "B");
	ck_assert_uint_eq(c->proposed_also.n, 2);
	char *t = NULL;
	ck_assert_int_eq(cm_agreement_to_text(tctx, a, &t, NULL), CM_OK);
	ck_assert_ptr_nonnull(strstr(t, "    rejected by B\n    proposed by A, M\n"));
	talloc_free(t);
	talloc_free(doc);
	parse_fails(HEAD "  commitment c { A must x() proposed by A rejected by B"
		    " proposed by B }\n}\n", CM_ESEMANTIC, 6, 57,
		    "standing given twice");
	parse_fails(HEAD "  commitment c { A must x() claimed rejected by B }\n}\n",
		    CM_ESEMANTIC, 6, 37, "standing given twice");
}
END_TEST

/* ---- static errors ------------------------------------------------------ */

START_TEST(static_errors)
{
	/* a numeric comparison whose bound is not a number */
	parse_fails(HEAD "  commitment c { A must not x(n: > high) }\n}\n",
		    CM_ESEMANTIC, 6, 36, "a number");
	parse_fails(HEAD "  commitment c { A must not x(n: >= \"3\") }\n}\n",
		    CM_ESEMANTIC, 6, 37, "a number");
	/* events carry values, never comparisons */
	parse_fails(HEAD "  events { 2025-01-02 x(n: > 3) }\n}\n",
		    CM_ESYNTAX, 6, 28, "a value");
	/* one windowed reciprocal item */
	parse_fails(HEAD "  commitment c { A must not x() reciprocal d within 1d"
		    " reciprocal d within 2d }\n"
		    "  commitment d { B must not y() }\n}\n",
		    CM_ESEMANTIC, 6, 69, "given twice");
	parse_fails(HEAD "  commitment c { A must not x() reciprocal d within }\n}\n",
		    CM_ESYNTAX, 6, 53, "a duration");
	/* breaches bound: count's rule */
	parse_fails(HEAD "  commitment c { A must not x() if breaches(c) >= 1.5 }\n}\n",
		    CM_ERANGE, 6, 51, "not an integer");
	parse_fails(HEAD "  commitment c { A must not x() if breaches(c) 3 }\n}\n",
		    CM_ESYNTAX, 6, 48, "a comparison");
	/* unknown commitment, a party */
	parse_fails(HEAD "  commitment c { A must not x() if breached(zz) }\n}\n",
		    CM_ESEMANTIC, 6, 45, "unknown commitment 'zz' in 'breached(zz)'");
	parse_fails(HEAD "  commitment c { A must not x() if breaches(B) > 0 }\n}\n",
		    CM_ESEMANTIC, 6, 45, "(it is a party)");
	/* guard cycles count breach atoms */
	parse_fails(HEAD "  commitment c { A must not x() while not breached(d) }\n"
		    "  commitment d { B must not y() unless breaches(c) > 1 within 2d }\n}\n",
		    CM_ESEMANTIC, 6, 52, "cycle of guard references");
	/* an actor still cannot owe */
	parse_fails("agreement t {\n  party A \"A\"\n  actor G \"G\"\n"
		    "  commitment c { G must not x() }\n}\n",
		    CM_ESEMANTIC, 4, 18, "is an actor");
	/* `breached(x, y)` is an action, not an atom */
	cm_document *d = parse_ok(HEAD "  commitment c { A must not x() if breached(by: B) }\n}\n");
	talloc_free(d);
}
END_TEST

/* ---- fmt round trip ----------------------------------------------------- */

START_TEST(fmt_round_trip)
{
	const char *text =
		"agreement t {\n"
		"  date 2025-01-01\n"
		"  party A \"A\" state\n"
		"  party B \"B\" state\n"
		"  mediator M \"M\" state\n"
		"\n"
		"  commitment a {\n"
		"    A must not enrich(level: > 3.67, kg: <= -300.5, n: == 3, m: != 0, x: >= 1, y: < 2)\n"
		"    reciprocal b\n"
		"    reciprocal c, b within 30d\n"
		"    reciprocal c\n"
		"  }\n"
		"\n"
		"  commitment b {\n"
		"    B must not strike(on: A)\n"
		"    while not breached(c)\n"
		"    unless breaches(c) >= 3 within 30d or breached(c) within 12h\n"
		"  }\n"
		"\n"
		"  commitment c {\n"
		"    M must report(on: a)\n"
		"    if breaches(a) != 0\n"
		"    rejected by B\n"
		"    proposed by A, M\n"
		"  }\n"
		"}\n";
	cm_document *doc = parse_ok(text);
	char *out = NULL;
	ck_assert_int_eq(cm_document_to_text(tctx, doc, &out, NULL), CM_OK);
	ck_assert_str_eq(out, text);
	talloc_free(out);
	/* a built agreement writes the same */
	cm_agreement *a = NULL;
	cm_error err;
	ck_assert_int_eq(cm_agreement_new(tctx, "t", NULL, &a, &err), CM_OK);
	ck_assert_int_eq(cm_agreement_add_party(a, "A", "A", CM_ROLE_PARTY,
						CM_KIND_STATE, &err), CM_OK);
	ck_assert_int_eq(cm_agreement_add_party(a, "M", "M", CM_ROLE_MEDIATOR,
						CM_KIND_STATE, &err), CM_OK);
	cm_commitment *c = NULL, *d = NULL;
	ck_assert_int_eq(cm_agreement_add_commitment(a, "c", "M", CM_MUST, &c,
						     &err), CM_OK);
	ck_assert_int_eq(cm_commitment_set_action(c, "report(n: > 2)", &err),
			 CM_OK);
	ck_assert_int_eq(cm_agreement_add_commitment(a, "d", "A", CM_MUST_NOT,
						     &d, &err), CM_OK);
	ck_assert_int_eq(cm_commitment_set_action(d, "x()", &err), CM_OK);
	ck_assert_int_eq(cm_commitment_add_reciprocal_within(d, "c", 1440,
							     &err), CM_OK);
	ck_assert_int_eq(cm_commitment_add_reciprocal_within(d, "c", 60, &err),
			 CM_EINVAL);
	ck_assert_int_eq(cm_commitment_add_reciprocal_within(d, "c", -1, &err),
			 CM_EINVAL);
	cm_condition *n1 = NULL, *n2 = NULL, *n3 = NULL;
	ck_assert_int_eq(cm_condition_new_breached(d, "c", -1, &n1, &err), CM_OK);
	ck_assert_int_eq(cm_condition_new_breaches(d, "c", CM_CMP_LT, 4, 120,
						   &n2, &err), CM_OK);
	ck_assert_int_eq(cm_condition_new_binary(d, CM_CT_OR, n1, n2, &n3,
						 &err), CM_OK);
	ck_assert_int_eq(cm_condition_type(n1), CM_CT_BREACHED);
	ck_assert_int_eq(cm_condition_type(n2), CM_CT_BREACHES);
	ck_assert_int_eq(cm_commitment_add_condition_node(d, CM_COND_UNLESS, n3,
							  &err), CM_OK);
	ck_assert_int_eq(cm_condition_new_breaches(d, "c", CM_CMP_LT, -1, -1,
						   &n2, &err), CM_ERANGE);
	ck_assert_int_eq(cm_condition_new_breached(d, "no id", -1, &n2, &err),
			 CM_EINVAL);
	ck_assert_int_eq(cm_agreement_validate(a, &err), CM_OK);
	ck_assert_int_eq(cm_agreement_to_text(tctx, a, &out, NULL), CM_OK);
	ck_assert_str_eq(out,
		"agreement t {\n"
		"  party A \"A\" state\n"
		"  mediator M \"M\" state\n"
		"\n"
		"  commitment c {\n"
		"    M must report(n: > 2)\n"
		"  }\n"
		"\n"
		"  commitment d {\n"
		"    A must not x()\n"
		"    unless breached(c) or breaches(c) < 4 within 2h\n"
		"    reciprocal c within 1d\n"
		"  }\n"
		"}\n");
	talloc_free(out);
	talloc_free(a);
	talloc_free(doc);
}
END_TEST

/* ---- history: checkpoints and JSON --------------------------------------- */

START_TEST(history_json)
{
	cm_snapshot *s = run(HEAD
			     "  commitment cf { A must not x() unless y() within 1d }\n"
			     "}\n",
			     "2025-01-02 x(by: A)\n2025-01-02 y()\n", NULL,
			     "2025-01-03T00:00");
	char *j = NULL;
	ck_assert_int_eq(cm_snapshot_to_json(tctx, s, &j, NULL), CM_OK);
	ck_assert_ptr_nonnull(strstr(j,
		"\"breaches\": 1, \"last_breach\": {\"at\": \"2025-01-02T00:00Z\", "
		"\"event_line\": 1, \"event_file\": \"ev\"}, \"history\": ["
		"{\"state\": \"pending\", \"since\": null, \"cause\": null}, "
		"{\"state\": \"active\", \"since\": \"2025-01-01T00:00Z\", \"cause\": "
		"{\"reason\": \"start\", \"event_line\": null, \"event_file\": null, "
		"\"commitment\": null}}, "
		"{\"state\": \"violated\", \"since\": \"2025-01-02T00:00Z\", \"cause\": "
		"{\"reason\": \"event\", \"event_line\": 1, \"event_file\": \"ev\", "
		"\"commitment\": null}}, "
		"{\"state\": \"suspended\", \"since\": \"2025-01-02T00:00Z\", \"cause\": "
		"{\"reason\": \"condition\", \"event_line\": 2, \"event_file\": \"ev\", "
		"\"commitment\": null}}, "
		"{\"state\": \"violated\", \"since\": \"2025-01-03T00:00Z\", \"cause\": "
		"{\"reason\": \"condition\", \"event_line\": null, \"event_file\": null, "
		"\"commitment\": null}}], "
		"\"breach_list\": [{\"at\": \"2025-01-02T00:00Z\", \"event_line\": 1, "
		"\"event_file\": \"ev\"}]}"));
	ck_assert(cm_snapshot_has_history(s));
	talloc_free(j);
	talloc_free(s);
	/* set_history: only before the first event */
	cm_document *doc = parse_ok(HEAD "  commitment c { A must not x() }\n}\n");
	cm_monitor *m = NULL;
	cm_error err;
	ck_assert_int_eq(cm_monitor_new(doc, cm_document_agreement(doc, 0),
					NULL, &m, &err), CM_OK);
	ck_assert_int_eq(cm_monitor_set_history(NULL, 1, &err), CM_EINVAL);
	ck_assert_int_eq(cm_monitor_set_history(m, 0, &err), CM_OK);
	ck_assert(!cm_monitor_history(m));
	ck_assert_int_eq(cm_monitor_feed_text(m, 0, "2025-01-02 x(by: A)", 19,
					      &err), CM_OK);
	ck_assert_int_eq(cm_monitor_set_history(m, 1, &err), CM_EINVAL);
	cm_snapshot *s2 = NULL;
	ck_assert_int_eq(cm_monitor_snapshot(doc, m, &s2, &err), CM_OK);
	ck_assert(!cm_snapshot_has_history(s2));
	ck_assert_uint_eq(cm_snapshot_breach_count(s2, 0), 1);
	ck_assert_uint_eq(cm_snapshot_history_count(s2, 0), 0);
	ck_assert_uint_eq(cm_snapshot_breach_list_count(s2, 0), 0);
	/* no history: no history keys */
	ck_assert_int_eq(cm_snapshot_to_json(doc, s2, &j, NULL), CM_OK);
	ck_assert_ptr_null(strstr(j, "\"history\""));
	ck_assert_ptr_nonnull(strstr(j, "\"breaches\": 1"));
	talloc_free(doc);
}
END_TEST

/* ---- §8.8: conflicts ---------------------------------------------------- */

static cm_analysis *analyze(const char *text)
{
	cm_document *doc = parse_ok(text);
	cm_analysis *an = NULL;
	cm_error err;
	ck_assert_int_eq(cm_analyze(doc, cm_document_agreement(doc, 0), &an,
				    &err), CM_OK);
	return an;
}

START_TEST(conflicts)
{
	cm_analysis *an = analyze(HEAD
		"  commitment no { A must not strike(on: B, n: > 3) }\n"
		"  commitment yes { A must strike(on: B) }\n"
		"  commitment right { A may strike(n: >= 5) }\n"
		"  commitment low { A may strike(n: <= 3) }\n"
		"  commitment point { A may strike(n: == 3.5) }\n"
		"  commitment other { B may strike(on: B) }\n"
		"  commitment byb { A must strike(by: B) }\n"
		"  commitment prev { A must prevent strike(on: B) }\n"
		"  commitment byb2 { A may strike(by: B) }\n"
		"  commitment txt { A may \"strike\" }\n"
		"  commitment prop { A may strike() proposed by A }\n"
		"  commitment lvl { A must strike(n: \"4\") }\n"
		"  commitment word { A must strike(n: four) }\n"
		"}\n");
	static const char *const want[][3] = {
		{"obligation-prohibition", "no", "yes"},
		{"exception", "no", "right"},
		{"exception", "no", "point"},
		{"obligation-prohibition", "no", "lvl"},
		{"obligation-prohibition", "yes", "prev"},
		{"exception", "right", "prev"},
		{"exception", "low", "prev"},
		{"exception", "point", "prev"},
		{"obligation-prohibition", "byb", "prev"},
		{"exception", "prev", "byb2"},
		{"obligation-prohibition", "prev", "lvl"},
		{"obligation-prohibition", "prev", "word"},
	};
	size_t n = sizeof(want) / sizeof(want[0]);
	for (size_t k = 0; k < cm_analysis_conflict_count(an) && k < n; k++)
		ck_assert_msg(strcmp(cm_analysis_conflict_kind(an, k), want[k][0]) == 0 &&
			      strcmp(cm_analysis_conflict_first(an, k), want[k][1]) == 0 &&
			      strcmp(cm_analysis_conflict_second(an, k), want[k][2]) == 0,
			      "conflict %zu: %s %s %s, want %s %s %s", k,
			      cm_analysis_conflict_kind(an, k),
			      cm_analysis_conflict_first(an, k),
			      cm_analysis_conflict_second(an, k), want[k][0],
			      want[k][1], want[k][2]);
	ck_assert_uint_eq(cm_analysis_conflict_count(an), n);
	ck_assert_ptr_null(cm_analysis_conflict_kind(an, n));
	ck_assert_ptr_null(cm_analysis_conflict_first(NULL, 0));
	ck_assert_uint_eq(cm_analysis_conflict_count(NULL), 0);
	char *j = NULL;
	ck_assert_int_eq(cm_analysis_to_json(tctx, an, &j, NULL), CM_OK);
	ck_assert_ptr_nonnull(strstr(j, "\"conflicts\": [{\"kind\": "
				     "\"obligation-prohibition\", \"commitments\": "
				     "[\"no\", \"yes\"]}, "));
	talloc_free(j);
	ck_assert_int_eq(cm_analysis_to_text(tctx, an, &j, NULL), CM_OK);
	ck_assert_ptr_nonnull(strstr(j, "  conflict (exception): no and right\n"));
	talloc_free(j);
	talloc_free(talloc_parent(an));
}
END_TEST

START_TEST(conflict_ranges)
{
	/* two comparisons meet when some decimal satisfies both */
	static const struct {
		const char *a, *b;
		bool meet;
	} cases[] = {
		{"> 3", "< 3", false},     {"> 3", "<= 3", false},
		{">= 3", "<= 3", true},    {"> 3", "< 3.0001", true},
		{"== 3", "!= 3.0", false}, {"!= 3", "!= 3", true},
		{"!= 3", "== 4", true},    {"> -1", "< -0.5", true},
		{">= 2.50", "<= 2.5", true}, {"< 1", "> 1", false},
		{"== 1", "== 1.0", true},  {"== 1", "== 2", false},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		char text[512];
		snprintf(text, sizeof(text), HEAD
			 "  commitment p { A must not x(n: %s) }\n"
			 "  commitment q { A must x(n: %s) }\n}\n",
			 cases[k].a, cases[k].b);
		cm_analysis *an = analyze(text);
		ck_assert_msg(cm_analysis_conflict_count(an) ==
				      (cases[k].meet ? 1u : 0u),
			      "%s vs %s", cases[k].a, cases[k].b);
		talloc_free(talloc_parent(an));
	}
}
END_TEST

START_TEST(analysis_breach_atoms)
{
	/* no event occurs: breached is false, breaches(X) is 0 */
	cm_analysis *an = analyze(HEAD
		"  commitment a { A must x() if breaches(b) < 1 }\n"
		"  commitment b { B must not y() }\n"
		"  commitment c { B must z() if breached(b) }\n"
		"}\n");
	ck_assert_int_eq(cm_analysis_commitment_state(an, 0), CM_STATE_FULFILLED);
	ck_assert_int_eq(cm_analysis_commitment_state(an, 2), CM_STATE_PENDING);
	ck_assert_uint_eq(cm_analysis_deadlock_count(an), 0);
	talloc_free(talloc_parent(an));
	/* the synthetic event of a must with a comparison matches a
	 * condition whose range meets it */
	an = analyze(HEAD
		"  commitment a { A must x(level: >= 5) }\n"
		"  commitment b { B must y() if x(level: > 4) }\n"
		"  commitment c { B must z() if x(level: < 5) }\n"
		"  commitment d { B must w() if x(by: A, level: 5.0) }\n"
		"}\n");
	ck_assert_int_eq(cm_analysis_commitment_state(an, 1), CM_STATE_FULFILLED);
	ck_assert_int_eq(cm_analysis_commitment_state(an, 2), CM_STATE_PENDING);
	ck_assert_int_eq(cm_analysis_commitment_state(an, 3), CM_STATE_FULFILLED);
	talloc_free(talloc_parent(an));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("breach");
	TCase *tc = tcase_leakcheck(s, "continuing duties");
	tcase_add_test(tc, repeated_breaches);
	tcase_add_test(tc, guard_suspends_a_violated_duty);
	tcase_add_test(tc, until_rule_5);
	tcase_add_test(tc, reciprocal_unwindowed_rule_7);
	tcase_add_test(tc, reciprocal_window_exact_minute);
	tcase_add_test(tc, missed_deadline_is_a_breach);
	tcase_add_test(tc, breach_atoms);
	tcase_add_test(tc, excuses_and_standing);
	tc = tcase_leakcheck(s, "quantities");
	tcase_add_test(tc, quantities);
	tc = tcase_leakcheck(s, "views");
	tcase_add_test(tc, views_without_silence_as_assent);
	tc = tcase_leakcheck(s, "debtors and standing");
	tcase_add_test(tc, mediator_duty_missed);
	tcase_add_test(tc, proposed_and_rejected);
	tc = tcase_leakcheck(s, "static errors");
	tcase_add_test(tc, static_errors);
	tc = tcase_leakcheck(s, "fmt");
	tcase_add_test(tc, fmt_round_trip);
	tc = tcase_leakcheck(s, "history");
	tcase_add_test(tc, history_json);
	tc = tcase_leakcheck(s, "conflicts");
	tcase_add_test(tc, conflicts);
	tcase_add_test(tc, conflict_ranges);
	tcase_add_test(tc, analysis_breach_atoms);
	return s;
}

int main(void)
{
	return run_suite(suite());
}
