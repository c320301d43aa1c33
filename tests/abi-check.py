#!/usr/bin/env python3
"""The exported ABI is exactly what we say it is.

Checks that the dynamic symbols the built library defines are exactly the
functions listed in the linker version script, and exactly the functions
the public headers declare with CM_EXPORT.

usage: abi-check.py LIBRARY MAPFILE HEADER...
"""
import re
import subprocess
import sys


def main() -> int:
    lib, mapfile, headers = sys.argv[1], sys.argv[2], sys.argv[3:]
    nm = subprocess.run(["nm", "-D", "--defined-only", lib], check=True,
                        capture_output=True, text=True).stdout
    exported = set()
    for line in nm.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in "TtWwDdBbRr":
            name = parts[2].split("@")[0]
            if parts[2].startswith("COMMITMENTS_"):
                continue
            exported.add(name)
    exported.discard("COMMITMENTS_0.1")

    with open(mapfile, encoding="utf-8") as f:
        text = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
    mapped = set(re.findall(r"^\s*(cm_[a-z0-9_]+)\s*;", text, re.M))

    declared = set()
    for h in headers:
        with open(h, encoding="utf-8") as f:
            src = f.read()
        declared |= set(re.findall(r"CM_EXPORT[^;(]*?\b(cm_[a-z0-9_]+)\s*\(",
                                   src, re.S))

    ok = True
    for label, a, b in (("exported but not in the map", exported, mapped),
                        ("in the map but not exported", mapped, exported),
                        ("declared CM_EXPORT but not in the map", declared, mapped),
                        ("in the map but not declared in a header", mapped, declared)):
        diff = sorted(a - b)
        if diff:
            ok = False
            print(f"{label}: {', '.join(diff)}")
    bad = sorted(s for s in exported if not s.startswith("cm_"))
    if bad:
        ok = False
        print(f"exported without the cm_ prefix: {', '.join(bad)}")
    print(f"{len(exported)} exported symbols, {len(mapped)} in the map, "
          f"{len(declared)} declared")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
