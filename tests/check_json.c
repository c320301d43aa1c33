/*
 * The `check` JSON object of SPEC §6: exact text for small agreements,
 * keys and types (checked by parsing the output back with a tiny JSON
 * reader), escaping, UTF-8 passthrough, null title, empty lists.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <ctype.h>
#include <stdbool.h>

#include "testutil.h"

#include "model/model.h"

#define OK(call)                                                             \
	do {                                                                 \
		cm_error e_;                                                 \
		memset(&e_, 0, sizeof(e_));                                  \
		int rc_ = (call);                                            \
		ck_assert_msg(rc_ == CM_OK, "%s: %d %s", #call, rc_,         \
			      e_.message);                                   \
	} while (0)
#define E (&e_)

/* ---- a tiny JSON reader: just enough to check shapes ---------------- */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jtype t;
	bool b;
	double num;
	char *str;          /* J_STR: unescaped */
	struct jv **kids;   /* J_ARR items; J_OBJ values */
	char **keys;        /* J_OBJ */
	size_t n;
};

struct jp {
	const char *s;
	void *ctx;
	bool bad;
};

static void ws(struct jp *p)
{
	while (*p->s == ' ' || *p->s == '\n' || *p->s == '\t' || *p->s == '\r')
		p->s++;
}

static struct jv *jparse(struct jp *p);

static char *jstring(struct jp *p)
{
	if (*p->s != '"') {
		p->bad = true;
		return NULL;
	}
	p->s++;
	char *out = talloc_strdup(p->ctx, "");
	while (*p->s && *p->s != '"') {
		unsigned char c = (unsigned char)*p->s;
		if (c < 0x20) {
			p->bad = true; /* raw control character */
			return NULL;
		}
		if (c != '\\') {
			out = talloc_strndup_append(out, p->s, 1);
			p->s++;
			continue;
		}
		p->s++;
		char e = *p->s++;
		char ch[2] = {0, 0};
		switch (e) {
		case '"': ch[0] = '"'; break;
		case '\\': ch[0] = '\\'; break;
		case '/': ch[0] = '/'; break;
		case 'n': ch[0] = '\n'; break;
		case 't': ch[0] = '\t'; break;
		case 'r': ch[0] = '\r'; break;
		case 'b': ch[0] = '\b'; break;
		case 'f': ch[0] = '\f'; break;
		case 'u': {
			unsigned v = 0;
			for (int i = 0; i < 4; i++) {
				if (!isxdigit((unsigned char)p->s[i])) {
					p->bad = true;
					return NULL;
				}
				char h[2] = {p->s[i], 0};
				v = v * 16 + (unsigned)strtoul(h, NULL, 16);
			}
			p->s += 4;
			if (v >= 0x80 || v == 0) { /* only what we emit */
				p->bad = true;
				return NULL;
			}
			ch[0] = (char)v;
			break;
		}
		default:
			p->bad = true;
			return NULL;
		}
		out = talloc_strdup_append(out, ch);
	}
	if (*p->s != '"') {
		p->bad = true;
		return NULL;
	}
	p->s++;
	return out;
}

static struct jv *jnew(struct jp *p, enum jtype t)
{
	struct jv *v = talloc_zero(p->ctx, struct jv);
	v->t = t;
	return v;
}

static void jpush(struct jp *p, struct jv *parent, char *key, struct jv *kid)
{
	parent->kids = talloc_realloc(p->ctx, parent->kids, struct jv *,
				      parent->n + 1);
	parent->keys = talloc_realloc(p->ctx, parent->keys, char *,
				      parent->n + 1);
	parent->kids[parent->n] = kid;
	parent->keys[parent->n] = key;
	parent->n++;
}

static struct jv *jparse(struct jp *p)
{
	ws(p);
	if (p->bad)
		return NULL;
	struct jv *v;
	if (*p->s == '{' || *p->s == '[') {
		bool obj = *p->s == '{';
		char close = obj ? '}' : ']';
		v = jnew(p, obj ? J_OBJ : J_ARR);
		p->s++;
		ws(p);
		if (*p->s == close) {
			p->s++;
			return v;
		}
		for (;;) {
			char *key = NULL;
			ws(p);
			if (obj) {
				key = jstring(p);
				ws(p);
				if (p->bad || *p->s != ':') {
					p->bad = true;
					return NULL;
				}
				p->s++;
			}
			struct jv *kid = jparse(p);
			if (!kid)
				return NULL;
			jpush(p, v, key, kid);
			ws(p);
			if (*p->s == ',') {
				p->s++;
				continue;
			}
			if (*p->s == close) {
				p->s++;
				return v;
			}
			p->bad = true;
			return NULL;
		}
	}
	if (*p->s == '"') {
		v = jnew(p, J_STR);
		v->str = jstring(p);
		return p->bad ? NULL : v;
	}
	if (!strncmp(p->s, "null", 4)) {
		p->s += 4;
		return jnew(p, J_NULL);
	}
	if (!strncmp(p->s, "true", 4) || !strncmp(p->s, "false", 5)) {
		v = jnew(p, J_BOOL);
		v->b = *p->s == 't';
		p->s += v->b ? 4 : 5;
		return v;
	}
	if (*p->s == '-' || isdigit((unsigned char)*p->s)) {
		char *end;
		v = jnew(p, J_NUM);
		v->num = strtod(p->s, &end);
		p->s = end;
		return v;
	}
	p->bad = true;
	return NULL;
}

/* Parse a whole document under @p ctx; fails the test when invalid. */
static struct jv *jdoc(void *ctx, const char *text)
{
	struct jp p = {text, ctx, false};
	struct jv *v = jparse(&p);
	ws(&p);
	ck_assert_msg(v && !p.bad && *p.s == '\0', "invalid JSON at '%.40s'",
		      p.s);
	return v;
}

/* The value of key @p k of object @p o, which must have type @p t. */
static struct jv *key(const struct jv *o, const char *k, enum jtype t)
{
	ck_assert_int_eq(o->t, J_OBJ);
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], k)) {
			ck_assert_msg(o->kids[i]->t == t,
				      "key '%s' has type %d, want %d", k,
				      o->kids[i]->t, t);
			return o->kids[i];
		}
	ck_abort_msg("missing key '%s'", k);
	return NULL;
}

/* Object @p o has exactly the keys listed, in this order. */
static void keys_are(const struct jv *o, const char *const *want)
{
	ck_assert_int_eq(o->t, J_OBJ);
	size_t n = 0;
	while (want[n])
		n++;
	ck_assert_uint_eq(o->n, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(o->keys[i], want[i]);
}

/* ---- helpers -------------------------------------------------------- */

static cm_agreement *small(const char *title)
{
	cm_agreement *a;
	OK(cm_agreement_new(tctx, "a", title, &a, E));
	OK(cm_agreement_add_party(a, "PK", "Pakistan", CM_ROLE_PARTY,
				  CM_KIND_STATE, E));
	OK(cm_agreement_add_party(a, "AF", "Afghan administration",
				  CM_ROLE_PARTY, CM_KIND_AUTHORITY, E));
	return a;
}

static char *json_of(cm_agreement *a, cm_policy **p, size_t n)
{
	cm_report *r;
	OK(cm_check(tctx, a, p, n, &r, E));
	char *s;
	OK(cm_report_to_json(tctx, r, &s, E));
	cm_free(r);
	return s;
}

/* ---- tests ---------------------------------------------------------- */

START_TEST(empty)
{
	cm_agreement *a;
	OK(cm_agreement_new(tctx, "a", NULL, &a, E));
	char *s = json_of(a, NULL, 0);
	ck_assert_str_eq(s, "{\"schema\": 1, \"id\": \"a\", \"title\": null, \"verdict\": "
			    "\"meets\", \"requirements\": [], "
			    "\"commitments\": [], \"below\": {}}");
	void *ctx = talloc_new(tctx);
	struct jv *v = jdoc(ctx, s);
	key(v, "title", J_NULL);
	ck_assert_uint_eq(key(v, "requirements", J_ARR)->n, 0);
	ck_assert_uint_eq(key(v, "below", J_OBJ)->n, 0);
	talloc_free(ctx);
	cm_free(s);
	cm_free(a);
}
END_TEST

START_TEST(exact_small)
{
	cm_agreement *a = small("Small");
	cm_commitment *c;
	OK(cm_agreement_add_commitment(a, "x", "AF", CM_MUST_PREVENT, &c, E));
	OK(cm_commitment_set_action(c, "attack(on: PK)", E));
	OK(cm_agreement_add_commitment(a, "y", "PK", CM_MAY, &c, E));
	OK(cm_commitment_set_action(c, "strike(on: AF)", E));
	OK(cm_commitment_add_creditor(c, "AF", E));
	OK(cm_commitment_add_signature(c, "PK", CM_TIME_NONE, E));
	OK(cm_commitment_set_form(c, CM_FORM_WRITTEN, E));
	OK(cm_agreement_add_requirement(a, "written", "obligations", E));
	OK(cm_agreement_add_requirement(a, "registered", NULL, E));
	char *s = json_of(a, NULL, 0);
	const char *want =
		"{\"schema\": 1, \"id\": \"a\", \"title\": \"Small\", \"verdict\": \"fails\", "
		"\"requirements\": ["
		"{\"rule\": \"written\", \"selector\": \"obligations\", "
		"\"policy\": null, \"line\": null, \"holds\": false, "
		"\"failures\": [{\"commitment\": \"x\", \"missing\": "
		"\"written form\", \"remedy\": \"AF puts x in writing and signs it\"}]}, "
		"{\"rule\": \"registered\", \"selector\": \"all\", "
		"\"policy\": null, \"line\": null, \"holds\": false, "
		"\"failures\": [{\"commitment\": null, \"missing\": "
		"\"registration\", \"remedy\": \"register the agreement (UN "
		"Charter art. 102)\"}]}], "
		"\"commitments\": ["
		"{\"id\": \"x\", \"debtor\": \"AF\", \"creditor\": [\"PK\"], "
		"\"modality\": \"must-prevent\", \"form\": \"verbal\", "
		"\"level\": \"verbal\", \"standing\": \"agreed\", "
		"\"line\": null}, "
		"{\"id\": \"y\", \"debtor\": \"PK\", \"creditor\": [\"AF\"], "
		"\"modality\": \"may\", \"form\": \"written\", "
		"\"level\": \"signed\", \"standing\": \"agreed\", "
		"\"line\": null}], "
		"\"below\": {\"AF\": {\"count\": 1, \"of\": 1, "
		"\"commitments\": [\"x\"]}}}";
	ck_assert_str_eq(s, want);
	cm_free(s);
	cm_free(a);
}
END_TEST

START_TEST(holds_true_and_policy)
{
	cm_agreement *a = small(NULL);
	cm_policy *p;
	OK(cm_policy_new(tctx, "stance", NULL, &p, E));
	OK(cm_policy_add_requirement(p, "signed by PK, AF", NULL, E));
	char *s = json_of(a, &p, 1);
	ck_assert_str_eq(s, "{\"schema\": 1, \"id\": \"a\", \"title\": null, \"verdict\": "
			    "\"meets\", \"requirements\": [{\"rule\": "
			    "\"signed by PK, AF\", \"selector\": \"all\", "
			    "\"policy\": \"stance\", \"line\": null, "
			    "\"holds\": true, \"failures\": []}], "
			    "\"commitments\": [], \"below\": {}}");
	cm_free(s);
	cm_free(p);
	cm_free(a);
}
END_TEST

START_TEST(escaping)
{
	/* control characters in the model: the builder refuses them since
	 * 0.2 (tests/check_hostile.c), so set behind its back */
	cm_agreement *x;
	ck_assert_int_eq(cm_agreement_new(tctx, "a", "back\x01\ttab\nnew", &x,
					  NULL), CM_EINVAL);
	cm_agreement *a = small("t");
	a->title = "say \"no\" \\ back\x01\ttab\nnew";
	char *s = json_of(a, NULL, 0);
	ck_assert_msg(strstr(s, "\"title\": \"say \\\"no\\\" \\\\ back"
				"\\u0001\\ttab\\nnew\""), "%s", s);
	void *ctx = talloc_new(tctx);
	struct jv *v = jdoc(ctx, s);
	ck_assert_str_eq(key(v, "title", J_STR)->str,
			 "say \"no\" \\ back\x01\ttab\nnew");
	talloc_free(ctx);
	cm_free(s);
	cm_free(a);
}
END_TEST

START_TEST(utf8_passthrough)
{
	cm_agreement *a = small("Türkiye — قطر — 和平");
	char *s = json_of(a, NULL, 0);
	ck_assert_msg(strstr(s, "\"title\": \"Türkiye — قطر — 和平\""), "%s",
		      s);
	cm_free(s);
	cm_free(a);
}
END_TEST

static const char *const top_keys[] = {"schema", "id", "title", "verdict",
				       "requirements", "commitments", "below",
				       NULL};
static const char *const req_keys[] = {"rule", "selector", "policy", "line",
				       "holds", "failures", NULL};
static const char *const fail_keys[] = {"commitment", "missing", "remedy",
					NULL};
static const char *const com_keys[] = {"id", "debtor", "creditor",
				       "modality", "form", "level",
				       "standing", "line", NULL};
static const char *const below_keys[] = {"count", "of", "commitments", NULL};

static const char istanbul[] =
	"agreement istanbul_round3 \"Security understanding, Istanbul round\" {\n"
	"  date 2025-11-07\n"
	"  party    PK  \"Pakistan\"                      state\n"
	"  party    AF  \"Afghan Taliban administration\" authority\n"
	"  mediator TR  \"Türkiye\"                       state\n"
	"  mediator QA  \"Qatar\"                         state\n"
	"  actor    TTP \"Tehreek-e-Taliban Pakistan\"    armed-group\n"
	"  use written-only\n"
	"  require parties state\n"
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
	"}\n";

START_TEST(shape)
{
	cm_document *doc = parse_ok(istanbul);
	cm_report *r;
	OK(cm_check(tctx, cm_document_agreement(doc, 0), NULL, 0, &r, E));
	char *s;
	OK(cm_report_to_json(tctx, r, &s, E));
	void *ctx = talloc_new(tctx);
	struct jv *v = jdoc(ctx, s);
	keys_are(v, top_keys);
	ck_assert_str_eq(key(v, "id", J_STR)->str, "istanbul_round3");
	ck_assert_str_eq(key(v, "verdict", J_STR)->str, "fails");
	struct jv *reqs = key(v, "requirements", J_ARR);
	ck_assert_uint_eq(reqs->n, 3);
	for (size_t i = 0; i < reqs->n; i++) {
		struct jv *q = reqs->kids[i];
		keys_are(q, req_keys);
		key(q, "rule", J_STR);
		key(q, "selector", J_STR);
		key(q, "holds", J_BOOL);
		ck_assert_int_eq(key(q, "line", J_NUM)->num, i < 2 ? 8 : 9);
		struct jv *f = key(q, "failures", J_ARR);
		for (size_t j = 0; j < f->n; j++) {
			keys_are(f->kids[j], fail_keys);
			key(f->kids[j], "missing", J_STR);
			key(f->kids[j], "remedy", J_STR);
		}
	}
	ck_assert_str_eq(key(reqs->kids[0], "policy", J_STR)->str,
			 "written-only");
	key(reqs->kids[2], "policy", J_NULL);
	struct jv *f2 = key(reqs->kids[2], "failures", J_ARR);
	ck_assert_uint_eq(f2->n, 1);
	key(f2->kids[0], "commitment", J_NULL);
	struct jv *f0 = key(reqs->kids[0], "failures", J_ARR);
	ck_assert_str_eq(key(f0->kids[0], "commitment", J_STR)->str,
			 "no_safe_haven");
	ck_assert_str_eq(key(f0->kids[0], "remedy", J_STR)->str,
			 "AF puts no_safe_haven in writing and signs it");

	struct jv *cs = key(v, "commitments", J_ARR);
	ck_assert_uint_eq(cs->n, 3);
	const char *mods[] = {"must-prevent", "must-not", "may"};
	const char *stands[] = {"agreed", "agreed", "claimed"};
	const double lines[] = {10, 15, 21};
	for (size_t i = 0; i < cs->n; i++) {
		struct jv *c = cs->kids[i];
		keys_are(c, com_keys);
		ck_assert_str_eq(key(c, "modality", J_STR)->str, mods[i]);
		ck_assert_str_eq(key(c, "standing", J_STR)->str, stands[i]);
		ck_assert_str_eq(key(c, "form", J_STR)->str, "verbal");
		ck_assert_str_eq(key(c, "level", J_STR)->str, "verbal");
		ck_assert_int_eq(key(c, "line", J_NUM)->num, lines[i]);
		struct jv *cr = key(c, "creditor", J_ARR);
		ck_assert_uint_eq(cr->n, 1);
		ck_assert_str_eq(cr->kids[0]->str, i ? "AF" : "PK");
	}
	struct jv *b = key(v, "below", J_OBJ);
	ck_assert_uint_eq(b->n, 2);
	ck_assert_str_eq(b->keys[0], "PK");
	ck_assert_str_eq(b->keys[1], "AF");
	keys_are(b->kids[1], below_keys);
	ck_assert_int_eq(key(b->kids[1], "count", J_NUM)->num, 1);
	ck_assert_int_eq(key(b->kids[1], "of", J_NUM)->num, 1);
	struct jv *ids = key(b->kids[1], "commitments", J_ARR);
	ck_assert_uint_eq(ids->n, 1);
	ck_assert_str_eq(ids->kids[0]->str, "no_safe_haven");
	talloc_free(ctx);
	cm_free(s);
	cm_free(r);
	cm_free(doc);
}
END_TEST

START_TEST(no_creditors)
{
	cm_agreement *a;
	OK(cm_agreement_new(tctx, "solo", NULL, &a, E));
	OK(cm_agreement_add_party(a, "PK", "Pakistan", CM_ROLE_PARTY,
				  CM_KIND_STATE, E));
	cm_commitment *c;
	OK(cm_agreement_add_commitment(a, "x", "PK", CM_MUST, &c, E));
	OK(cm_commitment_set_text(c, "be good", E));
	char *s = json_of(a, NULL, 0);
	ck_assert_msg(strstr(s, "\"creditor\": []"), "%s", s);
	cm_free(s);
	cm_free(a);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_leakcheck(s, "exact");
	tcase_add_test(tc, empty);
	tcase_add_test(tc, exact_small);
	tcase_add_test(tc, holds_true_and_policy);
	tcase_add_test(tc, no_creditors);
	tc = tcase_leakcheck(s, "strings");
	tcase_add_test(tc, escaping);
	tcase_add_test(tc, utf8_passthrough);
	tc = tcase_leakcheck(s, "shape");
	tcase_add_test(tc, shape);
	return s;
}

int main(void)
{
	return run_suite(suite());
}
