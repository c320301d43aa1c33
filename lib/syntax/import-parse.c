/*
 * Mappings (docs/import.md): the `import` block of the .cmt language,
 * read with the language's lexer and parser helpers, so its errors are
 * FILE:LINE:COL like every other.
 *
 *   mapping = "import" FORMAT ID [STRING] "{" { mitem } "}" ;
 *   mitem   = "type" COLUMN { "," COLUMN }
 *           | "party" ID name { "," name }
 *           | "drop" ( "if" | "unless" ) tests
 *           | "when" tests "emit" template [ prov ]
 *           | "default" prov ;
 *   name    = STRING | "like" STRING ;
 *   tests   = test { "and" test } ;
 *   test    = [ "not" ] COLUMN ( "is" ( STRING { "," STRING } | ID
 *                                     | "any" "party" )
 *                              | "like" STRING { "," STRING }
 *                              | CMP NUMBER ) ;
 *   template = NAME "(" [ NAME ":" tval { "," NAME ":" tval } ] ")" ;
 *   tval    = COLUMN | "text" "(" COLUMN ")" | "number" "(" COLUMN ")"
 *           | ID | STRING | NUMBER ;
 *   prov    = { "reported" "by" ( COLUMN | ids ) | "verified" "by" ids } ;
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/mapping.h"
#include "syntax/parse.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct cm__pos NOPOS = {0, 0};

/* ---- helpers --------------------------------------------------------- */

struct mparse {
	struct cm__parser *P;
	struct cm_mapping *m;
	struct cm__arena *ar;
	struct cm__stack tests; /* struct cm__imp_test */
	struct cm__stack strs;  /* const char * */
	struct cm__stack attrs; /* struct cm__imp_attr */
	struct cm__stack rules, drops, names;
	/* party ids a test or a literal names, checked at the end */
	struct cm__stack refs;  /* struct cm__name */
	struct cm__stack pids;  /* const char *: party ids declared */
	uint32_t party_items;
};

static bool known_col(const struct cm__imp_format *f, const char *s,
		      size_t n)
{
	for (uint32_t i = 0; i < f->ncols; i++)
		if (strlen(f->cols[i]) == n && memcmp(f->cols[i], s, n) == 0)
			return true;
	return false;
}

/* Is @p t a column of the mapping's format (or the declared `type`)? */
static bool is_col(struct mparse *M, const struct cm__token *t)
{
	if (t->kind != CM__T_ID)
		return false;
	if (M->m->ntype && CM__KW(t, "type"))
		return true;
	return known_col(M->m->fmt, t->s, t->len);
}

/* The index of column @p t in the mapping's used columns (added when
 * new). */
static int col_index(struct mparse *M, const struct cm__token *t,
		     uint16_t *out)
{
	struct cm_mapping *m = M->m;
	if (m->ntype && CM__KW(t, "type")) {
		*out = CM__IMP_TYPE_COL;
		return CM_OK;
	}
	for (uint32_t i = 0; i < m->ncols; i++)
		if (strlen(m->cols[i]) == t->len &&
		    memcmp(m->cols[i], t->s, t->len) == 0) {
			*out = (uint16_t)i;
			return CM_OK;
		}
	if (m->ncols == CM__IMP_MAX_COLS)
		return cm__perror(M->P, CM_ELIMIT, t->pos,
				  "a mapping reads at most %d columns",
				  CM__IMP_MAX_COLS);
	/* the format's own static name: no copy needed */
	for (uint32_t i = 0; i < m->fmt->ncols; i++)
		if (strlen(m->fmt->cols[i]) == t->len &&
		    memcmp(m->fmt->cols[i], t->s, t->len) == 0) {
			m->cols[m->ncols] = m->fmt->cols[i];
			*out = (uint16_t)m->ncols++;
			return CM_OK;
		}
	return cm__perror(M->P, CM_ESEMANTIC, t->pos, "%s has no column '%.*s'",
			  m->fmt->title, (int)t->len, t->s);
}

static int expect_col(struct mparse *M, uint16_t *out, const char *what)
{
	const struct cm__token *t = cm__peek(M->P, 0);
	if (t->kind != CM__T_ID)
		return cm__expected(M->P, t, what);
	int rc = col_index(M, t, out);
	if (rc == CM_OK)
		cm__skip(M->P);
	return rc;
}

static int expect_kw(struct mparse *M, const char *kw, const char *what)
{
	const struct cm__token *t = cm__peek(M->P, 0);
	if (!cm__is_kw(t, kw, strlen(kw)))
		return cm__expected(M->P, t, what);
	cm__skip(M->P);
	return CM_OK;
}

static int expect_tok(struct mparse *M, uint8_t kind, const char *what)
{
	const struct cm__token *t = cm__peek(M->P, 0);
	if (t->kind != kind)
		return cm__expected(M->P, t, what);
	cm__skip(M->P);
	return CM_OK;
}

/* Copy @p n elements of a scratch stack (from @p base) into the arena. */
static void *take(struct mparse *M, struct cm__stack *s, size_t base,
		  size_t elsize, uint32_t *n)
{
	size_t k = s->n - base;
	*n = (uint32_t)k;
	if (!k)
		return NULL;
	void *v = cm__arena_alloc_raw(M->ar, k * elsize);
	if (v)
		memcpy(v, (char *)s->v + base * elsize, k * elsize);
	s->n = base;
	return v;
}

static int push(struct mparse *M, struct cm__stack *s, const void *el,
		size_t elsize)
{
	if (!cm__stack_reserve(M->P, s, elsize, 1))
		return cm__enomem(M->P->err);
	memcpy((char *)s->v + s->n * elsize, el, elsize);
	s->n++;
	return CM_OK;
}

static int note_ref(struct mparse *M, const char *id, struct cm__pos pos)
{
	struct cm__name nm = {id, pos};
	return push(M, &M->refs, &nm, sizeof(nm));
}

/* STRING { "," STRING } onto M->strs; the first is at the peek. */
static int strings(struct mparse *M, const char *what, const char ***out,
		   uint32_t *n)
{
	size_t base = M->strs.n;
	for (;;) {
		const struct cm__token *t = cm__peek(M->P, 0);
		if (t->kind != CM__T_STRING) {
			M->strs.n = base;
			return cm__expected(M->P, t, what);
		}
		const char *s = cm__tok_dup(M->P, M->ar, t);
		if (!s || push(M, &M->strs, &s, sizeof(s)) != CM_OK) {
			M->strs.n = base;
			return cm__enomem(M->P->err);
		}
		cm__skip(M->P);
		if (cm__peek(M->P, 0)->kind != CM__T_COMMA ||
		    cm__peek(M->P, 1)->kind != CM__T_STRING)
			break;
		cm__skip(M->P);
	}
	*out = take(M, &M->strs, base, sizeof(char *), n);
	return *out ? CM_OK : cm__enomem(M->P->err);
}

/* ---- tests ----------------------------------------------------------- */

static int p_test(struct mparse *M, struct cm__imp_test *x)
{
	struct cm__parser *P = M->P;
	memset(x, 0, sizeof(*x));
	const struct cm__token *t = cm__peek(P, 0);
	x->pos = t->pos;
	if (CM__KW(t, "not") && cm__peek(P, 1)->kind == CM__T_ID) {
		x->neg = true;
		cm__skip(P);
	}
	int rc = expect_col(M, &x->col, "a column name");
	if (rc != CM_OK)
		return rc;
	t = cm__peek(P, 0);
	if (CM__KW(t, "is")) {
		cm__skip(P);
		t = cm__peek(P, 0);
		if (t->kind == CM__T_STRING) {
			x->kind = CM__IT_IS;
			return strings(M, "a string", &x->strs, &x->nstrs);
		}
		if (CM__KW(t, "any") && CM__KW(cm__peek(P, 1), "party")) {
			x->kind = CM__IT_ANYPARTY;
			cm__skip(P);
			cm__skip(P);
			return CM_OK;
		}
		if (t->kind != CM__T_ID)
			return cm__expected(P, t, "a string, a party id or "
					    "'any party' after 'is'");
		x->kind = CM__IT_PARTY;
		x->party = cm__tok_dup(P, M->ar, t);
		if (!x->party)
			return cm__enomem(P->err);
		rc = note_ref(M, x->party, t->pos);
		cm__skip(P);
		return rc;
	}
	if (CM__KW(t, "like")) {
		cm__skip(P);
		x->kind = CM__IT_LIKE;
		return strings(M, "a pattern string after 'like'", &x->strs,
			       &x->nstrs);
	}
	if (t->kind >= CM__T_GE && t->kind <= CM__T_NE) {
		x->kind = CM__IT_CMP;
		x->cmp = (uint8_t)(t->kind - CM__T_GE);
		cm__skip(P);
		t = cm__peek(P, 0);
		if (t->kind != CM__T_NUMBER)
			return cm__expected(P, t, "a number");
		char buf[64];
		if (t->len >= sizeof(buf))
			return cm__perror(P, CM_ERANGE, t->pos,
					  "number too long");
		memcpy(buf, t->s, t->len);
		buf[t->len] = '\0';
		x->num = strtod(buf, NULL);
		x->num_text = cm__tok_dup(P, M->ar, t);
		if (!x->num_text)
			return cm__enomem(P->err);
		cm__skip(P);
		return CM_OK;
	}
	return cm__expected(P, t, "'is', 'like' or a comparison");
}

static int p_tests(struct mparse *M, struct cm__imp_tests *out)
{
	size_t base = M->tests.n;
	for (;;) {
		struct cm__imp_test x;
		int rc = p_test(M, &x);
		if (rc == CM_OK)
			rc = push(M, &M->tests, &x, sizeof(x));
		if (rc != CM_OK) {
			M->tests.n = base;
			return rc;
		}
		if (!CM__KW(cm__peek(M->P, 0), "and"))
			break;
		cm__skip(M->P);
	}
	out->v = take(M, &M->tests, base, sizeof(struct cm__imp_test),
		      &out->n);
	return out->v ? CM_OK : cm__enomem(M->P->err);
}

/* ---- templates ------------------------------------------------------- */

static int p_tval(struct mparse *M, struct cm__imp_attr *a)
{
	struct cm__parser *P = M->P;
	const struct cm__token *t = cm__peek(P, 0);
	a->pos = t->pos;
	if ((CM__KW(t, "text") || CM__KW(t, "number")) &&
	    cm__peek(P, 1)->kind == CM__T_LPAREN) {
		a->kind = CM__KW(t, "text") ? CM__IV_TEXT : CM__IV_NUMBER;
		cm__skip(P);
		cm__skip(P);
		int rc = expect_col(M, &a->col, "a column name");
		if (rc == CM_OK)
			rc = expect_tok(M, CM__T_RPAREN, "')'");
		return rc;
	}
	if (is_col(M, t)) {
		a->kind = CM__IV_PARTY;
		int rc = col_index(M, t, &a->col);
		if (rc == CM_OK)
			cm__skip(P);
		return rc;
	}
	if (t->kind != CM__T_ID && t->kind != CM__T_STRING &&
	    t->kind != CM__T_NUMBER)
		return cm__expected(P, t, "a column, text(COLUMN), "
				    "number(COLUMN) or a value");
	a->kind = CM__IV_LITERAL;
	a->lit_kind = t->kind == CM__T_ID ? CM__V_ID
		      : t->kind == CM__T_STRING ? CM__V_STRING : CM__V_NUMBER;
	a->lit = cm__tok_dup(P, M->ar, t);
	if (!a->lit)
		return cm__enomem(P->err);
	cm__skip(P);
	return CM_OK;
}

static int p_template(struct mparse *M, struct cm__imp_rule *r)
{
	struct cm__parser *P = M->P;
	const struct cm__token *t = cm__peek(P, 0);
	if (t->kind != CM__T_ID)
		return cm__expected(P, t, "an action after 'emit'");
	r->type = cm__tok_dup(P, M->ar, t);
	r->type_pos = t->pos;
	if (!r->type)
		return cm__enomem(P->err);
	cm__skip(P);
	int rc = expect_tok(M, CM__T_LPAREN, "'('");
	if (rc != CM_OK)
		return rc;
	size_t base = M->attrs.n;
	if (cm__peek(P, 0)->kind != CM__T_RPAREN) {
		for (;;) {
			struct cm__imp_attr a;
			memset(&a, 0, sizeof(a));
			t = cm__peek(P, 0);
			if (t->kind != CM__T_ID) {
				rc = cm__expected(P, t, "an attribute name");
				goto fail;
			}
			if (M->attrs.n - base == CM__IMP_MAX_ATTRS) {
				rc = cm__perror(P, CM_ELIMIT, t->pos,
						"an action of a mapping has at "
						"most %d attributes",
						CM__IMP_MAX_ATTRS);
				goto fail;
			}
			const struct cm__imp_attr *v = M->attrs.v;
			for (size_t i = base; i < M->attrs.n; i++)
				if (strlen(v[i].name) == t->len &&
				    memcmp(v[i].name, t->s, t->len) == 0) {
					rc = cm__perror(P, CM_ESEMANTIC, t->pos,
							"duplicate attribute "
							"'%.*s'", (int)t->len,
							t->s);
					goto fail;
				}
			a.name = cm__tok_dup(P, M->ar, t);
			if (!a.name) {
				rc = cm__enomem(P->err);
				goto fail;
			}
			cm__skip(P);
			rc = expect_tok(M, CM__T_COLON, "':'");
			if (rc == CM_OK)
				rc = p_tval(M, &a);
			if (rc == CM_OK)
				rc = push(M, &M->attrs, &a, sizeof(a));
			if (rc != CM_OK)
				goto fail;
			if (cm__peek(P, 0)->kind != CM__T_COMMA)
				break;
			cm__skip(P);
		}
	}
	rc = expect_tok(M, CM__T_RPAREN, "',' or ')'");
	if (rc != CM_OK)
		goto fail;
	if (M->attrs.n > base) {
		r->attrs = take(M, &M->attrs, base, sizeof(struct cm__imp_attr),
				&r->nattrs);
		if (!r->attrs)
			return cm__enomem(P->err);
	}
	return CM_OK;
fail:
	M->attrs.n = base;
	return rc;
}

/* ---- provenance ------------------------------------------------------ */

static bool at_prov(struct mparse *M)
{
	const struct cm__token *t = cm__peek(M->P, 0);
	return (CM__KW(t, "reported") || CM__KW(t, "verified")) &&
	       CM__KW(cm__peek(M->P, 1), "by");
}

static int p_prov(struct mparse *M, struct cm__imp_prov *pv)
{
	struct cm__parser *P = M->P;
	if (pv->set)
		return cm__perror(P, CM_ESEMANTIC, cm__peek(P, 0)->pos,
				  "provenance given twice");
	pv->set = true;
	pv->pos = cm__peek(P, 0)->pos;
	while (at_prov(M)) {
		bool rep = CM__KW(cm__peek(P, 0), "reported");
		cm__skip(P);
		cm__skip(P);
		const struct cm__token *t = cm__peek(P, 0);
		struct cm__names *l = rep ? &pv->reported : &pv->verified;
		if (l->n || (rep && pv->reported_by_col))
			return cm__perror(P, CM_ESEMANTIC, t->pos,
					  "'%s by' given twice",
					  rep ? "reported" : "verified");
		if (rep && is_col(M, t)) {
			pv->reported_by_col = true;
			int rc = col_index(M, t, &pv->reported_col);
			if (rc != CM_OK)
				return rc;
			cm__skip(P);
			continue;
		}
		int rc = cm__parse_ids(P, M->ar, l,
				       rep ? "a column or a party id after "
					     "'reported by'"
					   : "a party id after 'verified by'");
		if (rc != CM_OK)
			return rc;
		for (uint32_t i = 0; i < l->n; i++) {
			rc = note_ref(M, l->v[i].s, l->v[i].pos);
			if (rc != CM_OK)
				return rc;
		}
	}
	for (uint32_t i = 0; i < pv->reported.n; i++)
		for (uint32_t j = 0; j < pv->verified.n; j++)
			if (!strcmp(pv->reported.v[i].s, pv->verified.v[j].s))
				return cm__perror(P, CM_ESEMANTIC,
						  pv->verified.v[j].pos,
						  "'%s' both reports and "
						  "verifies", pv->verified.v[j].s);
	return CM_OK;
}

/* ---- items ----------------------------------------------------------- */

static int p_type(struct mparse *M)
{
	struct cm__parser *P = M->P;
	struct cm_mapping *m = M->m;
	struct cm__token kw = cm__next(P);
	if (m->ntype)
		return cm__perror(P, CM_ESEMANTIC, kw.pos,
				  "'type' given twice");
	if (m->nrules || m->ndrops)
		return cm__perror(P, CM_ESEMANTIC, kw.pos,
				  "'type' must come before the rules that "
				  "use it");
	m->type_pos = kw.pos;
	for (;;) {
		const struct cm__token *t = cm__peek(P, 0);
		if (m->ntype == NELEM(m->type_cols))
			return cm__perror(P, CM_ELIMIT, t->pos,
					  "'type' joins at most %zu columns",
					  NELEM(m->type_cols));
		if (CM__KW(t, "type"))
			return cm__perror(P, CM_ESEMANTIC, t->pos,
					  "'type' cannot join itself");
		uint16_t c;
		int rc = expect_col(M, &c, "a column name");
		if (rc != CM_OK)
			return rc;
		m->type_cols[m->ntype++] = c;
		if (cm__peek(P, 0)->kind != CM__T_COMMA)
			return CM_OK;
		cm__skip(P);
	}
}

static int p_party(struct mparse *M)
{
	struct cm__parser *P = M->P;
	cm__skip(P);
	const struct cm__token *t = cm__peek(P, 0);
	if (t->kind != CM__T_ID)
		return cm__expected(P, t, "a party id after 'party'");
	const char *id = cm__tok_dup(P, M->ar, t);
	if (!id)
		return cm__enomem(P->err);
	cm__skip(P);
	bool seen = false;
	const char *const *pv = M->pids.v;
	for (size_t i = 0; i < M->pids.n && !seen; i++)
		seen = strcmp(pv[i], id) == 0;
	if (!seen && push(M, &M->pids, &id, sizeof(id)) != CM_OK)
		return cm__enomem(P->err);
	for (;;) {
		struct cm__imp_name nm = {id, NULL, false, cm__peek(P, 0)->pos,
					  M->party_items};
		if (CM__KW(cm__peek(P, 0), "like")) {
			nm.pattern = true;
			cm__skip(P);
		}
		t = cm__peek(P, 0);
		if (t->kind != CM__T_STRING)
			return cm__expected(P, t, nm.pattern
					    ? "a pattern string after 'like'"
					    : "a name string or 'like'");
		nm.text = cm__tok_dup(P, M->ar, t);
		if (!nm.text)
			return cm__enomem(P->err);
		int rc = push(M, &M->names, &nm, sizeof(nm));
		if (rc != CM_OK)
			return rc;
		cm__skip(P);
		if (cm__peek(P, 0)->kind != CM__T_COMMA) {
			M->party_items++;
			return CM_OK;
		}
		cm__skip(P);
	}
}

static int p_item(struct mparse *M)
{
	struct cm__parser *P = M->P;
	const struct cm__token *t = cm__peek(P, 0);
	if (CM__KW(t, "type"))
		return p_type(M);
	if (CM__KW(t, "party"))
		return p_party(M);
	if (CM__KW(t, "drop")) {
		struct cm__imp_drop d;
		memset(&d, 0, sizeof(d));
		d.pos = t->pos;
		cm__skip(P);
		t = cm__peek(P, 0);
		if (CM__KW(t, "unless"))
			d.unless = true;
		else if (!CM__KW(t, "if"))
			return cm__expected(P, t, "'if' or 'unless' after "
					    "'drop'");
		cm__skip(P);
		int rc = p_tests(M, &d.tests);
		if (rc == CM_OK)
			rc = push(M, &M->drops, &d, sizeof(d));
		return rc;
	}
	if (CM__KW(t, "when")) {
		struct cm__imp_rule r;
		memset(&r, 0, sizeof(r));
		r.pos = t->pos;
		cm__skip(P);
		int rc = p_tests(M, &r.tests);
		if (rc == CM_OK)
			rc = expect_kw(M, "emit", "'and' or 'emit'");
		if (rc == CM_OK)
			rc = p_template(M, &r);
		if (rc == CM_OK && at_prov(M))
			rc = p_prov(M, &r.prov);
		if (rc == CM_OK)
			rc = push(M, &M->rules, &r, sizeof(r));
		return rc;
	}
	if (CM__KW(t, "default")) {
		cm__skip(P);
		if (!at_prov(M))
			return cm__expected(P, cm__peek(P, 0),
					    "'reported by' or 'verified by' "
					    "after 'default'");
		return p_prov(M, &M->m->prov);
	}
	return cm__expected(P, t, "'type', 'party', 'drop', 'when', "
			    "'default' or '}'");
}

/* Every party id a test or a provenance names must be declared. */
static int check_refs(struct mparse *M)
{
	const struct cm__name *v = M->refs.v;
	for (size_t i = 0; i < M->refs.n; i++) {
		bool ok = false;
		for (uint32_t j = 0; j < M->m->nparties && !ok; j++)
			ok = strcmp(M->m->parties[j], v[i].s) == 0;
		if (!ok)
			return cm__perror(M->P, CM_ESEMANTIC, v[i].pos,
					  "unknown party '%s': no 'party "
					  "%s ...' item names it", v[i].s,
					  v[i].s);
	}
	return CM_OK;
}

static int p_mapping(struct mparse *M)
{
	struct cm__parser *P = M->P;
	struct cm_mapping *m = M->m;
	const struct cm__token *t = cm__peek(P, 0);
	if (!CM__KW(t, "import"))
		return cm__expected(P, t, "'import'");
	m->pos = t->pos;
	cm__skip(P);
	t = cm__peek(P, 0);
	if (t->kind != CM__T_ID)
		return cm__expected(P, t, "a dataset ('acled' or 'ucdp')");
	m->fmt = cm__imp_format_by_name(t->s, t->len);
	if (!m->fmt)
		return cm__perror(P, CM_ESEMANTIC, t->pos,
				  "unknown dataset '%.*s' (known: acled, ucdp)",
				  (int)t->len, t->s);
	cm__skip(P);
	t = cm__peek(P, 0);
	if (t->kind != CM__T_ID)
		return cm__expected(P, t, "the mapping's id");
	m->id = cm__tok_dup(P, &m->arena, t);
	if (!m->id)
		return cm__enomem(P->err);
	cm__skip(P);
	t = cm__peek(P, 0);
	if (t->kind == CM__T_STRING) {
		m->title = cm__tok_dup(P, &m->arena, t);
		if (!m->title)
			return cm__enomem(P->err);
		cm__skip(P);
	}
	int rc = expect_tok(M, CM__T_LBRACE, "'{'");
	/* the date column is always read */
	struct cm__token dt = {.kind = CM__T_ID, .s = m->fmt->date_col,
			       .len = strlen(m->fmt->date_col)};
	if (rc == CM_OK)
		rc = col_index(M, &dt, &m->date_col);
	while (rc == CM_OK && cm__peek(P, 0)->kind != CM__T_RBRACE) {
		if (cm__peek(P, 0)->kind == CM__T_EOF)
			return cm__expected(P, cm__peek(P, 0), "'}'");
		rc = p_item(M);
		m->nrules = (uint32_t)M->rules.n;
		m->ndrops = (uint32_t)M->drops.n;
	}
	if (rc != CM_OK)
		return rc;
	m->end = cm__peek(P, 0)->pos;
	cm__skip(P);
	if (!M->rules.n)
		return cm__perror(P, CM_ESEMANTIC, m->pos,
				  "mapping '%s' has no 'when' rule", m->id);
	if (M->pids.n) {
		m->parties = take(M, &M->pids, 0, sizeof(char *),
				  &m->nparties);
		if (!m->parties)
			return cm__enomem(P->err);
	}
	rc = check_refs(M);
	if (rc != CM_OK)
		return rc;
	m->rules = take(M, &M->rules, 0, sizeof(struct cm__imp_rule),
			&m->nrules);
	m->drops = M->drops.n ? take(M, &M->drops, 0,
				     sizeof(struct cm__imp_drop), &m->ndrops)
			      : NULL;
	m->nnames = 0;
	if (M->names.n) {
		m->names = take(M, &M->names, 0, sizeof(struct cm__imp_name),
				&m->nnames);
		if (!m->names)
			return cm__enomem(P->err);
	}
	if (!m->rules)
		return cm__enomem(P->err);
	/* the exact-name map, pointing into the final array */
	cm__map_init(&m->exact);
	for (uint32_t i = 0; i < m->nnames; i++)
		if (!m->names[i].pattern) {
			const struct cm__imp_name *old =
				cm__map_get(&m->exact, m->names[i].text);
			if (old)
				return cm__perror(P, CM_ESEMANTIC,
						  m->names[i].pos,
						  "the name \"%s\" is already "
						  "given to party '%s'",
						  m->names[i].text, old->party);
			if (cm__map_put(&m->exact, m, m->names[i].text,
					&m->names[i]) != 0)
				return cm__enomem(P->err);
		}
	/* `reported by COLUMN` needs nothing more; the source column of the
	   format is only a default documented for analysts */
	return CM_OK;
}

int cm__p_mapping(struct cm__parser *P, void *owner, const char *file,
		  struct cm_mapping **out)
{
	struct cm_mapping *m = cm__zalloc(owner, sizeof(*m), "cm_mapping");
	if (!m)
		return cm__enomem(P->err);
	cm__arena_init(&m->arena, m);
	cm__map_init(&m->exact);
	void *tmp = cm__ctx_new(m, "cm_mapping_parse");
	struct mparse *M = tmp ? cm__zalloc(tmp, sizeof(*M), "mparse") : NULL;
	int rc;
	if (!M) {
		rc = cm__enomem(P->err);
		goto done;
	}
	if (file && !(m->file = cm__arena_strdup(&m->arena, file))) {
		rc = cm__enomem(P->err);
		goto done;
	}
	/* the scratch stacks live under the parser's temporary context */
	M->P = P;
	M->m = m;
	M->ar = &m->arena;
	rc = p_mapping(M);
	cm__free(M->tests.v);
	cm__free(M->strs.v);
	cm__free(M->attrs.v);
	cm__free(M->rules.v);
	cm__free(M->drops.v);
	cm__free(M->names.v);
	cm__free(M->refs.v);
	cm__free(M->pids.v);
done:
	cm__free(tmp);
	if (rc != CM_OK) {
		cm__free(m);
		return rc;
	}
	*out = m;
	return CM_OK;
}

CM_EXPORT int cm_mapping_parse(void *mem_ctx, const char *text, size_t len,
			       const char *file, cm_mapping **out,
			       cm_error *err)
{
	if (!out || (!text && len))
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	if (len > CM__MAX_TEXT)
		return cm__error(err, CM_ELIMIT, file, NOPOS,
				 "text of %zu bytes is beyond the limit of %d "
				 "bytes", len, CM__MAX_TEXT);
	void *tmp = cm__ctx_new(mem_ctx, "cm_mapping_parse");
	struct cm__parser *P = tmp ? cm__zalloc(tmp, sizeof(*P), "parser")
				   : NULL;
	if (!P) {
		cm__free(tmp);
		return cm__enomem(err);
	}
	cm__parser_init(P, tmp, text ? text : "", len, file, err);
	cm_mapping *m = NULL;
	int rc = cm__p_mapping(P, tmp, file, &m);
	if (rc == CM_OK) {
		const struct cm__token *t = cm__peek(P, 0);
		if (t->kind != CM__T_EOF)
			rc = cm__expected(P, t, CM__KW(t, "import")
					  ? "the end of the mapping (one "
					    "'import' block per mapping)"
					  : "the end of the mapping");
	}
	if (rc == CM_OK)
		*out = cm__steal(mem_ctx, m);
	cm__free(tmp);
	return rc;
}
