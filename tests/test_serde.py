"""JSON / TOML conversion: exact round trips and precise error reports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from distcrm import serde
from distcrm.catalog import MrpEntry, PackSize, Product
from distcrm.documents import Document, Line
from distcrm.errors import StructureError
from distcrm.money import Money
from distcrm.parties import INDIAN_FMCG, Account, Gstin, Pan, PaymentTerms, TierRules
from distcrm.periods import Period, Validity


def inr(s: str) -> Money:
    return Money.of(s, "INR")


def test_account_json_shape() -> None:
    a = Account(
        "D1",
        "Shree",
        "distributor",
        gstin=Gstin("27AAPFU0939F1ZV"),
        pan=Pan("AAPFU0939F"),
        credit_limit=inr("250000.00"),
        payment_terms=PaymentTerms(30, "end_of_month"),
        lat=19.07,
        lon=72.88,
    )
    data = serde.unstructure(a)
    assert data["gstin"] == "27AAPFU0939F1ZV"
    assert data["credit_limit"] == {"amount": "250000.00", "currency": "INR"}
    assert data["payment_terms"] == {"days": 30, "basis": "end_of_month"}
    assert serde.from_json(serde.to_json(a), Account) == a


def test_decimal_precision_survives_json() -> None:
    line = Line("S", 3, inr("0.10"), discount=inr("0.005"))
    back = serde.from_json(serde.to_json(line), Line)
    assert back == line
    assert back.discount is not None
    assert str(back.discount.amount) == "0.005"


def test_frozensets_become_sorted_lists() -> None:
    data = serde.unstructure(INDIAN_FMCG)
    assert data["tiers"][2]["parents"] == ["principal", "super_stockist"]
    assert serde.structure(data, TierRules) == INDIAN_FMCG


def test_every_problem_is_reported_with_its_path() -> None:
    raw = {
        "id": "I1",
        "kind": "invoice",
        "level": "tertiary",
        "seller": "P",
        "buyer": "D1",
        "issued_on": "2025-13-01",
        "currency": "INR",
        "lines": [
            {"sku": "S", "qty": 1, "unit_price": {"amount": "1", "currency": "INR"}},
            {"sku": "S", "qty": "2", "unit_price": {"amount": "1", "currency": "INR"}},
            {
                "sku": "S",
                "qty": 1,
                "unit_price": {"amount": "1", "currency": "INR"},
                "colour": "red",
            },
            {"sku": "S", "qty": 1},
        ],
    }
    with pytest.raises(StructureError) as info:
        serde.structure(raw, Document)
    paths = {p.path: p.message for p in info.value.problems}
    assert paths["$.level"] == "expected one of 'primary', 'secondary', got 'tertiary'"
    assert paths["$.issued_on"] == "expected an ISO date (YYYY-MM-DD), got str '2025-13-01'"
    assert paths["$.lines[1].qty"] == "expected int, got str '2'"
    assert paths["$.lines[2].colour"] == "unknown field"
    assert paths["$.lines[3].unit_price"] == "required field missing"
    assert len(paths) == 5


def test_entity_validators_surface_with_paths() -> None:
    with pytest.raises(StructureError, match=r"\$\.gstin: gstin: '27AAPFU0939F1ZO'"):
        serde.structure(
            {"id": "D", "name": "n", "tier": "distributor", "gstin": "27AAPFU0939F1ZO"}, Account
        )
    with pytest.raises(StructureError, match=r"\$\.lines\[0\]: line 'S'.qty: must be an int >= 0"):
        serde.structure(
            {
                "id": "I",
                "kind": "invoice",
                "level": "primary",
                "seller": "P",
                "buyer": "D",
                "issued_on": "2025-01-01",
                "currency": "INR",
                "lines": [
                    {"sku": "S", "qty": -1, "unit_price": {"amount": "1", "currency": "INR"}}
                ],
            },
            Document,
        )


def test_python_floats_are_refused_but_json_decimals_are_exact() -> None:
    with pytest.raises(
        StructureError, match=r"\$\.amount: expected a decimal string or int, got float"
    ):
        serde.structure({"amount": 1.5, "currency": "INR"}, Money)
    # In JSON text, 1.10 is parsed as Decimal('1.10') — exact, so it is accepted
    assert serde.from_json('{"amount": 1.10, "currency": "INR"}', Money) == inr("1.10")


def test_toml_and_bad_text() -> None:
    text = """
sku = "SKU1"
name = "Glucose 100g"
category = ["Foods", "Biscuits"]
hsn = "1905"
packs = [{uom = "case", units = 24}]
mrp = [{price = {amount = "10.00", currency = "INR"}, validity = {start = "2025-01-01"}}]
"""
    p = serde.from_toml(text, Product)
    assert p == Product(
        "SKU1",
        "Glucose 100g",
        category=("Foods", "Biscuits"),
        hsn="1905",
        packs=(PackSize("case", 24),),
        mrp=(MrpEntry(inr("10.00"), Validity(date(2025, 1, 1))),),
    )
    with pytest.raises(StructureError, match="invalid TOML"):
        serde.from_toml("sku = ", Product)
    with pytest.raises(StructureError, match="invalid JSON"):
        serde.from_json("{", Product)


@attrs.frozen
class _Percent:
    rate: Decimal


@attrs.frozen
class _Flat:
    amount: Money


@attrs.frozen
class _Holder:
    benefit: _Percent | _Flat
    period: Period


def test_tagged_unions() -> None:
    serde.register_tagged_union(_Percent | _Flat, {_Percent: "percent", _Flat: "flat"})
    h = _Holder(_Flat(inr("5")), Period.containing(date(2025, 5, 5), "month"))
    data = serde.unstructure(h)
    assert data["benefit"] == {"type": "flat", "amount": {"amount": "5", "currency": "INR"}}
    assert serde.structure(data, _Holder) == h
    with pytest.raises(StructureError):
        serde.structure({"benefit": {"type": "bogus"}, "period": data["period"]}, _Holder)
