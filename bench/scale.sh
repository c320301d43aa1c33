#!/usr/bin/env bash
# The scale rows of bench/README.md: many policies, many event sources.
#
#   bench/scale.sh [CMT] [WORKDIR]
#
# CMT defaults to build/examples/cmt (tools/cmt/cmt after the move), WORKDIR
# to a new temporary directory. Prints wall time and peak RSS of each run
# (GNU time).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cmt=${1:-}
if [ -z "$cmt" ]; then
  for c in build/tools/cmt/cmt build/examples/cmt/cmt build/examples/cmt; do
    [ -f "$c" ] && [ -x "$c" ] && { cmt=$c; break; }
  done
fi
work=${2:-$(mktemp -d)}
t() { /usr/bin/time -f "%e s wall, %M KB peak RSS" "$@" >/dev/null 2>"$work/time" || true; tail -1 "$work/time"; }

python3 "$here/gen-policies.py" 100000 >"$work/policies.cmt"
for c in check status fmt; do
  printf '100,000 policies, each used: cmt %-6s ' "$c"; t "$cmt" "$c" "$work/policies.cmt"
done

python3 "$here/gen-sources.py" "$work/src" 10000 100
args=()
for i in $(seq 0 9999); do args+=(--events "$work/src/e$i.events"); done
printf '10,000 files x 100 events: cmt status '; t "$cmt" status "$work/src/agreement.cmt" "${args[@]}"
printf 'the same 1,000,000 events in one file: '; t "$cmt" status "$work/src/agreement.cmt" --events "$work/src/all.events"
