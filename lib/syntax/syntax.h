/*
 * The syntax layer's interface to the layers above it: texts in, model
 * out. The parser reads what a text says and returns it; it knows
 * nothing of documents, runs or the shipped policies (the document layer,
 * document.c, checks names across a run and commits a parsed text into
 * its document). The canonical writer (format.c) goes the other way; its
 * interface is the public one (commitments/format.h).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_SYNTAX_H
#define CM_SYNTAX_H

#include <stdbool.h>
#include <stddef.h>

#include "model/model.h"

/** A comment as the parser found it: a slice of the text (borrowed: valid
 *  while the text is), without the newline. */
struct cm__parsed_comment {
	const char *s;
	size_t len;
	struct cm__pos pos;
	bool own_line;
};

struct cm_mapping;

/**
 * What one text holds, in source order. One talloc object: free it with
 * cm__free(); everything below is its child (agreements and policies are
 * moved out of it with cm__steal() to keep them). Comments point into the
 * parsed text.
 */
struct cm__parsed {
	struct cm_agreement **agreements;
	uint32_t nagreements;
	struct cm_policy **policies; /* each with its id position (id_pos) */
	uint32_t npolicies;
	struct cm__events events; /* top-level events blocks; file NULL */
	const struct cm__parsed_comment *comments;
	uint32_t ncomments;
	/* top-level items: indexes into the arrays above (events: the first
	 * event of the block); file NULL */
	const struct cm__top *tops;
	uint32_t ntops;
	struct cm_mapping **mappings; /* `import` blocks (docs/import.md) */
	uint32_t nmappings;
};

/**
 * Parse a whole text (agreements, policies, events; SPEC §2) into a new
 * result under @p mem_ctx. Names are checked within each agreement only:
 * duplicate or shipped policy names are the document layer's check.
 * CM_ESYNTAX, CM_ESEMANTIC, CM_ELIMIT, CM_ENOMEM at the offending token
 * (file = @p file); on error nothing is left allocated.
 */
int cm__parse_text(void *mem_ctx, const char *text, size_t len,
		   const char *file, struct cm__parsed **out, cm_error *err);

/** Parse exactly one action pattern into arena @p ar (parse-cond.c). */
int cm__parse_action(struct cm__arena *ar, const char *text, size_t len,
		     struct cm__action *out, cm_error *err);
/** Parse exactly one condition (the `cond` production) into @p ar
 *  (parse-cond.c). */
int cm__parse_condition(struct cm__arena *ar, const char *text, size_t len,
			struct cm_condition **out, cm_error *err);
/** Parse a rule text ("signed by debtor") and optional selector text into
 *  @p out (in @p ar) (parse-rule.c). */
int cm__parse_rule(struct cm__arena *ar, const char *rule, const char *sel,
		   struct cm__rule *out, cm_error *err);

/*
 * Streaming events source (events.c): reads bare event lines (the inside
 * of an `events` block) from a file or a memory buffer, one event at a
 * time, without holding the source in memory. Times must not decrease
 * within the source (CM_EORDER at the offending event otherwise).
 */
struct cm__event_reader;
/** Open @p path for reading; the reader is owned by @p mem_ctx and closes
 *  its file when freed. CM_EIO when the file cannot be opened. */
int cm__event_reader_open(void *mem_ctx, const char *path,
			  struct cm__event_reader **out, cm_error *err);
/** Read from memory (borrowed: must outlive the reader). */
int cm__event_reader_memory(void *mem_ctx, const char *text, size_t len,
			    const char *file, struct cm__event_reader **out,
			    cm_error *err);
/**
 * The next event: returns 1 and sets *ev (valid until the next call, owned
 * by the reader), 0 at the end, or a negative status with @p err filled
 * (file, line, column of the offending token).
 */
int cm__event_reader_next(struct cm__event_reader *r,
			  const struct cm_event **ev, cm_error *err);

/* ---- mappings (import-parse.c, import-format.c; docs/import.md) ---- */

/** The closing `}` of a mapping (for the top-level items). */
struct cm__pos cm__mapping_end(const struct cm_mapping *m);
/** One line of a mapping in canonical form (for format.c): the first
 *  opens the block, the others are its items. */
struct cm__fmt_line {
	const char *text;
	struct cm__pos pos; /* the anchor of its comments */
};
/** The mapping's canonical lines, in @p ar. 0, or -1 out of memory. */
int cm__mapping_lines(struct cm__arena *ar, const struct cm_mapping *m,
		      struct cm__fmt_line **out, uint32_t *n);


#endif
