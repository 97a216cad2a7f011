"""Pricing procedure and orders: breakdowns, chained vs additive, allocation, errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pricing_builders import inr, product

from distcrm.money import Money
from distcrm.pricing import (
    STANDARD_PROCEDURE,
    Buyer,
    Discount,
    GstPolicy,
    PriceEntry,
    PriceIndex,
    PriceList,
    PricingError,
    PricingLine,
    PricingProcedure,
    Scope,
    Supply,
    price_line,
    price_order,
    sample_hsn_rates,
)

GST = GstPolicy(sample_hsn_rates())
ON = date(2025, 10, 1)
INTRA = Supply("27", "27")


def test_chained_discounts_then_gst() -> None:
    # 24 × 72.03 = 1728.72; trade 5 % = 86.436 → 86.44 → 1642.28;
    # scheme 10.00 flat → 1632.28; cash 2 % of 1632.28 = 32.6456 → 32.65 → 1599.63 taxable;
    # biscuits 5 % from 2025-09-22: 2.5 % = 39.990750 → 39.99 CGST and SGST; total 1679.61.
    line = PricingLine("SKU1", 24, unit_price=inr("72.03"), hsn="1905", discounts=(
        Discount("cash", percent=Decimal(2)), Discount("trade", percent=Decimal(5)),
        Discount("scheme", amount=inr("10.00"), reason="S-42")))
    b = price_line(line, on=ON, tax=GST, supply=INTRA)
    assert [(s.name, s.amount) for s in b.steps] == [
        ("gross", inr("1728.72")), ("trade", inr("-86.44")), ("scheme", inr("-10.00")),
        ("cash", inr("-32.65")), ("taxable", inr("1599.63")), ("CGST", inr("39.99")),
        ("SGST", inr("39.99")), ("total", inr("1679.61"))]
    assert "S-42" in b.steps[2].note
    assert b.to_line().total == b.total


def test_additive_discounts_apply_to_gross() -> None:
    # Additive: 5 % and 2 % both of 1000.00 → 50.00 + 20.00; chained would be 50.00 + 19.00.
    proc = PricingProcedure(("trade", "cash"), "additive", name="flat")
    line = PricingLine("A", 10, unit_price=inr("100.00"), discounts=(
        Discount("trade", percent=5), Discount("cash", percent=2)))
    assert price_line(line, on=ON, procedure=proc).discount == inr("70.00")
    assert price_line(line, on=ON).discount == inr("69.00")


def test_per_unit_discount_and_tax_inclusive_price() -> None:
    # 12 × 10.50 incl. = 126.00; 0.50 per unit = 6.00 → 120.00 incl. of 5 %;
    # taxable 120 / 1.05 = 114.2857 → 114.29; tax 5.71 split 2.86 + 2.85.
    line = PricingLine("A", 12, unit_price=inr("10.50"), tax_inclusive=True, hsn="1905",
                       discounts=(Discount("scheme", per_unit=inr("0.50")),))
    b = price_line(line, on=ON, tax=GST, supply=INTRA)
    assert (b.net, b.taxable, b.tax.tax, b.total) == (
        inr("120.00"), inr("114.29"), inr("5.71"), inr("120.00"))
    assert [c.amount for c in b.tax.components] == [inr("2.86"), inr("2.85")]


def test_price_resolved_from_an_index_with_hsn_from_the_product() -> None:
    index = PriceIndex([PriceList("PTR", "INR", entries=(
        PriceEntry("SKU1", inr("72.03"), Scope(tier="retailer")),))])
    b = price_line(PricingLine("SKU1", 2), on=ON, tax=GST, supply=Supply("27", "29"),
                   index=index, buyer=Buyer("R1", tier="retailer"), products=[product("SKU1")])
    # 2 × 72.03 = 144.06; IGST 5 % = 7.203 → 7.20
    assert (b.gross, b.tax.tax) == (inr("144.06"), inr("7.20"))
    assert b.resolution is not None
    assert b.trace.steps[0].reason == "price list 'PTR'.entries[0]"


def test_errors_name_the_line_and_field() -> None:
    with pytest.raises(PricingError, match=r"line 'A'.discounts\[0\].step: 'promo' is not a step"):
        price_line(PricingLine("A", 1, unit_price=inr("1"),
                               discounts=(Discount("promo", percent=1),)), on=ON)
    with pytest.raises(PricingError, match=r"line 'A'.discounts\[0\]: give exactly one of"):
        price_line(PricingLine("A", 1, unit_price=inr("1"), discounts=(
            Discount("trade", percent=1, amount=inr("1")),)), on=ON)
    with pytest.raises(PricingError, match=r"line 'A'.qty: must be an int > 0"):
        price_line(PricingLine("A", 0, unit_price=inr("1")), on=ON)
    with pytest.raises(PricingError, match=r"line 'A'.unit_price: none given"):
        price_line(PricingLine("A", 1), on=ON)
    with pytest.raises(PricingError, match=r"line 'A'.discounts\[0\]: 2.00 exceeds the value"):
        price_line(PricingLine("A", 1, unit_price=inr("1"),
                               discounts=(Discount("trade", amount=inr("2.00")),)), on=ON)
    twice = Discount("trade", amount=inr("0.60"))
    with pytest.raises(PricingError, match=r"line 'A'.discounts\[1\]: 0.60 exceeds the value left, "
                                           r"0.40"):
        price_line(PricingLine("A", 1, unit_price=inr("1.00"), discounts=(twice, twice)), on=ON)
    with pytest.raises(PricingError, match=r"lines\[1\] 'B'.unit_price: currency USD"):
        price_order([PricingLine("A", 1, unit_price=inr("1")),
                     PricingLine("B", 1, unit_price=Money.of("1", "USD"))], on=ON)
    with pytest.raises(PricingError, match=r"order.order_discounts\[0\].per_unit: not allowed"):
        price_order([PricingLine("A", 1, unit_price=inr("1"))], on=ON,
                    order_discounts=[Discount("order", per_unit=inr("0.1"))])


def test_order_discount_is_allocated_without_losing_a_paisa() -> None:
    # Lines 10.00, 20.00, 30.01 (60.01); 10 % = 6.001 → 6.00 split by value:
    # exact shares 0.99983, 1.99967, 3.00050 paise×100 → 1.00, 2.00, 3.00.
    lines = [PricingLine(s, 1, unit_price=inr(p), hsn="1905")
             for s, p in (("A", "10.00"), ("B", "20.00"), ("C", "30.01"))]
    o = price_order(lines, on=ON, tax=GST, supply=INTRA,
                    order_discounts=[Discount("order", percent=10)])
    assert [b.discount for b in o.lines] == [inr("1.00"), inr("2.00"), inr("3.00")]
    assert o.order_discounts[0].amount == inr("-6.00")
    assert o.total == o.taxable + o.tax
    assert dict(o.tax_by_component()) == {"CGST": o.tax / 2, "SGST": o.tax / 2}


AMOUNTS = st.integers(1, 500_000).map(lambda p: Money.from_minor_units(p, "INR"))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(AMOUNTS, st.integers(1, 200), st.integers(0, 20),
                          st.booleans(), st.sampled_from(["1905", "3402", "0902"])),
                min_size=1, max_size=12),
       st.integers(0, 30), st.sampled_from(["27", "29", "04"]),
       st.sampled_from(["chained", "additive"]))
def test_breakdowns_reconcile_to_the_paisa(
        raw: list[tuple[Money, int, int, bool, str]], order_pct: int, place: str,
        compounding: str) -> None:
    proc = PricingProcedure(STANDARD_PROCEDURE.steps, compounding)  # type: ignore[arg-type]
    lines = [PricingLine(f"S{i}", qty, unit_price=unit, tax_inclusive=incl, hsn=hsn,
                         discounts=(Discount("trade", percent=pct), Discount("cash", percent=1)))
             for i, (unit, qty, pct, incl, hsn) in enumerate(raw)]
    o = price_order(lines, on=ON, procedure=proc, tax=GST, supply=Supply(place, "04"),
                    order_discounts=[Discount("order", percent=order_pct)])
    order_share = Decimal(0)
    for b in o.lines:
        assert b.gross == (b.unit_price * b.qty).round()
        assert b.net == b.gross - b.discount
        assert b.total == b.taxable + b.tax.tax
        assert b.total == (b.net if b.tax_inclusive else b.taxable + b.tax.tax)
        assert all(c.amount.is_rounded for c in b.tax.components)
        assert all(not s.amount.amount > 0 for s in b.discounts)
        order_share += sum((s.value for s in b.discounts if s.name == "order"), Decimal(0))
    assert order_share == o.order_discounts[0].value
    assert o.total == o.taxable + o.tax
    assert o.gross - o.discount == sum((b.net for b in o.lines), Money.zero("INR"))
