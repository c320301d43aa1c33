/*
 * The internal model: what an agreement is made of once parsed or built.
 *
 * Data flows one way (docs/architecture.md): text (lib/syntax/) or the
 * builder API (model.c, condition.c; lib/build.c for snippets) -> this
 * model -> validation (lib/check/) -> evaluation (lib/eval/), monitoring
 * (lib/monitor/), analysis (lib/analysis/) -> reports. This header holds
 * the model only: the parser's interface is syntax/syntax.h, the
 * checker's check/resolve.h, the spellings model/names.h.
 *
 * Every node lives in the arena of its agreement, policy or document, so
 * freeing an agreement frees all it owns. References by id (debtor, to,
 * signed by, state atoms, ...) are stored as names with the position of
 * the token that named them; check/resolve.c fills in the pointers.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_MODEL_H
#define CM_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <commitments/commitments.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/map.h"
#include "util/time.h"

/** A reference by id, with the position of the token that names it. */
struct cm__name {
	const char *s;
	struct cm__pos pos;
};

/** A list of names (arena-backed). */
struct cm__names {
	struct cm__name *v;
	uint32_t n, cap;
};

/** How an attribute value was written (for the canonical writer). */
enum cm__vkind { CM__V_ID, CM__V_STRING, CM__V_NUMBER, CM__V_DATE };

struct cm__attr {
	const char *name;
	const char *value; /* unescaped text: values compare as text; for a
			      comparison, the bound's text (a number) */
	uint8_t vkind;     /* enum cm__vkind */
	uint8_t cmp;       /* CM__ATTR_EQ, or enum cm_cmp + 1: `name: > 3.67`
			      (SPEC §8.5; patterns only, never events) */
	struct cm__pos pos;
};

/** An attribute that names a value (not a comparison). */
#define CM__ATTR_EQ 0

/** `type(name: value, ...)` — a pattern (in a clause or condition) or an
 *  event's action. */
struct cm__action {
	const char *type;
	struct cm__attr *attrs;
	uint32_t nattrs;
	struct cm__pos pos;
};

/** A condition node. enum cm_cond_type in @c type. */
struct cm_condition {
	uint8_t type;
	uint8_t cmp;   /* CM_CT_COUNT: enum cm_cmp */
	uint8_t which; /* CM_CT_STATE: enum cm_state; CM_CT_FORM: enum cm_form_atom */
	bool used;     /* attached somewhere already (builder API) */
	uint32_t depth; /* 1 for a leaf */
	struct cm__pos pos;
	/* CM_CT_NOT (1 kid), CM_CT_AND / CM_CT_OR (>= 2 kids, flattened) */
	struct cm_condition **kids;
	uint32_t nkids;
	/* CM_CT_ACTION, CM_CT_COUNT */
	struct cm__action act;
	int64_t window; /* minutes; -1 = no window */
	int64_t n;      /* CM_CT_COUNT bound */
	/* CM_CT_STATE, CM_CT_FORM, CM_CT_BREACHED, CM_CT_BREACHES (these two
	 * use cmp, n and window too) */
	struct cm__name ref;
	struct cm_commitment *target; /* resolved */
};

/** Does atom type @p t name a commitment whose state or breaches it
 *  reads (state, breached, breaches)? These are the guard-cycle edges. */
static inline bool cm__is_ref_atom(int t)
{
	return t == CM_CT_STATE || t == CM_CT_BREACHED || t == CM_CT_BREACHES;
}

/** The deepest condition accepted anywhere (parser: nesting of
 *  parentheses and `not`; builder and parser: node depth). */
enum { CM__MAX_COND_DEPTH = 256 };

/** An `if` / `while` / `unless` item. */
struct cm__cond_item {
	struct cm_condition *cond;
	struct cm__pos pos; /* the keyword */
};

struct cm__cond_items {
	struct cm__cond_item *v;
	uint32_t n, cap;
};

/** A signature / ratification: one party, optional date. */
struct cm__sig {
	struct cm__name party;
	cm_time on; /* CM_TIME_NONE when absent */
	const struct cm_party *p; /* resolved */
};

struct cm__sigs {
	struct cm__sig *v;
	uint32_t n, cap;
};

struct cm_party {
	const char *id;
	const char *name;
	uint8_t role; /* enum cm_role */
	uint8_t kind; /* enum cm_kind */
	bool signed_text; /* resolved: named in the agreement's `signed by` */
	bool ratified;    /* resolved: named in `ratified by` */
	uint32_t index;
	struct cm__pos pos; /* the id token */
};

struct cm_commitment {
	struct cm_agreement *agreement;
	const char *id;
	uint32_t index;
	struct cm__pos pos; /* the id token after `commitment` */

	struct cm__name debtor;
	const struct cm_party *debtor_p; /* resolved */
	uint8_t modality;                 /* enum cm_modality */
	struct cm__pos modality_pos;      /* `must` / `may` */

	bool is_action;
	struct cm__action action; /* when is_action */
	const char *text;         /* when !is_action (free text) */
	struct cm__pos content_pos;

	cm_time by;        /* `by DATE` as the inclusive last minute, or NONE */
	int64_t within;    /* `within N` minutes, or -1 */
	struct cm__pos deadline_pos; /* the `by` / `within` keyword */

	struct cm__names to;
	const struct cm_party **creditors; /* resolved: `to`, or every other
					      party-role party */
	uint32_t ncreditors;

	struct cm__cond_items ifs, whiles, unlesses;
	struct cm__names reciprocal;
	struct cm_commitment **recip; /* resolved, reciprocal.n entries */

	cm_time from;  /* start of day / exact time, or NONE */
	cm_time until; /* inclusive last minute, or NONE */
	struct cm__pos from_pos, until_pos;

	uint8_t form; /* enum cm_form, as declared */
	struct cm__pos form_pos;

	struct cm__sigs sigs;
	struct cm__names witnesses;

	uint8_t standing; /* enum cm_standing */
	bool standing_set;
	struct cm__names standing_by; /* proposed by / rejected by */
	struct cm__pos standing_pos;

	const char **notes;
	uint32_t nnotes, notes_cap;

	/* For the canonical writer (format.c); filled by the parser, zero /
	 * NULL for a commitment built in code. */
	struct cm__pos *note_pos; /* the `note` keyword of each note */
	uint32_t note_pos_cap;
	struct cm__pos end;       /* the closing `}` */

	/* 0.2 (kept last: the fields above keep 0.1's places, which the
	 * monitor's hot loops read) */
	/* `reciprocal refs within N` (SPEC §8.4, one such item): the refs
	 * reciprocal.v[recip_win_first .. + recip_win_n] carry window
	 * recip_window (minutes; -1: none) */
	int64_t recip_window;
	uint32_t recip_win_first, recip_win_n;
	struct cm__pos recip_win_pos; /* its `within` keyword */
	/* `proposed by` given together with `rejected by` (SPEC §8.1: the
	 * standing is then rejected and standing_by the rejecting parties) */
	struct cm__names proposed_also;
	struct cm__pos proposed_pos;
};

/*
 * Loops over every commitment of a large agreement are bound by memory
 * (the model is far bigger than the caches): they ask for the commitment
 * a few steps ahead, and for what it points to one step nearer, with
 * these hints (no effect on the results).
 */
enum { CM__AHEAD = 8 };

/** Hint that commitment @p c (its whole struct) will be read soon. */
static inline void cm__prefetch_commitment(const struct cm_commitment *c)
{
	const char *p = (const char *)c;
	for (size_t off = 0; off < sizeof(*c); off += 64)
		__builtin_prefetch(p + off);
}

/** Hint that @p p will be read soon (NULL is fine). */
static inline void cm__prefetch(const void *p)
{
	__builtin_prefetch(p);
}

/** Requirement rules. */
enum cm__rule_kind {
	CM__RULE_WRITTEN,
	CM__RULE_SIGNED,
	CM__RULE_WITNESSED,
	CM__RULE_RATIFIED,
	CM__RULE_REGISTERED,
	CM__RULE_DATED,
	CM__RULE_VERIFIABLE,
	CM__RULE_PARTIES,
	CM__RULE_USE /* an unresolved `use` (agreements only, before resolve) */
};

/** `who` of signed / witnessed / ratified. */
enum cm__who {
	CM__WHO_DEBTOR,
	CM__WHO_CREDITOR,
	CM__WHO_ALL_PARTIES,
	CM__WHO_ANY_MEDIATOR,
	CM__WHO_IDS
};

enum cm__selector {
	CM__SEL_ALL,
	CM__SEL_OBLIGATIONS,
	CM__SEL_PROHIBITIONS,
	CM__SEL_PERMISSIONS,
	CM__SEL_ID
};

struct cm__rule {
	uint8_t kind;     /* enum cm__rule_kind */
	uint8_t who;      /* enum cm__who */
	uint8_t selector; /* enum cm__selector */
	bool has_for;     /* a `for` was written */
	struct cm__names ids;   /* CM__WHO_IDS */
	uint8_t *kinds;         /* CM__RULE_PARTIES: enum cm_kind values */
	uint32_t nkinds;
	struct cm__name sel_id; /* CM__SEL_ID */
	struct cm__name use;    /* CM__RULE_USE: the policy name */
	struct cm__pos pos;     /* the `require` (or `use`) keyword */
	struct cm__pos for_pos; /* the `for` keyword */
	const char *policy;     /* NULL: the agreement's own `require` */
	uint32_t line;          /* line of the `require` / `use`; 0 = none */
	uint32_t use_seq;       /* the `use` that brought it in, counted from
				 * 1 per agreement; 0 = its own `require` */
};

struct cm__rules {
	struct cm__rule *v;
	uint32_t n, cap;
};

struct cm_event {
	cm_time time;
	struct cm__action act;
	const char *note; /* NULL when absent */
	struct cm__names reported, denied, verified;
	const char *file; /* source file name, NULL when built in code */
	uint32_t line;
	struct cm__pos pos;
};

struct cm__events {
	struct cm_event *v;
	uint32_t n, cap;
};

struct cm__top;

struct cm_agreement {
	struct cm__arena arena;
	const char *id;
	const char *title;
	const char *file; /* NULL when built in code */
	struct cm__pos pos;

	cm_time date; /* start of day, or NONE */
	struct cm__pos date_pos;

	struct cm_party **parties;
	uint32_t nparties, parties_cap;
	struct cm_commitment **commitments;
	uint32_t ncommitments, commitments_cap;
	struct cm__map ids; /* party and commitment ids -> struct cm__id_entry */
	struct cm__map party_ids; /* party ids -> struct cm_party: the same
				     parties as in @c ids, in a map small
				     enough to stay in the caches */

	struct cm__sigs sigs;          /* `signed by` (the text) */
	struct cm__sigs ratifications; /* `ratified by` */
	bool registered;
	cm_time registered_on;
	struct cm__pos registered_pos;

	struct cm__rules rules; /* `require` and `use`, in source order */
	struct cm__events events; /* the agreement's own events blocks */

	bool validated;

	/* For the canonical writer (format.c); filled by the parser. */
	struct cm__pos end;       /* the closing `}` */
	struct cm__top *blocks;   /* its events blocks (kind CM__TOP_EVENTS) */
	uint32_t nblocks, blocks_cap;
};

/** What an id names in an agreement's namespace. */
struct cm__id_entry {
	bool is_party;
	union {
		struct cm_party *party;
		struct cm_commitment *commitment;
	} u;
};

struct cm_policy {
	struct cm__arena arena;
	const char *id;
	const char *title;
	const char *file;
	struct cm__pos pos;
	struct cm__pos id_pos; /* its id (duplicate-name errors, document.c) */
	struct cm__rules rules;
	bool builtin;
	struct cm__pos end; /* the closing `}` (format.c) */
};

/** A comment kept for the canonical writer: `# ...` text without the
 *  newline, and where it stood. */
struct cm__comment {
	const char *text;
	const char *file;
	struct cm__pos pos;
	bool own_line; /* nothing but blanks before it on its line */
};

/** Top-level items in source order (for the canonical writer). */
enum cm__top_kind { CM__TOP_AGREEMENT, CM__TOP_POLICY, CM__TOP_EVENTS,
		   CM__TOP_IMPORT /* a mapping (lib/import-parse.c) */ };
struct cm__top {
	uint8_t kind;
	uint32_t index; /* agreements / policies: index; events: first event */
	uint32_t count; /* events: how many events the block holds */
	const char *file;
	struct cm__pos pos;
	struct cm__pos end; /* the closing `}` (format.c) */
};

struct cm_document {
	struct cm__arena arena;    /* top-level events, file names, comments */
	struct cm_agreement **agreements;
	uint32_t nagreements, agreements_cap;
	struct cm_policy **policies;
	uint32_t npolicies, policies_cap;
	struct cm__map policy_ids; /* policy id -> struct cm_policy */
	struct cm__events events;  /* top-level events blocks */
	struct cm_policy **builtins; /* shipped policies, loaded by
					cm_document_resolve (once) */
	uint32_t nbuiltins;
	struct cm_document *builtins_doc; /* their talloc parent */
	struct cm__comment *comments;
	uint32_t ncomments, comments_cap;
	struct cm__top *tops;
	uint32_t ntops, tops_cap;
	struct cm_mapping **mappings; /* `import` blocks (docs/import.md) */
	uint32_t nmappings, mappings_cap;
};

/* ---- model (model.c, lists.c): the builder used by the parser and the API */
/*
 * Internal adders take the source position of the token they concern and
 * report errors there (file = the agreement's file). The public builder
 * functions call them with position 0.
 */
int cm__agreement_create(void *mem_ctx, const char *id, const char *file,
			 struct cm__pos pos, struct cm_agreement **out,
			 cm_error *err);
int cm__agreement_party(struct cm_agreement *a, const char *id,
			const char *name, int role, int kind,
			struct cm__pos pos, struct cm_party **out,
			cm_error *err);
int cm__agreement_commitment(struct cm_agreement *a, const char *id,
			     struct cm__pos pos, struct cm_commitment **out,
			     cm_error *err);
/** Is @p id one of the names no party or commitment may take? */
bool cm__reserved_id(const char *id);
/** Is @p s a valid identifier? */
bool cm__valid_id(const char *s);
/** Look up an id in the agreement's namespace. */
struct cm_party *cm__find_party(const struct cm_agreement *a, const char *id);
struct cm_commitment *cm__find_commitment(const struct cm_agreement *a,
					  const char *id);

/* list helpers: return 0 or -1 (out of memory) */
int cm__names_add(struct cm__arena *ar, struct cm__names *l, const char *s,
		  struct cm__pos pos);
int cm__sigs_add(struct cm__arena *ar, struct cm__sigs *l, const char *party,
		 struct cm__pos pos, cm_time on);
/** CM_OK when node @p n lies in the arena of @p c's agreement, else
 *  CM_EINVAL with a message (a node made for another agreement's
 *  commitment; condition.c). */
int cm__cond_node_home(const struct cm_commitment *c,
		       const struct cm_condition *n, cm_error *err);
int cm__cond_items_add(struct cm__arena *ar, struct cm__cond_items *l,
		       struct cm_condition *c, struct cm__pos pos);
int cm__rules_add(struct cm__arena *ar, struct cm__rules *l,
		  const struct cm__rule *r);
/** Deep-copy @p r into arena @p ar (names, kinds). */
int cm__rule_copy(struct cm__arena *ar, struct cm__rule *dst,
		  const struct cm__rule *src);
int cm__events_add(struct cm__arena *ar, struct cm__events *l,
		   const struct cm_event *e);
/** Deep-copy an action into @p ar. */
int cm__action_copy(struct cm__arena *ar, struct cm__action *dst,
		    const struct cm__action *src);

/* ---- condition nodes (condition.c) --------------------------------- */

/** A new leaf node of @p type in @p c's agreement (window -1, depth 1). */
int cm__condition_node(cm_commitment *c, int type, struct cm_condition **out,
		       cm_error *err);
/** A copy of action @p src in @p ar without any position (the builder's
 *  copy of a parsed snippet). 0, or -1 when out of memory (@p dst is then
 *  untouched). */
int cm__action_adopt(struct cm__arena *ar, struct cm__action *dst,
		     const struct cm__action *src);
/** A deep copy of condition @p src in @p ar without any position and
 *  unresolved. 0, or -1 when out of memory. */
int cm__condition_adopt(struct cm__arena *ar, const struct cm_condition *src,
			struct cm_condition **out);

/** A new policy with its own arena. */
int cm__policy_create(void *mem_ctx, const char *id, const char *title,
		      const char *file, struct cm__pos pos,
		      struct cm_policy **out, cm_error *err);

/** The effective form of a commitment (SPEC §3): CM_FORM_VERBAL or
 *  CM_FORM_WRITTEN. */
int cm__effective_form(const struct cm_commitment *c);
/** Is the commitment signed by party @p p (SPEC §3)? Needs a resolved
 *  agreement (cm__agreement_resolve sets the parties' signed_text). */
bool cm__signed_by(const struct cm_commitment *c, const struct cm_party *p);

#endif
