/*
 * Shared helpers for the Check suites: a talloc context per test that
 * fails the test when anything is left allocated under it, and a few
 * shorthands.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_TESTUTIL_H
#define CM_TESTUTIL_H

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <talloc.h>

#include <commitments/commitments.h>

/* The per-test context. Tests allocate under it and free what they make;
 * the teardown checks nothing is left. */
static void *tctx;

static void tctx_setup(void)
{
	tctx = talloc_new(NULL);
}

static void tctx_teardown(void)
{
	size_t blocks = talloc_total_blocks(tctx);
	if (blocks != 1)
		talloc_report_full(tctx, stderr);
	ck_assert_uint_eq(blocks, 1);
	talloc_free(tctx);
	tctx = NULL;
}

/* Add a TCase with the leak-checking fixture. */
static inline TCase *tcase_leakcheck(Suite *s, const char *name)
{
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, tctx_setup, tctx_teardown);
	suite_add_tcase(s, tc);
	return tc;
}

/* Parse a NUL-terminated text under tctx; fails the test on error. */
static inline cm_document *parse_ok(const char *text)
{
	cm_document *doc = NULL;
	cm_error err;
	memset(&err, 0, sizeof(err));
	int rc = cm_parse(tctx, text, strlen(text), "test.cmt", &doc, &err);
	ck_assert_msg(rc == CM_OK, "parse failed: %d %s:%d:%d: %s", rc,
		      err.file, err.line, err.column, err.message);
	return doc;
}

/* Parse text that must fail; checks code, line and column, and that the
 * message contains @p needle (when not NULL). */
#define parse_fails(text, code_, line_, col_, needle)                        \
	do {                                                                 \
		cm_document *d_ = NULL;                                      \
		cm_error e_;                                                 \
		memset(&e_, 0, sizeof(e_));                                  \
		int rc_ = cm_parse(tctx, (text), strlen(text), "test.cmt",   \
				   &d_, &e_);                                \
		ck_assert_msg(rc_ == (code_), "rc %d (want %d): %s", rc_,    \
			      (code_), e_.message);                          \
		ck_assert_ptr_null(d_);                                      \
		ck_assert_int_eq(e_.line, (line_));                          \
		ck_assert_int_eq(e_.column, (col_));                         \
		ck_assert_str_eq(e_.file, "test.cmt");                       \
		if ((needle) != NULL)                                        \
			ck_assert_msg(strstr(e_.message, (needle)) != NULL,  \
				      "message '%s' lacks '%s'", e_.message, \
				      (const char *)(needle));               \
	} while (0)

/* Run a suite, return the process exit status. */
static inline int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
