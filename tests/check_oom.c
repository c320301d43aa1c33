/*
 * Allocation failures at every public entry point, SQLite style.
 *
 * Built only with -Dfault_injection=true. For each entry point, the call
 * is first run once without injection (the reference). Then, for
 * N = 1, 2, ... the N-th allocation from the start of the call fails
 * (once, or from then on), until the call completes without reaching the
 * N-th allocation. At every N:
 *  - the call returns CM_ENOMEM (err->code too), or CM_OK with the
 *    reference result;
 *  - it hands nothing out (the new object stays NULL);
 *  - the objects the caller held are as they were (their canonical text,
 *    reports, snapshots compare equal) and usable: the same call made
 *    again without injection succeeds and gives the reference result;
 *  - nothing is leaked: the talloc block count under the caller's
 *    context is back to what it was (arena blocks aside: an agreement's
 *    or a document's arena may keep a block it grew, which it reuses).
 *
 * Each N starts from a fresh fixture (everything the entry points take:
 * parsed and built agreements, a report, an analysis, monitors, a
 * snapshot), made without injection.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>
#include <unistd.h>

#include "testutil.h"

#include "model/model.h"

/* ---- inputs -------------------------------------------------------------- */

static const char MAIN_TEXT[] =
	"# security talks\n"
	"policy stance \"Our stance\" {\n"
	"  require written for obligations\n"
	"  require signed by debtor\n"
	"}\n"
	"agreement istanbul \"Security understanding\" {\n"
	"  date 2025-11-07\n"
	"  party PK \"Pakistan\" state\n"
	"  party AF \"Afghan Taliban administration\" authority\n"
	"  mediator TR \"Turkiye\" state\n"
	"  mediator QA \"Qatar\" state\n"
	"  actor TTP \"Tehreek-e-Taliban Pakistan\" armed-group\n"
	"  use written-only  # no verbal guarantees\n"
	"  use stance\n"
	"  require witnessed by any mediator for AF\n"
	"  require parties state, organization\n"
	"  require registered\n"
	"  require dated\n"
	"  require verifiable\n"
	"  commitment no_safe_haven {\n"
	"    AF must prevent attack(from: AF, on: PK)\n"
	"    verbal\n"
	"    witnessed by TR, QA\n"
	"    note \"agreed verbally\"\n"
	"  }\n"
	"  commitment ceasefire {\n"
	"    PK must not strike(on: AF)\n"
	"    unless attack(from: AF, on: PK) within 30d\n"
	"    reciprocal no_safe_haven\n"
	"    until 2026-12-31\n"
	"  }\n"
	"  commitment defensive_action {\n"
	"    PK may strike(in: AF, against: TTP)\n"
	"    if violated(no_safe_haven)\n"
	"    claimed\n"
	"    verbal\n"
	"  }\n"
	"  commitment talks {\n"
	"    AF must meet(with: PK) within 20d\n"
	"    to PK\n"
	"    while not count(attack(on: PK)) >= 3 within 7d and "
	"active(ceasefire)\n"
	"    signed by AF on 2025-11-08\n"
	"  }\n"
	"  commitment report {\n"
	"    PK must \"report to both sides\" by 2026-01-01\n"
	"    proposed by PK\n"
	"  }\n"
	"  events {\n"
	"    2025-11-09 meet(by: AF, with: PK) verified by QA\n"
	"  }\n"
	"}\n"
	"agreement stalemate {\n"
	"  date 2025-01-01\n"
	"  party A \"A\" state\n"
	"  party B \"B\" organization\n"
	"  signed by A, B on 2025-01-02\n"
	"  ratified by A\n"
	"  registered on 2025-02-01\n"
	"  commitment a_first { A must withdraw() if fulfilled(b_first) }\n"
	"  commitment b_first { B must withdraw() if fulfilled(a_first) }\n"
	"  commitment after { A must pay(to: B) if active(a_first) "
	"written }\n"
	"}\n"
	"events {\n"
	"  2025-11-20 attack(by: TTP, from: AF, on: PK, at: \"Orakzai\") "
	"reported by PK denied by AF\n"
	"  2025-11-22 strike(by: PK, on: AF, in: AF, against: TTP)\n"
	"}\n";

static const char SECOND_TEXT[] =
	"agreement second {\n"
	"  party X \"X\" state\n"
	"  party Y \"Y\" state\n"
	"  use stance\n"
	"  commitment x { X must not cross(line: border) }\n"
	"}\n";

static const char EVENTS_TEXT[] =
	"2025-11-21 attack(by: TTP, from: AF, on: PK) reported by PK\n"
	"2025-11-25 strike(by: PK, on: AF) \"retaliation\" verified by QA\n";

static const char BAD_ORDER[] =
	"2025-11-21 attack(by: TTP, from: AF, on: PK)\n"
	"2025-11-20 strike(by: PK, on: AF)\n";

static char events_path[64];
static char map_path[64];
static char csv_path[64];

/* The importers (lib/import-*.c): a mapping and an ACLED CSV. */
static const char MAP_TEXT[] =
	"import acled oom \"oom test\" {\n"
	"  type event_type, sub_event_type\n"
	"  party PK \"Military Forces of Pakistan (2024-)\", \"Pakistan\"\n"
	"  party AF \"Afghanistan\", like \"Military Forces of Afghanistan*\"\n"
	"  party TTP like \"TTP*\"\n"
	"  party QA \"QNA\"\n"
	"  drop if country is \"India\"\n"
	"  when type is \"Battles/Armed clash\" and actor1 is TTP\n"
	"    emit attack(by: TTP, from: AF, on: PK, in: country,\n"
	"                fatalities: number(fatalities), at: text(admin1))\n"
	"  when sub_event_type is \"Air/drone strike\" and actor1 is any party\n"
	"    emit strike(by: actor1, on: AF) verified by QA\n"
	"  default reported by source\n"
	"}\n";
static const char CSV_TEXT[] =
	"event_id_cnty,event_date,year,time_precision,disorder_type,"
	"event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,"
	"assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,"
	"country,admin1,admin2,admin3,location,latitude,longitude,"
	"geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n"
	"A3,2025-11-28,2025,1,PV,Explosions/Remote violence,Air/drone strike,"
	"Military Forces of Pakistan (2024-),,S,,,,,,4,SA,Afghanistan,Paktika,"
	",,,1,2,1,QNA,N,\"a \"\"strike\"\"\",6,,1\n"
	"A2,2025-11-20,2025,1,PV,Battles,Armed clash,TTP: x,,R,,,,,,586,SA,"
	"Pakistan,Orakzai,,,,1,2,1,Dawn; Pakistan,N,\"n,\nm\",5,,1\n"
	"A2,2025-11-20,2025,1,PV,Battles,Armed clash,TTP: x,,R,,,,,,586,SA,"
	"Pakistan,Orakzai,,,,1,2,1,Dawn; Pakistan,N,\"n,\nm\",5,,1\n"
	"A1,2025-11-19,2025,1,PV,Battles,Armed clash,TTP: x,,R,,,,,,586,SA,"
	"Pakistan,Orakzai,,,,1,2,1,Dawn,N,x,many,,1\n"
	"A0,2025-11-18,2025,1,PV,Battles,Armed clash,TTP: x,,R,,,,,,356,SA,"
	"India,K,,,,1,2,1,Dawn,N,x,1,,1\n";
static char second_path[64];
static char main_path[64];

/* ---- the fixture --------------------------------------------------------- */

/* SPEC 0.2 part 1: every new construct, with events that breach. */
static const char V02_TEXT[] =
	"agreement doha \"Doha ceasefire\" {\n"
	"  date 2025-10-19\n"
	"  party PK \"Pakistan\" state\n"
	"  party AF \"Afghanistan\" authority\n"
	"  mediator QA \"Qatar\" state\n"
	"  commitment pk { PK must not strike(on: AF) reciprocal af within 30d }\n"
	"  commitment af { AF must not strike(on: PK) reciprocal pk }\n"
	"  commitment verify { QA must report(on: af) within 30d }\n"
	"  commitment enrich { AF must not enrich(level: > 3.67) }\n"
	"  commitment hold { PK may strike(on: AF) unless breaches(af) >= 3 within 10d }\n"
	"  commitment talks { AF must meet(with: PK) if breached(pk) within 2d }\n"
	"  commitment idea { PK must not x() proposed by PK rejected by AF }\n"
	"  events {\n"
	"    2025-10-25 strike(by: AF, on: PK) reported by PK\n"
	"    2025-10-26 strike(by: AF, on: PK) denied by AF\n"
	"    2025-10-27 enrich(by: AF, level: 4)\n"
	"    2025-11-02 strike(by: PK, on: AF)\n"
	"  }\n"
	"}\n";

struct fx {
	void *ctx;            /* everything below, a child of tctx */
	void *out;            /* what the call under test creates */
	cm_error err;

	cm_document *doc;     /* MAIN_TEXT, resolved */
	cm_agreement *a;      /* istanbul */
	cm_agreement *stalemate;
	cm_document *doc2;    /* MAIN_TEXT added, not resolved */
	cm_document *doc3;    /* MAIN_TEXT parsed, SECOND_TEXT added */
	cm_agreement *built;  /* built in code, complete, not validated */
	cm_agreement *bare;   /* built in code; commitment "fresh" without
				 content or any optional item */
	cm_commitment *fresh;
	cm_commitment *c1;    /* of built */
	cm_policy *pol;       /* built in code */
	cm_report *report;
	cm_analysis *an;
	cm_monitor *mon;      /* sources registered, not run */
	cm_monitor *idle;     /* no source registered */
	cm_monitor *live;     /* one event fed, held */
	cm_monitor *held;     /* two events of one minute fed, held (not
				 snapshot by describe()) */
	cm_monitor *bad_order; /* a source out of order registered */
	cm_monitor *bad_file;  /* a missing file registered */
	cm_snapshot *snap;    /* of mon after its run (a copy run) */
	cm_document *v02;     /* V02_TEXT */
	cm_mapping *map;      /* MAP_TEXT */
	cm_document *docm;    /* MAIN_TEXT and MAP_TEXT in one text */

	/* what a call hands out (must stay NULL on failure) */
	void *newobj;
	char *newstr;
	cm_condition *node;
};

static cm_time T(const char *s)
{
	cm_time t;
	ck_assert_int_eq(cm_time_parse(s, 0, &t), CM_OK);
	return t;
}

#define OK(call)                                                             \
	do {                                                                 \
		int rc_ = (call);                                            \
		ck_assert_msg(rc_ == CM_OK, "%s: %d %s", #call, rc_,         \
			      f->err.message);                               \
	} while (0)

static void build_agreement(struct fx *f)
{
	cm_agreement *b = NULL;
	OK(cm_agreement_new(f->ctx, "built", "Built in code", &b, &f->err));
	f->built = b;
	OK(cm_agreement_set_date(b, T("2025-03-01"), &f->err));
	OK(cm_agreement_add_party(b, "PK", "Pakistan", CM_ROLE_PARTY,
				  CM_KIND_STATE, &f->err));
	OK(cm_agreement_add_party(b, "AF", "Afghanistan", CM_ROLE_PARTY,
				  CM_KIND_AUTHORITY, &f->err));
	OK(cm_agreement_add_party(b, "QA", "Qatar", CM_ROLE_MEDIATOR,
				  CM_KIND_STATE, &f->err));
	OK(cm_agreement_add_signature(b, "PK", T("2025-03-02"), &f->err));
	OK(cm_agreement_add_requirement(b, "signed by all parties", "all",
					&f->err));
	cm_commitment *c = NULL;
	OK(cm_agreement_add_commitment(b, "c1", "PK", CM_MUST_NOT, &c,
				       &f->err));
	f->c1 = c;
	OK(cm_commitment_set_action(c, "strike(on: AF)", &f->err));
	OK(cm_commitment_add_condition(c, CM_COND_WHILE,
				       "not attack(on: PK) within 2d", &f->err));
	OK(cm_commitment_add_reciprocal(c, "c2", &f->err));
	OK(cm_commitment_set_until(c, T("2026-01-01"), &f->err));
	OK(cm_commitment_add_witness(c, "QA", &f->err));
	OK(cm_agreement_add_commitment(b, "c2", "AF", CM_MUST, &c, &f->err));
	OK(cm_commitment_set_action(c, "hand_over(what: prisoners)", &f->err));
	OK(cm_commitment_set_within(c, 7 * 1440, &f->err));
	OK(cm_commitment_set_form(c, CM_FORM_WRITTEN, &f->err));
	OK(cm_commitment_add_signature(c, "AF", CM_TIME_NONE, &f->err));
	OK(cm_agreement_add_commitment(b, "c3", "AF", CM_MAY, &c, &f->err));
	OK(cm_commitment_set_text(c, "keep a liaison office", &f->err));
	OK(cm_commitment_set_standing(c, CM_STANDING_PROPOSED, "AF", &f->err));
	cm_condition *x = NULL, *y = NULL, *z = NULL;
	OK(cm_condition_new_state(c, CM_STATE_FULFILLED, "c2", &x, &f->err));
	OK(cm_condition_new_count(c, "raid()", CM_CMP_LT, 2, 1440, &y,
				  &f->err));
	OK(cm_condition_new_binary(c, CM_CT_AND, x, y, &z, &f->err));
	OK(cm_commitment_add_condition_node(c, CM_COND_IF, z, &f->err));

	OK(cm_agreement_new(f->ctx, "bare", NULL, &b, &f->err));
	f->bare = b;
	OK(cm_agreement_add_party(b, "PK", "Pakistan", CM_ROLE_PARTY,
				  CM_KIND_STATE, &f->err));
	OK(cm_agreement_add_party(b, "AF", "Afghanistan", CM_ROLE_PARTY,
				  CM_KIND_NONE, &f->err));
	OK(cm_agreement_add_commitment(b, "other", "PK", CM_MUST, NULL,
				       &f->err));
	OK(cm_agreement_add_commitment(b, "fresh", "PK", CM_MUST, &f->fresh,
				       &f->err));

	OK(cm_policy_new(f->ctx, "mine", "My policy", &f->pol, &f->err));
	OK(cm_policy_add_requirement(f->pol, "written", "obligations",
				     &f->err));
	OK(cm_policy_add_requirement(f->pol, "witnessed by creditor", NULL,
				     &f->err));
}

static void fx_setup(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	f->ctx = talloc_named_const(tctx, 0, "fixture");
	f->out = talloc_named_const(f->ctx, 0, "out");
	OK(cm_parse(f->ctx, MAIN_TEXT, strlen(MAIN_TEXT), "main.cmt", &f->doc,
		    &f->err));
	f->a = cm_document_agreement(f->doc, 0);
	f->stalemate = cm_document_agreement(f->doc, 1);
	OK(cm_document_new(f->ctx, &f->doc2, &f->err));
	OK(cm_document_add_text(f->doc2, MAIN_TEXT, strlen(MAIN_TEXT),
				"main.cmt", &f->err));
	OK(cm_parse(f->ctx, MAIN_TEXT, strlen(MAIN_TEXT), "main.cmt", &f->doc3,
		    &f->err));
	OK(cm_document_add_text(f->doc3, SECOND_TEXT, strlen(SECOND_TEXT),
				"second.cmt", &f->err));
	build_agreement(f);
	OK(cm_check(f->ctx, f->a, NULL, 0, &f->report, &f->err));
	OK(cm_analyze(f->ctx, f->stalemate, &f->an, &f->err));
	OK(cm_monitor_new(f->ctx, f->a, "PK", &f->mon, &f->err));
	OK(cm_monitor_add_document_events(f->mon, f->doc, &f->err));
	OK(cm_monitor_add_events_text(f->mon, EVENTS_TEXT,
				      strlen(EVENTS_TEXT), "ev.txt", &f->err));
	OK(cm_monitor_new(f->ctx, f->a, "verified", &f->idle, &f->err));
	OK(cm_monitor_new(f->ctx, f->a, NULL, &f->live, &f->err));
	const char *line = "2025-11-20 attack(by: TTP, from: AF, on: PK)";
	OK(cm_monitor_feed_text(f->live, 0, line, strlen(line), &f->err));
	OK(cm_monitor_new(f->ctx, f->a, NULL, &f->bad_order, &f->err));
	OK(cm_monitor_add_document_events(f->bad_order, f->doc, &f->err));
	OK(cm_monitor_add_events_text(f->bad_order, BAD_ORDER,
				      strlen(BAD_ORDER), "order.txt", &f->err));
	OK(cm_monitor_new(f->ctx, f->a, NULL, &f->bad_file, &f->err));
	OK(cm_monitor_add_events_text(f->bad_file, EVENTS_TEXT,
				      strlen(EVENTS_TEXT), "ev.txt", &f->err));
	OK(cm_monitor_add_events_file(f->bad_file, "/nonexistent/ev.txt",
				      &f->err));
	OK(cm_monitor_new(f->ctx, f->a, NULL, &f->held, &f->err));
	const char *l1 = "2025-11-23 meet(by: AF, with: PK)";
	const char *l2 = "2025-11-23 strike(by: PK, on: AF)";
	OK(cm_monitor_feed_text(f->held, 2, l1, strlen(l1), &f->err));
	OK(cm_monitor_feed_text(f->held, 1, l2, strlen(l2), &f->err));
	cm_monitor *m = NULL;
	OK(cm_monitor_new(f->ctx, f->a, "AF", &m, &f->err));
	OK(cm_monitor_add_document_events(m, f->doc, &f->err));
	OK(cm_monitor_add_events_file(m, events_path, &f->err));
	OK(cm_monitor_run(m, CM_TIME_NONE, &f->err));
	OK(cm_monitor_snapshot(f->ctx, m, &f->snap, &f->err));
	cm_free(m);
	OK(cm_parse(f->ctx, V02_TEXT, strlen(V02_TEXT), "v02.cmt", &f->v02,
		    &f->err));
	OK(cm_mapping_parse(f->ctx, MAP_TEXT, strlen(MAP_TEXT), "oom.map",
			    &f->map, &f->err));
	{
		char *both = talloc_asprintf(f->ctx, "%s# the mapping\n%s",
					     MAIN_TEXT, MAP_TEXT);
		OK(cm_parse(f->ctx, both, strlen(both), "both.cmt", &f->docm,
			    &f->err));
		talloc_free(both);
	}
	/* the builders' next arena allocation takes a new block, so that
	 * it can fail (else it may be served from the current block) */
	f->built->arena.left = 0;
	f->bare->arena.left = 0;
	f->pol->arena.left = 0;
}

/* Append @p s (may be NULL) and a separator. */
static void add(char **acc, const char *s)
{
	*acc = talloc_asprintf_append(*acc, "%s\n--\n", s ? s : "(null)");
}

/* Append the text an entry point writes, or its status. */
#define ADD_OUT(call)                                                        \
	do {                                                                 \
		char *s_ = NULL;                                             \
		int rc_ = (call);                                            \
		if (rc_ == CM_OK)                                            \
			add(&acc, s_);                                       \
		else                                                         \
			acc = talloc_asprintf_append(acc, "rc %d\n", rc_);   \
		talloc_free(s_);                                             \
	} while (0)

/* Everything observable about the objects the caller holds. */
static char *describe(struct fx *f, void *mem)
{
	char *acc = talloc_strdup(mem, "");
	ADD_OUT(cm_document_to_text(mem, f->doc, &s_, NULL));
	ADD_OUT(cm_document_to_text(mem, f->doc2, &s_, NULL));
	ADD_OUT(cm_document_to_text(mem, f->doc3, &s_, NULL));
	acc = talloc_asprintf_append(acc, "doc2 %zu agreements %zu policies\n",
				     cm_document_agreement_count(f->doc2),
				     cm_document_policy_count(f->doc2));
	ADD_OUT(cm_agreement_to_text(mem, f->built, &s_, NULL));
	for (size_t i = 0; i < cm_agreement_party_count(f->bare); i++)
		add(&acc, cm_party_id(cm_agreement_party(f->bare, i)));
	for (size_t i = 0; i < cm_agreement_commitment_count(f->bare); i++) {
		cm_commitment *c = cm_agreement_commitment(f->bare, i);
		acc = talloc_asprintf_append(acc, "%s %s %d %d %d %s %s\n",
			cm_commitment_id(c), cm_commitment_debtor(c),
			cm_commitment_declared_form(c),
			cm_commitment_standing(c), cm_commitment_is_action(c),
			cm_commitment_action_type(c) ?
				cm_commitment_action_type(c) : "-",
			cm_commitment_text(c) ? cm_commitment_text(c) : "-");
	}
	acc = talloc_asprintf_append(acc, "policy %s %zu\n",
				     cm_policy_id(f->pol),
				     cm_policy_requirement_count(f->pol));
	ADD_OUT(cm_report_to_json(mem, f->report, &s_, NULL));
	ADD_OUT(cm_analysis_to_json(mem, f->an, &s_, NULL));
	ADD_OUT(cm_snapshot_to_json(mem, f->snap, &s_, NULL));
	cm_snapshot *s = NULL;
	if (cm_monitor_snapshot(mem, f->live, &s, NULL) == CM_OK)
		ADD_OUT(cm_snapshot_to_json(mem, s, &s_, NULL));
	talloc_free(s);
	acc = talloc_asprintf_append(acc, "clocks %lld %lld %lld %lld\n",
		(long long)cm_monitor_clock(f->live),
		(long long)cm_monitor_clock(f->mon),
		(long long)cm_monitor_clock(f->held),
		(long long)cm_monitor_last_event_time(f->held));
	return acc;
}

/* Talloc blocks under @p ctx: all of them, and the arena blocks. */
struct counts {
	size_t all, arena;
};

static void count_cb(const void *ptr, int depth, int max_depth, int is_ref,
		     void *priv)
{
	struct counts *c = priv;
	if (is_ref)
		return;
	c->all++;
	if (strcmp(talloc_get_name(ptr), "cm_arena_block") == 0)
		c->arena++;
}

static struct counts count(const void *ctx)
{
	struct counts c = {0, 0};
	talloc_report_depth_cb(ctx, 0, -1, count_cb, &c);
	ck_assert_uint_eq(c.all, talloc_total_blocks(ctx));
	return c;
}

/* ---- the entry points ---------------------------------------------------- */

/* A call: returns its status; what it creates goes under f->out and into
 * f->newobj / f->newstr. */
typedef int (*call_fn)(struct fx *f);
/* The result to compare with the reference, under @p mem (NULL: the
 * fixture's description after the call). */
typedef char *(*result_fn)(struct fx *f, void *mem);

struct entry {
	const char *name;
	call_fn call;
	result_fn result;
	bool may_not_allocate; /* and that is right */
	int expect;            /* the call's status without injection */
};

static char *res_str(struct fx *f, void *mem)
{
	return talloc_strdup(mem, f->newstr);
}

static char *res_doc(struct fx *f, void *mem)
{
	char *s = NULL;
	OK(cm_document_to_text(mem, f->newobj, &s, &f->err));
	return s;
}

static char *res_agreement(struct fx *f, void *mem)
{
	char *s = NULL;
	cm_agreement *a = f->newobj;
	ck_assert_ptr_nonnull(a);
	if (cm_agreement_commitment_count(a) == 0 &&
	    cm_agreement_party_count(a) == 0)
		return talloc_asprintf(mem, "%s %s", cm_agreement_id(a),
				       cm_agreement_title(a));
	OK(cm_agreement_to_text(mem, a, &s, &f->err));
	return s;
}

static char *res_policy(struct fx *f, void *mem)
{
	cm_policy *p = f->newobj;
	ck_assert_ptr_nonnull(p);
	/* apply it to a fresh agreement and write that: the requirements */
	cm_agreement *a = NULL;
	OK(cm_agreement_new(mem, "p", NULL, &a, &f->err));
	OK(cm_agreement_use_policy(a, p, &f->err));
	char *s = NULL;
	OK(cm_agreement_to_text(mem, a, &s, &f->err));
	return talloc_asprintf(mem, "%s %s %zu\n%s", cm_policy_id(p),
			       cm_policy_title(p),
			       cm_policy_requirement_count(p), s);
}

static char *res_report(struct fx *f, void *mem)
{
	char *s = NULL, *t = NULL;
	OK(cm_report_to_json(mem, f->newobj, &s, &f->err));
	OK(cm_report_to_text(mem, f->newobj, &t, &f->err));
	return talloc_asprintf(mem, "%s\n%s", s, t);
}

static char *res_analysis(struct fx *f, void *mem)
{
	char *s = NULL, *t = NULL;
	OK(cm_analysis_to_json(mem, f->newobj, &s, &f->err));
	OK(cm_analysis_to_text(mem, f->newobj, &t, &f->err));
	return talloc_asprintf(mem, "%s\n%s", s, t);
}

static char *snapshot_result(struct fx *f, void *mem, const cm_snapshot *s)
{
	char *j = NULL, *t = NULL;
	OK(cm_snapshot_to_json(mem, s, &j, &f->err));
	OK(cm_snapshot_to_text(mem, s, &t, &f->err));
	return talloc_asprintf(mem, "%s\n%s", j, t);
}

static char *res_snapshot(struct fx *f, void *mem)
{
	return snapshot_result(f, mem, f->newobj);
}

/* A new monitor: run it over the document's events and EVENTS_TEXT. */
static char *res_monitor(struct fx *f, void *mem)
{
	cm_monitor *m = f->newobj;
	ck_assert_ptr_nonnull(m);
	OK(cm_monitor_add_document_events(m, f->doc, &f->err));
	OK(cm_monitor_add_events_text(m, EVENTS_TEXT, strlen(EVENTS_TEXT),
				      "ev.txt", &f->err));
	OK(cm_monitor_run(m, CM_TIME_NONE, &f->err));
	cm_snapshot *s = NULL;
	OK(cm_monitor_snapshot(mem, m, &s, &f->err));
	return snapshot_result(f, mem, s);
}

/* f->mon after the call: run it (if the call did not) and snapshot. */
static char *res_mon(struct fx *f, void *mem)
{
	cm_snapshot *s = NULL;
	if (cm_monitor_clock(f->mon) == CM_TIME_NONE)
		OK(cm_monitor_run(f->mon, CM_TIME_NONE, &f->err));
	OK(cm_monitor_snapshot(mem, f->mon, &s, &f->err));
	return snapshot_result(f, mem, s);
}

/* f->held after the call: snapshot. */
static char *res_held(struct fx *f, void *mem)
{
	cm_snapshot *s = NULL;
	OK(cm_monitor_snapshot(mem, f->held, &s, &f->err));
	return snapshot_result(f, mem, s);
}

/* f->idle after the call: run it and snapshot. */
static char *res_idle(struct fx *f, void *mem)
{
	cm_snapshot *s = NULL;
	OK(cm_monitor_run(f->idle, CM_TIME_NONE, &f->err));
	OK(cm_monitor_snapshot(mem, f->idle, &s, &f->err));
	return snapshot_result(f, mem, s);
}

/* parse */
static int c_parse(struct fx *f)
{
	cm_document *d = NULL;
	int rc = cm_parse(f->out, MAIN_TEXT, strlen(MAIN_TEXT), "main.cmt", &d,
			  &f->err);
	f->newobj = d;
	return rc;
}
static int c_parse_file(struct fx *f)
{
	cm_document *d = NULL;
	int rc = cm_parse_file(f->out, main_path, &d, &f->err);
	f->newobj = d;
	return rc;
}
static int c_document_new(struct fx *f)
{
	cm_document *d = NULL;
	int rc = cm_document_new(f->out, &d, &f->err);
	f->newobj = d;
	return rc;
}
static int c_add_text(struct fx *f)
{
	return cm_document_add_text(f->doc2, SECOND_TEXT, strlen(SECOND_TEXT),
				    "second.cmt", &f->err);
}
static int c_add_file(struct fx *f)
{
	return cm_document_add_file(f->doc2, second_path, &f->err);
}
static int c_resolve(struct fx *f)
{
	return cm_document_resolve(f->doc2, &f->err);
}
static int c_resolve_again(struct fx *f)
{
	/* a resolved document (shipped policies loaded) with a text added */
	return cm_document_resolve(f->doc3, &f->err);
}
static int c_context_new(struct fx *f)
{
	void *c = cm_context_new();
	if (!c) {
		f->err.code = CM_ENOMEM;
		return CM_ENOMEM;
	}
	cm__steal(f->out, c);
	f->newstr = talloc_strdup(f->out, "context");
	return CM_OK;
}

/* build */
static int c_agreement_new(struct fx *f)
{
	cm_agreement *a = NULL;
	int rc = cm_agreement_new(f->out, "x", "A title", &a, &f->err);
	f->newobj = a;
	return rc;
}
static int c_set_date(struct fx *f)
{
	return cm_agreement_set_date(f->bare, T("2025-05-05"), &f->err);
}
static int c_add_party(struct fx *f)
{
	return cm_agreement_add_party(f->built, "TR", "Turkiye",
				      CM_ROLE_GUARANTOR, CM_KIND_STATE,
				      &f->err);
}
static int c_add_signature(struct fx *f)
{
	return cm_agreement_add_signature(f->built, "AF", CM_TIME_NONE,
					  &f->err);
}
static int c_add_ratification(struct fx *f)
{
	return cm_agreement_add_ratification(f->built, "PK", T("2025-04-01"),
					     &f->err);
}
static int c_set_registered(struct fx *f)
{
	return cm_agreement_set_registered(f->built, T("2025-04-02"),
					   &f->err);
}
static int c_add_requirement(struct fx *f)
{
	return cm_agreement_add_requirement(f->built,
					    "parties state, authority",
					    NULL, &f->err);
}
static int c_add_requirement2(struct fx *f)
{
	return cm_agreement_add_requirement(f->built, "ratified by PK, AF",
					    "c1", &f->err);
}
static int c_use_policy(struct fx *f)
{
	return cm_agreement_use_policy(f->built, f->pol, &f->err);
}
static int c_validate(struct fx *f)
{
	return cm_agreement_validate(f->built, &f->err);
}
static int c_add_commitment(struct fx *f)
{
	cm_commitment *c = NULL;
	int rc = cm_agreement_add_commitment(f->built, "c4", "PK",
					     CM_MUST_PREVENT, &c, &f->err);
	if (rc == CM_OK)
		OK(cm_commitment_set_text(c, "no incitement", &f->err));
	return rc;
}
static int c_set_action(struct fx *f)
{
	return cm_commitment_set_action(f->fresh,
					"release(what: prisoners, n: 12)",
					&f->err);
}
static int c_set_text(struct fx *f)
{
	return cm_commitment_set_text(f->fresh, "do \"good\" things",
				      &f->err);
}
static int c_set_deadline(struct fx *f)
{
	return cm_commitment_set_deadline(f->fresh, T("2025-06-01"), &f->err);
}
static int c_set_within(struct fx *f)
{
	return cm_commitment_set_within(f->fresh, 600, &f->err);
}
static int c_add_creditor(struct fx *f)
{
	return cm_commitment_add_creditor(f->c1, "AF", &f->err);
}
static int c_add_condition(struct fx *f)
{
	return cm_commitment_add_condition(f->c1, CM_COND_UNLESS,
		"(violated(c2) or expired(c2)) and not written(c2) and "
		"count(raid(on: PK)) > 4 within 3d", &f->err);
}
static int c_add_condition_node(struct fx *f)
{
	cm_condition *x = NULL, *y = NULL, *z = NULL;
	int rc = cm_condition_new_action(f->c1, "raid(on: PK)", 60, &x,
					 &f->err);
	if (rc == CM_OK)
		rc = cm_condition_new_not(f->c1, x, &y, &f->err);
	if (rc == CM_OK)
		rc = cm_condition_new_form(f->c1, CM_FORM_ATOM_SIGNED, "c2", &x,
					   &f->err);
	if (rc == CM_OK)
		rc = cm_condition_new_binary(f->c1, CM_CT_OR, y, x, &z,
					     &f->err);
	if (rc == CM_OK)
		rc = cm_commitment_add_condition_node(f->c1, CM_COND_WHILE, z,
						      &f->err);
	return rc;
}
static int c_add_reciprocal(struct fx *f)
{
	return cm_commitment_add_reciprocal(f->c1, "c3", &f->err);
}
static int c_set_from(struct fx *f)
{
	return cm_commitment_set_from(f->fresh, T("2025-05-01"), &f->err);
}
static int c_set_until(struct fx *f)
{
	return cm_commitment_set_until(f->fresh, T("2025-08-01"), &f->err);
}
static int c_set_form(struct fx *f)
{
	return cm_commitment_set_form(f->fresh, CM_FORM_VERBAL, &f->err);
}
static int c_c_add_signature(struct fx *f)
{
	return cm_commitment_add_signature(f->c1, "PK", T("2025-03-03"),
					   &f->err);
}
static int c_add_witness(struct fx *f)
{
	return cm_commitment_add_witness(f->c1, "AF", &f->err);
}
static int c_set_standing(struct fx *f)
{
	return cm_commitment_set_standing(f->fresh, CM_STANDING_REJECTED, "AF",
					  &f->err);
}
static int c_set_standing_claimed(struct fx *f)
{
	return cm_commitment_set_standing(f->fresh, CM_STANDING_CLAIMED, NULL,
					  &f->err);
}
static int c_add_note(struct fx *f)
{
	return cm_commitment_add_note(f->c1, "a note", &f->err);
}
/* condition nodes: each attached, so the description shows it */
static int attach(struct fx *f, int rc, cm_condition **n)
{
	if (rc != CM_OK)
		return rc;
	return cm_commitment_add_condition_node(f->c1, CM_COND_IF, *n,
						&f->err);
}
static int c_cond_const(struct fx *f)
{
	cm_condition *n = NULL;
	return attach(f, cm_condition_new_const(f->c1, 1, &n, &f->err), &n);
}
static int c_cond_action(struct fx *f)
{
	cm_condition *n = NULL;
	return attach(f, cm_condition_new_action(f->c1,
		"talk(with: \"the \\\"other\\\" side\", n: 3)", -1, &n,
		&f->err), &n);
}
static int c_cond_count(struct fx *f)
{
	cm_condition *n = NULL;
	return attach(f, cm_condition_new_count(f->c1, "raid(on: AF)",
		CM_CMP_NE, 7, -1, &n, &f->err), &n);
}
static int c_cond_state(struct fx *f)
{
	cm_condition *n = NULL;
	return attach(f, cm_condition_new_state(f->c1, CM_STATE_EXPIRED, "c3",
						&n, &f->err), &n);
}
static int c_cond_form(struct fx *f)
{
	cm_condition *n = NULL;
	return attach(f, cm_condition_new_form(f->c1, CM_FORM_ATOM_WRITTEN,
					       "c2", &n, &f->err), &n);
}
static int c_policy_new(struct fx *f)
{
	cm_policy *p = NULL;
	int rc = cm_policy_new(f->out, "newpol", "New", &p, &f->err);
	f->newobj = p;
	return rc;
}
static int c_policy_add_requirement(struct fx *f)
{
	return cm_policy_add_requirement(f->pol, "signed by any mediator",
					 "prohibitions", &f->err);
}

/* policies */
static int builtin(struct fx *f, const char *name)
{
	cm_policy *p = NULL;
	int rc = cm_policy_builtin(f->out, name, &p, &f->err);
	f->newobj = p;
	return rc;
}
static int c_vclt(struct fx *f) { return builtin(f, "vclt"); }
static int c_unreg(struct fx *f) { return builtin(f, "un-registration"); }
static int c_written_only(struct fx *f) { return builtin(f, "written-only"); }
static int c_find_policy(struct fx *f)
{
	/* a lookup only reads: the shipped policies were loaded when the
	 * document was resolved (cm_parse), so nothing can fail */
	cm_policy *p = cm_document_find_policy(f->doc, "vclt");
	if (!p)
		return cm__error(&f->err, CM_ENOTFOUND, NULL,
				 (struct cm__pos){0, 0}, "vclt not found");
	f->newstr = talloc_asprintf(f->out, "%s", cm_policy_id(p));
	return CM_OK;
}
static int c_lookup_policy(struct fx *f)
{
	cm_policy *p = NULL;
	int rc = cm_document_lookup_policy(f->doc, "vclt", &p, &f->err);
	if (rc == CM_OK)
		f->newstr = talloc_asprintf(f->out, "%s", cm_policy_id(p));
	return rc;
}
static int c_lookup_policy_unresolved(struct fx *f)
{
	/* not resolved yet: the shipped policies are not there */
	cm_policy *p = NULL;
	return cm_document_lookup_policy(f->doc2, "vclt", &p, &f->err);
}

/* check */
static int c_check(struct fx *f)
{
	cm_report *r = NULL;
	int rc = cm_check(f->out, f->a, NULL, 0, &r, &f->err);
	f->newobj = r;
	return rc;
}
static int c_check_built(struct fx *f)
{
	cm_report *r = NULL;
	cm_policy *ps[1] = {f->pol};
	int rc = cm_check(f->out, f->built, ps, 1, &r, &f->err);
	f->newobj = r;
	return rc;
}
static int c_check_stalemate(struct fx *f)
{
	cm_report *r = NULL;
	int rc = cm_check(f->out, f->stalemate, NULL, 0, &r, &f->err);
	f->newobj = r;
	return rc;
}
static int c_report_json(struct fx *f)
{
	return cm_report_to_json(f->out, f->report, &f->newstr, &f->err);
}
static int c_report_text(struct fx *f)
{
	return cm_report_to_text(f->out, f->report, &f->newstr, &f->err);
}

/* monitor */
static int c_monitor_new(struct fx *f)
{
	cm_monitor *m = NULL;
	int rc = cm_monitor_new(f->out, f->a, "AF", &m, &f->err);
	f->newobj = m;
	return rc;
}
static int c_monitor_new_built(struct fx *f)
{
	cm_monitor *m = NULL;
	int rc = cm_monitor_new(f->out, f->built, NULL, &m, &f->err);
	f->newobj = m;
	if (rc == CM_OK) /* its result runs the istanbul events: fine here */
		f->newstr = talloc_asprintf(f->out, "%s",
					    cm_monitor_view(m));
	return rc;
}
static int c_add_document_events(struct fx *f)
{
	return cm_monitor_add_document_events(f->idle, f->doc, &f->err);
}
static int c_add_events_file(struct fx *f)
{
	return cm_monitor_add_events_file(f->idle, events_path, &f->err);
}
static int c_add_events_text(struct fx *f)
{
	return cm_monitor_add_events_text(f->idle, EVENTS_TEXT,
					  strlen(EVENTS_TEXT), NULL, &f->err);
}
static int c_run(struct fx *f)
{
	return cm_monitor_run(f->mon, CM_TIME_NONE, &f->err);
}
static int c_run_at(struct fx *f)
{
	return cm_monitor_run(f->mon, T("2026-12-31"), &f->err);
}
static int c_feed(struct fx *f)
{
	const char *names[] = {"by", "on", "in"};
	const char *values[] = {"PK", "AF", "Kabul"};
	const char *rep[] = {"AF", "QA"};
	const char *den[] = {"PK"};
	const char *ver[] = {"TR"};
	return cm_monitor_feed(f->live, 3, T("2025-11-23"), "strike", names,
			       values, 3, rep, 2, den, 1, ver, 1, &f->err);
}
static int c_feed_text(struct fx *f)
{
	const char *line = "2025-11-24T10:30 strike(by: PK, on: AF) "
			   "\"a note\" reported by AF verified by QA";
	return cm_monitor_feed_text(f->live, 1, line, strlen(line), &f->err);
}
static int c_advance(struct fx *f)
{
	return cm_monitor_advance(f->live, T("2026-02-01"), &f->err);
}
static int c_feed_later(struct fx *f)
{
	/* a later minute applies the two events held in f->held */
	const char *line = "2025-12-30 attack(by: TTP, from: AF, on: PK)";
	return cm_monitor_feed_text(f->held, 0, line, strlen(line), &f->err);
}
static int c_snapshot_held(struct fx *f)
{
	cm_snapshot *s = NULL;
	int rc = cm_monitor_snapshot(f->out, f->held, &s, &f->err);
	f->newobj = s;
	return rc;
}
static int c_snapshot(struct fx *f)
{
	cm_snapshot *s = NULL;
	int rc = cm_monitor_snapshot(f->out, f->live, &s, &f->err);
	f->newobj = s;
	return rc;
}
static int c_snapshot_json(struct fx *f)
{
	return cm_snapshot_to_json(f->out, f->snap, &f->newstr, &f->err);
}
static int c_snapshot_text(struct fx *f)
{
	return cm_snapshot_to_text(f->out, f->snap, &f->newstr, &f->err);
}

/* analyze */
static int c_analyze(struct fx *f)
{
	cm_analysis *an = NULL;
	int rc = cm_analyze(f->out, f->stalemate, &an, &f->err);
	f->newobj = an;
	return rc;
}
static int c_analyze_a(struct fx *f)
{
	cm_analysis *an = NULL;
	int rc = cm_analyze(f->out, f->a, &an, &f->err);
	f->newobj = an;
	return rc;
}
static int c_analyze_built(struct fx *f)
{
	cm_analysis *an = NULL;
	int rc = cm_analyze(f->out, f->built, &an, &f->err);
	f->newobj = an;
	return rc;
}
static int c_analysis_json(struct fx *f)
{
	return cm_analysis_to_json(f->out, f->an, &f->newstr, &f->err);
}
static int c_analysis_text(struct fx *f)
{
	return cm_analysis_to_text(f->out, f->an, &f->newstr, &f->err);
}

/* graph */
static int c_dot(struct fx *f)
{
	int32_t states[16];
	size_t n = cm_snapshot_count(f->snap);
	ck_assert_uint_le(n, 16);
	for (size_t i = 0; i < n; i++)
		states[i] = cm_snapshot_state(f->snap, i);
	return cm_agreement_to_dot(f->out, f->a, states, n,
				   "at 2025-11-25, view: AF", &f->newstr,
				   &f->err);
}
static int c_dot_stalemate(struct fx *f)
{
	return cm_agreement_to_dot(f->out, f->stalemate, NULL, 0, NULL,
				   &f->newstr, &f->err);
}
static int c_dot_built(struct fx *f)
{
	return cm_agreement_to_dot(f->out, f->built, NULL, 0, NULL,
				   &f->newstr, &f->err);
}
static int c_dot_party(struct fx *f)
{
	return cm_agreement_to_dot_ex(f->out, f->a, NULL, 0, NULL, "AF",
				      CM_DOT_CLUSTERS_DEFAULT, &f->newstr,
				      &f->err);
}
static int c_dot_clusters(struct fx *f)
{
	return cm_agreement_to_dot_ex(f->out, f->a, NULL, 0, "clusters", NULL,
				      0, &f->newstr, &f->err);
}

/* format */
static int c_document_to_text(struct fx *f)
{
	return cm_document_to_text(f->out, f->doc, &f->newstr, &f->err);
}
static int c_document_to_text_unresolved(struct fx *f)
{
	return cm_document_to_text(f->out, f->doc2, &f->newstr, &f->err);
}
static int c_agreement_to_text(struct fx *f)
{
	return cm_agreement_to_text(f->out, f->a, &f->newstr, &f->err);
}
static int c_agreement_to_text_built(struct fx *f)
{
	return cm_agreement_to_text(f->out, f->built, &f->newstr, &f->err);
}

/* ---- reading the model back (inspect.h, 0.2) ---- */

static int c_condition_to_text(struct fx *f)
{
	const cm_commitment *c = cm_agreement_find_commitment(f->a, "talks");
	return cm_condition_to_text(f->out, cm_commitment_condition(c, 0),
				    &f->newstr, &f->err);
}
static int c_condition_to_text_built(struct fx *f)
{
	const cm_commitment *c = cm_agreement_find_commitment(f->built, "c3");
	return cm_condition_to_text(f->out, cm_commitment_condition(c, 0),
				    &f->newstr, &f->err);
}
static int c_requirement_to_text(struct fx *f)
{
	return cm_agreement_requirement_to_text(f->out, f->a, 2, &f->newstr,
						&f->err);
}
static int c_requirement_to_text_use(struct fx *f)
{
	/* doc2 is not resolved: its `use` items stand as written */
	return cm_agreement_requirement_to_text(
		f->out, cm_document_agreement(f->doc2, 0), 0, &f->newstr,
		&f->err);
}
static int c_content_to_text(struct fx *f)
{
	return cm_commitment_content_to_text(
		f->out, cm_agreement_find_commitment(f->a, "report"),
		&f->newstr, &f->err);
}
static int c_content_to_text_action(struct fx *f)
{
	return cm_commitment_content_to_text(f->out, f->c1, &f->newstr,
					     &f->err);
}
/* The getters allocate nothing: under injection they read the same. */
static int c_inspect_getters(struct fx *f)
{
	char *acc = talloc_strdup(f->out, "");
	const cm_agreement *as[] = {f->a, f->built};
	for (size_t k = 0; k < 2; k++) {
		const cm_agreement *a = as[k];
		for (size_t i = 0; i < cm_agreement_commitment_count(a); i++) {
			const cm_commitment *c = cm_agreement_commitment(a, i);
			acc = talloc_asprintf_append(acc,
				"%s to %zu cr %zu by %lld w %lld %lld %lld "
				"cond %zu rec %zu wit %zu sig %zu sp %zu "
				"notes %zu attrs %zu\n",
				cm_commitment_id(c), cm_commitment_to_count(c),
				cm_commitment_creditor_count(c),
				(long long)cm_commitment_deadline(c),
				(long long)cm_commitment_within(c),
				(long long)cm_commitment_from(c),
				(long long)cm_commitment_until(c),
				cm_commitment_condition_count(c),
				cm_commitment_reciprocal_count(c),
				cm_commitment_witness_count(c),
				cm_commitment_signature_count(c),
				cm_commitment_standing_party_count(c),
				cm_commitment_note_count(c),
				cm_commitment_attr_count(c));
			for (size_t j = 0; j < cm_commitment_condition_count(c);
			     j++) {
				const cm_condition *n =
					cm_commitment_condition(c, j);
				acc = talloc_asprintf_append(acc,
					" %d %d %zu %lld\n",
					cm_commitment_condition_item(c, j),
					cm_condition_type(n),
					cm_condition_child_count(n),
					(long long)cm_condition_window(n));
			}
		}
		acc = talloc_asprintf_append(acc, "req %zu sig %zu rat %zu "
			"reg %d\n", cm_agreement_requirement_count(a),
			cm_agreement_signature_count(a),
			cm_agreement_ratification_count(a),
			cm_agreement_registered(a));
	}
	/* the columns (columns.h) read the same under injection */
	int64_t v[8];
	const char *sv[8];
	for (int col = 0; col < 8; col++) {
		size_t k = cm_report_commitment_ints(f->report, col, v, 8);
		size_t ks = cm_report_commitment_strings(f->report, col, sv, 8);
		acc = talloc_asprintf_append(acc, "rcol %d %zu %zu", col, k, ks);
		for (size_t i = 0; i < k; i++)
			acc = talloc_asprintf_append(acc, " %lld",
						     (long long)v[i]);
		for (size_t i = 0; i < ks; i++)
			acc = talloc_asprintf_append(acc, " %s", sv[i]);
		acc = talloc_asprintf_append(acc, "\n");
	}
	for (int col = 0; col < 10; col++) {
		size_t k = cm_snapshot_ints(f->snap, col, v, 8);
		size_t ks = cm_snapshot_strings(f->snap, col, sv, 8);
		acc = talloc_asprintf_append(acc, "scol %d %zu %zu", col, k, ks);
		for (size_t i = 0; i < k; i++)
			acc = talloc_asprintf_append(acc, " %lld",
						     (long long)v[i]);
		for (size_t i = 0; i < ks; i++)
			acc = talloc_asprintf_append(acc, " %s",
						     sv[i] ? sv[i] : "-");
		acc = talloc_asprintf_append(acc, "\n");
	}
	for (size_t i = 0; i < cm_report_requirement_count(f->report); i++) {
		size_t k = cm_report_failure_strings(f->report, i,
						     CM_FCOL_MISSING, sv, 8);
		acc = talloc_asprintf_append(acc, "fcol %zu %zu\n", i, k);
	}
	f->newstr = acc;
	return acc ? CM_OK : CM_ENOMEM;
}

/* ---- calls that fail without injection: under injection they fail
 * the same way or with CM_ENOMEM, and change nothing either way ---- */

static const char BAD_SEMANTIC[] =
	"policy p { require written }\n"
	"agreement a {\n  party P \"P\"\n  use p\n"
	"  commitment c { P must go() to NOBODY }\n}\n";
static const char BAD_SYNTAX[] =
	"agreement a {\n  party P \"P\"\n"
	"  commitment c { P must go() }\n  events { 2025-01-01 x( }\n}\n";

static int c_parse_semantic(struct fx *f)
{
	cm_document *d = NULL;
	int rc = cm_parse(f->out, BAD_SEMANTIC, strlen(BAD_SEMANTIC), "bad.cmt",
			  &d, &f->err);
	f->newobj = d;
	return rc;
}
static int c_parse_syntax(struct fx *f)
{
	cm_document *d = NULL;
	int rc = cm_parse(f->out, BAD_SYNTAX, strlen(BAD_SYNTAX), "bad.cmt",
			  &d, &f->err);
	f->newobj = d;
	return rc;
}
static int c_add_text_duplicate(struct fx *f)
{
	/* MAIN_TEXT again: its policy is defined twice in the document */
	return cm_document_add_text(f->doc2, MAIN_TEXT, strlen(MAIN_TEXT),
				    "again.cmt", &f->err);
}
static int c_run_out_of_order(struct fx *f)
{
	return cm_monitor_run(f->bad_order, CM_TIME_NONE, &f->err);
}
static int c_run_missing_file(struct fx *f)
{
	return cm_monitor_run(f->bad_file, CM_TIME_NONE, &f->err);
}
static int c_feed_out_of_order(struct fx *f)
{
	const char *line = "2025-11-01 strike(by: PK, on: AF)";
	return cm_monitor_feed_text(f->held, 2, line, strlen(line), &f->err);
}
static int c_feed_text_syntax(struct fx *f)
{
	const char *line = "2025-12-01 strike(by: PK, on: AF";
	return cm_monitor_feed_text(f->held, 0, line, strlen(line), &f->err);
}
static int c_check_invalid(struct fx *f)
{
	cm_report *r = NULL;
	int rc = cm_check(f->out, f->bare, NULL, 0, &r, &f->err);
	f->newobj = r;
	return rc;
}
/* 0.2 part 1 */
static int c_parse_v02(struct fx *f)
{
	cm_document *d = NULL;
	int rc = cm_parse(f->out, V02_TEXT, strlen(V02_TEXT), "v02.cmt", &d,
			  &f->err);
	f->newobj = d;
	return rc;
}
static int c_add_reciprocal_within(struct fx *f)
{
	return cm_commitment_add_reciprocal_within(f->c1, "c3", 1440, &f->err);
}
static int c_cond_breached(struct fx *f)
{
	cm_condition *n = NULL;
	return attach(f, cm_condition_new_breached(f->c1, "c3", 60, &n,
						   &f->err), &n);
}
static int c_cond_breaches(struct fx *f)
{
	cm_condition *n = NULL;
	return attach(f, cm_condition_new_breaches(f->c1, "c3", CM_CMP_GE, 2,
						   -1, &n, &f->err), &n);
}
static int c_set_history(struct fx *f)
{
	return cm_monitor_set_history(f->idle, 1, &f->err);
}
/* A whole run with history, in a party's view: breaches, windows, the
 * history and breach lists, then the snapshot handed out. */
static int c_history_snapshot(struct fx *f)
{
	cm_monitor *m = NULL;
	cm_snapshot *s = NULL;
	cm_agreement *a = cm_document_agreement(f->v02, 0);
	int rc = cm_monitor_new(NULL, a, "PK", &m, &f->err);
	if (rc == CM_OK)
		rc = cm_monitor_set_history(m, 1, &f->err);
	if (rc == CM_OK)
		rc = cm_monitor_add_document_events(m, f->v02, &f->err);
	if (rc == CM_OK)
		rc = cm_monitor_run(m, T("2025-12-31"), &f->err);
	if (rc == CM_OK)
		rc = cm_monitor_snapshot(f->out, m, &s, &f->err);
	cm_free(m);
	f->newobj = s;
	return rc;
}
static int c_analyze_v02(struct fx *f)
{
	cm_analysis *an = NULL;
	int rc = cm_analyze(f->out, cm_document_agreement(f->v02, 0), &an,
			    &f->err);
	f->newobj = an;
	return rc;
}
static int c_monitor_bad_view(struct fx *f)
{
	cm_monitor *m = NULL;
	/* 0.2 (§8.6): an undeclared party is a view; a non-identifier not */
	int rc = cm_monitor_new(f->out, f->a, "X Y", &m, &f->err);
	f->newobj = m;
	return rc;
}

/* f->idle after a failed run: back in its initial state (a run again
 * fails the same way: the sources stay registered). */
static char *failed_run(struct fx *f, void *mem, cm_monitor *m)
{
	cm_snapshot *s = NULL;
	OK(cm_monitor_snapshot(mem, m, &s, &f->err));
	ck_assert_int_eq(cm_monitor_clock(m), CM_TIME_NONE);
	return snapshot_result(f, mem, s);
}
static char *res_bad_order(struct fx *f, void *mem)
{
	return failed_run(f, mem, f->bad_order);
}
static char *res_bad_file(struct fx *f, void *mem)
{
	return failed_run(f, mem, f->bad_file);
}

#define E(fn, res) {#fn, fn, res, false, CM_OK}
#define E0(fn, res) {#fn, fn, res, true, CM_OK}
/* a call that fails (with @p code) without injection */
#define EF(fn, res, code) {#fn, fn, res, false, code}
#define EF0(fn, res, code) {#fn, fn, res, true, code}
/* ---- the importers ---- */
static int c_mapping_parse(struct fx *f)
{
	cm_mapping *m = NULL;
	int rc = cm_mapping_parse(f->out, MAP_TEXT, strlen(MAP_TEXT),
				  "oom.map", &m, &f->err);
	f->newobj = m;
	return rc;
}
static int c_mapping_parse_file(struct fx *f)
{
	cm_mapping *m = NULL;
	int rc = cm_mapping_parse_file(f->out, map_path, &m, &f->err);
	f->newobj = m;
	return rc;
}
static int c_mapping_error(struct fx *f)
{
	static const char bad[] = "import acled x {\n  party P \"a\"\n"
				  "  when actor1 is Q emit a()\n}\n";
	cm_mapping *m = NULL;
	int rc = cm_mapping_parse(f->out, bad, strlen(bad), "bad.map", &m,
				  &f->err);
	f->newobj = m;
	return rc;
}
/* A document holding the agreement and a mapping (one text), written
 * back by the canonical writer in the result. */
static int c_parse_with_mapping(struct fx *f)
{
	char *text = talloc_asprintf(f->ctx, "%s%s", MAIN_TEXT, MAP_TEXT);
	cm_document *d = NULL;
	int rc = cm_parse(f->out, text, strlen(text), "both.cmt", &d, &f->err);
	talloc_free(text);
	f->newobj = d;
	return rc;
}
static int c_to_text_mapping(struct fx *f)
{
	return cm_document_to_text(f->out, f->docm, &f->newstr, &f->err);
}
static char *res_mapping(struct fx *f, void *mem)
{
	cm_mapping *m = f->newobj;
	return talloc_asprintf(mem, "%s %d", cm_mapping_id(m),
			       cm_mapping_format(m));
}
/* An import of CSV_TEXT (memory) and the CSV file, every event's line
 * and skip joined into f->newstr. */
static int c_import_read(struct fx *f)
{
	cm_import *imp = NULL;
	int rc = cm_import_new(f->out, f->map, &imp, &f->err);
	if (rc == CM_OK)
		rc = cm_import_add_memory(imp, CSV_TEXT, strlen(CSV_TEXT),
					  "mem.csv", &f->err);
	if (rc == CM_OK)
		rc = cm_import_add_file(imp, csv_path, &f->err);
	char *acc = talloc_strdup(NULL, "");
	while (rc == CM_OK) {
		int r = cm_import_next(imp, &f->err);
		if (r < 0) {
			rc = r;
			break;
		}
		if (r == CM_IMPORT_END)
			break;
		if (r == CM_IMPORT_SKIP) {
			acc = talloc_asprintf_append(acc, "skip %d %s\n",
						     (int)f->err.line,
						     f->err.message);
			continue;
		}
		const char *t = cm_import_event_text(imp);
		if (!t) {
			rc = CM_ENOMEM;
			f->err.code = CM_ENOMEM;
			break;
		}
		acc = talloc_asprintf_append(acc, "%s:%d %s\n",
					     cm_import_event_file(imp),
					     (int)cm_import_event_line(imp), t);
	}
	if (rc == CM_OK)
		acc = talloc_asprintf_append(acc, "%llu %llu\n",
			(unsigned long long)cm_import_count(imp, CM_IMPORT_EVENTS),
			(unsigned long long)cm_import_count(imp,
						CM_IMPORT_DUPLICATES));
	cm_free(imp);
	if (rc == CM_OK)
		f->newstr = talloc_steal(f->out, acc);
	else
		talloc_free(acc);
	return rc;
}
/* A monitor over the CSV file through the mapping, and its snapshot. */
static int c_import_monitor(struct fx *f)
{
	cm_monitor *m = NULL;
	cm_import *imp = NULL;
	cm_snapshot *snap = NULL;
	int rc = cm_monitor_new(f->out, f->a, "all", &m, &f->err);
	if (rc == CM_OK)
		rc = cm_import_new(f->out, f->map, &imp, &f->err);
	if (rc == CM_OK)
		rc = cm_import_add_file(imp, csv_path, &f->err);
	if (rc == CM_OK)
		rc = cm_monitor_add_import(m, imp, &f->err);
	if (rc == CM_OK)
		rc = cm_monitor_run(m, CM_TIME_NONE, &f->err);
	if (rc == CM_OK)
		rc = cm_monitor_snapshot(f->out, m, &snap, &f->err);
	char *json = NULL;
	if (rc == CM_OK)
		rc = cm_snapshot_to_json(f->out, snap, &json, &f->err);
	cm_free(snap);
	cm_free(imp);
	cm_free(m);
	f->newstr = json;
	return rc;
}

static const struct entry entries[] = {
	/* importers */
	E(c_mapping_parse, res_mapping),
	E(c_mapping_parse_file, res_mapping),
	E(c_parse_with_mapping, res_doc),
	E(c_to_text_mapping, res_str),
	{"c_mapping_error", c_mapping_error, NULL, false, CM_ESEMANTIC},
	E(c_import_read, res_str),
	E(c_import_monitor, res_str),
	/* parse */
	E(c_parse, res_doc),
	E(c_parse_file, res_doc),
	E(c_document_new, res_doc),
	E(c_add_text, NULL),
	E(c_add_file, NULL),
	E(c_resolve, NULL),
	E(c_resolve_again, NULL),
	E(c_context_new, res_str),
	/* build */
	E(c_agreement_new, res_agreement),
	E0(c_set_date, NULL),
	E(c_add_party, NULL),
	E(c_add_signature, NULL),
	E(c_add_ratification, NULL),
	E0(c_set_registered, NULL),
	E(c_add_requirement, NULL),
	E(c_add_requirement2, NULL),
	E(c_use_policy, NULL),
	E(c_validate, NULL),
	E(c_add_commitment, NULL),
	E(c_set_action, NULL),
	E(c_set_text, NULL),
	E0(c_set_deadline, NULL),
	E0(c_set_within, NULL),
	E(c_add_creditor, NULL),
	E(c_add_condition, NULL),
	E(c_add_condition_node, NULL),
	E(c_add_reciprocal, NULL),
	E0(c_set_from, NULL),
	E0(c_set_until, NULL),
	E0(c_set_form, NULL),
	E(c_c_add_signature, NULL),
	E(c_add_witness, NULL),
	E(c_set_standing, NULL),
	E0(c_set_standing_claimed, NULL),
	E(c_add_note, NULL),
	E(c_cond_const, NULL),
	E(c_cond_action, NULL),
	E(c_cond_count, NULL),
	E(c_cond_state, NULL),
	E(c_cond_form, NULL),
	E(c_policy_new, res_policy),
	E(c_policy_add_requirement, NULL),
	/* policies */
	E(c_vclt, res_policy),
	E(c_unreg, res_policy),
	E(c_written_only, res_policy),
	/* lookups only read (the shipped policies came with resolve) */
	E0(c_find_policy, res_str),
	E0(c_lookup_policy, res_str),
	EF0(c_lookup_policy_unresolved, NULL, CM_ENOTFOUND),
	/* check */
	E(c_check, res_report),
	E(c_check_built, res_report),
	E(c_check_stalemate, res_report),
	E(c_report_json, res_str),
	E(c_report_text, res_str),
	/* monitor */
	E(c_monitor_new, res_monitor),
	E(c_monitor_new_built, res_str),
	E0(c_add_document_events, res_idle),
	E(c_add_events_file, res_idle),
	E(c_add_events_text, res_idle),
	E(c_run, res_mon),
	E(c_run_at, res_mon),
	E(c_feed, NULL),
	E(c_feed_text, NULL),
	E0(c_advance, NULL),
	E(c_feed_later, res_held),
	E(c_snapshot_held, res_snapshot),
	E(c_snapshot, res_snapshot),
	E(c_snapshot_json, res_str),
	E(c_snapshot_text, res_str),
	/* analyze */
	E(c_analyze, res_analysis),
	E(c_analyze_a, res_analysis),
	E(c_analyze_built, res_analysis),
	E(c_analysis_json, res_str),
	E(c_analysis_text, res_str),
	/* graph */
	E(c_dot, res_str),
	E(c_dot_stalemate, res_str),
	E(c_dot_built, res_str),
	E(c_dot_party, res_str),
	E(c_dot_clusters, res_str),
	/* format */
	E(c_document_to_text, res_str),
	E(c_document_to_text_unresolved, res_str),
	E(c_agreement_to_text, res_str),
	E(c_agreement_to_text_built, res_str),
	/* reading the model back */
	E(c_condition_to_text, res_str),
	E(c_condition_to_text_built, res_str),
	E(c_requirement_to_text, res_str),
	E(c_requirement_to_text_use, res_str),
	E(c_content_to_text, res_str),
	E(c_content_to_text_action, res_str),
	E0(c_inspect_getters, res_str),
	/* failing calls */
	EF(c_parse_semantic, NULL, CM_ESEMANTIC),
	EF(c_parse_syntax, NULL, CM_ESYNTAX),
	EF(c_add_text_duplicate, NULL, CM_ESEMANTIC),
	EF(c_run_out_of_order, res_bad_order, CM_EORDER),
	EF(c_run_missing_file, res_bad_file, CM_EIO),
	EF(c_feed_out_of_order, res_held, CM_EORDER),
	EF(c_feed_text_syntax, res_held, CM_ESYNTAX),
	EF(c_check_invalid, NULL, CM_EINVAL),
	EF0(c_monitor_bad_view, NULL, CM_ENOTFOUND),
	/* 0.2 part 1 */
	E(c_parse_v02, res_doc),
	E(c_add_reciprocal_within, NULL),
	E(c_cond_breached, NULL),
	E(c_cond_breaches, NULL),
	E(c_set_history, res_idle),
	E(c_history_snapshot, res_snapshot),
	E(c_analyze_v02, res_analysis),
};
#undef E
#undef E0
#undef EF
#undef EF0

enum { NENTRIES = sizeof(entries) / sizeof(entries[0]) };

static char *result_of(const struct entry *e, struct fx *f, void *mem)
{
	return e->result ? e->result(f, mem) : describe(f, mem);
}

/* Fail (with the first difference on stderr: Check's messages are
 * short) unless @p got equals @p want. */
static void same(const char *got, const char *want, const char *entry,
		 const char *what, bool persistent, long n)
{
	if (strcmp(got, want) == 0)
		return;
	size_t i = 0;
	while (got[i] && got[i] == want[i])
		i++;
	size_t from = i > 200 ? i - 200 : 0;
	fprintf(stderr, "%s (%s) N=%ld: %s differs at byte %zu:\n"
		"--- got:\n%.400s\n--- want:\n%.400s\n", entry,
		persistent ? "persistent" : "once", n, what, i, got + from,
		want + from);
	ck_abort_msg("%s (%s): N=%ld: %s differs (see stderr)", entry,
		     persistent ? "persistent" : "once", n, what);
}

/* The SQLite loop for one entry point in one mode. Returns the number of
 * allocations the call makes. */
/* The call's status and message must be the reference's. */
static void same_status(const struct entry *e, const struct fx *f, int rc,
			const char *refmsg, bool persistent, long n)
{
	ck_assert_msg(rc == e->expect, "%s (%s): N=%ld: rc %d (%s), want %d",
		      e->name, persistent ? "persistent" : "once", n, rc,
		      f->err.message, e->expect);
	if (e->expect != CM_OK) {
		ck_assert_int_eq(f->err.code, e->expect);
		same(f->err.message, refmsg, e->name, "error message",
		     persistent, n);
		ck_assert_msg(f->newobj == NULL && f->newstr == NULL,
			      "%s: N=%ld: handed out an object", e->name, n);
	}
}

static long sqlite_loop(const struct entry *e, bool persistent)
{
	struct fx f;
	/* the reference */
	fx_setup(&f);
	int rc = e->call(&f);
	ck_assert_msg(rc == e->expect, "%s: reference run: %d %s", e->name, rc,
		      f.err.message);
	void *refmem = talloc_named_const(tctx, 0, "reference");
	char *refmsg = talloc_strdup(refmem, f.err.message);
	char *ref = result_of(e, &f, refmem);
	talloc_free(f.ctx);

	for (long n = 1;; n++) {
		ck_assert_msg(n < 200000, "%s: no end", e->name);
		fx_setup(&f);
		void *mem = talloc_named_const(tctx, 0, "describe");
		char *before = describe(&f, mem);
		struct counts base = count(f.ctx);
		memset(&f.err, 0, sizeof(f.err));
		cm__fault_inject(n, persistent);
		rc = e->call(&f);
		long failed = cm__fault_failures();
		cm__fault_inject(0, false);
		if (failed == 0 || rc == e->expect) {
			same_status(e, &f, rc, refmsg, persistent, n);
			char *res = result_of(e, &f, mem);
			same(res, ref, e->name, "result", persistent, n);
			talloc_free(mem);
			talloc_free(f.ctx);
			if (failed == 0) {
				talloc_free(refmem);
				return n - 1;
			}
			continue;
		}
		ck_assert_msg(rc == CM_ENOMEM,
			      "%s (%s): N=%ld: rc %d (%s), want CM_ENOMEM",
			      e->name, persistent ? "persistent" : "once", n,
			      rc, f.err.message);
		ck_assert_msg(f.err.code == CM_ENOMEM, "%s: N=%ld: err.code %d",
			      e->name, n, f.err.code);
		ck_assert_msg(f.newobj == NULL && f.newstr == NULL,
			      "%s: N=%ld: handed out an object", e->name, n);
		struct counts after = count(f.ctx);
		ck_assert_msg(after.all - after.arena == base.all - base.arena &&
			      after.arena <= base.arena + 2,
			      "%s (%s): N=%ld: %zu blocks (%zu arena) after, "
			      "%zu (%zu arena) before", e->name,
			      persistent ? "persistent" : "once", n, after.all,
			      after.arena, base.all, base.arena);
		char *now = describe(&f, mem);
		same(now, before, e->name, "the caller's objects", persistent,
		     n);
		/* usable: the same call gives the reference's status and
		 * result */
		memset(&f.err, 0, sizeof(f.err));
		rc = e->call(&f);
		same_status(e, &f, rc, refmsg, persistent, n);
		char *res = result_of(e, &f, mem);
		same(res, ref, e->name, "the retry's result", persistent, n);
		talloc_free(mem);
		talloc_free(f.ctx);
	}
}

/* OOM_ONLY=c_name runs that entry point alone (debugging). */
static bool skip(int i)
{
	const char *only = getenv("OOM_ONLY");
	return only && strcmp(only, entries[i].name) != 0;
}

START_TEST(once)
{
	if (skip(_i))
		return;
	long n = sqlite_loop(&entries[_i], false);
	/* an entry point that allocates nothing tests nothing here */
	ck_assert_msg(n > 0 || entries[_i].may_not_allocate,
		      "%s allocates nothing", entries[_i].name);
}
END_TEST

START_TEST(persistent)
{
	if (skip(_i))
		return;
	long n = sqlite_loop(&entries[_i], true);
	ck_assert_msg(n > 0 || entries[_i].may_not_allocate,
		      "%s allocates nothing", entries[_i].name);
}
END_TEST

/* ---- setup of the files -------------------------------------------------- */

static void write_file(char *path, size_t size, const char *tmpl,
		       const char *text)
{
	snprintf(path, size, "%s", tmpl);
	int fd = mkstemp(path);
	if (fd < 0) {
		perror("mkstemp");
		exit(EXIT_FAILURE);
	}
	size_t len = strlen(text);
	if (write(fd, text, len) != (ssize_t)len) {
		perror("write");
		exit(EXIT_FAILURE);
	}
	close(fd);
}

Suite *oom_suite(void);
Suite *oom_suite(void)
{
	Suite *s = suite_create("oom");
	TCase *tc = tcase_leakcheck(s, "once");
	tcase_add_loop_test(tc, once, 0, NENTRIES);
	tcase_set_timeout(tc, 600);
	tc = tcase_leakcheck(s, "persistent");
	tcase_add_loop_test(tc, persistent, 0, NENTRIES);
	tcase_set_timeout(tc, 600);
	return s;
}

int main(void)
{
	write_file(map_path, sizeof(map_path), "/tmp/cm-oom-map-XXXXXX",
		   MAP_TEXT);
	write_file(csv_path, sizeof(csv_path), "/tmp/cm-oom-csv-XXXXXX",
		   CSV_TEXT);
	write_file(events_path, sizeof(events_path), "/tmp/cm-oom-ev-XXXXXX",
		   EVENTS_TEXT);
	write_file(second_path, sizeof(second_path), "/tmp/cm-oom-2-XXXXXX",
		   SECOND_TEXT);
	write_file(main_path, sizeof(main_path), "/tmp/cm-oom-1-XXXXXX",
		   MAIN_TEXT);
	int rc = run_suite(oom_suite());
	unlink(main_path);
	unlink(events_path);
	unlink(map_path);
	unlink(csv_path);
	unlink(second_path);
	return rc;
}
