/*
 * The one allocation seam of libcommitments.
 *
 * Every allocation in lib/ goes through the functions below (thin wrappers
 * over talloc, plus a bump arena for model nodes), so that allocation
 * failure can be injected in one place. No other file in lib/ calls
 * talloc's allocating functions directly.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_ALLOC_H
#define CM_ALLOC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- talloc wrappers --------------------------------------------- */

/** A new empty talloc context under @p parent (NULL on failure). */
void *cm__ctx_new(const void *parent, const char *name);
/** A zeroed block of @p size bytes under @p parent, named @p name. */
void *cm__zalloc(const void *parent, size_t size, const char *name);
/** Resize @p ptr (or allocate when NULL) to @p count elements of
 *  @p elsize bytes under @p parent; overflow-checked. NULL on failure,
 *  in which case @p ptr is untouched. */
void *cm__realloc(const void *parent, void *ptr, size_t elsize, size_t count,
		  const char *name);
/** A NUL-terminated copy of @p n bytes of @p s under @p parent. */
char *cm__strndup(const void *parent, const char *s, size_t n);
char *cm__strdup(const void *parent, const char *s);
/** printf into a new string under @p parent. */
char *cm__printf(const void *parent, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/** Move @p ptr under @p new_parent (never allocates). */
void *cm__steal(const void *new_parent, const void *ptr);
/** Free @p ptr and its children; NULL is a no-op. */
void cm__free(void *ptr);
/** Install a talloc destructor (never allocates). */
void cm__set_destructor(const void *ptr, int (*fn)(void *));
/** Number of talloc blocks under @p ctx (tests, leak checks; in the
 *  internal library only: util/testing.c). */
size_t cm__block_count(const void *ctx);

#ifdef CM_FAULT_INJECTION
/** Test-only (built with -Dfault_injection=true): make the @p n-th
 *  allocation from now fail (n >= 1), only that one or, when
 *  @p persistent, every one from then on; n = 0 turns injection off.
 *  Per thread. */
void cm__fault_inject(long n, bool persistent);
/** How many allocations failed since the last cm__fault_inject(). */
long cm__fault_failures(void);
#endif

/* ---- the bump arena ---------------------------------------------- */

/*
 * Model nodes (parties, commitments, strings, condition nodes) live in an
 * arena owned by their agreement, policy or document: a chain of large
 * talloc blocks, freed with the owner. Nothing in an arena is freed on its
 * own.
 */
struct cm__arena_block;
struct cm__arena {
	const void *owner;             /* talloc parent of the blocks */
	struct cm__arena_block *head;  /* current block */
	char *cur;                     /* next free byte in head */
	size_t left;                   /* bytes left in head */
	size_t total;                  /* bytes handed out (statistics) */
};

void cm__arena_init(struct cm__arena *ar, const void *owner);
/** @p size zeroed bytes, 8-aligned; NULL on failure. */
void *cm__arena_alloc(struct cm__arena *ar, size_t size);
/** @p size bytes, 8-aligned, NOT zeroed (for an array the caller fills
 *  at once: zeroing a large one first costs a pass over it); NULL on
 *  failure. */
void *cm__arena_alloc_raw(struct cm__arena *ar, size_t size);
/** A NUL-terminated copy of @p n bytes of @p s. */
char *cm__arena_strndup(struct cm__arena *ar, const char *s, size_t n);
char *cm__arena_strdup(struct cm__arena *ar, const char *s);
/**
 * Make room for one more element in an arena-backed array: when
 * @p count == *cap, a new array of twice the capacity (at least 4) is
 * allocated and the old elements copied. Returns the (possibly new)
 * array, or NULL on failure (the old array is still valid then).
 */
void *cm__arena_grow(struct cm__arena *ar, void *v, size_t elsize,
		     size_t count, uint32_t *cap);
/** Make room for @p extra more elements in an arena-backed array of
 *  @p count: exact size when empty, else at least doubled. Returns the
 *  (possibly new) array, or NULL on failure (the old one still valid). */
void *cm__arena_reserve(struct cm__arena *ar, void *v, size_t elsize,
			uint32_t count, size_t extra, uint32_t *cap);
/** Append @p x to the arena-backed list (*v, *n, *cap) unless it is
 *  there already (a linear scan: for the short lists of dependents).
 *  0, or -1 when the list could not grow (it is unchanged then). */
int cm__u32_add_once(struct cm__arena *ar, uint32_t **v, uint32_t *n,
		     uint32_t *cap, uint32_t x);
/** Forget everything allocated but keep the current block for reuse (a
 *  scratch arena that is reset often allocates nothing in steady state).
 *  Pointers into the arena become invalid. */
void cm__arena_reset(struct cm__arena *ar);
/** Whether the @p size bytes at @p p lie in a block of @p ar (so are a
 *  talloc descendant of its owner). Walks the blocks: O(blocks). */
bool cm__arena_holds(const struct cm__arena *ar, const void *p, size_t size);
/** Free every block (the arena may be reused after cm__arena_init()). */
void cm__arena_release(struct cm__arena *ar);

/* ---- a growable string buffer (writers: JSON, text, DOT, fmt) ---- */

struct cm__buf {
	const void *owner; /* talloc parent of the data */
	char *data;        /* NUL-terminated when len > 0 or after init */
	size_t len;
	size_t cap;
	bool failed;       /* an append ran out of memory: the buffer is
			      unusable and cm__buf_finish() reports it */
	bool too_big;      /* ... because it would pass CM__BUF_MAX */
};

/** The longest string a buffer holds (talloc's largest block is 256 MiB). */
#define CM__BUF_MAX ((size_t)256 * 1024 * 1024 - 4096)

void cm__buf_init(struct cm__buf *b, const void *owner);
void cm__buf_add(struct cm__buf *b, const char *s, size_t n);
void cm__buf_puts(struct cm__buf *b, const char *s);
void cm__buf_putc(struct cm__buf *b, char c);
void cm__buf_printf(struct cm__buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cm__buf_vprintf(struct cm__buf *b, const char *fmt, va_list ap);
/** Append @p s as a JSON string literal (quotes, escapes); NULL is
 *  written as `null`. */
void cm__buf_json_string(struct cm__buf *b, const char *s);
/**
 * Finish: on success *out = the string (owned by the buffer's owner,
 * moved under @p mem_ctx) and returns 0; on failure frees the data and
 * returns -1 (out of memory) or -2 (longer than CM__BUF_MAX); see
 * cm__buf_error().
 */
int cm__buf_finish(struct cm__buf *b, void *mem_ctx, char **out);
/** Drop the contents (frees the data). */
void cm__buf_reset(struct cm__buf *b);

#endif
