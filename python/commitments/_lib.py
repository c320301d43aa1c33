"""Loading the shared library, the one ctypes table, and errors.

Every C function the binding uses is declared once, in ``_TABLE`` below,
with its ``argtypes`` and ``restype``.  Functions that return a status code
get an ``errcheck`` that turns a negative code into :class:`Error`, read
from the caller-allocated ``cm_error`` passed as the last argument.

The library is looked up lazily, on first use, so that ``import
commitments`` always works: ``COMMITMENTS_LIBRARY`` (a path) first, then
the installed soname ``libcommitments.so.0``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import operator
import os
import sys
import threading
from ctypes import (POINTER, Structure, c_char, c_char_p, c_int, c_int32,
                    c_int64, c_size_t, c_void_p)
from typing import Any, Optional

__all__ = ["Error", "LibraryNotFoundError", "CmError", "lib", "call",
           "has", "cstr", "pystr", "take_string", "SONAME", "UNBOUND",
           "int64", "uint32", "check_int"]

SONAME = "libcommitments.so.0"

# ---- status codes (include/commitments/error.h) ----------------------
CM_OK = 0
CM_ENOMEM = -1
CM_EINVAL = -2
CM_ESYNTAX = -3
CM_ESEMANTIC = -4
CM_ENOTFOUND = -5
CM_EIO = -6
CM_ERANGE = -7
CM_EORDER = -8
CM_ELIMIT = -9

CODE_NAMES = {
    CM_ENOMEM: "ENOMEM", CM_EINVAL: "EINVAL", CM_ESYNTAX: "ESYNTAX",
    CM_ESEMANTIC: "ESEMANTIC", CM_ENOTFOUND: "ENOTFOUND", CM_EIO: "EIO",
    CM_ERANGE: "ERANGE", CM_EORDER: "EORDER", CM_ELIMIT: "ELIMIT",
}

CM_ERROR_FILE_SIZE = 256
CM_ERROR_MESSAGE_SIZE = 512


class CmError(Structure):
    """Mirror of ``cm_error`` (include/commitments/error.h), field for field."""

    _fields_ = [
        ("code", c_int32),
        ("line", c_int32),
        ("column", c_int32),
        ("file", c_char * CM_ERROR_FILE_SIZE),
        ("message", c_char * CM_ERROR_MESSAGE_SIZE),
    ]


class Error(Exception):
    """The base of every exception the binding raises, and the error of a
    failed libcommitments call.

    Attributes:
        code: the negative status code (``CM_ESYNTAX`` = -3, ...).
        name: the code's short name (``"ESYNTAX"``, ...).
        message: the library's message, e.g. ``"unknown party XX"``.
        line, column: 1-based position in the source, or ``None``.
        file: the source file name, or ``None``.

    ``str(error)`` is the library's ``FILE:LINE:COL: error: MESSAGE`` form.
    Every Error (subclasses too) pickles with all of these, so an error
    raised in a worker process reaches the parent intact.
    """

    def __init__(self, code: int, message: str, line: Optional[int] = None,
                 column: Optional[int] = None, file: Optional[str] = None,
                 text: Optional[str] = None) -> None:
        if text is None:
            text = _format(file, line, column, message)
        super().__init__(text)  # first: ImportError's resets ``name``
        self.code = code
        self.name = CODE_NAMES.get(code, str(code))
        self.message = message
        self.line = line
        self.column = column
        self.file = file
        self.text = text

    def __reduce__(self) -> Any:
        state = {k: v for k, v in self.__dict__.items()
                 if k not in _ERROR_FIELDS}
        return (_rebuild_error,
                (type(self), self.code, self.message, self.line,
                 self.column, self.file, self.text), state or None)

    def __repr__(self) -> str:
        return ("commitments.%s(%s, %r, line=%r, column=%r, file=%r)"
                % (type(self).__name__, self.name, self.message, self.line,
                   self.column, self.file))

    @classmethod
    def _from_struct(cls, code: int, err: CmError) -> "Error":
        message = pystr(err.message) or pystr(lib().cm_strerror(code)) or ""
        file = pystr(err.file) or None
        line = err.line or None
        column = err.column or None
        buf = ctypes.create_string_buffer(CM_ERROR_FILE_SIZE
                                          + CM_ERROR_MESSAGE_SIZE + 64)
        lib().cm_error_format(ctypes.byref(err), buf, len(buf))
        text = pystr(buf.value) if err.message else None
        return cls(code, message, line, column, file, text)


_ERROR_FIELDS = ("code", "name", "message", "line", "column", "file",
                 "text")


def _rebuild_error(cls: type, code: int, message: str, line: Optional[int],
                   column: Optional[int], file: Optional[str],
                   text: Optional[str]) -> Error:
    """Unpickle an Error of class ``cls`` (whatever its __init__ takes)."""
    e = cls.__new__(cls)
    Error.__init__(e, code, message, line, column, file, text)
    return e


class LibraryNotFoundError(Error, ImportError):
    """The shared library libcommitments could not be found or loaded."""

    def __init__(self, message: str) -> None:
        Error.__init__(self, CM_ENOTFOUND, message, text=message)


# ---- integers crossing into C -------------------------------------------
# ctypes wraps an int that does not fit silently (2**64 + 60 becomes 60);
# every integer the binding passes on is checked here first.

def check_int(value: Any, lo: int, hi: int, what: str) -> int:
    """``value`` as an int in [lo, hi]: TypeError for a non-integer (bool
    included), OverflowError outside the range."""
    if isinstance(value, bool):
        raise TypeError("%s must be an integer, not bool" % what)
    try:
        value = operator.index(value)
    except TypeError:
        raise TypeError("%s must be an integer, not %s"
                        % (what, type(value).__name__)) from None
    if not lo <= value <= hi:
        raise OverflowError("%s %d is out of range [%d, %d]"
                            % (what, value, lo, hi))
    return value


INT64 = (-(2 ** 63), 2 ** 63 - 1)
UINT32 = (0, 2 ** 32 - 1)
INT32 = (-(2 ** 31), 2 ** 31 - 1)


def int64(value: Any, what: str) -> int:
    return check_int(value, INT64[0], INT64[1], what)


def uint32(value: Any, what: str) -> int:
    return check_int(value, UINT32[0], UINT32[1], what)


def _format(file, line, column, message) -> str:
    where = ""
    if file:
        where = file + ":"
    if line:
        where += "%d:" % line
        if column:
            where += "%d:" % column
    return (where + " " if where else "") + "error: " + message


def pystr(b: Optional[bytes]) -> Optional[str]:
    """Decode a C string (bytes or None) as UTF-8."""
    if b is None:
        return None
    return b.decode("utf-8", "replace")


def cstr(s: Optional[str]) -> Optional[bytes]:
    """Encode a Python string for C (None stays NULL); NUL is refused."""
    if s is None:
        return None
    if not isinstance(s, str):
        raise TypeError("expected str, got %s" % type(s).__name__)
    b = s.encode("utf-8")
    if b"\0" in b:
        raise ValueError("string contains a NUL character: %r" % s)
    return b


# ---- the table ---------------------------------------------------------
# Every C function the binding calls, and only those.
# name: (restype, argtypes, returns_status)
# Opaque handles are c_void_p; out-parameters are POINTER(c_void_p);
# "err" is always POINTER(CmError) and always last.
P = c_void_p
PP = POINTER(c_void_p)
E = POINTER(CmError)
S = c_char_p
T = c_int64  # cm_time
SS = POINTER(c_char_p)  # const char *const * (arrays of strings)

_TABLE: dict = {
    # common.h
    "cm_free": (None, [P], False),
    "cm_time_parse": (c_int, [S, c_int, POINTER(T)], False),
    "cm_role_name": (S, [c_int], False),
    "cm_kind_name": (S, [c_int], False),
    "cm_modality_name": (S, [c_int], False),
    "cm_form_name": (S, [c_int], False),
    "cm_standing_name": (S, [c_int], False),
    "cm_state_name": (S, [c_int], False),
    "cm_level_name": (S, [c_int], False),
    # error.h
    "cm_strerror": (S, [c_int], False),
    "cm_error_format": (c_size_t, [E, ctypes.c_char_p, c_size_t], False),
    # version.h
    "cm_version": (S, [], False),
    "cm_version_number": (c_int, [], False),
    # agreement.h: documents
    "cm_parse": (c_int, [P, S, c_size_t, S, PP, E], True),
    "cm_parse_file": (c_int, [P, S, PP, E], True),
    "cm_document_new": (c_int, [P, PP, E], True),
    "cm_document_add_text": (c_int, [P, S, c_size_t, S, E], True),
    "cm_document_add_file": (c_int, [P, S, E], True),
    "cm_document_resolve": (c_int, [P, E], True),
    "cm_document_agreement_count": (c_size_t, [P], False),
    "cm_document_agreement": (P, [P, c_size_t], False),
    "cm_document_policy_count": (c_size_t, [P], False),
    "cm_document_policy": (P, [P, c_size_t], False),
    "cm_document_find_policy": (P, [P, S], False),
    "cm_document_lookup_policy": (c_int, [P, S, PP, E], True),
    "cm_document_event_count": (c_size_t, [P], False),
    # agreement.h: agreements
    "cm_agreement_new": (c_int, [P, S, S, PP, E], True),
    "cm_agreement_set_date": (c_int, [P, T, E], True),
    "cm_agreement_add_party": (c_int, [P, S, S, c_int, c_int, E], True),
    "cm_agreement_add_signature": (c_int, [P, S, T, E], True),
    "cm_agreement_add_ratification": (c_int, [P, S, T, E], True),
    "cm_agreement_set_registered": (c_int, [P, T, E], True),
    "cm_agreement_add_requirement": (c_int, [P, S, S, E], True),
    "cm_agreement_use_policy": (c_int, [P, P, E], True),
    "cm_agreement_validate": (c_int, [P, E], True),
    "cm_agreement_id": (S, [P], False),
    "cm_agreement_title": (S, [P], False),
    "cm_agreement_date": (T, [P], False),
    "cm_agreement_file": (S, [P], False),
    "cm_agreement_line": (c_int32, [P], False),
    "cm_agreement_party_count": (c_size_t, [P], False),
    "cm_agreement_party": (P, [P, c_size_t], False),
    "cm_agreement_find_party": (P, [P, S], False),
    "cm_agreement_commitment_count": (c_size_t, [P], False),
    "cm_agreement_commitment": (P, [P, c_size_t], False),
    "cm_agreement_find_commitment": (P, [P, S], False),
    "cm_agreement_event_count": (c_size_t, [P], False),
    "cm_party_id": (S, [P], False),
    "cm_party_name": (S, [P], False),
    "cm_party_role": (c_int, [P], False),
    "cm_party_kind": (c_int, [P], False),
    # agreement.h: policies
    "cm_policy_new": (c_int, [P, S, S, PP, E], True),
    "cm_policy_add_requirement": (c_int, [P, S, S, E], True),
    "cm_policy_builtin": (c_int, [P, S, PP, E], True),
    "cm_policy_builtin_count": (c_size_t, [], False),
    "cm_policy_builtin_name": (S, [c_size_t], False),
    "cm_policy_id": (S, [P], False),
    "cm_policy_title": (S, [P], False),
    "cm_policy_requirement_count": (c_size_t, [P], False),
    # commitment.h
    "cm_agreement_add_commitment": (c_int, [P, S, S, c_int, PP, E], True),
    "cm_commitment_set_action": (c_int, [P, S, E], True),
    "cm_commitment_set_text": (c_int, [P, S, E], True),
    "cm_commitment_set_deadline": (c_int, [P, T, E], True),
    "cm_commitment_set_within": (c_int, [P, c_int64, E], True),
    "cm_commitment_add_creditor": (c_int, [P, S, E], True),
    "cm_commitment_add_condition": (c_int, [P, c_int, S, E], True),
    "cm_commitment_add_reciprocal": (c_int, [P, S, E], True),
    "cm_commitment_set_from": (c_int, [P, T, E], True),
    "cm_commitment_set_until": (c_int, [P, T, E], True),
    "cm_commitment_set_form": (c_int, [P, c_int, E], True),
    "cm_commitment_add_signature": (c_int, [P, S, T, E], True),
    "cm_commitment_add_witness": (c_int, [P, S, E], True),
    "cm_commitment_set_standing": (c_int, [P, c_int, S, E], True),
    "cm_commitment_add_reciprocal_within": (c_int, [P, S, ctypes.c_int64, E],
                                            True),
    "cm_condition_new_breached": (c_int, [P, S, ctypes.c_int64, PP, E], True),
    "cm_condition_new_breaches": (c_int, [P, S, c_int, ctypes.c_int64,
                                          ctypes.c_int64, PP, E], True),
    "cm_commitment_add_note": (c_int, [P, S, E], True),
    "cm_commitment_id": (S, [P], False),
    "cm_commitment_debtor": (S, [P], False),
    "cm_commitment_modality": (c_int, [P], False),
    "cm_commitment_declared_form": (c_int, [P], False),
    "cm_commitment_standing": (c_int, [P], False),
    "cm_commitment_is_action": (c_int, [P], False),
    "cm_commitment_action_type": (S, [P], False),
    "cm_commitment_text": (S, [P], False),
    "cm_commitment_line": (c_int32, [P], False),
    # report.h
    "cm_check": (c_int, [P, P, POINTER(c_void_p), c_size_t, PP, E], True),
    "cm_report_agreement_id": (S, [P], False),
    "cm_report_agreement_title": (S, [P], False),
    "cm_report_verdict": (c_int, [P], False),
    "cm_report_requirement_count": (c_size_t, [P], False),
    "cm_report_requirement_rule": (S, [P, c_size_t], False),
    "cm_report_requirement_selector": (S, [P, c_size_t], False),
    "cm_report_requirement_policy": (S, [P, c_size_t], False),
    "cm_report_requirement_line": (c_int32, [P, c_size_t], False),
    "cm_report_requirement_holds": (c_int, [P, c_size_t], False),
    "cm_report_failure_count": (c_size_t, [P, c_size_t], False),
    "cm_report_failure_commitment": (S, [P, c_size_t, c_size_t], False),
    "cm_report_failure_missing": (S, [P, c_size_t, c_size_t], False),
    "cm_report_failure_remedy": (S, [P, c_size_t, c_size_t], False),
    "cm_report_commitment_count": (c_size_t, [P], False),
    "cm_report_commitment_id": (S, [P, c_size_t], False),
    "cm_report_commitment_form": (c_int, [P, c_size_t], False),
    "cm_report_commitment_level": (c_int, [P, c_size_t], False),
    "cm_report_below_count": (c_size_t, [P], False),
    "cm_report_below_party": (S, [P, c_size_t], False),
    "cm_report_below_short": (c_size_t, [P, c_size_t], False),
    "cm_report_below_of": (c_size_t, [P, c_size_t], False),
    "cm_report_below_commitment": (S, [P, c_size_t, c_size_t], False),
    "cm_report_to_json": (c_int, [P, P, PP, E], True),
    "cm_report_to_text": (c_int, [P, P, PP, E], True),
    # analysis.h
    "cm_analyze": (c_int, [P, P, PP, E], True),
    "cm_analysis_to_json": (c_int, [P, P, PP, E], True),
    "cm_analysis_to_text": (c_int, [P, P, PP, E], True),
    "cm_analysis_conflict_count": (c_size_t, [P], False),
    "cm_analysis_conflict_kind": (S, [P, c_size_t], False),
    "cm_analysis_conflict_first": (S, [P, c_size_t], False),
    "cm_analysis_conflict_second": (S, [P, c_size_t], False),
    "cm_agreement_to_dot": (c_int, [P, P, POINTER(c_int32), c_size_t, S, PP,
                                    E], True),
    "cm_agreement_to_dot_ex": (c_int, [P, P, POINTER(c_int32), c_size_t, S,
                                       S, c_int32, PP, E], True),
    # format.h
    "cm_agreement_to_text": (c_int, [P, P, PP, E], True),
    "cm_document_to_text": (c_int, [P, P, PP, E], True),
    # monitor.h
    "cm_monitor_new": (c_int, [P, P, S, PP, E], True),
    "cm_monitor_view": (S, [P], False),
    "cm_monitor_set_history": (c_int, [P, c_int, E], True),
    "cm_monitor_history": (c_int, [P], False),
    "cm_monitor_add_document_events": (c_int, [P, P, E], True),
    "cm_monitor_add_events_file": (c_int, [P, S, E], True),
    "cm_monitor_add_events_text": (c_int, [P, ctypes.c_char_p, c_size_t, S,
                                           E], True),
    "cm_monitor_run": (c_int, [P, T, E], True),
    "cm_monitor_feed_text": (c_int, [P, ctypes.c_uint32, ctypes.c_char_p,
                                     c_size_t, E], True),
    "cm_monitor_advance": (c_int, [P, T, E], True),
    "cm_monitor_clock": (T, [P], False),
    "cm_monitor_last_event_time": (T, [P], False),
    "cm_monitor_snapshot": (c_int, [P, P, PP, E], True),
    "cm_snapshot_agreement_id": (S, [P], False),
    "cm_snapshot_agreement_title": (S, [P], False),
    "cm_snapshot_at": (T, [P], False),
    "cm_snapshot_view": (S, [P], False),
    "cm_snapshot_count": (c_size_t, [P], False),
    "cm_snapshot_id": (S, [P, c_size_t], False),
    "cm_snapshot_state": (c_int, [P, c_size_t], False),
    "cm_snapshot_standing": (c_int, [P, c_size_t], False),
    "cm_snapshot_modality": (c_int, [P, c_size_t], False),
    "cm_snapshot_since": (T, [P, c_size_t], False),
    "cm_snapshot_cause_reason": (c_int, [P, c_size_t], False),
    "cm_snapshot_cause_line": (c_int32, [P, c_size_t], False),
    "cm_snapshot_cause_file": (S, [P, c_size_t], False),
    "cm_snapshot_cause_commitment": (S, [P, c_size_t], False),
    "cm_snapshot_excused_count": (c_size_t, [P, c_size_t], False),
    "cm_snapshot_excused_by": (S, [P, c_size_t, c_size_t], False),
    "cm_cause_reason_name": (S, [c_int], False),
    "cm_snapshot_breach_count": (ctypes.c_uint64, [P, c_size_t], False),
    "cm_snapshot_last_breach_at": (T, [P, c_size_t], False),
    "cm_snapshot_last_breach_line": (c_int32, [P, c_size_t], False),
    "cm_snapshot_last_breach_file": (S, [P, c_size_t], False),
    "cm_snapshot_has_history": (c_int, [P], False),
    "cm_snapshot_history_count": (c_size_t, [P, c_size_t], False),
    "cm_snapshot_history_state": (c_int, [P, c_size_t, c_size_t], False),
    "cm_snapshot_history_since": (T, [P, c_size_t, c_size_t], False),
    "cm_snapshot_history_reason": (c_int, [P, c_size_t, c_size_t], False),
    "cm_snapshot_history_line": (c_int32, [P, c_size_t, c_size_t], False),
    "cm_snapshot_history_file": (S, [P, c_size_t, c_size_t], False),
    "cm_snapshot_history_commitment": (S, [P, c_size_t, c_size_t], False),
    "cm_snapshot_breach_list_count": (c_size_t, [P, c_size_t], False),
    "cm_snapshot_breach_at": (T, [P, c_size_t, c_size_t], False),
    "cm_snapshot_breach_line": (c_int32, [P, c_size_t, c_size_t], False),
    "cm_snapshot_breach_file": (S, [P, c_size_t, c_size_t], False),
    "cm_snapshot_to_json": (c_int, [P, P, PP, E], True),
    "cm_snapshot_to_text": (c_int, [P, P, PP, E], True),
    # common.h (0.1, bound in 0.2)
    "cm_context_new": (P, [], False),
    "cm_time_format": (c_int, [T, c_char_p, c_size_t], False),
    # commitment.h: condition nodes (0.1, bound in 0.2)
    "cm_commitment_add_condition_node": (c_int, [P, c_int, P, E], True),
    "cm_condition_new_const": (c_int, [P, c_int, PP, E], True),
    "cm_condition_new_action": (c_int, [P, S, c_int64, PP, E], True),
    "cm_condition_new_count": (c_int, [P, S, c_int, c_int64, c_int64, PP,
                                       E], True),
    "cm_condition_new_state": (c_int, [P, c_int, S, PP, E], True),
    "cm_condition_new_form": (c_int, [P, c_int, S, PP, E], True),
    "cm_condition_new_not": (c_int, [P, P, PP, E], True),
    "cm_condition_new_binary": (c_int, [P, c_int, P, P, PP, E], True),
    "cm_condition_type": (c_int, [P], False),
    # report.h (0.1, bound in 0.2)
    "cm_report_commitment_debtor": (S, [P, c_size_t], False),
    "cm_report_commitment_modality": (c_int, [P, c_size_t], False),
    "cm_report_commitment_standing": (c_int, [P, c_size_t], False),
    "cm_report_commitment_line": (c_int32, [P, c_size_t], False),
    "cm_report_commitment_creditor_count": (c_size_t, [P, c_size_t], False),
    "cm_report_commitment_creditor": (S, [P, c_size_t, c_size_t], False),
    # analysis.h (0.1, bound in 0.2)
    "cm_analysis_agreement_id": (S, [P], False),
    "cm_analysis_agreement_title": (S, [P], False),
    "cm_analysis_commitment_count": (c_size_t, [P], False),
    "cm_analysis_commitment_id": (S, [P, c_size_t], False),
    "cm_analysis_commitment_state": (c_int, [P, c_size_t], False),
    "cm_analysis_deadlock_count": (c_size_t, [P], False),
    "cm_analysis_cycle_count": (c_size_t, [P, c_size_t], False),
    "cm_analysis_cycle_member": (S, [P, c_size_t, c_size_t], False),
    "cm_analysis_blocked_count": (c_size_t, [P, c_size_t], False),
    "cm_analysis_blocked": (S, [P, c_size_t, c_size_t], False),
    "cm_analysis_party_count": (c_size_t, [P], False),
    "cm_analysis_party": (S, [P, c_size_t], False),
    "cm_analysis_owes_count": (c_size_t, [P, c_size_t], False),
    "cm_analysis_owes": (S, [P, c_size_t, c_size_t], False),
    "cm_analysis_holds_count": (c_size_t, [P, c_size_t], False),
    "cm_analysis_holds": (S, [P, c_size_t, c_size_t], False),
    "cm_analysis_unreciprocated_count": (c_size_t, [P, c_size_t], False),
    "cm_analysis_unreciprocated": (S, [P, c_size_t, c_size_t], False),
    # monitor.h (0.1, bound in 0.2)
    "cm_monitor_feed": (c_int, [P, ctypes.c_uint32, T, S, SS, SS, c_size_t,
                                SS, c_size_t, SS, c_size_t, SS, c_size_t,
                                E], True),
    "cm_snapshot_violated_count": (c_size_t, [P], False),
    # inspect.h (0.2): reading the model back
    "cm_commitment_to_count": (c_size_t, [P], False),
    "cm_commitment_to": (S, [P, c_size_t], False),
    "cm_commitment_creditor_count": (c_size_t, [P], False),
    "cm_commitment_creditor": (S, [P, c_size_t], False),
    "cm_commitment_deadline": (T, [P], False),
    "cm_commitment_within": (c_int64, [P], False),
    "cm_commitment_from": (T, [P], False),
    "cm_commitment_until": (T, [P], False),
    "cm_commitment_condition_count": (c_size_t, [P], False),
    "cm_commitment_condition_item": (c_int, [P, c_size_t], False),
    "cm_commitment_condition": (P, [P, c_size_t], False),
    "cm_commitment_reciprocal_count": (c_size_t, [P], False),
    "cm_commitment_reciprocal": (S, [P, c_size_t], False),
    "cm_commitment_witness_count": (c_size_t, [P], False),
    "cm_commitment_witness": (S, [P, c_size_t], False),
    "cm_commitment_signature_count": (c_size_t, [P], False),
    "cm_commitment_signature_party": (S, [P, c_size_t], False),
    "cm_commitment_signature_date": (T, [P, c_size_t], False),
    "cm_commitment_standing_party_count": (c_size_t, [P], False),
    "cm_commitment_standing_party": (S, [P, c_size_t], False),
    "cm_commitment_note_count": (c_size_t, [P], False),
    "cm_commitment_note": (S, [P, c_size_t], False),
    "cm_commitment_attr_count": (c_size_t, [P], False),
    "cm_commitment_attr_name": (S, [P, c_size_t], False),
    "cm_commitment_attr_value": (S, [P, c_size_t], False),
    "cm_commitment_content_to_text": (c_int, [P, P, PP, E], True),
    "cm_condition_child_count": (c_size_t, [P], False),
    "cm_condition_child": (P, [P, c_size_t], False),
    "cm_condition_action_type": (S, [P], False),
    "cm_condition_attr_count": (c_size_t, [P], False),
    "cm_condition_attr_name": (S, [P, c_size_t], False),
    "cm_condition_attr_value": (S, [P, c_size_t], False),
    "cm_condition_window": (c_int64, [P], False),
    "cm_condition_cmp": (c_int, [P], False),
    "cm_condition_bound": (c_int64, [P], False),
    "cm_condition_atom": (c_int, [P], False),
    "cm_condition_ref": (S, [P], False),
    "cm_condition_to_text": (c_int, [P, P, PP, E], True),
    "cm_agreement_requirement_count": (c_size_t, [P], False),
    "cm_agreement_requirement_policy": (S, [P, c_size_t], False),
    "cm_agreement_requirement_line": (c_int32, [P, c_size_t], False),
    "cm_agreement_requirement_to_text": (c_int, [P, P, c_size_t, PP, E],
                                         True),
    "cm_agreement_signature_count": (c_size_t, [P], False),
    "cm_agreement_signature_party": (S, [P, c_size_t], False),
    "cm_agreement_signature_date": (T, [P, c_size_t], False),
    "cm_agreement_ratification_count": (c_size_t, [P], False),
    "cm_agreement_ratification_party": (S, [P, c_size_t], False),
    "cm_agreement_ratification_date": (T, [P, c_size_t], False),
    "cm_agreement_registered": (c_int, [P], False),
    "cm_agreement_registered_on": (T, [P], False),
    # columns.h (0.2): whole columns in one call
    "cm_report_commitment_ints": (c_size_t, [P, c_int, POINTER(c_int64),
                                             c_size_t], False),
    "cm_report_commitment_strings": (c_size_t, [P, c_int, SS, c_size_t],
                                     False),
    "cm_report_failure_strings": (c_size_t, [P, c_size_t, c_int, SS,
                                             c_size_t], False),
    "cm_snapshot_ints": (c_size_t, [P, c_int, POINTER(c_int64), c_size_t],
                         False),
    "cm_snapshot_strings": (c_size_t, [P, c_int, SS, c_size_t], False),
    # import.h
    "cm_import_format_name": (S, [c_int], False),
    "cm_mapping_parse": (c_int, [P, ctypes.c_char_p, c_size_t, S, PP, E],
                         True),
    "cm_mapping_parse_file": (c_int, [P, S, PP, E], True),
    "cm_document_mapping_count": (c_size_t, [P], False),
    "cm_document_mapping": (P, [P, c_size_t], False),
    "cm_mapping_id": (S, [P], False),
    "cm_mapping_format": (c_int, [P], False),
    "cm_import_new": (c_int, [P, P, PP, E], True),
    "cm_import_add_file": (c_int, [P, S, E], True),
    "cm_import_add_memory": (c_int, [P, ctypes.c_char_p, c_size_t, S, E],
                             True),
    "cm_import_set_strict": (c_int, [P, c_int], False),
    "cm_import_next": (c_int, [P, E], True),
    "cm_import_event_time": (T, [P], False),
    "cm_import_event_type": (S, [P], False),
    "cm_import_event_attr_count": (c_size_t, [P], False),
    "cm_import_event_attr_name": (S, [P, c_size_t], False),
    "cm_import_event_attr_value": (S, [P, c_size_t], False),
    "cm_import_event_reported_count": (c_size_t, [P], False),
    "cm_import_event_reported": (S, [P, c_size_t], False),
    "cm_import_event_verified_count": (c_size_t, [P], False),
    "cm_import_event_verified": (S, [P, c_size_t], False),
    "cm_import_event_file": (S, [P], False),
    "cm_import_event_line": (c_int64, [P], False),
    "cm_import_event_text": (S, [P], False),
    "cm_import_count": (ctypes.c_uint64, [P, c_int], False),
    "cm_import_first_skip": (c_int, [P, E], False),
    "cm_monitor_add_import": (c_int, [P, P, E], True),
}

# Exported C functions the binding deliberately does not bind, and why
# (python/tests/test_table.py fails on any other unbound export).
UNBOUND: dict = {
    "cm_document_event": "returns a cm_event, which has no getters in the "
                         "C API; Document.event_count counts them",
    "cm_agreement_event": "returns a cm_event, which has no getters in the "
                          "C API; Agreement.event_count counts them",
}

# Functions a library built from older branches may lack; the binding
# raises NotImplementedError when one of them is called and is missing.
_OPTIONAL: set = set()


def _errcheck(result: int, func: Any, args: tuple) -> int:
    """Turn a negative status into Error, using the cm_error passed last."""
    if result < 0:
        err = args[-1]
        if isinstance(err, CmError):
            raise Error._from_struct(result, err)
        raise Error(result, pystr(lib().cm_strerror(result)) or "error")
    return result


class _Missing:
    """Stands for a C function the loaded library does not export."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, *args: Any) -> Any:
        raise NotImplementedError(
            "the loaded libcommitments has no %s (built without that module?)"
            % self.name)


class _Lib:
    """The loaded library with every function of the table bound."""

    def __init__(self, cdll: ctypes.CDLL, path: str) -> None:
        self._cdll = cdll
        self.path = path
        self.missing = []
        for name, (restype, argtypes, status) in _TABLE.items():
            try:
                fn = getattr(cdll, name)
            except AttributeError:
                if name not in _OPTIONAL:
                    raise LibraryNotFoundError(
                        "%s does not export %s: not a compatible "
                        "libcommitments" % (path, name)) from None
                self.missing.append(name)
                setattr(self, name, _Missing(name))
                continue
            fn.restype = restype
            fn.argtypes = argtypes
            if status:
                fn.errcheck = _errcheck
            setattr(self, name, fn)


_lock = threading.Lock()
_loaded: Optional[_Lib] = None


def candidates() -> list:
    """Where the library is looked for, in order, after
    ``COMMITMENTS_LIBRARY``: the path ``meson install`` wrote into
    ``commitments/_config.py``, the soname (the dynamic loader's search
    path), ``ctypes.util.find_library``, then the usual install
    directories of a prefix (this Python's, /usr/local, /usr)."""
    out = []
    try:
        from . import _config
        if getattr(_config, "LIBRARY", None):
            out.append(_config.LIBRARY)
    except ImportError:  # pragma: no cover - the file ships with the package
        pass
    out.append(SONAME)
    found = ctypes.util.find_library("commitments")
    if found:
        out.append(found)
    import sysconfig
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    for prefix in (sys.prefix, "/usr/local", "/usr"):
        for sub in ("lib/" + multiarch if multiarch else None, "lib",
                    "lib64"):
            if sub:
                out.append(os.path.join(prefix, sub, SONAME))
    seen, uniq = set(), []
    for c in out:
        if c not in seen:
            seen.add(c)
            uniq.append(c)
    return uniq


def _find() -> tuple:
    env = os.environ.get("COMMITMENTS_LIBRARY")
    if env:
        if not os.path.exists(env):
            raise LibraryNotFoundError(
                "COMMITMENTS_LIBRARY=%s: no such file" % env)
        try:
            return ctypes.CDLL(env), env
        except OSError as e:
            raise LibraryNotFoundError(
                "COMMITMENTS_LIBRARY=%s: cannot load: %s" % (env, e)) from e
    for name in candidates():
        if os.sep in name and not os.path.exists(name):
            continue
        try:
            return ctypes.CDLL(name), name
        except OSError:
            pass
    raise LibraryNotFoundError(
        "libcommitments not found: set COMMITMENTS_LIBRARY to the path of "
        "libcommitments.so, or install the library (%s)" % SONAME)


def lib() -> _Lib:
    """The loaded library (loaded on first call)."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                cdll, path = _find()
                _loaded = _Lib(cdll, path)
    return _loaded


def has(name: str) -> bool:
    """Does the loaded library export C function ``name``?"""
    return not isinstance(getattr(lib(), name), _Missing)


def call(name: str, *args: Any) -> int:
    """Call a status-returning function with a fresh cm_error appended."""
    err = CmError()
    return getattr(lib(), name)(*args, err)


def take_string(ptr: Optional[int]) -> str:
    """Read a library-allocated NUL-terminated string and free it."""
    if not ptr:
        return ""
    try:
        return ctypes.string_at(ptr).decode("utf-8", "replace")
    finally:
        lib().cm_free(ptr)


def new_out() -> c_void_p:
    """A fresh out-parameter for a handle."""
    return c_void_p()
