"""Incentive payouts from slab or step tables, on the scheme engine's slab arithmetic.

An :class:`IncentivePlan` is a table of inclusive lower bounds and rates,
read with :mod:`distcrm.schemes.slabs` (the same functions the scheme
evaluator uses, so a slab means the same thing in a scheme and in a payout):

* ``measured_on``: ``achievement`` (percent points of the target) or
  ``actual`` (units or money amount achieved);
* ``mode="slab"``: the slab reached by the measured volume sets the rate;
  ``mode="step"``: each band of the volume is paid at its own rate;
* ``payout``:

  - ``fixed``: the reached slab's rate *is* the amount (slab mode only):
    "₹5,000 at 90 %, ₹10,000 at 100 %";
  - ``per_measure``: rate × measured volume (slab) or Σ band × rate (step):
    "₹2 a unit from 1,000 units, ₹3 a unit from 2,000", "₹100 per point";
  - ``share_of_value``: the reached slab's rate × the actual *value* (slab
    mode, value targets only): "1.5 % of sales at 100 % achievement".

The amount is rounded half-up to the currency's minor unit, then capped.
The payout's trace names the slab reached, and the next slab with what is
missing to reach it.

Examples:
    >>> from decimal import Decimal as D
    >>> plan = IncentivePlan("BONUS", "slab", "achievement", bounds=(D(90), D(100), D(110)),
    ...                      rates=(D("0.01"), D("0.015"), D("0.02")),
    ...                      payout="share_of_value", currency="INR")
    >>> p = plan.pay(achievement_pct=D("104.50"), actual=Money.of("418000", "INR"))
    >>> str(p.amount), p.slab, p.missing          # 418000 x 1.5 %; 110 - 104.5 to the next
    ('6270.00 INR', 1, Decimal('5.50'))
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Literal, TypeAlias

import attrs

from distcrm.findings import Trace
from distcrm.money import Money, to_decimal
from distcrm.performance.errors import PerformanceError
from distcrm.performance.targets import TargetResult
from distcrm.schemes import slabs

__all__ = [
    "IncentivePlan",
    "MeasuredOn",
    "Payout",
    "PayoutKind",
    "SlabMode",
    "incentive_payouts",
]

SlabMode: TypeAlias = Literal["slab", "step"]
MeasuredOn: TypeAlias = Literal["achievement", "actual"]
PayoutKind: TypeAlias = Literal["fixed", "per_measure", "share_of_value"]


def _decimals(values: tuple[Decimal | int | str, ...]) -> tuple[Decimal, ...]:
    return tuple(to_decimal(v, what="incentive plan value") for v in values)


@attrs.frozen
class Payout:
    """What one incentive plan pays for one result.

    Attributes:
        plan: the plan's id.
        target: the target's id, when paid for a :class:`TargetResult`.
        measured: the volume read against the table (percent points, units or amount).
        slab: 0-based index of the slab reached, ``None`` below the first bound.
        amount: the payout, rounded and capped.
        next_slab: the next slab above the volume, ``None`` at the top.
        missing: volume still missing to reach ``next_slab``.
        trace: how the amount was reached.
    """

    plan: str
    target: str | None
    measured: Decimal
    slab: int | None
    amount: Money
    next_slab: int | None
    missing: Decimal | None
    trace: Trace


@attrs.frozen
class IncentivePlan:
    """A slab or step table that turns achievement or actuals into a payout.

    Attributes:
        id: the plan's reference.
        mode: ``slab`` or ``step``.
        measured_on: ``achievement`` (percent points) or ``actual``.
        bounds: inclusive lower bounds, non-negative and strictly increasing.
        rates: one rate per bound (amount, per-unit rate or share, by ``payout``).
        payout: ``fixed``, ``per_measure`` or ``share_of_value``.
        currency: the payout currency.
        cap: the most one payout may be, if any.

    Examples:
        >>> IncentivePlan("P", "step", "achievement", (90, 100), (5000, 10000), "fixed", "INR")
        Traceback (most recent call last):
        ...
        distcrm.performance.errors.PerformanceError: incentive plan 'P'.payout: 'fixed' pays the reached slab's amount and needs mode 'slab'
    """

    id: str
    mode: SlabMode
    measured_on: MeasuredOn
    bounds: tuple[Decimal, ...] = attrs.field(converter=_decimals)
    rates: tuple[Decimal, ...] = attrs.field(converter=_decimals)
    payout: PayoutKind
    currency: str
    cap: Money | None = None

    def __attrs_post_init__(self) -> None:
        where = f"incentive plan {self.id!r}"
        problems: list[str] = []
        if self.mode not in ("slab", "step"):
            problems.append(f"{where}.mode: {self.mode!r} is not slab or step")
        if self.measured_on not in ("achievement", "actual"):
            problems.append(
                f"{where}.measured_on: {self.measured_on!r} is not achievement or actual"
            )
        if self.payout not in ("fixed", "per_measure", "share_of_value"):
            problems.append(
                f"{where}.payout: {self.payout!r} is not fixed, per_measure or share_of_value"
            )
        if not self.bounds:
            problems.append(f"{where}.bounds: at least one slab is needed")
        problems.extend(f"{where}.bounds{p}" for p in slabs.check_bounds(self.bounds))
        if len(self.rates) != len(self.bounds):
            problems.append(f"{where}.rates: {len(self.rates)} rates for {len(self.bounds)} bounds")
        problems.extend(
            f"{where}.rates[{i}]: {r} must be >= 0" for i, r in enumerate(self.rates) if r < 0
        )
        if self.payout in ("fixed", "share_of_value") and self.mode == "step":
            what = "amount" if self.payout == "fixed" else "rate"
            problems.append(
                f"{where}.payout: {self.payout!r} pays the reached slab's {what} "
                "and needs mode 'slab'"
            )
        if self.cap is not None and (self.cap.currency != self.currency or self.cap.amount < 0):
            problems.append(f"{where}.cap: must be a non-negative {self.currency} amount")
        if problems:
            raise PerformanceError("\n".join(problems))

    def pay(
        self,
        *,
        achievement_pct: Decimal | None = None,
        actual: int | Money | None = None,
        target: str | None = None,
    ) -> Payout:
        """The payout for an achievement and/or an actual.

        ``achievement_pct`` is needed when the plan is measured on achievement;
        ``actual`` when it is measured on actuals or pays a share of value.
        """
        where = f"incentive plan {self.id!r}"
        trace = Trace.of(f"incentive {self.id}" + (f" for target {target}" if target else ""))
        if self.measured_on == "achievement":
            if achievement_pct is None:
                raise PerformanceError(f"{where}.measured_on: an achievement_pct is needed")
            volume = to_decimal(achievement_pct, what="achievement_pct")
            unit = " %"
        else:
            if actual is None:
                raise PerformanceError(f"{where}.measured_on: an actual is needed")
            volume = actual.amount if isinstance(actual, Money) else Decimal(actual)
            unit = ""
        reached = slabs.reached(self.bounds, volume)
        if self.payout == "share_of_value":
            if not isinstance(actual, Money):
                raise PerformanceError(
                    f"{where}.payout: 'share_of_value' needs the actual value as Money"
                )
            raw = Decimal(0) if reached is None else actual.amount * self.rates[reached]
            how = f"{actual} x {self.rates[reached]}" if reached is not None else "no slab"
        elif self.payout == "fixed":
            raw = Decimal(0) if reached is None else self.rates[reached]
            how = f"fixed {raw}"
        elif self.mode == "slab":
            raw = slabs.slab_amount(self.bounds, self.rates, volume)
            how = f"{volume} x {self.rates[reached]}" if reached is not None else "no slab"
        else:
            raw = slabs.step_amount(self.bounds, self.rates, volume)
            portions = slabs.band_portions(self.bounds, volume)
            how = (
                " + ".join(f"{p} x {r}" for p, r in zip(portions, self.rates, strict=True) if p)
                or "no band"
            )
        if reached is None:
            trace = trace.add(
                "slab", "rejected", f"{volume}{unit} is below the first bound {self.bounds[0]}"
            )
        else:
            trace = trace.add(
                f"slab {reached + 1}",
                "applied",
                f"{volume}{unit} reaches {self.bounds[reached]} ({self.mode} mode: {how})",
            )
        amount = Money.of(raw, self.currency).round()
        if self.cap is not None and amount.amount > self.cap.amount:
            trace = trace.add("cap", "cut", f"{amount} capped at {self.cap}")
            amount = self.cap
        nxt = slabs.shortfall(self.bounds, volume)
        next_slab, missing = (None, None) if nxt is None else nxt
        if nxt is not None:
            trace = trace.add(
                f"slab {nxt[0] + 1}",
                "considered",
                f"{nxt[1]}{unit} more reaches {self.bounds[nxt[0]]}",
            )
        return Payout(self.id, target, volume, reached, amount, next_slab, missing, trace)

    def pay_result(self, result: TargetResult) -> Payout:
        """The payout for a :class:`TargetResult`."""
        return self.pay(
            achievement_pct=result.achievement_pct, actual=result.actual, target=result.target.id
        )


def incentive_payouts(results: Iterable[TargetResult], plan: IncentivePlan) -> tuple[Payout, ...]:
    """The plan's payout for each result, in order.

    Examples:
        >>> from decimal import Decimal as D
        >>> plan = IncentivePlan("U", "step", "actual", (0, 1000), (2, 3), "per_measure", "INR")
        >>> str(plan.pay(actual=1500).amount)    # 1000 x 2 + 500 x 3
        '3500.00 INR'
    """
    return tuple(plan.pay_result(r) for r in results)
