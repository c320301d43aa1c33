/*
 * Open-addressing map from string to pointer (map.c).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_UTIL_MAP_H
#define CM_UTIL_MAP_H

#include <stdint.h>

struct cm__map_slot;

struct cm__map {
	struct cm__map_slot *slots;
	uint32_t mask; /* capacity - 1; capacity is a power of two */
	uint32_t count;
};

void cm__map_init(struct cm__map *m);
/** The value for @p key, or NULL. */
void *cm__map_get(const struct cm__map *m, const char *key);
/** Insert (key is borrowed and must outlive the map). Returns 0, or -1
 *  when out of memory; an existing key is replaced. The slots live under
 *  @p owner (talloc). */
int cm__map_put(struct cm__map *m, const void *owner, const char *key,
		void *value);
/** Make room for @p more new keys: the next @p more puts of new keys do
 *  not allocate (cannot fail). Returns 0, or -1 when out of memory (the
 *  map unchanged). */
int cm__map_reserve(struct cm__map *m, const void *owner, uint32_t more);

#endif
