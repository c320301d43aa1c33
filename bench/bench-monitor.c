/*
 * Monitoring benchmark: run the monitor over an events file and print
 * events/s, total time and peak RSS; then a bare line tokenizer over the
 * same file, as the ceiling.
 *
 *   bench-monitor AGREEMENT.cmt EVENTS [RUNS]
 *
 * Files come from bench/gen-monitor.py (put them under /tmp). Each figure
 * is the median of RUNS runs (default 3). Peak RSS is the process's
 * maximum (getrusage), after the monitor runs and before the tokenizer.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <commitments/commitments.h>

/* CPU time of the process: on a shared machine it is steadier than the
 * wall clock, and it is what "on one core" means (the run is single
 * threaded; reading the file is counted, waiting for the disk is not). */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static long peak_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* The ceiling: read the file in chunks and split every line into tokens
 * (identifiers, dates, strings, punctuation), touching every byte once. */
static size_t tokenize(const char *path, size_t *tokens)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	static char buf[1 << 20];
	size_t n, lines = 0, toks = 0;
	int in_tok = 0, in_str = 0;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)buf[i];
			if (in_str) {
				in_str = c != '"';
				continue;
			}
			if (c == '\n') {
				lines++;
				in_tok = 0;
			} else if (c == '"') {
				in_str = 1;
				toks++;
				in_tok = 0;
			} else if (c == ' ' || c == '\t') {
				in_tok = 0;
			} else if (c == '(' || c == ')' || c == ',' || c == ':') {
				toks++;
				in_tok = 0;
			} else if (!in_tok) {
				toks++;
				in_tok = 1;
			}
		}
	}
	fclose(f);
	*tokens = toks;
	return lines;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench-monitor AGREEMENT.cmt EVENTS [RUNS]\n");
		return 2;
	}
	int runs = argc > 3 ? atoi(argv[3]) : 3;
	if (runs < 1 || runs > 99)
		runs = 3;
	void *ctx = cm_context_new();
	cm_document *doc;
	cm_error err;
	double t0 = now();
	if (cm_parse_file(ctx, argv[1], &doc, &err) != CM_OK) {
		char b[1024];
		cm_error_format(&err, b, sizeof(b));
		fprintf(stderr, "%s\n", b);
		return 2;
	}
	double tparse = now() - t0;
	long rss_parse = peak_rss_kb();
	cm_agreement *a = cm_document_agreement(doc, 0);
	size_t tokens = 0;
	size_t m = tokenize(argv[2], &tokens); /* warm the page cache */
	printf("agreement: %zu commitments, %zu parties (parsed in %.2f s)\n",
	       cm_agreement_commitment_count(a), cm_agreement_party_count(a),
	       tparse);
	printf("events:    %zu lines\n", m);

	double *tm = calloc((size_t)runs, sizeof(double));
	double *ts = calloc((size_t)runs, sizeof(double));
	double *tw = calloc((size_t)runs, sizeof(double));
	double *tt = calloc((size_t)runs, sizeof(double));
	size_t violated = 0;
	for (int r = 0; r < runs; r++) {
		void *run = cm_context_new();
		cm_monitor *mon;
		cm_snapshot *s;
		double s0 = now();
		if (cm_monitor_new(run, a, "all", &mon, &err) != CM_OK) {
			fprintf(stderr, "%s\n", err.message);
			return 2;
		}
		ts[r] = now() - s0;
		s0 = now();
		double w0 = wall();
		if (cm_monitor_add_events_file(mon, argv[2], &err) != CM_OK ||
		    cm_monitor_run(mon, CM_TIME_NONE, &err) != CM_OK ||
		    cm_monitor_snapshot(run, mon, &s, &err) != CM_OK) {
			char b[1024];
			cm_error_format(&err, b, sizeof(b));
			fprintf(stderr, "%s\n", b);
			return 2;
		}
		tm[r] = now() - s0;
		tw[r] = wall() - w0;
		violated = cm_snapshot_violated_count(s);
		cm_free(run);
	}
	long rss = peak_rss_kb();
	for (int r = 0; r < runs; r++) {
		double s0 = now();
		tokenize(argv[2], &tokens);
		tt[r] = now() - s0;
	}
	qsort(tm, (size_t)runs, sizeof(double), cmp_double);
	qsort(ts, (size_t)runs, sizeof(double), cmp_double);
	qsort(tw, (size_t)runs, sizeof(double), cmp_double);
	qsort(tt, (size_t)runs, sizeof(double), cmp_double);
	double mm = tm[runs / 2], mt = tt[runs / 2];
	printf("setup:     %.3f s (cm_monitor_new: compile and index)\n",
	       ts[runs / 2]);
	printf("monitor:   %.3f s CPU, %.0f events/s (median of %d; read, "
	       "parse, apply, snapshot; wall %.3f s), %zu agreed commitments "
	       "violated\n", mm, m / mm, runs, tw[runs / 2], violated);
	printf("tokenizer: %.3f s CPU, %.0f lines/s, %zu tokens (median of %d)\n",
	       mt, m / mt, tokens, runs);
	printf("ratio:     monitor at %.1f%% of the tokenizer's speed\n",
	       100.0 * mt / mm);
	printf("peak RSS:  %.1f MB (monitor runs), of which %.1f MB after "
	       "parsing the agreement\n", rss / 1024.0, rss_parse / 1024.0);
	free(tm);
	free(ts);
	free(tw);
	free(tt);
	cm_free(ctx);
	return 0;
}
