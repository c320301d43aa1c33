/*
 * The model: construction from ready-made values (shared by the parser
 * and the public builder API), list helpers, getters, and the two derived
 * facts of SPEC §3 that several modules need (effective form, "signed
 * by"). Condition nodes are in condition.c; the builder functions that
 * take snippets of the language in lib/build.c (the API layer).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "model/model.h"
#include "model/names.h"

static const struct cm__pos NOPOS = {0, 0};

/* ---- identifiers ---------------------------------------------------- */

bool cm__valid_id(const char *s)
{
	if (!s || !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    *s == '_'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

bool cm__reserved_id(const char *id)
{
	static const char *const reserved[] = {
		"all", "obligations", "prohibitions", "permissions",
		"debtor", "creditor", "any",
	};
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (id[0] == reserved[i][0] && strcmp(id, reserved[i]) == 0)
			return true;
	return false;
}

/* ---- agreements ------------------------------------------------------ */

int cm__agreement_create(void *mem_ctx, const char *id, const char *file,
			 struct cm__pos pos, struct cm_agreement **out,
			 cm_error *err)
{
	struct cm_agreement *a =
		cm__zalloc(mem_ctx, sizeof(*a), "cm_agreement");
	if (!a)
		return cm__enomem(err);
	cm__arena_init(&a->arena, a);
	a->id = cm__arena_strdup(&a->arena, id);
	a->file = file ? cm__arena_strdup(&a->arena, file) : NULL;
	if (!a->id || (file && !a->file)) {
		cm__free(a);
		return cm__enomem(err);
	}
	a->pos = pos;
	a->date = CM_TIME_NONE;
	a->registered_on = CM_TIME_NONE;
	cm__map_init(&a->ids);
	cm__map_init(&a->party_ids);
	*out = a;
	return CM_OK;
}

/* A builder string is written back as a string literal, which holds one
 * line of UTF-8 text: a line end or another control character (but tab),
 * or invalid UTF-8, could not be read back, so it is refused here, naming
 * the field. */
static int check_string(const char *s, const char *field, cm_error *err)
{
	int c = cm__string_unwritable(s);
	if (c == 0)
		return CM_OK;
	if (c < 0)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "%s is not valid UTF-8", field);
	return cm__error(err, CM_EINVAL, NULL, NOPOS,
			 "%s contains control character 0x%02x (a string is "
			 "one line of text; tab is the only control character "
			 "it may hold)", field, (unsigned)c);
}

CM_EXPORT int cm_agreement_new(void *mem_ctx, const char *id,
			       const char *title, cm_agreement **out,
			       cm_error *err)
{
	if (!out || !cm__valid_id(id))
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid agreement id '%s'", id ? id : "(null)");
	if (title && check_string(title, "agreement title", err) != CM_OK)
		return CM_EINVAL;
	struct cm_agreement *a;
	int rc = cm__agreement_create(mem_ctx, id, NULL, NOPOS, &a, err);
	if (rc != CM_OK)
		return rc;
	if (title) {
		a->title = cm__arena_strdup(&a->arena, title);
		if (!a->title) {
			cm__free(a);
			return cm__enomem(err);
		}
	}
	*out = a;
	return CM_OK;
}

/* Checks shared by parties and commitments: one namespace per agreement. */
static int check_new_id(struct cm_agreement *a, const char *id,
			struct cm__pos pos, const char *what, cm_error *err)
{
	if (!cm__valid_id(id))
		return cm__error(err, CM_EINVAL, a->file, pos,
				 "invalid %s id '%s'", what, id ? id : "(null)");
	if (cm__reserved_id(id))
		return cm__error(err, CM_ESEMANTIC, a->file, pos,
				 "'%s' is reserved and cannot name a %s", id,
				 what);
	const struct cm__id_entry *e = cm__map_get(&a->ids, id);
	if (e) {
		struct cm__pos first = e->is_party ? e->u.party->pos
						   : e->u.commitment->pos;
		if (first.line)
			return cm__error(err, CM_ESEMANTIC, a->file, pos,
					 "duplicate id '%s' (first declared at "
					 "line %u)", id, first.line);
		return cm__error(err, CM_ESEMANTIC, a->file, pos,
				 "duplicate id '%s'", id);
	}
	return CM_OK;
}

int cm__agreement_party(struct cm_agreement *a, const char *id,
			const char *name, int role, int kind,
			struct cm__pos pos, struct cm_party **out,
			cm_error *err)
{
	if (role < CM_ROLE_PARTY || role > CM_ROLE_ACTOR || kind < CM_KIND_NONE ||
	    kind > CM_KIND_PERSON || !name)
		return cm__error(err, CM_EINVAL, a->file, pos,
				 "invalid role, kind or name for party '%s'",
				 id ? id : "(null)");
	int rc = check_new_id(a, id, pos, "party", err);
	if (rc != CM_OK)
		return rc;
	struct cm_party **v = cm__arena_grow(&a->arena, a->parties, sizeof(*v),
					     a->nparties, &a->parties_cap);
	if (!v)
		return cm__enomem(err);
	a->parties = v;
	struct cm_party *p = cm__arena_alloc(&a->arena, sizeof(*p));
	struct cm__id_entry *e = cm__arena_alloc(&a->arena, sizeof(*e));
	if (!p || !e)
		return cm__enomem(err);
	p->id = cm__arena_strdup(&a->arena, id);
	p->name = cm__arena_strdup(&a->arena, name);
	if (!p->id || !p->name)
		return cm__enomem(err);
	p->role = (uint8_t)role;
	p->kind = (uint8_t)kind;
	p->pos = pos;
	p->index = a->nparties;
	e->is_party = true;
	e->u.party = p;
	if (cm__map_put(&a->party_ids, a, p->id, p) != 0 ||
	    cm__map_put(&a->ids, a, p->id, e) != 0)
		return cm__enomem(err);
	v[a->nparties++] = p;
	a->validated = false;
	if (out)
		*out = p;
	return CM_OK;
}

int cm__agreement_commitment(struct cm_agreement *a, const char *id,
			     struct cm__pos pos, struct cm_commitment **out,
			     cm_error *err)
{
	int rc = check_new_id(a, id, pos, "commitment", err);
	if (rc != CM_OK)
		return rc;
	struct cm_commitment **v =
		cm__arena_grow(&a->arena, a->commitments, sizeof(*v),
			       a->ncommitments, &a->commitments_cap);
	if (!v)
		return cm__enomem(err);
	a->commitments = v;
	struct cm_commitment *c = cm__arena_alloc(&a->arena, sizeof(*c));
	struct cm__id_entry *e = cm__arena_alloc(&a->arena, sizeof(*e));
	if (!c || !e)
		return cm__enomem(err);
	c->id = cm__arena_strdup(&a->arena, id);
	if (!c->id)
		return cm__enomem(err);
	c->agreement = a;
	c->index = a->ncommitments;
	c->pos = pos;
	c->by = CM_TIME_NONE;
	c->within = -1;
	c->from = CM_TIME_NONE;
	c->until = CM_TIME_NONE;
	e->is_party = false;
	e->u.commitment = c;
	if (cm__map_put(&a->ids, a, c->id, e) != 0)
		return cm__enomem(err);
	v[a->ncommitments++] = c;
	a->validated = false;
	*out = c;
	return CM_OK;
}

struct cm_party *cm__find_party(const struct cm_agreement *a, const char *id)
{
	/* An entry whose party is not in the list is left over from a
	 * cm__agreement_party() that failed after putting it: not a party
	 * (a later success with the same id replaces it). */
	struct cm_party *p = cm__map_get(&a->party_ids, id);
	return p && p->index < a->nparties && a->parties[p->index] == p ? p
									 : NULL;
}

struct cm_commitment *cm__find_commitment(const struct cm_agreement *a,
					  const char *id)
{
	const struct cm__id_entry *e = cm__map_get(&a->ids, id);
	return e && !e->is_party ? e->u.commitment : NULL;
}

#define CHECK_ARG CM__CHECK_ARG

/* The builder API reports a reserved or duplicate id as the caller's
 * mistake (CM_EINVAL, as documented), where the parser reports the same
 * check as a static error of the text (CM_ESEMANTIC). */
static int api_code(int rc, cm_error *err)
{
	if (rc != CM_ESEMANTIC)
		return rc;
	if (err)
		err->code = CM_EINVAL;
	return CM_EINVAL;
}

static int twice(cm_error *err, const char *what)
{
	return cm__error(err, CM_EINVAL, NULL, NOPOS, "'%s' given twice", what);
}

CM_EXPORT int cm_agreement_set_date(cm_agreement *a, cm_time date,
				    cm_error *err)
{
	CHECK_ARG(a && date != CM_TIME_NONE, err);
	if (a->date != CM_TIME_NONE)
		return twice(err, "date");
	a->date = date;
	a->validated = false;
	return CM_OK;
}

CM_EXPORT int cm_agreement_add_party(cm_agreement *a, const char *id,
				     const char *name, int role, int kind,
				     cm_error *err)
{
	CHECK_ARG(a && id && name, err);
	if (check_string(name, "party name", err) != CM_OK)
		return CM_EINVAL;
	return api_code(cm__agreement_party(a, id, name, role, kind, NOPOS,
					    NULL, err), err);
}

CM_EXPORT int cm_agreement_add_signature(cm_agreement *a, const char *party,
					 cm_time on, cm_error *err)
{
	CHECK_ARG(a && party, err);
	if (cm__sigs_add(&a->arena, &a->sigs, party, NOPOS, on) != 0)
		return cm__enomem(err);
	a->validated = false;
	return CM_OK;
}

CM_EXPORT int cm_agreement_add_ratification(cm_agreement *a,
					    const char *party, cm_time on,
					    cm_error *err)
{
	CHECK_ARG(a && party, err);
	if (cm__sigs_add(&a->arena, &a->ratifications, party, NOPOS, on) != 0)
		return cm__enomem(err);
	a->validated = false;
	return CM_OK;
}

CM_EXPORT int cm_agreement_set_registered(cm_agreement *a, cm_time on,
					  cm_error *err)
{
	CHECK_ARG(a, err);
	if (a->registered)
		return twice(err, "registered");
	a->registered = true;
	a->registered_on = on;
	return CM_OK;
}

CM_EXPORT int cm_agreement_use_policy(cm_agreement *a, const cm_policy *p,
				      cm_error *err)
{
	CHECK_ARG(a && p, err);
	uint32_t n0 = a->rules.n, seq = 0;
	for (uint32_t i = 0; i < n0; i++)
		if (a->rules.v[i].use_seq > seq)
			seq = a->rules.v[i].use_seq;
	for (uint32_t i = 0; i < p->rules.n; i++) {
		struct cm__rule r = p->rules.v[i];
		r.policy = p->id;
		r.line = 0;
		r.use_seq = seq + 1;
		if (cm__rules_add(&a->arena, &a->rules, &r) != 0) {
			a->rules.n = n0;
			return cm__enomem(err);
		}
	}
	a->validated = false;
	return CM_OK;
}

CM_EXPORT const char *cm_agreement_id(const cm_agreement *a)
{
	return a ? a->id : NULL;
}

CM_EXPORT const char *cm_agreement_title(const cm_agreement *a)
{
	return a ? a->title : NULL;
}

CM_EXPORT cm_time cm_agreement_date(const cm_agreement *a)
{
	return a ? a->date : CM_TIME_NONE;
}

CM_EXPORT const char *cm_agreement_file(const cm_agreement *a)
{
	return a ? a->file : NULL;
}

CM_EXPORT int32_t cm_agreement_line(const cm_agreement *a)
{
	return a ? (int32_t)a->pos.line : 0;
}

CM_EXPORT size_t cm_agreement_party_count(const cm_agreement *a)
{
	return a ? a->nparties : 0;
}

CM_EXPORT const cm_party *cm_agreement_party(const cm_agreement *a, size_t i)
{
	return a && i < a->nparties ? a->parties[i] : NULL;
}

CM_EXPORT const cm_party *cm_agreement_find_party(const cm_agreement *a,
						  const char *id)
{
	return a && id ? cm__find_party(a, id) : NULL;
}

CM_EXPORT size_t cm_agreement_commitment_count(const cm_agreement *a)
{
	return a ? a->ncommitments : 0;
}

CM_EXPORT cm_commitment *cm_agreement_commitment(const cm_agreement *a,
						 size_t i)
{
	return a && i < a->ncommitments ? a->commitments[i] : NULL;
}

CM_EXPORT cm_commitment *cm_agreement_find_commitment(const cm_agreement *a,
						      const char *id)
{
	return a && id ? cm__find_commitment(a, id) : NULL;
}

CM_EXPORT size_t cm_agreement_event_count(const cm_agreement *a)
{
	return a ? a->events.n : 0;
}

CM_EXPORT const cm_event *cm_agreement_event(const cm_agreement *a, size_t i)
{
	return a && i < a->events.n ? &a->events.v[i] : NULL;
}

CM_EXPORT const char *cm_party_id(const cm_party *p)
{
	return p ? p->id : NULL;
}

CM_EXPORT const char *cm_party_name(const cm_party *p)
{
	return p ? p->name : NULL;
}

CM_EXPORT int cm_party_role(const cm_party *p)
{
	return p ? p->role : -1;
}

CM_EXPORT int cm_party_kind(const cm_party *p)
{
	return p ? p->kind : -1;
}

/* ---- commitments ------------------------------------------------------ */

CM_EXPORT int cm_agreement_add_commitment(cm_agreement *a, const char *id,
					  const char *debtor, int modality,
					  cm_commitment **out, cm_error *err)
{
	CHECK_ARG(a && id && debtor && modality >= CM_MUST &&
			  modality <= CM_MAY, err);
	/* the debtor first: a failure after the commitment is registered
	 * would leave a commitment without a debtor behind */
	const char *d = cm__arena_strdup(&a->arena, debtor);
	if (!d)
		return cm__enomem(err);
	struct cm_commitment *c;
	int rc = cm__agreement_commitment(a, id, NOPOS, &c, err);
	if (rc != CM_OK)
		return api_code(rc, err);
	c->debtor.s = d;
	c->modality = (uint8_t)modality;
	if (out)
		*out = c;
	return CM_OK;
}

CM_EXPORT int cm_commitment_set_text(cm_commitment *c, const char *text,
				     cm_error *err)
{
	CHECK_ARG(c && text, err);
	if (c->is_action || c->text)
		return twice(err, "content");
	if (check_string(text, "commitment text", err) != CM_OK)
		return CM_EINVAL;
	c->text = cm__arena_strdup(&c->agreement->arena, text);
	if (!c->text)
		return cm__enomem(err);
	c->agreement->validated = false;
	return CM_OK;
}

CM_EXPORT int cm_commitment_set_deadline(cm_commitment *c, cm_time by,
					 cm_error *err)
{
	CHECK_ARG(c && by != CM_TIME_NONE, err);
	if (c->by != CM_TIME_NONE || c->within >= 0)
		return twice(err, "deadline");
	c->by = by;
	c->agreement->validated = false;
	return CM_OK;
}

CM_EXPORT int cm_commitment_set_within(cm_commitment *c, int64_t minutes,
				       cm_error *err)
{
	CHECK_ARG(c && minutes >= 0, err);
	if (c->by != CM_TIME_NONE || c->within >= 0)
		return twice(err, "deadline");
	c->within = minutes;
	c->agreement->validated = false;
	return CM_OK;
}

CM_EXPORT int cm_commitment_add_creditor(cm_commitment *c, const char *party,
					 cm_error *err)
{
	CHECK_ARG(c && party, err);
	if (cm__names_add(&c->agreement->arena, &c->to, party, NOPOS) != 0)
		return cm__enomem(err);
	c->agreement->validated = false;
	return CM_OK;
}

static struct cm__cond_items *cond_list(struct cm_commitment *c, int item)
{
	switch (item) {
	case CM_COND_IF: return &c->ifs;
	case CM_COND_WHILE: return &c->whiles;
	case CM_COND_UNLESS: return &c->unlesses;
	}
	return NULL;
}

CM_EXPORT int cm_commitment_add_condition_node(cm_commitment *c, int item,
					       cm_condition *node,
					       cm_error *err)
{
	CHECK_ARG(c && node && cond_list(c, item) && !node->used, err);
	int rc = cm__cond_node_home(c, node, err);
	if (rc != CM_OK)
		return rc;
	if (cm__cond_items_add(&c->agreement->arena, cond_list(c, item), node,
			       NOPOS) != 0)
		return cm__enomem(err);
	node->used = true;
	c->agreement->validated = false;
	return CM_OK;
}

CM_EXPORT int cm_commitment_add_reciprocal(cm_commitment *c,
					   const char *commitment,
					   cm_error *err)
{
	CHECK_ARG(c && commitment, err);
	if (cm__names_add(&c->agreement->arena, &c->reciprocal, commitment,
			  NOPOS) != 0)
		return cm__enomem(err);
	c->agreement->validated = false;
	return CM_OK;
}

CM_EXPORT int cm_commitment_set_from(cm_commitment *c, cm_time from,
				     cm_error *err)
{
	CHECK_ARG(c && from != CM_TIME_NONE, err);
	if (c->from != CM_TIME_NONE)
		return twice(err, "from");
	c->from = from;
	c->agreement->validated = false;
	return CM_OK;
}

CM_EXPORT int cm_commitment_set_until(cm_commitment *c, cm_time until,
				      cm_error *err)
{
	CHECK_ARG(c && until != CM_TIME_NONE, err);
	if (c->until != CM_TIME_NONE)
		return twice(err, "until");
	c->until = until;
	c->agreement->validated = false;
	return CM_OK;
}

CM_EXPORT int cm_commitment_set_form(cm_commitment *c, int form,
				     cm_error *err)
{
	CHECK_ARG(c && (form == CM_FORM_VERBAL || form == CM_FORM_WRITTEN), err);
	if (c->form != CM_FORM_DEFAULT)
		return twice(err, "form");
	c->form = (uint8_t)form;
	c->agreement->validated = false;
	return CM_OK;
}

CM_EXPORT int cm_commitment_add_signature(cm_commitment *c, const char *party,
					  cm_time on, cm_error *err)
{
	CHECK_ARG(c && party, err);
	if (cm__sigs_add(&c->agreement->arena, &c->sigs, party, NOPOS, on) != 0)
		return cm__enomem(err);
	c->agreement->validated = false;
	return CM_OK;
}

CM_EXPORT int cm_commitment_add_witness(cm_commitment *c, const char *party,
					cm_error *err)
{
	CHECK_ARG(c && party, err);
	if (cm__names_add(&c->agreement->arena, &c->witnesses, party, NOPOS) != 0)
		return cm__enomem(err);
	c->agreement->validated = false;
	return CM_OK;
}

CM_EXPORT int cm_commitment_set_standing(cm_commitment *c, int standing,
					 const char *party, cm_error *err)
{
	CHECK_ARG(c && standing >= CM_STANDING_AGREED &&
			  standing <= CM_STANDING_REJECTED, err);
	bool needs_party = standing == CM_STANDING_PROPOSED ||
			   standing == CM_STANDING_REJECTED;
	CHECK_ARG(needs_party == (party != NULL), err);
	if (c->standing_set && (c->standing != standing || !needs_party))
		return twice(err, "standing");
	if (party && cm__names_add(&c->agreement->arena, &c->standing_by, party,
				   NOPOS) != 0)
		return cm__enomem(err);
	c->standing = (uint8_t)standing;
	c->standing_set = true;
	c->agreement->validated = false;
	return CM_OK;
}

CM_EXPORT int cm_commitment_add_note(cm_commitment *c, const char *text,
				     cm_error *err)
{
	CHECK_ARG(c && text, err);
	if (check_string(text, "note", err) != CM_OK)
		return CM_EINVAL;
	struct cm__arena *ar = &c->agreement->arena;
	const char **v = cm__arena_grow(ar, c->notes, sizeof(*v), c->nnotes,
					&c->notes_cap);
	if (!v)
		return cm__enomem(err);
	c->notes = v;
	v[c->nnotes] = cm__arena_strdup(ar, text);
	if (!v[c->nnotes])
		return cm__enomem(err);
	c->nnotes++;
	return CM_OK;
}

CM_EXPORT const char *cm_commitment_id(const cm_commitment *c)
{
	return c ? c->id : NULL;
}

CM_EXPORT const char *cm_commitment_debtor(const cm_commitment *c)
{
	return c ? c->debtor.s : NULL;
}

CM_EXPORT int cm_commitment_modality(const cm_commitment *c)
{
	return c ? c->modality : -1;
}

CM_EXPORT int cm_commitment_declared_form(const cm_commitment *c)
{
	return c ? c->form : -1;
}

CM_EXPORT int cm_commitment_standing(const cm_commitment *c)
{
	return c ? c->standing : -1;
}

CM_EXPORT int cm_commitment_is_action(const cm_commitment *c)
{
	return c ? c->is_action : 0;
}

CM_EXPORT const char *cm_commitment_action_type(const cm_commitment *c)
{
	return c && c->is_action ? c->action.type : NULL;
}

CM_EXPORT const char *cm_commitment_text(const cm_commitment *c)
{
	return c && !c->is_action ? c->text : NULL;
}

CM_EXPORT int32_t cm_commitment_line(const cm_commitment *c)
{
	return c ? (int32_t)c->pos.line : 0;
}

/* ---- derived facts (SPEC §3) ----------------------------------------- */

int cm__effective_form(const struct cm_commitment *c)
{
	if (c->form != CM_FORM_DEFAULT)
		return c->form;
	return c->agreement->sigs.n ? CM_FORM_WRITTEN : CM_FORM_VERBAL;
}

bool cm__signed_by(const struct cm_commitment *c, const struct cm_party *p)
{
	for (uint32_t i = 0; i < c->sigs.n; i++)
		if (c->sigs.v[i].p == p)
			return true;
	return p->signed_text && cm__effective_form(c) == CM_FORM_WRITTEN;
}

/* ---- policies ----------------------------------------------------------- */

static const char *dup_or_null(struct cm__arena *ar, const char *s, bool *fail)
{
	if (!s)
		return NULL;
	const char *c = cm__arena_strdup(ar, s);
	if (!c)
		*fail = true;
	return c;
}

int cm__policy_create(void *mem_ctx, const char *id, const char *title,
		      const char *file, struct cm__pos pos,
		      struct cm_policy **out, cm_error *err)
{
	struct cm_policy *p = cm__zalloc(mem_ctx, sizeof(*p), "cm_policy");
	if (!p)
		return cm__enomem(err);
	cm__arena_init(&p->arena, p);
	bool fail = false;
	p->id = dup_or_null(&p->arena, id, &fail);
	p->title = dup_or_null(&p->arena, title, &fail);
	p->file = dup_or_null(&p->arena, file, &fail);
	if (fail) {
		cm__free(p);
		return cm__enomem(err);
	}
	p->pos = pos;
	*out = p;
	return CM_OK;
}

CM_EXPORT int cm_policy_new(void *mem_ctx, const char *id, const char *title,
			    cm_policy **out, cm_error *err)
{
	if (!out || !cm__valid_id(id))
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid policy id '%s'", id ? id : "(null)");
	if (title && check_string(title, "policy title", err) != CM_OK)
		return CM_EINVAL;
	return cm__policy_create(mem_ctx, id, title, NULL, NOPOS, out, err);
}

CM_EXPORT const char *cm_policy_id(const cm_policy *p)
{
	return p ? p->id : NULL;
}

CM_EXPORT const char *cm_policy_title(const cm_policy *p)
{
	return p ? p->title : NULL;
}

CM_EXPORT size_t cm_policy_requirement_count(const cm_policy *p)
{
	return p ? p->rules.n : 0;
}

/* ---- context ----------------------------------------------------------- */

CM_EXPORT void *cm_context_new(void)
{
	return cm__ctx_new(NULL, "cm_context");
}

CM_EXPORT void cm_free(void *ptr)
{
	cm__free(ptr);
}
