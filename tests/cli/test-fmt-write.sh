#!/bin/bash
# cmt fmt --write and --diff: files replaced only when not canonical,
# atomically (every failing step leaves the original byte for byte and no
# temporary file; CMT_TEST_FAIL injects the failure, and as root a full
# tmpfs does it for real), the diff applies with patch(1).
. "$(dirname "$0")/lib.sh"

TMP=$(mktemp -d)
MNT=""
cleanup() {
	[ -n "$MNT" ] && umount "$MNT" 2>/dev/null
	rm -rf "$TMP" "$T_OUT" "$T_ERR"
}
trap cleanup EXIT

messy='# header
agreement a "A" { commitment c { P must act(x: 1)   # the clause
  verbal } party P "P"
  date 2025-01-01T00:00 }
'
canonical='# header
agreement a "A" {
  date 2025-01-01
  party P "P"

  commitment c {
    P must act(x: 1)  # the clause
    verbal
  }
}
'
printf '%s' "$canonical" >"$TMP/want.cmt"
fresh() { printf '%s' "$messy" >"$TMP/m.cmt"; chmod 640 "$TMP/m.cmt"; }
no_temp() { # no temporary file left beside the file
	local left
	left=$(find "$TMP" -name '.*.cmt-*' | head -1)
	[ -z "$left" ] || fail_ "temporary file left: $left"
}

case_ "-w rewrites a file that is not canonical, keeps its mode, prints nothing"
fresh
run fmt -w "$TMP/m.cmt"
expect_rc 0; expect_out_empty; expect_err_empty
cmp -s "$TMP/m.cmt" "$TMP/want.cmt" || fail_ "file not canonical after -w"
[ "$(stat -c %a "$TMP/m.cmt")" = 640 ] || fail_ "mode $(stat -c %a "$TMP/m.cmt"), want 640"
no_temp

case_ "--write leaves a canonical file untouched (same inode, same mtime)"
printf '%s' "$canonical" >"$TMP/c.cmt"
touch -d '2020-01-01 00:00' "$TMP/c.cmt"
before=$(stat -c '%i %Y' "$TMP/c.cmt")
run fmt --write "$TMP/c.cmt"
expect_rc 0; expect_out_empty; expect_err_empty
[ "$(stat -c '%i %Y' "$TMP/c.cmt")" = "$before" ] || fail_ "canonical file rewritten"

case_ "-w follows a symbolic link: the target is rewritten, the link stays"
fresh
ln -sf m.cmt "$TMP/link.cmt"
run fmt -w "$TMP/link.cmt"
expect_rc 0
[ -L "$TMP/link.cmt" ] || fail_ "the link was replaced"
cmp -s "$TMP/m.cmt" "$TMP/want.cmt" || fail_ "target not canonical"
rm -f "$TMP/link.cmt"

case_ "-w with several files: each one that needs it"
fresh; cp "$TMP/m.cmt" "$TMP/m2.cmt"
run fmt -w "$TMP/m.cmt" "$TMP/c.cmt" "$TMP/m2.cmt"
expect_rc 0
cmp -s "$TMP/m.cmt" "$TMP/want.cmt" && cmp -s "$TMP/m2.cmt" "$TMP/want.cmt" \
	|| fail_ "not every file rewritten"
rm -f "$TMP/m2.cmt"

case_ "-w on bad input writes nothing (exit 2)"
fresh
printf 'agreement b { bogus }\n' >"$TMP/bad.cmt"
run fmt -w "$TMP/m.cmt" "$TMP/bad.cmt"
expect_rc 2; expect_out_empty; expect_err_has "bad.cmt:1:"
[ "$(cat "$TMP/m.cmt")" = "$(printf '%s' "$messy")" ] || fail_ "m.cmt written despite the error"
rm -f "$TMP/bad.cmt"

for step in open write write:10 chmod fsync close rename; do
	case_ "injected failure at '$step': exit 2, original whole, no temporary file"
	fresh
	CMT_TEST_FAIL=$step run fmt -w "$TMP/m.cmt"
	expect_rc 2; expect_out_empty; expect_err_has "the file is unchanged"
	expect_err_has "$TMP/m.cmt: error: "
	[ "$(cat "$TMP/m.cmt")" = "$(printf '%s' "$messy")" ] || fail_ "original changed"
	no_temp
done

case_ "-w --diff: writes and prints what changed; a failed write prints nothing"
fresh
CMT_TEST_FAIL=fsync run fmt -w --diff "$TMP/m.cmt"
expect_rc 2; expect_out_empty
run fmt -w --diff "$TMP/m.cmt"
expect_rc 0; expect_out_has "+++ $TMP/m.cmt"
cmp -s "$TMP/m.cmt" "$TMP/want.cmt" || fail_ "not written"

case_ "-w and '-', --check with -w or --diff: usage errors"
run_stdin "$messy" fmt -w -
expect_rc 2; expect_out_empty; expect_err_has "standard input ('-') cannot be written back"
run fmt --check -w "$TMP/c.cmt"
expect_rc 2; expect_err_has "'--check' cannot be combined with '--write'"
run fmt --check --diff "$TMP/c.cmt"
expect_rc 2; expect_err_has "'--check' cannot be combined with '--diff'"
run check -w "$TMP/c.cmt"
expect_rc 2; expect_err_has "option '--write' does not apply to 'cmt check'"

case_ "--diff: a unified diff that patch(1) applies, exit 1; none for canonical, exit 0"
fresh
run fmt --diff "$TMP/m.cmt"
expect_rc 1; expect_err_empty
expect_out_has "--- $TMP/m.cmt"; expect_out_has "+++ $TMP/m.cmt"; expect_out_has "@@ -1,4 +1,10 @@"
(cd / && patch -s -p0 <"$T_OUT") || fail_ "patch failed"
cmp -s "$TMP/m.cmt" "$TMP/want.cmt" || fail_ "patched file is not the canonical text"
run fmt --diff "$TMP/c.cmt"
expect_rc 0; expect_out_empty; expect_err_empty

case_ "--diff with context: hunks apart, unchanged lines around, no final newline"
{ for i in $(seq 1 12); do echo "# line $i"; done
  printf 'agreement a {\n}\n'
  for i in $(seq 1 12); do echo "# tail $i"; done
  printf 'agreement b {   }'; } >"$TMP/ctx.cmt"
cp "$TMP/ctx.cmt" "$TMP/ctx0.cmt"
run fmt --diff "$TMP/ctx.cmt"
expect_rc 1
expect_out_has '\ No newline at end of file'
[ "$(grep -c '^@@' "$T_OUT")" -ge 1 ] || fail_ "no hunk"
grep -q '^ # line 1$' "$T_OUT" && fail_ "context reaches too far back"
(cd / && patch -s -p0 <"$T_OUT") || fail_ "patch failed"
"$CMT" fmt "$TMP/ctx0.cmt" | cmp -s - "$TMP/ctx.cmt" || fail_ "patched file is not the canonical text"

case_ "--diff on stdin is labelled <stdin>"
run_stdin "$messy" fmt --diff -
expect_rc 1; expect_out_has "--- <stdin>"

case_ "-q: fmt --check names no file, check prints nothing, exit codes kept"
fresh
run fmt -q --check "$TMP/m.cmt"
expect_rc 1; expect_out_empty; expect_err_empty
run check --quiet "$SRCDIR/examples/istanbul.cmt"
expect_rc 1; expect_out_empty; expect_err_empty
run check -q "$SRCDIR/examples/karabakh-2020.cmt"
expect_rc 0; expect_out_empty
run status -q "$SRCDIR/examples/istanbul.cmt" --events "$SRCDIR/examples/istanbul.events"
expect_rc 1; expect_out_empty
run check -q "$TMP/nope.cmt"
expect_rc 2; expect_err_has "cannot open"

# A real full disk: a tiny tmpfs (root only, and only where mount works).
if [ "$(id -u)" -eq 0 ] && mkdir -p "$TMP/mnt" &&
   mount -t tmpfs -o size=64k tmpfs "$TMP/mnt" 2>/dev/null; then
	MNT=$TMP/mnt
	case_ "full disk (tmpfs): -w fails, the original is whole, no temporary file"
	# A messy file of ~30 KB whose canonical form is longer, then fill
	# the rest of the disk.
	{ printf 'agreement big {\n party P "P"\n'
	  for i in $(seq 1 600); do printf ' commitment c%d { P must act(n: %d) }\n' "$i" "$i"; done
	  printf '}\n'; } >"$MNT/big.cmt"
	cp "$MNT/big.cmt" "$TMP/big.orig"
	dd if=/dev/zero of="$MNT/fill" bs=1k count=64 2>/dev/null
	run fmt -w "$MNT/big.cmt"
	expect_rc 2; expect_err_has "No space left on device"; expect_err_has "the file is unchanged"
	cmp -s "$MNT/big.cmt" "$TMP/big.orig" || fail_ "original changed on a full disk"
	left=$(find "$MNT" -name '.*.cmt-*' | head -1)
	[ -z "$left" ] || fail_ "temporary file left: $left"
	rm -f "$MNT/fill"
	case_ "the same, with room: written"
	run fmt -w "$MNT/big.cmt"
	expect_rc 0
	run fmt --check "$MNT/big.cmt"
	expect_rc 0
else
	echo "SKIP: no tmpfs (not root, or mount not allowed): the full-disk case"
fi

finish
