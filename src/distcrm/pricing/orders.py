"""Pricing a whole order: line breakdowns plus order-level discounts allocated to lines.

Each line goes through the procedure's discount steps first. Order-level
discounts (a percentage of the order, or an amount) then apply, in the order
given, to the sum of the lines' values; each is rounded once and split over the
lines in proportion to their values with :func:`~distcrm.money.allocate`
(largest remainder), so the shares add up to the order discount to the paisa.
Tax is computed per line afterwards, and the order's totals are the sums of
its lines.

Examples:
    >>> from datetime import date
    >>> inr = lambda s: Money.of(s, "INR")
    >>> lines = [PricingLine("A", 1, unit_price=inr("10.00")),
    ...          PricingLine("B", 1, unit_price=inr("10.00")),
    ...          PricingLine("C", 1, unit_price=inr("10.00"))]
    >>> o = price_order(lines, on=date(2025, 6, 1),
    ...                 order_discounts=[Discount("order", amount=inr("1.00"))])
    >>> [str(b.discount) for b in o.lines], str(o.discount), str(o.total)
    (['0.34 INR', '0.33 INR', '0.33 INR'], '1.00 INR', '29.00 INR')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

import attrs

from distcrm.catalog import Product
from distcrm.errors import Problem
from distcrm.findings import Trace
from distcrm.money import Money, allocate, quantum, round_decimal
from distcrm.pricing.errors import PricingError
from distcrm.pricing.procedure import (
    STANDARD_PROCEDURE,
    BreakdownStep,
    Discount,
    PriceBreakdown,
    PricingLine,
    PricingProcedure,
    _base,
    _finish,
    _products,
)
from distcrm.pricing.resolution import PriceIndex
from distcrm.pricing.scopes import Buyer
from distcrm.pricing.tax import Supply, TaxPolicy

__all__ = [
    "OrderBreakdown",
    "price_order",
]


@attrs.frozen
class OrderBreakdown:
    """Breakdowns of every line of an order and the order-level discounts.

    Attributes:
        currency: the order's currency.
        lines: one breakdown per line, in order.
        order_discounts: each order-level discount as applied to the whole order.
        trace: how the order discounts were found and split.
    """

    currency: str
    lines: tuple[PriceBreakdown, ...]
    order_discounts: tuple[BreakdownStep, ...]
    trace: Trace

    def _sum(self, values: Iterable[Decimal]) -> Money:
        return Money(sum(values, Decimal(0)), self.currency)

    @property
    def gross(self) -> Money:
        """Sum of the lines' gross values."""
        return self._sum(b.gross_value for b in self.lines)

    @property
    def discount(self) -> Money:
        """Sum of every discount, line and order level (positive)."""
        return self._sum(b.discount_value for b in self.lines)

    @property
    def taxable(self) -> Money:
        """Sum of the lines' taxable values."""
        return self._sum(b.tax.taxable_value for b in self.lines)

    @property
    def tax(self) -> Money:
        """Sum of the lines' tax."""
        return self._sum(b.tax.tax_value for b in self.lines)

    @property
    def total(self) -> Money:
        """Sum of the lines' totals."""
        return self._sum(b.total_value for b in self.lines)

    def tax_by_component(self) -> tuple[tuple[str, Money], ...]:
        """Tax per component name (CGST, SGST...), in first-seen order."""
        out: dict[str, Decimal] = {}
        for b in self.lines:
            for c in b.tax.components:
                out[c.name] = out.get(c.name, Decimal(0)) + c.value
        return tuple((n, Money(a, self.currency)) for n, a in out.items())


def price_order(
    lines: Sequence[PricingLine],
    *,
    on: date,
    procedure: PricingProcedure = STANDARD_PROCEDURE,
    tax: TaxPolicy | None = None,
    supply: Supply | None = None,
    index: PriceIndex | None = None,
    buyer: Buyer | None = None,
    products: Mapping[str, Product] | Iterable[Product] | None = None,
    order_discounts: Sequence[Discount] = (),
) -> OrderBreakdown:
    """Price every line of an order and spread order-level discounts over them.

    Arguments are those of :func:`~distcrm.pricing.procedure.price_line`, plus
    ``order_discounts`` applied after the lines' own discounts.

    Raises:
        PricingError: an empty order, lines of different currencies, a bad discount
            (named by its position), an order discount above the order's value.
    """
    if not lines:
        raise PricingError("order.lines: at least one line is needed")
    prods = _products(products)
    partials = []
    currency: str | None = None
    for i, line in enumerate(lines):
        p = _base(line, i, on=on, index=index, buyer=buyer, products=prods, procedure=procedure,
                  currency=currency)
        currency = p.unit_price.currency
        partials.append(p)
    assert currency is not None
    q = quantum(currency)
    trace = Trace.of(f"order of {len(lines)} lines on {on}")
    applied: list[BreakdownStep] = []
    for k, d in enumerate(order_discounts):
        path = f"order.order_discounts[{k}]"
        problems = d.problems(path, currency)
        if d.per_unit is not None:
            problems.append(Problem(f"{path}.per_unit",
                                    "not allowed on an order; use percent or amount"))
        if problems:
            raise PricingError(problems)
        value = sum((p.running for p in partials), Decimal(0))
        if d.percent is not None:
            amount = round_decimal(value * d.percent / 100, q)
            note = f"{d.percent} % of {value}"
        else:
            assert d.amount is not None
            amount, note = d.amount.amount, "amount"
        if amount > value:
            raise PricingError(f"{path}: {amount} exceeds the order's value left, {value}")
        if amount == 0:
            shares = [Decimal(0)] * len(partials)
        else:
            weights = [p.running for p in partials]
            shares = [m.amount for m in allocate(Money(amount, currency), weights)]
        for p, share in zip(partials, shares, strict=True):
            if share > p.running:  # only possible when the discount takes nearly everything
                raise PricingError(f"{path}: share {share} exceeds {p.path}'s value {p.running}")
            p.steps.append(BreakdownStep(d.step, -share, currency,
                                         f"share of order {note}" + (f" ({d.reason})"
                                                                     if d.reason else "")))
            p.running -= share
        if d.reason:
            note = f"{note} ({d.reason})"
        applied.append(BreakdownStep(d.step, -amount, currency, note))
        trace = trace.add(f"order discount {d.step}", "applied",
                          f"{amount} ({note}) split by line value: "
                          + ", ".join(str(s) for s in shares))
    sup = supply or Supply()
    breakdowns = tuple(_finish(p, on=on, tax=tax, supply=sup) for p in partials)
    return OrderBreakdown(currency, breakdowns, tuple(applied), trace)

