#!/bin/bash
# The generated man pages render without a warning (man --warnings), name
# every command `cmt --help` lists and every option some command accepts,
# and the example of cmt-language(5) is valid input.
set -u
: "${CMT:?}" "${MANDIR:?}"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
for page in cmt.1 cmt-language.5; do
	[ -s "$MANDIR/$page" ] || { fail "$page not generated"; continue; }
	if command -v man >/dev/null; then
		w=$(MANWIDTH=80 man --warnings -l "$MANDIR/$page" 2>&1 >/dev/null)
		[ -z "$w" ] || fail "$page: $w"
	fi
done
text=$(MANWIDTH=200 man -l "$MANDIR/cmt.1" 2>/dev/null || cat "$MANDIR/cmt.1")
for c in $("$CMT" --help | awk '/^Commands:/ { f = 1; next } f && /^$/ { exit } f { print $1 }'); do
	grep -q "^       $c" <<<"$text" || fail "cmt(1) does not describe the command '$c'"
	for o in $("$CMT" "$c" --help | grep -oE '^  (-[a-zA-Z], )?--[a-z][a-z-]*' | grep -oE -- '--[a-z][a-z-]*'); do
		grep -qe "$o" <<<"$text" || fail "cmt(1) does not describe '$o' (of cmt $c)"
	done
done
ex=$(MANWIDTH=200 man -l "$MANDIR/cmt-language.5" 2>/dev/null | sed -n '/^EXAMPLE/,/^SEE ALSO/p' | sed '1d;$d' | sed 's/^       //')
printf '%s\n' "$ex" | "$CMT" check - >/dev/null 2>"${TMPDIR:-/tmp}/man-ex.$$"
rc=$?
[ "$rc" -le 1 ] || fail "cmt-language(5)'s example: $(cat "${TMPDIR:-/tmp}/man-ex.$$")"
rm -f "${TMPDIR:-/tmp}/man-ex.$$"
echo "man: $fails failed"
[ "$fails" -eq 0 ]
