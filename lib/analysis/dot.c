/*
 * The Graphviz DOT writer: parties and commitments as nodes, debtor ->
 * commitment -> creditor edges, condition and reciprocity links as
 * labelled edges; verbal dashed, written solid, signed bold; filled by
 * state when states are given.
 *
 * Every id and label is written as a DOT quoted string: `"` and `\` are
 * escaped (a lone backslash would start a Graphviz escape such as \N),
 * line breaks become \n, other control characters a space, and bytes that
 * are not valid UTF-8 a `?` (Graphviz rejects them).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "analysis/analysis-private.h"
#include "model/names.h"

static const struct cm__pos NOPOS = {0, 0};

/* Longest free text shown in a node, in code points. */
enum { TEXT_MAX = 40 };

static const char *const state_fill[] = {
	[CM_STATE_PENDING] = "#e6e6e6",
	[CM_STATE_ACTIVE] = "#b8e0a8",
	[CM_STATE_SUSPENDED] = "#ffe08a",
	[CM_STATE_FULFILLED] = "#a8cbe8",
	[CM_STATE_VIOLATED] = "#f2a0a0",
	[CM_STATE_EXPIRED] = "#ffffff",
};

#define COND_COLOR "#2857a4"
#define RECIP_COLOR "#2e8b57"
#define LINK_COLOR "#888888"
#define DEADLOCK_COLOR "#c0392b"

/* What the deadlock analysis says of each commitment (by index). */
struct marks {
	uint32_t *cycle;  /* deadlock number + 1 of a cycle member, else 0 */
	uint8_t *blocked; /* in some deadlock's commitments */
	bool any;
};

/* Length of the valid UTF-8 sequence at @p p (1..4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	size_t n;
	uint32_t min, cp;
	if ((p[0] & 0xE0) == 0xC0) {
		n = 2; min = 0x80; cp = p[0] & 0x1F;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3; min = 0x800; cp = p[0] & 0x0F;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4; min = 0x10000; cp = p[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

/* Append @p s as a DOT quoted string. */
static void dot_string(struct cm__buf *b, const char *s)
{
	cm__buf_putc(b, '"');
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n = utf8_len(p);
		if (n == 0) {
			cm__buf_putc(b, '?');
			p++;
			continue;
		}
		if (n > 1) {
			cm__buf_add(b, (const char *)p, n);
			p += n;
			continue;
		}
		switch (*p) {
		case '"': cm__buf_puts(b, "\\\""); break;
		case '\\': cm__buf_puts(b, "\\\\"); break;
		case '\n': cm__buf_puts(b, "\\n"); break;
		default:
			cm__buf_putc(b, *p < 0x20 || *p == 0x7F ? ' '
							       : (char)*p);
		}
		p++;
	}
	cm__buf_putc(b, '"');
}

/* Append at most @p max code points of @p s, then "…" if cut. */
static void add_truncated(struct cm__buf *b, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k = 0;
	while (*p && k < max) {
		size_t n = utf8_len(p);
		p += n ? n : 1;
		k++;
	}
	cm__buf_add(b, s, (size_t)((const char *)p - s));
	if (*p)
		cm__buf_puts(b, "\xE2\x80\xA6");
}

/* A value as the language writes it (strings quoted and escaped). */
static void add_value(struct cm__buf *b, const struct cm__attr *at)
{
	if (at->vkind != CM__V_STRING) {
		cm__buf_puts(b, at->value);
		return;
	}
	cm__buf_putc(b, '"');
	for (const char *p = at->value; *p; p++) {
		if (*p == '"' || *p == '\\')
			cm__buf_putc(b, '\\');
		cm__buf_putc(b, *p);
	}
	cm__buf_putc(b, '"');
}

static void add_action(struct cm__buf *b, const struct cm__action *act)
{
	cm__buf_puts(b, act->type);
	cm__buf_putc(b, '(');
	for (uint32_t i = 0; i < act->nattrs; i++) {
		if (i)
			cm__buf_puts(b, ", ");
		cm__buf_printf(b, "%s: ", act->attrs[i].name);
		add_value(b, &act->attrs[i]);
	}
	cm__buf_putc(b, ')');
}

static void add_names(struct cm__buf *b, const struct cm__names *l)
{
	for (uint32_t i = 0; i < l->n; i++) {
		if (i)
			cm__buf_puts(b, ", ");
		cm__buf_puts(b, l->v[i].s);
	}
}

/* The node label of a commitment (raw text, escaped by the caller). */
static void commitment_label(struct cm__buf *b, const struct cm_commitment *c,
			     int state)
{
	cm__buf_printf(b, "%s\n%s %s ", c->id, c->debtor.s,
		       cm__modality_text(c->modality & 3));
	if (c->is_action) {
		add_action(b, &c->action);
	} else {
		cm__buf_putc(b, '"');
		add_truncated(b, c->text, TEXT_MAX);
		cm__buf_putc(b, '"');
	}
	switch (c->standing) {
	case CM_STANDING_PROPOSED:
		cm__buf_puts(b, "\nproposed by ");
		add_names(b, &c->standing_by);
		break;
	case CM_STANDING_CLAIMED:
		cm__buf_puts(b, "\nclaimed");
		break;
	case CM_STANDING_REJECTED:
		cm__buf_puts(b, "\nrejected by ");
		add_names(b, &c->standing_by);
		break;
	}
	if (state >= 0) {
		cm__buf_puts(b, c->standing == CM_STANDING_AGREED ? "\n["
								 : " [");
		cm__buf_puts(b, cm_state_name(state));
		cm__buf_putc(b, ']');
	}
}

/* Append `"text"` where text is built in @p tmp. */
static void put_label(struct cm__buf *b, const struct cm__buf *raw)
{
	dot_string(b, raw->data ? raw->data : "");
	if (raw->failed)
		b->failed = true;
}

static const char *form_style(const struct cm_commitment *c)
{
	if (c->debtor_p && cm__signed_by(c, c->debtor_p))
		return "bold";
	return cm__effective_form(c) == CM_FORM_WRITTEN ? "solid" : "dashed";
}

struct edge_ctx {
	struct cm__buf *b;
	const struct cm_commitment *from;
	const char *item; /* "if", "while", "unless" */
	const struct marks *m;
};

static int edge_atom(void *vctx, const struct cm_condition *atom,
		     bool negated)
{
	struct edge_ctx *x = vctx;
	if ((atom->type != CM_CT_STATE && atom->type != CM_CT_FORM) ||
	    !atom->ref.s)
		return 0;
	const char *what = atom->type == CM_CT_STATE
				   ? cm_state_name(atom->which)
				   : (atom->which == CM_FORM_ATOM_WRITTEN
					      ? "written"
					      : "signed");
	cm__buf_puts(x->b, "\t");
	dot_string(x->b, x->from->id);
	cm__buf_puts(x->b, " -> ");
	dot_string(x->b, atom->ref.s);
	/* an edge of a deadlock cycle: red and heavy */
	uint32_t d = x->m->cycle[x->from->index];
	bool red = x->item[0] == 'i' && d && atom->target &&
		   x->m->cycle[atom->target->index] == d &&
		   cm__analysis_is_wait_atom(atom, negated);
	const char *colour = red ? DEADLOCK_COLOR : COND_COLOR;
	cm__buf_printf(x->b, " [label=\"%s %s%s\", color=\"%s\", "
			     "fontcolor=\"%s\"%s%s];\n",
		       x->item, negated ? "not " : "", what ? what : "?",
		       colour, colour,
		       atom->type == CM_CT_FORM ? ", style=dotted" : "",
		       red ? ", penwidth=2" : "");
	return 0;
}

static void write_legend(struct cm__buf *b, bool with_states,
			 bool deadlock)
{
	cm__buf_puts(b, "\tsubgraph cluster_legend {\n"
			"\t\tlabel=\"legend\"; fontsize=10; "
			"color=\"#bbbbbb\";\n"
			"\t\tnode [shape=box, fontsize=9, height=0.25];\n");
	static const char *const forms[][2] = {
		{"verbal", "dashed"}, {"written", "solid"},
		{"signed", "bold"}};
	for (size_t i = 0; i < 3; i++)
		cm__buf_printf(b,
			       "\t\t\"legend:%s\" [label=\"%s\", style=%s];\n",
			       forms[i][0], forms[i][0], forms[i][1]);
	if (with_states)
		for (int s = CM_STATE_PENDING; s <= CM_STATE_EXPIRED; s++)
			cm__buf_printf(b,
				       "\t\t\"legend:%s\" [label=\"%s\", "
				       "style=filled, fillcolor=\"%s\"];\n",
				       cm_state_name(s), cm_state_name(s),
				       state_fill[s]);
	if (deadlock)
		cm__buf_puts(b, "\t\t\"legend:deadlocked\" "
				"[label=\"deadlocked\", "
				"color=\"" DEADLOCK_COLOR "\", fontcolor=\""
				DEADLOCK_COLOR "\"];\n");
	/* one column: every legend entry on one rank */
	cm__buf_puts(b, "\t\t{rank=same; \"legend:verbal\"; "
			"\"legend:written\"; \"legend:signed\";");
	if (deadlock)
		cm__buf_puts(b, " \"legend:deadlocked\";");
	if (with_states)
		for (int s = CM_STATE_PENDING; s <= CM_STATE_EXPIRED; s++)
			cm__buf_printf(b, " \"legend:%s\";", cm_state_name(s));
	cm__buf_puts(b, "}\n\t}\n");
}

static void write_dot(struct cm__buf *b, const struct cm_agreement *a,
		      const int32_t *states, const char *caption,
		      const struct marks *m)
{
	struct cm__buf raw;
	cm__buf_init(&raw, NULL);

	cm__buf_puts(b, "digraph ");
	dot_string(b, a->id);
	cm__buf_puts(b, " {\n\tgraph [rankdir=LR, labelloc=t, "
			"fontname=\"Helvetica\", label=");
	cm__buf_puts(&raw, a->id);
	if (a->title)
		cm__buf_printf(&raw, "\n%s", a->title);
	if (caption)
		cm__buf_printf(&raw, "\n%s", caption);
	put_label(b, &raw);
	cm__buf_puts(b, "];\n\tnode [fontname=\"Helvetica\", fontsize=10];\n"
			"\tedge [fontname=\"Helvetica\", fontsize=9];\n");

	for (uint32_t i = 0; i < a->nparties; i++) {
		const struct cm_party *p = a->parties[i];
		cm__buf_reset(&raw);
		cm__buf_printf(&raw, "%s\n%s", p->id, p->name ? p->name : "");
		if (p->role != CM_ROLE_PARTY)
			cm__buf_printf(&raw, "\n(%s)", cm_role_name(p->role));
		cm__buf_puts(b, "\t");
		dot_string(b, p->id);
		cm__buf_puts(b, " [shape=box, style=\"rounded,filled\", "
				"fillcolor=\"#f4f4f4\", label=");
		put_label(b, &raw);
		cm__buf_puts(b, "];\n");
	}

	for (uint32_t i = 0; i < a->ncommitments; i++) {
		const struct cm_commitment *c = a->commitments[i];
		int st = states ? states[i] : -1;
		cm__buf_reset(&raw);
		commitment_label(&raw, c, st);
		cm__buf_puts(b, "\t");
		dot_string(b, c->id);
		cm__buf_printf(b, " [shape=%s, style=\"%s%s\"",
			       c->modality == CM_MAY ? "ellipse" : "box",
			       form_style(c), st >= 0 ? ",filled" : "");
		if (st >= 0)
			cm__buf_printf(b, ", fillcolor=\"%s\"", state_fill[st]);
		if (m->blocked[i])
			cm__buf_puts(b, ", color=\"" DEADLOCK_COLOR "\"");
		if (c->standing != CM_STANDING_AGREED)
			cm__buf_puts(b, ", fontcolor=\"#666666\"");
		cm__buf_puts(b, ", label=");
		put_label(b, &raw);
		cm__buf_puts(b, "];\n");
	}

	for (uint32_t i = 0; i < a->ncommitments; i++) {
		const struct cm_commitment *c = a->commitments[i];
		cm__buf_puts(b, "\t");
		dot_string(b, c->debtor.s);
		cm__buf_puts(b, " -> ");
		dot_string(b, c->id);
		cm__buf_puts(b, " [color=\"" LINK_COLOR "\", "
				"arrowhead=none];\n");
		for (uint32_t k = 0; k < c->ncreditors; k++) {
			cm__buf_puts(b, "\t");
			dot_string(b, c->id);
			cm__buf_puts(b, " -> ");
			dot_string(b, c->creditors[k]->id);
			cm__buf_puts(b, " [color=\"" LINK_COLOR "\"];\n");
		}
		for (uint32_t k = 0; k < c->witnesses.n; k++) {
			cm__buf_puts(b, "\t");
			dot_string(b, c->witnesses.v[k].s);
			cm__buf_puts(b, " -> ");
			dot_string(b, c->id);
			cm__buf_puts(b, " [label=\"witness\", style=dotted, "
					"color=\"" LINK_COLOR "\", fontcolor=\""
					LINK_COLOR "\", arrowhead=none];\n");
		}
		struct edge_ctx x = {b, c, "if", m};
		for (uint32_t k = 0; k < c->ifs.n; k++)
			cm__analysis_walk(c->ifs.v[k].cond, false, edge_atom,
					  &x);
		x.item = "while";
		for (uint32_t k = 0; k < c->whiles.n; k++)
			cm__analysis_walk(c->whiles.v[k].cond, false, edge_atom,
					  &x);
		x.item = "unless";
		for (uint32_t k = 0; k < c->unlesses.n; k++)
			cm__analysis_walk(c->unlesses.v[k].cond, false,
					  edge_atom, &x);
		for (uint32_t k = 0; k < c->reciprocal.n; k++) {
			cm__buf_puts(b, "\t");
			dot_string(b, c->id);
			cm__buf_puts(b, " -> ");
			dot_string(b, c->reciprocal.v[k].s);
			cm__buf_puts(b, " [label=\"reciprocal\", style=dashed, "
					"color=\"" RECIP_COLOR "\", fontcolor=\""
					RECIP_COLOR "\"];\n");
		}
	}
	write_legend(b, states != NULL, m->any);
	cm__buf_puts(b, "}\n");
	cm__buf_reset(&raw);
}

CM_EXPORT int cm_agreement_to_dot(void *mem_ctx, cm_agreement *a,
				  const int32_t *states, size_t nstates,
				  const char *caption, char **out,
				  cm_error *err)
{
	if (!a || !out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	if (states) {
		if (nstates != a->ncommitments)
			return cm__error(err, CM_EINVAL, NULL, NOPOS,
					 "%zu states for %u commitments",
					 nstates, a->ncommitments);
		for (size_t i = 0; i < nstates; i++)
			if (states[i] < CM_STATE_PENDING ||
			    states[i] > CM_STATE_EXPIRED)
				return cm__error(err, CM_EINVAL, NULL, NOPOS,
						 "state %d out of range",
						 (int)states[i]);
	}
	/* validates the agreement, and finds the deadlocks to mark */
	cm_analysis *an;
	int rc = cm_analyze(NULL, a, &an, err);
	if (rc != CM_OK)
		return rc;
	struct marks m = {NULL, NULL, an->ndeadlocks > 0};
	m.cycle = cm__zalloc(an, ((size_t)an->n + 1) * sizeof(uint32_t), "m");
	m.blocked = cm__zalloc(an, (size_t)an->n + 1, "blocked");
	if (!m.cycle || !m.blocked) {
		cm__free(an);
		return cm__enomem(err);
	}
	for (uint32_t d = 0; d < an->ndeadlocks; d++) {
		const struct cm__deadlock *dl = &an->deadlocks[d];
		for (uint32_t j = 0; j < dl->ncycle; j++)
			m.cycle[dl->cycle[j]] = d + 1;
		for (uint32_t j = 0; j < dl->nblocked; j++)
			m.blocked[dl->blocked[j]] = 1;
	}
	struct cm__buf b;
	cm__buf_init(&b, NULL);
	write_dot(&b, a, states, caption, &m);
	cm__free(an);
	int brc = cm__buf_finish(&b, mem_ctx, out);
	if (brc != 0)
		return cm__buf_error(err, brc);
	return CM_OK;
}
