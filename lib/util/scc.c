/*
 * Tarjan's strongly connected components, iteratively (scc.h).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <stdbool.h>

#include "util/alloc.h"
#include "util/scc.h"

int64_t cm__scc(const void *tmp, uint32_t n, const uint32_t *off,
		const uint32_t *dst, uint32_t *comp)
{
	void *ctx = cm__ctx_new(tmp, "cm_scc");
	if (!ctx)
		return -1;
	size_t m = (size_t)n + 1;
	uint32_t *idx = cm__realloc(ctx, NULL, sizeof(*idx), m, "cm_scc");
	uint32_t *low = cm__realloc(ctx, NULL, sizeof(*low), m, "cm_scc");
	uint32_t *stk = cm__realloc(ctx, NULL, sizeof(*stk), m, "cm_scc");
	uint32_t *cv = cm__realloc(ctx, NULL, sizeof(*cv), m, "cm_scc");
	uint32_t *ce = cm__realloc(ctx, NULL, sizeof(*ce), m, "cm_scc");
	bool *on = cm__zalloc(ctx, m * sizeof(*on), "cm_scc");
	if (!idx || !low || !stk || !cv || !ce || !on) {
		cm__free(ctx);
		return -1;
	}
	const uint32_t NONE = UINT32_MAX;
	for (uint32_t v = 0; v < n; v++)
		idx[v] = comp[v] = NONE;
	uint32_t next = 0, sp = 0, ncomp = 0;
	for (uint32_t root = 0; root < n; root++) {
		if (idx[root] != NONE)
			continue;
		/* cv/ce: the call stack (node, its next edge) */
		uint32_t top = 0;
		cv[top] = root;
		ce[top] = off[root];
		idx[root] = low[root] = next++;
		stk[sp++] = root;
		on[root] = true;
		for (;;) {
			uint32_t v = cv[top];
			if (ce[top] < off[v + 1]) {
				uint32_t w = dst[ce[top]++];
				if (idx[w] == NONE) {
					idx[w] = low[w] = next++;
					stk[sp++] = w;
					on[w] = true;
					top++;
					cv[top] = w;
					ce[top] = off[w];
				} else if (on[w] && idx[w] < low[v]) {
					low[v] = idx[w];
				}
				continue;
			}
			if (low[v] == idx[v]) {
				uint32_t w;
				do {
					w = stk[--sp];
					on[w] = false;
					comp[w] = ncomp;
				} while (w != v);
				ncomp++;
			}
			if (top == 0)
				break;
			top--;
			uint32_t u = cv[top];
			if (low[v] < low[u])
				low[u] = low[v];
		}
	}
	cm__free(ctx);
	return ncomp;
}
