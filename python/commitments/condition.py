"""Conditions (the ``if`` / ``while`` / ``unless`` items) as plain Python
trees: read back from a commitment (:attr:`Commitment.conditions`), or
built in code and handed to :meth:`Agreement.add_commitment`.

    >>> c = Condition.action("attack(from: AF, on: PK)", within="30d")
    >>> c2 = Condition.state("violated", "no_safe_haven") | ~c
    >>> a.add_commitment("x", "PK", "may", "strike(on: AF)",
    ...                  conditions=[("if", c2)])
"""

from __future__ import annotations

import ctypes
import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple, Union

from . import _lib
from ._lib import lib, pystr

__all__ = ["Condition"]

_TYPES = ("true", "false", "not", "and", "or", "action", "count", "state",
          "form", "breached", "breaches")
_CMP = (">=", ">", "<=", "<", "==", "!=")
_FORM_ATOMS = ("written", "signed")

Duration = Union[None, int, str, _dt.timedelta]


@dataclass(frozen=True)
class Condition:
    """One condition node.

    ``type``: "true", "false", "not", "and", "or", "action", "count",
    "state", "form", "breached" or "breaches" (0.2).  ``text``: the canonical text (None for a node
    built in code, or one the language cannot write, e.g. a 90-minute
    window).  ``item``: "if", "while" or "unless" on the root of an item
    read from a commitment.  ``children``: the operands of not / and /
    or.  ``pattern`` (action, count: ``attack(on: PK)``), ``action`` (its
    type) and ``attrs`` (name -> value); ``window`` (a timedelta, or
    None); ``cmp`` and ``bound`` (count, breaches); ``atom`` (state: a
    state name; form: "written" or "signed") and ``ref`` (the commitment
    id of a state, form, breached or breaches atom).
    """

    type: str
    text: Optional[str] = None
    item: Optional[str] = None
    children: Tuple["Condition", ...] = ()
    pattern: Optional[str] = None
    action: Optional[str] = None
    attrs: Dict[str, str] = field(default_factory=dict)
    window: Optional[_dt.timedelta] = None
    cmp: Optional[str] = None
    bound: Optional[int] = None
    atom: Optional[str] = None
    ref: Optional[str] = None

    # ---- reading ---------------------------------------------------------

    @classmethod
    def _read(cls, n: int, item: Optional[str] = None) -> "Condition":
        L = lib()
        t = _TYPES[L.cm_condition_type(n)]
        kids = tuple(cls._read(L.cm_condition_child(n, i))
                     for i in range(L.cm_condition_child_count(n)))
        text = None
        out = ctypes.c_void_p()
        try:
            _lib.call("cm_condition_to_text", None, n, ctypes.byref(out))
            text = _lib.take_string(out.value)
        except _lib.Error:
            text = None
        action = pystr(L.cm_condition_action_type(n))
        attrs = {pystr(L.cm_condition_attr_name(n, i)):
                 pystr(L.cm_condition_attr_value(n, i))
                 for i in range(L.cm_condition_attr_count(n))}
        w = L.cm_condition_window(n)
        c = L.cm_condition_cmp(n)
        atom = L.cm_condition_atom(n)
        atom_name = None
        if t == "state":
            atom_name = pystr(L.cm_state_name(atom))
        elif t == "form":
            atom_name = _FORM_ATOMS[atom]
        pattern = None
        if action:
            pattern = (_split_pattern(text, t == "count") if text
                       else _pattern(action, attrs))
        return cls(t, text, item, kids, pattern, action,
                   attrs, None if w < 0 else _dt.timedelta(minutes=w),
                   _CMP[c] if c >= 0 else None,
                   L.cm_condition_bound(n) if t in ("count", "breaches")
                   else None,
                   atom_name, pystr(L.cm_condition_ref(n)))

    def __str__(self) -> str:
        return self.text if self.text is not None else repr(self)

    def walk(self) -> Any:
        """This node and every node under it, depth first."""
        yield self
        for k in self.children:
            yield from k.walk()

    @property
    def refs(self) -> list:
        """The commitment ids the state and form atoms name, in order."""
        return [n.ref for n in self.walk() if n.ref is not None]

    def to_dict(self) -> Dict[str, Any]:
        d: Dict[str, Any] = {"type": self.type, "text": self.text}
        if self.item:
            d["item"] = self.item
        if self.children:
            d["children"] = [k.to_dict() for k in self.children]
        for k in ("pattern", "cmp", "bound", "atom", "ref"):
            v = getattr(self, k)
            if v is not None:
                d[k] = v
        if self.window is not None:
            d["window_minutes"] = self.window // _dt.timedelta(minutes=1)
        return d

    # ---- building --------------------------------------------------------

    @classmethod
    def const(cls, value: bool) -> "Condition":
        return cls("true" if value else "false")

    @classmethod
    def action(cls, pattern: str, within: Duration = None) -> "Condition":
        """``PATTERN [within DURATION]``."""
        return cls("action", pattern=pattern, window=_duration(within))

    @classmethod
    def count(cls, pattern: str, cmp: str, n: int,
              within: Duration = None) -> "Condition":
        """``count(PATTERN) CMP N [within DURATION]``."""
        if cmp not in _CMP:
            raise ValueError("bad comparison %r (expected one of %s)"
                             % (cmp, ", ".join(_CMP)))
        return cls("count", pattern=pattern, cmp=cmp,
                   bound=_lib.int64(n, "count bound"),
                   window=_duration(within))

    @classmethod
    def state(cls, state: str, commitment: str) -> "Condition":
        """``STATE(ID)``: e.g. ``("violated", "no_safe_haven")``."""
        return cls("state", atom=state, ref=commitment)

    @classmethod
    def form(cls, atom: str, commitment: str) -> "Condition":
        """``written(ID)`` / ``signed(ID)``."""
        if atom not in _FORM_ATOMS:
            raise ValueError("bad form atom %r (written or signed)" % atom)
        return cls("form", atom=atom, ref=commitment)

    def __invert__(self) -> "Condition":
        return Condition("not", children=(self,))

    def __and__(self, other: "Condition") -> "Condition":
        return Condition("and", children=(self, other))

    def __or__(self, other: "Condition") -> "Condition":
        return Condition("or", children=(self, other))

    def _build(self, c: int) -> int:
        """Make this tree's C nodes for commitment ``c``; the root node."""
        out = ctypes.c_void_p()
        ref = ctypes.byref(out)
        t = self.type
        if t in ("true", "false"):
            _lib.call("cm_condition_new_const", c, int(t == "true"), ref)
        elif t in ("action", "count"):
            if self.pattern is None:
                raise ValueError("a %s condition needs a pattern" % t)
            w = -1 if self.window is None else _lib.int64(
                self.window // _dt.timedelta(minutes=1), "window")
            if t == "action":
                _lib.call("cm_condition_new_action", c,
                          _lib.cstr(self.pattern), w, ref)
            else:
                _lib.call("cm_condition_new_count", c,
                          _lib.cstr(self.pattern), _CMP.index(self.cmp),
                          _lib.int64(self.bound, "count bound"), w, ref)
        elif t == "state":
            from .model import STATES, _key
            _lib.call("cm_condition_new_state", c,
                      _key(STATES, self.atom, "state"), _lib.cstr(self.ref),
                      ref)
        elif t == "form":
            _lib.call("cm_condition_new_form", c,
                      _FORM_ATOMS.index(self.atom), _lib.cstr(self.ref), ref)
        elif t in ("breached", "breaches"):
            w = -1 if self.window is None else _lib.int64(
                self.window // _dt.timedelta(minutes=1), "window")
            if t == "breached":
                _lib.call("cm_condition_new_breached", c,
                          _lib.cstr(self.ref), w, ref)
            else:
                if self.cmp not in _CMP:
                    raise ValueError("a breaches condition needs cmp, one of "
                                     "%s" % ", ".join(_CMP))
                _lib.call("cm_condition_new_breaches", c,
                          _lib.cstr(self.ref), _CMP.index(self.cmp),
                          _lib.int64(self.bound, "breaches bound"), w, ref)
        elif t == "not":
            if len(self.children) != 1:
                raise ValueError("'not' takes one operand")
            x = self.children[0]._build(c)
            _lib.call("cm_condition_new_not", c, x, ref)
        elif t in ("and", "or"):
            if len(self.children) < 2:
                raise ValueError("'%s' takes two or more operands" % t)
            kind = _TYPES.index(t)
            acc = self.children[0]._build(c)
            for k in self.children[1:]:
                y = k._build(c)
                _lib.call("cm_condition_new_binary", c, kind, acc, y, ref)
                acc = out.value
            return acc
        else:
            raise ValueError("bad condition type %r" % t)
        return out.value


_NUM = re.compile(r"-?[0-9]+(\.[0-9]+)?\Z")


def _split_pattern(text: str, count: bool) -> str:
    """The pattern at the start of a node's canonical text: ``a(x: "b)")``
    of ``a(x: "b)") within 2d``, or of ``count(a(...)) >= 3``."""
    start = len("count(") if count else 0
    depth, i, quoted = 0, start, False
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == "\\":
                i += 1
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
        i += 1
    raise ValueError("no pattern in %r" % text)  # pragma: no cover


def _value(v: str) -> str:
    """An attribute value for a pattern built in Python: a number as it
    is, anything else as a string literal (values compare as text, so
    `"PK"` and `PK` match the same)."""
    if _NUM.match(v):
        return v
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _pattern(action: str, attrs: Dict[str, str]) -> str:
    return "%s(%s)" % (action, ", ".join("%s: %s" % (k, _value(v))
                                         for k, v in attrs.items()))


def _duration(within: Duration) -> Optional[_dt.timedelta]:
    if within is None:
        return None
    from .model import _minutes
    return _dt.timedelta(minutes=_minutes(within))

