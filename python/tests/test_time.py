"""Conversions between Python times and cm_time."""

import datetime as dt

import pytest

from commitments import _time

UTC = dt.timezone.utc


def test_none():
    assert _time.to_cm(None) == _time.CM_TIME_NONE == -(2 ** 63)
    assert _time.from_cm(_time.CM_TIME_NONE) is None


def test_strings():
    assert _time.to_cm("1970-01-01") == 0
    assert _time.to_cm("1970-01-02") == 1440
    assert _time.to_cm("1970-01-01", end_of_day=True) == 1439
    assert _time.to_cm("1970-01-01T01:30") == 90
    assert _time.to_cm("1970-01-01T01:30", end_of_day=True) == 90
    for bad in ("2025-02-30", "yesterday", "2025-1-1", "", "2025-01-01T25:00"):
        with pytest.raises(ValueError):
            _time.to_cm(bad)


def test_dates_and_datetimes():
    assert _time.to_cm(dt.date(1970, 1, 2)) == 1440
    assert _time.to_cm(dt.date(1970, 1, 2), end_of_day=True) == 2879
    assert _time.to_cm(dt.datetime(1970, 1, 1, 2, 3, 59)) == 123
    plus2 = dt.timezone(dt.timedelta(hours=2))
    assert _time.to_cm(dt.datetime(1970, 1, 1, 2, 0, tzinfo=plus2)) == 0
    # a datetime is exact: end_of_day does not move it
    assert _time.to_cm(dt.datetime(1970, 1, 1, 2, 0), end_of_day=True) == 120
    assert _time.to_cm(dt.datetime(1969, 12, 31, 23, 59)) == -1


def test_round_trip():
    for s in ("2025-11-07T00:00", "0001-01-01T00:00", "9999-12-31T23:59"):
        t = _time.to_cm(s)
        d = _time.from_cm(t)
        assert d.tzinfo is not None and d.utcoffset() == dt.timedelta(0)
        assert _time.iso(d) == s + "Z"
        assert _time.parse_iso(s + "Z") == d
        assert _time.to_cm(d) == t


def test_bad_type():
    with pytest.raises(TypeError):
        _time.to_cm(12345)
