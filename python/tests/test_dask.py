"""commitments.batch on a Dask cluster: a LocalCluster of 2 worker
processes, each loading the library itself; tidy rows back, the bad file
as an error row. Skipped when dask.distributed is not installed (Debian:
python3-distributed)."""

import os

import pytest

import commitments

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                       processes=True,
                                       dashboard_address=":0",
                                       silence_logs=50)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture
def folder(tmp_path, istanbul_text, timeline):
    (tmp_path / "istanbul.cmt").write_text(istanbul_text)
    (tmp_path / "istanbul.events").write_text("\n".join(timeline) + "\n")
    (tmp_path / "b.cmt").write_text(
        'agreement ok {\n  party A "A" state\n  party B "B" state\n'
        '  commitment c { A must not strike(on: B) }\n}\n')
    (tmp_path / "broken.cmt").write_text("agreement {\n")
    return tmp_path


def test_batch_on_local_cluster(client, folder):
    rows = commitments.batch.run([folder], views=["all", "verified"],
                                 executor=client, timeout=120)
    assert rows == commitments.batch.run([folder],
                                         views=["all", "verified"],
                                         executor="serial")
    errors = [r for r in rows if r["error"]]
    assert [(os.path.basename(r["file"]), r["view"], r["error_code"])
            for r in errors] == [("broken.cmt", "all", "ESYNTAX"),
                                 ("broken.cmt", "verified", "ESYNTAX")]
    ist = {(r["view"], r["commitment"]): r for r in rows
           if r["agreement"] == "istanbul_round3"}
    assert ist[("all", "no_safe_haven")]["state"] == "violated"
    [a] = commitments.load(folder / "istanbul.cmt")
    want = a.status(folder / "istanbul.events", view="verified")
    assert {c: ist[("verified", c)]["state"] for c in want} == {
        c: s.state for c, s in want.items()}
    assert ist[("all", "ceasefire")]["level"] == "verbal"
    # an unknown view is an error row for that agreement, not a lost task
    bad = commitments.batch.run([folder / "b.cmt"], views=["ZZ"],
                                executor=client, timeout=120)
    assert [(r["agreement"], r["error_code"]) for r in bad] == [
        ("ok", "ENOTFOUND")]


def test_workers_load_the_library(client):
    paths = client.run(lambda: commitments.library_path())
    assert len(paths) == 2
    pids = client.run(os.getpid)
    assert os.getpid() not in pids.values()


def test_dataframe_of_a_batch(client, folder):
    pytest.importorskip("pandas")
    df = commitments.batch.to_dataframe(
        commitments.batch.run([folder], executor=client, timeout=120))
    assert list(df.columns[:5]) == list(commitments.batch.COLUMNS[:5])
    assert set(df["agreement"].dropna()) == {"istanbul_round3", "ok"}
