/*
 * Source positions and filling the caller's cm_error (error.c).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_UTIL_ERROR_H
#define CM_UTIL_ERROR_H

#include <stdint.h>

#include <commitments/commitments.h>

/** A source position: 1-based line and column (code points); 0 = none. */
struct cm__pos {
	uint32_t line;
	uint32_t col;
};

/** Fill @p err (if not NULL) and return @p code. @p file may be NULL. */
int cm__error(cm_error *err, int code, const char *file, struct cm__pos pos,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/** Shorthand for CM_ENOMEM without position. */
int cm__enomem(cm_error *err);
/** The error for a failed cm__buf_finish() (@p rc -1 or -2): CM_ENOMEM,
 *  or CM_ELIMIT for an output longer than CM__BUF_MAX. */
int cm__buf_error(cm_error *err, int rc);

/** The builder's argument check: CM_EINVAL "invalid argument: COND",
 *  without position, when @p cond is false. */
#define CM__CHECK_ARG(cond, err)                                            \
	do {                                                                \
		if (!(cond))                                                \
			return cm__error((err), CM_EINVAL, NULL,            \
					 (struct cm__pos){0, 0},            \
					 "invalid argument: %s", #cond);    \
	} while (0)

#endif
