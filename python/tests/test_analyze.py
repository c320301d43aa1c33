"""Agreement.analyze(), analysis_text() and to_dot()."""

import pytest

import commitments

DEADLOCK = '''
agreement d "Each waits" {
  date 2025-01-01
  party A "A" state
  party B "B" state
  commitment a_first {
    A must go(to: B)
    if fulfilled(b_first)
  }
  commitment b_first {
    B must go(to: A)
    if fulfilled(a_first)
  }
  commitment later {
    A must pay(to: B)
    if fulfilled(a_first)
  }
  commitment right {
    B may inspect(in: A)
  }
}
'''


def test_deadlock_and_balance():
    [a] = commitments.parse(DEADLOCK)
    an = a.analyze()
    assert an["id"] == "d" and an["title"] == "Each waits"
    assert an["deadlocks"] == [{"cycle": ["a_first", "b_first"],
                                "commitments": ["a_first", "b_first",
                                                "later"]}]
    assert an["balance"] == {
        "A": {"owes": ["a_first", "later"], "holds": [],
              "unreciprocated": ["later"]},
        "B": {"owes": ["b_first"], "holds": ["right"],
              "unreciprocated": []},
    }
    text = a.analysis_text()
    assert "a_first" in text and text.endswith("\n")


def test_istanbul_no_deadlock(istanbul):
    an = istanbul.analyze()
    assert an["deadlocks"] == []
    assert set(an["balance"]) == {"PK", "AF"}
    # the claimed right is not agreed: PK holds no agreed right
    assert an["balance"]["PK"]["holds"] == []
    assert an["balance"]["PK"]["owes"] == ["ceasefire"]


def test_analyze_invalid_agreement():
    a = commitments.Agreement("x")
    a.add_commitment("c", "NOBODY", "must", "pay()")
    with pytest.raises(commitments.Error) as ei:
        a.analyze()
    assert ei.value.name == "ESEMANTIC"
    with pytest.raises(commitments.Error):
        a.to_dot()


def test_dot(istanbul):
    dot = istanbul.to_dot()
    assert dot.startswith("digraph") and "no_safe_haven" in dot
    colored = istanbul.to_dot(states={"no_safe_haven": "violated",
                                      "ceasefire": "suspended",
                                      "defensive_action": "active"},
                              caption="at 2025-11-20, view: all")
    assert colored != dot and "at 2025-11-20, view: all" in colored
    with pytest.raises(ValueError, match="bad state"):
        istanbul.to_dot(states={"no_safe_haven": "broken",
                                "ceasefire": "active",
                                "defensive_action": "active"})
    with pytest.raises(KeyError):
        istanbul.to_dot(states={"no_safe_haven": "active"})


def test_dot_party_and_clusters(istanbul):
    af = istanbul.to_dot(party="AF")
    assert "party AF and its commitments" in af
    assert '"no_safe_haven" [' in af and '"TTP" [' not in af
    with pytest.raises(commitments.Error) as ei:
        istanbul.to_dot(party="Q")
    assert ei.value.name == "ENOTFOUND"
    clustered = istanbul.to_dot(clusters=0)
    assert 'subgraph "cluster_PK"' in clustered
    assert "cluster_PK" not in istanbul.to_dot()
    assert "cluster_PK" not in istanbul.to_dot(clusters=2 ** 31 - 1)
    with pytest.raises(ValueError):
        istanbul.to_dot(clusters=-5)
