/*
 * Shared between the monitor's files: the event index (match.c), the
 * engine (monitor.c) and snapshots (status.c).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_MONITOR_PRIVATE_H
#define CM_MONITOR_PRIVATE_H

#include <commitments/monitor.h>

#include "model/model.h"

/* ---- the event index (match.c) ------------------------------------- */

/** A pattern to dispatch events to, with the caller's tag for it (a
 *  clause's commitment or a condition atom). */
struct cm__pat {
	const char *type;
	const struct cm__attr *attrs;
	uint32_t nattrs;
	const char *by; /* implicit `by` (the debtor), or NULL */
	uint32_t tag;
};

struct cm__mindex;

/** Build an index over @p pats (borrowed: must outlive the index). */
int cm__mindex_build(void *mem_ctx, const struct cm__pat *pats, uint32_t n,
		     struct cm__mindex **out);
/**
 * Every pattern that matches @p ev (same type, every attribute it names
 * with an equal value), each once: stores their tags in *hits (grown
 * under @p owner) and returns the count, or -1 when out of memory. The
 * index copies what it needs: the patterns may go after the build.
 */
int64_t cm__mindex_match(const struct cm__mindex *x, const struct cm_event *ev,
			 const void *owner, uint32_t **hits, uint32_t *cap);

/* ---- snapshots (status.c) ----------------------------------------- */

/* One history entry or breach of a snapshot (files and ids copied). */
struct cm__snap_hist {
	uint8_t state, reason;
	cm_time since;
	uint32_t line;
	const char *file;
	const char *blame;
};
struct cm__snap_breach {
	cm_time at;
	uint32_t line;
	const char *file;
};

struct cm__snap_item {
	const char *id;
	uint8_t state, standing, modality, reason;
	cm_time since;
	uint32_t line;
	const char *file;
	const char *blame;
	const char **excused;
	uint32_t nexcused;
	/* §8.4 */
	uint64_t nbreach;
	struct cm__snap_breach last; /* at CM_TIME_NONE: none */
};

/* A commitment's history in a snapshot (§8.9; only with history). */
struct cm__snap_hitem {
	struct cm__snap_hist *hist;
	uint32_t nhist;
	struct cm__snap_breach *breaches;
	uint32_t nbreaches;
};

struct cm_snapshot {
	const char *id;
	const char *title;
	const char *view;
	cm_time at;
	struct cm__snap_item *items;
	uint32_t n;
	bool history; /* taken from a monitor with history */
	struct cm__snap_hitem *hx; /* n entries with history, else NULL */
};

struct cm_monitor;
/** Fill the snapshot's breaches and history from @p m (status-v02.c);
 *  @p names / @p copies map the monitor's source names to the
 *  snapshot's copies. -1 out of memory. */
int cm__snap_v02(struct cm_snapshot *s, const struct cm_monitor *m,
		 const char **names, const char **copies, uint32_t nnames);
/** The `"breaches", "last_breach"` (and with history `"history",
 *  "breach_list"`) members of item @p i, each preceded by ", ". */
void cm__snap_json_v02(struct cm__buf *b, const struct cm_snapshot *s,
		       uint32_t i);
/** The text lines for item @p i's breaches and history. */
void cm__snap_text_v02(struct cm__buf *b, const struct cm_snapshot *s,
		       uint32_t i);

#endif
