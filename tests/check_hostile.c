/*
 * Hostile callers and hostile files (issue 16): each test reproduces one
 * finding of the campaign against 0.1 and fails on 0.1's code.
 *
 *  1 a condition node of another agreement is refused;
 *  3 a lone CR ends a line (comments, positions, events files, strings);
 *  4 100,000 policies, each used, parse and check in linear time;
 *  5 builder strings that could not be written back are refused, and
 *    built agreements round-trip through the writer (a property test);
 *  6 many event sources: merged in time order with a heap, a reader's
 *    buffer sized to what it reads;
 *  8 cm_error_format() stays inside a caller-filled cm_error.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "testutil.h"

#include "model/equal.h"
#include "model/model.h"
#include "syntax/syntax.h"

/* Without a fork (CK_FORK=no: the valgrind runs) Check enforces no
 * timeout: the scale tests then run a smaller instance. */
static bool no_fork(void)
{
	const char *s = getenv("CK_FORK");
	return s && strcmp(s, "no") == 0;
}

static cm_agreement *new_agreement(const char *id, cm_commitment **c)
{
	cm_agreement *a = NULL;
	cm_error err;
	ck_assert_int_eq(cm_agreement_new(tctx, id, NULL, &a, &err), CM_OK);
	ck_assert_int_eq(cm_agreement_add_party(a, "A", "A", CM_ROLE_PARTY,
						CM_KIND_STATE, &err), CM_OK);
	ck_assert_int_eq(cm_agreement_add_commitment(a, "c", "A", CM_MUST, c,
						     &err), CM_OK);
	ck_assert_int_eq(cm_commitment_set_text(*c, "x", &err), CM_OK);
	return a;
}

/* ---- 1: foreign condition nodes --------------------------------------- */

START_TEST(foreign_condition_node)
{
	cm_commitment *ca, *cb;
	cm_agreement *a = new_agreement("a", &ca);
	cm_agreement *b = new_agreement("b", &cb);
	cm_error err;
	cm_condition *nb = NULL, *na = NULL, *out = NULL;
	ck_assert_int_eq(cm_condition_new_action(cb, "attack()", -1, &nb, &err),
			 CM_OK);
	ck_assert_int_eq(cm_condition_new_const(ca, 1, &na, &err), CM_OK);

	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(cm_commitment_add_condition_node(ca, CM_COND_IF, nb,
							  &err), CM_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.message, "another agreement"));
	ck_assert_uint_eq(ca->ifs.n, 0);
	/* nor as a part of a node of this agreement */
	ck_assert_int_eq(cm_condition_new_not(ca, nb, &out, &err), CM_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.message, "another agreement"));
	ck_assert_int_eq(cm_condition_new_binary(ca, CM_CT_AND, na, nb, &out,
						 &err), CM_EINVAL);
	ck_assert_int_eq(cm_condition_new_binary(ca, CM_CT_OR, nb, na, &out,
						 &err), CM_EINVAL);
	ck_assert_ptr_null(out);
	/* and none of them was marked used: both still attach at home */
	ck_assert_int_eq(cm_commitment_add_condition_node(cb, CM_COND_IF, nb,
							  &err), CM_OK);
	ck_assert_int_eq(cm_commitment_add_condition_node(ca, CM_COND_UNLESS,
							  na, &err), CM_OK);
	/* B gone, A is whole (under ASan: no use after free) */
	talloc_free(b);
	ck_assert_int_eq(cm_agreement_validate(a, &err), CM_OK);
	/* another commitment of the same agreement is home */
	cm_commitment *c2;
	ck_assert_int_eq(cm_agreement_add_commitment(a, "c2", "A", CM_MUST,
						     &c2, &err), CM_OK);
	ck_assert_int_eq(cm_commitment_set_text(c2, "y", &err), CM_OK);
	cm_condition *n2;
	ck_assert_int_eq(cm_condition_new_state(ca, CM_STATE_ACTIVE, "c", &n2,
						&err), CM_OK);
	ck_assert_int_eq(cm_commitment_add_condition_node(c2, CM_COND_WHILE, n2,
							  &err), CM_OK);
	ck_assert_int_eq(cm_agreement_validate(a, &err), CM_OK);
	talloc_free(a);
}
END_TEST

/* ---- 3: a lone CR ends a line ------------------------------------------- */

static cm_document *parse_cr(const char *text)
{
	return parse_ok(text);
}

START_TEST(cr_ends_comment)
{
	/* the reproducer: the `unless` after a comment and a lone CR */
	const char *text =
		"agreement t {\r"
		"  date 2025-01-01\r"
		"  party A \"A\" state\r"
		"  party B \"B\" state\r"
		"  commitment c {\r"
		"    A must not strike(on: B) # the ceasefire\r"
		"    unless attack(from: B, on: A)\r"
		"  }\r"
		"  events {\r"
		"    2025-01-02 attack(from: B, on: A)\r"
		"    2025-01-03 strike(by: A, on: B)\r"
		"  }\r"
		"}\r";
	cm_document *d = parse_cr(text);
	cm_agreement *a = cm_document_agreement(d, 0);
	ck_assert_ptr_nonnull(a);
	cm_commitment *c = cm_agreement_find_commitment(a, "c");
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->unlesses.n, 1);
	ck_assert_uint_eq(c->unlesses.v[0].pos.line, 7);
	ck_assert_uint_eq(c->unlesses.v[0].pos.col, 5);
	cm_monitor *m;
	cm_error err;
	ck_assert_int_eq(cm_monitor_new(tctx, a, NULL, &m, &err), CM_OK);
	ck_assert_int_eq(cm_monitor_run(m, CM_TIME_NONE, &err), CM_OK);
	cm_snapshot *s;
	ck_assert_int_eq(cm_monitor_snapshot(tctx, m, &s, &err), CM_OK);
	ck_assert_int_eq(cm_snapshot_state(s, 0), CM_STATE_SUSPENDED);
	talloc_free(s);
	talloc_free(m);
	talloc_free(d);

	/* a CR-only file that starts with a comment */
	d = parse_cr("# a comment\ragreement t {\r  party A \"A\" state\r}\r");
	ck_assert_uint_eq(cm_document_agreement_count(d), 1);
	ck_assert_uint_eq(cm_agreement_line(cm_document_agreement(d, 0)), 2);
	ck_assert_uint_eq(d->ncomments, 1);
	ck_assert_str_eq(d->comments[0].text, "# a comment");
	talloc_free(d);
}
END_TEST

START_TEST(cr_positions)
{
	/* CR, LF and CRLF each end one line; columns restart at 1 */
	parse_fails("agreement t {\r  party A \"A\" state\r\n"
		    "  party B \"B\" state\n\r  oops\r}\r",
		    CM_ESYNTAX, 5, 3, "");
	parse_fails("agreement t {\r\r\r\r  ]", CM_ESYNTAX, 5, 3, "");
	/* a CR ends a string's line: the string is unterminated */
	parse_fails("agreement t \"ab\rcd\" {\r}\r", CM_ESYNTAX, 1, 13,
		    "unterminated string");
	/* a CR-LF pair inside a comment's line is one line end */
	cm_document *d = parse_cr("# x\r\n# y\r\nagreement t {}\r\n");
	ck_assert_uint_eq(cm_agreement_line(cm_document_agreement(d, 0)), 3);
	ck_assert_uint_eq(d->ncomments, 2);
	ck_assert_str_eq(d->comments[1].text, "# y");
	talloc_free(d);
}
END_TEST

static const char *const CR_AGREEMENT =
	"agreement t {\n"
	"  date 2025-01-01\n"
	"  party A \"A\" state\n"
	"  party B \"B\" state\n"
	"  commitment c {\n"
	"    A must not strike(on: B)\n"
	"    unless attack(from: B, on: A)\n"
	"  }\n"
	"}\n";

/* Run @p events (a text) as a file or as text; returns the run's status
 * and the state of `c`. */
static int run_events(const char *events, bool as_file, int *state,
		      cm_error *err)
{
	cm_document *d = parse_ok(CR_AGREEMENT);
	cm_agreement *a = cm_document_agreement(d, 0);
	cm_monitor *m;
	ck_assert_int_eq(cm_monitor_new(tctx, a, NULL, &m, err), CM_OK);
	char path[] = "/tmp/cm-hostile-XXXXXX";
	if (as_file) {
		int fd = mkstemp(path);
		ck_assert_int_ge(fd, 0);
		FILE *f = fdopen(fd, "wb");
		fputs(events, f);
		fclose(f);
		ck_assert_int_eq(cm_monitor_add_events_file(m, path, err),
				 CM_OK);
	} else {
		ck_assert_int_eq(cm_monitor_add_events_text(m, events,
							    strlen(events),
							    "ev", err),
				 CM_OK);
	}
	int rc = cm_monitor_run(m, CM_TIME_NONE, err);
	if (as_file)
		unlink(path);
	if (rc == CM_OK) {
		cm_snapshot *s;
		ck_assert_int_eq(cm_monitor_snapshot(tctx, m, &s, err), CM_OK);
		*state = cm_snapshot_state(s, 0);
		talloc_free(s);
	}
	talloc_free(m);
	talloc_free(d);
	return rc;
}

START_TEST(cr_in_events)
{
	const char *ev = "# attacked first\r"
			 "2025-01-02 attack(from: B, on: A) # then\r"
			 "2025-01-03 strike(by: A, on: B)\r";
	for (int as_file = 0; as_file < 2; as_file++) {
		int state = -1;
		cm_error err;
		ck_assert_int_eq(run_events(ev, as_file, &state, &err), CM_OK);
		ck_assert_int_eq(state, CM_STATE_SUSPENDED);
		/* an error's line counts CRs */
		ck_assert_int_eq(run_events("2025-01-02 attack()\r\r"
					    "2025-01-03 ]\r",
					    as_file, &state, &err),
				 CM_ESYNTAX);
		ck_assert_int_eq(err.line, 3);
		ck_assert_int_eq(err.column, 12);
		ck_assert_int_eq(run_events("2025-01-02 attack()\r\n\r\n"
					    "2025-01-03 ]\r\n",
					    as_file, &state, &err),
				 CM_ESYNTAX);
		ck_assert_int_eq(err.line, 3);
	}
}
END_TEST

/* The streaming reader with a CR-LF pair cut by every possible refill. */
START_TEST(cr_in_events_file_across_refills)
{
	/* enough events that a 1 MiB window refills, each line CRLF */
	size_t n = 60000;
	size_t cap = n * 48 + 64;
	char *text = talloc_size(tctx, cap);
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"2025-01-02 report(n: %zu)%s", i,
					i % 3 == 0 ? "\r\n" : i % 3 == 1 ? "\r" : "\n");
	len += (size_t)snprintf(text + len, cap - len, "2025-01-03 ]\r\n");
	char path[] = "/tmp/cm-hostile-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	struct cm__event_reader *r;
	cm_error err;
	ck_assert_int_eq(cm__event_reader_open(tctx, path, &r, &err), CM_OK);
	const struct cm_event *e;
	size_t k = 0;
	int rc;
	while ((rc = cm__event_reader_next(r, &e, &err)) == 1) {
		ck_assert_int_eq(e->line, (int32_t)(k + 1));
		k++;
	}
	unlink(path);
	ck_assert_uint_eq(k, n);
	ck_assert_int_eq(rc, CM_ESYNTAX);
	ck_assert_int_eq(err.line, (int32_t)n + 1);
	ck_assert_int_eq(err.column, 12);
	talloc_free(r);
	talloc_free(text);
}
END_TEST

/* ---- 4: many policies --------------------------------------------------- */

START_TEST(many_policies)
{
	size_t n = no_fork() ? 20000 : 100000;
	size_t cap = n * 64 + 256;
	char *text = talloc_size(tctx, cap);
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"policy p%zu { require dated }\n", i);
	len += (size_t)snprintf(text + len, cap - len,
				"agreement a {\n  date 2025-01-01\n");
	for (size_t i = 0; i < n; i++) {
		if (len + 64 > cap) {
			cap *= 2;
			text = talloc_realloc_size(tctx, text, cap);
		}
		len += (size_t)snprintf(text + len, cap - len, "  use p%zu\n",
					i);
	}
	len += (size_t)snprintf(text + len, cap - len, "}\n");
	cm_document *d = NULL;
	cm_error err;
	ck_assert_int_eq(cm_parse(tctx, text, len, "many.cmt", &d, &err), CM_OK);
	ck_assert_uint_eq(cm_document_policy_count(d), n);
	ck_assert_ptr_nonnull(cm_document_find_policy(d, "p99"));
	ck_assert_ptr_null(cm_document_find_policy(d, "p-none"));
	ck_assert_ptr_nonnull(cm_document_find_policy(d, "vclt"));
	cm_report *r;
	ck_assert_int_eq(cm_check(tctx, cm_document_agreement(d, 0), NULL, 0,
				  &r, &err), CM_OK);
	ck_assert_uint_eq(cm_report_requirement_count(r), n);
	ck_assert_int_eq(cm_report_verdict(r), CM_VERDICT_MEETS);
	talloc_free(r);
	/* the duplicate is still found, in this text or in an earlier one */
	ck_assert_int_eq(cm_document_add_text(d, "policy p77 { }\n", 15, "x",
					      &err), CM_ESEMANTIC);
	ck_assert_ptr_nonnull(strstr(err.message, "duplicate policy 'p77'"));
	ck_assert_ptr_nonnull(strstr(err.message, "many.cmt:78"));
	ck_assert_int_eq(cm_document_add_text(d, "policy q { }\npolicy q { }\n",
					      26, "x", &err), CM_ESEMANTIC);
	ck_assert_int_eq(err.line, 2);
	/* a failed text left nothing behind: q is free */
	ck_assert_int_eq(cm_document_add_text(d, "policy q { }\n", 13, "y",
					      &err), CM_OK);
	ck_assert_ptr_nonnull(cm_document_find_policy(d, "q"));
	ck_assert_uint_eq(cm_document_policy_count(d), n + 1);
	talloc_free(d);
	talloc_free(text);
}
END_TEST

/* ---- 5: builder strings ------------------------------------------------- */

/* @p rc is CM_EINVAL and the message names @p field. */
static void refused(int rc, const cm_error *err, const char *field)
{
	ck_assert_int_eq(rc, CM_EINVAL);
	ck_assert_msg(strstr(err->message, field) != NULL,
		      "message '%s' does not name '%s'", err->message, field);
}

START_TEST(builder_strings_refused)
{
	static const char *const bad[] = {
		"two\nlines", "cr\rhere", "nul-free \x01", "esc \x1b[0m",
		"\x7f ok? no: del is fine, this one has \x1f", "\xff\xfe",
		"\xc3", "\xed\xa0\x80" /* a surrogate */,
	};
	cm_error err;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cm_agreement *a = NULL;
		refused(cm_agreement_new(tctx, "a", bad[i], &a, &err), &err,
			"title");
		ck_assert_ptr_null(a);
		cm_commitment *c;
		a = new_agreement("a", &c);
		refused(cm_agreement_add_party(a, "B", bad[i], CM_ROLE_PARTY,
					       CM_KIND_STATE, &err),
			&err, "party name");
		ck_assert_uint_eq(cm_agreement_party_count(a), 1);
		ck_assert_ptr_null(cm_agreement_find_party(a, "B"));
		refused(cm_commitment_add_note(c, bad[i], &err), &err, "note");
		ck_assert_uint_eq(c->nnotes, 0);
		cm_commitment *c2;
		ck_assert_int_eq(cm_agreement_add_commitment(a, "c2", "A",
							     CM_MUST, &c2,
							     &err), CM_OK);
		refused(cm_commitment_set_text(c2, bad[i], &err), &err,
			"commitment text");
		ck_assert_ptr_null(cm_commitment_text(c2));
		/* still settable */
		ck_assert_int_eq(cm_commitment_set_text(c2, "ok\tüñ\x7f", &err),
				 CM_OK);
		cm_policy *p = NULL;
		refused(cm_policy_new(tctx, "p", bad[i], &p, &err), &err,
			"policy title");
		ck_assert_ptr_null(p);
		talloc_free(a);
	}
}
END_TEST

/* A tiny deterministic PRNG (xorshift64*). */
static uint64_t rnd_state;
static uint32_t rnd(uint32_t n)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return (uint32_t)((rnd_state * 2685821657736338717ull) >> 33) % n;
}

/* A random string of bytes that a hostile caller might pass: printable
 * ASCII, quotes and backslashes, tabs, CR, LF, other control bytes, valid
 * and invalid UTF-8. */
static const char *rnd_string(char *buf, size_t cap)
{
	static const char *const pieces[] = {
		"a", "Z", " ", "\"", "\\", "\t", "\n", "\r", "\r\n", "\x01",
		"\x1f", "\x7f", "ü", "€", "𝄞", "\xff", "\xc3", "\xe2\x82",
		"#", "}", "{", "//", "\\\"", "note", "0",
	};
	size_t n = rnd(12), len = 0;
	for (size_t i = 0; i < n; i++) {
		const char *p = pieces[rnd(sizeof(pieces) / sizeof(pieces[0]))];
		size_t l = strlen(p);
		if (len + l + 1 > cap)
			break;
		memcpy(buf + len, p, l);
		len += l;
	}
	buf[len] = '\0';
	return buf;
}

/*
 * The writer's round trip, on built agreements: random builder calls with
 * hostile strings; every call is accepted or refused; whatever was built
 * writes to a text that parses back to the same agreement and writes the
 * same text again.
 */
START_TEST(builder_round_trip_property)
{
	rnd_state = 0x9e3779b97f4a7c15ull;
	int rounds = no_fork() ? 200 : 2000;
	size_t accepted = 0, refusedn = 0;
	for (int round = 0; round < rounds; round++) {
		char s[64];
		cm_error err;
		cm_agreement *a = NULL;
		int rc = cm_agreement_new(tctx, "a", rnd(2) ? rnd_string(s, sizeof(s))
							  : NULL, &a, &err);
		if (rc != CM_OK) {
			ck_assert_int_eq(rc, CM_EINVAL);
			refusedn++;
			ck_assert_int_eq(cm_agreement_new(tctx, "a", NULL, &a, &err),
					 CM_OK);
		}
		int np = 1 + (int)rnd(3);
		for (int i = 0; i < np; i++) {
			char id[8];
			snprintf(id, sizeof(id), "P%d", i);
			rc = cm_agreement_add_party(a, id, rnd_string(s, sizeof(s)),
						    CM_ROLE_PARTY, CM_KIND_STATE,
						    &err);
			if (rc != CM_OK) {
				ck_assert_int_eq(rc, CM_EINVAL);
				refusedn++;
				ck_assert_int_eq(cm_agreement_add_party(
						 a, id, "x", CM_ROLE_PARTY,
						 CM_KIND_STATE, &err), CM_OK);
			}
		}
		int nc = (int)rnd(3);
		for (int i = 0; i < nc; i++) {
			char id[8];
			snprintf(id, sizeof(id), "c%d", i);
			cm_commitment *c;
			ck_assert_int_eq(cm_agreement_add_commitment(
					 a, id, "P0", CM_MUST, &c, &err), CM_OK);
			rc = cm_commitment_set_text(c, rnd_string(s, sizeof(s)),
						    &err);
			if (rc != CM_OK) {
				ck_assert_int_eq(rc, CM_EINVAL);
				refusedn++;
				ck_assert_int_eq(cm_commitment_set_text(c, "t", &err),
						 CM_OK);
			}
			int nn = (int)rnd(3);
			for (int k = 0; k < nn; k++) {
				rc = cm_commitment_add_note(
					c, rnd_string(s, sizeof(s)), &err);
				if (rc != CM_OK) {
					ck_assert_int_eq(rc, CM_EINVAL);
					refusedn++;
				} else {
					accepted++;
				}
			}
		}
		char *t = NULL;
		rc = cm_agreement_to_text(tctx, a, &t, &err);
		ck_assert_msg(rc == CM_OK, "built agreement not written: %s",
			      err.message);
		ck_assert_int_eq(cm_agreement_validate(a, &err), CM_OK);
		cm_document *d = NULL;
		rc = cm_parse(tctx, t, strlen(t), "rt.cmt", &d, &err);
		ck_assert_msg(rc == CM_OK, "written text does not parse: %s\n%s",
			      err.message, t);
		char why[512] = "";
		ck_assert_msg(cm__agreement_equal(a, cm_document_agreement(d, 0),
						  why, sizeof(why)),
			      "changed by the round trip: %s\n%s", why, t);
		char *t2 = NULL;
		ck_assert_int_eq(cm_agreement_to_text(tctx,
						      cm_document_agreement(d, 0),
						      &t2, &err), CM_OK);
		ck_assert_str_eq(t, t2);
		talloc_free(t2);
		talloc_free(d);
		talloc_free(t);
		talloc_free(a);
	}
	/* the generator reaches both sides */
	ck_assert_uint_gt(accepted, 0);
	ck_assert_uint_gt(refusedn, 0);
}
END_TEST

/* ---- 6: many event sources ---------------------------------------------- */

/* Equal times across sources keep the order the sources were added in;
 * each source its own order. */
START_TEST(many_sources_order)
{
	cm_document *d = parse_ok(CR_AGREEMENT);
	cm_agreement *a = cm_document_agreement(d, 0);
	cm_monitor *m;
	cm_error err;
	ck_assert_int_eq(cm_monitor_new(tctx, a, NULL, &m, &err), CM_OK);
	/* source 0 strikes at 10:00, source 1 attacks at 10:00 and before:
	 * with source order kept the strike comes first and is a violation */
	const char *s0 = "2025-01-02T10:00 strike(by: A, on: B)\n";
	const char *s1 = "2025-01-02T09:00 talk()\n"
			 "2025-01-02T10:00 attack(from: B, on: A)\n";
	char names[64][8];
	for (int i = 0; i < 64; i++) {
		const char *t = i == 20 ? s0 : i == 40 ? s1 : "";
		snprintf(names[i], sizeof(names[i]), "s%d", i);
		ck_assert_int_eq(cm_monitor_add_events_text(m, t, strlen(t),
							    names[i], &err),
				 CM_OK);
	}
	ck_assert_int_eq(cm_monitor_run(m, CM_TIME_NONE, &err), CM_OK);
	cm_snapshot *s;
	ck_assert_int_eq(cm_monitor_snapshot(tctx, m, &s, &err), CM_OK);
	ck_assert_int_eq(cm_snapshot_state(s, 0), CM_STATE_VIOLATED);
	ck_assert_str_eq(cm_snapshot_cause_file(s, 0), "s20");
	talloc_free(s);
	talloc_free(m);
	/* the other way round: the attack's source first */
	ck_assert_int_eq(cm_monitor_new(tctx, a, NULL, &m, &err), CM_OK);
	ck_assert_int_eq(cm_monitor_add_events_text(m, s1, strlen(s1), "s1",
						    &err), CM_OK);
	ck_assert_int_eq(cm_monitor_add_events_text(m, s0, strlen(s0), "s0",
						    &err), CM_OK);
	ck_assert_int_eq(cm_monitor_run(m, CM_TIME_NONE, &err), CM_OK);
	ck_assert_int_eq(cm_monitor_snapshot(tctx, m, &s, &err), CM_OK);
	ck_assert_int_eq(cm_snapshot_state(s, 0), CM_STATE_SUSPENDED);
	talloc_free(s);
	talloc_free(m);
	talloc_free(d);
}
END_TEST

/* 10,000 sources of 100 events each, interleaved in time: merged in
 * O(events x log sources), within the test's timeout (the scan of every
 * source for every event took minutes). */
START_TEST(many_sources_scale)
{
	int ns = no_fork() ? 1000 : 10000, per = 100;
	cm_document *d = parse_ok(CR_AGREEMENT);
	cm_agreement *a = cm_document_agreement(d, 0);
	cm_monitor *m;
	cm_error err;
	ck_assert_int_eq(cm_monitor_new(tctx, a, "verified", &m, &err), CM_OK);
	char **texts = talloc_array(tctx, char *, (size_t)ns);
	cm_time t0;
	ck_assert_int_eq(cm_time_parse("2025-02-01", 0, &t0), CM_OK);
	for (int i = 0; i < ns; i++) {
		char *t = talloc_strdup(texts, "");
		for (int k = 0; k < per; k++) {
			char when[32];
			ck_assert_int_eq(cm_time_format(t0 + (cm_time)k * ns + i,
							when, sizeof(when)),
					 CM_OK);
			when[16] = '\0'; /* no 'Z' */
			t = talloc_asprintf_append(t, "%s talk(n: %d)\n", when,
						   i);
		}
		texts[i] = t;
		ck_assert_int_eq(cm_monitor_add_events_text(m, t, strlen(t), NULL,
							    &err), CM_OK);
	}
	ck_assert_int_eq(cm_monitor_run(m, CM_TIME_NONE, &err), CM_OK);
	talloc_free(m);
	talloc_free(texts);
	talloc_free(d);
}
END_TEST

/* A file reader's buffer is sized to the file, not a 1 MiB window. */
START_TEST(reader_buffer_sized_to_file)
{
	char path[] = "/tmp/cm-hostile-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	const char *ev = "2025-01-02 attack(from: B, on: A)\n";
	ck_assert_int_eq(write(fd, ev, strlen(ev)), (ssize_t)strlen(ev));
	close(fd);
	struct cm__event_reader *r;
	cm_error err;
	ck_assert_int_eq(cm__event_reader_open(tctx, path, &r, &err), CM_OK);
	const struct cm_event *e;
	ck_assert_int_eq(cm__event_reader_next(r, &e, &err), 1);
	ck_assert_str_eq(e->act.type, "attack");
	ck_assert_int_eq(cm__event_reader_next(r, &e, &err), 0);
	size_t total = talloc_total_size(r);
	ck_assert_msg(total < 64 * 1024, "reader of a 34-byte file holds %zu "
		      "bytes", total);
	talloc_free(r);
	unlink(path);
}
END_TEST

/* The reader's scratch arena is reset per event and, young arenas
 * starting small, grows its kept block until an event fits: then reading
 * allocates nothing more. */
START_TEST(reader_steady_state)
{
	char *text = talloc_strdup(tctx, "");
	for (int i = 0; i < 3000; i++)
		text = talloc_asprintf_append(
			text, "2025-01-02 talk(a: x, b: y, c: z, d: w, e: %d) "
			      "reported by A, B denied by C verified by D # %d\n",
			i, i);
	struct cm__event_reader *r;
	cm_error err;
	ck_assert_int_eq(cm__event_reader_memory(tctx, text, strlen(text), "m",
						 &r, &err), CM_OK);
	const struct cm_event *e;
	size_t blocks = 0;
	for (int i = 0; i < 3000; i++) {
		ck_assert_int_eq(cm__event_reader_next(r, &e, &err), 1);
		if (i == 100)
			blocks = talloc_total_blocks(r);
	}
	ck_assert_uint_eq(talloc_total_blocks(r), blocks);
	ck_assert_int_eq(cm__event_reader_next(r, &e, &err), 0);
	talloc_free(r);
	talloc_free(text);
}
END_TEST

START_TEST(arena_reset_keeps_small_head)
{
	struct cm__arena ar;
	cm__arena_init(&ar, tctx);
	for (int round = 0; round < 50; round++) {
		/* one "event": 40 small pieces, 2 kB in all */
		for (int i = 0; i < 40; i++)
			ck_assert_ptr_nonnull(cm__arena_alloc(&ar, 50));
		cm__arena_reset(&ar);
		/* the head block is kept, whatever its size */
		ck_assert_ptr_nonnull(ar.head);
	}
	/* grown to hold one round: one block, no more allocated */
	size_t blocks = talloc_total_blocks(tctx);
	ck_assert_uint_eq(blocks, 2);
	for (int i = 0; i < 40; i++)
		ck_assert_ptr_nonnull(cm__arena_alloc(&ar, 50));
	ck_assert_uint_eq(talloc_total_blocks(tctx), blocks);
	cm__arena_release(&ar);
}
END_TEST

/* ---- 8: cm_error_format on a caller-filled struct ---------------------- */

START_TEST(error_format_unterminated)
{
	/* on the heap, exactly its size, so that ASan sees a read past it */
	cm_error *e = talloc(tctx, cm_error);
	memset(e, 'x', sizeof(*e));
	e->code = CM_ESYNTAX;
	e->line = 3;
	e->column = 4;
	char buf[2 * sizeof(cm_error)];
	size_t n = cm_error_format(e, buf, sizeof(buf));
	size_t want = sizeof(e->file) + strlen(":3:4: error: ") +
		      sizeof(e->message);
	ck_assert_uint_eq(n, want);
	ck_assert_uint_eq(strlen(buf), want);
	ck_assert_int_eq(memcmp(buf + sizeof(e->file), ":3:4: error: ", 13), 0);
	/* no position, no file: the message alone, bounded */
	e->line = 0;
	e->file[0] = '\0';
	n = cm_error_format(e, buf, sizeof(buf));
	ck_assert_uint_eq(n, strlen("error: ") + sizeof(e->message));
	ck_assert_uint_eq(cm_error_format(e, NULL, 0), n);
	/* a file without NUL and no position */
	memset(e->file, 'f', sizeof(e->file));
	n = cm_error_format(e, buf, 8);
	ck_assert_uint_eq(n, sizeof(e->file) + strlen(": error: ") +
				     sizeof(e->message));
	ck_assert_str_eq(buf, "fffffff");
	talloc_free(e);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_leakcheck(s, "foreign_nodes");
	tcase_add_test(tc, foreign_condition_node);
	tc = tcase_leakcheck(s, "lone_cr");
	tcase_add_test(tc, cr_ends_comment);
	tcase_add_test(tc, cr_positions);
	tcase_add_test(tc, cr_in_events);
	tcase_add_test(tc, cr_in_events_file_across_refills);
	/* scale: the bound is the timeout, generous against the linear
	 * code (well under a second) and far below the quadratic one */
	tc = tcase_leakcheck(s, "scale");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, many_policies);
	tcase_add_test(tc, many_sources_scale);
	tc = tcase_leakcheck(s, "builder_strings");
	tcase_add_test(tc, builder_strings_refused);
	tcase_add_test(tc, builder_round_trip_property);
	tc = tcase_leakcheck(s, "sources");
	tcase_add_test(tc, many_sources_order);
	tcase_add_test(tc, reader_buffer_sized_to_file);
	tcase_add_test(tc, reader_steady_state);
	tcase_add_test(tc, arena_reset_keeps_small_head);
	tc = tcase_leakcheck(s, "error_format");
	tcase_add_test(tc, error_format_unterminated);
	return run_suite(s);
}
