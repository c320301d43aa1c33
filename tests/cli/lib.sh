# Shared by the CLI test scripts: run `cmt` and assert on its exit code and
# output. Usage in a script:
#   . "$(dirname "$0")/lib.sh"      # needs CMT (path of the binary) and
#                                    # SRCDIR (source root) in the env
#   run check "$SRCDIR/examples/istanbul.cmt"   # sets $rc $out $err
#   expect_rc 1; expect_out_has 'fails'; expect_err_empty
#   run_stdin "text" check -                    # feeds text on stdin
#   finish                                      # exit status, summary
set -u
: "${CMT:?CMT must name the cmt binary}"
: "${SRCDIR:?SRCDIR must name the source root}"
T_FAILS=0
T_CASES=0
T_NAME=""
T_OUT=$(mktemp); T_ERR=$(mktemp)
trap 'rm -f "$T_OUT" "$T_ERR"' EXIT

case_() { T_NAME="$*"; T_CASES=$((T_CASES + 1)); }
run() { "$CMT" "$@" >"$T_OUT" 2>"$T_ERR"; rc=$?; out=$(cat "$T_OUT"); err=$(cat "$T_ERR"); }
run_stdin() { local input=$1; shift; printf '%s' "$input" | "$CMT" "$@" >"$T_OUT" 2>"$T_ERR"; rc=$?; out=$(cat "$T_OUT"); err=$(cat "$T_ERR"); }
fail_() { echo "FAIL [$T_NAME]: $*"; echo "  stdout: ${out:0:600}"; echo "  stderr: ${err:0:600}"; T_FAILS=$((T_FAILS + 1)); }
expect_rc() { [ "$rc" -eq "$1" ] || fail_ "exit code $rc, want $1"; }
expect_out_has() { grep -qF -- "$1" "$T_OUT" || fail_ "stdout lacks '$1'"; }
expect_out_lacks() { ! grep -qF -- "$1" "$T_OUT" || fail_ "stdout has '$1'"; }
expect_err_has() { grep -qF -- "$1" "$T_ERR" || fail_ "stderr lacks '$1'"; }
expect_out_empty() { [ ! -s "$T_OUT" ] || fail_ "stdout not empty"; }
expect_err_empty() { [ ! -s "$T_ERR" ] || fail_ "stderr not empty"; }
# Evaluate a Python expression over the JSON on stdout, bound to `j`.
expect_json() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$T_OUT" "$1" \
		|| fail_ "JSON check failed: $1"
}
finish() { echo "$T_CASES cases, $T_FAILS failed"; [ "$T_FAILS" -eq 0 ]; }
