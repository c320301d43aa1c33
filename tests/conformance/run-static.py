#!/usr/bin/env python3
"""Black-box conformance cases for the static side of SPEC (§2, §3, §5, §6).

Each case is a file tests/conformance/static/NAME.cmt whose leading
comment lines starting with '#!' say what to run and what to expect:

  #! cmd: check --json            the command and its options (required);
                                  the case file is appended unless the
                                  line names {file}; {dir} is the folder
                                  of the cases
  #! stdin                        feed the case file on stdin, pass '-'
                                  in its place
  #! stderr                       a run that exits 0 or 1 may write to
                                  stderr (e.g. fmt --check naming a file)
  #! exit: 1                      the expected exit code (required)
  #! json: {...}                  a JSON subset the output must match:
                                  objects match on the keys given, lists
                                  element by element and of equal length
                                  (continued on '#!   ' lines, indented)
  #! expect: PYTHON-EXPR          a Python expression over `j` (the JSON
                                  output) or `out` (stdout text) that must
                                  be true
  #! err: LINE:COL                stderr starts with FILE:LINE:COL: error:
                                  (FILE: the path given, or <stdin>)
  #! errtok: LINE TOKEN [N]       the same, at the Nth (default first)
                                  occurrence of TOKEN as a whole token on LINE
  #! errmsg: TEXT                 stderr contains TEXT
  #! out: TEXT                    stdout contains TEXT

Files whose name starts with '_' are helpers (policy files, a bad file)
named by other cases, not cases. The case file's '#!' lines are part of
its text, so lines count from the top of the file.

A run that exits 2 must print nothing on stdout; any other run, nothing
on stderr (unless '#! stderr'). Commands run in the folder of the cases.
Environment: CMT (the binary), SRCDIR (the source root). Arguments, if
any, select the cases whose name contains one of them. The last line
printed is `N cases, M failed`; the exit status is 1 if any failed.
"""
import json
import os
import re
import subprocess
import sys


def subset(want, got, path="$"):
    """Return None when got matches want, else a description."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return f"{path}: want an object, got {json.dumps(got)[:200]}"
        for k, v in want.items():
            if k not in got:
                return f"{path}: key {k!r} missing"
            d = subset(v, got[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return f"{path}: want {json.dumps(want)[:300]}, got {json.dumps(got)[:300]}"
        for i, (w, g) in enumerate(zip(want, got)):
            d = subset(w, g, f"{path}[{i}]")
            if d:
                return d
        return None
    if type(want) is not type(got) or want != got:
        return f"{path}: want {json.dumps(want)}, got {json.dumps(got)}"
    return None


def token_position(path, arg):
    """'LINE TOKEN [N]' -> 'LINE:COL' of the Nth TOKEN on LINE, in code
    points from 1."""
    parts = arg.split()
    line, tok = int(parts[0]), parts[1]
    nth = int(parts[2]) if len(parts) > 2 else 1
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        text = f.read().split("\n")[line - 1]
    word = r"[A-Za-z0-9_]"
    pat = re.escape(tok)
    if re.match(word, tok[0]):
        pat = r"(?<![A-Za-z0-9_-])" + pat
    if re.match(word, tok[-1]):
        pat = pat + r"(?![A-Za-z0-9_])"
    hits = [m.start() for m in re.finditer(pat, text)]
    if len(hits) < nth:
        raise ValueError(f"no token {tok!r} #{nth} on line {line}")
    return f"{line}:{hits[nth - 1] + 1}"


def parse_case(path):
    spec = {"json": [], "expect": [], "errmsg": [], "out": []}
    last = None
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if not line.startswith("#!"):
                if line.strip() == "" or line.startswith("#"):
                    continue
                break
            if line[2:3] == " " and line[3:4].isspace() and last:
                spec[last][-1] += " " + line[2:].strip()
                continue
            body = line[2:].strip()
            key, _, val = body.partition(":")
            key = key.strip()
            val = val.strip()
            if key in ("stdin", "stderr") and not val:
                spec[key] = True
            elif key in ("json", "expect", "errmsg", "out"):
                spec[key].append(val)
                last = key
            else:
                spec[key] = val
    return spec


def run_case(cmt, casedir, name):
    path = os.path.join(casedir, name)
    spec = parse_case(path)
    problems = []
    if "cmd" not in spec or "exit" not in spec:
        return ["case lacks '#! cmd:' or '#! exit:'"]
    words = spec["cmd"].split()
    stdin = None
    shown = path
    if spec.get("stdin"):
        with open(path, "rb") as f:
            stdin = f.read()
        target = "-"
        shown = "<stdin>"
    else:
        target = path
    args = []
    named = False
    for w in words:
        if "{file}" in w:
            named = True
        args.append(w.replace("{file}", target).replace("{dir}", casedir))
    if not named:
        args.append(target)
    p = subprocess.run([cmt] + args, input=stdin, capture_output=True,
                       cwd=casedir)
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    want_rc = int(spec["exit"])
    if p.returncode != want_rc:
        problems.append(f"exit {p.returncode}, want {want_rc}")
    if p.returncode == 2 and out:
        problems.append("exit 2 with output on stdout")
    if p.returncode != 2 and err and not spec.get("stderr"):
        problems.append("stderr not empty")
    if "errtok" in spec:
        try:
            spec["err"] = token_position(path, spec["errtok"])
        except (ValueError, IndexError) as e:
            return [f"bad errtok: {e}"]
    if "err" in spec:
        prefix = f"{shown}:{spec['err']}: error: "
        if not err.startswith(prefix):
            problems.append(f"stderr does not start with {prefix!r}")
    for m in spec["errmsg"]:
        if m not in err:
            problems.append(f"stderr lacks {m!r}")
    for m in spec["out"]:
        if m not in out:
            problems.append(f"stdout lacks {m!r}")
    j = None
    if spec["json"] or any("j" in e for e in spec["expect"]):
        try:
            j = json.loads(out)
        except ValueError as e:
            problems.append(f"stdout is not JSON: {e}")
    if spec["json"] and j is not None:
        try:
            want = json.loads(" ".join(spec["json"]))
        except ValueError as e:
            want = None
            problems.append(f"the case's JSON is malformed: {e}")
        d = subset(want, j) if want is not None else None
        if d:
            problems.append(d)
    for e in spec["expect"]:
        try:
            ok = eval(e, {"j": j, "out": out, "err": err})
        except Exception as ex:  # a broken expectation is a failure too
            ok = False
            problems.append(f"expect {e!r} raised {ex!r}")
            continue
        if not ok:
            problems.append(f"expect failed: {e}")
    if problems:
        problems.append(f"stdout: {out[:800]!r}")
        problems.append(f"stderr: {err[:400]!r}")
    return problems


def main():
    cmt = os.environ.get("CMT")
    src = os.environ.get("SRCDIR")
    if not cmt or not src:
        print("CMT and SRCDIR must be set", file=sys.stderr)
        return 2
    cmt = os.path.abspath(cmt)
    casedir = os.path.abspath(os.path.join(src, "tests", "conformance",
                                           "static"))
    names = sorted(n for n in os.listdir(casedir) if n.endswith(".cmt")
                   and not n.startswith("_"))
    only = sys.argv[1:]
    if only:
        names = [n for n in names if any(o in n for o in only)]
    failed = 0
    for n in names:
        problems = run_case(cmt, casedir, n)
        if problems:
            failed += 1
            print(f"FAIL {n}")
            for pr in problems:
                print(f"  {pr}")
    print(f"{len(names)} cases, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
