#!/bin/bash
# cmt graph (issue 13): debtor and creditor edges told apart, guards and
# event atoms, every party linked, --party, clusters on a large
# agreement (and the picture's size), the first view, the help text.
. "$(dirname "$0")/lib.sh"

EX="$SRCDIR/examples"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP" "$T_OUT" "$T_ERR"' EXIT
have_dot=0
command -v dot >/dev/null 2>&1 && have_dot=1

case_ "graph istanbul: debtor and creditor edges differ; the unless event"
run graph "$EX/istanbul.cmt"
expect_rc 0; expect_err_empty
expect_out_has '"AF" -> "no_safe_haven" [color="#8b4513", penwidth=1.5, arrowhead=none];'
expect_out_has '"no_safe_haven" -> "PK" [color="#1f6fb2"];'
expect_out_has '"ceasefire" -> "guard:ceasefire:1" [label="unless"'
expect_out_has 'label="attack(from: AF, on: PK)\nwithin 30d"'
# the actor TTP has no relation but is linked to the text by its role
expect_out_has '"TTP" -> "agreement:text" [label="actor"'

case_ "graph --party AF: its neighbourhood only"
run graph --party AF "$EX/istanbul.cmt"
expect_rc 0; expect_err_empty
expect_out_has 'party AF and its commitments'
expect_out_has '"no_safe_haven" ['
expect_out_lacks '"TTP" ['
if [ "$have_dot" -eq 1 ]; then
	dot -Tsvg "$T_OUT" -o "$TMP/p.svg" || fail_ "dot rejects the --party graph"
fi

case_ "graph --party: agreements without the party are skipped"
printf 'agreement other {\n  party X "X"\n}\n' >"$TMP/other.cmt"
run graph --party AF "$EX/istanbul.cmt" "$TMP/other.cmt"
expect_rc 0
expect_out_has 'digraph "istanbul_round3"'
expect_out_lacks 'digraph "other"'

case_ "graph --party naming no party of any agreement: exit 2"
run graph --party QQ "$EX/istanbul.cmt"
expect_rc 2; expect_out_empty
expect_err_has "no agreement has a party 'QQ'"

case_ "graph --party twice: exit 2"
run graph --party AF --party PK "$EX/istanbul.cmt"
expect_rc 2; expect_out_empty
expect_err_has "'--party' given twice"

case_ "--party is an option of graph only"
run status --party AF "$EX/istanbul.cmt"
expect_rc 2; expect_err_has "does not apply"

case_ "graph draws one view: the first --view given"
run graph --view AF --view PK "$EX/istanbul.cmt" --events "$EX/istanbul.events"
expect_rc 0
expect_out_has 'view: AF"'
expect_out_lacks 'view: PK'

case_ "graph --help promises no side-by-side views"
run graph --help
expect_rc 0
expect_out_has "--party PARTY"
expect_out_has "the first --view given (one view is drawn)"
expect_out_lacks "side by side"

case_ "a 150-party agreement: clusters in a grid, not a column"
python3 - "$TMP/big.cmt" <<'PY'
import sys
n = 150
L = ['agreement big "150 parties" {']
L += [f'  party S{i} "State {i}" state' for i in range(n)]
L += ['  guarantor G1 "Guarantor" state', '  witness W1 "Witness" organization']
L.append('  signed by ' + ', '.join(f'S{i}' for i in range(n)))
L += [f'  commitment c{i} {{ S{i} must not test(kind: nuclear) }}' for i in range(n)]
L += [f'  commitment r{i} {{ S{i} must report() to S{(i+1)%n} if violated(c{(i+1)%n}) witnessed by W1 }}'
      for i in range(0, n, 3)]
L.append('}')
open(sys.argv[1], 'w').write('\n'.join(L) + '\n')
PY
run graph "$TMP/big.cmt"
expect_rc 0; expect_err_empty
expect_out_has 'rankdir=TB'
expect_out_has 'subgraph "cluster_S0" {'
expect_out_has 'subgraph "cluster_G1" {'
expect_out_has '\nto all other parties"'
expect_out_has 'signed the text"'
expect_out_lacks '"c0" -> "S1"'
if [ "$have_dot" -eq 1 ]; then
	dot -Tsvg "$T_OUT" -o "$TMP/big.svg" 2>"$TMP/dot.err" \
		|| fail_ "dot rejects the 150-party graph: $(head -3 "$TMP/dot.err")"
	# width and height in pt: neither over 8000, no side over 3 times the other (it was a
	# 900 x 8900 column; measured 7410 x 3085 with 50 witness edges)
	size=$(grep -o '<svg width="[0-9]*pt" height="[0-9]*pt"' "$TMP/big.svg" | tr -dc '0-9 ')
	python3 -c 'import sys; w, h = map(int, sys.argv[1:]); sys.exit(0 if max(w, h) <= 8000 and max(w, h) <= 3 * min(w, h) else 1)' $size \
		|| fail_ "150-party picture is $size pt"
fi

case_ "a 150-party agreement, --party: its duties and what it is owed only"
run graph --party S3 "$TMP/big.cmt"
expect_rc 0; expect_err_empty
expect_out_has '"c0" -> "S3" [color="#1f6fb2"];'
expect_out_lacks '"c0" -> "S1"'
expect_out_has '"r3" -> "S4"'
if [ "$have_dot" -eq 1 ]; then
	dot -Tsvg "$T_OUT" -o "$TMP/p3.svg" || fail_ "dot rejects the --party S3 graph"
fi

finish
