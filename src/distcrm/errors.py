"""One exception hierarchy for every misuse of distcrm.

Business findings (a claim above entitlement, an unvisited outlet) are *data*:
:class:`distcrm.findings.Finding`. Exceptions are for bad definitions and wrong
calls, and every one of them derives from :class:`DistcrmError` and names the
offending object and field.

Examples:
    >>> err = ValidationError([Problem("$.slabs[2].min_qty", "must be >= 0")])
    >>> print(err)
    $.slabs[2].min_qty: must be >= 0
    >>> isinstance(err, DistcrmError) and isinstance(err, ValueError)
    True
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = [
    "AccessDenied",
    "ClaimError",
    "ConcurrencyError",
    "CurrencyMismatch",
    "DistcrmError",
    "DuplicateError",
    "HierarchyError",
    "InvalidTransition",
    "MoneyError",
    "NotFound",
    "PartnerError",
    "PeriodError",
    "PricingError",
    "Problem",
    "SchemeError",
    "StructureError",
    "TerritoryError",
    "ValidationError",
]


@attrs.frozen
class Problem:
    """One problem found in an input, located by a JSON-path-like ``path``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class DistcrmError(Exception):
    """Base class of every exception raised by distcrm."""


class ValidationError(DistcrmError, ValueError):
    """An input (entity, definition, argument) is invalid.

    Carries every :class:`Problem` found, not just the first, so a user can
    fix a definition in one pass.
    """

    def __init__(self, problems: Iterable[Problem] | str, *, path: str = "") -> None:
        if isinstance(problems, str):
            problems = [Problem(path, problems)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class StructureError(ValidationError):
    """Raw data (dicts, JSON, TOML) could not be turned into entities."""


class MoneyError(ValidationError):
    """A monetary amount is malformed: a float, a bad currency, a bad rounding mode."""


class CurrencyMismatch(MoneyError):
    """Two amounts in different currencies were combined."""


class PeriodError(ValidationError):
    """A validity interval or period is malformed."""


class NotFound(DistcrmError, LookupError):
    """An entity asked for by id does not exist."""


class DuplicateError(DistcrmError, ValueError):
    """An entity with the same id already exists where ids must be unique."""


class ConcurrencyError(DistcrmError):
    """A save was made against a stale version (optimistic concurrency)."""


class AccessDenied(DistcrmError, PermissionError):
    """A scoped view was asked to read or write outside the viewer's scope."""


class HierarchyError(ValidationError):
    """The channel graph or a change to it is invalid."""


class PricingError(ValidationError):
    """A price list, price chain or pricing call is invalid."""


class SchemeError(ValidationError):
    """A scheme definition or scheme evaluation call is invalid."""


class ClaimError(ValidationError):
    """A claim call is malformed (as opposed to a claim *finding*)."""


class InvalidTransition(ValidationError):
    """A lifecycle transition not allowed from the current state (claims, registrations)."""


class TerritoryError(ValidationError):
    """A territory, assignment, beat or journey-plan input is invalid."""


class PartnerError(ValidationError):
    """A partner-program input (registration, commission rule) is invalid."""
