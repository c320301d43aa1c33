"""libcommitments for Python: model and evaluate the commitments parties
make in treaties, ceasefires and memoranda.

A pure-Python binding (ctypes) over the shared library libcommitments.
The library is found through the ``COMMITMENTS_LIBRARY`` environment
variable (a path), else where ``meson install`` put it, else the
installed ``libcommitments.so.0`` (see ``commitments._lib.candidates``).

    >>> import commitments
    >>> [a] = commitments.load("examples/istanbul.cmt")
    >>> a.check().verdict
    'fails'

See docs/python.md.
"""

from __future__ import annotations

from ._handle import ClosedError
from ._lib import Error, LibraryNotFoundError
from ._time import CM_TIME_NONE
from ._version import __version__
from .analysis import Analysis, Balance, Conflict, Deadlock
from .condition import Condition
from .model import (Agreement, AgreementRequirement, Commitment, Document,
                    Party, Policy, builtin_policy, builtin_policy_names,
                    load, parse)
from .report import Below, CommitmentDoc, Failure, Report, Requirement
from .status import (Breach, Cause, CommitmentStatus, HistoryEntry, Monitor,
                     Status)
from .importer import (Import, ImportedEvent, Mapping, import_acled,
                       import_ucdp, load_mapping, parse_mapping)
from . import batch

__all__ = [
    "Agreement", "AgreementRequirement", "Analysis", "Balance", "Below",
    "Breach", "Cause", "ClosedError", "Commitment", "CommitmentDoc",
    "CommitmentStatus", "Condition", "Conflict", "Deadlock", "HistoryEntry",
    "Monitor",
    "Status", "Document", "Error", "Failure", "LibraryNotFoundError",
    "Party", "Policy", "Report", "Requirement", "CM_TIME_NONE",
    "__version__", "batch", "builtin_policy", "builtin_policy_names",
    "library_path", "load", "parse", "version", "version_number",
    "Import", "ImportedEvent", "Mapping", "import_acled", "import_ucdp",
    "load_mapping", "parse_mapping",
]


def version() -> str:
    """The loaded library's version string, e.g. "0.1.0"."""
    from ._lib import lib, pystr
    return pystr(lib().cm_version())


def version_number() -> int:
    """The loaded library's MAJOR*10000 + MINOR*100 + PATCH."""
    from ._lib import lib
    return lib().cm_version_number()


def library_path() -> str:
    """The path or soname the library was loaded from."""
    from ._lib import lib
    return lib().path
