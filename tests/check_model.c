/*
 * The model and its public builder API (include/commitments/agreement.h,
 * commitment.h, common.h, error.h): every function, every getter, every
 * error return; times, enum names, error texts, contexts, shipped
 * policies, documents.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>
#include <unistd.h>

#include "testutil.h"
#include "model/model.h"
#include "util/scc.h"

static cm_error err;

#define OK(expr)                                                            \
	do {                                                                \
		memset(&err, 0, sizeof(err));                               \
		int rc_ = (expr);                                           \
		ck_assert_msg(rc_ == CM_OK, "%s: rc %d: %s", #expr, rc_,    \
			      err.message);                                 \
	} while (0)

#define FAILS(expr, want_)                                                  \
	do {                                                                \
		memset(&err, 0, sizeof(err));                               \
		int rc_ = (expr);                                           \
		ck_assert_msg(rc_ == (want_), "%s: rc %d (want %d): %s",    \
			      #expr, rc_, (want_), err.message);            \
		ck_assert_int_eq(err.code, (want_));                        \
	} while (0)

static cm_agreement *agreement(void)
{
	cm_agreement *a = NULL;
	OK(cm_agreement_new(tctx, "talks", "Talks", &a, &err));
	OK(cm_agreement_add_party(a, "PK", "Pakistan", CM_ROLE_PARTY,
				  CM_KIND_STATE, &err));
	OK(cm_agreement_add_party(a, "AF", "Afghanistan", CM_ROLE_PARTY,
				  CM_KIND_AUTHORITY, &err));
	OK(cm_agreement_add_party(a, "QA", "Qatar", CM_ROLE_MEDIATOR,
				  CM_KIND_STATE, &err));
	return a;
}

static cm_commitment *commitment(cm_agreement *a, const char *id)
{
	cm_commitment *c = NULL;
	OK(cm_agreement_add_commitment(a, id, "PK", CM_MUST, &c, &err));
	return c;
}

/* ---- agreements -------------------------------------------------------- */

START_TEST(agreement_new)
{
	cm_agreement *a = NULL;
	OK(cm_agreement_new(tctx, "x-1_y", NULL, &a, &err));
	ck_assert_str_eq(cm_agreement_id(a), "x-1_y");
	ck_assert_ptr_null(cm_agreement_title(a));
	ck_assert(cm_agreement_date(a) == CM_TIME_NONE);
	ck_assert_ptr_null(cm_agreement_file(a));
	ck_assert_int_eq(cm_agreement_line(a), 0);
	ck_assert_uint_eq(cm_agreement_party_count(a), 0);
	ck_assert_uint_eq(cm_agreement_commitment_count(a), 0);
	ck_assert_uint_eq(cm_agreement_event_count(a), 0);
	ck_assert_ptr_null(cm_agreement_event(a, 0));
	cm_free(a);

	OK(cm_agreement_new(tctx, "t", "Türkiye talks", &a, &err));
	ck_assert_str_eq(cm_agreement_title(a), "Türkiye talks");
	cm_free(a);

	/* a NULL parent works too */
	OK(cm_agreement_new(NULL, "t", NULL, &a, &err));
	cm_free(a);

	static const char *const bad[] = {"", "1a", "a b", "-a", "a.b",
					  "\xc3\xa9"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a = NULL;
		FAILS(cm_agreement_new(tctx, bad[i], NULL, &a, &err), CM_EINVAL);
		ck_assert_ptr_null(a);
	}
	FAILS(cm_agreement_new(tctx, NULL, NULL, &a, &err), CM_EINVAL);
	ck_assert_str_eq(err.message, "invalid agreement id '(null)'");
	FAILS(cm_agreement_new(tctx, "ok", NULL, NULL, &err), CM_EINVAL);
	/* err may be NULL */
	ck_assert_int_eq(cm_agreement_new(tctx, "", NULL, &a, NULL), CM_EINVAL);
}
END_TEST

START_TEST(agreement_getters_null)
{
	ck_assert_ptr_null(cm_agreement_id(NULL));
	ck_assert_ptr_null(cm_agreement_title(NULL));
	ck_assert(cm_agreement_date(NULL) == CM_TIME_NONE);
	ck_assert_ptr_null(cm_agreement_file(NULL));
	ck_assert_int_eq(cm_agreement_line(NULL), 0);
	ck_assert_uint_eq(cm_agreement_party_count(NULL), 0);
	ck_assert_ptr_null(cm_agreement_party(NULL, 0));
	ck_assert_ptr_null(cm_agreement_find_party(NULL, "PK"));
	ck_assert_uint_eq(cm_agreement_commitment_count(NULL), 0);
	ck_assert_ptr_null(cm_agreement_commitment(NULL, 0));
	ck_assert_ptr_null(cm_agreement_find_commitment(NULL, "c"));
	ck_assert_uint_eq(cm_agreement_event_count(NULL), 0);
	ck_assert_ptr_null(cm_agreement_event(NULL, 0));
	ck_assert_ptr_null(cm_party_id(NULL));
	ck_assert_ptr_null(cm_party_name(NULL));
	ck_assert_int_eq(cm_party_role(NULL), -1);
	ck_assert_int_eq(cm_party_kind(NULL), -1);
	cm_agreement *a = agreement();
	ck_assert_ptr_null(cm_agreement_find_party(a, NULL));
	ck_assert_ptr_null(cm_agreement_find_commitment(a, NULL));
	cm_free(a);
}
END_TEST

START_TEST(agreement_date)
{
	cm_agreement *a = agreement();
	OK(cm_agreement_set_date(a, 1000, &err));
	ck_assert(cm_agreement_date(a) == 1000);
	FAILS(cm_agreement_set_date(a, 2000, &err), CM_EINVAL);
	ck_assert_str_eq(err.message, "'date' given twice");
	ck_assert(cm_agreement_date(a) == 1000);
	FAILS(cm_agreement_set_date(a, CM_TIME_NONE, &err), CM_EINVAL);
	FAILS(cm_agreement_set_date(NULL, 5, &err), CM_EINVAL);
	cm_free(a);
}
END_TEST

START_TEST(parties)
{
	cm_agreement *a = agreement();
	OK(cm_agreement_add_party(a, "TTP", "Tehreek-e-Taliban", CM_ROLE_ACTOR,
				  CM_KIND_ARMED_GROUP, &err));
	OK(cm_agreement_add_party(a, "p", "Someone", CM_ROLE_WITNESS,
				  CM_KIND_NONE, &err));
	OK(cm_agreement_add_party(a, "g", "G", CM_ROLE_GUARANTOR,
				  CM_KIND_PERSON, &err));
	OK(cm_agreement_add_party(a, "o", "O", CM_ROLE_PARTY,
				  CM_KIND_ORGANIZATION, &err));
	ck_assert_uint_eq(cm_agreement_party_count(a), 7);
	const cm_party *p = cm_agreement_party(a, 3);
	ck_assert_str_eq(cm_party_id(p), "TTP");
	ck_assert_str_eq(cm_party_name(p), "Tehreek-e-Taliban");
	ck_assert_int_eq(cm_party_role(p), CM_ROLE_ACTOR);
	ck_assert_int_eq(cm_party_kind(p), CM_KIND_ARMED_GROUP);
	ck_assert_ptr_eq(cm_agreement_find_party(a, "TTP"), p);
	ck_assert_ptr_null(cm_agreement_party(a, 7));
	ck_assert_ptr_null(cm_agreement_find_party(a, "nobody"));
	ck_assert_int_eq(cm_party_kind(cm_agreement_party(a, 4)), CM_KIND_NONE);
	ck_assert_int_eq(cm_party_role(cm_agreement_party(a, 2)),
			 CM_ROLE_MEDIATOR);
	ck_assert_int_eq(cm_party_role(cm_agreement_party(a, 5)),
			 CM_ROLE_GUARANTOR);

	/* errors leave the agreement unchanged */
	FAILS(cm_agreement_add_party(a, "x", "X", -1, CM_KIND_NONE, &err),
	      CM_EINVAL);
	FAILS(cm_agreement_add_party(a, "x", "X", CM_ROLE_ACTOR + 1,
				     CM_KIND_NONE, &err), CM_EINVAL);
	FAILS(cm_agreement_add_party(a, "x", "X", CM_ROLE_PARTY, -1, &err),
	      CM_EINVAL);
	FAILS(cm_agreement_add_party(a, "x", "X", CM_ROLE_PARTY,
				     CM_KIND_PERSON + 1, &err), CM_EINVAL);
	FAILS(cm_agreement_add_party(a, "x", NULL, CM_ROLE_PARTY, 0, &err),
	      CM_EINVAL);
	FAILS(cm_agreement_add_party(a, NULL, "X", CM_ROLE_PARTY, 0, &err),
	      CM_EINVAL);
	FAILS(cm_agreement_add_party(NULL, "x", "X", CM_ROLE_PARTY, 0, &err),
	      CM_EINVAL);
	FAILS(cm_agreement_add_party(a, "9x", "X", CM_ROLE_PARTY, 0, &err),
	      CM_EINVAL);
	ck_assert_str_eq(err.message, "invalid party id '9x'");
	FAILS(cm_agreement_add_party(a, "PK", "Again", CM_ROLE_PARTY, 0, &err),
	      CM_EINVAL);
	ck_assert_str_eq(err.message, "duplicate id 'PK'");
	ck_assert_uint_eq(cm_agreement_party_count(a), 7);
	ck_assert_str_eq(cm_party_name(cm_agreement_find_party(a, "PK")),
			 "Pakistan");
	cm_free(a);
}
END_TEST

START_TEST(reserved_names)
{
	static const char *const reserved[] = {"all", "obligations",
					       "prohibitions", "permissions",
					       "debtor", "creditor", "any"};
	cm_agreement *a = agreement();
	for (size_t i = 0; i < 7; i++) {
		char want[120];
		FAILS(cm_agreement_add_party(a, reserved[i], "X", CM_ROLE_PARTY,
					     0, &err), CM_EINVAL);
		snprintf(want, sizeof(want),
			 "'%s' is reserved and cannot name a party", reserved[i]);
		ck_assert_str_eq(err.message, want);
		FAILS(cm_agreement_add_commitment(a, reserved[i], "PK", CM_MUST,
						  NULL, &err), CM_EINVAL);
		snprintf(want, sizeof(want),
			 "'%s' is reserved and cannot name a commitment",
			 reserved[i]);
		ck_assert_str_eq(err.message, want);
		ck_assert(cm__reserved_id(reserved[i]));
	}
	/* only exact names are reserved */
	OK(cm_agreement_add_party(a, "All", "X", CM_ROLE_PARTY, 0, &err));
	OK(cm_agreement_add_commitment(a, "any_", "PK", CM_MAY, NULL, &err));
	ck_assert(!cm__reserved_id("parties"));
	ck_assert_uint_eq(cm_agreement_party_count(a), 4);
	ck_assert_uint_eq(cm_agreement_commitment_count(a), 1);
	cm_free(a);
}
END_TEST

START_TEST(shared_namespace)
{
	cm_agreement *a = agreement();
	commitment(a, "c");
	FAILS(cm_agreement_add_party(a, "c", "C", CM_ROLE_PARTY, 0, &err),
	      CM_EINVAL);
	ck_assert_str_eq(err.message, "duplicate id 'c'");
	FAILS(cm_agreement_add_commitment(a, "PK", "PK", CM_MUST, NULL, &err),
	      CM_EINVAL);
	ck_assert_str_eq(err.message, "duplicate id 'PK'");
	FAILS(cm_agreement_add_commitment(a, "c", "PK", CM_MUST, NULL, &err),
	      CM_EINVAL);
	ck_assert_uint_eq(cm_agreement_party_count(a), 3);
	ck_assert_uint_eq(cm_agreement_commitment_count(a), 1);
	ck_assert_ptr_null(cm_agreement_find_party(a, "c"));
	ck_assert_ptr_null(cm_agreement_find_commitment(a, "PK"));
	cm_free(a);
}
END_TEST

START_TEST(many_ids)
{
	/* the id map grows: every id stays findable */
	cm_agreement *a = agreement();
	char id[16];
	for (int i = 0; i < 5000; i++) {
		snprintf(id, sizeof(id), "c%d", i);
		commitment(a, id);
	}
	for (int i = 0; i < 5000; i += 7) {
		snprintf(id, sizeof(id), "c%d", i);
		cm_commitment *c = cm_agreement_find_commitment(a, id);
		ck_assert_ptr_nonnull(c);
		ck_assert_str_eq(cm_commitment_id(c), id);
		ck_assert_ptr_eq(cm_agreement_commitment(a, (size_t)i), c);
	}
	ck_assert_ptr_nonnull(cm_agreement_find_party(a, "QA"));
	cm_free(a);
}
END_TEST

START_TEST(signatures)
{
	cm_agreement *a = agreement();
	OK(cm_agreement_add_signature(a, "PK", CM_TIME_NONE, &err));
	OK(cm_agreement_add_signature(a, "AF", 42, &err));
	OK(cm_agreement_add_ratification(a, "PK", 99, &err));
	ck_assert_uint_eq(a->sigs.n, 2);
	ck_assert(a->sigs.v[0].on == CM_TIME_NONE);
	ck_assert(a->sigs.v[1].on == 42);
	ck_assert_uint_eq(a->ratifications.n, 1);
	FAILS(cm_agreement_add_signature(NULL, "PK", 0, &err), CM_EINVAL);
	FAILS(cm_agreement_add_signature(a, NULL, 0, &err), CM_EINVAL);
	FAILS(cm_agreement_add_ratification(NULL, "PK", 0, &err), CM_EINVAL);
	FAILS(cm_agreement_add_ratification(a, NULL, 0, &err), CM_EINVAL);
	OK(cm_agreement_validate(a, &err));
	/* parties must exist by validation time */
	OK(cm_agreement_add_ratification(a, "ZZ", 0, &err));
	FAILS(cm_agreement_validate(a, &err), CM_ESEMANTIC);

	cm_agreement *b = agreement();
	OK(cm_agreement_set_registered(b, CM_TIME_NONE, &err));
	ck_assert(b->registered);
	ck_assert(b->registered_on == CM_TIME_NONE);
	FAILS(cm_agreement_set_registered(b, 5, &err), CM_EINVAL);
	ck_assert_str_eq(err.message, "'registered' given twice");
	FAILS(cm_agreement_set_registered(NULL, 5, &err), CM_EINVAL);
	cm_free(b);
	OK(cm_agreement_new(tctx, "r", NULL, &b, &err));
	OK(cm_agreement_set_registered(b, 77, &err));
	ck_assert(b->registered_on == 77);
	cm_free(b);
	cm_free(a);
}
END_TEST

START_TEST(requirements)
{
	cm_agreement *a = agreement();
	OK(cm_agreement_add_requirement(a, "signed by debtor", NULL, &err));
	OK(cm_agreement_add_requirement(a, "written", "obligations", &err));
	OK(cm_agreement_add_requirement(a, "witnessed by any mediator", "PK",
					&err));
	ck_assert_uint_eq(a->rules.n, 3);
	ck_assert_int_eq(a->rules.v[0].kind, CM__RULE_SIGNED);
	ck_assert_int_eq(a->rules.v[0].who, CM__WHO_DEBTOR);
	ck_assert_int_eq(a->rules.v[1].selector, CM__SEL_OBLIGATIONS);
	ck_assert_int_eq(a->rules.v[2].selector, CM__SEL_ID);
	ck_assert_str_eq(a->rules.v[2].sel_id.s, "PK");
	ck_assert_ptr_null(a->rules.v[0].policy);
	OK(cm_agreement_validate(a, &err));
	FAILS(cm_agreement_add_requirement(a, "sealed by debtor", NULL, &err),
	      CM_ESYNTAX);
	FAILS(cm_agreement_add_requirement(NULL, "written", NULL, &err),
	      CM_EINVAL);
	FAILS(cm_agreement_add_requirement(a, NULL, NULL, &err), CM_EINVAL);
	ck_assert_uint_eq(a->rules.n, 3);
	/* a selector naming nobody is caught at validation */
	OK(cm_agreement_add_requirement(a, "written", "ZZ", &err));
	FAILS(cm_agreement_validate(a, &err), CM_ESEMANTIC);
	cm_free(a);
}
END_TEST

START_TEST(use_policy)
{
	cm_agreement *a = agreement();
	cm_policy *p = NULL;
	OK(cm_policy_new(tctx, "mine", "Mine", &p, &err));
	OK(cm_policy_add_requirement(p, "written", NULL, &err));
	OK(cm_policy_add_requirement(p, "signed by PK", "AF", &err));
	OK(cm_agreement_add_requirement(a, "dated", NULL, &err));
	OK(cm_agreement_use_policy(a, p, &err));
	/* the policy may go: the agreement holds copies */
	cm_free(p);
	ck_assert_uint_eq(a->rules.n, 3);
	ck_assert_ptr_null(a->rules.v[0].policy);
	ck_assert_str_eq(a->rules.v[1].policy, "mine");
	ck_assert_str_eq(a->rules.v[2].policy, "mine");
	ck_assert_str_eq(a->rules.v[2].ids.v[0].s, "PK");
	ck_assert_str_eq(a->rules.v[2].sel_id.s, "AF");
	ck_assert_uint_eq(a->rules.v[1].line, 0);
	OK(cm_agreement_validate(a, &err));
	FAILS(cm_agreement_use_policy(a, NULL, &err), CM_EINVAL);
	OK(cm_policy_builtin(tctx, "vclt", &p, &err));
	FAILS(cm_agreement_use_policy(NULL, p, &err), CM_EINVAL);
	OK(cm_agreement_use_policy(a, p, &err));
	ck_assert_uint_eq(a->rules.n, 6);
	ck_assert_str_eq(a->rules.v[5].policy, "vclt");
	cm_free(p);
	cm_free(a);
}
END_TEST

/* ---- commitments ------------------------------------------------------- */

START_TEST(commitment_new)
{
	cm_agreement *a = agreement();
	cm_commitment *c = NULL;
	OK(cm_agreement_add_commitment(a, "c", "AF", CM_MUST_PREVENT, &c, &err));
	ck_assert_str_eq(cm_commitment_id(c), "c");
	ck_assert_str_eq(cm_commitment_debtor(c), "AF");
	ck_assert_int_eq(cm_commitment_modality(c), CM_MUST_PREVENT);
	ck_assert_int_eq(cm_commitment_declared_form(c), CM_FORM_DEFAULT);
	ck_assert_int_eq(cm_commitment_standing(c), CM_STANDING_AGREED);
	ck_assert_int_eq(cm_commitment_is_action(c), 0);
	ck_assert_ptr_null(cm_commitment_action_type(c));
	ck_assert_ptr_null(cm_commitment_text(c));
	ck_assert_int_eq(cm_commitment_line(c), 0);
	ck_assert_ptr_eq(cm_agreement_commitment(a, 0), c);
	ck_assert_ptr_eq(cm_agreement_find_commitment(a, "c"), c);
	ck_assert_ptr_null(cm_agreement_commitment(a, 1));
	/* out may be NULL */
	OK(cm_agreement_add_commitment(a, "d", "PK", CM_MAY, NULL, &err));
	ck_assert_uint_eq(cm_agreement_commitment_count(a), 2);
	/* the debtor is any string until validation */
	OK(cm_agreement_add_commitment(a, "e", "whoever", CM_MUST, NULL, &err));

	FAILS(cm_agreement_add_commitment(a, "x", "PK", -1, NULL, &err),
	      CM_EINVAL);
	FAILS(cm_agreement_add_commitment(a, "x", "PK", CM_MAY + 1, NULL, &err),
	      CM_EINVAL);
	FAILS(cm_agreement_add_commitment(a, "x", NULL, CM_MUST, NULL, &err),
	      CM_EINVAL);
	FAILS(cm_agreement_add_commitment(a, NULL, "PK", CM_MUST, NULL, &err),
	      CM_EINVAL);
	FAILS(cm_agreement_add_commitment(NULL, "x", "PK", CM_MUST, NULL, &err),
	      CM_EINVAL);
	FAILS(cm_agreement_add_commitment(a, "x y", "PK", CM_MUST, NULL, &err),
	      CM_EINVAL);
	ck_assert_str_eq(err.message, "invalid commitment id 'x y'");
	ck_assert_uint_eq(cm_agreement_commitment_count(a), 3);
	cm_free(a);
}
END_TEST

START_TEST(commitment_getters_null)
{
	ck_assert_ptr_null(cm_commitment_id(NULL));
	ck_assert_ptr_null(cm_commitment_debtor(NULL));
	ck_assert_int_eq(cm_commitment_modality(NULL), -1);
	ck_assert_int_eq(cm_commitment_declared_form(NULL), -1);
	ck_assert_int_eq(cm_commitment_standing(NULL), -1);
	ck_assert_int_eq(cm_commitment_is_action(NULL), 0);
	ck_assert_ptr_null(cm_commitment_action_type(NULL));
	ck_assert_ptr_null(cm_commitment_text(NULL));
	ck_assert_int_eq(cm_commitment_line(NULL), 0);
	ck_assert_int_eq(cm_condition_type(NULL), -1);
}
END_TEST

START_TEST(content)
{
	cm_agreement *a = agreement();
	cm_commitment *c = commitment(a, "c");
	OK(cm_commitment_set_action(c, "strike(on: AF, in: \"Kabul\")", &err));
	ck_assert_int_eq(cm_commitment_is_action(c), 1);
	ck_assert_str_eq(cm_commitment_action_type(c), "strike");
	ck_assert_ptr_null(cm_commitment_text(c));
	ck_assert_uint_eq(c->action.nattrs, 2);
	ck_assert_str_eq(c->action.attrs[1].value, "Kabul");
	FAILS(cm_commitment_set_action(c, "other()", &err), CM_EINVAL);
	ck_assert_str_eq(err.message, "'content' given twice");
	FAILS(cm_commitment_set_text(c, "t", &err), CM_EINVAL);

	cm_commitment *d = commitment(a, "d");
	FAILS(cm_commitment_set_action(d, "not a pattern", &err), CM_ESYNTAX);
	ck_assert_int_eq(cm_commitment_is_action(d), 0);
	FAILS(cm_commitment_set_action(d, "a() b()", &err), CM_ESYNTAX);
	OK(cm_commitment_set_text(d, "Free \"text\"", &err));
	ck_assert_str_eq(cm_commitment_text(d), "Free \"text\"");
	ck_assert_ptr_null(cm_commitment_action_type(d));
	FAILS(cm_commitment_set_text(d, "again", &err), CM_EINVAL);
	FAILS(cm_commitment_set_action(d, "x()", &err), CM_EINVAL);

	FAILS(cm_commitment_set_action(NULL, "x()", &err), CM_EINVAL);
	FAILS(cm_commitment_set_action(d, NULL, &err), CM_EINVAL);
	FAILS(cm_commitment_set_text(NULL, "x", &err), CM_EINVAL);
	FAILS(cm_commitment_set_text(d, NULL, &err), CM_EINVAL);
	OK(cm_agreement_validate(a, &err));
	cm_free(a);
}
END_TEST

START_TEST(deadlines_and_dates)
{
	cm_agreement *a = agreement();
	cm_commitment *c = commitment(a, "c");
	OK(cm_commitment_set_deadline(c, 500, &err));
	ck_assert(c->by == 500);
	FAILS(cm_commitment_set_deadline(c, 600, &err), CM_EINVAL);
	ck_assert_str_eq(err.message, "'deadline' given twice");
	FAILS(cm_commitment_set_within(c, 60, &err), CM_EINVAL);
	ck_assert(c->within == -1);

	cm_commitment *d = commitment(a, "d");
	OK(cm_commitment_set_within(d, 0, &err));
	ck_assert(d->within == 0);
	FAILS(cm_commitment_set_within(d, 5, &err), CM_EINVAL);
	FAILS(cm_commitment_set_deadline(d, 5, &err), CM_EINVAL);
	ck_assert(d->by == CM_TIME_NONE);

	cm_commitment *e = commitment(a, "e");
	FAILS(cm_commitment_set_within(e, -1, &err), CM_EINVAL);
	FAILS(cm_commitment_set_deadline(e, CM_TIME_NONE, &err), CM_EINVAL);
	FAILS(cm_commitment_set_within(NULL, 1, &err), CM_EINVAL);
	FAILS(cm_commitment_set_deadline(NULL, 1, &err), CM_EINVAL);

	OK(cm_commitment_set_from(e, 10, &err));
	FAILS(cm_commitment_set_from(e, 11, &err), CM_EINVAL);
	ck_assert_str_eq(err.message, "'from' given twice");
	FAILS(cm_commitment_set_from(c, CM_TIME_NONE, &err), CM_EINVAL);
	FAILS(cm_commitment_set_from(NULL, 1, &err), CM_EINVAL);
	OK(cm_commitment_set_until(e, 20, &err));
	FAILS(cm_commitment_set_until(e, 21, &err), CM_EINVAL);
	ck_assert_str_eq(err.message, "'until' given twice");
	FAILS(cm_commitment_set_until(c, CM_TIME_NONE, &err), CM_EINVAL);
	FAILS(cm_commitment_set_until(NULL, 1, &err), CM_EINVAL);
	ck_assert(e->from == 10);
	ck_assert(e->until == 20);
	cm_free(a);
}
END_TEST

START_TEST(lists)
{
	cm_agreement *a = agreement();
	cm_commitment *c = commitment(a, "c");
	OK(cm_commitment_set_text(c, "x", &err));
	commitment(a, "d");
	OK(cm_commitment_add_creditor(c, "AF", &err));
	OK(cm_commitment_add_creditor(c, "QA", &err));
	OK(cm_commitment_add_reciprocal(c, "d", &err));
	OK(cm_commitment_add_signature(c, "PK", 3, &err));
	OK(cm_commitment_add_signature(c, "AF", CM_TIME_NONE, &err));
	OK(cm_commitment_add_witness(c, "QA", &err));
	OK(cm_commitment_add_note(c, "first", &err));
	OK(cm_commitment_add_note(c, "second", &err));
	ck_assert_uint_eq(c->to.n, 2);
	ck_assert_str_eq(c->to.v[1].s, "QA");
	ck_assert_uint_eq(c->reciprocal.n, 1);
	ck_assert_uint_eq(c->sigs.n, 2);
	ck_assert(c->sigs.v[0].on == 3);
	ck_assert_uint_eq(c->witnesses.n, 1);
	ck_assert_uint_eq(c->nnotes, 2);
	ck_assert_str_eq(c->notes[1], "second");
	FAILS(cm_commitment_add_creditor(NULL, "AF", &err), CM_EINVAL);
	FAILS(cm_commitment_add_creditor(c, NULL, &err), CM_EINVAL);
	FAILS(cm_commitment_add_reciprocal(NULL, "d", &err), CM_EINVAL);
	FAILS(cm_commitment_add_reciprocal(c, NULL, &err), CM_EINVAL);
	FAILS(cm_commitment_add_signature(NULL, "PK", 0, &err), CM_EINVAL);
	FAILS(cm_commitment_add_signature(c, NULL, 0, &err), CM_EINVAL);
	FAILS(cm_commitment_add_witness(NULL, "QA", &err), CM_EINVAL);
	FAILS(cm_commitment_add_witness(c, NULL, &err), CM_EINVAL);
	FAILS(cm_commitment_add_note(NULL, "n", &err), CM_EINVAL);
	FAILS(cm_commitment_add_note(c, NULL, &err), CM_EINVAL);
	ck_assert_uint_eq(c->to.n, 2);
	cm_free(a);
}
END_TEST

START_TEST(form)
{
	cm_agreement *a = agreement();
	cm_commitment *c = commitment(a, "c");
	cm_commitment *d = commitment(a, "d");
	/* default: verbal, written once the agreement is signed */
	ck_assert_int_eq(cm__effective_form(c), CM_FORM_VERBAL);
	OK(cm_commitment_set_form(c, CM_FORM_VERBAL, &err));
	ck_assert_int_eq(cm_commitment_declared_form(c), CM_FORM_VERBAL);
	FAILS(cm_commitment_set_form(c, CM_FORM_WRITTEN, &err), CM_EINVAL);
	ck_assert_str_eq(err.message, "'form' given twice");
	FAILS(cm_commitment_set_form(d, CM_FORM_DEFAULT, &err), CM_EINVAL);
	FAILS(cm_commitment_set_form(d, 3, &err), CM_EINVAL);
	FAILS(cm_commitment_set_form(NULL, CM_FORM_WRITTEN, &err), CM_EINVAL);
	ck_assert_int_eq(cm_commitment_declared_form(d), CM_FORM_DEFAULT);
	OK(cm_agreement_add_signature(a, "PK", CM_TIME_NONE, &err));
	ck_assert_int_eq(cm__effective_form(c), CM_FORM_VERBAL);
	ck_assert_int_eq(cm__effective_form(d), CM_FORM_WRITTEN);
	const cm_party *pk = cm_agreement_find_party(a, "PK");
	const cm_party *af = cm_agreement_find_party(a, "AF");
	/* "signed by" reads the resolved agreement */
	OK(cm_commitment_set_text(c, "c", &err));
	OK(cm_commitment_set_text(d, "d", &err));
	OK(cm_agreement_validate(a, &err));
	ck_assert(cm__signed_by(d, pk));
	ck_assert(!cm__signed_by(c, pk));
	ck_assert(!cm__signed_by(d, af));
	/* its own signature: signed by AF, who did not sign the text */
	cm_commitment *e = commitment(a, "e");
	OK(cm_commitment_set_text(e, "e", &err));
	OK(cm_commitment_add_signature(e, "AF", CM_TIME_NONE, &err));
	OK(cm_agreement_validate(a, &err));
	ck_assert(cm__signed_by(e, af));
	ck_assert(cm__signed_by(e, pk));
	cm_free(a);
}
END_TEST

START_TEST(standing)
{
	cm_agreement *a = agreement();
	cm_commitment *c = commitment(a, "c");
	OK(cm_commitment_set_standing(c, CM_STANDING_PROPOSED, "PK", &err));
	OK(cm_commitment_set_standing(c, CM_STANDING_PROPOSED, "AF", &err));
	ck_assert_int_eq(cm_commitment_standing(c), CM_STANDING_PROPOSED);
	ck_assert_uint_eq(c->standing_by.n, 2);
	FAILS(cm_commitment_set_standing(c, CM_STANDING_REJECTED, "AF", &err),
	      CM_EINVAL);
	ck_assert_str_eq(err.message, "'standing' given twice");
	ck_assert_int_eq(cm_commitment_standing(c), CM_STANDING_PROPOSED);

	cm_commitment *d = commitment(a, "d");
	OK(cm_commitment_set_standing(d, CM_STANDING_CLAIMED, NULL, &err));
	FAILS(cm_commitment_set_standing(d, CM_STANDING_CLAIMED, NULL, &err),
	      CM_EINVAL);
	ck_assert_int_eq(cm_commitment_standing(d), CM_STANDING_CLAIMED);

	cm_commitment *e = commitment(a, "e");
	OK(cm_commitment_set_standing(e, CM_STANDING_AGREED, NULL, &err));
	FAILS(cm_commitment_set_standing(e, CM_STANDING_AGREED, NULL, &err),
	      CM_EINVAL);

	cm_commitment *f = commitment(a, "f");
	/* the party goes with proposed / rejected only */
	FAILS(cm_commitment_set_standing(f, CM_STANDING_AGREED, "PK", &err),
	      CM_EINVAL);
	FAILS(cm_commitment_set_standing(f, CM_STANDING_CLAIMED, "PK", &err),
	      CM_EINVAL);
	FAILS(cm_commitment_set_standing(f, CM_STANDING_REJECTED, NULL, &err),
	      CM_EINVAL);
	FAILS(cm_commitment_set_standing(f, CM_STANDING_PROPOSED, NULL, &err),
	      CM_EINVAL);
	FAILS(cm_commitment_set_standing(f, -1, NULL, &err), CM_EINVAL);
	FAILS(cm_commitment_set_standing(f, CM_STANDING_REJECTED + 1, NULL,
					 &err), CM_EINVAL);
	FAILS(cm_commitment_set_standing(NULL, CM_STANDING_CLAIMED, NULL, &err),
	      CM_EINVAL);
	ck_assert(!f->standing_set);
	OK(cm_commitment_set_standing(f, CM_STANDING_REJECTED, "QA", &err));
	ck_assert_int_eq(cm_commitment_standing(f), CM_STANDING_REJECTED);
	cm_free(a);
}
END_TEST

/* ---- conditions -------------------------------------------------------- */

START_TEST(condition_nodes)
{
	cm_agreement *a = agreement();
	cm_commitment *c = commitment(a, "c");
	cm_condition *t, *f, *act, *cnt, *st, *fm, *n, *o, *x;
	OK(cm_condition_new_const(c, 1, &t, &err));
	OK(cm_condition_new_const(c, 0, &f, &err));
	ck_assert_int_eq(cm_condition_type(t), CM_CT_TRUE);
	ck_assert_int_eq(cm_condition_type(f), CM_CT_FALSE);
	OK(cm_condition_new_action(c, "attack(from: AF)", 43200, &act, &err));
	ck_assert_int_eq(cm_condition_type(act), CM_CT_ACTION);
	ck_assert(act->window == 43200);
	ck_assert_str_eq(act->act.type, "attack");
	OK(cm_condition_new_count(c, "raid()", CM_CMP_GE, 3, -1, &cnt, &err));
	ck_assert_int_eq(cm_condition_type(cnt), CM_CT_COUNT);
	ck_assert(cnt->n == 3 && cnt->cmp == CM_CMP_GE && cnt->window == -1);
	OK(cm_condition_new_state(c, CM_STATE_VIOLATED, "d", &st, &err));
	ck_assert_int_eq(cm_condition_type(st), CM_CT_STATE);
	ck_assert_int_eq(st->which, CM_STATE_VIOLATED);
	ck_assert_str_eq(st->ref.s, "d");
	OK(cm_condition_new_form(c, CM_FORM_ATOM_SIGNED, "c", &fm, &err));
	ck_assert_int_eq(cm_condition_type(fm), CM_CT_FORM);
	OK(cm_condition_new_not(c, t, &n, &err));
	ck_assert_int_eq(cm_condition_type(n), CM_CT_NOT);
	ck_assert_uint_eq(n->nkids, 1);
	ck_assert_uint_eq(n->depth, 2);
	/* and/or stay flat: (f and act) and cnt has three kids */
	OK(cm_condition_new_binary(c, CM_CT_AND, f, act, &o, &err));
	OK(cm_condition_new_binary(c, CM_CT_AND, o, cnt, &x, &err));
	ck_assert_int_eq(cm_condition_type(x), CM_CT_AND);
	ck_assert_uint_eq(x->nkids, 3);
	ck_assert_ptr_eq(x->kids[0], f);
	ck_assert_ptr_eq(x->kids[2], cnt);
	cm_condition *y;
	OK(cm_condition_new_binary(c, CM_CT_OR, st, fm, &y, &err));
	cm_condition *z;
	OK(cm_condition_new_binary(c, CM_CT_OR, x, y, &z, &err));
	ck_assert_uint_eq(z->nkids, 3); /* x (an and) + st + fm */
	OK(cm_commitment_add_condition_node(c, CM_COND_WHILE, z, &err));
	ck_assert_uint_eq(c->whiles.n, 1);
	OK(cm_commitment_add_condition_node(c, CM_COND_IF, n, &err));
	OK(cm_commitment_set_text(c, "x", &err));
	cm_commitment *d = commitment(a, "d");
	OK(cm_commitment_set_text(d, "y", &err));
	OK(cm_agreement_validate(a, &err));
	ck_assert_ptr_eq(st->target, d);
	ck_assert_ptr_eq(fm->target, c);
	cm_free(a);
}
END_TEST

START_TEST(condition_errors)
{
	cm_agreement *a = agreement();
	cm_commitment *c = commitment(a, "c");
	cm_condition *t = NULL, *u = NULL, *n = NULL;
	FAILS(cm_condition_new_const(NULL, 1, &t, &err), CM_EINVAL);
	FAILS(cm_condition_new_const(c, 1, NULL, &err), CM_EINVAL);
	FAILS(cm_condition_new_action(c, "x()", -2, &t, &err), CM_EINVAL);
	FAILS(cm_condition_new_action(c, NULL, -1, &t, &err), CM_EINVAL);
	FAILS(cm_condition_new_action(c, "x(", -1, &t, &err), CM_ESYNTAX);
	FAILS(cm_condition_new_count(c, "x()", -1, 1, -1, &t, &err), CM_EINVAL);
	FAILS(cm_condition_new_count(c, "x()", CM_CMP_NE + 1, 1, -1, &t, &err),
	      CM_EINVAL);
	FAILS(cm_condition_new_count(c, "x()", CM_CMP_EQ, 1, -2, &t, &err),
	      CM_EINVAL);
	/* the count bound: an integer from 0 to 2^31 - 1 */
	FAILS(cm_condition_new_count(c, "x()", CM_CMP_EQ, -1, -1, &t, &err),
	      CM_ERANGE);
	FAILS(cm_condition_new_count(c, "x()", CM_CMP_EQ, 2147483648LL, -1, &t,
				     &err), CM_ERANGE);
	ck_assert_str_eq(err.message,
			 "count bound must be an integer from 0 to 2147483647");
	OK(cm_condition_new_count(c, "x()", CM_CMP_LT, 0, 60, &t, &err));
	OK(cm_condition_new_count(c, "x()", CM_CMP_LE, 2147483647LL, -1, &t,
				  &err));
	ck_assert(t->n == 2147483647LL);
	FAILS(cm_condition_new_state(c, -1, "c", &t, &err), CM_EINVAL);
	FAILS(cm_condition_new_state(c, CM_STATE_EXPIRED + 1, "c", &t, &err),
	      CM_EINVAL);
	FAILS(cm_condition_new_state(c, CM_STATE_ACTIVE, "no way", &t, &err),
	      CM_EINVAL);
	ck_assert_str_eq(err.message, "invalid commitment id 'no way'");
	FAILS(cm_condition_new_state(c, CM_STATE_ACTIVE, NULL, &t, &err),
	      CM_EINVAL);
	FAILS(cm_condition_new_form(c, -1, "c", &t, &err), CM_EINVAL);
	FAILS(cm_condition_new_form(c, CM_FORM_ATOM_SIGNED + 1, "c", &t, &err),
	      CM_EINVAL);
	FAILS(cm_condition_new_form(c, CM_FORM_ATOM_WRITTEN, "", &t, &err),
	      CM_EINVAL);

	/* a node is used in one place only */
	OK(cm_condition_new_const(c, 1, &t, &err));
	OK(cm_condition_new_const(c, 0, &u, &err));
	FAILS(cm_condition_new_binary(c, CM_CT_AND, t, t, &n, &err), CM_EINVAL);
	FAILS(cm_condition_new_binary(c, CM_CT_NOT, t, u, &n, &err), CM_EINVAL);
	FAILS(cm_condition_new_binary(c, CM_CT_AND, t, NULL, &n, &err),
	      CM_EINVAL);
	FAILS(cm_condition_new_not(c, NULL, &n, &err), CM_EINVAL);
	OK(cm_condition_new_not(c, t, &n, &err));
	FAILS(cm_condition_new_not(c, t, &n, &err), CM_EINVAL);
	FAILS(cm_condition_new_binary(c, CM_CT_OR, t, u, &n, &err), CM_EINVAL);
	FAILS(cm_commitment_add_condition_node(c, CM_COND_IF, t, &err),
	      CM_EINVAL);
	OK(cm_commitment_add_condition_node(c, CM_COND_UNLESS, u, &err));
	FAILS(cm_commitment_add_condition_node(c, CM_COND_IF, u, &err),
	      CM_EINVAL);
	ck_assert_uint_eq(c->ifs.n, 0);
	ck_assert_uint_eq(c->unlesses.n, 1);
	FAILS(cm_commitment_add_condition_node(c, 3, n, &err), CM_EINVAL);
	FAILS(cm_commitment_add_condition_node(c, -1, n, &err), CM_EINVAL);
	FAILS(cm_commitment_add_condition_node(c, CM_COND_IF, NULL, &err),
	      CM_EINVAL);
	FAILS(cm_commitment_add_condition_node(NULL, CM_COND_IF, n, &err),
	      CM_EINVAL);
	cm_free(a);
}
END_TEST

START_TEST(condition_depth)
{
	cm_agreement *a = agreement();
	cm_commitment *c = commitment(a, "c");
	cm_condition *n = NULL, *m = NULL;
	OK(cm_condition_new_const(c, 1, &n, &err));
	/* depth 1 .. 256 are accepted */
	for (int d = 2; d <= 256; d++) {
		OK(cm_condition_new_not(c, n, &m, &err));
		n = m;
	}
	ck_assert_uint_eq(n->depth, 256);
	FAILS(cm_condition_new_not(c, n, &m, &err), CM_ELIMIT);
	ck_assert_str_eq(err.message, "condition nested deeper than 256");
	cm_condition *t = NULL;
	OK(cm_condition_new_const(c, 1, &t, &err));
	FAILS(cm_condition_new_binary(c, CM_CT_AND, t, n, &m, &err), CM_ELIMIT);
	/* the deep tree is still usable */
	OK(cm_commitment_add_condition_node(c, CM_COND_WHILE, n, &err));
	OK(cm_commitment_set_text(c, "x", &err));
	OK(cm_agreement_validate(a, &err));
	cm_free(a);
}
END_TEST

START_TEST(condition_text)
{
	cm_agreement *a = agreement();
	cm_commitment *c = commitment(a, "c");
	commitment(a, "d");
	OK(cm_commitment_add_condition(c, CM_COND_IF,
				       "attack(from: AF) within 30d", &err));
	OK(cm_commitment_add_condition(c, CM_COND_WHILE, "not violated(d)",
				       &err));
	OK(cm_commitment_add_condition(c, CM_COND_UNLESS,
				       "count(raid()) >= 2 or false", &err));
	ck_assert_uint_eq(c->ifs.n, 1);
	ck_assert_int_eq(cm_condition_type(c->ifs.v[0].cond), CM_CT_ACTION);
	ck_assert(c->ifs.v[0].cond->window == 30 * 1440);
	ck_assert_int_eq(cm_condition_type(c->whiles.v[0].cond), CM_CT_NOT);
	ck_assert_int_eq(cm_condition_type(c->unlesses.v[0].cond), CM_CT_OR);
	FAILS(cm_commitment_add_condition(c, CM_COND_IF, "attack(", &err),
	      CM_ESYNTAX);
	FAILS(cm_commitment_add_condition(c, 7, "true", &err), CM_EINVAL);
	FAILS(cm_commitment_add_condition(c, CM_COND_IF, NULL, &err),
	      CM_EINVAL);
	FAILS(cm_commitment_add_condition(NULL, CM_COND_IF, "true", &err),
	      CM_EINVAL);
	ck_assert_uint_eq(c->ifs.n, 1);
	cm_free(a);
}
END_TEST

/* ---- time -------------------------------------------------------------- */

/*
 * A failed builder call that takes a snippet keeps nothing: 10,000
 * failed calls leave the agreement exactly as large as it was (they used
 * to parse straight into the agreement's arena, about 3.6 MB kept).
 */
START_TEST(builder_failures_keep_nothing)
{
	cm_agreement *a = NULL;
	cm_commitment *c = NULL, *d = NULL;
	cm_condition *n = NULL;
	OK(cm_agreement_new(tctx, "a", NULL, &a, &err));
	OK(cm_agreement_add_party(a, "P", "P", CM_ROLE_PARTY, CM_KIND_STATE,
				  &err));
	OK(cm_agreement_add_party(a, "Q", "Q", CM_ROLE_PARTY, CM_KIND_STATE,
				  &err));
	OK(cm_agreement_add_commitment(a, "c", "P", CM_MUST, &c, &err));
	OK(cm_agreement_add_commitment(a, "d", "Q", CM_MUST, &d, &err));
	OK(cm_commitment_set_action(d, "pay(to: P)", &err));
	size_t size0 = talloc_total_size(a);
	size_t blocks0 = talloc_total_blocks(a);
	for (int i = 0; i < 10000; i++) {
		/* each fails at its end, after parsing most of the text */
		ck_assert_int_eq(cm_commitment_add_condition(
					 c, CM_COND_IF,
					 "fulfilled(d) and active(d) and "
					 "pay(to: P, amount: \"3\") and",
					 &err),
				 CM_ESYNTAX);
		ck_assert_int_eq(cm_commitment_set_action(
					 c, "pay(to: Q, amount: \"3\", on: P",
					 &err),
				 CM_ESYNTAX);
		ck_assert_int_eq(cm_condition_new_action(
					 c, "pay(to: Q, amount: \"3\"", -1, &n,
					 &err),
				 CM_ESYNTAX);
		ck_assert_int_eq(cm_condition_new_count(c, "pay(to: Q, on:",
							CM_CMP_GE, 1, -1, &n,
							&err),
				 CM_ESYNTAX);
	}
	ck_assert_uint_eq(talloc_total_size(a), size0);
	ck_assert_uint_eq(talloc_total_blocks(a), blocks0);
	ck_assert(!c->is_action);
	ck_assert_uint_eq(c->ifs.n, 0);
	/* the same calls still work afterwards */
	OK(cm_commitment_set_action(c, "pay(to: Q, amount: \"3\")", &err));
	OK(cm_commitment_add_condition(c, CM_COND_IF, "fulfilled(d)", &err));
	OK(cm_agreement_validate(a, &err));
	cm_free(a);
}
END_TEST

/*
 * Errors about an agreement built in code carry no position: a line and
 * column inside the snippet a builder call was given mean nothing to the
 * caller (it used to say "1:19: error: ... unknown commitment 'nope'").
 */
START_TEST(built_errors_have_no_position)
{
	cm_agreement *a = NULL;
	cm_commitment *c = NULL, *d = NULL;
	OK(cm_agreement_new(tctx, "a", NULL, &a, &err));
	OK(cm_agreement_add_party(a, "P", "P", CM_ROLE_PARTY, CM_KIND_STATE,
				  &err));
	OK(cm_agreement_add_party(a, "Q", "Q", CM_ROLE_PARTY, CM_KIND_STATE,
				  &err));
	OK(cm_agreement_add_commitment(a, "c", "P", CM_MUST, &c, &err));
	OK(cm_commitment_set_action(c, "pay(to: Q)", &err));
	OK(cm_commitment_add_condition(c, CM_COND_IF,
				       "active(c) or fulfilled(nope)", &err));
	ck_assert_int_eq(cm_agreement_validate(a, &err), CM_ESEMANTIC);
	ck_assert_ptr_nonnull(strstr(err.message, "unknown commitment 'nope'"));
	ck_assert_int_eq(err.line, 0);
	ck_assert_int_eq(err.column, 0);
	cm_free(a);

	/* a cycle of guards, written as snippets */
	OK(cm_agreement_new(tctx, "b", NULL, &a, &err));
	OK(cm_agreement_add_party(a, "P", "P", CM_ROLE_PARTY, CM_KIND_STATE,
				  &err));
	OK(cm_agreement_add_party(a, "Q", "Q", CM_ROLE_PARTY, CM_KIND_STATE,
				  &err));
	OK(cm_agreement_add_commitment(a, "c", "P", CM_MUST, &c, &err));
	OK(cm_agreement_add_commitment(a, "d", "Q", CM_MUST, &d, &err));
	OK(cm_commitment_set_action(c, "pay(to: Q)", &err));
	OK(cm_commitment_set_action(d, "pay(to: P)", &err));
	OK(cm_commitment_add_condition(c, CM_COND_WHILE, "   active(d)", &err));
	OK(cm_commitment_add_condition(d, CM_COND_WHILE, "   active(c)", &err));
	cm_condition *n = NULL;
	OK(cm_condition_new_action(c, "  talk(with: Q)", 60, &n, &err));
	OK(cm_commitment_add_condition_node(c, CM_COND_IF, n, &err));
	ck_assert_int_eq(cm_agreement_validate(a, &err), CM_ESEMANTIC);
	ck_assert_ptr_nonnull(strstr(err.message, "cycle of guard references"));
	ck_assert_int_eq(err.line, 0);
	ck_assert_int_eq(err.column, 0);
	/* nothing kept from a snippet has a position */
	ck_assert_uint_eq(c->action.pos.line, 0);
	ck_assert_uint_eq(c->action.attrs[0].pos.line, 0);
	ck_assert_uint_eq(c->whiles.v[0].cond->pos.line, 0);
	ck_assert_uint_eq(c->whiles.v[0].cond->ref.pos.col, 0);
	ck_assert_uint_eq(n->act.pos.col, 0);
	cm_free(a);
}
END_TEST

START_TEST(time_parse)
{
	cm_time t = 1;
	OK(cm_time_parse("1970-01-01", 0, &t));
	ck_assert(t == 0);
	OK(cm_time_parse("1970-01-01", 1, &t));
	ck_assert(t == 1439);
	OK(cm_time_parse("1970-01-02T01:05", 0, &t));
	ck_assert(t == 1440 + 65);
	/* a time given wins over end_of_day */
	OK(cm_time_parse("1970-01-02T01:05", 1, &t));
	ck_assert(t == 1440 + 65);
	OK(cm_time_parse("1969-12-31T23:59", 0, &t));
	ck_assert(t == -1);
	/* leap years */
	OK(cm_time_parse("2024-02-29", 0, &t));
	OK(cm_time_parse("2000-02-29", 0, &t));
	ck_assert_int_eq(cm_time_parse("2023-02-29", 0, &t), CM_EINVAL);
	ck_assert_int_eq(cm_time_parse("1900-02-29", 0, &t), CM_EINVAL);
	ck_assert_int_eq(cm_time_parse("2100-02-29", 0, &t), CM_EINVAL);
	/* bounds */
	OK(cm_time_parse("0001-01-01", 0, &t));
	ck_assert(t == -62135596800LL / 60);
	OK(cm_time_parse("9999-12-31", 1, &t));
	ck_assert(t == 253402300740LL / 60);
	OK(cm_time_parse("9999-12-31T23:59", 0, &t));
	ck_assert(t == 253402300740LL / 60);
	t = 5;
	static const char *const bad[] = {
		"0000-12-31", "10000-01-01", "2024-00-10", "2024-13-01",
		"2024-04-31", "2024-01-00", "2024-01-32", "2024-1-01",
		"2024-01-1", "2024/01/01", "2024-01-01T24:00",
		"2024-01-01T23:60", "2024-01-01T9:00", "2024-01-01 10:00",
		"2024-01-01T10:00Z", "2024-01-01T", "", "+024-01-01",
		"2024-01-0a", "2024-01-01T1a:00", " 2024-01-01",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(cm_time_parse(bad[i], 0, &t) == CM_EINVAL,
			      "'%s' accepted", bad[i]);
	ck_assert(t == 5); /* untouched on error */
	ck_assert_int_eq(cm_time_parse(NULL, 0, &t), CM_EINVAL);
	ck_assert_int_eq(cm_time_parse("2024-01-01", 0, NULL), CM_EINVAL);
}
END_TEST

START_TEST(time_format)
{
	char buf[32];
	OK(cm_time_format(0, buf, sizeof(buf)));
	ck_assert_str_eq(buf, "1970-01-01T00:00Z");
	OK(cm_time_format(-1, buf, sizeof(buf)));
	ck_assert_str_eq(buf, "1969-12-31T23:59Z");
	OK(cm_time_format(-1440, buf, sizeof(buf)));
	ck_assert_str_eq(buf, "1969-12-31T00:00Z");
	cm_time lo = -62135596800LL / 60, hi = 253402300740LL / 60;
	OK(cm_time_format(lo, buf, 18));
	ck_assert_str_eq(buf, "0001-01-01T00:00Z");
	OK(cm_time_format(hi, buf, 18));
	ck_assert_str_eq(buf, "9999-12-31T23:59Z");
	ck_assert_int_eq(cm_time_format(lo - 1, buf, sizeof(buf)), CM_EINVAL);
	ck_assert_int_eq(cm_time_format(hi + 1, buf, sizeof(buf)), CM_EINVAL);
	ck_assert_int_eq(cm_time_format(CM_TIME_NONE, buf, sizeof(buf)),
			 CM_EINVAL);
	ck_assert_int_eq(cm_time_format(INT64_MAX, buf, sizeof(buf)), CM_EINVAL);
	ck_assert_int_eq(cm_time_format(0, buf, 17), CM_EINVAL);
	ck_assert_int_eq(cm_time_format(0, NULL, 32), CM_EINVAL);
	/* round trips, leap days included */
	static const char *const texts[] = {
		"2024-02-29T12:34", "2000-02-29T00:00", "1600-03-01T23:59",
		"0004-02-29T01:01", "2025-11-07T00:00", "1969-07-20T20:17",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		cm_time t;
		OK(cm_time_parse(texts[i], 0, &t));
		OK(cm_time_format(t, buf, sizeof(buf)));
		ck_assert_int_eq(strncmp(buf, texts[i], 16), 0);
		ck_assert_str_eq(buf + 16, "Z");
	}
	/* every day of a leap year and the next formats back the same */
	cm_time t0;
	OK(cm_time_parse("2024-01-01", 0, &t0));
	for (int d = 0; d < 731; d++) {
		cm_time t = t0 + (cm_time)d * 1440, back;
		OK(cm_time_format(t, buf, sizeof(buf)));
		buf[10] = '\0';
		OK(cm_time_parse(buf, 0, &back));
		ck_assert(back == t);
	}
}
END_TEST

/* ---- names, errors, contexts ------------------------------------------- */

START_TEST(enum_names)
{
	ck_assert_str_eq(cm_role_name(CM_ROLE_PARTY), "party");
	ck_assert_str_eq(cm_role_name(CM_ROLE_MEDIATOR), "mediator");
	ck_assert_str_eq(cm_role_name(CM_ROLE_GUARANTOR), "guarantor");
	ck_assert_str_eq(cm_role_name(CM_ROLE_WITNESS), "witness");
	ck_assert_str_eq(cm_role_name(CM_ROLE_ACTOR), "actor");
	ck_assert_ptr_null(cm_role_name(5));
	ck_assert_ptr_null(cm_role_name(-1));
	ck_assert_ptr_null(cm_kind_name(CM_KIND_NONE));
	ck_assert_str_eq(cm_kind_name(CM_KIND_STATE), "state");
	ck_assert_str_eq(cm_kind_name(CM_KIND_AUTHORITY), "authority");
	ck_assert_str_eq(cm_kind_name(CM_KIND_ORGANIZATION), "organization");
	ck_assert_str_eq(cm_kind_name(CM_KIND_ARMED_GROUP), "armed-group");
	ck_assert_str_eq(cm_kind_name(CM_KIND_PERSON), "person");
	ck_assert_ptr_null(cm_kind_name(6));
	ck_assert_ptr_null(cm_kind_name(-1));
	ck_assert_str_eq(cm_modality_name(CM_MUST), "must");
	ck_assert_str_eq(cm_modality_name(CM_MUST_NOT), "must-not");
	ck_assert_str_eq(cm_modality_name(CM_MUST_PREVENT), "must-prevent");
	ck_assert_str_eq(cm_modality_name(CM_MAY), "may");
	ck_assert_ptr_null(cm_modality_name(4));
	ck_assert_ptr_null(cm_modality_name(-1));
	ck_assert_ptr_null(cm_form_name(CM_FORM_DEFAULT));
	ck_assert_str_eq(cm_form_name(CM_FORM_VERBAL), "verbal");
	ck_assert_str_eq(cm_form_name(CM_FORM_WRITTEN), "written");
	ck_assert_ptr_null(cm_form_name(3));
	ck_assert_str_eq(cm_standing_name(CM_STANDING_AGREED), "agreed");
	ck_assert_str_eq(cm_standing_name(CM_STANDING_PROPOSED), "proposed");
	ck_assert_str_eq(cm_standing_name(CM_STANDING_CLAIMED), "claimed");
	ck_assert_str_eq(cm_standing_name(CM_STANDING_REJECTED), "rejected");
	ck_assert_ptr_null(cm_standing_name(4));
	ck_assert_ptr_null(cm_standing_name(-1));
	ck_assert_str_eq(cm_state_name(CM_STATE_PENDING), "pending");
	ck_assert_str_eq(cm_state_name(CM_STATE_ACTIVE), "active");
	ck_assert_str_eq(cm_state_name(CM_STATE_SUSPENDED), "suspended");
	ck_assert_str_eq(cm_state_name(CM_STATE_FULFILLED), "fulfilled");
	ck_assert_str_eq(cm_state_name(CM_STATE_VIOLATED), "violated");
	ck_assert_str_eq(cm_state_name(CM_STATE_EXPIRED), "expired");
	ck_assert_ptr_null(cm_state_name(6));
	ck_assert_ptr_null(cm_state_name(-1));
	ck_assert_str_eq(cm_level_name(CM_LEVEL_VERBAL), "verbal");
	ck_assert_str_eq(cm_level_name(CM_LEVEL_WRITTEN), "written");
	ck_assert_str_eq(cm_level_name(CM_LEVEL_SIGNED), "signed");
	ck_assert_str_eq(cm_level_name(CM_LEVEL_RATIFIED), "ratified");
	ck_assert_ptr_null(cm_level_name(4));
	ck_assert_ptr_null(cm_level_name(-1));
}
END_TEST

START_TEST(strerror_codes)
{
	ck_assert_str_eq(cm_strerror(CM_OK), "success");
	ck_assert_str_eq(cm_strerror(CM_ENOMEM), "out of memory");
	ck_assert_str_eq(cm_strerror(CM_EINVAL), "invalid argument");
	ck_assert_str_eq(cm_strerror(CM_ESYNTAX), "syntax error");
	ck_assert_str_eq(cm_strerror(CM_ESEMANTIC), "invalid agreement");
	ck_assert_str_eq(cm_strerror(CM_ENOTFOUND), "not found");
	ck_assert_str_eq(cm_strerror(CM_EIO), "input/output error");
	ck_assert_str_eq(cm_strerror(CM_ERANGE), "value out of range");
	ck_assert_str_eq(cm_strerror(CM_EORDER), "event out of order");
	ck_assert_str_eq(cm_strerror(CM_ELIMIT), "input exceeds a limit");
	ck_assert_str_eq(cm_strerror(1), "unknown error");
	ck_assert_str_eq(cm_strerror(-10), "unknown error");
	/* the codes never change */
	ck_assert_int_eq(CM_ENOMEM, -1);
	ck_assert_int_eq(CM_ELIMIT, -9);
}
END_TEST

START_TEST(error_format)
{
	cm_error e;
	memset(&e, 0, sizeof(e));
	char buf[128];
	e.code = CM_ESEMANTIC;
	strcpy(e.message, "unknown party 'ZZ'");
	ck_assert_uint_eq(cm_error_format(&e, buf, sizeof(buf)),
			  strlen("error: unknown party 'ZZ'"));
	ck_assert_str_eq(buf, "error: unknown party 'ZZ'");
	strcpy(e.file, "a.cmt");
	cm_error_format(&e, buf, sizeof(buf));
	ck_assert_str_eq(buf, "a.cmt: error: unknown party 'ZZ'");
	e.line = 12;
	e.column = 7;
	size_t n = cm_error_format(&e, buf, sizeof(buf));
	ck_assert_str_eq(buf, "a.cmt:12:7: error: unknown party 'ZZ'");
	ck_assert_uint_eq(n, strlen(buf));
	/* a position without a file */
	e.file[0] = '\0';
	cm_error_format(&e, buf, sizeof(buf));
	ck_assert_str_eq(buf, "12:7: error: unknown party 'ZZ'");
	/* truncation: always terminated, returns the full length */
	strcpy(e.file, "a.cmt");
	memset(buf, 'x', sizeof(buf));
	ck_assert_uint_eq(cm_error_format(&e, buf, 6), n);
	ck_assert_str_eq(buf, "a.cmt");
	ck_assert_uint_eq(cm_error_format(&e, NULL, 0), n);
	ck_assert_uint_eq(cm_error_format(&e, buf, 0), n);
	buf[0] = 'x';
	ck_assert_uint_eq(cm_error_format(NULL, buf, sizeof(buf)), 0);
	ck_assert_int_eq(buf[0], '\0');
	ck_assert_uint_eq(cm_error_format(NULL, NULL, 0), 0);

	/* what the library writes */
	cm_agreement *a = NULL;
	cm_agreement_new(tctx, "", NULL, &a, &e);
	ck_assert_int_eq(e.code, CM_EINVAL);
	ck_assert_int_eq(e.line, 0);
	ck_assert_str_eq(e.file, "");
	cm_error_format(&e, buf, sizeof(buf));
	ck_assert_str_eq(buf, "error: invalid agreement id ''");
}
END_TEST

START_TEST(free_and_contexts)
{
	cm_free(NULL);
	void *ctx = cm_context_new();
	ck_assert_ptr_nonnull(ctx);
	/* hang it under the test's context so the leak check sees it */
	talloc_steal(tctx, ctx);
	cm_agreement *a = NULL;
	OK(cm_agreement_new(ctx, "a", "A", &a, &err));
	OK(cm_agreement_add_party(a, "PK", "P", CM_ROLE_PARTY, 0, &err));
	cm_commitment *c = NULL;
	OK(cm_agreement_add_commitment(a, "c", "PK", CM_MUST, &c, &err));
	OK(cm_commitment_set_text(c, "t", &err));
	OK(cm_agreement_validate(a, &err));
	cm_policy *p = NULL;
	OK(cm_policy_new(ctx, "p", NULL, &p, &err));
	cm_document *d = NULL;
	OK(cm_document_new(ctx, &d, &err));
	ck_assert_uint_gt(talloc_total_blocks(ctx), 4);
	/* one call frees all of it */
	cm_free(ctx);
	/* a failing validation leaves nothing behind either */
	OK(cm_agreement_new(tctx, "b", NULL, &a, &err));
	OK(cm_agreement_add_commitment(a, "c", "nobody", CM_MUST, &c, &err));
	size_t before = talloc_total_blocks(a);
	FAILS(cm_agreement_validate(a, &err), CM_ESEMANTIC);
	ck_assert_uint_eq(talloc_total_blocks(a), before);
	cm_free(a);
}
END_TEST

/* ---- internals: map, arena, buffer ------------------------------------- */

/* The one Tarjan (util/scc.c): components, numbered in reverse
 * topological order, on a graph in CSR form. */
START_TEST(strongly_connected_components)
{
	void *ctx = talloc_new(tctx);
	/* 0 -> 1 -> 2 -> 0 (a cycle), 2 -> 3, 3 -> 4 -> 3 (a cycle), 5 alone
	 * with a loop, 6 alone */
	static const uint32_t off[] = {0, 1, 2, 4, 5, 6, 7, 7};
	static const uint32_t dst[] = {1, 2, 0, 3, 4, 3, 5};
	uint32_t comp[7];
	ck_assert_int_eq(cm__scc(ctx, 7, off, dst, comp), 4);
	ck_assert_uint_eq(comp[0], comp[1]);
	ck_assert_uint_eq(comp[1], comp[2]);
	ck_assert_uint_eq(comp[3], comp[4]);
	ck_assert_uint_ne(comp[0], comp[3]);
	/* {3, 4} is reached from {0, 1, 2}: numbered first */
	ck_assert_uint_lt(comp[3], comp[0]);
	ck_assert_uint_ne(comp[5], comp[6]);
	ck_assert_uint_ne(comp[5], comp[0]);
	ck_assert_int_eq(cm__scc(ctx, 0, off, dst, comp), 0);
	/* a chain of 100,000 does not overflow the stack */
	enum { N = 100000 };
	uint32_t *o = talloc_array(ctx, uint32_t, N + 1);
	uint32_t *d = talloc_array(ctx, uint32_t, N);
	uint32_t *c = talloc_array(ctx, uint32_t, N);
	for (uint32_t i = 0; i < N; i++) {
		o[i] = i;
		d[i] = (i + 1) % N;
	}
	o[N] = N;
	ck_assert_int_eq(cm__scc(ctx, N, o, d, c), 1);
	ck_assert_uint_eq(c[0], c[N - 1]);
	ck_assert_uint_eq(talloc_total_blocks(ctx), 4); /* scratch freed */
	talloc_free(ctx);
}
END_TEST

START_TEST(internals)
{
	void *ctx = talloc_new(tctx);
	struct cm__map m;
	cm__map_init(&m);
	ck_assert_ptr_null(cm__map_get(&m, "x"));
	static int vals[3];
	ck_assert_int_eq(cm__map_put(&m, ctx, "a", &vals[0]), 0);
	ck_assert_int_eq(cm__map_put(&m, ctx, "b", &vals[1]), 0);
	ck_assert_int_eq(cm__map_put(&m, ctx, "a", &vals[2]), 0);
	ck_assert_ptr_eq(cm__map_get(&m, "a"), &vals[2]);
	ck_assert_ptr_eq(cm__map_get(&m, "b"), &vals[1]);
	ck_assert_uint_eq(m.count, 2);

	struct cm__arena ar;
	cm__arena_init(&ar, ctx);
	/* zero bytes still give a pointer */
	ck_assert_ptr_nonnull(cm__arena_alloc(&ar, 0));
	char *big = cm__arena_alloc(&ar, 100000);
	ck_assert_ptr_nonnull(big);
	big[99999] = 1;
	char *s = cm__arena_strndup(&ar, "hello", 4);
	ck_assert_str_eq(s, "hell");
	uint32_t cap = 0;
	int *v = NULL;
	for (uint32_t i = 0; i < 100; i++) {
		v = cm__arena_grow(&ar, v, sizeof(*v), i, &cap);
		ck_assert_ptr_nonnull(v);
		v[i] = (int)i;
	}
	ck_assert_int_eq(v[57], 57);
	ck_assert_uint_ge(cap, 100);
	cm__arena_release(&ar);
	ck_assert_uint_eq(ar.total, 0);

	/* a resize to zero keeps the block */
	char *r = cm__realloc(ctx, NULL, 1, 8, "r");
	ck_assert_ptr_nonnull(r);
	char *r2 = cm__realloc(ctx, r, 1, 0, "r");
	ck_assert_ptr_nonnull(r2);
	ck_assert_ptr_null(cm__realloc(ctx, r2, SIZE_MAX / 2, 4, "r"));

	struct cm__buf b;
	cm__buf_init(&b, ctx);
	cm__buf_puts(&b, "a");
	cm__buf_printf(&b, "%d", 42);
	char longer[600];
	memset(longer, 'z', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	cm__buf_printf(&b, "%s", longer);
	cm__buf_json_string(&b, "q\"\\\n\x01");
	char *out = NULL;
	ck_assert_int_eq(cm__buf_finish(&b, ctx, &out), 0);
	ck_assert_int_eq(strncmp(out, "a42zz", 5), 0);
	ck_assert_str_eq(out + 3 + 599, "\"q\\\"\\\\\\n\\u0001\"");
	talloc_free(ctx);
}
END_TEST

/* ---- policies ---------------------------------------------------------- */

START_TEST(shipped_policies)
{
	ck_assert_uint_eq(cm_policy_builtin_count(), 3);
	ck_assert_str_eq(cm_policy_builtin_name(0), "vclt");
	ck_assert_str_eq(cm_policy_builtin_name(1), "un-registration");
	ck_assert_str_eq(cm_policy_builtin_name(2), "written-only");
	ck_assert_ptr_null(cm_policy_builtin_name(3));
	static const size_t nrules[] = {3, 4, 2};
	for (size_t i = 0; i < 3; i++) {
		cm_policy *p = NULL;
		OK(cm_policy_builtin(tctx, cm_policy_builtin_name(i), &p, &err));
		ck_assert_str_eq(cm_policy_id(p), cm_policy_builtin_name(i));
		ck_assert_ptr_nonnull(cm_policy_title(p));
		ck_assert_uint_eq(cm_policy_requirement_count(p), nrules[i]);
		ck_assert(p->builtin);
		ck_assert_int_eq(p->rules.v[0].kind, CM__RULE_WRITTEN);
		cm_free(p);
	}
	cm_policy *p = NULL;
	OK(cm_policy_builtin(tctx, "vclt", &p, &err));
	ck_assert_str_eq(cm_policy_title(p),
			 "Treaty under the Vienna Convention on the Law of "
			 "Treaties");
	ck_assert_int_eq(p->rules.v[2].kind, CM__RULE_PARTIES);
	ck_assert_uint_eq(p->rules.v[2].nkinds, 2);
	cm_free(p);
	p = NULL;
	FAILS(cm_policy_builtin(tctx, "nope", &p, &err), CM_ENOTFOUND);
	ck_assert_str_eq(err.message, "no shipped policy named 'nope'");
	ck_assert_ptr_null(p);
	FAILS(cm_policy_builtin(tctx, NULL, &p, &err), CM_EINVAL);
	FAILS(cm_policy_builtin(tctx, "vclt", NULL, &err), CM_EINVAL);
}
END_TEST

START_TEST(policy_builder)
{
	cm_policy *p = NULL;
	OK(cm_policy_new(tctx, "stance", NULL, &p, &err));
	ck_assert_str_eq(cm_policy_id(p), "stance");
	ck_assert_ptr_null(cm_policy_title(p));
	ck_assert_uint_eq(cm_policy_requirement_count(p), 0);
	OK(cm_policy_add_requirement(p, "written", NULL, &err));
	OK(cm_policy_add_requirement(p, "parties state, person", NULL, &err));
	OK(cm_policy_add_requirement(p, "signed by all parties", "permissions",
				     &err));
	ck_assert_uint_eq(cm_policy_requirement_count(p), 3);
	ck_assert_str_eq(p->rules.v[0].policy, "stance");
	ck_assert_int_eq(p->rules.v[2].who, CM__WHO_ALL_PARTIES);
	ck_assert_int_eq(p->rules.v[2].selector, CM__SEL_PERMISSIONS);
	FAILS(cm_policy_add_requirement(p, "written twice", NULL, &err),
	      CM_ESYNTAX);
	FAILS(cm_policy_add_requirement(p, NULL, NULL, &err), CM_EINVAL);
	FAILS(cm_policy_add_requirement(NULL, "written", NULL, &err), CM_EINVAL);
	ck_assert_uint_eq(cm_policy_requirement_count(p), 3);
	cm_free(p);
	cm_policy *q = NULL;
	OK(cm_policy_new(tctx, "q", "Title", &q, &err));
	ck_assert_str_eq(cm_policy_title(q), "Title");
	cm_free(q);
	FAILS(cm_policy_new(tctx, "bad id", NULL, &q, &err), CM_EINVAL);
	FAILS(cm_policy_new(tctx, NULL, NULL, &q, &err), CM_EINVAL);
	FAILS(cm_policy_new(tctx, "ok", NULL, NULL, &err), CM_EINVAL);
	ck_assert_ptr_null(cm_policy_id(NULL));
	ck_assert_ptr_null(cm_policy_title(NULL));
	ck_assert_uint_eq(cm_policy_requirement_count(NULL), 0);
}
END_TEST

/* ---- documents --------------------------------------------------------- */

static const char doc_text[] =
	"# a run\n"
	"policy mine \"Mine\" { require written }\n"
	"events {\n"
	"  2025-01-01 attack(on: PK) reported by PK\n"
	"  2025-01-02 attack(on: PK)\n"
	"}\n"
	"agreement one \"One\" {\n"
	"  date 2025-01-01\n"
	"  party PK \"P\" state\n"
	"  party AF \"A\"\n"
	"  use mine\n"
	"  use vclt\n"
	"  commitment c { PK must not strike(on: AF) }\n"
	"  events { 2025-02-01 strike(by: PK, on: AF) }\n"
	"}\n"
	"agreement two { party X \"X\" }\n";

START_TEST(documents)
{
	cm_document *d = NULL;
	OK(cm_parse(tctx, doc_text, strlen(doc_text), "run.cmt", &d, &err));
	ck_assert_uint_eq(cm_document_agreement_count(d), 2);
	ck_assert_uint_eq(cm_document_policy_count(d), 1);
	ck_assert_str_eq(cm_policy_id(cm_document_policy(d, 0)), "mine");
	ck_assert_ptr_null(cm_document_policy(d, 1));
	ck_assert_uint_eq(cm_document_event_count(d), 2);
	ck_assert_ptr_nonnull(cm_document_event(d, 1));
	ck_assert_ptr_null(cm_document_event(d, 2));
	cm_agreement *a = cm_document_agreement(d, 0);
	ck_assert_str_eq(cm_agreement_id(a), "one");
	ck_assert_str_eq(cm_agreement_title(a), "One");
	ck_assert_str_eq(cm_agreement_file(a), "run.cmt");
	ck_assert_int_eq(cm_agreement_line(a), 7);
	ck_assert(a->validated);
	ck_assert_uint_eq(cm_agreement_event_count(a), 1);
	ck_assert_ptr_nonnull(cm_agreement_event(a, 0));
	ck_assert_int_eq(cm_commitment_line(cm_agreement_commitment(a, 0)), 13);
	/* `use` expanded in place: mine's one rule, then vclt's three, at
	 * the lines of their `use` */
	ck_assert_uint_eq(a->rules.n, 4);
	ck_assert_str_eq(a->rules.v[0].policy, "mine");
	ck_assert_uint_eq(a->rules.v[0].line, 11);
	ck_assert_str_eq(a->rules.v[3].policy, "vclt");
	ck_assert_uint_eq(a->rules.v[3].line, 12);
	ck_assert_ptr_null(cm_agreement_title(cm_document_agreement(d, 1)));
	ck_assert_ptr_null(cm_document_agreement(d, 2));
	/* policies: the document's own first, then the shipped ones */
	ck_assert_ptr_eq(cm_document_find_policy(d, "mine"),
			 cm_document_policy(d, 0));
	cm_policy *v = cm_document_find_policy(d, "vclt");
	ck_assert_ptr_nonnull(v);
	ck_assert(v->builtin);
	ck_assert_ptr_eq(cm_document_find_policy(d, "vclt"), v);
	ck_assert_ptr_null(cm_document_find_policy(d, "nope"));
	ck_assert_ptr_null(cm_document_find_policy(d, NULL));
	ck_assert_ptr_null(cm_document_find_policy(NULL, "vclt"));
	/* resolving again changes nothing */
	OK(cm_document_resolve(d, &err));
	ck_assert_uint_eq(a->rules.n, 4);
	cm_free(d);

	ck_assert_uint_eq(cm_document_agreement_count(NULL), 0);
	ck_assert_ptr_null(cm_document_agreement(NULL, 0));
	ck_assert_uint_eq(cm_document_policy_count(NULL), 0);
	ck_assert_ptr_null(cm_document_policy(NULL, 0));
	ck_assert_uint_eq(cm_document_event_count(NULL), 0);
	ck_assert_ptr_null(cm_document_event(NULL, 0));
}
END_TEST

/* cm_document_lookup_policy: a status for every outcome, and a lookup
 * never changes the document (the shipped policies come with resolve). */
START_TEST(document_lookup_policy)
{
	cm_document *d = NULL;
	cm_policy *p = NULL;
	OK(cm_document_new(tctx, &d, &err));
	OK(cm_document_add_text(d, doc_text, strlen(doc_text), "run.cmt",
				&err));
	/* not resolved: its own policies only */
	OK(cm_document_lookup_policy(d, "mine", &p, &err));
	ck_assert_ptr_eq(p, cm_document_policy(d, 0));
	p = NULL;
	ck_assert_int_eq(cm_document_lookup_policy(d, "vclt", &p, &err),
			 CM_ENOTFOUND);
	ck_assert_int_eq(err.code, CM_ENOTFOUND);
	ck_assert_ptr_null(p);
	ck_assert_str_eq(err.message, "unknown policy 'vclt': the shipped "
				      "policies are loaded when the document "
				      "is resolved");
	ck_assert_ptr_null(cm_document_find_policy(d, "vclt"));
	ck_assert_ptr_null(d->builtins); /* the lookups loaded nothing */
	OK(cm_document_resolve(d, &err));
	ck_assert_ptr_nonnull(d->builtins);
	OK(cm_document_lookup_policy(d, "vclt", &p, &err));
	ck_assert_str_eq(cm_policy_id(p), "vclt");
	ck_assert(p->builtin);
	ck_assert_ptr_eq(cm_document_find_policy(d, "vclt"), p);
	ck_assert_int_eq(cm_document_lookup_policy(d, "nope", &p, &err),
			 CM_ENOTFOUND);
	ck_assert_str_eq(err.message, "unknown policy 'nope'");
	ck_assert_int_eq(err.line, 0);
	ck_assert_int_eq(cm_document_lookup_policy(NULL, "vclt", &p, &err),
			 CM_EINVAL);
	ck_assert_int_eq(cm_document_lookup_policy(d, NULL, &p, &err),
			 CM_EINVAL);
	ck_assert_int_eq(cm_document_lookup_policy(d, "vclt", NULL, &err),
			 CM_EINVAL);
	ck_assert_int_eq(cm_document_lookup_policy(d, "nope", &p, NULL),
			 CM_ENOTFOUND);
	cm_free(d);
}
END_TEST

START_TEST(document_runs)
{
	/* a policy in one text is visible to an agreement in another */
	cm_document *d = NULL;
	OK(cm_document_new(tctx, &d, &err));
	const char *t1 = "agreement a { party P \"P\"\n use later }\n";
	const char *t2 = "policy later { require dated }";
	OK(cm_document_add_text(d, t1, strlen(t1), "a.cmt", &err));
	ck_assert_uint_eq(cm_document_agreement_count(d), 1);
	OK(cm_document_add_text(d, t2, strlen(t2), NULL, &err));
	OK(cm_document_resolve(d, &err));
	ck_assert_uint_eq(cm_document_agreement(d, 0)->rules.n, 1);
	/* empty texts */
	OK(cm_document_add_text(d, NULL, 0, NULL, &err));
	OK(cm_document_add_text(d, "", 0, "e.cmt", &err));
	FAILS(cm_document_add_text(d, NULL, 3, NULL, &err), CM_EINVAL);
	FAILS(cm_document_add_text(NULL, "", 0, NULL, &err), CM_EINVAL);
	/* a syntax error leaves the document unchanged */
	FAILS(cm_document_add_text(d, "agreement b {", 13, "b.cmt", &err),
	      CM_ESYNTAX);
	ck_assert_str_eq(err.file, "b.cmt");
	ck_assert_uint_eq(cm_document_agreement_count(d), 1);
	cm_free(d);

	/* unknown policy */
	OK(cm_document_new(tctx, &d, &err));
	const char *t = "agreement a {\n  use nothing\n}\n";
	OK(cm_document_add_text(d, t, strlen(t), "u.cmt", &err));
	FAILS(cm_document_resolve(d, &err), CM_ESEMANTIC);
	ck_assert_str_eq(err.message, "unknown policy 'nothing'");
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.column, 7);
	cm_free(d);
	parse_fails(t, CM_ESEMANTIC, 2, 7, "unknown policy 'nothing'");

	FAILS(cm_document_new(tctx, NULL, &err), CM_EINVAL);
	FAILS(cm_document_resolve(NULL, &err), CM_EINVAL);
	d = NULL;
	FAILS(cm_parse(tctx, "x", 1, NULL, NULL, &err), CM_EINVAL);
	FAILS(cm_parse(tctx, "agreement", 9, NULL, &d, &err), CM_ESYNTAX);
	ck_assert_str_eq(err.file, "<string>");
	ck_assert_ptr_null(d);
}
END_TEST

START_TEST(document_files)
{
	char path[] = "/tmp/check_model_XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, doc_text, strlen(doc_text)),
			 (ssize_t)strlen(doc_text));
	close(fd);
	cm_document *d = NULL;
	OK(cm_parse_file(tctx, path, &d, &err));
	ck_assert_uint_eq(cm_document_agreement_count(d), 2);
	ck_assert_str_eq(cm_agreement_file(cm_document_agreement(d, 0)), path);
	/* the same file again: its policy 'mine' would be defined twice;
	 * the document stays as it was */
	ck_assert_int_ne(cm_document_add_file(d, path, &err), CM_OK);
	ck_assert_uint_eq(cm_document_agreement_count(d), 2);
	cm_free(d);
	unlink(path);

	d = NULL;
	FAILS(cm_parse_file(tctx, path, &d, &err), CM_EIO);
	ck_assert_str_eq(err.file, path);
	ck_assert_int_eq(strncmp(err.message, "cannot open: ", 13), 0);
	ck_assert_ptr_null(d);
	FAILS(cm_parse_file(tctx, NULL, &d, &err), CM_EINVAL);
	FAILS(cm_parse_file(tctx, path, NULL, &err), CM_EINVAL);
	OK(cm_document_new(tctx, &d, &err));
	FAILS(cm_document_add_file(d, path, &err), CM_EIO);
	FAILS(cm_document_add_file(d, NULL, &err), CM_EINVAL);
	FAILS(cm_document_add_file(NULL, path, &err), CM_EINVAL);
	/* a directory cannot be read */
	FAILS(cm_document_add_file(d, "/tmp", &err), CM_EIO);
	ck_assert_uint_eq(cm_document_agreement_count(d), 0);
	cm_free(d);
}
END_TEST

/* ---- allocation failures ------------------------------------------------ */

#ifdef CM_FAULT_INJECTION
/* What a failed call must leave as it was. */
struct snap {
	size_t parties, commitments, rules, to, ifs, whiles, recip, sigs,
		wits, notes, standing_by;
	bool content, standing_set;
};

static struct snap take(const cm_agreement *a, const cm_commitment *c)
{
	struct snap s;
	memset(&s, 0, sizeof(s)); /* padding too: snaps are memcmp'd */
	s.parties = cm_agreement_party_count(a);
	s.commitments = cm_agreement_commitment_count(a);
	s.rules = a->rules.n;
	s.to = c->to.n;
	s.ifs = c->ifs.n;
	s.whiles = c->whiles.n;
	s.recip = c->reciprocal.n;
	s.sigs = c->sigs.n;
	s.wits = c->witnesses.n;
	s.notes = c->nnotes;
	s.standing_by = c->standing_by.n;
	s.content = c->is_action || c->text;
	s.standing_set = c->standing_set;
	return s;
}

enum { NOPS = 21 };

/* Operation @p i on a fresh agreement @p a with commitment @p c (no
 * content); anything it creates goes under @p ctx. */
static int op(int i, void *ctx, cm_agreement *a, cm_commitment *c)
{
	cm_agreement *na = NULL;
	cm_policy *p = NULL;
	cm_document *d = NULL;
	cm_condition *n = NULL;
	const char *text = "agreement z { party P \"P\" }";
	switch (i) {
	case 0: return cm_agreement_add_party(a, "NEW", "N", 0, 0, &err);
	case 1:
		return cm_agreement_add_commitment(a, "new", "PK", CM_MUST,
						   NULL, &err);
	case 2: return cm_commitment_set_action(c, "strike(on: AF)", &err);
	case 3: return cm_commitment_set_text(c, "text", &err);
	case 4: return cm_commitment_add_creditor(c, "AF", &err);
	case 5:
		return cm_commitment_add_condition(c, CM_COND_IF,
						   "attack(on: PK) and not "
						   "violated(c)", &err);
	case 6: return cm_commitment_add_reciprocal(c, "c", &err);
	case 7: return cm_commitment_add_signature(c, "PK", 1, &err);
	case 8: return cm_commitment_add_witness(c, "QA", &err);
	case 9: return cm_commitment_add_note(c, "note", &err);
	case 10:
		return cm_commitment_set_standing(c, CM_STANDING_PROPOSED, "AF",
						  &err);
	case 11:
		return cm_agreement_add_requirement(a, "signed by debtor",
						    "obligations", &err);
	case 12: {
		if (cm_policy_builtin(ctx, "un-registration", &p, NULL) != CM_OK)
			return CM_ENOMEM;
		/* the policy was made; only the use is under test (an
		 * agreement's young arena grows by small blocks, so the use
		 * itself can fail) */
		int rc = cm_agreement_use_policy(a, p, &err);
		if (rc != CM_OK)
			cm_free(p);
		return rc;
	}
	case 13: return cm_agreement_new(ctx, "x", "X", &na, &err);
	case 14: return cm_policy_new(ctx, "x", "X", &p, &err);
	case 15: return cm_policy_builtin(ctx, "vclt", &p, &err);
	case 16: return cm_parse(ctx, text, strlen(text), "f", &d, &err);
	case 17: return cm_document_new(ctx, &d, &err);
	case 18:
		if (cm_condition_new_state(c, CM_STATE_ACTIVE, "c", &n, &err) !=
		    CM_OK)
			return err.code;
		return cm_commitment_add_condition_node(c, CM_COND_WHILE, n,
							&err);
	case 19:
		return cm_condition_new_count(c, "raid()", CM_CMP_GT, 2, 60, &n,
					      &err);
	case 20: return cm_agreement_add_signature(a, "PK", 0, &err);
	}
	return CM_EINVAL;
}

START_TEST(allocation_failures)
{
	for (int i = 0; i < NOPS; i++) {
		/* (an op served from the arena's current block may allocate
		 * nothing through talloc: then its first run succeeds) */
		for (long k = 1;; k++) {
			void *ctx = talloc_new(tctx);
			cm_agreement *a = agreement();
			cm_commitment *c = commitment(a, "c");
			struct snap before = take(a, c);
			size_t blocks = talloc_total_blocks(a);
			cm__fault_inject(k, false);
			int rc = op(i, ctx, a, c);
			long failed = cm__fault_failures();
			cm__fault_inject(0, false);
			if (!failed) {
				ck_assert_msg(rc == CM_OK, "op %d: rc %d", i, rc);
				talloc_free(ctx);
				cm_free(a);
				break;
			}
			ck_assert_msg(rc == CM_ENOMEM, "op %d, allocation %ld: rc "
				      "%d", i, k, rc);
			struct snap after = take(a, c);
			ck_assert_msg(memcmp(&before, &after, sizeof(before)) == 0,
				      "op %d, allocation %ld: state changed", i,
				      k);
			/* nothing left but arena growth in a, nothing in ctx */
			ck_assert_uint_le(talloc_total_blocks(a), blocks + 2);
			ck_assert_msg(talloc_total_blocks(ctx) == 1, "op %d, allocation %ld: %zu blocks left in ctx", i, k, talloc_total_blocks(ctx));
			/* the same call succeeds afterwards */
			ck_assert_int_eq(op(i, ctx, a, c), CM_OK);
			talloc_free(ctx);
			cm_free(a);
		}
	}
}
END_TEST
#endif

Suite *model_suite(void);
Suite *model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc;
	tc = tcase_leakcheck(s, "agreements");
	tcase_add_test(tc, agreement_new);
	tcase_add_test(tc, agreement_getters_null);
	tcase_add_test(tc, agreement_date);
	tc = tcase_leakcheck(s, "parties");
	tcase_add_test(tc, parties);
	tc = tcase_leakcheck(s, "ids");
	tcase_add_test(tc, reserved_names);
	tcase_add_test(tc, shared_namespace);
	tcase_add_test(tc, many_ids);
	tc = tcase_leakcheck(s, "documentation records");
	tcase_add_test(tc, signatures);
	tc = tcase_leakcheck(s, "requirements");
	tcase_add_test(tc, requirements);
	tcase_add_test(tc, use_policy);
	tc = tcase_leakcheck(s, "commitments");
	tcase_add_test(tc, commitment_new);
	tcase_add_test(tc, commitment_getters_null);
	tcase_add_test(tc, content);
	tcase_add_test(tc, deadlines_and_dates);
	tcase_add_test(tc, lists);
	tcase_add_test(tc, form);
	tcase_add_test(tc, standing);
	tc = tcase_leakcheck(s, "conditions");
	tcase_add_test(tc, condition_nodes);
	tcase_add_test(tc, condition_errors);
	tcase_add_test(tc, condition_depth);
	tcase_add_test(tc, condition_text);
	tcase_add_test(tc, builder_failures_keep_nothing);
	tcase_add_test(tc, built_errors_have_no_position);
	tc = tcase_leakcheck(s, "time");
	tcase_add_test(tc, time_parse);
	tcase_add_test(tc, time_format);
	tc = tcase_leakcheck(s, "names and errors");
	tcase_add_test(tc, enum_names);
	tcase_add_test(tc, strerror_codes);
	tcase_add_test(tc, error_format);
	tc = tcase_leakcheck(s, "memory");
	tcase_add_test(tc, free_and_contexts);
	tcase_add_test(tc, internals);
	tcase_add_test(tc, strongly_connected_components);
	tc = tcase_leakcheck(s, "policies");
	tcase_add_test(tc, shipped_policies);
	tcase_add_test(tc, policy_builder);
	tc = tcase_leakcheck(s, "documents");
	tcase_add_test(tc, documents);
	tcase_add_test(tc, document_lookup_policy);
	tcase_add_test(tc, document_runs);
	tcase_add_test(tc, document_files);
#ifdef CM_FAULT_INJECTION
	tc = tcase_leakcheck(s, "allocation failures");
	tcase_add_test(tc, allocation_failures);
#endif
	return s;
}

int main(void)
{
	return run_suite(model_suite());
}
