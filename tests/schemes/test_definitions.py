"""Scheme definitions: validation with located problems, loading from JSON / TOML."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from distcrm.errors import SchemeError, StructureError
from distcrm.periods import Validity
from distcrm.schemes import (
    Caps,
    FlatAmount,
    FreeGoods,
    PercentDiscount,
    Rebate,
    Scheme,
    SchemeDefinitionError,
    Slab,
    scheme_from_dict,
    scheme_to_dict,
    schemes_from_json,
    schemes_from_toml,
)
from distcrm.schemes.slabs import band_portions, check_bounds, reached, shortfall

D = Decimal
V = Validity(date(2025, 4, 1))


def test_every_problem_is_reported_with_its_path() -> None:
    with pytest.raises(SchemeDefinitionError) as info:
        Scheme(
            "S9",
            "bad",
            V,
            slabs=(Slab(D(10), PercentDiscount(D(120))), Slab(D(5), PercentDiscount(D(2)))),
            window="week",  # type: ignore[arg-type]
            caps=Caps(per_invoice=D(5), total=D(-1)),
            stacking="best_of",
        )
    paths = {p.path for p in info.value.problems}
    assert paths == {
        "$.window",
        "$.group",
        "$.slabs[0].benefit.percent",
        "$.slabs[1].min",
        "$.slabs[1].benefit",
        "$.caps.total",
        "$.caps.per_invoice",
    }
    text = str(info.value)
    assert "scheme 'S9'.slabs[1].min: 5 must be greater than the previous slab's 10" in text
    assert "scheme 'S9'.caps.per_invoice: needs window 'invoice'" in text
    assert isinstance(info.value, SchemeError)


@pytest.mark.parametrize(
    ("slab", "message"),
    [
        (Slab(D(1), FreeGoods(0)), "slabs[0].benefit.get: must be an int >= 1"),
        (Slab(D(1), FreeGoods(1, D(0))), "slabs[0].benefit.every: must be > 0"),
        (Slab(D(1), FlatAmount(D(-1))), "slabs[0].benefit.amount: must be >= 0"),
        (Slab(D(1), Rebate()), "slabs[0].benefit: a rebate needs exactly one of"),
        (Slab(D(-1), PercentDiscount(D(1))), "slabs[0].min: -1 must be >= 0"),
    ],
)
def test_benefit_problems_name_scheme_and_field(slab: Slab, message: str) -> None:
    with pytest.raises(
        SchemeDefinitionError,
        match=rf"scheme 'S'\.{message}".replace("[", r"\[").replace("]", r"\]"),
    ):
        Scheme("S", "s", V, slabs=(slab,))


def test_step_mode_needs_rates_and_slabs_one_kind() -> None:
    with pytest.raises(SchemeDefinitionError, match=r"slabs\[0\].benefit: step mode needs a rate"):
        Scheme("S", "s", V, slabs=(Slab(D(1), Rebate(amount=D(5))),), slab_mode="step")
    with pytest.raises(SchemeDefinitionError, match=r"'S'.slabs: every slab must have the same"):
        Scheme(
            "S", "s", V, slabs=(Slab(D(1), Rebate(amount=D(5))), Slab(D(2), PercentDiscount(D(1))))
        )


def test_unknown_currency_is_reported() -> None:
    with pytest.raises(SchemeDefinitionError, match=r"scheme 'S'.currency: 'XYZ' is not"):
        Scheme("S", "s", V, slabs=(Slab(D(1), PercentDiscount(D(1))),), currency="XYZ")


TOML = """
[[schemes]]
id = "S1"
name = "Buy 10 get 1"
validity = { start = "2025-04-01", end = "2025-07-01" }
party = "seller"
window = "month"
eligibility = { tiers = ["distributor"] }
products = { categories = ["Foods/Biscuits"], exclude_skus = ["BIS9"] }
slabs = [ { min = 10, benefit = { type = "free_goods", get = 1, every = 10 } } ]

[[schemes]]
id = "S2"
name = "Value slabs"
validity = { start = "2025-04-01" }
measure = "net_value"
window = "month"
slabs = [
  { min = 10000, benefit = { type = "percent", percent = 2 } },
  { min = 50000, benefit = { type = "percent", percent = 3.5 } },
]
"""


def test_toml_loads_and_round_trips_through_json() -> None:
    s1, s2 = schemes_from_toml(TOML)
    assert (s1.party, s1.window, s1.products.categories) == (
        "seller",
        "month",
        frozenset({"Foods/Biscuits"}),
    )
    assert s1.slabs[0].benefit == FreeGoods(1, D(10))
    assert s2.slabs[1].benefit == PercentDiscount(D("3.5"))
    data = [scheme_to_dict(s1), scheme_to_dict(s2)]
    assert data[0]["slabs"][0]["benefit"]["type"] == "free_goods"
    assert schemes_from_json(json.dumps(data)) == (s1, s2)
    assert scheme_from_dict(data[1]) == s2


def test_loading_reports_every_problem_with_its_path() -> None:
    text = json.dumps(
        {
            "schemes": [
                {
                    "id": "A",
                    "name": "a",
                    "validity": {"start": "2025-04-01"},
                    "colour": "red",
                    "slabs": [{"min": "1", "benefit": {"type": "percent", "percent": "2"}}],
                },
                {
                    "id": "B",
                    "name": "b",
                    "validity": {"start": "2025-04-01"},
                    "slabs": [{"min": "1", "benefit": {"type": "discount", "percent": "2"}}],
                },
                {
                    "id": "A",
                    "name": "a2",
                    "validity": {"start": "2025-04-01"},
                    "slabs": [{"min": "1", "benefit": {"type": "percent", "percent": "2"}}],
                },
            ]
        }
    )
    with pytest.raises(StructureError) as info:
        schemes_from_json(text)
    paths = [p.path for p in info.value.problems]
    assert "$.schemes[0].colour" in paths
    assert any(p.startswith("$.schemes[1].slabs[0].benefit") for p in paths)


def test_duplicate_ids_in_a_file() -> None:
    one = {
        "id": "A",
        "name": "a",
        "validity": {"start": "2025-04-01"},
        "slabs": [{"min": "1", "benefit": {"type": "percent", "percent": "2"}}],
    }
    with pytest.raises(StructureError, match=r"\$\[1\].id: 'A' repeats \$\[0\]"):
        schemes_from_json(json.dumps([one, one]))
    with pytest.raises(StructureError, match=r"\$.schemes: required field missing"):
        schemes_from_json("{}")


def test_invalid_definition_inside_a_file_is_located() -> None:
    bad = {
        "id": "A",
        "name": "a",
        "validity": {"start": "2025-04-01"},
        "slabs": [{"min": "5", "benefit": {"type": "percent", "percent": "200"}}],
    }
    with pytest.raises(StructureError, match=r"\$\[0\].slabs\[0\].benefit.percent: must be"):
        schemes_from_json(json.dumps([bad]))


def test_slab_functions_hand_checked() -> None:
    # bounds 10, 20, 50: volume 35 -> slab index 1; bands 10 + 15 + 0; 15 more to reach 50
    bounds = (10, 20, 50)
    assert reached(bounds, 35) == 1
    assert band_portions(bounds, 35) == (10, 15, 0)
    assert shortfall(bounds, 35) == (2, 15)
    assert check_bounds([5, 3]) == ["[1]: 3 must be greater than the previous bound 5"]
