"""Price lists and their entries; lists based on other lists.

A :class:`PriceList` has one currency, says whether its prices include tax,
and holds :class:`PriceEntry` records: a SKU's price per base unit for a
:class:`~distcrm.pricing.scopes.Scope`, from a minimum quantity (a *quantity
break*, in base units or in a pack such as ``"case"``) during a validity.
A list may be *based on* another with a percentage and/or amount change
(:class:`BasedOn`); :func:`materialize` turns such lists into plain ones and
detects loops.

Examples:
    >>> from datetime import date
    >>> inr = lambda s: Money.of(s, "INR")
    >>> ptr = PriceList("PTR", "INR", entries=(
    ...     PriceEntry("SKU1", inr("72.03"), Scope(tier="retailer")),
    ...     PriceEntry("SKU1", inr("70.00"), Scope(tier="retailer"), min_qty=2, uom="case"),
    ... ))
    >>> promo = PriceList("PROMO", "INR", based_on=BasedOn("PTR", percent=Decimal("-5")))
    >>> [str(e.price) for e in materialize([ptr, promo])[1].entries]
    ['68.43 INR', '66.50 INR']
    >>> PriceList("BAD", "INR", entries=(PriceEntry("SKU1", inr("-1")),))
    Traceback (most recent call last):
    ...
    distcrm.pricing.errors.PriceListError: price list 'BAD'.entries[0].price: must be >= 0, got -1 INR
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import attrs

from distcrm.catalog import BASE_UOM, SkuId, as_sku_id
from distcrm.errors import Problem
from distcrm.money import Money, quantum, round_decimal, to_decimal
from distcrm.periods import Validity
from distcrm.pricing.errors import PriceCurrencyMismatch, PriceListCycle, PriceListError
from distcrm.pricing.scopes import Scope

__all__ = [
    "BasedOn",
    "PriceEntry",
    "PriceList",
    "materialize",
]


@attrs.frozen
class PriceEntry:
    """The price of one SKU per base unit for a scope, from a quantity break, during a validity.

    Attributes:
        sku: the SKU priced.
        price: price per base unit, in the list's currency; must be ``Money`` and >= 0.
        scope: the buyers it applies to (default: everyone).
        min_qty: the quantity break: applies to lines of at least this quantity.
        uom: unit of ``min_qty``: the base unit (default) or a pack such as ``"case"``.
        validity: the days the entry is valid, ``[start, end)``.
        label: optional free text (e.g. a condition record number) shown in traces.
    """

    sku: SkuId = attrs.field(converter=as_sku_id)
    price: Money
    scope: Scope = attrs.field(factory=Scope)
    min_qty: int = 1
    uom: str = BASE_UOM
    validity: Validity = attrs.field(factory=Validity.always)
    label: str = ""

    def describe(self) -> str:
        """One line: SKU, scope, break, price and validity."""
        unit = "" if self.uom == BASE_UOM else f" {self.uom}"
        return (f"{self.sku} for {self.scope.describe()} from {self.min_qty}{unit} at "
                f"{self.price} {self.validity}")


def _percent(value: Decimal | int | str) -> Decimal:
    return to_decimal(value, what="based_on.percent")


def _amount(value: Decimal | int | str) -> Decimal:
    return to_decimal(value, what="based_on.amount")


@attrs.frozen
class BasedOn:
    """Derive a list from another: ``price × (1 + percent/100) + amount``, rounded half-up.

    Attributes:
        list_id: the base list.
        percent: percentage change (``Decimal("-5")`` is 5 % below the base).
        amount: amount change per base unit, in the list's currency.
    """

    list_id: str
    percent: Decimal = attrs.field(default=Decimal(0), converter=_percent)
    amount: Decimal = attrs.field(default=Decimal(0), converter=_amount)

    def apply(self, price: Money) -> Money:
        """The derived price of ``price`` (rounded half-up to the minor unit)."""
        raw = price.amount * (1 + self.percent / 100) + self.amount
        return Money(round_decimal(raw, quantum(price.currency)), price.currency)


def _entries(values: Iterable[PriceEntry]) -> tuple[PriceEntry, ...]:
    return tuple(values)


@attrs.frozen
class PriceList:
    """A price list: one currency, tax-inclusive or exclusive prices, entries or a base list.

    Construction validates every entry and raises one error listing every problem:
    :class:`~distcrm.pricing.errors.PriceCurrencyMismatch` when an entry's currency
    differs from the list's, else :class:`~distcrm.pricing.errors.PriceListError`
    (non-``Money`` or negative prices, bad breaks, two entries with the same scope,
    SKU and break valid on a common day).

    Examples:
        >>> from datetime import date
        >>> e = PriceEntry("SKU1", Money.of("10", "INR"), Scope(tier="retailer"))
        >>> PriceList("PL1", "INR", entries=(e, e))
        Traceback (most recent call last):
        ...
        distcrm.pricing.errors.PriceListError: price list 'PL1'.entries[1]: same scope, SKU and break as entries[0] (SKU1 for tier=retailer from 1) on overlapping days
    """

    id: str
    currency: str
    tax_inclusive: bool = False
    entries: tuple[PriceEntry, ...] = attrs.field(default=(), converter=_entries)
    based_on: BasedOn | None = None
    name: str = ""

    def __attrs_post_init__(self) -> None:
        where = f"price list {self.id!r}"
        if not isinstance(self.id, str) or not self.id:
            raise PriceListError(f"{where}.id: must be a non-empty string")
        try:
            quantum(self.currency)
            Money.zero(self.currency)
        except Exception:
            raise PriceListError(f"{where}.currency: {self.currency!r} is not a currency") from None
        problems: list[Problem] = []
        currency_problems: list[Problem] = []
        seen: dict[tuple[Scope, str, int, str], list[tuple[int, Validity]]] = {}
        for i, e in enumerate(self.entries):
            path = f"{where}.entries[{i}]"
            if not isinstance(e, PriceEntry):
                problems.append(Problem(path, f"expected a PriceEntry, got {type(e).__name__}"))
                continue
            if not isinstance(e.price, Money):
                problems.append(Problem(
                    f"{path}.price",
                    f"expected Money with a Decimal amount, got {type(e.price).__name__} "
                    f"{e.price!r}"))
            elif e.price.currency != self.currency:
                currency_problems.append(Problem(
                    f"{path}.price", f"currency {e.price.currency} does not match the list's "
                    f"{self.currency}"))
            elif e.price.amount < 0:
                problems.append(Problem(f"{path}.price", f"must be >= 0, got {e.price}"))
            if isinstance(e.min_qty, bool) or not isinstance(e.min_qty, int) or e.min_qty < 0:
                problems.append(Problem(f"{path}.min_qty",
                                        f"must be an int >= 0, got {e.min_qty!r}"))
            if not isinstance(e.uom, str) or not e.uom:
                problems.append(Problem(f"{path}.uom", "must be a non-empty unit name"))
            if not isinstance(e.scope, Scope):
                problems.append(Problem(f"{path}.scope",
                                        f"expected a Scope, got {type(e.scope).__name__}"))
                continue
            if not isinstance(e.validity, Validity):
                problems.append(Problem(f"{path}.validity",
                                        f"expected a Validity, got {type(e.validity).__name__}"))
                continue
            same = seen.setdefault((e.scope, e.sku, e.min_qty, e.uom), [])
            for j, v in same:
                if v.overlaps(e.validity):
                    problems.append(Problem(
                        path, f"same scope, SKU and break as entries[{j}] ({e.sku} for "
                        f"{e.scope.describe()} from {e.min_qty}"
                        f"{'' if e.uom == BASE_UOM else ' ' + e.uom}) on overlapping days"))
                    break
            same.append((i, e.validity))
        if currency_problems:
            raise PriceCurrencyMismatch([*currency_problems, *problems])
        if problems:
            raise PriceListError(problems)

    def entry_path(self, index: int) -> str:
        """``price list 'ID'.entries[index]``: how errors and traces name an entry."""
        return f"price list {self.id!r}.entries[{index}]"


def _subtract(v: Validity, cut: Validity) -> list[Validity]:
    """Parts of ``v`` outside ``cut``."""
    if not v.overlaps(cut):
        return [v]
    parts: list[Validity] = []
    if v.start < cut.start:
        parts.append(Validity(v.start, cut.start))
    if cut.end is not None and (v.end is None or cut.end < v.end):
        parts.append(Validity(cut.end, v.end))
    return parts


def materialize(lists: Iterable[PriceList]) -> tuple[PriceList, ...]:
    """Return ``lists`` with every derived list expanded into plain entries (same order).

    A derived list holds the base list's entries (recursively expanded) changed by
    its :class:`BasedOn`, except on the days where one of its own entries has the
    same scope, SKU and break: its own entries win there. Its own entries come
    first, then the derived ones.

    Raises:
        PriceListError: an unknown base list, a derived price below zero, a currency
            or tax basis differing from the base list's.
        PriceListCycle: lists based on one another in a loop (the loop is named).

    Examples:
        >>> a = PriceList("A", "INR", based_on=BasedOn("B"))
        >>> b = PriceList("B", "INR", based_on=BasedOn("A"))
        >>> materialize([a, b])
        Traceback (most recent call last):
        ...
        distcrm.pricing.errors.PriceListCycle: price list 'A'.based_on: lists are based on one another in a loop: A -> B -> A
    """
    given = tuple(lists)
    by_id: dict[str, PriceList] = {}
    for pl in given:
        if pl.id in by_id:
            raise PriceListError(f"price list {pl.id!r}.id: given twice")
        by_id[pl.id] = pl
    done: dict[str, PriceList] = {}

    def expand(pl: PriceList, path: tuple[str, ...]) -> PriceList:
        if pl.id in done:
            return done[pl.id]
        if pl.based_on is None:
            done[pl.id] = pl
            return pl
        where = f"price list {pl.id!r}.based_on"
        base_id = pl.based_on.list_id
        if base_id in path or base_id == pl.id:
            loop = [*path[path.index(base_id):], pl.id, base_id] if base_id in path else [
                pl.id, base_id]
            raise PriceListCycle(
                f"price list {loop[0]!r}.based_on: lists are based on one another in a loop: "
                + " -> ".join(loop))
        if base_id not in by_id:
            raise PriceListError(f"{where}.list_id: unknown price list {base_id!r}")
        base = expand(by_id[base_id], (*path, pl.id))
        if base.currency != pl.currency:
            raise PriceCurrencyMismatch(
                f"{where}.list_id: base list {base_id!r} is in {base.currency}, "
                f"this list in {pl.currency}")
        if base.tax_inclusive != pl.tax_inclusive:
            raise PriceListError(
                f"{where}.list_id: base list {base_id!r} and this list differ in tax_inclusive")
        own: dict[tuple[Scope, str, int, str], list[Validity]] = {}
        for e in pl.entries:
            own.setdefault((e.scope, e.sku, e.min_qty, e.uom), []).append(e.validity)
        derived: list[PriceEntry] = []
        for i, e in enumerate(base.entries):
            price = pl.based_on.apply(e.price)
            if price.amount < 0:
                raise PriceListError(
                    f"{where}: derived price {price} of {base.entry_path(i)} is below zero")
            pieces = [e.validity]
            for cut in own.get((e.scope, e.sku, e.min_qty, e.uom), ()):
                pieces = [p for piece in pieces for p in _subtract(piece, cut)]
            label = e.label or f"from {base_id}[{i}]"
            derived.extend(attrs.evolve(e, price=price, validity=p, label=label) for p in pieces)
        result = PriceList(pl.id, pl.currency, pl.tax_inclusive, (*pl.entries, *derived),
                           None, pl.name)
        done[pl.id] = result
        return result

    return tuple(expand(pl, ()) for pl in given)

