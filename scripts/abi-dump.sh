#!/bin/bash
# Write the ABI of a built libcommitments.so as libabigail XML (abidw) on
# stdout: the exported symbols and the types reachable from them, types
# private to lib/ (the opaque handles' insides) dropped, no source
# locations (so that moving code does not change it).
#   scripts/abi-dump.sh BUILDDIR > abi/libcommitments.so.0.abi   # new baseline
# Needs a build with debug info (the default buildtype, debugoptimized).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: abi-dump.sh BUILDDIR}" && pwd)
exec abidw --headers-dir "$src/include/commitments" \
	--headers-dir "$build/include/commitments" --drop-private-types \
	--no-corpus-path --no-comp-dir-path --no-show-locs --drop-undefined-syms \
	"$build/lib/libcommitments.so"
