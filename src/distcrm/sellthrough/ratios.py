"""Sell-through ratio per distributor, SKU and period.

For a period ``[start, end)``:

``sell-through = sales ÷ (opening + receipts)``

* ``opening``: the holder's closing stock on the day before ``start``, from
  every document before the period (plus the caller's opening stock);
* ``receipts``: units received on primary invoices in the period;
* ``sales``: units sold on secondary invoices in the period.

All in base units, free goods included. Returns, write-offs and count
corrections do not enter the ratio (they are in the stock positions). The
ratio is a fraction (0.75 = 75 % of the goods available sold through), 4
places half-up; ``None`` when ``opening + receipts`` is 0 or less. A ratio
above 1 means more was sold than was available and comes with a stock finding.

Rows can be per ``(holder, sku)`` (``by="account_sku"``), per holder over all
SKUs (``by="account"``) or per SKU over all holders (``by="sku"``); grouped
rows add numerators and denominators before dividing.

Examples:
    >>> from datetime import date
    >>> from distcrm.documents import Document, Line
    >>> from distcrm.money import Money
    >>> from distcrm.periods import Period
    >>> p = Money.of("10.00", "INR")
    >>> def doc(n, level, seller, buyer, day, sku, qty):
    ...     return Document(n, "invoice", level, seller=seller, buyer=buyer,
    ...                     issued_on=day, currency="INR", lines=[Line(sku, qty, p)])
    >>> docs = [doc("P-1", "primary", "SS1", "D1", date(2025, 5, 20), "SKU1", 40),
    ...         doc("S-1", "secondary", "D1", "R1", date(2025, 5, 25), "SKU1", 10),
    ...         doc("P-2", "primary", "SS1", "D1", date(2025, 6, 2), "SKU1", 50),
    ...         doc("S-2", "secondary", "D1", "R1", date(2025, 6, 9), "SKU1", 48)]
    >>> june = Period.containing(date(2025, 6, 1), "month")
    >>> row = sell_through(docs, june).rows[0]
    >>> row.opening, row.receipts, row.sales, row.ratio   # 48 / (30 + 50)
    (30, 50, 48, Decimal('0.6000'))
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, TypeAlias

import attrs

from distcrm.documents import Document
from distcrm.findings import Finding
from distcrm.periods import Period, Validity
from distcrm.sellthrough.adjustments import StockAdjustment
from distcrm.sellthrough.errors import SellThroughError
from distcrm.sellthrough.movements import StockKey
from distcrm.sellthrough.positions import stock_positions

__all__ = ["Grouping", "SellThrough", "SellThroughReport", "sell_through"]

Grouping: TypeAlias = Literal["account_sku", "account", "sku"]
_RATIO = Decimal("0.0001")


@attrs.frozen
class SellThrough:
    """The sell-through of one holder / SKU / pair over ``[start, end)``.

    Attributes:
        account: the holder, or ``None`` when grouped by SKU over all holders.
        sku: the SKU, or ``None`` when grouped by holder over all SKUs.
        start: first day of the period.
        end: first day after the period.
        opening: stock at the start of the period.
        receipts: primary receipts in the period.
        sales: secondary sales in the period.
        ratio: ``sales / (opening + receipts)`` to 4 places, ``None`` when the
            denominator is not positive.
    """

    account: str | None
    sku: str | None
    start: date
    end: date
    opening: int
    receipts: int
    sales: int
    ratio: Decimal | None

    @property
    def available(self) -> int:
        """``opening + receipts``: what could have been sold."""
        return self.opening + self.receipts


@attrs.frozen
class SellThroughReport:
    """Sell-through rows for one period, with the stock findings met on the way."""

    start: date
    end: date
    by: Grouping
    rows: tuple[SellThrough, ...]
    findings: tuple[Finding, ...] = ()

    def __iter__(self) -> Iterator[SellThrough]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _ratio(sales: int, available: int) -> Decimal | None:
    if available <= 0:
        return None
    return (Decimal(sales) / available).quantize(_RATIO, ROUND_HALF_UP)


def sell_through(
    documents: Iterable[Document],
    period: Period | Validity,
    *,
    by: Grouping = "account_sku",
    opening: Mapping[StockKey, int] | None = None,
    adjustments: Iterable[StockAdjustment] = (),
    accounts: Collection[str] | None = None,
) -> SellThroughReport:
    """Sell-through ratios for ``period``.

    Args:
        documents: the history up to the end of the period (earlier documents
            make the opening stock; later ones are ignored).
        period: a :class:`Period` or a closed :class:`Validity`.
        by: ``"account_sku"``, ``"account"`` or ``"sku"``.
        opening: stock before the first document, per ``(holder, sku)``.
        adjustments: write-offs and count corrections (they change the opening).
        accounts: holders to keep; ``None`` for all.

    Returns:
        A :class:`SellThroughReport`; rows sorted by key. Keys with no stock
        and no movement in the period are left out.

    Raises:
        SellThroughError: an open-ended validity or an unknown grouping.
    """
    if by not in ("account_sku", "account", "sku"):
        raise SellThroughError(f"sell_through.by: {by!r} is not account_sku, account or sku")
    start = period.start
    end = period.end
    if end is None:
        raise SellThroughError("sell_through.period: the period must have an end")
    docs = list(documents)
    adjs = tuple(adjustments)
    before = stock_positions(
        docs,
        on=start - timedelta(days=1),
        opening=opening,
        adjustments=adjs,
        accounts=accounts,
    )
    during = stock_positions(
        docs,
        on=end - timedelta(days=1),
        start=start,
        opening=before.closing,
        adjustments=adjs,
        accounts=accounts,
    )
    receipts = during.totals("receipts")
    sales = during.totals("sales")
    opened = before.closing
    totals: dict[tuple[str | None, str | None], list[int]] = {}
    for key in during.closing:
        open_qty = opened.get(key, 0)
        got = receipts.get(key, 0)
        sold = sales.get(key, 0)
        if not (open_qty or got or sold):
            continue
        account, sku = key
        group: tuple[str | None, str | None]
        if by == "account_sku":
            group = (account, sku)
        elif by == "account":
            group = (account, None)
        else:
            group = (None, sku)
        acc = totals.setdefault(group, [0, 0, 0])
        acc[0] += open_qty
        acc[1] += got
        acc[2] += sold
    rows = tuple(
        SellThrough(
            account,
            sku,
            start,
            end,
            o,
            r,
            s,
            _ratio(s, o + r),
        )
        for (account, sku), (o, r, s) in sorted(
            totals.items(), key=lambda kv: (kv[0][0] or "", kv[0][1] or "")
        )
    )
    # A negative stock carried into the period was already reported by ``before``.
    carried = tuple(f for f in during.findings if f.code != "negative_opening_stock")
    return SellThroughReport(start, end, by, rows, before.findings + carried)
