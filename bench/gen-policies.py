#!/usr/bin/env python3
"""Generate N policies and one agreement that uses each of them.

usage: gen-policies.py N > many-policies.cmt

The many-policies benchmark (bench/README.md): every policy name is looked
up when it is defined (duplicates) and again at its `use`, so a linear
search per name makes the whole quadratic.
"""
import sys


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    w = sys.stdout.write
    for i in range(n):
        w(f"policy p{i} {{ require dated }}\n")
    w("agreement a {\n  date 2025-01-01\n")
    for i in range(n):
        w(f"  use p{i}\n")
    w("}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
