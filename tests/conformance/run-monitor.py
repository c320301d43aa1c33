#!/usr/bin/env python3
"""Black-box conformance cases for `cmt status` (SPEC §4 and §6).

Each case is a directory under tests/conformance/monitor/ holding:

  *.cmt, *.events   the agreement(s) and any events files
  args              the arguments after `cmt status` (shell words; paths
                    relative to the case directory, where cmt runs);
                    `--json` is appended
  expect.json       {"spec": the rule(s) exercised (not checked),
                     "exit": the expected exit status,
                     "json": a subset of the expected JSON (optional),
                     "stderr": a substring of stderr (optional)}

Subset matching: an object matches when every key it names matches; a
list of objects whose members carry "id" matches when each member finds
its own element with that "id" (and "view", when given), in order; any
other list must be equal element by element; scalars must be equal.
When "exit" is 2, stdout must be empty.

Environment: CMT (the cmt binary), SRCDIR (the source root). Optional
arguments: case names to run. The last line printed is
`N cases, M failed`.
"""

import json
import os
import shlex
import subprocess
import sys


def match(exp, act, path, errs):
    if isinstance(exp, dict):
        if not isinstance(act, dict):
            errs.append(f"{path}: want an object, got {json.dumps(act)}")
            return
        for k, v in exp.items():
            if k not in act:
                errs.append(f"{path}: missing key {k!r}")
            else:
                match(v, act[k], f"{path}.{k}", errs)
    elif isinstance(exp, list):
        if not isinstance(act, list):
            errs.append(f"{path}: want a list, got {json.dumps(act)}")
            return
        keyed = exp and all(isinstance(e, dict) and "id" in e for e in exp)
        if keyed:
            start = 0
            for e in exp:
                key = {k: e[k] for k in ("id", "view") if k in e}
                for i in range(start, len(act)):
                    a = act[i]
                    if isinstance(a, dict) and all(a.get(k) == v for k, v in key.items()):
                        match(e, a, f"{path}[{json.dumps(key)}]", errs)
                        start = i + 1
                        break
                else:
                    errs.append(f"{path}: no element {json.dumps(key)} (in order)")
            return
        if len(exp) != len(act):
            errs.append(f"{path}: want {json.dumps(exp)}, got {json.dumps(act)}")
            return
        for i, (e, a) in enumerate(zip(exp, act)):
            match(e, a, f"{path}[{i}]", errs)
    else:
        if type(exp) is not type(act) or exp != act:
            errs.append(f"{path}: want {json.dumps(exp)}, got {json.dumps(act)}")


def run_case(cmt, cdir):
    errs = []
    with open(os.path.join(cdir, "expect.json"), encoding="utf-8") as f:
        exp = json.load(f)
    with open(os.path.join(cdir, "args"), encoding="utf-8") as f:
        args = shlex.split(f.read(), comments=True)
    p = subprocess.run([cmt, "status"] + args + ["--json"], cwd=cdir,
               capture_output=True, text=True, timeout=60)
    want_rc = exp.get("exit", 0)
    if p.returncode != want_rc:
        errs.append(f"exit status {p.returncode}, want {want_rc}")
    if "stderr" in exp and exp["stderr"] not in p.stderr:
        errs.append(f"stderr lacks {exp['stderr']!r}")
    if want_rc == 2:
        if p.stdout:
            errs.append("stdout not empty")
    elif p.stderr:
        errs.append("stderr not empty")
    if "json" in exp:
        try:
            got = json.loads(p.stdout)
        except ValueError as e:
            errs.append(f"stdout is not JSON: {e}")
        else:
            match(exp["json"], got, "$", errs)
    return errs, p


def main():
    cmt = os.environ.get("CMT")
    if not cmt:
        print("CMT must name the cmt binary", file=sys.stderr)
        return 2
    src = os.environ.get("SRCDIR")
    root = (os.path.join(src, "tests", "conformance", "monitor") if src
        else os.path.join(os.path.dirname(os.path.abspath(__file__)), "monitor"))
    names = sys.argv[1:] or sorted(
        d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
    failed = 0
    for name in names:
        errs, p = run_case(os.path.abspath(cmt), os.path.join(root, name))
        if errs:
            failed += 1
            print(f"FAIL {name}")
            for e in errs:
                print(f"  {e}")
            print(f"  stderr: {p.stderr[:500]}")
        else:
            print(f"ok   {name}")
    print(f"{len(names)} cases, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
