/*
 * cmt graph FILE... [--events FILE]... [--at DATE] [--view V]
 *
 * Prints each agreement as a Graphviz DOT digraph (one after the other;
 * `dot -Tsvg` renders each). Exit 0 on good input, 2 on bad input.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "cmt.h"

int cmt_graph(void *ctx, const struct cmt_opts *o)
{
	if (o->nevents || o->at || o->nviews) {
		cmt_usage_error("graph: --events, --at and --view need the "
				"monitor, which this build lacks");
		return CMT_USAGE;
	}
	cm_document *doc;
	int rc = cmt_load(ctx, o, &doc);
	if (rc != CMT_OK)
		return rc;
	size_t n = cm_document_agreement_count(doc);
	char *buf = NULL;
	if (!cmt_append(ctx, &buf, "%s", ""))
		return cmt_enomem();
	for (size_t i = 0; i < n; i++) {
		cm_error err = {0};
		char *s;
		if (cm_agreement_to_dot(ctx, cm_document_agreement(doc, i),
					NULL, 0, NULL, &s, &err) != CM_OK) {
			cmt_print_error(&err);
			return CMT_USAGE;
		}
		bool ok = cmt_append(ctx, &buf, "%s", s);
		cm_free(s);
		if (!ok)
			return cmt_enomem();
	}
	return cmt_emit(buf);
}
