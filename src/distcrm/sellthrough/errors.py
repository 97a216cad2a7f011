"""The exception raised when a sell-through call or input is malformed.

Impossible *data* (sales beyond stock, negative balances) is never raised:
it is returned as :class:`~distcrm.findings.Finding` records. This error is
for wrong calls: a window of zero days, a float where units are expected.

Examples:
    >>> from distcrm.errors import ValidationError
    >>> issubclass(SellThroughError, ValidationError)
    True
"""

from __future__ import annotations

from distcrm.errors import ValidationError

__all__ = ["SellThroughError"]


class SellThroughError(ValidationError):
    """A stock, velocity or sell-through input is invalid."""
