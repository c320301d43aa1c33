#!/usr/bin/env python3
"""Sum the results of meson test runs into one closing line.

Reads meson's testlog.json files. A test whose output reports its own
counts is counted case by case: Check ("Checks: N, Failures: F, Errors:
E"), pytest ("N passed", "N failed"), the CLI scripts ("N cases, M
failed"). Any other test counts as one. A test that failed as a whole
(crash, timeout, non-zero exit) with no failures in its counts adds one
failure, so nothing that went wrong can disappear from the total.
A skipped test is never counted as passed: it is listed, and the total
says how many were skipped. Prints, last, "N passed, N failed".
"""
import json
import re
import sys

CHECK = re.compile(r"Checks: (\d+), Failures: (\d+), Errors: (\d+)")
PYTEST_PASSED = re.compile(r"(\d+) passed")
PYTEST_FAILED = re.compile(r"(\d+) (?:failed|error|errors)\b")
CLI = re.compile(r"^(\d+) cases, (\d+) failed$", re.M)


def counts(out: str):
    m = CHECK.findall(out)
    if m:
        total = sum(int(a) for a, _, _ in m)
        bad = sum(int(f) + int(e) for _, f, e in m)
        return total - bad, bad
    m = CLI.findall(out)
    if m:
        total = sum(int(a) for a, _ in m)
        bad = sum(int(f) for _, f in m)
        return total - bad, bad
    if "pytest" in out or " passed" in out:
        tail = out.strip().splitlines()[-1] if out.strip() else ""
        p = PYTEST_PASSED.search(tail)
        f = PYTEST_FAILED.findall(tail)
        if p or f:
            return (int(p.group(1)) if p else 0), sum(int(x) for x in f)
    return None


def main() -> int:
    passed = failed = skipped = 0
    for path in sys.argv[1:]:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                lines = fh.readlines()
        except OSError as e:
            print(f"{path}: {e}")
            failed += 1
            continue
        for line in lines:
            t = json.loads(line)
            if t.get("result") == "SKIP":
                skipped += 1
                print(f"  skipped: {t.get('name')}")
                continue
            ok = t.get("result") in ("OK", "EXPECTEDFAIL")
            c = counts(t.get("stdout") or "")
            if c is None:
                p, f = (1, 0) if ok else (0, 1)
            else:
                p, f = c
                if not ok and f == 0:
                    f = 1
            passed += p
            failed += f
    tail = f", {skipped} skipped" if skipped else ""
    print(f"{passed} passed, {failed} failed{tail}")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
