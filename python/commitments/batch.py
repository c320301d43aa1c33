"""Batches: many agreements × event logs × views, on several processes or
a Dask cluster, as tidy records.

    >>> from commitments import batch
    >>> rows = batch.run(["corpus/"], views=["all", "verified"])
    >>> df = batch.to_dataframe(rows)                    # needs pandas

    >>> from dask.distributed import Client              # python3-distributed
    >>> rows = batch.run(["corpus/"], executor=Client("tcp://host:8786"))

A task is one agreement file × one events file (or none) × one view; it
runs in a worker process, which loads the library itself (the same way
``import commitments`` does: ``COMMITMENTS_LIBRARY`` or the installed
library), and returns plain dicts, so nothing but paths and rows crosses
between processes.  A task that fails (a file that does not parse, a view
naming no party of an agreement, a worker that died) comes back as a row
with ``error`` set; no failure loses the batch.

Rows (``COLUMNS``): one per commitment of every agreement of every task,
with the documentation check (``verdict`` of the agreement, the
commitment's ``form``, ``level``, ``failing``, ``missing``) and the
monitoring state under the task's events and view (``state``,
``since``, ``cause_reason``, ...); plus one row, with ``commitment``
None, for each error.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

__all__ = ["COLUMNS", "Task", "tasks", "run", "run_task", "to_dataframe"]

PathLike = Union[str, "os.PathLike[str]"]

#: (file, events file or None, view, at or None, policies or None)
Task = Tuple[str, Optional[str], str, Optional[str], Optional[Tuple[str, ...]]]

COLUMNS = [
    "file", "events", "view", "agreement", "commitment", "verdict",
    "debtor", "modality", "standing", "form", "level", "failing", "missing",
    "state", "since", "at", "cause_reason", "cause_event_line",
    "cause_event_file", "cause_commitment", "excused_by", "error",
    "error_code", "error_line", "error_column",
]


def _files(paths: Iterable[PathLike]) -> List[str]:
    out = []
    for p in paths:
        p = os.fspath(p)
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs.sort()
                out.extend(os.path.join(root, n) for n in sorted(names)
                           if n.endswith(".cmt"))
        else:
            out.append(p)
    return out


def tasks(agreements: Union[PathLike, Iterable[PathLike]],
          events: Union[None, str, Iterable[Optional[PathLike]]] = None,
          views: Union[str, Iterable[str]] = ("all",),
          at: Any = None,
          policies: Union[None, str, Iterable[str]] = None) -> List[Task]:
    """The tasks of a batch (see :func:`run` for the arguments)."""
    if isinstance(agreements, (str, os.PathLike)):
        agreements = [agreements]
    files = _files(agreements)
    if isinstance(views, str):
        views = [views]
    views = list(views)
    for v in views:
        if not isinstance(v, str):
            raise TypeError("views: strings ('all', 'verified' or a party "
                            "id), not %s" % type(v).__name__)
    if isinstance(policies, str):
        pol: Optional[Tuple[str, ...]] = (policies,)
    elif policies is None:
        pol = None
    else:
        pol = tuple(policies)
    at_s = None if at is None else _at_text(at)
    out: List[Task] = []
    for f in files:
        if events is None:
            side = os.path.splitext(f)[0] + ".events"
            logs: List[Optional[str]] = [side if os.path.exists(side)
                                         else None]
        elif events == "none":
            logs = [None]
        elif isinstance(events, (str, os.PathLike)):
            logs = [os.fspath(events)]
        else:
            logs = [None if e is None else os.fspath(e) for e in events]
        for log in logs:
            for v in views:
                out.append((f, log, v, at_s, pol))
    return out


def _at_text(at: Any) -> str:
    from . import _time
    if isinstance(at, str):
        return at
    return _time.iso(_time.from_cm(_time.to_cm(at, end_of_day=True)))[:16]


def _error_row(task: Task, e: BaseException,
               agreement: Optional[str] = None) -> Dict[str, Any]:
    row = dict.fromkeys(COLUMNS)
    row.update(file=task[0], events=task[1], view=task[2],
               agreement=agreement, at=task[3])
    row["error"] = str(e) or type(e).__name__
    row["error_code"] = getattr(e, "name", type(e).__name__)
    row["error_line"] = getattr(e, "line", None)
    row["error_column"] = getattr(e, "column", None)
    return row


def run_task(task: Task) -> List[Dict[str, Any]]:
    """Run one task in this process; never raises for a bad input (the
    error is a row).  This is what the workers call."""
    import commitments
    from . import _time
    file, log, view, at, pol = task
    try:
        agreements = commitments.load(file)
    except Exception as e:  # noqa: BLE001 - every failure becomes a row
        return [_error_row(task, e)]
    rows = []
    for a in agreements:
        try:
            report = a.check(policies=list(pol) if pol else None)
            status = a.status(events=log, at=at, view=view)
            checked = {r["commitment"]: r for r in report.records()}
            for srow in status.records():
                row = dict.fromkeys(COLUMNS)
                cid = srow["commitment"]
                c = checked.get(cid, {})
                row.update(file=file, events=log, view=view,
                           agreement=a.id, commitment=cid,
                           verdict=report.verdict, debtor=c.get("debtor"),
                           modality=srow["modality"],
                           standing=srow["standing"], form=c.get("form"),
                           level=c.get("level"), failing=c.get("failing"),
                           missing=c.get("missing"), state=srow["state"],
                           since=_time.iso(srow["since"]),
                           at=_time.iso(status.at),
                           excused_by=srow["excused_by"])
                for k in ("cause_reason", "cause_event_line",
                          "cause_event_file", "cause_commitment"):
                    row[k] = srow.get(k)
                for k, v in srow.items():   # fields added to Status later
                    if k not in row and k not in ("agreement", "id"):
                        row[k] = v
                rows.append(row)
        except Exception as e:  # noqa: BLE001
            rows.append(_error_row(task, e, a.id))
        finally:
            a.close()
    return rows


def _submit_all(submit: Any, ts: List[Task]) -> List[Tuple[Task, Any]]:
    return [(t, submit(run_task, t)) for t in ts]


def run(agreements: Union[PathLike, Iterable[PathLike]],
        events: Union[None, str, Iterable[Optional[PathLike]]] = None,
        views: Union[str, Iterable[str]] = ("all",),
        at: Any = None,
        policies: Union[None, str, Iterable[str]] = None,
        executor: Any = "process",
        max_workers: Optional[int] = None,
        mp_context: Any = None,
        timeout: Optional[float] = None) -> List[Dict[str, Any]]:
    """Run a batch and return its rows (``COLUMNS``), in task order.

    ``agreements``: ``.cmt`` files and folders (searched recursively).
    ``events``: None = for X.cmt the file X.events when it exists;
    ``"none"`` = no events file; a path, or a list of paths (each
    agreement runs against each).  The agreement's own and its file's
    top-level events always count.  ``views``: "all", "verified", party
    ids.  ``at``: the moment of the states (None: the last event).
    ``policies``: as :meth:`Agreement.check`.

    ``executor``: "process" (a ``concurrent.futures.ProcessPoolExecutor``
    of ``max_workers``, ``mp_context`` e.g.
    ``multiprocessing.get_context("spawn")``), "serial" (this process),
    "dask" (the current ``dask.distributed`` client), a
    ``dask.distributed.Client``, or any ``concurrent.futures.Executor``.
    ``timeout``: seconds to wait for each task's result; a task that
    takes longer becomes an error row.
    """
    ts = tasks(agreements, events, views, at, policies)
    if executor == "serial":
        return [row for t in ts for row in run_task(t)]
    own = None
    if executor == "process":
        own = cf.ProcessPoolExecutor(max_workers=max_workers,
                                     mp_context=mp_context)
        executor = own
    elif executor == "dask":
        try:
            from distributed import get_client
        except ImportError:
            raise ImportError("executor='dask' needs dask.distributed "
                              "(Debian: python3-distributed)") from None
        executor = get_client()
    try:
        if _is_dask_client(executor):
            pairs = _submit_all(
                lambda fn, t: executor.submit(fn, t, pure=False), ts)
        elif isinstance(executor, cf.Executor):
            pairs = _submit_all(executor.submit, ts)
        else:
            raise TypeError("executor: 'process', 'serial', 'dask', a "
                            "dask.distributed.Client or a "
                            "concurrent.futures.Executor, not %r"
                            % (executor,))
        rows: List[Dict[str, Any]] = []
        for t, fut in pairs:
            try:
                rows.extend(fut.result(timeout=timeout))
            except Exception as e:  # noqa: BLE001 - a lost task is a row
                rows.append(_error_row(t, e))
        return rows
    finally:
        if own is not None:
            own.shutdown(wait=True, cancel_futures=True)


def _is_dask_client(x: Any) -> bool:
    t = type(x)
    return t.__name__ == "Client" and t.__module__.startswith("distributed")


def to_dataframe(rows: Sequence[Dict[str, Any]]) -> Any:
    """Batch rows as a ``pandas.DataFrame`` with the ``COLUMNS`` first
    (needs pandas; Debian: python3-pandas)."""
    from .tidy import dataframe
    cols = list(COLUMNS)
    for r in rows:
        for k in r:
            if k not in cols:
                cols.append(k)
    return dataframe(rows, cols)
