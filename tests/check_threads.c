/*
 * Independent agreements on several threads at once: parse, check,
 * monitor (a whole run and live feeding), analyze, graph, format. Each
 * thread's results must equal the single-threaded reference (SPEC §6:
 * no global mutable state); and one parsed document shared by threads
 * that each check their own agreement of it. Run it under
 * ThreadSanitizer too (see docs/testing.md).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <pthread.h>
#include <stdio.h>

#include "testutil.h"

enum { NTHREADS = 4, ROUNDS = 8, NINPUTS = 4 };

/* Four agreements, different enough that a result mixed up between
 * threads shows. */
static const char *const TEXTS[NINPUTS] = {
	"agreement istanbul \"Security understanding\" {\n"
	"  date 2025-11-07\n"
	"  party PK \"Pakistan\" state\n"
	"  party AF \"Afghan Taliban administration\" authority\n"
	"  mediator QA \"Qatar\" state\n"
	"  actor TTP \"TTP\" armed-group\n"
	"  use written-only\n"
	"  commitment no_safe_haven {\n"
	"    AF must prevent attack(from: AF, on: PK)\n"
	"    verbal\n"
	"    witnessed by QA\n"
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
	"  }\n"
	"}\n"
	"events {\n"
	"  2025-11-20 attack(by: TTP, from: AF, on: PK) reported by PK "
	"denied by AF\n"
	"}\n",

	"agreement deadlock {\n"
	"  date 2024-01-01\n"
	"  party A \"A\" state\n"
	"  party B \"B\" state\n"
	"  signed by A, B\n"
	"  require signed by all parties\n"
	"  commitment a { A must withdraw() if fulfilled(b) }\n"
	"  commitment b { B must withdraw() if fulfilled(a) }\n"
	"  commitment c { A must pay(to: B) by 2024-03-01 }\n"
	"  events {\n"
	"    2024-02-01 pay(by: A, to: B)\n"
	"  }\n"
	"}\n",

	"policy strict { require written\n require registered }\n"
	"agreement truce \"Truce\" {\n"
	"  date 2023-05-05\n"
	"  party X \"X\" organization\n"
	"  party Y \"Y\" person\n"
	"  witness W \"W\" state\n"
	"  use strict\n"
	"  use vclt\n"
	"  commitment hold { X must not fire(on: Y) until 2023-12-31 }\n"
	"  commitment talk { Y must meet(with: X) within 10d written }\n"
	"  commitment guard {\n"
	"    X must prevent raid(on: Y)\n"
	"    while count(fire(on: Y)) < 2 within 7d\n"
	"  }\n"
	"}\n",

	"agreement exchange {\n"
	"  party P \"P\" state\n"
	"  party Q \"Q\" state\n"
	"  commitment release { P must release(what: prisoners) "
	"by 2022-02-01 from 2022-01-01 }\n"
	"  commitment reply { Q must release(what: prisoners) "
	"if fulfilled(release) }\n"
	"  commitment right { Q may inspect(site: camp) "
	"proposed by Q }\n"
	"}\n",
};

static const char *const EVENTS[NINPUTS] = {
	"2025-11-22 strike(by: PK, on: AF, in: AF, against: TTP)\n"
	"2025-12-30 attack(by: TTP, from: AF, on: PK) verified by QA\n",
	"2024-03-05 withdraw(by: A)\n",
	"2023-05-06 fire(by: X, on: Y)\n"
	"2023-05-07 fire(by: X, on: Y)\n"
	"2023-05-08 meet(by: Y, with: X)\n",
	"2022-01-15 release(by: P, what: prisoners)\n"
	"2022-01-20 release(by: Q, what: prisoners)\n",
};

/* Everything one input gives, as one string under @p mem; NULL (and
 * *why set) on any failure. */
static char *pipeline(void *mem, int k, const char **why)
{
	char *acc = talloc_strdup(mem, "");
	cm_document *doc = NULL;
	cm_error err;
	char *s = NULL;
#define STEP(call)                                                           \
	do {                                                                 \
		if ((call) != CM_OK) {                                       \
			*why = #call;                                        \
			return NULL;                                         \
		}                                                            \
	} while (0)
#define ADD(str) (acc = talloc_asprintf_append(acc, "%s\n", (str)))
	STEP(cm_parse(mem, TEXTS[k], strlen(TEXTS[k]), "in.cmt", &doc, &err));
	cm_agreement *a = cm_document_agreement(doc, 0);
	cm_report *r = NULL;
	STEP(cm_check(mem, a, NULL, 0, &r, &err));
	STEP(cm_report_to_json(mem, r, &s, &err));
	ADD(s);
	STEP(cm_report_to_text(mem, r, &s, &err));
	ADD(s);
	cm_policy *vclt = NULL;
	STEP(cm_policy_builtin(mem, "vclt", &vclt, &err));
	STEP(cm_check(mem, a, &vclt, 1, &r, &err));
	STEP(cm_report_to_json(mem, r, &s, &err));
	ADD(s);

	/* a whole run, in two views */
	const char *views[2] = {NULL, "verified"};
	cm_snapshot *snap = NULL;
	for (int v = 0; v < 2; v++) {
		cm_monitor *m = NULL;
		STEP(cm_monitor_new(mem, a, views[v], &m, &err));
		STEP(cm_monitor_add_document_events(m, doc, &err));
		STEP(cm_monitor_add_events_text(m, EVENTS[k], strlen(EVENTS[k]),
						"ev.txt", &err));
		STEP(cm_monitor_run(m, CM_TIME_NONE, &err));
		STEP(cm_monitor_snapshot(mem, m, &snap, &err));
		STEP(cm_snapshot_to_json(mem, snap, &s, &err));
		ADD(s);
		STEP(cm_snapshot_to_text(mem, snap, &s, &err));
		ADD(s);
	}
	/* live: the same events line by line, then a later clock */
	cm_monitor *live = NULL;
	STEP(cm_monitor_new(mem, a, NULL, &live, &err));
	const char *p = EVENTS[k];
	while (*p) {
		const char *nl = strchr(p, '\n');
		STEP(cm_monitor_feed_text(live, 0, p, (size_t)(nl - p), &err));
		p = nl + 1;
	}
	STEP(cm_monitor_advance(live, cm_monitor_last_event_time(live) +
				400 * 1440, &err));
	STEP(cm_monitor_snapshot(mem, live, &snap, &err));
	STEP(cm_snapshot_to_json(mem, snap, &s, &err));
	ADD(s);

	cm_analysis *an = NULL;
	STEP(cm_analyze(mem, a, &an, &err));
	STEP(cm_analysis_to_json(mem, an, &s, &err));
	ADD(s);
	STEP(cm_analysis_to_text(mem, an, &s, &err));
	ADD(s);
	STEP(cm_agreement_to_dot(mem, a, NULL, 0, "threads", &s, &err));
	ADD(s);
	STEP(cm_document_to_text(mem, doc, &s, &err));
	ADD(s);
	STEP(cm_agreement_to_text(mem, a, &s, &err));
	ADD(s);
#undef STEP
#undef ADD
	return acc;
}

static char *reference[NINPUTS];

struct job {
	pthread_t thread;
	int first; /* the input of round 0; round r uses (first + r) % N */
	int failures;
	const char *why;
};

static void *worker(void *arg)
{
	struct job *j = arg;
	for (int r = 0; r < ROUNDS; r++) {
		int k = (j->first + r) % NINPUTS;
		/* each thread its own talloc tree */
		void *mem = talloc_new(NULL);
		const char *why = "result differs";
		char *got = pipeline(mem, k, &why);
		if (!got || strcmp(got, reference[k]) != 0) {
			j->failures++;
			j->why = why;
		}
		talloc_free(mem);
	}
	return NULL;
}

START_TEST(concurrent_pipelines)
{
	/* the references, single-threaded */
	for (int k = 0; k < NINPUTS; k++) {
		const char *why = NULL;
		void *mem = talloc_new(tctx);
		reference[k] = pipeline(mem, k, &why);
		ck_assert_msg(reference[k] != NULL, "input %d: %s", k, why);
		talloc_steal(tctx, reference[k]);
		talloc_free(mem);
	}
	/* they differ: a mix-up between threads would show */
	for (int k = 1; k < NINPUTS; k++)
		ck_assert_str_ne(reference[k], reference[0]);

	struct job jobs[NTHREADS];
	memset(jobs, 0, sizeof(jobs));
	for (int t = 0; t < NTHREADS; t++) {
		jobs[t].first = t % NINPUTS;
		ck_assert_int_eq(pthread_create(&jobs[t].thread, NULL, worker,
						&jobs[t]), 0);
	}
	for (int t = 0; t < NTHREADS; t++) {
		ck_assert_int_eq(pthread_join(jobs[t].thread, NULL), 0);
		ck_assert_msg(jobs[t].failures == 0,
			      "thread %d: %d rounds failed (%s)", t,
			      jobs[t].failures, jobs[t].why);
	}
	for (int k = 0; k < NINPUTS; k++) {
		talloc_free(reference[k]);
		reference[k] = NULL;
	}
}
END_TEST

/*
 * One parsed document shared by two threads, each with its own agreement
 * of it, each looking up the shipped policy `vclt` in the document and
 * checking its agreement against it (issue 16, finding 2: the lookup
 * used to load the shipped policies into the document on first use, a
 * write both threads could make at once). The document's agreements do
 * not `use` a shipped policy, so nothing but the lookup would need them.
 * Each round parses a new document and starts both threads together.
 */
static const char SHARED[] =
	"agreement north {\n"
	"  date 2024-01-01\n"
	"  party A \"A\" state\n"
	"  party B \"B\" state\n"
	"  signed by A\n"
	"  commitment pay { A must pay(to: B) by 2024-03-01 }\n"
	"}\n"
	"agreement south {\n"
	"  date 2023-05-05\n"
	"  party C \"C\" organization\n"
	"  party D \"D\" person\n"
	"  witness W \"W\" state\n"
	"  commitment talk { C must meet(with: D) within 10d written }\n"
	"  commitment hold { D must not fire(on: C) witnessed by W }\n"
	"}\n";

struct shared_job {
	pthread_t thread;
	pthread_barrier_t *go;
	cm_document *doc; /* shared, read only */
	size_t index;     /* this thread's agreement */
	void *mem;        /* this thread's own talloc tree */
	char *got;
	const char *why;
};

/* `vclt` looked up in @p doc, agreement @p i checked against it: the
 * report as JSON under @p mem, or NULL with *why set. */
static char *check_with_vclt(void *mem, cm_document *doc, size_t i,
			     const char **why)
{
	cm_error err;
	cm_policy *vclt = NULL;
	if (cm_document_lookup_policy(doc, "vclt", &vclt, &err) != CM_OK) {
		*why = "lookup";
		return NULL;
	}
	cm_report *r = NULL;
	char *s = NULL;
	if (cm_check(mem, cm_document_agreement(doc, i), &vclt, 1, &r,
		     &err) != CM_OK ||
	    cm_report_to_json(mem, r, &s, &err) != CM_OK) {
		*why = "check";
		return NULL;
	}
	return s;
}

static void *shared_worker(void *arg)
{
	struct shared_job *j = arg;
	pthread_barrier_wait(j->go);
	j->got = check_with_vclt(j->mem, j->doc, j->index, &j->why);
	return NULL;
}

START_TEST(shared_document_policy_lookup)
{
	enum { SHARED_ROUNDS = 50 };
	cm_error err;
	char *ref[2];
	cm_document *rd = NULL;
	void *rmem = talloc_new(tctx);
	ck_assert_int_eq(cm_parse(rmem, SHARED, strlen(SHARED), "shared.cmt", &rd,
				  &err), CM_OK);
	for (size_t i = 0; i < 2; i++) {
		const char *why = NULL;
		ref[i] = check_with_vclt(rmem, rd, i, &why);
		ck_assert_msg(ref[i] != NULL, "reference %zu: %s", i, why);
	}
	ck_assert_str_ne(ref[0], ref[1]);
	for (int round = 0; round < SHARED_ROUNDS; round++) {
		cm_document *doc = NULL;
		ck_assert_int_eq(cm_parse(tctx, SHARED, strlen(SHARED),
					  "shared.cmt", &doc, &err), CM_OK);
		pthread_barrier_t go;
		ck_assert_int_eq(pthread_barrier_init(&go, NULL, 2), 0);
		struct shared_job jobs[2];
		memset(jobs, 0, sizeof(jobs));
		for (size_t t = 0; t < 2; t++) {
			jobs[t].go = &go;
			jobs[t].doc = doc;
			jobs[t].index = t;
			jobs[t].mem = talloc_new(NULL);
			jobs[t].why = "report differs";
			ck_assert_int_eq(pthread_create(&jobs[t].thread, NULL,
							shared_worker, &jobs[t]),
					 0);
		}
		for (size_t t = 0; t < 2; t++)
			ck_assert_int_eq(pthread_join(jobs[t].thread, NULL), 0);
		pthread_barrier_destroy(&go);
		for (size_t t = 0; t < 2; t++) {
			ck_assert_msg(jobs[t].got &&
					      strcmp(jobs[t].got, ref[t]) == 0,
				      "round %d, thread %zu: %s", round, t,
				      jobs[t].why);
			talloc_free(jobs[t].mem);
		}
		cm_free(doc);
	}
	talloc_free(rmem);
}
END_TEST

Suite *threads_suite(void);
Suite *threads_suite(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_leakcheck(s, "independent agreements");
	tcase_add_test(tc, concurrent_pipelines);
	tcase_add_test(tc, shared_document_policy_lookup);
	tcase_set_timeout(tc, 300);
	return s;
}

int main(void)
{
	return run_suite(threads_suite());
}
