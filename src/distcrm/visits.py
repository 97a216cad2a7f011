"""Field visits: a rep calling on an outlet or distributor on a day.

Visits are the raw facts behind coverage, compliance and field-sales KPIs in
:mod:`distcrm.territory`.

Examples:
    >>> from datetime import date
    >>> v = Visit("V1", rep="REP1", account="R1", visited_on=date(2025, 6, 2),
    ...           order_id="SO-1", beat="B1")
    >>> v.productive
    True
"""

from __future__ import annotations

from datetime import date
from typing import NewType

import attrs

from distcrm.errors import ValidationError
from distcrm.parties import AccountId, as_account_id

__all__ = ["RepId", "Visit", "VisitId", "as_rep_id"]

VisitId = NewType("VisitId", str)
RepId = NewType("RepId", str)


def as_rep_id(value: str) -> RepId:
    """Convert a plain string to a :data:`RepId` (used as an attrs converter)."""
    return RepId(value)


def _as_visit_id(value: str) -> VisitId:
    return VisitId(value)


@attrs.frozen
class Visit:
    """A rep's call on an account.

    Attributes:
        id: visit id.
        rep: the sales rep.
        account: the outlet or distributor visited.
        visited_on: the day of the visit.
        beat: the beat the visit was made on, when it was planned.
        order_id: the order booked during the visit (a *productive* call), if any.
        note: free text (shop closed, owner absent...).
    """

    id: VisitId = attrs.field(converter=_as_visit_id)
    rep: RepId = attrs.field(converter=as_rep_id)
    account: AccountId = attrs.field(converter=as_account_id)
    visited_on: date
    beat: str | None = None
    order_id: str | None = None
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValidationError("visit.id: must be a non-empty string")
        if not isinstance(self.visited_on, date):
            raise ValidationError(f"visit {self.id!r}.visited_on: expected a date")

    @property
    def productive(self) -> bool:
        """True when an order was booked during the visit."""
        return self.order_id is not None
