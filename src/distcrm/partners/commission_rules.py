"""Commission rules: a rate by partner type and lead source, a split, a basis.

A :class:`CommissionRule` pays ``rate`` percent of a deal's taxable value
(before GST). Rules are keyed by the *type* of the partner who owns the deal
(:attr:`~distcrm.partners.regions.Partner.type`) and the lead's *source*:
partner-sourced leads usually earn more than leads headquarters assigned. The
commission is split between the attributed distributor and reseller by
percentages that must sum to exactly 100; it is earned on the invoice date
(``basis="invoice"``) or as the customer pays (``basis="payment"``).

:class:`CommissionPlan` finds the rule for a deal: the rule for the exact
partner type first, then a rule with ``partner_type=None`` (any type). Two
rules for the same key are an error.

Examples:
    >>> plan = CommissionPlan([
    ...     CommissionRule("OWN", "partner_sourced", "10", Split("0", "100")),
    ...     CommissionRule("HQ", "assigned", "6", Split("0", "100")),
    ...     CommissionRule("DIST", "partner_sourced", "8", Split("25", "75"),
    ...                    partner_type="distributor", basis="payment"),
    ... ])
    >>> plan.rule_for("city_partner", "assigned").id
    'HQ'
    >>> plan.rule_for("distributor", "partner_sourced").describe()
    'DIST: 8% of taxable value on payment, split distributor 25% / reseller 75%'
    >>> CommissionRule("BAD", "assigned", "120", Split("50", "50"))
    Traceback (most recent call last):
    ...
    distcrm.errors.PartnerError: commission rule 'BAD'.rate: must be within [0, 100] percent, got 120
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Literal, TypeAlias

import attrs

from distcrm.errors import MoneyError, PartnerError
from distcrm.money import to_decimal
from distcrm.partners.leads import LEAD_SOURCES, LeadSource

__all__ = [
    "BASES",
    "Basis",
    "CommissionPlan",
    "CommissionRule",
    "Split",
]

Basis: TypeAlias = Literal["invoice", "payment"]
BASES: tuple[Basis, ...] = ("invoice", "payment")
_HUNDRED = Decimal(100)


def _percent(value: Decimal | int | str, where: str) -> Decimal:
    try:
        d = to_decimal(value, what=where)
    except MoneyError as exc:
        raise PartnerError(str(exc)) from None
    if not Decimal(0) <= d <= _HUNDRED:
        raise PartnerError(f"{where}: must be within [0, 100] percent, got {d}")
    return d


def _as_decimal(value: Decimal | int | str) -> Decimal:
    """Convert when exact; otherwise keep the value for the owner to report with its name."""
    try:
        return to_decimal(value, what="percent")
    except MoneyError:
        return value  # type: ignore[return-value]


@attrs.frozen
class Split:
    """How a commission is shared: ``distributor`` and ``reseller`` percentages summing to 100.

    When a deal has only one of the two partners, that partner receives the whole commission.

    Examples:
        >>> Split("30", "60")
        Traceback (most recent call last):
        ...
        distcrm.errors.PartnerError: split.reseller: distributor 30 + reseller 60 must be exactly 100, not 90
    """

    distributor: Decimal = attrs.field(converter=_as_decimal)
    reseller: Decimal = attrs.field(converter=_as_decimal)

    def __attrs_post_init__(self) -> None:
        _percent(self.distributor, "split.distributor")
        _percent(self.reseller, "split.reseller")
        total = self.distributor + self.reseller
        if total != _HUNDRED:
            raise PartnerError(
                f"split.reseller: distributor {self.distributor} + reseller {self.reseller} "
                f"must be exactly 100, not {total}"
            )


@attrs.frozen
class CommissionRule:
    """Commission for deals of one partner type and lead source.

    Attributes:
        id: the rule id, named in every statement line it produces.
        source: ``"partner_sourced"`` or ``"assigned"``.
        rate: percent of the taxable value, within [0, 100].
        split: the distributor / reseller shares.
        partner_type: the deal owner's partner type; ``None`` for any type.
        basis: ``"invoice"`` (earned on the invoice date) or ``"payment"`` (as paid).
    """

    id: str
    source: LeadSource
    rate: Decimal = attrs.field(converter=_as_decimal)
    split: Split = attrs.field(factory=lambda: Split(0, 100))
    partner_type: str | None = None
    basis: Basis = "invoice"

    def __attrs_post_init__(self) -> None:
        where = f"commission rule {self.id!r}"
        if not self.id:
            raise PartnerError("commission rule.id: must be a non-empty string")
        _percent(self.rate, f"{where}.rate")
        if self.source not in LEAD_SOURCES:
            raise PartnerError(
                f"{where}.source: {self.source!r} is not one of {', '.join(LEAD_SOURCES)}"
            )
        if self.basis not in BASES:
            raise PartnerError(f"{where}.basis: {self.basis!r} is not one of {', '.join(BASES)}")
        if not isinstance(self.split, Split):
            raise PartnerError(f"{where}.split: expected a Split")

    @property
    def fraction(self) -> Decimal:
        """The rate as a fraction (``10`` percent is ``0.1``)."""
        return self.rate / _HUNDRED

    def describe(self) -> str:
        """One readable line: rate, basis and split."""
        basis = "on invoice" if self.basis == "invoice" else "on payment"
        return (
            f"{self.id}: {self.rate.normalize():f}% of taxable value {basis}, split distributor "
            f"{self.split.distributor.normalize():f}% / reseller {self.split.reseller.normalize():f}%"
        )


def _rules(values: Iterable[CommissionRule]) -> tuple[CommissionRule, ...]:
    return tuple(values)


@attrs.frozen
class CommissionPlan:
    """A set of commission rules, at most one per (partner type, lead source)."""

    rules: tuple[CommissionRule, ...] = attrs.field(converter=_rules)
    _by_key: dict[tuple[str | None, str], CommissionRule] = attrs.field(
        init=False, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        by_key: dict[tuple[str | None, str], CommissionRule] = {}
        ids: set[str] = set()
        for i, rule in enumerate(self.rules):
            key = (rule.partner_type, rule.source)
            if rule.id in ids:
                raise PartnerError(f"commission plan.rules[{i}].id: {rule.id!r} is used twice")
            ids.add(rule.id)
            if key in by_key:
                kind = rule.partner_type or "any partner type"
                raise PartnerError(
                    f"commission plan.rules[{i}]: {rule.id!r} and {by_key[key].id!r} both cover "
                    f"{kind} / {rule.source}"
                )
            by_key[key] = rule
        object.__setattr__(self, "_by_key", by_key)

    def rule_for(self, partner_type: str, source: LeadSource) -> CommissionRule | None:
        """The rule for ``partner_type`` and ``source``, else the any-type rule, else ``None``."""
        return self._by_key.get((partner_type, source)) or self._by_key.get((None, source))
