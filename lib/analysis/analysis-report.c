/*
 * Reading an analysis: the accessors of commitments/analysis.h, and the
 * analysis as JSON (SPEC §6 `analyze`) and as readable text.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include "analysis/analysis-private.h"

static const struct cm__pos NOPOS = {0, 0};

static void json_ids(struct cm__buf *b, const cm_analysis *an,
		     const uint32_t *v, uint32_t n)
{
	cm__buf_putc(b, '[');
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			cm__buf_puts(b, ", ");
		cm__buf_json_string(b, an->ids[v[i]]);
	}
	cm__buf_putc(b, ']');
}

CM_EXPORT int cm_analysis_to_json(void *mem_ctx, const cm_analysis *an,
				  char **out, cm_error *err)
{
	if (!an || !out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	struct cm__buf b;
	cm__buf_init(&b, NULL);
	/* "schema": the JSON contract's version (docs/cli.md). */
	cm__buf_puts(&b, "{\"schema\": 1, \"id\": ");
	cm__buf_json_string(&b, an->id);
	cm__buf_puts(&b, ", \"title\": ");
	cm__buf_json_string(&b, an->title);
	cm__buf_puts(&b, ", \"deadlocks\": [");
	for (uint32_t i = 0; i < an->ndeadlocks; i++) {
		const struct cm__deadlock *d = &an->deadlocks[i];
		cm__buf_puts(&b, i ? ", {\"cycle\": " : "{\"cycle\": ");
		json_ids(&b, an, d->cycle, d->ncycle);
		cm__buf_puts(&b, ", \"commitments\": ");
		json_ids(&b, an, d->blocked, d->nblocked);
		cm__buf_putc(&b, '}');
	}
	cm__buf_puts(&b, "], \"balance\": {");
	for (uint32_t k = 0; k < an->nparties; k++) {
		const struct cm__balance *p = &an->parties[k];
		if (k)
			cm__buf_puts(&b, ", ");
		cm__buf_json_string(&b, p->party);
		cm__buf_puts(&b, ": {\"owes\": ");
		json_ids(&b, an, p->owes, p->nowes);
		cm__buf_puts(&b, ", \"holds\": ");
		json_ids(&b, an, p->holds, p->nholds);
		cm__buf_puts(&b, ", \"unreciprocated\": ");
		json_ids(&b, an, p->unrecip, p->nunrecip);
		cm__buf_putc(&b, '}');
	}
	cm__buf_puts(&b, "}}");
	int brc = cm__buf_finish(&b, mem_ctx, out);
	if (brc != 0)
		return cm__buf_error(err, brc);
	return CM_OK;
}

static void text_ids(struct cm__buf *b, const cm_analysis *an,
		     const uint32_t *v, uint32_t n)
{
	if (n == 0)
		cm__buf_puts(b, "none");
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			cm__buf_puts(b, ", ");
		cm__buf_puts(b, an->ids[v[i]]);
	}
}

CM_EXPORT int cm_analysis_to_text(void *mem_ctx, const cm_analysis *an,
				  char **out, cm_error *err)
{
	if (!an || !out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	struct cm__buf b;
	cm__buf_init(&b, NULL);
	cm__buf_printf(&b, "%s", an->id);
	if (an->title)
		cm__buf_printf(&b, " \"%s\"", an->title);
	cm__buf_putc(&b, '\n');
	if (an->ndeadlocks == 0)
		cm__buf_puts(&b, "  no deadlock\n");
	for (uint32_t i = 0; i < an->ndeadlocks; i++) {
		const struct cm__deadlock *d = &an->deadlocks[i];
		cm__buf_printf(&b, "  deadlock %u: ", i + 1);
		text_ids(&b, an, d->cycle, d->ncycle);
		cm__buf_puts(&b, d->ncycle == 1 ? " waits on itself\n"
						: " wait on each other\n");
		if (d->nblocked > d->ncycle) {
			cm__buf_puts(&b, "    never taking effect: ");
			text_ids(&b, an, d->blocked, d->nblocked);
			cm__buf_putc(&b, '\n');
		}
	}
	cm__buf_puts(&b, "  balance:\n");
	if (an->nparties == 0)
		cm__buf_puts(&b, "    no party\n");
	for (uint32_t k = 0; k < an->nparties; k++) {
		const struct cm__balance *p = &an->parties[k];
		cm__buf_printf(&b, "    %s owes ", p->party);
		text_ids(&b, an, p->owes, p->nowes);
		cm__buf_puts(&b, "; holds ");
		text_ids(&b, an, p->holds, p->nholds);
		cm__buf_puts(&b, "; unreciprocated: ");
		text_ids(&b, an, p->unrecip, p->nunrecip);
		cm__buf_putc(&b, '\n');
	}
	int brc = cm__buf_finish(&b, mem_ctx, out);
	if (brc != 0)
		return cm__buf_error(err, brc);
	return CM_OK;
}

/* ---- accessors ------------------------------------------------------- */

CM_EXPORT const char *cm_analysis_agreement_id(const cm_analysis *an)
{
	return an ? an->id : NULL;
}

CM_EXPORT const char *cm_analysis_agreement_title(const cm_analysis *an)
{
	return an ? an->title : NULL;
}

CM_EXPORT size_t cm_analysis_commitment_count(const cm_analysis *an)
{
	return an ? an->n : 0;
}

CM_EXPORT const char *cm_analysis_commitment_id(const cm_analysis *an,
						size_t i)
{
	return an && i < an->n ? an->ids[i] : NULL;
}

CM_EXPORT int cm_analysis_commitment_state(const cm_analysis *an, size_t i)
{
	return an && i < an->n ? an->state[i] : -1;
}

CM_EXPORT size_t cm_analysis_deadlock_count(const cm_analysis *an)
{
	return an ? an->ndeadlocks : 0;
}

static const struct cm__deadlock *deadlock(const cm_analysis *an, size_t i)
{
	return an && i < an->ndeadlocks ? &an->deadlocks[i] : NULL;
}

CM_EXPORT size_t cm_analysis_cycle_count(const cm_analysis *an, size_t i)
{
	const struct cm__deadlock *d = deadlock(an, i);
	return d ? d->ncycle : 0;
}

CM_EXPORT const char *cm_analysis_cycle_member(const cm_analysis *an,
					       size_t i, size_t j)
{
	const struct cm__deadlock *d = deadlock(an, i);
	return d && j < d->ncycle ? an->ids[d->cycle[j]] : NULL;
}

CM_EXPORT size_t cm_analysis_blocked_count(const cm_analysis *an, size_t i)
{
	const struct cm__deadlock *d = deadlock(an, i);
	return d ? d->nblocked : 0;
}

CM_EXPORT const char *cm_analysis_blocked(const cm_analysis *an, size_t i,
					  size_t j)
{
	const struct cm__deadlock *d = deadlock(an, i);
	return d && j < d->nblocked ? an->ids[d->blocked[j]] : NULL;
}

CM_EXPORT size_t cm_analysis_party_count(const cm_analysis *an)
{
	return an ? an->nparties : 0;
}

static const struct cm__balance *balance(const cm_analysis *an, size_t k)
{
	return an && k < an->nparties ? &an->parties[k] : NULL;
}

CM_EXPORT const char *cm_analysis_party(const cm_analysis *an, size_t k)
{
	const struct cm__balance *b = balance(an, k);
	return b ? b->party : NULL;
}

CM_EXPORT size_t cm_analysis_owes_count(const cm_analysis *an, size_t k)
{
	const struct cm__balance *b = balance(an, k);
	return b ? b->nowes : 0;
}

CM_EXPORT const char *cm_analysis_owes(const cm_analysis *an, size_t k,
				       size_t j)
{
	const struct cm__balance *b = balance(an, k);
	return b && j < b->nowes ? an->ids[b->owes[j]] : NULL;
}

CM_EXPORT size_t cm_analysis_holds_count(const cm_analysis *an, size_t k)
{
	const struct cm__balance *b = balance(an, k);
	return b ? b->nholds : 0;
}

CM_EXPORT const char *cm_analysis_holds(const cm_analysis *an, size_t k,
					size_t j)
{
	const struct cm__balance *b = balance(an, k);
	return b && j < b->nholds ? an->ids[b->holds[j]] : NULL;
}

CM_EXPORT size_t cm_analysis_unreciprocated_count(const cm_analysis *an,
						  size_t k)
{
	const struct cm__balance *b = balance(an, k);
	return b ? b->nunrecip : 0;
}

CM_EXPORT const char *cm_analysis_unreciprocated(const cm_analysis *an,
						 size_t k, size_t j)
{
	const struct cm__balance *b = balance(an, k);
	return b && j < b->nunrecip ? an->ids[b->unrecip[j]] : NULL;
}
