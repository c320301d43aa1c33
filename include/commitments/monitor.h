/*
 * libcommitments — the monitor (SPEC §4): events, commitment states and
 * their causes, views, and status snapshots.
 *
 * A monitor follows one agreement under one view. Events reach it in two
 * ways, which are not mixed on one monitor:
 *  - a whole run: register sources (the document's top-level events, the
 *    agreement's own events are always included, events files or texts),
 *    then cm_monitor_run() streams them merged by time;
 *  - live: cm_monitor_feed() / cm_monitor_feed_text() one event at a time,
 *    cm_monitor_advance() to move the clock.
 * At any point cm_monitor_snapshot() returns a self-contained copy of the
 * states, with JSON and text writers.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef COMMITMENTS_MONITOR_H
#define COMMITMENTS_MONITOR_H

#include <commitments/common.h>
#include <commitments/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A live monitor of one agreement under one view. */
typedef struct cm_monitor cm_monitor;
/** A snapshot of a monitor's states at one moment. */
typedef struct cm_snapshot cm_snapshot;

/** Why a commitment is in its state (the reason of its last transition). */
enum cm_cause_reason {
	CM_CAUSE_NONE = 0,      /**< still in its initial state */
	CM_CAUSE_EVENT = 1,     /**< an event fulfilled or violated it */
	CM_CAUSE_DEADLINE = 2,  /**< its deadline passed */
	CM_CAUSE_UNTIL = 3,     /**< its `until` passed */
	CM_CAUSE_CONDITION = 4, /**< a condition or reciprocity link changed */
	CM_CAUSE_START = 5      /**< the agreement's date or its `from` came */
};

/** Provenance kinds, for cm_monitor_feed(). */
enum cm_provenance {
	CM_PROV_REPORTED = 0,
	CM_PROV_DENIED = 1,
	CM_PROV_VERIFIED = 2
};

/**
 * @brief A new monitor for @p a under @p view.
 *
 * The agreement is validated first. It is borrowed: it must outlive the
 * monitor and not change while the monitor lives (the monitor compiles
 * it once). The monitor is owned by @p mem_ctx.
 * @param view "all" (also when NULL), "verified", or a party id (any
 *        role). Since 0.2 (SPEC §8.6) the party need not be declared in
 *        this agreement: its reports and denials are then ignored here,
 *        and the view keeps the public record and the verified events
 *        (a caller monitoring a run checks that some agreement declares
 *        it, as `cmt status` does).
 * @return CM_OK, CM_EINVAL (NULL argument), CM_ENOTFOUND (the view is
 *         not "all", "verified" or an identifier), CM_ESEMANTIC (the
 *         agreement does not validate), CM_ENOMEM.
 */
CM_EXPORT int cm_monitor_new(void *mem_ctx, cm_agreement *a,
			     const char *view, cm_monitor **out,
			     cm_error *err);

/**
 * @brief Record every transition and every breach (SPEC §8.9, rule 29),
 * for cm_snapshot_history_*() and cm_snapshot_breach_*() (0.2).
 *
 * Set before the first event, advance or run; without it (the default)
 * the monitor's memory stays flat in the number of events.
 * @param on non-zero to record, 0 not to.
 * @return CM_OK, CM_EINVAL (NULL, or the monitor has events or has run),
 *         CM_ENOMEM (the monitor is unchanged).
 */
CM_EXPORT int cm_monitor_set_history(cm_monitor *m, int on, cm_error *err);
/** Non-zero when the monitor records history. */
CM_EXPORT int cm_monitor_history(const cm_monitor *m);

/** The view's text ("all", "verified" or the party id); borrowed. */
CM_EXPORT const char *cm_monitor_view(const cm_monitor *m);

/**
 * @brief Register the top-level events of @p doc for cm_monitor_run()
 * (those parsed from the agreement's own file; all of them for an
 * agreement built in code). @p doc is borrowed until the run ends.
 * @return CM_OK, CM_EINVAL (NULL, already registered, or already run).
 */
CM_EXPORT int cm_monitor_add_document_events(cm_monitor *m,
					     const cm_document *doc,
					     cm_error *err);

/**
 * @brief Register an events file (bare event lines) for cm_monitor_run().
 * It is opened and streamed by the run; sources rank in the order added.
 * @return CM_OK, CM_EINVAL, CM_ENOMEM.
 */
CM_EXPORT int cm_monitor_add_events_file(cm_monitor *m, const char *path,
					 cm_error *err);

/**
 * @brief Register events text (bare event lines) as a source; the text is
 * borrowed and must live until the run ends. @p filename (may be NULL:
 * "<events>") names it in causes and errors.
 */
CM_EXPORT int cm_monitor_add_events_text(cm_monitor *m, const char *text,
					 size_t len, const char *filename,
					 cm_error *err);

/**
 * @brief Run every source merged by time (equal times: the document's
 * top-level events, the agreement's own, then the registered files and
 * texts in order added, then each source's order), then move the clock to
 * @p at.
 *
 * Events later than @p at are read and checked but not applied.
 * On any error (a malformed line, an event out of order, an unreadable
 * file) nothing is applied: the monitor is back in its initial state and
 * the error names the file and line. A monitor runs once, and only if no
 * event was fed to it.
 * @param at CM_TIME_NONE: the time of the last event of all sources (in
 *        every view).
 * @return CM_OK, CM_EINVAL, CM_EIO, CM_ESYNTAX, CM_ESEMANTIC, CM_EORDER,
 *         CM_ERANGE, CM_ENOMEM.
 */
CM_EXPORT int cm_monitor_run(cm_monitor *m, cm_time at, cm_error *err);

/**
 * @brief Feed one event built in code.
 *
 * Events must come in nondecreasing time overall; events of the same
 * minute are held back and applied in order of @p source (lower first),
 * then of arrival, as soon as a later minute, cm_monitor_advance() or
 * cm_monitor_snapshot() applies them. @p source is a small number
 * (0 to 65535). The strings are copied.
 * @param attr_names, attr_values @p nattrs attribute names and values.
 * @param reported, denied, verified party ids (arrays may be NULL when
 *        their count is 0). Ids the agreement does not declare are
 *        ignored.
 * @return CM_OK, CM_EINVAL (NULL, bad identifier, duplicate attribute,
 *         source above 65535, an event both reported and denied by one
 *         party, a monitor that has run),
 *         CM_EORDER (earlier than a closed minute or than the source's
 *         last event), CM_ENOMEM. On error nothing changes.
 */
CM_EXPORT int cm_monitor_feed(cm_monitor *m, uint32_t source, cm_time time,
			      const char *type,
			      const char *const *attr_names,
			      const char *const *attr_values, size_t nattrs,
			      const char *const *reported, size_t nreported,
			      const char *const *denied, size_t ndenied,
			      const char *const *verified, size_t nverified,
			      cm_error *err);

/**
 * @brief Feed one event given as a bare event line, e.g.
 * "2025-11-20 attack(by: TTP, from: AF, on: PK) reported by PK".
 * As cm_monitor_feed() otherwise; syntax errors are CM_ESYNTAX with the
 * column in the line (file "<event>").
 */
CM_EXPORT int cm_monitor_feed_text(cm_monitor *m, uint32_t source,
				   const char *line, size_t len,
				   cm_error *err);

/**
 * @brief Apply everything due up to and including @p t (held events,
 * dates, deadlines, untils, windows) and move the clock to @p t.
 * @return CM_OK, CM_EINVAL (a monitor that has run: its clock is
 *         final), CM_EORDER (@p t is before the clock), CM_ENOMEM.
 */
CM_EXPORT int cm_monitor_advance(cm_monitor *m, cm_time t, cm_error *err);

/** The monitor's clock (CM_TIME_NONE before any event or advance). */
CM_EXPORT cm_time cm_monitor_clock(const cm_monitor *m);

/** The time of the latest event seen from any source, whatever the view
 *  (CM_TIME_NONE when none). */
CM_EXPORT cm_time cm_monitor_last_event_time(const cm_monitor *m);

/**
 * @brief A snapshot of every commitment's state at the clock. Held
 * events are applied first. The snapshot copies what it needs and is
 * owned by @p mem_ctx; it may outlive the monitor and the agreement.
 * @return CM_OK, CM_EINVAL, CM_ENOMEM.
 */
CM_EXPORT int cm_monitor_snapshot(void *mem_ctx, cm_monitor *m,
				  cm_snapshot **out, cm_error *err);

/* Snapshot accessors. Strings are borrowed and live as long as the
 * snapshot. Out-of-range indexes return NULL / -1 / 0. */
CM_EXPORT const char *cm_snapshot_agreement_id(const cm_snapshot *s);
/** NULL when the agreement has no title. */
CM_EXPORT const char *cm_snapshot_agreement_title(const cm_snapshot *s);
/** The moment of the snapshot (CM_TIME_NONE before any event). */
CM_EXPORT cm_time cm_snapshot_at(const cm_snapshot *s);
CM_EXPORT const char *cm_snapshot_view(const cm_snapshot *s);
/** Number of commitments, in declaration order. */
CM_EXPORT size_t cm_snapshot_count(const cm_snapshot *s);
/** Number of agreed commitments that have had a breach by the
 *  snapshot's moment (a missed deadline counts), whatever their state
 *  now (SPEC §8.11 rule 9; in 0.1: those violated). */
CM_EXPORT size_t cm_snapshot_violated_count(const cm_snapshot *s);
CM_EXPORT const char *cm_snapshot_id(const cm_snapshot *s, size_t i);
/** enum cm_state */
CM_EXPORT int cm_snapshot_state(const cm_snapshot *s, size_t i);
/** enum cm_standing */
CM_EXPORT int cm_snapshot_standing(const cm_snapshot *s, size_t i);
/** enum cm_modality */
CM_EXPORT int cm_snapshot_modality(const cm_snapshot *s, size_t i);
/** When it entered its state; CM_TIME_NONE in its initial state. */
CM_EXPORT cm_time cm_snapshot_since(const cm_snapshot *s, size_t i);
/** enum cm_cause_reason (CM_CAUSE_NONE in its initial state). */
CM_EXPORT int cm_snapshot_cause_reason(const cm_snapshot *s, size_t i);
/** Line of the event that caused the transition, 0 when none. */
CM_EXPORT int32_t cm_snapshot_cause_line(const cm_snapshot *s, size_t i);
/** File of that event, NULL when none or built in code. */
CM_EXPORT const char *cm_snapshot_cause_file(const cm_snapshot *s, size_t i);
/** The commitment whose state (a state atom or reciprocal link) caused
 *  the transition, or NULL. */
CM_EXPORT const char *cm_snapshot_cause_commitment(const cm_snapshot *s,
						   size_t i);
/** Number of rights that excused events against it. */
CM_EXPORT size_t cm_snapshot_excused_count(const cm_snapshot *s, size_t i);
/** The j-th excusing right's id, in order of first excuse. */
CM_EXPORT const char *cm_snapshot_excused_by(const cm_snapshot *s, size_t i,
					     size_t j);

/* Breaches (SPEC §8.4, 0.2). A breach is a matching event while a
 * `must not` / `must prevent` is active or violated and no granted right
 * excuses it, or an achievement's missed deadline. */
/** Number of breaches of commitment @p i up to the snapshot's moment (0
 *  for rights and free-text commitments). */
CM_EXPORT uint64_t cm_snapshot_breach_count(const cm_snapshot *s, size_t i);
/** The moment of the last breach, CM_TIME_NONE when none. A missed
 *  deadline's breach is at the deadline + 1 minute. */
CM_EXPORT cm_time cm_snapshot_last_breach_at(const cm_snapshot *s, size_t i);
/** Line of the event of the last breach; 0 when none or for a missed
 *  deadline. */
CM_EXPORT int32_t cm_snapshot_last_breach_line(const cm_snapshot *s,
					       size_t i);
/** File of that event, NULL when none or built in code. */
CM_EXPORT const char *cm_snapshot_last_breach_file(const cm_snapshot *s,
						   size_t i);

/* History (cm_monitor_set_history(); 0.2). Without it the counts are 0. */
/** Non-zero when the snapshot carries history. */
CM_EXPORT int cm_snapshot_has_history(const cm_snapshot *s);
/** Number of history entries of commitment @p i: the initial state
 *  first (since CM_TIME_NONE), then every change of (state, since,
 *  cause) at a checkpoint, in order. */
CM_EXPORT size_t cm_snapshot_history_count(const cm_snapshot *s, size_t i);
/** Entry @p j's state (enum cm_state), -1 out of range. */
CM_EXPORT int cm_snapshot_history_state(const cm_snapshot *s, size_t i,
					size_t j);
/** Entry @p j's since (CM_TIME_NONE for the initial state). */
CM_EXPORT cm_time cm_snapshot_history_since(const cm_snapshot *s, size_t i,
					    size_t j);
/** Entry @p j's cause reason (enum cm_cause_reason), -1 out of range. */
CM_EXPORT int cm_snapshot_history_reason(const cm_snapshot *s, size_t i,
					 size_t j);
/** Entry @p j's cause event line, 0 when none. */
CM_EXPORT int32_t cm_snapshot_history_line(const cm_snapshot *s, size_t i,
					   size_t j);
/** Entry @p j's cause event file, NULL when none. */
CM_EXPORT const char *cm_snapshot_history_file(const cm_snapshot *s,
					       size_t i, size_t j);
/** Entry @p j's cause commitment (state atom, breach atom or reciprocal
 *  link), NULL when none. */
CM_EXPORT const char *cm_snapshot_history_commitment(const cm_snapshot *s,
						     size_t i, size_t j);
/** Number of breaches listed for commitment @p i (every breach). */
CM_EXPORT size_t cm_snapshot_breach_list_count(const cm_snapshot *s,
					       size_t i);
/** Breach @p j's moment, CM_TIME_NONE out of range. */
CM_EXPORT cm_time cm_snapshot_breach_at(const cm_snapshot *s, size_t i,
					size_t j);
/** Breach @p j's event line, 0 for a missed deadline. */
CM_EXPORT int32_t cm_snapshot_breach_line(const cm_snapshot *s, size_t i,
					  size_t j);
/** Breach @p j's event file, NULL when none. */
CM_EXPORT const char *cm_snapshot_breach_file(const cm_snapshot *s,
					      size_t i, size_t j);

/** Static name of a cause reason ("event", "deadline", ...), NULL for
 *  CM_CAUSE_NONE or out of range. */
CM_EXPORT const char *cm_cause_reason_name(int reason);

/**
 * @brief The snapshot as one JSON object (the per-agreement object of
 * SPEC §6 `status`), new string owned by @p mem_ctx.
 */
CM_EXPORT int cm_snapshot_to_json(void *mem_ctx, const cm_snapshot *s,
				  char **out, cm_error *err);
/**
 * @brief The snapshot as text: a header line, then one line per
 * commitment (state, since, why); commitments that are not agreed are
 * listed apart ("claimed active"). New string owned by @p mem_ctx.
 */
CM_EXPORT int cm_snapshot_to_text(void *mem_ctx, const cm_snapshot *s,
				  char **out, cm_error *err);

#ifdef __cplusplus
}
#endif
#endif
