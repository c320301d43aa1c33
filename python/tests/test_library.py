"""Finding and loading the library; the error record; version."""

import ctypes
import ctypes.util
import os
import subprocess
import sys

import pytest

import commitments
from commitments import _lib

PYDIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_python(code, library):
    env = dict(os.environ)
    env["PYTHONPATH"] = PYDIR
    if library is None:
        env.pop("COMMITMENTS_LIBRARY", None)
    else:
        env["COMMITMENTS_LIBRARY"] = library
    return subprocess.run([sys.executable, "-c", code], env=env,
                          capture_output=True, text=True, timeout=60)


PROBE = """
import commitments
try:
    commitments.version()
except commitments.LibraryNotFoundError as e:
    print("NOTFOUND", e)
else:
    print("LOADED", commitments.library_path())
"""


def test_version():
    v = commitments.version()
    parts = v.split(".")
    assert len(parts) == 3 and all(p.isdigit() for p in parts)
    major, minor, patch = map(int, parts)
    assert commitments.version_number() == major * 10000 + minor * 100 + patch


def test_library_path_is_env():
    assert commitments.library_path() == os.environ["COMMITMENTS_LIBRARY"]


def test_import_does_not_need_library():
    r = run_python("import commitments; print('ok')", "/nonexistent/lib.so")
    assert r.returncode == 0 and r.stdout.strip() == "ok"


def test_bogus_library_path():
    r = run_python(PROBE, "/nonexistent/libcommitments.so")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("NOTFOUND")
    assert "COMMITMENTS_LIBRARY=/nonexistent/libcommitments.so" in r.stdout
    assert "no such file" in r.stdout


def test_not_a_library(tmp_path):
    bogus = tmp_path / "libcommitments.so"
    bogus.write_text("not an ELF file")
    r = run_python(PROBE, str(bogus))
    assert r.stdout.startswith("NOTFOUND"), r.stdout + r.stderr
    assert "cannot load" in r.stdout


def test_wrong_library():
    # A real shared library that is not libcommitments.
    libc = ctypes.util.find_library("c")
    path = None
    for cand in ("/lib/x86_64-linux-gnu/libc.so.6",
                 "/usr/lib/x86_64-linux-gnu/libc.so.6",
                 "/lib64/libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6"):
        if os.path.exists(cand):
            path = cand
            break
    if path is None:
        pytest.skip("no libc path found (%s)" % libc)
    r = run_python(PROBE, path)
    assert r.stdout.startswith("NOTFOUND"), r.stdout + r.stderr
    assert "does not export cm_" in r.stdout


def test_installed_soname_fallback():
    # Without COMMITMENTS_LIBRARY the installed soname is tried: either it
    # is installed and loads, or the error says how to point at a build.
    r = run_python(PROBE, None)
    assert r.returncode == 0, r.stderr
    if r.stdout.startswith("LOADED"):
        assert "commitments" in r.stdout
    else:
        assert "set COMMITMENTS_LIBRARY" in r.stdout
        assert "libcommitments.so.0" in r.stdout


def test_error_struct_mirrors_header():
    E = _lib.CmError
    assert ctypes.sizeof(E) == 4 + 4 + 4 + 256 + 512
    assert E.code.offset == 0
    assert E.line.offset == 4
    assert E.column.offset == 8
    assert E.file.offset == 12
    assert E.message.offset == 12 + 256


def test_every_table_function_is_bound():
    L = _lib.lib()
    for name in _lib._TABLE:
        fn = getattr(L, name)
        assert callable(fn)
        assert _lib.has(name) or name in _lib._OPTIONAL, name


def test_error_fields():
    with pytest.raises(commitments.Error) as ei:
        commitments.parse("agreement x {\n  party A \"A\" state\n  bogus\n}\n",
                          "f.cmt")
    e = ei.value
    assert e.code == -3 and e.name == "ESYNTAX"
    assert e.file == "f.cmt"
    assert (e.line, e.column) == (3, 3)
    assert str(e).startswith("f.cmt:3:3: error: ")
    assert e.message in str(e)
    assert "ESYNTAX" in repr(e)


def test_error_is_exception_with_plain_constructor():
    e = commitments.Error(-2, "bad thing")
    assert str(e) == "error: bad thing"
    assert e.line is None and e.column is None and e.file is None
    e = commitments.Error(-4, "unknown party X", 2, 5, "a.cmt")
    assert str(e) == "a.cmt:2:5: error: unknown party X"


def test_cstr_refuses_nul_and_non_str():
    with pytest.raises(ValueError):
        commitments.parse("agreement x {}", "a\0b")
    with pytest.raises(TypeError):
        commitments.parse(42)
    with pytest.raises(TypeError):
        commitments.Agreement(b"x")
