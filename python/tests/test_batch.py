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


# ---- commitments.batch ----------------------------------------------------

import concurrent.futures as cf  # noqa: E402

from commitments import batch  # noqa: E402


def test_tasks_cross_product(folder):
    ts = batch.tasks([folder], views=["all", "PK"])
    files = sorted({os.path.basename(t[0]) for t in ts})
    assert files == ["broken.cmt", "istanbul.cmt", "ok.cmt"]
    ist = [t for t in ts if t[0].endswith("istanbul.cmt")]
    # X.events next to X.cmt is the default events file
    assert [(os.path.basename(t[1]), t[2]) for t in ist] == [
        ("istanbul.events", "all"), ("istanbul.events", "PK")]
    assert all(t[1] is None for t in batch.tasks([folder], events="none"))
    two = batch.tasks(folder / "istanbul.cmt",
                      events=[None, folder / "istanbul.events"],
                      at="2025-11-21", policies="vclt")
    assert [(t[1] is None, t[3], t[4]) for t in two] == [
        (True, "2025-11-21", ("vclt",)), (False, "2025-11-21", ("vclt",))]
    with pytest.raises(TypeError):
        batch.tasks([folder], views=[3])


def test_rows_and_dataframe(folder):
    rows = batch.run([folder], executor="serial", policies="vclt",
                     at="2025-11-21")
    assert all(list(r)[:len(batch.COLUMNS)] == batch.COLUMNS for r in rows)
    by = {(r["agreement"], r["commitment"]): r for r in rows}
    ns = by[("istanbul_round3", "no_safe_haven")]
    assert ns["state"] == "violated" and ns["at"] == "2025-11-21T23:59Z"
    assert ns["verdict"] == "fails" and ns["failing"] >= 1
    assert by[("ok", "c")]["error"] is None
    [err] = [r for r in rows if r["error"]]
    assert err["error_code"] == "ESYNTAX" and err["commitment"] is None
    pd = pytest.importorskip("pandas")
    df = batch.to_dataframe(rows)
    assert isinstance(df, pd.DataFrame) and len(df) == len(rows)
    assert list(df.columns[:len(batch.COLUMNS)]) == batch.COLUMNS
    assert batch.to_dataframe([]).columns.tolist() == batch.COLUMNS


def test_executors(folder):
    serial = batch.run([folder], executor="serial")
    with cf.ThreadPoolExecutor(2) as ex:
        assert batch.run([folder], executor=ex) == serial
    assert batch.run([folder], max_workers=2) == serial
    with pytest.raises(TypeError, match="executor"):
        batch.run([folder], executor="cloud")


class _Dying(cf.Executor):
    """An executor whose tasks all fail, as if the worker died."""

    def submit(self, fn, *args, **kwargs):
        f = cf.Future()
        f.set_exception(cf.process.BrokenProcessPool("worker died"))
        return f


def test_lost_tasks_are_rows(folder):
    rows = batch.run([folder], executor=_Dying())
    assert len(rows) == 3
    assert {r["error_code"] for r in rows} == {"BrokenProcessPool"}
    assert all("worker died" in r["error"] for r in rows)
