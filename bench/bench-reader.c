/*
 * Streaming event reader throughput: writes N event lines to a temporary
 * file, reads them back through cm__event_reader_open (and from memory
 * through cm__event_reader_memory) and prints lines per second.
 *
 * usage: bench-reader [LINES]   (default 3000000)
 *
 * Times are CPU time of the process (user + system), which stays steady
 * when the machine is shared.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/model.h"
#include "syntax/syntax.h"

/* CPU time of the process: steady on a shared machine. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int drain(struct cm__event_reader *r, size_t *n)
{
	const struct cm_event *ev;
	cm_error err;
	int rc;
	*n = 0;
	while ((rc = cm__event_reader_next(r, &ev, &err)) == 1)
		(*n)++;
	if (rc < 0)
		fprintf(stderr, "%s:%d:%d: error: %s\n", err.file, err.line,
			err.column, err.message);
	return rc;
}

int main(int argc, char **argv)
{
	size_t lines = argc > 1 ? strtoul(argv[1], NULL, 10) : 3000000;
	const char *line = "2025-10-09 attack(by: TTP, from: AF, on: PK) "
			   "reported by PK\n";
	size_t ll = strlen(line);
	char *text = malloc(lines * ll);
	if (!text)
		return 1;
	for (size_t i = 0; i < lines; i++)
		memcpy(text + i * ll, line, ll);
	char path[] = "/tmp/bench-reader-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 1;
	FILE *f = fdopen(fd, "wb");
	fwrite(text, 1, lines * ll, f);
	fclose(f);

	void *ctx = cm_context_new();
	struct cm__event_reader *r;
	cm_error err;
	size_t n;

	if (cm__event_reader_memory(ctx, text, lines * ll, "mem", &r, &err))
		return 1;
	double t0 = now();
	drain(r, &n);
	double t1 = now();
	printf("memory: %zu events in %.3f s: %.2f M lines/s, %.0f MB/s\n", n,
	       t1 - t0, n / (t1 - t0) / 1e6, lines * ll / (t1 - t0) / 1e6);

	if (cm__event_reader_open(ctx, path, &r, &err))
		return 1;
	t0 = now();
	drain(r, &n);
	t1 = now();
	printf("file:   %zu events in %.3f s: %.2f M lines/s, %.0f MB/s\n", n,
	       t1 - t0, n / (t1 - t0) / 1e6, lines * ll / (t1 - t0) / 1e6);
	printf("reader memory: %zu talloc blocks\n", cm__block_count(r));
	cm_free(ctx);
	unlink(path);
	free(text);
	return 0;
}
