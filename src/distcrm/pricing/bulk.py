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

from collections.abc import Iterable, Sequence
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
        rows: per line, the compiled row used (``None`` if skipped).
        lines: the lines priced.
        resolutions: per line, the full :class:`Resolution` (with its trace) when traces
            were asked for (``None`` for a skipped line).

    :attr:`entries` and :attr:`qtys` are read from the compiled rows and the lines
    when asked for.
    """

    currency: str
    on: date
    minor_units: list[int | None]
    rows: list[Any] = attrs.field(repr=False, eq=False)
    lines: Sequence[tuple[Any, str, int]] = attrs.field(repr=False, eq=False)
    resolutions: tuple[Resolution | None, ...] | None = None

    @property
    def entries(self) -> list[EntryRef | None]:
        """Per line, the entry used (``None`` if skipped)."""
        return [None if r is None else r[2] for r in self.rows]

    @property
    def qtys(self) -> list[int]:
        """Per line, the quantity in base units."""
        return [line[2] for line in self.lines]

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
    seq = lines if isinstance(lines, list | tuple) else list(lines)
    snap = index._snapshot(on)
    steps = tuple(zip((s.fields for s in index.sequence.steps), snap, strict=True))
    # Plans (the steps that apply to a buyer, with its key prefix) are cached by the buyer
    # object's id; ``keep`` holds every such buyer so no id can be reused meanwhile.
    plans: dict[int, tuple[tuple[dict[Any, Any], object], ...]] = {}
    keep: list[Any] = []

    def plan_of(buyer: Any) -> tuple[tuple[dict[Any, Any], object], ...]:
        plan = []
        for fields, table in steps:
            values = tuple(getattr(buyer, f) for f in fields)
            if None in values:
                continue
            plan.append((table, values[0] if len(values) == 1 else values))
        keep.append(buyer)
        found = plans[id(buyer)] = tuple(plan)
        return found

    rows: list[Any] = []
    push = rows.append
    get_plan = plans.get
    for buyer, sku, qty in seq:
        plan = get_plan(id(buyer))
        if plan is None:
            plan = plan_of(buyer)
        for table, prefix in plan:
            hit = table.get((prefix, sku))
            if hit is not None:
                for row in hit:  # breaks, highest first
                    if row[0] <= qty:
                        push(row)
                        break
                else:
                    continue
                break
        else:
            push(None)
    ties = index._tie_rows
    if (missing == "raise" and None in rows) or (ties and not ties.isdisjoint(map(id, rows))):
        for i, r in enumerate(rows):
            if (r is None and missing == "raise") or (r is not None and id(r) in ties):
                buyer, sku, qty = seq[i]
                index.explain(buyer, sku, qty, on)  # raises NoPrice or PriceTie, named
    out: list[int | None] = [None if r is None else r[1] for r in rows]
    return BulkPrices(index.currency, on, out, rows, seq)


def _traced(index: PriceIndex, lines: Iterable[tuple[Any, str, int]], on: date,
            missing: Literal["raise", "skip"]) -> BulkPrices:
    from distcrm.pricing.errors import NoPrice

    seq = lines if isinstance(lines, list | tuple) else list(lines)
    out: list[int | None] = []
    rows: list[Any] = []
    resolutions: list[Resolution | None] = []
    for buyer, sku, qty in seq:
        try:
            r = index.resolve(buyer, sku, qty, on)
        except NoPrice:
            if missing == "raise":
                raise
            out.append(None)
            rows.append(None)
            resolutions.append(None)
            continue
        units = r.price.minor_units()
        out.append(units)
        rows.append((r.entry.min_base, units, r.entry))
        resolutions.append(r)
    return BulkPrices(index.currency, on, out, rows, seq, tuple(resolutions))
