#!/bin/bash
# `meson install` as root to the default prefix, then the installed cmt
# works at once (the install script ran ldconfig), `man cmt` and
# `man cmt-language` open, the completions are in place. Runs in a
# private mount namespace with a tmpfs over /usr/local and an overlay over
# /etc, so nothing of the machine changes; skipped (77) where that is not
# possible (not root, no unshare, no overlay). BUILDDIR: the build tree.
set -u
: "${BUILDDIR:?}" "${SRCDIR:?}"
[ "$(id -u)" -eq 0 ] || { echo "SKIP: not root"; exit 77; }
command -v unshare >/dev/null || { echo "SKIP: no unshare"; exit 77; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/up" "$W/work"
unshare -m --propagation private true 2>/dev/null || { echo "SKIP: unshare -m not allowed"; exit 77; }
unshare -m --propagation private bash -s "$W" "$BUILDDIR" "$SRCDIR" <<'INNER'
W=$1 BUILDDIR=$2 SRCDIR=$3
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
mount -t tmpfs tmpfs /usr/local || exit 77
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$W/up,workdir=$W/work" /etc || exit 77
prefix=$(meson introspect --buildoptions "$BUILDDIR" | python3 -c 'import json,sys; print({o["name"]: o["value"] for o in json.load(sys.stdin)}["prefix"])')
[ "$prefix" = /usr/local ] || { echo "SKIP: prefix $prefix, not /usr/local"; exit 77; }
meson install -C "$BUILDDIR" --no-rebuild --quiet >"$W/install.log" 2>&1 || { cat "$W/install.log"; exit 1; }
out=$(env -u LD_LIBRARY_PATH /usr/local/bin/cmt --version 2>&1) || fail "installed cmt does not run: $out"
case $out in "cmt (libcommitments) "*) ;; *) fail "cmt --version: $out" ;; esac
env -u LD_LIBRARY_PATH /usr/local/bin/cmt check -q "$SRCDIR/examples/karabakh-2020.cmt" || fail "installed cmt check"
for page in cmt cmt-language; do
	MANWIDTH=80 man "$page" 2>/dev/null | grep -q NAME || fail "man $page"
done
[ -f /usr/local/share/bash-completion/completions/cmt ] || fail "no bash completion"
[ -f /usr/local/share/zsh/site-functions/_cmt ] || fail "no zsh completion"
pkg-config --exists commitments 2>/dev/null || PKG_CONFIG_PATH=/usr/local/lib/x86_64-linux-gnu/pkgconfig pkg-config --exists commitments || fail "no pkg-config file"
echo "install: $fails failed"
[ "$fails" -eq 0 ]
INNER
