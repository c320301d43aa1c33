/*
 * The canonical writer's tree of output lines, private to the syntax
 * layer: format.c builds it from the model (step 1), format-layout.c
 * attaches the comments to it and renders it (steps 2 and 3; see the top
 * of format.c).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_SYNTAX_FORMAT_TREE_H
#define CM_SYNTAX_FORMAT_TREE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"

struct clist {
	const struct cm__comment **v;
	uint32_t n, cap;
};

/* An anchor of a node's kid, for the comment search. */
struct anchor {
	struct cm__pos pos;
	uint32_t kid;
};

struct fnode {
	const char *text;  /* the line; for a block, the header without " {" */
	const char *file;  /* roots: the source file */
	bool block;
	bool blank;        /* a blank line before it (not before a first kid) */
	struct cm__pos end; /* blocks: the closing `}`; 0 = unknown */
	struct cm__pos *anch;
	uint32_t nanch, canch;
	struct fnode **kids;
	uint32_t nkids, ckids;
	struct anchor *idx; /* the kids' anchors, sorted (built on demand) */
	uint32_t nidx;
	bool indexed;
	struct clist before;   /* own-line comments before it */
	struct clist trailing; /* end-of-line comments on its (header) line */
	struct clist inner;    /* blocks and roots: at the end of the block */
	struct clist close;    /* blocks: end-of-line comments after `}` */
};

struct fmt {
	struct cm__arena ar;
	struct cm__buf lb; /* the line being built */
	int rc;            /* first error */
	cm_error *err;
};

static inline void cm__fmt_nomem(struct fmt *f)
{
	if (f->rc == CM_OK)
		f->rc = cm__enomem(f->err);
}

static inline void *cm__fmt_grow(struct fmt *f, void *v, size_t elsize,
				 uint32_t n, uint32_t *cap)
{
	void *nv = cm__arena_grow(&f->ar, v, elsize, n, cap);
	if (!nv)
		cm__fmt_nomem(f);
	return nv;
}

/* Step 1 (format.c): the nodes of an agreement, a policy, an events
 * block under @p parent (errors go to f->rc). */
struct fnode *cm__fmt_agreement(struct fmt *f, struct fnode *parent,
				const struct cm_agreement *a);
void cm__fmt_policy(struct fmt *f, struct fnode *parent,
		    const struct cm_policy *p);
struct cm_mapping;
void cm__fmt_mapping(struct fmt *f, struct fnode *parent,
		     const struct cm_mapping *m);
struct fnode *cm__fmt_events_block(struct fmt *f, struct fnode *parent,
				   const struct cm__events *ev,
				   uint32_t first, uint32_t count,
				   struct cm__pos pos, struct cm__pos end);

/* One piece of the canonical text, for inspect.h (format.c): @p p is a
 * struct cm_condition, a struct cm__rule (written without `require `; an
 * unresolved `use` as `use NAME`) or a struct cm_commitment's content.
 * A new string under @p mem_ctx in *out; untouched on error. */
enum cm__fmt_piece { CM__PIECE_CONDITION, CM__PIECE_RULE, CM__PIECE_CONTENT };
int cm__fmt_piece(void *mem_ctx, enum cm__fmt_piece what, const void *p,
		  char **out, cm_error *err);

/* The writer's line primitives (format.c), shared with import-format.c:
 * append @p s to the line being built; turn the line into a node under
 * @p parent (a block when @p block); anchor a node at a source position
 * for the comment search. */
void cm__fmt_put(struct fmt *f, const char *s);
struct fnode *cm__fmt_emit(struct fmt *f, struct fnode *parent, bool block);
void cm__fmt_anchor(struct fmt *f, struct fnode *n, struct cm__pos pos);

#endif
