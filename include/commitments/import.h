/*
 * libcommitments — importing conflict-event datasets (ACLED, UCDP GED).
 *
 * A mapping (an `import` block of the .cmt language, docs/import.md)
 * says how the rows of a dataset's CSV export become events. An import
 * reads one or more CSV files through a mapping, row by row in constant
 * memory, and yields events in file order; each event knows the CSV file
 * and line of the row it came from. A monitor can take an import as one
 * of its sources (cm_monitor_add_import): the run then sorts the mapped
 * events by time, and every cause names the dataset row.
 *
 *     cm_mapping *map;
 *     cm_import *imp;
 *     cm_mapping_parse_file(ctx, "istanbul.map", &map, &err);
 *     cm_import_new(ctx, map, &imp, &err);
 *     cm_import_add_file(imp, "acled.csv", &err);
 *     while ((rc = cm_import_next(imp, &err)) > 0)
 *             if (rc == CM_IMPORT_EVENT)
 *                     puts(cm_import_event_text(imp));
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef COMMITMENTS_IMPORT_H
#define COMMITMENTS_IMPORT_H

#include <commitments/common.h>
#include <commitments/error.h>
#include <commitments/monitor.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A parsed mapping (one `import` block). */
typedef struct cm_mapping cm_mapping;
/** A reader of CSV rows through a mapping. */
typedef struct cm_import cm_import;

/** The datasets a mapping can be written for. */
enum cm_import_format {
	CM_IMPORT_ACLED = 1, /**< ACLED's CSV export */
	CM_IMPORT_UCDP = 2   /**< UCDP GED's CSV release */
};

/** What cm_import_next() found (positive: not an error). */
enum cm_import_step {
	CM_IMPORT_END = 0,   /**< no more rows */
	CM_IMPORT_EVENT = 1, /**< a row became the current event */
	CM_IMPORT_SKIP = 2   /**< a row could not be mapped and was skipped;
				  the error says which line and why */
};

/** Counters of cm_import_count(). */
enum cm_import_counter {
	CM_IMPORT_ROWS = 0,       /**< data rows read (header not counted) */
	CM_IMPORT_EVENTS = 1,     /**< rows that became events */
	CM_IMPORT_DROPPED = 2,    /**< rows a `drop` item dropped */
	CM_IMPORT_UNMATCHED = 3,  /**< rows no `when` rule matched */
	CM_IMPORT_SKIPPED = 4,    /**< rows that could not be mapped */
	CM_IMPORT_DUPLICATES = 5  /**< rows identical to an earlier kept row */
};

/** Static name of a format ("acled", "ucdp"), NULL when unknown. */
CM_EXPORT const char *cm_import_format_name(int format);

/**
 * @brief Parse a mapping: a text holding exactly one `import` block
 * (comments allowed around it). A `.cmt` document may also hold `import`
 * blocks beside its agreements: see cm_document_mapping().
 *
 * Errors carry @p file (may be NULL), line and column, like every error
 * of the .cmt language. The mapping is owned by @p mem_ctx and is
 * immutable: several imports (and threads) may share it.
 * @return CM_OK, CM_EINVAL (NULL argument), CM_ESYNTAX, CM_ESEMANTIC
 *         (unknown column, undeclared party, ...), CM_ELIMIT, CM_ENOMEM.
 */
CM_EXPORT int cm_mapping_parse(void *mem_ctx, const char *text, size_t len,
			       const char *file, cm_mapping **out,
			       cm_error *err);
/** As cm_mapping_parse() on the contents of the file @p path (errors name
 *  it); CM_EIO when it cannot be read. */
CM_EXPORT int cm_mapping_parse_file(void *mem_ctx, const char *path,
				    cm_mapping **out, cm_error *err);
/** Number of `import` blocks in @p doc (a document may hold mappings
 *  beside its agreements; 0 for NULL). */
CM_EXPORT size_t cm_document_mapping_count(const cm_document *doc);
/** The i-th mapping of @p doc, in source order (borrowed: it lives as
 *  long as the document), or NULL. */
CM_EXPORT const cm_mapping *cm_document_mapping(const cm_document *doc,
						size_t i);

/** The mapping's id (borrowed). */
CM_EXPORT const char *cm_mapping_id(const cm_mapping *map);
/** enum cm_import_format of the mapping, 0 for NULL. */
CM_EXPORT int cm_mapping_format(const cm_mapping *map);

/**
 * @brief A new import through @p map (borrowed: it must outlive the
 * import), owned by @p mem_ctx, with no input yet.
 * @return CM_OK, CM_EINVAL, CM_ENOMEM.
 */
CM_EXPORT int cm_import_new(void *mem_ctx, const cm_mapping *map,
			    cm_import **out, cm_error *err);
/**
 * @brief Add a CSV file to read after those added before. It is opened
 * when the import reaches it. Identical rows are dropped across all the
 * inputs of one import.
 * @return CM_OK, CM_EINVAL (NULL, or the import has started), CM_ENOMEM.
 */
CM_EXPORT int cm_import_add_file(cm_import *imp, const char *path,
				 cm_error *err);
/** As cm_import_add_file() for CSV text in memory (borrowed until the
 *  import ends); @p name (NULL: "<csv>") names it in events and errors. */
CM_EXPORT int cm_import_add_memory(cm_import *imp, const char *data,
				   size_t len, const char *name,
				   cm_error *err);
/**
 * @brief Strict mode: a row that cannot be mapped is an error
 * (CM_ESEMANTIC at its line) instead of CM_IMPORT_SKIP. Before the first
 * cm_import_next() only.
 * @return CM_OK, CM_EINVAL.
 */
CM_EXPORT int cm_import_set_strict(cm_import *imp, int strict);

/**
 * @brief Read rows until one becomes an event, one must be skipped, or
 * the input ends.
 *
 * Rows a `drop` item drops, rows no rule matches and duplicate rows are
 * passed over and counted. On CM_IMPORT_SKIP, @p err (when not NULL) holds
 * code CM_ESEMANTIC, the file, the row's first line, column 1, and why;
 * the next call goes on with the next row. On an error (malformed CSV that
 * cannot be resynchronised: an unbalanced quote, a field past the limit;
 * a missing column in the header; I/O) the import is finished: later
 * calls return the same status.
 * @return CM_IMPORT_EVENT, CM_IMPORT_SKIP, CM_IMPORT_END, or CM_EINVAL,
 *         CM_EIO, CM_ESYNTAX (malformed CSV), CM_ESEMANTIC (missing
 *         column; strict mode), CM_ELIMIT (a field longer than 1 MiB or a
 *         row wider than 4096 fields), CM_ENOMEM.
 */
CM_EXPORT int cm_import_next(cm_import *imp, cm_error *err);

/* The current event (after cm_import_next() returned CM_IMPORT_EVENT).
 * Strings are borrowed and valid until the next cm_import_next();
 * out-of-range indexes return NULL. */
CM_EXPORT cm_time cm_import_event_time(const cm_import *imp);
CM_EXPORT const char *cm_import_event_type(const cm_import *imp);
CM_EXPORT size_t cm_import_event_attr_count(const cm_import *imp);
CM_EXPORT const char *cm_import_event_attr_name(const cm_import *imp,
						size_t i);
/** The value's text (a party id, a number, or free text). */
CM_EXPORT const char *cm_import_event_attr_value(const cm_import *imp,
						 size_t i);
CM_EXPORT size_t cm_import_event_reported_count(const cm_import *imp);
CM_EXPORT const char *cm_import_event_reported(const cm_import *imp,
					       size_t i);
CM_EXPORT size_t cm_import_event_verified_count(const cm_import *imp);
CM_EXPORT const char *cm_import_event_verified(const cm_import *imp,
					       size_t i);
/** The CSV file (its name as added) of the current row. */
CM_EXPORT const char *cm_import_event_file(const cm_import *imp);
/** The line in that file where the current row starts (the header is
 *  line 1), 0 when there is no current event. */
CM_EXPORT int64_t cm_import_event_line(const cm_import *imp);
/** The current event as a bare event line of the .cmt language (the
 *  syntax of an events file), without a newline. */
CM_EXPORT const char *cm_import_event_text(const cm_import *imp);

/** One of the counters (enum cm_import_counter); 0 when out of range. */
CM_EXPORT uint64_t cm_import_count(const cm_import *imp, int counter);

/**
 * @brief The first row skipped so far: copies its error (file, line,
 * reason) into @p out (may be NULL) and returns 1; returns 0 when no row
 * was skipped (or @p imp is NULL).
 */
CM_EXPORT int cm_import_first_skip(const cm_import *imp, cm_error *out);

/**
 * @brief Register @p imp as a source of cm_monitor_run(), ranked after
 * the sources added before it. The run reads every row (rows that cannot
 * be mapped are skipped and counted, or fail the run in strict mode),
 * sorts the events by time (equal times keep their reading order), and
 * applies them; causes name the CSV file and the row's line. The import
 * must not have started; it is borrowed until the run ends and is used
 * up by it (its counters stay readable): when the run fails, running the
 * monitor again fails with CM_EINVAL (a new monitor and import are
 * needed), rather than running without the rows.
 * @return CM_OK, CM_EINVAL (NULL, an import that has started, a monitor
 *         that has run or been fed), CM_ENOMEM.
 */
CM_EXPORT int cm_monitor_add_import(cm_monitor *m, cm_import *imp,
				    cm_error *err);

#ifdef __cplusplus
}
#endif
#endif
