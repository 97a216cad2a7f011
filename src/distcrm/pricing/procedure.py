"""The pricing procedure: a line's base price → discounts → taxable value → tax → total.

A :class:`PricingProcedure` declares the discount steps in order (by default
``trade``, ``scheme``, ``cash``) and whether percentages compound
(``"chained"``: each applies to the value left by the previous steps) or add
up (``"additive"``: each applies to the gross value). :func:`price_line` runs a
:class:`PricingLine` through it and returns a :class:`PriceBreakdown` recording
every step. Every amount is rounded half-up to the minor unit where it is
computed, so the steps add up exactly: ``gross − discounts = taxable`` (or, for
tax-inclusive prices, ``gross − discounts = total`` and the taxable value is
back-calculated), ``taxable + tax = total``.

Examples:
    >>> from datetime import date
    >>> from distcrm.pricing.gst import GstPolicy, sample_hsn_rates
    >>> line = PricingLine("SKU1", 24, unit_price=Money.of("72.03", "INR"), hsn="1905",
    ...                    discounts=(Discount("trade", percent=Decimal("5")),
    ...                               Discount("cash", percent=Decimal("2"))))
    >>> gst = GstPolicy(sample_hsn_rates())
    >>> b = price_line(line, on=date(2025, 10, 1), tax=gst, supply=Supply("27", "27"))
    >>> print(b.render())
    SKU1 × 24 at 72.03 INR (tax-exclusive)
      gross                1728.72  24 × 72.03
      trade                 -86.44  5 % of 1728.72
      cash                  -32.85  2 % of 1642.28
      taxable              1609.43
      CGST                   40.24  2.5 %
      SGST                   40.24  2.5 %
      total                1689.91
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Literal, TypeAlias

import attrs

from distcrm.catalog import Product
from distcrm.documents import Line
from distcrm.errors import Problem
from distcrm.findings import Trace, TraceStep
from distcrm.money import Money, quantum, round_decimal, to_decimal
from distcrm.pricing.errors import PriceCurrencyMismatch, PricingError
from distcrm.pricing.resolution import PriceIndex, Resolution
from distcrm.pricing.scopes import Buyer
from distcrm.pricing.tax import Supply, TaxPolicy, TaxResult

__all__ = [
    "STANDARD_PROCEDURE",
    "BreakdownStep",
    "Compounding",
    "Discount",
    "PriceBreakdown",
    "PricingLine",
    "PricingProcedure",
    "price_line",
]

Compounding: TypeAlias = Literal["chained", "additive"]



def _opt_percent(value: Decimal | int | str | None) -> Decimal | None:
    return None if value is None else to_decimal(value, what="discount.percent")


@attrs.frozen
class Discount:
    """A discount on a line (or, in :func:`~distcrm.pricing.orders.price_order`, an order).

    Give exactly one of ``percent``, ``amount`` (for the whole line or order) or
    ``per_unit`` (per base unit).

    Attributes:
        step: the procedure step it belongs to (``"trade"``, ``"scheme"``, ``"cash"``...).
        percent: a percentage of the value it applies to.
        amount: a fixed amount.
        per_unit: an amount per base unit.
        reason: free text shown in the breakdown (a scheme id, say).
    """

    step: str
    percent: Decimal | None = attrs.field(default=None, converter=_opt_percent)
    amount: Money | None = None
    per_unit: Money | None = None
    reason: str = ""

    def problems(self, path: str, currency: str) -> list[Problem]:
        """What is wrong with this discount for a line priced in ``currency``."""
        if (self.percent is not None and self.amount is None and self.per_unit is None
                and 0 <= self.percent <= 100):
            return []
        out: list[Problem] = []
        given = [n for n in ("percent", "amount", "per_unit") if getattr(self, n) is not None]
        if len(given) != 1:
            out.append(Problem(path, "give exactly one of percent, amount, per_unit; got "
                               + (", ".join(given) or "none")))
        if self.percent is not None and not 0 <= self.percent <= 100:
            out.append(Problem(f"{path}.percent", f"must be between 0 and 100, got {self.percent}"))
        for name in ("amount", "per_unit"):
            m = getattr(self, name)
            if m is None:
                continue
            if not isinstance(m, Money):
                out.append(Problem(f"{path}.{name}", f"expected Money, got {type(m).__name__}"))
            elif m.currency != currency:
                out.append(Problem(f"{path}.{name}",
                                   f"currency {m.currency} does not match the line's {currency}"))
            elif m.amount < 0:
                out.append(Problem(f"{path}.{name}", f"must be >= 0, got {m}"))
        return out


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _discounts(values: Iterable[Discount]) -> tuple[Discount, ...]:
    return tuple(values)


@attrs.frozen
class PricingProcedure:
    """The discount steps in order and how percentages combine.

    Examples:
        >>> PricingProcedure(("trade", "trade"))
        Traceback (most recent call last):
        ...
        distcrm.errors.PricingError: pricing procedure 'custom'.steps[1]: 'trade' is listed twice
    """

    steps: tuple[str, ...] = attrs.field(converter=_str_tuple)
    compounding: Compounding = "chained"
    name: str = "custom"

    def __attrs_post_init__(self) -> None:
        where = f"pricing procedure {self.name!r}"
        for i, s in enumerate(self.steps):
            if s in self.steps[:i]:
                raise PricingError(f"{where}.steps[{i}]: {s!r} is listed twice")
            if s in ("base", "gross", "order", "taxable", "total"):
                raise PricingError(f"{where}.steps[{i}]: {s!r} is a reserved step name")
        if self.compounding not in ("chained", "additive"):
            raise PricingError(f"{where}.compounding: {self.compounding!r} is not chained or "
                               "additive")


STANDARD_PROCEDURE = PricingProcedure(("trade", "scheme", "cash"), "chained", name="standard")
"""Trade discount, then on-invoice scheme, then cash discount, percentages chained."""


@attrs.frozen
class PricingLine:
    """A line to price: SKU, quantity in base units, discounts, and optionally its price.

    Attributes:
        sku: the SKU.
        qty: quantity in base units (> 0).
        discounts: discounts by procedure step.
        unit_price: the base price per unit; ``None`` to resolve it from a price index.
        tax_inclusive: whether ``unit_price`` includes tax (ignored when resolved: the
            list decides).
        hsn: the HSN for tax; empty to take it from the product.
    """

    sku: str
    qty: int
    discounts: tuple[Discount, ...] = attrs.field(default=(), converter=_discounts)
    unit_price: Money | None = None
    tax_inclusive: bool = False
    hsn: str = ""


@attrs.frozen
class BreakdownStep:
    """One step of a breakdown: its name, the amount it adds (discounts negative) and a note.

    The amount is kept as a rounded ``Decimal`` (:attr:`value`); :attr:`amount` is
    the same as :class:`Money`.
    """

    name: str
    value: Decimal
    currency: str
    note: str = ""

    @property
    def amount(self) -> Money:
        """The step's amount (negative for a discount)."""
        return Money(self.value, self.currency)


@attrs.frozen
class PriceBreakdown:
    """Every step from base price to total for one line.

    Amounts are kept as rounded ``Decimal`` values and given as :class:`Money` by
    the properties; the :attr:`trace` is built when asked for.

    Attributes:
        sku: the SKU.
        qty: quantity in base units.
        unit_price: the base price per unit.
        tax_inclusive: whether the base price (and so ``gross``) includes tax.
        gross_value: ``unit_price × qty`` rounded.
        discounts: the discount steps in order, amounts negative.
        tax: the tax result (taxable value, components, how they were found).
        total_value: what the buyer pays for the line.
        resolution: the price resolution, when the price was resolved.
        on: the day priced.
        tax_name: the tax policy's name (``""`` without one).
    """

    sku: str
    qty: int
    unit_price: Money
    tax_inclusive: bool
    gross_value: Decimal
    discounts: tuple[BreakdownStep, ...]
    tax: TaxResult
    total_value: Decimal
    resolution: Resolution | None
    on: date
    tax_name: str = ""

    @property
    def currency(self) -> str:
        """The line's currency."""
        return self.unit_price.currency

    @property
    def gross(self) -> Money:
        """``unit_price × qty``, rounded."""
        return Money(self.gross_value, self.currency)

    @property
    def discount_value(self) -> Decimal:
        """The total discount as a positive ``Decimal``."""
        return -sum((d.value for d in self.discounts), Decimal(0))

    @property
    def discount(self) -> Money:
        """The total discount (a positive amount)."""
        return Money(self.discount_value, self.currency)

    @property
    def net(self) -> Money:
        """Gross minus discounts: the taxable value, or the total when prices include tax."""
        return Money(self.gross_value - self.discount_value, self.currency)

    @property
    def taxable(self) -> Money:
        """The taxable value."""
        return self.tax.taxable

    @property
    def total(self) -> Money:
        """What the buyer pays for the line."""
        return Money(self.total_value, self.currency)

    @property
    def steps(self) -> tuple[BreakdownStep, ...]:
        """Every step: gross, discounts, taxable, tax components, total."""
        cur = self.currency
        return (
            BreakdownStep("gross", self.gross_value, cur, f"{self.qty} × {self.unit_price.amount}"),
            *self.discounts,
            BreakdownStep("taxable", self.tax.taxable_value, cur,
                          "back-calculated" if self.tax.included else ""),
            *(BreakdownStep(c.name, c.value, cur, f"{c.rate} %") for c in self.tax.components),
            BreakdownStep("total", self.total_value, cur),
        )

    def render(self) -> str:
        """The breakdown as a small table."""
        basis = "tax-inclusive" if self.tax_inclusive else "tax-exclusive"
        lines = [f"{self.sku} × {self.qty} at {self.unit_price} ({basis})"]
        for s in self.steps:
            lines.append(f"  {s.name:<12}{s.value:>16}  {s.note}".rstrip())
        return "\n".join(lines)

    @property
    def trace(self) -> Trace:
        """How the breakdown was reached: base price (with its resolution), each step, tax."""
        steps = []
        if self.resolution is not None:
            steps.append(TraceStep("base price", "applied", self.resolution.entry.path,
                                   self.resolution.trace.steps))
        steps.append(TraceStep("gross", "applied",
                               f"{self.qty} × {self.unit_price} = {self.gross_value}"))
        steps.extend(TraceStep(s.name, "applied", f"{s.value} ({s.note})")
                     for s in self.discounts)
        steps.append(TraceStep(self.tax_name or "tax", "applied",
                               f"taxable {self.tax.taxable_value}, tax {self.tax.tax_value}",
                               self.tax.trace.steps))
        return Trace.of(f"breakdown of {self.sku} × {self.qty} on {self.on}", steps)

    def to_line(self) -> Line:
        """A document :class:`~distcrm.documents.Line` with the same figures.

        Only for tax-exclusive prices, where ``gross − discount = taxable``.
        """
        if self.tax_inclusive:
            raise PricingError(f"line {self.sku!r}.tax_inclusive: a document line needs a "
                               "tax-exclusive unit price")
        return Line(self.sku, self.qty, self.unit_price, discount=self.discount,
                    tax=self.tax.tax)


@attrs.define
class _Partial:
    """A line part-way through the procedure (mutable, private to pricing)."""

    line: PricingLine
    unit_price: Money
    tax_inclusive: bool
    gross: Decimal
    running: Decimal
    steps: list[BreakdownStep]
    hsn: str
    resolution: Resolution | None
    path: str


def _base(line: PricingLine, i: int, *, on: date, index: PriceIndex | None, buyer: Buyer | None,
          products: Mapping[str, Product], procedure: PricingProcedure,
          currency: str | None) -> _Partial:
    path = f"line {line.sku!r}" if i < 0 else f"lines[{i}] {line.sku!r}"
    if isinstance(line.qty, bool) or not isinstance(line.qty, int) or line.qty <= 0:
        raise PricingError(f"{path}.qty: must be an int > 0, got {line.qty!r}")
    resolution: Resolution | None = None
    if line.unit_price is None:
        if index is None or buyer is None:
            raise PricingError(f"{path}.unit_price: none given; pass index= and buyer= to "
                               "resolve it")
        resolution = index.resolve(buyer, line.sku, line.qty, on)
        unit, incl = resolution.price, resolution.tax_inclusive
    else:
        unit, incl = line.unit_price, line.tax_inclusive
        if not isinstance(unit, Money):
            raise PricingError(f"{path}.unit_price: expected Money, got {type(unit).__name__}")
        if unit.amount < 0:
            raise PricingError(f"{path}.unit_price: must be >= 0, got {unit}")
    if currency is not None and unit.currency != currency:
        raise PriceCurrencyMismatch(f"{path}.unit_price: currency {unit.currency} does not match "
                                    f"the order's {currency}")
    problems: list[Problem] = []
    for j, d in enumerate(line.discounts):
        if d.step not in procedure.steps:
            problems.append(Problem(f"{path}.discounts[{j}].step",
                                    f"{d.step!r} is not a step of pricing procedure "
                                    f"{procedure.name!r} ({', '.join(procedure.steps)})"))
        problems.extend(d.problems(f"{path}.discounts[{j}]", unit.currency))
    if problems:
        raise PricingError(problems)
    q = quantum(unit.currency)
    gross = round_decimal(unit.amount * line.qty, q)
    running = gross
    steps: list[BreakdownStep] = []
    by_step: dict[str, list[tuple[int, Discount]]] = {s: [] for s in procedure.steps}
    for j, d in enumerate(line.discounts):
        by_step[d.step].append((j, d))
    chained = procedure.compounding == "chained"
    for s in procedure.steps:
        for j, d in by_step[s]:
            if d.percent is not None:
                basis = running if chained else gross
                amt = round_decimal(basis * d.percent / 100, q)
                note = f"{d.percent} % of {basis}"
            elif d.amount is not None:
                amt, note = d.amount.amount, "amount"
            else:
                assert d.per_unit is not None
                amt = round_decimal(d.per_unit.amount * line.qty, q)
                note = f"{line.qty} × {d.per_unit.amount}"
            if amt > running:
                raise PricingError(f"{path}.discounts[{j}]: {amt} exceeds "
                                   f"the value left, {running}")
            running -= amt
            if d.reason:
                note = f"{note} ({d.reason})"
            steps.append(BreakdownStep(s, -amt, unit.currency, note))
    hsn = line.hsn or (products[line.sku].hsn if line.sku in products else "")
    return _Partial(line, unit, incl, gross, running, steps, hsn, resolution, path)


def _finish(p: _Partial, *, on: date, tax: TaxPolicy | None, supply: Supply) -> PriceBreakdown:
    cur = p.unit_price.currency
    if tax is None:
        result = TaxResult(p.running, cur, (), "no tax policy")
    elif p.tax_inclusive:
        result = tax.tax_included(Money(p.running, cur), hsn=p.hsn, on=on, supply=supply)
    else:
        result = tax.tax(Money(p.running, cur), hsn=p.hsn, on=on, supply=supply)
    total = p.running if p.tax_inclusive else result.taxable_value + result.tax_value
    return PriceBreakdown(p.line.sku, p.line.qty, p.unit_price, p.tax_inclusive, p.gross,
                          tuple(p.steps), result, total, p.resolution, on,
                          tax.name if tax is not None else "")


def _products(products: Mapping[str, Product] | Iterable[Product] | None) -> Mapping[str, Product]:
    if products is None:
        return {}
    if isinstance(products, Mapping):
        return products
    return {p.sku: p for p in products}


def price_line(
    line: PricingLine,
    *,
    on: date,
    procedure: PricingProcedure = STANDARD_PROCEDURE,
    tax: TaxPolicy | None = None,
    supply: Supply | None = None,
    index: PriceIndex | None = None,
    buyer: Buyer | None = None,
    products: Mapping[str, Product] | Iterable[Product] | None = None,
) -> PriceBreakdown:
    """Price one line through ``procedure`` and ``tax``; see the module docs.

    Args:
        line: the line.
        on: the day (prices, tax rates).
        procedure: the discount steps.
        tax: the tax policy; ``None`` for no tax.
        supply: supplier state and place of supply (GST).
        index: a price index to resolve ``line.unit_price`` when it is ``None``.
        buyer: the buyer, to resolve the price.
        products: products by SKU, for HSN codes.

    Raises:
        PricingError: bad quantity, discount, step name or missing price; the message
            names the line and field.

    Examples:
        >>> from datetime import date
        >>> from distcrm.pricing.gst import GstPolicy, sample_hsn_rates
        >>> line = PricingLine("SKU1", 10, unit_price=Money.of("118.00", "INR"),
        ...                    tax_inclusive=True, hsn="1905")
        >>> b = price_line(line, on=date(2025, 6, 1), tax=GstPolicy(sample_hsn_rates()),
        ...                supply=Supply("27", "29"))
        >>> str(b.taxable), str(b.tax.tax), str(b.total)  # 1180 / 1.18 = 1000
        ('1000.00 INR', '180.00 INR', '1180.00 INR')
    """
    p = _base(line, -1, on=on, index=index, buyer=buyer, products=_products(products),
              procedure=procedure, currency=None)
    return _finish(p, on=on, tax=tax, supply=supply or Supply())

