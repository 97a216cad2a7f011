"""Price resolution by access sequence, one line with a full trace.

:class:`PriceIndex` is built once from price lists: every entry is filed under
its access step, its scope key and its SKU, with its quantity break converted
to base units. :meth:`PriceIndex.resolve` tries the steps in order; the first
step with an entry valid on the day whose break is not above the quantity
wins, and within it the highest such break. Two entries at that break (from
different lists) tie and the ``on_tie`` policy decides:

* ``"raise"`` (default): raise :class:`~distcrm.pricing.errors.PriceTie` naming both;
* ``"first"``: the first in declaration order (list order, then entry order);
* ``"lowest"`` / ``"highest"``: the lowest / highest price (then declaration order).

Examples:
    >>> from datetime import date
    >>> from distcrm.periods import Validity
    >>> from distcrm.pricing.price_lists import PriceEntry
    >>> from distcrm.pricing.scopes import Scope
    >>> inr = lambda s: Money.of(s, "INR")
    >>> lists = [PriceList("NATIONAL", "INR", entries=(
    ...     PriceEntry("SKU1", inr("72.03"), Scope(tier="retailer")),
    ...     PriceEntry("SKU1", inr("70.50"), Scope(tier="retailer"), min_qty=48),
    ...     PriceEntry("SKU1", inr("71.00"), Scope(territory="PUNE", tier="retailer"),
    ...                validity=Validity(date(2025, 7, 1))),
    ... ))]
    >>> index = PriceIndex(lists)
    >>> r = index.resolve(Buyer("R1", territory="PUNE", tier="retailer"), "SKU1", 60,
    ...                   on=date(2025, 6, 1))
    >>> str(r.price), r.entry.path
    ('70.50 INR', "price list 'NATIONAL'.entries[1]")
    >>> print(r.trace.render())
    price of SKU1 × 60 for R1 on 2025-06-01
      · account: skipped (no entry for account=R1)
      - territory+tier: rejected (1 entry for territory=PUNE, tier=retailer, none valid on 2025-06-01)
      · channel: skipped (buyer has no channel)
      + tier: applied (price list 'NATIONAL'.entries[1]: break 48 ≤ 60 at 70.50 INR)
        ? price list 'NATIONAL'.entries[0]: considered (break 1, 72.03 INR: lower break)
      · everyone: skipped (not reached)
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Literal, TypeAlias

import attrs

from distcrm.catalog import BASE_UOM, Product
from distcrm.errors import Problem
from distcrm.findings import Trace, TraceStep
from distcrm.money import Money
from distcrm.pricing.bulk import BulkPrices, resolve_lines
from distcrm.pricing.errors import (
    NoPrice,
    PriceCurrencyMismatch,
    PriceListError,
    PriceTie,
    PricingError,
)
from distcrm.pricing.gst import HsnRateTable
from distcrm.pricing.mrp import check_within_mrp
from distcrm.pricing.price_lists import PriceEntry, PriceList, materialize
from distcrm.pricing.scopes import DEFAULT_ACCESS_SEQUENCE, AccessSequence, Buyer

__all__ = [
    "ON_TIE_POLICIES",
    "EntryRef",
    "OnTie",
    "PriceIndex",
    "Resolution",
    "resolve_price",
]

OnTie: TypeAlias = Literal["raise", "first", "lowest", "highest"]
ON_TIE_POLICIES: tuple[OnTie, ...] = ("raise", "first", "lowest", "highest")



@attrs.frozen
class EntryRef:
    """A price entry with where it comes from.

    Attributes:
        list_id: the price list's id.
        index: the entry's position in the (materialized) list.
        entry: the entry itself.
        tax_inclusive: whether the list's prices include tax.
        order: declaration order across every list of the index.
        min_base: the quantity break in base units.
    """

    list_id: str
    index: int
    entry: PriceEntry
    tax_inclusive: bool
    order: int
    min_base: int

    @property
    def path(self) -> str:
        """``price list 'ID'.entries[i]``."""
        return f"price list {self.list_id!r}.entries[{self.index}]"


@attrs.frozen
class Resolution:
    """The price a buyer pays for a SKU on a day, the entry it came from and why.

    Attributes:
        buyer: who buys.
        sku: what.
        qty: how many base units.
        on: the day.
        price: price per base unit.
        entry: the winning entry.
        step: index of the access-sequence step that applied.
        index: the index it was resolved with (not compared, not shown).

    The :attr:`trace` (every step tried and why it did or did not apply) is
    rebuilt from the index when asked for, so resolving stays cheap.
    """

    buyer: Buyer
    sku: str
    qty: int
    on: date
    price: Money
    entry: EntryRef
    step: int
    index: PriceIndex = attrs.field(eq=False, repr=False)

    @property
    def trace(self) -> Trace:
        """Every step of the access sequence tried and why it did or did not apply."""
        return self.index.explain(self.buyer, self.sku, self.qty, self.on)[2]

    @property
    def tax_inclusive(self) -> bool:
        """Whether :attr:`price` includes tax (from the entry's list)."""
        return self.entry.tax_inclusive


def _pick(tied: list[EntryRef], on_tie: OnTie, sku: str, scope: str, on: date) -> EntryRef:
    if len(tied) == 1:
        return tied[0]
    if on_tie == "first":
        return min(tied, key=lambda r: r.order)
    if on_tie == "lowest":
        return min(tied, key=lambda r: (r.entry.price.amount, r.order))
    if on_tie == "highest":
        return max(tied, key=lambda r: (r.entry.price.amount, -r.order))
    a, b = sorted(tied, key=lambda r: r.order)[:2]
    raise PriceTie(
        f"{a.path} ({a.entry.price}) and {b.path} ({b.entry.price}) tie for {sku}, {scope}, "
        f"break {a.min_base} on {on}; pass on_tie='first', 'lowest' or 'highest' to choose")


_Snapshot: TypeAlias = list[dict[object, tuple[tuple[int, int, "EntryRef | tuple[EntryRef, ...]"],
                                               ...]]]


class PriceIndex:
    """Price lists compiled for resolution by an access sequence (build once, query often).

    Args:
        lists: the price lists, in declaration order (derived lists are materialized).
            All must share one currency.
        sequence: the access sequence (default :data:`DEFAULT_ACCESS_SEQUENCE`).
        on_tie: the tie policy (see the module docs).
        products: products by SKU, needed to convert breaks given in packs and to
            check prices against the MRP.
        check_mrp: check resolved prices against the MRP (when products are given).
        rates: GST rates to gross up tax-exclusive prices for the MRP check.

    Raises:
        PriceCurrencyMismatch: lists of different currencies.
        PriceListError: a break in a pack that cannot be converted.
    """

    def __init__(
        self,
        lists: Iterable[PriceList],
        sequence: AccessSequence = DEFAULT_ACCESS_SEQUENCE,
        *,
        on_tie: OnTie = "raise",
        products: Mapping[str, Product] | Iterable[Product] | None = None,
        check_mrp: bool = True,
        rates: HsnRateTable | None = None,
    ) -> None:
        if on_tie not in ON_TIE_POLICIES:
            raise PricingError(f"on_tie: {on_tie!r} is not one of {', '.join(ON_TIE_POLICIES)}")
        self.lists: tuple[PriceList, ...] = materialize(lists)
        if not self.lists:
            raise PricingError("lists: at least one price list is needed")
        self.currency = self.lists[0].currency
        for pl in self.lists[1:]:
            if pl.currency != self.currency:
                raise PriceCurrencyMismatch(
                    f"price list {pl.id!r}.currency: {pl.currency} does not match price list "
                    f"{self.lists[0].id!r} in {self.currency}")
        self.sequence = sequence
        self.on_tie: OnTie = on_tie
        if products is None:
            self.products: dict[str, Product] = {}
        elif isinstance(products, Mapping):
            self.products = dict(products)
        else:
            self.products = {p.sku: p for p in products}
        self.check_mrp = check_mrp and bool(self.products)
        self.rates = rates
        groups: dict[tuple[int, tuple[str, ...], str], list[EntryRef]] = {}
        unreachable: list[EntryRef] = []
        skus: set[str] = set()
        problems: list[Problem] = []
        order = 0
        for pl in self.lists:
            for i, e in enumerate(pl.entries):
                min_base = e.min_qty
                if e.uom != BASE_UOM:
                    product = self.products.get(e.sku)
                    if product is None:
                        problems.append(Problem(
                            f"{pl.entry_path(i)}.uom",
                            f"break in {e.uom!r} needs product {e.sku!r} to convert it; "
                            "pass products="))
                        continue
                    try:
                        min_base = product.to_base(e.min_qty, e.uom)
                    except PricingError:
                        raise
                    except Exception as exc:
                        problems.append(Problem(f"{pl.entry_path(i)}.uom", str(exc)))
                        continue
                ref = EntryRef(pl.id, i, e, pl.tax_inclusive, order, min_base)
                order += 1
                skus.add(e.sku)
                step = sequence.position(e.scope.fields)
                if step is None:
                    unreachable.append(ref)
                    continue
                groups.setdefault((step, e.scope.key, e.sku), []).append(ref)
        if problems:
            raise PriceListError(problems)
        for refs in groups.values():
            refs.sort(key=lambda r: (r.min_base, r.order))
        self._groups = groups
        self.unreachable: tuple[EntryRef, ...] = tuple(unreachable)
        """Entries whose scope shape is not a step of the sequence (never used)."""
        self.skus: frozenset[str] = frozenset(skus)
        bounds: set[date] = set()
        for refs in groups.values():
            for r in refs:
                bounds.add(r.entry.validity.start)
                if r.entry.validity.end is not None:
                    bounds.add(r.entry.validity.end)
        if self.check_mrp:
            for p in self.products.values():
                for m in p.mrp:
                    bounds.add(m.validity.start)
                    if m.validity.end is not None:
                        bounds.add(m.validity.end)
            if rates is not None:
                bounds.update(rates.boundaries())
        self._bounds: tuple[date, ...] = tuple(sorted(bounds))
        self._snapshots: dict[int, _Snapshot] = {}
        self._tie_rows: set[int] = set()  # ids of snapshot rows that are ties (kept alive)
        self._plans: dict[Buyer, tuple[tuple[int, object], ...]] = {}

    # -- one line, with a trace ---------------------------------------------------------

    def resolve(self, buyer: Buyer, sku: str, qty: int, on: date) -> Resolution:
        """Resolve the price of ``qty`` base units of ``sku`` for ``buyer`` on ``on``.

        Uses the day's compiled tables; the returned :class:`Resolution` rebuilds
        its trace (:meth:`explain`) only when asked for.

        Raises:
            NoPrice: no step yields a price (the message lists every step tried);
                an unknown SKU says so.
            PriceTie: two entries tie under ``on_tie="raise"``.
            MrpViolation: a price valid that day exceeds the MRP (when products are known).
        """
        if isinstance(qty, bool) or not isinstance(qty, int) or qty < 0:
            raise PricingError(f"line {sku!r}.qty: must be an int >= 0, got {qty!r}")
        snap = self._snapshot(on)
        plan = self._plans.get(buyer)
        if plan is None:
            plan = self._plan(buyer)
        for si, prefix in plan:
            hit = snap[si].get((prefix, sku))
            if hit is None:
                continue
            for m, p, ref in hit:  # noqa: B007  (p and ref are read after the break)
                if m <= qty:
                    break
            else:
                continue
            if p < 0 or not isinstance(ref, EntryRef):
                break  # a tie under on_tie="raise": explain() raises it, named
            return Resolution(buyer, sku, qty, on, ref.entry.price, ref, si, self)
        self.explain(buyer, sku, qty, on)
        raise AssertionError("unreachable: explain() raises when resolve() finds nothing")

    def _plan(self, buyer: Buyer) -> tuple[tuple[int, object], ...]:
        """The steps that apply to ``buyer`` with their key prefixes (cached per buyer)."""
        plan: list[tuple[int, object]] = []
        for si, step in enumerate(self.sequence.steps):
            key = step.key(buyer)
            if key is not None:
                plan.append((si, key[0] if len(key) == 1 else key))
        if len(self._plans) > 100_000:
            self._plans.clear()
        found = self._plans[buyer] = tuple(plan)
        return found

    def explain(self, buyer: Buyer, sku: str, qty: int, on: date) -> tuple[EntryRef, int, Trace]:
        """Resolve like :meth:`resolve`, building the trace: ``(entry, step index, trace)``.

        Raises:
            NoPrice, PriceTie, MrpViolation: as :meth:`resolve`.
        """
        if isinstance(qty, bool) or not isinstance(qty, int) or qty < 0:
            raise PricingError(f"line {sku!r}.qty: must be an int >= 0, got {qty!r}")
        if sku not in self.skus:
            names = ", ".join(repr(pl.id) for pl in self.lists)
            raise NoPrice(f"line {sku!r}.sku: unknown SKU, in none of price lists {names}")
        trace = Trace.of(f"price of {sku} × {qty} for {buyer.account} on {on}")
        steps = self.sequence.steps
        for si, step in enumerate(steps):
            label = step.describe()
            key = step.key(buyer)
            if key is None:
                trace = trace.add(label, "skipped",
                                  f"buyer has no {', '.join(step.missing(buyer))}")
                continue
            where = ", ".join(f"{f}={v}" for f, v in zip(step.fields, key, strict=True)) or \
                "everyone"
            refs = self._groups.get((si, key, sku))
            if not refs:
                trace = trace.add(label, "skipped", f"no entry for {where}")
                continue
            valid = [r for r in refs if r.entry.validity.contains(on)]
            if not valid:
                n = len(refs)
                trace = trace.add(label, "rejected", f"{n} entr{'y' if n == 1 else 'ies'} for "
                                  f"{where}, none valid on {on}")
                continue
            fitting = [r for r in valid if r.min_base <= qty]
            if not fitting:
                trace = trace.add(label, "rejected", f"smallest break {valid[0].min_base} for "
                                  f"{where} is above qty {qty}")
                continue
            top = fitting[-1].min_base
            tied = [r for r in fitting if r.min_base == top]
            chosen = _pick(tied, self.on_tie, sku, where, on)
            children = []
            for r in valid:
                if r is chosen:
                    continue
                why = ("tie lost under on_tie=" + self.on_tie if r.min_base == top else
                       "lower break" if r.min_base < top else f"break above qty {qty}")
                children.append(TraceStep(r.path, "considered",
                                          f"break {r.min_base}, {r.entry.price}: {why}"))
            trace = trace.add(label, "applied", f"{chosen.path}: break {chosen.min_base} ≤ {qty} "
                              f"at {chosen.entry.price}", children)
            for rest in steps[si + 1:]:
                trace = trace.add(rest.describe(), "skipped", "not reached")
            if self.check_mrp and sku in self.products:
                check_within_mrp(chosen.entry.price, chosen.tax_inclusive, self.products[sku], on,
                                 where=f"{chosen.path}.price", rates=self.rates)
            return chosen, si, trace
        raise NoPrice(f"line {sku!r}: no price for buyer {buyer.account!r} × {qty} on {on}\n"
                      + trace.render())

    # -- many lines, no traces ------------------------------------------------------------

    def _snapshot(self, on: date) -> _Snapshot:
        """One dict per step for the validity segment holding ``on``.

        Keys are ``(prefix, sku)`` where the prefix is the scope value (one field),
        the tuple of values (several) or ``()`` (everyone); values are the breaks
        valid that day, highest first, as ``(min_base, minor units, entry)``.
        A tie kept for ``on_tie="raise"`` has minor units ``-1``.
        """
        seg = bisect_right(self._bounds, on)
        snap = self._snapshots.get(seg)
        if snap is not None:
            return snap
        snap = [{} for _ in self.sequence.steps]
        for (si, key, sku), refs in self._groups.items():
            valid = [r for r in refs if r.entry.validity.contains(on)]
            if not valid:
                continue
            rows: list[tuple[int, int, EntryRef | tuple[EntryRef, ...]]] = []
            i = 0
            while i < len(valid):
                j = i
                while j < len(valid) and valid[j].min_base == valid[i].min_base:
                    j += 1
                tied = valid[i:j]
                if len(tied) > 1 and self.on_tie == "raise":
                    tie_row = (valid[i].min_base, -1, tuple(tied))
                    self._tie_rows.add(id(tie_row))
                    rows.append(tie_row)
                else:
                    one = _pick(tied, self.on_tie, sku, "", on)
                    if self.check_mrp and sku in self.products:
                        check_within_mrp(one.entry.price, one.tax_inclusive, self.products[sku],
                                         on, where=f"{one.path}.price", rates=self.rates)
                    rows.append((one.min_base, one.entry.price.minor_units(), one))
                i = j
            n = len(key)
            snap[si][(key[0] if n == 1 else key, sku)] = tuple(reversed(rows))
        self._snapshots[seg] = snap
        return snap

    def resolve_many(
        self,
        lines: Iterable[tuple[Buyer, str, int]],
        on: date,
        *,
        trace: bool = False,
        missing: Literal["raise", "skip"] = "raise",
    ) -> BulkPrices:
        """Resolve many ``(buyer, sku, qty)`` lines on one day with the precompiled index.

        Prices are kept as integer minor units; :class:`Money` is built only when
        asked for. With ``trace=True`` every line goes through :meth:`resolve`
        (slow, but explained). Quantities are not re-validated here.

        Args:
            lines: the lines, each ``(buyer, sku, qty in base units)``.
            on: the day.
            trace: keep a :class:`Resolution` with its trace per line.
            missing: ``"raise"`` (default) raises :class:`NoPrice` for the first line
                without a price; ``"skip"`` leaves ``None`` in its place.
        """
        return resolve_lines(self, lines, on, trace=trace, missing=missing)


def resolve_price(
    lists: Iterable[PriceList],
    buyer: Buyer,
    sku: str,
    qty: int,
    on: date,
    *,
    sequence: AccessSequence = DEFAULT_ACCESS_SEQUENCE,
    on_tie: OnTie = "raise",
    products: Mapping[str, Product] | Iterable[Product] | None = None,
) -> Resolution:
    """Resolve one price without keeping an index (builds one each call).

    Examples:
        >>> from datetime import date
        >>> from distcrm.pricing.price_lists import PriceEntry
        >>> a = PriceList("A", "INR", entries=(PriceEntry("SKU1", Money.of("10", "INR")),))
        >>> b = PriceList("B", "INR", entries=(PriceEntry("SKU1", Money.of("9", "INR")),))
        >>> resolve_price([a, b], Buyer("R1"), "SKU1", 1, date(2025, 6, 1))
        Traceback (most recent call last):
        ...
        distcrm.pricing.errors.PriceTie: price list 'A'.entries[0] (10 INR) and price list 'B'.entries[0] (9 INR) tie for SKU1, everyone, break 1 on 2025-06-01; pass on_tie='first', 'lowest' or 'highest' to choose
        >>> resolve_price([a, b], Buyer("R1"), "SKU1", 1, date(2025, 6, 1), on_tie="lowest").entry.list_id
        'B'
    """
    index = PriceIndex(lists, sequence, on_tie=on_tie, products=products)
    return index.resolve(buyer, sku, qty, on)
