"""Allocation of benefits to lines and near-miss messages, hand-checked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from scheme_builders import PRODUCTS, doc, inr, scheme

from distcrm.errors import SchemeError
from distcrm.schemes import FlatAmount, FreeGoods, PercentDiscount, allocate_benefit, evaluate

D = Decimal
J3 = date(2025, 6, 3)


def test_period_benefit_spread_over_lines_of_several_invoices() -> None:
    # month: 300.00 + 700.00 = 1000.00 net, 2 % = 20.00 -> 6.00 and 14.00 by net value
    s = scheme("P", (1_000, PercentDiscount(D(2))), measure="net_value", window="month")
    a = doc("R1", J3, ("BIS1", 30, "10.00"))
    b = doc("R1", date(2025, 6, 9), ("BIS2", 70, "10.00"))
    (e,) = evaluate([s], [a, b], on=date(2025, 6, 30)).entitlements
    shares = allocate_benefit(e, [a, b])
    assert [(s.sku, s.amount) for s in shares] == [("BIS1", inr("6.00")), ("BIS2", inr("14.00"))]


def test_returns_get_no_share_and_units_basis() -> None:
    # 20 + 10 units sold, 5 returned -> 25 units -> 2 x 7.50 = 15.00 flat per 10? no: per unit
    # flat 0.50 per unit x 25 = 12.50, spread by units 20:10 -> 8.33 / 4.17, return 0
    s = scheme("U", (1, FlatAmount(D("0.50"), "unit")), window="month")
    a = doc("R1", J3, ("BIS1", 20, "1.00"), ("BIS2", 10, "1.00"))
    r = doc("R1", date(2025, 6, 5), ("BIS1", 5, "1.00"), kind="return")
    (e,) = evaluate([s], [a, r], on=date(2025, 6, 30)).entitlements
    assert e.discount == inr("12.50")
    shares = allocate_benefit(e, [a, r], basis="units")
    assert [str(s.amount) for s in shares] == ["8.33 INR", "4.17 INR", "0.00 INR"]


def test_allocation_needs_the_documents() -> None:
    s = scheme("P", (1, PercentDiscount(D(2))))
    a = doc("R1", J3, ("BIS1", 30, "10.00"))
    (e,) = evaluate([s], [a], on=J3).entitlements
    with pytest.raises(SchemeError, match=r"entitlement .*lines: document '.*' not given"):
        allocate_benefit(e, [])


def test_near_miss_in_cases_and_nearest_pick() -> None:
    # cases: 40 units of a 24-pack = 1 2/3 cases; next slab 2 cases -> 1/3 case more
    # = 0.3334 (rounded up to 4 places so it really reaches)
    s = scheme("K", (2, PercentDiscount(D(3))), measure="cases", window="month")
    u = scheme("N", (100, FreeGoods(1, D(100))), window="month")  # 40 of 100 units
    r = evaluate([s, u], [doc("R1", J3, ("BIS1", 40, "5.00"))], on=J3, products=PRODUCTS)
    by = {m.scheme: m for m in r.near_misses}
    assert by["K"].missing == D("0.3334")
    assert by["K"].message == "0.3334 more cases reach slab 1 (3 % of net value)"
    assert (
        by["N"].message
        == "60 more units reach slab 1 (1 free unit of the same SKU every 100 units)"
    )
    nearest = r.nearest_miss("R1")
    assert nearest is not None
    assert nearest.scheme == "K"  # 1/6 of its threshold missing vs 60 % for N
    assert r.nearest_miss("R9") is None


def test_top_slab_has_no_near_miss() -> None:
    s = scheme("P", (1, PercentDiscount(D(2))))
    r = evaluate([s], [doc("R1", J3, ("BIS1", 3, "1.00"))], on=J3)
    assert r.near_misses == ()
