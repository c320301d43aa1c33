/*
 * Pieces of the canonical writer (format.c) that lib/inspect.c hands out:
 * one condition, one requirement, one commitment's content, each as the
 * text cm_agreement_to_text() writes for it.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_INSPECT_PRIVATE_H
#define CM_INSPECT_PRIVATE_H

#include "model.h"

/** What cm__piece_to_text() writes. */
enum cm__piece { CM__PIECE_CONDITION, CM__PIECE_RULE, CM__PIECE_CONTENT };

/**
 * Write @p p (a struct cm_condition, a struct cm__rule without its
 * `require ` keyword, or a struct cm_commitment's content) into a new
 * string under @p mem_ctx. CM_OK, CM_EINVAL (cannot be written),
 * CM_ENOMEM; *out is untouched on error.
 */
int cm__piece_to_text(void *mem_ctx, enum cm__piece what, const void *p,
		      char **out, cm_error *err);

#endif
