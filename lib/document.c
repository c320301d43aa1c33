/*
 * Documents (the API layer): texts and files parsed (syntax layer) and
 * committed into one run, the policy names checked across the run,
 * `use` resolved against the run's policies and the shipped ones, the
 * static checks (check layer), and the getters.
 *
 * A document changes only through cm_document_add_text/add_file (one
 * parsed text committed at a time, atomically) and cm_document_resolve
 * (which loads the shipped policies, once). Every getter, the policy
 * lookup among them, only reads: threads may share a resolved document
 * (docs/ownership.md).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "check/resolve.h"
#include "model/model.h"
#include "syntax/syntax.h"

static const struct cm__pos NOPOS = {0, 0};

CM_EXPORT int cm_document_new(void *mem_ctx, cm_document **out, cm_error *err)
{
	if (!out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS, "out is NULL");
	struct cm_document *d = cm__zalloc(mem_ctx, sizeof(*d), "cm_document");
	if (!d)
		return cm__enomem(err);
	cm__arena_init(&d->arena, d);
	*out = d;
	return CM_OK;
}

/* ---- committing a parsed text ------------------------------------------ */

/* The names a text's policies may not take: a shipped policy's, one the
 * run defines already, one the same text defined before. At the id, in
 * the text's file. */
static int policy_names_check(const struct cm_document *doc,
			      struct cm__parsed *t, const char *file,
			      cm_error *err)
{
	/* the run's names and this text's are found through hash maps (a
	 * scan of every earlier name made many policies quadratic); the
	 * text's map lives under @p t, freed with it */
	struct cm__map seen;
	cm__map_init(&seen);
	for (uint32_t k = 0; k < t->npolicies; k++) {
		const struct cm_policy *p = t->policies[k];
		const char *s = p->id;
		for (size_t i = 0; cm_policy_builtin_name(i); i++)
			if (strcmp(cm_policy_builtin_name(i), s) == 0)
				return cm__error(err, CM_ESEMANTIC, file,
						 p->id_pos,
						 "'%s' is a shipped policy and "
						 "cannot be redefined", s);
		const struct cm_policy *first = cm__map_get(&doc->policy_ids, s);
		if (!first)
			first = cm__map_get(&seen, s);
		if (!first) {
			if (cm__map_put(&seen, t, s, (void *)p) != 0)
				return cm__enomem(err);
			continue;
		}
		if (first->file && first->pos.line)
			return cm__error(err, CM_ESEMANTIC, file, p->id_pos,
					 "duplicate policy '%s' (first defined "
					 "at %s:%u)", s, first->file,
					 first->pos.line);
		return cm__error(err, CM_ESEMANTIC, file, p->id_pos,
				 "duplicate policy '%s'", s);
	}
	return CM_OK;
}

/* Grow a document array to hold @p extra more elements. */
static bool doc_reserve(struct cm_document *doc, void **v, size_t elsize,
			uint32_t count, size_t extra, uint32_t *cap)
{
	if (!extra)
		return true;
	void *nv = cm__arena_reserve(&doc->arena, *v, elsize, count, extra,
				     cap);
	if (!nv)
		return false;
	*v = nv;
	return true;
}

/* Move what text @p t holds onto the document; on failure the document
 * is left as it was. @p t is freed either way. */
static int commit(struct cm_document *doc, struct cm__parsed *t,
		  const char *file, cm_error *err)
{
	const char *docfile = NULL;
	int rc = CM_ENOMEM;
	if (file && (t->ncomments || t->ntops || t->events.n)) {
		docfile = cm__arena_strdup(&doc->arena, file);
		if (!docfile)
			goto out;
	}
	if (!doc_reserve(doc, (void **)&doc->agreements, sizeof(void *),
			 doc->nagreements, t->nagreements,
			 &doc->agreements_cap) ||
	    !doc_reserve(doc, (void **)&doc->policies, sizeof(void *),
			 doc->npolicies, t->npolicies, &doc->policies_cap) ||
	    !doc_reserve(doc, (void **)&doc->comments,
			 sizeof(struct cm__comment), doc->ncomments,
			 t->ncomments, &doc->comments_cap) ||
	    !doc_reserve(doc, (void **)&doc->tops, sizeof(struct cm__top),
			 doc->ntops, t->ntops, &doc->tops_cap) ||
	    !doc_reserve(doc, (void **)&doc->mappings, sizeof(void *),
			 doc->nmappings, t->nmappings, &doc->mappings_cap) ||
	    cm__map_reserve(&doc->policy_ids, doc, t->npolicies) != 0)
		goto out;
	/* Comments, into the reserved room (not counted yet). */
	for (uint32_t i = 0; i < t->ncomments; i++) {
		const struct cm__parsed_comment *pc = &t->comments[i];
		const char *s = cm__arena_strndup(&doc->arena, pc->s, pc->len);
		if (!s)
			goto out;
		doc->comments[doc->ncomments + i] = (struct cm__comment){
			s, docfile, pc->pos, pc->own_line};
	}
	/* Top-level events: copied, rolled back on failure. */
	uint32_t ev0 = doc->events.n;
	for (uint32_t i = 0; i < t->events.n; i++) {
		struct cm_event e = t->events.v[i];
		e.file = NULL;
		if (cm__events_add(&doc->arena, &doc->events, &e) != 0) {
			doc->events.n = ev0;
			goto out;
		}
		doc->events.v[doc->events.n - 1].file = docfile;
	}
	/* From here on nothing can fail. */
	for (uint32_t i = 0; i < t->ntops; i++) {
		struct cm__top top = t->tops[i];
		top.file = docfile;
		top.index += top.kind == CM__TOP_AGREEMENT ? doc->nagreements
			     : top.kind == CM__TOP_POLICY  ? doc->npolicies
			     : top.kind == CM__TOP_IMPORT  ? doc->nmappings
							   : ev0;
		doc->tops[doc->ntops++] = top;
	}
	doc->ncomments += t->ncomments;
	for (uint32_t i = 0; i < t->nagreements; i++) {
		cm__steal(doc, t->agreements[i]);
		doc->agreements[doc->nagreements++] = t->agreements[i];
	}
	for (uint32_t i = 0; i < t->npolicies; i++) {
		cm__steal(doc, t->policies[i]);
		doc->policies[doc->npolicies++] = t->policies[i];
		/* new ids, into reserved room: does not fail */
		(void)cm__map_put(&doc->policy_ids, doc, t->policies[i]->id,
				  t->policies[i]);
	}
	for (uint32_t i = 0; i < t->nmappings; i++) {
		cm__steal(doc, t->mappings[i]);
		doc->mappings[doc->nmappings++] = t->mappings[i];
	}
	rc = CM_OK;
out:
	cm__free(t);
	return rc == CM_OK ? CM_OK : cm__enomem(err);
}

/* Parse one text and commit it into @p doc; @p check_names: the policy
 * names are checked across the run (every text but the shipped one). */
static int add_text(struct cm_document *doc, const char *text, size_t len,
		    const char *file, bool check_names, cm_error *err)
{
	struct cm__parsed *t;
	int rc = cm__parse_text(doc, text, len, file, &t, err);
	if (rc != CM_OK)
		return rc;
	if (check_names) {
		rc = policy_names_check(doc, t, file, err);
		if (rc != CM_OK) {
			cm__free(t);
			return rc;
		}
	}
	return commit(doc, t, file, err);
}

CM_EXPORT int cm_document_add_text(cm_document *doc, const char *text,
				   size_t len, const char *filename,
				   cm_error *err)
{
	if (!doc || (!text && len))
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	return add_text(doc, text ? text : "", len,
			filename ? filename : "<string>", true, err);
}

/* Read a whole file under @p ctx. */
static int read_file(void *ctx, const char *path, char **data, size_t *len,
		     cm_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return cm__error(err, CM_EIO, path, NOPOS, "cannot open: %s",
				 strerror(errno));
	struct cm__buf b;
	cm__buf_init(&b, ctx);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && !b.failed)
		cm__buf_add(&b, chunk, n);
	bool bad = ferror(f);
	int saved = errno;
	fclose(f);
	if (bad) {
		cm__buf_reset(&b);
		return cm__error(err, CM_EIO, path, NOPOS, "cannot read: %s",
				 strerror(saved));
	}
	size_t total = b.len;
	int brc = cm__buf_finish(&b, ctx, data);
	if (brc == -2)
		return cm__error(err, CM_ELIMIT, path, NOPOS,
				 "file larger than %zu MiB, the largest "
				 "agreement file the library reads (events "
				 "files are streamed and have no such limit)",
				 (CM__BUF_MAX >> 20) + 1);
	if (brc != 0)
		return cm__enomem(err);
	*len = total;
	return CM_OK;
}

CM_EXPORT int cm_document_add_file(cm_document *doc, const char *path,
				   cm_error *err)
{
	if (!doc || !path)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	void *tmp = cm__ctx_new(doc, "cm_tmp");
	if (!tmp)
		return cm__enomem(err);
	char *data;
	size_t len;
	int rc = read_file(tmp, path, &data, &len, err);
	if (rc == CM_OK)
		rc = add_text(doc, data, len, path, true, err);
	cm__free(tmp);
	return rc;
}

/* ---- shipped policies ------------------------------------------------- */

static const char *const builtin_names[] = {
	"vclt", "un-registration", "written-only",
};
enum { NBUILTIN = sizeof(builtin_names) / sizeof(builtin_names[0]) };

CM_EXPORT size_t cm_policy_builtin_count(void)
{
	return NBUILTIN;
}

CM_EXPORT const char *cm_policy_builtin_name(size_t i)
{
	return i < NBUILTIN ? builtin_names[i] : NULL;
}

/* Parse the shipped policies' text into a scratch document under @p ctx. */
static int builtin_doc(void *ctx, struct cm_document **out, cm_error *err)
{
	struct cm_document *d;
	int rc = cm_document_new(ctx, &d, err);
	if (rc != CM_OK)
		return rc;
	rc = add_text(d, cm__builtin_policies_text, cm__builtin_policies_len,
		      "<shipped policies>", false, err);
	if (rc != CM_OK) {
		cm__free(d);
		return rc;
	}
	*out = d;
	return CM_OK;
}

static struct cm_policy *doc_own_policy(const struct cm_document *d,
					const char *name)
{
	return cm__map_get(&d->policy_ids, name);
}

CM_EXPORT int cm_policy_builtin(void *mem_ctx, const char *name,
				cm_policy **out, cm_error *err)
{
	if (!name || !out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	void *tmp = cm__ctx_new(mem_ctx, "cm_tmp");
	if (!tmp)
		return cm__enomem(err);
	struct cm_document *d;
	int rc = builtin_doc(tmp, &d, err);
	if (rc == CM_OK) {
		struct cm_policy *p = doc_own_policy(d, name);
		if (p) {
			p->builtin = true;
			cm__steal(mem_ctx, p);
			*out = p;
		} else {
			rc = cm__error(err, CM_ENOTFOUND, NULL, NOPOS,
				       "no shipped policy named '%s'", name);
		}
	}
	cm__free(tmp);
	return rc;
}

/* Load the shipped policies into the document (once). */
static int load_builtins(struct cm_document *d, cm_error *err)
{
	if (d->builtins)
		return CM_OK;
	struct cm_document *b;
	int rc = builtin_doc(d, &b, err);
	if (rc != CM_OK)
		return rc;
	for (uint32_t i = 0; i < b->npolicies; i++)
		b->policies[i]->builtin = true;
	d->builtins = b->policies;
	d->nbuiltins = b->npolicies;
	d->builtins_doc = b;
	return CM_OK;
}

/* Forget the shipped policies (a failed resolve that loaded them leaves
 * the document as it was). */
static void unload_builtins(struct cm_document *d)
{
	cm__free(d->builtins_doc);
	d->builtins_doc = NULL;
	d->builtins = NULL;
	d->nbuiltins = 0;
}

/* A policy of the run by name: the document's own, then the shipped
 * ones once loaded (NULL if none). Only reads. */
static struct cm_policy *find_policy(const struct cm_document *doc,
				     const char *name)
{
	struct cm_policy *p = doc_own_policy(doc, name);
	for (uint32_t i = 0; !p && i < doc->nbuiltins; i++)
		if (strcmp(doc->builtins[i]->id, name) == 0)
			p = doc->builtins[i];
	return p;
}

CM_EXPORT int cm_document_lookup_policy(const cm_document *doc,
					const char *name, cm_policy **out,
					cm_error *err)
{
	if (!doc || !name || !out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	struct cm_policy *p = find_policy(doc, name);
	if (p) {
		*out = p;
		return CM_OK;
	}
	if (!doc->builtins)
		for (size_t i = 0; cm_policy_builtin_name(i); i++)
			if (strcmp(cm_policy_builtin_name(i), name) == 0)
				return cm__error(err, CM_ENOTFOUND, NULL, NOPOS,
						 "unknown policy '%s': the "
						 "shipped policies are loaded "
						 "when the document is resolved",
						 name);
	return cm__error(err, CM_ENOTFOUND, NULL, NOPOS,
			 "unknown policy '%s'", name);
}

CM_EXPORT cm_policy *cm_document_find_policy(cm_document *doc,
					     const char *name)
{
	cm_policy *p = NULL;
	return cm_document_lookup_policy(doc, name, &p, NULL) == CM_OK ? p
									: NULL;
}

/* Expand every `use` of @p a in place, at its position in the list. */
static int expand_uses(struct cm_document *doc, struct cm_agreement *a,
		       cm_error *err)
{
	uint32_t nuse = 0;
	for (uint32_t i = 0; i < a->rules.n; i++) {
		const struct cm__rule *r = &a->rules.v[i];
		if (r->kind != CM__RULE_USE)
			continue;
		const struct cm_policy *p = find_policy(doc, r->use.s);
		if (!p)
			return cm__error(err, CM_ESEMANTIC, a->file, r->use.pos,
					 "unknown policy '%s'", r->use.s);
		nuse++;
	}
	if (!nuse)
		return CM_OK;
	struct cm__rules nl = {0};
	uint32_t seq = 0;
	for (uint32_t i = 0; i < a->rules.n; i++)
		if (a->rules.v[i].use_seq > seq)
			seq = a->rules.v[i].use_seq;
	for (uint32_t i = 0; i < a->rules.n; i++) {
		const struct cm__rule *r = &a->rules.v[i];
		if (r->kind != CM__RULE_USE) {
			if (cm__rules_add(&a->arena, &nl, r) != 0)
				return cm__enomem(err);
			continue;
		}
		const struct cm_policy *p = find_policy(doc, r->use.s);
		seq++;
		for (uint32_t j = 0; j < p->rules.n; j++) {
			struct cm__rule pr = p->rules.v[j];
			pr.policy = p->id;
			pr.line = r->line ? r->line : r->pos.line;
			/* its position in this agreement's file: the `use` */
			pr.pos = r->pos;
			pr.use_seq = seq;
			if (cm__rules_add(&a->arena, &nl, &pr) != 0)
				return cm__enomem(err);
		}
	}
	a->rules = nl;
	a->validated = false;
	return CM_OK;
}

/*
 * A top-level events block applies to every agreement of its file (SPEC
 * §2): an event there that is `verified by` a party the agreement declares
 * with a role other than mediator, guarantor or witness is the static
 * error of SPEC §2, at that id. Ids the agreement does not declare are
 * ignored there (SPEC §4).
 */
static int check_top_verifiers(const struct cm_document *doc,
			       const struct cm_agreement *a, cm_error *err)
{
	if (!a->file)
		return CM_OK;
	for (uint32_t i = 0; i < doc->events.n; i++) {
		const struct cm_event *ev = &doc->events.v[i];
		if (!ev->file || strcmp(ev->file, a->file) != 0)
			continue;
		for (uint32_t j = 0; j < ev->verified.n; j++) {
			const struct cm__name *v = &ev->verified.v[j];
			const struct cm_party *p = cm__find_party(a, v->s);
			if (!p || p->role == CM_ROLE_MEDIATOR ||
			    p->role == CM_ROLE_GUARANTOR ||
			    p->role == CM_ROLE_WITNESS)
				continue;
			return cm__error(err, CM_ESEMANTIC, ev->file, v->pos,
					 "'%s' verifies event '%s' but is %s "
					 "of agreement '%s': only a mediator, "
					 "guarantor or witness can verify",
					 p->id, ev->act.type ? ev->act.type
							     : "?",
					 p->role == CM_ROLE_ACTOR ? "an actor"
								  : "a party",
					 a->id);
		}
	}
	return CM_OK;
}

CM_EXPORT int cm_document_resolve(cm_document *doc, cm_error *err)
{
	if (!doc)
		return cm__error(err, CM_EINVAL, NULL, NOPOS, "doc is NULL");
	for (uint32_t i = 0; i < doc->npolicies; i++) {
		int rc = cm__policy_resolve(doc->policies[i], err);
		if (rc != CM_OK)
			return rc;
	}
	/* the shipped policies are loaded here, once, never on a lookup:
	 * a resolved document is only read from then on */
	bool loaded = doc->builtins != NULL;
	if (!loaded) {
		int rc = load_builtins(doc, err);
		if (rc != CM_OK)
			return rc;
	}
	for (uint32_t i = 0; i < doc->nagreements; i++) {
		int rc = expand_uses(doc, doc->agreements[i], err);
		if (rc == CM_OK)
			rc = cm__agreement_resolve(doc->agreements[i], err);
		if (rc == CM_OK)
			rc = check_top_verifiers(doc, doc->agreements[i], err);
		if (rc != CM_OK) {
			/* agreements resolved so far stay resolved (the
			 * same model, written back the same); shipped
			 * policies loaded by this call go */
			if (!loaded)
				unload_builtins(doc);
			return rc;
		}
	}
	return CM_OK;
}

/* One text or one file into a new, resolved document: cm_parse and
 * cm_parse_file. Exactly one of @p text and @p path is used. */
static int parse_one(void *mem_ctx, const char *text, size_t len,
		     const char *name, const char *path, cm_document **out,
		     cm_error *err)
{
	struct cm_document *d = NULL;
	int rc = cm_document_new(mem_ctx, &d, err);
	if (rc == CM_OK)
		rc = path ? cm_document_add_file(d, path, err)
			  : cm_document_add_text(d, text, len, name, err);
	if (rc == CM_OK)
		rc = cm_document_resolve(d, err);
	if (rc != CM_OK) {
		cm__free(d);
		return rc;
	}
	*out = d;
	return CM_OK;
}

CM_EXPORT int cm_parse(void *mem_ctx, const char *text, size_t len,
		       const char *filename, cm_document **out, cm_error *err)
{
	if (!out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS, "out is NULL");
	return parse_one(mem_ctx, text, len, filename, NULL, out, err);
}

CM_EXPORT int cm_parse_file(void *mem_ctx, const char *path,
			    cm_document **out, cm_error *err)
{
	if (!out || !path)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	return parse_one(mem_ctx, NULL, 0, NULL, path, out, err);
}

CM_EXPORT size_t cm_document_agreement_count(const cm_document *doc)
{
	return doc ? doc->nagreements : 0;
}

CM_EXPORT cm_agreement *cm_document_agreement(const cm_document *doc, size_t i)
{
	return doc && i < doc->nagreements ? doc->agreements[i] : NULL;
}

CM_EXPORT size_t cm_document_policy_count(const cm_document *doc)
{
	return doc ? doc->npolicies : 0;
}

CM_EXPORT cm_policy *cm_document_policy(const cm_document *doc, size_t i)
{
	return doc && i < doc->npolicies ? doc->policies[i] : NULL;
}

CM_EXPORT size_t cm_document_event_count(const cm_document *doc)
{
	return doc ? doc->events.n : 0;
}

CM_EXPORT const cm_event *cm_document_event(const cm_document *doc, size_t i)
{
	return doc && i < doc->events.n ? &doc->events.v[i] : NULL;
}

/* ---- mappings (docs/import.md) ---- */

CM_EXPORT size_t cm_document_mapping_count(const cm_document *doc)
{
	return doc ? doc->nmappings : 0;
}

CM_EXPORT const cm_mapping *cm_document_mapping(const cm_document *doc,
						size_t i)
{
	return doc && i < doc->nmappings ? doc->mappings[i] : NULL;
}

