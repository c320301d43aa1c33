"""Issue 16, findings 7 and 10: integers that do not fit the C type are
refused (not wrapped), and ``check(policies=...)`` takes one name or an
iterable of names, nothing else."""

import pytest

import commitments


def test_within_too_large_is_refused(simple):
    # 0.1 wrapped 2**64 + 60 minutes to 60: `within 1h`
    with pytest.raises(OverflowError, match="within"):
        simple.add_commitment("c", "A", "must", "pay(to: B)",
                              within=2 ** 64 + 60)
    with pytest.raises(OverflowError):
        simple.add_commitment("c", "A", "must", "pay(to: B)",
                              within=-(2 ** 63) - 1)
    with pytest.raises(OverflowError):
        simple.add_commitment("c", "A", "must", "pay(to: B)",
                              within="%dd" % (2 ** 60))
    with pytest.raises(TypeError):
        simple.add_commitment("c", "A", "must", "pay(to: B)", within=1.5)
    assert "c" not in simple.commitments          # nothing was added
    c = simple.add_commitment("c", "A", "must", "pay(to: B)", within=60)
    assert c.within.total_seconds() == 3600
    assert "within 1h" in simple.to_text()


def test_source_too_large_is_refused(istanbul):
    m = commitments.Monitor(istanbul)
    line = "2025-11-20 attack(by: TTP, from: AF, on: PK)"
    # 0.1 passed 2**32 + 7 on as source 7
    with pytest.raises(OverflowError, match="source"):
        m.feed(line, source=2 ** 32 + 7)
    with pytest.raises(OverflowError):
        m.feed(line, source=-1)
    with pytest.raises(TypeError):
        m.feed(line, source="7")
    with pytest.raises(TypeError):
        m.feed(line, source=True)
    with pytest.raises(OverflowError):
        m.feed_event("2025-11-20", "attack", {"on": "PK"},
                     source=2 ** 32 + 7)
    assert m.clock is None                        # nothing was fed
    m.feed(line, source=7)
    assert m.snapshot()["no_safe_haven"].state == "violated"


def test_count_bound_too_large_is_refused():
    with pytest.raises(OverflowError):
        commitments.Condition.count("raid()", ">=", 2 ** 64 + 3)


def test_policies_string_is_one_policy(istanbul):
    # 0.1 walked the string: "unknown policy v"
    r = istanbul.check(policies="vclt")
    assert r == istanbul.check(policies=["vclt"])
    assert {q.policy for q in r.requirements} == {"vclt"}
    p = commitments.builtin_policy("written-only")
    assert istanbul.check(policies=p) == istanbul.check(policies=[p])
    assert istanbul.check(policies=("vclt", p)).requirements


@pytest.mark.parametrize("bad", [5, 3.0, b"vclt", object(), [5],
                                 ["vclt", None]])
def test_policies_of_another_type(istanbul, bad):
    with pytest.raises(TypeError, match="policies"):
        istanbul.check(policies=bad)
