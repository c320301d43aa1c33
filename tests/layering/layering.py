#!/usr/bin/env python3
"""The layering test: lib/ is one folder per layer, and a layer uses only
the layers the table below allows (docs/architecture.md draws the same
table).

It reads the object files of the internal library with `nm` and maps each
object to its layer by the folder of its source (meson names the object of
lib/check/resolve.c `check_resolve.c.o`; a source directly in lib/ is the
API layer). An undefined symbol of one object that another object defines
is an edge between their layers; an edge the table does not allow fails
the test, naming the file and the symbol. It also reads the sources: an
`#include "LAYER/..."` of a layer that may not be used fails, and so does
any file in lib/ longer than 800 lines.

  layering.py --nm NM --lib-dir SRC/lib ARCHIVE [--extra LAYER/FILE=ARCHIVE]
              [--shared LIBRARY.so --test-only LAYER/FILE ...]

With --shared, the symbols of the test-only sources (--test-only, the
internal library's lib_test_sources) must not be in the shared library.

--extra adds the objects of another archive as if their source were
LAYER/FILE (the test of this test uses it to plant a back edge).

SPDX-License-Identifier: LGPL-3.0-or-later
"""
import argparse
import os
import re
import subprocess
import sys

# The one table: which layers each layer may use (besides itself). Keep it
# in step with docs/architecture.md.
ALLOWED = {
    'util': set(),
    'model': {'util'},
    'syntax': {'model', 'util'},
    'check': {'model', 'util'},
    'eval': {'check', 'model', 'util'},
    'monitor': {'syntax', 'check', 'import', 'model', 'util'},
    'analysis': {'check', 'model', 'util'},
    'import': {'model', 'util'},
    'api': {'util', 'model', 'syntax', 'check', 'eval', 'monitor',
            'analysis', 'import'},
}
FOLDERS = [k for k in ALLOWED if k != 'api']
MAX_LINES = 800
DEFINED = set('TDRBCVGSWui')  # text, data, rodata, bss, common, weak, ...


def source_of(obj):
    """'check_resolve.c.o' -> 'check/resolve.c'; a generated source
    ('meson-generated_.._policies.c.o') and a source in lib/ are the API
    layer's."""
    name = os.path.basename(obj)
    if name.endswith('.o'):
        name = name[:-2]
    if name.startswith('meson-generated_'):
        return name.rsplit('_', 1)[-1] + ' (generated)'
    for f in FOLDERS:
        if name.startswith(f + '_'):
            return f + '/' + name[len(f) + 1:]
    return name


def layer_of(path):
    head = path.split('/', 1)[0]
    return head if '/' in path and head in ALLOWED else 'api'


def read_objects(nm, archive, as_file=None):
    """{source: (defined symbols, undefined symbols)} of one archive."""
    out = subprocess.run([nm, '-A', archive], check=True,
                         capture_output=True, text=True).stdout
    objs = {}
    for line in out.splitlines():
        # ARCHIVE:MEMBER:VALUE TYPE SYMBOL (VALUE blank when undefined)
        parts = line.rsplit(':', 1)
        if len(parts) != 2:
            continue
        member = parts[0].split(':', 1)[-1]
        f = parts[1].split()
        if len(f) < 2:
            continue
        kind, sym = f[-2], f[-1]
        src = as_file or source_of(member)
        d, u = objs.setdefault(src, (set(), set()))
        if kind in 'Uw':
            u.add(sym)
        elif kind in DEFINED:
            d.add(sym)
    return objs


def check_symbols(objs):
    owner = {}
    for src, (d, _) in objs.items():
        for s in d:
            owner.setdefault(s, src)
    bad, edges = [], 0
    for src, (_, u) in sorted(objs.items()):
        la = layer_of(src)
        for s in sorted(u):
            dst = owner.get(s)
            if dst is None:
                continue  # talloc, libc
            lb = layer_of(dst)
            if lb == la:
                continue
            edges += 1
            if lb not in ALLOWED[la]:
                bad.append('%s uses %s (defined in %s): %s may not use %s'
                           % (src, s, dst, la, lb))
    return bad, edges


INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def check_sources(lib_dir):
    bad, nfiles = [], 0
    for root, dirs, files in os.walk(lib_dir):
        dirs.sort()
        for fn in sorted(files):
            path = os.path.join(root, fn)
            rel = os.path.relpath(path, lib_dir).replace(os.sep, '/')
            try:
                with open(path, encoding='utf-8', errors='replace') as fh:
                    lines = fh.readlines()
            except OSError as e:
                bad.append('%s: cannot read: %s' % (rel, e))
                continue
            nfiles += 1
            if len(lines) > MAX_LINES:
                bad.append('lib/%s has %d lines, more than %d'
                           % (rel, len(lines), MAX_LINES))
            if not fn.endswith(('.c', '.h')):
                continue
            la = layer_of(rel)
            for i, line in enumerate(lines, 1):
                m = INCLUDE.match(line)
                if not m or '/' not in m.group(1):
                    continue
                lb = m.group(1).split('/', 1)[0]
                if lb in ALLOWED and lb != la and lb not in ALLOWED[la]:
                    bad.append('lib/%s:%d includes "%s": %s may not use %s'
                               % (rel, i, m.group(1), la, lb))
    return bad, nfiles


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--nm', default='nm')
    ap.add_argument('--lib-dir', required=True)
    ap.add_argument('--extra', action='append', default=[])
    ap.add_argument('--shared')
    ap.add_argument('--test-only', action='append', default=[])
    ap.add_argument('archive')
    a = ap.parse_args()

    objs = read_objects(a.nm, a.archive)
    for e in a.extra:
        as_file, arch = e.split('=', 1)
        objs.update(read_objects(a.nm, arch, as_file))
    layers = {layer_of(s) for s in objs}
    problems = []
    if layers != set(ALLOWED):
        # an empty or unreadable archive must not pass for a clean one
        problems.append('objects found for layers %s, expected %s'
                        % (sorted(layers), sorted(ALLOWED)))
    bad, edges = check_symbols(objs)
    problems += bad
    sbad, nfiles = check_sources(a.lib_dir)
    problems += sbad
    if a.shared:
        out = subprocess.run([a.nm, a.shared], check=True,
                             capture_output=True, text=True).stdout
        shipped = {l.split()[-1] for l in out.splitlines() if l.strip()}
        for src in a.test_only:
            if src not in objs:
                problems.append('no object for the test-only source %s'
                                % src)
                continue
            for sym in sorted(objs[src][0] & shipped):
                problems.append('%s is test-only but %s is in %s'
                                % (src, sym, os.path.basename(a.shared)))
    for p in problems:
        print('layering: ' + p)
    print('layering: %d objects, %d cross-layer references, %d files read, '
          '%d problems' % (len(objs), edges, nfiles, len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
