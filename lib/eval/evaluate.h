/*
 * Private to the evaluator (eval/): the evaluation under way, shared by
 * evaluate.c (requirements, the report's tables, the entry point) and
 * judge.c (facts about a commitment, one rule judged on one commitment,
 * the texts of failures and remedies).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_EVAL_EVALUATE_H
#define CM_EVAL_EVALUATE_H

#include "eval/report.h"

/* A requirement with where it came from. */
struct src {
	const struct cm__rule *rule;
	const char *policy; /* NULL: the agreement's own */
	uint32_t line;
	const char *file;   /* for errors: the agreement's or policy's file */
};

/* The evaluation under way. */
struct ev {
	struct cm_report *r;
	const struct cm_agreement *a;
	cm_error *err;
	struct cm__buf buf;        /* scratch text */
	const struct cm_party **who; /* the parties a rule names (fixed) */
	uint32_t nwho;
	const char **miss;         /* scratch: parties missing */
	uint32_t nmiss, miss_cap;
	uint32_t *mark;            /* by party index: == gen when in miss */
	uint32_t gen;
	const char **party_ids;    /* report copies, by party index */
	const char **not_agreed;   /* cached remedies, by commitment index */
	bool *falls_short;         /* agreed and failing a per-commitment rule */
	uint32_t *agreed_debtor;   /* by commitment: its debtor's index when
				      agreed and the debtor is known, else
				      NO_DEBTOR (for fill_below) */
	const char **members;      /* report copies of the party-role ids */
	uint32_t *member_at;       /* by party index: its place in members,
				      or UINT32_MAX */
	const char **last_missing; /* by requirement: its last party-rule
				      `missing` text (shared while equal) */
	struct cm__arena scratch;  /* temporary, freed with the call's tmp */
	bool nomem;
};

enum { NO_DEBTOR = UINT32_MAX };

/* A per-commitment requirement, ready to judge each commitment. */
struct plan {
	struct cm__req *q;
	const struct cm__rule *rule;
	const void *target;  /* CM__SEL_ID: the party or commitment */
	bool target_party;
	const struct cm_party **who; /* the parties the rule names (fixed) */
	uint32_t nwho;
};

/* evaluate.c: small text helpers */
/** Empty a scratch buffer (keeping its memory). */
void cm__ev_buf_clear(struct cm__buf *b);
/** The text built in e->buf so far, copied into the report (the buffer
 *  emptied); NULL, with e->nomem set, when out of memory. */
const char *cm__ev_take(struct ev *e);
/** "A", "A and B", "A, B and C" appended to @p b (@p conj: " and ",
 *  " or "). */
void cm__ev_put_list(struct cm__buf *b, const char *const *v, uint32_t n,
		     const char *conj);
/** The scratch list of missing parties: emptied, a party added (once),
 *  an id added (once). */
void cm__ev_miss_reset(struct ev *e);
void cm__ev_miss_add_party(struct ev *e, const struct cm_party *p);
void cm__ev_miss_add(struct ev *e, const char *id);

/* judge.c */
/** The debtor of @p c, resolved or looked up (NULL when unknown). */
const struct cm_party *cm__ev_debtor_of(const struct cm_commitment *c);
/** The documentation level of @p c (enum cm_level). */
int cm__ev_level_of(const struct cm_commitment *c);
/** A failure of requirement @p q (commitment @p commit, NULL for the
 *  agreement), with its missing and remedy texts. */
void cm__ev_add_failure(struct ev *e, struct cm__req *q, const char *commit,
			const char *missing, const char *remedy);
/** Judge one per-commitment rule on one commitment it selects. */
void cm__ev_judge(struct ev *e, struct cm__req *q, const struct cm__rule *rule,
		  const struct cm_commitment *c);

#endif
