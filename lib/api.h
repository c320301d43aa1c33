/*
 * Private to the API layer (document.c, build.c): the shipped policies'
 * text, generated from policies.cmt into policies.c.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_API_H
#define CM_API_H

#include <stddef.h>

extern const char cm__builtin_policies_text[];
extern const size_t cm__builtin_policies_len;

#endif
