"""Fill rate and order-to-invoice time: how completely and how fast orders are served.

Orders are ``order`` documents; an invoice serves an order when its
``reference`` is the order's id, it has the same seller, buyer and level, and
it is issued on or after the order and no later than ``on``. Per order and SKU
(an order *line* is a distinct SKU ordered in a positive quantity; repeated
SKUs are added up):

* ``ordered``: units ordered; ``invoiced``: billed units (``qty``, free goods
  excluded: they are not what was ordered) over the serving invoices;
  ``filled = min(invoiced, ordered)``;
* **line fill rate** = SKUs filled in full ÷ SKUs ordered;
* **unit fill rate** = units filled ÷ units ordered;
* **value fill rate** = value filled ÷ value ordered, both at the *order's*
  prices (gross, before discounts): a SKU filled by a fraction contributes
  that fraction of its ordered value;
* **order-to-invoice days**: from the order date to the first serving
  invoice; **days to complete**: to the invoice that completed the last line
  (``None`` while the order is not complete on ``on``).

Rates are percentages, half-up to 2 places; averages of days to 2 places.
Data that cannot be right is a finding, and does not count: an invoice dated
before its order (``invoiced_before_order``), an invoice whose parties differ
from its order's (``invoice_parties_differ``); invoicing beyond the order is
counted only up to the order (``invoiced_above_order``, ``invoiced_sku_not_ordered``).

Examples:
    >>> from datetime import date
    >>> from distcrm.documents import Document, Line
    >>> from distcrm.money import Money
    >>> from distcrm.periods import Period
    >>> p = Money.of("10.00", "INR")
    >>> order = Document("O-1", "order", "secondary", seller="D1", buyer="R1",
    ...                  issued_on=date(2025, 6, 2), currency="INR",
    ...                  lines=[Line("A", 10, p), Line("B", 20, Money.of("5.00", "INR"))])
    >>> inv = Document("I-1", "invoice", "secondary", seller="D1", buyer="R1",
    ...                issued_on=date(2025, 6, 4), currency="INR", reference="O-1",
    ...                lines=[Line("A", 10, p), Line("B", 15, Money.of("5.00", "INR"))])
    >>> report = fill_rates([order, inv], on=date(2025, 6, 30))
    >>> rate = report.rates[0]
    >>> rate.line_fill_pct, rate.unit_fill_pct, rate.value_fill_pct   # 1/2; 25/30; 175/200
    (Decimal('50.00'), Decimal('83.33'), Decimal('87.50'))
    >>> rate.mean_days_to_first_invoice, report.orders[0].days_to_complete
    (Decimal('2.00'), None)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import attrs

from distcrm.documents import Document, Level
from distcrm.findings import Finding, Trace
from distcrm.money import Money
from distcrm.performance.errors import PerformanceError
from distcrm.performance.targets import percent
from distcrm.periods import Period, Validity

__all__ = ["FillRate", "FillRateReport", "OrderFill", "fill_rates"]

_DAYS = Decimal("0.01")


@attrs.frozen
class OrderFill:
    """How one order was served up to ``on``.

    Attributes:
        order: the order's id.
        seller: who had to serve it.
        buyer: who ordered.
        ordered_on: the order date.
        lines_ordered: distinct SKUs ordered.
        lines_filled: SKUs invoiced in full.
        units_ordered: units ordered.
        units_filled: units invoiced, each SKU counted up to its ordered units.
        value_ordered: gross value ordered at the order's prices.
        value_filled: value filled at the order's prices, rounded half-up.
        invoices: ids of the serving invoices, by date.
        first_invoiced_on: date of the first serving invoice.
        completed_on: date of the invoice that completed the order, if complete.
        trace: which invoices counted, which did not and why.
    """

    order: str
    seller: str
    buyer: str
    ordered_on: date
    lines_ordered: int
    lines_filled: int
    units_ordered: int
    units_filled: int
    value_ordered: Money
    value_filled: Money
    invoices: tuple[str, ...]
    first_invoiced_on: date | None
    completed_on: date | None
    trace: Trace = attrs.field(factory=lambda: Trace.of("order fill"), eq=False)

    @property
    def days_to_first_invoice(self) -> int | None:
        """Days from order to first invoice, ``None`` when not invoiced."""
        if self.first_invoiced_on is None:
            return None
        return (self.first_invoiced_on - self.ordered_on).days

    @property
    def days_to_complete(self) -> int | None:
        """Days from order to complete fill, ``None`` when not complete."""
        if self.completed_on is None:
            return None
        return (self.completed_on - self.ordered_on).days


@attrs.frozen
class FillRate:
    """Fill rates and order-to-invoice times of one seller over the orders counted.

    Attributes:
        seller: the account serving the orders.
        orders: orders counted.
        open_orders: orders with no serving invoice yet.
        line_fill_pct: SKUs filled in full ÷ SKUs ordered × 100.
        unit_fill_pct: units filled ÷ units ordered × 100.
        value_fill_pct: value filled ÷ value ordered × 100 (``None`` when nothing was priced).
        mean_days_to_first_invoice: over invoiced orders (``None`` when none).
        mean_days_to_complete: over completed orders (``None`` when none).
    """

    seller: str
    orders: int
    open_orders: int
    line_fill_pct: Decimal
    unit_fill_pct: Decimal
    value_fill_pct: Decimal | None
    mean_days_to_first_invoice: Decimal | None
    mean_days_to_complete: Decimal | None


@attrs.frozen
class FillRateReport:
    """Per-order fills, per-seller rates and findings."""

    orders: tuple[OrderFill, ...]
    rates: tuple[FillRate, ...]
    findings: tuple[Finding, ...] = ()

    def rate(self, seller: str) -> FillRate:
        """The rate of ``seller``; raises :class:`PerformanceError` when it has no orders."""
        for r in self.rates:
            if r.seller == seller:
                return r
        raise PerformanceError(f"fill rate report: no orders for seller {seller!r}")


def _mean(values: list[int]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(_DAYS, ROUND_HALF_UP)


def _fill_order(
    order: Document, invoices: list[Document], on: date, findings: list[Finding]
) -> OrderFill:
    ordered: dict[str, int] = {}
    gross: dict[str, Money] = {}
    for line in order.lines:
        if not line.qty:
            continue  # a line of zero units orders nothing
        ordered[line.sku] = ordered.get(line.sku, 0) + line.qty
        gross[line.sku] = gross.get(line.sku, Money.zero(order.currency)) + line.gross
    invoiced: dict[str, int] = {}
    served: list[str] = []
    trace = Trace.of(f"fill of order {order.id} ({order.seller} to {order.buyer}) up to {on}")
    first: date | None = None
    completed: date | None = None
    for inv in sorted(invoices, key=lambda d: (d.issued_on, d.id)):
        if inv.issued_on > on:
            trace = trace.add(f"invoice {inv.id}", "skipped", f"issued {inv.issued_on}, after {on}")
            continue
        if (inv.seller, inv.buyer, inv.level) != (order.seller, order.buyer, order.level):
            findings.append(
                Finding(
                    "invoice_parties_differ",
                    f"invoice {inv.id} ({inv.seller} to {inv.buyer}, {inv.level}) references "
                    f"order {order.id} ({order.seller} to {order.buyer}, {order.level})",
                    subject=inv.id,
                )
            )
            trace = trace.add(f"invoice {inv.id}", "rejected", "seller, buyer or level differ")
            continue
        if inv.issued_on < order.issued_on:
            findings.append(
                Finding(
                    "invoiced_before_order",
                    f"invoice {inv.id} of {inv.issued_on.isoformat()} is dated before its "
                    f"order {order.id} of {order.issued_on.isoformat()}",
                    subject=inv.id,
                )
            )
            trace = trace.add(f"invoice {inv.id}", "rejected", "dated before the order")
            continue
        served.append(inv.id)
        first = first or inv.issued_on
        for i, line in enumerate(inv.lines, start=1):
            if line.sku not in ordered:
                findings.append(
                    Finding(
                        "invoiced_sku_not_ordered",
                        f"invoice {inv.id} line {i} bills {line.qty} of {line.sku}, "
                        f"which order {order.id} does not ask for",
                        subject=f"{inv.id}#{i}",
                    )
                )
                continue
            invoiced[line.sku] = invoiced.get(line.sku, 0) + line.qty
        billed = ", ".join(f"{line.sku} {line.qty}" for line in inv.lines)
        trace = trace.add(f"invoice {inv.id}", "applied", f"{inv.issued_on}: {billed}")
        if completed is None and all(invoiced.get(s, 0) >= q for s, q in ordered.items()):
            completed = inv.issued_on
            trace = trace.add("complete", "applied", f"every line filled on {completed}")
    for sku, qty in ordered.items():
        if invoiced.get(sku, 0) > qty:
            findings.append(
                Finding(
                    "invoiced_above_order",
                    f"order {order.id} asked for {qty} of {sku}; {invoiced[sku]} were invoiced",
                    subject=order.id,
                    severity="info",
                )
            )
    filled = {sku: min(invoiced.get(sku, 0), qty) for sku, qty in ordered.items()}
    value_ordered = Money.zero(order.currency)
    value_filled = Money.zero(order.currency)
    for sku, qty in ordered.items():
        value_ordered = value_ordered + gross[sku]
        if qty:
            value_filled = value_filled + gross[sku] * Decimal(filled[sku]) / qty
    return OrderFill(
        order.id,
        order.seller,
        order.buyer,
        order.issued_on,
        len(ordered),
        sum(1 for sku, qty in ordered.items() if filled[sku] >= qty),
        sum(ordered.values()),
        sum(filled.values()),
        value_ordered,
        value_filled.round(),
        tuple(served),
        first,
        completed,
        trace,
    )


def fill_rates(
    documents: Iterable[Document],
    *,
    on: date,
    period: Period | Validity | None = None,
    level: Level | None = None,
) -> FillRateReport:
    """Fill rates per seller for the orders placed in ``period`` (all orders up to ``on`` if ``None``).

    Args:
        documents: orders and invoices (other kinds are ignored).
        on: invoices after this day are not counted yet; orders after it are ignored.
        period: orders placed in this period count.
        level: only ``primary`` or ``secondary`` orders; ``None`` for both.

    Returns:
        A :class:`FillRateReport`, orders by date then id, rates by seller.

    Raises:
        PerformanceError: an unknown level, or one seller's orders in two currencies.
    """
    if level is not None and level not in ("primary", "secondary"):
        raise PerformanceError(f"fill_rates.level: {level!r} is not primary or secondary")
    orders: list[Document] = []
    by_reference: dict[str, list[Document]] = {}
    for doc in documents:
        if doc.kind == "order":
            if doc.issued_on > on or (level is not None and doc.level != level):
                continue
            if period is not None and not period.contains(doc.issued_on):
                continue
            orders.append(doc)
        elif doc.kind == "invoice" and doc.reference is not None:
            by_reference.setdefault(doc.reference, []).append(doc)
    findings: list[Finding] = []
    fills = [
        _fill_order(order, by_reference.get(order.id, []), on, findings)
        for order in sorted(orders, key=lambda d: (d.issued_on, d.id))
    ]
    per_seller: dict[str, list[OrderFill]] = {}
    for fill in fills:
        per_seller.setdefault(fill.seller, []).append(fill)
    rates: list[FillRate] = []
    for seller in sorted(per_seller):
        group = per_seller[seller]
        currencies = sorted({f.value_ordered.currency for f in group})
        if len(currencies) > 1:
            raise PerformanceError(
                f"fill_rates: seller {seller!r} has orders in {' and '.join(currencies)}; "
                "compute value fill rates one currency at a time"
            )
        lines = sum(f.lines_ordered for f in group)
        units = sum(f.units_ordered for f in group)
        value = sum((f.value_ordered.amount for f in group), Decimal(0))
        rates.append(
            FillRate(
                seller,
                len(group),
                sum(1 for f in group if f.first_invoiced_on is None),
                percent(sum(f.lines_filled for f in group), lines) if lines else Decimal(0),
                percent(sum(f.units_filled for f in group), units) if units else Decimal(0),
                percent(sum((f.value_filled.amount for f in group), Decimal(0)), value)
                if value
                else None,
                _mean([d for f in group if (d := f.days_to_first_invoice) is not None]),
                _mean([d for f in group if (d := f.days_to_complete) is not None]),
            )
        )
    return FillRateReport(tuple(fills), tuple(rates), tuple(findings))
