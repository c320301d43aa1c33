"""The result of a documentation check (SPEC §3), as Python objects."""

from __future__ import annotations

import ctypes
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional

from ._lib import call, lib, pystr, take_string
from .tidy import Lazy, dataframe, flatten, html_table

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


def _names(fn: str) -> List[Optional[str]]:
    f = getattr(lib(), fn)
    return [pystr(f(i)) for i in range(16)]


def _strings(fn: Any, n: int, *args: Any) -> List[Optional[str]]:
    """A string column (columns.h) as a list of str (None kept)."""
    if n == 0:
        return []
    arr = (ctypes.c_char_p * n)()
    fn(*args, arr, n)
    return [None if b is None else b.decode("utf-8", "replace")
            for b in arr]


def _ints(fn: Any, n: int, *args: Any) -> List[int]:
    arr = (ctypes.c_int64 * max(n, 1))()
    fn(*args, arr, n)
    return arr[:n]


# enum cm_report_column / cm_failure_column (columns.h)
_RCOL_FORM, _RCOL_LEVEL, _RCOL_MODALITY, _RCOL_STANDING, _RCOL_LINE, \
    _RCOL_CREDITOR_COUNT, _RCOL_ID, _RCOL_DEBTOR = range(8)
_FCOL_COMMITMENT, _FCOL_MISSING, _FCOL_REMEDY = range(3)


def _read_requirements(r: int) -> List[Requirement]:
    L = lib()
    fs = L.cm_report_failure_strings
    reqs = []
    for i in range(L.cm_report_requirement_count(r)):
        k = L.cm_report_failure_count(r, i)
        fails = list(map(Failure, _strings(fs, k, r, i, _FCOL_COMMITMENT),
                         _strings(fs, k, r, i, _FCOL_MISSING),
                         _strings(fs, k, r, i, _FCOL_REMEDY)))
        reqs.append(Requirement(
            pystr(L.cm_report_requirement_rule(r, i)),
            pystr(L.cm_report_requirement_selector(r, i)),
            pystr(L.cm_report_requirement_policy(r, i)),
            L.cm_report_requirement_line(r, i) or None,
            L.cm_report_requirement_holds(r, i) == 1,
            fails))
    return reqs


class _Creditors(Sequence):
    """A commitment's creditors in a report, read from the C report on
    first use (a default creditor list names every other party-role
    party, so an agreement of many parties has very long ones).  Equal to
    any sequence with the same ids; pickles as a plain list."""

    __slots__ = ("_owner", "_i", "_n", "_items")

    def __init__(self, owner: Lazy, i: int, n: int) -> None:
        self._owner, self._i, self._n = owner, i, n
        self._items: Optional[List[str]] = None

    def _list(self) -> List[str]:
        if self._items is None:
            i, n = self._i, self._n

            def read(r: int) -> List[str]:
                f = lib().cm_report_commitment_creditor
                return [f(r, i, k).decode() for k in range(n)]
            self._items = self._owner.read_now(read)
            self._owner = None
        return self._items

    def __getitem__(self, k: Any) -> Any:
        return self._list()[k]

    def __len__(self) -> int:
        return self._n

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, tuple, Sequence)) and not isinstance(
                other, str):
            return len(other) == self._n and self._list() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> Any:
        return (list, (self._list(),))

    def __repr__(self) -> str:
        return repr(self._list())


def _read_commitments(r: int, owner: Lazy) -> Dict[str, CommitmentDoc]:
    """Every commitment from whole columns (columns.h): a few calls for
    the lot, not a few per commitment."""
    L = lib()
    n = L.cm_report_commitment_count(r)
    forms, levels = _names("cm_form_name"), _names("cm_level_name")
    mods, stands = _names("cm_modality_name"), _names("cm_standing_name")
    ints, strs = L.cm_report_commitment_ints, L.cm_report_commitment_strings
    ids = _strings(strs, n, r, _RCOL_ID)
    debtors = _strings(strs, n, r, _RCOL_DEBTOR)
    form = _ints(ints, n, r, _RCOL_FORM)
    level = _ints(ints, n, r, _RCOL_LEVEL)
    mod = _ints(ints, n, r, _RCOL_MODALITY)
    stand = _ints(ints, n, r, _RCOL_STANDING)
    line = _ints(ints, n, r, _RCOL_LINE)
    ncred = _ints(ints, n, r, _RCOL_CREDITOR_COUNT)
    new = CommitmentDoc
    return {ids[i]: new(ids[i], forms[form[i]], levels[level[i]],
                        debtors[i], _Creditors(owner, i, ncred[i]),
                        mods[mod[i]], stands[stand[i]], line[i] or None)
            for i in range(n)}


def _read_below(r: int) -> Dict[str, Below]:
    L = lib()
    below = {}
    for k in range(L.cm_report_below_count(r)):
        n = L.cm_report_below_short(r, k)
        below[pystr(L.cm_report_below_party(r, k))] = Below(
            n, L.cm_report_below_of(r, k),
            [pystr(L.cm_report_below_commitment(r, k, j))
             for j in range(n)])
    return below


def _writer(name: str) -> Any:
    def write(r: int) -> str:
        out = ctypes.c_void_p()
        call(name, None, r, ctypes.byref(out))
        return take_string(out.value)
    return write


_READERS = {
    "requirements": _read_requirements,
    "commitments": None,  # needs its owner: Report._get
    "below": _read_below,
    "json": _writer("cm_report_to_json"),
    "text": _writer("cm_report_to_text"),
}


class Report(Mapping):
    """The result of :meth:`Agreement.check`: a read-only mapping from
    commitment id to :class:`CommitmentDoc` (declaration order), equal to
    another Report when everything in it is equal.

    Attributes: ``agreement`` (id), ``title``, ``verdict`` ("meets" or
    "fails"), ``requirements`` (list of :class:`Requirement`),
    ``commitments`` (list of :class:`CommitmentDoc`), ``below`` (debtor
    id -> :class:`Below`).  ``bool(report)`` is ``report.meets`` (not
    "has commitments").

    A Report holds the C report and reads each part from the library's
    accessors the first time it is asked for (so ``check()`` costs
    little more than the C check); it never refers to the agreement, so
    it outlives it freely, and it pickles by value (everything is read
    first).  Reading is thread-safe.
    """

    def __init__(self) -> None:
        raise TypeError("reports come from Agreement.check()")

    @classmethod
    def _take(cls, ptr: int) -> "Report":
        self = cls.__new__(cls)
        try:
            L = lib()
            self.agreement = pystr(L.cm_report_agreement_id(ptr))
            self.title = pystr(L.cm_report_agreement_title(ptr))
            self.verdict = ("meets" if L.cm_report_verdict(ptr) == 1
                            else "fails")
        except BaseException:
            lib().cm_free(ptr)
            raise
        self._c = Lazy(ptr)
        return self

    def _get(self, name: str) -> Any:
        if name == "commitments":
            c = self._c
            return c.get(name, lambda r: _read_commitments(r, c))
        return self._c.get(name, _READERS[name])

    # ---- the parts -------------------------------------------------------

    @property
    def requirements(self) -> List[Requirement]:
        return self._get("requirements")

    @property
    def commitments(self) -> List[CommitmentDoc]:
        return list(self._get("commitments").values())

    @property
    def below(self) -> Dict[str, Below]:
        return self._get("below")

    @property
    def meets(self) -> bool:
        """True when every requirement holds."""
        return self.verdict == "meets"

    def __bool__(self) -> bool:
        return self.meets

    # ---- mapping ---------------------------------------------------------

    def __getitem__(self, id: str) -> CommitmentDoc:
        return self._get("commitments")[id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get("commitments"))

    def __len__(self) -> int:
        return len(self._get("commitments"))

    def __contains__(self, id: object) -> bool:
        return id in self._get("commitments")

    def _key(self) -> tuple:
        return (self.agreement, self.title, self.verdict, self.requirements,
                self._get("commitments"), self.below)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Report):
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]

    # ---- pickling: by value ------------------------------------------------

    def __reduce__(self) -> Any:
        state = {k: self._get(k) for k in _READERS}
        return (_rebuild, (Report, self.agreement, self.title, self.verdict,
                           state))

    # ---- outputs ---------------------------------------------------------

    def to_dict(self) -> Dict[str, Any]:
        """The per-agreement ``check`` object of SPEC §6 (a fresh copy)."""
        return json.loads(self._get("json"))

    def to_json(self, **kwargs: Any) -> str:
        """The library's JSON text; with keyword arguments (``indent=2``)
        it is re-serialized with ``json.dumps``."""
        if kwargs:
            return json.dumps(self.to_dict(), **kwargs)
        return self._get("json")

    def to_text(self) -> str:
        """The library's readable report (verdict first, then remedies)."""
        return self._get("text")

    def __str__(self) -> str:
        return self.to_text()

    def records(self, per: str = "commitment") -> List[Dict[str, Any]]:
        """Tidy rows (flat dicts).

        ``per="commitment"`` (default): one row per commitment, with the
        agreement, its verdict, the commitment's fields but its creditors
        (``report[id].creditor``; a default creditor list names every
        other party, too long for a table cell), ``failing`` (how many
        requirements it fails) and ``missing`` (what is missing,
        "; "-joined).  ``per="failure"``: one row per failure of a
        requirement (agreement-level failures have commitment None).
        """
        base = {"agreement": self.agreement, "verdict": self.verdict}
        if per == "failure":
            rows = []
            for r in self.requirements:
                for f in r.failures:
                    rows.append(dict(base, rule=r.rule, selector=r.selector,
                                     policy=r.policy, line=r.line,
                                     commitment=f.commitment,
                                     missing=f.missing, remedy=f.remedy))
            return rows
        if per != "commitment":
            raise ValueError("per: 'commitment' or 'failure', not %r"
                             % (per,))
        missing: Dict[Optional[str], List[str]] = {}
        for r in self.requirements:
            for f in r.failures:
                missing.setdefault(f.commitment, []).append(f.missing)
        rows = []
        for c in self._get("commitments").values():
            flat = flatten(c)
            row = dict(base, commitment=flat.pop("id"))
            flat.pop("creditor")    # long lists: report[id].creditor
            row.update(flat)
            m = missing.get(c.id, [])
            row["failing"] = len(m)
            row["missing"] = "; ".join(m)
            rows.append(row)
        return rows

    def to_dataframe(self, per: str = "commitment") -> Any:
        """:meth:`records` as a ``pandas.DataFrame`` (needs pandas)."""
        return dataframe(self.records(per))

    def _repr_html_(self) -> str:
        rows = self.records()
        show = rows[:50]
        return html_table(
            "%s: %s" % (self.agreement, self.verdict),
            ["commitment", "debtor", "modality", "form", "level", "missing"],
            [[r["commitment"], r["debtor"], r["modality"], r["form"],
              r["level"], r["missing"]] for r in show],
            len(rows) - len(show))

    def __repr__(self) -> str:
        failing = sum(1 for r in self.requirements if not r.holds)
        return "<Report %s: %s, %d of %d requirements fail>" % (
            self.agreement, self.verdict, failing, len(self.requirements))


def _rebuild(cls: type, agreement: str, title: Optional[str], verdict: str,
             state: Dict[str, Any]) -> Any:
    self = cls.__new__(cls)
    self.agreement, self.title, self.verdict = agreement, title, verdict
    self._c = _Plain(state)
    return self


class _Plain:
    """The unpickled stand-in for a Lazy: everything is cached."""

    __slots__ = ("_cache",)

    def __init__(self, cache: Dict[str, Any]) -> None:
        self._cache = cache

    def get(self, name: str, fn: Any) -> Any:
        return self._cache[name]
