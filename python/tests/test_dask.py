"""commitments.batch on a Dask cluster: a LocalCluster of 2 worker
processes (run by dask_batch.py in a process of its own), each loading
the library itself; tidy rows back, the bad file as error rows.
Skipped when dask.distributed is not installed (Debian:
python3-distributed)."""

import json
import os
import subprocess
import sys

import pytest

import commitments

pytest.importorskip("distributed")

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    from conftest import ISTANBUL, TIMELINE
    folder = tmp_path_factory.mktemp("dask")
    (folder / "istanbul.cmt").write_text(ISTANBUL)
    (folder / "istanbul.events").write_text("\n".join(TIMELINE) + "\n")
    (folder / "b.cmt").write_text(
        'agreement ok {\n  party A "A" state\n  party B "B" state\n'
        '  commitment c { A must not strike(on: B) }\n}\n')
    (folder / "broken.cmt").write_text("agreement {\n")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [os.path.dirname(HERE)] + [p for p in
                                   env.get("PYTHONPATH", "").split(os.pathsep)
                                   if p])
    r = subprocess.run([sys.executable, os.path.join(HERE, "dask_batch.py"),
                        str(folder)], capture_output=True, text=True,
                       timeout=600, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    return folder, json.loads(r.stdout)


def test_rows_as_on_one_machine(result):
    folder, out = result
    serial = commitments.batch.run([folder], views=["all", "verified"],
                                   executor="serial")
    assert out["rows"] == json.loads(json.dumps(serial, default=str))
    errors = [r for r in out["rows"] if r["error"]]
    assert [(os.path.basename(r["file"]), r["view"], r["error_code"],
             r["error_line"]) for r in errors] == [
        ("broken.cmt", "all", "ESYNTAX", 1),
        ("broken.cmt", "verified", "ESYNTAX", 1)]
    ist = {(r["view"], r["commitment"]): r for r in out["rows"]
           if r["agreement"] == "istanbul_round3"}
    assert ist[("all", "no_safe_haven")]["state"] == "violated"
    assert ist[("all", "ceasefire")]["level"] == "verbal"
    [a] = commitments.load(folder / "istanbul.cmt")
    want = a.status(folder / "istanbul.events", view="verified")
    assert {c: ist[("verified", c)]["state"] for c in want} == {
        c: s.state for c, s in want.items()}


def test_failures_are_rows(result):
    _, out = result
    # a view naming no party of the agreement: an error row, not a lost task
    assert [(r["agreement"], r["error_code"])
            for r in out["unknown_view"]] == [("ok", "ENOTFOUND")]
    assert [r["commitment"] for r in out["current"]] == ["c"]


def test_each_worker_loads_the_library(result):
    _, out = result
    assert len(out["paths"]) == 2
    assert all(p == commitments.library_path() for p in out["paths"])
    assert out["pid"] not in out["pids"] and len(set(out["pids"])) == 2
