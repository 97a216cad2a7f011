"""Result types: lazy line references, windows, totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from scheme_builders import doc, inr, scheme

from distcrm.documents import LineRef
from distcrm.schemes import LineRefs, PercentDiscount, Window, evaluate

D = Decimal


def test_line_refs_behave_like_a_tuple_of_line_refs() -> None:
    plain = LineRefs(("A", "B"), ((0, 1), (1, 3)))
    packed = LineRefs.packed(("A", "B"), [0 << 20 | 0, 1 << 20 | 2], 20)
    expected = (LineRef("A", 1), LineRef("B", 3))
    for refs in (plain, packed):
        assert tuple(refs) == expected
        assert refs == expected
        assert refs[1] == LineRef("B", 3)
        assert refs[-1:] == (LineRef("B", 3),)
        assert len(refs) == 2
        assert hash(refs) == hash(expected)
        assert LineRef("A", 1) in refs


def test_window_closed_on() -> None:
    june = Window("month", date(2025, 6, 1), date(2025, 7, 1), "2025-06")
    assert not june.closed_on(date(2025, 6, 30))
    assert june.closed_on(date(2025, 7, 1))
    assert not Window("scheme", date(2025, 4, 1), None, "S").closed_on(date(2030, 1, 1))
    assert Window("invoice", date(2025, 6, 3), date(2025, 6, 4), "I1").closed_on(date(2025, 6, 3))


def test_totals_and_filters() -> None:
    # A: 5 % of 100.00 and of 200.00; B: 1 % of 200.00 -> totals 15.00 and 2.00
    a = scheme("A", (1, PercentDiscount(D(5))))
    b = scheme("B", (1, PercentDiscount(D(1))))
    docs = [
        doc("R1", date(2025, 6, 3), ("BIS1", 10, "10.00")),
        doc("R2", date(2025, 6, 3), ("SOAP", 10, "20.00")),
    ]
    r = evaluate([a, b], docs, on=date(2025, 6, 3))
    assert r.total("A") == inr("15.00")
    assert r.total() == inr("18.00")  # 5.00 + 10.00 + 1.00 + 2.00
    assert [e.party for e in r.for_scheme("B")] == ["R1", "R2"]
    assert [e.scheme for e in r.for_party("R2")] == ["A", "B"]


def test_trace_summarises_free_goods_over_many_skus() -> None:
    from scheme_builders import PRODUCTS

    from distcrm.schemes import FreeGoods, ProductSelection

    # 4 SKUs x 10 units = 40 -> 4 free, one of each SKU (10:10:10:10)
    s = scheme("C", (10, FreeGoods(1, D(10))), products=ProductSelection())
    d = doc(
        "R1",
        date(2025, 6, 3),
        ("BIS1", 10, "1.00"),
        ("BIS2", 10, "2.00"),
        ("CHP1", 10, "3.00"),
        ("SOAP", 10, "4.00"),
    )
    (e,) = evaluate([s], [d], on=date(2025, 6, 3), products=PRODUCTS).entitlements
    assert e.free_units == 4
    assert "4 free units over 4 SKUs worth 10.00 INR" in e.trace.render()
