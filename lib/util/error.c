/*
 * Status codes, their texts, and filling the caller's cm_error.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"

CM_EXPORT const char *cm_strerror(int code)
{
	switch (code) {
	case CM_OK: return "success";
	case CM_ENOMEM: return "out of memory";
	case CM_EINVAL: return "invalid argument";
	case CM_ESYNTAX: return "syntax error";
	case CM_ESEMANTIC: return "invalid agreement";
	case CM_ENOTFOUND: return "not found";
	case CM_EIO: return "input/output error";
	case CM_ERANGE: return "value out of range";
	case CM_EORDER: return "event out of order";
	case CM_ELIMIT: return "input exceeds a limit";
	}
	return "unknown error";
}

int cm__error(cm_error *err, int code, const char *file, struct cm__pos pos,
	      const char *fmt, ...)
{
	if (!err)
		return code;
	err->code = code;
	err->line = (int32_t)pos.line;
	err->column = (int32_t)pos.col;
	err->file[0] = '\0';
	if (file)
		snprintf(err->file, sizeof(err->file), "%s", file);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}

int cm__enomem(cm_error *err)
{
	return cm__error(err, CM_ENOMEM, NULL, (struct cm__pos){0, 0}, "%s",
			 cm_strerror(CM_ENOMEM));
}

int cm__buf_error(cm_error *err, int rc)
{
	if (rc == -2)
		return cm__error(err, CM_ELIMIT, NULL, (struct cm__pos){0, 0},
				 "text longer than %zu MiB, the largest the "
				 "library can hold in one string",
				 (CM__BUF_MAX >> 20) + 1);
	return cm__enomem(err);
}

CM_EXPORT size_t cm_error_format(const cm_error *err, char *buf, size_t size)
{
	if (!err) {
		if (buf && size)
			buf[0] = '\0';
		return 0;
	}
	char dummy[1];
	if (!buf || !size) {
		buf = dummy;
		size = sizeof(dummy);
	}
	/* The struct may be the caller's, filled by hand: every read stays
	 * inside its arrays, NUL or not. */
	int fl = (int)strnlen(err->file, sizeof(err->file));
	int ml = (int)strnlen(err->message, sizeof(err->message));
	int n;
	if (fl && err->line > 0)
		n = snprintf(buf, size, "%.*s:%d:%d: error: %.*s", fl,
			     err->file, (int)err->line, (int)err->column, ml,
			     err->message);
	else if (err->line > 0)
		n = snprintf(buf, size, "%d:%d: error: %.*s", (int)err->line,
			     (int)err->column, ml, err->message);
	else if (fl)
		n = snprintf(buf, size, "%.*s: error: %.*s", fl, err->file, ml,
			     err->message);
	else
		n = snprintf(buf, size, "error: %.*s", ml, err->message);
	return n < 0 ? 0 : (size_t)n;
}
