/*
 * Structural analysis (SPEC §5): the symbolic run, deadlocks, balance,
 * the JSON and text writers, errors and allocation failure.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>
#include <time.h>

#include "testutil.h"

#include "model/model.h"

/* Analyse the first agreement of @p text (under tctx). */
static cm_analysis *analyze(const char *text)
{
	cm_document *doc = parse_ok(text);
	cm_error err;
	memset(&err, 0, sizeof(err));
	cm_analysis *an = NULL;
	int rc = cm_analyze(doc, cm_document_agreement(doc, 0), &an, &err);
	ck_assert_msg(rc == CM_OK, "analyze: %d %s", rc, err.message);
	return an;
}

/* "[a b] {a b c}; [d] {d}": every deadlock, its cycle, then its
 * commitments. Returned under @p an. */
static const char *deadlocks(const cm_analysis *an)
{
	char *s = talloc_strdup(tctx, "");
	for (size_t i = 0; i < cm_analysis_deadlock_count(an); i++) {
		s = talloc_asprintf_append(s, "%s[", i ? "; " : "");
		for (size_t j = 0; j < cm_analysis_cycle_count(an, i); j++)
			s = talloc_asprintf_append(
				s, "%s%s", j ? " " : "",
				cm_analysis_cycle_member(an, i, j));
		s = talloc_asprintf_append(s, "] {");
		for (size_t j = 0; j < cm_analysis_blocked_count(an, i); j++)
			s = talloc_asprintf_append(s, "%s%s", j ? " " : "",
						   cm_analysis_blocked(an, i, j));
		s = talloc_asprintf_append(s, "}");
	}
	return talloc_steal(an, s);
}

/* "owes a1 a2; holds a3; unreciprocated a2" for party @p k. */
static const char *balance(const cm_analysis *an, size_t k)
{
	char *s = talloc_strdup(tctx, "owes");
	for (size_t j = 0; j < cm_analysis_owes_count(an, k); j++)
		s = talloc_asprintf_append(s, " %s", cm_analysis_owes(an, k, j));
	s = talloc_asprintf_append(s, "; holds");
	for (size_t j = 0; j < cm_analysis_holds_count(an, k); j++)
		s = talloc_asprintf_append(s, " %s",
					   cm_analysis_holds(an, k, j));
	s = talloc_asprintf_append(s, "; unreciprocated");
	for (size_t j = 0; j < cm_analysis_unreciprocated_count(an, k); j++)
		s = talloc_asprintf_append(s, " %s",
					   cm_analysis_unreciprocated(an, k, j));
	return talloc_steal(an, s);
}

/* The symbolic state of commitment @p id. */
static const char *state_of(const cm_analysis *an, const char *id)
{
	for (size_t i = 0; i < cm_analysis_commitment_count(an); i++)
		if (strcmp(cm_analysis_commitment_id(an, i), id) == 0)
			return cm_state_name(cm_analysis_commitment_state(an, i));
	return "?";
}

#define HEAD                                                                 \
	"agreement t \"T\" {\n"                                               \
	"  party A \"Alpha\" state\n"                                         \
	"  party B \"Beta\" state\n"

/* ---- deadlocks ------------------------------------------------------- */

START_TEST(self_loop)
{
	cm_analysis *an = analyze(HEAD
		"  commitment x { A must go() if fulfilled(x) }\n"
		"  commitment y { B must stay() }\n"
		"}\n");
	ck_assert_str_eq(deadlocks(an), "[x] {x}");
	ck_assert_str_eq(state_of(an, "x"), "pending");
	ck_assert_str_eq(state_of(an, "y"), "fulfilled");
	talloc_free(talloc_parent(an));
}
END_TEST

START_TEST(cycle_of_two)
{
	cm_analysis *an = analyze(HEAD
		"  commitment withdraw { A must withdraw() if fulfilled(release) }\n"
		"  commitment release { B must release() if fulfilled(withdraw) }\n"
		"}\n");
	ck_assert_str_eq(deadlocks(an), "[withdraw release] {withdraw release}");
	talloc_free(talloc_parent(an));
}
END_TEST

START_TEST(cycle_of_many)
{
	/* c1 -> c2 -> ... -> c5 -> c1, declared out of order */
	cm_analysis *an = analyze(HEAD
		"  commitment c3 { A must c() if active(c4) }\n"
		"  commitment c1 { A must a() if fulfilled(c2) }\n"
		"  commitment c5 { B may e() if fulfilled(c1) }\n"
		"  commitment c2 { B must b() if fulfilled(c3) }\n"
		"  commitment c4 { B must not d() if suspended(c5) }\n"
		"}\n");
	ck_assert_str_eq(deadlocks(an), "[c3 c1 c5 c2 c4] {c3 c1 c5 c2 c4}");
	talloc_free(talloc_parent(an));
}
END_TEST

START_TEST(cycle_through_or_and)
{
	/* x waits on y or on an attack (none happens); y on x and on z,
	 * which is fulfilled at once */
	cm_analysis *an = analyze(HEAD
		"  commitment z { A must open() }\n"
		"  commitment x { A must go() if fulfilled(y) or attack(on: A) }\n"
		"  commitment y { B must go() if (active(x) or fulfilled(x)) and fulfilled(z) }\n"
		"}\n");
	ck_assert_str_eq(deadlocks(an), "[x y] {x y}");
	ck_assert_str_eq(state_of(an, "z"), "fulfilled");
	talloc_free(talloc_parent(an));
}
END_TEST

START_TEST(or_with_a_way_out)
{
	/* x waits on y or on z; z is fulfilled, so x and then y go */
	cm_analysis *an = analyze(HEAD
		"  commitment x { A must go() if fulfilled(y) or fulfilled(z) }\n"
		"  commitment y { B must go() if fulfilled(x) }\n"
		"  commitment z { B must open() }\n"
		"}\n");
	ck_assert_str_eq(deadlocks(an), "");
	ck_assert_str_eq(state_of(an, "x"), "fulfilled");
	ck_assert_str_eq(state_of(an, "y"), "fulfilled");
	talloc_free(talloc_parent(an));
}
END_TEST

START_TEST(blocked_chain)
{
	cm_analysis *an = analyze(HEAD
		"  commitment v { B must v() if active(w) }\n"
		"  commitment x { A must x() if fulfilled(y) }\n"
		"  commitment u { B must u() }\n"
		"  commitment w { A may w() if fulfilled(x) }\n"
		"  commitment y { B must y() if fulfilled(x) }\n"
		"  commitment s { A must s() if fulfilled(u) }\n"
		"}\n");
	ck_assert_str_eq(deadlocks(an), "[x y] {v x w y}");
	ck_assert_str_eq(state_of(an, "s"), "fulfilled");
	talloc_free(talloc_parent(an));
}
END_TEST

START_TEST(contingent_rights)
{
	/* waiting on a violation is no deadlock, even mutually */
	cm_analysis *an = analyze(HEAD
		"  commitment x { A must not strike() }\n"
		"  commitment r { B may retaliate() if violated(x) }\n"
		"  commitment p { A may punish() if violated(q) or expired(p) }\n"
		"  commitment q { B must not cheat() if violated(p) }\n"
		"}\n");
	ck_assert_str_eq(deadlocks(an), "");
	ck_assert_str_eq(state_of(an, "x"), "active");
	ck_assert_str_eq(state_of(an, "r"), "pending");
	ck_assert_str_eq(state_of(an, "p"), "pending");
	ck_assert_str_eq(state_of(an, "q"), "pending");
	talloc_free(talloc_parent(an));
}
END_TEST

START_TEST(events_ignored)
{
	/* the agreement's events play no part in the symbolic run */
	cm_analysis *an = analyze(HEAD
		"  commitment x { A must not strike() }\n"
		"  commitment r { B may retaliate() if violated(x) }\n"
		"  commitment y { B must talk() if strike(by: A) }\n"
		"  events {\n"
		"    2025-01-01 strike(by: A)\n"
		"  }\n"
		"}\n");
	ck_assert_str_eq(state_of(an, "x"), "active");
	ck_assert_str_eq(state_of(an, "r"), "pending");
	ck_assert_str_eq(state_of(an, "y"), "pending");
	ck_assert_str_eq(deadlocks(an), "");
	talloc_free(talloc_parent(an));
}
END_TEST

START_TEST(fulfilment_triggers)
{
	/* x's synthetic event (withdraw by A) triggers y, whose fulfilment
	 * triggers z; count and windows see the synthetic events */
	cm_analysis *an = analyze(HEAD
		"  commitment z { A must thank() if fulfilled(y) }\n"
		"  commitment y { B must release(what: prisoners) if withdraw(by: A) within 1d }\n"
		"  commitment x { A must withdraw(from: \"the zone\") }\n"
		"  commitment c { B may rest() if count(release()) >= 1 and count(withdraw()) == 1 }\n"
		"  commitment n { B may rest() if count(release()) > 1 }\n"
		"  commitment m { B may rest() if withdraw(by: B) }\n"
		"  commitment t { B must \"say thanks\" if release(what: prisoners, by: B) }\n"
		"}\n");
	ck_assert_str_eq(deadlocks(an), "");
	ck_assert_str_eq(state_of(an, "x"), "fulfilled");
	ck_assert_str_eq(state_of(an, "y"), "fulfilled");
	ck_assert_str_eq(state_of(an, "z"), "fulfilled");
	ck_assert_str_eq(state_of(an, "c"), "active");
	ck_assert_str_eq(state_of(an, "n"), "pending");
	ck_assert_str_eq(state_of(an, "m"), "pending");
	/* free text: triggered, never fulfilled */
	ck_assert_str_eq(state_of(an, "t"), "active");
	talloc_free(talloc_parent(an));
}
END_TEST

START_TEST(guards_suspend)
{
	/* a suspended must is not fulfilled; waiting on it is no cycle */
	cm_analysis *an = analyze(HEAD
		"  commitment g { A must go() while false }\n"
		"  commitment h { B must go() if fulfilled(g) }\n"
		"  commitment k { B may k() if suspended(g) unless active(k2) }\n"
		"  commitment k2 { A may k() }\n"
		"}\n");
	ck_assert_str_eq(deadlocks(an), "");
	ck_assert_str_eq(state_of(an, "g"), "suspended");
	ck_assert_str_eq(state_of(an, "h"), "pending");
	ck_assert_str_eq(state_of(an, "k"), "suspended");
	talloc_free(talloc_parent(an));
}
END_TEST

START_TEST(two_cycles)
{
	cm_analysis *an = analyze(HEAD
		"  commitment d { B must d() if fulfilled(c) }\n"
		"  commitment a { A must a() if fulfilled(b) }\n"
		"  commitment b { B must b() if fulfilled(a) }\n"
		"  commitment c { A must c() if fulfilled(d) }\n"
		"  commitment e { A must e() if fulfilled(a) and fulfilled(c) }\n"
		"}\n");
	/* ordered by first member; e is blocked behind both */
	ck_assert_str_eq(deadlocks(an), "[d c] {d c e}; [a b] {a b e}");
	talloc_free(talloc_parent(an));
}
END_TEST

START_TEST(negation_polarity)
{
	/* not pending(y) waits on y; not active(y) does not (it holds) */
	cm_analysis *an = analyze(HEAD
		"  commitment x { A must x() if not pending(y) }\n"
		"  commitment y { B must y() if not (not fulfilled(x)) }\n"
		"  commitment p { A may p() if not active(q) and not violated(q) }\n"
		"  commitment q { B may q() if active(p) }\n"
		"  commitment r { A may r() if pending(r) and false }\n"
		"}\n");
	ck_assert_str_eq(deadlocks(an), "[x y] {x y}");
	ck_assert_str_eq(state_of(an, "p"), "active");
	ck_assert_str_eq(state_of(an, "q"), "active");
	ck_assert_str_eq(state_of(an, "r"), "pending");
	talloc_free(talloc_parent(an));
}
END_TEST

START_TEST(form_atoms)
{
	/* form atoms are static facts: written(x) holds, signed(x) not */
	cm_analysis *an = analyze(HEAD
		"  commitment x { A must x() written }\n"
		"  commitment y { B may y() if written(x) }\n"
		"  commitment z { B may z() if signed(x) }\n"
		"}\n");
	ck_assert_str_eq(state_of(an, "y"), "active");
	ck_assert_str_eq(state_of(an, "z"), "pending");
	ck_assert_str_eq(deadlocks(an), "");
	talloc_free(talloc_parent(an));
}
END_TEST

/* ---- balance --------------------------------------------------------- */

START_TEST(balance_definition)
{
	cm_analysis *an = analyze(
		"agreement b {\n"
		"  party A \"Alpha\"\n"
		"  party B \"Beta\"\n"
		"  mediator M \"Mu\"\n"
		"  party C \"Gamma\"\n"
		"  commitment a1 { A must x() reciprocal b1 }\n"  /* own link */
		"  commitment b1 { B must y() }\n"   /* named by A's link */
		"  commitment b2 { B must not z() }\n" /* named in A's if */
		"  commitment a2 { A must prevent w() }\n" /* alone */
		"  commitment a3 { A may v() if violated(b2) }\n"
		"  commitment a4 { A must u() if fulfilled(b3) proposed by A }\n"
		"  commitment b3 { B must t() }\n" /* named by A's proposal */
		"  commitment b4 { B may s() if active(b3) }\n"
		"  commitment b6 { B must o() }\n" /* named only by B's own */
		"  commitment b7 { B may n() if active(b6) reciprocal b6 }\n"
		"  commitment b5 { B must r() }\n" /* in A's while form atom */
		"  commitment a5 { A may q() while written(b5) claimed }\n"
		"  commitment a6 { A must p() unless signed(b5) }\n"
		"}\n");
	ck_assert_uint_eq(cm_analysis_party_count(an), 3);
	ck_assert_str_eq(cm_analysis_party(an, 0), "A");
	ck_assert_str_eq(cm_analysis_party(an, 1), "B");
	ck_assert_str_eq(cm_analysis_party(an, 2), "C");
	ck_assert_str_eq(balance(an, 0),
			 "owes a1 a2 a6; holds a3; unreciprocated a2 a6");
	ck_assert_str_eq(balance(an, 1),
			 "owes b1 b2 b3 b6 b5; holds b4 b7; unreciprocated b6");
	ck_assert_str_eq(balance(an, 2), "owes; holds; unreciprocated");
	ck_assert_ptr_null(cm_analysis_party(an, 3));
	ck_assert_ptr_null(cm_analysis_owes(an, 0, 3));
	ck_assert_uint_eq(cm_analysis_owes_count(an, 9), 0);
	talloc_free(talloc_parent(an));
}
END_TEST

/* ---- writers --------------------------------------------------------- */

START_TEST(json_and_text)
{
	cm_analysis *an = analyze(HEAD
		"  commitment a { A must a() if fulfilled(b) }\n"
		"  commitment b { B must b() if fulfilled(a) }\n"
		"  commitment c { B may \"say \\\"no\\\"\" if active(a) }\n"
		"}\n");
	char *s = NULL;
	ck_assert_int_eq(cm_analysis_to_json(tctx, an, &s, NULL), CM_OK);
	ck_assert_str_eq(s,
		"{\"schema\": 1, \"id\": \"t\", \"title\": \"T\", \"deadlocks\": "
		"[{\"cycle\": [\"a\", \"b\"], \"commitments\": [\"a\", \"b\", "
		"\"c\"]}], \"balance\": {\"A\": {\"owes\": [\"a\"], \"holds\": "
		"[], \"unreciprocated\": []}, \"B\": {\"owes\": [\"b\"], "
		"\"holds\": [\"c\"], \"unreciprocated\": []}}}");
	cm_free(s);
	ck_assert_int_eq(cm_analysis_to_text(tctx, an, &s, NULL), CM_OK);
	ck_assert_str_eq(s,
		"t \"T\"\n"
		"  deadlock 1: a, b wait on each other\n"
		"    never taking effect: a, b, c\n"
		"  balance:\n"
		"    A owes a; holds none; unreciprocated: none\n"
		"    B owes b; holds c; unreciprocated: none\n");
	cm_free(s);
	ck_assert_str_eq(cm_analysis_agreement_id(an), "t");
	ck_assert_str_eq(cm_analysis_agreement_title(an), "T");
	talloc_free(talloc_parent(an));
}
END_TEST

START_TEST(text_untitled)
{
	cm_analysis *an = analyze("agreement u { party A \"A\"\n"
				  "  commitment a { A must a() if fulfilled(a) }\n"
				  "}\n");
	char *s = NULL;
	ck_assert_int_eq(cm_analysis_to_text(tctx, an, &s, NULL), CM_OK);
	ck_assert_str_eq(s, "u\n"
			    "  deadlock 1: a waits on itself\n"
			    "  balance:\n"
			    "    A owes a; holds none; unreciprocated: a\n");
	cm_free(s);
	ck_assert_int_eq(cm_analysis_to_json(tctx, an, &s, NULL), CM_OK);
	ck_assert_ptr_nonnull(strstr(s, "\"title\": null"));
	cm_free(s);
	ck_assert_ptr_null(cm_analysis_agreement_title(an));
	talloc_free(talloc_parent(an));

	an = analyze("agreement v { actor X \"X\" }\n");
	ck_assert_int_eq(cm_analysis_to_text(tctx, an, &s, NULL), CM_OK);
	ck_assert_str_eq(s, "v\n  no deadlock\n  balance:\n    no party\n");
	cm_free(s);
	ck_assert_int_eq(cm_analysis_to_json(tctx, an, &s, NULL), CM_OK);
	ck_assert_str_eq(s, "{\"schema\": 1, \"id\": \"v\", \"title\": null, \"deadlocks\": "
			    "[], \"balance\": {}}");
	cm_free(s);
	talloc_free(talloc_parent(an));
}
END_TEST

/* ---- errors ---------------------------------------------------------- */

START_TEST(errors)
{
	cm_error err;
	memset(&err, 0, sizeof(err));
	cm_analysis *an = (cm_analysis *)&err; /* must stay untouched */
	ck_assert_int_eq(cm_analyze(tctx, NULL, &an, &err), CM_EINVAL);
	ck_assert_ptr_eq(an, (cm_analysis *)&err);
	ck_assert_str_eq(err.message, "invalid argument");

	cm_agreement *a;
	ck_assert_int_eq(cm_agreement_new(tctx, "g", NULL, &a, NULL), CM_OK);
	ck_assert_int_eq(cm_analyze(tctx, a, NULL, &err), CM_EINVAL);
	ck_assert_int_eq(cm_agreement_add_party(a, "A", "A", CM_ROLE_PARTY,
						CM_KIND_STATE, NULL), CM_OK);
	cm_commitment *c;
	ck_assert_int_eq(cm_agreement_add_commitment(a, "x", "Z", CM_MUST, &c,
						     NULL), CM_OK);
	ck_assert_int_eq(cm_commitment_set_text(c, "do it", NULL), CM_OK);
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(cm_analyze(tctx, a, &an, &err), CM_ESEMANTIC);
	ck_assert_ptr_eq(an, (cm_analysis *)&err);
	ck_assert_ptr_nonnull(strstr(err.message, "Z"));

	char *s = (char *)&err;
	ck_assert_int_eq(cm_analysis_to_json(tctx, NULL, &s, NULL), CM_EINVAL);
	ck_assert_int_eq(cm_analysis_to_text(tctx, NULL, &s, NULL), CM_EINVAL);
	ck_assert_ptr_eq(s, (char *)&err);

	/* accessors on NULL and out of range */
	ck_assert_ptr_null(cm_analysis_agreement_id(NULL));
	ck_assert_uint_eq(cm_analysis_deadlock_count(NULL), 0);
	ck_assert_uint_eq(cm_analysis_cycle_count(NULL, 0), 0);
	ck_assert_ptr_null(cm_analysis_cycle_member(NULL, 0, 0));
	ck_assert_ptr_null(cm_analysis_blocked(NULL, 0, 0));
	ck_assert_uint_eq(cm_analysis_party_count(NULL), 0);
	ck_assert_int_eq(cm_analysis_commitment_state(NULL, 0), -1);
	ck_assert_ptr_null(cm_analysis_commitment_id(NULL, 0));
	cm_free(a);
}
END_TEST

START_TEST(built_in_code)
{
	/* an agreement built with the API analyses the same way */
	cm_agreement *a;
	ck_assert_int_eq(cm_agreement_new(tctx, "api", "Built", &a, NULL),
			 CM_OK);
	ck_assert_int_eq(cm_agreement_add_party(a, "A", "A", CM_ROLE_PARTY,
						CM_KIND_STATE, NULL), CM_OK);
	ck_assert_int_eq(cm_agreement_add_party(a, "B", "B", CM_ROLE_PARTY,
						CM_KIND_STATE, NULL), CM_OK);
	cm_commitment *x, *y;
	ck_assert_int_eq(cm_agreement_add_commitment(a, "x", "A", CM_MUST, &x,
						     NULL), CM_OK);
	ck_assert_int_eq(cm_agreement_add_commitment(a, "y", "B", CM_MUST, &y,
						     NULL), CM_OK);
	ck_assert_int_eq(cm_commitment_set_text(x, "go first", NULL), CM_OK);
	ck_assert_int_eq(cm_commitment_set_text(y, "go second", NULL), CM_OK);
	cm_condition *n;
	ck_assert_int_eq(cm_condition_new_state(x, CM_STATE_ACTIVE, "y", &n,
						NULL), CM_OK);
	ck_assert_int_eq(cm_commitment_add_condition_node(x, CM_COND_IF, n,
							  NULL), CM_OK);
	ck_assert_int_eq(cm_condition_new_state(y, CM_STATE_ACTIVE, "x", &n,
						NULL), CM_OK);
	ck_assert_int_eq(cm_commitment_add_condition_node(y, CM_COND_IF, n,
							  NULL), CM_OK);
	cm_analysis *an;
	ck_assert_int_eq(cm_analyze(NULL, a, &an, NULL), CM_OK);
	/* the analysis outlives the agreement */
	cm_free(a);
	ck_assert_str_eq(deadlocks(an), "[x y] {x y}");
	ck_assert_str_eq(cm_analysis_agreement_title(an), "Built");
	cm_free(an);
}
END_TEST

/* ---- scale ----------------------------------------------------------- */

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 100,000 commitments: a chain declared backwards (each fulfilment
 * triggers the one declared before it: one pass each if re-evaluated
 * naively) and a ring of `if` references (one SCC of 100,000). */
START_TEST(hundred_thousand)
{
	enum { N = 100000 };
	/* one buffer, sized up front (appending 200,000 times is slow under
	 * sanitizers) */
	size_t cap = (size_t)N * 140, len = 0;
	char *text = talloc_array(tctx, char, cap);
	ck_assert_ptr_nonnull(text);
	len += (size_t)snprintf(text + len, cap - len,
				"agreement big {\n  party A \"A\"\n"
				"  party B \"B\"\n");
	for (int i = N - 1; i >= 0; i--)
		len += (size_t)snprintf(
			text + len, cap - len,
			i ? "  commitment c%d { A must go(n: %d) if "
			    "fulfilled(c%d) }\n"
			  : "  commitment c%d { A must go(n: %d) }\n",
			i, i, i - 1);
	for (int i = 0; i < N; i++)
		len += (size_t)snprintf(
			text + len, cap - len,
			"  commitment r%d { B may r() if active(r%d) }\n", i,
			(i + 1) % N);
	len += (size_t)snprintf(text + len, cap - len, "}\n");
	ck_assert_uint_lt(len, cap);
	cm_document *doc = parse_ok(text);
	talloc_free(text);
	cm_agreement *a = cm_document_agreement(doc, 0);
	cm_analysis *an;
	double t0 = seconds();
	ck_assert_int_eq(cm_analyze(doc, a, &an, NULL), CM_OK);
	double dt = seconds() - t0;
	ck_assert_uint_eq(cm_analysis_deadlock_count(an), 1);
	ck_assert_uint_eq(cm_analysis_cycle_count(an, 0), N);
	ck_assert_uint_eq(cm_analysis_blocked_count(an, 0), N);
	ck_assert_str_eq(cm_analysis_cycle_member(an, 0, 0), "r0");
	ck_assert_str_eq(cm_analysis_cycle_member(an, 0, N - 1), "r99999");
	ck_assert_str_eq(state_of(an, "c0"), "fulfilled");
	ck_assert_str_eq(state_of(an, "c99999"), "fulfilled");
	/* well under a second in a plain build; the bound leaves room for
	 * sanitizers and valgrind while still catching quadratic work */
	ck_assert_msg(dt < 20.0, "cm_analyze took %.2f s", dt);
	fprintf(stderr, "analysis of %d commitments: %.3f s\n", 2 * N, dt);
	char *js;
	ck_assert_int_eq(cm_analysis_to_json(doc, an, &js, NULL), CM_OK);
	ck_assert_ptr_nonnull(strstr(js, "\"r99999\"]}]"));
	talloc_free(doc);
}
END_TEST

/* ---- allocation failure ------------------------------------------------ */

#ifdef CM_FAULT_INJECTION
START_TEST(allocation_failure)
{
	cm_document *doc = parse_ok(HEAD
		"  commitment a { A must a() if fulfilled(b) }\n"
		"  commitment b { B must b() if fulfilled(a) or go() }\n"
		"  commitment c { A must go() }\n"
		"}\n");
	cm_agreement *a = cm_document_agreement(doc, 0);
	size_t before = talloc_total_blocks(tctx);
	for (long n = 1;; n++) {
		cm_analysis *an = NULL;
		cm_error err;
		memset(&err, 0, sizeof(err));
		cm__fault_inject(n, false);
		int rc = cm_analyze(tctx, a, &an, &err);
		long failed = cm__fault_failures();
		cm__fault_inject(0, false);
		if (failed == 0) {
			ck_assert_int_eq(rc, CM_OK);
			char *s = NULL;
			for (long m = 1;; m++) {
				cm__fault_inject(m, false);
				rc = cm_analysis_to_json(tctx, an, &s, NULL);
				failed = cm__fault_failures();
				cm__fault_inject(0, false);
				if (!failed)
					break;
				ck_assert_int_eq(rc, CM_ENOMEM);
				ck_assert_uint_eq(talloc_total_blocks(tctx),
						  before + talloc_total_blocks(an));
			}
			cm_free(s);
			cm_free(an);
			/* the run did allocate, and every site failed once */
			ck_assert_int_gt(n, 10);
			break;
		}
		ck_assert_int_eq(rc, CM_ENOMEM);
		ck_assert_ptr_null(an);
		ck_assert_uint_eq(talloc_total_blocks(tctx), before);
	}
	/* the DOT writer */
	for (long n = 1;; n++) {
		char *s = NULL;
		cm__fault_inject(n, false);
		int rc = cm_agreement_to_dot(tctx, a, NULL, 0, "c", &s, NULL);
		long failed = cm__fault_failures();
		cm__fault_inject(0, false);
		if (!failed) {
			ck_assert_int_eq(rc, CM_OK);
			ck_assert_int_gt(n, 2);
			cm_free(s);
			break;
		}
		ck_assert_int_eq(rc, CM_ENOMEM);
		ck_assert_ptr_null(s);
		ck_assert_uint_eq(talloc_total_blocks(tctx), before);
	}
	talloc_free(doc);
}
END_TEST
#endif

int main(void)
{
	Suite *s = suite_create("analysis");
	tcase_add_test(tcase_leakcheck(s, "self_loop"), self_loop);
	tcase_add_test(tcase_leakcheck(s, "cycle_of_two"), cycle_of_two);
	tcase_add_test(tcase_leakcheck(s, "cycle_of_many"), cycle_of_many);
	tcase_add_test(tcase_leakcheck(s, "cycle_through_or_and"),
		       cycle_through_or_and);
	tcase_add_test(tcase_leakcheck(s, "or_with_a_way_out"),
		       or_with_a_way_out);
	tcase_add_test(tcase_leakcheck(s, "blocked_chain"), blocked_chain);
	tcase_add_test(tcase_leakcheck(s, "contingent_rights"),
		       contingent_rights);
	tcase_add_test(tcase_leakcheck(s, "events_ignored"), events_ignored);
	tcase_add_test(tcase_leakcheck(s, "fulfilment_triggers"),
		       fulfilment_triggers);
	tcase_add_test(tcase_leakcheck(s, "guards_suspend"), guards_suspend);
	tcase_add_test(tcase_leakcheck(s, "two_cycles"), two_cycles);
	tcase_add_test(tcase_leakcheck(s, "negation_polarity"),
		       negation_polarity);
	tcase_add_test(tcase_leakcheck(s, "form_atoms"), form_atoms);
	tcase_add_test(tcase_leakcheck(s, "balance_definition"),
		       balance_definition);
	tcase_add_test(tcase_leakcheck(s, "json_and_text"), json_and_text);
	tcase_add_test(tcase_leakcheck(s, "text_untitled"), text_untitled);
	tcase_add_test(tcase_leakcheck(s, "errors"), errors);
	tcase_add_test(tcase_leakcheck(s, "built_in_code"), built_in_code);
	TCase *big = tcase_leakcheck(s, "hundred_thousand");
	tcase_set_timeout(big, 120);
	tcase_add_test(big, hundred_thousand);
#ifdef CM_FAULT_INJECTION
	tcase_add_test(tcase_leakcheck(s, "allocation_failure"),
		       allocation_failure);
#endif
	return run_suite(s);
}
