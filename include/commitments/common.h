/*
 * libcommitments — shared definitions: export macro, handles, time.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef COMMITMENTS_COMMON_H
#define COMMITMENTS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Marks every exported function; visibility is hidden by default. */
#if defined(CM_BUILDING_LIBRARY) && defined(__GNUC__)
#define CM_EXPORT __attribute__((visibility("default")))
#else
#define CM_EXPORT
#endif

/**
 * @brief A point in time: minutes since 1970-01-01T00:00 UTC.
 *
 * The value CM_TIME_NONE (INT64_MIN) means "no time given".
 */
typedef int64_t cm_time;

/** "No time": INT64_MIN. ctypes users may hard-code -9223372036854775808. */
#define CM_TIME_NONE INT64_MIN

/** A set of parsed agreements, policies and top-level events. */
typedef struct cm_document cm_document;
/** One agreement (treaty, ceasefire, memorandum, round outcome). */
typedef struct cm_agreement cm_agreement;
/** A party, mediator, guarantor, witness or actor of an agreement. */
typedef struct cm_party cm_party;
/** One commitment of an agreement. */
typedef struct cm_commitment cm_commitment;
/** A condition node (if / while / unless expression). */
typedef struct cm_condition cm_condition;
/** A named set of documentation requirements. */
typedef struct cm_policy cm_policy;
/** A dated event with provenance. */
typedef struct cm_event cm_event;
/** The result of a documentation check. */
typedef struct cm_report cm_report;

/** Party roles (SPEC §1). */
enum cm_role {
	CM_ROLE_PARTY = 0,
	CM_ROLE_MEDIATOR = 1,
	CM_ROLE_GUARANTOR = 2,
	CM_ROLE_WITNESS = 3,
	CM_ROLE_ACTOR = 4
};

/** Party kinds; CM_KIND_NONE when the source names none. */
enum cm_kind {
	CM_KIND_NONE = 0,
	CM_KIND_STATE = 1,
	CM_KIND_AUTHORITY = 2,
	CM_KIND_ORGANIZATION = 3,
	CM_KIND_ARMED_GROUP = 4,
	CM_KIND_PERSON = 5
};

/** Commitment modalities. */
enum cm_modality {
	CM_MUST = 0,
	CM_MUST_NOT = 1,
	CM_MUST_PREVENT = 2,
	CM_MAY = 3
};

/** Commitment forms. CM_FORM_DEFAULT: neither `verbal` nor `written`
 *  was given (the effective form then follows SPEC §3). */
enum cm_form {
	CM_FORM_DEFAULT = 0,
	CM_FORM_VERBAL = 1,
	CM_FORM_WRITTEN = 2
};

/** Commitment standing. */
enum cm_standing {
	CM_STANDING_AGREED = 0,
	CM_STANDING_PROPOSED = 1,
	CM_STANDING_CLAIMED = 2,
	CM_STANDING_REJECTED = 3
};

/** Commitment states (SPEC §4). */
enum cm_state {
	CM_STATE_PENDING = 0,
	CM_STATE_ACTIVE = 1,
	CM_STATE_SUSPENDED = 2,
	CM_STATE_FULFILLED = 3,
	CM_STATE_VIOLATED = 4,
	CM_STATE_EXPIRED = 5
};

/** Documentation levels (SPEC §3). */
enum cm_level {
	CM_LEVEL_VERBAL = 0,
	CM_LEVEL_WRITTEN = 1,
	CM_LEVEL_SIGNED = 2,
	CM_LEVEL_RATIFIED = 3
};

/**
 * @brief Create an empty talloc context to own libcommitments objects.
 *
 * For callers that do not use talloc themselves: pass the returned
 * context as @c mem_ctx to constructors, and release everything at once
 * with cm_free().
 * @return a new context (owned by the caller), or NULL when out of memory.
 */
CM_EXPORT void *cm_context_new(void);

/**
 * @brief Free any object or context created by libcommitments, and
 * everything it owns. NULL is a harmless no-op.
 */
CM_EXPORT void cm_free(void *ptr);

/**
 * @brief Parse a date or date-time (`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`).
 * @param end_of_day when non-zero and no time is given, the result is the
 *        last minute of that day (23:59), as for `by`, `until` and `--at`.
 * @param out receives the time in minutes since the epoch.
 * @return CM_OK, or CM_EINVAL when @p text is not a valid date.
 */
CM_EXPORT int cm_time_parse(const char *text, int end_of_day, cm_time *out);

/**
 * @brief Format a time as `YYYY-MM-DDTHH:MMZ` into @p buf.
 * @param buf at least 18 bytes.
 * @return CM_OK, or CM_EINVAL when the time is out of range or buf is short.
 */
CM_EXPORT int cm_time_format(cm_time t, char *buf, size_t size);

/** Static names of the enums ("party", "armed-group", "must-not", ...).
 *  Return NULL for an out-of-range value. */
CM_EXPORT const char *cm_role_name(int role);
CM_EXPORT const char *cm_kind_name(int kind);
CM_EXPORT const char *cm_modality_name(int modality);
CM_EXPORT const char *cm_form_name(int form);
CM_EXPORT const char *cm_standing_name(int standing);
CM_EXPORT const char *cm_state_name(int state);
CM_EXPORT const char *cm_level_name(int level);

#ifdef __cplusplus
}
#endif
#endif
