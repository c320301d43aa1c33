"""The result of a documentation check (SPEC §3), as Python objects."""

from __future__ import annotations

import copy
import ctypes
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from ._lib import call, lib, pystr, take_string

__all__ = ["Report", "Requirement", "Failure", "CommitmentDoc", "Below"]


@dataclass(frozen=True)
class Failure:
    """One failure of a requirement: ``commitment`` is None for an
    agreement-level rule (``registered``, ``parties``)."""

    commitment: Optional[str]
    missing: str
    remedy: str


@dataclass(frozen=True)
class Requirement:
    """A requirement and whether it holds."""

    rule: str
    selector: str
    policy: Optional[str]
    line: Optional[int]
    holds: bool
    failures: List[Failure] = field(default_factory=list)

    def __repr__(self) -> str:
        where = " (%s)" % self.policy if self.policy else ""
        return "<Requirement %r for %s%s: %s>" % (
            self.rule, self.selector, where,
            "holds" if self.holds else "%d failures" % len(self.failures))


@dataclass(frozen=True)
class CommitmentDoc:
    """A commitment as the check sees it: effective form and level."""

    id: str
    form: str
    level: str
    debtor: Optional[str] = None
    creditor: List[str] = field(default_factory=list)
    modality: Optional[str] = None
    standing: Optional[str] = None
    line: Optional[int] = None


@dataclass(frozen=True)
class Below:
    """How many of a debtor's agreed commitments fall short, of how many."""

    count: int
    of: int
    commitments: List[str]


class Report:
    """The result of :meth:`Agreement.check`.

    A Report is a plain Python snapshot: the C report is read completely
    and freed when the Report is made, so it holds no C memory and
    outlives the agreement freely.

    Attributes: ``agreement`` (id), ``title``, ``verdict`` ("meets" or
    "fails"), ``requirements`` (list of :class:`Requirement`),
    ``commitments`` (list of :class:`CommitmentDoc`), ``below`` (debtor
    id -> :class:`Below`).
    """

    def __init__(self) -> None:
        raise TypeError("reports come from Agreement.check()")

    @classmethod
    def _take(cls, ptr: int) -> "Report":
        try:
            return cls._read(ptr)
        finally:
            lib().cm_free(ptr)

    @classmethod
    def _read(cls, r: int) -> "Report":
        L = lib()
        self = cls.__new__(cls)
        self.agreement = pystr(L.cm_report_agreement_id(r))
        self.title = pystr(L.cm_report_agreement_title(r))
        self.verdict = "meets" if L.cm_report_verdict(r) == 1 else "fails"
        reqs = []
        for i in range(L.cm_report_requirement_count(r)):
            fails = [Failure(pystr(L.cm_report_failure_commitment(r, i, j)),
                             pystr(L.cm_report_failure_missing(r, i, j)),
                             pystr(L.cm_report_failure_remedy(r, i, j)))
                     for j in range(L.cm_report_failure_count(r, i))]
            reqs.append(Requirement(
                pystr(L.cm_report_requirement_rule(r, i)),
                pystr(L.cm_report_requirement_selector(r, i)),
                pystr(L.cm_report_requirement_policy(r, i)),
                L.cm_report_requirement_line(r, i) or None,
                L.cm_report_requirement_holds(r, i) == 1,
                fails))
        self.requirements = reqs
        out = ctypes.c_void_p()
        call("cm_report_to_json", None, r, ctypes.byref(out))
        self._json = take_string(out.value)
        out = ctypes.c_void_p()
        call("cm_report_to_text", None, r, ctypes.byref(out))
        self._text = take_string(out.value)
        self._dict = json.loads(self._json)
        by_id = {c.get("id"): c for c in self._dict.get("commitments", [])}
        docs = []
        for i in range(L.cm_report_commitment_count(r)):
            cid = pystr(L.cm_report_commitment_id(r, i))
            j = by_id.get(cid, {})
            docs.append(CommitmentDoc(
                cid,
                pystr(L.cm_form_name(L.cm_report_commitment_form(r, i))),
                pystr(L.cm_level_name(L.cm_report_commitment_level(r, i))),
                j.get("debtor"), list(j.get("creditor") or []),
                j.get("modality"), j.get("standing"), j.get("line")))
        self.commitments = docs
        below = {}
        for k in range(L.cm_report_below_count(r)):
            n = L.cm_report_below_short(r, k)
            below[pystr(L.cm_report_below_party(r, k))] = Below(
                n, L.cm_report_below_of(r, k),
                [pystr(L.cm_report_below_commitment(r, k, j))
                 for j in range(n)])
        self.below = below
        return self

    @property
    def meets(self) -> bool:
        """True when every requirement holds."""
        return self.verdict == "meets"

    def __bool__(self) -> bool:
        return self.meets

    def to_dict(self) -> Dict[str, Any]:
        """The per-agreement ``check`` object of SPEC §6 (a fresh copy)."""
        return copy.deepcopy(self._dict)

    def to_json(self, **kwargs: Any) -> str:
        """The library's JSON text; with keyword arguments (``indent=2``)
        it is re-serialized with ``json.dumps``."""
        if kwargs:
            return json.dumps(self._dict, **kwargs)
        return self._json

    def to_text(self) -> str:
        """The library's readable report (verdict first, then remedies)."""
        return self._text

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        failing = sum(1 for r in self.requirements if not r.holds)
        return "<Report %s: %s, %d of %d requirements fail>" % (
            self.agreement, self.verdict, failing, len(self.requirements))
