#!/usr/bin/env python3
"""Generate many events files for the many-sources benchmark.

usage: gen-sources.py DIR N_FILES EVENTS_PER_FILE

Writes DIR/agreement.cmt (one agreement: a prohibition, an excuse and an
obligation with a deadline) and DIR/e0.events ... DIR/e<N-1>.events, and
DIR/all.events holding the same events in one file. The events of file i
are at minutes k * N + i (k = 0 .. EVENTS_PER_FILE-1) from 2025-01-01, so
the merge interleaves every file with every other (the worst case for a
merge: each event comes from another source than the one before).
"""
import datetime
import os
import sys


def main() -> int:
    out, n, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "agreement.cmt"), "w") as f:
        f.write('agreement bench "Many sources" {\n'
                '  date 2025-01-01\n'
                '  party A "A" state\n'
                '  party B "B" state\n'
                '  mediator M "M" state\n'
                '  commitment hold {\n'
                '    A must not strike(on: B)\n'
                '    unless attack(from: B, on: A) within 1d\n'
                '  }\n'
                '  commitment pay { B must pay(to: A) within 30d }\n'
                '}\n')
    t0 = datetime.datetime(2025, 1, 1)
    verbs = ["talk(with: B)", "attack(from: B, on: A)", "strike(by: A, on: B)",
             "pay(by: B, to: A)"]
    lines = [[] for _ in range(n)]
    for k in range(per):
        for i in range(n):
            t = t0 + datetime.timedelta(minutes=k * n + i)
            v = verbs[(k + i) % len(verbs)]
            lines[i].append(f"{t:%Y-%m-%dT%H:%M} {v} reported by A\n")
    for i in range(n):
        with open(os.path.join(out, f"e{i}.events"), "w") as f:
            f.writelines(lines[i])
    merged = sorted((l for ls in lines for l in ls))
    with open(os.path.join(out, "all.events"), "w") as f:
        f.writelines(merged)
    return 0


if __name__ == "__main__":
    sys.exit(main())
