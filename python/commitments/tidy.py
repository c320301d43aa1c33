"""Tidy data helpers shared by Report, Status, Analysis and batches:
flattening rows, the optional pandas DataFrame, the notebook HTML table,
and the lazily-read C objects behind reports and statuses."""

from __future__ import annotations

import dataclasses
import html
import threading
import weakref
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence

from . import _lib

__all__ = ["dataframe", "flatten", "html_table", "Lazy"]


def dataframe(rows: Iterable[Dict[str, Any]],
              columns: Optional[Sequence[str]] = None) -> Any:
    """A ``pandas.DataFrame`` of ``rows`` (pandas must be installed;
    Debian: python3-pandas)."""
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("to_dataframe() needs pandas (Debian: "
                          "python3-pandas); records() gives the same rows "
                          "as plain dicts") from None
    rows = list(rows)
    if not rows and columns is not None:
        return pd.DataFrame(columns=list(columns))
    return pd.DataFrame.from_records(rows, columns=columns)


def _cell(v: Any) -> Any:
    if isinstance(v, (list, tuple)) and all(isinstance(x, str) for x in v):
        return " ".join(v)
    return v


_PLANS: Dict[Any, list] = {}


def _plan(cls: type, nested: Dict[str, type]) -> list:
    """(field, column prefix or None, sub-fields) for each public field of
    dataclass ``cls``; computed once per class."""
    key = (cls, tuple(sorted((k, id(v)) for k, v in nested.items())))
    plan = _PLANS.get(key)
    if plan is None:
        plan = []
        for f in dataclasses.fields(cls):
            if f.name.startswith("_"):
                continue
            sub = nested.get(f.name)
            subs = None if sub is None else [
                g.name for g in dataclasses.fields(sub)
                if not g.name.startswith("_")]
            plan.append((f.name, subs))
        _PLANS[key] = plan
    return plan


def flatten(obj: Any, prefix: str = "", out: Optional[Dict[str, Any]] = None,
            nested: Optional[Dict[str, type]] = None) -> Dict[str, Any]:
    """A dataclass instance as one flat dict: the fields named in
    ``nested`` (field -> its dataclass, whose value may be None) become
    ``field_sub`` columns (``cause_reason``), present in every row; other
    nested dataclasses are flattened the same way; lists of strings
    become one space-separated string; anything else is kept as is.
    Fields whose name starts with ``_`` are left out.  New fields of the
    dataclasses show up as new columns with no change here."""
    if out is None:
        out = {}
    for name, subs in _plan(type(obj), nested or {}):
        v = getattr(obj, name)
        key = prefix + name
        if subs is not None:
            if v is None:
                for sub in subs:
                    out[key + "_" + sub] = None
            else:
                for sub in subs:
                    out[key + "_" + sub] = _cell(getattr(v, sub))
        elif dataclasses.is_dataclass(v) and not isinstance(v, type):
            flatten(v, key + "_", out)
        elif type(v) is list:
            out[key] = _cell(v)
        else:
            out[key] = v
    return out


def html_table(title: str, columns: Sequence[str], rows: List[Sequence[Any]],
               more: int = 0) -> str:
    """A compact HTML table for notebooks (``_repr_html_``)."""
    e = html.escape
    out = ['<div class="commitments">', "<p><b>%s</b></p>" % e(title),
           '<table border="1" style="border-collapse:collapse">',
           "<thead><tr>%s</tr></thead><tbody>"
           % "".join("<th>%s</th>" % e(c) for c in columns)]
    for r in rows:
        out.append("<tr>%s</tr>" % "".join(
            "<td>%s</td>" % e("" if v is None else str(v)) for v in r))
    out.append("</tbody></table>")
    if more:
        out.append("<p>… and %d more</p>" % more)
    out.append("</div>")
    return "".join(out)


class Lazy:
    """A C result (report, snapshot) owned by a Python snapshot object and
    read on demand: ``get(name, fn)`` computes ``fn(ptr)`` once, under a
    lock, and caches it.  The C object is freed when the owner is
    collected, or at once by ``release()`` (after which only what was
    cached is available; :meth:`load_all` caches everything first)."""

    __slots__ = ("_ptr", "_lock", "_cache", "_finalizer", "__weakref__")

    def __init__(self, ptr: int) -> None:
        self._ptr: Optional[int] = ptr
        self._lock = threading.Lock()
        self._cache: Dict[str, Any] = {}
        self._finalizer = weakref.finalize(self, _free, ptr)

    def get(self, name: str, fn: Callable[[int], Any]) -> Any:
        try:
            return self._cache[name]
        except KeyError:
            pass
        with self._lock:
            if name not in self._cache:
                if self._ptr is None:  # pragma: no cover - guarded
                    raise _lib.Error(_lib.CM_EINVAL, "released")
                self._cache[name] = fn(self._ptr)
            return self._cache[name]

    def read_now(self, fn: Callable[[int], Any]) -> Any:
        """``fn(ptr)`` under the lock, not cached."""
        with self._lock:
            if self._ptr is None:  # pragma: no cover - guarded
                raise _lib.Error(_lib.CM_EINVAL, "released")
            return fn(self._ptr)

    def has(self, name: str) -> bool:
        return name in self._cache

    def put(self, name: str, value: Any) -> None:
        self._cache[name] = value

    def release(self) -> None:
        with self._lock:
            self._finalizer()
            self._ptr = None


def _free(ptr: int) -> None:
    try:
        _lib.lib().cm_free(ptr)
    except Exception:  # pragma: no cover - interpreter shutdown
        pass
