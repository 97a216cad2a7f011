"""Scheme definitions: trade schemes as plain data, validated on construction.

A :class:`Scheme` says *who* may earn (:class:`Eligibility`, and which party of
a document earns: ``party="buyer"`` or ``"seller"``), *on what*
(:class:`ProductSelection`, optional :class:`ComboGroup` conditions), *how the
volume is measured* (``measure``) and *over which window* (``window``), the
*condition* (:class:`Slab` list with inclusive lower bounds, ``slab_mode``),
the *benefit* of each slab (:class:`FreeGoods`, :class:`PercentDiscount`,
:class:`FlatAmount`, :class:`Rebate`), :class:`Caps`, how it *stacks* with
other schemes and how it is *settled*.

Money amounts inside a definition (slab bounds of value measures, flat
amounts, caps) are ``Decimal`` in the scheme's ``currency``.

Examples:
    >>> from datetime import date
    >>> from decimal import Decimal
    >>> s = Scheme(
    ...     id="S2", name="Value slabs", validity=Validity(date(2025, 4, 1), date(2025, 7, 1)),
    ...     measure="net_value", window="month",
    ...     slabs=(Slab(Decimal(10_000), PercentDiscount(Decimal(2))),
    ...            Slab(Decimal(50_000), PercentDiscount(Decimal("3.5")))))
    >>> s.slab_bounds
    (Decimal('10000'), Decimal('50000'))
    >>> Scheme(id="X", name="x", validity=Validity(date(2025, 4, 1)), slabs=())
    Traceback (most recent call last):
    ...
    distcrm.schemes.model.SchemeDefinitionError: scheme 'X'.slabs: at least one slab is needed
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType
from typing import Literal, TypeAlias

import attrs

from distcrm.catalog import Product, SkuId, as_sku_id, category_key, parse_category
from distcrm.errors import DistcrmError, Problem, SchemeError, StructureError
from distcrm.money import ROUNDING_MODES, Money, RoundingMode, to_decimal
from distcrm.parties import Account
from distcrm.periods import Validity

__all__ = [
    "Benefit",
    "Caps",
    "ComboGroup",
    "Eligibility",
    "FlatAmount",
    "FreeGoods",
    "Measure",
    "Party",
    "PercentDiscount",
    "ProductSelection",
    "Rebate",
    "Scheme",
    "SchemeDefinitionError",
    "SchemeLevel",
    "Settlement",
    "Slab",
    "SlabMode",
    "Stacking",
    "WindowKind",
]

SchemeLevel: TypeAlias = Literal["primary", "secondary"]
Party: TypeAlias = Literal["buyer", "seller"]
Measure: TypeAlias = Literal["units", "cases", "gross_value", "net_value"]
WindowKind: TypeAlias = Literal["invoice", "month", "quarter", "scheme"]
SlabMode: TypeAlias = Literal["slab", "step"]
Stacking: TypeAlias = Literal["exclusive", "stackable", "best_of"]
Settlement: TypeAlias = Literal["on_invoice", "off_invoice"]

_MEASURES = ("units", "cases", "gross_value", "net_value")
_WINDOWS = ("invoice", "month", "quarter", "scheme")


def _dec(value: object) -> Decimal:
    return to_decimal(value, what="value")


def _opt_dec(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, what="value")


def _strs(values: Iterable[str]) -> frozenset[str]:
    if isinstance(values, str):
        return frozenset((values,))
    return frozenset(values)


def _skus(values: Iterable[str]) -> frozenset[SkuId]:
    if isinstance(values, str):
        values = (values,)
    return frozenset(as_sku_id(v) for v in values)


def _categories(values: Iterable[str | Iterable[str]]) -> frozenset[str]:
    if isinstance(values, str):
        values = (values,)
    out: set[str] = set()
    for v in values:
        out.add(category_key(parse_category(v) if isinstance(v, str) else tuple(v)))
    return frozenset(out)


@lru_cache(maxsize=4096)
def _path(key: str) -> tuple[str, ...]:
    return parse_category(key)


def _in_any(product: Product, keys: frozenset[str]) -> bool:
    category = product.category
    for k in keys:
        path = _path(k)
        if category[: len(path)] == path:
            return True
    return False


class SchemeDefinitionError(SchemeError, StructureError):
    """A scheme definition is invalid; carries every problem, each with its path.

    Problem paths are relative to the scheme (``$.slabs[1].min``) so that a
    loader can place them in the file; the message names the scheme.

    Examples:
        >>> err = SchemeDefinitionError("S1", [Problem("$.slabs[1].min", "must be >= 0")])
        >>> str(err), err.problems[0].path
        ("scheme 'S1'.slabs[1].min: must be >= 0", '$.slabs[1].min')
    """

    def __init__(self, scheme_id: str, problems: Iterable[Problem]) -> None:
        super().__init__(problems)
        self.scheme_id = scheme_id
        self.args = (
            "\n".join(f"scheme {scheme_id!r}{p.path[1:]}: {p.message}" for p in self.problems),
        )


@attrs.frozen
class Eligibility:
    """Which accounts may earn: every non-empty criterion must match, no exclusion may.

    An empty criterion does not restrict. Territories match the account's
    territory or, when the evaluator is given the territory tree, any of its
    ancestors (a scheme for ``"WEST"`` covers every town under it).

    Examples:
        >>> e = Eligibility(tiers={"retailer"}, exclude_accounts={"R9"})
        >>> e.admits(Account("R1", "Kirana", "retailer"))
        True
        >>> e.admits(Account("R9", "Blocked", "retailer")), e.admits(Account("D1", "D", "distributor"))
        (False, False)
    """

    tiers: frozenset[str] = attrs.field(default=frozenset(), converter=_strs)
    territories: frozenset[str] = attrs.field(default=frozenset(), converter=_strs)
    accounts: frozenset[str] = attrs.field(default=frozenset(), converter=_strs)
    account_classes: frozenset[str] = attrs.field(default=frozenset(), converter=_strs)
    exclude_tiers: frozenset[str] = attrs.field(default=frozenset(), converter=_strs)
    exclude_territories: frozenset[str] = attrs.field(default=frozenset(), converter=_strs)
    exclude_accounts: frozenset[str] = attrs.field(default=frozenset(), converter=_strs)
    exclude_account_classes: frozenset[str] = attrs.field(default=frozenset(), converter=_strs)

    @property
    def is_open(self) -> bool:
        """True when every account is eligible (no criterion, no exclusion)."""
        return not (
            self.tiers
            or self.territories
            or self.accounts
            or self.account_classes
            or self.exclude_tiers
            or self.exclude_territories
            or self.exclude_accounts
            or self.exclude_account_classes
        )

    @property
    def needs_attributes(self) -> bool:
        """True when deciding needs more than the account id."""
        return bool(
            self.tiers
            or self.territories
            or self.account_classes
            or self.exclude_tiers
            or self.exclude_territories
            or self.exclude_account_classes
        )

    def reject_reason(
        self, account: Account, territories: Iterable[str] | None = None
    ) -> str | None:
        """Why ``account`` is not eligible, or ``None`` when it is.

        ``territories`` are the account's territory and its ancestors (defaults
        to the account's own territory only).
        """
        terrs = (
            frozenset(territories)
            if territories is not None
            else frozenset(() if account.territory is None else (account.territory,))
        )
        if account.id in self.exclude_accounts:
            return f"account {account.id} is excluded"
        if self.accounts and account.id not in self.accounts:
            return f"account {account.id} is not listed"
        if account.tier in self.exclude_tiers:
            return f"tier {account.tier!r} is excluded"
        if self.tiers and account.tier not in self.tiers:
            return f"tier {account.tier!r} is not eligible"
        if terrs & self.exclude_territories:
            return f"territory {sorted(terrs & self.exclude_territories)[0]!r} is excluded"
        if self.territories and not terrs & self.territories:
            return f"territory {account.territory!r} is not eligible"
        cls = account.account_class
        if cls is not None and cls in self.exclude_account_classes:
            return f"class {cls!r} is excluded"
        if self.account_classes and cls not in self.account_classes:
            return f"class {cls!r} is not eligible"
        return None

    def admits(self, account: Account, territories: Iterable[str] | None = None) -> bool:
        """True when ``account`` is eligible."""
        return self.reject_reason(account, territories) is None


@attrs.frozen
class ProductSelection:
    """Which products count: included by SKU, category (or below) or brand, minus exclusions.

    With no inclusion at all, every product is included. Categories are kept
    as keys (``"Foods/Biscuits"``); paths (``("Foods", "Biscuits")``) are
    accepted too. A category includes everything below it.

    Examples:
        >>> sel = ProductSelection(categories={"Foods/Biscuits"}, exclude_skus={"B2"})
        >>> sel.matches(Product("B1", "b1", category=("Foods", "Biscuits", "Glucose")))
        True
        >>> sel.matches(Product("B2", "b2", category=("Foods", "Biscuits")))
        False
    """

    skus: frozenset[SkuId] = attrs.field(default=frozenset(), converter=_skus)
    categories: frozenset[str] = attrs.field(default=frozenset(), converter=_categories)
    brands: frozenset[str] = attrs.field(default=frozenset(), converter=_strs)
    exclude_skus: frozenset[SkuId] = attrs.field(default=frozenset(), converter=_skus)
    exclude_categories: frozenset[str] = attrs.field(default=frozenset(), converter=_categories)
    exclude_brands: frozenset[str] = attrs.field(default=frozenset(), converter=_strs)

    @property
    def selects_all(self) -> bool:
        """True when there is no inclusion criterion (every product, less exclusions)."""
        return not (self.skus or self.categories or self.brands)

    def matches_sku(self, sku: str, product: Product | None) -> bool:
        """True when ``sku`` (with its catalog entry, if known) is selected.

        A SKU missing from the catalog can match only by SKU id (or an
        all-products selection); category and brand criteria need the product.
        """
        if sku in self.exclude_skus:
            return False
        if product is not None:
            if product.brand in self.exclude_brands:
                return False
            if _in_any(product, self.exclude_categories):
                return False
        if self.selects_all or sku in self.skus:
            return True
        if product is None:
            return False
        return product.brand in self.brands or _in_any(product, self.categories)

    def matches(self, product: Product) -> bool:
        """True when ``product`` is selected."""
        return self.matches_sku(product.sku, product)


@attrs.frozen
class ComboGroup:
    """A combo condition: the window's volume from this group must reach ``min``.

    Measured in the scheme's ``measure``. A scheme with combo groups applies
    only when *every* group reaches its minimum ("buy from each of these
    groups"); the lines that count are still those matching the scheme's
    ``products``.
    """

    name: str
    products: ProductSelection
    min: Decimal = attrs.field(default=Decimal(1), converter=_dec)


@attrs.frozen
class FreeGoods:
    """Free goods, always whole units.

    Attributes:
        get: free base units given.
        every: recurring "every N get M": ``get`` units for every ``every`` of
            volume (in the scheme's measure). ``None``: ``get`` units once when
            the slab is reached.
        sku: the free SKU; ``None`` gives the *same* SKUs as bought: the free
            units are shared over the bought SKUs in proportion to their units
            (largest remainder, whole units).
    """

    get: int
    every: Decimal | None = attrs.field(default=None, converter=_opt_dec)
    sku: SkuId | None = attrs.field(default=None, converter=attrs.converters.optional(as_sku_id))


@attrs.frozen
class PercentDiscount:
    """A percentage (``Decimal("3.5")`` is 3.5 %) of the qualifying lines' value.

    ``base`` chooses net (after line discounts, the default) or gross value.
    """

    percent: Decimal = attrs.field(converter=_dec)
    base: Literal["net_value", "gross_value"] = "net_value"


@attrs.frozen
class FlatAmount:
    """A flat amount per base unit, per case or per qualifying invoice."""

    amount: Decimal = attrs.field(converter=_dec)
    per: Literal["unit", "case", "invoice"] = "unit"


@attrs.frozen
class Rebate:
    """A rebate paid once when the slab (the target) is reached.

    Either ``amount`` (a lump sum) or ``percent`` of the window's qualifying net
    value, not both. The target is the slab's ``min``, shared by every party,
    or, when the scheme has ``targets``, a percentage of each party's own target.
    """

    amount: Decimal | None = attrs.field(default=None, converter=_opt_dec)
    percent: Decimal | None = attrs.field(default=None, converter=_opt_dec)


Benefit: TypeAlias = FreeGoods | PercentDiscount | FlatAmount | Rebate


@attrs.frozen
class Slab:
    """A slab: from ``min`` (inclusive, in the scheme's measure) the ``benefit`` applies.

    For value measures ``min`` is an amount in the scheme's currency. In a scheme
    with per-party ``targets``, ``min`` is a percentage of the party's own target
    (``100`` = the target reached).
    """

    min: Decimal = attrs.field(converter=_dec)
    benefit: Benefit


@attrs.frozen
class Caps:
    """Budget caps on the benefit value, in the scheme's currency (``None`` = no cap).

    ``per_invoice`` needs ``window="invoice"``. See the evaluator for the order
    in which budgets are consumed.
    """

    total: Decimal | None = attrs.field(default=None, converter=_opt_dec)
    per_account: Decimal | None = attrs.field(default=None, converter=_opt_dec)
    per_invoice: Decimal | None = attrs.field(default=None, converter=_opt_dec)

    @property
    def any(self) -> bool:
        """True when at least one cap is set."""
        return (
            self.total is not None or self.per_account is not None or (self.per_invoice is not None)
        )


def _targets(values: Mapping[str, object] | None) -> Mapping[str, Decimal]:
    if not values:
        return _NO_TARGETS
    if not isinstance(values, Mapping):
        raise TypeError(f"expected a mapping of party id to target, got {type(values).__name__}")
    return MappingProxyType({str(k): to_decimal(v, what="target") for k, v in values.items()})


_NO_TARGETS: Mapping[str, Decimal] = MappingProxyType({})


def _slab_tuple(values: Iterable[Slab]) -> tuple[Slab, ...]:
    return tuple(values)


def _combo_tuple(values: Iterable[ComboGroup]) -> tuple[ComboGroup, ...]:
    return tuple(values)


def _benefit_rank(b: Benefit) -> tuple[Decimal, ...]:
    if isinstance(b, FreeGoods):
        return (Decimal(b.get) / b.every,) if b.every is not None else (Decimal(b.get),)
    if isinstance(b, PercentDiscount):
        return (b.percent,)
    if isinstance(b, FlatAmount):
        return (b.amount,)
    return (
        b.amount if b.amount is not None else Decimal(0),
        b.percent if b.percent is not None else Decimal(0),
    )


@attrs.frozen
class Scheme:
    """A trade scheme, as data.

    Attributes:
        id: unique scheme id.
        name: display name.
        validity: documents dated in ``[start, end)`` count.
        level: ``primary`` (to distributors) or ``secondary`` (to retailers) documents.
        party: which party of a qualifying document earns: ``buyer`` (default) or
            ``seller`` (a distributor earning on its secondary sales).
        eligibility: which earning parties are eligible.
        products: which lines qualify.
        combo: groups that must each reach their minimum.
        measure: ``units`` (base units), ``cases`` (base units / ``case_uom`` pack,
            exact fractions), ``gross_value`` or ``net_value`` (after line discounts).
        case_uom: the pack measured by ``cases`` and paid by ``FlatAmount(per="case")``.
        window: ``invoice`` (each document alone) or cumulative per party per
            ``month`` / ``quarter`` (calendar quarters, which are also Indian
            fiscal quarters) / ``scheme`` (the whole validity).
        slabs: inclusive lower bounds with their benefit, ascending.
        slab_mode: ``slab`` (whole volume at the reached slab) or ``step`` (each band
            at its own slab).
        caps: budget caps.
        stacking: ``exclusive`` (its lines count for no other scheme), ``stackable``
            or ``best_of`` (only the best member of ``group`` applies).
        compounding: for a stackable percent discount, apply it on the value left
            after earlier percent discounts (else additive, on the full value).
        group: the best-of group name (required with ``stacking="best_of"``).
        priority: lower numbers are applied first.
        settlement: ``on_invoice`` (deducted on the invoice) or ``off_invoice`` (claimed).
        currency: currency of every amount in the definition.
        rounding: rounding of money benefits to the minor unit (half-up by default).
        targets: per-party targets (earning party id → target volume in the
            scheme's measure, per window). When given, each slab's ``min`` is a
            *percentage of target achievement*: ``Slab(100, Rebate(percent=2))``
            pays a party whose own volume in the window reaches its own target,
            ``Slab(110, ...)`` one that reaches 110 % of it. A party without a
            target does not earn (its entitlement's trace says "no target").
            Empty (the default): slab bounds are absolute volumes shared by every
            party.
    """

    id: str
    name: str
    validity: Validity
    slabs: tuple[Slab, ...] = attrs.field(converter=_slab_tuple)
    level: SchemeLevel = "secondary"
    party: Party = "buyer"
    eligibility: Eligibility = attrs.field(factory=Eligibility)
    products: ProductSelection = attrs.field(factory=ProductSelection)
    combo: tuple[ComboGroup, ...] = attrs.field(default=(), converter=_combo_tuple)
    measure: Measure = "units"
    case_uom: str = "case"
    window: WindowKind = "invoice"
    slab_mode: SlabMode = "slab"
    caps: Caps = attrs.field(factory=Caps)
    stacking: Stacking = "stackable"
    compounding: bool = False
    group: str | None = None
    priority: int = 100
    settlement: Settlement = "off_invoice"
    currency: str = "INR"
    rounding: RoundingMode = "half_up"
    targets: Mapping[str, Decimal] = attrs.field(
        default=_NO_TARGETS, converter=_targets, hash=False
    )

    def __attrs_post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise SchemeDefinitionError(self.id, problems)

    @property
    def slab_bounds(self) -> tuple[Decimal, ...]:
        """The slabs' inclusive lower bounds."""
        return tuple(s.min for s in self.slabs)

    @property
    def is_value_measure(self) -> bool:
        """True when volume is money (gross or net value)."""
        return self.measure in ("gross_value", "net_value")

    def problems(self) -> list[Problem]:
        """Every problem with this definition, each with its path (empty when valid)."""
        out: list[Problem] = []

        def bad(field: str, message: str) -> None:
            out.append(Problem(f"$.{field}" if field else "$", message))

        if not isinstance(self.id, str) or not self.id:
            bad("id", "must be a non-empty string")
        if not isinstance(self.validity, Validity):
            bad("validity", "expected a Validity")
        for name, cls in (
            ("eligibility", Eligibility),
            ("products", ProductSelection),
            ("caps", Caps),
        ):
            if not isinstance(getattr(self, name), cls):
                bad(name, f"expected {cls.__name__}, got {type(getattr(self, name)).__name__}")
        if out:
            return out
        if self.level not in ("primary", "secondary"):
            bad("level", f"{self.level!r} is not 'primary' or 'secondary'")
        if self.party not in ("buyer", "seller"):
            bad("party", f"{self.party!r} is not 'buyer' or 'seller'")
        if self.measure not in _MEASURES:
            bad("measure", f"{self.measure!r} is not one of {', '.join(_MEASURES)}")
        if self.window not in _WINDOWS:
            bad("window", f"{self.window!r} is not one of {', '.join(_WINDOWS)}")
        if self.slab_mode not in ("slab", "step"):
            bad("slab_mode", f"{self.slab_mode!r} is not 'slab' or 'step'")
        if self.stacking not in ("exclusive", "stackable", "best_of"):
            bad("stacking", f"{self.stacking!r} is not exclusive, stackable or best_of")
        if self.stacking == "best_of" and not self.group:
            bad("group", "a best_of scheme needs a group name")
        if self.stacking != "best_of" and self.group:
            bad("group", "only best_of schemes belong to a group")
        if self.compounding and self.stacking != "stackable":
            bad("compounding", "only stackable schemes compound")
        if self.settlement not in ("on_invoice", "off_invoice"):
            bad("settlement", f"{self.settlement!r} is not 'on_invoice' or 'off_invoice'")
        try:
            Money.zero(self.currency)
        except DistcrmError as exc:
            bad("currency", str(exc).removeprefix("currency: "))
        if self.rounding not in ROUNDING_MODES:
            bad("rounding", f"{self.rounding!r} is not a rounding mode")
        if not isinstance(self.priority, int) or isinstance(self.priority, bool):
            bad("priority", "must be an int")
        if not self.slabs:
            bad("slabs", "at least one slab is needed")
        for i, msg in _bound_problems(self.slab_bounds):
            bad(f"slabs[{i}].min", msg)
        kinds = {type(s.benefit) for s in self.slabs}
        if len(kinds) > 1:
            bad("slabs", "every slab must have the same kind of benefit")
        for i, slab in enumerate(self.slabs):
            self._benefit_problems(f"slabs[{i}].benefit", slab.benefit, bad)
            if (
                i
                and _benefit_rank(slab.benefit) < _benefit_rank(self.slabs[i - 1].benefit)
                and (type(slab.benefit) is type(self.slabs[i - 1].benefit))
            ):
                bad(f"slabs[{i}].benefit", "a higher slab may not give a lower rate")
        if self.slab_mode == "step":
            for i, slab in enumerate(self.slabs):
                b = slab.benefit
                if (
                    isinstance(b, Rebate)
                    or (isinstance(b, FreeGoods) and b.every is None)
                    or (isinstance(b, FlatAmount) and b.per == "invoice")
                ):
                    bad(f"slabs[{i}].benefit", "step mode needs a rate per unit of volume")
        for i, g in enumerate(self.combo):
            if g.min <= 0:
                bad(f"combo[{i}].min", "must be > 0")
        for name in ("total", "per_account", "per_invoice"):
            cap = getattr(self.caps, name)
            if cap is not None and cap < 0:
                bad(f"caps.{name}", "must be >= 0")
        if self.caps.per_invoice is not None and self.window != "invoice":
            bad("caps.per_invoice", "needs window 'invoice'")
        for party, target in self.targets.items():
            if not party:
                bad("targets", "party ids must be non-empty")
            elif target <= 0:
                bad(f"targets.{party}", f"{target} must be > 0")
        return out

    def _benefit_problems(self, path: str, b: object, bad: Callable[[str, str], None]) -> None:
        if isinstance(b, FreeGoods):
            if not isinstance(b.get, int) or isinstance(b.get, bool) or b.get < 1:
                bad(f"{path}.get", "must be an int >= 1 (free goods are whole units)")
            if b.every is not None and b.every <= 0:
                bad(f"{path}.every", "must be > 0")
        elif isinstance(b, PercentDiscount):
            if not 0 <= b.percent <= 100:
                bad(f"{path}.percent", "must be between 0 and 100")
            if b.base not in ("net_value", "gross_value"):
                bad(f"{path}.base", "must be 'net_value' or 'gross_value'")
        elif isinstance(b, FlatAmount):
            if b.amount < 0:
                bad(f"{path}.amount", "must be >= 0")
            if b.per not in ("unit", "case", "invoice"):
                bad(f"{path}.per", "must be 'unit', 'case' or 'invoice'")
        elif isinstance(b, Rebate):
            if (b.amount is None) == (b.percent is None):
                bad(path, "a rebate needs exactly one of amount and percent")
            if b.amount is not None and b.amount < 0:
                bad(f"{path}.amount", "must be >= 0")
            if b.percent is not None and not 0 <= b.percent <= 100:
                bad(f"{path}.percent", "must be between 0 and 100")
        else:
            bad(path, f"unknown benefit {type(b).__name__}")


def _bound_problems(bounds: tuple[Decimal, ...]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for i, b in enumerate(bounds):
        if b < 0:
            out.append((i, f"{b} must be >= 0"))
        if i and b <= bounds[i - 1]:
            out.append((i, f"{b} must be greater than the previous slab's {bounds[i - 1]}"))
    return out
