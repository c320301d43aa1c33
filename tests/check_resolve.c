/*
 * Validation (lib/resolve.c): name resolution and the static checks of
 * SPEC §2, through the builder API (no positions: the messages name the
 * commitment and the item) and through text (exact line and column).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>
#include <time.h>

#include "testutil.h"
#include "model/model.h"
#include "check/resolve.h"

/* ---- fixtures ---------------------------------------------------------- */

static cm_error err;

/* PK, AF, XX: parties; TR: mediator; GU: guarantor; WI: witness;
 * TTP: actor. */
static cm_agreement *base(void)
{
	cm_agreement *a = NULL;
	ck_assert_int_eq(cm_agreement_new(tctx, "talks", "Talks", &a, &err),
			 CM_OK);
	static const struct {
		const char *id;
		int role;
	} ps[] = {
		{"PK", CM_ROLE_PARTY},    {"TR", CM_ROLE_MEDIATOR},
		{"AF", CM_ROLE_PARTY},    {"GU", CM_ROLE_GUARANTOR},
		{"WI", CM_ROLE_WITNESS},  {"TTP", CM_ROLE_ACTOR},
		{"XX", CM_ROLE_PARTY},
	};
	for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++)
		ck_assert_int_eq(cm_agreement_add_party(a, ps[i].id, ps[i].id,
							ps[i].role,
							CM_KIND_STATE, &err),
				 CM_OK);
	return a;
}

/* A commitment with free-text content. */
static cm_commitment *add(cm_agreement *a, const char *id, const char *debtor,
			  int modality)
{
	cm_commitment *c = NULL;
	ck_assert_int_eq(cm_agreement_add_commitment(a, id, debtor, modality,
						     &c, &err), CM_OK);
	ck_assert_int_eq(cm_commitment_set_text(c, "text", &err), CM_OK);
	return c;
}

/* `item` STATE(target) as a node on commitment c. */
static cm_condition *state_on(cm_commitment *c, int item, int state,
			      const char *target)
{
	cm_condition *n = NULL;
	ck_assert_int_eq(cm_condition_new_state(c, state, target, &n, &err),
			 CM_OK);
	ck_assert_int_eq(cm_commitment_add_condition_node(c, item, n, &err),
			 CM_OK);
	return n;
}

/* Validation must fail with @p code and exactly @p msg, no position. */
static void fails(cm_agreement *a, int code, const char *msg)
{
	memset(&err, 0, sizeof(err));
	int rc = cm_agreement_validate(a, &err);
	ck_assert_msg(rc == code, "rc %d (want %d): %s", rc, code,
		      err.message);
	ck_assert_int_eq(err.code, code);
	ck_assert_str_eq(err.message, msg);
	ck_assert_int_eq(err.line, 0);
	ck_assert_int_eq(err.column, 0);
	ck_assert_str_eq(err.file, "");
	ck_assert(!a->validated);
}

static void valid(cm_agreement *a)
{
	memset(&err, 0, sizeof(err));
	int rc = cm_agreement_validate(a, &err);
	ck_assert_msg(rc == CM_OK, "rc %d: %s", rc, err.message);
	ck_assert(a->validated);
}

/* An internal rule with a `who` list (arena of a), appended to a. */
static void rule_ids(cm_agreement *a, int kind, const char *id)
{
	struct cm__rule r;
	memset(&r, 0, sizeof(r));
	r.kind = (uint8_t)kind;
	r.who = CM__WHO_IDS;
	ck_assert_int_eq(cm__names_add(&a->arena, &r.ids, id,
				       (struct cm__pos){0, 0}), 0);
	ck_assert_int_eq(cm__rules_add(&a->arena, &a->rules, &r), 0);
	a->validated = false;
}

static void rule_sel(cm_agreement *a, int kind, int sel, const char *id)
{
	struct cm__rule r;
	memset(&r, 0, sizeof(r));
	r.kind = (uint8_t)kind;
	r.who = CM__WHO_DEBTOR;
	r.selector = (uint8_t)sel;
	r.has_for = true;
	r.sel_id.s = id;
	ck_assert_int_eq(cm__rules_add(&a->arena, &a->rules, &r), 0);
	a->validated = false;
}

/* An agreement event with provenance lists (each a comma-free id or
 * NULL). */
static void event(cm_agreement *a, const char *reported, const char *denied,
		  const char *verified)
{
	struct cm_event e;
	memset(&e, 0, sizeof(e));
	e.time = 0;
	e.act.type = "attack";
	struct cm__arena *ar = &a->arena;
	struct cm__pos np = {0, 0};
	if (reported)
		ck_assert_int_eq(cm__names_add(ar, &e.reported, reported, np), 0);
	if (denied)
		ck_assert_int_eq(cm__names_add(ar, &e.denied, denied, np), 0);
	if (verified)
		ck_assert_int_eq(cm__names_add(ar, &e.verified, verified, np), 0);
	ck_assert_int_eq(cm__events_add(ar, &a->events, &e), 0);
	a->validated = false;
}

/* ---- resolution -------------------------------------------------------- */

START_TEST(resolves_pointers)
{
	cm_agreement *a = base();
	cm_commitment *c = add(a, "c", "AF", CM_MUST);
	cm_commitment *d = add(a, "d", "PK", CM_MUST_NOT);
	ck_assert_int_eq(cm_agreement_add_signature(a, "PK", CM_TIME_NONE, &err),
			 CM_OK);
	ck_assert_int_eq(cm_agreement_add_ratification(a, "AF", 7, &err), CM_OK);
	ck_assert_int_eq(cm_commitment_add_signature(c, "TR", CM_TIME_NONE, &err),
			 CM_OK);
	ck_assert_int_eq(cm_commitment_add_reciprocal(d, "c", &err), CM_OK);
	ck_assert_int_eq(cm_commitment_add_reciprocal(d, "d", &err), CM_OK);
	cm_condition *s = state_on(d, CM_COND_UNLESS, CM_STATE_VIOLATED, "c");
	cm_condition *f = NULL;
	ck_assert_int_eq(cm_condition_new_form(c, CM_FORM_ATOM_SIGNED, "d", &f,
					       &err), CM_OK);
	cm_condition *t = NULL, *x = NULL;
	ck_assert_int_eq(cm_condition_new_const(c, 1, &t, &err), CM_OK);
	ck_assert_int_eq(cm_condition_new_binary(c, CM_CT_OR, t, f, &x, &err),
			 CM_OK);
	ck_assert_int_eq(cm_commitment_add_condition_node(c, CM_COND_IF, x,
							  &err), CM_OK);
	ck_assert(!a->validated);
	valid(a);
	ck_assert_ptr_eq(c->debtor_p, cm_agreement_find_party(a, "AF"));
	ck_assert_ptr_eq(d->debtor_p, cm_agreement_find_party(a, "PK"));
	ck_assert_ptr_eq(a->sigs.v[0].p, cm_agreement_find_party(a, "PK"));
	ck_assert_ptr_eq(a->ratifications.v[0].p,
			 cm_agreement_find_party(a, "AF"));
	ck_assert_ptr_eq(c->sigs.v[0].p, cm_agreement_find_party(a, "TR"));
	ck_assert_ptr_eq(d->recip[0], c);
	ck_assert_ptr_eq(d->recip[1], d);
	ck_assert_ptr_eq(s->target, c);
	ck_assert_ptr_eq(f->target, d);
	/* idempotent, and a change asks for a new validation */
	ck_assert_int_eq(cm_agreement_validate(a, &err), CM_OK);
	ck_assert_int_eq(cm_commitment_add_creditor(c, "PK", &err), CM_OK);
	ck_assert(!a->validated);
	valid(a);
	cm_free(a);
}
END_TEST

START_TEST(default_creditors)
{
	cm_agreement *a = base();
	/* every other party-role party, in declaration order */
	cm_commitment *c = add(a, "c", "AF", CM_MUST);
	cm_commitment *d = add(a, "d", "PK", CM_MAY);
	cm_commitment *e = add(a, "e", "AF", CM_MUST_PREVENT);
	valid(a);
	ck_assert_uint_eq(c->ncreditors, 2);
	ck_assert_str_eq(c->creditors[0]->id, "PK");
	ck_assert_str_eq(c->creditors[1]->id, "XX");
	ck_assert_uint_eq(d->ncreditors, 2);
	ck_assert_str_eq(d->creditors[0]->id, "AF");
	ck_assert_str_eq(d->creditors[1]->id, "XX");
	ck_assert_uint_eq(e->ncreditors, 2);
	ck_assert_str_eq(e->creditors[0]->id, "PK");
	ck_assert_str_eq(e->creditors[1]->id, "XX");
	cm_free(a);
}
END_TEST

START_TEST(default_creditors_alone)
{
	cm_agreement *a = NULL;
	ck_assert_int_eq(cm_agreement_new(tctx, "solo", NULL, &a, &err), CM_OK);
	ck_assert_int_eq(cm_agreement_add_party(a, "PK", "P", CM_ROLE_PARTY,
						CM_KIND_NONE, &err), CM_OK);
	ck_assert_int_eq(cm_agreement_add_party(a, "TR", "T", CM_ROLE_MEDIATOR,
						CM_KIND_NONE, &err), CM_OK);
	cm_commitment *c = add(a, "c", "PK", CM_MUST);
	valid(a);
	ck_assert_uint_eq(c->ncreditors, 0);
	cm_free(a);
}
END_TEST

START_TEST(to_creditors)
{
	cm_agreement *a = base();
	cm_commitment *c = add(a, "c", "AF", CM_MUST);
	/* any declared party may be a creditor; order as given; a party
	 * named twice counts once */
	const char *to[] = {"TTP", "TR", "PK", "TR"};
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(cm_commitment_add_creditor(c, to[i], &err),
				 CM_OK);
	valid(a);
	ck_assert_uint_eq(c->ncreditors, 3);
	ck_assert_str_eq(c->creditors[0]->id, "TTP");
	ck_assert_str_eq(c->creditors[1]->id, "TR");
	ck_assert_str_eq(c->creditors[2]->id, "PK");
	cm_free(a);
}
END_TEST

/* ---- unknown names (builder: messages name commitment and item) -------- */

START_TEST(unknown_debtor)
{
	cm_agreement *a = base();
	add(a, "c", "ZZ", CM_MUST);
	fails(a, CM_ESEMANTIC, "commitment 'c': unknown party 'ZZ' in 'debtor'");
	cm_free(a);
}
END_TEST

START_TEST(debtor_is_commitment)
{
	cm_agreement *a = base();
	add(a, "c", "PK", CM_MUST);
	add(a, "d", "c", CM_MUST);
	fails(a, CM_ESEMANTIC, "commitment 'd': unknown party 'c' in 'debtor' "
	      "(it is a commitment)");
	cm_free(a);
}
END_TEST

START_TEST(debtor_not_party_role)
{
	static const char *const ids[] = {"TR", "GU", "WI", "TTP"};
	static const char *const roles[] = {"a mediator", "a guarantor",
					    "a witness", "an actor"};
	for (int i = 0; i < 4; i++) {
		cm_agreement *a = base();
		add(a, "c", ids[i], CM_MAY);
		char want[200];
		snprintf(want, sizeof(want),
			 "commitment 'c': debtor '%s' is %s, not a party: "
			 "only a party can be bound", ids[i], roles[i]);
		fails(a, CM_ESEMANTIC, want);
		cm_free(a);
	}
}
END_TEST

START_TEST(unknown_in_commitment_items)
{
	static const char *const items[] = {"to", "signed by", "witnessed by",
					    "proposed by", "rejected by"};
	for (int i = 0; i < 5; i++) {
		cm_agreement *a = base();
		cm_commitment *c = add(a, "c", "PK", CM_MUST);
		int rc = CM_OK;
		switch (i) {
		case 0: rc = cm_commitment_add_creditor(c, "ZZ", &err); break;
		case 1:
			rc = cm_commitment_add_signature(c, "ZZ", CM_TIME_NONE,
							 &err);
			break;
		case 2: rc = cm_commitment_add_witness(c, "ZZ", &err); break;
		case 3:
			rc = cm_commitment_set_standing(c, CM_STANDING_PROPOSED,
							"ZZ", &err);
			break;
		case 4:
			rc = cm_commitment_set_standing(c, CM_STANDING_REJECTED,
							"ZZ", &err);
			break;
		}
		ck_assert_int_eq(rc, CM_OK);
		char want[200];
		snprintf(want, sizeof(want),
			 "commitment 'c': unknown party 'ZZ' in '%s'", items[i]);
		fails(a, CM_ESEMANTIC, want);
		cm_free(a);
	}
}
END_TEST

START_TEST(unknown_agreement_sig)
{
	cm_agreement *a = base();
	ck_assert_int_eq(cm_agreement_add_signature(a, "ZZ", CM_TIME_NONE, &err),
			 CM_OK);
	fails(a, CM_ESEMANTIC, "unknown party 'ZZ' in 'signed by'");
	cm_free(a);

	a = base();
	add(a, "c", "PK", CM_MUST);
	ck_assert_int_eq(cm_agreement_add_ratification(a, "c", 0, &err), CM_OK);
	fails(a, CM_ESEMANTIC,
	      "unknown party 'c' in 'ratified by' (it is a commitment)");
	cm_free(a);
}
END_TEST

START_TEST(unknown_in_rules)
{
	static const int kinds[] = {CM__RULE_SIGNED, CM__RULE_WITNESSED,
				    CM__RULE_RATIFIED};
	static const char *const what[] = {"require signed by",
					   "require witnessed by",
					   "require ratified by"};
	for (int i = 0; i < 3; i++) {
		cm_agreement *a = base();
		rule_ids(a, kinds[i], "ZZ");
		char want[200];
		snprintf(want, sizeof(want), "unknown party 'ZZ' in '%s'",
			 what[i]);
		fails(a, CM_ESEMANTIC, want);
		cm_free(a);
	}
}
END_TEST

START_TEST(rule_from_policy)
{
	/* a policy's party names must be parties of the agreement using it */
	cm_agreement *a = base();
	struct cm__rule r;
	memset(&r, 0, sizeof(r));
	r.kind = CM__RULE_SIGNED;
	r.who = CM__WHO_IDS;
	r.policy = "stance";
	ck_assert_int_eq(cm__names_add(&a->arena, &r.ids, "ZZ",
				       (struct cm__pos){9, 9}), 0);
	r.pos = (struct cm__pos){9, 1};
	ck_assert_int_eq(cm__rules_add(&a->arena, &a->rules, &r), 0);
	/* no `use` line: no position (it would point into the policy) */
	fails(a, CM_ESEMANTIC,
	      "unknown party 'ZZ' in 'require signed by' (policy 'stance')");
	/* expanded from a `use`: at the `use` */
	a->rules.v[0].line = 4;
	a->rules.v[0].pos = (struct cm__pos){4, 3};
	ck_assert_int_eq(cm_agreement_validate(a, &err), CM_ESEMANTIC);
	ck_assert_int_eq(err.line, 4);
	ck_assert_int_eq(err.column, 3);
	/* cm__rule_resolve on its own (a caller's policy: at the position
	 * given), and a rule that holds */
	ck_assert_int_eq(cm__rule_resolve(a, &a->rules.v[0],
					  (struct cm__pos){0, 0}, NULL),
			 CM_ESEMANTIC);
	ck_assert_int_eq(cm__rule_resolve(a, &a->rules.v[0],
					  (struct cm__pos){2, 5}, &err),
			 CM_ESEMANTIC);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.column, 5);
	a->rules.v[0].ids.v[0].s = "XX";
	ck_assert_int_eq(cm__rule_resolve(a, &a->rules.v[0],
					  (struct cm__pos){0, 0}, &err), CM_OK);
	valid(a);
	cm_free(a);
}
END_TEST

START_TEST(builder_rules)
{
	/* rules given as text to the builder carry no position: their
	 * errors name the rule */
	cm_agreement *a = base();
	ck_assert_int_eq(cm_agreement_add_requirement(a, "signed by PK, ZZ",
						      NULL, &err), CM_OK);
	fails(a, CM_ESEMANTIC, "unknown party 'ZZ' in 'require signed by'");
	cm_free(a);
	a = base();
	ck_assert_int_eq(cm_agreement_add_requirement(a, "registered", "all",
						      &err), CM_OK);
	fails(a, CM_ESEMANTIC, "'for' on the agreement-level rule "
	      "'registered': it selects no commitments");
	cm_free(a);
	a = base();
	ck_assert_int_eq(cm_agreement_add_requirement(a, "written", "nobody",
						      &err), CM_OK);
	fails(a, CM_ESEMANTIC, "unknown party or commitment 'nobody' in 'for'");
	cm_free(a);
	/* a policy applied in code: no position, the policy named */
	cm_policy *p = NULL;
	ck_assert_int_eq(cm_policy_new(tctx, "stance", NULL, &p, &err), CM_OK);
	ck_assert_int_eq(cm_policy_add_requirement(p, "ratified by QQ", NULL,
						   &err), CM_OK);
	a = base();
	ck_assert_int_eq(cm_agreement_use_policy(a, p, &err), CM_OK);
	fails(a, CM_ESEMANTIC, "unknown party 'QQ' in 'require ratified by' "
	      "(policy 'stance')");
	cm_free(a);
	cm_free(p);
}
END_TEST

START_TEST(unresolved_use)
{
	cm_agreement *a = base();
	struct cm__rule r;
	memset(&r, 0, sizeof(r));
	r.kind = CM__RULE_USE;
	r.use.s = "vclt";
	ck_assert_int_eq(cm__rules_add(&a->arena, &a->rules, &r), 0);
	fails(a, CM_ESEMANTIC,
	      "policy 'vclt' is not resolved (resolve the document first)");
	cm_free(a);
}
END_TEST

START_TEST(unknown_selector)
{
	cm_agreement *a = base();
	add(a, "c", "PK", CM_MUST);
	rule_sel(a, CM__RULE_WRITTEN, CM__SEL_ID, "c");
	rule_sel(a, CM__RULE_WRITTEN, CM__SEL_ID, "AF");
	rule_sel(a, CM__RULE_WRITTEN, CM__SEL_ID, "TR");
	valid(a);
	rule_sel(a, CM__RULE_SIGNED, CM__SEL_ID, "ZZ");
	fails(a, CM_ESEMANTIC, "unknown party or commitment 'ZZ' in 'for'");
	cm_free(a);
}
END_TEST

START_TEST(for_on_agreement_rule)
{
	cm_agreement *a = base();
	rule_sel(a, CM__RULE_DATED, CM__SEL_ALL, NULL);
	valid(a);
	rule_sel(a, CM__RULE_REGISTERED, CM__SEL_ALL, NULL);
	fails(a, CM_ESEMANTIC, "'for' on the agreement-level rule "
	      "'registered': it selects no commitments");
	cm_free(a);
	a = base();
	rule_sel(a, CM__RULE_PARTIES, CM__SEL_OBLIGATIONS, NULL);
	fails(a, CM_ESEMANTIC, "'for' on the agreement-level rule "
	      "'parties': it selects no commitments");
	cm_free(a);
}
END_TEST

START_TEST(unknown_commitment_refs)
{
	cm_agreement *a = base();
	cm_commitment *c = add(a, "c", "PK", CM_MUST);
	ck_assert_int_eq(cm_commitment_add_reciprocal(c, "nope", &err), CM_OK);
	fails(a, CM_ESEMANTIC,
	      "commitment 'c': unknown commitment 'nope' in 'reciprocal'");
	cm_free(a);

	a = base();
	c = add(a, "c", "PK", CM_MUST);
	ck_assert_int_eq(cm_commitment_add_reciprocal(c, "AF", &err), CM_OK);
	fails(a, CM_ESEMANTIC, "commitment 'c': unknown commitment 'AF' in "
	      "'reciprocal' (it is a party)");
	cm_free(a);

	a = base();
	c = add(a, "c", "PK", CM_MUST);
	state_on(c, CM_COND_IF, CM_STATE_FULFILLED, "nope");
	fails(a, CM_ESEMANTIC,
	      "commitment 'c': unknown commitment 'nope' in 'fulfilled(nope)'");
	cm_free(a);

	a = base();
	c = add(a, "c", "PK", CM_MUST);
	state_on(c, CM_COND_WHILE, CM_STATE_ACTIVE, "PK");
	fails(a, CM_ESEMANTIC, "commitment 'c': unknown commitment 'PK' in "
	      "'active(PK)' (it is a party)");
	cm_free(a);

	a = base();
	c = add(a, "c", "PK", CM_MUST);
	cm_condition *f = NULL, *n = NULL;
	ck_assert_int_eq(cm_condition_new_form(c, CM_FORM_ATOM_WRITTEN, "nope",
					       &f, &err), CM_OK);
	ck_assert_int_eq(cm_condition_new_not(c, f, &n, &err), CM_OK);
	ck_assert_int_eq(cm_commitment_add_condition_node(c, CM_COND_UNLESS, n,
							  &err), CM_OK);
	fails(a, CM_ESEMANTIC,
	      "commitment 'c': unknown commitment 'nope' in 'written(nope)'");
	cm_free(a);
}
END_TEST

/* ---- clause checks ----------------------------------------------------- */

START_TEST(deadline_modality)
{
	static const int mods[] = {CM_MUST_NOT, CM_MUST_PREVENT, CM_MAY};
	static const char *const names[] = {"must not", "must prevent", "may"};
	for (int i = 0; i < 3; i++) {
		for (int w = 0; w < 2; w++) {
			cm_agreement *a = base();
			ck_assert_int_eq(cm_agreement_set_date(a, 0, &err), CM_OK);
			cm_commitment *c = add(a, "c", "PK", mods[i]);
			if (w)
				ck_assert_int_eq(cm_commitment_set_within(c, 60,
									  &err),
						 CM_OK);
			else
				ck_assert_int_eq(cm_commitment_set_deadline(c, 60,
									    &err),
						 CM_OK);
			char want[200];
			snprintf(want, sizeof(want),
				 "commitment 'c': '%s' on '%s': only 'must' "
				 "takes a deadline", w ? "within" : "by",
				 names[i]);
			fails(a, CM_ESEMANTIC, want);
			cm_free(a);
		}
	}
	cm_agreement *a = base();
	cm_commitment *c = add(a, "c", "PK", CM_MUST);
	ck_assert_int_eq(cm_commitment_set_deadline(c, 60, &err), CM_OK);
	valid(a);
	cm_free(a);
}
END_TEST

START_TEST(within_needs_moment)
{
	cm_agreement *a = base();
	cm_commitment *c = add(a, "c", "PK", CM_MUST);
	ck_assert_int_eq(cm_commitment_set_within(c, 1440, &err), CM_OK);
	fails(a, CM_ESEMANTIC, "commitment 'c': 'within' needs a moment of "
	      "taking effect: an agreement 'date', a 'from' or an 'if'");
	/* the agreement stays usable: giving it a date mends it */
	ck_assert_int_eq(cm_agreement_set_date(a, 0, &err), CM_OK);
	valid(a);
	cm_free(a);

	a = base();
	c = add(a, "c", "PK", CM_MUST);
	ck_assert_int_eq(cm_commitment_set_within(c, 1440, &err), CM_OK);
	ck_assert_int_eq(cm_commitment_set_from(c, 0, &err), CM_OK);
	valid(a);
	cm_free(a);

	a = base();
	c = add(a, "c", "PK", CM_MUST);
	ck_assert_int_eq(cm_commitment_set_within(c, 1440, &err), CM_OK);
	cm_condition *t = NULL;
	ck_assert_int_eq(cm_condition_new_const(c, 0, &t, &err), CM_OK);
	ck_assert_int_eq(cm_commitment_add_condition_node(c, CM_COND_IF, t,
							  &err), CM_OK);
	valid(a);
	cm_free(a);

	/* a `while` or an `until` is no moment of taking effect */
	a = base();
	c = add(a, "c", "PK", CM_MUST);
	ck_assert_int_eq(cm_commitment_set_within(c, 1440, &err), CM_OK);
	ck_assert_int_eq(cm_commitment_set_until(c, 99999, &err), CM_OK);
	ck_assert_int_eq(cm_condition_new_const(c, 1, &t, &err), CM_OK);
	ck_assert_int_eq(cm_commitment_add_condition_node(c, CM_COND_WHILE, t,
							  &err), CM_OK);
	ck_assert_int_eq(cm_agreement_validate(a, &err), CM_ESEMANTIC);
	cm_free(a);
}
END_TEST

START_TEST(signed_and_verbal)
{
	cm_agreement *a = base();
	cm_commitment *c = add(a, "c", "PK", CM_MUST);
	ck_assert_int_eq(cm_commitment_add_signature(c, "PK", CM_TIME_NONE, &err),
			 CM_OK);
	ck_assert_int_eq(cm_commitment_set_form(c, CM_FORM_VERBAL, &err), CM_OK);
	fails(a, CM_ESEMANTIC, "commitment 'c': 'signed by' and 'verbal' "
	      "together: a verbal commitment carries no signatures");
	cm_free(a);

	a = base();
	c = add(a, "c", "PK", CM_MUST);
	ck_assert_int_eq(cm_commitment_add_signature(c, "PK", CM_TIME_NONE, &err),
			 CM_OK);
	ck_assert_int_eq(cm_commitment_set_form(c, CM_FORM_WRITTEN, &err), CM_OK);
	valid(a);
	cm_free(a);

	/* verbal in a signed agreement is no error: outside the text */
	a = base();
	c = add(a, "c", "PK", CM_MUST);
	ck_assert_int_eq(cm_agreement_add_signature(a, "PK", CM_TIME_NONE, &err),
			 CM_OK);
	ck_assert_int_eq(cm_commitment_set_form(c, CM_FORM_VERBAL, &err), CM_OK);
	valid(a);
	cm_free(a);
}
END_TEST

START_TEST(no_content)
{
	cm_agreement *a = base();
	ck_assert_int_eq(cm_agreement_add_commitment(a, "bare", "PK", CM_MUST,
						     NULL, &err), CM_OK);
	fails(a, CM_EINVAL,
	      "commitment 'bare' has no content (an action or a text)");
	cm_commitment *c = cm_agreement_find_commitment(a, "bare");
	ck_assert_int_eq(cm_commitment_set_text(c, "now it has", &err), CM_OK);
	valid(a);
	cm_free(a);
}
END_TEST

/* ---- events ------------------------------------------------------------ */

START_TEST(event_provenance)
{
	cm_agreement *a = base();
	event(a, "PK", "AF", "TR");
	event(a, NULL, NULL, "GU");
	event(a, NULL, NULL, "WI");
	valid(a);
	cm_free(a);

	static const char *const roles[][2] = {{"PK", "a party"},
					       {"TTP", "an actor"}};
	for (int i = 0; i < 2; i++) {
		a = base();
		event(a, NULL, NULL, roles[i][0]);
		char want[200];
		snprintf(want, sizeof(want),
			 "'%s' verifies event 'attack' but is %s: only a "
			 "mediator, guarantor or witness can verify",
			 roles[i][0], roles[i][1]);
		fails(a, CM_ESEMANTIC, want);
		cm_free(a);
	}

	static const char *const what[] = {"reported by", "denied by",
					   "verified by"};
	for (int i = 0; i < 3; i++) {
		a = base();
		event(a, i == 0 ? "ZZ" : NULL, i == 1 ? "ZZ" : NULL,
		      i == 2 ? "ZZ" : NULL);
		char want[200];
		snprintf(want, sizeof(want),
			 "unknown party 'ZZ' in '%s' of event 'attack'",
			 what[i]);
		fails(a, CM_ESEMANTIC, want);
		cm_free(a);
	}
}
END_TEST

/* ---- guard cycles ------------------------------------------------------ */

START_TEST(cycle_self)
{
	cm_agreement *a = base();
	cm_commitment *c = add(a, "c", "PK", CM_MUST);
	state_on(c, CM_COND_WHILE, CM_STATE_ACTIVE, "c");
	fails(a, CM_ESEMANTIC, "cycle of guard references: c -> c");
	cm_free(a);
	a = base();
	c = add(a, "c", "PK", CM_MUST);
	state_on(c, CM_COND_UNLESS, CM_STATE_VIOLATED, "c");
	fails(a, CM_ESEMANTIC, "cycle of guard references: c -> c");
	cm_free(a);
}
END_TEST

START_TEST(cycle_two)
{
	cm_agreement *a = base();
	cm_commitment *x = add(a, "x", "PK", CM_MUST);
	cm_commitment *y = add(a, "y", "AF", CM_MUST);
	state_on(y, CM_COND_UNLESS, CM_STATE_VIOLATED, "x");
	state_on(x, CM_COND_WHILE, CM_STATE_ACTIVE, "y");
	/* reported at x's atom: x is declared first */
	fails(a, CM_ESEMANTIC, "cycle of guard references: x -> y -> x");
	cm_free(a);
}
END_TEST

START_TEST(cycle_many)
{
	/* c0 -> c1 (no cycle), c1 -> c2 -> c3 -> c4 -> c1, plus a chord
	 * c2 -> c4; the first atom on a cycle is c1's */
	cm_agreement *a = base();
	cm_commitment *c[5];
	char id[8];
	for (int i = 0; i < 5; i++) {
		snprintf(id, sizeof(id), "c%d", i);
		c[i] = add(a, id, "PK", CM_MUST);
	}
	state_on(c[0], CM_COND_WHILE, CM_STATE_ACTIVE, "c1");
	state_on(c[1], CM_COND_WHILE, CM_STATE_ACTIVE, "c2");
	state_on(c[2], CM_COND_WHILE, CM_STATE_ACTIVE, "c4");
	state_on(c[2], CM_COND_UNLESS, CM_STATE_VIOLATED, "c3");
	state_on(c[3], CM_COND_WHILE, CM_STATE_ACTIVE, "c4");
	state_on(c[4], CM_COND_UNLESS, CM_STATE_EXPIRED, "c1");
	/* the shortest cycle through c1 -> c2 */
	fails(a, CM_ESEMANTIC, "cycle of guard references: c1 -> c2 -> c4 -> c1");
	cm_free(a);
}
END_TEST

START_TEST(cycle_inside_expression)
{
	/* the atom may sit deep inside and/or/not */
	cm_agreement *a = base();
	cm_commitment *x = add(a, "x", "PK", CM_MUST);
	cm_commitment *y = add(a, "y", "PK", CM_MUST);
	state_on(y, CM_COND_WHILE, CM_STATE_ACTIVE, "x");
	cm_condition *t = NULL, *s = NULL, *n = NULL, *o = NULL;
	ck_assert_int_eq(cm_condition_new_const(x, 1, &t, &err), CM_OK);
	ck_assert_int_eq(cm_condition_new_state(x, CM_STATE_SUSPENDED, "y", &s,
						&err), CM_OK);
	ck_assert_int_eq(cm_condition_new_not(x, s, &n, &err), CM_OK);
	ck_assert_int_eq(cm_condition_new_binary(x, CM_CT_AND, t, n, &o, &err),
			 CM_OK);
	ck_assert_int_eq(cm_commitment_add_condition_node(x, CM_COND_UNLESS, o,
							  &err), CM_OK);
	fails(a, CM_ESEMANTIC, "cycle of guard references: x -> y -> x");
	cm_free(a);
}
END_TEST

START_TEST(no_cycle_through_if_recip_form)
{
	cm_agreement *a = base();
	cm_commitment *x = add(a, "x", "PK", CM_MUST);
	cm_commitment *y = add(a, "y", "AF", CM_MUST);
	/* if: no edge */
	state_on(x, CM_COND_IF, CM_STATE_VIOLATED, "y");
	state_on(y, CM_COND_WHILE, CM_STATE_ACTIVE, "x");
	state_on(x, CM_COND_IF, CM_STATE_ACTIVE, "x");
	/* reciprocal: no edge */
	ck_assert_int_eq(cm_commitment_add_reciprocal(x, "y", &err), CM_OK);
	ck_assert_int_eq(cm_commitment_add_reciprocal(y, "x", &err), CM_OK);
	ck_assert_int_eq(cm_commitment_add_reciprocal(x, "x", &err), CM_OK);
	/* form atoms: no edge */
	cm_condition *f = NULL;
	ck_assert_int_eq(cm_condition_new_form(x, CM_FORM_ATOM_SIGNED, "y", &f,
					       &err), CM_OK);
	ck_assert_int_eq(cm_commitment_add_condition_node(x, CM_COND_WHILE, f,
							  &err), CM_OK);
	ck_assert_int_eq(cm_condition_new_form(x, CM_FORM_ATOM_WRITTEN, "x", &f,
					       &err), CM_OK);
	ck_assert_int_eq(cm_commitment_add_condition_node(x, CM_COND_UNLESS, f,
							  &err), CM_OK);
	valid(a);
	/* a DAG with shared targets is no cycle either */
	cm_commitment *z = add(a, "z", "PK", CM_MUST);
	state_on(z, CM_COND_WHILE, CM_STATE_ACTIVE, "y");
	state_on(z, CM_COND_UNLESS, CM_STATE_VIOLATED, "x");
	valid(a);
	cm_free(a);
}
END_TEST

START_TEST(long_chain)
{
	/* c0 <- c1 <- ... <- c99999: 100,000 guard references in a row */
	enum { N = 100000 };
	cm_agreement *a = base();
	char id[16], prev[16] = "";
	for (int i = 0; i < N; i++) {
		snprintf(id, sizeof(id), "c%d", i);
		cm_commitment *c = add(a, id, "PK", CM_MUST);
		if (i)
			state_on(c, i % 2 ? CM_COND_WHILE : CM_COND_UNLESS,
				 CM_STATE_ACTIVE, prev);
		memcpy(prev, id, sizeof(id));
	}
	clock_t t0 = clock();
	valid(a);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	ck_assert_msg(secs < 2.0, "validation took %.2fs", secs);
	ck_assert_uint_eq(a->commitments[1]->whiles.v[0].cond->target->index,
			  0);
	ck_assert_uint_eq(a->commitments[N - 1]->ncreditors, 2);

	/* closing the chain makes one cycle of 100,000: reported at c0's
	 * atom, the message cut short */
	state_on(a->commitments[0], CM_COND_WHILE, CM_STATE_ACTIVE,
		 "c99999");
	t0 = clock();
	fails(a, CM_ESEMANTIC, "cycle of guard references: c0 -> c99999 -> "
	      "c99998 -> c99997 -> c99996 -> c99995 -> c99994 -> c99993 -> "
	      "c99992 -> c99991 -> c99990 -> ... -> c0");
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	ck_assert_msg(secs < 2.0, "validation took %.2fs", secs);
	cm_free(a);
}
END_TEST

START_TEST(default_creditors_limit)
{
	/* P party-role parties that all owe something by default cost
	 * P * (P - 1) entries: past 2^22 validation stops */
	cm_agreement *a = NULL;
	ck_assert_int_eq(cm_agreement_new(tctx, "crowd", NULL, &a, &err), CM_OK);
	char id[16];
	enum { P = 2049 };
	for (int i = 0; i < P; i++) {
		snprintf(id, sizeof(id), "p%d", i);
		ck_assert_int_eq(cm_agreement_add_party(a, id, "x", CM_ROLE_PARTY,
							CM_KIND_NONE, &err),
				 CM_OK);
	}
	for (int i = 0; i < P; i++) {
		snprintf(id, sizeof(id), "p%d", i);
		char cid[16];
		snprintf(cid, sizeof(cid), "c%d", i);
		add(a, cid, id, CM_MUST);
		/* shared per debtor: a second commitment costs nothing */
		if (i == 0)
			add(a, "again", id, CM_MUST);
	}
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(cm_agreement_validate(a, &err), CM_ELIMIT);
	ck_assert_str_eq(err.message, "commitment 'c2048': the default "
			 "creditors of all debtors exceed 4194304 entries; "
			 "name the creditors with 'to'");
	ck_assert(!a->validated);
	/* naming the creditors of the last one mends it */
	ck_assert_int_eq(cm_commitment_add_creditor(
				 cm_agreement_find_commitment(a, "c2048"), "p0",
				 &err), CM_OK);
	valid(a);
	ck_assert_ptr_eq(a->commitments[0]->creditors,
			 a->commitments[1]->creditors);
	ck_assert_uint_eq(a->commitments[0]->ncreditors, P - 1);
	cm_free(a);
}
END_TEST

/* ---- several errors, and the API edges --------------------------------- */

START_TEST(first_error_unpositioned)
{
	/* without positions: the order of the checks (agreement items, then
	 * commitments in declaration order, then events, then cycles) */
	cm_agreement *a = base();
	cm_commitment *c = add(a, "c", "PK", CM_MUST);
	cm_commitment *d = add(a, "d", "ZZ", CM_MUST);
	ck_assert_int_eq(cm_commitment_add_creditor(d, "YY", &err), CM_OK);
	ck_assert_int_eq(cm_commitment_add_creditor(c, "WW", &err), CM_OK);
	state_on(c, CM_COND_WHILE, CM_STATE_ACTIVE, "c");
	fails(a, CM_ESEMANTIC, "commitment 'c': unknown party 'WW' in 'to'");
	ck_assert_int_eq(cm_agreement_add_signature(a, "VV", CM_TIME_NONE, &err),
			 CM_OK);
	fails(a, CM_ESEMANTIC, "unknown party 'VV' in 'signed by'");
	cm_free(a);
}
END_TEST

START_TEST(null_args)
{
	ck_assert_int_eq(cm_agreement_validate(NULL, &err), CM_EINVAL);
	ck_assert_int_eq(cm_agreement_validate(NULL, NULL), CM_EINVAL);
	ck_assert_int_eq(cm__agreement_resolve(NULL, NULL), CM_EINVAL);
	/* an error with no cm_error to fill */
	cm_agreement *a = base();
	add(a, "c", "ZZ", CM_MUST);
	ck_assert_int_eq(cm_agreement_validate(a, NULL), CM_ESEMANTIC);
	cm_free(a);
	/* an empty agreement is valid */
	ck_assert_int_eq(cm_agreement_new(tctx, "empty", NULL, &a, &err), CM_OK);
	valid(a);
	cm_free(a);
}
END_TEST

/* ---- through text: exact positions ------------------------------------ */

#define HEAD "agreement t {\n" \
	     "  party PK \"P\" state\n" \
	     "  party AF \"A\" authority\n" \
	     "  mediator TR \"T\" state\n" \
	     "  actor TTP \"G\" armed-group\n"
/* HEAD is 5 lines: the next line is line 6 */

START_TEST(text_unknown_parties)
{
	parse_fails(HEAD "  commitment c { ZZ must \"x\" }\n}\n",
		    CM_ESEMANTIC, 6, 18, "unknown party 'ZZ' in 'debtor'");
	parse_fails(HEAD "  commitment c {\n    PK must \"x\"\n    to AF, ZZ\n  }\n}\n",
		    CM_ESEMANTIC, 8, 12, "unknown party 'ZZ' in 'to'");
	parse_fails(HEAD "  commitment c {\n    PK must \"x\"\n"
		    "    signed by ZZ\n  }\n}\n",
		    CM_ESEMANTIC, 8, 15, "unknown party 'ZZ' in 'signed by'");
	parse_fails(HEAD "  commitment c {\n    PK must \"x\"\n"
		    "    witnessed by TR, ZZ\n  }\n}\n",
		    CM_ESEMANTIC, 8, 22, "unknown party 'ZZ' in 'witnessed by'");
	parse_fails(HEAD "  commitment c {\n    PK must \"x\"\n"
		    "    proposed by ZZ\n  }\n}\n",
		    CM_ESEMANTIC, 8, 17, "unknown party 'ZZ' in 'proposed by'");
	parse_fails(HEAD "  commitment c {\n    PK must \"x\"\n"
		    "    rejected by ZZ\n  }\n}\n",
		    CM_ESEMANTIC, 8, 17, "unknown party 'ZZ' in 'rejected by'");
	parse_fails(HEAD "  signed by PK, ZZ on 2025-01-01\n}\n",
		    CM_ESEMANTIC, 6, 17, "unknown party 'ZZ' in 'signed by'");
	parse_fails(HEAD "  ratified by ZZ\n}\n",
		    CM_ESEMANTIC, 6, 15, "unknown party 'ZZ' in 'ratified by'");
	parse_fails(HEAD "  require signed by PK, ZZ\n}\n",
		    CM_ESEMANTIC, 6, 25,
		    "unknown party 'ZZ' in 'require signed by'");
	parse_fails(HEAD "  require witnessed by ZZ for all\n}\n",
		    CM_ESEMANTIC, 6, 24,
		    "unknown party 'ZZ' in 'require witnessed by'");
	parse_fails(HEAD "  require ratified by ZZ\n}\n",
		    CM_ESEMANTIC, 6, 23,
		    "unknown party 'ZZ' in 'require ratified by'");
	parse_fails(HEAD "  require written for ZZ\n}\n",
		    CM_ESEMANTIC, 6, 23,
		    "unknown party or commitment 'ZZ' in 'for'");
}
END_TEST

START_TEST(text_event_provenance)
{
	parse_fails(HEAD "  events {\n    2025-01-01 attack(on: PK) reported by ZZ\n"
		    "  }\n}\n",
		    CM_ESEMANTIC, 7, 43, "unknown party 'ZZ' in 'reported by'");
	parse_fails(HEAD "  events {\n    2025-01-01 attack(on: PK) denied by ZZ\n"
		    "  }\n}\n",
		    CM_ESEMANTIC, 7, 41, "unknown party 'ZZ' in 'denied by'");
	parse_fails(HEAD "  events {\n    2025-01-01 attack(on: PK) verified by ZZ\n"
		    "  }\n}\n",
		    CM_ESEMANTIC, 7, 43, "unknown party 'ZZ' in 'verified by'");
	parse_fails(HEAD "  events {\n    2025-01-01 attack(on: PK) verified by TR, AF\n"
		    "  }\n}\n",
		    CM_ESEMANTIC, 7, 47, "'AF' verifies event 'attack' but is "
		    "a party");
	parse_fails(HEAD "  events {\n    2025-01-01 attack(on: PK) reported by PK"
		    " denied by AF, PK\n  }\n}\n",
		    CM_ESEMANTIC, 7, 60, "'PK' both reports and denies");
	cm_document *d = parse_ok(HEAD "  events {\n    2025-01-01 attack(on: PK)"
				  " reported by PK denied by AF verified by TR\n"
				  "  }\n}\n");
	cm_free(d);
}
END_TEST

/* A top-level block applies to every agreement of its file: verifiers
 * are judged by each agreement's roles; ids it does not declare are
 * ignored there. */
START_TEST(text_toplevel_verifiers)
{
	parse_fails(HEAD "}\nevents {\n  2025-01-01 attack(on: PK)"
		    " verified by TR, ZZ, AF\n}\n",
		    CM_ESEMANTIC, 8, 49, "'AF' verifies event 'attack' but is "
		    "a party of agreement 't'");
	parse_fails(HEAD "}\nevents {\n  2025-01-01 attack(on: PK)"
		    " verified by TTP\n}\n",
		    CM_ESEMANTIC, 8, 41, "but is an actor");
	/* another agreement of the file declares AF as a witness: only
	 * t's roles make the error */
	parse_fails("agreement u {\n  witness AF \"A\"\n}\n"
		    HEAD "}\nevents {\n  2025-01-01 attack(on: PK)"
		    " verified by AF\n}\n",
		    CM_ESEMANTIC, 11, 41, "of agreement 't'");
	cm_document *d = parse_ok(HEAD "}\nevents {\n  2025-01-01 "
				  "attack(on: PK) verified by TR, ZZ\n}\n");
	cm_free(d);
}
END_TEST

START_TEST(text_clause_checks)
{
	parse_fails(HEAD "  commitment c { PK may \"x\" by 2025-01-01 }\n}\n",
		    CM_ESEMANTIC, 6, 29, "'by' on 'may'");
	parse_fails(HEAD "  date 2025-01-01\n"
		    "  commitment c { PK must not \"x\" within 3d }\n}\n",
		    CM_ESEMANTIC, 7, 34, "'within' on 'must not'");
	parse_fails(HEAD "  commitment c { PK must prevent \"x\" by 2025-01-01 }\n}\n",
		    CM_ESEMANTIC, 6, 38, "'by' on 'must prevent'");
	parse_fails(HEAD "  commitment c { PK must \"x\" within 3d }\n}\n",
		    CM_ESEMANTIC, 6, 30, "'within' needs a moment of taking "
		    "effect");
	parse_fails(HEAD "  commitment c { TR must \"x\" }\n}\n",
		    CM_ESEMANTIC, 6, 18, "debtor 'TR' is a mediator");
	parse_fails(HEAD "  commitment c { TTP must \"x\" }\n}\n",
		    CM_ESEMANTIC, 6, 18, "debtor 'TTP' is an actor");
	/* signed by + verbal: at the later of the two */
	parse_fails(HEAD "  commitment c {\n    PK must \"x\"\n    signed by PK\n"
		    "    verbal\n  }\n}\n",
		    CM_ESEMANTIC, 9, 5, "'signed by' and 'verbal'");
	parse_fails(HEAD "  commitment c {\n    PK must \"x\"\n    verbal\n"
		    "    signed by AF\n  }\n}\n",
		    CM_ESEMANTIC, 9, 15, "'signed by' and 'verbal'");
	parse_fails(HEAD "  require registered for all\n}\n",
		    CM_ESEMANTIC, 6, 22, "'for' on the agreement-level rule "
		    "'registered'");
	parse_fails(HEAD "  require parties state for PK\n}\n",
		    CM_ESEMANTIC, 6, 25, "'for' on the agreement-level rule "
		    "'parties'");
	cm_document *d = parse_ok(HEAD "  commitment c { PK must \"x\" within 3d"
				  " if attack(on: PK) }\n}\n");
	cm_free(d);
	d = parse_ok(HEAD "  commitment c { PK must \"x\" within 3d"
		     " from 2025-01-01 }\n}\n");
	cm_free(d);
}
END_TEST

START_TEST(text_commitment_refs)
{
	parse_fails(HEAD "  commitment c {\n    PK must \"x\"\n    reciprocal nope\n"
		    "  }\n}\n",
		    CM_ESEMANTIC, 8, 16, "unknown commitment 'nope' in "
		    "'reciprocal'");
	parse_fails(HEAD "  commitment c {\n    PK must \"x\"\n"
		    "    if violated(AF)\n  }\n}\n",
		    CM_ESEMANTIC, 8, 17, "unknown commitment 'AF' in "
		    "'violated(AF)' (it is a party)");
	parse_fails(HEAD "  commitment c {\n    PK must \"x\"\n"
		    "    unless true and not signed(nope)\n  }\n}\n",
		    CM_ESEMANTIC, 8, 32, "unknown commitment 'nope' in "
		    "'signed(nope)'");
}
END_TEST

START_TEST(text_cycles)
{
	parse_fails(HEAD "  commitment a {\n    PK must \"x\"\n"
		    "    while active(a)\n  }\n}\n",
		    CM_ESEMANTIC, 8, 18, "cycle of guard references: a -> a");
	parse_fails(HEAD
		    "  commitment a {\n    PK must \"x\"\n"
		    "    if violated(b)\n"
		    "    unless violated(b) or suspended(b)\n  }\n"
		    "  commitment b {\n    AF must \"y\"\n"
		    "    while active(a)\n  }\n}\n",
		    CM_ESEMANTIC, 9, 21, "cycle of guard references: a -> b -> a");
	/* three, and the first atom in source order wins */
	parse_fails(HEAD
		    "  commitment a { PK must \"x\" while active(b) }\n"
		    "  commitment b { PK must \"x\" while active(c) }\n"
		    "  commitment c { PK must \"x\" unless violated(a) }\n}\n",
		    CM_ESEMANTIC, 6, 43,
		    "cycle of guard references: a -> b -> c -> a");
	cm_document *d = parse_ok(HEAD
				  "  commitment a { PK must \"x\" if active(b)"
				  " reciprocal b }\n"
				  "  commitment b { AF must \"x\" while active(a)"
				  " unless written(b) reciprocal a }\n}\n");
	cm_free(d);
}
END_TEST

START_TEST(text_earliest_error)
{
	/* a later unknown party in a `to` and an earlier cycle: the cycle
	 * (line 7) is reported before the debtor (line 8) */
	parse_fails(HEAD "  signed by PK\n"
		    "  commitment a { PK must \"x\" while active(a) }\n"
		    "  commitment b { ZZ must \"x\" }\n}\n",
		    CM_ESEMANTIC, 7, 43, "cycle of guard references: a -> a");
	/* within one commitment, in source order */
	parse_fails(HEAD "  commitment a {\n    PK must \"x\"\n"
		    "    witnessed by Q1\n    to Q2\n  }\n}\n",
		    CM_ESEMANTIC, 8, 18, "unknown party 'Q1'");
	/* an agreement-level item after a commitment */
	parse_fails(HEAD "  commitment a { PK must \"x\" to Q2 }\n"
		    "  ratified by Q1\n}\n",
		    CM_ESEMANTIC, 6, 33, "unknown party 'Q2'");
}
END_TEST

START_TEST(text_policy_use)
{
	/* a policy's party names must exist in the agreement using it:
	 * reported at the `use` */
	parse_fails("policy stance { require signed by QQ }\n"
		    HEAD "  use stance\n}\n",
		    CM_ESEMANTIC, 7, 3, "unknown party 'QQ' in 'require signed "
		    "by' (policy 'stance')");
	/* a `for` on an agreement-level rule is an error in the policy
	 * itself, used or not */
	parse_fails("policy p {\n  require written\n"
		    "  require registered for obligations\n}\n",
		    CM_ESEMANTIC, 3, 22, "'for' on the agreement-level rule "
		    "'registered': it selects no commitments (policy 'p')");
	cm_document *d = parse_ok("policy stance { require signed by PK }\n"
				  HEAD "  use stance\n  use vclt\n}\n");
	cm_free(d);
}
END_TEST

/* ---- allocation failures ------------------------------------------------ */

#ifdef CM_FAULT_INJECTION
/* An agreement that exercises every allocation of validation: default
 * and explicit creditors, reciprocal links, deep guards, a cycle when
 * @p cyclic. */
static cm_agreement *busy(bool cyclic)
{
	cm_agreement *a = base();
	char id[16], prev[16] = "";
	for (int i = 0; i < 40; i++) {
		snprintf(id, sizeof(id), "c%d", i);
		cm_commitment *c = add(a, id, i % 2 ? "PK" : "AF", CM_MUST);
		if (i % 3 == 0)
			ck_assert_int_eq(cm_commitment_add_creditor(c, "TR",
								    &err),
					 CM_OK);
		if (i) {
			state_on(c, CM_COND_WHILE, CM_STATE_ACTIVE, prev);
			ck_assert_int_eq(cm_commitment_add_reciprocal(c, prev,
								      &err),
					 CM_OK);
		}
		memcpy(prev, id, sizeof(id));
	}
	if (cyclic)
		state_on(a->commitments[0], CM_COND_UNLESS, CM_STATE_VIOLATED,
			 prev);
	return a;
}

START_TEST(allocation_failures)
{
	for (int cyclic = 0; cyclic < 2; cyclic++) {
		int want = cyclic ? CM_ESEMANTIC : CM_OK;
		long n;
		for (n = 1;; n++) {
			cm_agreement *a = busy(cyclic);
			size_t blocks = talloc_total_blocks(a);
			cm__fault_inject(n, false);
			int rc = cm_agreement_validate(a, &err);
			long failed = cm__fault_failures();
			cm__fault_inject(0, false);
			if (!failed) {
				ck_assert_int_eq(rc, want);
				cm_free(a);
				break;
			}
			ck_assert_msg(rc == CM_ENOMEM, "allocation %ld: rc %d",
				      n, rc);
			ck_assert_int_eq(err.code, CM_ENOMEM);
			ck_assert(!a->validated);
			/* nothing left behind but arena growth */
			ck_assert_uint_le(talloc_total_blocks(a), blocks + 1);
			/* and the agreement is still usable */
			ck_assert_int_eq(cm_agreement_validate(a, &err), want);
			if (!cyclic)
				ck_assert_ptr_eq(a->commitments[5]->recip[0],
						 a->commitments[4]);
			cm_free(a);
		}
		ck_assert_int_gt(n, 5); /* there were sites to fail */
	}
}
END_TEST
#endif

/* ---- the motivating case (SPEC §7) -------------------------------------- */

START_TEST(motivating_case)
{
	cm_document *d = parse_ok(
		"agreement istanbul_round3 \"Security understanding\" {\n"
		"  date 2025-11-07\n"
		"  party    PK  \"Pakistan\"                      state\n"
		"  party    AF  \"Afghan Taliban administration\" authority\n"
		"  mediator TR  \"T\xc3\xbcrkiye\"                       state\n"
		"  mediator QA  \"Qatar\"                         state\n"
		"  actor    TTP \"Tehreek-e-Taliban Pakistan\"    armed-group\n"
		"  use written-only\n"
		"  commitment no_safe_haven {\n"
		"    AF must prevent attack(from: AF, on: PK)\n"
		"    verbal\n"
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
		"    claimed\n"
		"    verbal\n"
		"  }\n"
		"}\n");
	cm_agreement *a = cm_document_agreement(d, 0);
	ck_assert(a->validated);
	cm_commitment *nsh = cm_agreement_find_commitment(a, "no_safe_haven");
	cm_commitment *cf = cm_agreement_find_commitment(a, "ceasefire");
	cm_commitment *da = cm_agreement_find_commitment(a, "defensive_action");
	ck_assert_str_eq(nsh->debtor_p->id, "AF");
	ck_assert_uint_eq(nsh->ncreditors, 1);
	ck_assert_str_eq(nsh->creditors[0]->id, "PK");
	ck_assert_uint_eq(cf->ncreditors, 1);
	ck_assert_str_eq(cf->creditors[0]->id, "AF");
	ck_assert_ptr_eq(cf->recip[0], nsh);
	ck_assert_ptr_eq(da->ifs.v[0].cond->target, nsh);
	ck_assert_str_eq(cm_party_id(da->debtor_p), "PK");
	cm_free(d);
}
END_TEST

Suite *resolve_suite(void);
Suite *resolve_suite(void)
{
	Suite *s = suite_create("resolve");
	TCase *tc;
	tc = tcase_leakcheck(s, "resolved pointers");
	tcase_add_test(tc, resolves_pointers);
	tc = tcase_leakcheck(s, "default creditors");
	tcase_add_test(tc, default_creditors);
	tcase_add_test(tc, default_creditors_alone);
	tcase_add_test(tc, default_creditors_limit);
	tc = tcase_leakcheck(s, "to creditors");
	tcase_add_test(tc, to_creditors);
	tc = tcase_leakcheck(s, "unknown parties");
	tcase_add_test(tc, unknown_debtor);
	tcase_add_test(tc, debtor_is_commitment);
	tcase_add_test(tc, unknown_in_commitment_items);
	tcase_add_test(tc, unknown_agreement_sig);
	tc = tcase_leakcheck(s, "debtor role");
	tcase_add_test(tc, debtor_not_party_role);
	tc = tcase_leakcheck(s, "rules");
	tcase_add_test(tc, unknown_in_rules);
	tcase_add_test(tc, rule_from_policy);
	tcase_add_test(tc, builder_rules);
	tcase_add_test(tc, unresolved_use);
	tcase_add_test(tc, unknown_selector);
	tcase_add_test(tc, for_on_agreement_rule);
	tc = tcase_leakcheck(s, "commitment references");
	tcase_add_test(tc, unknown_commitment_refs);
	tc = tcase_leakcheck(s, "deadlines");
	tcase_add_test(tc, deadline_modality);
	tcase_add_test(tc, within_needs_moment);
	tc = tcase_leakcheck(s, "signed and verbal");
	tcase_add_test(tc, signed_and_verbal);
	tc = tcase_leakcheck(s, "no content");
	tcase_add_test(tc, no_content);
	tc = tcase_leakcheck(s, "events");
	tcase_add_test(tc, event_provenance);
	tc = tcase_leakcheck(s, "cycles");
	tcase_add_test(tc, cycle_self);
	tcase_add_test(tc, cycle_two);
	tcase_add_test(tc, cycle_many);
	tcase_add_test(tc, cycle_inside_expression);
	tcase_add_test(tc, no_cycle_through_if_recip_form);
	tc = tcase_leakcheck(s, "long chain");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, long_chain);
	tc = tcase_leakcheck(s, "error order and edges");
	tcase_add_test(tc, first_error_unpositioned);
	tcase_add_test(tc, null_args);
	tc = tcase_leakcheck(s, "text: unknown parties");
	tcase_add_test(tc, text_unknown_parties);
	tc = tcase_leakcheck(s, "text: events");
	tcase_add_test(tc, text_event_provenance);
	tcase_add_test(tc, text_toplevel_verifiers);
	tc = tcase_leakcheck(s, "text: clause checks");
	tcase_add_test(tc, text_clause_checks);
	tc = tcase_leakcheck(s, "text: commitment references");
	tcase_add_test(tc, text_commitment_refs);
	tc = tcase_leakcheck(s, "text: cycles");
	tcase_add_test(tc, text_cycles);
	tc = tcase_leakcheck(s, "text: earliest error");
	tcase_add_test(tc, text_earliest_error);
	tc = tcase_leakcheck(s, "text: policies");
	tcase_add_test(tc, text_policy_use);
	tc = tcase_leakcheck(s, "the motivating case");
	tcase_add_test(tc, motivating_case);
#ifdef CM_FAULT_INJECTION
	tc = tcase_leakcheck(s, "allocation failures");
	tcase_add_test(tc, allocation_failures);
#endif
	return s;
}

int main(void)
{
	return run_suite(resolve_suite());
}
