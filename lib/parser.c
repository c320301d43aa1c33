/*
 * The parser of .cmt texts (SPEC §2): files, agreements, commitments,
 * policies and requirement rules into the model (model.h). Actions and
 * conditions are in parse-cond.c, events in events.c.
 *
 * cm__parse_into is atomic: agreements and policies are built under a
 * temporary talloc context and moved onto the document only when the
 * whole text parsed; top-level events, comments and the list of top-level
 * items are copied into the document at that moment too.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "import-private.h"
#include "parse.h"

/* ---- the parser's plumbing ------------------------------------------- */

void cm__parser_init(struct cm__parser *P, void *tmp, const char *text,
		     size_t len, const char *file, cm_error *err)
{
	memset(P, 0, sizeof(*P));
	cm__lexer_init(&P->lx, text, len, file, err);
	P->err = err;
	P->file = file;
	P->tmp = tmp;
}

const struct cm__token *cm__peek_fill(struct cm__parser *P, unsigned k)
{
	while (P->nla <= k) {
		struct cm__token *t =
			&P->la[(P->head + P->nla) & (CM__LOOKAHEAD - 1)];
		if (P->nla) {
			const struct cm__token *last =
				&P->la[(P->head + P->nla - 1) &
				       (CM__LOOKAHEAD - 1)];
			if (cm__sticky(last->kind)) {
				*t = *last;
				P->nla++;
				continue;
			}
		}
		cm__lex(&P->lx, t);
		if (t->kind == CM__T_ERROR)
			P->rc = P->lx.rc;
		else if (t->kind == CM__T_MORE)
			P->rc = CM__MORE;
		P->nla++;
	}
	return &P->la[(P->head + k) & (CM__LOOKAHEAD - 1)];
}

void cm__parser_drop_lookahead(struct cm__parser *P)
{
	P->head = 0;
	P->nla = 0;
}

int cm__perror(struct cm__parser *P, int code, struct cm__pos pos,
	       const char *fmt, ...)
{
	char msg[CM_ERROR_MESSAGE_SIZE];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cm__error(P->err, code, P->file, pos, "%s", msg);
}

int cm__expected(struct cm__parser *P, const struct cm__token *t,
		 const char *what)
{
	if (t->kind == CM__T_ERROR || t->kind == CM__T_MORE)
		return P->rc;
	if (t->kind == CM__T_EOF)
		return cm__perror(P, CM_ESYNTAX, t->pos,
				  "expected %s, found end of input", what);
	/* Quote at most 40 bytes, cut at a character boundary. */
	size_t n = t->len;
	const char *dots = "";
	if (n > 40) {
		n = 40;
		while (n > 0 && ((unsigned char)t->s[n] & 0xc0) == 0x80)
			n--;
		dots = "...";
	}
	if (t->kind == CM__T_STRING)
		return cm__perror(P, CM_ESYNTAX, t->pos,
				  "expected %s, found string \"%.*s%s\"", what,
				  (int)n, t->s, dots);
	return cm__perror(P, CM_ESYNTAX, t->pos, "expected %s, found '%.*s%s'",
			  what, (int)n, t->s, dots);
}

bool cm__stack_grow(struct cm__parser *P, struct cm__stack *s,
		    size_t elsize, size_t extra)
{
	if (extra > SIZE_MAX / 2 - s->n)
		return false;
	size_t ncap = s->cap ? s->cap * 2 : 16;
	if (ncap < s->n + extra)
		ncap = s->n + extra;
	void *v = cm__realloc(P->tmp, s->v, elsize, ncap, "cm_parse_stack");
	if (!v)
		return false;
	s->v = v;
	s->cap = ncap;
	return true;
}

char *cm__tok_dup(struct cm__parser *P, struct cm__arena *ar,
		  const struct cm__token *t)
{
	if (!t->escaped)
		return cm__dup_slice(P, ar, t->s, t->len);
	size_t n = cm__string_len(t);
	char *p;
	if (n < P->spool_left) {
		p = P->spool;
		P->spool += n + 1;
		P->spool_left -= n + 1;
	} else {
		p = cm__arena_alloc(ar, n + 1);
	}
	if (p)
		cm__string_copy(t, p);
	return p;
}

const char *cm__tok_cstr(struct cm__parser *P, struct cm__stack *sb,
			 const struct cm__token *t)
{
	sb->n = 0;
	if (!cm__stack_reserve(P, sb, 1, t->len + 1))
		return NULL;
	char *p = sb->v;
	if (t->kind == CM__T_STRING) {
		cm__string_copy(t, p);
	} else {
		memcpy(p, t->s, t->len);
		p[t->len] = '\0';
	}
	return p;
}

/* Collect `ID { , ID }` onto the names stack; returns the count via *n. */
static int collect_ids(struct cm__parser *P, struct cm__arena *ar,
		       const char *what, size_t *n)
{
	size_t base = P->names.n;
	for (;;) {
		const struct cm__token *t = cm__peek(P, 0);
		if (t->kind != CM__T_ID) {
			P->names.n = base;
			return cm__expected(P, t, what);
		}
		if (!cm__stack_reserve(P, &P->names, sizeof(struct cm__name), 1))
			goto nomem;
		struct cm__name *nm = (struct cm__name *)P->names.v + P->names.n;
		nm->s = cm__tok_dup(P, ar, t);
		nm->pos = t->pos;
		if (!nm->s)
			goto nomem;
		P->names.n++;
		cm__skip(P);
		if (cm__peek(P, 0)->kind != CM__T_COMMA)
			break;
		cm__skip(P);
		what = "a party id after ','";
	}
	*n = P->names.n - base;
	return CM_OK;
nomem:
	P->names.n = base;
	return cm__enomem(P->err);
}

/* Grow an arena array of @p count elements to hold @p extra more: exact
 * size when empty, else at least doubled. */
static void *arena_reserve(struct cm__arena *ar, void *v, size_t elsize,
			   uint32_t count, size_t extra, uint32_t *cap)
{
	if (extra <= (size_t)(*cap - count))
		return v;
	uint64_t need = (uint64_t)count + extra;
	uint64_t ncap = count ? (uint64_t)*cap * 2 : need;
	if (ncap < need)
		ncap = need;
	if (ncap > UINT32_MAX || ncap > SIZE_MAX / elsize)
		return NULL;
	void *nv = cm__arena_alloc(ar, (size_t)ncap * elsize);
	if (!nv)
		return NULL;
	if (count)
		memcpy(nv, v, count * elsize);
	*cap = (uint32_t)ncap;
	return nv;
}

int cm__parse_ids(struct cm__parser *P, struct cm__arena *ar,
		  struct cm__names *l, const char *what)
{
	size_t n;
	int rc = collect_ids(P, ar, what, &n);
	if (rc != CM_OK)
		return rc;
	size_t base = P->names.n - n;
	struct cm__name *v = arena_reserve(ar, l->v, sizeof(*v), l->n, n,
					   &l->cap);
	if (!v) {
		P->names.n = base;
		return cm__enomem(P->err);
	}
	memcpy(v + l->n, (struct cm__name *)P->names.v + base, n * sizeof(*v));
	l->v = v;
	l->n += (uint32_t)n;
	P->names.n = base;
	return CM_OK;
}

/* `ids [on DATE]` appended to a list of signatures. */
static int parse_sigs(struct cm__parser *P, struct cm__arena *ar,
		      struct cm__sigs *l, const char *what)
{
	size_t n;
	int rc = collect_ids(P, ar, what, &n);
	if (rc != CM_OK)
		return rc;
	size_t base = P->names.n - n;
	cm_time on = CM_TIME_NONE;
	if (CM__KW(cm__peek(P, 0), "on")) {
		cm__skip(P);
		const struct cm__token *d = cm__peek(P, 0);
		if (d->kind != CM__T_DATE) {
			P->names.n = base;
			return cm__expected(P, d, "a date after 'on'");
		}
		on = d->v;
		cm__skip(P);
	}
	struct cm__sig *v = arena_reserve(ar, l->v, sizeof(*v), l->n, n,
					  &l->cap);
	if (!v) {
		P->names.n = base;
		return cm__enomem(P->err);
	}
	const struct cm__name *nm = (const struct cm__name *)P->names.v + base;
	for (size_t i = 0; i < n; i++)
		v[l->n + i] = (struct cm__sig){nm[i], on, NULL};
	l->v = v;
	l->n += (uint32_t)n;
	P->names.n = base;
	return CM_OK;
}

/* Consume the keyword `by` after @p kw, or fail. */
static int expect_by(struct cm__parser *P, const char *kw)
{
	const struct cm__token *t = cm__peek(P, 0);
	if (!CM__KW(t, "by")) {
		char what[64];
		snprintf(what, sizeof(what), "'by' after '%s'", kw);
		return cm__expected(P, t, what);
	}
	cm__skip(P);
	return CM_OK;
}

static int expect_kind(struct cm__parser *P, uint8_t kind, const char *what,
		       struct cm__token *out)
{
	const struct cm__token *t = cm__peek(P, 0);
	if (t->kind != kind)
		return cm__expected(P, t, what);
	struct cm__token tok = cm__next(P);
	if (out)
		*out = tok;
	return CM_OK;
}

static int twice(struct cm__parser *P, struct cm__pos pos, const char *what)
{
	return cm__perror(P, CM_ESEMANTIC, pos, "'%s' given twice", what);
}

/* A DATE as the inclusive last minute (by, until): 23:59 without a time. */
static cm_time last_minute(const struct cm__token *d)
{
	return d->has_time ? d->v : d->v + CM__MINUTES_PER_DAY - 1;
}

/* ---- rules ---------------------------------------------------------- */

static int kind_of(const struct cm__token *t)
{
	static const char *const kinds[] = {
		"state", "authority", "organization", "armed-group", "person",
	};
	for (int i = 0; i < 5; i++)
		if (cm__is_kw(t, kinds[i], strlen(kinds[i])))
			return i + 1;
	return CM_KIND_NONE;
}

static int p_who(struct cm__parser *P, struct cm__arena *ar,
		 struct cm__rule *r, const char *kw)
{
	const struct cm__token *t = cm__peek(P, 0);
	if (CM__KW(t, "debtor")) {
		r->who = CM__WHO_DEBTOR;
	} else if (CM__KW(t, "creditor")) {
		r->who = CM__WHO_CREDITOR;
	} else if (CM__KW(t, "all")) {
		cm__skip(P);
		t = cm__peek(P, 0);
		if (!CM__KW(t, "parties"))
			return cm__expected(P, t, "'parties' after 'all'");
		r->who = CM__WHO_ALL_PARTIES;
	} else if (CM__KW(t, "any")) {
		cm__skip(P);
		t = cm__peek(P, 0);
		if (!CM__KW(t, "mediator"))
			return cm__expected(P, t, "'mediator' after 'any'");
		r->who = CM__WHO_ANY_MEDIATOR;
	} else {
		char what[160];
		snprintf(what, sizeof(what),
			 "'debtor', 'creditor', 'all parties', 'any mediator' "
			 "or party ids after '%s by'", kw);
		if (t->kind != CM__T_ID)
			return cm__expected(P, t, what);
		r->who = CM__WHO_IDS;
		return cm__parse_ids(P, ar, &r->ids, what);
	}
	cm__skip(P);
	return CM_OK;
}

int cm__p_rule(struct cm__parser *P, struct cm__arena *ar,
	       struct cm__rule *r)
{
	const struct cm__token *t = cm__peek(P, 0);
	if (CM__KW(t, "written")) {
		r->kind = CM__RULE_WRITTEN;
	} else if (CM__KW(t, "registered")) {
		r->kind = CM__RULE_REGISTERED;
	} else if (CM__KW(t, "dated")) {
		r->kind = CM__RULE_DATED;
	} else if (CM__KW(t, "verifiable")) {
		r->kind = CM__RULE_VERIFIABLE;
	} else if (CM__KW(t, "signed") || CM__KW(t, "witnessed") ||
		   CM__KW(t, "ratified")) {
		r->kind = t->s[0] == 's'   ? CM__RULE_SIGNED
			  : t->s[0] == 'w' ? CM__RULE_WITNESSED
					   : CM__RULE_RATIFIED;
		const char *kw = r->kind == CM__RULE_SIGNED      ? "signed"
				 : r->kind == CM__RULE_WITNESSED ? "witnessed"
								 : "ratified";
		cm__skip(P);
		int rc = expect_by(P, kw);
		if (rc != CM_OK)
			return rc;
		return p_who(P, ar, r, kw);
	} else if (CM__KW(t, "parties")) {
		r->kind = CM__RULE_PARTIES;
		cm__skip(P);
		uint8_t kinds[8];
		size_t n = 0;
		bool seen[6] = {false};
		for (;;) {
			t = cm__peek(P, 0);
			int k = kind_of(t);
			if (!k)
				return cm__expected(
					P, t,
					n ? "a party kind ('state', 'authority', "
					    "'organization', 'armed-group' or "
					    "'person') after ','"
					  : "a party kind ('state', 'authority', "
					    "'organization', 'armed-group' or "
					    "'person') after 'parties'");
			/* A kind named twice is kept once. */
			if (!seen[k])
				kinds[n++] = (uint8_t)k;
			seen[k] = true;
			cm__skip(P);
			if (cm__peek(P, 0)->kind != CM__T_COMMA)
				break;
			cm__skip(P);
		}
		r->kinds = cm__arena_alloc(ar, n);
		if (!r->kinds)
			return cm__enomem(P->err);
		memcpy(r->kinds, kinds, n);
		r->nkinds = (uint32_t)n;
		return CM_OK;
	} else {
		return cm__expected(P, t,
				    "a rule ('written', 'signed by', "
				    "'witnessed by', 'ratified by', "
				    "'registered', 'dated', 'verifiable' or "
				    "'parties')");
	}
	cm__skip(P);
	return CM_OK;
}

int cm__p_selector(struct cm__parser *P, struct cm__arena *ar,
		   struct cm__rule *r)
{
	const struct cm__token *t = cm__peek(P, 0);
	if (t->kind != CM__T_ID)
		return cm__expected(P, t,
				    "a selector ('all', 'obligations', "
				    "'prohibitions', 'permissions', a party "
				    "or a commitment id)");
	if (CM__KW(t, "all")) {
		r->selector = CM__SEL_ALL;
	} else if (CM__KW(t, "obligations")) {
		r->selector = CM__SEL_OBLIGATIONS;
	} else if (CM__KW(t, "prohibitions")) {
		r->selector = CM__SEL_PROHIBITIONS;
	} else if (CM__KW(t, "permissions")) {
		r->selector = CM__SEL_PERMISSIONS;
	} else {
		r->selector = CM__SEL_ID;
		r->sel_id.s = cm__tok_dup(P, ar, t);
		r->sel_id.pos = t->pos;
		if (!r->sel_id.s)
			return cm__enomem(P->err);
	}
	cm__skip(P);
	return CM_OK;
}

/* `require rule [for selector]`, from the `require` keyword. */
static int p_require(struct cm__parser *P, struct cm__arena *ar,
		     struct cm__rule *r)
{
	memset(r, 0, sizeof(*r));
	struct cm__token kw = cm__next(P);
	r->pos = kw.pos;
	r->line = kw.pos.line;
	int rc = cm__p_rule(P, ar, r);
	if (rc != CM_OK)
		return rc;
	const struct cm__token *t = cm__peek(P, 0);
	if (CM__KW(t, "for")) {
		r->has_for = true;
		r->for_pos = t->pos;
		cm__skip(P);
		rc = cm__p_selector(P, ar, r);
	}
	return rc;
}

static int rules_push(struct cm__arena *ar, struct cm__rules *l,
		      const struct cm__rule *r, cm_error *err)
{
	struct cm__rule *v = cm__arena_grow(ar, l->v, sizeof(*v), l->n, &l->cap);
	if (!v)
		return cm__enomem(err);
	l->v = v;
	v[l->n++] = *r;
	return CM_OK;
}

/* ---- documents: what one text adds ---------------------------------- */

struct pcomment {
	const char *s;
	size_t len;
	struct cm__pos pos;
	bool own_line;
};

struct doc_parse {
	struct cm__parser P;
	struct cm_document *doc;
	bool builtin;                /* parsing the shipped policies */
	struct cm__stack agreements; /* struct cm_agreement * */
	struct cm__stack policies;   /* struct cm_policy * */
	struct cm__arena evar;       /* top-level events, until commit */
	struct cm__events events;
	struct cm__stack comments;   /* struct pcomment */
	struct cm__stack tops;       /* struct cm__top, local indexes */
	struct cm__stack mappings;   /* struct cm_mapping * (import blocks) */
};

static int on_comment(void *ctx, const char *text, size_t len,
		      struct cm__pos pos, bool own_line)
{
	struct doc_parse *D = ctx;
	if (!cm__stack_reserve(&D->P, &D->comments, sizeof(struct pcomment), 1))
		return cm__enomem(D->P.err);
	((struct pcomment *)D->comments.v)[D->comments.n++] =
		(struct pcomment){text, len, pos, own_line};
	return CM_OK;
}

static int add_top(struct doc_parse *D, uint8_t kind, uint32_t index,
		   uint32_t count, struct cm__pos pos, struct cm__pos end)
{
	if (!cm__stack_reserve(&D->P, &D->tops, sizeof(struct cm__top), 1))
		return cm__enomem(D->P.err);
	((struct cm__top *)D->tops.v)[D->tops.n++] =
		(struct cm__top){kind, index, count, NULL, pos, end};
	return CM_OK;
}

/* ---- commitments ------------------------------------------------------ */

static int p_clause(struct cm__parser *P, struct cm_agreement *a,
		    struct cm_commitment *c)
{
	struct cm__arena *ar = &a->arena;
	const struct cm__token *t = cm__peek(P, 0);
	char what[160];
	/* Keywords are not reserved: `must must x()` has the debtor `must`;
	 * but `must x()` is a missing debtor, reported as such. */
	const struct cm__token *t1 = cm__peek(P, 1);
	if (t->kind != CM__T_ID ||
	    ((CM__KW(t, "must") || CM__KW(t, "may")) && !CM__KW(t1, "must") &&
	     !CM__KW(t1, "may"))) {
		snprintf(what, sizeof(what),
			 "the debtor (a party id) at the start of commitment "
			 "'%s'", c->id);
		return cm__expected(P, t, what);
	}
	c->debtor.s = cm__tok_dup(P, ar, t);
	c->debtor.pos = t->pos;
	if (!c->debtor.s)
		return cm__enomem(P->err);
	cm__skip(P);
	t = cm__peek(P, 0);
	if (CM__KW(t, "must")) {
		c->modality = CM_MUST;
		c->modality_pos = t->pos;
		cm__skip(P);
		t = cm__peek(P, 0);
		if (CM__KW(t, "not")) {
			c->modality = CM_MUST_NOT;
			cm__skip(P);
		} else if (CM__KW(t, "prevent")) {
			c->modality = CM_MUST_PREVENT;
			cm__skip(P);
		}
	} else if (CM__KW(t, "may")) {
		c->modality = CM_MAY;
		c->modality_pos = t->pos;
		cm__skip(P);
	} else {
		snprintf(what, sizeof(what), "'must' or 'may' after '%s'",
			 c->debtor.s);
		return cm__expected(P, t, what);
	}
	t = cm__peek(P, 0);
	c->content_pos = t->pos;
	if (t->kind == CM__T_STRING) {
		c->text = cm__tok_dup(P, ar, t);
		if (!c->text)
			return cm__enomem(P->err);
		cm__skip(P);
	} else if (t->kind == CM__T_ID && cm__peek(P, 1)->kind == CM__T_LPAREN) {
		int rc = cm__p_action(P, ar, &c->action);
		if (rc != CM_OK)
			return rc;
		c->is_action = true;
	} else {
		return cm__expected(P, t,
				    "an action pattern such as name(...) or a "
				    "string");
	}
	/* The deadline: `by DATE` or `within DURATION`, once. */
	bool have = false;
	for (;;) {
		t = cm__peek(P, 0);
		bool by = CM__KW(t, "by");
		if (!by && !CM__KW(t, "within"))
			return CM_OK;
		if (have)
			return cm__perror(P, CM_ESEMANTIC, t->pos,
					  "deadline given twice ('%s')",
					  by ? "by" : "within");
		have = true;
		c->deadline_pos = t->pos;
		cm__skip(P);
		const struct cm__token *v = cm__peek(P, 0);
		if (by) {
			if (v->kind != CM__T_DATE)
				return cm__expected(P, v, "a date after 'by'");
			c->by = last_minute(v);
		} else {
			if (v->kind != CM__T_DURATION)
				return cm__expected(P, v,
						    "a duration (such as 30d "
						    "or 12h) after 'within'");
			c->within = v->v;
		}
		cm__skip(P);
	}
}

static int p_cond_item(struct cm__parser *P, struct cm__arena *ar,
		       struct cm__cond_items *l)
{
	struct cm__token kw = cm__next(P);
	struct cm_condition *cond;
	int rc = cm__p_condition(P, ar, &cond);
	if (rc != CM_OK)
		return rc;
	cond->used = true;
	/* exact size for the usual single item */
	struct cm__cond_item *v =
		arena_reserve(ar, l->v, sizeof(*v), l->n, 1, &l->cap);
	if (!v)
		return cm__enomem(P->err);
	v[l->n++] = (struct cm__cond_item){cond, kw.pos};
	l->v = v;
	return CM_OK;
}

static int p_date_once(struct cm__parser *P, cm_time *slot,
		       struct cm__pos *pos, const char *kw, bool end_of_day)
{
	struct cm__token t = cm__next(P);
	if (*slot != CM_TIME_NONE)
		return twice(P, t.pos, kw);
	const struct cm__token *d = cm__peek(P, 0);
	if (d->kind != CM__T_DATE) {
		char what[64];
		snprintf(what, sizeof(what), "a date after '%s'", kw);
		return cm__expected(P, d, what);
	}
	*slot = end_of_day ? last_minute(d) : d->v;
	*pos = t.pos;
	cm__skip(P);
	return CM_OK;
}

static int p_citem(struct cm__parser *P, struct cm_commitment *c)
{
	struct cm__arena *ar = &c->agreement->arena;
	const struct cm__token *t = cm__peek(P, 0);
	if (CM__KW(t, "to")) {
		cm__skip(P);
		return cm__parse_ids(P, ar, &c->to, "a party id after 'to'");
	}
	if (CM__KW(t, "if"))
		return p_cond_item(P, ar, &c->ifs);
	if (CM__KW(t, "while"))
		return p_cond_item(P, ar, &c->whiles);
	if (CM__KW(t, "unless"))
		return p_cond_item(P, ar, &c->unlesses);
	if (CM__KW(t, "reciprocal")) {
		cm__skip(P);
		return cm__parse_ids(P, ar, &c->reciprocal,
				     "a commitment id after 'reciprocal'");
	}
	if (CM__KW(t, "from"))
		return p_date_once(P, &c->from, &c->from_pos, "from", false);
	if (CM__KW(t, "until"))
		return p_date_once(P, &c->until, &c->until_pos, "until", true);
	if (CM__KW(t, "verbal") || CM__KW(t, "written")) {
		if (c->form != CM_FORM_DEFAULT)
			return cm__perror(P, CM_ESEMANTIC, t->pos,
					  "form given twice ('%.*s')",
					  (int)t->len, t->s);
		c->form = t->s[0] == 'v' ? CM_FORM_VERBAL : CM_FORM_WRITTEN;
		c->form_pos = t->pos;
		cm__skip(P);
		return CM_OK;
	}
	if (CM__KW(t, "signed")) {
		cm__skip(P);
		int rc = expect_by(P, "signed");
		if (rc != CM_OK)
			return rc;
		return parse_sigs(P, ar, &c->sigs,
				  "a party id after 'signed by'");
	}
	if (CM__KW(t, "witnessed")) {
		cm__skip(P);
		int rc = expect_by(P, "witnessed");
		if (rc != CM_OK)
			return rc;
		return cm__parse_ids(P, ar, &c->witnesses,
				     "a party id after 'witnessed by'");
	}
	if (CM__KW(t, "proposed") || CM__KW(t, "claimed") ||
	    CM__KW(t, "rejected")) {
		if (c->standing_set)
			return cm__perror(P, CM_ESEMANTIC, t->pos,
					  "standing given twice ('%.*s')",
					  (int)t->len, t->s);
		c->standing = t->s[0] == 'p'   ? CM_STANDING_PROPOSED
			      : t->s[0] == 'c' ? CM_STANDING_CLAIMED
					       : CM_STANDING_REJECTED;
		c->standing_set = true;
		c->standing_pos = t->pos;
		cm__skip(P);
		if (c->standing == CM_STANDING_CLAIMED)
			return CM_OK;
		const char *kw = c->standing == CM_STANDING_PROPOSED
					 ? "proposed"
					 : "rejected";
		int rc = expect_by(P, kw);
		if (rc != CM_OK)
			return rc;
		return cm__parse_ids(P, ar, &c->standing_by,
				     c->standing == CM_STANDING_PROPOSED
					     ? "a party id after 'proposed by'"
					     : "a party id after 'rejected by'");
	}
	if (CM__KW(t, "note")) {
		struct cm__pos *pv = cm__arena_grow(ar, c->note_pos, sizeof(*pv),
						    c->nnotes,
						    &c->note_pos_cap);
		if (!pv)
			return cm__enomem(P->err);
		c->note_pos = pv;
		pv[c->nnotes] = t->pos;
		cm__skip(P);
		const struct cm__token *s = cm__peek(P, 0);
		if (s->kind != CM__T_STRING)
			return cm__expected(P, s, "a string after 'note'");
		const char **v = arena_reserve(ar, c->notes, sizeof(*v),
					       c->nnotes, 1, &c->notes_cap);
		if (!v)
			return cm__enomem(P->err);
		c->notes = v;
		v[c->nnotes] = cm__tok_dup(P, ar, s);
		if (!v[c->nnotes])
			return cm__enomem(P->err);
		c->nnotes++;
		cm__skip(P);
		return CM_OK;
	}
	return cm__expected(P, t, "a commitment item or '}'");
}

static int p_commitment(struct cm__parser *P, struct cm_agreement *a)
{
	cm__skip(P); /* commitment */
	struct cm__token id;
	int rc = expect_kind(P, CM__T_ID, "a commitment id after 'commitment'",
			     &id);
	if (rc != CM_OK)
		return rc;
	const char *s = cm__tok_cstr(P, &P->sbuf, &id);
	if (!s)
		return cm__enomem(P->err);
	struct cm_commitment *c;
	rc = cm__agreement_commitment(a, s, id.pos, &c, P->err);
	if (rc != CM_OK)
		return rc;
	const struct cm__token *t = cm__peek(P, 0);
	if (t->kind != CM__T_LBRACE) {
		char what[160];
		snprintf(what, sizeof(what), "'{' after commitment id '%s'",
			 c->id);
		return cm__expected(P, t, what);
	}
	cm__skip(P);
	rc = p_clause(P, a, c);
	while (rc == CM_OK) {
		if (cm__peek(P, 0)->kind == CM__T_RBRACE) {
			c->end = cm__peek(P, 0)->pos;
			cm__skip(P);
			break;
		}
		rc = p_citem(P, c);
	}
	return rc;
}

/* ---- agreements -------------------------------------------------------- */

static int role_of(const struct cm__token *t)
{
	static const char *const roles[] = {
		"party", "mediator", "guarantor", "witness", "actor",
	};
	for (int i = 0; i < 5; i++)
		if (cm__is_kw(t, roles[i], strlen(roles[i])))
			return i;
	return -1;
}

static int p_party(struct cm__parser *P, struct cm_agreement *a, int role)
{
	struct cm__token kw = cm__next(P);
	char what[96];
	struct cm__token id, name;
	const struct cm__token *t = cm__peek(P, 0);
	if (t->kind != CM__T_ID) {
		snprintf(what, sizeof(what), "a party id after '%.*s'",
			 (int)kw.len, kw.s);
		return cm__expected(P, t, what);
	}
	id = cm__next(P);
	t = cm__peek(P, 0);
	if (t->kind != CM__T_STRING) {
		snprintf(what, sizeof(what), "the name of '%.*s' (a string)",
			 (int)(id.len > 40 ? 40 : id.len), id.s);
		return cm__expected(P, t, what);
	}
	name = cm__next(P);
	int kind = kind_of(cm__peek(P, 0));
	if (kind != CM_KIND_NONE)
		cm__skip(P);
	const char *ids = cm__tok_cstr(P, &P->sbuf, &id);
	const char *names = ids ? cm__tok_cstr(P, &P->sbuf2, &name) : NULL;
	if (!names)
		return cm__enomem(P->err);
	return cm__agreement_party(a, ids, names, role, kind, id.pos, NULL,
				   P->err);
}

static int p_agreement_item(struct cm__parser *P, struct cm_agreement *a)
{
	struct cm__arena *ar = &a->arena;
	const struct cm__token *t = cm__peek(P, 0);
	int role = role_of(t);
	if (role >= 0)
		return p_party(P, a, role);
	if (CM__KW(t, "date"))
		return p_date_once(P, &a->date, &a->date_pos, "date", false);
	if (CM__KW(t, "commitment"))
		return p_commitment(P, a);
	if (CM__KW(t, "require")) {
		struct cm__rule r;
		int rc = p_require(P, ar, &r);
		if (rc == CM_OK)
			rc = rules_push(ar, &a->rules, &r, P->err);
		return rc;
	}
	if (CM__KW(t, "use")) {
		struct cm__rule r;
		memset(&r, 0, sizeof(r));
		struct cm__token kw = cm__next(P);
		r.kind = CM__RULE_USE;
		r.pos = kw.pos;
		r.line = kw.pos.line;
		const struct cm__token *id = cm__peek(P, 0);
		if (id->kind != CM__T_ID)
			return cm__expected(P, id, "a policy name after 'use'");
		r.use.s = cm__tok_dup(P, ar, id);
		r.use.pos = id->pos;
		if (!r.use.s)
			return cm__enomem(P->err);
		cm__skip(P);
		return rules_push(ar, &a->rules, &r, P->err);
	}
	if (CM__KW(t, "signed") || CM__KW(t, "ratified")) {
		bool sig = t->s[0] == 's';
		cm__skip(P);
		int rc = expect_by(P, sig ? "signed" : "ratified");
		if (rc != CM_OK)
			return rc;
		return parse_sigs(P, ar, sig ? &a->sigs : &a->ratifications,
				  sig ? "a party id after 'signed by'"
				      : "a party id after 'ratified by'");
	}
	if (CM__KW(t, "registered")) {
		if (a->registered)
			return twice(P, t->pos, "registered");
		a->registered = true;
		a->registered_pos = t->pos;
		cm__skip(P);
		if (CM__KW(cm__peek(P, 0), "on")) {
			cm__skip(P);
			const struct cm__token *d = cm__peek(P, 0);
			if (d->kind != CM__T_DATE)
				return cm__expected(P, d, "a date after 'on'");
			a->registered_on = d->v;
			cm__skip(P);
		}
		return CM_OK;
	}
	if (CM__KW(t, "events")) {
		/* Where the block stood, for the canonical writer. */
		struct cm__top b = {CM__TOP_EVENTS, a->events.n, 0, NULL,
				    t->pos, {0, 0}};
		int rc = cm__p_events_block(P, ar, a->file, &a->events);
		if (rc != CM_OK)
			return rc;
		struct cm__top *v = cm__arena_grow(ar, a->blocks, sizeof(*v),
						   a->nblocks, &a->blocks_cap);
		if (!v)
			return cm__enomem(P->err);
		b.count = a->events.n - b.index;
		b.end = P->block_end;
		v[a->nblocks++] = b;
		a->blocks = v;
		return CM_OK;
	}
	return cm__expected(P, t, "an agreement item or '}'");
}

static int p_agreement(struct doc_parse *D)
{
	struct cm__parser *P = &D->P;
	struct cm__token kw = cm__next(P);
	struct cm__token id;
	int rc = expect_kind(P, CM__T_ID, "an agreement id after 'agreement'",
			     &id);
	if (rc != CM_OK)
		return rc;
	const char *s = cm__tok_cstr(P, &P->sbuf, &id);
	if (!s)
		return cm__enomem(P->err);
	if (!cm__stack_reserve(P, &D->agreements, sizeof(void *), 1))
		return cm__enomem(P->err);
	struct cm_agreement *a;
	rc = cm__agreement_create(P->tmp, s, P->file, kw.pos, &a, P->err);
	if (rc != CM_OK)
		return rc;
	uint32_t index = (uint32_t)D->agreements.n;
	((struct cm_agreement **)D->agreements.v)[D->agreements.n++] = a;
	const struct cm__token *t = cm__peek(P, 0);
	if (t->kind == CM__T_STRING) {
		a->title = cm__tok_dup(P, &a->arena, t);
		if (!a->title)
			return cm__enomem(P->err);
		cm__skip(P);
		rc = expect_kind(P, CM__T_LBRACE,
				 "'{' after the agreement's title", NULL);
	} else {
		rc = expect_kind(P, CM__T_LBRACE,
				 "a title (a string) or '{' after agreement id",
				 NULL);
	}
	if (rc != CM_OK)
		return rc;
	while (cm__peek(P, 0)->kind != CM__T_RBRACE) {
		rc = p_agreement_item(P, a);
		if (rc != CM_OK)
			return rc;
	}
	a->end = cm__peek(P, 0)->pos;
	cm__skip(P);
	return add_top(D, CM__TOP_AGREEMENT, index, 0, kw.pos, a->end);
}

/* ---- policies -------------------------------------------------------- */

static int policy_name_check(struct doc_parse *D, const struct cm__token *id,
			     const char *s)
{
	struct cm__parser *P = &D->P;
	if (!D->builtin)
		for (size_t i = 0; cm_policy_builtin_name(i); i++)
			if (strcmp(cm_policy_builtin_name(i), s) == 0)
				return cm__perror(P, CM_ESEMANTIC, id->pos,
						  "'%s' is a shipped policy and "
						  "cannot be redefined", s);
	const struct cm_policy *first = NULL;
	for (uint32_t i = 0; !first && i < D->doc->npolicies; i++)
		if (strcmp(D->doc->policies[i]->id, s) == 0)
			first = D->doc->policies[i];
	for (size_t i = 0; !first && i < D->policies.n; i++) {
		const struct cm_policy *p = ((struct cm_policy **)D->policies.v)[i];
		if (strcmp(p->id, s) == 0)
			first = p;
	}
	if (!first)
		return CM_OK;
	if (first->file && first->pos.line)
		return cm__perror(P, CM_ESEMANTIC, id->pos,
				  "duplicate policy '%s' (first defined at "
				  "%s:%u)", s, first->file, first->pos.line);
	return cm__perror(P, CM_ESEMANTIC, id->pos, "duplicate policy '%s'", s);
}

static int p_policy(struct doc_parse *D)
{
	struct cm__parser *P = &D->P;
	struct cm__token kw = cm__next(P);
	struct cm__token id;
	int rc = expect_kind(P, CM__T_ID, "a policy id after 'policy'", &id);
	if (rc != CM_OK)
		return rc;
	const char *s = cm__tok_cstr(P, &P->sbuf, &id);
	if (!s)
		return cm__enomem(P->err);
	rc = policy_name_check(D, &id, s);
	if (rc != CM_OK)
		return rc;
	const char *title = NULL;
	const struct cm__token *t = cm__peek(P, 0);
	if (t->kind == CM__T_STRING) {
		title = cm__tok_cstr(P, &P->sbuf2, t);
		if (!title)
			return cm__enomem(P->err);
		cm__skip(P);
	}
	if (!cm__stack_reserve(P, &D->policies, sizeof(void *), 1))
		return cm__enomem(P->err);
	struct cm_policy *p;
	rc = cm__policy_create(P->tmp, s, title, P->file, kw.pos, &p, P->err);
	if (rc != CM_OK)
		return rc;
	uint32_t index = (uint32_t)D->policies.n;
	((struct cm_policy **)D->policies.v)[D->policies.n++] = p;
	rc = expect_kind(P, CM__T_LBRACE,
			 title ? "'{' after the policy's title"
			       : "a title (a string) or '{' after policy id",
			 NULL);
	while (rc == CM_OK) {
		t = cm__peek(P, 0);
		if (t->kind == CM__T_RBRACE) {
			p->end = t->pos;
			cm__skip(P);
			break;
		}
		if (!CM__KW(t, "require"))
			return cm__expected(P, t, "'require' or '}' in a policy");
		struct cm__rule r;
		rc = p_require(P, &p->arena, &r);
		if (rc != CM_OK)
			return rc;
		r.policy = p->id;
		rc = rules_push(&p->arena, &p->rules, &r, P->err);
	}
	if (rc != CM_OK)
		return rc;
	return add_top(D, CM__TOP_POLICY, index, 0, kw.pos, p->end);
}

/* ---- files ------------------------------------------------------------ */

static int p_file(struct doc_parse *D)
{
	struct cm__parser *P = &D->P;
	for (;;) {
		const struct cm__token *t = cm__peek(P, 0);
		int rc;
		if (t->kind == CM__T_EOF)
			return CM_OK;
		if (CM__KW(t, "agreement")) {
			rc = p_agreement(D);
		} else if (CM__KW(t, "policy")) {
			rc = p_policy(D);
		} else if (CM__KW(t, "events")) {
			struct cm__pos pos = t->pos;
			uint32_t first = D->events.n;
			rc = cm__p_events_block(P, &D->evar, P->file,
						&D->events);
			if (rc == CM_OK)
				rc = add_top(D, CM__TOP_EVENTS, first,
					     D->events.n - first, pos,
					     P->block_end);
		} else if (CM__KW(t, "import")) {
			/* a mapping of dataset rows (docs/import.md) */
			struct cm__pos pos = t->pos;
			struct cm_mapping *m = NULL;
			rc = cm__p_mapping(P, P->tmp, P->file, &m);
			if (rc == CM_OK &&
			    !cm__stack_reserve(P, &D->mappings, sizeof(m), 1))
				rc = cm__enomem(P->err);
			if (rc == CM_OK) {
				((struct cm_mapping **)D->mappings.v)
					[D->mappings.n] = m;
				rc = add_top(D, CM__TOP_IMPORT,
					     (uint32_t)D->mappings.n++, 0, pos,
					     m->end);
			}
		} else {
			rc = cm__expected(P, t, "'agreement', 'policy', "
					  "'events' or 'import'");
		}
		if (rc != CM_OK)
			return rc;
	}
}

/* Grow a document array to hold @p extra more elements. */
static bool doc_reserve(struct cm_document *doc, void **v, size_t elsize,
			uint32_t count, size_t extra, uint32_t *cap)
{
	if (!extra)
		return true;
	void *nv = arena_reserve(&doc->arena, *v, elsize, count, extra, cap);
	if (!nv)
		return false;
	*v = nv;
	return true;
}

/* Move what the text added onto the document; on failure the document
 * is left as it was. */
static int commit(struct doc_parse *D, const char *file)
{
	struct cm_document *doc = D->doc;
	cm_error *err = D->P.err;
	const char *docfile = NULL;
	if (file && (D->comments.n || D->tops.n || D->events.n)) {
		docfile = cm__arena_strdup(&doc->arena, file);
		if (!docfile)
			return cm__enomem(err);
	}
	if (!doc_reserve(doc, (void **)&doc->agreements, sizeof(void *),
			 doc->nagreements, D->agreements.n,
			 &doc->agreements_cap) ||
	    !doc_reserve(doc, (void **)&doc->policies, sizeof(void *),
			 doc->npolicies, D->policies.n, &doc->policies_cap) ||
	    !doc_reserve(doc, (void **)&doc->comments,
			 sizeof(struct cm__comment), doc->ncomments,
			 D->comments.n, &doc->comments_cap) ||
	    !doc_reserve(doc, (void **)&doc->tops, sizeof(struct cm__top),
			 doc->ntops, D->tops.n, &doc->tops_cap) ||
	    !doc_reserve(doc, (void **)&doc->mappings, sizeof(void *),
			 doc->nmappings, D->mappings.n, &doc->mappings_cap))
		return cm__enomem(err);
	/* Comments, into the reserved room (not counted yet). */
	const struct pcomment *pc = D->comments.v;
	for (size_t i = 0; i < D->comments.n; i++) {
		const char *s = cm__arena_strndup(&doc->arena, pc[i].s,
						  pc[i].len);
		if (!s)
			return cm__enomem(err);
		doc->comments[doc->ncomments + i] = (struct cm__comment){
			s, docfile, pc[i].pos, pc[i].own_line};
	}
	/* Top-level events: copied, rolled back on failure. */
	uint32_t ev0 = doc->events.n;
	for (uint32_t i = 0; i < D->events.n; i++) {
		struct cm_event e = D->events.v[i];
		e.file = NULL;
		if (cm__events_add(&doc->arena, &doc->events, &e) != 0) {
			doc->events.n = ev0;
			return cm__enomem(err);
		}
		doc->events.v[doc->events.n - 1].file = docfile;
	}
	/* From here on nothing can fail. */
	const struct cm__top *tp = D->tops.v;
	for (size_t i = 0; i < D->tops.n; i++) {
		struct cm__top t = tp[i];
		t.file = docfile;
		t.index += t.kind == CM__TOP_AGREEMENT ? doc->nagreements
			   : t.kind == CM__TOP_POLICY  ? doc->npolicies
			   : t.kind == CM__TOP_IMPORT  ? doc->nmappings
						       : ev0;
		doc->tops[doc->ntops++] = t;
	}
	doc->ncomments += (uint32_t)D->comments.n;
	struct cm_agreement **av = D->agreements.v;
	for (size_t i = 0; i < D->agreements.n; i++) {
		cm__steal(doc, av[i]);
		doc->agreements[doc->nagreements++] = av[i];
	}
	struct cm_policy **pv = D->policies.v;
	for (size_t i = 0; i < D->policies.n; i++) {
		cm__steal(doc, pv[i]);
		doc->policies[doc->npolicies++] = pv[i];
	}
	struct cm_mapping **mv = D->mappings.v;
	for (size_t i = 0; i < D->mappings.n; i++) {
		cm__steal(doc, mv[i]);
		doc->mappings[doc->nmappings++] = mv[i];
	}
	return CM_OK;
}

int cm__parse_into(struct cm_document *doc, const char *text, size_t len,
		   const char *file, cm_error *err)
{
	if (len > CM__MAX_TEXT)
		return cm__error(err, CM_ELIMIT, file, (struct cm__pos){0, 0},
				 "text of %zu bytes is beyond the limit of %d "
				 "bytes", len, CM__MAX_TEXT);
	void *tmp = cm__ctx_new(doc, "cm_parse");
	if (!tmp)
		return cm__enomem(err);
	struct doc_parse *D = cm__zalloc(tmp, sizeof(*D), "cm_doc_parse");
	if (!D) {
		cm__free(tmp);
		return cm__enomem(err);
	}
	cm__parser_init(&D->P, tmp, text, len, file, err);
	D->P.lx.comment = on_comment;
	D->P.lx.comment_ctx = D;
	D->doc = doc;
	D->builtin = text == cm__builtin_policies_text;
	cm__arena_init(&D->evar, tmp);
	int rc = p_file(D);
	if (rc == CM_OK)
		rc = commit(D, file);
	cm__free(tmp);
	return rc;
}

/* ---- builder entry points: one rule -------------------------------------- */

int cm__parse_rule(struct cm__arena *ar, const char *rule, const char *sel,
		   struct cm__rule *out, cm_error *err)
{
	if (!rule)
		return cm__error(err, CM_EINVAL, NULL, (struct cm__pos){0, 0},
				 "rule is NULL");
	void *tmp = cm__ctx_new(ar->owner, "cm_parse");
	if (!tmp)
		return cm__enomem(err);
	struct cm__parser P;
	cm__parser_init(&P, tmp, rule, strlen(rule), NULL, err);
	struct cm__rule r;
	memset(&r, 0, sizeof(r));
	r.pos = cm__peek(&P, 0)->pos;
	int rc = cm__p_rule(&P, ar, &r);
	if (rc == CM_OK && cm__peek(&P, 0)->kind != CM__T_EOF)
		rc = cm__expected(&P, cm__peek(&P, 0), "end of the rule");
	if (rc == CM_OK && sel) {
		cm__parser_init(&P, tmp, sel, strlen(sel), NULL, err);
		r.has_for = true;
		r.for_pos = cm__peek(&P, 0)->pos;
		rc = cm__p_selector(&P, ar, &r);
		if (rc == CM_OK && cm__peek(&P, 0)->kind != CM__T_EOF)
			rc = cm__expected(&P, cm__peek(&P, 0),
					  "end of the selector");
	}
	cm__free(tmp);
	if (rc == CM_OK)
		*out = r;
	return rc;
}
