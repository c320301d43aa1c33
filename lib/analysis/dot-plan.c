/*
 * The DOT writer's plan (dot-private.h): with a party filter, which
 * commitments and parties are drawn; which parties have an edge (the
 * others get one to the agreement's text); whether clusters are drawn.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "analysis/analysis-private.h"
#include "analysis/dot-private.h"
#include "util/alloc.h"

#include <commitments/analysis.h>

/* With a party filter: a state or form atom of a core commitment draws
 * the commitment it names. */
static int mark_target_atom(void *vctx, const struct cm_condition *atom,
			    bool negated)
{
	(void)negated;
	struct view *v = vctx;
	if ((atom->type == CM_CT_STATE || atom->type == CM_CT_FORM) &&
	    atom->target && !v->cdraw[atom->target->index])
		v->cdraw[atom->target->index] = 1;
	return 0;
}

static void mark_party(struct view *v, const struct cm_party *p)
{
	if (p)
		v->pdraw[p->index] = v->plinked[p->index] = 1;
}

/* The parties a drawn commitment draws, and links by an edge. */
static void mark_linked(struct view *v, const struct cm_commitment *c,
			bool core, bool collapse)
{
	mark_party(v, c->debtor_p);
	if (!core)
		return;
	if (!(collapse && c->to.n == 0 && c->ncreditors > 1))
		for (uint32_t k = 0; k < c->ncreditors; k++)
			mark_party(v, c->creditors[k]);
	else if (v->party)
		for (uint32_t k = 0; k < c->ncreditors; k++)
			if (c->creditors[k] == v->party)
				mark_party(v, v->party);
	for (uint32_t k = 0; k < c->witnesses.n; k++)
		mark_party(v, cm__find_party(c->agreement,
					     c->witnesses.v[k].s));
	for (uint32_t k = 0; k < c->sigs.n; k++)
		mark_party(v, c->sigs.v[k].p);
}

bool cm__dot_plan(void *mem, const struct cm_agreement *a,
		  const struct cm_party *party, int32_t cluster_above,
		  struct view *v)
{
	v->cdraw = cm__zalloc(mem, (size_t)a->ncommitments + 1, "cdraw");
	v->pdraw = cm__zalloc(mem, (size_t)a->nparties + 1, "pdraw");
	v->plinked = cm__zalloc(mem, (size_t)a->nparties + 1, "plinked");
	if (!v->cdraw || !v->pdraw || !v->plinked)
		return false;
	v->party = party;
	for (uint32_t i = 0; i < a->ncommitments; i++) {
		const struct cm_commitment *c = a->commitments[i];
		bool core = !party || c->debtor_p == party;
		for (uint32_t k = 0; !core && k < c->ncreditors; k++)
			core = c->creditors[k] == party;
		/* and those it witnesses or signs */
		for (uint32_t k = 0; !core && k < c->witnesses.n; k++)
			core = strcmp(c->witnesses.v[k].s, party->id) == 0;
		for (uint32_t k = 0; !core && k < c->sigs.n; k++)
			core = c->sigs.v[k].p == party;
		if (core)
			v->cdraw[i] = 2;
	}
	if (party) {
		v->pdraw[party->index] = 1;
		/* what the core commitments link to */
		for (uint32_t i = 0; i < a->ncommitments; i++) {
			const struct cm_commitment *c = a->commitments[i];
			if (v->cdraw[i] != 2)
				continue;
			for (uint32_t k = 0; k < c->reciprocal.n; k++)
				if (c->recip && c->recip[k] &&
				    !v->cdraw[c->recip[k]->index])
					v->cdraw[c->recip[k]->index] = 1;
			const struct cm__cond_items *its[3] = {
				&c->ifs, &c->whiles, &c->unlesses};
			for (int t = 0; t < 3; t++)
				for (uint32_t k = 0; k < its[t]->n; k++)
					cm__analysis_walk(its[t]->v[k].cond,
							  false,
							  mark_target_atom, v);
		}
	}
	if (cluster_above < 0)
		cluster_above = CM_DOT_CLUSTER_THRESHOLD;
	/* the default creditors collapse into a label line in an agreement
	 * of more parties than the threshold (struct view) */
	bool collapse = a->nparties > (uint32_t)cluster_above;
	v->collapse = collapse;
	for (uint32_t i = 0; i < a->ncommitments; i++)
		if (v->cdraw[i])
			mark_linked(v, a->commitments[i], v->cdraw[i] == 2,
				    collapse);
	for (uint32_t s = 0; s < a->sigs.n; s++)
		if (a->sigs.v[s].p && (!party || a->sigs.v[s].p == party)) {
			v->plinked[a->sigs.v[s].p->index] = 1;
			v->text_node = true;
		}
	for (uint32_t s = 0; s < a->ratifications.n; s++)
		if (a->ratifications.v[s].p &&
		    (!party || a->ratifications.v[s].p == party)) {
			v->plinked[a->ratifications.v[s].p->index] = 1;
			v->text_node = true;
		}
	uint32_t ndrawn = 0;
	for (uint32_t i = 0; i < a->nparties; i++) {
		if (!party)
			v->pdraw[i] = 1;
		ndrawn += v->pdraw[i];
		if (v->pdraw[i] && !v->plinked[i])
			v->text_node = true;
	}
	v->clusters = ndrawn > (uint32_t)cluster_above;
	/* in clusters, every party is placed in its own cluster, and the
	 * text's signatures are lines of the parties' labels */
	if (v->clusters)
		v->text_node = false;
	return true;
}

