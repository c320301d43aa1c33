#!/bin/bash
# The bash completion (tools/cmt/completions/cmt.bash) completes the
# commands, each command's options and the values of options, from the
# binary's own help; the zsh one parses (zsh -n) where zsh is installed.
. "$(dirname "$0")/lib.sh"
COMP=$SRCDIR/tools/cmt/completions
. "$COMP/cmt.bash"
out= err=

# complete WORDS...: COMPREPLY for the last word, sorted, one line.
complete_() {
	COMP_WORDS=("$CMT" "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_cmt
	out=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
}
has() { case " $out " in *" $1 "*) ;; *) fail_ "completion lacks '$1': $out" ;; esac; }
lacks() { case " $out " in *" $1 "*) fail_ "completion has '$1': $out" ;; esac; }

case_ "the commands, from cmt --help"
complete_ ""
for c in check status analyze graph fmt help; do has "$c"; done
complete_ "st"
[ "$out" = "status " ] || fail_ "st -> '$out'"

case_ "a command's options, from cmt COMMAND --help"
complete_ fmt "--"
has --check; has --diff; has --write; has --quiet; has --help; lacks --policy
complete_ fmt "-"
has -w; has -q
complete_ check "--"
has --policy; has --format; has --json; lacks --events

case_ "option values"
complete_ check --format ""
[ "$out" = "json jsonl text " ] || fail_ "--format -> '$out'"
complete_ status --view ""
has all; has verified
complete_ check --policy "v"
has vclt

case_ "files: .cmt files and folders"
TMP=$(mktemp -d); trap 'rm -rf "$TMP" "$T_OUT" "$T_ERR"' EXIT
touch "$TMP/a.cmt" "$TMP/b.txt"; mkdir "$TMP/sub"
complete_ check "$TMP/"
has "$TMP/a.cmt"; has "$TMP/sub"; lacks "$TMP/b.txt"
complete_ check --policy vclt "$TMP/"
has "$TMP/a.cmt"

case_ "help COMMAND"
complete_ help ""
has check; has fmt

if command -v zsh >/dev/null; then
	case_ "the zsh completion parses"
	zsh -n "$COMP/_cmt" || fail_ "zsh -n failed"
	# zcomp WORDS...: what _cmt offers for the last word, the completion
	# system's functions replaced by stubs that print their arguments.
	zcomp() {
		out=$(COMPFILE=$COMP/_cmt zsh -f -c '
			compadd() { [[ $1 == -a ]] && print -r -- "compadd ${(j: :)${(P)2}}" || print -r -- "compadd $*" }
			_describe() { print -r -- "describe ${(j: :)${(P)2}}" }
			_files() { print -r -- "files $*" }
			_values() { print -r -- "values $*" }
			_alternative() { print -r -- "alternative $*" }
			_message() { print -r -- "message $*" }
			words=("$@"); CURRENT=$#; PREFIX=${words[CURRENT]}
			source "$COMPFILE"' zcomp "$CMT" "$@")
	}
	case_ "zsh: commands with their summaries, options, values, files"
	zcomp ""
	case $out in "describe check:check the documentation requirements"*"fmt:print the files"*"help:"*) ;; *) fail_ "commands: $out" ;; esac
	zcomp fmt "--"
	case " $out " in *" --write "*" --quiet "*) ;; *) fail_ "fmt options: $out" ;; esac
	case " $out " in *" --policy "*) fail_ "fmt offers --policy: $out" ;; esac
	zcomp check --format ""
	[ "$out" = "values format text json jsonl" ] || fail_ "--format: $out"
	zcomp check --policy ""
	case $out in *vclt*'_files -g "*.cmt"'*) ;; *) fail_ "--policy: $out" ;; esac
	zcomp check x
	[ "$out" = "files -g *.cmt(-.)" ] || fail_ "files: $out"
else
	echo "SKIP: no zsh"
fi
finish
