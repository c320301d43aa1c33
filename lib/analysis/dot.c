/*
 * The Graphviz DOT writer: parties and commitments as nodes, debtor ->
 * commitment -> creditor edges, condition and reciprocity links as
 * labelled edges; verbal dashed, written solid, signed bold; filled by
 * state when states are given. Debtor edges (debtor -> commitment) are
 * brown, without arrowhead; creditor edges (commitment -> creditor) blue,
 * with one. Every drawn party has an edge: signatories and ratifiers of
 * the text to a node for the text, signers of a commitment (other than
 * its debtor) to it, and a party with no other relation to the text,
 * labelled by its role. A guard's event atom (`unless attack(...)`) is a
 * node of its own. With a party filter, only that party's neighbourhood
 * is drawn; with more parties than the cluster threshold, each party and
 * the commitments it owes form a cluster, laid out as a grid (see
 * struct view).
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
#include "analysis/dot-private.h"
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
#define DEBTOR_COLOR "#8b4513"
#define CREDITOR_COLOR "#1f6fb2"
#define EVENT_COLOR "#7d3c98"
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
	const struct view *v;
	uint32_t nevent; /* event atoms of @p from drawn so far */
};

static void add_duration(struct cm__buf *b, int64_t minutes)
{
	if (minutes % CM__MINUTES_PER_DAY == 0)
		cm__buf_printf(b, "%lldd",
			       (long long)(minutes / CM__MINUTES_PER_DAY));
	else if (minutes % 60 == 0)
		cm__buf_printf(b, "%lldh", (long long)(minutes / 60));
	else
		cm__buf_printf(b, "%lld minutes", (long long)minutes);
}

static const char *const cmp_text[] = {">=", ">", "<=", "<", "==", "!="};

/* An action or count atom of a guard: a node for the event pattern
 * ("guard:ID:N"), and an edge to it labelled by the guard's keyword. */
static void event_atom(struct edge_ctx *x, const struct cm_condition *atom,
		       bool negated)
{
	struct cm__buf raw;
	cm__buf_init(&raw, NULL);
	cm__buf_printf(&raw, "guard:%s:%u", x->from->id, ++x->nevent);
	cm__buf_puts(x->b, "\t");
	put_label(x->b, &raw);
	cm__buf_reset(&raw);
	if (atom->type == CM_CT_COUNT)
		cm__buf_puts(&raw, "count(");
	add_action(&raw, &atom->act);
	if (atom->type == CM_CT_COUNT)
		cm__buf_printf(&raw, ") %s %lld",
			       atom->cmp < 6 ? cmp_text[atom->cmp] : "?",
			       (long long)atom->n);
	if (atom->window >= 0) {
		cm__buf_puts(&raw, "\nwithin ");
		add_duration(&raw, atom->window);
	}
	cm__buf_puts(x->b, " [shape=hexagon, style=dashed, color=\""
			   EVENT_COLOR "\", fontcolor=\"" EVENT_COLOR
			   "\", fontsize=9, label=");
	put_label(x->b, &raw);
	cm__buf_puts(x->b, "];\n\t");
	dot_string(x->b, x->from->id);
	cm__buf_puts(x->b, " -> ");
	cm__buf_reset(&raw);
	cm__buf_printf(&raw, "guard:%s:%u", x->from->id, x->nevent);
	put_label(x->b, &raw);
	cm__buf_printf(x->b, " [label=\"%s%s\", color=\"" EVENT_COLOR
			     "\", fontcolor=\"" EVENT_COLOR "\", "
			     "style=dashed];\n",
		       x->item, negated ? " not" : "");
	cm__buf_reset(&raw);
}

static int edge_atom(void *vctx, const struct cm_condition *atom,
		     bool negated)
{
	struct edge_ctx *x = vctx;
	if (atom->type == CM_CT_ACTION || atom->type == CM_CT_COUNT) {
		event_atom(x, atom, negated);
		return 0;
	}
	if ((atom->type != CM_CT_STATE && atom->type != CM_CT_FORM) ||
	    !atom->ref.s || (atom->target && !drawn_c(x->v, atom->target)))
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
	cm__buf_puts(b, "\t\t\"legend:debtor\" [label=\"debtor \xE2\x80\x94 "
			"commitment\", shape=plaintext, fontcolor=\""
			DEBTOR_COLOR "\"];\n"
			"\t\t\"legend:creditor\" [label=\"commitment \xE2\x86\x92 "
			"creditor\", shape=plaintext, fontcolor=\""
			CREDITOR_COLOR "\"];\n");
	if (deadlock)
		cm__buf_puts(b, "\t\t\"legend:deadlocked\" "
				"[label=\"deadlocked\", "
				"color=\"" DEADLOCK_COLOR "\", fontcolor=\""
				DEADLOCK_COLOR "\"];\n");
	/* one column: every legend entry on one rank */
	cm__buf_puts(b, "\t\t{rank=same; \"legend:verbal\"; "
			"\"legend:written\"; \"legend:signed\"; "
			"\"legend:debtor\"; \"legend:creditor\";");
	if (deadlock)
		cm__buf_puts(b, " \"legend:deadlocked\";");
	if (with_states)
		for (int s = CM_STATE_PENDING; s <= CM_STATE_EXPIRED; s++)
			cm__buf_printf(b, " \"legend:%s\";", cm_state_name(s));
	cm__buf_puts(b, "}\n\t}\n");
}

/* `\t"FROM" -> "TO" [` : the caller writes the attributes and `];`. */
static void edge_open(struct cm__buf *b, const char *from, const char *to)
{
	cm__buf_putc(b, '\t');
	dot_string(b, from);
	cm__buf_puts(b, " -> ");
	dot_string(b, to);
	cm__buf_puts(b, " [");
}

#define TEXT_NODE "agreement:text"

/* @p text_in_label: clusters, where the text's signatures are a line of
 * the party's label instead of edges to one node. */
static void write_party(struct cm__buf *b, struct cm__buf *raw,
			const struct cm_party *p, bool text_in_label,
			const char *indent)
{
	cm__buf_reset(raw);
	cm__buf_printf(raw, "%s\n%s", p->id, p->name ? p->name : "");
	if (p->role != CM_ROLE_PARTY)
		cm__buf_printf(raw, "\n(%s)", cm_role_name(p->role));
	if (text_in_label && (p->signed_text || p->ratified))
		cm__buf_printf(raw, "\n%s the text",
			       p->ratified ? "signed, ratified" : "signed");
	cm__buf_puts(b, indent);
	dot_string(b, p->id);
	cm__buf_puts(b, " [shape=box, style=\"rounded,filled\", "
			"fillcolor=\"#f4f4f4\", label=");
	put_label(b, raw);
	cm__buf_puts(b, "];\n");
}

static void write_commitment(struct cm__buf *b, struct cm__buf *raw,
			     const struct cm_commitment *c, int st,
			     const struct marks *m, const struct view *v,
			     const char *indent)
{
	cm__buf_reset(raw);
	commitment_label(raw, c, st);
	if (v->collapse && c->to.n == 0 && c->ncreditors > 1)
		cm__buf_puts(raw, "\nto all other parties");
	cm__buf_puts(b, indent);
	dot_string(b, c->id);
	cm__buf_printf(b, " [shape=%s, style=\"%s%s\"",
		       c->modality == CM_MAY ? "ellipse" : "box",
		       form_style(c), st >= 0 ? ",filled" : "");
	if (st >= 0)
		cm__buf_printf(b, ", fillcolor=\"%s\"", state_fill[st]);
	if (m->blocked[c->index])
		cm__buf_puts(b, ", color=\"" DEADLOCK_COLOR "\"");
	if (c->standing != CM_STANDING_AGREED)
		cm__buf_puts(b, ", fontcolor=\"#666666\"");
	cm__buf_puts(b, ", label=");
	put_label(b, raw);
	cm__buf_puts(b, "];\n");
}

/* The nodes: parties and commitments, in clusters per debtor or not. */
static void write_nodes(struct cm__buf *b, struct cm__buf *raw,
			const struct cm_agreement *a, const int32_t *states,
			const struct marks *m, const struct view *v)
{
	if (!v->clusters) {
		for (uint32_t i = 0; i < a->nparties; i++)
			if (v->pdraw[i])
				write_party(b, raw, a->parties[i], false, "\t");
		for (uint32_t i = 0; i < a->ncommitments; i++)
			if (v->cdraw[i])
				write_commitment(b, raw, a->commitments[i],
						 states ? states[i] : -1, m,
						 v, "\t");
		return;
	}
	/* one cluster per party: the party, then the commitments it owes */
	uint32_t k = 0, ndrawn = 0, row = 1;
	for (uint32_t i = 0; i < a->nparties; i++)
		ndrawn += v->pdraw[i];
	while (row * row < ndrawn)
		row++;
	for (uint32_t i = 0; i < a->nparties; i++) {
		const struct cm_party *p = a->parties[i];
		if (!v->pdraw[i])
			continue;
		cm__buf_puts(b, "\tsubgraph ");
		cm__buf_reset(raw);
		cm__buf_printf(raw, "cluster_%s", p->id);
		put_label(b, raw);
		cm__buf_puts(b, " {\n\t\tlabel=\"\"; color=\"#cccccc\";\n");
		write_party(b, raw, p, true, "\t\t");
		for (uint32_t j = 0; j < a->ncommitments; j++) {
			const struct cm_commitment *c = a->commitments[j];
			if (v->cdraw[j] && c->debtor_p == p)
				write_commitment(b, raw, c,
						 states ? states[j] : -1, m,
						 v, "\t\t");
		}
		cm__buf_puts(b, "\t}\n");
		k++;
	}
	/* the grid: each cluster one row below the one @p row clusters
	 * back (an invisible edge between their parties) */
	uint32_t lag = 0;
	k = 0;
	for (uint32_t i = 0; i < a->nparties; i++) {
		if (!v->pdraw[i] || k++ < row)
			continue;
		while (!v->pdraw[lag])
			lag++;
		edge_open(b, a->parties[lag]->id, a->parties[i]->id);
		cm__buf_puts(b, "style=invis, minlen=2];\n");
		lag++;
	}
	/* commitments whose debtor is not drawn (cannot happen after
	 * validation, but stay safe) */
	for (uint32_t j = 0; j < a->ncommitments; j++) {
		const struct cm_commitment *c = a->commitments[j];
		if (v->cdraw[j] && !drawn_p(v, c->debtor_p))
			write_commitment(b, raw, c, states ? states[j] : -1, m,
					 v, "\t");
	}
}

/* Debtor, creditor, witness and signer edges of commitment @p c. */
static void write_party_edges(struct cm__buf *b,
			      const struct cm_commitment *c,
			      const struct view *v)
{
	edge_open(b, c->debtor.s, c->id);
	cm__buf_puts(b, "color=\"" DEBTOR_COLOR "\", penwidth=1.5, "
			"arrowhead=none];\n");
	/* collapsed default creditors: a line of the label, and with a
	 * filter the edge to the filter party */
	bool collapsed = v->collapse && c->to.n == 0 && c->ncreditors > 1;
	for (uint32_t k = 0; k < c->ncreditors; k++) {
		if (!drawn_p(v, c->creditors[k]) ||
		    (collapsed && c->creditors[k] != v->party))
			continue;
		edge_open(b, c->id, c->creditors[k]->id);
		cm__buf_puts(b, "color=\"" CREDITOR_COLOR "\"];\n");
	}
	for (uint32_t k = 0; k < c->witnesses.n; k++) {
		if (v->party && v->cdraw[c->index] != 2)
			break;
		edge_open(b, c->witnesses.v[k].s, c->id);
		cm__buf_puts(b, "label=\"witness\", style=dotted, "
				"color=\"" LINK_COLOR "\", fontcolor=\""
				LINK_COLOR "\", arrowhead=none];\n");
	}
	for (uint32_t k = 0; k < c->sigs.n; k++) {
		const struct cm_party *p = c->sigs.v[k].p;
		if (!p || p == c->debtor_p ||
		    (v->party && v->cdraw[c->index] != 2))
			continue;
		edge_open(b, p->id, c->id);
		cm__buf_puts(b, "label=\"signed\", style=bold, color=\""
				LINK_COLOR "\", fontcolor=\"" LINK_COLOR
				"\", arrowhead=none];\n");
	}
}

/* The text's node, its signatures and ratifications, and an edge from
 * every drawn party that has no other relation, labelled by its role. */
static void write_text_edges(struct cm__buf *b, const struct cm_agreement *a,
			     const struct view *v)
{
	if (!v->text_node)
		return;
	cm__buf_puts(b, "\t\"" TEXT_NODE "\" [shape=note, label=\"the "
			"agreement's text\", fontsize=9];\n");
	static const char *const what[2] = {"signed", "ratified"};
	const struct cm__sigs *sets[2] = {&a->sigs, &a->ratifications};
	for (int s = 0; s < 2; s++)
		for (uint32_t k = 0; k < sets[s]->n; k++) {
			const struct cm__sig *g = &sets[s]->v[k];
			if (!drawn_p(v, g->p))
				continue;
			edge_open(b, g->p->id, TEXT_NODE);
			cm__buf_printf(b, "label=\"%s", what[s]);
			if (g->on != CM_TIME_NONE) {
				char when[32];
				cm_time_format(g->on, when, sizeof(when));
				cm__buf_printf(b, " %.10s", when);
			}
			cm__buf_printf(b, "\", style=%s, color=\"" LINK_COLOR
					  "\", fontcolor=\"" LINK_COLOR "\", "
					  "arrowhead=none];\n",
				       s ? "bold" : "solid");
		}
	for (uint32_t i = 0; i < a->nparties; i++) {
		const struct cm_party *p = a->parties[i];
		if (!v->pdraw[i] || v->plinked[i])
			continue;
		edge_open(b, p->id, TEXT_NODE);
		cm__buf_printf(b, "label=\"%s\", style=dotted, color=\""
				  LINK_COLOR "\", fontcolor=\"" LINK_COLOR
				  "\", arrowhead=none];\n",
			       cm_role_name(p->role));
	}
}

static void write_dot(struct cm__buf *b, const struct cm_agreement *a,
		      const int32_t *states, const char *caption,
		      const struct marks *m, const struct view *v)
{
	struct cm__buf raw;
	cm__buf_init(&raw, NULL);

	cm__buf_puts(b, "digraph ");
	dot_string(b, a->id);
	cm__buf_printf(b, " {\n\tgraph [rankdir=%s, labelloc=t, "
			  "fontname=\"Helvetica\", label=",
		       v->clusters ? "TB" : "LR");
	cm__buf_puts(&raw, a->id);
	if (a->title)
		cm__buf_printf(&raw, "\n%s", a->title);
	if (v->party)
		cm__buf_printf(&raw, "\nparty %s and its commitments",
			       v->party->id);
	if (caption)
		cm__buf_printf(&raw, "\n%s", caption);
	put_label(b, &raw);
	cm__buf_puts(b, "];\n\tnode [fontname=\"Helvetica\", fontsize=10];\n"
			"\tedge [fontname=\"Helvetica\", fontsize=9];\n");

	write_nodes(b, &raw, a, states, m, v);

	for (uint32_t i = 0; i < a->ncommitments; i++) {
		const struct cm_commitment *c = a->commitments[i];
		if (!v->cdraw[i])
			continue;
		write_party_edges(b, c, v);
		struct edge_ctx x = {b, c, "if", m, v, 0};
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
			if (c->recip && !drawn_c(v, c->recip[k]))
				continue;
			cm__buf_puts(b, "\t");
			dot_string(b, c->id);
			cm__buf_puts(b, " -> ");
			dot_string(b, c->reciprocal.v[k].s);
			cm__buf_puts(b, " [label=\"reciprocal\", style=dashed, "
					"color=\"" RECIP_COLOR "\", fontcolor=\""
					RECIP_COLOR "\"");
			cm__buf_puts(b, "];\n");
		}
	}
	write_text_edges(b, a, v);
	write_legend(b, states != NULL, m->any);
	cm__buf_puts(b, "}\n");
	cm__buf_reset(&raw);
}

CM_EXPORT int cm_agreement_to_dot_ex(void *mem_ctx, cm_agreement *a,
				     const int32_t *states, size_t nstates,
				     const char *caption, const char *party,
				     int32_t cluster_above, char **out,
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
	const struct cm_party *pf = NULL;
	if (party) {
		pf = cm__find_party(a, party);
		if (!pf) {
			cm__free(an);
			return cm__error(err, CM_ENOTFOUND, NULL, NOPOS,
					 "no party '%s' in agreement %s",
					 party, a->id);
		}
	}
	struct marks m = {NULL, NULL, an->ndeadlocks > 0};
	m.cycle = cm__zalloc(an, ((size_t)an->n + 1) * sizeof(uint32_t), "m");
	m.blocked = cm__zalloc(an, (size_t)an->n + 1, "blocked");
	struct view v = {0};
	if (!m.cycle || !m.blocked ||
	    !cm__dot_plan(an, a, pf, cluster_above, &v)) {
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
	write_dot(&b, a, states, caption, &m, &v);
	cm__free(an);
	int brc = cm__buf_finish(&b, mem_ctx, out);
	if (brc != 0)
		return cm__buf_error(err, brc);
	return CM_OK;
}

CM_EXPORT int cm_agreement_to_dot(void *mem_ctx, cm_agreement *a,
				  const int32_t *states, size_t nstates,
				  const char *caption, char **out,
				  cm_error *err)
{
	return cm_agreement_to_dot_ex(mem_ctx, a, states, nstates, caption,
				      NULL, CM_DOT_CLUSTERS_DEFAULT, out, err);
}
