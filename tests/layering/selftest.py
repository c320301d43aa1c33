#!/usr/bin/env python3
"""The test of the layering test: layering.py must pass on the library as
it is, and fail, naming the file and the symbol, when a back edge is
planted (an object that calls the evaluator, presented as a file of the
model: tests/layering/back-edge.c), when a file includes upward, and when
a file in lib/ grows past 800 lines.

  selftest.py LAYERING.PY NM LIB-DIR ARCHIVE BACK-EDGE-ARCHIVE SHARED-LIB

It also fails when code shipped in the shared library is declared
test-only.

SPDX-License-Identifier: LGPL-3.0-or-later
"""
import os
import shutil
import subprocess
import sys
import tempfile

script, nm, lib_dir, archive, back, shared = sys.argv[1:7]
failures = 0


def run(*args):
    p = subprocess.run([sys.executable, script, '--nm', nm] + list(args),
                       capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def expect(what, rc, out, want_rc, needles):
    global failures
    ok = rc == want_rc and all(n in out for n in needles)
    print('%s: %s' % ('ok' if ok else 'FAIL', what))
    if not ok:
        failures += 1
        print('  exit %d (want %d), wanted %r in:\n%s'
              % (rc, want_rc, needles, out))


rc, out = run('--lib-dir', lib_dir, archive)
expect('the library as it is passes', rc, out, 0, ['0 problems'])

rc, out = run('--lib-dir', lib_dir, '--extra',
              'model/back-edge.c=' + back, archive)
expect('a planted back edge fails, naming file and symbol', rc, out, 1,
       ['model/back-edge.c uses cm_report_verdict (defined in '
        'eval/report.c): model may not use eval', '1 problems'])

rc, out = run('--lib-dir', lib_dir, '--extra',
              'analysis/back-edge.c=' + back, archive)
expect('a sibling edge the table does not allow fails', rc, out, 1,
       ['analysis/back-edge.c uses cm_report_verdict', 'analysis may not '
        'use eval'])

rc, out = run('--lib-dir', lib_dir, '--extra', 'back-edge.c=' + back,
              archive)
expect('the API layer may use every layer', rc, out, 0, ['0 problems'])

tmp = tempfile.mkdtemp()
try:
    lib = os.path.join(tmp, 'lib')
    shutil.copytree(lib_dir, lib)
    with open(os.path.join(lib, 'util', 'long.c'), 'w') as f:
        f.write('/* x */\n' * 801)
    with open(os.path.join(lib, 'check', 'up.h'), 'w') as f:
        f.write('#include "model/model.h"\n#include "eval/report.h"\n')
    rc, out = run('--lib-dir', lib, archive)
    expect('a file over 800 lines and an upward include fail', rc, out, 1,
           ['lib/util/long.c has 801 lines, more than 800',
            'lib/check/up.h:2 includes "eval/report.h": check may not use '
            'eval', '2 problems'])
finally:
    shutil.rmtree(tmp)

rc, out = run('--lib-dir', lib_dir, '--shared', shared, '--test-only',
              'model/equal.c', archive)
expect('test-only code absent from the shared library passes', rc, out, 0,
       ['0 problems'])
rc, out = run('--lib-dir', lib_dir, '--shared', shared, '--test-only',
              'model/names.c', archive)
expect('shipped code declared test-only fails', rc, out, 1,
       ['model/names.c is test-only but cm_role_name is in'])

rc, out = run('--lib-dir', lib_dir, back)
expect('an archive without the layers is refused', rc, out, 1,
       ['objects found for layers'])
sys.exit(1 if failures else 0)
