#!/bin/bash
# cmt analyze and cmt graph: text and JSON, the SPEC §6 keys, DOT that
# Graphviz accepts, exit codes, errors.
. "$(dirname "$0")/lib.sh"

EX="$SRCDIR/examples"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP" "$T_OUT" "$T_ERR"' EXIT

cat >"$TMP/deadlock.cmt" <<'CMT'
agreement swap "Prisoner swap" {
  party A "Alpha"
  party B "Beta"
  party C "Gamma"
  commitment release_a { A must release(who: b_prisoners) if fulfilled(release_b) }
  commitment release_b { B must release(who: a_prisoners) if fulfilled(release_a) }
  commitment talks { C must host() if active(release_a) }
  commitment retaliate { B may retaliate() if violated(release_a) }
}
agreement second { party X "X" }
CMT

# ---- analyze -----------------------------------------------------------

case_ "analyze istanbul: exit 0, no deadlock, balance per party"
run analyze "$EX/istanbul.cmt"
expect_rc 0; expect_err_empty
expect_out_has "istanbul_round3"
expect_out_has "no deadlock"
expect_out_has "PK owes ceasefire; holds none; unreciprocated: none"
expect_out_has "AF owes no_safe_haven; holds none; unreciprocated: none"

case_ "analyze --json istanbul: the SPEC §6 keys"
run analyze --json "$EX/istanbul.cmt"
expect_rc 0; expect_err_empty
expect_json 'list(j) == ["schema", "agreements"] and j["schema"] == 1 and len(j["agreements"]) == 1'
expect_json 'set(j["agreements"][0]) >= {"id", "title", "deadlocks", "balance"}'
expect_json 'j["agreements"][0]["id"] == "istanbul_round3"'
expect_json 'j["agreements"][0]["deadlocks"] == []'
expect_json 'list(j["agreements"][0]["balance"]) == ["PK", "AF"]'
expect_json 'j["agreements"][0]["balance"]["PK"] == {"owes": ["ceasefire"], "holds": [], "unreciprocated": []}'

case_ "analyze --json: a deadlock, blocked commitments, a contingent right"
run analyze --json "$TMP/deadlock.cmt"
expect_rc 0; expect_err_empty
expect_json 'len(j["agreements"]) == 2'
expect_json 'j["agreements"][0]["deadlocks"] == [{"cycle": ["release_a", "release_b"], "commitments": ["release_a", "release_b", "talks"]}]'
expect_json 'j["agreements"][0]["balance"]["C"]["unreciprocated"] == ["talks"]'
expect_json 'j["agreements"][0]["balance"]["B"]["holds"] == ["retaliate"]'
expect_json 'j["agreements"][1] == {"schema": 1, "id": "second", "title": None, "deadlocks": [], "balance": {"X": {"owes": [], "holds": [], "unreciprocated": []}}}'

case_ "analyze text: the deadlock named"
run analyze "$TMP/deadlock.cmt"
expect_rc 0
expect_out_has "deadlock 1: release_a, release_b wait on each other"
expect_out_has "never taking effect: release_a, release_b, talks"

case_ "analyze every example: exit 0"
for f in "$EX"/*.cmt; do
	run analyze --json "$f"
	expect_rc 0; expect_err_empty
	expect_json '"agreements" in j'
done

case_ "analyze reads stdin"
run_stdin 'agreement s { party A "A" commitment x { A must go() if fulfilled(x) } }' analyze --json -
expect_rc 0
expect_json 'j["agreements"][0]["deadlocks"] == [{"cycle": ["x"], "commitments": ["x"]}]'

case_ "analyze bad input: exit 2, message on stderr, nothing on stdout"
printf 'agreement b {\n  party A "A"\n  commitment x { Q must go() }\n}\n' >"$TMP/bad.cmt"
run analyze "$TMP/bad.cmt"
expect_rc 2; expect_out_empty
expect_err_has "$TMP/bad.cmt:3:"
expect_err_has "error:"

case_ "analyze: missing file, unknown option"
run analyze "$TMP/none.cmt"
expect_rc 2; expect_out_empty
run analyze --policy vclt "$EX/istanbul.cmt"
expect_rc 2; expect_out_empty

# ---- graph -------------------------------------------------------------

case_ "graph istanbul: a digraph, verbal commitments dashed"
run graph "$EX/istanbul.cmt"
expect_rc 0; expect_err_empty
expect_out_has 'digraph "istanbul_round3" {'
expect_out_has '"no_safe_haven" [shape=box, style="dashed"'
expect_out_has '"defensive_action" -> "no_safe_haven" [label="if violated"'
expect_out_has '"ceasefire" -> "no_safe_haven" [label="reciprocal"'

have_dot=0
command -v dot >/dev/null 2>&1 && have_dot=1

case_ "graph output of every example is accepted by dot"
for f in "$EX"/*.cmt "$TMP/deadlock.cmt"; do
	grep -q '^agreement' "$f" || continue  # a file of policies only
	run graph "$f"
	expect_rc 0; expect_err_empty
	expect_out_has "digraph"
	if [ "$have_dot" -eq 1 ]; then
		dot -Tsvg "$T_OUT" >"$TMP/out.svg" 2>"$TMP/dot.err" \
			|| fail_ "dot rejects the graph of $f: $(cat "$TMP/dot.err")"
		grep -q '<svg' "$TMP/out.svg" || fail_ "no SVG for $f"
	fi
done

case_ "graph --events: nodes filled by state, a legend, a caption"
run graph "$EX/istanbul.cmt" --events "$EX/istanbul.events"
expect_rc 0; expect_err_empty
expect_out_has '\nat 2025-11-20T00:00Z, view: all"'
expect_out_has '"no_safe_haven" [shape=box, style="dashed,filled", fillcolor="#f2a0a0"'
expect_out_has '"ceasefire" [shape=box, style="dashed,filled", fillcolor="#ffe08a"'
expect_out_has 'claimed [active]"'
expect_out_has '"legend:violated"'
if [ "$have_dot" -eq 1 ]; then
	dot -Tsvg "$T_OUT" >"$TMP/out.svg" || fail_ "dot rejects the coloured graph"
fi

case_ "graph: events in the input colour it; a deadlock has a red border"
printf 'agreement e {\n  party A "A"\n  commitment x { A must not go() }\n  events {\n    2025-01-02 go(by: A)\n  }\n}\n' >"$TMP/ev.cmt"
run graph "$TMP/ev.cmt"
expect_rc 0
expect_out_has '"x" [shape=box, style="dashed,filled", fillcolor="#f2a0a0"'
expect_out_has 'at 2025-01-02T00:00Z, view: all'
run graph "$TMP/deadlock.cmt"
expect_rc 0
expect_out_has '"release_a" [shape=box, style="dashed", color="#c0392b"'
expect_out_has '"talks" [shape=box, style="dashed", color="#c0392b"'
expect_out_lacks 'fillcolor="#'"e6e6e6"

case_ "graph --at before the attack, --view AF"
run graph "$EX/istanbul.cmt" --events "$EX/istanbul.events" --at 2025-11-19
expect_rc 0
expect_out_has 'at 2025-11-19T23:59Z, view: all'
expect_out_has '"no_safe_haven" [shape=box, style="dashed,filled", fillcolor="#b8e0a8"'
run graph "$EX/istanbul.cmt" --events "$EX/istanbul.events" --view AF
expect_rc 0
expect_out_has 'view: AF"'

case_ "graph --view naming no party: exit 2"
run graph "$EX/istanbul.cmt" --events "$EX/istanbul.events" --view XX
expect_rc 2; expect_out_empty
expect_err_has "XX"

case_ "graph --events of a missing file: exit 2"
run graph "$EX/istanbul.cmt" --events "$TMP/none.events"
expect_rc 2; expect_out_empty

case_ "graph of a file without agreements: nothing, exit 0"
run graph "$EX/stances.cmt"
expect_rc 0; expect_out_empty; expect_err_empty

case_ "graph bad input: exit 2"
run graph "$TMP/bad.cmt"
expect_rc 2; expect_out_empty
expect_err_has "$TMP/bad.cmt:3:"

case_ "graph: --json is not an option of graph"
run graph --json "$EX/istanbul.cmt"
expect_rc 2; expect_out_empty

finish
