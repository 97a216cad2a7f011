"""Tax as a pluggable policy: the protocol, its results and a flat VAT policy.

A :class:`TaxPolicy` turns a taxable value (or a tax-inclusive amount) into a
:class:`TaxResult`: named components, each rounded separately to the minor
unit, whose sum is the tax charged. :class:`FlatVat` is the simplest policy
(one rate everywhere); :class:`~distcrm.pricing.gst.GstPolicy` is India's GST.
Rates are percentages (``Decimal("18")`` is 18 %).

Examples:
    >>> from datetime import date
    >>> vat = FlatVat(Decimal("13"))
    >>> r = vat.tax(Money.of("100.00", "NPR"), hsn="", on=date(2025, 6, 1), supply=Supply())
    >>> [(c.name, str(c.amount)) for c in r.components], str(r.total)
    ([('VAT', '13.00 NPR')], '113.00 NPR')
    >>> r = vat.tax_included(Money.of("113.00", "NPR"), hsn="", on=date(2025, 6, 1), supply=Supply())
    >>> str(r.taxable), str(r.tax)
    ('100.00 NPR', '13.00 NPR')
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Literal, Protocol, TypeAlias, runtime_checkable

import attrs

from distcrm.findings import Trace
from distcrm.money import Money, allocate, quantum, round_decimal, to_decimal
from distcrm.parties import Account, Gstin
from distcrm.pricing.errors import TaxError

__all__ = [
    "ComponentRounding",
    "FlatVat",
    "Supply",
    "TaxComponent",
    "TaxPolicy",
    "TaxResult",
    "compute_components",
    "included_components",
]

ComponentRounding: TypeAlias = Literal["separate", "allocate"]
"""``separate``: each component rounded half-up on its own, the tax is their sum (GST
practice); ``allocate``: the total tax is rounded once and split over the components
by largest remainder, so it equals ``round(taxable × rate)`` exactly."""


def _pct(rate: Decimal) -> str:
    """A percentage without trailing zeros: ``5.0`` → ``5``, ``2.5`` stays."""
    return format(rate.normalize(), "f")


def _state(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, Gstin):
        return value.state_code
    return str(value)


@attrs.frozen
class Supply:
    """Where a supply goes: the supplier's state and the place of supply (GST state codes).

    Examples:
        >>> Supply.from_gstins("27AAPFU0939F1ZV", "29AAPFU0939F1ZR").place_of_supply
        '29'
    """

    supplier_state: str | None = attrs.field(default=None, converter=_state)
    place_of_supply: str | None = attrs.field(default=None, converter=_state)

    @classmethod
    def between(cls, seller: Account, buyer: Account, *,
                ship_to_state: str | None = None) -> Supply:
        """Supplier state from the seller's GSTIN (or state code); place of supply from
        ``ship_to_state`` when given, else the buyer's GSTIN or state code."""
        return cls(seller.gst_state, ship_to_state or buyer.gst_state)

    @classmethod
    def from_gstins(cls, supplier: Gstin | str, recipient: Gstin | str) -> Supply:
        """States from the first two digits of two GSTINs (validated)."""
        s = supplier if isinstance(supplier, Gstin) else Gstin(supplier)
        r = recipient if isinstance(recipient, Gstin) else Gstin(recipient)
        return cls(s.state_code, r.state_code)


@attrs.frozen
class TaxComponent:
    """One tax component: its name (``CGST``, ``SGST``, ``IGST``, ``VAT``), rate % and amount.

    The amount is kept as a rounded ``Decimal`` (:attr:`value`) in :attr:`currency`;
    :attr:`amount` gives it as :class:`Money`.
    """

    name: str
    rate: Decimal
    value: Decimal
    currency: str

    @property
    def amount(self) -> Money:
        """The component's amount."""
        return Money(self.value, self.currency)


@attrs.frozen
class TaxResult:
    """Tax on one taxable value: components (each rounded) and how they were found.

    Attributes:
        taxable_value: the taxable value (``Decimal``, rounded).
        currency: the currency.
        components: the components, each rounded to the minor unit.
        basis: why these components and rates (supply, rate table, heading).
        included: ``True`` when the tax was back-calculated from a tax-inclusive amount.
        exact_tax: the unrounded tax at the total rate (for reconciliation).
    """

    taxable_value: Decimal
    currency: str
    components: tuple[TaxComponent, ...]
    basis: str = ""
    included: bool = False
    exact_tax: Decimal | None = None

    @property
    def taxable(self) -> Money:
        """The taxable value."""
        return Money(self.taxable_value, self.currency)

    @property
    def rate(self) -> Decimal:
        """The total rate in percent (sum of the components' rates)."""
        return sum((c.rate for c in self.components), Decimal(0))

    @property
    def tax_value(self) -> Decimal:
        """The tax charged as a ``Decimal``: the sum of the rounded components."""
        return sum((c.value for c in self.components), Decimal(0))

    @property
    def tax(self) -> Money:
        """The tax charged: the sum of the rounded components."""
        return Money(self.tax_value, self.currency)

    @property
    def total(self) -> Money:
        """Taxable value plus tax."""
        return Money(self.taxable_value + self.tax_value, self.currency)

    def component(self, name: str) -> Money:
        """The amount of component ``name`` (zero when absent)."""
        return Money(sum((c.value for c in self.components if c.name == name), Decimal(0)),
                     self.currency)

    @property
    def trace(self) -> Trace:
        """How the tax was found: rate basis, each component, the reconciliation."""
        cur = self.currency
        t = Trace.of(f"tax on {self.taxable_value} {cur}")
        if self.basis:
            t = t.add("rate", "applied", self.basis)
        if self.included:
            gross = self.taxable_value + self.tax_value
            t = t.add("back-calculate", "applied",
                      f"taxable = {gross} × 100 / {100 + self.rate} = {self.taxable_value}; "
                      f"tax = {self.tax_value}")
            for c in self.components:
                t = t.add(c.name, "applied", f"{c.value} of the {self.tax_value} tax ({c.rate} %)")
            return t
        for c in self.components:
            t = t.add(c.name, "applied", f"{c.rate} % of {self.taxable_value} = {c.value}")
        if self.exact_tax is not None:
            once = round_decimal(self.exact_tax, quantum(cur))
            diff = self.tax_value - once
            t = t.add("reconcile", "considered",
                      "components sum to the rounded total" if diff == 0 else
                      f"components rounded separately sum to {self.tax_value}, {diff} from "
                      f"{_pct(self.rate)} % of the taxable value rounded once ({once})")
        return t


@runtime_checkable
class TaxPolicy(Protocol):
    """What the pricing procedure needs from a tax regime."""

    @property
    def name(self) -> str:
        """The policy's name, shown in traces."""
        ...

    def rate(self, hsn: str, on: date, supply: Supply) -> Decimal:
        """The total rate in percent for goods of ``hsn`` supplied on ``on``."""
        ...

    def tax(self, taxable: Money, *, hsn: str, on: date, supply: Supply) -> TaxResult:
        """Tax on a tax-exclusive ``taxable`` value."""
        ...

    def tax_included(self, gross: Money, *, hsn: str, on: date, supply: Supply) -> TaxResult:
        """Split a tax-inclusive ``gross`` amount into taxable value and tax (exactly)."""
        ...


def compute_components(
    taxable: Money,
    parts: Sequence[tuple[str, Decimal]],
    basis: str = "",
    *,
    rounding: ComponentRounding = "separate",
) -> TaxResult:
    """Tax ``taxable`` at each named rate (percent) and round as ``rounding`` says.

    Examples:
        >>> r = compute_components(Money.of("100.10", "INR"),
        ...                        [("CGST", Decimal("2.5")), ("SGST", Decimal("2.5"))])
        >>> [str(c.amount) for c in r.components], str(r.tax)
        (['2.50 INR', '2.50 INR'], '5.00 INR')
        >>> print(r.trace)
        tax on 100.10 INR
          + CGST: applied (2.5 % of 100.10 = 2.50)
          + SGST: applied (2.5 % of 100.10 = 2.50)
          ? reconcile: considered (components rounded separately sum to 5.00, -0.01 from 5 % of the taxable value rounded once (5.01))
        >>> r = compute_components(Money.of("100.10", "INR"),
        ...                        [("CGST", Decimal("2.5")), ("SGST", Decimal("2.5"))],
        ...                        rounding="allocate")
        >>> [str(c.amount) for c in r.components], str(r.tax)
        (['2.51 INR', '2.50 INR'], '5.01 INR')
    """
    cur = taxable.currency
    q = quantum(cur)
    amount = taxable.amount
    total_rate = sum((r for _, r in parts), Decimal(0))
    exact_total = amount * total_rate / 100
    if rounding == "allocate" and len(parts) > 1 and total_rate > 0:
        rounded_total = Money(round_decimal(exact_total, q), cur)
        shares = allocate(rounded_total, [r for _, r in parts])
        components = tuple(TaxComponent(n, r, a.amount, cur)
                           for (n, r), a in zip(parts, shares, strict=True))
    else:
        components = tuple(TaxComponent(n, r, round_decimal(amount * r / 100, q), cur)
                           for n, r in parts)
    return TaxResult(amount, cur, components, basis, False, exact_total)


def included_components(gross: Money, parts: Sequence[tuple[str, Decimal]],
                        basis: str = "") -> TaxResult:
    """Split a tax-inclusive ``gross`` into taxable value and components, exactly.

    The taxable value is ``gross × 100 / (100 + rate)`` rounded half-up; the tax is
    the rest, split over the components by largest remainder.

    Examples:
        >>> r = included_components(Money.of("105.00", "INR"),
        ...                         [("CGST", Decimal("2.5")), ("SGST", Decimal("2.5"))])
        >>> str(r.taxable), [str(c.amount) for c in r.components], str(r.total)
        ('100.00 INR', ['2.50 INR', '2.50 INR'], '105.00 INR')
    """
    cur = gross.currency
    q = quantum(cur)
    total_rate = sum((r for _, r in parts), Decimal(0))
    taxable = round_decimal(gross.amount * 100 / (100 + total_rate), q)
    tax = gross.amount - taxable
    if parts and total_rate > 0 and tax != 0:
        shares = [m.amount for m in allocate(Money(tax, cur), [r for _, r in parts])]
    else:
        shares = [Decimal(0) for _ in parts]
        if parts:
            shares[0] = tax
    components = tuple(TaxComponent(n, r, a, cur) for (n, r), a in zip(parts, shares, strict=True))
    return TaxResult(taxable, cur, components, basis, True, None)


def _rate(value: object) -> Decimal:
    d = to_decimal(value, what="rate")
    if d < 0:
        raise TaxError(f"flat VAT.rate: must be >= 0, got {d}")
    return d


@attrs.frozen
class FlatVat:
    """One rate for every good and place (e.g. Nepal's 13 % VAT).

    Attributes:
        rate_percent: the rate in percent.
        component: the component's name.
        rounding: how components are rounded (one component: both modes agree).
    """

    rate_percent: Decimal = attrs.field(converter=_rate)
    component: str = "VAT"
    rounding: ComponentRounding = "separate"

    @property
    def name(self) -> str:
        """``"VAT 13 %"``."""
        return f"{self.component} {self.rate_percent} %"

    def rate(self, hsn: str, on: date, supply: Supply) -> Decimal:
        """The flat rate, whatever the goods and places."""
        return self.rate_percent

    def tax(self, taxable: Money, *, hsn: str, on: date, supply: Supply) -> TaxResult:
        """Tax at the flat rate."""
        return compute_components(taxable, [(self.component, self.rate_percent)], self.name,
                                  rounding=self.rounding)

    def tax_included(self, gross: Money, *, hsn: str, on: date, supply: Supply) -> TaxResult:
        """Back-calculate the taxable value from a VAT-inclusive amount."""
        return included_components(gross, [(self.component, self.rate_percent)], self.name)

