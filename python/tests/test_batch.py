"""examples/python/batch.py runs over a folder and prints a table."""

import csv
import io
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
BATCH = os.path.join(ROOT, "examples", "python", "batch.py")


def run(*args):
    return subprocess.run([sys.executable, BATCH] + list(args),
                          capture_output=True, text=True, timeout=120,
                          env=dict(os.environ))


@pytest.fixture
def folder(tmp_path, istanbul_text, timeline):
    (tmp_path / "istanbul.cmt").write_text(istanbul_text)
    (tmp_path / "istanbul.events").write_text("\n".join(timeline) + "\n")
    sub = tmp_path / "more"
    sub.mkdir()
    (sub / "ok.cmt").write_text(
        'agreement ok "Fine" {\n  date 2025-01-01\n'
        '  party A "A" state\n  party B "B" state\n  signed by A, B\n'
        '  require written\n'
        '  commitment c { A must not strike(on: B) }\n}\n')
    (tmp_path / "broken.cmt").write_text("agreement {\n")
    return tmp_path


def test_batch_csv(folder):
    r = run(str(folder), "--csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(x["file"], x["agreement"], x["verdict"]) for x in rows] == [
        ("broken.cmt", "-", "error"),
        ("istanbul.cmt", "istanbul_round3", "fails"),
        (os.path.join("more", "ok.cmt"), "ok", "meets")]
    assert "broken.cmt:1:11: error:" in rows[0]["error"]
    ist = rows[1]
    assert ist["failing"] == "2/2" and ist["short"] == "PK:1/1 AF:1/1"
    assert ist["deadlocks"] == "0"
    assert ist["violated"] == "no_safe_haven"      # from istanbul.events


def test_batch_view_and_policy(folder):
    r = run(str(folder), "--csv", "--view", "AF", "--policy", "vclt")
    rows = {x["agreement"]: x for x in csv.DictReader(io.StringIO(r.stdout))}
    assert rows["istanbul_round3"]["violated"] == "ceasefire"
    assert rows["istanbul_round3"]["failing"] == "3/3"
    assert rows["ok"]["violated"] == "-"


def test_batch_table_and_usage(folder):
    r = run(str(folder))
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0].split()[:3] == ["file", "agreement", "verdict"]
    assert "2 agreements: 1 fail their requirements; 1 errors" in r.stdout
    r = run(str(folder / "nope"))
    assert r.returncode == 2 and "is not a folder" in r.stderr
