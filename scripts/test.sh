#!/usr/bin/env bash
# Build libcommitments five times and run the tests (docs/testing.md):
#  - plain: every suite, then the unit suites again under valgrind
#    (memcheck, leaks are errors);
#  - AddressSanitizer + UndefinedBehaviorSanitizer: every suite;
#  - allocation-failure injection (-Dfault_injection=true), with ASan +
#    UBSan: the unit suites, the oom suite among them;
#  - ThreadSanitizer: the threads suite (tests/check_threads.c);
#  - clang + libFuzzer (-Dfuzz=true), ASan + UBSan: a short run of every
#    fuzz target ($FUZZ_SECONDS each, default 60), two at a time; each
#    run counts as one test.
# Ends with the total over every suite: "N passed, N failed".
#
#   scripts/test.sh            # what CI runs (.ci/run calls this)
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scripts/install-deps.sh || { echo "could not install dependencies"; echo "0 passed, 1 failed"; exit 1; }

status=0
logs=()
build() { # name, meson options...
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; return 1; }
  fi
  ninja -C "$dir" >"$dir.ninja.log" 2>&1 || { tail -50 "$dir.ninja.log"; return 1; }
}

build_targets() { # name, "targets...", meson options...: only those targets
  local dir=$1 targets=$2; shift 2
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; return 1; }
  fi
  # shellcheck disable=SC2086  # the targets are words
  ninja -C "$dir" $targets >"$dir.ninja.log" 2>&1 || { tail -50 "$dir.ninja.log"; return 1; }
}

run_suites() { # dir, setup name or "", extra meson test args...
  local dir=$1 setup=$2; shift 2
  local log="$dir/meson-logs/testlog.json"
  if [ -n "$setup" ]; then
    set -- --setup="$setup" "$@"
    log="$dir/meson-logs/testlog-$setup.json"
  fi
  rm -f "$log"
  meson test -C "$dir" --print-errorlogs --num-processes 2 "$@" || status=1
  logs+=("$log")
}

echo "== plain build"
if build build-test; then
  run_suites build-test ""
else
  status=1
fi

echo "== valgrind (unit suites, plain build)"
if [ -f build-test/build.ninja ] && command -v valgrind >/dev/null; then
  run_suites build-test valgrind --suite unit
fi

echo "== ASan + UBSan build"
if build build-asan -Db_sanitize=address,undefined -Db_lundef=false; then
  run_suites build-asan asan   # the setup sets ASAN_OPTIONS / UBSAN_OPTIONS
else
  status=1
fi

echo "== fault-injection + ASan/UBSan build (unit suites, oom among them)"
# (sanitized too: a failure path that leaks a block with no talloc parent
# escapes the suites' block counts, not LeakSanitizer)
if build build-oomasan -Dfault_injection=true -Db_sanitize=address,undefined \
    -Db_lundef=false; then
  run_suites build-oomasan asan --suite unit
else
  status=1
fi

echo "== ThreadSanitizer build (threads suite)"
# only what the suite needs is built (the rest would double the time)
if build_targets build-tsan "tests/check_threads" -Db_sanitize=thread \
    -Db_lundef=false; then
  run_suites build-tsan tsan --no-rebuild threads
else
  status=1
fi

echo "== libFuzzer build (clang, ASan + UBSan): short fuzz runs, two at a time"
fuzz_targets=(fuzz/fuzz-parse fuzz/fuzz-events fuzz/fuzz-condition
              fuzz/fuzz-pipeline fuzz/fuzz-reader fuzz/fuzz-reader-chunks
              fuzz/fuzz-import fuzz/fuzz-inspect)
if CC=clang build_targets build-fuzz "${fuzz_targets[*]}" -Dfuzz=true \
    -Dtests=false -Db_sanitize=address,undefined -Db_lundef=false; then
  run_suites build-fuzz "" --no-rebuild --suite fuzz-run
else
  status=1
fi

python3 scripts/count-tests.py "${logs[@]}" || status=1
exit $status
