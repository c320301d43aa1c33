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
enum { K_DEADLINE = 0, K_UNTIL = 1, K_DATE = 2, K_FROM = 3, K_WINDOW = 4,
       K_BWINDOW = 5 /* a breach leaving a `within` window (§8.4) */ };

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
	uint32_t atom;   /* CM_CT_ACTION, CM_CT_COUNT; CM_CT_BREACHED and
			    CM_CT_BREACHES: its breach watch, or NO_WATCH */
	uint32_t target; /* CM_CT_STATE, CM_CT_BREACHED, CM_CT_BREACHES */
	int64_t n;
};

/* cmod: the modality in the low bits, and whether it is agreed. */
#define CMOD_MODALITY 0x03
#define CMOD_AGREED 0x04

/* No window: `breached(X)` / `breaches(X)` read X's total. */
#define NO_WATCH UINT32_MAX

/* A breach watch (§8.4): the breaches of one commitment within one
 * window, shared by every atom and reciprocal link that asks for that
 * pair. */
struct bwatch {
	uint32_t target;
	int64_t window;
	struct owner *owners; /* commitments that read it */
	uint32_t nowners, ocap;
};

/* Its dynamic state: a ring of the breach times still in the window. */
struct bw_st {
	cm_time *q;
	uint32_t head, len, cap;
	uint32_t pepoch, prev_len; /* the count before moment pepoch */
	bool scheduled;
};

/* --history (§8.9, rule 29) */
struct hist_entry {
	uint8_t state, reason;
	cm_time since;
	uint32_t line;
	const char *file;
	int32_t blame;
};
struct breach_rec {
	cm_time at;
	uint32_t line; /* 0: a missed deadline (rule 39) */
	const char *file;
};
struct hist {
	struct hist_entry *v;
	uint32_t n, cap;
	struct breach_rec *b;
	uint32_t nb, bcap;
};

/* The dynamic state the 0.2 rules add, under st_ctx like the rest. */
struct mon_v02 {
	struct bst *bst;     /* one per commitment */
	struct bw_st *bws;   /* one per breach watch */
	struct hist *hist;   /* one per commitment; NULL without history */
	uint32_t *touched;   /* commitments changed since the last checkpoint */
	uint32_t ntouched;
	bool *tmark;
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
	uint32_t *recip_watch; /* per link: its breach watch (`reciprocal
				  ... within N`), or NO_WATCH; NULL when
				  the commitment has no windowed link */
};

struct cst {
	uint8_t state, reason;
	uint8_t prev; /* the state before the first change at moment `epoch` */
	bool if_latched, in_effect;
	bool final;        /* terminal (rule 4) */
	bool breached;     /* has had a breach (§8.4; the count: struct bst) */
	cm_time since;
	uint32_t line;
	const char *file;
	int32_t blame;
	uint32_t epoch;
	uint32_t *excused;
	uint32_t nexcused, excap;
};

/* A commitment's breaches (§8.4), apart from its state so that the hot
 * state stays small. */
struct bst {
	uint64_t nbreach;
	cm_time last;       /* CM_TIME_NONE: none */
	const char *file;
	uint32_t line;
	uint32_t bepoch;    /* the moment of the latest breach ... */
	uint32_t prev_nb;   /* ... and the count before it (saturated:
			       bounds are at most 2^31 - 1) */
};

/* What the 0.2 rules add to a compiled commitment, apart from it. */
struct mcom2 {
	uint32_t *watches; /* the breach watches on this commitment */
	uint32_t nwatches, wcap;
	uint32_t *bdeps;   /* readers of its breach count without a window
			      (woken by a breach; deps by a state change) */
	uint32_t nbdeps, bdcap;
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
	struct mcom2 *com2;  /* per commitment */
	uint8_t *cmod;       /* per commitment: modality | CMOD_AGREED */
	uint32_t *cdebtor;   /* per commitment: its debtor's index */
	struct bwatch *bw;   /* breach watches */
	uint32_t nbw, bwcap;
	bool history;        /* record every transition and breach */
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
	struct mon_v02 *x2;
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

/** Queue commitment @p d for re-evaluation (@p from: the commitment
 *  being evaluated, -1 outside a pass), and every dependent of @p i. */
void cm__mon_enqueue(struct cm_monitor *m, uint32_t d, int64_t from);
void cm__mon_enqueue_deps(struct cm_monitor *m, uint32_t i, int64_t from);
/** Push a time-driven change (capacity is reserved at state_init). */
void cm__mon_heap_push(struct cm_monitor *m, cm_time t, uint32_t kind,
		       uint32_t idx);

/* ---- breaches and history (monitor-breach.c) -------------------------- */

/** Is commitment @p i a continuing duty (`must not` / `must prevent`
 *  with an action)? */
bool cm__mon_continuing(const struct cm_monitor *m, uint32_t i);
/** Record a breach of @p i at @p t (@p line 0 and @p file NULL for a
 *  missed deadline). 0, or -1 out of memory. */
int cm__mon_breach(struct cm_monitor *m, uint32_t i, cm_time t,
		   uint32_t line, const char *file);
/** The value of a breached / breaches atom at @p now. */
bool cm__mon_breach_atom(struct cm_monitor *m, const struct mcond *n,
			 cm_time now);
/** Did that atom's truth change at this moment? */
bool cm__mon_breach_flipped(struct cm_monitor *m, const struct mcond *n,
			    cm_time now);
/** Does reciprocal link @p j of @p k suspend it at @p now (rule 7)? */
bool cm__mon_recip_suspends(struct cm_monitor *m, const struct mcom *k,
			    uint32_t j, cm_time now);
/** Did that link's truth change at this moment? */
bool cm__mon_recip_flipped(struct cm_monitor *m, const struct mcom *k,
			   uint32_t j, cm_time now);
/** Is @p blame (a commitment index or -1) one of @p k's reciprocal
 *  links? */
bool cm__mon_blame_is_link(const struct mcom *k, int32_t blame);
/** A breach watch's window ended at @p t (K_BWINDOW). */
void cm__mon_bwindow_expired(struct cm_monitor *m, uint32_t w, cm_time t);
/** @p owner reads @p target's breach count without a window. */
int cm__mon_bdep(struct cm_monitor *m, uint32_t target, uint32_t owner);
/** The watch for (@p target, @p window) read by @p owner (shared). */
int cm__mon_watch_of(struct cm_monitor *m, uint32_t target, int64_t window,
		     uint32_t owner, uint32_t *out);
/** Does the event count in this monitor's view (§8.6, rule 24)? */
bool cm__mon_in_view(const struct cm_monitor *m, const struct cm_event *ev);
/** Allocate the 0.2 dynamic state (under st_ctx). -1 out of memory. */
int cm__mon_v02_init(struct cm_monitor *m);
/** Note that @p i changed (history). */
static inline void cm__mon_touch(struct cm_monitor *m, uint32_t i)
{
	if (m->history && !m->x2->tmark[i]) {
		m->x2->tmark[i] = true;
		m->x2->touched[m->x2->ntouched++] = i;
	}
}
/** A history checkpoint (rule 29): an entry for every commitment whose
 *  (state, since, cause) changed since the last one. -1 out of memory. */
int cm__mon_checkpoint(struct cm_monitor *m);

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
