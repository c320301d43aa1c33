#!/bin/sh
# Build the libFuzzer targets with clang (ASan + UBSan) from the library's
# sources. BUILDDIR is a configured meson build directory (for version.h
# and the generated policies.c; run ninja there first).
#
#   fuzz/build.sh build && build/fuzz/fuzz-parse -max_total_time=60 fuzz/corpus-parse
#   build/fuzz/fuzz-events fuzz/corpus-events
#   build/fuzz/fuzz-reader-chunks fuzz/corpus-events
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
build=$(cd "${1:-build}" && pwd)
mkdir -p "$build/fuzz"
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
inc="-I$src/lib -I$src/include -I$build/include -DCM_BUILDING_LIBRARY"
libsrc=$(ls "$src"/lib/*.c)
for t in parse events; do
	clang $flags $inc -o "$build/fuzz/fuzz-$t" "$here/fuzz-$t.c" $libsrc \
		"$build/lib/policies.c" -ltalloc
done
# the differential reader target: a 16-byte file window
clang $flags $inc -DCM__READER_CHUNK=16 -o "$build/fuzz/fuzz-reader-chunks" \
	"$here/fuzz-reader-chunks.c" $libsrc "$build/lib/policies.c" -ltalloc
echo "built fuzz-parse, fuzz-events and fuzz-reader-chunks in $build/fuzz"
