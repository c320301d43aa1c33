/*
 * Internals of the structural analysis shared by analysis.c (the run,
 * deadlocks, balance), analysis-report.c (JSON and text) and dot.c.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_ANALYSIS_PRIVATE_H
#define CM_ANALYSIS_PRIVATE_H

#include <commitments/analysis.h>

#include "model/model.h"

/** One deadlock: a cyclic strongly connected component of the `if`
 *  waiting graph. Indexes into the analysis' commitment list, sorted. */
struct cm__deadlock {
	uint32_t *cycle, ncycle;
	uint32_t *blocked, nblocked; /* members and all behind them */
};

/** One party-role party's reciprocity balance (commitment indexes). */
struct cm__balance {
	const char *party;
	uint32_t *owes, nowes;
	uint32_t *holds, nholds;
	uint32_t *unrecip, nunrecip;
};

/** Everything below is owned by the analysis (talloc children). */
struct cm_analysis {
	const char *id;
	const char *title; /* NULL when absent */
	uint32_t n;        /* commitments */
	const char **ids;  /* their ids, declaration order */
	int8_t *state;     /* their state after the symbolic run */
	struct cm__deadlock *deadlocks;
	uint32_t ndeadlocks;
	struct cm__balance *parties;
	uint32_t nparties;
};

/** Called for every atom of a condition (not / and / or are walked
 *  through); @p negated: under an odd number of `not`. A non-zero return
 *  stops the walk and is returned. */
typedef int (*cm__atom_fn)(void *ctx, const struct cm_condition *atom,
			   bool negated);
int cm__analysis_walk(const struct cm_condition *c, bool negated,
		      cm__atom_fn fn, void *ctx);

/**
 * Does this atom make its holder wait for the atom's target to take
 * effect? A state atom on `active`, `suspended` or `fulfilled`, or a
 * negated `pending` — the atoms that are false while the target is
 * pending and can turn true once it is triggered. A `violated` or
 * `expired` atom waits on a contingency, not on the other side.
 */
bool cm__analysis_is_wait_atom(const struct cm_condition *c, bool negated);

#endif
