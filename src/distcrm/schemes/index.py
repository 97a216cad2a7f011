"""Schemes compiled once against a catalog, reusable across evaluations.

:func:`~distcrm.schemes.evaluate` compiles its schemes on every call. An
application that prices order after order (an ERP, a DMS) builds a
:class:`SchemeIndex` once and passes it instead of the scheme list: product
selections are then resolved once per SKU for the life of the index, and
each evaluation only measures its documents.

Examples:
    >>> from datetime import date
    >>> from typing import TypeAlias

from distcrm.catalog import Product, SkuId
    >>> from distcrm.periods import Validity
    >>> from distcrm.schemes.model import PercentDiscount, ProductSelection, Scheme, Slab
    >>> s = Scheme("S", "s", Validity(date(2025, 4, 1)), slabs=(Slab(1, PercentDiscount(2)),),
    ...            products=ProductSelection(categories={"Foods"}))
    >>> index = SchemeIndex([s], [Product("A", "a", category=("Foods", "Tea")),
    ...                           Product("B", "b", category=("Home",))])
    >>> [cs.id for cs in index.candidates(index.signature("secondary", date(2025, 5, 1)), "A")]
    ['S']
    >>> index.candidates(index.signature("secondary", date(2025, 5, 1)), "B")
    ()
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TypeAlias

import attrs

from distcrm.catalog import Product, SkuId
from distcrm.errors import SchemeError
from distcrm.money import Money, minor_unit_exponent
from distcrm.parties import Account, AccountId
from distcrm.schemes.arithmetic import Number, to_number
from distcrm.schemes.model import PercentDiscount, Scheme

__all__ = [
    "AccountsArg",
    "CompiledScheme",
    "PricesArg",
    "ProductsArg",
    "SchemeIndex",
    "as_mapping",
]

AccountsArg: TypeAlias = Mapping[str, Account] | Mapping[AccountId, Account] | Iterable[Account]
"""Accounts by id (plain or typed ids) or an iterable of accounts."""
ProductsArg: TypeAlias = Mapping[str, Product] | Mapping[SkuId, Product] | Iterable[Product]
"""Products by SKU (plain or typed) or an iterable of products."""
PricesArg: TypeAlias = Mapping[str, Money] | Mapping[SkuId, Money] | None
"""Unit prices by SKU (plain or typed), or None."""


def as_mapping(items: Iterable[object], what: str) -> Mapping[str, object]:
    """Accounts (by ``id``) or products (by ``sku``) as a mapping (a mapping is used as is)."""
    if isinstance(items, Mapping):
        # read only, never copied: evaluating one order against a 100k-account mapping
        # must not cost a copy of it (typed ids are plain strings at run time)
        return items
    out: dict[str, object] = {}
    attr = "id" if what == "accounts" else "sku"
    for item in items:
        key = getattr(item, attr, None)
        if not isinstance(key, str):
            raise SchemeError(f"evaluate.{what}: {item!r} has no {attr}")
        out[key] = item
    return out


@attrs.define(eq=False)
class CompiledScheme:
    """A scheme prepared for evaluation: bounds in integer units, cached pack sizes."""

    pos: int
    scheme: Scheme
    exp: int  # minor unit exponent of the scheme's currency
    bounds: tuple[Number, ...]  # slab bounds in internal units (units, cases, minor units)
    buyer: bool
    wkind: str
    products: Mapping[str, Product]
    packs: dict[str, int] = attrs.Factory(dict)
    labels: dict[int, str] = attrs.Factory(dict)
    internals: dict[Decimal, Number] = attrs.Factory(dict)
    open_eligibility: bool = False
    party_bounds: dict[str, object] = attrs.Factory(dict)  # per-party bounds (target schemes)
    # step-mode percent of the measured value: each slab's percent as (numerator,
    # denominator) and their common denominator; empty when not such a scheme
    step_percent: tuple[tuple[int, int], ...] = ()
    step_den: int = 1
    value_measure: bool = False
    # the selected SKUs when the selection is by SKU id alone (no brand, category or
    # exclusion): then a set look-up decides; None otherwise
    sku_only: frozenset[str] | None = None
    miss_tails: dict[tuple[int, Decimal | None], str] = attrs.Factory(dict)

    @property
    def id(self) -> str:
        return self.scheme.id

    def pack(self, sku: str) -> int:
        got = self.packs.get(sku)
        if got is None:
            product = self.products.get(sku)
            if product is None:
                raise SchemeError(
                    f"scheme {self.id!r}.measure: SKU {sku!r} is not in products, so its "
                    f"{self.scheme.case_uom!r} pack size is unknown"
                )
            try:
                got = product.units_per(self.scheme.case_uom)
            except Exception as exc:
                raise SchemeError(f"scheme {self.id!r}.case_uom: {exc}") from None
            self.packs[sku] = got
        return got

    def internal(self, value: Decimal) -> Number:
        """A definition amount (in the measure) in internal units."""
        got = self.internals.get(value)
        if got is None:
            if self.scheme.is_value_measure:
                got = to_number(value.scaleb(self.exp))
            else:
                got = to_number(value)
            self.internals[value] = got
        return got


def _prepare_step_percent(cs: CompiledScheme) -> None:
    s = cs.scheme
    if s.slab_mode != "step" or not all(type(b) is int for b in cs.bounds):
        return
    fracs: list[Fraction] = []
    for slab in s.slabs:
        b = slab.benefit
        if not isinstance(b, PercentDiscount) or b.base != s.measure:
            return
        fracs.append(Fraction(b.percent))
    den = 1
    for f in fracs:
        den = den * f.denominator // math.gcd(den, f.denominator)
    cs.step_percent = tuple((f.numerator, f.denominator) for f in fracs)
    cs.step_den = den


class SchemeIndex:
    """Schemes compiled against a catalog: SKU → candidate schemes, resolved once per SKU.

    Args:
        schemes: the scheme definitions (ids must be unique).
        products: the catalog, by SKU or as an iterable of products.

    Raises:
        SchemeError: a non-scheme in ``schemes`` or a repeated id.
    """

    def __init__(
        self,
        schemes: Iterable[Scheme],
        products: ProductsArg = (),
    ) -> None:
        scheme_list = list(schemes)
        seen: dict[str, int] = {}
        for i, s in enumerate(scheme_list):
            if not isinstance(s, Scheme):
                raise SchemeError(
                    f"evaluate.schemes[{i}]: expected a Scheme, got {type(s).__name__}"
                )
            if s.id in seen:
                raise SchemeError(f"evaluate.schemes[{i}].id: {s.id!r} is listed twice")
            seen[s.id] = i
        self.schemes: tuple[Scheme, ...] = tuple(scheme_list)
        self.positions: dict[str, int] = seen
        self.products: Mapping[str, Product] = dict(as_mapping(products, "products"))  # type: ignore[arg-type]
        self.compiled: list[CompiledScheme] = []
        for i, s in enumerate(scheme_list):
            cs = CompiledScheme(
                pos=i,
                scheme=s,
                exp=minor_unit_exponent(s.currency),
                bounds=(),
                buyer=s.party == "buyer",
                wkind=s.window,
                products=self.products,
                open_eligibility=s.eligibility.is_open,
                value_measure=s.is_value_measure,
            )
            cs.bounds = tuple(cs.internal(b) for b in s.slab_bounds)
            _prepare_step_percent(cs)
            sel = s.products
            if sel.skus and not (
                sel.categories
                or sel.brands
                or sel.exclude_skus
                or sel.exclude_categories
                or sel.exclude_brands
            ):
                cs.sku_only = frozenset(sel.skus)
            self.compiled.append(cs)
        self._signatures: dict[tuple[str, date], tuple[int, ...]] = {}
        self._maps: dict[tuple[int, ...], dict[str, tuple[CompiledScheme, ...]]] = {}

    def signature(self, level: str, on: date) -> tuple[int, ...]:
        """Positions of the schemes of ``level`` in force on ``on``."""
        key = (level, on)
        sig = self._signatures.get(key)
        if sig is None:
            sig = self._signatures[key] = tuple(
                cs.pos
                for cs in self.compiled
                if cs.scheme.level == level and cs.scheme.validity.contains(on)
            )
        return sig

    def sku_map(self, signature: tuple[int, ...]) -> dict[str, tuple[CompiledScheme, ...]]:
        """The (lazily filled) SKU → candidate schemes map of one signature."""
        got = self._maps.get(signature)
        if got is None:
            got = self._maps[signature] = {}
        return got

    def candidates(self, signature: tuple[int, ...], sku: str) -> tuple[CompiledScheme, ...]:
        """Schemes of ``signature`` whose product selection includes ``sku``."""
        skumap = self.sku_map(signature)
        got = skumap.get(sku)
        if got is None:
            product = self.products.get(sku)
            found: list[CompiledScheme] = []
            for i in signature:
                cs = self.compiled[i]
                only = cs.sku_only
                if (
                    sku in only
                    if only is not None
                    else cs.scheme.products.matches_sku(sku, product)
                ):
                    found.append(cs)
            got = skumap[sku] = tuple(found)
        return got
