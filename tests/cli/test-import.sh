#!/bin/bash
# cmt import and cmt status --import (docs/import.md): the examples,
# sorting and duplicates, warnings naming the line, --strict, -o written
# atomically, malformed CSV, mapping errors with FILE:LINE:COL, usage.
. "$(dirname "$0")/lib.sh"

EX="$SRCDIR/examples"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP" "$T_OUT" "$T_ERR"' EXIT
HEAD=$(head -1 "$EX/acled/sample.csv")

case_ "the ACLED example: sorted by time, the duplicate row left out"
run import acled --map "$EX/acled/istanbul.map" "$EX/acled/sample.csv"
expect_rc 0
expect_err_has 'cmt: 7 events from 12 rows (3 dropped, 1 matched no rule, 0 skipped, 1 duplicates)'
[ "$(printf '%s\n' "$out" | head -1)" = '2025-10-09 attack(by: TTP, from: AF, on: PK, in: PK, fatalities: 30, at: "Khyber Pakhtunkhwa")' ] || fail_ "first line"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 7 ] || fail_ "want 7 lines"
[ "$(printf '%s\n' "$out" | cut -c1-10 | sort -c && echo sorted)" = sorted ] || fail_ "not sorted"
expect_out_has '2025-10-12 attack(by: AF, on: PK, in: AF, fatalities: 12, at: "Kandahar")'
expect_out_has '2025-11-28 strike(by: PK, on: AF, in: AF, fatalities: 6, at: "Paktika")'

case_ "the issue's rules: TTP in Balochistan is attack(by: TTP, from: AF, on: PK)"
expect_out_has '2025-11-12 attack(by: TTP, from: AF, on: PK, in: PK, fatalities: 2, at: "Balochistan")'

case_ "the output is an events file cmt status reads"
run import acled --map "$EX/acled/istanbul.map" "$EX/acled/sample.csv" -o "$TMP/acled.events"
expect_rc 0; expect_out_empty
[ -s "$TMP/acled.events" ] || fail_ "no events file"
ls -a "$TMP" | grep -q '^\.acled' && fail_ "temporary file left behind"
run status "$EX/istanbul.cmt" --events "$TMP/acled.events"
expect_rc 1
expect_out_has 'no_safe_haven     violated           since 2025-11-12T00:00Z'

case_ "status straight from the CSV names the row"
run status "$EX/istanbul.cmt" --import "acled:$EX/acled/sample.csv" --map "$EX/acled/istanbul.map" --json
expect_rc 1; expect_err_empty
expect_json 'j["agreements"][0]["commitments"][0]["cause"]["event_file"].endswith("acled/sample.csv")'
expect_json 'j["agreements"][0]["commitments"][0]["cause"]["event_line"] == 7'
expect_json 'j["agreements"][0]["commitments"][1]["state"] == "suspended"'

case_ "the UCDP example"
run import ucdp --map "$EX/ucdp/istanbul.map" "$EX/ucdp/sample.csv"
expect_rc 0
expect_err_has 'cmt: 9 events from 12 rows (2 dropped, 0 matched no rule, 0 skipped, 1 duplicates)'
expect_out_has '2025-10-12 attack(by: AF, on: PK, in: AF, fatalities: 12, at: "Kandahar province")'
run status "$EX/istanbul.cmt" --import "ucdp:$EX/ucdp/sample.csv" --map "$EX/ucdp/istanbul.map" --view verified
expect_rc 0
expect_out_has '(view verified)'

case_ "two files: identical rows across them counted once"
run import acled --map "$EX/acled/istanbul.map" "$EX/acled/sample.csv" "$EX/acled/sample.csv"
expect_rc 0
expect_err_has 'cmt: 7 events from 24 rows (6 dropped, 2 matched no rule, 0 skipped, 9 duplicates)'

printf '%s\n' "$HEAD" >"$TMP/bad.csv"
printf 'X,2025-11-20,2025,1,PV,Battles,Armed clash,TTP: Tehreek-i-Taliban Pakistan,,R,,,,,,586,SA,Pakistan,Balochistan,,,,1,2,1,Dawn,N,n,many,,1\n' >>"$TMP/bad.csv"
printf 'short,row\n' >>"$TMP/bad.csv"
printf 'X,2025-11-21,2025,1,PV,Battles,Armed clash,TTP: Tehreek-i-Taliban Pakistan,,R,,,,,,586,SA,Pakistan,Balochistan,,,,1,2,1,Dawn,N,n,3,,1\n' >>"$TMP/bad.csv"

case_ "unmappable rows: a counted warning each, naming its line"
run import acled --map "$EX/acled/istanbul.map" "$TMP/bad.csv"
expect_rc 0
expect_err_has "bad.csv:2:1: warning: \"many\" is not a number (row skipped)"
expect_err_has "bad.csv:3:1: warning: ragged row: 2 fields, the header 31 (row skipped)"
expect_err_has '1 events from 3 rows (0 dropped, 0 matched no rule, 2 skipped, 0 duplicates)'
expect_out_has '2025-11-21 attack(by: TTP, from: AF, on: PK'

case_ "--strict: the first is an error, nothing on stdout"
run import acled --strict --map "$EX/acled/istanbul.map" "$TMP/bad.csv" -o "$TMP/strict.events"
expect_rc 2; expect_out_empty
expect_err_has "bad.csv:2:1: error: \"many\" is not a number"
[ -e "$TMP/strict.events" ] && fail_ "-o written despite the error"

case_ "status --import: one warning for the skipped rows"
run status "$EX/istanbul.cmt" --import "acled:$TMP/bad.csv" --map "$EX/acled/istanbul.map"
expect_rc 1
expect_err_has 'bad.csv:2:1: warning: "many" is not a number (row skipped; 2 rows skipped in all'

case_ "malformed CSV: a positioned error"
printf '%s\nX,"unclosed,2025\n' "$HEAD" >"$TMP/quote.csv"
run import acled --map "$EX/acled/istanbul.map" "$TMP/quote.csv"
expect_rc 2; expect_out_empty
expect_err_has 'quote.csv:2:1: error: unbalanced quote'
printf '%s\nX,ab"c,2025\n' "$HEAD" >"$TMP/quote2.csv"
run status "$EX/istanbul.cmt" --import "acled:$TMP/quote2.csv" --map "$EX/acled/istanbul.map"
expect_rc 2; expect_out_empty
expect_err_has 'quote2.csv:2:5: error: malformed CSV'

case_ "a mapping error is FILE:LINE:COL"
printf 'import acled m {\n  when actor9 is "x" emit a()\n}\n' >"$TMP/bad.map"
run import acled --map "$TMP/bad.map" "$EX/acled/sample.csv"
expect_rc 2; expect_out_empty
expect_err_has "bad.map:2:8: error: ACLED has no column 'actor9'"

case_ "a mapping kept in the agreement's own file needs no --map"
{ cat "$EX/istanbul.cmt"; cat "$EX/acled/istanbul.map"; } >"$TMP/both.cmt"
run status "$TMP/both.cmt" --import "acled:$EX/acled/sample.csv"
expect_rc 1; expect_err_empty
expect_out_has 'event at '"$EX"'/acled/sample.csv:7'
run check "$TMP/both.cmt"
expect_rc 1

case_ "cmt fmt formats a mapping, comments kept, idempotent"
run fmt "$EX/acled/istanbul.map"
expect_rc 0
expect_out_has '  # The analyst'"'"'s assumption: TTP attacks in the border provinces are'
expect_out_has '  party TTP "TTP: Tehreek-i-Taliban Pakistan", like "TTP: *"'
printf '%s\n' "$out" >"$TMP/canon.map"
run fmt --check "$TMP/canon.map"
expect_rc 0
run import acled --map "$TMP/canon.map" "$EX/acled/sample.csv"
expect_rc 0
expect_err_has 'cmt: 7 events from 12 rows'

case_ "usage"
run import acled "$EX/acled/sample.csv"
expect_rc 2; expect_err_has "needs a --map MAPPING written for acled"
run import ucdp --map "$EX/acled/istanbul.map" "$EX/ucdp/sample.csv"
expect_rc 2; expect_err_has "written for ucdp"
run import gdelt --map "$EX/acled/istanbul.map" x.csv
expect_rc 2; expect_err_has "wants a dataset first: acled or ucdp"
run import acled --map "$EX/acled/istanbul.map"
expect_rc 2; expect_err_has "needs at least one CSV file"
run status "$EX/istanbul.cmt" --import "$EX/acled/sample.csv" --map "$EX/acled/istanbul.map"
expect_rc 2; expect_err_has "--import wants DATASET:CSV"
run import acled --map "$EX/acled/istanbul.map" /nonexistent.csv
expect_rc 2; expect_err_has "/nonexistent.csv: error: cannot open"
run check "$EX/istanbul.cmt" --map "$EX/acled/istanbul.map"
expect_rc 2; expect_err_has "option '--map' does not apply to 'cmt check'"

finish
