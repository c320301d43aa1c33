/*
 * Build the Istanbul understanding (SPEC §7) in code and check it against
 * the shipped `written-only` policy: the C side of the README's taste.
 *
 *   cc build-and-check.c $(pkg-config --cflags --libs commitments talloc)
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>

#include <commitments/commitments.h>

int main(void)
{
	void *ctx = cm_context_new();
	cm_error err;
	cm_agreement *a;
	cm_commitment *c;
	cm_policy *policy;
	cm_report *report;
	char *text;

	if (cm_agreement_new(ctx, "istanbul_round3", "Istanbul round", &a, &err) ||
	    cm_agreement_add_party(a, "PK", "Pakistan", CM_ROLE_PARTY,
				   CM_KIND_STATE, &err) ||
	    cm_agreement_add_party(a, "AF", "Afghan Taliban administration",
				   CM_ROLE_PARTY, CM_KIND_AUTHORITY, &err) ||
	    cm_agreement_add_commitment(a, "ceasefire", "PK", CM_MUST_NOT, &c,
					&err) ||
	    cm_commitment_set_action(c, "strike(on: AF)", &err) ||
	    cm_commitment_add_condition(c, CM_COND_UNLESS,
					"attack(from: AF, on: PK) within 30d",
					&err) ||
	    cm_commitment_set_form(c, CM_FORM_VERBAL, &err) ||
	    cm_policy_builtin(ctx, "written-only", &policy, &err) ||
	    cm_check(ctx, a, &policy, 1, &report, &err) ||
	    cm_report_to_text(ctx, report, &text, &err)) {
		char msg[1024];
		cm_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
		cm_free(ctx);
		return 2;
	}
	fputs(text, stdout);
	int verdict = cm_report_verdict(report);
	cm_free(ctx); /* frees the agreement, the policy, the report, the text */
	return verdict == CM_VERDICT_MEETS ? 0 : 1;
}
