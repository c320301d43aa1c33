"""SPEC 0.2 part 1 through Python: breaches, the last breach, history,
views without silence-as-assent, conflicts (§8.4-§8.9)."""

import datetime as dt

import pytest

import commitments
from commitments import Breach, HistoryEntry, Monitor

DOHA = '''
agreement doha "Doha ceasefire" {
  date 2025-10-19
  party    PK "Pakistan" state
  party    AF "Afghan Taliban administration" authority
  mediator QA "Qatar" state
  commitment ceasefire_pk { PK must not strike(on: AF)  reciprocal ceasefire_af within 30d }
  commitment ceasefire_af { AF must not strike(on: PK)  reciprocal ceasefire_pk within 30d }
  commitment verify { QA must report(on: ceasefire) within 30d }
  commitment hold { PK may strike(on: AF) }
  commitment enrich { AF must not enrich(level: > 3.67) }
}
'''

EVENTS = [
    "2025-10-25 strike(by: AF, on: PK) reported by PK",
    "2025-11-02 strike(by: AF, on: PK) reported by PK denied by AF",
    "2025-11-03 strike(by: AF, on: PK)",
]


def T(s):
    return dt.datetime.fromisoformat(s).replace(tzinfo=dt.timezone.utc)


def agreement():
    return commitments.parse(DOHA)[0]


def test_breaches_and_last_breach():
    st = agreement().status(EVENTS, at="2025-12-10")
    af = st["ceasefire_af"]
    assert af.state == "violated" and af.breaches == 3
    assert af.last_breach == Breach(T("2025-11-03T00:00"), 3, "<events>")
    assert af.history is None and af.breach_list is None
    # a missed deadline is a breach at the deadline + 1 minute, no event
    v = st["verify"]
    assert v.state == "violated" and v.breaches == 1
    assert v.last_breach == Breach(T("2025-11-18T00:01"), None, None)
    assert st["hold"].breaches == 0
    assert st.violated == ["ceasefire_af", "verify"] and not st.ok


def test_history():
    st = agreement().status(EVENTS, at="2025-12-10", history=True)
    pk = st["ceasefire_pk"]
    assert [h.state for h in pk.history] == ["pending", "active",
                                             "suspended", "active"]
    assert pk.history[0] == HistoryEntry("pending", None, None)
    assert pk.history[2].since == T("2025-10-25T00:00")
    assert pk.history[2].cause.commitment == "ceasefire_af"
    # the window leaves exactly 30 days after the last breach
    assert pk.history[3].since == T("2025-12-03T00:00")
    assert [b.at for b in st["ceasefire_af"].breach_list] == [
        T("2025-10-25T00:00"), T("2025-11-02T00:00"), T("2025-11-03T00:00")]
    assert st.to_dict()["commitments"][1]["breach_list"][0]["event_line"] == 1


def test_views_allegations():
    a = agreement()
    # AF's view: the first strike is PK's allegation, the second AF denied
    af = a.status(EVENTS, view="AF")["ceasefire_af"]
    assert af.breaches == 1 and af.since == T("2025-11-03T00:00")
    pk = a.status(EVENTS, view="PK")["ceasefire_af"]
    assert pk.breaches == 3


def test_monitor_history_and_quantities():
    m = Monitor(agreement(), history=True)
    m.feed("2025-10-20 enrich(by: AF, level: 3.670)")
    m.feed("2025-10-21 enrich(by: AF, level: \"3.68\")")
    m.feed("2025-10-22 enrich(by: AF, level: high)")
    e = m.snapshot()["enrich"]
    assert e.breaches == 1 and e.last_breach.at == T("2025-10-21T00:00")
    assert len(e.breach_list) == 1
    # history is set before the first event
    with pytest.raises(commitments.Error) as ei:
        commitments._lib.call("cm_monitor_set_history", m._h.ptr, 0)
    assert ei.value.name == "EINVAL"


def test_conflicts():
    a = agreement()
    assert a.conflicts() == [("exception", "ceasefire_pk", "hold")]
    assert a.analyze()["conflicts"] == [
        {"kind": "exception", "commitments": ["ceasefire_pk", "hold"]}]
