"""Pythonic snapshots: Status and Report are read-only mappings with
equality by value; records, DataFrames, networkx graphs and notebook
reprs."""

import shutil
from collections.abc import Mapping

import pytest

import commitments


def test_status_is_a_mapping(istanbul, timeline):
    s = istanbul.status(timeline)
    assert isinstance(s, Mapping)
    assert list(s) == ["no_safe_haven", "ceasefire", "defensive_action"]
    assert len(s) == 3 and "ceasefire" in s and "nope" not in s
    assert s["ceasefire"].state == "suspended"
    assert dict(s.items())["no_safe_haven"].state == "violated"
    assert s.get("nope") is None
    with pytest.raises(KeyError):
        s["nope"]
    with pytest.raises(TypeError):
        s["x"] = 1
    with pytest.raises(TypeError):
        hash(s)


def test_status_equality_by_value(istanbul, timeline):
    a = istanbul.status(timeline)
    b = istanbul.status(list(timeline))
    assert a == b and a is not b
    assert a != istanbul.status(timeline, view="AF")
    assert a != istanbul.status(timeline[:1])
    assert a != dict(a)          # a Status equals only a Status
    [again] = commitments.parse(istanbul.to_text())
    # the same states, but causes name another file: not equal
    assert again.status(timeline) == again.status(timeline)


def test_report_is_a_mapping(istanbul):
    r = istanbul.check()
    assert isinstance(r, Mapping)
    assert list(r) == ["no_safe_haven", "ceasefire", "defensive_action"]
    assert r["ceasefire"].form == "verbal" and r["ceasefire"].debtor == "PK"
    assert r["ceasefire"].creditor == ["AF"]
    assert len(r) == 3 and "ceasefire" in r
    assert [c.id for c in r.commitments] == list(r)
    assert r == istanbul.check() and r != istanbul.check(policies="vclt")
    assert not r          # bool(report) is the verdict
    with pytest.raises(TypeError):
        hash(r)


def test_report_matches_its_json(istanbul):
    """The accessors and the library's JSON say the same."""
    r = istanbul.check(policies=["vclt", "written-only"])
    js = {c["id"]: c for c in r.to_dict()["commitments"]}
    for cid, c in r.items():
        j = js[cid]
        assert (c.form, c.level, c.debtor, list(c.creditor), c.modality,
                c.standing, c.line) == (
            j["form"], j["level"], j["debtor"], j["creditor"],
            j["modality"], j["standing"], j.get("line"))


def test_analysis_is_typed():
    [a] = commitments.parse(
        'agreement d {\n  party A "A" state\n  party B "B" state\n'
        '  commitment x { A must go(to: B) if fulfilled(y) }\n'
        '  commitment y { B must go(to: A) if fulfilled(x) }\n'
        '  commitment z { B may inspect(in: A) }\n}\n')
    an = a.analyze()
    assert isinstance(an, commitments.Analysis)
    assert an.deadlocks == [commitments.Deadlock(["x", "y"], ["x", "y"])]
    assert an.balance["B"].owes == ["y"] and an.balance["B"].holds == ["z"]
    assert an.to_dict()["balance"]["B"] == {
        "owes": an.balance["B"].owes, "holds": an.balance["B"].holds,
        "unreciprocated": an.balance["B"].unreciprocated}
    assert an.states == {"x": "pending", "y": "pending", "z": "active"}
    assert an.conflicts == [] or all(
        isinstance(c, commitments.Conflict) for c in an.conflicts)
    assert an == a.analyze()
    assert an.to_dict()["deadlocks"] == [{"cycle": ["x", "y"],
                                          "commitments": ["x", "y"]}]
    assert an["balance"]["A"]["owes"] == ["x"]   # the 0.1 dict access
    kinds = {(r["kind"], r["commitment"]) for r in an.records()}
    assert ("deadlock", "x") in kinds and ("holds", "z") in kinds


def test_records(istanbul, timeline):
    rows = istanbul.status(timeline, view="AF").records()
    assert [r["commitment"] for r in rows] == [
        "no_safe_haven", "ceasefire", "defensive_action"]
    first = rows[0]
    assert list(first)[:4] == ["agreement", "view", "at", "commitment"]
    assert first["view"] == "AF" and first["agreement"] == "istanbul_round3"
    # causes are flattened; every row has the same columns
    assert {"cause_reason", "cause_event_line", "cause_event_file",
            "cause_commitment"} <= set(first)
    assert all(list(r) == list(first) for r in rows)
    assert all(not isinstance(v, (dict, list)) for r in rows
               for v in r.values())
    start = istanbul.status().records()
    assert start[0]["cause_reason"] == "start"
    assert start[2]["cause_reason"] is None     # still pending

    rep = istanbul.check()
    rows = rep.records()
    assert [r["commitment"] for r in rows] == list(rep)
    assert rows[1]["missing"] == "written form; signature of PK"
    assert rows[1]["failing"] == 2
    fails = rep.records(per="failure")
    assert len(fails) == sum(len(q.failures) for q in rep.requirements)
    assert {"rule", "selector", "policy", "commitment", "missing",
            "remedy"} <= set(fails[0])
    with pytest.raises(ValueError):
        rep.records(per="party")


def test_dataframe(istanbul, timeline):
    pd = pytest.importorskip("pandas")
    df = istanbul.status(timeline).to_dataframe()
    assert isinstance(df, pd.DataFrame)
    assert list(df["commitment"]) == ["no_safe_haven", "ceasefire",
                                      "defensive_action"]
    assert df.set_index("commitment").loc["ceasefire", "state"] == \
        "suspended"
    rf = istanbul.check().to_dataframe(per="failure")
    assert len(rf) == len(istanbul.check().records(per="failure"))
    af = istanbul.analyze().to_dataframe()
    assert set(af["kind"]) == {"owes"}


def test_networkx(istanbul):
    nx = pytest.importorskip("networkx")
    g = istanbul.to_networkx()
    assert isinstance(g, nx.MultiDiGraph)
    assert g.nodes["PK"]["kind"] == "party"
    assert g.nodes["TR"]["role"] == "mediator"
    assert g.nodes["ceasefire"]["modality"] == "must-not"
    rel = {(u, v, d["relation"]) for u, v, d in g.edges(data=True)}
    assert ("PK", "ceasefire", "debtor") in rel
    assert ("ceasefire", "AF", "creditor") in rel
    assert ("ceasefire", "no_safe_haven", "reciprocal") in rel
    assert ("defensive_action", "no_safe_haven", "condition") in rel
    [(_, _, d)] = [e for e in g.edges(data=True)
                   if e[2]["relation"] == "condition"]
    assert d["item"] == "if" and d["atom"] == "violated"


def test_html_reprs(istanbul, timeline):
    h = istanbul.check()._repr_html_()
    assert h.startswith("<div") and "<table" in h and "ceasefire" in h
    s = istanbul.status(timeline)._repr_html_()
    assert "suspended" in s and "<th>state</th>" in s


def test_html_escapes():
    from commitments.tidy import html_table
    h = html_table("a <b>", ["c&d"], [["<script>x</script>", None]])
    assert "<script>" not in h and "&lt;script&gt;" in h
    assert "a &lt;b&gt;" in h and "c&amp;d" in h and "<td></td>" in h
    many = "\n".join("  commitment c%d { A must go() }" % i
                     for i in range(60))
    [big] = commitments.parse('agreement y {\n  party A "A" state\n'
                              + many + "\n}\n")
    h = big.check()._repr_html_()
    assert h.count("<tr>") == 51 and "and 10 more" in h


@pytest.mark.skipif(shutil.which("dot") is None, reason="no Graphviz dot")
def test_svg_repr(istanbul):
    svg = istanbul._repr_svg_()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "ceasefire" in svg


def test_svg_repr_without_dot(istanbul, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert istanbul._repr_svg_() is None
