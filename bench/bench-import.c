/*
 * Import throughput (docs/import.md, docs/performance.md): writes ROWS
 * ACLED rows (realistic widths: 31 columns, notes of a few hundred bytes,
 * a tenth of them quoted with commas and doubled quotes, a mix of
 * countries, actors and event types) to a temporary file, then reads it
 * through the example mapping examples/acled/istanbul.map RUNS times and
 * prints the median MB/s and rows/s of the mapping step (CSV parse, drops,
 * rules, event text), the raw libcsv parse of the same file for
 * comparison, and the peak RSS.
 *
 * usage: bench-import MAPPING [ROWS [RUNS]]   (default 400000 rows, 5 runs)
 *
 * Times are CPU time of the process (user + system): steady when the
 * machine is shared.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <commitments/commitments.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static const char *const HEAD =
	"event_id_cnty,event_date,year,time_precision,disorder_type,"
	"event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,"
	"assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,"
	"country,admin1,admin2,admin3,location,latitude,longitude,"
	"geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n";

static void write_rows(FILE *f, size_t rows)
{
	static const char *const types[][2] = {
		{"Battles", "Armed clash"},
		{"Explosions/Remote violence", "Air/drone strike"},
		{"Explosions/Remote violence",
		 "Shelling/artillery/missile attack"},
		{"Violence against civilians", "Attack"},
		{"Protests", "Peaceful protest"},
		{"Riots", "Violent demonstration"}};
	static const char *const actors[] = {
		"Military Forces of Pakistan (2024-)",
		"TTP: Tehreek-i-Taliban Pakistan",
		"Military Forces of Afghanistan (2021-)",
		"Unidentified Armed Group (Pakistan)",
		"Protesters (Pakistan)"};
	static const char *const places[][2] = {
		{"Pakistan", "Khyber Pakhtunkhwa"},
		{"Pakistan", "Balochistan"},
		{"Pakistan", "Punjab"},
		{"Afghanistan", "Paktika"},
		{"India", "Jammu and Kashmir"}};
	fputs(HEAD, f);
	for (size_t i = 0; i < rows; i++) {
		unsigned r = (unsigned)(i * 2654435761u);
		const char *const *t = types[r % 6];
		const char *a1 = actors[(r >> 3) % 5];
		const char *a2 = actors[(r >> 7) % 5];
		const char *const *p = places[(r >> 11) % 5];
		int day = 1 + (int)(i % 28), month = 1 + (int)((i / 28) % 12);
		fprintf(f,
			"PAK%zu,2025-%02d-%02d,2025,1,Political violence,%s,%s,"
			"%s,,State forces,%s,,Rebel group,State forces-Rebel "
			"group,,586,Southern Asia,%s,%s,Bannu,Domel,Domel,"
			"32.9861,70.6042,1,Dawn; Express Tribune,National,",
			i, month, day, t[0], t[1], a1, a2, p[0], p[1]);
		if (i % 10 == 0)
			fprintf(f, "\"On %d %02d 2025, forces clashed with "
				   "militants near Domel, Bannu district, "
				   "killing \"\"several\"\" militants, per "
				   "officials; residents said the fighting "
				   "lasted for hours and shops stayed shut.\"",
				day, month);
		else
			fprintf(f, "On %d %02d 2025 forces clashed with "
				   "militants near Domel in Bannu district. "
				   "Officials said two militants and one "
				   "soldier were killed during the operation "
				   "which followed an attack on a police post "
				   "the night before.", day, month);
		fprintf(f, ",%u,,17%08zu\n", r % 9, i);
	}
}

static long nf;
static void f1(void *s, size_t n, void *d)
{
	(void)s;
	(void)n;
	(void)d;
	nf++;
}
static void f2(int c, void *d)
{
	(void)c;
	(void)d;
}

static double raw_csv(const char *path)
{
	FILE *f = fopen(path, "rb");
	static char buf[1 << 16];
	struct csv_parser p;
	csv_init(&p, CSV_STRICT);
	double t0 = now();
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		csv_parse(&p, buf, n, f1, f2, NULL);
	csv_fini(&p, f1, f2, NULL);
	double t = now() - t0;
	csv_free(&p);
	fclose(f);
	return t;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench-import MAPPING [ROWS [RUNS]]\n");
		return 2;
	}
	size_t rows = argc > 2 ? strtoul(argv[2], NULL, 10) : 400000;
	int runs = argc > 3 ? atoi(argv[3]) : 5;
	if (runs < 1 || runs > 99)
		runs = 5;
	char path[] = "/tmp/bench-import-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 1;
	FILE *f = fdopen(fd, "wb");
	write_rows(f, rows);
	long size = ftell(f);
	fclose(f);

	void *ctx = cm_context_new();
	cm_mapping *map;
	cm_error err;
	if (cm_mapping_parse_file(ctx, argv[1], &map, &err) != CM_OK) {
		fprintf(stderr, "%s:%d:%d: error: %s\n", err.file, err.line,
			err.column, err.message);
		return 2;
	}
	double t[99], raw[99];
	uint64_t events = 0;
	for (int k = 0; k < runs; k++) {
		cm_import *imp;
		cm_import_new(ctx, map, &imp, &err);
		cm_import_add_file(imp, path, &err);
		double t0 = now();
		int rc;
		size_t chars = 0;
		while ((rc = cm_import_next(imp, &err)) > 0)
			if (rc == CM_IMPORT_EVENT)
				chars += strlen(cm_import_event_text(imp));
		t[k] = now() - t0;
		if (rc < 0) {
			fprintf(stderr, "%s:%d:%d: error: %s\n", err.file,
				err.line, err.column, err.message);
			return 2;
		}
		events = cm_import_count(imp, CM_IMPORT_EVENTS);
		(void)chars;
		cm_free(imp);
		raw[k] = raw_csv(path);
	}
	qsort(t, (size_t)runs, sizeof(double), cmp_double);
	qsort(raw, (size_t)runs, sizeof(double), cmp_double);
	double med = t[runs / 2], rmed = raw[runs / 2];
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("import: %zu rows, %.1f MB, %llu events: median of %d runs "
	       "%.3f s = %.0f MB/s, %.0f rows/s\n",
	       rows, size / 1e6, (unsigned long long)events, runs, med,
	       size / med / 1e6, rows / med);
	printf("libcsv alone (no callbacks' work): median %.3f s = %.0f MB/s\n",
	       rmed, size / rmed / 1e6);
	printf("peak RSS %ld KiB\n", ru.ru_maxrss);
	cm_free(ctx);
	unlink(path);
	return 0;
}
