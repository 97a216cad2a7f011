"""Which documents move a distributor's stock, and the position they add up to.

Stock is kept per *holder* (the distributor, or any account that sells to
retailers) and SKU, in base units. Four document flows move it:

========================  ==================================  ===============
document                  holder                              flow
========================  ==================================  ===============
primary ``invoice``       the buyer                           ``receipts`` (+)
secondary ``invoice``     the seller                          ``sales`` (−)
secondary ``return``      the seller (goods come back to it)  ``returns_in`` (+)
primary ``return``        the buyer (it sends goods back)     ``returns_out`` (−)
========================  ==================================  ===============

Every flow counts ``qty + free_qty``: free goods physically arrive and leave
the godown like billed goods. Orders, debit notes and credit notes move no
goods. Write-offs and count corrections come from
:class:`~distcrm.sellthrough.adjustments.StockAdjustment` records.

The stock of the seller of a *primary* invoice (principal, super-stockist) is
not kept: the principal's stock is not a distributor's concern. A
super-stockist that buys on primary invoices therefore shows up as a holder
with receipts only (its own sales to distributors are primary invoices, not
sales here); pass ``accounts=`` with the distributors' ids to keep only them.

Examples:
    >>> from datetime import date
    >>> from distcrm.documents import Document
    >>> d = Document("R-1", "return", "secondary", seller="D1", buyer="R7",
    ...              issued_on=date(2025, 6, 3), currency="INR")
    >>> stock_flow(d)
    ('D1', 'returns_in')
    >>> p = StockPosition("D1", "SKU1", date(2025, 6, 30), opening=10, receipts=48,
    ...                   sales=30, returns_in=2, returns_out=1, damages=3, adjustments=-1)
    >>> p.closing        # 10 + 48 - 30 + 2 - 1 - 3 - 1
    25
"""

from __future__ import annotations

from datetime import date
from typing import TypeAlias

import attrs

from distcrm.catalog import SkuId, as_sku_id
from distcrm.documents import FLOWS, Flow, stock_flow
from distcrm.parties import AccountId, as_account_id

__all__ = [
    "FLOWS",
    "Flow",
    "StockKey",
    "StockPosition",
    "stock_flow",
]

StockKey: TypeAlias = tuple[str, str]
"""``(holder account id, sku)``."""


@attrs.frozen
class StockPosition:
    """One holder's stock of one SKU at the end of ``on``, with the movements behind it.

    ``closing = opening + receipts − sales + returns_in − returns_out − damages + adjustments``.
    Nothing is clipped: impossible data shows as a negative ``closing`` (and as a
    finding in the report that produced the position).

    Attributes:
        account: the holder (distributor).
        sku: the product.
        on: the position is at the end of this day.
        opening: stock before the first movement counted.
        receipts: units received on primary invoices (free goods included).
        sales: units sold on secondary invoices (free goods included).
        returns_in: units returned by retailers.
        returns_out: units sent back to the supplier.
        damages: units written off for damage or expiry.
        adjustments: net count corrections (signed).
    """

    account: AccountId = attrs.field(converter=as_account_id)
    sku: SkuId = attrs.field(converter=as_sku_id)
    on: date
    opening: int = 0
    receipts: int = 0
    sales: int = 0
    returns_in: int = 0
    returns_out: int = 0
    damages: int = 0
    adjustments: int = 0

    @property
    def closing(self) -> int:
        """Stock at the end of ``on``."""
        return (
            self.opening
            + self.receipts
            - self.sales
            + self.returns_in
            - self.returns_out
            - self.damages
            + self.adjustments
        )

    @property
    def inflow(self) -> int:
        """Units that came in: receipts plus returns from retailers."""
        return self.receipts + self.returns_in

    @property
    def outflow(self) -> int:
        """Units that left: sales, returns to the supplier and write-offs."""
        return self.sales + self.returns_out + self.damages
