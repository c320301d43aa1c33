"""Ownership of C objects.

Every C object the binding creates is owned by exactly one :class:`Handle`.
A root handle frees its object with ``cm_free`` when it is closed, or
when it is garbage-collected (``weakref.finalize``), whichever comes first.
A borrowed child handle (an agreement inside a parsed document, a
commitment inside an agreement) frees nothing: it keeps its parent handle
alive instead, and becomes unusable when its parent is closed.  An owned
child (a monitor, allocated under its agreement) frees its object when it
is closed or collected, unless its parent was closed first and took the
object with it.
"""

from __future__ import annotations

import functools
import threading
import weakref
from typing import Any, Callable, Optional

from . import _lib


def _free(ptr: int, parent: Optional["Handle"] = None) -> None:
    if parent is not None and not parent.alive:
        return  # freed already, with its parent
    try:
        lib = _lib.lib()
    except Exception:  # interpreter shutdown
        return
    lib.cm_free(ptr)


class ClosedError(_lib.Error, ValueError):
    """An object (or the object it belongs to) was closed and is unusable."""

    def __init__(self, message: str) -> None:
        _lib.Error.__init__(self, _lib.CM_EINVAL, message, text=message)


class NoPickle:
    """Mixin of every class that wraps C memory: such an object is only
    meaningful in the process that made it, so it refuses to be pickled
    (or copied) instead of carrying a raw pointer into another process."""

    __slots__ = ()

    def __reduce_ex__(self, protocol: int) -> object:
        name = type(self).__name__
        raise TypeError(
            "cannot pickle commitments.%s: it wraps C memory of this "
            "process. Send the text (to_text()) or the file's path to the "
            "other process and parse it there, and send results back as "
            "plain data (Report, Status, Analysis, to_dict(), records())"
            % name)


class Handle(NoPickle):
    """Owns a C pointer (root) or borrows one from a parent handle."""

    __slots__ = ("_ptr", "_parent", "_finalizer", "what", "lock",
                 "__weakref__")

    def __init__(self, ptr: int, what: str,
                 parent: Optional["Handle"] = None,
                 owned: Optional[bool] = None) -> None:
        """``owned`` defaults to True for a root, False for a child."""
        if not ptr:
            raise ValueError("NULL %s" % what)
        self._ptr = ptr
        self._parent = parent
        self.what = what
        # One lock per tree of C objects (a document and all it holds, an
        # agreement built in code and its commitments and monitors):
        # calls into one tree are serialized, so no thread can free or
        # change C memory another thread is reading.
        self.lock = parent.lock if parent is not None else threading.RLock()
        if owned is None:
            owned = parent is None
        # The finalizer holds the parent handle, so a parent is never
        # collected (and freed) before an owned child is.
        self._finalizer = (weakref.finalize(self, _free, ptr, parent)
                           if owned else None)

    @property
    def alive(self) -> bool:
        h: Optional[Handle] = self
        while h is not None:
            if h._ptr is None:
                return False
            h = h._parent
        return True

    @property
    def ptr(self) -> int:
        """The C pointer; ClosedError when this or a parent is closed."""
        if not self.alive:
            raise ClosedError("this %s is closed" % self.what)
        return self._ptr

    def close(self) -> None:
        """Free the object now (root) or drop the parent reference (child).
        Closing twice is harmless."""
        if self._finalizer is not None:
            self._finalizer()
            self._finalizer = None
        self._ptr = None
        self._parent = None


def _locked(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        with self._h.lock:
            return fn(self, *args, **kwargs)
    return wrapper


def serialized(cls: type) -> type:
    """Class decorator: every method and property of ``cls`` (``__repr__``
    too, not the other dunders) runs holding its handle's tree lock
    (``self._h.lock``), so one object may be shared between threads."""
    for name, v in list(vars(cls).items()):
        if name.startswith("__") and name != "__repr__":
            continue
        if isinstance(v, property):
            setattr(cls, name, property(
                _locked(v.fget) if v.fget else None,
                _locked(v.fset) if v.fset else None,
                v.fdel, v.__doc__))
        elif callable(v) and not isinstance(v, (staticmethod, classmethod,
                                                type)):
            setattr(cls, name, _locked(v))
    return cls
