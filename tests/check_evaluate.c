/*
 * Documentation evaluation (SPEC §3): every rule, selector, `who`, form,
 * level, standing and policy case, on agreements built with the builder
 * API and parsed from text.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "testutil.h"

#ifdef CM_FAULT_INJECTION
#include "util/alloc.h"
#endif
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif

/* Seconds the 100,000-commitment check may take: well under one, more
 * under a sanitizer or valgrind. */
static double time_budget(void)
{
	double b = 1.0;
#if defined(__SANITIZE_ADDRESS__)
	b *= 10;
#endif
#ifdef RUNNING_ON_VALGRIND
	if (RUNNING_ON_VALGRIND)
		b *= 100;
#endif
	return b;
}

#define OK(call)                                                             \
	do {                                                                 \
		cm_error e_;                                                 \
		memset(&e_, 0, sizeof(e_));                                  \
		int rc_ = (call);                                            \
		ck_assert_msg(rc_ == CM_OK, "%s: %d %s", #call, rc_,         \
			      e_.message);                                   \
	} while (0)
#define E (&e_)

static cm_time day(const char *s)
{
	cm_time t;
	ck_assert_int_eq(cm_time_parse(s, 0, &t), CM_OK);
	return t;
}

/* An agreement with parties PK (state), AF (authority), mediators TR, QA
 * (unless @p mediators is false), and actor TTP. */
static cm_agreement *base(bool mediators)
{
	cm_agreement *a;
	OK(cm_agreement_new(tctx, "talks", "Talks", &a, E));
	OK(cm_agreement_add_party(a, "PK", "Pakistan", CM_ROLE_PARTY,
				  CM_KIND_STATE, E));
	OK(cm_agreement_add_party(a, "AF", "Afghan administration",
				  CM_ROLE_PARTY, CM_KIND_AUTHORITY, E));
	if (mediators) {
		OK(cm_agreement_add_party(a, "TR", "Türkiye",
					  CM_ROLE_MEDIATOR, CM_KIND_STATE, E));
		OK(cm_agreement_add_party(a, "QA", "Qatar", CM_ROLE_MEDIATOR,
					  CM_KIND_STATE, E));
	}
	OK(cm_agreement_add_party(a, "TTP", "TTP", CM_ROLE_ACTOR,
				  CM_KIND_ARMED_GROUP, E));
	return a;
}

static cm_commitment *add(cm_agreement *a, const char *id, const char *debtor,
			  int modality, const char *action)
{
	cm_commitment *c;
	OK(cm_agreement_add_commitment(a, id, debtor, modality, &c, E));
	OK(cm_commitment_set_action(c, action, E));
	return c;
}

static void req(cm_agreement *a, const char *rule, const char *sel)
{
	OK(cm_agreement_add_requirement(a, rule, sel, E));
}

static cm_report *check(cm_agreement *a)
{
	cm_report *r = NULL;
	OK(cm_check(tctx, a, NULL, 0, &r, E));
	ck_assert_ptr_nonnull(r);
	return r;
}

static cm_report *check_with(cm_agreement *a, cm_policy **p, size_t n)
{
	cm_report *r = NULL;
	OK(cm_check(tctx, a, p, n, &r, E));
	return r;
}

/* Requirement @p i has exactly @p n failures. */
static void nfail(const cm_report *r, size_t i, size_t n)
{
	ck_assert_uint_eq(cm_report_failure_count(r, i), n);
	ck_assert_int_eq(cm_report_requirement_holds(r, i), n == 0);
}

/* Failure j of requirement i. @p com NULL: agreement-level. */
static void failure(const cm_report *r, size_t i, size_t j, const char *com,
		    const char *missing, const char *remedy)
{
	ck_assert_uint_gt(cm_report_failure_count(r, i), j);
	if (com)
		ck_assert_str_eq(cm_report_failure_commitment(r, i, j), com);
	else
		ck_assert_ptr_null(cm_report_failure_commitment(r, i, j));
	ck_assert_str_eq(cm_report_failure_missing(r, i, j), missing);
	ck_assert_str_eq(cm_report_failure_remedy(r, i, j), remedy);
}

static void done(void *r, cm_agreement *a)
{
	cm_free(r);
	cm_free(a);
}

/* ---- written ----------------------------------------------------------- */

START_TEST(written_default_forms)
{
	/* unsigned agreement: default form is verbal */
	cm_agreement *a = base(true);
	add(a, "x", "AF", CM_MUST_PREVENT, "attack(from: AF, on: PK)");
	req(a, "written", NULL);
	cm_report *r = check(a);
	ck_assert_int_eq(cm_report_verdict(r), CM_VERDICT_FAILS);
	ck_assert_str_eq(cm_report_requirement_rule(r, 0), "written");
	ck_assert_str_eq(cm_report_requirement_selector(r, 0), "all");
	ck_assert_ptr_null(cm_report_requirement_policy(r, 0));
	ck_assert_int_eq(cm_report_requirement_line(r, 0), 0);
	nfail(r, 0, 1);
	failure(r, 0, 0, "x", "written form", "AF puts x in writing and signs it");
	ck_assert_int_eq(cm_report_commitment_form(r, 0), CM_FORM_VERBAL);
	cm_free(r);
	/* a signed agreement makes it written */
	OK(cm_agreement_add_signature(a, "PK", CM_TIME_NONE, E));
	r = check(a);
	ck_assert_int_eq(cm_report_verdict(r), CM_VERDICT_MEETS);
	nfail(r, 0, 0);
	ck_assert_int_eq(cm_report_commitment_form(r, 0), CM_FORM_WRITTEN);
	done(r, a);
}
END_TEST

START_TEST(written_explicit_forms)
{
	cm_agreement *a = base(true);
	OK(cm_agreement_add_signature(a, "PK", CM_TIME_NONE, E));
	OK(cm_agreement_add_signature(a, "AF", CM_TIME_NONE, E));
	cm_commitment *v = add(a, "v", "PK", CM_MUST_NOT, "strike(on: AF)");
	OK(cm_commitment_set_form(v, CM_FORM_VERBAL, E));
	add(a, "w", "AF", CM_MUST, "release(what: prisoners)");
	cm_agreement *b = base(true);
	cm_commitment *x = add(b, "x", "AF", CM_MUST, "release()");
	OK(cm_commitment_set_form(x, CM_FORM_WRITTEN, E));
	req(a, "written", NULL);
	req(b, "written", NULL);
	cm_report *r = check(a);
	nfail(r, 0, 1);
	failure(r, 0, 0, "v", "written form", "PK puts v in writing");
	ck_assert_int_eq(cm_report_commitment_form(r, 0), CM_FORM_VERBAL);
	ck_assert_int_eq(cm_report_commitment_form(r, 1), CM_FORM_WRITTEN);
	cm_report *s = check(b);
	nfail(s, 0, 0);
	ck_assert_int_eq(cm_report_commitment_form(s, 0), CM_FORM_WRITTEN);
	cm_free(s);
	done(r, a);
	cm_free(b);
}
END_TEST

/* ---- signed by ---------------------------------------------------------- */

START_TEST(signed_by_debtor)
{
	cm_agreement *a = base(true);
	cm_commitment *own = add(a, "own", "AF", CM_MUST, "release()");
	OK(cm_commitment_add_signature(own, "AF", CM_TIME_NONE, E));
	add(a, "bare", "AF", CM_MUST_PREVENT, "attack(on: PK)");
	cm_commitment *other = add(a, "other", "PK", CM_MUST, "pay()");
	OK(cm_commitment_add_signature(other, "AF", CM_TIME_NONE, E));
	req(a, "signed by debtor", NULL);
	cm_report *r = check(a);
	ck_assert_str_eq(cm_report_requirement_rule(r, 0), "signed by debtor");
	nfail(r, 0, 2);
	failure(r, 0, 0, "bare", "signature of AF", "AF signs bare");
	failure(r, 0, 1, "other", "signature of PK", "PK signs other");
	done(r, a);
}
END_TEST

START_TEST(signed_agreement_covers_written_only)
{
	cm_agreement *a = base(true);
	OK(cm_agreement_add_signature(a, "AF", CM_TIME_NONE, E));
	add(a, "dflt", "AF", CM_MUST, "release()");
	cm_commitment *v = add(a, "oral", "AF", CM_MUST, "pay()");
	OK(cm_commitment_set_form(v, CM_FORM_VERBAL, E));
	req(a, "signed by debtor", NULL);
	cm_report *r = check(a);
	nfail(r, 0, 1);
	failure(r, 0, 0, "oral", "signature of AF",
		"AF signs oral (the signed text does not cover it while it "
		"is verbal)");
	done(r, a);
}
END_TEST

START_TEST(signed_by_creditor)
{
	cm_agreement *a = base(true);
	OK(cm_agreement_add_party(a, "IR", "Iran", CM_ROLE_PARTY,
				  CM_KIND_STATE, E));
	/* default creditors: every other party-role party (PK, IR) */
	add(a, "dflt", "AF", CM_MUST, "release()");
	/* explicit `to`: a mediator as creditor */
	cm_commitment *to = add(a, "to_tr", "AF", CM_MUST, "report()");
	OK(cm_commitment_add_creditor(to, "TR", E));
	cm_commitment *ok = add(a, "ok", "PK", CM_MUST, "pay()");
	OK(cm_commitment_add_signature(ok, "AF", CM_TIME_NONE, E));
	OK(cm_commitment_add_signature(ok, "IR", CM_TIME_NONE, E));
	req(a, "signed by creditor", NULL);
	cm_report *r = check(a);
	ck_assert_str_eq(cm_report_requirement_rule(r, 0),
			 "signed by creditor");
	nfail(r, 0, 2);
	failure(r, 0, 0, "dflt", "signatures of PK and IR",
		"PK and IR sign dflt");
	failure(r, 0, 1, "to_tr", "signature of TR", "TR signs to_tr");
	ck_assert_uint_eq(cm_report_commitment_creditor_count(r, 0), 2);
	ck_assert_str_eq(cm_report_commitment_creditor(r, 0, 0), "PK");
	ck_assert_str_eq(cm_report_commitment_creditor(r, 0, 1), "IR");
	ck_assert_ptr_null(cm_report_commitment_creditor(r, 0, 2));
	ck_assert_uint_eq(cm_report_commitment_creditor_count(r, 1), 1);
	ck_assert_str_eq(cm_report_commitment_creditor(r, 1, 0), "TR");
	done(r, a);
}
END_TEST

START_TEST(signed_by_all_parties)
{
	cm_agreement *a = base(true);
	OK(cm_agreement_add_party(a, "IR", "Iran", CM_ROLE_PARTY,
				  CM_KIND_STATE, E));
	cm_commitment *c = add(a, "x", "AF", CM_MUST, "release()");
	OK(cm_commitment_add_signature(c, "AF", CM_TIME_NONE, E));
	req(a, "signed by all parties", NULL);
	cm_report *r = check(a);
	ck_assert_str_eq(cm_report_requirement_rule(r, 0),
			 "signed by all parties");
	nfail(r, 0, 1);
	/* mediators and actors are not parties */
	failure(r, 0, 0, "x", "signatures of PK and IR", "PK and IR sign x");
	done(r, a);
}
END_TEST

START_TEST(signed_by_any_mediator)
{
	cm_agreement *a = base(true);
	cm_commitment *c = add(a, "by_qa", "AF", CM_MUST, "release()");
	OK(cm_commitment_add_signature(c, "QA", CM_TIME_NONE, E));
	add(a, "none", "AF", CM_MUST, "pay()");
	req(a, "signed by any mediator", NULL);
	cm_report *r = check(a);
	ck_assert_str_eq(cm_report_requirement_rule(r, 0),
			 "signed by any mediator");
	nfail(r, 0, 1);
	failure(r, 0, 0, "none", "signature of a mediator",
		"TR or QA signs none");
	done(r, a);

	a = base(false);
	add(a, "x", "AF", CM_MUST, "pay()");
	req(a, "signed by any mediator", NULL);
	req(a, "witnessed by any mediator", NULL);
	req(a, "ratified by any mediator", NULL);
	r = check(a);
	failure(r, 0, 0, "x", "signature of a mediator",
		"name a mediator in the agreement, who signs x");
	failure(r, 1, 0, "x", "witness by a mediator",
		"name a mediator in the agreement, who witnesses or signs x");
	failure(r, 2, 0, "x", "ratification by a mediator",
		"name a mediator in the agreement, who ratifies the "
		"agreement");
	done(r, a);
}
END_TEST

START_TEST(signed_by_ids)
{
	cm_agreement *a = base(true);
	cm_commitment *c = add(a, "x", "AF", CM_MUST, "release()");
	OK(cm_commitment_add_signature(c, "PK", CM_TIME_NONE, E));
	req(a, "signed by PK, AF, TR", NULL);
	req(a, "signed by PK", NULL);
	cm_report *r = check(a);
	ck_assert_str_eq(cm_report_requirement_rule(r, 0),
			 "signed by PK, AF, TR");
	failure(r, 0, 0, "x", "signatures of AF and TR", "AF and TR sign x");
	nfail(r, 1, 0);
	ck_assert_int_eq(cm_report_verdict(r), CM_VERDICT_FAILS);
	done(r, a);
}
END_TEST

/* ---- witnessed, ratified ------------------------------------------------ */

START_TEST(witnessed_by)
{
	cm_agreement *a = base(true);
	cm_commitment *w = add(a, "w", "AF", CM_MUST_PREVENT, "attack()");
	OK(cm_commitment_add_witness(w, "TR", E));
	cm_commitment *s = add(a, "s", "AF", CM_MUST, "release()");
	OK(cm_commitment_add_signature(s, "TR", CM_TIME_NONE, E));
	add(a, "n", "AF", CM_MUST, "pay()");
	req(a, "witnessed by TR", NULL);
	req(a, "witnessed by TR, QA", NULL);
	req(a, "witnessed by any mediator", NULL);
	req(a, "witnessed by debtor", NULL);
	cm_report *r = check(a);
	ck_assert_str_eq(cm_report_requirement_rule(r, 1),
			 "witnessed by TR, QA");
	nfail(r, 0, 1);
	failure(r, 0, 0, "n", "witness TR", "TR witnesses or signs n");
	nfail(r, 1, 3);
	failure(r, 1, 0, "w", "witness QA", "QA witnesses or signs w");
	failure(r, 1, 2, "n", "witnesses TR and QA",
		"TR and QA witness or sign n");
	nfail(r, 2, 1);
	failure(r, 2, 0, "n", "witness by a mediator", "TR or QA witnesses or "
		"signs n");
	nfail(r, 3, 3);
	failure(r, 3, 0, "w", "witness AF", "AF witnesses or signs w");
	done(r, a);
}
END_TEST

START_TEST(ratified_by)
{
	cm_agreement *a = base(true);
	add(a, "af", "AF", CM_MUST, "release()");
	add(a, "pk", "PK", CM_MUST_NOT, "strike()");
	OK(cm_agreement_add_ratification(a, "PK", CM_TIME_NONE, E));
	req(a, "ratified by debtor", NULL);
	req(a, "ratified by PK, AF", NULL);
	req(a, "ratified by creditor", NULL);
	req(a, "ratified by all parties", NULL);
	cm_report *r = check(a);
	nfail(r, 0, 1);
	failure(r, 0, 0, "af", "ratification by AF",
		"AF ratifies the agreement");
	nfail(r, 1, 2);
	failure(r, 1, 1, "pk", "ratification by AF",
		"AF ratifies the agreement");
	nfail(r, 2, 1);
	failure(r, 2, 0, "pk", "ratification by AF",
		"AF ratifies the agreement");
	ck_assert_str_eq(cm_report_requirement_rule(r, 3),
			 "ratified by all parties");
	nfail(r, 3, 2);
	cm_free(r);
	OK(cm_agreement_add_ratification(a, "AF", CM_TIME_NONE, E));
	r = check(a);
	ck_assert_int_eq(cm_report_verdict(r), CM_VERDICT_MEETS);
	done(r, a);
}
END_TEST

START_TEST(ratified_by_many_missing)
{
	cm_agreement *a = base(true);
	add(a, "af", "AF", CM_MUST, "release()");
	req(a, "ratified by all parties", NULL);
	cm_report *r = check(a);
	failure(r, 0, 0, "af", "ratifications by PK and AF",
		"PK and AF ratify the agreement");
	done(r, a);
}
END_TEST

/* ---- dated, verifiable, registered, parties ----------------------------- */

START_TEST(dated_variants)
{
	cm_agreement *a = base(true);
	add(a, "bare", "AF", CM_MUST, "release()");
	cm_commitment *own = add(a, "own", "AF", CM_MUST, "pay()");
	OK(cm_commitment_add_signature(own, "AF", day("2025-11-07"), E));
	cm_commitment *undated = add(a, "undated", "AF", CM_MUST, "go()");
	OK(cm_commitment_add_signature(undated, "AF", CM_TIME_NONE, E));
	req(a, "dated", NULL);
	cm_report *r = check(a);
	ck_assert_str_eq(cm_report_requirement_rule(r, 0), "dated");
	nfail(r, 0, 2);
	failure(r, 0, 0, "bare", "date",
		"date the agreement, or date a signature covering bare");
	failure(r, 0, 1, "undated", "date",
		"date the agreement, or date a signature covering undated");
	cm_free(r);

	/* a dated signature of the agreement covers written commitments,
	 * not verbal ones */
	cm_agreement *b = base(true);
	OK(cm_agreement_add_signature(b, "PK", day("2025-11-07"), E));
	add(b, "written", "AF", CM_MUST, "release()");
	cm_commitment *v = add(b, "oral", "AF", CM_MUST, "pay()");
	OK(cm_commitment_set_form(v, CM_FORM_VERBAL, E));
	req(b, "dated", NULL);
	r = check(b);
	nfail(r, 0, 1);
	failure(r, 0, 0, "oral", "date",
		"date the agreement, or date a signature covering oral");
	cm_free(r);
	cm_free(b);

	/* the agreement's date covers everything */
	OK(cm_agreement_set_date(a, day("2025-11-07"), E));
	r = check(a);
	nfail(r, 0, 0);
	done(r, a);
}
END_TEST

START_TEST(verifiable)
{
	cm_agreement *a = base(true);
	add(a, "act", "AF", CM_MUST, "release(what: prisoners)");
	cm_commitment *t;
	OK(cm_agreement_add_commitment(a, "txt", "PK", CM_MUST, &t, E));
	OK(cm_commitment_set_text(t, "respect the spirit of the talks", E));
	req(a, "verifiable", NULL);
	cm_report *r = check(a);
	ck_assert_str_eq(cm_report_requirement_rule(r, 0), "verifiable");
	nfail(r, 0, 1);
	failure(r, 0, 0, "txt", "action pattern",
		"state txt as an action pattern, type(attribute: value, ...), "
		"instead of free text");
	done(r, a);
}
END_TEST

START_TEST(registered)
{
	cm_agreement *a = base(true);
	add(a, "x", "AF", CM_MUST, "release()");
	add(a, "y", "PK", CM_MUST, "release()");
	req(a, "registered", NULL);
	cm_report *r = check(a);
	ck_assert_str_eq(cm_report_requirement_rule(r, 0), "registered");
	nfail(r, 0, 1);
	failure(r, 0, 0, NULL, "registration",
		"register the agreement (UN Charter art. 102)");
	char *text;
	OK(cm_report_to_text(tctx, r, &text, E));
	ck_assert_msg(strstr(text, "\n  require registered  (own "
				   "requirement)\n    - the agreement: missing "
				   "registration. To do: register the agreement "
				   "(UN Charter art. 102).\n"), "%s", text);
	/* One requirement: singular noun and verb. */
	ck_assert_msg(strncmp(text, "FAILS talks \"Talks\": 1 of 1 "
				    "requirement does not hold\n", 54) == 0,
		      "%s", text);
	cm_free(text);
	cm_free(r);
	OK(cm_agreement_set_registered(a, CM_TIME_NONE, E));
	r = check(a);
	nfail(r, 0, 0);
	ck_assert_int_eq(cm_report_verdict(r), CM_VERDICT_MEETS);
	OK(cm_report_to_text(tctx, r, &text, E));
	const char *head = "MEETS talks \"Talks\": its 1 requirement "
			   "holds\n\nCommitments:\n";
	ck_assert_msg(strncmp(text, head, strlen(head)) == 0, "%s", text);
	cm_free(text);
	done(r, a);
}
END_TEST

START_TEST(parties_kinds)
{
	cm_agreement *a = base(true);
	OK(cm_agreement_add_party(a, "XX", "Unknown", CM_ROLE_PARTY,
				  CM_KIND_NONE, E));
	OK(cm_agreement_add_party(a, "UN", "United Nations", CM_ROLE_PARTY,
				  CM_KIND_ORGANIZATION, E));
	req(a, "parties state, organization", NULL);
	req(a, "parties state", NULL);
	cm_report *r = check(a);
	ck_assert_str_eq(cm_report_requirement_rule(r, 0),
			 "parties state, organization");
	/* the mediators and the actor are not judged; no commitments are
	 * needed for an agreement-level rule */
	nfail(r, 0, 2);
	failure(r, 0, 0, NULL, "kind of AF (authority, not state or "
		"organization)", "bind AF as state or organization, or give "
		"it a role other than party (e.g. actor)");
	failure(r, 0, 1, NULL, "kind of XX (none declared)",
		"declare the kind of XX (state or organization)");
	nfail(r, 1, 3);
	failure(r, 1, 2, NULL, "kind of UN (organization, not state)",
		"bind UN as state, or give it a role other than party (e.g. "
		"actor)");
	done(r, a);
}
END_TEST

/* ---- selectors --------------------------------------------------------- */

static cm_agreement *four(void)
{
	cm_agreement *a = base(true);
	add(a, "m", "AF", CM_MUST, "release()");
	add(a, "mn", "PK", CM_MUST_NOT, "strike()");
	add(a, "mp", "AF", CM_MUST_PREVENT, "attack()");
	add(a, "may", "AF", CM_MAY, "patrol()");
	return a;
}

/* The failing commitments of requirement i, joined with spaces. */
static void failing(const cm_report *r, size_t i, const char *want)
{
	char got[256] = "";
	for (size_t j = 0; j < cm_report_failure_count(r, i); j++) {
		if (j)
			strcat(got, " ");
		strcat(got, cm_report_failure_commitment(r, i, j));
	}
	ck_assert_str_eq(got, want);
}

START_TEST(selectors)
{
	cm_agreement *a = four();
	req(a, "written", NULL);
	req(a, "written", "all");
	req(a, "written", "obligations");
	req(a, "written", "prohibitions");
	req(a, "written", "permissions");
	req(a, "written", "AF");
	req(a, "written", "mn");
	req(a, "written", "TTP");
	cm_report *r = check(a);
	failing(r, 0, "m mn mp may");
	failing(r, 1, "m mn mp may");
	failing(r, 2, "m mn mp");
	ck_assert_str_eq(cm_report_requirement_selector(r, 2), "obligations");
	failing(r, 3, "mn mp");
	ck_assert_str_eq(cm_report_requirement_selector(r, 3), "prohibitions");
	failing(r, 4, "may");
	ck_assert_str_eq(cm_report_requirement_selector(r, 4), "permissions");
	/* a party selects what it owes, not its rights */
	failing(r, 5, "m mp");
	ck_assert_str_eq(cm_report_requirement_selector(r, 5), "AF");
	failing(r, 6, "mn");
	ck_assert_str_eq(cm_report_requirement_selector(r, 6), "mn");
	/* TTP owes nothing: a selector that picks nothing holds */
	nfail(r, 7, 0);
	ck_assert_str_eq(cm_report_requirement_selector(r, 7), "TTP");
	done(r, a);
}
END_TEST

/* Every per-commitment rule x every selector, from text: on commitments
 * that miss everything, each rule fails exactly on what its selector
 * picks. */
START_TEST(rule_selector_matrix)
{
	static const char *const rules[] = {
		"written", "signed by debtor", "signed by creditor",
		"signed by all parties", "signed by any mediator",
		"signed by PK", "witnessed by debtor", "witnessed by TR",
		"witnessed by any mediator", "ratified by debtor",
		"ratified by all parties", "dated", "verifiable",
	};
	static const struct {
		const char *sel, *picks;
	} sels[] = {
		{"", "m mn mp may"},
		{" for all", "m mn mp may"},
		{" for obligations", "m mn mp"},
		{" for prohibitions", "mn mp"},
		{" for permissions", "may"},
		{" for AF", "m mp"},
		{" for PK", "mn"},
		{" for mp", "mp"},
		{" for TTP", ""},
	};
	const size_t nr = sizeof(rules) / sizeof(rules[0]);
	const size_t ns = sizeof(sels) / sizeof(sels[0]);
	char text[8192];
	size_t len = (size_t)snprintf(text, sizeof(text),
		"agreement m {\n"
		"  party PK \"Pakistan\" state\n"
		"  party AF \"AF\" authority\n"
		"  mediator TR \"Türkiye\" state\n"
		"  actor TTP \"TTP\" armed-group\n");
	for (size_t i = 0; i < nr; i++)
		for (size_t j = 0; j < ns; j++)
			len += (size_t)snprintf(text + len, sizeof(text) - len,
						"  require %s%s\n", rules[i],
						sels[j].sel);
	snprintf(text + len, sizeof(text) - len,
		 "  commitment m { AF must \"release\" }\n"
		 "  commitment mn { PK must not \"strike\" }\n"
		 "  commitment mp { AF must prevent \"attacks\" }\n"
		 "  commitment may { AF may \"patrol\" }\n"
		 "}\n");
	cm_document *doc = parse_ok(text);
	cm_report *r = check(cm_document_agreement(doc, 0));
	ck_assert_uint_eq(cm_report_requirement_count(r), nr * ns);
	for (size_t i = 0; i < nr; i++)
		for (size_t j = 0; j < ns; j++) {
			size_t q = i * ns + j;
			ck_assert_str_eq(cm_report_requirement_rule(r, q),
					 rules[i]);
			ck_assert_int_eq(cm_report_requirement_line(r, q),
					 (int)(6 + q));
			failing(r, q, sels[j].picks);
		}
	/* a rule on a commitment whose creditor is the debtor's only
	 * counterpart: "signed by creditor" on `may` names PK */
	ck_assert_str_eq(cm_report_failure_missing(r, 2 * ns + 4, 0),
			 "signature of PK");
	cm_free(r);
	cm_free(doc);
}
END_TEST

START_TEST(selector_picks_nothing)
{
	cm_agreement *a = base(true);
	add(a, "m", "AF", CM_MUST, "release()");
	req(a, "written", "permissions");
	req(a, "signed by debtor", "prohibitions");
	cm_report *r = check(a);
	nfail(r, 0, 0);
	nfail(r, 1, 0);
	ck_assert_int_eq(cm_report_verdict(r), CM_VERDICT_MEETS);
	done(r, a);
}
END_TEST

START_TEST(no_requirements)
{
	cm_agreement *a = base(true);
	add(a, "m", "AF", CM_MUST, "release()");
	cm_report *r = check(a);
	ck_assert_uint_eq(cm_report_requirement_count(r), 0);
	ck_assert_int_eq(cm_report_verdict(r), CM_VERDICT_MEETS);
	ck_assert_uint_eq(cm_report_below_count(r), 0);
	ck_assert_uint_eq(cm_report_commitment_count(r), 1);
	ck_assert_int_eq(cm_report_commitment_level(r, 0), CM_LEVEL_VERBAL);
	char *text;
	OK(cm_report_to_text(tctx, r, &text, E));
	ck_assert_str_eq(text, "MEETS talks \"Talks\": no documentation "
			       "requirements apply\n\nCommitments:\n"
			       "  commitment  debtor  modality      to  form     "
			       "level     standing\n"
			       "  m           AF      must          PK  verbal   "
			       "verbal    agreed\n");
	cm_free(text);
	done(r, a);
}
END_TEST

/* ---- standing ---------------------------------------------------------- */

START_TEST(not_agreed)
{
	cm_agreement *a = base(true);
	OK(cm_agreement_add_signature(a, "PK", CM_TIME_NONE, E));
	OK(cm_agreement_add_signature(a, "AF", CM_TIME_NONE, E));
	cm_commitment *p = add(a, "prop", "AF", CM_MUST, "release()");
	OK(cm_commitment_set_standing(p, CM_STANDING_PROPOSED, "PK", E));
	cm_commitment *c = add(a, "claim", "PK", CM_MAY, "strike()");
	OK(cm_commitment_set_standing(c, CM_STANDING_CLAIMED, NULL, E));
	cm_commitment *j = add(a, "rej", "PK", CM_MUST, "pay()");
	OK(cm_commitment_set_standing(j, CM_STANDING_REJECTED, "AF", E));
	cm_commitment *s = add(a, "self", "AF", CM_MUST, "go()");
	OK(cm_commitment_set_standing(s, CM_STANDING_PROPOSED, "AF", E));
	OK(cm_commitment_set_standing(s, CM_STANDING_PROPOSED, "PK", E));
	add(a, "fine", "AF", CM_MUST, "stop()");
	/* written and signed: every rule would hold but for the standing */
	req(a, "written", NULL);
	req(a, "signed by debtor", NULL);
	cm_report *r = check(a);
	for (size_t i = 0; i < 2; i++) {
		nfail(r, i, 4);
		failure(r, i, 0, "prop", "not agreed",
			"have AF accept prop (proposed by PK)");
		failure(r, i, 1, "claim", "not agreed",
			"have AF accept claim (claimed by PK)");
		failure(r, i, 2, "rej", "not agreed",
			"have AF accept rej (rejected by AF)");
		failure(r, i, 3, "self", "not agreed",
			"record self as agreed (so far only proposed by AF "
			"and PK)");
	}
	ck_assert_int_eq(cm_report_commitment_standing(r, 1),
			 CM_STANDING_CLAIMED);
	/* only agreed commitments count towards the shortfall */
	ck_assert_uint_eq(cm_report_below_count(r), 0);
	done(r, a);
}
END_TEST

/* ---- levels ------------------------------------------------------------- */

START_TEST(levels)
{
	cm_agreement *a = base(true);
	add(a, "verbal", "AF", CM_MUST, "a()");
	cm_commitment *w = add(a, "written", "AF", CM_MUST, "b()");
	OK(cm_commitment_set_form(w, CM_FORM_WRITTEN, E));
	cm_commitment *s = add(a, "signed", "AF", CM_MUST, "c()");
	OK(cm_commitment_set_form(s, CM_FORM_WRITTEN, E));
	OK(cm_commitment_add_signature(s, "AF", CM_TIME_NONE, E));
	/* signed but not written: stays verbal */
	cm_commitment *g = add(a, "gap", "PK", CM_MUST, "d()");
	OK(cm_commitment_add_signature(g, "PK", CM_TIME_NONE, E));
	/* signed by someone else only: written */
	cm_commitment *o = add(a, "other", "PK", CM_MUST, "e()");
	OK(cm_commitment_set_form(o, CM_FORM_WRITTEN, E));
	OK(cm_commitment_add_signature(o, "AF", CM_TIME_NONE, E));
	cm_report *r = check(a);
	ck_assert_int_eq(cm_report_commitment_level(r, 0), CM_LEVEL_VERBAL);
	ck_assert_int_eq(cm_report_commitment_level(r, 1), CM_LEVEL_WRITTEN);
	ck_assert_int_eq(cm_report_commitment_level(r, 2), CM_LEVEL_SIGNED);
	ck_assert_int_eq(cm_report_commitment_level(r, 3), CM_LEVEL_VERBAL);
	ck_assert_int_eq(cm_report_commitment_level(r, 4), CM_LEVEL_WRITTEN);
	cm_free(r);
	/* AF ratifies: its signed commitment is ratified; its written and
	 * verbal ones stay where they are */
	OK(cm_agreement_add_ratification(a, "AF", CM_TIME_NONE, E));
	OK(cm_agreement_add_ratification(a, "PK", CM_TIME_NONE, E));
	r = check(a);
	ck_assert_int_eq(cm_report_commitment_level(r, 0), CM_LEVEL_VERBAL);
	ck_assert_int_eq(cm_report_commitment_level(r, 1), CM_LEVEL_WRITTEN);
	ck_assert_int_eq(cm_report_commitment_level(r, 2), CM_LEVEL_RATIFIED);
	ck_assert_int_eq(cm_report_commitment_level(r, 3), CM_LEVEL_VERBAL);
	ck_assert_int_eq(cm_report_commitment_level(r, 4), CM_LEVEL_WRITTEN);
	ck_assert_int_eq(cm_report_commitment_level(r, 5), -1);
	done(r, a);
}
END_TEST

START_TEST(levels_from_signed_text)
{
	cm_agreement *a = base(true);
	OK(cm_agreement_add_signature(a, "AF", CM_TIME_NONE, E));
	add(a, "x", "AF", CM_MUST, "a()");
	add(a, "y", "PK", CM_MUST, "b()");
	cm_report *r = check(a);
	ck_assert_int_eq(cm_report_commitment_level(r, 0), CM_LEVEL_SIGNED);
	ck_assert_int_eq(cm_report_commitment_level(r, 1), CM_LEVEL_WRITTEN);
	done(r, a);
}
END_TEST

/* ---- below --------------------------------------------------------------- */

START_TEST(below)
{
	cm_agreement *a = base(true);
	add(a, "p1", "PK", CM_MUST, "a()");
	cm_commitment *w = add(a, "a1", "AF", CM_MUST, "b()");
	OK(cm_commitment_set_form(w, CM_FORM_WRITTEN, E));
	add(a, "a2", "AF", CM_MUST, "c()");
	cm_commitment *ok = add(a, "a3", "AF", CM_MUST, "d()");
	OK(cm_commitment_set_form(ok, CM_FORM_WRITTEN, E));
	OK(cm_commitment_add_signature(ok, "AF", CM_TIME_NONE, E));
	cm_commitment *cl = add(a, "a4", "AF", CM_MAY, "e()");
	OK(cm_commitment_set_standing(cl, CM_STANDING_CLAIMED, NULL, E));
	add(a, "p2", "PK", CM_MAY, "f()");
	req(a, "signed by debtor", "obligations");
	req(a, "registered", NULL);
	cm_report *r = check(a);
	/* party order, not commitment order */
	ck_assert_uint_eq(cm_report_below_count(r), 2);
	ck_assert_str_eq(cm_report_below_party(r, 0), "PK");
	ck_assert_uint_eq(cm_report_below_short(r, 0), 1);
	ck_assert_uint_eq(cm_report_below_of(r, 0), 2); /* rights count */
	ck_assert_str_eq(cm_report_below_commitment(r, 0, 0), "p1");
	ck_assert_ptr_null(cm_report_below_commitment(r, 0, 1));
	ck_assert_str_eq(cm_report_below_party(r, 1), "AF");
	ck_assert_uint_eq(cm_report_below_short(r, 1), 2);
	ck_assert_uint_eq(cm_report_below_of(r, 1), 3); /* a4 is claimed */
	ck_assert_str_eq(cm_report_below_commitment(r, 1, 0), "a1");
	ck_assert_str_eq(cm_report_below_commitment(r, 1, 1), "a2");
	ck_assert_ptr_null(cm_report_below_party(r, 2));
	ck_assert_uint_eq(cm_report_below_short(r, 2), 0);
	ck_assert_uint_eq(cm_report_below_of(r, 2), 0);

	char *text;
	OK(cm_report_to_text(tctx, r, &text, E));
	ck_assert_msg(strstr(text, "  PK: 1 of 2 commitments fall short "
				   "(verbal): p1\n"), "%s", text);
	ck_assert_msg(strstr(text, "  AF: 2 of 3 commitments fall short "
				   "(1 verbal, 1 written): a1, a2\n"),
		      "%s", text);
	cm_free(text);
	done(r, a);
}
END_TEST

/* ---- policies -------------------------------------------------------------- */

START_TEST(use_policy_builder)
{
	cm_agreement *a = base(true);
	add(a, "x", "AF", CM_MUST, "a()");
	cm_policy *p;
	OK(cm_policy_new(tctx, "stance", "PK's stance", &p, E));
	OK(cm_policy_add_requirement(p, "written", NULL, E));
	OK(cm_policy_add_requirement(p, "signed by PK", "AF", E));
	req(a, "dated", NULL);
	OK(cm_agreement_use_policy(a, p, E));
	cm_report *r = check(a);
	ck_assert_uint_eq(cm_report_requirement_count(r), 3);
	ck_assert_ptr_null(cm_report_requirement_policy(r, 0));
	ck_assert_str_eq(cm_report_requirement_policy(r, 1), "stance");
	ck_assert_str_eq(cm_report_requirement_policy(r, 2), "stance");
	ck_assert_str_eq(cm_report_requirement_rule(r, 2), "signed by PK");
	ck_assert_str_eq(cm_report_requirement_selector(r, 2), "AF");
	failure(r, 2, 0, "x", "signature of PK", "PK signs x");
	cm_free(p);
	done(r, a);
}
END_TEST

START_TEST(caller_policies_replace)
{
	cm_agreement *a = base(true);
	add(a, "x", "AF", CM_MUST, "a()");
	req(a, "registered", NULL);
	cm_policy *p[2];
	OK(cm_policy_new(tctx, "one", NULL, &p[0], E));
	OK(cm_policy_add_requirement(p[0], "written", NULL, E));
	OK(cm_policy_new(tctx, "two", NULL, &p[1], E));
	OK(cm_policy_add_requirement(p[1], "verifiable", NULL, E));
	OK(cm_policy_add_requirement(p[1], "witnessed by QA", "x", E));
	cm_report *r = check_with(a, p, 2);
	ck_assert_uint_eq(cm_report_requirement_count(r), 3);
	ck_assert_str_eq(cm_report_requirement_rule(r, 0), "written");
	ck_assert_str_eq(cm_report_requirement_policy(r, 0), "one");
	ck_assert_int_eq(cm_report_requirement_line(r, 0), 0);
	ck_assert_str_eq(cm_report_requirement_rule(r, 1), "verifiable");
	ck_assert_str_eq(cm_report_requirement_policy(r, 1), "two");
	nfail(r, 1, 0);
	ck_assert_str_eq(cm_report_requirement_rule(r, 2), "witnessed by QA");
	failure(r, 2, 0, "x", "witness QA", "QA witnesses or signs x");
	/* the report outlives the policies */
	cm_free(p[0]);
	cm_free(p[1]);
	ck_assert_str_eq(cm_report_requirement_policy(r, 2), "two");
	done(r, a);
}
END_TEST

START_TEST(shipped_policies)
{
	cm_agreement *a = base(true);
	add(a, "x", "AF", CM_MUST, "a()");
	add(a, "r", "PK", CM_MAY, "b()");
	OK(cm_agreement_add_signature(a, "PK", CM_TIME_NONE, E));
	cm_policy *v, *u, *w;
	OK(cm_policy_builtin(tctx, "vclt", &v, E));
	OK(cm_policy_builtin(tctx, "un-registration", &u, E));
	OK(cm_policy_builtin(tctx, "written-only", &w, E));

	cm_report *r = check_with(a, &v, 1);
	ck_assert_uint_eq(cm_report_requirement_count(r), 3);
	ck_assert_str_eq(cm_report_requirement_rule(r, 0), "written");
	nfail(r, 0, 0);
	ck_assert_str_eq(cm_report_requirement_rule(r, 1),
			 "signed by all parties");
	nfail(r, 1, 2);
	failure(r, 1, 0, "x", "signature of AF", "AF signs x");
	ck_assert_str_eq(cm_report_requirement_rule(r, 2),
			 "parties state, organization");
	failure(r, 2, 0, NULL, "kind of AF (authority, not state or "
		"organization)", "bind AF as state or organization, or give "
		"it a role other than party (e.g. actor)");
	ck_assert_str_eq(cm_report_requirement_policy(r, 2), "vclt");
	cm_free(r);

	r = check_with(a, &u, 1);
	ck_assert_uint_eq(cm_report_requirement_count(r), 4);
	ck_assert_str_eq(cm_report_requirement_rule(r, 3), "registered");
	failure(r, 3, 0, NULL, "registration",
		"register the agreement (UN Charter art. 102)");
	cm_free(r);

	/* written-only: rights included */
	r = check_with(a, &w, 1);
	ck_assert_uint_eq(cm_report_requirement_count(r), 2);
	nfail(r, 0, 0);
	ck_assert_str_eq(cm_report_requirement_rule(r, 1), "signed by debtor");
	nfail(r, 1, 1);
	failure(r, 1, 0, "x", "signature of AF", "AF signs x");
	cm_free(r);
	cm_free(v);
	cm_free(u);
	cm_free(w);
	cm_free(a);
}
END_TEST

/* ---- the motivating case (SPEC §7), built in code ------------------------ */

static cm_agreement *istanbul(void)
{
	cm_agreement *a;
	OK(cm_agreement_new(tctx, "istanbul_round3",
			    "Security understanding, Istanbul round", &a, E));
	OK(cm_agreement_set_date(a, day("2025-11-07"), E));
	OK(cm_agreement_add_party(a, "PK", "Pakistan", CM_ROLE_PARTY,
				  CM_KIND_STATE, E));
	OK(cm_agreement_add_party(a, "AF", "Afghan Taliban administration",
				  CM_ROLE_PARTY, CM_KIND_AUTHORITY, E));
	OK(cm_agreement_add_party(a, "TR", "Türkiye", CM_ROLE_MEDIATOR,
				  CM_KIND_STATE, E));
	OK(cm_agreement_add_party(a, "QA", "Qatar", CM_ROLE_MEDIATOR,
				  CM_KIND_STATE, E));
	OK(cm_agreement_add_party(a, "TTP", "Tehreek-e-Taliban Pakistan",
				  CM_ROLE_ACTOR, CM_KIND_ARMED_GROUP, E));
	cm_policy *wo;
	OK(cm_policy_builtin(tctx, "written-only", &wo, E));
	OK(cm_agreement_use_policy(a, wo, E));
	cm_free(wo);
	cm_commitment *c = add(a, "no_safe_haven", "AF", CM_MUST_PREVENT,
			       "attack(from: AF, on: PK)");
	OK(cm_commitment_set_form(c, CM_FORM_VERBAL, E));
	OK(cm_commitment_add_witness(c, "TR", E));
	OK(cm_commitment_add_witness(c, "QA", E));
	c = add(a, "ceasefire", "PK", CM_MUST_NOT, "strike(on: AF)");
	OK(cm_commitment_add_reciprocal(c, "no_safe_haven", E));
	OK(cm_commitment_set_form(c, CM_FORM_VERBAL, E));
	c = add(a, "defensive_action", "PK", CM_MAY,
		"strike(in: AF, against: TTP)");
	OK(cm_commitment_set_standing(c, CM_STANDING_CLAIMED, NULL, E));
	OK(cm_commitment_set_form(c, CM_FORM_VERBAL, E));
	return a;
}

static void check_istanbul(const cm_report *r)
{
	ck_assert_str_eq(cm_report_agreement_id(r), "istanbul_round3");
	ck_assert_str_eq(cm_report_agreement_title(r),
			 "Security understanding, Istanbul round");
	ck_assert_int_eq(cm_report_verdict(r), CM_VERDICT_FAILS);
	ck_assert_uint_eq(cm_report_requirement_count(r), 2);
	ck_assert_str_eq(cm_report_requirement_policy(r, 0), "written-only");
	/* the first remedy is AF's: put no_safe_haven in writing, sign it */
	failure(r, 0, 0, "no_safe_haven", "written form",
		"AF puts no_safe_haven in writing and signs it");
	failure(r, 1, 0, "no_safe_haven", "signature of AF",
		"AF signs no_safe_haven");
	failure(r, 0, 1, "ceasefire", "written form",
		"PK puts ceasefire in writing and signs it");
	failure(r, 0, 2, "defensive_action", "not agreed",
		"have AF accept defensive_action (claimed by PK)");
	nfail(r, 0, 3);
	nfail(r, 1, 3);
	ck_assert_uint_eq(cm_report_below_count(r), 2);
	ck_assert_str_eq(cm_report_below_party(r, 0), "PK");
	ck_assert_uint_eq(cm_report_below_short(r, 0), 1);
	ck_assert_uint_eq(cm_report_below_of(r, 0), 1);
	ck_assert_str_eq(cm_report_below_party(r, 1), "AF");
	ck_assert_uint_eq(cm_report_below_short(r, 1), 1);
	ck_assert_uint_eq(cm_report_below_of(r, 1), 1);
	ck_assert_str_eq(cm_report_below_commitment(r, 1, 0), "no_safe_haven");
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(cm_report_commitment_level(r, i),
				 CM_LEVEL_VERBAL);
	ck_assert_str_eq(cm_report_commitment_debtor(r, 2), "PK");
	ck_assert_int_eq(cm_report_commitment_modality(r, 0),
			 CM_MUST_PREVENT);
}

START_TEST(istanbul_builder)
{
	cm_agreement *a = istanbul();
	cm_report *r = check(a);
	/* the report outlives the agreement */
	cm_free(a);
	check_istanbul(r);
	ck_assert_int_eq(cm_report_requirement_line(r, 0), 0);
	char *text;
	OK(cm_report_to_text(tctx, r, &text, E));
	const char *want =
		"FAILS istanbul_round3 \"Security understanding, Istanbul "
		"round\": 2 of 2 requirements do not hold\n"
		"\n"
		"What is missing, and who must do what:\n"
		"  require written  (policy written-only)\n"
		"    - no_safe_haven: missing written form. To do: AF puts "
		"no_safe_haven in writing and signs it.\n"
		"    - ceasefire: missing written form. To do: PK puts "
		"ceasefire in writing and signs it.\n"
		"    - defensive_action: not agreed. To do: have AF accept "
		"defensive_action (claimed by PK).\n"
		"  require signed by debtor  (policy written-only)\n"
		"    - no_safe_haven: missing signature of AF. To do: AF signs "
		"no_safe_haven.\n"
		"    - ceasefire: missing signature of PK. To do: PK signs "
		"ceasefire.\n"
		"    - defensive_action: not agreed. To do: have AF accept "
		"defensive_action (claimed by PK).\n"
		"\n"
		"Shortfall by party:\n"
		"  PK: 1 of 1 commitments fall short (verbal): ceasefire\n"
		"  AF: 1 of 1 commitments fall short (verbal): no_safe_haven\n"
		"\n"
		"Commitments:\n"
		"  commitment        debtor  modality      to  form     level"
		"     standing\n"
		"  no_safe_haven     AF      must-prevent  PK  verbal   verbal"
		"    agreed\n"
		"  ceasefire         PK      must-not      AF  verbal   verbal"
		"    agreed\n"
		"  defensive_action  PK      may           AF  verbal   verbal"
		"    claimed\n";
	ck_assert_str_eq(text, want);
	cm_free(text);
	cm_free(r);
}
END_TEST

static const char istanbul_text[] =
	"# Security talks, round 3, as reported by one side after the "
	"collapse.\n"
	"agreement istanbul_round3 \"Security understanding, Istanbul round\" {\n"
	"  date 2025-11-07\n"
	"  party    PK  \"Pakistan\"                      state\n"
	"  party    AF  \"Afghan Taliban administration\" authority\n"
	"  mediator TR  \"Türkiye\"                       state\n"
	"  mediator QA  \"Qatar\"                         state\n"
	"  actor    TTP \"Tehreek-e-Taliban Pakistan\"    armed-group\n"
	"\n"
	"  use written-only                  # \"no place for verbal "
	"guarantees\"\n"
	"\n"
	"  commitment no_safe_haven {\n"
	"    AF must prevent attack(from: AF, on: PK)\n"
	"    verbal                          # agreed verbally, refused in "
	"writing\n"
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
	"    claimed                         # asserted by PK; AF never "
	"accepted it\n"
	"    verbal\n"
	"  }\n"
	"}\n";

START_TEST(istanbul_text_case)
{
	cm_document *doc = parse_ok(istanbul_text);
	cm_agreement *a = cm_document_agreement(doc, 0);
	cm_report *r = check(a);
	check_istanbul(r);
	ck_assert_int_eq(cm_report_requirement_line(r, 0), 10);
	ck_assert_int_eq(cm_report_requirement_line(r, 1), 10);
	ck_assert_int_eq(cm_report_commitment_line(r, 0), 12);
	ck_assert_int_eq(cm_report_commitment_line(r, 2), 23);
	cm_free(r);
	cm_free(doc);
}
END_TEST

START_TEST(text_requirements)
{
	const char *text =
		"policy stance \"PK's stance\" {\n"
		"  require signed by PK for AF\n"
		"  require verifiable\n"
		"}\n"
		"agreement a {\n"
		"  party PK \"Pakistan\" state\n"
		"  party AF \"AF\" authority\n"
		"  mediator TR \"Türkiye\" state\n"
		"  signed by PK on 2025-01-02\n"
		"  require written for obligations\n"
		"  use stance\n"
		"  require witnessed by any mediator for x\n"
		"  require dated\n"
		"  commitment x {\n"
		"    AF must release(what: prisoners)\n"
		"  }\n"
		"  commitment y {\n"
		"    PK may \"speak freely\"\n"
		"    verbal\n"
		"  }\n"
		"}\n";
	cm_document *doc = parse_ok(text);
	cm_report *r = check(cm_document_agreement(doc, 0));
	ck_assert_uint_eq(cm_report_requirement_count(r), 5);
	ck_assert_str_eq(cm_report_requirement_rule(r, 0), "written");
	ck_assert_str_eq(cm_report_requirement_selector(r, 0), "obligations");
	ck_assert_int_eq(cm_report_requirement_line(r, 0), 10);
	nfail(r, 0, 0);
	ck_assert_str_eq(cm_report_requirement_rule(r, 1), "signed by PK");
	ck_assert_str_eq(cm_report_requirement_policy(r, 1), "stance");
	ck_assert_int_eq(cm_report_requirement_line(r, 1), 11);
	nfail(r, 1, 0); /* PK signed the text, and x is written */
	ck_assert_str_eq(cm_report_requirement_rule(r, 2), "verifiable");
	failure(r, 2, 0, "y", "action pattern",
		"state y as an action pattern, type(attribute: value, ...), "
		"instead of free text");
	ck_assert_int_eq(cm_report_requirement_line(r, 3), 12);
	failure(r, 3, 0, "x", "witness by a mediator", "TR witnesses or signs x");
	nfail(r, 3, 1);
	/* x is covered by PK's dated signature; y is verbal */
	failure(r, 4, 0, "y", "date",
		"date the agreement, or date a signature covering y");
	nfail(r, 4, 1);
	cm_free(r);
	cm_free(doc);
}
END_TEST

START_TEST(text_creditors_and_caller_policy)
{
	const char *text =
		"policy pk_stance {\n"
		"  require signed by creditor\n"
		"  require ratified by PK for obligations\n"
		"}\n"
		"agreement a {\n"
		"  party PK \"Pakistan\" state\n"
		"  party AF \"AF\" authority\n"
		"  party IR \"Iran\" state\n"
		"  mediator TR \"Türkiye\" state\n"
		"  require registered\n"
		"  commitment to_tr {\n"
		"    AF must report(to: TR)\n"
		"    to TR\n"
		"    signed by AF\n"
		"  }\n"
		"  commitment dflt {\n"
		"    AF must release()\n"
		"    signed by PK\n"
		"  }\n"
		"  commitment right {\n"
		"    IR may inspect()\n"
		"    proposed by IR\n"
		"  }\n"
		"}\n";
	cm_document *doc = parse_ok(text);
	cm_policy *p = cm_document_find_policy(doc, "pk_stance");
	ck_assert_ptr_nonnull(p);
	cm_policy *vclt = cm_document_find_policy(doc, "vclt");
	ck_assert_ptr_nonnull(vclt);
	cm_policy *both[2] = {p, vclt};
	cm_report *r = check_with(cm_document_agreement(doc, 0), both, 2);
	/* the agreement's own `registered` is replaced */
	ck_assert_uint_eq(cm_report_requirement_count(r), 5);
	ck_assert_str_eq(cm_report_requirement_rule(r, 0), "signed by creditor");
	ck_assert_str_eq(cm_report_requirement_policy(r, 0), "pk_stance");
	ck_assert_int_eq(cm_report_requirement_line(r, 0), 0);
	failure(r, 0, 0, "to_tr", "signature of TR", "TR signs to_tr");
	failure(r, 0, 1, "dflt", "signature of IR", "IR signs dflt");
	failure(r, 0, 2, "right", "not agreed",
		"have PK and AF accept right (proposed by IR)");
	nfail(r, 0, 3);
	ck_assert_str_eq(cm_report_requirement_selector(r, 1), "obligations");
	nfail(r, 1, 2);
	failure(r, 1, 0, "to_tr", "ratification by PK",
		"PK ratifies the agreement");
	ck_assert_str_eq(cm_report_requirement_policy(r, 2), "vclt");
	ck_assert_str_eq(cm_report_requirement_rule(r, 3),
			 "signed by all parties");
	failure(r, 3, 0, "to_tr", "signatures of PK and IR",
		"PK and IR sign to_tr");
	failure(r, 4, 0, NULL, "kind of AF (authority, not state or "
		"organization)", "bind AF as state or organization, or give "
		"it a role other than party (e.g. actor)");
	ck_assert_str_eq(cm_report_commitment_creditor(r, 0, 0), "TR");
	ck_assert_uint_eq(cm_report_commitment_creditor_count(r, 1), 2);
	ck_assert_str_eq(cm_report_commitment_creditor(r, 1, 0), "PK");
	ck_assert_str_eq(cm_report_commitment_creditor(r, 1, 1), "IR");
	/* to_tr is signed by its debtor, but verbal (the agreement's text
	 * is not signed, and it says nothing): its level stays verbal */
	ck_assert_int_eq(cm_report_commitment_level(r, 0), CM_LEVEL_VERBAL);
	cm_free(r);
	cm_free(doc);
}
END_TEST

/* ---- errors, ownership, size ------------------------------------------- */

START_TEST(errors)
{
	cm_agreement *a = base(true);
	add(a, "x", "AF", CM_MUST, "a()");
	cm_report *r = NULL;
	cm_error err;
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(cm_check(tctx, NULL, NULL, 0, &r, &err), CM_EINVAL);
	ck_assert_int_eq(err.code, CM_EINVAL);
	ck_assert_int_eq(cm_check(tctx, a, NULL, 0, NULL, &err), CM_EINVAL);
	ck_assert_int_eq(cm_check(tctx, a, NULL, 1, &r, &err), CM_EINVAL);
	cm_policy *none[1] = {NULL};
	ck_assert_int_eq(cm_check(tctx, a, none, 1, &r, &err), CM_EINVAL);
	ck_assert_ptr_null(r);

	/* a caller's policy naming a party the agreement lacks */
	cm_policy *p;
	OK(cm_policy_new(tctx, "ext", NULL, &p, E));
	OK(cm_policy_add_requirement(p, "signed by IR", NULL, E));
	ck_assert_int_eq(cm_check(tctx, a, &p, 1, &r, &err), CM_ESEMANTIC);
	ck_assert_msg(strstr(err.message, "IR"), "%s", err.message);
	ck_assert_ptr_null(r);
	cm_free(p);
	OK(cm_policy_new(tctx, "ext2", NULL, &p, E));
	OK(cm_policy_add_requirement(p, "written", "nothing", E));
	ck_assert_int_eq(cm_check(tctx, a, &p, 1, &r, &err), CM_ESEMANTIC);
	ck_assert_msg(strstr(err.message, "nothing"), "%s", err.message);
	ck_assert_int_eq(err.line, 0);
	cm_free(p);

	/* a caller's policy read from a text: at the offending token there,
	 * naming the policy and the agreement */
	cm_document *pd = parse_ok("policy st {\n  require written\n"
				   "  require signed by PK, QQ for x\n}\n");
	p = cm_document_find_policy(pd, "st");
	ck_assert_int_eq(cm_check(tctx, a, &p, 1, &r, &err), CM_ESEMANTIC);
	ck_assert_str_eq(err.file, "test.cmt");
	ck_assert_int_eq(err.line, 3);
	ck_assert_int_eq(err.column, 25);
	ck_assert_msg(strstr(err.message, "unknown party 'QQ' in 'require "
			     "signed by' (policy 'st', checking agreement"),
		      "%s", err.message);
	ck_assert_ptr_null(r);
	cm_free(pd);

	/* an invalid agreement: the debtor is not declared */
	add(a, "y", "ZZ", CM_MUST, "b()");
	ck_assert_int_eq(cm_check(tctx, a, NULL, 0, &r, &err), CM_ESEMANTIC);
	ck_assert_ptr_null(r);
	cm_free(a);

	/* accessors on NULL and out of range */
	ck_assert_ptr_null(cm_report_agreement_id(NULL));
	ck_assert_int_eq(cm_report_verdict(NULL), -1);
	ck_assert_uint_eq(cm_report_requirement_count(NULL), 0);
	ck_assert_ptr_null(cm_report_requirement_rule(NULL, 0));
	ck_assert_int_eq(cm_report_requirement_holds(NULL, 0), -1);
	ck_assert_ptr_null(cm_report_failure_remedy(NULL, 0, 0));
	ck_assert_int_eq(cm_report_commitment_form(NULL, 0), -1);
	ck_assert_int_eq(cm_report_commitment_standing(NULL, 0), -1);
	ck_assert_int_eq(cm_report_commitment_modality(NULL, 0), -1);
	ck_assert_ptr_null(cm_report_commitment_debtor(NULL, 0));
	ck_assert_int_eq(cm_report_commitment_line(NULL, 0), 0);
	ck_assert_ptr_null(cm_report_below_party(NULL, 0));
	char *s = NULL;
	ck_assert_int_eq(cm_report_to_json(tctx, NULL, &s, &err), CM_EINVAL);
	ck_assert_int_eq(cm_report_to_text(tctx, NULL, &s, &err), CM_EINVAL);
	ck_assert_ptr_null(s);
}
END_TEST

START_TEST(out_of_range)
{
	cm_agreement *a = base(true);
	add(a, "x", "AF", CM_MUST, "a()");
	req(a, "registered", NULL);
	cm_report *r = check(a);
	ck_assert_ptr_null(cm_report_requirement_rule(r, 1));
	ck_assert_ptr_null(cm_report_requirement_selector(r, 1));
	ck_assert_ptr_null(cm_report_requirement_policy(r, 1));
	ck_assert_int_eq(cm_report_requirement_line(r, 1), 0);
	ck_assert_int_eq(cm_report_requirement_holds(r, 1), -1);
	ck_assert_uint_eq(cm_report_failure_count(r, 1), 0);
	ck_assert_ptr_null(cm_report_failure_missing(r, 0, 1));
	ck_assert_ptr_null(cm_report_failure_commitment(r, 0, 1));
	ck_assert_ptr_null(cm_report_commitment_id(r, 1));
	ck_assert_uint_eq(cm_report_commitment_creditor_count(r, 1), 0);
	ck_assert_ptr_null(cm_report_commitment_creditor(r, 0, 1));
	done(r, a);
}
END_TEST

START_TEST(report_owned_by_ctx)
{
	cm_agreement *a = base(true);
	add(a, "x", "AF", CM_MUST, "a()");
	req(a, "written", NULL);
	void *ctx = talloc_new(tctx);
	cm_report *r = NULL;
	OK(cm_check(ctx, a, NULL, 0, &r, E));
	ck_assert_ptr_eq(talloc_parent(r), ctx);
	cm_free(a);
	ck_assert_str_eq(cm_report_failure_remedy(r, 0, 0),
			 "AF puts x in writing and signs it");
	talloc_free(ctx); /* frees the report */
	/* a NULL context works too (the caller frees) */
	a = base(true);
	OK(cm_check(NULL, a, NULL, 0, &r, E));
	cm_free(r);
	cm_free(a);
}
END_TEST

START_TEST(large)
{
	cm_agreement *a = base(true);
	enum { N = 100000 };
	char id[32];
	for (int i = 0; i < N; i++) {
		snprintf(id, sizeof(id), "c%d", i);
		cm_commitment *c;
		OK(cm_agreement_add_commitment(a, id, i % 2 ? "AF" : "PK",
					       i % 3 ? CM_MUST : CM_MAY, &c,
					       E));
		OK(cm_commitment_set_text(c, "do it", E));
		if (i % 5 == 0)
			OK(cm_commitment_set_form(c, CM_FORM_WRITTEN, E));
	}
	req(a, "written", NULL);
	req(a, "signed by debtor", "obligations");
	req(a, "witnessed by any mediator", NULL);
	OK(cm_agreement_validate(a, E));
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cm_report *r = check(a);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) +
		   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_msg(s < time_budget(), "check took %.3f s", s);
	ck_assert_uint_eq(cm_report_failure_count(r, 0), N - N / 5);
	ck_assert_uint_eq(cm_report_failure_count(r, 2), N);
	char *json;
	OK(cm_report_to_json(tctx, r, &json, E));
	ck_assert_uint_gt(strlen(json), (size_t)N * 50);
	cm_free(json);
	done(r, a);
}
END_TEST

#ifdef CM_FAULT_INJECTION
/* Every allocation of cm_check and the writers may fail: each failure is
 * CM_ENOMEM with nothing leaked and nothing handed out. */
START_TEST(alloc_failures)
{
	cm_agreement *a = istanbul();
	OK(cm_agreement_validate(a, E));
	size_t before = talloc_total_blocks(tctx);
	for (long n = 1;; n++) {
		cm_report *r = NULL;
		cm_error err;
		cm__fault_inject(n, false);
		int rc = cm_check(tctx, a, NULL, 0, &r, &err);
		long failed = cm__fault_failures();
		cm__fault_inject(0, false);
		if (!failed) {
			ck_assert_int_eq(rc, CM_OK);
			cm_free(r);
			break;
		}
		ck_assert_int_eq(rc, CM_ENOMEM);
		ck_assert_ptr_null(r);
		ck_assert_uint_eq(talloc_total_blocks(tctx), before);
	}
	cm_report *r = check(a);
	for (int w = 0; w < 2; w++)
		for (long n = 1;; n++) {
			char *s = NULL;
			cm_error err;
			cm__fault_inject(n, false);
			int rc = w ? cm_report_to_text(tctx, r, &s, &err)
				   : cm_report_to_json(tctx, r, &s, &err);
			long failed = cm__fault_failures();
			cm__fault_inject(0, false);
			if (!failed) {
				ck_assert_int_eq(rc, CM_OK);
				cm_free(s);
				break;
			}
			ck_assert_int_eq(rc, CM_ENOMEM);
			ck_assert_ptr_null(s);
		}
	done(r, a);
}
END_TEST
#endif

static Suite *suite(void)
{
	Suite *s = suite_create("evaluate");
	TCase *tc;
	tc = tcase_leakcheck(s, "written");
	tcase_add_test(tc, written_default_forms);
	tcase_add_test(tc, written_explicit_forms);
	tc = tcase_leakcheck(s, "signed");
	tcase_add_test(tc, signed_by_debtor);
	tcase_add_test(tc, signed_agreement_covers_written_only);
	tcase_add_test(tc, signed_by_creditor);
	tcase_add_test(tc, signed_by_all_parties);
	tcase_add_test(tc, signed_by_any_mediator);
	tcase_add_test(tc, signed_by_ids);
	tc = tcase_leakcheck(s, "witnessed");
	tcase_add_test(tc, witnessed_by);
	tc = tcase_leakcheck(s, "ratified");
	tcase_add_test(tc, ratified_by);
	tcase_add_test(tc, ratified_by_many_missing);
	tc = tcase_leakcheck(s, "dated");
	tcase_add_test(tc, dated_variants);
	tc = tcase_leakcheck(s, "verifiable");
	tcase_add_test(tc, verifiable);
	tc = tcase_leakcheck(s, "registered");
	tcase_add_test(tc, registered);
	tc = tcase_leakcheck(s, "parties");
	tcase_add_test(tc, parties_kinds);
	tc = tcase_leakcheck(s, "selectors");
	tcase_add_test(tc, selectors);
	tcase_add_test(tc, rule_selector_matrix);
	tcase_add_test(tc, selector_picks_nothing);
	tcase_add_test(tc, no_requirements);
	tc = tcase_leakcheck(s, "standing");
	tcase_add_test(tc, not_agreed);
	tc = tcase_leakcheck(s, "levels");
	tcase_add_test(tc, levels);
	tcase_add_test(tc, levels_from_signed_text);
	tc = tcase_leakcheck(s, "below");
	tcase_add_test(tc, below);
	tc = tcase_leakcheck(s, "policies");
	tcase_add_test(tc, use_policy_builder);
	tcase_add_test(tc, caller_policies_replace);
	tcase_add_test(tc, shipped_policies);
	tc = tcase_leakcheck(s, "istanbul");
	tcase_add_test(tc, istanbul_builder);
	tcase_add_test(tc, istanbul_text_case);
	tc = tcase_leakcheck(s, "text");
	tcase_add_test(tc, text_requirements);
	tcase_add_test(tc, text_creditors_and_caller_policy);
	tc = tcase_leakcheck(s, "errors");
	tcase_add_test(tc, errors);
	tcase_add_test(tc, out_of_range);
	tcase_add_test(tc, report_owned_by_ctx);
	tc = tcase_leakcheck(s, "large");
	tcase_add_test(tc, large);
#ifdef CM_FAULT_INJECTION
	tc = tcase_leakcheck(s, "alloc_failures");
	tcase_add_test(tc, alloc_failures);
#endif
	return s;
}

int main(void)
{
	return run_suite(suite());
}
