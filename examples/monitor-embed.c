/*
 * Embedding a live monitor: parse an agreement, feed events as they
 * arrive (one built in code, one as a text line), move the clock, and
 * read a snapshot through its accessors and as JSON.
 *
 *   monitor-embed [VIEW]      (VIEW: all, verified or a party id)
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <commitments/commitments.h>

static const char agreement[] =
	"agreement istanbul_round3 \"Security understanding, Istanbul round\" {\n"
	"  date 2025-11-07\n"
	"  party    PK  \"Pakistan\"                      state\n"
	"  party    AF  \"Afghan Taliban administration\" authority\n"
	"  mediator QA  \"Qatar\"                         state\n"
	"  actor    TTP \"Tehreek-e-Taliban Pakistan\"    armed-group\n"
	"  commitment no_safe_haven { AF must prevent attack(from: AF, on: PK) }\n"
	"  commitment ceasefire {\n"
	"    PK must not strike(on: AF)\n"
	"    unless attack(from: AF, on: PK) within 30d\n"
	"    reciprocal no_safe_haven\n"
	"  }\n"
	"  commitment defensive_action {\n"
	"    PK may strike(in: AF, against: TTP)\n"
	"    if violated(no_safe_haven)\n"
	"    claimed\n"
	"  }\n"
	"}\n";

static int fail(const cm_error *err)
{
	char buf[1024];
	cm_error_format(err, buf, sizeof(buf));
	fprintf(stderr, "monitor-embed: %s\n", buf);
	return 2;
}

int main(int argc, char **argv)
{
	const char *view = argc > 1 ? argv[1] : "all";
	cm_error err;
	void *ctx = cm_context_new(); /* owns everything below */
	cm_document *doc;
	cm_monitor *m;
	if (!ctx)
		return 2;
	if (cm_parse(ctx, agreement, strlen(agreement), "embedded.cmt", &doc,
		     &err) != CM_OK ||
	    cm_monitor_new(ctx, cm_document_agreement(doc, 0), view, &m,
			   &err) != CM_OK) {
		int rc = fail(&err);
		cm_free(ctx);
		return rc;
	}

	/* 1. An event built in code: the attack, as PK reports it and AF
	 *    denies it. Source 0: events of one minute from several sources
	 *    are applied in source order. */
	cm_time t;
	cm_time_parse("2025-11-20T06:30", 0, &t);
	const char *names[] = {"by", "from", "on"};
	const char *values[] = {"TTP", "AF", "PK"};
	const char *pk[] = {"PK"}, *af[] = {"AF"};
	if (cm_monitor_feed(m, 0, t, "attack", names, values, 3, pk, 1, af, 1,
			    NULL, 0, &err) != CM_OK)
		goto error;

	/* 2. An event as a text line, two days later. */
	const char *line =
		"2025-11-22 strike(by: PK, on: AF, in: AF, against: TTP)";
	if (cm_monitor_feed_text(m, 0, line, strlen(line), &err) != CM_OK)
		goto error;

	/* 3. Move the clock to the end of 1 December (nothing happens: the
	 *    states are as of then), and take a snapshot. */
	cm_time_parse("2025-12-01", 1, &t);
	cm_snapshot *s;
	if (cm_monitor_advance(m, t, &err) != CM_OK ||
	    cm_monitor_snapshot(ctx, m, &s, &err) != CM_OK)
		goto error;

	/* 4. Walk it... */
	for (size_t i = 0; i < cm_snapshot_count(s); i++) {
		char since[32] = "the start";
		if (cm_snapshot_since(s, i) != CM_TIME_NONE)
			cm_time_format(cm_snapshot_since(s, i), since,
				       sizeof(since));
		const char *why = cm_cause_reason_name(
			cm_snapshot_cause_reason(s, i));
		const char *who = cm_snapshot_cause_commitment(s, i);
		printf("%-17s %-10s since %-17s (%s%s%s)\n",
		       cm_snapshot_id(s, i),
		       cm_state_name(cm_snapshot_state(s, i)), since,
		       why ? why : "initial state", who ? " on " : "",
		       who ? who : "");
	}
	/* ...or print it as JSON (SPEC §6). */
	char *json;
	if (cm_snapshot_to_json(ctx, s, &json, &err) != CM_OK)
		goto error;
	printf("%s\n", json);
	printf("violated agreed commitments: %zu\n",
	       cm_snapshot_violated_count(s));
	cm_free(ctx);
	return 0;
error:
	fail(&err);
	cm_free(ctx);
	return 2;
}
