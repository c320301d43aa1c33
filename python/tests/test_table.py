"""The ctypes table agrees with the public headers, function by function:
the same number of parameters, and the same C types."""

import ctypes
import glob
import os
import re

import pytest

from commitments import _lib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
HEADERS = os.path.join(ROOT, "include", "commitments")

PROTO = re.compile(r"CM_EXPORT\s+([^;(]*?)\b(cm_\w+)\s*\(([^)]*)\)\s*;", re.S)


def prototypes():
    out = {}
    for h in (glob.glob(os.path.join(HEADERS, "*.h"))
              + glob.glob(os.path.join(HEADERS, "*.h.in"))):
        text = re.sub(r"/\*.*?\*/", "", open(h, encoding="utf-8").read(),
                      flags=re.S)
        for ret, name, args in PROTO.findall(text):
            args = " ".join(args.split())
            params = [] if args in ("", "void") else [
                a.strip() for a in args.split(",")]
            out[name] = (" ".join(ret.split()), params)
    return out


def ctype_of(decl):
    """The ctypes type the binding must use for a C declaration."""
    d = re.sub(r"\b[a-z_0-9]+$", "", decl.strip()).strip()  # drop the name
    d = d.replace("const ", "").replace(" const", "").strip()
    d = re.sub(r"\s*\*", "*", d)
    exact = {
        "void": None, "int": ctypes.c_int, "size_t": ctypes.c_size_t,
        "cm_time": ctypes.c_int64, "int64_t": ctypes.c_int64,
        "int32_t": ctypes.c_int32, "uint32_t": ctypes.c_uint32,
        "uint64_t": ctypes.c_uint64,
        "char*": ctypes.c_char_p,
        "cm_error*": ctypes.POINTER(_lib.CmError),
        "cm_time*": ctypes.POINTER(ctypes.c_int64),
        "int32_t*": ctypes.POINTER(ctypes.c_int32),
    }
    if d in exact:
        return exact[d]
    if d.endswith("**"):
        return ctypes.POINTER(ctypes.c_void_p)   # out-parameters, arrays
    if d.endswith("*"):
        return ctypes.c_void_p                   # opaque handles
    raise AssertionError("unmapped C type %r" % decl)


@pytest.mark.skipif(not os.path.isdir(HEADERS), reason="no source tree")
def test_table_matches_headers():
    protos = prototypes()
    assert len(protos) > 100
    for name, (restype, argtypes, status) in _lib._TABLE.items():
        assert name in protos, "%s is not declared in the headers" % name
        ret, params = protos[name]
        assert len(argtypes) == len(params), name
        want = ctype_of(ret + " x") if ret != "void" else None
        assert restype == want, (name, ret, restype)
        for i, (have, decl) in enumerate(zip(argtypes, params)):
            assert have == ctype_of(decl), (name, i, decl, have)
        if status:
            assert ret == "int" and params[-1].startswith("cm_error"), name
