/*
 * The documentation report: accessors, and the two writers (the JSON
 * object of SPEC §6 `check`, and readable text).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "eval/report.h"

static const struct cm__pos NOPOS = {0, 0};

/* ---- accessors ---------------------------------------------------------- */

CM_EXPORT const char *cm_report_agreement_id(const cm_report *r)
{
	return r ? r->id : NULL;
}

CM_EXPORT const char *cm_report_agreement_title(const cm_report *r)
{
	return r ? r->title : NULL;
}

CM_EXPORT int cm_report_verdict(const cm_report *r)
{
	return r ? r->verdict : -1;
}

CM_EXPORT size_t cm_report_requirement_count(const cm_report *r)
{
	return r ? r->nreqs : 0;
}

static const struct cm__req *req(const cm_report *r, size_t i)
{
	return r && i < r->nreqs ? &r->reqs[i] : NULL;
}

CM_EXPORT const char *cm_report_requirement_rule(const cm_report *r, size_t i)
{
	const struct cm__req *q = req(r, i);
	return q ? q->rule : NULL;
}

CM_EXPORT const char *cm_report_requirement_selector(const cm_report *r,
						     size_t i)
{
	const struct cm__req *q = req(r, i);
	return q ? q->selector : NULL;
}

CM_EXPORT const char *cm_report_requirement_policy(const cm_report *r,
						   size_t i)
{
	const struct cm__req *q = req(r, i);
	return q ? q->policy : NULL;
}

CM_EXPORT int32_t cm_report_requirement_line(const cm_report *r, size_t i)
{
	const struct cm__req *q = req(r, i);
	return q ? (int32_t)q->line : 0;
}

CM_EXPORT int cm_report_requirement_holds(const cm_report *r, size_t i)
{
	const struct cm__req *q = req(r, i);
	return q ? q->holds : -1;
}

CM_EXPORT size_t cm_report_failure_count(const cm_report *r, size_t i)
{
	const struct cm__req *q = req(r, i);
	return q ? q->n : 0;
}

static const struct cm__failure *failure(const cm_report *r, size_t i,
					 size_t j)
{
	const struct cm__req *q = req(r, i);
	return q && j < q->n ? &q->v[j] : NULL;
}

CM_EXPORT const char *cm_report_failure_commitment(const cm_report *r,
						   size_t i, size_t j)
{
	const struct cm__failure *f = failure(r, i, j);
	return f ? f->commitment : NULL;
}

CM_EXPORT const char *cm_report_failure_missing(const cm_report *r,
						size_t i, size_t j)
{
	const struct cm__failure *f = failure(r, i, j);
	return f ? f->missing : NULL;
}

CM_EXPORT const char *cm_report_failure_remedy(const cm_report *r,
					       size_t i, size_t j)
{
	const struct cm__failure *f = failure(r, i, j);
	return f ? f->remedy : NULL;
}

CM_EXPORT size_t cm_report_commitment_count(const cm_report *r)
{
	return r ? r->ncommits : 0;
}

static const struct cm__rcommit *commit(const cm_report *r, size_t i)
{
	return r && i < r->ncommits ? &r->commits[i] : NULL;
}

CM_EXPORT const char *cm_report_commitment_id(const cm_report *r, size_t i)
{
	const struct cm__rcommit *c = commit(r, i);
	return c ? c->id : NULL;
}

CM_EXPORT int cm_report_commitment_form(const cm_report *r, size_t i)
{
	const struct cm__rcommit *c = commit(r, i);
	return c ? c->form : -1;
}

CM_EXPORT int cm_report_commitment_level(const cm_report *r, size_t i)
{
	const struct cm__rcommit *c = commit(r, i);
	return c ? c->level : -1;
}

CM_EXPORT const char *cm_report_commitment_debtor(const cm_report *r,
						  size_t i)
{
	const struct cm__rcommit *c = commit(r, i);
	return c ? c->debtor : NULL;
}

CM_EXPORT int cm_report_commitment_modality(const cm_report *r, size_t i)
{
	const struct cm__rcommit *c = commit(r, i);
	return c ? c->modality : -1;
}

CM_EXPORT int cm_report_commitment_standing(const cm_report *r, size_t i)
{
	const struct cm__rcommit *c = commit(r, i);
	return c ? c->standing : -1;
}

CM_EXPORT int32_t cm_report_commitment_line(const cm_report *r, size_t i)
{
	const struct cm__rcommit *c = commit(r, i);
	return c ? (int32_t)c->line : 0;
}

CM_EXPORT size_t cm_report_commitment_creditor_count(const cm_report *r,
						     size_t i)
{
	const struct cm__rcommit *c = commit(r, i);
	return c ? c->ncreditors : 0;
}

CM_EXPORT const char *cm_report_commitment_creditor(const cm_report *r,
						    size_t i, size_t k)
{
	const struct cm__rcommit *c = commit(r, i);
	return c && k < c->ncreditors ? cm__rcommit_creditor(c, (uint32_t)k)
				      : NULL;
}

CM_EXPORT size_t cm_report_below_count(const cm_report *r)
{
	return r ? r->nbelow : 0;
}

static const struct cm__below *below(const cm_report *r, size_t k)
{
	return r && k < r->nbelow ? &r->below[k] : NULL;
}

CM_EXPORT const char *cm_report_below_party(const cm_report *r, size_t k)
{
	const struct cm__below *b = below(r, k);
	return b ? b->party : NULL;
}

CM_EXPORT size_t cm_report_below_short(const cm_report *r, size_t k)
{
	const struct cm__below *b = below(r, k);
	return b ? b->count : 0;
}

CM_EXPORT size_t cm_report_below_of(const cm_report *r, size_t k)
{
	const struct cm__below *b = below(r, k);
	return b ? b->of : 0;
}

CM_EXPORT const char *cm_report_below_commitment(const cm_report *r,
						 size_t k, size_t j)
{
	const struct cm__below *b = below(r, k);
	return b && j < b->count ? b->ids[j] : NULL;
}

/* ---- JSON ---------------------------------------------------------------- */

static void json_line(struct cm__buf *b, uint32_t line)
{
	if (line)
		cm__buf_printf(b, "%u", (unsigned)line);
	else
		cm__buf_puts(b, "null");
}

static void json_ids(struct cm__buf *b, const char *const *v, uint32_t n)
{
	cm__buf_putc(b, '[');
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			cm__buf_puts(b, ", ");
		cm__buf_json_string(b, v[i]);
	}
	cm__buf_putc(b, ']');
}

static void json_requirement(struct cm__buf *b, const struct cm__req *q)
{
	cm__buf_puts(b, "{\"rule\": ");
	cm__buf_json_string(b, q->rule);
	cm__buf_puts(b, ", \"selector\": ");
	cm__buf_json_string(b, q->selector);
	cm__buf_puts(b, ", \"policy\": ");
	cm__buf_json_string(b, q->policy);
	cm__buf_puts(b, ", \"line\": ");
	json_line(b, q->line);
	cm__buf_puts(b, q->holds ? ", \"holds\": true" : ", \"holds\": false");
	cm__buf_puts(b, ", \"failures\": [");
	for (uint32_t j = 0; j < q->n; j++) {
		const struct cm__failure *f = &q->v[j];
		cm__buf_puts(b, j ? ", {\"commitment\": " : "{\"commitment\": ");
		cm__buf_json_string(b, f->commitment);
		cm__buf_puts(b, ", \"missing\": ");
		cm__buf_json_string(b, f->missing);
		cm__buf_puts(b, ", \"remedy\": ");
		cm__buf_json_string(b, f->remedy);
		cm__buf_putc(b, '}');
	}
	cm__buf_puts(b, "]}");
}

static void json_commitment(struct cm__buf *b, const struct cm__rcommit *c)
{
	cm__buf_puts(b, "{\"id\": ");
	cm__buf_json_string(b, c->id);
	cm__buf_puts(b, ", \"debtor\": ");
	cm__buf_json_string(b, c->debtor);
	cm__buf_puts(b, ", \"creditor\": [");
	for (uint32_t k = 0; k < c->ncreditors; k++) {
		if (k)
			cm__buf_puts(b, ", ");
		cm__buf_json_string(b, cm__rcommit_creditor(c, k));
	}
	cm__buf_putc(b, ']');
	cm__buf_printf(b, ", \"modality\": \"%s\", \"form\": \"%s\", "
			  "\"level\": \"%s\", \"standing\": \"%s\", "
			  "\"line\": ",
		       cm_modality_name(c->modality), cm_form_name(c->form),
		       cm_level_name(c->level), cm_standing_name(c->standing));
	json_line(b, c->line);
	cm__buf_putc(b, '}');
}

CM_EXPORT int cm_report_to_json(void *mem_ctx, const cm_report *r, char **out,
				cm_error *err)
{
	if (!r || !out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	struct cm__buf b;
	cm__buf_init(&b, mem_ctx);
	/* "schema": the JSON contract's version (docs/cli.md). */
	cm__buf_puts(&b, "{\"schema\": 1, \"id\": ");
	cm__buf_json_string(&b, r->id);
	cm__buf_puts(&b, ", \"title\": ");
	cm__buf_json_string(&b, r->title);
	cm__buf_puts(&b, r->verdict == CM_VERDICT_MEETS
				 ? ", \"verdict\": \"meets\""
				 : ", \"verdict\": \"fails\"");
	cm__buf_puts(&b, ", \"requirements\": [");
	for (uint32_t i = 0; i < r->nreqs; i++) {
		if (i)
			cm__buf_puts(&b, ", ");
		json_requirement(&b, &r->reqs[i]);
	}
	cm__buf_puts(&b, "], \"commitments\": [");
	for (uint32_t i = 0; i < r->ncommits; i++) {
		if (i)
			cm__buf_puts(&b, ", ");
		json_commitment(&b, &r->commits[i]);
	}
	cm__buf_puts(&b, "], \"below\": {");
	for (uint32_t k = 0; k < r->nbelow; k++) {
		const struct cm__below *w = &r->below[k];
		if (k)
			cm__buf_puts(&b, ", ");
		cm__buf_json_string(&b, w->party);
		cm__buf_printf(&b, ": {\"count\": %u, \"of\": %u, "
				   "\"commitments\": ",
			       (unsigned)w->count, (unsigned)w->of);
		json_ids(&b, w->ids, w->count);
		cm__buf_putc(&b, '}');
	}
	cm__buf_puts(&b, "}}");
	int brc = cm__buf_finish(&b, mem_ctx, out);
	if (brc != 0)
		return cm__buf_error(err, brc);
	return CM_OK;
}

/* ---- text ---------------------------------------------------------------- */

/* "(verbal)" or "(2 verbal, 1 written)". */
static void text_levels(struct cm__buf *b, const struct cm__below *w)
{
	uint32_t kinds = 0;
	for (int l = 0; l <= CM_LEVEL_RATIFIED; l++)
		kinds += w->levels[l] > 0;
	cm__buf_putc(b, '(');
	bool first = true;
	for (int l = 0; l <= CM_LEVEL_RATIFIED; l++) {
		if (!w->levels[l])
			continue;
		if (!first)
			cm__buf_puts(b, ", ");
		first = false;
		if (kinds > 1)
			cm__buf_printf(b, "%u ", (unsigned)w->levels[l]);
		cm__buf_puts(b, cm_level_name(l));
	}
	cm__buf_putc(b, ')');
}

static void text_origin(struct cm__buf *b, const struct cm__req *q)
{
	if (q->policy)
		cm__buf_printf(b, "policy %s", q->policy);
	else
		cm__buf_puts(b, "own requirement");
	if (q->line)
		cm__buf_printf(b, ", line %u", (unsigned)q->line);
}

static size_t width(const char *s, size_t w)
{
	size_t n = strlen(s);
	return n > w ? n : w;
}

static void pad(struct cm__buf *b, const char *s, size_t w)
{
	cm__buf_puts(b, s);
	for (size_t n = strlen(s); n < w; n++)
		cm__buf_putc(b, ' ');
}

static void text_table(struct cm__buf *b, const cm_report *r)
{
	size_t wid = strlen("commitment"), wdeb = strlen("debtor");
	size_t wto = strlen("to");
	for (uint32_t i = 0; i < r->ncommits; i++) {
		const struct cm__rcommit *c = &r->commits[i];
		wid = width(c->id, wid);
		wdeb = width(c->debtor, wdeb);
		size_t n = 0;
		for (uint32_t k = 0; k < c->ncreditors; k++)
			n += strlen(cm__rcommit_creditor(c, k)) + (k ? 2 : 0);
		wto = n > wto ? n : wto;
	}
	cm__buf_puts(b, "  ");
	pad(b, "commitment", wid + 2);
	pad(b, "debtor", wdeb + 2);
	pad(b, "modality", 14);
	pad(b, "to", wto + 2);
	pad(b, "form", 9);
	pad(b, "level", 10);
	cm__buf_puts(b, "standing\n");
	for (uint32_t i = 0; i < r->ncommits; i++) {
		const struct cm__rcommit *c = &r->commits[i];
		cm__buf_puts(b, "  ");
		pad(b, c->id, wid + 2);
		pad(b, c->debtor, wdeb + 2);
		pad(b, cm_modality_name(c->modality), 14);
		size_t n = 0;
		for (uint32_t k = 0; k < c->ncreditors; k++) {
			if (k)
				cm__buf_puts(b, ", ");
			const char *id = cm__rcommit_creditor(c, k);
			cm__buf_puts(b, id);
			n += strlen(id) + (k ? 2 : 0);
		}
		if (!c->ncreditors) {
			cm__buf_putc(b, '-');
			n = 1;
		}
		for (; n < wto + 2; n++)
			cm__buf_putc(b, ' ');
		pad(b, cm_form_name(c->form), 9);
		pad(b, cm_level_name(c->level), 10);
		cm__buf_puts(b, cm_standing_name(c->standing));
		cm__buf_putc(b, '\n');
	}
}

CM_EXPORT int cm_report_to_text(void *mem_ctx, const cm_report *r, char **out,
				cm_error *err)
{
	if (!r || !out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	struct cm__buf b;
	cm__buf_init(&b, mem_ctx);
	uint32_t failed = 0;
	for (uint32_t i = 0; i < r->nreqs; i++)
		failed += !r->reqs[i].holds;

	cm__buf_puts(&b, r->verdict == CM_VERDICT_MEETS ? "MEETS" : "FAILS");
	cm__buf_printf(&b, " %s", r->id);
	if (r->title)
		cm__buf_printf(&b, " \"%s\"", r->title);
	if (!r->nreqs)
		cm__buf_puts(&b, ": no documentation requirements apply\n");
	else if (!failed && r->nreqs == 1)
		cm__buf_puts(&b, ": its 1 requirement holds\n");
	else if (!failed)
		cm__buf_printf(&b, ": all %u requirements hold\n",
			       (unsigned)r->nreqs);
	else /* "1 of 1 requirement does not hold", "2 of 3 ... do not" */
		cm__buf_printf(&b, ": %u of %u requirement%s %s not hold\n",
			       (unsigned)failed, (unsigned)r->nreqs,
			       r->nreqs == 1 ? "" : "s",
			       failed == 1 ? "does" : "do");

	if (failed) {
		cm__buf_puts(&b, "\nWhat is missing, and who must do what:\n");
		for (uint32_t i = 0; i < r->nreqs; i++) {
			const struct cm__req *q = &r->reqs[i];
			if (q->holds)
				continue;
			cm__buf_printf(&b, "  require %s", q->rule);
			if (strcmp(q->selector, "all") != 0)
				cm__buf_printf(&b, " for %s", q->selector);
			cm__buf_puts(&b, "  (");
			text_origin(&b, q);
			cm__buf_puts(&b, ")\n");
			for (uint32_t j = 0; j < q->n; j++) {
				const struct cm__failure *f = &q->v[j];
				cm__buf_puts(&b, "    - ");
				cm__buf_printf(&b, "%s: ",
					       f->commitment ? f->commitment
							     : "the agreement");
				if (strcmp(f->missing, "not agreed") == 0)
					cm__buf_puts(&b, "not agreed.");
				else
					cm__buf_printf(&b, "missing %s.",
						       f->missing);
				cm__buf_printf(&b, " To do: %s.\n", f->remedy);
			}
		}
	}
	if (r->nbelow) {
		cm__buf_puts(&b, "\nShortfall by party:\n");
		for (uint32_t k = 0; k < r->nbelow; k++) {
			const struct cm__below *w = &r->below[k];
			cm__buf_printf(&b, "  %s: %u of %u commitments fall "
					   "short ",
				       w->party, (unsigned)w->count,
				       (unsigned)w->of);
			text_levels(&b, w);
			cm__buf_puts(&b, ": ");
			for (uint32_t j = 0; j < w->count; j++) {
				if (j)
					cm__buf_puts(&b, ", ");
				cm__buf_puts(&b, w->ids[j]);
			}
			cm__buf_putc(&b, '\n');
		}
	}
	if (r->ncommits) {
		cm__buf_puts(&b, "\nCommitments:\n");
		text_table(&b, r);
	}
	int brc = cm__buf_finish(&b, mem_ctx, out);
	if (brc != 0)
		return cm__buf_error(err, brc);
	return CM_OK;
}
