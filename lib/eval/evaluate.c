/*
 * Documentation evaluation (SPEC §3): judge each requirement against the
 * commitments its selector picks, and say what is missing and who must do
 * what to mend it. The texts are documented in docs/evaluation.md.
 *
 * Cost: one pass over the commitments per requirement, and one more for
 * the commitments table and the per-debtor shortfall. The judgement of
 * one per-commitment rule on one commitment, and the texts of its
 * failures, are in judge.c.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "eval/evaluate.h"
#include "model/names.h"
#include "check/resolve.h"

/* ---- small text helpers ------------------------------------------------ */

void cm__ev_buf_clear(struct cm__buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* The scratch text, copied into the report's arena; the scratch is
 * cleared. NULL (and e->nomem) when out of memory. */
const char *cm__ev_take(struct ev *e)
{
	if (e->buf.failed) {
		e->nomem = true;
		return NULL;
	}
	const char *s = cm__arena_strndup(&e->r->arena,
					  e->buf.data ? e->buf.data : "",
					  e->buf.len);
	cm__ev_buf_clear(&e->buf);
	if (!s)
		e->nomem = true;
	return s;
}

/* "A", "A and B", "A, B and C" (or with "or"). */
void cm__ev_put_list(struct cm__buf *b, const char *const *v, uint32_t n,
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
void cm__ev_miss_reset(struct ev *e)
{
	e->nmiss = 0;
	e->gen++;
}

/* Add a declared party to the missing list once (O(1), no look-up). */
void cm__ev_miss_add_party(struct ev *e, const struct cm_party *p)
{
	if (e->nmiss >= e->miss_cap || e->mark[p->index] == e->gen)
		return;
	e->mark[p->index] = e->gen;
	e->miss[e->nmiss++] = p->id;
}

/* Add a party to the missing list once (O(1) for declared parties). */
void cm__ev_miss_add(struct ev *e, const char *id)
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

static const char *rule_text(struct ev *e, const struct cm__rule *r)
{
	cm__rule_spell(&e->buf, r);
	return cm__ev_take(e);
}

static const char *selector_text(struct ev *e, const struct cm__rule *r)
{
	const char *name = cm__selector_name(r->selector);
	if (name)
		return name;
	const char *s = cm__arena_strdup(&e->r->arena, r->sel_id.s);
	if (!s)
		e->nomem = true;
	return s;
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
	const struct cm_party *d = cm__ev_debtor_of(c);
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
	rc->level = (uint8_t)cm__ev_level_of(c);
	rc->standing = c->standing;
	rc->line = c->pos.line;
	e->agreed_debtor[i] = d && c->standing == CM_STANDING_AGREED
				      ? d->index
				      : NO_DEBTOR;
	return CM_OK;
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
			missing = cm__ev_take(e);
			cm__buf_printf(&e->buf, "declare the kind of %s (", p->id);
			kinds_text(e, rule);
			cm__buf_putc(&e->buf, ')');
			remedy = cm__ev_take(e);
		} else {
			cm__buf_printf(&e->buf, "kind of %s (%s, not ", p->id,
				       cm_kind_name(p->kind));
			kinds_text(e, rule);
			cm__buf_putc(&e->buf, ')');
			missing = cm__ev_take(e);
			cm__buf_printf(&e->buf, "bind %s as ", p->id);
			kinds_text(e, rule);
			cm__buf_puts(&e->buf, ", or give it a role other than "
					      "party (e.g. actor)");
			remedy = cm__ev_take(e);
		}
		cm__ev_add_failure(e, q, NULL, missing, remedy);
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
		return c->modality != CM_MAY && cm__ev_debtor_of(c) == target;
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
			cm__ev_add_failure(e, q, NULL, "registration",
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
			cm__ev_judge(e, p->q, p->rule, c);
			if (p->q->n != before &&
			    c->standing == CM_STANDING_AGREED && cm__ev_debtor_of(c))
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
