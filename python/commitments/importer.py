"""Importing conflict-event datasets (docs/import.md): ACLED and UCDP GED
CSV exports read through a mapping into events.

    >>> import commitments
    >>> [a] = commitments.load("examples/istanbul.cmt")
    >>> rows = commitments.import_acled("examples/acled/sample.csv",
    ...                                 "examples/acled/istanbul.map")
    >>> a.status(events=rows)["no_safe_haven"].state
    'violated'

An :class:`Import` reads the CSV lazily, one row at a time: iterating it
yields :class:`ImportedEvent` values (event lines that also carry the
parsed event and the CSV file and line); passing it unread to
``Agreement.status(events=...)`` lets the monitor read it, and every cause
then names the CSV row.
"""

from __future__ import annotations

import ctypes
import datetime as _dt
import os
from typing import Dict, Iterator, List, Optional, Sequence, Tuple, Union

from . import _time
from ._handle import Handle
from ._lib import CmError, call, cstr, lib, pystr

__all__ = ["Mapping", "ImportedEvent", "Import", "load_mapping",
           "parse_mapping", "import_acled", "import_ucdp"]

PathLike = Union[str, "os.PathLike[str]"]

_FORMATS = {"acled": 1, "ucdp": 2}


class Mapping:
    """A parsed mapping: one ``import`` block (docs/import.md)."""

    def __init__(self, ptr: int) -> None:
        self._h = Handle(ptr, "mapping")

    @property
    def id(self) -> str:
        return pystr(lib().cm_mapping_id(self._h.ptr)) or ""

    @property
    def dataset(self) -> str:
        """``"acled"`` or ``"ucdp"``."""
        return pystr(lib().cm_import_format_name(
            lib().cm_mapping_format(self._h.ptr))) or ""

    def close(self) -> None:
        self._h.close()

    def __repr__(self) -> str:
        return "<Mapping %s for %s>" % (self.id, self.dataset)


def load_mapping(path: PathLike) -> Mapping:
    """Parse the mapping file at ``path`` (errors: :class:`Error` with
    file, line and column)."""
    out = ctypes.c_void_p()
    call("cm_mapping_parse_file", None, cstr(os.fspath(path)),
         ctypes.byref(out))
    return Mapping(out.value)


def parse_mapping(text: str, filename: Optional[str] = None) -> Mapping:
    """Parse a mapping from text; ``filename`` names it in errors."""
    b = text.encode("utf-8")
    out = ctypes.c_void_p()
    call("cm_mapping_parse", None, b, len(b), cstr(filename),
         ctypes.byref(out))
    return Mapping(out.value)


class ImportedEvent(str):
    """One mapped row: the event line itself (a ``str``, as an events
    file holds it), with the parsed parts and where the row came from."""

    time: _dt.datetime
    type: str
    attrs: Dict[str, str]
    reported: List[str]
    verified: List[str]
    file: str
    line: int

    def __repr__(self) -> str:
        return "<ImportedEvent %s:%d %s>" % (self.file, self.line,
                                             str.__str__(self))


class Import:
    """Rows of CSV files read through a mapping (see :func:`import_acled`).

    Iterate it once for :class:`ImportedEvent` values in file order, or
    pass it unread to ``Agreement.status(events=...)``. ``warnings``
    lists the rows skipped so far as ``(file, line, message)``;
    ``counts`` the counters (rows, events, dropped, unmatched, skipped,
    duplicates). With ``strict=True`` a row that cannot be mapped raises
    :class:`Error` instead.
    """

    def __init__(self, mapping: Union[Mapping, PathLike], dataset: str,
                 paths: Sequence[PathLike], strict: bool = False) -> None:
        if not isinstance(mapping, Mapping):
            mapping = load_mapping(mapping)
        if mapping.dataset != dataset:
            raise ValueError("mapping %s is written for %s, not %s"
                             % (mapping.id, mapping.dataset, dataset))
        self.mapping = mapping
        self.warnings: List[Tuple[str, int, str]] = []
        out = ctypes.c_void_p()
        # allocated under the mapping (closing the mapping frees it too),
        # and the handle keeps the mapping alive as long as the import
        call("cm_import_new", mapping._h.ptr, mapping._h.ptr,
             ctypes.byref(out))
        self._h = Handle(out.value, "import", parent=mapping._h, owned=True)
        for p in paths:
            call("cm_import_add_file", self._h.ptr, cstr(os.fspath(p)))
        lib().cm_import_set_strict(self._h.ptr, 1 if strict else 0)
        self._started = False

    @property
    def counts(self) -> Dict[str, int]:
        names = ("rows", "events", "dropped", "unmatched", "skipped",
                 "duplicates")
        return {n: int(lib().cm_import_count(self._h.ptr, i))
                for i, n in enumerate(names)}

    def _claim(self) -> int:
        """For the monitor: the C import, which must be unread."""
        if self._started:
            raise ValueError("this import has been read already; make a "
                             "new one")
        self._started = True
        return self._h.ptr

    def _event(self) -> ImportedEvent:
        L, p = lib(), self._h.ptr
        ev = ImportedEvent(pystr(L.cm_import_event_text(p)) or "")
        ev.time = _time.from_cm(L.cm_import_event_time(p))
        ev.type = pystr(L.cm_import_event_type(p)) or ""
        ev.attrs = {pystr(L.cm_import_event_attr_name(p, i)) or "":
                    pystr(L.cm_import_event_attr_value(p, i)) or ""
                    for i in range(L.cm_import_event_attr_count(p))}
        ev.reported = [pystr(L.cm_import_event_reported(p, i)) or ""
                       for i in range(L.cm_import_event_reported_count(p))]
        ev.verified = [pystr(L.cm_import_event_verified(p, i)) or ""
                       for i in range(L.cm_import_event_verified_count(p))]
        ev.file = pystr(L.cm_import_event_file(p)) or ""
        ev.line = int(L.cm_import_event_line(p))
        return ev

    def __iter__(self) -> Iterator[ImportedEvent]:
        if self._started:
            raise ValueError("this import has been read already; make a "
                             "new one")
        self._started = True
        return self._rows()

    def _rows(self) -> Iterator[ImportedEvent]:
        fn = lib().cm_import_next
        while True:
            err = CmError()
            rc = fn(self._h.ptr, err)  # raises Error on a negative status
            if rc == 0:
                return
            if rc == 2:
                self.warnings.append((pystr(err.file) or "", int(err.line),
                                      pystr(err.message) or ""))
                continue
            yield self._event()

    def close(self) -> None:
        self._h.close()

    def __repr__(self) -> str:
        return "<Import %s %s>" % (self.mapping.dataset, self.counts)


def _paths(path: Union[PathLike, Sequence[PathLike]]) -> List[PathLike]:
    if isinstance(path, (str, os.PathLike)):
        return [path]
    return list(path)


def import_acled(path: Union[PathLike, Sequence[PathLike]],
                 mapping: Union[Mapping, PathLike],
                 strict: bool = False) -> Import:
    """The rows of an ACLED CSV export (a path, or several: rows identical
    across them count once) through ``mapping`` (a :class:`Mapping` or the
    path of a mapping file written ``import acled ...``)."""
    return Import(mapping, "acled", _paths(path), strict)


def import_ucdp(path: Union[PathLike, Sequence[PathLike]],
                mapping: Union[Mapping, PathLike],
                strict: bool = False) -> Import:
    """As :func:`import_acled`, for UCDP GED CSV (``import ucdp ...``)."""
    return Import(mapping, "ucdp", _paths(path), strict)
