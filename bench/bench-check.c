/*
 * Parse + check throughput: reads an agreement file (make one with
 * bench/gen-agreement.py), then parses and checks it REPEAT times and
 * prints the median and best CPU time, MB/s, commitments/s, and memory:
 * the peak RSS of the process and the model's own bytes per commitment.
 *
 *   python3 bench/gen-agreement.py 100000 > /tmp/big.cmt
 *   build/bench/bench-check /tmp/big.cmt 7
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <commitments/commitments.h>
#include <talloc.h>

/* CPU time of this process: the machines are shared and noisy, so the
 * figures are CPU seconds, not wall-clock seconds (the run is
 * single-threaded, so the two agree on an idle machine). */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static long peak_rss_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE.cmt [REPEAT]\n", argv[0]);
		return 2;
	}
	int repeat = argc > 2 ? atoi(argv[2]) : 5;
	if (repeat < 1)
		repeat = 1;
	size_t len;
	char *text = slurp(argv[1], &len);
	if (!text) {
		perror(argv[1]);
		return 2;
	}
	long rss0 = peak_rss_kib();
	double *tp = calloc((size_t)repeat, sizeof(double));
	double *tc = calloc((size_t)repeat, sizeof(double));
	double *tt = calloc((size_t)repeat, sizeof(double));
	size_t ncommit = 0;
	int verdict = -1;
	long rss_model = 0;
	size_t doc_bytes = 0, report_bytes = 0;
	for (int i = 0; i < repeat; i++) {
		void *ctx = cm_context_new();
		cm_document *doc;
		cm_error err;
		double t0 = now();
		int rc = cm_parse(ctx, text, len, argv[1], &doc, &err);
		double t1 = now();
		if (rc != CM_OK) {
			char msg[1024];
			cm_error_format(&err, msg, sizeof(msg));
			fprintf(stderr, "%s\n", msg);
			return 2;
		}
		cm_agreement *a = cm_document_agreement(doc, 0);
		ncommit = cm_agreement_commitment_count(a);
		cm_report *r;
		rc = cm_check(ctx, a, NULL, 0, &r, &err);
		double t2 = now();
		if (rc != CM_OK) {
			fprintf(stderr, "check failed: %s\n", err.message);
			return 2;
		}
		verdict = cm_report_verdict(r);
		if (i == 0) {
			rss_model = peak_rss_kib() - rss0;
			doc_bytes = talloc_total_size(doc);
			report_bytes = talloc_total_size(r);
		}
		cm_free(ctx);
		tp[i] = t1 - t0;
		tc[i] = t2 - t1;
		tt[i] = t2 - t0;
	}
	qsort(tp, (size_t)repeat, sizeof(double), cmp_double);
	qsort(tc, (size_t)repeat, sizeof(double), cmp_double);
	qsort(tt, (size_t)repeat, sizeof(double), cmp_double);
	double mb = len / 1e6;
	double med = tt[repeat / 2];
	printf("file:            %s (%.1f MB, %zu commitments)\n", argv[1], mb,
	       ncommit);
	printf("runs:            %d (verdict %s)\n", repeat,
	       verdict == CM_VERDICT_MEETS ? "meets" : "fails");
	printf("parse median:    %.3f s  (%.1f MB/s)\n", tp[repeat / 2],
	       mb / tp[repeat / 2]);
	printf("check median:    %.3f s\n", tc[repeat / 2]);
	printf("parse+check:     median %.3f s, best %.3f s\n", med, tt[0]);
	printf("throughput:      %.1f MB/s, %.0f commitments/s (median)\n",
	       mb / med, ncommit / med);
	printf("peak RSS:        %ld KiB (input text %zu KiB)\n", peak_rss_kib(),
	       len / 1024);
	printf("model:           %.0f bytes/commitment (talloc size of the "
	       "parsed document)\n", ncommit ? (double)doc_bytes / ncommit : 0.0);
	printf("report:          %.0f bytes/commitment\n",
	       ncommit ? (double)report_bytes / ncommit : 0.0);
	printf("RSS growth:      %.0f bytes/commitment (first run, model + "
	       "report + allocator slack)\n",
	       ncommit ? rss_model * 1024.0 / ncommit : 0.0);
	free(tp);
	free(tc);
	free(tt);
	free(text);
	return 0;
}
