#!/bin/bash
# The library's ABI against the committed baseline of 0.x
# (abi/libcommitments.so.0.abi): abidiff must find no change to what the
# baseline has — no symbol removed, no type reachable from the API changed
# (cm_error is caller-allocated: its layout is ABI) — while symbols added
# (0.2's, in their own version node) are allowed. docs/ownership.md.
# Skipped (77) without abigail-tools or debug info.
set -u
: "${SRCDIR:?}" "${BUILDDIR:?}"
command -v abidw >/dev/null && command -v abidiff >/dev/null \
	|| { echo "SKIP: abigail-tools not installed"; exit 77; }
lib=$BUILDDIR/lib/libcommitments.so
readelf -S "$lib" | grep -q '\.debug_info' \
	|| { echo "SKIP: $lib has no debug info (buildtype without -g)"; exit 77; }
now=$(mktemp); trap 'rm -f "$now"' EXIT
"$SRCDIR/scripts/abi-dump.sh" "$BUILDDIR" >"$now" || exit 1
abidiff --no-added-syms "$SRCDIR/abi/libcommitments.so.0.abi" "$now"
rc=$?
if [ "$rc" -ne 0 ]; then
	echo "abidiff exit $rc: the ABI of 0.x changed (bits: 1 error, 2 usage," \
	     "4 change, 8 incompatible change). Added symbols are allowed;" \
	     "anything else breaks programs built against 0.x."
	exit 1
fi
echo "ABI: compatible with the 0.x baseline (added symbols allowed)"
