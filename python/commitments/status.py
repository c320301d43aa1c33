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
from ._lib import call, cstr, lib, pystr, take_string

__all__ = ["Status", "CommitmentStatus", "Cause", "Monitor"]

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
class CommitmentStatus:
    """One commitment's state in a :class:`Status`.

    ``since`` (UTC datetime) and ``cause`` are None while the commitment is
    still in its initial state.  ``excused_by``: the rights that excused
    events against it.  ``standing`` tells agreed commitments from those
    only proposed, claimed or rejected ("claimed active" is ``state ==
    "active"`` with ``standing == "claimed"``).
    """

    id: str
    state: str
    standing: str
    modality: str
    since: Optional[_dt.datetime]
    cause: Optional[Cause]
    excused_by: List[str] = field(default_factory=list)

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
    the agreed commitments that are violated).
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
                 for j in range(L.cm_snapshot_excused_count(s, i))])
            cs[c.id] = c
        self.commitments = cs
        self.violated = [c.id for c in cs.values()
                         if c.agreed and c.state == "violated"]
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
        """True when no agreed commitment is violated (``cmt status``
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


def _new_monitor(agreement: Any, view: Optional[str]) -> Handle:
    """A C monitor allocated under the agreement (so freeing the agreement
    frees it too), owned by the returned handle."""
    if view is not None and not isinstance(view, str):
        raise TypeError("view must be 'all', 'verified' or a party id")
    out = ctypes.c_void_p()
    a = agreement._h.ptr
    call("cm_monitor_new", a, a, cstr(view or "all"), ctypes.byref(out))
    return Handle(out.value, "monitor", parent=agreement._h, owned=True)


def status(agreement: Any, events: EventsArg = None,
           at: Optional[_time.TimeLike] = None,
           view: str = "all") -> Status:
    """See :meth:`Agreement.status`."""
    h = _new_monitor(agreement, view)
    keep = []  # event texts must live until the run ends
    try:
        m = h.ptr
        doc = agreement.document
        if doc is not None:
            call("cm_monitor_add_document_events", m, doc._h.ptr)
        from .importer import Import, ImportedEvent
        if isinstance(events, Import):
            events = [events]
        if (isinstance(events, (list, tuple)) and events and
                all(isinstance(e, Import) for e in events)):
            # the monitor reads the CSV itself: causes name its rows
            for imp in events:
                call("cm_monitor_add_import", m, imp._claim())
                keep.append(imp)
            events = None
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
                    lines.append(line if isinstance(line, ImportedEvent)
                                 else line.rstrip("\n"))
                if lines and all(isinstance(x, ImportedEvent)
                                 for x in lines):
                    # rows come in file order: one source must not go
                    # back in time
                    lines.sort(key=lambda x: x.time)
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

    def __init__(self, agreement: Any, view: str = "all") -> None:
        self.agreement = agreement
        self._h = _new_monitor(agreement, view)

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
