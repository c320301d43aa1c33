#!/usr/bin/env bash
# Install what libcommitments needs to build and test, from Debian's
# packages. Does nothing when everything is already there.
set -euo pipefail

pkgs=(
  build-essential meson ninja-build pkg-config python3
  libtalloc-dev check            # the library and its unit tests
  libcsv-dev                     # CSV of the dataset importers (lib/import-*)
  python3-pytest                 # the Python binding's tests
  python3-pandas python3-networkx # Python: DataFrames and graphs
  python3-distributed            # Python: batches on a Dask cluster
  python3-setuptools python3-wheel python3-pip python3-venv
                                 # Python: the package builds and installs
  graphviz                       # `dot` validates `cmt graph` output
  valgrind                       # memcheck runs of the unit tests
  gcovr                          # coverage reports
  scdoc                          # the man pages cmt(1), cmt-language(5)
  man-db                         # `man` checks them (tests/docs/test-man.sh)
  abigail-tools                  # abidw/abidiff: the ABI baseline (abi/)
  patch                          # applies `cmt fmt --diff` in the CLI tests
  zsh                            # the zsh completion is syntax-checked
  clang libclang-rt-14-dev       # libFuzzer: the short fuzz runs of CI
)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
[ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
