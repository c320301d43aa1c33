/*
 * Reading the model back (include/commitments/inspect.h): every getter on
 * a parsed and on a built agreement, their edges (NULL, out of range,
 * before validation), and that the canonical texts they hand out are
 * what the canonical writer prints and parse back.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include "testutil.h"

static const char TEXT[] =
	"policy stance { require signed by debtor for obligations }\n"
	"agreement t \"Inspect\" {\n"
	"  date 2025-01-01\n"
	"  party A \"Aland\" state\n"
	"  party B \"Bland\" state\n"
	"  party C \"Cland\" organization\n"
	"  mediator M \"Med\" state\n"
	"  signed by A on 2025-01-02\n"
	"  signed by B\n"
	"  ratified by A on 2025-03-01\n"
	"  registered on 2025-04-01\n"
	"  require written for obligations\n"
	"  use stance\n"
	"  commitment pay {\n"
	"    A must pay(to: B, amount: 100, note: \"in \\\"full\\\"\") by 2025-06-30\n"
	"    to B, C\n"
	"    if fulfilled(quiet) and not count(strike(on: A)) >= 3 within 7d\n"
	"    unless attack(on: A) within 2d\n"
	"    while true\n"
	"    reciprocal quiet\n"
	"    from 2025-01-05\n"
	"    until 2025-12-31\n"
	"    written\n"
	"    signed by A on 2025-01-03\n"
	"    signed by B\n"
	"    witnessed by M\n"
	"    proposed by A\n"
	"    note \"first\"\n"
	"    note \"second\"\n"
	"  }\n"
	"  commitment quiet {\n"
	"    B must \"keep quiet\" within 30d\n"
	"    if signed(pay) or written(pay)\n"
	"  }\n"
	"}\n";

static cm_time T(const char *s, int eod)
{
	cm_time t;
	ck_assert_int_eq(cm_time_parse(s, eod, &t), CM_OK);
	return t;
}

static char *text_of(const cm_condition *n)
{
	char *s = NULL;
	cm_error err = {0};
	ck_assert_int_eq(cm_condition_to_text(tctx, n, &s, &err), CM_OK);
	return s;
}

static void text_is(const cm_condition *n, const char *want)
{
	char *s = text_of(n);
	ck_assert_str_eq(s, want);
	cm_free(s);
}

START_TEST(commitment_items)
{
	cm_document *d = parse_ok(TEXT);
	cm_agreement *a = cm_document_agreement(d, 0);
	cm_commitment *c = cm_agreement_find_commitment(a, "pay");
	ck_assert_uint_eq(cm_commitment_to_count(c), 2);
	ck_assert_str_eq(cm_commitment_to(c, 0), "B");
	ck_assert_str_eq(cm_commitment_to(c, 1), "C");
	ck_assert_ptr_null(cm_commitment_to(c, 2));
	ck_assert_uint_eq(cm_commitment_creditor_count(c), 2);
	ck_assert_str_eq(cm_commitment_creditor(c, 1), "C");
	ck_assert_ptr_null(cm_commitment_creditor(c, 2));
	ck_assert_int_eq(cm_commitment_deadline(c), T("2025-06-30", 1));
	ck_assert_int_eq(cm_commitment_within(c), -1);
	ck_assert_int_eq(cm_commitment_from(c), T("2025-01-05", 0));
	ck_assert_int_eq(cm_commitment_until(c), T("2025-12-31", 1));
	ck_assert_uint_eq(cm_commitment_reciprocal_count(c), 1);
	ck_assert_str_eq(cm_commitment_reciprocal(c, 0), "quiet");
	ck_assert_uint_eq(cm_commitment_witness_count(c), 1);
	ck_assert_str_eq(cm_commitment_witness(c, 0), "M");
	ck_assert_uint_eq(cm_commitment_signature_count(c), 2);
	ck_assert_str_eq(cm_commitment_signature_party(c, 0), "A");
	ck_assert_int_eq(cm_commitment_signature_date(c, 0),
			 T("2025-01-03", 0));
	ck_assert_str_eq(cm_commitment_signature_party(c, 1), "B");
	ck_assert_int_eq(cm_commitment_signature_date(c, 1), CM_TIME_NONE);
	ck_assert_int_eq(cm_commitment_signature_date(c, 2), CM_TIME_NONE);
	ck_assert_uint_eq(cm_commitment_standing_party_count(c), 1);
	ck_assert_str_eq(cm_commitment_standing_party(c, 0), "A");
	ck_assert_uint_eq(cm_commitment_note_count(c), 2);
	ck_assert_str_eq(cm_commitment_note(c, 1), "second");
	ck_assert_ptr_null(cm_commitment_note(c, 2));
	ck_assert_uint_eq(cm_commitment_attr_count(c), 3);
	ck_assert_str_eq(cm_commitment_attr_name(c, 1), "amount");
	ck_assert_str_eq(cm_commitment_attr_value(c, 1), "100");
	ck_assert_str_eq(cm_commitment_attr_value(c, 2), "in \"full\"");
	ck_assert_ptr_null(cm_commitment_attr_name(c, 3));
	char *s = NULL;
	cm_error err = {0};
	ck_assert_int_eq(cm_commitment_content_to_text(tctx, c, &s, &err),
			 CM_OK);
	ck_assert_str_eq(s, "pay(to: B, amount: 100, note: \"in \\\"full\\\"\")");
	cm_free(s);

	cm_commitment *q = cm_agreement_find_commitment(a, "quiet");
	ck_assert_int_eq(cm_commitment_within(q), 30 * 1440);
	ck_assert_int_eq(cm_commitment_deadline(q), CM_TIME_NONE);
	ck_assert_uint_eq(cm_commitment_attr_count(q), 0);
	/* default creditors: every other party-role party */
	ck_assert_uint_eq(cm_commitment_to_count(q), 0);
	ck_assert_uint_eq(cm_commitment_creditor_count(q), 2);
	ck_assert_str_eq(cm_commitment_creditor(q, 0), "A");
	ck_assert_str_eq(cm_commitment_creditor(q, 1), "C");
	s = NULL;
	ck_assert_int_eq(cm_commitment_content_to_text(tctx, q, &s, &err),
			 CM_OK);
	ck_assert_str_eq(s, "\"keep quiet\"");
	cm_free(s);
	cm_free(d);
}
END_TEST

START_TEST(condition_tree)
{
	cm_document *d = parse_ok(TEXT);
	cm_agreement *a = cm_document_agreement(d, 0);
	cm_commitment *c = cm_agreement_find_commitment(a, "pay");
	/* canonical order: if, while, unless */
	ck_assert_uint_eq(cm_commitment_condition_count(c), 3);
	ck_assert_int_eq(cm_commitment_condition_item(c, 0), CM_COND_IF);
	ck_assert_int_eq(cm_commitment_condition_item(c, 1), CM_COND_WHILE);
	ck_assert_int_eq(cm_commitment_condition_item(c, 2), CM_COND_UNLESS);
	ck_assert_int_eq(cm_commitment_condition_item(c, 3), -1);
	ck_assert_ptr_null(cm_commitment_condition(c, 3));

	const cm_condition *n = cm_commitment_condition(c, 0);
	ck_assert_int_eq(cm_condition_type(n), CM_CT_AND);
	text_is(n, "fulfilled(quiet) and not "
				     "count(strike(on: A)) >= 3 within 7d");
	ck_assert_uint_eq(cm_condition_child_count(n), 2);
	ck_assert_ptr_null(cm_condition_child(n, 2));
	const cm_condition *st = cm_condition_child(n, 0);
	ck_assert_int_eq(cm_condition_type(st), CM_CT_STATE);
	ck_assert_int_eq(cm_condition_atom(st), CM_STATE_FULFILLED);
	ck_assert_str_eq(cm_condition_ref(st), "quiet");
	ck_assert_int_eq(cm_condition_window(st), -1);
	ck_assert_int_eq(cm_condition_cmp(st), -1);
	ck_assert_ptr_null(cm_condition_action_type(st));
	const cm_condition *no = cm_condition_child(n, 1);
	ck_assert_int_eq(cm_condition_type(no), CM_CT_NOT);
	ck_assert_uint_eq(cm_condition_child_count(no), 1);
	const cm_condition *cnt = cm_condition_child(no, 0);
	ck_assert_int_eq(cm_condition_type(cnt), CM_CT_COUNT);
	ck_assert_str_eq(cm_condition_action_type(cnt), "strike");
	ck_assert_uint_eq(cm_condition_attr_count(cnt), 1);
	ck_assert_str_eq(cm_condition_attr_name(cnt, 0), "on");
	ck_assert_str_eq(cm_condition_attr_value(cnt, 0), "A");
	ck_assert_ptr_null(cm_condition_attr_value(cnt, 1));
	ck_assert_int_eq(cm_condition_cmp(cnt), CM_CMP_GE);
	ck_assert_int_eq(cm_condition_bound(cnt), 3);
	ck_assert_int_eq(cm_condition_window(cnt), 7 * 1440);
	ck_assert_uint_eq(cm_condition_child_count(cnt), 0);
	ck_assert_int_eq(cm_condition_atom(cnt), -1);
	ck_assert_ptr_null(cm_condition_ref(cnt));

	n = cm_commitment_condition(c, 1);
	ck_assert_int_eq(cm_condition_type(n), CM_CT_TRUE);
	text_is(n, "true");
	n = cm_commitment_condition(c, 2);
	ck_assert_int_eq(cm_condition_type(n), CM_CT_ACTION);
	ck_assert_int_eq(cm_condition_window(n), 2 * 1440);
	ck_assert_int_eq(cm_condition_bound(n), -1);
	text_is(n, "attack(on: A) within 2d");

	cm_commitment *q = cm_agreement_find_commitment(a, "quiet");
	n = cm_commitment_condition(q, 0);
	ck_assert_int_eq(cm_condition_type(n), CM_CT_OR);
	ck_assert_int_eq(cm_condition_atom(cm_condition_child(n, 0)),
			 CM_FORM_ATOM_SIGNED);
	ck_assert_int_eq(cm_condition_atom(cm_condition_child(n, 1)),
			 CM_FORM_ATOM_WRITTEN);
	ck_assert_str_eq(cm_condition_ref(cm_condition_child(n, 1)), "pay");
	text_is(n, "signed(pay) or written(pay)");
	cm_free(d);
}
END_TEST

START_TEST(agreement_items)
{
	cm_document *d = parse_ok(TEXT);
	cm_agreement *a = cm_document_agreement(d, 0);
	ck_assert_uint_eq(cm_agreement_signature_count(a), 2);
	ck_assert_str_eq(cm_agreement_signature_party(a, 0), "A");
	ck_assert_int_eq(cm_agreement_signature_date(a, 0), T("2025-01-02", 0));
	ck_assert_int_eq(cm_agreement_signature_date(a, 1), CM_TIME_NONE);
	ck_assert_ptr_null(cm_agreement_signature_party(a, 2));
	ck_assert_uint_eq(cm_agreement_ratification_count(a), 1);
	ck_assert_str_eq(cm_agreement_ratification_party(a, 0), "A");
	ck_assert_int_eq(cm_agreement_ratification_date(a, 0),
			 T("2025-03-01", 0));
	ck_assert_int_ne(cm_agreement_registered(a), 0);
	ck_assert_int_eq(cm_agreement_registered_on(a), T("2025-04-01", 0));

	/* resolved: the agreement's own rule, then what `use stance` brought */
	ck_assert_uint_eq(cm_agreement_requirement_count(a), 2);
	ck_assert_ptr_null(cm_agreement_requirement_policy(a, 0));
	ck_assert_str_eq(cm_agreement_requirement_policy(a, 1), "stance");
	ck_assert_int_eq(cm_agreement_requirement_line(a, 0), 12);
	ck_assert_int_eq(cm_agreement_requirement_line(a, 1), 13);
	ck_assert_int_eq(cm_agreement_requirement_line(a, 2), 0);
	char *s = NULL;
	cm_error err = {0};
	ck_assert_int_eq(cm_agreement_requirement_to_text(tctx, a, 0, &s, &err),
			 CM_OK);
	ck_assert_str_eq(s, "written for obligations");
	cm_free(s);
	ck_assert_int_eq(cm_agreement_requirement_to_text(tctx, a, 1, &s, &err),
			 CM_OK);
	ck_assert_str_eq(s, "signed by debtor for obligations");
	cm_free(s);
	s = NULL;
	ck_assert_int_eq(cm_agreement_requirement_to_text(tctx, a, 2, &s, &err),
			 CM_EINVAL);
	ck_assert_ptr_null(s);
	ck_assert_ptr_nonnull(strstr(err.message, "out of range"));
	cm_free(d);

	/* unresolved: a `use` is one item, written as it stands */
	cm_document *d2 = NULL;
	ck_assert_int_eq(cm_document_new(tctx, &d2, &err), CM_OK);
	ck_assert_int_eq(cm_document_add_text(d2, TEXT, strlen(TEXT), "t.cmt",
					      &err), CM_OK);
	a = cm_document_agreement(d2, 0);
	ck_assert_uint_eq(cm_agreement_requirement_count(a), 2);
	ck_assert_int_eq(cm_agreement_requirement_to_text(tctx, a, 1, &s, &err),
			 CM_OK);
	ck_assert_str_eq(s, "use stance");
	cm_free(s);
	/* before validation there are no effective creditors yet */
	cm_commitment *q = cm_agreement_find_commitment(a, "quiet");
	ck_assert_uint_eq(cm_commitment_creditor_count(q), 0);
	ck_assert_ptr_null(cm_commitment_creditor(q, 0));
	cm_free(d2);
}
END_TEST

START_TEST(built_and_edges)
{
	cm_error err = {0};
	cm_agreement *a = NULL;
	ck_assert_int_eq(cm_agreement_new(tctx, "b", NULL, &a, &err), CM_OK);
	ck_assert_int_eq(cm_agreement_add_party(a, "A", "A", CM_ROLE_PARTY,
						CM_KIND_STATE, &err), CM_OK);
	ck_assert_int_eq(cm_agreement_add_party(a, "B", "B", CM_ROLE_PARTY,
						CM_KIND_STATE, &err), CM_OK);
	cm_commitment *c = NULL;
	ck_assert_int_eq(cm_agreement_add_commitment(a, "c", "A", CM_MUST, &c,
						     &err), CM_OK);
	char *s = NULL;
	/* no content yet: cannot be written */
	ck_assert_int_eq(cm_commitment_content_to_text(tctx, c, &s, &err),
			 CM_EINVAL);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(cm_commitment_set_action(c, "go(to: B)", &err), CM_OK);
	cm_condition *x = NULL, *y = NULL, *z = NULL;
	ck_assert_int_eq(cm_condition_new_action(c, "raid(on: B)", 90, &x,
						 &err), CM_OK);
	ck_assert_int_eq(cm_condition_new_const(c, 0, &y, &err), CM_OK);
	ck_assert_int_eq(cm_condition_new_binary(c, CM_CT_OR, x, y, &z, &err),
			 CM_OK);
	ck_assert_int_eq(cm_commitment_add_condition_node(c, CM_COND_UNLESS, z,
							  &err), CM_OK);
	ck_assert_uint_eq(cm_commitment_condition_count(c), 1);
	ck_assert_int_eq(cm_commitment_condition_item(c, 0), CM_COND_UNLESS);
	ck_assert_ptr_eq(cm_commitment_condition(c, 0), z);
	/* 90 minutes is not a duration the language can write */
	ck_assert_int_eq(cm_condition_to_text(tctx, z, &s, &err), CM_EINVAL);
	ck_assert_ptr_null(s);
	ck_assert_ptr_nonnull(strstr(err.message, "duration"));
	ck_assert_int_eq(cm_condition_window(x), 90);
	ck_assert_uint_eq(cm_agreement_requirement_count(a), 0);
	ck_assert_int_eq(cm_agreement_registered(a), 0);
	ck_assert_int_eq(cm_agreement_registered_on(a), CM_TIME_NONE);
	ck_assert_uint_eq(cm_commitment_creditor_count(c), 0);
	ck_assert_int_eq(cm_agreement_validate(a, &err), CM_OK);
	ck_assert_uint_eq(cm_commitment_creditor_count(c), 1);
	ck_assert_str_eq(cm_commitment_creditor(c, 0), "B");

	/* NULL everywhere */
	ck_assert_uint_eq(cm_commitment_to_count(NULL), 0);
	ck_assert_ptr_null(cm_commitment_to(NULL, 0));
	ck_assert_uint_eq(cm_commitment_creditor_count(NULL), 0);
	ck_assert_ptr_null(cm_commitment_creditor(NULL, 0));
	ck_assert_int_eq(cm_commitment_deadline(NULL), CM_TIME_NONE);
	ck_assert_int_eq(cm_commitment_within(NULL), -1);
	ck_assert_int_eq(cm_commitment_from(NULL), CM_TIME_NONE);
	ck_assert_int_eq(cm_commitment_until(NULL), CM_TIME_NONE);
	ck_assert_uint_eq(cm_commitment_condition_count(NULL), 0);
	ck_assert_int_eq(cm_commitment_condition_item(NULL, 0), -1);
	ck_assert_ptr_null(cm_commitment_condition(NULL, 0));
	ck_assert_uint_eq(cm_commitment_reciprocal_count(NULL), 0);
	ck_assert_ptr_null(cm_commitment_reciprocal(NULL, 0));
	ck_assert_uint_eq(cm_commitment_witness_count(NULL), 0);
	ck_assert_ptr_null(cm_commitment_witness(NULL, 0));
	ck_assert_uint_eq(cm_commitment_signature_count(NULL), 0);
	ck_assert_ptr_null(cm_commitment_signature_party(NULL, 0));
	ck_assert_int_eq(cm_commitment_signature_date(NULL, 0), CM_TIME_NONE);
	ck_assert_uint_eq(cm_commitment_standing_party_count(NULL), 0);
	ck_assert_ptr_null(cm_commitment_standing_party(NULL, 0));
	ck_assert_uint_eq(cm_commitment_note_count(NULL), 0);
	ck_assert_ptr_null(cm_commitment_note(NULL, 0));
	ck_assert_uint_eq(cm_commitment_attr_count(NULL), 0);
	ck_assert_ptr_null(cm_commitment_attr_name(NULL, 0));
	ck_assert_ptr_null(cm_commitment_attr_value(NULL, 0));
	ck_assert_int_eq(cm_commitment_content_to_text(tctx, NULL, &s, &err),
			 CM_EINVAL);
	ck_assert_int_eq(cm_commitment_content_to_text(tctx, c, NULL, &err),
			 CM_EINVAL);
	ck_assert_uint_eq(cm_condition_child_count(NULL), 0);
	ck_assert_ptr_null(cm_condition_child(NULL, 0));
	ck_assert_ptr_null(cm_condition_action_type(NULL));
	ck_assert_uint_eq(cm_condition_attr_count(NULL), 0);
	ck_assert_ptr_null(cm_condition_attr_name(NULL, 0));
	ck_assert_ptr_null(cm_condition_attr_value(NULL, 0));
	ck_assert_int_eq(cm_condition_window(NULL), -1);
	ck_assert_int_eq(cm_condition_cmp(NULL), -1);
	ck_assert_int_eq(cm_condition_bound(NULL), -1);
	ck_assert_int_eq(cm_condition_atom(NULL), -1);
	ck_assert_ptr_null(cm_condition_ref(NULL));
	ck_assert_int_eq(cm_condition_to_text(tctx, NULL, &s, &err), CM_EINVAL);
	ck_assert_uint_eq(cm_agreement_requirement_count(NULL), 0);
	ck_assert_ptr_null(cm_agreement_requirement_policy(NULL, 0));
	ck_assert_int_eq(cm_agreement_requirement_line(NULL, 0), 0);
	ck_assert_int_eq(cm_agreement_requirement_to_text(tctx, NULL, 0, &s,
							  &err), CM_EINVAL);
	ck_assert_uint_eq(cm_agreement_signature_count(NULL), 0);
	ck_assert_ptr_null(cm_agreement_signature_party(NULL, 0));
	ck_assert_int_eq(cm_agreement_signature_date(NULL, 0), CM_TIME_NONE);
	ck_assert_uint_eq(cm_agreement_ratification_count(NULL), 0);
	ck_assert_ptr_null(cm_agreement_ratification_party(NULL, 0));
	ck_assert_int_eq(cm_agreement_ratification_date(NULL, 0),
			 CM_TIME_NONE);
	ck_assert_int_eq(cm_agreement_registered(NULL), 0);
	ck_assert_int_eq(cm_agreement_registered_on(NULL), CM_TIME_NONE);
	ck_assert_ptr_null(s);
	cm_free(a);
}
END_TEST

/* The pieces are the canonical writer's own text: the commitment written
 * back from them parses to the same canonical agreement. */
START_TEST(pieces_round_trip)
{
	cm_document *d = parse_ok(TEXT);
	cm_agreement *a = cm_document_agreement(d, 0);
	char *whole = NULL;
	cm_error err = {0};
	ck_assert_int_eq(cm_agreement_to_text(tctx, a, &whole, &err), CM_OK);
	for (size_t i = 0; i < cm_agreement_commitment_count(a); i++) {
		cm_commitment *c = cm_agreement_commitment(a, i);
		char *s = NULL;
		ck_assert_int_eq(cm_commitment_content_to_text(tctx, c, &s,
							       &err), CM_OK);
		ck_assert_ptr_nonnull(strstr(whole, s));
		cm_free(s);
		for (size_t k = 0; k < cm_commitment_condition_count(c); k++) {
			s = text_of(cm_commitment_condition(c, k));
			ck_assert_ptr_nonnull(strstr(whole, s));
			cm_free(s);
		}
	}
	cm_free(whole);
	cm_free(d);
}
END_TEST

/* The columns are the per-item accessors' values, for every column. */
START_TEST(columns)
{
	cm_document *d = parse_ok(TEXT);
	cm_agreement *a = cm_document_agreement(d, 0);
	cm_error err = {0};
	cm_report *r = NULL;
	ck_assert_int_eq(cm_check(tctx, a, NULL, 0, &r, &err), CM_OK);
	size_t n = cm_report_commitment_count(r);
	ck_assert_uint_eq(n, 2);
	int64_t v[4];
	const char *sv[4];
	for (int col = CM_RCOL_FORM; col <= CM_RCOL_CREDITOR_COUNT; col++) {
		ck_assert_uint_eq(cm_report_commitment_ints(r, col, v, 4), n);
		for (size_t i = 0; i < n; i++) {
			int64_t want =
				col == CM_RCOL_FORM ? cm_report_commitment_form(r, i) :
				col == CM_RCOL_LEVEL ? cm_report_commitment_level(r, i) :
				col == CM_RCOL_MODALITY ? cm_report_commitment_modality(r, i) :
				col == CM_RCOL_STANDING ? cm_report_commitment_standing(r, i) :
				col == CM_RCOL_LINE ? cm_report_commitment_line(r, i) :
				(int64_t)cm_report_commitment_creditor_count(r, i);
			ck_assert_int_eq(v[i], want);
		}
	}
	ck_assert_int_eq(v[0], 2); /* pay: to B, C */
	ck_assert_uint_eq(cm_report_commitment_strings(r, CM_RCOL_ID, sv, 4), 2);
	ck_assert_str_eq(sv[0], "pay");
	ck_assert_str_eq(sv[1], "quiet");
	ck_assert_uint_eq(cm_report_commitment_strings(r, CM_RCOL_DEBTOR, sv,
						       1), 1);
	ck_assert_str_eq(sv[0], "A");
	/* the wrong kind of column, NULL, no room */
	ck_assert_uint_eq(cm_report_commitment_ints(r, CM_RCOL_ID, v, 4), 0);
	ck_assert_uint_eq(cm_report_commitment_strings(r, CM_RCOL_LINE, sv, 4),
			  0);
	ck_assert_uint_eq(cm_report_commitment_ints(r, -1, v, 4), 0);
	ck_assert_uint_eq(cm_report_commitment_ints(NULL, 0, v, 4), 0);
	ck_assert_uint_eq(cm_report_commitment_ints(r, 0, NULL, 4), 0);
	ck_assert_uint_eq(cm_report_commitment_ints(r, 0, v, 0), 0);
	for (size_t i = 0; i < cm_report_requirement_count(r); i++) {
		size_t k = cm_report_failure_count(r, i);
		const char *fv[8];
		ck_assert_uint_le(k, 8);
		for (int col = CM_FCOL_COMMITMENT; col <= CM_FCOL_REMEDY; col++) {
			ck_assert_uint_eq(cm_report_failure_strings(r, i, col, fv,
								    8), k);
			for (size_t j = 0; j < k; j++) {
				const char *want =
					col == CM_FCOL_COMMITMENT ?
					cm_report_failure_commitment(r, i, j) :
					col == CM_FCOL_MISSING ?
					cm_report_failure_missing(r, i, j) :
					cm_report_failure_remedy(r, i, j);
				ck_assert_ptr_eq(fv[j], want);
			}
		}
		ck_assert_uint_eq(cm_report_failure_strings(r, i, 3, fv, 8), 0);
	}
	ck_assert_uint_eq(cm_report_failure_strings(r, 99, 0, sv, 4), 0);
	ck_assert_uint_eq(cm_report_failure_strings(NULL, 0, 0, sv, 4), 0);

	cm_monitor *m = NULL;
	cm_snapshot *snap = NULL;
	ck_assert_int_eq(cm_monitor_new(tctx, a, NULL, &m, &err), CM_OK);
	const char *ev = "2025-01-06 strike(by: B, on: A)";
	ck_assert_int_eq(cm_monitor_feed_text(m, 0, ev, strlen(ev), &err),
			 CM_OK);
	ck_assert_int_eq(cm_monitor_snapshot(tctx, m, &snap, &err), CM_OK);
	n = cm_snapshot_count(snap);
	ck_assert_uint_eq(n, 2);
	for (int col = CM_SCOL_STATE; col <= CM_SCOL_EXCUSED_COUNT; col++) {
		ck_assert_uint_eq(cm_snapshot_ints(snap, col, v, 4), n);
		for (size_t i = 0; i < n; i++) {
			int64_t want =
				col == CM_SCOL_STATE ? cm_snapshot_state(snap, i) :
				col == CM_SCOL_STANDING ? cm_snapshot_standing(snap, i) :
				col == CM_SCOL_MODALITY ? cm_snapshot_modality(snap, i) :
				col == CM_SCOL_SINCE ? cm_snapshot_since(snap, i) :
				col == CM_SCOL_CAUSE_REASON ? cm_snapshot_cause_reason(snap, i) :
				col == CM_SCOL_CAUSE_LINE ? cm_snapshot_cause_line(snap, i) :
				(int64_t)cm_snapshot_excused_count(snap, i);
			ck_assert_int_eq(v[i], want);
		}
	}
	for (int col = CM_SCOL_ID; col <= CM_SCOL_CAUSE_COMMITMENT; col++) {
		ck_assert_uint_eq(cm_snapshot_strings(snap, col, sv, 4), n);
		for (size_t i = 0; i < n; i++) {
			const char *want =
				col == CM_SCOL_ID ? cm_snapshot_id(snap, i) :
				col == CM_SCOL_CAUSE_FILE ? cm_snapshot_cause_file(snap, i) :
				cm_snapshot_cause_commitment(snap, i);
			ck_assert_ptr_eq(sv[i], want);
		}
	}
	ck_assert_uint_eq(cm_snapshot_ints(snap, CM_SCOL_ID, v, 4), 0);
	ck_assert_uint_eq(cm_snapshot_strings(snap, CM_SCOL_STATE, sv, 4), 0);
	ck_assert_uint_eq(cm_snapshot_ints(NULL, 0, v, 4), 0);
	ck_assert_uint_eq(cm_snapshot_strings(NULL, CM_SCOL_ID, sv, 4), 0);
	ck_assert_uint_eq(cm_snapshot_strings(snap, CM_SCOL_ID, NULL, 4), 0);
	cm_free(snap);
	cm_free(m);
	cm_free(r);
	cm_free(d);
}
END_TEST

static Suite *inspect_suite(void)
{
	Suite *s = suite_create("inspect");
	TCase *tc = tcase_leakcheck(s, "commitments");
	tcase_add_test(tc, commitment_items);
	tcase_add_test(tc, condition_tree);
	tc = tcase_leakcheck(s, "agreements");
	tcase_add_test(tc, agreement_items);
	tc = tcase_leakcheck(s, "built and edges");
	tcase_add_test(tc, built_and_edges);
	tcase_add_test(tc, pieces_round_trip);
	tc = tcase_leakcheck(s, "columns");
	tcase_add_test(tc, columns);
	return s;
}

int main(void)
{
	return run_suite(inspect_suite());
}
