"""Rebates on per-party target achievement: examples, loading, errors and a property."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from distcrm.documents import Document, Line
from distcrm.errors import StructureError
from distcrm.money import Money
from distcrm.periods import Validity
from distcrm.schemes import (
    Entitlement,
    Rebate,
    Scheme,
    SchemeDefinitionError,
    Slab,
    evaluate,
    schemes_from_json,
    schemes_from_toml,
)

D = Decimal
ON = date(2025, 6, 30)


def target_scheme(**kw: object) -> Scheme:
    args: dict[str, object] = {
        "level": "secondary",
        "party": "seller",
        "measure": "net_value",
        "window": "month",
        "slabs": (Slab(100, Rebate(percent=2)), Slab(110, Rebate(percent=3))),
        "targets": {"D1": 50_000, "D2": 40_000},
    }
    args.update(kw)
    return Scheme("T", "Target rebate", Validity(date(2025, 4, 1)), **args)  # type: ignore[arg-type]


def sale(doc_id: str, seller: str, qty: int, price: str, day: int = 3) -> Document:
    return Document(
        doc_id,
        "invoice",
        "secondary",
        seller,
        "R1",
        date(2025, 6, day),
        "INR",
        (Line("SKU1", qty, Money.of(price, "INR")),),
    )


def test_each_party_is_measured_against_its_own_target() -> None:
    docs = [
        sale("I1", "D1", 1_900, "20.00"),  # 38,000 of a 50,000 target: 76 %
        sale("I2", "D2", 2_250, "20.00"),  # 45,000 of a 40,000 target: 112.5 %
        sale("I3", "D3", 5_000, "20.00"),  # 100,000 but no target
    ]
    result = evaluate([target_scheme()], docs, on=ON)
    by_party: dict[str, Entitlement] = {e.party: e for e in result.considered}
    assert not by_party["D1"].applied
    d2 = by_party["D2"]
    # 112.5 % reaches the 110 % slab: 45,000 x 3 % = 1,350.00; its bound is 40,000 x 110 % = 44,000
    assert d2.applied and d2.slab == 2
    assert d2.value == Money.of("1350.00", "INR")
    assert d2.slab_min == D("44000.00")
    assert "target 40000 INR: 45000.00 INR is 112.50 % of it" in d2.notes[0].reason
    d3 = by_party["D3"]
    assert not d3.applied and d3.value == Money.of("0.00", "INR")
    assert d3.notes[0].rule == "target" and "no target for D3" in d3.notes[0].reason
    assert [e.party for e in result.entitlements] == ["D2"]
    # the overview names the party without a target
    assert "no target for D3" in str(result.trace)


def test_near_miss_speaks_of_the_party_target() -> None:
    docs = [sale("I1", "D1", 1_900, "20.00"), sale("I3", "D3", 5_000, "20.00")]
    result = evaluate([target_scheme()], docs, on=ON)
    # D1: 50,000 - 38,000 = 12,000 more reaches 100 % of its target; D3 has no target, no miss
    assert [m.party for m in result.near_misses] == ["D1"]
    miss = result.near_misses[0]
    assert miss.missing == D("12000.00") and miss.threshold == D("50000.00")
    assert miss.message == (
        "12000.00 INR more net value reaches 100 % of target 50000 INR (rebate of 2 % of net value)"
    )
    # past 100 % the next miss is the 110 % slab: 40,000 x 110 % = 44,000 - 42,000 = 2,000
    result = evaluate([target_scheme()], [sale("I2", "D2", 2_100, "20.00")], on=ON)
    assert result.entitlements[0].value == Money.of("840.00", "INR")  # 42,000 x 2 %
    assert result.near_misses[0].missing == D("2000.00")
    assert "110 % of target 40000 INR" in result.near_misses[0].message


def test_exactly_reaching_the_target_earns_and_each_month_is_its_own_window() -> None:
    docs = [
        sale("I1", "D1", 2_500, "20.00"),  # June: exactly 50,000 = 100 %
        sale("I2", "D1", 100, "20.00", day=1),  # June too: 52,000 in all (104 %)
        Document(
            "I3",
            "invoice",
            "secondary",
            "D1",
            "R1",
            date(2025, 7, 2),
            "INR",
            (Line("SKU1", 2_000, Money.of("20.00", "INR")),),
        ),  # July: 40,000 = 80 %
    ]
    result = evaluate([target_scheme()], docs, on=date(2025, 7, 31))
    june = next(e for e in result.considered if e.window.label == "2025-06")
    july = next(e for e in result.considered if e.window.label == "2025-07")
    assert june.applied and june.value == Money.of("1040.00", "INR")  # 52,000 x 2 %
    assert not july.applied


def test_unit_targets_and_lump_sum_rebate() -> None:
    s = target_scheme(
        measure="units",
        slabs=(Slab(100, Rebate(amount=500)),),
        targets={"D1": 1_000},
    )
    hit = evaluate([s], [sale("I1", "D1", 1_000, "1.00")], on=ON)
    assert hit.entitlements[0].value == Money.of("500.00", "INR")
    miss = evaluate([s], [sale("I1", "D1", 997, "1.00")], on=ON)
    assert not miss.entitlements
    assert miss.near_misses[0].message == (
        "3 more units reach 100 % of target 1000 units (rebate of 500 INR)"
    )


def test_bulk_run_drops_parties_without_target_and_below_target() -> None:
    docs = [
        sale("I1", "D1", 1_900, "20.00"),
        sale("I2", "D2", 2_250, "20.00"),
        sale("I3", "D3", 5_000, "20.00"),
    ]
    full = evaluate([target_scheme()], docs, on=ON)
    bulk = evaluate([target_scheme()], docs, on=ON, explain=False)
    assert bulk.entitlements == full.entitlements
    assert [e.party for e in bulk.considered] == ["D2"]


def test_targets_load_from_json_and_toml() -> None:
    text = """
    [[schemes]]
    id = "T"
    name = "Target rebate"
    validity = { start = "2025-04-01" }
    party = "seller"
    measure = "net_value"
    window = "month"
    slabs = [ { min = 100, benefit = { type = "rebate", percent = 2 } },
              { min = 110, benefit = { type = "rebate", percent = 3 } } ]
    targets = { D1 = "50000", D2 = 40000 }
    """
    (from_toml,) = schemes_from_toml(text)
    assert dict(from_toml.targets) == {"D1": D(50_000), "D2": D(40_000)}
    assert from_toml == target_scheme()
    json_text = (
        '[{"id": "T", "name": "t", "validity": {"start": "2025-04-01"}, "window": "month",'
        ' "slabs": [{"min": 100, "benefit": {"type": "rebate", "amount": "500"}}],'
        ' "targets": {"D1": 1000.5}}]'
    )
    (from_json,) = schemes_from_json(json_text)
    assert from_json.targets["D1"] == D("1000.5")


def test_bad_targets_name_the_scheme_and_field() -> None:
    with pytest.raises(SchemeDefinitionError, match=r"scheme 'T'.targets.D1: 0 must be > 0"):
        target_scheme(targets={"D1": 0})
    bad = (
        '[{"id": "T", "name": "t", "validity": {"start": "2025-04-01"},'
        ' "slabs": [{"min": 100, "benefit": {"type": "rebate", "amount": "5"}}],'
        ' "targets": {"D1": "-3"}}]'
    )
    with pytest.raises(StructureError, match=r"\$\[0\]\.targets\.D1: -3 must be > 0"):
        schemes_from_json(bad)


@settings(max_examples=80, deadline=None)
@given(
    target=st.integers(1_000, 100_000),
    lines=st.lists(st.tuples(st.integers(0, 29), st.integers(1, 500)), min_size=1, max_size=8),
    extra=st.integers(1, 50_000),
)
def test_reaching_the_target_never_pays_less_than_missing_it(
    target: int, lines: list[tuple[int, int]], extra: int
) -> None:
    s = target_scheme(
        measure="units",
        slabs=(Slab(100, Rebate(percent=2)), Slab(110, Rebate(percent=3))),
        targets={"D1": target},
    )

    def docs(rows: list[tuple[int, int]]) -> list[Document]:
        return [
            Document(
                f"I{i}",
                "invoice",
                "secondary",
                "D1",
                "R1",
                date(2025, 6, 1) + timedelta(days=day),
                "INR",
                (Line("SKU1", qty, Money.of("7.35", "INR")),),
            )
            for i, (day, qty) in enumerate(rows)
        ]

    def paid(rows: list[tuple[int, int]]) -> Decimal:
        r = evaluate([s], docs(rows), on=ON)
        return sum((e.value.amount for e in r.entitlements), D(0))

    units = sum(q for _, q in lines)
    before = paid(lines)
    after = paid([*lines, (29, extra)])
    assert after >= before
    if units >= target:
        assert before > 0
    else:
        assert before == 0
        # topping up to exactly the target pays: 2 % of 7.35 x target units, half-up
        exact = evaluate([s], docs([*lines, (29, target - units)]), on=ON).entitlements
        assert exact[0].value.amount == (D("7.35") * target * D("0.02")).quantize(
            D("0.01"), rounding=ROUND_HALF_UP
        )
