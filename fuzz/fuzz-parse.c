/*
 * Fuzz target: the agreement parser. cm_parse() on arbitrary bytes (the
 * lexer, the parser, the condition parser, policy resolution and the
 * static checks); on success, walk the document's getters.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <talloc.h>

#include <commitments/commitments.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *ctx = talloc_new(NULL);
	cm_document *doc = NULL;
	cm_error err;
	int rc = cm_parse(ctx, (const char *)data, size, "fuzz.cmt", &doc,
			  &err);
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
	talloc_free(ctx);
	return 0;
}
