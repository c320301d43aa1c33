/*
 * The parser: every construct of SPEC §2 into the exact model fields,
 * the §7 example, every syntax-level error with its line and column,
 * nesting limits, atomicity, the builder entry points and the streaming
 * event reader.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>
#include <unistd.h>

#include "testutil.h"

#include "model/model.h"
#include "syntax/syntax.h"

/* ---- helpers ------------------------------------------------------------ */

/* Parse into a new document without resolving (cm_document_add_text only). */
static cm_document *raw_ok(const char *text)
{
	cm_document *doc;
	cm_error err;
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(cm_document_new(tctx, &doc, &err), CM_OK);
	int rc = cm_document_add_text(doc, text, strlen(text), "test.cmt", &err);
	ck_assert_msg(rc == CM_OK, "parse failed: %d %s:%d:%d: %s", rc,
		      err.file, err.line, err.column, err.message);
	return doc;
}

/* cm_document_add_text must fail (the syntax-level and parser checks, no
 * resolve). */
#define raw_fails(text, code_, line_, col_, needle)                          \
	do {                                                                 \
		cm_document *d_;                                             \
		cm_error e_;                                                 \
		memset(&e_, 0, sizeof(e_));                                  \
		ck_assert_int_eq(cm_document_new(tctx, &d_, &e_), CM_OK);    \
		size_t blocks_ = cm__block_count(d_);                        \
		int rc_ = cm_document_add_text(d_, (text), strlen(text),           \
					 "test.cmt", &e_);                   \
		ck_assert_msg(rc_ == (code_), "rc %d (want %d): %s", rc_,    \
			      (code_), e_.message);                          \
		ck_assert_msg(e_.line == (line_) && e_.column == (col_),     \
			      "error at %d:%d, want %d:%d: %s", e_.line,     \
			      e_.column, (line_), (col_), e_.message);       \
		ck_assert_str_eq(e_.file, "test.cmt");                       \
		ck_assert_msg(strstr(e_.message, (needle)) != NULL,          \
			      "message '%s' lacks '%s'", e_.message,         \
			      (const char *)(needle));                       \
		ck_assert_uint_eq(d_->nagreements, 0);                       \
		ck_assert_uint_eq(d_->npolicies, 0);                         \
		ck_assert_uint_eq(d_->events.n, 0);                          \
		ck_assert_uint_eq(d_->ncomments, 0);                         \
		ck_assert_uint_eq(d_->ntops, 0);                             \
		ck_assert_uint_eq(cm__block_count(d_), blocks_);             \
		cm_free(d_);                                                 \
	} while (0)

#define POS(p, l, c)                                                         \
	do {                                                                 \
		ck_assert_msg((p).line == (l) && (p).col == (c),             \
			      "position %u:%u, want %u:%u", (p).line,        \
			      (p).col, (unsigned)(l), (unsigned)(c));         \
	} while (0)

static cm_time day(const char *s)
{
	cm_time t;
	ck_assert_int_eq(cm_time_parse(s, 0, &t), CM_OK);
	return t;
}

static cm_time eod(const char *s)
{
	cm_time t;
	ck_assert_int_eq(cm_time_parse(s, 1, &t), CM_OK);
	return t;
}

static const struct cm__attr *attr(const struct cm__action *a, uint32_t i)
{
	ck_assert_uint_lt(i, a->nattrs);
	return &a->attrs[i];
}

/* ---- the §7 example ----------------------------------------------------- */

static const char example[] =
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

START_TEST(test_example)
{
	cm_document *doc = parse_ok(example);
	ck_assert_uint_eq(cm_document_agreement_count(doc), 1);
	cm_agreement *a = cm_document_agreement(doc, 0);
	ck_assert_str_eq(cm_agreement_id(a), "istanbul_round3");
	ck_assert_str_eq(cm_agreement_title(a),
			 "Security understanding, Istanbul round");
	ck_assert_int_eq(cm_agreement_date(a), day("2025-11-07"));
	ck_assert_str_eq(cm_agreement_file(a), "test.cmt");
	ck_assert_int_eq(cm_agreement_line(a), 2);
	POS(a->pos, 2, 1);
	POS(a->date_pos, 3, 3);

	ck_assert_uint_eq(cm_agreement_party_count(a), 5);
	static const char *ids[] = {"PK", "AF", "TR", "QA", "TTP"};
	static const char *names[] = {"Pakistan",
				      "Afghan Taliban administration",
				      "Türkiye", "Qatar",
				      "Tehreek-e-Taliban Pakistan"};
	static const int roles[] = {CM_ROLE_PARTY, CM_ROLE_PARTY,
				    CM_ROLE_MEDIATOR, CM_ROLE_MEDIATOR,
				    CM_ROLE_ACTOR};
	static const int kinds[] = {CM_KIND_STATE, CM_KIND_AUTHORITY,
				    CM_KIND_STATE, CM_KIND_STATE,
				    CM_KIND_ARMED_GROUP};
	for (size_t i = 0; i < 5; i++) {
		const cm_party *p = cm_agreement_party(a, i);
		ck_assert_str_eq(cm_party_id(p), ids[i]);
		ck_assert_str_eq(cm_party_name(p), names[i]);
		ck_assert_int_eq(cm_party_role(p), roles[i]);
		ck_assert_int_eq(cm_party_kind(p), kinds[i]);
		POS(p->pos, 4 + i, 12);
	}

	/* `use` was expanded by cm_document_resolve into written-only's
	 * two rules, at the line of the `use` */
	ck_assert_uint_eq(a->rules.n, 2);
	ck_assert_int_eq(a->rules.v[0].kind, CM__RULE_WRITTEN);
	ck_assert_str_eq(a->rules.v[0].policy, "written-only");
	ck_assert_uint_eq(a->rules.v[0].line, 10);
	ck_assert_int_eq(a->rules.v[1].kind, CM__RULE_SIGNED);
	ck_assert_int_eq(a->rules.v[1].who, CM__WHO_DEBTOR);

	ck_assert_uint_eq(cm_agreement_commitment_count(a), 3);
	cm_commitment *c = cm_agreement_commitment(a, 0);
	ck_assert_str_eq(cm_commitment_id(c), "no_safe_haven");
	ck_assert_int_eq(cm_commitment_line(c), 12);
	POS(c->pos, 12, 14);
	ck_assert_str_eq(cm_commitment_debtor(c), "AF");
	POS(c->debtor.pos, 13, 5);
	ck_assert_int_eq(cm_commitment_modality(c), CM_MUST_PREVENT);
	POS(c->modality_pos, 13, 8);
	ck_assert(cm_commitment_is_action(c));
	ck_assert_str_eq(cm_commitment_action_type(c), "attack");
	POS(c->content_pos, 13, 21);
	ck_assert_uint_eq(c->action.nattrs, 2);
	ck_assert_str_eq(attr(&c->action, 0)->name, "from");
	ck_assert_str_eq(attr(&c->action, 0)->value, "AF");
	ck_assert_int_eq(attr(&c->action, 0)->vkind, CM__V_ID);
	POS(attr(&c->action, 0)->pos, 13, 28);
	ck_assert_str_eq(attr(&c->action, 1)->name, "on");
	POS(attr(&c->action, 1)->pos, 13, 38);
	ck_assert_int_eq(cm_commitment_declared_form(c), CM_FORM_VERBAL);
	POS(c->form_pos, 14, 5);
	ck_assert_uint_eq(c->witnesses.n, 2);
	ck_assert_str_eq(c->witnesses.v[0].s, "TR");
	POS(c->witnesses.v[0].pos, 15, 18);
	ck_assert_str_eq(c->witnesses.v[1].s, "QA");
	POS(c->witnesses.v[1].pos, 15, 22);
	ck_assert_int_eq(c->by, CM_TIME_NONE);
	ck_assert_int_eq(c->within, -1);
	ck_assert_int_eq(cm_commitment_standing(c), CM_STANDING_AGREED);

	c = cm_agreement_commitment(a, 1);
	ck_assert_str_eq(cm_commitment_id(c), "ceasefire");
	ck_assert_int_eq(cm_commitment_modality(c), CM_MUST_NOT);
	ck_assert_uint_eq(c->unlesses.n, 1);
	POS(c->unlesses.v[0].pos, 19, 5);
	const struct cm_condition *u = c->unlesses.v[0].cond;
	ck_assert_int_eq(cm_condition_type(u), CM_CT_ACTION);
	ck_assert_str_eq(u->act.type, "attack");
	ck_assert_int_eq(u->window, 30 * 1440);
	POS(u->pos, 19, 12);
	ck_assert_uint_eq(c->reciprocal.n, 1);
	ck_assert_str_eq(c->reciprocal.v[0].s, "no_safe_haven");
	POS(c->reciprocal.v[0].pos, 20, 16);
	ck_assert_ptr_eq(c->recip[0], cm_agreement_commitment(a, 0));

	c = cm_agreement_commitment(a, 2);
	ck_assert_int_eq(cm_commitment_modality(c), CM_MAY);
	ck_assert_int_eq(cm_commitment_standing(c), CM_STANDING_CLAIMED);
	POS(c->standing_pos, 26, 5);
	ck_assert_uint_eq(c->ifs.n, 1);
	const struct cm_condition *i = c->ifs.v[0].cond;
	ck_assert_int_eq(i->type, CM_CT_STATE);
	ck_assert_int_eq(i->which, CM_STATE_VIOLATED);
	ck_assert_str_eq(i->ref.s, "no_safe_haven");
	POS(i->ref.pos, 25, 17);
	ck_assert_ptr_eq(i->target, cm_agreement_commitment(a, 0));

	/* comments, for the formatter */
	ck_assert_uint_eq(doc->ncomments, 4);
	ck_assert_str_eq(doc->comments[0].text,
			 "# Security talks, round 3, as reported by one side "
			 "after the collapse.");
	ck_assert(doc->comments[0].own_line);
	POS(doc->comments[0].pos, 1, 1);
	ck_assert_str_eq(doc->comments[1].text,
			 "# \"no place for verbal guarantees\"");
	ck_assert(!doc->comments[1].own_line);
	POS(doc->comments[1].pos, 10, 37);
	ck_assert_str_eq(doc->comments[1].file, "test.cmt");
	ck_assert_uint_eq(doc->ntops, 1);
	ck_assert_int_eq(doc->tops[0].kind, CM__TOP_AGREEMENT);
	POS(doc->tops[0].pos, 2, 1);
	cm_free(doc);
}
END_TEST

/* ---- agreements ----------------------------------------------------------- */

START_TEST(test_agreement_items)
{
	cm_document *doc = raw_ok(
		"agreement a {\n"
		"  party P \"p\"\n"
		"  guarantor G \"g\" organization\n"
		"  witness W \"w\" person\n"
		"  signed by P, G on 2025-03-01\n"
		"  signed by W\n"
		"  ratified by P on 2025-04-01T12:30\n"
		"  registered on 2025-05-01\n"
		"  use vclt\n"
		"}\n"
		"agreement b \"B\" { registered }\n");
	ck_assert_uint_eq(doc->nagreements, 2);
	struct cm_agreement *a = doc->agreements[0];
	ck_assert_ptr_null(a->title);
	ck_assert_int_eq(a->date, CM_TIME_NONE);
	ck_assert_uint_eq(a->nparties, 3);
	ck_assert_int_eq(a->parties[0]->kind, CM_KIND_NONE);
	ck_assert_int_eq(a->parties[1]->role, CM_ROLE_GUARANTOR);
	ck_assert_int_eq(a->parties[1]->kind, CM_KIND_ORGANIZATION);
	ck_assert_int_eq(a->parties[2]->role, CM_ROLE_WITNESS);
	ck_assert_int_eq(a->parties[2]->kind, CM_KIND_PERSON);
	ck_assert_uint_eq(a->sigs.n, 3);
	ck_assert_str_eq(a->sigs.v[0].party.s, "P");
	POS(a->sigs.v[0].party.pos, 5, 13);
	ck_assert_int_eq(a->sigs.v[0].on, day("2025-03-01"));
	ck_assert_str_eq(a->sigs.v[1].party.s, "G");
	ck_assert_int_eq(a->sigs.v[1].on, day("2025-03-01"));
	ck_assert_str_eq(a->sigs.v[2].party.s, "W");
	ck_assert_int_eq(a->sigs.v[2].on, CM_TIME_NONE);
	ck_assert_uint_eq(a->ratifications.n, 1);
	ck_assert_int_eq(a->ratifications.v[0].on,
			 day("2025-04-01") + 12 * 60 + 30);
	ck_assert(a->registered);
	ck_assert_int_eq(a->registered_on, day("2025-05-01"));
	POS(a->registered_pos, 8, 3);
	ck_assert_uint_eq(a->rules.n, 1);
	ck_assert_int_eq(a->rules.v[0].kind, CM__RULE_USE);
	ck_assert_str_eq(a->rules.v[0].use.s, "vclt");
	POS(a->rules.v[0].use.pos, 9, 7);
	POS(a->rules.v[0].pos, 9, 3);
	ck_assert_uint_eq(a->rules.v[0].line, 9);
	struct cm_agreement *b = doc->agreements[1];
	ck_assert_str_eq(b->title, "B");
	ck_assert(b->registered);
	ck_assert_int_eq(b->registered_on, CM_TIME_NONE);
	POS(b->pos, 11, 1);
	ck_assert_uint_eq(doc->ntops, 2);
	ck_assert_uint_eq(doc->tops[1].index, 1);
	cm_free(doc);
}
END_TEST

START_TEST(test_agreement_errors)
{
	raw_fails("agreement", CM_ESYNTAX, 1, 10,
		  "expected an agreement id after 'agreement', found end of "
		  "input");
	raw_fails("agreement a x", CM_ESYNTAX, 1, 13,
		  "expected a title (a string) or '{' after agreement id, "
		  "found 'x'");
	raw_fails("agreement a \"t\" x", CM_ESYNTAX, 1, 17,
		  "expected '{' after the agreement's title, found 'x'");
	raw_fails("agreement a {\n  party P \"p\"\n", CM_ESYNTAX, 2, 14,
		  "expected an agreement item or '}', found end of input");
	raw_fails("agreement a { frobnicate }", CM_ESYNTAX, 1, 15,
		  "expected an agreement item or '}', found 'frobnicate'");
	raw_fails("agreement a { party \"p\" }", CM_ESYNTAX, 1, 21,
		  "expected a party id after 'party', found string \"p\"");
	raw_fails("agreement a { mediator M state }", CM_ESYNTAX, 1, 26,
		  "expected the name of 'M' (a string), found 'state'");
	/* the column counts code points: Ü is one */
	raw_fails("agreement a { party P \"Ü\" statee }", CM_ESYNTAX, 1, 27,
		  "found 'statee'");
	raw_fails("agreement a { date 2025-01-01 date 2025-01-02 }",
		  CM_ESEMANTIC, 1, 31, "'date' given twice");
	raw_fails("agreement a { date 5 }", CM_ESYNTAX, 1, 20,
		  "expected a date after 'date', found '5'");
	raw_fails("agreement a { registered registered }", CM_ESEMANTIC, 1,
		  26, "'registered' given twice");
	raw_fails("agreement a { registered on x }", CM_ESYNTAX, 1, 29,
		  "expected a date after 'on'");
	raw_fails("agreement a { signed P }", CM_ESYNTAX, 1, 22,
		  "expected 'by' after 'signed', found 'P'");
	raw_fails("agreement a { signed by }", CM_ESYNTAX, 1, 25,
		  "expected a party id after 'signed by', found '}'");
	raw_fails("agreement a { ratified by P, }", CM_ESYNTAX, 1, 30,
		  "expected a party id after ',', found '}'");
	raw_fails("agreement a { signed by P on }", CM_ESYNTAX, 1, 30,
		  "expected a date after 'on'");
	raw_fails("agreement a { use }", CM_ESYNTAX, 1, 19,
		  "expected a policy name after 'use'");
	raw_fails("agreement a { use \"vclt\" }", CM_ESYNTAX, 1, 19,
		  "expected a policy name after 'use'");
	raw_fails("{", CM_ESYNTAX, 1, 1,
		  "expected 'agreement', 'policy', 'events' or 'import', found '{'");
	raw_fails("agreement a {}\n}", CM_ESYNTAX, 2, 1,
		  "expected 'agreement', 'policy', 'events' or 'import', found '}'");
	/* ids the model rejects: reserved and duplicate, at the id */
	raw_fails("agreement a { party all \"x\" }", CM_ESEMANTIC, 1, 21,
		  "'all' is reserved");
	raw_fails("agreement a { party P \"x\"\n commitment P { P must \"x\" }"
		  " }",
		  CM_ESEMANTIC, 2, 13, "duplicate id 'P'");
	raw_fails("agreement a { commitment debtor { P must \"x\" } }",
		  CM_ESEMANTIC, 1, 26, "'debtor' is reserved");
}
END_TEST

START_TEST(test_keywords_not_reserved)
{
	/* keywords name things where the grammar expects an id */
	cm_document *doc = raw_ok(
		"agreement agreement \"x\" {\n"
		"  party party \"p\"\n"
		"  party must \"m\"\n"
		"  commitment commitment { party must date(if: while) }\n"
		"  commitment if { must must not must(must: must) }\n"
		"  commitment to { party may \"x\" to must }\n"
		"}\n");
	struct cm_agreement *a = doc->agreements[0];
	ck_assert_str_eq(a->id, "agreement");
	ck_assert_str_eq(a->parties[0]->id, "party");
	struct cm_commitment *c = a->commitments[0];
	ck_assert_str_eq(c->id, "commitment");
	ck_assert_str_eq(c->debtor.s, "party");
	ck_assert_str_eq(c->action.type, "date");
	ck_assert_str_eq(c->action.attrs[0].name, "if");
	ck_assert_str_eq(c->action.attrs[0].value, "while");
	c = a->commitments[1];
	ck_assert_str_eq(c->debtor.s, "must");
	ck_assert_int_eq(c->modality, CM_MUST_NOT);
	ck_assert_str_eq(c->action.type, "must");
	c = a->commitments[2];
	ck_assert_str_eq(c->to.v[0].s, "must");
	cm_free(doc);
	/* but a missing debtor is reported as such */
	raw_fails("agreement a { commitment c { must x() } }", CM_ESYNTAX, 1,
		  30, "expected the debtor (a party id) at the start of "
		      "commitment 'c', found 'must'");
}
END_TEST

/* ---- commitments ------------------------------------------------------------ */

START_TEST(test_commitment_items)
{
	cm_document *doc = raw_ok(
		"agreement a {\n"
		"  commitment c {\n"
		"    P must deliver(what: \"grain\", n: 3, on: 2025-01-02, x: "
		"-1.5) by 2025-06-30\n"
		"    to Q, R to S\n"
		"    if a() if b()\n"
		"    while c() while d()\n"
		"    unless e() unless f()\n"
		"    reciprocal x, y reciprocal z\n"
		"    from 2025-01-01T08:00\n"
		"    until 2025-12-31\n"
		"    written\n"
		"    signed by P on 2025-01-01 signed by Q\n"
		"    witnessed by W1, W2 witnessed by W3\n"
		"    proposed by P, Q\n"
		"    note \"one\" note \"two \\\"2\\\"\"\n"
		"  }\n"
		"  commitment d { P must \"free text\" within 12h rejected by Q }\n"
		"  commitment e { P must x() by 2025-06-30T10:15 from 2025-01-01"
		" until 2025-02-01T00:00 }\n"
		"}\n");
	struct cm_agreement *a = doc->agreements[0];
	struct cm_commitment *c = a->commitments[0];
	ck_assert_int_eq(c->modality, CM_MUST);
	ck_assert_uint_eq(c->action.nattrs, 4);
	ck_assert_str_eq(attr(&c->action, 0)->value, "grain");
	ck_assert_int_eq(attr(&c->action, 0)->vkind, CM__V_STRING);
	ck_assert_str_eq(attr(&c->action, 1)->value, "3");
	ck_assert_int_eq(attr(&c->action, 1)->vkind, CM__V_NUMBER);
	ck_assert_str_eq(attr(&c->action, 2)->value, "2025-01-02");
	ck_assert_int_eq(attr(&c->action, 2)->vkind, CM__V_DATE);
	ck_assert_str_eq(attr(&c->action, 3)->value, "-1.5");
	/* by DATE is the inclusive last minute of that day */
	ck_assert_int_eq(c->by, eod("2025-06-30"));
	ck_assert_int_eq(c->by, day("2025-06-30") + 1439);
	ck_assert_int_eq(c->within, -1);
	POS(c->deadline_pos, 3, 66);
	ck_assert_uint_eq(c->to.n, 3);
	ck_assert_str_eq(c->to.v[2].s, "S");
	POS(c->to.v[2].pos, 4, 16);
	ck_assert_uint_eq(c->ifs.n, 2);
	POS(c->ifs.v[1].pos, 5, 12);
	ck_assert_str_eq(c->ifs.v[1].cond->act.type, "b");
	ck_assert_uint_eq(c->whiles.n, 2);
	ck_assert_uint_eq(c->unlesses.n, 2);
	ck_assert_str_eq(c->unlesses.v[1].cond->act.type, "f");
	ck_assert_uint_eq(c->reciprocal.n, 3);
	ck_assert_str_eq(c->reciprocal.v[2].s, "z");
	ck_assert_int_eq(c->from, day("2025-01-01") + 8 * 60);
	POS(c->from_pos, 9, 5);
	ck_assert_int_eq(c->until, eod("2025-12-31"));
	POS(c->until_pos, 10, 5);
	ck_assert_int_eq(c->form, CM_FORM_WRITTEN);
	ck_assert_uint_eq(c->sigs.n, 2);
	ck_assert_int_eq(c->sigs.v[0].on, day("2025-01-01"));
	ck_assert_int_eq(c->sigs.v[1].on, CM_TIME_NONE);
	ck_assert_uint_eq(c->witnesses.n, 3);
	ck_assert_int_eq(c->standing, CM_STANDING_PROPOSED);
	ck_assert(c->standing_set);
	ck_assert_uint_eq(c->standing_by.n, 2);
	POS(c->standing_by.v[1].pos, 14, 20);
	ck_assert_uint_eq(c->nnotes, 2);
	ck_assert_str_eq(c->notes[1], "two \"2\"");

	c = a->commitments[1];
	ck_assert(!c->is_action);
	ck_assert_str_eq(c->text, "free text");
	ck_assert_ptr_null(cm_commitment_action_type(c));
	ck_assert_int_eq(c->within, 720);
	ck_assert_int_eq(c->by, CM_TIME_NONE);
	ck_assert_int_eq(c->standing, CM_STANDING_REJECTED);
	ck_assert_str_eq(c->standing_by.v[0].s, "Q");
	ck_assert_int_eq(c->form, CM_FORM_DEFAULT);

	/* with a time: the exact minute, for by and until alike */
	c = a->commitments[2];
	ck_assert_int_eq(c->by, day("2025-06-30") + 10 * 60 + 15);
	ck_assert_int_eq(c->from, day("2025-01-01"));
	ck_assert_int_eq(c->until, day("2025-02-01"));
	cm_free(doc);
}
END_TEST

START_TEST(test_commitment_errors)
{
#define C(body) "agreement a {\n  commitment c {\n" body "\n  }\n}\n"
	raw_fails("agreement a { commitment { } }", CM_ESYNTAX, 1, 26,
		  "expected a commitment id after 'commitment', found '{'");
	raw_fails("agreement a { commitment c P must x() }", CM_ESYNTAX, 1, 28,
		  "expected '{' after commitment id 'c', found 'P'");
	raw_fails("agreement a { commitment c { } }", CM_ESYNTAX, 1, 30,
		  "expected the debtor (a party id) at the start of "
		  "commitment 'c', found '}'");
	raw_fails(C("    P shall x()"), CM_ESYNTAX, 3, 7,
		  "expected 'must' or 'may' after 'P', found 'shall'");
	raw_fails(C("    P must 5"), CM_ESYNTAX, 3, 12,
		  "expected an action pattern such as name(...) or a string, "
		  "found '5'");
	raw_fails(C("    P must x"), CM_ESYNTAX, 3, 12,
		  "expected an action pattern such as name(...) or a string, "
		  "found 'x'");
	raw_fails(C("    P must x() by 30d"), CM_ESYNTAX, 3, 19,
		  "expected a date after 'by', found '30d'");
	raw_fails(C("    P must x() within 2025-01-01"), CM_ESYNTAX, 3, 23,
		  "expected a duration (such as 30d or 12h) after 'within'");
	raw_fails(C("    P must x() by 2025-01-01 within 3d"), CM_ESEMANTIC, 3,
		  30, "deadline given twice ('within')");
	raw_fails(C("    P must x() within 3d by 2025-01-01"), CM_ESEMANTIC, 3,
		  26, "deadline given twice ('by')");
	raw_fails(C("    P must x()\n    from 2025-01-01 from 2025-01-02"),
		  CM_ESEMANTIC, 4, 21, "'from' given twice");
	raw_fails(C("    P must x()\n    until 2025-01-01\n    until "
		    "2025-01-01"),
		  CM_ESEMANTIC, 5, 5, "'until' given twice");
	raw_fails(C("    P must x() verbal written"), CM_ESEMANTIC, 3, 23,
		  "form given twice ('written')");
	raw_fails(C("    P must x() verbal verbal"), CM_ESEMANTIC, 3, 23,
		  "form given twice ('verbal')");
	raw_fails(C("    P must x() claimed proposed by P"), CM_ESEMANTIC, 3,
		  24, "standing given twice ('proposed')");
	raw_fails(C("    P must x() rejected by P rejected by Q"), CM_ESEMANTIC,
		  3, 30, "standing given twice ('rejected')");
	raw_fails(C("    P must x() proposed P"), CM_ESYNTAX, 3, 25,
		  "expected 'by' after 'proposed', found 'P'");
	raw_fails(C("    P must x() witnessed by"), CM_ESYNTAX, 4, 3,
		  "expected a party id after 'witnessed by', found '}'");
	raw_fails(C("    P must x() to"), CM_ESYNTAX, 4, 3,
		  "expected a party id after 'to', found '}'");
	raw_fails(C("    P must x() reciprocal \"y\""), CM_ESYNTAX, 3, 27,
		  "expected a commitment id after 'reciprocal', found string "
		  "\"y\"");
	raw_fails(C("    P must x() note y"), CM_ESYNTAX, 3, 21,
		  "expected a string after 'note', found 'y'");
	raw_fails(C("    P must x() from 2025"), CM_ESYNTAX, 3, 21,
		  "expected a date after 'from', found '2025'");
	raw_fails(C("    P must x() until"), CM_ESYNTAX, 4, 3,
		  "expected a date after 'until'");
	raw_fails(C("    P must x() whenever y()"), CM_ESYNTAX, 3, 16,
		  "expected a commitment item or '}', found 'whenever'");
	raw_fails("agreement a { commitment c { P must x()", CM_ESYNTAX, 1, 40,
		  "expected a commitment item or '}', found end of input");
#undef C
}
END_TEST

/* ---- actions --------------------------------------------------------------- */

START_TEST(test_action_errors)
{
#define A(act) "agreement a { commitment c { P must " act " } }"
	raw_fails(A("x(a: 1, a: 2)"), CM_ESEMANTIC, 1, 45,
		  "duplicate attribute 'a'");
	raw_fails(A("x(on: 1, by: P, on: 2)"), CM_ESEMANTIC, 1, 53,
		  "duplicate attribute 'on'");
	raw_fails(A("x(a 1)"), CM_ESYNTAX, 1, 41,
		  "expected ':' after attribute name 'a', found '1'");
	raw_fails(A("x(a: )"), CM_ESYNTAX, 1, 42,
		  "expected a value (identifier, string, number or date) for "
		  "'a', found ')'");
	raw_fails(A("x(a: 3d)"), CM_ESYNTAX, 1, 42, "found '3d'");
	raw_fails(A("x(a: 1 b: 2)"), CM_ESYNTAX, 1, 44,
		  "expected ',' or ')' in action 'x', found 'b'");
	raw_fails(A("x(a: 1,)"), CM_ESYNTAX, 1, 44,
		  "expected an attribute name, found ')'");
	raw_fails(A("x(\"a\": 1)"), CM_ESYNTAX, 1, 39,
		  "expected an attribute name, found string \"a\"");
	raw_fails(A("x(a: 1"), CM_ESYNTAX, 1, 44,
		  "expected ',' or ')' in action 'x', found '}'");
#undef A
}
END_TEST

/* ---- conditions ------------------------------------------------------------- */

static const struct cm_condition *cond_of(cm_document **doc, const char *c)
{
	char text[4096];
	snprintf(text, sizeof(text),
		 "agreement a { commitment c { P must x() if %s } }", c);
	*doc = raw_ok(text);
	return (*doc)->agreements[0]->commitments[0]->ifs.v[0].cond;
}

START_TEST(test_condition_shapes)
{
	cm_document *doc;
	/* or of and: and binds tighter; or is n-ary */
	const struct cm_condition *c =
		cond_of(&doc, "a() or b() and c() or d()");
	ck_assert_int_eq(c->type, CM_CT_OR);
	ck_assert_uint_eq(c->nkids, 3);
	ck_assert_int_eq(c->kids[0]->type, CM_CT_ACTION);
	ck_assert_int_eq(c->kids[1]->type, CM_CT_AND);
	ck_assert_uint_eq(c->kids[1]->nkids, 2);
	ck_assert_str_eq(c->kids[1]->kids[1]->act.type, "c");
	ck_assert_uint_eq(c->depth, 3);
	POS(c->pos, 1, 44);
	cm_free(doc);

	/* a parenthesized or inside an or is spliced in */
	c = cond_of(&doc, "a() or (b() or (c() or d())) or e()");
	ck_assert_int_eq(c->type, CM_CT_OR);
	ck_assert_uint_eq(c->nkids, 5);
	for (uint32_t i = 0; i < 5; i++)
		ck_assert_int_eq(c->kids[i]->type, CM_CT_ACTION);
	ck_assert_uint_eq(c->depth, 2);
	cm_free(doc);

	/* a long chain is one flat node */
	char big[4096] = "a()";
	for (int i = 0; i < 200; i++)
		strcat(big, " and a()");
	c = cond_of(&doc, big);
	ck_assert_int_eq(c->type, CM_CT_AND);
	ck_assert_uint_eq(c->nkids, 201);
	ck_assert_uint_eq(c->depth, 2);
	cm_free(doc);

	c = cond_of(&doc, "not not (true and false)");
	ck_assert_int_eq(c->type, CM_CT_NOT);
	POS(c->pos, 1, 44);
	ck_assert_int_eq(c->kids[0]->type, CM_CT_NOT);
	ck_assert_int_eq(c->kids[0]->kids[0]->type, CM_CT_AND);
	ck_assert_int_eq(c->kids[0]->kids[0]->kids[0]->type, CM_CT_TRUE);
	ck_assert_int_eq(c->kids[0]->kids[0]->kids[1]->type, CM_CT_FALSE);
	ck_assert_uint_eq(c->depth, 4);
	cm_free(doc);

	c = cond_of(&doc, "attack(from: AF) within 30d");
	ck_assert_int_eq(c->type, CM_CT_ACTION);
	ck_assert_int_eq(c->window, 43200);
	ck_assert_str_eq(c->act.attrs[0].value, "AF");
	cm_free(doc);

	c = cond_of(&doc, "attack()");
	ck_assert_int_eq(c->window, -1);
	ck_assert_uint_eq(c->act.nattrs, 0);
	cm_free(doc);
}
END_TEST

START_TEST(test_condition_atoms)
{
	cm_document *doc;
	static const char *states[] = {"pending", "active", "suspended",
				       "fulfilled", "violated", "expired"};
	for (int i = 0; i < 6; i++) {
		char t[64];
		snprintf(t, sizeof(t), "%s( x )", states[i]);
		const struct cm_condition *c = cond_of(&doc, t);
		ck_assert_int_eq(c->type, CM_CT_STATE);
		ck_assert_int_eq(c->which, i);
		ck_assert_str_eq(c->ref.s, "x");
		POS(c->ref.pos, 1, 46 + strlen(states[i]));
		cm_free(doc);
	}
	const struct cm_condition *c = cond_of(&doc, "written(x)");
	ck_assert_int_eq(c->type, CM_CT_FORM);
	ck_assert_int_eq(c->which, CM_FORM_ATOM_WRITTEN);
	cm_free(doc);
	c = cond_of(&doc, "signed(x)");
	ck_assert_int_eq(c->type, CM_CT_FORM);
	ck_assert_int_eq(c->which, CM_FORM_ATOM_SIGNED);
	cm_free(doc);
	/* anything else is an action */
	c = cond_of(&doc, "violated(by: X)");
	ck_assert_int_eq(c->type, CM_CT_ACTION);
	ck_assert_str_eq(c->act.type, "violated");
	cm_free(doc);
	c = cond_of(&doc, "signed()");
	ck_assert_int_eq(c->type, CM_CT_ACTION);
	cm_free(doc);
	raw_fails("agreement a { commitment c { P must x() if violated(a, b)"
		  " } }",
		  CM_ESYNTAX, 1, 54, "expected ':' after attribute name 'a'");
	raw_fails("agreement a { commitment c { P must x() if active(\"a\")"
		  " } }",
		  CM_ESYNTAX, 1, 51, "expected an attribute name");

	/* counts, every comparison */
	static const char *cmps[] = {">=", ">", "<=", "<", "==", "!="};
	for (int i = 0; i < 6; i++) {
		char t[96];
		snprintf(t, sizeof(t), "count(strike(on: AF)) %s 3 within 2d",
			 cmps[i]);
		c = cond_of(&doc, t);
		ck_assert_int_eq(c->type, CM_CT_COUNT);
		ck_assert_int_eq(c->cmp, i);
		ck_assert_int_eq(c->n, 3);
		ck_assert_int_eq(c->window, 2880);
		ck_assert_str_eq(c->act.type, "strike");
		POS(c->pos, 1, 44);
		cm_free(doc);
	}
	c = cond_of(&doc, "count (x()) == 0");
	ck_assert_int_eq(c->n, 0);
	ck_assert_int_eq(c->window, -1);
	cm_free(doc);
	c = cond_of(&doc, "count(x()) < 2147483647");
	ck_assert_int_eq(c->n, 2147483647);
	cm_free(doc);
	/* `count` not followed by '(' is no count */
	raw_fails("agreement a { commitment c { P must x() if count } }",
		  CM_ESYNTAX, 1, 44, "expected a condition, found 'count'");
	raw_fails("agreement a { commitment c { P must x() if count(x()) > "
		  "2147483648 } }",
		  CM_ERANGE, 1, 57,
		  "count bound '2147483648' is not an integer from 0 to "
		  "2147483647");
	raw_fails("agreement a { commitment c { P must x() if count(x()) > 1.5"
		  " } }",
		  CM_ERANGE, 1, 57, "count bound '1.5'");
	raw_fails("agreement a { commitment c { P must x() if count(x()) > -1"
		  " } }",
		  CM_ERANGE, 1, 57, "count bound '-1'");
	raw_fails("agreement a { commitment c { P must x() if count(x()) 3 } }",
		  CM_ESYNTAX, 1, 55,
		  "expected a comparison (>=, >, <=, <, == or !=) after "
		  "'count (...)', found '3'");
	raw_fails("agreement a { commitment c { P must x() if count(x()) > y }"
		  " }",
		  CM_ESYNTAX, 1, 57, "expected a number (the count bound)");
	raw_fails("agreement a { commitment c { P must x() if count(x() > 1 } }",
		  CM_ESYNTAX, 1, 54, "expected ')' after the action of 'count'");
	raw_fails("agreement a { commitment c { P must x() if count(3) > 1 } }",
		  CM_ESYNTAX, 1, 50, "expected an action name, found '3'");
}
END_TEST

START_TEST(test_condition_errors)
{
	raw_fails("agreement a { commitment c { P must x() if } }", CM_ESYNTAX,
		  1, 44, "expected a condition, found '}'");
	raw_fails("agreement a { commitment c { P must x() if y } }",
		  CM_ESYNTAX, 1, 44, "expected a condition, found 'y'");
	raw_fails("agreement a { commitment c { P must x() if a() and } }",
		  CM_ESYNTAX, 1, 52, "expected a condition, found '}'");
	raw_fails("agreement a { commitment c { P must x() if (a() } }",
		  CM_ESYNTAX, 1, 49, "expected ')' or 'and'/'or', found '}'");
	raw_fails("agreement a { commitment c { P must x() if not } }",
		  CM_ESYNTAX, 1, 48, "expected a condition");
	raw_fails("agreement a { commitment c { P must x() if a() within x }"
		  " }",
		  CM_ESYNTAX, 1, 55, "expected a duration");
	raw_fails("agreement a { commitment c { P must x() if \"s\" } }",
		  CM_ESYNTAX, 1, 44, "expected a condition, found string");
}
END_TEST

START_TEST(test_nesting)
{
	/* 256 levels of parentheses are fine, 257 are not */
	size_t n = 256;
	char *t = talloc_size(tctx, 4 * 200000 + 256);
	strcpy(t, "agreement a { commitment c { P must x() if ");
	size_t h = strlen(t);
	memset(t + h, '(', n);
	strcpy(t + h + n, "a()");
	memset(t + h + n + 3, ')', n);
	strcpy(t + h + 2 * n + 3, " } }");
	cm_document *doc = raw_ok(t);
	ck_assert_int_eq(doc->agreements[0]->commitments[0]->ifs.v[0].cond->type,
			 CM_CT_ACTION);
	cm_free(doc);
	n = 257;
	memset(t + h, '(', n);
	strcpy(t + h + n, "a()");
	memset(t + h + n + 3, ')', n);
	strcpy(t + h + 2 * n + 3, " } }");
	raw_fails(t, CM_ELIMIT, 1, (int)(h + 257),
		  "condition nested deeper than 256");
	/* 200,000 deep: a clean error, no deep recursion */
	n = 200000;
	memset(t + h, '(', n);
	strcpy(t + h + n, "a()");
	memset(t + h + n + 3, ')', n);
	strcpy(t + h + 2 * n + 3, " } }");
	raw_fails(t, CM_ELIMIT, 1, (int)(h + 257), "nested deeper");
	/* not chains count too */
	t[h] = '\0';
	for (int i = 0; i < 200000; i++)
		strcat(t + h + 4 * i, "not ");
	strcat(t + h + 4 * 200000, "a() } }");
	raw_fails(t, CM_ELIMIT, 1, (int)(h + 4 * 256 + 1), "nested deeper");
	/* 255 nots and a parenthesis: node depth 257 is too deep */
	t[h] = '\0';
	for (int i = 0; i < 255; i++)
		strcat(t + h + 4 * i, "not ");
	strcat(t + h + 4 * 255, "(a() and b()) } }");
	raw_fails(t, CM_ELIMIT, 1, (int)(h + 1), "nested deeper");
	talloc_free(t);
	/* the same through the builder entry point */
	struct cm__arena ar;
	cm__arena_init(&ar, tctx);
	char *c = talloc_size(tctx, 400004);
	memset(c, '(', 200000);
	strcpy(c + 200000, "a()");
	memset(c + 200003, ')', 200000);
	c[400003] = '\0';
	struct cm_condition *node;
	cm_error err;
	ck_assert_int_eq(cm__parse_condition(&ar, c, strlen(c), &node, &err),
			 CM_ELIMIT);
	ck_assert_int_eq(err.column, 257);
	talloc_free(c);
	cm__arena_release(&ar);
}
END_TEST

/* ---- rules and policies --------------------------------------------------------- */

START_TEST(test_rules)
{
	cm_document *doc = raw_ok(
		"agreement a {\n"
		"  require written\n"
		"  require signed by debtor for obligations\n"
		"  require witnessed by creditor for prohibitions\n"
		"  require ratified by all parties for permissions\n"
		"  require signed by any mediator for all\n"
		"  require signed by P, Q for c1\n"
		"  require registered\n"
		"  require dated\n"
		"  require verifiable for P\n"
		"  require parties state, organization, state\n"
		"  use un-registration\n"
		"}\n");
	const struct cm__rules *r = &doc->agreements[0]->rules;
	ck_assert_uint_eq(r->n, 11);
	ck_assert_int_eq(r->v[0].kind, CM__RULE_WRITTEN);
	ck_assert(!r->v[0].has_for);
	ck_assert_int_eq(r->v[0].selector, CM__SEL_ALL);
	ck_assert_ptr_null(r->v[0].policy);
	POS(r->v[0].pos, 2, 3);
	ck_assert_uint_eq(r->v[0].line, 2);
	ck_assert_int_eq(r->v[1].kind, CM__RULE_SIGNED);
	ck_assert_int_eq(r->v[1].who, CM__WHO_DEBTOR);
	ck_assert(r->v[1].has_for);
	POS(r->v[1].for_pos, 3, 28);
	ck_assert_int_eq(r->v[1].selector, CM__SEL_OBLIGATIONS);
	ck_assert_int_eq(r->v[2].kind, CM__RULE_WITNESSED);
	ck_assert_int_eq(r->v[2].who, CM__WHO_CREDITOR);
	ck_assert_int_eq(r->v[2].selector, CM__SEL_PROHIBITIONS);
	ck_assert_int_eq(r->v[3].kind, CM__RULE_RATIFIED);
	ck_assert_int_eq(r->v[3].who, CM__WHO_ALL_PARTIES);
	ck_assert_int_eq(r->v[3].selector, CM__SEL_PERMISSIONS);
	ck_assert_int_eq(r->v[4].who, CM__WHO_ANY_MEDIATOR);
	ck_assert_int_eq(r->v[4].selector, CM__SEL_ALL);
	ck_assert(r->v[4].has_for);
	ck_assert_int_eq(r->v[5].who, CM__WHO_IDS);
	ck_assert_uint_eq(r->v[5].ids.n, 2);
	ck_assert_str_eq(r->v[5].ids.v[1].s, "Q");
	POS(r->v[5].ids.v[1].pos, 7, 24);
	ck_assert_int_eq(r->v[5].selector, CM__SEL_ID);
	ck_assert_str_eq(r->v[5].sel_id.s, "c1");
	POS(r->v[5].sel_id.pos, 7, 30);
	ck_assert_int_eq(r->v[6].kind, CM__RULE_REGISTERED);
	ck_assert_int_eq(r->v[7].kind, CM__RULE_DATED);
	ck_assert_int_eq(r->v[8].kind, CM__RULE_VERIFIABLE);
	ck_assert_str_eq(r->v[8].sel_id.s, "P");
	ck_assert_int_eq(r->v[9].kind, CM__RULE_PARTIES);
	ck_assert_uint_eq(r->v[9].nkinds, 2);
	ck_assert_int_eq(r->v[9].kinds[0], CM_KIND_STATE);
	ck_assert_int_eq(r->v[9].kinds[1], CM_KIND_ORGANIZATION);
	ck_assert_int_eq(r->v[10].kind, CM__RULE_USE);
	ck_assert_str_eq(r->v[10].use.s, "un-registration");
	cm_free(doc);

	raw_fails("agreement a { require }", CM_ESYNTAX, 1, 23,
		  "expected a rule ('written', 'signed by', 'witnessed by', "
		  "'ratified by', 'registered', 'dated', 'verifiable' or "
		  "'parties'), found '}'");
	raw_fails("agreement a { require signed }", CM_ESYNTAX, 1, 30,
		  "expected 'by' after 'signed'");
	raw_fails("agreement a { require signed by all }", CM_ESYNTAX, 1, 37,
		  "expected 'parties' after 'all', found '}'");
	raw_fails("agreement a { require witnessed by any party }", CM_ESYNTAX,
		  1, 40, "expected 'mediator' after 'any', found 'party'");
	raw_fails("agreement a { require ratified by 3 }", CM_ESYNTAX, 1, 35,
		  "expected 'debtor', 'creditor', 'all parties', 'any mediator'"
		  " or party ids after 'ratified by', found '3'");
	raw_fails("agreement a { require parties }", CM_ESYNTAX, 1, 31,
		  "expected a party kind ('state', 'authority', 'organization',"
		  " 'armed-group' or 'person') after 'parties'");
	raw_fails("agreement a { require parties state, nation }", CM_ESYNTAX,
		  1, 38, "after ','");
	raw_fails("agreement a { require written for }", CM_ESYNTAX, 1, 35,
		  "expected a selector ('all', 'obligations', 'prohibitions', "
		  "'permissions', a party or a commitment id), found '}'");
}
END_TEST

START_TEST(test_policies)
{
	cm_document *doc = raw_ok(
		"policy mine \"My rules\" {\n"
		"  require written for obligations\n"
		"  require signed by debtor\n"
		"}\n"
		"policy empty { }\n");
	ck_assert_uint_eq(cm_document_policy_count(doc), 2);
	cm_policy *p = cm_document_policy(doc, 0);
	ck_assert_str_eq(cm_policy_id(p), "mine");
	ck_assert_str_eq(cm_policy_title(p), "My rules");
	POS(p->pos, 1, 1);
	ck_assert_str_eq(p->file, "test.cmt");
	ck_assert_uint_eq(cm_policy_requirement_count(p), 2);
	ck_assert_str_eq(p->rules.v[0].policy, "mine");
	ck_assert_uint_eq(p->rules.v[1].line, 3);
	ck_assert_int_eq(p->rules.v[0].selector, CM__SEL_OBLIGATIONS);
	ck_assert_ptr_null(cm_document_policy(doc, 1)->title);
	ck_assert_uint_eq(cm_policy_requirement_count(cm_document_policy(doc, 1)),
			  0);
	ck_assert_uint_eq(doc->ntops, 2);
	ck_assert_int_eq(doc->tops[1].kind, CM__TOP_POLICY);
	ck_assert_uint_eq(doc->tops[1].index, 1);

	/* a duplicate across texts of one document */
	cm_error err;
	const char *again = "\n  policy mine { }";
	ck_assert_int_eq(cm_document_add_text(doc, again, strlen(again), "two.cmt",
					&err),
			 CM_ESEMANTIC);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.column, 10);
	ck_assert_str_eq(err.file, "two.cmt");
	ck_assert_str_eq(err.message, "duplicate policy 'mine' (first defined "
				      "at test.cmt:1)");
	ck_assert_uint_eq(cm_document_policy_count(doc), 2);
	cm_free(doc);

	raw_fails("policy a { }\npolicy b { }\npolicy a { }", CM_ESEMANTIC, 3,
		  8, "duplicate policy 'a' (first defined at test.cmt:1)");
	raw_fails("policy vclt { }", CM_ESEMANTIC, 1, 8,
		  "'vclt' is a shipped policy and cannot be redefined");
	raw_fails("policy un-registration { }", CM_ESEMANTIC, 1, 8,
		  "'un-registration' is a shipped policy");
	raw_fails("policy written-only \"x\" { }", CM_ESEMANTIC, 1, 8,
		  "'written-only' is a shipped policy");
	raw_fails("policy p { use vclt }", CM_ESYNTAX, 1, 12,
		  "expected 'require' or '}' in a policy, found 'use'");
	raw_fails("policy { }", CM_ESYNTAX, 1, 8,
		  "expected a policy id after 'policy', found '{'");
	raw_fails("policy p \"t\" require", CM_ESYNTAX, 1, 14,
		  "expected '{' after the policy's title, found 'require'");
	raw_fails("policy p { require written", CM_ESYNTAX, 1, 27,
		  "expected 'require' or '}' in a policy, found end of input");

	/* the shipped policies parse, with their names */
	for (size_t i = 0; i < cm_policy_builtin_count(); i++) {
		cm_policy *bp;
		ck_assert_int_eq(cm_policy_builtin(tctx, cm_policy_builtin_name(i),
						   &bp, &err),
				 CM_OK);
		ck_assert_uint_gt(cm_policy_requirement_count(bp), 0);
		cm_free(bp);
	}
}
END_TEST

/* ---- events ----------------------------------------------------------------- */

START_TEST(test_events_blocks)
{
	cm_document *doc = raw_ok(
		"events {\n"
		"  2025-11-20 attack(by: TTP, from: AF, on: PK, at: \"Orakzai\")"
		" reported by PK denied by AF\n"
		"  2025-11-20 talk() \"a note\" verified by QA, TR reported by "
		"PK, TR\n"
		"  2025-11-21T06:30 strike(by: PK)\n"
		"}\n"
		"agreement a {\n"
		"  events { 2025-01-02 x() }\n"
		"  events { 2025-01-01 y() 2025-01-01 z() }\n"
		"}\n"
		"events { }\n"
		"events { 2020-01-01 early() }\n");
	ck_assert_uint_eq(cm_document_event_count(doc), 4);
	const cm_event *e = cm_document_event(doc, 0);
	ck_assert_int_eq(e->time, day("2025-11-20"));
	ck_assert_uint_eq(e->line, 2);
	POS(e->pos, 2, 3);
	ck_assert_str_eq(e->file, "test.cmt");
	ck_assert_str_eq(e->act.type, "attack");
	POS(e->act.pos, 2, 14);
	ck_assert_uint_eq(e->act.nattrs, 4);
	ck_assert_str_eq(e->act.attrs[3].value, "Orakzai");
	ck_assert_ptr_null(e->note);
	ck_assert_uint_eq(e->reported.n, 1);
	ck_assert_str_eq(e->reported.v[0].s, "PK");
	POS(e->reported.v[0].pos, 2, 75);
	ck_assert_uint_eq(e->denied.n, 1);
	ck_assert_str_eq(e->denied.v[0].s, "AF");
	ck_assert_uint_eq(e->verified.n, 0);
	e = cm_document_event(doc, 1);
	ck_assert_str_eq(e->note, "a note");
	ck_assert_uint_eq(e->verified.n, 2);
	ck_assert_uint_eq(e->reported.n, 2);
	ck_assert_str_eq(e->reported.v[1].s, "TR");
	e = cm_document_event(doc, 2);
	ck_assert_int_eq(e->time, day("2025-11-21") + 6 * 60 + 30);
	/* order is per block: a later block may start earlier */
	e = cm_document_event(doc, 3);
	ck_assert_int_eq(e->time, day("2020-01-01"));

	struct cm_agreement *a = cm_document_agreement(doc, 0);
	ck_assert_uint_eq(cm_agreement_event_count(a), 3);
	ck_assert_str_eq(cm_agreement_event(a, 0)->act.type, "x");
	ck_assert_str_eq(cm_agreement_event(a, 0)->file, "test.cmt");
	ck_assert_str_eq(cm_agreement_event(a, 2)->act.type, "z");
	ck_assert_uint_eq(cm_agreement_event(a, 2)->line, 8);

	ck_assert_uint_eq(doc->ntops, 4);
	ck_assert_int_eq(doc->tops[0].kind, CM__TOP_EVENTS);
	ck_assert_uint_eq(doc->tops[0].index, 0);
	ck_assert_uint_eq(doc->tops[0].count, 3);
	ck_assert_int_eq(doc->tops[1].kind, CM__TOP_AGREEMENT);
	ck_assert_uint_eq(doc->tops[2].index, 3);
	ck_assert_uint_eq(doc->tops[2].count, 0);
	POS(doc->tops[2].pos, 10, 1);
	ck_assert_uint_eq(doc->tops[3].index, 3);
	ck_assert_uint_eq(doc->tops[3].count, 1);

	/* a second text appends, with its own file and indexes */
	cm_error err;
	const char *more = "events { 2021-01-01 later() }";
	ck_assert_int_eq(cm_document_add_text(doc, more, strlen(more), "more.cmt",
					&err),
			 CM_OK);
	ck_assert_uint_eq(cm_document_event_count(doc), 5);
	ck_assert_str_eq(cm_document_event(doc, 4)->file, "more.cmt");
	ck_assert_uint_eq(doc->tops[4].index, 4);
	ck_assert_str_eq(doc->tops[4].file, "more.cmt");
	cm_free(doc);
}
END_TEST

START_TEST(test_events_errors)
{
	raw_fails("events {\n  2025-01-02 a()\n  2025-01-01 b()\n}",
		  CM_EORDER, 3, 3,
		  "event at 2025-01-01T00:00Z is earlier than the event "
		  "before it (2025-01-02T00:00Z)");
	raw_fails("events { 2025-01-01T10:00 a() 2025-01-01 b() }", CM_EORDER,
		  1, 31, "is earlier");
	raw_fails("agreement a { events { 2025-01-02 a() 2025-01-01 b() } }",
		  CM_EORDER, 1, 39, "is earlier");
	raw_fails("events { 2025-01-01 a() reported by P, Q denied by Q }",
		  CM_ESEMANTIC, 1, 52, "party 'Q' both reports and denies event 'a'");
	raw_fails("events { 2025-01-01 a() denied by Q reported by R, Q }",
		  CM_ESEMANTIC, 1, 52, "party 'Q' both reports and denies event 'a'");
	raw_fails("events { 2025-01-01 a(on: P, on: Q) }", CM_ESEMANTIC, 1, 30,
		  "duplicate attribute 'on'");
	raw_fails("events { a() }", CM_ESYNTAX, 1, 10,
		  "expected an event date or '}', found 'a'");
	raw_fails("events { 2025-01-01 }", CM_ESYNTAX, 1, 21,
		  "expected an action name, found '}'");
	raw_fails("events { 2025-01-01 a() reported P }", CM_ESYNTAX, 1, 34,
		  "expected 'by' after 'reported', found 'P'");
	raw_fails("events { 2025-01-01 a() verified by }", CM_ESYNTAX, 1, 37,
		  "expected a party id after 'verified by'");
	raw_fails("events { 2025-01-01 a() \"n\" \"m\" }", CM_ESYNTAX, 1, 29,
		  "expected an event date or '}', found string \"m\"");
	raw_fails("events 2025-01-01 a()", CM_ESYNTAX, 1, 8,
		  "expected '{' after 'events'");
	raw_fails("events { 2025-01-01 a()", CM_ESYNTAX, 1, 24,
		  "expected an event date or '}', found end of input");
	raw_fails("events { 2025-02-29 a() }", CM_ERANGE, 1, 10,
		  "date 2025-02-29 does not exist");
}
END_TEST

/* ---- comments, lexical errors through the parser ------------------------------- */

START_TEST(test_comments_recorded)
{
	cm_document *doc = raw_ok("# head\n"
				  "agreement a { # after brace\n"
				  "  # inside\n"
				  "}  # trailing\n"
				  "# tail");
	ck_assert_uint_eq(doc->ncomments, 5);
	ck_assert_str_eq(doc->comments[1].text, "# after brace");
	ck_assert(!doc->comments[1].own_line);
	POS(doc->comments[1].pos, 2, 15);
	ck_assert(doc->comments[2].own_line);
	ck_assert(!doc->comments[3].own_line);
	ck_assert_str_eq(doc->comments[4].text, "# tail");
	ck_assert(doc->comments[4].own_line);
	ck_assert_str_eq(doc->comments[4].file, "test.cmt");
	cm_free(doc);
	/* a text with only comments */
	doc = raw_ok("# only\n");
	ck_assert_uint_eq(doc->ncomments, 1);
	ck_assert_uint_eq(doc->ntops, 0);
	cm_free(doc);
}
END_TEST

START_TEST(test_lexical_errors)
{
	parse_fails("agreement a \"unterminated {\n}", CM_ESYNTAX, 1, 13,
		    "unterminated string");
	parse_fails("agreement a \"bad \\q\" {}", CM_ESYNTAX, 1, 18,
		    "invalid escape '\\q'");
	parse_fails("agreement a {\n  party P \"Ü\xff\" }", CM_ESYNTAX, 2, 13,
		    "invalid UTF-8 byte 0xff");
	parse_fails("agreement a { date 2025-02-30 }", CM_ERANGE, 1, 20,
		    "date 2025-02-30 does not exist");
	parse_fails("agreement a { commitment c { P must x() within "
		    "99999999999999999999d } }",
		    CM_ERANGE, 1, 48, "out of range");
	parse_fails("agreement a { $ }", CM_ESYNTAX, 1, 15,
		    "unexpected character '$'");
	parse_fails("# \xc3\x28\n", CM_ESYNTAX, 1, 3, "invalid UTF-8 byte 0xc3");
	/* an error in a later agreement wins nothing from the first */
	parse_fails("agreement a { }\nagreement b { x }", CM_ESYNTAX, 2, 15,
		    "expected an agreement item or '}', found 'x'");
}
END_TEST

/* ---- atomicity ------------------------------------------------------------------ */

START_TEST(test_atomic)
{
	cm_document *doc;
	cm_error err;
	ck_assert_int_eq(cm_document_new(tctx, &doc, &err), CM_OK);
	const char *good = "# c\npolicy p { require written }\n"
			   "agreement a { party P \"p\" }\nevents { 2025-01-01 "
			   "x() }";
	ck_assert_int_eq(cm_document_add_text(doc, good, strlen(good), "g.cmt",
					      &err),
			 CM_OK);
	size_t blocks = cm__block_count(doc);
	/* valid items first, then an error: nothing of it stays */
	const char *bad = "# more\npolicy q { require dated }\n"
			  "agreement b { party Q \"q\" commitment c { Q must "
			  "y() } }\nevents { 2025-01-01 y() }\n"
			  "agreement c { oops }";
	ck_assert_int_eq(cm_document_add_text(doc, bad, strlen(bad), "b.cmt",
					      &err),
			 CM_ESYNTAX);
	ck_assert_int_eq(err.line, 5);
	ck_assert_int_eq(err.column, 15);
	ck_assert_uint_eq(cm_document_agreement_count(doc), 1);
	ck_assert_uint_eq(cm_document_policy_count(doc), 1);
	ck_assert_uint_eq(cm_document_event_count(doc), 1);
	ck_assert_uint_eq(doc->ncomments, 1);
	ck_assert_uint_eq(doc->ntops, 3);
	ck_assert_uint_eq(cm__block_count(doc), blocks);
	/* and a policy clash with the first text */
	const char *clash = "agreement z { }\npolicy p { }";
	ck_assert_int_eq(cm_document_add_text(doc, clash, strlen(clash),
					      "c.cmt", &err),
			 CM_ESEMANTIC);
	ck_assert_uint_eq(cm_document_agreement_count(doc), 1);
	ck_assert_uint_eq(cm__block_count(doc), blocks);
	/* a failed cm_parse returns no document and leaks nothing */
	cm_document *d2 = NULL;
	ck_assert_int_eq(cm_parse(tctx, bad, strlen(bad), "b.cmt", &d2, &err),
			 CM_ESYNTAX);
	ck_assert_ptr_null(d2);
	cm_free(doc);
}
END_TEST

/* ---- builder entry points ----------------------------------------------------- */

START_TEST(test_builder_entry_points)
{
	struct cm__arena ar;
	cm__arena_init(&ar, tctx);
	cm_error err;
	struct cm__action act;
	const char *s = "strike(on: AF, n: \"3\")";
	ck_assert_int_eq(cm__parse_action(&ar, s, strlen(s), &act, &err), CM_OK);
	ck_assert_str_eq(act.type, "strike");
	ck_assert_uint_eq(act.nattrs, 2);
	ck_assert_str_eq(act.attrs[1].value, "3");
	POS(act.attrs[1].pos, 1, 16);
	s = "strike() extra";
	ck_assert_int_eq(cm__parse_action(&ar, s, strlen(s), &act, &err),
			 CM_ESYNTAX);
	ck_assert_int_eq(err.line, 1);
	ck_assert_int_eq(err.column, 10);
	ck_assert_str_eq(err.file, "");
	ck_assert_str_eq(err.message,
			 "expected end of the action, found 'extra'");
	s = "";
	ck_assert_int_eq(cm__parse_action(&ar, s, 0, &act, &err), CM_ESYNTAX);
	ck_assert_str_eq(err.message,
			 "expected an action name, found end of input");

	struct cm_condition *c;
	s = "not attack(from: AF, on: PK) within 30d or violated(x)";
	ck_assert_int_eq(cm__parse_condition(&ar, s, strlen(s), &c, &err),
			 CM_OK);
	ck_assert_int_eq(c->type, CM_CT_OR);
	ck_assert_int_eq(c->kids[0]->type, CM_CT_NOT);
	ck_assert_int_eq(c->kids[0]->kids[0]->window, 43200);
	ck_assert_int_eq(c->kids[1]->type, CM_CT_STATE);
	s = "a() b()";
	ck_assert_int_eq(cm__parse_condition(&ar, s, strlen(s), &c, &err),
			 CM_ESYNTAX);
	ck_assert_int_eq(err.column, 5);
	ck_assert_str_eq(err.message, "expected 'and', 'or' or end of the "
				      "condition, found 'b'");

	struct cm__rule r;
	ck_assert_int_eq(cm__parse_rule(&ar, "signed by P, Q", "obligations", &r,
					&err),
			 CM_OK);
	ck_assert_int_eq(r.kind, CM__RULE_SIGNED);
	ck_assert_int_eq(r.who, CM__WHO_IDS);
	ck_assert_uint_eq(r.ids.n, 2);
	POS(r.ids.v[1].pos, 1, 14);
	ck_assert(r.has_for);
	ck_assert_int_eq(r.selector, CM__SEL_OBLIGATIONS);
	ck_assert_uint_eq(r.line, 0);
	ck_assert_int_eq(cm__parse_rule(&ar, "parties state", NULL, &r, &err),
			 CM_OK);
	ck_assert(!r.has_for);
	ck_assert_int_eq(r.selector, CM__SEL_ALL);
	ck_assert_int_eq(cm__parse_rule(&ar, "written", "P", &r, &err), CM_OK);
	ck_assert_int_eq(r.selector, CM__SEL_ID);
	ck_assert_str_eq(r.sel_id.s, "P");
	ck_assert_int_eq(cm__parse_rule(&ar, "written dated", NULL, &r, &err),
			 CM_ESYNTAX);
	ck_assert_int_eq(err.column, 9);
	ck_assert_int_eq(cm__parse_rule(&ar, "written", "all x", &r, &err),
			 CM_ESYNTAX);
	ck_assert_int_eq(err.column, 5);
	ck_assert_str_eq(err.message,
			 "expected end of the selector, found 'x'");
	ck_assert_int_eq(cm__parse_rule(&ar, "signed by", NULL, &r, &err),
			 CM_ESYNTAX);
	cm__arena_release(&ar);

	/* and through the public builder */
	cm_agreement *a;
	ck_assert_int_eq(cm_agreement_new(tctx, "a", NULL, &a, &err), CM_OK);
	cm_commitment *cm;
	ck_assert_int_eq(cm_agreement_add_commitment(a, "c", "P", CM_MUST, &cm,
						     &err),
			 CM_OK);
	ck_assert_int_eq(cm_commitment_set_action(cm, "x(a: 1, a: 2)", &err),
			 CM_ESEMANTIC);
	ck_assert_int_eq(err.column, 9);
	ck_assert_int_eq(cm_commitment_add_condition(cm, CM_COND_IF,
						     "active(c) and", &err),
			 CM_ESYNTAX);
	ck_assert_int_eq(cm_commitment_add_condition(cm, CM_COND_WHILE,
						     "count(x()) >= 2", &err),
			 CM_OK);
	ck_assert_int_eq(cm->whiles.v[0].cond->type, CM_CT_COUNT);
	cm_free(a);
}
END_TEST

/* ---- robustness: any bytes give a model or an error --------------------------- */

START_TEST(test_any_bytes)
{
	size_t n = strlen(example);
	char *buf = talloc_size(tctx, n + 1);
	unsigned seed = 12345;
	for (int iter = 0; iter < 3000; iter++) {
		memcpy(buf, example, n + 1);
		int muts = 1 + iter % 4;
		for (int m = 0; m < muts; m++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % n;
			seed = seed * 1103515245u + 12345u;
			buf[at] = (char)(seed >> 16);
		}
		size_t len = iter % 7 == 0 ? (seed >> 4) % n : n;
		cm_document *doc;
		cm_error err;
		ck_assert_int_eq(cm_document_new(tctx, &doc, &err), CM_OK);
		int rc = cm_document_add_text(doc, buf, len, "fuzz.cmt", &err);
		if (rc != CM_OK) {
			ck_assert_int_lt(rc, 0);
			ck_assert_int_gt(err.line, 0);
			ck_assert_int_gt(err.column, 0);
			ck_assert_uint_eq(doc->nagreements, 0);
		}
		cm_free(doc);
	}
	talloc_free(buf);
}
END_TEST

/* ---- the streaming event reader --------------------------------------------- */

static int read_all(struct cm__event_reader *r, cm_error *err, size_t *n,
		    cm_time *last)
{
	const struct cm_event *ev;
	int rc;
	*n = 0;
	while ((rc = cm__event_reader_next(r, &ev, err)) == 1) {
		(*n)++;
		*last = ev->time;
	}
	return rc;
}

START_TEST(test_reader_memory)
{
	const char *text = "# header\n"
			   "2025-01-01 a(x: 1) \"note\" reported by P\n"
			   "\n"
			   "2025-01-01T10:00 b(y: \"z\",\n"
			   "   w: 2025-01-01)\n"
			   "   verified by Q # trailing\n"
			   "2025-01-02 c()";
	struct cm__event_reader *r;
	cm_error err;
	ck_assert_int_eq(cm__event_reader_memory(tctx, text, strlen(text),
						 "mem.ev", &r, &err),
			 CM_OK);
	const struct cm_event *ev;
	ck_assert_int_eq(cm__event_reader_next(r, &ev, &err), 1);
	ck_assert_str_eq(ev->act.type, "a");
	ck_assert_str_eq(ev->act.attrs[0].value, "1");
	ck_assert_str_eq(ev->note, "note");
	ck_assert_str_eq(ev->reported.v[0].s, "P");
	POS(ev->reported.v[0].pos, 2, 39);
	ck_assert_uint_eq(ev->line, 2);
	ck_assert_str_eq(ev->file, "mem.ev");
	ck_assert_int_eq(cm__event_reader_next(r, &ev, &err), 1);
	ck_assert_str_eq(ev->act.type, "b");
	ck_assert_int_eq(ev->time, day("2025-01-01") + 600);
	ck_assert_uint_eq(ev->act.nattrs, 2);
	POS(ev->act.attrs[1].pos, 5, 4);
	ck_assert_str_eq(ev->verified.v[0].s, "Q");
	ck_assert_uint_eq(ev->line, 4);
	ck_assert_int_eq(cm__event_reader_next(r, &ev, &err), 1);
	ck_assert_str_eq(ev->act.type, "c");
	ck_assert_int_eq(cm__event_reader_next(r, &ev, &err), 0);
	ck_assert_int_eq(cm__event_reader_next(r, &ev, &err), 0);
	cm_free(r);

	/* empty and blank sources */
	ck_assert_int_eq(cm__event_reader_memory(tctx, "", 0, "e", &r, &err),
			 CM_OK);
	ck_assert_int_eq(cm__event_reader_next(r, &ev, &err), 0);
	cm_free(r);
	ck_assert_int_eq(cm__event_reader_memory(tctx, " # x\n\n", 6, "e", &r,
						 &err),
			 CM_OK);
	ck_assert_int_eq(cm__event_reader_next(r, &ev, &err), 0);
	cm_free(r);
}
END_TEST

static void reader_fails(const char *text, int code, int line, int col,
			 const char *needle, size_t good)
{
	struct cm__event_reader *r;
	cm_error err;
	ck_assert_int_eq(cm__event_reader_memory(tctx, text, strlen(text),
						 "m.ev", &r, &err),
			 CM_OK);
	size_t n;
	cm_time last;
	int rc = read_all(r, &err, &n, &last);
	ck_assert_msg(rc == code, "rc %d, want %d: %s", rc, code, err.message);
	ck_assert_uint_eq(n, good);
	ck_assert_msg(err.line == line && err.column == col,
		      "error at %d:%d, want %d:%d: %s", err.line, err.column,
		      line, col, err.message);
	ck_assert_str_eq(err.file, "m.ev");
	ck_assert_msg(strstr(err.message, needle), "message '%s' lacks '%s'",
		      err.message, needle);
	/* a failed reader stays failed */
	const struct cm_event *ev;
	ck_assert_int_lt(cm__event_reader_next(r, &ev, &err), 0);
	cm_free(r);
}

START_TEST(test_reader_errors)
{
	reader_fails("2025-01-02 a()\n2025-01-01 b()\n", CM_EORDER, 2, 1,
		     "event at 2025-01-01T00:00Z is earlier than the event "
		     "before it (2025-01-02T00:00Z)", 1);
	reader_fails("2025-01-01 a()\nb()\n", CM_ESYNTAX, 2, 1,
		     "expected an event date, 'reported', 'denied', 'verified' "
		     "or end of input, found 'b'", 1);
	reader_fails("x()\n", CM_ESYNTAX, 1, 1,
		     "expected an event date, found 'x'", 0);
	reader_fails("2025-01-01 a() reported by P denied by P", CM_ESEMANTIC,
		     1, 40, "party 'P' both reports and denies event 'a'", 0);
	reader_fails("2025-01-01 a()\n2025-01-01 b(\n", CM_ESYNTAX, 2, 14,
		     "expected an attribute name, found end of input", 1);
	reader_fails("2025-01-01 a()\n2025-13-01 b()\n", CM_ERANGE, 2, 1,
		     "date 2025-13-01 does not exist", 1);
	reader_fails("2025-01-01 a() }", CM_ESYNTAX, 1, 16, "found '}'", 1);
}
END_TEST

/* Write @p text to a new temporary file; returns its path (static). */
static const char *temp_file(const char *text, size_t len)
{
	static char path[64];
	strcpy(path, "/tmp/check_parser-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "wb");
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	fclose(f);
	return path;
}

START_TEST(test_reader_file)
{
	/* ~3.5 MiB of varied events: many chunk boundaries fall inside
	 * tokens, strings, comments and multi-line events */
	struct cm__buf b;
	cm__buf_init(&b, tctx);
	size_t lines = 0, events = 40000;
	cm_time t0 = day("2025-01-01");
	for (size_t i = 0; i < events; i++) {
		char date[24];
		cm_time_format(t0 + (cm_time)i, date, sizeof(date));
		date[16] = '\0'; /* drop the Z */
		switch (i % 4) {
		case 0:
			cm__buf_printf(&b, "%s attack(by: TTP, from: AF, on: PK)"
					   " reported by PK\n", date);
			lines += 1;
			break;
		case 1:
			cm__buf_printf(&b, "# comment ü %zu\n%s strike(on: AF,\n"
					   "    n: %zu) \"é \\\"q\\\"\"\n"
					   "  verified by QA, TR\n",
				       i, date, i);
			lines += 4;
			break;
		case 2:
			cm__buf_printf(&b, "\n%s x-1(a_b: \"%.*s\")\n", date,
				       (int)(i % 40), "üüüüüüüüüüüüüüüüüüüüüüüüü"
						      "üüüüüüüüüüüüüüü");
			lines += 2;
			break;
		default:
			cm__buf_printf(&b, "%s talk()\n", date);
			lines += 1;
		}
	}
	char *text;
	size_t len = b.len;
	ck_assert_int_eq(cm__buf_finish(&b, tctx, &text), 0);
	ck_assert_uint_gt(len, 2u << 20);
	const char *path = temp_file(text, len);

	struct cm__event_reader *rf, *rm;
	cm_error err;
	ck_assert_int_eq(cm__event_reader_open(tctx, path, &rf, &err), CM_OK);
	ck_assert_int_eq(cm__event_reader_memory(tctx, text, len, path, &rm,
						 &err),
			 CM_OK);
	size_t n = 0;
	for (;;) {
		const struct cm_event *ef, *em;
		int a = cm__event_reader_next(rf, &ef, &err);
		ck_assert_msg(a >= 0, "%d:%d: %s", err.line, err.column,
			      err.message);
		int c = cm__event_reader_next(rm, &em, &err);
		ck_assert_int_eq(a, c);
		if (!a)
			break;
		n++;
		ck_assert_int_eq(ef->time, em->time);
		ck_assert_uint_eq(ef->line, em->line);
		POS(ef->pos, em->pos.line, em->pos.col);
		ck_assert_str_eq(ef->act.type, em->act.type);
		ck_assert_uint_eq(ef->act.nattrs, em->act.nattrs);
		for (uint32_t i = 0; i < ef->act.nattrs; i++) {
			ck_assert_str_eq(ef->act.attrs[i].name,
					 em->act.attrs[i].name);
			ck_assert_str_eq(ef->act.attrs[i].value,
					 em->act.attrs[i].value);
			POS(ef->act.attrs[i].pos, em->act.attrs[i].pos.line,
			    em->act.attrs[i].pos.col);
		}
		ck_assert_int_eq(!ef->note, !em->note);
		if (ef->note)
			ck_assert_str_eq(ef->note, em->note);
		ck_assert_uint_eq(ef->reported.n, em->reported.n);
		ck_assert_uint_eq(ef->verified.n, em->verified.n);
		if (ef->verified.n)
			ck_assert_str_eq(ef->verified.v[1].s, "TR");
		ck_assert_str_eq(ef->file, path);
	}
	ck_assert_uint_eq(n, events);
	cm_free(rf);
	cm_free(rm);

	/* a malformed event deep in the file reports its own line */
	char *bad = strstr(text + len - 200000, "talk()");
	ck_assert_ptr_nonnull(bad);
	size_t bad_line = 1;
	for (const char *p = text; p < bad; p++)
		bad_line += *p == '\n';
	bad[4] = '{';
	unlink(path);
	path = temp_file(text, len);
	ck_assert_int_eq(cm__event_reader_open(tctx, path, &rf, &err), CM_OK);
	cm_time last;
	ck_assert_int_eq(read_all(rf, &err, &n, &last), CM_ESYNTAX);
	ck_assert_int_eq(err.line, (int)bad_line);
	ck_assert_int_eq(err.column, 22);
	ck_assert_str_eq(err.message,
			 "expected '(' after action name 'talk', found '{'");
	ck_assert_str_eq(err.file, path);
	cm_free(rf);
	unlink(path);
	(void)lines;

	/* out of order deep in a file */
	bad[4] = 'k';
	char *sw = strstr(text + len / 2, "\n2025-");
	ck_assert_ptr_nonnull(sw);
	memcpy(sw + 1, "2024", 4);
	size_t sw_line = 2;
	for (const char *p = text; p < sw; p++)
		sw_line += *p == '\n';
	path = temp_file(text, len);
	ck_assert_int_eq(cm__event_reader_open(tctx, path, &rf, &err), CM_OK);
	ck_assert_int_eq(read_all(rf, &err, &n, &last), CM_EORDER);
	ck_assert_int_eq(err.line, (int)sw_line);
	ck_assert_int_eq(err.column, 1);
	cm_free(rf);
	unlink(path);
	talloc_free(text);

	/* a missing file */
	ck_assert_int_eq(cm__event_reader_open(tctx, "/nonexistent/x.ev", &rf,
					       &err),
			 CM_EIO);
	ck_assert_str_eq(err.file, "/nonexistent/x.ev");
}
END_TEST

START_TEST(test_reader_long_event)
{
	/* one event longer than the reader's 1 MiB window */
	size_t big = (3u << 20) / 2;
	char *text = talloc_size(tctx, big + 200);
	strcpy(text, "2025-01-01 a()\n2025-01-02 long(s: \"");
	size_t h = strlen(text);
	memset(text + h, 'x', big);
	strcpy(text + h + big, "\") reported by P\n2025-01-03 after()\n");
	size_t len = strlen(text);
	const char *path = temp_file(text, len);
	struct cm__event_reader *r;
	cm_error err;
	ck_assert_int_eq(cm__event_reader_open(tctx, path, &r, &err), CM_OK);
	const struct cm_event *ev;
	ck_assert_int_eq(cm__event_reader_next(r, &ev, &err), 1);
	ck_assert_int_eq(cm__event_reader_next(r, &ev, &err), 1);
	ck_assert_str_eq(ev->act.type, "long");
	ck_assert_uint_eq(strlen(ev->act.attrs[0].value), big);
	ck_assert_str_eq(ev->reported.v[0].s, "P");
	ck_assert_int_eq(cm__event_reader_next(r, &ev, &err), 1);
	ck_assert_str_eq(ev->act.type, "after");
	ck_assert_uint_eq(ev->line, 3);
	ck_assert_int_eq(cm__event_reader_next(r, &ev, &err), 0);
	cm_free(r);
	unlink(path);
	talloc_free(text);
}
END_TEST

/* ---- allocation failures ----------------------------------------------------- */

#ifdef CM_FAULT_INJECTION
static const char busy_text[] =
	"# a comment\n"
	"policy stance \"A stance\" { require written for obligations\n"
	"  require signed by debtor }\n"
	"events { 2025-11-20 attack(by: TTP, from: AF, on: PK) \"n\"\n"
	"  reported by PK denied by AF }\n"
	"agreement b {\n"
	"  party PK \"P\" state party AF \"A\"\n"
	"  signed by PK on 2025-01-01 ratified by AF registered\n"
	"  require parties state, person\n"
	"  require signed by PK, AF for c1\n"
	"  use stance\n"
	"  commitment c1 { PK must x(a: 1, b: \"two\") by 2025-02-01\n"
	"    to AF if (a() or b()) and not count(c()) > 2 within 3d\n"
	"    while active(c1) unless violated(c1) reciprocal c1\n"
	"    witnessed by AF signed by PK proposed by PK note \"n\" }\n"
	"  events { 2025-01-01 y() verified by AF }\n"
	"}\n";

START_TEST(test_allocation_failures)
{
	long n;
	for (n = 1;; n++) {
		cm_document *doc;
		cm_error err;
		ck_assert_int_eq(cm_document_new(tctx, &doc, &err), CM_OK);
		const char *first = "# first\nagreement a { }\nevents { "
				    "2025-01-01 z() }";
		ck_assert_int_eq(cm_document_add_text(doc, first, strlen(first),
						"a.cmt", &err),
				 CM_OK);
		size_t blocks = cm__block_count(doc);
		cm__fault_inject(n, false);
		int rc = cm_document_add_text(doc, example, strlen(example),
					"test.cmt", &err);
		if (rc == CM_OK)
			rc = cm_document_add_text(doc, busy_text, strlen(busy_text),
					    "busy.cmt", &err);
		long failed = cm__fault_failures();
		cm__fault_inject(0, false);
		if (!failed) {
			ck_assert_int_eq(rc, CM_OK);
			ck_assert_uint_eq(doc->nagreements, 3);
			cm_free(doc);
			break;
		}
		ck_assert_msg(rc == CM_ENOMEM, "allocation %ld: rc %d %s", n,
			      rc, err.message);
		ck_assert_int_eq(err.code, CM_ENOMEM);
		/* the failed text left nothing: counts as before (the first
		 * text, maybe the example), no temporary context behind */
		ck_assert(doc->nagreements == 1 || doc->nagreements == 2);
		ck_assert_uint_eq(doc->npolicies, 0);
		ck_assert_uint_eq(doc->events.n, 1);
		ck_assert(doc->ntops == 2 || doc->ntops == 3);
		if (doc->nagreements == 1)
			ck_assert_uint_le(cm__block_count(doc), blocks + 2);
		/* and the document is still usable */
		ck_assert_int_eq(cm_document_add_text(doc, busy_text,
						strlen(busy_text), "busy.cmt",
						&err),
				 CM_OK);
		cm_free(doc);
	}
	ck_assert_int_gt(n, 20);

	/* the builder entry points */
	for (n = 1;; n++) {
		struct cm__arena ar;
		cm__arena_init(&ar, tctx);
		struct cm_condition *c;
		struct cm__rule r;
		cm_error err;
		const char *t = "not a(x: \"y\") or (b() and count(c()) < 3)";
		cm__fault_inject(n, false);
		int rc = cm__parse_condition(&ar, t, strlen(t), &c, &err);
		if (rc == CM_OK)
			rc = cm__parse_rule(&ar, "signed by P, Q", "c1", &r, &err);
		long failed = cm__fault_failures();
		cm__fault_inject(0, false);
		cm__arena_release(&ar);
		if (!failed) {
			ck_assert_int_eq(rc, CM_OK);
			break;
		}
		ck_assert_int_eq(rc, CM_ENOMEM);
	}
	ck_assert_int_gt(n, 3);

	/* the event reader */
	const char *evs = "2025-01-01 a(x: 1) reported by P\n"
			  "2025-01-02 b() \"n\" verified by Q, R\n";
	const char *path = temp_file(evs, strlen(evs));
	for (n = 1;; n++) {
		struct cm__event_reader *rd = NULL;
		const struct cm_event *ev;
		cm_error err;
		size_t got = 0;
		cm__fault_inject(n, false);
		int rc = cm__event_reader_open(tctx, path, &rd, &err);
		while (rc == CM_OK) {
			int k = cm__event_reader_next(rd, &ev, &err);
			if (k <= 0) {
				rc = k;
				break;
			}
			got++;
		}
		long failed = cm__fault_failures();
		cm__fault_inject(0, false);
		cm_free(rd);
		if (!failed) {
			ck_assert_int_eq(rc, 0);
			ck_assert_uint_eq(got, 2);
			break;
		}
		ck_assert_int_eq(rc, CM_ENOMEM);
	}
	unlink(path);
	ck_assert_int_gt(n, 3);
}
END_TEST
#endif

static Suite *parser_suite(void)
{
	Suite *s = suite_create("parser");
	tcase_add_test(tcase_leakcheck(s, "example"), test_example);
	tcase_add_test(tcase_leakcheck(s, "agreement items"),
		       test_agreement_items);
	tcase_add_test(tcase_leakcheck(s, "agreement errors"),
		       test_agreement_errors);
	tcase_add_test(tcase_leakcheck(s, "keywords not reserved"),
		       test_keywords_not_reserved);
	tcase_add_test(tcase_leakcheck(s, "commitment items"),
		       test_commitment_items);
	tcase_add_test(tcase_leakcheck(s, "commitment errors"),
		       test_commitment_errors);
	tcase_add_test(tcase_leakcheck(s, "action errors"), test_action_errors);
	tcase_add_test(tcase_leakcheck(s, "condition shapes"),
		       test_condition_shapes);
	tcase_add_test(tcase_leakcheck(s, "condition atoms"),
		       test_condition_atoms);
	tcase_add_test(tcase_leakcheck(s, "condition errors"),
		       test_condition_errors);
	tcase_add_test(tcase_leakcheck(s, "nesting"), test_nesting);
	tcase_add_test(tcase_leakcheck(s, "rules"), test_rules);
	tcase_add_test(tcase_leakcheck(s, "policies"), test_policies);
	tcase_add_test(tcase_leakcheck(s, "events blocks"), test_events_blocks);
	tcase_add_test(tcase_leakcheck(s, "events errors"), test_events_errors);
	tcase_add_test(tcase_leakcheck(s, "comments"), test_comments_recorded);
	tcase_add_test(tcase_leakcheck(s, "lexical errors"),
		       test_lexical_errors);
	tcase_add_test(tcase_leakcheck(s, "atomic"), test_atomic);
	tcase_add_test(tcase_leakcheck(s, "builder entry points"),
		       test_builder_entry_points);
	tcase_add_test(tcase_leakcheck(s, "any bytes"), test_any_bytes);
	tcase_add_test(tcase_leakcheck(s, "reader memory"), test_reader_memory);
	tcase_add_test(tcase_leakcheck(s, "reader errors"), test_reader_errors);
	tcase_add_test(tcase_leakcheck(s, "reader file"), test_reader_file);
	tcase_add_test(tcase_leakcheck(s, "reader long event"),
		       test_reader_long_event);
#ifdef CM_FAULT_INJECTION
	tcase_add_test(tcase_leakcheck(s, "allocation failures"),
		       test_allocation_failures);
#endif
	return s;
}

int main(void)
{
	return run_suite(parser_suite());
}
