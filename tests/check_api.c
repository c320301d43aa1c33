/*
 * API misuse: NULL handles and out-of-range indexes on the accessors of
 * reports, snapshots and analyses (the headers: "Out-of-range indexes
 * return NULL / 0 / -1"), and the argument errors of live feeding. Each
 * call returns the documented value and changes nothing.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include "testutil.h"

static const char TEXT[] =
	"agreement a \"A\" {\n"
	"  date 2025-01-01\n"
	"  party P \"P\" state\n"
	"  party Q \"Q\" state\n"
	"  mediator M \"M\" state\n"
	"  require signed by debtor\n"
	"  commitment c { P must not hit(on: Q) }\n"
	"  commitment r { P may hit(on: Q, why: defence) }\n"
	"}\n";

START_TEST(report_accessors)
{
	cm_document *d = parse_ok(TEXT);
	cm_report *r = NULL;
	ck_assert_int_eq(cm_check(d, cm_document_agreement(d, 0), NULL, 0, &r,
				  NULL), CM_OK);
	/* NULL report */
	ck_assert_ptr_null(cm_report_agreement_id(NULL));
	ck_assert_ptr_null(cm_report_agreement_title(NULL));
	ck_assert_int_eq(cm_report_verdict(NULL), -1);
	ck_assert_uint_eq(cm_report_requirement_count(NULL), 0);
	ck_assert_uint_eq(cm_report_commitment_count(NULL), 0);
	ck_assert_uint_eq(cm_report_below_count(NULL), 0);
	/* in range */
	ck_assert_str_eq(cm_report_agreement_id(r), "a");
	ck_assert_str_eq(cm_report_agreement_title(r), "A");
	ck_assert_int_eq(cm_report_verdict(r), CM_VERDICT_FAILS);
	ck_assert_uint_eq(cm_report_requirement_count(r), 1);
	ck_assert_str_eq(cm_report_requirement_rule(r, 0), "signed by debtor");
	ck_assert_str_eq(cm_report_requirement_selector(r, 0), "all");
	ck_assert_ptr_null(cm_report_requirement_policy(r, 0));
	ck_assert_int_eq(cm_report_requirement_line(r, 0), 6);
	ck_assert_int_eq(cm_report_requirement_holds(r, 0), 0);
	ck_assert_uint_eq(cm_report_failure_count(r, 0), 2);
	ck_assert_str_eq(cm_report_failure_commitment(r, 0, 1), "r");
	/* out of range: requirement, failure, commitment, creditor, below */
	ck_assert_ptr_null(cm_report_requirement_rule(r, 1));
	ck_assert_ptr_null(cm_report_requirement_selector(r, 1));
	ck_assert_ptr_null(cm_report_requirement_policy(r, 1));
	ck_assert_int_eq(cm_report_requirement_line(r, 1), 0);
	ck_assert_int_eq(cm_report_requirement_holds(r, 1), -1);
	ck_assert_uint_eq(cm_report_failure_count(r, 1), 0);
	ck_assert_ptr_null(cm_report_failure_commitment(r, 0, 2));
	ck_assert_ptr_null(cm_report_failure_missing(r, 0, 2));
	ck_assert_ptr_null(cm_report_failure_remedy(r, 0, 2));
	ck_assert_ptr_null(cm_report_failure_commitment(r, 1, 0));
	ck_assert_ptr_null(cm_report_failure_missing(r, 1, 0));
	ck_assert_ptr_null(cm_report_failure_remedy(r, 1, 0));
	ck_assert_uint_eq(cm_report_commitment_count(r), 2);
	ck_assert_ptr_null(cm_report_commitment_id(r, 2));
	ck_assert_int_eq(cm_report_commitment_form(r, 2), -1);
	ck_assert_int_eq(cm_report_commitment_level(r, 2), -1);
	ck_assert_ptr_null(cm_report_commitment_debtor(r, 2));
	ck_assert_int_eq(cm_report_commitment_modality(r, 2), -1);
	ck_assert_int_eq(cm_report_commitment_standing(r, 2), -1);
	ck_assert_int_eq(cm_report_commitment_line(r, 2), 0);
	ck_assert_uint_eq(cm_report_commitment_creditor_count(r, 2), 0);
	ck_assert_ptr_null(cm_report_commitment_creditor(r, 2, 0));
	ck_assert_uint_eq(cm_report_commitment_creditor_count(r, 0), 1);
	ck_assert_str_eq(cm_report_commitment_creditor(r, 0, 0), "Q");
	ck_assert_ptr_null(cm_report_commitment_creditor(r, 0, 1));
	ck_assert_uint_eq(cm_report_below_count(r), 1);
	ck_assert_str_eq(cm_report_below_party(r, 0), "P");
	ck_assert_uint_eq(cm_report_below_short(r, 0), 2);
	ck_assert_uint_eq(cm_report_below_of(r, 0), 2);
	ck_assert_str_eq(cm_report_below_commitment(r, 0, 1), "r");
	ck_assert_ptr_null(cm_report_below_party(r, 1));
	ck_assert_uint_eq(cm_report_below_short(r, 1), 0);
	ck_assert_uint_eq(cm_report_below_of(r, 1), 0);
	ck_assert_ptr_null(cm_report_below_commitment(r, 0, 2));
	ck_assert_ptr_null(cm_report_below_commitment(r, 1, 0));
	/* writers: NULL arguments */
	char *s = NULL;
	cm_error err;
	ck_assert_int_eq(cm_report_to_json(tctx, NULL, &s, &err), CM_EINVAL);
	ck_assert_int_eq(cm_report_to_json(tctx, r, NULL, &err), CM_EINVAL);
	ck_assert_int_eq(cm_report_to_text(tctx, NULL, &s, &err), CM_EINVAL);
	ck_assert_int_eq(cm_report_to_text(tctx, r, NULL, &err), CM_EINVAL);
	ck_assert_ptr_null(s);
	cm_free(d);
}
END_TEST

START_TEST(snapshot_accessors)
{
	cm_document *d = parse_ok(TEXT);
	cm_monitor *m = NULL;
	ck_assert_int_eq(cm_monitor_new(d, cm_document_agreement(d, 0), NULL,
					&m, NULL), CM_OK);
	const char *line = "2025-02-01 hit(by: P, on: Q, why: defence)";
	ck_assert_int_eq(cm_monitor_feed_text(m, 0, line, strlen(line), NULL),
			 CM_OK);
	cm_snapshot *s = NULL;
	cm_error err;
	ck_assert_int_eq(cm_monitor_snapshot(d, NULL, &s, &err), CM_EINVAL);
	ck_assert_int_eq(cm_monitor_snapshot(d, m, NULL, &err), CM_EINVAL);
	ck_assert_int_eq(cm_monitor_snapshot(d, m, &s, &err), CM_OK);
	/* NULL snapshot */
	ck_assert_ptr_null(cm_snapshot_agreement_id(NULL));
	ck_assert_ptr_null(cm_snapshot_agreement_title(NULL));
	ck_assert_int_eq(cm_snapshot_at(NULL), CM_TIME_NONE);
	ck_assert_ptr_null(cm_snapshot_view(NULL));
	ck_assert_uint_eq(cm_snapshot_count(NULL), 0);
	ck_assert_uint_eq(cm_snapshot_violated_count(NULL), 0);
	/* in range: c was excused by r */
	ck_assert_str_eq(cm_snapshot_agreement_id(s), "a");
	ck_assert_str_eq(cm_snapshot_agreement_title(s), "A");
	ck_assert_str_eq(cm_snapshot_view(s), "all");
	ck_assert_uint_eq(cm_snapshot_count(s), 2);
	ck_assert_uint_eq(cm_snapshot_violated_count(s), 0);
	ck_assert_int_eq(cm_snapshot_state(s, 0), CM_STATE_ACTIVE);
	ck_assert_int_eq(cm_snapshot_modality(s, 1), CM_MAY);
	ck_assert_uint_eq(cm_snapshot_excused_count(s, 0), 1);
	ck_assert_str_eq(cm_snapshot_excused_by(s, 0, 0), "r");
	/* out of range */
	ck_assert_ptr_null(cm_snapshot_id(s, 2));
	ck_assert_int_eq(cm_snapshot_state(s, 2), -1);
	ck_assert_int_eq(cm_snapshot_standing(s, 2), -1);
	ck_assert_int_eq(cm_snapshot_modality(s, 2), -1);
	ck_assert_int_eq(cm_snapshot_since(s, 2), CM_TIME_NONE);
	ck_assert_int_eq(cm_snapshot_cause_reason(s, 2), -1);
	ck_assert_int_eq(cm_snapshot_cause_line(s, 2), 0);
	ck_assert_ptr_null(cm_snapshot_cause_file(s, 2));
	ck_assert_ptr_null(cm_snapshot_cause_commitment(s, 2));
	ck_assert_uint_eq(cm_snapshot_excused_count(s, 2), 0);
	ck_assert_ptr_null(cm_snapshot_excused_by(s, 2, 0));
	ck_assert_ptr_null(cm_snapshot_excused_by(s, 0, 1));
	ck_assert_ptr_null(cm_cause_reason_name(CM_CAUSE_NONE));
	ck_assert_ptr_null(cm_cause_reason_name(6));
	ck_assert_str_eq(cm_cause_reason_name(CM_CAUSE_START), "start");
	char *out = NULL;
	ck_assert_int_eq(cm_snapshot_to_json(tctx, NULL, &out, &err),
			 CM_EINVAL);
	ck_assert_int_eq(cm_snapshot_to_text(tctx, s, NULL, &err), CM_EINVAL);
	ck_assert_ptr_null(out);
	cm_free(d);
}
END_TEST

START_TEST(analysis_accessors)
{
	cm_document *d = parse_ok(TEXT);
	cm_analysis *an = NULL;
	ck_assert_int_eq(cm_analyze(d, cm_document_agreement(d, 0), &an, NULL),
			 CM_OK);
	ck_assert_ptr_null(cm_analysis_agreement_id(NULL));
	ck_assert_ptr_null(cm_analysis_agreement_title(NULL));
	ck_assert_uint_eq(cm_analysis_commitment_count(NULL), 0);
	ck_assert_uint_eq(cm_analysis_deadlock_count(NULL), 0);
	ck_assert_uint_eq(cm_analysis_party_count(NULL), 0);
	ck_assert_uint_eq(cm_analysis_commitment_count(an), 2);
	ck_assert_ptr_null(cm_analysis_commitment_id(an, 2));
	ck_assert_int_eq(cm_analysis_commitment_state(an, 2), -1);
	ck_assert_uint_eq(cm_analysis_deadlock_count(an), 0);
	ck_assert_uint_eq(cm_analysis_cycle_count(an, 0), 0);
	ck_assert_ptr_null(cm_analysis_cycle_member(an, 0, 0));
	ck_assert_uint_eq(cm_analysis_blocked_count(an, 0), 0);
	ck_assert_ptr_null(cm_analysis_blocked(an, 0, 0));
	ck_assert_uint_eq(cm_analysis_party_count(an), 2);
	ck_assert_str_eq(cm_analysis_party(an, 0), "P");
	ck_assert_ptr_null(cm_analysis_party(an, 2));
	ck_assert_uint_eq(cm_analysis_owes_count(an, 0), 1);
	ck_assert_ptr_null(cm_analysis_owes(an, 0, 1));
	ck_assert_uint_eq(cm_analysis_owes_count(an, 2), 0);
	ck_assert_uint_eq(cm_analysis_holds_count(an, 0), 1);
	ck_assert_ptr_null(cm_analysis_holds(an, 0, 1));
	ck_assert_uint_eq(cm_analysis_unreciprocated_count(an, 2), 0);
	ck_assert_ptr_null(cm_analysis_unreciprocated(an, 2, 0));
	cm_free(d);
}
END_TEST

/* Argument errors of live feeding: CM_EINVAL, nothing held. */
START_TEST(feed_arguments)
{
	cm_document *d = parse_ok(TEXT);
	cm_monitor *m = NULL;
	cm_error err;
	ck_assert_int_eq(cm_monitor_new(d, cm_document_agreement(d, 0), NULL,
					&m, NULL), CM_OK);
	cm_time t;
	ck_assert_int_eq(cm_time_parse("2025-02-01", 0, &t), CM_OK);
	const char *names[] = {"on", "on"};
	const char *values[] = {"Q", "Q"};
	const char *bad[] = {"not an id"};
	const char *null1[] = {NULL};
	const char *p[] = {"P"};
#define FEED(type, n, v, na, r, nr, dn, nd, rc)                              \
	ck_assert_int_eq(cm_monitor_feed(m, 0, t, type, n, v, na, r, nr, dn, \
					 nd, NULL, 0, &err), rc)
	FEED(NULL, NULL, NULL, 0, NULL, 0, NULL, 0, CM_EINVAL);
	FEED("hit", NULL, values, 1, NULL, 0, NULL, 0, CM_EINVAL);
	FEED("not id", NULL, NULL, 0, NULL, 0, NULL, 0, CM_EINVAL);
	ck_assert_str_eq(err.message, "invalid event type 'not id'");
	FEED("hit", names, values, 2, NULL, 0, NULL, 0, CM_EINVAL);
	ck_assert_str_eq(err.message, "duplicate attribute 'on'");
	FEED("hit", bad, values, 1, NULL, 0, NULL, 0, CM_EINVAL);
	ck_assert_str_eq(err.message, "invalid attribute 'not an id'");
	FEED("hit", null1, values, 1, NULL, 0, NULL, 0, CM_EINVAL);
	ck_assert_str_eq(err.message, "invalid attribute '(null)'");
	FEED("hit", NULL, NULL, 0, NULL, 1, NULL, 0, CM_EINVAL);
	ck_assert_str_eq(err.message, "provenance list is NULL");
	FEED("hit", NULL, NULL, 0, bad, 1, NULL, 0, CM_EINVAL);
	ck_assert_str_eq(err.message, "invalid party id 'not an id'");
	FEED("hit", NULL, NULL, 0, null1, 1, NULL, 0, CM_EINVAL);
	ck_assert_str_eq(err.message, "invalid party id '(null)'");
	FEED("hit", NULL, NULL, 0, p, 1, p, 1, CM_EINVAL);
	ck_assert_str_eq(err.message, "event both reported and denied by 'P'");
	ck_assert_int_eq(cm_monitor_feed(m, 0, CM_TIME_NONE, "hit", NULL, NULL,
					 0, NULL, 0, NULL, 0, NULL, 0, &err),
			 CM_EINVAL);
	ck_assert_int_eq(cm_monitor_feed_text(NULL, 0, "", 0, &err),
			 CM_EINVAL);
	ck_assert_int_eq(cm_monitor_feed_text(m, 0, NULL, 3, &err), CM_EINVAL);
	ck_assert_int_eq(cm_monitor_feed_text(m, 0, "", 0, &err), CM_ESYNTAX);
	ck_assert_str_eq(err.message, "expected an event");
	const char *two = "2025-02-01 a() 2025-02-02 b()";
	ck_assert_int_eq(cm_monitor_feed_text(m, 0, two, strlen(two), &err),
			 CM_ESYNTAX);
	ck_assert_str_eq(err.message, "expected one event, found more");
	ck_assert_int_eq(cm_monitor_advance(NULL, t, &err), CM_EINVAL);
	ck_assert_int_eq(cm_monitor_advance(m, CM_TIME_NONE, &err), CM_EINVAL);
	/* nothing was held or applied */
	ck_assert_int_eq(cm_monitor_last_event_time(m), CM_TIME_NONE);
	ck_assert_int_eq(cm_monitor_clock(m), CM_TIME_NONE);
	FEED("hit", names, values, 1, p, 1, NULL, 0, CM_OK);
	ck_assert_int_eq(cm_monitor_last_event_time(m), t);
	/* a monitor that has been fed does not run */
	ck_assert_int_eq(cm_monitor_run(m, CM_TIME_NONE, &err), CM_EINVAL);
	ck_assert_str_eq(err.message, "the monitor has already been fed events");
#undef FEED
	cm_free(d);
}
END_TEST

Suite *api_suite(void);
Suite *api_suite(void)
{
	Suite *s = suite_create("api");
	TCase *tc = tcase_leakcheck(s, "accessors");
	tcase_add_test(tc, report_accessors);
	tcase_add_test(tc, snapshot_accessors);
	tcase_add_test(tc, analysis_accessors);
	tc = tcase_leakcheck(s, "arguments");
	tcase_add_test(tc, feed_arguments);
	return s;
}

int main(void)
{
	return run_suite(api_suite());
}
