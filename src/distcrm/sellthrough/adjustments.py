"""Stock adjustments: goods written off (damage, expiry) and count corrections.

Documents move goods between parties; a *stock adjustment* records a change
to one distributor's stock that no document carries. Three reasons:

* ``damage`` and ``expiry``: ``qty`` units (> 0) written off; they leave the
  godown and count as *damages* in a stock position;
* ``count``: a physical-count correction; ``qty`` is the signed change
  (+3 = three units found, -3 = three units missing) and counts as
  *adjustments*.

Damaged goods sent back to the supplier are a primary ``return`` document
(*returns out*), not an adjustment.

Examples:
    >>> from datetime import date
    >>> a = StockAdjustment("ADJ-1", "D1", "SKU1", date(2025, 6, 3), 4, "damage")
    >>> a.stock_change
    -4
    >>> StockAdjustment("ADJ-2", "D1", "SKU1", date(2025, 6, 3), -2, "count").stock_change
    -2
    >>> StockAdjustment("ADJ-3", "D1", "SKU1", date(2025, 6, 3), -2, "damage")
    Traceback (most recent call last):
    ...
    distcrm.sellthrough.errors.SellThroughError: stock adjustment 'ADJ-3'.qty: units written off for damage must be > 0, got -2
"""

from __future__ import annotations

from datetime import date
from typing import Literal, TypeAlias

import attrs

from distcrm.catalog import SkuId, as_sku_id
from distcrm.parties import AccountId, as_account_id
from distcrm.sellthrough.errors import SellThroughError

__all__ = ["ADJUSTMENT_REASONS", "AdjustmentReason", "StockAdjustment"]

AdjustmentReason: TypeAlias = Literal["damage", "expiry", "count"]
ADJUSTMENT_REASONS: tuple[AdjustmentReason, ...] = ("damage", "expiry", "count")


@attrs.frozen
class StockAdjustment:
    """A change to a distributor's stock that no document carries.

    Attributes:
        id: the adjustment's reference (a damage report, a count sheet line).
        account: the distributor whose stock changes.
        sku: the product.
        adjusted_on: the day the change takes effect.
        qty: for ``damage`` / ``expiry``, units written off (> 0); for
            ``count``, the signed correction (non-zero).
        reason: ``damage``, ``expiry`` or ``count``.
        note: free text.
    """

    id: str
    account: AccountId = attrs.field(converter=as_account_id)
    sku: SkuId = attrs.field(converter=as_sku_id)
    adjusted_on: date
    qty: int
    reason: AdjustmentReason
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        where = f"stock adjustment {self.id!r}"
        if self.reason not in ADJUSTMENT_REASONS:
            raise SellThroughError(
                f"{where}.reason: {self.reason!r} is not one of {', '.join(ADJUSTMENT_REASONS)}"
            )
        if not isinstance(self.adjusted_on, date):
            raise SellThroughError(f"{where}.adjusted_on: expected a date")
        if not isinstance(self.qty, int) or isinstance(self.qty, bool):
            raise SellThroughError(f"{where}.qty: expected an int, got {self.qty!r}")
        if self.reason == "count":
            if self.qty == 0:
                raise SellThroughError(f"{where}.qty: a count correction must not be 0")
        elif self.qty <= 0:
            raise SellThroughError(
                f"{where}.qty: units written off for {self.reason} must be > 0, got {self.qty}"
            )

    @property
    def written_off(self) -> bool:
        """True for damage and expiry write-offs."""
        return self.reason != "count"

    @property
    def stock_change(self) -> int:
        """The signed change to stock: ``-qty`` for write-offs, ``qty`` for counts."""
        return -self.qty if self.written_off else self.qty
