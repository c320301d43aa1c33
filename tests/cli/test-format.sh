#!/bin/bash
# --format text|json|jsonl (and --json): the JSON framing, "schema": 1 in
# every JSON object, JSON Lines one agreement per line, usage errors.
. "$(dirname "$0")/lib.sh"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP" "$T_OUT" "$T_ERR"' EXIT
EX=$SRCDIR/examples
two="$EX/istanbul.cmt $EX/karabakh-2020.cmt"

# Every line of stdout is a JSON object with "schema": 1; $1 lines.
expect_jsonl() {
	python3 - "$T_OUT" "$1" <<'PY' || fail_ "not $2 JSON Lines"
import json, sys
lines = open(sys.argv[1]).read().split("\n")
assert lines[-1] == "", "no final newline"
objs = [json.loads(l) for l in lines[:-1]]
assert len(objs) == int(sys.argv[2]), len(objs)
assert all(type(o) is dict and o.get("schema") == 1 and "id" in o for o in objs)
PY
}

case_ "check --format jsonl: one agreement per line, nothing else"
run check --format jsonl $two
expect_rc 1; expect_err_empty; expect_jsonl 2 two
head -1 "$T_OUT" | grep -q '"id": "istanbul_round3"' || fail_ "first line is not istanbul"

case_ "check --format json is --json: {\"schema\": 1, \"agreements\": [...]}"
run check --format=json $two
cp "$T_OUT" "$TMP/a.json"
expect_json 'j["schema"] == 1 and [a["id"] for a in j["agreements"]] == ["istanbul_round3", "karabakh_2020"] and all(a["schema"] == 1 for a in j["agreements"])'
run check --json $two
cmp -s "$T_OUT" "$TMP/a.json" || fail_ "--json differs from --format json"

case_ "--format text is the default"
run check --format text "$EX/karabakh-2020.cmt"
cp "$T_OUT" "$TMP/t.txt"
run check "$EX/karabakh-2020.cmt"
cmp -s "$T_OUT" "$TMP/t.txt" || fail_ "--format text differs from the default"

case_ "status --format jsonl: one line per agreement and view"
run status --format jsonl "$EX/istanbul.cmt" --events "$EX/istanbul.events" --view PK --view AF
expect_rc 1; expect_jsonl 2 two
python3 -c 'import json,sys; v=[json.loads(l)["view"] for l in open(sys.argv[1])]; sys.exit(v != ["PK", "AF"])' "$T_OUT" \
	|| fail_ "views not PK then AF"

case_ "analyze --format jsonl"
run analyze --format jsonl $two
expect_rc 0; expect_jsonl 2 two

case_ "no agreement: jsonl prints nothing, json an empty list"
run check --format jsonl "$EX/stances.cmt"
expect_rc 0; expect_out_empty
run check --format json "$EX/stances.cmt"
expect_json 'j == {"schema": 1, "agreements": []}'

case_ "usage errors: unknown format, contradictions, given twice, other commands"
run check --format yaml "$EX/istanbul.cmt"
expect_rc 2; expect_out_empty; expect_err_has "invalid format 'yaml' for --format (want text, json or jsonl)"
run check --json --format jsonl "$EX/istanbul.cmt"
expect_rc 2; expect_err_has "'--json' contradicts '--format jsonl'"
run check --format text --json "$EX/istanbul.cmt"
expect_rc 2; expect_err_has "'--json' contradicts '--format text'"
run check --format json --format jsonl "$EX/istanbul.cmt"
expect_rc 2; expect_err_has "option '--format' given twice"
run check --format json --json "$EX/istanbul.cmt"
expect_rc 1
run fmt --format json "$EX/istanbul.cmt"
expect_rc 2; expect_err_has "option '--format' does not apply to 'cmt fmt'"

case_ "the verdict line agrees in number"
one='agreement a { party P "P" require registered commitment c { P must act() } }'
run_stdin "$one" check -
expect_rc 1; expect_out_has 'FAILS a: 1 of 1 requirement does not hold'
run_stdin 'agreement a { party P "P" require dated require registered require verifiable commitment c { P must act() } }' check -
expect_out_has 'FAILS a: 2 of 3 requirements do not hold'
run_stdin 'agreement a { date 2025-01-01 party P "P" require dated require registered require verifiable commitment c { P must act() } }' check -
expect_out_has 'FAILS a: 1 of 3 requirements does not hold'
run_stdin 'agreement a { date 2025-01-01 party P "P" require dated commitment c { P must act() } }' check -
expect_rc 0; expect_out_has 'MEETS a: its 1 requirement holds'
run_stdin 'agreement a { date 2025-01-01 party P "P" require dated require registered registered commitment c { P must "x" } }' check -
expect_rc 0; expect_out_has 'MEETS a: all 2 requirements hold'

finish
