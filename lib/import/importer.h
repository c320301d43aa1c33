/*
 * The import layer's interface (lib/import/, docs/import.md): what the
 * monitor's run needs to read an import as one of its sources.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_IMPORT_IMPORTER_H
#define CM_IMPORT_IMPORTER_H

#include <commitments/import.h>

#include "model/mapping.h"

/* ---- the import source of a monitor run (import-read.c) ------------ */

/** Read every row of @p imp, appending the events to @p out (strings in
 *  @p ar, file = @p names[input], line = the row's). */
int cm__import_collect(cm_import *imp, struct cm__arena *ar,
		       struct cm__events *out, const char *const *names,
		       cm_error *err);
uint32_t cm__import_ninputs(const cm_import *imp);
const char *cm__import_input_name(const cm_import *imp, uint32_t i);
/** Has @p imp started (read or been registered)? */
bool cm__import_started(const cm_import *imp);
/** Mark @p imp as registered with a monitor. */
void cm__import_claim(cm_import *imp);

#endif
