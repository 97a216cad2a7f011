"""Velocity, days of inventory, risk flags and sell-through ratios: examples and properties."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sellthrough_builders import receipt, return_in, sale

from distcrm.periods import Period, Validity
from distcrm.sellthrough import (
    HealthPolicy,
    SellThroughError,
    StockAdjustment,
    inventory_health,
    secondary_units,
    sell_through,
)

D = date(2025, 6, 1)


def day(n: int) -> date:
    return D + timedelta(days=n)


def history() -> list:  # type: ignore[type-arg]
    return [
        # D1/A: 200 received, 10 a day in the previous window, 30 a day recently
        receipt("P-1", "D1", day(0), ("A", 500), ("B", 40), ("C", 6)),
        *[sale(f"SA-{i}", "D1", day(i), ("A", 10)) for i in range(0, 10)],
        *[sale(f"SB-{i}", "D1", day(i), ("A", 30)) for i in range(10, 20)],
        # D1/B: sold once, long ago, and sits in the godown
        sale("SX-1", "D1", day(1), ("B", 4)),
        # D1/C: steady 1 a day in both windows
        *[sale(f"SC-{i}", "D1", day(i), ("C", 0, 1)) for i in range(0, 20, 2)],
    ]


def test_health_of_a_fast_a_sitting_and_a_steady_sku() -> None:
    policy = HealthPolicy(window_days=10, lead_time_days=7, slow_after_days=15)
    report = inventory_health(history(), on=day(19), policy=policy)
    a = report.get("D1", "A")
    # stock 500 - 10x10 - 10x30 = 100; velocity 300 / 10 = 30 a day; 100 / 30 = 3.33 -> 3.3 days
    assert (a.stock, a.recent_units, a.previous_units) == (100, 300, 100)
    assert a.velocity == Decimal("30.0000")
    assert a.days_of_inventory == Decimal("3.3")
    assert a.stockout_risk  # 3.3 < 7
    assert a.trend == Decimal("3.00")
    assert a.demand_building
    assert a.moving
    assert not a.sitting
    assert not a.slow_mover
    b = report.get("D1", "B")
    # stock 40 - 4 = 36; no sale in either window; last sale day 1, 18 days before day 19
    assert (b.stock, b.recent_units, b.velocity, b.days_of_inventory) == (
        36,
        0,
        Decimal("0.0000"),
        None,
    )
    assert not b.stockout_risk
    assert b.sitting
    assert b.slow_mover
    assert b.last_sale == day(1)
    assert "last sale 18 days ago (limit 15 days)" in b.trace.render()
    c = report.get("D1", "C")
    # free goods count: 6 - 10 free units = -4, already a finding; 5 units each window
    assert (c.stock, c.recent_units, c.previous_units) == (-4, 5, 5)
    assert c.days_of_inventory == Decimal("-8.0")  # -4 / 0.5
    assert c.stockout_risk
    assert not c.demand_building
    assert c.trend == Decimal("1.00")
    # balance after the sale on day 2k is 6 - (k + 1): below zero from day 12, then 14, 16, 18
    assert [f.subject for f in report.findings] == ["D1/C"] * 4
    assert "end of 2025-06-13" in report.findings[0].message
    assert [r.sku for r in report.stockout_risks()] == ["C", "A"]  # lowest cover first
    assert [r.sku for r in report.slow_movers()] == ["B"]
    assert [r.sku for r in report.demand_building()] == ["A"]
    assert [r.sku for r in report.moving()] == ["A", "C"]
    assert [r.sku for r in report.sitting()] == ["B"]


def test_lead_time_per_holder_and_doi_threshold() -> None:
    policy = HealthPolicy(window_days=10, lead_time_days=7, max_days_of_inventory=Decimal(2))
    report = inventory_health(history(), on=day(19), policy=policy, lead_times={"D1": 3})
    a = report.get("D1", "A")
    assert a.lead_time_days == 3
    assert not a.stockout_risk
    assert a.slow_mover  # 3.3 days of inventory > 2
    assert "3.3 days of inventory > 2" in a.trace.render()


def test_cover_exactly_at_lead_time_is_not_a_risk() -> None:
    docs = [receipt("P-1", "D1", day(0), ("A", 21)), sale("S-1", "D1", day(0), ("A", 7))]
    row = inventory_health(
        docs, on=day(6), policy=HealthPolicy(window_days=7, lead_time_days=14)
    ).get("D1", "A")
    # velocity 7 / 7 = 1 a day; 14 in stock = 14 days = lead time
    assert row.days_of_inventory == Decimal("14.0")
    assert not row.stockout_risk


def test_secondary_units_window_is_half_open() -> None:
    docs = [sale("S-1", "D1", day(0), ("A", 3, 1)), sale("S-2", "D1", day(5), ("A", 2))]
    assert secondary_units(docs, start=day(0), end=day(5)) == {("D1", "A"): 4}
    with pytest.raises(SellThroughError, match=r"secondary_units\.end"):
        secondary_units(docs, start=day(5), end=day(5))


def test_policy_errors_name_the_field() -> None:
    with pytest.raises(SellThroughError, match=r"health policy\.building_ratio: must be > 0"):
        HealthPolicy(building_ratio=Decimal(0))
    with pytest.raises(SellThroughError, match=r"lead_times\['D1'\]: must be an int >= 1"):
        inventory_health([], on=day(0), lead_times={"D1": 0})
    with pytest.raises(SellThroughError, match=r"inventory report: no position for 'D9'/'X'"):
        inventory_health(history(), on=day(19)).get("D9", "X")


def test_sell_through_by_pair_holder_and_sku() -> None:
    docs = [
        receipt("P-0", "D1", day(-5), ("A", 20)),
        receipt("P-1", "D1", day(2), ("A", 60), ("B", 10)),
        receipt("P-2", "D2", day(3), ("A", 40)),
        sale("S-1", "D1", day(4), ("A", 50)),
        sale("S-2", "D1", day(5), ("B", 10)),
        sale("S-3", "D2", day(6), ("A", 10)),
        return_in("R-1", "D1", day(7), ("A", 5)),  # not part of the ratio
        sale("S-4", "D1", day(40), ("A", 25)),  # after June
    ]
    june = Period.containing(day(0), "month")
    pairs = {
        (r.account, r.sku): (r.opening, r.receipts, r.sales, r.ratio)
        for r in sell_through(docs, june)
    }
    assert pairs == {
        ("D1", "A"): (20, 60, 50, Decimal("0.6250")),  # 50 / 80
        ("D1", "B"): (0, 10, 10, Decimal("1.0000")),  # 10 / 10
        ("D2", "A"): (0, 40, 10, Decimal("0.2500")),  # 10 / 40
    }
    by_holder = {r.account: r.ratio for r in sell_through(docs, june, by="account")}
    assert by_holder == {"D1": Decimal("0.6667"), "D2": Decimal("0.2500")}  # 60 / 90; 10 / 40
    by_sku = {r.sku: r.ratio for r in sell_through(docs, june, by="sku")}
    assert by_sku == {"A": Decimal("0.5000"), "B": Decimal("1.0000")}  # 60 / 120; 10 / 10


def test_sell_through_with_nothing_available_has_no_ratio_and_a_finding() -> None:
    docs = [sale("S-1", "D1", day(2), ("A", 5))]
    report = sell_through(docs, Validity(day(0), day(10)))
    (row,) = report.rows
    assert (row.available, row.sales, row.ratio) == (0, 5, None)
    assert [f.code for f in report.findings] == ["sales_beyond_stock"]


def test_sell_through_opening_includes_adjustments_before_the_period() -> None:
    docs = [receipt("P-1", "D1", day(-3), ("A", 10)), sale("S-1", "D1", day(1), ("A", 4))]
    adj = [StockAdjustment("ADJ-1", "D1", "A", day(-1), 2, "expiry")]
    (row,) = sell_through(docs, Validity(day(0), day(5)), adjustments=adj).rows
    assert (row.opening, row.ratio) == (8, Decimal("0.5000"))  # 10 - 2; 4 / 8


def test_sell_through_argument_errors() -> None:
    with pytest.raises(
        SellThroughError, match=r"sell_through\.period: the period must have an end"
    ):
        sell_through([], Validity(day(0)))
    with pytest.raises(SellThroughError, match=r"sell_through\.by: 'region'"):
        sell_through([], Validity(day(0), day(1)), by="region")  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None)
@given(
    receipts=st.lists(st.tuples(st.integers(-10, 29), st.integers(1, 50)), max_size=8),
    sales=st.lists(st.tuples(st.integers(-10, 29), st.integers(1, 20)), max_size=12),
)
def test_grouped_ratio_is_the_ratio_of_sums(
    receipts: list[tuple[int, int]], sales: list[tuple[int, int]]
) -> None:
    docs = [
        receipt(f"P-{i}", "D1", day(d), ("A", q), ("B", q // 2 + 1))
        for i, (d, q) in enumerate(receipts)
    ]
    docs += [sale(f"S-{i}", "D1", day(d), ("A", q)) for i, (d, q) in enumerate(sales)]
    period = Validity(day(0), day(30))
    pairs = sell_through(docs, period).rows
    grouped = sell_through(docs, period, by="account").rows
    if not pairs:
        assert grouped == ()
        return
    (total,) = grouped
    assert total.opening == sum(r.opening for r in pairs)
    assert total.receipts == sum(r.receipts for r in pairs)
    assert total.sales == sum(r.sales for r in pairs)
    for r in pairs:
        if r.ratio is not None:
            assert r.ratio == (Decimal(r.sales) / r.available).quantize(
                Decimal("0.0001"), ROUND_HALF_UP
            )
        else:
            assert r.available <= 0


def test_policy_and_adjustments_round_trip_through_json() -> None:
    from distcrm import serde

    policy = HealthPolicy(window_days=14, max_days_of_inventory=Decimal("45.5"))
    assert serde.from_json(serde.to_json(policy), HealthPolicy) == policy
    adj = StockAdjustment("ADJ-1", "D1", "A", day(3), -2, "count", note="cycle count")
    assert serde.from_json(serde.to_json(adj), StockAdjustment) == adj
