/*
 * The one allocation seam: talloc wrappers, the bump arena, the string
 * buffer. See alloc.h.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#define _DEFAULT_SOURCE /* madvise(MADV_HUGEPAGE) */
#include <stdio.h>
#include <string.h>
#include <talloc.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "util/alloc.h"

/*
 * Allocation-failure injection (meson -Dfault_injection=true; compiled
 * out otherwise). Test-only, per thread: the Nth allocation from now
 * fails, once or from then on. See cm__fault_inject().
 */
#ifdef CM_FAULT_INJECTION
static _Thread_local struct {
	long countdown; /* allocations left before the failure; 0 = off */
	bool persistent;
	bool failing;   /* persistent mode, after the first failure */
	long failures;
} fault;

void cm__fault_inject(long n, bool persistent)
{
	fault.countdown = n;
	fault.persistent = persistent;
	fault.failing = false;
	fault.failures = 0;
}

long cm__fault_failures(void)
{
	return fault.failures;
}

static bool fail_now(void)
{
	if (fault.failing) {
		fault.failures++;
		return true;
	}
	if (fault.countdown <= 0)
		return false;
	if (--fault.countdown > 0)
		return false;
	fault.failures++;
	fault.failing = fault.persistent;
	return true;
}
#define FAIL_NOW() fail_now()
#else
#define FAIL_NOW() false
#endif

void *cm__ctx_new(const void *parent, const char *name)
{
	if (FAIL_NOW())
		return NULL;
	return talloc_named_const(parent, 0, name);
}

void *cm__zalloc(const void *parent, size_t size, const char *name)
{
	if (FAIL_NOW())
		return NULL;
	void *p = talloc_named_const(parent, size, name);
	if (p)
		memset(p, 0, size);
	return p;
}

void *cm__realloc(const void *parent, void *ptr, size_t elsize, size_t count,
		  const char *name)
{
	if ((elsize && count > SIZE_MAX / elsize) || FAIL_NOW())
		return NULL;
	/* talloc frees the block on a resize to 0 and returns NULL, which
	 * would break the "ptr untouched on failure" contract: keep 1 byte */
	size_t size = elsize * count;
	if (size == 0)
		size = 1;
	void *p = _talloc_realloc(parent, ptr, size, name);
	return p;
}

char *cm__strndup(const void *parent, const char *s, size_t n)
{
	if (FAIL_NOW())
		return NULL;
	char *p = talloc_named_const(parent, n + 1, "string");
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *cm__strdup(const void *parent, const char *s)
{
	return cm__strndup(parent, s, strlen(s));
}

char *cm__printf(const void *parent, const char *fmt, ...)
{
	if (FAIL_NOW())
		return NULL;
	va_list ap;
	va_start(ap, fmt);
	char *p = talloc_vasprintf(parent, fmt, ap);
	va_end(ap);
	return p;
}

void *cm__steal(const void *new_parent, const void *ptr)
{
	return (void *)talloc_steal(new_parent, ptr);
}

void cm__free(void *ptr)
{
	if (ptr)
		talloc_free(ptr);
}

void cm__set_destructor(const void *ptr, int (*fn)(void *))
{
	_talloc_set_destructor(ptr, fn);
}

/* ---- arena --------------------------------------------------------- */

struct cm__arena_block {
	struct cm__arena_block *prev;
	size_t size;
	/* data follows, 16-aligned */
};

/*
 * Blocks are ARENA_BLOCK bytes until the arena has handed out BIG_AFTER
 * bytes, then BIG_BLOCK: a large model (100,000 commitments is ~85 MB)
 * takes a few big blocks, and on Linux the 2 MiB-aligned part of a big
 * block is offered to transparent huge pages, so that the kernel maps it
 * with one page fault per 2 MiB instead of one per 4 KiB (the faults were
 * a third of the time of a large parse). Small documents never get there.
 */
enum {
	ARENA_BLOCK = 64 * 1024,
	SMALL_BLOCK = 1024,
	ARENA_HDR = 16,
	BIG_AFTER = 4 * 1024 * 1024,
	BIG_BLOCK = 8 * 1024 * 1024,
	HUGE_PAGE = 2 * 1024 * 1024
};

/* Offer the huge-page-aligned part of a new block's @p n bytes at @p p to
 * transparent huge pages (a hint: no effect on the contents; ignored where
 * unsupported). */
static void huge_pages(char *p, size_t n)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
	if (n < 2 * HUGE_PAGE)
		return;
	uintptr_t lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	uintptr_t hi = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE_PAGE - 1);
	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

void cm__arena_init(struct cm__arena *ar, const void *owner)
{
	memset(ar, 0, sizeof(*ar));
	ar->owner = owner;
}

void *cm__arena_alloc_raw(struct cm__arena *ar, size_t size)
{
	/* a zero-size request still gets a unique, non-NULL pointer (a
	 * fresh arena has no current block to point into) */
	size_t need = size ? (size + 7) & ~(size_t)7 : 8;
	if (need < size)
		return NULL;
	if (need > ar->left) {
		/* Big requests get a block of their own, so a large array
		 * does not waste the rest of the current block. */
		size_t std = ar->total >= BIG_AFTER ? BIG_BLOCK : ARENA_BLOCK;
		/* A young arena grows from 1 KiB (doubling with what it
		 * holds): a policy, an event reader's scratch or a small
		 * agreement does not take 64 KiB (100,000 policies did take
		 * 6.4 GB of address space). */
		if (ar->total < ARENA_BLOCK / 2) {
			std = SMALL_BLOCK;
			while (std < 2 * ar->total)
				std *= 2;
		}
		bool own = need > std / 4;
		size_t bsize = own ? need : std;
		if (bsize > SIZE_MAX - ARENA_HDR || FAIL_NOW())
			return NULL;
		struct cm__arena_block *b =
			talloc_named_const(ar->owner, ARENA_HDR + bsize,
					   "cm_arena_block");
		if (!b)
			return NULL;
		b->size = bsize;
		char *data = (char *)b + ARENA_HDR;
		huge_pages(data, bsize);
		if (own && ar->head) {
			/* keep the current block current */
			b->prev = ar->head->prev;
			ar->head->prev = b;
			ar->total += need;
			return data;
		}
		b->prev = ar->head;
		ar->head = b;
		ar->cur = data;
		ar->left = bsize;
	}
	void *p = ar->cur;
	ar->cur += need;
	ar->left -= need;
	ar->total += need;
	return p;
}

void *cm__arena_alloc(struct cm__arena *ar, size_t size)
{
	void *p = cm__arena_alloc_raw(ar, size);
	if (p)
		memset(p, 0, size);
	return p;
}

char *cm__arena_strndup(struct cm__arena *ar, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = cm__arena_alloc_raw(ar, n + 1); /* every byte is written below */
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *cm__arena_strdup(struct cm__arena *ar, const char *s)
{
	return cm__arena_strndup(ar, s, strlen(s));
}

void *cm__arena_grow(struct cm__arena *ar, void *v, size_t elsize,
		     size_t count, uint32_t *cap)
{
	if (count < *cap)
		return v;
	uint64_t ncap = *cap ? (uint64_t)*cap * 2 : 4;
	if (ncap > UINT32_MAX || ncap > SIZE_MAX / elsize)
		return NULL;
	void *nv = cm__arena_alloc_raw(ar, (size_t)ncap * elsize);
	if (!nv)
		return NULL;
	/* the old elements are copied, only the new room is zeroed */
	if (count)
		memcpy(nv, v, count * elsize);
	memset((char *)nv + count * elsize, 0, ((size_t)ncap - count) * elsize);
	*cap = (uint32_t)ncap;
	return nv;
}

bool cm__arena_holds(const struct cm__arena *ar, const void *p, size_t size)
{
	uintptr_t a = (uintptr_t)p;
	for (const struct cm__arena_block *b = ar->head; b; b = b->prev) {
		uintptr_t lo = (uintptr_t)b + ARENA_HDR;
		if (a >= lo && a - lo <= b->size && b->size - (a - lo) >= size)
			return true;
	}
	return false;
}

/* Grow an arena array of @p count elements to hold @p extra more: exact
 * size when empty, else at least doubled. */
void *cm__arena_reserve(struct cm__arena *ar, void *v, size_t elsize,
			uint32_t count, size_t extra, uint32_t *cap)
{
	if (extra <= (size_t)(*cap - count))
		return v;
	uint64_t need = (uint64_t)count + extra;
	uint64_t ncap = count ? (uint64_t)*cap * 2 : need;
	if (ncap < need)
		ncap = need;
	if (ncap > UINT32_MAX || ncap > SIZE_MAX / elsize)
		return NULL;
	void *nv = cm__arena_alloc(ar, (size_t)ncap * elsize);
	if (!nv)
		return NULL;
	if (count)
		memcpy(nv, v, count * elsize);
	*cap = (uint32_t)ncap;
	return nv;
}

void cm__arena_reset(struct cm__arena *ar)
{
	struct cm__arena_block *keep = ar->head;
	if (!keep || keep->size > ARENA_BLOCK) {
		cm__arena_release(ar);
		return;
	}
	struct cm__arena_block *b = keep->prev;
	while (b) {
		struct cm__arena_block *prev = b->prev;
		talloc_free(b);
		b = prev;
	}
	keep->prev = NULL;
	ar->cur = (char *)keep + ARENA_HDR;
	ar->left = keep->size;
	/* the next block is at least twice the kept one: a young arena
	 * that is reset often grows its head until one round fits, then
	 * allocates nothing */
	ar->total = keep->size;
}

void cm__arena_release(struct cm__arena *ar)
{
	struct cm__arena_block *b = ar->head;
	while (b) {
		struct cm__arena_block *prev = b->prev;
		talloc_free(b);
		b = prev;
	}
	ar->head = NULL;
	ar->cur = NULL;
	ar->left = 0;
	ar->total = 0;
}

/* ---- string buffer -------------------------------------------------- */

void cm__buf_init(struct cm__buf *b, const void *owner)
{
	memset(b, 0, sizeof(*b));
	b->owner = owner;
}

static bool buf_reserve(struct cm__buf *b, size_t extra)
{
	if (b->failed)
		return false;
	if (extra > SIZE_MAX - b->len - 1) {
		b->failed = true;
		return false;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	if (need > CM__BUF_MAX) {
		b->failed = b->too_big = true;
		return false;
	}
	size_t ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap = ncap > CM__BUF_MAX / 2 ? CM__BUF_MAX : ncap * 2;
	char *d = cm__realloc(b->owner, b->data, 1, ncap, "cm_buf");
	if (!d) {
		b->failed = true;
		return false;
	}
	b->data = d;
	b->cap = ncap;
	return true;
}

void cm__buf_add(struct cm__buf *b, const char *s, size_t n)
{
	if (!buf_reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void cm__buf_puts(struct cm__buf *b, const char *s)
{
	cm__buf_add(b, s, strlen(s));
}

void cm__buf_putc(struct cm__buf *b, char c)
{
	cm__buf_add(b, &c, 1);
}

void cm__buf_vprintf(struct cm__buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	char small[256];
	int n = vsnprintf(small, sizeof(small), fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		cm__buf_add(b, small, (size_t)n);
		return;
	}
	if (!buf_reserve(b, (size_t)n))
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void cm__buf_printf(struct cm__buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cm__buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void cm__buf_json_string(struct cm__buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	if (!s) {
		cm__buf_puts(b, "null");
		return;
	}
	cm__buf_putc(b, '"');
	const char *run = s;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		const char *esc = NULL;
		char u[7];
		switch (*p) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		default:
			if (*p < 0x20) {
				u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
				u[4] = hex[*p >> 4]; u[5] = hex[*p & 15];
				u[6] = '\0';
				esc = u;
			}
		}
		if (esc) {
			cm__buf_add(b, run, (size_t)((const char *)p - run));
			cm__buf_puts(b, esc);
			run = (const char *)p + 1;
		}
	}
	cm__buf_puts(b, run);
	cm__buf_putc(b, '"');
}

int cm__buf_finish(struct cm__buf *b, void *mem_ctx, char **out)
{
	if (!b->failed && !b->data)
		buf_reserve(b, 0);
	if (b->failed) {
		int rc = b->too_big ? -2 : -1;
		cm__buf_reset(b);
		return rc;
	}
	b->data[b->len] = '\0';
	*out = cm__steal(mem_ctx, b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	return 0;
}

void cm__buf_reset(struct cm__buf *b)
{
	cm__free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = b->too_big = false;
}

int cm__u32_add_once(struct cm__arena *ar, uint32_t **v, uint32_t *n,
		     uint32_t *cap, uint32_t x)
{
	for (uint32_t j = 0; j < *n; j++)
		if ((*v)[j] == x)
			return 0;
	uint32_t *w = cm__arena_grow(ar, *v, sizeof(*w), *n, cap);
	if (!w)
		return -1;
	*v = w;
	w[(*n)++] = x;
	return 0;
}
