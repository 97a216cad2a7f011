"""Errors raised by :mod:`distcrm.territory` for bad definitions and wrong calls.

Every class derives from :class:`distcrm.errors.TerritoryError` (itself a
:class:`~distcrm.errors.ValidationError`), so callers may catch the family or
one precise kind. Messages name the territory, rep, beat, outlet or date.

Examples:
    >>> err = AssignmentConflict("account 'R1': assigned to 'REP1' and 'REP2' on 2025-06-02")
    >>> isinstance(err, TerritoryError), str(err)
    (True, "account 'R1': assigned to 'REP1' and 'REP2' on 2025-06-02")
"""

from __future__ import annotations

from distcrm.errors import TerritoryError

__all__ = [
    "AssignmentConflict",
    "BeatError",
    "CadenceError",
    "MissingCoordinates",
    "ReassignmentError",
    "TerritoryError",
    "TerritoryTreeError",
]


class TerritoryTreeError(TerritoryError):
    """The territory tree or an account placement is invalid (unknown parent, bad level...)."""


class AssignmentConflict(TerritoryError):
    """Two assignments overlap where only one is allowed (one account, two reps)."""


class ReassignmentError(TerritoryError):
    """A reassignment call is malformed (no successor, successor is the leaving rep...)."""


class BeatError(TerritoryError):
    """A beat definition is invalid (no weekday, an outlet listed twice...)."""


class CadenceError(TerritoryError):
    """A cadence cannot fit the beat's days or the calendar's working days."""


class MissingCoordinates(TerritoryError):
    """Beat building was given outlets without latitude and longitude."""
