"""Agreement.status(), Monitor and Status (SPEC §4, the §7 timeline)."""

import datetime as dt
import gc

import pytest

import commitments
from commitments import ClosedError, Monitor

UTC = dt.timezone.utc


def d(s):
    return dt.datetime.fromisoformat(s).replace(tzinfo=UTC)


def test_no_events(istanbul):
    s = istanbul.status()
    # no events and no `at`: the state at the end of the agreement's date
    assert s.at == d("2025-11-07T23:59")
    assert [c.state for c in s.commitments.values()] == [
        "active", "active", "pending"]
    s = istanbul.status(at="2025-11-07")
    assert s.at == d("2025-11-07T23:59")
    assert s["ceasefire"].state == "active"
    assert s["ceasefire"].since == d("2025-11-07T00:00")
    assert s["ceasefire"].cause.reason == "start"
    assert s.agreement == "istanbul_round3" and s.view == "all"
    c = s.commitments
    assert list(c) == ["no_safe_haven", "ceasefire", "defensive_action"]
    assert c["defensive_action"].state == "pending"
    assert c["defensive_action"].since is None
    assert c["defensive_action"].cause is None
    assert s.ok and s.violated == []


def test_all_view(istanbul, timeline):
    s = istanbul.status(events=timeline)
    assert s.at == d("2025-11-22T00:00") and s.view == "all"
    n = s["no_safe_haven"]
    assert (n.state, n.since, n.standing) == ("violated",
                                              d("2025-11-20T00:00"),
                                              "agreed")
    assert n.cause == commitments.Cause("event", 1, "<events>", None)
    cf = s["ceasefire"]
    assert cf.state == "suspended" and cf.since == d("2025-11-20T00:00")
    assert cf.cause.reason == "condition"
    da = s["defensive_action"]
    assert (da.state, da.standing) == ("active", "claimed")
    assert not da.agreed
    assert da.since == d("2025-11-20T00:00")
    assert s.violated == ["no_safe_haven"] and not s.ok
    assert "claimed active" in s.to_text()
    assert "no_safe_haven=violated" in repr(s)
    assert "violated since 2025-11-20T00:00Z" in repr(n)


def test_party_view_counts_strike(istanbul, timeline):
    s = istanbul.status(events=timeline, view="AF")
    assert s.view == "AF" and s.at == d("2025-11-22T00:00")
    assert s["no_safe_haven"].state == "active"
    cf = s["ceasefire"]
    assert cf.state == "violated" and cf.since == d("2025-11-22T00:00")
    assert cf.cause.reason == "event" and cf.cause.event_line == 2
    assert s["defensive_action"].state == "pending"
    assert s.violated == ["ceasefire"]
    pk = istanbul.status(events=timeline, view="PK")
    assert pk["no_safe_haven"].state == "violated"


def test_verified_view_shares_at(istanbul, timeline):
    s = istanbul.status(events=timeline, view="verified")
    assert s.at == d("2025-11-22T00:00")
    assert [c.state for c in s.commitments.values()] == [
        "active", "active", "pending"]
    assert s.ok


def test_at(istanbul, timeline):
    before = istanbul.status(events=timeline, at="2025-11-19")
    assert before.at == d("2025-11-19T23:59")
    assert before["no_safe_haven"].state == "active"
    assert before["no_safe_haven"].cause.reason == "start"
    assert before["no_safe_haven"].since == d("2025-11-07T00:00")
    day = istanbul.status(events=timeline, at=dt.date(2025, 11, 20))
    assert day["no_safe_haven"].state == "violated"
    exact = istanbul.status(events=timeline,
                            at=dt.datetime(2025, 11, 6, 12, 0))
    assert exact["ceasefire"].state == "pending"


def test_events_file_and_open_file(istanbul, timeline, tmp_path):
    p = tmp_path / "ev.events"
    p.write_text("# a comment\n" + "\n".join(timeline) + "\n")
    s = istanbul.status(events=p)
    assert s["no_safe_haven"].cause.event_file == str(p)
    assert s["no_safe_haven"].cause.event_line == 2
    s2 = istanbul.status(events=str(p), view="AF")
    assert s2["ceasefire"].state == "violated"
    with open(p) as f:
        s3 = istanbul.status(events=f)
    assert s3["no_safe_haven"].state == "violated"
    gen = (line for line in timeline)
    assert istanbul.status(events=gen)["ceasefire"].state == "suspended"


def test_status_dict_and_json(istanbul, timeline):
    s = istanbul.status(events=timeline)
    j = s.to_dict()
    assert j["id"] == "istanbul_round3" and j["view"] == "all"
    assert j["at"] == "2025-11-22T00:00Z"
    first = j["commitments"][0]
    assert first["id"] == "no_safe_haven" and first["state"] == "violated"
    assert first["since"] == "2025-11-20T00:00Z"
    assert first["cause"]["reason"] == "event"
    assert first["cause"]["event_line"] == 1
    assert j["commitments"][2]["standing"] == "claimed"
    import json
    assert json.loads(s.to_json()) == j
    assert str(s) == s.to_text()


def test_document_events_apply(istanbul_text):
    text = istanbul_text + (
        "events {\n  2025-11-20 attack(by: TTP, from: AF, on: PK)\n}\n")
    [a] = commitments.parse(text, "with-events.cmt")
    s = a.status()
    n = s["no_safe_haven"]
    assert n.state == "violated"
    assert n.cause.event_file == "with-events.cmt"
    assert n.cause.event_line == 31


def test_status_errors(istanbul, tmp_path):
    with pytest.raises(commitments.Error) as ei:
        istanbul.status(view="XX")
    assert ei.value.name == "ENOTFOUND"
    with pytest.raises(commitments.Error) as ei:
        istanbul.status(events=["2025-11-20 attack(by: TTP", ])
    assert ei.value.name == "ESYNTAX" and ei.value.line == 1
    with pytest.raises(commitments.Error) as ei:
        istanbul.status(events=["2025-11-20 a()", "2025-11-19 b()"])
    assert ei.value.name == "EORDER" and ei.value.line == 2
    with pytest.raises(commitments.Error) as ei:
        istanbul.status(events=tmp_path / "missing.events")
    assert ei.value.name == "EIO"
    with pytest.raises(TypeError):
        istanbul.status(events=[1, 2])
    with pytest.raises(TypeError):
        istanbul.status(events=b"2025-11-20 a()")
    with pytest.raises(ValueError):
        istanbul.status(at="soon")
    # after all those errors the agreement still works
    assert istanbul.status(at="2025-11-07")["ceasefire"].state == "active"


def test_built_agreement_status(simple):
    s = simple.status(events=["2025-02-01 pay(by: A, to: B)",
                              "2025-02-03 strike(by: B, on: A)"])
    assert s["a_pays"].state == "fulfilled"
    assert s["a_pays"].cause.event_line == 1
    assert s["b_quiet"].state == "violated"
    late = simple.status(at="2025-03-02")
    assert late["a_pays"].state == "violated"
    assert late["a_pays"].since == d("2025-03-02T00:00")
    assert late["a_pays"].cause.reason == "deadline"


def test_status_invalid_agreement():
    a = commitments.Agreement("x")
    a.add_commitment("c", "NOBODY", "must", "pay()")
    with pytest.raises(commitments.Error) as ei:
        a.status()
    assert ei.value.name == "ESEMANTIC"


def test_monitor_streaming(istanbul, timeline):
    m = Monitor(istanbul, view="AF")
    assert m.view == "AF" and m.clock is None
    assert "not started" in repr(m)
    m.feed(timeline[0])
    s = m.snapshot()
    assert s["ceasefire"].state == "active"      # AF denies the attack
    m.feed(timeline[1])
    s = m.snapshot()
    assert s["ceasefire"].state == "violated"
    assert m.last_event_time == d("2025-11-22T00:00")
    m.advance("2025-12-31")
    assert m.clock == d("2025-12-31T23:59")
    assert m.snapshot().at == d("2025-12-31T23:59")
    with pytest.raises(commitments.Error) as ei:
        m.feed("2025-11-01 strike(by: PK, on: AF)")
    assert ei.value.name == "EORDER"
    with pytest.raises(commitments.Error) as ei:
        m.advance("2025-01-01")
    assert ei.value.name == "EORDER"
    with pytest.raises(commitments.Error) as ei:
        m.feed("2026-01-01 strike(")
    assert ei.value.name == "ESYNTAX" and ei.value.column is not None
    with pytest.raises(TypeError):
        m.feed(b"2026-01-01 strike()")
    # after the errors nothing changed
    assert m.snapshot()["ceasefire"].state == "violated"


def test_monitor_all_view_windows(istanbul):
    m = Monitor(istanbul)
    m.feed_many(["# comment", "", "2025-11-20 attack(by: TTP, from: AF, on: PK)"])
    assert m.snapshot()["ceasefire"].state == "suspended"
    m.advance("2025-12-25")
    # the guard holds again 30 days after the attack, but reciprocity
    # still suspends the ceasefire while no_safe_haven is violated
    assert m.snapshot()["ceasefire"].state == "suspended"
    assert m.snapshot()["no_safe_haven"].state == "violated"


def test_monitor_ownership(istanbul_text, timeline):
    [a] = commitments.parse(istanbul_text)
    m = Monitor(a)
    del a
    gc.collect()
    m.feed(timeline[0])                       # the agreement is kept alive
    assert m.snapshot()["no_safe_haven"].state == "violated"
    m.close()
    with pytest.raises(ClosedError):
        m.snapshot()
    assert "closed" in repr(m)
    m.close()


def test_monitor_dies_with_closed_agreement(simple):
    m = Monitor(simple)
    snap = m.snapshot()
    simple.close()                            # frees the monitor with it
    with pytest.raises(ClosedError):
        m.feed("2025-02-01 pay(by: A)")
    m.close()                                 # no double free
    del m
    gc.collect()
    assert snap["a_pays"].state in ("pending", "active")


def test_monitor_with_and_bad_view(simple):
    with Monitor(simple, view="verified") as m:
        assert m.view == "verified"
    with pytest.raises(ClosedError):
        m.view
    with pytest.raises(commitments.Error):
        Monitor(simple, view="nobody")
    with pytest.raises(TypeError):
        Monitor(simple, view=3)


def test_status_not_constructible():
    with pytest.raises(TypeError):
        commitments.Status()


EXCUSE = '''
agreement e {
  date 2025-01-01
  party A "A" state
  party B "B" state
  commitment quiet { A must not strike(on: B) }
  commitment self_defense {
    A may strike(on: B)
    if attack(by: B, on: A)
  }
  commitment claimed_right {
    B may strike(on: A)
    claimed
  }
  commitment b_quiet { B must not strike(on: A) }
}
'''


def test_excused_by():
    [a] = commitments.parse(EXCUSE)
    s = a.status(events=["2025-02-01 attack(by: B, on: A)",
                         "2025-02-02 strike(by: A, on: B)",
                         "2025-02-03 strike(by: B, on: A)"])
    q = s["quiet"]
    assert q.state == "active" and q.excused_by == ["self_defense"]
    assert s["self_defense"].state == "active"
    assert s["self_defense"].excused_by == []
    # a claimed right never excuses
    assert s["b_quiet"].state == "violated" and s["b_quiet"].excused_by == []
    assert s["claimed_right"].standing == "claimed"
    assert s.violated == ["b_quiet"]
    j = s.to_dict()["commitments"]
    assert j[0]["excused_by"] == ["self_defense"]


def test_monitor_sources_order_same_minute():
    [a] = commitments.parse(EXCUSE)
    m = Monitor(a)
    # same minute: the attack (source 0) is applied before the strike
    # (source 1) although it arrives second
    m.feed("2025-02-01 strike(by: A, on: B)", source=1)
    m.feed("2025-02-01 attack(by: B, on: A)", source=0)
    s = m.snapshot()
    assert s["quiet"].state == "active"
    assert s["quiet"].excused_by == ["self_defense"]
