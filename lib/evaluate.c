/*
 * Documentation evaluation (SPEC §3): judge each requirement against the
 * commitments its selector picks, and say what is missing and who must do
 * what to mend it. The texts are documented in docs/evaluation.md.
 *
 * Cost: one pass over the commitments per requirement, and one more for
 * the commitments table and the per-debtor shortfall.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "report.h"
#include "resolve.h"

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

/* ---- small text helpers ------------------------------------------------ */

static void buf_clear(struct cm__buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* The scratch text, copied into the report's arena; the scratch is
 * cleared. NULL (and e->nomem) when out of memory. */
static const char *take(struct ev *e)
{
	if (e->buf.failed) {
		e->nomem = true;
		return NULL;
	}
	const char *s = cm__arena_strndup(&e->r->arena,
					  e->buf.data ? e->buf.data : "",
					  e->buf.len);
	buf_clear(&e->buf);
	if (!s)
		e->nomem = true;
	return s;
}

/* "A", "A and B", "A, B and C" (or with "or"). */
static void put_list(struct cm__buf *b, const char *const *v, uint32_t n,
		     const char *conj)
{
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			cm__buf_puts(b, i + 1 == n ? conj : ", ");
		cm__buf_puts(b, v[i]);
	}
}

static bool has_name(const char *const *v, uint32_t n, const char *s)
{
	for (uint32_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* Start a new list of missing parties. */
static void miss_reset(struct ev *e)
{
	e->nmiss = 0;
	e->gen++;
}

/* Add a declared party to the missing list once (O(1), no look-up). */
static void miss_add_party(struct ev *e, const struct cm_party *p)
{
	if (e->nmiss >= e->miss_cap || e->mark[p->index] == e->gen)
		return;
	e->mark[p->index] = e->gen;
	e->miss[e->nmiss++] = p->id;
}

/* Add a party to the missing list once (O(1) for declared parties). */
static void miss_add(struct ev *e, const char *id)
{
	if (e->nmiss >= e->miss_cap)
		return;
	const struct cm_party *p = cm__find_party(e->a, id);
	if (p) {
		if (e->mark[p->index] == e->gen)
			return;
		e->mark[p->index] = e->gen;
	} else if (has_name(e->miss, e->nmiss, id)) {
		return;
	}
	e->miss[e->nmiss++] = id;
}

/* ---- the canonical texts of a rule and its selector -------------------- */

static const char *who_text(struct ev *e, const struct cm__rule *r)
{
	switch (r->who) {
	case CM__WHO_DEBTOR: return "debtor";
	case CM__WHO_CREDITOR: return "creditor";
	case CM__WHO_ALL_PARTIES: return "all parties";
	case CM__WHO_ANY_MEDIATOR: return "any mediator";
	}
	for (uint32_t i = 0; i < r->ids.n; i++) {
		if (i)
			cm__buf_puts(&e->buf, ", ");
		cm__buf_puts(&e->buf, r->ids.v[i].s);
	}
	return NULL;
}

static const char *rule_text(struct ev *e, const struct cm__rule *r)
{
	const char *verb = NULL;
	switch (r->kind) {
	case CM__RULE_WRITTEN: return "written";
	case CM__RULE_REGISTERED: return "registered";
	case CM__RULE_DATED: return "dated";
	case CM__RULE_VERIFIABLE: return "verifiable";
	case CM__RULE_SIGNED: verb = "signed by "; break;
	case CM__RULE_WITNESSED: verb = "witnessed by "; break;
	case CM__RULE_RATIFIED: verb = "ratified by "; break;
	case CM__RULE_PARTIES:
		cm__buf_puts(&e->buf, "parties ");
		for (uint32_t i = 0; i < r->nkinds; i++) {
			if (i)
				cm__buf_puts(&e->buf, ", ");
			const char *k = cm_kind_name(r->kinds[i]);
			cm__buf_puts(&e->buf, k ? k : "?");
		}
		return take(e);
	}
	cm__buf_puts(&e->buf, verb);
	const char *w = who_text(e, r);
	if (w)
		cm__buf_puts(&e->buf, w);
	return take(e);
}

static const char *selector_text(struct ev *e, const struct cm__rule *r)
{
	switch (r->selector) {
	case CM__SEL_ALL: return "all";
	case CM__SEL_OBLIGATIONS: return "obligations";
	case CM__SEL_PROHIBITIONS: return "prohibitions";
	case CM__SEL_PERMISSIONS: return "permissions";
	}
	const char *s = cm__arena_strdup(&e->r->arena, r->sel_id.s);
	if (!s)
		e->nomem = true;
	return s;
}

/* ---- facts about a commitment ------------------------------------------ */

static const struct cm_party *debtor_of(const struct cm_commitment *c)
{
	if (c->debtor_p)
		return c->debtor_p;
	return c->debtor.s ? cm__find_party(c->agreement, c->debtor.s) : NULL;
}

/* Would @p c be signed by its debtor @p d once written: @p d signed the
 * agreement's text or signed @p c itself? */
static bool signed_once_written(const struct cm_commitment *c,
				const struct cm_party *d)
{
	if (d->signed_text)
		return true;
	for (uint32_t i = 0; i < c->sigs.n; i++)
		if (c->sigs.v[i].p == d)
			return true;
	return false;
}

/* Did party @p id sign the agreement's text? */
static bool signed_text(const struct cm_agreement *a, const char *id)
{
	const struct cm_party *p = cm__find_party(a, id);
	return p && p->signed_text;
}

static bool names_have(const struct cm__names *l, const char *id)
{
	for (uint32_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].s, id) == 0)
			return true;
	return false;
}

/* Does party @p p do for @p c what rule kind @p kind asks of it? */
static bool party_meets(int kind, const struct cm_commitment *c,
			const struct cm_party *p)
{
	switch (kind) {
	case CM__RULE_SIGNED:
		return cm__signed_by(c, p);
	case CM__RULE_WITNESSED:
		return names_have(&c->witnesses, p->id) || cm__signed_by(c, p);
	case CM__RULE_RATIFIED:
		return p->ratified;
	}
	return false;
}

static bool is_dated(const struct cm_commitment *c)
{
	const struct cm_agreement *a = c->agreement;
	if (a->date != CM_TIME_NONE)
		return true;
	for (uint32_t i = 0; i < c->sigs.n; i++)
		if (c->sigs.v[i].on != CM_TIME_NONE)
			return true;
	if (cm__effective_form(c) != CM_FORM_WRITTEN)
		return false;
	for (uint32_t i = 0; i < a->sigs.n; i++)
		if (a->sigs.v[i].on != CM_TIME_NONE)
			return true;
	return false;
}

static int level_of(const struct cm_commitment *c)
{
	const struct cm_party *d = debtor_of(c);
	if (cm__effective_form(c) != CM_FORM_WRITTEN)
		return CM_LEVEL_VERBAL;
	if (!d || !cm__signed_by(c, d))
		return CM_LEVEL_WRITTEN;
	if (!d->ratified)
		return CM_LEVEL_SIGNED;
	return CM_LEVEL_RATIFIED;
}

/* ---- the report's copy of the commitments ------------------------------- */

static int copy_prepare(struct ev *e)
{
	const struct cm_agreement *a = e->a;
	struct cm_report *r = e->r;
	if (a->nparties) {
		e->party_ids = cm__arena_alloc(&r->arena,
					       a->nparties * sizeof(char *));
		if (!e->party_ids)
			return cm__enomem(e->err);
	}
	for (uint32_t i = 0; i < a->nparties; i++) {
		e->party_ids[i] = cm__arena_strdup(&r->arena, a->parties[i]->id);
		if (!e->party_ids[i])
			return cm__enomem(e->err);
	}
	if (!a->ncommitments)
		return CM_OK;
	r->commits = cm__arena_alloc(&r->arena,
				     a->ncommitments * sizeof(*r->commits));
	if (!r->commits)
		return cm__enomem(e->err);
	if (a->nparties) {
		/* every default-creditor list is this one list less the
		 * debtor (see struct cm__rcommit) */
		e->members = cm__arena_alloc(&r->arena,
					     a->nparties * sizeof(char *));
		e->member_at = cm__arena_alloc(
			&e->scratch, a->nparties * sizeof(*e->member_at));
		if (!e->members || !e->member_at)
			return cm__enomem(e->err);
		uint32_t n = 0;
		for (uint32_t i = 0; i < a->nparties; i++) {
			e->member_at[i] = UINT32_MAX;
			if (a->parties[i]->role == CM_ROLE_PARTY) {
				e->member_at[i] = n;
				e->members[n++] = e->party_ids[i];
			}
		}
	}
	return CM_OK;
}

/* The report's copy of commitment @p i (copy_prepare() first). */
static int copy_one(struct ev *e, uint32_t i)
{
	const struct cm_commitment *c = e->a->commitments[i];
	struct cm_report *r = e->r;
	struct cm__rcommit *rc = &r->commits[i];
	const struct cm_party *d = debtor_of(c);
	rc->id = cm__arena_strdup(&r->arena, c->id);
	rc->debtor = d ? e->party_ids[d->index]
		       : cm__arena_strdup(&r->arena,
					  c->debtor.s ? c->debtor.s : "");
	if (!rc->id || !rc->debtor)
		return cm__enomem(e->err);
	rc->skip = UINT32_MAX;
	if (c->ncreditors && d && !c->to.n) {
		/* default creditors: every party-role party but the debtor,
		 * in order (resolve.c) */
		rc->creditors = e->members;
		rc->skip = e->member_at[d->index];
		rc->ncreditors = c->ncreditors;
	} else if (c->ncreditors) {
		rc->creditors = cm__arena_alloc_raw(
			&r->arena, c->ncreditors * sizeof(char *));
		if (!rc->creditors)
			return cm__enomem(e->err);
		for (uint32_t k = 0; k < c->ncreditors; k++)
			rc->creditors[k] = e->party_ids[c->creditors[k]->index];
		rc->ncreditors = c->ncreditors;
	}
	rc->modality = c->modality;
	rc->form = (uint8_t)cm__effective_form(c);
	rc->level = (uint8_t)level_of(c);
	rc->standing = c->standing;
	rc->line = c->pos.line;
	if (cm__rcommit_standing(&r->arena, rc, c) != 0)
		return cm__enomem(e->err);
	e->agreed_debtor[i] = d && c->standing == CM_STANDING_AGREED
				      ? d->index
				      : NO_DEBTOR;
	return CM_OK;
}

/* ---- failures ----------------------------------------------------------- */

static void add_failure(struct ev *e, struct cm__req *q, const char *commit,
			const char *missing, const char *remedy)
{
	if (!missing || !remedy) {
		e->nomem = true;
		return;
	}
	if (q->n == q->cap) {
		/* a block of its own under the report, not in its arena: a
		 * long list grows by realloc() and leaves no old copies */
		uint32_t ncap = q->cap ? q->cap * 2 : 4;
		struct cm__failure *v =
			ncap > q->cap ? cm__realloc(e->r, q->v, sizeof(*v), ncap,
						    "cm_failures")
				      : NULL;
		if (!v) {
			e->nomem = true;
			return;
		}
		q->v = v;
		q->cap = ncap;
	}
	struct cm__failure *v = q->v;
	v[q->n++] = (struct cm__failure){commit, missing, remedy};
	q->holds = false;
}

/* The remedy for a commitment that is not agreed: who has yet to accept
 * it. Computed once per commitment. */
static const char *not_agreed_remedy(struct ev *e,
				     const struct cm_commitment *c)
{
	if (e->not_agreed[c->index])
		return e->not_agreed[c->index];
	const struct cm_party *d = debtor_of(c);
	const char *id = e->r->commits[c->index].id;
	miss_reset(e);
	const char *how = "proposed";
	switch (c->standing) {
	case CM_STANDING_PROPOSED:
		if (d && !names_have(&c->standing_by, d->id))
			miss_add_party(e, d);
		for (uint32_t k = 0; k < c->ncreditors; k++)
			if (!names_have(&c->standing_by, c->creditors[k]->id))
				miss_add_party(e, c->creditors[k]);
		break;
	case CM_STANDING_CLAIMED:
		how = "claimed";
		for (uint32_t k = 0; k < c->ncreditors; k++)
			if (c->creditors[k] != d)
				miss_add_party(e, c->creditors[k]);
		break;
	default:
		how = "rejected";
		for (uint32_t k = 0; k < c->standing_by.n; k++)
			miss_add(e, c->standing_by.v[k].s);
	}
	if (e->nmiss) {
		cm__buf_puts(&e->buf, "have ");
		put_list(&e->buf, e->miss, e->nmiss, " and ");
		cm__buf_printf(&e->buf, " accept %s (%s by ", id, how);
	} else {
		cm__buf_printf(&e->buf, "record %s as agreed (so far only "
				   "%s by ", id, how);
	}
	if (c->standing == CM_STANDING_CLAIMED) {
		cm__buf_puts(&e->buf, d ? d->id : c->debtor.s);
	} else {
		for (uint32_t k = 0; k < c->standing_by.n; k++) {
			if (k)
				cm__buf_puts(&e->buf,
					     k + 1 == c->standing_by.n ? " and "
								       : ", ");
			cm__buf_puts(&e->buf, c->standing_by.v[k].s);
		}
	}
	cm__buf_putc(&e->buf, ')');
	e->not_agreed[c->index] = take(e);
	return e->not_agreed[c->index];
}

/* Failure texts of the party rules (signed, witnessed, ratified) once the
 * missing parties are in e->miss. */
static void party_failure(struct ev *e, struct cm__req *q,
			  const struct cm__rule *rule,
			  const struct cm_commitment *c)
{
	const char *id = e->r->commits[c->index].id;
	bool mediator = rule->who == CM__WHO_ANY_MEDIATOR;
	bool many = e->nmiss > 1 && !mediator;
	const char *missing = NULL;
	switch (rule->kind) {
	case CM__RULE_SIGNED:
		cm__buf_puts(&e->buf, many ? "signatures of " : "signature of ");
		break;
	case CM__RULE_WITNESSED:
		cm__buf_puts(&e->buf, many ? "witnesses " : "witness ");
		break;
	default:
		cm__buf_puts(&e->buf, many ? "ratifications by "
					   : "ratification by ");
	}
	if (mediator)
		cm__buf_puts(&e->buf, rule->kind == CM__RULE_WITNESSED
					      ? "by a mediator"
					      : "a mediator");
	else
		put_list(&e->buf, e->miss, e->nmiss, " and ");
	/* the same text as this requirement's last one ("witness by a
	 * mediator", ...) is shared, not copied again */
	const char **last = &e->last_missing[q - e->r->reqs];
	if (*last && !e->buf.failed && e->buf.data &&
	    strcmp(*last, e->buf.data) == 0) {
		missing = *last;
		buf_clear(&e->buf);
	} else {
		missing = take(e);
		*last = missing;
	}

	if (mediator && !e->nmiss) {
		cm__buf_puts(&e->buf, "name a mediator in the agreement, who ");
		if (rule->kind == CM__RULE_SIGNED) {
			cm__buf_puts(&e->buf, "signs ");
			cm__buf_puts(&e->buf, id);
		} else if (rule->kind == CM__RULE_WITNESSED) {
			cm__buf_puts(&e->buf, "witnesses or signs ");
			cm__buf_puts(&e->buf, id);
		} else {
			cm__buf_puts(&e->buf, "ratifies the agreement");
		}
		add_failure(e, q, id, missing, take(e));
		return;
	}
	put_list(&e->buf, e->miss, e->nmiss, mediator ? " or " : " and ");
	bool plural = many;
	switch (rule->kind) {
	case CM__RULE_SIGNED:
		cm__buf_puts(&e->buf, plural ? " sign " : " signs ");
		cm__buf_puts(&e->buf, id);
		if (cm__effective_form(c) == CM_FORM_VERBAL) {
			for (uint32_t i = 0; i < e->nmiss; i++)
				if (signed_text(e->a, e->miss[i])) {
					cm__buf_puts(&e->buf,
						     " (the signed text does "
						     "not cover it while it is "
						     "verbal)");
					break;
				}
		}
		break;
	case CM__RULE_WITNESSED:
		cm__buf_puts(&e->buf, plural ? " witness or sign "
					     : " witnesses or signs ");
		cm__buf_puts(&e->buf, id);
		break;
	default:
		cm__buf_puts(&e->buf, plural ? " ratify the agreement"
					     : " ratifies the agreement");
	}
	add_failure(e, q, id, missing, take(e));
}

/* Judge one per-commitment rule on one commitment it selects. */
static void judge(struct ev *e, struct cm__req *q, const struct cm__rule *rule,
		  const struct cm_commitment *c)
{
	const char *id = e->r->commits[c->index].id;
	const struct cm_party *d = debtor_of(c);
	if (c->standing != CM_STANDING_AGREED) {
		add_failure(e, q, id, "not agreed", not_agreed_remedy(e, c));
		return;
	}
	const char *dname = d ? d->id : c->debtor.s;
	switch (rule->kind) {
	case CM__RULE_WRITTEN:
		if (cm__effective_form(c) == CM_FORM_WRITTEN)
			return;
		cm__buf_puts(&e->buf, dname);
		cm__buf_puts(&e->buf, " puts ");
		cm__buf_puts(&e->buf, id);
		cm__buf_puts(&e->buf, " in writing");
		/* in writing, would it carry its debtor's signature? If not,
		 * the remedy says so: a written text is signed by who it binds
		 * (SPEC §7: "put no_safe_haven in writing and sign it"). */
		if (d && !signed_once_written(c, d))
			cm__buf_puts(&e->buf, " and signs it");
		add_failure(e, q, id, "written form", take(e));
		break;
	case CM__RULE_DATED:
		if (is_dated(c))
			return;
		cm__buf_puts(&e->buf, "date the agreement, or date a "
				      "signature covering ");
		cm__buf_puts(&e->buf, id);
		add_failure(e, q, id, "date", take(e));
		break;
	case CM__RULE_VERIFIABLE:
		if (c->is_action)
			return;
		cm__buf_puts(&e->buf, "state ");
		cm__buf_puts(&e->buf, id);
		cm__buf_puts(&e->buf, " as an action pattern, "
				      "type(attribute: value, ...), instead of "
				      "free text");
		add_failure(e, q, id, "action pattern", take(e));
		break;
	default: { /* signed, witnessed, ratified */
		miss_reset(e);
		if (rule->who == CM__WHO_ANY_MEDIATOR) {
			for (uint32_t i = 0; i < e->nwho; i++)
				if (party_meets(rule->kind, c, e->who[i]))
					return;
			for (uint32_t i = 0; i < e->nwho; i++)
				miss_add_party(e, e->who[i]);
		} else if (rule->who == CM__WHO_DEBTOR) {
			if (d && !party_meets(rule->kind, c, d))
				miss_add_party(e, d);
		} else if (rule->who == CM__WHO_CREDITOR) {
			for (uint32_t k = 0; k < c->ncreditors; k++)
				if (!party_meets(rule->kind, c, c->creditors[k]))
					miss_add_party(e, c->creditors[k]);
		} else {
			for (uint32_t i = 0; i < e->nwho; i++)
				if (!party_meets(rule->kind, c, e->who[i]))
					miss_add_party(e, e->who[i]);
		}
		if (e->nmiss || rule->who == CM__WHO_ANY_MEDIATOR)
			party_failure(e, q, rule, c);
		return;
	}
	}
}

/* ---- requirements ------------------------------------------------------- */

static void kinds_text(struct ev *e, const struct cm__rule *rule)
{
	for (uint32_t i = 0; i < rule->nkinds; i++) {
		if (i)
			cm__buf_puts(&e->buf, i + 1 == rule->nkinds ? " or "
								     : ", ");
		const char *k = cm_kind_name(rule->kinds[i]);
		cm__buf_puts(&e->buf, k ? k : "?");
	}
}

static void judge_parties(struct ev *e, struct cm__req *q,
			  const struct cm__rule *rule)
{
	for (uint32_t i = 0; i < e->a->nparties && !e->nomem; i++) {
		const struct cm_party *p = e->a->parties[i];
		if (p->role != CM_ROLE_PARTY)
			continue;
		bool ok = false;
		for (uint32_t k = 0; k < rule->nkinds; k++)
			if (p->kind != CM_KIND_NONE && rule->kinds[k] == p->kind)
				ok = true;
		if (ok)
			continue;
		const char *missing, *remedy;
		if (p->kind == CM_KIND_NONE) {
			cm__buf_printf(&e->buf, "kind of %s (none declared)",
				       p->id);
			missing = take(e);
			cm__buf_printf(&e->buf, "declare the kind of %s (", p->id);
			kinds_text(e, rule);
			cm__buf_putc(&e->buf, ')');
			remedy = take(e);
		} else {
			cm__buf_printf(&e->buf, "kind of %s (%s, not ", p->id,
				       cm_kind_name(p->kind));
			kinds_text(e, rule);
			cm__buf_putc(&e->buf, ')');
			missing = take(e);
			cm__buf_printf(&e->buf, "bind %s as ", p->id);
			kinds_text(e, rule);
			cm__buf_puts(&e->buf, ", or give it a role other than "
					      "party (e.g. actor)");
			remedy = take(e);
		}
		add_failure(e, q, NULL, missing, remedy);
	}
}

static bool selects(const struct cm__rule *rule, const void *target,
		    bool target_party, const struct cm_commitment *c)
{
	switch (rule->selector) {
	case CM__SEL_ALL: return true;
	case CM__SEL_OBLIGATIONS: return c->modality != CM_MAY;
	case CM__SEL_PROHIBITIONS:
		return c->modality == CM_MUST_NOT ||
		       c->modality == CM_MUST_PREVENT;
	case CM__SEL_PERMISSIONS: return c->modality == CM_MAY;
	}
	if (target_party)
		return c->modality != CM_MAY && debtor_of(c) == target;
	return c == target;
}

/* Fill e->who (room for every party) with the fixed parties a rule
 * names. */
static int fixed_who(struct ev *e, const struct src *s)
{
	const struct cm__rule *rule = s->rule;
	e->nwho = 0;
	if (rule->who == CM__WHO_IDS) {
		for (uint32_t i = 0; i < rule->ids.n; i++) {
			const struct cm_party *p =
				cm__find_party(e->a, rule->ids.v[i].s);
			if (!p)
				return cm__error(e->err, CM_ESEMANTIC, s->file,
						 rule->ids.v[i].pos,
						 "unknown party '%s'",
						 rule->ids.v[i].s);
			bool dup = false;
			for (uint32_t k = 0; k < e->nwho; k++)
				dup |= e->who[k] == p;
			if (!dup)
				e->who[e->nwho++] = p;
		}
		return CM_OK;
	}
	int role = rule->who == CM__WHO_ALL_PARTIES ? CM_ROLE_PARTY
		 : rule->who == CM__WHO_ANY_MEDIATOR ? CM_ROLE_MEDIATOR
						     : -1;
	for (uint32_t i = 0; i < e->a->nparties; i++)
		if (e->a->parties[i]->role == role)
			e->who[e->nwho++] = e->a->parties[i];
	return CM_OK;
}

/*
 * Set a requirement up: its texts, and the rules about the agreement as a
 * whole judged at once. A per-commitment rule is planned in *p (p->rule
 * stays NULL otherwise) and judged on each commitment by judge_all().
 */
static int judge_rule(struct ev *e, struct cm__req *q, const struct src *s,
		      struct plan *p, void *tmp)
{
	const struct cm__rule *rule = s->rule;
	q->rule = rule_text(e, rule);
	q->selector = selector_text(e, rule);
	q->policy = s->policy ? cm__arena_strdup(&e->r->arena, s->policy) : NULL;
	q->line = s->line;
	q->holds = true;
	if (!q->rule || !q->selector || (s->policy && !q->policy))
		return cm__enomem(e->err);

	switch (rule->kind) {
	case CM__RULE_REGISTERED:
		if (!e->a->registered)
			add_failure(e, q, NULL, "registration",
				    "register the agreement (UN Charter "
				    "art. 102)");
		return e->nomem ? cm__enomem(e->err) : CM_OK;
	case CM__RULE_PARTIES:
		judge_parties(e, q, rule);
		return e->nomem ? cm__enomem(e->err) : CM_OK;
	case CM__RULE_USE:
		return cm__error(e->err, CM_ESEMANTIC, s->file, rule->use.pos,
				 "unresolved policy '%s'", rule->use.s);
	}
	const void *target = NULL;
	bool target_party = false;
	if (rule->selector == CM__SEL_ID) {
		const struct cm__id_entry *ent =
			cm__map_get(&e->a->ids, rule->sel_id.s);
		if (!ent)
			return cm__error(e->err, CM_ESEMANTIC, s->file,
					 rule->sel_id.pos,
					 "unknown party or commitment '%s'",
					 rule->sel_id.s);
		target_party = ent->is_party;
		target = ent->is_party ? (const void *)ent->u.party
				       : (const void *)ent->u.commitment;
	}
	int rc = fixed_who(e, s);
	if (rc != CM_OK)
		return rc;
	*p = (struct plan){q, rule, target, target_party, NULL, e->nwho};
	if (e->nwho) {
		p->who = cm__realloc(tmp, NULL, sizeof(*p->who), e->nwho,
				     "cm_ev");
		if (!p->who)
			return cm__enomem(e->err);
		memcpy(p->who, e->who, e->nwho * sizeof(*p->who));
	}
	return CM_OK;
}

/*
 * Copy each commitment into the report and judge it against every
 * per-commitment rule: one pass over the commitments for all the rules
 * (the model is far bigger than the caches). Each requirement's failures
 * still come in the commitments' order.
 */
static int judge_all(struct ev *e, const struct plan *plans, uint32_t nplans)
{
	const struct cm_agreement *a = e->a;
	for (uint32_t i = 0; i < a->ncommitments && !e->nomem; i++) {
		if (i + CM__AHEAD < a->ncommitments)
			cm__prefetch_commitment(a->commitments[i + CM__AHEAD]);
		if (i + CM__AHEAD / 2 < a->ncommitments)
			cm__prefetch(a->commitments[i + CM__AHEAD / 2]->id);
		int rc = copy_one(e, i);
		if (rc != CM_OK)
			return rc;
		const struct cm_commitment *c = a->commitments[i];
		for (uint32_t k = 0; k < nplans && !e->nomem; k++) {
			const struct plan *p = &plans[k];
			if (!p->rule ||
			    !selects(p->rule, p->target, p->target_party, c))
				continue;
			e->who = p->who;
			e->nwho = p->nwho;
			uint32_t before = p->q->n;
			judge(e, p->q, p->rule, c);
			if (p->q->n != before &&
			    c->standing == CM_STANDING_AGREED && debtor_of(c))
				e->falls_short[i] = true;
		}
	}
	if (e->nomem)
		return cm__enomem(e->err);
	e->r->ncommits = a->ncommitments;
	return CM_OK;
}

/* ---- shortfall per debtor ---------------------------------------------- */

static int fill_below(struct ev *e, void *tmp)
{
	const struct cm_agreement *a = e->a;
	struct cm_report *r = e->r;
	if (!a->nparties)
		return CM_OK;
	uint32_t *count = cm__realloc(tmp, NULL, sizeof(uint32_t), a->nparties,
				      "cm_counts");
	uint32_t *of = cm__realloc(tmp, NULL, sizeof(uint32_t), a->nparties,
				   "cm_counts");
	if (!count || !of)
		return cm__enomem(e->err);
	memset(count, 0, a->nparties * sizeof(uint32_t));
	memset(of, 0, a->nparties * sizeof(uint32_t));
	for (uint32_t i = 0; i < a->ncommitments; i++) {
		uint32_t d = e->agreed_debtor[i];
		if (d == NO_DEBTOR)
			continue;
		of[d]++;
		if (e->falls_short[i])
			count[d]++;
	}
	uint32_t n = 0;
	for (uint32_t p = 0; p < a->nparties; p++)
		n += count[p] > 0;
	if (!n)
		return CM_OK;
	r->below = cm__arena_alloc(&r->arena, n * sizeof(*r->below));
	if (!r->below)
		return cm__enomem(e->err);
	/* give each short party its slot; count[p] then holds the slot */
	uint32_t k = 0;
	for (uint32_t p = 0; p < a->nparties; p++) {
		if (!count[p])
			continue;
		struct cm__below *b = &r->below[k];
		b->party = e->party_ids[p];
		b->of = of[p];
		b->ids = cm__arena_alloc(&r->arena, count[p] * sizeof(char *));
		if (!b->ids)
			return cm__enomem(e->err);
		count[p] = k++; /* from now on: the slot */
	}
	r->nbelow = n;
	for (uint32_t i = 0; i < a->ncommitments; i++) {
		if (!e->falls_short[i])
			continue;
		struct cm__below *b = &r->below[count[e->agreed_debtor[i]]];
		b->ids[b->count++] = r->commits[i].id;
		b->levels[r->commits[i].level]++;
	}
	return CM_OK;
}

/* ---- entry point -------------------------------------------------------- */

static int gather(void *tmp, const struct cm_agreement *a,
		  cm_policy *const *policies, size_t npolicies,
		  struct src **out, uint32_t *nout, cm_error *err)
{
	size_t n = 0;
	if (npolicies) {
		for (size_t i = 0; i < npolicies; i++)
			n += policies[i]->rules.n;
	} else {
		n = a->rules.n;
	}
	if (n > UINT32_MAX)
		return cm__error(err, CM_ELIMIT, NULL, (struct cm__pos){0, 0},
				 "too many requirements");
	struct src *v = NULL;
	if (n) {
		v = cm__realloc(tmp, NULL, sizeof(*v), n, "cm_srcs");
		if (!v)
			return cm__enomem(err);
	}
	uint32_t k = 0;
	if (npolicies) {
		for (size_t i = 0; i < npolicies; i++)
			for (uint32_t j = 0; j < policies[i]->rules.n; j++) {
				const struct cm__rule *r =
					&policies[i]->rules.v[j];
				int rc = cm__caller_rule_resolve(
					a, r, policies[i]->file,
					policies[i]->id, err);
				if (rc != CM_OK)
					return rc;
				v[k++] = (struct src){r, policies[i]->id, 0,
						      policies[i]->file};
			}
	} else {
		for (uint32_t j = 0; j < a->rules.n; j++) {
			const struct cm__rule *r = &a->rules.v[j];
			/* an own `require` stands at its keyword's line */
			uint32_t line = r->line || r->policy ? r->line
							     : r->pos.line;
			v[k++] = (struct src){r, r->policy, line, a->file};
		}
	}
	*out = v;
	*nout = k;
	return CM_OK;
}

static int evaluate(struct ev *e, void *tmp, cm_policy *const *policies,
		    size_t npolicies)
{
	const struct cm_agreement *a = e->a;
	struct cm_report *r = e->r;
	r->id = cm__arena_strdup(&r->arena, a->id);
	r->title = a->title ? cm__arena_strdup(&r->arena, a->title) : NULL;
	if (!r->id || (a->title && !r->title))
		return cm__enomem(e->err);

	size_t nc = a->ncommitments ? a->ncommitments : 1;
	size_t np = a->nparties ? a->nparties : 1;
	e->not_agreed = cm__realloc(tmp, NULL, sizeof(char *), nc, "cm_ev");
	e->falls_short = cm__realloc(tmp, NULL, sizeof(bool), nc, "cm_ev");
	e->agreed_debtor = cm__realloc(tmp, NULL, sizeof(uint32_t), nc, "cm_ev");
	e->who = cm__realloc(tmp, NULL, sizeof(*e->who), np, "cm_ev");
	e->miss = cm__realloc(tmp, NULL, sizeof(char *), np, "cm_ev");
	e->mark = cm__realloc(tmp, NULL, sizeof(uint32_t), np, "cm_ev");
	if (!e->not_agreed || !e->falls_short || !e->agreed_debtor ||
	    !e->who || !e->miss || !e->mark)
		return cm__enomem(e->err);
	memset(e->mark, 0, np * sizeof(uint32_t));
	e->gen = 1;
	memset(e->not_agreed, 0, nc * sizeof(char *));
	memset(e->falls_short, 0, nc * sizeof(bool));
	e->miss_cap = (uint32_t)np;

	int rc = copy_prepare(e);
	if (rc != CM_OK)
		return rc;

	struct src *srcs = NULL;
	uint32_t nsrcs = 0;
	rc = gather(tmp, a, policies, npolicies, &srcs, &nsrcs, e->err);
	if (rc != CM_OK)
		return rc;
	struct plan *plans = NULL;
	if (nsrcs) {
		r->reqs = cm__arena_alloc(&r->arena, nsrcs * sizeof(*r->reqs));
		plans = cm__realloc(tmp, NULL, sizeof(*plans), nsrcs, "cm_ev");
		e->last_missing = cm__realloc(tmp, NULL, sizeof(char *), nsrcs,
					      "cm_ev");
		if (!r->reqs || !plans || !e->last_missing)
			return cm__enomem(e->err);
		memset(plans, 0, nsrcs * sizeof(*plans));
		memset(e->last_missing, 0, nsrcs * sizeof(char *));
	}
	const struct cm_party **who = e->who; /* room for every party */
	for (uint32_t i = 0; i < nsrcs; i++) {
		e->who = who;
		rc = judge_rule(e, &r->reqs[i], &srcs[i], &plans[i], tmp);
		if (rc != CM_OK)
			return rc;
	}
	rc = judge_all(e, plans, nsrcs);
	if (rc != CM_OK)
		return rc;
	r->verdict = CM_VERDICT_MEETS;
	for (uint32_t i = 0; i < nsrcs; i++)
		if (!r->reqs[i].holds)
			r->verdict = CM_VERDICT_FAILS;
	r->nreqs = nsrcs;
	return fill_below(e, tmp);
}

CM_EXPORT int cm_check(void *mem_ctx, cm_agreement *a,
		       cm_policy *const *policies, size_t npolicies,
		       cm_report **out, cm_error *err)
{
	if (!a || !out || (npolicies && !policies))
		return cm__error(err, CM_EINVAL, NULL, (struct cm__pos){0, 0},
				 "invalid argument");
	for (size_t i = 0; i < npolicies; i++)
		if (!policies[i])
			return cm__error(err, CM_EINVAL, NULL,
					 (struct cm__pos){0, 0},
					 "policy %zu is NULL", i);
	int rc = cm__agreement_resolve(a, err);
	if (rc != CM_OK)
		return rc;

	void *tmp = cm__ctx_new(NULL, "cm_check");
	if (!tmp)
		return cm__enomem(err);
	struct cm_report *r = cm__zalloc(tmp, sizeof(*r), "cm_report");
	if (!r) {
		cm__free(tmp);
		return cm__enomem(err);
	}
	cm__arena_init(&r->arena, r);
	struct ev e = {.r = r, .a = a, .err = err};
	cm__buf_init(&e.buf, tmp);
	cm__arena_init(&e.scratch, tmp);
	rc = evaluate(&e, tmp, policies, npolicies);
	if (rc == CM_OK) {
		cm__steal(mem_ctx, r);
		*out = r;
	}
	cm__free(tmp);
	return rc;
}
