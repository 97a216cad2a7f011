"""What-if simulation: hand-checked variants, conserving roll-ups, diffs and errors."""

from __future__ import annotations

import doctest
import itertools
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from distcrm.documents import Document, Line
from distcrm.findings import Trace
from distcrm.money import Money
from distcrm.parties import Account
from distcrm.periods import Validity
from distcrm.schemes.evaluate import evaluate
from distcrm.schemes.model import FreeGoods, PercentDiscount, ProductSelection, Scheme, Slab
from distcrm.schemes.results import SchemeResult
from distcrm.schemes.whatif import (
    DIMENSIONS,
    Dimension,
    Simulation,
    SimulationTotals,
    WhatIfError,
    simulate,
    summarize,
)

D = Decimal
ON = date(2025, 8, 31)
VALID = Validity(date(2025, 4, 1), date(2026, 4, 1))


def inr(amount: str) -> Money:
    return Money.of(amount, "INR")


ACCOUNTS = (
    Account("P", "Brand", "principal"),
    Account("D1", "North Traders", "distributor", territory="T-N"),
    Account("D2", "South Traders", "distributor", territory="T-S"),
    Account("R1", "Shop 1", "retailer", territory="T-N"),
    Account("R2", "Shop 2", "retailer", territory="T-N"),
    Account("R3", "Shop 3", "retailer", territory="T-S"),
)
SUPPLIER = {"R1": "D1", "R2": "D1", "R3": "D2"}


def _invoice(n: str, buyer: str, day: date, *lines: Line, kind: str = "invoice") -> Document:
    return Document(n, kind, "secondary", SUPPLIER[buyer], buyer, day, "INR",  # type: ignore[arg-type]
                    lines)


HISTORY = (
    _invoice("I1", "R1", date(2025, 6, 3), Line("SKU1", 25, inr("8.00"))),
    _invoice("I2", "R2", date(2025, 6, 10), Line("SKU1", 12, inr("8.00"))),
    _invoice("I3", "R3", date(2025, 7, 5), Line("SKU1", 30, inr("8.00")),
             Line("SKU2", 10, inr("50.00"))),
    _invoice("I4", "R1", date(2025, 7, 8), Line("SKU2", 100, inr("50.00"))),
)


def buy_ten_get(n: int) -> Scheme:
    return Scheme("S1", "Buy 10 get n", VALID, products=ProductSelection(skus={"SKU1"}),
                  slabs=(Slab(10, FreeGoods(get=n, every=10)),))


def value_discount(percent: int) -> Scheme:
    return Scheme("S2", "Monthly value", VALID, measure="net_value", window="month",
                  products=ProductSelection(skus={"SKU2"}),
                  slabs=(Slab(1000, PercentDiscount(percent)),))


VARIANTS = {
    "current": [buy_ten_get(1), value_discount(2)],
    "richer": [buy_ten_get(2), value_discount(3)],
    "lean": [value_discount(2)],
}
ALL_DIMS: tuple[Dimension, ...] = ("scheme", "distributor", "territory", "period", "tier", "slab")


def _sim(by: Sequence[Dimension] = ALL_DIMS, **kwargs: object) -> Simulation:
    return simulate(VARIANTS, HISTORY, accounts=ACCOUNTS, on=ON, by=by, **kwargs)  # type: ignore[arg-type]


def _costs(cells: Sequence[object]) -> dict[tuple[object, ...], tuple[str, int]]:
    out: dict[tuple[object, ...], tuple[str, int]] = {}
    for c in cells:
        out[(c.variant, *c.key)] = (str(c.totals.cost.amount), c.totals.free_units)  # type: ignore[attr-defined]
    return out


def test_hand_checked_variants_by_scheme_and_distributor() -> None:
    sim = _sim()
    # current: S1 buy 10 get 1 of SKU1 per invoice, free units valued at the 8.00 line price
    #   I1 R1 25 units -> 2 free = 16.00; I2 R2 12 -> 1 free = 8.00 (both via D1)
    #   I3 R3 30 -> 3 free = 24.00 (via D2)
    # S2 2 % of monthly SKU2 net value from 1000: R1 July 100 x 50 = 5000 -> 100.00;
    #   R3 July 10 x 50 = 500 reaches no slab.
    # richer: get 2 -> 32.00 + 16.00 + 48.00 free; 3 % -> 150.00.  lean: only S2 2 % -> 100.00
    assert _costs(sim.rollup(("scheme", "distributor"))) == {
        ("current", "S1", "D1"): ("24.00", 3),
        ("current", "S1", "D2"): ("24.00", 3),
        ("current", "S2", "D1"): ("100.00", 0),
        ("richer", "S1", "D1"): ("48.00", 6),
        ("richer", "S1", "D2"): ("48.00", 6),
        ("richer", "S2", "D1"): ("150.00", 0),
        ("lean", "S2", "D1"): ("100.00", 0),
    }
    # grand totals: current 16 + 8 + 24 + 100 = 148; richer 32 + 16 + 48 + 150 = 246
    assert sim.totals("current").cost == inr("148.00")
    assert sim.totals("current").discount == inr("100.00")
    assert sim.totals("current").free_value == inr("48.00")
    assert sim.totals("richer").cost == inr("246.00")
    assert sim.totals("lean").cost == inr("100.00")
    assert sim.baseline == "current"
    assert sim.variants == ("current", "richer", "lean")


def test_hand_checked_periods_territories_and_tiers() -> None:
    sim = _sim()
    # June: I1 16 + I2 8 = 24; July: I3 24 + S2 100 = 124
    assert _costs(sim.rollup(("period",), "current")) == {
        ("current", "2025-06"): ("24.00", 3),
        ("current", "2025-07"): ("124.00", 3),
    }
    # T-N: R1 16 + 100, R2 8 = 124; T-S: R3 24
    assert _costs(sim.rollup(("territory",), "current")) == {
        ("current", "T-N"): ("124.00", 3),
        ("current", "T-S"): ("24.00", 3),
    }
    assert _costs(sim.rollup(("tier", "slab"), "current")) == {
        ("current", "retailer", 1): ("148.00", 6),
    }


def test_diffs_against_baseline() -> None:
    sim = _sim(by=("scheme",))
    deltas = {(d.variant, d.key): d.delta for d in sim.diffs}
    # richer - current: S1 96 - 48 = +48 (6 more free units), S2 150 - 100 = +50
    assert deltas[("richer", ("S1",))].cost == inr("48.00")
    assert deltas[("richer", ("S1",))].free_units == 6
    assert deltas[("richer", ("S2",))].cost == inr("50.00")
    # lean has no S1 at all: the whole baseline S1 cost disappears
    assert deltas[("lean", ("S1",))].cost == inr("-48.00")
    assert deltas[("lean", ("S1",))].entitlements == -3
    assert deltas[("lean", ("S2",))].cost == inr("0.00")
    (total,) = sim.diff("richer", by=())
    assert total.delta.cost == inr("98.00")  # 246 - 148
    # another baseline on request: current against lean
    (back,) = sim.diff("current", "lean", by=())
    assert back.delta.cost == inr("48.00")


def test_named_baseline_and_results_kept() -> None:
    sim = _sim(by=("scheme",), baseline="lean")
    assert {d.variant for d in sim.diffs} == {"current", "richer"}
    assert sim.result("richer").total() == inr("246.00")
    assert "variant 'lean' (baseline)" in sim.trace.render()


def test_distributor_rule_and_override() -> None:
    # D1 earns itself: a seller-side scheme measured on its own sales
    seller_scheme = Scheme("S3", "Distributor push", VALID, party="seller", window="month",
                           measure="units", products=ProductSelection(skus={"SKU1"}),
                           slabs=(Slab(30, PercentDiscount(1)),))
    sim = simulate({"only": [seller_scheme]}, HISTORY, accounts=ACCOUNTS, on=ON,
                   by=("distributor", "tier"))
    # D1 June SKU1: 25 + 12 = 37 units >= 30 -> 1 % of 37 x 8.00 = 2.96
    # D2 July SKU1: 30 units -> 1 % of 240.00 = 2.40
    assert _costs(sim.cells) == {
        ("only", "D1", "distributor"): ("2.96", 0),
        ("only", "D2", "distributor"): ("2.40", 0),
    }
    moved = _sim(by=("distributor",), distributor_of={"R2": "D2"})
    # R2's 8.00 moves from D1 to D2 in the baseline
    assert _costs(moved.rollup(("distributor",), "current")) == {
        ("current", "D1"): ("116.00", 2),
        ("current", "D2"): ("32.00", 4),
    }


def test_retailer_supplied_by_two_distributors_goes_to_the_larger() -> None:
    history = (
        Document("J1", "invoice", "secondary", "D1", "R1", date(2025, 6, 3), "INR",
                 (Line("SKU1", 10, inr("8.00")),)),
        Document("J2", "invoice", "secondary", "D2", "R1", date(2025, 6, 4), "INR",
                 (Line("SKU1", 20, inr("8.00")),)),
    )
    monthly = Scheme("S4", "Monthly units", VALID, window="month",
                     products=ProductSelection(skus={"SKU1"}),
                     slabs=(Slab(10, FreeGoods(get=1, every=10)),))
    sim = simulate({"v": [monthly]}, history, accounts=ACCOUNTS, on=ON, by=("distributor",))
    # R1 June: 10 from D1 (80.00 gross) + 20 from D2 (160.00) = 30 units -> 3 free;
    # the whole entitlement goes to D2, the larger supplier
    assert _costs(sim.cells) == {("v", "D2"): ("24.00", 3)}


def test_no_distributor_when_the_only_partner_is_not_one() -> None:
    stockist = Account("SS1", "Stockist", "super_stockist")
    history = (Document("K1", "invoice", "secondary", "SS1", "R1", date(2025, 6, 3), "INR",
                        (Line("SKU1", 10, inr("8.00")),)),)
    sim = simulate({"v": [buy_ten_get(1)]}, history, accounts=(*ACCOUNTS, stockist), on=ON,
                   by=("distributor",))
    assert _costs(sim.cells) == {("v", None): ("8.00", 1)}


def test_quarters_and_fiscal_years() -> None:
    sim = _sim(by=("period",), period="quarter")
    # June (Q2) 24.00; July (Q3) 124.00 for the current set
    assert _costs(sim.rollup(("period",), "current")) == {
        ("current", "2025-Q2"): ("24.00", 3),
        ("current", "2025-Q3"): ("124.00", 3),
    }
    fiscal = _sim(by=("period",), period="quarter", first_month=4)
    assert [c.key for c in fiscal.rollup(("period",), "current")] == [
        ("FY2025-26 Q1",), ("FY2025-26 Q2",)
    ]


def test_findings_for_unpriced_free_goods_and_unknown_accounts() -> None:
    other_sku = Scheme("S5", "Free SKU9", VALID, products=ProductSelection(skus={"SKU1"}),
                       slabs=(Slab(10, FreeGoods(get=1, sku="SKU9")),))
    sim = simulate({"v": [other_sku]}, HISTORY, accounts=ACCOUNTS[:4], on=ON,
                   by=("tier",))
    # one free SKU9 per qualifying invoice (I1, I2, I3), no price known for SKU9
    assert sim.totals("v").unpriced_free_units == 3
    assert sim.totals("v").cost == inr("0.00")
    codes = {(f.code, f.subject) for f in sim.findings}
    assert ("unpriced_free_goods", "v") in codes
    # R2 and R3 are not among the accounts passed
    assert ("unknown_account", "R2") in codes
    assert ("unknown_account", "R3") in codes
    assert _costs(sim.cells) == {("v", "retailer"): ("0.00", 1), ("v", None): ("0.00", 2)}
    priced = simulate({"v": [other_sku]}, HISTORY, accounts=ACCOUNTS, on=ON, by=("tier",),
                      options={"prices": {"SKU9": inr("5.00")}})
    assert priced.totals("v").cost == inr("15.00")  # 3 x 5.00
    assert priced.findings == ()


# ---- conservation properties ------------------------------------------------------------


@st.composite
def histories(draw: st.DrawFn) -> tuple[Document, ...]:
    docs: list[Document] = []
    for i in range(draw(st.integers(0, 12))):
        buyer = draw(st.sampled_from(["R1", "R2", "R3"]))
        day = date(2025, draw(st.integers(5, 9)), draw(st.integers(1, 28)))
        lines = [Line(sku, draw(st.integers(0, 60)), inr(price))
                 for sku, price in draw(st.lists(st.sampled_from([("SKU1", "8.00"),
                                                                   ("SKU2", "50.00")]),
                                                 min_size=1, max_size=2, unique=True))]
        kind = draw(st.sampled_from(["invoice", "invoice", "invoice", "return"]))
        docs.append(_invoice(f"H{i}", buyer, day, *lines, kind=kind))
    return tuple(docs)


@settings(max_examples=40, deadline=None)
@given(histories())
def test_rollups_conserve_totals(history: tuple[Document, ...]) -> None:
    sim = simulate(VARIANTS, history, accounts=ACCOUNTS, on=date(2025, 12, 31), by=ALL_DIMS)
    for name in sim.variants:
        result = sim.result(name)
        grand = sim.totals(name)
        assert grand.cost == result.total()
        assert grand.free_units == sum(e.free_units for e in result.entitlements)
        assert grand.entitlements == len(result.entitlements)
        for size in range(len(ALL_DIMS) + 1):
            for dims in itertools.combinations(ALL_DIMS, size):
                cells = sim.rollup(dims, name)
                assert sum((c.totals for c in cells), SimulationTotals.zero("INR")) == grand
                assert len({c.key for c in cells}) == len(cells)
    for name in sim.variants:
        if name == sim.baseline:
            continue
        for dims in (ALL_DIMS, ("scheme",), ()):
            delta = sum((d.delta for d in sim.diff(name, by=dims)), SimulationTotals.zero("INR"))
            assert delta == sim.totals(name) - sim.totals(sim.baseline)


@settings(max_examples=20, deadline=None)
@given(histories())
def test_summarize_equals_simulate(history: tuple[Document, ...]) -> None:
    results = {n: evaluate(s, history, accounts=ACCOUNTS, on=ON) for n, s in VARIANTS.items()}
    by: tuple[Dimension, ...] = ("period", "scheme")
    assert summarize(results, by=by, documents=history, accounts=ACCOUNTS).cells == simulate(
        VARIANTS, history, accounts=ACCOUNTS, on=ON, by=by
    ).cells


# ---- errors -----------------------------------------------------------------------------


def test_bad_dimensions() -> None:
    with pytest.raises(WhatIfError, match=r"simulate\.by\[1\]: 'brand' is not one of scheme"):
        _sim(by=("scheme", "brand"))  # type: ignore[arg-type]
    with pytest.raises(WhatIfError, match=r"simulate\.by\[1\]: 'scheme' is repeated"):
        _sim(by=("scheme", "scheme"))
    with pytest.raises(WhatIfError, match=r"simulate\.by: expected a sequence of dimensions"):
        _sim(by="scheme")  # type: ignore[arg-type]
    sim = _sim(by=("scheme",))
    with pytest.raises(WhatIfError,
                       match=r"simulation\.rollup\.by\[0\]: 'period' is not one of the simulation"):
        sim.rollup(("period",))


def test_bad_variants_and_baseline() -> None:
    with pytest.raises(WhatIfError, match=r"simulate\.variants: at least one variant"):
        simulate({}, HISTORY, accounts=ACCOUNTS, on=ON)
    with pytest.raises(WhatIfError, match=r"simulate\.baseline: no variant 'old'"):
        _sim(baseline="old")
    with pytest.raises(WhatIfError, match=r"simulation\.variants: no variant 'nope'"):
        _sim().totals("nope")


def test_evaluator_errors_name_the_variant() -> None:
    twice = {"ok": [buy_ten_get(1)], "dup": [buy_ten_get(1), buy_ten_get(2)]}
    with pytest.raises(WhatIfError, match=r"simulate\.variants\['dup'\]: evaluate\.schemes\[1\]"):
        simulate(twice, HISTORY, accounts=ACCOUNTS, on=ON)


def test_currencies_must_agree() -> None:
    inr_result = SchemeResult((), (), (), Trace.of("r"), currency="INR")
    usd_result = SchemeResult((), (), (), Trace.of("r"), currency="USD")
    with pytest.raises(WhatIfError,
                       match=r"simulate\.variants\['b'\]: currency USD differs from INR"):
        summarize({"a": inr_result, "b": usd_result})


def test_every_dimension_is_supported() -> None:
    sim = _sim(by=DIMENSIONS)
    assert sim.totals("current").cost == inr("148.00")
    (cell, *_) = sim.cells
    assert len(cell.key) == len(DIMENSIONS)


def test_what_if_page_examples_run() -> None:
    page = Path(__file__).resolve().parents[2] / "docs" / "schemes" / "what-if.md"
    failed, attempted = doctest.testfile(
        str(page), module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS,
    )
    assert attempted > 10
    assert failed == 0


def test_totals_of_single_entitlements_add_up() -> None:
    sim = _sim(by=("party",))
    for name in sim.variants:
        parts = [SimulationTotals.of(e, "INR") for e in sim.result(name).entitlements]
        assert sum(parts, SimulationTotals.zero("INR")) == sim.totals(name)
