/*
 * Fuzz target: the agreement parser, on arbitrary bytes.
 *  1. cm_parse() (the lexer, the parser, the condition parser, policy
 *     resolution and the static checks); on success, every agreement's
 *     getters and cm_agreement_validate(); on error, err agrees with the
 *     status and names a position.
 *  2. (after the parser's own target) cm_document_add_text() twice into one
 *     document, then cm_document_resolve(): a failed text leaves the
 *     document as it was (a second copy brings duplicate policies and
 *     more comments).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <talloc.h>

#include <commitments/commitments.h>

#include "model/model.h"
#include "fuzz.h"

static void whole(void *ctx, const char *text, size_t size)
{
	cm_document *doc = NULL;
	cm_error err;
	int rc = cm_parse(ctx, text, size, "fuzz.cmt", &doc, &err);
	if (rc == CM_OK) {
		for (size_t i = 0; i < cm_document_agreement_count(doc); i++) {
			cm_agreement *a = cm_document_agreement(doc, i);
			FUZZ_ASSERT(a != NULL, "agreement %zu", i);
			for (size_t j = 0; j < cm_agreement_commitment_count(a); j++)
				FUZZ_ASSERT(cm_commitment_id(cm_agreement_commitment(a, j)),
					    "commitment %zu", j);
			(void)cm_agreement_validate(a, &err);
		}
	} else {
		FUZZ_ASSERT(doc == NULL, "out set on error");
		FUZZ_ASSERT(err.code == rc, "err.code %d, rc %d", err.code, rc);
		char buf[1024];
		cm_error_format(&err, buf, sizeof(buf));
	}
}

static void twice(void *ctx, const char *text, size_t size)
{
	cm_document *doc;
	cm_error err;
	FUZZ_ASSERT(cm_document_new(ctx, &doc, &err) == CM_OK, "document");
	int rc = cm_document_add_text(doc, text, size, "fuzz.cmt", &err);
	if (rc == CM_OK) {
		uint32_t na = doc->nagreements, nt = doc->ntops;
		rc = cm_document_add_text(doc, text, size, "again.cmt", &err);
		FUZZ_ASSERT(rc == CM_OK ||
			    (doc->nagreements == na && doc->ntops == nt),
			    "a failed second text changed the document");
		(void)cm_document_resolve(doc, &err);
	} else {
		FUZZ_ASSERT(!doc->nagreements && !doc->npolicies &&
			    !doc->events.n && !doc->ncomments && !doc->ntops,
			    "a failed text changed the document");
		FUZZ_ASSERT(err.line >= 1 && err.column >= 1,
			    "error at %d:%d", err.line, err.column);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *ctx = talloc_new(NULL);
	whole(ctx, (const char *)data, size);
	twice(ctx, (const char *)data, size);
	talloc_free(ctx);
	return 0;
}
