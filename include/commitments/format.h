/*
 * libcommitments — the canonical writer: documents and agreements back
 * to `.cmt` text in one layout (docs/format.md).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef COMMITMENTS_FORMAT_H
#define COMMITMENTS_FORMAT_H

#include <commitments/common.h>
#include <commitments/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Write a whole document back as canonical text, with its comments.
 *
 * Agreements, policies and top-level `events` blocks come out in source
 * order, each in the canonical layout of docs/format.md; every comment of
 * the parsed text is kept, attached to the item it precedes or trails
 * (docs/format.md, "Comments"). Parsing the result gives the same model
 * (positions aside), and formatting it again gives the same text.
 *
 * Works on a document before or after cm_document_resolve(): before, a
 * `use` is written as it stands; after, the requirements a `use` brought
 * in are written back as that `use`.
 * @param mem_ctx talloc parent of the new string (may be NULL).
 * @param doc the document (borrowed for the call; not changed).
 * @param out receives a new NUL-terminated UTF-8 string, owned by
 *        @p mem_ctx (free with cm_free()); untouched on error. An empty
 *        document gives "".
 * @return CM_OK; CM_EINVAL (NULL argument, or a value the language cannot
 *         spell, such as a duration that is not a whole number of hours);
 *         CM_ENOMEM.
 */
CM_EXPORT int cm_document_to_text(void *mem_ctx, const cm_document *doc,
				  char **out, cm_error *err);

/**
 * @brief Write one agreement as canonical text (no comments).
 *
 * For parsed agreements and for agreements built in code alike. A `use`d
 * policy is written as `use NAME`: the text parses back only where that
 * policy is visible (a shipped one, or one defined in the same run).
 * @param mem_ctx talloc parent of the new string (may be NULL).
 * @param a the agreement (borrowed for the call; not changed).
 * @param out receives a new NUL-terminated string ending in a newline,
 *        owned by @p mem_ctx; untouched on error.
 * @return CM_OK, CM_EINVAL (NULL argument; a commitment without content;
 *         an id that is not an identifier; invalid UTF-8; a time out of
 *         range; a duration that is not a whole number of hours),
 *         CM_ENOMEM.
 */
CM_EXPORT int cm_agreement_to_text(void *mem_ctx, const cm_agreement *a,
				   char **out, cm_error *err);

#ifdef __cplusplus
}
#endif
#endif
