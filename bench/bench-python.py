#!/usr/bin/env python3
"""The Python binding against the C library it wraps: check and status of
one large agreement (bench/gen-agreement.py), C alone vs from Python with
every result read into Python objects, and the ratio.

    COMMITMENTS_LIBRARY=build/lib/libcommitments.so PYTHONPATH=python \\
        python3 bench/bench-python.py [N_COMMITMENTS [REPEAT]]

"C" calls the library directly (through ctypes: a handful of calls, so
the figure is the library's own time). "Python" is what a user writes:
``commitments.load(path)``, then ``check()`` / ``status()`` and reading
every commitment of the result (``len(report)``, ``report.requirements``,
``dict(status)``). "records" adds the tidy rows (``records()``) on top.
Figures are CPU seconds of this process, median of REPEAT runs.
"""

from __future__ import annotations

import ctypes
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "python"))

import commitments  # noqa: E402
from commitments import _lib  # noqa: E402


def cpu() -> float:
    return time.process_time()


def median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = cpu()
        fn()
        times.append(cpu() - t)
    return statistics.median(times)


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    fd, path = tempfile.mkstemp(suffix=".cmt")
    with os.fdopen(fd, "w") as f:
        subprocess.run([sys.executable, os.path.join(HERE,
                                                     "gen-agreement.py"),
                        str(n)], stdout=f, check=True)
    try:
        return run(path, n, repeat)
    finally:
        os.unlink(path)


def run(path: str, n: int, repeat: int) -> int:
    L = _lib.lib()
    bpath = path.encode()

    def c_check() -> None:
        doc, rep = ctypes.c_void_p(), ctypes.c_void_p()
        _lib.call("cm_parse_file", None, bpath, ctypes.byref(doc))
        a = L.cm_document_agreement(doc.value, 0)
        _lib.call("cm_check", None, a, (ctypes.c_void_p * 1)(), 0,
                  ctypes.byref(rep))
        L.cm_free(rep.value)
        L.cm_free(doc.value)

    def c_status() -> None:
        doc, mon, snap = ctypes.c_void_p(), ctypes.c_void_p(), \
            ctypes.c_void_p()
        _lib.call("cm_parse_file", None, bpath, ctypes.byref(doc))
        a = L.cm_document_agreement(doc.value, 0)
        _lib.call("cm_monitor_new", None, a, b"all", ctypes.byref(mon))
        _lib.call("cm_monitor_add_document_events", mon.value, doc.value)
        _lib.call("cm_monitor_run", mon.value, commitments.CM_TIME_NONE)
        _lib.call("cm_monitor_snapshot", None, mon.value, ctypes.byref(snap))
        L.cm_free(snap.value)
        L.cm_free(mon.value)
        L.cm_free(doc.value)

    def py_check() -> None:
        [a] = commitments.load(path)
        r = a.check()
        assert len(r) == n and r.requirements is not None and r.below \
            is not None

    def py_check_records() -> None:
        [a] = commitments.load(path)
        assert len(a.check().records()) == n

    def py_status() -> None:
        [a] = commitments.load(path)
        assert len(dict(a.status())) == n

    def py_status_records() -> None:
        [a] = commitments.load(path)
        assert len(a.status().records()) == n

    print("file: %d commitments (bench/gen-agreement.py %d), median of %d"
          % (n, n, repeat))
    print("library: %s (%s)" % (commitments.library_path(),
                                commitments.version()))
    print("%-34s %9s %9s %7s" % ("stage (parse included)", "C s",
                                 "Python s", "ratio"))
    rows = [("check, every commitment read", c_check, py_check),
            ("check + records()", c_check, py_check_records),
            ("status, every commitment read", c_status, py_status),
            ("status + records()", c_status, py_status_records)]
    cache = {}
    for name, cf, pf in rows:
        if cf not in cache:
            cache[cf] = median(cf, repeat)
        c = cache[cf]
        p = median(pf, repeat)
        print("%-34s %9.4f %9.4f %6.1fx" % (name, c, p, p / c))
    return 0


if __name__ == "__main__":
    sys.exit(main())
