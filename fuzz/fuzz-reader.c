/*
 * libFuzzer target: any bytes through the streaming event reader (from
 * memory), every event read until the end or an error.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdlib.h>

#include "model/model.h"
#include "syntax/syntax.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *ctx = cm_context_new();
	struct cm__event_reader *r;
	cm_error err;
	if (!ctx || cm__event_reader_memory(ctx, (const char *)data, size,
					    "fuzz.ev", &r, &err) != CM_OK)
		abort();
	const struct cm_event *ev;
	cm_time prev = CM_TIME_NONE;
	int rc;
	while ((rc = cm__event_reader_next(r, &ev, &err)) == 1) {
		if (prev != CM_TIME_NONE && ev->time < prev)
			abort();
		prev = ev->time;
	}
	if (rc < 0 && (err.line < 1 || err.column < 1))
		abort();
	cm_free(ctx);
	return 0;
}
