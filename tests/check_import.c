/*
 * Importing datasets (lib/import-*.c, docs/import.md): the mapping
 * language and its positioned errors, the CSV reader (quotes, newlines
 * in fields, dates of both ACLED layouts, UCDP's date_start), rows that
 * are dropped, unmatched, skipped or duplicated, malformed CSV, and the
 * monitor source whose causes name the CSV row.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include "testutil.h"

#include "import/import-row.h"

/* Test texts live here, freed after each test (tctx counts only what the
 * library allocates). */
static void *S;
static void s_setup(void)
{
	S = talloc_new(NULL);
}
static void s_teardown(void)
{
	talloc_free(S);
	S = NULL;
}

static const char *const ACLED_HEAD =
	"event_id_cnty,event_date,year,time_precision,disorder_type,"
	"event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,"
	"assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,"
	"country,admin1,admin2,admin3,location,latitude,longitude,"
	"geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n";

/* One ACLED row with the interesting columns given. */
static char *acled_row(const char *date, const char *type, const char *sub,
		       const char *a1, const char *a2, const char *country,
		       const char *admin1, const char *source,
		       const char *notes, const char *fat)
{
	return talloc_asprintf(S,
			       "X1,%s,2025,1,Political violence,%s,%s,%s,,"
			       "State forces,%s,,Rebel group,x,,586,Southern "
			       "Asia,%s,%s,B,,L,1.0,2.0,1,%s,National,%s,%s,,"
			       "1760000000\n",
			       date, type, sub, a1, a2, country, admin1, source,
			       notes, fat);
}

static const char *const MAP =
	"# a test mapping\n"
	"import acled t {\n"
	"  type event_type, sub_event_type\n"
	"  party PK \"Military Forces of Pakistan (2024-)\", \"Pakistan\"\n"
	"  party AF \"Military Forces of Afghanistan (2021-)\", \"Afghanistan\"\n"
	"  party TTP \"TTP: Tehreek-i-Taliban Pakistan\", like \"TTP*\"\n"
	"  party QA \"Qatar News Agency\"\n"
	"  drop unless country is \"Pakistan\", \"Afghanistan\"\n"
	"  when type is \"Battles/Armed clash\" and actor1 is TTP\n"
	"       and admin1 is \"Khyber Pakhtunkhwa\", \"Balochistan\"\n"
	"    emit attack(by: TTP, from: AF, on: PK, in: country,\n"
	"                fatalities: number(fatalities))\n"
	"  when sub_event_type is \"Air/drone strike\" and actor1 is PK\n"
	"       and country is \"Afghanistan\"\n"
	"    emit strike(by: actor1, on: AF, in: country, at: text(notes))\n"
	"    verified by QA\n"
	"  when sub_event_type like \"Armed*\" and actor2 is any party\n"
	"       and fatalities >= 1\n"
	"    emit attack(by: actor1, on: actor2)\n"
	"  default reported by source\n"
	"}\n";

static cm_mapping *map_ok(const char *text)
{
	cm_mapping *m = NULL;
	cm_error err;
	memset(&err, 0, sizeof(err));
	int rc = cm_mapping_parse(tctx, text, strlen(text), "t.map", &m, &err);
	ck_assert_msg(rc == CM_OK, "mapping failed: %s:%d:%d: %s", err.file,
		      err.line, err.column, err.message);
	return m;
}

#define map_fails(text, code_, line_, col_, needle)                          \
	do {                                                                 \
		cm_mapping *m_ = NULL;                                       \
		cm_error e_;                                                 \
		memset(&e_, 0, sizeof(e_));                                  \
		int rc_ = cm_mapping_parse(tctx, (text), strlen(text),       \
					   "t.map", &m_, &e_);               \
		ck_assert_msg(rc_ == (code_), "rc %d (want %d): %s", rc_,    \
			      (code_), e_.message);                          \
		ck_assert_ptr_null(m_);                                      \
		ck_assert_str_eq(e_.file, "t.map");                          \
		ck_assert_int_eq(e_.line, (line_));                          \
		ck_assert_int_eq(e_.column, (col_));                         \
		ck_assert_msg(strstr(e_.message, (needle)) != NULL,          \
			      "message '%s' lacks '%s'", e_.message, needle); \
	} while (0)

/* Read all of @p csv through @p m; the event lines joined by '\n', each
 * prefixed with its line number; skips as "skip LINE: why". */
static char *run_csv(cm_mapping *m, const char *csv, int *status)
{
	cm_import *imp;
	cm_error err;
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(cm_import_new(tctx, m, &imp, &err), CM_OK);
	ck_assert_int_eq(cm_import_add_memory(imp, csv, strlen(csv), "t.csv",
					      &err), CM_OK);
	char *out = talloc_strdup(S, "");
	int rc;
	while ((rc = cm_import_next(imp, &err)) > 0) {
		if (rc == CM_IMPORT_SKIP) {
			ck_assert_str_eq(err.file, "t.csv");
			out = talloc_asprintf_append(out, "skip %d: %s\n",
						     (int)err.line, err.message);
			continue;
		}
		ck_assert_str_eq(cm_import_event_file(imp), "t.csv");
		out = talloc_asprintf_append(out, "%d %s\n",
					     (int)cm_import_event_line(imp),
					     cm_import_event_text(imp));
	}
	if (rc < 0)
		out = talloc_asprintf_append(out, "error %d:%d: %s\n",
					     (int)err.line, (int)err.column,
					     err.message);
	*status = rc;
	cm_free(imp);
	return out;
}

/* ---- the mapping language ------------------------------------------------ */

START_TEST(mapping_parses)
{
	cm_mapping *m = map_ok(MAP);
	ck_assert_str_eq(cm_mapping_id(m), "t");
	ck_assert_int_eq(cm_mapping_format(m), CM_IMPORT_ACLED);
	ck_assert_str_eq(cm_import_format_name(CM_IMPORT_UCDP), "ucdp");
	ck_assert_ptr_null(cm_import_format_name(7));
	cm_free(m);
}
END_TEST

START_TEST(mapping_errors)
{
	map_fails("import acled x {\n  when actr1 is \"a\" emit a()\n}\n",
		  CM_ESEMANTIC, 2, 8, "ACLED has no column 'actr1'");
	map_fails("import acle x { }", CM_ESEMANTIC, 1, 8,
		  "unknown dataset 'acle'");
	map_fails("import acled x {\n  when actor1 is TTP emit a()\n}\n",
		  CM_ESEMANTIC, 2, 18, "unknown party 'TTP'");
	map_fails("import acled x { }", CM_ESEMANTIC, 1, 1, "no 'when' rule");
	map_fails("import acled x {\n  when actor1 is \"a\" emit a(b: c, b: d)\n}",
		  CM_ESEMANTIC, 2, 35, "duplicate attribute 'b'");
	map_fails("import acled x {\n  party A \"n\"\n  party B \"n\"\n"
		  "  when actor1 is A emit a()\n}", CM_ESEMANTIC, 3, 11,
		  "already given to party 'A'");
	map_fails("import acled x {\n  when actor1 \"a\" emit a()\n}",
		  CM_ESYNTAX, 2, 15, "expected 'is', 'like'");
	map_fails("import acled x {\n  when actor1 is \"a\" a()\n}",
		  CM_ESYNTAX, 2, 22, "expected 'and' or 'emit'");
	map_fails("import acled x {\n  frobnicate\n}", CM_ESYNTAX, 2, 3,
		  "expected 'type', 'party'");
	map_fails("import acled x {\n  default actor1\n}", CM_ESYNTAX, 2, 11,
		  "'reported by' or 'verified by' after 'default'");
	map_fails("import acled x {\n  when actor1 is \"a\" emit a()\n",
		  CM_ESYNTAX, 2, 30, "expected '}', found end of input");
	map_fails("import ucdp x {\n  when event_type is \"a\" emit a()\n}",
		  CM_ESEMANTIC, 2, 8, "UCDP GED has no column 'event_type'");
	map_fails("import acled x {\n  when actor1 is \"a\" emit a()\n}\n"
		  "import acled y { }", CM_ESYNTAX, 4, 1, "one 'import' block");
	map_fails("import acled x {\n  when type is \"a\" emit a()\n}",
		  CM_ESEMANTIC, 2, 8, "no column 'type'");
	map_fails("import acled x {\n  party P \"p\"\n  default verified by P "
		  "reported by P\n  when actor1 is \"a\" emit a()\n}",
		  CM_ESEMANTIC, 3, 23, "both reports and verifies");
	map_fails("import acled x {\n  when fatalities >= x emit a()\n}",
		  CM_ESYNTAX, 2, 22, "expected a number");
	map_fails("import acled x \"\xff\" { }", CM_ESYNTAX, 1, 17, "UTF-8");
	/* 65 attributes */
	char *many = talloc_strdup(S, "import acled x {\n  when actor1 is "
				      "\"a\" emit a(");
	for (int i = 0; i < 65; i++)
		many = talloc_asprintf_append(many, "%sa%d: 1", i ? ", " : "",
					      i);
	many = talloc_asprintf_append(many, ")\n}\n");
	map_fails(many, CM_ELIMIT, 2, 531, "at most 64");
}
END_TEST

/* ---- rows into events --------------------------------------------------- */

START_TEST(rows_become_events)
{
	cm_mapping *m = map_ok(MAP);
	char *csv = talloc_asprintf(
		S, "%s%s%s%s%s%s", ACLED_HEAD,
		acled_row("2025-10-09", "Battles", "Armed clash",
			  "TTP: Tehreek-i-Taliban Pakistan",
			  "Military Forces of Pakistan (2024-)", "Pakistan",
			  "Khyber Pakhtunkhwa", "Dawn; Pakistan",
			  "\"ambush, with \"\"many\"\"\nkilled\"", "30"),
		acled_row("12 October 2025", "Explosions/Remote violence",
			  "Air/drone strike",
			  "Military Forces of Pakistan (2024-)", "", "Afghanistan",
			  "Paktika", "Qatar News Agency; Tolo News",
			  "\"a \"\"strike\"\"\"", "6"),
		acled_row("2025-10-13", "Battles", "Armed clash",
			  "Military Forces of Afghanistan (2021-)",
			  "Military Forces of Pakistan (2024-)", "Afghanistan",
			  "Kandahar", "Reuters", "x", "2"),
		acled_row("2025-10-14", "Battles", "Armed clash",
			  "Military Forces of Afghanistan (2021-)",
			  "Military Forces of Pakistan (2024-)", "Afghanistan",
			  "Kandahar", "Reuters", "y", "0"),
		acled_row("2025-10-15", "Battles", "Armed clash", "A", "B",
			  "India", "K", "R", "z", "1"));
	int rc;
	char *out = run_csv(m, csv, &rc);
	ck_assert_int_eq(rc, CM_IMPORT_END);
	ck_assert_str_eq(out,
		"2 2025-10-09 attack(by: TTP, from: AF, on: PK, in: PK, "
		"fatalities: 30) reported by PK\n"
		"4 2025-10-12 strike(by: PK, on: AF, in: AF, at: \"a \\\"strike\\\"\") "
		"verified by QA\n"
		"5 2025-10-13 attack(by: AF, on: PK)\n");
	cm_free(m);
}
END_TEST

START_TEST(counters_and_duplicates)
{
	cm_mapping *m = map_ok(MAP);
	char *r1 = acled_row("2025-10-13", "Battles", "Armed clash",
			     "Military Forces of Afghanistan (2021-)",
			     "Military Forces of Pakistan (2024-)",
			     "Afghanistan", "Kandahar", "Reuters", "x", "2");
	char *csv = talloc_asprintf(
		S, "%s%s%s%s%s", ACLED_HEAD, r1, r1,
		acled_row("2025-10-13", "Battles", "Armed clash", "A", "B",
			  "India", "K", "R", "z", "1"),
		acled_row("2025-10-13", "Protests", "Peaceful protest", "A",
			  "B", "Pakistan", "K", "R", "z", "0"));
	cm_import *imp;
	ck_assert_int_eq(cm_import_new(tctx, m, &imp, NULL), CM_OK);
	ck_assert_int_eq(cm_import_add_memory(imp, csv, strlen(csv), NULL,
					      NULL), CM_OK);
	ck_assert_int_eq(cm_import_next(imp, NULL), CM_IMPORT_EVENT);
	ck_assert_str_eq(cm_import_event_file(imp), "<csv>");
	ck_assert_str_eq(cm_import_event_type(imp), "attack");
	ck_assert_uint_eq(cm_import_event_attr_count(imp), 2);
	ck_assert_str_eq(cm_import_event_attr_name(imp, 1), "on");
	ck_assert_str_eq(cm_import_event_attr_value(imp, 1), "PK");
	ck_assert_ptr_null(cm_import_event_attr_name(imp, 2));
	ck_assert_uint_eq(cm_import_event_reported_count(imp), 0);
	ck_assert_uint_eq(cm_import_event_verified_count(imp), 0);
	ck_assert_ptr_null(cm_import_event_reported(imp, 0));
	ck_assert_int_eq(cm_import_event_time(imp), 29338560); /* 10-13 */
	/* no more rows: the duplicate, the dropped and the unmatched pass */
	ck_assert_int_eq(cm_import_set_strict(imp, 1), CM_EINVAL);
	ck_assert_int_eq(cm_import_next(imp, NULL), CM_IMPORT_END);
	ck_assert_int_eq(cm_import_next(imp, NULL), CM_IMPORT_END);
	ck_assert_ptr_null(cm_import_event_text(imp));
	ck_assert_int_eq(cm_import_event_line(imp), 0);
	ck_assert_uint_eq(cm_import_count(imp, CM_IMPORT_ROWS), 4);
	ck_assert_uint_eq(cm_import_count(imp, CM_IMPORT_EVENTS), 1);
	ck_assert_uint_eq(cm_import_count(imp, CM_IMPORT_DUPLICATES), 1);
	ck_assert_uint_eq(cm_import_count(imp, CM_IMPORT_DROPPED), 1);
	ck_assert_uint_eq(cm_import_count(imp, CM_IMPORT_UNMATCHED), 1);
	ck_assert_uint_eq(cm_import_count(imp, CM_IMPORT_SKIPPED), 0);
	ck_assert_uint_eq(cm_import_count(imp, 99), 0);
	ck_assert_int_eq(cm_import_first_skip(imp, NULL), 0);
	ck_assert_int_eq(cm_import_add_file(imp, "x.csv", NULL), CM_EINVAL);
	cm_free(imp);
	cm_free(m);
}
END_TEST

START_TEST(skips_and_strict)
{
	cm_mapping *m = map_ok(MAP);
	char *csv = talloc_asprintf(
		S, "%s%s%s%s%s", ACLED_HEAD,
		acled_row("2025-13-01", "Battles", "Armed clash",
			  "Military Forces of Afghanistan (2021-)",
			  "Military Forces of Pakistan (2024-)", "Pakistan",
			  "K", "R", "x", "2"),
		acled_row("2025-10-01", "Battles", "Armed clash",
			  "TTP: Tehreek-i-Taliban Pakistan", "B", "Pakistan",
			  "Balochistan", "R", "x", "two"),
		"a,b,c\n",
		acled_row("2025-10-02", "Battles", "Armed clash",
			  "Unknown group", "Military Forces of Pakistan (2024-)",
			  "Pakistan", "K", "R", "x", "1"));
	int rc;
	char *out = run_csv(m, csv, &rc);
	ck_assert_int_eq(rc, CM_IMPORT_END);
	ck_assert_str_eq(out,
		"skip 2: \"2025-13-01\" is not a date\n"
		"skip 3: \"two\" is not a number\n"
		"skip 4: ragged row: 3 fields, the header 31\n"
		"skip 5: \"Unknown group\" names no party of the mapping\n");
	/* strict: the first is an error, and it stays */
	cm_import *imp;
	cm_error err;
	ck_assert_int_eq(cm_import_new(tctx, m, &imp, NULL), CM_OK);
	ck_assert_int_eq(cm_import_add_memory(imp, csv, strlen(csv), "s.csv",
					      NULL), CM_OK);
	ck_assert_int_eq(cm_import_set_strict(imp, 1), CM_OK);
	ck_assert_int_eq(cm_import_next(imp, &err), CM_ESEMANTIC);
	ck_assert_int_eq(err.line, 2);
	ck_assert_str_eq(err.file, "s.csv");
	ck_assert_int_eq(cm_import_next(imp, &err), CM_ESEMANTIC);
	ck_assert_int_eq(cm_import_first_skip(imp, &err), 1);
	ck_assert_int_eq(err.line, 2);
	cm_free(imp);
	cm_free(m);
}
END_TEST

START_TEST(malformed_csv)
{
	cm_mapping *m = map_ok(MAP);
	int rc;
	/* a quote inside an unquoted field */
	char *csv = talloc_asprintf(S, "%sab\"c,d\n", ACLED_HEAD);
	char *out = run_csv(m, csv, &rc);
	ck_assert_int_eq(rc, CM_ESYNTAX);
	ck_assert_str_eq(out, "error 2:3: malformed CSV: a quote inside an "
			      "unquoted field, or text after a closing quote\n");
	/* a quote never closed */
	csv = talloc_asprintf(S, "%sx,\"abc,\n\nd\n", ACLED_HEAD);
	out = run_csv(m, csv, &rc);
	ck_assert_int_eq(rc, CM_ESYNTAX);
	ck_assert_msg(strstr(out, "error 2:1: unbalanced quote") != NULL,
		      "%s", out);
	/* a missing column */
	out = run_csv(m, "event_date,actor1\n2025-01-01,x\n", &rc);
	ck_assert_int_eq(rc, CM_ESEMANTIC);
	ck_assert_msg(strstr(out, "error 1:1: the header has no column "
				  "'event_type'") != NULL, "%s", out);
	/* empty */
	out = run_csv(m, "", &rc);
	ck_assert_int_eq(rc, CM_ESEMANTIC);
	/* invalid UTF-8 and a NUL in a column the mapping reads */
	csv = talloc_asprintf(S, "%s%s", ACLED_HEAD,
			      acled_row("2025-10-13", "Battles", "Armed clash",
					"Military Forces of Afghanistan (2021-)",
					"Military\xc3(", "Afghanistan",
					"K", "R", "x", "2"));
	out = run_csv(m, csv, &rc);
	ck_assert_int_eq(rc, CM_IMPORT_END);
	ck_assert_str_eq(out, "skip 2: column 'actor2' holds invalid UTF-8 "
			      "or a NUL byte\n");
	size_t hl = strlen(ACLED_HEAD);
	char *nul = talloc_asprintf(S, "%s%s", ACLED_HEAD,
				    acled_row("2025-10-13", "Battles",
					      "Armed clash", "A", "B",
					      "Pakistan", "K", "R", "x", "2"));
	size_t total = strlen(nul);
	nul[hl + 5] = '\0'; /* inside event_date */
	cm_import *imp;
	cm_error err;
	ck_assert_int_eq(cm_import_new(tctx, m, &imp, NULL), CM_OK);
	ck_assert_int_eq(cm_import_add_memory(imp, nul, total, "n.csv", NULL),
			 CM_OK);
	ck_assert_int_eq(cm_import_next(imp, &err), CM_IMPORT_SKIP);
	ck_assert_msg(strstr(err.message, "'event_date' holds invalid UTF-8 "
					  "or a NUL") != NULL, "%s", err.message);
	cm_free(imp);
	/* a field over the limit */
	size_t big = 1024 * 1024 + 10;
	char *huge = talloc_size(S, hl + big + 4);
	memcpy(huge, ACLED_HEAD, hl);
	huge[hl] = '"';
	memset(huge + hl + 1, 'a', big);
	memcpy(huge + hl + 1 + big, "\"\n", 3);
	out = run_csv(m, huge, &rc);
	ck_assert_int_eq(rc, CM_ELIMIT);
	ck_assert_msg(strstr(out, "error 2:1: a field of the row") != NULL,
		      "%s", out);
	/* CRLF line ends, blank lines, a byte-order mark, no final newline */
	char *crlf = talloc_asprintf(
		S, "\xEF\xBB\xBF%s\r\n\r\n%s",
		talloc_strndup(S, ACLED_HEAD, hl - 1),
		acled_row("2025-10-13", "Battles", "Armed clash",
			  "Military Forces of Afghanistan (2021-)",
			  "Military Forces of Pakistan (2024-)", "Afghanistan",
			  "K", "R", "x", "2"));
	crlf[strlen(crlf) - 1] = '\0';
	out = run_csv(m, crlf, &rc);
	ck_assert_int_eq(rc, CM_IMPORT_END);
	ck_assert_str_eq(out, "3 2025-10-13 attack(by: AF, on: PK)\n");
	cm_free(m);
}
END_TEST

START_TEST(dates)
{
	cm_time t;
	ck_assert(cm__imp_date("2025-10-12", 10, &t));
	ck_assert_int_eq(t, 29337120);
	ck_assert(cm__imp_date("12 October 2025", 15, &t));
	ck_assert_int_eq(t, 29337120);
	ck_assert(cm__imp_date("9 oct 2025", 10, &t));
	ck_assert_int_eq(t, 29337120 - 3 * 1440);
	ck_assert(cm__imp_date("2025-10-12 00:00:00.000", 23, &t));
	ck_assert_int_eq(t, 29337120);
	ck_assert(cm__imp_date("2025-10-12 13:05:00", 19, &t));
	ck_assert_int_eq(t, 29337120 + 13 * 60 + 5);
	ck_assert(!cm__imp_date("2025-02-30", 10, &t));
	ck_assert(!cm__imp_date("12 Octember 2025", 16, &t));
	ck_assert(!cm__imp_date("", 0, &t));
	ck_assert(!cm__imp_date("2025-10-12x", 11, &t));
	ck_assert(!cm__imp_date("2025-10-12 25:00", 16, &t));
	ck_assert(cm__imp_like("TTP*", "TTP: x", 6));
	ck_assert(cm__imp_like("*Pakistan*", "Police of Pakistan (2024-)", 26));
	ck_assert(cm__imp_like("a?c", "a\xc3\xa9" "c", 4));
	ck_assert(!cm__imp_like("a?c", "ac", 2));
	ck_assert(cm__imp_like("*", "", 0));
}
END_TEST

static const char *const UCDP_HEAD =
	"id,relid,year,active_year,code_status,type_of_violence,"
	"conflict_dset_id,conflict_new_id,conflict_name,dyad_dset_id,"
	"dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,"
	"side_b_dset_id,side_b_new_id,side_b,number_of_sources,"
	"source_article,source_office,source_date,source_headline,"
	"source_original,where_prec,where_coordinates,where_description,"
	"adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,"
	"country_id,region,event_clarity,date_prec,date_start,date_end,"
	"deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low,"
	"gwnoa,gwnob\n";

START_TEST(ucdp_rows)
{
	cm_mapping *m = map_ok(
		"import ucdp u {\n"
		"  party PK \"Government of Pakistan\"\n"
		"  party TTP \"TTP\"\n"
		"  when side_b is TTP emit attack(by: TTP, on: side_a,\n"
		"    fatalities: number(best))\n"
		"}\n");
	char *csv = talloc_asprintf(
		S, "%s1,r,2025,TRUE,Clear,1,209,209,\"Pakistan: "
		"Government\",724,724,d,139,139,Government of Pakistan,1159,"
		"1159,TTP,2,\"Dawn,2025-10-10,\"\"x\"\"\",Dawn,2025-10-10,h,o,"
		"2,c,w,Khyber Pakhtunkhwa province,a2,1,2,POINT (2 1),1,"
		"Pakistan,770,Asia,1,1,2025-10-09 00:00:00.000,2025-10-09 "
		"00:00:00.000,11,19,0,0,30,30,30,770,\n", UCDP_HEAD);
	int rc;
	char *out = run_csv(m, csv, &rc);
	ck_assert_int_eq(rc, CM_IMPORT_END);
	ck_assert_str_eq(out, "2 2025-10-09 attack(by: TTP, on: PK, "
			      "fatalities: 30)\n");
	cm_free(m);
}
END_TEST

/* ---- the monitor source -------------------------------------------------- */

START_TEST(monitor_names_the_row)
{
	cm_document *doc = parse_ok(
		"agreement a {\n  date 2025-10-01\n  party PK \"P\"\n"
		"  party AF \"A\"\n  mediator QA \"Q\"\n"
		"  commitment c { AF must not attack(on: PK) }\n}\n");
	cm_agreement *a = cm_document_agreement(doc, 0);
	cm_mapping *m = map_ok(MAP);
	char *csv = talloc_asprintf(
		S, "%s%s%s", ACLED_HEAD,
		acled_row("2025-10-20", "Battles", "Armed clash",
			  "Military Forces of Afghanistan (2021-)",
			  "Military Forces of Pakistan (2024-)", "Afghanistan",
			  "Kandahar", "Reuters", "x", "2"),
		acled_row("2025-10-13", "Battles", "Armed clash",
			  "Military Forces of Afghanistan (2021-)",
			  "Military Forces of Pakistan (2024-)", "Afghanistan",
			  "Kandahar", "Reuters", "y", "2"));
	cm_monitor *mon;
	cm_import *imp;
	cm_error err;
	ck_assert_int_eq(cm_monitor_new(tctx, a, "all", &mon, &err), CM_OK);
	ck_assert_int_eq(cm_import_new(tctx, m, &imp, &err), CM_OK);
	ck_assert_int_eq(cm_import_add_memory(imp, csv, strlen(csv), "d.csv",
					      &err), CM_OK);
	ck_assert_int_eq(cm_monitor_add_import(mon, imp, &err), CM_OK);
	ck_assert_int_eq(cm_monitor_add_import(mon, imp, &err), CM_EINVAL);
	ck_assert_int_eq(cm_import_next(imp, &err), CM_EINVAL);
	ck_assert_int_eq(cm_monitor_run(mon, CM_TIME_NONE, &err), CM_OK);
	cm_snapshot *s;
	ck_assert_int_eq(cm_monitor_snapshot(tctx, mon, &s, &err), CM_OK);
	cm_free(mon);
	cm_free(imp);
	ck_assert_int_eq(cm_snapshot_state(s, 0), CM_STATE_VIOLATED);
	/* the earlier row, on line 3 of the CSV, came first after sorting */
	ck_assert_int_eq(cm_snapshot_cause_line(s, 0), 3);
	ck_assert_str_eq(cm_snapshot_cause_file(s, 0), "d.csv");
	cm_free(s);
	cm_free(m);
	cm_free(doc);
}
END_TEST

START_TEST(monitor_run_fails_cleanly)
{
	cm_document *doc = parse_ok(
		"agreement a {\n  party PK \"P\"\n  party AF \"A\"\n"
		"  commitment c { AF must not attack(on: PK) }\n}\n");
	cm_agreement *a = cm_document_agreement(doc, 0);
	cm_mapping *m = map_ok(MAP);
	char *csv = talloc_asprintf(S, "%sa\"b\n", ACLED_HEAD);
	cm_monitor *mon;
	cm_import *imp;
	cm_error err;
	ck_assert_int_eq(cm_monitor_new(tctx, a, NULL, &mon, &err), CM_OK);
	ck_assert_int_eq(cm_import_new(tctx, m, &imp, &err), CM_OK);
	ck_assert_int_eq(cm_import_add_memory(imp, csv, strlen(csv), "b.csv",
					      &err), CM_OK);
	ck_assert_int_eq(cm_monitor_add_import(mon, imp, &err), CM_OK);
	ck_assert_int_eq(cm_monitor_run(mon, CM_TIME_NONE, &err), CM_ESYNTAX);
	ck_assert_str_eq(err.file, "b.csv");
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(cm_monitor_run(mon, CM_TIME_NONE, &err), CM_EINVAL);
	ck_assert_msg(strstr(err.message, "read once") != NULL, "%s",
		      err.message);
	cm_free(mon);
	cm_free(imp);
	/* a missing file */
	ck_assert_int_eq(cm_monitor_new(tctx, a, NULL, &mon, &err), CM_OK);
	ck_assert_int_eq(cm_import_new(tctx, m, &imp, &err), CM_OK);
	ck_assert_int_eq(cm_import_add_file(imp, "/nonexistent.csv", &err),
			 CM_OK);
	ck_assert_int_eq(cm_monitor_add_import(mon, imp, &err), CM_OK);
	ck_assert_int_eq(cm_monitor_run(mon, CM_TIME_NONE, &err), CM_EIO);
	ck_assert_str_eq(err.file, "/nonexistent.csv");
	cm_free(mon);
	cm_free(imp);
	cm_free(m);
	cm_free(doc);
	ck_assert_int_eq(cm_import_new(tctx, NULL, &imp, &err), CM_EINVAL);
	ck_assert_int_eq(cm_import_next(NULL, &err), CM_EINVAL);
	ck_assert_int_eq(cm_monitor_add_import(NULL, NULL, &err), CM_EINVAL);
	ck_assert_int_eq(cm_mapping_parse_file(tctx, "/nonexistent.map", &m,
					       &err), CM_EIO);
}
END_TEST

START_TEST(example_files)
{
	const char *src = getenv("SRCDIR");
	if (!src)
		return;
	const char *ds[] = {"acled", "ucdp"};
	for (int k = 0; k < 2; k++) {
		char *mp = talloc_asprintf(S, "%s/examples/%s/istanbul.map",
					   src, ds[k]);
		char *cp = talloc_asprintf(S, "%s/examples/%s/sample.csv",
					   src, ds[k]);
		cm_mapping *m;
		cm_error err;
		ck_assert_msg(cm_mapping_parse_file(tctx, mp, &m, &err) == CM_OK,
			      "%s:%d:%d: %s", err.file, err.line, err.column,
			      err.message);
		cm_import *imp;
		ck_assert_int_eq(cm_import_new(tctx, m, &imp, &err), CM_OK);
		ck_assert_int_eq(cm_import_add_file(imp, cp, &err), CM_OK);
		/* twice: every row of the second is a duplicate */
		ck_assert_int_eq(cm_import_add_file(imp, cp, &err), CM_OK);
		int rc, n = 0;
		while ((rc = cm_import_next(imp, &err)) == CM_IMPORT_EVENT)
			n++;
		ck_assert_int_eq(rc, CM_IMPORT_END);
		ck_assert_int_gt(n, 5);
		ck_assert_uint_eq(cm_import_count(imp, CM_IMPORT_ROWS), 24);
		ck_assert_uint_eq(cm_import_count(imp, CM_IMPORT_DUPLICATES),
				  (uint64_t)n + 2);
		cm_free(imp);
		cm_free(m);
	}
}
END_TEST

/* ---- an import block in a .cmt document --------------------------------- */

START_TEST(document_blocks)
{
	const char *text =
		"# the agreement and its mapping in one file\n"
		"agreement a {\n  party PK \"P\"\n  party AF \"A\"\n"
		"  commitment c { AF must not attack(on: PK) }\n}\n"
		"\n"
		"import acled m \"rows\" {\n"
		"  # the names\n"
		"  party AF \"Military Forces of Afghanistan (2021-)\",\n"
		"           like \"Police Forces of Afghanistan*\"\n"
		"  party PK \"Pakistan\"\n"
		"  type event_type, sub_event_type\n"
		"  when not actor2 is \"x \\\"y\\\"\" and fatalities >= 2.5\n"
		"    emit attack(by: actor1, on: PK, n: 3, s: \"t\", w: text(notes))\n"
		"    reported by source  # per source\n"
		"  drop unless type like \"Battles/*\"\n"
		"  default verified by PK\n"
		"}\n";
	cm_document *doc = parse_ok(text);
	ck_assert_uint_eq(cm_document_mapping_count(doc), 1);
	const cm_mapping *m = cm_document_mapping(doc, 0);
	ck_assert_str_eq(cm_mapping_id(m), "m");
	ck_assert_ptr_null(cm_document_mapping(doc, 1));
	ck_assert_uint_eq(cm_document_mapping_count(NULL), 0);
	char *out = NULL;
	cm_error err;
	ck_assert_int_eq(cm_document_to_text(tctx, doc, &out, &err), CM_OK);
	ck_assert_str_eq(out,
		"# the agreement and its mapping in one file\n"
		"agreement a {\n  party PK \"P\"\n  party AF \"A\"\n\n"
		"  commitment c {\n    AF must not attack(on: PK)\n  }\n}\n"
		"\n"
		"import acled m \"rows\" {\n"
		"  type event_type, sub_event_type\n"
		"  # the names\n"
		"  party AF \"Military Forces of Afghanistan (2021-)\", like "
		"\"Police Forces of Afghanistan*\"\n"
		"  party PK \"Pakistan\"\n"
		"  drop unless type like \"Battles/*\"\n"
		"  when not actor2 is \"x \\\"y\\\"\" and fatalities >= 2.5 emit "
		"attack(by: actor1, on: PK, n: 3, s: \"t\", w: text(notes)) "
		"reported by source  # per source\n"
		"  default verified by PK\n"
		"}\n");
	/* the canonical text parses back to the same text */
	cm_document *again = parse_ok(out);
	char *out2 = NULL;
	ck_assert_int_eq(cm_document_to_text(tctx, again, &out2, &err), CM_OK);
	ck_assert_str_eq(out2, out);
	cm_free(out2);
	cm_free(again);
	cm_free(out);
	cm_free(doc);
	/* errors inside a block of a document are positioned there */
	parse_fails("agreement a { party P \"p\" }\nimport acled m {\n"
		    "  when actr is \"a\" emit a()\n}\n", CM_ESEMANTIC, 3, 8,
		    "ACLED has no column 'actr'");
	parse_fails("banana", CM_ESYNTAX, 1, 1, "'events' or 'import'");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("import");
	TCase *tc = tcase_leakcheck(s, "mapping");
	tcase_add_checked_fixture(tc, s_setup, s_teardown);
	tcase_add_test(tc, mapping_parses);
	tcase_add_test(tc, mapping_errors);
	tcase_add_test(tc, document_blocks);
	tc = tcase_leakcheck(s, "rows");
	tcase_add_checked_fixture(tc, s_setup, s_teardown);
	tcase_add_test(tc, rows_become_events);
	tcase_add_test(tc, counters_and_duplicates);
	tcase_add_test(tc, skips_and_strict);
	tcase_add_test(tc, malformed_csv);
	tcase_add_test(tc, dates);
	tcase_add_test(tc, ucdp_rows);
	tcase_add_test(tc, example_files);
	tc = tcase_leakcheck(s, "monitor");
	tcase_add_checked_fixture(tc, s_setup, s_teardown);
	tcase_add_test(tc, monitor_names_the_row);
	tcase_add_test(tc, monitor_run_fails_cleanly);
	return run_suite(s);
}
