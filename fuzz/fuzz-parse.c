/*
 * libFuzzer target: any bytes through the parser (cm__parse_into twice
 * into one document, then name resolution). Must never crash, leak or
 * trip a sanitizer; a failed text must leave the document as it was.
 *
 * Build and run: fuzz/build.sh BUILDDIR, then
 *   BUILDDIR/fuzz/fuzz-parse fuzz/corpus-parse
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *ctx = cm_context_new();
	cm_document *doc;
	cm_error err;
	if (!ctx || cm_document_new(ctx, &doc, &err) != CM_OK)
		abort();
	int rc = cm__parse_into(doc, (const char *)data, size, "fuzz.cmt",
				&err);
	if (rc == CM_OK) {
		/* a second copy: duplicate policies, more comments */
		uint32_t na = doc->nagreements, nt = doc->ntops;
		rc = cm__parse_into(doc, (const char *)data, size, "again.cmt",
				    &err);
		if (rc != CM_OK && (doc->nagreements != na || doc->ntops != nt))
			abort();
		cm_document_resolve(doc, &err);
	} else if (doc->nagreements || doc->npolicies || doc->events.n ||
		   doc->ncomments || doc->ntops || err.line < 1 ||
		   err.column < 1) {
		abort();
	}
	cm_free(ctx);
	return 0;
}
