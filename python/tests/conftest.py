"""Shared fixtures for the binding's tests.

The tests run against whatever library COMMITMENTS_LIBRARY names (the
meson test sets it to the build's libcommitments.so); nothing here depends
on a particular build type, so the same suite runs under ASan.
"""

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import commitments  # noqa: E402

# SPEC §7, verbatim.
ISTANBUL = """\
# Security talks, round 3, as reported by one side after the collapse.
agreement istanbul_round3 "Security understanding, Istanbul round" {
  date 2025-11-07
  party    PK  "Pakistan"                      state
  party    AF  "Afghan Taliban administration" authority
  mediator TR  "Türkiye"                       state
  mediator QA  "Qatar"                         state
  actor    TTP "Tehreek-e-Taliban Pakistan"    armed-group

  use written-only                  # "no place for verbal guarantees"

  commitment no_safe_haven {
    AF must prevent attack(from: AF, on: PK)
    verbal                          # agreed verbally, refused in writing
    witnessed by TR, QA
  }
  commitment ceasefire {
    PK must not strike(on: AF)
    unless attack(from: AF, on: PK) within 30d
    reciprocal no_safe_haven
    verbal
  }
  commitment defensive_action {
    PK may strike(in: AF, against: TTP)
    if violated(no_safe_haven)
    claimed                         # asserted by PK; AF never accepted it
    verbal
  }
}
"""

# A contested timeline: PK reports an attack AF denies; PK strikes back.
TIMELINE = [
    '2025-11-20 attack(by: TTP, from: AF, on: PK) reported by PK denied by AF',
    '2025-11-22 strike(by: PK, on: AF, in: AF, against: TTP)',
]


@pytest.fixture
def istanbul_text():
    return ISTANBUL


@pytest.fixture
def istanbul():
    [a] = commitments.parse(ISTANBUL, "istanbul.cmt")
    return a


@pytest.fixture
def istanbul_file(tmp_path):
    p = tmp_path / "istanbul.cmt"
    p.write_text(ISTANBUL, encoding="utf-8")
    return p


@pytest.fixture
def timeline():
    return list(TIMELINE)


def build_simple():
    """A small agreement built in code: two states, one signed treaty."""
    a = commitments.Agreement("t", "Test treaty", date="2025-01-01")
    a.add_party("A", "Aland", "state")
    a.add_party("B", "Bland", "state")
    a.add_party("M", "Mediator", "state", role="mediator")
    a.sign("A", "2025-01-02").sign("B")
    a.add_commitment("a_pays", "A", "must", "pay(to: B)", by="2025-03-01")
    a.add_commitment("b_quiet", "B", "must-not", "strike(on: A)")
    return a


@pytest.fixture
def simple():
    return build_simple()
