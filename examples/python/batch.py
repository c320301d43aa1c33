#!/usr/bin/env python3
"""Check every agreement in a folder of .cmt files and print one table.

    python3 examples/python/batch.py examples/
    python3 examples/python/batch.py corpus/ --policy vclt --view verified
    python3 examples/python/batch.py corpus/ --csv > table.csv

One row per agreement: its file, id, the documentation verdict (against
its own requirements, or the --policy given), how many requirements fail,
which debtors fall short, how many deadlocks the structure has, and which
agreed commitments are violated after the events.  Events come from the
file's own `events` blocks and, when it exists, a file next to it with the
same name ending in `.events` (X.cmt -> X.events).  A file that does not
parse gives one row with its error; the batch goes on.

Needs the library: set COMMITMENTS_LIBRARY to a built libcommitments.so
(or install it), and PYTHONPATH to the repository's python/ folder.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Dict, List, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "python"))

import commitments  # noqa: E402

COLUMNS = ["file", "agreement", "verdict", "failing", "short",
           "deadlocks", "violated", "error"]


def rows_for_file(path: Path, root: Path, policies: Optional[List[str]],
                  view: str) -> List[Dict[str, str]]:
    rel = str(path.relative_to(root))
    try:
        agreements = commitments.load(path)
    except commitments.Error as e:
        return [{"file": rel, "agreement": "-", "verdict": "error",
                 "error": str(e)}]
    events = path.with_suffix(".events")
    rows = []
    for a in agreements:
        row = {"file": rel, "agreement": a.id}
        try:
            report = a.check(policies=policies)
            row["verdict"] = report.verdict
            row["failing"] = "%d/%d" % (
                sum(1 for r in report.requirements if not r.holds),
                len(report.requirements))
            row["short"] = " ".join(
                "%s:%d/%d" % (party, b.count, b.of)
                for party, b in report.below.items()) or "-"
            row["deadlocks"] = str(len(a.analyze().deadlocks))
            st = a.status(events=events if events.exists() else None,
                          view=view if view in ("all", "verified")
                          or view in a.parties else "all")
            row["violated"] = " ".join(st.violated) or "-"
        except commitments.Error as e:
            row.update(verdict="error", error=str(e))
        finally:
            a.close()
        rows.append(row)
    return rows


def print_table(rows: List[Dict[str, str]]) -> None:
    widths = {c: max([len(c)] + [len(r.get(c, "")) for r in rows])
              for c in COLUMNS}
    print("  ".join(c.ljust(widths[c]) for c in COLUMNS).rstrip())
    print("  ".join("-" * widths[c] for c in COLUMNS))
    for r in rows:
        print("  ".join(r.get(c, "").ljust(widths[c])
                        for c in COLUMNS).rstrip())


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", help="folder searched for *.cmt (recursive)")
    ap.add_argument("--policy", action="append", metavar="NAME",
                    help="check against this policy instead of each "
                    "agreement's own requirements (repeatable)")
    ap.add_argument("--view", default="all",
                    help="all, verified, or a party id (agreements that "
                    "lack that party use all)")
    ap.add_argument("--csv", action="store_true", help="write CSV")
    args = ap.parse_args(argv)

    root = Path(args.folder)
    if not root.is_dir():
        print("batch.py: error: %s is not a folder" % root, file=sys.stderr)
        return 2
    rows: List[Dict[str, str]] = []
    for path in sorted(root.rglob("*.cmt")):
        rows.extend(rows_for_file(path, root, args.policy, args.view))
    if args.csv:
        w = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, restval="")
        w.writeheader()
        w.writerows(rows)
    else:
        print_table(rows)
        fails = sum(1 for r in rows if r["verdict"] == "fails")
        errors = sum(1 for r in rows if r["verdict"] == "error")
        print("\n%d agreements: %d fail their requirements; %d errors"
              % (sum(1 for r in rows if r["agreement"] != "-"), fails,
                 errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
