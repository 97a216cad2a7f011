"""Stacking, priorities, ties and budget caps on hand-checked examples."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from scheme_builders import doc, inr, scheme

from distcrm.errors import SchemeError
from distcrm.schemes import Caps, FreeGoods, PercentDiscount, ProductSelection, Scheme, evaluate

D = Decimal
J3 = date(2025, 6, 3)
J30 = date(2025, 6, 30)


def pct(id: str, rate: str, **kw: object) -> Scheme:
    return scheme(id, (1, PercentDiscount(D(rate))), **kw)


def test_stackable_schemes_add_up() -> None:
    # 1000.00 net: 10 % = 100.00 and 5 % = 50.00, both on the full value
    d = doc("R1", J3, ("BIS1", 100, "10.00"))
    r = evaluate([pct("A", "10", priority=1), pct("B", "5", priority=2)], [d], on=J3)
    assert [(e.scheme, e.discount) for e in r.entitlements] == [
        ("A", inr("100.00")),
        ("B", inr("50.00")),
    ]


def test_compounding_discount_applies_on_what_is_left() -> None:
    # 10 % of 1000 = 100; then 5 % of (1000 - 100) = 45.00
    d = doc("R1", J3, ("BIS1", 100, "10.00"))
    r = evaluate(
        [pct("A", "10", priority=1), pct("B", "5", priority=2, compounding=True)], [d], on=J3
    )
    by = {e.scheme: e for e in r.entitlements}
    assert by["B"].discount == inr("45.00")
    assert "compounds on 100.00 INR" in by["B"].trace.render()


def test_exclusive_scheme_blocks_later_schemes_on_its_lines() -> None:
    # A (exclusive, priority 1) takes the line; B gets nothing and says why
    d = doc("R1", J3, ("BIS1", 100, "10.00"))
    r = evaluate(
        [pct("A", "10", priority=1, stacking="exclusive"), pct("B", "5", priority=2)], [d], on=J3
    )
    assert [e.scheme for e in r.entitlements] == ["A"]
    b = next(c for c in r.considered if c.scheme == "B")
    assert not b.applied
    assert "exclusive scheme(s) A already use them" in b.trace.render()


def test_exclusive_scheme_later_skips_lines_already_used() -> None:
    # B (stackable, priority 1) applies first; exclusive A (priority 2) cannot use the line,
    # but it can use the second line nobody else takes: 200.00 x 10 % = 20.00
    d = doc("R1", J3, ("BIS1", 100, "10.00"), ("SOAP", 10, "20.00"))
    b = scheme(
        "B", (1, PercentDiscount(D(5))), priority=1, products=ProductSelection(skus={"BIS1"})
    )
    r = evaluate([pct("A", "10", priority=2, stacking="exclusive"), b], [d], on=J3)
    by = {e.scheme: e for e in r.entitlements}
    assert by["B"].discount == inr("50.00")
    assert by["A"].discount == inr("20.00")
    assert len(by["A"].lines) == 1


def test_exclusive_that_does_not_reach_its_slab_blocks_nothing() -> None:
    d = doc("R1", J3, ("BIS1", 5, "10.00"))
    a = scheme("A", (100, PercentDiscount(D(10))), priority=1, stacking="exclusive")
    r = evaluate([a, pct("B", "5", priority=2)], [d], on=J3)
    assert [(e.scheme, e.discount) for e in r.entitlements] == [("B", inr("2.50"))]


def test_best_of_group_keeps_the_best_for_the_buyer() -> None:
    # 1000.00: G1 gives 8 % = 80, G2 gives 1 free per 10 units at 10.00 = 100 -> G2 wins
    d = doc("R1", J3, ("BIS1", 100, "10.00"))
    g1 = pct("G1", "8", stacking="best_of", group="summer")
    g2 = scheme("G2", (10, FreeGoods(1, D(10))), stacking="best_of", group="summer")
    r = evaluate([g1, g2], [d], on=J3)
    assert [e.scheme for e in r.entitlements] == ["G2"]
    loser = next(c for c in r.considered if c.scheme == "G1")
    assert "group 'summer' keeps G2 worth 100.00 INR over 80.00 INR" in loser.trace.render()


def test_best_of_group_members_must_share_party_and_window() -> None:
    g1 = pct("G1", "8", stacking="best_of", group="g")
    g2 = pct("G2", "8", stacking="best_of", group="g", window="month")
    with pytest.raises(SchemeError, match=r"scheme 'G2'.group: best-of group 'g' mixes"):
        evaluate([g1, g2], [doc("R1", J3, ("BIS1", 1, "1.00"))], on=J3)


def test_tie_raises_by_default_and_follows_policy() -> None:
    d = doc("R1", J3, ("BIS1", 100, "10.00"))
    a = pct("A", "5", priority=1, stacking="exclusive")
    b = pct("B", "10", priority=1, stacking="exclusive")
    with pytest.raises(SchemeError, match=r"scheme 'A'.priority: ties with scheme 'B'"):
        evaluate([a, b], [d], on=J3)
    first = evaluate([a, b], [d], on=J3, on_tie="first")
    assert [e.scheme for e in first.entitlements] == ["A"]
    best = evaluate([a, b], [d], on=J3, on_tie="best_for_buyer")
    assert [(e.scheme, e.discount) for e in best.entitlements] == [("B", inr("100.00"))]


def test_equal_priority_without_exclusivity_is_no_tie() -> None:
    d = doc("R1", J3, ("BIS1", 100, "10.00"))
    r = evaluate([pct("A", "5", priority=1), pct("B", "10", priority=1)], [d], on=J3)
    assert len(r.entitlements) == 2


def test_total_budget_is_consumed_by_window_then_party_and_cut_is_traced() -> None:
    # 10 % each: R1 June 100, R2 June 100, R1 July 100; budget 250
    # order: (June, R1) 100 -> (June, R2) 100 -> (July, R1) gets the 50 left, 50 cut
    s = pct("C", "10", window="month", caps=Caps(total=D(250)))
    docs = [
        doc("R2", J3, ("BIS1", 100, "10.00")),
        doc("R1", date(2025, 7, 3), ("BIS1", 100, "10.00")),
        doc("R1", J3, ("BIS1", 100, "10.00")),
    ]
    r = evaluate([s], docs, on=date(2025, 7, 31))
    got = {(e.party, e.window.label): (e.value, e.cut) for e in r.entitlements}
    assert got == {
        ("R1", "2025-06"): (inr("100.00"), inr(0)),
        ("R2", "2025-06"): (inr("100.00"), inr(0)),
        ("R1", "2025-07"): (inr("50.00"), inr("50.00")),
    }
    cut = next(e for e in r.entitlements if e.cut)
    assert "total budget 25000 left 5000: cut 50.00 INR of 100.00 INR" in cut.trace.render()


def test_per_account_and_per_invoice_caps() -> None:
    # per invoice 30: each 100.00 invoice gives 10 % = 10 -> fine; 500.00 gives 50 -> 30
    # per account 35: R1 has 10 + 30 -> the later invoice is cut to 25
    s = pct("P", "10", caps=Caps(per_invoice=D(30), per_account=D(35)))
    docs = [doc("R1", J3, ("BIS1", 10, "10.00")), doc("R1", J30, ("BIS1", 50, "10.00"))]
    r = evaluate([s], docs, on=J30)
    assert [e.value for e in r.entitlements] == [inr("10.00"), inr("25.00")]


def test_free_goods_are_capped_in_whole_units() -> None:
    # 30 units -> 3 free at 8.00 = 24.00; budget 20.00 -> 2 units (16.00)
    s = scheme("F", (10, FreeGoods(1, D(10))), caps=Caps(total=D(20)))
    (e,) = evaluate([s], [doc("R1", J3, ("BIS1", 30, "8.00"))], on=J3).entitlements
    assert (e.free_units, e.value, e.cut) == (2, inr("16.00"), inr("8.00"))


def test_capped_free_goods_need_a_price() -> None:
    s = scheme("F", (10, FreeGoods(1, D(10), sku="SOAP")), caps=Caps(total=D(20)))
    with pytest.raises(SchemeError, match=r"scheme 'F'.caps: free goods for R1 have no price"):
        evaluate([s], [doc("R1", J3, ("BIS1", 30, "8.00"))], on=J3)
