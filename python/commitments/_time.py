"""Conversions between Python times and cm_time (minutes since the epoch).

Accepted as input: ``datetime.datetime`` (naive means UTC; aware ones are
converted to UTC; seconds are dropped), ``datetime.date``, and strings
``"YYYY-MM-DD"`` or ``"YYYY-MM-DDTHH:MM"`` (parsed by the library's
``cm_time_parse``, so exactly the language's dates).  A date without a
time means the start of the day for starting points (``date``, ``from_``,
event times) and the *end* of the day (23:59) for ``by``, ``until`` and
``at``, as in the language.

Returned: aware ``datetime.datetime`` objects in UTC, or ``None`` for
"no time".
"""

from __future__ import annotations

import ctypes
import datetime as _dt
from typing import Optional, Union

from . import _lib

CM_TIME_NONE = -(2 ** 63)

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)

TimeLike = Union[str, _dt.date, _dt.datetime]


def to_cm(value: Optional[TimeLike], end_of_day: bool = False) -> int:
    """A Python time (see module doc) as cm_time; None gives CM_TIME_NONE."""
    if value is None:
        return CM_TIME_NONE
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_dt.timezone.utc)
        value = value.replace(tzinfo=_dt.timezone.utc, second=0,
                              microsecond=0)
        return (value - _EPOCH) // _dt.timedelta(minutes=1)
    if isinstance(value, _dt.date):
        start = _dt.datetime(value.year, value.month, value.day,
                             tzinfo=_dt.timezone.utc)
        minutes = (start - _EPOCH) // _dt.timedelta(minutes=1)
        return minutes + (1439 if end_of_day else 0)
    if isinstance(value, str):
        out = ctypes.c_int64()
        rc = _lib.lib().cm_time_parse(_lib.cstr(value), int(end_of_day),
                                      ctypes.byref(out))
        if rc != 0:
            raise ValueError("not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM): %r"
                             % value)
        return out.value
    raise TypeError("expected a date, datetime or 'YYYY-MM-DD[THH:MM]' "
                    "string, got %s" % type(value).__name__)


def from_cm(t: int) -> Optional[_dt.datetime]:
    """cm_time as an aware UTC datetime, or None for CM_TIME_NONE."""
    if t == CM_TIME_NONE:
        return None
    return _EPOCH + _dt.timedelta(minutes=t)


def iso(t: Optional[_dt.datetime]) -> Optional[str]:
    """The library's text form ``YYYY-MM-DDTHH:MMZ`` of a datetime."""
    if t is None:
        return None
    if t.tzinfo is not None:
        t = t.astimezone(_dt.timezone.utc)
    return "%04d-%02d-%02dT%02d:%02dZ" % (t.year, t.month, t.day, t.hour,
                                          t.minute)


def parse_iso(s: Optional[str]) -> Optional[_dt.datetime]:
    """Parse the library's JSON time text ``YYYY-MM-DDTHH:MMZ``."""
    if s is None:
        return None
    return _dt.datetime(int(s[0:4]), int(s[5:7]), int(s[8:10]),
                        int(s[11:13]), int(s[14:16]),
                        tzinfo=_dt.timezone.utc)
