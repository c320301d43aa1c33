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

struct cm__snap_item {
	const char *id;
	uint8_t state, standing, modality, reason;
	cm_time since;
	uint32_t line;
	const char *file;
	const char *blame;
	const char **excused;
	uint32_t nexcused;
};

struct cm_snapshot {
	const char *id;
	const char *title;
	const char *view;
	cm_time at;
	struct cm__snap_item *items;
	uint32_t n;
};

#endif
