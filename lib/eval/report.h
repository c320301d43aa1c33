/*
 * The documentation report (SPEC §3), shared by the evaluator that fills
 * it (evaluate.c) and the accessors and writers that read it (report.c).
 *
 * A report is one talloc object with its own arena: every string it
 * holds is a copy in that arena (or a static literal), so it outlives the
 * agreement and the policies it was made from.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_REPORT_PRIVATE_H
#define CM_REPORT_PRIVATE_H

#include "model/model.h"

/** One failure of a requirement. */
struct cm__failure {
	const char *commitment; /* NULL for an agreement-level rule */
	const char *missing;
	const char *remedy;
};

/** One requirement as judged. */
struct cm__req {
	const char *rule;     /* canonical text, "signed by debtor" */
	const char *selector; /* "all", "obligations", an id, ... */
	const char *policy;   /* NULL for the agreement's own */
	uint32_t line;        /* 0: none (caller's policy, builder) */
	bool holds;
	struct cm__failure *v;
	uint32_t n, cap;
};

/** One commitment as the report shows it. */
struct cm__rcommit {
	const char *id;
	const char *debtor;
	const char **creditors; /* read with cm__rcommit_creditor() */
	uint32_t ncreditors;
	uint32_t skip;    /* default creditors (every other party-role party):
			     @c creditors is the report's one list of the
			     party-role parties, shared, and creditors[skip],
			     the debtor, is not one; UINT32_MAX otherwise */
	uint8_t modality; /* enum cm_modality */
	uint8_t form;     /* effective: CM_FORM_VERBAL / CM_FORM_WRITTEN */
	uint8_t level;    /* enum cm_level */
	uint8_t standing; /* enum cm_standing */
	uint32_t line;    /* 0: none */
};

/** The @p k-th creditor of @p c (k < c->ncreditors). */
static inline const char *cm__rcommit_creditor(const struct cm__rcommit *c,
					       uint32_t k)
{
	return c->creditors[k < c->skip ? k : k + 1];
}

/** A debtor whose agreed commitments fall short. */
struct cm__below {
	const char *party;
	uint32_t count; /* agreed commitments failing a per-commitment rule */
	uint32_t of;    /* agreed commitments it owes */
	const char **ids; /* count entries, declaration order */
	uint32_t levels[CM_LEVEL_RATIFIED + 1]; /* of the short ones */
};

struct cm_report {
	struct cm__arena arena;
	const char *id;
	const char *title;
	int verdict; /* enum cm_verdict */
	struct cm__req *reqs;
	uint32_t nreqs;
	struct cm__rcommit *commits;
	uint32_t ncommits;
	struct cm__below *below;
	uint32_t nbelow;
};

#endif
