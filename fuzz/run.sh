#!/usr/bin/env bash
# One time-boxed libFuzzer run of a target, as a test (suite `fuzz-run`
# of a -Dfuzz=true build; scripts/test.sh runs them two at a time).
#
#   fuzz/run.sh TARGET SEEDS DICT WORKDIR
#
# Runs TARGET for $FUZZ_SECONDS seconds (default 60) over a scratch corpus
# in WORKDIR (the seeds in SEEDS are read, never written), with the
# options of docs/fuzzing.md. Exits non-zero on any finding (crash, leak,
# timeout, out of memory: libFuzzer's own exit code), leaving the input
# in WORKDIR; prints libFuzzer's final statistics.
set -u
target=$1 seeds=$2 dict=$3 work=$4
secs=${FUZZ_SECONDS:-60}
mkdir -p "$work/corpus"
cd "$work" || exit 1
"$target" corpus "$seeds" -dict="$dict" -max_len=4096 -timeout=10 \
    -rss_limit_mb=1024 -max_total_time="$secs" -print_final_stats=1 \
    -artifact_prefix="$work/" >"$work/fuzz.log" 2>&1
rc=$?
grep -E '^(stat::|#[0-9]+ *DONE)|ERROR|SUMMARY' "$work/fuzz.log" | tail -20
if [ $rc -ne 0 ]; then
  tail -60 "$work/fuzz.log"
  ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null
fi
exit $rc
