/*
 * A small open-addressing hash map from strings to pointers (FNV-1a,
 * linear probing, power-of-two capacity, load <= 1/2).
 *
 * One block holds the slots (key, value) and, after them, the hash of
 * each slot's key (0 = empty slot; a key whose hash is 0 is filed as 1).
 * A probe reads the hashes only, and a slot and its key only when the
 * hash matches: in a large map (the ids of an agreement with 100,000
 * commitments) the hashes are a quarter of the size and stay in the
 * caches, while the slots would not. Looking up a new id, the common case
 * when building, then touches no slot at all.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "util/alloc.h"
#include "util/map.h"

struct cm__map_slot {
	const char *key;
	void *value;
};

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h ? h : 1;
}

static inline uint32_t *hashes(const struct cm__map *m)
{
	return (uint32_t *)(m->slots + m->mask + 1);
}

void cm__map_init(struct cm__map *m)
{
	memset(m, 0, sizeof(*m));
}

/* The slot of @p key, or of the empty slot where it would go. */
static uint32_t find(const struct cm__map *m, const char *key, uint32_t h)
{
	const uint32_t *hs = hashes(m);
	for (uint32_t i = h & m->mask;; i = (i + 1) & m->mask) {
		if (!hs[i])
			return i;
		if (hs[i] == h && strcmp(m->slots[i].key, key) == 0)
			return i;
	}
}

void *cm__map_get(const struct cm__map *m, const char *key)
{
	if (!m->slots)
		return NULL;
	uint32_t i = find(m, key, hash_str(key));
	return hashes(m)[i] ? m->slots[i].value : NULL;
}

/* Rehash into @p ncap slots (a power of two). Returns 0 or -1. */
static int rehash(struct cm__map *m, const void *owner, uint64_t ncap)
{
	uint32_t cap = m->slots ? m->mask + 1 : 0;
	if (ncap > (1u << 31))
		return -1;
	/* slots then hashes; only the hashes need zeroing */
	size_t el = sizeof(struct cm__map_slot) + sizeof(uint32_t);
	struct cm__map_slot *ns =
		cm__realloc(owner, NULL, el, (size_t)ncap, "cm_map");
	if (!ns)
		return -1;
	struct cm__map n = {ns, (uint32_t)ncap - 1, m->count};
	uint32_t *nhs = hashes(&n);
	memset(nhs, 0, (size_t)ncap * sizeof(uint32_t));
	if (m->slots) {
		const uint32_t *hs = hashes(m);
		for (uint32_t i = 0; i < cap; i++) {
			if (!hs[i])
				continue;
			uint32_t j = hs[i] & n.mask;
			while (nhs[j])
				j = (j + 1) & n.mask;
			nhs[j] = hs[i];
			ns[j] = m->slots[i];
		}
	}
	cm__free(m->slots);
	*m = n;
	return 0;
}

int cm__map_reserve(struct cm__map *m, const void *owner, uint32_t more)
{
	uint64_t want = ((uint64_t)m->count + more) * 2;
	uint64_t cap = m->slots ? (uint64_t)m->mask + 1 : 0;
	if (want <= cap)
		return 0;
	uint64_t ncap = cap ? cap : 16;
	while (ncap < want)
		ncap *= 2;
	return rehash(m, owner, ncap);
}

int cm__map_put(struct cm__map *m, const void *owner, const char *key,
		void *value)
{
	uint32_t h = hash_str(key);
	if (m->slots) {
		uint32_t i = find(m, key, h);
		if (hashes(m)[i]) {
			m->slots[i].value = value;
			return 0;
		}
	}
	uint32_t cap = m->slots ? m->mask + 1 : 0;
	if ((uint64_t)(m->count + 1) * 2 > cap &&
	    rehash(m, owner, cap ? (uint64_t)cap * 2 : 16) != 0)
		return -1;
	uint32_t i = find(m, key, h);
	hashes(m)[i] = h;
	m->slots[i] = (struct cm__map_slot){key, value};
	m->count++;
	return 0;
}
