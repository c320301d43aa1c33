/*
 * The canonical writer: a document or an agreement back to `.cmt` text in
 * one layout (docs/format.md), keeping the document's comments.
 *
 * Three steps. (1) Build a tree of output lines in canonical order: each
 * node is one printed line (or a block: a header line, its kids, a `}`)
 * and carries the source positions of the model items it prints, its
 * anchors. (2) Attach every comment of the document to a node: own-line
 * comments to the node holding the first anchor after them in the
 * innermost block that contains them (or to the end of that block),
 * end-of-line comments to the node holding the last anchor before them.
 * Every comment lands in exactly one list of exactly one node, and every
 * list is printed, so no comment can be lost. (3) Render the tree.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "model/names.h"
#include "syntax/format-tree.h"
#include "syntax/syntax.h"

static const struct cm__pos NOPOS = {0, 0};

/* ---- errors and nodes ------------------------------------------------ */

static void cannot(struct fmt *f, const char *what, const char *detail)
{
	if (f->rc == CM_OK)
		f->rc = cm__error(f->err, CM_EINVAL, NULL, NOPOS,
				  "cannot write %s '%s'", what, detail);
}

void cm__fmt_anchor(struct fmt *f, struct fnode *n, struct cm__pos pos)
{
	if (!n || pos.line == 0)
		return;
	struct cm__pos *v = cm__fmt_grow(f, n->anch, sizeof(*v), n->nanch, &n->canch);
	if (!v)
		return;
	n->anch = v;
	v[n->nanch++] = pos;
}

/* A new node under @p parent whose text is the line built so far. */
struct fnode *cm__fmt_emit(struct fmt *f, struct fnode *parent, bool block)
{
	struct fnode *n = cm__arena_alloc(&f->ar, sizeof(*n));
	const char *text = cm__arena_strndup(&f->ar, f->lb.data ? f->lb.data : "",
					     f->lb.len);
	f->lb.len = 0;
	if (f->lb.data)
		f->lb.data[0] = '\0';
	if (!n || !text) {
		cm__fmt_nomem(f);
		return NULL;
	}
	n->text = text;
	n->block = block;
	if (parent) {
		struct fnode **v = cm__fmt_grow(f, parent->kids, sizeof(*v),
					parent->nkids, &parent->ckids);
		if (!v)
			return NULL;
		parent->kids = v;
		v[parent->nkids++] = n;
	}
	return n;
}

/* ---- tokens ------------------------------------------------------------ */

void cm__fmt_put(struct fmt *f, const char *s)
{
	cm__buf_puts(&f->lb, s);
}

static bool valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t cp;
		int n;
		if (*p < 0x80) {
			p++;
			continue;
		} else if ((*p & 0xe0) == 0xc0) {
			cp = *p & 0x1f;
			n = 1;
		} else if ((*p & 0xf0) == 0xe0) {
			cp = *p & 0x0f;
			n = 2;
		} else if ((*p & 0xf8) == 0xf0) {
			cp = *p & 0x07;
			n = 3;
		} else {
			return false;
		}
		for (int i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		p += n + 1;
	}
	return true;
}

static void put_id(struct fmt *f, const char *id)
{
	if (!cm__valid_id(id)) {
		cannot(f, "identifier", id ? id : "(null)");
		return;
	}
	cm__fmt_put(f, id);
}

/* A string literal: `"` and `\` escaped, everything else as it is. */
static void put_string(struct fmt *f, const char *s)
{
	if (!s || !valid_utf8(s)) {
		cannot(f, "string (invalid UTF-8)", s ? s : "(null)");
		return;
	}
	/* the builder refuses these; a model changed by other means still
	 * does not give a text that reads back as something else */
	if (cm__string_unwritable(s) != 0) {
		cannot(f, "string (a line end or control character)", s);
		return;
	}
	cm__buf_putc(&f->lb, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			cm__buf_putc(&f->lb, '\\');
		cm__buf_putc(&f->lb, *p);
	}
	cm__buf_putc(&f->lb, '"');
}

static bool is_number(const char *s)
{
	if (*s == '-')
		s++;
	if (!(*s >= '0' && *s <= '9'))
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	if (*s == '.') {
		s++;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

static bool is_date(const char *s)
{
	cm_time t;
	return cm_time_parse(s, 0, &t) == CM_OK;
}

/* An attribute value, spelled the way it was written: bare for an
 * identifier, number or date token, quoted for a string. */
static void put_value(struct fmt *f, const struct cm__attr *a)
{
	static const char *const cmps[] = {"", ">= ", "> ", "<= ", "< ",
					   "== ", "!= "};
	if (a->cmp != CM__ATTR_EQ && a->cmp <= 6) {
		/* rule 30: one space after the comparison */
		cm__fmt_put(f, cmps[a->cmp]);
		cm__fmt_put(f, a->value);
		return;
	}
	bool bare = (a->vkind == CM__V_ID && cm__valid_id(a->value)) ||
		    (a->vkind == CM__V_NUMBER && is_number(a->value)) ||
		    (a->vkind == CM__V_DATE && is_date(a->value));
	if (bare)
		cm__fmt_put(f, a->value);
	else
		put_string(f, a->value);
}

/*
 * A time. Start-of-day values (date, from, on, events) print as a bare
 * date at 00:00; end-of-day values (by, until: the inclusive last minute)
 * as a bare date at 23:59. Any other minute prints as YYYY-MM-DDTHH:MM.
 */
static void put_time(struct fmt *f, cm_time t, bool end_of_day)
{
	char buf[24];
	if (cm_time_format(t, buf, sizeof(buf)) != CM_OK) {
		char num[32];
		snprintf(num, sizeof(num), "%lld", (long long)t);
		cannot(f, "time", num);
		return;
	}
	int64_t mod = ((t % CM__MINUTES_PER_DAY) + CM__MINUTES_PER_DAY) %
		      CM__MINUTES_PER_DAY;
	if (mod == (end_of_day ? CM__MINUTES_PER_DAY - 1 : 0))
		buf[10] = '\0';
	else
		buf[16] = '\0'; /* drop the Z */
	cm__fmt_put(f, buf);
}

static void put_duration(struct fmt *f, int64_t minutes)
{
	if (minutes < 0 || minutes % 60 != 0) {
		char num[32];
		snprintf(num, sizeof(num), "%lld minutes", (long long)minutes);
		cannot(f, "duration", num);
		return;
	}
	if (minutes % CM__MINUTES_PER_DAY == 0)
		cm__buf_printf(&f->lb, "%lldd",
			       (long long)(minutes / CM__MINUTES_PER_DAY));
	else
		cm__buf_printf(&f->lb, "%lldh", (long long)(minutes / 60));
}

static void put_action(struct fmt *f, const struct cm__action *a)
{
	put_id(f, a->type);
	cm__fmt_put(f, "(");
	for (uint32_t i = 0; i < a->nattrs; i++) {
		if (i)
			cm__fmt_put(f, ", ");
		put_id(f, a->attrs[i].name);
		cm__fmt_put(f, ": ");
		put_value(f, &a->attrs[i]);
	}
	cm__fmt_put(f, ")");
}

static void put_names(struct fmt *f, const struct cm__name *v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			cm__fmt_put(f, ", ");
		put_id(f, v[i].s);
	}
}

static void anchor_names(struct fmt *f, struct fnode *n,
			 const struct cm__names *l)
{
	for (uint32_t i = 0; i < l->n; i++)
		cm__fmt_anchor(f, n, l->v[i].pos);
}

/* ---- conditions -------------------------------------------------------- */

static const char *const cmp_text[] = {">=", ">", "<=", "<", "==", "!="};

/*
 * Minimal parentheses: `and` binds tighter than `or`, `not` takes an atom
 * or a parenthesized group. A node nested in one of its own type (which
 * the builders flatten away) keeps its parentheses, so the tree comes
 * back as it was.
 */
static void put_cond(struct fmt *f, const struct cm_condition *c)
{
	switch (c->type) {
	case CM_CT_TRUE:
		cm__fmt_put(f, "true");
		return;
	case CM_CT_FALSE:
		cm__fmt_put(f, "false");
		return;
	case CM_CT_NOT: {
		const struct cm_condition *k = c->nkids ? c->kids[0] : NULL;
		if (!k) {
			cannot(f, "condition", "not without operand");
			return;
		}
		bool paren = k->type == CM_CT_AND || k->type == CM_CT_OR;
		cm__fmt_put(f, paren ? "not (" : "not ");
		put_cond(f, k);
		if (paren)
			cm__fmt_put(f, ")");
		return;
	}
	case CM_CT_AND:
	case CM_CT_OR:
		for (uint32_t i = 0; i < c->nkids; i++) {
			const struct cm_condition *k = c->kids[i];
			bool paren = k->type == c->type ||
				     (c->type == CM_CT_AND && k->type == CM_CT_OR);
			if (i)
				cm__fmt_put(f, c->type == CM_CT_AND ? " and " : " or ");
			if (paren)
				cm__fmt_put(f, "(");
			put_cond(f, k);
			if (paren)
				cm__fmt_put(f, ")");
		}
		return;
	case CM_CT_ACTION:
		put_action(f, &c->act);
		break;
	case CM_CT_COUNT:
		cm__fmt_put(f, "count(");
		put_action(f, &c->act);
		cm__buf_printf(&f->lb, ") %s %lld",
			       c->cmp < 6 ? cmp_text[c->cmp] : "?",
			       (long long)c->n);
		if (c->cmp >= 6)
			cannot(f, "comparison", "?");
		break;
	case CM_CT_STATE: {
		const char *s = cm_state_name(c->which);
		if (!s) {
			cannot(f, "state atom", c->ref.s ? c->ref.s : "?");
			return;
		}
		cm__fmt_put(f, s);
		cm__fmt_put(f, "(");
		put_id(f, c->ref.s);
		cm__fmt_put(f, ")");
		return;
	}
	case CM_CT_FORM:
		cm__fmt_put(f, c->which == CM_FORM_ATOM_SIGNED ? "signed(" : "written(");
		put_id(f, c->ref.s);
		cm__fmt_put(f, ")");
		return;
	case CM_CT_BREACHED:
	case CM_CT_BREACHES:
		cm__fmt_put(f, c->type == CM_CT_BREACHED ? "breached(" : "breaches(");
		put_id(f, c->ref.s);
		cm__fmt_put(f, ")");
		if (c->type == CM_CT_BREACHES) {
			cm__buf_printf(&f->lb, " %s %lld",
				       c->cmp < 6 ? cmp_text[c->cmp] : "?",
				       (long long)c->n);
			if (c->cmp >= 6)
				cannot(f, "comparison", "?");
		}
		break;
	default:
		cannot(f, "condition", "unknown node");
		return;
	}
	if (c->window >= 0) {
		cm__fmt_put(f, " within ");
		put_duration(f, c->window);
	}
}

/* ---- requirements -------------------------------------------------------- */

static void put_rule(struct fmt *f, const struct cm__rule *r)
{
	if (!cm__rule_verb(r->kind)) {
		cannot(f, "rule", "unknown kind");
		return;
	}
	/* what cm__rule_spell() would write as it is, refused here */
	bool party_rule = r->kind == CM__RULE_SIGNED ||
			  r->kind == CM__RULE_WITNESSED ||
			  r->kind == CM__RULE_RATIFIED;
	if (party_rule && !cm__who_name(r->who))
		for (uint32_t i = 0; i < r->ids.n; i++)
			if (!cm__valid_id(r->ids.v[i].s))
				cannot(f, "identifier",
				       r->ids.v[i].s ? r->ids.v[i].s : "(null)");
	if (r->kind == CM__RULE_PARTIES)
		for (uint32_t i = 0; i < r->nkinds; i++)
			if (!cm_kind_name(r->kinds[i])) {
				cannot(f, "party kind", "none");
				return;
			}
	if (f->rc != CM_OK)
		return;
	cm__fmt_put(f, "require ");
	cm__rule_spell(&f->lb, r);
	if (!r->has_for)
		return;
	cm__fmt_put(f, " for ");
	const char *sel = cm__selector_name(r->selector);
	if (sel)
		cm__fmt_put(f, sel);
	else
		put_id(f, r->sel_id.s);
}

/*
 * Requirements in source order. In an agreement, an unresolved `use` is
 * written as it stands; after resolution the requirements one `use`
 * brought in share its policy, line and use_seq (two `use` of one policy
 * on one line stay two), and are written back as it.
 */
static void build_rules(struct fmt *f, struct fnode *blk,
			const struct cm__rules *rules, bool in_agreement,
			bool blank)
{
	for (uint32_t i = 0; i < rules->n; i++) {
		const struct cm__rule *r = &rules->v[i];
		struct fnode *n;
		if (r->kind == CM__RULE_USE) {
			cm__fmt_put(f, "use ");
			put_id(f, r->use.s);
			n = cm__fmt_emit(f, blk, false);
			cm__fmt_anchor(f, n, r->pos);
		} else if (in_agreement && r->policy) {
			uint32_t j = i + 1;
			while (j < rules->n && rules->v[j].policy &&
			       rules->v[j].kind != CM__RULE_USE &&
			       strcmp(rules->v[j].policy, r->policy) == 0 &&
			       rules->v[j].line == r->line &&
			       rules->v[j].use_seq == r->use_seq)
				j++;
			cm__fmt_put(f, "use ");
			put_id(f, r->policy);
			n = cm__fmt_emit(f, blk, false);
			cm__fmt_anchor(f, n, (struct cm__pos){r->line, 1});
			i = j - 1;
		} else {
			put_rule(f, r);
			n = cm__fmt_emit(f, blk, false);
			cm__fmt_anchor(f, n, r->pos);
		}
		if (n && blank) {
			n->blank = true;
			blank = false;
		}
	}
}

/* ---- agreements ---------------------------------------------------------- */

/* `signed by` / `ratified by` lines: consecutive entries with the same
 * date share a line. */
static bool build_sigs(struct fmt *f, struct fnode *blk, const char *kw,
		       const struct cm__sigs *s, bool blank)
{
	for (uint32_t i = 0; i < s->n;) {
		uint32_t j = i;
		cm__fmt_put(f, kw);
		while (j < s->n && s->v[j].on == s->v[i].on) {
			if (j > i)
				cm__fmt_put(f, ", ");
			put_id(f, s->v[j].party.s);
			j++;
		}
		if (s->v[i].on != CM_TIME_NONE) {
			cm__fmt_put(f, " on ");
			put_time(f, s->v[i].on, false);
		}
		struct fnode *n = cm__fmt_emit(f, blk, false);
		if (n && blank) {
			n->blank = true;
			blank = false;
		}
		for (uint32_t k = i; k < j; k++)
			cm__fmt_anchor(f, n, s->v[k].party.pos);
		i = j;
	}
	return blank;
}

static void build_event(struct fmt *f, struct fnode *blk,
			const struct cm_event *e)
{
	put_time(f, e->time, false);
	cm__fmt_put(f, " ");
	put_action(f, &e->act);
	if (e->note) {
		cm__fmt_put(f, " ");
		put_string(f, e->note);
	}
	static const char *const kw[] = {" reported by ", " denied by ",
					 " verified by "};
	const struct cm__names *l[] = {&e->reported, &e->denied, &e->verified};
	for (int k = 0; k < 3; k++) {
		if (!l[k]->n)
			continue;
		cm__fmt_put(f, kw[k]);
		put_names(f, l[k]->v, l[k]->n);
	}
	struct fnode *n = cm__fmt_emit(f, blk, false);
	cm__fmt_anchor(f, n, e->pos);
	for (int k = 0; k < 3; k++)
		anchor_names(f, n, l[k]);
}

struct fnode *cm__fmt_events_block(struct fmt *f, struct fnode *parent,
				   const struct cm__events *ev,
				   uint32_t first, uint32_t count,
				   struct cm__pos pos, struct cm__pos end)
{
	cm__fmt_put(f, "events");
	struct fnode *b = cm__fmt_emit(f, parent, true);
	if (!b)
		return NULL;
	b->blank = true;
	b->end = end;
	cm__fmt_anchor(f, b, pos);
	for (uint32_t i = first; i < first + count && i < ev->n; i++)
		build_event(f, b, &ev->v[i]);
	return b;
}

static void build_commitment(struct fmt *f, struct fnode *blk,
			     const struct cm_commitment *c)
{
	cm__fmt_put(f, "commitment ");
	put_id(f, c->id);
	struct fnode *cb = cm__fmt_emit(f, blk, true);
	if (!cb)
		return;
	cb->blank = true;
	cb->end = c->end;
	cm__fmt_anchor(f, cb, c->pos);

	/* the clause */
	static const char *const mod[] = {" must ", " must not ",
					  " must prevent ", " may "};
	put_id(f, c->debtor.s);
	cm__fmt_put(f, c->modality <= CM_MAY ? mod[c->modality] : " ? ");
	if (c->modality > CM_MAY)
		cannot(f, "modality of commitment", c->id);
	if (c->is_action)
		put_action(f, &c->action);
	else if (c->text)
		put_string(f, c->text);
	else
		cannot(f, "commitment without content", c->id);
	if (c->by != CM_TIME_NONE) {
		cm__fmt_put(f, " by ");
		put_time(f, c->by, true);
	} else if (c->within >= 0) {
		cm__fmt_put(f, " within ");
		put_duration(f, c->within);
	}
	struct fnode *n = cm__fmt_emit(f, cb, false);
	cm__fmt_anchor(f, n, c->debtor.pos);
	cm__fmt_anchor(f, n, c->modality_pos);
	cm__fmt_anchor(f, n, c->content_pos);
	cm__fmt_anchor(f, n, c->deadline_pos);

	if (c->to.n) {
		cm__fmt_put(f, "to ");
		put_names(f, c->to.v, c->to.n);
		anchor_names(f, cm__fmt_emit(f, cb, false), &c->to);
	}
	static const char *const ckw[] = {"if ", "while ", "unless "};
	const struct cm__cond_items *cl[] = {&c->ifs, &c->whiles, &c->unlesses};
	for (int k = 0; k < 3; k++) {
		for (uint32_t i = 0; i < cl[k]->n; i++) {
			cm__fmt_put(f, ckw[k]);
			put_cond(f, cl[k]->v[i].cond);
			cm__fmt_anchor(f, cm__fmt_emit(f, cb, false), cl[k]->v[i].pos);
		}
	}
	if (c->reciprocal.n) {
		/* the windowed item (SPEC §8.4) apart from the others, in
		 * their order: before it, it, after it */
		uint32_t w0 = c->recip_window >= 0 ? c->recip_win_first
						   : c->reciprocal.n;
		uint32_t w1 = c->recip_window >= 0 ? w0 + c->recip_win_n : w0;
		uint32_t cut[4] = {0, w0, w1, c->reciprocal.n};
		for (int g = 0; g < 3; g++) {
			if (cut[g + 1] <= cut[g] || cut[g + 1] > c->reciprocal.n)
				continue;
			struct cm__names part = {c->reciprocal.v + cut[g],
						 cut[g + 1] - cut[g], 0};
			cm__fmt_put(f, "reciprocal ");
			put_names(f, part.v, part.n);
			if (g == 1) {
				cm__fmt_put(f, " within ");
				put_duration(f, c->recip_window);
			}
			n = cm__fmt_emit(f, cb, false);
			anchor_names(f, n, &part);
			if (g == 1)
				cm__fmt_anchor(f, n, c->recip_win_pos);
		}
	}
	if (c->from != CM_TIME_NONE) {
		cm__fmt_put(f, "from ");
		put_time(f, c->from, false);
		cm__fmt_anchor(f, cm__fmt_emit(f, cb, false), c->from_pos);
	}
	if (c->until != CM_TIME_NONE) {
		cm__fmt_put(f, "until ");
		put_time(f, c->until, true);
		cm__fmt_anchor(f, cm__fmt_emit(f, cb, false), c->until_pos);
	}
	if (c->form == CM_FORM_VERBAL || c->form == CM_FORM_WRITTEN) {
		cm__fmt_put(f, c->form == CM_FORM_VERBAL ? "verbal" : "written");
		cm__fmt_anchor(f, cm__fmt_emit(f, cb, false), c->form_pos);
	}
	build_sigs(f, cb, "signed by ", &c->sigs, false);
	if (c->witnesses.n) {
		cm__fmt_put(f, "witnessed by ");
		put_names(f, c->witnesses.v, c->witnesses.n);
		anchor_names(f, cm__fmt_emit(f, cb, false), &c->witnesses);
	}
	if (c->standing != CM_STANDING_AGREED) {
		switch (c->standing) {
		case CM_STANDING_PROPOSED: cm__fmt_put(f, "proposed by "); break;
		case CM_STANDING_REJECTED: cm__fmt_put(f, "rejected by "); break;
		default: cm__fmt_put(f, "claimed"); break;
		}
		if (c->standing != CM_STANDING_CLAIMED)
			put_names(f, c->standing_by.v, c->standing_by.n);
		n = cm__fmt_emit(f, cb, false);
		cm__fmt_anchor(f, n, c->standing_pos);
		anchor_names(f, n, &c->standing_by);
	}
	if (c->proposed_also.n) {
		/* SPEC §8.1: the proposers of a rejected commitment */
		cm__fmt_put(f, "proposed by ");
		put_names(f, c->proposed_also.v, c->proposed_also.n);
		n = cm__fmt_emit(f, cb, false);
		cm__fmt_anchor(f, n, c->proposed_pos);
		anchor_names(f, n, &c->proposed_also);
	}
	for (uint32_t i = 0; i < c->nnotes; i++) {
		cm__fmt_put(f, "note ");
		put_string(f, c->notes[i]);
		n = cm__fmt_emit(f, cb, false);
		if (c->note_pos)
			cm__fmt_anchor(f, n, c->note_pos[i]);
	}
}

struct fnode *cm__fmt_agreement(struct fmt *f, struct fnode *parent,
				const struct cm_agreement *a)
{
	cm__fmt_put(f, "agreement ");
	put_id(f, a->id);
	if (a->title) {
		cm__fmt_put(f, " ");
		put_string(f, a->title);
	}
	struct fnode *ab = cm__fmt_emit(f, parent, true);
	if (!ab)
		return NULL;
	ab->blank = true;
	ab->end = a->end;
	cm__fmt_anchor(f, ab, a->pos);

	if (a->date != CM_TIME_NONE) {
		cm__fmt_put(f, "date ");
		put_time(f, a->date, false);
		cm__fmt_anchor(f, cm__fmt_emit(f, ab, false), a->date_pos);
	}
	for (uint32_t i = 0; i < a->nparties; i++) {
		const struct cm_party *p = a->parties[i];
		const char *role = cm_role_name(p->role);
		if (!role) {
			cannot(f, "role of party", p->id);
			continue;
		}
		cm__fmt_put(f, role);
		cm__fmt_put(f, " ");
		put_id(f, p->id);
		cm__fmt_put(f, " ");
		put_string(f, p->name);
		if (p->kind != CM_KIND_NONE) {
			const char *k = cm_kind_name(p->kind);
			cm__fmt_put(f, " ");
			if (k)
				cm__fmt_put(f, k);
			else
				cannot(f, "kind of party", p->id);
		}
		cm__fmt_anchor(f, cm__fmt_emit(f, ab, false), p->pos);
	}
	build_sigs(f, ab, "signed by ", &a->sigs, false);
	build_sigs(f, ab, "ratified by ", &a->ratifications, false);
	if (a->registered) {
		cm__fmt_put(f, "registered");
		if (a->registered_on != CM_TIME_NONE) {
			cm__fmt_put(f, " on ");
			put_time(f, a->registered_on, false);
		}
		cm__fmt_anchor(f, cm__fmt_emit(f, ab, false), a->registered_pos);
	}
	build_rules(f, ab, &a->rules, true, true);
	for (uint32_t i = 0; i < a->ncommitments; i++)
		build_commitment(f, ab, a->commitments[i]);

	if (a->nblocks) {
		for (uint32_t i = 0; i < a->nblocks; i++) {
			const struct cm__top *t = &a->blocks[i];
			cm__fmt_events_block(f, ab, &a->events, t->index,
					     t->count, t->pos, t->end);
		}
	} else {
		/* No block records (built in code): one block per run of
		 * events whose times do not decrease. */
		for (uint32_t i = 0; i < a->events.n;) {
			uint32_t j = i + 1;
			while (j < a->events.n &&
			       a->events.v[j].time >= a->events.v[j - 1].time)
				j++;
			cm__fmt_events_block(f, ab, &a->events, i, j - i,
					     a->events.v[i].pos, NOPOS);
			i = j;
		}
	}
	return ab;
}

void cm__fmt_policy(struct fmt *f, struct fnode *parent,
		    const struct cm_policy *p)
{
	cm__fmt_put(f, "policy ");
	put_id(f, p->id);
	if (p->title) {
		cm__fmt_put(f, " ");
		put_string(f, p->title);
	}
	struct fnode *pb = cm__fmt_emit(f, parent, true);
	if (!pb)
		return;
	pb->blank = true;
	pb->end = p->end;
	cm__fmt_anchor(f, pb, p->pos);
	build_rules(f, pb, &p->rules, false, false);
}

/* ---- pieces: one condition, requirement or content (inspect.h) ---------- */

/*
 * Write @p p (a struct cm_condition, a struct cm__rule without its
 * `require ` keyword -- an unresolved `use` as `use NAME` --, or a
 * struct cm_commitment's content) as cm_agreement_to_text() writes it,
 * into a new string under @p mem_ctx; *out is untouched on error.
 */
int cm__fmt_piece(void *mem_ctx, enum cm__fmt_piece what, const void *p,
		  char **out, cm_error *err)
{
	void *tmp = cm__ctx_new(mem_ctx, "cm_fmt_piece");
	if (!tmp)
		return cm__enomem(err);
	struct fmt f = {.rc = CM_OK, .err = err};
	cm__arena_init(&f.ar, tmp);
	cm__buf_init(&f.lb, tmp);
	if (what == CM__PIECE_CONDITION) {
		put_cond(&f, p);
	} else if (what == CM__PIECE_RULE) {
		const struct cm__rule *r = p;
		if (r->kind == CM__RULE_USE) {
			cm__fmt_put(&f, "use ");
			put_id(&f, r->use.s);
		} else {
			put_rule(&f, r);
		}
	} else {
		const struct cm_commitment *c = p;
		if (c->is_action)
			put_action(&f, &c->action);
		else if (c->text)
			put_string(&f, c->text);
		else
			cannot(&f, "commitment without content", c->id);
	}
	if (f.lb.failed)
		cm__fmt_nomem(&f);
	int rc = f.rc;
	if (rc == CM_OK) {
		/* the rule writer starts with "require " */
		const char *s = f.lb.data ? f.lb.data : "";
		if (what == CM__PIECE_RULE && strncmp(s, "require ", 8) == 0)
			s += 8;
		char *copy = cm__strdup(mem_ctx, s);
		if (!copy)
			rc = cm__enomem(err);
		else
			*out = copy;
	}
	cm__free(tmp);
	return rc;
}
