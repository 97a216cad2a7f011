"""Incentive payouts: slab and step tables, fixed, per-measure and share-of-value payouts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from performance_builders import doc, inr

from distcrm.performance import (
    IncentivePlan,
    PerformanceError,
    Target,
    evaluate_targets,
    incentive_payouts,
)
from distcrm.periods import Period
from distcrm.schemes import slabs

D = Decimal
JUNE = Period.containing(date(2025, 6, 1), "month")


def test_fixed_bonus_by_achievement_slab_with_near_miss() -> None:
    plan = IncentivePlan(
        "B", "slab", "achievement", (90, 100, 120), (5000, 10000, 15000), "fixed", "INR"
    )
    p = plan.pay(achievement_pct=D("97.50"))
    assert (p.slab, p.amount) == (0, inr("5000.00"))  # 97.5 reaches 90
    assert (p.next_slab, p.missing) == (1, D("2.50"))  # 100 - 97.5
    assert "2.50 % more reaches 100" in p.trace.render()
    below = plan.pay(achievement_pct=D("89.99"))
    assert (below.slab, below.amount) == (None, inr("0.00"))
    top = plan.pay(achievement_pct=D("130"))
    assert (top.slab, top.amount, top.next_slab, top.missing) == (2, inr("15000.00"), None, None)


def test_per_unit_slab_vs_step() -> None:
    bounds, rates = (0, 1000, 2000), ("1.00", "1.50", "2.00")
    slab = IncentivePlan("S", "slab", "actual", bounds, rates, "per_measure", "INR")
    step = IncentivePlan("T", "step", "actual", bounds, rates, "per_measure", "INR")
    # slab: all 2,500 units at the 2.00 reached -> 5,000
    assert slab.pay(actual=2500).amount == inr("5000.00")
    # step: 1000 x 1.00 + 1000 x 1.50 + 500 x 2.00 = 3,500
    assert step.pay(actual=2500).amount == inr("3500.00")
    assert "1000 x 1.00 + 1000 x 1.50 + 500 x 2.00" in step.pay(actual=2500).trace.render()


def test_share_of_value_rounds_half_up_and_caps() -> None:
    plan = IncentivePlan(
        "V",
        "slab",
        "achievement",
        ("95", "100"),
        ("0.01", "0.015"),
        "share_of_value",
        "INR",
        cap=inr("1000"),
    )
    # 100.00 % reaches 1.5 %: 12,345.67 x 0.015 = 185.18505 -> 185.19
    assert plan.pay(achievement_pct=D(100), actual=inr("12345.67")).amount == inr("185.19")
    capped = plan.pay(achievement_pct=D(100), actual=inr("100000"))
    assert capped.amount == inr("1000")  # 1,500 capped
    assert "1500.00 INR capped at 1000 INR" in capped.trace.render()


def test_payouts_for_target_results() -> None:
    docs = [doc("S-1", "invoice", "secondary", "D1", "R1", date(2025, 6, 5), ("A", 40, "250.00"))]
    targets = [
        Target("T1", "account", "D1", JUNE, value=inr("10000")),
        Target("T2", "account", "D1", JUNE, value=inr("8000")),
    ]
    results = evaluate_targets(targets, docs)
    plan = IncentivePlan(
        "V", "slab", "achievement", (100, 120), ("0.02", "0.03"), "share_of_value", "INR"
    )
    p1, p2 = incentive_payouts(results, plan)
    # actual 40 x 250 = 10,000: 100 % of T1 -> 2 % = 200; 125 % of T2 -> 3 % = 300
    assert (p1.target, p1.amount) == ("T1", inr("200.00"))
    assert (p2.target, p2.amount) == ("T2", inr("300.00"))


def test_plan_errors_name_object_and_field() -> None:
    with pytest.raises(
        PerformanceError, match=r"incentive plan 'P'\.bounds\[1\]: 90 must be greater"
    ):
        IncentivePlan("P", "slab", "achievement", (100, 90), (1, 2), "fixed", "INR")
    with pytest.raises(PerformanceError, match=r"incentive plan 'P'\.rates: 1 rates for 2 bounds"):
        IncentivePlan("P", "slab", "achievement", (90, 100), (1,), "fixed", "INR")
    with pytest.raises(PerformanceError, match=r"incentive plan 'P'\.payout: 'share_of_value'"):
        IncentivePlan("P", "step", "actual", (0,), ("0.01",), "share_of_value", "INR")
    plan = IncentivePlan("P", "slab", "achievement", (90,), ("0.01",), "share_of_value", "INR")
    with pytest.raises(
        PerformanceError, match=r"incentive plan 'P'\.payout: 'share_of_value' needs"
    ):
        plan.pay(achievement_pct=D(95), actual=10)
    with pytest.raises(PerformanceError, match=r"incentive plan 'P'\.measured_on"):
        plan.pay(actual=inr(10))


@settings(max_examples=150, deadline=None)
@given(
    gaps=st.lists(st.integers(1, 1000), min_size=1, max_size=4),
    rates=st.lists(st.integers(0, 50), min_size=4, max_size=4),
    volume=st.integers(0, 5000),
)
def test_payouts_match_the_scheme_slab_arithmetic(
    gaps: list[int], rates: list[int], volume: int
) -> None:
    bounds = tuple(D(sum(gaps[: i + 1])) for i in range(len(gaps)))
    rs = tuple(D(r) / 100 for r in sorted(rates)[: len(bounds)])
    slab = IncentivePlan("S", "slab", "actual", bounds, rs, "per_measure", "INR")
    step = IncentivePlan("T", "step", "actual", bounds, rs, "per_measure", "INR")
    v = D(volume)
    assert slab.pay(actual=volume).amount == inr(slabs.slab_amount(bounds, rs, v)).round()
    assert step.pay(actual=volume).amount == inr(slabs.step_amount(bounds, rs, v)).round()
    # with non-decreasing rates, step never pays more than slab, and more volume never pays less
    assert step.pay(actual=volume).amount <= slab.pay(actual=volume).amount
    assert slab.pay(actual=volume + 1).amount >= slab.pay(actual=volume).amount


def test_plans_round_trip_through_json() -> None:
    from distcrm import serde

    plan = IncentivePlan(
        "V",
        "slab",
        "achievement",
        ("95", "100"),
        ("0.01", "0.015"),
        "share_of_value",
        "INR",
        cap=inr("1000"),
    )
    assert serde.from_json(serde.to_json(plan), IncentivePlan) == plan
