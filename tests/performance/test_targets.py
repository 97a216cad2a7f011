"""Targets: achievement, growth, membership, categories; errors name object and field."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from performance_builders import PRODUCTS, doc, inr

from distcrm.parties import Account
from distcrm.performance import PerformanceError, Target, evaluate_targets
from distcrm.periods import Period

JUNE = Period.containing(date(2025, 6, 1), "month")
MAY = JUNE.previous()
J = date(2025, 6, 10)
M = date(2025, 5, 10)

DOCS = [
    # D1 sells biscuits and soap to retailers R1 and R2 in June
    doc("S-1", "invoice", "secondary", "D1", "R1", J, ("BIS", 100, "10.00"), ("SOAP", 40, "25.00")),
    doc("S-2", "invoice", "secondary", "D1", "R2", J, ("BIS", 50, "10.00", 5)),
    doc("S-3", "return", "secondary", "D1", "R2", J, ("BIS", 10, "10.00")),
    # D2 sells nuts in June and May
    doc("S-4", "invoice", "secondary", "D2", "R3", J, ("NUT", 30, "80.00")),
    doc("S-5", "invoice", "secondary", "D2", "R3", M, ("NUT", 40, "80.00")),
    # D1 buys from the super-stockist
    doc("P-1", "invoice", "primary", "SS1", "D1", J, ("BIS", 300, "9.00")),
    # an order and a credit note never count
    doc("O-1", "order", "secondary", "D1", "R1", J, ("BIS", 999, "10.00")),
    doc("CN-1", "credit_note", "secondary", "D1", "R1", J, ("BIS", 999, "10.00")),
]


def test_quantity_target_of_an_account_nets_returns_and_ignores_free_goods() -> None:
    (r,) = evaluate_targets([Target("T", "account", "D1", JUNE, units=200)], DOCS)
    # 100 BIS + 40 SOAP + 50 BIS (5 free not counted) - 10 returned = 180
    assert r.actual == 180
    assert r.achievement_pct == Decimal("90.00")  # 180 / 200
    assert r.shortfall == 20
    assert not r.achieved


def test_value_target_by_category_counts_taxable_value_of_that_category() -> None:
    target = Target("T", "account", "D1", JUNE, value=inr("1500"), category="Foods")
    (r,) = evaluate_targets([target], DOCS, products=PRODUCTS)
    # biscuits: 100 x 10 + 50 x 10 - 10 x 10 = 1,400 (soap is Home)
    assert r.actual == inr("1400.00")
    assert r.achievement_pct == Decimal("93.33")  # 1400 / 1500 = 93.333..
    assert r.shortfall == inr("100.00")
    assert "secondary sales value in Foods of D1 in 2025-06: 1400.00 INR" in r.trace.render()


def test_purchases_side_counts_primary_buys() -> None:
    target = Target("T", "account", "D1", JUNE, units=250, level="primary", side="purchases")
    (r,) = evaluate_targets([target], DOCS)
    assert (r.actual, r.achievement_pct, r.achieved) == (300, Decimal("120.00"), True)
    assert r.shortfall == 0


def test_growth_over_a_base_period() -> None:
    target = Target("T", "account", "D2", JUNE, units=30, base_period=MAY)
    (r,) = evaluate_targets([target], DOCS)
    # June 30 vs May 40: (30 - 40) / 40 = -25 %
    assert (r.actual, r.base_actual, r.growth_pct) == (30, 40, Decimal("-25.00"))
    no_base = Target("T2", "account", "D1", JUNE, units=30, base_period=MAY)
    (r2,) = evaluate_targets([no_base], DOCS)
    assert (r2.base_actual, r2.growth_pct) == (0, None)
    assert "is not positive" in r2.trace.render()


def test_territory_from_accounts_and_rep_from_members() -> None:
    accounts = [
        Account("D1", "Dist 1", "distributor", territory="PUNE"),
        Account("D2", "Dist 2", "distributor", territory="PUNE"),
    ]
    t_terr = Target("TT", "territory", "PUNE", JUNE, value=inr("5000"))
    t_rep = Target("TR", "rep", "REP7", JUNE, units=100)
    terr, rep = evaluate_targets([t_terr, t_rep], DOCS, accounts=accounts, members={"REP7": ["D2"]})
    # D1: 1000 + 1000 + 500 - 100 = 2,400; D2: 30 x 80 = 2,400; total 4,800 of 5,000 = 96 %
    assert terr.actual == inr("4800.00")
    assert terr.members == ("D1", "D2")
    assert terr.achievement_pct == Decimal("96.00")
    assert (rep.actual, rep.members, rep.achievement_pct) == (30, ("D2",), Decimal("30.00"))


def test_unknown_rep_names_target_and_field() -> None:
    with pytest.raises(PerformanceError, match=r"target 'TR'\.subject: no accounts known for rep"):
        evaluate_targets([Target("TR", "rep", "REP9", JUNE, units=1)], DOCS)


def test_category_target_with_an_unknown_sku_names_the_line() -> None:
    target = Target("T", "account", "D1", JUNE, units=1, category=("Foods",))
    with pytest.raises(
        PerformanceError, match=r"target 'T'\.category: SKU 'BIS' of document 'S-1'\.lines\[0\]"
    ):
        evaluate_targets([target], DOCS, products=PRODUCTS[2:])


def test_target_errors_name_object_and_field() -> None:
    with pytest.raises(PerformanceError, match=r"target 'T'\.units: must be an int > 0"):
        Target("T", "account", "D1", JUNE, units=0)
    with pytest.raises(PerformanceError, match=r"target 'T'\.value: must be Money > 0"):
        Target("T", "account", "D1", JUNE, value=inr("0"))
    with pytest.raises(PerformanceError, match=r"target 'T'\.units: give exactly one of"):
        Target("T", "account", "D1", JUNE, units=5, value=inr("5"))
    with pytest.raises(PerformanceError, match=r"target 'T'\.subject_kind: 'zone'"):
        Target("T", "zone", "Z", JUNE, units=5)  # type: ignore[arg-type]


def test_targets_round_trip_through_json() -> None:
    from distcrm import serde

    for target in (
        Target("T1", "territory", "PUNE", JUNE, units=500, category="Foods/Biscuits"),
        Target("T2", "account", "D1", JUNE, value=inr("1500.00"), base_period=MAY),
    ):
        assert serde.from_json(serde.to_json(target), Target) == target


@settings(max_examples=100, deadline=None)
@given(
    sales=st.lists(
        st.tuples(st.sampled_from(["D1", "D2", "D3"]), st.integers(0, 500), st.booleans()),
        max_size=20,
    ),
    goal=st.integers(1, 2000),
)
def test_territory_actual_is_the_sum_of_its_accounts(
    sales: list[tuple[str, int, bool]], goal: int
) -> None:
    docs = [
        doc(f"X-{i}", "return" if back else "invoice", "secondary", d, "R1", J, ("BIS", q, "1"))
        for i, (d, q, back) in enumerate(sales)
    ]
    members = {"T": ["D1", "D2", "D3"]}
    targets = [Target(f"A{d}", "account", d, JUNE, units=goal) for d in ("D1", "D2", "D3")]
    targets.append(Target("TERR", "territory", "T", JUNE, units=goal))
    *accounts, territory = evaluate_targets(targets, docs, members=members)
    assert territory.actual == sum(r.actual for r in accounts)  # type: ignore[misc]
    expected = sum(q if not back else -q for _, q, back in sales)
    assert territory.actual == expected
    assert territory.achievement_pct == (Decimal(expected) * 100 / goal).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
