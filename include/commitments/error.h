/*
 * libcommitments — status codes and the caller-allocated error record.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef COMMITMENTS_ERROR_H
#define COMMITMENTS_ERROR_H

#include <commitments/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Status codes. CM_OK is 0; errors are negative and never renumbered.
 */
enum cm_status {
	CM_OK = 0,
	CM_ENOMEM = -1,    /**< out of memory */
	CM_EINVAL = -2,    /**< invalid argument (API misuse, NULL, bad enum) */
	CM_ESYNTAX = -3,   /**< the text does not follow the grammar */
	CM_ESEMANTIC = -4, /**< a static error of SPEC §2 (unknown id, ...) */
	CM_ENOTFOUND = -5, /**< a named object does not exist */
	CM_EIO = -6,       /**< a file could not be read */
	CM_ERANGE = -7,    /**< a number, date or duration is out of range */
	CM_EORDER = -8,    /**< an event earlier than the one before it */
	CM_ELIMIT = -9     /**< an input exceeds a documented limit */
};

/** Size of cm_error's text fields. */
enum { CM_ERROR_FILE_SIZE = 256, CM_ERROR_MESSAGE_SIZE = 512 };

/**
 * @brief Details of a failure, filled in by any call given one.
 *
 * Allocated by the caller (on the stack, or by ctypes); every call that
 * can fail with detail takes an optional `cm_error *` as its last
 * argument. On success it is left untouched. @c line and @c column are
 * 1-based (columns count code points); 0 means "no position".
 */
typedef struct cm_error {
	int32_t code;
	int32_t line;
	int32_t column;
	char file[CM_ERROR_FILE_SIZE];
	char message[CM_ERROR_MESSAGE_SIZE];
} cm_error;

/**
 * @brief Static English text for a status code ("out of memory", ...).
 * @return never NULL; "unknown error" for an unknown code.
 */
CM_EXPORT const char *cm_strerror(int code);

/**
 * @brief Write `FILE:LINE:COL: error: MESSAGE` (or the shorter forms when
 * no file or position is known) into @p buf, always NUL-terminated.
 * @p err may have been filled by the caller: a file or message without a
 * NUL is read up to the end of its array, never past it.
 * @return the length the full text needs (like snprintf), or 0 for NULL err.
 */
CM_EXPORT size_t cm_error_format(const cm_error *err, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
