"""SPEC 0.2 part 1 constructs through the read-back API and tidy rows."""
import datetime as dt

import commitments

TEXT = """
agreement a {
  date 2025-01-01
  party PK "Pakistan" state
  party AF "Afghanistan" authority
  commitment c_af { AF must not strike(on: PK) }
  commitment c_pk {
    PK must not strike(on: AF)
    unless breaches(c_af) >= 3 within 30d
    while not breached(c_af)
  }
}
"""


def test_breach_atoms_read_back_and_rebuild():
    [a] = commitments.parse(TEXT)
    conds = a.commitments["c_pk"].conditions
    nodes = [n for c in conds for n in c.walk()]
    bs = [n for n in nodes if n.type == "breaches"]
    bd = [n for n in nodes if n.type == "breached"]
    assert len(bs) == 1 and len(bd) == 1
    assert (bs[0].ref, bs[0].cmp, bs[0].bound) == ("c_af", ">=", 3)
    assert bs[0].window == dt.timedelta(days=30)
    assert bd[0].ref == "c_af" and bd[0].window is None
    assert bd[0].bound is None and bd[0].cmp is None
    assert "c_af" in conds[0].refs + conds[1].refs
    # the trees build the same conditions again
    b = commitments.Agreement("b")
    b.add_party("PK", "Pakistan", "state")
    b.add_party("AF", "Afghanistan", "authority")
    b.add_commitment("c_af", "AF", "must-not", "strike(on: PK)")
    b.add_commitment("c_pk", "PK", "must-not", "strike(on: AF)",
                     conditions=[(c.item, c) for c in conds])
    assert [c.text for c in b.commitments["c_pk"].conditions] == \
        [c.text for c in conds]


def test_records_flatten_the_last_breach():
    [a] = commitments.parse(TEXT)
    s = a.status(["2025-02-01 strike(by: AF, on: PK)",
                  "2025-02-03 strike(by: AF, on: PK)"], history=True)
    assert s["c_af"].breaches == 2
    [row] = [r for r in s.records() if r["commitment"] == "c_af"]
    assert row["breaches"] == 2
    assert row["last_breach_at"] == dt.datetime(2025, 2, 3,
                                                tzinfo=dt.timezone.utc)
    assert row["last_breach_event_line"] == 2
    assert "history" not in row and "breach_list" not in row
    assert len(s["c_af"].breach_list) == 2
    assert s["c_af"].history[0].since is None


def test_analysis_conflicts_typed():
    [a] = commitments.parse("""agreement x {
  party A "a" state
  party B "b" state
  commitment c1 { A must not strike(on: B) }
  commitment c2 { A may strike(on: B) }
  commitment c3 { A must strike(on: B) }
  commitment c4 { B must strike(on: A) }
}""")
    an = a.analyze()
    assert [(c.kind, c.commitments) for c in an.conflicts] == [
        ("exception", ["c1", "c2"]),
        ("obligation-prohibition", ["c1", "c3"])]
    assert a.conflicts() == [("exception", "c1", "c2"),
                             ("obligation-prohibition", "c1", "c3")]
