"""Claims as data: what a distributor says it is owed, line by line.

A :class:`Claim` is raised by a *claimant* (a distributor, usually) against the
principal for a *type* of compensation over a *period*. Each
:class:`ClaimLine` names the document line it rests on (for scheme, rate
difference, damage and expiry claims), the SKU, the quantity and the amount
asked. Claims are immutable; the lifecycle functions of
:mod:`distcrm.claims.lifecycle` return new versions with their history.

Examples:
    >>> from datetime import date
    >>> from distcrm.documents import LineRef
    >>> from distcrm.money import Money
    >>> c = Claim("CL-1", "D1", "scheme", Validity(date(2025, 6, 1), date(2025, 7, 1)), "INR",
    ...           lines=(ClaimLine(LineRef("SI-1", 1), "SKU1", 10, Money.of("25.00", "INR")),
    ...                  ClaimLine(LineRef("SI-2", 1), "SKU1", 4, Money.of("10.00", "INR"))),
    ...           scheme="S1")
    >>> str(c.claimed), c.status, c.version
    ('35.00 INR', 'draft', 0)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Literal, NewType, TypeAlias, get_args

import attrs

from distcrm.catalog import SkuId, as_sku_id
from distcrm.documents import LineRef
from distcrm.errors import ClaimError, Problem
from distcrm.money import Money, sum_money
from distcrm.parties import AccountId, as_account_id
from distcrm.periods import Validity

__all__ = [
    "CLAIM_STATUSES",
    "CLAIM_TYPES",
    "Claim",
    "ClaimId",
    "ClaimLine",
    "ClaimStatus",
    "ClaimType",
    "PriceChange",
    "StatusChange",
]

ClaimId = NewType("ClaimId", str)
ClaimType: TypeAlias = Literal[
    "scheme",
    "price_drop",
    "price_protection",
    "rate_difference",
    "damage",
    "expiry",
    "transport",
    "display",
]
ClaimStatus: TypeAlias = Literal[
    "draft",
    "submitted",
    "approved",
    "partially_approved",
    "rejected",
    "settled",
    "withdrawn",
]
CLAIM_TYPES: tuple[ClaimType, ...] = get_args(ClaimType)
"""Every claim type, in declaration order."""
CLAIM_STATUSES: tuple[ClaimStatus, ...] = get_args(ClaimStatus)
"""Every claim status, in lifecycle order."""


def _as_claim_id(value: str) -> ClaimId:
    return ClaimId(value)


def _opt_sku(value: str | None) -> SkuId | None:
    return None if value is None else as_sku_id(value)


@attrs.frozen
class ClaimLine:
    """One line of a claim.

    Attributes:
        ref: the document line the claim rests on (``None`` for lines that rest on
            stock or evidence alone: price drop, transport, display).
        sku: the product, when the line is about one.
        qty: quantity in base units (free units for a free-goods scheme, units
            sold for a discount scheme, units damaged, units in stock for a price drop).
        amount: the money asked for this line.
        agreed_unit_price: for a rate-difference claim, the price the claimant
            should have been charged per base unit.
        note: free text from the claimant.
    """

    ref: LineRef | None
    sku: SkuId | None = attrs.field(converter=_opt_sku)
    qty: int
    amount: Money
    agreed_unit_price: Money | None = None
    note: str = ""


@attrs.frozen
class PriceChange:
    """A price cut the principal protects stock against (price drop / price protection).

    Attributes:
        sku: the product whose price fell.
        old_unit_price: the distributor's landed price per base unit before the change.
        new_unit_price: the price per base unit from ``effective_on``.
        effective_on: the first day of the new price.
        max_units: optional cap on the stock a distributor may claim for.
    """

    sku: SkuId = attrs.field(converter=as_sku_id)
    old_unit_price: Money
    new_unit_price: Money
    effective_on: date
    max_units: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.new_unit_price.currency != self.old_unit_price.currency:
            raise ClaimError(f"price change {self.sku!r}.new_unit_price: currency differs")
        if self.new_unit_price >= self.old_unit_price:
            raise ClaimError(
                f"price change {self.sku!r}.new_unit_price: {self.new_unit_price} is not below "
                f"the old price {self.old_unit_price}"
            )

    @property
    def cut(self) -> Money:
        """The price cut per base unit."""
        return self.old_unit_price - self.new_unit_price


@attrs.frozen
class StatusChange:
    """One step of a claim's history: who moved it from ``previous`` to ``status``, and when."""

    previous: ClaimStatus
    status: ClaimStatus
    by: str
    at: datetime
    note: str = ""


def _lines(values: Iterable[ClaimLine]) -> tuple[ClaimLine, ...]:
    return tuple(values)


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _history(values: Iterable[StatusChange]) -> tuple[StatusChange, ...]:
    return tuple(values)


def _opt_moneys(values: Iterable[Money] | None) -> tuple[Money, ...] | None:
    return None if values is None else tuple(values)


@attrs.frozen
class Claim:
    """A claim raised by ``claimant`` against the principal.

    Attributes:
        id: the claim id.
        claimant: the account claiming (a distributor, usually).
        type: ``scheme``, ``price_drop``, ``price_protection``, ``rate_difference``,
            ``damage``, ``expiry``, ``transport`` or ``display``.
        period: the period the claim covers (``[start, end)``).
        currency: currency of every amount.
        lines: the claim lines.
        scheme: the scheme claimed under (scheme claims).
        evidence: references to supporting documents (photos, POD, agreements).
        status: the lifecycle state.
        version: bumped by the store on every save (optimistic concurrency).
        history: every status change, oldest first.
        approved_lines: approved amount per line, set on approval.
        reason: the last decision's reason.
    """

    id: ClaimId = attrs.field(converter=_as_claim_id)
    claimant: AccountId = attrs.field(converter=as_account_id)
    type: ClaimType
    period: Validity
    currency: str
    lines: tuple[ClaimLine, ...] = attrs.field(default=(), converter=_lines)
    scheme: str | None = None
    evidence: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    status: ClaimStatus = "draft"
    version: int = 0
    history: tuple[StatusChange, ...] = attrs.field(default=(), converter=_history)
    approved_lines: tuple[Money, ...] | None = attrs.field(default=None, converter=_opt_moneys)
    reason: str = ""

    def __attrs_post_init__(self) -> None:
        where = f"claim {self.id!r}"
        problems: list[Problem] = []
        if not isinstance(self.id, str) or not self.id:
            problems.append(Problem(f"{where}.id", "must be a non-empty string"))
        if self.type not in CLAIM_TYPES:
            problems.append(
                Problem(f"{where}.type", f"{self.type!r} is not one of {', '.join(CLAIM_TYPES)}")
            )
        if self.status not in CLAIM_STATUSES:
            problems.append(Problem(f"{where}.status", f"{self.status!r} is not a claim status"))
        if self.type == "scheme" and not self.scheme:
            problems.append(Problem(f"{where}.scheme", "a scheme claim must name its scheme"))
        if self.period.end is None:
            problems.append(Problem(f"{where}.period", "a claim period must have an end"))
        if not isinstance(self.version, int) or self.version < 0:
            problems.append(Problem(f"{where}.version", "must be an int >= 0"))
        for i, line in enumerate(self.lines):
            at = f"{where}.lines[{i}]"
            if line.qty < 0:
                problems.append(Problem(f"{at}.qty", f"must be >= 0, got {line.qty}"))
            if line.amount.currency != self.currency:
                problems.append(
                    Problem(
                        f"{at}.amount",
                        f"currency {line.amount.currency} differs from the claim's {self.currency}",
                    )
                )
            elif line.amount.amount < 0:
                problems.append(Problem(f"{at}.amount", "must be >= 0"))
            if (
                line.agreed_unit_price is not None
                and line.agreed_unit_price.currency != self.currency
            ):
                problems.append(
                    Problem(f"{at}.agreed_unit_price", "currency differs from the claim's")
                )
        if self.approved_lines is not None:
            if len(self.approved_lines) != len(self.lines):
                problems.append(Problem(f"{where}.approved_lines", "must have one amount per line"))
            for i, (line, ok) in enumerate(zip(self.lines, self.approved_lines, strict=False)):
                if ok.currency != self.currency or ok.amount < 0 or ok > line.amount:
                    problems.append(
                        Problem(
                            f"{where}.approved_lines[{i}]",
                            f"{ok} must be between 0 and {line.amount}",
                        )
                    )
        if problems:
            raise ClaimError(problems)

    @property
    def claimed(self) -> Money:
        """Total amount asked."""
        total = Money.zero(self.currency).amount  # line currencies are checked on construction
        for line in self.lines:
            total += line.amount.amount
        return Money(total, self.currency)

    @property
    def approved(self) -> Money | None:
        """Total amount approved, once decided."""
        if self.approved_lines is None:
            return None
        return sum_money(self.approved_lines, self.currency)

    @property
    def is_decided(self) -> bool:
        """True once approved, partially approved, rejected or settled."""
        return self.status in ("approved", "partially_approved", "rejected", "settled")
