"""The exception raised when a target, incentive plan or KPI call is malformed.

Examples:
    >>> from distcrm.errors import ValidationError
    >>> issubclass(PerformanceError, ValidationError)
    True
"""

from __future__ import annotations

from distcrm.errors import ValidationError

__all__ = ["PerformanceError"]


class PerformanceError(ValidationError):
    """A target, incentive plan or KPI input is invalid."""
