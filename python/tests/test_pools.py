"""Pools over a folder with a bad file: a result per good file and the
error (with its position) for the bad one, never a hang. Every wait is
bounded."""

import concurrent.futures as cf
import multiprocessing as mp
import os

import pytest

import commitments

import poolwork

TIMEOUT = 120
METHODS = [m for m in ("spawn", "forkserver", "fork")
           if m in mp.get_all_start_methods()]


@pytest.fixture
def folder(tmp_path, istanbul_text):
    (tmp_path / "a.cmt").write_text(istanbul_text)
    (tmp_path / "b.cmt").write_text(
        'agreement ok {\n  party A "A" state\n  party B "B" state\n'
        '  commitment c { A must not strike(on: B) }\n}\n')
    (tmp_path / "broken.cmt").write_text('agreement x {\n  party A "A"\n'
                                         '  commitment {\n}\n')
    return sorted(str(p) for p in tmp_path.glob("*.cmt"))


@pytest.mark.parametrize("method", METHODS)
def test_executor(folder, method):
    ctx = mp.get_context(method)
    with cf.ProcessPoolExecutor(max_workers=2, mp_context=ctx) as ex:
        futs = {p: ex.submit(poolwork.check_file, p) for p in folder}
        done = {}
        for p, f in futs.items():
            try:
                done[os.path.basename(p)] = f.result(timeout=TIMEOUT)
            except commitments.Error as e:
                done[os.path.basename(p)] = e
    aid, verdict, states, report, status = done["a.cmt"]
    assert (aid, verdict) == ("istanbul_round3", "fails")
    assert report["ceasefire"].level == "verbal"
    assert status["ceasefire"].state == states["ceasefire"]
    assert done["b.cmt"][:2] == ("ok", "meets")
    e = done["broken.cmt"]
    assert isinstance(e, commitments.Error) and e.name == "ESYNTAX"
    assert (os.path.basename(e.file), e.line, e.column) == ("broken.cmt",
                                                            3, 14)


@pytest.mark.parametrize("method", METHODS)
def test_pool_map(folder, method):
    ctx = mp.get_context(method)
    with ctx.Pool(2) as pool:
        good = pool.map_async(poolwork.check_file, folder[:2]).get(TIMEOUT)
        assert [g[0] for g in good] == ["istanbul_round3", "ok"]
        # 0.1: the worker's Error could not be unpickled and map hung
        with pytest.raises(commitments.Error) as ei:
            pool.map_async(poolwork.check_file, folder).get(TIMEOUT)
        assert ei.value.line == 3 and ei.value.file.endswith("broken.cmt")


@pytest.mark.parametrize("method", METHODS)
def test_batch_over_processes(folder, method):
    rows = commitments.batch.run(folder, executor="process", max_workers=2,
                                 mp_context=mp.get_context(method),
                                 timeout=TIMEOUT)
    errors = [r for r in rows if r["error"]]
    assert len(errors) == 1 and errors[0]["error_line"] == 3
    assert errors[0]["file"].endswith("broken.cmt")
    assert {r["agreement"] for r in rows if not r["error"]} == {
        "istanbul_round3", "ok"}
    assert rows == commitments.batch.run(folder, executor="serial")


def test_each_worker_loads_the_library(folder):
    ctx = mp.get_context(METHODS[0])
    with cf.ProcessPoolExecutor(max_workers=2, mp_context=ctx) as ex:
        got = list(ex.map(poolwork.library_path, range(4), timeout=TIMEOUT))
    assert all(path == commitments.library_path() for _, path in got)
    assert all(pid != os.getpid() for pid, _ in got)
