"""Targets per account, rep or territory and period; achievement and growth.

A :class:`Target` names a *subject* (an account, a rep or a territory), a
:class:`~distcrm.periods.Period`, a goal (``units=`` for a quantity target,
``value=`` in money for a value target) and optionally a category. Its *actual* is measured from
documents:

* ``side="sales"`` counts documents where a member account is the **seller**
  (a distributor's sales to retailers); ``side="purchases"`` those where it is
  the **buyer** (a distributor's purchases from the principal); ``level``
  picks primary or secondary documents;
* invoices add, returns subtract (``Document.sign``); orders and notes do not
  count;
* quantity is the billed ``qty`` (free goods are not sales); value is the
  line's taxable value (after discounts, before tax).

Members: an account target counts the account itself; a territory target the
accounts whose ``territory`` is the subject (or the ``members`` given); a rep
target the accounts given in ``members`` for that rep.

``achievement_pct = actual ÷ goal × 100`` and ``growth_pct = (actual − base) ÷
base × 100`` (the base is the actual over ``base_period``), both half-up to 2
places; growth is ``None`` without a base period or when the base is not positive.

Examples:
    >>> from datetime import date
    >>> from distcrm.documents import Document, Line
    >>> from distcrm.money import Money
    >>> from distcrm.periods import Period
    >>> june = Period.containing(date(2025, 6, 1), "month")
    >>> inr = lambda s: Money.of(s, "INR")
    >>> docs = [
    ...     Document("S-1", "invoice", "secondary", seller="D1", buyer="R1",
    ...              issued_on=date(2025, 5, 9), currency="INR", lines=[Line("A", 80, inr("10"))]),
    ...     Document("S-2", "invoice", "secondary", seller="D1", buyer="R1",
    ...              issued_on=date(2025, 6, 9), currency="INR", lines=[Line("A", 96, inr("10"))]),
    ...     Document("R-2", "return", "secondary", seller="D1", buyer="R1",
    ...              issued_on=date(2025, 6, 12), currency="INR", lines=[Line("A", 6, inr("10"))]),
    ... ]
    >>> t = Target("T1", "account", "D1", june, units=120, base_period=june.previous())
    >>> r = evaluate_targets([t], docs)[0]
    >>> r.actual, r.achievement_pct, r.base_actual, r.growth_pct   # 90/120; (90-80)/80
    (90, Decimal('75.00'), 80, Decimal('12.50'))
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, TypeAlias

import attrs

from distcrm.catalog import CategoryPath, Product, category_key, parse_category
from distcrm.documents import Document, Level
from distcrm.findings import Trace
from distcrm.money import Money
from distcrm.parties import Account
from distcrm.performance.errors import PerformanceError
from distcrm.periods import Period

__all__ = [
    "Measure",
    "Side",
    "SubjectKind",
    "Target",
    "TargetResult",
    "evaluate_targets",
    "percent",
]

SubjectKind: TypeAlias = Literal["account", "rep", "territory"]
Measure: TypeAlias = Literal["quantity", "value"]
Side: TypeAlias = Literal["sales", "purchases"]
_PCT = Decimal("0.01")


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal:
    """``part ÷ whole × 100``, half-up to 2 places (``whole`` must not be 0).

    Examples:
        >>> percent(2, 3)
        Decimal('66.67')
    """
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_PCT, ROUND_HALF_UP)


def _category(value: CategoryPath | str | None) -> CategoryPath | None:
    if value is None or isinstance(value, tuple):
        return value
    return parse_category(value)


@attrs.frozen
class Target:
    """A goal for one subject over one period.

    Attributes:
        id: the target's reference.
        subject_kind: ``account``, ``rep`` or ``territory``.
        subject: the account, rep or territory id.
        period: the period measured.
        units: the goal in base units (a quantity target), > 0.
        value: the goal in taxable money (a value target), > 0; give ``units`` or ``value``.
        category: only products in this category path count (``"Foods/Biscuits"`` accepted).
        level: ``secondary`` (default) or ``primary`` documents.
        side: ``sales`` (members sell) or ``purchases`` (members buy).
        base_period: the period growth is measured against, if any.
    """

    id: str
    subject_kind: SubjectKind
    subject: str
    period: Period
    units: int | None = None
    value: Money | None = None
    category: CategoryPath | None = attrs.field(default=None, converter=_category)
    level: Level = "secondary"
    side: Side = "sales"
    base_period: Period | None = None

    def __attrs_post_init__(self) -> None:
        where = f"target {self.id!r}"
        if not isinstance(self.id, str) or not self.id:
            raise PerformanceError(f"{where}.id: must be a non-empty string")
        if self.subject_kind not in ("account", "rep", "territory"):
            raise PerformanceError(
                f"{where}.subject_kind: {self.subject_kind!r} is not account, rep or territory"
            )
        if (self.units is None) == (self.value is None):
            raise PerformanceError(f"{where}.units: give exactly one of units= or value=")
        if self.units is not None and (
            not isinstance(self.units, int) or isinstance(self.units, bool) or self.units <= 0
        ):
            raise PerformanceError(f"{where}.units: must be an int > 0, got {self.units!r}")
        if self.value is not None and (not isinstance(self.value, Money) or self.value.amount <= 0):
            raise PerformanceError(f"{where}.value: must be Money > 0, got {self.value!r}")
        if self.level not in ("primary", "secondary"):
            raise PerformanceError(f"{where}.level: {self.level!r} is not primary or secondary")
        if self.side not in ("sales", "purchases"):
            raise PerformanceError(f"{where}.side: {self.side!r} is not sales or purchases")

    @property
    def measure(self) -> Measure:
        """``quantity`` for a units goal, ``value`` for a money goal."""
        return "quantity" if self.units is not None else "value"

    @property
    def goal(self) -> int | Money:
        """The goal: units or money."""
        if self.units is not None:
            return self.units
        assert self.value is not None
        return self.value

    @property
    def currency(self) -> str | None:
        """The goal's currency for value targets, ``None`` for quantity targets."""
        return self.value.currency if self.value is not None else None


@attrs.frozen
class TargetResult:
    """How a target was met.

    Attributes:
        target: the target.
        actual: units or money measured over the period.
        achievement_pct: ``actual ÷ goal × 100``, 2 places half-up.
        shortfall: what is still missing to reach the goal (0 when reached).
        base_actual: the actual over the base period, when there is one.
        growth_pct: growth over the base, 2 places; ``None`` without a positive base.
        members: the accounts whose documents counted.
        trace: how the figures were reached.
    """

    target: Target
    actual: int | Money
    achievement_pct: Decimal
    shortfall: int | Money
    base_actual: int | Money | None
    growth_pct: Decimal | None
    members: tuple[str, ...]
    trace: Trace

    @property
    def achieved(self) -> bool:
        """True when the goal is reached."""
        return self.achievement_pct >= 100


def _amount(value: int | Money) -> Decimal:
    return value.amount if isinstance(value, Money) else Decimal(value)


def _members(
    target: Target,
    members: Mapping[str, Collection[str]],
    territories: Mapping[str, set[str]],
) -> tuple[str, ...]:
    if target.subject_kind == "account":
        return (target.subject,)
    if target.subject in members:
        return tuple(sorted(members[target.subject]))
    if target.subject_kind == "territory" and target.subject in territories:
        return tuple(sorted(territories[target.subject]))
    raise PerformanceError(
        f"target {target.id!r}.subject: no accounts known for {target.subject_kind} "
        f"{target.subject!r}; pass members= (or accounts= for territories)"
    )


def _measure(
    target: Target,
    documents: Iterable[Document],
    members: frozenset[str],
    start: date,
    end: date,
    products: Mapping[str, Product],
) -> int | Money:
    quantity = 0
    value = Money.zero(target.currency) if target.currency else None
    for doc in documents:
        if doc.kind not in ("invoice", "return") or doc.level != target.level:
            continue
        party = doc.seller if target.side == "sales" else doc.buyer
        if party not in members or not start <= doc.issued_on < end:
            continue
        sign = doc.sign
        for i, line in enumerate(doc.lines):
            if target.category is not None:
                product = products.get(line.sku)
                if product is None:
                    raise PerformanceError(
                        f"target {target.id!r}.category: SKU {line.sku!r} of document "
                        f"{doc.id!r}.lines[{i}] is not among the products given"
                    )
                if not product.in_category(target.category):
                    continue
            if value is None:
                quantity += sign * line.qty
            else:
                value = value + line.taxable * sign
    return quantity if value is None else value


def evaluate_targets(
    targets: Iterable[Target],
    documents: Iterable[Document],
    *,
    products: Iterable[Product] = (),
    members: Mapping[str, Collection[str]] | None = None,
    accounts: Iterable[Account] = (),
) -> tuple[TargetResult, ...]:
    """Measure each target against documents.

    Args:
        targets: the targets.
        documents: the documents to measure (any order; each target picks its own).
        products: the catalog, needed for category targets.
        members: accounts per rep or territory id; takes precedence over ``accounts``.
        accounts: accounts whose ``territory`` defines territory membership.

    Returns:
        One :class:`TargetResult` per target, in the order given.

    Raises:
        PerformanceError: a rep or territory without known members, or a
            category target meeting a SKU that is not among ``products``.
    """
    docs = list(documents)
    catalog: dict[str, Product] = {p.sku: p for p in products}
    territories: dict[str, set[str]] = {}
    for account in accounts:
        if account.territory is not None:
            territories.setdefault(account.territory, set()).add(account.id)
    results: list[TargetResult] = []
    for target in targets:
        who = _members(target, members or {}, territories)
        group = frozenset(who)
        period = target.period
        actual = _measure(target, docs, group, period.start, period.end, catalog)
        goal = _amount(target.goal)
        got = _amount(actual)
        pct = percent(got, goal)
        what = f"{target.measure}" + (
            f" in {category_key(target.category)}" if target.category else ""
        )
        trace = Trace.of(f"target {target.id} for {target.subject_kind} {target.subject}")
        trace = trace.add(
            "actual",
            "considered",
            f"{target.level} {target.side} {what} of {', '.join(who) or 'no account'} "
            f"in {period.label}: {actual}",
        )
        trace = trace.add(
            "achievement",
            "applied" if pct >= 100 else "rejected",
            f"{actual} of {target.goal} = {pct} %",
        )
        shortfall: int | Money
        if isinstance(target.goal, Money):
            assert isinstance(actual, Money)
            gap = target.goal - actual
            shortfall = gap if gap.amount > 0 else Money.zero(gap.currency)
        else:
            assert isinstance(actual, int)
            shortfall = max(target.goal - actual, 0)
        base: int | Money | None = None
        growth: Decimal | None = None
        if target.base_period is not None:
            bp = target.base_period
            base = _measure(target, docs, group, bp.start, bp.end, catalog)
            base_amount = _amount(base)
            if base_amount > 0:
                growth = percent(got - base_amount, base_amount)
                trace = trace.add(
                    "growth", "applied", f"{actual} vs {base} in {bp.label} = {growth} %"
                )
            else:
                trace = trace.add("growth", "skipped", f"base {base} in {bp.label} is not positive")
        results.append(TargetResult(target, actual, pct, shortfall, base, growth, who, trace))
    return tuple(results)
