"""Secondary vs primary: how much of what a distributor buys it sells on, per period.

Per distributor and period ``[start, end)``:

* ``primary_units`` / ``primary_value``: primary invoices where it is the
  buyer, less primary returns where it is the buyer;
* ``secondary_units`` / ``secondary_value``: secondary invoices where it is
  the seller, less secondary returns where it is the seller (goods coming back);
* ``units_ratio = secondary_units ÷ primary_units`` and ``value_ratio =
  secondary_value ÷ primary_value``, 4 places half-up, ``None`` when the
  primary figure is not positive.

Units include free goods (they move like billed goods); value is the taxable
value (after discounts, before tax). A value ratio above the units ratio is
normal: secondary prices carry the distributor's margin. A units ratio well
above 1 for long means the distributor sells goods it did not buy from the
principal (or primary data is missing); well below 1, stock is piling up.

Examples:
    >>> from datetime import date
    >>> from distcrm.documents import Document, Line
    >>> from distcrm.money import Money
    >>> from distcrm.periods import Period
    >>> def inv(n, level, seller, buyer, qty, price):
    ...     return Document(n, "invoice", level, seller=seller, buyer=buyer,
    ...                     issued_on=date(2025, 6, 5), currency="INR",
    ...                     lines=[Line("A", qty, Money.of(price, "INR"))])
    >>> docs = [inv("P-1", "primary", "SS1", "D1", 100, "9.00"),
    ...         inv("S-1", "secondary", "D1", "R1", 80, "10.00")]
    >>> row = secondary_vs_primary(docs, Period.containing(date(2025, 6, 1), "month"))[0]
    >>> row.units_ratio, row.value_ratio          # 80 / 100; 800 / 900
    (Decimal('0.8000'), Decimal('0.8889'))
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import attrs

from distcrm.documents import Document
from distcrm.money import Money
from distcrm.performance.errors import PerformanceError
from distcrm.periods import Period, Validity

__all__ = ["ChannelRatio", "secondary_vs_primary"]

_RATIO = Decimal("0.0001")


@attrs.frozen
class ChannelRatio:
    """Secondary vs primary flow of one distributor over ``[start, end)``."""

    account: str
    start: date
    end: date
    primary_units: int
    secondary_units: int
    primary_value: Money
    secondary_value: Money
    units_ratio: Decimal | None
    value_ratio: Decimal | None


def _ratio(top: Decimal | int, bottom: Decimal | int) -> Decimal | None:
    if bottom <= 0:
        return None
    return (Decimal(top) / Decimal(bottom)).quantize(_RATIO, ROUND_HALF_UP)


def secondary_vs_primary(
    documents: Iterable[Document],
    period: Period | Validity,
    *,
    accounts: Collection[str] | None = None,
) -> tuple[ChannelRatio, ...]:
    """One :class:`ChannelRatio` per distributor with primary or secondary flow in ``period``.

    Args:
        documents: invoices and returns (other kinds are ignored).
        period: a :class:`Period` or a closed :class:`Validity`.
        accounts: distributors to keep; ``None`` keeps every account that
            bought on a primary invoice or sold on a secondary one.

    Raises:
        PerformanceError: an open-ended period, or one distributor trading in
            two currencies.
    """
    start, end = period.start, period.end
    if end is None:
        raise PerformanceError("secondary_vs_primary.period: the period must have an end")
    keep = None if accounts is None else frozenset(accounts)
    units: dict[tuple[str, str], int] = {}
    value: dict[tuple[str, str], Money] = {}
    for doc in documents:
        if doc.kind not in ("invoice", "return") or not start <= doc.issued_on < end:
            continue
        account: str
        if doc.level == "primary":
            account, side = doc.buyer, "primary"
        else:
            account, side = doc.seller, "secondary"
        if keep is not None and account not in keep:
            continue
        key = (account, side)
        sign = doc.sign
        qty = sum(line.qty + line.free_qty for line in doc.lines)
        units[key] = units.get(key, 0) + sign * qty
        before = value.get(key)
        amount = doc.taxable * sign
        if before is not None and before.currency != amount.currency:
            raise PerformanceError(
                f"document {doc.id!r}.currency: {account} trades in {before.currency} "
                f"and {amount.currency} in the same period"
            )
        value[key] = amount if before is None else before + amount
    rows: list[ChannelRatio] = []
    for account in sorted({a for a, _ in units}):
        pu = units.get((account, "primary"), 0)
        su = units.get((account, "secondary"), 0)
        currency = (value.get((account, "primary")) or value[(account, "secondary")]).currency
        pv = value.get((account, "primary"), Money.zero(currency))
        sv = value.get((account, "secondary"), Money.zero(currency))
        if pv.currency != sv.currency:
            raise PerformanceError(
                f"secondary_vs_primary: {account} buys in {pv.currency} and sells in {sv.currency}"
            )
        rows.append(
            ChannelRatio(
                account, start, end, pu, su, pv, sv, _ratio(su, pu), _ratio(sv.amount, pv.amount)
            )
        )
    return tuple(rows)
