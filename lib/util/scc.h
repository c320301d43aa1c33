/*
 * Strongly connected components (scc.c): the one Tarjan of the library,
 * used by the checker (cycles of `if` guards) and the analysis
 * (deadlocks).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_UTIL_SCC_H
#define CM_UTIL_SCC_H

#include <stdint.h>

/**
 * Tarjan's strongly connected components of the graph of @p n nodes whose
 * edges out of node v are dst[off[v]] .. dst[off[v + 1] - 1]. Iterative
 * (a chain of 100,000 nodes does not overflow the stack): O(n + edges)
 * time, six words of scratch per node, under a context of its own below
 * @p tmp, freed before it returns. comp[v] receives v's component number;
 * components are numbered in reverse topological order (a component is
 * numbered after every component it reaches). Returns the number of
 * components, or -1 when out of memory.
 */
int64_t cm__scc(const void *tmp, uint32_t n, const uint32_t *off,
		const uint32_t *dst, uint32_t *comp);

#endif
