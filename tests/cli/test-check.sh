#!/bin/bash
# cmt check: exit codes, JSON, text, stdin, several files in one run,
# --policy, every class of input error, --help and --version.
. "$(dirname "$0")/lib.sh"

EX="$SRCDIR/examples"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP" "$T_OUT" "$T_ERR"' EXIT

# The first line of stdout contains $1 (the verdict comes first).
expect_first_line_has() {
	head -n 1 "$T_OUT" | grep -qiF -- "$1" || fail_ "first line lacks '$1'"
}
# stderr has a line `FILE:LINE:COL: error: ` ($3 may be a regex for COL).
expect_err_at() {
	local line rest ok=1
	while IFS= read -r line; do
		case $line in
		"$1:"*)
			rest=${line#"$1:"}
			[[ $rest =~ ^$2:$3:\ error:\  ]] && ok=0 ;;
		esac
	done <"$T_ERR"
	[ "$ok" -eq 0 ] || fail_ "stderr lacks '$1:$2:$3: error: '"
}
# A bad-input run: exit 2, nothing on stdout.
expect_bad_input() { expect_rc 2; expect_out_empty; }

# ---- the examples ------------------------------------------------------

case_ "istanbul fails: exit 1, verdict first"
run check "$EX/istanbul.cmt"
expect_rc 1; expect_err_empty
expect_first_line_has fails
expect_out_has no_safe_haven
expect_out_has AF

case_ "istanbul --json: verdict, first failure and remedy are AF's on no_safe_haven"
run check --json "$EX/istanbul.cmt"
expect_rc 1; expect_err_empty
expect_json 'list(j) == ["schema", "agreements"] and j["schema"] == 1 and len(j["agreements"]) == 1'
expect_json 'j["agreements"][0]["id"] == "istanbul_round3"'
expect_json 'j["agreements"][0]["title"] == "Security understanding, Istanbul round"'
expect_json 'j["agreements"][0]["verdict"] == "fails"'
expect_json '[r["rule"] for r in j["agreements"][0]["requirements"]] == ["written", "signed by debtor"]'
expect_json 'all(r["policy"] == "written-only" and r["selector"] == "all" and r["line"] == 10 and r["holds"] is False for r in j["agreements"][0]["requirements"])'
expect_json 'j["agreements"][0]["requirements"][0]["failures"][0]["commitment"] == "no_safe_haven"'
expect_json '"AF" in j["agreements"][0]["requirements"][0]["failures"][0]["remedy"]'
expect_json '[f["commitment"] for f in j["agreements"][0]["requirements"][0]["failures"]] == ["no_safe_haven", "ceasefire", "defensive_action"]'
expect_json '[c["id"] for c in j["agreements"][0]["commitments"]] == ["no_safe_haven", "ceasefire", "defensive_action"]'
expect_json '[c["form"] for c in j["agreements"][0]["commitments"]] == ["verbal"] * 3'
expect_json '[c["modality"] for c in j["agreements"][0]["commitments"]] == ["must-prevent", "must-not", "may"]'
expect_json '[c["standing"] for c in j["agreements"][0]["commitments"]] == ["agreed", "agreed", "claimed"]'
expect_json 'j["agreements"][0]["commitments"][0]["creditor"] == ["PK"]'
expect_json 'j["agreements"][0]["below"]["AF"]["count"] == 1 and j["agreements"][0]["below"]["AF"]["of"] == 1'
expect_json 'j["agreements"][0]["below"]["AF"]["commitments"] == ["no_safe_haven"]'

case_ "karabakh meets: exit 0"
run check "$EX/karabakh-2020.cmt"
expect_rc 0; expect_err_empty
expect_first_line_has meets

case_ "karabakh --json: every requirement holds"
run check "$EX/karabakh-2020.cmt" --json
expect_rc 0; expect_err_empty
expect_json 'j["agreements"][0]["verdict"] == "meets"'
expect_json 'all(r["holds"] and r["failures"] == [] for r in j["agreements"][0]["requirements"])'
expect_json '[r["policy"] for r in j["agreements"][0]["requirements"]] == ["vclt"] * 3 + [None]'
expect_json 'j["agreements"][0]["below"] == {}'

case_ "doha fails on the kind of party"
run check --json "$EX/doha-2020.cmt"
expect_rc 1; expect_err_empty
expect_json '[r["rule"] for r in j["agreements"][0]["requirements"] if not r["holds"]] == ["parties state, organization"]'
expect_json '[f["commitment"] for r in j["agreements"][0]["requirements"] for f in r["failures"]] == [None]'

case_ "ctbt fails on ratification"
run check --json "$EX/ctbt-1996.cmt"
expect_rc 1; expect_err_empty
expect_json '[r["rule"] for r in j["agreements"][0]["requirements"] if not r["holds"]] == ["ratified by all parties"]'

case_ "every example parses and checks (exit 0 or 1)"
for f in "$EX"/*.cmt; do
	run check "$f"
	[ "$rc" -le 1 ] || fail_ "$f: exit $rc"
	expect_err_empty
done

case_ "several agreements: one JSON list, exit 1 when any fails"
run check --json "$EX/karabakh-2020.cmt" "$EX/istanbul.cmt"
expect_rc 1; expect_err_empty
expect_json '[a["id"] for a in j["agreements"]] == ["karabakh_2020", "istanbul_round3"]'
expect_json '[a["verdict"] for a in j["agreements"]] == ["meets", "fails"]'

case_ "several agreements: text reports in input order"
run check "$EX/karabakh-2020.cmt" "$EX/istanbul.cmt"
expect_rc 1; expect_err_empty
expect_out_has karabakh_2020
expect_out_has istanbul_round3

case_ "no agreement in the input: exit 0"
run check "$EX/stances.cmt"
expect_rc 0; expect_err_empty
expect_out_has "no agreement to check"
run check --json "$EX/stances.cmt"
expect_rc 0
expect_json 'j == {"schema": 1, "agreements": []}'

# ---- stdin -------------------------------------------------------------

case_ "stdin via -"
run_stdin "$(cat "$EX/istanbul.cmt")" check - --json
expect_rc 1; expect_err_empty
expect_json 'j["agreements"][0]["id"] == "istanbul_round3"'

case_ "empty stdin: no agreement, exit 0"
run_stdin "" check --json -
expect_rc 0; expect_err_empty
expect_json 'j == {"schema": 1, "agreements": []}'

case_ "stdin together with a file"
run_stdin "$(cat "$EX/istanbul.cmt")" check --json "$EX/karabakh-2020.cmt" -
expect_rc 1; expect_err_empty
expect_json '[a["id"] for a in j["agreements"]] == ["karabakh_2020", "istanbul_round3"]'

case_ "stdin error is located in <stdin>"
run_stdin 'agreement a {
  date 2025-02-30
}' check -
expect_bad_input
expect_err_at "<stdin>" 2 8

# ---- one run: policies visible across files ----------------------------

cat >"$TMP/pol.cmt" <<'EOF'
policy in-writing "Written" {
  require written
}
EOF
cat >"$TMP/agr.cmt" <<'EOF'
agreement deal "A deal" {
  party A "Alpha" state
  party B "Beta" state
  use in-writing
  commitment pay {
    A must pay(to: B)
    written
  }
  commitment tell {
    B must "tell A"
    verbal
  }
}
EOF

case_ "a policy defined in one file, used by an agreement in another"
run check --json "$TMP/agr.cmt" "$TMP/pol.cmt"
expect_rc 1; expect_err_empty
expect_json 'j["agreements"][0]["requirements"][0]["policy"] == "in-writing"'
expect_json 'j["agreements"][0]["requirements"][0]["line"] == 4'
expect_json '[f["commitment"] for f in j["agreements"][0]["requirements"][0]["failures"]] == ["tell"]'

case_ "--policy NAME defined in another input file"
run check --json "$EX/karabakh-2020.cmt" "$TMP/pol.cmt" --policy in-writing
expect_rc 0; expect_err_empty
expect_json '[(r["rule"], r["policy"], r["line"]) for r in j["agreements"][0]["requirements"]] == [("written", "in-writing", None)]'

case_ "the same file alone does not know the policy"
run check "$TMP/agr.cmt"
expect_bad_input
expect_err_at "$TMP/agr.cmt" 4 7
expect_err_has "in-writing"

# ---- --policy ----------------------------------------------------------

case_ "--policy shipped NAME replaces the agreement's own requirements"
run check --json "$EX/karabakh-2020.cmt" --policy un-registration
expect_rc 1; expect_err_empty
expect_json '[r["rule"] for r in j["agreements"][0]["requirements"]] == ["written", "signed by all parties", "parties state, organization", "registered"]'
expect_json 'all(r["policy"] == "un-registration" and r["line"] is None for r in j["agreements"][0]["requirements"])'
expect_json 'j["agreements"][0]["requirements"][3]["holds"] is False'
expect_json '[f["commitment"] for f in j["agreements"][0]["requirements"][3]["failures"]] == [None]'

case_ "--policy=NAME"
run check --json --policy=written-only "$EX/istanbul.cmt"
expect_rc 1; expect_err_empty
expect_json 'all(r["policy"] == "written-only" and r["line"] is None for r in j["agreements"][0]["requirements"])'

case_ "--policy repeated: in the order given"
run check --json --policy written-only "$EX/karabakh-2020.cmt" --policy vclt
expect_rc 0; expect_err_empty
expect_json '[r["policy"] for r in j["agreements"][0]["requirements"]] == ["written-only"] * 2 + ["vclt"] * 3'

case_ "--policy FILE: every policy in it, in file order"
run check --json "$EX/istanbul.cmt" --policy "$EX/stances.cmt"
expect_rc 1; expect_err_empty
expect_json '[(r["rule"], r["policy"]) for r in j["agreements"][0]["requirements"]] == [("written", "final-in-writing"), ("signed by all parties", "final-in-writing"), ("dated", "final-in-writing"), ("witnessed by any mediator", "mediated")]'
expect_json 'j["agreements"][0]["requirements"][3]["selector"] == "obligations"'

case_ "--policy FILE named by its .cmt ending (no slash)"
cp "$TMP/pol.cmt" "$TMP/local.cmt"
(cd "$TMP" && "$CMT" check --json agr.cmt pol.cmt --policy local.cmt) >"$T_OUT" 2>"$T_ERR"; rc=$?
expect_rc 1; expect_err_empty
expect_json 'j["agreements"][0]["requirements"][0]["line"] is None'

case_ "--policy FILE and NAME mixed"
run check --json "$EX/karabakh-2020.cmt" --policy "$TMP/pol.cmt" --policy written-only
expect_rc 0; expect_err_empty
expect_json '[r["policy"] for r in j["agreements"][0]["requirements"]] == ["in-writing", "written-only", "written-only"]'

case_ "--policy FILE that also holds an agreement: only its policies count"
cat "$TMP/agr.cmt" "$TMP/pol.cmt" >"$TMP/both.cmt"
run check --json "$EX/karabakh-2020.cmt" --policy "$TMP/both.cmt"
expect_rc 0; expect_err_empty
expect_json '[a["id"] for a in j["agreements"]] == ["karabakh_2020"]'
expect_json '[r["policy"] for r in j["agreements"][0]["requirements"]] == ["in-writing"]'

case_ "--policy unknown NAME: exit 2"
run check "$EX/istanbul.cmt" --policy no-such-policy
expect_bad_input
expect_err_has "unknown policy 'no-such-policy'"
expect_err_has "vclt"

case_ "--policy FILE that does not exist: exit 2"
run check "$EX/istanbul.cmt" --policy "$TMP/missing.cmt"
expect_bad_input
expect_err_has "$TMP/missing.cmt: error: "

case_ "--policy FILE without policies: exit 2"
run check "$EX/istanbul.cmt" --policy "$EX/istanbul.cmt"
expect_bad_input
expect_err_has "$EX/istanbul.cmt: error: defines no policy"

case_ "--policy FILE with a syntax error: exit 2, located"
printf 'policy p {\n  require nonsense\n}\n' >"$TMP/badpol.cmt"
run check "$EX/istanbul.cmt" --policy "$TMP/badpol.cmt"
expect_bad_input
expect_err_at "$TMP/badpol.cmt" 2 11

# ---- input errors: FILE:LINE:COL: error:, nothing on stdout -------------

case_ "syntax error"
printf 'agreement a "A" {\n  party A "Alpha" state\n  bogus\n}\n' >"$TMP/syntax.cmt"
run check "$TMP/syntax.cmt"
expect_bad_input
expect_err_at "$TMP/syntax.cmt" 3 3

case_ "syntax error: unterminated agreement"
printf 'agreement a "A" {\n  party A "Alpha" state\n' >"$TMP/eof.cmt"
run check "$TMP/eof.cmt"
expect_bad_input
expect_err_at "$TMP/eof.cmt" '[0-9]+' '[0-9]+'

case_ "unknown party"
printf 'agreement a {\n  party A "Alpha" state\n  commitment c { B must "x" }\n}\n' >"$TMP/party.cmt"
run check "$TMP/party.cmt"
expect_bad_input
expect_err_at "$TMP/party.cmt" 3 18
expect_err_has "'B'"

case_ "invalid UTF-8"
printf 'agreement a "\xff" {\n}\n' >"$TMP/utf8.cmt"
run check "$TMP/utf8.cmt"
expect_bad_input
expect_err_at "$TMP/utf8.cmt" 1 '1[34]'

case_ "a date that does not exist"
printf 'agreement a {\n  date 2025-02-29\n}\n' >"$TMP/date.cmt"
run check "$TMP/date.cmt"
expect_bad_input
expect_err_at "$TMP/date.cmt" 2 8

case_ "unreadable file"
run check "$TMP/does-not-exist.cmt"
expect_bad_input
expect_err_has "$TMP/does-not-exist.cmt: error: cannot open"

case_ "a directory as input"
run check "$TMP"
expect_bad_input
expect_err_has "$TMP: error: "

case_ "an error in a later file: nothing printed for the earlier ones"
run check "$EX/karabakh-2020.cmt" "$TMP/date.cmt"
expect_bad_input
expect_err_at "$TMP/date.cmt" 2 8

case_ "the first error stops the run"
run check "$TMP/syntax.cmt" "$TMP/date.cmt"
expect_bad_input
expect_err_at "$TMP/syntax.cmt" 3 3
[ "$(wc -l <"$T_ERR")" -eq 1 ] || fail_ "more than one line on stderr"

# ---- options -----------------------------------------------------------

case_ "options before the command and after the files"
run --json check "$EX/karabakh-2020.cmt"
expect_rc 0
expect_json 'j["agreements"][0]["verdict"] == "meets"'

case_ "-- ends the options"
cp "$EX/karabakh-2020.cmt" "$TMP/--json"
(cd "$TMP" && "$CMT" check -- --json) >"$T_OUT" 2>"$T_ERR"; rc=$?
expect_rc 0; expect_err_empty
expect_out_lacks '{"agreements"'
expect_first_line_has meets

case_ "stdout that cannot be written: exit 2"
if [ -w /dev/full ]; then
	"$CMT" check "$EX/istanbul.cmt" >/dev/full 2>"$T_ERR"; rc=$?
	out=""
	expect_rc 2
	expect_err_has "cannot write standard output"
fi

# ---- help and version --------------------------------------------------

case_ "--help"
run --help
expect_rc 0; expect_err_empty
expect_out_has "Usage: cmt COMMAND"
expect_out_has "check"
expect_out_has "Exit status"

case_ "check --help lists its options"
run check --help
expect_rc 0; expect_err_empty
expect_out_has "Usage: cmt check"
expect_out_has "--policy NAME|FILE"
expect_out_has "--json"
expect_out_lacks "--events"

case_ "help check"
run help check
expect_rc 0; expect_err_empty
expect_out_has "Usage: cmt check"

case_ "--version"
run --version
expect_rc 0; expect_err_empty
grep -qE '^cmt \(libcommitments\) [0-9]+\.[0-9]+\.[0-9]+$' "$T_OUT" || fail_ "bad version line"

finish
