/*
 * The DOT writer's plan: which parties and commitments are drawn, and
 * whether in clusters (dot-plan.c; used by dot.c). Private to
 * lib/analysis.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_ANALYSIS_DOT_PRIVATE_H
#define CM_ANALYSIS_DOT_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"

/*
 * What is drawn, and how (the options of cm_agreement_to_dot_ex).
 * Without a party filter everything is drawn. With one (party P): the
 * commitments P owes, holds as creditor, witnesses or signs ("core"),
 * the commitments their conditions and reciprocity links name, and the
 * parties of those commitments (debtors; creditors, witnesses and
 * signers of the core ones).
 * Clusters: when more parties are drawn than the threshold, each party
 * and the commitments it owes form a `cluster_P` subgraph; the layout
 * turns top to bottom and the clusters are put in rows of about the
 * square root of their number (an invisible edge from each cluster's
 * party to the party one row further); the default creditors (every
 * other party) are a line "to all other parties" of the commitment's
 * label instead of one edge per party, and the text's signatures and
 * ratifications lines of the parties' labels ("signed the text") instead
 * of edges to one node: hundreds of edges to one node are what made a
 * large agreement unreadable. The default creditors collapse whenever
 * the agreement has more parties than the threshold, also with a party
 * filter (then the filter party keeps its own creditor edge): otherwise
 * `--party P` would draw every party's duty to all the others.
 */
struct view {
	uint8_t *cdraw; /* per commitment: 0 no, 1 linked, 2 core */
	uint8_t *pdraw; /* per party: drawn */
	uint8_t *plinked; /* per party: has an edge */
	const struct cm_party *party; /* the filter, or NULL */
	bool clusters;
	bool collapse; /* default creditors as a label line (see above) */
	bool text_node; /* a node for the text is drawn */
};

static inline bool drawn_c(const struct view *v, const struct cm_commitment *c)
{
	return c && v->cdraw[c->index];
}

static inline bool drawn_p(const struct view *v, const struct cm_party *p)
{
	return p && v->pdraw[p->index];
}

/* Mark what is drawn (struct view), under @p mem (freed by the caller).
 * Returns false when out of memory. */
bool cm__dot_plan(void *mem, const struct cm_agreement *a,
		  const struct cm_party *party, int32_t cluster_above,
		  struct view *v);

#endif
