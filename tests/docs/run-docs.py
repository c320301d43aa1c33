#!/usr/bin/env python3
"""Run the runnable code blocks of README.md and docs/*.md (docs/testing.md,
"Docs that stay true").

A fenced block is runnable when the word `run` follows its language on the
opening fence (GitHub shows the language and ignores the rest):

  ```console run    a transcript: `$ CMD` lines (continued by `> ` lines)
                    are run one by one with bash, in one scratch folder;
                    the lines up to the next `$ ` are the expected output
                    (stdout and stderr together); a line `...` stands for
                    any number of lines. `echo $?` sees the exit code of
                    the command before it.
  ```sh run         a script, run with `bash -euo pipefail`: must exit 0.
  ```cmt run        a .cmt file: `cmt check` on it must exit 0 or 1 (the
                    input is valid), or exit=N exactly.
  ```python run     a script, run with python3 against the build: exit 0.
  ```c run          a whole C program, compiled against the build and
                    run: exit 0. `c run fragment`: statements, wrapped in
                    main() (its #include lines go on top, with stdio.h).
  ```json run       must parse as JSON.

Options after `run`: exit=N (the exit code wanted), file=PATH (the block
must also be the file PATH of the repository, verbatim).

Everything runs in a scratch folder holding a copy of the source tree and
`build` -> the build being tested; `cmt` on PATH is
that build's. Environment (from meson): SRCDIR, BUILDDIR, CMT, CC,
DOCS_CFLAGS (include flags), DOCS_LIBDIR (the folder of the library),
DOCS_PRELOAD (the sanitizer runtime to preload into python, or empty).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SRC = Path(os.environ["SRCDIR"]).resolve()
BUILD = Path(os.environ["BUILDDIR"]).resolve()
CMT = Path(os.environ["CMT"]).resolve()
LIBDIR = Path(os.environ["DOCS_LIBDIR"]).resolve()
CC = os.environ.get("CC") or "cc"
CFLAGS = os.environ.get("DOCS_CFLAGS", "").split()
PRELOAD = os.environ.get("DOCS_PRELOAD", "")
TIMEOUT = 300

FENCE = re.compile(r"^(\s*)(```+)(.*)$")


def blocks(path):
    """(line, info words, text) for every fenced block of @path."""
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = m.group(1), m.group(2), m.group(3).split()
        start = i + 1
        body = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            line = lines[i]
            body.append(line[len(indent):] if line.startswith(indent) else line)
            i += 1
        yield start, info, "\n".join(body) + "\n"
        i += 1


def options(info):
    opts = {}
    for w in info[2:]:
        k, _, v = w.partition("=")
        opts[k] = v or True
    return opts


def sandbox():
    d = Path(tempfile.mkdtemp(prefix="docs-test-"))
    # A copy of the tree (a few MB), so that a block can write anywhere
    # without touching the sources.
    for e in SRC.iterdir():
        if e.name.startswith("build") or e.name.startswith("."):
            continue
        if e.is_dir():
            shutil.copytree(e, d / e.name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(e, d / e.name)
    (d / "build").symlink_to(BUILD)
    bindir = d / ".bin"
    bindir.mkdir()
    (bindir / "cmt").symlink_to(CMT)
    return d


def env_for(box, python=False):
    env = dict(os.environ)
    env["PATH"] = f"{box / '.bin'}:{env.get('PATH', '/usr/bin:/bin')}"
    env["LD_LIBRARY_PATH"] = str(LIBDIR)
    env["LC_ALL"] = "C.UTF-8"
    env.pop("COMMITMENTS_LIBRARY", None)
    env.pop("PYTHONPATH", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if python and PRELOAD:
        env["LD_PRELOAD"] = PRELOAD
        env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":detect_leaks=0"
    return env


def run(cmd, box, python=False, stdin=None):
    r = subprocess.run(cmd, cwd=box, env=env_for(box, python),
                       input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=TIMEOUT)
    return r.returncode, r.stdout.decode("utf-8", "replace")


def matches(want, got):
    """Lines @want (with `...` for any lines) against @got."""
    if not want:
        return not got
    if want[0] == "...":
        return any(matches(want[1:], got[k:]) for k in range(len(got) + 1))
    return bool(got) and want[0] == got[0] and matches(want[1:], got[1:])


def transcript(text, box):
    """Run a console transcript; a list of problems."""
    steps = []  # (command, expected lines)
    for line in text.rstrip("\n").split("\n"):
        if line.startswith("$ "):
            steps.append([line[2:], []])
        elif line.startswith("> ") and steps and not steps[-1][1]:
            steps[-1][0] += "\n" + line[2:]
        elif steps:
            steps[-1][1].append(line)
        elif line.strip():
            return [f"text before the first '$ ' line: {line!r}"]
    if not steps:
        return ["no '$ ' command in a console block"]
    problems, prev = [], 0
    for cmd, want in steps:
        python = "python3" in cmd
        rc, out = run(["bash", "-c", f"(exit {prev}); {cmd}"], box, python)
        got = out.rstrip("\n").split("\n") if out.rstrip("\n") else []
        got = [g.rstrip() for g in got]
        want = [w.rstrip() for w in want]
        while want and not want[-1]:
            want.pop()
        if not matches(want, got):
            problems.append(f"$ {cmd}\n--- documented\n" + "\n".join(want) +
                            "\n--- actual (exit %d)\n" % rc + "\n".join(got))
        prev = rc
    return problems


def check_exit(rc, out, opts, default_ok):
    want = opts.get("exit")
    if want is not None and want is not True:
        if rc != int(want):
            return [f"exit {rc}, want {want}\n{out}"]
        return []
    if rc not in default_ok:
        return [f"exit {rc}\n{out}"]
    return []


def run_block(lang, opts, text, box):
    if "file" in opts:
        f = SRC / opts["file"]
        if not f.is_file() or f.read_text(encoding="utf-8") != text:
            return [f"differs from {opts['file']}"]
    if lang in ("console", "shell-session") or (
            lang in ("sh", "bash", "shell") and text.lstrip().startswith("$ ")):
        return transcript(text, box)
    if lang in ("sh", "bash", "shell"):
        rc, out = run(["bash", "-euo", "pipefail", "-c", text], box)
        return check_exit(rc, out, opts, (0,))
    if lang == "cmt":
        rc, out = run([str(CMT), "check", "-"], box, stdin=text.encode())
        return check_exit(rc, out, opts, (0, 1))
    if lang == "python":
        py = box / ".block.py"
        py.write_text(text, encoding="utf-8")
        env_cmd = ["env", f"COMMITMENTS_LIBRARY={LIBDIR / 'libcommitments.so'}",
                   f"PYTHONPATH={SRC / 'python'}", "python3", str(py)]
        rc, out = run(env_cmd, box, python=True)
        return check_exit(rc, out, opts, (0,))
    if lang == "c":
        if "fragment" in opts:
            inc = [l for l in text.split("\n") if l.startswith("#include")]
            body = [l for l in text.split("\n") if not l.startswith("#include")]
            text = ("#include <stdio.h>\n" + "\n".join(inc) +
                    "\nint main(void)\n{\n" + "\n".join(body) +
                    "\nreturn 0;\n}\n")
        c = box / ".block.c"
        exe = box / ".block"
        c.write_text(text, encoding="utf-8")
        rc, out = run([CC, "-std=c11", "-Wall", "-Werror",
                       "-Wno-unused-variable", "-Wno-unused-but-set-variable",
                       *CFLAGS, str(c), "-o", str(exe), f"-L{LIBDIR}",
                       "-lcommitments", f"-Wl,-rpath,{LIBDIR}"], box)
        if rc != 0:
            return [f"does not compile:\n{out}"]
        rc, out = run([str(exe)], box)
        return check_exit(rc, out, opts, (0,))
    if lang == "json":
        try:
            json.loads(text)
        except ValueError as e:
            return [f"not JSON: {e}"]
        return []
    return [f"no runner for language {lang!r}"]


def main():
    # Arguments: other Markdown files instead (the runner's own test).
    files = [Path(a).resolve() for a in sys.argv[1:]] or (
        [SRC / "README.md"] + sorted((SRC / "docs").glob("*.md")))
    total = ran = failed = 0
    box = sandbox()
    try:
        for f in files:
            for line, info, text in blocks(f):
                total += 1
                if len(info) < 2 or info[1] != "run":
                    continue
                ran += 1
                where = f"{f.relative_to(SRC) if f.is_relative_to(SRC) else f}:{line}"
                try:
                    problems = run_block(info[0], options(info), text, box)
                except subprocess.TimeoutExpired:
                    problems = [f"timed out after {TIMEOUT} s"]
                if problems:
                    failed += 1
                    print(f"FAIL {where} ({' '.join(info)})")
                    for p in problems:
                        print("  " + p.replace("\n", "\n  "))
                else:
                    print(f"ok   {where} ({' '.join(info)})")
    finally:
        shutil.rmtree(box, ignore_errors=True)
    print(f"{total} code blocks, {ran} runnable, {failed} failed")
    return 1 if failed or ran == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
