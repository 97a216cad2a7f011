"""The catalog: products (SKUs), their MRP history, pack sizes and category tree.

Quantities are kept in base units (pieces); a :class:`PackSize` converts
cases, boxes or inners to and from base units. MRP (maximum retail price,
tax-inclusive) is effective-dated, so a past day's MRP can be recomputed.

Examples:
    >>> from datetime import date
    >>> p = Product("SKU1", "Glucose biscuit 100g", brand="Tiger",
    ...             category=("Foods", "Biscuits"), hsn="1905",
    ...             mrp=(MrpEntry(Money.of("10", "INR"), Validity(date(2025, 1, 1))),),
    ...             packs=(PackSize("case", 24),))
    >>> p.to_base(3, "case")
    72
    >>> p.from_base(50, "case")
    (2, 2)
    >>> str(p.mrp_on(date(2025, 6, 1)))
    '10 INR'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import NewType

import attrs

from distcrm.errors import NotFound, ValidationError
from distcrm.money import Money
from distcrm.periods import Validity

__all__ = [
    "BASE_UOM",
    "CategoryPath",
    "CategoryTree",
    "MrpEntry",
    "PackSize",
    "Product",
    "SkuId",
    "as_sku_id",
    "category_key",
    "parse_category",
]

SkuId = NewType("SkuId", str)
CategoryPath = tuple[str, ...]
BASE_UOM = "unit"
"""Name of the base unit of measure every quantity is stored in."""


def as_sku_id(value: str) -> SkuId:
    """Convert a plain string to a :data:`SkuId` (used as an attrs converter)."""
    return SkuId(value)


def category_key(path: CategoryPath) -> str:
    """The path joined with ``/``: ``("Foods", "Biscuits")`` → ``"Foods/Biscuits"``."""
    return "/".join(path)


def parse_category(key: str) -> CategoryPath:
    """The inverse of :func:`category_key`.

    Examples:
        >>> parse_category("Foods/Biscuits")
        ('Foods', 'Biscuits')
    """
    parts = tuple(p.strip() for p in key.split("/"))
    if not key or any(not p for p in parts):
        raise ValidationError(f"category: {key!r} is not a path like 'Foods/Biscuits'")
    return parts


@attrs.frozen
class PackSize:
    """A pack: ``1 <uom> = <units> base units`` (``PackSize("case", 24)``)."""

    uom: str
    units: int = attrs.field()

    @units.validator
    def _units_ok(self, _: attrs.Attribute[int], value: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValidationError(f"pack {self.uom!r}.units: must be an int >= 1, got {value!r}")


@attrs.frozen
class MrpEntry:
    """The MRP (tax-inclusive maximum retail price per base unit) during ``validity``."""

    price: Money
    validity: Validity = attrs.field(factory=Validity.always)


def _category_path(values: Iterable[str]) -> CategoryPath:
    return tuple(values)


def _mrp_entries(values: Iterable[MrpEntry]) -> tuple[MrpEntry, ...]:
    return tuple(values)


def _pack_sizes(values: Iterable[PackSize]) -> tuple[PackSize, ...]:
    return tuple(values)


@attrs.frozen
class Product:
    """A stock-keeping unit.

    Attributes:
        sku: the SKU id.
        name: display name.
        brand: brand name.
        category: path from the root category down, e.g. ``("Foods", "Biscuits")``.
        hsn: HSN code used to look up the GST rate.
        mrp: MRP history; entries may not overlap and share one currency.
        packs: pack sizes other than the base unit.
        base_uom: the name of the base unit (default ``"unit"``).
    """

    sku: SkuId = attrs.field(converter=as_sku_id)
    name: str
    brand: str = ""
    category: CategoryPath = attrs.field(default=(), converter=_category_path)
    hsn: str = ""
    mrp: tuple[MrpEntry, ...] = attrs.field(default=(), converter=_mrp_entries)
    packs: tuple[PackSize, ...] = attrs.field(default=(), converter=_pack_sizes)
    base_uom: str = BASE_UOM

    def __attrs_post_init__(self) -> None:
        where = f"product {self.sku!r}"
        problems: list[str] = []
        if not isinstance(self.sku, str) or not self.sku:
            problems.append(f"{where}.sku: must be a non-empty string")
        if self.hsn and not (self.hsn.isdigit() and len(self.hsn) in (2, 4, 6, 8)):
            problems.append(f"{where}.hsn: {self.hsn!r} must be 2, 4, 6 or 8 digits")
        currencies = {e.price.currency for e in self.mrp}
        if len(currencies) > 1:
            problems.append(f"{where}.mrp: entries mix currencies {sorted(currencies)}")
        for i, e in enumerate(self.mrp):
            if e.price.amount <= 0:
                problems.append(f"{where}.mrp[{i}].price: must be > 0")
            for j in range(i):
                if self.mrp[j].validity.overlaps(e.validity):
                    problems.append(
                        f"{where}.mrp[{i}].validity: {e.validity} overlaps mrp[{j}] "
                        f"{self.mrp[j].validity}"
                    )
        uoms = [p.uom for p in self.packs]
        for i, uom in enumerate(uoms):
            if uom == self.base_uom or uom in uoms[:i]:
                problems.append(f"{where}.packs[{i}].uom: {uom!r} is declared twice")
        if problems:
            raise ValidationError("\n".join(problems))

    def mrp_on(self, on: date) -> Money:
        """The MRP in force on ``on``; raises :class:`NotFound` when there is none."""
        for entry in self.mrp:
            if entry.validity.contains(on):
                return entry.price
        raise NotFound(f"product {self.sku!r}.mrp: no MRP in force on {on.isoformat()}")

    def units_per(self, uom: str) -> int:
        """Base units in one ``uom`` (1 for the base unit itself)."""
        if uom == self.base_uom:
            return 1
        for pack in self.packs:
            if pack.uom == uom:
                return pack.units
        known = ", ".join([self.base_uom, *(p.uom for p in self.packs)])
        raise ValidationError(f"product {self.sku!r}.packs: no pack {uom!r} (known: {known})")

    def to_base(self, qty: int, uom: str) -> int:
        """``qty`` packs of ``uom`` in base units."""
        return qty * self.units_per(uom)

    def from_base(self, units: int, uom: str) -> tuple[int, int]:
        """Base ``units`` as (whole packs of ``uom``, remaining base units)."""
        per = self.units_per(uom)
        return units // per, units % per

    def in_category(self, path: CategoryPath) -> bool:
        """True when the product sits in ``path`` or below it."""
        return self.category[: len(path)] == tuple(path)


@attrs.frozen
class CategoryTree:
    """The category tree implied by a set of products.

    Examples:
        >>> tree = CategoryTree.from_products([
        ...     Product("A", "a", category=("Foods", "Biscuits")),
        ...     Product("B", "b", category=("Foods", "Snacks", "Chips")),
        ...     Product("C", "c", category=("Home", "Soap"))])
        >>> tree.children(("Foods",))
        (('Foods', 'Biscuits'), ('Foods', 'Snacks'))
        >>> sorted(tree.skus_in(("Foods",)))
        ['A', 'B']
    """

    nodes: frozenset[CategoryPath]
    skus: tuple[tuple[CategoryPath, SkuId], ...]

    @classmethod
    def from_products(cls, products: Iterable[Product]) -> CategoryTree:
        """Build the tree from every product's category path and its prefixes."""
        nodes: set[CategoryPath] = set()
        skus: list[tuple[CategoryPath, SkuId]] = []
        for p in products:
            for depth in range(1, len(p.category) + 1):
                nodes.add(p.category[:depth])
            skus.append((p.category, p.sku))
        return cls(frozenset(nodes), tuple(sorted(skus)))

    def roots(self) -> tuple[CategoryPath, ...]:
        """Top-level categories, sorted."""
        return tuple(sorted(n for n in self.nodes if len(n) == 1))

    def _check(self, path: CategoryPath) -> CategoryPath:
        path = tuple(path)
        if path and path not in self.nodes:
            raise NotFound(f"category: {category_key(path)!r} is not in the catalog")
        return path

    def children(self, path: CategoryPath) -> tuple[CategoryPath, ...]:
        """Direct sub-categories of ``path``, sorted."""
        path = self._check(path)
        return tuple(
            sorted(n for n in self.nodes if len(n) == len(path) + 1 and n[: len(path)] == path)
        )

    def descendants(self, path: CategoryPath) -> tuple[CategoryPath, ...]:
        """Every category below ``path``, sorted."""
        path = self._check(path)
        return tuple(sorted(n for n in self.nodes if len(n) > len(path) and n[: len(path)] == path))

    def ancestors(self, path: CategoryPath) -> tuple[CategoryPath, ...]:
        """Categories above ``path``, nearest first."""
        path = self._check(path)
        return tuple(path[:d] for d in range(len(path) - 1, 0, -1))

    def skus_in(self, path: CategoryPath) -> Iterator[SkuId]:
        """SKUs in ``path`` or below it."""
        path = self._check(path)
        for cat, sku in self.skus:
            if cat[: len(path)] == path:
                yield sku
