#!/bin/bash
# cmt usage errors: each exits 2 with `cmt: error: ...` on stderr and
# nothing on stdout.
. "$(dirname "$0")/lib.sh"

EX="$SRCDIR/examples"
usage_error() { expect_rc 2; expect_out_empty; expect_err_has "cmt: error: $1"; }

case_ "no arguments"
run
usage_error "no command given"
expect_err_has "Usage: cmt COMMAND"

case_ "only options, no command"
run --json
usage_error "no command given"

case_ "unknown command"
run frobnicate "$EX/istanbul.cmt"
usage_error "unknown command 'frobnicate'"
expect_err_has "check"

case_ "unknown command with --help"
run frobnicate --help
usage_error "unknown command 'frobnicate'"

case_ "unknown command with --version"
run frobnicate --version
usage_error "unknown command 'frobnicate'"

case_ "a file where the command should be"
run "$EX/istanbul.cmt"
usage_error "unknown command '$EX/istanbul.cmt'"

case_ "unknown long option"
run check --frobnicate "$EX/istanbul.cmt"
usage_error "unknown option '--frobnicate'"
expect_err_has "cmt --help"

case_ "unknown short option"
run check -x "$EX/istanbul.cmt"
usage_error "unknown option '-x'"

case_ "unknown option with a value"
run check --frob=1 "$EX/istanbul.cmt"
usage_error "unknown option '--frob'"

case_ "missing option value at the end"
run check "$EX/istanbul.cmt" --policy
usage_error "option '--policy' needs a value"

case_ "empty option value"
run check "$EX/istanbul.cmt" --policy=
usage_error "option '--policy' needs a value"

case_ "a value given to a flag"
run check --json=yes "$EX/istanbul.cmt"
usage_error "option '--json' takes no value"

case_ "an option of another command"
run check --events "$EX/istanbul.cmt" "$EX/istanbul.cmt"
usage_error "option '--events' does not apply to 'cmt check'"

case_ "fmt's --check is not check's"
run check --check "$EX/istanbul.cmt"
usage_error "option '--check' does not apply to 'cmt check'"

case_ "missing file argument"
run check
usage_error "'cmt check' needs at least one input FILE"

case_ "missing file argument, with options"
run check --json --policy vclt
usage_error "'cmt check' needs at least one input FILE"

case_ "standard input twice"
run_stdin "" check - -
usage_error "standard input ('-') can be read only once"

case_ "usage errors come before reading input"
run check "$EX/does-not-exist.cmt" --bogus
usage_error "unknown option '--bogus'"

finish
