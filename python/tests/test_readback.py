"""Reading the model back: a commitment's creditors, conditions (text and
tree), links, witnesses, signatures, deadline and window; an agreement's
requirements and items; conditions built from trees."""

import datetime as dt

import pytest

import commitments
from commitments import Condition

UTC = dt.timezone.utc

TEXT = '''
agreement t "Read back" {
  date 2025-01-01
  party A "Aland" state
  party B "Bland" state
  party C "Cland" organization
  mediator M "Med" state
  signed by A on 2025-01-02
  signed by B
  ratified by A on 2025-03-01
  registered on 2025-04-01
  require written for obligations
  use vclt
  commitment pay {
    A must pay(to: B, amount: 100) by 2025-06-30
    to B, C
    if fulfilled(quiet) and not count(strike(on: A)) >= 3 within 7d
    unless attack(on: A) within 2d
    reciprocal quiet
    from 2025-01-05
    until 2025-12-31
    written
    signed by A on 2025-01-03
    witnessed by M
    proposed by A
    note "first"
  }
  commitment quiet {
    B must "keep quiet" within 30d
  }
}
'''


@pytest.fixture
def t():
    [a] = commitments.parse(TEXT, "t.cmt")
    return a


def test_commitment_read_back(t):
    c = t.commitments["pay"]
    assert c.to == ["B", "C"] and c.creditors == ["B", "C"]
    assert c.content == "pay(to: B, amount: 100)"
    assert c.attrs == {"to": "B", "amount": "100"}
    assert c.deadline == dt.datetime(2025, 6, 30, 23, 59, tzinfo=UTC)
    assert c.within is None
    assert c.window == (dt.datetime(2025, 1, 5, tzinfo=UTC),
                        dt.datetime(2025, 12, 31, 23, 59, tzinfo=UTC))
    assert c.reciprocal == ["quiet"] and c.witnesses == ["M"]
    assert c.signatures == [("A", dt.datetime(2025, 1, 3, tzinfo=UTC))]
    assert c.standing == "proposed" and c.standing_parties == ["A"]
    assert c.notes == ["first"]
    q = t.commitments["quiet"]
    assert q.to == [] and q.creditors == ["A", "C"]   # every other party
    assert q.within == dt.timedelta(days=30) and q.deadline is None
    assert q.content == '"keep quiet"' and q.attrs == {}
    assert q.conditions == [] and q.window == (None, None)
    d = c.to_dict()
    assert d["within_minutes"] is None and d["deadline"] == \
        "2025-06-30T23:59Z"
    assert d["conditions"][0]["item"] == "if"


def test_condition_trees(t):
    first, second = t.commitments["pay"].conditions
    assert first.item == "if" and second.item == "unless"
    assert first.type == "and"
    assert first.text == ("fulfilled(quiet) and not count(strike(on: A)) "
                          ">= 3 within 7d")
    st, no = first.children
    assert (st.type, st.atom, st.ref) == ("state", "fulfilled", "quiet")
    (cnt,) = no.children
    assert (cnt.type, cnt.pattern, cnt.cmp, cnt.bound, cnt.window) == (
        "count", "strike(on: A)", ">=", 3, dt.timedelta(days=7))
    assert cnt.action == "strike" and cnt.attrs == {"on": "A"}
    assert first.refs == ["quiet"]
    assert [n.type for n in first.walk()] == ["and", "state", "not",
                                              "count"]
    assert second.text == "attack(on: A) within 2d"
    assert str(second) == second.text


def test_agreement_read_back(t):
    assert t.signatures == [("A", dt.datetime(2025, 1, 2, tzinfo=UTC)),
                            ("B", None)]
    assert t.ratifications == [("A", dt.datetime(2025, 3, 1, tzinfo=UTC))]
    assert t.registered == dt.datetime(2025, 4, 1, tzinfo=UTC)
    reqs = t.requirements
    assert reqs[0] == commitments.AgreementRequirement(
        "written for obligations", "written", "obligations", None, 12)
    assert {r.policy for r in reqs[1:]} == {"vclt"}
    assert all(r.line == 13 for r in reqs[1:])
    # the check judges exactly these requirements
    rep = t.check()
    assert [(q.rule, q.policy) for q in rep.requirements] == [
        (r.rule, r.policy) for r in reqs]


def test_built_agreement_read_back():
    a = commitments.Agreement("b", date="2025-01-01")
    a.add_party("A", "A", "state").add_party("B", "B", "state")
    a.use("vclt")
    reqs = a.requirements
    assert reqs and {r.policy for r in reqs} == {"vclt"}
    assert "signed by all parties" in [r.text for r in reqs]
    d = commitments.Document().add_text(TEXT)      # not resolved yet
    assert d.agreements[0].requirements[1].text == "use vclt"
    assert a.registered is False
    a.register()
    assert a.registered is True
    c = a.add_commitment("c", "A", "must", "go(to: B)", within="12h",
                         signed_by=[("A", "2025-01-01"), "B"],
                         reciprocal=["c"], notes=["n"])
    assert c.within == dt.timedelta(hours=12)
    assert c.signatures == [("A", dt.datetime(2025, 1, 1, tzinfo=UTC)),
                            ("B", None)]
    assert c.creditors == ["B"]          # validates the agreement first


def test_conditions_built_from_trees():
    a = commitments.Agreement("b")
    a.add_party("A", "A", "state").add_party("B", "B", "state")
    a.add_commitment("x", "B", "must", "go()")
    tree = (Condition.state("fulfilled", "x")
            & ~Condition.count("raid(on: A)", "<", 2, within="1d")) \
        | Condition.action("attack(on: B)", within=dt.timedelta(days=2)) \
        | Condition.form("signed", "x") | Condition.const(False)
    c = a.add_commitment("y", "A", "must", "pay()",
                         conditions=[("if", tree), ("while", "true")])
    got = c.conditions
    assert [g.item for g in got] == ["if", "while"]
    assert got[0].text == ("fulfilled(x) and not count(raid(on: A)) < 2 "
                           "within 1d or attack(on: B) within 2d or "
                           "signed(x) or false")
    # a read-back tree builds the same condition again
    c2 = a.add_commitment("z", "A", "must", "pay()",
                          conditions=[("unless", got[0])])
    assert c2.conditions[0].text == got[0].text
    a.validate()
    with pytest.raises(ValueError):
        Condition.count("raid()", "=>", 2)
    with pytest.raises(ValueError):
        Condition.form("sealed", "x")
    with pytest.raises(TypeError):
        a.add_commitment("w", "A", "must", "pay()", conditions=[("if", 3)])
    with pytest.raises(commitments.Error):
        a.add_commitment("w", "A", "must", "pay()", conditions=[
            ("if", Condition.action("not a pattern"))])
    assert "w" not in a.commitments


def test_patterns_with_awkward_strings_round_trip():
    [a] = commitments.parse(
        'agreement t {\n  party A "A" state\n  party B "B" state\n'
        '  commitment x { B must go() }\n'
        '  commitment y { A must pay() if count(raid(on: A, note: '
        '"x) \\"y\\" (")) >= 2 within 1d and attack(at: "2025-13-45", '
        'on: B) }\n}\n')
    [c] = a.commitments["y"].conditions
    cnt, act = c.children
    assert cnt.pattern == 'raid(on: A, note: "x) \\"y\\" (")'
    assert cnt.attrs == {"on": "A", "note": 'x) "y" ('}
    assert act.pattern == 'attack(at: "2025-13-45", on: B)'
    b = commitments.Agreement("b")
    b.add_party("A", "A", "state").add_party("B", "B", "state")
    b.add_commitment("y", "A", "must", "pay()", conditions=[
        ("if", c), ("while", cnt | Condition.const(True))])
    got = [x.text for x in b.commitments["y"].conditions]
    assert got == [c.text, cnt.text + " or true"]
    # a pattern composed in Python quotes every value but numbers
    from commitments.condition import _pattern
    assert _pattern("raid", {"on": "A", "n": "3", "q": 'a"b'}) == \
        'raid(on: "A", n: 3, q: "a\\"b")'
