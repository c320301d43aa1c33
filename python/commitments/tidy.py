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


def flatten(obj: Any, prefix: str = "", out: Optional[Dict[str, Any]] = None,
            nested: Optional[Dict[str, type]] = None) -> Dict[str, Any]:
    """A dataclass instance as one flat dict: nested dataclasses become
    ``prefix_field`` columns (``cause_reason``; ``nested`` names the
    dataclass of fields that may be None, so their columns exist in every
    row), lists of strings become one space-separated string, anything
    else is kept as is.  Fields whose name starts with ``_`` are left
    out.  New fields of the dataclasses show up as new columns with no
    change here."""
    if out is None:
        out = {}
    nested = nested or {}
    for f in dataclasses.fields(obj):
        if f.name.startswith("_"):
            continue
        v = getattr(obj, f.name)
        key = prefix + f.name
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            flatten(v, key + "_", out)
        elif v is None and f.name in nested:
            for sub in dataclasses.fields(nested[f.name]):
                if not sub.name.startswith("_"):
                    out[key + "_" + sub.name] = None
        else:
            out[key] = _cell(v)
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
