#!/bin/bash
# cmt status: exit codes 0/1/2, JSON keys, text, --at, --view (repeated:
# the exit code follows the first), an undeclared view party, --events
# (repeated), stdin, malformed events.
. "$(dirname "$0")/lib.sh"

EX="$SRCDIR/examples"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP" "$T_OUT" "$T_ERR"' EXIT

cat >"$TMP/ist.cmt" <<'CMT'
agreement istanbul_round3 "Security understanding, Istanbul round" {
  date 2025-11-07
  party    PK  "Pakistan"                      state
  party    AF  "Afghan Taliban administration" authority
  mediator TR  "Turkiye"                       state
  mediator QA  "Qatar"                         state
  actor    TTP "Tehreek-e-Taliban Pakistan"    armed-group
  commitment no_safe_haven {
    AF must prevent attack(from: AF, on: PK)
    verbal
  }
  commitment ceasefire {
    PK must not strike(on: AF)
    unless attack(from: AF, on: PK) within 30d
    reciprocal no_safe_haven
    verbal
  }
  commitment defensive_action {
    PK may strike(in: AF, against: TTP)
    if violated(no_safe_haven)
    claimed
    verbal
  }
}
CMT
printf '2025-11-20 attack(by: TTP, from: AF, on: PK) reported by PK denied by AF\n' >"$TMP/attack.ev"
printf '2025-11-22 strike(by: PK, on: AF, in: AF, against: TTP)\n' >"$TMP/strike.ev"
printf '2025-11-20 attack(by: TTP, from: AF, on: PK)\n2025-11-21 strike(by PK)\n' >"$TMP/bad.ev"

case_ "no events: exit 0, everything active since the date"
run status "$TMP/ist.cmt"
expect_rc 0; expect_err_empty
expect_out_has 'status at 2025-11-07T23:59Z'
expect_out_has 'ceasefire         active             since 2025-11-07T00:00Z'
expect_out_has 'claimed pending'

case_ "the bundled example with its events file: exit 1"
run status "$EX/istanbul.cmt" --events "$EX/istanbul.events"
expect_rc 1; expect_err_empty
expect_out_has 'violated'
expect_out_has 'claimed active'

case_ "JSON keys"
run status "$TMP/ist.cmt" --events "$TMP/attack.ev" --json
expect_rc 1
expect_json 'list(j) == ["schema", "agreements"] and j["schema"] == 1 and len(j["agreements"]) == 1'
expect_json 'set(j["agreements"][0]) >= {"id", "title", "at", "view", "commitments"}'
expect_json 'j["agreements"][0]["at"] == "2025-11-20T00:00Z" and j["agreements"][0]["view"] == "all"'
expect_json 'all(set(c) >= {"id","state","standing","since","cause","excused_by"} for c in j["agreements"][0]["commitments"])'
expect_json '[c["state"] for c in j["agreements"][0]["commitments"]] == ["violated", "suspended", "active"]'
expect_json 'j["agreements"][0]["commitments"][1]["cause"] == {"reason": "condition", "event_line": 1, "event_file": "'"$TMP"'/attack.ev", "commitment": "no_safe_haven"}'
expect_json 'j["agreements"][0]["commitments"][2]["standing"] == "claimed"'

case_ "--at before the attack: exit 0"
run status "$TMP/ist.cmt" --events "$TMP/attack.ev" --at 2025-11-19 --json
expect_rc 0
expect_json 'j["agreements"][0]["at"] == "2025-11-19T23:59Z"'
expect_json 'j["agreements"][0]["commitments"][0]["state"] == "active"'

case_ "--events repeated, views side by side; AF first: the strike violates"
run status "$TMP/ist.cmt" --events "$TMP/attack.ev" --events "$TMP/strike.ev" --view AF --view PK --json
expect_rc 1
expect_json '[a["view"] for a in j["agreements"]] == ["AF", "PK"]'
expect_json 'j["agreements"][0]["commitments"][1]["state"] == "violated" and j["agreements"][1]["commitments"][1]["state"] == "suspended"'
expect_json 'j["agreements"][0]["at"] == j["agreements"][1]["at"] == "2025-11-22T00:00Z"'

case_ "the exit code follows the first view"
run status "$TMP/ist.cmt" --events "$TMP/attack.ev" --view verified --view PK
expect_rc 0
expect_out_has '(view verified)'
expect_out_has '(view PK)'
expect_out_has 'views differ:'

case_ "text: one line per commitment with since and why"
run status "$TMP/ist.cmt" --events "$TMP/attack.ev"
expect_out_has 'no_safe_haven     violated'
expect_out_has 'since 2025-11-20T00:00Z  event at '"$TMP"'/attack.ev:1'
expect_out_has 'condition on no_safe_haven'

case_ "an undeclared view party: exit 2"
run status "$TMP/ist.cmt" --view XX
expect_rc 2; expect_out_empty
expect_err_has "unknown party 'XX'"

case_ "a malformed events line: exit 2 with its line, nothing on stdout"
run status "$TMP/ist.cmt" --events "$TMP/bad.ev"
expect_rc 2; expect_out_empty
expect_err_has "$TMP/bad.ev:2:"

case_ "a missing events file: exit 2"
run status "$TMP/ist.cmt" --events "$TMP/none.ev"
expect_rc 2; expect_out_empty
expect_err_has 'none.ev'

case_ "the agreement on stdin"
run_stdin "$(cat "$TMP/ist.cmt")" status - --events "$TMP/attack.ev"
expect_rc 1
expect_out_has 'no_safe_haven'

case_ "events on stdin"
run_stdin "$(cat "$TMP/attack.ev")" status "$TMP/ist.cmt" --events - --view PK --view AF --json
expect_rc 1
expect_json 'j["agreements"][0]["commitments"][0]["cause"]["event_file"] == "<stdin>"'
expect_json 'j["agreements"][1]["commitments"][0]["state"] == "active"'

case_ "a bad --at: exit 2"
run status "$TMP/ist.cmt" --at 2025-02-30
expect_rc 2; expect_out_empty

case_ "views side by side: a claimed right reads 'claimed active', never 'active'"
run_stdin '2025-11-20 attack(by: TTP, from: AF, on: PK) reported by PK denied by AF
' status "$SRCDIR/examples/istanbul.cmt" --events - --view PK --view AF
expect_out_has "defensive_action: by PK claimed active since 2025-11-20T00:00Z; by AF claimed pending since the start"
case_ "--events - over 256 MiB on stdin: the size-limit message"
head -c 270000000 /dev/zero | "$CMT" status "$TMP/ist.cmt" --events - >"$T_OUT" 2>"$T_ERR"; rc=$?; out=$(cat "$T_OUT"); err=$(cat "$T_ERR")
expect_rc 2; expect_out_empty
expect_err_has "<stdin>: error: input larger than 256 MiB, the largest events text read whole"

case_ "--events DIRECTORY: no position (issue 16)"
run status "$TMP/ist.cmt" --events "$TMP"
expect_rc 2; expect_out_empty
expect_err_has "$TMP: error: cannot read: Is a directory"
grep -qF "$TMP:1:1" "$T_ERR" && fail_ "a position for a directory"

case_ "events files with CR, CR-LF and LF line ends (issue 16)"
printf '# c\r2025-11-20 attack(by: TTP, from: AF, on: PK) # x\r\n' >"$TMP/cr.ev"
run status "$TMP/ist.cmt" --events "$TMP/cr.ev" --json
printf '2025-11-20 attack(by: TTP, from: AF, on: PK)\n' >"$TMP/lf.ev"
cp "$T_OUT" "$TMP/cr.json"
run status "$TMP/ist.cmt" --events "$TMP/lf.ev" --json
sed 's/cr\.ev/lf.ev/g; s/"event_line": 2/"event_line": 1/g' "$TMP/cr.json" | cmp -s - "$T_OUT" || fail_ "CR events differ from LF ones"

finish
