/*
 * The monitor's state, shared by its files: the engine (monitor.c),
 * compiling an agreement (monitor-compile.c), runs over sources
 * (monitor-run.c), live feeding (monitor-feed.c) and snapshots
 * (status.c). Not for the rest of the library.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_MONITOR_ENGINE_H
#define CM_MONITOR_ENGINE_H

#include "monitor/monitor-private.h"

/* Kinds of time-driven changes, in the order they apply at one moment:
 * deadlines are judged before `until` (SPEC §4), both against the states
 * as they stood; dates, `from` and windows then feed the re-evaluation. */
enum { K_DEADLINE = 0, K_UNTIL = 1, K_DATE = 2, K_FROM = 3, K_WINDOW = 4 };

enum { V_ALL, V_VERIFIED, V_PARTY };

/* An index hit: a commitment's clause, or an atom with this bit set. */
#define HIT_ATOM 0x80000000u

struct tev {
	cm_time t;
	uint32_t kind;
	uint32_t idx;
};

struct mcond {
	uint8_t type, cmp, which;
	bool form_val;
	uint32_t nkids;
	struct mcond **kids;
	uint32_t atom;   /* CM_CT_ACTION, CM_CT_COUNT */
	uint32_t target; /* CM_CT_STATE */
	int64_t n;
};

struct owner {
	uint32_t c;
	bool if_only; /* it uses the atom only in `if` items */
};

/* An event atom, shared by every condition that names the same pattern
 * with the same window and kind. */
struct atom_def {
	bool is_count;
	int64_t window;   /* -1: none */
	struct owner *owners; /* commitments whose conditions use it */
	uint32_t nowners, ocap;
};

struct atom_st {
	bool seen, scheduled;
	bool dead; /* no owner can use it any more: not tracked */
	uint64_t count;
	cm_time last;
	cm_time *q; /* ring of times within the window */
	uint32_t head, len, cap;
};

struct mcond_list {
	struct mcond **v;
	uint32_t n;
};

struct mcom {
	const struct cm_commitment *c;
	struct mcond_list ifs, whiles, unlesses;
	uint32_t *recip;
	uint32_t nrecip;
	uint32_t *deps;
	uint32_t ndeps, depcap;
};

struct cst {
	uint8_t state, reason;
	uint8_t prev; /* the state before the first change at moment `epoch` */
	bool if_latched, in_effect;
	cm_time since;
	uint32_t line;
	const char *file;
	int32_t blame;
	uint32_t epoch;
	uint32_t *excused;
	uint32_t nexcused, excap;
};

/* A queue of commitment indexes (min-heap) with membership flags. */
struct qheap {
	uint32_t *v;
	bool *in;
	uint32_t n;
};

enum { SRC_FILE, SRC_TEXT, SRC_IMPORT };
struct src {
	int kind;
	const char *path; /* SRC_FILE: copied */
	const char *text; /* SRC_TEXT: borrowed */
	size_t len;
	const char *name; /* stable name used in causes (copied) */
	struct cm_import *imp; /* SRC_IMPORT: borrowed (import-read.c) */
	const char **inames;   /* SRC_IMPORT: its inputs' names (copied) */
};

struct held {
	struct cm_event ev;
	uint32_t source, seq;
};

struct cm_monitor {
	struct cm_agreement *a;
	const char *view;
	int vkind;
	const struct cm_party *vparty;

	struct mcom *com;
	uint32_t ncom;
	struct atom_def *adef;
	uint32_t natoms, adcap;
	struct cm__map atom_keys; /* while compiling: atom text -> index + 1 */
	void *keys_ctx;           /* ... and its strings */
	struct cm__arena ar;      /* compiled conditions */
	struct cm__pat *pats;
	uint32_t npats, patcap;
	struct cm__mindex *index;

	const cm_document *doc;
	struct src *srcs;
	uint32_t nsrcs;

	/* dynamic state, all under st_ctx */
	void *st_ctx;
	struct cst *st;
	struct atom_st *ast;
	struct tev *heap;
	uint32_t nheap, heapcap;
	struct qheap qa, qb;
	struct qheap *cur, *next;
	uint32_t epoch;
	bool initial;
	bool failed;
	cm_time clock, last_event, closed;
	const struct cm_event *ev; /* the event being applied, or NULL */
	const char *ev_file;

	uint32_t *hits;
	uint32_t hitcap;

	/* live feeding */
	bool fed, ran;
	void *held_ctx;
	struct cm__arena held_ar;
	struct held *held;
	uint32_t nheld, heldcap, seq;
	cm_time held_time;
	cm_time *src_last;
	uint32_t nsrc_last;
};

/* ---- the engine (monitor.c) ------------------------------------------ */

/** (Re)build the dynamic state: every commitment in its initial state,
 *  the clock unset. -1 when out of memory. */
int cm__mon_state_init(struct cm_monitor *m);
/** Apply every time-driven change due at or before @p t. */
void cm__mon_run_due(struct cm_monitor *m, cm_time t);
/** Apply one event at its time (time-driven changes due by then first);
 *  @p file is the stable name recorded in causes. 0, or -1 when out of
 *  memory (the monitor is then marked failed). */
int cm__mon_apply_event(struct cm_monitor *m, const struct cm_event *ev,
			const char *file);

/* ---- runs (monitor-run.c) -------------------------------------------- */

/** A shared event's `verified by` naming a party the agreement declares
 *  with a role that cannot verify (SPEC §2; undeclared ids are ignored,
 *  §4): CM_ESEMANTIC at that id, in @p file. */
int cm__mon_check_verifiers(const struct cm_monitor *m,
			    const struct cm_event *ev, const char *file,
			    cm_error *err);

/* ---- compiling (monitor-compile.c) ----------------------------------- */

/** Compile the agreement's conditions and build the event index. */
int cm__mon_compile(struct cm_monitor *m);

/* ---- live feeding (monitor-feed.c) ----------------------------------- */

/** CM_ENOMEM if the monitor failed earlier, CM_EINVAL if it has run. */
int cm__mon_usable(const struct cm_monitor *m, cm_error *err);
/** Apply the events held for the current minute. */
int cm__mon_flush(struct cm_monitor *m, cm_error *err);

#endif
