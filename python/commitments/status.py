"""Monitoring (SPEC §4): Agreement.status(), the streaming Monitor, and the
Status snapshot."""

from __future__ import annotations

import copy
import ctypes
import datetime as _dt
import json
import os
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Union

from . import _time
from ._handle import Handle
from ._lib import CM_ENOTFOUND, Error, call, cstr, lib, pystr, take_string

__all__ = ["Status", "CommitmentStatus", "Cause", "Breach", "HistoryEntry",
           "Monitor"]

EventsArg = Union[None, str, "os.PathLike[str]", Iterable[str]]


@dataclass(frozen=True)
class Cause:
    """Why a commitment is in its state.

    ``reason``: "event", "deadline", "until", "condition" or "start";
    ``event_line`` / ``event_file``: the event responsible (or None);
    ``commitment``: the commitment whose state (a state atom or a
    reciprocal link) is responsible, or None.
    """

    reason: str
    event_line: Optional[int] = None
    event_file: Optional[str] = None
    commitment: Optional[str] = None


@dataclass(frozen=True)
class Breach:
    """One breach (SPEC §8.4): ``at`` (UTC datetime), and the event
    responsible (``event_line`` / ``event_file``, None for a missed
    deadline, whose breach is at the deadline + 1 minute)."""

    at: _dt.datetime
    event_line: Optional[int] = None
    event_file: Optional[str] = None


@dataclass(frozen=True)
class HistoryEntry:
    """One transition in a commitment's history (SPEC §8.9): the initial
    state first (``since`` and ``cause`` None)."""

    state: str
    since: Optional[_dt.datetime]
    cause: Optional[Cause]


@dataclass(frozen=True)
class CommitmentStatus:
    """One commitment's state in a :class:`Status`.

    ``since`` (UTC datetime) and ``cause`` are None while the commitment is
    still in its initial state.  ``excused_by``: the rights that excused
    events against it.  ``standing`` tells agreed commitments from those
    only proposed, claimed or rejected ("claimed active" is ``state ==
    "active"`` with ``standing == "claimed"``).  ``breaches``: how many
    (SPEC §8.4), ``last_breach``: the last :class:`Breach` or None.  With
    history (``history=True``), ``history``: every :class:`HistoryEntry`
    and ``breach_list``: every :class:`Breach`; else both None.
    """

    id: str
    state: str
    standing: str
    modality: str
    since: Optional[_dt.datetime]
    cause: Optional[Cause]
    excused_by: List[str] = field(default_factory=list)
    breaches: int = 0
    last_breach: Optional[Breach] = None
    history: Optional[List[HistoryEntry]] = None
    breach_list: Optional[List[Breach]] = None

    @property
    def agreed(self) -> bool:
        return self.standing == "agreed"

    def __repr__(self) -> str:
        st = self.state if self.agreed else "%s %s" % (self.standing,
                                                       self.state)
        since = " since %s" % _time.iso(self.since) if self.since else ""
        why = " (%s)" % self.cause.reason if self.cause else ""
        return "<%s: %s%s%s>" % (self.id, st, since, why)


class Status:
    """The states of an agreement's commitments at one moment, under one
    view: what :meth:`Agreement.status` and :meth:`Monitor.snapshot`
    return.  A plain Python snapshot (it holds no C memory).

    Attributes: ``agreement`` (id), ``title``, ``at`` (UTC datetime, or
    None before any event), ``view``, ``commitments`` (id ->
    :class:`CommitmentStatus`, in declaration order), ``violated`` (ids of
    the agreed commitments that have had a breach by ``at``, whatever
    their state now: SPEC §8.11 rule 9; in 0.1, those violated).
    """

    def __init__(self) -> None:
        raise TypeError("statuses come from Agreement.status() or "
                        "Monitor.snapshot()")

    @classmethod
    def _take(cls, ptr: int) -> "Status":
        try:
            return cls._read(ptr)
        finally:
            lib().cm_free(ptr)

    @classmethod
    def _read(cls, s: int) -> "Status":
        L = lib()
        self = cls.__new__(cls)
        self.agreement = pystr(L.cm_snapshot_agreement_id(s))
        self.title = pystr(L.cm_snapshot_agreement_title(s))
        self.at = _time.from_cm(L.cm_snapshot_at(s))
        self.view = pystr(L.cm_snapshot_view(s))
        cs = {}
        hist = bool(L.cm_snapshot_has_history(s))

        def cause_of(reason: int, line: int, file: Any, com: Any
                     ) -> Optional[Cause]:
            if not reason:
                return None
            return Cause(pystr(L.cm_cause_reason_name(reason)), line or None,
                         pystr(file), pystr(com))

        for i in range(L.cm_snapshot_count(s)):
            reason = L.cm_snapshot_cause_reason(s, i)
            cause = None
            if reason:
                cause = Cause(pystr(L.cm_cause_reason_name(reason)),
                              L.cm_snapshot_cause_line(s, i) or None,
                              pystr(L.cm_snapshot_cause_file(s, i)),
                              pystr(L.cm_snapshot_cause_commitment(s, i)))
            c = CommitmentStatus(
                pystr(L.cm_snapshot_id(s, i)),
                pystr(L.cm_state_name(L.cm_snapshot_state(s, i))),
                pystr(L.cm_standing_name(L.cm_snapshot_standing(s, i))),
                pystr(L.cm_modality_name(L.cm_snapshot_modality(s, i))),
                _time.from_cm(L.cm_snapshot_since(s, i)), cause,
                [pystr(L.cm_snapshot_excused_by(s, i, j))
                 for j in range(L.cm_snapshot_excused_count(s, i))],
                L.cm_snapshot_breach_count(s, i),
                None if not L.cm_snapshot_breach_count(s, i) else Breach(
                    _time.from_cm(L.cm_snapshot_last_breach_at(s, i)),
                    L.cm_snapshot_last_breach_line(s, i) or None,
                    pystr(L.cm_snapshot_last_breach_file(s, i))),
                None if not hist else [HistoryEntry(
                    pystr(L.cm_state_name(L.cm_snapshot_history_state(s, i, j))),
                    _time.from_cm(L.cm_snapshot_history_since(s, i, j)),
                    cause_of(L.cm_snapshot_history_reason(s, i, j),
                             L.cm_snapshot_history_line(s, i, j),
                             L.cm_snapshot_history_file(s, i, j),
                             L.cm_snapshot_history_commitment(s, i, j)))
                    for j in range(L.cm_snapshot_history_count(s, i))],
                None if not hist else [Breach(
                    _time.from_cm(L.cm_snapshot_breach_at(s, i, j)),
                    L.cm_snapshot_breach_line(s, i, j) or None,
                    pystr(L.cm_snapshot_breach_file(s, i, j)))
                    for j in range(L.cm_snapshot_breach_list_count(s, i))])
            cs[c.id] = c
        self.commitments = cs
        self.violated = [c.id for c in cs.values()
                         if c.agreed and (c.breaches or c.state == "violated")]
        out = ctypes.c_void_p()
        call("cm_snapshot_to_json", None, s, ctypes.byref(out))
        self._json = take_string(out.value)
        out = ctypes.c_void_p()
        call("cm_snapshot_to_text", None, s, ctypes.byref(out))
        self._text = take_string(out.value)
        self._dict = json.loads(self._json)
        return self

    @property
    def ok(self) -> bool:
        """True when no agreed commitment has had a breach (``cmt status``
        exits 0)."""
        return not self.violated

    def __getitem__(self, id: str) -> CommitmentStatus:
        return self.commitments[id]

    def to_dict(self) -> Dict[str, Any]:
        """The per-agreement ``status`` object of SPEC §6 (a copy)."""
        return copy.deepcopy(self._dict)

    def to_json(self, **kwargs: Any) -> str:
        """The library's JSON; with keyword arguments re-serialized."""
        if kwargs:
            return json.dumps(self._dict, **kwargs)
        return self._json

    def to_text(self) -> str:
        """The library's readable status."""
        return self._text

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        at = _time.iso(self.at) if self.at else "start"
        states = ", ".join("%s=%s" % (c.id, c.state)
                           for c in self.commitments.values())
        return "<Status %s at %s, view %s: %s>" % (self.agreement, at,
                                                   self.view, states)


def _new_monitor(agreement: Any, view: Optional[str],
                 history: bool = False) -> Handle:
    """A C monitor allocated under the agreement (so freeing the agreement
    frees it too), owned by the returned handle."""
    if view is not None and not isinstance(view, str):
        raise TypeError("view must be 'all', 'verified' or a party id")
    out = ctypes.c_void_p()
    a = agreement._h.ptr
    if view not in (None, "all", "verified"):
        # SPEC §8.6: an error only when no agreement of the run (this one
        # and the others of its document) declares the party
        L = lib()
        doc = agreement.document
        ags = [a] if doc is None else [
            L.cm_document_agreement(doc._h.ptr, i)
            for i in range(L.cm_document_agreement_count(doc._h.ptr))]
        if not any(L.cm_agreement_find_party(x, cstr(view)) for x in ags):
            raise Error(CM_ENOTFOUND, "unknown party '%s' in view: no agreement "
                        "declares it" % view)
    call("cm_monitor_new", a, a, cstr(view or "all"), ctypes.byref(out))
    h = Handle(out.value, "monitor", parent=agreement._h, owned=True)
    if history:
        try:
            call("cm_monitor_set_history", h.ptr, 1)
        except BaseException:
            h.close()
            raise
    return h


def status(agreement: Any, events: EventsArg = None,
           at: Optional[_time.TimeLike] = None,
           view: str = "all", history: bool = False) -> Status:
    """See :meth:`Agreement.status`."""
    h = _new_monitor(agreement, view, history)
    keep = []  # event texts must live until the run ends
    try:
        m = h.ptr
        doc = agreement.document
        if doc is not None:
            call("cm_monitor_add_document_events", m, doc._h.ptr)
        if events is not None:
            if isinstance(events, (str, os.PathLike)):
                call("cm_monitor_add_events_file", m,
                     cstr(os.fspath(events)))
            elif isinstance(events, (bytes, bytearray)):
                raise TypeError("events: a path (str or os.PathLike) or an "
                                "iterable of event lines, not bytes")
            else:
                lines = []
                for line in events:
                    if not isinstance(line, str):
                        raise TypeError("event lines must be str, got %s"
                                        % type(line).__name__)
                    lines.append(line.rstrip("\n"))
                text = ("\n".join(lines) + "\n").encode("utf-8")
                keep.append(text)
                call("cm_monitor_add_events_text", m, text, len(text),
                     b"<events>")
        call("cm_monitor_run", m, _time.to_cm(at, end_of_day=True))
        out = ctypes.c_void_p()
        call("cm_monitor_snapshot", None, m, ctypes.byref(out))
        return Status._take(out.value)
    finally:
        h.close()
        del keep


class Monitor:
    """A streaming monitor of one agreement under one view.

    Feed event lines as they come (:meth:`feed`), move the clock
    (:meth:`advance`), and take a :class:`Status` at any time
    (:meth:`snapshot`).  Events must come in nondecreasing time.  The
    monitor keeps its agreement alive; closing the agreement makes the
    monitor unusable (ClosedError).  The agreement's own events and its
    document's top-level events are *not* replayed here: use
    :meth:`Agreement.status` for a whole run.

        >>> m = Monitor(agreement, view="AF")
        >>> m.feed("2025-11-20 attack(by: TTP, from: AF, on: PK)")
        >>> m.snapshot().commitments["ceasefire"].state
    """

    def __init__(self, agreement: Any, view: str = "all",
                 history: bool = False) -> None:
        """``history``: record every transition and breach (SPEC §8.9)."""
        self.agreement = agreement
        self._h = _new_monitor(agreement, view, history)

    @property
    def view(self) -> str:
        return pystr(lib().cm_monitor_view(self._h.ptr))

    @property
    def clock(self) -> Optional[_dt.datetime]:
        """The monitor's clock (None before any event or advance)."""
        return _time.from_cm(lib().cm_monitor_clock(self._h.ptr))

    @property
    def last_event_time(self) -> Optional[_dt.datetime]:
        """The time of the latest event fed, whatever the view."""
        return _time.from_cm(lib().cm_monitor_last_event_time(self._h.ptr))

    def feed(self, event_line: str, source: int = 0) -> "Monitor":
        """Feed one bare event line, e.g. ``"2025-11-20 attack(by: TTP,
        from: AF, on: PK) reported by PK"``.  Events of the same minute
        are applied in order of ``source`` (lower first), then arrival.
        Error ESYNTAX (column in the line) or EORDER (earlier than the
        clock); on error nothing changes."""
        if not isinstance(event_line, str):
            raise TypeError("an event line must be str, got %s"
                            % type(event_line).__name__)
        b = cstr(event_line.rstrip("\n"))
        call("cm_monitor_feed_text", self._h.ptr, source, b, len(b))
        return self

    def feed_many(self, lines: Iterable[str]) -> "Monitor":
        """:meth:`feed` each line of an iterable (blank lines and ``#``
        comments are skipped)."""
        for line in lines:
            s = line.strip()
            if s and not s.startswith("#"):
                self.feed(s)
        return self

    def advance(self, at: _time.TimeLike) -> "Monitor":
        """Apply everything due up to ``at`` (a date means the end of that
        day) and move the clock there.  Error EORDER if ``at`` is before
        the clock."""
        call("cm_monitor_advance", self._h.ptr,
             _time.to_cm(at, end_of_day=True))
        return self

    def snapshot(self) -> Status:
        """The states at the clock (events held for the current minute are
        applied first)."""
        out = ctypes.c_void_p()
        call("cm_monitor_snapshot", None, self._h.ptr, ctypes.byref(out))
        return Status._take(out.value)

    def close(self) -> None:
        """Free the monitor now; using it afterwards raises ClosedError."""
        self._h.close()

    def __enter__(self) -> "Monitor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        if not self._h.alive:
            return "<commitments.Monitor closed>"
        clock = self.clock
        return "<Monitor %s, view %s, clock %s>" % (
            self.agreement.id, self.view,
            _time.iso(clock) if clock else "not started")
