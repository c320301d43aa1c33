/*
 * cmt — option parsing, help, loading the input files into one run, and
 * dispatch to the subcommands (cmd-*.c).
 *
 * Adding a subcommand takes two lines: its entry in `commands` below and
 * its source file in tools/meson.build (cmt_sources).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sys/stat.h>
#include <talloc.h>

#include "cmt.h"

/* ---- options ---------------------------------------------------------- */

enum {
	OPT_POLICY = 1 << 0,
	OPT_EVENTS = 1 << 1,
	OPT_AT = 1 << 2,
	OPT_VIEW = 1 << 3,
	OPT_JSON = 1 << 4,
	OPT_CHECK = 1 << 5,
	OPT_FORMAT = 1 << 6,
	OPT_WRITE = 1 << 7,
	OPT_DIFF = 1 << 8,
	OPT_QUIET = 1 << 9,
	OPT_PARTY = 1 << 10,
	OPT_HISTORY = 1 << 11,
	OPT_MAP = 1 << 12,
	OPT_IMPORT = 1 << 13,
	OPT_OUTPUT = 1 << 14,
	OPT_STRICT = 1 << 15,
	/* accepted by every command */
	OPT_ALWAYS = OPT_QUIET,
};

struct option {
	const char *name;
	int flag;
	const char *arg; /* metavariable, or NULL when it takes no value */
	const char *help;
	const char *short_name; /* "-x", or NULL */
};

static const struct option options[] = {
	{"--policy", OPT_POLICY, "NAME|FILE",
	 "check against this policy instead of the\n"
	 "agreement's own requirements (repeatable).\n"
	 "A value with '/' or ending in '.cmt' is a\n"
	 "file: all its policies apply, in order.\n"
	 "Else a policy of the input files or a\n"
	 "shipped one: vclt, un-registration,\n"
	 "written-only."},
	{"--events", OPT_EVENTS, "FILE",
	 "also read the event lines in FILE\n"
	 "(repeatable)"},
	{"--at", OPT_AT, "DATE",
	 "the state at DATE: YYYY-MM-DD (the end of\n"
	 "that day) or YYYY-MM-DDTHH:MM (UTC);\n"
	 "default: after the last event"},
	{"--view", OPT_VIEW, "all|verified|PARTY",
	 "which events count: all, those verified by\n"
	 "a mediator, guarantor or witness, or those\n"
	 "PARTY does not deny"},
	{"--party", OPT_PARTY, "PARTY",
	 "draw only PARTY's neighbourhood: the\n"
	 "commitments it owes, is owed, witnesses or\n"
	 "signs, what they link to, their parties"},
	{"--format", OPT_FORMAT, "text|json|jsonl",
	 "text (the default); json: one object\n"
	 "{\"schema\": 1, \"agreements\": [...]};\n"
	 "jsonl: one agreement object per line"},
	{"--json", OPT_JSON, NULL, "the same as --format json"},
	{"--history", OPT_HISTORY, NULL,
	 "also list every transition and every\n"
	 "breach of each commitment"},
	{"--check", OPT_CHECK, NULL,
	 "print nothing; exit 1 when a file is not in\n"
	 "canonical form"},
	{"--diff", OPT_DIFF, NULL,
	 "print a unified diff from each file to its\n"
	 "canonical form; exit 1 when there is one"},
	{"--write", OPT_WRITE, NULL,
	 "replace each file that is not canonical by\n"
	 "its canonical form (atomically: the\n"
	 "original stays whole if writing fails)", "-w"},
	{"--quiet", OPT_QUIET, NULL,
	 "print nothing on standard output (nor\n"
	 "fmt --check's file names): only the exit\n"
	 "code answers; errors still go to stderr", "-q"},
	{"--map", OPT_MAP, "MAPPING",
	 "the mapping (an `import` block, see\n"
	 "docs/import.md) that turns dataset rows\n"
	 "into events (repeatable: one per dataset)"},
	{"--import", OPT_IMPORT, "DATASET:CSV",
	 "also read the events of CSV, an export of\n"
	 "DATASET (acled or ucdp), through its --map\n"
	 "(repeatable)"},
	{"-o", OPT_OUTPUT, "EVENTS",
	 "write the events file EVENTS (atomically)\n"
	 "instead of standard output"},
	{"--strict", OPT_STRICT, NULL,
	 "a row that cannot be mapped is an error\n"
	 "(default: a warning, and the row skipped)"},
};
enum { NOPTIONS = sizeof(options) / sizeof(options[0]) };

/* ---- commands ----------------------------------------------------------- */

struct command {
	const char *name;
	int (*run)(void *ctx, const struct cmt_opts *o);
	int options; /* OPT_* it accepts */
	const char *summary;
	const char *help;
};

/*
 * One entry per subcommand, in the order `cmt --help` lists them: name,
 * function (declared in cmt.h, defined in cmd-NAME.c), the OPT_* it
 * accepts (any other is a usage error), a one-line summary for
 * `cmt --help`, and the text of `cmt NAME --help` (ending with what
 * exit 1 means). For instance:
 *
 *	{"status", cmt_status,
	 OPT_EVENTS | OPT_AT | OPT_VIEW | OPT_JSON | OPT_MAP | OPT_IMPORT |
	 OPT_STRICT,
 *	 "the state of each commitment after the events", "..."},
 */
static const struct command commands[] = {
	{"check", cmt_check, OPT_POLICY | OPT_JSON | OPT_FORMAT,
	 "check the documentation requirements of each agreement",
	 "Check each agreement against its documentation requirements (its\n"
	 "own `require` and `use` items, or the policies given with --policy):\n"
	 "written form, signatures, witnesses, ratification, registration,\n"
	 "dates, verifiability, kinds of parties. All input files form one\n"
	 "run: a policy defined in one is visible to agreements in all.\n"
	 "Exit 1 when any agreement fails its requirements."},
	{"status", cmt_status,
	 OPT_EVENTS | OPT_AT | OPT_VIEW | OPT_JSON | OPT_FORMAT |
	     OPT_HISTORY | OPT_MAP | OPT_IMPORT | OPT_STRICT,
	 "the state of each commitment after the events",
	 "Monitor each agreement over its events (the file's top-level and\n"
	 "the agreement's own `events` blocks, then each --events file) and\n"
	 "print every commitment's state at --at (default: the last event),\n"
	 "since when and why. --view all|verified|PARTY chooses whose account\n"
	 "of the events counts; repeat it to set views side by side.\n"
	 "--import acled:CSV --map MAPPING reads a dataset's export straight\n"
	 "through a mapping (docs/import.md); causes name the CSV row.\n"
	 "Exit 1 when an agreed commitment has had a breach in the first view."},
	{"analyze", cmt_analyze, OPT_JSON | OPT_FORMAT,
	 "find deadlocks and each party's reciprocity balance",
	 "Analyse the structure of each agreement: run it symbolically\n"
	 "(every debtor does at once what it must, nothing else happens)\n"
	 "and report the cycles of mutual `if` conditions that keep\n"
	 "commitments from ever taking effect, and per party what it owes,\n"
	 "what rights it holds, and which obligations nothing reciprocates.\n"
	 "Exit 0 on good input."},
	{"graph", cmt_graph, OPT_EVENTS | OPT_AT | OPT_VIEW | OPT_PARTY,
	 "print each agreement as a Graphviz DOT graph",
	 "Print each agreement as a Graphviz digraph: parties and\n"
	 "commitments; debtor -- commitment (brown) -> creditor (blue);\n"
	 "witnesses and signers; `if`/`while`/`unless` guards and\n"
	 "reciprocity as labelled edges (an event a guard waits for is a\n"
	 "hexagon); every party linked (to the text it signed, or by its\n"
	 "role); verbal dashed, written solid, signed bold; deadlocked\n"
	 "commitments (see analyze) have a red border. Over 20 parties,\n"
	 "one cluster per party, in a grid. When events count (--events,\n"
	 "--at, --view, or events in the input), commitments are filled\n"
	 "by their state in the first --view given (one view is drawn).\n"
	 "With --party P, an agreement without P is skipped.\n"
	 "Render with `cmt graph FILE | dot -Tsvg > FILE.svg`.\n"
	 "Exit 0 on good input."},
	{"import", cmt_import, OPT_MAP | OPT_OUTPUT | OPT_STRICT,
	 "turn ACLED or UCDP GED CSV exports into an events file",
	 "cmt import acled|ucdp --map MAPPING CSV... [-o EVENTS]\n"
	 "Read the CSV exports of a conflict-event dataset (ACLED or UCDP GED)\n"
	 "through a mapping (docs/import.md) and print the events file: one\n"
	 "event line per mapped row, sorted by time (equal times: files and\n"
	 "rows in order), rows identical to an earlier one left out. A row\n"
	 "that cannot be mapped is skipped with a warning naming its line\n"
	 "(--strict: an error). A summary of the counts goes to stderr.\n"
	 "Exit 0 on good input."},
	{"fmt", cmt_fmt, OPT_CHECK | OPT_DIFF | OPT_WRITE,
	 "print the files in the canonical layout, comments kept",
	 "Print each file in the canonical layout (docs/format.md): one item\n"
	 "per line, items in a fixed order, comments kept with their item.\n"
	 "With --check, print nothing and exit 1 when a file is not canonical\n"
	 "(naming it on stderr), 0 when every file is. With --diff, print\n"
	 "a unified diff to the canonical form instead (exit 1 when there is\n"
	 "one). With -w, rewrite the files that are not canonical in place\n"
	 "(exit 0; with --diff, also print what changed)."},
};
enum { NCOMMANDS = sizeof(commands) / sizeof(commands[0]) };

static const char *const exit_help =
	"Exit status: 0 ok; 1 the command's negative answer (see its help);\n"
	"2 bad input or usage: the error goes to stderr as\n"
	"FILE:LINE:COL: error: MESSAGE, and nothing to stdout.\n";

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static const struct option *find_option(const char *name, size_t len)
{
	for (size_t i = 0; i < NOPTIONS; i++) {
		const char *sn = options[i].short_name;
		if ((strlen(options[i].name) == len &&
		     strncmp(options[i].name, name, len) == 0) ||
		    (sn && strlen(sn) == len && strncmp(sn, name, len) == 0))
			return &options[i];
	}
	return NULL;
}

static const char *option_name(int flag)
{
	for (size_t i = 0; i < NOPTIONS; i++)
		if (options[i].flag == flag)
			return options[i].name;
	return "?";
}

/* ---- output helpers ------------------------------------------------------ */

void cmt_usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("cmt: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cmt_print_error(const cm_error *err)
{
	char buf[CM_ERROR_FILE_SIZE + CM_ERROR_MESSAGE_SIZE + 64];
	if (!err || !err->message[0]) {
		cmt_usage_error("%s",
				cm_strerror(err ? err->code : CM_EINVAL));
		return;
	}
	cm_error_format(err, buf, sizeof(buf));
	if (!err->file[0])
		fputs("cmt: ", stderr);
	fprintf(stderr, "%s\n", buf);
}

int cmt_enomem(void)
{
	cmt_usage_error("out of memory");
	return CMT_USAGE;
}

bool cmt_append(void *ctx, char **buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = *buf ? talloc_vasprintf_append_buffer(*buf, fmt, ap)
		       : talloc_vasprintf(ctx, fmt, ap);
	va_end(ap);
	if (!s)
		return false;
	*buf = s;
	return true;
}

/* -q/--quiet: cmt_emit() writes nothing. */
static bool quiet;

int cmt_emit(const char *text)
{
	if (quiet)
		text = NULL;
	if (text && fputs(text, stdout) == EOF)
		goto fail;
	if (fflush(stdout) == EOF)
		goto fail;
	return CMT_OK;
fail:
	cmt_usage_error("cannot write standard output: %s", strerror(errno));
	return CMT_USAGE;
}

const char *cmt_json_head(const struct cmt_opts *o)
{
	return o->jsonl ? "" : "{\"schema\": 1, \"agreements\": [\n";
}

const char *cmt_json_sep(const struct cmt_opts *o)
{
	return o->jsonl ? "\n" : ",\n";
}

const char *cmt_json_tail(const struct cmt_opts *o, size_t n)
{
	if (o->jsonl)
		return n ? "\n" : "";
	return n ? "\n]}\n" : "]}\n";
}

/* ---- loading ------------------------------------------------------------- */

int cmt_read_all(void *ctx, FILE *f, char **data, size_t *len)
{
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size > CMT_MAX_INPUT)
		return CM_ELIMIT;
	size_t cap = 65536, n = 0;
	char *buf = talloc_size(ctx, cap);
	if (!buf)
		return CM_ENOMEM;
	for (;;) {
		if (n == cap) {
			if (n > CMT_MAX_INPUT) {
				talloc_free(buf);
				return CM_ELIMIT;
			}
			/* at most one byte past the limit, to see it */
			size_t ncap = cap * 2 > CMT_MAX_INPUT + 1
					      ? CMT_MAX_INPUT + 1
					      : cap * 2;
			char *nb = talloc_realloc_size(ctx, buf, ncap);
			if (!nb) {
				talloc_free(buf);
				return CM_ENOMEM;
			}
			buf = nb;
			cap = ncap;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno;
		talloc_free(buf);
		errno = e;
		return CM_EIO;
	}
	if (n > CMT_MAX_INPUT) {
		talloc_free(buf);
		return CM_ELIMIT;
	}
	*data = buf;
	*len = n;
	return CM_OK;
}

int cmt_too_big(const char *label, bool events)
{
	bool is_stdin = strcmp(label, "<stdin>") == 0;
	fprintf(stderr, "%s: error: %s larger than %zu MiB, the largest %s "
		"(%s)\n", label, is_stdin ? "input" : "file",
		(CMT_MAX_INPUT >> 20) + 1,
		events ? "events text read whole"
		       : "agreement file the library reads",
		events ? "an events file given with --events FILE is "
			 "streamed and has no such limit"
		       : "events files are streamed and have no such limit");
	return CMT_USAGE;
}

int cmt_load(void *ctx, const struct cmt_opts *o, cm_document **out)
{
	cm_error err = {0};
	cm_document *doc;
	if (cm_document_new(ctx, &doc, &err) != CM_OK) {
		cmt_print_error(&err);
		return CMT_USAGE;
	}
	for (size_t i = 0; i < o->nfiles; i++) {
		int rc;
		if (strcmp(o->files[i], "-") == 0) {
			char *data;
			size_t len;
			rc = cmt_read_all(doc, stdin, &data, &len);
			if (rc == CM_ENOMEM) {
				cm_free(doc);
				return cmt_enomem();
			}
			if (rc == CM_ELIMIT) {
				cm_free(doc);
				return cmt_too_big("<stdin>", false);
			}
			if (rc != CM_OK) {
				cmt_usage_error("cannot read standard input: %s",
						strerror(errno));
				cm_free(doc);
				return CMT_USAGE;
			}
			rc = cm_document_add_text(doc, data, len, "<stdin>",
						  &err);
			talloc_free(data);
		} else {
			rc = cm_document_add_file(doc, o->files[i], &err);
		}
		if (rc != CM_OK) {
			cmt_print_error(&err);
			cm_free(doc);
			return CMT_USAGE;
		}
	}
	if (cm_document_resolve(doc, &err) != CM_OK) {
		cmt_print_error(&err);
		cm_free(doc);
		return CMT_USAGE;
	}
	*out = doc;
	return CMT_OK;
}

/* ---- help ---------------------------------------------------------------- */

static void print_usage_line(FILE *f)
{
	fputs("Usage: cmt COMMAND [OPTION]... FILE...\n", f);
}

/* Print an option's help, its continuation lines indented. */
static void print_option(const struct option *opt)
{
	char head[64];
	snprintf(head, sizeof(head), "%s%s%s%s%s",
		 opt->short_name ? opt->short_name : "",
		 opt->short_name ? ", " : "", opt->name, opt->arg ? " " : "",
		 opt->arg ? opt->arg : "");
	if (strlen(head) > 22)
		printf("  %s\n  %-22s ", head, "");
	else
		printf("  %-22s ", head);
	for (const char *s = opt->help; *s; s++) {
		putchar(*s);
		if (*s == '\n')
			printf("  %-22s ", "");
	}
	putchar('\n');
}

static void print_help(void)
{
	print_usage_line(stdout);
	fputs("\nModel the commitments of agreements written in the .cmt "
	      "language and\nevaluate them. '-' as FILE reads standard "
	      "input. Options may come\nbefore or after the files; '--' "
	      "ends the options.\n\nCommands:\n",
	      stdout);
	for (size_t i = 0; i < NCOMMANDS; i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\nOptions of every command:\n", stdout);
	for (size_t i = 0; i < NOPTIONS; i++)
		if (options[i].flag & OPT_ALWAYS)
			print_option(&options[i]);
	printf("  %-22s %s\n", "-h, --help", "show this help");
	printf("  %-22s %s\n", "--version", "show the library's version");
	fputs("\nEach command's own options: cmt COMMAND --help (or cmt help "
	      "COMMAND).\nThe manual: man cmt; the language: man "
	      "cmt-language.\n\n", stdout);
	fputs(exit_help, stdout);
}

static void print_command_help(const struct command *c)
{
	printf("Usage: cmt %s [OPTION]... FILE...\n\n%s\n\nOptions:\n",
	       c->name, c->help);
	for (size_t i = 0; i < NOPTIONS; i++)
		if ((c->options | OPT_ALWAYS) & options[i].flag)
			print_option(&options[i]);
	printf("  %-22s %s\n", "-h, --help", "show this help");
	fputs("\n", stdout);
	fputs(exit_help, stdout);
}

static void print_commands_hint(void)
{
	fputs("cmt: commands:", stderr);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(stderr, " %s", commands[i].name);
	fputs("; see 'cmt --help'\n", stderr);
}

/* ---- main ---------------------------------------------------------------- */

struct args {
	struct cmt_opts o;
	int seen; /* OPT_* given */
	bool help;
	bool version;
};

/* Parse argv into @p a; arrays are allocated under @p ctx. */
static int parse_args(void *ctx, int argc, char **argv, struct args *a)
{
	struct cmt_opts *o = &a->o;
	size_t max = argc > 0 ? (size_t)argc : 1;
	o->files = talloc_array(ctx, const char *, max);
	o->policies = talloc_array(ctx, const char *, max);
	o->events = talloc_array(ctx, const char *, max);
	o->views = talloc_array(ctx, const char *, max);
	o->maps = talloc_array(ctx, const char *, max);
	o->imports = talloc_array(ctx, const char *, max);
	if (!o->files || !o->policies || !o->events || !o->views ||
	    !o->maps || !o->imports)
		return cmt_enomem();
	o->at_time = CM_TIME_NONE;
	bool dashdash = false;
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (dashdash || s[0] != '-' || s[1] == '\0') {
			if (!o->command)
				o->command = s;
			else
				o->files[o->nfiles++] = s;
			continue;
		}
		if (strcmp(s, "--") == 0) {
			dashdash = true;
			continue;
		}
		if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
			a->help = true;
			continue;
		}
		if (strcmp(s, "--version") == 0) {
			a->version = true;
			continue;
		}
		const char *eq = strchr(s, '=');
		size_t len = eq ? (size_t)(eq - s) : strlen(s);
		const struct option *opt = find_option(s, len);
		if (!opt) {
			cmt_usage_error("unknown option '%.*s'", (int)len, s);
			fputs("Try 'cmt --help' for more information.\n",
			      stderr);
			return CMT_USAGE;
		}
		const char *val = NULL;
		if (opt->arg) {
			if (eq)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			if (!val || !val[0]) {
				cmt_usage_error("option '%s' needs a value (%s)",
						opt->name, opt->arg);
				return CMT_USAGE;
			}
		} else if (eq) {
			cmt_usage_error("option '%s' takes no value",
					opt->name);
			return CMT_USAGE;
		}
		switch (opt->flag) {
		case OPT_POLICY: o->policies[o->npolicies++] = val; break;
		case OPT_EVENTS: o->events[o->nevents++] = val; break;
		case OPT_VIEW: o->views[o->nviews++] = val; break;
		case OPT_PARTY:
			if (o->party) {
				cmt_usage_error("option '--party' given twice");
				return CMT_USAGE;
			}
			o->party = val;
			break;
		case OPT_JSON:
			if (o->format_given && o->format != CMT_FORMAT_JSON) {
				cmt_usage_error("'--json' contradicts "
						"'--format %s'", o->format ==
						CMT_FORMAT_TEXT ? "text"
								: "jsonl");
				return CMT_USAGE;
			}
			o->json = true;
			o->format = CMT_FORMAT_JSON;
			break;
		case OPT_FORMAT: {
			int f = strcmp(val, "text") == 0    ? CMT_FORMAT_TEXT
				: strcmp(val, "json") == 0  ? CMT_FORMAT_JSON
				: strcmp(val, "jsonl") == 0 ? CMT_FORMAT_JSONL
							    : -1;
			if (f < 0) {
				cmt_usage_error("invalid format '%s' for "
						"--format (want text, json or "
						"jsonl)", val);
				return CMT_USAGE;
			}
			if (o->format_given && (int)o->format != f) {
				cmt_usage_error("option '--format' given "
						"twice");
				return CMT_USAGE;
			}
			if (o->json && f != CMT_FORMAT_JSON) {
				cmt_usage_error("'--json' contradicts "
						"'--format %s'", val);
				return CMT_USAGE;
			}
			o->format = (enum cmt_format)f;
			o->format_given = true;
			o->json = f != CMT_FORMAT_TEXT;
			o->jsonl = f == CMT_FORMAT_JSONL;
			break;
		}
		case OPT_CHECK: o->check = true; break;
		case OPT_HISTORY: o->history = true; break;
		case OPT_MAP: o->maps[o->nmaps++] = val; break;
		case OPT_IMPORT: o->imports[o->nimports++] = val; break;
		case OPT_STRICT: o->strict = true; break;
		case OPT_OUTPUT:
			if (o->output) {
				cmt_usage_error("option '-o' given twice");
				return CMT_USAGE;
			}
			o->output = val;
			break;
		case OPT_DIFF: o->diff = true; break;
		case OPT_WRITE: o->write = true; break;
		case OPT_QUIET: o->quiet = true; break;
		case OPT_AT:
			if (o->at) {
				cmt_usage_error("option '--at' given twice");
				return CMT_USAGE;
			}
			if (cm_time_parse(val, 1, &o->at_time) != CM_OK) {
				cmt_usage_error("invalid date '%s' for --at "
						"(want YYYY-MM-DD or "
						"YYYY-MM-DDTHH:MM)", val);
				return CMT_USAGE;
			}
			o->at = val;
			break;
		}
		a->seen |= opt->flag;
	}
	return CMT_OK;
}

/* Check the parsed arguments against the command; CMT_OK or CMT_USAGE. */
static int validate(const struct command *c, const struct args *a)
{
	int extra = a->seen & ~(c->options | OPT_ALWAYS);
	if (extra) {
		for (int f = 1; f <= extra; f <<= 1)
			if (extra & f) {
				cmt_usage_error("option '%s' does not apply "
						"to 'cmt %s'", option_name(f),
						c->name);
				return CMT_USAGE;
			}
	}
	if (a->o.nfiles == 0) {
		cmt_usage_error("'cmt %s' needs at least one input FILE "
				"('-' reads standard input)", c->name);
		return CMT_USAGE;
	}
	size_t nstdin = 0;
	for (size_t i = 0; i < a->o.nfiles; i++)
		nstdin += strcmp(a->o.files[i], "-") == 0;
	for (size_t i = 0; i < a->o.nevents; i++)
		nstdin += strcmp(a->o.events[i], "-") == 0;
	if (nstdin > 1) {
		cmt_usage_error("standard input ('-') can be read only once");
		return CMT_USAGE;
	}
	return CMT_OK;
}

static int run(void *ctx, int argc, char **argv)
{
	struct args a = {0};
	int rc = parse_args(ctx, argc, argv, &a);
	if (rc != CMT_OK)
		return rc;
	if (a.o.command && strcmp(a.o.command, "help") == 0) {
		/* `cmt help [COMMAND]` is `cmt [COMMAND] --help`. */
		a.help = true;
		a.o.command = a.o.nfiles ? a.o.files[0] : NULL;
	}
	const struct command *c = NULL;
	if (a.o.command) {
		c = find_command(a.o.command);
		if (!c) {
			cmt_usage_error("unknown command '%s'", a.o.command);
			print_commands_hint();
			return CMT_USAGE;
		}
	}
	if (a.version) {
		printf("cmt (libcommitments) %s\n", cm_version());
		return cmt_emit(NULL);
	}
	if (a.help) {
		if (c)
			print_command_help(c);
		else
			print_help();
		return cmt_emit(NULL);
	}
	if (!c) {
		cmt_usage_error("no command given");
		print_usage_line(stderr);
		print_commands_hint();
		return CMT_USAGE;
	}
	rc = validate(c, &a);
	if (rc != CMT_OK)
		return rc;
	quiet = a.o.quiet;
	return c->run(ctx, &a.o);
}

int main(int argc, char **argv)
{
	void *ctx = cm_context_new();
	if (!ctx)
		return cmt_enomem();
	int rc = run(ctx, argc, argv);
	cm_free(ctx);
	return rc;
}
