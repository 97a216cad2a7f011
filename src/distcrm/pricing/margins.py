"""Channel price chains: PTR, PTD, PTSS derived from the MRP by tier margins.

Each :class:`TierMargin` takes the price the tier *sells* at (the MRP for the
retailer, then the price the tier below pays) and derives the price the tier
*buys* at, under two conventions the trade uses:

* ``basis="margin"``: a share of the selling price, ``cost = sell × (1 − m)``;
  ``basis="markup"``: a markup on cost, ``cost = sell / (1 + m)``;
* ``on="tax_inclusive"`` or ``"tax_exclusive"``: the price the rate applies to.

Without rounding, a percentage on the inclusive or the exclusive price gives the
same figure (tax is proportional); the conventions part as soon as amounts are
rounded to the paisa, which ``rounding="each_tier"`` (the default) does at every
step: each computed price, and each conversion between the inclusive and the
exclusive price, is rounded half-up before the next is derived. With
``rounding="final"`` exact values flow through and only the reported prices are
rounded.

Worked check (the issue's): MRP 100 incl. 18 % GST; retailer margin 15 % of the
tax-inclusive price → retailer pays 85.00 incl. → PTR = 85 / 1.18 = 72.0339 →
**72.03**; distributor 7 % on the tax-exclusive PTR → 72.03 × 0.93 = 66.9879 →
**66.99**; super-stockist 3 % → 66.99 × 0.97 = 64.9803 → **64.98**. Unrounded,
72.0339 × 0.93 = 66.9915 and × 0.97 = 64.9818: the same paise, so both rounding
orders give these figures.

Examples:
    >>> chain = price_chain(Money.of("100", "INR"), 18, [
    ...     TierMargin("retailer", "PTR", 15, on="tax_inclusive"),
    ...     TierMargin("distributor", "PTD", 7),
    ...     TierMargin("super_stockist", "PTSS", 3)])
    >>> [(p.price_name, str(p.price_ex_tax.amount), str(p.price_incl_tax.amount))
    ...  for p in chain.prices]
    [('PTR', '72.03', '85.00'), ('PTD', '66.99', '79.05'), ('PTSS', '64.98', '76.68')]
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal, TypeAlias

import attrs

from distcrm.errors import Problem
from distcrm.findings import Trace
from distcrm.money import Money, quantum, round_decimal, to_decimal
from distcrm.periods import Validity
from distcrm.pricing.errors import MrpViolation, PricingError
from distcrm.pricing.price_lists import PriceEntry
from distcrm.pricing.scopes import Scope

__all__ = [
    "ChainPrice",
    "ChainRounding",
    "MarginBasis",
    "PriceChain",
    "TaxBasis",
    "TierMargin",
    "price_chain",
]

MarginBasis: TypeAlias = Literal["margin", "markup"]
TaxBasis: TypeAlias = Literal["tax_inclusive", "tax_exclusive"]
ChainRounding: TypeAlias = Literal["each_tier", "final"]


def _dec(value: Decimal | int | str) -> Decimal:
    return to_decimal(value, what="rate")


@attrs.frozen
class TierMargin:
    """The margin a tier keeps, which sets the price it buys at.

    Attributes:
        tier: the buying tier (``"retailer"``).
        price_name: the name of the price it pays (``"PTR"``).
        rate: the margin or markup in percent.
        basis: ``"margin"`` (share of selling price) or ``"markup"`` (on cost).
        on: ``"tax_exclusive"`` (default) or ``"tax_inclusive"`` price.
    """

    tier: str
    price_name: str
    rate: Decimal = attrs.field(converter=_dec)
    basis: MarginBasis = "margin"
    on: TaxBasis = "tax_exclusive"


@attrs.frozen
class ChainPrice:
    """One tier's derived price, both exclusive and inclusive of tax, and its margin.

    Attributes:
        tier: the buying tier.
        price_name: e.g. ``"PTR"``.
        price_ex_tax: the price before tax, rounded to the minor unit.
        price_incl_tax: the price with tax, rounded to the minor unit.
        margin: selling price minus this price, in the margin's tax basis.
        rule: the margin rule applied.
    """

    tier: str
    price_name: str
    price_ex_tax: Money
    price_incl_tax: Money
    margin: Money
    rule: TierMargin


@attrs.frozen
class PriceChain:
    """Prices of every tier derived from an MRP, with the trace of the arithmetic."""

    mrp: Money
    tax_rate: Decimal
    rounding: ChainRounding
    prices: tuple[ChainPrice, ...]
    trace: Trace

    def entries(self, sku: str, *, validity: Validity | None = None,
                tax_inclusive: bool = False) -> tuple[PriceEntry, ...]:
        """Price-list entries for ``sku``, one per tier (scoped by tier), ex tax by default.

        Examples:
            >>> chain = price_chain(Money.of("100", "INR"), 18,
            ...                     [TierMargin("retailer", "PTR", 15, on="tax_inclusive")])
            >>> [(e.scope.tier, str(e.price)) for e in chain.entries("SKU1")]
            [('retailer', '72.03 INR')]
        """
        return tuple(
            PriceEntry(sku, p.price_incl_tax if tax_inclusive else p.price_ex_tax,
                       Scope(tier=p.tier), validity=validity or Validity.always(),
                       label=f"{p.price_name} from MRP {self.mrp}")
            for p in self.prices)

    def price(self, name: str) -> ChainPrice:
        """The tier price called ``name`` (``"PTR"``) or whose tier is ``name``."""
        for p in self.prices:
            if name in (p.price_name, p.tier):
                return p
        raise PricingError(f"price chain: no price or tier called {name!r}")


def price_chain(
    mrp: Money,
    tax_rate: Decimal | int | str,
    margins: Sequence[TierMargin],
    *,
    rounding: ChainRounding = "each_tier",
) -> PriceChain:
    """Derive each tier's price from ``mrp`` (tax-inclusive), retailer first, upward.

    Args:
        mrp: the MRP, tax-inclusive.
        tax_rate: the GST rate in percent.
        margins: from the tier selling to consumers (retailer) upward.
        rounding: ``"each_tier"`` (default) or ``"final"`` (see the module docs).

    Raises:
        PricingError: a negative MRP or rate, a margin of 100 % or more, a bad basis.
        MrpViolation: a derived tax-inclusive price above the MRP (rounding can cause it).

    Examples:
        >>> mrp = Money.of("100", "INR")
        >>> excl = price_chain(mrp, 18, [TierMargin("retailer", "PTR", 15)])
        >>> str(excl.price("PTR").price_ex_tax)  # 100/1.18 = 84.75; × 0.85 = 72.0375
        '72.04 INR'
        >>> str(price_chain(mrp, 18, [TierMargin("retailer", "PTR", 15)],
        ...                 rounding="final").price("PTR").price_ex_tax)
        '72.03 INR'
        >>> markup = price_chain(mrp, 18, [TierMargin("retailer", "PTR", 15, basis="markup",
        ...                                           on="tax_inclusive")])
        >>> str(markup.price("PTR").price_incl_tax)  # 100 / 1.15 = 86.9565
        '86.96 INR'
    """
    rate = to_decimal(tax_rate, what="tax_rate")
    problems: list[Problem] = []
    if mrp.amount <= 0:
        problems.append(Problem("margin chain.mrp", f"must be > 0, got {mrp}"))
    if rate < 0:
        problems.append(Problem("margin chain.tax_rate", f"must be >= 0, got {rate}"))
    if rounding not in ("each_tier", "final"):
        problems.append(Problem("margin chain.rounding", f"{rounding!r} is not each_tier or final"))
    for i, m in enumerate(margins):
        path = f"margin chain.margins[{i}]"
        if m.rate < 0:
            problems.append(Problem(f"{path}.rate", f"must be >= 0, got {m.rate}"))
        if m.basis == "margin" and m.rate >= 100:
            problems.append(Problem(f"{path}.rate", f"a margin must be below 100 %, got {m.rate}"))
        if m.basis not in ("margin", "markup"):
            problems.append(Problem(f"{path}.basis", f"{m.basis!r} is not margin or markup"))
        if m.on not in ("tax_inclusive", "tax_exclusive"):
            problems.append(Problem(f"{path}.on",
                                    f"{m.on!r} is not tax_inclusive or tax_exclusive"))
    if problems:
        raise PricingError(problems)
    q = quantum(mrp.currency)
    each = rounding == "each_tier"

    def r(x: Decimal) -> Decimal:
        return round_decimal(x, q) if each else x

    def fmt(x: Decimal) -> str:
        return str(x) if each else str(round_decimal(x, Decimal("0.0001")))

    def convert(value: Decimal, from_: TaxBasis, to: TaxBasis) -> Decimal:
        if from_ == to:
            return value
        if to == "tax_exclusive":
            return r(value * 100 / (100 + rate))
        return r(value * (100 + rate) / 100)

    trace = Trace.of(f"price chain from MRP {mrp} at {rate} % tax, rounding {rounding}")
    known: TaxBasis = "tax_inclusive"
    value = mrp.amount
    seller = "MRP"
    out: list[ChainPrice] = []
    for m in margins:
        sell = convert(value, known, m.on)
        factor = (1 - m.rate / 100) if m.basis == "margin" else (1 / (1 + m.rate / 100))
        cost = r(sell * factor)
        op = (f"× (1 − {m.rate} %)" if m.basis == "margin" else f"÷ (1 + {m.rate} %)")
        basis = "incl." if m.on == "tax_inclusive" else "excl."
        ex = convert(cost, m.on, "tax_exclusive")
        incl = convert(cost, m.on, "tax_inclusive")
        ex_r, incl_r = round_decimal(ex, q), round_decimal(incl, q)
        margin_amt = round_decimal(sell - cost, q)
        trace = trace.add(
            m.price_name, "applied",
            f"{m.tier} {m.basis} {m.rate} % on the tax-{basis[:-1]}usive price: {seller} "
            f"{fmt(sell)} {basis} {op} = {fmt(cost)} {basis}; {m.price_name} {ex_r} excl., "
            f"{incl_r} incl.")
        if incl_r > mrp.amount:
            raise MrpViolation(f"margin chain.margins[{len(out)}]: {m.price_name} {incl_r} incl. "
                               f"tax exceeds the MRP {mrp}")
        out.append(ChainPrice(m.tier, m.price_name, Money(ex_r, mrp.currency),
                              Money(incl_r, mrp.currency), Money(margin_amt, mrp.currency), m))
        value, known, seller = cost, m.on, m.price_name
    return PriceChain(mrp, rate, rounding, tuple(out), trace)
