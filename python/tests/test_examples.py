"""The shipped examples (examples/*.cmt), as the tutorial uses them."""

import os

import pytest

import commitments

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")
ISTANBUL = os.path.join(EXAMPLES, "istanbul.cmt")


@pytest.mark.skipif(not os.path.exists(ISTANBUL),
                    reason="examples/istanbul.cmt not in this tree")
def test_tutorial_istanbul():
    [a] = commitments.load(ISTANBUL)
    assert a.id == "istanbul_round3"
    assert a.check().verdict == "fails"
    events = os.path.join(EXAMPLES, "istanbul.events")
    s = a.status(events=events)
    assert s["no_safe_haven"].state == "violated"
    assert s["ceasefire"].state == "suspended"
    assert (s["defensive_action"].state,
            s["defensive_action"].standing) == ("active", "claimed")


@pytest.mark.skipif(not os.path.isdir(EXAMPLES), reason="no examples")
def test_every_example_loads_checks_and_runs():
    seen = 0
    for name in sorted(os.listdir(EXAMPLES)):
        if not name.endswith(".cmt"):
            continue
        for a in commitments.load(os.path.join(EXAMPLES, name)):
            seen += 1
            assert a.check().verdict in ("meets", "fails")
            a.status()
            a.analyze()
            # (a round trip would need the file's own policies: see
            # test_format.py for that)
            assert a.to_text().startswith("agreement %s" % a.id)
    if seen == 0:
        pytest.skip("no agreements under examples/")
