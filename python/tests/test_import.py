"""The dataset importers (docs/import.md): mappings, import_acled and
import_ucdp yielding events, Agreement.status(events=...) on them, and
errors with file, line and column."""

import datetime as dt
import os

import pytest

import commitments
from commitments import Error

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
EX = os.path.join(ROOT, "examples")
ACLED_MAP = os.path.join(EX, "acled", "istanbul.map")
ACLED_CSV = os.path.join(EX, "acled", "sample.csv")
UCDP_MAP = os.path.join(EX, "ucdp", "istanbul.map")
UCDP_CSV = os.path.join(EX, "ucdp", "sample.csv")


def agreement():
    [a] = commitments.load(os.path.join(EX, "istanbul.cmt"))
    return a


def test_mapping():
    m = commitments.load_mapping(ACLED_MAP)
    assert m.id == "istanbul_acled"
    assert m.dataset == "acled"
    assert commitments.load_mapping(UCDP_MAP).dataset == "ucdp"


def test_mapping_errors_are_positioned():
    with pytest.raises(Error) as e:
        commitments.parse_mapping('import acled m {\n  when actor9 is "x" '
                                  'emit a()\n}\n', "m.map")
    assert (e.value.file, e.value.line, e.value.column) == ("m.map", 2, 8)
    assert "no column 'actor9'" in e.value.message
    with pytest.raises(Error) as e:
        commitments.load_mapping("/nonexistent.map")
    assert e.value.name == "EIO"


def test_import_acled_yields_events_in_file_order():
    rows = commitments.import_acled(ACLED_CSV, ACLED_MAP)
    evs = list(rows)
    assert len(evs) == 7
    first = evs[0]
    assert isinstance(first, str)
    assert first.startswith("2025-12-02 attack(by: PK, on: TTP")
    assert first.file == ACLED_CSV and first.line == 2
    assert first.type == "attack"
    assert first.attrs["fatalities"] == "5"
    assert first.attrs["in"] == "PK"
    assert first.time == dt.datetime(2025, 12, 2, tzinfo=dt.timezone.utc)
    zhob = [e for e in evs if e.line == 7][0]
    assert zhob.attrs == {"by": "TTP", "from": "AF", "on": "PK", "in": "PK",
                          "fatalities": "2", "at": "Balochistan"}
    assert zhob.reported == [] and zhob.verified == []
    c = rows.counts
    assert c == {"rows": 12, "events": 7, "dropped": 3, "unmatched": 1,
                 "skipped": 0, "duplicates": 1}
    with pytest.raises(ValueError):
        list(rows)


def test_status_traces_the_row():
    a = agreement()
    s = a.status(events=commitments.import_acled(ACLED_CSV, ACLED_MAP))
    nsh = s["no_safe_haven"]
    assert nsh.state == "violated"
    assert nsh.cause.event_file == ACLED_CSV
    assert nsh.cause.event_line == 7
    assert s["ceasefire"].state == "suspended"
    assert not s.ok


def test_status_on_a_list_of_imported_events():
    a = agreement()
    evs = list(commitments.import_ucdp(UCDP_CSV, UCDP_MAP))
    s = a.status(events=evs)
    assert s["no_safe_haven"].state == "violated"


def test_ucdp_and_several_files():
    rows = commitments.import_ucdp([UCDP_CSV, UCDP_CSV],
                                   commitments.load_mapping(UCDP_MAP))
    evs = list(rows)
    assert len(evs) == 9
    assert rows.counts["duplicates"] == 11
    assert all(e.file == UCDP_CSV for e in evs)


def test_wrong_dataset():
    with pytest.raises(ValueError):
        commitments.import_ucdp(UCDP_CSV, ACLED_MAP)


def test_skips_and_strict(tmp_path):
    head = open(ACLED_CSV).readline()
    p = tmp_path / "bad.csv"
    p.write_text(head + "a,b\n")
    rows = commitments.import_acled(str(p), ACLED_MAP)
    assert list(rows) == []
    assert rows.warnings == [(str(p), 2,
                              "ragged row: 2 fields, the header 31")]
    with pytest.raises(Error) as e:
        list(commitments.import_acled(str(p), ACLED_MAP, strict=True))
    assert e.value.line == 2
    p.write_text(head + 'x,"open\n')
    with pytest.raises(Error) as e:
        list(commitments.import_acled(str(p), ACLED_MAP))
    assert e.value.name == "ESYNTAX" and e.value.line == 2
    with pytest.raises(Error):
        agreement().status(events=commitments.import_acled(str(p),
                                                           ACLED_MAP))
