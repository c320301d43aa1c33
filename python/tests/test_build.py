"""Building agreements, commitments and policies in code."""

import datetime as dt

import pytest

import commitments
from commitments import Agreement, Policy

UTC = dt.timezone.utc


def test_agreement_new():
    a = Agreement("x")
    assert (a.id, a.title, a.date, a.file, a.line) == ("x", None, None,
                                                       None, None)
    assert a.parties == {} and a.commitments == {}
    assert repr(a) == "<Agreement x: 0 parties, 0 commitments>"
    b = Agreement("y", "Title", date=dt.date(2025, 11, 7))
    assert b.title == "Title"
    assert b.date == dt.datetime(2025, 11, 7, tzinfo=UTC)
    assert repr(b) == "<Agreement y 'Title': 0 parties, 0 commitments>"


def test_agreement_bad_id():
    with pytest.raises(commitments.Error) as ei:
        Agreement("not an id")
    assert ei.value.name == "EINVAL"


def test_parties():
    a = Agreement("x")
    a.add_party("PK", "Pakistan", "state")
    a.add_party("TR", "Türkiye", kind="state", role="mediator")
    a.add_party("TTP", "Tehreek-e-Taliban", "armed_group", role="actor")
    a.add_party("P", "Someone")
    ps = a.parties
    assert ps["PK"] == commitments.Party("PK", "Pakistan", "party", "state")
    assert ps["TR"].role == "mediator" and ps["TR"].name == "Türkiye"
    assert ps["TTP"].kind == "armed-group"
    assert ps["P"].kind is None and ps["P"].role == "party"


def test_party_errors():
    a = Agreement("x")
    with pytest.raises(ValueError, match="bad role"):
        a.add_party("A", "A", role="boss")
    with pytest.raises(ValueError, match="bad kind"):
        a.add_party("A", "A", kind="empire")
    a.add_party("A", "A")
    with pytest.raises(commitments.Error) as ei:
        a.add_party("A", "again")
    assert ei.value.name == "EINVAL"
    with pytest.raises(commitments.Error):
        a.add_party("all", "reserved")
    assert list(a.parties) == ["A"]


def test_commitment_action_and_text(simple):
    c = simple.add_commitment("act", "A", "must", "pay(to: B, n: 3)")
    assert c.is_action and c.action_type == "pay" and c.text is None
    t = simple.add_commitment("txt", "A", "must", "behave well, generally")
    assert not t.is_action and t.text == "behave well, generally"
    # two patterns are not "exactly one": free text
    t2 = simple.add_commitment("txt2", "A", "must", "a() b()")
    assert t2.text == "a() b()"
    assert c.line is None


def test_commitment_modalities(simple):
    for i, (given, name) in enumerate([("must", "must"),
                                       ("must-not", "must-not"),
                                       ("must not", "must-not"),
                                       ("must_prevent", "must-prevent"),
                                       ("may", "may")]):
        c = simple.add_commitment("m%d" % i, "A", given, "x()")
        assert c.modality == name
    with pytest.raises(ValueError, match="bad modality"):
        simple.add_commitment("bad", "A", "shall", "x()")
    assert "bad" not in simple.commitments


def test_commitment_everything(simple):
    c = simple.add_commitment(
        "full", "A", "must", "withdraw(from: B)", form="written", to=["B"],
        within="30d", signed_by=["A", ("B", "2025-01-05")],
        witnessed_by=["M"],
        conditions=[("if", "request(by: B)"),
                    ("unless", "attack(from: B, on: A) within 30d"),
                    ("while", "not violated(b_quiet)")],
        reciprocal=["b_quiet"], standing=("proposed", "A"),
        notes=["as read out on the day"])
    assert c.form == "written" and c.standing == "proposed"
    simple.validate()
    r = simple.check()
    doc = {d.id: d for d in r.commitments}["full"]
    assert doc.creditor == ["B"] and doc.standing == "proposed"


def test_commitment_dates(simple):
    simple.add_commitment("w", "A", "must-not", "strike(on: B)",
                          from_=dt.date(2025, 2, 1),
                          until=dt.datetime(2025, 6, 1, 12, 0))
    simple.add_commitment("d", "A", "must", "pay()", by=dt.date(2025, 5, 1))
    simple.add_commitment("h", "A", "must", "pay()", within=90)
    simple.add_commitment("td", "A", "must", "pay()",
                          within=dt.timedelta(hours=12))
    simple.validate()


def test_commitment_bad_within(simple):
    with pytest.raises(ValueError, match="bad duration"):
        simple.add_commitment("x", "A", "must", "pay()", within="3 weeks")
    with pytest.raises(TypeError):
        simple.add_commitment("x", "A", "must", "pay()", within=1.5)
    with pytest.raises(commitments.Error):
        simple.add_commitment("x", "A", "must", "pay()", within=-1)
    assert "x" not in simple.commitments


def test_commitment_bad_date(simple):
    with pytest.raises(ValueError, match="not a date"):
        simple.add_commitment("x", "A", "must", "pay()", by="2025-02-30")
    with pytest.raises(TypeError):
        simple.add_commitment("x", "A", "must", "pay()", by=20250101)
    assert "x" not in simple.commitments


def test_both_deadlines_is_error_and_atomic(simple):
    before = list(simple.commitments)
    with pytest.raises(commitments.Error) as ei:
        simple.add_commitment("x", "A", "must", "pay()", by="2025-02-01",
                              within="3d")
    assert ei.value.name == "EINVAL"
    assert list(simple.commitments) == before


def test_bad_condition_is_atomic(simple):
    before = list(simple.commitments)
    with pytest.raises(commitments.Error) as ei:
        simple.add_commitment("x", "A", "must", "pay()",
                              conditions=[("if", "attack(")])
    assert ei.value.name == "ESYNTAX"
    assert ei.value.line == 1 and ei.value.column is not None
    assert list(simple.commitments) == before
    # the id is still free
    simple.add_commitment("x", "A", "must", "pay()")


def test_bad_condition_kind(simple):
    with pytest.raises(ValueError, match="bad condition kind"):
        simple.add_commitment("x", "A", "must", "pay()",
                              conditions=[("when", "true")])
    with pytest.raises(ValueError, match="expected \\(kind, text\\)"):
        simple.add_commitment("x", "A", "must", "pay()",
                              conditions=["if true"])


def test_standing_forms(simple):
    assert simple.add_commitment("s1", "A", "may", "x()",
                                 standing="claimed").standing == "claimed"
    assert simple.add_commitment("s2", "A", "must", "x()",
                                 standing=("rejected", ["B", "M"])
                                 ).standing == "rejected"
    assert simple.add_commitment("s3", "A", "must", "x()",
                                 standing="agreed").standing == "agreed"
    with pytest.raises(ValueError, match="needs a party"):
        simple.add_commitment("s4", "A", "must", "x()", standing="proposed")
    with pytest.raises(ValueError, match="takes no party"):
        simple.add_commitment("s4", "A", "must", "x()",
                              standing=("claimed", "A"))
    with pytest.raises(ValueError, match="bad standing"):
        simple.add_commitment("s4", "A", "must", "x()", standing="maybe")
    with pytest.raises(ValueError, match="bad standing"):
        simple.add_commitment("s4", "A", "must", "x()", standing=("a",))


def test_bad_form(simple):
    with pytest.raises(ValueError, match="bad form"):
        simple.add_commitment("x", "A", "must", "pay()", form="oral")


def test_duplicate_commitment_id(simple):
    with pytest.raises(commitments.Error, match="duplicate"):
        simple.add_commitment("a_pays", "A", "must", "pay()")
    with pytest.raises(commitments.Error, match="duplicate"):
        simple.add_commitment("A", "A", "must", "pay()")


def test_unknown_party_at_validation(simple):
    simple.add_commitment("ghost", "XX", "must", "pay()")
    with pytest.raises(commitments.Error) as ei:
        simple.validate()
    assert ei.value.name == "ESEMANTIC" and "XX" in ei.value.message
    with pytest.raises(commitments.Error):
        simple.check()


def test_forward_reference_is_fine():
    a = Agreement("x")
    a.add_commitment("c", "A", "must-not", "strike()")
    a.add_party("A", "A")
    a.validate()


def test_deadline_on_prohibition_at_validation(simple):
    simple.add_commitment("x", "A", "must-not", "strike()", by="2025-05-01")
    with pytest.raises(commitments.Error) as ei:
        simple.validate()
    assert ei.value.name == "ESEMANTIC"


def test_agreement_items(simple):
    simple.ratify("A", "2025-02-01").ratify("B")
    simple.register("2025-03-01")
    with pytest.raises(commitments.Error):
        simple.register()   # once
    simple.add_requirement("written")
    simple.add_requirement("signed by debtor", "obligations")
    with pytest.raises(commitments.Error) as ei:
        simple.add_requirement("sung by debtor")
    assert ei.value.name == "ESYNTAX"
    simple.use("vclt")
    simple.use(Policy("p").add_requirement("dated"))
    r = simple.check()
    assert [q.rule for q in r.requirements][:2] == ["written",
                                                    "signed by debtor"]
    assert r.requirements[1].selector == "obligations"
    assert r.requirements[2].policy == "vclt"
    assert r.requirements[-1].rule == "dated"
    with pytest.raises(TypeError):
        simple.use(42)


def test_date_once():
    a = Agreement("x", date="2025-01-01")
    with pytest.raises(commitments.Error):
        commitments.model.call("cm_agreement_set_date", a._h.ptr, 0)


def test_policy_build():
    p = Policy("mine", "My stance")
    assert (p.id, p.title, len(p)) == ("mine", "My stance", 0)
    p.add_requirement("written").add_requirement("signed by debtor", "AF")
    assert len(p) == 2
    assert repr(p) == "<Policy mine: 2 requirements>"
    with pytest.raises(commitments.Error):
        p.add_requirement("nonsense rule")
    assert len(p) == 2
    with pytest.raises(commitments.Error):
        Policy("bad id")


def test_builtin_policies():
    names = commitments.builtin_policy_names()
    assert names == ["vclt", "un-registration", "written-only"]
    v = commitments.builtin_policy("vclt")
    assert v.id == "vclt" and len(v) == 3 and v.title
    assert len(commitments.builtin_policy("un-registration")) == 4
    with pytest.raises(commitments.Error) as ei:
        commitments.builtin_policy("nope")
    assert ei.value.name == "ENOTFOUND"
