"""Distributor KPIs: fill rates, order-to-invoice time and secondary vs primary."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from performance_builders import doc, inr

from distcrm.documents import Line
from distcrm.money import Money
from distcrm.performance import PerformanceError, fill_rates, secondary_vs_primary
from distcrm.periods import Period, Validity

D0 = date(2025, 6, 2)
JUNE = Period.containing(D0, "month")


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def orders_and_invoices() -> list:  # type: ignore[type-arg]
    return [
        doc("O-1", "order", "secondary", "D1", "R1", day(0), ("A", 10, "10.00"), ("B", 20, "5.00")),
        doc("I-1", "invoice", "secondary", "D1", "R1", day(1), ("A", 6, "10.00"), reference="O-1"),
        doc(
            "I-2",
            "invoice",
            "secondary",
            "D1",
            "R1",
            day(3),
            ("A", 4, "10.00"),
            ("B", 20, "5.00"),
            reference="O-1",
        ),
        doc("O-2", "order", "secondary", "D1", "R2", day(1), ("A", 5, "10.00")),
        doc("O-3", "order", "secondary", "D2", "R3", day(2), ("C", 8, "2.50")),
        doc(
            "I-3", "invoice", "secondary", "D2", "R3", day(2), ("C", 10, "2.50", 2), reference="O-3"
        ),
    ]


def test_fill_rates_per_seller() -> None:
    report = fill_rates(orders_and_invoices(), on=day(20), period=JUNE)
    o1, o2, o3 = report.orders
    # O-1: complete on day 3 after two invoices
    assert (o1.lines_filled, o1.units_filled, o1.invoices) == (2, 30, ("I-1", "I-2"))
    assert (o1.days_to_first_invoice, o1.days_to_complete) == (1, 3)
    assert o2.first_invoiced_on is None  # open
    # O-3: 10 billed for 8 ordered (free goods ignored), counted up to 8
    assert (o3.units_filled, o3.value_filled, o3.days_to_complete) == (8, inr("20.00"), 0)
    d1 = report.rate("D1")
    # lines 2 of 3; units 30 of 35; value 200 of 250 (O-1 100 + 100, O-2 50)
    assert (d1.orders, d1.open_orders) == (2, 1)
    assert d1.line_fill_pct == Decimal("66.67")
    assert d1.unit_fill_pct == Decimal("85.71")  # 30 / 35 = 85.714..
    assert d1.value_fill_pct == Decimal("80.00")
    assert d1.mean_days_to_first_invoice == Decimal("1.00")
    assert d1.mean_days_to_complete == Decimal("3.00")
    assert [(f.code, f.subject) for f in report.findings] == [("invoiced_above_order", "O-3")]


def test_partial_fill_values_at_order_prices_and_on_cuts_invoices() -> None:
    report = fill_rates(orders_and_invoices(), on=day(2), period=JUNE)
    o1 = report.orders[0]
    # only I-1 by day 2: A 6 of 10 -> 60 of 100 at order prices; B none
    assert (o1.lines_filled, o1.units_filled, o1.value_filled) == (0, 6, inr("60.00"))
    assert o1.completed_on is None


def test_suspicious_invoices_are_findings_and_do_not_count() -> None:
    docs = [
        doc("O-1", "order", "secondary", "D1", "R1", day(5), ("A", 10, "1.00")),
        doc("I-1", "invoice", "secondary", "D1", "R1", day(4), ("A", 10, "1.00"), reference="O-1"),
        doc("I-2", "invoice", "secondary", "D1", "R9", day(6), ("A", 10, "1.00"), reference="O-1"),
        doc("I-3", "invoice", "secondary", "D1", "R1", day(7), ("Z", 1, "1.00"), reference="O-1"),
    ]
    report = fill_rates(docs, on=day(30))
    assert report.orders[0].units_filled == 0
    assert report.orders[0].invoices == ("I-3",)
    assert [f.code for f in report.findings] == [
        "invoiced_before_order",
        "invoice_parties_differ",
        "invoiced_sku_not_ordered",
    ]
    assert "invoice I-1 of 2025-06-06 is dated before its order O-1 of 2025-06-07" in str(
        report.findings[0]
    )
    rendered = report.orders[0].trace.render()
    assert "- invoice I-1: rejected (dated before the order)" in rendered
    assert "- invoice I-2: rejected (seller, buyer or level differ)" in rendered
    assert "+ invoice I-3: applied (2025-06-09: Z 1)" in rendered


def test_fill_rate_errors() -> None:
    with pytest.raises(PerformanceError, match=r"fill_rates\.level: 'tertiary'"):
        fill_rates([], on=day(0), level="tertiary")  # type: ignore[arg-type]
    with pytest.raises(PerformanceError, match=r"fill rate report: no orders for seller 'D9'"):
        fill_rates([], on=day(0)).rate("D9")
    usd = doc("O-2", "order", "secondary", "D1", "R1", day(0), ("A", 1, "1.00"))
    usd = attrs.evolve(usd, currency="USD", lines=[Line("A", 1, Money.of("1", "USD"))])
    inr_order = doc("O-1", "order", "secondary", "D1", "R1", day(0), ("A", 1, "1.00"))
    with pytest.raises(
        PerformanceError, match=r"fill_rates: seller 'D1' has orders in INR and USD"
    ):
        fill_rates([inr_order, usd], on=day(1))


@settings(max_examples=100, deadline=None)
@given(
    lines=st.lists(
        st.tuples(
            st.sampled_from("ABCD"), st.integers(0, 30), st.lists(st.integers(0, 20), max_size=3)
        ),
        min_size=1,
        max_size=4,
    )
)
def test_fill_rates_stay_between_0_and_100(lines: list[tuple[str, int, list[int]]]) -> None:
    order = doc(
        "O", "order", "secondary", "D1", "R1", day(0), *[(s, q, "3.00") for s, q, _ in lines]
    )
    invoices = [
        doc(f"I-{i}-{j}", "invoice", "secondary", "D1", "R1", day(j), (s, q, "3.00"), reference="O")
        for i, (s, _, shipped) in enumerate(lines)
        for j, q in enumerate(shipped)
    ]
    report = fill_rates([order, *invoices], on=day(30))
    (fill,) = report.orders
    assert 0 <= fill.units_filled <= fill.units_ordered
    assert 0 <= fill.lines_filled <= fill.lines_ordered
    assert inr(0) <= fill.value_filled <= fill.value_ordered
    (rate,) = report.rates
    assert 0 <= rate.unit_fill_pct <= 100
    assert 0 <= rate.line_fill_pct <= 100
    if fill.lines_ordered:
        assert (fill.completed_on is not None) == (fill.lines_filled == fill.lines_ordered)


def test_secondary_vs_primary() -> None:
    docs = [
        doc(
            "P-1", "invoice", "primary", "SS1", "D1", day(0), ("A", 100, "9.00"), ("B", 50, "4.00")
        ),
        doc("P-2", "return", "primary", "SS1", "D1", day(2), ("B", 10, "4.00")),
        doc("S-1", "invoice", "secondary", "D1", "R1", day(3), ("A", 90, "10.00", 6)),
        doc("S-2", "return", "secondary", "D1", "R1", day(4), ("A", 6, "10.00")),
        doc("S-3", "invoice", "secondary", "D2", "R2", day(4), ("A", 5, "10.00")),
        doc("P-3", "invoice", "primary", "SS1", "D1", day(40), ("A", 999, "9.00")),  # July
    ]
    d1, d2 = secondary_vs_primary(docs, JUNE)
    # primary units 100 + 50 - 10 = 140, value 900 + 200 - 40 = 1,060
    # secondary units 90 + 6 free - 6 = 90, value 900 - 60 = 840
    assert (d1.account, d1.primary_units, d1.secondary_units) == ("D1", 140, 90)
    assert (d1.primary_value, d1.secondary_value) == (inr("1060.00"), inr("840.00"))
    assert d1.units_ratio == Decimal("0.6429")  # 90 / 140 = 0.642857..
    assert d1.value_ratio == Decimal("0.7925")  # 840 / 1060 = 0.792452..
    # D2 bought nothing: no ratio
    assert (d2.account, d2.primary_units, d2.units_ratio, d2.value_ratio) == ("D2", 0, None, None)
    with pytest.raises(PerformanceError, match=r"secondary_vs_primary\.period"):
        secondary_vs_primary(docs, Validity(day(0)))
