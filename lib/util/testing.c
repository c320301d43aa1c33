/*
 * Test-only helpers of the allocation seam: built into the internal
 * (uninstalled) library only, never into libcommitments.so.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <talloc.h>

#include "util/alloc.h"

size_t cm__block_count(const void *ctx)
{
	return talloc_total_blocks(ctx);
}
