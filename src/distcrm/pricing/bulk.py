"""Bulk price resolution: many lines on one day against a precompiled index.

:meth:`PriceIndex.resolve_many <distcrm.pricing.resolution.PriceIndex.resolve_many>`
compiles, once per validity segment, one ``dict`` per access step keyed by
``(scope value(s), sku)`` whose values are the breaks (ascending, in base units)
with their prices in integer minor units. A line costs one dict lookup per step
tried and a short scan of the breaks; :class:`Money` objects are built only when
a price is read through :meth:`BulkPrices.price`.

Examples:
    >>> from datetime import date
    >>> from distcrm.money import Money
    >>> from distcrm.pricing import Buyer, PriceEntry, PriceIndex, PriceList, Scope
    >>> index = PriceIndex([PriceList("PTR", "INR", entries=(
    ...     PriceEntry("SKU1", Money.of("72.03", "INR"), Scope(tier="retailer")),
    ...     PriceEntry("SKU1", Money.of("70.00", "INR"), Scope(tier="retailer"), min_qty=48),
    ...     PriceEntry("SKU1", Money.of("69.00", "INR"), Scope(account="R2")),
    ... ))])
    >>> r1, r2 = Buyer("R1", tier="retailer"), Buyer("R2", tier="retailer")
    >>> prices = index.resolve_many([(r1, "SKU1", 12), (r1, "SKU1", 48), (r2, "SKU1", 1)],
    ...                             on=date(2025, 6, 1))
    >>> prices.minor_units, str(prices.price(1)), str(prices.total())
    ([7203, 7000, 6900], '70.00 INR', '4293.36 INR')
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

import attrs

from distcrm.money import Money

if TYPE_CHECKING:
    from distcrm.pricing.resolution import EntryRef, PriceIndex, Resolution

__all__ = [
    "BulkPrices",
    "resolve_lines",
]


@attrs.frozen
class BulkPrices:
    """Prices of many lines: integer minor units per base unit, with the entries used.

    Attributes:
        currency: the currency of every price.
        on: the day priced.
        minor_units: per line, the price per base unit in minor units (``None`` if skipped).
        qtys: per line, the quantity in base units.
        entries: per line, the entry used (``None`` if skipped).
        resolutions: per line, the full :class:`Resolution` when traces were asked for.
    """

    currency: str
    on: date
    minor_units: list[int | None]
    qtys: list[int]
    entries: list[EntryRef | None]
    resolutions: tuple[Resolution, ...] | None = None

    def __len__(self) -> int:
        return len(self.minor_units)

    def price(self, i: int) -> Money | None:
        """Line ``i``'s price per base unit as :class:`Money` (``None`` if it was skipped)."""
        units = self.minor_units[i]
        return None if units is None else Money.from_minor_units(units, self.currency)

    def total(self) -> Money:
        """Sum of price × qty over priced lines."""
        units = sum(p * q for p, q in zip(self.minor_units, self.qtys, strict=True)
                    if p is not None)
        return Money.from_minor_units(units, self.currency)


def resolve_lines(
    index: PriceIndex,
    lines: Iterable[tuple[Any, str, int]],
    on: date,
    *,
    trace: bool = False,
    missing: Literal["raise", "skip"] = "raise",
) -> BulkPrices:
    """The engine behind :meth:`PriceIndex.resolve_many` (see there)."""
    if trace:
        return _traced(index, lines, on, missing)
    snap = index._snapshot(on)
    steps = tuple(zip((s.fields for s in index.sequence.steps), snap, strict=True))
    plans: dict[Any, tuple[tuple[dict[Any, Any], object], ...]] = {}

    def plan_of(buyer: Any) -> tuple[tuple[dict[Any, Any], object], ...]:
        plan = []
        for fields, table in steps:
            values = tuple(getattr(buyer, f) for f in fields)
            if None in values:
                continue
            plan.append((table, values[0] if len(values) == 1 else values))
        found = plans[buyer] = tuple(plan)
        return found

    out: list[int | None] = []
    refs: list[EntryRef | None] = []
    qtys: list[int] = []
    push, push_ref, push_qty = out.append, refs.append, qtys.append
    get_plan = plans.get
    for buyer, sku, qty in lines:
        plan = get_plan(buyer)
        if plan is None:
            plan = plan_of(buyer)
        for table, prefix in plan:
            hit = table.get((prefix, sku))
            if hit is None:
                continue
            for m, p, ref in hit:  # noqa: B007  (p and ref are read after the break)
                if m <= qty:
                    break
            else:
                continue
            if p < 0:  # a tie under on_tie="raise": let explain() raise it, named
                index.explain(buyer, sku, qty, on)
            push(p)
            push_ref(ref)
            push_qty(qty)
            break
        else:
            if missing == "raise":
                index.explain(buyer, sku, qty, on)  # raises NoPrice with the trace
            push(None)
            push_ref(None)
            push_qty(qty)
    return BulkPrices(index.currency, on, out, qtys, refs)


def _traced(index: PriceIndex, lines: Iterable[tuple[Any, str, int]], on: date,
            missing: Literal["raise", "skip"]) -> BulkPrices:
    from distcrm.pricing.errors import NoPrice

    out: list[int | None] = []
    refs: list[EntryRef | None] = []
    qtys: list[int] = []
    resolutions: list[Resolution] = []
    for buyer, sku, qty in lines:
        try:
            r = index.resolve(buyer, sku, qty, on)
        except NoPrice:
            if missing == "raise":
                raise
            out.append(None)
            refs.append(None)
            qtys.append(qty)
            continue
        out.append(r.price.minor_units())
        refs.append(r.entry)
        qtys.append(qty)
        resolutions.append(r)
    return BulkPrices(index.currency, on, out, qtys, refs, tuple(resolutions))
