"""Plain rows: stable columns, exact values, totals that match the objects they come from."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from distcrm.documents import Document, Line
from distcrm.errors import SchemeError
from distcrm.money import Money
from distcrm.parties import Account
from distcrm.periods import Validity
from distcrm.schemes.evaluate import evaluate
from distcrm.schemes.model import FreeGoods, PercentDiscount, ProductSelection, Scheme, Slab
from distcrm.schemes.results import SchemeResult
from distcrm.schemes.rows import (
    DIFF_MEASURES,
    ENTITLEMENT_COLUMNS,
    FREE_GOODS_COLUMNS,
    NEAR_MISS_COLUMNS,
    TOTALS_COLUMNS,
    UPLIFT_COLUMNS,
    Row,
    diff_rows,
    entitlement_rows,
    free_goods_rows,
    near_miss_rows,
    simulation_rows,
    to_rows,
    uplift_rows,
)
from distcrm.schemes.uplift import uplift
from distcrm.schemes.whatif import simulate

D = Decimal
ON = date(2025, 7, 31)
VALID = Validity(date(2025, 4, 1), date(2026, 4, 1))
ACCOUNTS = (
    Account("D1", "North Traders", "distributor", territory="T-N"),
    Account("D2", "South Traders", "distributor", territory="T-S"),
    Account("R1", "Shop 1", "retailer", territory="T-N"),
    Account("R3", "Shop 3", "retailer", territory="T-S"),
)


def inr(amount: str) -> Money:
    return Money.of(amount, "INR")


HISTORY = (
    Document("I1", "invoice", "secondary", "D1", "R1", date(2025, 6, 3), "INR",
             (Line("SKU1", 25, inr("8.00")),)),
    Document("I3", "invoice", "secondary", "D2", "R3", date(2025, 7, 5), "INR",
             (Line("SKU1", 30, inr("8.00")), Line("SKU2", 10, inr("50.00")))),
    Document("I4", "invoice", "secondary", "D1", "R1", date(2025, 7, 8), "INR",
             (Line("SKU2", 100, inr("50.00")),)),
)


def schemes(get: int, percent: int) -> list[Scheme]:
    return [
        Scheme("S1", "Buy 10 get n", VALID, products=ProductSelection(skus={"SKU1"}),
               slabs=(Slab(10, FreeGoods(get=get, every=10)),)),
        Scheme("S2", "Monthly value", VALID, measure="net_value", window="month",
               products=ProductSelection(skus={"SKU2"}),
               slabs=(Slab(1000, PercentDiscount(percent)),)),
    ]


def _result() -> SchemeResult:
    return evaluate(schemes(1, 2), HISTORY, accounts=ACCOUNTS, on=ON)


def _plain(rows: list[Row]) -> None:
    for row in rows:
        for column, value in row.items():
            assert isinstance(column, str)
            assert value is None or isinstance(value, str | int | bool | Decimal | date)
            assert not isinstance(value, float)


def test_entitlement_rows_by_hand() -> None:
    result = _result()
    rows = entitlement_rows(result)
    _plain(rows)
    assert [tuple(r) for r in rows] == [ENTITLEMENT_COLUMNS] * len(rows)
    by_key = {(r["scheme"], r["party"], r["window_label"]): r for r in rows}
    # I1: 25 units of SKU1 -> 2 free at 8.00 = 16.00; I3: 30 -> 3 free = 24.00
    assert by_key[("S1", "R1", "I1")]["free_units"] == 2
    assert by_key[("S1", "R1", "I1")]["free_value"] == D("16.00")
    assert by_key[("S1", "R3", "I3")]["value"] == D("24.00")
    # S2 R1 July: 100 x 50.00 = 5000.00 net, 2 % = 100.00 discount
    july = by_key[("S2", "R1", "2025-07")]
    assert july["volume"] == D("5000.00")
    assert july["discount"] == D("100.00")
    assert july["window_start"] == date(2025, 7, 1)
    assert july["window_end"] == date(2025, 8, 1)
    assert july["currency"] == "INR"
    assert july["settled"] is None
    # the value column adds up to the result's total: 16 + 24 + 100 = 140
    assert sum(D(str(r["value"])) for r in rows) == result.total().amount == D("140.00")


def test_considered_rows_and_trace_column() -> None:
    result = _result()
    considered = entitlement_rows(result, considered=True, trace=True)
    # R3 July SKU2 500.00 reaches no slab: measured, not applied
    assert any(r["party"] == "R3" and r["scheme"] == "S2" and r["applied"] is False
               for r in considered)
    assert len(considered) == len(result.considered)
    assert all(str(r["trace"]).startswith(f"scheme {r['scheme']} for {r['party']}")
               for r in considered)
    assert list(considered[0])[-1] == "trace"


def test_free_goods_and_near_miss_rows() -> None:
    result = _result()
    free = free_goods_rows(result)
    _plain(free)
    assert all(tuple(r) == FREE_GOODS_COLUMNS for r in free)
    assert [(r["party"], r["sku"], r["units"], r["value"]) for r in free] == [
        ("R1", "SKU1", 2, D("16.00")),
        ("R3", "SKU1", 3, D("24.00")),
    ]
    misses = near_miss_rows(result)
    _plain(misses)
    assert all(tuple(r) == NEAR_MISS_COLUMNS for r in misses)
    # R3 July SKU2 net 500.00; slab 1 starts at 1000: 500.00 missing
    r3 = next(r for r in misses if r["party"] == "R3" and r["scheme"] == "S2")
    assert (r3["volume"], r3["threshold"], r3["missing"]) == (D("500.00"), D(1000), D("500.00"))


def test_simulation_and_diff_rows() -> None:
    sim = simulate({"now": schemes(1, 2), "rich": schemes(2, 3)}, HISTORY, accounts=ACCOUNTS,
                   on=ON, by=("scheme", "territory"))
    rows = simulation_rows(sim)
    _plain(rows)
    assert all(tuple(r) == ("variant", "scheme", "territory", *TOTALS_COLUMNS, "currency")
               for r in rows)
    for name in sim.variants:
        mine = [r for r in rows if r["variant"] == name]
        assert sum(D(str(r["cost"])) for r in mine) == sim.totals(name).cost.amount
    by_territory = simulation_rows(sim, by=("territory",))
    assert [(r["variant"], r["territory"], r["cost"]) for r in by_territory] == [
        # now: T-N R1 16 + 100 = 116, T-S R3 24; rich: T-N 32 + 150 = 182, T-S 48
        ("now", "T-N", D("116.00")), ("now", "T-S", D("24.00")),
        ("rich", "T-N", D("182.00")), ("rich", "T-S", D("48.00")),
    ]
    diffs = diff_rows(sim)
    _plain(diffs)
    for r in diffs:
        for figure in DIFF_MEASURES:
            delta = r[f"delta_{figure}"]
            assert isinstance(delta, int | Decimal)
            assert delta == r[f"variant_{figure}"] - r[f"baseline_{figure}"]  # type: ignore[operator]
    (total,) = diff_rows(sim, "rich", by=())
    # 230 - 140 = 90
    assert (total["baseline_cost"], total["variant_cost"], total["delta_cost"]) == (
        D("140.00"), D("230.00"), D("90.00"))
    assert total["delta_free_units"] == 5  # (2 + 3) more free units
    assert tuple(total)[:2] == ("variant", "baseline")


def test_uplift_rows() -> None:
    a = uplift({"R1": (D(100), D(130)), "R2": (D(200), D(250))},
               {"R3": (D(100), D(110)), "R4": (D(300), D(310))}, n_resamples=100)
    b = uplift({"R1": (D(10), D(10))}, {"R3": (D(10), D(12))}, n_resamples=100)
    (single,) = uplift_rows(a)
    assert tuple(single) == UPLIFT_COLUMNS
    assert single["label"] is None
    # treated change 40 - control change 10 = 30; relative 30 / 160 = 0.1875
    assert (single["estimate"], single["relative"]) == (D("30.0000"), D("0.1875"))
    assert single["significant"] is True
    rows = uplift_rows({"June push": a, "Flat": b})
    _plain(rows)
    assert [r["label"] for r in rows] == ["June push", "Flat"]
    # Flat: treated change 0 - control change 2 = -2
    assert rows[1]["estimate"] == D("-2.0000")
    assert rows[1]["treated_size"] == 1


def test_to_rows_dispatches_on_the_result_type() -> None:
    result = _result()
    assert to_rows(result) == entitlement_rows(result)
    sim = simulate({"now": schemes(1, 2)}, HISTORY, accounts=ACCOUNTS, on=ON)
    assert to_rows(sim) == simulation_rows(sim)
    a = uplift({"R1": (D(1), D(3))}, {"R3": (D(1), D(2))}, n_resamples=10)
    assert to_rows(a) == uplift_rows(a)
    assert to_rows({"x": a}) == uplift_rows({"x": a})
    with pytest.raises(SchemeError, match=r"to_rows: no rows for int; expected a SchemeResult"):
        to_rows(3)  # type: ignore[arg-type]
