"""Agreement.check() and the Report."""

import json

import pytest

import commitments
from commitments import Policy


def test_istanbul_fails(istanbul):
    r = istanbul.check()
    assert r.verdict == "fails" and not r.meets and not r
    assert r.agreement == "istanbul_round3"
    assert r.title == "Security understanding, Istanbul round"
    rules = [(q.rule, q.selector, q.policy, q.line, q.holds)
             for q in r.requirements]
    assert rules == [("written", "all", "written-only", 10, False),
                     ("signed by debtor", "all", "written-only", 10, False)]
    written = r.requirements[0]
    assert [f.commitment for f in written.failures] == [
        "no_safe_haven", "ceasefire", "defensive_action"]
    for f in written.failures:
        assert f.missing and f.remedy
    # the claimed right is not agreed
    assert written.failures[2].missing == "not agreed"
    assert [(c.id, c.form, c.level) for c in r.commitments] == [
        ("no_safe_haven", "verbal", "verbal"),
        ("ceasefire", "verbal", "verbal"),
        ("defensive_action", "verbal", "verbal")]
    c0 = r.commitments[0]
    assert (c0.debtor, c0.creditor, c0.modality, c0.standing, c0.line) == (
        "AF", ["PK"], "must-prevent", "agreed", 12)
    assert r.commitments[2].standing == "claimed"
    assert r.below["AF"] == commitments.Below(1, 1, ["no_safe_haven"])
    assert r.below["PK"].commitments == ["ceasefire"]
    assert "fails" in repr(r) and "2 of 2" in repr(r)


def test_report_dict_and_json(istanbul):
    r = istanbul.check()
    d = r.to_dict()
    assert d["id"] == "istanbul_round3" and d["verdict"] == "fails"
    assert d["requirements"][0]["rule"] == "written"
    assert d["requirements"][0]["failures"][0]["commitment"] == \
        "no_safe_haven"
    assert d["commitments"][1]["modality"] == "must-not"
    assert d["below"]["AF"]["count"] == 1 and d["below"]["AF"]["of"] == 1
    assert json.loads(r.to_json()) == d
    assert json.loads(r.to_json(indent=2)) == d
    d["verdict"] = "changed"                 # a copy
    assert r.to_dict()["verdict"] == "fails"


def test_report_text(istanbul):
    r = istanbul.check()
    assert r.to_text() == str(r)
    assert "istanbul_round3" in r.to_text()
    assert "no_safe_haven" in r.to_text()


def test_policies_by_name(istanbul):
    r = istanbul.check(policies=["vclt"])
    assert [q.rule for q in r.requirements] == [
        "written", "signed by all parties", "parties state, organization"]
    assert all(q.policy == "vclt" and q.line is None for q in r.requirements)
    parties = r.requirements[2]
    assert [f.commitment for f in parties.failures] == [None]  # AF
    assert "AF" in parties.failures[0].missing + parties.failures[0].remedy


def test_policies_mixed(istanbul):
    mine = Policy("mine").add_requirement("witnessed by any mediator",
                                          "no_safe_haven")
    r = istanbul.check(policies=[mine, commitments.builtin_policy(
        "written-only"), "un-registration"])
    assert [q.policy for q in r.requirements] == (
        ["mine"] + ["written-only"] * 2 + ["un-registration"] * 4)
    assert r.requirements[0].holds
    assert r.requirements[0].selector == "no_safe_haven"


def test_policy_defined_in_document():
    [a] = commitments.parse('''
policy lenient { require dated }
agreement x {
  date 2025-01-01
  party A "A" state
  commitment c { A must "do it" }
}''')
    r = a.check(policies=["lenient"])
    assert r.verdict == "meets" and r.requirements[0].policy == "lenient"


def test_unknown_policy_name(istanbul, simple):
    with pytest.raises(commitments.Error) as ei:
        istanbul.check(policies=["nope"])
    assert ei.value.name == "ENOTFOUND"
    with pytest.raises(commitments.Error):
        simple.check(policies=["nope"])
    with pytest.raises(TypeError):
        simple.check(policies=[3])
    with pytest.raises(ValueError):
        simple.check(policies=[])


def test_meets(simple):
    simple.add_requirement("written")
    simple.add_requirement("signed by all parties")
    r = simple.check()
    assert r.verdict == "meets" and r.meets and bool(r)
    assert r.below == {}
    assert [(c.id, c.form, c.level) for c in r.commitments] == [
        ("a_pays", "written", "signed"), ("b_quiet", "written", "signed")]


def test_no_requirements_meets():
    a = commitments.Agreement("x")
    a.add_party("A", "A")
    r = a.check()
    assert r.verdict == "meets" and r.requirements == []


def test_report_not_constructible():
    with pytest.raises(TypeError):
        commitments.Report()
