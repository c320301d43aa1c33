#!/bin/sh
# Render the pictures of docs/analysis.md: every agreement of
# examples/*.cmt and docs/deadlock.cmt as SVG in docs/img/, plus the
# Istanbul round after its events. Run from anywhere, after a build:
#
#   docs/render-graphs.sh [PATH-TO-CMT]     # default: build/tools/cmt
#
# Needs Graphviz's `dot`. Files without agreements (policies only) are
# skipped; a file with several agreements gives one SVG per agreement
# (NAME-2.svg, ...).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cmt=${1:-$root/build/tools/cmt}
out=$root/docs/img
mkdir -p "$out"

render() { # name, cmt arguments...
	name=$1; shift
	tmp=$(mktemp -d)
	"$cmt" graph "$@" >"$tmp/all.dot"
	# one digraph per file: split at each `digraph` line
	awk -v dir="$tmp" '/^digraph /{n++} {print > (dir "/g" n ".dot")}' \
		"$tmp/all.dot"
	n=0
	for g in $(ls "$tmp"/g*.dot 2>/dev/null | sort -V); do
		n=$((n + 1))
		suffix=; [ "$n" -gt 1 ] && suffix=-$n
		dot -Tsvg "$g" -o "$out/$name$suffix.svg"
		echo "docs/img/$name$suffix.svg"
	done
	rm -rf "$tmp"
}

for f in "$root"/examples/*.cmt "$root"/docs/deadlock.cmt; do
	grep -q '^agreement' "$f" || continue
	render "$(basename "$f" .cmt)" "$f"
done
render istanbul-events "$root/examples/istanbul.cmt" \
	--events "$root/examples/istanbul.events"
