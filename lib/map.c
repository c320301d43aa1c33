/*
 * A small open-addressing hash map from strings to pointers (FNV-1a,
 * linear probing, power-of-two capacity, load <= 1/2).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <string.h>

#include "model.h"

struct cm__map_slot {
	const char *key;
	void *value;
	uint32_t hash;
};

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

void cm__map_init(struct cm__map *m)
{
	memset(m, 0, sizeof(*m));
}

void *cm__map_get(const struct cm__map *m, const char *key)
{
	if (!m->slots)
		return NULL;
	uint32_t h = hash_str(key);
	for (uint32_t i = h & m->mask;; i = (i + 1) & m->mask) {
		const struct cm__map_slot *s = &m->slots[i];
		if (!s->key)
			return NULL;
		if (s->hash == h && strcmp(s->key, key) == 0)
			return s->value;
	}
}

static void put_slot(struct cm__map_slot *slots, uint32_t mask,
		     const char *key, void *value, uint32_t h)
{
	for (uint32_t i = h & mask;; i = (i + 1) & mask) {
		if (!slots[i].key) {
			slots[i].key = key;
			slots[i].value = value;
			slots[i].hash = h;
			return;
		}
	}
}

int cm__map_put(struct cm__map *m, const void *owner, const char *key,
		void *value)
{
	uint32_t h = hash_str(key);
	if (m->slots) {
		for (uint32_t i = h & m->mask;; i = (i + 1) & m->mask) {
			struct cm__map_slot *s = &m->slots[i];
			if (!s->key)
				break;
			if (s->hash == h && strcmp(s->key, key) == 0) {
				s->value = value;
				return 0;
			}
		}
	}
	uint32_t cap = m->slots ? m->mask + 1 : 0;
	if ((uint64_t)(m->count + 1) * 2 > cap) {
		uint64_t ncap = cap ? (uint64_t)cap * 2 : 16;
		if (ncap > (1u << 31))
			return -1;
		struct cm__map_slot *ns =
			cm__zalloc(owner, (size_t)ncap * sizeof(*ns), "cm_map");
		if (!ns)
			return -1;
		for (uint32_t i = 0; i < cap; i++)
			if (m->slots[i].key)
				put_slot(ns, (uint32_t)ncap - 1, m->slots[i].key,
					 m->slots[i].value, m->slots[i].hash);
		cm__free(m->slots);
		m->slots = ns;
		m->mask = (uint32_t)ncap - 1;
	}
	put_slot(m->slots, m->mask, key, value, h);
	m->count++;
	return 0;
}
