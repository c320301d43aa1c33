"""Documents, agreements, parties, commitments and policies."""

from __future__ import annotations

import contextlib
import ctypes
import datetime as _dt
import os
import re
from dataclasses import dataclass
from typing import (TYPE_CHECKING, Any, Dict, Iterable, List, Optional,
                    Sequence, Tuple, Union)

from . import _lib, _time
from ._handle import Handle, NoPickle, serialized
from ._lib import call, cstr, lib, pystr

if TYPE_CHECKING:  # pragma: no cover
    from .analysis import Analysis
    from .condition import Condition
    from .report import Report
    from .status import Status

__all__ = ["Document", "Agreement", "AgreementRequirement", "Party",
           "Commitment", "Policy",
           "builtin_policy", "builtin_policy_names", "load", "parse"]

COND_ITEMS = {"if": 0, "while": 1, "unless": 2}  # keywords: no C names
COND_ITEM_NAMES = {v: k for k, v in COND_ITEMS.items()}
CMP_TEXT = (">=", ">", "<=", "<", "==", "!=")   # enum cm_cmp, in order
COND_TYPES = ("true", "false", "not", "and", "or", "action", "count",
              "state", "form")                  # enum cm_cond_type
FORM_ATOMS = ("written", "signed")              # enum cm_form_atom


class _Enum(dict):
    """name -> value of a C enum, read from the library's name function
    (``cm_role_name`` ...) on first use, so the binding copies no table."""

    def __init__(self, fn: str, none: bool = False) -> None:
        super().__init__()
        self.fn = fn
        self.none = none
        self.loaded = False

    def _load(self) -> None:
        if self.loaded:
            return
        f = getattr(lib(), self.fn)
        for i in range(64):
            n = f(i)
            if n is not None:
                dict.__setitem__(self, n.decode(), i)
        if self.none:
            dict.__setitem__(self, None, 0)
        self.loaded = True

    def __getitem__(self, k: Any) -> int:
        self._load()
        return dict.__getitem__(self, k)

    def __iter__(self) -> Any:
        self._load()
        return dict.__iter__(self)

    def __contains__(self, k: Any) -> bool:
        self._load()
        return dict.__contains__(self, k)

    def __len__(self) -> int:
        self._load()
        return dict.__len__(self)


ROLES = _Enum("cm_role_name")
KINDS = _Enum("cm_kind_name", none=True)
MODALITIES = _Enum("cm_modality_name")
FORMS = _Enum("cm_form_name", none=True)
STANDINGS = _Enum("cm_standing_name")
STATES = _Enum("cm_state_name")
LEVELS = _Enum("cm_level_name")

PathLike = Union[str, "os.PathLike[str]"]


def _name(fn: str, value: int) -> Optional[str]:
    return pystr(getattr(lib(), fn)(value))


def _key(table: Dict[Any, int], value: Any, what: str) -> int:
    if isinstance(value, str):
        value_n = value.replace(" ", "-").replace("_", "-")
    else:
        value_n = value
    try:
        return table[value_n]
    except (KeyError, TypeError):
        choices = ", ".join(repr(k) for k in table if k is not None)
        raise ValueError("bad %s %r (expected one of %s)"
                         % (what, value, choices)) from None


def _minutes(within: Union[int, str, _dt.timedelta]) -> int:
    """A duration: minutes (int), a timedelta, or "30d" / "12h"."""
    if isinstance(within, bool):
        raise TypeError("bad duration %r" % within)
    if isinstance(within, int):
        return _lib.int64(within, "within (minutes)")
    if isinstance(within, _dt.timedelta):
        return within // _dt.timedelta(minutes=1)
    if isinstance(within, str):
        m = re.fullmatch(r"([0-9]+)([dh])", within.strip())
        if m:
            n = int(m.group(1))
            return _lib.int64(n * (1440 if m.group(2) == "d" else 60),
                              "within %r (minutes)" % within)
        raise ValueError("bad duration %r (expected like '30d' or '12h')"
                         % within)
    raise TypeError("bad duration %r" % (within,))


def _ids(value: Union[None, str, Iterable[str]]) -> List[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def _policy_list(policies: Any) -> List[Any]:
    """``check(policies=...)``: one policy (a name or a Policy) or an
    iterable of them; anything else is a TypeError."""
    if isinstance(policies, (str, Policy)):
        return [policies]
    if isinstance(policies, (bytes, bytearray)):
        raise TypeError("policies: a policy name (str), a Policy, or an "
                        "iterable of them, not bytes")
    try:
        items = list(policies)
    except TypeError:
        raise TypeError("policies: a policy name (str), a Policy, or an "
                        "iterable of them, not %s"
                        % type(policies).__name__) from None
    for p in items:
        if not isinstance(p, (str, Policy)):
            raise TypeError("policies: each item must be a policy name "
                            "(str) or a Policy, not %s" % type(p).__name__)
    return items


# ---------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------

@serialized
class Document(NoPickle):
    """A parsed run: agreements, policies and top-level events of one or
    more texts.  Usually reached through :func:`load` / :func:`parse`;
    every :class:`Agreement` taken from it keeps it alive."""

    def __init__(self) -> None:
        out = ctypes.c_void_p()
        call("cm_document_new", None, ctypes.byref(out))
        self._h = Handle(out.value, "document")
        self._resolved = False

    @classmethod
    def _own(cls, ptr: int) -> "Document":
        d = cls.__new__(cls)
        d._h = Handle(ptr, "document")
        d._resolved = True
        return d

    def add_text(self, text: Union[str, bytes],
                 filename: str = "<string>") -> "Document":
        """Parse ``text`` into the document (call :meth:`resolve` after)."""
        b = _text(text)
        call("cm_document_add_text", self._h.ptr, b, len(b), cstr(filename))
        self._resolved = False
        return self

    def add_file(self, path: PathLike) -> "Document":
        """Parse a file into the document (call :meth:`resolve` after)."""
        call("cm_document_add_file", self._h.ptr, cstr(os.fspath(path)))
        self._resolved = False
        return self

    def resolve(self) -> "Document":
        """Resolve `use` items and run the static checks of SPEC §2."""
        call("cm_document_resolve", self._h.ptr)
        self._resolved = True
        return self

    @property
    def agreements(self) -> List["Agreement"]:
        """The agreements, in source order (each keeps the document alive)."""
        p = self._h.ptr
        n = lib().cm_document_agreement_count(p)
        return [Agreement._child(lib().cm_document_agreement(p, i), self)
                for i in range(n)]

    @property
    def policies(self) -> List["Policy"]:
        """The policies the document's texts define."""
        p = self._h.ptr
        n = lib().cm_document_policy_count(p)
        return [Policy._child(lib().cm_document_policy(p, i), self._h)
                for i in range(n)]

    def find_policy(self, name: str) -> "Policy":
        """A policy by name: the document's own, then the shipped ones
        (loaded when the document is resolved). Error ENOTFOUND when
        there is none."""
        out = ctypes.c_void_p()
        call("cm_document_lookup_policy", self._h.ptr, cstr(name),
             ctypes.byref(out))
        return Policy._child(out.value, self._h)

    @property
    def event_count(self) -> int:
        """How many events the top-level `events` blocks hold."""
        return lib().cm_document_event_count(self._h.ptr)

    def to_text(self) -> str:
        """The whole document as canonical text (comments kept)."""
        out = ctypes.c_void_p()
        call("cm_document_to_text", None, self._h.ptr, ctypes.byref(out))
        return _lib.take_string(out.value)

    def close(self) -> None:
        """Free the document now; its agreements become unusable."""
        self._h.close()

    def __enter__(self) -> "Document":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        if not self._h.alive:
            return "<commitments.Document closed>"
        return "<commitments.Document %d agreements, %d policies>" % (
            lib().cm_document_agreement_count(self._h.ptr),
            lib().cm_document_policy_count(self._h.ptr))


def load(path: PathLike) -> List["Agreement"]:
    """Parse a ``.cmt`` file and return its agreements in source order.

    Raises :class:`commitments.Error` (``EIO`` when unreadable, ``ESYNTAX``
    / ``ESEMANTIC`` ... with file, line and column otherwise).
    """
    out = ctypes.c_void_p()
    call("cm_parse_file", None, cstr(os.fspath(path)), ctypes.byref(out))
    return Document._own(out.value).agreements


def _text(text: Union[str, bytes]) -> bytes:
    if isinstance(text, str):
        return text.encode("utf-8")
    if isinstance(text, (bytes, bytearray, memoryview)):
        return bytes(text)
    raise TypeError("expected str or bytes, got %s" % type(text).__name__)


def parse(text: Union[str, bytes],
          filename: str = "<string>") -> List["Agreement"]:
    """Parse ``.cmt`` text (str, or UTF-8 bytes) and return its agreements
    in source order.  ``filename`` is the name used in errors."""
    b = _text(text)
    out = ctypes.c_void_p()
    call("cm_parse", None, b, len(b), cstr(filename), ctypes.byref(out))
    return Document._own(out.value).agreements


# ---------------------------------------------------------------------
# Parties and commitments
# ---------------------------------------------------------------------

@dataclass(frozen=True)
class Party:
    """A party, mediator, guarantor, witness or actor (a snapshot)."""

    id: str
    name: str
    role: str
    kind: Optional[str]

    def __repr__(self) -> str:
        kind = " " + self.kind if self.kind else ""
        return "<Party %s %s %r%s>" % (self.role, self.id, self.name, kind)


@dataclass(frozen=True)
class AgreementRequirement:
    """One requirement an agreement holds (see
    :attr:`Agreement.requirements`): ``text`` is the canonical text
    without ``require`` ("signed by debtor for obligations", or "use
    NAME" for an unresolved use), split into ``rule`` and ``selector``
    (None when no ``for``); ``policy``: where it came from (None: the
    agreement's own); ``line``: of its ``require`` or ``use``."""

    text: str
    rule: str
    selector: Optional[str]
    policy: Optional[str]
    line: Optional[int]


@serialized
class Commitment(NoPickle):
    """A live view of one commitment; keeps its :class:`Agreement` alive."""

    def __init__(self, ptr: int, agreement: "Agreement") -> None:
        self._h = Handle(ptr, "commitment", parent=agreement._h)
        self.agreement = agreement

    @property
    def id(self) -> str:
        return pystr(lib().cm_commitment_id(self._h.ptr))

    @property
    def debtor(self) -> str:
        return pystr(lib().cm_commitment_debtor(self._h.ptr))

    @property
    def modality(self) -> str:
        """"must", "must-not", "must-prevent" or "may"."""
        return _name("cm_modality_name",
                     lib().cm_commitment_modality(self._h.ptr))

    @property
    def form(self) -> Optional[str]:
        """The form as declared: "verbal", "written", or None (neither;
        the effective form is in :meth:`Agreement.check`'s report)."""
        f = lib().cm_commitment_declared_form(self._h.ptr)
        return None if f == 0 else _name("cm_form_name", f)

    @property
    def standing(self) -> str:
        """"agreed", "proposed", "claimed" or "rejected"."""
        return _name("cm_standing_name",
                     lib().cm_commitment_standing(self._h.ptr))

    @property
    def is_action(self) -> bool:
        """True when the content is an action pattern (monitorable)."""
        return bool(lib().cm_commitment_is_action(self._h.ptr))

    @property
    def action_type(self) -> Optional[str]:
        """The action's type ("strike"), or None for free text."""
        return pystr(lib().cm_commitment_action_type(self._h.ptr))

    @property
    def text(self) -> Optional[str]:
        """The free text, or None for an action pattern."""
        return pystr(lib().cm_commitment_text(self._h.ptr))

    @property
    def line(self) -> Optional[int]:
        """Source line, or None for a commitment built in code."""
        return lib().cm_commitment_line(self._h.ptr) or None

    # ---- reading the model back (inspect.h) ----------------------------

    def _strings(self, count: str, item: str) -> List[str]:
        p = self._h.ptr
        f = getattr(lib(), item)
        return [pystr(f(p, i)) for i in range(getattr(lib(), count)(p))]

    @property
    def to(self) -> List[str]:
        """The parties named by ``to``, as written (may be empty)."""
        return self._strings("cm_commitment_to_count", "cm_commitment_to")

    @property
    def creditors(self) -> List[str]:
        """The creditors (SPEC §2): the ``to`` parties, or else every
        other party-role party.  The agreement is validated first (an
        invalid agreement raises :class:`Error`)."""
        self.agreement.validate()
        return self._strings("cm_commitment_creditor_count",
                             "cm_commitment_creditor")

    @property
    def content(self) -> str:
        """The content as canonical text: ``strike(on: AF)``, or the free
        text as a quoted string literal."""
        out = ctypes.c_void_p()
        call("cm_commitment_content_to_text", None, self._h.ptr,
             ctypes.byref(out))
        return _lib.take_string(out.value)

    @property
    def attrs(self) -> Dict[str, str]:
        """The action pattern's attributes, name -> value text ({} for
        free text)."""
        p, L = self._h.ptr, lib()
        return {pystr(L.cm_commitment_attr_name(p, i)):
                pystr(L.cm_commitment_attr_value(p, i))
                for i in range(L.cm_commitment_attr_count(p))}

    @property
    def deadline(self) -> Optional[_dt.datetime]:
        """``by DATE`` as its last minute (UTC datetime), or None."""
        return _time.from_cm(lib().cm_commitment_deadline(self._h.ptr))

    @property
    def within(self) -> Optional[_dt.timedelta]:
        """``within DURATION`` as a timedelta, or None."""
        m = lib().cm_commitment_within(self._h.ptr)
        return None if m < 0 else _dt.timedelta(minutes=m)

    @property
    def window(self) -> Tuple[Optional[_dt.datetime],
                              Optional[_dt.datetime]]:
        """``(from, until)``: the start and the last minute of the
        commitment's time window, each None when not given."""
        p = self._h.ptr
        return (_time.from_cm(lib().cm_commitment_from(p)),
                _time.from_cm(lib().cm_commitment_until(p)))

    @property
    def conditions(self) -> List["Condition"]:
        """The ``if`` / ``while`` / ``unless`` items in canonical order
        (every if, then while, then unless), as :class:`Condition` trees
        (plain Python snapshots)."""
        from .condition import Condition
        p, L = self._h.ptr, lib()
        return [Condition._read(L.cm_commitment_condition(p, i),
                                COND_ITEM_NAMES[
                                    L.cm_commitment_condition_item(p, i)])
                for i in range(L.cm_commitment_condition_count(p))]

    @property
    def reciprocal(self) -> List[str]:
        """The ids of the commitments it is ``reciprocal`` to."""
        return self._strings("cm_commitment_reciprocal_count",
                             "cm_commitment_reciprocal")

    @property
    def witnesses(self) -> List[str]:
        return self._strings("cm_commitment_witness_count",
                             "cm_commitment_witness")

    @property
    def signatures(self) -> List[Tuple[str, Optional[_dt.datetime]]]:
        """``signed by`` on the commitment: (party, date or None) pairs."""
        p, L = self._h.ptr, lib()
        return [(pystr(L.cm_commitment_signature_party(p, i)),
                 _time.from_cm(L.cm_commitment_signature_date(p, i)))
                for i in range(L.cm_commitment_signature_count(p))]

    @property
    def standing_parties(self) -> List[str]:
        """The parties of ``proposed by`` / ``rejected by``."""
        return self._strings("cm_commitment_standing_party_count",
                             "cm_commitment_standing_party")

    @property
    def notes(self) -> List[str]:
        return self._strings("cm_commitment_note_count",
                             "cm_commitment_note")

    def to_dict(self) -> Dict[str, Any]:
        """Everything the commitment says, as plain data."""
        frm, until = self.window
        w = self.within
        return {
            "id": self.id, "debtor": self.debtor, "modality": self.modality,
            "content": self.content, "is_action": self.is_action,
            "action": self.action_type, "attrs": self.attrs,
            "to": self.to, "form": self.form, "standing": self.standing,
            "standing_parties": self.standing_parties,
            "deadline": _time.iso(self.deadline),
            "within_minutes": None if w is None else w // _dt.timedelta(
                minutes=1),
            "from": _time.iso(frm), "until": _time.iso(until),
            "conditions": [c.to_dict() for c in self.conditions],
            "reciprocal": self.reciprocal, "witnesses": self.witnesses,
            "signatures": [[p, _time.iso(d)] for p, d in self.signatures],
            "notes": self.notes, "line": self.line,
        }

    def __repr__(self) -> str:
        if not self._h.alive:
            return "<commitments.Commitment (agreement closed)>"
        what = self.action_type + "(...)" if self.is_action else repr(
            self.text)
        return "<Commitment %s: %s %s %s>" % (self.id, self.debtor,
                                              self.modality, what)


# ---------------------------------------------------------------------
# Policies
# ---------------------------------------------------------------------

@serialized
class Policy(NoPickle):
    """A named set of documentation requirements.

    ``Policy(id, title=None)`` builds one in code; add rules with
    :meth:`add_requirement`.  :func:`builtin_policy` copies a shipped one.
    """

    def __init__(self, id: str, title: Optional[str] = None) -> None:
        out = ctypes.c_void_p()
        call("cm_policy_new", None, cstr(id), cstr(title), ctypes.byref(out))
        self._h = Handle(out.value, "policy")

    @classmethod
    def _child(cls, ptr: int, parent: Handle) -> "Policy":
        p = cls.__new__(cls)
        p._h = Handle(ptr, "policy", parent=parent)
        return p

    @classmethod
    def _own(cls, ptr: int) -> "Policy":
        p = cls.__new__(cls)
        p._h = Handle(ptr, "policy")
        return p

    def add_requirement(self, rule: str,
                        selector: Optional[str] = None) -> "Policy":
        """``require RULE [for SELECTOR]``: e.g. ``("signed by debtor",
        "obligations")``.  Returns the policy, so calls chain."""
        call("cm_policy_add_requirement", self._h.ptr, cstr(rule),
             cstr(selector))
        return self

    @property
    def id(self) -> str:
        return pystr(lib().cm_policy_id(self._h.ptr))

    @property
    def title(self) -> Optional[str]:
        return pystr(lib().cm_policy_title(self._h.ptr))

    def __len__(self) -> int:
        """The number of requirements."""
        return lib().cm_policy_requirement_count(self._h.ptr)

    def close(self) -> None:
        self._h.close()

    def __enter__(self) -> "Policy":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        if not self._h.alive:
            return "<commitments.Policy closed>"
        return "<Policy %s: %d requirements>" % (self.id, len(self))


def builtin_policy(name: str) -> Policy:
    """A copy of a shipped policy: "vclt", "un-registration",
    "written-only".  Error ENOTFOUND for another name."""
    out = ctypes.c_void_p()
    call("cm_policy_builtin", None, cstr(name), ctypes.byref(out))
    return Policy._own(out.value)


def builtin_policy_names() -> List[str]:
    """The names of the shipped policies."""
    n = lib().cm_policy_builtin_count()
    return [pystr(lib().cm_policy_builtin_name(i)) for i in range(n)]


# ---------------------------------------------------------------------
# Agreements
# ---------------------------------------------------------------------

Standing = Union[str, Tuple[str, Union[str, Sequence[str]]]]
ConditionItem = Tuple[str, Any]


@serialized
class Agreement(NoPickle):
    """An agreement: parsed (from :func:`load` / :func:`parse`) or built in
    code with ``Agreement(id, title=None, date=None)``.

    An agreement built in code owns its C object and frees it on
    :meth:`close`, at the end of a ``with`` block, or when collected.  A
    parsed one keeps its document alive; closing it only lets go of it.
    """

    def __init__(self, id: str, title: Optional[str] = None,
                 date: Optional[_time.TimeLike] = None) -> None:
        out = ctypes.c_void_p()
        call("cm_agreement_new", None, cstr(id), cstr(title),
             ctypes.byref(out))
        self._h = Handle(out.value, "agreement")
        self.document: Optional[Document] = None
        if date is not None:
            call("cm_agreement_set_date", self._h.ptr, _time.to_cm(date))

    @classmethod
    def _child(cls, ptr: int, document: Document) -> "Agreement":
        a = cls.__new__(cls)
        a._h = Handle(ptr, "agreement", parent=document._h)
        a.document = document
        return a

    # ---- building ----------------------------------------------------

    def add_party(self, id: str, name: str, kind: Optional[str] = None,
                  role: str = "party") -> "Agreement":
        """Declare a party.  ``role``: "party", "mediator", "guarantor",
        "witness" or "actor"; ``kind``: None, "state", "authority",
        "organization", "armed-group" or "person"."""
        r = _key(ROLES, role, "role")
        k = _key(KINDS, kind, "kind")
        call("cm_agreement_add_party", self._h.ptr, cstr(id), cstr(name), r,
             k)
        return self

    def sign(self, party: str,
             on: Optional[_time.TimeLike] = None) -> "Agreement":
        """``signed by PARTY [on DATE]`` on the agreement's text."""
        call("cm_agreement_add_signature", self._h.ptr, cstr(party),
             _time.to_cm(on))
        return self

    def ratify(self, party: str,
               on: Optional[_time.TimeLike] = None) -> "Agreement":
        """``ratified by PARTY [on DATE]``."""
        call("cm_agreement_add_ratification", self._h.ptr, cstr(party),
             _time.to_cm(on))
        return self

    def register(self, on: Optional[_time.TimeLike] = None) -> "Agreement":
        """``registered [on DATE]``."""
        call("cm_agreement_set_registered", self._h.ptr, _time.to_cm(on))
        return self

    def add_requirement(self, rule: str,
                        selector: Optional[str] = None) -> "Agreement":
        """``require RULE [for SELECTOR]`` in the agreement itself."""
        call("cm_agreement_add_requirement", self._h.ptr, cstr(rule),
             cstr(selector))
        return self

    def use(self, policy: Union[str, Policy]) -> "Agreement":
        """``use POLICY``: a :class:`Policy` or a shipped policy's name."""
        p = _policy(self, policy)
        with p._h.lock:
            call("cm_agreement_use_policy", self._h.ptr, p._h.ptr)
        return self

    def add_commitment(self, id: str, debtor: str, modality: str,
                       content: str, form: Optional[str] = None,
                       to: Iterable[str] = (),
                       by: Optional[_time.TimeLike] = None,
                       within: Union[None, int, str, _dt.timedelta] = None,
                       from_: Optional[_time.TimeLike] = None,
                       until: Optional[_time.TimeLike] = None,
                       signed_by: Iterable[Union[str, Tuple[str, Any]]] = (),
                       witnessed_by: Iterable[str] = (),
                       conditions: Iterable[ConditionItem] = (),
                       reciprocal: Iterable[str] = (),
                       standing: Standing = "agreed",
                       notes: Iterable[str] = ()) -> Commitment:
        """Add a commitment and return a view of it.

        ``modality``: "must", "must-not", "must-prevent" or "may" ("must
        not" is accepted too).  ``content`` is an action pattern when the
        whole string parses as one ("strike(on: AF)"), free text otherwise.
        ``form``: "verbal", "written", or None (SPEC §3: written when the
        agreement is signed).  ``by`` (a date: end of that day) or
        ``within`` ("30d", "12h", minutes, or a timedelta).  ``from_`` is
        the start of its day, ``until`` the end of its day when given as a
        date.  ``signed_by``: ids, or (id, date) pairs.  ``conditions``:
        pairs (kind, condition), kind "if", "while" or "unless", the
        condition its text or a :class:`Condition` tree.  ``standing``:
        "agreed", "claimed", ("proposed", "PK"), ("rejected", ["AF"]).

        The whole call is atomic: it is first tried on a scratch
        agreement, so an error (bad pattern, bad condition, ...) leaves
        this agreement unchanged.  Names (debtor, ``to``, ...) are checked
        when the agreement is validated (:meth:`validate`, :meth:`check`,
        :meth:`status`), so parties may be declared later.
        """
        m = _key(MODALITIES, modality, "modality")
        f = _key(FORMS, form, "form")
        if isinstance(standing, str):
            st, st_parties = _key(STANDINGS, standing, "standing"), []
        else:
            try:
                name, who = standing
            except (TypeError, ValueError):
                raise ValueError("bad standing %r" % (standing,)) from None
            st, st_parties = _key(STANDINGS, name, "standing"), _ids(who)
        named = (STANDINGS["proposed"], STANDINGS["rejected"])
        if st in named and not st_parties:
            raise ValueError("standing %r needs a party: (%r, 'ID')"
                             % (standing, standing))
        if st not in named and st_parties:
            raise ValueError("standing %r takes no party" % (standing,))
        conds = []
        for item in conditions:
            try:
                kind, text = item
            except (TypeError, ValueError):
                raise ValueError("bad condition %r: expected (kind, text)"
                                 % (item,)) from None
            from .condition import Condition as _Condition
            if not isinstance(text, (str, _Condition)):
                raise TypeError("condition %r: the condition must be text "
                                "or a Condition, not %s"
                                % (kind, type(text).__name__))
            conds.append((_key(COND_ITEMS, kind, "condition kind"), text))
        sigs = []
        for s in signed_by:
            if isinstance(s, str):
                sigs.append((s, None))
            else:
                sigs.append((s[0], s[1]))
        plan = dict(m=m, f=f, content=content, to=_ids(to), by=by,
                    within=None if within is None else _minutes(within),
                    from_=from_, until=until, sigs=sigs,
                    witnesses=_ids(witnessed_by), conds=conds,
                    recip=_ids(reciprocal), st=st, st_parties=st_parties,
                    notes=_ids(notes))
        a = self._h.ptr
        if (lib().cm_agreement_find_commitment(a, cstr(id))
                or lib().cm_agreement_find_party(a, cstr(id))):
            raise _lib.Error(_lib.CM_EINVAL, "duplicate id %s" % id)
        # Dry run on a scratch agreement: every error surfaces there.
        scratch = ctypes.c_void_p()
        call("cm_agreement_new", None, b"scratch", None,
             ctypes.byref(scratch))
        try:
            _build(scratch.value, id, debtor, plan)
        finally:
            lib().cm_free(scratch.value)
        return Commitment(_build(a, id, debtor, plan), self)

    def validate(self) -> "Agreement":
        """Run the static checks of SPEC §2 (unknown party, ...)."""
        call("cm_agreement_validate", self._h.ptr)
        return self

    # ---- reading -----------------------------------------------------

    @property
    def id(self) -> str:
        return pystr(lib().cm_agreement_id(self._h.ptr))

    @property
    def title(self) -> Optional[str]:
        return pystr(lib().cm_agreement_title(self._h.ptr))

    @property
    def date(self) -> Optional[_dt.datetime]:
        """The agreement's date (UTC datetime), or None."""
        return _time.from_cm(lib().cm_agreement_date(self._h.ptr))

    @property
    def file(self) -> Optional[str]:
        """The file it was parsed from, or None."""
        return pystr(lib().cm_agreement_file(self._h.ptr))

    @property
    def line(self) -> Optional[int]:
        return lib().cm_agreement_line(self._h.ptr) or None

    @property
    def parties(self) -> Dict[str, Party]:
        """Parties by id, in declaration order."""
        p = self._h.ptr
        out = {}
        for i in range(lib().cm_agreement_party_count(p)):
            q = lib().cm_agreement_party(p, i)
            kind = lib().cm_party_kind(q)
            party = Party(pystr(lib().cm_party_id(q)),
                          pystr(lib().cm_party_name(q)),
                          _name("cm_role_name", lib().cm_party_role(q)),
                          None if kind == 0 else _name("cm_kind_name", kind))
            out[party.id] = party
        return out

    @property
    def commitments(self) -> Dict[str, Commitment]:
        """Commitments by id, in declaration order (live views)."""
        p = self._h.ptr
        out = {}
        for i in range(lib().cm_agreement_commitment_count(p)):
            c = Commitment(lib().cm_agreement_commitment(p, i), self)
            out[c.id] = c
        return out

    @property
    def event_count(self) -> int:
        """Events in the agreement's own `events` blocks."""
        return lib().cm_agreement_event_count(self._h.ptr)

    @property
    def requirements(self) -> List["AgreementRequirement"]:
        """The requirements in source order: its own ``require`` items
        and, for a parsed (resolved) agreement, those each ``use``
        brought in (``policy`` names it; :meth:`use` brings them in at
        once).  In a document not yet resolved, a ``use`` is one item,
        ``text`` "use NAME"."""
        p, L = self._h.ptr, lib()
        out = []
        for i in range(L.cm_agreement_requirement_count(p)):
            t = ctypes.c_void_p()
            call("cm_agreement_requirement_to_text", None, p, i,
                 ctypes.byref(t))
            text = _lib.take_string(t.value)
            rule, _, sel = text.partition(" for ")
            out.append(AgreementRequirement(
                text, rule, sel or None,
                pystr(L.cm_agreement_requirement_policy(p, i)),
                L.cm_agreement_requirement_line(p, i) or None))
        return out

    def _sigs(self, count: str, party: str, date: str
              ) -> List[Tuple[str, Optional[_dt.datetime]]]:
        p, L = self._h.ptr, lib()
        return [(pystr(getattr(L, party)(p, i)),
                 _time.from_cm(getattr(L, date)(p, i)))
                for i in range(getattr(L, count)(p))]

    @property
    def signatures(self) -> List[Tuple[str, Optional[_dt.datetime]]]:
        """``signed by`` on the text: (party, date or None) pairs."""
        return self._sigs("cm_agreement_signature_count",
                          "cm_agreement_signature_party",
                          "cm_agreement_signature_date")

    @property
    def ratifications(self) -> List[Tuple[str, Optional[_dt.datetime]]]:
        """``ratified by``: (party, date or None) pairs."""
        return self._sigs("cm_agreement_ratification_count",
                          "cm_agreement_ratification_party",
                          "cm_agreement_ratification_date")

    @property
    def registered(self) -> Union[bool, _dt.datetime]:
        """False, True (``registered``), or the date of ``registered on
        DATE``."""
        p = self._h.ptr
        if not lib().cm_agreement_registered(p):
            return False
        return _time.from_cm(lib().cm_agreement_registered_on(p)) or True

    def to_networkx(self) -> Any:
        """The agreement as a ``networkx.MultiDiGraph`` (networkx must be
        installed).  Nodes: every party (``kind="party"``, with ``role``,
        ``party_kind``, ``name``) and every commitment (``kind=
        "commitment"``, with ``modality``, ``standing``, ``form``,
        ``content``).  Edges (``relation``): party -> commitment
        "debtor"; commitment -> party "creditor"; commitment ->
        commitment "reciprocal"; commitment -> commitment "condition"
        (the commitment named in a state or form atom of its conditions,
        with ``item`` and ``atom``).  The agreement is validated first."""
        try:
            import networkx as nx
        except ImportError:
            raise ImportError("Agreement.to_networkx() needs networkx "
                              "(Debian: python3-networkx)") from None
        self.validate()
        g = nx.MultiDiGraph(id=self.id, title=self.title)
        for pid, party in self.parties.items():
            g.add_node(pid, kind="party", name=party.name, role=party.role,
                       party_kind=party.kind)
        cs = self.commitments
        for cid, c in cs.items():
            g.add_node(cid, kind="commitment", modality=c.modality,
                       standing=c.standing, form=c.form, content=c.content,
                       debtor=c.debtor, line=c.line)
        for cid, c in cs.items():
            g.add_edge(c.debtor, cid, relation="debtor")
            for cr in c.creditors:
                g.add_edge(cid, cr, relation="creditor")
            for r in c.reciprocal:
                g.add_edge(cid, r, relation="reciprocal")
            for cond in c.conditions:
                for n in cond.walk():
                    if n.ref is not None:
                        g.add_edge(cid, n.ref, relation="condition",
                                   item=cond.item, atom=n.atom)
        return g

    def _repr_svg_(self) -> Optional[str]:
        """The agreement's graph as SVG for notebooks, when Graphviz's
        ``dot`` is on PATH (None otherwise: the notebook falls back to
        the text repr)."""
        import shutil
        import subprocess
        dot = shutil.which("dot")
        if dot is None or not self._h.alive:
            return None
        try:
            src = self.to_dot()
        except _lib.Error:
            return None
        r = subprocess.run([dot, "-Tsvg"], input=src.encode("utf-8"),
                           capture_output=True, timeout=60)
        if r.returncode != 0:
            return None
        return r.stdout.decode("utf-8", "replace")

    # ---- evaluation --------------------------------------------------

    def check(self, policies: Union[None, str, Policy,
                                    Iterable[Union[str, Policy]]] = None
              ) -> "Report":
        """Evaluate the documentation requirements (SPEC §3).

        With ``policies`` None the agreement's own requirements apply;
        otherwise the given policies alone: one policy or an iterable of
        them, each a :class:`Policy` or a name (the document's own
        policies first, then the shipped ones).  A single string is one
        policy name (``check(policies="vclt")``); anything that is neither
        a string, a Policy nor an iterable of them is a TypeError.
        """
        from .report import Report
        pols = ([] if policies is None else
                [_policy(self, p) for p in _policy_list(policies)])
        if policies is not None and not pols:
            raise ValueError("policies is empty: pass None for the "
                             "agreement's own requirements")
        with contextlib.ExitStack() as stack:
            for p in pols:  # the policies' trees too, while C reads them
                stack.enter_context(p._h.lock)
            arr = (ctypes.c_void_p * max(len(pols), 1))(
                *[p._h.ptr for p in pols])
            out = ctypes.c_void_p()
            call("cm_check", None, self._h.ptr, arr, len(pols),
                 ctypes.byref(out))
            return Report._take(out.value)

    def status(self, events: Any = None,
               at: Optional[_time.TimeLike] = None,
               view: str = "all", history: bool = False) -> "Status":
        """Monitor the agreement (SPEC §4) and return the states at ``at``.

        The events are the agreement's own ``events`` blocks, its
        document's top-level events (for a parsed agreement), and
        ``events``: a path of an events file (``str`` or ``os.PathLike``,
        streamed, so it may be large), an unread
        :class:`~commitments.Import` (or a list of them: the monitor reads
        the CSV rows and causes name them), or any other iterable of bare
        event lines (e.g. a list, or an open file; ImportedEvent values
        are sorted by time first).  ``at``: a date (the end of
        that day), datetime or string; None = the time of the last event
        of all sources, whatever the view.  ``view``: "all", "verified" or
        a party id (SPEC §8.6: one this agreement does not declare reports
        and denies nothing here).  ``history``: record every transition
        and breach (each commitment's ``history`` and ``breach_list``).
        """
        from .status import status
        return status(self, events, at, view, history)

    def to_text(self) -> str:
        """The agreement as canonical ``.cmt`` text (no comments); it
        parses back to an equal agreement."""
        out = ctypes.c_void_p()
        call("cm_agreement_to_text", None, self._h.ptr, ctypes.byref(out))
        return _lib.take_string(out.value)

    def analyze(self) -> "Analysis":
        """Structural analysis (SPEC §5) as a typed :class:`Analysis`
        (deadlocks, balance); ``analyze().to_dict()`` is the ``analyze``
        JSON object of SPEC §6."""
        from .analysis import Analysis
        out = ctypes.c_void_p()
        call("cm_analyze", None, self._h.ptr, ctypes.byref(out))
        return Analysis._take(out.value)

    def conflicts(self) -> List[Tuple[str, str, str]]:
        """The norm conflicts of SPEC §8.8 as ``(kind, first, second)``:
        kind "obligation-prohibition" or "exception", the two commitments
        in declaration order."""
        out = ctypes.c_void_p()
        call("cm_analyze", None, self._h.ptr, ctypes.byref(out))
        L = lib()
        try:
            return [(pystr(L.cm_analysis_conflict_kind(out.value, k)),
                     pystr(L.cm_analysis_conflict_first(out.value, k)),
                     pystr(L.cm_analysis_conflict_second(out.value, k)))
                    for k in range(L.cm_analysis_conflict_count(out.value))]
        finally:
            L.cm_free(out.value)

    def analysis_text(self) -> str:
        """The analysis as the library's readable text."""
        return self._analysis("cm_analysis_to_text")

    def _analysis(self, writer: str) -> str:
        out = ctypes.c_void_p()
        call("cm_analyze", None, self._h.ptr, ctypes.byref(out))
        try:
            text = ctypes.c_void_p()
            call(writer, None, out.value, ctypes.byref(text))
            return _lib.take_string(text.value)
        finally:
            lib().cm_free(out.value)

    def to_dot(self, states: Optional[Any] = None,
               caption: Optional[str] = None, party: Optional[str] = None,
               clusters: Optional[int] = None) -> str:
        """The agreement as a Graphviz DOT digraph.  ``states``: a
        :class:`Status` (or a mapping id -> state name) to color the
        commitments by state; ``caption``: a line under the title;
        ``party``: draw only that party's neighbourhood (NotFoundError
        when the agreement has no such party); ``clusters``: one cluster
        per party when more parties are drawn than this (None: the
        library's threshold, 20; 0: always)."""
        arr, n = None, 0
        if states is not None:
            m = getattr(states, "commitments", states)
            ids = list(self.commitments)
            codes = []
            for cid in ids:
                st = m[cid]
                st = getattr(st, "state", st)
                codes.append(_key(STATES, st, "state"))
            n = len(codes)
            arr = (ctypes.c_int32 * max(n, 1))(*codes)
        out = ctypes.c_void_p()
        above = -1 if clusters is None else int(clusters)
        if above < -1 or above > 0x7FFFFFFF:
            raise ValueError("clusters: %r out of range" % (clusters,))
        call("cm_agreement_to_dot_ex", None, self._h.ptr, arr, n,
             cstr(caption), cstr(party), above, ctypes.byref(out))
        return _lib.take_string(out.value)

    # ---- lifetime ----------------------------------------------------

    @property
    def closed(self) -> bool:
        return not self._h.alive

    def close(self) -> None:
        """Free the agreement (built in code) or let go of its document
        (parsed).  Using it afterwards raises ClosedError."""
        self._h.close()
        self.document = None

    def __enter__(self) -> "Agreement":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        if not self._h.alive:
            return "<commitments.Agreement closed>"
        p = self._h.ptr
        title = " %r" % self.title if self.title else ""
        return "<Agreement %s%s: %d parties, %d commitments>" % (
            self.id, title, lib().cm_agreement_party_count(p),
            lib().cm_agreement_commitment_count(p))


def _policy(a: Agreement, p: Union[str, Policy]) -> Policy:
    if isinstance(p, Policy):
        return p
    if isinstance(p, str):
        if a.document is not None:
            return a.document.find_policy(p)
        return builtin_policy(p)
    raise TypeError("expected a Policy or a policy name, got %s"
                    % type(p).__name__)


def _build(a: int, id: str, debtor: str, plan: Dict[str, Any]) -> int:
    """Add the commitment described by ``plan`` to agreement ``a``."""
    out = ctypes.c_void_p()
    call("cm_agreement_add_commitment", a, cstr(id), cstr(debtor), plan["m"],
         ctypes.byref(out))
    c = out.value
    content = cstr(plan["content"])
    try:
        call("cm_commitment_set_action", c, content)
    except _lib.Error as e:
        if e.code != _lib.CM_ESYNTAX:
            raise
        call("cm_commitment_set_text", c, content)
    if plan["by"] is not None:
        call("cm_commitment_set_deadline", c,
             _time.to_cm(plan["by"], end_of_day=True))
    if plan["within"] is not None:
        call("cm_commitment_set_within", c, plan["within"])
    for party in plan["to"]:
        call("cm_commitment_add_creditor", c, cstr(party))
    for kind, text in plan["conds"]:
        if isinstance(text, str):
            call("cm_commitment_add_condition", c, kind, cstr(text))
        else:
            call("cm_commitment_add_condition_node", c, kind, text._build(c))
    for r in plan["recip"]:
        call("cm_commitment_add_reciprocal", c, cstr(r))
    if plan["from_"] is not None:
        call("cm_commitment_set_from", c, _time.to_cm(plan["from_"]))
    if plan["until"] is not None:
        call("cm_commitment_set_until", c,
             _time.to_cm(plan["until"], end_of_day=True))
    if plan["f"]:
        call("cm_commitment_set_form", c, plan["f"])
    for party, on in plan["sigs"]:
        call("cm_commitment_add_signature", c, cstr(party), _time.to_cm(on))
    for w in plan["witnesses"]:
        call("cm_commitment_add_witness", c, cstr(w))
    if plan["st"] in (STANDINGS["proposed"], STANDINGS["rejected"]):
        for party in plan["st_parties"]:
            call("cm_commitment_set_standing", c, plan["st"], cstr(party))
    elif plan["st"] == STANDINGS["claimed"]:
        call("cm_commitment_set_standing", c, plan["st"], None)
    for n in plan["notes"]:
        call("cm_commitment_add_note", c, cstr(n))
    return c
