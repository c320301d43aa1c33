"""Monitoring (SPEC §4): Agreement.status(), the streaming Monitor, and the
Status snapshot."""

from __future__ import annotations

import ctypes
import datetime as _dt
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, Iterator, List, Optional, Union

from . import _lib, _time
from ._handle import Handle, NoPickle, serialized
from ._lib import CM_ENOTFOUND, Error, call, cstr, lib, pystr, take_string
from .tidy import Lazy, dataframe, flatten, html_table

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


def _names(fn: str) -> List[Optional[str]]:
    f = getattr(lib(), fn)
    return [pystr(f(i)) for i in range(16)]


# enum cm_snapshot_column (columns.h)
_SCOL_STATE, _SCOL_STANDING, _SCOL_MODALITY, _SCOL_SINCE, \
    _SCOL_CAUSE_REASON, _SCOL_CAUSE_LINE, _SCOL_EXCUSED_COUNT, _SCOL_ID, \
    _SCOL_CAUSE_FILE, _SCOL_CAUSE_COMMITMENT = range(10)


def _read_commitments(s: int) -> Dict[str, CommitmentStatus]:
    """Every commitment's state from whole columns (columns.h)."""
    from .report import _ints, _strings
    L = lib()
    n = L.cm_snapshot_count(s)
    states, stands = _names("cm_state_name"), _names("cm_standing_name")
    mods, reasons = _names("cm_modality_name"), _names(
        "cm_cause_reason_name")
    ints, strs = L.cm_snapshot_ints, L.cm_snapshot_strings
    ids = _strings(strs, n, s, _SCOL_ID)
    files = _strings(strs, n, s, _SCOL_CAUSE_FILE)
    comms = _strings(strs, n, s, _SCOL_CAUSE_COMMITMENT)
    state = _ints(ints, n, s, _SCOL_STATE)
    stand = _ints(ints, n, s, _SCOL_STANDING)
    mod = _ints(ints, n, s, _SCOL_MODALITY)
    since = _ints(ints, n, s, _SCOL_SINCE)
    reason = _ints(ints, n, s, _SCOL_CAUSE_REASON)
    line = _ints(ints, n, s, _SCOL_CAUSE_LINE)
    nexc = _ints(ints, n, s, _SCOL_EXCUSED_COUNT)
    sexcby = L.cm_snapshot_excused_by
    from_cm, none = _time.from_cm, _time.CM_TIME_NONE
    new = CommitmentStatus
    hist = bool(L.cm_snapshot_has_history(s))
    nbr = L.cm_snapshot_breach_count

    def cause_of(rs: int, ln: int, f: Any, c: Any) -> Optional[Cause]:
        return Cause(reasons[rs], ln or None, pystr(f), pystr(c)) \
            if rs else None

    def breach_of(t: int, ln: int, f: Any) -> Breach:
        return Breach(from_cm(t), ln or None, pystr(f))

    cs = {}
    for i in range(n):
        rs = reason[i]
        cause = (Cause(reasons[rs], line[i] or None, files[i], comms[i])
                 if rs else None)
        t = since[i]
        k = nexc[i]
        nb = nbr(s, i)
        last = None if not nb else breach_of(
            L.cm_snapshot_last_breach_at(s, i),
            L.cm_snapshot_last_breach_line(s, i),
            L.cm_snapshot_last_breach_file(s, i))
        history = breach_list = None
        if hist:
            history = [HistoryEntry(
                states[L.cm_snapshot_history_state(s, i, j)],
                _time.from_cm(L.cm_snapshot_history_since(s, i, j)),
                cause_of(L.cm_snapshot_history_reason(s, i, j),
                         L.cm_snapshot_history_line(s, i, j),
                         L.cm_snapshot_history_file(s, i, j),
                         L.cm_snapshot_history_commitment(s, i, j)))
                for j in range(L.cm_snapshot_history_count(s, i))]
            breach_list = [breach_of(L.cm_snapshot_breach_at(s, i, j),
                                     L.cm_snapshot_breach_line(s, i, j),
                                     L.cm_snapshot_breach_file(s, i, j))
                           for j in range(L.cm_snapshot_breach_list_count(
                               s, i))]
        cs[ids[i]] = new(ids[i], states[state[i]], stands[stand[i]],
                         mods[mod[i]], None if t == none else from_cm(t),
                         cause,
                         [sexcby(s, i, j).decode() for j in range(k)]
                         if k else [], nb, last, history, breach_list)
    return cs


def _writer(name: str) -> Any:
    def write(s: int) -> str:
        out = ctypes.c_void_p()
        call(name, None, s, ctypes.byref(out))
        return take_string(out.value)
    return write


_READERS = {
    "commitments": _read_commitments,
    "json": _writer("cm_snapshot_to_json"),
    "text": _writer("cm_snapshot_to_text"),
}


class Status(Mapping):
    """The states of an agreement's commitments at one moment, under one
    view: what :meth:`Agreement.status` and :meth:`Monitor.snapshot`
    return.  A read-only mapping from commitment id to
    :class:`CommitmentStatus` (declaration order), equal to another
    Status when everything in it is equal.

    Attributes: ``agreement`` (id), ``title``, ``at`` (UTC datetime, or
    None before any event), ``view``, ``commitments`` (id ->
    :class:`CommitmentStatus`, in declaration order), ``violated`` (ids of
    the agreed commitments that have had a breach by ``at``, whatever
    their state now: SPEC §8.11 rule 9; in 0.1, those violated).

    It holds the C snapshot (never the agreement or the monitor) and
    reads the commitments from the library's accessors the first time
    they are asked for; it pickles by value, and reading is thread-safe.
    """

    def __init__(self) -> None:
        raise TypeError("statuses come from Agreement.status() or "
                        "Monitor.snapshot()")

    @classmethod
    def _take(cls, ptr: int) -> "Status":
        self = cls.__new__(cls)
        try:
            L = lib()
            self.agreement = pystr(L.cm_snapshot_agreement_id(ptr))
            self.title = pystr(L.cm_snapshot_agreement_title(ptr))
            self.at = _time.from_cm(L.cm_snapshot_at(ptr))
            self.view = pystr(L.cm_snapshot_view(ptr))
        except BaseException:
            lib().cm_free(ptr)
            raise
        self._c = Lazy(ptr)
        return self

    def _get(self, name: str) -> Any:
        return self._c.get(name, _READERS[name])

    @property
    def commitments(self) -> Dict[str, CommitmentStatus]:
        return self._get("commitments")

    @property
    def violated(self) -> List[str]:
        return [c.id for c in self._get("commitments").values()
                if c.agreed and (c.breaches or c.state == "violated")]

    @property
    def ok(self) -> bool:
        """True when no agreed commitment has had a breach (``cmt status``
        exits 0)."""
        return not self.violated

    # ---- mapping ---------------------------------------------------------

    def __getitem__(self, id: str) -> CommitmentStatus:
        return self._get("commitments")[id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get("commitments"))

    def __len__(self) -> int:
        return len(self._get("commitments"))

    def __contains__(self, id: object) -> bool:
        return id in self._get("commitments")

    def _key(self) -> tuple:
        return (self.agreement, self.title, self.at, self.view,
                self._get("commitments"))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Status):
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> Any:
        state = {k: self._get(k) for k in _READERS}
        return (_rebuild, (self.agreement, self.title, self.at, self.view,
                           state))

    # ---- outputs ---------------------------------------------------------

    def to_dict(self) -> Dict[str, Any]:
        """The per-agreement ``status`` object of SPEC §6 (a copy)."""
        return json.loads(self._get("json"))

    def to_json(self, **kwargs: Any) -> str:
        """The library's JSON; with keyword arguments re-serialized."""
        if kwargs:
            return json.dumps(self.to_dict(), **kwargs)
        return self._get("json")

    def to_text(self) -> str:
        """The library's readable status."""
        return self._get("text")

    def __str__(self) -> str:
        return self.to_text()

    def records(self) -> List[Dict[str, Any]]:
        """Tidy rows: one flat dict per commitment: ``agreement``,
        ``view``, ``at``, then the :class:`CommitmentStatus` fields
        (``commitment`` for its id), the cause flattened into
        ``cause_reason``, ``cause_event_line``, ``cause_event_file``,
        ``cause_commitment``, ``breaches``, the last breach flattened into
        ``last_breach_at``, ``last_breach_event_line``,
        ``last_breach_event_file``, lists as space-separated text.  The
        history lists (``history``, ``breach_list``) are not columns; read
        them from the commitments.  Fields added to CommitmentStatus later
        become columns too."""
        base = {"agreement": self.agreement, "view": self.view,
                "at": self.at}
        rows = []
        for c in self._get("commitments").values():
            flat = flatten(c, nested={"cause": Cause, "last_breach": Breach})
            # one row per commitment: the lists of --history stay on the
            # CommitmentStatus (c.history, c.breach_list)
            flat.pop("history", None)
            flat.pop("breach_list", None)
            row = dict(base, commitment=flat.pop("id"))
            row.update(flat)
            rows.append(row)
        return rows

    def to_dataframe(self) -> Any:
        """:meth:`records` as a ``pandas.DataFrame`` (needs pandas)."""
        return dataframe(self.records())

    def _repr_html_(self) -> str:
        cs = list(self._get("commitments").values())
        show = cs[:50]
        at = _time.iso(self.at) if self.at else "start"
        return html_table(
            "%s at %s, view %s" % (self.agreement, at, self.view),
            ["commitment", "state", "standing", "since", "cause"],
            [[c.id, c.state, c.standing, _time.iso(c.since),
              c.cause.reason if c.cause else None] for c in show],
            len(cs) - len(show))

    def __repr__(self) -> str:
        at = _time.iso(self.at) if self.at else "start"
        states = ", ".join("%s=%s" % (c.id, c.state)
                           for c in self._get("commitments").values())
        return "<Status %s at %s, view %s: %s>" % (self.agreement, at,
                                                   self.view, states)


def _rebuild(agreement: str, title: Optional[str], at: Any, view: str,
             state: Dict[str, Any]) -> Status:
    from .report import _Plain
    self = Status.__new__(Status)
    self.agreement, self.title, self.at, self.view = agreement, title, at, view
    self._c = _Plain(state)
    return self


def _ids(v: Union[str, Iterable[str]]) -> List[str]:
    return [v] if isinstance(v, str) else list(v)


def _new_monitor(agreement: Any, view: Optional[str],
                 history: bool = False) -> Handle:
    """A C monitor allocated under the agreement (so freeing the agreement
    frees it too), owned by the returned handle."""
    if view is not None and not isinstance(view, str):
        raise TypeError("view must be 'all', 'verified' or a party id")
    out = ctypes.c_void_p()
    with agreement._h.lock:
        a = agreement._h.ptr
        if view not in (None, "all", "verified"):
            # SPEC §8.6: an error only when no agreement of the run (this
            # one and the others of its document) declares the party
            L = lib()
            doc = agreement.document
            ags = [a] if doc is None else [
                L.cm_document_agreement(doc._h.ptr, i)
                for i in range(L.cm_document_agreement_count(doc._h.ptr))]
            if not any(L.cm_agreement_find_party(x, cstr(view))
                       for x in ags):
                raise Error(CM_ENOTFOUND, "unknown party '%s' in view: no "
                            "agreement declares it" % view)
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


@serialized
class Monitor(NoPickle):
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
        src = _lib.uint32(source, "source")
        b = cstr(event_line.rstrip("\n"))
        call("cm_monitor_feed_text", self._h.ptr, src, b, len(b))
        return self

    def feed_event(self, at: _time.TimeLike, action: str,
                   attrs: Optional[Dict[str, str]] = None,
                   reported_by: Iterable[str] = (),
                   denied_by: Iterable[str] = (),
                   verified_by: Iterable[str] = (),
                   source: int = 0) -> "Monitor":
        """Feed one event built in code (``cm_monitor_feed``): ``at`` (a
        date means its first minute), the action's type and attributes
        (name -> value text), and who reported, denied and verified it.
        As :meth:`feed` otherwise."""
        src = _lib.uint32(source, "source")
        t = _time.to_cm(at)
        attrs = dict(attrs or {})
        for k, v in attrs.items():
            if not isinstance(k, str) or not isinstance(v, str):
                raise TypeError("attrs: names and values must be str")

        def arr(items: Iterable[str]) -> Any:
            bs = [cstr(x) for x in items]
            return (ctypes.c_char_p * max(len(bs), 1))(*bs), len(bs)

        names, n = arr(attrs.keys())
        values, _ = arr(attrs.values())
        rep, nrep = arr(_ids(reported_by))
        den, nden = arr(_ids(denied_by))
        ver, nver = arr(_ids(verified_by))
        call("cm_monitor_feed", self._h.ptr, src, t, cstr(action), names,
             values, n, rep, nrep, den, nden, ver, nver)
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
