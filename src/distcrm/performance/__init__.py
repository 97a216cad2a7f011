"""Performance: targets, achievement, growth, incentive payouts and distributor KPIs.

* :class:`Target` per account, rep or territory and period, by quantity or
  value, optionally for one category; :func:`evaluate_targets` measures
  achievement and growth over a base period from documents;
* :class:`IncentivePlan` turns a result into a :class:`Payout` from a slab or
  step table, with the scheme engine's slab arithmetic
  (:mod:`distcrm.schemes.slabs`);
* distributor KPIs: :func:`fill_rates` (line, unit and value fill rate,
  order-to-invoice days) and :func:`secondary_vs_primary`.

Examples:
    >>> from datetime import date
    >>> from decimal import Decimal
    >>> from distcrm.documents import Document, Line
    >>> from distcrm.money import Money
    >>> from distcrm.periods import Period
    >>> june = Period.containing(date(2025, 6, 1), "month")
    >>> sale = Document("S-1", "invoice", "secondary", seller="D1", buyer="R1",
    ...                 issued_on=date(2025, 6, 9), currency="INR",
    ...                 lines=[Line("A", 1050, Money.of("10", "INR"))])
    >>> result = evaluate_targets([Target("T1", "account", "D1", june, units=1000)],
    ...                           [sale])[0]
    >>> result.achievement_pct
    Decimal('105.00')
    >>> plan = IncentivePlan("P", "slab", "achievement", (90, 100), (2000, 5000), "fixed", "INR")
    >>> str(plan.pay_result(result).amount)
    '5000.00 INR'
"""

from distcrm.performance.channel_ratios import ChannelRatio, secondary_vs_primary
from distcrm.performance.errors import PerformanceError
from distcrm.performance.fill_rates import FillRate, FillRateReport, OrderFill, fill_rates
from distcrm.performance.incentives import (
    IncentivePlan,
    MeasuredOn,
    Payout,
    PayoutKind,
    SlabMode,
    incentive_payouts,
)
from distcrm.performance.targets import (
    Measure,
    Side,
    SubjectKind,
    Target,
    TargetResult,
    evaluate_targets,
    percent,
)

__all__ = [
    "ChannelRatio",
    "FillRate",
    "FillRateReport",
    "IncentivePlan",
    "Measure",
    "MeasuredOn",
    "OrderFill",
    "Payout",
    "PayoutKind",
    "PerformanceError",
    "Side",
    "SlabMode",
    "SubjectKind",
    "Target",
    "TargetResult",
    "evaluate_targets",
    "fill_rates",
    "incentive_payouts",
    "percent",
    "secondary_vs_primary",
]
