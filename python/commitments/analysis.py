"""The structural analysis (SPEC §5) as Python objects."""

from __future__ import annotations

import ctypes
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from ._lib import call, lib, pystr, take_string

__all__ = ["Analysis", "Deadlock", "Balance", "Conflict"]


@dataclass(frozen=True)
class Deadlock:
    """A cycle of ``if`` state references that never takes effect:
    ``cycle`` (its members), ``commitments`` (every commitment it keeps
    from taking effect, the cycle included)."""

    cycle: List[str]
    commitments: List[str]


@dataclass(frozen=True)
class Balance:
    """A party's reciprocity balance: the agreed obligations it ``owes``,
    the agreed rights it ``holds``, and those it owes that nothing
    reciprocates (``unreciprocated``)."""

    owes: List[str]
    holds: List[str]
    unreciprocated: List[str]


@dataclass(frozen=True)
class Conflict:
    """Two agreed commitments that cannot both be kept (SPEC 0.2), when
    the library reports conflicts: ``kind`` and the two ``commitments``;
    further fields the library writes are in ``details``."""

    kind: str
    commitments: List[str]
    details: Dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, eq=True)
class Analysis:
    """What :meth:`Agreement.analyze` returns: a plain Python snapshot
    (no C memory), equal by value, picklable.

    ``agreement`` (id), ``title``, ``states`` (id -> the state each
    commitment ends in after the symbolic run), ``deadlocks`` (list of
    :class:`Deadlock`), ``balance`` (party id -> :class:`Balance`),
    ``conflicts`` (list of :class:`Conflict`; empty when the library
    reports none or does not detect them).
    """

    agreement: str
    title: Optional[str]
    states: Dict[str, str]
    deadlocks: List[Deadlock]
    balance: Dict[str, Balance]
    conflicts: List[Conflict] = field(default_factory=list)
    _json: str = field(default="", repr=False, compare=False)
    _text: str = field(default="", repr=False, compare=False)

    @classmethod
    def _take(cls, ptr: int) -> "Analysis":
        try:
            return cls._read(ptr)
        finally:
            lib().cm_free(ptr)

    @classmethod
    def _read(cls, a: int) -> "Analysis":
        L = lib()
        states = {}
        for i in range(L.cm_analysis_commitment_count(a)):
            states[pystr(L.cm_analysis_commitment_id(a, i))] = pystr(
                L.cm_state_name(L.cm_analysis_commitment_state(a, i)))
        deadlocks = []
        for i in range(L.cm_analysis_deadlock_count(a)):
            deadlocks.append(Deadlock(
                [pystr(L.cm_analysis_cycle_member(a, i, j))
                 for j in range(L.cm_analysis_cycle_count(a, i))],
                [pystr(L.cm_analysis_blocked(a, i, j))
                 for j in range(L.cm_analysis_blocked_count(a, i))]))
        balance = {}
        for k in range(L.cm_analysis_party_count(a)):
            balance[pystr(L.cm_analysis_party(a, k))] = Balance(
                [pystr(L.cm_analysis_owes(a, k, j))
                 for j in range(L.cm_analysis_owes_count(a, k))],
                [pystr(L.cm_analysis_holds(a, k, j))
                 for j in range(L.cm_analysis_holds_count(a, k))],
                [pystr(L.cm_analysis_unreciprocated(a, k, j))
                 for j in range(L.cm_analysis_unreciprocated_count(a, k))])
        out = ctypes.c_void_p()
        call("cm_analysis_to_json", None, a, ctypes.byref(out))
        js = take_string(out.value)
        out = ctypes.c_void_p()
        call("cm_analysis_to_text", None, a, ctypes.byref(out))
        text = take_string(out.value)
        conflicts = []
        for c in json.loads(js).get("conflicts") or []:
            rest = {k: v for k, v in c.items()
                    if k not in ("kind", "commitments")}
            conflicts.append(Conflict(c.get("kind"),
                                      list(c.get("commitments") or []),
                                      rest))
        return cls(pystr(L.cm_analysis_agreement_id(a)),
                   pystr(L.cm_analysis_agreement_title(a)), states,
                   deadlocks, balance, conflicts, js, text)

    def to_dict(self) -> Dict[str, Any]:
        """The ``analyze`` JSON object of SPEC §6 (a fresh copy)."""
        return json.loads(self._json)

    def to_json(self) -> str:
        return self._json

    def to_text(self) -> str:
        return self._text

    def __str__(self) -> str:
        return self._text

    def records(self) -> List[Dict[str, Any]]:
        """One flat row per (party, commitment) of the balance and per
        deadlocked commitment: ``{"agreement", "kind", "party",
        "commitment", ...}`` (kind "owes", "holds", "unreciprocated",
        "deadlock", "conflict")."""
        rows = []
        for party, b in self.balance.items():
            for kind in ("owes", "holds", "unreciprocated"):
                for cid in getattr(b, kind):
                    rows.append({"agreement": self.agreement, "kind": kind,
                                 "party": party, "commitment": cid,
                                 "cycle": None})
        for i, d in enumerate(self.deadlocks):
            for cid in d.commitments:
                rows.append({"agreement": self.agreement,
                             "kind": "deadlock", "party": None,
                             "commitment": cid,
                             "cycle": " ".join(d.cycle)})
        for c in self.conflicts:
            for cid in c.commitments:
                rows.append({"agreement": self.agreement,
                             "kind": "conflict", "party": None,
                             "commitment": cid, "cycle": c.kind})
        return rows

    def to_dataframe(self) -> Any:
        from .tidy import dataframe
        return dataframe(self.records())

    def __getitem__(self, key: str) -> Any:
        """``an["deadlocks"]``: the JSON object's fields, as in 0.1 when
        analyze() returned the dict (kept for old code)."""
        return self.to_dict()[key]
