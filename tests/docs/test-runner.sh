#!/bin/bash
# The docs runner itself: every kind of block passes when it holds
# (selftest/good.md) and fails when it has drifted (selftest/bad.md: each
# of its blocks must be reported).
set -u
here=$(dirname "$0")
out=$(python3 "$here/run-docs.py" "$here/selftest/good.md" 2>&1) \
	|| { echo "FAIL: good.md:"; echo "$out"; exit 1; }
echo "$out" | tail -1
out=$(python3 "$here/run-docs.py" "$here/selftest/bad.md" 2>&1) \
	&& { echo "FAIL: bad.md passed"; echo "$out"; exit 1; }
n=$(grep -c '^FAIL' <<<"$out")
want=$(grep -c '^```.* run' "$here/selftest/bad.md")
[ "$n" -eq "$want" ] || { echo "FAIL: $n of $want drifted blocks reported"; echo "$out"; exit 1; }
echo "bad.md: all $n drifted blocks reported"
